/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * fuzz_sock: the single-threaded socket pair of the vfio-user fuzz targets
 * (what and why: fuzz_sock.h). The targets are linked with
 * --wrap=sendmsg, --wrap=recvmsg, --wrap=poll, --wrap=shutdown and
 * --wrap=close; a call on one of the pair's two fds is handled here,
 * every other fd goes straight to the system.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "evq_vfio_user.h"
#include "fuzz_sock.h"

ssize_t __real_sendmsg(int fd, const struct msghdr *mh, int flags);
ssize_t __real_recvmsg(int fd, struct msghdr *mh, int flags);
int __real_poll(struct pollfd *fds, nfds_t n, int timeout);
int __real_shutdown(int fd, int how);
int __real_close(int fd);
ssize_t __wrap_sendmsg(int fd, const struct msghdr *mh, int flags);
ssize_t __wrap_recvmsg(int fd, struct msghdr *mh, int flags);
int __wrap_poll(struct pollfd *fds, nfds_t n, int timeout);
int __wrap_shutdown(int fd, int how);
int __wrap_close(int fd);

/* The harness's own branches are not the code under test: no coverage
 * feedback from this file (it would keep inputs that differ only in how
 * the emulation went). */
#pragma clang attribute push(__attribute__((no_sanitize("coverage"))), apply_to = function)

/* fds one write may carry (the kernel allows 253; no sender here needs more) */
#define FUZZ_SOCK_MAX_FDS	64

/* What one write left in the reader's queue. */
struct fuzz_seg {
	struct fuzz_seg *next;
	size_t cap;			/* room for data */
	size_t len, off;		/* bytes, and how many were read */
	unsigned int nfds;		/* fds not taken yet (the first read takes them) */
	int fds[FUZZ_SOCK_MAX_FDS];
	uint8_t data[];
};

/* One end of the pair. */
struct fuzz_end {
	int fd;
	bool open;
	bool shut_rd, shut_wr;
	bool discard;			/* what is written to this end is dropped */
	struct fuzz_seg *head, *tail;	/* written by the other end, for this one */
	void (*peer)(void *arg);
	void *peer_arg;
};

static struct fuzz_end fuzz_ends[2];
/* read segments of FUZZ_SEG_MIN bytes, kept for the next writes (no
 * allocation per message: most messages are smaller) */
#define FUZZ_SEG_MIN	512
static struct fuzz_seg *fuzz_seg_pool;
static unsigned int fuzz_seg_pooled;
static bool fuzz_pair_live;	/* both ends registered, at least one open */
static bool fuzz_pair_real;	/* the kernel carries the bytes */
static bool fuzz_peer_running;	/* peers do not nest */

bool
fuzz_sock_use_real(const uint8_t *data, size_t size)
{
	static int forced = -1;
	uint32_t h = 2166136261u;	/* FNV-1a */
	size_t i;

	if (forced < 0) {
		const char *e = getenv("EVQ_FUZZ_REAL_SOCKETS");

		forced = e != NULL && strcmp(e, "1") == 0;
	}
	if (forced)
		return true;
	/* the size and the first bytes are enough to spread the inputs */
	h = (h ^ (uint32_t)size) * 16777619u;
	for (i = 0; i < size && i < 256; i++)
		h = (h ^ data[i]) * 16777619u;
	return h % FUZZ_SOCK_REAL_EVERY == 0;
}

/* A segment for len bytes: from the pool when one is large enough. */
static struct fuzz_seg *
fuzz_seg_get(size_t len)
{
	struct fuzz_seg **p, *s;
	size_t cap = len < FUZZ_SEG_MIN ? FUZZ_SEG_MIN : len;

	for (p = &fuzz_seg_pool; *p != NULL; p = &(*p)->next) {
		if ((*p)->cap >= len) {
			s = *p;
			*p = s->next;
			fuzz_seg_pooled--;
			return s;
		}
	}
	s = malloc(sizeof(*s) + cap);
	if (s != NULL)
		s->cap = cap;
	return s;
}

/* Back to the pool (small ones, a few: the rest are freed). */
static void
fuzz_seg_put(struct fuzz_seg *s)
{
	if (fuzz_seg_pooled >= 64 || s->cap > FUZZ_SEG_MIN) {
		free(s);
		return;
	}
	s->next = fuzz_seg_pool;
	fuzz_seg_pool = s;
	fuzz_seg_pooled++;
}

static void
fuzz_queue_free(struct fuzz_end *e)
{
	while (e->head != NULL) {
		struct fuzz_seg *s = e->head;
		unsigned int i;

		e->head = s->next;
		for (i = 0; i < s->nfds; i++)
			__real_close(s->fds[i]);
		fuzz_seg_put(s);
	}
	e->tail = NULL;
}

static void
fuzz_pair_forget(void)
{
	fuzz_queue_free(&fuzz_ends[0]);
	fuzz_queue_free(&fuzz_ends[1]);
	memset(fuzz_ends, 0, sizeof(fuzz_ends));
	fuzz_ends[0].fd = fuzz_ends[1].fd = -1;
	fuzz_pair_live = false;
}

void
fuzz_sock_pair(int sv[2], bool real)
{
	int i;

	if (fuzz_pair_live)
		fuzz_pair_forget();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		abort();
	memset(fuzz_ends, 0, sizeof(fuzz_ends));
	for (i = 0; i < 2; i++) {
		fuzz_ends[i].fd = sv[i];
		fuzz_ends[i].open = true;
	}
	fuzz_pair_live = true;
	fuzz_pair_real = real;
}

/* The open end of the pair that fd is, or NULL. */
static struct fuzz_end *
fuzz_end_of(int fd)
{
	int i;

	if (!fuzz_pair_live || fd < 0)
		return NULL;
	for (i = 0; i < 2; i++)
		if (fuzz_ends[i].open && fuzz_ends[i].fd == fd)
			return &fuzz_ends[i];
	return NULL;
}

static struct fuzz_end *
fuzz_other(const struct fuzz_end *e)
{
	return e == &fuzz_ends[0] ? &fuzz_ends[1] : &fuzz_ends[0];
}

void
fuzz_sock_set_peer(int fd, void (*peer)(void *arg), void *arg)
{
	struct fuzz_end *e = fuzz_end_of(fd);

	if (e == NULL)
		abort();
	e->peer = peer;
	e->peer_arg = arg;
}

void
fuzz_sock_discard(int fd)
{
	struct fuzz_end *e = fuzz_end_of(fd);

	if (e == NULL)
		abort();
	e->discard = true;
}

/* End e would wait: let its peer run (once, not from inside a peer). */
static void
fuzz_run_peer(struct fuzz_end *e)
{
	if (e->peer == NULL || fuzz_peer_running)
		return;
	fuzz_peer_running = true;
	e->peer(e->peer_arg);
	fuzz_peer_running = false;
}

/* ------------------------------------------------------- in memory --- */

static bool
fuzz_at_eof(const struct fuzz_end *e)
{
	const struct fuzz_end *o = fuzz_other(e);

	return e->shut_rd || !o->open || o->shut_wr;
}

static short
fuzz_revents(const struct fuzz_end *e, short events)
{
	const struct fuzz_end *o = fuzz_other(e);
	short r = 0;

	if (e->head != NULL || fuzz_at_eof(e))
		r |= POLLIN;
	if (!e->shut_wr && o->open && !o->shut_rd)
		r |= POLLOUT;
	r &= events;
	if (!o->open)
		r |= POLLHUP;
	return r;
}

static ssize_t
fuzz_mem_sendmsg(struct fuzz_end *e, const struct msghdr *mh)
{
	struct fuzz_end *o = fuzz_other(e);
	struct fuzz_seg *s;
	struct cmsghdr *c;
	size_t len = 0, i, at = 0;
	unsigned int k;

	if (e->shut_wr || !o->open || o->shut_rd) {
		errno = EPIPE;
		return -1;
	}
	for (i = 0; i < (size_t)mh->msg_iovlen; i++)
		len += mh->msg_iov[i].iov_len;
	if (len == 0)
		return 0;	/* a stream socket sends nothing, fds included */
	if (o->discard)
		return (ssize_t)len;	/* read and dropped: the fds were never its own */
	s = fuzz_seg_get(len);
	if (s == NULL) {
		errno = ENOBUFS;
		return -1;
	}
	s->next = NULL;
	s->len = len;
	s->off = 0;
	s->nfds = 0;
	for (i = 0; i < (size_t)mh->msg_iovlen; i++) {
		memcpy(s->data + at, mh->msg_iov[i].iov_base, mh->msg_iov[i].iov_len);
		at += mh->msg_iov[i].iov_len;
	}
	/* the reader gets its own copies of the fds, as SCM_RIGHTS does */
	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR((struct msghdr *)mh, c)) {
		size_t cnt = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		int *f = (int *)CMSG_DATA(c);

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
				s->nfds + cnt > FUZZ_SOCK_MAX_FDS)
			goto einval;
		for (i = 0; i < cnt; i++) {
			int d = fcntl(f[i], F_DUPFD_CLOEXEC, 0);

			if (d < 0)
				goto ebadf;
			s->fds[s->nfds++] = d;
		}
	}
	if (o->tail != NULL)
		o->tail->next = s;
	else
		o->head = s;
	o->tail = s;
	return (ssize_t)len;
einval:
	errno = EINVAL;
	goto fail;
ebadf:
	errno = EBADF;
fail:
	for (k = 0; k < s->nfds; k++)
		__real_close(s->fds[k]);
	fuzz_seg_put(s);
	return -1;
}

static ssize_t
fuzz_mem_recvmsg(struct fuzz_end *e, struct msghdr *mh, int flags)
{
	int fds[FUZZ_SOCK_MAX_FDS];
	unsigned int nfds = 0, fit, k;
	size_t got = 0, iov = 0, iov_off = 0;
	size_t ctl_cap = mh->msg_control != NULL ? mh->msg_controllen : 0;

	if (flags & MSG_PEEK) {
		fprintf(stderr, "fuzz_sock: MSG_PEEK is not emulated\n");
		abort();
	}
	if (e->head == NULL)
		fuzz_run_peer(e);
	mh->msg_flags = 0;
	mh->msg_controllen = 0;
	if (e->head == NULL) {
		if (fuzz_at_eof(e))
			return 0;
		errno = EAGAIN;
		return -1;
	}
	/* the kernel's stream rules: segments are glued until one carrying
	 * fds has been read from; its fds come with that read, which ends there */
	while (e->head != NULL && iov < (size_t)mh->msg_iovlen) {
		struct fuzz_seg *s = e->head;
		size_t room = mh->msg_iov[iov].iov_len - iov_off;
		size_t n = s->len - s->off < room ? s->len - s->off : room;
		bool took_fds = false;

		if (room == 0) {
			iov++;
			iov_off = 0;
			continue;
		}
		memcpy((uint8_t *)mh->msg_iov[iov].iov_base + iov_off, s->data + s->off, n);
		s->off += n;
		iov_off += n;
		got += n;
		if (s->nfds != 0) {
			memcpy(fds, s->fds, sizeof(int) * s->nfds);
			nfds = s->nfds;
			s->nfds = 0;
			took_fds = true;
		}
		if (s->off < s->len)
			break;
		e->head = s->next;
		if (e->head == NULL)
			e->tail = NULL;
		fuzz_seg_put(s);
		if (took_fds)
			break;
	}
	if (nfds != 0) {
		/* as many as the control buffer holds; the rest are closed */
		for (fit = nfds; fit != 0 && CMSG_SPACE(sizeof(int) * fit) > ctl_cap; fit--)
			;
		if (fit != 0) {
			mh->msg_controllen = ctl_cap;
			evq_vfu_cmsg_put_fds(mh, fds, fit);
		}
		for (k = fit; k < nfds; k++)
			__real_close(fds[k]);
		if (fit < nfds)
			mh->msg_flags |= MSG_CTRUNC;
	}
	return (ssize_t)got;
}

/* ---------------------------------------------------------- wrappers --- */

ssize_t
__wrap_sendmsg(int fd, const struct msghdr *mh, int flags)
{
	struct fuzz_end *e = fuzz_end_of(fd);

	if (e == NULL || fuzz_pair_real)
		return __real_sendmsg(fd, mh, flags);
	return fuzz_mem_sendmsg(e, mh);
}

ssize_t
__wrap_recvmsg(int fd, struct msghdr *mh, int flags)
{
	struct fuzz_end *e = fuzz_end_of(fd);

	if (e == NULL)
		return __real_recvmsg(fd, mh, flags);
	if (!fuzz_pair_real)
		return fuzz_mem_recvmsg(e, mh, flags);
	if (e->peer != NULL) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (__real_poll(&p, 1, 0) == 0)
			fuzz_run_peer(e);
	}
	return __real_recvmsg(fd, mh, flags);
}

int
__wrap_poll(struct pollfd *fds, nfds_t n, int timeout)
{
	nfds_t i, ours = 0;
	int ready = 0;

	for (i = 0; i < n; i++)
		if (fuzz_end_of(fds[i].fd) != NULL)
			ours++;
	if (ours == 0)
		return __real_poll(fds, n, timeout);
	if (ours != n) {
		/* no caller here mixes the pair with other fds */
		fprintf(stderr, "fuzz_sock: poll() on the pair and other fds\n");
		abort();
	}
	/* Both ends are in this thread: once the peers had their turn,
	 * nothing more can come while it would wait, so "not ready" is the
	 * timeout, reported at once. */
	if (fuzz_pair_real) {
		ready = __real_poll(fds, n, 0);
		if (ready != 0 || timeout == 0)
			return ready;
		for (i = 0; i < n; i++)
			fuzz_run_peer(fuzz_end_of(fds[i].fd));
		return __real_poll(fds, n, 0);
	}
	for (i = 0; i < n; i++) {
		fds[i].revents = fuzz_revents(fuzz_end_of(fds[i].fd), fds[i].events);
		ready += fds[i].revents != 0;
	}
	if (ready != 0 || timeout == 0)
		return ready;
	for (i = 0; i < n; i++) {
		struct fuzz_end *e = fuzz_end_of(fds[i].fd);

		if (e != NULL)
			fuzz_run_peer(e);
	}
	for (i = 0; i < n; i++) {
		struct fuzz_end *e = fuzz_end_of(fds[i].fd);

		/* a peer may have closed this end: poll reports POLLNVAL */
		fds[i].revents = e != NULL ? fuzz_revents(e, fds[i].events) : POLLNVAL;
		ready += fds[i].revents != 0;
	}
	return ready;
}

int
__wrap_shutdown(int fd, int how)
{
	struct fuzz_end *e = fuzz_end_of(fd);

	if (e != NULL) {
		if (how == SHUT_RD || how == SHUT_RDWR)
			e->shut_rd = true;
		if (how == SHUT_WR || how == SHUT_RDWR)
			e->shut_wr = true;
	}
	return __real_shutdown(fd, how);
}

int
__wrap_close(int fd)
{
	struct fuzz_end *e = fuzz_end_of(fd);

	if (e != NULL) {
		e->open = false;
		fuzz_queue_free(e);	/* unread input to a closed end is dropped */
		if (!fuzz_other(e)->open)
			fuzz_pair_forget();
	}
	return __real_close(fd);
}

#pragma clang attribute pop
