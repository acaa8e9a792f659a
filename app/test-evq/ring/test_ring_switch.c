/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * Unit tests: switching to another ring without a lock. The consumer is
 * handed the new ring, the producer writes the switch marker and continues
 * at the same running count; the consumer follows the marker transparently.
 * Order is kept, nothing is lost, the read indicator stays a count. Errors
 * change nothing. After an overflow the consumer side writes the marker
 * for the stopped producer (evq_ring_cons_switch_at()).
 */

#include "test_ring_common.h"

TestSuite(ringswitch, .init = quiet_log_setup, .fini = tracked_cleanup,
		.timeout = 10);

static const uint32_t es_all[] = { 4, 8, 16, 32, 64 };

ModeTest(ringswitch, switch_to_larger_ring_keeps_order_and_counts)
{
	unsigned int i;

	for (i = 0; i < 5; i++) {
		const uint32_t es = es_all[i];
		struct rig *r = rig_new(8, es, 12);
		uint8_t *big = alloc_aligned((size_t)32 * es);
		uint8_t out[64 * 32];
		unsigned int n;
		uint32_t b0, end;
		int rc;
		size_t k;

		/* 13 events through first, so counts are not lap-aligned */
		rig_post_n(r, 0, 8);
		rig_drain_expect(r, 0, 8);
		rig_make_room(r);
		rig_post_n(r, 8, 5);
		rig_drain_expect(r, 8, 5);
		rig_make_room(r);
		rig_post_n(r, 13, 3);		/* A: 13..15, before the switch */

		memset(big, 0xab, (size_t)32 * es);
		rc = evq_ring_cons_switch_prepare(&r->c, big, 32);
		cr_assert_eq(rc, 0, "es %u: switch_prepare %d", es, rc);
		for (k = 0; k < (size_t)32 * es; k++)
			cr_assert_eq(big[k], 0, "es %u: new ring byte %zu not zeroed",
					es, k);

		rc = evq_ring_prod_switch(&r->p, big, 32);
		cr_assert_eq(rc, 0, "es %u: prod_switch %d", es, rc);
		cr_assert_eq(r->p.stats.switches, 1);
		cr_assert_eq(r->p.stats.posted, 16, "the marker counted as an event");
		cr_assert_eq(code_at(r->mem, 8, es, 16), EVQ_CODE_SWITCH,
				"es %u: no switch marker at count 16", es);
		cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNARMED);
		/*
		 * The header says the producer continues "at the same running
		 * count"; whether the marker itself takes a count (b0 = 17) or
		 * not (b0 = 16) is not pinned down. Either is fine as long as
		 * producer and consumer agree; find out which.
		 */
		evq_ring_prod_publish(&r->p);
		b0 = r->write_indicator;
		cr_assert(b0 == 16 || b0 == 17, "es %u: write count %u after the "
				"switch at 16", es, b0);
		end = b0 + 20;

		rig_post_n(r, 16, 20);		/* B: events 16..35, new ring */
		/* counts carry over: B's first entry sits at b0 & 31 */
		cr_assert_eq(ctrl_at(big, 32, es, b0),
				evq_ctrl_make(code_of(16), param_of(16)),
				"es %u: event 16 not at position %u of the new ring",
				es, b0 & 31);
		cr_assert_eq(ctrl_at(big, 32, es, end - 1),
				evq_ctrl_make(code_of(35), param_of(35)));

		/* a burst stops at the marker ... */
		n = evq_ring_poll_burst(&r->c, out, 32);
		cr_assert_eq(n, 3, "es %u: first burst got %u, want 3 (A)", es, n);
		for (k = 0; k < 3; k++)
			entry_check(out + k * es, es, 13 + (uint32_t)k);
		/* ... and the next one follows it */
		rig_drain_expect(r, 16, 20);
		cr_assert_eq(evq_ring_cons_read(&r->c), end,
				"es %u: read count %u after the switch, producer at %u",
				es, evq_ring_cons_read(&r->c), end);
		cr_assert_eq(r->c.stats.switches, 1);
		cr_assert_eq(r->c.stats.consumed, 36, "the marker counted as consumed");

		/* doorbell continues as a count; the producer agrees */
		evq_ring_arm(&r->c);
		cr_assert_eq(db_load(r), db_word(true, true, 12, end));
		cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
		cr_assert_eq(evq_ring_prod_cec(&r->p), 0);
		cr_assert_eq(r->p.stats.bad_doorbells, 0);
		rig_post_n(r, 36, 1);
		cr_assert_eq(r->signals, 1);
		rig_drain_expect(r, 36, 1);
		rig_make_room(r);

		/* the new size governs overflow: 32 fit, the 33rd overflows */
		rig_post_n(r, 37, 32);
		cr_assert_eq(rig_post_seq(r, 69), -EOVERFLOW);
		cr_assert_eq(r->overflows, 1);
		rig_drain_expect(r, 37, 32);
		t_free(big);
		rig_free(r);
	}
}

ModeTest(ringswitch, marker_before_prepare_stops_consumer)
{
	struct rig *r = rig_new(8, 16, 12);
	uint8_t *big = alloc_aligned(16 * 16);

	rig_post_n(r, 0, 2);
	cr_assert_eq(evq_ring_prod_switch(&r->p, big, 16), 0);
	rig_drain_expect_part(r, 0, 2);
	cr_assert_null(evq_ring_peek(&r->c, 0), "consumer went past the marker");
	cr_assert_not(evq_ring_pending(&r->c));
	cr_assert_eq(evq_ring_cons_count(&r->c, 8), 0);
	cr_assert_eq(evq_ring_cons_read(&r->c), 2);
	/* handed the ring now (nothing posted there yet): it follows */
	cr_assert_eq(evq_ring_cons_switch_prepare(&r->c, big, 16), 0);
	rig_post_n(r, 2, 3);
	rig_drain_expect(r, 2, 3);
	evq_ring_prod_publish(&r->p);
	cr_assert_eq(evq_ring_cons_read(&r->c), r->write_indicator,
			"consumer at %u, producer at %u", evq_ring_cons_read(&r->c),
			r->write_indicator);
	t_free(big);
	rig_free(r);
}

ModeTest(ringswitch, two_switches_in_a_row)
{
	struct rig *r = rig_new(8, 8, 12);
	uint8_t *b1 = alloc_aligned(16 * 8);
	uint8_t *b2 = alloc_aligned(64 * 8);

	rig_post_n(r, 0, 3);
	cr_assert_eq(evq_ring_cons_switch_prepare(&r->c, b1, 16), 0);
	cr_assert_eq(evq_ring_prod_switch(&r->p, b1, 16), 0);
	rig_post_n(r, 3, 4);
	rig_drain_expect(r, 0, 7);
	cr_assert_eq(evq_ring_cons_switch_prepare(&r->c, b2, 64), 0,
			"second prepare after following the first");
	cr_assert_eq(evq_ring_prod_switch(&r->p, b2, 64), 0);
	rig_post_n(r, 7, 40);
	rig_drain_expect(r, 7, 40);
	cr_assert_eq(r->c.stats.switches, 2);
	cr_assert_eq(r->p.stats.switches, 2);
	t_free(b1);
	t_free(b2);
	rig_free(r);
}

ModeTest(ringswitch, prod_switch_errors_change_nothing)
{
	struct rig *r = rig_new(8, 16, 12);
	uint8_t *big = alloc_aligned(64 * 16 + 64);
	uint8_t *snap = alloc_aligned(r->mem_len);
	struct evq_ring_prod psnap;
	struct {
		void *base;
		uint32_t size;
		int err;
		const char *what;
	} bad[] = {
		{ NULL, 32, -EINVAL, "NULL base" },
		{ big, 12, -EINVAL, "size 12" },
		{ big, 4, -EINVAL, "size 4" },
		{ big, 1u << 25, -EINVAL, "size 2^25" },
		{ big + 1, 32, -EFAULT, "misaligned base" },
		{ big + 8, 32, -EFAULT, "base + 8 (es 16)" },
	};
	unsigned int i;

	rig_post_n(r, 0, 3);
	memcpy(snap, r->mem, r->mem_len);
	memcpy(&psnap, &r->p, sizeof(psnap));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = evq_ring_prod_switch(&r->p, bad[i].base, bad[i].size);

		cr_expect_eq(rc, bad[i].err, "%s: %d, want %d", bad[i].what, rc,
				bad[i].err);
		cr_expect_arr_eq(&r->p, &psnap, sizeof(psnap),
				"%s: producer changed", bad[i].what);
		cr_expect_arr_eq(r->mem, snap, r->mem_len,
				"%s: marker written anyway", bad[i].what);
	}
	rig_drain_expect(r, 0, 3);

	/* undefined ring */
	evq_ring_prod_undefine(&r->p);
	cr_assert_eq(evq_ring_prod_switch(&r->p, big, 32), -ENODEV);
	t_free(snap);
	t_free(big);
	rig_free(r);
}

ModeTest(ringswitch, prod_switch_on_full_ring_overflows)
{
	struct rig *r = rig_new(8, 16, 12);
	uint8_t *big = alloc_aligned(32 * 16);
	uint8_t *snap = alloc_aligned(r->mem_len);
	int rc;

	rig_post_n(r, 0, 8);
	memcpy(snap, r->mem, r->mem_len);
	cr_assert_eq(evq_ring_cons_switch_prepare(&r->c, big, 32), 0);
	rc = evq_ring_prod_switch(&r->p, big, 32);
	cr_assert_eq(rc, -EOVERFLOW, "switch on a full ring: %d", rc);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNDEFINED);
	cr_assert_arr_eq(r->mem, snap, r->mem_len, "marker overwrote an event");
	cr_assert_eq(r->overflows, 1);
	t_free(snap);
	t_free(big);
	rig_free(r);
}

ModeTest(ringswitch, prepare_errors_change_nothing)
{
	struct rig *r = rig_new(8, 32, 12);
	uint8_t *b1 = alloc_aligned(16 * 32 + 64);
	uint8_t *b2 = alloc_aligned(16 * 32);
	struct evq_ring_cons csnap;
	int rc;

	memset(b1, 0xcd, 16 * 32 + 64);
	memcpy(&csnap, &r->c, sizeof(csnap));
	rc = evq_ring_cons_switch_prepare(&r->c, b1, 12);
	cr_assert_eq(rc, -EINVAL, "size 12: %d", rc);
	rc = evq_ring_cons_switch_prepare(&r->c, NULL, 16);
	cr_assert_eq(rc, -EINVAL, "NULL: %d", rc);
	rc = evq_ring_cons_switch_prepare(&r->c, b1 + 16, 16);
	cr_assert_eq(rc, -EFAULT, "misaligned: %d", rc);
	cr_assert_arr_eq(&r->c, &csnap, sizeof(csnap), "consumer changed");
	cr_assert_eq(b1[0], 0xcd, "bad prepare zeroed memory");
	cr_assert_eq(b1[16], 0xcd, "bad prepare zeroed memory");

	cr_assert_eq(evq_ring_cons_switch_prepare(&r->c, b1, 16), 0);
	memset(b2, 0xcd, 16 * 32);
	memcpy(&csnap, &r->c, sizeof(csnap));
	rc = evq_ring_cons_switch_prepare(&r->c, b2, 16);
	cr_assert_eq(rc, -EBUSY, "prepare twice: %d", rc);
	cr_assert_arr_eq(&r->c, &csnap, sizeof(csnap), "consumer changed");
	for (size_t k = 0; k < 16 * 32; k++)
		cr_assert_eq(b2[k], 0xcd, "second prepare touched its ring");
	t_free(b1);
	t_free(b2);
	rig_free(r);
}

ModeTest(ringswitch, switch_to_smaller_ring_with_consumer_behind)
{
	/* "a larger (or other) ring": the consumer may still be more than
	 * the new size behind the producer; its doorbells stay valid */
	struct rig *r = rig_new(32, 8, 12);
	uint8_t *small = alloc_aligned(8 * 8);
	int rc;

	rig_post_n(r, 0, 20);
	cr_assert_eq(evq_ring_cons_switch_prepare(&r->c, small, 8), 0);
	cr_assert_eq(evq_ring_prod_switch(&r->p, small, 8), 0);
	rig_post_n(r, 20, 2);
	rig_drain_expect_part(r, 0, 5);
	evq_ring_arm(&r->c);		/* read 5, write 22 or 23: pending */
	rc = evq_ring_prod_poll(&r->p);
	cr_assert_eq(r->p.stats.bad_doorbells, 0,
			"valid arm (read 5, 17+ behind) taken as malformed after "
			"switching to an 8-entry ring (poll %d)", rc);
	cr_assert_eq(rc, 1, "armed with events pending: poll %d", rc);
	cr_assert_eq(r->signals, 1);
	rig_drain_expect(r, 5, 17);
	t_free(small);
	rig_free(r);
}

/*
 * Recovery after an overflow: the producer went UNDEFINED at write count w
 * with the ring full; switch_at() refuses (-EAGAIN) until the consumer has
 * used the entry that sits where the marker goes, then writes the marker;
 * the producer, defined on the new ring from w + 1, posts on; the consumer
 * drains the old ring, follows the marker and reads the rest in order.
 */
ModeTest(ringswitch, switch_at_after_overflow_resumes_in_order)
{
	unsigned int i;

	for (i = 0; i < 5; i++) {
		const uint32_t es = es_all[i];
		struct rig *r = rig_new(8, es, 21);
		uint8_t *big = alloc_aligned((size_t)32 * es);
		struct evq_ring_prod_conf conf;
		uint32_t w;
		int rc;

		rig_post_n(r, 0, 3);
		rig_drain_expect(r, 0, 3);
		rig_make_room(r);
		rig_post_n(r, 3, 8);		/* full: counts 3..10 */
		cr_assert_eq(rig_post_seq(r, 11), -EOVERFLOW);
		cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNDEFINED);
		w = r->overflow_write;
		cr_assert_eq(w, 11, "es %u: overflow at %u", es, w);
		/* the marker's entry still holds event 3: not yet */
		cr_assert_eq(evq_ring_cons_switch_at(&r->c, w, big, 32), -EAGAIN);
		cr_assert_eq(code_at(r->mem, 8, es, w), code_of(3), "es %u: entry touched", es);
		rig_drain_expect_part(r, 3, 2);	/* 3, 4 used */
		rc = evq_ring_cons_switch_at(&r->c, w, big, 32);
		cr_assert_eq(rc, 0, "es %u: switch_at %d", es, rc);
		cr_assert_eq(code_at(r->mem, 8, es, w), EVQ_CODE_SWITCH);
		cr_assert_eq(evq_ring_cons_switch_at(&r->c, w, big, 32), -EBUSY);
		/* the producer continues on the new ring after the marker */
		conf = r->pconf;
		conf.base = big;
		conf.size = 32;
		conf.start_count = w + 1;
		rc = evq_ring_prod_define(&r->p, &conf);
		cr_assert_eq(rc, 0, "es %u: define %d", es, rc);
		rig_post_n(r, 11, 20);
		/* old ring 5..10, then the new one: one stream, in order */
		rig_drain_expect_part(r, 5, 6);
		rig_drain_expect(r, 11, 20);
		cr_assert_eq(r->c.stats.switches, 1);
		cr_assert_eq(evq_ring_cons_read(&r->c), w + 1 + 20);
		rig_free(r);
		t_free(big);
	}
}

