/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * sim_toeplitz: the adapter's RSS — Toeplitz hash (reference and table
 * driven), hash-input builders, and the bounds-checked frame parser that
 * feeds them. Every read of frame data is checked against the frame length
 * and the IP header lengths before it happens.
 */

#include <errno.h>
#include <string.h>

#include "sim_toeplitz.h"

/* ------------------------------------------------------------------ */
/* Toeplitz                                                           */
/* ------------------------------------------------------------------ */

static unsigned int
evq_key_bit(const uint8_t *key, size_t key_len, size_t n)
{
	if (n / 8 >= key_len)
		return 0;
	return (key[n / 8] >> (7 - n % 8)) & 1;
}

uint32_t
evq_toeplitz_hash_ref(const uint8_t *key, size_t key_len, const uint8_t *in,
		size_t len)
{
	uint32_t window = 0;
	uint32_t hash = 0;
	size_t n;

	/* window = key bits [n, n + 32) while input bit n is looked at */
	for (n = 0; n < 32; n++)
		window = (window << 1) | evq_key_bit(key, key_len, n);
	for (n = 0; n < len * 8; n++) {
		if ((in[n / 8] >> (7 - n % 8)) & 1)
			hash ^= window;
		window = (window << 1) | evq_key_bit(key, key_len, n + 32);
	}
	return hash;
}

void
evq_toeplitz_init(struct evq_toeplitz *t, const uint8_t *key)
{
	unsigned int i, bit, b;

	if (key == NULL)
		key = evq_rss_default_key;
	memmove(t->key, key, EVQ_RSS_KEY_SIZE);
	for (i = 0; i < EVQ_RSS_INPUT_MAX; i++) {
		/* key bits [8i, 8i + 40): the windows of this byte's 8 bits */
		uint64_t k40 = 0;
		uint32_t win[8];

		for (b = 0; b < 5; b++)
			k40 = (k40 << 8) | t->key[i + b];
		for (bit = 0; bit < 8; bit++)	/* bit 0 = MSB of the byte */
			win[bit] = (uint32_t)(k40 >> (8 - bit));
		t->table[i][0] = 0;
		for (b = 1; b < 256; b++) {
			/* b's lowest set bit is MSB-first bit (7 - ctz(b)) */
			unsigned int low = (unsigned int)__builtin_ctz(b);

			t->table[i][b] = t->table[i][b & (b - 1)] ^ win[7 - low];
		}
	}
}

/* ------------------------------------------------------------------ */
/* Hash inputs                                                        */
/* ------------------------------------------------------------------ */

size_t
evq_rss_input_ipv4(uint8_t *out, const uint8_t src[4], const uint8_t dst[4])
{
	memcpy(out, src, 4);
	memcpy(out + 4, dst, 4);
	return 8;
}

size_t
evq_rss_input_ipv4_l4(uint8_t *out, const uint8_t src[4], const uint8_t dst[4],
		uint16_t sport, uint16_t dport)
{
	evq_rss_input_ipv4(out, src, dst);
	evq_put_be16(out + 8, sport);
	evq_put_be16(out + 10, dport);
	return 12;
}

size_t
evq_rss_input_ipv6(uint8_t *out, const uint8_t src[16], const uint8_t dst[16])
{
	memcpy(out, src, 16);
	memcpy(out + 16, dst, 16);
	return 32;
}

size_t
evq_rss_input_ipv6_l4(uint8_t *out, const uint8_t src[16], const uint8_t dst[16],
		uint16_t sport, uint16_t dport)
{
	evq_rss_input_ipv6(out, src, dst);
	evq_put_be16(out + 32, sport);
	evq_put_be16(out + 34, dport);
	return 36;
}

/* ------------------------------------------------------------------ */
/* Checksums                                                          */
/* ------------------------------------------------------------------ */

uint32_t
evq_csum_add(uint32_t sum, const uint8_t *data, size_t len)
{
	uint64_t acc = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		acc += (uint32_t)((data[i] << 8) | data[i + 1]);
	if (len & 1)
		acc += (uint32_t)data[len - 1] << 8;
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

uint16_t
evq_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* ------------------------------------------------------------------ */
/* Parser                                                             */
/* ------------------------------------------------------------------ */

#define EVQ_ETHERTYPE_IPV4	0x0800
#define EVQ_ETHERTYPE_IPV6	0x86dd
#define EVQ_ETHERTYPE_VLAN	0x8100
#define EVQ_IPPROTO_HOPOPTS	0
#define EVQ_IPPROTO_TCP		6
#define EVQ_IPPROTO_UDP		17
#define EVQ_IPPROTO_ROUTING	43
#define EVQ_IPPROTO_FRAGMENT	44
#define EVQ_IPPROTO_DSTOPTS	60
#define EVQ_IPV6_EXT_MAX	8	/* extension headers walked at most */

enum evq_l4 {
	EVQ_L4_NONE,
	EVQ_L4_TCP,
	EVQ_L4_UDP,
};

/*
 * Recognise a whole TCP or UDP header in l4[0..l4_len) (l4_len comes from
 * the IP header, already checked against the frame).
 */
static enum evq_l4
evq_parse_l4(uint8_t proto, const uint8_t *l4, size_t l4_len)
{
	if (proto == EVQ_IPPROTO_TCP && l4_len >= 20) {
		size_t doff = (size_t)(l4[12] >> 4) * 4;

		if (doff >= 20 && doff <= l4_len)
			return EVQ_L4_TCP;
	} else if (proto == EVQ_IPPROTO_UDP && l4_len >= 8) {
		size_t ulen = evq_get_be16(l4 + 4);

		if (ulen >= 8 && ulen <= l4_len)
			return EVQ_L4_UDP;
	}
	return EVQ_L4_NONE;
}

/* Checksum of an L4 segment given the sum of its pseudo-header addresses. */
static void
evq_l4_csum(struct evq_pkt_info *info, enum evq_l4 l4type, uint32_t addr_sum,
		uint8_t proto, const uint8_t *l4, size_t l4_len, int ipv6)
{
	uint32_t sum;
	size_t seg_len = l4_len;

	if (l4type == EVQ_L4_UDP) {
		seg_len = evq_get_be16(l4 + 4);
		if (evq_get_be16(l4 + 6) == 0) {
			/* IPv4: no checksum sent; IPv6: a zero UDP checksum is illegal */
			if (ipv6)
				info->rx_flags |= EVQ_RX_F_L4_CSUM_BAD;
			return;
		}
	}
	sum = addr_sum + proto + (uint32_t)seg_len;
	sum = evq_csum_add(sum, l4, seg_len);
	info->rx_flags |= evq_csum_fold(sum) == 0xffff ?
		EVQ_RX_F_L4_CSUM_OK : EVQ_RX_F_L4_CSUM_BAD;
}

static void
evq_set_hash(struct evq_pkt_info *info, uint32_t type, const uint8_t *src,
		const uint8_t *dst, size_t alen, const uint8_t *l4)
{
	info->hash_type = type;
	memcpy(info->hash_input, src, alen);
	memcpy(info->hash_input + alen, dst, alen);
	info->hash_input_len = (uint8_t)(2 * alen);
	if (l4 != NULL) {
		memcpy(info->hash_input + 2 * alen, l4, 4);	/* sport, dport */
		info->hash_input_len += 4;
	}
}

/* Microsoft's selection of the hash type for one packet. */
static void
evq_select_hash(struct evq_pkt_info *info, enum evq_l4 l4type, uint32_t types,
		uint32_t t_ip, uint32_t t_tcp, uint32_t t_udp, const uint8_t *src,
		const uint8_t *dst, size_t alen, const uint8_t *l4)
{
	if (l4type == EVQ_L4_TCP && (types & t_tcp))
		evq_set_hash(info, t_tcp, src, dst, alen, l4);
	else if (l4type == EVQ_L4_UDP && (types & t_udp))
		evq_set_hash(info, t_udp, src, dst, alen, l4);
	else if (types & t_ip)
		evq_set_hash(info, t_ip, src, dst, alen, NULL);
}

static void
evq_parse_ipv4(struct evq_pkt_info *info, const uint8_t *ip, size_t avail,
		size_t off, uint32_t types, uint32_t flags)
{
	size_t ihl, tot;
	enum evq_l4 l4type = EVQ_L4_NONE;
	uint8_t proto;

	if (avail < 20 || (ip[0] >> 4) != 4)
		return;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	tot = evq_get_be16(ip + 2);
	if (ihl < 20 || ihl > avail || tot < ihl || tot > avail)
		return;
	info->ptype = EVQ_PTYPE_IPV4;
	info->l3_offset = (uint16_t)off;
	if (flags & EVQ_PARSE_F_CSUM)
		info->rx_flags |= evq_csum_fold(evq_csum_add(0, ip, ihl)) == 0xffff ?
			EVQ_RX_F_L3_CSUM_OK : EVQ_RX_F_L3_CSUM_BAD;
	proto = ip[9];
	/* fragments (MF set or an offset) carry no usable L4 header */
	if ((evq_get_be16(ip + 6) & 0x3fff) == 0)
		l4type = evq_parse_l4(proto, ip + ihl, tot - ihl);
	if (l4type != EVQ_L4_NONE) {
		info->ptype = l4type == EVQ_L4_TCP ? EVQ_PTYPE_IPV4_TCP : EVQ_PTYPE_IPV4_UDP;
		info->l4_offset = (uint16_t)(off + ihl);
		if (flags & EVQ_PARSE_F_CSUM)
			evq_l4_csum(info, l4type, evq_csum_add(0, ip + 12, 8), proto,
					ip + ihl, tot - ihl, 0);
	}
	evq_select_hash(info, l4type, types, EVQ_RSS_HASH_IPV4, EVQ_RSS_HASH_IPV4_TCP,
			EVQ_RSS_HASH_IPV4_UDP, ip + 12, ip + 16, 4, ip + ihl);
}

static void
evq_parse_ipv6(struct evq_pkt_info *info, const uint8_t *ip, size_t avail,
		size_t off, uint32_t types, uint32_t flags)
{
	enum evq_l4 l4type = EVQ_L4_NONE;
	size_t end, pos = 40;
	uint8_t nh;
	int no_l4 = 0;
	int walked;

	if (avail < 40 || (ip[0] >> 4) != 6)
		return;
	/* payload length 0 is a jumbogram (hop-by-hop option): not supported */
	end = 40 + (size_t)evq_get_be16(ip + 4);
	if (end == 40 || end > avail)
		return;
	info->ptype = EVQ_PTYPE_IPV6;
	info->l3_offset = (uint16_t)off;
	nh = ip[6];
	for (walked = 0;; walked++) {
		size_t hlen;

		if (nh == EVQ_IPPROTO_FRAGMENT) {
			no_l4 = 1;	/* fragments hash on the addresses only */
			break;
		}
		if (nh != EVQ_IPPROTO_HOPOPTS && nh != EVQ_IPPROTO_ROUTING &&
				nh != EVQ_IPPROTO_DSTOPTS)
			break;
		/* too long a chain, or a truncated extension header: L3 only */
		if (walked == EVQ_IPV6_EXT_MAX || end - pos < 8) {
			no_l4 = 1;
			break;
		}
		hlen = ((size_t)ip[pos + 1] + 1) * 8;
		if (hlen > end - pos) {
			no_l4 = 1;
			break;
		}
		nh = ip[pos];
		pos += hlen;
	}
	if (!no_l4)
		l4type = evq_parse_l4(nh, ip + pos, end - pos);
	if (l4type != EVQ_L4_NONE) {
		info->ptype = l4type == EVQ_L4_TCP ? EVQ_PTYPE_IPV6_TCP : EVQ_PTYPE_IPV6_UDP;
		info->l4_offset = (uint16_t)(off + pos);
		if (flags & EVQ_PARSE_F_CSUM)
			evq_l4_csum(info, l4type, evq_csum_add(0, ip + 8, 32), nh,
					ip + pos, end - pos, 1);
	}
	evq_select_hash(info, l4type, types, EVQ_RSS_HASH_IPV6, EVQ_RSS_HASH_IPV6_TCP,
			EVQ_RSS_HASH_IPV6_UDP, ip + 8, ip + 24, 16, ip + pos);
}

int
evq_pkt_parse(const void *frame, size_t len, uint32_t hash_types, uint32_t flags,
		struct evq_pkt_info *info)
{
	const uint8_t *p = frame;
	size_t off = 14;
	uint16_t etype;

	if (info == NULL)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	if (p == NULL || len < EVQ_FRAME_MIN || (hash_types & ~EVQ_RSS_HASH_ALL) != 0 ||
			(flags & ~EVQ_PARSE_F_CSUM) != 0)
		return -EINVAL;
	/* IP lengths are 16-bit; a longer buffer cannot hold more of a packet */
	if (len > 0xffff)
		len = 0xffff;
	info->ptype = EVQ_PTYPE_L2;
	etype = evq_get_be16(p + 12);
	if (etype == EVQ_ETHERTYPE_VLAN) {
		if (len < 18)
			return 0;
		info->rx_flags |= EVQ_RX_F_VLAN;
		info->vlan_tci = evq_get_be16(p + 14);
		etype = evq_get_be16(p + 16);
		off = 18;
	}
	if (etype == EVQ_ETHERTYPE_IPV4)
		evq_parse_ipv4(info, p + off, len - off, off, hash_types, flags);
	else if (etype == EVQ_ETHERTYPE_IPV6)
		evq_parse_ipv6(info, p + off, len - off, off, hash_types, flags);
	return 0;
}
