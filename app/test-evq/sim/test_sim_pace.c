/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * Unit tests of the packet pacer shared by evq-rategen and evq-sim's gen,
 * pcap and rategen wires (app/common/evq_pace.h), on a made-up clock:
 * slots due from the start, batching, skipping after a stall, the sleep
 * a sender may take, and no drift over a long run.
 */

#include <criterion/criterion.h>

#include "evq_pace.h"

#define NS 1000000000ull	/* the clock: nanoseconds */
#define US 1000ull

Test(pace, one_slot_at_a_time)
{
	struct evq_pace p;

	evq_pace_init(&p, 1000, NS, 32, 0);
	cr_assert_eq(evq_pace_take(&p, 0), 0, "nothing is due at the start: the first packet is due after 1 / rate");
	cr_assert_eq(evq_pace_take(&p, 999 * US), 0);
	cr_assert_eq(evq_pace_take(&p, 1000 * US), 1);
	evq_pace_consume(&p, 1);
	cr_assert_eq(evq_pace_take(&p, 1500 * US), 0, "a consumed slot is not due again");
	cr_assert_eq(evq_pace_take(&p, 10000 * US), 9, "late by 9 slots: all 9 at once");
	evq_pace_consume(&p, 9);
	cr_assert_eq(p.skipped, 0);
}

Test(pace, burst_caps_a_wake_up)
{
	struct evq_pace p;

	evq_pace_init(&p, 100000, NS, 4, 0);
	cr_assert_eq(evq_pace_take(&p, 100 * US), 4, "10 due, at most a burst");
	evq_pace_consume(&p, 4);
	cr_assert_eq(evq_pace_take(&p, 100 * US), 4);
	evq_pace_consume(&p, 4);
	cr_assert_eq(evq_pace_take(&p, 100 * US), 2);
}

Test(pace, batch_waits_for_a_wake_ups_worth)
{
	struct evq_pace p;

	/* 1 Mpps, 100 us batches, bursts of 64: 64 packets every 64 us */
	evq_pace_init(&p, 1000000, NS, 64, 100 * US);
	cr_assert_eq(p.per_wake, 64);
	cr_assert_eq(evq_pace_take(&p, 63 * US), 0, "63 due: not a batch yet");
	cr_assert_eq(evq_pace_next(&p), 64 * US, "the next wake-up is when 64 are due");
	cr_assert_eq(evq_pace_take(&p, 64 * US), 64);
	evq_pace_consume(&p, 64);
	cr_assert_eq(evq_pace_next(&p), 128 * US);
	/* 1k pps with the same settings: one packet per wake-up */
	evq_pace_init(&p, 1000, NS, 64, 100 * US);
	cr_assert_eq(p.per_wake, 1);
}

Test(pace, a_stalled_sender_skips_instead_of_bursting)
{
	struct evq_pace p;

	/* 1 Mpps, burst 64: later than 200 slots (200 us) is a stall */
	evq_pace_init(&p, 1000000, NS, 64, 0);
	cr_assert_eq(p.max_lag, 200);
	cr_assert_eq(evq_pace_take(&p, 150 * US), 64, "150 late: sent, 64 at a time");
	cr_assert_eq(p.skipped, 0);
	evq_pace_init(&p, 1000000, NS, 64, 0);
	cr_assert_eq(evq_pace_take(&p, 1000 * US), 64, "after a 1 ms stall: one burst");
	cr_assert_eq(p.skipped, 1000 - 64, "the rest of the missed slots are skipped");
	evq_pace_consume(&p, 64);
	cr_assert_eq(p.slots, 1000, "sent + skipped = every slot due");
	cr_assert_eq(evq_pace_take(&p, 1000 * US), 0);
}

Test(pace, unpaced_sends_a_burst_every_call)
{
	struct evq_pace p;

	evq_pace_init(&p, 0, NS, 32, 0);
	cr_assert_eq(evq_pace_take(&p, 0), 32);
	cr_assert_eq(evq_pace_take(&p, 0), 32);
}

Test(pace, sleep_until_just_before_the_next_wake_up)
{
	struct evq_pace p;

	evq_pace_init(&p, 1000, NS, 32, 0);
	cr_assert_eq(evq_pace_take(&p, 1000 * US), 1);
	evq_pace_consume(&p, 1);
	/* next at 2 ms: sleep until 20 us before it */
	cr_assert_eq(evq_pace_sleep_ns(&p, 1000 * US, 50 * US, 20 * US), 980 * US);
	cr_assert_eq(evq_pace_sleep_ns(&p, 1960 * US, 50 * US, 20 * US), 0,
		"40 us away, less than the 50 us worth sleeping for: spin");
	cr_assert_eq(evq_pace_sleep_ns(&p, 1000 * US, 0, 20 * US), 0, "sleep_min 0: spin");
	cr_assert_eq(evq_pace_sleep_ns(&p, 2500 * US, 50 * US, 20 * US), 0, "overdue");
}

Test(pace, no_drift_over_a_second)
{
	struct evq_pace p;
	uint64_t t, sent = 0;

	/* a sender looking every 7 us at 123456 pps for one second */
	evq_pace_init(&p, 123456, NS, 32, 0);
	for (t = 0; t <= NS; t += 7 * US) {
		unsigned int n = evq_pace_take(&p, t);

		evq_pace_consume(&p, n);
		sent += n;
	}
	t -= 7 * US;
	cr_assert_eq(p.skipped, 0);
	cr_assert_eq(sent, t * 123456 / NS, "sent %llu, due %llu", (unsigned long long)sent,
		(unsigned long long)(t * 123456 / NS));
}
