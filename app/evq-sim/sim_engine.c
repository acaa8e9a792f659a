/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * sim_engine: the engine thread — the adapter's datapath. Each loop it
 * runs a pending control request (sim_engine_call()), then for every port:
 * reads the TX tails in the doorbell page and sends what they cover, pulls
 * frames from the wire into RX rings, evaluates every defined EQ's doorbell
 * (arming, moderation) and writes back write indicators. Hot path: no
 * locks, no system calls except eventfd writes for due interrupts; events
 * are posted in bursts with lib/evq_ring; descriptors are read in batches
 * with prefetch.
 */

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "sim.h"

static pthread_t sim_engine_thread;

/* ---------------------------------------------------------------- RPC -- */

static uint32_t sim_engine_wake_word;

static void
sim_engine_wake(void)
{
	__atomic_add_fetch(&sim_engine_wake_word, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &sim_engine_wake_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void
sim_engine_idle_wait(uint32_t seen, long ns)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = ns };

	syscall(SYS_futex, &sim_engine_wake_word, FUTEX_WAIT_PRIVATE, seen, &ts,
		NULL, 0);
}

static pthread_mutex_t sim_rpc_lock = PTHREAD_MUTEX_INITIALIZER;

int
sim_engine_call(struct sim_engine *eng, sim_rpc_fn fn, void *arg)
{
	uint64_t seq;
	int ret;

	pthread_mutex_lock(&sim_rpc_lock);
	if (!__atomic_load_n(&eng->running, __ATOMIC_ACQUIRE)) {
		/* no engine thread: the caller owns the device state */
		ret = fn(arg);
		pthread_mutex_unlock(&sim_rpc_lock);
		return ret;
	}
	eng->rpc_fn = fn;
	eng->rpc_arg = arg;
	seq = eng->rpc_seq + 1;
	__atomic_store_n(&eng->rpc_seq, seq, __ATOMIC_RELEASE);
	sim_engine_wake();
	while (__atomic_load_n(&eng->rpc_done, __ATOMIC_ACQUIRE) != seq) {
		if (!__atomic_load_n(&eng->running, __ATOMIC_ACQUIRE) &&
				__atomic_load_n(&eng->rpc_done, __ATOMIC_ACQUIRE) != seq) {
			/* the engine exited without serving us */
			ret = fn(arg);
			__atomic_store_n(&eng->rpc_done, seq, __ATOMIC_RELEASE);
			pthread_mutex_unlock(&sim_rpc_lock);
			return ret;
		}
		sched_yield();
	}
	ret = eng->rpc_ret;
	pthread_mutex_unlock(&sim_rpc_lock);
	return ret;
}

static inline void
sim_engine_serve_rpc(struct sim_engine *eng)
{
	uint64_t seq = __atomic_load_n(&eng->rpc_seq, __ATOMIC_ACQUIRE);

	if (sim_likely(seq == eng->rpc_done))
		return;
	eng->rpc_ret = eng->rpc_fn(eng->rpc_arg);
	__atomic_store_n(&eng->rpc_done, seq, __ATOMIC_RELEASE);
}

/* ------------------------------------------------------------- RX ----- */

/* Is dst one of the valid entries of a MAC list? */
static bool
sim_mac_listed(const uint8_t (*list)[6], uint32_t valid, const uint8_t *dst)
{
	while (valid != 0) {
		unsigned int i = (unsigned int)__builtin_ctz(valid);

		valid &= valid - 1;
		if (memcmp(list[i], dst, 6) == 0)
			return true;
	}
	return false;
}

static inline bool
sim_mac_accept(const struct sim_port *port, const uint8_t *dst)
{
	if (port->rx_filter & EVQ_RX_FILTER_PROMISC)
		return true;
	if (sim_likely(memcmp(dst, port->mac, 6) == 0))
		return true;
	if (dst[0] & 1) {
		static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

		if (memcmp(dst, bcast, 6) == 0)
			return (port->rx_filter & EVQ_RX_FILTER_BROADCAST) != 0;
		if (port->rx_filter & EVQ_RX_FILTER_ALLMULTI)
			return true;
		return sim_mac_listed(port->mc_mac, port->mc_valid, dst);
	}
	return sim_mac_listed(port->uc_mac, port->uc_valid, dst);
}

struct sim_rx_item {
	const uint8_t *data;
	uint32_t len;
	uint32_t hash;
	uint8_t ptype;
	uint8_t flags;
	uint16_t vlan_tci;
};

/*
 * Report a bad RX descriptor: the descriptors of the frame up to and
 * including it are consumed with ERROR events.
 */
static unsigned int
sim_rx_bad_desc(struct sim_port *port, unsigned int q, struct sim_rxq *rxq,
		uint32_t first, uint32_t bad, struct evq_event *ev, enum evq_err err,
		uint64_t iova)
{
	unsigned int n = 0;
	uint32_t d;

	for (d = first; d != bad + 1; d++, n++) {
		struct evq_ev_rx *e = (struct evq_ev_rx *)&ev[n];

		memset(e, 0, sizeof(*e));
		e->ctrl = evq_ctrl_make(EVQ_EV_RX, (q << EVQ_EV_RX_QUEUE_SHIFT) |
				(d & rxq->mask & EVQ_EV_RX_DESC_MASK));
		e->flags = EVQ_RX_F_ERROR | (d == bad ? EVQ_RX_F_EOP : 0);
	}
	rxq->errors++;
	port->stats[EVQ_STAT_RX_ERRORS]++;
	if (err == EVQ_ERR_DMA) {
		port->stats[EVQ_STAT_DMA_FAULTS]++;
		sim_dev_error(port, EVQ_ERR_DMA, EVQ_ERR_OBJ(EVQ_OBJ_RX_BUF, q), iova);
	} else {
		sim_dev_error(port, EVQ_ERR_RX_DESC, EVQ_ERR_OBJ(EVQ_OBJ_RXQ, q),
			bad & rxq->mask);
	}
	return n;
}

/* Accept a new RX tail value if it is valid. */
static inline void
sim_rxq_refresh_tail(struct sim_port *port, unsigned int q, struct sim_rxq *rxq)
{
	uint32_t tail = __atomic_load_n(rxq->tail_db, __ATOMIC_ACQUIRE);

	if (sim_likely(tail == rxq->tail_seen))
		return;
	rxq->tail_seen = tail;
	if (sim_unlikely(tail - rxq->head > rxq->mask + 1)) {
		port->stats[EVQ_STAT_BAD_TAILS]++;
		sim_dev_error(port, EVQ_ERR_TAIL, EVQ_ERR_OBJ(EVQ_OBJ_RXQ, q), tail);
		return;
	}
	rxq->tail = tail;
	port->cnt.tail_doorbells++;
}

/*
 * Frame bytes into a receive buffer. Small frames (32..64 bytes, the
 * benchmark case) take two overlapping fixed-size copies the compiler
 * inlines, instead of a libc call per frame; exactly len bytes are written.
 * The source may be a Tx buffer in the same DMA memory (loop and pair
 * wires), and a driver may post an Rx buffer that overlaps it: the frame
 * is then moved as a device would, read whole before it is written
 * (memmove), not copied in an order that reads bytes already overwritten
 * (fuzz-sim-device found it: regressions/fuzz-sim-device/rx-overlaps-tx*).
 */
static inline void
sim_copy_frame(uint8_t *dst, const uint8_t *src, uint32_t len)
{
	if (sim_unlikely(dst < src + len && src < dst + len)) {
		memmove(dst, src, len);
	} else if (sim_likely(len >= 32 && len <= 64)) {
		memcpy(dst, src, 32);
		memcpy(dst + len - 32, src + len - 32, 32);
	} else {
		memcpy(dst, src, len);
	}
}

/* Place frames (all for queue q) into its ring and post their events. */
static void
sim_rxq_fill(struct sim_port *port, unsigned int q, const struct sim_rx_item *it,
		unsigned int n)
{
	struct sim_rxq *rxq = &port->rxq[q];
	struct evq_event ev[SIM_RX_EV_MAX];
	const struct sim_dma_table *dma = port->dma;
	uint16_t eqn = port->mvm_eq[EVQ_EVCLASS_RX][q];
	struct sim_eq *eq = &port->eq[eqn];
	uint32_t head, avail, frames_ok = 0;
	uint64_t bytes_ok = 0;
	unsigned int nev = 0, nev0 = 0, i;
	int ret;

	if (sim_unlikely(!rxq->enabled)) {
		port->stats[EVQ_STAT_RX_MISSED] += n;
		port->cnt.rx_miss_off += n;
		return;
	}
	if (sim_unlikely(eq->prod.defined != EVQ_RING_UNARMED)) {
		/* EQ refuses: frames dropped, descriptors kept */
		rxq->missed += n;
		port->stats[EVQ_STAT_RX_MISSED] += n;
		port->cnt.rx_miss_eq += n;
		(void)sim_eq_post16(port, eqn, NULL, n);	/* counts the loss */
		return;
	}
	/* The datasheet posts each frame's events as one burst; frames are
	 * batched only while a batch always fits the EQ. A smaller EQ gets
	 * them frame by frame, so that it fills and overflows as it would. */
	if (sim_unlikely(n > 1 && eq->size < SIM_RX_EV_MAX)) {
		for (i = 0; i < n; i++)
			sim_rxq_fill(port, q, &it[i], 1);
		return;
	}
	sim_rxq_refresh_tail(port, q, rxq);
	head = rxq->head;
	avail = rxq->tail - head;
	if (sim_unlikely(rxq->timestamp)) {
		/* the batch's arrival time first (datasheet "Receive time stamps") */
		struct evq_ev_rx_time *t = (struct evq_ev_rx_time *)&ev[0];

		t->ctrl = evq_ctrl_make(EVQ_EV_RX_TIME, q << EVQ_EV_RX_QUEUE_SHIFT);
		t->reserved = 0;
		t->timestamp = sim_now_ns();
		nev = nev0 = 1;
	}
	for (i = 0; i < n; i++) {
		const struct sim_rx_item *f = &it[i];
		uint32_t off = 0, first = head;
		unsigned int nev_frame = nev;

		if (sim_unlikely(avail == 0)) {
			rxq->missed += n - i;
			port->stats[EVQ_STAT_RX_MISSED] += n - i;
			port->cnt.rx_miss_desc += n - i;
			break;
		}
		if (i + 1 < n)
			__builtin_prefetch(&rxq->ring[(head + 1) & rxq->mask]);
		for (;;) {
			const struct evq_rx_desc *d = &rxq->ring[head & rxq->mask];
			uint64_t iova = d->buf_iova;
			uint32_t blen = d->buf_len != 0 ? d->buf_len : rxq->buf_size;
			uint32_t chunk = f->len - off;
			struct evq_ev_rx *e;
			uint8_t *dst;

			if (sim_unlikely(blen < EVQ_RX_BUF_SIZE_MIN)) {
				nev = nev_frame + sim_rx_bad_desc(port, q, rxq, first, head,
						&ev[nev_frame], EVQ_ERR_RX_DESC, 0);
				head++;
				avail--;
				goto next_frame;
			}
			if (chunk > blen) {
				if (!rxq->scatter) {
					/* no scatter: too big for the buffer */
					rxq->errors++;
					port->stats[EVQ_STAT_RX_ERRORS]++;
					head = first;
					avail += 0;
					nev = nev_frame;
					goto next_frame_keep;
				}
				if (avail < 2 || nev + 1 >= SIM_RX_EV_MAX) {
					/* not enough descriptors posted for the rest */
					rxq->missed++;
					port->stats[EVQ_STAT_RX_MISSED]++;
					port->cnt.rx_miss_desc++;
					avail += head - first;
					head = first;
					nev = nev_frame;
					goto next_frame_keep;
				}
				chunk = blen;
			}
			dst = sim_dma_xlate(dma, iova, chunk, EVQ_VFU_DMA_F_WRITE,
					&rxq->dma_hint);
			if (sim_unlikely(dst == NULL)) {
				nev = nev_frame + sim_rx_bad_desc(port, q, rxq, first, head,
						&ev[nev_frame], EVQ_ERR_DMA, iova);
				head++;
				avail--;
				goto next_frame;
			}
			sim_copy_frame(dst, f->data + off, chunk);
			e = (struct evq_ev_rx *)&ev[nev++];
			e->ctrl = evq_ctrl_make(EVQ_EV_RX, (q << EVQ_EV_RX_QUEUE_SHIFT) |
					(head & rxq->mask & EVQ_EV_RX_DESC_MASK));
			e->len = (uint16_t)chunk;
			e->ptype = f->ptype;
			e->flags = f->flags;
			e->rss_hash = f->hash;
			e->pkt_len = (uint16_t)f->len;
			e->vlan_tci = f->vlan_tci;
			head++;
			avail--;
			off += chunk;
			if (off == f->len) {
				e->flags |= EVQ_RX_F_EOP;
				break;
			}
		}
		frames_ok++;
		bytes_ok += f->len;
next_frame:
		continue;
next_frame_keep:
		continue;
	}
	if (nev == nev0)
		return;
	ret = sim_eq_post16(port, eqn, ev, nev);
	if (sim_unlikely(ret < 0)) {
		/* EQ refused: frames dropped, descriptors reused */
		rxq->missed += frames_ok;
		port->stats[EVQ_STAT_RX_MISSED] += frames_ok;
		port->cnt.rx_miss_eq += frames_ok;
		return;
	}
	rxq->head = head;
	rxq->packets += frames_ok;
	rxq->bytes += bytes_ok;
	port->stats[EVQ_STAT_RX_PACKETS] += frames_ok;
	port->stats[EVQ_STAT_RX_BYTES] += bytes_ok;
	if (port->dev_ctrl & EVQ_DEV_CTRL_CONV_IRQ)
		sim_conv_cause_queue(port, q);
}

/* Filter, classify (unless infos gives the result), hash and steer up to
 * SIM_BURST frames, then fill each queue's ring. */
static inline __attribute__((always_inline)) void
sim_rx_deliver_burst(struct sim_port *port, const struct sim_frame *frames,
		const struct evq_pkt_info *const *infos, unsigned int n)
{
	struct sim_rx_item items[SIM_BURST];
	uint8_t qof[SIM_BURST];
	uint32_t qmask = 0;
	unsigned int i, k, m = 0;

	for (i = 0; i < n; i++) {
		const struct sim_frame *f = &frames[i];
		const struct evq_pkt_info *info;
		struct evq_pkt_info parsed;
		struct sim_rx_item *it;
		uint8_t q = 0;

		if (sim_unlikely(f->len < EVQ_FRAME_MIN || f->len > port->frame_max)) {
			port->stats[EVQ_STAT_RX_ERRORS]++;
			continue;
		}
		if (sim_unlikely(!sim_mac_accept(port, f->data))) {
			port->stats[EVQ_STAT_RX_FILTERED]++;
			continue;
		}
		if (infos != NULL) {
			info = infos[i];
		} else {
			evq_pkt_parse(f->data, f->len, port->rss_ctrl, EVQ_PARSE_F_CSUM,
				&parsed);
			info = &parsed;
		}
		it = &items[m];
		it->data = f->data;
		it->len = f->len;
		if (sim_unlikely(port->vlan_ctrl != 0) && (info->rx_flags & EVQ_RX_F_VLAN)) {
			/* datasheet "Receive filters": VLAN filter, then stripping */
			uint16_t vid = info->vlan_tci & 0x0fff;

			if ((port->vlan_ctrl & EVQ_VLAN_CTRL_FILTER) && vid != 0 &&
					!(port->vlan_table[vid / 32] & (1u << (vid % 32)))) {
				port->stats[EVQ_STAT_RX_FILTERED]++;
				continue;
			}
			if (port->vlan_ctrl & EVQ_VLAN_CTRL_STRIP) {
				uint8_t *b = port->strip_buf + (size_t)m * SIM_FRAME_MAX;

				memcpy(b, f->data, 12);
				memcpy(b + 12, f->data + 16, f->len - 16);
				it->data = b;
				it->len = f->len - 4;
			}
		}
		it->ptype = info->ptype;
		it->flags = info->rx_flags;
		it->vlan_tci = info->vlan_tci;
		it->hash = 0;
		if (info->hash_type != 0) {
			it->hash = evq_rss_hash_pkt(port->toeplitz, info);
			it->flags |= EVQ_RX_F_RSS;
			q = evq_rss_reta_lookup(port->reta, port->rss_hash_mask, it->hash);
		}
		qof[m++] = q;
		qmask |= 1u << q;
	}
	if (sim_likely(qmask == 1)) {
		sim_rxq_fill(port, 0, items, m);
		return;
	}
	/* group by queue, keeping each queue's order */
	while (qmask != 0) {
		struct sim_rx_item grp[SIM_BURST];
		unsigned int q = (unsigned int)__builtin_ctz(qmask), g = 0;

		qmask &= qmask - 1;
		for (k = 0; k < m; k++)
			if (qof[k] == q)
				grp[g++] = items[k];
		sim_rxq_fill(port, q, grp, g);
	}
}

void
sim_rx_deliver(struct sim_port *port, const struct sim_frame *frames, unsigned int n)
{
	if (sim_unlikely(!port->datapath)) {
		port->stats[EVQ_STAT_RX_FILTERED] += n;
		return;
	}
	while (n > SIM_BURST) {
		sim_rx_deliver_burst(port, frames, NULL, SIM_BURST);
		frames += SIM_BURST;
		n -= SIM_BURST;
	}
	sim_rx_deliver_burst(port, frames, NULL, n);
}

void
sim_rx_deliver_parsed(struct sim_port *port, const struct sim_frame *frames,
		const struct evq_pkt_info *const *infos, unsigned int n)
{
	if (sim_unlikely(!port->datapath)) {
		port->stats[EVQ_STAT_RX_FILTERED] += n;
		return;
	}
	while (n > SIM_BURST) {
		sim_rx_deliver_burst(port, frames, infos, SIM_BURST);
		frames += SIM_BURST;
		infos += SIM_BURST;
		n -= SIM_BURST;
	}
	sim_rx_deliver_burst(port, frames, infos, n);
}

/* ------------------------------------------------------------- TX ----- */

static inline void
sim_txq_report(struct sim_port *port, unsigned int q, struct sim_txq *txq)
{
	struct evq_ev_tx ev;
	uint16_t eqn = port->mvm_eq[EVQ_EVCLASS_TX][q];

	ev.ctrl = evq_ctrl_make(EVQ_EV_TX, (q << EVQ_EV_TX_QUEUE_SHIFT) |
			(txq->unreported > EVQ_EV_TX_COUNT_MASK ? EVQ_EV_TX_COUNT_MASK :
			 txq->unreported));
	ev.done_count = txq->head;
	ev.reserved[0] = ev.reserved[1] = 0;
	txq->unreported = 0;
	(void)sim_eq_post16(port, eqn, (const struct evq_event *)&ev, 1);
	if (port->dev_ctrl & EVQ_DEV_CTRL_CONV_IRQ)
		sim_conv_cause_queue(port, q);
}

/* An EQ came back after an overflow (EQ_SWITCH recovery): the TX events
 * it lost carried the completion counts; report each of its queues'
 * HEAD again, so that a driver whose ring is full learns it. */
void
sim_txq_resync(struct sim_port *port, uint16_t eqn)
{
	unsigned int q;

	for (q = 0; q < EVQ_MAX_QUEUES; q++)
		if (port->txq[q].enabled && port->mvm_eq[EVQ_EVCLASS_TX][q] == eqn)
			sim_txq_report(port, q, &port->txq[q]);
}

static void
sim_tx_bad(struct sim_port *port, unsigned int q, struct sim_txq *txq,
		enum evq_err err, uint32_t idx, uint64_t iova)
{
	txq->dropped++;
	txq->errors++;
	port->stats[EVQ_STAT_TX_ERRORS]++;
	if (err == EVQ_ERR_DMA) {
		port->cnt.tx_drop_dma++;
		port->stats[EVQ_STAT_DMA_FAULTS]++;
		sim_dev_error(port, EVQ_ERR_DMA, EVQ_ERR_OBJ(EVQ_OBJ_TX_BUF, q), iova);
	} else {
		port->cnt.tx_drop_desc++;
		sim_dev_error(port, EVQ_ERR_TX_DESC, EVQ_ERR_OBJ(EVQ_OBJ_TXQ, q),
			idx & txq->mask);
	}
}

/* Hand the frames gathered so far to the wire and count them. */
static inline void
sim_tx_flush(struct sim_port *port, struct sim_txq *txq, struct sim_frame *frames,
		uint32_t *nf, uint64_t *bytes)
{
	if (*nf == 0)
		return;
	port->wire->tx(port, frames, *nf);
	txq->packets += *nf;
	txq->bytes += *bytes;
	port->stats[EVQ_STAT_TX_PACKETS] += *nf;
	port->stats[EVQ_STAT_TX_BYTES] += *bytes;
	*nf = 0;
	*bytes = 0;
}

/*
 * A packet whose first descriptor asks for offloads (datasheet "TX
 * offloads"): gather it (a TSO packet into the engine's TSO buffer, up to
 * EVQ_TSO_MAX_BYTES), then either apply checksums and tag insertion in its
 * bounce slot, or cut it into segments, each a frame of its own (flushing
 * the burst when the slots run out).
 */
static void
sim_tx_offloaded(struct sim_engine *eng, struct sim_port *port, unsigned int q,
		struct sim_txq *txq, uint32_t first, uint32_t nseg, struct sim_frame *frames,
		uint32_t *nf, uint64_t *bytes)
{
	const struct evq_tx_desc *d = &txq->ring[first & txq->mask];
	uint16_t flags = d->flags, mss = d->mss, tci = d->vlan_tci;
	bool tso = (flags & EVQ_TX_DESC_F_TSO) != 0;
	uint32_t max = tso ? EVQ_TSO_MAX_BYTES : port->frame_max;
	uint32_t extra = (flags & EVQ_TX_DESC_F_VLAN) ? 4 : 0, len = 0, idx, i, n;
	uint8_t *dst = tso ? eng->tso_buf : eng->bounce + (size_t)*nf * SIM_FRAME_MAX;
	struct sim_offload_hdrs h;

	for (idx = 0; idx < nseg; idx++) {
		const struct evq_tx_desc *s = &txq->ring[(first + idx) & txq->mask];
		const uint8_t *src;

		if (s->len == 0 || (s->flags & ~EVQ_TX_DESC_F_VALID_MASK) || len + s->len > max) {
			sim_tx_bad(port, q, txq, EVQ_ERR_TX_DESC, first, 0);
			return;
		}
		src = sim_dma_xlate(port->dma, s->buf_iova, s->len, EVQ_VFU_DMA_F_READ,
				&txq->dma_hint);
		if (src == NULL) {
			sim_tx_bad(port, q, txq, EVQ_ERR_DMA, first, s->buf_iova);
			return;
		}
		memcpy(dst + len, src, s->len);
		len += s->len;
	}
	if (!tso) {
		if (len < EVQ_FRAME_MIN || len + extra > port->frame_max) {
			sim_tx_bad(port, q, txq, EVQ_ERR_TX_DESC, first, 0);
			return;
		}
	} else if (sim_offload_parse(dst, len, &h) != 0 || h.proto != 6 ||
			mss < EVQ_TSO_MSS_MIN || h.hdr_len + mss + extra > port->frame_max) {
		sim_tx_bad(port, q, txq, EVQ_ERR_TX_DESC, first, 0);
		return;
	}
	if (sim_unlikely(!port->link_up)) {
		txq->dropped++;
		port->stats[EVQ_STAT_TX_ERRORS]++;
		return;
	}
	if (!tso) {
		len = sim_offload_apply(dst, len, flags, tci);
		frames[*nf].data = dst;
		frames[*nf].len = len;
		*bytes += len;
		(*nf)++;
		return;
	}
	n = sim_tso_count(&h, mss);
	for (i = 0; i < n; i++) {
		uint8_t *out;

		if (*nf == SIM_BURST)
			sim_tx_flush(port, txq, frames, nf, bytes);
		out = eng->bounce + (size_t)*nf * SIM_FRAME_MAX;
		len = sim_tso_segment(dst, &h, mss, i, flags, tci, out);
		frames[*nf].data = out;
		frames[*nf].len = len;
		*bytes += len;
		(*nf)++;
	}
}

/* Process a TX queue: returns the number of descriptors completed. */
static unsigned int
sim_txq_process(struct sim_engine *eng, struct sim_port *port, unsigned int q)
{
	struct sim_txq *txq = &port->txq[q];
	const struct sim_dma_table *dma = port->dma;
	struct sim_frame frames[SIM_BURST];
	uint32_t tail, head, end, nf = 0;
	uint8_t *bounce = eng->bounce;
	uint64_t bytes = 0;
	bool rs = false;

	tail = __atomic_load_n(txq->tail_db, __ATOMIC_ACQUIRE);
	if (sim_unlikely(tail != txq->tail_seen)) {
		txq->tail_seen = tail;
		if (sim_unlikely(tail - txq->head > txq->mask + 1)) {
			port->stats[EVQ_STAT_BAD_TAILS]++;
			sim_dev_error(port, EVQ_ERR_TAIL, EVQ_ERR_OBJ(EVQ_OBJ_TXQ, q), tail);
		} else {
			txq->tail = tail;
			port->cnt.tail_doorbells++;
		}
	}
	head = txq->head;
	if (head == txq->tail) {
		if (sim_unlikely(txq->unreported != 0))
			sim_txq_report(port, q, txq);
		return 0;
	}
	end = txq->tail - head > SIM_TX_DESC_BURST ? head + SIM_TX_DESC_BURST : txq->tail;
	while (head != end && nf < SIM_BURST) {
		const struct evq_tx_desc *d = &txq->ring[head & txq->mask];
		uint32_t nseg = 0, len = 0, first = head, idx;
		bool bad = false, eop = false;
		enum evq_err err = EVQ_ERR_TX_DESC;
		uint64_t bad_iova = 0;
		const uint8_t *seg0 = NULL;

		__builtin_prefetch(&txq->ring[(head + 4) & txq->mask]);
		/* find the packet's EOP inside the posted range */
		for (idx = head; idx != txq->tail; idx++) {
			const struct evq_tx_desc *s = &txq->ring[idx & txq->mask];

			nseg++;
			if (s->flags & EVQ_TX_DESC_F_EOP) {
				eop = true;
				break;
			}
			if (nseg > EVQ_TX_MAX_SEGS)
				break;
		}
		if (!eop && nseg <= EVQ_TX_MAX_SEGS)
			break;		/* wait for the rest of the packet */
		if (!eop) {
			/* more than 16 segments: drop the 17 looked at */
			sim_tx_bad(port, q, txq, EVQ_ERR_TX_DESC, head, 0);
			head += nseg;
			continue;
		}
		if (sim_unlikely(d->flags & EVQ_TX_DESC_F_OFFLOAD_MASK)) {
			for (idx = 0; idx < nseg; idx++)
				rs |= (txq->ring[(first + idx) & txq->mask].flags &
						EVQ_TX_DESC_F_RS) != 0;
			head += nseg;
			sim_tx_offloaded(eng, port, q, txq, first, nseg, frames, &nf, &bytes);
			continue;
		}
		if (sim_likely(nseg == 1)) {
			if (sim_unlikely(d->len == 0 || (d->flags & ~EVQ_TX_DESC_F_VALID_MASK))) {
				bad = true;
			} else {
				seg0 = sim_dma_xlate(dma, d->buf_iova, d->len,
						EVQ_VFU_DMA_F_READ, &txq->dma_hint);
				if (sim_unlikely(seg0 == NULL)) {
					bad = true;
					err = EVQ_ERR_DMA;
					bad_iova = d->buf_iova;
				}
				len = d->len;
			}
			rs |= (d->flags & EVQ_TX_DESC_F_RS) != 0;
		} else {
			uint8_t *dst = bounce + (size_t)nf * SIM_FRAME_MAX;

			for (idx = 0; idx < nseg; idx++) {
				const struct evq_tx_desc *s = &txq->ring[(first + idx) & txq->mask];
				const uint8_t *src;

				rs |= (s->flags & EVQ_TX_DESC_F_RS) != 0;
				if (bad)
					continue;
				if (s->len == 0 || (s->flags & ~EVQ_TX_DESC_F_VALID_MASK) ||
						len + s->len > SIM_FRAME_MAX) {
					bad = true;
					continue;
				}
				src = sim_dma_xlate(dma, s->buf_iova, s->len,
						EVQ_VFU_DMA_F_READ, &txq->dma_hint);
				if (src == NULL) {
					bad = true;
					err = EVQ_ERR_DMA;
					bad_iova = s->buf_iova;
					continue;
				}
				memcpy(dst + len, src, s->len);
				len += s->len;
			}
			seg0 = dst;
		}
		head += nseg;
		if (sim_unlikely(bad)) {
			sim_tx_bad(port, q, txq, err, first, bad_iova);
			continue;
		}
		if (sim_unlikely(len < EVQ_FRAME_MIN || len > port->frame_max)) {
			sim_tx_bad(port, q, txq, EVQ_ERR_TX_DESC, first, 0);
			continue;
		}
		if (sim_unlikely(!port->link_up)) {
			port->cnt.tx_drop_link++;
			txq->dropped++;
			port->stats[EVQ_STAT_TX_ERRORS]++;
			continue;
		}
		frames[nf].data = seg0;
		frames[nf].len = len;
		bytes += len;
		nf++;
	}
	sim_tx_flush(port, txq, frames, &nf, &bytes);
	if (head == txq->head)
		return 0;
	txq->unreported += head - txq->head;
	txq->head = head;
	if (rs || txq->unreported >= txq->coal || head == txq->tail)
		sim_txq_report(port, q, txq);
	return 1;
}

/* ------------------------------------------------------------- EQs ---- */

static inline void
sim_eq_poll(struct sim_port *port, struct sim_eq *eq)
{
	struct evq_ring_prod *p = &eq->prod;
	uint64_t word = __atomic_load_n(p->doorbell, __ATOMIC_ACQUIRE);
	uint64_t bad_before;
	int ret;

	/* nothing new and not armed, no held signal: nothing to evaluate */
	if (sim_likely(word == p->last_doorbell && !(word & EVQ_DB_ARMED) &&
			!p->signal_held))
		return;
	if (word == p->last_doorbell && (word & EVQ_DB_ARMED) &&
			(uint32_t)word == p->write && !p->signal_held)
		return;		/* armed, nothing pending */
	bad_before = p->stats.bad_doorbells;
	ret = evq_ring_prod_poll(p);
	if (sim_unlikely(ret == -EINVAL) && p->stats.bad_doorbells != bad_before)
		sim_dev_error(port, EVQ_ERR_DOORBELL, EVQ_ERR_OBJ(EVQ_OBJ_EQ, eq->num), word);
}

static inline void
sim_port_poll_eqs(struct sim_port *port)
{
	uint32_t m = port->eq_defined_mask;

	while (m != 0) {
		struct sim_eq *eq = &port->eq[__builtin_ctz(m)];

		m &= m - 1;
		if (sim_unlikely(eq->prod.defined == EVQ_RING_UNDEFINED))
			continue;
		if (eq->wi_dirty) {
			eq->wi_dirty = false;
			if (eq->wi_interval == 0)
				evq_ring_prod_publish(&eq->prod);
		}
		sim_eq_poll(port, eq);
	}
}

/* ------------------------------------------------------------ loop ---- */

static unsigned int
sim_port_run(struct sim_engine *eng, struct sim_port *port, uint64_t now)
{
	unsigned int work = 0;

	if (port->dev_ctrl & EVQ_DEV_CTRL_ENABLE) {
		uint32_t m = port->txq_enabled_mask;

		while (m != 0) {
			unsigned int q = (unsigned int)__builtin_ctz(m);

			m &= m - 1;
			work += sim_txq_process(eng, port, q);
		}
		if (port->wire->rx_poll != NULL)
			work += port->wire->rx_poll(port, now);
	}
	{
		/* judge new RX tails promptly, traffic or not */
		uint32_t m = port->rxq_enabled_mask;

		while (m != 0) {
			unsigned int q = (unsigned int)__builtin_ctz(m);

			m &= m - 1;
			sim_rxq_refresh_tail(port, q, &port->rxq[q]);
		}
	}
	if (port->eq_defined_mask != 0)
		sim_port_poll_eqs(port);
	return work;
}

unsigned int
sim_engine_run_once(struct sim_engine *eng, bool *active)
{
	unsigned int i, work = 0;
	uint64_t now = 0;

	if (active != NULL)
		*active = false;
	sim_engine_serve_rpc(eng);
	for (i = 0; i < eng->nb_ports; i++) {
		struct sim_port *port = eng->ports[i];

		if (port->eq_defined_mask == 0 && port->rxq_enabled_mask == 0 &&
				!(port->dev_ctrl & EVQ_DEV_CTRL_ENABLE))
			continue;
		if (active != NULL)
			*active = true;
		if (port->wire->rx_poll != NULL && now == 0)
			now = sim_now_ns();
		work += sim_port_run(eng, port, now);
	}
	eng->loops++;
	return work;
}

static void *
sim_engine_main(void *arg)
{
	struct sim_engine *eng = arg;
	unsigned int idle = 0;

	while (!__atomic_load_n(&eng->stop, __ATOMIC_ACQUIRE)) {
		uint32_t wake = __atomic_load_n(&sim_engine_wake_word, __ATOMIC_ACQUIRE);
		bool active;
		unsigned int work = sim_engine_run_once(eng, &active);

		if (work != 0) {
			eng->busy_loops++;
			idle = 0;
			continue;
		}
		if (!active) {
			/* no device in use: sleep until a request or 10 ms */
			sim_engine_idle_wait(wake, 10 * 1000 * 1000);
			continue;
		}
		if (sim_opts.poll_sleep_us != 0 && ++idle >= 1024) {
			struct timespec ts = { 0, (long)sim_opts.poll_sleep_us * 1000 };

			nanosleep(&ts, NULL);
		}
	}
	sim_engine_serve_rpc(eng);
	__atomic_store_n(&eng->running, false, __ATOMIC_RELEASE);
	return NULL;
}

int
sim_engine_init(struct sim_engine *eng)
{
	eng->bounce = sim_zalloc((size_t)SIM_BURST * SIM_FRAME_MAX);
	eng->tso_buf = sim_zalloc(EVQ_TSO_MAX_BYTES);
	if (eng->bounce == NULL || eng->tso_buf == NULL)
		return -ENOMEM;
	return 0;
}

int
sim_engine_start(struct sim_engine *eng, int cpu)
{
	int ret;

	__atomic_store_n(&eng->running, true, __ATOMIC_RELEASE);
	ret = pthread_create(&sim_engine_thread, NULL, sim_engine_main, eng);
	if (ret != 0) {
		__atomic_store_n(&eng->running, false, __ATOMIC_RELEASE);
		return -ret;
	}
	pthread_setname_np(sim_engine_thread, "evq-sim-engine");
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		ret = pthread_setaffinity_np(sim_engine_thread, sizeof(set), &set);
		if (ret != 0)
			SIM_LOG(WARNING, "cannot pin the engine to CPU %d: %s", cpu,
				strerror(ret));
	}
	return 0;
}

void
sim_engine_stop(struct sim_engine *eng)
{
	if (!__atomic_load_n(&eng->running, __ATOMIC_ACQUIRE))
		return;
	__atomic_store_n(&eng->stop, true, __ATOMIC_RELEASE);
	sim_engine_wake();
	pthread_join(sim_engine_thread, NULL);
}
