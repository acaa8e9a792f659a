/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * fuzz_stream.h: the input format shared by the vfio-user stream targets
 * (fuzz_vfu_server, fuzz_vfu_client) and by the session recorder
 * (devtools/fuzz.d/record.py), and the helpers that turn it into socket
 * writes with file descriptors attached.
 *
 * An input is a sequence of records, each sent with one sendmsg():
 *   u8   fd spec: bits 0-2 = number of fds attached (0..7),
 *                 bits 3-4 = their kind (FUZZ_FD_*)
 *   u32  memfd size in 4 KiB pages (little endian), only for FUZZ_FD_MEMFD
 *        with at least one fd
 *   u16  byte count n (little endian)
 *   n    bytes (fewer if the input ends first)
 * A recorded session is the client's messages in this format, one record
 * per message, its fds described by kind and size. The fd-passing control
 * data is built by the vfio-user framing module (evq_vfu_cmsg_put_fds), as
 * for the real messages.
 */

#ifndef EVQ_FUZZ_STREAM_H
#define EVQ_FUZZ_STREAM_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "evq_vfio_user.h"

enum fuzz_fd_kind {
	FUZZ_FD_MEMFD = 0,	/* a memory file of the given size */
	FUZZ_FD_EVENTFD = 1,
	FUZZ_FD_DEVNULL = 2,	/* a character device, not memory */
	FUZZ_FD_PIPE = 3,	/* neither a file nor an eventfd */
};

/* Largest memory file a record may ask for (sparse: costs no memory). */
#define FUZZ_MEMFD_MAX_PAGES	(1u << 18)	/* 1 GiB */

struct fuzz_record {
	unsigned int nfds;
	enum fuzz_fd_kind kind;
	uint64_t memfd_size;
	const uint8_t *data;
	size_t len;
};

/* Take the next record from *in (*left bytes); 0 or -1 at the end. */
static inline int
fuzz_record_next(const uint8_t **in, size_t *left, struct fuzz_record *r)
{
	const uint8_t *p = *in;
	size_t n = *left, need;

	if (n < 3)
		return -1;
	r->nfds = p[0] & 7;
	r->kind = (enum fuzz_fd_kind)((p[0] >> 3) & 3);
	r->memfd_size = 0;
	p++;
	n--;
	if (r->nfds != 0 && r->kind == FUZZ_FD_MEMFD) {
		uint32_t pages;

		if (n < 6)
			return -1;
		pages = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			(uint32_t)p[3] << 24;
		r->memfd_size = (uint64_t)(pages % (FUZZ_MEMFD_MAX_PAGES + 1)) * 4096;
		p += 4;
		n -= 4;
	}
	need = (size_t)p[0] | (size_t)p[1] << 8;
	p += 2;
	n -= 2;
	r->data = p;
	r->len = need < n ? need : n;
	*in = p + r->len;
	*left = n - r->len;
	return 0;
}

/* Make one fd of the record's kind; -1 on failure. */
static inline int
fuzz_make_fd(const struct fuzz_record *r)
{
	int fd = -1, p[2];

	switch (r->kind) {
	case FUZZ_FD_MEMFD:
		fd = memfd_create("fuzz-dma", MFD_CLOEXEC);
		if (fd >= 0 && ftruncate(fd, (off_t)r->memfd_size) < 0) {
			close(fd);
			fd = -1;
		}
		break;
	case FUZZ_FD_EVENTFD:
		fd = eventfd(0, EFD_CLOEXEC);
		break;
	case FUZZ_FD_DEVNULL:
		fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		break;
	case FUZZ_FD_PIPE:
		if (pipe2(p, O_CLOEXEC) == 0) {
			close(p[1]);
			fd = p[0];
		}
		break;
	}
	return fd;
}

/*
 * Send a record's bytes on sock with its fds (made here, with the first
 * byte, and closed after sending: the receiver has its own copies). A
 * record without bytes but with fds sends one zero byte, as SCM_RIGHTS
 * needs data. *done counts the bytes sent (0 before the first call): when
 * the socket has no room, -EAGAIN comes back and a later call goes on from
 * there. Returns 0 once all is sent, or a negative errno (the peer
 * closed...).
 */
static inline int
fuzz_record_send(int sock, const struct fuzz_record *r, size_t *done)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 7)];
	static const uint8_t zero;
	const uint8_t *bytes = r->len != 0 ? r->data : &zero;
	size_t len = r->len != 0 ? r->len : 1;

	if (r->len == 0 && r->nfds == 0)
		return 0;
	while (*done < len) {
		struct iovec iov = { (void *)(bytes + *done), len - *done };
		struct msghdr mh;
		unsigned int i, n = 0;
		int fds[7];
		ssize_t sent;

		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		for (i = 0; *done == 0 && i < r->nfds; i++) {
			int fd = fuzz_make_fd(r);

			if (fd >= 0)
				fds[n++] = fd;
		}
		if (n != 0) {
			mh.msg_control = cbuf;
			mh.msg_controllen = sizeof(cbuf);
			evq_vfu_cmsg_put_fds(&mh, fds, n);
		}
		sent = sendmsg(sock, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
		for (i = 0; i < n; i++)
			close(fds[i]);
		if (sent < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		*done += (size_t)sent;
	}
	return 0;
}

/* Read and drop everything on sock (closing received fds) until EOF, or
 * with MSG_DONTWAIT in flags until nothing is left for now. */
static inline void
fuzz_drain(int sock, int flags)
{
	for (;;) {
		char buf[65536], cbuf[CMSG_SPACE(sizeof(int) * 64)];
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
		ssize_t n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | flags);

		if (n < 0 && errno == EINTR)
			continue;
		if (n >= 0)
			evq_vfu_cmsg_close_fds(&mh);
		if (n <= 0)
			return;
	}
}

#endif /* EVQ_FUZZ_STREAM_H */
