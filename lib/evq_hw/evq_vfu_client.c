/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_vfu_client: the client side of vfio-user, the driver's end of the
 * socket. Connects, negotiates VERSION, and offers one call per request
 * (device, region and irq info, SET_IRQS, region read/write, DMA map and
 * unmap, reset); every reply is checked against the request before the
 * caller sees it. Calls on one connection are serialised.
 */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "evq_log.h"
#include "evq_vfio_user.h"

int
evq_vfu_client_connect(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	if (path == NULL || strlen(path) >= sizeof(sa.sun_path))
		return -EINVAL;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	return fd;
}

int
evq_vfu_client_conn_init(struct evq_vfu_conn *conn, int fd)
{
	memset(conn, 0, sizeof(*conn));
	conn->fd = fd;
	evq_vfu_caps_default(&conn->caps);
	pthread_mutex_init(&conn->lock, NULL);
	conn->next_msg_id = 1;
	return 0;
}

void
evq_vfu_client_conn_close(struct evq_vfu_conn *conn)
{
	if (conn->fd >= 0 && !conn->is_server) {
		close(conn->fd);
		pthread_mutex_destroy(&conn->lock);
	}
	conn->fd = -1;
}

int
evq_vfu_client_call(struct evq_vfu_conn *conn, uint16_t command, const void *req,
		size_t req_len, const int *fds, unsigned int nfds, void *reply_buf,
		size_t reply_max, size_t *reply_len, int *rfds, unsigned int *nrfds)
{
	struct evq_vfu_hdr h;
	struct evq_vfu_msg m;
	unsigned int cap = nrfds != NULL ? *nrfds : 0, i;
	int ret;

	if (conn->broken)
		return -ENOTCONN;
	pthread_mutex_lock(&conn->lock);
	memset(&h, 0, sizeof(h));
	h.msg_id = conn->next_msg_id++;
	h.command = command;
	ret = evq_vfu_send(conn->fd, &h, req, req_len, fds, nfds);
	if (ret != 0) {
		conn->broken = true;
		pthread_mutex_unlock(&conn->lock);
		return ret;
	}
	/* A device that does not answer within the I/O timeout is broken: wait
	 * with poll() first so a blocking socket cannot hang the caller. */
	do {
		ret = evq_vfu_wait(conn->fd, POLLIN);
		if (ret == 0)
			ret = evq_vfu_recv(conn->fd, &m, reply_max > UINT32_MAX - sizeof(h) - 64 ?
					UINT32_MAX : (uint32_t)(reply_max + sizeof(h) + 64));
	} while (ret == -EAGAIN);
	if (ret != 0) {
		conn->broken = true;
		pthread_mutex_unlock(&conn->lock);
		return ret;
	}
	pthread_mutex_unlock(&conn->lock);
	if (m.hdr.msg_id != h.msg_id || m.hdr.command != command ||
			(m.hdr.flags & EVQ_VFU_F_TYPE_MASK) != EVQ_VFU_F_TYPE_REPLY ||
			m.len > reply_max || m.nfds > cap) {
		evq_vfu_msg_release(&m);
		return -EPROTO;
	}
	if (m.hdr.flags & EVQ_VFU_F_ERROR) {
		/* a hostile errno must not turn into success or overflow */
		ret = m.hdr.error_no == 0 ? -EIO :
			m.hdr.error_no > 4095 ? -EPROTO : -(int)m.hdr.error_no;
		evq_vfu_msg_release(&m);
		return ret;
	}
	if (reply_buf != NULL && m.len != 0)
		memcpy(reply_buf, m.payload, m.len);
	if (reply_len != NULL)
		*reply_len = m.len;
	for (i = 0; i < m.nfds; i++) {
		rfds[i] = m.fds[i];
		m.fds[i] = -1;
	}
	if (nrfds != NULL)
		*nrfds = m.nfds;
	m.nfds = 0;
	evq_vfu_msg_release(&m);
	return 0;
}

int
evq_vfu_client_post(struct evq_vfu_conn *conn, uint16_t command, const void *req,
		size_t req_len, const int *fds, unsigned int nfds)
{
	struct evq_vfu_hdr h;
	int ret;

	if (conn->broken)
		return -ENOTCONN;
	pthread_mutex_lock(&conn->lock);
	memset(&h, 0, sizeof(h));
	h.msg_id = conn->next_msg_id++;
	h.command = command;
	h.flags = EVQ_VFU_F_NO_REPLY;
	ret = evq_vfu_send(conn->fd, &h, req, req_len, fds, nfds);
	if (ret != 0)
		conn->broken = true;
	pthread_mutex_unlock(&conn->lock);
	return ret;
}

int
evq_vfu_client_negotiate(struct evq_vfu_conn *conn, const struct evq_vfu_caps *offer)
{
	struct evq_vfu_caps o, got, caps;
	char json[512];
	uint8_t req[4 + sizeof(json)], reply[4 + EVQ_VFU_JSON_MAX + 1];
	size_t rlen = 0;
	uint16_t major, minor;
	int n, ret;

	if (offer != NULL) {
		o = *offer;
	} else {
		o.max_msg_fds = 16;
		o.max_data_xfer_size = 1u << 20;
		o.max_dma_maps = 65535;
		o.pgsizes = 4096;
	}
	n = evq_vfu_caps_format(&o, json, sizeof(json));
	if (n < 0)
		return n;
	major = EVQ_VFU_MAJOR;
	minor = EVQ_VFU_MINOR;
	memcpy(req, &major, 2);
	memcpy(req + 2, &minor, 2);
	memcpy(req + 4, json, (size_t)n + 1);
	ret = evq_vfu_client_call(conn, EVQ_VFU_CMD_VERSION, req, 4 + (size_t)n + 1, NULL,
			0, reply, sizeof(reply) - 1, &rlen, NULL, NULL);
	if (ret != 0)
		return ret;
	if (rlen < 4)
		return -EPROTO;
	memcpy(&major, reply, 2);
	memcpy(&minor, reply + 2, 2);
	if (major != EVQ_VFU_MAJOR || minor > EVQ_VFU_MINOR)
		return -EPROTO;
	rlen -= 4;
	if (rlen > 0 && reply[4 + rlen - 1] == '\0')
		rlen--;
	if (evq_vfu_caps_parse((char *)reply + 4, rlen, &got) != 0)
		return -EPROTO;
	/*
	 * vfio-user.rst, VFIO_USER_VERSION: the server states what it can
	 * receive and supports, which may be more than this client offered
	 * (each side states its own limits): send within the server's
	 * limits, and never ask for more data than this end receives.
	 * Refused only when nothing can work: no fd per message (DMA_MAP and
	 * SET_IRQS need them), transfers too small, no common page size.
	 */
	caps = got;
	if (caps.max_msg_fds > EVQ_VFU_MAX_FDS)
		caps.max_msg_fds = EVQ_VFU_MAX_FDS;
	if (caps.max_data_xfer_size > o.max_data_xfer_size)
		caps.max_data_xfer_size = o.max_data_xfer_size;
	caps.pgsizes = got.pgsizes & o.pgsizes;
	if (caps.max_msg_fds == 0 || caps.max_data_xfer_size < EVQ_VFU_XFER_MIN ||
			caps.pgsizes == 0)
		return -EPROTO;
	conn->caps = caps;
	conn->local = o;
	conn->minor = minor;
	conn->negotiated = true;
	return 0;
}

int
evq_vfu_client_get_device_info(struct evq_vfu_conn *conn, struct evq_vfu_device_info *info)
{
	struct evq_vfu_device_info req = { .argsz = sizeof(req) };
	size_t len = 0;
	int ret;

	ret = evq_vfu_client_call(conn, EVQ_VFU_CMD_DEVICE_GET_INFO, &req, sizeof(req),
			NULL, 0, info, sizeof(*info), &len, NULL, NULL);
	if (ret != 0)
		return ret;
	if (len != sizeof(*info) || info->num_regions > EVQ_VFU_MAX_REGIONS ||
			info->num_irqs > EVQ_VFU_MAX_IRQS)
		return -EPROTO;
	conn->dev_info = *info;
	conn->have_dev_info = true;
	return 0;
}

int
evq_vfu_client_get_region_info(struct evq_vfu_conn *conn, uint32_t index,
		struct evq_vfu_region *region)
{
	uint8_t buf[EVQ_VFU_REGION_INFO_MAX];
	struct vfio_region_info req;
	size_t len = 0;
	unsigned int nfd = 1;
	int fd = -1, ret, pass;

	memset(region, 0, sizeof(*region));
	region->fd = -1;
	for (pass = 0; pass < 2; pass++) {
		memset(&req, 0, sizeof(req));
		req.argsz = pass == 0 ? sizeof(req) : EVQ_VFU_REGION_INFO_MAX;
		req.index = index;
		nfd = 1;
		fd = -1;
		ret = evq_vfu_client_call(conn, EVQ_VFU_CMD_DEVICE_GET_REGION_INFO, &req,
				sizeof(req), NULL, 0, buf, sizeof(buf), &len, &fd, &nfd);
		if (ret != 0)
			return ret;
		if (len < sizeof(req))
			goto bad;
		memcpy(&region->info, buf, sizeof(region->info));
		if (region->info.argsz > len && pass == 0) {
			if (nfd != 0)
				close(fd);
			if (region->info.argsz > EVQ_VFU_REGION_INFO_MAX)
				return -EPROTO;
			continue;
		}
		break;
	}
	if ((region->info.flags & VFIO_REGION_INFO_FLAG_MMAP) != 0) {
		if (nfd != 1)
			goto bad;
	} else if (nfd != 0) {
		goto bad;
	}
	if (region->info.flags & VFIO_REGION_INFO_FLAG_CAPS) {
		uint32_t off = region->info.cap_offset;
		uint32_t last = 0;

		while (off != 0) {
			struct vfio_info_cap_header h;

			if (off <= last || off < sizeof(req) || off + sizeof(h) > len)
				goto bad;
			memcpy(&h, buf + off, sizeof(h));
			if (h.id == VFIO_REGION_INFO_CAP_SPARSE_MMAP) {
				struct vfio_region_info_cap_sparse_mmap cap;
				uint32_t i;

				if (off + sizeof(cap) > len)
					goto bad;
				memcpy(&cap, buf + off, sizeof(cap));
				if (cap.nr_areas > EVQ_VFU_MAX_SPARSE_AREAS ||
						off + sizeof(cap) + cap.nr_areas *
						sizeof(region->areas[0]) > len)
					goto bad;
				memcpy(region->areas, buf + off + sizeof(cap),
					cap.nr_areas * sizeof(region->areas[0]));
				for (i = 0; i < cap.nr_areas; i++) {
					const struct vfio_region_sparse_mmap_area *a =
						&region->areas[i];

					if ((a->offset % 4096) != 0 || (a->size % 4096) != 0 ||
							a->offset + a->size < a->offset ||
							a->offset + a->size > region->info.size)
						goto bad;
				}
				region->nr_areas = cap.nr_areas;
			}
			last = off;
			off = h.next;
		}
	}
	region->fd = nfd == 1 ? fd : -1;
	return 0;
bad:
	if (nfd == 1 && fd >= 0)
		close(fd);
	return -EPROTO;
}

int
evq_vfu_client_get_irq_info(struct evq_vfu_conn *conn, uint32_t index,
		struct vfio_irq_info *info)
{
	struct vfio_irq_info req = { .argsz = sizeof(req), .index = index };
	size_t len = 0;
	int ret;

	ret = evq_vfu_client_call(conn, EVQ_VFU_CMD_DEVICE_GET_IRQ_INFO, &req, sizeof(req),
			NULL, 0, info, sizeof(*info), &len, NULL, NULL);
	if (ret != 0)
		return ret;
	if (len != sizeof(*info) || info->count > EVQ_VFU_MAX_IRQ_VECTORS)
		return -EPROTO;
	return 0;
}

int
evq_vfu_client_set_irqs(struct evq_vfu_conn *conn, uint32_t index, uint32_t flags,
		uint32_t start, uint32_t count, const int *fds, const uint8_t *bools)
{
	uint32_t data = flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	uint32_t done = 0;
	uint8_t buf[sizeof(struct vfio_irq_set) + EVQ_VFU_MAX_IRQ_VECTORS];

	if (count > EVQ_VFU_MAX_IRQ_VECTORS)
		return -EINVAL;
	do {
		struct vfio_irq_set set;
		uint32_t chunk = count - done;
		size_t len = sizeof(set);
		int ret;

		if (data == VFIO_IRQ_SET_DATA_EVENTFD && fds != NULL &&
				chunk > conn->caps.max_msg_fds)
			chunk = conn->caps.max_msg_fds;
		memset(&set, 0, sizeof(set));
		set.flags = flags;
		set.index = index;
		set.start = start + done;
		set.count = chunk;
		if (data == VFIO_IRQ_SET_DATA_BOOL) {
			memcpy(buf + sizeof(set), bools + done, chunk);
			len += chunk;
		}
		set.argsz = (uint32_t)len;
		memcpy(buf, &set, sizeof(set));
		ret = evq_vfu_client_call(conn, EVQ_VFU_CMD_DEVICE_SET_IRQS, buf, len,
				data == VFIO_IRQ_SET_DATA_EVENTFD && fds != NULL ? fds + done : NULL,
				data == VFIO_IRQ_SET_DATA_EVENTFD && fds != NULL ? chunk : 0,
				NULL, 0, NULL, NULL, NULL);
		if (ret != 0)
			return ret;
		done += chunk;
	} while (done < count);
	return 0;
}

static int
client_region_rw(struct evq_vfu_conn *conn, uint32_t region, uint64_t offset,
		void *buf, size_t count, bool write, bool posted)
{
	size_t done = 0, max = conn->caps.max_data_xfer_size;
	uint8_t *tmp;
	int ret = 0;

	if (count == 0)
		return -EINVAL;
	tmp = malloc(sizeof(struct evq_vfu_region_access) + (count < max ? count : max));
	if (tmp == NULL)
		return -ENOMEM;
	while (done < count) {
		struct evq_vfu_region_access ra;
		size_t chunk = count - done < max ? count - done : max, len = 0;

		ra.offset = offset + done;
		ra.region = region;
		ra.count = (uint32_t)chunk;
		memcpy(tmp, &ra, sizeof(ra));
		if (write) {
			memcpy(tmp + sizeof(ra), (uint8_t *)buf + done, chunk);
			if (posted)
				ret = evq_vfu_client_post(conn, EVQ_VFU_CMD_REGION_WRITE, tmp,
						sizeof(ra) + chunk, NULL, 0);
			else
				ret = evq_vfu_client_call(conn, EVQ_VFU_CMD_REGION_WRITE, tmp,
						sizeof(ra) + chunk, NULL, 0, tmp,
						sizeof(ra), &len, NULL, NULL);
		} else {
			uint8_t *reply = malloc(sizeof(ra) + chunk);

			if (reply == NULL) {
				ret = -ENOMEM;
				break;
			}
			ret = evq_vfu_client_call(conn, EVQ_VFU_CMD_REGION_READ, tmp, sizeof(ra),
					NULL, 0, reply, sizeof(ra) + chunk, &len, NULL, NULL);
			if (ret == 0 && len != sizeof(ra) + chunk)
				ret = -EPROTO;
			if (ret == 0)
				memcpy((uint8_t *)buf + done, reply + sizeof(ra), chunk);
			free(reply);
		}
		if (ret != 0)
			break;
		done += chunk;
	}
	free(tmp);
	return ret;
}

int
evq_vfu_client_region_read(struct evq_vfu_conn *conn, uint32_t region, uint64_t offset,
		void *buf, size_t count)
{
	return client_region_rw(conn, region, offset, buf, count, false, false);
}

int
evq_vfu_client_region_write(struct evq_vfu_conn *conn, uint32_t region, uint64_t offset,
		const void *buf, size_t count)
{
	return client_region_rw(conn, region, offset, (void *)buf, count, true, false);
}

int
evq_vfu_client_region_write_posted(struct evq_vfu_conn *conn, uint32_t region,
		uint64_t offset, const void *buf, size_t count)
{
	return client_region_rw(conn, region, offset, (void *)buf, count, true, true);
}

int
evq_vfu_client_dma_map(struct evq_vfu_conn *conn, int fd, uint64_t fd_offset,
		uint64_t iova, uint64_t size, uint32_t flags)
{
	struct evq_vfu_dma_map m = { sizeof(m), flags, fd_offset, iova, size };
	int ret;

	ret = evq_vfu_client_call(conn, EVQ_VFU_CMD_DMA_MAP, &m, sizeof(m), &fd, 1, NULL,
			0, NULL, NULL, NULL);
	if (ret == 0)
		conn->nr_dma_maps++;
	return ret;
}

int
evq_vfu_client_dma_unmap(struct evq_vfu_conn *conn, uint64_t iova, uint64_t size,
		uint32_t flags)
{
	struct evq_vfu_dma_unmap u = { sizeof(u), flags, iova, size }, r;
	size_t len = 0;
	int ret;

	ret = evq_vfu_client_call(conn, EVQ_VFU_CMD_DMA_UNMAP, &u, sizeof(u), NULL, 0, &r,
			sizeof(r), &len, NULL, NULL);
	if (ret == 0 && conn->nr_dma_maps != 0)
		conn->nr_dma_maps--;
	return ret;
}

int
evq_vfu_client_device_reset(struct evq_vfu_conn *conn)
{
	return evq_vfu_client_call(conn, EVQ_VFU_CMD_DEVICE_RESET, NULL, 0, NULL, 0, NULL,
			0, NULL, NULL, NULL);
}
