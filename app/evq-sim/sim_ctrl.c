/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * sim_ctrl: the control threads, one per port. Each listens on its
 * port's vfio-user socket (one client per device at a time) and runs the
 * protocol through the server dispatcher (sim_vfu_server.c, which
 * validates every request). This file implements the device-model
 * callbacks: region info, trapped region accesses, DMA map/unmap (mmap and
 * munmap happen here, the table change in the engine), SET_IRQS (fd
 * ownership here, binding in the engine), reset and disconnect. Every
 * change of device state runs in the engine thread through
 * sim_engine_call().
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sim.h"

static struct sim_port *ctrl_ports;
static unsigned int ctrl_nb_ports;
static struct sim_engine *ctrl_eng;
static pthread_t ctrl_threads[SIM_MAX_PORTS];
static unsigned int ctrl_nb_threads;
static int ctrl_stop_pipe[2] = { -1, -1 };

/* ------------------------------------------------------ doorbell page -- */

static int
sim_dbpage_create(struct sim_port *port, int *fd_out, uint8_t **page_out)
{
	uint8_t *page;
	int fd;

	fd = memfd_create("evq-sim-doorbells", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, EVQ_BAR2_SIZE) < 0 ||
			fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	page = mmap(NULL, EVQ_BAR2_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (page == MAP_FAILED) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	(void)port;
	*fd_out = fd;
	*page_out = page;
	return 0;
}

struct sim_swap_page {
	struct sim_port *port;
	uint8_t *page;
};

static int
sim_rpc_swap_page(void *arg)
{
	struct sim_swap_page *s = arg;
	uint8_t *old = s->port->dbpage;

	s->port->dbpage = s->page;
	s->page = old;
	return 0;
}

/* ---------------------------------------------------------- helpers --- */

struct sim_region_rpc {
	struct sim_port *port;
	uint32_t region;
	uint64_t offset;
	void *buf;
	uint32_t count;
	bool write;
};

static int
sim_rpc_region(void *arg)
{
	struct sim_region_rpc *r = arg;
	struct sim_port *port = r->port;

	switch (r->region) {
	case VFIO_PCI_BAR0_REGION_INDEX:
		return r->write ? sim_bar0_write(port, r->offset, r->buf, r->count) :
			sim_bar0_read(port, r->offset, r->buf, r->count);
	case VFIO_PCI_BAR2_REGION_INDEX:
		return sim_bar2_access(port, r->offset, r->buf, r->count, r->write);
	case VFIO_PCI_BAR4_REGION_INDEX:
		return r->write ? sim_bar4_write(port, r->offset, r->buf, r->count) :
			sim_bar4_read(port, r->offset, r->buf, r->count);
	case VFIO_PCI_CONFIG_REGION_INDEX:
		return r->write ? sim_cfg_write(port, r->offset, r->buf, r->count) :
			sim_cfg_read(port, r->offset, r->buf, r->count);
	}
	return -EINVAL;
}

/* -------------------------------------------------------- vfio ops --- */

static int
sim_op_get_device_info(void *priv, struct evq_vfu_device_info *info)
{
	(void)priv;
	info->flags = EVQ_VFU_DEV_F_RESET | EVQ_VFU_DEV_F_PCI;
	info->num_regions = EVQ_PCI_NUM_REGIONS;
	info->num_irqs = EVQ_PCI_NUM_IRQS;
	return 0;
}

static int
sim_op_get_region_info(void *priv, uint32_t index, struct vfio_region_info *info,
		struct vfio_region_sparse_mmap_area *areas, uint32_t *nr_areas, int *fd)
{
	struct sim_port *port = priv;
	uint32_t rw = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;

	info->flags = 0;
	info->size = 0;
	info->offset = 0;
	if (nr_areas != NULL && *nr_areas != 0 && index != VFIO_PCI_BAR2_REGION_INDEX)
		*nr_areas = 0;
	switch (index) {
	case VFIO_PCI_BAR0_REGION_INDEX:
		info->flags = rw;
		info->size = EVQ_BAR0_SIZE;
		break;
	case VFIO_PCI_BAR2_REGION_INDEX:
		info->flags = rw | VFIO_REGION_INFO_FLAG_MMAP;
		info->size = EVQ_BAR2_SIZE;
		info->offset = 0;
		*fd = port->dbpage_fd;
		if (areas != NULL && nr_areas != NULL && *nr_areas >= 1) {
			areas[0].offset = 0;
			areas[0].size = EVQ_BAR2_SIZE;
			*nr_areas = 1;
		}
		break;
	case VFIO_PCI_BAR4_REGION_INDEX:
		info->flags = rw;
		info->size = EVQ_BAR4_SIZE;
		break;
	case VFIO_PCI_CONFIG_REGION_INDEX:
		info->flags = rw;
		info->size = EVQ_PCI_CFG_SIZE;
		break;
	default:
		if (index >= EVQ_PCI_NUM_REGIONS)
			return -EINVAL;
		if (nr_areas != NULL)
			*nr_areas = 0;
		break;
	}
	return 0;
}

static int
sim_op_get_irq_info(void *priv, uint32_t index, struct vfio_irq_info *info)
{
	(void)priv;
	info->flags = 0;
	info->count = 0;
	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		info->flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE;
		info->count = EVQ_PCI_INTX_COUNT;
		break;
	case VFIO_PCI_MSIX_IRQ_INDEX:
		/* vfio-user.rst, VFIO_USER_DEVICE_GET_IRQ_INFO: MASKABLE says
		 * MASK and UNMASK are accepted, which they are (a masked
		 * vector's signal is held and replayed at UNMASK) */
		info->flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
			VFIO_IRQ_INFO_NORESIZE;
		info->count = sim_opts.vectors;
		break;
	default:
		if (index >= EVQ_PCI_NUM_IRQS)
			return -EINVAL;
		break;
	}
	return 0;
}

struct sim_irq_rpc {
	struct sim_port *port;
	const struct vfio_irq_set *set;
	const uint8_t *bools;
	int fds[EVQ_VFU_MAX_IRQ_VECTORS];	/* new engine fds per vector */
	bool disable_all;
};

static int
sim_rpc_set_irqs(void *arg)
{
	struct sim_irq_rpc *r = arg;
	struct sim_port *port = r->port;
	const struct vfio_irq_set *set = r->set;
	uint32_t action = set->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
	uint32_t data = set->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	uint32_t i;

	if (set->index == VFIO_PCI_MSIX_IRQ_INDEX) {
		if (r->disable_all) {
			for (i = 0; i < EVQ_MSIX_VECTORS; i++)
				port->msix_fd[i] = -1;
			sim_cfg_set_msix_enable(port, false);
			return 0;
		}
		for (i = 0; i < set->count; i++) {
			uint32_t v = set->start + i;
			bool on = data == VFIO_IRQ_SET_DATA_NONE ||
				(data == VFIO_IRQ_SET_DATA_BOOL && r->bools[i]);

			if (action == VFIO_IRQ_SET_ACTION_TRIGGER) {
				if (data == VFIO_IRQ_SET_DATA_EVENTFD) {
					port->msix_fd[v] = r->fds[i];
					if (r->fds[i] >= 0) {
						/* as vfio-pci: binding unmasks the entry */
						port->msix_ctrl[v][3] &= ~EVQ_MSIX_ENTRY_CTRL_MASKED;
						sim_cfg_set_msix_enable(port, true);
					}
				} else if (on) {
					sim_irq_raise(port, 0, false, (uint16_t)v);
				}
			} else if (action == VFIO_IRQ_SET_ACTION_MASK && on) {
				port->msix_vfu_masked[v] = true;
			} else if (action == VFIO_IRQ_SET_ACTION_UNMASK && on) {
				port->msix_vfu_masked[v] = false;
			}
		}
		sim_irq_replay_pending(port);
		return 0;
	}
	/* INTx */
	if (r->disable_all) {
		port->intx_fd = -1;
		return 0;
	}
	if (action == VFIO_IRQ_SET_ACTION_TRIGGER) {
		if (data == VFIO_IRQ_SET_DATA_EVENTFD)
			port->intx_fd = r->fds[0];
	} else if (action == VFIO_IRQ_SET_ACTION_MASK) {
		if (data != VFIO_IRQ_SET_DATA_BOOL || r->bools[0])
			port->intx_vfu_masked = true;
	} else if (action == VFIO_IRQ_SET_ACTION_UNMASK) {
		if (data != VFIO_IRQ_SET_DATA_BOOL || r->bools[0])
			port->intx_vfu_masked = false;
	}
	sim_irq_replay_pending(port);
	return 0;
}

static int
sim_op_set_irqs(void *priv, const struct vfio_irq_set *set, const uint8_t *bools,
		int *fds, unsigned int nfds)
{
	struct sim_port *port = priv;
	uint32_t action = set->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
	uint32_t data = set->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	struct sim_irq_rpc *r;
	int *owned;
	uint32_t i, max;
	int ret;

	if (set->index != VFIO_PCI_MSIX_IRQ_INDEX && set->index != VFIO_PCI_INTX_IRQ_INDEX)
		return -EINVAL;
	max = set->index == VFIO_PCI_MSIX_IRQ_INDEX ? sim_opts.vectors : 1;
	if (set->start + set->count > max || set->start + set->count < set->start)
		return -EINVAL;
	if (data == VFIO_IRQ_SET_DATA_EVENTFD && action != VFIO_IRQ_SET_ACTION_TRIGGER)
		return -EINVAL;
	owned = set->index == VFIO_PCI_MSIX_IRQ_INDEX ? port->ctrl_msix_fd :
		&port->ctrl_intx_fd;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return -ENOMEM;
	r->port = port;
	r->set = set;
	r->bools = bools;
	r->disable_all = data == VFIO_IRQ_SET_DATA_NONE &&
		action == VFIO_IRQ_SET_ACTION_TRIGGER && set->count == 0;
	for (i = 0; i < set->count && i < EVQ_VFU_MAX_IRQ_VECTORS; i++)
		r->fds[i] = -1;
	if (data == VFIO_IRQ_SET_DATA_EVENTFD) {
		for (i = 0; i < set->count; i++)
			r->fds[i] = nfds == 0 ? -1 : fds[i];
	}
	ret = sim_engine_call(ctrl_eng, sim_rpc_set_irqs, r);
	/* the engine uses the new fds now: take them, close the replaced ones */
	if (ret == 0 && r->disable_all) {
		for (i = 0; i < max; i++) {
			if (owned[i] >= 0)
				close(owned[i]);
			owned[i] = -1;
		}
	} else if (ret == 0 && data == VFIO_IRQ_SET_DATA_EVENTFD) {
		for (i = 0; i < set->count; i++) {
			uint32_t v = set->start + i;

			if (owned[v] >= 0)
				close(owned[v]);
			owned[v] = -1;
			if (nfds != 0) {
				owned[v] = fds[i];
				fds[i] = -1;
			}
		}
	}
	free(r);
	return ret;
}

static int
sim_op_region_read(void *priv, uint32_t region, uint64_t offset, void *buf,
		uint32_t count)
{
	struct sim_region_rpc r = { priv, region, offset, buf, count, false };

	return sim_engine_call(ctrl_eng, sim_rpc_region, &r);
}

static int
sim_op_region_write(void *priv, uint32_t region, uint64_t offset, const void *buf,
		uint32_t count)
{
	struct sim_region_rpc r = { priv, region, offset, (void *)buf, count, true };

	return sim_engine_call(ctrl_eng, sim_rpc_region, &r);
}

/* The maps one DMA_UNMAP or disconnect takes out of a port's table, for
 * its control thread to unmap once the engine has let go of them (one
 * array per port: a port's requests are handled one at a time) */
static struct sim_dma_map ctrl_removed[SIM_MAX_PORTS][SIM_MAX_DMA_MAPS];

struct sim_dma_rpc {
	struct sim_port *port;
	struct sim_dma_map map;
	uint64_t iova;
	uint64_t size;
	bool all;
	struct sim_dma_map *removed;
	uint32_t nremoved;
};

static int
sim_rpc_dma_map(void *arg)
{
	struct sim_dma_rpc *r = arg;

	return sim_dma_insert(r->port->dma, &r->map);
}

static int
sim_rpc_dma_unmap(void *arg)
{
	struct sim_dma_rpc *r = arg;
	int ret;

	ret = sim_dma_remove(r->port->dma, r->iova, r->size, r->all, r->removed,
			&r->nremoved);
	if (ret == 0 && r->nremoved != 0)
		sim_dma_changed(r->port);	/* stop users before munmap */
	return ret;
}

static int
sim_op_dma_map(void *priv, const struct evq_vfu_dma_map *map, int *fd)
{
	struct sim_port *port = priv;
	struct sim_dma_rpc r;
	int ret;

	if ((map->flags & (EVQ_VFU_DMA_F_READ | EVQ_VFU_DMA_F_WRITE)) == 0)
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	r.port = port;
	r.map.iova = map->addr;
	r.map.len = map->size;
	if (fd == NULL) {
		/* no fd: recorded, but the device cannot reach it (no access
		 * flags), so any DMA there is a fault reported on EQ 0 */
		SIM_LOG(DEBUG, "port %u: DMA_MAP iova 0x%llx size 0x%llx without fd",
			port->idx, (unsigned long long)map->addr,
			(unsigned long long)map->size);
		return sim_engine_call(ctrl_eng, sim_rpc_dma_map, &r);
	}
	/* the file between guard areas: an access past the map's end faults */
	ret = sim_dma_mmap(*fd, map->offset, map->size, map->flags, &r.map);
	if (ret != 0) {
		SIM_LOG(INFO, "port %u: DMA_MAP iova 0x%llx size 0x%llx: mmap: %s",
			port->idx, (unsigned long long)map->addr,
			(unsigned long long)map->size, strerror(-ret));
		return ret;
	}
	ret = sim_engine_call(ctrl_eng, sim_rpc_dma_map, &r);
	if (ret != 0) {
		sim_dma_munmap(&r.map);
		return ret;
	}
	/* the mapping holds the memory: the fd is no longer needed */
	SIM_LOG(DEBUG, "port %u: DMA_MAP iova 0x%llx size 0x%llx", port->idx,
		(unsigned long long)map->addr, (unsigned long long)map->size);
	return 0;
}

static void
sim_unmap_removed(struct sim_dma_map *m, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		sim_dma_munmap(&m[i]);
}

static int
sim_op_dma_unmap(void *priv, const struct evq_vfu_dma_unmap *unmap)
{
	struct sim_dma_rpc r;
	int ret;

	memset(&r, 0, sizeof(r));
	r.port = priv;
	r.iova = unmap->addr;
	r.size = unmap->size;
	r.all = (unmap->flags & EVQ_VFU_DMA_UNMAP_F_ALL) != 0;
	r.removed = ctrl_removed[r.port->idx];
	ret = sim_engine_call(ctrl_eng, sim_rpc_dma_unmap, &r);
	SIM_LOG(DEBUG, "port %u: DMA_UNMAP iova 0x%llx size 0x%llx%s: %d, %u map(s) removed",
		r.port->idx, (unsigned long long)r.iova, (unsigned long long)r.size,
		r.all ? " (all)" : "", ret, ret == 0 ? r.nremoved : 0);
	if (ret == 0)
		sim_unmap_removed(r.removed, r.nremoved);
	return ret;
}

static int
sim_rpc_reset(void *arg)
{
	struct sim_port *port = arg;

	sim_dev_reset(port, true);
	return 0;
}

static void
sim_close_irq_fds(struct sim_port *port)
{
	unsigned int i;

	for (i = 0; i < EVQ_MSIX_VECTORS; i++) {
		if (port->ctrl_msix_fd[i] >= 0)
			close(port->ctrl_msix_fd[i]);
		port->ctrl_msix_fd[i] = -1;
	}
	if (port->ctrl_intx_fd >= 0)
		close(port->ctrl_intx_fd);
	port->ctrl_intx_fd = -1;
}

static int
sim_op_reset(void *priv)
{
	struct sim_port *port = priv;
	int ret;

	ret = sim_engine_call(ctrl_eng, sim_rpc_reset, port);
	sim_close_irq_fds(port);	/* a transport reset drops the eventfds */
	return ret;
}

static int
sim_rpc_disconnect(void *arg)
{
	struct sim_dma_rpc *r = arg;
	struct sim_port *port = r->port;

	sim_dev_reset(port, true);
	return sim_dma_remove(port->dma, 0, 0, true, r->removed, &r->nremoved);
}

static void
sim_op_disconnect(void *priv)
{
	struct sim_port *port = priv;
	struct sim_swap_page swap = { port, NULL };
	struct sim_dma_rpc r;
	uint8_t *page;
	int fd;

	memset(&r, 0, sizeof(r));
	r.port = port;
	r.removed = ctrl_removed[port->idx];
	sim_engine_call(ctrl_eng, sim_rpc_disconnect, &r);
	sim_unmap_removed(r.removed, r.nremoved);
	sim_close_irq_fds(port);
	/* a fresh doorbell page: the old client may keep its mapping */
	if (sim_dbpage_create(port, &fd, &page) == 0) {
		swap.page = page;
		sim_engine_call(ctrl_eng, sim_rpc_swap_page, &swap);
		munmap(swap.page, EVQ_BAR2_SIZE);
		close(port->dbpage_fd);
		port->dbpage_fd = fd;
	}
	port->cnt.disconnects++;
	SIM_LOG(INFO, "port %u: client disconnected; DMA unmapped, device reset, "
		"listening on %s", port->idx, port->socket_path);
}

static const struct evq_vfu_server_ops sim_vfu_ops = {
	.get_device_info = sim_op_get_device_info,
	.get_region_info = sim_op_get_region_info,
	.get_irq_info = sim_op_get_irq_info,
	.set_irqs = sim_op_set_irqs,
	.region_read = sim_op_region_read,
	.region_write = sim_op_region_write,
	.dma_map = sim_op_dma_map,
	.dma_unmap = sim_op_dma_unmap,
	.reset = sim_op_reset,
	.disconnect = sim_op_disconnect,
};

/* ----------------------------------------------------------- thread --- */

int
sim_ctrl_connect(struct sim_port *port, int fd)
{
	struct evq_vfu_caps local;
	int ret;

	evq_vfu_caps_default(&local);
	local.max_msg_fds = 16;
	local.max_data_xfer_size = 1u << 20;
	local.max_dma_maps = SIM_MAX_DMA_MAPS;
	local.pgsizes = 4096;
	memset(&port->conn, 0, sizeof(port->conn));
	ret = evq_vfu_server_conn_init(&port->conn, fd, &sim_vfu_ops, port, &local);
	if (ret != 0)
		return ret;
	port->connected = true;
	port->cnt.connects++;
	return 0;
}

void
sim_ctrl_disconnect(struct sim_port *port)
{
	evq_vfu_server_conn_close(&port->conn);
	port->connected = false;
}

static void
sim_ctrl_accept(struct sim_port *port)
{
	int fd, ret;

	fd = evq_vfu_accept(port->listen_fd);
	if (fd < 0) {
		if (fd != -EAGAIN && fd != -EWOULDBLOCK && fd != -EINTR)
			SIM_LOG(WARNING, "port %u: accept: %s", port->idx, strerror(-fd));
		return;
	}
	if (port->connected) {
		SIM_LOG(WARNING, "port %u: a client is already connected; "
			"refusing a second one", port->idx);
		close(fd);
		return;
	}
	ret = sim_ctrl_connect(port, fd);
	if (ret != 0) {
		SIM_LOG(WARNING, "port %u: cannot set up the connection: %s", port->idx,
			strerror(-ret));
		close(fd);
		return;
	}
	SIM_LOG(INFO, "port %u: client connected on %s", port->idx, port->socket_path);
}

/*
 * One control thread per port: a client that stalls in the middle of a
 * message (or stops reading replies) holds its own port's thread for up
 * to the I/O timeout, never another port's control path. The threads
 * share only sim_engine_call(), which serialises them.
 */
static void *
sim_ctrl_main(void *arg)
{
	struct sim_port *port = arg;

	for (;;) {
		struct pollfd pfd[3] = {
			{ .fd = ctrl_stop_pipe[0], .events = POLLIN },
			{ .fd = port->listen_fd, .events = POLLIN },
			{ .fd = port->connected ? port->conn.fd : -1, .events = POLLIN },
		};
		int ret = poll(pfd, 3, -1);

		if (ret < 0) {
			if (errno == EINTR)
				continue;
			SIM_LOG(ERR, "port %u: control thread: poll: %s", port->idx,
				strerror(errno));
			break;
		}
		if (pfd[0].revents)
			break;
		if (pfd[2].revents && port->connected) {
			ret = evq_vfu_server_handle(&port->conn);
			if (ret != 0 && ret != -EAGAIN) {
				if (ret != -ECONNRESET)
					SIM_LOG(WARNING, "port %u: closing the connection: %s",
						port->idx, strerror(-ret));
				sim_ctrl_disconnect(port);
			}
		}
		if (pfd[1].revents)
			sim_ctrl_accept(port);
	}
	if (port->connected)
		sim_ctrl_disconnect(port);
	return NULL;
}

int
sim_ctrl_init(struct sim_port *ports, unsigned int nb_ports, struct sim_engine *eng)
{
	unsigned int i;
	int ret;

	ctrl_ports = ports;
	ctrl_nb_ports = nb_ports;
	ctrl_eng = eng;
	if (pipe2(ctrl_stop_pipe, O_CLOEXEC) < 0)
		return -errno;
	for (i = 0; i < nb_ports; i++) {
		struct sim_port *port = &ports[i];

		ret = sim_dbpage_create(port, &port->dbpage_fd, &port->dbpage);
		if (ret != 0) {
			SIM_LOG(ERR, "port %u: doorbell page: %s", i, strerror(-ret));
			return ret;
		}
		ret = evq_vfu_listen(port->socket_path, 0660);
		if (ret < 0) {
			SIM_LOG(ERR, "port %u: cannot listen on %s: %s", i,
				port->socket_path, strerror(-ret));
			return ret;
		}
		port->listen_fd = ret;
		fcntl(port->listen_fd, F_SETFL, fcntl(port->listen_fd, F_GETFL) | O_NONBLOCK);
		SIM_LOG(INFO, "port %u: listening on %s", i, port->socket_path);
	}
	return 0;
}

int
sim_ctrl_start(void)
{
	unsigned int i;

	for (i = 0; i < ctrl_nb_ports; i++) {
		char name[32];	/* at most 15 characters used (SIM_MAX_PORTS) */
		int ret = pthread_create(&ctrl_threads[i], NULL, sim_ctrl_main,
				&ctrl_ports[i]);

		if (ret != 0)
			return -ret;
		ctrl_nb_threads++;
		snprintf(name, sizeof(name), "evq-sim-ctrl%u", i);
		pthread_setname_np(ctrl_threads[i], name);
	}
	return 0;
}

void
sim_ctrl_stop(void)
{
	unsigned int i;
	char c = 1;

	/* the byte stays in the pipe: every thread sees it */
	if (write(ctrl_stop_pipe[1], &c, 1) < 0)
		SIM_LOG(WARNING, "control thread stop: %s", strerror(errno));
	for (i = 0; i < ctrl_nb_threads; i++)
		pthread_join(ctrl_threads[i], NULL);
	ctrl_nb_threads = 0;
	for (i = 0; i < ctrl_nb_ports; i++) {
		if (ctrl_ports[i].listen_fd >= 0) {
			close(ctrl_ports[i].listen_fd);
			unlink(ctrl_ports[i].socket_path);
			ctrl_ports[i].listen_fd = -1;
		}
	}
}
