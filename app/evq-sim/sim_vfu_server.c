/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * sim_vfu_server: the server side of vfio-user, the device model's end
 * of the socket. Listens and accepts, binds a connection to the device
 * model's callbacks (struct evq_vfu_server_ops), and for every message
 * validates the request (indexes, lengths, bounds, counts, fds, DMA map
 * overlaps) before a callback sees it, then answers. The client treats
 * this end as hostile and this end treats the client the same way.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "evq_log.h"
#include "sim_vfu_server.h"

int
evq_vfu_listen(const char *path, mode_t mode)
{
	struct sockaddr_un sa;
	struct stat st;
	int fd;

	if (path == NULL || strlen(path) >= sizeof(sa.sun_path) ||
			(mode != 0600 && mode != 0660))
		return -EINVAL;
	if (lstat(path, &st) == 0) {
		int probe;

		if (!S_ISSOCK(st.st_mode))
			return -EEXIST;
		probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		memset(&sa, 0, sizeof(sa));
		sa.sun_family = AF_UNIX;
		strcpy(sa.sun_path, path);
		if (probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			close(probe);
			return -EADDRINUSE;
		}
		if (probe >= 0)
			close(probe);
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(path, mode) < 0 ||
			listen(fd, 4) < 0) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	return fd;
}

int
evq_vfu_accept(int listen_fd)
{
	int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int
evq_vfu_eventfd_signal(int fd)
{
	uint64_t one = 1;
	ssize_t n;

	do {
		n = write(fd, &one, sizeof(one));
	} while (n < 0 && errno == EINTR);
	return n == sizeof(one) || errno == EAGAIN ? 0 : -errno;
}

int
evq_vfu_server_conn_init(struct evq_vfu_conn *conn, int fd,
		const struct evq_vfu_server_ops *ops, void *priv,
		const struct evq_vfu_caps *local)
{
	struct evq_vfu_device_info info;
	uint32_t i;
	int ret;

	if (ops == NULL || ops->get_device_info == NULL || ops->get_region_info == NULL ||
			ops->get_irq_info == NULL)
		return -EINVAL;
	memset(conn, 0, sizeof(*conn));
	conn->fd = fd;
	conn->is_server = true;
	conn->ops = ops;
	conn->priv = priv;
	evq_vfu_caps_default(&conn->caps);
	if (local != NULL) {
		conn->local = *local;
	} else {
		conn->local.max_msg_fds = 16;
		conn->local.max_data_xfer_size = 1u << 20;
		conn->local.max_dma_maps = 1024;
		conn->local.pgsizes = 4096;
	}
	memset(&info, 0, sizeof(info));
	info.argsz = sizeof(info);
	ret = ops->get_device_info(priv, &info);
	if (ret != 0)
		return ret;
	if (info.num_regions > EVQ_VFU_MAX_REGIONS || info.num_irqs > EVQ_VFU_MAX_IRQS)
		return -EINVAL;
	conn->dev_info = info;
	conn->have_dev_info = true;
	for (i = 0; i < info.num_regions; i++) {
		struct vfio_region_info ri;
		uint32_t na = 0;
		int rfd = -1;

		memset(&ri, 0, sizeof(ri));
		ri.argsz = sizeof(ri);
		ri.index = i;
		ret = ops->get_region_info(priv, i, &ri, NULL, &na, &rfd);
		if (ret != 0)
			return ret;
		conn->regions[i].size = ri.size;
		conn->regions[i].flags = ri.flags;
	}
	for (i = 0; i < info.num_irqs; i++) {
		struct vfio_irq_info ii;

		memset(&ii, 0, sizeof(ii));
		ii.argsz = sizeof(ii);
		ii.index = i;
		ret = ops->get_irq_info(priv, i, &ii);
		if (ret != 0)
			return ret;
		conn->irqs[i].count = ii.count;
		conn->irqs[i].flags = ii.flags;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return 0;
}

static int
server_reply(struct evq_vfu_conn *conn, const struct evq_vfu_hdr *req, int err,
		const void *payload, size_t len, const int *fds, unsigned int nfds)
{
	struct evq_vfu_hdr h;

	if (req->flags & EVQ_VFU_F_NO_REPLY)
		return 0;
	memset(&h, 0, sizeof(h));
	h.msg_id = req->msg_id;
	h.command = req->command;
	h.flags = EVQ_VFU_F_TYPE_REPLY;
	if (err != 0) {
		h.flags |= EVQ_VFU_F_ERROR;
		h.error_no = (uint32_t)(err < 0 ? -err : err);
		return evq_vfu_send(conn->fd, &h, NULL, 0, NULL, 0);
	}
	return evq_vfu_send(conn->fd, &h, payload, len, fds, nfds);
}

static bool
is_eventfd(int fd)
{
	char link[64], target[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	return strcmp(target, "anon_inode:[eventfd]") == 0;
}

static int
srv_version(struct evq_vfu_conn *conn, struct evq_vfu_msg *m)
{
	struct evq_vfu_version *v = m->payload;
	struct evq_vfu_caps peer, neg;
	char json[512];
	uint8_t buf[4 + sizeof(json)];
	size_t jlen;
	int n, ret;

	if (conn->negotiated || m->len < 4 || m->nfds != 0)
		return -EINVAL;
	jlen = m->len - 4;
	if (jlen > 0 && v->data[jlen - 1] == '\0')
		jlen--;
	if (v->major != EVQ_VFU_MAJOR)
		return -ENOTSUP;
	ret = evq_vfu_caps_parse(v->data, jlen, &peer);
	if (ret != 0)
		return ret;
	/*
	 * vfio-user.rst, VFIO_USER_VERSION: "the capability list must be a
	 * subset of those proposed". Each side states what it can receive
	 * (max_msg_fds, max_data_xfer_size) or supports (max_dma_maps,
	 * pgsizes): for a key the client proposed the reply states this
	 * server's own value (page sizes: those both support); for the
	 * others nothing is said and the default applies to both ends.
	 */
	evq_vfu_caps_default(&neg);
	if (peer.present & EVQ_VFU_CAP_MAX_MSG_FDS)
		neg.max_msg_fds = conn->local.max_msg_fds;
	if (peer.present & EVQ_VFU_CAP_MAX_XFER)
		neg.max_data_xfer_size = conn->local.max_data_xfer_size;
	if (peer.present & EVQ_VFU_CAP_MAX_DMA_MAPS)
		neg.max_dma_maps = conn->local.max_dma_maps;
	neg.pgsizes = peer.pgsizes & conn->local.pgsizes;
	if (neg.pgsizes == 0 || neg.max_data_xfer_size < EVQ_VFU_XFER_MIN)
		return -EINVAL;
	n = evq_vfu_caps_format_keys(&neg, peer.present, json, sizeof(json));
	if (n < 0)
		return n;
	buf[0] = EVQ_VFU_MAJOR;
	buf[1] = 0;
	{
		uint16_t minor = v->minor < EVQ_VFU_MINOR ? v->minor : EVQ_VFU_MINOR;

		memcpy(buf + 2, &minor, 2);
		conn->minor = minor;
	}
	memcpy(buf + 4, json, (size_t)n + 1);
	conn->caps = neg;
	conn->negotiated = true;
	return server_reply(conn, &m->hdr, 0, buf, 4 + (size_t)n + 1, NULL, 0);
}

static bool
map_overlaps(const struct evq_vfu_conn *conn, uint64_t a, uint64_t s)
{
	uint32_t i;

	for (i = 0; i < conn->nr_maps; i++) {
		const struct evq_vfu_dma_range *r = &conn->maps[i];

		if (a < r->addr + r->size && r->addr < a + s)
			return true;
	}
	return false;
}

static int
srv_dma_map(struct evq_vfu_conn *conn, struct evq_vfu_msg *m)
{
	struct evq_vfu_dma_map map;
	struct stat st;
	/* maps are in units of the smallest negotiated page size */
	uint64_t pg = conn->caps.pgsizes != 0 ?
		conn->caps.pgsizes & (~conn->caps.pgsizes + 1) : 4096;
	int ret;

	/* vfio-user.rst, VFIO_USER_DMA_MAP: memory the server cannot map
	 * comes without a file descriptor (the server would reach it with
	 * DMA_READ/WRITE); it is accepted and recorded like any other map */
	if (m->len < sizeof(map) || m->nfds > 1)
		return -EINVAL;
	memcpy(&map, m->payload, sizeof(map));
	if (map.argsz < sizeof(map) || map.size == 0 ||
			(map.flags & ~(EVQ_VFU_DMA_F_READ | EVQ_VFU_DMA_F_WRITE)) != 0 ||
			map.flags == 0 || map.addr + map.size < map.addr ||
			map.offset + map.size < map.offset ||
			(map.addr % pg) != 0 || (map.size % pg) != 0 || (map.offset % pg) != 0)
		return -EINVAL;
	if (map_overlaps(conn, map.addr, map.size))
		return -EEXIST;
	if (conn->nr_maps >= conn->caps.max_dma_maps || conn->nr_maps >= conn->local.max_dma_maps)
		return -ENOSPC;
	if (m->nfds == 1 && (fstat(m->fds[0], &st) < 0 || !S_ISREG(st.st_mode) ||
			(uint64_t)st.st_size < map.offset + map.size))
		return -EINVAL;
	if (conn->ops->dma_map == NULL)
		return -ENOTSUP;
	ret = conn->ops->dma_map(conn->priv, &map, m->nfds == 1 ? &m->fds[0] : NULL);
	if (ret != 0)
		return ret;
	if (conn->nr_maps == conn->maps_cap) {
		uint32_t cap = conn->maps_cap ? conn->maps_cap * 2 : 16;
		void *p = realloc(conn->maps, cap * sizeof(*conn->maps));

		if (p == NULL)
			return -ENOMEM;
		conn->maps = p;
		conn->maps_cap = cap;
	}
	conn->maps[conn->nr_maps].addr = map.addr;
	conn->maps[conn->nr_maps].size = map.size;
	conn->nr_maps++;
	return server_reply(conn, &m->hdr, 0, NULL, 0, NULL, 0);
}

static int
srv_dma_unmap(struct evq_vfu_conn *conn, struct evq_vfu_msg *m)
{
	struct evq_vfu_dma_unmap u;
	uint64_t last = 0;
	uint32_t i;
	int ret;

	if (m->len < sizeof(u) || m->nfds != 0)
		return -EINVAL;
	memcpy(&u, m->payload, sizeof(u));
	if (u.argsz < sizeof(u) || (u.flags & ~EVQ_VFU_DMA_UNMAP_F_ALL) != 0)
		return -EINVAL;
	if (u.flags & EVQ_VFU_DMA_UNMAP_F_ALL) {
		if (u.addr != 0 || u.size != 0)
			return -EINVAL;
	} else {
		/*
		 * vfio-user.rst, VFIO_USER_DMA_UNMAP asks for an exact match;
		 * a client with a virtual IOMMU (QEMU) unmaps ranges covering
		 * several maps, up to the end of the address space, as the
		 * kernel's VFIO_IOMMU_UNMAP_DMA (type1) allows. So, as type1:
		 * every map inside the range goes (an exact match is the
		 * one-map case), a range without a map succeeds, and a range
		 * cutting through a map is refused whole. Bounds are
		 * inclusive: addr + size may be 2^64.
		 */
		if (u.size == 0 || u.size - 1 > UINT64_MAX - u.addr)
			return -EINVAL;
		last = u.addr + (u.size - 1);
		for (i = 0; i < conn->nr_maps; i++) {
			const struct evq_vfu_dma_range *r = &conn->maps[i];
			uint64_t r_last = r->addr + (r->size - 1);

			if (r->addr <= last && u.addr <= r_last &&
					(r->addr < u.addr || r_last > last)) {
				EVQ_LOG(DEBUG, "DMA_UNMAP 0x%" PRIx64 "+0x%" PRIx64
					" cuts through map 0x%" PRIx64 "+0x%" PRIx64,
					u.addr, u.size, r->addr, r->size);
				return -EINVAL;
			}
		}
	}
	if (conn->ops->dma_unmap == NULL)
		return -ENOTSUP;
	ret = conn->ops->dma_unmap(conn->priv, &u);
	if (ret != 0)
		return ret;
	if (u.flags & EVQ_VFU_DMA_UNMAP_F_ALL) {
		conn->nr_maps = 0;
	} else {
		for (i = 0; i < conn->nr_maps;) {
			if (conn->maps[i].addr >= u.addr && conn->maps[i].addr <= last)
				conn->maps[i] = conn->maps[--conn->nr_maps];
			else
				i++;
		}
	}
	return server_reply(conn, &m->hdr, 0, &u, sizeof(u), NULL, 0);
}

static int
srv_region_info(struct evq_vfu_conn *conn, struct evq_vfu_msg *m)
{
	struct vfio_region_info req, info;
	struct vfio_region_sparse_mmap_area areas[EVQ_VFU_MAX_SPARSE_AREAS];
	uint8_t buf[EVQ_VFU_REGION_INFO_MAX];
	uint32_t na = EVQ_VFU_MAX_SPARSE_AREAS, need;
	int fd = -1, ret;

	if (m->len < sizeof(req) || m->nfds != 0)
		return -EINVAL;
	memcpy(&req, m->payload, sizeof(req));
	if (req.argsz < sizeof(req) || req.index >= conn->dev_info.num_regions)
		return -EINVAL;
	memset(&info, 0, sizeof(info));
	info.index = req.index;
	ret = conn->ops->get_region_info(conn->priv, req.index, &info, areas, &na, &fd);
	if (ret != 0)
		return ret;
	if (!(info.flags & VFIO_REGION_INFO_FLAG_MMAP)) {
		na = 0;
		fd = -1;
	}
	need = sizeof(info);
	if (na != 0)
		need += sizeof(struct vfio_region_info_cap_sparse_mmap) +
			na * sizeof(areas[0]);
	memset(buf, 0, sizeof(buf));
	info.argsz = need;
	info.cap_offset = 0;
	if (na != 0 && req.argsz >= need) {
		struct vfio_region_info_cap_sparse_mmap cap;

		info.flags |= VFIO_REGION_INFO_FLAG_CAPS;
		info.cap_offset = sizeof(info);
		memset(&cap, 0, sizeof(cap));
		cap.header.id = VFIO_REGION_INFO_CAP_SPARSE_MMAP;
		cap.header.version = 1;
		cap.header.next = 0;
		cap.nr_areas = na;
		memcpy(buf + sizeof(info), &cap, sizeof(cap));
		memcpy(buf + sizeof(info) + sizeof(cap), areas, na * sizeof(areas[0]));
		memcpy(buf, &info, sizeof(info));
		return server_reply(conn, &m->hdr, 0, buf, need, &fd, fd >= 0 ? 1 : 0);
	}
	if (na != 0) {
		/* too small for the capability: say how much is needed, no fd */
		memcpy(buf, &info, sizeof(info));
		return server_reply(conn, &m->hdr, 0, buf, sizeof(info), NULL, 0);
	}
	memcpy(buf, &info, sizeof(info));
	return server_reply(conn, &m->hdr, 0, buf, sizeof(info), &fd, fd >= 0 ? 1 : 0);
}

static int
srv_set_irqs(struct evq_vfu_conn *conn, struct evq_vfu_msg *m)
{
	struct vfio_irq_set set;
	uint32_t data, action, i;
	const uint8_t *bools = NULL;
	int ret;

	if (m->len < sizeof(set))
		return -EINVAL;
	memcpy(&set, m->payload, sizeof(set));
	if (set.argsz != m->len || set.index >= conn->dev_info.num_irqs)
		return -EINVAL;
	data = set.flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	action = set.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
	if ((set.flags & ~(VFIO_IRQ_SET_DATA_TYPE_MASK | VFIO_IRQ_SET_ACTION_TYPE_MASK)) ||
			__builtin_popcount(data) != 1 || __builtin_popcount(action) != 1)
		return -EINVAL;
	if (!(data == VFIO_IRQ_SET_DATA_NONE && action == VFIO_IRQ_SET_ACTION_TRIGGER &&
			set.start == 0 && set.count == 0)) {
		if (set.count == 0 || set.start >= conn->irqs[set.index].count ||
				set.count > conn->irqs[set.index].count - set.start)
			return -EINVAL;
	}
	if (data == VFIO_IRQ_SET_DATA_BOOL) {
		if (m->len != sizeof(set) + set.count || m->nfds != 0)
			return -EINVAL;
		bools = (const uint8_t *)m->payload + sizeof(set);
	} else if (data == VFIO_IRQ_SET_DATA_EVENTFD) {
		if (m->len != sizeof(set) || (m->nfds != 0 && m->nfds != set.count))
			return -EINVAL;
		for (i = 0; i < m->nfds; i++) {
			if (!is_eventfd(m->fds[i]))
				return -EINVAL;
			fcntl(m->fds[i], F_SETFL, fcntl(m->fds[i], F_GETFL) | O_NONBLOCK);
		}
	} else if (m->len != sizeof(set) || m->nfds != 0) {
		return -EINVAL;
	}
	if (conn->ops->set_irqs == NULL)
		return -ENOTSUP;
	ret = conn->ops->set_irqs(conn->priv, &set, bools, m->fds, m->nfds);
	if (ret != 0)
		return ret;
	return server_reply(conn, &m->hdr, 0, NULL, 0, NULL, 0);
}

static int
srv_region_access(struct evq_vfu_conn *conn, struct evq_vfu_msg *m, bool write)
{
	struct evq_vfu_region_access ra;
	uint8_t *reply;
	int ret;

	if (m->len < sizeof(ra) || m->nfds != 0)
		return -EINVAL;
	memcpy(&ra, m->payload, sizeof(ra));
	if (ra.region >= conn->dev_info.num_regions || ra.count == 0 ||
			ra.count > conn->caps.max_data_xfer_size ||
			ra.offset + ra.count < ra.offset ||
			ra.offset + ra.count > conn->regions[ra.region].size)
		return -EINVAL;
	if (write) {
		if (m->len != sizeof(ra) + ra.count)
			return -EINVAL;
		if (conn->ops->region_write == NULL)
			return -ENOTSUP;
		ret = conn->ops->region_write(conn->priv, ra.region, ra.offset,
				(uint8_t *)m->payload + sizeof(ra), ra.count);
		if (ret != 0)
			return ret;
		return server_reply(conn, &m->hdr, 0, &ra, sizeof(ra), NULL, 0);
	}
	if (m->len != sizeof(ra))
		return -EINVAL;
	if (conn->ops->region_read == NULL)
		return -ENOTSUP;
	reply = malloc(sizeof(ra) + ra.count);
	if (reply == NULL)
		return -ENOMEM;
	memcpy(reply, &ra, sizeof(ra));
	ret = conn->ops->region_read(conn->priv, ra.region, ra.offset, reply + sizeof(ra),
			ra.count);
	if (ret == 0)
		ret = server_reply(conn, &m->hdr, 0, reply, sizeof(ra) + ra.count, NULL, 0);
	free(reply);
	return ret;
}

static int
srv_dispatch(struct evq_vfu_conn *conn, struct evq_vfu_msg *m)
{
	uint16_t cmd = m->hdr.command;

	if (!conn->negotiated && cmd != EVQ_VFU_CMD_VERSION)
		return -EINVAL;
	switch (cmd) {
	case EVQ_VFU_CMD_VERSION:
		return srv_version(conn, m);
	case EVQ_VFU_CMD_DMA_MAP:
		return srv_dma_map(conn, m);
	case EVQ_VFU_CMD_DMA_UNMAP:
		return srv_dma_unmap(conn, m);
	case EVQ_VFU_CMD_DEVICE_GET_INFO: {
		struct evq_vfu_device_info info = conn->dev_info;

		if (m->len < sizeof(info) || m->nfds != 0)
			return -EINVAL;
		info.argsz = sizeof(info);
		return server_reply(conn, &m->hdr, 0, &info, sizeof(info), NULL, 0);
	}
	case EVQ_VFU_CMD_DEVICE_GET_REGION_INFO:
		return srv_region_info(conn, m);
	case EVQ_VFU_CMD_DEVICE_GET_IRQ_INFO: {
		struct vfio_irq_info ii;

		if (m->len < sizeof(ii) || m->nfds != 0)
			return -EINVAL;
		memcpy(&ii, m->payload, sizeof(ii));
		if (ii.index >= conn->dev_info.num_irqs)
			return -EINVAL;
		ii.argsz = sizeof(ii);
		ii.flags = conn->irqs[ii.index].flags;
		ii.count = conn->irqs[ii.index].count;
		return server_reply(conn, &m->hdr, 0, &ii, sizeof(ii), NULL, 0);
	}
	case EVQ_VFU_CMD_DEVICE_SET_IRQS:
		return srv_set_irqs(conn, m);
	case EVQ_VFU_CMD_REGION_READ:
		return srv_region_access(conn, m, false);
	case EVQ_VFU_CMD_REGION_WRITE:
		return srv_region_access(conn, m, true);
	case EVQ_VFU_CMD_DEVICE_RESET:
		if (m->len != 0 || m->nfds != 0)
			return -EINVAL;
		if (conn->ops->reset == NULL)
			return -ENOTSUP;
		{
			int ret = conn->ops->reset(conn->priv);

			return ret != 0 ? ret : server_reply(conn, &m->hdr, 0, NULL, 0, NULL, 0);
		}
	default:
		return -ENOSYS;
	}
}

int
evq_vfu_server_handle(struct evq_vfu_conn *conn)
{
	struct evq_vfu_msg m;
	uint32_t max = conn->negotiated ? conn->caps.max_data_xfer_size +
		EVQ_VFU_MSG_HEADROOM : EVQ_VFU_JSON_MAX + EVQ_VFU_MSG_HEADROOM;
	int ret;

	ret = evq_vfu_recv(conn->fd, &m, max);
	if (ret != 0)
		return ret;
	if ((m.hdr.flags & EVQ_VFU_F_TYPE_MASK) != EVQ_VFU_F_TYPE_COMMAND) {
		/* per-message refusals are debug: a hostile peer must not flood the log */
		EVQ_LOG(DEBUG, "unexpected message type 0x%x", m.hdr.flags);
		evq_vfu_msg_release(&m);
		return -EPROTO;
	}
	ret = srv_dispatch(conn, &m);
	if (ret < 0 && ret != -ECONNRESET && ret != -ETIMEDOUT) {
		EVQ_LOG(DEBUG, "%s refused: %s", evq_vfu_cmd_name(m.hdr.command),
			strerror(-ret));
		if (!conn->negotiated && m.hdr.command != EVQ_VFU_CMD_VERSION) {
			server_reply(conn, &m.hdr, ret, NULL, 0, NULL, 0);
			evq_vfu_msg_release(&m);
			return -EPROTO;
		}
		ret = server_reply(conn, &m.hdr, ret, NULL, 0, NULL, 0);
		if (!conn->negotiated) {
			evq_vfu_msg_release(&m);
			return -EPROTO;
		}
	}
	evq_vfu_msg_release(&m);
	return ret < 0 ? ret : 0;
}

void
evq_vfu_server_conn_close(struct evq_vfu_conn *conn)
{
	if (conn->ops != NULL && conn->ops->disconnect != NULL)
		conn->ops->disconnect(conn->priv);
	free(conn->maps);
	conn->maps = NULL;
	conn->nr_maps = conn->maps_cap = 0;
	if (conn->fd >= 0)
		close(conn->fd);
	conn->fd = -1;
}
