/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * sim_irq: interrupt delivery of the adapter model: MSI-X with per-vector
 * mask and pending bits, INTx, the conventional cause register, the
 * replay of pending vectors, and the message-vector map (MVM) that binds
 * each EQ to its vector. Runs in the engine thread (see sim.h).
 */

#include <errno.h>
#include <string.h>

#include "sim.h"
#include "sim_regs.h"

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

/*
 * The INTx line as PCI 2.3 shows it: the Interrupt Status bit of the
 * configuration Status register is set while EVQ_REG_INTX_STATUS is not 0
 * (a host kernel that shares or masks the line reads it to tell whether
 * the interrupt is this function's); the driver's W1C of
 * EVQ_REG_INTX_STATUS deasserts it.
 */
void
sim_intx_status_update(struct sim_port *port)
{
	if (port->intx_status != 0)
		port->cfg[0x06] |= 0x08;
	else
		port->cfg[0x06] &= (uint8_t)~0x08;
}

void
sim_irq_raise(struct sim_port *port, uint16_t eqn, bool legacy, uint16_t vector)
{
	if (legacy || !port->msix_enabled) {
		port->intx_status |= 1u << (eqn & 31);
		sim_intx_status_update(port);
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
void
sim_conv_signal(struct sim_port *port)
{
	port->stats[EVQ_STAT_CONV_SIGNALS]++;
	sim_irq_raise(port, 0, (port->global_irq & EVQ_GLOBAL_IRQ_LEGACY) != 0, 0);
}

void
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
void
sim_eq_signal(void *arg, uint16_t ring)
{
	struct sim_eq *eq = arg;
	struct sim_port *port = eq->port;

	(void)ring;
	if (port->dev_ctrl & EVQ_DEV_CTRL_CONV_IRQ)
		return;		/* EQs never signal in the baseline mode */
	sim_irq_raise(port, eq->num, eq->legacy, eq->vector);
}

/* ---------------------------------------------------- MVM bindings --- */

void
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
