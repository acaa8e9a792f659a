/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_intr.c: interrupts of net_evq.
 * Owns: EQ 0 (global events: link, device errors, EQ overflows, admin
 * completions) and its vector-0 handler; the Rx queue interrupt ops
 * (enable = evq_ring_arm(), ONE doorbell store; disable = disarm); the
 * summary line and the handler of an adapter interrupt shared by several
 * EQs (shared MSI-X vectors, INTx: it finds the EQs with work in the
 * summary line and wakes each armed queue's own eventfd), with the Rx
 * interrupt handle the application sees in that case; and the recovery
 * of a queue EQ that overflowed, while the port runs. How a vector
 * reaches us is the transport's business (evq_transport.h): it calls
 * evq_intr_global_handler() when vector 0 fires, and evq_intr_demux() for
 * an interrupt that serves several EQs.
 *
 * Nothing here reads a device register on the interrupt path: the cause of
 * an interrupt is the EQ entries in host memory. The only register access
 * is the EQ 0 health check, run from an alarm (control context) when a
 * vector-0 wake-up found nothing that explains it.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include <rte_alarm.h>
#include <rte_cycles.h>
#include <rte_interrupts.h>
#include <rte_memzone.h>

#include "evq_ethdev.h"

/* How many EQ 0 locks this thread holds (evq_eq0_lock(), evq_ethdev.h). */
RTE_DEFINE_PER_LCORE(unsigned int, evq_eq0_lock_held);

/* ------------------------------------------------------------------ */
/* EQ 0                                                               */
/* ------------------------------------------------------------------ */

static const char *
evq_err_name(uint32_t code)
{
	static const char * const names[] = {
		[EVQ_ERR_NONE] = "none",
		[EVQ_ERR_BAD_ACCESS] = "bad register access",
		[EVQ_ERR_READ_ONLY] = "write to a read-only register",
		[EVQ_ERR_BAD_VALUE] = "bad register value",
		[EVQ_ERR_BAD_STATE] = "register written in the wrong state",
		[EVQ_ERR_DOORBELL] = "malformed EQ doorbell",
		[EVQ_ERR_TAIL] = "malformed tail doorbell",
		[EVQ_ERR_DMA] = "DMA outside every mapping",
		[EVQ_ERR_RX_DESC] = "bad RX descriptor",
		[EVQ_ERR_TX_DESC] = "bad TX descriptor",
		[EVQ_ERR_MVM_CONFLICT] = "message-vector map conflict",
		[EVQ_ERR_EQ_LOST] = "event for an undefined EQ",
	};

	return code < RTE_DIM(names) && names[code] != NULL ? names[code] : "unknown";
}

static void evq_eq_recover_alarm(void *arg);

/* The EQ of started queue EQ number e, and the queue's overflow counters. */
static struct evq_eq *
evq_queue_eq(struct evq_adapter *ad, uint16_t e, uint64_t **ovf, uint64_t **lost)
{
	struct rte_eth_dev_data *data = ad->eth_dev->data;
	uint16_t tx0 = evq_txq_eq_num(ad, 0);

	/* a shared EQ belongs to its Rx queue (evq_ethdev.h, layouts) */
	if (ad->args.layout != EVQ_LAYOUT_QUEUE)
		tx0 = UINT16_MAX;
	if (e >= 1 && e < 1 + data->nb_rx_queues && e < tx0) {
		struct evq_rx_queue *rxq = data->rx_queues[e - 1];

		if (rxq == NULL || !rxq->started)
			return NULL;
		*ovf = &rxq->stats.eq_overflows;
		*lost = &rxq->stats.eq_lost;
		return &rxq->eq;
	}
	if (e >= tx0 && e < tx0 + data->nb_tx_queues) {
		struct evq_tx_queue *txq = data->tx_queues[e - tx0];

		if (txq == NULL || !txq->started)
			return NULL;
		*ovf = &txq->stats.eq_overflows;
		*lost = &txq->stats.eq_lost;
		return &txq->eq;
	}
	return NULL;
}

/* EVQ_EV_EQ_OVERFLOW: mark the queue's EQ for recovery (eq0_lock held). */
static void
evq_eq_overflow_event(struct evq_adapter *ad, uint16_t e, uint32_t stop, uint32_t lost)
{
	uint64_t *ovf, *lostc;
	struct evq_eq *eq = evq_queue_eq(ad, e, &ovf, &lostc);
	uint32_t read;

	if (eq == NULL || !eq->defined) {
		EVQ_DEV_LOG(ERR, ad, "EQ %u overflowed at write count %u (%u events lost) "
				"and belongs to no started queue", e, stop, lost);
		return;
	}
	/*
	 * The adapter stops at most a ring ahead of the read count it last
	 * saw, which is behind the consumer's; the consumer never reads past
	 * it. A recovery may be in flight: the adapter can fill (and
	 * overflow) the new ring while the consumer is still on the old one
	 * and before eq->size says the new size, so the reach is two rings
	 * of the largest size a recovery gives (grow_max). A count outside
	 * that would put the switch marker where the consumer never goes (or
	 * over live events): ignored.
	 */
	read = __atomic_load_n(&eq->cons.read, __ATOMIC_RELAXED);
	if ((uint32_t)(stop - read) > 2 * RTE_MAX(eq->grow_max, eq->size)) {
		EVQ_DEV_LOG(ERR, ad, "EQ %u: overflow event with write count %u, but the "
				"consumer is at %u (%u entries): ignored", e, stop, read,
				eq->size);
		return;
	}
	EVQ_DEV_LOG(WARNING, ad, "EQ %u (%s queue %u) overflowed at write count %u: "
			"recovering it while the port runs", e, eq->what, eq->qid, stop);
	eq->ovf_pending = true;
	eq->ovf_stop = stop;
	evq_eq_recover_kick(ad);
}

static void
evq_eq0_event(struct evq_adapter *ad, const struct evq_event *ev)
{
	uint32_t ctrl = rte_le_to_cpu_32(ev->ctrl);
	uint32_t param = evq_ctrl_param(ctrl);

	switch (evq_ctrl_code(ctrl)) {
	case EVQ_EV_LINK:
		ad->gstats.link_events++;
		evq_link_set_from_event(ad, param, rte_le_to_cpu_32(ev->w[0]));
		break;
	case EVQ_EV_EQ_OVERFLOW:
		ad->gstats.eq_overflows++;
		evq_eq_overflow_event(ad, (uint16_t)(param & EVQ_EV_OVERFLOW_EQ_MASK),
				rte_le_to_cpu_32(ev->w[0]), rte_le_to_cpu_32(ev->w[1]));
		break;
	case EVQ_EV_DEV_ERROR:
		ad->gstats.dev_errors++;
		EVQ_DEV_LOG(WARNING, ad, "device error %u (%s): detail 0x%08x value 0x%08x%08x",
				param & EVQ_EV_ERROR_CODE_MASK,
				evq_err_name(param & EVQ_EV_ERROR_CODE_MASK),
				rte_le_to_cpu_32(ev->w[0]), rte_le_to_cpu_32(ev->w[2]),
				rte_le_to_cpu_32(ev->w[1]));
		break;
	case EVQ_EV_ADMIN:
		ad->gstats.admin_events++;
		break;
	default:
		ad->gstats.other_events++;
		break;
	}
}

/* Consume every pending EQ 0 entry. eq0_lock held. */
static unsigned int
evq_eq0_process_locked(struct evq_adapter *ad)
{
	struct evq_event ev[16];
	unsigned int n, i, total = 0;

	if (!ad->eq0.defined)
		return 0;
	do {
		n = evq_ring_poll_burst(&ad->eq0.cons, ev, RTE_DIM(ev));
		for (i = 0; i < n; i++)
			evq_eq0_event(ad, &ev[i]);
		total += n;
	} while (n == RTE_DIM(ev) && total < ad->eq0.size);
	ad->gstats.eq0_events += total;
	return total;
}

static void
evq_lsc_alarm(void *arg)
{
	struct evq_adapter *ad = arg;
	bool fire;

	if (ad->closed)
		return;
	evq_link_publish(ad, &fire);
	if (fire && ad->eth_dev->data->dev_conf.intr_conf.lsc)
		rte_eth_dev_callback_process(ad->eth_dev, RTE_ETH_EVENT_INTR_LSC, NULL);
}

/*
 * Control path: consume EQ 0 (link_update, after admin commands). A link
 * change found here is reported from an alarm so that the application's
 * LSC callback never runs inside an ethdev call.
 */
unsigned int
evq_eq0_poll(struct evq_adapter *ad)
{
	unsigned int n;
	bool lsc;

	evq_eq0_lock(ad);
	n = evq_eq0_process_locked(ad);
	if (n != 0) {
		ad->eq0_ctrl_consumed = true;
		evq_ring_arm(&ad->eq0.cons);
		ad->gstats.eq0_arms++;
	}
	lsc = ad->lsc_pending;
	evq_eq0_unlock(ad);
	if (lsc)
		rte_eal_alarm_set(1, evq_lsc_alarm, ad);
	return n;
}

/*
 * EQ 0 itself overflowed: the adapter then signals vector 0 once whatever
 * the arm state, and sets EVQ_DEV_STATUS_EQ0_OVERFLOW. Recover as the
 * datasheet says: drain, EQ_SWITCH onto the same (now empty) ring from the
 * count where posting stopped, attach there, arm. Runs from an alarm.
 */
static void
evq_eq0_check_alarm(void *arg)
{
	struct evq_adapter *ad = arg;
	struct evq_eq *eq = &ad->eq0;
	uint32_t status, args[EVQ_ADMIN_NARGS] = { 0 }, count = 0;
	uint64_t iova;
	struct evq_ring_cons_conf conf;
	int ret;

	if (ad->removed || ad->closed || !eq->defined)
		return;
	if (evq_reg_read32(ad, EVQ_REG_DEV_STATUS, &status) != 0 ||
			!(status & EVQ_DEV_STATUS_EQ0_OVERFLOW))
		return;
	EVQ_DEV_LOG(WARNING, ad, "EQ 0 overflowed (global events lost): recovering");
	evq_eq0_lock(ad);
	evq_eq0_process_locked(ad);
	evq_eq0_unlock(ad);
	iova = evq_dma_addr(ad, eq->mz->addr, eq->mz->iova);
	args[0] = 0;
	args[1] = (uint32_t)iova;
	args[2] = (uint32_t)(iova >> 32);
	args[3] = eq->size;
	ret = evq_admin(ad, EVQ_ADMIN_EQ_SWITCH, args, &count, NULL);
	if (ret != 0) {
		EVQ_DEV_LOG(ERR, ad, "EQ 0 recovery failed: %s; reset the port", strerror(-ret));
		return;
	}
	evq_eq_cons_conf(ad, eq, &conf);
	evq_eq0_lock(ad);
	evq_eq_clear(eq);
	evq_ring_cons_attach(&eq->cons, &conf, count);
	evq_ring_arm(&eq->cons);
	ad->gstats.eq0_arms++;
	evq_eq0_unlock(ad);
	/* Link events may have been lost: take the state from the registers. */
	{
		uint32_t l[2];

		if (evq_reg_read(ad, EVQ_REG_LINK_STATUS, l, sizeof(l)) == 0) {
			evq_eq0_lock(ad);
			evq_link_set_from_event(ad, rte_le_to_cpu_32(l[0]),
					rte_le_to_cpu_32(l[1]));
			evq_eq0_unlock(ad);
			evq_lsc_alarm(ad);
		}
	}
}

/*
 * Vector 0 fired (called by the transport's callback, interrupt thread,
 * after it drained its eventfd): consume EQ 0, re-arm with one store.
 */
void
evq_intr_global_handler(struct evq_adapter *ad)
{
	unsigned int n;
	bool lsc, unexplained;

	evq_eq0_lock(ad);
	if (!ad->eq0.defined || ad->closed) {
		evq_eq0_unlock(ad);
		return;
	}
	ad->gstats.eq0_interrupts++;
	n = evq_eq0_process_locked(ad);
	/* Nothing found, and the control path did not take it either. */
	unexplained = n == 0 && !ad->eq0_ctrl_consumed;
	if (n == 0)
		ad->gstats.eq0_spurious++;
	ad->eq0_ctrl_consumed = false;
	evq_ring_arm(&ad->eq0.cons);
	ad->gstats.eq0_arms++;
	evq_link_publish_locked(ad, &lsc);
	evq_eq0_unlock(ad);

	if (lsc && ad->eth_dev->data->dev_conf.intr_conf.lsc)
		rte_eth_dev_callback_process(ad->eth_dev, RTE_ETH_EVENT_INTR_LSC, NULL);
	if (unexplained)
		evq_eq0_check_later(ad);
}

/* The EQ 0 health check, 1 ms after the last interrupt nothing explained
 * (interrupt thread: the alarm cannot run meanwhile). */
void
evq_eq0_check_later(struct evq_adapter *ad)
{
	rte_eal_alarm_cancel(evq_eq0_check_alarm, ad);
	rte_eal_alarm_set(1000, evq_eq0_check_alarm, ad);
}

int
evq_eq0_setup(struct evq_adapter *ad)
{
	int ret;

	ret = evq_eq_alloc(ad, &ad->eq0, "global", 0, 0, ad->args.eq0_size,
			ad->eth_dev->data->numa_node);
	if (ret != 0)
		return ret;
	/* Without MSI-X, EQ 0 signals INTx too: its summary byte tells the
	 * INTx handler that global events are in. */
	if (ad->msix_vectors == 0) {
		ad->eq0.ctrl_flags = ad->summary != NULL ? EVQ_EQ_CTRL_SSUM : 0;
		ret = evq_reg_write32(ad, EVQ_REG_GLOBAL_IRQ, EVQ_GLOBAL_IRQ_LEGACY);
		if (ret != 0) {
			evq_eq_free(&ad->eq0);
			return ret;
		}
	}
	ret = evq_eq_define(ad, &ad->eq0, 0);
	if (ret == 0 && ad->tp_ops->intr_lsc_setup != NULL)
		ret = ad->tp_ops->intr_lsc_setup(ad);
	if (ret != 0) {
		evq_eq_undefine(ad, &ad->eq0);
		evq_eq_free(&ad->eq0);
		return ret;
	}
	evq_eq0_lock(ad);
	evq_ring_arm(&ad->eq0.cons);
	ad->gstats.eq0_arms++;
	evq_eq0_unlock(ad);
	return 0;
}

void
evq_eq0_teardown(struct evq_adapter *ad)
{
	bool was_defined;

	if (ad->eq0.mz == NULL)
		return;
	/* The vector-0 handler checks 'defined' under the lock: mark EQ 0
	 * undefined there, then disable it in the adapter after the lock is
	 * released (a register write is a round trip over vfio-user). */
	evq_eq0_lock(ad);
	was_defined = evq_eq_forget(&ad->eq0);
	evq_eq0_unlock(ad);
	if (was_defined)
		evq_eq_disable(ad, &ad->eq0);
	rte_eal_alarm_cancel(evq_eq0_check_alarm, ad);
	evq_eq_free(&ad->eq0);
}

void
evq_intr_cancel_alarms(struct evq_adapter *ad)
{
	rte_eal_alarm_cancel(evq_lsc_alarm, ad);
	rte_eal_alarm_cancel(evq_eq0_check_alarm, ad);
	rte_eal_alarm_cancel(evq_eq_recover_alarm, ad);
}

/* ------------------------------------------------------------------ */
/* Queue EQ overflow: recovery while the port runs                    */
/* ------------------------------------------------------------------ */

/*
 * Recover a queue's EQ that overflowed at write count stop (datasheet
 * "Overflow and recovery"); the adapter has left it UNDEFINED and drops
 * its events. Once the queue's lcore has used the entry where count stop
 * goes (it is then a ring behind no more), hand it a new ring, twice the
 * size up to grow_max, and write the switch marker at stop on the
 * adapter's behalf (evq_ring_cons_switch_at(): the lcore moves over by
 * itself when it gets there, no lock); then EVQ_ADMIN_EQ_SWITCH with
 * EVQ_ADMIN_SWITCH_F_MARKER defines the EQ on the new ring from stop + 1.
 * The events the adapter could not post are counted from EVQ_EQ_LOST.
 * Control context (alarm); the queue's datapath never waits.
 * @return 0, -EAGAIN (the lcore has not caught up yet: try again), or a
 *   negative errno (the queue stays stalled until the port restarts).
 */
static int
evq_eq_recover(struct evq_adapter *ad, struct evq_eq *eq, uint32_t stop, uint64_t *ovf,
		uint64_t *lostc)
{
	uint32_t size = RTE_MIN(2 * eq->size, RTE_MAX(eq->grow_max, eq->size));
	uint32_t args[EVQ_ADMIN_NARGS] = { 0 }, lost = 0, r0 = 0;
	const struct rte_memzone *mz;
	uint64_t iova;
	int ret;

	/* the ring before the last recovery, once the lcore has left it */
	if (eq->retired_mz != NULL) {
		if (__atomic_load_n(&eq->cons.next_base, __ATOMIC_ACQUIRE) != NULL)
			return -EAGAIN;
		rte_memzone_free(eq->retired_mz);
		eq->retired_mz = NULL;
	}
	if (eq->spare_mz == NULL || eq->spare_mz->len < (size_t)size * EVQ_EVENT_SIZE) {
		rte_memzone_free(eq->spare_mz);
		eq->spare_mz = evq_eq_mem(ad, eq, size);
		if (eq->spare_mz == NULL)
			return -ENOMEM;
	}
	mz = eq->spare_mz;
	ret = evq_ring_cons_switch_at(&eq->cons, stop, mz->addr, size);
	if (ret != 0)
		return ret;
	eq->spare_mz = NULL;
	iova = evq_dma_addr(ad, mz->addr, mz->iova);
	args[0] = eq->num;
	args[1] = (uint32_t)iova;
	args[2] = (uint32_t)(iova >> 32);
	args[3] = size;
	args[4] = 0;	/* the adapter's read count becomes the switch count */
	args[5] = EVQ_ADMIN_SWITCH_F_MARKER;
	ret = evq_admin(ad, EVQ_ADMIN_EQ_SWITCH, args, &r0, NULL);
	/* the lcore may follow the marker now or later: keep both rings */
	eq->retired_mz = eq->mz;
	eq->mz = mz;
	eq->size = size;
	if (ret != 0) {
		EVQ_DEV_LOG(ERR, ad, "EQ %u (%s queue %u): recovery failed: %s; the queue "
				"stalls until the port is stopped and started", eq->num,
				eq->what, eq->qid, strerror(-ret));
		return ret;
	}
	if (evq_reg_read32(ad, EVQ_REG_EQ(eq->num, EVQ_EQ_LOST), &lost) == 0) {
		*lostc += lost >= eq->lost_seen ? lost - eq->lost_seen : lost;
		eq->lost_seen = lost;
	}
	(*ovf)++;
	EVQ_DEV_LOG(NOTICE, ad, "EQ %u (%s queue %u) recovered at count %u: %u entries now; "
			"%" PRIu64 " events lost on it so far", eq->num, eq->what, eq->qid, r0,
			size, *lostc);
	return 0;
}

static void
evq_eq_recover_alarm(void *arg)
{
	struct evq_adapter *ad = arg;
	bool again = false;
	uint16_t e;

	if (ad->removed || ad->closed)
		return;
	for (e = 1; e < ad->max_eqs; e++) {
		uint64_t *ovf, *lost;
		struct evq_eq *eq;
		uint32_t stop = 0;
		bool pending;
		int ret;

		evq_eq0_lock(ad);
		eq = evq_queue_eq(ad, e, &ovf, &lost);
		pending = eq != NULL && eq->ovf_pending && eq->defined;
		if (pending)
			stop = eq->ovf_stop;
		evq_eq0_unlock(ad);
		if (!pending)
			continue;
		ret = evq_eq_recover(ad, eq, stop, ovf, lost);
		if (ret == -EAGAIN) {
			again = true;
			continue;
		}
		evq_eq0_lock(ad);
		/* a new overflow event may have come meanwhile: keep that one */
		if (eq->ovf_stop == stop)
			eq->ovf_pending = false;
		else
			again = true;
		evq_eq0_unlock(ad);
	}
	if (again)
		rte_eal_alarm_set(100, evq_eq_recover_alarm, ad);
}

/* Run the recovery soon (from EQ 0's handler or a queue stop). */
void
evq_eq_recover_kick(struct evq_adapter *ad)
{
	rte_eal_alarm_cancel(evq_eq_recover_alarm, ad);
	rte_eal_alarm_set(1, evq_eq_recover_alarm, ad);
}

/* A queue stops: no recovery may touch its EQ any more (waits for a
 * running one), the rings kept for it go; the others' recovery goes on. */
void
evq_eq_recover_cancel(struct evq_adapter *ad, struct evq_eq *eq)
{
	rte_eal_alarm_cancel(evq_eq_recover_alarm, ad);
	evq_eq0_lock(ad);
	eq->ovf_pending = false;
	evq_eq0_unlock(ad);
	rte_memzone_free(eq->spare_mz);
	eq->spare_mz = NULL;
	rte_memzone_free(eq->retired_mz);
	eq->retired_mz = NULL;
	if (ad->started)	/* a queue stopped alone: others may be pending */
		evq_eq_recover_kick(ad);
}

/* ------------------------------------------------------------------ */
/* Rx queue interrupts                                                */
/* ------------------------------------------------------------------ */

/* Arm the queue's EQ: one 64-bit doorbell store, nothing else. If events
 * are already pending the adapter signals at once. */
int
evq_rx_queue_intr_enable(struct rte_eth_dev *dev, uint16_t qid)
{
	struct evq_rx_queue *rxq = dev->data->rx_queues[qid];
	struct evq_eq *eq;

	if (rxq == NULL || !rxq->started)
		return -EINVAL;
	eq = evq_rxq_eq(rxq);
	/*
	 * On a shared interrupt the handler finds the queue by its summary
	 * byte, which the adapter sets when it posts. Events left from before
	 * the byte was last taken (the application did not drain them all)
	 * make the adapter signal at the arm without a new post: mark them.
	 */
	if ((eq->ctrl_flags & EVQ_EQ_CTRL_SSUM) && evq_ring_pending(&eq->cons))
		__atomic_store_n(&rxq->ad->summary->byte[eq->num], 1, __ATOMIC_RELAXED);
	/* before the arm: the shared-interrupt handler wakes armed queues only */
	__atomic_store_n(&rxq->armed, true, __ATOMIC_RELEASE);
	evq_ring_arm(&eq->cons);
	rxq->stats.arms++;
	return 0;
}

/* Disarm (one store); count whether the wake-up found work. */
int
evq_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t qid)
{
	struct evq_rx_queue *rxq = dev->data->rx_queues[qid];
	struct evq_eq *eq;

	if (rxq == NULL || !rxq->started)
		return -EINVAL;
	eq = evq_rxq_eq(rxq);
	if (!rxq->armed)
		return 0;
	__atomic_store_n(&rxq->armed, false, __ATOMIC_RELEASE);
	if (evq_ring_pending(&eq->cons))
		rxq->stats.wakeups++;
	else
		rxq->stats.spurious_wakeups++;
	evq_ring_disarm(&eq->cons);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Interrupt callbacks                                                */
/* ------------------------------------------------------------------ */

int
evq_intr_unregister(struct rte_intr_handle *h, rte_intr_callback_fn fn, void *arg)
{
	int ret, tries;

	for (tries = 0; tries < 1000; tries++) {
		ret = rte_intr_callback_unregister(h, fn, arg);
		if (ret != -EAGAIN)
			return ret < 0 ? ret : 0;
		/* The callback is running: from inside the interrupt thread
		 * we cannot wait for it, let EAL drop it afterwards. */
		if (rte_thread_is_intr())
			return rte_intr_callback_unregister_pending(h, fn, arg, NULL);
		rte_delay_ms(1);
	}
	return -EBUSY;
}

/* An eventfd for interrupt delivery (non-blocking: handlers drain it). */
int
evq_eventfd(void)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* ------------------------------------------------------------------ */
/* One adapter interrupt for several EQs: the summary line            */
/* ------------------------------------------------------------------ */

/*
 * The secondary summary line (datasheet "Summary bytes"): the adapter sets
 * byte e after posting to EQ e when EVQ_EQ_CTRL_SSUM is on. One 64-byte
 * line covers this revision's 32 EQs. Programmed at every init (a reset
 * clears the base register).
 */
int
evq_summary_setup(struct evq_adapter *ad)
{
	char name[RTE_MEMZONE_NAMESIZE];
	uint32_t regs[2];
	uint64_t iova;

	if (!(ad->caps & EVQ_CAP_SUMMARY))
		return 0;	/* the shared-interrupt handler then looks at every EQ */
	if (ad->summary_mz == NULL) {
		snprintf(name, sizeof(name), "evq%u_summary", ad->port_id);
		ad->summary_mz = rte_memzone_reserve_aligned(name, EVQ_SUMMARY_SECONDARY_SIZE,
				ad->eth_dev->data->numa_node, RTE_MEMZONE_IOVA_CONTIG,
				EVQ_SUMMARY_SECONDARY_SIZE);
		if (ad->summary_mz == NULL) {
			EVQ_DEV_LOG(ERR, ad, "cannot allocate the summary line: %s",
					rte_strerror(rte_errno));
			return -ENOMEM;
		}
	}
	memset(ad->summary_mz->addr, 0, EVQ_SUMMARY_SECONDARY_SIZE);
	ad->summary = ad->summary_mz->addr;
	iova = evq_dma_addr(ad, ad->summary_mz->addr, ad->summary_mz->iova);
	regs[0] = rte_cpu_to_le_32((uint32_t)iova);
	regs[1] = rte_cpu_to_le_32((uint32_t)(iova >> 32));
	return evq_reg_write(ad, EVQ_REG_SUMMARY_SECONDARY_LO, regs, sizeof(regs));
}

void
evq_summary_free(struct evq_adapter *ad)
{
	ad->summary = NULL;
	rte_memzone_free(ad->summary_mz);
	ad->summary_mz = NULL;
}

/* The Rx EQs of the queues that signal vector v (SHARED mode). */
uint64_t
evq_rxq_eqs_on_vector(const struct evq_adapter *ad, uint16_t nb_rxq, uint16_t vector)
{
	uint64_t eqs = 0;
	uint16_t q;

	for (q = 0; q < nb_rxq; q++)
		if (evq_rxq_vector(ad, nb_rxq, q) == vector)
			eqs |= 1ull << evq_rxq_eq_num(ad, q);
	return eqs;
}

/*
 * An adapter interrupt that serves the EQs in eqs fired (interrupt
 * thread, after its eventfd was drained). The summary line says which EQs
 * posted since their byte was last taken. For each armed Rx queue among
 * them: take its byte (cleared before the queue drains, so a racing post
 * leaves it set), then write the queue's own eventfd. A queue that is not
 * armed keeps its byte: when it arms with events pending, the adapter
 * signals at once and the byte is still there to be found. EQ 0's byte
 * (INTx without MSI-X) runs the global handler. An interrupt that nothing
 * explains (a queue disarmed just after its signal, or an EQ 0 overflow,
 * which signals without posting) schedules the EQ 0 health check, one
 * register read after the interrupts have been quiet for 1 ms. No device
 * register is read here.
 * @return the EQs handled.
 */
uint64_t
evq_intr_demux(struct evq_adapter *ad, uint64_t eqs)
{
	struct rte_eth_dev_data *data = ad->eth_dev->data;
	uint64_t set, wake = 0, qwake = 0, m;
	const uint64_t one = 1;
	bool global;
	uint16_t q;

	rte_spinlock_lock(&ad->demux_lock);
	ad->gstats.shared_irqs++;
	set = ad->summary != NULL ? evq_summary_peek(ad->summary) : UINT64_MAX;
	set &= eqs & (ad->demux_rx_eqs | 1);
	global = (set & 1) != 0;
	/* the armed Rx queues on the EQs found (one EQ may serve several) */
	for (q = 0; q < data->nb_rx_queues && (set & ~1ull) != 0; q++) {
		struct evq_rx_queue *rxq = data->rx_queues[q];
		uint64_t bit = 1ull << evq_rxq_eq_num(ad, q);

		if ((set & bit) && rxq != NULL &&
				__atomic_load_n(&rxq->armed, __ATOMIC_ACQUIRE)) {
			wake |= bit;
			qwake |= 1ull << q;
		}
	}
	if (ad->summary != NULL)
		evq_summary_take_mask(ad->summary, wake | (global ? 1 : 0));
	/*
	 * A byte can be stale: set by events the queue consumed while it was
	 * not armed, then found when another EQ's signal runs this handler.
	 * Taken above, it wakes the queue only if its EQ holds an event now.
	 * The adapter sets a byte after posting, and signals an armed EQ, so
	 * a post after the take sets the byte again and runs this again.
	 */
	for (m = qwake; m != 0; m &= m - 1) {
		struct evq_rx_queue *rxq;

		q = (uint16_t)__builtin_ctzll(m);
		rxq = data->rx_queues[q];
		if (!evq_ring_pending(&evq_rxq_eq(rxq)->cons)) {
			qwake &= ~(1ull << q);
			continue;
		}
		if (write(ad->rxq_wake_fd[q], &one, sizeof(one)) == sizeof(one))
			ad->gstats.shared_irq_wakeups++;
	}
	if (qwake == 0 && !global)
		ad->gstats.shared_irq_empty++;
	rte_spinlock_unlock(&ad->demux_lock);
	if (global)
		evq_intr_global_handler(ad);
	else if ((eqs & 1) && wake == 0)
		evq_eq0_check_later(ad);
	return wake | (global ? 1 : 0);
}

/* Which Rx EQs the shared-interrupt handler serves: set once the queues
 * are started, cleared before they stop (queue memory may go after). */
void
evq_intr_demux_start(struct evq_adapter *ad, uint16_t nb_rxq)
{
	uint64_t eqs = 0;
	uint16_t q;

	if (ad->irq_mode != EVQ_IRQ_MSIX_DIRECT)
		for (q = 0; q < nb_rxq; q++)
			eqs |= 1ull << evq_rxq_eq_num(ad, q);
	rte_spinlock_lock(&ad->demux_lock);
	ad->demux_rx_eqs = eqs;
	rte_spinlock_unlock(&ad->demux_lock);
}

void
evq_intr_demux_stop(struct evq_adapter *ad)
{
	rte_spinlock_lock(&ad->demux_lock);
	ad->demux_rx_eqs = 0;
	rte_spinlock_unlock(&ad->demux_lock);
}

static void
evq_irq_source_cb(void *arg)
{
	struct evq_irq_source *src = arg;
	uint64_t v;

	/* an EXT handle: EAL leaves the eventfd to us */
	while (read(src->fd, &v, sizeof(v)) == sizeof(v))
		;
	evq_intr_demux(src->ad, src->eqs);
}

/* Watch a transport eventfd that serves several EQs from the interrupt
 * thread. The fd stays the transport's. */
int
evq_irq_source_add(struct evq_adapter *ad, int fd, uint64_t eqs)
{
	struct evq_irq_source *src;
	int ret;

	if (ad->nb_irq_src >= RTE_DIM(ad->irq_src))
		return -ENOSPC;
	src = &ad->irq_src[ad->nb_irq_src];
	memset(src, 0, sizeof(*src));
	src->ad = ad;
	src->fd = fd;
	src->eqs = eqs;
	src->h = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (src->h == NULL)
		return -ENOMEM;
	if (rte_intr_type_set(src->h, RTE_INTR_HANDLE_EXT) != 0 ||
			rte_intr_fd_set(src->h, fd) != 0) {
		ret = -rte_errno;
		goto fail;
	}
	ret = rte_intr_callback_register(src->h, evq_irq_source_cb, src);
	if (ret != 0)
		goto fail;
	src->registered = true;
	ad->nb_irq_src++;
	return 0;
fail:
	rte_intr_instance_free(src->h);
	src->h = NULL;
	return ret;
}

void
evq_irq_sources_free(struct evq_adapter *ad)
{
	unsigned int i;

	for (i = 0; i < ad->nb_irq_src; i++) {
		struct evq_irq_source *src = &ad->irq_src[i];

		if (src->registered)
			evq_intr_unregister(src->h, evq_irq_source_cb, src);
		src->registered = false;
		rte_intr_instance_free(src->h);
		src->h = NULL;
	}
	ad->nb_irq_src = 0;
}

/*
 * The handle the application's Rx interrupt calls use (dev->intr_handle,
 * vdev kind), efd_counter_size 8 so that EAL drains an eventfd after a
 * wake-up. fds = the adapter's eventfds of vectors 1 .. nvec (DIRECT):
 * intr_vec[q] = RTE_INTR_VEC_RXTX_OFFSET + (queue q's vector) - 1, so
 * queues on one EQ (SINGLE layout) share its eventfd, as DPDK's contract
 * for shared vectors says; or NULL: one eventfd of our own per Rx queue,
 * which the shared-interrupt handler writes, intr_vec[q] = OFFSET + q.
 */
int
evq_rxq_handle_build(struct evq_adapter *ad, uint16_t nb_rxq, const int *fds)
{
	struct rte_eth_dev *dev = ad->eth_dev;
	uint16_t nb_efd = fds != NULL ? evq_rxq_nb_vectors(ad, nb_rxq) : nb_rxq;
	struct rte_intr_handle *h;
	unsigned int i;
	int ret;

	evq_rxq_handle_free(ad);
	if (fds == NULL) {
		for (i = 0; i < nb_rxq; i++) {
			ad->rxq_wake_fd[i] = evq_eventfd();
			if (ad->rxq_wake_fd[i] < 0) {
				ret = ad->rxq_wake_fd[i];
				ad->rxq_wake_fd[i] = -1;
				goto fail;
			}
		}
		fds = ad->rxq_wake_fd;
	}
	h = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (h == NULL) {
		ret = -ENOMEM;
		goto fail;
	}
	ad->rxq_handle = h;
	ad->tp_intr_handle = dev->intr_handle;
	dev->intr_handle = h;
	for (i = 0; i < nb_efd; i++)
		if (rte_intr_efds_index_set(h, i, fds[i]) != 0)
			goto fail_errno;
	if (rte_intr_nb_efd_set(h, nb_efd) != 0 ||
			rte_intr_max_intr_set(h, nb_efd + 1) != 0 ||
			rte_intr_type_set(h, RTE_INTR_HANDLE_VDEV) != 0 ||
			rte_intr_efd_counter_size_set(h, sizeof(uint64_t)) != 0 ||
			rte_intr_vec_list_alloc(h, "evq_intr_vec", nb_rxq) != 0)
		goto fail_errno;
	for (i = 0; i < nb_rxq; i++)
		if (rte_intr_vec_list_index_set(h, i, RTE_INTR_VEC_RXTX_OFFSET +
				evq_rxq_efd_index(ad, nb_rxq, (uint16_t)i)) != 0)
			goto fail_errno;
	return 0;
fail_errno:
	ret = -rte_errno;
fail:
	evq_rxq_handle_free(ad);
	return ret;
}

void
evq_rxq_handle_free(struct evq_adapter *ad)
{
	struct rte_eth_dev *dev = ad->eth_dev;
	unsigned int i;

	if (ad->rxq_handle != NULL) {
		rte_intr_vec_list_free(ad->rxq_handle);
		rte_intr_instance_free(ad->rxq_handle);
		if (dev->intr_handle == ad->rxq_handle)
			dev->intr_handle = ad->tp_intr_handle;
		ad->rxq_handle = NULL;
		ad->tp_intr_handle = NULL;
	}
	for (i = 0; i < RTE_DIM(ad->rxq_wake_fd); i++) {
		if (ad->rxq_wake_fd[i] >= 0)
			close(ad->rxq_wake_fd[i]);
		ad->rxq_wake_fd[i] = -1;
	}
}
