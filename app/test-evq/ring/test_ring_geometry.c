/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * Unit tests: ring geometry validation. Every bad geometry must return the
 * documented negative errno, log why, and leave the context byte for byte
 * unchanged (producer define, consumer init/attach).
 */

#include "test_ring_common.h"

TestSuite(geometry, .init = quiet_log_setup, .fini = tracked_cleanup,
		.timeout = 10);

struct bad_geometry {
	const char *what;
	size_t base_offset;	/* added to an aligned base */
	bool null_base;
	uint32_t size;
	uint32_t entry_size;
	int err;
};

static const struct bad_geometry bad_geometries[] = {
	{ "size 0", 0, false, 0, 16, -EINVAL },
	{ "size 1", 0, false, 1, 16, -EINVAL },
	{ "size 4 (< 8, power of two)", 0, false, 4, 16, -EINVAL },
	{ "size 7", 0, false, 7, 16, -EINVAL },
	{ "size 12 (not power of two)", 0, false, 12, 16, -EINVAL },
	{ "size 1000", 0, false, 1000, 4, -EINVAL },
	{ "size 2^24 + 1", 0, false, (1u << 24) + 1, 4, -EINVAL },
	{ "size 2^25 (too large)", 0, false, 1u << 25, 4, -EINVAL },
	{ "size 2^31 (too large)", 0, false, 1u << 31, 4, -EINVAL },
	{ "size 0xffffffff", 0, false, 0xffffffffu, 4, -EINVAL },
	{ "entry size 0", 0, false, 16, 0, -EINVAL },
	{ "entry size 1", 0, false, 16, 1, -EINVAL },
	{ "entry size 2", 0, false, 16, 2, -EINVAL },
	{ "entry size 3", 0, false, 16, 3, -EINVAL },
	{ "entry size 5", 0, false, 16, 5, -EINVAL },
	{ "entry size 12", 0, false, 16, 12, -EINVAL },
	{ "entry size 24", 0, false, 16, 24, -EINVAL },
	{ "entry size 48", 0, false, 16, 48, -EINVAL },
	{ "entry size 96", 0, false, 16, 96, -EINVAL },
	{ "entry size 128", 0, false, 16, 128, -EINVAL },
	{ "entry size 2^31", 0, false, 16, 1u << 31, -EINVAL },
	{ "NULL base", 0, true, 16, 16, -EINVAL },
	{ "base + 1 (es 4)", 1, false, 16, 4, -EFAULT },
	{ "base + 2 (es 4)", 2, false, 16, 4, -EFAULT },
	{ "base + 1 (es 64)", 1, false, 16, 64, -EFAULT },
	{ "base + 4 (es 8)", 4, false, 16, 8, -EFAULT },
	{ "base + 8 (es 16)", 8, false, 16, 16, -EFAULT },
	{ "base + 16 (es 32)", 16, false, 16, 32, -EFAULT },
	{ "base + 32 (es 64)", 32, false, 16, 64, -EFAULT },
};

#define N_BAD (sizeof(bad_geometries) / sizeof(bad_geometries[0]))

/* A block big enough for every offset above with a 16-entry ring. */
static uint8_t geometry_block[2 * 16 * 64] __attribute__((aligned(64)));

static void *
bad_base(const struct bad_geometry *g)
{
	return g->null_base ? NULL : geometry_block + g->base_offset;
}

Test(geometry, check_geometry_accepts_every_valid_combination)
{
	static const uint32_t es_ok[] = { 4, 8, 16, 32, 64 };
	unsigned int i, shift;

	for (i = 0; i < 5; i++) {
		for (shift = 3; shift <= 24; shift++) {
			int rc = evq_ring_check_geometry(geometry_block,
					1u << shift, es_ok[i]);

			cr_assert_eq(rc, 0, "size 2^%u entry size %u: %d",
					shift, es_ok[i], rc);
			cr_assert_eq(evq_ring_mem_size(1u << shift, es_ok[i]),
					(size_t)(1u << shift) * es_ok[i],
					"mem_size(2^%u, %u)", shift, es_ok[i]);
		}
	}
}

Test(geometry, check_geometry_rejects_with_documented_errno)
{
	unsigned int i;

	for (i = 0; i < N_BAD; i++) {
		const struct bad_geometry *g = &bad_geometries[i];
		int rc = evq_ring_check_geometry(bad_base(g), g->size,
				g->entry_size);

		cr_expect_eq(rc, g->err, "%s: got %d, want %d", g->what, rc,
				g->err);
	}
}

Test(geometry, mem_size_is_zero_for_invalid_size_or_entry_size)
{
	unsigned int i;

	for (i = 0; i < N_BAD; i++) {
		const struct bad_geometry *g = &bad_geometries[i];

		if (g->null_base || g->base_offset != 0)
			continue;	/* mem_size has no base */
		cr_expect_eq(evq_ring_mem_size(g->size, g->entry_size), 0,
				"%s: mem_size must be 0", g->what);
	}
}

Test(geometry, prod_define_rejects_and_changes_nothing)
{
	uint64_t doorbell = 0;
	unsigned int i;

	for (i = 0; i < N_BAD; i++) {
		const struct bad_geometry *g = &bad_geometries[i];
		struct evq_ring_prod_conf conf;
		struct evq_ring_prod p, snap;
		unsigned int logs = log_count;
		int rc;

		memset(&conf, 0, sizeof(conf));
		conf.base = bad_base(g);
		conf.size = g->size;
		conf.entry_size = g->entry_size;
		conf.ring_number = 3;
		conf.doorbell = &doorbell;
		conf.clock = fake_clock;

		memset(&p, 0x5c, sizeof(p));
		evq_ring_prod_init(&p);
		memcpy(&snap, &p, sizeof(p));
		rc = evq_ring_prod_define(&p, &conf);
		cr_expect_eq(rc, g->err, "define, %s: got %d, want %d",
				g->what, rc, g->err);
		cr_expect_arr_eq(&p, &snap, sizeof(p),
				"define, %s: producer context changed", g->what);
		cr_expect_eq(evq_ring_prod_state(&p), EVQ_RING_UNDEFINED,
				"define, %s: state changed", g->what);
		cr_expect_gt(log_count, logs, "define, %s: nothing logged",
				g->what);
	}
}

Test(geometry, cons_init_and_attach_reject_and_change_nothing)
{
	uint64_t doorbell = 0;
	unsigned int i;

	for (i = 0; i < N_BAD; i++) {
		const struct bad_geometry *g = &bad_geometries[i];
		struct evq_ring_cons_conf conf;
		struct evq_ring_cons c, snap;
		uint8_t block_snap[sizeof(geometry_block)];
		unsigned int logs = log_count;
		int rc;

		memset(&conf, 0, sizeof(conf));
		conf.base = bad_base(g);
		conf.size = g->size;
		conf.entry_size = g->entry_size;
		conf.ring_number = 3;
		conf.doorbell = &doorbell;

		memset(geometry_block, 0x77, sizeof(geometry_block));
		memcpy(block_snap, geometry_block, sizeof(block_snap));
		memset(&c, 0x5c, sizeof(c));
		memcpy(&snap, &c, sizeof(c));
		rc = evq_ring_cons_init(&c, &conf);
		cr_expect_eq(rc, g->err, "cons_init, %s: got %d, want %d",
				g->what, rc, g->err);
		cr_expect_arr_eq(&c, &snap, sizeof(c),
				"cons_init, %s: consumer context changed", g->what);
		cr_expect_arr_eq(geometry_block, block_snap,
				sizeof(geometry_block),
				"cons_init, %s: ring memory touched", g->what);
		cr_expect_gt(log_count, logs, "cons_init, %s: nothing logged",
				g->what);

		rc = evq_ring_cons_attach(&c, &conf, 5);
		cr_expect_eq(rc, g->err, "cons_attach, %s: got %d, want %d",
				g->what, rc, g->err);
		cr_expect_arr_eq(&c, &snap, sizeof(c),
				"cons_attach, %s: consumer context changed", g->what);
	}
}

Test(geometry, unknown_validity_rule_is_einval_and_changes_nothing)
{
	struct rig *r = rig_alloc(16, 16, 9);
	struct evq_ring_prod p, psnap;
	struct evq_ring_cons c, csnap;
	uint8_t *mem_snap = alloc_aligned(r->mem_len);
	unsigned int logs = log_count;

	r->pconf.validity = (enum evq_ring_validity)2;
	r->cconf.validity = (enum evq_ring_validity)2;
	memcpy(mem_snap, r->mem, r->mem_len);
	evq_ring_prod_init(&p);
	memcpy(&psnap, &p, sizeof(p));
	cr_expect_eq(evq_ring_prod_define(&p, &r->pconf), -EINVAL);
	cr_expect_arr_eq(&p, &psnap, sizeof(p), "define changed the producer");
	memset(&c, 0x5c, sizeof(c));
	memcpy(&csnap, &c, sizeof(c));
	cr_expect_eq(evq_ring_cons_init(&c, &r->cconf), -EINVAL);
	cr_expect_eq(evq_ring_cons_attach(&c, &r->cconf, 0), -EINVAL);
	cr_expect_arr_eq(&c, &csnap, sizeof(c), "init changed the consumer");
	cr_expect_arr_eq(r->mem, mem_snap, r->mem_len, "init touched the ring");
	cr_expect_gt(log_count, logs, "nothing logged");
	cr_expect_str_eq(evq_ring_validity_name(EVQ_RING_VALIDITY_CLEAR), "clear");
	cr_expect_str_eq(evq_ring_validity_name(EVQ_RING_VALIDITY_PHASE), "phase");
	cr_expect_str_eq(evq_ring_validity_name((enum evq_ring_validity)2), "invalid");
	rig_free(r);
}

Test(geometry, prod_define_twice_is_ebusy_and_changes_nothing)
{
	struct rig *r = rig_new(16, 16, 9);
	struct evq_ring_prod snap;
	struct evq_ring_prod_conf other = r->pconf;
	uint8_t *other_mem = alloc_aligned(64 * 8);
	int rc;

	rig_post_n(r, 0, 3);
	other.base = other_mem;
	other.size = 64;
	other.entry_size = 8;
	memcpy(&snap, &r->p, sizeof(snap));
	rc = evq_ring_prod_define(&r->p, &other);
	cr_assert_eq(rc, -EBUSY, "second define: %d", rc);
	cr_assert_arr_eq(&r->p, &snap, sizeof(snap),
			"second define changed the producer");
	rc = evq_ring_prod_define(&r->p, &r->pconf);
	cr_assert_eq(rc, -EBUSY, "define with the same conf: %d", rc);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNARMED);
	rig_post_n(r, 3, 1);
	rig_drain_expect(r, 0, 4);
	t_free(other_mem);
	rig_free(r);
}

Test(geometry, cons_init_clears_every_code)
{
	static const uint32_t es_ok[] = { 4, 8, 16, 32, 64 };
	unsigned int i;

	for (i = 0; i < 5; i++) {
		struct rig *r = rig_alloc(32, es_ok[i], 1);
		uint32_t k;

		/* rig_alloc poisons the entries with 0xa5 */
		cr_assert_eq(evq_ring_cons_init(&r->c, &r->cconf), 0);
		for (k = 0; k < 32; k++)
			cr_assert_eq(ctrl_at(r->mem, 32, es_ok[i], k), 0,
					"es %u entry %u not cleared", es_ok[i], k);
		cr_assert_eq(evq_ring_cons_read(&r->c), 0);
		cr_assert_not(evq_ring_pending(&r->c));
		rig_free(r);
	}
}

Test(geometry, largest_ring_works_end_to_end)
{
	/* 2^24 entries of 4 bytes = 64 MiB: valid, usable, overflow at 2^24. */
	struct rig *r = rig_alloc(1u << 24, 4, 2);
	uint32_t i;

	rig_start(r);
	/* post at the end of the ring via a consumer that skips ahead */
	for (i = 0; i < 16; i++)
		cr_assert_eq(evq_ring_post(&r->p, 0x11, i, NULL), 1);
	cr_assert_eq(evq_ring_cons_count(&r->c, 100), 16);
	rig_free(r);
}
