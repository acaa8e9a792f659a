/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_rx.c: the receive side of net_evq.
 * Owns: Rx queue setup/start/stop/release, rx_burst, rx_queue_count,
 * rx_descriptor_status, get_monitor_addr and the packet-type list.
 *
 * Datapath: each Rx queue owns EQ 1 + q. rx_burst polls that EQ by the
 * code byte of its next entry (evq_ring_peek_fixed(), host memory only: no
 * register is ever read), takes length, packet type, RSS hash and flags
 * from the EVQ_EV_RX entry, consumes the entries in one pass (clear rule:
 * their codes cleared; phase rule: nothing written, the read count
 * published at most once per burst), and refills descriptors in batches
 * of at least rx_free_thresh with a single tail doorbell store for the
 * batch.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>

#include "evq_ethdev.h"

/* mbuf headers touched this many descriptors ahead of use */
#define EVQ_RX_PREFETCH_AHEAD	4

/* enum evq_ptype -> DPDK packet type (datasheet "Packet types"). */
static const uint32_t evq_ptype_tbl[8] = {
	[EVQ_PTYPE_UNKNOWN] = RTE_PTYPE_UNKNOWN,
	[EVQ_PTYPE_L2] = RTE_PTYPE_L2_ETHER,
	[EVQ_PTYPE_IPV4] = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4,
	[EVQ_PTYPE_IPV4_TCP] = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_TCP,
	[EVQ_PTYPE_IPV4_UDP] = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_UDP,
	[EVQ_PTYPE_IPV6] = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6,
	[EVQ_PTYPE_IPV6_TCP] = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6 | RTE_PTYPE_L4_TCP,
	[EVQ_PTYPE_IPV6_UDP] = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6 | RTE_PTYPE_L4_UDP,
};

/* EVQ_RX_F_* byte -> mbuf ol_flags (before the per-queue offload mask). */
static uint64_t evq_rx_olflags_tbl[256];

RTE_INIT(evq_rx_tables_init)
{
	unsigned int f;

	for (f = 0; f < RTE_DIM(evq_rx_olflags_tbl); f++) {
		uint64_t ol = 0;

		if (f & EVQ_RX_F_RSS)
			ol |= RTE_MBUF_F_RX_RSS_HASH;
		if (f & EVQ_RX_F_L3_CSUM_OK)
			ol |= RTE_MBUF_F_RX_IP_CKSUM_GOOD;
		else if (f & EVQ_RX_F_L3_CSUM_BAD)
			ol |= RTE_MBUF_F_RX_IP_CKSUM_BAD;
		if (f & EVQ_RX_F_L4_CSUM_OK)
			ol |= RTE_MBUF_F_RX_L4_CKSUM_GOOD;
		else if (f & EVQ_RX_F_L4_CSUM_BAD)
			ol |= RTE_MBUF_F_RX_L4_CKSUM_BAD;
		/* STRIPPED only passes the queue's mask with VLAN stripping on */
		if (f & EVQ_RX_F_VLAN)
			ol |= RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED;
		evq_rx_olflags_tbl[f] = ol;
	}
}

const uint32_t *
evq_dev_supported_ptypes_get(struct rte_eth_dev *dev EVQ_PTYPES_COUNT_PARAM(no_of_elements))
{
	static const uint32_t ptypes[] = {
		RTE_PTYPE_L2_ETHER,
		RTE_PTYPE_L2_ETHER_VLAN,
		RTE_PTYPE_L3_IPV4,
		RTE_PTYPE_L3_IPV6,
		RTE_PTYPE_L4_TCP,
		RTE_PTYPE_L4_UDP,
		RTE_PTYPE_UNKNOWN,
	};

	if (dev->rx_pkt_burst == evq_recv_pkts) {
		/* the count leaves out the terminator older releases need */
		EVQ_PTYPES_SET_COUNT(no_of_elements, RTE_DIM(ptypes) - 1);
		return ptypes;
	}
	return NULL;
}

static __rte_always_inline uint64_t
evq_mbuf_dma(const struct evq_rx_queue *rxq, const struct rte_mbuf *m)
{
	return rxq->iova_is_va ?
		(uint64_t)(uintptr_t)m->buf_addr + RTE_PKTMBUF_HEADROOM :
		(uint64_t)m->buf_iova + RTE_PKTMBUF_HEADROOM;
}

/*
 * data_off, refcnt, nb_segs and port of a fresh receive mbuf as one 64-bit
 * word. A buffer in its pool already has next = NULL and nb_segs = 1 (the
 * mbuf library's free invariant), so refill sets this word instead of a
 * full rte_pktmbuf_reset(), which also writes the mbuf's second cache line;
 * rx_burst sets every other field the application reads.
 */
static __rte_always_inline uint64_t
evq_rx_rearm_word(uint16_t port_id)
{
	struct rte_mbuf mb;
	uint64_t word;

	RTE_BUILD_BUG_ON(offsetof(struct rte_mbuf, refcnt) !=
			offsetof(struct rte_mbuf, data_off) + 2);
	RTE_BUILD_BUG_ON(offsetof(struct rte_mbuf, nb_segs) !=
			offsetof(struct rte_mbuf, data_off) + 4);
	RTE_BUILD_BUG_ON(offsetof(struct rte_mbuf, port) !=
			offsetof(struct rte_mbuf, data_off) + 6);
	mb.data_off = RTE_PKTMBUF_HEADROOM;
	mb.refcnt = 1;
	mb.nb_segs = 1;
	mb.port = port_id;
	memcpy(&word, RTE_PTR_ADD(&mb, offsetof(struct rte_mbuf, data_off)), sizeof(word));
	return word;
}

/*
 * Post fresh buffers into every free slot (at least min of them, else
 * nothing), then ONE tail store for the whole batch.
 */
static __rte_always_inline void
evq_rx_refill(struct evq_rx_queue *rxq, uint32_t min)
{
	uint32_t room = rxq->nb_desc - (rxq->tail - rxq->next);
	const uint64_t rearm = evq_rx_rearm_word(rxq->port_id);
	const uint64_t desc_hi = rte_cpu_to_le_16(rxq->buf_len);
	uint32_t posted = 0;

	if (room < min || room == 0)
		return;
	while (room > 0) {
		uint32_t slot = rxq->tail & rxq->mask;
		/* bounded gets: a pool running low still yields what it has
		 * instead of failing one all-or-nothing get of the whole ring */
		uint32_t n = RTE_MIN(RTE_MIN(room, (uint32_t)rxq->nb_desc - slot),
				(uint32_t)EVQ_RX_REFILL_CHUNK);
		struct rte_mbuf **mbufs = &rxq->sw_ring[slot];
		uint32_t i;

		if (unlikely(rte_mempool_get_bulk(rxq->mp, (void **)mbufs, n) != 0)) {
			rxq->stats.nombuf += n;
			break;
		}
		for (i = 0; i < n; i++) {
			struct rte_mbuf *m = mbufs[i];
			uint64_t *d = (uint64_t *)&rxq->ring[slot + i];

			memcpy(RTE_PTR_ADD(m, offsetof(struct rte_mbuf, data_off)), &rearm,
				sizeof(rearm));
			/* two 8-byte stores: buffer address, then length (flags 0) */
			d[0] = rte_cpu_to_le_64(evq_mbuf_dma(rxq, m));
			d[1] = desc_hi;
		}
		rxq->tail += n;
		room -= n;
		posted += n;
	}
	if (posted != 0) {
		/* descriptors before the tail (rte_write32: I/O write barrier) */
		rte_write32(rte_cpu_to_le_32(rxq->tail), rxq->tail_db);
		rxq->stats.tail_doorbells++;
	}
}

static void
evq_rx_drop_partial(struct evq_rx_queue *rxq)
{
	if (rxq->pkt_first != NULL)
		rte_pktmbuf_free(rxq->pkt_first);
	rxq->pkt_first = NULL;
	rxq->pkt_last = NULL;
	rxq->pkt_drop = false;
}

/* Is Rx queue q another started queue that consumes the same EQ? */
static bool
evq_rx_sibling(struct evq_rx_queue *rxq, uint16_t q)
{
	const struct rte_eth_dev_data *data = rxq->ad->eth_dev->data;
	struct evq_rx_queue *other;

	if (rxq->shared_eq == NULL || q >= data->nb_rx_queues)
		return false;
	other = data->rx_queues[q];
	return other != NULL && other != rxq && other->started &&
		evq_rxq_eq(other) == rxq->shared_eq;
}

/*
 * An entry of the queue's EQ that is not an Rx completion of this queue.
 * On a shared EQ (layouts) it may be a Tx completion, which sets that Tx
 * queue's absolute done count, or an event of another Rx queue, which
 * that queue's rx_burst takes: the return value true means "stop here".
 * An event for a queue that is not on this EQ or not started is counted
 * as stray and skipped, so that it cannot stall the EQ.
 */
static __rte_noinline bool
evq_rx_other_event(struct evq_rx_queue *rxq, uint32_t ctrl, const void *ev)
{
	const struct evq_ev_tx *tx = ev;
	uint16_t q;

	switch (evq_ctrl_code(ctrl)) {
	case EVQ_EV_RX_TIME:
	case EVQ_EV_RX:
		q = (uint16_t)((ctrl & EVQ_EV_RX_QUEUE_MASK) >> EVQ_EV_RX_QUEUE_SHIFT);
		if (q == rxq->queue_id) {
			/* (only a time event gets here with this queue's number)
			 * the arrival time of the Rx events that follow */
			rxq->ts_now = rte_le_to_cpu_64(
				((const struct evq_ev_rx_time *)ev)->timestamp);
			return false;
		}
		if (evq_rx_sibling(rxq, q))
			return true;
		rxq->stats.stray_events++;
		return false;
	case EVQ_EV_TX:
		q = (uint16_t)((ctrl & EVQ_EV_TX_QUEUE_MASK) >> EVQ_EV_TX_QUEUE_SHIFT);
		if (rxq->shared_eq != NULL) {
			struct rte_eth_dev_data *data = rxq->ad->eth_dev->data;
			struct evq_tx_queue *txq = q < data->nb_tx_queues ?
				data->tx_queues[q] : NULL;

			if (txq != NULL && txq->started && evq_txq_eq(txq) == rxq->shared_eq) {
				evq_tx_done_event(txq, rte_le_to_cpu_32(tx->done_count));
				return false;
			}
		}
		rxq->stats.stray_events++;
		return false;
	default:
		rxq->stats.other_events++;
		return false;
	}
}

/*
 * rx_burst. Each EVQ_EV_RX event completes the next posted descriptor. A
 * frame is handed to the application only if its events agree with each
 * other and with the ring (datasheet "What the driver checks"): the queue
 * field is this queue (else the event is another queue's or stray), the
 * descriptor index is the next one, len is 1 .. buffer length, a segment
 * before the last fills its buffer, pkt_len is the same in every event
 * and equals the sum of the segments, EOP comes within nb_desc
 * descriptors, and a queue without scatter has EOP on every event. A
 * frame that breaks any of these is dropped whole: every segment up to
 * and including its EOP event goes back to the pool once, and it is
 * counted once in malformed_frames (a frame the adapter flagged with
 * EVQ_RX_F_ERROR in desc_errors). The next frame starts after that EOP.
 */
uint16_t
evq_recv_pkts(void *rx_queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	struct evq_rx_queue *rxq = rx_queue;
	struct evq_ring_cons *eq = &evq_rxq_eq(rxq)->cons;
	struct rte_mbuf *first = rxq->pkt_first, *last = rxq->pkt_last;
	const uint32_t mask = rxq->mask;
	const uint32_t ev_max = eq->mask + 1;
	/* the queue field every completion of this queue carries */
	const uint32_t qbits = (uint32_t)rxq->queue_id << EVQ_EV_RX_QUEUE_SHIFT;
	const uint32_t buf_len = rxq->buf_len;
	uint32_t next = rxq->next;
	uint32_t nb_ev = 0;
	uint16_t want = rxq->pkt_want;
	bool drop = rxq->pkt_drop;
	uint16_t nb_rx = 0;
	uint64_t bytes = 0;

#if defined(RTE_ETHDEV_DEBUG_RX)
	if (rxq->shared_eq)
		evq_eq_thread_check(evq_rxq_eq(rxq), "Rx", rxq->queue_id);
#endif
	while (nb_rx < nb_pkts && nb_ev < ev_max) {
		uint32_t ctrl;
		const struct evq_ev_rx *ev = evq_ring_peek_fixed(eq, nb_ev, EVQ_EQ_ES,
				&ctrl);
		struct rte_mbuf *m;
		uint16_t len, pkt_len;
		uint32_t total;
		uint8_t flags;
		bool desc_ok;

		if (ev == NULL)
			break;
		ctrl = rte_le_to_cpu_32(ctrl);
		if (unlikely(evq_ctrl_code(ctrl) != EVQ_EV_RX ||
				(ctrl & EVQ_EV_RX_QUEUE_MASK) != qbits)) {
			if (evq_rx_other_event(rxq, ctrl, ev))
				break;
			nb_ev++;
			continue;
		}
		nb_ev++;
		if (unlikely(next == rxq->tail)) {
			/* The adapter completed a descriptor we never posted
			 * (every event of a stopped queue comes here). */
			rxq->stats.stray_events++;
			continue;
		}
		desc_ok = (ctrl & EVQ_EV_RX_DESC_MASK) == (next & mask);
		m = rxq->sw_ring[next & mask];
		rxq->sw_ring[next & mask] = NULL;
		/* the header of a buffer posted a ring ago is out of L1 by now
		 * (a slot past the tail holds NULL or an old pointer: harmless) */
		rte_prefetch0(rxq->sw_ring[(next + EVQ_RX_PREFETCH_AHEAD) & mask]);
		next++;
		flags = ev->flags;
		len = rte_le_to_cpu_16(ev->len);
		pkt_len = rte_le_to_cpu_16(ev->pkt_len);
		if (likely(first == NULL && !drop && desc_ok && len == pkt_len &&
				(flags & (EVQ_RX_F_EOP | EVQ_RX_F_ERROR)) == EVQ_RX_F_EOP &&
				(uint32_t)len - 1 < buf_len)) {
			/* the common case: a whole frame in one descriptor */
			m->data_len = len;
			m->pkt_len = len;
			first = m;
		} else {
			if (drop) {
				/* the rest of a frame already dropped and counted */
				rte_pktmbuf_free_seg(m);
				drop = !(flags & EVQ_RX_F_EOP);
				continue;
			}
			if (unlikely(flags & EVQ_RX_F_ERROR)) {
				/* The adapter wrote nothing: the whole frame is lost. */
				rxq->stats.errors++;
				goto drop_frame;
			}
			if (first == NULL)
				want = pkt_len;
			total = (first != NULL ? first->pkt_len : 0) + (uint32_t)len;
			/* the events of the frame so far and this one disagree */
			if (unlikely(!desc_ok || pkt_len != want || len == 0 || len > buf_len ||
					/* no EOP within a whole ring of descriptors */
					(first != NULL && first->nb_segs >= rxq->nb_desc) ||
					((flags & EVQ_RX_F_EOP) ? total != want :
					/* a segment before the last fills its buffer
					 * and leaves bytes for the last one */
					!rxq->scatter || len != buf_len || total >= want))) {
				rxq->stats.malformed++;
				goto drop_frame;
			}
			m->data_len = len;
			if (first == NULL) {
				first = m;
				m->pkt_len = len;
			} else {
				last->next = m;
				first->nb_segs++;
				first->pkt_len += len;
			}
			last = m;
			if (!(flags & EVQ_RX_F_EOP))
				continue;
		}

		first->port = rxq->port_id;
		first->packet_type = evq_ptype_tbl[ev->ptype & 7];
		first->ol_flags = evq_rx_olflags_tbl[flags] & rxq->ol_flags_mask;
		/* a tag still in the data (not stripped by the adapter) */
		if (unlikely(flags & EVQ_RX_F_VLAN) &&
				!(first->ol_flags & RTE_MBUF_F_RX_VLAN_STRIPPED))
			first->packet_type = (first->packet_type & ~RTE_PTYPE_L2_MASK) |
				RTE_PTYPE_L2_ETHER_VLAN;
		first->hash.rss = rte_le_to_cpu_32(ev->rss_hash);
		first->vlan_tci = rte_le_to_cpu_16(ev->vlan_tci);
		if (unlikely(rxq->ts_flag != 0)) {
			*RTE_MBUF_DYNFIELD(first, rxq->ts_offset, rte_mbuf_timestamp_t *) =
				rxq->ts_now;
			first->ol_flags |= rxq->ts_flag;
		}
		bytes += first->pkt_len;
		rx_pkts[nb_rx++] = first;
		first = NULL;
		continue;
drop_frame:
		/* this segment and the frame so far; the rest up to EOP follows */
		rte_pktmbuf_free_seg(m);
		if (first != NULL) {
			rte_pktmbuf_free(first);
			first = NULL;
		}
		drop = !(flags & EVQ_RX_F_EOP);
	}
	if (nb_ev == 0)
		return 0;
	/* Clear the codes of everything used, in order (one pass). */
	evq_ring_consume_fixed(eq, nb_ev, EVQ_EQ_ES);
	rxq->next = next;
	rxq->pkt_first = first;
	rxq->pkt_last = last;
	rxq->pkt_want = want;
	rxq->pkt_drop = drop;
	rxq->stats.events += nb_ev;
	rxq->stats.packets += nb_rx;
	rxq->stats.bytes += bytes;
	/* a stopped queue (an application's mistake) gets no buffers */
	if (likely(rxq->started))
		evq_rx_refill(rxq, rxq->free_thresh);
	return nb_rx;
}

/*
 * Completed descriptors waiting in the EQ, at most limit, on a queue whose
 * EQ also carries time events (EVQ_EV_RX_TIME: an entry, no descriptor).
 */
static uint32_t
evq_rx_completed(struct evq_rx_queue *rxq, uint32_t limit)
{
	struct evq_eq *eq = evq_rxq_eq(rxq);
	uint32_t i, n = 0, ctrl;

	for (i = 0; n < limit && i < eq->size; i++) {
		if (evq_ring_peek_fixed(&eq->cons, i, EVQ_EQ_ES, &ctrl) == NULL)
			break;
		if (evq_ctrl_code(rte_le_to_cpu_32(ctrl)) == EVQ_EV_RX)
			n++;
	}
	return n;
}

/* Completed descriptors not yet retrieved: the pending EQ entries. */
evq_rx_queue_count_ret_t
evq_rx_queue_count(void *rx_queue)
{
	struct evq_rx_queue *rxq = rx_queue;

	if (unlikely(rxq->ts_flag != 0))
		return evq_rx_completed(rxq, rxq->nb_desc);
	return evq_ring_cons_count(&evq_rxq_eq(rxq)->cons, rxq->nb_desc);
}

int
evq_rx_descriptor_status(void *rx_queue, uint16_t offset)
{
	struct evq_rx_queue *rxq = rx_queue;
	bool done;

	if (unlikely(offset >= rxq->nb_desc))
		return -EINVAL;
	if (offset >= rxq->tail - rxq->next)
		return RTE_ETH_RX_DESC_UNAVAIL;
	if (unlikely(rxq->ts_flag != 0))
		done = evq_rx_completed(rxq, offset + 1u) > offset;
	else
		done = evq_ring_peek_fixed(&evq_rxq_eq(rxq)->cons, offset, EVQ_EQ_ES, NULL) != NULL;
	return done ? RTE_ETH_RX_DESC_DONE : RTE_ETH_RX_DESC_AVAIL;
}

/*
 * Power management: sleep until the next EQ entry's control word changes.
 * opaque[0] masks the code, opaque[1] the phase bit (0 under the clear
 * rule) and opaque[2] is the phase bit an event at that count carries.
 */
static int
evq_monitor_callback(const uint64_t value,
		const uint64_t opaque[RTE_POWER_MONITOR_OPAQUE_SZ])
{
	/* non-zero code (of this lap) = an event is there: do not sleep */
	return (value & opaque[0]) != 0 && ((value ^ opaque[2]) & opaque[1]) == 0 ?
		-1 : 0;
}

int
evq_get_monitor_addr(void *rx_queue, struct rte_power_monitor_cond *pmc)
{
	struct evq_rx_queue *rxq = rx_queue;
	const struct evq_ring_cons *c = &evq_rxq_eq(rxq)->cons;
	uint32_t phase = 0, want = 0;

	if (c->validity == EVQ_RING_VALIDITY_PHASE) {
		/* the entry of the previous lap is still there: an event of this
		 * lap has bit 23 = bit log2(size) of the read count (evq_ring.h) */
		phase = EVQ_CTRL_PHASE;
		want = (c->read & (c->mask + 1)) != 0 ? EVQ_CTRL_PHASE : 0;
	}
	pmc->addr = c->base + (size_t)(c->read & c->mask) * c->entry_size;
	pmc->size = sizeof(uint32_t);
	pmc->fn = evq_monitor_callback;
	pmc->opaque[0] = rte_cpu_to_le_32((uint32_t)0xff << EVQ_CTRL_CODE_SHIFT);
	pmc->opaque[1] = rte_cpu_to_le_32(phase);
	pmc->opaque[2] = rte_cpu_to_le_32(want);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Control path                                                       */
/* ------------------------------------------------------------------ */

int
evq_rx_check_frame_fits(struct rte_eth_dev *dev, uint32_t mtu)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	uint32_t frame = mtu + EVQ_FRAME_OVERHEAD;
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		const struct evq_rx_queue *rxq = dev->data->rx_queues[q];

		if (rxq == NULL || rxq->scatter || frame <= rxq->buf_len)
			continue;
		EVQ_DEV_LOG(ERR, ad, "Rx queue %u: frames of up to %u bytes (MTU %u) do not "
				"fit its %u-byte buffers: enable RTE_ETH_RX_OFFLOAD_SCATTER "
				"(testpmd --enable-scatter) or use larger mbufs", q, frame,
				mtu, rxq->buf_len);
		return -EINVAL;
	}
	return 0;
}

int
evq_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
		unsigned int socket_id, const struct rte_eth_rxconf *conf,
		struct rte_mempool *mp)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	struct evq_rx_queue *rxq;
	uint32_t n, eq_size, room;
	int ret;

	if (dev->data->rx_queues[qid] != NULL)
		evq_rx_queue_release(dev, qid);
	ret = evq_queue_desc_count(ad, "Rx", qid, nb_desc, &n);
	if (ret != 0)
		return ret;
	ret = evq_queue_eq_size(ad, "Rx", qid, n, &eq_size);
	if (ret != 0)
		return ret;
	room = rte_pktmbuf_data_room_size(mp);
	if (room < RTE_PKTMBUF_HEADROOM + EVQ_RX_BUF_SIZE_MIN) {
		EVQ_DEV_LOG(ERR, ad, "Rx queue %u: mempool %s buffers hold %u bytes, need at "
				"least %u (headroom + %u)", qid, mp->name, room,
				RTE_PKTMBUF_HEADROOM + EVQ_RX_BUF_SIZE_MIN, EVQ_RX_BUF_SIZE_MIN);
		return -EINVAL;
	}

	rxq = rte_zmalloc_socket("evq_rxq", sizeof(*rxq), RTE_CACHE_LINE_SIZE, socket_id);
	if (rxq == NULL)
		return -ENOMEM;
	rxq->ad = ad;
	rxq->queue_id = qid;
	rxq->port_id = dev->data->port_id;
	rxq->nb_desc = (uint16_t)n;	/* n <= EVQ_DESC_COUNT_MAX = 32768 */
	rxq->mask = n - 1;
	rxq->mp = mp;
	rxq->buf_len = (uint16_t)RTE_MIN(room - RTE_PKTMBUF_HEADROOM,
			(uint32_t)EVQ_RX_BUF_SIZE_MAX);
	rxq->iova_is_va = ad->iova_is_va;
	rxq->offloads = conf->offloads | dev->data->dev_conf.rxmode.offloads;
	rxq->scatter = (rxq->offloads & RTE_ETH_RX_OFFLOAD_SCATTER) != 0;
	rxq->deferred_start = conf->rx_deferred_start != 0;
	rxq->free_thresh = conf->rx_free_thresh != 0 ? conf->rx_free_thresh :
		EVQ_RX_FREE_THRESH;
	if (rxq->free_thresh > n / 2)
		rxq->free_thresh = n / 2;
	rxq->ol_flags_mask = RTE_MBUF_F_RX_VLAN;
	if (rxq->offloads & RTE_ETH_RX_OFFLOAD_RSS_HASH)
		rxq->ol_flags_mask |= RTE_MBUF_F_RX_RSS_HASH;
	if (rxq->offloads & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM)
		rxq->ol_flags_mask |= RTE_MBUF_F_RX_IP_CKSUM_MASK;
	if (rxq->offloads & (RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM))
		rxq->ol_flags_mask |= RTE_MBUF_F_RX_L4_CKSUM_MASK;
	rxq->tail_db = (volatile uint32_t *)(ad->dbpage + EVQ_DBPAGE_RXQ_TAIL(qid));

	rxq->sw_ring = rte_zmalloc_socket("evq_rxq_sw", sizeof(struct rte_mbuf *) * n,
			RTE_CACHE_LINE_SIZE, socket_id);
	rxq->ring_mz = evq_queue_mz(ad, "rx", qid, "ring", sizeof(struct evq_rx_desc) * n,
			EVQ_RING_ALIGN, (int)socket_id);
	if (rxq->sw_ring == NULL || rxq->ring_mz == NULL)
		goto nomem;
	rxq->ring = rxq->ring_mz->addr;
	if (rxq->offloads & RTE_ETH_RX_OFFLOAD_TIMESTAMP) {
		/* the adapter sends EVQ_EV_RX_TIME events; frames get the field */
		ret = rte_mbuf_dyn_rx_timestamp_register(&rxq->ts_offset, &rxq->ts_flag);
		if (ret != 0) {
			EVQ_DEV_LOG(ERR, ad, "Rx queue %u: cannot register the time stamp "
					"mbuf field: %s", qid, rte_strerror(rte_errno));
			ret = -rte_errno;
			goto fail;
		}
	}
	if (evq_eq_alloc(ad, &rxq->eq, "rxq", qid, evq_rxq_eq_num(ad, qid), eq_size,
			(int)socket_id) != 0)
		goto nomem;
	rxq->eq.grow_max = RTE_MAX(eq_size, evq_queue_eq_size_auto(ad, n));
	dev->data->rx_queues[qid] = rxq;
	dev->data->rx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STOPPED;
	return 0;
nomem:
	ret = -ENOMEM;
fail:
	rte_memzone_free(rxq->ring_mz);
	rte_free(rxq->sw_ring);
	rte_free(rxq);
	return ret;
}

void
evq_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct evq_rx_queue *rxq = dev->data->rx_queues[qid];

	if (rxq == NULL)
		return;
	evq_rx_queue_stop(dev, qid);
	evq_eq_free(&rxq->eq);
	rte_memzone_free(rxq->ring_mz);
	rte_free(rxq->sw_ring);
	rte_free(rxq);
	dev->data->rx_queues[qid] = NULL;
}

int
evq_rx_queue_start(struct rte_eth_dev *dev, uint16_t qid)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	struct evq_rx_queue *rxq = dev->data->rx_queues[qid];
	int ret;

	if (rxq == NULL)
		return -EINVAL;
	if (rxq->started)
		return 0;
	if (ad->removed)
		return -ENODEV;
	if (ad->started && ad->args.layout != EVQ_LAYOUT_QUEUE) {
		EVQ_DEV_LOG(ERR, ad, "Rx queue %u: queues on a shared EQ (eq_layout) start "
				"and stop with the port", qid);
		return -ENOTSUP;
	}
	memset(rxq->ring_mz->addr, 0, rxq->ring_mz->len);
	rxq->next = 0;
	rxq->tail = 0;
	rxq->pkt_first = NULL;
	rxq->pkt_last = NULL;
	rxq->pkt_drop = false;
	rxq->armed = false;

	/* summary byte for the shared-interrupt handler (evq_intr_demux);
	 * the moderation rule of the devargs */
	rxq->eq.ctrl_flags = ad->summary != NULL && ad->irq_mode != EVQ_IRQ_MSIX_DIRECT &&
		dev->data->dev_conf.intr_conf.rxq ? EVQ_EQ_CTRL_SSUM : 0;
	if (ad->args.intr_timestamp)
		rxq->eq.ctrl_flags |= EVQ_EQ_CTRL_MODE_TIMESTAMP;
	/* an EQ of its own, or the one it owns for others (eq_layout), defined
	 * once; a queue on another queue's EQ defines nothing */
	ret = evq_rxq_eq(rxq) == &rxq->eq ?
		evq_eq_define(ad, &rxq->eq, ad->args.intr_delay_ns) : 0;
	if (ret != 0)
		return ret;
	ret = evq_queue_ring_enable(ad, false, qid, rxq->ring_mz, rxq->nb_desc,
			rxq->buf_len, EVQ_RXQ_CTRL_ENABLE |
			(rxq->scatter ? EVQ_RXQ_CTRL_SCATTER : 0) |
			(rxq->ts_flag != 0 ? EVQ_RXQ_CTRL_TIMESTAMP : 0));
	if (ret != 0)
		goto fail;
	/* The enable has completed: tails may be rung now. */
	evq_rx_refill(rxq, 1);
	if (rxq->tail != rxq->nb_desc) {
		EVQ_DEV_LOG(ERR, ad, "Rx queue %u: mempool %s cannot fill %u descriptors",
				qid, rxq->mp->name, rxq->nb_desc);
		ret = -ENOMEM;
		goto fail;
	}
	rxq->started = true;
	dev->data->rx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STARTED;
	return 0;
fail:
	rxq->started = true;	/* let stop undo everything */
	evq_rx_queue_stop(dev, qid);
	return ret;
}

int
evq_rx_queue_stop(struct rte_eth_dev *dev, uint16_t qid)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	struct evq_rx_queue *rxq = dev->data->rx_queues[qid];
	uint32_t i;

	if (rxq == NULL)
		return -EINVAL;
	if (rxq->started && ad->started && ad->args.layout != EVQ_LAYOUT_QUEUE) {
		EVQ_DEV_LOG(ERR, ad, "Rx queue %u: queues on a shared EQ (eq_layout) start "
				"and stop with the port", qid);
		return -ENOTSUP;
	}
	dev->data->rx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STOPPED;
	if (!rxq->started)
		return 0;
	evq_eq_recover_cancel(ad, &rxq->eq);
	rxq->started = false;
	/* Disable first: the adapter abandons the posted descriptors. */
	evq_queue_ring_disable(ad, false, qid);
	evq_eq_undefine(ad, &rxq->eq);
	/* no stale completion may be seen by a later start or a stray poll */
	evq_eq_clear(&rxq->eq);
	for (i = rxq->next; i != rxq->tail; i++) {
		struct rte_mbuf **slot = &rxq->sw_ring[i & rxq->mask];

		if (*slot != NULL)
			rte_pktmbuf_free_seg(*slot);
		*slot = NULL;
	}
	evq_rx_drop_partial(rxq);
	rxq->next = rxq->tail = 0;
	return 0;
}

void
evq_rxq_info_get(struct rte_eth_dev *dev, uint16_t qid, struct rte_eth_rxq_info *qinfo)
{
	const struct evq_rx_queue *rxq = dev->data->rx_queues[qid];

	qinfo->mp = rxq->mp;
	qinfo->scattered_rx = rxq->scatter;
	qinfo->nb_desc = rxq->nb_desc;
	qinfo->rx_buf_size = rxq->buf_len;
	qinfo->conf.rx_free_thresh = rxq->free_thresh;
	qinfo->conf.rx_deferred_start = rxq->deferred_start;
	qinfo->conf.offloads = rxq->offloads;
	qinfo->queue_state = dev->data->rx_queue_state[qid];
}

int
evq_rx_burst_mode_get(struct rte_eth_dev *dev, uint16_t qid, struct rte_eth_burst_mode *mode)
{
	const struct evq_rx_queue *rxq = dev->data->rx_queues[qid];

	mode->flags = 0;
	snprintf(mode->info, sizeof(mode->info), "Scalar, event queue%s",
			rxq != NULL && rxq->scatter ? ", scattered" : "");
	return 0;
}
