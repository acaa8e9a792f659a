/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_vfio_user: the one implementation of the vfio-user protocol subset
 * that evq needs, shared by the device (evq-sim, server side) and the
 * driver (net_evq, client side): framing with SCM_RIGHTS, VERSION
 * negotiation with a small strict JSON parser, a validating server
 * dispatcher and the client calls. Every length, offset, index and count
 * from the peer is checked.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "evq_log.h"
#include "evq_vfio_user.h"

static int vfu_io_timeout_ms = EVQ_VFU_DEFAULT_IO_TIMEOUT_MS;

void
evq_vfu_set_io_timeout(int timeout_ms)
{
	if (timeout_ms > 0)
		vfu_io_timeout_ms = timeout_ms;
}

const char *
evq_vfu_cmd_name(uint16_t command)
{
	static const char *const names[] = {
		"?", "VERSION", "DMA_MAP", "DMA_UNMAP", "DEVICE_GET_INFO",
		"DEVICE_GET_REGION_INFO", "DEVICE_GET_REGION_IO_FDS",
		"DEVICE_GET_IRQ_INFO", "DEVICE_SET_IRQS", "REGION_READ",
		"REGION_WRITE", "DMA_READ", "DMA_WRITE", "DEVICE_RESET",
	};

	return command < sizeof(names) / sizeof(names[0]) ? names[command] : "?";
}

/* ---------------------------------------------------------------- caps -- */

void
evq_vfu_caps_default(struct evq_vfu_caps *caps)
{
	caps->max_msg_fds = EVQ_VFU_DEFAULT_MAX_MSG_FDS;
	caps->max_data_xfer_size = EVQ_VFU_DEFAULT_MAX_XFER;
	caps->max_dma_maps = EVQ_VFU_DEFAULT_MAX_DMA_MAPS;
	caps->pgsizes = EVQ_VFU_DEFAULT_PGSIZES;
}

struct json {
	const char *s;
	size_t len, pos;
	int depth;
};

static void
json_ws(struct json *j)
{
	while (j->pos < j->len && (j->s[j->pos] == ' ' || j->s[j->pos] == '\t' ||
			j->s[j->pos] == '\n' || j->s[j->pos] == '\r'))
		j->pos++;
}

static int
json_string(struct json *j, char *out, size_t outsz)
{
	size_t n = 0;

	json_ws(j);
	if (j->pos >= j->len || j->s[j->pos] != '"')
		return -EINVAL;
	j->pos++;
	while (j->pos < j->len && j->s[j->pos] != '"') {
		char c = j->s[j->pos++];

		if ((unsigned char)c < 0x20)
			return -EINVAL;
		if (c == '\\') {
			if (j->pos >= j->len)
				return -EINVAL;
			c = j->s[j->pos++];
			if (strchr("\"\\/bfnrt", c) == NULL)
				return -EINVAL;
		}
		if (out != NULL && n + 1 < outsz)
			out[n++] = c;
	}
	if (j->pos >= j->len)
		return -EINVAL;
	j->pos++;
	if (out != NULL)
		out[n] = '\0';
	return 0;
}

static int
json_int(struct json *j, int64_t *v, bool *neg)
{
	uint64_t x = 0;
	bool any = false;

	json_ws(j);
	*neg = false;
	if (j->pos < j->len && j->s[j->pos] == '-') {
		*neg = true;
		j->pos++;
	}
	while (j->pos < j->len && j->s[j->pos] >= '0' && j->s[j->pos] <= '9') {
		unsigned d = (unsigned)(j->s[j->pos++] - '0');

		if (x > (UINT64_MAX - d) / 10)
			x = UINT64_MAX;	/* saturate */
		else
			x = x * 10 + d;
		any = true;
	}
	if (!any)
		return -EINVAL;
	*v = x > INT64_MAX ? INT64_MAX : (int64_t)x;
	return 0;
}

static int json_value(struct json *j, struct evq_vfu_caps *caps, bool in_caps,
		const char *key);

/* The capability keys we interpret: each must appear at most once and be a
 * non-negative integer. Unknown keys are skipped (forward compatibility). */
static const char *const caps_keys[] = { "max_msg_fds", "max_data_xfer_size",
	"max_dma_maps", "pgsizes" };
#define CAPS_KEYS_COUNT (sizeof(caps_keys) / sizeof(caps_keys[0]))
#define SEEN_CAPS_OBJECT (1u << 31)

static bool
is_caps_key(const char *key)
{
	unsigned int k;

	for (k = 0; k < CAPS_KEYS_COUNT; k++)
		if (strcmp(key, caps_keys[k]) == 0)
			return true;
	return false;
}

static int
json_object(struct json *j, struct evq_vfu_caps *caps, bool is_caps, unsigned *seen)
{
	json_ws(j);
	if (j->pos >= j->len || j->s[j->pos] != '{')
		return -EINVAL;
	if (++j->depth > EVQ_VFU_JSON_DEPTH)
		return -EINVAL;
	j->pos++;
	json_ws(j);
	if (j->pos < j->len && j->s[j->pos] == '}') {
		j->pos++;
		j->depth--;
		return 0;
	}
	for (;;) {
		char key[64];
		int ret;

		if (json_string(j, key, sizeof(key)) != 0)
			return -EINVAL;
		json_ws(j);
		if (j->pos >= j->len || j->s[j->pos] != ':')
			return -EINVAL;
		j->pos++;
		if (is_caps) {
			unsigned int k;

			for (k = 0; k < CAPS_KEYS_COUNT; k++) {
				if (strcmp(key, caps_keys[k]) == 0) {
					if (*seen & (1u << k))
						return -EINVAL;
					*seen |= 1u << k;
				}
			}
		} else if (j->depth == 1 && strcmp(key, "capabilities") == 0) {
			/* two capability objects: which one would the peer mean? */
			if (*seen & SEEN_CAPS_OBJECT)
				return -EINVAL;
			*seen |= SEEN_CAPS_OBJECT;
		}
		ret = json_value(j, caps, is_caps, key);
		if (ret != 0)
			return ret;
		json_ws(j);
		if (j->pos < j->len && j->s[j->pos] == ',') {
			j->pos++;
			continue;
		}
		if (j->pos < j->len && j->s[j->pos] == '}') {
			j->pos++;
			j->depth--;
			return 0;
		}
		return -EINVAL;
	}
}

static int
json_value(struct json *j, struct evq_vfu_caps *caps, bool in_caps, const char *key)
{
	unsigned int seen = 0;
	int64_t v;
	bool neg;

	json_ws(j);
	if (j->pos >= j->len)
		return -EINVAL;
	/* a known capability is a number, nothing else */
	if (in_caps && is_caps_key(key) && j->s[j->pos] != '-' &&
			(j->s[j->pos] < '0' || j->s[j->pos] > '9'))
		return -EINVAL;
	switch (j->s[j->pos]) {
	case '{':
		return json_object(j, caps, !in_caps && j->depth == 1 &&
				strcmp(key, "capabilities") == 0, &seen);
	case '"':
		return json_string(j, NULL, 0);
	case 't':
		if (j->len - j->pos >= 4 && memcmp(j->s + j->pos, "true", 4) == 0) {
			j->pos += 4;
			return 0;
		}
		return -EINVAL;
	case 'f':
		if (j->len - j->pos >= 5 && memcmp(j->s + j->pos, "false", 5) == 0) {
			j->pos += 5;
			return 0;
		}
		return -EINVAL;
	default:
		if (json_int(j, &v, &neg) != 0)
			return -EINVAL;
		if (!in_caps)
			return 0;
		if (is_caps_key(key)) {
			uint32_t v32;

			if (neg)
				return -EINVAL;
			v32 = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
			if (strcmp(key, "max_msg_fds") == 0)
				caps->max_msg_fds = v32;
			else if (strcmp(key, "max_data_xfer_size") == 0)
				caps->max_data_xfer_size = v32;
			else if (strcmp(key, "max_dma_maps") == 0)
				caps->max_dma_maps = v32;
			else
				caps->pgsizes = (uint64_t)v;
		}
		return 0;
	}
}

int
evq_vfu_caps_parse(const char *json, size_t len, struct evq_vfu_caps *caps)
{
	struct evq_vfu_caps tmp;
	struct json j = { json, len, 0, 0 };
	unsigned int seen = 0;

	evq_vfu_caps_default(&tmp);
	if (len == 0) {
		*caps = tmp;
		return 0;
	}
	if (json == NULL || len > EVQ_VFU_JSON_MAX || memchr(json, '\0', len) != NULL)
		return -EINVAL;
	if (json_object(&j, &tmp, false, &seen) != 0)
		return -EINVAL;
	json_ws(&j);
	if (j.pos != j.len)
		return -EINVAL;
	*caps = tmp;
	return 0;
}

int
evq_vfu_caps_format(const struct evq_vfu_caps *caps, char *buf, size_t size)
{
	int n = snprintf(buf, size, "{\"capabilities\":{\"max_msg_fds\":%u,"
		"\"max_data_xfer_size\":%u,\"max_dma_maps\":%u,\"pgsizes\":%llu}}",
		caps->max_msg_fds, caps->max_data_xfer_size, caps->max_dma_maps,
		(unsigned long long)caps->pgsizes);

	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	return n;
}

/* ------------------------------------------------------------- framing -- */

void
evq_vfu_msg_release(struct evq_vfu_msg *msg)
{
	unsigned int i;

	free(msg->payload);
	msg->payload = NULL;
	msg->len = 0;
	for (i = 0; i < msg->nfds; i++)
		if (msg->fds[i] >= 0)
			close(msg->fds[i]);
	msg->nfds = 0;
}

static int
wait_fd(int fd, short ev)
{
	struct pollfd p = { .fd = fd, .events = ev };
	int r;

	do {
		r = poll(&p, 1, vfu_io_timeout_ms);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return r == 0 ? -ETIMEDOUT : 0;
}

/* After a failed sendmsg()/recvmsg() inside a message: 0 = try again (a
 * signal, or the socket had no room/data and became ready within the I/O
 * timeout), else the negative errno to give up with. */
static int
io_retry(int fd, short ev)
{
	if (errno == EINTR)
		return 0;
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		return wait_fd(fd, ev);
	return -errno;
}

int
evq_vfu_send(int fd, const struct evq_vfu_hdr *hdr, const void *payload, size_t len,
		const int *fds, unsigned int nfds)
{
	struct evq_vfu_hdr h = *hdr;
	char cbuf[CMSG_SPACE(sizeof(int) * EVQ_VFU_MAX_FDS)];
	struct iovec iov[2];
	struct msghdr mh;
	size_t total, sent = 0;
	bool fds_sent = false;

	if (fd < 0 || nfds > EVQ_VFU_MAX_FDS || (len != 0 && payload == NULL) ||
			len > UINT32_MAX - sizeof(h))
		return -EINVAL;
	h.msg_size = (uint32_t)(sizeof(h) + len);
	total = h.msg_size;
	while (sent < total) {
		ssize_t n;
		unsigned int niov = 0;

		memset(&mh, 0, sizeof(mh));
		if (sent < sizeof(h)) {
			iov[niov].iov_base = (uint8_t *)&h + sent;
			iov[niov++].iov_len = sizeof(h) - sent;
			if (len != 0) {
				iov[niov].iov_base = (void *)payload;
				iov[niov++].iov_len = len;
			}
		} else {
			iov[niov].iov_base = (uint8_t *)payload + (sent - sizeof(h));
			iov[niov++].iov_len = total - sent;
		}
		mh.msg_iov = iov;
		mh.msg_iovlen = niov;
		if (!fds_sent && nfds != 0) {
			struct cmsghdr *c;

			memset(cbuf, 0, sizeof(cbuf));
			mh.msg_control = cbuf;
			mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
			c = CMSG_FIRSTHDR(&mh);
			c->cmsg_level = SOL_SOCKET;
			c->cmsg_type = SCM_RIGHTS;
			c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
			memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
		}
		/* MSG_DONTWAIT: a peer that stops reading costs at most the I/O
		 * timeout, whether or not the socket is blocking */
		n = sendmsg(fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			int r = io_retry(fd, POLLOUT);

			if (r == 0)
				continue;
			return r == -EPIPE ? -ECONNRESET : r;
		}
		fds_sent = true;
		sent += (size_t)n;
	}
	return 0;
}

static void
close_cmsg_fds(struct msghdr *mh)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int), i;
			int *f = (int *)CMSG_DATA(c);

			for (i = 0; i < n; i++)
				close(f[i]);
		}
	}
}

/* Read exactly len bytes (no fds expected). */
static int
read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		char cbuf[CMSG_SPACE(sizeof(int) * EVQ_VFU_MAX_FDS)];
		struct iovec iov = { (uint8_t *)buf + got, len - got };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
		/* the rest of a message must come within the I/O timeout, even
		 * on a blocking socket */
		ssize_t n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);

		if (n < 0) {
			int r = io_retry(fd, POLLIN);

			if (r == 0)
				continue;
			return r;
		}
		if (mh.msg_controllen != 0) {
			/* fds in the middle of a message: not allowed */
			close_cmsg_fds(&mh);
			return -EBADMSG;
		}
		if (n == 0)
			return -EBADMSG;	/* EOF inside a message */
		got += (size_t)n;
	}
	return 0;
}

int
evq_vfu_recv(int fd, struct evq_vfu_msg *msg, uint32_t max_size)
{
	char cbuf[CMSG_SPACE(sizeof(int) * EVQ_VFU_MAX_FDS)];
	struct iovec iov;
	struct msghdr mh;
	struct cmsghdr *c;
	ssize_t n;
	size_t got;
	int ret;

	memset(msg, 0, sizeof(*msg));
	for (;;) {
		memset(&mh, 0, sizeof(mh));
		iov.iov_base = &msg->hdr;
		iov.iov_len = sizeof(msg->hdr);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
		if (n < 0 && errno == EINTR)
			continue;
		break;
	}
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return -EAGAIN;
		return errno == ECONNRESET ? -ECONNRESET : -errno;
	}
	if (n == 0)
		return -ECONNRESET;
	if (mh.msg_flags & MSG_CTRUNC) {
		close_cmsg_fds(&mh);
		return -EBADMSG;
	}
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		size_t k, cnt;
		int *f;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
			close_cmsg_fds(&mh);
			evq_vfu_msg_release(msg);
			return -EBADMSG;
		}
		cnt = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		f = (int *)CMSG_DATA(c);
		for (k = 0; k < cnt; k++) {
			if (msg->nfds < EVQ_VFU_MAX_FDS)
				msg->fds[msg->nfds++] = f[k];
			else
				close(f[k]);
		}
	}
	got = (size_t)n;
	if (got < sizeof(msg->hdr)) {
		ret = read_full(fd, (uint8_t *)&msg->hdr + got, sizeof(msg->hdr) - got);
		if (ret != 0)
			goto fail;
	}
	if (msg->hdr.msg_size < sizeof(msg->hdr) || msg->hdr.msg_size > max_size) {
		ret = -EBADMSG;
		goto fail;
	}
	msg->len = msg->hdr.msg_size - (uint32_t)sizeof(msg->hdr);
	if (msg->len != 0) {
		msg->payload = malloc(msg->len + 1);
		if (msg->payload == NULL) {
			ret = -ENOMEM;
			goto fail;
		}
		ret = read_full(fd, msg->payload, msg->len);
		if (ret != 0)
			goto fail;
		((uint8_t *)msg->payload)[msg->len] = 0;
	}
	return 0;
fail:
	evq_vfu_msg_release(msg);
	return ret;
}

/* -------------------------------------------------------------- server -- */

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
	neg.max_msg_fds = peer.max_msg_fds < conn->local.max_msg_fds ?
		peer.max_msg_fds : conn->local.max_msg_fds;
	neg.max_data_xfer_size = peer.max_data_xfer_size < conn->local.max_data_xfer_size ?
		peer.max_data_xfer_size : conn->local.max_data_xfer_size;
	neg.max_dma_maps = peer.max_dma_maps < conn->local.max_dma_maps ?
		peer.max_dma_maps : conn->local.max_dma_maps;
	neg.pgsizes = peer.pgsizes & conn->local.pgsizes;
	if (neg.pgsizes == 0 || neg.max_data_xfer_size < EVQ_VFU_XFER_MIN)
		return -EINVAL;
	n = evq_vfu_caps_format(&neg, json, sizeof(json));
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

	if (m->len < sizeof(map) || m->nfds != 1)
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
	if (fstat(m->fds[0], &st) < 0 || !S_ISREG(st.st_mode) ||
			(uint64_t)st.st_size < map.offset + map.size)
		return -EINVAL;
	if (conn->ops->dma_map == NULL)
		return -ENOTSUP;
	ret = conn->ops->dma_map(conn->priv, &map, &m->fds[0]);
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
		for (i = 0; i < conn->nr_maps; i++)
			if (conn->maps[i].addr == u.addr && conn->maps[i].size == u.size)
				break;
		if (i == conn->nr_maps)
			return -ENOENT;
	}
	if (conn->ops->dma_unmap == NULL)
		return -ENOTSUP;
	ret = conn->ops->dma_unmap(conn->priv, &u);
	if (ret != 0)
		return ret;
	if (u.flags & EVQ_VFU_DMA_UNMAP_F_ALL) {
		conn->nr_maps = 0;
	} else {
		for (i = 0; i < conn->nr_maps; i++) {
			if (conn->maps[i].addr == u.addr && conn->maps[i].size == u.size) {
				conn->maps[i] = conn->maps[--conn->nr_maps];
				break;
			}
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
		info.flags |= VFIO_REGION_INFO_FLAG_CAPS;
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

/* -------------------------------------------------------------- client -- */

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
		ret = wait_fd(conn->fd, POLLIN);
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
	struct evq_vfu_caps o, got;
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
	if (got.max_msg_fds == 0 || got.max_msg_fds > o.max_msg_fds ||
			got.max_data_xfer_size > o.max_data_xfer_size ||
			got.max_dma_maps > o.max_dma_maps || (got.pgsizes & ~o.pgsizes) != 0 ||
			got.max_data_xfer_size < EVQ_VFU_XFER_MIN)
		return -EPROTO;
	conn->caps = got;
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
