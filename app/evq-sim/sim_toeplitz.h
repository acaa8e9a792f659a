/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

#ifndef SIM_TOEPLITZ_H
#define SIM_TOEPLITZ_H

/**
 * @file
 * sim_toeplitz: receive-side scaling as the evq adapter does it: the
 * device model steers frames with it, and the tests check it against
 * Microsoft's vectors and DPDK's rte_softrss().
 *
 * Owns: the Toeplitz hash with a 40-byte key (a bitwise reference and a
 * per-key table version), the hash-input builders for the six hash types
 * of EVQ_REG_RSS_CTRL, a bounds-checked Ethernet/IPv4/IPv6/TCP/UDP parser
 * that yields the packet type, the checksum flags and the hash input, and
 * the RETA lookup. No DPDK dependency.
 *
 * Hash input (network byte order, as Microsoft's RSS specification):
 *   IPv4      src(4) dst(4)                 8 bytes
 *   IPv4+L4   src(4) dst(4) sport(2) dport(2)  12 bytes
 *   IPv6      src(16) dst(16)               32 bytes
 *   IPv6+L4   src(16) dst(16) sport(2) dport(2) 36 bytes
 */

#include <stddef.h>
#include <stdint.h>

#include "evq_hw.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest hash input a 40-byte key can hash (key bits - 32). */
#define EVQ_RSS_INPUT_MAX	(EVQ_RSS_KEY_SIZE - 4)

/**
 * Bitwise reference Toeplitz hash: for every set bit i of the input (MSB
 * first), XOR the 32 key bits starting at bit i. Key bits past key_len
 * count as 0.
 */
uint32_t evq_toeplitz_hash_ref(const uint8_t *key, size_t key_len,
		const uint8_t *in, size_t len);

/**
 * Per-key lookup table: table[i][b] is the contribution of byte value b at
 * input byte i, so a hash is one XOR per input byte. 36 KiB; build it once
 * per key (EVQ_REG_RSS_KEY writes) with evq_toeplitz_init().
 */
struct evq_toeplitz {
	uint8_t key[EVQ_RSS_KEY_SIZE];
	uint32_t table[EVQ_RSS_INPUT_MAX][256];
};

/** Build the table for key (NULL = evq_rss_default_key). */
void evq_toeplitz_init(struct evq_toeplitz *t, const uint8_t *key);

/**
 * Hash len bytes (len <= EVQ_RSS_INPUT_MAX; bytes past that are ignored,
 * the key has no bits for them).
 */
static inline uint32_t
evq_toeplitz_hash(const struct evq_toeplitz *t, const uint8_t *in, size_t len)
{
	uint32_t h = 0;
	size_t i;

	if (len > EVQ_RSS_INPUT_MAX)
		len = EVQ_RSS_INPUT_MAX;
	for (i = 0; i < len; i++)
		h ^= t->table[i][in[i]];
	return h;
}

/* ------------------------------------------------------------------ */
/* Hash input builders (addresses in network order, ports host order) */
/* ------------------------------------------------------------------ */

/** @return bytes written to out (8). */
size_t evq_rss_input_ipv4(uint8_t *out, const uint8_t src[4], const uint8_t dst[4]);
/** @return bytes written to out (12). */
size_t evq_rss_input_ipv4_l4(uint8_t *out, const uint8_t src[4], const uint8_t dst[4],
		uint16_t sport, uint16_t dport);
/** @return bytes written to out (32). */
size_t evq_rss_input_ipv6(uint8_t *out, const uint8_t src[16], const uint8_t dst[16]);
/** @return bytes written to out (36). */
size_t evq_rss_input_ipv6_l4(uint8_t *out, const uint8_t src[16], const uint8_t dst[16],
		uint16_t sport, uint16_t dport);

/* ------------------------------------------------------------------ */
/* Packet parser                                                      */
/* ------------------------------------------------------------------ */

/** evq_pkt_parse() flag: verify the IPv4 header and TCP/UDP checksums. */
#define EVQ_PARSE_F_CSUM	(1u << 0)

/** What the adapter learns from a frame before it steers it. */
struct evq_pkt_info {
	uint8_t ptype;		/**< enum evq_ptype */
	uint8_t rx_flags;	/**< EVQ_RX_F_VLAN, EVQ_RX_F_L3/L4_CSUM_* */
	uint16_t vlan_tci;	/**< valid with EVQ_RX_F_VLAN */
	uint16_t l3_offset;	/**< 0 if no L3 header was recognised */
	uint16_t l4_offset;	/**< 0 if no L4 header was recognised */
	uint32_t hash_type;	/**< the EVQ_RSS_HASH_* bit used, 0 = no hash */
	uint8_t hash_input_len;	/**< 0, 8, 12, 32 or 36 */
	uint8_t hash_input[EVQ_RSS_INPUT_MAX];
};

/**
 * Classify an Ethernet frame (no FCS; at most one 802.1Q tag) and build
 * its hash input for the enabled hash types, following Microsoft's
 * selection: TCP (UDP) uses the 4-tuple when IPV4_TCP (IPV4_UDP) is
 * enabled, else the 2-tuple when IPV4 is enabled; other IP packets and
 * fragments use the 2-tuple; likewise for IPv6. Every read is bounded by
 * len and by the IP lengths; a truncated or malformed header ends the
 * classification at the last layer that was whole (so a short frame is
 * EVQ_PTYPE_L2 and gets no hash).
 * @param hash_types EVQ_RSS_HASH_* enables (EVQ_REG_RSS_CTRL)
 * @param flags EVQ_PARSE_F_*
 * @return 0; -EINVAL if frame or info is NULL, len < EVQ_FRAME_MIN, or
 *   hash_types/flags have unknown bits (info is then zeroed).
 */
int evq_pkt_parse(const void *frame, size_t len, uint32_t hash_types,
		uint32_t flags, struct evq_pkt_info *info);

/** Hash of a parsed frame (0 when info->hash_type is 0). */
static inline uint32_t
evq_rss_hash_pkt(const struct evq_toeplitz *t, const struct evq_pkt_info *info)
{
	return info->hash_type != 0 ?
		evq_toeplitz_hash(t, info->hash_input, info->hash_input_len) : 0;
}

/**
 * RETA lookup: entry (hash & mask). mask is EVQ_REG_RSS_HASH_MASK; it is
 * clamped to the table so that a bad mask can never index outside it.
 */
static inline uint8_t
evq_rss_reta_lookup(const uint8_t reta[EVQ_RETA_SIZE], uint32_t mask, uint32_t hash)
{
	return reta[hash & mask & (EVQ_RETA_SIZE - 1)];
}

/** Is mask a legal EVQ_REG_RSS_HASH_MASK value (2^k - 1, k <= log2 RETA)? */
static inline int
evq_rss_hash_mask_valid(uint32_t mask)
{
	return mask < EVQ_RETA_SIZE && (mask & (mask + 1)) == 0;
}

/**
 * Internet checksum helper (RFC 1071) over len bytes, folded, not
 * complemented; sum is a running 32-bit accumulator (start with 0).
 */
uint32_t evq_csum_add(uint32_t sum, const uint8_t *data, size_t len);
/** Fold a running sum to 16 bits. */
uint16_t evq_csum_fold(uint32_t sum);

/** Network-order (big-endian) 16-bit fields of a frame. */
static inline void
evq_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline uint16_t
evq_get_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

#ifdef __cplusplus
}
#endif

#endif /* SIM_TOEPLITZ_H */
