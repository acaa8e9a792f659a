/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_vfu_msg: vfio-user framing, used by both ends: one message is a
 * 16-byte header and a payload on an AF_UNIX stream socket, with file
 * descriptors passed as SCM_RIGHTS. Sends and receives a whole message
 * (retrying short transfers within the I/O timeout), bounds its size and
 * fd count, and makes every received fd close-on-exec.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "evq_log.h"
#include "evq_vfio_user.h"

/* most fds one control message can pass (the kernel's SCM_MAX_FD) */
#define EVQ_VFU_CMSG_FDS_MAX	253

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

int
evq_vfu_wait(int fd, short ev)
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
		return evq_vfu_wait(fd, ev);
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
			mh.msg_control = cbuf;
			mh.msg_controllen = sizeof(cbuf);
			evq_vfu_cmsg_put_fds(&mh, fds, nfds);
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

int
evq_vfu_cmsg_put_fds(struct msghdr *mh, const int *fds, unsigned int nfds)
{
	struct cmsghdr *c;

	if (nfds == 0 || nfds > EVQ_VFU_CMSG_FDS_MAX || mh->msg_control == NULL ||
			mh->msg_controllen < CMSG_SPACE(sizeof(int) * nfds))
		return -EINVAL;
	memset(mh->msg_control, 0, CMSG_SPACE(sizeof(int) * nfds));
	mh->msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
	c = CMSG_FIRSTHDR(mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
	memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	return 0;
}

void
evq_vfu_cmsg_close_fds(struct msghdr *mh)
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
			evq_vfu_cmsg_close_fds(&mh);
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
		evq_vfu_cmsg_close_fds(&mh);
		return -EBADMSG;
	}
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		size_t k, cnt;
		int *f;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
			evq_vfu_cmsg_close_fds(&mh);
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
