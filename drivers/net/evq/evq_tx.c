/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_tx.c: the transmit side of net_evq.
 * Owns: Tx queue setup/start/stop/release, tx_burst, tx_prepare,
 * tx_descriptor_status and tx_done_cleanup.
 *
 * Datapath: each Tx queue owns EQ 1 + max_rx_queues + q, never armed:
 * tx_burst writes one descriptor per segment, rings the tail with ONE
 * doorbell store, then polls its EQ by code byte (host memory only) for
 * EVQ_EV_TX completions, whose done_count (an absolute count) says how far
 * the adapter got, and frees those mbufs (first instead when the burst
 * might not fit). The adapter coalesces completions (EVQ_TXQ_COAL) and
 * reports any remainder when it goes idle.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>

#include "evq_ethdev.h"

static __rte_always_inline uint64_t
evq_seg_dma(const struct evq_tx_queue *txq, const struct rte_mbuf *m)
{
	return txq->iova_is_va ? rte_pktmbuf_mtod(m, uint64_t) : rte_mbuf_data_iova(m);
}

/*
 * Free sent segments in bulk: one mempool put per run of segments from the
 * same pool (the per-segment put looks up the lcore's cache each time).
 */
static __rte_always_inline void
evq_tx_free_segs(struct rte_mbuf **slots, uint32_t n)
{
	void *batch[EVQ_TX_EVENTS_MAX];
	struct rte_mempool *mp = NULL;
	uint32_t i, nb = 0;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = slots[i];

		if (unlikely(m == NULL))
			continue;
		slots[i] = NULL;
		m = rte_pktmbuf_prefree_seg(m);
		if (unlikely(m == NULL))
			continue;	/* still referenced elsewhere */
		if (unlikely(m->pool != mp || nb == RTE_DIM(batch))) {
			if (nb != 0)
				rte_mempool_put_bulk(mp, batch, nb);
			mp = m->pool;
			nb = 0;
		}
		batch[nb++] = m;
	}
	if (nb != 0)
		rte_mempool_put_bulk(mp, batch, nb);
}

/*
 * A done count the adapter may report: between what was freed (clean) and
 * what was posted. Anything else is a confused adapter's and is ignored:
 * the buffers stay until a valid count comes or the queue stops, as the
 * adapter may still read them.
 */
static __rte_always_inline bool
evq_tx_count_ok(const struct evq_tx_queue *txq, uint32_t clean, uint32_t count)
{
	return count - clean <= txq->tail - clean;
}

/*
 * Free sent segments of a queue with RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE:
 * the application promises that every mbuf comes from one pool with a
 * reference count of 1, and tx_burst unlinked the segments of each chain
 * (below), so the slots go back to the pool as they are, in one put,
 * without reading a single mbuf (only the first, once, for its pool).
 */
static __rte_always_inline void
evq_tx_free_fast(struct evq_tx_queue *txq, struct rte_mbuf **slots, uint32_t n)
{
	if (unlikely(txq->fast_free_mp == NULL))
		txq->fast_free_mp = slots[0]->pool;
	rte_mempool_put_bulk(txq->fast_free_mp, (void **)slots, n);
}

/* A Tx completion met on a shared EQ: the absolute done count of the
 * queue (same lcore as its tx_burst). */
void
evq_tx_done_event(struct evq_tx_queue *txq, uint32_t done_count)
{
	if (evq_tx_count_ok(txq, txq->clean, done_count))
		txq->done = done_count;
	else
		txq->stats.bad_completions++;
	txq->stats.events++;
}

/* A completion for another Tx queue: on a shared EQ (SINGLE layout) that
 * queue's, if it is started there; anything else is the adapter's error. */
static __rte_noinline void
evq_tx_other_queue(struct evq_tx_queue *txq, uint16_t q, uint32_t done_count)
{
	struct rte_eth_dev_data *data = txq->ad->eth_dev->data;
	struct evq_tx_queue *other = q < data->nb_tx_queues ? data->tx_queues[q] : NULL;

	if (txq->shared_eq != NULL && other != NULL && other->started &&
			other->shared_eq == txq->shared_eq)
		evq_tx_done_event(other, done_count);
	else
		txq->stats.bad_completions++;
}

/* Take the completions the adapter reported and free what they cover. */
static __rte_always_inline uint32_t
evq_tx_reap(struct evq_tx_queue *txq)
{
	struct evq_ring_cons *eq = &evq_txq_eq(txq)->cons;
	uint32_t done = txq->done, clean = txq->clean, n = 0, freed;
	/* a look-ahead beyond one ring would see the same entries again */
	const uint32_t max = RTE_MIN((uint32_t)EVQ_TX_EVENTS_MAX, eq->mask + 1);

#if defined(RTE_ETHDEV_DEBUG_TX)
	if (txq->shared_eq)
		evq_eq_thread_check(evq_txq_eq(txq), "Tx", txq->queue_id);
#endif
	for (;;) {
		const struct evq_ev_tx *ev;
		uint32_t ctrl;

		if (n == max)
			break;
		ev = evq_ring_peek_fixed(eq, n, EVQ_EQ_ES, &ctrl);
		if (ev == NULL)
			break;
		ctrl = rte_le_to_cpu_32(ctrl);
		if (likely(evq_ctrl_code(ctrl) == EVQ_EV_TX)) {
			uint16_t q = (uint16_t)((ctrl & EVQ_EV_TX_QUEUE_MASK) >>
					EVQ_EV_TX_QUEUE_SHIFT);
			uint32_t count = rte_le_to_cpu_32(ev->done_count);

			if (likely(q == txq->queue_id && evq_tx_count_ok(txq, clean, count)))
				done = count;
			else if (q == txq->queue_id)
				txq->stats.bad_completions++;
			else	/* another Tx queue on a shared EQ (SINGLE layout) */
				evq_tx_other_queue(txq, q, count);
		} else if (txq->shared_eq != NULL) {
			break;	/* an Rx event on a shared EQ: rx_burst takes it */
		} else {
			txq->stats.other_events++;
		}
		n++;
	}
	if (n != 0) {
		evq_ring_consume_fixed(eq, n, EVQ_EQ_ES);
		txq->stats.events += n;
		txq->done = done;
	}
	freed = done - clean;
	while (clean != done) {
		uint32_t slot = clean & txq->mask;
		/* up to the ring's end: the slots are contiguous */
		uint32_t n = RTE_MIN(done - clean, (uint32_t)txq->nb_desc - slot);

		if (txq->fast_free)
			evq_tx_free_fast(txq, &txq->sw_ring[slot], n);
		else
			evq_tx_free_segs(&txq->sw_ring[slot], n);
		clean += n;
	}
	txq->clean = clean;
	return freed;
}

/* The mbuf offload requests the adapter carries out (datasheet "TX offloads"). */
#define EVQ_TX_OL_REQUEST	(RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_L4_MASK | \
				 RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_VLAN)
/* What tx_prepare accepts: those and the flags that only describe the packet. */
#define EVQ_TX_OL_SUPPORTED	(EVQ_TX_OL_REQUEST | RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IPV6)

/*
 * The offload part of a packet's first descriptor, as bits 16..63 of its
 * second quadword (flags, mss, vlan_tci). Called only for a packet whose
 * ol_flags ask for an offload: a plain packet costs one test.
 */
static __rte_noinline uint64_t
evq_tx_ol_word(const struct rte_mbuf *m)
{
	uint64_t ol = m->ol_flags, w = 0;
	uint16_t f = 0;

	if (ol & RTE_MBUF_F_TX_IP_CKSUM)
		f |= EVQ_TX_DESC_F_IP_CSUM;
	if ((ol & RTE_MBUF_F_TX_L4_MASK) == RTE_MBUF_F_TX_TCP_CKSUM ||
			(ol & RTE_MBUF_F_TX_L4_MASK) == RTE_MBUF_F_TX_UDP_CKSUM)
		f |= EVQ_TX_DESC_F_L4_CSUM;
	if (ol & RTE_MBUF_F_TX_TCP_SEG) {
		f |= EVQ_TX_DESC_F_TSO;
		w |= (uint64_t)m->tso_segsz << 32;
	}
	if (ol & RTE_MBUF_F_TX_VLAN) {
		f |= EVQ_TX_DESC_F_VLAN;
		w |= (uint64_t)m->vlan_tci << 48;
	}
	return w | ((uint64_t)f << 16);
}

static __rte_always_inline bool
evq_tx_pkt_ok(const struct rte_mbuf *m)
{
	const struct rte_mbuf *s;

	if (likely(m->nb_segs == 1))
		return m->data_len != 0;
	if (m->nb_segs > EVQ_TX_MAX_SEGS)
		return false;
	for (s = m; s != NULL; s = s->next)
		if (s->data_len == 0)
			return false;
	return true;
}

uint16_t
evq_xmit_pkts(void *tx_queue, struct rte_mbuf **tx_pkts, uint16_t nb_pkts)
{
	struct evq_tx_queue *txq = tx_queue;
	const uint32_t mask = txq->mask;
	uint32_t tail = txq->tail, room;
	uint64_t bytes = 0, sent = 0;
	bool reaped = false;
	uint16_t i;

	/*
	 * The adapter has just written the completion event this call reads:
	 * reading it first would stall on its cache line for the whole
	 * transfer from the adapter's core. So while the burst surely fits,
	 * only ask for the line now, write the descriptors, ring the tail,
	 * and take the completions last, when the line is here.
	 */
	room = txq->nb_desc - (tail - txq->clean);
	if (unlikely(room < nb_pkts)) {
		evq_tx_reap(txq);
		reaped = true;
		room = txq->nb_desc - (tail - txq->clean);
	} else {
		evq_eq_prefetch(evq_txq_eq(txq));
	}
	for (i = 0; i < nb_pkts; i++) {
		struct rte_mbuf *m = tx_pkts[i], *seg, *next;
		uint32_t nseg = m->nb_segs;
		uint64_t ol = 0;

		if (unlikely(!evq_tx_pkt_ok(m))) {
			/* the adapter would drop it; do it here and say so */
			txq->stats.dropped++;
			rte_pktmbuf_free(m);
			continue;
		}
		if (unlikely(nseg > room) && !reaped) {
			/* segments took more room than counted: completions now */
			evq_tx_reap(txq);
			reaped = true;
			room = txq->nb_desc - (tail - txq->clean);
		}
		if (unlikely(nseg > room)) {
			/* the packets not taken: the application drops or retries them */
			txq->stats.ring_full += nb_pkts - i;
			break;
		}
		if (unlikely(m->ol_flags & EVQ_TX_OL_REQUEST))
			ol = evq_tx_ol_word(m);
		if (likely(nseg == 1)) {
			/* one descriptor; m->next (2nd cache line) is not read */
			uint32_t slot = tail & mask;
			uint64_t *d = (uint64_t *)&txq->ring[slot];

			d[0] = rte_cpu_to_le_64(evq_seg_dma(txq, m));
			d[1] = rte_cpu_to_le_64((uint64_t)m->data_len |
					((uint64_t)EVQ_TX_DESC_F_EOP << 16) | ol);
			txq->sw_ring[slot] = m;
			tail++;
			room--;
			bytes += m->pkt_len;
			sent++;
			continue;
		}
		bytes += m->pkt_len;
		for (seg = m; seg != NULL; seg = next) {
			uint32_t slot = tail & mask;
			uint64_t *d = (uint64_t *)&txq->ring[slot];

			next = seg->next;
			d[0] = rte_cpu_to_le_64(evq_seg_dma(txq, seg));
			/* offloads in the first descriptor only */
			d[1] = rte_cpu_to_le_64((uint64_t)seg->data_len |
					(next == NULL ? (uint64_t)EVQ_TX_DESC_F_EOP << 16 : 0) |
					(seg == m ? ol : 0));
			if (txq->fast_free) {
				/* The descriptors carry the packet now and no one
				 * else holds its mbufs (fast free): each segment
				 * becomes a lone mbuf that can go back to the pool
				 * as it is (evq_tx_free_fast()). */
				seg->next = NULL;
				seg->nb_segs = 1;
			}
			txq->sw_ring[slot] = seg;
			tail++;
		}
		room -= nseg;
		sent++;
	}
	if (tail != txq->tail) {
		txq->tail = tail;
		/* descriptors before the tail (rte_write32: I/O write barrier) */
		rte_write32(rte_cpu_to_le_32(tail), txq->tail_db);
		txq->stats.tail_doorbells++;
	}
	if (!reaped)
		evq_tx_reap(txq);
	txq->stats.packets += sent;
	txq->stats.bytes += bytes;
	return i;
}

uint16_t
evq_prep_pkts(void *tx_queue, struct rte_mbuf **tx_pkts, uint16_t nb_pkts)
{
	struct evq_tx_queue *txq = tx_queue;
	uint32_t mtu = rte_eth_devices[txq->port_id].data->mtu;
	uint32_t max_len = mtu + EVQ_FRAME_OVERHEAD;
	uint16_t i;

	for (i = 0; i < nb_pkts; i++) {
		const struct rte_mbuf *m = tx_pkts[i];
		uint64_t ol = m->ol_flags;
		/* a tag the adapter inserts takes the room of the one allowed */
		uint32_t max = (ol & RTE_MBUF_F_TX_VLAN) ? max_len - 4 : max_len;

		if ((ol & RTE_MBUF_F_TX_OFFLOAD_MASK & ~EVQ_TX_OL_SUPPORTED) ||
				(ol & RTE_MBUF_F_TX_L4_MASK) == RTE_MBUF_F_TX_SCTP_CKSUM) {
			rte_errno = ENOTSUP;
			break;
		}
		if (ol & RTE_MBUF_F_TX_TCP_SEG) {
			/* segments: headers + tso_segsz within the MTU (the
			 * adapter checks the headers it finds) */
			max = EVQ_TSO_MAX_BYTES;
			if (m->tso_segsz < EVQ_TSO_MSS_MIN || m->tso_segsz > mtu) {
				rte_errno = EINVAL;
				break;
			}
		}
		if (!evq_tx_pkt_ok(m) || m->pkt_len < EVQ_FRAME_MIN || m->pkt_len > max) {
			rte_errno = EINVAL;
			break;
		}
	}
	return i;
}

int
evq_tx_done_cleanup(void *tx_queue, uint32_t free_cnt)
{
	struct evq_tx_queue *txq = tx_queue;

	RTE_SET_USED(free_cnt);
	if (!txq->started)
		return 0;
	return (int)evq_tx_reap(txq);
}

int
evq_tx_descriptor_status(void *tx_queue, uint16_t offset)
{
	struct evq_tx_queue *txq = tx_queue;
	uint32_t prev_use;

	if (unlikely(offset >= txq->nb_desc))
		return -EINVAL;
	/* The slot 'offset' ahead of the tail was last used nb_desc earlier. */
	prev_use = txq->tail + offset - txq->nb_desc;
	return (int32_t)(prev_use - txq->done) < 0 ?
		RTE_ETH_TX_DESC_DONE : RTE_ETH_TX_DESC_FULL;
}

/* ------------------------------------------------------------------ */
/* Control path                                                       */
/* ------------------------------------------------------------------ */

int
evq_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
		unsigned int socket_id, const struct rte_eth_txconf *conf)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	struct evq_tx_queue *txq;
	uint32_t n, eq_size;
	int ret;

	if (dev->data->tx_queues[qid] != NULL)
		evq_tx_queue_release(dev, qid);
	ret = evq_queue_desc_count(ad, "Tx", qid, nb_desc, &n);
	if (ret != 0)
		return ret;
	ret = evq_queue_eq_size(ad, "Tx", qid, n, &eq_size);
	if (ret != 0)
		return ret;
	txq = rte_zmalloc_socket("evq_txq", sizeof(*txq), RTE_CACHE_LINE_SIZE, socket_id);
	if (txq == NULL)
		return -ENOMEM;
	txq->ad = ad;
	txq->queue_id = qid;
	txq->port_id = dev->data->port_id;
	txq->nb_desc = (uint16_t)n;
	txq->mask = n - 1;
	txq->iova_is_va = ad->iova_is_va;
	txq->offloads = conf->offloads | dev->data->dev_conf.txmode.offloads;
	txq->fast_free = (txq->offloads & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE) != 0;
	txq->deferred_start = conf->tx_deferred_start != 0;
	txq->tail_db = (volatile uint32_t *)(ad->dbpage + EVQ_DBPAGE_TXQ_TAIL(qid));
	txq->sw_ring = rte_zmalloc_socket("evq_txq_sw", sizeof(struct rte_mbuf *) * n,
			RTE_CACHE_LINE_SIZE, socket_id);
	txq->ring_mz = evq_queue_mz(ad, "tx", qid, "ring", sizeof(struct evq_tx_desc) * n,
			EVQ_RING_ALIGN, (int)socket_id);
	if (txq->sw_ring == NULL || txq->ring_mz == NULL)
		goto nomem;
	txq->ring = txq->ring_mz->addr;
	if (evq_eq_alloc(ad, &txq->eq, "txq", qid, evq_txq_eq_num(ad, qid), eq_size,
			(int)socket_id) != 0)
		goto nomem;
	txq->eq.grow_max = RTE_MAX(eq_size, evq_queue_eq_size_auto(ad, n));
	dev->data->tx_queues[qid] = txq;
	dev->data->tx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STOPPED;
	return 0;
nomem:
	rte_memzone_free(txq->ring_mz);
	rte_free(txq->sw_ring);
	rte_free(txq);
	return -ENOMEM;
}

void
evq_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct evq_tx_queue *txq = dev->data->tx_queues[qid];

	if (txq == NULL)
		return;
	evq_tx_queue_stop(dev, qid);
	evq_eq_free(&txq->eq);
	rte_memzone_free(txq->ring_mz);
	rte_free(txq->sw_ring);
	rte_free(txq);
	dev->data->tx_queues[qid] = NULL;
}

int
evq_tx_queue_start(struct rte_eth_dev *dev, uint16_t qid)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	struct evq_tx_queue *txq = dev->data->tx_queues[qid];
	int ret;

	if (txq == NULL)
		return -EINVAL;
	if (txq->started)
		return 0;
	if (ad->removed)
		return -ENODEV;
	if (ad->started && ad->args.layout != EVQ_LAYOUT_QUEUE) {
		EVQ_DEV_LOG(ERR, ad, "Tx queue %u: queues on a shared EQ (eq_layout) start "
				"and stop with the port", qid);
		return -ENOTSUP;
	}
	memset(txq->ring_mz->addr, 0, txq->ring_mz->len);
	txq->tail = txq->clean = txq->done = 0;
	txq->fast_free_mp = NULL;	/* learnt from the first mbuf freed */

	/* polled by tx_burst, never armed: no moderation either; on an Rx
	 * queue's EQ (eq_layout) that queue defines it */
	ret = evq_txq_eq(txq) == &txq->eq ? evq_eq_define(ad, &txq->eq, 0) : 0;
	if (ret != 0)
		return ret;
	ret = evq_queue_ring_enable(ad, true, qid, txq->ring_mz, txq->nb_desc,
			ad->args.tx_coal, EVQ_TXQ_CTRL_ENABLE);
	if (ret != 0) {
		evq_eq_undefine(ad, &txq->eq);
		return ret;
	}
	txq->started = true;
	dev->data->tx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STARTED;
	return 0;
}

int
evq_tx_queue_stop(struct rte_eth_dev *dev, uint16_t qid)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	struct evq_tx_queue *txq = dev->data->tx_queues[qid];
	uint32_t i;

	if (txq == NULL)
		return -EINVAL;
	if (txq->started && ad->started && ad->args.layout != EVQ_LAYOUT_QUEUE) {
		EVQ_DEV_LOG(ERR, ad, "Tx queue %u: queues on a shared EQ (eq_layout) start "
				"and stop with the port", qid);
		return -ENOTSUP;
	}
	dev->data->tx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STOPPED;
	if (!txq->started)
		return 0;
	evq_eq_recover_cancel(ad, &txq->eq);
	txq->started = false;
	evq_queue_ring_disable(ad, true, qid);
	evq_eq_undefine(ad, &txq->eq);
	evq_eq_clear(&txq->eq);
	/* Disabled: the adapter abandons what it has not sent; free it all. */
	for (i = txq->clean; i != txq->tail; i++) {
		struct rte_mbuf **slot = &txq->sw_ring[i & txq->mask];

		if (*slot != NULL)
			rte_pktmbuf_free_seg(*slot);
		*slot = NULL;
	}
	txq->tail = txq->clean = txq->done = 0;
	return 0;
}

void
evq_txq_info_get(struct rte_eth_dev *dev, uint16_t qid, struct rte_eth_txq_info *qinfo)
{
	const struct evq_tx_queue *txq = dev->data->tx_queues[qid];

	qinfo->nb_desc = txq->nb_desc;
	qinfo->conf.tx_deferred_start = txq->deferred_start;
	qinfo->conf.offloads = txq->offloads;
	qinfo->queue_state = dev->data->tx_queue_state[qid];
}

int
evq_tx_burst_mode_get(struct rte_eth_dev *dev, uint16_t qid, struct rte_eth_burst_mode *mode)
{
	const struct evq_tx_queue *txq = dev->data->tx_queues[qid];

	mode->flags = 0;
	snprintf(mode->info, sizeof(mode->info), "Scalar, event queue, multi-segment, offloads%s",
			txq != NULL && txq->fast_free ? ", fast mbuf free" : "");
	return 0;
}
