/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq-bench-ring: performance of lib/evq_ring against its DPDK peers, in
 * one run, on two lcores (consumer on the main lcore, producer on the
 * first worker):
 *  - throughput: evq_ring versus rte_ring SP/SC bulk, same element size,
 *    same ring size, same bursts; cycles per event and Mevents/s measured
 *    on the consumer side, median of several repetitions;
 *  - wake-up latency: post on an armed ring with a bound eventfd versus a
 *    raw eventfd write, consumer asleep in epoll_wait, p50 and p99.
 * Results go to stdout as one JSON object per line; progress to stderr.
 * Nothing is asserted: the numbers are compared by people and scripts.
 * A run during which either side waited for its CPU (other tasks, the
 * hypervisor) is re-run. --proto adds rows for prototype fast paths
 * (same memory contract, changes suggested for the library) so that each
 * change is measured against the library in the same run.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <linux/membarrier.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>
#include <rte_ring_peek_zc.h>

#include "evq_cli.h"
#include "evq_ring.h"

#define BENCH_MAX_BURST		64
#define BENCH_MAX_ESIZE		64
#define BENCH_MAX_LIST		8
#define BENCH_MAX_REPS		15
#define PROTO_MAX_VARIANTS	8
#define BENCH_EVENT_CODE	0x01

/* How the two sides of a throughput run move events. */
enum impl {
	IMPL_EVQ,		/* try_post_burst / poll_burst, no signal bound */
	IMPL_EVQ_EFD,		/* same, eventfd bound: producer checks doorbell */
	IMPL_EVQ_PEEK,		/* try_post_burst / peek + consume (in place) */
	IMPL_RTE,		/* rte_ring SP/SC bulk enqueue / dequeue (copy) */
	IMPL_RTE_ZC,		/* rte_ring SP/SC bulk enqueue / zero-copy dequeue */
	IMPL_PROTO,		/* evq contract, prototype fast path (this file) */
	IMPL_COUNT
};

static const char *const impl_names[IMPL_COUNT] = {
	[IMPL_EVQ] = "evq",
	[IMPL_EVQ_EFD] = "evq+eventfd",
	[IMPL_EVQ_PEEK] = "evq peek",
	[IMPL_RTE] = "rte_ring_spsc",
	[IMPL_RTE_ZC] = "rte_ring_spsc_zc",
	[IMPL_PROTO] = "evq proto",
};

struct bench_opts {
	uint64_t events;		/* measured events per run */
	uint64_t warmup;		/* events before the clock starts */
	unsigned int reps;
	unsigned int ring_size;
	unsigned int sizes[BENCH_MAX_LIST];
	unsigned int nb_sizes;
	unsigned int bursts[BENCH_MAX_LIST];
	unsigned int nb_bursts;
	unsigned int wakeup_iters;
	unsigned int wakeup_delay_us;
	unsigned int retries;		/* re-runs of a disturbed run */
	bool throughput;
	bool wakeup;
	uint32_t impls;			/* bit i: run implementation i */
	unsigned int proto_flags[PROTO_MAX_VARIANTS]; /* PF_* of each row */
	unsigned int nb_proto;		/* prototype rows */
	bool empty_pause;		/* consumers pause after an empty poll */
	bool proto_eventfd;		/* prototype runs with an eventfd bound */
};

/* One throughput run, shared by the two lcores. */
struct tp_run {
	enum impl impl;
	unsigned int esize;
	unsigned int burst;
	uint64_t warmup;
	uint64_t events;
	struct rte_ring *rr;
	struct evq_ring_prod *prod;
	struct evq_ring_cons *cons;
	/* results */
	unsigned int proto_flags;	/* IMPL_PROTO: PF_* */
	int prod_rc;
	uint64_t cycles;		/* consumer cycles over the measured events */
	uint64_t measured;
	uint64_t sum;			/* checksum of what the consumer saw */
	uint64_t polls;			/* consumer dequeue calls, measured part */
	uint64_t empty_polls;
	uint64_t full_posts;		/* producer calls refused for lack of room */
	long prod_preempted;		/* ns the producer waited for its CPU */
	long cons_preempted;		/* same, consumer */
};

/* Nanoseconds the calling thread has spent runnable but not running
 * (scheduler run delay): a run in which either side waited for its CPU
 * measures the scheduler, not the ring. */
static long
thread_wait_ns(void)
{
	unsigned long long cpu_ns = 0, wait_ns = 0;
	FILE *f = fopen("/proc/thread-self/schedstat", "r");

	if (f == NULL)
		return 0;
	if (fscanf(f, "%llu %llu", &cpu_ns, &wait_ns) != 2)
		wait_ns = 0;
	fclose(f);
	return (long)wait_ns;
}

/* Steal time (hypervisor preemption) of all CPUs, in clock ticks. */
static uint64_t
steal_ticks(void)
{
	unsigned long long v[8] = { 0 };
	char line[256];
	FILE *f = fopen("/proc/stat", "r");

	if (f == NULL)
		return 0;
	if (fgets(line, sizeof(line), f) == NULL ||
			sscanf(line, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
				&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
				&v[7]) != 8)
		v[7] = 0;
	fclose(f);
	return v[7];
}

/*
 * Prototype of the evq fast paths with suggested changes, one flag each, so
 * that each change is measured alone (--proto FLAGS). It runs on the
 * library's own contexts and memory contract; with no flag it is the
 * library's inline code, copied.
 */
#define PF_CONST_ES	(1u << 0)	/* entry size a compile-time constant */
#define PF_LOCALS	(1u << 1)	/* ring fields in locals (no alias reloads) */
#define PF_ONE_PASS	(1u << 2)	/* validate codes while copying payloads */
#define PF_INLINE_EVAL	(1u << 3)	/* inline "doorbell unchanged" fast check */
#define PF_PREFETCHW	(1u << 4)	/* producer takes its lines for writing first */
#define PF_LINE_CLEAR	(1u << 5)	/* consumer clears codes a whole line at a time */
#define PF_SWITCH_COPY	(1u << 6)	/* run-time entry size, fixed-size copies */
#define PF_TAIL_CHECK	(1u << 7)	/* consumer tests the burst's last code first */
#define PF_MEMBARRIER	(1u << 8)	/* no producer fence: arm side uses membarrier */
#define PF_CODE		(PF_CONST_ES | PF_LOCALS | PF_ONE_PASS | PF_INLINE_EVAL)
#define PF_ALL		(PF_CODE | PF_TAIL_CHECK | PF_MEMBARRIER)
/* What the measurements support (see readme-ring / the report). */
#define PF_RECOMMENDED	(PF_CONST_ES | PF_LOCALS | PF_INLINE_EVAL)

static const char *const proto_flag_names[] = {
	"const_es", "locals", "one_pass", "inline_eval", "prefetchw",
	"line_clear", "switch_copy", "tail_check", "membarrier",
};

/* Consumer's clear count under PF_LINE_CLEAR (one consumer thread). */
static uint32_t proto_cleared;

static struct bench_opts opts = {
	.events = 1u << 22,
	.warmup = 1u << 20,
	.reps = 7,
	.ring_size = 1024,
	.sizes = { 16, 8, 4 },
	.nb_sizes = 3,
	.bursts = { 1, 8, 32 },
	.nb_bursts = 3,
	.wakeup_iters = 20000,
	.wakeup_delay_us = 50,
	.retries = 3,
	.throughput = true,
	.wakeup = true,
	.impls = (1u << IMPL_COUNT) - 1 - (1u << IMPL_PROTO),
	.nb_proto = 0,
	.empty_pause = false,
	.proto_eventfd = false,
};

/* ------------------------------------------------------------------ */
/* Event contents: identical for every implementation                 */
/* ------------------------------------------------------------------ */

/*
 * Event number seq: control word = code 0x01 | (seq & 0xffffff); the next
 * word (8-byte entries and up) = seq; the rest is left as it was. The
 * consumer sums what it reads so that no copy can be optimised away and so
 * that a lost or duplicated event shows up as a wrong checksum.
 */
static __rte_always_inline void
fill_burst(uint8_t *buf, unsigned int esize, unsigned int burst, uint64_t seq)
{
	unsigned int i;

	for (i = 0; i < burst; i++, seq++) {
		uint32_t *w = (uint32_t *)(buf + (size_t)i * esize);

		w[0] = evq_ctrl_make(BENCH_EVENT_CODE, (uint32_t)seq);
		if (esize >= 8)
			w[1] = (uint32_t)seq;
	}
}

static __rte_always_inline uint64_t
entry_sum(const void *entry, unsigned int esize)
{
	const uint32_t *w = entry;
	uint64_t s = w[0] & EVQ_CTRL_PARAM_MASK;

	if (esize >= 8)
		s += w[1];
	return s;
}

static uint64_t
expected_sum(uint64_t total, unsigned int esize)
{
	uint64_t s = 0, seq;

	for (seq = 0; seq < total; seq++) {
		s += seq & EVQ_CTRL_PARAM_MASK;
		if (esize >= 8)
			s += (uint32_t)seq;
	}
	return s;
}

/* ------------------------------------------------------------------ */
/* Prototype fast path (same memory contract as lib/evq_ring)         */
/* ------------------------------------------------------------------ */

/* Entry size: the template constant, or the context's field as the
 * library reads it (a load at each use). */
#define PROTO_ES(ctx) ((flags & PF_CONST_ES) ? esize : (ctx)->entry_size)

/* Copy len bytes, len one of the lengths an entry copy can have: with
 * PF_SWITCH_COPY each case is a fixed-size copy the compiler inlines
 * (no call to memcpy for a 16-byte entry), without it a plain memcpy. */
static __rte_always_inline void
proto_copy(void *dst, const void *src, uint32_t len, const unsigned int flags)
{
	if (!(flags & PF_SWITCH_COPY)) {
		memcpy(dst, src, len);
		return;
	}
	switch (len) {
	case 0:
		break;
	case 4:
		memcpy(dst, src, 4);
		break;
	case 8:
		memcpy(dst, src, 8);
		break;
	case 12:
		memcpy(dst, src, 12);
		break;
	case 16:
		memcpy(dst, src, 16);
		break;
	case 28:
		memcpy(dst, src, 28);
		break;
	case 32:
		memcpy(dst, src, 32);
		break;
	case 60:
		memcpy(dst, src, 60);
		break;
	default:
		memcpy(dst, src, 64);
		break;
	}
}

/* StoreLoad barrier of the producer before it reads the doorbell, unless
 * the arming side provides it with membarrier() (PF_MEMBARRIER). */
static __rte_always_inline void
proto_producer_fence(const unsigned int flags)
{
	if (flags & PF_MEMBARRIER)
		rte_compiler_barrier();
	else
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static __rte_always_inline int
proto_post(struct evq_ring_prod *p, const void *entries, unsigned int n,
		const unsigned int esize, const unsigned int flags)
{
	const uint8_t *src = (const uint8_t *)entries;
	const uint32_t es = PROTO_ES(p);
	uint8_t *base = p->base;
	const uint32_t mask = p->mask;
	uint32_t w = p->write;
	unsigned int i;

	if (unlikely(p->defined != EVQ_RING_UNARMED))
		return evq_ring__refuse(p, -ENODEV, "ring is undefined");
	if (unlikely(n == 0))
		return 0;
	if (unlikely(n > mask + 1))
		return evq_ring__refuse(p, -EINVAL, "burst larger than the ring");
	if (!(flags & PF_ONE_PASS)) {
		for (i = 0; i < n; i++) {
			uint32_t ctrl;

			memcpy(&ctrl, src + (size_t)i * es, sizeof(ctrl));
			ctrl >>= EVQ_CTRL_CODE_SHIFT;
			if (unlikely(ctrl == EVQ_CODE_EMPTY ||
					ctrl == EVQ_CODE_SWITCH))
				return evq_ring__refuse(p, -EINVAL,
						"event code 0x00 and 0xff are reserved");
		}
	}
	if (flags & PF_PREFETCHW) {
		/*
		 * The slots were last written by the consumer (it cleared
		 * their codes): a plain load of the code fetches the line
		 * shared and the store then needs a second transaction to
		 * own it. Ask for ownership once, for every line of the burst.
		 */
		uint32_t first = (w & mask) * es, last = ((w + n - 1) & mask) * es;
		uint32_t off;

		if (first <= last) {
			for (off = first & ~63u; off <= last; off += 64)
				asm volatile("prefetchw %0" : : "m"(base[off]));
		} else {
			for (off = first & ~63u; off < (mask + 1) * es; off += 64)
				asm volatile("prefetchw %0" : : "m"(base[off]));
			for (off = 0; off <= last; off += 64)
				asm volatile("prefetchw %0" : : "m"(base[off]));
		}
	}
	if (flags & PF_LOCALS) {
		if (unlikely(__atomic_load_n((uint32_t *)evq_ring__slot(base,
				mask, es, w + n - 1), __ATOMIC_ACQUIRE) != 0))
			return -ENOBUFS;
	} else if (unlikely(__atomic_load_n((uint32_t *)evq_ring__slot(p->base,
			p->mask, es, w + n - 1), __ATOMIC_ACQUIRE) != 0)) {
		return -ENOBUFS;
	}
	if (flags & PF_ONE_PASS) {
		/* payloads first (invisible: the slots' codes are still 0),
		 * checking codes on the way; then the codes, in order */
		uint32_t bad = 0;

		for (i = 0; i < n; i++) {
			const uint8_t *e = src + (size_t)i * es;
			uint8_t *dst = (flags & PF_LOCALS) ?
				evq_ring__slot(base, mask, es, w + i) :
				evq_ring__slot(p->base, p->mask, es, w + i);
			uint32_t code = evq_ctrl_code(evq_ring_entry_ctrl(e));

			bad |= (code == EVQ_CODE_EMPTY) | (code == EVQ_CODE_SWITCH);
			if (es > 4)
				proto_copy(dst + 4, e + 4, es - 4, flags);
		}
		if (unlikely(bad))
			return evq_ring__refuse(p, -EINVAL,
					"event code 0x00 and 0xff are reserved");
		for (i = 0; i < n; i++) {
			uint8_t *dst = (flags & PF_LOCALS) ?
				evq_ring__slot(base, mask, es, w + i) :
				evq_ring__slot(p->base, p->mask, es, w + i);

			__atomic_store_n((uint32_t *)dst, evq_ring_entry_ctrl(src +
					(size_t)i * es), __ATOMIC_RELEASE);
		}
	} else {
		for (i = 0; i < n; i++, src += es) {
			uint8_t *dst = (flags & PF_LOCALS) ?
				evq_ring__slot(base, mask, es, w + i) :
				evq_ring__slot(p->base, p->mask, es, w + i);
			uint32_t ctrl;

			memcpy(&ctrl, src, sizeof(ctrl));
			if (es > 4)
				proto_copy(dst + 4, src + 4, es - 4, flags);
			__atomic_store_n((uint32_t *)dst, ctrl, __ATOMIC_RELEASE);
		}
	}
	p->write = w + n;
	if (flags & PF_INLINE_EVAL) {
		/*
		 * The common case decided inline: nothing but the interrupt
		 * rule to run, and the doorbell word unchanged and unarmed
		 * (then evq_ring_eval() returns without doing anything).
		 * Everything else goes to the library, unchanged.
		 */
		if (likely(p->summary == NULL && p->write_indicator == NULL &&
				p->intr_mode == EVQ_RING_INTR_ARMED &&
				!(p->flags & EVQ_RING_F_DEFERRED_EVAL))) {
			uint64_t word;

			if (p->signal != NULL)
				proto_producer_fence(flags);
			word = __atomic_load_n(p->doorbell, __ATOMIC_ACQUIRE);
			if (likely(word == p->last_doorbell &&
					!(word & EVQ_DB_ARMED))) {
				p->stats.posted += n;
				return (int)n;
			}
		}
	}
	evq_ring__after_post(p, n);
	return (int)n;
}

static __rte_always_inline unsigned int
proto_poll(struct evq_ring_cons *c, uint8_t *out, unsigned int max,
		const unsigned int esize, const unsigned int flags)
{
	unsigned int n, i;

	if (flags & PF_LOCALS) {
		uint8_t *base = c->base;
		const uint32_t mask = c->mask, es = PROTO_ES(c), r = c->read;

		n = 0;
		if ((flags & PF_TAIL_CHECK) && max > 1 &&
				__atomic_load_n((const uint32_t *)evq_ring__slot(base,
					mask, es, r + max - 1), __ATOMIC_ACQUIRE) != 0) {
			/*
			 * The producer writes codes in order with release, and
			 * this consumer cleared every slot before r + max - 1:
			 * that code being set means the whole burst is there.
			 * One acquire load instead of max; only a switch marker
			 * (rare) sends us back to the entry-by-entry scan.
			 */
			uint32_t marker = 0;

			for (; n < max; n++) {
				const uint8_t *e = evq_ring__slot(base, mask, es,
						r + n);

				marker |= evq_ctrl_code(evq_ring_entry_ctrl(e)) ==
					EVQ_CODE_SWITCH;
				proto_copy(out + (size_t)n * es, e, es, flags);
			}
			if (unlikely(marker))
				n = 0;
		}
		for (; n < max; n++) {
			const uint8_t *e = evq_ring__slot(base, mask, es, r + n);
			uint32_t ctrl = __atomic_load_n((const uint32_t *)e,
					__ATOMIC_ACQUIRE);

			if (ctrl == 0)
				break;
			if (unlikely(evq_ctrl_code(ctrl) == EVQ_CODE_SWITCH)) {
				if (n == 0)	/* the library follows it */
					return evq_ring_poll_burst(c, out, max);
				break;
			}
			proto_copy(out + (size_t)n * es, e, es, flags);
		}
		if (n == 0)
			return 0;
		if (flags & PF_LINE_CLEAR) {
			/*
			 * Clear in order, but only up to the last whole line
			 * consumed: the producer's next write to a line then
			 * finds it cleared once, not entry by entry. The
			 * producer sees up to (64 / es - 1) entries as still
			 * full a little longer.
			 */
			const uint32_t per_line = 64 / es;
			uint32_t upto = (r + n) & ~(per_line - 1), k;

			for (k = proto_cleared; k != upto; k++)
				__atomic_store_n((uint32_t *)evq_ring__slot(base,
						mask, es, k), 0, __ATOMIC_RELEASE);
			proto_cleared = upto;
		} else {
			for (i = 0; i < n; i++)
				__atomic_store_n((uint32_t *)evq_ring__slot(base,
						mask, es, r + i), 0, __ATOMIC_RELEASE);
		}
		c->read = r + n;
	} else {
		uint32_t r;

		for (n = 0; n < max; n++) {
			const uint8_t *e;
			uint32_t ctrl;

			for (;;) {
				e = evq_ring__slot(c->base, c->mask, PROTO_ES(c),
						c->read + n);
				ctrl = __atomic_load_n((const uint32_t *)e,
						__ATOMIC_ACQUIRE);
				if (likely(evq_ctrl_code(ctrl) != EVQ_CODE_SWITCH))
					break;
				if (n != 0 || !evq_ring__follow_switch(c)) {
					ctrl = 0;
					break;
				}
			}
			if (ctrl == 0)
				break;
			proto_copy(out + (size_t)n * PROTO_ES(c), e, PROTO_ES(c),
					flags);
		}
		if (n == 0)
			return 0;
		r = c->read;
		for (i = 0; i < n; i++)
			__atomic_store_n((uint32_t *)evq_ring__slot(c->base,
					c->mask, PROTO_ES(c), r + i), 0,
					__ATOMIC_RELEASE);
		c->read = r + n;
	}
	c->stats.consumed += n;
	if (unlikely(c->read_publish_interval != 0 &&
			c->read - c->read_published >= c->read_publish_interval))
		evq_ring__publish(c);
	return n;
}

/* One loop per (entry size, flags): the flags are compile-time constants. */
static __rte_always_inline uint64_t
proto_produce(struct evq_ring_prod *p, uint8_t *buf, uint64_t total,
		unsigned int burst, const unsigned int esize,
		const unsigned int flags)
{
	uint64_t seq, full = 0;

	for (seq = 0; seq < total; seq += burst) {
		fill_burst(buf, esize, burst, seq);
		while (proto_post(p, buf, burst, esize, flags) < 0) {
			full++;
			rte_pause();
		}
	}
	return full;
}

static __rte_always_inline uint64_t
proto_consume(struct evq_ring_cons *c, uint8_t *out, uint64_t want,
		unsigned int burst, const unsigned int esize,
		const unsigned int flags, uint64_t *sum, uint64_t *polls,
		uint64_t *empty)
{
	uint64_t got = 0, s = 0, np = 0, ne = 0;

	while (got < want) {
		unsigned int n = proto_poll(c, out, burst, esize, flags), i;

		for (i = 0; i < n; i++)
			s += entry_sum(out + (size_t)i * esize, esize);
		np++;
		ne += (n == 0);
		got += n;
		if (n == 0 && opts.empty_pause)
			rte_pause();
	}
	*sum += s;
	*polls += np;
	*empty += ne;
	return got;
}

/* The flag sets that are compiled (each single flag, the code changes
 * together, and those plus the cache-line changes). */
#define PROTO_FLAG_CASES(X) \
	X(0) X(PF_CONST_ES) X(PF_SWITCH_COPY) X(PF_LOCALS) X(PF_ONE_PASS) \
	X(PF_INLINE_EVAL) X(PF_PREFETCHW) X(PF_LINE_CLEAR) \
	X(PF_CONST_ES | PF_LOCALS) X(PF_SWITCH_COPY | PF_LOCALS) \
	X(PF_CONST_ES | PF_LOCALS | PF_ONE_PASS) \
	X(PF_CONST_ES | PF_LOCALS | PF_INLINE_EVAL) \
	X(PF_CONST_ES | PF_LOCALS | PF_INLINE_EVAL | PF_MEMBARRIER) \
	X(PF_INLINE_EVAL | PF_MEMBARRIER) X(PF_CODE) \
	X(PF_CODE | PF_PREFETCHW) X(PF_CODE | PF_LINE_CLEAR) \
	X(PF_CODE | PF_TAIL_CHECK) X(PF_CODE | PF_MEMBARRIER) \
	X(PF_SWITCH_COPY | PF_LOCALS | PF_TAIL_CHECK) \
	X(PF_SWITCH_COPY | PF_LOCALS | PF_ONE_PASS | PF_INLINE_EVAL | \
		PF_TAIL_CHECK | PF_MEMBARRIER) \
	X(PF_ALL)

static bool
proto_flags_supported(unsigned int flags)
{
#define PROTO_SUPPORTED_CASE(f) case f: return true;
	switch (flags) {
	PROTO_FLAG_CASES(PROTO_SUPPORTED_CASE)
	}
#undef PROTO_SUPPORTED_CASE
	return false;
}

static uint64_t
proto_produce_any(struct evq_ring_prod *p, uint8_t *buf, uint64_t total,
		unsigned int burst, unsigned int esize, unsigned int flags)
{
#define PROTO_PRODUCE_CASE(f) \
	case f: \
		switch (esize) { \
		case 4: return proto_produce(p, buf, total, burst, 4, f); \
		case 8: return proto_produce(p, buf, total, burst, 8, f); \
		case 16: return proto_produce(p, buf, total, burst, 16, f); \
		case 32: return proto_produce(p, buf, total, burst, 32, f); \
		default: return proto_produce(p, buf, total, burst, 64, f); \
		}
	switch (flags) {
	PROTO_FLAG_CASES(PROTO_PRODUCE_CASE)
	}
#undef PROTO_PRODUCE_CASE
	return 0;
}

static uint64_t
proto_consume_any(struct evq_ring_cons *c, uint8_t *out, uint64_t want,
		unsigned int burst, unsigned int esize, unsigned int flags,
		uint64_t *sum, uint64_t *polls, uint64_t *empty)
{
#define PROTO_CONSUME_CASE(f) \
	case f: \
		switch (esize) { \
		case 4: return proto_consume(c, out, want, burst, 4, f, sum, \
				polls, empty); \
		case 8: return proto_consume(c, out, want, burst, 8, f, sum, \
				polls, empty); \
		case 16: return proto_consume(c, out, want, burst, 16, f, sum, \
				polls, empty); \
		case 32: return proto_consume(c, out, want, burst, 32, f, sum, \
				polls, empty); \
		default: return proto_consume(c, out, want, burst, 64, f, sum, \
				polls, empty); \
		}
	switch (flags) {
	PROTO_FLAG_CASES(PROTO_CONSUME_CASE)
	}
#undef PROTO_CONSUME_CASE
	return 0;
}

/* ------------------------------------------------------------------ */
/* Producer side (worker lcore)                                       */
/* ------------------------------------------------------------------ */

static __rte_always_inline int
producer_body(struct tp_run *r, const unsigned int esize)
{
	uint8_t buf[BENCH_MAX_BURST * BENCH_MAX_ESIZE] __rte_cache_aligned;
	const uint64_t total = r->warmup + r->events;
	const unsigned int burst = r->burst;
	uint64_t seq, full = 0;

	memset(buf, 0, sizeof(buf));
	if (r->impl == IMPL_PROTO) {
		r->full_posts = proto_produce_any(r->prod, buf, total, burst,
				esize, r->proto_flags);
		return 0;
	}
	if (r->impl == IMPL_RTE || r->impl == IMPL_RTE_ZC) {
		for (seq = 0; seq < total; seq += burst) {
			fill_burst(buf, esize, burst, seq);
			while (rte_ring_sp_enqueue_bulk_elem(r->rr, buf, esize,
					burst, NULL) == 0) {
				full++;
				rte_pause();
			}
		}
	} else {
		for (seq = 0; seq < total; seq += burst) {
			fill_burst(buf, esize, burst, seq);
			for (;;) {
				int rc = evq_ring_try_post_burst(r->prod, buf,
						burst);

				if (likely(rc > 0))
					break;
				if (rc != -ENOBUFS)
					return rc;
				full++;
				rte_pause();
			}
		}
	}
	r->full_posts = full;
	return 0;
}

static int
producer_main(void *arg)
{
	struct tp_run *r = arg;
	long preempted = thread_wait_ns();

	switch (r->esize) {
	case 4:
		r->prod_rc = producer_body(r, 4);
		break;
	case 8:
		r->prod_rc = producer_body(r, 8);
		break;
	case 16:
		r->prod_rc = producer_body(r, 16);
		break;
	case 32:
		r->prod_rc = producer_body(r, 32);
		break;
	default:
		r->prod_rc = producer_body(r, 64);
		break;
	}
	r->prod_preempted = thread_wait_ns() - preempted;
	return r->prod_rc;
}

/* ------------------------------------------------------------------ */
/* Consumer side (main lcore)                                         */
/* ------------------------------------------------------------------ */

/* One dequeue attempt: up to burst events, summed into *sum. */
static __rte_always_inline unsigned int
consumer_step(struct tp_run *r, uint8_t *out, const unsigned int esize,
		const enum impl impl, uint64_t *sum)
{
	const unsigned int burst = r->burst;
	unsigned int n = 0, i;
	uint64_t s = 0;

	switch (impl) {
	case IMPL_EVQ:
	case IMPL_EVQ_EFD:
		n = evq_ring_poll_burst(r->cons, out, burst);
		for (i = 0; i < n; i++)
			s += entry_sum(out + (size_t)i * esize, esize);
		break;
	case IMPL_EVQ_PEEK:
		for (n = 0; n < burst; n++) {
			const void *e = evq_ring_peek(r->cons, n);

			if (e == NULL)
				break;
			s += entry_sum(e, esize);
		}
		if (n != 0)
			evq_ring_consume(r->cons, n);
		break;
	case IMPL_RTE:
		n = rte_ring_sc_dequeue_bulk_elem(r->rr, out, esize, burst, NULL);
		for (i = 0; i < n; i++)
			s += entry_sum(out + (size_t)i * esize, esize);
		break;
	case IMPL_RTE_ZC: {
		struct rte_ring_zc_data zcd;

		n = rte_ring_dequeue_zc_bulk_elem_start(r->rr, esize, burst,
				&zcd, NULL);
		if (n == 0)
			break;
		for (i = 0; i < zcd.n1; i++)
			s += entry_sum((uint8_t *)zcd.ptr1 + (size_t)i * esize,
					esize);
		for (i = 0; i < n - zcd.n1; i++)
			s += entry_sum((uint8_t *)zcd.ptr2 + (size_t)i * esize,
					esize);
		rte_ring_dequeue_zc_elem_finish(r->rr, n);
		break;
	}
	default:
		break;
	}
	*sum += s;
	return n;
}

/* Each (entry size, implementation) gets its own loop: no run-time
 * dispatch inside the measured loop, for any implementation. */
static __rte_always_inline void
consumer_body(struct tp_run *r, const unsigned int esize, const enum impl impl)
{
	uint8_t out[BENCH_MAX_BURST * BENCH_MAX_ESIZE] __rte_cache_aligned;
	const uint64_t total = r->warmup + r->events;
	uint64_t got = 0, sum = 0, polls = 0, empty = 0, start_got, t0, t1;

	if (impl == IMPL_PROTO) {
		uint64_t np = 0, ne = 0;

		proto_cleared = evq_ring_cons_read(r->cons);
		got = proto_consume_any(r->cons, out, r->warmup, r->burst, esize,
				r->proto_flags, &sum, &np, &ne);
		start_got = got;
		t0 = rte_rdtsc_precise();
		got += proto_consume_any(r->cons, out, total - got, r->burst,
				esize, r->proto_flags, &sum, &polls, &empty);
		t1 = rte_rdtsc_precise();
		goto done;
	}
	while (got < r->warmup) {
		unsigned int n = consumer_step(r, out, esize, impl, &sum);

		got += n;
		if (n == 0 && opts.empty_pause)
			rte_pause();
	}
	start_got = got;
	t0 = rte_rdtsc_precise();
	while (got < total) {
		unsigned int n = consumer_step(r, out, esize, impl, &sum);

		polls++;
		empty += (n == 0);
		got += n;
		if (n == 0 && opts.empty_pause)
			rte_pause();
	}
	t1 = rte_rdtsc_precise();
done:
	r->cycles = t1 - t0;
	r->measured = got - start_got;
	r->sum = sum;
	r->polls = polls;
	r->empty_polls = empty;
}

#define CONSUMER_IMPL_CASE(im, es) \
	case im: \
		consumer_body(r, es, im); \
		break;
#define CONSUMER_ESIZE_CASE(es) \
	case es: \
		switch (r->impl) { \
		CONSUMER_IMPL_CASE(IMPL_EVQ, es) \
		CONSUMER_IMPL_CASE(IMPL_EVQ_EFD, es) \
		CONSUMER_IMPL_CASE(IMPL_EVQ_PEEK, es) \
		CONSUMER_IMPL_CASE(IMPL_RTE, es) \
		CONSUMER_IMPL_CASE(IMPL_RTE_ZC, es) \
		CONSUMER_IMPL_CASE(IMPL_PROTO, es) \
		default: \
			break; \
		} \
		break;

static void
consumer_main(struct tp_run *r)
{
	long preempted = thread_wait_ns();

	switch (r->esize) {
	CONSUMER_ESIZE_CASE(4)
	CONSUMER_ESIZE_CASE(8)
	CONSUMER_ESIZE_CASE(16)
	CONSUMER_ESIZE_CASE(32)
	CONSUMER_ESIZE_CASE(64)
	default:
		break;
	}
	r->cons_preempted = thread_wait_ns() - preempted;
}

/* ------------------------------------------------------------------ */
/* Ring set-up                                                        */
/* ------------------------------------------------------------------ */

/* Everything an evq run needs, each shared word on its own line. */
struct evq_setup {
	void *entries;
	uint64_t *doorbell;
	struct evq_ring_prod *prod;
	struct evq_ring_cons *cons;
	int efd;
};

static void
evq_teardown(struct evq_setup *s)
{
	if (s->prod != NULL)
		evq_ring_prod_undefine(s->prod);
	if (s->efd >= 0)
		close(s->efd);
	rte_free(s->prod);
	rte_free(s->cons);
	rte_free(s->doorbell);
	rte_free(s->entries);
	memset(s, 0, sizeof(*s));
	s->efd = -1;
}

static int
evq_setup(struct evq_setup *s, unsigned int size, unsigned int esize,
		bool bind_eventfd)
{
	struct evq_ring_cons_conf cc;
	struct evq_ring_prod_conf pc;
	size_t len = evq_ring_mem_size(size, esize);
	int rc;

	memset(s, 0, sizeof(*s));
	s->efd = -1;
	if (len == 0)
		return -EINVAL;
	s->entries = rte_zmalloc("bench_evq", len, RTE_CACHE_LINE_SIZE);
	s->doorbell = rte_zmalloc("bench_db", RTE_CACHE_LINE_SIZE,
			RTE_CACHE_LINE_SIZE);
	/* producer and consumer contexts: private, never on a shared line */
	s->prod = rte_zmalloc("bench_prod", sizeof(*s->prod), RTE_CACHE_LINE_SIZE);
	s->cons = rte_zmalloc("bench_cons", sizeof(*s->cons), RTE_CACHE_LINE_SIZE);
	if (s->entries == NULL || s->doorbell == NULL || s->prod == NULL ||
			s->cons == NULL) {
		rc = -ENOMEM;
		goto fail;
	}
	memset(&cc, 0, sizeof(cc));
	cc.base = s->entries;
	cc.size = size;
	cc.entry_size = esize;
	cc.ring_number = 1;
	cc.doorbell = s->doorbell;
	cc.read_publish_interval = 0;
	rc = evq_ring_cons_init(s->cons, &cc);
	if (rc < 0)
		goto fail;
	memset(&pc, 0, sizeof(pc));
	pc.base = s->entries;
	pc.size = size;
	pc.entry_size = esize;
	pc.ring_number = 1;
	pc.doorbell = s->doorbell;
	pc.intr_mode = EVQ_RING_INTR_ARMED;
	evq_ring_prod_init(s->prod);
	rc = evq_ring_prod_define(s->prod, &pc);
	if (rc < 0)
		goto fail;
	if (bind_eventfd) {
		s->efd = evq_eventfd_create();
		if (s->efd < 0) {
			rc = s->efd;
			goto fail;
		}
		rc = evq_ring_prod_bind_eventfd(s->prod, s->efd);
		if (rc < 0)
			goto fail;
	}
	return 0;
fail:
	evq_teardown(s);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Throughput                                                         */
/* ------------------------------------------------------------------ */

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return (n & 1) ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* ------------------------------------------------------------------ */
/* Cache-line round trip between the two lcores                       */
/* ------------------------------------------------------------------ */

/*
 * On a virtual machine the two vCPUs move between physical cores; the cost
 * of moving a cache line between them (what bounds any cross-core queue)
 * then changes by several times within seconds. Each run is bracketed by
 * this measurement: a run during which it changed is re-run, and the
 * median per row is reported, to tell a slow ring from a slow machine.
 */
#define RTT_ROUNDS	2000

struct rtt_lines {
	uint32_t ping __rte_cache_aligned;
	uint32_t pong __rte_cache_aligned;
};

static struct rtt_lines *rtt_lines;
static double session_rtt;	/* measured at start, for reference */

static int
rtt_peer(void *arg)
{
	uint32_t i;

	(void)arg;
	for (i = 1; i <= RTT_ROUNDS; i++) {
		while (__atomic_load_n(&rtt_lines->ping, __ATOMIC_ACQUIRE) != i)
			rte_pause();
		__atomic_store_n(&rtt_lines->pong, i, __ATOMIC_RELEASE);
	}
	return 0;
}

/* Cycles for one line to go to the worker and another to come back. */
static double
rtt_measure(unsigned int worker)
{
	uint64_t t0, t1;
	uint32_t i;

	rtt_lines->ping = 0;
	rtt_lines->pong = 0;
	if (rte_eal_remote_launch(rtt_peer, NULL, worker) != 0)
		return 0;
	t0 = rte_rdtsc_precise();
	for (i = 1; i <= RTT_ROUNDS; i++) {
		__atomic_store_n(&rtt_lines->ping, i, __ATOMIC_RELEASE);
		while (__atomic_load_n(&rtt_lines->pong, __ATOMIC_ACQUIRE) != i)
			rte_pause();
	}
	t1 = rte_rdtsc_precise();
	rte_eal_wait_lcore(worker);
	return (double)(t1 - t0) / RTT_ROUNDS;
}

/* What one run reports. */
struct run_out {
	double cycles;		/* per event */
	double burst;		/* events per non-empty dequeue */
	double empty_pct;	/* dequeue calls that found nothing */
	double full_pct;	/* enqueue calls that found no room */
	double rtt;		/* cache-line round trip around the run */
};

/* One run of one implementation; returns cycles per event or < 0 and
 * sets *disturbed if a side lost its CPU during the run. */
static double
tp_run_attempt(enum impl impl, unsigned int proto_flags, unsigned int esize,
		unsigned int burst, unsigned int worker, struct run_out *out,
		bool *disturbed)
{
	double rtt_before = rtt_measure(worker), rtt_after;
	uint64_t steal = steal_ticks();
	struct evq_setup es = { .efd = -1 };
	struct tp_run r;
	uint64_t want;
	int rc;

	memset(&r, 0, sizeof(r));
	r.impl = impl;
	r.proto_flags = proto_flags;
	r.esize = esize;
	r.burst = burst;
	r.warmup = opts.warmup;
	r.events = opts.events;

	switch (impl) {
	case IMPL_EVQ:
	case IMPL_EVQ_PEEK:
	case IMPL_EVQ_EFD:
	case IMPL_PROTO:
		rc = evq_setup(&es, opts.ring_size, esize, impl == IMPL_EVQ_EFD ||
				(impl == IMPL_PROTO && opts.proto_eventfd));
		if (rc < 0) {
			fprintf(stderr, "evq set-up failed: %s\n", strerror(-rc));
			return -1;
		}
		r.prod = es.prod;
		r.cons = es.cons;
		break;
	default:
		r.rr = rte_ring_create_elem("bench_rr", esize, opts.ring_size,
				rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (r.rr == NULL) {
			fprintf(stderr, "rte_ring_create_elem: %s\n",
					rte_strerror(rte_errno));
			return -1;
		}
		break;
	}

	rc = rte_eal_remote_launch(producer_main, &r, worker);
	if (rc == 0) {
		consumer_main(&r);
		rc = rte_eal_wait_lcore(worker);
	}
	rtt_after = rc == 0 ? rtt_measure(worker) : rtt_before;
	/* more than 0.5 % of the run spent waiting for a CPU, or the line
	 * round trip changed by more than a third: retry */
	*disturbed = (double)(r.prod_preempted + r.cons_preempted) >
		0.005 * (double)r.cycles * 1e9 / (double)rte_get_tsc_hz() ||
		steal_ticks() != steal ||
		RTE_MAX(rtt_before, rtt_after) > 1.33 * RTE_MIN(rtt_before, rtt_after);
	if (getenv("EVQ_BENCH_DEBUG") != NULL)
		fprintf(stderr, "    run %s: waited for CPU %ld + %ld ns, line "
				"round trip %.0f -> %.0f cycles%s\n",
				impl_names[impl], r.prod_preempted,
				r.cons_preempted, rtt_before, rtt_after,
				*disturbed ? " (disturbed)" : "");

	if (r.rr != NULL)
		rte_ring_free(r.rr);
	if (es.prod != NULL)
		evq_teardown(&es);

	if (rc != 0 || r.prod_rc != 0) {
		fprintf(stderr, "%s: run failed (launch %d, producer %d)\n",
				impl_names[impl], rc, r.prod_rc);
		return -1;
	}
	want = expected_sum(r.warmup + r.events, esize);
	if (r.sum != want) {
		fprintf(stderr, "%s: checksum mismatch (%" PRIu64 " != %" PRIu64
				"): events lost or duplicated\n",
				impl_names[impl], r.sum, want);
		return -1;
	}
	out->burst = r.polls > r.empty_polls ?
		(double)r.measured / (double)(r.polls - r.empty_polls) : 0;
	out->empty_pct = r.polls ?
		100.0 * (double)r.empty_polls / (double)r.polls : 0;
	out->full_pct = 100.0 * (double)r.full_posts /
		(double)((r.warmup + r.events) / burst + r.full_posts);
	out->rtt = (rtt_before + rtt_after) / 2;
	out->cycles = (double)r.cycles / (double)r.measured;
	return out->cycles;
}

static unsigned int disturbed_runs;
static unsigned int total_runs;

/* A run disturbed by the scheduler or the hypervisor is retried a few
 * times; the last attempt counts whatever happens (and is reported). */
static double
tp_run_once(enum impl impl, unsigned int proto_flags, unsigned int esize,
		unsigned int burst, unsigned int worker, struct run_out *out)
{
	unsigned int attempt;
	double c = -1;

	for (attempt = 0; attempt <= opts.retries; attempt++) {
		bool disturbed = false;

		c = tp_run_attempt(impl, proto_flags, esize, burst, worker,
				out, &disturbed);
		if (c < 0 || !disturbed)
			break;
		disturbed_runs++;
	}
	total_runs++;
	return c;
}

static double
cycles_to_mevents(double cycles_per_event)
{
	return (double)rte_get_tsc_hz() / cycles_per_event / 1e6;
}

static void
emit(const char *metric, const char *unit, double evq, const char *peer_name,
		double peer)
{
	printf("{\"bench\": \"ring\", \"metric\": \"%s\", \"unit\": \"%s\", "
		"\"evq\": %.3f, \"peer_name\": \"%s\", \"peer\": %.3f, "
		"\"ratio\": %.3f}\n", metric, unit, evq, peer_name, peer,
		peer > 0 ? evq / peer : 0.0);
	fflush(stdout);
}

/* One JSON line comparing two medians. */
static void
emit_pair(double evq, double peer, const char *peer_name, unsigned int esize,
		unsigned int burst, const char *suffix, bool rate)
{
	char metric[128];

	snprintf(metric, sizeof(metric), "%s_burst%u_%uB%s",
			rate ? "events_per_s" : "cycles_per_event", burst, esize,
			suffix);
	if (rate)
		emit(metric, "Mevents/s", cycles_to_mevents(evq), peer_name,
				cycles_to_mevents(peer));
	else
		emit(metric, "cycles/event", evq, peer_name, peer);
}

/* Name of a prototype flag set, e.g. "const_es+locals". */
static void
proto_flags_name(unsigned int flags, char *buf, size_t len)
{
	unsigned int i;
	size_t off = 0;

	buf[0] = '\0';
	if (flags == 0) {
		snprintf(buf, len, "none");
		return;
	}
	if (flags == PF_ALL) {
		snprintf(buf, len, "all");
		return;
	}
	if ((flags & PF_CODE) == PF_CODE) {
		off += snprintf(buf, len, "code");
		flags &= ~PF_CODE;
	}
	for (i = 0; i < RTE_DIM(proto_flag_names); i++)
		if (flags & (1u << i))
			off += snprintf(buf + off, len > off ? len - off : 0,
					"%s%s", off ? "+" : "", proto_flag_names[i]);
}

/* A row of the table: an implementation, or a prototype flag set. */
struct tp_row {
	enum impl impl;
	unsigned int proto_flags;
	char name[96];
	double cycles[BENCH_MAX_REPS];
	double burst[BENCH_MAX_REPS];
	double empty[BENCH_MAX_REPS];
	double full[BENCH_MAX_REPS];
	double rtt[BENCH_MAX_REPS];
	double median;
};

/* Median cycles/event of each row for one (size, burst). */
static int
tp_config(unsigned int esize, unsigned int burst, unsigned int worker)
{
	struct tp_row rows[IMPL_COUNT + PROTO_MAX_VARIANTS];
	int by_impl[IMPL_COUNT];
	unsigned int nb_rows = 0, rep, k;
	double rtt_lo = 1e30, rtt_hi = 0;
	int im;

	for (im = 0; im < IMPL_COUNT; im++) {
		by_impl[im] = -1;
		if (im == IMPL_PROTO || !(opts.impls & (1u << im)))
			continue;
		by_impl[im] = (int)nb_rows;
		rows[nb_rows].impl = im;
		rows[nb_rows].proto_flags = 0;
		snprintf(rows[nb_rows].name, sizeof(rows[0].name), "%s",
				impl_names[im]);
		nb_rows++;
	}
	for (k = 0; k < opts.nb_proto; k++) {
		char fl[80];

		rows[nb_rows].impl = IMPL_PROTO;
		rows[nb_rows].proto_flags = opts.proto_flags[k];
		proto_flags_name(opts.proto_flags[k], fl, sizeof(fl));
		snprintf(rows[nb_rows].name, sizeof(rows[0].name), "proto %s%s",
				fl, opts.proto_eventfd ? " +eventfd" : "");
		nb_rows++;
	}

	/* interleave the rows so that drift hits all alike */
	for (rep = 0; rep < opts.reps; rep++) {
		for (k = 0; k < nb_rows; k++) {
			struct tp_row *row = &rows[k];
			struct run_out o;
			double c = tp_run_once(row->impl, row->proto_flags, esize,
					burst, worker, &o);

			if (c < 0)
				return -1;
			row->cycles[rep] = c;
			row->burst[rep] = o.burst;
			row->empty[rep] = o.empty_pct;
			row->full[rep] = o.full_pct;
			row->rtt[rep] = o.rtt;
		}
	}
	for (k = 0; k < nb_rows; k++) {
		struct tp_row *row = &rows[k];
		double mb, me, mf, mr;

		row->median = median(row->cycles, opts.reps);
		mb = median(row->burst, opts.reps);
		me = median(row->empty, opts.reps);
		mf = median(row->full, opts.reps);
		mr = median(row->rtt, opts.reps);
		rtt_lo = RTE_MIN(rtt_lo, mr);
		rtt_hi = RTE_MAX(rtt_hi, mr);
		/* median() sorted the samples: [0] and [reps - 1] are the range */
		fprintf(stderr, "  %-24s %2uB burst %-2u: %6.2f cycles/event "
				"[%.2f..%.2f] %7.2f Mevents/s (dequeued %.1f/poll, "
				"empty polls %.0f%%, full posts %.0f%%, line round "
				"trip %.0f [%.0f..%.0f])\n",
				row->name, esize, burst, row->median,
				row->cycles[0], row->cycles[opts.reps - 1],
				cycles_to_mevents(row->median), mb, me, mf, mr,
				row->rtt[0], row->rtt[opts.reps - 1]);
	}

	if (rtt_hi > 1.5 * rtt_lo)
		fprintf(stderr, "  warning: the cache-line round trip moved between "
				"%.0f and %.0f cycles during these rows (vCPUs "
				"moved?): compare them with care\n", rtt_lo, rtt_hi);
	else if (rtt_lo > 2.0 * session_rtt || rtt_hi < session_rtt / 2.0)
		fprintf(stderr, "  warning: cache-line round trip %.0f cycles, "
				"%.0f at start: the machine changed\n", rtt_lo,
				session_rtt);

#define MED(im) rows[by_impl[im]].median
#define HAVE(a, b) (by_impl[a] >= 0 && by_impl[b] >= 0)
	if (HAVE(IMPL_EVQ, IMPL_RTE)) {
		emit_pair(MED(IMPL_EVQ), MED(IMPL_RTE), impl_names[IMPL_RTE],
				esize, burst, "", false);
		emit_pair(MED(IMPL_EVQ), MED(IMPL_RTE), impl_names[IMPL_RTE],
				esize, burst, "", true);
	}
	if (HAVE(IMPL_EVQ_EFD, IMPL_RTE)) {
		emit_pair(MED(IMPL_EVQ_EFD), MED(IMPL_RTE), impl_names[IMPL_RTE],
				esize, burst, "_eventfd_bound", false);
		emit_pair(MED(IMPL_EVQ_EFD), MED(IMPL_RTE), impl_names[IMPL_RTE],
				esize, burst, "_eventfd_bound", true);
	}
	if (HAVE(IMPL_EVQ_PEEK, IMPL_RTE_ZC))
		emit_pair(MED(IMPL_EVQ_PEEK), MED(IMPL_RTE_ZC),
				impl_names[IMPL_RTE_ZC], esize, burst,
				"_zero_copy", false);
	if (by_impl[IMPL_RTE] >= 0) {
		for (k = 0; k < nb_rows; k++) {
			char suffix[112], fl[80];
			unsigned int i;

			if (rows[k].impl != IMPL_PROTO)
				continue;
			proto_flags_name(rows[k].proto_flags, fl, sizeof(fl));
			for (i = 0; fl[i] != '\0'; i++)
				if (fl[i] == '+')
					fl[i] = '_';
			snprintf(suffix, sizeof(suffix), "_prototype_%s%s", fl,
					opts.proto_eventfd ? "_eventfd_bound" : "");
			emit_pair(rows[k].median, MED(IMPL_RTE),
					impl_names[IMPL_RTE], esize, burst, suffix,
					false);
		}
	}
#undef HAVE
#undef MED
	return 0;
}

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
	WAKE_PROTO,		/* prototype: no producer fence, membarrier at arm */
	WAKE_MODES
};

static const char *const wake_names[WAKE_MODES] = {
	[WAKE_EVQ] = "evq",
	[WAKE_RAW] = "eventfd_raw",
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
	uint8_t entry[16] __rte_aligned(16);
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

static int
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
			rc = evq_setup(&ms[m].es, opts.ring_size, 16, true);
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

			armed = mode == WAKE_EVQ ? evq_ring_arm_check(c) :
				proto_arm_check(c);
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

/* ------------------------------------------------------------------ */
/* Options and main                                                   */
/* ------------------------------------------------------------------ */

static void
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [EAL args] -- [options]\n"
		"  --events N          measured events per run (default %" PRIu64 ")\n"
		"  --warmup N          events before timing starts (default %" PRIu64 ")\n"
		"  --reps N            repetitions, median reported (default %u, max %u)\n"
		"  --ring-size N       entries per ring, both rings (default %u)\n"
		"  --sizes LIST        element sizes, e.g. 16,8,4 (default)\n"
		"  --bursts LIST       burst sizes, e.g. 1,8,32 (default)\n"
		"  --wakeup-iters N    wake-ups per variant (default %u)\n"
		"  --wakeup-delay-us N producer waits this long before posting (default %u)\n"
		"  --retries N         re-run a run preempted by another task (default %u)\n"
		"  --no-throughput     skip the throughput runs\n"
		"  --no-wakeup         skip the wake-up latency runs\n"
		"  --proto[=FLAGS]     add a prototype row (repeatable, up to %u); FLAGS:\n"
		"                      recommended (default: const_es,locals,inline_eval),\n"
		"                      all, none, or a list of code, const_es, locals,\n"
		"                      one_pass, inline_eval, prefetchw, line_clear,\n"
		"                      switch_copy, tail_check, membarrier (code =\n"
		"                      const_es,locals,one_pass,inline_eval; all = code,\n"
		"                      tail_check,membarrier); not every set is compiled\n"
		"  --empty-pause       every consumer pauses after an empty poll\n"
		"  --proto-eventfd     prototype runs with an eventfd bound\n"
		"  --impls LIST        run only these: evq,evq_eventfd,evq_peek,rte,rte_zc\n",
		prog, opts.events, opts.warmup, opts.reps, BENCH_MAX_REPS,
		opts.ring_size, opts.wakeup_iters, opts.wakeup_delay_us,
		opts.retries, PROTO_MAX_VARIANTS);
}

/* A count as every program of the project reads one (evq_cli.h). */
static int
parse_u64(const char *s, uint64_t *v)
{
	return evq_cli_parse_count(s, 0, UINT64_MAX, v);
}

static int
parse_list(const char *s, unsigned int *list, unsigned int *nb,
		const unsigned int *allowed, unsigned int nb_allowed)
{
	char buf[128], *tok, *save = NULL;
	unsigned int n = 0, k;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		uint64_t v;
		bool ok = false;

		if (n == BENCH_MAX_LIST || parse_u64(tok, &v) < 0)
			return -EINVAL;
		for (k = 0; k < nb_allowed; k++)
			ok |= (v == allowed[k]);
		if (!ok)
			return -EINVAL;
		list[n++] = (unsigned int)v;
	}
	if (n == 0)
		return -EINVAL;
	*nb = n;
	return 0;
}

static int
parse_proto_flags(const char *s)
{
	char buf[128], *tok, *save = NULL;
	unsigned int mask = 0, i;

	if (opts.nb_proto == PROTO_MAX_VARIANTS)
		return -EINVAL;
	if (strcmp(s, "all") == 0) {
		opts.proto_flags[opts.nb_proto++] = PF_ALL;
		return 0;
	}
	if (strcmp(s, "recommended") == 0) {
		opts.proto_flags[opts.nb_proto++] = PF_RECOMMENDED;
		return 0;
	}
	if (strcmp(s, "none") == 0) {
		opts.proto_flags[opts.nb_proto++] = 0;
		return 0;
	}
	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "code") == 0) {
			mask |= PF_CODE;
			continue;
		}
		for (i = 0; i < RTE_DIM(proto_flag_names); i++)
			if (strcmp(tok, proto_flag_names[i]) == 0)
				break;
		if (i == RTE_DIM(proto_flag_names))
			return -EINVAL;
		mask |= 1u << i;
	}
	if (!proto_flags_supported(mask)) {
		fprintf(stderr, "prototype flag set %s is not compiled in\n", s);
		return -EINVAL;
	}
	opts.proto_flags[opts.nb_proto++] = mask;
	return 0;
}

static int
parse_impls(const char *s)
{
	static const char *const keys[IMPL_COUNT] = {
		[IMPL_EVQ] = "evq",
		[IMPL_EVQ_EFD] = "evq_eventfd",
		[IMPL_EVQ_PEEK] = "evq_peek",
		[IMPL_RTE] = "rte",
		[IMPL_RTE_ZC] = "rte_zc",
	};
	char buf[128], *tok, *save = NULL;
	uint32_t mask = 0;
	int i;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < IMPL_COUNT; i++)
			if (keys[i] != NULL && strcmp(tok, keys[i]) == 0)
				break;
		if (i == IMPL_COUNT)
			return -EINVAL;
		mask |= 1u << i;
	}
	if (mask == 0)
		return -EINVAL;
	opts.impls = mask;
	return 0;
}

static int
parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "events", required_argument, NULL, 'e' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "reps", required_argument, NULL, 'r' },
		{ "ring-size", required_argument, NULL, 's' },
		{ "sizes", required_argument, NULL, 'S' },
		{ "bursts", required_argument, NULL, 'B' },
		{ "wakeup-iters", required_argument, NULL, 'i' },
		{ "wakeup-delay-us", required_argument, NULL, 'd' },
		{ "retries", required_argument, NULL, 'R' },
		{ "no-throughput", no_argument, NULL, 'T' },
		{ "no-wakeup", no_argument, NULL, 'W' },
		{ "proto", optional_argument, NULL, 'P' },
		{ "proto-eventfd", no_argument, NULL, 'E' },
		{ "empty-pause", no_argument, NULL, 'Z' },
		{ "impls", required_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const unsigned int sizes_ok[] = { 4, 8, 16, 32, 64 };
	static const unsigned int bursts_ok[] = { 1, 2, 4, 8, 16, 32, 64 };
	uint64_t v;
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'e':
			if (parse_u64(optarg, &v) < 0 || v < 1024 || v % 64)
				goto bad;
			opts.events = v;
			break;
		case 'w':
			if (parse_u64(optarg, &v) < 0 || v % 64)
				goto bad;
			opts.warmup = v;
			break;
		case 'r':
			if (parse_u64(optarg, &v) < 0 || v < 1 || v > BENCH_MAX_REPS)
				goto bad;
			opts.reps = (unsigned int)v;
			break;
		case 's':
			if (parse_u64(optarg, &v) < 0 || v < 64 ||
					v > EVQ_RING_SIZE_MAX || (v & (v - 1)))
				goto bad;
			opts.ring_size = (unsigned int)v;
			break;
		case 'S':
			if (parse_list(optarg, opts.sizes, &opts.nb_sizes,
					sizes_ok, RTE_DIM(sizes_ok)) < 0)
				goto bad;
			break;
		case 'B':
			if (parse_list(optarg, opts.bursts, &opts.nb_bursts,
					bursts_ok, RTE_DIM(bursts_ok)) < 0)
				goto bad;
			break;
		case 'i':
			if (parse_u64(optarg, &v) < 0 || v < 10 || v > 10000000)
				goto bad;
			opts.wakeup_iters = (unsigned int)v;
			break;
		case 'd':
			if (parse_u64(optarg, &v) < 0 || v > 1000000)
				goto bad;
			opts.wakeup_delay_us = (unsigned int)v;
			break;
		case 'R':
			if (parse_u64(optarg, &v) < 0 || v > 100)
				goto bad;
			opts.retries = (unsigned int)v;
			break;
		case 'T':
			opts.throughput = false;
			break;
		case 'W':
			opts.wakeup = false;
			break;
		case 'P':
			if (parse_proto_flags(optarg != NULL ? optarg :
					"recommended") < 0)
				goto bad;
			break;
		case 'Z':
			opts.empty_pause = true;
			break;
		case 'E':
			opts.proto_eventfd = true;
			break;
		case 'I':
			if (parse_impls(optarg) < 0)
				goto bad;
			break;
		case 'h':
			usage(argv[0]);
			exit(0);
		default:
			goto bad;
		}
	}
	if (optind != argc)
		goto bad;
	return 0;
bad:
	usage(argv[0]);
	return -EINVAL;
}

int
main(int argc, char **argv)
{
	unsigned int worker, s, b;
	int ret, rc = 0;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "rte_eal_init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (parse_args(argc - ret, argv + ret) < 0) {
		rte_eal_cleanup();
		return 2;
	}
	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker >= RTE_MAX_LCORE) {
		fprintf(stderr, "need two lcores (e.g. -l 0-1)\n");
		rte_eal_cleanup();
		return 2;
	}
	rtt_lines = rte_zmalloc("bench_rtt", sizeof(*rtt_lines),
			RTE_CACHE_LINE_SIZE);
	if (rtt_lines == NULL) {
		fprintf(stderr, "out of memory\n");
		rte_eal_cleanup();
		return 1;
	}
	session_rtt = rtt_measure(worker);
	fprintf(stderr, "evq-bench-ring: consumer lcore %u, producer lcore %u, "
			"TSC %.3f GHz, ring %u entries, %" PRIu64 " events/run "
			"(+%" PRIu64 " warm-up), median of %u; cache-line round "
			"trip %.0f cycles\n",
			rte_lcore_id(), worker, rte_get_tsc_hz() / 1e9,
			opts.ring_size, opts.events, opts.warmup, opts.reps,
			session_rtt);

	if (opts.throughput) {
		for (s = 0; s < opts.nb_sizes && rc == 0; s++)
			for (b = 0; b < opts.nb_bursts && rc == 0; b++)
				rc = tp_config(opts.sizes[s], opts.bursts[b], worker);
	}
	if (total_runs != 0)
		fprintf(stderr, "throughput: %u runs, %u attempts discarded because "
				"a side was preempted or the line round trip changed\n",
				total_runs, disturbed_runs);
	if (opts.wakeup && rc == 0) {
		fprintf(stderr, "wake-up latency: %u iterations each, producer "
				"posts %u us after the consumer sleeps\n",
				opts.wakeup_iters, opts.wakeup_delay_us);
		rc = wakeup_bench(worker);
	}

	rte_free(rtt_lines);
	rte_eal_cleanup();
	return rc == 0 ? 0 : 1;
}
