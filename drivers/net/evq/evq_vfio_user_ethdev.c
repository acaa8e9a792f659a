/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_vfio_user_ethdev.c: the vfio-user transport and the "net_evq" vdev
 * driver. Owns: devargs-driven probe and remove; the client side of the
 * connection (through lib/evq_hw/evq_vfio_user: VERSION, device/region/IRQ
 * info, config space); the mmap of BAR2 (the doorbell page, offered with
 * the sparse-mmap capability); DMA_MAP of all DPDK memory (every memseg,
 * with its file descriptor, iova = virtual address, adjacent segments of
 * one file merged, within the adapter's map limit, and later allocations
 * and frees followed through a memory event callback); SET_IRQS of our
 * eventfds; and the detection of the adapter going away (the socket's
 * hang-up seen through a proxy epoll fd registered with EAL's interrupt
 * thread), reported as device removal.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <bus_vdev_driver.h>
#include <ethdev_vdev.h>
#include <rte_eal_memconfig.h>
#include <rte_fbarray.h>
#include <rte_interrupts.h>
#include <rte_memory.h>
#include <rte_string_fns.h>

#include "evq_ethdev.h"
#include "evq_vfio_user.h"

#define EVQ_VFU_OFFER_FDS	16
#define EVQ_VFU_OFFER_XFER	(1u << 20)
#define EVQ_VFU_OFFER_MAPS	65535u

struct evq_vfu_map {
	uint64_t va;
	uint64_t len;
	uint64_t off;
	int fd;			/* EAL's; never closed here */
};

struct evq_vfu_maplist {
	struct evq_vfu_map *v;
	unsigned int n, cap;
};

/* Interrupt state: vector v is our eventfd efd[v]; INTx is intx_efd, or
 * efd[0] when the adapter offers no MSI-X vector (evq_ethdev.h, modes). */
struct evq_vfu_intr {
	int efd[EVQ_MSIX_VECTORS];
	int intx_efd;
	struct rte_intr_handle *lsc_handle;	/* EXT handle on efd[0] */
	bool lsc_registered;
	uint16_t nb_rxq_bound;
	enum evq_irq_mode mode_bound;
};

struct evq_vfu_tp {
	struct evq_vfu_conn conn;
	bool conn_open;
	uint8_t *bar2;
	size_t bar2_len;
	int bar2_fd;		/* kept for secondary processes (evq_mp.c) */
	uint64_t bar2_off;
	uint32_t msix_count;
	bool has_intx;			/* INTx with an eventfd offered */
	struct evq_vfu_intr vintr;
	/* removal watch */
	int rmv_epfd;
	struct rte_intr_handle *rmv_handle;
	bool rmv_registered;
	/* DMA maps */
	pthread_mutex_t map_lock;
	struct evq_vfu_maplist maps;
	uint32_t max_maps;
	char mem_cb_name[RTE_ETH_NAME_MAX_LEN + 16];
	bool mem_cb_registered;
	struct evq_adapter *ad;
};

/* The protocol module returns 0 or a length on success, -errno on failure. */
static inline int
evq_vfu_ok(int ret)
{
	return ret < 0 ? ret : 0;
}

static inline struct evq_vfu_tp *
evq_vfu_tp_of(struct evq_adapter *ad)
{
	return ad->tp;
}

/* ------------------------------------------------------------------ */
/* transport ops                                                      */
/* ------------------------------------------------------------------ */

static int
evq_vfu_bar0_read(struct evq_adapter *ad, uint32_t off, void *buf, size_t len)
{
	struct evq_vfu_tp *tp = evq_vfu_tp_of(ad);
	int ret = evq_vfu_client_region_read(&tp->conn, VFIO_PCI_BAR0_REGION_INDEX,
			off, buf, len);

	return ret < 0 ? (tp->conn.broken ? -ENOTCONN : ret) : 0;
}

static int
evq_vfu_bar0_write(struct evq_adapter *ad, uint32_t off, const void *buf, size_t len)
{
	struct evq_vfu_tp *tp = evq_vfu_tp_of(ad);
	int ret = evq_vfu_client_region_write(&tp->conn, VFIO_PCI_BAR0_REGION_INDEX,
			off, buf, len);

	return ret < 0 ? (tp->conn.broken ? -ENOTCONN : ret) : 0;
}

static int
evq_vfu_irq_bind(struct evq_adapter *ad, uint32_t index, uint32_t start, uint32_t count,
		const int *fds)
{
	struct evq_vfu_tp *tp = evq_vfu_tp_of(ad);
	uint32_t max = index == VFIO_PCI_INTX_IRQ_INDEX ? (tp->has_intx ? 1 : 0) :
		tp->msix_count;
	int ret;

	if (ad->removed)
		return -ENODEV;
	if (start + count > max)
		return -EINVAL;
	ret = evq_vfu_client_set_irqs(&tp->conn, index,
			VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
			start, count, fds, NULL);
	return evq_vfu_ok(ret);
}

/* ------------------------------------------------------------------ */
/* Interrupts: our eventfds behind vdev-kind interrupt handles        */
/* ------------------------------------------------------------------ */

/*
 * Modelled on virtio-user and net_vhost: our own eventfds, handed to the
 * adapter with SET_IRQS (MSI-X or INTx); vector 0 through a private EXT
 * handle whose callback calls evq_intr_global_handler(); the Rx vectors
 * exposed to the application through a private RTE_INTR_HANDLE_VDEV handle
 * with efd_counter_size = 8 so that EAL drains an eventfd after each
 * wake-up (evq_rxq_handle_build() of evq_intr.c, also used on PCI).
 */

static void
evq_vfu_intr_init(struct evq_vfu_intr *vi)
{
	unsigned int i;

	memset(vi, 0, sizeof(*vi));
	for (i = 0; i < RTE_DIM(vi->efd); i++)
		vi->efd[i] = -1;
	vi->intx_efd = -1;
}

static void
evq_vfu_lsc_cb(void *arg)
{
	struct evq_adapter *ad = arg;
	struct evq_vfu_tp *tp = evq_vfu_tp_of(ad);
	struct evq_vfu_intr *vi = tp != NULL ? &tp->vintr : NULL;
	uint64_t v;

	/* EXT handles are not drained by EAL; a level-triggered epoll would
	 * spin otherwise. */
	if (vi != NULL && vi->efd[0] >= 0)
		while (read(vi->efd[0], &v, sizeof(v)) == sizeof(v))
			;
	/* without MSI-X this is the INTx eventfd: every EQ signals through it */
	if (ad->msix_vectors == 0)
		evq_intr_demux(ad, UINT64_MAX);
	else
		evq_intr_global_handler(ad);
}

/*
 * Vector 0 (EQ 0), or the INTx eventfd when the adapter offers no MSI-X
 * vector: one eventfd watched by the interrupt thread for the life of the
 * port, bound again after every transport reset.
 */
static int
evq_vfu_intr_lsc_setup(struct evq_adapter *ad)
{
	struct evq_vfu_intr *vi = &evq_vfu_tp_of(ad)->vintr;
	uint32_t index = ad->msix_vectors == 0 ? VFIO_PCI_INTX_IRQ_INDEX :
		VFIO_PCI_MSIX_IRQ_INDEX;
	int ret;

	if (vi->efd[0] < 0) {
		vi->efd[0] = evq_eventfd();
		if (vi->efd[0] < 0) {
			ret = vi->efd[0];
			vi->efd[0] = -1;
			EVQ_DEV_LOG(ERR, ad, "eventfd: %s", strerror(-ret));
			return ret;
		}
	}
	ret = evq_vfu_irq_bind(ad, index, 0, 1, &vi->efd[0]);
	if (ret != 0) {
		EVQ_DEV_LOG(ERR, ad, "binding %s failed: %s",
				index == VFIO_PCI_INTX_IRQ_INDEX ? "INTx" : "MSI-X vector 0",
				strerror(-ret));
		return ret;
	}
	if (vi->lsc_registered)
		return 0;
	vi->lsc_handle = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (vi->lsc_handle == NULL)
		return -ENOMEM;
	if (rte_intr_type_set(vi->lsc_handle, RTE_INTR_HANDLE_EXT) != 0 ||
			rte_intr_fd_set(vi->lsc_handle, vi->efd[0]) != 0) {
		ret = -rte_errno;
		goto fail;
	}
	ret = rte_intr_callback_register(vi->lsc_handle, evq_vfu_lsc_cb, ad);
	if (ret != 0) {
		EVQ_DEV_LOG(ERR, ad, "cannot register the vector-0 handler: %s",
				strerror(-ret));
		goto fail;
	}
	vi->lsc_registered = true;
	return 0;
fail:
	rte_intr_instance_free(vi->lsc_handle);
	vi->lsc_handle = NULL;
	return ret;
}

static void
evq_vfu_intr_rxq_free(struct evq_adapter *ad, struct evq_vfu_intr *vi)
{
	unsigned int i;

	evq_irq_sources_free(ad);
	evq_rxq_handle_free(ad);
	for (i = 1; i < RTE_DIM(vi->efd); i++) {
		if (vi->efd[i] >= 0)
			close(vi->efd[i]);
		vi->efd[i] = -1;
	}
	if (vi->intx_efd >= 0)
		close(vi->intx_efd);
	vi->intx_efd = -1;
	vi->nb_rxq_bound = 0;
}

/*
 * Rx queue interrupts over vfio-user, by mode (evq_ethdev.h):
 *  DIRECT  an eventfd per vector 1 .. nvec, bound with SET_IRQS (MSI-X);
 *          the application waits on them directly (queues on one EQ, the
 *          single layout, share its eventfd);
 *  SHARED  an eventfd per vector 1 .. V - 1 and INTX an INTx eventfd, read
 *          by the shared-interrupt handler (evq_intr_demux()) in the
 *          interrupt thread, which wakes the queues' own eventfds (with no
 *          MSI-X at all the INTx eventfd is vector 0's: evq_vfu_lsc_cb).
 * Kept across stop/start (the application may hold the fds in its epoll
 * set); bound again at every start.
 */
static int
evq_vfu_intr_rxq_setup(struct evq_adapter *ad, uint16_t nb_rxq)
{
	struct evq_vfu_intr *vi = &evq_vfu_tp_of(ad)->vintr;
	enum evq_irq_mode mode = ad->irq_mode;
	uint16_t nvec = evq_rxq_nb_vectors(ad, nb_rxq);
	unsigned int v;
	int ret;

	if (nb_rxq == 0)
		return 0;	/* kept until close */
	if (nvec + 1u > RTE_DIM(vi->efd))
		return -EINVAL;
	if (vi->nb_rxq_bound != nb_rxq || vi->mode_bound != mode || ad->rxq_handle == NULL) {
		evq_vfu_intr_rxq_free(ad, vi);
		if (mode != EVQ_IRQ_INTX) {
			for (v = 1; v <= nvec; v++) {
				vi->efd[v] = evq_eventfd();
				if (vi->efd[v] < 0) {
					ret = vi->efd[v];
					vi->efd[v] = -1;
					goto fail;
				}
			}
		} else if (ad->msix_vectors > 0) {
			vi->intx_efd = evq_eventfd();
			if (vi->intx_efd < 0) {
				ret = vi->intx_efd;
				vi->intx_efd = -1;
				goto fail;
			}
		}
		ret = evq_rxq_handle_build(ad, nb_rxq,
				mode == EVQ_IRQ_MSIX_DIRECT ? &vi->efd[1] : NULL);
		if (ret != 0)
			goto fail;
		if (mode == EVQ_IRQ_MSIX_SHARED) {
			for (v = 1; v <= nvec && ret == 0; v++)
				ret = evq_irq_source_add(ad, vi->efd[v],
						evq_rxq_eqs_on_vector(ad, nb_rxq, v));
		} else if (mode == EVQ_IRQ_INTX && vi->intx_efd >= 0) {
			ret = evq_irq_source_add(ad, vi->intx_efd, UINT64_MAX & ~1ull);
		}
		if (ret != 0)
			goto fail;
		vi->nb_rxq_bound = nb_rxq;
		vi->mode_bound = mode;
	}
	if (mode != EVQ_IRQ_INTX)
		ret = evq_vfu_irq_bind(ad, VFIO_PCI_MSIX_IRQ_INDEX, 1, nvec, &vi->efd[1]);
	else if (vi->intx_efd >= 0)
		ret = evq_vfu_irq_bind(ad, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &vi->intx_efd);
	else
		ret = 0;	/* no MSI-X: INTx is vector 0's eventfd, bound already */
	if (ret != 0) {
		EVQ_DEV_LOG(ERR, ad, "binding the Rx interrupts failed: %s", strerror(-ret));
		return ret;
	}
	return 0;
fail:
	EVQ_DEV_LOG(ERR, ad, "cannot build the Rx interrupt handle: %s", strerror(-ret));
	evq_vfu_intr_rxq_free(ad, vi);
	return ret;
}

static void
evq_vfu_intr_release(struct evq_adapter *ad, struct evq_vfu_intr *vi)
{
	if (vi->lsc_registered) {
		evq_intr_unregister(vi->lsc_handle, evq_vfu_lsc_cb, ad);
		vi->lsc_registered = false;
	}
	rte_intr_instance_free(vi->lsc_handle);
	vi->lsc_handle = NULL;
	evq_vfu_intr_rxq_free(ad, vi);
	if (vi->efd[0] >= 0)
		close(vi->efd[0]);
	vi->efd[0] = -1;
}

static void
evq_vfu_intr_teardown(struct evq_adapter *ad)
{
	struct evq_vfu_tp *tp = evq_vfu_tp_of(ad);

	if (tp == NULL)
		return;
	/* Unbind all vectors and INTx (the adapter must not write our fds any
	 * more). */
	if (tp->conn_open && !ad->removed && tp->vintr.efd[0] >= 0) {
		if (tp->msix_count > 0)
			evq_vfu_client_set_irqs(&tp->conn, VFIO_PCI_MSIX_IRQ_INDEX,
					VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
					0, 0, NULL, NULL);
		if (tp->has_intx)
			evq_vfu_client_set_irqs(&tp->conn, VFIO_PCI_INTX_IRQ_INDEX,
					VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
					0, 0, NULL, NULL);
	}
	evq_vfu_intr_release(ad, &tp->vintr);
}

static int
evq_vfu_reset(struct evq_adapter *ad)
{
	struct evq_vfu_tp *tp = evq_vfu_tp_of(ad);
	int ret = evq_vfu_ok(evq_vfu_client_device_reset(&tp->conn));

	if (ret != 0)
		EVQ_DEV_LOG(ERR, ad, "vfio-user DEVICE_RESET failed: %s", strerror(-ret));
	return ret;
}

static int
evq_vfu_rxq_efds(struct evq_adapter *ad, uint16_t first, int *fds, unsigned int max,
		uint16_t *nb_rxq)
{
	struct evq_vfu_tp *tp = evq_vfu_tp_of(ad);
	unsigned int v, n = 0;

	*nb_rxq = tp != NULL ? tp->vintr.nb_rxq_bound : 0;
	if (*nb_rxq == 0)
		return 0;
	/* shared vectors or INTx: the driver's eventfd per queue (evq_ethdev.h) */
	if (ad->irq_mode != EVQ_IRQ_MSIX_DIRECT) {
		for (v = first; v <= *nb_rxq && n < max && ad->rxq_wake_fd[v - 1] >= 0; v++)
			fds[n++] = ad->rxq_wake_fd[v - 1];
		return (int)n;
	}
	for (v = first; v < RTE_DIM(tp->vintr.efd) && n < max && tp->vintr.efd[v] >= 0; v++)
		fds[n++] = tp->vintr.efd[v];
	return (int)n;
}

static int
evq_vfu_dbpage_fd(struct evq_adapter *ad, int *fd, uint64_t *off)
{
	struct evq_vfu_tp *tp = evq_vfu_tp_of(ad);

	if (tp == NULL || tp->bar2_fd < 0)
		return -ENODEV;
	*fd = tp->bar2_fd;
	*off = tp->bar2_off;
	return 0;
}

static void evq_vfu_tp_free(struct evq_adapter *ad, struct evq_vfu_tp *tp);

static void
evq_vfu_close(struct evq_adapter *ad)
{
	struct evq_vfu_tp *tp = evq_vfu_tp_of(ad);

	if (tp == NULL)
		return;
	evq_mp_primary_unregister();
	evq_vfu_tp_free(ad, tp);
	ad->tp = NULL;
}

static const struct evq_transport_ops evq_vfu_ops = {
	.name = "vfio-user",
	.bar0_read = evq_vfu_bar0_read,
	.bar0_write = evq_vfu_bar0_write,
	.intr_lsc_setup = evq_vfu_intr_lsc_setup,
	.intr_rxq_setup = evq_vfu_intr_rxq_setup,
	.intr_teardown = evq_vfu_intr_teardown,
	.reset = evq_vfu_reset,
	.dbpage_fd = evq_vfu_dbpage_fd,
	.rxq_efds = evq_vfu_rxq_efds,
	.close = evq_vfu_close,
};

/* ------------------------------------------------------------------ */
/* DMA maps of DPDK memory                                            */
/* ------------------------------------------------------------------ */

/* EAL keeps no file descriptor for legacy-mem pages in single-file mode */
static const char evq_mem_hint[] =
	"start the application with --no-huge, or with hugepages and "
	"--single-file-segments without --legacy-mem";

static int
evq_maplist_add(struct evq_vfu_maplist *l, const struct evq_vfu_map *m)
{
	if (l->n == l->cap) {
		unsigned int cap = l->cap != 0 ? 2 * l->cap : 16;
		struct evq_vfu_map *v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *m;
	return 0;
}

static void
evq_maplist_del(struct evq_vfu_maplist *l, unsigned int i)
{
	memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof(l->v[0]));
	l->n--;
}

/* Collects segments into spans: same file, adjacent in VA and offset. */
struct evq_span_walk {
	struct evq_adapter *ad;
	struct evq_vfu_maplist spans;
	uint64_t skip_va, skip_len;	/* range being freed: not mapped again */
	int err;
};

static int
evq_span_add_seg(struct evq_span_walk *w, const struct rte_memseg *ms)
{
	uint64_t va = (uint64_t)(uintptr_t)ms->addr;
	struct evq_vfu_map m;
	size_t off;
	int fd;

	if (w->skip_len != 0 && va >= w->skip_va && va < w->skip_va + w->skip_len)
		return 0;
	fd = rte_memseg_get_fd_thread_unsafe(ms);
	if (fd < 0 || rte_memseg_get_fd_offset_thread_unsafe(ms, &off) < 0) {
		EVQ_DEV_LOG(ERR, w->ad, "DPDK memory at %p (%zu bytes) has no file descriptor "
				"(%s): the adapter, another process, cannot map it; %s",
				ms->addr, ms->len, rte_strerror(rte_errno), evq_mem_hint);
		w->err = -ENOTSUP;
		return -1;
	}
	if (w->spans.n != 0) {
		struct evq_vfu_map *last = &w->spans.v[w->spans.n - 1];

		if (last->fd == fd && last->va + last->len == va &&
				last->off + last->len == off) {
			last->len += ms->len;
			return 0;
		}
	}
	m.va = va;
	m.len = ms->len;
	m.off = off;
	m.fd = fd;
	if (evq_maplist_add(&w->spans, &m) != 0) {
		w->err = -ENOMEM;
		return -1;
	}
	return 0;
}

static int
evq_span_walk_cb(const struct rte_memseg_list *msl, const struct rte_memseg *ms, void *arg)
{
	if (msl->external)
		return 0;	/* memory the application registered: not ours to share */
	return evq_span_add_seg(arg, ms);
}

/* Spans of the allocated segments within [va, va + len) (holes skipped). */
static int
evq_span_walk_range(struct evq_span_walk *w, uint64_t va, uint64_t len)
{
	uint64_t end = va + len;

	while (va < end) {
		struct rte_memseg_list *msl = rte_mem_virt2memseg_list((void *)(uintptr_t)va);
		uint64_t base;
		int idx;

		if (msl == NULL || msl->external || msl->page_sz == 0)
			return 0;
		base = (uint64_t)(uintptr_t)msl->base_va;
		idx = (int)((va - base) / msl->page_sz);
		if (rte_fbarray_is_used(&msl->memseg_arr, idx) == 1) {
			const struct rte_memseg *ms = rte_fbarray_get(&msl->memseg_arr, idx);

			if (ms != NULL && evq_span_add_seg(w, ms) != 0)
				return w->err;
		}
		va = base + (uint64_t)(idx + 1) * msl->page_sz;
	}
	return 0;
}

/* Map spans; the caller holds map_lock. */
static int
evq_vfu_map_spans(struct evq_vfu_tp *tp, const struct evq_vfu_maplist *spans)
{
	struct evq_adapter *ad = tp->ad;
	unsigned int i;
	int ret;

	if (tp->maps.n + spans->n > tp->max_maps) {
		EVQ_DEV_LOG(ERR, ad, "DPDK memory is %u separate file mappings and the adapter "
				"accepts at most %u DMA maps (%u in use): add --single-file-segments "
				"(hugepages, without --legacy-mem) or use --no-huge",
				spans->n, tp->max_maps, tp->maps.n);
		return -ENOSPC;
	}
	for (i = 0; i < spans->n; i++) {
		const struct evq_vfu_map *m = &spans->v[i];

		ret = evq_vfu_ok(evq_vfu_client_dma_map(&tp->conn, m->fd, m->off, m->va, m->len,
				EVQ_VFU_DMA_F_READ | EVQ_VFU_DMA_F_WRITE));
		if (ret != 0) {
			EVQ_DEV_LOG(ERR, ad, "the adapter refused DMA_MAP of %" PRIu64 " bytes at "
					"0x%" PRIx64 " (file offset 0x%" PRIx64 "): %s",
					m->len, m->va, m->off, strerror(-ret));
			return ret;
		}
		ret = evq_maplist_add(&tp->maps, m);
		if (ret != 0)
			return ret;
		EVQ_DEV_LOG(DEBUG, ad, "DMA_MAP 0x%" PRIx64 "+0x%" PRIx64 " fd %d off 0x%" PRIx64,
				m->va, m->len, m->fd, m->off);
	}
	return 0;
}

static int
evq_vfu_map_all_memory(struct evq_vfu_tp *tp)
{
	struct evq_span_walk w = { .ad = tp->ad };
	int ret;

	rte_mcfg_mem_read_lock();
	ret = rte_memseg_walk_thread_unsafe(evq_span_walk_cb, &w);
	rte_mcfg_mem_read_unlock();
	if (ret < 0) {
		free(w.spans.v);
		return w.err != 0 ? w.err : -EIO;
	}
	pthread_mutex_lock(&tp->map_lock);
	ret = evq_vfu_map_spans(tp, &w.spans);
	pthread_mutex_unlock(&tp->map_lock);
	if (ret == 0)
		EVQ_DEV_LOG(INFO, tp->ad, "%u DMA map(s) cover the DPDK memory", tp->maps.n);
	free(w.spans.v);
	return ret;
}

/*
 * Memory hotplug (called with the memory lock held, by whichever thread
 * allocates or frees): map new segments; on free, unmap every map that
 * overlaps the range (maps must be unmapped exactly) and map again what
 * of them stays allocated.
 */
static void
evq_vfu_mem_event(enum rte_mem_event type, const void *addr, size_t len, void *arg)
{
	struct evq_vfu_tp *tp = arg;
	struct evq_adapter *ad = tp->ad;
	uint64_t va = (uint64_t)(uintptr_t)addr;
	struct evq_span_walk w = { .ad = ad };
	unsigned int i;
	int ret = 0;

	if (ad->removed || !tp->conn_open)
		return;
	pthread_mutex_lock(&tp->map_lock);
	if (type == RTE_MEM_EVENT_ALLOC) {
		ret = evq_span_walk_range(&w, va, len);
		if (ret == 0)
			ret = evq_vfu_map_spans(tp, &w.spans);
	} else {
		w.skip_va = va;
		w.skip_len = len;
		for (i = 0; i < tp->maps.n && ret == 0; ) {
			struct evq_vfu_map m = tp->maps.v[i];

			if (m.va + m.len <= va || m.va >= va + len) {
				i++;
				continue;
			}
			ret = evq_vfu_ok(evq_vfu_client_dma_unmap(&tp->conn, m.va, m.len, 0));
			evq_maplist_del(&tp->maps, i);
			if (ret == 0)
				ret = evq_span_walk_range(&w, m.va, m.len);
		}
		if (ret == 0)
			ret = evq_vfu_map_spans(tp, &w.spans);
	}
	pthread_mutex_unlock(&tp->map_lock);
	free(w.spans.v);
	if (ret != 0)
		EVQ_DEV_LOG(ERR, ad, "following a memory %s of %zu bytes at %p failed (%s): "
				"the adapter may fault on that memory",
				type == RTE_MEM_EVENT_ALLOC ? "allocation" : "release", len,
				addr, strerror(-ret));
}

/* ------------------------------------------------------------------ */
/* removal watch                                                      */
/* ------------------------------------------------------------------ */

static void
evq_vfu_rmv_cb(void *arg)
{
	struct evq_adapter *ad = arg;
	struct evq_vfu_tp *tp = evq_vfu_tp_of(ad);
	struct epoll_event ev;

	if (tp == NULL || tp->rmv_epfd < 0)
		return;
	if (epoll_wait(tp->rmv_epfd, &ev, 1, 0) <= 0)
		return;
	/* Level-triggered: stop watching, or this would fire forever. */
	epoll_ctl(tp->rmv_epfd, EPOLL_CTL_DEL, tp->conn.fd, NULL);
	evq_dev_removed(ad, "the adapter closed the vfio-user connection");
}

static int
evq_vfu_rmv_watch(struct evq_adapter *ad, struct evq_vfu_tp *tp)
{
	struct epoll_event ev = { .events = EPOLLRDHUP };
	int ret;

	tp->rmv_epfd = epoll_create1(EPOLL_CLOEXEC);
	if (tp->rmv_epfd < 0)
		return -errno;
	/* Only hang-up (EPOLLHUP/EPOLLERR are implicit), never replies. */
	if (epoll_ctl(tp->rmv_epfd, EPOLL_CTL_ADD, tp->conn.fd, &ev) != 0)
		return -errno;
	tp->rmv_handle = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (tp->rmv_handle == NULL)
		return -ENOMEM;
	if (rte_intr_type_set(tp->rmv_handle, RTE_INTR_HANDLE_EXT) != 0 ||
			rte_intr_fd_set(tp->rmv_handle, tp->rmv_epfd) != 0)
		return -rte_errno;
	ret = rte_intr_callback_register(tp->rmv_handle, evq_vfu_rmv_cb, ad);
	if (ret != 0)
		return ret;
	tp->rmv_registered = true;
	return 0;
}

/* ------------------------------------------------------------------ */
/* connection                                                         */
/* ------------------------------------------------------------------ */

static int
evq_vfu_connect(struct evq_adapter *ad, struct evq_vfu_tp *tp)
{
	const char *path = ad->args.socket;
	struct evq_vfu_caps offer;
	struct stat st;
	int fd, ret;

	fd = evq_vfu_client_connect(path);
	if (fd < 0) {
		switch (fd) {
		case -ENOENT:
			EVQ_DEV_LOG(ERR, ad, "vfio-user socket %s does not exist: start the "
					"adapter first (build/app/evq-sim/evq-sim) or fix "
					"socket=<path>", path);
			break;
		case -ECONNREFUSED:
			if (stat(path, &st) == 0 && !S_ISSOCK(st.st_mode))
				EVQ_DEV_LOG(ERR, ad, "%s is not a socket: fix socket=<path>", path);
			else
				EVQ_DEV_LOG(ERR, ad, "nobody listens on %s (the adapter exited "
						"and left a stale socket?): restart the adapter",
						path);
			break;
		case -EACCES:
		case -EPERM:
			EVQ_DEV_LOG(ERR, ad, "no permission to connect to %s", path);
			break;
		case -ENOTSOCK:
			EVQ_DEV_LOG(ERR, ad, "%s is not a socket", path);
			break;
		default:
			EVQ_DEV_LOG(ERR, ad, "cannot connect to %s: %s", path, strerror(-fd));
			break;
		}
		return fd;
	}
	ret = evq_vfu_ok(evq_vfu_client_conn_init(&tp->conn, fd));
	if (ret != 0) {
		close(fd);
		EVQ_DEV_LOG(ERR, ad, "vfio-user connection setup failed: %s", strerror(-ret));
		return ret;
	}
	tp->conn_open = true;
	evq_vfu_caps_default(&offer);
	offer.max_msg_fds = EVQ_VFU_OFFER_FDS;
	offer.max_data_xfer_size = EVQ_VFU_OFFER_XFER;
	offer.max_dma_maps = EVQ_VFU_OFFER_MAPS;
	ret = evq_vfu_ok(evq_vfu_client_negotiate(&tp->conn, &offer));
	if (ret != 0) {
		EVQ_DEV_LOG(ERR, ad, "the adapter at %s refused the vfio-user VERSION "
				"handshake: %s", path, strerror(-ret));
		return ret;
	}
	tp->max_maps = tp->conn.caps.max_dma_maps;
	return 0;
}

/* Config space: our device? then memory space + bus master on. */
static int
evq_vfu_check_pci(struct evq_adapter *ad, struct evq_vfu_tp *tp)
{
	uint32_t cfg[16], cmd;
	uint16_t vendor, device;
	int ret;

	ret = evq_vfu_client_region_read(&tp->conn, VFIO_PCI_CONFIG_REGION_INDEX, 0,
			cfg, sizeof(cfg));
	if (ret < 0) {
		EVQ_DEV_LOG(ERR, ad, "cannot read the config space: %s", strerror(-ret));
		return ret;
	}
	vendor = (uint16_t)(rte_le_to_cpu_32(cfg[0]) & 0xffff);
	device = (uint16_t)(rte_le_to_cpu_32(cfg[0]) >> 16);
	if (vendor != EVQ_PCI_VENDOR_ID || device != EVQ_PCI_DEVICE_ID) {
		EVQ_DEV_LOG(ERR, ad, "the device at %s is %04x:%04x, not an evq adapter "
				"(%04x:%04x)", ad->args.socket, vendor, device,
				EVQ_PCI_VENDOR_ID, EVQ_PCI_DEVICE_ID);
		return -ENODEV;
	}
	/* Command register (low half of dword 1); leave status (W1C) alone. */
	cmd = (rte_le_to_cpu_32(cfg[1]) & 0xffff) | 0x0002 | 0x0004;
	cmd = rte_cpu_to_le_32(cmd);
	ret = evq_vfu_client_region_write(&tp->conn, VFIO_PCI_CONFIG_REGION_INDEX, 4,
			&cmd, sizeof(cmd));
	if (ret < 0)
		EVQ_DEV_LOG(WARNING, ad, "cannot enable memory space/bus master: %s",
				strerror(-ret));
	return 0;
}

static int
evq_vfu_regions(struct evq_adapter *ad, struct evq_vfu_tp *tp)
{
	struct evq_vfu_device_info info;
	struct evq_vfu_region bar0, bar2;
	struct vfio_irq_info irq;
	uint64_t map_off = 0;
	bool found = false;
	uint32_t i;
	void *p;
	int ret;

	ret = evq_vfu_ok(evq_vfu_client_get_device_info(&tp->conn, &info));
	if (ret != 0) {
		EVQ_DEV_LOG(ERR, ad, "DEVICE_GET_INFO failed: %s", strerror(-ret));
		return ret;
	}
	if (!(info.flags & EVQ_VFU_DEV_F_PCI) ||
			info.num_regions <= VFIO_PCI_CONFIG_REGION_INDEX ||
			info.num_irqs <= VFIO_PCI_MSIX_IRQ_INDEX) {
		EVQ_DEV_LOG(ERR, ad, "the device is not a PCI function with BARs, config space "
				"and MSI-X (flags 0x%x, %u regions, %u IRQ types)", info.flags,
				info.num_regions, info.num_irqs);
		return -ENODEV;
	}
	ret = evq_vfu_check_pci(ad, tp);
	if (ret != 0)
		return ret;

	memset(&bar0, 0, sizeof(bar0));
	bar0.fd = -1;
	ret = evq_vfu_ok(evq_vfu_client_get_region_info(&tp->conn,
			VFIO_PCI_BAR0_REGION_INDEX, &bar0));
	if (bar0.fd >= 0)
		close(bar0.fd);	/* trapped: we never map BAR0 */
	if (ret != 0 || bar0.info.size < EVQ_BAR0_SIZE ||
			(bar0.info.flags & (VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE)) !=
			(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE)) {
		EVQ_DEV_LOG(ERR, ad, "BAR0 unusable (%s, %" PRIu64 " bytes, flags 0x%x)",
				ret != 0 ? strerror(-ret) : "ok", (uint64_t)bar0.info.size,
				bar0.info.flags);
		return ret != 0 ? ret : -ENODEV;
	}

	memset(&bar2, 0, sizeof(bar2));
	bar2.fd = -1;
	ret = evq_vfu_ok(evq_vfu_client_get_region_info(&tp->conn,
			VFIO_PCI_BAR2_REGION_INDEX, &bar2));
	if (ret != 0) {
		EVQ_DEV_LOG(ERR, ad, "BAR2 region info failed: %s", strerror(-ret));
		return ret;
	}
	if (!(bar2.info.flags & VFIO_REGION_INFO_FLAG_MMAP) || bar2.fd < 0 ||
			bar2.info.size < EVQ_BAR2_SIZE) {
		EVQ_DEV_LOG(ERR, ad, "the adapter does not offer its doorbell page (BAR2, %u "
				"bytes) for mmap: the datapath cannot run without it",
				EVQ_BAR2_SIZE);
		ret = -ENOTSUP;
		goto out;
	}
	if (bar2.nr_areas == 0) {
		found = true;	/* the whole region is mappable */
	} else {
		for (i = 0; i < bar2.nr_areas; i++) {
			if (bar2.areas[i].offset == 0 && bar2.areas[i].size >= EVQ_BAR2_SIZE) {
				found = true;
				break;
			}
		}
	}
	if (!found) {
		EVQ_DEV_LOG(ERR, ad, "no sparse-mmap area covers the doorbell page");
		ret = -ENOTSUP;
		goto out;
	}
	map_off = bar2.info.offset;
	p = mmap(NULL, EVQ_BAR2_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, bar2.fd,
			(off_t)map_off);
	if (p == MAP_FAILED) {
		ret = -errno;
		EVQ_DEV_LOG(ERR, ad, "mmap of the doorbell page failed: %s", strerror(-ret));
		goto out;
	}
	tp->bar2 = p;
	tp->bar2_len = EVQ_BAR2_SIZE;
	tp->bar2_off = map_off;

	ret = evq_vfu_ok(evq_vfu_client_get_irq_info(&tp->conn,
			VFIO_PCI_INTX_IRQ_INDEX, &irq));
	tp->has_intx = ret == 0 && irq.count >= 1 && (irq.flags & VFIO_IRQ_INFO_EVENTFD);
	ret = evq_vfu_ok(evq_vfu_client_get_irq_info(&tp->conn,
			VFIO_PCI_MSIX_IRQ_INDEX, &irq));
	if (ret == 0 && (irq.flags & VFIO_IRQ_INFO_EVENTFD))
		tp->msix_count = RTE_MIN(irq.count, (uint32_t)EVQ_MSIX_VECTORS);
	if (tp->msix_count == 0 && !tp->has_intx) {
		EVQ_DEV_LOG(ERR, ad, "the adapter offers neither MSI-X vectors nor INTx "
				"with an eventfd (%s)", ret != 0 ? strerror(-ret) : "count 0");
		ret = ret != 0 ? ret : -ENOTSUP;
		goto out;
	}
	if (tp->msix_count == 0)
		EVQ_DEV_LOG(INFO, ad, "the adapter offers no MSI-X vector: every interrupt "
				"is INTx");
	ret = 0;
out:
	if (ret == 0 && bar2.fd >= 0)
		tp->bar2_fd = bar2.fd;	/* secondary processes map it too */
	else
		close(bar2.fd);
	return ret;
}

static void
evq_vfu_tp_free(struct evq_adapter *ad, struct evq_vfu_tp *tp)
{
	if (tp->rmv_registered) {
		evq_intr_unregister(tp->rmv_handle, evq_vfu_rmv_cb, ad);
		tp->rmv_registered = false;
	}
	rte_intr_instance_free(tp->rmv_handle);
	tp->rmv_handle = NULL;
	if (tp->rmv_epfd >= 0)
		close(tp->rmv_epfd);
	tp->rmv_epfd = -1;
	if (tp->mem_cb_registered)
		rte_mem_event_callback_unregister(tp->mem_cb_name, tp);
	tp->mem_cb_registered = false;
	if (tp->bar2 != NULL)
		munmap(tp->bar2, tp->bar2_len);
	tp->bar2 = NULL;
	if (tp->bar2_fd >= 0)
		close(tp->bar2_fd);
	tp->bar2_fd = -1;
	/* Closing the connection makes the adapter drop our maps and fds. */
	if (tp->conn_open)
		evq_vfu_client_conn_close(&tp->conn);
	tp->conn_open = false;
	free(tp->maps.v);
	pthread_mutex_destroy(&tp->map_lock);
	free(tp);
}

static int
evq_vfu_open(struct evq_adapter *ad, struct evq_vfu_tp **out)
{
	struct evq_vfu_tp *tp;
	int ret;

	tp = calloc(1, sizeof(*tp));
	if (tp == NULL)
		return -ENOMEM;
	tp->ad = ad;
	tp->rmv_epfd = -1;
	tp->bar2_fd = -1;
	pthread_mutex_init(&tp->map_lock, NULL);
	evq_vfu_intr_init(&tp->vintr);
	ad->tp = tp;
	ad->tp_ops = &evq_vfu_ops;

	ret = evq_vfu_connect(ad, tp);
	if (ret == 0)
		ret = evq_vfu_regions(ad, tp);
	if (ret == 0)
		ret = evq_vfu_map_all_memory(tp);
	if (ret == 0) {
		snprintf(tp->mem_cb_name, sizeof(tp->mem_cb_name), "evq_dma_%s", ad->name);
		if (rte_mem_event_callback_register(tp->mem_cb_name, evq_vfu_mem_event, tp) == 0)
			tp->mem_cb_registered = true;
		else if (rte_errno != ENOTSUP)
			EVQ_DEV_LOG(WARNING, ad, "cannot follow memory hotplug (%s): memory "
					"allocated later is not shared with the adapter",
					rte_strerror(rte_errno));
	}
	if (ret != 0) {
		evq_vfu_tp_free(ad, tp);
		ad->tp = NULL;
		return ret;
	}
	ad->dbpage = tp->bar2;
	ad->iova_is_va = true;
	ad->msix_vectors = tp->msix_count;
	*out = tp;
	return 0;
}

/* ------------------------------------------------------------------ */
/* vdev driver                                                        */
/* ------------------------------------------------------------------ */

/*
 * A secondary process attaches to the port its primary made: the shared
 * ethdev data, this process's mapping of the doorbell page and the Rx
 * interrupt eventfds (evq_mp.c). It does not connect to the adapter.
 */
static int
evq_vdev_probe_secondary(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct rte_eth_dev *eth_dev;
	int ret;

	eth_dev = rte_eth_dev_attach_secondary(name);
	if (eth_dev == NULL) {
		EVQ_PMD_LOG(ERR, "%s: the primary process has no such port", name);
		return -ENODEV;
	}
	eth_dev->device = &vdev->device;
	ret = evq_mp_attach(eth_dev);
	if (ret != 0) {
		rte_eth_dev_release_port(eth_dev);
		return ret;
	}
	evq_secondary_init(eth_dev);
	rte_eth_dev_probing_finish(eth_dev);
	return 0;
}

static int
evq_vdev_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct rte_eth_dev *eth_dev;
	struct evq_adapter *ad;
	struct evq_devargs da;
	struct evq_vfu_tp *tp;
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return evq_vdev_probe_secondary(vdev);
	ret = evq_devargs_parse(rte_vdev_device_args(vdev), &da, name);
	if (ret != 0)
		return ret;
	if (da.socket[0] == '\0') {
		EVQ_PMD_LOG(ERR, "%s: devarg socket=<path> is required (the adapter's "
				"vfio-user socket), e.g. --vdev %s,socket=/run/evq0.sock",
				name, name);
		return -EINVAL;
	}
	eth_dev = rte_eth_vdev_allocate(vdev, sizeof(struct evq_adapter));
	if (eth_dev == NULL) {
		EVQ_PMD_LOG(ERR, "%s: cannot allocate the ethdev", name);
		return -ENOMEM;
	}
	ad = evq_adapter_of(eth_dev);
	strlcpy(ad->name, name, sizeof(ad->name));
	ad->args = da;
	ad->eth_dev = eth_dev;
	ad->port_id = eth_dev->data->port_id;

	ret = evq_vfu_open(ad, &tp);
	if (ret != 0)
		goto fail_release;
	ret = evq_adapter_init(eth_dev);
	if (ret == 0)
		ret = evq_vfu_rmv_watch(ad, tp);
	if (ret == 0)
		ret = evq_mp_primary_register();
	if (ret != 0) {
		EVQ_DEV_LOG(ERR, ad, "probe failed: %s", strerror(-ret));
		evq_adapter_uninit(eth_dev);
		evq_vfu_intr_teardown(ad);
		evq_vfu_close(ad);
		goto fail_release;
	}
	rte_eth_dev_probing_finish(eth_dev);
	EVQ_DEV_LOG(INFO, ad, "port %u on %s, MAC " RTE_ETHER_ADDR_PRT_FMT, ad->port_id,
			ad->args.socket, RTE_ETHER_ADDR_BYTES(&eth_dev->data->mac_addrs[0]));
	return 0;
fail_release:
	ad->closed = true;
	rte_eth_dev_release_port(eth_dev);
	return ret;
}

static int
evq_vdev_remove(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *eth_dev = rte_eth_dev_allocated(rte_vdev_device_name(vdev));

	if (eth_dev == NULL)
		return 0;	/* already closed */
	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		/* the port stays the primary's: drop this process's hold */
		evq_mp_detach(eth_dev);
		return rte_eth_dev_release_port(eth_dev);
	}
	if (eth_dev->data->dev_started)
		rte_eth_dev_stop(eth_dev->data->port_id);
	return rte_eth_dev_close(eth_dev->data->port_id);
}

static struct rte_vdev_driver evq_vdev_driver = {
	.probe = evq_vdev_probe,
	.remove = evq_vdev_remove,
};

RTE_PMD_REGISTER_VDEV(net_evq, evq_vdev_driver);
RTE_PMD_REGISTER_PARAM_STRING(net_evq,
	EVQ_DEVARG_SOCKET "=<path> "
	EVQ_DEVARG_MAC "=<mac> "
	EVQ_DEVARG_EQ0_SIZE "=<entries> "
	EVQ_DEVARG_EQ_SIZE "=<entries> "
	EVQ_DEVARG_INTR_DELAY "=<ns> "
	EVQ_DEVARG_TX_COAL "=<descriptors> "
	EVQ_DEVARG_READ_PUBLISH "=<events> "
	EVQ_DEVARG_INTR_MODE "=armed|timestamp "
	EVQ_DEVARG_EQ_LAYOUT "=queue|lcore|single "
	EVQ_DEVARG_EQ_VALIDITY "=clear|phase");
