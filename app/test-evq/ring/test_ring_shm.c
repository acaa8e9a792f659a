/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * Unit tests: the self-describing shared-memory ring (struct evq_ring_shm).
 * Layout, format, attach, and every header check on attach (the block may
 * come from another process): errors return the documented errno and change
 * neither the context nor the block.
 */

#include <stddef.h>

#include "test_ring_common.h"

TestSuite(shm, .init = quiet_log_setup, .fini = tracked_cleanup,
		.timeout = 10);

Test(shm, layout_one_line_each)
{
	cr_assert_eq(offsetof(struct evq_ring_shm, validity), 18);
	cr_assert_eq(offsetof(struct evq_ring_shm, doorbell), 64);
	cr_assert_eq(offsetof(struct evq_ring_shm, write_indicator), 128);
	cr_assert_eq(offsetof(struct evq_ring_shm, summary), 192);
	cr_assert_eq(offsetof(struct evq_ring_shm, entries), 256);
	cr_assert_eq(sizeof(struct evq_ring_shm), 256);
}

Test(shm, size_covers_header_and_entries)
{
	static const uint32_t es_all[] = { 4, 8, 16, 32, 64 };
	unsigned int i;

	for (i = 0; i < 5; i++) {
		cr_assert_geq(evq_ring_shm_size(8, es_all[i]),
				sizeof(struct evq_ring_shm) + 8 * es_all[i]);
		cr_assert_geq(evq_ring_shm_size(1u << 20, es_all[i]),
				sizeof(struct evq_ring_shm) + ((size_t)1 << 20) * es_all[i]);
	}
	cr_assert_eq(evq_ring_shm_size(12, 8), 0);
	cr_assert_eq(evq_ring_shm_size(4, 8), 0);
	cr_assert_eq(evq_ring_shm_size(16, 12), 0);
	cr_assert_eq(evq_ring_shm_size(1u << 25, 8), 0);
}

ModeTest(shm, format_writes_header_and_zeroes)
{
	size_t len = evq_ring_shm_size(32, 16);
	struct evq_ring_shm *shm = alloc_aligned(len);
	size_t k;

	memset(shm, 0xee, len);
	cr_assert_eq(evq_ring_shm_format(shm, len, 32, 16, 0x4242, test_validity), 0);
	cr_assert_eq(shm->magic, EVQ_SHM_MAGIC);
	cr_assert_eq(shm->version, EVQ_SHM_VERSION);
	cr_assert_eq(shm->size, 32);
	cr_assert_eq(shm->entry_size, 16);
	cr_assert_eq(shm->ring_number, 0x4242);
	cr_assert_eq(shm->validity, (uint8_t)test_validity);
	/* the doorbell starts unarmed at read 0 (zero, or that word VALID) */
	cr_assert(shm->doorbell == 0 ||
			shm->doorbell == db_word(false, true, 0x4242, 0),
			"doorbell after format: 0x%016llx",
			(unsigned long long)shm->doorbell);
	cr_assert_eq(shm->write_indicator, 0);
	cr_assert_eq(evq_summary_peek(&shm->summary), 0);
	for (k = 0; k < 32 * 16; k++)
		cr_assert_eq(shm->entries[k], 0, "entry byte %zu not zeroed", k);
	t_free(shm);
}

Test(shm, format_errors_leave_the_block_alone)
{
	size_t len = evq_ring_shm_size(32, 16);
	uint8_t *mem = alloc_aligned(len + 64);
	uint8_t *snap = alloc_aligned(len + 64);
	struct {
		void *mem;
		size_t len;
		uint32_t size, es;
		int validity;
		int err;
		const char *what;
	} bad[] = {
		{ NULL, len, 32, 16, 0, -EINVAL, "NULL block" },
		{ mem, len, 12, 16, 0, -EINVAL, "size 12" },
		{ mem, len, 32, 12, 0, -EINVAL, "entry size 12" },
		{ mem + 8, len, 32, 16, 0, -EFAULT, "misaligned block" },
		{ mem, len - 1, 32, 16, 0, -ENOSPC, "len one byte short" },
		{ mem, sizeof(struct evq_ring_shm) - 1, 32, 16, 0, -ENOSPC,
			"len shorter than the header" },
		{ mem, 0, 32, 16, 0, -ENOSPC, "len 0" },
		{ mem, len, 32, 16, 2, -EINVAL, "validity rule 2" },
	};
	unsigned int i;

	memset(mem, 0x5a, len + 64);
	memcpy(snap, mem, len + 64);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = evq_ring_shm_format(bad[i].mem, bad[i].len, bad[i].size,
				bad[i].es, 1, (enum evq_ring_validity)bad[i].validity);

		cr_expect_eq(rc, bad[i].err, "%s: %d, want %d", bad[i].what, rc,
				bad[i].err);
		cr_expect_arr_eq(mem, snap, len + 64, "%s: block written",
				bad[i].what);
	}
	t_free(snap);
	t_free(mem);
}

ModeTest(shm, producer_and_consumer_through_one_block)
{
	size_t len = evq_ring_shm_size(16, 32);
	struct evq_ring_shm *shm = alloc_aligned(len);
	struct rig *r = rig_alloc(16, 32, 0x77);	/* hooks and helpers only */
	uint8_t out[32];
	unsigned int k;

	cr_assert_eq(evq_ring_shm_format(shm, len, 16, 32, 0x77, test_validity), 0);
	cr_assert_eq(evq_ring_shm_cons_attach(&r->c, shm, len, 4), 0);
	evq_ring_prod_init(&r->p);
	cr_assert_eq(evq_ring_shm_prod_attach(&r->p, shm, len, 0), 0);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_UNARMED);
	cr_assert_eq(r->p.validity, test_validity, "producer took another rule");
	cr_assert_eq(r->c.validity, test_validity, "consumer took another rule");
	evq_ring_prod_set_signal(&r->p, rig_signal_hook, r);
	/* the rig's helpers expect r->mem = the entries */
	t_free(r->mem);
	r->mem = NULL;

	evq_ring_arm(&r->c);
	cr_assert_eq(shm->doorbell, db_word(true, true, 0x77, 0),
			"arm did not store into the block's doorbell");
	cr_assert_eq(evq_ring_prod_poll(&r->p), 0);
	cr_assert_eq(evq_ring_prod_state(&r->p), EVQ_RING_ARMED);
	rig_post_n(r, 0, 5);
	cr_assert_eq(r->signals, 1);
	cr_assert_eq(r->signal_ring, 0x77);
	cr_assert_eq(ctrl_at(shm->entries, 16, 32, 0) &
			(test_phase() ? ~EVQ_CTRL_PHASE : ~0u),
			evq_ctrl_make(code_of(0), param_of(0)),
			"entries not in the block");
	for (k = 0; k < 5; k++) {
		cr_assert_eq(evq_ring_poll_burst(&r->c, out, 1), 1);
		entry_check(out, 32, k);
	}
	/* read_publish_interval 4 went to the consumer */
	cr_assert_eq(shm->doorbell, db_word(false, true, 0x77, 4));
	evq_ring_prod_publish(&r->p);
	cr_assert_eq(shm->write_indicator, 5);
	t_free(r);
	t_free(shm);
}

static void
expect_attach_error(struct evq_ring_shm *shm, size_t len, int err,
		const char *what)
{
	struct evq_ring_prod p, psnap;
	struct evq_ring_cons c, csnap;
	uint8_t *bsnap = alloc_aligned(len);
	int rc;

	memcpy(bsnap, shm, len);
	evq_ring_prod_init(&p);
	memcpy(&psnap, &p, sizeof(p));
	memset(&c, 0x3d, sizeof(c));
	memcpy(&csnap, &c, sizeof(c));

	rc = evq_ring_shm_prod_attach(&p, shm, len, 0);
	cr_expect_eq(rc, err, "prod_attach, %s: %d, want %d", what, rc, err);
	cr_expect_arr_eq(&p, &psnap, sizeof(p), "prod_attach, %s: changed", what);
	cr_expect_eq(evq_ring_prod_state(&p), EVQ_RING_UNDEFINED);

	rc = evq_ring_shm_cons_attach(&c, shm, len, 0);
	cr_expect_eq(rc, err, "cons_attach, %s: %d, want %d", what, rc, err);
	cr_expect_arr_eq(&c, &csnap, sizeof(c), "cons_attach, %s: changed", what);
	cr_expect_arr_eq(shm, bsnap, len, "%s: block written", what);
	t_free(bsnap);
}

ModeTest(shm, attach_validates_the_header)
{
	size_t len = evq_ring_shm_size(32, 16);
	struct evq_ring_shm *shm = alloc_aligned(len);

	cr_assert_eq(evq_ring_shm_format(shm, len, 32, 16, 3, test_validity), 0);
	/* fill entries with events so an attach that clears would show */
	memset(shm->entries, 0x11, 32 * 16);

	shm->magic = EVQ_SHM_MAGIC ^ 1;
	expect_attach_error(shm, len, -EPROTO, "bad magic");
	shm->magic = EVQ_SHM_MAGIC;

	shm->version = EVQ_SHM_VERSION + 1;
	expect_attach_error(shm, len, -EPROTO, "bad version");
	shm->version = 0;
	expect_attach_error(shm, len, -EPROTO, "version 0");
	shm->version = EVQ_SHM_VERSION;

	{
		struct evq_ring_prod p;
		struct evq_ring_cons c;

		evq_ring_prod_init(&p);
		cr_expect_eq(evq_ring_shm_prod_attach(&p, NULL, len, 0), -EINVAL,
				"prod_attach(NULL block)");
		cr_expect_eq(evq_ring_shm_cons_attach(&c, NULL, len, 0), -EINVAL,
				"cons_attach(NULL block)");
	}
	expect_attach_error(shm, sizeof(struct evq_ring_shm) - 1, -ENOSPC,
			"len shorter than the header");
	expect_attach_error(shm, len - 1, -ENOSPC, "len one byte short");

	shm->size = 64;	/* claims twice the block */
	expect_attach_error(shm, len, -ENOSPC, "header size larger than len");
	shm->size = 1u << 24;
	expect_attach_error(shm, len, -ENOSPC, "header size 2^24, small block");
	shm->size = 12;
	expect_attach_error(shm, len, -EINVAL, "header size 12");
	shm->size = 32;
	shm->entry_size = 12;
	expect_attach_error(shm, len, -EINVAL, "header entry size 12");
	shm->entry_size = 64;	/* valid, but then the block is too small */
	expect_attach_error(shm, len, -ENOSPC, "header entry size 64");
	shm->entry_size = 16;
	shm->validity = 2;
	expect_attach_error(shm, len, -EINVAL, "validity rule 2");
	shm->validity = (uint8_t)test_validity;

	{
		struct evq_ring_prod p;
		struct evq_ring_cons c;

		evq_ring_prod_init(&p);
		cr_assert_eq(evq_ring_shm_prod_attach(&p, shm, len, 0), 0,
				"the restored header is refused");
		cr_assert_eq(evq_ring_shm_cons_attach(&c, shm, len, 0), 0);
	}
	t_free(shm);
}
