/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * Unit tests: interrupt moderation with a fake clock. ARMED mode: a due
 * signal is held while now < next-interrupt time stamp, fires on the first
 * evaluation at or after it, and every signal sets the time stamp to
 * now + delay. TIMESTAMP mode (timestamp moderation): signal when a completion
 * event lands on a ring empty of completion events, or when events stay
 * pending past the time stamp; nothing otherwise.
 */

#include "test_ring_common.h"

TestSuite(moderation, .init = quiet_log_setup, .fini = tracked_cleanup,
		.timeout = 10);

#define DELAY 1000u

static struct rig *
mod_rig(enum evq_ring_intr_mode mode, uint64_t delay)
{
	struct rig *r = rig_alloc(64, 8, 3);

	r->pconf.intr_mode = mode;
	r->pconf.moderation_delay_ns = delay;
	r->pconf.clock = fake_clock;
	rig_start(r);
	return r;
}

/* Get one signal in ARMED mode, whatever the initial time stamp is;
 * returns the time of that signal. */
static uint64_t
first_signal(struct rig *r, uint32_t *seq)
{
	unsigned int k;

	evq_ring_arm(&r->c);
	rig_post_n(r, (*seq)++, 1);
	for (k = 0; k < 3 && r->signals == 0; k++) {
		fake_now += DELAY;
		evq_ring_prod_poll(&r->p);
	}
	cr_assert_eq(r->signals, 1, "no first signal even after 3 delays");
	rig_drain_expect(r, *seq - 1, 1);
	return fake_now;
}

ModeTest(moderation, armed_signal_held_until_time_stamp)
{
	struct rig *r;
	uint32_t seq = 0;
	uint64_t t0, t1, held;

	fake_now = 1000000;
	r = mod_rig(EVQ_RING_INTR_ARMED, DELAY);
	t0 = first_signal(r, &seq);
	cr_assert_eq(r->p.next_interrupt_ts, t0 + DELAY,
			"time stamp after a signal at %llu is %llu",
			(unsigned long long)t0,
			(unsigned long long)r->p.next_interrupt_ts);

	/* re-armed and due at t0: held */
	held = r->p.stats.held;
	evq_ring_arm(&r->c);
	rig_post_n(r, seq++, 1);
	cr_assert_eq(r->signals, 1, "signal not held at now < time stamp");
	cr_expect_eq(r->p.stats.held, held + 1, "held %llu, want %llu",
			(unsigned long long)r->p.stats.held,
			(unsigned long long)held + 1);
	cr_assert_eq(db_load(r) & EVQ_DB_ARMED, EVQ_DB_ARMED,
			"a held signal disarmed the ring");
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_ARMED);

	fake_now = t0 + DELAY - 1;
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(r->signals, 1);
	/* the header: held counts "evaluations where moderation held a
	 * signal", so a second held evaluation counts again */
	cr_expect_eq(r->p.stats.held, held + 2,
			"held %llu after two held evaluations, want %llu",
			(unsigned long long)r->p.stats.held,
			(unsigned long long)held + 2);

	/* the time passes: fires on the next poll, no new post needed */
	fake_now = t0 + DELAY;
	cr_assert_eq(evq_ring_prod_poll(&r->p), 1,
			"held signal did not fire at now == time stamp");
	cr_assert_eq(r->signals, 2);
	cr_assert_eq(db_load(r) & EVQ_DB_ARMED, 0);
	t1 = fake_now;
	cr_assert_eq(r->p.next_interrupt_ts, t1 + DELAY);
	held = r->p.stats.held;
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(r->p.stats.held, held, "held counted when nothing was due");

	/* again, with the clock well past: the time stamp moves with each
	 * signal (now + delay), not with the previous time stamp */
	rig_drain_expect(r, seq - 1, 1);
	fake_now = t1 + 5 * DELAY;
	evq_ring_arm(&r->c);
	rig_post_n(r, seq++, 1);
	cr_assert_eq(r->signals, 3, "not due long after the time stamp");
	cr_assert_eq(r->p.next_interrupt_ts, t1 + 6 * DELAY);
	rig_drain_expect(r, seq - 1, 1);
	fake_now = t1 + 6 * DELAY - 1;
	evq_ring_arm(&r->c);
	rig_post_n(r, seq++, 1);
	cr_assert_eq(r->signals, 3);
	fake_now = t1 + 6 * DELAY + 200;
	rig_post_n(r, seq++, 1);	/* a post also releases it */
	cr_assert_eq(r->signals, 4);
	cr_assert_eq(r->p.next_interrupt_ts, t1 + 7 * DELAY + 200);
	rig_free(r);
}

ModeTest(moderation, nothing_due_is_not_held)
{
	struct rig *r;
	uint32_t seq = 0;
	uint64_t held;

	fake_now = 5000;
	r = mod_rig(EVQ_RING_INTR_ARMED, DELAY);
	first_signal(r, &seq);
	held = r->p.stats.held;
	/* pending but not armed: not due, not held */
	rig_post_n(r, seq, 2);
	seq += 2;
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	/* armed but empty: not due either */
	rig_drain_expect(r, seq - 2, 2);
	evq_ring_arm(&r->c);
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(r->p.stats.held, held);
	cr_assert_eq(r->signals, 1);
	rig_free(r);
}

ModeTest(moderation, delay_0_never_holds)
{
	struct rig *r;
	uint32_t seq = 0;
	unsigned int k;

	fake_now = 777;
	r = mod_rig(EVQ_RING_INTR_ARMED, 0);
	for (k = 0; k < 20; k++) {
		evq_ring_arm(&r->c);
		rig_post_n(r, seq++, 1);
		cr_assert_eq(r->signals, k + 1, "signal %u held with delay 0", k);
		rig_drain_expect(r, seq - 1, 1);
	}
	cr_assert_eq(r->p.stats.held, 0);
	rig_free(r);
}

ModeTest(moderation, set_moderation_applies_to_the_next_signal)
{
	struct rig *r;
	uint32_t seq = 0;

	fake_now = 100000;
	r = mod_rig(EVQ_RING_INTR_ARMED, 0);
	evq_ring_prod_set_moderation(&r->p, DELAY);
	evq_ring_arm(&r->c);
	rig_post_n(r, seq++, 1);
	if (r->signals == 0) {
		fake_now += DELAY;
		evq_ring_prod_poll(&r->p);
	}
	cr_assert_eq(r->signals, 1);
	rig_drain_expect(r, 0, 1);
	evq_ring_arm(&r->c);
	rig_post_n(r, seq++, 1);
	cr_assert_eq(r->signals, 1, "new delay not applied");
	fake_now += DELAY;
	cr_assert_eq(evq_ring_prod_poll(&r->p), 1);
	rig_free(r);
}

ModeTest(moderation, held_signal_dropped_when_consumer_catches_up)
{
	/* held, then the consumer drains and re-arms at the write count:
	 * nothing is pending any more, so the time passing signals nothing */
	struct rig *r;
	uint32_t seq = 0;
	uint64_t t0;

	fake_now = 1 << 20;
	r = mod_rig(EVQ_RING_INTR_ARMED, DELAY);
	t0 = first_signal(r, &seq);
	evq_ring_arm(&r->c);
	rig_post_n(r, seq++, 1);
	cr_assert_eq(r->signals, 1);
	rig_drain_expect(r, seq - 1, 1);
	evq_ring_arm(&r->c);
	fake_now = t0 + 2 * DELAY;
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(r->signals, 1, "signalled an armed ring with nothing pending");
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_ARMED);
	rig_free(r);
}

/* ---- TIMESTAMP mode (timestamp moderation) ---- */

ModeTest(moderation, timestamp_mode_signals_on_empty_and_unresponsive)
{
	struct rig *r;
	uint64_t t;

	fake_now = t = 10000000;
	r = mod_rig(EVQ_RING_INTR_TIMESTAMP, DELAY);

	/* completion event onto an empty ring: signal, time stamp set */
	rig_post_n(r, 0, 1);
	cr_assert_eq(r->signals, 1, "event onto an empty ring: no signal");
	cr_assert_eq(r->p.next_interrupt_ts, t + DELAY);

	/* not empty, before the time stamp: nothing */
	fake_now = t + 10;
	rig_post_n(r, 1, 2);
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	fake_now = t + DELAY - 1;
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	rig_post_n(r, 3, 1);
	cr_assert_eq(r->signals, 1, "signalled a responsive consumer");

	/* still pending past the time stamp when the next event lands: the
	 * consumer looks unresponsive (the local time is past the
	 * next-interrupt time stamp) */
	fake_now = t + DELAY + 1;
	rig_post_n(r, 4, 1);
	cr_assert_eq(r->signals, 2, "unresponsive consumer not signalled");
	cr_assert_eq(r->p.next_interrupt_ts, t + 2 * DELAY + 1);
	cr_assert_leq(evq_ring_prod_poll(&r->p), 1);
	cr_assert_leq(r->signals, 2, "signalled twice at once");
	/* before the new time stamp: nothing */
	fake_now = t + 2 * DELAY;
	rig_post_n(r, 5, 1);
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(r->signals, 2, "signalled before the new time stamp");
	rig_drain_expect(r, 0, 6);
	evq_ring_cons_publish(&r->c);
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	rig_post_n(r, 6, 1);	/* empty again: signal */
	cr_assert_eq(r->signals, 3);
	rig_drain_expect(r, 6, 1);
	evq_ring_cons_publish(&r->c);

	/* consumer drained and said so: empty, no signal however late */
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(evq_ring_prod_cec(&r->p), 0);
	fake_now += 100 * DELAY;
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(r->signals, 3, "signalled an empty ring");

	/* next completion event lands on an empty ring: signal at once,
	 * even though now is far past the old time stamp or not */
	rig_post_n(r, 7, 1);
	cr_assert_eq(r->signals, 4);
	cr_assert_eq(r->p.next_interrupt_ts, fake_now + DELAY);
	rig_free(r);
}

ModeTest(moderation, timestamp_mode_empty_means_cec_zero_as_learned)
{
	/* consumed but not reported: the producer does not know the ring is
	 * empty, so a post before the time stamp does not signal */
	struct rig *r;
	uint64_t t;

	fake_now = t = 50000;
	r = mod_rig(EVQ_RING_INTR_TIMESTAMP, DELAY);
	rig_post_n(r, 0, 1);
	cr_assert_eq(r->signals, 1);
	rig_drain_expect(r, 0, 1);	/* not published */
	fake_now = t + 5;
	rig_post_n(r, 1, 1);
	cr_assert_eq(r->signals, 1, "cec was 1 as far as the producer knew");
	rig_free(r);
}

ModeTest(moderation, timestamp_mode_with_deferred_eval_signals_from_poll)
{
	/* DEFERRED_EVAL: "the owner calls evq_ring_prod_poll() from its own
	 * loop" - so the poll must apply the TIMESTAMP rule the post skipped */
	struct rig *r = rig_alloc(16, 8, 3);

	fake_now = 1000;
	r->pconf.intr_mode = EVQ_RING_INTR_TIMESTAMP;
	r->pconf.moderation_delay_ns = DELAY;
	r->pconf.flags = EVQ_RING_F_DEFERRED_EVAL;
	rig_start(r);
	rig_post_n(r, 0, 1);
	cr_assert_eq(r->signals, 0, "post evaluated despite DEFERRED_EVAL");
	evq_ring_prod_poll(&r->p);
	evq_ring_prod_poll(&r->p);
	cr_assert_eq(r->signals, 1,
			"event onto an empty ring never signalled in TIMESTAMP "
			"mode with DEFERRED_EVAL (%u signals)", r->signals);
	rig_free(r);
}
