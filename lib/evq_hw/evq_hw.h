/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

#ifndef EVQ_HW_H
#define EVQ_HW_H

/**
 * @file
 * evq_hw.h: the register-level contract of the evq adapter, the single
 * source of truth shared by the driver (drivers/net/evq) and the device
 * model (app/evq-sim). doc/datasheet.rst describes the same names in
 * prose; keep the two identical.
 *
 * Owns: PCI identity, BAR layout, every register offset and bit field,
 * the descriptor formats, the event entry formats and codes, the packet
 * types and the hash types. It does not own the EQ doorbell word nor the
 * event-ring mechanics: those are lib/evq_ring's (evq_ring.h:
 * evq_doorbell_encode()/evq_doorbell_decode(), EVQ_DB_*, evq_ctrl_make()),
 * and this header deliberately does not redefine them.
 *
 * Everything the device and the driver exchange (registers, descriptors,
 * events, summary bytes, write-indicator words) is little-endian. The
 * structs below use fixed-width fields in that order; on a big-endian
 * host convert with le16toh()/le32toh()/le64toh().
 *
 * No DPDK header is included: lib/evq_hw builds without DPDK.
 */

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ====================================================================== */
/* PCI identity                                                           */
/* ====================================================================== */

/*
 * PLACEHOLDER IDs: evq placeholder, not assigned by the PCI-SIG to anyone
 * for this device. Fine for a software adapter reached over vfio-user;
 * never ship hardware with them.
 */
#define EVQ_PCI_VENDOR_ID		0x1de5	/* evq placeholder, not assigned */
#define EVQ_PCI_DEVICE_ID		0xe0e0	/* evq placeholder, not assigned */
#define EVQ_PCI_SUBSYS_VENDOR_ID	0x1de5	/* evq placeholder, not assigned */
#define EVQ_PCI_SUBSYS_DEVICE_ID	0x0001	/* evq placeholder, not assigned */
#define EVQ_PCI_CLASS			0x020000 /* network, Ethernet, prog-if 0 */
#define EVQ_PCI_REVISION		0x01

/* Config space: 256 bytes, type 0 header, one capability (MSI-X). */
#define EVQ_PCI_CFG_SIZE		256
#define EVQ_PCI_CAP_MSIX_OFFSET		0x40	/* capability pointer (0x34) */
#define EVQ_PCI_INTERRUPT_PIN		0x01	/* INTA# */
/* MSI-X capability (ID 0x11) fields as the device presents them. */
#define EVQ_PCI_MSIX_CTRL_TABLE_SIZE	(EVQ_MSIX_VECTORS - 1)	/* N - 1 */
#define EVQ_PCI_MSIX_CTRL_MASKALL	(1u << 14)
#define EVQ_PCI_MSIX_CTRL_ENABLE	(1u << 15)
#define EVQ_PCI_MSIX_TABLE		(EVQ_MSIX_TABLE_OFFSET | EVQ_BAR_MSIX) /* offset | BIR */
#define EVQ_PCI_MSIX_PBA		(EVQ_MSIX_PBA_OFFSET | EVQ_BAR_MSIX)

/*
 * Interrupt targets. EQ 0 always uses vector 0 (or INTx with
 * EVQ_GLOBAL_IRQ_LEGACY); MVM vector/legacy fields naming EQ 0 are ignored.
 * Any other EQ takes the vector and legacy bit of the valid MVM entries
 * that name it (all must agree, else EVQ_ERR_MVM_CONFLICT); an EQ named by
 * no valid entry uses the identity binding (vector e, MSI-X).
 * INTx fallback: with MSI-X disabled every EQ signals INTx; with V vectors
 * granted and fewer than the EQs in use, the driver binds EQ e < V to
 * vector e and every other EQ with EVQ_MVM_LEGACY (or shares a vector).
 * A signal for a masked vector, or one without an eventfd, pends in the PBA.
 */

/* BARs: three 64-bit non-prefetchable memory BARs (BAR1/3/5 = upper halves). */
#define EVQ_BAR_CTRL			0	/* control registers, trapped */
#define EVQ_BAR_DOORBELL		2	/* doorbell page, sparse mmap */
#define EVQ_BAR_MSIX			4	/* MSI-X table + PBA, trapped */

#define EVQ_BAR0_SIZE			0x4000u	/* 16 KiB */
#define EVQ_BAR2_SIZE			0x1000u	/* 4 KiB */
#define EVQ_BAR4_SIZE			0x1000u	/* 4 KiB */

/* ====================================================================== */
/* Device limits                                                          */
/* ====================================================================== */

#define EVQ_MAX_QUEUES			16	/* RX queues = TX queues */
#define EVQ_MAX_EQS			32	/* EQ 0 = global events */
#define EVQ_MSIX_VECTORS		32	/* table size; vector 0 = global */
#define EVQ_RETA_SIZE			128	/* indirection table entries */
#define EVQ_RSS_KEY_SIZE		40	/* bytes; 10 registers */
#define EVQ_RSS_KEY_REGS		(EVQ_RSS_KEY_SIZE / 4)

/*
 * The RSS key after reset: Microsoft's RSS verification key
 * (6d5a56da255b0ec2...). The driver reports it until the application sets
 * another one; the device hashes with it until the driver writes
 * EVQ_REG_RSS_KEY. Defined in evq_hw.c.
 */
extern const uint8_t evq_rss_default_key[EVQ_RSS_KEY_SIZE];

#define EVQ_DESC_COUNT_MIN		32	/* per RX/TX ring, power of two */
#define EVQ_DESC_COUNT_MAX		32768
#define EVQ_EQ_SIZE_MIN			8	/* = EVQ_RING_SIZE_MIN */
#define EVQ_EQ_SIZE_MAX			(1u << 24) /* = EVQ_RING_SIZE_MAX */
#define EVQ_EQ_ENTRY_SIZE_MIN		16	/* events are 16 bytes */
#define EVQ_EQ_ENTRY_SIZE_MAX		64	/* 16, 32 or 64 */
#define EVQ_EQ_ALIGN			64	/* EQ base IOVA alignment */
#define EVQ_RING_ALIGN			64	/* RX/TX ring base IOVA alignment */

#define EVQ_RX_BUF_SIZE_MIN		64
#define EVQ_RX_BUF_SIZE_MAX		65535
#define EVQ_TX_MAX_SEGS			16	/* descriptors per packet */
#define EVQ_TSO_MAX_BYTES		65535	/* a TSO packet, headers included */
#define EVQ_TSO_MSS_MIN			64	/* smallest TSO segment payload */
#define EVQ_MTU_MIN			68
#define EVQ_MTU_MAX			9000
#define EVQ_MTU_DEFAULT			1500
/* Largest frame = MTU + Ethernet header + one VLAN tag; no FCS anywhere. */
#define EVQ_FRAME_OVERHEAD		18
#define EVQ_FRAME_MIN			14
#define EVQ_TX_COAL_DEFAULT		32	/* TX completion coalescing */

/* ====================================================================== */
/* BAR0: control registers (trapped)                                      */
/* ====================================================================== */
/*
 * Access rules: 4-byte aligned accesses of a multiple of 4 bytes; an access
 * of N bytes is N/4 register accesses in increasing address order (so the
 * RETA, the key or the admin block can be written in one message). 64-bit
 * registers (_LO at an 8-byte aligned offset, _HI at +4) may also be read
 * as one aligned 8-byte access, which is atomic. Anything else is an
 * illegal access (EVQ_ERR_BAD_ACCESS). Offsets not listed are holes: reads
 * return 0, writes are illegal.
 * RO = read-only (a write is EVQ_ERR_READ_ONLY), RW, WO (reads 0),
 * W1C = write 1 to clear, SC = self-clearing.
 */

/* --- identity and global control -------------------------------------- */
#define EVQ_REG_ID			0x0000	/* RO: EVQ_ID_VALUE */
#define   EVQ_ID_VALUE			0x45565131u /* "EVQ1" */
#define EVQ_REG_VERSION			0x0004	/* RO: register interface version */
#define   EVQ_VERSION_MAJOR_SHIFT	16
#define   EVQ_VERSION_MINOR_MASK	0x0000ffffu
#define   EVQ_VERSION_VALUE		0x00010000u /* 1.0 */
#define EVQ_REG_FW_VERSION		0x0008	/* RO: 31:24 major 23:16 minor 15:0 build */
#define EVQ_REG_CAPS			0x000c	/* RO: EVQ_CAP_* */
#define   EVQ_CAP_RSS			(1u << 0)  /* Toeplitz + RETA */
#define   EVQ_CAP_MVM			(1u << 1)  /* message-vector map */
#define   EVQ_CAP_SUMMARY		(1u << 2)  /* summary bytes */
#define   EVQ_CAP_MODERATION		(1u << 3)  /* next-interrupt delay */
#define   EVQ_CAP_WI_WRITEBACK		(1u << 4)  /* write-indicator write-back */
#define   EVQ_CAP_INTX			(1u << 5)
#define   EVQ_CAP_MSIX			(1u << 6)
#define   EVQ_CAP_RX_SCATTER		(1u << 7)
#define   EVQ_CAP_TX_MULTI_SEG		(1u << 8)
#define   EVQ_CAP_RX_CSUM		(1u << 9)  /* L3/L4 checksum flags */
#define   EVQ_CAP_LINK_EVENT		(1u << 10)
#define   EVQ_CAP_EQ_SWITCH		(1u << 11) /* admin EQ resize/switch */
#define   EVQ_CAP_CONV_IRQ		(1u << 12) /* conventional baseline */
#define   EVQ_CAP_TIMESTAMP_MODE	(1u << 13) /* timestamp moderation */
#define   EVQ_CAP_TX_CSUM		(1u << 14) /* TX IPv4/TCP/UDP checksums */
#define   EVQ_CAP_TSO			(1u << 15) /* TX TCP segmentation */
#define   EVQ_CAP_TX_VLAN		(1u << 16) /* TX VLAN tag insertion */
#define   EVQ_CAP_RX_VLAN		(1u << 17) /* RX VLAN stripping and filter table */
#define   EVQ_CAP_MAC_FILTERS		(1u << 18) /* more unicast MACs, multicast list */
#define   EVQ_CAP_RX_TIMESTAMP		(1u << 19) /* RX batch arrival time events */
#define   EVQ_CAP_PHASE_VALID		(1u << 20) /* phase-bit EQs (EVQ_EQ_CTRL_PHASE) */

#define EVQ_REG_DEV_CTRL		0x0010	/* RW */
#define   EVQ_DEV_CTRL_RESET		(1u << 0)  /* SC: full function reset */
#define   EVQ_DEV_CTRL_ENABLE		(1u << 1)  /* datapath runs */
#define   EVQ_DEV_CTRL_CONV_IRQ		(1u << 2)  /* conventional baseline mode */
#define   EVQ_DEV_CTRL_VALID_MASK	0x00000007u
#define EVQ_REG_DEV_STATUS		0x0014	/* RO */
#define   EVQ_DEV_STATUS_READY		(1u << 0)  /* reset complete */
#define   EVQ_DEV_STATUS_ENABLED	(1u << 1)
#define   EVQ_DEV_STATUS_FATAL		(1u << 2)  /* device stopped; reset */
#define   EVQ_DEV_STATUS_EQ0_OVERFLOW	(1u << 3)  /* sticky until EQ 0 redefined */
#define   EVQ_DEV_STATUS_CONV_IRQ	(1u << 4)

#define EVQ_REG_LINK_STATUS		0x0018	/* RO */
#define   EVQ_LINK_UP			(1u << 0)
#define   EVQ_LINK_FULL_DUPLEX		(1u << 1)
#define   EVQ_LINK_AUTONEG		(1u << 2)
#define EVQ_REG_LINK_SPEED		0x001c	/* RO: Mbit/s, 0 if down */

#define EVQ_REG_MAC_LO			0x0020	/* RW: bytes 0..3, byte 0 in 7:0 */
#define EVQ_REG_MAC_HI			0x0024	/* RW: bytes 4..5 in 15:0; 31:16 rsvd 0 */
#define EVQ_REG_MTU			0x0028	/* RW: EVQ_MTU_MIN..EVQ_MTU_MAX */
#define EVQ_REG_RX_FILTER		0x002c	/* RW */
#define   EVQ_RX_FILTER_PROMISC		(1u << 0)
#define   EVQ_RX_FILTER_ALLMULTI	(1u << 1)
#define   EVQ_RX_FILTER_BROADCAST	(1u << 2)  /* reset value 1 */
#define   EVQ_RX_FILTER_VALID_MASK	0x00000007u

#define EVQ_REG_MAX_QUEUES		0x0030	/* RO: 15:0 RX, 31:16 TX */
#define EVQ_REG_MAX_EQS			0x0034	/* RO: 15:0 EQs, 31:16 MSI-X vectors */
#define EVQ_REG_RSS_CAPS		0x0038	/* RO: 15:0 RETA entries, 23:16 key bytes,
						 * 29:24 supported EVQ_RSS_HASH_* */
#define EVQ_REG_RING_LIMITS		0x003c	/* RO: log2 of 7:0 min desc, 15:8 max
						 * desc, 23:16 min EQ, 31:24 max EQ */

#define EVQ_REG_LOCAL_TIME_LO		0x0040	/* RO: device time, ns, 64-bit */
#define EVQ_REG_LOCAL_TIME_HI		0x0044

#define EVQ_REG_GLOBAL_IRQ		0x0048	/* RW: binding of EQ 0 (vector 0) */
#define   EVQ_GLOBAL_IRQ_LEGACY		(1u << 0)  /* EQ 0 signals INTx */
#define EVQ_REG_INTX_STATUS		0x004c	/* RO/W1C: bit e = EQ e signalled INTx */

#define EVQ_REG_WI_BASE_LO		0x0050	/* RW: write-indicator area IOVA */
#define EVQ_REG_WI_BASE_HI		0x0054	/*     (64-B aligned, 4 B per EQ) */
#define EVQ_REG_SUMMARY_PRIMARY_LO	0x0060	/* RW: primary summary line IOVA */
#define EVQ_REG_SUMMARY_PRIMARY_HI	0x0064	/*     (64-B aligned, 1 B per group) */
#define EVQ_REG_SUMMARY_SECONDARY_LO	0x0068	/* RW: secondary lines IOVA */
#define EVQ_REG_SUMMARY_SECONDARY_HI	0x006c	/*     (64-B aligned, 1 line per group) */
#define EVQ_REG_PERM_MAC_LO		0x0070	/* RO: permanent MAC, as MAC_LO */
#define EVQ_REG_PERM_MAC_HI		0x0074	/* RO: as MAC_HI */
#define EVQ_REG_SCRATCH			0x0078	/* RW: no effect (access-cost tests) */

/* --- admin command block ---------------------------------------------- */
#define EVQ_REG_ADMIN_ARG(i)		(0x0080 + 4 * (i))	/* RW, i = 0..5 */
#define EVQ_ADMIN_NARGS			6
#define EVQ_REG_ADMIN_CMD		0x0098	/* WO: writing executes */
#define   EVQ_ADMIN_CMD_OPCODE_MASK	0x000000ffu
#define   EVQ_ADMIN_CMD_TAG_SHIFT	16	/* 31:16 tag, echoed */
#define EVQ_REG_ADMIN_STATUS		0x009c	/* RO: 15:0 tag of last command */
#define   EVQ_ADMIN_STATUS_TAG_MASK	0x0000ffffu
#define   EVQ_ADMIN_STATUS_BUSY		(1u << 16) /* never set: commands are synchronous */
#define   EVQ_ADMIN_STATUS_DONE		(1u << 17) /* a command has completed */
#define EVQ_REG_ADMIN_ERRNO		0x00a0	/* RO: 0 or a positive errno */
#define EVQ_REG_ADMIN_RESULT0		0x00a4	/* RO */
#define EVQ_REG_ADMIN_RESULT1		0x00a8	/* RO */

/* Admin opcodes (EVQ_REG_ADMIN_CMD 7:0). */
#define EVQ_ADMIN_NOP			0x01
/*
 * EQ_SWITCH (resize/switch): ARG0 EQ number, ARG1/ARG2 new base IOVA lo/hi,
 * ARG3 new size (entries; entry size is kept), ARG4 read-indicator advance
 * count, ARG5 flags (EVQ_ADMIN_SWITCH_F_*). RESULT0 = switch count, RESULT1
 * = device read count after the advance. Defined EQ: switch marker (code
 * 0xff, param log2(new size)) at count RESULT0 in the old ring, new ring
 * from RESULT0 + 1. UNDEFINED EQ (after an overflow): no marker, new ring
 * from count RESULT0 = the write count where posting stopped, or from
 * RESULT0 + 1 with EVQ_ADMIN_SWITCH_F_MARKER; EQ -> UNARMED.
 */
#define EVQ_ADMIN_EQ_SWITCH		0x02
/* EQ_SWITCH ARG5: recovery only (EQ UNDEFINED after an overflow): the driver
 * has written lib/evq_ring's switch marker at the stop count itself
 * (evq_ring_cons_switch_at()); the EQ continues at stop count + 1. */
#define   EVQ_ADMIN_SWITCH_F_MARKER	(1u << 0)
/* POST_TEST: ARG0 EQ, ARG1 23:0 param, ARG2..ARG4 words 1..3 of an
 * EVQ_EV_TEST event. RESULT0 = EQ write count after the post. */
#define EVQ_ADMIN_POST_TEST		0x03
/* SET_LINK: ARG0 bit 0 up, ARG1 speed Mbit/s (0 = keep). Management /
 * test: models a cable pull; posts EVQ_EV_LINK. */
#define EVQ_ADMIN_SET_LINK		0x04
/* STATS_RESET: clear every statistics counter (global, per queue, per EQ). */
#define EVQ_ADMIN_STATS_RESET		0x05

/* --- last device error (also readable when EQ 0 cannot carry the event) */
#define EVQ_REG_LAST_ERROR		0x00b0	/* RO: 7:0 EVQ_ERR_* */
#define EVQ_REG_LAST_ERROR_DETAIL	0x00b4	/* RO: as event word 1 */
#define EVQ_REG_LAST_ERROR_VALUE_LO	0x00b8	/* RO: as event word 2 */
#define EVQ_REG_LAST_ERROR_VALUE_HI	0x00bc	/* RO: as event word 3 */

/* --- conventional interrupt registers: BENCHMARK BASELINE ONLY ---------
 * Active only with EVQ_DEV_CTRL_CONV_IRQ. One interrupt (vector 0, or INTx
 * with EVQ_GLOBAL_IRQ_LEGACY) for every cause; EQ arming does not signal.
 * The ISR pays 1 MMIO read (CAUSE) + 3 writes (MASK, ACK, MASK) per
 * interrupt: the cost the event-queue scheme removes. */
#define EVQ_REG_CONV_CAUSE		0x00c0	/* RO */
#define   EVQ_CONV_CAUSE_QUEUE(q)	(1u << (q))  /* queue pair q, q < 16 */
#define   EVQ_CONV_CAUSE_LINK		(1u << 16)
#define   EVQ_CONV_CAUSE_ERROR		(1u << 17)
#define   EVQ_CONV_CAUSE_ADMIN		(1u << 18)
#define   EVQ_CONV_CAUSE_OVERFLOW	(1u << 19)
#define   EVQ_CONV_CAUSE_VALID_MASK	0x000fffffu
#define EVQ_REG_CONV_MASK		0x00c4	/* RW: 1 = cause masked; reset all 1s */
#define EVQ_REG_CONV_ACK		0x00c8	/* WO/W1C: clears CAUSE bits */

/* --- receive filters (0x0900 - 0x0dff) ----------------------------------
 * Applied to every received frame after the MAC check of EVQ_REG_RX_FILTER
 * (datasheet "Receive filters"). */
#define EVQ_REG_VLAN_CTRL		0x0900	/* RW */
#define   EVQ_VLAN_CTRL_STRIP		(1u << 0)  /* remove the 802.1Q tag, report it */
#define   EVQ_VLAN_CTRL_FILTER		(1u << 1)  /* drop VIDs not in the table */
#define   EVQ_VLAN_CTRL_VALID_MASK	0x00000003u
/* Extra unicast addresses (the first one is EVQ_REG_MAC_LO/HI): LO as
 * MAC_LO, HI as MAC_HI plus bit 31 VALID. */
#define EVQ_UC_MAC_COUNT		16
#define EVQ_REG_UC_MAC_LO(i)		(0x0a00 + 8 * (i))	/* RW, i < 16 */
#define EVQ_REG_UC_MAC_HI(i)		(0x0a04 + 8 * (i))
/* Multicast addresses accepted without ALLMULTI, same layout. */
#define EVQ_MC_MAC_COUNT		32
#define EVQ_REG_MC_MAC_LO(i)		(0x0a80 + 8 * (i))	/* RW, i < 32 */
#define EVQ_REG_MC_MAC_HI(i)		(0x0a84 + 8 * (i))
#define   EVQ_MAC_ENTRY_VALID		(1u << 31)
#define   EVQ_MAC_ENTRY_VALID_MASK	0x8000ffffu	/* of the HI word */
/* VLAN filter table: 4096 bits, VID v is bit v % 32 of register v / 32. */
#define EVQ_VLAN_TABLE_REGS		128
#define EVQ_REG_VLAN_TABLE(i)		(0x0c00 + 4 * (i))	/* RW, i < 128 */

/* --- RSS ---------------------------------------------------------------- */
#define EVQ_REG_RSS_CTRL		0x0100	/* RW: EVQ_RSS_HASH_* enables */
#define   EVQ_RSS_HASH_IPV4		(1u << 0)
#define   EVQ_RSS_HASH_IPV4_TCP		(1u << 1)
#define   EVQ_RSS_HASH_IPV4_UDP		(1u << 2)
#define   EVQ_RSS_HASH_IPV6		(1u << 3)
#define   EVQ_RSS_HASH_IPV6_TCP		(1u << 4)
#define   EVQ_RSS_HASH_IPV6_UDP		(1u << 5)
#define   EVQ_RSS_HASH_ALL		0x0000003fu
#define EVQ_REG_RSS_HASH_MASK		0x0104	/* RW: 2^k - 1, k <= 7; reset 0x7f */
#define EVQ_REG_RSS_KEY(i)		(0x0110 + 4 * (i))	/* RW, i = 0..9 */
/* key byte 4i+j is bits 8j+7:8j of EVQ_REG_RSS_KEY(i): a memcpy of the
 * 40-byte key onto the 10 registers (little-endian) is the right layout. */

/* RETA: 128 one-byte entries (RX queue numbers), four per register. */
#define EVQ_REG_RETA(i)			(0x0200 + 4 * (i))	/* RW, i = 0..31 */
#define EVQ_RETA_REGS			(EVQ_RETA_SIZE / 4)
#define EVQ_RETA_ENTRY_REG(n)		EVQ_REG_RETA((n) / 4)
#define EVQ_RETA_ENTRY_SHIFT(n)		(8 * ((n) % 4))

/* --- message-vector map ------------------------------------------------ */
/* Event class x queue -> EQ, vector, legacy (INTx). */
#define EVQ_EVCLASS_RX			0
#define EVQ_EVCLASS_TX			1
#define EVQ_EVCLASS_COUNT		2
#define EVQ_REG_MVM(cls, q)		(0x0400 + 4 * ((cls) * EVQ_MAX_QUEUES + (q)))
#define   EVQ_MVM_EQ_MASK		0x0000ffffu /* 15:0 EQ number */
#define   EVQ_MVM_VECTOR_SHIFT		16	   /* 26:16 MSI-X vector */
#define   EVQ_MVM_VECTOR_MASK		0x07ff0000u
#define   EVQ_MVM_LEGACY		(1u << 30) /* signal INTx, not MSI-X */
#define   EVQ_MVM_VALID			(1u << 31)
#define   EVQ_MVM_RESERVED_MASK		0x38000000u

static inline uint32_t
evq_mvm_entry(uint16_t eq, uint16_t vector, int legacy)
{
	return EVQ_MVM_VALID | (legacy ? EVQ_MVM_LEGACY : 0) |
		(((uint32_t)vector << EVQ_MVM_VECTOR_SHIFT) & EVQ_MVM_VECTOR_MASK) |
		eq;
}

/* --- global statistics (RO, 64-bit, cleared by reset / STATS_RESET) ---- */
#define EVQ_REG_STAT(i)			(0x0800 + 8 * (i))
enum evq_stat {
	EVQ_STAT_RX_PACKETS = 0,	/* frames delivered to the host */
	EVQ_STAT_RX_BYTES,
	EVQ_STAT_RX_MISSED,		/* no descriptor, queue off, EQ refused */
	EVQ_STAT_RX_FILTERED,		/* MAC filter / device disabled / link down */
	EVQ_STAT_RX_ERRORS,		/* oversize, runt, bad descriptor, DMA */
	EVQ_STAT_TX_PACKETS,
	EVQ_STAT_TX_BYTES,
	EVQ_STAT_TX_ERRORS,		/* bad descriptor, oversize, DMA */
	EVQ_STAT_EVENTS_POSTED,
	EVQ_STAT_EVENTS_LOST,		/* EQ undefined or overflowed */
	EVQ_STAT_MSIX_SIGNALS,
	EVQ_STAT_INTX_SIGNALS,
	EVQ_STAT_IRQ_PENDED,		/* vector masked or without eventfd */
	EVQ_STAT_DOORBELLS,		/* EQ doorbell word changes applied */
	EVQ_STAT_BAD_DOORBELLS,		/* malformed EQ doorbells */
	EVQ_STAT_BAD_TAILS,		/* malformed RX/TX tail doorbells */
	EVQ_STAT_ILLEGAL_ACCESSES,	/* bad register accesses and values */
	EVQ_STAT_DMA_FAULTS,		/* accesses outside every DMA mapping */
	EVQ_STAT_ADMIN_COMMANDS,
	EVQ_STAT_MODERATION_HELD,	/* signals held back by moderation */
	EVQ_STAT_CONV_SIGNALS,		/* conventional-baseline interrupts */
	EVQ_STAT_COUNT
};

/* --- per-EQ context: EVQ_REG_EQ(e, EVQ_EQ_*) --------------------------- */
#define EVQ_REG_EQ_BASE			0x1000
#define EVQ_REG_EQ_STRIDE		0x80
#define EVQ_REG_EQ(e, reg)		(EVQ_REG_EQ_BASE + EVQ_REG_EQ_STRIDE * (e) + (reg))
#define EVQ_EQ_BASE_LO			0x00	/* RW*: ring IOVA, EVQ_EQ_ALIGN */
#define EVQ_EQ_BASE_HI			0x04	/* RW* */
#define EVQ_EQ_SIZE			0x08	/* RW*: entries, power of two */
#define EVQ_EQ_ENTRY_SIZE		0x0c	/* RW*: 16, 32 or 64 */
#define EVQ_EQ_CTRL			0x10	/* RW */
#define   EVQ_EQ_CTRL_ENABLE		(1u << 0)  /* 1: UNDEFINED -> UNARMED */
#define   EVQ_EQ_CTRL_SSUM		(1u << 1)  /* write the secondary summary byte */
#define   EVQ_EQ_CTRL_PSUM		(1u << 2)  /* and the primary (group) byte */
#define   EVQ_EQ_CTRL_WI_WB		(1u << 3)  /* write-indicator write-back */
#define   EVQ_EQ_CTRL_MODE_TIMESTAMP	(1u << 4)  /* timestamp rule, not arming */
/*
 * Phase validity (needs EVQ_CAP_PHASE_VALID): the adapter writes bit 23 of
 * each control word as the parity of its lap, the driver clears nothing,
 * and the adapter learns free space only from the read indicator of the
 * doorbell words (lib/evq_ring's EVQ_RING_VALIDITY_PHASE; datasheet
 * "Validity rules: clear and phase"). Written with ENABLE; changing it
 * while the EQ is enabled is EVQ_ERR_BAD_STATE.
 */
#define   EVQ_EQ_CTRL_PHASE		(1u << 5)
#define   EVQ_EQ_CTRL_VALID_MASK	0x0000003fu
#define EVQ_EQ_STATE			0x14	/* RO */
#define   EVQ_EQ_STATE_MASK		0x00000003u /* enum evq_eq_state */
#define   EVQ_EQ_STATE_OVERFLOWED	(1u << 8)  /* went UNDEFINED by overflow */
#define EVQ_EQ_WRITE_COUNT		0x18	/* RO: write indicator (free-running) */
#define EVQ_EQ_READ_COUNT		0x1c	/* RO: last valid read indicator */
#define EVQ_EQ_INTR_DELAY		0x20	/* RW: next-interrupt delay, ns; 0 = none */
#define EVQ_EQ_WI_INTERVAL		0x24	/* RW: write-back every N posts; 0 = per batch */
#define EVQ_EQ_INTR_TS_LO		0x28	/* RO: next-interrupt time stamp, ns */
#define EVQ_EQ_INTR_TS_HI		0x2c
#define EVQ_EQ_CEC			0x30	/* RO: completion-event counter */
#define EVQ_EQ_IRQ			0x34	/* RO: effective interrupt binding */
#define   EVQ_EQ_IRQ_VECTOR_MASK	0x000007ffu
#define   EVQ_EQ_IRQ_LEGACY		(1u << 30)
#define   EVQ_EQ_IRQ_BOUND		(1u << 31)
#define EVQ_EQ_SIGNALS_LO		0x38	/* RO 64: interrupts raised */
#define EVQ_EQ_SIGNALS_HI		0x3c
#define EVQ_EQ_POSTED_LO		0x40	/* RO 64: events written */
#define EVQ_EQ_POSTED_HI		0x44
#define EVQ_EQ_HELD_LO			0x48	/* RO 64: signals held by moderation */
#define EVQ_EQ_HELD_HI			0x4c
#define EVQ_EQ_BAD_DOORBELLS		0x50	/* RO 32 */
#define EVQ_EQ_OVERFLOWS		0x54	/* RO 32 */
#define EVQ_EQ_LOST			0x58	/* RO 32: events dropped while UNDEFINED */
/* 0x5c..0x7f reserved */

/* EQ state, as reported by EVQ_EQ_STATE (same values as enum evq_ring_state). */
enum evq_eq_state {
	EVQ_EQ_UNDEFINED = 0,
	EVQ_EQ_UNARMED = 1,
	EVQ_EQ_ARMED = 2,
};

/* --- per-RX-queue registers: EVQ_REG_RXQ(q, EVQ_RXQ_*) ------------------ */
#define EVQ_REG_RXQ_BASE		0x2000
#define EVQ_REG_RXQ_STRIDE		0x40
#define EVQ_REG_RXQ(q, reg)		(EVQ_REG_RXQ_BASE + EVQ_REG_RXQ_STRIDE * (q) + (reg))
#define EVQ_RXQ_BASE_LO			0x00	/* RW*: descriptor ring IOVA */
#define EVQ_RXQ_BASE_HI			0x04	/* RW* */
#define EVQ_RXQ_SIZE			0x08	/* RW*: descriptors, power of two */
#define EVQ_RXQ_BUF_SIZE		0x0c	/* RW*: default buffer size, bytes */
#define EVQ_RXQ_CTRL			0x10	/* RW */
#define   EVQ_RXQ_CTRL_ENABLE		(1u << 0)
#define   EVQ_RXQ_CTRL_SCATTER		(1u << 1)  /* frames may span descriptors */
#define   EVQ_RXQ_CTRL_TIMESTAMP	(1u << 2)  /* EVQ_EV_RX_TIME before each batch */
#define   EVQ_RXQ_CTRL_VALID_MASK	0x00000007u
#define EVQ_RXQ_STATUS			0x14	/* RO */
#define   EVQ_QSTATUS_ENABLED		(1u << 0)
#define   EVQ_QSTATUS_FAULT		(1u << 1)  /* stopped by a DMA fault */
#define EVQ_RXQ_HEAD			0x18	/* RO: descriptors consumed (free-running) */
#define EVQ_RXQ_TAIL			0x1c	/* RO: last accepted tail doorbell */
#define EVQ_RXQ_PACKETS_LO		0x20	/* RO 64 */
#define EVQ_RXQ_PACKETS_HI		0x24
#define EVQ_RXQ_BYTES_LO		0x28	/* RO 64 */
#define EVQ_RXQ_BYTES_HI		0x2c
#define EVQ_RXQ_MISSED_LO		0x30	/* RO 64: no descriptor / EQ refused */
#define EVQ_RXQ_MISSED_HI		0x34
#define EVQ_RXQ_ERRORS			0x38	/* RO 32 */
/* 0x3c reserved */

/* --- per-TX-queue registers: EVQ_REG_TXQ(q, EVQ_TXQ_*) ------------------ */
#define EVQ_REG_TXQ_BASE		0x3000
#define EVQ_REG_TXQ_STRIDE		0x40
#define EVQ_REG_TXQ(q, reg)		(EVQ_REG_TXQ_BASE + EVQ_REG_TXQ_STRIDE * (q) + (reg))
#define EVQ_TXQ_BASE_LO			0x00	/* RW* */
#define EVQ_TXQ_BASE_HI			0x04	/* RW* */
#define EVQ_TXQ_SIZE			0x08	/* RW*: descriptors, power of two */
#define EVQ_TXQ_COAL			0x0c	/* RW: completion threshold; 0 = default */
#define EVQ_TXQ_CTRL			0x10	/* RW */
#define   EVQ_TXQ_CTRL_ENABLE		(1u << 0)
#define   EVQ_TXQ_CTRL_VALID_MASK	0x00000001u
#define EVQ_TXQ_STATUS			0x14	/* RO: EVQ_QSTATUS_* */
#define EVQ_TXQ_HEAD			0x18	/* RO: descriptors completed (free-running) */
#define EVQ_TXQ_TAIL			0x1c	/* RO: last accepted tail doorbell */
#define EVQ_TXQ_PACKETS_LO		0x20	/* RO 64 */
#define EVQ_TXQ_PACKETS_HI		0x24
#define EVQ_TXQ_BYTES_LO		0x28	/* RO 64 */
#define EVQ_TXQ_BYTES_HI		0x2c
#define EVQ_TXQ_DROPPED_LO		0x30	/* RO 64: packets dropped (bad) */
#define EVQ_TXQ_DROPPED_HI		0x34
#define EVQ_TXQ_ERRORS			0x38	/* RO 32 */
/* RW* = writable only while the queue / EQ is disabled (else EVQ_ERR_BAD_STATE). */

/* Reset values that are not 0. */
#define EVQ_RESET_RX_FILTER		EVQ_RX_FILTER_BROADCAST
#define EVQ_RESET_RSS_HASH_MASK		(EVQ_RETA_SIZE - 1)
#define EVQ_RESET_CONV_MASK		EVQ_CONV_CAUSE_VALID_MASK
#define EVQ_RESET_EQ_ENTRY_SIZE		16
#define EVQ_RESET_RXQ_BUF_SIZE		2048
/* RSS key after reset: evq_rss_default_key (the Microsoft verification key). */

/* ====================================================================== */
/* BAR2: doorbell page (4 KiB, mmapped by the driver, polled by the device) */
/* ====================================================================== */
/*
 * One 64-byte line per queue pair (its RX and TX tails) and one per EQ, so
 * that no two lcores share a line. Tails are free-running 32-bit counts of
 * descriptors posted (like the ring indicators): pending = tail - head,
 * valid while pending <= ring size. An EQ doorbell is lib/evq_ring's
 * 64-bit word (evq_doorbell_encode(); ARMED bit 63, VALID bit 62,
 * EQ number 47:32, read count 31:0), stored with ONE 64-bit store; the
 * device clears ARMED in place with a compare-and-swap when it signals.
 * The device stores 0 into a queue's tail words when the queue is enabled
 * (ring tails only after that write completed) and zeroes the page on
 * reset; it never writes an EQ doorbell except to clear ARMED.
 */
#define EVQ_DBPAGE_QUEUE_BASE		0x000
#define EVQ_DBPAGE_QUEUE_STRIDE		0x40
#define EVQ_DBPAGE_RXQ_TAIL(q)		(EVQ_DBPAGE_QUEUE_BASE + EVQ_DBPAGE_QUEUE_STRIDE * (q))
#define EVQ_DBPAGE_TXQ_TAIL(q)		(EVQ_DBPAGE_RXQ_TAIL(q) + 0x08)
#define EVQ_DBPAGE_EQ_BASE		0x400
#define EVQ_DBPAGE_EQ_STRIDE		0x40
#define EVQ_DBPAGE_EQ(e)		(EVQ_DBPAGE_EQ_BASE + EVQ_DBPAGE_EQ_STRIDE * (e))
#define EVQ_DBPAGE_RESERVED_BASE	0xc00	/* 0xc00..0xfff: ignored */

/* ====================================================================== */
/* BAR4: MSI-X table and PBA (trapped)                                    */
/* ====================================================================== */
#define EVQ_MSIX_TABLE_OFFSET		0x000	/* EVQ_MSIX_VECTORS x 16 bytes */
#define EVQ_MSIX_PBA_OFFSET		0x800	/* 8 bytes (32 pending bits) */
#define EVQ_MSIX_ENTRY_SIZE		16
#define EVQ_MSIX_ENTRY_ADDR_LO		0x0
#define EVQ_MSIX_ENTRY_ADDR_HI		0x4
#define EVQ_MSIX_ENTRY_DATA		0x8
#define EVQ_MSIX_ENTRY_CTRL		0xc
#define   EVQ_MSIX_ENTRY_CTRL_MASKED	(1u << 0)

/* ====================================================================== */
/* vfio-user transport                                                    */
/* ====================================================================== */
/* Region indexes: VFIO_PCI_BARn_REGION_INDEX = n, ROM 6, CONFIG 7, VGA 8. */
#define EVQ_PCI_NUM_REGIONS		9
#define EVQ_PCI_NUM_IRQS		5	/* INTx 0, MSI 1, MSI-X 2, ERR 3, REQ 4 */
#define EVQ_PCI_INTX_COUNT		1
#define EVQ_PCI_MSI_COUNT		0	/* unsupported */
#define EVQ_PCI_MSIX_COUNT		EVQ_MSIX_VECTORS

/* ====================================================================== */
/* RX and TX descriptors (16 bytes, device reads only)                    */
/* ====================================================================== */

struct evq_rx_desc {
	uint64_t buf_iova;	/* buffer start */
	uint16_t buf_len;	/* 0 = EVQ_RXQ_BUF_SIZE */
	uint16_t flags;		/* 0; reserved */
	uint32_t reserved;	/* 0 */
};

struct evq_tx_desc {
	uint64_t buf_iova;	/* segment start */
	uint16_t len;		/* segment bytes, >= 1 */
	uint16_t flags;		/* EVQ_TX_DESC_F_* */
	uint16_t mss;		/* first descriptor, with F_TSO: payload bytes per segment */
	uint16_t vlan_tci;	/* first descriptor, with F_VLAN: the tag to insert */
};
#define EVQ_TX_DESC_F_EOP		(1u << 0)  /* last segment of the packet */
#define EVQ_TX_DESC_F_RS		(1u << 1)  /* report: completion event now */
/*
 * Offloads, read from the packet's FIRST descriptor only (ignored in the
 * others). The adapter finds the headers itself (Ethernet, one 802.1Q tag,
 * IPv4 or IPv6 with extension headers, TCP or UDP) and ignores the
 * checksum fields' content. A packet whose headers do not allow the
 * requested offload is sent without it (checksums) or dropped as a bad
 * packet (TSO); see the datasheet, "TX offloads".
 */
#define EVQ_TX_DESC_F_IP_CSUM		(1u << 2)  /* IPv4 header checksum */
#define EVQ_TX_DESC_F_L4_CSUM		(1u << 3)  /* TCP/UDP checksum (IPv4, IPv6) */
#define EVQ_TX_DESC_F_TSO		(1u << 4)  /* TCP segmentation (implies both) */
#define EVQ_TX_DESC_F_VLAN		(1u << 5)  /* insert an 802.1Q tag: vlan_tci */
#define EVQ_TX_DESC_F_OFFLOAD_MASK	0x003cu
#define EVQ_TX_DESC_F_VALID_MASK	0x003fu

/* ====================================================================== */
/* Events (16-byte entries in an EQ)                                      */
/* ====================================================================== */
/*
 * Word 0 is the ring contract's control word: bits 31:24 event code
 * (0 = empty, 0xff reserved by lib/evq_ring for its switch marker), bits
 * 23:0 an inline parameter. Build / split it with evq_ctrl_make(),
 * evq_ctrl_code(), evq_ctrl_param() from evq_ring.h. Every device event's
 * parameter fits in bits 22:0 and leaves bit 23 zero, so that the same
 * fields serve an EQ with EVQ_EQ_CTRL_PHASE, where bit 23 is the phase bit
 * (EVQ_CTRL_PHASE; the consumer's evq_ring_peek_fixed()/poll_burst() hand
 * the word back without it).
 */
#define EVQ_EV_RX			0x01	/* RX completion, one per descriptor */
#define EVQ_EV_TX			0x02	/* TX completion, coalesced */
#define EVQ_EV_RX_TIME			0x03	/* arrival time of the next RX batch */
#define EVQ_EV_LINK			0x10	/* link change (EQ 0) */
#define EVQ_EV_EQ_OVERFLOW		0x11	/* an EQ overflowed (EQ 0) */
#define EVQ_EV_DEV_ERROR		0x12	/* device error (EQ 0) */
#define EVQ_EV_ADMIN			0x13	/* admin command completion (EQ 0) */
#define EVQ_EV_TEST			0x20	/* EVQ_ADMIN_POST_TEST (any EQ) */
#define EVQ_EV_RESERVED_SWITCH		0xff	/* = EVQ_CODE_SWITCH: never a device event */

#define EVQ_EVENT_SIZE			16

/* Generic view. */
struct evq_event {
	uint32_t ctrl;
	uint32_t w[3];
};

/* EVQ_EV_RX. ctrl param: 22:16 RX queue, 15:0 descriptor index. */
struct evq_ev_rx {
	uint32_t ctrl;
	uint16_t len;		/* bytes written into this descriptor's buffer */
	uint8_t ptype;		/* enum evq_ptype */
	uint8_t flags;		/* EVQ_RX_F_* */
	uint32_t rss_hash;	/* valid with EVQ_RX_F_RSS */
	uint16_t pkt_len;	/* whole frame, same in every segment's event */
	uint16_t vlan_tci;	/* valid with EVQ_RX_F_VLAN (tag in the data unless stripped) */
};
#define EVQ_EV_RX_QUEUE_SHIFT		16
#define EVQ_EV_RX_QUEUE_MASK		0x007f0000u
#define EVQ_EV_RX_DESC_MASK		0x0000ffffu
#define EVQ_RX_F_EOP			(1u << 0)  /* last descriptor of the frame */
#define EVQ_RX_F_RSS			(1u << 1)  /* rss_hash is valid */
#define EVQ_RX_F_L3_CSUM_OK		(1u << 2)  /* IPv4 header checksum good */
#define EVQ_RX_F_L3_CSUM_BAD		(1u << 3)
#define EVQ_RX_F_L4_CSUM_OK		(1u << 4)  /* TCP/UDP checksum good */
#define EVQ_RX_F_L4_CSUM_BAD		(1u << 5)
#define EVQ_RX_F_VLAN			(1u << 6)  /* one 802.1Q tag present (removed
						    * with EVQ_VLAN_CTRL_STRIP) */
#define EVQ_RX_F_ERROR			(1u << 7)  /* descriptor bad: no data written */

/*
 * EVQ_EV_RX_TIME. ctrl param: 22:16 RX queue (EVQ_EV_RX_QUEUE_MASK). Posted to a queue's EQ with
 * EVQ_RXQ_CTRL_TIMESTAMP before each batch of its EVQ_EV_RX events: the
 * frames of the batch arrived at 'timestamp' (EVQ_REG_LOCAL_TIME, ns).
 */
struct evq_ev_rx_time {
	uint32_t ctrl;
	uint32_t reserved;	/* 0 */
	uint64_t timestamp;
};

/* EVQ_EV_TX. ctrl param: 22:16 TX queue, 15:0 descriptors completed since
 * the previous TX event of this queue. */
struct evq_ev_tx {
	uint32_t ctrl;
	uint32_t done_count;	/* free-running count of completed descriptors */
	uint32_t reserved[2];
};
#define EVQ_EV_TX_QUEUE_SHIFT		16
#define EVQ_EV_TX_QUEUE_MASK		0x007f0000u
#define EVQ_EV_TX_COUNT_MASK		0x0000ffffu

/* EVQ_EV_LINK. ctrl param: EVQ_LINK_UP | EVQ_LINK_FULL_DUPLEX | EVQ_LINK_AUTONEG. */
struct evq_ev_link {
	uint32_t ctrl;
	uint32_t speed_mbps;
	uint32_t reserved[2];
};

/* EVQ_EV_EQ_OVERFLOW. ctrl param: 15:0 the EQ that overflowed. */
struct evq_ev_eq_overflow {
	uint32_t ctrl;
	uint32_t write_count;	/* write count at which posting stopped */
	uint32_t lost;		/* events lost so far on that EQ (EVQ_EQ_LOST) */
	uint32_t reserved;
};
#define EVQ_EV_OVERFLOW_EQ_MASK		0x0000ffffu

/* EVQ_EV_DEV_ERROR. ctrl param: 7:0 EVQ_ERR_*. */
struct evq_ev_dev_error {
	uint32_t ctrl;
	uint32_t detail;	/* register offset, or EVQ_ERR_OBJ(kind, index) */
	uint32_t value_lo;	/* offending value / IOVA, low 32 bits */
	uint32_t value_hi;
};
#define EVQ_EV_ERROR_CODE_MASK		0x000000ffu

/* EVQ_EV_ADMIN. ctrl param: 22:16 opcode (its low 7 bits: every opcode is
 * below 0x80, a larger one is unknown), 15:0 tag. */
struct evq_ev_admin {
	uint32_t ctrl;
	uint32_t errno_val;	/* 0 or a positive errno */
	uint32_t result0;
	uint32_t result1;
};
#define EVQ_EV_ADMIN_OPCODE_SHIFT	16
#define EVQ_EV_ADMIN_OPCODE_MASK	0x007f0000u
#define EVQ_EV_ADMIN_TAG_MASK		0x0000ffffu

/* EVQ_EV_TEST. ctrl param: ARG1 23:0 (22:0 on an EQ with EVQ_EQ_CTRL_PHASE). */
struct evq_ev_test {
	uint32_t ctrl;
	uint32_t data[3];	/* ARG2..ARG4 */
};

/* Device error codes (EVQ_EV_DEV_ERROR param, EVQ_REG_LAST_ERROR). */
enum evq_err {
	EVQ_ERR_NONE = 0,
	EVQ_ERR_BAD_ACCESS = 1,		/* misaligned/odd size/hole/outside BAR: detail offset */
	EVQ_ERR_READ_ONLY = 2,		/* write to an RO register: offset, value */
	EVQ_ERR_BAD_VALUE = 3,		/* reserved bits or out of range: offset, value */
	EVQ_ERR_BAD_STATE = 4,		/* RW* while enabled, enable of a bad config */
	EVQ_ERR_DOORBELL = 5,		/* malformed EQ doorbell: OBJ(EQ, slot), word */
	EVQ_ERR_TAIL = 6,		/* malformed tail: OBJ(RXQ/TXQ, q), value */
	EVQ_ERR_DMA = 7,		/* outside every mapping: OBJ(kind, index), IOVA */
	EVQ_ERR_RX_DESC = 8,		/* bad RX descriptor: OBJ(RXQ, q), desc index */
	EVQ_ERR_TX_DESC = 9,		/* bad TX descriptor/packet: OBJ(TXQ, q), index */
	EVQ_ERR_MVM_CONFLICT = 10,	/* EQ already bound otherwise: offset, value */
	EVQ_ERR_EQ_LOST = 11,		/* event for an UNDEFINED EQ: OBJ(EQ, e), lost */
};

/* Object kinds in an error's detail word: kind 31:16, index 15:0. */
#define EVQ_ERR_OBJ(kind, index)	(((uint32_t)(kind) << 16) | ((index) & 0xffffu))
enum evq_err_obj {
	EVQ_OBJ_EQ = 1,
	EVQ_OBJ_RXQ = 2,	/* RX ring / RX tail */
	EVQ_OBJ_TXQ = 3,	/* TX ring / TX tail */
	EVQ_OBJ_RX_BUF = 4,
	EVQ_OBJ_TX_BUF = 5,
	EVQ_OBJ_SUMMARY = 6,
	EVQ_OBJ_WI = 7,		/* write-indicator area */
};

/* ====================================================================== */
/* Packet types (evq_ev_rx.ptype)                                         */
/* ====================================================================== */
/*
 * Mapped 1:1 onto DPDK (the PMD does it; no DPDK header here):
 *   EVQ_PTYPE_L2        RTE_PTYPE_L2_ETHER
 *   EVQ_PTYPE_IPV4      RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4
 *   EVQ_PTYPE_IPV4_TCP  RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_TCP
 *   EVQ_PTYPE_IPV4_UDP  RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_UDP
 *   EVQ_PTYPE_IPV6      RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6
 *   EVQ_PTYPE_IPV6_TCP  RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6 | RTE_PTYPE_L4_TCP
 *   EVQ_PTYPE_IPV6_UDP  RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6 | RTE_PTYPE_L4_UDP
 * (with EVQ_RX_F_VLAN the PMD may report RTE_PTYPE_L2_ETHER_VLAN instead).
 * IP fragments and other L4 protocols report the L3 type only; IPv4 with
 * options is still EVQ_PTYPE_IPV4*.
 */
enum evq_ptype {
	EVQ_PTYPE_UNKNOWN = 0,	/* never reported for a delivered frame */
	EVQ_PTYPE_L2 = 1,
	EVQ_PTYPE_IPV4 = 2,
	EVQ_PTYPE_IPV4_TCP = 3,
	EVQ_PTYPE_IPV4_UDP = 4,
	EVQ_PTYPE_IPV6 = 5,
	EVQ_PTYPE_IPV6_TCP = 6,
	EVQ_PTYPE_IPV6_UDP = 7,
	EVQ_PTYPE_COUNT
};

/* ====================================================================== */
/* Summary bytes and write-indicator write-back                           */
/* ====================================================================== */
/* EQ e: secondary byte (e % 64) of line (e / 64); primary byte (e / 64). */
#define EVQ_SUMMARY_LINE		64
#define EVQ_SUMMARY_GROUPS		((EVQ_MAX_EQS + EVQ_SUMMARY_LINE - 1) / EVQ_SUMMARY_LINE)
#define EVQ_SUMMARY_SECONDARY_SIZE	(EVQ_SUMMARY_GROUPS * EVQ_SUMMARY_LINE)
/* Write-indicator area: uint32_t write count of EQ e at offset 4 * e. */
#define EVQ_WI_AREA_SIZE		(EVQ_MAX_EQS * 4)

/* ====================================================================== */
/* Layout checks                                                          */
/* ====================================================================== */
static_assert(sizeof(struct evq_rx_desc) == 16, "RX descriptor is 16 bytes");
static_assert(sizeof(struct evq_tx_desc) == 16, "TX descriptor is 16 bytes");
static_assert(sizeof(struct evq_event) == EVQ_EVENT_SIZE, "event is 16 bytes");
static_assert(sizeof(struct evq_ev_rx) == EVQ_EVENT_SIZE, "RX event is 16 bytes");
static_assert(sizeof(struct evq_ev_tx) == EVQ_EVENT_SIZE, "TX event is 16 bytes");
static_assert(sizeof(struct evq_ev_rx_time) == EVQ_EVENT_SIZE &&
		offsetof(struct evq_ev_rx_time, timestamp) == 8, "RX time event");
static_assert(sizeof(struct evq_ev_link) == EVQ_EVENT_SIZE, "link event is 16 bytes");
static_assert(sizeof(struct evq_ev_eq_overflow) == EVQ_EVENT_SIZE, "overflow event is 16 bytes");
static_assert(sizeof(struct evq_ev_dev_error) == EVQ_EVENT_SIZE, "error event is 16 bytes");
static_assert(sizeof(struct evq_ev_admin) == EVQ_EVENT_SIZE, "admin event is 16 bytes");
static_assert(sizeof(struct evq_ev_test) == EVQ_EVENT_SIZE, "test event is 16 bytes");
static_assert(offsetof(struct evq_ev_rx, len) == 4 && offsetof(struct evq_ev_rx, ptype) == 6 &&
		offsetof(struct evq_ev_rx, flags) == 7 && offsetof(struct evq_ev_rx, rss_hash) == 8 &&
		offsetof(struct evq_ev_rx, pkt_len) == 12 && offsetof(struct evq_ev_rx, vlan_tci) == 14,
		"RX event field offsets");
static_assert(offsetof(struct evq_tx_desc, len) == 8 && offsetof(struct evq_tx_desc, flags) == 10 &&
		offsetof(struct evq_tx_desc, mss) == 12 && offsetof(struct evq_tx_desc, vlan_tci) == 14,
		"TX descriptor field offsets");
static_assert(EVQ_REG_ADMIN_ARG(EVQ_ADMIN_NARGS) == EVQ_REG_ADMIN_CMD,
		"admin args are contiguous with the command register");
static_assert(EVQ_REG_RSS_KEY(EVQ_RSS_KEY_REGS) <= EVQ_REG_RETA(0), "key fits");
static_assert(EVQ_REG_RETA(EVQ_RETA_REGS) <= EVQ_REG_MVM(0, 0), "RETA fits");
static_assert(EVQ_REG_MVM(EVQ_EVCLASS_COUNT, 0) <= EVQ_REG_STAT(0), "MVM fits");
static_assert(EVQ_REG_STAT(EVQ_STAT_COUNT) <= EVQ_REG_VLAN_CTRL, "stats fit");
static_assert(EVQ_REG_UC_MAC_LO(EVQ_UC_MAC_COUNT) <= EVQ_REG_MC_MAC_LO(0), "UC list fits");
static_assert(EVQ_REG_MC_MAC_LO(EVQ_MC_MAC_COUNT) <= EVQ_REG_VLAN_TABLE(0), "MC list fits");
static_assert(EVQ_REG_VLAN_TABLE(EVQ_VLAN_TABLE_REGS) <= EVQ_REG_EQ_BASE, "VLAN table fits");
static_assert(EVQ_REG_EQ(EVQ_MAX_EQS, 0) <= EVQ_REG_RXQ_BASE, "EQ contexts fit");
static_assert(EVQ_REG_RXQ(EVQ_MAX_QUEUES, 0) <= EVQ_REG_TXQ_BASE, "RXQ registers fit");
static_assert(EVQ_REG_TXQ(EVQ_MAX_QUEUES, 0) <= EVQ_BAR0_SIZE, "TXQ registers fit");
static_assert(EVQ_DBPAGE_TXQ_TAIL(EVQ_MAX_QUEUES - 1) + 4 <= EVQ_DBPAGE_EQ_BASE, "tails fit");
static_assert(EVQ_DBPAGE_EQ(EVQ_MAX_EQS) <= EVQ_DBPAGE_RESERVED_BASE, "EQ doorbells fit");
static_assert(EVQ_MSIX_VECTORS * EVQ_MSIX_ENTRY_SIZE <= EVQ_MSIX_PBA_OFFSET, "MSI-X table fits");
static_assert(EVQ_MSIX_PBA_OFFSET + 8 <= EVQ_BAR4_SIZE, "PBA fits");
static_assert(EVQ_MAX_EQS <= 32, "INTX_STATUS has one bit per EQ");
static_assert(EVQ_MAX_QUEUES <= 16, "CONV_CAUSE has 16 queue bits");
static_assert(EVQ_MAX_QUEUES <= 256, "a RETA entry is one byte");
static_assert(EVQ_EV_TEST < EVQ_EV_RESERVED_SWITCH, "device codes are 0x01..0xfe");
static_assert(((EVQ_EV_RX_QUEUE_MASK | EVQ_EV_RX_DESC_MASK | EVQ_EV_TX_QUEUE_MASK |
		EVQ_EV_TX_COUNT_MASK | EVQ_EV_OVERFLOW_EQ_MASK | EVQ_EV_ERROR_CODE_MASK |
		EVQ_EV_ADMIN_OPCODE_MASK | EVQ_EV_ADMIN_TAG_MASK) & (1u << 23)) == 0,
		"event parameters leave bit 23 (a phase EQ's phase bit) free");
static_assert((EVQ_EV_RX_QUEUE_MASK >> EVQ_EV_RX_QUEUE_SHIFT) >= EVQ_MAX_QUEUES - 1 &&
		(EVQ_EV_TX_QUEUE_MASK >> EVQ_EV_TX_QUEUE_SHIFT) >= EVQ_MAX_QUEUES - 1,
		"queue fields hold every queue number");
static_assert(EVQ_DESC_COUNT_MAX - 1 <= EVQ_EV_RX_DESC_MASK, "descriptor index fits");

/* ====================================================================== */
/* MAC address registers                                                  */
/* ====================================================================== */

/*
 * A MAC address and the values of EVQ_REG_MAC_LO/HI (and PERM_MAC_LO/HI):
 * bytes 0..3 in LO with byte 0 in bits 7:0, bytes 4..5 in bits 15:0 of HI.
 * Register values are in host order; the access converts them to little
 * endian. One LO/HI pair is written or read at a time by the driver, one
 * register at a time by the device: hence one helper per register.
 */
static inline uint32_t
evq_mac_reg_lo(const uint8_t mac[6])
{
	return (uint32_t)mac[0] | (uint32_t)mac[1] << 8 |
		(uint32_t)mac[2] << 16 | (uint32_t)mac[3] << 24;
}

static inline uint32_t
evq_mac_reg_hi(const uint8_t mac[6])
{
	return (uint32_t)mac[4] | (uint32_t)mac[5] << 8;
}

/* Bytes 0..3 of mac from a MAC_LO value. */
static inline void
evq_mac_from_reg_lo(uint8_t mac[6], uint32_t lo)
{
	mac[0] = (uint8_t)lo;
	mac[1] = (uint8_t)(lo >> 8);
	mac[2] = (uint8_t)(lo >> 16);
	mac[3] = (uint8_t)(lo >> 24);
}

/* Bytes 4..5 of mac from a MAC_HI value (bits 31:16 are reserved). */
static inline void
evq_mac_from_reg_hi(uint8_t mac[6], uint32_t hi)
{
	mac[4] = (uint8_t)hi;
	mac[5] = (uint8_t)(hi >> 8);
}

#ifdef __cplusplus
}
#endif

#endif /* EVQ_HW_H */
