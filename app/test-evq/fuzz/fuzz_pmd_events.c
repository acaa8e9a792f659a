/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * fuzz_pmd_events: libFuzzer target for the driver's side of the event
 * queues: the PMD's own code (all of drivers/net/evq is linked in) with a
 * scripted adapter in place of the transport. EAL runs with --no-huge;
 * one port with one Rx and one Tx queue is set up and started with the
 * driver's queue functions (evq_rx_queue_setup/start, ...), EQ 0 with
 * evq_eq0_setup. The queue EQs use the clear or the phase validity rule
 * (a bit of the input's header). The input is a program: the "adapter"
 * writes arbitrary 16-byte entries (any code, length, descriptor index,
 * done count, flags; under the phase rule with the phase bit of the
 * entry's lap, or the other one: a stale entry) into the Rx EQ, the Tx EQ
 * or EQ 0, at the next slot or anywhere; the
 * "application" calls rx_burst, tx_burst (single and multi-segment
 * packets), tx_done_cleanup, rx_queue_count, descriptor_status, EQ 0
 * polling, and queue stop/start.
 *
 * Oracle: no crash or sanitizer report; every mbuf rx_burst returns is
 * sound (rte_mbuf_check, from our pool, each segment's data inside its
 * buffer, nb_segs and pkt_len match the chain); and at the end, after
 * the queues are released, every mbuf is back in the pool exactly once
 * (the pool has no cache, so a leak shows as fewer, a double free as
 * more), each a lone mbuf (next NULL, one segment, refcnt 1). The Tx
 * queue runs with or without RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE (a bit of
 * the input's second byte), whose free path reads no mbuf.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_malloc.h>
#include <rte_mempool.h>

#include "evq_ethdev.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_NB_MBUF	1000	/* the ring under the pool holds more: double frees show */

static struct rte_mempool *fuzz_mp;
static struct rte_eth_dev *fuzz_dev;
static struct evq_adapter *fuzz_ad;
static uint8_t fuzz_dbpage[EVQ_BAR2_SIZE] __rte_aligned(64);
/* the port's queue arrays (globals: LeakSanitizer does not scan DPDK's
 * memory, where the port data lives) */
static void *fuzz_rx_queues[1], *fuzz_tx_queues[1];

/* The scripted adapter: queues and EQs always enable, registers read 0. */
static int
fuzz_bar0_read(struct evq_adapter *ad, uint32_t off, void *buf, size_t len)
{
	uint32_t *w = buf;
	size_t i;

	RTE_SET_USED(ad);
	for (i = 0; i < len / 4; i++) {
		uint32_t reg = off + 4 * (uint32_t)i;

		w[i] = 0;
		if (reg >= EVQ_REG_RXQ_BASE && reg < EVQ_REG_TXQ_BASE + 0x1000 &&
				(reg & (EVQ_REG_RXQ_STRIDE - 1)) == EVQ_RXQ_STATUS)
			w[i] = EVQ_QSTATUS_ENABLED;
		if (reg >= EVQ_REG_EQ_BASE && reg < EVQ_REG_RXQ_BASE &&
				(reg & (EVQ_REG_EQ_STRIDE - 1)) == EVQ_EQ_STATE)
			w[i] = EVQ_EQ_UNARMED;
	}
	return 0;
}

static int
fuzz_bar0_write(struct evq_adapter *ad, uint32_t off, const void *buf, size_t len)
{
	RTE_SET_USED(ad);
	RTE_SET_USED(off);
	RTE_SET_USED(buf);
	RTE_SET_USED(len);
	return 0;
}

static const struct evq_transport_ops fuzz_tp_ops = {
	.name = "fuzz",
	.bar0_read = fuzz_bar0_read,
	.bar0_write = fuzz_bar0_write,
};

/* EAL leaves its (empty) runtime directory: remove it at exit */
static char fuzz_runtime_dir[PATH_MAX];

static void
fuzz_eal_cleanup(void)
{
	if (fuzz_runtime_dir[0] != '\0')
		rmdir(fuzz_runtime_dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char prefix[64];
	/* no shared config and a prefix of its own: parallel workers (--jobs)
	 * never share a runtime directory */
	char *eal[] = { "fuzz-pmd-events", "--no-huge", "-m", "128", "--no-pci",
		"--no-shconf", "--no-telemetry", "-l", "0", "--log-level",
		getenv("EVQ_FUZZ_VERBOSE") != NULL ? "*:debug" : "*:emerg",
		"--file-prefix", prefix, NULL };
	int n = 13;

	snprintf(prefix, sizeof(prefix), "evq-fuzz-%d", (int)getpid());
	atexit(fuzz_eal_cleanup);

	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	if (rte_eal_init(n, eal) < 0) {
		fprintf(stderr, "fuzz-pmd-events: EAL init failed\n");
		abort();
	}
	snprintf(fuzz_runtime_dir, sizeof(fuzz_runtime_dir), "%s", rte_eal_get_runtime_dir());
	fuzz_mp = rte_pktmbuf_pool_create("fuzz_mp", FUZZ_NB_MBUF, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	fuzz_dev = rte_eth_dev_allocate("net_evq_fuzz");
	fuzz_ad = rte_zmalloc("fuzz_ad", sizeof(*fuzz_ad), RTE_CACHE_LINE_SIZE);
	if (fuzz_mp == NULL || fuzz_dev == NULL || fuzz_ad == NULL)
		abort();
	fuzz_dev->data->dev_private = fuzz_ad;
	fuzz_dev->data->rx_queues = fuzz_rx_queues;
	fuzz_dev->data->tx_queues = fuzz_tx_queues;
	fuzz_dev->data->nb_rx_queues = 1;
	fuzz_dev->data->nb_tx_queues = 1;
	snprintf(fuzz_ad->name, sizeof(fuzz_ad->name), "fuzz");
	fuzz_ad->eth_dev = fuzz_dev;
	fuzz_ad->port_id = fuzz_dev->data->port_id;
	fuzz_ad->tp_ops = &fuzz_tp_ops;
	fuzz_ad->dbpage = fuzz_dbpage;
	fuzz_ad->iova_is_va = true;
	fuzz_ad->desc_min = EVQ_DESC_COUNT_MIN;
	fuzz_ad->desc_max = 1024;
	fuzz_ad->eq_min = EVQ_EQ_SIZE_MIN;
	fuzz_ad->eq_max = 4096;
	fuzz_ad->max_rxq = 1;
	fuzz_ad->max_txq = 1;
	fuzz_ad->identified = true;	/* the ID register was read: writes allowed */
	fuzz_ad->closed = true;		/* no LSC callback into a half-made port */
	rte_spinlock_init(&fuzz_ad->eq0_lock);
	evq_devargs_default(&fuzz_ad->args);
	fuzz_ad->args.eq0_size = 64;
	return 0;
}

/* A step of the port's life that the scripted adapter always lets succeed. */
static void
fuzz_check(const char *what, int ret)
{
	if (ret != 0) {
		fprintf(stderr, "fuzz-pmd-events: %s failed: %d\n", what, ret);
		abort();
	}
}

struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static uint32_t
take(struct fuzz_in *in, unsigned int bytes)
{
	uint32_t v = 0;
	unsigned int i;

	for (i = 0; i < bytes && in->n != 0; i++) {
		v |= (uint32_t)in->p[0] << (8 * i);
		in->p++;
		in->n--;
	}
	return v;
}

/* The adapter posts k entries into eq at its write position *w (or at a
 * slot the input names), the entry bytes straight from the input. */
static void
post(struct evq_eq *eq, uint32_t *w, struct fuzz_in *in, uint8_t op)
{
	unsigned int k = 1 + take(in, 1) % 32, i;

	if (!eq->defined)
		return;
	for (i = 0; i < k && in->n != 0; i++) {
		uint8_t entry[EVQ_EVENT_SIZE] = { 0 };
		uint32_t slot = (op & 0x80) ? take(in, 2) : (*w)++;
		uint32_t ctrl;
		size_t len = in->n < sizeof(entry) ? in->n : sizeof(entry);

		memcpy(entry, in->p, len);
		in->p += len;
		in->n -= len;
		/* the code goes in last, as the adapter stores it */
		memcpy(&ctrl, entry, 4);
		if (evq_eq_validity(fuzz_ad, eq) == EVQ_RING_VALIDITY_PHASE) {
			/* bit 23 as the adapter writes it for this slot's lap */
			ctrl &= ~EVQ_CTRL_PHASE;
			if (slot & eq->size)
				ctrl |= EVQ_CTRL_PHASE;
			if (op & 0x40)
				ctrl ^= EVQ_CTRL_PHASE;
		}
		memcpy((uint8_t *)eq->mz->addr + (size_t)(slot & (eq->size - 1)) *
				EVQ_EVENT_SIZE + 4, entry + 4, sizeof(entry) - 4);
		__atomic_store_n((uint32_t *)((uint8_t *)eq->mz->addr +
				(size_t)(slot & (eq->size - 1)) * EVQ_EVENT_SIZE), ctrl,
				__ATOMIC_RELEASE);
	}
}

/* What rx_burst hands over must be usable by any application. */
static void
check_rx_mbuf(struct rte_mbuf *m, const struct evq_rx_queue *rxq)
{
	const char *why = NULL;
	struct rte_mbuf *s;
	uint32_t len = 0;
	uint16_t segs = 0;

	if (rte_mbuf_check(m, 1, &why) != 0) {
		fprintf(stderr, "fuzz-pmd-events: bad mbuf from rx_burst: %s\n", why);
		abort();
	}
	for (s = m; s != NULL; s = s->next) {
		if (s->pool != fuzz_mp || rte_mbuf_refcnt_read(s) != 1 ||
				(uint32_t)s->data_off + s->data_len > s->buf_len ||
				s->data_len > rxq->buf_len) {
			fprintf(stderr, "fuzz-pmd-events: segment %u: data_off %u data_len %u "
				"buf_len %u (queue buffers %u)\n", segs, s->data_off,
				s->data_len, s->buf_len, rxq->buf_len);
			abort();
		}
		len += s->data_len;
		segs++;
	}
	if (segs != m->nb_segs || len != m->pkt_len)
		abort();
}

static void
app_rx(struct evq_rx_queue *rxq, struct fuzz_in *in)
{
	struct rte_mbuf *pkts[64];
	uint16_t n = (uint16_t)(1 + take(in, 1) % 64), i, got;

	if (!rxq->started)
		return;
	got = evq_recv_pkts(rxq, pkts, n);
	if (got > n)
		abort();
	for (i = 0; i < got; i++) {
		check_rx_mbuf(pkts[i], rxq);
		rte_pktmbuf_free(pkts[i]);
	}
}

static void
app_tx(struct evq_tx_queue *txq, struct fuzz_in *in)
{
	struct rte_mbuf *pkts[32];
	uint16_t n = (uint16_t)(1 + take(in, 1) % 32), i, sent;

	if (!txq->started)
		return;
	for (i = 0; i < n; i++) {
		uint8_t shape = (uint8_t)take(in, 1);
		unsigned int segs = 1 + shape % 4, s;
		struct rte_mbuf *m = NULL;

		for (s = 0; s < segs; s++) {
			struct rte_mbuf *seg = rte_pktmbuf_alloc(fuzz_mp);

			if (seg == NULL)
				break;
			seg->data_len = (uint16_t)(take(in, 1) * 8 % 2048);
			if (m == NULL) {
				m = seg;
				m->pkt_len = seg->data_len;
			} else {
				rte_pktmbuf_lastseg(m)->next = seg;
				m->nb_segs++;
				m->pkt_len += seg->data_len;
			}
		}
		if (m == NULL)
			break;
		pkts[i] = m;
	}
	n = i;
	sent = evq_xmit_pkts(txq, pkts, n);
	if (sent > n)
		abort();
	for (i = sent; i < n; i++)
		rte_pktmbuf_free(pkts[i]);	/* not taken: still ours */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct rte_eth_rxconf rxconf;
	struct rte_eth_txconf txconf;
	struct evq_rx_queue *rxq;
	struct evq_tx_queue *txq;
	uint32_t w_rx = 0, w_tx = 0, w_eq0 = 0;
	uint16_t nb_desc = (uint16_t)(32u << take(&in, 1) % 4);
	unsigned int steps = 0, avail, i;
	void *objs[FUZZ_NB_MBUF];
	uint32_t shape;

	memset(&rxconf, 0, sizeof(rxconf));
	memset(&txconf, 0, sizeof(txconf));
	shape = take(&in, 1);
	if (shape & 1)
		rxconf.offloads = RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_RSS_HASH;
	/* the queue EQs' validity rule (eq_validity; EQ 0 keeps the clear rule) */
	fuzz_ad->args.eq_validity = (shape & 2) ? EVQ_RING_VALIDITY_PHASE :
		EVQ_RING_VALIDITY_CLEAR;
	if (shape & 4)	/* the application keeps the promise: one pool, refcnt 1 */
		txconf.offloads = RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	fuzz_ad->args.eq_size = take(&in, 1) & 1 ? nb_desc : 0;
	memset(fuzz_dbpage, 0, sizeof(fuzz_dbpage));
	fuzz_check("rx_queue_setup", evq_rx_queue_setup(fuzz_dev, 0, nb_desc, SOCKET_ID_ANY,
			&rxconf, fuzz_mp));
	fuzz_check("tx_queue_setup", evq_tx_queue_setup(fuzz_dev, 0, nb_desc, SOCKET_ID_ANY,
			&txconf));
	fuzz_check("eq0_setup", evq_eq0_setup(fuzz_ad));
	fuzz_check("rx_queue_start", evq_rx_queue_start(fuzz_dev, 0));
	fuzz_check("tx_queue_start", evq_tx_queue_start(fuzz_dev, 0));
	rxq = fuzz_dev->data->rx_queues[0];
	txq = fuzz_dev->data->tx_queues[0];
	while (in.n != 0 && steps++ < 512) {
		uint8_t op = (uint8_t)take(&in, 1);

		switch (op % 12) {
		case 0:
		case 1:
			post(&rxq->eq, &w_rx, &in, op);
			break;
		case 2:
		case 3:
			app_rx(rxq, &in);
			break;
		case 4:
			post(&txq->eq, &w_tx, &in, op);
			break;
		case 5:
			app_tx(txq, &in);
			break;
		case 6:
			if (txq->started)
				evq_tx_done_cleanup(txq, 0);
			break;
		case 7:
			post(&fuzz_ad->eq0, &w_eq0, &in, op);
			break;
		case 8:
			evq_eq0_poll(fuzz_ad);
			break;
		case 9:
			if (rxq->started) {
				evq_rx_queue_count(rxq);
				evq_rx_descriptor_status(rxq, (uint16_t)take(&in, 2));
				evq_tx_descriptor_status(txq, (uint16_t)take(&in, 2));
			}
			break;
		case 10:	/* stop and start again: the device starts over */
			evq_rx_queue_stop(fuzz_dev, 0);
			fuzz_check("rx_queue_start", evq_rx_queue_start(fuzz_dev, 0));
			w_rx = 0;
			break;
		default:
			evq_tx_queue_stop(fuzz_dev, 0);
			fuzz_check("tx_queue_start", evq_tx_queue_start(fuzz_dev, 0));
			w_tx = 0;
			break;
		}
	}
	/* as the port's close does: no alarm outlives the input (each holds a
	 * malloc'd entry: libFuzzer would take it for a leak and scan) */
	evq_intr_cancel_alarms(fuzz_ad);
	evq_rx_queue_release(fuzz_dev, 0);
	evq_tx_queue_release(fuzz_dev, 0);
	evq_eq0_teardown(fuzz_ad);
	avail = rte_mempool_avail_count(fuzz_mp);
	if (avail != FUZZ_NB_MBUF) {
		fprintf(stderr, "fuzz-pmd-events: %u of %u mbufs back in the pool (%s)\n",
			avail, FUZZ_NB_MBUF, avail < FUZZ_NB_MBUF ? "leak" : "double free");
		abort();
	}
	/* and each is a lone mbuf, as a pool must hold them */
	if (rte_mempool_get_bulk(fuzz_mp, objs, FUZZ_NB_MBUF) != 0)
		abort();
	for (i = 0; i < FUZZ_NB_MBUF; i++) {
		const struct rte_mbuf *m = objs[i];

		if (m->next != NULL || m->nb_segs != 1 || rte_mbuf_refcnt_read(m) != 1) {
			fprintf(stderr, "fuzz-pmd-events: an mbuf back in the pool is still "
				"linked (next %p, nb_segs %u, refcnt %u)\n", (void *)m->next,
				m->nb_segs, rte_mbuf_refcnt_read(m));
			abort();
		}
	}
	rte_mempool_put_bulk(fuzz_mp, objs, FUZZ_NB_MBUF);
	return 0;
}
