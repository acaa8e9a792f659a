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
bool evq_ring__room_refresh(struct evq_ring_prod *p, unsigned int n);
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
 * Phase validity: the phase bit the producer writes with count c in a ring
 * of 2^k entries, set on odd laps: bit k of c, rotated into bit 23 by
 * phase_rot = (23 - k) mod 32 (evq_ring__phase_rot()).
 */
static inline uint32_t
evq_ring__phase(uint32_t count, uint32_t phase_rot)
{
	return ((count << phase_rot) | (count >> ((32 - phase_rot) & 31))) &
		EVQ_CTRL_PHASE;
}

static inline uint32_t
evq_ring__phase_rot(uint32_t size)
{
	return (uint32_t)(EVQ_CTRL_PHASE_SHIFT - __builtin_ctz(size)) & 31;
}

/*
 * Does the control word read at count c hold an event? Clear validity: any
 * non-zero word (the consumer zeroes what it used). Phase validity: a
 * non-zero code whose phase bit is the one of c's lap; zeroed memory and
 * entries of the previous lap read as empty.
 */
static EVQ_RING__ALWAYS_INLINE bool
evq_ring__valid(uint32_t ctrl, uint32_t count, uint32_t phase_rot,
		const bool phase)
{
	if (!phase)
		return ctrl != 0;
	return ctrl >= (1u << EVQ_CTRL_CODE_SHIFT) &&
		((ctrl ^ evq_ring__phase(count, phase_rot)) & EVQ_CTRL_PHASE) == 0;
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

	if (evq_unlikely(p->after_post_slow)) {
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

/*
 * Phase validity: store n checked entries from count w on. The burst is at
 * most two runs of consecutive slots (before and after the end of the
 * ring), each with one phase bit: no per-entry slot or phase arithmetic.
 */
static EVQ_RING__ALWAYS_INLINE void
evq_ring__store_phase(uint8_t *base, uint32_t mask, uint32_t w,
		uint32_t phase_rot, const uint8_t *src, unsigned int n,
		const uint32_t es)
{
	uint8_t *dst = evq_ring__slot(base, mask, es, w);
	uint32_t ph = evq_ring__phase(w, phase_rot);
	unsigned int run = mask + 1 - (w & mask);
	unsigned int i;

	if (run > n)
		run = n;
	for (i = 0; i < n; i++, src += es, dst += es) {
		uint32_t ctrl;

		if (evq_unlikely(i == run)) {
			dst = base;
			ph ^= EVQ_CTRL_PHASE;
		}
		memcpy(&ctrl, src, sizeof(ctrl));
		if (es > 4)
			memcpy(dst + 4, src + 4, es - 4);
		__atomic_store_n((uint32_t *)dst, ctrl | ph, __ATOMIC_RELEASE);
	}
}

static EVQ_RING__ALWAYS_INLINE int
evq_ring__post_es(struct evq_ring_prod *p, const void *entries, unsigned int n,
		bool backpressure, const uint32_t es, const bool phase)
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
		uint32_t ctrl, code;

		memcpy(&ctrl, src + (size_t)i * es, sizeof(ctrl));
		code = ctrl >> EVQ_CTRL_CODE_SHIFT;
		if (evq_unlikely(code == EVQ_CODE_EMPTY || code == EVQ_CODE_SWITCH))
			return evq_ring__refuse(p, -EINVAL,
					"event code 0x00 and 0xff are reserved");
		if (phase && evq_unlikely((ctrl & EVQ_CTRL_PHASE) != 0))
			return evq_ring__refuse(p, -EINVAL,
					"bit 23 of the control word is the phase bit");
	}
	if (phase) {
		/*
		 * Room from the read indicator cached from the doorbell word;
		 * reload it only when the cached value says the ring is full.
		 */
		if (evq_unlikely(w + n - p->read_seen > mask + 1) &&
				!evq_ring__room_refresh(p, n)) {
			if (backpressure)
				return -ENOBUFS;
			return evq_ring__overflow(p, n);
		}
	} else if (evq_unlikely(__atomic_load_n((uint32_t *)evq_ring__slot(base,
			mask, es, w + n - 1), __ATOMIC_ACQUIRE) != 0)) {
		/*
		 * The consumer clears codes in order, so the last entry of the
		 * burst being empty means every entry before it is empty too.
		 */
		if (backpressure)
			return -ENOBUFS;
		return evq_ring__overflow(p, n);
	}
	if (phase) {
		evq_ring__store_phase(base, mask, w, p->phase_rot, src, n, es);
		p->write = w + n;
		evq_ring__after_post_inline(p, n);
		return (int)n;
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
 * The fast paths switch once per call on the validity rule and the entry
 * size into bodies where both are compile-time constants (*_es(..., es,
 * phase)): fixed-size copies, slot addresses by shifts, no test of the rule
 * per entry. A producer not yet defined has entry size 0 and takes the
 * default case; its body refuses before touching the ring.
 */
#define EVQ_RING__DISPATCH(validity, entry_size, body) \
	do { \
		if ((validity) == EVQ_RING_VALIDITY_PHASE) { \
			switch (entry_size) { \
			case 4: body(4, true); \
			case 8: body(8, true); \
			case 16: body(16, true); \
			case 32: body(32, true); \
			default: body(64, true); \
			} \
		} \
		switch (entry_size) { \
		case 4: body(4, false); \
		case 8: body(8, false); \
		case 16: body(16, false); \
		case 32: body(32, false); \
		default: body(64, false); \
		} \
	} while (0)

static EVQ_RING__ALWAYS_INLINE int
evq_ring__post(struct evq_ring_prod *p, const void *entries, unsigned int n,
		bool backpressure)
{
#define EVQ_RING__POST(es, phase) \
	return evq_ring__post_es(p, entries, n, backpressure, es, phase)
	EVQ_RING__DISPATCH(p->validity, p->entry_size, EVQ_RING__POST);
#undef EVQ_RING__POST
}

bool evq_ring__follow_switch(struct evq_ring_cons *c);
void evq_ring__publish(struct evq_ring_cons *c);

/* *ctrlp (if not NULL) receives the control word of a returned entry,
 * without the phase bit. */
static EVQ_RING__ALWAYS_INLINE const void *
evq_ring__peek_es(struct evq_ring_cons *c, unsigned int i, const uint32_t es,
		const bool phase, uint32_t *ctrlp)
{
	const uint8_t *e;
	uint32_t ctrl;

	for (;;) {
		e = evq_ring__slot(c->base, c->mask, es, c->read + i);
		ctrl = __atomic_load_n((const uint32_t *)e, __ATOMIC_ACQUIRE);
		if (!evq_ring__valid(ctrl, c->read + i, c->phase_rot, phase))
			return NULL;
		if (evq_likely((ctrl >> EVQ_CTRL_CODE_SHIFT) != EVQ_CODE_SWITCH))
			break;
		/* a marker further on, or no ring handed over yet: stop */
		if (i != 0 || !evq_ring__follow_switch(c))
			return NULL;
	}
	if (ctrlp != NULL)
		*ctrlp = phase ? ctrl & ~EVQ_CTRL_PHASE : ctrl;
	return e;
}

static EVQ_RING__ALWAYS_INLINE const void *
evq_ring__peek(struct evq_ring_cons *c, unsigned int i)
{
#define EVQ_RING__PEEK(es, phase) return evq_ring__peek_es(c, i, es, phase, NULL)
	EVQ_RING__DISPATCH(c->validity, c->entry_size, EVQ_RING__PEEK);
#undef EVQ_RING__PEEK
}

/*
 * Account for n entries used from read count r on: clear their codes in
 * order (clear validity only; phase validity writes nothing into entries),
 * advance the read indicator, publish it lazily.
 */
static EVQ_RING__ALWAYS_INLINE void
evq_ring__consume_es(struct evq_ring_cons *c, uint8_t *base, uint32_t mask,
		uint32_t r, unsigned int n, const uint32_t es, const bool phase)
{
	unsigned int i;

	if (!phase)
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

static EVQ_RING__ALWAYS_INLINE void
evq_ring__consume(struct evq_ring_cons *c, unsigned int n)
{
	uint8_t *const base = c->base;
	const uint32_t mask = c->mask, r = c->read;

#define EVQ_RING__CONSUME(es, phase) \
	evq_ring__consume_es(c, base, mask, r, n, es, phase); return
	EVQ_RING__DISPATCH(c->validity, c->entry_size, EVQ_RING__CONSUME);
#undef EVQ_RING__CONSUME
}

/*
 * Phase validity: copy up to max events. Slots are walked as one run up to
 * the end of the ring, then from its start with the other phase bit. One
 * subtraction tests "code 0x01..0xfe" (neither empty nor a switch marker);
 * only the rare other case looks further.
 */
static EVQ_RING__ALWAYS_INLINE unsigned int
evq_ring__poll_phase_es(struct evq_ring_cons *c, uint8_t *dst, unsigned int max,
		const uint32_t es)
{
	uint8_t *base = c->base;
	uint32_t mask = c->mask, r = c->read;
	const uint8_t *e = evq_ring__slot(base, mask, es, r);
	uint32_t want = evq_ring__phase(r, c->phase_rot);
	unsigned int run = mask + 1 - (r & mask);
	unsigned int n = 0;

	/*
	 * The whole burst at once when its last slot (before the end of the
	 * ring) holds an event: entries are posted in order, each control
	 * word stored with release, so every slot before it holds one too,
	 * and none is a switch marker (the slots after a marker are not
	 * written in this lap).
	 */
	if (max > 1 && max <= run) {
		uint32_t last = __atomic_load_n((const uint32_t *)(e +
				(size_t)(max - 1) * es), __ATOMIC_ACQUIRE);

		if (((last ^ want) & EVQ_CTRL_PHASE) == 0 &&
				last - (1u << EVQ_CTRL_CODE_SHIFT) <
				(uint32_t)(EVQ_CODE_SWITCH - 1) << EVQ_CTRL_CODE_SHIFT) {
			for (n = 0; n < max; n++, dst += es, e += es) {
				uint32_t ctrl;

				memcpy(dst, e, es);
				memcpy(&ctrl, dst, sizeof(ctrl));
				ctrl &= ~EVQ_CTRL_PHASE;
				memcpy(dst, &ctrl, sizeof(ctrl));
			}
			evq_ring__consume_es(c, base, mask, r, max, es, true);
			return max;
		}
	}
	while (n < max) {
		uint32_t ctrl;

		if (evq_unlikely(n == run)) {
			e = base;
			want ^= EVQ_CTRL_PHASE;
		}
		ctrl = __atomic_load_n((const uint32_t *)e, __ATOMIC_ACQUIRE);
		if (((ctrl ^ want) & EVQ_CTRL_PHASE) != 0)
			break;
		if (evq_unlikely(ctrl - (1u << EVQ_CTRL_CODE_SHIFT) >=
				(uint32_t)(EVQ_CODE_SWITCH - 1) << EVQ_CTRL_CODE_SHIFT)) {
			/* code 0: never written; else a switch marker, followed
			 * only as the first entry and once the ring is handed */
			if (ctrl < (1u << EVQ_CTRL_CODE_SHIFT) || n != 0 ||
					!evq_ring__follow_switch(c))
				break;
			base = c->base;
			mask = c->mask;
			r = c->read;
			e = evq_ring__slot(base, mask, es, r);
			want = evq_ring__phase(r, c->phase_rot);
			run = mask + 1 - (r & mask);
			continue;
		}
		memcpy(dst, e, es);
		/* the copy carries no phase bit: the caller sees what was posted */
		ctrl &= ~EVQ_CTRL_PHASE;
		memcpy(dst, &ctrl, sizeof(ctrl));
		dst += es;
		e += es;
		n++;
	}
	if (n != 0)
		evq_ring__consume_es(c, base, mask, r, n, es, true);
	return n;
}

/* Clear validity: copy up to max events. */
static EVQ_RING__ALWAYS_INLINE unsigned int
evq_ring__poll_clear_es(struct evq_ring_cons *c, uint8_t *dst, unsigned int max,
		const uint32_t es)
{
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
		evq_ring__consume_es(c, base, mask, r, n, es, false);
	return n;
}

static EVQ_RING__ALWAYS_INLINE unsigned int
evq_ring__poll_burst_es(struct evq_ring_cons *c, void *out, unsigned int max,
		const uint32_t es, const bool phase)
{
	if (phase)
		return evq_ring__poll_phase_es(c, (uint8_t *)out, max, es);
	return evq_ring__poll_clear_es(c, (uint8_t *)out, max, es);
}

static EVQ_RING__ALWAYS_INLINE unsigned int
evq_ring__poll_burst(struct evq_ring_cons *c, void *out, unsigned int max)
{
#define EVQ_RING__POLL(es, phase) \
	return evq_ring__poll_burst_es(c, out, max, es, phase)
	EVQ_RING__DISPATCH(c->validity, c->entry_size, EVQ_RING__POLL);
#undef EVQ_RING__POLL
}

#endif /* EVQ_RING_PVT_H */
