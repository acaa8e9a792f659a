/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * Shared parts of the evq_ring concurrency stress tests (stress_threads.c,
 * stress_procs.c): the 16-byte entry carrying a sequence number and a
 * checksum, the paced producer loop, the consumer loop with its lost
 * wake-up detector, and the counters both print.
 *
 * The producer and the consumer never call Criterion: they record what went
 * wrong in their report and stop, and the test body asserts once both sides
 * have stopped (a Criterion assertion unwinds only the thread that runs the
 * test, and must never run in a forked producer).
 *
 * Why lost wake-ups become visible: a software producer evaluates the
 * interrupt rule only when it posts. If a wake-up is lost while the producer
 * keeps posting, the next post repairs it and only latency shows. So the
 * producer regularly posts a burst and then waits, idle, until the consumer
 * has consumed everything ("drain point"): a wake-up lost on that last burst
 * leaves the consumer asleep with an event pending, and its long sleep
 * timeout fires with evq_ring_pending() true.
 */

#ifndef STRESS_COMMON_H
#define STRESS_COMMON_H

#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <evq_ring.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define STRESS_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define STRESS_SANITIZED 1
#endif
#endif
#ifndef STRESS_SANITIZED
#define STRESS_SANITIZED 0
#endif

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the ring's control word is little-endian; these tests store it natively"
#endif

/* Events per run: >= 10^7 in the normal build, fewer under sanitizers. */
#define STRESS_EVENTS_NORMAL		10000000ull
#define STRESS_EVENTS_SANITIZED		4000000ull

/* Lost wake-up detector: a sleep this long without a signal is an error. */
#define STRESS_SLEEP_TIMEOUT_MS		2000
/* The producer gives up waiting for the consumer after this long; longer
 * than the consumer's sleep timeout so the consumer reports first. */
#define STRESS_STUCK_MS			3000

/* Moderation variant's next-interrupt delay: long enough that a sanitized
 * (slow) consumer still re-arms within it, so signals really are held. */
#define STRESS_MODERATION_NS		(STRESS_SANITIZED ? 200000ull : 20000ull)

/*
 * Traffic shapes shared by the thread and process variants (designated
 * initialisers of their variant structs):
 * STEADY   a 512-entry ring, a drain point one burst in 16, a long pause one
 *          burst in 512, a consumer that arms after 1..1024 empty polls;
 * ARM_RACE a drain point after every burst and an arm after 1..8 empty
 *          polls, so arms land while the next burst is being posted.
 */
#define STRESS_SHAPE_STEADY \
	.ring_size = 512, .drain_one_in = 16, .pause_one_in = 512, .empty_max_log2 = 10
#define STRESS_SHAPE_ARM_RACE \
	.ring_size = 512, .publish_interval = 64, .drain_one_in = 1, .pause_one_in = 0, \
	.empty_max_log2 = 3

#define STRESS_BURST_MAX		32
#define STRESS_POLL_MAX			64

/* ------------------------------------------------------------------ */
/* Small utilities                                                    */
/* ------------------------------------------------------------------ */

static inline uint64_t
stress_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline void
stress_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

static inline void
stress_spin(unsigned int n)
{
	while (n-- != 0)
		stress_cpu_relax();
}

static inline void
stress_sleep_us(unsigned int us)
{
	struct timespec ts = {
		.tv_sec = us / 1000000u,
		.tv_nsec = (long)(us % 1000000u) * 1000,
	};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* xorshift64*: a fast, seedable generator per thread. */
static inline uint64_t
stress_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dull;
}

/* Seed from EVQ_STRESS_SEED (to replay a run) or from the clock. */
static inline uint64_t
stress_seed(void)
{
	const char *s = getenv("EVQ_STRESS_SEED");
	uint64_t seed;

	if (s != NULL && *s != '\0')
		seed = strtoull(s, NULL, 0);
	else
		seed = stress_now_ns() ^ ((uint64_t)clock() << 32);
	return seed != 0 ? seed : 0x9e3779b97f4a7c15ull;
}

/* Number of events: EVQ_STRESS_EVENTS overrides the build's default. */
static inline uint64_t
stress_events(uint64_t divisor)
{
	const char *s = getenv("EVQ_STRESS_EVENTS");
	uint64_t n;

	if (s != NULL && *s != '\0')
		n = strtoull(s, NULL, 0);
	else
		n = STRESS_SANITIZED ? STRESS_EVENTS_SANITIZED : STRESS_EVENTS_NORMAL;
	n /= divisor;
	return n != 0 ? n : 1;
}

/* ------------------------------------------------------------------ */
/* Entry: control word, sequence number, payload, checksum            */
/* ------------------------------------------------------------------ */

struct stress_entry {
	uint32_t ctrl;		/* code 0x01..0xfe, param = seq & 0x7fffff */
	uint32_t seq;
	uint32_t payload;
	uint32_t csum;
};

_Static_assert(sizeof(struct stress_entry) == 16, "16-byte entries");

#define STRESS_ENTRY_SIZE	((uint32_t)sizeof(struct stress_entry))

static inline uint32_t
stress_mix32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	x ^= x >> 16;
	return x;
}

static inline uint32_t
stress_csum(uint32_t ctrl, uint32_t seq, uint32_t payload)
{
	return stress_mix32(ctrl ^ stress_mix32(seq + 0x632be5abu) ^
			((payload << 11) | (payload >> 21)));
}

static inline void
stress_entry_make(struct stress_entry *e, uint64_t seq)
{
	uint32_t s = (uint32_t)seq;

	/* 23 bits of parameter: valid under both validity rules */
	e->ctrl = evq_ctrl_make((uint8_t)(1 + s % 254), s & EVQ_CTRL_PARAM_MASK_PHASE);
	e->seq = s;
	e->payload = stress_mix32(s ^ 0x9e3779b9u);
	e->csum = stress_csum(e->ctrl, e->seq, e->payload);
}

/* @return NULL if e is the intact entry number seq, else what is wrong. */
static inline const char *
stress_entry_check(const struct stress_entry *e, uint64_t seq)
{
	struct stress_entry want;

	stress_entry_make(&want, seq);
	if (e->csum != stress_csum(e->ctrl, e->seq, e->payload))
		return "checksum mismatch (torn or corrupted entry)";
	if (e->seq != want.seq)
		return e->seq < want.seq ? "sequence went back (duplicate)" :
			"sequence jumped (event lost or reordered)";
	if (e->ctrl != want.ctrl)
		return "control word mismatch";
	if (e->payload != want.payload)
		return "payload mismatch";
	return NULL;
}

/* ------------------------------------------------------------------ */
/* State shared by producer, consumer and switcher                    */
/* ------------------------------------------------------------------ */

struct stress_prod_report {
	int failed;
	char why[256];
	uint64_t bursts;
	uint64_t enobufs;	/* bursts refused by back-pressure (retried) */
	uint64_t drains;	/* drain points (idle until all consumed) */
	uint64_t pauses;	/* long pauses (up to pause_max_us) */
	uint64_t idle_polls;	/* evq_ring_prod_poll() calls while idle */
	uint64_t idle_signals;	/* of which signalled (released held signals) */
	uint64_t switches;	/* ring switches performed */
	uint64_t switch_deferred; /* switch postponed: no room for the marker */
	uint64_t elapsed_ns;
	struct evq_ring_prod_stats stats;
};

struct stress_cons_report {
	int failed;
	char why[256];
	uint64_t received;
	uint64_t polls;		/* non-empty polls */
	uint64_t empty_polls;
	uint64_t arms;		/* arm attempts */
	uint64_t arm_busy;	/* evq_ring_arm_check() found events: no sleep */
	uint64_t sleeps;
	uint64_t wakeups;	/* sleeps ended by a signal */
	uint64_t spurious;	/* woken with nothing pending */
	uint64_t signals;	/* eventfd counts drained (sum) */
	uint64_t timeouts;
	uint64_t lost_wakeups;	/* timed out with an event pending */
	uint64_t stalls;	/* timed out with nothing pending */
	uint64_t sleep_ns;	/* total time asleep */
	uint64_t max_sleep_ns;
	uint64_t elapsed_ns;
	struct evq_ring_cons_stats stats;
};

struct stress_shared {
	/* consumer -> others */
	uint64_t consumed __attribute__((aligned(64)));
	uint64_t cons_switches;
	/* producer -> others */
	uint64_t posted __attribute__((aligned(64)));
	uint32_t switch_done;
	/* switcher -> producer */
	void *switch_base __attribute__((aligned(64)));
	uint32_t switch_size;
	uint32_t switch_requested;
	/* anyone: stop everything; the eventfd is written to wake a sleeper */
	int abort __attribute__((aligned(64)));
	int wake_fd;
	struct stress_prod_report prod;
	struct stress_cons_report cons;
};

static inline bool
stress_aborted(struct stress_shared *sh)
{
	return __atomic_load_n(&sh->abort, __ATOMIC_ACQUIRE) != 0;
}

static inline void
stress_abort(struct stress_shared *sh)
{
	uint64_t one = 1;

	__atomic_store_n(&sh->abort, 1, __ATOMIC_RELEASE);
	if (sh->wake_fd >= 0 && write(sh->wake_fd, &one, sizeof(one)) < 0) {
		/* the sleeper still times out */
	}
}

static inline void
stress_fail(struct stress_shared *sh, int *failed, char *why, size_t len,
		const char *fmt, ...)
{
	va_list ap;

	if (*failed)
		return;
	*failed = 1;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	stress_abort(sh);
}

#define STRESS_PROD_FAIL(sh, ...) \
	stress_fail((sh), &(sh)->prod.failed, (sh)->prod.why, \
			sizeof((sh)->prod.why), __VA_ARGS__)
#define STRESS_CONS_FAIL(sh, ...) \
	stress_fail((sh), &(sh)->cons.failed, (sh)->cons.why, \
			sizeof((sh)->cons.why), __VA_ARGS__)

/* ------------------------------------------------------------------ */
/* Producer                                                           */
/* ------------------------------------------------------------------ */

struct stress_prod_cfg {
	uint64_t events;
	uint64_t seed;
	bool poll_when_idle;	/* call evq_ring_prod_poll() while idle */
	bool switches;		/* honour ring switch requests */
	unsigned int drain_one_in;	/* a drain point after 1 burst in N */
	unsigned int pause_one_in;	/* a long pause after 1 burst in N */
	unsigned int pause_max_us;
	unsigned int spin_max;		/* short spin: 0..spin_max pauses */
};

static inline void
stress_prod_idle_poll(struct evq_ring_prod *p, struct stress_shared *sh)
{
	int rc = evq_ring_prod_poll(p);

	sh->prod.idle_polls++;
	if (rc == 1)
		sh->prod.idle_signals++;
	else if (rc != 0)
		STRESS_PROD_FAIL(sh, "evq_ring_prod_poll() returned %d while idle", rc);
}

/*
 * A drain point: stay idle until the consumer has everything we posted. A
 * producer that does not poll relies entirely on the wake-up of the last
 * post here.
 */
static inline void
stress_prod_drain(struct evq_ring_prod *p, struct stress_shared *sh,
		const struct stress_prod_cfg *cfg, uint64_t posted)
{
	uint64_t deadline = stress_now_ns() + STRESS_STUCK_MS * 1000000ull;
	unsigned int i = 0;

	sh->prod.drains++;
	while (__atomic_load_n(&sh->consumed, __ATOMIC_ACQUIRE) != posted) {
		if (stress_aborted(sh))
			return;
		if (cfg->poll_when_idle)
			stress_prod_idle_poll(p, sh);
		if ((++i & 63) == 0 && stress_now_ns() > deadline) {
			STRESS_PROD_FAIL(sh, "consumer did not consume %" PRIu64
					" posted events within %u ms (it holds %" PRIu64 ")",
					posted, STRESS_STUCK_MS,
					__atomic_load_n(&sh->consumed, __ATOMIC_ACQUIRE));
			return;
		}
		sched_yield();
	}
}

static inline void
stress_prod_pause(struct evq_ring_prod *p, struct stress_shared *sh,
		const struct stress_prod_cfg *cfg, unsigned int us)
{
	uint64_t end;

	sh->prod.pauses++;
	if (!cfg->poll_when_idle) {
		stress_sleep_us(us);
		return;
	}
	/* a polling producer keeps evaluating so held signals get out */
	end = stress_now_ns() + (uint64_t)us * 1000;
	do {
		stress_prod_idle_poll(p, sh);
		stress_spin(16);
	} while (stress_now_ns() < end && !stress_aborted(sh));
}

static inline void
stress_prod_maybe_switch(struct evq_ring_prod *p, struct stress_shared *sh)
{
	uint32_t req = __atomic_load_n(&sh->switch_requested, __ATOMIC_ACQUIRE);
	int rc;

	if (req == sh->prod.switches)
		return;
	/*
	 * The marker of a switch needs a free slot in the current ring; the
	 * API has no back-pressure variant of evq_ring_prod_switch() (a full
	 * ring makes it an overflow), so ask for room first: only the
	 * consumer makes room, so room seen stays room.
	 */
	if (!evq_ring_prod_room(p, 1)) {
		sh->prod.switch_deferred++;
		return;
	}
	rc = evq_ring_prod_switch(p, sh->switch_base, sh->switch_size);
	if (rc != 0) {
		STRESS_PROD_FAIL(sh, "evq_ring_prod_switch(size %u) returned %d at write %u",
				sh->switch_size, rc, p->write);
		return;
	}
	sh->prod.switches++;
	__atomic_store_n(&sh->switch_done, (uint32_t)sh->prod.switches,
			__ATOMIC_RELEASE);
}

static inline void
stress_prod_pace(struct evq_ring_prod *p, struct stress_shared *sh,
		const struct stress_prod_cfg *cfg, uint64_t *rng, uint64_t posted)
{
	uint64_t r = stress_rand(rng);

	if (cfg->pause_one_in != 0 && r % cfg->pause_one_in == 0) {
		/* long enough for the consumer to arm and sleep */
		stress_prod_pause(p, sh, cfg,
				1 + (unsigned int)((r >> 32) % cfg->pause_max_us));
	} else if (cfg->drain_one_in != 0 && (r >> 16) % cfg->drain_one_in == 0) {
		stress_prod_drain(p, sh, cfg, posted);
	} else if ((r >> 24) & 1) {
		stress_spin((unsigned int)((r >> 32) % (cfg->spin_max + 1)));
	}
}

/* Post cfg->events events with evq_ring_try_post_burst(), paced. */
static inline void
stress_produce(struct evq_ring_prod *p, struct stress_shared *sh,
		const struct stress_prod_cfg *cfg)
{
	struct stress_entry burst[STRESS_BURST_MAX];
	uint64_t rng = cfg->seed;
	uint64_t t0 = stress_now_ns();
	uint64_t seq = 0;

	while (seq < cfg->events && !stress_aborted(sh)) {
		unsigned int n = 1 + (unsigned int)(stress_rand(&rng) % STRESS_BURST_MAX);
		uint64_t deadline = 0;
		unsigned int i;
		int rc;

		if (n > cfg->events - seq)
			n = (unsigned int)(cfg->events - seq);
		for (i = 0; i < n; i++)
			stress_entry_make(&burst[i], seq + i);
		for (;;) {
			rc = evq_ring_try_post_burst(p, burst, n);
			if (rc == (int)n)
				break;
			if (rc != -ENOBUFS) {
				STRESS_PROD_FAIL(sh, "evq_ring_try_post_burst(%u) returned %d at seq %"
						PRIu64, n, rc, seq);
				goto out;
			}
			sh->prod.enobufs++;
			if (cfg->poll_when_idle)
				stress_prod_idle_poll(p, sh);
			if (deadline == 0) {
				deadline = stress_now_ns() + STRESS_STUCK_MS * 1000000ull;
			} else if (stress_now_ns() > deadline) {
				STRESS_PROD_FAIL(sh, "ring full for %u ms at seq %" PRIu64
						" (consumer asleep or stuck)", STRESS_STUCK_MS, seq);
				goto out;
			}
			if (stress_aborted(sh))
				goto out;
			sched_yield();
		}
		seq += n;
		sh->prod.bursts++;
		__atomic_store_n(&sh->posted, seq, __ATOMIC_RELEASE);
		if (cfg->switches)
			stress_prod_maybe_switch(p, sh);
		stress_prod_pace(p, sh, cfg, &rng, seq);
	}
	/* a polling producer stays until its held signals are out */
	if (cfg->poll_when_idle && !stress_aborted(sh))
		stress_prod_drain(p, sh, cfg, seq);
out:
	sh->prod.elapsed_ns = stress_now_ns() - t0;
	sh->prod.stats = p->stats;
}

/* ------------------------------------------------------------------ */
/* Consumer                                                           */
/* ------------------------------------------------------------------ */

/* Sleep until signalled: > 0 signals drained, 0 timeout, < 0 -errno. */
typedef int (*stress_wait_fn)(void *arg, int timeout_ms);

struct stress_cons_cfg {
	uint64_t events;
	uint64_t seed;
	int timeout_ms;		/* the lost wake-up detector */
	stress_wait_fn wait;
	void *wait_arg;
	unsigned int empty_max_log2; /* empty polls before arming: up to 2^N */
	/*
	 * Deliberately wrong, to prove the detector works: arm with a plain
	 * evq_ring_arm() (no check) although the producer does not poll,
	 * after a delay that widens the race window.
	 */
	bool broken_plain_arm;
	unsigned int broken_window_spins;
	/*
	 * Deliberately wrong, to prove the checks see a producer that
	 * overwrites unread entries: after each poll, dawdle while publishing
	 * as read indicator everything posted so far (stress_publish_ahead()).
	 * A phase producer takes its room from that word.
	 */
	bool broken_publish_ahead;
};

/*
 * The fault of broken_publish_ahead: until the producer is two rings ahead
 * of what we have read (or 20 ms have passed), keep publishing everything
 * it has posted as our read indicator.
 */
static inline void
stress_publish_ahead(struct evq_ring_cons *c, struct stress_shared *sh,
		uint64_t expect)
{
	uint64_t deadline = stress_now_ns() + 20000000ull;
	uint64_t posted;

	do {
		posted = __atomic_load_n(&sh->posted, __ATOMIC_ACQUIRE);
		__atomic_store_n(c->doorbell, EVQ_DB_VALID |
				((uint64_t)c->number << EVQ_DB_NUMBER_SHIFT) |
				(uint32_t)posted, __ATOMIC_RELEASE);
		stress_spin(16);
	} while (posted - expect <= 2ull * (c->mask + 1) &&
			stress_now_ns() < deadline && !stress_aborted(sh));
}

static inline void
stress_consume(struct evq_ring_cons *c, struct stress_shared *sh,
		const struct stress_cons_cfg *cfg)
{
	struct stress_entry buf[STRESS_POLL_MAX];
	struct stress_cons_report *rep = &sh->cons;
	uint64_t rng = cfg->seed;
	uint64_t t0 = stress_now_ns();
	uint64_t expect = 0;
	unsigned int empty = 0;
	unsigned int empty_limit = 1;

	while (expect < cfg->events) {
		unsigned int n = evq_ring_poll_burst(c, buf, STRESS_POLL_MAX);
		uint64_t t_sleep, dt;
		unsigned int i;
		int rc;

		if (n != 0) {
			for (i = 0; i < n; i++) {
				const char *bad = stress_entry_check(&buf[i], expect + i);

				if (bad != NULL) {
					STRESS_CONS_FAIL(sh, "entry %" PRIu64 ": %s (got seq %u ctrl 0x%08x"
							" payload 0x%08x csum 0x%08x)", expect + i, bad,
							buf[i].seq, buf[i].ctrl, buf[i].payload,
							buf[i].csum);
					goto out;
				}
			}
			if (expect + n > cfg->events) {
				STRESS_CONS_FAIL(sh, "more events than posted");
				goto out;
			}
			expect += n;
			rep->polls++;
			if (cfg->broken_publish_ahead)
				stress_publish_ahead(c, sh, expect);
			__atomic_store_n(&sh->consumed, expect, __ATOMIC_RELEASE);
			__atomic_store_n(&sh->cons_switches, c->stats.switches,
					__ATOMIC_RELAXED);
			empty = 0;
			continue;
		}
		rep->empty_polls++;
		if (stress_aborted(sh)) {
			STRESS_CONS_FAIL(sh, "stopped: the other side failed");
			goto out;
		}
		if (++empty < empty_limit) {
			stress_cpu_relax();
			continue;
		}
		/* log-uniform: often arm at once, sometimes poll for long */
		empty = 0;
		empty_limit = 1u << (stress_rand(&rng) % (cfg->empty_max_log2 + 1));
		empty_limit = 1 + (unsigned int)(stress_rand(&rng) % empty_limit);

		rep->arms++;
		if (cfg->broken_plain_arm) {
			stress_spin(cfg->broken_window_spins);
			evq_ring_arm(c);
		} else {
			rc = evq_ring_arm_check(c);
			if (rc == 1) {
				rep->arm_busy++;
				continue;
			}
			if (rc != 0) {
				STRESS_CONS_FAIL(sh, "evq_ring_arm_check() returned %d", rc);
				goto out;
			}
		}
		rep->sleeps++;
		t_sleep = stress_now_ns();
		rc = cfg->wait(cfg->wait_arg, cfg->timeout_ms);
		dt = stress_now_ns() - t_sleep;
		rep->sleep_ns += dt;
		if (dt > rep->max_sleep_ns)
			rep->max_sleep_ns = dt;
		if (rc < 0) {
			STRESS_CONS_FAIL(sh, "wait failed: %s", strerror(-rc));
			goto out;
		}
		if (rc == 0) {
			rep->timeouts++;
			if (evq_ring_pending(c)) {
				rep->lost_wakeups++;
				STRESS_CONS_FAIL(sh, "LOST WAKE-UP: armed at read %u, slept %d ms"
						" with event %" PRIu64 " pending (producer posted %"
						PRIu64 ")", evq_ring_cons_read(c), cfg->timeout_ms,
						expect, __atomic_load_n(&sh->posted,
						__ATOMIC_ACQUIRE));
			} else {
				rep->stalls++;
				STRESS_CONS_FAIL(sh, "no signal for %d ms and nothing pending at"
						" read %u: producer stalled (posted %" PRIu64 ")",
						cfg->timeout_ms, evq_ring_cons_read(c),
						__atomic_load_n(&sh->posted, __ATOMIC_ACQUIRE));
			}
			goto out;
		}
		rep->wakeups++;
		rep->signals += (uint64_t)rc;
		if (!evq_ring_pending(c))
			rep->spurious++;
	}
out:
	rep->received = expect;
	rep->elapsed_ns = stress_now_ns() - t0;
	rep->stats = c->stats;
}

/* ------------------------------------------------------------------ */
/* Reporting                                                          */
/* ------------------------------------------------------------------ */

static inline void
stress_print(const char *name, enum evq_ring_validity validity,
		const struct stress_shared *sh, uint64_t events, uint64_t seed,
		uint64_t wall_ns)
{
	const struct stress_prod_report *p = &sh->prod;
	const struct stress_cons_report *c = &sh->cons;
	double secs = (double)wall_ns / 1e9;

	fprintf(stderr,
		"[%s, %s validity] %s%" PRIu64 " events in %.2f s (%.1f Mev/s), seed 0x%" PRIx64 "\n"
		"  consumer: received %" PRIu64 ", polls %" PRIu64 ", empty polls %" PRIu64
		", arms %" PRIu64 " (busy %" PRIu64 "), sleeps %" PRIu64
		", wake-ups %" PRIu64 " (spurious %" PRIu64 "), signals drained %" PRIu64
		", timeouts %" PRIu64 " (lost wake-ups %" PRIu64 ", stalls %" PRIu64
		"), asleep %.3f s (max %.3f ms), switches followed %" PRIu64 "\n"
		"  producer: posted %" PRIu64 ", bursts %" PRIu64 ", ENOBUFS %" PRIu64
		", drain points %" PRIu64 ", pauses %" PRIu64 ", signals %" PRIu64
		", held %" PRIu64 ", idle polls %" PRIu64 " (signalled %" PRIu64
		"), doorbells %" PRIu64 ", bad doorbells %" PRIu64 ", switches %" PRIu64
		" (deferred %" PRIu64 ")\n",
		name, evq_ring_validity_name(validity),
		STRESS_SANITIZED ? "(sanitized) " : "", events, secs,
		secs > 0 ? (double)c->received / secs / 1e6 : 0.0, seed,
		c->received, c->polls, c->empty_polls, c->arms, c->arm_busy,
		c->sleeps, c->wakeups, c->spurious, c->signals, c->timeouts,
		c->lost_wakeups, c->stalls, (double)c->sleep_ns / 1e9,
		(double)c->max_sleep_ns / 1e6, c->stats.switches,
		p->stats.posted, p->bursts, p->enobufs, p->drains, p->pauses,
		p->stats.signals, p->stats.held, p->idle_polls, p->idle_signals,
		p->stats.doorbells, p->stats.bad_doorbells, p->stats.switches,
		p->switch_deferred);
	if (p->stats.held != 0 || p->idle_polls != 0)
		fprintf(stderr, "  moderation delay %llu ns\n",
				(unsigned long long)STRESS_MODERATION_NS);
	if (p->failed)
		fprintf(stderr, "  producer FAILED: %s\n", p->why);
	if (c->failed)
		fprintf(stderr, "  consumer FAILED: %s\n", c->why);
}

/*
 * The invariants every run must satisfy once both sides stopped.
 * leftover: signals still in the eventfd after the consumer finished.
 * @return NULL, or the first violated invariant (written into buf).
 */
static inline const char *
stress_verdict(const struct stress_shared *sh, uint64_t events,
		uint64_t leftover, char *buf, size_t len)
{
	const struct stress_prod_report *p = &sh->prod;
	const struct stress_cons_report *c = &sh->cons;

	if (c->failed)
		snprintf(buf, len, "consumer: %s", c->why);
	else if (p->failed)
		snprintf(buf, len, "producer: %s", p->why);
	else if (c->received != events || c->stats.consumed != events)
		snprintf(buf, len, "consumer received %" PRIu64 " (lib says %" PRIu64
				") of %" PRIu64, c->received, c->stats.consumed, events);
	else if (p->stats.posted != events)
		snprintf(buf, len, "library counted %" PRIu64 " posted of %" PRIu64,
				p->stats.posted, events);
	else if (c->timeouts != 0 || c->lost_wakeups != 0)
		snprintf(buf, len, "%" PRIu64 " sleep timeouts", c->timeouts);
	else if (c->signals + leftover != p->stats.signals)
		snprintf(buf, len, "producer raised %" PRIu64 " signals, consumer drained %"
				PRIu64 " (+%" PRIu64 " left in the eventfd)",
				p->stats.signals, c->signals, leftover);
	else if (p->stats.signals > c->arms)
		snprintf(buf, len, "%" PRIu64 " signals for only %" PRIu64 " arms",
				p->stats.signals, c->arms);
	else if (p->stats.overflows != 0 || p->stats.refused != 0 ||
			p->stats.bad_doorbells != 0)
		snprintf(buf, len, "overflows %" PRIu64 ", refused %" PRIu64
				", bad doorbells %" PRIu64, p->stats.overflows,
				p->stats.refused, p->stats.bad_doorbells);
	else if (c->sleeps == 0 || c->wakeups == 0)
		snprintf(buf, len, "the consumer never slept (sleeps %" PRIu64
				"): the run did not exercise wake-ups", c->sleeps);
	else
		return NULL;
	return buf;
}

#endif /* STRESS_COMMON_H */
