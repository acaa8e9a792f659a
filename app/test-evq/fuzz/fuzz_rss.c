/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * fuzz_rss: libFuzzer target for the adapter's frame parser and Toeplitz
 * hash (evq_pkt_parse, evq_rss_hash_pkt, evq_rss_reta_lookup). The first
 * four input bytes pick the enabled hash types and parse flags, the rest
 * is the frame (an exact-size heap copy, so ASan sees any overread). The
 * result must satisfy the parser's documented invariants, and the table
 * hash must equal the bitwise reference hash.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim_toeplitz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct evq_toeplitz fuzz_toeplitz;
static int fuzz_toeplitz_ready;

static void
check_info(const struct evq_pkt_info *info, size_t len, uint32_t types)
{
	uint8_t l = info->hash_input_len;

	if (info->ptype >= EVQ_PTYPE_COUNT || info->ptype == EVQ_PTYPE_UNKNOWN)
		abort();
	if (l != 0 && l != 8 && l != 12 && l != 32 && l != 36)
		abort();
	if ((info->hash_type & ~types) != 0 ||
			(info->hash_type & (info->hash_type - 1)) != 0 ||
			(info->hash_type == 0) != (l == 0))
		abort();
	if (info->l3_offset >= len || info->l4_offset >= len ||
			(info->l4_offset != 0 && info->l4_offset <= info->l3_offset))
		abort();
	if ((info->rx_flags & EVQ_RX_F_L4_CSUM_OK) && (info->rx_flags & EVQ_RX_F_L4_CSUM_BAD))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evq_pkt_info info;
	uint8_t reta[EVQ_RETA_SIZE];
	uint32_t types, flags, h;
	uint8_t *frame;
	size_t len;
	unsigned int i;

	if (size < 4)
		return 0;
	if (!fuzz_toeplitz_ready) {
		evq_toeplitz_init(&fuzz_toeplitz, NULL);
		fuzz_toeplitz_ready = 1;
	}
	types = (data[0] | (uint32_t)data[1] << 8) & EVQ_RSS_HASH_ALL;
	flags = data[2] & 1 ? EVQ_PARSE_F_CSUM : 0;
	/* data[3]: unknown bits now and then, which must be refused */
	if (data[3] == 0xff)
		types |= 1u << 31;
	len = size - 4;
	frame = malloc(len != 0 ? len : 1);
	if (frame == NULL)
		return 0;
	memcpy(frame, data + 4, len);
	memset(&info, 0xa5, sizeof(info));
	if (evq_pkt_parse(frame, len, types, flags, &info) == 0) {
		if ((types & ~EVQ_RSS_HASH_ALL) != 0 || len < EVQ_FRAME_MIN)
			abort();
		check_info(&info, len, types);
		h = evq_rss_hash_pkt(&fuzz_toeplitz, &info);
		if (info.hash_type != 0 && h != evq_toeplitz_hash_ref(evq_rss_default_key,
				EVQ_RSS_KEY_SIZE, info.hash_input, info.hash_input_len))
			abort();
		for (i = 0; i < EVQ_RETA_SIZE; i++)
			reta[i] = (uint8_t)i;
		/* any mask, valid or not, stays inside the table */
		(void)evq_rss_reta_lookup(reta, (uint32_t)data[3] << 24 | h, h);
	}
	free(frame);
	return 0;
}
