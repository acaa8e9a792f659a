/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * Unit tests: summary bytes. A post sets its ring's byte in a group line and
 * the group's byte in the primary line; evq_summary_take() returns the mask
 * and clears; evq_summary_peek() does not clear; one poller watching 64
 * rings finds exactly the rings with work; evq_summary_take_mask() takes
 * only the bytes it is asked for.
 */

#include "test_ring_common.h"

TestSuite(summary, .init = quiet_log_setup, .fini = tracked_cleanup,
		.timeout = 10);

static struct evq_summary_line primary;
static struct evq_summary_line groups[2];

ModeTest(summary, take_and_peek_on_a_hand_made_line)
{
	struct evq_summary_line line;
	uint64_t want = (1ull << 0) | (1ull << 5) | (1ull << 31) | (1ull << 63);

	memset(&line, 0, sizeof(line));
	cr_assert_eq(evq_summary_peek(&line), 0);
	cr_assert_eq(evq_summary_take(&line), 0);
	line.byte[0] = 1;
	line.byte[5] = 0x80;
	line.byte[31] = 0xff;
	line.byte[63] = 1;
	cr_assert_eq(evq_summary_peek(&line), want, "peek: 0x%016llx",
			(unsigned long long)evq_summary_peek(&line));
	cr_assert_eq(evq_summary_peek(&line), want, "peek cleared the line");
	cr_assert_eq(line.byte[5], 0x80);
	cr_assert_eq(evq_summary_take(&line), want);
	for (unsigned int i = 0; i < EVQ_CACHE_LINE; i++)
		cr_assert_eq(line.byte[i], 0, "take left byte %u set", i);
	cr_assert_eq(evq_summary_take(&line), 0);
	/* every single byte maps to its own bit */
	for (unsigned int i = 0; i < EVQ_CACHE_LINE; i++) {
		line.byte[i] = 1;
		cr_assert_eq(evq_summary_take(&line), 1ull << i, "byte %u", i);
	}
}

Test(summary, take_mask_takes_only_the_wanted_bytes)
{
	struct evq_summary_line line;

	memset(&line, 0, sizeof(line));
	line.byte[1] = 1;
	line.byte[2] = 1;
	line.byte[40] = 1;
	/* a wanted byte that is clear is not reported */
	cr_assert_eq(evq_summary_take_mask(&line, (1ull << 2) | (1ull << 3) | (1ull << 40)),
			(1ull << 2) | (1ull << 40));
	cr_assert_eq(line.byte[1], 1, "a byte outside the mask was cleared");
	cr_assert_eq(line.byte[2], 0);
	cr_assert_eq(line.byte[40], 0);
	cr_assert_eq(evq_summary_take_mask(&line, 0), 0);
	cr_assert_eq(line.byte[1], 1);
	cr_assert_eq(evq_summary_take_mask(&line, UINT64_MAX), 1ull << 1);
	cr_assert_eq(evq_summary_peek(&line), 0);
}

ModeTest(summary, post_sets_ring_byte_and_group_byte)
{
	struct rig *r = rig_alloc(8, 8, 17);

	memset(&primary, 0, sizeof(primary));
	memset(groups, 0, sizeof(groups));
	r->pconf.summary = &groups[1].byte[17];
	r->pconf.group_summary = &primary.byte[1];
	rig_start(r);
	cr_assert_eq(evq_summary_peek(&groups[1]), 0, "define set a byte");
	cr_assert_eq(evq_summary_peek(&primary), 0);
	rig_post_n(r, 0, 1);
	cr_assert_neq(groups[1].byte[17], 0, "ring byte not set by a post");
	cr_assert_neq(primary.byte[1], 0, "group byte not set by a post");
	cr_assert_eq(evq_summary_peek(&groups[1]), 1ull << 17);
	cr_assert_eq(evq_summary_peek(&primary), 1ull << 1);
	cr_assert_eq(evq_summary_peek(&groups[0]), 0);
	/* a burst, and a refused post, do the right thing too */
	cr_assert_eq(evq_summary_take(&primary), 1ull << 1);
	cr_assert_eq(evq_summary_take(&groups[1]), 1ull << 17);
	cr_assert_eq(evq_ring_post(&r->p, 0, 0, NULL), -EINVAL);
	cr_assert_eq(evq_summary_peek(&groups[1]), 0, "refused post set the byte");
	cr_assert_eq(evq_summary_peek(&primary), 0);
	{
		uint8_t burst[8 * 3];

		for (unsigned int k = 0; k < 3; k++)
			entry_fill(burst + k * 8, 8, code_of(1 + k), param_of(1 + k),
					1 + k);
		cr_assert_eq(evq_ring_post_burst(&r->p, burst, 3), 3);
	}
	cr_assert_eq(evq_summary_peek(&groups[1]), 1ull << 17);
	cr_assert_eq(evq_summary_peek(&primary), 1ull << 1);
	rig_free(r);
}

ModeTest(summary, poller_over_64_rings_finds_exactly_the_rings_with_work)
{
	struct rig *rings[64];
	unsigned int i, round;
	uint32_t seq[64] = { 0 };

	memset(&primary, 0, sizeof(primary));
	memset(groups, 0, sizeof(groups));
	for (i = 0; i < 64; i++) {
		rings[i] = rig_alloc(8, 16, (uint16_t)(100 + i));
		rings[i]->pconf.summary = &groups[0].byte[i];
		rings[i]->pconf.group_summary = &primary.byte[0];
		rig_start(rings[i]);
	}
	for (round = 0; round < 50; round++) {
		uint64_t work = rng_next() & rng_next();
		uint64_t g, found;

		if (round == 0)
			work = 0;
		if (round == 1)
			work = ~0ull;
		for (i = 0; i < 64; i++)
			if (work & (1ull << i)) {
				unsigned int n = 1 + (unsigned int)(rng_next() % 4);

				rig_post_n(rings[i], seq[i], n);
				seq[i] += n;
			}
		g = evq_summary_take(&primary);
		cr_assert_eq(g, work ? 1ull : 0ull, "round %u: primary 0x%llx",
				round, (unsigned long long)g);
		found = g ? evq_summary_take(&groups[0]) : 0;
		cr_assert_eq(found, work, "round %u: found 0x%016llx want 0x%016llx",
				round, (unsigned long long)found,
				(unsigned long long)work);
		/* drain what the summary pointed at; every ring is then empty */
		for (i = 0; i < 64; i++) {
			unsigned int n = evq_ring_cons_count(&rings[i]->c, 8);

			if (!(found & (1ull << i))) {
				cr_assert_eq(n, 0, "round %u ring %u has work, not in summary",
						round, i);
				continue;
			}
			cr_assert_gt(n, 0);
			rig_drain_expect(rings[i], seq[i] - n, n);
			rig_make_room(rings[i]);
		}
		cr_assert_eq(evq_summary_peek(&groups[0]), 0);
		cr_assert_eq(evq_summary_peek(&primary), 0);
	}
	for (i = 0; i < 64; i++)
		rig_free(rings[i]);
}
