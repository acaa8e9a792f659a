/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * rss: the model's Toeplitz hash (app/evq-sim/sim_toeplitz.c) against
 * DPDK's software Toeplitz, rte_softrss() (<rte_thash.h>, header-only),
 * over random keys and random IPv4/IPv6 tuples with and without ports.
 * Only compiled when DPDK is found; needs its compile flags, no DPDK
 * library and no EAL.
 */

#include <criterion/criterion.h>

#include <rte_thash.h>

#include "sim_toeplitz.h"
#include "rss_test_util.h"

/* rte_softrss() takes the tuple as host-order 32-bit words of the
 * big-endian byte string, and reads the key as 32-bit words. */
static uint32_t
softrss(const uint8_t *in, size_t len, const uint8_t *key)
{
	uint32_t words[EVQ_RSS_INPUT_MAX / 4];
	uint32_t key_words[EVQ_RSS_KEY_SIZE / 4];
	size_t i;

	for (i = 0; i < len / 4; i++)
		words[i] = ((uint32_t)in[4 * i] << 24) | ((uint32_t)in[4 * i + 1] << 16) |
			((uint32_t)in[4 * i + 2] << 8) | in[4 * i + 3];
	memcpy(key_words, key, sizeof(key_words));
	return rte_softrss(words, (uint32_t)(len / 4), (const uint8_t *)key_words);
}

Test(rss, softrss_ms_key_vectors)
{
	size_t i;

	for (i = 0; i < RSS_NELEM(rss_vectors_v4); i++) {
		uint8_t in[12], s[4], d[4];

		inet_pton(AF_INET, rss_vectors_v4[i].src, s);
		inet_pton(AF_INET, rss_vectors_v4[i].dst, d);
		evq_rss_input_ipv4_l4(in, s, d, rss_vectors_v4[i].sport, rss_vectors_v4[i].dport);
		cr_expect_eq(softrss(in, 12, evq_rss_default_key), rss_vectors_v4[i].hash_l4);
		cr_expect_eq(softrss(in, 8, evq_rss_default_key), rss_vectors_v4[i].hash_l3);
	}
}

Test(rss, softrss_random_tuples_and_keys)
{
	static struct evq_toeplitz ctx;
	static const size_t lens[] = { 8, 12, 32, 36 };	/* the four tuple kinds */
	uint64_t seed = 0xfeedface12345678ull;
	unsigned int k, t, checked = 0;

	for (k = 0; k < 48; k++) {
		uint8_t key[EVQ_RSS_KEY_SIZE];
		size_t i;

		for (i = 0; i < sizeof(key); i++)
			key[i] = k == 0 ? evq_rss_default_key[i] : (uint8_t)rss_rand(&seed);
		evq_toeplitz_init(&ctx, key);
		for (t = 0; t < 400; t++) {
			uint8_t in[EVQ_RSS_INPUT_MAX];
			size_t len = lens[t % 4];
			uint32_t want;

			for (i = 0; i < len; i++)
				in[i] = (uint8_t)rss_rand(&seed);
			want = softrss(in, len, key);
			cr_assert_eq(evq_toeplitz_hash(&ctx, in, len), want,
					"key %u tuple %u len %zu: evq 0x%08x dpdk 0x%08x",
					k, t, len, evq_toeplitz_hash(&ctx, in, len), want);
			cr_assert_eq(evq_toeplitz_hash_ref(key, sizeof(key), in, len), want);
			checked++;
		}
	}
	cr_assert_eq(checked, 48 * 400);
}

/* Random frames through the parser: the parser's hash input hashed by
 * rte_softrss equals evq's hash of the frame. */
Test(rss, softrss_parsed_frames)
{
	static struct evq_toeplitz ctx;
	uint64_t seed = 0x5eed5eed5eed5eedull;
	unsigned int t;

	evq_toeplitz_init(&ctx, NULL);
	for (t = 0; t < 4000; t++) {
		struct rss_frame_spec s = {
			.ipv6 = (int)(t & 1), .proto = (t & 2) ? 17 : 6, .vlan = (int)((t >> 2) & 1),
			.v6_ext = (int)((t >> 3) % 3), .payload = t % 50,
		};
		struct evq_pkt_info info;
		uint8_t buf[256];
		size_t len, i;

		for (i = 0; i < 16; i++) {
			s.src[i] = (uint8_t)rss_rand(&seed);
			s.dst[i] = (uint8_t)rss_rand(&seed);
		}
		s.sport = (uint16_t)rss_rand(&seed);
		s.dport = (uint16_t)rss_rand(&seed);
		len = rss_build_frame(buf, sizeof(buf), &s);
		cr_assert_neq(len, 0);
		cr_assert_eq(evq_pkt_parse(buf, len, EVQ_RSS_HASH_ALL, 0, &info), 0);
		cr_assert_eq(info.hash_input_len, s.ipv6 ? 36 : 12);
		cr_assert_eq(evq_rss_hash_pkt(&ctx, &info),
				softrss(info.hash_input, info.hash_input_len, evq_rss_default_key));
	}
}
