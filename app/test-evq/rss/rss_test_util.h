/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

#ifndef RSS_TEST_UTIL_H
#define RSS_TEST_UTIL_H

/*
 * Helpers shared by the rss tests: the Microsoft verification table and a
 * small frame builder (Ethernet [+ VLAN] + IPv4/IPv6 [+ extension headers]
 * + TCP/UDP) with checksums computed independently of sim_toeplitz.c.
 */

#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct rss_vector {
	const char *dst;
	uint16_t dport;
	const char *src;
	uint16_t sport;
	uint32_t hash_l3;	/* "IPv4/IPv6 only" column */
	uint32_t hash_l4;	/* "with TCP" column */
};

/* Microsoft, "Verifying the RSS Hash Calculation": every row. */
static const struct rss_vector rss_vectors_v4[] = {
	{ "161.142.100.80", 1766, "66.9.149.187", 2794, 0x323e8fc2, 0x51ccc178 },
	{ "65.69.140.83", 4739, "199.92.111.2", 14230, 0xd718262a, 0xc626b0ea },
	{ "12.22.207.184", 38024, "24.19.198.95", 12898, 0xd2d0a5de, 0x5c2b394a },
	{ "209.142.163.6", 2217, "38.27.205.30", 48228, 0x82989176, 0xafc7327f },
	{ "202.188.127.2", 1303, "153.39.163.191", 44251, 0x5d1809c5, 0x10e828a2 },
};

static const struct rss_vector rss_vectors_v6[] = {
	{ "3ffe:2501:200:3::1", 1766, "3ffe:2501:200:1fff::7", 2794,
		0x2cc18cd5, 0x40207d3d },
	{ "ff02::1", 4739, "3ffe:501:8::260:97ff:fe40:efab", 14230,
		0x0f0c461c, 0xdde51bbf },
	{ "fe80::200:f8ff:fe21:67cf", 38024, "3ffe:1900:4545:3:200:f8ff:fe21:67cf", 44251,
		0x4b61e985, 0x02d1feef },
};

#define RSS_NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Plain 16-bit-word one's complement sum: a second implementation. */
static inline uint16_t
rss_test_cksum(const uint8_t *const *parts, const size_t *lens, int n)
{
	uint64_t sum = 0;
	int k;

	for (k = 0; k < n; k++) {
		size_t i;

		for (i = 0; i < lens[k]; i++)
			sum += (i % 2 == 0) ? (uint64_t)parts[k][i] << 8 : parts[k][i];
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

struct rss_frame_spec {
	int ipv6;		/* 0: IPv4, 1: IPv6 */
	int proto;		/* 6 TCP, 17 UDP, other: raw payload */
	int vlan;		/* add one 802.1Q tag */
	int v6_ext;		/* number of IPv6 destination-option headers */
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	size_t payload;		/* L4 payload bytes */
	size_t pad;		/* Ethernet padding after the IP packet */
};

/*
 * Build a frame into buf (size cap); returns its length, 0 if it does not
 * fit. Checksums are valid.
 */
static inline size_t
rss_build_frame(uint8_t *buf, size_t cap, const struct rss_frame_spec *s)
{
	size_t off = 0, l3, l4, l4_len, ip_len, ext_len = (size_t)s->v6_ext * 8;
	size_t hdr4 = s->proto == 6 ? 20 : s->proto == 17 ? 8 : 0;
	uint8_t pseudo[40];
	size_t i;

	l4_len = hdr4 + s->payload;
	ip_len = (s->ipv6 ? 40 + ext_len : 20) + l4_len;
	if (14 + (s->vlan ? 4 : 0) + ip_len + s->pad > cap)
		return 0;
	memset(buf, 0, cap);
	memcpy(buf, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02", 12);
	off = 12;
	if (s->vlan) {
		buf[off++] = 0x81; buf[off++] = 0x00;
		buf[off++] = 0x20; buf[off++] = 0x05;	/* TCI 0x2005 */
	}
	buf[off++] = s->ipv6 ? 0x86 : 0x08;
	buf[off++] = s->ipv6 ? 0xdd : 0x00;
	l3 = off;
	if (!s->ipv6) {
		const uint8_t *parts[1];
		size_t lens[1];
		uint16_t ck;

		buf[l3] = 0x45;
		buf[l3 + 2] = (uint8_t)(ip_len >> 8);
		buf[l3 + 3] = (uint8_t)ip_len;
		buf[l3 + 8] = 64;
		buf[l3 + 9] = (uint8_t)s->proto;
		memcpy(buf + l3 + 12, s->src, 4);
		memcpy(buf + l3 + 16, s->dst, 4);
		parts[0] = buf + l3;
		lens[0] = 20;
		ck = rss_test_cksum(parts, lens, 1);
		buf[l3 + 10] = (uint8_t)(ck >> 8);
		buf[l3 + 11] = (uint8_t)ck;
		l4 = l3 + 20;
	} else {
		int e;
		size_t pl = ext_len + l4_len;

		buf[l3] = 0x60;
		buf[l3 + 4] = (uint8_t)(pl >> 8);
		buf[l3 + 5] = (uint8_t)pl;
		buf[l3 + 6] = s->v6_ext ? 60 : (uint8_t)s->proto;
		buf[l3 + 7] = 64;
		memcpy(buf + l3 + 8, s->src, 16);
		memcpy(buf + l3 + 24, s->dst, 16);
		for (e = 0; e < s->v6_ext; e++) {
			uint8_t *h = buf + l3 + 40 + 8 * e;

			h[0] = e + 1 < s->v6_ext ? 60 : (uint8_t)s->proto;
			h[1] = 0;		/* 8 bytes */
			h[2] = 1; h[3] = 4;	/* PadN option */
		}
		l4 = l3 + 40 + ext_len;
	}
	for (i = 0; i < s->payload; i++)
		buf[l4 + hdr4 + i] = (uint8_t)(i * 7 + 1);
	if (hdr4 != 0) {
		const uint8_t *parts[2];
		size_t lens[2], plen;
		uint16_t ck;

		buf[l4] = (uint8_t)(s->sport >> 8);
		buf[l4 + 1] = (uint8_t)s->sport;
		buf[l4 + 2] = (uint8_t)(s->dport >> 8);
		buf[l4 + 3] = (uint8_t)s->dport;
		if (s->proto == 6) {
			buf[l4 + 12] = 0x50;
			buf[l4 + 13] = 0x10;
		} else {
			buf[l4 + 4] = (uint8_t)(l4_len >> 8);
			buf[l4 + 5] = (uint8_t)l4_len;
		}
		memset(pseudo, 0, sizeof(pseudo));
		if (!s->ipv6) {
			memcpy(pseudo, s->src, 4);
			memcpy(pseudo + 4, s->dst, 4);
			pseudo[9] = (uint8_t)s->proto;
			pseudo[10] = (uint8_t)(l4_len >> 8);
			pseudo[11] = (uint8_t)l4_len;
			plen = 12;
		} else {
			memcpy(pseudo, s->src, 16);
			memcpy(pseudo + 16, s->dst, 16);
			pseudo[34] = (uint8_t)(l4_len >> 8);
			pseudo[35] = (uint8_t)l4_len;
			pseudo[39] = (uint8_t)s->proto;
			plen = 40;
		}
		parts[0] = pseudo;
		lens[0] = plen;
		parts[1] = buf + l4;
		lens[1] = l4_len;
		ck = rss_test_cksum(parts, lens, 2);
		if (s->proto == 17 && ck == 0)
			ck = 0xffff;
		buf[l4 + (s->proto == 6 ? 16 : 6)] = (uint8_t)(ck >> 8);
		buf[l4 + (s->proto == 6 ? 17 : 7)] = (uint8_t)ck;
	}
	return l4 + l4_len + s->pad;
}

/* A heap copy of exactly len bytes, so that ASan sees any overread. */
static inline uint8_t *
rss_exact_copy(const uint8_t *src, size_t len)
{
	uint8_t *p = malloc(len != 0 ? len : 1);

	if (p != NULL && len != 0)
		memcpy(p, src, len);
	return p;
}

/* Deterministic PRNG (xorshift64*), so failures reproduce. */
static inline uint64_t
rss_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dull;
}

#endif /* RSS_TEST_UTIL_H */
