/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq-sim datapath on its wires: real frames through loop, pair, gen,
 * sink, pcap and tap (the test client is a minimal driver: lib/evq_ring
 * consumers over a DMA-mapped memfd), the same traffic over EQs on the
 * phase validity rule, bad descriptors and DMA faults, and clean shutdown
 * with final statistics.
 */

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim_client.h"

/* One port brought up: EQ 0 global, EQ 1 RX queue 0, EQ 2 TX queue 0. */
struct port_ctx {
	struct sc_dev dev;
	struct sc_eq eq0, eq_rx, eq_tx;
	struct sc_rxq rxq;
	struct sc_txq txq;
	uint8_t mac[6];
};

/* ... with the Rx and Tx EQs' sizes and EQ_CTRL flags (validity rule) */
static void
port_up_eqs(struct port_ctx *p, const char *sock, uint32_t rx_post, bool enable,
		uint32_t rx_eq_size, uint32_t tx_eq_size, uint32_t eq_flags)
{
	uint32_t lo, hi;

	cr_assert_eq(sc_dev_open(&p->dev, sock, 16 << 20), 0, "connect %s", sock);
	cr_assert_eq(sc_eq_setup(&p->dev, &p->eq0, 0, 256, 0), 0);
	cr_assert_eq(sc_eq_setup(&p->dev, &p->eq_rx, 1, rx_eq_size, eq_flags), 0);
	cr_assert_eq(sc_eq_setup(&p->dev, &p->eq_tx, 2, tx_eq_size, eq_flags), 0);
	cr_assert_eq(sc_wr32(&p->dev, EVQ_REG_MVM(EVQ_EVCLASS_RX, 0), evq_mvm_entry(1, 1, 0)), 0);
	cr_assert_eq(sc_wr32(&p->dev, EVQ_REG_MVM(EVQ_EVCLASS_TX, 0), evq_mvm_entry(2, 2, 0)), 0);
	cr_assert_eq(sc_rxq_setup(&p->dev, &p->rxq, 0, 512, 2048, rx_post), 0);
	cr_assert_eq(sc_txq_setup(&p->dev, &p->txq, 0, 512), 0);
	lo = sc_r32(&p->dev, EVQ_REG_MAC_LO);
	hi = sc_r32(&p->dev, EVQ_REG_MAC_HI);
	memcpy(p->mac, &lo, 4);
	memcpy(p->mac + 4, &hi, 2);
	if (enable)
		cr_assert_eq(sc_wr32(&p->dev, EVQ_REG_DEV_CTRL, EVQ_DEV_CTRL_ENABLE), 0);
}

static void
port_up(struct port_ctx *p, const char *sock, uint32_t rx_post, bool enable)
{
	port_up_eqs(p, sock, rx_post, enable, 1024, 256, 0);
}

/* Receive one frame (one descriptor); returns its length, 0 on timeout. */
static uint32_t
rx_one(struct port_ctx *p, uint8_t *buf, struct evq_ev_rx *out, int timeout_ms)
{
	struct evq_event ev;
	struct evq_ev_rx *rx = (struct evq_ev_rx *)&ev;
	uint32_t idx;

	if (!sc_eq_next(&p->eq_rx, &ev, timeout_ms))
		return 0;
	cr_assert_eq(evq_ctrl_code(ev.ctrl), EVQ_EV_RX, "code 0x%x",
		evq_ctrl_code(ev.ctrl));
	idx = evq_ctrl_param(ev.ctrl) & EVQ_EV_RX_DESC_MASK;
	cr_assert_lt(idx, p->rxq.size);
	if (out != NULL)
		*out = *rx;
	if (buf != NULL && !(rx->flags & EVQ_RX_F_ERROR))
		memcpy(buf, p->rxq.bufs + (size_t)idx * p->rxq.buf_size, rx->len);
	return rx->flags & EVQ_RX_F_ERROR ? 0 : rx->len;
}

static uint32_t
tx_done(struct port_ctx *p, int timeout_ms)
{
	struct evq_event ev;
	uint32_t done = 0;

	while (sc_eq_next(&p->eq_tx, &ev, timeout_ms)) {
		struct evq_ev_tx *tx = (struct evq_ev_tx *)&ev;

		cr_assert_eq(evq_ctrl_code(ev.ctrl), EVQ_EV_TX);
		done = tx->done_count;
		if (done == p->txq.tail)
			break;
	}
	return done;
}

Test(sim_datapath, loop_moves_frames, .timeout = 60)
{
	static const char *const args[] = { "--quiet", "--wire", "loop", NULL };
	struct sc_sim sim;
	struct port_ctx p;
	uint8_t frame[1500], got[2048];
	struct evq_ev_rx rx;
	unsigned int i;

	cr_assert_eq(sc_sim_start(&sim, 1, args), 0);
	port_up(&p, sim.sock[0], 512, true);
	for (i = 0; i < 100; i++) {
		uint16_t len = (uint16_t)(60 + i * 13);

		sc_frame_udp4(frame, len, p.mac, 0x0a000001 + i, 0x0a000002, 1000, 2000);
		sc_txq_put(&p.txq, frame, len, EVQ_TX_DESC_F_EOP);
	}
	sc_txq_ring(&p.txq);
	for (i = 0; i < 100; i++) {
		uint16_t len = (uint16_t)(60 + i * 13);
		uint32_t n = rx_one(&p, got, &rx, 2000);

		sc_frame_udp4(frame, len, p.mac, 0x0a000001 + i, 0x0a000002, 1000, 2000);
		cr_assert_eq(n, len, "frame %u: %u bytes, expected %u", i, n, len);
		cr_assert_eq(memcmp(got, frame, len), 0, "frame %u corrupted", i);
		cr_assert(rx.flags & EVQ_RX_F_EOP);
		cr_assert(rx.flags & EVQ_RX_F_L3_CSUM_OK);
		cr_assert_eq(rx.ptype, EVQ_PTYPE_IPV4_UDP);
		cr_assert_eq(rx.pkt_len, len);
	}
	cr_assert_eq(tx_done(&p, 2000), 100, "TX completions");
	cr_assert_eq(sc_r32(&p.dev, EVQ_REG_TXQ(0, EVQ_TXQ_HEAD)), 100);
	cr_assert_eq(sc_r64(&p.dev, EVQ_REG_STAT(EVQ_STAT_RX_PACKETS)), 100);
	cr_assert_eq(sc_r64(&p.dev, EVQ_REG_RXQ(0, EVQ_RXQ_PACKETS_LO)), 100);
	cr_assert_eq(sc_r64(&p.dev, EVQ_REG_STAT(EVQ_STAT_TX_PACKETS)), 100);
	/* multi-segment TX, scatter RX into 256-byte... (buffers are 2 KiB) */
	sc_frame_udp4(frame, 1000, p.mac, 1, 2, 3, 4);
	sc_txq_put(&p.txq, frame, 400, 0);
	sc_txq_put(&p.txq, frame + 400, 600, EVQ_TX_DESC_F_EOP);
	sc_txq_ring(&p.txq);
	cr_assert_eq(rx_one(&p, got, NULL, 2000), 1000);
	cr_assert_eq(memcmp(got, frame, 1000), 0);
	/* a frame to another MAC is filtered; promiscuous accepts it */
	{
		static const uint8_t other[6] = { 0x02, 1, 2, 3, 4, 5 };

		sc_frame_udp4(frame, 64, other, 1, 2, 3, 4);
		sc_txq_put(&p.txq, frame, 64, EVQ_TX_DESC_F_EOP);
		sc_txq_ring(&p.txq);
		cr_assert_eq(rx_one(&p, got, NULL, 200), 0, "filtered frame delivered");
		cr_assert_eq(sc_wr32(&p.dev, EVQ_REG_RX_FILTER, EVQ_RX_FILTER_PROMISC), 0);
		sc_txq_put(&p.txq, frame, 64, EVQ_TX_DESC_F_EOP);
		sc_txq_ring(&p.txq);
		cr_assert_eq(rx_one(&p, got, NULL, 2000), 64);
	}
	sc_dev_close(&p.dev);
	cr_assert_eq(sc_sim_stop(&sim), 0);
}

/*
 * An Rx buffer that overlaps the Tx buffer of the frame it receives (the
 * loop wire moves a frame from one to the other in the same DMA memory; a
 * driver can post such buffers): the frame arrives whole, as if read
 * before it was written. Before, evq-sim copied with memcpy over
 * overlapping ranges: a 64-byte frame 16 bytes further on came out
 * corrupted, and ASan (build-san) reports memcpy-param-overlap for both.
 */
Test(sim_datapath, rx_buffer_overlapping_its_tx_buffer, .timeout = 60)
{
	static const char *const args[] = { "--quiet", "--wire", "loop", NULL };
	static const struct { uint16_t len; int shift; } cases[] = {
		{ 64, 16 },	/* the two fixed-size copies of small frames */
		{ 200, 100 },	/* one copy of the whole frame, Rx ahead */
		{ 200, -100 },	/* ... Rx behind */
	};
	struct sc_sim sim;
	struct port_ctx p;
	uint8_t frame[256], got[2048];
	unsigned int i;

	cr_assert_eq(sc_sim_start(&sim, 1, args), 0);
	port_up(&p, sim.sock[0], 0, true);
	cr_assert_eq(sc_wr32(&p.dev, EVQ_REG_RX_FILTER, EVQ_RX_FILTER_PROMISC), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* the Tx buffer sc_txq_put() fills next (slot i; the Rx buffer
		 * of the first case lies before the second's: no overlap) */
		uint8_t *src = p.txq.bufs + (size_t)(p.txq.tail & (p.txq.size - 1)) * 2048;
		uint32_t slot = p.rxq.tail & (p.rxq.size - 1);

		sc_frame_udp4(frame, cases[i].len, p.mac, 0x0a000001 + i, 0x0a000002, 1000, 2000);
		p.rxq.ring[slot].buf_iova = sc_iova(src + cases[i].shift);
		p.rxq.ring[slot].buf_len = 2048;
		sc_rxq_refill(&p.rxq, 1);
		sc_txq_put(&p.txq, frame, cases[i].len, EVQ_TX_DESC_F_EOP);
		sc_txq_ring(&p.txq);
		cr_assert_eq(rx_one(&p, NULL, NULL, 2000), cases[i].len, "frame %u", i);
		memcpy(got, src + cases[i].shift, cases[i].len);
		cr_assert_eq(memcmp(got, frame, cases[i].len), 0,
			"frame %u (%u bytes, Rx buffer %+d bytes from its Tx buffer) corrupted",
			i, cases[i].len, cases[i].shift);
	}
	sc_dev_close(&p.dev);
	cr_assert_eq(sc_sim_stop(&sim), 0);
}

/*
 * Frames over the loop wire with the Rx and Tx EQs on the phase rule, small
 * enough for many laps (Rx EQ 64 entries: 40 laps; Tx EQ 16): every frame
 * arrives intact and in order with its queue in the event's bits 22:16, the
 * device writes each lap's phase bit, learns of free space from the read
 * counts the consumers publish (every quarter of the EQ), and never
 * overflows.
 */
Test(sim_datapath, loop_phase_eqs_many_laps, .timeout = 60)
{
	static const char *const args[] = { "--quiet", "--wire", "loop", NULL };
	const uint32_t rounds = 80, burst = 32, total = rounds * burst;
	struct sc_sim sim;
	struct port_ctx p;
	uint8_t frame[256], got[2048];
	struct evq_ev_rx rx;
	uint32_t r, i, k, read;

	cr_assert_eq(sc_sim_start(&sim, 1, args), 0);
	port_up_eqs(&p, sim.sock[0], 512, true, 64, 16, EVQ_EQ_CTRL_PHASE);
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < burst; i++) {
			uint16_t len = (uint16_t)(60 + (r * burst + i) % 190);

			sc_frame_udp4(frame, len, p.mac, 0x0a000001 + r, 0x0a000002,
				(uint16_t)i, 2000);
			sc_txq_put(&p.txq, frame, len, EVQ_TX_DESC_F_EOP);
		}
		sc_txq_ring(&p.txq);
		for (i = 0; i < burst; i++) {
			uint16_t len = (uint16_t)(60 + (r * burst + i) % 190);
			uint32_t n = rx_one(&p, got, &rx, 2000);

			sc_frame_udp4(frame, len, p.mac, 0x0a000001 + r, 0x0a000002,
				(uint16_t)i, 2000);
			cr_assert_eq(n, len, "round %u frame %u: %u bytes, expected %u", r, i,
				n, len);
			cr_assert_eq(memcmp(got, frame, len), 0, "round %u frame %u corrupted",
				r, i);
			cr_assert_eq((evq_ctrl_param(rx.ctrl) & EVQ_EV_RX_QUEUE_MASK) >>
				EVQ_EV_RX_QUEUE_SHIFT, 0);
		}
		sc_rxq_refill(&p.rxq, burst);
		cr_assert_eq(tx_done(&p, 2000), (r + 1) * burst, "round %u: TX completions", r);
	}
	/* each Rx EQ entry holds the last lap's phase bit: bit 6 of its count */
	for (k = 0; k < 64; k++) {
		uint32_t c = ((total - 1 - k) & ~63u) + k;
		uint32_t w = __atomic_load_n((const uint32_t *)((const uint8_t *)p.eq_rx.mem +
			16 * k), __ATOMIC_ACQUIRE);

		cr_assert_eq(evq_ctrl_code(w), EVQ_EV_RX);
		cr_assert_eq((w & EVQ_CTRL_PHASE) != 0, ((c >> 6) & 1) != 0,
			"entry %u (count %u): control word 0x%08x", k, c, w);
	}
	cr_assert_eq(sc_r32(&p.dev, EVQ_REG_EQ(1, EVQ_EQ_WRITE_COUNT)), total);
	cr_assert_eq(sc_r32(&p.dev, EVQ_REG_EQ(1, EVQ_EQ_OVERFLOWS)), 0);
	cr_assert_eq(sc_r32(&p.dev, EVQ_REG_EQ(2, EVQ_EQ_OVERFLOWS)), 0);
	cr_assert_eq(sc_r64(&p.dev, EVQ_REG_STAT(EVQ_STAT_EVENTS_LOST)), 0);
	/* the device's read count becomes the consumer's last publication
	 * (read count 2560, a multiple of 16) once the engine has seen it */
	{
		uint64_t deadline = sc_ms() + 2000;

		do
			read = sc_r32(&p.dev, EVQ_REG_EQ(1, EVQ_EQ_READ_COUNT));
		while (read != total && sc_ms() < deadline);
	}
	cr_assert_eq(read, total, "read count %u of %u", read, total);
	cr_assert_eq(sc_r64(&p.dev, EVQ_REG_STAT(EVQ_STAT_BAD_DOORBELLS)), 0);
	cr_assert_eq(sc_r64(&p.dev, EVQ_REG_STAT(EVQ_STAT_RX_PACKETS)), total);
	sc_dev_close(&p.dev);
	cr_assert_eq(sc_sim_stop(&sim), 0);
}

Test(sim_datapath, pair_crosses_ports, .timeout = 60)
{
	static const char *const args[] = { "--quiet", "--wire", "pair", NULL };
	struct sc_sim sim;
	struct port_ctx a, b;
	uint8_t frame[256], got[2048];
	unsigned int i;

	cr_assert_eq(sc_sim_start(&sim, 2, args), 0);
	port_up(&a, sim.sock[0], 512, true);
	port_up(&b, sim.sock[1], 512, true);
	for (i = 0; i < 50; i++) {
		sc_frame_udp4(frame, 128, b.mac, i, 2, 3, 4);
		sc_txq_put(&a.txq, frame, 128, EVQ_TX_DESC_F_EOP);
	}
	sc_txq_ring(&a.txq);
	for (i = 0; i < 50; i++) {
		sc_frame_udp4(frame, 128, b.mac, i, 2, 3, 4);
		cr_assert_eq(rx_one(&b, got, NULL, 2000), 128, "frame %u", i);
		cr_assert_eq(memcmp(got, frame, 128), 0);
	}
	cr_assert_eq(rx_one(&a, got, NULL, 100), 0, "port 0 received its own TX");
	cr_assert_eq(tx_done(&a, 2000), 50);
	sc_dev_close(&a.dev);
	sc_dev_close(&b.dev);
	cr_assert_eq(sc_sim_stop(&sim), 0);
}

Test(sim_datapath, gen_delivers_valid_traffic, .timeout = 60)
{
	static const char *const args[] = { "--quiet", "--wire", "gen", "--rate", "20000",
		"--gen-flows", "16", "--gen-size", "128", "--gen-l4", "tcp", NULL };
	struct sc_sim sim;
	struct port_ctx p;
	struct evq_ev_rx rx;
	uint8_t got[2048];
	unsigned int i;

	cr_assert_eq(sc_sim_start(&sim, 1, args), 0);
	port_up(&p, sim.sock[0], 512, false);
	cr_assert_eq(sc_wr32(&p.dev, EVQ_REG_RSS_CTRL, EVQ_RSS_HASH_ALL), 0);
	cr_assert_eq(sc_wr32(&p.dev, EVQ_REG_DEV_CTRL, EVQ_DEV_CTRL_ENABLE), 0);
	for (i = 0; i < 100; i++) {
		uint32_t n = rx_one(&p, got, &rx, 2000);

		cr_assert_eq(n, 128, "gen frame %u: %u bytes", i, n);
		cr_assert_eq(memcmp(got, p.mac, 6), 0, "sent to the port's MAC");
		cr_assert_eq(rx.ptype, EVQ_PTYPE_IPV4_TCP);
		cr_assert(rx.flags & EVQ_RX_F_L3_CSUM_OK, "IPv4 checksum");
		cr_assert(rx.flags & EVQ_RX_F_L4_CSUM_OK, "TCP checksum");
		cr_assert(rx.flags & EVQ_RX_F_RSS);
		sc_rxq_refill(&p.rxq, 1);
	}
	sc_dev_close(&p.dev);
	cr_assert_eq(sc_sim_stop(&sim), 0);
}

Test(sim_datapath, gen_ipv6_udp, .timeout = 60)
{
	static const char *const args[] = { "--quiet", "--wire", "gen", "--rate", "20000",
		"--gen-ip", "6", "--gen-size", "100", NULL };
	struct sc_sim sim;
	struct port_ctx p;
	struct evq_ev_rx rx;
	unsigned int i;

	cr_assert_eq(sc_sim_start(&sim, 1, args), 0);
	port_up(&p, sim.sock[0], 512, true);
	for (i = 0; i < 20; i++) {
		cr_assert_eq(rx_one(&p, NULL, &rx, 2000), 100);
		cr_assert_eq(rx.ptype, EVQ_PTYPE_IPV6_UDP);
		cr_assert(rx.flags & EVQ_RX_F_L4_CSUM_OK);
	}
	sc_dev_close(&p.dev);
	cr_assert_eq(sc_sim_stop(&sim), 0);
}

Test(sim_datapath, sink_completes_tx, .timeout = 60)
{
	static const char *const args[] = { "--quiet", "--wire", "sink", NULL };
	struct sc_sim sim;
	struct port_ctx p;
	uint8_t frame[64];
	unsigned int i;

	cr_assert_eq(sc_sim_start(&sim, 1, args), 0);
	port_up(&p, sim.sock[0], 512, true);
	for (i = 0; i < 300; i++) {
		sc_frame_udp4(frame, 64, p.mac, i, 2, 3, 4);
		sc_txq_put(&p.txq, frame, 64, EVQ_TX_DESC_F_EOP);
	}
	sc_txq_ring(&p.txq);
	cr_assert_eq(tx_done(&p, 2000), 300);
	cr_assert_eq(rx_one(&p, NULL, NULL, 100), 0);
	cr_assert_eq(sc_r64(&p.dev, EVQ_REG_STAT(EVQ_STAT_TX_PACKETS)), 300);
	cr_assert_eq(sc_r64(&p.dev, EVQ_REG_STAT(EVQ_STAT_TX_BYTES)), 300 * 64);
	sc_dev_close(&p.dev);
	cr_assert_eq(sc_sim_stop(&sim), 0);
}

Test(sim_datapath, bad_descriptors_and_dma_faults, .timeout = 60)
{
	static const char *const args[] = { "--quiet", "--wire", "loop", NULL };
	struct sc_sim sim;
	struct port_ctx p;
	struct evq_ev_rx rx;
	struct evq_event ev;
	uint8_t frame[64];
	uint32_t slot;

	cr_assert_eq(sc_sim_start(&sim, 1, args), 0);
	port_up(&p, sim.sock[0], 0, true);
	/* RX descriptor 0 points outside every mapping */
	p.rxq.ring[0].buf_iova = 0x10;
	sc_rxq_refill(&p.rxq, 2);
	sc_frame_udp4(frame, 64, p.mac, 1, 2, 3, 4);
	sc_txq_put(&p.txq, frame, 64, EVQ_TX_DESC_F_EOP);
	/* TX descriptor outside every mapping: dropped, completed */
	slot = p.txq.tail & (p.txq.size - 1);
	sc_txq_put(&p.txq, frame, 64, EVQ_TX_DESC_F_EOP);
	p.txq.ring[slot].buf_iova = 0x7000000000ull;
	/* zero-length segment and unknown flag bits */
	sc_txq_put(&p.txq, frame, 64, EVQ_TX_DESC_F_EOP | 0x80);
	sc_txq_ring(&p.txq);
	cr_assert(sc_eq_next(&p.eq_rx, &ev, 2000));
	memcpy(&rx, &ev, sizeof(rx));
	cr_assert(rx.flags & EVQ_RX_F_ERROR, "bad RX buffer not reported");
	cr_assert_eq(tx_done(&p, 2000), 3, "bad packets are completed too");
	cr_assert_geq(sc_r32(&p.dev, EVQ_REG_TXQ(0, EVQ_TXQ_ERRORS)), 2);
	cr_assert_geq(sc_r64(&p.dev, EVQ_REG_STAT(EVQ_STAT_DMA_FAULTS)), 2);
	cr_assert(sc_eq_find(&p.eq0, EVQ_EV_DEV_ERROR, &ev, 1000));

	/* unmapping the memory under live rings stops them (no crash) */
	cr_assert_eq(evq_vfu_client_dma_unmap(&p.dev.conn, sc_iova(p.dev.mem),
		p.dev.mem_size, 0), 0);
	cr_assert(sc_r32(&p.dev, EVQ_REG_RXQ(0, EVQ_RXQ_STATUS)) & EVQ_QSTATUS_FAULT);
	cr_assert(sc_r32(&p.dev, EVQ_REG_TXQ(0, EVQ_TXQ_STATUS)) & EVQ_QSTATUS_FAULT);
	cr_assert_eq(sc_r32(&p.dev, EVQ_REG_EQ(1, EVQ_EQ_STATE)) & EVQ_EQ_STATE_MASK,
		EVQ_EQ_UNDEFINED);
	cr_assert_eq(sc_r32(&p.dev, EVQ_REG_ID), EVQ_ID_VALUE);
	sc_dev_close(&p.dev);
	cr_assert(sc_sim_alive(&sim));
	cr_assert_eq(sc_sim_stop(&sim), 0);
}

/*
 * vfio-user.rst, VFIO_USER_DMA_MAP without a file descriptor: the adapter
 * records the map but cannot reach the memory. A descriptor pointing into
 * it is a DMA fault reported on EQ 0 (datasheet, DMA rules), nothing is
 * written anywhere and the adapter keeps running.
 */
Test(sim_datapath, dma_map_without_fd_is_a_fault, .timeout = 60)
{
	static const char *const args[] = { "--quiet", "--wire", "loop", NULL };
	const uint64_t hole = 0x7000000000ull, hole_size = 1 << 20;
	struct evq_vfu_dma_map map = {
		.argsz = sizeof(map), .flags = EVQ_VFU_DMA_F_READ | EVQ_VFU_DMA_F_WRITE,
		.offset = 0, .addr = hole, .size = hole_size,
	};
	struct sc_sim sim;
	struct port_ctx p;
	struct evq_ev_rx rx;
	struct evq_event ev;
	uint8_t frame[64];
	uint64_t faults;
	uint32_t slot;

	cr_assert_eq(sc_sim_start(&sim, 1, args), 0);
	port_up(&p, sim.sock[0], 0, true);
	cr_assert_eq(evq_vfu_client_call(&p.dev.conn, EVQ_VFU_CMD_DMA_MAP, &map,
		sizeof(map), NULL, 0, NULL, 0, NULL, NULL, NULL), 0,
		"DMA_MAP without fd refused");
	/* it is a map: an overlapping one is refused (EEXIST) */
	cr_assert_eq(evq_vfu_client_dma_map(&p.dev.conn, p.dev.memfd, 0, hole, 4096,
		EVQ_VFU_DMA_F_READ), -EEXIST);
	faults = sc_r64(&p.dev, EVQ_REG_STAT(EVQ_STAT_DMA_FAULTS));
	/* an RX buffer and a TX buffer inside the unreachable map */
	p.rxq.ring[0].buf_iova = hole;
	sc_rxq_refill(&p.rxq, 2);
	sc_frame_udp4(frame, 64, p.mac, 1, 2, 3, 4);
	sc_txq_put(&p.txq, frame, 64, EVQ_TX_DESC_F_EOP);
	slot = p.txq.tail & (p.txq.size - 1);
	sc_txq_put(&p.txq, frame, 64, EVQ_TX_DESC_F_EOP);
	p.txq.ring[slot].buf_iova = hole + 4096;
	sc_txq_ring(&p.txq);
	cr_assert(sc_eq_next(&p.eq_rx, &ev, 2000));
	memcpy(&rx, &ev, sizeof(rx));
	cr_assert(rx.flags & EVQ_RX_F_ERROR, "RX into the map without fd not an error");
	cr_assert_eq(tx_done(&p, 2000), 2);
	cr_assert_geq(sc_r64(&p.dev, EVQ_REG_STAT(EVQ_STAT_DMA_FAULTS)), faults + 2);
	cr_assert(sc_eq_find(&p.eq0, EVQ_EV_DEV_ERROR, &ev, 1000),
		"no DMA fault reported on EQ 0");
	/* the map goes away with a range unmap like any other */
	cr_assert_eq(evq_vfu_client_dma_unmap(&p.dev.conn, hole, hole_size, 0), 0);
	cr_assert_eq(sc_r32(&p.dev, EVQ_REG_ID), EVQ_ID_VALUE);
	sc_dev_close(&p.dev);
	cr_assert(sc_sim_alive(&sim));
	cr_assert_eq(sc_sim_stop(&sim), 0);
}

/*
 * Datasheet, DMA rules: every device access lies inside one mapping. A
 * buffer or an EQ that starts inside a map and runs past its end is a DMA
 * fault (counted, nothing written), never a partial access. evq-sim keeps
 * inaccessible guard areas around each map, so if its bounds check ever
 * let such an access through, the sim would die on the guard page (and
 * this test fail) instead of touching memory next to the map.
 */
Test(sim_datapath, dma_across_map_end_is_a_fault, .timeout = 60)
{
	static const char *const args[] = { "--quiet", "--wire", "loop", NULL };
	const uint64_t edge = 0x7100000000ull, hole = 0x7200000000ull;
	const uint32_t page = 4096;
	struct evq_vfu_dma_map fdless = {
		.argsz = sizeof(fdless), .flags = EVQ_VFU_DMA_F_READ | EVQ_VFU_DMA_F_WRITE,
		.offset = 0, .addr = hole, .size = 1 << 20,
	};
	struct sc_sim sim;
	struct port_ctx p;
	struct evq_ev_rx rx;
	struct evq_event ev;
	uint8_t frame[128], *mem;
	uint64_t faults;
	uint32_t slot, i;
	int fd;

	cr_assert_eq(sc_sim_start(&sim, 1, args), 0);
	port_up(&p, sim.sock[0], 0, true);
	/* a one-page map, filled with a pattern the device must not change */
	fd = memfd_create("edge", MFD_CLOEXEC);
	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, page), 0);
	mem = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	cr_assert_neq(mem, MAP_FAILED);
	memset(mem, 0xa5, page);
	cr_assert_eq(evq_vfu_client_dma_map(&p.dev.conn, fd, 0, edge, page,
		EVQ_VFU_DMA_F_READ | EVQ_VFU_DMA_F_WRITE), 0);
	cr_assert_eq(evq_vfu_client_call(&p.dev.conn, EVQ_VFU_CMD_DMA_MAP, &fdless,
		sizeof(fdless), NULL, 0, NULL, 0, NULL, NULL, NULL), 0);
	faults = sc_r64(&p.dev, EVQ_REG_STAT(EVQ_STAT_DMA_FAULTS));

	/* RX buffer 0 starts 16 bytes before the map's end; buffer 1 is good */
	p.rxq.ring[0].buf_iova = edge + page - 16;
	sc_rxq_refill(&p.rxq, 2);
	sc_frame_udp4(frame, 64, p.mac, 1, 2, 3, 4);
	sc_txq_put(&p.txq, frame, 64, EVQ_TX_DESC_F_EOP);
	sc_txq_ring(&p.txq);
	cr_assert(sc_eq_next(&p.eq_rx, &ev, 2000), "no RX event (the sim %s)",
		sc_sim_alive(&sim) ? "runs" : "died");
	memcpy(&rx, &ev, sizeof(rx));
	cr_assert(rx.flags & EVQ_RX_F_ERROR, "RX buffer across the map's end not an error");
	cr_assert_eq(tx_done(&p, 2000), 1);

	/* TX buffers running 64 bytes past the map's end, plain and with an
	 * offload (read when the frame is built); RX buffer 1 takes a frame */
	sc_frame_udp4(frame, 128, p.mac, 1, 2, 3, 4);
	slot = p.txq.tail & (p.txq.size - 1);
	sc_txq_put(&p.txq, frame, 128, EVQ_TX_DESC_F_EOP);
	p.txq.ring[slot].buf_iova = edge + page - 64;
	slot = p.txq.tail & (p.txq.size - 1);
	sc_txq_put(&p.txq, frame, 128, EVQ_TX_DESC_F_EOP | EVQ_TX_DESC_F_IP_CSUM);
	p.txq.ring[slot].buf_iova = edge + page - 64;
	sc_txq_ring(&p.txq);
	cr_assert_eq(tx_done(&p, 2000), 3, "bad packets are completed too");
	/* the loop wire hands a frame to RX in the pass that sends it */
	cr_assert_eq(sc_r32(&p.dev, EVQ_REG_RXQ(0, EVQ_RXQ_HEAD)), 1,
		"a frame read across the map's end was received");
	cr_assert_geq(sc_r32(&p.dev, EVQ_REG_TXQ(0, EVQ_TXQ_ERRORS)), 2);

	/* an EQ whose last entries lie past the map's end, and one in the map
	 * without fd: neither is defined */
	cr_assert_eq(sc_wr64(&p.dev, EVQ_REG_EQ(3, EVQ_EQ_BASE_LO), edge + page - 64), 0);
	cr_assert_eq(sc_wr32(&p.dev, EVQ_REG_EQ(3, EVQ_EQ_SIZE), 32), 0);
	cr_assert_eq(sc_wr32(&p.dev, EVQ_REG_EQ(3, EVQ_EQ_CTRL), EVQ_EQ_CTRL_ENABLE), 0);
	cr_assert_eq(sc_r32(&p.dev, EVQ_REG_EQ(3, EVQ_EQ_STATE)) & EVQ_EQ_STATE_MASK,
		EVQ_EQ_UNDEFINED, "EQ across the map's end defined");
	cr_assert_eq(sc_r32(&p.dev, EVQ_REG_LAST_ERROR), EVQ_ERR_BAD_STATE);
	cr_assert_eq(sc_wr64(&p.dev, EVQ_REG_EQ(4, EVQ_EQ_BASE_LO), hole), 0);
	cr_assert_eq(sc_wr32(&p.dev, EVQ_REG_EQ(4, EVQ_EQ_SIZE), 32), 0);
	cr_assert_eq(sc_wr32(&p.dev, EVQ_REG_EQ(4, EVQ_EQ_CTRL), EVQ_EQ_CTRL_ENABLE), 0);
	cr_assert_eq(sc_r32(&p.dev, EVQ_REG_EQ(4, EVQ_EQ_STATE)) & EVQ_EQ_STATE_MASK,
		EVQ_EQ_UNDEFINED, "EQ in the map without fd defined");

	cr_assert_geq(sc_r64(&p.dev, EVQ_REG_STAT(EVQ_STAT_DMA_FAULTS)), faults + 3);
	for (i = 0; i < page; i++)
		cr_assert_eq(mem[i], 0xa5, "byte %u of the map written", i);
	cr_assert_eq(sc_r32(&p.dev, EVQ_REG_ID), EVQ_ID_VALUE);
	sc_dev_close(&p.dev);
	munmap(mem, page);
	close(fd);
	cr_assert(sc_sim_alive(&sim), "the sim died (a guard page?)");
	cr_assert_eq(sc_sim_stop(&sim), 0);
}

Test(sim_datapath, shrunk_dma_file_survived, .timeout = 60)
{
	static const char *const args[] = { "--quiet", "--wire", "loop", NULL };
	struct sc_sim sim;
	struct port_ctx p;
	uint8_t frame[64];

	cr_assert_eq(sc_sim_start(&sim, 1, args), 0);
	port_up(&p, sim.sock[0], 512, true);
	sc_frame_udp4(frame, 64, p.mac, 1, 2, 3, 4);
	sc_txq_put(&p.txq, frame, 64, EVQ_TX_DESC_F_EOP);
	/* the client pulls the memory from under the device (and must not
	 * touch it itself any more), then rings the doorbell */
	cr_assert_eq(ftruncate(p.dev.memfd, 0), 0);
	sc_txq_ring(&p.txq);
	/* the engine reads the descriptor (and faults) in the pass that
	 * accepts the tail, and answers register reads between passes: once
	 * TXQ_TAIL shows the doorbell, the fault has happened */
	{
		uint64_t deadline = sc_ms() + 5000;

		while (sc_sim_alive(&sim) && sc_ms() < deadline &&
				sc_r32(&p.dev, EVQ_REG_TXQ(0, EVQ_TXQ_TAIL)) != 1)
			;
	}
	cr_assert(sc_sim_alive(&sim), "SIGBUS killed the sim");
	cr_assert_eq(sc_r32(&p.dev, EVQ_REG_TXQ(0, EVQ_TXQ_TAIL)), 1,
		"the device never took the tail doorbell");
	sc_dev_close(&p.dev);
	cr_assert(sc_sim_alive(&sim));
	sim.keep_files = true;
	cr_assert_eq(sc_sim_stop(&sim), 0);
	{
		char out[8192];

		cr_assert_gt(sc_sim_read_out(&sim, out, sizeof(out)), 0);
		sc_sim_cleanup(&sim);
		cr_assert_not_null(strstr(out, "SIGBUS survived"),
			"the device never touched the shrunk memory:\n%s", out);
	}
}

/* Write a classic pcap file with n copies of one frame. */
static void
write_pcap(const char *path, const uint8_t *frame, uint32_t len, unsigned int n)
{
	struct { uint32_t magic; uint16_t vmaj, vmin; int32_t zone; uint32_t sigfigs,
		snaplen, linktype; } gh = { 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1 };
	struct { uint32_t sec, usec, caplen, len; } ph;
	FILE *f = fopen(path, "wb");
	unsigned int i;

	cr_assert_not_null(f);
	fwrite(&gh, sizeof(gh), 1, f);
	for (i = 0; i < n; i++) {
		ph.sec = 1;
		ph.usec = i;
		ph.caplen = ph.len = len;
		fwrite(&ph, sizeof(ph), 1, f);
		fwrite(frame, len, 1, f);
	}
	fclose(f);
}

Test(sim_datapath, pcap_replay_and_capture, .timeout = 60)
{
	char in[400], out[400], tmpl[400], buf[4096];
	const char *args[12];
	struct sc_sim sim;
	struct port_ctx p;
	uint8_t frame[128], got[2048];
	struct stat st;
	unsigned int i;
	char dir[] = "/tmp/evq-sim-pcap.XXXXXX";

	cr_assert_not_null(mkdtemp(dir));
	snprintf(in, sizeof(in), "%s/in.pcap", dir);
	snprintf(tmpl, sizeof(tmpl), "%s/out%%u.pcap", dir);
	snprintf(out, sizeof(out), "%s/out0.pcap", dir);
	{
		static const uint8_t mac0[6] = { 0x02, 0x45, 0x56, 0x51, 0x00, 0x00 };

		sc_frame_udp4(frame, 100, mac0, 7, 8, 9, 10);
	}
	write_pcap(in, frame, 100, 10);
	args[0] = "--quiet";
	args[1] = "--wire";
	args[2] = "pcap";
	args[3] = "--pcap-in";
	args[4] = in;
	args[5] = "--pcap-out";
	args[6] = tmpl;
	args[7] = NULL;
	cr_assert_eq(sc_sim_start(&sim, 1, args), 0, "sim with pcap (see %s)", sim.log);
	port_up(&p, sim.sock[0], 512, true);
	for (i = 0; i < 10; i++) {
		cr_assert_eq(rx_one(&p, got, NULL, 2000), 100, "replayed frame %u", i);
		cr_assert_eq(memcmp(got, frame, 100), 0);
	}
	cr_assert_eq(rx_one(&p, got, NULL, 100), 0, "replayed once only");
	for (i = 0; i < 5; i++) {
		sc_frame_udp4(frame, 80, p.mac, i, 2, 3, 4);
		sc_txq_put(&p.txq, frame, 80, EVQ_TX_DESC_F_EOP);
	}
	sc_txq_ring(&p.txq);
	cr_assert_eq(tx_done(&p, 2000), 5);
	sc_dev_close(&p.dev);
	cr_assert_eq(sc_sim_stop(&sim), 0);
	cr_assert_eq(stat(out, &st), 0, "no capture written");
	cr_assert_eq((size_t)st.st_size, 24 + 5 * (16 + 80), "capture size %lld",
		(long long)st.st_size);
	(void)buf;
	unlink(in);
	unlink(out);
	rmdir(dir);
}

Test(sim_datapath, sigterm_prints_final_statistics, .timeout = 60)
{
	static const char *const args[] = { "--wire", "loop", "--stats", "1", NULL };
	struct sc_sim sim;
	struct port_ctx p;
	uint8_t frame[64];
	char out[16384];

	cr_assert_eq(sc_sim_start(&sim, 1, args), 0);
	port_up(&p, sim.sock[0], 512, true);
	sc_frame_udp4(frame, 64, p.mac, 1, 2, 3, 4);
	sc_txq_put(&p.txq, frame, 64, EVQ_TX_DESC_F_EOP);
	sc_txq_ring(&p.txq);
	cr_assert_eq(rx_one(&p, NULL, NULL, 2000), 64);
	sim.keep_files = true;
	cr_assert_eq(sc_sim_stop(&sim), 0, "exit status");
	cr_assert_gt(sc_sim_read_out(&sim, out, sizeof(out)), 0);
	sc_sim_cleanup(&sim);
	cr_assert_not_null(strstr(out, "final statistics"), "no final statistics:\n%s", out);
	cr_assert_not_null(strstr(out, "rx: 1 packets"), "counters:\n%s", out);
	sc_dev_close(&p.dev);
}

/* ----------------------------------------------------------------- tap -- */

static int
sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

Test(sim_datapath, tap_exchanges_frames, .timeout = 60)
{
	const char *args[] = { "--quiet", "--wire", "tap", "--tap-name", NULL, NULL };
	char name[32], ns[32], buf[256];
	struct sc_sim sim;
	struct port_ctx p;
	struct evq_ev_rx rx;
	uint8_t got[2048], frame[64];
	uint32_t n;
	bool seen_arp = false;
	int i;

	if (geteuid() != 0 || access("/dev/net/tun", R_OK | W_OK) != 0 ||
			sh("ip netns list >/dev/null 2>&1") != 0)
		cr_skip_test("needs root, /dev/net/tun and iproute2");
	snprintf(name, sizeof(name), "evqt%d", (int)getpid() % 100000);
	snprintf(ns, sizeof(ns), "evqns%d", (int)getpid() % 100000);
	args[4] = name;
	cr_assert_eq(sc_sim_start(&sim, 1, args), 0, "sim with tap (see %s)", sim.log);
	port_up(&p, sim.sock[0], 512, false);
	cr_assert_eq(sc_wr32(&p.dev, EVQ_REG_RX_FILTER,
		EVQ_RX_FILTER_PROMISC | EVQ_RX_FILTER_BROADCAST), 0);
	cr_assert_eq(sc_wr32(&p.dev, EVQ_REG_DEV_CTRL, EVQ_DEV_CTRL_ENABLE), 0);
	if (sh("ip netns add %s && ip link set %s netns %s && "
			"ip -n %s addr add 192.0.2.1/24 dev %s && ip -n %s link set %s up",
			ns, name, ns, ns, name, ns, name) != 0) {
		sh("ip netns del %s 2>/dev/null", ns);
		sc_dev_close(&p.dev);
		sc_sim_stop(&sim);
		cr_skip_test("cannot set up a network namespace");
	}
	/* the kernel in the namespace ARPs for 192.0.2.2: the frame reaches us */
	for (i = 0; i < 50 && !seen_arp; i++) {
		if (i % 10 == 0)
			sh("ip netns exec %s python3 -c \"import socket; "
				"socket.socket(socket.AF_INET, socket.SOCK_DGRAM)."
				"sendto(b'evq', ('192.0.2.2', 9))\" >/dev/null 2>&1", ns);
		n = rx_one(&p, got, &rx, 200);
		if (n >= 14 && got[12] == 0x08 && got[13] == 0x06)
			seen_arp = true;
		if (n != 0)
			sc_rxq_refill(&p.rxq, 1);
	}
	/* a frame we send shows up on the interface in the namespace */
	{
		static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
		FILE *f;
		unsigned long before = 0, after = 0;

		snprintf(buf, sizeof(buf), "ip netns exec %s cat /sys/class/net/%s/"
			"statistics/rx_packets", ns, name);
		f = popen(buf, "r");
		if (f != NULL) {
			if (fscanf(f, "%lu", &before) != 1)
				before = 0;
			pclose(f);
		}
		sc_frame_udp4(frame, 64, bcast, 0xc0000202, 0xc0000201, 9, 9);
		sc_txq_put(&p.txq, frame, 64, EVQ_TX_DESC_F_EOP);
		sc_txq_ring(&p.txq);
		cr_assert_eq(tx_done(&p, 2000), 1);
		for (i = 0; i < 50 && after <= before; i++) {
			usleep(20 * 1000);
			f = popen(buf, "r");
			if (f != NULL) {
				if (fscanf(f, "%lu", &after) != 1)
					after = 0;
				pclose(f);
			}
		}
		sh("ip netns del %s", ns);
		cr_assert_gt(after, before, "TX frame not seen by the kernel");
	}
	cr_assert(seen_arp, "no ARP request from the namespace arrived");
	sc_dev_close(&p.dev);
	cr_assert_eq(sc_sim_stop(&sim), 0);
}

Test(sim_datapath, rx_scatter_and_oversize, .timeout = 60)
{
	static const char *const args[] = { "--quiet", "--wire", "loop", NULL };
	struct sc_sim sim;
	struct sc_dev dev;
	struct sc_eq eq0, eq1;
	struct sc_rxq rxq;
	struct sc_txq txq;
	struct evq_event ev;
	uint8_t frame[1000], got[1000], mac[6];
	uint32_t lo, hi, off = 0, n = 0;

	cr_assert_eq(sc_sim_start(&sim, 1, args), 0);
	cr_assert_eq(sc_dev_open(&dev, sim.sock[0], 8 << 20), 0);
	cr_assert_eq(sc_eq_setup(&dev, &eq0, 0, 64, 0), 0);
	cr_assert_eq(sc_eq_setup(&dev, &eq1, 1, 256, 0), 0);
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_MVM(EVQ_EVCLASS_RX, 0), evq_mvm_entry(1, 1, 0)), 0);
	cr_assert_eq(sc_rxq_setup(&dev, &rxq, 0, 64, 256, 64), 0);
	cr_assert_eq(sc_txq_setup(&dev, &txq, 0, 64), 0);
	lo = sc_r32(&dev, EVQ_REG_MAC_LO);
	hi = sc_r32(&dev, EVQ_REG_MAC_HI);
	memcpy(mac, &lo, 4);
	memcpy(mac + 4, &hi, 2);
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_DEV_CTRL, EVQ_DEV_CTRL_ENABLE), 0);
	/* 1000 bytes into 256-byte buffers without scatter: dropped as an error */
	sc_frame_udp4(frame, 1000, mac, 1, 2, 3, 4);
	sc_txq_put(&txq, frame, 1000, EVQ_TX_DESC_F_EOP);
	sc_txq_ring(&txq);
	cr_assert_eq(sc_eq_next(&eq1, &ev, 200), 0, "oversize frame delivered");
	cr_assert_eq(sc_r32(&dev, EVQ_REG_RXQ(0, EVQ_RXQ_ERRORS)), 1);
	/* with scatter: 4 descriptors, EOP on the last */
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_RXQ(0, EVQ_RXQ_CTRL),
		EVQ_RXQ_CTRL_ENABLE | EVQ_RXQ_CTRL_SCATTER), 0);
	sc_txq_put(&txq, frame, 1000, EVQ_TX_DESC_F_EOP);
	sc_txq_ring(&txq);
	while (sc_eq_next(&eq1, &ev, 1000)) {
		struct evq_ev_rx *rx = (struct evq_ev_rx *)&ev;
		uint32_t idx = evq_ctrl_param(ev.ctrl) & EVQ_EV_RX_DESC_MASK;

		cr_assert_eq(rx->pkt_len, 1000);
		cr_assert_eq(idx, n, "descriptors in order");
		memcpy(got + off, rxq.bufs + (size_t)idx * 256, rx->len);
		off += rx->len;
		n++;
		if (rx->flags & EVQ_RX_F_EOP)
			break;
	}
	cr_assert_eq(n, 4);
	cr_assert_eq(off, 1000);
	cr_assert_eq(memcmp(got, frame, 1000), 0, "scattered data");
	sc_dev_close(&dev);
	cr_assert_eq(sc_sim_stop(&sim), 0);
}

/*
 * A client that stops in the middle of a message on port 1 holds only
 * port 1: port 0 is brought up (dozens of control requests) and moves
 * frames while the partial message is pending. This process's replies
 * must come within 1 s (its vfio-user I/O timeout), well inside the 5 s
 * the sim waits for the rest of the stalled message, so a control path
 * shared with port 1 fails the requests instead of delaying them.
 */
Test(sim_datapath, stalled_client_holds_only_its_port, .timeout = 60)
{
	static const char *const args[] = { "--quiet", "--wire", "loop", NULL };
	struct evq_vfu_hdr half = { .msg_id = 1, .command = EVQ_VFU_CMD_VERSION,
		.msg_size = 200 };
	uint8_t frame[256], got[2048];
	struct sc_sim sim;
	struct port_ctx p;
	unsigned int i;
	int stalled;

	cr_assert_eq(sc_sim_start(&sim, 2, args), 0);
	stalled = evq_vfu_client_connect(sim.sock[1]);
	cr_assert_geq(stalled, 0);
	/* 8 of the header's 16 bytes, then nothing */
	cr_assert_eq(write(stalled, &half, 8), 8);
	evq_vfu_set_io_timeout(1000);
	port_up(&p, sim.sock[0], 512, true);
	for (i = 0; i < 20; i++) {
		sc_frame_udp4(frame, 128, p.mac, 0x0a000001 + i, 0x0a000002, 1000, 2000);
		sc_txq_put(&p.txq, frame, 128, EVQ_TX_DESC_F_EOP);
		sc_txq_ring(&p.txq);
		cr_assert_eq(rx_one(&p, got, NULL, 2000), 128, "frame %u not looped back", i);
		cr_assert_eq(sc_r32(&p.dev, EVQ_REG_RXQ(0, EVQ_RXQ_PACKETS_LO)), i + 1,
			"port 0 register read %u failed", i);
	}
	evq_vfu_set_io_timeout(EVQ_VFU_DEFAULT_IO_TIMEOUT_MS);
	close(stalled);
	sc_dev_close(&p.dev);
	cr_assert_eq(sc_sim_stop(&sim), 0);
}

/* ------------------------------------------------------ TX offloads --- */

/* Post a frame as the segments of seg_len bytes (last shorter) with
 * offload flags, mss and tag in the first descriptor; no tail store. */
static void
put_offloaded(struct sc_txq *txq, const uint8_t *frame, uint32_t len, uint32_t seg_len,
		uint16_t flags, uint16_t mss, uint16_t tci)
{
	uint32_t off = 0, first = txq->tail;

	while (off < len) {
		uint32_t n = len - off < seg_len ? len - off : seg_len;

		sc_txq_put(txq, frame + off, (uint16_t)n,
				off + n == len ? EVQ_TX_DESC_F_EOP : 0);
		off += n;
	}
	txq->ring[first & (txq->size - 1)].flags |= flags;
	txq->ring[first & (txq->size - 1)].mss = mss;
	txq->ring[first & (txq->size - 1)].vlan_tci = tci;
}

static uint16_t
be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Ethernet + IPv4 (id 0x1000) + TCP (seq 1000, flags) + payload bytes. */
static uint32_t
frame_tcp4(uint8_t *buf, const uint8_t dst[6], uint32_t payload, uint8_t tcp_flags)
{
	uint32_t len = 54 + payload, i;
	uint8_t *ip = buf + 14, *tcp = buf + 34;

	memset(buf, 0, len);
	memcpy(buf, dst, 6);
	buf[6] = 0x02;
	buf[12] = 0x08;
	ip[0] = 0x45;
	ip[2] = (uint8_t)((len - 14) >> 8);
	ip[3] = (uint8_t)(len - 14);
	ip[4] = 0x10;
	ip[8] = 64;
	ip[9] = 6;
	ip[12] = 10; ip[15] = 1;
	ip[16] = 10; ip[19] = 2;
	ip[10] = 0xde; ip[11] = 0xad;	/* wrong on purpose: the adapter computes it */
	tcp[1] = 80; tcp[3] = 81;
	tcp[6] = 0x03; tcp[7] = 0xe8;	/* seq 1000 */
	tcp[12] = 5 << 4;
	tcp[13] = tcp_flags;
	tcp[14] = 0xff;
	for (i = 0; i < payload; i++)
		buf[54 + i] = (uint8_t)(i * 7);
	return len;
}

Test(sim_datapath, tx_checksums_and_vlan_insertion, .timeout = 60)
{
	static const char *const args[] = { "--quiet", "--wire", "loop", NULL };
	struct sc_sim sim;
	struct port_ctx p;
	uint8_t frame[1600], got[2048];
	struct evq_ev_rx rx;

	cr_assert_eq(sc_sim_start(&sim, 1, args), 0);
	port_up(&p, sim.sock[0], 512, true);
	cr_assert(sc_r32(&p.dev, EVQ_REG_CAPS) & EVQ_CAP_TX_CSUM);
	/* a wrong IP checksum goes out wrong without the offload */
	sc_frame_udp4(frame, 200, p.mac, 1, 2, 3, 4);
	frame[24] ^= 0xff;
	put_offloaded(&p.txq, frame, 200, 2048, 0, 0, 0);
	sc_txq_ring(&p.txq);
	cr_assert_eq(rx_one(&p, got, &rx, 2000), 200);
	cr_assert(rx.flags & EVQ_RX_F_L3_CSUM_BAD);
	cr_assert(!(rx.flags & (EVQ_RX_F_L4_CSUM_OK | EVQ_RX_F_L4_CSUM_BAD)), "UDP sum 0");
	/* with IP and L4 checksum offloads, in two descriptors: both computed */
	put_offloaded(&p.txq, frame, 200, 50, EVQ_TX_DESC_F_IP_CSUM | EVQ_TX_DESC_F_L4_CSUM,
			0, 0);
	sc_txq_ring(&p.txq);
	cr_assert_eq(rx_one(&p, got, &rx, 2000), 200);
	cr_assert(rx.flags & EVQ_RX_F_L3_CSUM_OK, "IP checksum not computed");
	cr_assert(rx.flags & EVQ_RX_F_L4_CSUM_OK, "UDP checksum not computed");
	cr_assert_eq(memcmp(got + 42, frame + 42, 200 - 42), 0, "payload changed");
	/* tag insertion after the source MAC: 4 bytes more, the rest unchanged */
	put_offloaded(&p.txq, frame, 200, 2048, EVQ_TX_DESC_F_VLAN | EVQ_TX_DESC_F_IP_CSUM,
			0, 0x2064);
	sc_txq_ring(&p.txq);
	cr_assert_eq(rx_one(&p, got, &rx, 2000), 204);
	cr_assert(rx.flags & EVQ_RX_F_VLAN);
	cr_assert_eq(rx.vlan_tci, 0x2064);
	cr_assert_eq(be16_at(got + 12), 0x8100);
	cr_assert_eq(memcmp(got + 16, frame + 12, 2), 0, "ethertype after the tag");
	cr_assert(rx.flags & EVQ_RX_F_L3_CSUM_OK);
	/* stripping: the same frame arrives without its tag; the filter drops
	 * VID 100 until its bit is set */
	cr_assert_eq(sc_wr32(&p.dev, EVQ_REG_VLAN_CTRL, EVQ_VLAN_CTRL_STRIP |
			EVQ_VLAN_CTRL_FILTER), 0);
	put_offloaded(&p.txq, frame, 200, 2048, EVQ_TX_DESC_F_VLAN, 0, 100);
	sc_txq_ring(&p.txq);
	cr_assert_eq(rx_one(&p, got, &rx, 300), 0, "VID 100 passed an empty filter table");
	cr_assert_eq(sc_r64(&p.dev, EVQ_REG_STAT(EVQ_STAT_RX_FILTERED)), 1);
	cr_assert_eq(sc_wr32(&p.dev, EVQ_REG_VLAN_TABLE(100 / 32), 1u << (100 % 32)), 0);
	put_offloaded(&p.txq, frame, 200, 2048, EVQ_TX_DESC_F_VLAN, 0, 100);
	sc_txq_ring(&p.txq);
	cr_assert_eq(rx_one(&p, got, &rx, 2000), 200, "stripped frame length");
	cr_assert(rx.flags & EVQ_RX_F_VLAN);
	cr_assert_eq(rx.vlan_tci, 100);
	cr_assert_eq(rx.pkt_len, 200);
	cr_assert_eq(be16_at(got + 12), 0x0800, "tag still in the data");
	cr_assert_eq(sc_r32(&p.dev, EVQ_REG_LAST_ERROR), 0);
	sc_dev_close(&p.dev);
	cr_assert_eq(sc_sim_stop(&sim), 0);
}

Test(sim_datapath, tx_tcp_segmentation, .timeout = 60)
{
	static const char *const args[] = { "--quiet", "--wire", "loop", NULL };
	static uint8_t frame[8192];
	struct sc_sim sim;
	struct port_ctx p;
	uint8_t got[2048];
	struct evq_ev_rx rx;
	uint32_t len, i;

	cr_assert_eq(sc_sim_start(&sim, 1, args), 0);
	port_up(&p, sim.sock[0], 512, true);
	/* 3500 payload bytes, FIN|PSH|CWR|ACK, in 4 descriptors, mss 1000 */
	len = frame_tcp4(frame, p.mac, 3500, 0x80 | 0x10 | 0x08 | 0x01);
	put_offloaded(&p.txq, frame, len, 1024, EVQ_TX_DESC_F_TSO, 1000, 0);
	sc_txq_ring(&p.txq);
	for (i = 0; i < 4; i++) {
		uint32_t want = i < 3 ? 1000 : 500;
		uint32_t seq;

		cr_assert_eq(rx_one(&p, got, &rx, 2000), 54 + want, "segment %u length", i);
		cr_assert_eq(rx.ptype, EVQ_PTYPE_IPV4_TCP);
		cr_assert(rx.flags & EVQ_RX_F_L3_CSUM_OK, "segment %u IP checksum", i);
		cr_assert(rx.flags & EVQ_RX_F_L4_CSUM_OK, "segment %u TCP checksum", i);
		cr_assert_eq(be16_at(got + 16), 40 + want, "segment %u IP length", i);
		cr_assert_eq(be16_at(got + 18), 0x1000 + i, "segment %u IP id", i);
		seq = (uint32_t)be16_at(got + 38) << 16 | be16_at(got + 40);
		cr_assert_eq(seq, 1000 + 1000 * i, "segment %u sequence", i);
		cr_assert_eq(got[47] & 0x09, i == 3 ? 0x09 : 0, "segment %u FIN/PSH", i);
		cr_assert_eq(got[47] & 0x80, i == 0 ? 0x80 : 0, "segment %u CWR", i);
		cr_assert(got[47] & 0x10, "segment %u ACK", i);
		cr_assert_eq(memcmp(got + 54, frame + 54 + 1000 * i, want), 0,
				"segment %u payload", i);
	}
	cr_assert_eq(rx_one(&p, got, NULL, 200), 0, "more segments than the payload needs");
	cr_assert_eq(sc_r64(&p.dev, EVQ_REG_STAT(EVQ_STAT_TX_PACKETS)), 4);
	/* TSO of a UDP packet, or with segments beyond the MTU: dropped, counted */
	sc_frame_udp4(frame, 1400, p.mac, 1, 2, 3, 4);
	put_offloaded(&p.txq, frame, 1400, 2048, EVQ_TX_DESC_F_TSO, 500, 0);
	len = frame_tcp4(frame, p.mac, 3000, 0x10);
	put_offloaded(&p.txq, frame, len, 2048, EVQ_TX_DESC_F_TSO, 1500, 0);
	sc_txq_ring(&p.txq);
	cr_assert_eq(tx_done(&p, 2000), p.txq.tail, "descriptors of the bad packets completed");
	cr_assert_eq(rx_one(&p, got, NULL, 200), 0, "a bad TSO packet went out");
	cr_assert_eq(sc_r64(&p.dev, EVQ_REG_STAT(EVQ_STAT_TX_ERRORS)), 2);
	cr_assert_eq(sc_r32(&p.dev, EVQ_REG_LAST_ERROR), EVQ_ERR_TX_DESC);
	sc_dev_close(&p.dev);
	cr_assert_eq(sc_sim_stop(&sim), 0);
}
