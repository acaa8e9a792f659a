/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * Unit tests: the eventfd binding. A bound eventfd becomes readable exactly
 * when a signal is raised; evq_eventfd_wait() returns 0 on timeout, the
 * number of signals when signalled, and drains.
 */

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include "test_ring_common.h"

TestSuite(eventfd, .init = quiet_log_setup, .fini = tracked_cleanup,
		.timeout = 20);

static bool
readable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN);
}

ModeTest(eventfd, create_is_nonblocking_and_cloexec)
{
	int fd = evq_eventfd_create();
	uint64_t v;

	cr_assert_geq(fd, 0, "evq_eventfd_create: %d", fd);
	cr_assert(fcntl(fd, F_GETFL) & O_NONBLOCK, "not O_NONBLOCK");
	cr_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC, "not FD_CLOEXEC");
	cr_assert_not(readable(fd));
	cr_assert_eq(read(fd, &v, sizeof(v)), -1, "read of an empty eventfd blocked or succeeded");
	close(fd);
}

ModeTest(eventfd, bound_eventfd_readable_exactly_on_signal)
{
	struct rig *r = rig_new(16, 8, 8);
	int fd = evq_eventfd_create();
	uint64_t v = 0;

	cr_assert_geq(fd, 0);
	cr_assert_eq(evq_ring_prod_bind_eventfd(&r->p, fd), 0);

	/* posts while unarmed: no signal, not readable */
	rig_post_n(r, 0, 3);
	cr_assert_not(readable(fd), "readable without a signal");
	rig_drain_expect(r, 0, 3);
	/* armed, empty: still not readable */
	evq_ring_arm(&r->c);
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_not(readable(fd));
	/* a post on the armed ring: readable, value 1 */
	rig_post_n(r, 3, 1);
	cr_assert_eq(r->p.stats.signals, 1);
	cr_assert(readable(fd), "signal raised but eventfd not readable");
	cr_assert_eq(read(fd, &v, sizeof(v)), (ssize_t)sizeof(v));
	cr_assert_eq(v, 1, "eventfd counter %llu", (unsigned long long)v);
	/* further posts: no second write */
	rig_post_n(r, 4, 3);
	cr_assert_not(readable(fd));

	/* unbind: signals no longer write */
	rig_drain_expect(r, 3, 4);
	cr_assert_eq(evq_ring_prod_bind_eventfd(&r->p, -1), 0);
	evq_ring_arm(&r->c);
	rig_post_n(r, 7, 1);
	cr_assert_eq(r->p.stats.signals, 2);
	cr_assert_not(readable(fd), "unbound eventfd written");
	close(fd);
	rig_free(r);
}

ModeTest(eventfd, wait_times_out_counts_and_drains)
{
	struct rig *r = rig_new(16, 8, 8);
	int fd = evq_eventfd_create();
	int rc;

	cr_assert_geq(fd, 0);
	cr_assert_eq(evq_ring_prod_bind_eventfd(&r->p, fd), 0);
	rc = evq_eventfd_wait(fd, 0);
	cr_assert_eq(rc, 0, "wait on a quiet eventfd: %d", rc);
	rc = evq_eventfd_wait(fd, 20);
	cr_assert_eq(rc, 0, "wait(20 ms) on a quiet eventfd: %d", rc);

	evq_ring_arm(&r->c);
	rig_post_n(r, 0, 1);
	rc = evq_eventfd_wait(fd, 1000);
	cr_assert_eq(rc, 1, "wait after one signal: %d", rc);
	cr_assert_not(readable(fd), "wait did not drain");
	cr_assert_eq(evq_eventfd_wait(fd, 0), 0);

	/* two signals before one wait: both drained at once */
	rig_drain_expect(r, 0, 1);
	evq_ring_arm(&r->c);
	rig_post_n(r, 1, 1);
	rig_drain_expect(r, 1, 1);
	evq_ring_arm(&r->c);
	rig_post_n(r, 2, 1);
	cr_assert_eq(r->p.stats.signals, 3);
	rc = evq_eventfd_wait(fd, 1000);
	cr_assert_eq(rc, 2, "wait after two signals: %d", rc);
	cr_assert_eq(evq_eventfd_wait(fd, 0), 0);
	close(fd);
	rig_free(r);
}

ModeTest(eventfd, wait_on_bad_fd_is_negative_errno)
{
	cr_assert_lt(evq_eventfd_wait(-1, 0), 0);
}

struct waiter {
	int fd;
	int rc;
	volatile int started;
};

static void *
waiter_main(void *arg)
{
	struct waiter *w = arg;

	__atomic_store_n(&w->started, 1, __ATOMIC_RELEASE);
	w->rc = evq_eventfd_wait(w->fd, 10000);
	return NULL;
}

ModeTest(eventfd, sleeper_on_armed_ring_wakes_on_post)
{
	struct rig *r = rig_new(16, 8, 8);
	struct waiter w = { .fd = evq_eventfd_create(), .rc = -1 };
	pthread_t t;

	cr_assert_geq(w.fd, 0);
	cr_assert_eq(evq_ring_prod_bind_eventfd(&r->p, w.fd), 0);
	cr_assert_eq(evq_ring_arm_check(&r->c), 0);
	cr_assert_eq(pthread_create(&t, NULL, waiter_main, &w), 0);
	while (!__atomic_load_n(&w.started, __ATOMIC_ACQUIRE))
		sched_yield();
	rig_post_n(r, 0, 1);
	cr_assert_eq(pthread_join(t, NULL), 0);
	cr_assert_eq(w.rc, 1, "sleeper woke with %d", w.rc);
	rig_drain_expect(r, 0, 1);
	close(w.fd);
	rig_free(r);
}
