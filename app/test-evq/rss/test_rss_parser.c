/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * rss: the frame parser on bad input — runts, every truncation of valid
 * frames, malformed IPv4/IPv6/TCP/UDP headers, fragments, extension-header
 * chains, bad checksums, random bytes. Every frame is parsed from a heap
 * copy of exactly its length, so the ASan build of this file
 * (test-rss-parser-asan) turns any overread into a failure.
 */

#include <errno.h>

#include <criterion/criterion.h>

#include "sim_toeplitz.h"
#include "rss_test_util.h"

static int
parse_exact(const uint8_t *frame, size_t len, uint32_t types, uint32_t flags,
		struct evq_pkt_info *info)
{
	uint8_t *copy = rss_exact_copy(frame, len);
	int ret;

	cr_assert_not_null(copy);
	ret = evq_pkt_parse(copy, len, types, flags, info);
	free(copy);
	return ret;
}

/* Invariants every successful parse must hold. */
static void
check_info(const struct evq_pkt_info *info, size_t len, uint32_t types)
{
	cr_assert_lt(info->ptype, EVQ_PTYPE_COUNT);
	cr_assert_neq(info->ptype, EVQ_PTYPE_UNKNOWN);
	cr_assert(info->hash_input_len == 0 || info->hash_input_len == 8 ||
			info->hash_input_len == 12 || info->hash_input_len == 32 ||
			info->hash_input_len == 36, "hash input length %u",
			info->hash_input_len);
	cr_assert_eq(info->hash_type & ~types, 0);
	cr_assert_eq(info->hash_type & (info->hash_type - 1), 0, "one hash type");
	cr_assert_eq(info->hash_type == 0, info->hash_input_len == 0);
	cr_assert_lt(info->l3_offset, len);
	cr_assert_lt(info->l4_offset, len);
	if (info->l4_offset != 0)
		cr_assert_gt(info->l4_offset, info->l3_offset);
	cr_assert_neq((info->rx_flags & EVQ_RX_F_L4_CSUM_OK) &&
			(info->rx_flags & EVQ_RX_F_L4_CSUM_BAD), 1);
}

static size_t
build(uint8_t *buf, size_t cap, int ipv6, int proto, int vlan, int ext, size_t payload,
		size_t pad)
{
	struct rss_frame_spec s = {
		.ipv6 = ipv6, .proto = proto, .vlan = vlan, .v6_ext = ext,
		.sport = 1234, .dport = 80, .payload = payload, .pad = pad,
	};
	size_t i;

	for (i = 0; i < 16; i++) {
		s.src[i] = (uint8_t)(0x10 + i);
		s.dst[i] = (uint8_t)(0xa0 + i);
	}
	return rss_build_frame(buf, cap, &s);
}

Test(rss, parse_rejects_bad_arguments)
{
	uint8_t frame[64] = { 0 };
	struct evq_pkt_info info;
	size_t len;

	cr_expect_eq(evq_pkt_parse(NULL, 64, 0, 0, &info), -EINVAL);
	cr_expect_eq(evq_pkt_parse(frame, 64, 0, 0, NULL), -EINVAL);
	for (len = 0; len < EVQ_FRAME_MIN; len++) {
		memset(&info, 0xa5, sizeof(info));
		cr_expect_eq(parse_exact(frame, len, EVQ_RSS_HASH_ALL, 0, &info), -EINVAL);
		cr_expect_eq(info.ptype, EVQ_PTYPE_UNKNOWN, "info zeroed on error");
	}
	cr_expect_eq(evq_pkt_parse(frame, 64, EVQ_RSS_HASH_ALL + 1, 0, &info), -EINVAL);
	cr_expect_eq(evq_pkt_parse(frame, 64, 0, 0x2, &info), -EINVAL);
	cr_expect_eq(evq_pkt_parse(frame, 64, 0, 0, &info), 0);
	cr_expect_eq(info.ptype, EVQ_PTYPE_L2);
}

/*
 * Every prefix of valid frames: below the IP packet's end the frame is L2
 * (or VLAN-tagged L2) and unhashed; from the end on, fully classified.
 */
Test(rss, parse_every_truncation)
{
	static const int protos[] = { 6, 17, 47 };
	uint8_t buf[512];
	int ipv6, p, vlan, ext;

	for (ipv6 = 0; ipv6 < 2; ipv6++)
	for (p = 0; p < 3; p++)
	for (vlan = 0; vlan < 2; vlan++)
	for (ext = 0; ext < (ipv6 ? 3 : 1); ext++) {
		size_t full = build(buf, sizeof(buf), ipv6, protos[p], vlan, ext, 33, 0);
		size_t len;

		cr_assert_neq(full, 0);
		for (len = EVQ_FRAME_MIN; len <= full; len++) {
			struct evq_pkt_info info;

			cr_assert_eq(parse_exact(buf, len, EVQ_RSS_HASH_ALL,
					EVQ_PARSE_F_CSUM, &info), 0);
			check_info(&info, len, EVQ_RSS_HASH_ALL);
			if (len < full) {
				cr_expect_eq(info.ptype, EVQ_PTYPE_L2,
						"v6 %d proto %d vlan %d ext %d len %zu/%zu",
						ipv6, protos[p], vlan, ext, len, full);
				cr_expect_eq(info.hash_type, 0);
				cr_expect_eq(!!(info.rx_flags & EVQ_RX_F_VLAN), vlan && len >= 18);
			} else {
				cr_expect_eq(info.l3_offset, vlan ? 18 : 14);
				cr_expect_eq(info.hash_input_len,
						(ipv6 ? 32 : 8) + (protos[p] != 47 ? 4 : 0));
				if (protos[p] != 47)
					cr_expect(info.rx_flags & EVQ_RX_F_L4_CSUM_OK);
				if (vlan)
					cr_expect_eq(info.vlan_tci, 0x2005);
			}
		}
	}
}

/* Ethernet padding after the IP packet is not part of it. */
Test(rss, parse_ignores_padding)
{
	uint8_t buf[256];
	struct evq_pkt_info info;
	size_t len = build(buf, sizeof(buf), 0, 17, 0, 0, 0, 18);

	memset(buf + len - 18, 0xee, 18);
	cr_assert_eq(parse_exact(buf, len, EVQ_RSS_HASH_ALL, EVQ_PARSE_F_CSUM, &info), 0);
	cr_expect_eq(info.ptype, EVQ_PTYPE_IPV4_UDP);
	cr_expect(info.rx_flags & EVQ_RX_F_L4_CSUM_OK);
	cr_expect(info.rx_flags & EVQ_RX_F_L3_CSUM_OK);
}

struct mutation {
	const char *what;
	size_t at;		/* offset from the L3 header */
	uint8_t value;
	uint8_t want_ptype;
	uint8_t want_hash_len;
};

static void
run_mutations(int ipv6, int proto, int ext, const struct mutation *m, size_t n)
{
	uint8_t buf[256];
	size_t len = build(buf, sizeof(buf), ipv6, proto, 0, ext, 20, 0);
	size_t i;

	cr_assert_neq(len, 0);
	for (i = 0; i < n; i++) {
		uint8_t copy[256];
		struct evq_pkt_info info;

		memcpy(copy, buf, len);
		copy[14 + m[i].at] = m[i].value;
		cr_assert_eq(parse_exact(copy, len, EVQ_RSS_HASH_ALL, EVQ_PARSE_F_CSUM,
				&info), 0);
		check_info(&info, len, EVQ_RSS_HASH_ALL);
		cr_expect_eq(info.ptype, m[i].want_ptype, "%s: ptype %u want %u",
				m[i].what, info.ptype, m[i].want_ptype);
		cr_expect_eq(info.hash_input_len, m[i].want_hash_len, "%s: hash input %u want %u",
				m[i].what, info.hash_input_len, m[i].want_hash_len);
	}
}

Test(rss, parse_malformed_ipv4)
{
	/* TCP frame: IPv4 20 + TCP 20 + payload 20 = tot_len 60 */
	static const struct mutation m[] = {
		{ "version 5", 0, 0x55, EVQ_PTYPE_L2, 0 },
		{ "IHL 4", 0, 0x44, EVQ_PTYPE_L2, 0 },
		{ "IHL 15 swallows the TCP header", 0, 0x4f, EVQ_PTYPE_IPV4, 8 },
		{ "tot_len below IHL", 3, 10, EVQ_PTYPE_L2, 0 },
		{ "tot_len past the frame", 2, 0x40, EVQ_PTYPE_L2, 0 },
		{ "tot_len cuts TCP header", 3, 30, EVQ_PTYPE_IPV4, 8 },
		{ "more fragments", 6, 0x20, EVQ_PTYPE_IPV4, 8 },
		{ "fragment offset", 7, 0x01, EVQ_PTYPE_IPV4, 8 },
		{ "DF is not a fragment", 6, 0x40, EVQ_PTYPE_IPV4_TCP, 12 },
		{ "TCP doff 4", 20 + 12, 0x40, EVQ_PTYPE_IPV4, 8 },
		{ "TCP doff 15 past the segment", 20 + 12, 0xf0, EVQ_PTYPE_IPV4, 8 },
		{ "protocol ICMP", 9, 1, EVQ_PTYPE_IPV4, 8 },
	};

	run_mutations(0, 6, 0, m, RSS_NELEM(m));
}

Test(rss, parse_malformed_udp_ipv6)
{
	/* IPv6 40 + UDP 8 + payload 20: payload_len 28 */
	static const struct mutation m[] = {
		{ "version 4", 0, 0x40, EVQ_PTYPE_L2, 0 },
		{ "payload_len 0 (jumbogram)", 5, 0, EVQ_PTYPE_L2, 0 },
		{ "payload_len past the frame", 4, 0x01, EVQ_PTYPE_L2, 0 },
		{ "payload_len cuts UDP header", 5, 4, EVQ_PTYPE_IPV6, 32 },
		{ "UDP length 7", 40 + 5, 7, EVQ_PTYPE_IPV6, 32 },
		{ "UDP length past the payload", 40 + 5, 29, EVQ_PTYPE_IPV6, 32 },
		{ "UDP length shorter is fine", 40 + 5, 8, EVQ_PTYPE_IPV6_UDP, 36 },
		{ "next header fragment", 6, 44, EVQ_PTYPE_IPV6, 32 },
		{ "next header none (59)", 6, 59, EVQ_PTYPE_IPV6, 32 },
	};

	run_mutations(1, 17, 0, m, RSS_NELEM(m));
}

Test(rss, parse_ipv6_extension_chains)
{
	/* two destination-option headers, then TCP (8 + 8 + 20 + 20 = 56) */
	static const struct mutation m[] = {
		{ "first ext length past the payload", 40 + 1, 10, EVQ_PTYPE_IPV6, 32 },
		{ "second ext length past the payload", 48 + 1, 6, EVQ_PTYPE_IPV6, 32 },
		{ "ext chain into fragment", 48, 44, EVQ_PTYPE_IPV6, 32 },
		{ "ext chain into routing over TCP bytes", 48, 43, EVQ_PTYPE_IPV6, 32 },
	};

	run_mutations(1, 6, 2, m, RSS_NELEM(m));
}

/* More extension headers than the device walks: L3 only, never a hang. */
Test(rss, parse_ipv6_long_extension_chain)
{
	uint8_t buf[512];
	struct evq_pkt_info info;
	size_t len = build(buf, sizeof(buf), 1, 6, 0, 9, 4, 0);

	cr_assert_neq(len, 0);
	cr_assert_eq(parse_exact(buf, len, EVQ_RSS_HASH_ALL, 0, &info), 0);
	cr_expect_eq(info.ptype, EVQ_PTYPE_IPV6);
	cr_expect_eq(info.hash_type, EVQ_RSS_HASH_IPV6);
	/* exactly EVQ_IPV6_EXT_MAX (8) headers are walked */
	len = build(buf, sizeof(buf), 1, 6, 0, 8, 4, 0);
	cr_assert_eq(parse_exact(buf, len, EVQ_RSS_HASH_ALL, 0, &info), 0);
	cr_expect_eq(info.ptype, EVQ_PTYPE_IPV6_TCP);
}

Test(rss, parse_checksums)
{
	uint8_t buf[256];
	struct evq_pkt_info info;
	size_t len;

	/* bad IPv4 header checksum */
	len = build(buf, sizeof(buf), 0, 6, 0, 0, 5, 0);
	buf[14 + 10] ^= 0x01;
	cr_assert_eq(parse_exact(buf, len, 0, EVQ_PARSE_F_CSUM, &info), 0);
	cr_expect(info.rx_flags & EVQ_RX_F_L3_CSUM_BAD);
	cr_expect(info.rx_flags & EVQ_RX_F_L4_CSUM_OK);

	/* bad TCP payload byte */
	len = build(buf, sizeof(buf), 0, 6, 0, 0, 5, 0);
	buf[len - 1] ^= 0x40;
	cr_assert_eq(parse_exact(buf, len, 0, EVQ_PARSE_F_CSUM, &info), 0);
	cr_expect(info.rx_flags & EVQ_RX_F_L3_CSUM_OK);
	cr_expect(info.rx_flags & EVQ_RX_F_L4_CSUM_BAD);

	/* no checksum flags unless asked */
	cr_assert_eq(parse_exact(buf, len, 0, 0, &info), 0);
	cr_expect_eq(info.rx_flags & ~EVQ_RX_F_VLAN, 0);

	/* UDP over IPv4 with checksum 0: none sent, neither flag */
	len = build(buf, sizeof(buf), 0, 17, 0, 0, 5, 0);
	buf[14 + 20 + 6] = 0;
	buf[14 + 20 + 7] = 0;
	cr_assert_eq(parse_exact(buf, len, 0, EVQ_PARSE_F_CSUM, &info), 0);
	cr_expect_eq(info.rx_flags & (EVQ_RX_F_L4_CSUM_OK | EVQ_RX_F_L4_CSUM_BAD), 0);

	/* UDP over IPv6 with checksum 0: illegal */
	len = build(buf, sizeof(buf), 1, 17, 0, 0, 5, 0);
	buf[14 + 40 + 6] = 0;
	buf[14 + 40 + 7] = 0;
	cr_assert_eq(parse_exact(buf, len, 0, EVQ_PARSE_F_CSUM, &info), 0);
	cr_expect(info.rx_flags & EVQ_RX_F_L4_CSUM_BAD);

	/* odd-length TCP over IPv6 with extension headers */
	len = build(buf, sizeof(buf), 1, 6, 1, 2, 7, 0);
	cr_assert_eq(parse_exact(buf, len, 0, EVQ_PARSE_F_CSUM, &info), 0);
	cr_expect(info.rx_flags & EVQ_RX_F_L4_CSUM_OK);
}

Test(rss, parse_non_ip_and_double_vlan)
{
	uint8_t buf[128];
	struct evq_pkt_info info;
	size_t len = build(buf, sizeof(buf), 0, 6, 1, 0, 0, 0);

	/* ARP */
	buf[12] = 0x08;
	buf[13] = 0x06;
	cr_assert_eq(parse_exact(buf, len, EVQ_RSS_HASH_ALL, 0, &info), 0);
	cr_expect_eq(info.ptype, EVQ_PTYPE_L2);
	cr_expect_eq(info.hash_type, 0);

	/* a second 802.1Q tag is not looked into */
	len = build(buf, sizeof(buf), 0, 6, 1, 0, 0, 0);
	buf[16] = 0x81;
	buf[17] = 0x00;
	cr_assert_eq(parse_exact(buf, len, EVQ_RSS_HASH_ALL, 0, &info), 0);
	cr_expect_eq(info.ptype, EVQ_PTYPE_L2);
	cr_expect(info.rx_flags & EVQ_RX_F_VLAN);
}

/* Random bytes behind plausible headers: no crash, invariants hold. */
Test(rss, parse_random_frames)
{
	static const uint16_t etypes[] = { 0x0800, 0x86dd, 0x8100, 0x0806 };
	uint64_t seed = 0x0123456789abcdefull;
	int iter;

	for (iter = 0; iter < 40000; iter++) {
		uint8_t frame[200];
		struct evq_pkt_info info;
		size_t len = EVQ_FRAME_MIN + (size_t)(rss_rand(&seed) % (sizeof(frame) - 13));
		uint32_t types = (uint32_t)rss_rand(&seed) & EVQ_RSS_HASH_ALL;
		uint16_t et = etypes[rss_rand(&seed) % 4];
		size_t i, l3;

		for (i = 0; i < sizeof(frame); i++)
			frame[i] = (uint8_t)rss_rand(&seed);
		frame[12] = (uint8_t)(et >> 8);
		frame[13] = (uint8_t)et;
		l3 = 14;
		if (et == 0x8100) {
			frame[16] = (iter & 1) ? 0x86 : 0x08;
			frame[17] = (iter & 1) ? 0xdd : 0x00;
			l3 = 18;
		}
		/* bias toward headers that pass the first checks */
		if (iter & 2) {
			if (frame[l3 - 2] == 0x08) {
				frame[l3] = (uint8_t)(0x45 + (rss_rand(&seed) % 3));
				frame[l3 + 2] = 0;
				frame[l3 + 3] = (uint8_t)(len - l3 - (rss_rand(&seed) % 8));
				frame[l3 + 6] = 0;
				frame[l3 + 9] = (iter & 4) ? 6 : 17;
			} else if (l3 + 8 < sizeof(frame)) {
				static const uint8_t nhs[] = { 0, 6, 17, 43, 44, 60 };

				frame[l3] = 0x60;
				frame[l3 + 4] = 0;
				frame[l3 + 5] = (uint8_t)(len - l3 - 40 - (rss_rand(&seed) % 8));
				frame[l3 + 6] = nhs[rss_rand(&seed) % 6];
			}
		}
		cr_assert_eq(parse_exact(frame, len, types, EVQ_PARSE_F_CSUM, &info), 0);
		check_info(&info, len, types);
	}
}
