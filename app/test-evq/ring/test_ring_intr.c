/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * Unit tests: the interrupt rule (armed + pending -> exactly one signal,
 * ARMED cleared in the same step), the arm race, evq_ring_arm_check(),
 * malformed doorbells, lazy publication of both indicators and the
 * completion-event counter.
 */

#include "test_ring_common.h"

TestSuite(intr, .init = quiet_log_setup, .fini = tracked_cleanup,
		.timeout = 10);

ModeTest(intr, armed_and_pending_signals_exactly_once)
{
	struct rig *r = rig_new(16, 8, 6);
	unsigned int k;

	rig_post_n(r, 0, 3);
	evq_ring_arm(&r->c);	/* read 0, write 3: pending */
	cr_assert_eq(db_load(r), db_word(true, true, 6, 0));
	cr_assert_eq(evq_ring_prod_poll(&r->p), 1, "arm with pending: no signal");
	cr_assert_eq(r->signals, 1);
	cr_assert_eq(r->signal_ring, 6);
	cr_assert_eq(db_load(r), db_word(false, true, 6, 0),
			"doorbell after the signal: 0x%016llx",
			(unsigned long long)db_load(r));
	cr_assert_eq(r->db_at_signal[0] & EVQ_DB_ARMED, 0,
			"ARMED cleared only after the hook ran");
	/* repeated polls and posts never signal twice for one arm */
	for (k = 0; k < 10; k++)
		cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	rig_post_n(r, 3, 5);
	for (k = 0; k < 10; k++)
		cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(r->signals, 1);
	cr_assert_eq(r->p.stats.signals, 1);
	rig_free(r);
}

ModeTest(intr, armed_and_empty_waits_for_a_post)
{
	struct rig *r = rig_new(16, 8, 6);
	unsigned int k;

	evq_ring_arm(&r->c);
	for (k = 0; k < 5; k++)
		cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(r->signals, 0);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_ARMED);
	cr_assert_eq(db_load(r) & EVQ_DB_ARMED, EVQ_DB_ARMED);
	rig_post_n(r, 0, 1);	/* the post itself evaluates the rule */
	cr_assert_eq(r->signals, 1);
	cr_assert_eq(db_load(r) & EVQ_DB_ARMED, 0);
	rig_post_n(r, 1, 3);
	cr_assert_eq(r->signals, 1);
	rig_free(r);
}

ModeTest(intr, arm_race_arming_with_pending_signals_at_next_post)
{
	struct rig *r = rig_new(16, 8, 6);

	rig_post_n(r, 0, 4);
	rig_drain_expect_part(r, 0, 2);
	evq_ring_arm(&r->c);	/* read 2 < write 4 */
	/* no poll: the next post evaluates the doorbell and must signal */
	rig_post_n(r, 4, 1);
	cr_assert_eq(r->signals, 1);
	cr_assert_eq(db_load(r), db_word(false, true, 6, 2));
	rig_free(r);
}

ModeTest(intr, rearm_without_consuming_signals_again)
{
	struct rig *r = rig_new(16, 8, 6);

	rig_post_n(r, 0, 2);
	evq_ring_arm(&r->c);
	cr_assert_eq(evq_ring_prod_poll(&r->p), 1);
	/* the consumer re-arms with the very same word (nothing consumed) */
	evq_ring_arm(&r->c);
	cr_assert_eq(evq_ring_prod_poll(&r->p), 1,
			"re-arm with events still pending was not signalled");
	cr_assert_eq(r->signals, 2);
	rig_free(r);
}

ModeTest(intr, many_arm_cycles_one_signal_each)
{
	struct rig *r = rig_new(8, 4, 6);
	uint32_t seq = 0;
	unsigned int cycle;

	for (cycle = 0; cycle < 200; cycle++) {
		unsigned int n = 1 + cycle % 8;

		evq_ring_arm(&r->c);
		cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
		rig_post_n(r, seq, n);
		cr_assert_eq(r->signals, cycle + 1, "cycle %u", cycle);
		rig_drain_expect(r, seq, n);
		seq += n;
	}
	rig_free(r);
}

ModeTest(intr, deferred_eval_post_does_not_signal_poll_does)
{
	struct rig *r = rig_alloc(8, 8, 6);

	r->pconf.flags = EVQ_RING_F_DEFERRED_EVAL;
	rig_start(r);
	evq_ring_arm(&r->c);
	rig_post_n(r, 0, 2);
	cr_assert_eq(r->signals, 0, "post evaluated despite DEFERRED_EVAL");
	cr_assert_eq(evq_ring_prod_poll(&r->p), 1);
	cr_assert_eq(r->signals, 1);
	rig_free(r);
}

ModeTest(intr, arm_check_returns_0_and_arms_when_empty)
{
	struct rig *r = rig_new(8, 8, 6);
	int rc;

	rig_post_n(r, 0, 2);
	rig_drain_expect(r, 0, 2);
	rc = evq_ring_arm_check(&r->c);
	cr_assert_eq(rc, 0, "arm_check on empty ring: %d", rc);
	cr_assert_eq(db_load(r), db_word(true, true, 6, 2));
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_ARMED);
	cr_assert_eq(r->signals, 0);
	rig_post_n(r, 2, 1);
	cr_assert_eq(r->signals, 1);
	rig_free(r);
}

ModeTest(intr, arm_check_returns_1_and_leaves_unarmed_when_pending)
{
	struct rig *r = rig_new(8, 8, 6);
	int rc;

	rig_post_n(r, 0, 3);
	rig_drain_expect_part(r, 0, 1);
	rc = evq_ring_arm_check(&r->c);
	cr_assert_eq(rc, 1, "arm_check with 2 pending: %d", rc);
	cr_assert_eq(db_load(r) & EVQ_DB_ARMED, 0,
			"arm_check left the doorbell armed: 0x%016llx",
			(unsigned long long)db_load(r));
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNARMED);
	cr_assert_eq(r->signals, 0, "both parties signalled");
	rig_post_n(r, 3, 1);
	cr_assert_eq(r->signals, 0);
	rig_drain_expect(r, 1, 3);
	rig_free(r);
}

ModeTest(intr, arm_check_loses_to_a_producer_that_already_signalled)
{
	/* the producer won the CAS first: arm_check must not report pending
	 * in a way that loses the signal; either it sees the ring disarmed by
	 * the producer (signal delivered) and says "poll" (1), or it says 0
	 * and the signal is there. Exactly one signal either way. */
	struct rig *r = rig_new(8, 8, 6);
	int rc;

	rig_post_n(r, 0, 1);
	evq_ring_arm(&r->c);
	cr_assert_eq(evq_ring_prod_poll(&r->p), 1);
	rc = evq_ring_arm_check(&r->c);
	cr_assert(rc == 0 || rc == 1);
	cr_assert_geq(evq_ring_prod_poll(&r->p), 0);
	if (rc == 0)
		cr_assert_eq(r->signals, 2, "armed with pending, no signal");
	else
		cr_assert_eq(r->signals, 1);
	rig_free(r);
}

ModeTest(intr, disarm_stores_unarmed_valid_word)
{
	struct rig *r = rig_new(8, 8, 6);

	rig_post_n(r, 0, 2);
	rig_drain_expect(r, 0, 2);
	evq_ring_arm(&r->c);
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_ARMED);
	evq_ring_disarm(&r->c);
	cr_assert_eq(db_load(r), db_word(false, true, 6, 2));
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNARMED);
	rig_post_n(r, 2, 2);
	cr_assert_eq(r->signals, 0, "signalled a disarmed ring");
	rig_free(r);
}

ModeTest(intr, armed_without_valid_never_signals)
{
	/* the rule needs ARMED and VALID */
	struct rig *r = rig_new(8, 8, 6);

	rig_post_n(r, 0, 2);
	db_store(r, db_word(true, false, 6, 0));
	cr_assert_geq(evq_ring_prod_poll(&r->p), 0);
	rig_post_n(r, 2, 1);
	cr_assert_eq(r->signals, 0, "signalled an ARMED word without VALID");
	rig_free(r);
}

/* ---- malformed doorbells ---- */

static void
check_malformed(struct rig *r, uint64_t word, const char *what)
{
	struct evq_ring_prod_stats st = r->p.stats;
	enum evq_ring_state state = evq_ring_prod_state(&r->p);
	uint32_t cec = evq_ring_prod_cec(&r->p);
	uint32_t write = r->p.write;
	uint8_t *snap = alloc_aligned(r->mem_len);
	int rc;

	memcpy(snap, r->mem, r->mem_len);
	db_store(r, word);
	rc = evq_ring_prod_poll(&r->p);
	cr_assert_eq(rc, -EINVAL, "%s (0x%016llx): poll returned %d", what,
			(unsigned long long)word, rc);
	cr_assert_eq(r->p.stats.bad_doorbells, st.bad_doorbells + 1,
			"%s: not counted", what);
	cr_assert_eq(r->p.stats.signals, st.signals, "%s: signalled", what);
	/* polling again (same word, now "seen") must not signal either */
	rc = evq_ring_prod_poll(&r->p);
	cr_assert_eq(r->p.stats.signals, st.signals,
			"%s: signalled on the second poll (rc %d)", what, rc);
	cr_assert_leq(rc, 0);
	cr_assert_eq(r->p.stats.bad_doorbells, st.bad_doorbells + 1,
			"%s: one bad word counted more than once", what);
	cr_assert_eq(r->p.stats.posted, st.posted);
	cr_assert_eq(r->p.stats.held, st.held);
	cr_assert_eq(evq_ring_prod_cec(&r->p), cec, "%s: cec changed", what);
	cr_assert_eq(r->p.write, write);
	cr_assert_arr_eq(r->mem, snap, r->mem_len);
	cr_assert_eq(evq_ring_prod_state(&r->p), state,
			"%s: producer state went from %s to %s", what,
			evq_ring_state_name(state),
			evq_ring_state_name(evq_ring_prod_state(&r->p)));
	t_free(snap);
}

ModeTest(intr, malformed_doorbells_are_counted_and_ignored)
{
	struct rig *r = rig_new(16, 8, 6);
	unsigned int bit;

	rig_post_n(r, 0, 3);	/* pending: an accepted arm would signal */
	for (bit = 48; bit <= 61; bit++) {
		char what[64];

		snprintf(what, sizeof(what), "reserved bit %u", bit);
		check_malformed(r, db_word(true, true, 6, 0) | (1ull << bit), what);
	}
	check_malformed(r, db_word(true, true, 7, 0), "wrong ring number");
	check_malformed(r, db_word(true, true, 0, 1), "ring number 0");
	check_malformed(r, db_word(false, true, 0x106, 1), "lazy update, wrong ring");
	check_malformed(r, db_word(false, true, 6, 5), "lazy read ahead of write");
	check_malformed(r, db_word(true, true, 6, 4), "read 4 ahead of write 3");
	check_malformed(r, db_word(true, true, 6, 0x80000000u),
			"read far ahead of write");
	cr_assert_eq(r->signals, 0);
	cr_assert_eq(r->p.stats.bad_doorbells, 14 + 6);

	/* the ring still works: a valid arm signals at once */
	evq_ring_arm(&r->c);
	cr_assert_eq(evq_ring_prod_poll(&r->p), 1);
	cr_assert_eq(r->signals, 1);
	rig_free(r);
}

ModeTest(intr, read_ahead_armed_doorbell_never_signals)
{
	/* reserved bits clear and the right ring number, but the read
	 * indicator is ahead of the write count: malformed on every look */
	struct rig *r = rig_new(16, 8, 6);
	int rc;

	rig_post_n(r, 0, 3);
	db_store(r, db_word(true, true, 6, 4));
	rc = evq_ring_prod_poll(&r->p);
	cr_assert_eq(rc, -EINVAL, "first poll: %d", rc);
	rc = evq_ring_prod_poll(&r->p);
	cr_assert_eq(r->signals, 0,
			"malformed (read 4 > write 3) doorbell signalled on the "
			"second poll (rc %d)", rc);
	cr_assert_eq(rig_post_seq(r, 3), 1);
	cr_assert_eq(r->signals, 0, "malformed doorbell signalled by a post");
	cr_assert_eq(r->p.stats.bad_doorbells, 1);
	rig_free(r);
}

ModeTest(intr, malformed_doorbell_seen_by_a_post_does_not_signal)
{
	struct rig *r = rig_new(16, 8, 6);

	rig_post_n(r, 0, 2);
	db_store(r, db_word(true, true, 6, 0) | (1ull << 50));
	cr_assert_eq(rig_post_seq(r, 2), 1, "post failed on a bad doorbell");
	cr_assert_eq(r->signals, 0);
	cr_assert_eq(r->p.stats.bad_doorbells, 1);
	rig_free(r);
}

/* ---- lazy publication and the completion-event counter ---- */

ModeTest(intr, consumer_publishes_read_every_n_and_on_arm)
{
	struct rig *r = rig_alloc(16, 8, 6);
	unsigned int k;

	uint64_t initial;

	r->cconf.read_publish_interval = 4;
	rig_start(r);
	initial = db_load(r);
	cr_assert(initial == 0 || initial == db_word(false, true, 6, 0),
			"doorbell after cons_init: 0x%016llx",
			(unsigned long long)initial);
	rig_post_n(r, 0, 16);
	for (k = 1; k <= 10; k++) {
		rig_drain_expect_part(r, k - 1, 1);
		if (k < 4)
			cr_assert_eq(db_load(r), initial, "published after %u", k);
		else
			cr_assert_eq(db_load(r), db_word(false, true, 6, (k / 4) * 4),
					"after %u consumed: 0x%016llx", k,
					(unsigned long long)db_load(r));
	}
	cr_assert_eq(r->c.stats.publishes, 2);
	/* on arm: the exact read count */
	evq_ring_arm(&r->c);
	cr_assert_eq(db_load(r), db_word(true, true, 6, 10));
	cr_assert_eq(r->c.stats.arms, 1);
	/* the arm counts as a publication: 3 more do not publish */
	cr_assert_eq(evq_ring_prod_poll(&r->p), 1);
	rig_drain_expect_part(r, 10, 3);
	cr_assert_eq(db_load(r), db_word(false, true, 6, 10));
	rig_drain_expect_part(r, 13, 1);
	cr_assert_eq(db_load(r), db_word(false, true, 6, 14));
	/* explicit publish */
	rig_drain_expect_part(r, 14, 1);
	evq_ring_cons_publish(&r->c);
	cr_assert_eq(db_load(r), db_word(false, true, 6, 15));
	rig_free(r);
}

ModeTest(intr, consumer_interval_0_publishes_only_on_arm)
{
	struct rig *r = rig_new(16, 8, 6);
	uint64_t initial = db_load(r);

	rig_post_n(r, 0, 12);
	rig_drain_expect(r, 0, 12);
	cr_assert_eq(db_load(r), initial, "consume published with interval 0");
	cr_assert_eq(r->c.stats.publishes, 0);
	evq_ring_arm(&r->c);
	cr_assert_eq(db_load(r), db_word(true, true, 6, 12));
	rig_free(r);
}

ModeTest(intr, cec_follows_posts_and_valid_doorbells)
{
	struct rig *r = rig_new(16, 8, 6);
	uint64_t seen;

	cr_assert_eq(evq_ring_prod_cec(&r->p), 0);
	rig_post_n(r, 0, 5);
	cr_assert_eq(evq_ring_prod_cec(&r->p), 5);
	rig_drain_expect_part(r, 0, 3);
	cr_assert_eq(evq_ring_prod_cec(&r->p), 5, "cec learned without a doorbell");
	seen = r->p.stats.doorbells;
	evq_ring_cons_publish(&r->c);
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(evq_ring_prod_cec(&r->p), 2);
	cr_assert_eq(r->p.stats.doorbells, seen + 1);
	rig_post_n(r, 5, 4);
	cr_assert_eq(evq_ring_prod_cec(&r->p), 6);
	rig_drain_expect(r, 3, 6);
	evq_ring_arm(&r->c);
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(evq_ring_prod_cec(&r->p), 0);
	cr_assert_eq(r->p.stats.doorbells, seen + 2);
	/* a doorbell without VALID teaches nothing */
	rig_post_n(r, 9, 2);
	rig_drain_expect(r, 9, 2);
	db_store(r, db_word(false, false, 6, 11));
	cr_assert_geq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(evq_ring_prod_cec(&r->p), 2, "cec learned from an invalid word");
	rig_free(r);
}
