/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * sim_eq: event queues and Rx/Tx queues of the adapter model: posting
 * events (and what happens when an EQ overflows or the device reports an
 * error), link changes, defining and undefining EQs from their registers
 * with every check the datasheet lists, enabling and disabling queues,
 * and re-resolving DMA addresses when the mappings change. Runs in the
 * engine thread (see sim.h).
 */

#include <errno.h>
#include <string.h>

#include "sim.h"
#include "sim_regs.h"

/* ---------------------------------------------------------- events --- */

static void
sim_eq_lost(struct sim_port *port, struct sim_eq *eq, unsigned int n)
{
	eq->lost += n;
	port->stats[EVQ_STAT_EVENTS_LOST] += n;
	if (!eq->lost_reported && eq->num != 0) {
		eq->lost_reported = true;
		sim_dev_error(port, EVQ_ERR_EQ_LOST,
			EVQ_ERR_OBJ(EVQ_OBJ_EQ, eq->num), eq->lost);
	}
}

/* Post n 16-byte events to EQ eqn (engine context). */
int
sim_eq_post16(struct sim_port *port, uint16_t eqn, const struct evq_event *ev,
		unsigned int n)
{
	struct sim_eq *eq = &port->eq[eqn];
	int ret;

	if (sim_unlikely(eq->prod.defined != EVQ_RING_UNARMED)) {
		sim_eq_lost(port, eq, n);
		return -ENODEV;
	}
	if (sim_likely(eq->prod.entry_size == EVQ_EVENT_SIZE)) {
		ret = evq_ring_post_burst(&eq->prod, ev, n);
	} else {
		uint8_t wide[SIM_RX_EV_MAX * 64] __attribute__((aligned(16)));
		uint32_t es = eq->prod.entry_size;
		unsigned int i;

		if (n > SIM_RX_EV_MAX)
			return -EINVAL;
		memset(wide, 0, (size_t)n * es);
		for (i = 0; i < n; i++)
			memcpy(wide + (size_t)i * es, &ev[i], EVQ_EVENT_SIZE);
		ret = evq_ring_post_burst(&eq->prod, wide, n);
	}
	if (sim_unlikely(ret < 0)) {
		if (ret == -EOVERFLOW) {
			eq->lost += n;
			port->stats[EVQ_STAT_EVENTS_LOST] += n;
		}
		return ret;
	}
	port->stats[EVQ_STAT_EVENTS_POSTED] += n;
	if (eq->ctrl & EVQ_EQ_CTRL_WI_WB)
		eq->wi_dirty = true;
	return ret;
}

int
sim_post_event(struct sim_port *port, uint16_t eqn, const void *ev16)
{
	return sim_eq_post16(port, eqn, ev16, 1);
}

void
sim_dev_error(struct sim_port *port, enum evq_err code, uint32_t detail,
		uint64_t value)
{
	struct evq_ev_dev_error ev;
	uint64_t count;

	port->last_error[0] = code;
	port->last_error[1] = detail;
	port->last_error[2] = (uint32_t)value;
	port->last_error[3] = (uint32_t)(value >> 32);
	count = ++port->err_count[code & 15];
	sim_conv_cause(port, EVQ_CONV_CAUSE_ERROR);
	if ((count & (count - 1)) != 0)
		return;		/* rate limit: 1st, 2nd, 4th, 8th... */
	SIM_LOG(DEBUG, "port %u: device error %u detail 0x%x value 0x%llx (#%llu)",
		port->idx, (unsigned int)code, detail, (unsigned long long)value,
		(unsigned long long)count);
	ev.ctrl = evq_ctrl_make(EVQ_EV_DEV_ERROR, code);
	ev.detail = detail;
	ev.value_lo = (uint32_t)value;
	ev.value_hi = (uint32_t)(value >> 32);
	if (port->eq[0].prod.defined == EVQ_RING_UNARMED)
		(void)sim_eq_post16(port, 0, (const struct evq_event *)&ev, 1);
}

void
sim_illegal(struct sim_port *port, enum evq_err code, uint32_t detail,
		uint64_t value)
{
	port->stats[EVQ_STAT_ILLEGAL_ACCESSES]++;
	sim_dev_error(port, code, detail, value);
}

/* lib/evq_ring overflow hook: the EQ has just gone UNDEFINED. */
static void
sim_eq_overflow(void *arg, uint16_t ring, uint32_t write_count)
{
	struct sim_eq *eq = arg;
	struct sim_port *port = eq->port;
	struct evq_ev_eq_overflow ev;

	(void)ring;
	eq->overflowed = true;
	eq->overflows++;
	sim_conv_cause(port, EVQ_CONV_CAUSE_OVERFLOW);
	if (eq->num == 0) {
		/* nowhere to report it: status bit + one signal regardless of arm */
		port->dev_status_flags |= EVQ_DEV_STATUS_EQ0_OVERFLOW;
		sim_irq_raise(port, 0, (port->global_irq & EVQ_GLOBAL_IRQ_LEGACY) != 0, 0);
		return;
	}
	memset(&ev, 0, sizeof(ev));
	ev.ctrl = evq_ctrl_make(EVQ_EV_EQ_OVERFLOW, eq->num);
	ev.write_count = write_count;
	ev.lost = eq->lost;
	(void)sim_eq_post16(port, 0, (const struct evq_event *)&ev, 1);
}

void
sim_set_link(struct sim_port *port, bool up, uint32_t speed)
{
	struct evq_ev_link ev;

	if (speed != 0)
		port->link_speed = speed;
	if (up == port->link_up)
		return;
	port->link_up = up;
	sim_update_datapath(port);
	SIM_LOG(INFO, "port %u: link %s", port->idx, up ? "up" : "down");
	memset(&ev, 0, sizeof(ev));
	ev.ctrl = evq_ctrl_make(EVQ_EV_LINK, up ? (EVQ_LINK_UP |
			EVQ_LINK_FULL_DUPLEX | EVQ_LINK_AUTONEG) : 0);
	ev.speed_mbps = up ? port->link_speed : 0;
	sim_conv_cause(port, EVQ_CONV_CAUSE_LINK);
	if (port->eq[0].prod.defined == EVQ_RING_UNARMED)
		(void)sim_eq_post16(port, 0, (const struct evq_event *)&ev, 1);
}

void
sim_update_datapath(struct sim_port *port)
{
	port->datapath = (port->dev_ctrl & EVQ_DEV_CTRL_ENABLE) && port->link_up;
}

/* ------------------------------------------------------------- EQs --- */

void
sim_eq_undefine(struct sim_port *port, struct sim_eq *eq)
{
	evq_ring_prod_undefine(&eq->prod);
	port->eq_defined_mask &= ~(1u << eq->num);
}

/* Resolve an EQ's memory (entries, summary bytes, WI word). */
static int
sim_eq_resolve(struct sim_port *port, struct sim_eq *eq, uint64_t base,
		uint32_t size, uint32_t ctrl, struct evq_ring_prod_conf *conf)
{
	const uint32_t rw = EVQ_VFU_DMA_F_READ | EVQ_VFU_DMA_F_WRITE;
	uint32_t hint = 0;
	unsigned int e = eq->num;

	memset(conf, 0, sizeof(*conf));
	if (!is_pow2(size) || size < EVQ_EQ_SIZE_MIN || size > EVQ_EQ_SIZE_MAX ||
			(base & (EVQ_EQ_ALIGN - 1)) != 0)
		return -EINVAL;
	conf->base = sim_dma_xlate(port->dma, base, (uint64_t)size * eq->entry_size,
			rw, &hint);
	if (conf->base == NULL)
		return -EFAULT;
	if (ctrl & EVQ_EQ_CTRL_SSUM) {
		conf->summary = sim_dma_xlate(port->dma, port->sum_secondary +
				(e / 64) * 64 + e % 64, 1, rw, &hint);
		if (conf->summary == NULL || (port->sum_secondary & 63) != 0)
			return -EFAULT;
	}
	if (ctrl & EVQ_EQ_CTRL_PSUM) {
		if (!(ctrl & EVQ_EQ_CTRL_SSUM))
			return -EINVAL;
		conf->group_summary = sim_dma_xlate(port->dma,
				port->sum_primary + e / 64, 1, rw, &hint);
		if (conf->group_summary == NULL || (port->sum_primary & 63) != 0)
			return -EFAULT;
	}
	if (ctrl & EVQ_EQ_CTRL_WI_WB) {
		conf->write_indicator = sim_dma_xlate(port->dma, port->wi_base + 4 * e,
				4, rw, &hint);
		if (conf->write_indicator == NULL || (port->wi_base & 63) != 0)
			return -EFAULT;
		conf->write_publish_interval = eq->wi_interval;
	}
	conf->size = size;
	conf->entry_size = eq->entry_size;
	conf->ring_number = (uint16_t)e;
	conf->doorbell = (uint64_t *)(port->dbpage + EVQ_DBPAGE_EQ(e));
	conf->intr_mode = (ctrl & EVQ_EQ_CTRL_MODE_TIMESTAMP) ?
		EVQ_RING_INTR_TIMESTAMP : EVQ_RING_INTR_ARMED;
	conf->flags = (ctrl & EVQ_EQ_CTRL_MODE_TIMESTAMP) ? 0 :
		EVQ_RING_F_DEFERRED_EVAL;
	conf->moderation_delay_ns = eq->intr_delay;
	conf->validity = (ctrl & EVQ_EQ_CTRL_PHASE) ? EVQ_RING_VALIDITY_PHASE :
		EVQ_RING_VALIDITY_CLEAR;
	return 0;
}

int
sim_eq_define(struct sim_port *port, struct sim_eq *eq, uint64_t base,
		uint32_t size, uint32_t ctrl, uint32_t start_count)
{
	struct evq_ring_prod_conf conf;
	int ret;

	ret = sim_eq_resolve(port, eq, base, size, ctrl, &conf);
	if (ret != 0)
		return ret;
	conf.start_count = start_count;
	if (eq->prod.defined != EVQ_RING_UNDEFINED)
		evq_ring_prod_undefine(&eq->prod);
	ret = evq_ring_prod_define(&eq->prod, &conf);
	if (ret != 0)
		return ret;
	evq_ring_prod_set_signal(&eq->prod, sim_eq_signal, eq);
	evq_ring_prod_set_overflow(&eq->prod, sim_eq_overflow, eq);
	eq->overflowed = false;
	eq->lost_reported = false;
	eq->base = base;
	eq->size = size;
	port->eq_defined_mask |= 1u << eq->num;
	if (eq->num == 0)
		port->dev_status_flags &= ~EVQ_DEV_STATUS_EQ0_OVERFLOW;
	return 0;
}

/* Apply flag changes (SSUM, PSUM, WI_WB, MODE_TIMESTAMP) to a live EQ; its
 * validity rule (PHASE) stays what it was defined with (sim_eq_write()). */
int
sim_eq_apply_flags(struct sim_port *port, struct sim_eq *eq, uint32_t ctrl)
{
	struct evq_ring_prod_conf conf;
	int ret;

	ret = sim_eq_resolve(port, eq, eq->base, eq->size, ctrl, &conf);
	if (ret != 0)
		return ret;
	/* lib/evq_ring has no setters for these: the producer is ours alone */
	eq->prod.summary = conf.summary;
	eq->prod.group_summary = conf.group_summary;
	eq->prod.write_indicator = conf.write_indicator;
	eq->prod.write_publish_interval = conf.write_publish_interval;
	eq->prod.intr_mode = conf.intr_mode;
	eq->prod.flags = conf.flags;
	return 0;
}

/* Re-resolve every live EQ's areas after a base register or DMA change. */
void
sim_eq_refresh_all(struct sim_port *port)
{
	uint32_t m = port->eq_defined_mask;

	while (m != 0) {
		struct sim_eq *eq = &port->eq[__builtin_ctz(m)];

		m &= m - 1;
		if (eq->prod.defined == EVQ_RING_UNDEFINED)
			continue;
		if (sim_eq_apply_flags(port, eq, eq->ctrl) != 0) {
			/* its memory is gone: the EQ stops (datasheet: DMA fault) */
			port->stats[EVQ_STAT_DMA_FAULTS]++;
			evq_ring_prod_undefine(&eq->prod);
			sim_dev_error(port, EVQ_ERR_DMA, EVQ_ERR_OBJ(EVQ_OBJ_EQ, eq->num),
				eq->base);
		}
	}
}

/* ---------------------------------------------------------- queues --- */

void
sim_rxq_disable(struct sim_port *port, unsigned int q)
{
	struct sim_rxq *rxq = &port->rxq[q];

	rxq->enabled = false;
	rxq->ring = NULL;
	rxq->status &= ~EVQ_QSTATUS_ENABLED;
	port->rxq_enabled_mask &= ~(1u << q);
}

void
sim_txq_disable(struct sim_port *port, unsigned int q)
{
	struct sim_txq *txq = &port->txq[q];

	txq->enabled = false;
	txq->ring = NULL;
	txq->status &= ~EVQ_QSTATUS_ENABLED;
	port->txq_enabled_mask &= ~(1u << q);
}

int
sim_rxq_enable(struct sim_port *port, unsigned int q)
{
	struct sim_rxq *rxq = &port->rxq[q];
	uint32_t hint = 0;
	const void *ring;

	if (!is_pow2(rxq->size) || rxq->size < EVQ_DESC_COUNT_MIN ||
			rxq->size > EVQ_DESC_COUNT_MAX ||
			(rxq->base & (EVQ_RING_ALIGN - 1)) != 0 ||
			rxq->buf_size < EVQ_RX_BUF_SIZE_MIN ||
			rxq->buf_size > EVQ_RX_BUF_SIZE_MAX)
		return -EINVAL;
	ring = sim_dma_xlate(port->dma, rxq->base,
			(uint64_t)rxq->size * sizeof(struct evq_rx_desc),
			EVQ_VFU_DMA_F_READ, &hint);
	if (ring == NULL)
		return -EFAULT;
	rxq->ring = ring;
	rxq->mask = rxq->size - 1;
	rxq->head = 0;
	rxq->tail = 0;
	rxq->tail_seen = 0;
	rxq->dma_hint = 0;
	rxq->tail_db = (volatile uint32_t *)(port->dbpage + EVQ_DBPAGE_RXQ_TAIL(q));
	__atomic_store_n((uint32_t *)rxq->tail_db, 0, __ATOMIC_RELEASE);
	rxq->scatter = (rxq->ctrl & EVQ_RXQ_CTRL_SCATTER) != 0;
	rxq->timestamp = (rxq->ctrl & EVQ_RXQ_CTRL_TIMESTAMP) != 0;
	rxq->status = EVQ_QSTATUS_ENABLED;
	rxq->enabled = true;
	port->rxq_enabled_mask |= 1u << q;
	return 0;
}

int
sim_txq_enable(struct sim_port *port, unsigned int q)
{
	struct sim_txq *txq = &port->txq[q];
	uint32_t hint = 0;
	const void *ring;

	if (!is_pow2(txq->size) || txq->size < EVQ_DESC_COUNT_MIN ||
			txq->size > EVQ_DESC_COUNT_MAX ||
			(txq->base & (EVQ_RING_ALIGN - 1)) != 0)
		return -EINVAL;
	ring = sim_dma_xlate(port->dma, txq->base,
			(uint64_t)txq->size * sizeof(struct evq_tx_desc),
			EVQ_VFU_DMA_F_READ, &hint);
	if (ring == NULL)
		return -EFAULT;
	txq->ring = ring;
	txq->mask = txq->size - 1;
	txq->head = 0;
	txq->tail = 0;
	txq->tail_seen = 0;
	txq->unreported = 0;
	txq->dma_hint = 0;
	txq->tail_db = (volatile uint32_t *)(port->dbpage + EVQ_DBPAGE_TXQ_TAIL(q));
	__atomic_store_n((uint32_t *)txq->tail_db, 0, __ATOMIC_RELEASE);
	txq->status = EVQ_QSTATUS_ENABLED;
	txq->enabled = true;
	port->txq_enabled_mask |= 1u << q;
	return 0;
}

/*
 * After the DMA table changed (unmap): every object whose memory is no
 * longer mapped stops with a DMA fault, before the memory goes away.
 */
void
sim_dma_changed(struct sim_port *port)
{
	unsigned int q;

	for (q = 0; q < EVQ_MAX_QUEUES; q++) {
		uint32_t hint = 0;

		if (port->rxq[q].enabled && sim_dma_xlate(port->dma, port->rxq[q].base,
				(uint64_t)port->rxq[q].size * 16, EVQ_VFU_DMA_F_READ,
				&hint) == NULL) {
			sim_rxq_disable(port, q);
			port->rxq[q].status |= EVQ_QSTATUS_FAULT;
			port->stats[EVQ_STAT_DMA_FAULTS]++;
			sim_dev_error(port, EVQ_ERR_DMA, EVQ_ERR_OBJ(EVQ_OBJ_RXQ, q),
				port->rxq[q].base);
		}
		hint = 0;
		if (port->txq[q].enabled && sim_dma_xlate(port->dma, port->txq[q].base,
				(uint64_t)port->txq[q].size * 16, EVQ_VFU_DMA_F_READ,
				&hint) == NULL) {
			sim_txq_disable(port, q);
			port->txq[q].status |= EVQ_QSTATUS_FAULT;
			port->stats[EVQ_STAT_DMA_FAULTS]++;
			sim_dev_error(port, EVQ_ERR_DMA, EVQ_ERR_OBJ(EVQ_OBJ_TXQ, q),
				port->txq[q].base);
		}
	}
	sim_eq_refresh_all(port);
}
