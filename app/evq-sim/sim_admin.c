/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * sim_admin: the adapter model's device-level operations: reset (with
 * the statistics kept across it), port initialisation, and the admin
 * commands of EVQ_REG_ADMIN_CMD (EQ switch, test event). Runs in the
 * engine thread (see sim.h).
 */

#include <errno.h>
#include <string.h>

#include "sim.h"
#include "sim_regs.h"

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
	port->vlan_ctrl = 0;
	port->uc_valid = port->mc_valid = 0;
	memset(port->vlan_table, 0, sizeof(port->vlan_table));
	memset(port->uc_mac, 0, sizeof(port->uc_mac));
	memset(port->mc_mac, 0, sizeof(port->mc_mac));
	memcpy(port->mac, port->perm_mac, 6);
	port->global_irq = 0;
	port->intx_status = 0;
	sim_intx_status_update(port);
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
	/* the table is rebuilt only when it was built for another key (the
	 * port's table starts zeroed, which is the table of the zero key):
	 * a reset comes with every disconnect */
	if (memcmp(port->toeplitz->key, port->rss_key, EVQ_RSS_KEY_SIZE) != 0)
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
	uint32_t advance = arg[4], read;
	struct sim_eq *eq;
	uint32_t hint = 0;
	void *mem;
	int ret;

	if (arg[0] >= sim_opts.eqs)
		return -ERANGE;
	if ((arg[5] & ~EVQ_ADMIN_SWITCH_F_MARKER) || !is_pow2(new_size) ||
			new_size < EVQ_EQ_SIZE_MIN ||
			new_size > EVQ_EQ_SIZE_MAX || (new_base & (EVQ_EQ_ALIGN - 1)) != 0)
		return -EINVAL;
	eq = &port->eq[arg[0]];
	if (!(eq->ctrl & EVQ_EQ_CTRL_ENABLE))
		return -ENODEV;
	if ((arg[5] & EVQ_ADMIN_SWITCH_F_MARKER) && eq->prod.defined != EVQ_RING_UNDEFINED)
		return -EINVAL;		/* a live switch writes its own marker */
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
	/* recovery after an overflow or a DMA fault: no marker, or the one
	 * the driver wrote at the stop count (then continue after it) */
	port->admin_result[0] = eq->prod.write;
	read = eq->prod.read_seen;
	ret = sim_eq_define(port, eq, new_base, new_size, eq->ctrl, eq->prod.write +
			((arg[5] & EVQ_ADMIN_SWITCH_F_MARKER) ? 1 : 0));
	if (ret != 0)
		return ret == -EFAULT ? -EFAULT : -EINVAL;
	/* the read count carries over (a define would restart it at the write
	 * count, and the consumer's last doorbell would then look ahead) */
	eq->prod.read_seen = read;
	port->admin_result[1] = read;
	sim_txq_resync(port, eq->num);
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
	/* bit 23 of a phase EQ's control word is the phase bit */
	if (eq->prod.validity == EVQ_RING_VALIDITY_PHASE &&
			arg[1] > EVQ_CTRL_PARAM_MASK_PHASE)
		return -EINVAL;
	ev.ctrl = evq_ctrl_make(EVQ_EV_TEST, arg[1]);
	ev.data[0] = arg[2];
	ev.data[1] = arg[3];
	ev.data[2] = arg[4];
	ret = sim_eq_post16(port, eq->num, (const struct evq_event *)&ev, 1);
	port->admin_result[0] = eq->prod.write;
	return ret < 0 ? ret : 0;
}

void
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
	/* the opcode's low 7 bits: bit 23 stays free for a phase EQ 0 */
	ev.ctrl = evq_ctrl_make(EVQ_EV_ADMIN, (((uint32_t)opcode << EVQ_EV_ADMIN_OPCODE_SHIFT) &
			EVQ_EV_ADMIN_OPCODE_MASK) | tag);
	ev.errno_val = port->admin_errno;
	ev.result0 = port->admin_result[0];
	ev.result1 = port->admin_result[1];
	sim_conv_cause(port, EVQ_CONV_CAUSE_ADMIN);
	if (port->eq[0].prod.defined == EVQ_RING_UNARMED)
		(void)sim_eq_post16(port, 0, (const struct evq_event *)&ev, 1);
}
