/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * sim_offload.c: the adapter's transmit offloads (datasheet "TX offloads").
 * Owns: finding a packet's headers for an offload, the IPv4 header and
 * TCP/UDP checksums, 802.1Q tag insertion, and TCP segmentation (TSO):
 * one gathered packet becomes segments of mss payload bytes with fixed-up
 * headers. The TX engine (sim_engine.c) calls this only for packets whose
 * first descriptor asks for an offload; plain packets never come here.
 */

#include <string.h>

#include "sim.h"
#include "sim_toeplitz.h"

#define SIM_IPPROTO_TCP		6
#define SIM_IPPROTO_UDP		17
#define SIM_TCP_FIN		0x01
#define SIM_TCP_PSH		0x08
#define SIM_TCP_CWR		0x80
#define SIM_VLAN_TPID		0x8100
#define SIM_VLAN_LEN		4

int
sim_offload_parse(const uint8_t *frame, uint32_t len, struct sim_offload_hdrs *h)
{
	struct evq_pkt_info info;

	memset(h, 0, sizeof(*h));
	if (evq_pkt_parse(frame, len, 0, 0, &info) != 0 || info.l3_offset == 0)
		return -1;
	h->l3 = info.l3_offset;
	switch (info.ptype) {
	case EVQ_PTYPE_IPV4_TCP:
	case EVQ_PTYPE_IPV6_TCP:
		h->proto = SIM_IPPROTO_TCP;
		break;
	case EVQ_PTYPE_IPV4_UDP:
	case EVQ_PTYPE_IPV6_UDP:
		h->proto = SIM_IPPROTO_UDP;
		break;
	default:
		h->proto = 0;
		break;
	}
	h->ipv4 = info.ptype == EVQ_PTYPE_IPV4 || info.ptype == EVQ_PTYPE_IPV4_TCP ||
		info.ptype == EVQ_PTYPE_IPV4_UDP;
	h->l4 = h->proto != 0 ? info.l4_offset : 0;
	/* where the IP packet ends (a frame may carry padding after it) */
	if (h->ipv4)
		h->l3_end = h->l3 + evq_get_be16(frame + h->l3 + 2);
	else
		h->l3_end = h->l3 + 40 + evq_get_be16(frame + h->l3 + 4);
	h->hdr_len = h->proto == SIM_IPPROTO_TCP ?
		h->l4 + (uint32_t)(frame[h->l4 + 12] >> 4) * 4 : h->l4;
	return 0;
}

/* The checksums a packet asked for, in place. */
static void
sim_offload_csum(uint8_t *frame, const struct sim_offload_hdrs *h, uint16_t flags)
{
	if ((flags & (EVQ_TX_DESC_F_IP_CSUM | EVQ_TX_DESC_F_TSO)) && h->ipv4) {
		uint8_t *ip = frame + h->l3;
		uint32_t ihl = (uint32_t)(ip[0] & 0x0f) * 4;

		evq_put_be16(ip + 10, 0);
		evq_put_be16(ip + 10, (uint16_t)~evq_csum_fold(evq_csum_add(0, ip, ihl)));
	}
	if ((flags & (EVQ_TX_DESC_F_L4_CSUM | EVQ_TX_DESC_F_TSO)) && h->l4 != 0) {
		uint8_t *ip = frame + h->l3, *l4 = frame + h->l4;
		uint32_t seg_len = h->l3_end - h->l4, sum;
		uint8_t *field;
		uint16_t c;

		if (h->proto == SIM_IPPROTO_UDP)
			seg_len = evq_get_be16(l4 + 4);
		field = l4 + (h->proto == SIM_IPPROTO_TCP ? 16 : 6);
		evq_put_be16(field, 0);
		sum = h->ipv4 ? evq_csum_add(0, ip + 12, 8) : evq_csum_add(0, ip + 8, 32);
		sum = evq_csum_add(sum + h->proto + seg_len, l4, seg_len);
		c = (uint16_t)~evq_csum_fold(sum);
		if (c == 0 && h->proto == SIM_IPPROTO_UDP)
			c = 0xffff;	/* 0 means "no checksum" in UDP */
		evq_put_be16(field, c);
	}
}

/* Insert an 802.1Q tag after the source MAC address; the buffer has room. */
static uint32_t
sim_offload_vlan(uint8_t *frame, uint32_t len, uint16_t tci)
{
	memmove(frame + 12 + SIM_VLAN_LEN, frame + 12, len - 12);
	evq_put_be16(frame + 12, SIM_VLAN_TPID);
	evq_put_be16(frame + 14, tci);
	return len + SIM_VLAN_LEN;
}

uint32_t
sim_offload_apply(uint8_t *frame, uint32_t len, uint16_t flags, uint16_t vlan_tci)
{
	struct sim_offload_hdrs h;

	if ((flags & (EVQ_TX_DESC_F_IP_CSUM | EVQ_TX_DESC_F_L4_CSUM)) &&
			sim_offload_parse(frame, len, &h) == 0)
		sim_offload_csum(frame, &h, flags);
	if (flags & EVQ_TX_DESC_F_VLAN)
		len = sim_offload_vlan(frame, len, vlan_tci);
	return len;
}

uint32_t
sim_tso_count(const struct sim_offload_hdrs *h, uint16_t mss)
{
	uint32_t payload = h->l3_end - h->hdr_len;

	return payload == 0 ? 1 : (payload + mss - 1) / mss;
}

uint32_t
sim_tso_segment(const uint8_t *pkt, const struct sim_offload_hdrs *h, uint16_t mss,
		uint32_t i, uint16_t flags, uint16_t vlan_tci, uint8_t *out)
{
	uint32_t nseg = sim_tso_count(h, mss);
	uint32_t off = h->hdr_len + i * (uint32_t)mss;
	uint32_t n = h->l3_end - off < mss ? h->l3_end - off : mss;
	struct sim_offload_hdrs sh = *h;
	uint8_t *ip = out + h->l3, *tcp = out + h->l4;
	uint32_t seq;

	if (off > h->l3_end)
		n = 0;
	memcpy(out, pkt, h->hdr_len);
	memcpy(out + h->hdr_len, pkt + off, n);
	sh.l3_end = h->hdr_len + n;
	if (h->ipv4) {
		evq_put_be16(ip + 2, (uint16_t)(sh.l3_end - h->l3));
		evq_put_be16(ip + 4, (uint16_t)(evq_get_be16(pkt + h->l3 + 4) + i));
	} else {
		evq_put_be16(ip + 4, (uint16_t)(sh.l3_end - h->l3 - 40));
	}
	seq = ((uint32_t)evq_get_be16(tcp + 4) << 16 | evq_get_be16(tcp + 6)) + i * (uint32_t)mss;
	evq_put_be16(tcp + 4, (uint16_t)(seq >> 16));
	evq_put_be16(tcp + 6, (uint16_t)seq);
	if (i + 1 < nseg)
		tcp[13] &= (uint8_t)~(SIM_TCP_FIN | SIM_TCP_PSH);
	if (i != 0)
		tcp[13] &= (uint8_t)~SIM_TCP_CWR;
	sim_offload_csum(out, &sh, EVQ_TX_DESC_F_TSO);
	if (flags & EVQ_TX_DESC_F_VLAN)
		return sim_offload_vlan(out, sh.l3_end, vlan_tci);
	return sh.l3_end;
}
