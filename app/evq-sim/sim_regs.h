/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * sim_regs.h: what the five files of the adapter's programming model
 * (sim_irq.c, sim_eq.c, sim_admin.c, sim_bar0.c, sim_pci.c) call in one
 * another, and nothing else; the rest of evq-sim uses sim.h. Everything
 * here runs in the engine thread.
 */

#ifndef SIM_REGS_H
#define SIM_REGS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "sim.h"

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

static inline bool
is_pow2(uint64_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

/* sim_irq.c: interrupts and the message-vector map */
void sim_intx_status_update(struct sim_port *port);
void sim_conv_signal(struct sim_port *port);
void sim_conv_cause(struct sim_port *port, uint32_t bits);
void sim_eq_signal(void *arg, uint16_t ring);
void sim_mvm_recompute(struct sim_port *port);

/* sim_eq.c: EQs and queues */
void sim_illegal(struct sim_port *port, enum evq_err code, uint32_t detail,
		uint64_t value);
int sim_eq_define(struct sim_port *port, struct sim_eq *eq, uint64_t base,
		uint32_t size, uint32_t ctrl, uint32_t start_count);
int sim_eq_apply_flags(struct sim_port *port, struct sim_eq *eq, uint32_t ctrl);
void sim_eq_refresh_all(struct sim_port *port);
void sim_rxq_disable(struct sim_port *port, unsigned int q);
void sim_txq_disable(struct sim_port *port, unsigned int q);
int sim_rxq_enable(struct sim_port *port, unsigned int q);
int sim_txq_enable(struct sim_port *port, unsigned int q);

/* sim_admin.c: admin commands */
void sim_admin_execute(struct sim_port *port, uint32_t cmd);

#endif /* SIM_REGS_H */
