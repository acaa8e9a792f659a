/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * sim_pci: the adapter model's PCI surface besides BAR0: the BAR4 MSI-X
 * table and PBA, the BAR2 doorbell page when reached through the socket
 * (not mapped), and the PCI configuration space with its write masks.
 * Runs in the engine thread (see sim.h).
 */

#include <errno.h>
#include <string.h>

#include "sim.h"
#include "sim_regs.h"

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

/* The MSI-X capability, the function's only one (datasheet). */
static void
sim_cfg_msix_cap(uint8_t *c)
{
	uint16_t v16;
	uint32_t v32;

	c[0x34] = EVQ_PCI_CAP_MSIX_OFFSET;
	c[EVQ_PCI_CAP_MSIX_OFFSET + 0] = 0x11;
	c[EVQ_PCI_CAP_MSIX_OFFSET + 1] = 0x00;
	v16 = (uint16_t)(sim_opts.vectors - 1);	/* --vectors; N - 1 */
	memcpy(c + EVQ_PCI_CAP_MSIX_OFFSET + 2, &v16, 2);
	v32 = EVQ_PCI_MSIX_TABLE;
	memcpy(c + EVQ_PCI_CAP_MSIX_OFFSET + 4, &v32, 4);
	v32 = EVQ_PCI_MSIX_PBA;
	memcpy(c + EVQ_PCI_CAP_MSIX_OFFSET + 8, &v32, 4);
}

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
	v16 = sim_opts.vectors > 0 ? 0x0010 : 0;	/* status: capabilities list */
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
	c[0x3d] = EVQ_PCI_INTERRUPT_PIN;
	memset(sim_cfg_wmask, 0, sizeof(sim_cfg_wmask));
	port->msix_enabled = false;
	port->msix_maskall = false;
	/* --vectors 0: a function without MSI-X (INTx only): no capability */
	if (sim_opts.vectors > 0) {
		sim_cfg_msix_cap(c);
		sim_cfg_wmask[EVQ_PCI_CAP_MSIX_OFFSET + 3] = 0xc0; /* enable, mask all */
	}
	sim_cfg_wmask[0x04] = 0x47;	/* IO, memory, bus master, parity... */
	sim_cfg_wmask[0x05] = 0x05;	/* SERR, INTx disable */
	sim_cfg_wmask[0x0c] = 0xff;	/* cache line size */
	sim_cfg_wmask[0x0d] = 0xff;	/* latency timer */
	memset(&sim_cfg_wmask[0x10], 0xff, 24);	/* BARs (fixed up after) */
	sim_cfg_wmask[0x3c] = 0xff;	/* interrupt line */
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
