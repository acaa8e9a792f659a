/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * test_intr_app: interrupt routing seen by a DPDK application on net_evq
 * ports served by evq-sim. One EAL application, one test per run, named
 * after "--" (started by intr_test.py):
 *
 *   reta   pair wire; port 0 has 4 Rx queues with RSS (IPv4/UDP 4-tuple),
 *          port 1 sends NFLOWS distinct flows per phase. Every received
 *          packet must carry hash.rss == rte_softrss(tuple, key) and sit on
 *          queue reta[hash % 128]; per-queue counts must equal the counts
 *          predicted from rte_softrss. Phases: default table (spread over
 *          all queues), every entry -> queue 2, a split table, a new key
 *          (rss_hash_update), a refused update (queue out of range).
 *   storm  pair wire; port 1 (lcore 1) sends bursts of random size with
 *          random gaps for STORM_SECONDS; port 0 (main lcore) storms
 *          rx_intr_enable/disable and sleeps in rte_epoll_wait on its
 *          queue's eventfd. Fails on any lost event (received != sent, or
 *          the adapter missed/lost some) or lost wake-up (armed, packets
 *          pending, no wake-up within WAKE_MS + LATE_MS). Never hangs: every
 *          wait is bounded.
 *   lsc    one port; the link is toggled by the adapter itself (the test
 *          sends SIGUSR1 to evq-sim, pid in $EVQ_SIM_PID, or runs the
 *          shell command $EVQ_SIM_LINK_CMD when the adapter is out of
 *          reach, e.g. on the host of a devtools/vm guest), so no ethdev
 *          call consumes EQ 0 on the control path: the LSC callback can
 *          only come from the vector-0 interrupt handler, which the xstats
 *          eq0_interrupts / eq0_spurious / link_events must show.
 *   reta_kept  one port, 4 Rx queues: a RETA set by the application is
 *          kept by a new dev_configure with as many queues, replaced by
 *          the default with fewer.
 *   link_race  one port, two lcores: the link toggled 100 times with admin
 *          SET_LINK while the second lcore calls link_update; afterwards
 *          ethdev must report the last state (no stale copy wins).
 *   shared_irq  evq-sim with fewer MSI-X vectors than Rx queues + 1
 *          (--vectors 3: 4 Rx queues on 2 shared vectors; --vectors 1: the
 *          Rx queues on INTx; --vectors 0: everything on INTx), pair wire:
 *          each queue still has its own eventfd; traffic steered to queue
 *          3 wakes queue 3's waiter every round (no lost wake-up, no lost
 *          packet), while queue 1, armed on the same vector or INTx, is
 *          never woken: the driver's handler found queue 3 in the summary
 *          line. Queue 0, armed with no traffic, stays quiet too.
 *
 * Prints "PASS" or "FAIL" as the last line; exit status 0 on success.
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/types.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_interrupts.h>
#include <rte_ip.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_thash.h>
#include <rte_udp.h>

#include "evq_test_app.h"

#define NB_DESC		1024
#define RETA_SIZE	128
#define RSS_KEY_LEN	EVQ_TEST_RSS_KEY_LEN
#define RETA_QUEUES	4
#define NFLOWS		1024	/* packets (= flows) sent per RETA phase */
#define RETA_INFLIGHT	256	/* sent but not yet received, at most */
#define FRAME_LEN	64
#define STORM_SECONDS	10
#define STORM_INFLIGHT	512	/* sender stays this far ahead at most */
#define WAKE_MS		200	/* an armed, pending queue signals within this */
#define LATE_MS		300	/* ... or, counted as late, within this more */

static struct rte_mempool *pool;

/* xorshift64*: deterministic pseudo-random numbers (seeded per test). */
static uint64_t
rnd_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

/* Port setup of these tests: nb_rxq Rx queues, one Tx queue, as flags say. */
static int
port_setup(uint16_t port, uint16_t nb_rxq, unsigned int flags)
{
	return evq_test_port_start(port, nb_rxq, NB_DESC, pool, flags);
}

/* UDP/IPv4 frame of flow f to dst. */
static struct rte_mbuf *
frame_udp(const struct rte_ether_addr *dst, uint32_t f)
{
	struct rte_ipv4_tuple t;

	memset(&t, 0, sizeof(t));
	t.src_addr = RTE_IPV4(10, 1, (f >> 8) & 0xff, f & 0xff);
	t.dst_addr = RTE_IPV4(10, 2, 0, 1 + (f % 13));
	t.sport = (uint16_t)(1000 + f);
	t.dport = (uint16_t)(2000 + (f % 7));
	return evq_test_udp_frame(pool, dst, &t, FRAME_LEN);
}

/* The RSS input of a received UDP/IPv4 frame (host order, as rte_softrss
 * takes it); -1 if it is not one. */
static int
frame_tuple(const struct rte_mbuf *m, struct rte_ipv4_tuple *t)
{
	const struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eh + 1);
	const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)(ip + 1);

	if (m->data_len < FRAME_LEN || eh->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
			ip->next_proto_id != IPPROTO_UDP)
		return -1;
	t->src_addr = rte_be_to_cpu_32(ip->src_addr);
	t->dst_addr = rte_be_to_cpu_32(ip->dst_addr);
	t->sport = rte_be_to_cpu_16(udp->src_port);
	t->dport = rte_be_to_cpu_16(udp->dst_port);
	return 0;
}

/* ------------------------------------------------------------ reta --- */

struct reta_result {
	unsigned int per_queue[RETA_QUEUES];
	unsigned int expect[RETA_QUEUES];
	unsigned int bad_hash, bad_queue, not_udp;
};

static int
reta_set(uint16_t port, const uint8_t table[RETA_SIZE])
{
	struct rte_eth_rss_reta_entry64 conf[RETA_SIZE / RTE_ETH_RETA_GROUP_SIZE];
	unsigned int i;

	memset(conf, 0, sizeof(conf));
	for (i = 0; i < RETA_SIZE; i++) {
		conf[i / RTE_ETH_RETA_GROUP_SIZE].mask |= 1ull << (i % RTE_ETH_RETA_GROUP_SIZE);
		conf[i / RTE_ETH_RETA_GROUP_SIZE].reta[i % RTE_ETH_RETA_GROUP_SIZE] = table[i];
	}
	return rte_eth_dev_rss_reta_update(port, conf, RETA_SIZE);
}

static int
reta_get(uint16_t port, uint8_t table[RETA_SIZE])
{
	struct rte_eth_rss_reta_entry64 conf[RETA_SIZE / RTE_ETH_RETA_GROUP_SIZE];
	unsigned int i;
	int ret;

	memset(conf, 0, sizeof(conf));
	for (i = 0; i < RTE_DIM(conf); i++)
		conf[i].mask = UINT64_MAX;
	ret = rte_eth_dev_rss_reta_query(port, conf, RETA_SIZE);
	for (i = 0; ret == 0 && i < RETA_SIZE; i++)
		table[i] = (uint8_t)conf[i / RTE_ETH_RETA_GROUP_SIZE].reta[i % RTE_ETH_RETA_GROUP_SIZE];
	return ret;
}

/* Receive from every Rx queue of port 0, checking each packet. */
static unsigned int
reta_poll(const uint8_t table[RETA_SIZE], const uint8_t key[RSS_KEY_LEN],
		struct reta_result *res)
{
	struct rte_mbuf *m[64];
	unsigned int got = 0, i;
	uint16_t q, n;

	for (q = 0; q < RETA_QUEUES; q++) {
		n = rte_eth_rx_burst(0, q, m, RTE_DIM(m));
		for (i = 0; i < n; i++) {
			struct rte_ipv4_tuple t;
			uint32_t h;

			res->per_queue[q]++;
			if (frame_tuple(m[i], &t) != 0) {
				res->not_udp++;
				continue;
			}
			h = rte_softrss((uint32_t *)&t, RTE_THASH_V4_L4_LEN, key);
			if (!(m[i]->ol_flags & RTE_MBUF_F_RX_RSS_HASH) || m[i]->hash.rss != h) {
				if (res->bad_hash++ < 3)
					printf("  hash 0x%08x, rte_softrss 0x%08x (flags 0x%" PRIx64 ")\n",
						m[i]->hash.rss, h, m[i]->ol_flags);
			}
			if (table[h % RETA_SIZE] != q) {
				if (res->bad_queue++ < 3)
					printf("  hash 0x%08x on queue %u, reta[%u] = %u\n", h, q,
						h % RETA_SIZE, table[h % RETA_SIZE]);
			}
		}
		rte_pktmbuf_free_bulk(m, n);
		got += n;
	}
	return got;
}

/* Send NFLOWS flows port 1 -> port 0 and receive them all, checking. */
static int
reta_phase(const char *name, const uint8_t table[RETA_SIZE],
		const uint8_t key[RSS_KEY_LEN], uint32_t flow_base, struct reta_result *res)
{
	struct rte_ether_addr dst;
	uint64_t hw0 = evq_test_xstat(0, "hw_rx_packets"), hw1, deadline;
	unsigned int sent = 0, got = 0, q, f;

	memset(res, 0, sizeof(*res));
	CHECK(rte_eth_macaddr_get(0, &dst) == 0, "macaddr");
	for (f = 0; f < NFLOWS; f++) {
		struct rte_ipv4_tuple t;
		struct rte_mbuf *m = frame_udp(&dst, flow_base + f);

		CHECK(m != NULL, "mbuf");
		CHECK(frame_tuple(m, &t) == 0, "own frame");
		res->expect[table[rte_softrss((uint32_t *)&t, RTE_THASH_V4_L4_LEN, key) %
				RETA_SIZE]]++;
		/*
		 * Keep the Rx rings far from full, whatever the table: the
		 * adapter may fall behind (a software adapter on a busy machine
		 * is not scheduled for milliseconds) and then deliver all it
		 * was given at once, so polling every few frames is not enough.
		 * With every flow on one queue, a whole phase would overrun
		 * that queue's ring: the adapter counts them missed, rightly.
		 */
		deadline = rte_get_timer_cycles() + evq_test_ms_to_cycles(5000);
		while (sent - got >= RETA_INFLIGHT) {
			got += reta_poll(table, key, res);
			CHECK(rte_get_timer_cycles() < deadline,
					"%s: %u sent, only %u received", name, sent, got);
		}
		deadline = rte_get_timer_cycles() + evq_test_ms_to_cycles(2000);
		while (rte_eth_tx_burst(1, 0, &m, 1) == 0) {
			got += reta_poll(table, key, res);
			CHECK(rte_get_timer_cycles() < deadline, "%s: cannot send", name);
		}
		sent++;
		if ((sent & 31) == 0)
			got += reta_poll(table, key, res);
	}
	deadline = rte_get_timer_cycles() + evq_test_ms_to_cycles(5000);
	while (got < sent && rte_get_timer_cycles() < deadline)
		got += reta_poll(table, key, res);
	hw1 = evq_test_xstat(0, "hw_rx_packets");
	printf("reta %-8s per queue:", name);
	for (q = 0; q < RETA_QUEUES; q++)
		printf(" %u", res->per_queue[q]);
	printf(" (expected");
	for (q = 0; q < RETA_QUEUES; q++)
		printf(" %u", res->expect[q]);
	printf("), sent %u, received %u, adapter delivered %" PRIu64 "\n", sent, got, hw1 - hw0);
	CHECK(got == sent, "%s: received %u of %u", name, got, sent);
	CHECK(hw1 - hw0 == sent, "%s: the adapter delivered %" PRIu64 " frames for %u sent",
			name, hw1 - hw0, sent);
	CHECK(res->not_udp == 0, "%s: %u foreign packets", name, res->not_udp);
	CHECK(res->bad_hash == 0, "%s: %u packets with a hash other than rte_softrss's",
			name, res->bad_hash);
	CHECK(res->bad_queue == 0, "%s: %u packets on a queue other than reta[hash %% 128]",
			name, res->bad_queue);
	for (q = 0; q < RETA_QUEUES; q++)
		CHECK(res->per_queue[q] == res->expect[q], "%s: queue %u got %u, expected %u",
				name, q, res->per_queue[q], res->expect[q]);
	return 0;
}

static int
test_reta(void)
{
	struct rte_eth_rss_conf rss;
	struct reta_result res;
	uint8_t table[RETA_SIZE], readback[RETA_SIZE], key[RSS_KEY_LEN], got_key[RSS_KEY_LEN];
	uint64_t seed = 0x5eed0001;
	unsigned int i, q;
	int ret;

	CHECK(rte_eth_dev_count_avail() >= 2, "need two evq ports");
	CHECK(port_setup(0, RETA_QUEUES, EVQ_TEST_PORT_RSS) == 0, "port 0");
	CHECK(port_setup(1, 1, 0) == 0, "port 1");

	/* 1: the default table spreads over every queue (i % 4) */
	CHECK(reta_get(0, table) == 0, "reta_query");
	for (i = 0; i < RETA_SIZE; i++)
		CHECK(table[i] == i % RETA_QUEUES, "default reta[%u] = %u", i, table[i]);
	CHECK(reta_phase("default", table, evq_test_rss_default_key, 0, &res) == 0, "default table");
	for (q = 0; q < RETA_QUEUES; q++)
		CHECK(res.per_queue[q] > NFLOWS / RETA_QUEUES / 2,
				"default table: queue %u got only %u of %u", q, res.per_queue[q],
				NFLOWS);

	/* 2: every entry to queue 2: everything arrives on queue 2 */
	memset(table, 2, sizeof(table));
	ret = reta_set(0, table);
	CHECK(ret == 0, "reta_update: %s", rte_strerror(-ret));
	CHECK(reta_get(0, readback) == 0 && memcmp(readback, table, RETA_SIZE) == 0,
			"reta readback after 'all to 2'");
	CHECK(reta_phase("all-to-2", table, evq_test_rss_default_key, NFLOWS, &res) == 0, "all to 2");
	CHECK(res.per_queue[2] == NFLOWS, "queue 2 got %u of %u", res.per_queue[2], NFLOWS);

	/* 3: a table that splits by hash: pseudo-random, every queue used */
	for (i = 0; i < RETA_SIZE; i++)
		table[i] = (uint8_t)(rnd_next(&seed) % RETA_QUEUES);
	for (q = 0; q < RETA_QUEUES; q++)
		table[q * 7] = (uint8_t)q;
	ret = reta_set(0, table);
	CHECK(ret == 0, "reta_update: %s", rte_strerror(-ret));
	CHECK(reta_get(0, readback) == 0 && memcmp(readback, table, RETA_SIZE) == 0,
			"reta readback after the split table");
	CHECK(reta_phase("split", table, evq_test_rss_default_key, 2 * NFLOWS, &res) == 0, "split");

	/* 4: a new key: hashes follow rte_softrss with it, queues the table */
	for (i = 0; i < RSS_KEY_LEN; i++)
		key[i] = (uint8_t)rnd_next(&seed);
	memset(&rss, 0, sizeof(rss));
	rss.rss_key = key;
	rss.rss_key_len = RSS_KEY_LEN;
	rss.rss_hf = RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_NONFRAG_IPV4_UDP;
	ret = rte_eth_dev_rss_hash_update(0, &rss);
	CHECK(ret == 0, "rss_hash_update: %s", rte_strerror(-ret));
	memset(&rss, 0, sizeof(rss));
	rss.rss_key = got_key;
	rss.rss_key_len = RSS_KEY_LEN;
	CHECK(rte_eth_dev_rss_hash_conf_get(0, &rss) == 0 &&
			memcmp(got_key, key, RSS_KEY_LEN) == 0, "new key not read back");
	CHECK(reta_phase("new-key", table, key, 0, &res) == 0, "new key");

	/* 5: a bad update (queue 4 of 4) is refused and changes nothing */
	memcpy(readback, table, sizeof(readback));
	readback[5] = RETA_QUEUES;
	ret = reta_set(0, readback);
	CHECK(ret == -EINVAL, "reta_update to queue %u: %d, expected -EINVAL", RETA_QUEUES, ret);
	CHECK(reta_get(0, readback) == 0 && memcmp(readback, table, RETA_SIZE) == 0,
			"a refused RETA update changed the table");
	CHECK(reta_phase("refused", table, key, NFLOWS, &res) == 0, "after refused update");

	CHECK(evq_test_xstat(0, "hw_illegal_accesses") == 0, "the adapter saw illegal accesses");
	evq_test_ports_close(2);
	return 0;
}

/* ----------------------------------------------------------- storm --- */

struct storm_shared {
	volatile bool stop;
	volatile bool done;
	uint64_t sent;			/* written by the sender */
	uint64_t received;		/* written by the receiver */
	uint64_t bursts;
	uint64_t seed;
};

static struct storm_shared storm;

/* Sender, lcore 1: bursts of 1..64 frames, random gaps, bounded lead. */
static int
storm_sender(void *arg)
{
	struct rte_ether_addr dst;
	uint64_t seed = storm.seed ^ 0xa5a5a5a5ull, end;
	struct rte_mbuf *m[64];
	uint32_t flow = 0;

	RTE_SET_USED(arg);
	rte_eth_macaddr_get(0, &dst);
	end = rte_get_timer_cycles() + evq_test_ms_to_cycles(STORM_SECONDS * 1000);
	while (!storm.stop && rte_get_timer_cycles() < end) {
		unsigned int n = 1 + (unsigned int)(rnd_next(&seed) % 64), i, sent = 0;
		uint64_t r = rnd_next(&seed) % 100, gap_us;

		while (__atomic_load_n(&storm.received, __ATOMIC_ACQUIRE) + STORM_INFLIGHT <
				storm.sent + n && !storm.stop)
			rte_delay_us_sleep(50);
		for (i = 0; i < n; i++) {
			m[i] = frame_udp(&dst, flow++);
			if (m[i] == NULL)
				break;
		}
		n = i;
		while (sent < n && !storm.stop) {
			uint16_t k = rte_eth_tx_burst(1, 0, m + sent, (uint16_t)(n - sent));

			sent += k;
			if (k == 0)
				rte_delay_us_sleep(10);
		}
		rte_pktmbuf_free_bulk(m + sent, n - sent);
		__atomic_store_n(&storm.sent, storm.sent + sent, __ATOMIC_RELEASE);
		storm.bursts++;
		/* gaps: 40% none, 40% < 0.5 ms, 15% < 5 ms, 5% < 20 ms */
		if (r < 40)
			gap_us = 0;
		else if (r < 80)
			gap_us = rnd_next(&seed) % 500;
		else if (r < 95)
			gap_us = 500 + rnd_next(&seed) % 4500;
		else
			gap_us = 5000 + rnd_next(&seed) % 15000;
		if (gap_us != 0)
			rte_delay_us_sleep((unsigned int)gap_us);
	}
	__atomic_store_n(&storm.done, true, __ATOMIC_RELEASE);
	return 0;
}

/* Take up to max packets (UINT32_MAX: until the queue is empty). */
static unsigned int
storm_drain(unsigned int max)
{
	struct rte_mbuf *m[64];
	unsigned int got = 0;
	uint16_t n;

	do {
		n = rte_eth_rx_burst(0, 0, m, (uint16_t)RTE_MIN(max - got, RTE_DIM(m)));
		rte_pktmbuf_free_bulk(m, n);
		got += n;
	} while (n != 0 && got < max);
	if (got != 0)
		__atomic_store_n(&storm.received, storm.received + got, __ATOMIC_RELEASE);
	return got;
}

static int
test_storm(unsigned int skip_arm_every)
{
	uint64_t arms = 0, sleeps = 0, wakeups = 0, spurious = 0, late = 0, lost = 0;
	uint64_t idle = 0, armed_pending = 0, toggles = 0, skipped = 0, deadline;
	uint64_t seed, v_arms, v_wake, v_spur, v_sig, v_missed, v_lost, v_bad, v_rx;
	unsigned int lcore;
	int ret;

	seed = storm.seed;
	CHECK(rte_eth_dev_count_avail() >= 2, "need two evq ports");
	lcore = rte_get_next_lcore(-1, 1, 0);
	CHECK(lcore < RTE_MAX_LCORE, "the storm needs a second lcore (-l 0-1)");
	CHECK(port_setup(0, 1, EVQ_TEST_PORT_RXQ_INTR) == 0, "port 0");
	CHECK(port_setup(1, 1, 0) == 0, "port 1");
	ret = rte_eth_dev_rx_intr_ctl_q(0, 0, RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_ADD, NULL);
	CHECK(ret == 0, "rx_intr_ctl_q: %s", rte_strerror(-ret));
	CHECK(rte_eal_remote_launch(storm_sender, NULL, lcore) == 0, "launch the sender");

	deadline = rte_get_timer_cycles() + evq_test_ms_to_cycles((STORM_SECONDS + 20) * 1000);
	for (;;) {
		uint64_t r = rnd_next(&seed) % 100;
		unsigned int i, k;
		bool pending, skip;
		int n;

		if (rte_get_timer_cycles() > deadline) {
			storm.stop = true;
			rte_eal_wait_lcore(lcore);
			CHECK(false, "storm did not finish: sent %" PRIu64 " received %" PRIu64,
					storm.sent, storm.received);
		}
		/* 75%: drain first; 25%: leave packets pending and arm anyway */
		if (r < 75)
			storm_drain(UINT32_MAX);
		else
			storm_drain(1 + (unsigned int)(rnd_next(&seed) % 8));
		if (__atomic_load_n(&storm.done, __ATOMIC_ACQUIRE) &&
				storm.received == __atomic_load_n(&storm.sent, __ATOMIC_ACQUIRE) &&
				rte_eth_rx_queue_count(0, 0) == 0)
			break;
		/* the storm: arm/disarm pairs back to back */
		k = (unsigned int)(rnd_next(&seed) % 4);
		for (i = 0; i < k; i++) {
			CHECK(rte_eth_dev_rx_intr_enable(0, 0) == 0, "intr_enable");
			CHECK(rte_eth_dev_rx_intr_disable(0, 0) == 0, "intr_disable");
			arms++;
			toggles++;
		}
		/* arm for real and sleep; fault injection can skip the store */
		skip = skip_arm_every != 0 && (arms + 1) % skip_arm_every == 0;
		if (!skip)
			CHECK(rte_eth_dev_rx_intr_enable(0, 0) == 0, "intr_enable");
		else
			skipped++;
		arms++;
		pending = rte_eth_rx_queue_count(0, 0) > 0;
		armed_pending += pending;
		sleeps++;
		n = evq_test_wait_rx_intr(WAKE_MS);
		if (n == 0) {
			/* no wake-up: fine only if nothing is pending */
			if (rte_eth_rx_queue_count(0, 0) == 0) {
				idle++;
			} else if (evq_test_wait_rx_intr(LATE_MS) > 0) {
				late++;
			} else {
				if (lost++ < 5)
					printf("lost wake-up at arm %" PRIu64 ": %d packets pending "
						"%d ms after arming\n", arms,
						rte_eth_rx_queue_count(0, 0), WAKE_MS + LATE_MS);
			}
		} else if (n > 0) {
			wakeups++;
			if (rte_eth_rx_queue_count(0, 0) == 0)
				spurious++;
		}
		if (!skip)
			CHECK(rte_eth_dev_rx_intr_disable(0, 0) == 0, "intr_disable");
	}
	rte_eal_wait_lcore(lcore);

	v_arms = evq_test_xstat(0, "rx_q0_intr_arms");
	v_wake = evq_test_xstat(0, "rx_q0_intr_wakeups");
	v_spur = evq_test_xstat(0, "rx_q0_intr_spurious_wakeups");
	/* MSI-X, or INTx (evq-sim --vectors 0) */
	v_sig = evq_test_xstat(0, "hw_msix_signals") + evq_test_xstat(0, "hw_intx_signals");
	v_missed = evq_test_xstat(0, "hw_rx_missed");
	v_lost = evq_test_xstat(0, "hw_events_lost");
	v_bad = evq_test_xstat(0, "hw_bad_doorbells");
	v_rx = evq_test_xstat(0, "hw_rx_packets");
	printf("storm: %u s, %" PRIu64 " bursts, sent %" PRIu64 ", received %" PRIu64
		", adapter delivered %" PRIu64 " missed %" PRIu64 " events lost %" PRIu64 "\n",
		STORM_SECONDS, storm.bursts, storm.sent, storm.received, v_rx, v_missed, v_lost);
	printf("storm: arms %" PRIu64 " (%" PRIu64 " in arm/disarm toggles), sleeps %" PRIu64
		" (%" PRIu64 " armed with packets pending), wake-ups %" PRIu64
		", spurious wake-ups %" PRIu64 ", late wake-ups %" PRIu64
		", idle timeouts %" PRIu64 ", LOST WAKE-UPS %" PRIu64 "\n",
		arms, toggles, sleeps, armed_pending, wakeups, spurious, late, idle, lost);
	if (skipped != 0)
		printf("storm: FAULT INJECTION: %" PRIu64 " arms skipped on purpose\n", skipped);
	printf("storm xstats: rx_q0_intr_arms %" PRIu64 ", rx_q0_intr_wakeups %" PRIu64
		", rx_q0_intr_spurious_wakeups %" PRIu64 ", adapter signals %" PRIu64
		", hw_bad_doorbells %" PRIu64 "\n", v_arms, v_wake, v_spur, v_sig, v_bad);

	CHECK(lost == 0, "%" PRIu64 " lost wake-ups", lost);
	CHECK(storm.sent > 10000, "too little traffic: %" PRIu64, storm.sent);
	CHECK(storm.received == storm.sent, "lost events: sent %" PRIu64 ", received %" PRIu64,
			storm.sent, storm.received);
	CHECK(v_rx == storm.sent, "the adapter delivered %" PRIu64 " of %" PRIu64, v_rx,
			storm.sent);
	CHECK(v_missed == 0 && v_lost == 0, "the adapter dropped frames or events");
	CHECK(v_bad == 0, "%" PRIu64 " malformed doorbells", v_bad);
	CHECK(v_arms == arms - skipped, "rx_q0_intr_arms %" PRIu64 ", the application armed %"
			PRIu64, v_arms, arms - skipped);
	CHECK(v_sig != UINT64_MAX && v_sig >= wakeups, "adapter signals %" PRIu64 " < wake-ups %"
			PRIu64, v_sig, wakeups);
	rte_eth_dev_rx_intr_ctl_q(0, 0, RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_DEL, NULL);
	evq_test_ports_close(2);
	return 0;
}

/* ------------------------------------------------------------- lsc --- */

/* Toggle the link from the adapter's side and wait for the callback with
 * no ethdev call in between (nothing may consume EQ 0 but vector 0). */
static int
lsc_toggle(pid_t sim, const char *link_cmd, int want_events, int want_status)
{
	uint64_t irq0, spur0, link0, irq1, spur1, link1, t0;
	struct rte_eth_link link;

	irq0 = evq_test_xstat(0, "eq0_interrupts");
	spur0 = evq_test_xstat(0, "eq0_spurious");
	link0 = evq_test_xstat(0, "link_events");
	if (link_cmd != NULL)
		CHECK(system(link_cmd) == 0, "'%s' failed", link_cmd);
	else
		CHECK(kill(sim, SIGUSR1) == 0, "kill(%d, SIGUSR1): %s", (int)sim,
				strerror(errno));
	t0 = rte_get_timer_cycles();
	CHECK(evq_test_lsc_wait(want_events, 5000) >= want_events,
			"no LSC callback within 5 s (vector 0 dead?)");
	irq1 = evq_test_xstat(0, "eq0_interrupts");
	spur1 = evq_test_xstat(0, "eq0_spurious");
	link1 = evq_test_xstat(0, "link_events");
	printf("lsc: event %d after %.1f ms: eq0_interrupts +%" PRIu64 ", eq0_spurious +%"
		PRIu64 ", link_events +%" PRIu64 "\n", want_events,
		(double)(rte_get_timer_cycles() - t0) * 1000.0 / rte_get_timer_hz(),
		irq1 - irq0, spur1 - spur0, link1 - link0);
	CHECK(irq1 > irq0, "the LSC event did not come through a vector-0 interrupt");
	CHECK(spur1 == spur0, "a vector-0 interrupt found EQ 0 empty");
	CHECK(link1 == link0 + 1, "link_events +%" PRIu64 ", expected +1", link1 - link0);
	CHECK(rte_eth_link_get_nowait(0, &link) == 0, "link_get");
	CHECK(link.link_status == want_status, "link status %u, expected %d",
			link.link_status, want_status);
	return 0;
}

static int
test_lsc(void)
{
	const char *pid_s = getenv("EVQ_SIM_PID");
	const char *link_cmd = getenv("EVQ_SIM_LINK_CMD");
	struct rte_eth_link link;
	pid_t sim = 0;

	if (link_cmd == NULL) {
		CHECK(pid_s != NULL && atoi(pid_s) > 1, "EVQ_SIM_PID not set");
		sim = (pid_t)atoi(pid_s);
	}
	CHECK(port_setup(0, 1, EVQ_TEST_PORT_LSC) == 0, "port 0");
	evq_test_lsc_register(0);
	CHECK(rte_eth_link_get_nowait(0, &link) == 0 && link.link_status == RTE_ETH_LINK_UP,
			"link not up at start");
	CHECK(lsc_toggle(sim, link_cmd, 1, RTE_ETH_LINK_DOWN) == 0, "link down");
	CHECK(lsc_toggle(sim, link_cmd, 2, RTE_ETH_LINK_UP) == 0, "link up");
	evq_test_lsc_unregister(0);
	evq_test_ports_close(1);
	return 0;
}

/* ------------------------------------------------------ reta kept --- */

/*
 * A RETA the application set survives a reconfiguration (dev_configure
 * again, same Rx queues) and a restart; once an entry would name a queue
 * that no longer exists (fewer Rx queues), the default table comes back:
 * every Rx queue, round robin.
 */
static int
test_reta_kept(void)
{
	uint8_t table[RETA_SIZE], got[RETA_SIZE];
	unsigned int i;

	CHECK(port_setup(0, RETA_QUEUES, EVQ_TEST_PORT_RSS) == 0, "port 0");
	for (i = 0; i < RETA_SIZE; i++)
		table[i] = (uint8_t)(RETA_QUEUES - 1 - i % RETA_QUEUES);
	CHECK(reta_set(0, table) == 0, "reta_update");
	CHECK(rte_eth_dev_stop(0) == 0, "stop");
	CHECK(port_setup(0, RETA_QUEUES, EVQ_TEST_PORT_RSS) == 0, "reconfigure, same queues");
	CHECK(reta_get(0, got) == 0, "reta_query");
	CHECK(memcmp(got, table, sizeof(got)) == 0,
			"the application's RETA was lost by dev_configure");
	CHECK(rte_eth_dev_stop(0) == 0, "stop");
	CHECK(port_setup(0, 2, EVQ_TEST_PORT_RSS) == 0, "reconfigure, 2 queues");
	CHECK(reta_get(0, got) == 0, "reta_query");
	for (i = 0; i < RETA_SIZE; i++)
		CHECK(got[i] == i % 2, "entry %u: queue %u, expected the default %u",
				i, got[i], i % 2);
	printf("reta_kept: the application's RETA kept across dev_configure, "
			"default with fewer queues\n");
	evq_test_ports_close(1);
	return 0;
}

/* ------------------------------------------------------- link race --- */

#define LR_TOGGLES	100	/* link down/up requests, ending with up */

static volatile bool lr_stop;

/* Second lcore: link_update as fast as it can (no LSC on the port, so
 * rte_eth_link_get() calls into the driver every time). */
static int
lr_reader(void *arg)
{
	uint64_t *reads = arg;
	struct rte_eth_link link;

	while (!lr_stop) {
		if (rte_eth_link_get(0, &link) == 0)
			(*reads)++;
	}
	return 0;
}

/*
 * The link state is written from three places: the vector-0 handler
 * (interrupt thread), the LSC alarm and link_update (here a second lcore).
 * Toggle the link from the adapter's side many times (admin SET_LINK)
 * while the second lcore reads it; once every link event has been
 * handled, ethdev must report the adapter's last state (a stale copy
 * stored after a newer one would leave the link down).
 */
static int
test_link_race(void)
{
	struct rte_eth_link link;
	uint64_t reads = 0, link0, deadline;
	unsigned int lcore, i;
	int ret = 0;

	CHECK(rte_lcore_count() >= 2, "link_race needs 2 lcores");
	CHECK(port_setup(0, 1, 0) == 0, "port 0");
	link0 = evq_test_xstat(0, "link_events");
	lcore = rte_get_next_lcore(-1, 1, 0);
	lr_stop = false;
	CHECK(rte_eal_remote_launch(lr_reader, &reads, lcore) == 0, "launch");
	for (i = 0; i < LR_TOGGLES && ret == 0; i++)
		ret = (i & 1) ? rte_eth_dev_set_link_up(0) : rte_eth_dev_set_link_down(0);
	/* every event handled: by vector 0 or by a link_update of the reader */
	deadline = rte_get_timer_cycles() + evq_test_ms_to_cycles(10000);
	while (evq_test_xstat(0, "link_events") < link0 + LR_TOGGLES &&
			rte_get_timer_cycles() < deadline)
		rte_pause();
	lr_stop = true;
	rte_eal_wait_lcore(lcore);
	CHECK(ret == 0, "set_link: %s", strerror(-ret));
	printf("link_race: %u toggles, %" PRIu64 " link events, %" PRIu64 " reads\n",
			LR_TOGGLES, evq_test_xstat(0, "link_events") - link0, reads);
	CHECK(evq_test_xstat(0, "link_events") == link0 + LR_TOGGLES,
			"link events lost");
	CHECK(rte_eth_link_get_nowait(0, &link) == 0, "link_get");
	CHECK(link.link_status == RTE_ETH_LINK_UP,
			"link reported down after the last toggle brought it up");
	evq_test_ports_close(1);
	return 0;
}

/* -------------------------------------------------- shared vectors --- */

#define SV_QUEUES	4	/* Rx queues of port 0 */
#define SV_ROUNDS	200	/* arm, send, sleep, receive */

/* Is fd readable within timeout_ms (without consuming the wake-up)? */
static bool
fd_readable(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, timeout_ms) > 0 && (pfd.revents & POLLIN);
}

/* Take packets from port 0 queue q until want arrived or ms passed. */
static unsigned int
sv_receive(uint16_t q, unsigned int want, uint64_t ms)
{
	uint64_t deadline = rte_get_timer_cycles() + evq_test_ms_to_cycles(ms);
	struct rte_mbuf *m[64];
	unsigned int got = 0;
	uint16_t n;

	do {
		n = rte_eth_rx_burst(0, q, m, RTE_DIM(m));
		rte_pktmbuf_free_bulk(m, n);
		got += n;
	} while (got < want && rte_get_timer_cycles() < deadline);
	return got;
}

/* Send n frames port 1 -> port 0; the number sent. */
static unsigned int
sv_send(unsigned int n, uint32_t flow)
{
	struct rte_ether_addr dst;
	struct rte_mbuf *m[64];
	unsigned int i, sent = 0;
	uint64_t deadline = rte_get_timer_cycles() + evq_test_ms_to_cycles(2000);

	rte_eth_macaddr_get(0, &dst);
	for (i = 0; i < n && i < RTE_DIM(m); i++) {
		m[i] = frame_udp(&dst, flow + i);
		if (m[i] == NULL)
			break;
	}
	n = i;
	while (sent < n && rte_get_timer_cycles() < deadline)
		sent += rte_eth_tx_burst(1, 0, m + sent, (uint16_t)(n - sent));
	rte_pktmbuf_free_bulk(m + sent, n - sent);
	return sent;
}

/*
 * Fewer MSI-X vectors than Rx queues + 1 (evq-sim --vectors 3, 1 or 0): one
 * adapter interrupt serves several Rx EQs. All traffic steered to queue 3;
 * queue 1 signals the same vector (--vectors 3) or INTx. Every round arms
 * queues 1 and 3, sends a burst and sleeps on queue 3's interrupt: it must
 * wake (no lost wake-up), queue 1's waiter must not (the summary line
 * names queue 3 only), every packet arrives on queue 3.
 */
static int
test_shared_irq(void)
{
	uint64_t seed = 0x5eed0005, hw0, hw1, q3_wake, fwd0, fwd1;
	unsigned int sent = 0, got = 0, lost = 0, q1_woke = 0, round, n, i;
	uint8_t table[RETA_SIZE];
	int fd[SV_QUEUES], ret;
	uint16_t q;

	CHECK(rte_eth_dev_count_avail() >= 2, "need two evq ports");
	ret = port_setup(0, SV_QUEUES, EVQ_TEST_PORT_RSS | EVQ_TEST_PORT_RXQ_INTR);
	CHECK(ret == 0, "port 0 with %u Rx queues and Rx interrupts on a shared interrupt: %s",
			SV_QUEUES, rte_strerror(-ret));
	CHECK(port_setup(1, 1, 0) == 0, "port 1");

	/* each queue its own eventfd, whatever the adapter's interrupts */
	for (q = 0; q < SV_QUEUES; q++) {
		fd[q] = rte_eth_dev_rx_intr_ctl_q_get_fd(0, q);
		CHECK(fd[q] >= 0, "no interrupt fd for queue %u", q);
	}
	printf("shared_irq: queue fds %d %d %d %d\n", fd[0], fd[1], fd[2], fd[3]);
	CHECK(fd[0] != fd[1] && fd[0] != fd[2] && fd[0] != fd[3] && fd[1] != fd[2] &&
			fd[1] != fd[3] && fd[2] != fd[3], "queues share an eventfd");
	ret = rte_eth_dev_rx_intr_ctl_q(0, 3, RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_ADD, NULL);
	CHECK(ret == 0, "rx_intr_ctl_q(3): %s", rte_strerror(-ret));

	memset(table, 3, sizeof(table));
	ret = reta_set(0, table);
	CHECK(ret == 0, "reta_update: %s", rte_strerror(-ret));

	/* another vector stays quiet: queue 0 armed, traffic on queue 3 */
	CHECK(rte_eth_dev_rx_intr_enable(0, 0) == 0, "intr_enable(0)");
	n = sv_send(8, 0);
	CHECK(n == 8, "sent %u of 8", n);
	sent += n;
	CHECK(!fd_readable(fd[0], WAKE_MS), "queue 0 woken for queue 3's traffic");
	CHECK(rte_eth_dev_rx_intr_disable(0, 0) == 0, "intr_disable(0)");
	/* arming queue 3 with events pending signals at once */
	CHECK(rte_eth_dev_rx_intr_enable(0, 3) == 0, "intr_enable(3)");
	CHECK(evq_test_wait_rx_intr(WAKE_MS + LATE_MS) > 0,
			"queue 3 armed with 8 packets pending: no wake-up");
	CHECK(rte_eth_dev_rx_intr_disable(0, 3) == 0, "intr_disable(3)");
	got += sv_receive(3, 8, 2000);
	CHECK(got == sent, "queue 3 received %u of %u", got, sent);

	hw0 = evq_test_xstat(0, "hw_rx_packets");
	fwd0 = evq_test_xstat(0, "shared_irq_wakeups");
	for (round = 0; round < SV_ROUNDS; round++) {
		CHECK(sv_receive(1, 0, 0) == 0, "packets on queue 1");
		CHECK(rte_eth_dev_rx_intr_enable(0, 1) == 0, "intr_enable(1)");
		CHECK(rte_eth_dev_rx_intr_enable(0, 3) == 0, "intr_enable(3)");
		n = 1 + (unsigned int)(rnd_next(&seed) % 32);
		i = sv_send(n, 1000 + round * 64);
		CHECK(i == n, "round %u: sent %u of %u", round, i, n);
		sent += n;
		if (evq_test_wait_rx_intr(WAKE_MS + LATE_MS) <= 0 &&
				lost++ < 5)
			printf("lost wake-up in round %u: %d packets pending on queue 3\n",
					round, rte_eth_rx_queue_count(0, 3));
		/* the handler wakes queues in EQ order: queue 1 before queue 3 */
		if (fd_readable(fd[1], 0))
			q1_woke++;
		CHECK(rte_eth_dev_rx_intr_disable(0, 1) == 0, "intr_disable(1)");
		CHECK(rte_eth_dev_rx_intr_disable(0, 3) == 0, "intr_disable(3)");
		i = sv_receive(3, n, 2000);
		CHECK(i == n, "round %u: queue 3 received %u of %u", round, i, n);
		got += i;
	}
	if (fd_readable(fd[1], WAKE_MS))
		q1_woke++;
	hw1 = evq_test_xstat(0, "hw_rx_packets");
	fwd1 = evq_test_xstat(0, "shared_irq_wakeups");
	q3_wake = evq_test_xstat(0, "rx_q3_intr_wakeups");
	printf("shared_irq: %u rounds, sent %u, received %u on queue 3, adapter "
		"delivered %" PRIu64 "; queue-3 wake-ups %" PRIu64 ", LOST WAKE-UPS %u; "
		"queue-1 waiter woken %u times; wake-ups forwarded by the driver's handler %"
		PRIu64 ", adapter MSI-X %" PRIu64 " INTx %" PRIu64 "\n",
		SV_ROUNDS, sent, got, hw1 - hw0, q3_wake, lost, q1_woke, fwd1 - fwd0,
		evq_test_xstat(0, "hw_msix_signals"), evq_test_xstat(0, "hw_intx_signals"));
	CHECK(lost == 0, "%u lost wake-ups", lost);
	CHECK(q1_woke == 0, "queue 1 was woken %u times for queue 3's traffic", q1_woke);
	CHECK(fwd1 - fwd0 >= SV_ROUNDS, "the shared-interrupt handler forwarded %" PRIu64
			" wake-ups for %u rounds", fwd1 - fwd0, SV_ROUNDS);
	CHECK(got == sent, "received %u of %u", got, sent);
	CHECK(hw1 - hw0 == sent - 8, "the adapter delivered %" PRIu64 " of %u", hw1 - hw0,
			sent - 8);
	for (q = 0; q < 3; q++)
		CHECK(sv_receive(q, 0, 0) == 0, "packets on queue %u", q);
	CHECK(q3_wake >= SV_ROUNDS, "rx_q3_intr_wakeups %" PRIu64 " < %u", q3_wake, SV_ROUNDS);
	CHECK(evq_test_xstat(0, "hw_rx_missed") == 0 && evq_test_xstat(0, "hw_events_lost") == 0,
			"the adapter dropped frames or events");
	CHECK(evq_test_xstat(0, "hw_illegal_accesses") == 0, "the adapter saw illegal accesses");
	rte_eth_dev_rx_intr_ctl_q(0, 3, RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_DEL, NULL);
	evq_test_ports_close(2);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *test;
	unsigned int skip_arm = 0;
	int ret, i;

	ret = evq_test_app_init(argc, argv, 16384, 256, &pool);
	if (ret < 0)
		return 1;
	argc -= ret;
	argv += ret;
	if (argc < 2) {
		printf("usage: test_intr_app <EAL args> -- reta|reta_kept|storm|lsc|link_race|"
			"shared_irq "
			"[--seed N] [--inject-skip-arm N]\nFAIL\n");
		return 2;
	}
	test = argv[1];
	storm.seed = 0x1234567887654321ull;
	for (i = 2; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--seed") == 0)
			storm.seed = strtoull(argv[i + 1], NULL, 0) | 1;
		else if (strcmp(argv[i], "--inject-skip-arm") == 0)
			skip_arm = (unsigned int)strtoul(argv[i + 1], NULL, 0);
	}
	if (strcmp(test, "reta") == 0)
		ret = test_reta();
	else if (strcmp(test, "storm") == 0)
		ret = test_storm(skip_arm);
	else if (strcmp(test, "lsc") == 0)
		ret = test_lsc();
	else if (strcmp(test, "reta_kept") == 0)
		ret = test_reta_kept();
	else if (strcmp(test, "link_race") == 0)
		ret = test_link_race();
	else if (strcmp(test, "shared_irq") == 0)
		ret = test_shared_irq();
	else {
		printf("unknown test '%s'\n", test);
		ret = -1;
	}
	return evq_test_app_finish(ret);
}
