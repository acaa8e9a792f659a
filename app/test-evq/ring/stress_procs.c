/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * Concurrency stress of lib/evq_ring across two processes: the ring is an
 * evq_ring_shm in a memfd, the producer runs in a forked child (which maps
 * the memfd again, at its own address), the consumer in the parent sleeps
 * in epoll_wait() on the inherited eventfd (edge-triggered, as DPDK's
 * rte_intr_rx_ctl() registers it) and on a pidfd of the child, so a
 * crashing producer ends the wait at once. Same checks as stress_threads.c.
 * The child dies with the test (PR_SET_PDEATHSIG) and is killed and reaped
 * by the parent on any failure: no orphans.
 */

#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "stress_common.h"
#include "test_ring_modes.h"

#define PROCS_RING_NUMBER	3
#define PROCS_REAP_MS		5000

struct procs_variant {
	const char *name;
	uint64_t events;
	uint32_t ring_size;
	uint32_t publish_interval;
	uint64_t moderation_ns;
	unsigned int drain_one_in;
	unsigned int pause_one_in;
	unsigned int empty_max_log2;
};

struct procs_waiter {
	int epfd;
	int efd;
	int pidfd;		/* -1 once the child is reaped */
	pid_t child;
	bool child_reaped;
	int child_status;
};

static int
procs_pidfd_open(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	errno = ENOSYS;
	return -1;
#endif
}

static bool
procs_child_ok(int status)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Reap the child if it has exited; true if it is gone. */
static bool
procs_try_reap(struct procs_waiter *w)
{
	pid_t r;

	if (w->child_reaped)
		return true;
	r = waitpid(w->child, &w->child_status, WNOHANG);
	if (r == w->child || (r < 0 && errno == ECHILD)) {
		w->child_reaped = true;
		if (w->pidfd >= 0) {
			epoll_ctl(w->epfd, EPOLL_CTL_DEL, w->pidfd, NULL);
			close(w->pidfd);
			w->pidfd = -1;
		}
	}
	return w->child_reaped;
}

/*
 * Sleep on the eventfd. A child that exits cleanly (it has posted
 * everything) does not end the sleep; one that dies badly does.
 */
static int
procs_wait(void *arg, int timeout_ms)
{
	struct procs_waiter *w = arg;
	uint64_t deadline = stress_now_ns() + (uint64_t)timeout_ms * 1000000ull;

	for (;;) {
		struct epoll_event ev[2];
		uint64_t now = stress_now_ns();
		int left = now >= deadline ? 0 : (int)((deadline - now + 999999) / 1000000);
		uint64_t drained = 0;
		int n, i;

		n = epoll_wait(w->epfd, ev, 2, left);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return 0;
		for (i = 0; i < n; i++) {
			uint64_t v;

			if (ev[i].data.fd == w->efd) {
				if (read(w->efd, &v, sizeof(v)) == (ssize_t)sizeof(v))
					drained += v;
				else if (errno != EAGAIN)
					return -errno;
			} else if (procs_try_reap(w) && !procs_child_ok(w->child_status)) {
				return -ECHILD;
			}
		}
		if (drained != 0)
			return drained > INT32_MAX ? INT32_MAX : (int)drained;
	}
}

static void __attribute__((noreturn))
procs_child(int memfd, size_t len, int efd, struct stress_shared *sh,
		const struct stress_prod_cfg *cfg, uint64_t moderation_ns,
		pid_t parent)
{
	struct evq_ring_prod prod;
	void *mem;
	int rc;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(10);
	/* a mapping of our own, at another address than the consumer's */
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (mem == MAP_FAILED) {
		STRESS_PROD_FAIL(sh, "child mmap: %s", strerror(errno));
		_exit(11);
	}
	evq_ring_prod_init(&prod);
	rc = evq_ring_shm_prod_attach(&prod, mem, len, 0);
	if (rc == 0)
		rc = evq_ring_prod_bind_eventfd(&prod, efd);
	if (rc != 0) {
		STRESS_PROD_FAIL(sh, "child attach/bind: %d", rc);
		_exit(12);
	}
	if (moderation_ns != 0)
		evq_ring_prod_set_moderation(&prod, moderation_ns);
	stress_produce(&prod, sh, cfg);
	_exit(sh->prod.failed ? 1 : 0);
}

/* Wait (bounded) for the child to exit; kill it if it does not. */
static void
procs_reap(struct procs_waiter *w, bool kill_now)
{
	uint64_t deadline = stress_now_ns() + PROCS_REAP_MS * 1000000ull;

	if (kill_now && !procs_try_reap(w))
		kill(w->child, SIGKILL);
	while (!procs_try_reap(w)) {
		if (stress_now_ns() > deadline) {
			kill(w->child, SIGKILL);
			waitpid(w->child, &w->child_status, 0);
			w->child_reaped = true;
			break;
		}
		stress_sleep_us(200);
	}
}

struct procs_result {
	struct stress_shared *sh;
	int child_status;
	uint64_t leftover;
};

static void
procs_run(const struct procs_variant *v, struct procs_result *res)
{
	size_t len = evq_ring_shm_size(v->ring_size, STRESS_ENTRY_SIZE);
	struct procs_waiter w = { .epfd = -1, .pidfd = -1 };
	struct stress_prod_cfg pcfg;
	struct stress_cons_cfg ccfg;
	struct evq_ring_cons cons;
	struct epoll_event ev;
	struct stress_shared *sh;
	uint64_t seed = stress_seed();
	uint64_t t0, v8 = 0;
	char verdict[512];
	const char *bad;
	pid_t parent = getpid();
	void *mem;
	int memfd, rc;

	cr_assert_gt(len, 0);
	memfd = memfd_create("evq-stress-ring", MFD_CLOEXEC);
	cr_assert_geq(memfd, 0, "memfd_create: %s", strerror(errno));
	cr_assert_eq(ftruncate(memfd, (off_t)len), 0, "ftruncate: %s", strerror(errno));
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	cr_assert_neq(mem, MAP_FAILED, "mmap: %s", strerror(errno));
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(sh, MAP_FAILED, "mmap: %s", strerror(errno));
	memset(sh, 0, sizeof(*sh));

	rc = evq_ring_shm_format(mem, len, v->ring_size, STRESS_ENTRY_SIZE,
			PROCS_RING_NUMBER, test_validity);
	cr_assert_eq(rc, 0, "evq_ring_shm_format: %d", rc);
	rc = evq_ring_shm_cons_attach(&cons, mem, len, v->publish_interval);
	cr_assert_eq(rc, 0, "evq_ring_shm_cons_attach: %d", rc);
	w.efd = evq_eventfd_create();
	cr_assert_geq(w.efd, 0, "evq_eventfd_create: %d", w.efd);
	sh->wake_fd = w.efd;
	w.epfd = epoll_create1(EPOLL_CLOEXEC);
	cr_assert_geq(w.epfd, 0, "epoll_create1: %s", strerror(errno));
	ev = (struct epoll_event){ .events = EPOLLIN | EPOLLET, .data.fd = w.efd };
	cr_assert_eq(epoll_ctl(w.epfd, EPOLL_CTL_ADD, w.efd, &ev), 0);

	pcfg = (struct stress_prod_cfg){
		.events = v->events,
		.seed = seed,
		.poll_when_idle = v->moderation_ns != 0,
		.drain_one_in = v->drain_one_in,
		.pause_one_in = v->pause_one_in,
		.pause_max_us = 1000,
		.spin_max = 64,
	};
	ccfg = (struct stress_cons_cfg){
		.events = v->events,
		.seed = seed * 0x9e3779b97f4a7c15ull + 1,
		.timeout_ms = STRESS_SLEEP_TIMEOUT_MS,
		.wait = procs_wait,
		.wait_arg = &w,
		.empty_max_log2 = v->empty_max_log2,
	};

	fflush(NULL);
	t0 = stress_now_ns();
	w.child = fork();
	cr_assert_geq(w.child, 0, "fork: %s", strerror(errno));
	if (w.child == 0)
		procs_child(memfd, len, w.efd, sh, &pcfg, v->moderation_ns, parent);

	/* From here until the child is reaped: no assertion. */
	w.pidfd = procs_pidfd_open(w.child);
	if (w.pidfd >= 0) {
		ev = (struct epoll_event){ .events = EPOLLIN, .data.fd = w.pidfd };
		if (epoll_ctl(w.epfd, EPOLL_CTL_ADD, w.pidfd, &ev) != 0) {
			close(w.pidfd);
			w.pidfd = -1;
		}
	}
	stress_consume(&cons, sh, &ccfg);
	procs_reap(&w, sh->cons.failed);
	if (read(w.efd, &v8, sizeof(v8)) != (ssize_t)sizeof(v8))
		v8 = 0;

	stress_print(v->name, test_validity, sh, v->events, seed, stress_now_ns() - t0);
	fprintf(stderr, "  child exit status 0x%x\n", w.child_status);
	res->sh = sh;
	res->child_status = w.child_status;
	res->leftover = v8;
	close(w.epfd);
	close(w.efd);
	munmap(mem, len);
	close(memfd);

	bad = stress_verdict(sh, v->events, v8, verdict, sizeof(verdict));
	cr_assert_null(bad, "%s: %s", v->name, bad);
	cr_assert(procs_child_ok(w.child_status), "%s: producer child ended with"
			" status 0x%x", v->name, w.child_status);
}

ModeTest(ring_stress_procs, plain, .timeout = 40.0)
{
	struct procs_variant v = {
		.name = "procs/plain",
		STRESS_SHAPE_STEADY,
		.publish_interval = 64,
	};
	struct procs_result res;

	v.events = stress_events(1);
	procs_run(&v, &res);
	munmap(res.sh, sizeof(*res.sh));
}

ModeTest(ring_stress_procs, moderated, .timeout = 40.0)
{
	struct procs_variant v = {
		.name = "procs/moderated",
		STRESS_SHAPE_STEADY,
		.publish_interval = 0,
		.moderation_ns = STRESS_MODERATION_NS,
	};
	struct procs_result res;

	v.events = stress_events(1);
	procs_run(&v, &res);
	cr_assert_gt(res.sh->prod.stats.held, 0, "moderation never held a signal");
	munmap(res.sh, sizeof(*res.sh));
}

/* Arm against post across processes (see stress_threads.c, arm_race). */
ModeTest(ring_stress_procs, arm_race, .timeout = 40.0)
{
	struct procs_variant v = {
		.name = "procs/arm-race",
		STRESS_SHAPE_ARM_RACE,
	};
	struct procs_result res;

	v.events = stress_events(4);	/* one sleep per burst: slower */
	procs_run(&v, &res);
	munmap(res.sh, sizeof(*res.sh));
}
