/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * Unit tests: the rules only the phase validity mode has. The phase bit in
 * ring memory flips each lap and stale entries read as empty; bit 23 of a
 * posted control word is refused; copies and evq_ring_cons_ctrl() carry no
 * phase bit; the producer's room comes from the published read indicator
 * (the exact overflow point for a publish interval, a reload only when its
 * copy says full, malformed words teach nothing, entries of an earlier ring
 * do not count after a switch); a full ring that moderation keeps armed
 * overflows without a signal. The rules both modes share are in the other
 * suites, run once per mode (ModeTest).
 */

#include "test_ring_common.h"

TestSuite(phase, .init = quiet_log_setup, .fini = tracked_cleanup,
		.timeout = 10);

static const uint32_t es_all[] = { 4, 8, 16, 32, 64 };

static struct rig *
phase_rig(uint32_t size, uint32_t es, uint32_t publish_interval)
{
	struct rig *r;

	test_validity = EVQ_RING_VALIDITY_PHASE;
	r = rig_alloc(size, es, 9);
	r->cconf.read_publish_interval = publish_interval;
	rig_start(r);
	return r;
}

static uint32_t
raw_ctrl(const struct rig *r, uint32_t count)
{
	uint32_t ctrl;

	memcpy(&ctrl, r->mem + (size_t)(count & (r->size - 1)) * r->es,
			sizeof(ctrl));
	return ctrl;
}

Test(phase, phase_bit_flips_each_lap_and_stale_entries_are_empty)
{
	unsigned int i;

	for (i = 0; i < 5; i++) {
		struct rig *r = phase_rig(8, es_all[i], 4);
		uint32_t seq = 0, lap, k;

		for (lap = 0; lap < 5; lap++) {
			rig_post_n(r, seq, 8);
			for (k = 0; k < 8; k++)
				cr_assert_eq(raw_ctrl(r, seq + k) & EVQ_CTRL_PHASE,
						(lap & 1) ? EVQ_CTRL_PHASE : 0,
						"es %u lap %u slot %u: phase bit", es_all[i],
						lap, k);
			rig_drain_expect(r, seq, 8);
			seq += 8;
			/* every slot still holds last lap's event: all stale */
			for (k = 0; k < 8; k++)
				cr_assert_neq(raw_ctrl(r, seq + k) >> EVQ_CTRL_CODE_SHIFT, 0);
			cr_assert_null(evq_ring_peek(&r->c, 0));
			cr_assert_eq(evq_ring_cons_count(&r->c, 8), 0);
			cr_assert_eq(evq_ring_arm_check(&r->c), 0,
					"es %u lap %u: a stale entry counted as pending",
					es_all[i], lap);
			cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
			evq_ring_disarm(&r->c);
		}
		rig_free(r);
	}
}

/* A poll asking for more than is there stops at the first stale entry. */
Test(phase, poll_stops_at_stale_and_zeroed_entries)
{
	unsigned int i;

	for (i = 0; i < 5; i++) {
		struct rig *r = phase_rig(8, es_all[i], 8);
		uint8_t out[64 * 8];
		uint32_t k;

		/* lap 0: the slots after the events are zeroed */
		rig_post_n(r, 0, 3);
		cr_assert_eq(evq_ring_poll_burst(&r->c, out, 8), 3,
				"es %u: lap 0 poll went past the events", es_all[i]);
		for (k = 0; k < 3; k++)
			entry_check(out + k * es_all[i], es_all[i], k);
		rig_post_n(r, 3, 5);
		rig_drain_expect(r, 3, 5);
		/* lap 1: the slots after the events hold lap 0's events */
		rig_post_n(r, 8, 3);
		cr_assert_eq(evq_ring_poll_burst(&r->c, out, 8), 3,
				"es %u: lap 1 poll took stale entries", es_all[i]);
		for (k = 0; k < 3; k++)
			entry_check(out + k * es_all[i], es_all[i], 8 + k);
		rig_free(r);
	}
}

/* An empty zeroed slot is not a switch marker, even with a ring handed. */
Test(phase, empty_slot_does_not_follow_a_prepared_switch)
{
	struct rig *r = phase_rig(8, 16, 8);
	uint8_t *big = alloc_aligned((size_t)16 * 16);
	uint8_t out[16 * 8];

	cr_assert_eq(evq_ring_cons_switch_prepare(&r->c, big, 16), 0);
	cr_assert_eq(evq_ring_poll_burst(&r->c, out, 8), 0);
	cr_assert_null(evq_ring_peek(&r->c, 0));
	cr_assert_eq(r->c.stats.switches, 0, "followed a marker that is not there");
	cr_assert_eq(evq_ring_cons_read(&r->c), 0);
	rig_free(r);
}

/* Bursts that cross the end of the ring flip the phase bit in the middle. */
Test(phase, bursts_across_the_end_of_the_ring)
{
	unsigned int i;

	for (i = 0; i < 5; i++) {
		const uint32_t es = es_all[i];
		struct rig *r = phase_rig(8, es, 8);
		uint8_t burst[64 * 5], out[64 * 8];
		uint32_t seq = 0, k, round;

		for (round = 0; round < 16; round++) {
			for (k = 0; k < 5; k++)
				entry_fill(burst + k * es, es, code_of(seq + k),
						param_of(seq + k), seq + k);
			cr_assert_eq(evq_ring_post_burst(&r->p, burst, 5), 5,
					"es %u round %u", es, round);
			for (k = 0; k < 5; k++)
				cr_assert_eq(raw_ctrl(r, seq + k) & EVQ_CTRL_PHASE,
						((seq + k) & 8) ? EVQ_CTRL_PHASE : 0,
						"es %u: count %u has the wrong phase bit",
						es, seq + k);
			cr_assert_eq(evq_ring_poll_burst(&r->c, out, 8), 5,
					"es %u round %u: poll", es, round);
			for (k = 0; k < 5; k++)
				entry_check(out + k * es, es, seq + k);
			rig_make_room(r);
			seq += 5;
		}
		rig_free(r);
	}
}

Test(phase, bit_23_is_refused_only_with_phase_validity)
{
	struct rig *r = phase_rig(8, 8, 0);
	uint32_t e[2] = { evq_ctrl_make(0x10, EVQ_CTRL_PHASE | 5), 0 };
	uint8_t *snap = alloc_aligned(r->mem_len);

	memcpy(snap, r->mem, r->mem_len);
	cr_assert_eq(evq_ring_post_burst(&r->p, e, 1), -EINVAL);
	cr_assert_eq(evq_ring_try_post_burst(&r->p, e, 1), -EINVAL);
	cr_assert_eq(evq_ring_post(&r->p, 0x10, EVQ_CTRL_PHASE | 5, NULL), -EINVAL);
	cr_assert_arr_eq(r->mem, snap, r->mem_len, "refused post wrote");
	cr_assert_eq(r->p.stats.refused, 3);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNARMED);
	rig_free(r);

	/* the same word is an ordinary 24-bit parameter with clear validity */
	test_validity = EVQ_RING_VALIDITY_CLEAR;
	r = rig_new(8, 8, 9);
	cr_assert_eq(evq_ring_post_burst(&r->p, e, 1), 1);
	cr_assert_eq(evq_ctrl_param(evq_ring_entry_ctrl(evq_ring_peek(&r->c, 0))),
			EVQ_CTRL_PHASE | 5);
	rig_free(r);
}

Test(phase, copies_and_cons_ctrl_carry_no_phase_bit)
{
	struct rig *r = phase_rig(8, 16, 8);
	uint8_t out[16];
	uint32_t k;

	rig_post_n(r, 0, 8);
	rig_drain_expect(r, 0, 8);
	/* lap 1: the ring holds the phase bit, the consumer shows none */
	rig_post_n(r, 8, 3);
	cr_assert_eq(raw_ctrl(r, 8) & EVQ_CTRL_PHASE, EVQ_CTRL_PHASE);
	for (k = 0; k < 3; k++) {
		const void *e = evq_ring_peek(&r->c, k);

		cr_assert_not_null(e);
		cr_assert_eq(evq_ring_entry_ctrl(e) & EVQ_CTRL_PHASE, EVQ_CTRL_PHASE);
		cr_assert_eq(evq_ring_cons_ctrl(&r->c, e),
				evq_ctrl_make(code_of(8 + k), param_of(8 + k)));
	}
	cr_assert_eq(evq_ring_poll_burst(&r->c, out, 1), 1);
	entry_check(out, 16, 8);
	rig_free(r);
}

/*
 * The documented overflow point: the producer sees the ring full when
 * w + n - R > size, R the newest valid read indicator it has loaded.
 */
Test(phase, full_exactly_at_the_published_read_indicator)
{
	const uint32_t size = 16, interval = 4;
	struct rig *r = phase_rig(size, 8, interval);
	uint32_t e[2] = { evq_ctrl_make(0x22, 0), 0 };
	uint32_t seq = 0, k;

	rig_post_n(r, seq, size);
	seq += size;
	cr_assert_eq(evq_ring_try_post_burst(&r->p, e, 1), -ENOBUFS);
	/* 3 consumed: under the interval, nothing published, still full */
	rig_drain_expect_part(r, 0, 3);
	cr_assert_eq(db_load(r), db_word(false, true, 9, 0));
	cr_assert_eq(evq_ring_try_post_burst(&r->p, e, 1), -ENOBUFS,
			"room seen before the read indicator was published");
	/* the 4th publishes read 4: exactly 4 fit, the 5th does not */
	rig_drain_expect_part(r, 3, 1);
	cr_assert_eq(db_load(r), db_word(false, true, 9, 4));
	for (k = 0; k < 4; k++)
		cr_assert_eq(rig_post_seq(r, seq + k), 1, "post %u of 4", k);
	seq += 4;
	cr_assert_eq(evq_ring_try_post_burst(&r->p, e, 1), -ENOBUFS);
	cr_assert_eq(rig_post_seq(r, seq), -EOVERFLOW);
	cr_assert_eq(r->overflows, 1);
	cr_assert_eq(r->overflow_write, seq);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNDEFINED);
	/* nothing of the unread events was overwritten */
	rig_drain_expect(r, 4, size);
	rig_free(r);
}

/*
 * The producer's copy of the read indicator is refreshed by the post that
 * needs it: a publication made while the producer was idle (no poll) is
 * found by the next post that would otherwise overflow.
 */
Test(phase, room_found_by_reloading_the_doorbell_only_when_full)
{
	struct rig *r = phase_rig(8, 8, 0);

	rig_post_n(r, 0, 8);
	rig_drain_expect(r, 0, 8);
	evq_ring_cons_publish(&r->c);	/* read 8, producer not told */
	cr_assert_eq(r->p.read_seen, 0, "the producer looked without a post");
	rig_post_n(r, 8, 8);
	cr_assert_eq(r->p.read_seen, 8);
	cr_assert_eq(r->overflows, 0);
	cr_assert_eq(evq_ring_prod_room(&r->p, 1), false);
	rig_drain_expect(r, 8, 8);
	cr_assert_eq(evq_ring_prod_room(&r->p, 1), false, "room before publish");
	evq_ring_cons_publish(&r->c);
	cr_assert_eq(evq_ring_prod_room(&r->p, 8), true);
	cr_assert_eq(evq_ring_prod_room(&r->p, 9), false);
	rig_free(r);
}

Test(phase, malformed_doorbell_teaches_no_room)
{
	struct rig *r = phase_rig(8, 8, 0);

	rig_post_n(r, 0, 8);
	rig_drain_expect(r, 0, 8);
	/* wrong ring number, then reserved bits: both carry read 8 */
	db_store(r, db_word(false, true, 10, 8));
	cr_assert_eq(rig_post_seq(r, 8), -EOVERFLOW,
			"a foreign doorbell word made room");
	cr_assert_eq(r->p.stats.bad_doorbells, 1);
	rig_free(r);

	r = phase_rig(8, 8, 0);
	rig_post_n(r, 0, 8);
	rig_drain_expect(r, 0, 8);
	db_store(r, db_word(false, true, 9, 8) | (1ull << 50));
	cr_assert_eq(rig_post_seq(r, 8), -EOVERFLOW);
	cr_assert_eq(r->p.stats.bad_doorbells, 1);
	rig_free(r);

	/* a word without VALID carries no read indicator */
	r = phase_rig(8, 8, 0);
	rig_post_n(r, 0, 8);
	rig_drain_expect(r, 0, 8);
	db_store(r, db_word(false, false, 9, 8));
	cr_assert_eq(rig_post_seq(r, 8), -EOVERFLOW);
	cr_assert_eq(r->p.stats.bad_doorbells, 0);
	rig_free(r);
}

Test(phase, entries_of_the_old_ring_do_not_fill_the_new_one)
{
	struct rig *r = phase_rig(8, 16, 0);
	uint8_t *big = alloc_aligned((size_t)16 * 16);
	uint32_t k;

	/* 7 unread in the old ring, the marker makes it 8: full */
	rig_post_n(r, 0, 7);
	cr_assert_eq(evq_ring_cons_switch_prepare(&r->c, big, 16), 0);
	cr_assert_eq(evq_ring_prod_switch(&r->p, big, 16), 0);
	/* the new ring is empty: all 16 fit although nothing was read */
	for (k = 0; k < 16; k++)
		cr_assert_eq(rig_post_seq(r, 7 + k), 1, "post %u in the new ring", k);
	cr_assert_eq(evq_ring_try_post_burst(&r->p, (uint32_t[]){
			evq_ctrl_make(1, 0), 0, 0, 0 }, 1), -ENOBUFS);
	rig_drain_expect(r, 0, 23);
	cr_assert_eq(r->c.stats.switches, 1);
	/* the marker was not cleared: the consumer wrote nothing */
	cr_assert_eq(raw_ctrl(r, 7) >> EVQ_CTRL_CODE_SHIFT, EVQ_CODE_SWITCH);
	rig_make_room(r);
	cr_assert_eq(evq_ring_prod_room(&r->p, 16), true);
	rig_free(r);
}

Test(phase, switch_marker_on_an_odd_lap_is_followed)
{
	struct rig *r = phase_rig(8, 8, 8);
	uint8_t *big = alloc_aligned((size_t)16 * 8);

	/* lap 1 of the old ring: the marker must carry the phase bit */
	rig_post_n(r, 0, 8);
	rig_drain_expect(r, 0, 8);
	rig_post_n(r, 8, 3);
	cr_assert_eq(evq_ring_cons_switch_prepare(&r->c, big, 16), 0);
	cr_assert_eq(evq_ring_prod_switch(&r->p, big, 16), 0);
	cr_assert_eq(raw_ctrl(r, 11) & EVQ_CTRL_PHASE, EVQ_CTRL_PHASE);
	rig_post_n(r, 11, 4);
	rig_drain_expect(r, 8, 7);
	cr_assert_eq(r->c.stats.switches, 1, "marker on lap 1 not followed");
	rig_free(r);
}

Test(phase, switch_needs_room_for_its_marker)
{
	struct rig *r = phase_rig(8, 8, 0);
	uint8_t *big = alloc_aligned((size_t)16 * 8);

	rig_post_n(r, 0, 8);
	rig_drain_expect(r, 0, 8);	/* consumed, not published */
	cr_assert_eq(evq_ring_prod_switch(&r->p, big, 16), -EOVERFLOW);
	cr_assert_eq(r->overflows, 1);
	rig_free(r);
}

/*
 * A full phase ring is always ahead of the armed read indicator, so it is
 * signalled at once unless moderation holds the signal: then the overflow
 * drops the ring to UNDEFINED and the held signal never fires.
 */
Test(phase, full_ring_held_by_moderation_overflows_without_signal)
{
	struct rig *r;

	test_validity = EVQ_RING_VALIDITY_PHASE;
	r = rig_alloc(8, 8, 9);
	r->pconf.moderation_delay_ns = 1000;
	fake_now = 5000;
	rig_start(r);
	r->p.next_interrupt_ts = fake_now + 1000;	/* a signal just went out */
	evq_ring_arm(&r->c);
	rig_post_n(r, 0, 8);
	cr_assert_eq(r->signals, 0);
	cr_assert_gt(r->p.stats.held, 0);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_ARMED);
	cr_assert_eq(rig_post_seq(r, 8), -EOVERFLOW);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNDEFINED);
	fake_now += 2000;
	cr_assert_eq(evq_ring_prod_poll(&r->p), -ENODEV);
	cr_assert_eq(r->signals, 0);
	rig_free(r);
}
