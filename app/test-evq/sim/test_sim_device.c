/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq-sim device rules (doc/datasheet.rst): the arm race, moderation,
 * overflow -> UNDEFINED + overflow event -> resize/switch (under the clear
 * and the phase validity rules), the phase rule itself (select bit per EQ,
 * phase bits per lap, free space from the published read count, event
 * parameters clear of bit 23, the bit refused without the capability),
 * message-vector routing (RX hash -> RETA -> queue -> EQ -> vector), the
 * INTx fallback, link events, and illegal register writes / doorbells
 * (ignored, counted, reported on EQ 0, never a crash).
 */

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "sim_toeplitz.h"

#include "sim_client.h"

static struct sc_sim sim;
static struct sc_dev dev;
static struct sc_eq eq0;

static void
start(void)
{
	static const char *const args[] = { "--quiet", "--queues", "4", "--eqs", "9",
		"--wire", "loop", NULL };

	cr_assert_eq(sc_sim_start(&sim, 1, args), 0, "evq-sim did not start");
	cr_assert_eq(sc_dev_open(&dev, sim.sock[0], 16 << 20), 0);
	cr_assert_eq(sc_eq_setup(&dev, &eq0, 0, 256, 0), 0);
}

static void
stop(void)
{
	sc_dev_close(&dev);
	cr_expect(sc_sim_alive(&sim), "evq-sim died (see %s)", sim.log);
	cr_expect_eq(sc_sim_stop(&sim), 0);
}

TestSuite(sim_device, .init = start, .fini = stop, .timeout = 60);

static int
post_test(uint16_t eq, uint32_t param)
{
	uint32_t args[6] = { eq, param, 0xa, 0xb, 0xc, 0 };

	return sc_admin(&dev, EVQ_ADMIN_POST_TEST, args, NULL, NULL);
}

/* Drain EQ 0 looking for a device error with code; returns 1 if seen. */
static int
find_error(uint8_t code, struct evq_ev_dev_error *out)
{
	struct evq_event ev;

	while (sc_eq_find(&eq0, EVQ_EV_DEV_ERROR, &ev, 500)) {
		if ((evq_ctrl_param(ev.ctrl) & EVQ_EV_ERROR_CODE_MASK) == code) {
			if (out != NULL)
				memcpy(out, &ev, sizeof(*out));
			return 1;
		}
	}
	return 0;
}

Test(sim_device, arm_race_fires_at_once)
{
	struct evq_event ev;
	struct sc_eq eq1;

	cr_assert_eq(sc_irq_msix(&dev, 9), 0);
	cr_assert_eq(sc_eq_setup(&dev, &eq1, 1, 64, 0), 0);
	/* unarmed: an event, no interrupt */
	cr_assert_eq(post_test(1, 1), 0);
	cr_assert_eq(sc_irq_wait(dev.msix[1], 100), 0, "signal while unarmed");
	/* arm while that event is pending (read count 0): fires at once */
	evq_ring_arm(&eq1.cons);
	cr_assert_gt(sc_irq_wait(dev.msix[1], 2000), 0, "arm with pending events "
		"did not signal");
	cr_assert_eq(sc_r32(&dev, EVQ_REG_EQ(1, EVQ_EQ_STATE)) & EVQ_EQ_STATE_MASK,
		EVQ_EQ_UNARMED, "the signal must disarm");
	cr_assert(sc_eq_next(&eq1, &ev, 100));
	cr_assert_eq(evq_ctrl_code(ev.ctrl), EVQ_EV_TEST);
	/* nothing pending: arming does not signal; the next event does, once */
	evq_ring_arm(&eq1.cons);
	cr_assert_eq(sc_irq_wait(dev.msix[1], 100), 0, "spurious signal");
	cr_assert_eq(post_test(1, 2), 0);
	cr_assert_gt(sc_irq_wait(dev.msix[1], 2000), 0);
	cr_assert_eq(post_test(1, 3), 0);
	cr_assert_eq(sc_irq_wait(dev.msix[1], 100), 0, "second signal for one arm");
	cr_assert_eq(sc_r64(&dev, EVQ_REG_EQ(1, EVQ_EQ_SIGNALS_LO)), 2);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_EQ(1, EVQ_EQ_WRITE_COUNT)), 3);
	/* the other vectors stayed quiet */
	cr_assert_eq(sc_irq_wait(dev.msix[2], 0), 0);
}

Test(sim_device, moderation_holds_signals)
{
	const uint32_t delay_ns = 200 * 1000 * 1000;
	struct evq_event ev;
	struct sc_eq eq1;
	uint64_t t0, dt;

	cr_assert_eq(sc_irq_msix(&dev, 2), 0);
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_EQ(1, EVQ_EQ_INTR_DELAY), delay_ns), 0);
	cr_assert_eq(sc_eq_setup(&dev, &eq1, 1, 64, 0), 0);
	evq_ring_arm(&eq1.cons);
	t0 = sc_ms();
	cr_assert_eq(post_test(1, 1), 0);
	cr_assert_gt(sc_irq_wait(dev.msix[1], 2000), 0, "first signal is immediate");
	cr_assert(sc_eq_next(&eq1, &ev, 100));
	evq_ring_arm(&eq1.cons);
	cr_assert_eq(post_test(1, 2), 0);
	cr_assert_gt(sc_irq_wait(dev.msix[1], 3000), 0, "held signal never fired");
	dt = sc_ms() - t0;
	cr_assert_geq(dt, 150, "second signal after %llu ms, delay is 200",
		(unsigned long long)dt);
	cr_assert_geq(sc_r64(&dev, EVQ_REG_EQ(1, EVQ_EQ_HELD_LO)), 1);
	cr_assert_geq(sc_r64(&dev, EVQ_REG_STAT(EVQ_STAT_MODERATION_HELD)), 1);
}

/* A consumer attached to a live EQ of the given validity rule (flags). */
static void
attach(struct sc_eq *eq, uint16_t num, void *mem, uint32_t size, uint32_t flags,
		uint32_t read_count)
{
	struct evq_ring_cons_conf conf;

	memset(&conf, 0, sizeof(conf));
	conf.base = mem;
	conf.size = size;
	conf.entry_size = 16;
	conf.ring_number = num;
	conf.doorbell = (uint64_t *)(dev.db + EVQ_DBPAGE_EQ(num));
	if (flags & EVQ_EQ_CTRL_PHASE) {
		conf.validity = EVQ_RING_VALIDITY_PHASE;
		conf.read_publish_interval = size / 4;
	}
	cr_assert_eq(evq_ring_cons_attach(&eq->cons, &conf, read_count), 0);
}

static void
overflow_then_recover(uint32_t flags)
{
	struct evq_ev_eq_overflow ov;
	struct evq_event ev;
	struct sc_eq eq1;
	uint32_t args[6] = { 0 }, r0, r1, state;
	void *bigger;
	int i, err;

	cr_assert_eq(sc_eq_setup(&dev, &eq1, 1, 8, flags), 0);
	for (i = 0; i < 8; i++)
		cr_assert_eq(post_test(1, (uint32_t)i), 0);
	err = post_test(1, 8);
	cr_assert_eq(err, EOVERFLOW, "9th post into 8 entries: errno %d", err);
	state = sc_r32(&dev, EVQ_REG_EQ(1, EVQ_EQ_STATE));
	cr_assert_eq(state & EVQ_EQ_STATE_MASK, EVQ_EQ_UNDEFINED);
	cr_assert(state & EVQ_EQ_STATE_OVERFLOWED);
	cr_assert(sc_eq_find(&eq0, EVQ_EV_EQ_OVERFLOW, &ev, 1000), "no overflow event");
	memcpy(&ov, &ev, sizeof(ov));
	cr_assert_eq(evq_ctrl_param(ov.ctrl) & EVQ_EV_OVERFLOW_EQ_MASK, 1);
	cr_assert_eq(ov.write_count, 8);
	/* events for an UNDEFINED EQ are lost and counted */
	cr_assert_eq(post_test(1, 99), ENODEV);

	/* drain the old ring, then recover into a larger one */
	for (i = 0; i < 8; i++)
		cr_assert(sc_eq_next(&eq1, &ev, 100));
	bigger = sc_alloc(&dev, 64 * 16, 64);
	cr_assert_not_null(bigger);
	args[0] = 1;
	args[1] = (uint32_t)sc_iova(bigger);
	args[2] = (uint32_t)(sc_iova(bigger) >> 32);
	args[3] = 64;
	args[4] = 0;
	cr_assert_eq(sc_admin(&dev, EVQ_ADMIN_EQ_SWITCH, args, &r0, &r1), 0);
	cr_assert_eq(r0, 8, "recovery continues at the write count");
	attach(&eq1, 1, bigger, 64, flags, r0);
	state = sc_r32(&dev, EVQ_REG_EQ(1, EVQ_EQ_STATE));
	cr_assert_eq(state, EVQ_EQ_UNARMED, "state 0x%x after recovery", state);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_EQ(1, EVQ_EQ_CTRL)) & EVQ_EQ_CTRL_PHASE,
		flags & EVQ_EQ_CTRL_PHASE, "the validity rule survives the recovery");
	/* more than a lap of the new ring, consumed as it comes */
	for (i = 0; i < 100; i++) {
		cr_assert_eq(post_test(1, 0x77 + (uint32_t)i), 0, "post %d after recovery", i);
		cr_assert(sc_eq_next(&eq1, &ev, 1000), "event %d after recovery", i);
		cr_assert_eq(evq_ctrl_param(ev.ctrl), 0x77 + (uint32_t)i);
	}
	cr_assert_eq(sc_r32(&dev, EVQ_REG_EQ(1, EVQ_EQ_SIZE)), 64);
	cr_assert_geq(sc_r32(&dev, EVQ_REG_EQ(1, EVQ_EQ_LOST)), 1);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_EQ(1, EVQ_EQ_OVERFLOWS)), 1);
}

Test(sim_device, overflow_then_recover_by_switch)
{
	overflow_then_recover(0);
}

Test(sim_device, phase_overflow_then_recover_by_switch)
{
	overflow_then_recover(EVQ_EQ_CTRL_PHASE);
}

static void
live_switch(uint32_t flags)
{
	struct evq_event ev;
	struct sc_eq eq2;
	uint32_t args[6] = { 0 }, r0, r1;
	void *bigger;
	int i;

	cr_assert_eq(sc_eq_setup(&dev, &eq2, 2, 8, flags), 0);
	for (i = 0; i < 3; i++)
		cr_assert_eq(post_test(2, (uint32_t)i), 0);
	cr_assert(sc_eq_next(&eq2, &ev, 100));	/* consumed 1, not reported */
	bigger = sc_alloc(&dev, 128 * 16, 64);
	cr_assert_eq(evq_ring_cons_switch_prepare(&eq2.cons, bigger, 128), 0);
	args[0] = 2;
	args[1] = (uint32_t)sc_iova(bigger);
	args[2] = (uint32_t)(sc_iova(bigger) >> 32);
	args[3] = 128;
	args[4] = 1;		/* advance the read indicator by what we consumed */
	cr_assert_eq(sc_admin(&dev, EVQ_ADMIN_EQ_SWITCH, args, &r0, &r1), 0);
	cr_assert_eq(r0, 3, "marker at write count 3");
	cr_assert_eq(r1, 1, "read count after the advance");
	for (i = 3; i < 40; i++)
		cr_assert_eq(post_test(2, (uint32_t)i), 0, "post %d after the switch", i);
	for (i = 1; i < 40; i++) {
		cr_assert(sc_eq_next(&eq2, &ev, 1000), "event %d missing", i);
		cr_assert_eq(evq_ctrl_param(ev.ctrl), (uint32_t)i);
	}
	/* an advance past the write count is refused */
	args[4] = 1000;
	cr_assert_eq(sc_admin(&dev, EVQ_ADMIN_EQ_SWITCH, args, NULL, NULL), EINVAL);
}

Test(sim_device, live_switch_to_larger_ring)
{
	live_switch(0);
}

Test(sim_device, phase_live_switch_to_larger_ring)
{
	live_switch(EVQ_EQ_CTRL_PHASE);
}

/* The control word of EQ entry i as it is in memory (phase bit included). */
static uint32_t
raw_ctrl(const struct sc_eq *eq, uint32_t i)
{
	return __atomic_load_n((const uint32_t *)((const uint8_t *)eq->mem + 16 * i),
		__ATOMIC_ACQUIRE);
}

/*
 * The select bit is per EQ: EQ 1 on the phase rule, EQ 2 on the clear rule,
 * side by side. On EQ 1 the device writes bit 23 as the lap's parity and
 * the consumer writes nothing; on EQ 2 the consumer clears what it used.
 * Parameters: 23 bits on a phase EQ (ARG1 with bit 23 refused there).
 */
Test(sim_device, phase_bit_per_eq)
{
	struct evq_event ev;
	struct sc_eq eq1, eq2;
	uint32_t lap, k, c;

	cr_assert(sc_r32(&dev, EVQ_REG_CAPS) & EVQ_CAP_PHASE_VALID);
	cr_assert_eq(sc_eq_setup(&dev, &eq1, 1, 8, EVQ_EQ_CTRL_PHASE), 0);
	cr_assert_eq(sc_eq_setup(&dev, &eq2, 2, 8, 0), 0);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_EQ(1, EVQ_EQ_CTRL)),
		EVQ_EQ_CTRL_ENABLE | EVQ_EQ_CTRL_PHASE);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_EQ(2, EVQ_EQ_CTRL)), EVQ_EQ_CTRL_ENABLE);
	for (lap = 0; lap < 4; lap++) {
		for (k = 0; k < 8; k++) {
			cr_assert_eq(post_test(1, lap * 8 + k), 0, "lap %u post %u", lap, k);
			cr_assert_eq(post_test(2, lap * 8 + k), 0);
		}
		for (k = 0; k < 8; k++) {
			c = raw_ctrl(&eq1, k);
			cr_assert_eq(c, evq_ctrl_make(EVQ_EV_TEST, lap * 8 + k) |
				((lap & 1) ? EVQ_CTRL_PHASE : 0),
				"lap %u entry %u: control word 0x%08x", lap, k, c);
			cr_assert_eq(raw_ctrl(&eq2, k), evq_ctrl_make(EVQ_EV_TEST, lap * 8 + k));
		}
		for (k = 0; k < 8; k++) {
			cr_assert(sc_eq_next(&eq1, &ev, 1000), "lap %u event %u", lap, k);
			cr_assert_eq(ev.ctrl, evq_ctrl_make(EVQ_EV_TEST, lap * 8 + k),
				"the consumer returns the word without the phase bit");
			cr_assert(sc_eq_next(&eq2, &ev, 1000));
		}
		cr_assert_eq(sc_eq_next(&eq1, &ev, 0), 0, "an old lap read as an event");
		for (k = 0; k < 8; k++) {
			cr_assert_neq(raw_ctrl(&eq1, k), 0, "the phase consumer wrote an entry");
			cr_assert_eq(raw_ctrl(&eq2, k), 0, "the clear consumer left a code");
		}
	}
	/* bit 23 of the parameter: the phase bit on EQ 1, a parameter bit on EQ 2 */
	cr_assert_eq(post_test(1, 1u << 23), EINVAL);
	cr_assert_eq(post_test(1, EVQ_CTRL_PARAM_MASK_PHASE), 0);
	cr_assert(sc_eq_next(&eq1, &ev, 1000));
	cr_assert_eq(evq_ctrl_param(ev.ctrl), EVQ_CTRL_PARAM_MASK_PHASE);
	cr_assert_eq(post_test(2, 1u << 23), 0);
	cr_assert(sc_eq_next(&eq2, &ev, 1000));
	cr_assert_eq(evq_ctrl_param(ev.ctrl), 1u << 23);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_EQ(1, EVQ_EQ_OVERFLOWS)), 0);
}

/*
 * Phase rule: the device knows of free space only from the read count the
 * consumer publishes. Entries used but not published still occupy the EQ
 * (the clear rule frees an entry as soon as its code is cleared).
 */
Test(sim_device, phase_room_from_read_indicator)
{
	struct evq_ev_eq_overflow ov;
	struct evq_event ev;
	struct sc_eq eq1, eq2;
	unsigned int k;

	/* size 8: publishes every 2 entries */
	cr_assert_eq(sc_eq_setup(&dev, &eq1, 1, 8, EVQ_EQ_CTRL_PHASE), 0);
	cr_assert_eq(sc_eq_setup(&dev, &eq2, 2, 8, 0), 0);
	for (k = 0; k < 8; k++) {
		cr_assert_eq(post_test(1, k), 0);
		cr_assert_eq(post_test(2, k), 0);
	}
	/* one entry used: cleared on EQ 2, not yet published on EQ 1 */
	cr_assert(sc_eq_next(&eq1, &ev, 1000));
	cr_assert(sc_eq_next(&eq2, &ev, 1000));
	cr_assert_eq(post_test(2, 8), 0, "clear rule: the cleared entry is free");
	cr_assert_eq(post_test(1, 8), EOVERFLOW,
		"phase rule: an entry used but not published still occupies the EQ");
	cr_assert(sc_eq_find(&eq0, EVQ_EV_EQ_OVERFLOW, &ev, 1000), "no overflow event");
	memcpy(&ov, &ev, sizeof(ov));
	cr_assert_eq(evq_ctrl_param(ov.ctrl) & EVQ_EV_OVERFLOW_EQ_MASK, 1);
	cr_assert_eq(ov.write_count, 8);
	cr_assert(sc_r32(&dev, EVQ_REG_EQ(1, EVQ_EQ_STATE)) & EVQ_EQ_STATE_OVERFLOWED);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_EQ(1, EVQ_EQ_READ_COUNT)), 0);

	/* a published read count makes room: define EQ 3 and publish as we go */
	{
		struct sc_eq eq3;

		cr_assert_eq(sc_eq_setup(&dev, &eq3, 3, 8, EVQ_EQ_CTRL_PHASE), 0);
		for (k = 0; k < 8; k++)
			cr_assert_eq(post_test(3, k), 0);
		cr_assert(sc_eq_next(&eq3, &ev, 1000));
		cr_assert(sc_eq_next(&eq3, &ev, 1000));	/* read 2: published */
		cr_assert_eq(post_test(3, 8), 0, "room after the publication");
		cr_assert_eq(post_test(3, 9), 0);
		cr_assert_eq(post_test(3, 10), EOVERFLOW, "only 2 entries were published");
		cr_assert_eq(sc_r32(&dev, EVQ_REG_EQ(3, EVQ_EQ_READ_COUNT)), 2);
	}
}

/*
 * Recovery as net_evq does it under the phase rule: after the overflow the
 * driver writes the switch marker at the stop count itself, once its
 * consumer has passed that entry of the last lap (evq_ring_cons_switch_at()),
 * and EQ_SWITCH with EVQ_ADMIN_SWITCH_F_MARKER resumes after it in a larger
 * ring; the consumer drains the old ring, follows the marker, and sees
 * every event in order.
 */
Test(sim_device, phase_recover_after_driver_marker)
{
	uint32_t args[6] = { 0 }, r0, i;
	struct evq_event ev;
	struct sc_eq eq1;
	void *bigger;

	cr_assert_eq(sc_eq_setup(&dev, &eq1, 1, 8, EVQ_EQ_CTRL_PHASE), 0);
	for (i = 0; i < 8; i++)
		cr_assert_eq(post_test(1, i), 0);
	cr_assert_eq(post_test(1, 8), EOVERFLOW);
	bigger = sc_alloc(&dev, 32 * 16, 64);
	cr_assert_not_null(bigger);
	/* the marker's entry (count 8 = count 0 of the last lap) is still unread */
	cr_assert_eq(evq_ring_cons_switch_at(&eq1.cons, 8, bigger, 32), -EAGAIN);
	for (i = 0; i < 3; i++) {
		cr_assert(sc_eq_next(&eq1, &ev, 1000));
		cr_assert_eq(evq_ctrl_param(ev.ctrl), i);
	}
	cr_assert_eq(evq_ring_cons_switch_at(&eq1.cons, 8, bigger, 32), 0);
	args[0] = 1;
	args[1] = (uint32_t)sc_iova(bigger);
	args[2] = (uint32_t)(sc_iova(bigger) >> 32);
	args[3] = 32;
	args[5] = EVQ_ADMIN_SWITCH_F_MARKER;
	cr_assert_eq(sc_admin(&dev, EVQ_ADMIN_EQ_SWITCH, args, &r0, NULL), 0);
	cr_assert_eq(r0, 8);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_EQ(1, EVQ_EQ_WRITE_COUNT)), 9);
	for (i = 0; i < 20; i++)
		cr_assert_eq(post_test(1, 100 + i), 0, "post %u after the recovery", i);
	for (i = 3; i < 8; i++) {
		cr_assert(sc_eq_next(&eq1, &ev, 1000), "old event %u", i);
		cr_assert_eq(evq_ctrl_param(ev.ctrl), i);
	}
	for (i = 0; i < 20; i++) {
		cr_assert(sc_eq_next(&eq1, &ev, 1000), "new event %u", i);
		cr_assert_eq(evq_ctrl_param(ev.ctrl), 100 + i);
	}
	cr_assert_eq(sc_eq_next(&eq1, &ev, 0), 0);
}

/* The validity rule is fixed while the EQ is enabled (RW*). */
Test(sim_device, phase_bit_fixed_while_enabled)
{
	struct evq_ev_dev_error err;
	struct sc_eq eq1;

	cr_assert_eq(sc_eq_setup(&dev, &eq1, 1, 64, EVQ_EQ_CTRL_PHASE), 0);
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_EQ(1, EVQ_EQ_CTRL), EVQ_EQ_CTRL_ENABLE), 0);
	cr_assert(find_error(EVQ_ERR_BAD_STATE, &err));
	cr_assert_eq(err.detail, EVQ_REG_EQ(1, EVQ_EQ_CTRL));
	cr_assert_eq(sc_r32(&dev, EVQ_REG_EQ(1, EVQ_EQ_CTRL)),
		EVQ_EQ_CTRL_ENABLE | EVQ_EQ_CTRL_PHASE);
	/* disabled, it may change */
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_EQ(1, EVQ_EQ_CTRL), 0), 0);
	cr_assert_eq(sc_eq_setup(&dev, &eq1, 1, 64, 0), 0);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_EQ(1, EVQ_EQ_CTRL)), EVQ_EQ_CTRL_ENABLE);
}

/*
 * Every event's parameter leaves bit 23 free: the admin completion of an
 * unknown opcode 0x85 carries its low 7 bits, so it can be posted to an
 * EQ 0 on the phase rule (bit 23 is refused there).
 */
Test(sim_device, phase_eq0_admin_events)
{
	struct evq_ev_admin *ad;
	struct evq_event ev;
	uint32_t last_ctrl = 0;

	cr_assert_eq(sc_wr32(&dev, EVQ_REG_EQ(0, EVQ_EQ_CTRL), 0), 0);
	cr_assert_eq(sc_eq_setup(&dev, &eq0, 0, 256, EVQ_EQ_CTRL_PHASE), 0);
	cr_assert_eq(sc_admin(&dev, 0x85, NULL, NULL, NULL), EOPNOTSUPP);
	while (sc_eq_find(&eq0, EVQ_EV_ADMIN, &ev, 200)) {
		ad = (struct evq_ev_admin *)&ev;
		last_ctrl = ad->ctrl;
		cr_assert_eq(ad->errno_val, EOPNOTSUPP);
	}
	cr_assert_neq(last_ctrl, 0, "no admin completion on a phase EQ 0");
	cr_assert_eq((evq_ctrl_param(last_ctrl) & EVQ_EV_ADMIN_OPCODE_MASK) >>
		EVQ_EV_ADMIN_OPCODE_SHIFT, 0x05);
	cr_assert_eq(sc_admin(&dev, EVQ_ADMIN_NOP, NULL, NULL, NULL), 0);
	cr_assert(sc_eq_find(&eq0, EVQ_EV_ADMIN, &ev, 1000));
	cr_assert_eq((evq_ctrl_param(ev.ctrl) & EVQ_EV_ADMIN_OPCODE_MASK) >>
		EVQ_EV_ADMIN_OPCODE_SHIFT, EVQ_ADMIN_NOP);
}

/* An adapter without the capability (evq-sim --no-phase) refuses the bit. */
Test(sim_no_phase, phase_refused_without_capability, .timeout = 60)
{
	static const char *const args[] = { "--quiet", "--eqs", "4", "--no-phase", NULL };
	struct evq_ev_dev_error err;
	struct sc_eq eq1;
	char log[8192];
	ssize_t n;
	int fd;

	cr_assert_eq(sc_sim_start(&sim, 1, args), 0, "evq-sim did not start");
	sim.keep_files = true;	/* its log is read after it stopped */
	cr_assert_eq(sc_dev_open(&dev, sim.sock[0], 4 << 20), 0);
	cr_assert_eq(sc_eq_setup(&dev, &eq0, 0, 256, 0), 0);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_CAPS) & EVQ_CAP_PHASE_VALID, 0);
	cr_assert(sc_r32(&dev, EVQ_REG_CAPS) & EVQ_CAP_EQ_SWITCH, "only the one bit goes");
	cr_assert_eq(sc_eq_setup(&dev, &eq1, 1, 64, EVQ_EQ_CTRL_PHASE), -EINVAL,
		"a phase EQ was defined on an adapter without the capability");
	cr_assert_eq(sc_r32(&dev, EVQ_REG_EQ(1, EVQ_EQ_CTRL)), 0);
	cr_assert(find_error(EVQ_ERR_BAD_VALUE, &err));
	cr_assert_eq(err.detail, EVQ_REG_EQ(1, EVQ_EQ_CTRL));
	cr_assert_eq(err.value_lo, EVQ_EQ_CTRL_ENABLE | EVQ_EQ_CTRL_PHASE);
	/* the clear rule still works */
	cr_assert_eq(sc_eq_setup(&dev, &eq1, 1, 64, 0), 0);
	cr_assert_eq(post_test(1, 5), 0);
	sc_dev_close(&dev);
	cr_assert_eq(sc_sim_stop(&sim), 0);
	/* and says why in its log */
	fd = open(sim.log, O_RDONLY);
	cr_assert_geq(fd, 0, "no log %s", sim.log);
	n = read(fd, log, sizeof(log) - 1);
	close(fd);
	cr_assert_gt(n, 0);
	log[n] = '\0';
	cr_assert_not_null(strstr(log, "EVQ_EQ_CTRL_PHASE refused"), "log: %s", log);
	sc_sim_cleanup(&sim);
}

Test(sim_device, eq0_overflow_sets_status)
{
	struct sc_dev *d = &dev;
	int i;

	cr_assert_eq(sc_irq_msix(d, 1), 0);
	/* EQ 0 has 256 entries; fill it with admin completions and tests */
	for (i = 0; i < 200; i++)
		post_test(0, 1);
	cr_assert(sc_r32(d, EVQ_REG_DEV_STATUS) & EVQ_DEV_STATUS_EQ0_OVERFLOW);
	cr_assert_gt(sc_irq_wait(d->msix[0], 1000), 0, "EQ 0 overflow must signal");
	cr_assert_eq(sc_r32(d, EVQ_REG_EQ(0, EVQ_EQ_STATE)) & EVQ_EQ_STATE_MASK,
		EVQ_EQ_UNDEFINED);
	/* re-define EQ 0: the bit clears */
	cr_assert_eq(sc_wr32(d, EVQ_REG_EQ(0, EVQ_EQ_CTRL), 0), 0);
	cr_assert_eq(sc_eq_setup(d, &eq0, 0, 256, 0), 0);
	cr_assert_eq(sc_r32(d, EVQ_REG_DEV_STATUS) & EVQ_DEV_STATUS_EQ0_OVERFLOW, 0);
}

Test(sim_device, illegal_writes_are_reported)
{
	struct evq_ev_dev_error err;
	uint32_t v = 0x1234;

	/* read-only register */
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_ID, 1), 0);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_ID), EVQ_ID_VALUE);
	cr_assert(find_error(EVQ_ERR_READ_ONLY, &err));
	cr_assert_eq(err.detail, EVQ_REG_ID);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_LAST_ERROR), EVQ_ERR_READ_ONLY);
	/* out-of-range value */
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_MTU, 10), 0);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_MTU), EVQ_MTU_DEFAULT);
	cr_assert(find_error(EVQ_ERR_BAD_VALUE, NULL));
	/* a hole, and a misaligned access */
	cr_assert_eq(sc_wr32(&dev, 0x07c, 1), 0);
	cr_assert(find_error(EVQ_ERR_BAD_ACCESS, NULL));
	cr_assert_eq(evq_vfu_client_region_write(&dev.conn, 0, 0x79, &v, 2), 0);
	/* RW* while enabled */
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_EQ(0, EVQ_EQ_SIZE), 512), 0);
	cr_assert(find_error(EVQ_ERR_BAD_STATE, NULL));
	cr_assert_eq(sc_r32(&dev, EVQ_REG_EQ(0, EVQ_EQ_SIZE)), 256);
	/* enabling a queue whose ring is outside every mapping */
	cr_assert_eq(sc_wr64(&dev, EVQ_REG_RXQ(0, EVQ_RXQ_BASE_LO), 0x40), 0);
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_RXQ(0, EVQ_RXQ_SIZE), 64), 0);
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_RXQ(0, EVQ_RXQ_CTRL), EVQ_RXQ_CTRL_ENABLE), 0);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_RXQ(0, EVQ_RXQ_STATUS)) & EVQ_QSTATUS_ENABLED, 0);
	cr_assert(find_error(EVQ_ERR_BAD_STATE, NULL));
	/* MVM: bad EQ number, then a conflicting binding */
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_MVM(EVQ_EVCLASS_RX, 0), evq_mvm_entry(40, 1, 0)), 0);
	cr_assert(find_error(EVQ_ERR_BAD_VALUE, NULL));
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_MVM(EVQ_EVCLASS_RX, 0), evq_mvm_entry(1, 1, 0)), 0);
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_MVM(EVQ_EVCLASS_TX, 0), evq_mvm_entry(1, 2, 0)), 0);
	cr_assert(find_error(EVQ_ERR_MVM_CONFLICT, NULL));
	cr_assert_eq(sc_r32(&dev, EVQ_REG_MVM(EVQ_EVCLASS_TX, 0)), 0);
	/* malformed doorbells: reserved bits, wrong EQ number */
	__atomic_store_n((uint64_t *)(dev.db + EVQ_DBPAGE_EQ(0)),
		EVQ_DB_VALID | (1ull << 50), __ATOMIC_RELEASE);
	cr_assert(find_error(EVQ_ERR_DOORBELL, &err));
	cr_assert_eq(err.detail, EVQ_ERR_OBJ(EVQ_OBJ_EQ, 0));
	__atomic_store_n((uint64_t *)(dev.db + EVQ_DBPAGE_EQ(0)),
		EVQ_DB_VALID | (5ull << 32), __ATOMIC_RELEASE);
	cr_assert(find_error(EVQ_ERR_DOORBELL, NULL));
	evq_ring_cons_publish(&eq0.cons);	/* a good word again */
	cr_assert_geq(sc_r64(&dev, EVQ_REG_STAT(EVQ_STAT_ILLEGAL_ACCESSES)), 7);
	cr_assert_geq(sc_r64(&dev, EVQ_REG_STAT(EVQ_STAT_BAD_DOORBELLS)), 2);
	/* an unknown admin opcode is an errno, not a device error */
	cr_assert_eq(sc_admin(&dev, 0x77, NULL, NULL, NULL), EOPNOTSUPP);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_ID), EVQ_ID_VALUE);
}

Test(sim_device, bad_tail_is_ignored)
{
	struct sc_rxq rxq;
	struct evq_ev_dev_error err;

	cr_assert_eq(sc_rxq_setup(&dev, &rxq, 0, 64, 2048, 0), 0);
	__atomic_store_n((uint32_t *)rxq.tail_db, 1000, __ATOMIC_RELEASE);
	cr_assert(find_error(EVQ_ERR_TAIL, &err));
	cr_assert_eq(err.detail, EVQ_ERR_OBJ(EVQ_OBJ_RXQ, 0));
	cr_assert_eq(err.value_lo, 1000);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_RXQ(0, EVQ_RXQ_TAIL)), 0);
	__atomic_store_n((uint32_t *)rxq.tail_db, 64, __ATOMIC_RELEASE);
	/* a good tail is accepted (the engine applies it when it next looks) */
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_DEV_CTRL, EVQ_DEV_CTRL_ENABLE), 0);
}

Test(sim_device, link_events)
{
	uint32_t args[6] = { 0 };
	struct evq_event ev;
	struct evq_ev_link *l = (struct evq_ev_link *)&ev;

	cr_assert(sc_r32(&dev, EVQ_REG_LINK_STATUS) & EVQ_LINK_UP);
	args[0] = 0;
	cr_assert_eq(sc_admin(&dev, EVQ_ADMIN_SET_LINK, args, NULL, NULL), 0);
	cr_assert(sc_eq_find(&eq0, EVQ_EV_LINK, &ev, 1000));
	cr_assert_eq(evq_ctrl_param(l->ctrl) & EVQ_LINK_UP, 0);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_LINK_STATUS) & EVQ_LINK_UP, 0);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_LINK_SPEED), 0);
	args[0] = 1;
	args[1] = 25000;
	cr_assert_eq(sc_admin(&dev, EVQ_ADMIN_SET_LINK, args, NULL, NULL), 0);
	cr_assert(sc_eq_find(&eq0, EVQ_EV_LINK, &ev, 1000));
	cr_assert(evq_ctrl_param(l->ctrl) & EVQ_LINK_UP);
	cr_assert_eq(l->speed_mbps, 25000);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_LINK_SPEED), 25000);
	args[0] = 2;
	cr_assert_eq(sc_admin(&dev, EVQ_ADMIN_SET_LINK, args, NULL, NULL), EINVAL);
}

Test(sim_device, intx_fallback)
{
	struct sc_eq eq1;

	/* no MSI-X: every EQ signals INTx */
	cr_assert_eq(sc_irq_intx(&dev), 0);
	cr_assert_eq(sc_eq_setup(&dev, &eq1, 1, 64, 0), 0);
	evq_ring_arm(&eq1.cons);
	cr_assert_eq(post_test(1, 1), 0);
	cr_assert_gt(sc_irq_wait(dev.intx, 2000), 0, "INTx not signalled");
	cr_assert(sc_r32(&dev, EVQ_REG_INTX_STATUS) & (1u << 1));
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_INTX_STATUS, 1u << 1), 0);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_INTX_STATUS) & (1u << 1), 0, "W1C");
	cr_assert(sc_r32(&dev, EVQ_REG_EQ(1, EVQ_EQ_IRQ)) & EVQ_EQ_IRQ_LEGACY);

	/* MSI-X with 2 vectors: EQ 1 on vector 1, EQ 2 marked legacy -> INTx */
	struct sc_eq eq2;
	struct evq_event ev;

	cr_assert_eq(sc_irq_msix(&dev, 2), 0);
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_MVM(EVQ_EVCLASS_RX, 0), evq_mvm_entry(1, 1, 0)), 0);
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_MVM(EVQ_EVCLASS_RX, 1), evq_mvm_entry(2, 0, 1)), 0);
	cr_assert_eq(sc_eq_setup(&dev, &eq2, 2, 64, 0), 0);
	while (sc_eq_next(&eq1, &ev, 0))
		;
	evq_ring_arm(&eq1.cons);
	evq_ring_arm(&eq2.cons);
	cr_assert_eq(post_test(2, 2), 0);
	cr_assert_gt(sc_irq_wait(dev.intx, 2000), 0, "legacy-bound EQ 2 not on INTx");
	cr_assert_eq(sc_irq_wait(dev.msix[1], 50), 0);
	cr_assert_eq(post_test(1, 3), 0);
	cr_assert_gt(sc_irq_wait(dev.msix[1], 2000), 0, "EQ 1 not on vector 1");
	cr_assert_eq(sc_irq_wait(dev.intx, 50), 0);
}

Test(sim_device, masked_vector_pends_then_fires)
{
	struct sc_eq eq1;
	uint32_t ctrl = EVQ_MSIX_ENTRY_CTRL_MASKED, pba, zero = 0;

	cr_assert_eq(sc_irq_msix(&dev, 2), 0);
	cr_assert_eq(sc_eq_setup(&dev, &eq1, 1, 64, 0), 0);
	cr_assert_eq(evq_vfu_client_region_write(&dev.conn, 4,
		EVQ_MSIX_TABLE_OFFSET + 16 + EVQ_MSIX_ENTRY_CTRL, &ctrl, 4), 0);
	evq_ring_arm(&eq1.cons);
	cr_assert_eq(post_test(1, 1), 0);
	cr_assert_eq(sc_irq_wait(dev.msix[1], 100), 0, "masked vector fired");
	cr_assert_eq(evq_vfu_client_region_read(&dev.conn, 4, EVQ_MSIX_PBA_OFFSET, &pba, 4), 0);
	cr_assert(pba & 2, "pending bit not set");
	cr_assert_eq(evq_vfu_client_region_write(&dev.conn, 4,
		EVQ_MSIX_TABLE_OFFSET + 16 + EVQ_MSIX_ENTRY_CTRL, &zero, 4), 0);
	cr_assert_gt(sc_irq_wait(dev.msix[1], 2000), 0, "unmask did not deliver");
	cr_assert_eq(evq_vfu_client_region_read(&dev.conn, 4, EVQ_MSIX_PBA_OFFSET, &pba, 4), 0);
	cr_assert_eq(pba & 2, 0);
}

/* RX hash -> RETA -> queue -> MVM -> EQ -> vector, on the loop wire. */
Test(sim_device, message_vector_routing)
{
	static const uint8_t key[EVQ_RSS_KEY_SIZE] = {
		0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d,
		0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
		0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b,
		0xbe, 0xac, 0x01, 0xfa };
	static struct evq_toeplitz tz;
	struct sc_eq eqs[5];
	struct sc_rxq rxq[4];
	struct sc_txq txq;
	uint8_t reta[EVQ_RETA_SIZE], mac[6], frame[128];
	uint32_t got[4] = { 0 }, want[4] = { 0 };
	unsigned int q, i, f;
	const unsigned int nframes = 64;

	evq_toeplitz_init(&tz, key);
	cr_assert_eq(sc_irq_msix(&dev, 5), 0);
	for (q = 0; q < 4; q++) {
		cr_assert_eq(sc_eq_setup(&dev, &eqs[1 + q], (uint16_t)(1 + q), 256, 0), 0);
		cr_assert_eq(sc_wr32(&dev, EVQ_REG_MVM(EVQ_EVCLASS_RX, q),
			evq_mvm_entry((uint16_t)(1 + q), (uint16_t)(1 + q), 0)), 0);
		cr_assert_eq(sc_rxq_setup(&dev, &rxq[q], (uint16_t)q, 128, 2048, 128), 0);
	}
	/* TX completions of queue 0 on EQ 0 (MVM invalid = EQ 0) */
	cr_assert_eq(sc_txq_setup(&dev, &txq, 0, 256), 0);
	for (i = 0; i < EVQ_RETA_SIZE; i++)
		reta[i] = (uint8_t)((i * 7 + 3) % 4);
	cr_assert_eq(evq_vfu_client_region_write(&dev.conn, 0, EVQ_REG_RETA(0), reta,
		sizeof(reta)), 0);
	cr_assert_eq(evq_vfu_client_region_write(&dev.conn, 0, EVQ_REG_RSS_KEY(0), key,
		sizeof(key)), 0);
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_RSS_CTRL, EVQ_RSS_HASH_IPV4 |
		EVQ_RSS_HASH_IPV4_UDP), 0);
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_DEV_CTRL, EVQ_DEV_CTRL_ENABLE), 0);
	for (q = 0; q < 4; q++)
		evq_ring_arm(&eqs[1 + q].cons);
	{
		uint32_t lo = sc_r32(&dev, EVQ_REG_MAC_LO), hi = sc_r32(&dev, EVQ_REG_MAC_HI);

		memcpy(mac, &lo, 4);
		memcpy(mac + 4, &hi, 2);
	}
	for (f = 0; f < nframes; f++) {
		uint8_t in[12];
		uint32_t src = 0x0a000001 + f * 77, dst = 0x0a0000fe, h;
		uint16_t sp = (uint16_t)(1000 + f), dp = 53;

		sc_frame_udp4(frame, 64, mac, src, dst, sp, dp);
		evq_rss_input_ipv4_l4(in, frame + 26, frame + 30, sp, dp);
		h = evq_toeplitz_hash(&tz, in, 12);
		want[reta[h & (EVQ_RETA_SIZE - 1)]]++;
		sc_txq_put(&txq, frame, 64, EVQ_TX_DESC_F_EOP);
	}
	sc_txq_ring(&txq);
	for (q = 0; q < 4; q++) {
		struct evq_event ev;

		if (want[q] != 0)
			cr_assert_gt(sc_irq_wait(dev.msix[1 + q], 2000), 0,
				"vector %u not signalled", 1 + q);
		while (sc_eq_next(&eqs[1 + q], &ev, got[q] < want[q] ? 1000 : 50)) {
			struct evq_ev_rx *rx = (struct evq_ev_rx *)&ev;

			cr_assert_eq(evq_ctrl_code(ev.ctrl), EVQ_EV_RX);
			cr_assert_eq((evq_ctrl_param(ev.ctrl) & EVQ_EV_RX_QUEUE_MASK) >>
				EVQ_EV_RX_QUEUE_SHIFT, q, "event of another queue on EQ %u", 1 + q);
			cr_assert(rx->flags & EVQ_RX_F_RSS);
			cr_assert_eq(reta[rx->rss_hash & (EVQ_RETA_SIZE - 1)], q,
				"hash 0x%08x routed to queue %u", rx->rss_hash, q);
			cr_assert_eq(rx->ptype, EVQ_PTYPE_IPV4_UDP);
			got[q]++;
		}
		cr_assert_eq(got[q], want[q], "queue %u got %u frames, expected %u", q,
			got[q], want[q]);
	}
	for (q = 0, i = 0; q < 4; q++)
		i += want[q] != 0;
	cr_assert_geq(i, 2, "the flows should spread over queues");
}

Test(sim_device, summary_bytes_and_write_indicator)
{
	struct evq_summary_line *prim, *sec;
	uint32_t *wi;
	struct sc_eq eq3;
	uint64_t mask;
	int i;

	prim = sc_alloc(&dev, 64, 64);
	sec = sc_alloc(&dev, 64, 64);
	wi = sc_alloc(&dev, EVQ_WI_AREA_SIZE, 64);
	cr_assert_eq(sc_wr64(&dev, EVQ_REG_SUMMARY_PRIMARY_LO, sc_iova(prim)), 0);
	cr_assert_eq(sc_wr64(&dev, EVQ_REG_SUMMARY_SECONDARY_LO, sc_iova(sec)), 0);
	cr_assert_eq(sc_wr64(&dev, EVQ_REG_WI_BASE_LO, sc_iova(wi)), 0);
	/* PSUM without SSUM is a bad value */
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_EQ(3, EVQ_EQ_CTRL), EVQ_EQ_CTRL_PSUM), 0);
	cr_assert(find_error(EVQ_ERR_BAD_VALUE, NULL));
	cr_assert_eq(sc_eq_setup(&dev, &eq3, 3, 64, EVQ_EQ_CTRL_SSUM | EVQ_EQ_CTRL_PSUM |
		EVQ_EQ_CTRL_WI_WB), 0);
	cr_assert_eq(evq_summary_peek(sec), 0);
	for (i = 0; i < 5; i++)
		cr_assert_eq(post_test(3, (uint32_t)i), 0);
	mask = evq_summary_take(prim);
	cr_assert_eq(mask, 1, "primary byte of group 0: mask 0x%llx",
		(unsigned long long)mask);
	mask = evq_summary_take(sec);
	cr_assert_eq(mask, 1ull << 3, "secondary byte of EQ 3: mask 0x%llx",
		(unsigned long long)mask);
	/* the write indicator is written back at the end of each batch */
	for (i = 0; i < 100 && __atomic_load_n(&wi[3], __ATOMIC_ACQUIRE) != 5; i++)
		usleep(1000);
	cr_assert_eq(__atomic_load_n(&wi[3], __ATOMIC_ACQUIRE), 5);
	cr_assert_eq(post_test(3, 9), 0);
	cr_assert_eq(evq_summary_take(sec), 1ull << 3, "set again by the next post");
	/* flags may change while enabled */
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_EQ(3, EVQ_EQ_CTRL), EVQ_EQ_CTRL_ENABLE), 0);
	cr_assert_eq(post_test(3, 10), 0);
	cr_assert_eq(evq_summary_peek(sec), 0, "SSUM off: byte untouched");
	cr_assert_eq(sc_r32(&dev, EVQ_REG_EQ(3, EVQ_EQ_WRITE_COUNT)), 7);
}

Test(sim_device, timestamp_mode)
{
	struct evq_event ev;
	struct sc_eq eq1;

	cr_assert_eq(sc_irq_msix(&dev, 2), 0);
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_EQ(1, EVQ_EQ_INTR_DELAY), 300u * 1000 * 1000), 0);
	cr_assert_eq(sc_eq_setup(&dev, &eq1, 1, 64, EVQ_EQ_CTRL_MODE_TIMESTAMP), 0);
	/* no arming: an event on an empty EQ signals */
	cr_assert_eq(post_test(1, 1), 0);
	cr_assert_gt(sc_irq_wait(dev.msix[1], 2000), 0, "first event must signal");
	/* not empty, within the delay: no signal */
	cr_assert_eq(post_test(1, 2), 0);
	cr_assert_eq(sc_irq_wait(dev.msix[1], 100), 0, "signal within the delay");
	/* consumed and reported (CEC 0): the next event signals again */
	while (sc_eq_next(&eq1, &ev, 0))
		;
	evq_ring_cons_publish(&eq1.cons);
	/* the device takes the read indicator at its next pass over the EQ */
	{
		uint64_t deadline = sc_ms() + 2000;

		while (sc_r32(&dev, EVQ_REG_EQ(1, EVQ_EQ_CEC)) != 0 && sc_ms() < deadline)
			;
	}
	cr_assert_eq(sc_r32(&dev, EVQ_REG_EQ(1, EVQ_EQ_CEC)), 0,
		"the device did not take the read indicator");
	cr_assert_eq(post_test(1, 3), 0);
	cr_assert_gt(sc_irq_wait(dev.msix[1], 2000), 0, "event on an empty EQ");
}

Test(sim_device, conventional_baseline)
{
	struct sc_eq eq1;
	uint32_t cause;

	cr_assert_eq(sc_irq_msix(&dev, 2), 0);
	cr_assert_eq(sc_eq_setup(&dev, &eq1, 1, 64, 0), 0);
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_DEV_CTRL, EVQ_DEV_CTRL_CONV_IRQ), 0);
	cr_assert(sc_r32(&dev, EVQ_REG_DEV_STATUS) & EVQ_DEV_STATUS_CONV_IRQ);
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_CONV_MASK, 0), 0);
	evq_ring_arm(&eq1.cons);	/* no effect in this mode */
	cr_assert_eq(post_test(1, 1), 0);
	/* the admin completion is a cause: vector 0 fires */
	cr_assert_gt(sc_irq_wait(dev.msix[0], 2000), 0, "conventional interrupt");
	cr_assert_eq(sc_irq_wait(dev.msix[1], 50), 0, "EQs do not signal");
	cause = sc_r32(&dev, EVQ_REG_CONV_CAUSE);
	cr_assert(cause & EVQ_CONV_CAUSE_ADMIN, "cause 0x%x", cause);
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_CONV_MASK, EVQ_CONV_CAUSE_VALID_MASK), 0);
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_CONV_ACK, cause), 0);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_CONV_CAUSE) & cause, 0);
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_CONV_MASK, 0), 0);
	cr_assert_geq(sc_r64(&dev, EVQ_REG_STAT(EVQ_STAT_CONV_SIGNALS)), 1);
}
