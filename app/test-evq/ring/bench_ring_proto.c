/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * bench_ring_proto.c: the prototype fast paths of evq-bench-ring: the
 * same memory contract as lib/evq_ring, with the changes (PF_* flags)
 * measured against the library in the same run.
 */

#include "bench_ring.h"
#include "bench_ring_proto.h"

/* ------------------------------------------------------------------ */
/* Prototype fast path (same memory contract as lib/evq_ring)         */
/* ------------------------------------------------------------------ */

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

bool
proto_flags_supported(unsigned int flags)
{
#define PROTO_SUPPORTED_CASE(f) case f: return true;
	switch (flags) {
	PROTO_FLAG_CASES(PROTO_SUPPORTED_CASE)
	}
#undef PROTO_SUPPORTED_CASE
	return false;
}

uint64_t
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

uint64_t
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
