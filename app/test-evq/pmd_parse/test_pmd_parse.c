/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * test_pmd_parse: Criterion tests of how net_evq parses what the adapter
 * writes into its event queues. The driver's own objects are linked in;
 * a small adapter model in this file stands in for the transport: its
 * registers keep what the driver writes and report a queue or EQ enabled
 * once the driver enabled it, and the tests play the
 * adapter's part by hand: they read the Rx descriptors the driver posted,
 * write frame data into those buffers and post hand-made 16-byte events
 * into the Rx EQs, the Tx EQs and EQ 0 (words 1..3 first, the control word
 * last, as the adapter does). Then they call the driver's rx_burst,
 * tx_burst, tx_done_cleanup and EQ 0 poll and check the exact outcome:
 * what the application gets (data, lengths, flags, packet type, RSS hash,
 * VLAN tag), what is dropped, which counter counts it, and that every mbuf
 * is back in the pool exactly once when the queues are released.
 *
 * EAL runs with --no-huge in each test's own process (Criterion runs every
 * test in a process of its own). The port is marked closed, so that no
 * deferred work (LSC alarm, EQ overflow recovery) runs behind a test's back.
 */

#include <stdbool.h>
#include <stdint.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "evq_ethdev.h"

#define T_NB_MBUF	512	/* no mempool cache: the count shows leaks and double frees */
#define T_BUF_LEN	256	/* bytes of each Rx buffer after the headroom */
#define T_NB_DESC	64
#define T_NB_QUEUES	2	/* Rx and Tx queues of the port */

static struct rte_mempool *t_mp;
static struct rte_eth_dev *t_dev;
static struct evq_adapter *t_ad;
static uint8_t t_dbpage[EVQ_BAR2_SIZE] __rte_aligned(64);
/* the port's queue arrays (globals: LeakSanitizer does not scan DPDK's
 * memory, where the port data lives) */
static void *t_rx_queues[T_NB_QUEUES], *t_tx_queues[T_NB_QUEUES];
static char t_runtime_dir[256];

/* The adapter's side: where it posts next in each EQ, and the next Rx
 * descriptor it takes in each Rx ring (running counts). */
static uint32_t t_eq_write[EVQ_MAX_EQS];
static uint32_t t_rx_head[T_NB_QUEUES];

/* ------------------------------------------------------------------ */
/* The adapter's registers                                            */
/* ------------------------------------------------------------------ */

/*
 * The adapter's register file, as far as queue and EQ set-up go: what the
 * driver writes is kept, and a queue's status or an EQ's state follows the
 * ENABLE bit of its control register (reads of other registers give what
 * was written, or 0).
 */
static uint32_t t_regs[EVQ_BAR0_SIZE / 4];

/* The block of the queue or EQ register reg belongs to, if it is register
 * off of one of count blocks of stride bytes at base; else -1. */
static int32_t
t_reg_block(uint32_t reg, uint32_t base, uint32_t stride, uint32_t count, uint32_t off)
{
	if (reg < base || reg >= base + stride * count || (reg - base) % stride != off)
		return -1;
	return (int32_t)(base + (reg - base) / stride * stride);
}

static uint32_t
t_reg_value(uint32_t reg)
{
	int32_t blk;

	blk = t_reg_block(reg, EVQ_REG_RXQ_BASE, EVQ_REG_RXQ_STRIDE, EVQ_MAX_QUEUES,
			EVQ_RXQ_STATUS);
	if (blk >= 0)
		return t_regs[(blk + EVQ_RXQ_CTRL) / 4] & EVQ_RXQ_CTRL_ENABLE ?
			EVQ_QSTATUS_ENABLED : 0;
	blk = t_reg_block(reg, EVQ_REG_TXQ_BASE, EVQ_REG_TXQ_STRIDE, EVQ_MAX_QUEUES,
			EVQ_TXQ_STATUS);
	if (blk >= 0)
		return t_regs[(blk + EVQ_TXQ_CTRL) / 4] & EVQ_TXQ_CTRL_ENABLE ?
			EVQ_QSTATUS_ENABLED : 0;
	blk = t_reg_block(reg, EVQ_REG_EQ_BASE, EVQ_REG_EQ_STRIDE, EVQ_MAX_EQS,
			EVQ_EQ_STATE);
	if (blk >= 0)
		return t_regs[(blk + EVQ_EQ_CTRL) / 4] & EVQ_EQ_CTRL_ENABLE ?
			EVQ_EQ_UNARMED : EVQ_EQ_UNDEFINED;
	return t_regs[reg / 4];
}

static int
t_bar0_read(struct evq_adapter *ad, uint32_t off, void *buf, size_t len)
{
	uint32_t *w = buf;
	size_t i;

	RTE_SET_USED(ad);
	cr_assert(off % 4 == 0 && len % 4 == 0 && off + len <= EVQ_BAR0_SIZE);
	for (i = 0; i < len / 4; i++)
		w[i] = rte_cpu_to_le_32(t_reg_value(off + 4 * (uint32_t)i));
	return 0;
}

static int
t_bar0_write(struct evq_adapter *ad, uint32_t off, const void *buf, size_t len)
{
	const uint32_t *w = buf;
	size_t i;

	RTE_SET_USED(ad);
	cr_assert(off % 4 == 0 && len % 4 == 0 && off + len <= EVQ_BAR0_SIZE);
	for (i = 0; i < len / 4; i++)
		t_regs[off / 4 + i] = rte_le_to_cpu_32(w[i]);
	return 0;
}

/* What the adapter holds of EQ e: defined (UNARMED) or UNDEFINED. */
static bool
t_eq_defined(uint16_t e)
{
	return t_reg_value(EVQ_REG_EQ(e, EVQ_EQ_STATE)) != EVQ_EQ_UNDEFINED;
}

static const struct evq_transport_ops t_tp_ops = {
	.name = "test",
	.bar0_read = t_bar0_read,
	.bar0_write = t_bar0_write,
};

/* ------------------------------------------------------------------ */
/* Port set-up                                                        */
/* ------------------------------------------------------------------ */

/* EAL leaves its (empty) runtime directory: removed at exit */
static void
t_eal_exit(void)
{
	if (t_runtime_dir[0] != '\0')
		rmdir(t_runtime_dir);
}

/* EAL, the mbuf pool and the port, once per process. */
static void
t_eal_init(void)
{
	char prefix[64];
	char *argv[] = { "test-pmd-parse", "--no-huge", "-m", "64", "--no-pci",
		"--no-shconf", "--no-telemetry", "-l", "0", "--log-level", "*:error",
		"--file-prefix", prefix, NULL };

	if (t_mp != NULL)
		return;
	snprintf(prefix, sizeof(prefix), "evq-parse-%d", (int)getpid());
	cr_assert(rte_eal_init((int)RTE_DIM(argv) - 1, argv) >= 0, "EAL init failed");
	snprintf(t_runtime_dir, sizeof(t_runtime_dir), "%s", rte_eal_get_runtime_dir());
	atexit(t_eal_exit);
	t_mp = rte_pktmbuf_pool_create("t_mp", T_NB_MBUF, 0, 0,
			RTE_PKTMBUF_HEADROOM + T_BUF_LEN, SOCKET_ID_ANY);
	t_dev = rte_eth_dev_allocate("net_evq_parse");
	t_ad = rte_zmalloc("t_ad", sizeof(*t_ad), RTE_CACHE_LINE_SIZE);
	cr_assert(t_mp != NULL && t_dev != NULL && t_ad != NULL);
}

/* A fresh adapter behind the port: no queue set up yet. */
static void
t_adapter_init(void)
{
	t_eal_init();
	memset(t_ad, 0, sizeof(*t_ad));
	memset(t_dbpage, 0, sizeof(t_dbpage));
	memset(t_regs, 0, sizeof(t_regs));
	memset(t_eq_write, 0, sizeof(t_eq_write));
	memset(t_rx_head, 0, sizeof(t_rx_head));
	t_dev->data->dev_private = t_ad;
	t_dev->data->rx_queues = t_rx_queues;
	t_dev->data->tx_queues = t_tx_queues;
	t_dev->data->nb_rx_queues = T_NB_QUEUES;
	t_dev->data->nb_tx_queues = T_NB_QUEUES;
	snprintf(t_ad->name, sizeof(t_ad->name), "parse");
	t_ad->eth_dev = t_dev;
	t_ad->port_id = t_dev->data->port_id;
	t_ad->tp_ops = &t_tp_ops;
	t_ad->dbpage = t_dbpage;
	t_ad->iova_is_va = true;
	t_ad->desc_min = EVQ_DESC_COUNT_MIN;
	t_ad->desc_max = 1024;
	t_ad->eq_min = EVQ_EQ_SIZE_MIN;
	t_ad->eq_max = 4096;
	t_ad->max_rxq = T_NB_QUEUES;
	t_ad->max_txq = T_NB_QUEUES;
	t_ad->max_eqs = EVQ_MAX_EQS;
	t_ad->identified = true;	/* the ID register was read: writes allowed */
	t_ad->closed = true;		/* no deferred work (alarms) behind the tests */
	rte_spinlock_init(&t_ad->eq0_lock);
	rte_spinlock_init(&t_ad->admin_lock);
	evq_devargs_default(&t_ad->args);
	t_ad->args.eq0_size = 64;
}

/* The driver's queue start, and the adapter starting over on that ring. */
static void
t_rxq_start(uint16_t q)
{
	struct evq_rx_queue *rxq = t_rx_queues[q];

	cr_assert_eq(evq_rx_queue_start(t_dev, q), 0);
	t_rx_head[q] = 0;
	if (evq_rxq_eq(rxq) == &rxq->eq)
		t_eq_write[rxq->eq.num] = 0;
}

static void
t_txq_start(uint16_t q)
{
	struct evq_tx_queue *txq = t_tx_queues[q];

	cr_assert_eq(evq_tx_queue_start(t_dev, q), 0);
	if (evq_txq_eq(txq) == &txq->eq)
		t_eq_write[txq->eq.num] = 0;
}

/*
 * Both Rx and both Tx queues set up and started, and EQ 0; offloads on
 * every Rx queue: rx_offloads (RSS hash, checksums, scatter as a test
 * wants). With shared, every queue consumes Rx queue 0's EQ
 * (eq_layout=single, bound as evq_layout_bind() does at dev_start).
 */
static void
t_port_up(uint64_t rx_offloads, bool shared)
{
	struct rte_eth_rxconf rxconf = { .offloads = rx_offloads };
	struct rte_eth_txconf txconf = { .offloads = 0 };
	uint16_t q;

	t_adapter_init();
	if (shared)
		t_ad->args.layout = EVQ_LAYOUT_SINGLE;
	for (q = 0; q < T_NB_QUEUES; q++) {
		cr_assert_eq(evq_rx_queue_setup(t_dev, q, T_NB_DESC, SOCKET_ID_ANY, &rxconf,
				t_mp), 0);
		cr_assert_eq(evq_tx_queue_setup(t_dev, q, T_NB_DESC, SOCKET_ID_ANY, &txconf),
				0);
	}
	if (shared) {
		struct evq_rx_queue *owner = t_rx_queues[0];

		for (q = 0; q < T_NB_QUEUES; q++) {
			((struct evq_rx_queue *)t_rx_queues[q])->shared_eq = &owner->eq;
			((struct evq_tx_queue *)t_tx_queues[q])->shared_eq = &owner->eq;
		}
	}
	cr_assert_eq(evq_eq0_setup(t_ad), 0);
	t_eq_write[0] = 0;
	for (q = 0; q < T_NB_QUEUES; q++) {
		t_rxq_start(q);
		t_txq_start(q);
	}
}

static void
t_port_scatter(void)
{
	t_port_up(RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_RSS_HASH |
			RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM, false);
}

static void
t_port_plain(void)
{
	t_port_up(0, false);
}

static void
t_port_shared(void)
{
	t_port_up(RTE_ETH_RX_OFFLOAD_SCATTER, true);
}

/* Release everything; every mbuf must be back in the pool exactly once. */
static void
t_port_down(void)
{
	unsigned int avail;
	uint16_t q;

	/* the queues on a shared EQ first, its owner (Rx queue 0) last */
	for (q = T_NB_QUEUES; q-- > 0;) {
		evq_tx_queue_release(t_dev, q);
		evq_rx_queue_release(t_dev, q);
	}
	evq_eq0_teardown(t_ad);
	avail = rte_mempool_avail_count(t_mp);
	cr_assert_eq(avail, T_NB_MBUF, "%u of %u mbufs back in the pool (%s)", avail,
			T_NB_MBUF, avail < T_NB_MBUF ? "leak" : "double free");
}

/*
 * A test of a started port: its body, then the release of the port and the
 * check that every mbuf is back in the pool, inside the test itself
 * (Criterion does not fail a test for an assertion in a .fini function).
 */
#define T_TEST(suite, name) \
	static void t_body_##suite##_##name(void); \
	Test(suite, name) \
	{ \
		t_body_##suite##_##name(); \
		t_port_down(); \
	} \
	static void t_body_##suite##_##name(void)

/* ------------------------------------------------------------------ */
/* The adapter's events                                               */
/* ------------------------------------------------------------------ */

/* Post one 16-byte entry into eq at the adapter's write count. */
static void
t_post(struct evq_eq *eq, const void *entry)
{
	uint8_t *slot = (uint8_t *)eq->mz->addr +
		(size_t)(t_eq_write[eq->num]++ & (eq->size - 1)) * EVQ_EVENT_SIZE;
	uint32_t ctrl;

	memcpy(slot + 4, (const uint8_t *)entry + 4, EVQ_EVENT_SIZE - 4);
	memcpy(&ctrl, entry, 4);
	__atomic_store_n((uint32_t *)slot, ctrl, __ATOMIC_RELEASE);
}

/* One EVQ_EV_RX event as the adapter builds it (desc: ring position). */
struct t_rx_ev {
	uint16_t queue;
	uint16_t desc;
	uint16_t len;
	uint16_t pkt_len;
	uint8_t flags;
	uint8_t ptype;
	uint32_t rss;
	uint16_t vlan;
	uint8_t code;		/* 0: EVQ_EV_RX */
};

static struct evq_rx_queue *
t_rxq(uint16_t q)
{
	return t_rx_queues[q];
}

static struct evq_tx_queue *
t_txq(uint16_t q)
{
	return t_tx_queues[q];
}

static void
t_post_rx_ev(struct evq_eq *eq, const struct t_rx_ev *e)
{
	struct evq_ev_rx ev = {
		.ctrl = rte_cpu_to_le_32(evq_ctrl_make(e->code != 0 ? e->code : EVQ_EV_RX,
				((uint32_t)e->queue << EVQ_EV_RX_QUEUE_SHIFT) |
				(e->desc & EVQ_EV_RX_DESC_MASK))),
		.len = rte_cpu_to_le_16(e->len),
		.ptype = e->ptype,
		.flags = e->flags,
		.rss_hash = rte_cpu_to_le_32(e->rss),
		.pkt_len = rte_cpu_to_le_16(e->pkt_len),
		.vlan_tci = rte_cpu_to_le_16(e->vlan),
	};

	t_post(eq, &ev);
}

/* The byte at offset i of test frame seed. */
static uint8_t
t_byte(uint8_t seed, uint32_t i)
{
	return (uint8_t)(seed * 31u + i * 7u + (i >> 8));
}

/* The tail the driver last wrote for Rx queue q (its doorbell). */
static uint32_t
t_rx_tail(uint16_t q)
{
	return rte_le_to_cpu_32(*(volatile uint32_t *)(t_dbpage + EVQ_DBPAGE_RXQ_TAIL(q)));
}

/*
 * The adapter takes Rx queue q's next descriptor: writes len bytes of
 * frame seed (from offset off of the frame) into its buffer and posts
 * the event e, whose queue and descriptor it fills in.
 */
static void
t_rx_seg(uint16_t q, uint8_t seed, uint32_t off, struct t_rx_ev e)
{
	struct evq_rx_queue *rxq = t_rxq(q);
	uint32_t slot = t_rx_head[q] & rxq->mask, i;
	uint8_t *buf = (uint8_t *)(uintptr_t)rte_le_to_cpu_64(rxq->ring[slot].buf_iova);
	uint16_t n = RTE_MIN(e.len, (uint16_t)T_BUF_LEN);

	cr_assert_neq(t_rx_head[q], t_rx_tail(q), "Rx queue %u: no descriptor posted", q);
	cr_assert_eq(rte_le_to_cpu_16(rxq->ring[slot].buf_len), T_BUF_LEN);
	for (i = 0; i < n; i++)
		buf[i] = t_byte(seed, off + i);
	e.queue = q;
	e.desc = (uint16_t)slot;
	t_rx_head[q]++;
	t_post_rx_ev(evq_rxq_eq(rxq), &e);
}

/*
 * A whole frame of len bytes as the adapter delivers it: as many buffers
 * as it needs, EOP on the last, the same ptype/flags/hash/tag in each.
 * Returns the number of descriptors it took.
 */
static unsigned int
t_rx_frame(uint16_t q, uint8_t seed, uint16_t len, uint8_t flags, uint8_t ptype,
		uint32_t rss, uint16_t vlan)
{
	uint32_t off = 0;
	unsigned int n = 0;

	do {
		uint16_t chunk = (uint16_t)RTE_MIN((uint32_t)len - off, (uint32_t)T_BUF_LEN);
		struct t_rx_ev e = { .len = chunk, .pkt_len = len, .ptype = ptype, .rss = rss,
			.vlan = vlan, .flags = flags };

		if (off + chunk == len)
			e.flags |= EVQ_RX_F_EOP;
		t_rx_seg(q, seed, off, e);
		off += chunk;
		n++;
	} while (off < len);
	return n;
}

/* A plain frame: no flags but EOP, no hash, no tag. */
static unsigned int
t_rx_plain(uint16_t q, uint8_t seed, uint16_t len)
{
	return t_rx_frame(q, seed, len, 0, EVQ_PTYPE_L2, 0, 0);
}

/* rx_burst on queue q into pkts (at most n). */
static uint16_t
t_rx_burst(uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	return evq_recv_pkts(t_rxq(q), pkts, n);
}

/* A frame the application got: sound, len bytes of frame seed in segs
 * segments; then freed. */
static void
t_check_frame(struct rte_mbuf *m, uint8_t seed, uint16_t len, uint16_t segs)
{
	const char *why = NULL;
	struct rte_mbuf *s;
	uint32_t off = 0, i;
	uint16_t n = 0;

	cr_assert_eq(rte_mbuf_check(m, 1, &why), 0, "bad mbuf: %s", why);
	cr_assert_eq(m->pkt_len, len, "pkt_len %u, expected %u", m->pkt_len, len);
	cr_assert_eq(m->nb_segs, segs, "nb_segs %u, expected %u", m->nb_segs, segs);
	cr_assert_eq(m->port, t_ad->port_id);
	for (s = m; s != NULL; s = s->next, n++) {
		const uint8_t *d = rte_pktmbuf_mtod(s, const uint8_t *);

		cr_assert_eq(s->pool, t_mp);
		cr_assert_leq(s->data_len, T_BUF_LEN);
		cr_assert_leq((uint32_t)s->data_off + s->data_len, s->buf_len);
		for (i = 0; i < s->data_len; i++)
			cr_assert_eq(d[i], t_byte(seed, off + i), "segment %u byte %u", n, i);
		off += s->data_len;
	}
	cr_assert_eq(off, len);
	rte_pktmbuf_free(m);
}

/* Exactly one frame arrives on queue q: len bytes of seed in segs. */
static void
t_expect_frame(uint16_t q, uint8_t seed, uint16_t len, uint16_t segs)
{
	struct rte_mbuf *pkts[8];
	uint16_t n = t_rx_burst(q, pkts, RTE_DIM(pkts));

	cr_assert_eq(n, 1, "Rx queue %u: %u frames, expected 1", q, n);
	t_check_frame(pkts[0], seed, len, segs);
}

/* Nothing arrives on queue q. */
static void
t_expect_none(uint16_t q)
{
	struct rte_mbuf *pkts[8];
	uint16_t n = t_rx_burst(q, pkts, RTE_DIM(pkts));

	while (n > 0)
		rte_pktmbuf_free(pkts[--n]);
	cr_assert_eq(t_rx_burst(q, pkts, RTE_DIM(pkts)), 0);
	cr_assert_eq(n, 0, "Rx queue %u: a frame arrived", q);
}

/* The EQ entries the driver has not consumed yet. */
static uint32_t
t_eq_pending(struct evq_eq *eq)
{
	return t_eq_write[eq->num] - eq->cons.read;
}

/* ------------------------------------------------------------------ */
/* Rx: good frames                                                    */
/* ------------------------------------------------------------------ */

TestSuite(rx_good, .init = t_port_scatter);

T_TEST(rx_good, single_segment_fields)
{
	struct rte_mbuf *m;
	uint8_t flags = EVQ_RX_F_RSS | EVQ_RX_F_L3_CSUM_OK | EVQ_RX_F_L4_CSUM_BAD |
		EVQ_RX_F_VLAN;

	t_rx_frame(0, 1, 60, flags, EVQ_PTYPE_IPV4_UDP, 0x12345678, 0x2064);
	cr_assert_eq(t_rx_burst(0, &m, 1), 1);
	/* the tag is still in the data (stripping is off): L2 says so */
	cr_assert_eq(m->packet_type, RTE_PTYPE_L2_ETHER_VLAN | RTE_PTYPE_L3_IPV4 |
			RTE_PTYPE_L4_UDP);
	cr_assert_eq(m->ol_flags, RTE_MBUF_F_RX_RSS_HASH | RTE_MBUF_F_RX_IP_CKSUM_GOOD |
			RTE_MBUF_F_RX_L4_CKSUM_BAD | RTE_MBUF_F_RX_VLAN);
	cr_assert_eq(m->hash.rss, 0x12345678);
	cr_assert_eq(m->vlan_tci, 0x2064);
	cr_assert_eq(m->data_len, 60);
	t_check_frame(m, 1, 60, 1);
	cr_assert_eq(t_rxq(0)->stats.packets, 1);
	cr_assert_eq(t_rxq(0)->stats.bytes, 60);
	cr_assert_eq(t_eq_pending(&t_rxq(0)->eq), 0);
}

T_TEST(rx_good, offloads_not_asked_are_masked)
{
	struct rte_mbuf *m;

	t_port_down();
	t_port_plain();
	t_rx_frame(0, 2, 100, EVQ_RX_F_RSS | EVQ_RX_F_L3_CSUM_OK | EVQ_RX_F_L4_CSUM_OK,
			EVQ_PTYPE_IPV6_TCP, 0xabcdef01, 0);
	cr_assert_eq(t_rx_burst(0, &m, 1), 1);
	cr_assert_eq(m->ol_flags, 0);
	cr_assert_eq(m->packet_type, RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6 | RTE_PTYPE_L4_TCP);
	t_check_frame(m, 2, 100, 1);
}

T_TEST(rx_good, multi_segment)
{
	struct rte_mbuf *m;

	/* 256 + 256 + 88 */
	cr_assert_eq(t_rx_frame(0, 3, 600, EVQ_RX_F_RSS, EVQ_PTYPE_IPV4_TCP, 0x55aa55aa, 0),
			3);
	cr_assert_eq(t_rx_burst(0, &m, 1), 1);
	cr_assert_eq(m->hash.rss, 0x55aa55aa);
	cr_assert_eq(m->ol_flags, RTE_MBUF_F_RX_RSS_HASH);
	cr_assert_eq(m->packet_type, RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_TCP);
	cr_assert_eq(m->data_len, T_BUF_LEN);
	cr_assert_eq(m->next->data_len, T_BUF_LEN);
	cr_assert_eq(m->next->next->data_len, 88);
	t_check_frame(m, 3, 600, 3);
}

T_TEST(rx_good, exact_multiple_of_the_buffer)
{
	cr_assert_eq(t_rx_plain(0, 4, 2 * T_BUF_LEN), 2);
	t_expect_frame(0, 4, 2 * T_BUF_LEN, 2);
	cr_assert_eq(t_rx_plain(0, 5, T_BUF_LEN), 1);
	t_expect_frame(0, 5, T_BUF_LEN, 1);
}

T_TEST(rx_good, frame_across_two_bursts)
{
	t_rx_seg(0, 6, 0, (struct t_rx_ev){ .len = T_BUF_LEN, .pkt_len = 300 });
	t_expect_none(0);
	t_rx_seg(0, 6, T_BUF_LEN, (struct t_rx_ev){ .len = 44, .pkt_len = 300,
			.flags = EVQ_RX_F_EOP });
	t_expect_frame(0, 6, 300, 2);
}

T_TEST(rx_good, many_frames_around_the_ring)
{
	unsigned int i;

	/* four rings' worth of descriptors: refill and wrap-around */
	for (i = 0; i < 4 * T_NB_DESC / 2; i++) {
		t_rx_plain(0, (uint8_t)i, (uint16_t)(T_BUF_LEN + 1 + i));
		t_expect_frame(0, (uint8_t)i, (uint16_t)(T_BUF_LEN + 1 + i), 2);
	}
	cr_assert_eq(t_rxq(0)->stats.packets, 4 * T_NB_DESC / 2);
	cr_assert_eq(t_rxq(0)->stats.malformed, 0);
}

/* ------------------------------------------------------------------ */
/* Rx: malformed frames are dropped whole, counted, and the next frame */
/* arrives intact                                                     */
/* ------------------------------------------------------------------ */

TestSuite(rx_bad, .init = t_port_scatter);

/* After a bad frame: counted once as malformed, and the next one is good. */
static void
t_after_bad(uint16_t q, uint64_t malformed)
{
	t_expect_none(q);
	cr_assert_eq(t_rxq(q)->stats.malformed, malformed, "malformed_frames %" PRIu64
			", expected %" PRIu64, t_rxq(q)->stats.malformed, malformed);
	cr_assert_eq(t_rxq(q)->stats.packets, 0);
	t_rx_plain(q, 99, 700);
	t_expect_frame(q, 99, 700, 3);
	cr_assert_eq(t_rxq(q)->stats.malformed, malformed);
}

T_TEST(rx_bad, middle_segment_longer_than_its_buffer)
{
	t_rx_seg(0, 7, 0, (struct t_rx_ev){ .len = T_BUF_LEN, .pkt_len = 700 });
	t_rx_seg(0, 7, T_BUF_LEN, (struct t_rx_ev){ .len = T_BUF_LEN + 100,
			.pkt_len = 700 });
	t_rx_seg(0, 7, 2 * T_BUF_LEN, (struct t_rx_ev){ .len = 88, .pkt_len = 700,
			.flags = EVQ_RX_F_EOP });
	t_after_bad(0, 1);
}

T_TEST(rx_bad, bad_middle_segment_and_its_eop_in_the_next_burst)
{
	t_rx_seg(0, 7, 0, (struct t_rx_ev){ .len = T_BUF_LEN, .pkt_len = 900 });
	t_rx_seg(0, 7, T_BUF_LEN, (struct t_rx_ev){ .len = 5000, .pkt_len = 900 });
	t_expect_none(0);
	cr_assert_eq(t_rxq(0)->stats.malformed, 1);
	t_rx_seg(0, 7, 2 * T_BUF_LEN, (struct t_rx_ev){ .len = T_BUF_LEN, .pkt_len = 900 });
	t_rx_seg(0, 7, 3 * T_BUF_LEN, (struct t_rx_ev){ .len = 132, .pkt_len = 900,
			.flags = EVQ_RX_F_EOP });
	t_after_bad(0, 1);
}

T_TEST(rx_bad, middle_segment_shorter_than_its_buffer)
{
	t_rx_seg(0, 8, 0, (struct t_rx_ev){ .len = 100, .pkt_len = 200 });
	t_rx_seg(0, 8, 100, (struct t_rx_ev){ .len = 100, .pkt_len = 200,
			.flags = EVQ_RX_F_EOP });
	t_after_bad(0, 1);
}

T_TEST(rx_bad, pkt_len_changes_within_the_frame)
{
	t_rx_seg(0, 9, 0, (struct t_rx_ev){ .len = T_BUF_LEN, .pkt_len = 300 });
	t_rx_seg(0, 9, T_BUF_LEN, (struct t_rx_ev){ .len = 44, .pkt_len = 301,
			.flags = EVQ_RX_F_EOP });
	t_after_bad(0, 1);
}

T_TEST(rx_bad, segments_do_not_add_up_to_pkt_len)
{
	/* one byte short, then one byte over */
	t_rx_seg(0, 10, 0, (struct t_rx_ev){ .len = T_BUF_LEN, .pkt_len = 300 });
	t_rx_seg(0, 10, T_BUF_LEN, (struct t_rx_ev){ .len = 43, .pkt_len = 300,
			.flags = EVQ_RX_F_EOP });
	t_rx_seg(0, 10, 0, (struct t_rx_ev){ .len = T_BUF_LEN, .pkt_len = 300 });
	t_rx_seg(0, 10, T_BUF_LEN, (struct t_rx_ev){ .len = 45, .pkt_len = 300,
			.flags = EVQ_RX_F_EOP });
	t_after_bad(0, 2);
}

T_TEST(rx_bad, single_segment_len_and_pkt_len_differ)
{
	t_rx_seg(0, 11, 0, (struct t_rx_ev){ .len = 60, .pkt_len = 64,
			.flags = EVQ_RX_F_EOP });
	t_after_bad(0, 1);
}

T_TEST(rx_bad, pkt_len_reached_before_eop)
{
	/* a full buffer that already holds the whole frame, then more */
	t_rx_seg(0, 12, 0, (struct t_rx_ev){ .len = T_BUF_LEN, .pkt_len = T_BUF_LEN });
	t_rx_seg(0, 12, T_BUF_LEN, (struct t_rx_ev){ .len = 10, .pkt_len = T_BUF_LEN,
			.flags = EVQ_RX_F_EOP });
	t_after_bad(0, 1);
}

T_TEST(rx_bad, zero_length)
{
	t_rx_seg(0, 13, 0, (struct t_rx_ev){ .len = 0, .pkt_len = 0,
			.flags = EVQ_RX_F_EOP });
	t_after_bad(0, 1);
}

T_TEST(rx_bad, single_segment_longer_than_its_buffer)
{
	t_rx_seg(0, 14, 0, (struct t_rx_ev){ .len = T_BUF_LEN + 1, .pkt_len = T_BUF_LEN + 1,
			.flags = EVQ_RX_F_EOP });
	t_after_bad(0, 1);
}

T_TEST(rx_bad, wrong_descriptor_index)
{
	struct evq_rx_queue *rxq = t_rxq(0);

	/* the adapter names the descriptor after the one it takes */
	t_post_rx_ev(&rxq->eq, &(struct t_rx_ev){ .queue = 0, .desc = 1, .len = 60,
			.pkt_len = 60, .flags = EVQ_RX_F_EOP });
	t_rx_head[0]++;
	t_after_bad(0, 1);
	/* one event took one descriptor: the ring is still in step */
	cr_assert_eq(rxq->next, t_rx_head[0]);
}

T_TEST(rx_bad, eop_missing_for_a_whole_ring)
{
	struct rte_mbuf *pkts[8];
	unsigned int i;

	/* full buffers announcing the largest frame, never an EOP: after
	 * a ring's worth of descriptors the frame cannot be real */
	for (i = 0; i < T_NB_DESC + 8; i++) {
		t_rx_seg(0, 15, i * T_BUF_LEN, (struct t_rx_ev){ .len = T_BUF_LEN,
				.pkt_len = UINT16_MAX });
		cr_assert_eq(t_rx_burst(0, pkts, RTE_DIM(pkts)), 0);
		cr_assert_leq(t_rxq(0)->pkt_first != NULL ? t_rxq(0)->pkt_first->nb_segs : 0,
				T_NB_DESC);
	}
	cr_assert_eq(t_rxq(0)->stats.malformed, 1);
	/* its EOP at last: still part of the dropped frame */
	t_rx_seg(0, 15, 0, (struct t_rx_ev){ .len = 1, .pkt_len = UINT16_MAX,
			.flags = EVQ_RX_F_EOP });
	t_after_bad(0, 1);
}

T_TEST(rx_bad, adapter_error_in_the_middle_of_a_frame)
{
	t_rx_seg(0, 16, 0, (struct t_rx_ev){ .len = T_BUF_LEN, .pkt_len = 600 });
	t_rx_seg(0, 16, T_BUF_LEN, (struct t_rx_ev){ .flags = EVQ_RX_F_ERROR });
	/* whatever the adapter says next, up to EOP, belongs to that frame */
	t_rx_seg(0, 16, 2 * T_BUF_LEN, (struct t_rx_ev){ .len = 88, .pkt_len = 600,
			.flags = EVQ_RX_F_EOP });
	t_after_bad(0, 0);
	cr_assert_eq(t_rxq(0)->stats.errors, 1);
}

T_TEST(rx_bad, adapter_error_frame)
{
	/* as the datasheet says: the frame's descriptors up to the bad one,
	 * each with ERROR, the last one with EOP */
	t_rx_seg(0, 17, 0, (struct t_rx_ev){ .flags = EVQ_RX_F_ERROR });
	t_rx_seg(0, 17, 0, (struct t_rx_ev){ .flags = EVQ_RX_F_ERROR });
	t_rx_seg(0, 17, 0, (struct t_rx_ev){ .flags = EVQ_RX_F_ERROR | EVQ_RX_F_EOP });
	t_after_bad(0, 0);
	cr_assert_eq(t_rxq(0)->stats.errors, 1);
}

T_TEST(rx_bad, no_eop_without_scatter)
{
	t_port_down();
	t_port_plain();
	t_rx_seg(0, 18, 0, (struct t_rx_ev){ .len = T_BUF_LEN, .pkt_len = 300 });
	t_rx_seg(0, 18, T_BUF_LEN, (struct t_rx_ev){ .len = 44, .pkt_len = 300,
			.flags = EVQ_RX_F_EOP });
	t_expect_none(0);
	cr_assert_eq(t_rxq(0)->stats.malformed, 1);
	t_rx_plain(0, 19, 200);
	t_expect_frame(0, 19, 200, 1);
}

T_TEST(rx_bad, completion_of_a_descriptor_never_posted)
{
	struct evq_rx_queue *rxq = t_rxq(0);
	struct rte_mbuf *pkts[T_NB_DESC + 1];
	unsigned int i;

	/* the adapter takes every posted descriptor, then one more; one
	 * burst meets that event before it refills */
	for (i = 0; i < T_NB_DESC; i++)
		t_rx_plain(0, (uint8_t)i, 60);
	t_post_rx_ev(&rxq->eq, &(struct t_rx_ev){ .queue = 0, .desc = 0, .len = 60,
			.pkt_len = 60, .flags = EVQ_RX_F_EOP });
	cr_assert_eq(t_rx_burst(0, pkts, RTE_DIM(pkts)), T_NB_DESC);
	for (i = 0; i < T_NB_DESC; i++)
		t_check_frame(pkts[i], (uint8_t)i, 60, 1);
	cr_assert_eq(rxq->stats.stray_events, 1);
	cr_assert_eq(rxq->stats.malformed, 0);
	cr_assert_eq(t_eq_pending(&rxq->eq), 0);
	t_rx_plain(0, 20, 60);
	t_expect_frame(0, 20, 60, 1);
}

T_TEST(rx_bad, event_naming_another_queue)
{
	struct evq_rx_queue *rxq = t_rxq(0);

	/* in queue 0's own EQ: not a completion of queue 0's ring */
	t_post_rx_ev(&rxq->eq, &(struct t_rx_ev){ .queue = 1, .desc = 0, .len = 60,
			.pkt_len = 60, .flags = EVQ_RX_F_EOP });
	t_post_rx_ev(&rxq->eq, &(struct t_rx_ev){ .queue = 200, .desc = 0, .len = 60,
			.pkt_len = 60, .flags = EVQ_RX_F_EOP });
	t_rx_plain(0, 21, 60);
	t_expect_frame(0, 21, 60, 1);
	cr_assert_eq(rxq->stats.stray_events, 2);
	cr_assert_eq(rxq->stats.malformed, 0);
	cr_assert_eq(t_rxq(1)->stats.events, 0);
}

T_TEST(rx_bad, unknown_codes_and_tx_events)
{
	struct evq_rx_queue *rxq = t_rxq(0);
	struct evq_event junk = { .ctrl = rte_cpu_to_le_32(evq_ctrl_make(0x7e, 0x123456)) };
	struct evq_ev_tx tx = {
		.ctrl = rte_cpu_to_le_32(evq_ctrl_make(EVQ_EV_TX, 0)),
		.done_count = rte_cpu_to_le_32(1),
	};

	t_post(&rxq->eq, &junk);
	/* a Tx completion in a per-queue Rx EQ is the adapter's mistake: it
	 * must not reach Tx queue 0 */
	t_post(&rxq->eq, &tx);
	t_rx_plain(0, 22, 60);
	t_expect_frame(0, 22, 60, 1);
	cr_assert_eq(rxq->stats.other_events, 1);
	cr_assert_eq(rxq->stats.stray_events, 1);
	cr_assert_eq(t_txq(0)->done, 0);
}

T_TEST(rx_bad, stopped_queue)
{
	struct evq_rx_queue *rxq = t_rxq(1);
	struct rte_mbuf *pkts[4];

	cr_assert_eq(evq_rx_queue_stop(t_dev, 1), 0);
	cr_assert(!t_eq_defined(rxq->eq.num) && t_eq_defined(t_rxq(0)->eq.num));
	/* a stale adapter still posts into the (undefined) EQ's memory */
	t_eq_write[rxq->eq.num] = 0;
	t_post_rx_ev(&rxq->eq, &(struct t_rx_ev){ .queue = 1, .desc = 0, .len = 60,
			.pkt_len = 60, .flags = EVQ_RX_F_EOP });
	cr_assert_eq(t_rx_burst(1, pkts, RTE_DIM(pkts)), 0);
	cr_assert_eq(rxq->stats.stray_events, 1);
	t_rxq_start(1);
	cr_assert(t_eq_defined(rxq->eq.num));
	t_rx_plain(1, 23, 60);
	t_expect_frame(1, 23, 60, 1);
}

/* ------------------------------------------------------------------ */
/* Rx on a shared EQ (eq_layout=single)                               */
/* ------------------------------------------------------------------ */

TestSuite(rx_shared, .init = t_port_shared);

T_TEST(rx_shared, each_queue_takes_its_own)
{
	struct rte_mbuf *pkts[4];

	t_rx_plain(0, 30, 60);
	t_rx_plain(1, 31, 70);
	t_rx_plain(0, 32, 80);
	/* queue 0 stops at queue 1's event; queue 1 takes it; then 0 again */
	cr_assert_eq(t_rx_burst(0, pkts, RTE_DIM(pkts)), 1);
	t_check_frame(pkts[0], 30, 60, 1);
	cr_assert_eq(t_rx_burst(0, pkts, RTE_DIM(pkts)), 0);
	t_expect_frame(1, 31, 70, 1);
	t_expect_frame(0, 32, 80, 1);
	cr_assert_eq(t_rxq(0)->stats.stray_events, 0);
}

T_TEST(rx_shared, event_for_a_queue_not_on_the_eq_does_not_stall_it)
{
	struct evq_eq *eq = evq_rxq_eq(t_rxq(0));

	/* an Rx queue that does not exist, a time event of one, and a Tx
	 * completion for a Tx queue that does not exist */
	t_post_rx_ev(eq, &(struct t_rx_ev){ .queue = 7, .len = 60, .pkt_len = 60,
			.flags = EVQ_RX_F_EOP });
	t_post_rx_ev(eq, &(struct t_rx_ev){ .queue = 9, .code = EVQ_EV_RX_TIME });
	t_post(eq, &(struct evq_ev_tx){ .ctrl = rte_cpu_to_le_32(evq_ctrl_make(EVQ_EV_TX,
			5u << EVQ_EV_TX_QUEUE_SHIFT)) });
	t_rx_plain(0, 33, 60);
	t_expect_frame(0, 33, 60, 1);
	cr_assert_eq(t_rxq(0)->stats.stray_events, 3);
}

T_TEST(rx_shared, event_for_a_stopped_queue_does_not_stall_it)
{
	struct evq_eq *eq = evq_rxq_eq(t_rxq(0));

	t_rxq(1)->started = false;	/* as if it never started */
	t_post_rx_ev(eq, &(struct t_rx_ev){ .queue = 1, .len = 60, .pkt_len = 60,
			.flags = EVQ_RX_F_EOP });
	t_rx_plain(0, 34, 60);
	t_expect_frame(0, 34, 60, 1);
	cr_assert_eq(t_rxq(0)->stats.stray_events, 1);
	t_rxq(1)->started = true;
}

T_TEST(rx_shared, tx_completions_reach_their_queue)
{
	struct evq_eq *eq = evq_rxq_eq(t_rxq(0));
	struct rte_mbuf *m[3];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		m[i] = rte_pktmbuf_alloc(t_mp);
		cr_assert_not_null(m[i]);
		m[i]->data_len = m[i]->pkt_len = 60;
	}
	cr_assert_eq(evq_xmit_pkts(t_txq(1), m, 3), 3);
	t_post(eq, &(struct evq_ev_tx){
		.ctrl = rte_cpu_to_le_32(evq_ctrl_make(EVQ_EV_TX,
			(1u << EVQ_EV_TX_QUEUE_SHIFT) | 3)),
		.done_count = rte_cpu_to_le_32(3) });
	t_expect_none(0);
	cr_assert_eq(t_txq(1)->done, 3);
	cr_assert_eq(evq_tx_done_cleanup(t_txq(1), 0), 3);
}

/* ------------------------------------------------------------------ */
/* Tx completions                                                     */
/* ------------------------------------------------------------------ */

TestSuite(tx, .init = t_port_plain);

/* Send n one-segment packets on Tx queue q. */
static void
t_tx_send(uint16_t q, unsigned int n)
{
	struct rte_mbuf *m[16];
	unsigned int i;

	cr_assert_leq(n, RTE_DIM(m));
	for (i = 0; i < n; i++) {
		m[i] = rte_pktmbuf_alloc(t_mp);
		cr_assert_not_null(m[i]);
		m[i]->data_len = m[i]->pkt_len = 60;
	}
	cr_assert_eq(evq_xmit_pkts(t_txq(q), m, (uint16_t)n), n);
}

/* The adapter reports Tx queue q done up to done (count field: count),
 * into the EQ of Tx queue eq_of. */
static void
t_tx_done(uint16_t eq_of, uint16_t q, uint32_t done, uint16_t count)
{
	struct evq_ev_tx ev = {
		.ctrl = rte_cpu_to_le_32(evq_ctrl_make(EVQ_EV_TX,
				((uint32_t)q << EVQ_EV_TX_QUEUE_SHIFT) | count)),
		.done_count = rte_cpu_to_le_32(done),
	};

	t_post(evq_txq_eq(t_txq(eq_of)), &ev);
}

T_TEST(tx, completions_free_what_they_cover)
{
	unsigned int before = rte_mempool_avail_count(t_mp);

	t_tx_send(0, 5);
	t_tx_done(0, 0, 3, 3);
	cr_assert_eq(evq_tx_done_cleanup(t_txq(0), 0), 3);
	t_tx_done(0, 0, 5, 2);
	cr_assert_eq(evq_tx_done_cleanup(t_txq(0), 0), 2);
	cr_assert_eq(rte_mempool_avail_count(t_mp), before);
	cr_assert_eq(t_txq(0)->stats.bad_completions, 0);
}

T_TEST(tx, done_count_beyond_what_was_posted)
{
	struct evq_tx_queue *txq = t_txq(0);

	t_tx_send(0, 4);
	t_tx_done(0, 0, 10, 10);
	/* ignored: the adapter may still be reading those buffers */
	cr_assert_eq(evq_tx_done_cleanup(txq, 0), 0);
	cr_assert_eq(txq->done, 0);
	cr_assert_eq(txq->stats.bad_completions, 1);
	t_tx_done(0, 0, 4, 4);
	cr_assert_eq(evq_tx_done_cleanup(txq, 0), 4);
}

T_TEST(tx, bad_count_after_a_good_one)
{
	struct evq_tx_queue *txq = t_txq(0);

	/* each count of a batch is checked: the good one is taken */
	t_tx_send(0, 4);
	t_tx_done(0, 0, 2, 2);
	t_tx_done(0, 0, 100, 98);
	cr_assert_eq(evq_tx_done_cleanup(txq, 0), 2);
	cr_assert_eq(txq->done, 2);
	cr_assert_eq(txq->stats.bad_completions, 1);
	cr_assert_eq(txq->stats.events, 2);
}

T_TEST(tx, done_count_going_back)
{
	struct evq_tx_queue *txq = t_txq(0);

	t_tx_send(0, 6);
	t_tx_done(0, 0, 4, 4);
	cr_assert_eq(evq_tx_done_cleanup(txq, 0), 4);
	t_tx_done(0, 0, 2, 0);
	cr_assert_eq(evq_tx_done_cleanup(txq, 0), 0);
	cr_assert_eq(txq->done, 4);
	cr_assert_eq(txq->stats.bad_completions, 1);
	t_tx_done(0, 0, 6, 2);
	cr_assert_eq(evq_tx_done_cleanup(txq, 0), 2);
}

T_TEST(tx, zero_new_completions)
{
	struct evq_tx_queue *txq = t_txq(0);

	t_tx_send(0, 3);
	t_tx_done(0, 0, 0, 0);
	cr_assert_eq(evq_tx_done_cleanup(txq, 0), 0);
	t_tx_done(0, 0, 2, 2);
	t_tx_done(0, 0, 2, 0);
	cr_assert_eq(evq_tx_done_cleanup(txq, 0), 2);
	cr_assert_eq(txq->stats.bad_completions, 0);
	cr_assert_eq(txq->stats.events, 3);
}

T_TEST(tx, completion_for_another_queue)
{
	t_tx_send(0, 2);
	t_tx_send(1, 2);
	/* queue 1's count in queue 0's own EQ: not applied to queue 1 */
	t_tx_done(0, 1, 2, 2);
	cr_assert_eq(evq_tx_done_cleanup(t_txq(0), 0), 0);
	cr_assert_eq(t_txq(1)->done, 0);
	cr_assert_eq(t_txq(0)->stats.bad_completions, 1);
	cr_assert_eq(evq_tx_done_cleanup(t_txq(1), 0), 0);
}

T_TEST(tx, unknown_code_and_rx_event)
{
	struct evq_event junk = { .ctrl = rte_cpu_to_le_32(evq_ctrl_make(0x55, 1)) };

	t_tx_send(0, 1);
	t_post(evq_txq_eq(t_txq(0)), &junk);
	t_post_rx_ev(evq_txq_eq(t_txq(0)), &(struct t_rx_ev){ .len = 60, .pkt_len = 60,
			.flags = EVQ_RX_F_EOP });
	t_tx_done(0, 0, 1, 1);
	cr_assert_eq(evq_tx_done_cleanup(t_txq(0), 0), 1);
	cr_assert_eq(t_txq(0)->stats.other_events, 2);
}

/* ------------------------------------------------------------------ */
/* EQ 0                                                               */
/* ------------------------------------------------------------------ */

TestSuite(eq0, .init = t_port_plain);

static void
t_eq0_post(uint8_t code, uint32_t param, uint32_t w0, uint32_t w1, uint32_t w2)
{
	struct evq_event ev = {
		.ctrl = rte_cpu_to_le_32(evq_ctrl_make(code, param)),
		.w = { rte_cpu_to_le_32(w0), rte_cpu_to_le_32(w1), rte_cpu_to_le_32(w2) },
	};

	t_post(&t_ad->eq0, &ev);
}

T_TEST(eq0, link_events)
{
	t_eq0_post(EVQ_EV_LINK, EVQ_LINK_UP | EVQ_LINK_FULL_DUPLEX | EVQ_LINK_AUTONEG,
			25000, 0, 0);
	cr_assert_eq(evq_eq0_poll(t_ad), 1);
	cr_assert_eq(t_ad->link.link_status, RTE_ETH_LINK_UP);
	cr_assert_eq(t_ad->link.link_speed, 25000);
	cr_assert_eq(t_ad->link.link_duplex, RTE_ETH_LINK_FULL_DUPLEX);
	cr_assert_eq(t_ad->link.link_autoneg, RTE_ETH_LINK_AUTONEG);
	/* reserved bits set, link down: a down link has no speed */
	t_eq0_post(EVQ_EV_LINK, 0xfffff8, 0xdeadbeef, 0xffffffff, 0xffffffff);
	cr_assert_eq(evq_eq0_poll(t_ad), 1);
	cr_assert_eq(t_ad->link.link_status, RTE_ETH_LINK_DOWN);
	cr_assert_eq(t_ad->link.link_speed, RTE_ETH_SPEED_NUM_NONE);
	cr_assert_eq(t_ad->link.link_duplex, RTE_ETH_LINK_HALF_DUPLEX);
	cr_assert_eq(t_ad->gstats.link_events, 2);
	cr_assert_eq(t_ad->gstats.eq0_events, 2);
}

T_TEST(eq0, overflow_of_an_eq_no_started_queue_owns)
{
	struct evq_rx_queue *rxq = t_rxq(0);

	t_eq0_post(EVQ_EV_EQ_OVERFLOW, 0, 64, 1, 0);		/* EQ 0 itself */
	t_eq0_post(EVQ_EV_EQ_OVERFLOW, 0xffff, 64, 1, 0);	/* no such EQ */
	t_eq0_post(EVQ_EV_EQ_OVERFLOW, EVQ_MAX_EQS - 1, 64, 1, 0);
	cr_assert_eq(evq_rx_queue_stop(t_dev, 1), 0);
	t_eq0_post(EVQ_EV_EQ_OVERFLOW, t_rxq(1)->eq.num, 64, 1, 0);	/* stopped */
	cr_assert_eq(evq_eq0_poll(t_ad), 4);
	cr_assert_eq(t_ad->gstats.eq_overflows, 4);
	cr_assert(!rxq->eq.ovf_pending && !t_rxq(1)->eq.ovf_pending &&
			!t_txq(0)->eq.ovf_pending && !t_txq(1)->eq.ovf_pending);
	t_rxq_start(1);
}

T_TEST(eq0, overflow_write_count_must_be_within_reach)
{
	struct evq_eq *eq = &t_rxq(0)->eq;

	/* nowhere near the consumer's read count (0): ignored */
	t_eq0_post(EVQ_EV_EQ_OVERFLOW, eq->num, 0x80000000u, 3, 0);
	t_eq0_post(EVQ_EV_EQ_OVERFLOW, eq->num, (uint32_t)-5, 3, 0);
	cr_assert_eq(evq_eq0_poll(t_ad), 2);
	cr_assert(!eq->ovf_pending);
	/* a full ring: where the adapter really stops */
	t_eq0_post(EVQ_EV_EQ_OVERFLOW, eq->num, eq->size, 3, 0);
	cr_assert_eq(evq_eq0_poll(t_ad), 1);
	cr_assert(eq->ovf_pending);
	cr_assert_eq(eq->ovf_stop, eq->size);
}

T_TEST(eq0, overflow_of_the_ring_a_recovery_just_gave_is_taken)
{
	struct evq_eq *eq = &t_rxq(0)->eq;

	/* A recovery in flight: the adapter already fills the new, larger
	 * ring while the consumer is still on the old one and eq->size
	 * still says the old size. Its overflow lies beyond two old rings
	 * but within reach: taken (ignoring it stalled the queue for good). */
	eq->grow_max = 8 * eq->size;	/* as with eq_size=N below nb_desc */
	t_eq0_post(EVQ_EV_EQ_OVERFLOW, eq->num, 2 * eq->size + 1, 3, 0);
	cr_assert_eq(evq_eq0_poll(t_ad), 1);
	cr_assert(eq->ovf_pending);
	cr_assert_eq(eq->ovf_stop, 2 * eq->size + 1);
}

T_TEST(eq0, device_errors_admin_and_unknown_codes)
{
	t_eq0_post(EVQ_EV_DEV_ERROR, 0xff, 0xffffffff, 1, 2);	/* unknown error code */
	t_eq0_post(EVQ_EV_DEV_ERROR, EVQ_ERR_DMA, EVQ_ERR_OBJ(EVQ_OBJ_RX_BUF, 3), 0, 1);
	t_eq0_post(EVQ_EV_ADMIN, 0xffffff, 5, 6, 7);	/* no such opcode or tag */
	t_eq0_post(0x7f, 0, 0, 0, 0);
	t_eq0_post(EVQ_EV_RX, 0, 0, 0, 0);		/* not an EQ 0 event */
	t_eq0_post(EVQ_EV_TEST, 0x123456, 1, 2, 3);
	cr_assert_eq(evq_eq0_poll(t_ad), 6);
	cr_assert_eq(t_ad->gstats.dev_errors, 2);
	cr_assert_eq(t_ad->gstats.admin_events, 1);
	cr_assert_eq(t_ad->gstats.other_events, 3);
	cr_assert_eq(t_ad->link.link_status, RTE_ETH_LINK_DOWN);
	cr_assert_eq(t_eq_pending(&t_ad->eq0), 0);
}
