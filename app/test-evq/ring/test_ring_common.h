/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * Shared fixture of the evq_ring unit tests: a "rig" is one ring with its
 * entries, doorbell word, write-indicator word, a producer and a consumer
 * context, and hooks that record every signal and overflow (with the
 * doorbell word and producer state seen from inside the hook). A fake clock
 * drives moderation; a log hook captures the library's "why" messages so
 * that tests can check bad input is logged (and keep the output quiet).
 *
 * Validity rules: a test declared with ModeTest() (test_ring_modes.h)
 * instead of Test() runs once per rule; every rig is made with the rule of
 * the running instance (test_validity).
 */

#ifndef TEST_RING_COMMON_H
#define TEST_RING_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "evq_ring.h"
#include "test_ring_modes.h"

#define RIG_MAX_SIGNALS	64

struct rig {
	uint8_t *mem;			/* entries, 64-byte aligned */
	size_t mem_len;
	uint32_t size;
	uint32_t es;
	uint16_t number;
	uint64_t doorbell;
	uint32_t write_indicator;
	struct evq_ring_prod p;
	struct evq_ring_cons c;
	struct evq_ring_prod_conf pconf;
	struct evq_ring_cons_conf cconf;
	/* signal hook records */
	unsigned int signals;
	uint16_t signal_ring;
	uint64_t db_at_signal[RIG_MAX_SIGNALS];
	enum evq_ring_state state_at_signal[RIG_MAX_SIGNALS];
	/* overflow hook records */
	unsigned int overflows;
	uint16_t overflow_ring;
	uint32_t overflow_write;
};

/* ---- fake moderation clock ---- */
static uint64_t fake_now;

static inline uint64_t
fake_clock(void)
{
	return fake_now;
}

/* ---- log capture ---- */
static unsigned int log_count;
static char log_last[256];

static inline void
capture_log(const char *msg)
{
	log_count++;
	snprintf(log_last, sizeof(log_last), "%s", msg != NULL ? msg : "(null)");
}

static inline void
quiet_log_setup(void)
{
	log_count = 0;
	log_last[0] = '\0';
	evq_ring_set_log(capture_log);
}

/* ---- deterministic pseudo-random numbers (reproducible failures) ---- */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static inline uint64_t
rng_next(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x;
}

/* ---- memory ----
 * Every test allocation is tracked and released by the suites' .fini, so a
 * test that stops at a failed assertion leaks nothing (LeakSanitizer stays
 * quiet about the tests and can speak about the library).
 */
#define TRACKED_MAX 256
static void *tracked[TRACKED_MAX];

static inline void *
alloc_aligned(size_t len)
{
	void *m = aligned_alloc(EVQ_CACHE_LINE,
			(len + EVQ_CACHE_LINE - 1) & ~(size_t)(EVQ_CACHE_LINE - 1));
	unsigned int i;

	cr_assert_not_null(m, "aligned_alloc(%zu)", len);
	for (i = 0; i < TRACKED_MAX; i++)
		if (tracked[i] == NULL) {
			tracked[i] = m;
			return m;
		}
	free(m);
	cr_assert_fail("more than %d live test allocations", TRACKED_MAX);
	return NULL;
}

static inline void
t_free(void *m)
{
	unsigned int i;

	if (m == NULL)
		return;
	for (i = 0; i < TRACKED_MAX; i++)
		if (tracked[i] == m) {
			tracked[i] = NULL;
			break;
		}
	free(m);
}

static inline void
tracked_cleanup(void)
{
	unsigned int i;

	for (i = 0; i < TRACKED_MAX; i++) {
		free(tracked[i]);
		tracked[i] = NULL;
	}
}

/* Control word in the ring at a count, as posted (without the phase bit). */
static inline uint32_t
ctrl_at(const uint8_t *base, uint32_t size, uint32_t es, uint32_t count)
{
	uint32_t ctrl;

	memcpy(&ctrl, base + (size_t)(count & (size - 1)) * es, sizeof(ctrl));
	return test_phase() ? ctrl & ~EVQ_CTRL_PHASE : ctrl;
}

static inline uint8_t
code_at(const uint8_t *base, uint32_t size, uint32_t es, uint32_t count)
{
	return evq_ctrl_code(ctrl_at(base, size, es, count));
}

/* ---- hooks ---- */
static inline void
rig_signal_hook(void *arg, uint16_t ring)
{
	struct rig *r = arg;

	if (r->signals < RIG_MAX_SIGNALS) {
		r->db_at_signal[r->signals] =
			__atomic_load_n(&r->doorbell, __ATOMIC_ACQUIRE);
		r->state_at_signal[r->signals] = evq_ring_prod_state(&r->p);
	}
	r->signals++;
	r->signal_ring = ring;
}

static inline void
rig_overflow_hook(void *arg, uint16_t ring, uint32_t write_indicator)
{
	struct rig *r = arg;

	r->overflows++;
	r->overflow_ring = ring;
	r->overflow_write = write_indicator;
}

/* Allocate a rig: entries poisoned with 0xa5 so cons_init must clear them. */
static inline struct rig *
rig_alloc(uint32_t size, uint32_t es, uint16_t number)
{
	struct rig *r = alloc_aligned(sizeof(*r));

	memset(r, 0, sizeof(*r));
	r->size = size;
	r->es = es;
	r->number = number;
	r->mem_len = (size_t)size * es;
	r->mem = alloc_aligned(r->mem_len);
	memset(r->mem, 0xa5, r->mem_len);

	r->cconf.base = r->mem;
	r->cconf.size = size;
	r->cconf.entry_size = es;
	r->cconf.ring_number = number;
	r->cconf.doorbell = &r->doorbell;
	r->cconf.read_publish_interval = 0;
	r->cconf.write_indicator = &r->write_indicator;
	r->cconf.validity = test_validity;

	r->pconf.base = r->mem;
	r->pconf.size = size;
	r->pconf.entry_size = es;
	r->pconf.ring_number = number;
	r->pconf.doorbell = &r->doorbell;
	r->pconf.write_indicator = &r->write_indicator;
	r->pconf.write_publish_interval = 0;
	r->pconf.intr_mode = EVQ_RING_INTR_ARMED;
	r->pconf.moderation_delay_ns = 0;
	r->pconf.clock = fake_clock;
	r->pconf.flags = 0;
	r->pconf.validity = test_validity;
	return r;
}

/* Consumer init (clears codes), producer define, hooks installed. */
static inline void
rig_start(struct rig *r)
{
	int rc;

	rc = evq_ring_cons_init(&r->c, &r->cconf);
	cr_assert_eq(rc, 0, "evq_ring_cons_init: %d", rc);
	evq_ring_prod_init(&r->p);
	rc = evq_ring_prod_define(&r->p, &r->pconf);
	cr_assert_eq(rc, 0, "evq_ring_prod_define: %d", rc);
	evq_ring_prod_set_signal(&r->p, rig_signal_hook, r);
	evq_ring_prod_set_overflow(&r->p, rig_overflow_hook, r);
}

static inline struct rig *
rig_new(uint32_t size, uint32_t es, uint16_t number)
{
	struct rig *r = rig_alloc(size, es, number);

	rig_start(r);
	return r;
}

static inline void
rig_free(struct rig *r)
{
	if (r == NULL)
		return;
	t_free(r->mem);
	t_free(r);
}

/* Fill one entry of es bytes: control word then a pattern from seq. */
static inline void
entry_fill(uint8_t *dst, uint32_t es, uint8_t code, uint32_t param24,
		uint32_t seq)
{
	uint32_t ctrl = evq_ctrl_make(code, param24);
	uint32_t i;

	memcpy(dst, &ctrl, sizeof(ctrl));
	for (i = 4; i < es; i++)
		dst[i] = (uint8_t)(seq * 31u + i * 7u + 1u);
}

/* Code used for event number seq: always 0x01..0xfe. */
static inline uint8_t
code_of(uint32_t seq)
{
	return (uint8_t)(1u + seq % 0xfeu);
}

/* Inline parameter of event seq: 24 bits, 23 with phase validity. */
static inline uint32_t
param_of(uint32_t seq)
{
	return (seq * 2654435761u) & test_param_mask();
}

/* Post event seq with evq_ring_post() and the pattern payload. */
static inline int
rig_post_seq(struct rig *r, uint32_t seq)
{
	uint8_t e[64];

	entry_fill(e, r->es, code_of(seq), param_of(seq), seq);
	return evq_ring_post(&r->p, code_of(seq), param_of(seq),
			r->es > 4 ? e + 4 : NULL);
}

/* Post n events seq0..seq0+n-1, asserting each succeeds. */
static inline void
rig_post_n(struct rig *r, uint32_t seq0, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		int rc = rig_post_seq(r, seq0 + i);

		cr_assert_eq(rc, 1, "post #%u returned %d", seq0 + i, rc);
	}
}

/* Check an entry (as copied out by the consumer) is event seq. */
static inline void
entry_check(const uint8_t *e, uint32_t es, uint32_t seq)
{
	uint8_t want[64];

	entry_fill(want, es, code_of(seq), param_of(seq), seq);
	cr_assert_arr_eq(e, want, es,
			"entry for event #%u (entry size %u) differs", seq, es);
}

/*
 * Let the producer see the room the consumer made. Clear validity: nothing
 * to do, consuming cleared the codes. Phase validity: the producer learns
 * of room only from a published read indicator, so publish it (the rig's
 * consumer has read_publish_interval 0 unless a test sets one).
 */
static inline void
rig_make_room(struct rig *r)
{
	if (test_phase())
		evq_ring_cons_publish(&r->c);
}

/* Consume exactly n events, expected to be seq0.. in order. */
static inline void
rig_drain_expect_part(struct rig *r, uint32_t seq0, unsigned int n)
{
	uint8_t out[64 * 16];
	unsigned int got = 0, loops = 0;

	while (got < n) {
		unsigned int want = n - got > 16 ? 16 : n - got;
		unsigned int k = evq_ring_poll_burst(&r->c, out, want);
		unsigned int i;

		for (i = 0; i < k; i++)
			entry_check(out + (size_t)i * r->es, r->es, seq0 + got + i);
		got += k;
		cr_assert(k != 0 || ++loops < 4,
				"consumer found %u of %u events", got, n);
	}
}

/* Drain exactly n events expected to be seq0.. in order, then nothing. */
static inline void
rig_drain_expect(struct rig *r, uint32_t seq0, unsigned int n)
{
	rig_drain_expect_part(r, seq0, n);
	cr_assert_null(evq_ring_peek(&r->c, 0),
			"more than %u events pending", n);
}

static inline uint64_t
db_word(bool armed, bool valid, uint16_t number, uint32_t read)
{
	return (armed ? EVQ_DB_ARMED : 0) | (valid ? EVQ_DB_VALID : 0) |
		((uint64_t)number << EVQ_DB_NUMBER_SHIFT) | read;
}

static inline void
db_store(struct rig *r, uint64_t word)
{
	__atomic_store_n(&r->doorbell, word, __ATOMIC_RELEASE);
}

static inline uint64_t
db_load(struct rig *r)
{
	return __atomic_load_n(&r->doorbell, __ATOMIC_ACQUIRE);
}

#endif /* TEST_RING_COMMON_H */
