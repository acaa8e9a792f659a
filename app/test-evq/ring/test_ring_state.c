/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * Unit tests: the ring state machine (UNDEFINED -> UNARMED <-> ARMED) as
 * the producer holds it, and overflow (ring goes UNDEFINED, nothing
 * overwritten, hook once) versus back-pressure (-ENOBUFS, nothing changes).
 */

#include "test_ring_common.h"

TestSuite(state, .init = quiet_log_setup, .fini = tracked_cleanup,
		.timeout = 10);

ModeTest(state, power_on_is_undefined_and_post_is_enodev)
{
	struct rig *r = rig_alloc(8, 16, 4);
	uint8_t *snap = alloc_aligned(r->mem_len);
	uint32_t burst[4] = { 0 };
	int rc;

	cr_assert_eq(evq_ring_cons_init(&r->c, &r->cconf), 0);
	memset(&r->p, 0x6b, sizeof(r->p));
	evq_ring_prod_init(&r->p);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNDEFINED);
	memcpy(snap, r->mem, r->mem_len);

	rc = evq_ring_post(&r->p, 0x10, 1, NULL);
	cr_assert_eq(rc, -ENODEV, "post to UNDEFINED: %d", rc);
	cr_assert_eq(r->p.stats.refused, 1, "refusal not counted");
	burst[0] = evq_ctrl_make(0x10, 0);
	rc = evq_ring_post_burst(&r->p, burst, 1);
	cr_assert_eq(rc, -ENODEV);
	rc = evq_ring_try_post_burst(&r->p, burst, 1);
	cr_assert_eq(rc, -ENODEV);
	cr_assert_eq(r->p.stats.refused, 3);
	cr_assert_eq(r->p.stats.posted, 0);
	cr_assert_arr_eq(r->mem, snap, r->mem_len, "UNDEFINED ring written");
	cr_assert_eq(evq_ring_prod_poll(&r->p), -ENODEV);
	t_free(snap);
	rig_free(r);
}

ModeTest(state, define_arm_signal_undefine_cycle)
{
	struct rig *r = rig_new(8, 16, 4);

	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNARMED);
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNARMED);

	/* arm with nothing pending: ARMED once the producer sees it */
	evq_ring_arm(&r->c);
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_ARMED,
			"state %s after the producer observed an arm",
			evq_ring_state_name(evq_ring_prod_state(&r->p)));
	cr_assert_eq(r->signals, 0);

	/* post: signal, and UNARMED in the same step (seen from the hook) */
	rig_post_n(r, 0, 1);
	cr_assert_eq(r->signals, 1);
	cr_assert_eq(r->signal_ring, 4, "hook got ring %u", r->signal_ring);
	cr_assert_eq(r->state_at_signal[0], EVQ_RING_UNARMED,
			"state inside the hook is %s",
			evq_ring_state_name(r->state_at_signal[0]));
	cr_assert_eq(r->db_at_signal[0] & EVQ_DB_ARMED, 0,
			"ARMED still set in the doorbell when the hook ran");
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNARMED);
	cr_assert_eq(db_load(r) & EVQ_DB_ARMED, 0);
	cr_assert_eq(r->p.stats.signals, 1);

	/* undefine: back to UNDEFINED, posts refused, polls -ENODEV */
	evq_ring_prod_undefine(&r->p);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNDEFINED);
	cr_assert_eq(evq_ring_post(&r->p, 0x10, 0, NULL), -ENODEV);
	cr_assert_eq(evq_ring_prod_poll(&r->p), -ENODEV);

	/* and it can be defined again (after the consumer re-inits) */
	cr_assert_eq(evq_ring_cons_init(&r->c, &r->cconf), 0);
	cr_assert_eq(evq_ring_prod_define(&r->p, &r->pconf), 0);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNARMED);
	rig_free(r);
}

ModeTest(state, undefined_ring_is_never_armed_nor_signalled)
{
	struct rig *r = rig_new(8, 16, 4);

	rig_post_n(r, 0, 2);
	evq_ring_prod_undefine(&r->p);
	evq_ring_arm(&r->c);
	cr_assert_eq(evq_ring_prod_poll(&r->p), -ENODEV);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNDEFINED);
	cr_assert_eq(r->signals, 0);
	rig_free(r);
}

ModeTest(state, overflow_writes_nothing_goes_undefined_and_calls_hook_once)
{
	static const uint32_t es_all[] = { 4, 8, 16, 32, 64 };
	unsigned int i;

	for (i = 0; i < 5; i++) {
		struct rig *r = rig_new(8, es_all[i], 0x1234);
		uint8_t *snap = alloc_aligned(r->mem_len);
		int rc;

		/* one lap consumed first so counts and positions differ */
		rig_post_n(r, 0, 8);
		rig_drain_expect(r, 0, 8);
		rig_make_room(r);
		rig_post_n(r, 8, 8);
		memcpy(snap, r->mem, r->mem_len);
		rc = rig_post_seq(r, 16);
		cr_assert_eq(rc, -EOVERFLOW, "es %u: post to full ring %d",
				es_all[i], rc);
		cr_assert_arr_eq(r->mem, snap, r->mem_len,
				"es %u: overflow overwrote the ring", es_all[i]);
		cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNDEFINED);
		cr_assert_eq(r->overflows, 1);
		cr_assert_eq(r->overflow_ring, 0x1234);
		cr_assert_eq(r->overflow_write, 16, "hook got write count %u",
				r->overflow_write);
		cr_assert_eq(r->p.stats.overflows, 1);
		cr_assert_eq(r->p.stats.posted, 16);
		/* UNDEFINED now: -ENODEV, hook not called again */
		rc = rig_post_seq(r, 16);
		cr_assert_eq(rc, -ENODEV);
		cr_assert_eq(r->overflows, 1);
		cr_assert_arr_eq(r->mem, snap, r->mem_len);
		/* the consumer still finds the 8 events intact */
		rig_drain_expect(r, 8, 8);
		t_free(snap);
		rig_free(r);
	}
}

ModeTest(state, overflow_burst_checks_last_entry_and_writes_nothing)
{
	struct rig *r = rig_new(8, 16, 2);
	uint8_t burst[16 * 4];
	uint8_t *snap = alloc_aligned(r->mem_len);
	unsigned int k;

	rig_post_n(r, 0, 5);
	for (k = 0; k < 4; k++)
		entry_fill(burst + k * 16, 16, code_of(5 + k), param_of(5 + k), 5 + k);
	memcpy(snap, r->mem, r->mem_len);
	/* 3 free slots, burst of 4: the last entry's slot is occupied */
	cr_assert_eq(evq_ring_post_burst(&r->p, burst, 4), -EOVERFLOW);
	cr_assert_arr_eq(r->mem, snap, r->mem_len, "partial burst written");
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNDEFINED);
	cr_assert_eq(r->overflows, 1);
	cr_assert_eq(r->overflow_write, 5);
	rig_drain_expect(r, 0, 5);
	t_free(snap);
	rig_free(r);
}

/*
 * The next two are clear validity only: a consumer that arms at read 8 has
 * told a phase producer that the ring is empty, and a phase ring that is
 * full as the producer sees it has events past the armed read indicator,
 * so it signals unless moderation holds the signal (test_ring_phase.c).
 */
Test(state, overflow_while_armed_goes_undefined_without_signal)
{
	struct rig *r = rig_new(8, 8, 2);

	rig_post_n(r, 0, 8);
	/* a consumer that arms at read 8 without clearing the codes */
	db_store(r, db_word(true, true, 2, 8));
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_ARMED);
	cr_assert_eq(rig_post_seq(r, 8), -EOVERFLOW);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNDEFINED);
	evq_ring_arm(&r->c);
	cr_assert_eq(evq_ring_prod_poll(&r->p), -ENODEV);
	cr_assert_eq(r->signals, 0);
	rig_free(r);
}

ModeTest(state, try_post_on_full_ring_is_enobufs_and_changes_nothing)
{
	struct rig *r = rig_new(8, 32, 2);
	uint8_t e[32];
	uint8_t *snap = alloc_aligned(r->mem_len);
	struct evq_ring_prod psnap;
	int rc;

	rig_post_n(r, 0, 8);
	memcpy(snap, r->mem, r->mem_len);
	memcpy(&psnap, &r->p, sizeof(psnap));
	entry_fill(e, 32, code_of(8), param_of(8), 8);
	rc = evq_ring_try_post_burst(&r->p, e, 1);
	cr_assert_eq(rc, -ENOBUFS, "try_post on full ring: %d", rc);
	cr_assert_arr_eq(r->mem, snap, r->mem_len);
	cr_assert_arr_eq(&r->p, &psnap, sizeof(psnap),
			"producer context changed on -ENOBUFS");
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNARMED);
	cr_assert_eq(r->overflows, 0);

	/* room for one: a burst of 2 is still refused whole, 1 fits */
	evq_ring_consume(&r->c, 1);
	rig_make_room(r);
	{
		uint8_t two[64];

		entry_fill(two, 32, code_of(8), param_of(8), 8);
		entry_fill(two + 32, 32, code_of(9), param_of(9), 9);
		cr_assert_eq(evq_ring_try_post_burst(&r->p, two, 2), -ENOBUFS);
		cr_assert_eq(evq_ring_try_post_burst(&r->p, two, 1), 1);
	}
	rig_drain_expect(r, 1, 8);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNARMED);
	t_free(snap);
	rig_free(r);
}

Test(state, try_post_on_full_armed_ring_keeps_it_armed)
{
	struct rig *r = rig_new(8, 8, 2);
	uint8_t e[8];

	rig_post_n(r, 0, 8);
	/* consumer consumed nothing, so it arms at 0: signal */
	evq_ring_arm(&r->c);
	cr_assert_eq(evq_ring_prod_poll(&r->p), 1);
	/* consumer drains 0, re-arms at 8 as if it had drained everything */
	db_store(r, db_word(true, true, 2, 8));
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_ARMED);
	entry_fill(e, 8, code_of(8), param_of(8), 8);
	cr_assert_eq(evq_ring_try_post_burst(&r->p, e, 1), -ENOBUFS);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_ARMED);
	cr_assert_eq(r->signals, 1);
	rig_free(r);
}
