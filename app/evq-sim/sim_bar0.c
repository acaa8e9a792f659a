/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * sim_bar0: the BAR0 control registers of the adapter model
 * (doc/datasheet.rst): what every offset reads back, and what a write to
 * it does, dispatched to the EQ, queue, MVM, device control and admin
 * code. Runs in the engine thread (see sim.h).
 */

#include <errno.h>
#include <string.h>

#include "sim.h"
#include "sim_regs.h"

#define SIM_CAPS_ALL	0x001fffffu
#define SIM_FW_VERSION	0x01000001u

/* ------------------------------------------------------ BAR0 reads --- */

/* EVQ_REG_CAPS: everything, less what the command line took away. */
static uint32_t
sim_caps(void)
{
	uint32_t caps = SIM_CAPS_ALL;

	if (sim_opts.vectors == 0)
		caps &= ~EVQ_CAP_MSIX;
	if (sim_opts.no_phase)
		caps &= ~EVQ_CAP_PHASE_VALID;
	return caps;
}

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

enum sim_reg_kind { SIM_REG_HOLE, SIM_REG_RO, SIM_REG_RW };

/* --------------------------------------------- receive filter block --- */

/* The address of entry i of a MAC list register pair, or NULL. */
static uint8_t *
sim_rxf_mac(struct sim_port *port, uint32_t off, uint32_t **valid, uint32_t *bit)
{
	if (off >= EVQ_REG_UC_MAC_LO(0) && off < EVQ_REG_UC_MAC_LO(EVQ_UC_MAC_COUNT)) {
		*bit = (off - EVQ_REG_UC_MAC_LO(0)) / 8;
		*valid = &port->uc_valid;
		return port->uc_mac[*bit];
	}
	if (off >= EVQ_REG_MC_MAC_LO(0) && off < EVQ_REG_MC_MAC_LO(EVQ_MC_MAC_COUNT)) {
		*bit = (off - EVQ_REG_MC_MAC_LO(0)) / 8;
		*valid = &port->mc_valid;
		return port->mc_mac[*bit];
	}
	return NULL;
}

static enum sim_reg_kind
sim_rxf_kind(uint32_t off)
{
	if (off == EVQ_REG_VLAN_CTRL ||
			(off >= EVQ_REG_UC_MAC_LO(0) && off < EVQ_REG_MC_MAC_LO(EVQ_MC_MAC_COUNT)) ||
			(off >= EVQ_REG_VLAN_TABLE(0) &&
			 off < EVQ_REG_VLAN_TABLE(EVQ_VLAN_TABLE_REGS)))
		return SIM_REG_RW;
	return SIM_REG_HOLE;
}

static uint32_t
sim_rxf_read(struct sim_port *port, uint32_t off)
{
	uint32_t *valid, bit;
	const uint8_t *mac = sim_rxf_mac(port, off, &valid, &bit);

	if (off == EVQ_REG_VLAN_CTRL)
		return port->vlan_ctrl;
	if (off >= EVQ_REG_VLAN_TABLE(0) && off < EVQ_REG_VLAN_TABLE(EVQ_VLAN_TABLE_REGS))
		return port->vlan_table[(off - EVQ_REG_VLAN_TABLE(0)) / 4];
	if (mac == NULL)
		return 0;
	if ((off & 4) == 0)
		return evq_mac_reg_lo(mac);
	return evq_mac_reg_hi(mac) | ((*valid >> bit) & 1 ? EVQ_MAC_ENTRY_VALID : 0);
}

static void
sim_rxf_write(struct sim_port *port, uint32_t off, uint32_t v)
{
	uint32_t *valid, bit;
	uint8_t *mac = sim_rxf_mac(port, off, &valid, &bit);

	if (off == EVQ_REG_VLAN_CTRL) {
		if (v & ~EVQ_VLAN_CTRL_VALID_MASK)
			sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
		else
			port->vlan_ctrl = v;
	} else if (off >= EVQ_REG_VLAN_TABLE(0)) {
		port->vlan_table[(off - EVQ_REG_VLAN_TABLE(0)) / 4] = v;
	} else if ((off & 4) == 0) {
		evq_mac_from_reg_lo(mac, v);
	} else if (v & ~EVQ_MAC_ENTRY_VALID_MASK) {
		sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
	} else {
		evq_mac_from_reg_hi(mac, v);
		if (v & EVQ_MAC_ENTRY_VALID)
			*valid |= 1u << bit;
		else
			*valid &= ~(1u << bit);
	}
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
	if (off >= EVQ_REG_VLAN_CTRL)
		return sim_rxf_read(port, off);
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
	case EVQ_REG_CAPS: return sim_caps();
	case EVQ_REG_DEV_CTRL: return port->dev_ctrl;
	case EVQ_REG_DEV_STATUS:
		return EVQ_DEV_STATUS_READY | port->dev_status_flags |
			((port->dev_ctrl & EVQ_DEV_CTRL_ENABLE) ? EVQ_DEV_STATUS_ENABLED : 0) |
			((port->dev_ctrl & EVQ_DEV_CTRL_CONV_IRQ) ? EVQ_DEV_STATUS_CONV_IRQ : 0);
	case EVQ_REG_LINK_STATUS:
		return port->link_up ? (EVQ_LINK_UP | EVQ_LINK_FULL_DUPLEX |
				EVQ_LINK_AUTONEG) : 0;
	case EVQ_REG_LINK_SPEED: return port->link_up ? port->link_speed : 0;
	case EVQ_REG_MAC_LO: return evq_mac_reg_lo(port->mac);
	case EVQ_REG_MAC_HI: return evq_mac_reg_hi(port->mac);
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
	case EVQ_REG_PERM_MAC_LO: return evq_mac_reg_lo(port->perm_mac);
	case EVQ_REG_PERM_MAC_HI: return evq_mac_reg_hi(port->perm_mac);
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
	if (off >= EVQ_REG_VLAN_CTRL)
		return sim_rxf_kind(off);
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
		if ((v & EVQ_EQ_CTRL_PHASE) && !(sim_caps() & EVQ_CAP_PHASE_VALID)) {
			uint64_t n;

			sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
			n = port->err_count[EVQ_ERR_BAD_VALUE];
			if ((n & (n - 1)) == 0)	/* 1st, 2nd, 4th... as the error events */
				SIM_LOG(WARNING, "port %u: EQ %u: EVQ_EQ_CTRL_PHASE refused: this "
					"adapter has no phase-bit EQs (--no-phase)", port->idx, e);
			return;
		}
		/* the validity rule is fixed while the EQ is enabled */
		if (enabled && (v & EVQ_EQ_CTRL_ENABLE) &&
				((v ^ eq->ctrl) & EVQ_EQ_CTRL_PHASE)) {
			sim_illegal(port, EVQ_ERR_BAD_STATE, off, v);
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
			rxq->timestamp = (v & EVQ_RXQ_CTRL_TIMESTAMP) != 0;
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

		/* an INTx binding names no vector (vector 0 with --vectors 0) */
		if ((v & EVQ_MVM_RESERVED_MASK) || eqn >= sim_opts.eqs ||
				(vec >= sim_opts.vectors && !(vec == 0 && (v & EVQ_MVM_LEGACY)))) {
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
	if (off >= EVQ_REG_VLAN_CTRL) {
		sim_rxf_write(port, off, v);
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
		evq_mac_from_reg_lo(port->mac, v);
		break;
	case EVQ_REG_MAC_HI:
		if (v & 0xffff0000u) {
			sim_illegal(port, EVQ_ERR_BAD_VALUE, off, v);
			break;
		}
		evq_mac_from_reg_hi(port->mac, v);
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
		sim_intx_status_update(port);
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
