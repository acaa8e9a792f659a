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

/* The per-entry loops of a burst are a few instructions each: unrolled by
 * four, their loop test costs a quarter of an instruction per entry. */
#define EVQ_RING__UNROLL	_Pragma("GCC unroll 4")

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
 * Is the control word read at a count of lap phase want (the phase bit
 * that count's entry carries when written, 0 with clear validity) a
 * written entry? Clear validity: any non-zero word (the consumer zeroes
 * what it used). Phase validity: a non-zero code whose phase bit is want;
 * zeroed memory and entries of the previous lap read as empty.
 */
static EVQ_RING__ALWAYS_INLINE bool
evq_ring__valid_want(uint32_t ctrl, uint32_t want, const bool phase)
{
	if (!phase)
		return ctrl != 0;
	return ctrl >= (1u << EVQ_CTRL_CODE_SHIFT) &&
		((ctrl ^ want) & EVQ_CTRL_PHASE) == 0;
}

/* evq_ring__valid_want() for the entry of count c. */
static EVQ_RING__ALWAYS_INLINE bool
evq_ring__valid(uint32_t ctrl, uint32_t count, uint32_t phase_rot,
		const bool phase)
{
	return evq_ring__valid_want(ctrl, phase ?
			evq_ring__phase(count, phase_rot) : 0, phase);
}

/*
 * Is it an event: valid and not a switch marker (code 0xff)? One
 * subtraction each: clear validity, a word in 1..0xfeffffff; phase
 * validity, code 0x01..0xfe (bit 23, the phase bit, is below the code)
 * and the phase bit want.
 */
static EVQ_RING__ALWAYS_INLINE bool
evq_ring__event_want(uint32_t ctrl, uint32_t want, const bool phase)
{
	if (!phase)
		return ctrl - 1u < ((uint32_t)EVQ_CODE_SWITCH << EVQ_CTRL_CODE_SHIFT) - 1u;
	return ctrl - (1u << EVQ_CTRL_CODE_SHIFT) <
		(uint32_t)(EVQ_CODE_SWITCH - 1) << EVQ_CTRL_CODE_SHIFT &&
		((ctrl ^ want) & EVQ_CTRL_PHASE) == 0;
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
 * Can the n control words from src be posted: code neither 0x00 (empty)
 * nor 0xff (the switch marker) and, with phase validity, bit 23 clear?
 * One test for the whole burst, no branch per entry: adding 1 << 24 maps
 * exactly the codes 0xff and 0x00 below 2 << 24, so the smallest sum
 * tells; the OR of all words tells whether any carries bit 23.
 */
static EVQ_RING__ALWAYS_INLINE bool
evq_ring__codes_ok(const uint8_t *src, unsigned int n, const uint32_t es,
		const bool phase)
{
	uint32_t low = UINT32_MAX, any = 0;
	unsigned int i;

	EVQ_RING__UNROLL
	for (i = 0; i < n; i++) {
		uint32_t ctrl, moved;

		memcpy(&ctrl, src + (size_t)i * es, sizeof(ctrl));
		moved = ctrl + (1u << EVQ_CTRL_CODE_SHIFT);
		low = moved < low ? moved : low;
		any |= ctrl;
	}
	/* & rather than &&: one loop computes both */
	return (low >= (2u << EVQ_CTRL_CODE_SHIFT)) &
		(!phase | ((any & EVQ_CTRL_PHASE) == 0));
}

/*
 * Store cnt checked entries into consecutive slots from dst: parameters
 * first, then the control word (with the phase bit ph) with release, so a
 * consumer that sees a control word sees its parameters and every entry
 * before it. On a little-endian machine an entry of 8 bytes or more
 * publishes its first 8 bytes (the control word in the low half and the
 * first parameter word) with one aligned 64-bit release store, which is
 * single-copy atomic: one store fewer per entry, the whole of an 8-byte
 * entry in one.
 */
static EVQ_RING__ALWAYS_INLINE void
evq_ring__store_run(uint8_t *dst, const uint8_t *src, unsigned int cnt,
		uint32_t ph, const uint32_t es)
{
	unsigned int i;

	EVQ_RING__UNROLL
	for (i = 0; i < cnt; i++, src += es, dst += es) {
		uint32_t ctrl;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		if (es >= 8) {
			uint64_t head;

			memcpy(&head, src, sizeof(head));
			if (es > 8)
				memcpy(dst + 8, src + 8, es - 8);
			__atomic_store_n((uint64_t *)dst, head | ph,
					__ATOMIC_RELEASE);
			continue;
		}
#endif
		memcpy(&ctrl, src, sizeof(ctrl));
		if (es > 4)
			memcpy(dst + 4, src + 4, es - 4);
		__atomic_store_n((uint32_t *)dst, ctrl | ph, __ATOMIC_RELEASE);
	}
}

/*
 * Store n checked entries from count w on. The burst is at most two runs
 * of consecutive slots (before and after the end of the ring), each with
 * one phase bit (phase validity; none with clear validity): the loops
 * have no per-entry slot, wrap or phase arithmetic.
 */
static EVQ_RING__ALWAYS_INLINE void
evq_ring__store(uint8_t *base, uint32_t mask, uint32_t w, uint32_t phase_rot,
		const uint8_t *src, unsigned int n, const uint32_t es,
		const bool phase)
{
	uint8_t *dst = evq_ring__slot(base, mask, es, w);
	uint32_t ph = phase ? evq_ring__phase(w, phase_rot) : 0;
	unsigned int run = mask + 1 - (w & mask);

	if (evq_likely(n <= run)) {
		evq_ring__store_run(dst, src, n, ph, es);
		return;
	}
	evq_ring__store_run(dst, src, run, ph, es);
	evq_ring__store_run(base, src + (size_t)run * es, n - run,
			phase ? ph ^ EVQ_CTRL_PHASE : 0, es);
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

	if (evq_unlikely(p->defined != EVQ_RING_UNARMED))
		return evq_ring__refuse(p, -ENODEV, "ring is undefined");
	/* n == 0 or n > size in one test */
	if (evq_unlikely(n - 1 > mask)) {
		if (n == 0)
			return 0;
		return evq_ring__refuse(p, -EINVAL, "burst larger than the ring");
	}
	if (evq_unlikely(!evq_ring__codes_ok(src, n, es, phase)))
		return evq_ring__refuse(p, -EINVAL,
				evq_ring__codes_ok(src, n, es, false) ?
				"bit 23 of the control word is the phase bit" :
				"event code 0x00 and 0xff are reserved");
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
	evq_ring__store(base, mask, w, p->phase_rot, src, n, es, phase);
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
	uint32_t ctrl, want;

	for (;;) {
		e = evq_ring__slot(c->base, c->mask, es, c->read + i);
		ctrl = __atomic_load_n((const uint32_t *)e, __ATOMIC_ACQUIRE);
		want = phase ? evq_ring__phase(c->read + i, c->phase_rot) : 0;
		if (evq_likely(evq_ring__event_want(ctrl, want, phase)))
			break;
		/* empty; or a marker further on, or no ring handed over yet */
		if (!evq_ring__valid_want(ctrl, want, phase) || i != 0 ||
				!evq_ring__follow_switch(c))
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

/* Clear validity: zero the control words of cnt consecutive slots from e,
 * in order, each with release (after the caller's reads of the entries). */
static EVQ_RING__ALWAYS_INLINE void
evq_ring__clear_run(uint8_t *e, unsigned int cnt, const uint32_t es)
{
	unsigned int i;

	EVQ_RING__UNROLL
	for (i = 0; i < cnt; i++, e += es)
		__atomic_store_n((uint32_t *)e, 0, __ATOMIC_RELEASE);
}

/*
 * Account for n entries used from read count r on: clear their codes in
 * order (clear validity only, in at most two runs of consecutive slots;
 * phase validity writes nothing into entries), advance the read
 * indicator, publish it lazily.
 */
static EVQ_RING__ALWAYS_INLINE void
evq_ring__consume_es(struct evq_ring_cons *c, uint8_t *base, uint32_t mask,
		uint32_t r, unsigned int n, const uint32_t es, const bool phase)
{
	if (!phase) {
		uint8_t *e = evq_ring__slot(base, mask, es, r);
		unsigned int run = mask + 1 - (r & mask);

		if (evq_likely(n <= run)) {
			evq_ring__clear_run(e, n, es);
		} else {
			evq_ring__clear_run(e, run, es);
			evq_ring__clear_run(base, n - run, es);
		}
	}
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

/* Sixteen bytes as four 32-bit words, for a masked copy in one vector
 * operation (the compiler's generic vectors: any target). */
typedef uint32_t evq_ring__u32x4 __attribute__((vector_size(16)));

/*
 * Copy one entry from the ring, with phase validity without the phase bit
 * of its control word (the first word in memory): the mask is applied to
 * the first 4, 8 or 16 bytes as one word or vector, no second pass.
 */
static EVQ_RING__ALWAYS_INLINE void
evq_ring__copy_entry(uint8_t *dst, const uint8_t *src, const uint32_t es,
		const bool phase)
{
	if (!phase) {
		memcpy(dst, src, es);
	} else if (es == 4) {
		uint32_t v;

		memcpy(&v, src, sizeof(v));
		v &= ~EVQ_CTRL_PHASE;
		memcpy(dst, &v, sizeof(v));
	} else if (es == 8) {
		uint64_t v;

		memcpy(&v, src, sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		v &= ~((uint64_t)EVQ_CTRL_PHASE << 32);
#else
		v &= ~(uint64_t)EVQ_CTRL_PHASE;
#endif
		memcpy(dst, &v, sizeof(v));
	} else {
		const evq_ring__u32x4 keep = { ~EVQ_CTRL_PHASE, ~0u, ~0u, ~0u };
		evq_ring__u32x4 v;

		memcpy(&v, src, sizeof(v));
		v &= keep;
		memcpy(dst, &v, sizeof(v));
		if (es > 16)
			memcpy(dst + 16, src + 16, es - 16);
	}
}

/* Copy cnt entries of consecutive slots (see evq_ring__copy_entry()): plain
 * loads, the caller has made the entries visible (an acquire load of a
 * later one). */
static EVQ_RING__ALWAYS_INLINE void
evq_ring__copy_run(uint8_t *dst, const uint8_t *src, unsigned int cnt,
		const uint32_t es, const bool phase)
{
	unsigned int i;

	EVQ_RING__UNROLL
	for (i = 0; i < cnt; i++, dst += es, src += es)
		evq_ring__copy_entry(dst, src, es, phase);
}

/*
 * How many events are ready from the next entry on, at most max (either
 * validity rule); a switch marker met as the first entry is followed once
 * the ring is handed over. The whole burst at once when its last slot
 * holds an event: entries are posted in order, each control word stored
 * with release, so every slot before it holds one too, and none is a
 * switch marker (the slots after a marker are not written in this lap).
 * Otherwise entry by entry. The acquire loads make the entries counted
 * visible to the caller.
 */
static EVQ_RING__ALWAYS_INLINE unsigned int
evq_ring__ready_es(struct evq_ring_cons *c, unsigned int max, const uint32_t es,
		const bool phase)
{
	const uint8_t *e;
	uint32_t mask, r, want, last;
	unsigned int run, n;

restart:
	mask = c->mask;
	r = c->read;
	/* max == 0 or more than the ring holds, in one test */
	if (evq_unlikely(max - 1 > mask)) {
		if (max == 0)
			return 0;
		max = mask + 1;
	}
	last = __atomic_load_n((const uint32_t *)evq_ring__slot(c->base, mask,
			es, r + max - 1), __ATOMIC_ACQUIRE);
	if (evq_likely(evq_ring__event_want(last, phase ?
			evq_ring__phase(r + max - 1, c->phase_rot) : 0, phase)))
		return max;
	e = evq_ring__slot(c->base, mask, es, r);
	run = mask + 1 - (r & mask);
	want = phase ? evq_ring__phase(r, c->phase_rot) : 0;
	for (n = 0; n < max; n++, e += es) {
		uint32_t ctrl;

		if (evq_unlikely(n == run)) {
			e = c->base;
			want ^= phase ? EVQ_CTRL_PHASE : 0;
		}
		ctrl = __atomic_load_n((const uint32_t *)e, __ATOMIC_ACQUIRE);
		if (evq_unlikely(!evq_ring__event_want(ctrl, want, phase))) {
			/* empty; or a switch marker, followed only as the first
			 * entry and once the ring is handed over */
			if (!evq_ring__valid_want(ctrl, want, phase) || n != 0 ||
					!evq_ring__follow_switch(c))
				break;
			goto restart;
		}
	}
	return n;
}

/* Copy up to max events (either validity rule) and consume them. */
static EVQ_RING__ALWAYS_INLINE unsigned int
evq_ring__poll_es(struct evq_ring_cons *c, uint8_t *dst, unsigned int max,
		const uint32_t es, const bool phase)
{
	unsigned int n = evq_ring__ready_es(c, max, es, phase);
	/* locals: the copies to dst may alias *c as far as the compiler knows */
	uint8_t *const base = c->base;
	const uint32_t mask = c->mask, r = c->read;
	const uint8_t *e = evq_ring__slot(base, mask, es, r);
	unsigned int run = mask + 1 - (r & mask);

	if (evq_unlikely(n == 0))
		return 0;
	if (evq_likely(n <= run)) {
		evq_ring__copy_run(dst, e, n, es, phase);
	} else {
		evq_ring__copy_run(dst, e, run, es, phase);
		evq_ring__copy_run(dst + (size_t)run * es, base, n - run, es,
				phase);
	}
	evq_ring__consume_es(c, base, mask, r, n, es, phase);
	return n;
}

static EVQ_RING__ALWAYS_INLINE unsigned int
evq_ring__poll_burst(struct evq_ring_cons *c, void *out, unsigned int max)
{
#define EVQ_RING__POLL(es, phase) \
	return evq_ring__poll_es(c, (uint8_t *)out, max, es, phase)
	EVQ_RING__DISPATCH(c->validity, c->entry_size, EVQ_RING__POLL);
#undef EVQ_RING__POLL
}

#endif /* EVQ_RING_PVT_H */
