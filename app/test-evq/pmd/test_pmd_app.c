/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * test_pmd_app: what an application sees of net_evq beyond testpmd: the
 * mbuf fields taken from the Rx event (length, packet type, RSS hash
 * against rte_softrss() with the default key, checksum flags), the power
 * monitor condition (get_monitor_addr), Rx interrupts and link-status
 * events, Rx time stamps against the adapter's clock (rte_eth_read_clock).
 * Two evq ports on evq-sim's pair wire: port 1 sends,
 * port 0 receives with intr_conf.rxq = 1 and sleeps in rte_epoll_wait() on
 * its queue's eventfd (rte_eth_dev_rx_intr_ctl_q), as l3fwd-power does.
 * Checks, for ROUNDS rounds:
 *   - arm (rte_eth_dev_rx_intr_enable = one doorbell store), send: the
 *     sleeper wakes up and finds the burst;
 *   - send, wait until the packets are pending, arm: the wake-up is
 *     immediate (arming while events are pending signals at once);
 *   - arm with nothing sent: no wake-up within QUIET_MS;
 * then the power monitor condition again, now that the Rx EQ has wrapped
 * (under the phase validity rule the watched entry then still holds an
 * event of the previous lap, which must read as "sleep"), the driver's
 * counters (xstats) against what happened, and an LSC
 * event for set_link_down/up. Started by evq_pmd_test.py (test "intr")
 * with the EAL arguments; exits 0 on success.
 *
 * With the application argument "serve" it only starts the ports (port 0
 * with Rx interrupts) and waits for its stdin to close; a second instance
 * started with --proc-type=secondary and "secondary" then arms, sends,
 * sleeps on the Rx eventfd it got from the primary, and receives, through
 * its own bursts and doorbell stores (test "secondary_intr").
 *
 * With "fast_free" it checks Tx with RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE and
 * chained mbufs: every frame arrives, every mbuf returns to its pool once,
 * unlinked (test "tx_fast_free").
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_interrupts.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_thash.h>

#include "evq_test_app.h"

#define ROUNDS		50
#define BURST		16
#define NB_DESC		512
#define WAKE_MS		2000	/* a wake-up must come well within this */
#define QUIET_MS	50	/* nothing may come within this */

static unsigned int
send_burst(uint16_t port, struct rte_mempool *mp)
{
	struct rte_mbuf *m[BURST];
	unsigned int i, sent = 0;

	if (rte_pktmbuf_alloc_bulk(mp, m, BURST) != 0)
		return 0;
	for (i = 0; i < BURST; i++) {
		char *p = rte_pktmbuf_append(m[i], 64);
		struct rte_ether_hdr *eh = (struct rte_ether_hdr *)p;

		if (p == NULL)
			return 0;
		memset(p, 0, 64);
		memset(&eh->dst_addr, 0xff, RTE_ETHER_ADDR_LEN);
		eh->src_addr.addr_bytes[0] = 0x02;
		eh->ether_type = rte_cpu_to_be_16(0x88b5);	/* local experimental */
	}
	while (sent < BURST) {
		uint16_t n = rte_eth_tx_burst(port, 0, m + sent, BURST - sent);

		sent += n;
		if (n == 0)
			rte_pause();
	}
	return sent;
}

/* Poll port 0 until 'want' packets arrived or the deadline passed. */
static unsigned int
receive(unsigned int want, uint64_t ms)
{
	struct rte_mbuf *m[64];
	uint64_t end = rte_get_timer_cycles() + ms * rte_get_timer_hz() / 1000;
	unsigned int got = 0;

	while (got < want && rte_get_timer_cycles() < end) {
		uint16_t n = rte_eth_rx_burst(0, 0, m, RTE_DIM(m));

		rte_pktmbuf_free_bulk(m, n);
		got += n;
	}
	return got;
}

#define UDP_FRAME_LEN	60

/* The one UDP flow of the mbuf field checks (an RSS verification tuple). */
static void
udp_tuple(struct rte_ipv4_tuple *t)
{
	memset(t, 0, sizeof(*t));
	t->src_addr = RTE_IPV4(66, 9, 149, 187);
	/* unsigned: DPDK 22.11's RTE_IPV4 shifts an int by 24 (UBSan) */
	t->dst_addr = RTE_IPV4(161u, 142, 100, 80);
	t->sport = 2794;
	t->dport = 1766;
}

static int
send_udp(struct rte_mempool *mp, bool bad_ip_csum)
{
	struct rte_ipv4_tuple t;
	struct rte_mbuf *m;

	udp_tuple(&t);
	m = evq_test_udp_frame(mp, NULL, &t, UDP_FRAME_LEN);
	if (m == NULL)
		return -1;
	if (bad_ip_csum)
		rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
				sizeof(struct rte_ether_hdr))->hdr_checksum ^= 0x5555;
	if (rte_eth_tx_burst(1, 0, &m, 1) != 1) {
		rte_pktmbuf_free(m);
		return -1;
	}
	return 0;
}

/* Wait until port 0 has a packet pending, without taking it. */
static int
wait_pending(void)
{
	uint64_t t0 = rte_get_timer_cycles();

	while (rte_eth_rx_queue_count(0, 0) == 0)
		if (rte_get_timer_cycles() - t0 > rte_get_timer_hz())
			return -1;
	return 0;
}

static int
check_mbuf_fields(struct rte_mempool *mp)
{
	struct rte_power_monitor_cond pmc;
	struct rte_ipv4_tuple tuple;
	struct rte_mbuf *m = NULL;
	uint32_t expect, value;
	uint64_t t0;
	int ret;

	/* the monitor condition says "sleep" on an empty queue ... */
	ret = rte_eth_get_monitor_addr(0, 0, &pmc);
	CHECK(ret == 0, "get_monitor_addr: %s", rte_strerror(-ret));
	CHECK(pmc.size == 4 && pmc.fn != NULL, "monitor size %u", pmc.size);
	value = *(volatile uint32_t *)pmc.addr;
	CHECK(pmc.fn(value, pmc.opaque) == 0, "monitor aborts on an empty queue");

	CHECK(send_udp(mp, false) == 0, "send");
	CHECK(wait_pending() == 0, "UDP packet not received");
	/* ... and "do not sleep" once the adapter wrote the watched entry */
	value = *(volatile uint32_t *)pmc.addr;
	CHECK(pmc.fn(value, pmc.opaque) != 0, "monitor does not see the event");
	t0 = rte_get_timer_cycles();
	while (rte_eth_rx_burst(0, 0, &m, 1) == 0)
		CHECK(rte_get_timer_cycles() - t0 < rte_get_timer_hz(), "rx_burst");
	CHECK(m->pkt_len == UDP_FRAME_LEN && m->data_len == UDP_FRAME_LEN &&
			m->nb_segs == 1, "length %u/%u", m->pkt_len, m->data_len);
	CHECK(m->packet_type == (RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_UDP),
			"packet type 0x%x", m->packet_type);
	CHECK(m->ol_flags & RTE_MBUF_F_RX_RSS_HASH, "no RSS hash flag");
	udp_tuple(&tuple);
	expect = rte_softrss((uint32_t *)&tuple, RTE_THASH_V4_L4_LEN, evq_test_rss_default_key);
	CHECK(m->hash.rss == expect, "RSS hash 0x%08x, rte_softrss 0x%08x",
			m->hash.rss, expect);
	CHECK((m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) == RTE_MBUF_F_RX_IP_CKSUM_GOOD,
			"IP checksum flags 0x%" PRIx64, m->ol_flags);
	CHECK((m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) == RTE_MBUF_F_RX_L4_CKSUM_GOOD,
			"L4 checksum flags 0x%" PRIx64, m->ol_flags);
	CHECK(m->port == 0, "mbuf port %u", m->port);
	printf("mbuf: len %u ptype 0x%x rss 0x%08x (softrss 0x%08x) ol_flags 0x%" PRIx64 "\n",
			m->pkt_len, m->packet_type, m->hash.rss, expect, m->ol_flags);
	rte_pktmbuf_free(m);

	CHECK(send_udp(mp, true) == 0, "send");
	CHECK(wait_pending() == 0, "bad-checksum packet not received");
	CHECK(rte_eth_rx_burst(0, 0, &m, 1) == 1, "rx_burst");
	CHECK((m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) == RTE_MBUF_F_RX_IP_CKSUM_BAD,
			"bad IP checksum not flagged: 0x%" PRIx64, m->ol_flags);
	rte_pktmbuf_free(m);
	return 0;
}

#define TS_BURSTS	8

/*
 * Rx time stamps: every frame of TS_BURSTS bursts carries the dynamic
 * time stamp flag, the stamps never decrease, and they lie between two
 * reads of the adapter's clock taken before the first send and after the
 * last frame was received.
 */
static int
check_timestamps(struct rte_mempool *mp)
{
	int off = rte_mbuf_dynfield_lookup(RTE_MBUF_DYNFIELD_TIMESTAMP_NAME, NULL);
	int bit = rte_mbuf_dynflag_lookup(RTE_MBUF_DYNFLAG_RX_TIMESTAMP_NAME, NULL);
	uint64_t t0, t1, prev = 0, first = 0, deadline;
	struct rte_mbuf *m[64];
	unsigned int b, got = 0, i;
	int ret;

	CHECK(off >= 0 && bit >= 0, "the driver registered no Rx time stamp field");
	ret = rte_eth_read_clock(0, &t0);
	CHECK(ret == 0, "read_clock: %s", rte_strerror(-ret));
	for (b = 0; b < TS_BURSTS; b++)
		CHECK(send_burst(1, mp) == BURST, "send");
	deadline = rte_get_timer_cycles() + WAKE_MS * rte_get_timer_hz() / 1000;
	while (got < TS_BURSTS * BURST && rte_get_timer_cycles() < deadline) {
		uint16_t n = rte_eth_rx_burst(0, 0, m, RTE_DIM(m));

		for (i = 0; i < n; i++) {
			uint64_t ts = *RTE_MBUF_DYNFIELD(m[i], off, rte_mbuf_timestamp_t *);

			CHECK(m[i]->ol_flags & (1ULL << bit), "frame %u without a time stamp",
					got + i);
			CHECK(ts >= prev, "frame %u: time stamp %" PRIu64 " before %" PRIu64,
					got + i, ts, prev);
			if (got + i == 0)
				first = ts;
			prev = ts;
		}
		rte_pktmbuf_free_bulk(m, n);
		got += n;
	}
	ret = rte_eth_read_clock(0, &t1);
	CHECK(ret == 0, "read_clock: %s", rte_strerror(-ret));
	CHECK(got == TS_BURSTS * BURST, "received %u of %u", got, TS_BURSTS * BURST);
	CHECK(first >= t0 && prev <= t1, "time stamps %" PRIu64 "..%" PRIu64
			" outside the clock reads %" PRIu64 "..%" PRIu64, first, prev, t0, t1);
	printf("timestamps: %u frames stamped, never decreasing, %" PRIu64 " ns after the "
			"first clock read, %" PRIu64 " ns before the second\n", got,
			first - t0, t1 - prev);
	return 0;
}

static int
run(struct rte_mempool *mp)
{
	unsigned int r, arms = 0, wakeups = 0;
	struct rte_eth_link link;
	uint64_t t0, v;
	int n, ret;

	CHECK(rte_eth_dev_count_avail() >= 2, "need two evq ports");
	/* the receiving port also reports hash and checksums */
	CHECK(evq_test_port_start(0, 1, NB_DESC, mp, EVQ_TEST_PORT_RXQ_INTR | EVQ_TEST_PORT_LSC |
			EVQ_TEST_PORT_RSS | EVQ_TEST_PORT_CKSUM | EVQ_TEST_PORT_PROMISC |
			EVQ_TEST_PORT_TIMESTAMP) == 0,
			"port 0");
	CHECK(evq_test_port_start(1, 1, NB_DESC, mp, EVQ_TEST_PORT_PROMISC) == 0, "port 1");
	ret = rte_eth_dev_rx_intr_ctl_q(0, 0, RTE_EPOLL_PER_THREAD,
			RTE_INTR_EVENT_ADD, NULL);
	CHECK(ret == 0, "rx_intr_ctl_q: %s", rte_strerror(-ret));
	evq_test_lsc_register(0);
	receive(1u << 30, 200);		/* drain whatever came at start */
	CHECK(check_mbuf_fields(mp) == 0, "mbuf fields");
	CHECK(check_timestamps(mp) == 0, "time stamps");

	for (r = 0; r < ROUNDS; r++) {
		/* 1: sleep first, the burst wakes us */
		receive(1u << 30, 0);
		CHECK(rte_eth_dev_rx_intr_enable(0, 0) == 0, "intr_enable");
		arms++;
		CHECK(send_burst(1, mp) == BURST, "send");
		n = evq_test_wait_rx_intr(WAKE_MS);
		CHECK(n == 1, "round %u: no wake-up after a burst (epoll %d)", r, n);
		wakeups++;
		CHECK(rte_eth_dev_rx_intr_disable(0, 0) == 0, "intr_disable");
		CHECK(receive(BURST, WAKE_MS) == BURST, "round %u: burst not received", r);

		/* 2: packets pending before the arm: immediate wake-up */
		CHECK(send_burst(1, mp) == BURST, "send");
		t0 = rte_get_timer_cycles();
		while (rte_eth_rx_queue_count(0, 0) < BURST &&
				rte_get_timer_cycles() - t0 < rte_get_timer_hz())
			rte_pause();
		CHECK(rte_eth_rx_queue_count(0, 0) == BURST, "round %u: rx_queue_count %d",
				r, rte_eth_rx_queue_count(0, 0));
		CHECK(rte_eth_rx_descriptor_status(0, 0, 0) == RTE_ETH_RX_DESC_DONE,
				"descriptor 0 not DONE");
		CHECK(rte_eth_dev_rx_intr_enable(0, 0) == 0, "intr_enable");
		arms++;
		n = evq_test_wait_rx_intr(WAKE_MS);
		CHECK(n == 1, "round %u: arming with events pending did not signal", r);
		wakeups++;
		CHECK(rte_eth_dev_rx_intr_disable(0, 0) == 0, "intr_disable");
		CHECK(receive(BURST, WAKE_MS) == BURST, "round %u: burst not received", r);

		/* 3: nothing sent, nothing comes (a few rounds only) */
		if (r < 5) {
			CHECK(rte_eth_dev_rx_intr_enable(0, 0) == 0, "intr_enable");
			arms++;
			n = evq_test_wait_rx_intr(QUIET_MS);
			CHECK(n == 0, "round %u: wake-up without traffic (epoll %d)", r, n);
			CHECK(rte_eth_dev_rx_intr_disable(0, 0) == 0, "intr_disable");
		}
	}
	/* more events than the Rx EQ has entries went by (2 per descriptor) */
	{
		struct rte_power_monitor_cond pmc;
		uint32_t value;

		v = evq_test_xstat(0, "rx_q0_eq_events");
		CHECK(v > 2 * NB_DESC, "only %" PRIu64 " Rx events: the EQ has not wrapped", v);
		ret = rte_eth_get_monitor_addr(0, 0, &pmc);
		CHECK(ret == 0, "get_monitor_addr: %s", rte_strerror(-ret));
		value = *(volatile uint32_t *)pmc.addr;
		CHECK(pmc.fn(value, pmc.opaque) == 0, "monitor aborts on an empty queue after "
				"%" PRIu64 " events (control word 0x%08x)", v, value);
		printf("monitor: sleeps on the empty queue after %" PRIu64 " Rx events (watched "
				"control word 0x%08x)\n", v, value);
	}
	v = evq_test_xstat(0, "rx_q0_intr_arms");
	CHECK(v == arms, "rx_q0_intr_arms %" PRIu64 ", expected %u", v, arms);
	v = evq_test_xstat(0, "rx_q0_intr_wakeups");
	CHECK(v == wakeups, "rx_q0_intr_wakeups %" PRIu64 ", expected %u", v, wakeups);
	v = evq_test_xstat(0, "rx_q0_intr_spurious_wakeups");
	CHECK(v == 5, "rx_q0_intr_spurious_wakeups %" PRIu64 ", expected 5", v);
	v = evq_test_xstat(0, "hw_msix_signals");
	printf("arms %u, wake-ups %u, adapter MSI-X signals %" PRIu64 "\n", arms, wakeups, v);
	CHECK(v != UINT64_MAX && v >= wakeups, "adapter signalled %" PRIu64 " times", v);

	/* link-status change events from EQ 0 / vector 0 */
	evq_test_lsc_reset();
	CHECK(rte_eth_dev_set_link_down(0) == 0, "set_link_down");
	CHECK(evq_test_lsc_wait(1, 5000) >= 1, "no LSC event after link down");
	CHECK(rte_eth_link_get_nowait(0, &link) == 0, "link_get");
	CHECK(link.link_status == RTE_ETH_LINK_DOWN, "link still up");
	CHECK(rte_eth_dev_set_link_up(0) == 0, "set_link_up");
	CHECK(evq_test_lsc_wait(2, 5000) >= 2, "no LSC event after link up");
	CHECK(rte_eth_link_get_nowait(0, &link) == 0, "link_get");
	CHECK(link.link_status == RTE_ETH_LINK_UP, "link still down");
	printf("LSC events: %d\n", evq_test_lsc_events());

	rte_eth_dev_rx_intr_ctl_q(0, 0, RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_DEL, NULL);
	evq_test_ports_close(2);
	return 0;
}

#define SEC_ROUNDS	10

/* Primary: the ports, then nothing until stdin closes (the secondary works). */
static int
serve(struct rte_mempool *mp)
{
	uint64_t arms;

	CHECK(rte_eth_dev_count_avail() >= 2, "need two evq ports");
	CHECK(evq_test_port_start(0, 1, NB_DESC, mp, EVQ_TEST_PORT_RXQ_INTR |
			EVQ_TEST_PORT_PROMISC) == 0, "port 0");
	CHECK(evq_test_port_start(1, 1, NB_DESC, mp, EVQ_TEST_PORT_PROMISC) == 0, "port 1");
	printf("serving\n");
	fflush(stdout);
	while (getchar() != EOF)
		;
	arms = evq_test_xstat(0, "rx_q0_intr_arms");
	printf("primary: port 0 queue 0 armed %" PRIu64 " times by the secondary\n", arms);
	CHECK(arms >= SEC_ROUNDS, "the secondary's arms are not in the shared counters");
	evq_test_ports_close(2);
	return 0;
}

/* Secondary: Rx interrupts and bursts on the primary's ports. */
static int
secondary(struct rte_mempool *mp)
{
	unsigned int r;
	int n, ret;

	CHECK(rte_eal_process_type() == RTE_PROC_SECONDARY, "not a secondary process");
	CHECK(mp != NULL && rte_eth_dev_count_avail() >= 2, "the primary's pool and ports");
	ret = rte_eth_dev_rx_intr_ctl_q(0, 0, RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_ADD, NULL);
	CHECK(ret == 0, "rx_intr_ctl_q in the secondary: %s", rte_strerror(-ret));
	receive(1u << 30, 100);		/* drain */
	for (r = 0; r < SEC_ROUNDS; r++) {
		CHECK(rte_eth_dev_rx_intr_enable(0, 0) == 0, "intr_enable");
		CHECK(send_burst(1, mp) == BURST, "send");
		n = evq_test_wait_rx_intr(WAKE_MS);
		CHECK(n == 1, "round %u: no wake-up in the secondary (epoll %d)", r, n);
		CHECK(rte_eth_dev_rx_intr_disable(0, 0) == 0, "intr_disable");
		CHECK(receive(BURST, WAKE_MS) == BURST, "round %u: burst not received", r);
	}
	printf("secondary: %u rounds: armed, sent on port 1, woken through the primary's "
			"eventfd, %u frames received on port 0\n", SEC_ROUNDS, SEC_ROUNDS * BURST);
	rte_eth_dev_rx_intr_ctl_q(0, 0, RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_DEL, NULL);
	return 0;
}

#define FF_POOL		512	/* the Tx pool: each mbuf goes round many times */
#define FF_FRAMES	8192
#define FF_LEN		64
#define FF_BURST	16
#define FF_IN_FLIGHT	256	/* sent and not yet received, at most */

/* Frame seq of the fast_free check: a chain of three segments if seq is
 * odd, else one; the sequence number after the Ethernet header. */
static struct rte_mbuf *
ff_frame(struct rte_mempool *pool, uint32_t seq)
{
	static const uint16_t split[3] = { 20, 20, FF_LEN - 40 };
	unsigned int nseg = (seq & 1) ? 3 : 1, i, off = 0;
	struct rte_mbuf *head = NULL, *s;
	uint8_t frame[FF_LEN];

	memset(frame, 0, sizeof(frame));
	memset(frame, 0xff, RTE_ETHER_ADDR_LEN);
	frame[6] = 0x02;
	frame[12] = 0x88;	/* 0x88b5: local experimental */
	frame[13] = 0xb5;
	memcpy(frame + sizeof(struct rte_ether_hdr), &seq, sizeof(seq));
	for (i = 0; i < nseg; i++) {
		uint16_t len = nseg == 1 ? FF_LEN : split[i];
		char *p;

		s = rte_pktmbuf_alloc(pool);
		if (s == NULL) {
			rte_pktmbuf_free(head);
			return NULL;
		}
		p = rte_pktmbuf_append(s, len);
		memcpy(p, frame + off, len);
		off += len;
		if (head == NULL)
			head = s;
		else
			rte_pktmbuf_chain(head, s);
	}
	return head;
}

/*
 * Tx with RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE (mode "fast_free"): port 1
 * sends FF_FRAMES frames from a pool of its own, every other one a chain
 * of three segments, so each mbuf of the pool is sent many times; port 0
 * receives every frame, in order and whole. Then every mbuf is back in the
 * Tx pool exactly once, and each is what a pool must hold: a lone mbuf
 * (next NULL, one segment, reference count 1). With fast free the driver
 * puts sent segments back without reading them; it must have unlinked the
 * chains when it posted their descriptors.
 */
static int
fast_free(struct rte_mempool *mp)
{
	struct rte_mbuf *tx[FF_BURST], *rx[32];
	void *objs[FF_POOL];
	struct rte_eth_burst_mode mode;
	struct rte_eth_dev_info info;
	struct rte_mempool *txp;
	unsigned int sent = 0, got = 0, i, n, bad = 0;
	uint64_t deadline;
	int ret;

	CHECK(rte_eth_dev_count_avail() >= 2, "need two evq ports");
	ret = rte_eth_dev_info_get(1, &info);
	CHECK(ret == 0, "dev_info: %s", rte_strerror(-ret));
	CHECK(info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE,
			"MBUF_FAST_FREE not offered (tx_offload_capa 0x%" PRIx64 ")",
			info.tx_offload_capa);
	txp = rte_pktmbuf_pool_create("evq_test_txpool", FF_POOL, 32, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	CHECK(txp != NULL, "Tx pool");
	CHECK(evq_test_port_start(0, 1, NB_DESC, mp, EVQ_TEST_PORT_PROMISC) == 0, "port 0");
	CHECK(evq_test_port_start(1, 1, NB_DESC, mp, EVQ_TEST_PORT_PROMISC |
			EVQ_TEST_PORT_TX_FAST_FREE) == 0, "port 1");
	ret = rte_eth_tx_burst_mode_get(1, 0, &mode);
	CHECK(ret == 0 && strstr(mode.info, "fast mbuf free") != NULL,
			"Tx burst mode '%s' does not say fast free", ret == 0 ? mode.info : "?");
	receive(1u << 30, 200);		/* drain whatever came at start */
	deadline = rte_get_timer_cycles() + 20 * rte_get_timer_hz();
	while (got < FF_FRAMES) {
		CHECK(rte_get_timer_cycles() < deadline, "sent %u, received %u of %u frames",
				sent, got, FF_FRAMES);
		for (n = 0; n < FF_BURST && sent + n < FF_FRAMES &&
				sent + n - got < FF_IN_FLIGHT; n++) {
			tx[n] = ff_frame(txp, sent + n);
			if (tx[n] == NULL) {
				/* the pool is empty: take the completions */
				rte_eth_tx_done_cleanup(1, 0, 0);
				break;
			}
		}
		i = n == 0 ? 0 : rte_eth_tx_burst(1, 0, tx, (uint16_t)n);
		sent += i;
		for (; i < n; i++)
			rte_pktmbuf_free(tx[i]);	/* ring full: built again later */
		n = rte_eth_rx_burst(0, 0, rx, RTE_DIM(rx));
		for (i = 0; i < n; i++) {
			uint32_t seq;

			memcpy(&seq, rte_pktmbuf_mtod_offset(rx[i], const uint8_t *,
					sizeof(struct rte_ether_hdr)), sizeof(seq));
			CHECK(rx[i]->pkt_len == FF_LEN && rx[i]->nb_segs == 1 && seq == got,
					"frame %u: %u bytes, sequence number %u", got,
					rx[i]->pkt_len, seq);
			got++;
		}
		rte_pktmbuf_free_bulk(rx, n);
	}
	/* every mbuf back in the pool, once */
	while (rte_mempool_avail_count(txp) != FF_POOL) {
		CHECK(rte_get_timer_cycles() < deadline, "%u of %u mbufs back in the Tx pool",
				rte_mempool_avail_count(txp), FF_POOL);
		rte_eth_tx_done_cleanup(1, 0, 0);
	}
	CHECK(rte_mempool_get_bulk(txp, objs, FF_POOL) == 0, "taking the whole Tx pool");
	for (i = 0; i < FF_POOL; i++) {
		const struct rte_mbuf *m = objs[i];

		if (m->next != NULL || m->nb_segs != 1 || rte_mbuf_refcnt_read(m) != 1)
			bad++;
	}
	rte_mempool_put_bulk(txp, objs, FF_POOL);
	CHECK(bad == 0, "%u of %u mbufs came back to the pool not lone (next not "
			"NULL, nb_segs not 1 or refcnt not 1)", bad, FF_POOL);
	printf("fast_free: %u frames (half of them chains of 3 segments) through a "
			"pool of %u mbufs: all received in order, every mbuf back once and "
			"unlinked\n", FF_FRAMES, FF_POOL);
	evq_test_ports_close(2);
	rte_mempool_free(txp);
	return 0;
}

int
main(int argc, char **argv)
{
	struct rte_mempool *mp;
	const char *mode;
	int n;

	n = evq_test_app_init(argc, argv, 4096, 64, &mp);
	if (n < 0)
		return 1;
	mode = n + 1 < argc ? argv[n + 1] : "";
	if (strcmp(mode, "serve") == 0)
		return evq_test_app_finish(serve(mp));
	if (strcmp(mode, "secondary") == 0)
		return evq_test_app_finish(secondary(mp));
	if (strcmp(mode, "fast_free") == 0)
		return evq_test_app_finish(fast_free(mp));
	return evq_test_app_finish(run(mp));
}
