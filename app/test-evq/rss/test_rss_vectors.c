/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * rss: Toeplitz hash against Microsoft's published verification table
 * (every IPv4 and IPv6 row, with and without ports), through the reference
 * hash, the table hash, and the full frame parser; reference vs table over
 * random keys and every input length; RETA lookup.
 */

#include <criterion/criterion.h>

#include "sim_toeplitz.h"
#include "rss_test_util.h"

static struct evq_toeplitz ms_ctx;

static void
setup_ms(void)
{
	evq_toeplitz_init(&ms_ctx, NULL);
}

static void
addr_of(const char *text, int ipv6, uint8_t *out)
{
	cr_assert_eq(inet_pton(ipv6 ? AF_INET6 : AF_INET, text, out), 1,
			"bad address in the table: %s", text);
}

/* Build the hash input of a row with the input builders. */
static size_t
row_input(const struct rss_vector *v, int ipv6, int with_ports, uint8_t *in)
{
	uint8_t src[16], dst[16];

	addr_of(v->src, ipv6, src);
	addr_of(v->dst, ipv6, dst);
	if (!ipv6)
		return with_ports ? evq_rss_input_ipv4_l4(in, src, dst, v->sport, v->dport) :
			evq_rss_input_ipv4(in, src, dst);
	return with_ports ? evq_rss_input_ipv6_l4(in, src, dst, v->sport, v->dport) :
		evq_rss_input_ipv6(in, src, dst);
}

static void
check_rows(const struct rss_vector *rows, size_t n, int ipv6)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int ports;

		for (ports = 0; ports < 2; ports++) {
			uint8_t in[EVQ_RSS_INPUT_MAX];
			size_t len = row_input(&rows[i], ipv6, ports, in);
			uint32_t want = ports ? rows[i].hash_l4 : rows[i].hash_l3;
			uint32_t ref = evq_toeplitz_hash_ref(evq_rss_default_key,
					EVQ_RSS_KEY_SIZE, in, len);
			uint32_t fast = evq_toeplitz_hash(&ms_ctx, in, len);

			cr_expect_eq(len, (size_t)(ipv6 ? 32 : 8) + (ports ? 4 : 0));
			cr_expect_eq(ref, want, "%s row %zu ports=%d: ref 0x%08x want 0x%08x",
					ipv6 ? "IPv6" : "IPv4", i, ports, ref, want);
			cr_expect_eq(fast, want, "%s row %zu ports=%d: table 0x%08x want 0x%08x",
					ipv6 ? "IPv6" : "IPv4", i, ports, fast, want);
		}
	}
}

Test(rss, ms_vectors_ipv4, .init = setup_ms)
{
	check_rows(rss_vectors_v4, RSS_NELEM(rss_vectors_v4), 0);
}

Test(rss, ms_vectors_ipv6, .init = setup_ms)
{
	check_rows(rss_vectors_v6, RSS_NELEM(rss_vectors_v6), 1);
}

Test(rss, default_key_is_microsoft_key)
{
	static const uint8_t head[8] = { 0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2 };

	cr_assert_eq(memcmp(evq_rss_default_key, head, sizeof(head)), 0);
	cr_assert_eq(evq_rss_default_key[39], 0xfa);
}

/*
 * The same rows as frames through the parser, for TCP and UDP, with and
 * without a VLAN tag and IPv6 extension headers, under the hash-type
 * enables that select the 2-tuple or the 4-tuple.
 */
static void
check_frames(const struct rss_vector *rows, size_t n, int ipv6)
{
	uint32_t t_ip = ipv6 ? EVQ_RSS_HASH_IPV6 : EVQ_RSS_HASH_IPV4;
	uint32_t t_tcp = ipv6 ? EVQ_RSS_HASH_IPV6_TCP : EVQ_RSS_HASH_IPV4_TCP;
	uint32_t t_udp = ipv6 ? EVQ_RSS_HASH_IPV6_UDP : EVQ_RSS_HASH_IPV4_UDP;
	size_t i;

	for (i = 0; i < n; i++) {
		int proto_i, vlan, ext;

		for (proto_i = 0; proto_i < 2; proto_i++)
		for (vlan = 0; vlan < 2; vlan++)
		for (ext = 0; ext < (ipv6 ? 3 : 1); ext++) {
			struct rss_frame_spec s = {
				.ipv6 = ipv6, .proto = proto_i ? 17 : 6, .vlan = vlan,
				.v6_ext = ext, .sport = rows[i].sport,
				.dport = rows[i].dport, .payload = 10 + i,
			};
			uint32_t t_l4 = proto_i ? t_udp : t_tcp;
			uint8_t buf[256];
			struct evq_pkt_info info;
			size_t len;

			addr_of(rows[i].src, ipv6, s.src);
			addr_of(rows[i].dst, ipv6, s.dst);
			len = rss_build_frame(buf, sizeof(buf), &s);
			cr_assert_neq(len, 0);

			/* 4-tuple when the L4 type is enabled */
			cr_assert_eq(evq_pkt_parse(buf, len, t_l4 | t_ip, EVQ_PARSE_F_CSUM, &info), 0);
			cr_expect_eq(info.hash_type, t_l4);
			cr_expect_eq(evq_rss_hash_pkt(&ms_ctx, &info), rows[i].hash_l4,
					"row %zu proto %d vlan %d ext %d", i, s.proto, vlan, ext);
			cr_expect_eq(info.ptype, ipv6 ? (proto_i ? EVQ_PTYPE_IPV6_UDP : EVQ_PTYPE_IPV6_TCP) :
					(proto_i ? EVQ_PTYPE_IPV4_UDP : EVQ_PTYPE_IPV4_TCP));
			cr_expect_eq(info.rx_flags & (EVQ_RX_F_L4_CSUM_OK | EVQ_RX_F_L4_CSUM_BAD),
					EVQ_RX_F_L4_CSUM_OK);
			cr_expect_eq(!!(info.rx_flags & EVQ_RX_F_VLAN), vlan);
			if (!ipv6)
				cr_expect(info.rx_flags & EVQ_RX_F_L3_CSUM_OK);

			/* 2-tuple when only the L3 type is enabled */
			cr_assert_eq(evq_pkt_parse(buf, len, t_ip, 0, &info), 0);
			cr_expect_eq(info.hash_type, t_ip);
			cr_expect_eq(evq_rss_hash_pkt(&ms_ctx, &info), rows[i].hash_l3);

			/* the other L4 type alone: no hash at all */
			cr_assert_eq(evq_pkt_parse(buf, len, proto_i ? t_tcp : t_udp, 0, &info), 0);
			cr_expect_eq(info.hash_type, 0);
			cr_expect_eq(info.hash_input_len, 0);
			cr_expect_eq(evq_rss_hash_pkt(&ms_ctx, &info), 0);
		}
	}
}

Test(rss, ms_vectors_ipv4_frames, .init = setup_ms)
{
	check_frames(rss_vectors_v4, RSS_NELEM(rss_vectors_v4), 0);
}

Test(rss, ms_vectors_ipv6_frames, .init = setup_ms)
{
	check_frames(rss_vectors_v6, RSS_NELEM(rss_vectors_v6), 1);
}

/* Table hash == bitwise reference for random keys and every length. */
Test(rss, table_matches_reference)
{
	static struct evq_toeplitz ctx;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	int k, t;

	for (k = 0; k < 64; k++) {
		uint8_t key[EVQ_RSS_KEY_SIZE];
		size_t i;

		for (i = 0; i < sizeof(key); i++)
			key[i] = (uint8_t)rss_rand(&seed);
		evq_toeplitz_init(&ctx, key);
		cr_assert_eq(memcmp(ctx.key, key, sizeof(key)), 0);
		for (t = 0; t < 200; t++) {
			uint8_t in[EVQ_RSS_INPUT_MAX];
			size_t len = (size_t)(rss_rand(&seed) % (EVQ_RSS_INPUT_MAX + 1));

			for (i = 0; i < len; i++)
				in[i] = (uint8_t)rss_rand(&seed);
			cr_assert_eq(evq_toeplitz_hash(&ctx, in, len),
					evq_toeplitz_hash_ref(key, sizeof(key), in, len),
					"key %d len %zu", k, len);
		}
	}
}

Test(rss, hash_linearity_and_limits, .init = setup_ms)
{
	uint8_t a[EVQ_RSS_INPUT_MAX], b[EVQ_RSS_INPUT_MAX], x[EVQ_RSS_INPUT_MAX + 4];
	size_t i;

	/* Toeplitz is linear over XOR */
	for (i = 0; i < EVQ_RSS_INPUT_MAX; i++) {
		a[i] = (uint8_t)(i * 37 + 11);
		b[i] = (uint8_t)(i * 91 + 3);
		x[i] = a[i] ^ b[i];
	}
	cr_expect_eq(evq_toeplitz_hash(&ms_ctx, x, EVQ_RSS_INPUT_MAX),
			evq_toeplitz_hash(&ms_ctx, a, EVQ_RSS_INPUT_MAX) ^
			evq_toeplitz_hash(&ms_ctx, b, EVQ_RSS_INPUT_MAX));
	/* empty input hashes to 0; input past 36 bytes is ignored */
	cr_expect_eq(evq_toeplitz_hash(&ms_ctx, a, 0), 0);
	memset(x + EVQ_RSS_INPUT_MAX, 0xff, 4);
	cr_expect_eq(evq_toeplitz_hash(&ms_ctx, x, sizeof(x)),
			evq_toeplitz_hash(&ms_ctx, x, EVQ_RSS_INPUT_MAX));
	/* a single first-bit input selects the first 32 key bits */
	memset(a, 0, sizeof(a));
	a[0] = 0x80;
	cr_expect_eq(evq_toeplitz_hash(&ms_ctx, a, 1), 0x6d5a56dau);
}

Test(rss, reta_lookup_and_mask)
{
	uint8_t reta[EVQ_RETA_SIZE];
	unsigned int i;

	for (i = 0; i < EVQ_RETA_SIZE; i++)
		reta[i] = (uint8_t)(i % 5);
	cr_expect_eq(evq_rss_reta_lookup(reta, 0x7f, 0x12345679), (0x79 % 5));
	cr_expect_eq(evq_rss_reta_lookup(reta, 0x3, 0xffffffff), 3);
	/* an illegal mask is clamped: never outside the table */
	cr_expect_eq(evq_rss_reta_lookup(reta, 0xffffffff, 0xffffffff), 127 % 5);
	cr_expect(evq_rss_hash_mask_valid(0));
	cr_expect(evq_rss_hash_mask_valid(0x7f));
	cr_expect(evq_rss_hash_mask_valid(0x3f));
	cr_expect(!evq_rss_hash_mask_valid(0xff));
	cr_expect(!evq_rss_hash_mask_valid(0x5));
	cr_expect(!evq_rss_hash_mask_valid(0x80));
}
