/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * Unit tests: posting and polling. Order and content for every entry size,
 * wrap-around over many laps (also across the 2^32 count wrap), codes
 * cleared after consume, all-or-nothing bursts, reserved codes refused,
 * evq_ring_cons_count() and evq_ring_cons_advance(), and the fixed-size
 * fast paths (evq_ring_peek_fixed(), evq_ring_consume_fixed(),
 * evq_ring_post_burst_fixed(), evq_ring_poll_burst_fixed(),
 * evq_ring_peek_burst_fixed() with evq_ring_peek_at_fixed()).
 */

#include "test_ring_common.h"

TestSuite(post, .init = quiet_log_setup, .fini = tracked_cleanup,
		.timeout = 20);

static const uint32_t es_all[] = { 4, 8, 16, 32, 64 };

ModeTest(post, order_and_content_every_entry_size)
{
	unsigned int i;

	for (i = 0; i < 5; i++) {
		struct rig *r = rig_new(16, es_all[i], 5);
		uint32_t k;

		rig_post_n(r, 0, 16);
		cr_assert_eq(evq_ring_cons_count(&r->c, 100), 16,
				"es %u", es_all[i]);
		/* peek sees the i-th entry in place, in order */
		for (k = 0; k < 16; k++) {
			const uint8_t *e = evq_ring_peek(&r->c, k);

			cr_assert_not_null(e, "es %u: peek(%u)", es_all[i], k);
			cr_assert_eq(evq_ring_entry_ctrl(e),
					evq_ctrl_make(code_of(k), param_of(k)));
			entry_check(e, es_all[i], k);
		}
		rig_drain_expect(r, 0, 16);
		cr_assert_eq(evq_ring_cons_read(&r->c), 16);
		cr_assert_eq(r->p.stats.posted, 16);
		cr_assert_eq(r->c.stats.consumed, 16);
		rig_free(r);
	}
}

ModeTest(post, burst_order_and_content_every_entry_size)
{
	unsigned int i;

	for (i = 0; i < 5; i++) {
		struct rig *r = rig_new(32, es_all[i], 5);
		uint8_t burst[64 * 32];
		uint32_t k;
		int rc;

		for (k = 0; k < 20; k++)
			entry_fill(burst + (size_t)k * es_all[i], es_all[i],
					code_of(k), param_of(k), k);
		rc = evq_ring_post_burst(&r->p, burst, 20);
		cr_assert_eq(rc, 20, "es %u: burst returned %d", es_all[i], rc);
		rc = evq_ring_try_post_burst(&r->p, burst, 0);
		cr_assert_eq(rc, 0, "empty burst returned %d", rc);
		for (k = 0; k < 12; k++)
			entry_fill(burst + (size_t)k * es_all[i], es_all[i],
					code_of(20 + k), param_of(20 + k), 20 + k);
		rc = evq_ring_try_post_burst(&r->p, burst, 12);
		cr_assert_eq(rc, 12, "es %u: try burst returned %d", es_all[i], rc);
		rig_drain_expect(r, 0, 32);
		rig_free(r);
	}
}

/* The fixed-size fast paths see and consume what evq_ring_peek() does. */
ModeTest(post, peek_and_consume_fixed_every_entry_size)
{
	unsigned int i;

	for (i = 0; i < 5; i++) {
		const uint32_t es = es_all[i];
		struct rig *r = rig_new(16, es, 5);
		uint32_t k, ctrl;

		rig_post_n(r, 0, 16);
		for (k = 0; k < 16; k++) {
			const uint8_t *e;

			ctrl = 0;
			switch (es) {
			case 4: e = evq_ring_peek_fixed(&r->c, k, 4, &ctrl); break;
			case 8: e = evq_ring_peek_fixed(&r->c, k, 8, &ctrl); break;
			case 16: e = evq_ring_peek_fixed(&r->c, k, 16, &ctrl); break;
			case 32: e = evq_ring_peek_fixed(&r->c, k, 32, &ctrl); break;
			default: e = evq_ring_peek_fixed(&r->c, k, 64, &ctrl); break;
			}
			cr_assert_eq(e, evq_ring_peek(&r->c, k), "es %u: peek(%u)", es, k);
			cr_assert_eq(ctrl, evq_ctrl_make(code_of(k), param_of(k)),
					"es %u: control word of entry %u", es, k);
			entry_check(e, es, k);
		}
		switch (es) {
		case 4: evq_ring_consume_fixed(&r->c, 10, 4); break;
		case 8: evq_ring_consume_fixed(&r->c, 10, 8); break;
		case 16: evq_ring_consume_fixed(&r->c, 10, 16); break;
		case 32: evq_ring_consume_fixed(&r->c, 10, 32); break;
		default: evq_ring_consume_fixed(&r->c, 10, 64); break;
		}
		cr_assert_eq(evq_ring_cons_read(&r->c), 10);
		cr_assert_eq(r->c.stats.consumed, 10);
		cr_assert_not_null(evq_ring_peek_fixed(&r->c, 5, es, &ctrl));
		cr_assert_eq(ctrl, evq_ctrl_make(code_of(15), param_of(15)));
		cr_assert_null(evq_ring_peek(&r->c, 6));
		rig_drain_expect(r, 10, 6);
		ctrl = 0x12345678;
		cr_assert_null(evq_ring_peek_fixed(&r->c, 0, es, &ctrl));
		cr_assert_eq(ctrl, 0x12345678, "an empty entry leaves *ctrl alone");
		rig_free(r);
	}
}

/* The *_fixed functions with the rig's entry size as the constant. */
#define FIXED_CALL(r, call) \
	switch ((r)->es) { \
	case 4: call(4); \
	case 8: call(8); \
	case 16: call(16); \
	case 32: call(32); \
	default: call(64); \
	}

static int
post_fixed(struct rig *r, const void *e, unsigned int n)
{
#define POST(es) return evq_ring_post_burst_fixed(&r->p, e, n, es)
	FIXED_CALL(r, POST);
#undef POST
}

static unsigned int
poll_fixed(struct rig *r, void *out, unsigned int max)
{
#define POLL(es) return evq_ring_poll_burst_fixed(&r->c, out, max, es)
	FIXED_CALL(r, POLL);
#undef POLL
}

static unsigned int
peek_burst_fixed(struct rig *r, unsigned int max)
{
#define PEEK(es) return evq_ring_peek_burst_fixed(&r->c, max, es)
	FIXED_CALL(r, PEEK);
#undef PEEK
}

static const void *
peek_at_fixed(struct rig *r, unsigned int i)
{
#define AT(es) return evq_ring_peek_at_fixed(&r->c, i, es)
	FIXED_CALL(r, AT);
#undef AT
}

static void
consume_fixed(struct rig *r, unsigned int n)
{
#define CONSUME(es) evq_ring_consume_fixed(&r->c, n, es); return
	FIXED_CALL(r, CONSUME);
#undef CONSUME
}

/*
 * Bursts through the fixed-size burst paths, over many laps of a small
 * ring: posts of 1..room entries (crossing the end of the ring), takes
 * asking for more than is pending (the last slot of the burst is empty:
 * the entry-by-entry count must stop at the first empty one), for exactly
 * what is pending, and for more than the ring holds; by copy and in place,
 * in turn. Content and order of every event.
 */
ModeTest(post, fixed_burst_paths_across_the_end_every_entry_size)
{
	unsigned int i;

	for (i = 0; i < 5; i++) {
		const uint32_t es = es_all[i];
		struct rig *r = rig_new(8, es, 5);
		uint8_t buf[64 * 8], out[64 * 16];
		uint32_t seq = 0, done = 0;
		unsigned int lap;

		for (lap = 0; lap < 600; lap++) {
			uint32_t room = 8 - (seq - done);
			uint32_t n = room ? (uint32_t)(rng_next() % room) + 1 : 0;
			uint32_t pending, max, got, k;

			for (k = 0; k < n; k++)
				entry_fill(buf + (size_t)k * es, es,
						code_of(seq + k), param_of(seq + k),
						seq + k);
			if (n != 0)
				cr_assert_eq(post_fixed(r, buf, n), (int)n,
						"es %u lap %u: post of %u", es, lap, n);
			seq += n;
			pending = seq - done;
			max = (uint32_t)(rng_next() % 12) + 1;	/* up to 12 > size */
			if (lap % 5 == 0)
				max = pending ? pending : 1;
			if (lap & 1) {
				got = poll_fixed(r, out, max);
				for (k = 0; k < got; k++)
					entry_check(out + (size_t)k * es, es, done + k);
			} else {
				got = peek_burst_fixed(r, max);
				for (k = 0; k < got; k++) {
					const uint8_t *e = peek_at_fixed(r, k);
					uint8_t copy[64];
					uint32_t ctrl = evq_ring_cons_ctrl(&r->c, e);

					cr_assert_eq(e, evq_ring_peek(&r->c, k),
							"es %u: entry %u", es, k);
					/* as posted: without the phase bit */
					memcpy(copy, e, es);
					memcpy(copy, &ctrl, sizeof(ctrl));
					entry_check(copy, es, done + k);
				}
				if (got != 0)
					consume_fixed(r, got);
			}
			cr_assert_eq(got, max < pending ? max : pending,
					"es %u lap %u: %u of %u pending for max %u",
					es, lap, got, pending, max);
			done += got;
			rig_make_room(r);
		}
		cr_assert_gt(seq, 8 * 100, "too few laps");
		rig_drain_expect(r, done, seq - done);
		rig_free(r);
	}
}

ModeTest(post, wrap_around_many_laps_every_entry_size)
{
	unsigned int i;

	for (i = 0; i < 5; i++) {
		struct rig *r = rig_new(8, es_all[i], 5);
		uint32_t seq = 0, done = 0;
		unsigned int lap;

		/* 500 rounds of random bursts and random partial drains */
		for (lap = 0; lap < 500; lap++) {
			uint32_t pending = seq - done;
			uint32_t room = 8 - pending;
			uint32_t n = room ? (uint32_t)(rng_next() % room) + 1 : 0;
			uint32_t take;

			rig_post_n(r, seq, n);
			seq += n;
			pending = seq - done;
			take = (uint32_t)(rng_next() % (pending + 1));
			if (lap % 7 == 0)
				take = pending;
			rig_drain_expect_part(r, done, take);
			rig_make_room(r);
			done += take;
		}
		rig_drain_expect(r, done, seq - done);
		cr_assert_eq(evq_ring_cons_read(&r->c), seq);
		cr_assert_gt(seq, 8 * 100, "too few laps");
		rig_free(r);
	}
}

ModeTest(post, consume_clears_codes_only_with_clear_validity)
{
	unsigned int i;

	for (i = 0; i < 5; i++) {
		struct rig *r = rig_new(8, es_all[i], 5);
		uint8_t *snap = alloc_aligned(r->mem_len);
		uint32_t k;

		rig_post_n(r, 0, 6);
		if (test_phase()) {
			/* the consumer writes nothing into a phase ring */
			memcpy(snap, r->mem, r->mem_len);
			cr_assert_not_null(evq_ring_peek(&r->c, 3));
			evq_ring_consume(&r->c, 4);
			cr_assert_arr_eq(r->mem, snap, r->mem_len,
					"es %u: consume wrote into the ring", es_all[i]);
			rig_drain_expect(r, 4, 2);
			cr_assert_arr_eq(r->mem, snap, r->mem_len,
					"es %u: poll wrote into the ring", es_all[i]);
			cr_assert_eq(evq_ring_cons_read(&r->c), 6);
			t_free(snap);
			rig_free(r);
			continue;
		}
		for (k = 0; k < 6; k++)
			cr_assert_neq(ctrl_at(r->mem, 8, es_all[i], k), 0);
		cr_assert_not_null(evq_ring_peek(&r->c, 3));
		evq_ring_consume(&r->c, 4);
		for (k = 0; k < 4; k++)
			cr_assert_eq(ctrl_at(r->mem, 8, es_all[i], k), 0,
					"es %u: code %u not cleared", es_all[i], k);
		for (k = 4; k < 6; k++)
			cr_assert_eq(ctrl_at(r->mem, 8, es_all[i], k),
					evq_ctrl_make(code_of(k), param_of(k)),
					"es %u: entry %u touched by consume", es_all[i], k);
		cr_assert_eq(evq_ring_cons_read(&r->c), 4);
		rig_drain_expect(r, 4, 2);
		for (k = 0; k < 8; k++)
			cr_assert_eq(ctrl_at(r->mem, 8, es_all[i], k), 0);
		t_free(snap);
		rig_free(r);
	}
}

ModeTest(post, null_payload_writes_zero_parameters)
{
	unsigned int i;

	for (i = 1; i < 5; i++) {
		struct rig *r = rig_new(8, es_all[i], 5);
		uint8_t out[64], zero[64] = { 0 };

		/* lap 1 leaves pattern bytes in every slot */
		rig_post_n(r, 0, 8);
		rig_drain_expect(r, 0, 8);
		rig_make_room(r);
		cr_assert_eq(evq_ring_post(&r->p, 0x42, 0x777, NULL), 1);
		cr_assert_eq(evq_ring_poll_burst(&r->c, out, 1), 1);
		cr_assert_eq(evq_ring_entry_ctrl(out), evq_ctrl_make(0x42, 0x777));
		cr_assert_arr_eq(out + 4, zero, es_all[i] - 4,
				"es %u: NULL payload left stale parameters", es_all[i]);
		rig_free(r);
	}
}

ModeTest(post, burst_with_bad_code_in_the_middle_writes_nothing)
{
	static const uint8_t bad_codes[] = { EVQ_CODE_EMPTY, EVQ_CODE_SWITCH };
	unsigned int i, b;

	for (i = 0; i < 5; i++) {
		for (b = 0; b < 2; b++) {
			struct rig *r = rig_new(16, es_all[i], 5);
			uint8_t burst[64 * 5];
			uint8_t *snap = alloc_aligned(r->mem_len);
			struct evq_ring_prod_stats st;
			uint32_t k;
			int rc;

			rig_post_n(r, 0, 2);
			for (k = 0; k < 5; k++)
				entry_fill(burst + (size_t)k * es_all[i], es_all[i],
						k == 2 ? bad_codes[b] : code_of(2 + k),
						param_of(2 + k), 2 + k);
			memcpy(snap, r->mem, r->mem_len);
			st = r->p.stats;
			rc = evq_ring_post_burst(&r->p, burst, 5);
			cr_assert_eq(rc, -EINVAL, "es %u code 0x%02x: %d",
					es_all[i], bad_codes[b], rc);
			cr_assert_arr_eq(r->mem, snap, r->mem_len,
					"es %u code 0x%02x: ring memory written",
					es_all[i], bad_codes[b]);
			cr_assert_eq(r->p.stats.refused, st.refused + 1);
			cr_assert_eq(r->p.stats.posted, st.posted);
			rc = evq_ring_try_post_burst(&r->p, burst, 5);
			cr_assert_eq(rc, -EINVAL);
			cr_assert_arr_eq(r->mem, snap, r->mem_len);
			/* a refusal is not an overflow: ring still usable */
			cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNARMED);
			cr_assert_eq(r->overflows, 0);
			rig_post_n(r, 2, 3);
			rig_drain_expect(r, 0, 5);
			t_free(snap);
			rig_free(r);
		}
	}
}

ModeTest(post, codes_00_and_ff_refused_by_single_post)
{
	struct rig *r = rig_new(8, 16, 5);
	uint8_t *snap = alloc_aligned(r->mem_len);
	int rc;

	memcpy(snap, r->mem, r->mem_len);
	rc = evq_ring_post(&r->p, EVQ_CODE_EMPTY, 1, NULL);
	cr_assert_eq(rc, -EINVAL, "code 0x00: %d", rc);
	rc = evq_ring_post(&r->p, EVQ_CODE_SWITCH, 1, NULL);
	cr_assert_eq(rc, -EINVAL, "code 0xff: %d", rc);
	cr_assert_arr_eq(r->mem, snap, r->mem_len);
	cr_assert_eq(r->p.stats.refused, 2);
	cr_assert_eq(r->p.stats.posted, 0);
	cr_assert_gt(log_count, 0, "refusal not logged");
	cr_assert_eq(evq_ring_post(&r->p, 0x01, 0, NULL), 1);
	cr_assert_eq(evq_ring_post(&r->p, 0xfe, 0, NULL), 1);
	cr_assert_eq(evq_ring_cons_count(&r->c, 8), 2);
	t_free(snap);
	rig_free(r);
}

ModeTest(post, burst_larger_than_ring_is_einval)
{
	struct rig *r = rig_new(8, 4, 5);
	uint32_t burst[9];
	unsigned int k;

	for (k = 0; k < 9; k++)
		burst[k] = evq_ctrl_make(0x10, k);
	cr_assert_eq(evq_ring_post_burst(&r->p, burst, 9), -EINVAL);
	cr_assert_eq(evq_ring_try_post_burst(&r->p, burst, 9), -EINVAL);
	cr_assert_eq(evq_ring_cons_count(&r->c, 100), 0);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNARMED);
	/* exactly the ring size is fine */
	cr_assert_eq(evq_ring_post_burst(&r->p, burst, 8), 8);
	cr_assert_eq(evq_ring_cons_count(&r->c, 100), 8);
	rig_free(r);
}

ModeTest(post, consumed_but_unpublished_entries_are_room_only_when_cleared)
{
	/*
	 * Clear validity: overflow is decided by the entry's code, not by
	 * indicators. Phase validity: by the published read indicator only,
	 * so the same entries still occupy the ring until it is published.
	 */
	struct rig *r = rig_new(8, 8, 5);

	uint64_t initial = db_load(r);

	rig_post_n(r, 0, 8);
	rig_drain_expect(r, 0, 8);	/* read_publish_interval 0: no doorbell */
	cr_assert_eq(db_load(r), initial, "consume published without being asked");
	if (test_phase()) {
		cr_assert_eq(evq_ring_try_post_burst(&r->p, (uint32_t[]){
				evq_ctrl_make(1, 0), 0 }, 1), -ENOBUFS,
				"room seen without a published read indicator");
		cr_assert_eq(rig_post_seq(r, 8), -EOVERFLOW);
		cr_assert_eq(r->overflows, 1);
		rig_free(r);
		return;
	}
	rig_post_n(r, 8, 8);
	cr_assert_eq(r->overflows, 0);
	rig_drain_expect(r, 8, 8);
	rig_free(r);
}

ModeTest(post, counts_wrap_at_2_32)
{
	/* free-running 32-bit counts: start just below 2^32 and run across */
	unsigned int i;

	for (i = 0; i < 5; i++) {
		struct rig *r = rig_alloc(8, es_all[i], 5);
		const uint32_t start = 0xfffffffau;
		uint32_t seq = 0;
		unsigned int round;
		int rc;

		r->pconf.start_count = start;
		rc = evq_ring_cons_init(&r->c, &r->cconf);
		cr_assert_eq(rc, 0);
		rc = evq_ring_cons_attach(&r->c, &r->cconf, start);
		cr_assert_eq(rc, 0);
		evq_ring_prod_init(&r->p);
		rc = evq_ring_prod_define(&r->p, &r->pconf);
		cr_assert_eq(rc, 0);
		evq_ring_prod_set_signal(&r->p, rig_signal_hook, r);
		cr_assert_eq(evq_ring_prod_cec(&r->p), 0,
				"cec must start at 0 with start_count");
		for (round = 0; round < 6; round++) {
			/* arm while empty, post 3: exactly one signal */
			evq_ring_arm(&r->c);
			cr_assert_eq(evq_ring_prod_poll(&r->p), 0,
					"es %u round %u: valid doorbell refused",
					es_all[i], round);
			cr_assert_eq(r->p.stats.bad_doorbells, 0,
					"es %u round %u: read 0x%08x taken as malformed",
					es_all[i], round, evq_ring_cons_read(&r->c));
			rig_post_n(r, seq, 3);
			cr_assert_eq(r->signals, round + 1,
					"es %u round %u: signals %u", es_all[i], round,
					r->signals);
			/* entry positions follow count & mask */
			cr_assert_eq(ctrl_at(r->mem, 8, es_all[i], start + seq),
					evq_ctrl_make(code_of(seq), param_of(seq)));
			rig_drain_expect(r, seq, 3);
			seq += 3;
			cr_assert_eq(evq_ring_cons_read(&r->c), start + seq);
		}
		evq_ring_cons_publish(&r->c);
		cr_assert_geq(evq_ring_prod_poll(&r->p), 0);
		cr_assert_eq(evq_ring_prod_cec(&r->p), 0);
		rig_free(r);
	}
}

ModeTest(post, cons_count_counts_codes_up_to_max)
{
	struct rig *r = rig_new(16, 16, 5);

	cr_assert_eq(evq_ring_cons_count(&r->c, 100), 0);
	rig_post_n(r, 0, 5);
	cr_assert_eq(evq_ring_cons_count(&r->c, 100), 5);
	cr_assert_eq(evq_ring_cons_count(&r->c, 5), 5);
	cr_assert_eq(evq_ring_cons_count(&r->c, 3), 3);
	cr_assert_eq(evq_ring_cons_count(&r->c, 0), 0);
	evq_ring_consume(&r->c, 2);
	rig_make_room(r);
	cr_assert_eq(evq_ring_cons_count(&r->c, 100), 3);
	/* across the end of the ring, and a full ring */
	rig_post_n(r, 5, 13);
	cr_assert_eq(evq_ring_cons_count(&r->c, 100), 16);
	cr_assert_eq(evq_ring_cons_count(&r->c, 16), 16);
	/* counting does not consume */
	cr_assert_eq(evq_ring_cons_read(&r->c), 2);
	rig_drain_expect(r, 2, 16);
	cr_assert_eq(evq_ring_cons_count(&r->c, 100), 0);
	rig_free(r);
}

ModeTest(post, cons_advance_skips_clears_and_continues)
{
	struct rig *r = rig_new(8, 8, 5);
	uint32_t k;

	struct evq_ring_cons snap;

	rig_post_n(r, 0, 6);
	memcpy(&snap, &r->c, sizeof(snap));
	cr_assert_eq(evq_ring_cons_advance(&r->c, 9), -EINVAL,
			"advance beyond the ring size");
	cr_assert_arr_eq(&r->c, &snap, sizeof(snap));
	cr_assert_eq(evq_ring_cons_advance(&r->c, 0), 0);
	cr_assert_eq(evq_ring_cons_advance(&r->c, 4), 0);
	cr_assert_eq(evq_ring_cons_read(&r->c), 4);
	for (k = 0; k < 4; k++)
		cr_assert_eq(ctrl_at(r->mem, 8, 8, k) == 0, !test_phase(),
				"advance: code %u %s", k, test_phase() ?
				"written into a phase ring" : "left set");
	cr_assert_eq(evq_ring_cons_count(&r->c, 100), 2);
	rig_drain_expect(r, 4, 2);
	rig_make_room(r);
	/* the advanced slots are reusable: a full lap fits */
	rig_post_n(r, 6, 8);
	cr_assert_eq(r->overflows, 0);
	cr_assert_eq(evq_ring_cons_advance(&r->c, 8), 0);
	cr_assert_eq(evq_ring_cons_read(&r->c), 14);
	cr_assert_null(evq_ring_peek(&r->c, 0));
	/* the advanced read count is what the doorbell carries */
	evq_ring_arm(&r->c);
	cr_assert_eq(db_load(r), db_word(true, true, 5, 14));
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(evq_ring_prod_cec(&r->p), 0);
	rig_free(r);
}

ModeTest(post, cons_attach_keeps_live_entries)
{
	struct rig *r = rig_new(8, 16, 5);
	struct evq_ring_cons c2;
	uint8_t out[16];

	rig_post_n(r, 0, 5);
	evq_ring_consume(&r->c, 2);
	cr_assert_eq(evq_ring_cons_attach(&c2, &r->cconf, 2), 0);
	cr_assert_eq(evq_ring_cons_read(&c2), 2);
	cr_assert_eq(evq_ring_cons_count(&c2, 100), 3);
	cr_assert_eq(evq_ring_poll_burst(&c2, out, 1), 1);
	entry_check(out, 16, 2);
	rig_free(r);
}

ModeTest(post, posting_publishes_write_indicator_every_n)
{
	struct rig *r = rig_alloc(16, 8, 5);
	unsigned int k;

	r->write_indicator = 0;
	r->pconf.write_publish_interval = 4;
	rig_start(r);
	for (k = 1; k <= 12; k++) {
		rig_post_n(r, k - 1, 1);
		cr_assert_eq(r->write_indicator, (k / 4) * 4,
				"after %u posts the published write count is %u",
				k, r->write_indicator);
	}
	/* a burst crossing the interval publishes the count after the burst */
	rig_drain_expect(r, 0, 12);
	rig_make_room(r);
	{
		uint8_t burst[8 * 6];

		for (k = 0; k < 6; k++)
			entry_fill(burst + k * 8, 8, code_of(12 + k),
					param_of(12 + k), 12 + k);
		cr_assert_eq(evq_ring_post_burst(&r->p, burst, 6), 6);
		cr_assert_eq(r->write_indicator, 18);
	}
	rig_post_n(r, 18, 1);
	cr_assert_eq(r->write_indicator, 18);
	evq_ring_prod_publish(&r->p);
	cr_assert_eq(r->write_indicator, 19);
	rig_free(r);
}

ModeTest(post, write_indicator_interval_0_publishes_on_request_only)
{
	struct rig *r = rig_alloc(16, 8, 5);

	r->write_indicator = 0;
	r->pconf.write_publish_interval = 0;
	rig_start(r);
	rig_post_n(r, 0, 10);
	cr_assert_eq(r->write_indicator, 0, "published without a request");
	evq_ring_prod_publish(&r->p);
	cr_assert_eq(r->write_indicator, 10);
	rig_free(r);
}
