/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

#ifndef EVQ_RING_PVT_H
#define EVQ_RING_PVT_H

/**
 * @file
 * @internal
 * evq_ring_pvt: the library's internal helpers behind the inline fast
 * paths of evq_ring.h (post, peek, consume, poll), specialised per entry
 * size, and the out-of-line slow paths they call. Not an API: names start
 * with evq_ring__ and may change at any release. Include evq_ring.h, never
 * this file.
 */

#ifndef EVQ_RING_H
#error "include evq_ring.h, not evq_ring_pvt.h"
#endif

/* Out-of-line slow paths of the inline functions below. */
int evq_ring__refuse(struct evq_ring_prod *p, int err, const char *why);
int evq_ring__overflow(struct evq_ring_prod *p, unsigned int n);
void evq_ring__after_post(struct evq_ring_prod *p, unsigned int n);
void evq_ring__after_post_word(struct evq_ring_prod *p, unsigned int n,
		uint64_t word);

/* Bodies specialised per entry size must be inlined into their dispatcher,
 * or the constant entry size is lost. */
#define EVQ_RING__ALWAYS_INLINE	inline __attribute__((always_inline))

static inline uint8_t *
evq_ring__slot(uint8_t *base, uint32_t mask, uint32_t entry_size, uint32_t count)
{
	return base + (size_t)(count & mask) * entry_size;
}

/*
 * The usual case after a post, decided without a call: nothing to do but
 * the ARMED interrupt rule, and the doorbell word unchanged since the last
 * evaluation and not armed, so evaluating it would change nothing. Anything
 * else (summary bytes, write indicator, deferred or TIMESTAMP evaluation,
 * a new or armed doorbell word) goes out of line, unchanged.
 */
static EVQ_RING__ALWAYS_INLINE void
evq_ring__after_post_inline(struct evq_ring_prod *p, unsigned int n)
{
	uint64_t word;

	if (evq_unlikely(p->summary != NULL || p->write_indicator != NULL ||
			p->intr_mode != EVQ_RING_INTR_ARMED ||
			(p->flags & EVQ_RING_F_DEFERRED_EVAL) != 0)) {
		evq_ring__after_post(p, n);
		return;
	}
	/* Dekker with evq_ring_arm_check(): our entry stores before our load */
	if (p->signal != NULL)
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	word = __atomic_load_n(p->doorbell, __ATOMIC_ACQUIRE);
	if (evq_likely(word == p->last_doorbell && !(word & EVQ_DB_ARMED))) {
		p->stats.posted += n;
		return;
	}
	evq_ring__after_post_word(p, n, word);
}

static EVQ_RING__ALWAYS_INLINE int
evq_ring__post_es(struct evq_ring_prod *p, const void *entries, unsigned int n,
		bool backpressure, const uint32_t es)
{
	const uint8_t *src = (const uint8_t *)entries;
	/* locals: the entry stores may alias *p as far as the compiler knows */
	uint8_t *const base = p->base;
	const uint32_t mask = p->mask;
	const uint32_t w = p->write;
	unsigned int i;

	if (evq_unlikely(p->defined != EVQ_RING_UNARMED))
		return evq_ring__refuse(p, -ENODEV, "ring is undefined");
	if (evq_unlikely(n == 0))
		return 0;
	if (evq_unlikely(n > mask + 1))
		return evq_ring__refuse(p, -EINVAL, "burst larger than the ring");
	for (i = 0; i < n; i++) {
		uint32_t ctrl;

		memcpy(&ctrl, src + (size_t)i * es, sizeof(ctrl));
		ctrl >>= EVQ_CTRL_CODE_SHIFT;
		if (evq_unlikely(ctrl == EVQ_CODE_EMPTY || ctrl == EVQ_CODE_SWITCH))
			return evq_ring__refuse(p, -EINVAL,
					"event code 0x00 and 0xff are reserved");
	}
	/*
	 * The consumer clears codes in order, so the last entry of the burst
	 * being empty means every entry before it is empty too.
	 */
	if (evq_unlikely(__atomic_load_n((uint32_t *)evq_ring__slot(base,
			mask, es, w + n - 1), __ATOMIC_ACQUIRE) != 0)) {
		if (backpressure)
			return -ENOBUFS;
		return evq_ring__overflow(p, n);
	}
	for (i = 0; i < n; i++, src += es) {
		uint8_t *dst = evq_ring__slot(base, mask, es, w + i);
		uint32_t ctrl;

		memcpy(&ctrl, src, sizeof(ctrl));
		if (es > 4)
			memcpy(dst + 4, src + 4, es - 4);
		__atomic_store_n((uint32_t *)dst, ctrl, __ATOMIC_RELEASE);
	}
	p->write = w + n;
	evq_ring__after_post_inline(p, n);
	return (int)n;
}

/*
 * The fast paths switch once per call on the entry size into bodies where
 * it is a compile-time constant (*_es(..., es)): fixed-size copies, slot
 * addresses by shifts. A producer not yet defined has entry size 0 and
 * takes the default case; its body refuses before touching the ring.
 */
static inline int
evq_ring__post(struct evq_ring_prod *p, const void *entries, unsigned int n,
		bool backpressure)
{
	switch (p->entry_size) {
	case 4:
		return evq_ring__post_es(p, entries, n, backpressure, 4);
	case 8:
		return evq_ring__post_es(p, entries, n, backpressure, 8);
	case 16:
		return evq_ring__post_es(p, entries, n, backpressure, 16);
	case 32:
		return evq_ring__post_es(p, entries, n, backpressure, 32);
	default:
		return evq_ring__post_es(p, entries, n, backpressure, 64);
	}
}

bool evq_ring__follow_switch(struct evq_ring_cons *c);
void evq_ring__publish(struct evq_ring_cons *c);

/* *ctrlp (if not NULL) receives the control word of a returned entry. */
static EVQ_RING__ALWAYS_INLINE const void *
evq_ring__peek_es(struct evq_ring_cons *c, unsigned int i, const uint32_t es,
		uint32_t *ctrlp)
{
	const uint8_t *e;
	uint32_t ctrl;

	for (;;) {
		e = evq_ring__slot(c->base, c->mask, es, c->read + i);
		ctrl = __atomic_load_n((const uint32_t *)e, __ATOMIC_ACQUIRE);
		if (evq_likely((ctrl >> EVQ_CTRL_CODE_SHIFT) != EVQ_CODE_SWITCH))
			break;
		/* a marker further on, or no ring handed over yet: stop */
		if (i != 0 || !evq_ring__follow_switch(c))
			return NULL;
	}
	if (ctrl == 0)
		return NULL;
	if (ctrlp != NULL)
		*ctrlp = ctrl;
	return e;
}

/* Clear n codes from read count r on, in order, then account for them. */
static EVQ_RING__ALWAYS_INLINE void
evq_ring__consume_es(struct evq_ring_cons *c, uint8_t *base, uint32_t mask,
		uint32_t r, unsigned int n, const uint32_t es)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		__atomic_store_n((uint32_t *)evq_ring__slot(base, mask, es,
				r + i), 0, __ATOMIC_RELEASE);
	r += n;
	c->read = r;
	c->stats.consumed += n;
	if (evq_unlikely(c->read_publish_interval != 0 &&
			r - c->read_published >= c->read_publish_interval))
		evq_ring__publish(c);
}

static EVQ_RING__ALWAYS_INLINE unsigned int
evq_ring__poll_burst_es(struct evq_ring_cons *c, void *out, unsigned int max,
		const uint32_t es)
{
	uint8_t *dst = (uint8_t *)out;
	/* locals: the copies to out may alias *c as far as the compiler knows */
	uint8_t *base = c->base;
	uint32_t mask = c->mask, r = c->read;
	unsigned int n;

	for (n = 0; n < max; ) {
		const uint8_t *e = evq_ring__slot(base, mask, es, r + n);
		uint32_t ctrl = __atomic_load_n((const uint32_t *)e,
				__ATOMIC_ACQUIRE);

		if (ctrl == 0)
			break;
		if (evq_unlikely((ctrl >> EVQ_CTRL_CODE_SHIFT) ==
				EVQ_CODE_SWITCH)) {
			/* a marker further on, or no ring handed over yet: stop */
			if (n != 0 || !evq_ring__follow_switch(c))
				break;
			/* first entry of the new ring next */
			base = c->base;
			mask = c->mask;
			r = c->read;
			continue;
		}
		memcpy(dst + (size_t)n * es, e, es);
		n++;
	}
	if (n != 0)
		evq_ring__consume_es(c, base, mask, r, n, es);
	return n;
}

#endif /* EVQ_RING_PVT_H */
