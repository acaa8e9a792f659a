/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq-bench-ring-instr: one thread posts a burst and takes it back, again
 * and again, through one implementation of evq-bench-ring's throughput
 * runs (same events, same checksum, same ring size), so that an
 * instruction counter (valgrind's callgrind, devtools/bench ring-instr)
 * gives the instructions per event of a fast path, independent of the
 * machine's load and of the other core. Two runs with different event
 * counts give the cost per event without the start-up's; the producer's
 * and the consumer's parts are functions of their own (instr_produce,
 * instr_consume) so that the counter splits the cost between the sides.
 *
 * usage: evq-bench-ring-instr IMPL ESIZE BURST EVENTS [RING_SIZE]
 *   IMPL: clear, clear_peek, phase, phase_peek, rte (rte_ring SP/SC)
 * No EAL: the rte_ring lives in memory of our own (rte_ring_init()).
 */

#include "bench_ring.h"

enum instr_impl {
	INSTR_CLEAR,
	INSTR_CLEAR_PEEK,
	INSTR_PHASE,
	INSTR_PHASE_PEEK,
	INSTR_RTE,
};

static const char *const instr_names[] = {
	[INSTR_CLEAR] = "clear",
	[INSTR_CLEAR_PEEK] = "clear_peek",
	[INSTR_PHASE] = "phase",
	[INSTR_PHASE_PEEK] = "phase_peek",
	[INSTR_RTE] = "rte",
};

/* What the parts of one run share. */
struct instr_run {
	enum instr_impl impl;
	unsigned int burst;
	uint64_t events;
	struct evq_ring_prod prod;
	struct evq_ring_cons cons;
	struct rte_ring *rr;
};

/* The producer's part of a step: fill and post one burst (0, or -1 if it
 * did not fit). */
static __rte_always_inline int
instr_produce(struct instr_run *r, uint8_t *buf, uint64_t seq,
		const unsigned int esize, const enum instr_impl impl)
{
	const unsigned int burst = r->burst;

	fill_burst(buf, esize, burst, seq);
	if (impl == INSTR_RTE)
		return rte_ring_sp_enqueue_bulk_elem(r->rr, buf, esize, burst,
				NULL) == burst ? 0 : -1;
	return evq_ring_try_post_burst_fixed(&r->prod, buf, burst, esize) ==
		(int)burst ? 0 : -1;
}

/* The consumer's part: take up to one burst back, sum it into *sum. */
static __rte_always_inline unsigned int
instr_consume(struct instr_run *r, uint8_t *out, uint64_t *sum,
		const unsigned int esize, const enum instr_impl impl)
{
	const unsigned int burst = r->burst;
	unsigned int n = 0, i;
	uint64_t s = 0;

	switch (impl) {
	case INSTR_RTE:
		n = rte_ring_sc_dequeue_bulk_elem(r->rr, out, esize, burst, NULL);
		for (i = 0; i < n; i++)
			s += entry_sum(out + (size_t)i * esize, esize);
		break;
	case INSTR_CLEAR:
	case INSTR_PHASE:
		n = evq_ring_poll_burst_fixed(&r->cons, out, burst, esize);
		for (i = 0; i < n; i++)
			s += entry_sum(out + (size_t)i * esize, esize);
		break;
	default:
		n = evq_ring_peek_burst_fixed(&r->cons, burst, esize);
		for (i = 0; i < n; i++)
			s += entry_sum(evq_ring_peek_at_fixed(&r->cons, i, esize),
					esize);
		if (n != 0)
			evq_ring_consume_fixed(&r->cons, n, esize);
		break;
	}
	*sum += s;
	return n;
}

/*
 * One loop per (entry size, implementation), as in the throughput runs,
 * each calling a producer and a consumer function of its own: not inlined,
 * so that the counter gives each side's share, and with both the entry
 * size and the implementation constants inside.
 */
#define INSTR_SIDES(es, im) \
static __rte_noinline int \
instr_produce_##es##_##im(struct instr_run *r, uint8_t *buf, uint64_t seq) \
{ \
	return instr_produce(r, buf, seq, es, im); \
} \
static __rte_noinline unsigned int \
instr_consume_##es##_##im(struct instr_run *r, uint8_t *out, uint64_t *sum) \
{ \
	return instr_consume(r, out, sum, es, im); \
} \
static int \
instr_body_##es##_##im(struct instr_run *r) \
{ \
	uint8_t buf[BENCH_MAX_BURST * BENCH_MAX_ESIZE] __rte_cache_aligned; \
	uint8_t out[BENCH_MAX_BURST * BENCH_MAX_ESIZE] __rte_cache_aligned; \
	uint64_t seq, sum = 0; \
\
	memset(buf, 0, sizeof(buf)); \
	for (seq = 0; seq < r->events; seq += r->burst) \
		if (instr_produce_##es##_##im(r, buf, seq) != 0 || \
				instr_consume_##es##_##im(r, out, &sum) != r->burst) \
			return instr_fail(im, "a burst was not taken back"); \
	if (sum != expected_sum(r->events, es)) \
		return instr_fail(im, "checksum mismatch: events lost or duplicated"); \
	return 0; \
}

static int
instr_fail(enum instr_impl impl, const char *why)
{
	fprintf(stderr, "%s: %s\n", instr_names[impl], why);
	return -1;
}

#define INSTR_SIZE(es) \
	INSTR_SIDES(es, INSTR_CLEAR) \
	INSTR_SIDES(es, INSTR_CLEAR_PEEK) \
	INSTR_SIDES(es, INSTR_PHASE) \
	INSTR_SIDES(es, INSTR_PHASE_PEEK) \
	INSTR_SIDES(es, INSTR_RTE)
INSTR_SIZE(4)
INSTR_SIZE(8)
INSTR_SIZE(16)
INSTR_SIZE(32)
INSTR_SIZE(64)

#define INSTR_IMPL_CASE(im, es) \
	case im: \
		return instr_body_##es##_##im(r);
#define INSTR_ESIZE_CASE(es) \
	case es: \
		switch (r->impl) { \
		INSTR_IMPL_CASE(INSTR_CLEAR, es) \
		INSTR_IMPL_CASE(INSTR_CLEAR_PEEK, es) \
		INSTR_IMPL_CASE(INSTR_PHASE, es) \
		INSTR_IMPL_CASE(INSTR_PHASE_PEEK, es) \
		INSTR_IMPL_CASE(INSTR_RTE, es) \
		} \
		break;

static int
instr_dispatch(struct instr_run *r, unsigned int esize)
{
	switch (esize) {
	INSTR_ESIZE_CASE(4)
	INSTR_ESIZE_CASE(8)
	INSTR_ESIZE_CASE(16)
	INSTR_ESIZE_CASE(32)
	INSTR_ESIZE_CASE(64)
	default:
		break;
	}
	return -1;
}

static int
instr_setup(struct instr_run *r, unsigned int size, unsigned int esize,
		void **mem, uint64_t **doorbell)
{
	enum evq_ring_validity validity = r->impl == INSTR_PHASE ||
		r->impl == INSTR_PHASE_PEEK ? EVQ_RING_VALIDITY_PHASE :
		EVQ_RING_VALIDITY_CLEAR;
	size_t len;

	if (r->impl == INSTR_RTE) {
		ssize_t sz = rte_ring_get_memsize_elem(esize, size);

		if (sz < 0)
			return (int)sz;
		*mem = aligned_alloc(RTE_CACHE_LINE_SIZE,
				RTE_ALIGN_CEIL((size_t)sz, RTE_CACHE_LINE_SIZE));
		if (*mem == NULL)
			return -ENOMEM;
		r->rr = *mem;
		return rte_ring_init(r->rr, "instr", size,
				RING_F_SP_ENQ | RING_F_SC_DEQ);
	}
	len = evq_ring_mem_size(size, esize);
	if (len == 0)
		return -EINVAL;
	*mem = aligned_alloc(EVQ_CACHE_LINE, len);
	*doorbell = aligned_alloc(EVQ_CACHE_LINE, EVQ_CACHE_LINE);
	if (*mem == NULL || *doorbell == NULL)
		return -ENOMEM;
	/* 256: evq-bench-ring's default --publish */
	return bench_evq_pair(&r->prod, &r->cons, *mem, *doorbell, size, esize,
			validity, 256);
}

int
main(int argc, char **argv)
{
	static struct instr_run run;
	uint64_t esize, burst, size = 1024;
	uint64_t *doorbell = NULL;
	void *mem = NULL;
	unsigned int i;
	int rc;

	if (argc < 5 || argc > 6) {
		fprintf(stderr, "usage: %s clear|clear_peek|phase|phase_peek|rte "
				"ESIZE BURST EVENTS [RING_SIZE]\n", argv[0]);
		return 2;
	}
	for (i = 0; i < RTE_DIM(instr_names); i++)
		if (strcmp(argv[1], instr_names[i]) == 0)
			break;
	if (i == RTE_DIM(instr_names) ||
			evq_cli_parse_count(argv[2], 4, BENCH_MAX_ESIZE, &esize) < 0 ||
			evq_cli_parse_count(argv[3], 1, BENCH_MAX_BURST, &burst) < 0 ||
			evq_cli_parse_count(argv[4], 1, UINT64_MAX, &run.events) < 0 ||
			(argc == 6 && evq_cli_parse_count(argv[5], 8,
				EVQ_RING_SIZE_MAX, &size) < 0)) {
		fprintf(stderr, "%s: bad argument\n", argv[0]);
		return 2;
	}
	run.impl = (enum instr_impl)i;
	run.burst = (unsigned int)burst;
	if (run.burst >= size || run.events % run.burst != 0) {
		fprintf(stderr, "%s: the burst must be below the ring size and "
				"divide the event count\n", argv[0]);
		return 2;
	}
	rc = instr_setup(&run, (unsigned int)size, (unsigned int)esize, &mem,
			&doorbell);
	if (rc < 0) {
		fprintf(stderr, "%s: set-up failed: %s\n", argv[0], strerror(-rc));
		return 1;
	}
	rc = instr_dispatch(&run, (unsigned int)esize);
	free(mem);
	free(doorbell);
	return rc == 0 ? 0 : 1;
}
