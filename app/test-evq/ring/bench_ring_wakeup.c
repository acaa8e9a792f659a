/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * bench_ring_wakeup.c: wake-up latency of evq-bench-ring: a post on an
 * armed ring with a bound eventfd versus a raw eventfd write, consumer
 * asleep in epoll_wait.
 */

#include "bench_ring.h"
#include "bench_ring_proto.h"

/* ------------------------------------------------------------------ */
/* Wake-up latency                                                    */
/* ------------------------------------------------------------------ */

/*
 * Wake-up modes, taken in turn (iteration i uses mode i % nb_modes) so
 * that all see the same machine state.
 */
enum wake_mode {
	WAKE_EVQ,		/* evq_ring post on an armed ring, eventfd bound */
	WAKE_RAW,		/* eventfd write */
	WAKE_PHASE,		/* WAKE_EVQ on a phase-validity ring */
	WAKE_PROTO,		/* prototype: no producer fence, membarrier at arm */
	WAKE_MODES
};

static const char *const wake_names[WAKE_MODES] = {
	[WAKE_EVQ] = "evq",
	[WAKE_RAW] = "eventfd_raw",
	[WAKE_PHASE] = "evq phase",
	[WAKE_PROTO] = "evq proto membarrier",
};

/* The prototype's producer flags: inline doorbell check, no fence. */
#define WAKE_PROTO_FLAGS	(PF_INLINE_EVAL | PF_MEMBARRIER)

/*
 * Handshake, one line per direction: the consumer announces "about to
 * sleep" (ready = i + 1) right before epoll_wait; the producer waits for
 * it, lets the consumer reach the kernel (delay), takes t0 and posts (or
 * writes the eventfd). The consumer takes t1 right after epoll_wait
 * returns. With a delay of 0 the consumer announces before arming, so
 * posts race the arm: a lost wake-up then shows as a timeout.
 */
struct wake_shared {
	uint32_t ready __rte_cache_aligned;	/* consumer -> producer */
	uint64_t t0 __rte_cache_aligned;	/* producer -> consumer */
	int stop __rte_cache_aligned;
	struct evq_ring_prod *prod[WAKE_MODES];
	int raw_efd;
	unsigned int nb_modes;
	unsigned int iters;
	uint64_t delay_cycles;
	int prod_rc;
};

static int
wake_producer(void *arg)
{
	struct wake_shared *sh = arg;
	/* sized for the largest entry: proto_copy's size switch is inlined
	 * whole, and gcc checks every branch against this buffer */
	uint8_t entry[64] __rte_aligned(16);
	const uint64_t one = 1;
	unsigned int i;

	memset(entry, 0, sizeof(entry));
	for (i = 0; i < sh->iters; i++) {
		const enum wake_mode m = i % sh->nb_modes;
		uint64_t t;
		int rc = 1;

		while (__atomic_load_n(&sh->ready, __ATOMIC_ACQUIRE) != i + 1) {
			if (__atomic_load_n(&sh->stop, __ATOMIC_RELAXED))
				return 0;
			rte_pause();
		}
		t = rte_rdtsc() + sh->delay_cycles;
		while (rte_rdtsc() < t)
			rte_pause();
		fill_burst(entry, 16, 1, i);
		t = rte_rdtsc_precise();
		__atomic_store_n(&sh->t0, t, __ATOMIC_RELEASE);
		switch (m) {
		case WAKE_EVQ:
		case WAKE_PHASE:
			rc = evq_ring_try_post_burst(sh->prod[m], entry, 1);
			break;
		case WAKE_PROTO:
			rc = proto_post(sh->prod[m], entry, 1, 16,
					WAKE_PROTO_FLAGS);
			break;
		default:
			if (write(sh->raw_efd, &one, sizeof(one)) != sizeof(one))
				rc = -errno;
			break;
		}
		if (rc != 1) {
			sh->prod_rc = rc < 0 ? rc : -EIO;
			return sh->prod_rc;
		}
	}
	return 0;
}

static long
membarrier_call(int cmd)
{
	return syscall(__NR_membarrier, cmd, 0, 0);
}

/*
 * evq_ring_arm_check() for a producer that does not fence: after the arm
 * store, membarrier() makes every other thread of the process execute a
 * full barrier, so a post that this arm's load misses is ordered after
 * the arm and its doorbell load sees ARMED (asymmetric Dekker). The cost
 * moves from every post to every sleep, which pays a system call anyway.
 */
static int
proto_arm_check(struct evq_ring_cons *c)
{
	uint64_t word = EVQ_DB_ARMED | EVQ_DB_VALID |
		((uint64_t)c->number << EVQ_DB_NUMBER_SHIFT) | c->read;
	uint64_t expected = word;

	__atomic_exchange_n(c->doorbell, word, __ATOMIC_SEQ_CST);
	c->read_published = c->read;
	c->stats.arms++;
	if (membarrier_call(MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0)
		__atomic_thread_fence(__ATOMIC_SEQ_CST); /* not registered */
	if (!evq_ring_pending(c))
		return 0;
	if (__atomic_compare_exchange_n(c->doorbell, &expected,
			word & ~EVQ_DB_ARMED, false, __ATOMIC_ACQ_REL,
			__ATOMIC_ACQUIRE))
		return 1;
	return 0;
}

static int
epoll_on(int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
	int epfd = epoll_create1(EPOLL_CLOEXEC);

	if (epfd < 0)
		return -errno;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int rc = -errno;

		close(epfd);
		return rc;
	}
	return epfd;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static double
percentile_us(uint64_t *v, unsigned int n, double pct)
{
	unsigned int idx = (unsigned int)(pct / 100.0 * (n - 1) + 0.5);

	return (double)v[idx] * 1e6 / (double)rte_get_tsc_hz();
}

struct wake_mode_state {
	struct evq_setup es;	/* evq modes */
	int fd;			/* the eventfd this mode sleeps on */
	int epfd;
	uint64_t *lat;
	unsigned int samples;
	unsigned int lost;
	unsigned int spurious;
	unsigned int pending_at_arm;
};

int
wakeup_bench(unsigned int worker)
{
	struct wake_mode_state ms[WAKE_MODES];
	struct wake_shared *sh;
	const bool race = opts.wakeup_delay_us == 0;
	unsigned int i, m, nb_modes = WAKE_MODES, lost = 0;
	int rc = 0, wrc;
	uint8_t out[16];

	memset(ms, 0, sizeof(ms));
	for (m = 0; m < WAKE_MODES; m++) {
		ms[m].es.efd = -1;
		ms[m].fd = -1;
		ms[m].epfd = -1;
	}
	if (opts.nb_proto == 0) {
		nb_modes = WAKE_PROTO;	/* prototype rows only with --proto */
	} else if (membarrier_call(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) != 0) {
		fprintf(stderr, "  membarrier not available (%s): no prototype "
				"wake-up row\n", strerror(errno));
		nb_modes = WAKE_PROTO;
	}
	sh = rte_zmalloc("bench_wake", sizeof(*sh), RTE_CACHE_LINE_SIZE);
	if (sh == NULL)
		return -ENOMEM;
	sh->raw_efd = -1;
	for (m = 0; m < nb_modes; m++) {
		ms[m].lat = calloc(opts.wakeup_iters, sizeof(uint64_t));
		if (ms[m].lat == NULL) {
			rc = -ENOMEM;
			goto out;
		}
		if (m == WAKE_RAW) {
			sh->raw_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
			if (sh->raw_efd < 0) {
				rc = -errno;
				goto out;
			}
			ms[m].fd = sh->raw_efd;
		} else {
			rc = evq_setup(&ms[m].es, opts.ring_size, 16, true,
					m == WAKE_PHASE ? EVQ_RING_VALIDITY_PHASE :
					EVQ_RING_VALIDITY_CLEAR);
			if (rc < 0)
				goto out;
			ms[m].fd = ms[m].es.efd;
			sh->prod[m] = ms[m].es.prod;
		}
		ms[m].epfd = epoll_on(ms[m].fd);
		if (ms[m].epfd < 0) {
			rc = ms[m].epfd;
			goto out;
		}
	}
	sh->nb_modes = nb_modes;
	sh->iters = opts.wakeup_iters * nb_modes;
	sh->delay_cycles = rte_get_tsc_hz() / 1000000 * opts.wakeup_delay_us;

	rc = rte_eal_remote_launch(wake_producer, sh, worker);
	if (rc != 0)
		goto out;
	for (i = 0; i < sh->iters; i++) {
		struct wake_mode_state *st = &ms[i % nb_modes];
		const enum wake_mode mode = i % nb_modes;
		struct epoll_event ev;
		uint64_t t1, drained;
		int n, armed = 0;

		if (race)
			__atomic_store_n(&sh->ready, i + 1, __ATOMIC_RELEASE);
		if (mode != WAKE_RAW) {
			struct evq_ring_cons *c = st->es.cons;

			armed = mode == WAKE_PROTO ? proto_arm_check(c) :
				evq_ring_arm_check(c);
			if (armed == 1 && !race) {
				/* nothing may be pending: a leaked event */
				st->spurious++;
				evq_ring_poll_burst(c, out, 1);
				armed = evq_ring_arm_check(c);
			}
		}
		if (!race)
			__atomic_store_n(&sh->ready, i + 1, __ATOMIC_RELEASE);
		if (armed == 1) {
			/* the post won the race: take the event, no sleep */
			while (evq_ring_poll_burst(st->es.cons, out, 1) != 1)
				rte_pause();
			st->pending_at_arm++;
			continue;
		}
		do {
			n = epoll_wait(st->epfd, &ev, 1, 1000);
		} while (n < 0 && errno == EINTR);
		t1 = rte_rdtsc_precise();
		if (n <= 0) {
			st->lost++;
			lost++;
			fprintf(stderr, "  wake-up %u (%s): epoll_wait returned "
					"%d: lost wake-up\n", i, wake_names[mode], n);
			if (lost > 10) {
				rc = -ETIMEDOUT;
				break;
			}
		}
		if (read(st->fd, &drained, sizeof(drained)) != sizeof(drained))
			st->spurious++;
		if (mode != WAKE_RAW) {
			/* the event is in memory before the signal */
			if (n > 0 && evq_ring_poll_burst(st->es.cons, out, 1) != 1)
				st->spurious++;
			while (n <= 0 && evq_ring_poll_burst(st->es.cons, out,
					1) != 1)
				rte_pause();
		}
		if (n > 0)
			st->lat[st->samples++] = t1 -
				__atomic_load_n(&sh->t0, __ATOMIC_ACQUIRE);
	}
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
	wrc = rte_eal_wait_lcore(worker);
	if (rc == 0 && (wrc != 0 || sh->prod_rc != 0))
		rc = sh->prod_rc != 0 ? sh->prod_rc : -EIO;
	if (rc != 0)
		goto out;
	for (m = 0; m < nb_modes; m++) {
		struct wake_mode_state *st = &ms[m];

		if (st->samples == 0) {
			rc = -EIO;
			goto out;
		}
		qsort(st->lat, st->samples, sizeof(uint64_t), cmp_u64);
		fprintf(stderr, "  %-22s p50 %6.2f us  p99 %6.2f us  (%u samples, "
				"%u lost, %u spurious, %u caught at arm%s)\n",
				wake_names[m],
				percentile_us(st->lat, st->samples, 50),
				percentile_us(st->lat, st->samples, 99),
				st->samples, st->lost, st->spurious,
				st->pending_at_arm,
				m == WAKE_RAW ? "" : st->es.prod->stats.signals ?
				"" : ", no signal raised");
		if (st->lost != 0 || st->spurious != 0)
			rc = -EIO;
	}
	emit("wakeup_latency_p50", "us",
			percentile_us(ms[WAKE_EVQ].lat, ms[WAKE_EVQ].samples, 50),
			wake_names[WAKE_RAW],
			percentile_us(ms[WAKE_RAW].lat, ms[WAKE_RAW].samples, 50));
	emit("wakeup_latency_p99", "us",
			percentile_us(ms[WAKE_EVQ].lat, ms[WAKE_EVQ].samples, 99),
			wake_names[WAKE_RAW],
			percentile_us(ms[WAKE_RAW].lat, ms[WAKE_RAW].samples, 99));
	emit("wakeup_latency_p50_phase", "us",
			percentile_us(ms[WAKE_PHASE].lat, ms[WAKE_PHASE].samples, 50),
			wake_names[WAKE_RAW],
			percentile_us(ms[WAKE_RAW].lat, ms[WAKE_RAW].samples, 50));
	emit("wakeup_latency_p99_phase", "us",
			percentile_us(ms[WAKE_PHASE].lat, ms[WAKE_PHASE].samples, 99),
			wake_names[WAKE_RAW],
			percentile_us(ms[WAKE_RAW].lat, ms[WAKE_RAW].samples, 99));
	if (nb_modes > WAKE_PROTO) {
		emit("wakeup_latency_p50_prototype_membarrier", "us",
				percentile_us(ms[WAKE_PROTO].lat,
					ms[WAKE_PROTO].samples, 50),
				wake_names[WAKE_RAW],
				percentile_us(ms[WAKE_RAW].lat,
					ms[WAKE_RAW].samples, 50));
		emit("wakeup_latency_p99_prototype_membarrier", "us",
				percentile_us(ms[WAKE_PROTO].lat,
					ms[WAKE_PROTO].samples, 99),
				wake_names[WAKE_RAW],
				percentile_us(ms[WAKE_RAW].lat,
					ms[WAKE_RAW].samples, 99));
	}
out:
	for (m = 0; m < WAKE_MODES; m++) {
		if (ms[m].epfd >= 0)
			close(ms[m].epfd);
		if (ms[m].es.prod != NULL)
			evq_teardown(&ms[m].es);
		free(ms[m].lat);
	}
	if (sh->raw_efd >= 0)
		close(sh->raw_efd);
	rte_free(sh);
	if (rc != 0)
		fprintf(stderr, "wake-up bench failed: %s\n", strerror(-rc));
	return rc;
}
