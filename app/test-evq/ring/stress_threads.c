/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * Concurrency stress of lib/evq_ring between two threads: a paced producer
 * posting with back-pressure through a bound eventfd, and a consumer that
 * polls, arms with evq_ring_arm_check() and sleeps in evq_eventfd_wait().
 * Every event must arrive exactly once, in order and intact, and no sleep
 * may outlast a pending event (lost wake-up detector, see stress_common.h).
 * Variants: plain; moderated (20 us next-interrupt delay, the producer polls
 * while idle to release held signals); a third thread growing the ring
 * mid-stream; arm_race (a drain point after every burst, arming at once:
 * most sensitive to a missing fence on either side); and a self-test
 * proving the detector catches a broken arm.
 */

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "stress_common.h"
#include "test_ring_modes.h"

#define THREADS_RING_NUMBER	7
#define THREADS_SWITCH_MAX	12

struct threads_variant {
	const char *name;
	uint64_t events;
	uint32_t ring_size;		/* initial ring */
	uint32_t publish_interval;	/* consumer's lazy read-indicator publish */
	uint64_t moderation_ns;
	unsigned int switches;		/* ring doublings by a third thread */
	unsigned int drain_one_in;
	unsigned int pause_one_in;
	unsigned int empty_max_log2;	/* consumer arms after 1..2^N empty polls */
	int timeout_ms;
	bool broken_plain_arm;
	bool broken_publish_ahead;
};

struct threads_run {
	const struct threads_variant *v;
	struct stress_shared sh;
	struct evq_ring_prod prod;
	struct evq_ring_cons cons;
	struct stress_prod_cfg pcfg;
	struct stress_cons_cfg ccfg;
	void *shm;
	void *rings[THREADS_SWITCH_MAX];
	int efd;
	int switcher_failed;
	char switcher_why[256];
};

static int
threads_wait(void *arg, int timeout_ms)
{
	return evq_eventfd_wait(*(int *)arg, timeout_ms);
}

static void *
threads_producer(void *arg)
{
	struct threads_run *run = arg;

	stress_produce(&run->prod, &run->sh, &run->pcfg);
	return NULL;
}

/* Wait for a counter another thread advances; false on abort or deadline. */
static bool
threads_await(struct threads_run *run, const uint64_t *counter, uint64_t want)
{
	uint64_t deadline = stress_now_ns() + STRESS_STUCK_MS * 1000000ull;

	while (__atomic_load_n(counter, __ATOMIC_ACQUIRE) < want) {
		if (stress_aborted(&run->sh) || stress_now_ns() > deadline)
			return false;
		stress_sleep_us(20);
	}
	return true;
}

/*
 * The third thread: at evenly spread points of the stream, hand the
 * consumer a ring twice as large (concurrently with its polling), then ask
 * the producer to switch, and wait until it has.
 */
static void *
threads_switcher(void *arg)
{
	struct threads_run *run = arg;
	const struct threads_variant *v = run->v;
	struct stress_shared *sh = &run->sh;
	uint32_t size = v->ring_size;
	unsigned int k;

	for (k = 0; k < v->switches; k++) {
		uint64_t at = v->events * (k + 1) / (v->switches + 1);
		uint64_t switched = k + 1;
		uint64_t deadline;
		void *base;
		int rc;

		if (!threads_await(run, &sh->consumed, at))
			goto fail_wait;
		size *= 2;
		base = aligned_alloc(EVQ_CACHE_LINE, evq_ring_mem_size(size,
				STRESS_ENTRY_SIZE));
		if (base == NULL) {
			stress_fail(sh, &run->switcher_failed, run->switcher_why,
					sizeof(run->switcher_why), "out of memory");
			return NULL;
		}
		run->rings[k] = base;
		deadline = stress_now_ns() + STRESS_STUCK_MS * 1000000ull;
		/* -EBUSY: the consumer has not met the previous marker yet */
		while ((rc = evq_ring_cons_switch_prepare(&run->cons, base, size)) == -EBUSY &&
				!stress_aborted(sh) && stress_now_ns() < deadline)
			stress_sleep_us(20);
		if (rc != 0) {
			stress_fail(sh, &run->switcher_failed, run->switcher_why,
					sizeof(run->switcher_why),
					"evq_ring_cons_switch_prepare(%u) returned %d", size, rc);
			return NULL;
		}
		sh->switch_base = base;
		sh->switch_size = size;
		__atomic_store_n(&sh->switch_requested, k + 1, __ATOMIC_RELEASE);
		deadline = stress_now_ns() + STRESS_STUCK_MS * 1000000ull;
		while (__atomic_load_n(&sh->switch_done, __ATOMIC_ACQUIRE) < switched) {
			if (stress_aborted(sh))
				return NULL;
			if (stress_now_ns() > deadline)
				goto fail_wait;
			stress_sleep_us(20);
		}
	}
	return NULL;
fail_wait:
	if (!stress_aborted(sh))
		stress_fail(sh, &run->switcher_failed, run->switcher_why,
				sizeof(run->switcher_why), "switch %u: stream stopped"
				" (consumed %" PRIu64 ", producer switched %u)", k,
				__atomic_load_n(&sh->consumed, __ATOMIC_ACQUIRE),
				__atomic_load_n(&sh->switch_done, __ATOMIC_ACQUIRE));
	return NULL;
}

/* Drain what is left in the eventfd (it is non-blocking). */
static uint64_t
threads_eventfd_leftover(int fd)
{
	uint64_t v = 0;

	if (read(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		return 0;
	return v;
}

static struct threads_run *
threads_run(const struct threads_variant *v)
{
	struct threads_run *run = calloc(1, sizeof(*run));
	size_t len = evq_ring_shm_size(v->ring_size, STRESS_ENTRY_SIZE);
	pthread_t producer, switcher;
	uint64_t seed = stress_seed();
	uint64_t t0, leftover;
	char verdict[512];
	const char *bad;
	int rc;

	cr_assert_not_null(run);
	cr_assert_gt(len, 0);
	run->v = v;
	run->shm = aligned_alloc(EVQ_CACHE_LINE,
			(len + EVQ_CACHE_LINE - 1) & ~(size_t)(EVQ_CACHE_LINE - 1));
	cr_assert_not_null(run->shm);
	rc = evq_ring_shm_format(run->shm, len, v->ring_size, STRESS_ENTRY_SIZE,
			THREADS_RING_NUMBER, test_validity);
	cr_assert_eq(rc, 0, "evq_ring_shm_format: %d", rc);
	rc = evq_ring_shm_cons_attach(&run->cons, run->shm, len, v->publish_interval);
	cr_assert_eq(rc, 0, "evq_ring_shm_cons_attach: %d", rc);
	evq_ring_prod_init(&run->prod);
	rc = evq_ring_shm_prod_attach(&run->prod, run->shm, len, 0);
	cr_assert_eq(rc, 0, "evq_ring_shm_prod_attach: %d", rc);
	run->efd = evq_eventfd_create();
	cr_assert_geq(run->efd, 0, "evq_eventfd_create: %d", run->efd);
	rc = evq_ring_prod_bind_eventfd(&run->prod, run->efd);
	cr_assert_eq(rc, 0, "evq_ring_prod_bind_eventfd: %d", rc);
	if (v->moderation_ns != 0)
		evq_ring_prod_set_moderation(&run->prod, v->moderation_ns);
	run->sh.wake_fd = run->efd;

	run->pcfg = (struct stress_prod_cfg){
		.events = v->events,
		.seed = seed,
		.poll_when_idle = v->moderation_ns != 0,
		.switches = v->switches != 0,
		.drain_one_in = v->drain_one_in,
		.pause_one_in = v->pause_one_in,
		.pause_max_us = 1000,
		.spin_max = 64,
	};
	run->ccfg = (struct stress_cons_cfg){
		.events = v->events,
		.seed = seed * 0x9e3779b97f4a7c15ull + 1,
		.timeout_ms = v->timeout_ms,
		.wait = threads_wait,
		.wait_arg = &run->efd,
		.empty_max_log2 = v->empty_max_log2,
		.broken_plain_arm = v->broken_plain_arm,
		.broken_publish_ahead = v->broken_publish_ahead,
		.broken_window_spins = 2000,
	};

	t0 = stress_now_ns();
	rc = pthread_create(&producer, NULL, threads_producer, run);
	cr_assert_eq(rc, 0, "pthread_create: %d", rc);
	if (v->switches != 0) {
		rc = pthread_create(&switcher, NULL, threads_switcher, run);
		if (rc != 0) {
			stress_abort(&run->sh);
			pthread_join(producer, NULL);
			cr_assert_fail("pthread_create: %d", rc);
		}
	}
	stress_consume(&run->cons, &run->sh, &run->ccfg);
	pthread_join(producer, NULL);
	if (v->switches != 0)
		pthread_join(switcher, NULL);
	leftover = threads_eventfd_leftover(run->efd);

	stress_print(v->name, test_validity, &run->sh, v->events, seed, stress_now_ns() - t0);
	if (run->switcher_failed)
		fprintf(stderr, "  switcher FAILED: %s\n", run->switcher_why);
	if (v->broken_plain_arm || v->broken_publish_ahead)
		return run;	/* the caller expects a failure */
	cr_assert(!run->switcher_failed, "switcher: %s", run->switcher_why);
	bad = stress_verdict(&run->sh, v->events, leftover, verdict, sizeof(verdict));
	cr_assert_null(bad, "%s: %s", v->name, bad);
	return run;
}

static void
threads_free(struct threads_run *run)
{
	unsigned int k;

	close(run->efd);
	for (k = 0; k < THREADS_SWITCH_MAX; k++)
		free(run->rings[k]);
	free(run->shm);
	free(run);
}

ModeTest(ring_stress_threads, plain, .timeout = 40.0)
{
	static const struct threads_variant v = {
		.name = "threads/plain",
		STRESS_SHAPE_STEADY,
		.publish_interval = 64,
		.timeout_ms = STRESS_SLEEP_TIMEOUT_MS,
	};
	struct threads_variant var = v;
	struct threads_run *run;

	var.events = stress_events(1);
	run = threads_run(&var);
	threads_free(run);
}

ModeTest(ring_stress_threads, moderated, .timeout = 40.0)
{
	static const struct threads_variant v = {
		.name = "threads/moderated",
		STRESS_SHAPE_STEADY,
		.publish_interval = 0,
		.moderation_ns = STRESS_MODERATION_NS,
		.timeout_ms = STRESS_SLEEP_TIMEOUT_MS,
	};
	struct threads_variant var = v;
	struct threads_run *run;

	var.events = stress_events(1);
	run = threads_run(&var);
	/* the variant is pointless unless moderation really held signals */
	cr_assert_gt(run->sh.prod.stats.held, 0, "moderation never held a signal");
	cr_assert_gt(run->sh.prod.idle_signals, 0,
			"no held signal was released by an idle poll");
	threads_free(run);
}

ModeTest(ring_stress_threads, switch_grow, .timeout = 40.0)
{
	static const struct threads_variant v = {
		.name = "threads/switch-grow",
		.ring_size = 64,
		.publish_interval = 32,
		.switches = 7,		/* 64 -> 8192 entries */
		.drain_one_in = 16,
		.pause_one_in = 512,
		.empty_max_log2 = 10,
		.timeout_ms = STRESS_SLEEP_TIMEOUT_MS,
	};
	struct threads_variant var = v;
	struct threads_run *run;

	var.events = stress_events(1);
	run = threads_run(&var);
	cr_assert_eq(run->sh.prod.switches, v.switches, "producer switched %" PRIu64
			" times of %u", run->sh.prod.switches, v.switches);
	cr_assert_eq(run->sh.prod.stats.switches, v.switches);
	cr_assert_eq(run->sh.cons.stats.switches, v.switches,
			"consumer followed %" PRIu64 " switches of %u",
			run->sh.cons.stats.switches, v.switches);
	threads_free(run);
}

/*
 * Arm against post, as often as possible: a drain point after every burst
 * (so any wake-up lost is never repaired by a later post), no long pauses,
 * and a consumer that arms after only 1..8 empty polls, so its arm lands
 * while the producer's next burst is being posted.
 */
ModeTest(ring_stress_threads, arm_race, .timeout = 40.0)
{
	static const struct threads_variant v = {
		.name = "threads/arm-race",
		STRESS_SHAPE_ARM_RACE,
		.timeout_ms = STRESS_SLEEP_TIMEOUT_MS,
	};
	struct threads_variant var = v;
	struct threads_run *run;

	var.events = stress_events(2);	/* one sleep per burst: slower */
	run = threads_run(&var);
	threads_free(run);
}

/*
 * The detector must fire when the protocol is broken: the consumer arms
 * with a plain evq_ring_arm() (meant for producers that poll doorbells)
 * while this producer only evaluates when it posts, and a delay between
 * the last empty poll and the arm widens the race. A post landing in that
 * window is never signalled; the producer then idles at a drain point, and
 * the consumer sleeps with the event pending until its (short) timeout.
 */
ModeTest(ring_stress_threads, detector_self_test, .timeout = 40.0)
{
	static const struct threads_variant v = {
		.name = "threads/detector-self-test (plain arm, expected to fail)",
		.ring_size = 512,
		.publish_interval = 64,
		.drain_one_in = 1,
		.pause_one_in = 0,
		.empty_max_log2 = 10,
		.timeout_ms = 100,
		.broken_plain_arm = true,
	};
	struct threads_variant var = v;
	struct threads_run *run = NULL;
	unsigned int attempt;

	var.events = stress_events(10);
	/* The broken arm loses a wake-up only when a post lands in the race
	 * window, which a run can miss (seen once under ASan in phase mode):
	 * up to five runs, and the detector must fire in one of them. */
	for (attempt = 0; attempt < 5; attempt++) {
		if (run != NULL)
			threads_free(run);
		run = threads_run(&var);
		if (run->sh.cons.lost_wakeups != 0 || run->sh.prod.failed)
			break;
	}
	cr_assert_eq(run->sh.cons.lost_wakeups, 1,
			"the lost wake-up detector did not fire (%s)",
			run->sh.cons.failed ? run->sh.cons.why : "no failure at all");
	cr_assert(!run->sh.prod.failed, "producer: %s", run->sh.prod.why);
	threads_free(run);
}

/*
 * Fault injection for the phase validity rule: a consumer that publishes
 * read indicators it has not reached lets a phase producer overwrite
 * entries not yet read. The run must fail (a corrupted, lost or stale
 * entry, or a consumer left waiting for an event that was overwritten);
 * if it passed, the phase producer would not be taking its room from the
 * read indicator, or the checks would not see overwritten entries.
 */
Test(ring_stress_threads, phase_overwrite_self_test, .timeout = 40.0)
{
	static const struct threads_variant v = {
		.name = "threads/phase-overwrite-self-test (read published ahead, expected to fail)",
		.ring_size = 64,
		.publish_interval = 0,
		.drain_one_in = 0,
		.pause_one_in = 0,
		.empty_max_log2 = 10,
		.timeout_ms = 200,
		.broken_publish_ahead = true,
	};
	struct threads_variant var = v;
	struct threads_run *run;
	char verdict[512];
	const char *bad;

	test_validity = EVQ_RING_VALIDITY_PHASE;
	var.events = stress_events(10);
	run = threads_run(&var);
	bad = stress_verdict(&run->sh, var.events, 0, verdict, sizeof(verdict));
	cr_assert_not_null(bad, "a phase producer overwrote nothing although the"
			" consumer published read indicators it had not reached");
	cr_log_info("detected as expected: %s", bad);
	cr_assert(run->sh.cons.failed, "the consumer saw nothing wrong (%s)", bad);
	threads_free(run);
}
