/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * sim_regs: the adapter's programming model (doc/datasheet.rst) — reset,
 * the BAR0 control registers, admin commands, EQ/queue enable with their
 * validation, the message-vector map, interrupt delivery (MSI-X with mask
 * and PBA, INTx, the conventional baseline), device errors, the BAR4
 * MSI-X table, the BAR2 doorbell page through the socket, and the PCI
 * configuration space. Everything here runs in the engine thread (called
 * directly by it, or through sim_engine_call() from the control thread),
 * so it owns the device state without locks.
 */

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "sim.h"

#define SIM_CAPS_ALL	0x00003fffu
#define SIM_FW_VERSION	0x01000001u

static inline uint32_t
rd_le32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static inline void
wr_le32(void *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static bool
is_pow2(uint64_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

/* ------------------------------------------------------ interrupts --- */

static bool
sim_cfg_intx_disabled(const struct sim_port *port)
{
	uint16_t cmd;

	memcpy(&cmd, &port->cfg[0x04], 2);
	return (cmd & 0x400) != 0;
}

static void
sim_intx_fire(struct sim_port *port)
{
	if (port->intx_fd >= 0 && !port->intx_vfu_masked &&
			!sim_cfg_intx_disabled(port)) {
		port->intx_pending = false;
		evq_vfu_eventfd_signal(port->intx_fd);
	} else {
		port->intx_pending = true;
		port->stats[EVQ_STAT_IRQ_PENDED]++;
	}
}

static bool
sim_msix_deliverable(const struct sim_port *port, uint16_t v)
{
	return !port->msix_maskall &&
		!(port->msix_ctrl[v][3] & EVQ_MSIX_ENTRY_CTRL_MASKED) &&
		!port->msix_vfu_masked[v] && port->msix_fd[v] >= 0;
}

void
sim_irq_raise(struct sim_port *port, uint16_t eqn, bool legacy, uint16_t vector)
{
	if (legacy || !port->msix_enabled) {
		port->intx_status |= 1u << (eqn & 31);
		port->stats[EVQ_STAT_INTX_SIGNALS]++;
		sim_intx_fire(port);
		return;
	}
	if (vector >= EVQ_MSIX_VECTORS) {
		port->stats[EVQ_STAT_IRQ_PENDED]++;
		return;
	}
	if (!sim_msix_deliverable(port, vector)) {
		port->pba |= 1u << vector;
		port->stats[EVQ_STAT_IRQ_PENDED]++;
		return;
	}
	port->stats[EVQ_STAT_MSIX_SIGNALS]++;
	evq_vfu_eventfd_signal(port->msix_fd[vector]);
}

void
sim_irq_replay_pending(struct sim_port *port)
{
	uint32_t pba = port->pba;

	while (pba != 0 && port->msix_enabled) {
		uint16_t v = (uint16_t)__builtin_ctz(pba);

		pba &= pba - 1;
		if (!sim_msix_deliverable(port, v))
			continue;
		port->pba &= ~(1u << v);
		port->stats[EVQ_STAT_MSIX_SIGNALS]++;
		evq_vfu_eventfd_signal(port->msix_fd[v]);
	}
	if (port->intx_pending && port->intx_fd >= 0 && !port->intx_vfu_masked &&
			!sim_cfg_intx_disabled(port)) {
		port->intx_pending = false;
		evq_vfu_eventfd_signal(port->intx_fd);
	}
}

/* Conventional baseline: one interrupt for every cause. */
static void
sim_conv_signal(struct sim_port *port)
{
	port->stats[EVQ_STAT_CONV_SIGNALS]++;
	sim_irq_raise(port, 0, (port->global_irq & EVQ_GLOBAL_IRQ_LEGACY) != 0, 0);
}

static void
sim_conv_cause(struct sim_port *port, uint32_t bits)
{
	uint32_t before;

	if (!(port->dev_ctrl & EVQ_DEV_CTRL_CONV_IRQ))
		return;
	before = port->conv_cause & ~port->conv_mask;
	port->conv_cause |= bits;
	if (before == 0 && (port->conv_cause & ~port->conv_mask) != 0)
		sim_conv_signal(port);
}

void
sim_conv_cause_queue(struct sim_port *port, unsigned int q)
{
	sim_conv_cause(port, EVQ_CONV_CAUSE_QUEUE(q));
}

/* lib/evq_ring signal hook: the EQ's interrupt fires. */
static void
sim_eq_signal(void *arg, uint16_t ring)
{
	struct sim_eq *eq = arg;
	struct sim_port *port = eq->port;

	(void)ring;
	if (port->dev_ctrl & EVQ_DEV_CTRL_CONV_IRQ)
		return;		/* EQs never signal in the baseline mode */
	sim_irq_raise(port, eq->num, eq->legacy, eq->vector);
}

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

static void
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

/* ---------------------------------------------------- MVM bindings --- */

static void
sim_mvm_recompute(struct sim_port *port)
{
	unsigned int e, cls, q;

	for (e = 0; e < EVQ_MAX_EQS; e++) {
		port->eq[e].vector = (uint16_t)e;
		port->eq[e].legacy = false;
		port->eq[e].bound = false;
	}
	for (cls = 0; cls < EVQ_EVCLASS_COUNT; cls++) {
		for (q = 0; q < EVQ_MAX_QUEUES; q++) {
			uint32_t m = port->mvm[cls][q];
			struct sim_eq *eq;

			if (!(m & EVQ_MVM_VALID)) {
				port->mvm_eq[cls][q] = 0;
				continue;
			}
			eq = &port->eq[m & EVQ_MVM_EQ_MASK];
			port->mvm_eq[cls][q] = eq->num;
			eq->vector = (uint16_t)((m & EVQ_MVM_VECTOR_MASK) >>
					EVQ_MVM_VECTOR_SHIFT);
			eq->legacy = (m & EVQ_MVM_LEGACY) != 0;
			eq->bound = true;
		}
	}
	port->eq[0].vector = 0;
	port->eq[0].legacy = (port->global_irq & EVQ_GLOBAL_IRQ_LEGACY) != 0;
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
	return 0;
}

static int
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

/* Apply flag changes (SSUM, PSUM, WI_WB, MODE_TIMESTAMP) to a live EQ. */
static int
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
static void
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

static void
sim_rxq_disable(struct sim_port *port, unsigned int q)
{
	struct sim_rxq *rxq = &port->rxq[q];

	rxq->enabled = false;
	rxq->ring = NULL;
	rxq->status &= ~EVQ_QSTATUS_ENABLED;
	port->rxq_enabled_mask &= ~(1u << q);
}

static void
sim_txq_disable(struct sim_port *port, unsigned int q)
{
	struct sim_txq *txq = &port->txq[q];

	txq->enabled = false;
	txq->ring = NULL;
	txq->status &= ~EVQ_QSTATUS_ENABLED;
	port->txq_enabled_mask &= ~(1u << q);
}

static int
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
	rxq->status = EVQ_QSTATUS_ENABLED;
	rxq->enabled = true;
	port->rxq_enabled_mask |= 1u << q;
	return 0;
}

static int
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

/* ----------------------------------------------------------- reset --- */

/* Fold the current counters into the run totals (before a reset). */
static void
sim_stats_fold(struct sim_port *port)
{
	struct sim_life *l = &port->life;
	unsigned int i;

	for (i = 0; i < EVQ_STAT_COUNT; i++)
		l->stats[i] += port->stats[i];
	for (i = 0; i < EVQ_MAX_EQS; i++) {
		const struct evq_ring_prod_stats *s = &port->eq[i].prod.stats;

		l->eq_posted += s->posted;
		l->eq_signals += s->signals;
		l->eq_held += s->held;
		l->eq_doorbells += s->doorbells;
		l->eq_bad_doorbells += s->bad_doorbells;
		l->eq_overflows += port->eq[i].overflows;
		l->eq_lost += port->eq[i].lost;
	}
}

static void
sim_stats_reset(struct sim_port *port)
{
	unsigned int i;

	memset(port->stats, 0, sizeof(port->stats));
	for (i = 0; i < EVQ_MAX_EQS; i++) {
		memset(&port->eq[i].prod.stats, 0, sizeof(port->eq[i].prod.stats));
		port->eq[i].lost = 0;
		port->eq[i].overflows = 0;
	}
	for (i = 0; i < EVQ_MAX_QUEUES; i++) {
		port->rxq[i].packets = port->rxq[i].bytes = port->rxq[i].missed = 0;
		port->rxq[i].errors = 0;
		port->txq[i].packets = port->txq[i].bytes = port->txq[i].dropped = 0;
		port->txq[i].errors = 0;
	}
}

void
sim_dev_reset(struct sim_port *port, bool transport)
{
	unsigned int i;

	sim_stats_fold(port);
	for (i = 0; i < EVQ_MAX_EQS; i++) {
		struct sim_eq *eq = &port->eq[i];

		evq_ring_prod_init(&eq->prod);
		memset((uint8_t *)eq + offsetof(struct sim_eq, overflowed), 0,
			sizeof(*eq) - offsetof(struct sim_eq, overflowed));
		eq->port = port;
		eq->num = (uint16_t)i;
		eq->entry_size = EVQ_RESET_EQ_ENTRY_SIZE;
	}
	for (i = 0; i < EVQ_MAX_QUEUES; i++) {
		memset(&port->rxq[i], 0, sizeof(port->rxq[i]));
		port->rxq[i].buf_size = EVQ_RESET_RXQ_BUF_SIZE;
		memset(&port->txq[i], 0, sizeof(port->txq[i]));
		port->txq[i].coal = EVQ_TX_COAL_DEFAULT;
	}
	port->rxq_enabled_mask = 0;
	port->txq_enabled_mask = 0;
	port->eq_defined_mask = 0;
	port->dev_ctrl = 0;
	port->dev_status_flags = 0;
	port->mtu = EVQ_MTU_DEFAULT;
	port->frame_max = EVQ_MTU_DEFAULT + EVQ_FRAME_OVERHEAD;
	port->rx_filter = EVQ_RESET_RX_FILTER;
	memcpy(port->mac, port->perm_mac, 6);
	port->global_irq = 0;
	port->intx_status = 0;
	port->wi_base = port->sum_primary = port->sum_secondary = 0;
	port->scratch = 0;
	memset(port->admin_arg, 0, sizeof(port->admin_arg));
	port->admin_status = port->admin_errno = 0;
	port->admin_result[0] = port->admin_result[1] = 0;
	memset(port->last_error, 0, sizeof(port->last_error));
	memset(port->err_count, 0, sizeof(port->err_count));
	port->conv_cause = 0;
	port->conv_mask = EVQ_RESET_CONV_MASK;
	port->rss_ctrl = 0;
	port->rss_hash_mask = EVQ_RESET_RSS_HASH_MASK;
	memcpy(port->rss_key, evq_rss_default_key, EVQ_RSS_KEY_SIZE);
	evq_toeplitz_init(port->toeplitz, port->rss_key);
	memset(port->reta, 0, sizeof(port->reta));
	memset(port->mvm, 0, sizeof(port->mvm));
	for (i = 0; i < EVQ_MSIX_VECTORS; i++) {
		memset(port->msix_ctrl[i], 0, sizeof(port->msix_ctrl[i]));
		port->msix_ctrl[i][3] = EVQ_MSIX_ENTRY_CTRL_MASKED;
	}
	port->pba = 0;
	port->intx_pending = false;
	sim_stats_reset(port);
	sim_mvm_recompute(port);
	if (port->dbpage != NULL)
		memset(port->dbpage, 0, EVQ_BAR2_SIZE);
	if (transport) {
		for (i = 0; i < EVQ_MSIX_VECTORS; i++) {
			port->msix_fd[i] = -1;
			port->msix_vfu_masked[i] = false;
		}
		port->intx_fd = -1;
		port->intx_vfu_masked = false;
		port->msix_enabled = false;
		port->cfg[EVQ_PCI_CAP_MSIX_OFFSET + 3] &= (uint8_t)~0x80;
	}
	sim_update_datapath(port);
}

void
sim_port_init(struct sim_port *port, unsigned int idx)
{
	unsigned int i;

	port->idx = idx;
	/* locally administered, "EVQ" + port */
	port->perm_mac[0] = 0x02;
	port->perm_mac[1] = 0x45;
	port->perm_mac[2] = 0x56;
	port->perm_mac[3] = 0x51;
	port->perm_mac[4] = 0x00;
	port->perm_mac[5] = (uint8_t)idx;
	port->link_up = !sim_opts.link_down;
	port->link_speed = sim_opts.link_speed;
	port->intx_fd = -1;
	port->ctrl_intx_fd = -1;
	port->listen_fd = -1;
	port->dbpage_fd = -1;
	port->conn.fd = -1;
	for (i = 0; i < EVQ_MSIX_VECTORS; i++) {
		port->msix_fd[i] = -1;
		port->ctrl_msix_fd[i] = -1;
	}
	sim_cfg_reset(port);
	sim_dev_reset(port, true);
}

/* ---------------------------------------------------------- admin --- */

static int
sim_admin_eq_switch(struct sim_port *port)
{
	const uint32_t *arg = port->admin_arg;
	uint64_t new_base = arg[1] | ((uint64_t)arg[2] << 32);
	uint32_t new_size = arg[3];
	uint32_t advance = arg[4];
	struct sim_eq *eq;
	uint32_t hint = 0;
	void *mem;
	int ret;

	if (arg[0] >= sim_opts.eqs)
		return -ERANGE;
	if (arg[5] != 0 || !is_pow2(new_size) || new_size < EVQ_EQ_SIZE_MIN ||
			new_size > EVQ_EQ_SIZE_MAX || (new_base & (EVQ_EQ_ALIGN - 1)) != 0)
		return -EINVAL;
	eq = &port->eq[arg[0]];
	if (!(eq->ctrl & EVQ_EQ_CTRL_ENABLE))
		return -ENODEV;
	mem = sim_dma_xlate(port->dma, new_base, (uint64_t)new_size * eq->entry_size,
			EVQ_VFU_DMA_F_READ | EVQ_VFU_DMA_F_WRITE, &hint);
	if (mem == NULL)
		return -EFAULT;
	if (advance > eq->prod.write - eq->prod.read_seen)
		return -EINVAL;
	eq->prod.read_seen += advance;
	port->admin_result[1] = eq->prod.read_seen;
	if (eq->prod.defined != EVQ_RING_UNDEFINED) {
		uint32_t w = eq->prod.write;

		ret = evq_ring_prod_switch(&eq->prod, mem, new_size);
		if (ret != 0)
			return ret;
		port->admin_result[0] = w;
		eq->base = new_base;
		eq->size = new_size;
		return 0;
	}
	/* recovery after an overflow or a DMA fault: no marker */
	port->admin_result[0] = eq->prod.write;
	ret = sim_eq_define(port, eq, new_base, new_size, eq->ctrl, eq->prod.write);
	if (ret != 0)
		return ret == -EFAULT ? -EFAULT : -EINVAL;
	port->admin_result[1] = eq->prod.read_seen;
	return 0;
}

static int
sim_admin_post_test(struct sim_port *port)
{
	const uint32_t *arg = port->admin_arg;
	struct evq_ev_test ev;
	struct sim_eq *eq;
	int ret;

	if (arg[0] >= sim_opts.eqs)
		return -ERANGE;
	if (arg[1] > EVQ_CTRL_PARAM_MASK)
		return -EINVAL;
	eq = &port->eq[arg[0]];
	if (eq->prod.defined == EVQ_RING_UNDEFINED)
		return -ENODEV;
	ev.ctrl = evq_ctrl_make(EVQ_EV_TEST, arg[1]);
	ev.data[0] = arg[2];
	ev.data[1] = arg[3];
	ev.data[2] = arg[4];
	ret = sim_eq_post16(port, eq->num, (const struct evq_event *)&ev, 1);
	port->admin_result[0] = eq->prod.write;
	return ret < 0 ? ret : 0;
}

static void
sim_admin_execute(struct sim_port *port, uint32_t cmd)
{
	uint8_t opcode = cmd & EVQ_ADMIN_CMD_OPCODE_MASK;
	uint16_t tag = (uint16_t)(cmd >> EVQ_ADMIN_CMD_TAG_SHIFT);
	struct evq_ev_admin ev;
	int ret = 0;

	port->admin_result[0] = port->admin_result[1] = 0;
	switch (opcode) {
	case EVQ_ADMIN_NOP:
		break;
	case EVQ_ADMIN_EQ_SWITCH:
		ret = sim_admin_eq_switch(port);
		break;
	case EVQ_ADMIN_POST_TEST:
		ret = sim_admin_post_test(port);
		break;
	case EVQ_ADMIN_SET_LINK:
		if (port->admin_arg[0] & ~1u) {
			ret = -EINVAL;
			break;
		}
		sim_set_link(port, port->admin_arg[0] & 1, port->admin_arg[1]);
		break;
	case EVQ_ADMIN_STATS_RESET:
		sim_stats_fold(port);
		sim_stats_reset(port);
		break;
	default:
		ret = -EOPNOTSUPP;
		break;
	}
	port->stats[EVQ_STAT_ADMIN_COMMANDS]++;
	port->admin_errno = (uint32_t)-ret;
	port->admin_status = tag | EVQ_ADMIN_STATUS_DONE;
	memset(&ev, 0, sizeof(ev));
	ev.ctrl = evq_ctrl_make(EVQ_EV_ADMIN,
			((uint32_t)opcode << EVQ_EV_ADMIN_OPCODE_SHIFT) | tag);
	ev.errno_val = port->admin_errno;
	ev.result0 = port->admin_result[0];
	ev.result1 = port->admin_result[1];
	sim_conv_cause(port, EVQ_CONV_CAUSE_ADMIN);
	if (port->eq[0].prod.defined == EVQ_RING_UNARMED)
		(void)sim_eq_post16(port, 0, (const struct evq_event *)&ev, 1);
}

/* ------------------------------------------------------ BAR0 reads --- */

static uint64_t
sim_global_stat(const struct sim_port *port, unsigned int i)
{
	uint64_t v = port->stats[i];
	unsigned int e;

	for (e = 0; e < EVQ_MAX_EQS; e++) {
		const struct evq_ring_prod_stats *s = &port->eq[e].prod.stats;

		if (i == EVQ_STAT_DOORBELLS)
			v += s->doorbells;
		else if (i == EVQ_STAT_BAD_DOORBELLS)
			v += s->bad_doorbells;
		else if (i == EVQ_STAT_MODERATION_HELD)
			v += s->held;
	}
	return v;
}

static uint32_t
hi32(uint64_t v, bool hi)
{
	return hi ? (uint32_t)(v >> 32) : (uint32_t)v;
}

static uint32_t
sim_eq_read(const struct sim_port *port, unsigned int e, uint32_t reg)
{
	const struct sim_eq *eq = &port->eq[e];
	const struct evq_ring_prod *p = &eq->prod;

	switch (reg) {
	case EVQ_EQ_BASE_LO: return (uint32_t)eq->base;
	case EVQ_EQ_BASE_HI: return (uint32_t)(eq->base >> 32);
	case EVQ_EQ_SIZE: return eq->size;
	case EVQ_EQ_ENTRY_SIZE: return eq->entry_size;
	case EVQ_EQ_CTRL: return eq->ctrl;
	case EVQ_EQ_STATE:
		return (uint32_t)evq_ring_prod_state(p) |
			(eq->overflowed ? EVQ_EQ_STATE_OVERFLOWED : 0);
	case EVQ_EQ_WRITE_COUNT: return p->write;
	case EVQ_EQ_READ_COUNT: return p->read_seen;
	case EVQ_EQ_INTR_DELAY: return eq->intr_delay;
	case EVQ_EQ_WI_INTERVAL: return eq->wi_interval;
	case EVQ_EQ_INTR_TS_LO: return (uint32_t)p->next_interrupt_ts;
	case EVQ_EQ_INTR_TS_HI: return (uint32_t)(p->next_interrupt_ts >> 32);
	case EVQ_EQ_CEC: return evq_ring_prod_cec(p);
	case EVQ_EQ_IRQ:
		return (eq->vector & EVQ_EQ_IRQ_VECTOR_MASK) |
			(eq->legacy || !port->msix_enabled ? EVQ_EQ_IRQ_LEGACY : 0) |
			(eq->bound ? EVQ_EQ_IRQ_BOUND : 0);
	case EVQ_EQ_SIGNALS_LO: case EVQ_EQ_SIGNALS_HI:
		return hi32(p->stats.signals, reg == EVQ_EQ_SIGNALS_HI);
	case EVQ_EQ_POSTED_LO: case EVQ_EQ_POSTED_HI:
		return hi32(p->stats.posted, reg == EVQ_EQ_POSTED_HI);
	case EVQ_EQ_HELD_LO: case EVQ_EQ_HELD_HI:
		return hi32(p->stats.held, reg == EVQ_EQ_HELD_HI);
	case EVQ_EQ_BAD_DOORBELLS: return (uint32_t)p->stats.bad_doorbells;
	case EVQ_EQ_OVERFLOWS: return eq->overflows;
	case EVQ_EQ_LOST: return eq->lost;
	}
	return 0;
}

static uint32_t
sim_rxq_read(const struct sim_rxq *rxq, uint32_t reg)
{
	switch (reg) {
	case EVQ_RXQ_BASE_LO: return (uint32_t)rxq->base;
	case EVQ_RXQ_BASE_HI: return (uint32_t)(rxq->base >> 32);
	case EVQ_RXQ_SIZE: return rxq->size;
	case EVQ_RXQ_BUF_SIZE: return rxq->buf_size;
	case EVQ_RXQ_CTRL: return rxq->ctrl;
	case EVQ_RXQ_STATUS: return rxq->status;
	case EVQ_RXQ_HEAD: return rxq->head;
	case EVQ_RXQ_TAIL: return rxq->tail;
	case EVQ_RXQ_PACKETS_LO: case EVQ_RXQ_PACKETS_HI:
		return hi32(rxq->packets, reg == EVQ_RXQ_PACKETS_HI);
	case EVQ_RXQ_BYTES_LO: case EVQ_RXQ_BYTES_HI:
		return hi32(rxq->bytes, reg == EVQ_RXQ_BYTES_HI);
	case EVQ_RXQ_MISSED_LO: case EVQ_RXQ_MISSED_HI:
		return hi32(rxq->missed, reg == EVQ_RXQ_MISSED_HI);
	case EVQ_RXQ_ERRORS: return rxq->errors;
	}
	return 0;
}

static uint32_t
sim_txq_read(const struct sim_txq *txq, uint32_t reg)
{
	switch (reg) {
	case EVQ_TXQ_BASE_LO: return (uint32_t)txq->base;
	case EVQ_TXQ_BASE_HI: return (uint32_t)(txq->base >> 32);
	case EVQ_TXQ_SIZE: return txq->size;
	case EVQ_TXQ_COAL: return txq->coal_reg;
	case EVQ_TXQ_CTRL: return txq->ctrl;
	case EVQ_TXQ_STATUS: return txq->status;
	case EVQ_TXQ_HEAD: return txq->head;
	case EVQ_TXQ_TAIL: return txq->tail;
	case EVQ_TXQ_PACKETS_LO: case EVQ_TXQ_PACKETS_HI:
		return hi32(txq->packets, reg == EVQ_TXQ_PACKETS_HI);
	case EVQ_TXQ_BYTES_LO: case EVQ_TXQ_BYTES_HI:
		return hi32(txq->bytes, reg == EVQ_TXQ_BYTES_HI);
	case EVQ_TXQ_DROPPED_LO: case EVQ_TXQ_DROPPED_HI:
		return hi32(txq->dropped, reg == EVQ_TXQ_DROPPED_HI);
	case EVQ_TXQ_ERRORS: return txq->errors;
	}
	return 0;
}

static uint32_t
sim_mac_lo(const uint8_t *mac)
{
	return mac[0] | (uint32_t)mac[1] << 8 | (uint32_t)mac[2] << 16 |
		(uint32_t)mac[3] << 24;
}

static uint32_t
sim_mac_hi(const uint8_t *mac)
{
	return mac[4] | (uint32_t)mac[5] << 8;
}

static uint32_t
sim_bar0_read32(struct sim_port *port, uint32_t off)
{
	if (off >= EVQ_REG_TXQ_BASE) {
		uint32_t q = (off - EVQ_REG_TXQ_BASE) / EVQ_REG_TXQ_STRIDE;

		return q < sim_opts.queues ?
			sim_txq_read(&port->txq[q], off % EVQ_REG_TXQ_STRIDE) : 0;
	}
	if (off >= EVQ_REG_RXQ_BASE) {
		uint32_t q = (off - EVQ_REG_RXQ_BASE) / EVQ_REG_RXQ_STRIDE;

		return q < sim_opts.queues ?
			sim_rxq_read(&port->rxq[q], off % EVQ_REG_RXQ_STRIDE) : 0;
	}
	if (off >= EVQ_REG_EQ_BASE) {
		uint32_t e = (off - EVQ_REG_EQ_BASE) / EVQ_REG_EQ_STRIDE;

		return e < sim_opts.eqs ?
			sim_eq_read(port, e, off % EVQ_REG_EQ_STRIDE) : 0;
	}
	if (off >= EVQ_REG_STAT(0)) {
		uint32_t i = (off - EVQ_REG_STAT(0)) / 8;

		if (i >= EVQ_STAT_COUNT)
			return 0;
		return hi32(sim_global_stat(port, i), (off & 4) != 0);
	}
	if (off >= EVQ_REG_MVM(0, 0)) {
		uint32_t i = (off - EVQ_REG_MVM(0, 0)) / 4;

		if (i >= EVQ_EVCLASS_COUNT * EVQ_MAX_QUEUES)
			return 0;
		return port->mvm[i / EVQ_MAX_QUEUES][i % EVQ_MAX_QUEUES];
	}
	if (off >= EVQ_REG_RETA(0)) {
		uint32_t i = (off - EVQ_REG_RETA(0)) / 4;

		return i < EVQ_RETA_REGS ? rd_le32(&port->reta[4 * i]) : 0;
	}
	if (off >= EVQ_REG_RSS_KEY(0) && off < EVQ_REG_RSS_KEY(EVQ_RSS_KEY_REGS))
		return rd_le32(&port->rss_key[off - EVQ_REG_RSS_KEY(0)]);
	if (off >= EVQ_REG_ADMIN_ARG(0) && off < EVQ_REG_ADMIN_CMD)
		return port->admin_arg[(off - EVQ_REG_ADMIN_ARG(0)) / 4];

	switch (off) {
	case EVQ_REG_ID: return EVQ_ID_VALUE;
	case EVQ_REG_VERSION: return EVQ_VERSION_VALUE;
	case EVQ_REG_FW_VERSION: return SIM_FW_VERSION;
	case EVQ_REG_CAPS: return SIM_CAPS_ALL;
	case EVQ_REG_DEV_CTRL: return port->dev_ctrl;
	case EVQ_REG_DEV_STATUS:
		return EVQ_DEV_STATUS_READY | port->dev_status_flags |
			((port->dev_ctrl & EVQ_DEV_CTRL_ENABLE) ? EVQ_DEV_STATUS_ENABLED : 0) |
			((port->dev_ctrl & EVQ_DEV_CTRL_CONV_IRQ) ? EVQ_DEV_STATUS_CONV_IRQ : 0);
	case EVQ_REG_LINK_STATUS:
		return port->link_up ? (EVQ_LINK_UP | EVQ_LINK_FULL_DUPLEX |
				EVQ_LINK_AUTONEG) : 0;
	case EVQ_REG_LINK_SPEED: return port->link_up ? port->link_speed : 0;
	case EVQ_REG_MAC_LO: return sim_mac_lo(port->mac);
	case EVQ_REG_MAC_HI: return sim_mac_hi(port->mac);
	case EVQ_REG_MTU: return port->mtu;
	case EVQ_REG_RX_FILTER: return port->rx_filter;
	case EVQ_REG_MAX_QUEUES: return sim_opts.queues | (sim_opts.queues << 16);
	case EVQ_REG_MAX_EQS: return sim_opts.eqs | (sim_opts.vectors << 16);
	case EVQ_REG_RSS_CAPS:
		return EVQ_RETA_SIZE | (EVQ_RSS_KEY_SIZE << 16) | (EVQ_RSS_HASH_ALL << 24);
	case EVQ_REG_RING_LIMITS:
		return (uint32_t)__builtin_ctz(EVQ_DESC_COUNT_MIN) |
			(uint32_t)__builtin_ctz(EVQ_DESC_COUNT_MAX) << 8 |
			(uint32_t)__builtin_ctz(EVQ_EQ_SIZE_MIN) << 16 |
			(uint32_t)__builtin_ctz(EVQ_EQ_SIZE_MAX) << 24;
	case EVQ_REG_LOCAL_TIME_LO: return (uint32_t)sim_now_ns();
	case EVQ_REG_LOCAL_TIME_HI: return (uint32_t)(sim_now_ns() >> 32);
	case EVQ_REG_GLOBAL_IRQ: return port->global_irq;
	case EVQ_REG_INTX_STATUS: return port->intx_status;
	case EVQ_REG_WI_BASE_LO: return (uint32_t)port->wi_base;
	case EVQ_REG_WI_BASE_HI: return (uint32_t)(port->wi_base >> 32);
	case EVQ_REG_SUMMARY_PRIMARY_LO: return (uint32_t)port->sum_primary;
	case EVQ_REG_SUMMARY_PRIMARY_HI: return (uint32_t)(port->sum_primary >> 32);
	case EVQ_REG_SUMMARY_SECONDARY_LO: return (uint32_t)port->sum_secondary;
	case EVQ_REG_SUMMARY_SECONDARY_HI: return (uint32_t)(port->sum_secondary >> 32);
	case EVQ_REG_PERM_MAC_LO: return sim_mac_lo(port->perm_mac);
	case EVQ_REG_PERM_MAC_HI: return sim_mac_hi(port->perm_mac);
	case EVQ_REG_SCRATCH: return port->scratch;
	case EVQ_REG_ADMIN_STATUS: return port->admin_status;
	case EVQ_REG_ADMIN_ERRNO: return port->admin_errno;
	case EVQ_REG_ADMIN_RESULT0: return port->admin_result[0];
	case EVQ_REG_ADMIN_RESULT1: return port->admin_result[1];
	case EVQ_REG_LAST_ERROR: return port->last_error[0];
	case EVQ_REG_LAST_ERROR_DETAIL: return port->last_error[1];
	case EVQ_REG_LAST_ERROR_VALUE_LO: return port->last_error[2];
	case EVQ_REG_LAST_ERROR_VALUE_HI: return port->last_error[3];
	case EVQ_REG_CONV_CAUSE: return port->conv_cause;
	case EVQ_REG_CONV_MASK: return port->conv_mask;
	case EVQ_REG_RSS_CTRL: return port->rss_ctrl;
	case EVQ_REG_RSS_HASH_MASK: return port->rss_hash_mask;
	}
	return 0;	/* holes and write-only registers */
}

/* ----------------------------------------------------- BAR0 writes --- */

enum sim_reg_kind { SIM_REG_HOLE, SIM_REG_RO, SIM_REG_RW };

/* Classify a BAR0 register for writes. */
static enum sim_reg_kind
sim_bar0_kind(uint32_t off)
{
	if (off >= EVQ_REG_TXQ_BASE) {
		uint32_t q = (off - EVQ_REG_TXQ_BASE) / EVQ_REG_TXQ_STRIDE;
		uint32_t r = off % EVQ_REG_TXQ_STRIDE;

		if (q >= sim_opts.queues || r >= 0x3c)
			return SIM_REG_HOLE;
		return r <= EVQ_TXQ_CTRL ? SIM_REG_RW : SIM_REG_RO;
	}
	if (off >= EVQ_REG_RXQ_BASE) {
		uint32_t q = (off - EVQ_REG_RXQ_BASE) / EVQ_REG_RXQ_STRIDE;
		uint32_t r = off % EVQ_REG_RXQ_STRIDE;

		if (q >= sim_opts.queues || r >= 0x3c)
			return SIM_REG_HOLE;
		return r <= EVQ_RXQ_CTRL ? SIM_REG_RW : SIM_REG_RO;
	}
	if (off >= EVQ_REG_EQ_BASE) {
		uint32_t e = (off - EVQ_REG_EQ_BASE) / EVQ_REG_EQ_STRIDE;
		uint32_t r = off % EVQ_REG_EQ_STRIDE;

		if (e >= sim_opts.eqs || r >= 0x5c)
			return SIM_REG_HOLE;
		if (r <= EVQ_EQ_CTRL || r == EVQ_EQ_INTR_DELAY || r == EVQ_EQ_WI_INTERVAL)
			return SIM_REG_RW;
		return SIM_REG_RO;
	}
	if (off >= EVQ_REG_STAT(0))
		return off < EVQ_REG_STAT(EVQ_STAT_COUNT) ? SIM_REG_RO : SIM_REG_HOLE;
	if (off >= EVQ_REG_MVM(0, 0))
		return off < EVQ_REG_MVM(EVQ_EVCLASS_COUNT, 0) ? SIM_REG_RW : SIM_REG_HOLE;
	if (off >= EVQ_REG_RETA(0))
		return off < EVQ_REG_RETA(EVQ_RETA_REGS) ? SIM_REG_RW : SIM_REG_HOLE;
	if (off >= EVQ_REG_RSS_KEY(0))
		return off < EVQ_REG_RSS_KEY(EVQ_RSS_KEY_REGS) ? SIM_REG_RW : SIM_REG_HOLE;
	if (off >= EVQ_REG_ADMIN_ARG(0) && off <= EVQ_REG_ADMIN_CMD)
		return SIM_REG_RW;
	switch (off) {
	case EVQ_REG_ID: case EVQ_REG_VERSION: case EVQ_REG_FW_VERSION:
	case EVQ_REG_CAPS: case EVQ_REG_DEV_STATUS: case EVQ_REG_LINK_STATUS:
	case EVQ_REG_LINK_SPEED: case EVQ_REG_MAX_QUEUES: case EVQ_REG_MAX_EQS:
	case EVQ_REG_RSS_CAPS: case EVQ_REG_RING_LIMITS: case EVQ_REG_LOCAL_TIME_LO:
	case EVQ_REG_LOCAL_TIME_HI: case EVQ_REG_PERM_MAC_LO: case EVQ_REG_PERM_MAC_HI:
	case EVQ_REG_ADMIN_STATUS: case EVQ_REG_ADMIN_ERRNO: case EVQ_REG_ADMIN_RESULT0:
	case EVQ_REG_ADMIN_RESULT1: case EVQ_REG_LAST_ERROR:
	case EVQ_REG_LAST_ERROR_DETAIL: case EVQ_REG_LAST_ERROR_VALUE_LO:
	case EVQ_REG_LAST_ERROR_VALUE_HI: case EVQ_REG_CONV_CAUSE:
		return SIM_REG_RO;
	case EVQ_REG_DEV_CTRL: case EVQ_REG_MAC_LO: case EVQ_REG_MAC_HI:
	case EVQ_REG_MTU: case EVQ_REG_RX_FILTER: case EVQ_REG_GLOBAL_IRQ:
	case EVQ_REG_INTX_STATUS: case EVQ_REG_WI_BASE_LO: case EVQ_REG_WI_BASE_HI:
	case EVQ_REG_SUMMARY_PRIMARY_LO: case EVQ_REG_SUMMARY_PRIMARY_HI:
	case EVQ_REG_SUMMARY_SECONDARY_LO: case EVQ_REG_SUMMARY_SECONDARY_HI:
	case EVQ_REG_SCRATCH: case EVQ_REG_CONV_MASK: case EVQ_REG_CONV_ACK:
	case EVQ_REG_RSS_CTRL: case EVQ_REG_RSS_HASH_MASK:
		return SIM_REG_RW;
	}
	return SIM_REG_HOLE;
}

static void
sim_set_lo(uint64_t *reg, uint32_t v)
{
	*reg = (*reg & ~0xffffffffull) | v;
}

static void
sim_set_hi(uint64_t *reg, uint32_t v)
{
	*reg = (*reg & 0xffffffffull) | ((uint64_t)v << 32);
}

static void
sim_eq_write(struct sim_port *port, unsigned int e, uint32_t reg, uint32_t v,
		uint32_t off)
{
	struct sim_eq *eq = &port->eq[e];
	bool enabled = (eq->ctrl & EVQ_EQ_CTRL_ENABLE) != 0;
	int ret;

	switch (reg) {
	case EVQ_EQ_BASE_LO: case EVQ_EQ_BASE_HI: case EVQ_EQ_SIZE:
	case EVQ_EQ_ENTRY_SIZE:
		if (enabled) {
			sim_illegal(port, EVQ_ERR_BAD_STATE, off, v);
			return;
		}
		if (reg == EVQ_EQ_BASE_LO)
			sim_set_lo(&eq->base, v);
		else if (reg == EVQ_EQ_BASE_HI)
			sim_set_hi(&eq->base, v);
		else if (reg == EVQ_EQ_SIZE) {
			if (!is_pow2(v) || v < EVQ_EQ_SIZE_MIN || v > EVQ_EQ_SIZE_MAX) {
				sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
				return;
			}
			eq->size = v;
		} else {
			if (v != 16 && v != 32 && v != 64) {
				sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
				return;
			}
			eq->entry_size = v;
		}
		return;
	case EVQ_EQ_CTRL:
		if ((v & ~EVQ_EQ_CTRL_VALID_MASK) ||
				((v & EVQ_EQ_CTRL_PSUM) && !(v & EVQ_EQ_CTRL_SSUM))) {
			sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
			return;
		}
		if (!(v & EVQ_EQ_CTRL_ENABLE)) {
			if (enabled)
				sim_eq_undefine(port, eq);
			eq->ctrl = v;
			return;
		}
		if (!enabled) {
			eq->ctrl = v;
			ret = sim_eq_define(port, eq, eq->base, eq->size, v, 0);
			if (ret != 0) {
				eq->ctrl = 0;
				sim_illegal(port, EVQ_ERR_BAD_STATE, off, v);
			}
			return;
		}
		if (eq->prod.defined != EVQ_RING_UNDEFINED &&
				sim_eq_apply_flags(port, eq, v) != 0) {
			sim_illegal(port, EVQ_ERR_BAD_STATE, off, v);
			return;
		}
		eq->ctrl = v;
		return;
	case EVQ_EQ_INTR_DELAY:
		eq->intr_delay = v;
		evq_ring_prod_set_moderation(&eq->prod, v);
		return;
	case EVQ_EQ_WI_INTERVAL:
		eq->wi_interval = v;
		if (eq->ctrl & EVQ_EQ_CTRL_WI_WB)
			eq->prod.write_publish_interval = v;
		return;
	}
}

static void
sim_rxq_write(struct sim_port *port, unsigned int q, uint32_t reg, uint32_t v,
		uint32_t off)
{
	struct sim_rxq *rxq = &port->rxq[q];

	if (reg != EVQ_RXQ_CTRL && rxq->enabled) {
		sim_illegal(port, EVQ_ERR_BAD_STATE, off, v);
		return;
	}
	switch (reg) {
	case EVQ_RXQ_BASE_LO: sim_set_lo(&rxq->base, v); return;
	case EVQ_RXQ_BASE_HI: sim_set_hi(&rxq->base, v); return;
	case EVQ_RXQ_SIZE:
		if (!is_pow2(v) || v < EVQ_DESC_COUNT_MIN || v > EVQ_DESC_COUNT_MAX) {
			sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
			return;
		}
		rxq->size = v;
		return;
	case EVQ_RXQ_BUF_SIZE:
		if (v < EVQ_RX_BUF_SIZE_MIN || v > EVQ_RX_BUF_SIZE_MAX) {
			sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
			return;
		}
		rxq->buf_size = v;
		return;
	case EVQ_RXQ_CTRL:
		if (v & ~EVQ_RXQ_CTRL_VALID_MASK) {
			sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
			return;
		}
		if (!(v & EVQ_RXQ_CTRL_ENABLE)) {
			sim_rxq_disable(port, q);
			rxq->ctrl = v;
			return;
		}
		rxq->ctrl = v;
		if (rxq->enabled) {
			rxq->scatter = (v & EVQ_RXQ_CTRL_SCATTER) != 0;
			return;
		}
		if (sim_rxq_enable(port, q) != 0) {
			rxq->ctrl &= ~EVQ_RXQ_CTRL_ENABLE;
			sim_illegal(port, EVQ_ERR_BAD_STATE, off, v);
		}
		return;
	}
}

static void
sim_txq_write(struct sim_port *port, unsigned int q, uint32_t reg, uint32_t v,
		uint32_t off)
{
	struct sim_txq *txq = &port->txq[q];

	if (reg == EVQ_TXQ_COAL) {
		if (v > 0xffff) {
			sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
			return;
		}
		txq->coal_reg = v;
		txq->coal = v != 0 ? v : EVQ_TX_COAL_DEFAULT;
		return;
	}
	if (reg != EVQ_TXQ_CTRL && txq->enabled) {
		sim_illegal(port, EVQ_ERR_BAD_STATE, off, v);
		return;
	}
	switch (reg) {
	case EVQ_TXQ_BASE_LO: sim_set_lo(&txq->base, v); return;
	case EVQ_TXQ_BASE_HI: sim_set_hi(&txq->base, v); return;
	case EVQ_TXQ_SIZE:
		if (!is_pow2(v) || v < EVQ_DESC_COUNT_MIN || v > EVQ_DESC_COUNT_MAX) {
			sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
			return;
		}
		txq->size = v;
		return;
	case EVQ_TXQ_CTRL:
		if (v & ~EVQ_TXQ_CTRL_VALID_MASK) {
			sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
			return;
		}
		if (!(v & EVQ_TXQ_CTRL_ENABLE)) {
			sim_txq_disable(port, q);
			txq->ctrl = v;
			return;
		}
		txq->ctrl = v;
		if (txq->enabled)
			return;
		if (sim_txq_enable(port, q) != 0) {
			txq->ctrl = 0;
			sim_illegal(port, EVQ_ERR_BAD_STATE, off, v);
		}
		return;
	}
}

static void
sim_mvm_write(struct sim_port *port, unsigned int i, uint32_t v, uint32_t off)
{
	unsigned int cls = i / EVQ_MAX_QUEUES, q = i % EVQ_MAX_QUEUES;
	unsigned int c2, q2;

	if (v & EVQ_MVM_VALID) {
		uint32_t eqn = v & EVQ_MVM_EQ_MASK;
		uint32_t vec = (v & EVQ_MVM_VECTOR_MASK) >> EVQ_MVM_VECTOR_SHIFT;

		if ((v & EVQ_MVM_RESERVED_MASK) || eqn >= sim_opts.eqs ||
				vec >= sim_opts.vectors) {
			sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
			return;
		}
		for (c2 = 0; c2 < EVQ_EVCLASS_COUNT && eqn != 0; c2++) {
			for (q2 = 0; q2 < EVQ_MAX_QUEUES; q2++) {
				uint32_t o = port->mvm[c2][q2];

				if ((c2 == cls && q2 == q) || !(o & EVQ_MVM_VALID) ||
						(o & EVQ_MVM_EQ_MASK) != eqn)
					continue;
				if ((o & (EVQ_MVM_VECTOR_MASK | EVQ_MVM_LEGACY)) !=
						(v & (EVQ_MVM_VECTOR_MASK | EVQ_MVM_LEGACY))) {
					sim_illegal(port, EVQ_ERR_MVM_CONFLICT, off, v);
					return;
				}
			}
		}
	} else if (v & ~EVQ_MVM_VALID & (EVQ_MVM_RESERVED_MASK)) {
		sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
		return;
	}
	port->mvm[cls][q] = v;
	sim_mvm_recompute(port);
}

static void
sim_dev_ctrl_write(struct sim_port *port, uint32_t v, uint32_t off)
{
	if (v & ~EVQ_DEV_CTRL_VALID_MASK) {
		sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
		return;
	}
	if (v & EVQ_DEV_CTRL_RESET) {
		sim_dev_reset(port, false);
		return;
	}
	if ((v ^ port->dev_ctrl) & EVQ_DEV_CTRL_CONV_IRQ)
		port->conv_cause = 0;
	port->dev_ctrl = v;
	sim_update_datapath(port);
}

/* One 32-bit register write. Returns true if the RSS key changed. */
static bool
sim_bar0_write32(struct sim_port *port, uint32_t off, uint32_t v)
{
	enum sim_reg_kind kind = sim_bar0_kind(off);

	if (kind == SIM_REG_HOLE) {
		sim_illegal(port, EVQ_ERR_BAD_ACCESS, off, 4);
		return false;
	}
	if (kind == SIM_REG_RO) {
		sim_illegal(port, EVQ_ERR_READ_ONLY, off, v);
		return false;
	}
	if (off >= EVQ_REG_TXQ_BASE) {
		sim_txq_write(port, (off - EVQ_REG_TXQ_BASE) / EVQ_REG_TXQ_STRIDE,
			off % EVQ_REG_TXQ_STRIDE, v, off);
		return false;
	}
	if (off >= EVQ_REG_RXQ_BASE) {
		sim_rxq_write(port, (off - EVQ_REG_RXQ_BASE) / EVQ_REG_RXQ_STRIDE,
			off % EVQ_REG_RXQ_STRIDE, v, off);
		return false;
	}
	if (off >= EVQ_REG_EQ_BASE) {
		sim_eq_write(port, (off - EVQ_REG_EQ_BASE) / EVQ_REG_EQ_STRIDE,
			off % EVQ_REG_EQ_STRIDE, v, off);
		return false;
	}
	if (off >= EVQ_REG_MVM(0, 0)) {
		sim_mvm_write(port, (off - EVQ_REG_MVM(0, 0)) / 4, v, off);
		return false;
	}
	if (off >= EVQ_REG_RETA(0)) {
		unsigned int i;

		for (i = 0; i < 4; i++) {
			if (((v >> (8 * i)) & 0xff) >= EVQ_MAX_QUEUES) {
				sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
				return false;
			}
		}
		wr_le32(&port->reta[off - EVQ_REG_RETA(0)], v);
		return false;
	}
	if (off >= EVQ_REG_RSS_KEY(0)) {
		wr_le32(&port->rss_key[off - EVQ_REG_RSS_KEY(0)], v);
		return true;
	}
	if (off >= EVQ_REG_ADMIN_ARG(0) && off < EVQ_REG_ADMIN_CMD) {
		port->admin_arg[(off - EVQ_REG_ADMIN_ARG(0)) / 4] = v;
		return false;
	}
	switch (off) {
	case EVQ_REG_ADMIN_CMD:
		sim_admin_execute(port, v);
		break;
	case EVQ_REG_DEV_CTRL:
		sim_dev_ctrl_write(port, v, off);
		break;
	case EVQ_REG_MAC_LO:
		port->mac[0] = (uint8_t)v;
		port->mac[1] = (uint8_t)(v >> 8);
		port->mac[2] = (uint8_t)(v >> 16);
		port->mac[3] = (uint8_t)(v >> 24);
		break;
	case EVQ_REG_MAC_HI:
		if (v & 0xffff0000u) {
			sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
			break;
		}
		port->mac[4] = (uint8_t)v;
		port->mac[5] = (uint8_t)(v >> 8);
		break;
	case EVQ_REG_MTU:
		if (v < EVQ_MTU_MIN || v > EVQ_MTU_MAX) {
			sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
			break;
		}
		port->mtu = v;
		port->frame_max = v + EVQ_FRAME_OVERHEAD;
		break;
	case EVQ_REG_RX_FILTER:
		if (v & ~EVQ_RX_FILTER_VALID_MASK) {
			sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
			break;
		}
		port->rx_filter = v;
		break;
	case EVQ_REG_GLOBAL_IRQ:
		if (v & ~EVQ_GLOBAL_IRQ_LEGACY) {
			sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
			break;
		}
		port->global_irq = v;
		sim_mvm_recompute(port);
		break;
	case EVQ_REG_INTX_STATUS:
		port->intx_status &= ~v;
		break;
	case EVQ_REG_WI_BASE_LO:
	case EVQ_REG_SUMMARY_PRIMARY_LO:
	case EVQ_REG_SUMMARY_SECONDARY_LO:
		if (v & 63) {
			sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
			break;
		}
		sim_set_lo(off == EVQ_REG_WI_BASE_LO ? &port->wi_base :
			off == EVQ_REG_SUMMARY_PRIMARY_LO ? &port->sum_primary :
			&port->sum_secondary, v);
		sim_eq_refresh_all(port);
		break;
	case EVQ_REG_WI_BASE_HI:
	case EVQ_REG_SUMMARY_PRIMARY_HI:
	case EVQ_REG_SUMMARY_SECONDARY_HI:
		sim_set_hi(off == EVQ_REG_WI_BASE_HI ? &port->wi_base :
			off == EVQ_REG_SUMMARY_PRIMARY_HI ? &port->sum_primary :
			&port->sum_secondary, v);
		sim_eq_refresh_all(port);
		break;
	case EVQ_REG_SCRATCH:
		port->scratch = v;
		break;
	case EVQ_REG_CONV_MASK:
	case EVQ_REG_CONV_ACK:
		if (v & ~EVQ_CONV_CAUSE_VALID_MASK) {
			sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
			break;
		}
		if (off == EVQ_REG_CONV_MASK)
			port->conv_mask = v;
		else
			port->conv_cause &= ~v;
		if ((port->dev_ctrl & EVQ_DEV_CTRL_CONV_IRQ) &&
				(port->conv_cause & ~port->conv_mask) != 0)
			sim_conv_signal(port);
		break;
	case EVQ_REG_RSS_CTRL:
		if (v & ~EVQ_RSS_HASH_ALL) {
			sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
			break;
		}
		port->rss_ctrl = v;
		break;
	case EVQ_REG_RSS_HASH_MASK:
		if (!evq_rss_hash_mask_valid(v)) {
			sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
			break;
		}
		port->rss_hash_mask = v;
		break;
	}
	return false;
}

int
sim_bar0_read(struct sim_port *port, uint64_t off, void *buf, uint32_t count)
{
	uint32_t i;

	port->cnt.trapped_reads++;
	if ((off & 3) != 0 || (count & 3) != 0 || off + count > EVQ_BAR0_SIZE) {
		memset(buf, 0, count);
		sim_illegal(port, EVQ_ERR_BAD_ACCESS, (uint32_t)off, count);
		return 0;
	}
	for (i = 0; i < count; i += 4)
		wr_le32((uint8_t *)buf + i, sim_bar0_read32(port, (uint32_t)off + i));
	return 0;
}

int
sim_bar0_write(struct sim_port *port, uint64_t off, const void *buf, uint32_t count)
{
	bool key_changed = false;
	uint32_t i;

	port->cnt.trapped_writes++;
	if ((off & 3) != 0 || (count & 3) != 0 || off + count > EVQ_BAR0_SIZE) {
		sim_illegal(port, EVQ_ERR_BAD_ACCESS, (uint32_t)off, count);
		return 0;
	}
	for (i = 0; i < count; i += 4)
		key_changed |= sim_bar0_write32(port, (uint32_t)off + i,
				rd_le32((const uint8_t *)buf + i));
	if (key_changed)
		evq_toeplitz_init(port->toeplitz, port->rss_key);
	return 0;
}

/* ------------------------------------------------------- BAR4 MSI-X --- */

int
sim_bar4_read(struct sim_port *port, uint64_t off, void *buf, uint32_t count)
{
	uint32_t i;

	port->cnt.trapped_reads++;
	memset(buf, 0, count);
	if ((off & 3) != 0 || (count & 3) != 0 || off + count > EVQ_BAR4_SIZE) {
		sim_illegal(port, EVQ_ERR_BAD_ACCESS, (uint32_t)off, count);
		return 0;
	}
	for (i = 0; i < count; i += 4) {
		uint64_t o = off + i;
		uint32_t v = 0;

		if (o < EVQ_MSIX_TABLE_OFFSET + EVQ_MSIX_VECTORS * EVQ_MSIX_ENTRY_SIZE)
			v = port->msix_ctrl[o / 16][(o % 16) / 4];
		else if (o == EVQ_MSIX_PBA_OFFSET)
			v = port->pba;
		wr_le32((uint8_t *)buf + i, v);
	}
	return 0;
}

int
sim_bar4_write(struct sim_port *port, uint64_t off, const void *buf, uint32_t count)
{
	uint32_t i;

	port->cnt.trapped_writes++;
	if ((off & 3) != 0 || (count & 3) != 0 || off + count > EVQ_BAR4_SIZE) {
		sim_illegal(port, EVQ_ERR_BAD_ACCESS, (uint32_t)off, count);
		return 0;
	}
	for (i = 0; i < count; i += 4) {
		uint64_t o = off + i;
		uint32_t v = rd_le32((const uint8_t *)buf + i);

		if (o < EVQ_MSIX_TABLE_OFFSET + EVQ_MSIX_VECTORS * EVQ_MSIX_ENTRY_SIZE) {
			unsigned int w = (o % 16) / 4;

			if (w == 3)
				v &= EVQ_MSIX_ENTRY_CTRL_MASKED;
			port->msix_ctrl[o / 16][w] = v;
		}
		/* PBA and the rest are read-only / reserved: writes ignored */
	}
	sim_irq_replay_pending(port);
	return 0;
}

/* --------------------------------------------------- BAR2 (socket) --- */

int
sim_bar2_access(struct sim_port *port, uint64_t off, void *buf, uint32_t count,
		bool write)
{
	if (write)
		port->cnt.trapped_writes++;
	else
		port->cnt.trapped_reads++;
	if (port->dbpage == NULL)
		return -ENODEV;
	if ((count != 4 && count != 8) || (off & (count - 1)) != 0 ||
			off + count > EVQ_BAR2_SIZE) {
		if (!write)
			memset(buf, 0, count);
		sim_illegal(port, EVQ_ERR_BAD_ACCESS, (uint32_t)off, count);
		return 0;
	}
	if (count == 8) {
		uint64_t *p = (uint64_t *)(port->dbpage + off);
		uint64_t v;

		if (write) {
			memcpy(&v, buf, 8);
			__atomic_store_n(p, v, __ATOMIC_RELEASE);
		} else {
			v = __atomic_load_n(p, __ATOMIC_ACQUIRE);
			memcpy(buf, &v, 8);
		}
	} else {
		uint32_t *p = (uint32_t *)(port->dbpage + off);
		uint32_t v;

		if (write) {
			memcpy(&v, buf, 4);
			__atomic_store_n(p, v, __ATOMIC_RELEASE);
		} else {
			v = __atomic_load_n(p, __ATOMIC_ACQUIRE);
			memcpy(buf, &v, 4);
		}
	}
	return 0;
}

/* ---------------------------------------------------- config space --- */

static const uint32_t sim_bar_size[6] = {
	EVQ_BAR0_SIZE, 0, EVQ_BAR2_SIZE, 0, EVQ_BAR4_SIZE, 0,
};

static uint8_t sim_cfg_wmask[EVQ_PCI_CFG_SIZE];

void
sim_cfg_reset(struct sim_port *port)
{
	uint8_t *c = port->cfg;
	unsigned int b;
	uint16_t v16;
	uint32_t v32;

	memset(c, 0, EVQ_PCI_CFG_SIZE);
	v16 = EVQ_PCI_VENDOR_ID;
	memcpy(c + 0x00, &v16, 2);
	v16 = EVQ_PCI_DEVICE_ID;
	memcpy(c + 0x02, &v16, 2);
	v16 = 0x0010;			/* status: capabilities list */
	memcpy(c + 0x06, &v16, 2);
	c[0x08] = EVQ_PCI_REVISION;
	c[0x09] = EVQ_PCI_CLASS & 0xff;
	c[0x0a] = (EVQ_PCI_CLASS >> 8) & 0xff;
	c[0x0b] = (EVQ_PCI_CLASS >> 16) & 0xff;
	c[0x0e] = 0x00;
	for (b = 0; b < 6; b += 2) {
		v32 = 0x4;		/* 64-bit, non-prefetchable memory */
		memcpy(c + 0x10 + 4 * b, &v32, 4);
	}
	v16 = EVQ_PCI_SUBSYS_VENDOR_ID;
	memcpy(c + 0x2c, &v16, 2);
	v16 = EVQ_PCI_SUBSYS_DEVICE_ID;
	memcpy(c + 0x2e, &v16, 2);
	c[0x34] = EVQ_PCI_CAP_MSIX_OFFSET;
	c[0x3d] = EVQ_PCI_INTERRUPT_PIN;
	c[EVQ_PCI_CAP_MSIX_OFFSET + 0] = 0x11;
	c[EVQ_PCI_CAP_MSIX_OFFSET + 1] = 0x00;
	v16 = (uint16_t)(sim_opts.vectors - 1);	/* --vectors; N - 1 */
	memcpy(c + EVQ_PCI_CAP_MSIX_OFFSET + 2, &v16, 2);
	v32 = EVQ_PCI_MSIX_TABLE;
	memcpy(c + EVQ_PCI_CAP_MSIX_OFFSET + 4, &v32, 4);
	v32 = EVQ_PCI_MSIX_PBA;
	memcpy(c + EVQ_PCI_CAP_MSIX_OFFSET + 8, &v32, 4);

	memset(sim_cfg_wmask, 0, sizeof(sim_cfg_wmask));
	sim_cfg_wmask[0x04] = 0x47;	/* IO, memory, bus master, parity... */
	sim_cfg_wmask[0x05] = 0x05;	/* SERR, INTx disable */
	sim_cfg_wmask[0x0c] = 0xff;	/* cache line size */
	sim_cfg_wmask[0x0d] = 0xff;	/* latency timer */
	memset(&sim_cfg_wmask[0x10], 0xff, 24);	/* BARs (fixed up after) */
	sim_cfg_wmask[0x3c] = 0xff;	/* interrupt line */
	sim_cfg_wmask[EVQ_PCI_CAP_MSIX_OFFSET + 3] = 0xc0; /* enable, mask all */
	port->msix_enabled = false;
	port->msix_maskall = false;
}

int
sim_cfg_read(struct sim_port *port, uint64_t off, void *buf, uint32_t count)
{
	port->cnt.trapped_reads++;
	if (off >= EVQ_PCI_CFG_SIZE || count > EVQ_PCI_CFG_SIZE - off) {
		memset(buf, 0, count);
		return -EINVAL;
	}
	memcpy(buf, port->cfg + off, count);
	return 0;
}

int
sim_cfg_write(struct sim_port *port, uint64_t off, const void *buf, uint32_t count)
{
	const uint8_t *src = buf;
	uint32_t i, b;
	bool was_enabled = port->msix_enabled, was_masked = port->msix_maskall;
	uint16_t ctrl;

	port->cnt.trapped_writes++;
	if (off >= EVQ_PCI_CFG_SIZE || count > EVQ_PCI_CFG_SIZE - off)
		return -EINVAL;
	for (i = 0; i < count; i++) {
		uint8_t m = sim_cfg_wmask[off + i];

		port->cfg[off + i] = (uint8_t)((port->cfg[off + i] & ~m) | (src[i] & m));
	}
	/* BAR low dwords: size bits read back 0, type bits fixed */
	for (b = 0; b < 6; b += 2) {
		uint32_t v;

		memcpy(&v, port->cfg + 0x10 + 4 * b, 4);
		v = (v & ~(sim_bar_size[b] - 1) & ~0xfu) | 0x4;
		memcpy(port->cfg + 0x10 + 4 * b, &v, 4);
	}
	memcpy(&ctrl, port->cfg + EVQ_PCI_CAP_MSIX_OFFSET + 2, 2);
	port->msix_enabled = (ctrl & EVQ_PCI_MSIX_CTRL_ENABLE) != 0;
	port->msix_maskall = (ctrl & EVQ_PCI_MSIX_CTRL_MASKALL) != 0;
	if ((port->msix_enabled && !was_enabled) || (was_masked && !port->msix_maskall) ||
			(off <= 0x05 && off + count > 0x05))
		sim_irq_replay_pending(port);
	return 0;
}

/* Transport view of MSI-X Enable (SET_IRQS on the MSI-X index). */
void
sim_cfg_set_msix_enable(struct sim_port *port, bool enable)
{
	uint8_t *b = &port->cfg[EVQ_PCI_CAP_MSIX_OFFSET + 3];

	if (enable)
		*b |= 0x80;
	else
		*b &= (uint8_t)~0x80;
	port->msix_enabled = enable;
}
