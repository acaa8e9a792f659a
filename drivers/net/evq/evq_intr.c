/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_intr.c: interrupts of net_evq.
 * Owns: EQ 0 (global events: link, device errors, EQ overflows, admin
 * completions) and its vector-0 handler; the Rx queue interrupt ops
 * (enable = evq_ring_arm(), ONE doorbell store; disable = disarm). How a
 * vector reaches us is the transport's business (evq_transport.h): it
 * calls evq_intr_global_handler() when vector 0 fires.
 *
 * Nothing here reads a device register on the interrupt path: the cause of
 * an interrupt is the EQ entries in host memory. The only register access
 * is the EQ 0 health check, run from an alarm (control context) when a
 * vector-0 wake-up found nothing that explains it.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_alarm.h>
#include <rte_cycles.h>
#include <rte_interrupts.h>

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
		EVQ_DEV_LOG(ERR, ad, "EQ %u overflowed at write count %u (%u events lost): "
				"the queue stalls until the port is stopped and started",
				param & EVQ_EV_OVERFLOW_EQ_MASK, rte_le_to_cpu_32(ev->w[0]),
				rte_le_to_cpu_32(ev->w[1]));
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

	if (rxq == NULL || !rxq->started)
		return -EINVAL;
	evq_ring_arm(&rxq->eq.cons);
	rxq->stats.arms++;
	rxq->armed = true;
	return 0;
}

/* Disarm (one store); count whether the wake-up found work. */
int
evq_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t qid)
{
	struct evq_rx_queue *rxq = dev->data->rx_queues[qid];

	if (rxq == NULL || !rxq->started)
		return -EINVAL;
	if (!rxq->armed)
		return 0;
	rxq->armed = false;
	if (evq_ring_pending(&rxq->eq.cons))
		rxq->stats.wakeups++;
	else
		rxq->stats.spurious_wakeups++;
	evq_ring_disarm(&rxq->eq.cons);
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
