/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_ethdev.h: the PMD's private structures (adapter, RX/TX queues, event
 * queues) and the functions the driver's files share. The hardware
 * contract itself is lib/evq_hw/evq_hw.h; the event-ring mechanics are
 * lib/evq_ring; nothing here redefines either.
 */

#ifndef EVQ_ETHDEV_H
#define EVQ_ETHDEV_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <ethdev_driver.h>
#include <rte_io.h>
#include <rte_per_lcore.h>
#include <rte_prefetch.h>
#include <rte_spinlock.h>

#include "evq_compat.h"
#include "evq_hw.h"
#include "evq_ring.h"
#include "evq_transport.h"
#include "evq_logs.h"

/* Devargs (vdev): see RTE_PMD_REGISTER_PARAM_STRING in evq_vfio_user_ethdev.c. */
#define EVQ_DEVARG_SOCKET	"socket"
#define EVQ_DEVARG_MAC		"mac"
#define EVQ_DEVARG_EQ0_SIZE	"eq0_size"
#define EVQ_DEVARG_EQ_SIZE	"eq_size"
#define EVQ_DEVARG_INTR_DELAY	"intr_delay_ns"
#define EVQ_DEVARG_TX_COAL	"tx_coal"
#define EVQ_DEVARG_READ_PUBLISH	"read_publish"
#define EVQ_DEVARG_INTR_MODE	"intr_mode"
#define EVQ_DEVARG_EQ_LAYOUT	"eq_layout"
#define EVQ_DEVARG_EQ_VALIDITY	"eq_validity"

#define EVQ_EQ0_SIZE_DEFAULT	256
#define EVQ_TS_READ_PUBLISH	32	/* read_publish default with intr_mode=timestamp */
#define EVQ_PHASE_READ_PUBLISH	64	/* read_publish default with eq_validity=phase */
#define EVQ_RX_FREE_THRESH	32	/* refill in batches of this many */
#define EVQ_RX_REFILL_CHUNK	64	/* mbufs per mempool get while refilling */
#define EVQ_RX_BURST_MAX	64	/* events examined per rx_burst call */
#define EVQ_TX_EVENTS_MAX	64	/* TX events handled per tx_burst call */

/*
 * Event-queue layouts (devarg eq_layout; the message-vector map follows):
 *  QUEUE   each Rx and each Tx queue its own EQ (the default);
 *  LCORE   Rx queue q and Tx queue q share EQ 1 + q: the per-lcore event
 *          ring of a run-to-completion lcore that serves the queue pair;
 *  SINGLE  one EQ (EQ 1) for every queue, for the fewest vectors.
 * A shared EQ has one consumer: the queues on it are polled by one lcore
 * (checked in debug builds, RTE_ETHDEV_DEBUG_RX/TX). rx_burst consumes the
 * Tx completions it meets (they set the Tx queue's done count) and stops
 * at another Rx queue's event; tx_burst takes Tx completions and stops at
 * an Rx event, which rx_burst takes.
 */
enum evq_eq_layout {
	EVQ_LAYOUT_QUEUE,
	EVQ_LAYOUT_LCORE,
	EVQ_LAYOUT_SINGLE,
};

/* Options shared by both transports (devargs for the vdev, defaults else). */
struct evq_devargs {
	char socket[108];		/* sun_path size */
	bool have_mac;
	struct rte_ether_addr mac;
	uint32_t eq0_size;		/* entries of EQ 0 */
	uint32_t eq_size;		/* entries of each queue EQ; 0 = 2 x descriptors */
	uint32_t intr_delay_ns;		/* RX EQ moderation (next-interrupt delay) */
	uint32_t tx_coal;		/* TX completion threshold; 0 = device default */
	uint32_t read_publish;		/* lazy read-indicator update interval; with
					 * eq_validity=phase 0 = the default */
	bool intr_timestamp;		/* Rx EQs in the adapter's time-stamp mode */
	enum evq_eq_layout layout;
	/* validity rule of the queue EQs (EQ 0 keeps the clear rule:
	 * evq_eq_validity()) */
	enum evq_ring_validity eq_validity;
};

/* An adapter interrupt that serves several EQs (SHARED, INTX modes below). */
struct evq_irq_source {
	struct evq_adapter *ad;
	struct rte_intr_handle *h;	/* EXT handle on fd, in the interrupt thread */
	int fd;				/* the transport's; not closed here */
	uint64_t eqs;			/* EQs that signal through it */
	bool registered;
};

/* One event queue as the driver consumes it. */
struct evq_eq {
	struct evq_ring_cons cons;	/* hot: polled by the owner */
	const struct rte_memzone *mz;
	uint32_t size;
	uint32_t ctrl_flags;		/* EVQ_EQ_CTRL_* written with ENABLE (SSUM, ...) */
	uint16_t num;
	bool defined;
	/* overflow recovery (evq_intr.c): pending/stop under the eq0_lock */
	bool ovf_pending;		/* an EVQ_EV_EQ_OVERFLOW awaits recovery */
	uint32_t ovf_stop;		/* write count where the adapter stopped */
	uint32_t grow_max;		/* recovery doubles the ring up to this */
	uint32_t lost_seen;		/* EVQ_EQ_LOST when last read */
	uint16_t generation;		/* rings allocated so far (memzone names) */
	uint16_t qid;
	const char *what;		/* "rxq", "txq", "global" */
	int socket_id;
	const struct rte_memzone *spare_mz;	/* the next ring, while recovery waits */
	const struct rte_memzone *retired_mz;	/* the ring before the last recovery */
	unsigned int dbg_lcore;		/* debug builds: the lcore consuming it */
};

/*
 * Every event the driver consumes is EVQ_EVENT_SIZE bytes (evq_eq_define()
 * attaches every EQ so): the fast paths use evq_ring_peek_fixed() and
 * evq_ring_consume_fixed() with this constant.
 */
#define EVQ_EQ_ES	EVQ_EVENT_SIZE

/*
 * How Rx queue interrupts reach their waiters (datasheet "INTx and the
 * fallback rule"), chosen at configure from the MSI-X vectors V the
 * transport grants and the R Rx EQs (one per Rx queue; 1 with
 * eq_layout=single):
 *  DIRECT  V >= R + 1: Rx EQ i has vector 1 + i; the adapter writes the
 *          eventfd the application waits on;
 *  SHARED  2 <= V < R + 1: Rx EQ i signals vector 1 + i % (V - 1);
 *  INTX    V < 2: the Rx EQs signal the legacy interrupt (with no vector
 *          at all, EQ 0 does too).
 * In SHARED and INTX one adapter interrupt serves several EQs. The driver's
 * handler for it (interrupt thread) reads the summary line, which the
 * adapter writes in host memory, to learn which EQs posted, and wakes each
 * armed queue among them through the queue's own eventfd: the application
 * always gets one eventfd per Rx queue, and no register is read.
 */
enum evq_irq_mode {
	EVQ_IRQ_MSIX_DIRECT,
	EVQ_IRQ_MSIX_SHARED,
	EVQ_IRQ_INTX,
};

struct evq_rxq_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t errors;		/* frames the adapter flagged bad (EVQ_RX_F_ERROR) */
	uint64_t malformed;		/* frames dropped: their events disagree (evq_recv_pkts) */
	uint64_t stray_events;		/* Rx events for no posted descriptor or no started queue */
	uint64_t nombuf;		/* refill allocation failures */
	uint64_t events;		/* EQ entries consumed */
	uint64_t other_events;		/* entries with a code an Rx EQ never carries */
	uint64_t tail_doorbells;	/* RX tail stores */
	uint64_t arms;			/* rx_queue_intr_enable: one doorbell store */
	uint64_t wakeups;		/* intr_disable with work pending */
	uint64_t spurious_wakeups;	/* intr_disable with nothing pending */
	uint64_t eq_overflows;		/* EQ overflows recovered */
	uint64_t eq_lost;		/* events the adapter could not post */
};

struct evq_rx_queue {
	/* hot: rx_burst. The queue's EQ first: its consumer state is what
	 * rx_burst reads and writes on every call. */
	struct evq_eq eq;
	/* NULL, or the EQ it consumes in a shared layout (evq_rxq_eq()) */
	struct evq_eq *shared_eq;
	struct evq_rx_desc *ring;	/* ordered by the tail store barrier */
	struct rte_mbuf **sw_ring;
	volatile uint32_t *tail_db;	/* in the doorbell page */
	uint32_t mask;
	uint32_t next;			/* running count of the next descriptor to complete */
	uint32_t tail;			/* running count of descriptors posted */
	uint16_t nb_desc;
	uint16_t free_thresh;
	uint16_t port_id;
	uint16_t buf_len;		/* written into each descriptor */
	bool iova_is_va;
	bool started;			/* rx_burst refills only a started queue */
	uint64_t ol_flags_mask;		/* offloads the application asked for */
	uint64_t ts_flag;		/* Rx time stamp dynamic flag; 0 = off */
	uint64_t ts_now;		/* arrival time of the current batch */
	int ts_offset;			/* the time stamp's dynamic field */
	struct rte_mempool *mp;
	struct rte_mbuf *pkt_first;	/* frame spanning descriptors, in progress */
	struct rte_mbuf *pkt_last;
	uint16_t pkt_want;		/* its pkt_len, as its first event says */
	bool pkt_drop;			/* dropping a bad frame's segments up to its EOP */
	struct evq_rxq_stats stats;
	/* cold */
	struct evq_adapter *ad;
	const struct rte_memzone *ring_mz;
	uint16_t queue_id;
	uint64_t offloads;
	bool scatter;
	bool deferred_start;
	bool armed;			/* intr_enable seen and not yet disabled */
};

struct evq_txq_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t dropped;		/* packets rejected before the ring (too many segments) */
	uint64_t events;
	uint64_t other_events;
	uint64_t tail_doorbells;
	uint64_t ring_full;		/* packets refused: the ring was full */
	uint64_t bad_completions;	/* Tx events ignored: bad done count, queue not on this EQ */
	uint64_t eq_overflows;		/* EQ overflows recovered */
	uint64_t eq_lost;		/* events the adapter could not post */
};

struct evq_tx_queue {
	/* hot: tx_burst, the queue's EQ first (as in struct evq_rx_queue) */
	struct evq_eq eq;
	/* NULL, or the Rx queue's EQ it consumes in a shared layout */
	struct evq_eq *shared_eq;
	struct evq_tx_desc *ring;
	struct rte_mbuf **sw_ring;	/* one entry per descriptor (segment) */
	volatile uint32_t *tail_db;
	uint32_t mask;
	uint32_t tail;			/* running count of descriptors posted */
	uint32_t clean;			/* running count of descriptors freed */
	uint32_t done;			/* running count the device completed */
	uint16_t nb_desc;
	uint16_t port_id;
	bool iova_is_va;
	bool fast_free;			/* RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE */
	struct rte_mempool *fast_free_mp;	/* the one pool fast free returns to */
	struct evq_txq_stats stats;
	/* cold */
	struct evq_adapter *ad;
	const struct rte_memzone *ring_mz;
	uint16_t queue_id;
	uint64_t offloads;
	bool deferred_start;
	bool started;
};

/*
 * The EQ a queue consumes. Each queue embeds an EQ at its start and owns
 * it. In the per-queue layout (the default) that is the EQ it polls and
 * shared_eq is NULL. In the shared layouts (eq_layout=lcore|single)
 * several queues consume one EQ: the one embedded in its owner, Rx queue q
 * (lcore) or Rx queue 0 (single), and shared_eq points at it in every
 * queue on it, the owner's included (set at start, evq_layout_bind()); the
 * embedded EQs of the other queues then stay unused. Why not a pointer in
 * every layout: the default fast path reads its consumer state at a fixed
 * offset of the queue, on the line it already holds, without a dependent
 * load; the shared layouts pay one well-predicted test (or conditional
 * move) per burst.
 */
static __rte_always_inline struct evq_eq *
evq_rxq_eq(struct evq_rx_queue *rxq)
{
	return likely(rxq->shared_eq == NULL) ? &rxq->eq : rxq->shared_eq;
}

static __rte_always_inline struct evq_eq *
evq_txq_eq(struct evq_tx_queue *txq)
{
	return likely(txq->shared_eq == NULL) ? &txq->eq : txq->shared_eq;
}

/*
 * Ask for the cache line of the EQ's next entry without waiting for it:
 * the adapter's core has most likely just written it, and the transfer
 * can overlap other work before the entry is read.
 */
static __rte_always_inline void
evq_eq_prefetch(const struct evq_eq *eq)
{
	const struct evq_ring_cons *c = &eq->cons;

	rte_prefetch0(c->base + (size_t)(c->read & c->mask) * EVQ_EQ_ES);
}

/* Driver-side counters of EQ 0 and the interrupt/removal machinery. */
struct evq_global_stats {
	uint64_t eq0_events;
	uint64_t eq0_interrupts;	/* vector-0 wake-ups */
	uint64_t eq0_spurious;		/* vector-0 wake-ups that found nothing */
	uint64_t eq0_arms;
	uint64_t link_events;
	uint64_t dev_errors;
	uint64_t eq_overflows;
	uint64_t admin_events;
	uint64_t other_events;
	uint64_t shared_irqs;		/* shared-interrupt handler runs (SHARED/INTX) */
	uint64_t shared_irq_wakeups;	/* Rx queue wake-ups it forwarded */
	uint64_t shared_irq_empty;	/* runs that found no armed EQ with work */
};

struct evq_adapter {
	char name[RTE_ETH_NAME_MAX_LEN];
	struct rte_eth_dev *eth_dev;
	uint16_t port_id;

	/* transport */
	const struct evq_transport_ops *tp_ops;
	void *tp;			/* transport private */
	uint8_t *dbpage;		/* BAR2, EVQ_BAR2_SIZE bytes */
	bool iova_is_va;		/* DMA address = virtual address */
	uint32_t msix_vectors;		/* granted by the transport */

	struct evq_devargs args;

	/* device identity and limits (read at init) */
	uint32_t version;
	uint32_t fw_version;
	uint32_t caps;
	uint16_t hw_max_rxq, hw_max_txq;
	uint16_t max_eqs;
	uint16_t max_rxq, max_txq;	/* what dev_infos reports (EQ budget) */
	uint16_t reta_size;
	uint8_t key_size;
	uint32_t hash_types;		/* EVQ_RSS_HASH_* the device supports */
	uint32_t desc_min, desc_max;
	uint32_t eq_min, eq_max;
	uint8_t perm_mac[RTE_ETHER_ADDR_LEN];

	/* EQ 0: global events, consumed under eq0_lock (interrupt thread and
	 * control path) */
	rte_spinlock_t eq0_lock;
	struct evq_eq eq0;
	struct rte_eth_link link;
	bool lsc_pending;		/* a link change to report from the alarm */
	bool eq0_ctrl_consumed;		/* the control path took EQ 0 entries */
	struct evq_global_stats gstats;

	/* Rx interrupt delivery (evq_intr.c) */
	enum evq_irq_mode irq_mode;	/* decided at configure */
	const struct rte_memzone *summary_mz;
	struct evq_summary_line *summary;	/* secondary line: byte e = EQ e posted */
	rte_spinlock_t demux_lock;	/* demux_rx_eqs against the shared handler */
	uint64_t demux_rx_eqs;		/* Rx EQs it serves: set at start, cleared at stop */
	int rxq_wake_fd[EVQ_MAX_QUEUES];	/* waiter eventfds (SHARED, INTX) */
	struct evq_irq_source irq_src[EVQ_MSIX_VECTORS];	/* SHARED, INTX */
	unsigned int nb_irq_src;
	struct rte_intr_handle *rxq_handle;	/* Rx handle we built (dev->intr_handle) */
	struct rte_intr_handle *tp_intr_handle;	/* dev->intr_handle before it */

	/* RSS state, kept so it can be (re)programmed at start */
	uint8_t reta[EVQ_RETA_SIZE];
	uint8_t rss_key[EVQ_RSS_KEY_SIZE];
	uint32_t rss_ctrl;		/* EVQ_RSS_HASH_* enables */
	bool reta_set_by_user;		/* reta[] is the application's: kept by configure */

	uint16_t admin_tag;
	rte_spinlock_t admin_lock;	/* one admin command at a time */
	uint32_t rx_filter;
	uint32_t vlan_ctrl;		/* EVQ_VLAN_CTRL_* as programmed */
	uint32_t nb_mc;			/* multicast list, kept for start */
	struct rte_ether_addr mc[EVQ_MC_MAC_COUNT];
	bool started;
	bool rxq_intr;			/* RX queue vectors installed */
	volatile bool removed;		/* transport lost: device removal */
	bool closed;
	/* the ID register read EVQ_ID_VALUE: until then nothing is written
	 * to the device (not even a reset), whatever happens */
	bool identified;
};

static inline struct evq_adapter *
evq_adapter_of(const struct rte_eth_dev *dev)
{
	return dev->data->dev_private;
}

/* DMA address of driver memory. */
static inline uint64_t
evq_dma_addr(const struct evq_adapter *ad, const void *va, rte_iova_t iova)
{
	return ad->iova_is_va ? (uint64_t)(uintptr_t)va : (uint64_t)iova;
}

/* RX queue q's EQ by the layout; TX queue q's EQ below (never armed). */
static inline uint16_t
evq_rxq_eq_num(const struct evq_adapter *ad, uint16_t q)
{
	return ad->args.layout == EVQ_LAYOUT_SINGLE ? 1 : (uint16_t)(1 + q);
}

/* Rx EQs that interrupt: one per Rx queue, or one for all (SINGLE), and
 * the index of queue q's among them. */
static inline uint16_t
evq_rx_irq_eqs(const struct evq_adapter *ad, uint16_t nb_rxq)
{
	return ad->args.layout == EVQ_LAYOUT_SINGLE ? RTE_MIN(nb_rxq, 1) : nb_rxq;
}

static inline uint16_t
evq_rx_irq_index(const struct evq_adapter *ad, uint16_t q)
{
	return ad->args.layout == EVQ_LAYOUT_SINGLE ? 0 : q;
}

/*
 * Rx interrupt vectors (datasheet "INTx and the fallback rule"): vector
 * 1 + q while the adapter grants nb_rxq + 1 vectors; with fewer (but at
 * least 2) the queues share vectors 1 .. msix_vectors - 1 round robin.
 * 0 = no vector for Rx queues at all (INTx).
 */
static inline enum evq_irq_mode
evq_irq_mode_for(const struct evq_adapter *ad, uint16_t nb_rxq)
{
	if (ad->msix_vectors < 2)
		return EVQ_IRQ_INTX;
	if (ad->msix_vectors < (uint32_t)evq_rx_irq_eqs(ad, nb_rxq) + 1)
		return EVQ_IRQ_MSIX_SHARED;
	return EVQ_IRQ_MSIX_DIRECT;
}

static inline uint16_t
evq_rxq_nb_vectors(const struct evq_adapter *ad, uint16_t nb_rxq)
{
	if (ad->msix_vectors < 2)
		return 0;
	return (uint16_t)RTE_MIN((uint32_t)evq_rx_irq_eqs(ad, nb_rxq), ad->msix_vectors - 1);
}

static inline uint16_t
evq_rxq_vector(const struct evq_adapter *ad, uint16_t nb_rxq, uint16_t q)
{
	uint16_t nvec = evq_rxq_nb_vectors(ad, nb_rxq);

	return nvec == 0 ? 0 : (uint16_t)(1 + evq_rx_irq_index(ad, q) % nvec);
}

/*
 * The eventfds the application waits on (dev->intr_handle, also handed
 * to secondary processes): DIRECT, one per Rx vector, queue q on index
 * vector - 1 (queues on one EQ share it); SHARED and INTX, one of the
 * driver's own per Rx queue, queue q on index q.
 */
static inline uint16_t
evq_rxq_nb_efds(const struct evq_adapter *ad, uint16_t nb_rxq)
{
	return ad->irq_mode == EVQ_IRQ_MSIX_DIRECT ? evq_rxq_nb_vectors(ad, nb_rxq) : nb_rxq;
}

static inline uint16_t
evq_rxq_efd_index(const struct evq_adapter *ad, uint16_t nb_rxq, uint16_t q)
{
	return ad->irq_mode == EVQ_IRQ_MSIX_DIRECT ?
		(uint16_t)(evq_rxq_vector(ad, nb_rxq, q) - 1) : q;
}

static inline uint16_t
evq_txq_eq_num(const struct evq_adapter *ad, uint16_t q)
{
	switch (ad->args.layout) {
	case EVQ_LAYOUT_LCORE:
		return (uint16_t)(1 + q);
	case EVQ_LAYOUT_SINGLE:
		return 1;
	default:
		return (uint16_t)(1 + ad->max_rxq + q);
	}
}

/*
 * EQ 0 lock (ad->eq0_lock): it guards EQ 0, the link state and the LSC
 * flag between the interrupt thread and the control path. A thread that
 * holds it never accesses a register: over vfio-user a register access is
 * a round trip that may last the I/O timeout, while the interrupt thread
 * spins on the lock. evq_reg_read()/evq_reg_write() refuse it (-EDEADLK)
 * and say so in the log; evq_eq0_lock() keeps the per-thread count they
 * check.
 */
RTE_DECLARE_PER_LCORE(unsigned int, evq_eq0_lock_held);

static inline void
evq_eq0_lock(struct evq_adapter *ad)
{
	rte_spinlock_lock(&ad->eq0_lock);
	RTE_PER_LCORE(evq_eq0_lock_held)++;
}

static inline void
evq_eq0_unlock(struct evq_adapter *ad)
{
	RTE_PER_LCORE(evq_eq0_lock_held)--;
	rte_spinlock_unlock(&ad->eq0_lock);
}

/* ---- evq_ethdev.c: register access and shared helpers ---- */
int evq_reg_read(struct evq_adapter *ad, uint32_t off, void *buf, size_t len);
int evq_reg_write(struct evq_adapter *ad, uint32_t off, const void *buf, size_t len);
int evq_reg_read32(struct evq_adapter *ad, uint32_t off, uint32_t *val);
int evq_reg_write32(struct evq_adapter *ad, uint32_t off, uint32_t val);
int evq_admin(struct evq_adapter *ad, uint8_t opcode, const uint32_t args[EVQ_ADMIN_NARGS],
		uint32_t *result0, uint32_t *result1);
/* Common probe/remove for both transports. */
int evq_adapter_init(struct rte_eth_dev *eth_dev);
void evq_adapter_uninit(struct rte_eth_dev *eth_dev);
void evq_dev_removed(struct evq_adapter *ad, const char *why);
void evq_link_set_from_event(struct evq_adapter *ad, uint32_t status, uint32_t speed);
int evq_link_publish_locked(struct evq_adapter *ad, bool *lsc);
int evq_link_publish(struct evq_adapter *ad, bool *lsc);
int evq_dev_close(struct rte_eth_dev *dev);
int evq_devargs_parse(const char *args, struct evq_devargs *out, const char *name);
void evq_mac_to_regs(const struct rte_ether_addr *addr, uint32_t hi_flags, uint32_t regs[2]);
void evq_devargs_default(struct evq_devargs *out);
extern const struct eth_dev_ops evq_eth_dev_ops;

/* ---- evq_rx.c ---- */
int evq_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
		unsigned int socket_id, const struct rte_eth_rxconf *conf,
		struct rte_mempool *mp);
void evq_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid);
int evq_rx_queue_start(struct rte_eth_dev *dev, uint16_t qid);
int evq_rx_queue_stop(struct rte_eth_dev *dev, uint16_t qid);
void evq_rxq_info_get(struct rte_eth_dev *dev, uint16_t qid,
		struct rte_eth_rxq_info *qinfo);
int evq_rx_burst_mode_get(struct rte_eth_dev *dev, uint16_t qid,
		struct rte_eth_burst_mode *mode);
uint16_t evq_recv_pkts(void *rxq, struct rte_mbuf **pkts, uint16_t nb_pkts);
evq_rx_queue_count_ret_t evq_rx_queue_count(void *rxq);
int evq_rx_descriptor_status(void *rxq, uint16_t offset);
int evq_get_monitor_addr(void *rxq, struct rte_power_monitor_cond *pmc);
const uint32_t *evq_dev_supported_ptypes_get(struct rte_eth_dev *dev
		EVQ_PTYPES_COUNT_PARAM(no_of_elements));
int evq_rx_check_frame_fits(struct rte_eth_dev *dev, uint32_t mtu);

/* ---- evq_queue.c: queue and EQ helpers ---- */
const struct rte_memzone *evq_queue_mz(struct evq_adapter *ad, const char *what,
		uint16_t qid, const char *kind, size_t bytes, size_t min_align,
		int socket_id);
int evq_queue_desc_count(struct evq_adapter *ad, const char *what, uint16_t qid,
		uint16_t nb_desc, uint32_t *out);
int evq_queue_eq_size(struct evq_adapter *ad, const char *what, uint16_t qid,
		uint32_t nb_desc, uint32_t *size);
uint32_t evq_queue_eq_size_auto(const struct evq_adapter *ad, uint32_t nb_desc);
int evq_queue_ring_enable(struct evq_adapter *ad, bool tx, uint16_t qid,
		const struct rte_memzone *mz, uint32_t nb_desc, uint32_t word3,
		uint32_t ctrl);
void evq_queue_ring_disable(struct evq_adapter *ad, bool tx, uint16_t qid);
int evq_eq_alloc(struct evq_adapter *ad, struct evq_eq *eq, const char *what,
		uint16_t qid, uint16_t num, uint32_t size, int socket_id);
const struct rte_memzone *evq_eq_mem(struct evq_adapter *ad, struct evq_eq *eq,
		uint32_t size);
int evq_eq_resize(struct evq_adapter *ad, struct evq_eq *eq, uint32_t size);
void evq_eq_free(struct evq_eq *eq);
enum evq_ring_validity evq_eq_validity(const struct evq_adapter *ad,
		const struct evq_eq *eq);
void evq_eq_cons_conf(const struct evq_adapter *ad, const struct evq_eq *eq,
		struct evq_ring_cons_conf *conf);
void evq_eq_clear(struct evq_eq *eq);
int evq_eq_define(struct evq_adapter *ad, struct evq_eq *eq, uint32_t intr_delay_ns);
bool evq_eq_forget(struct evq_eq *eq);
void evq_eq_disable(struct evq_adapter *ad, const struct evq_eq *eq);
void evq_eq_undefine(struct evq_adapter *ad, struct evq_eq *eq);
void evq_eq_thread_check(struct evq_eq *eq, const char *what, uint16_t qid);

/* ---- evq_tx.c ---- */
int evq_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
		unsigned int socket_id, const struct rte_eth_txconf *conf);
void evq_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid);
int evq_tx_queue_start(struct rte_eth_dev *dev, uint16_t qid);
int evq_tx_queue_stop(struct rte_eth_dev *dev, uint16_t qid);
void evq_txq_info_get(struct rte_eth_dev *dev, uint16_t qid,
		struct rte_eth_txq_info *qinfo);
int evq_tx_burst_mode_get(struct rte_eth_dev *dev, uint16_t qid,
		struct rte_eth_burst_mode *mode);
uint16_t evq_xmit_pkts(void *txq, struct rte_mbuf **pkts, uint16_t nb_pkts);
uint16_t evq_prep_pkts(void *txq, struct rte_mbuf **pkts, uint16_t nb_pkts);
int evq_tx_descriptor_status(void *txq, uint16_t offset);
int evq_tx_done_cleanup(void *txq, uint32_t free_cnt);
void evq_tx_done_event(struct evq_tx_queue *txq, uint32_t done_count);

/* ---- evq_intr.c ---- */
void evq_intr_global_handler(struct evq_adapter *ad);
int evq_eventfd(void);
void evq_eq0_check_later(struct evq_adapter *ad);
uint64_t evq_intr_demux(struct evq_adapter *ad, uint64_t eqs);
int evq_summary_setup(struct evq_adapter *ad);
void evq_summary_free(struct evq_adapter *ad);
int evq_rxq_handle_build(struct evq_adapter *ad, uint16_t nb_rxq, const int *fds);
void evq_rxq_handle_free(struct evq_adapter *ad);
int evq_irq_source_add(struct evq_adapter *ad, int fd, uint64_t eqs);
void evq_irq_sources_free(struct evq_adapter *ad);
uint64_t evq_rxq_eqs_on_vector(const struct evq_adapter *ad, uint16_t nb_rxq,
		uint16_t vector);
void evq_intr_demux_start(struct evq_adapter *ad, uint16_t nb_rxq);
void evq_intr_demux_stop(struct evq_adapter *ad);
int evq_eq0_setup(struct evq_adapter *ad);
void evq_eq0_teardown(struct evq_adapter *ad);
unsigned int evq_eq0_poll(struct evq_adapter *ad);
int evq_rx_queue_intr_enable(struct rte_eth_dev *dev, uint16_t qid);
int evq_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t qid);
void evq_intr_cancel_alarms(struct evq_adapter *ad);
void evq_eq_recover_cancel(struct evq_adapter *ad, struct evq_eq *eq);
void evq_eq_recover_kick(struct evq_adapter *ad);
int evq_intr_unregister(struct rte_intr_handle *h, rte_intr_callback_fn fn, void *arg);

/* ---- evq_mp.c: secondary processes ---- */
/* What a secondary process holds of its own for a port (process_private). */
struct evq_proc {
	uint8_t *dbpage;		/* BAR2, mapped at the primary's address */
	int efd[EVQ_MSIX_VECTORS];	/* the primary's Rx vector eventfds, dup'd */
	struct rte_intr_handle *intr_handle;	/* over efd[], for rx_intr_ctl */
};
int evq_mp_primary_register(void);
void evq_mp_primary_unregister(void);
int evq_mp_attach(struct rte_eth_dev *dev);
void evq_mp_detach(struct rte_eth_dev *dev);
int evq_mp_reg_read(struct evq_adapter *ad, uint32_t off, void *buf, size_t len);
int evq_mp_admin(struct evq_adapter *ad, uint8_t opcode, const uint32_t args[EVQ_ADMIN_NARGS],
		uint32_t *result0, uint32_t *result1);
void evq_secondary_init(struct rte_eth_dev *eth_dev);

/* ---- evq_filter.c: receive filters ---- */
int evq_filters_program(struct rte_eth_dev *dev);
int evq_mac_addr_add(struct rte_eth_dev *dev, struct rte_ether_addr *addr, uint32_t index,
		uint32_t vmdq);
void evq_mac_addr_remove(struct rte_eth_dev *dev, uint32_t index);
int evq_set_mc_addr_list(struct rte_eth_dev *dev, struct rte_ether_addr *list, uint32_t nb);
int evq_vlan_filter_set(struct rte_eth_dev *dev, uint16_t vlan_id, int on);
int evq_vlan_offload_set(struct rte_eth_dev *dev, int mask);

/* ---- evq_rss.c ---- */
int evq_rss_configure(struct rte_eth_dev *dev);
int evq_rss_program(struct evq_adapter *ad);
int evq_reta_update(struct rte_eth_dev *dev, struct rte_eth_rss_reta_entry64 *reta_conf,
		uint16_t reta_size);
int evq_reta_query(struct rte_eth_dev *dev, struct rte_eth_rss_reta_entry64 *reta_conf,
		uint16_t reta_size);
int evq_rss_hash_update(struct rte_eth_dev *dev, struct rte_eth_rss_conf *rss_conf);
int evq_rss_hash_conf_get(struct rte_eth_dev *dev, struct rte_eth_rss_conf *rss_conf);
uint64_t evq_rss_hf_supported(const struct evq_adapter *ad);

#endif /* EVQ_ETHDEV_H */
