/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * bench_ring.h: what the parts of evq-bench-ring share: options, the
 * implementations compared, one throughput run, the prototype flags, the
 * event contents every implementation posts, and the functions each part
 * offers the others. The parts: bench_ring_main.c (command line, main),
 * bench_ring_proto.c (prototype fast paths), bench_ring_tput.c
 * (throughput and the cache-line round trip), bench_ring_wakeup.c
 * (wake-up latency).
 */

#ifndef BENCH_RING_H
#define BENCH_RING_H

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
	IMPL_EVQ_PEEK,		/* try_post_burst / peek_burst + consume (in place) */
	IMPL_PHASE,		/* the three above on a phase-validity ring */
	IMPL_PHASE_EFD,
	IMPL_PHASE_PEEK,
	IMPL_RTE,		/* rte_ring SP/SC bulk enqueue / dequeue (copy) */
	IMPL_RTE_ZC,		/* rte_ring SP/SC bulk enqueue / zero-copy dequeue */
	IMPL_PROTO,		/* evq contract, prototype fast path (this file) */
	IMPL_COUNT
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
	unsigned int publish;		/* phase consumer's read publish interval */
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

/* Steal time (hypervisor preemption) of all CPUs, in clock ticks. */

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

/* Consumer's clear count under PF_LINE_CLEAR (one consumer thread). */

extern struct bench_opts opts;
extern const char *const impl_names[IMPL_COUNT];
extern const char *const proto_flag_names[9];
extern uint32_t proto_cleared;

/* bench_ring_main.c: scheduler counters that tell a disturbed run */
long thread_wait_ns(void);
uint64_t steal_ticks(void);

/* ------------------------------------------------------------------ */
/* Event contents: identical for every implementation                 */
/* ------------------------------------------------------------------ */

/*
 * Event number seq: control word = code 0x01 | (seq & 0x7fffff) (23 bits:
 * the same events are valid under both validity rules); the next
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

		w[0] = evq_ctrl_make(BENCH_EVENT_CODE,
				(uint32_t)seq & EVQ_CTRL_PARAM_MASK_PHASE);
		if (esize >= 8)
			w[1] = (uint32_t)seq;
	}
}

static __rte_always_inline uint64_t
entry_sum(const void *entry, unsigned int esize)
{
	const uint32_t *w = entry;
	/* a peeked phase entry carries its phase bit: not part of the sum */
	uint64_t s = w[0] & EVQ_CTRL_PARAM_MASK_PHASE;

	if (esize >= 8)
		s += w[1];
	return s;
}

static inline uint64_t
expected_sum(uint64_t total, unsigned int esize)
{
	uint64_t s = 0, seq;

	for (seq = 0; seq < total; seq++) {
		s += seq & EVQ_CTRL_PARAM_MASK_PHASE;
		if (esize >= 8)
			s += (uint32_t)seq;
	}
	return s;
}

/*
 * Attach a consumer to entries and a doorbell word (zeroing the entries),
 * then define the producer on them: what every evq run of the benchmarks
 * sets up, whatever memory it lives in. A phase consumer publishes its
 * read indicator every publish entries, a clear one only when it arms.
 */
static inline int
bench_evq_pair(struct evq_ring_prod *prod, struct evq_ring_cons *cons,
		void *entries, uint64_t *doorbell, unsigned int size,
		unsigned int esize, enum evq_ring_validity validity,
		unsigned int publish)
{
	struct evq_ring_cons_conf cc;
	struct evq_ring_prod_conf pc;
	int rc;

	memset(&cc, 0, sizeof(cc));
	cc.base = entries;
	cc.size = size;
	cc.entry_size = esize;
	cc.ring_number = 1;
	cc.doorbell = doorbell;
	cc.validity = validity;
	cc.read_publish_interval =
		validity == EVQ_RING_VALIDITY_PHASE ? publish : 0;
	rc = evq_ring_cons_init(cons, &cc);
	if (rc < 0)
		return rc;
	memset(&pc, 0, sizeof(pc));
	pc.base = entries;
	pc.size = size;
	pc.entry_size = esize;
	pc.ring_number = 1;
	pc.doorbell = doorbell;
	pc.intr_mode = EVQ_RING_INTR_ARMED;
	pc.validity = validity;
	evq_ring_prod_init(prod);
	return evq_ring_prod_define(prod, &pc);
}

/* Everything an evq run needs, each shared word on its own line
 * (evq_setup(), bench_ring_tput.c). */
struct evq_setup {
	void *entries;
	uint64_t *doorbell;
	struct evq_ring_prod *prod;
	struct evq_ring_cons *cons;
	int efd;
};

/* The cache lines of the round-trip measurement (bench_ring_tput.c). */
struct rtt_lines {
	uint32_t ping __rte_cache_aligned;
	uint32_t pong __rte_cache_aligned;
};
extern struct rtt_lines *rtt_lines;
extern double session_rtt;
extern unsigned int disturbed_runs, total_runs;

/* bench_ring_proto.c */
bool proto_flags_supported(unsigned int flags);
uint64_t proto_produce_any(struct evq_ring_prod *p, uint8_t *buf,
		uint64_t total, unsigned int burst, unsigned int esize, unsigned int flags);
uint64_t proto_consume_any(struct evq_ring_cons *c, uint8_t *out,
		uint64_t want, unsigned int burst, unsigned int esize, unsigned int flags, uint64_t *sum, uint64_t *polls, uint64_t *empty);

/* bench_ring_tput.c */
void evq_teardown(struct evq_setup *s);
int evq_setup(struct evq_setup *s, unsigned int size, unsigned int esize,
		bool bind_eventfd, enum evq_ring_validity validity);
double median(double *v, unsigned int n);
double rtt_measure(unsigned int worker);
void emit(const char *metric, const char *unit, double evq,
		const char *peer_name, double peer);
int tp_config(unsigned int esize, unsigned int burst, unsigned int worker);

/* bench_ring_wakeup.c */
int wakeup_bench(unsigned int worker);

#endif /* BENCH_RING_H */
