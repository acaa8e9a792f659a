/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * bench_ring_proto.h: the post side of the prototype fast paths, inline
 * so that the throughput producer (bench_ring_proto.c) and the wake-up
 * test (bench_ring_wakeup.c) both get it specialised per PF_* flags.
 */

#ifndef BENCH_RING_PROTO_H
#define BENCH_RING_PROTO_H

#include "bench_ring.h"

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

#endif /* BENCH_RING_PROTO_H */
