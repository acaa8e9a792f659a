/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * Unit tests: control-word and doorbell-word encodings, and the byte layout
 * of an entry in memory (little-endian control word: byte 3 = code).
 */

#include "test_ring_common.h"

TestSuite(codec, .init = quiet_log_setup, .fini = tracked_cleanup,
		.timeout = 10);

Test(codec, ctrl_word_layout)
{
	cr_assert_eq(evq_ctrl_make(0xab, 0x123456), 0xab123456u);
	cr_assert_eq(evq_ctrl_make(0x01, 0), 0x01000000u);
	cr_assert_eq(evq_ctrl_make(0xfe, 0xffffff), 0xfeffffffu);
	/* the parameter is 24 bits: higher bits must not leak into the code */
	cr_assert_eq(evq_ctrl_make(0x12, 0xff345678u), 0x12345678u);
	cr_assert_eq(evq_ctrl_code(0xab123456u), 0xab);
	cr_assert_eq(evq_ctrl_param(0xab123456u), 0x123456u);
}

Test(codec, ctrl_word_round_trip_random)
{
	unsigned int i;

	for (i = 0; i < 100000; i++) {
		uint64_t x = rng_next();
		uint8_t code = (uint8_t)x;
		uint32_t param = (uint32_t)(x >> 8) & EVQ_CTRL_PARAM_MASK;
		uint32_t w = evq_ctrl_make(code, param);

		cr_assert_eq(evq_ctrl_code(w), code);
		cr_assert_eq(evq_ctrl_param(w), param);
		cr_assert_eq(evq_ctrl_make(evq_ctrl_code((uint32_t)x),
				evq_ctrl_param((uint32_t)x)), (uint32_t)x);
	}
}

Test(codec, doorbell_field_positions)
{
	struct evq_doorbell db = { 0 };

	cr_assert_eq(evq_doorbell_encode(&db), 0);
	db.armed = true;
	cr_assert_eq(evq_doorbell_encode(&db), 1ull << 63);
	db.armed = false;
	db.valid = true;
	cr_assert_eq(evq_doorbell_encode(&db), 1ull << 62);
	db.valid = false;
	db.ring = 0xffff;
	cr_assert_eq(evq_doorbell_encode(&db), 0xffffull << 32);
	db.ring = 0;
	db.read_indicator = 0xffffffffu;
	cr_assert_eq(evq_doorbell_encode(&db), 0xffffffffull);
	db = (struct evq_doorbell){ .armed = true, .valid = true,
		.ring = 0x1234, .read_indicator = 0x89abcdefu };
	cr_assert_eq(evq_doorbell_encode(&db), 0xc000123489abcdefull);
	cr_assert_eq(EVQ_DB_RESERVED_MASK, 0x3fffull << 48);
	cr_assert_eq(EVQ_DB_RESERVED_MASK & (EVQ_DB_ARMED | EVQ_DB_VALID |
			EVQ_DB_NUMBER_MASK | EVQ_DB_READ_MASK), 0);
}

Test(codec, doorbell_round_trip_random_words)
{
	unsigned int i;

	for (i = 0; i < 100000; i++) {
		uint64_t w = rng_next() & ~EVQ_DB_RESERVED_MASK;
		struct evq_doorbell db;
		int rc;

		memset(&db, 0xee, sizeof(db));
		rc = evq_doorbell_decode(w, &db);
		cr_assert_eq(rc, 0, "decode(0x%016llx): %d",
				(unsigned long long)w, rc);
		cr_assert_eq(evq_doorbell_encode(&db), w,
				"0x%016llx does not survive decode/encode",
				(unsigned long long)w);
		cr_assert_eq(db.armed, (w >> 63) & 1);
		cr_assert_eq(db.valid, (w >> 62) & 1);
		cr_assert_eq(db.ring, (uint16_t)(w >> 32));
		cr_assert_eq(db.read_indicator, (uint32_t)w);
	}
}

Test(codec, doorbell_round_trip_random_structs)
{
	unsigned int i;

	for (i = 0; i < 100000; i++) {
		uint64_t x = rng_next();
		struct evq_doorbell in = {
			.armed = x & 1, .valid = (x >> 1) & 1,
			.ring = (uint16_t)(x >> 2),
			.read_indicator = (uint32_t)(x >> 18) ^ (uint32_t)x,
		};
		struct evq_doorbell out;

		cr_assert_eq(evq_doorbell_decode(evq_doorbell_encode(&in), &out), 0);
		cr_assert_eq(out.armed, in.armed);
		cr_assert_eq(out.valid, in.valid);
		cr_assert_eq(out.ring, in.ring);
		cr_assert_eq(out.read_indicator, in.read_indicator);
	}
}

Test(codec, doorbell_reserved_bits_are_einval_and_change_nothing)
{
	unsigned int bit, i;

	for (bit = 48; bit <= 61; bit++) {
		uint64_t w = db_word(true, true, 7, 100) | (1ull << bit);
		struct evq_doorbell db, snap;

		memset(&db, 0x3c, sizeof(db));
		memcpy(&snap, &db, sizeof(db));
		cr_assert_eq(evq_doorbell_decode(w, &db), -EINVAL,
				"reserved bit %u accepted", bit);
		cr_assert_arr_eq(&db, &snap, sizeof(db),
				"decode wrote the output for reserved bit %u", bit);
	}
	for (i = 0; i < 10000; i++) {
		uint64_t w = rng_next();
		struct evq_doorbell db;

		if ((w & EVQ_DB_RESERVED_MASK) == 0)
			continue;
		cr_assert_eq(evq_doorbell_decode(w, &db), -EINVAL);
	}
}

Test(codec, entry_memory_layout_is_little_endian_code_in_byte3)
{
	static const uint32_t es_ok[] = { 4, 8, 16, 32, 64 };
	unsigned int i;

	for (i = 0; i < 5; i++) {
		struct rig *r = rig_new(8, es_ok[i], 1);
		uint8_t payload[60];
		uint32_t k;

		for (k = 0; k < sizeof(payload); k++)
			payload[k] = (uint8_t)(0x40 + k);
		cr_assert_eq(evq_ring_post(&r->p, 0xc3, 0x0a0b0c, payload), 1);
		cr_assert_eq(r->mem[3], 0xc3, "es %u: byte 3 is not the code",
				es_ok[i]);
		cr_assert_eq(r->mem[2], 0x0a, "es %u: param byte 2", es_ok[i]);
		cr_assert_eq(r->mem[1], 0x0b, "es %u: param byte 1", es_ok[i]);
		cr_assert_eq(r->mem[0], 0x0c, "es %u: param byte 0", es_ok[i]);
		if (es_ok[i] > 4)
			cr_assert_arr_eq(r->mem + 4, payload, es_ok[i] - 4,
					"es %u: payload bytes", es_ok[i]);
		/* the next entry is untouched (still cleared) */
		cr_assert_eq(ctrl_at(r->mem, 8, es_ok[i], 1), 0,
				"es %u: next entry touched", es_ok[i]);
		rig_free(r);
	}
}

Test(codec, state_names_are_distinct)
{
	const char *u = evq_ring_state_name(EVQ_RING_UNDEFINED);
	const char *n = evq_ring_state_name(EVQ_RING_UNARMED);
	const char *a = evq_ring_state_name(EVQ_RING_ARMED);

	cr_assert_not_null(u);
	cr_assert_not_null(n);
	cr_assert_not_null(a);
	cr_assert_str_neq(u, n);
	cr_assert_str_neq(n, a);
	cr_assert_str_neq(u, a);
	cr_assert_not_null(evq_ring_state_name((enum evq_ring_state)42));
}
