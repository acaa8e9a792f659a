/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * fuzz_sim_device: libFuzzer target for the device model behind a live
 * vfio-user connection. A real evq-sim port (fuzz_sim.h: control
 * callbacks and engine passes before each message) serves the connection
 * as the peer of the driver (fuzz_sock.h: in the same thread, whenever the
 * driver waits for a reply; most inputs through an in-memory socket, one
 * in FUZZ_SOCK_REAL_EVERY through the kernel's). The driver speaks
 * through the real client API. Every input starts with the device reset,
 * its DMA memory zeroed and this set of DMA maps in place (the connection
 * is kept from one input to the next: see fuzz_start_input):
 *   A  64 KiB read/write at 0x10000000
 *   B  16 KiB read-only  at 0x20000000
 *   C, D  8 KiB each, read/write, back to back at 0x30000000 and 0x30002000
 *   E  64 KiB at 0x40000000 mapped without an fd (the device cannot reach
 *      it: any access there must be a DMA fault)
 * The input is a program of operations (one opcode byte, then arguments):
 * BAR0 register writes and reads (any offset, or a register picked from the
 * queue, EQ, admin, MVM and RSS blocks), base addresses pointing into a map,
 * across a map's end, across the C/D boundary, into the fd-less map or
 * nowhere, doorbell-page stores (tails, EQ doorbell words including
 * malformed ones), bytes written into DMA memory (descriptors, frames),
 * admin commands, config-space writes, eventfd binding, map removal and
 * re-adding, device reset, and engine passes; one operation that sets up
 * a running datapath at once (Rx and Tx queue on an EQ that uses the
 * clear or the phase validity rule, Rx buffers posted), and one that posts
 * an Rx or Tx descriptor as the driver would (next slot, a sane length,
 * the tail rung) with its buffer anywhere. Each input ends with engine
 * passes, so that what it started is charged to it.
 *
 * Oracle: the process does not crash, and the device never touches memory
 * outside a DMA map: evq-sim itself maps each DMA map between inaccessible
 * guard areas (sim_dma_mmap), fuzz_guard.c does the same for its other
 * file mappings (the doorbell page), and read-only maps are mapped
 * read-only, so an access past a map's end or a write into B faults.
 * regressions/fuzz-sim-device/ holds inputs that cross map A's end with an
 * Rx buffer, a Tx buffer (plain and with offloads) and an EQ, and their
 * twins aimed into the fd-less map: each is refused (a counted DMA fault
 * or an EQ left undefined) while sim_dma_xlate checks lengths, and dies on
 * a guard page if it did not.
 */

#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz_sim.h"
#include "fuzz_sock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_map {
	uint64_t iova;
	uint64_t size;
	uint32_t flags;
	int fd;
	uint8_t *va;		/* the driver's view */
	bool mapped;
};

enum {
	MAP_A, MAP_B, MAP_C, MAP_D, FUZZ_NMAPS
};
#define FUZZ_FDLESS_IOVA	0x40000000ull
/* where setup_queues puts the rings and the posted Rx buffers, in map A */
#define FUZZ_RX_RING		0x4000u
#define FUZZ_TX_RING		0x5000u
#define FUZZ_RX_BUFS		0x8000u
#define FUZZ_RX_BUF_SIZE	2048u
#define FUZZ_RX_POSTED		16u
static_assert(FUZZ_RX_BUFS + FUZZ_RX_POSTED * FUZZ_RX_BUF_SIZE <= 0x10000,
		"the posted Rx buffers fit in map A");
#define FUZZ_UNMAPPED_IOVA	0x50000000ull

static struct fuzz_map fuzz_maps[FUZZ_NMAPS] = {
	[MAP_A] = { 0x10000000, 0x10000, EVQ_VFU_DMA_F_READ | EVQ_VFU_DMA_F_WRITE, -1, NULL, false },
	[MAP_B] = { 0x20000000, 0x4000, EVQ_VFU_DMA_F_READ, -1, NULL, false },
	[MAP_C] = { 0x30000000, 0x2000, EVQ_VFU_DMA_F_READ | EVQ_VFU_DMA_F_WRITE, -1, NULL, false },
	[MAP_D] = { 0x30002000, 0x2000, EVQ_VFU_DMA_F_READ | EVQ_VFU_DMA_F_WRITE, -1, NULL, false },
};

/* The rings setup_queues placed last (queue q, n descriptors each) and
 * the tails this input has rung on them (the device resets them to 0). */
static struct {
	uint8_t q;
	uint32_t n;
	uint32_t rx_tail, tx_tail;
} fuzz_ring = { .n = EVQ_DESC_COUNT_MIN };

/* input reader */
struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static uint64_t
take(struct fuzz_in *in, unsigned int bytes)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < bytes && in->n != 0; i++) {
		v |= (uint64_t)in->p[0] << (8 * i);
		in->p++;
		in->n--;
	}
	return v;
}

/* Registers worth aiming at: the blocks with side effects. */
static uint32_t
pick_reg(uint8_t sel, uint8_t idx)
{
	unsigned int q = idx % EVQ_MAX_QUEUES, e = idx % EVQ_MAX_EQS;

	switch (sel % 12) {
	case 0: return EVQ_REG_EQ(e, (idx / EVQ_MAX_EQS) % 8 * 4 + (idx & 0x20 ? 0x20 : 0));
	case 1: return EVQ_REG_RXQ(q, (idx / EVQ_MAX_QUEUES) % 5 * 4);
	case 2: return EVQ_REG_TXQ(q, (idx / EVQ_MAX_QUEUES) % 5 * 4);
	case 3: return EVQ_REG_ADMIN_ARG(idx % EVQ_ADMIN_NARGS);
	case 4: return EVQ_REG_ADMIN_CMD;
	case 5: return EVQ_REG_MVM(idx & 1, q);
	case 6: return EVQ_REG_DEV_CTRL;
	case 7: return EVQ_REG_RSS_CTRL + 4 * (idx % 4);
	case 8: return EVQ_REG_RETA(idx % 32);
	case 9: return 0x10 + 4 * (idx % 44);	/* the global block */
	case 10: return EVQ_REG_STAT(idx % 32);
	default: return (uint32_t)idx * 4 % EVQ_BAR0_SIZE;
	}
}

/* An IOVA: inside a map, across its end, across C/D, fd-less, nowhere. */
static uint64_t
pick_iova(uint8_t sel, uint32_t off)
{
	const struct fuzz_map *m = &fuzz_maps[sel % FUZZ_NMAPS];

	switch ((sel >> 2) % 6) {
	case 0: return m->iova + off % m->size;
	case 1: return m->iova + m->size - (off % 256);			/* tail end */
	case 2: return fuzz_maps[MAP_D].iova - (off % 512);		/* C/D boundary */
	case 3: return FUZZ_FDLESS_IOVA + off % 0x10000;
	case 4: return FUZZ_UNMAPPED_IOVA + off;
	default: return m->iova - (off % 256);				/* head end */
	}
}

static void
reg_write(struct evq_vfu_conn *c, uint32_t off, uint32_t v)
{
	evq_vfu_client_region_write(c, VFIO_PCI_BAR0_REGION_INDEX, off, &v, sizeof(v));
}

static int
map_add(struct evq_vfu_conn *c, unsigned int i)
{
	struct fuzz_map *m = &fuzz_maps[i];

	if (m->mapped)
		return 0;
	if (evq_vfu_client_dma_map(c, m->fd, 0, m->iova, m->size, m->flags) != 0)
		return -1;
	m->mapped = true;
	return 0;
}

/*
 * Queue q and EQ e placed in map A, FUZZ_RX_POSTED Rx buffers posted: one
 * step to a running datapath, where a frame sent on the loop wire is read
 * from its Tx buffer and written into an Rx buffer.
 */
static void
setup_queues(struct evq_vfu_conn *c, uint8_t *dbpage, uint8_t q, uint8_t e, uint8_t lg)
{
	struct evq_doorbell db = { .valid = true };
	uint64_t eq_base = fuzz_maps[MAP_A].iova + 0x0000 + (e % 4) * 0x1000;
	uint64_t rx_base = fuzz_maps[MAP_A].iova + FUZZ_RX_RING;
	uint64_t tx_base = fuzz_maps[MAP_A].iova + FUZZ_TX_RING;
	/* 32 to 256 descriptors (the device refuses fewer than 32) and as
	 * many EQ entries: each ring fits its 4 KiB slot of map A */
	uint32_t n = EVQ_DESC_COUNT_MIN << (lg % 4);
	struct evq_rx_desc *rx = (struct evq_rx_desc *)(fuzz_maps[MAP_A].va + FUZZ_RX_RING);
	uint32_t i;

	for (i = 0; i < FUZZ_RX_POSTED; i++) {
		rx[i].buf_iova = fuzz_maps[MAP_A].iova + FUZZ_RX_BUFS + i * FUZZ_RX_BUF_SIZE;
		rx[i].buf_len = FUZZ_RX_BUF_SIZE;
		rx[i].flags = 0;
		rx[i].reserved = 0;
	}
	q %= EVQ_MAX_QUEUES;
	fuzz_ring.q = q;
	fuzz_ring.n = n;
	fuzz_ring.rx_tail = FUZZ_RX_POSTED;
	e = (uint8_t)(1 + e % (EVQ_MAX_EQS - 1));
	/* the consumer's first doorbell word, as evq_ring_cons_init() writes it */
	db.ring = e;
	__atomic_store_n((uint64_t *)(dbpage + EVQ_DBPAGE_EQ(e)), evq_doorbell_encode(&db),
			__ATOMIC_RELEASE);
	reg_write(c, EVQ_REG_EQ(e, EVQ_EQ_BASE_LO), (uint32_t)eq_base);
	reg_write(c, EVQ_REG_EQ(e, EVQ_EQ_BASE_HI), (uint32_t)(eq_base >> 32));
	reg_write(c, EVQ_REG_EQ(e, EVQ_EQ_SIZE), n);
	/* the clear or the phase validity rule */
	reg_write(c, EVQ_REG_EQ(e, EVQ_EQ_CTRL), EVQ_EQ_CTRL_ENABLE |
			(lg & 0x20 ? EVQ_EQ_CTRL_PHASE : 0));
	reg_write(c, EVQ_REG_MVM(EVQ_EVCLASS_RX, q), evq_mvm_entry(e, 0, 0));
	reg_write(c, EVQ_REG_MVM(EVQ_EVCLASS_TX, q), evq_mvm_entry(e, 0, 0));
	reg_write(c, EVQ_REG_RXQ(q, EVQ_RXQ_BASE_LO), (uint32_t)rx_base);
	reg_write(c, EVQ_REG_RXQ(q, EVQ_RXQ_BASE_HI), (uint32_t)(rx_base >> 32));
	reg_write(c, EVQ_REG_RXQ(q, EVQ_RXQ_SIZE), n);
	reg_write(c, EVQ_REG_RXQ(q, EVQ_RXQ_CTRL), EVQ_RXQ_CTRL_ENABLE |
			(lg & 0x10 ? EVQ_RXQ_CTRL_SCATTER : 0));
	reg_write(c, EVQ_REG_TXQ(q, EVQ_TXQ_BASE_LO), (uint32_t)tx_base);
	reg_write(c, EVQ_REG_TXQ(q, EVQ_TXQ_BASE_HI), (uint32_t)(tx_base >> 32));
	reg_write(c, EVQ_REG_TXQ(q, EVQ_TXQ_SIZE), n);
	reg_write(c, EVQ_REG_TXQ(q, EVQ_TXQ_CTRL), EVQ_TXQ_CTRL_ENABLE);
	reg_write(c, EVQ_REG_RX_FILTER, 0xffffffffu & 0x7);
	reg_write(c, EVQ_REG_DEV_CTRL, EVQ_DEV_CTRL_ENABLE);
	__atomic_store_n((uint32_t *)(dbpage + EVQ_DBPAGE_RXQ_TAIL(q)), FUZZ_RX_POSTED,
			__ATOMIC_RELEASE);
}

/*
 * A descriptor as the driver posts it, in the next slot of the rings
 * setup_queues placed, with the tail rung: a buffer anywhere (pick_iova),
 * a frame length the device takes (Tx: end of packet, report, and the
 * checksum and VLAN offload bits of one input byte; Rx: the buffer's
 * length). Only where the buffer points can be wrong.
 */
static void
post_packet(struct fuzz_in *in, uint8_t *dbpage, bool tx)
{
	uint8_t *ring = fuzz_maps[MAP_A].va + (tx ? FUZZ_TX_RING : FUZZ_RX_RING);
	uint32_t *tail = tx ? &fuzz_ring.tx_tail : &fuzz_ring.rx_tail;
	uint64_t iova = pick_iova((uint8_t)take(in, 1), (uint32_t)take(in, 4));
	uint16_t len = (uint16_t)(60 + take(in, 2) % (1514 - 60 + 1));
	uint8_t *slot = ring + (size_t)(*tail & (fuzz_ring.n - 1)) * 16;

	if (tx) {
		struct evq_tx_desc d = {
			.buf_iova = iova, .len = len,
			.flags = (uint16_t)(EVQ_TX_DESC_F_EOP | EVQ_TX_DESC_F_RS |
				(take(in, 1) & (EVQ_TX_DESC_F_IP_CSUM | EVQ_TX_DESC_F_L4_CSUM |
				EVQ_TX_DESC_F_VLAN))),
		};

		memcpy(slot, &d, sizeof(d));
	} else {
		struct evq_rx_desc d = { .buf_iova = iova, .buf_len = len };

		memcpy(slot, &d, sizeof(d));
	}
	(*tail)++;
	__atomic_store_n((uint32_t *)(dbpage + (tx ? EVQ_DBPAGE_TXQ_TAIL(fuzz_ring.q) :
			EVQ_DBPAGE_RXQ_TAIL(fuzz_ring.q))), *tail, __ATOMIC_RELEASE);
}

static void
run_program(struct evq_vfu_conn *c, struct fuzz_in *in, uint8_t *dbpage, int *efds)
{
	unsigned int steps = 0;

	while (in->n != 0 && steps++ < 256 && !c->broken) {
		uint8_t op = (uint8_t)take(in, 1);
		uint32_t off, v32;
		uint64_t v64;

		switch (op % 16) {
		case 0:		/* any BAR0 write, any size */
			off = (uint32_t)take(in, 2);
			v64 = take(in, 8);
			evq_vfu_client_region_write(c, VFIO_PCI_BAR0_REGION_INDEX,
					off % EVQ_BAR0_SIZE, &v64, 1u << (op >> 4 & 3));
			break;
		case 1:		/* a register from the interesting blocks */
		case 2:
			off = pick_reg((uint8_t)take(in, 1), (uint8_t)take(in, 1));
			reg_write(c, off, (uint32_t)take(in, 4));
			break;
		case 3:		/* a base address register: lo then hi */
			off = pick_reg((uint8_t)take(in, 1) % 3, (uint8_t)take(in, 1) & 0xe0);
			v64 = pick_iova((uint8_t)take(in, 1), (uint32_t)take(in, 4));
			reg_write(c, off & ~7u, (uint32_t)v64);
			reg_write(c, (off & ~7u) + 4, (uint32_t)(v64 >> 32));
			break;
		case 4:		/* BAR0 read */
			off = (uint32_t)take(in, 2) % EVQ_BAR0_SIZE;
			evq_vfu_client_region_read(c, VFIO_PCI_BAR0_REGION_INDEX, off & ~3u,
					&v32, 4);
			break;
		case 5: {	/* doorbell page store: tails and EQ words */
			off = (uint32_t)take(in, 2) % EVQ_BAR2_SIZE;
			v64 = take(in, 8);
			if (op & 0x10)
				__atomic_store_n((uint64_t *)(dbpage + (off & ~7u)), v64,
						__ATOMIC_RELEASE);
			else
				__atomic_store_n((uint32_t *)(dbpage + (off & ~3u)),
						(uint32_t)v64, __ATOMIC_RELEASE);
			break;
		}
		case 6: {
			struct evq_doorbell db = {
				.armed = op & 0x10, .valid = op & 0x20,
				.ring = (uint16_t)(take(in, 1) % EVQ_MAX_EQS),
				.read_indicator = (uint32_t)take(in, 2),
			};

			if (op & 0x40) {	/* a queue's tail, any value */
				off = (op & 0x10) ? EVQ_DBPAGE_TXQ_TAIL(db.ring % EVQ_MAX_QUEUES) :
					EVQ_DBPAGE_RXQ_TAIL(db.ring % EVQ_MAX_QUEUES);
				__atomic_store_n((uint32_t *)(dbpage + off), db.read_indicator,
						__ATOMIC_RELEASE);
				break;
			}
			/* a well-formed EQ doorbell, armed or not */
			__atomic_store_n((uint64_t *)(dbpage + EVQ_DBPAGE_EQ(db.ring)),
					evq_doorbell_encode(&db), __ATOMIC_RELEASE);
			break;
		}
		case 7: {	/* bytes into DMA memory (descriptors, frames) */
			struct fuzz_map *m = &fuzz_maps[take(in, 1) % FUZZ_NMAPS];
			uint32_t len = (uint32_t)take(in, 1) % 64;

			off = (uint32_t)take(in, 2) % (uint32_t)m->size;
			if (len > m->size - off)
				len = (uint32_t)(m->size - off);
			if (len > in->n)
				len = (uint32_t)in->n;
			memcpy(m->va + off, in->p, len);
			in->p += len;
			in->n -= len;
			break;
		}
		case 8: {	/* a descriptor pointing anywhere */
			struct fuzz_map *m = &fuzz_maps[MAP_A];
			struct evq_tx_desc d;

			if (op & 0x40) {
				post_packet(in, dbpage, op & 0x10);
				break;
			}
			if (op & 0x20) {	/* anywhere in any map */
				m = &fuzz_maps[take(in, 1) % FUZZ_NMAPS];
				off = (uint32_t)take(in, 2) % (uint32_t)m->size & ~15u;
			} else {		/* a slot of the rings setup_queues placed */
				off = ((op & 0x10) ? FUZZ_TX_RING : FUZZ_RX_RING) +
					(uint32_t)take(in, 1) * 16;
			}
			d.buf_iova = pick_iova((uint8_t)take(in, 1), (uint32_t)take(in, 4));
			d.len = (uint16_t)take(in, 2);
			/* any flags, offload requests included (TSO mss, tag) */
			d.flags = (uint16_t)take(in, 2);
			d.mss = (uint16_t)take(in, 2);
			d.vlan_tci = (uint16_t)take(in, 2);
			memcpy(m->va + off, &d, sizeof(d));
			break;
		}
		case 9:		/* admin command */
			reg_write(c, EVQ_REG_ADMIN_ARG(0), (uint32_t)take(in, 4));
			reg_write(c, EVQ_REG_ADMIN_ARG(1), (uint32_t)pick_iova((uint8_t)take(in, 1),
					(uint32_t)take(in, 4)));
			reg_write(c, EVQ_REG_ADMIN_ARG(2), 0);
			reg_write(c, EVQ_REG_ADMIN_ARG(3), (uint32_t)take(in, 4));
			reg_write(c, EVQ_REG_ADMIN_CMD, (uint32_t)take(in, 1) % 8 |
					(uint32_t)take(in, 2) << EVQ_ADMIN_CMD_TAG_SHIFT);
			break;
		case 10:	/* config space write */
			off = (uint32_t)take(in, 1);
			v32 = (uint32_t)take(in, 4);
			evq_vfu_client_region_write(c, VFIO_PCI_CONFIG_REGION_INDEX, off & ~3u,
					&v32, 4);
			break;
		case 11:	/* interrupts: bind some vectors, or unbind all */
			if (op & 0x10)
				evq_vfu_client_set_irqs(c, VFIO_PCI_MSIX_IRQ_INDEX,
						VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
						0, 0, NULL, NULL);
			else
				evq_vfu_client_set_irqs(c, VFIO_PCI_MSIX_IRQ_INDEX,
						VFIO_IRQ_SET_DATA_EVENTFD |
						VFIO_IRQ_SET_ACTION_TRIGGER, (uint32_t)take(in, 1) % 4,
						4, efds, NULL);
			break;
		case 12: {	/* take a map away (the device must stop using it), or back */
			unsigned int i = (unsigned int)take(in, 1) % FUZZ_NMAPS;

			if (fuzz_maps[i].mapped) {
				if (evq_vfu_client_dma_unmap(c, fuzz_maps[i].iova,
						fuzz_maps[i].size, 0) == 0)
					fuzz_maps[i].mapped = false;
			} else {
				map_add(c, i);
			}
			break;
		}
		case 13:
			setup_queues(c, dbpage, (uint8_t)take(in, 1), (uint8_t)take(in, 1),
					(uint8_t)take(in, 1));
			break;
		case 14:
			if (op & 0x10)
				evq_vfu_client_device_reset(c);
			else
				reg_write(c, EVQ_REG_DEV_CTRL, EVQ_DEV_CTRL_RESET);
			break;
		default: {	/* engine passes: each message is followed by two */
			struct evq_vfu_device_info info;
			unsigned int k, n = 1 + (op >> 4);

			for (k = 0; k < n; k++)
				evq_vfu_client_get_device_info(c, &info);
			break;
		}
		}
	}
}

/* The device's turn (the driver waits): serve what the driver sent. */
static void
fuzz_device_turn(void *arg)
{
	(void)arg;
	fuzz_sim_serve_ready();
}

/* The driver's side of the connection, kept from one input to the next. */
static struct {
	bool up;
	bool real;		/* through the kernel's socket (fuzz_sock.h) */
	struct evq_vfu_conn conn;
	uint8_t *dbpage;
	int efds[4];
} fuzz_drv = { .dbpage = MAP_FAILED, .efds = { -1, -1, -1, -1 } };

/* End the connection: the device sees EOF and disconnects (maps removed,
 * device reset, a new doorbell page). */
static void
fuzz_disconnect(void)
{
	unsigned int i;

	if (!fuzz_drv.up)
		return;
	evq_vfu_client_conn_close(&fuzz_drv.conn);
	fuzz_sim_serve_all();	/* what is left, then EOF: disconnect */
	munmap(fuzz_drv.dbpage, EVQ_BAR2_SIZE);
	fuzz_drv.dbpage = MAP_FAILED;
	for (i = 0; i < FUZZ_NMAPS; i++)
		fuzz_maps[i].mapped = false;
	fuzz_drv.up = false;
}

/* A new connection as the PMD makes it: VERSION, the doorbell page, the
 * maps A-D and the fd-less map. */
static void
fuzz_connect(bool real)
{
	struct evq_vfu_conn *c = &fuzz_drv.conn;
	struct evq_vfu_region bar2;
	struct evq_vfu_dma_map fdless;
	unsigned int i;
	int sv[2];

	fuzz_sock_pair(sv, real);
	if (fuzz_sim_connect(sv[0]) != 0)
		abort();
	fuzz_sock_set_peer(sv[1], fuzz_device_turn, NULL);
	evq_vfu_client_conn_init(c, sv[1]);
	if (evq_vfu_client_negotiate(c, NULL) != 0 ||
			evq_vfu_client_get_region_info(c, VFIO_PCI_BAR2_REGION_INDEX, &bar2) != 0 ||
			bar2.fd < 0)
		abort();
	fuzz_drv.dbpage = mmap(NULL, EVQ_BAR2_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			bar2.fd, 0);
	close(bar2.fd);
	if (fuzz_drv.dbpage == MAP_FAILED)
		abort();
	for (i = 0; i < FUZZ_NMAPS; i++)
		if (map_add(c, i) != 0)
			abort();
	/* a DMA_MAP without an fd: accepted, but the device cannot reach that
	 * memory, so anything aimed there must be a DMA fault */
	memset(&fdless, 0, sizeof(fdless));
	fdless.argsz = sizeof(fdless);
	fdless.flags = EVQ_VFU_DMA_F_READ | EVQ_VFU_DMA_F_WRITE;
	fdless.addr = FUZZ_FDLESS_IOVA;
	fdless.size = 0x10000;
	if (evq_vfu_client_call(c, EVQ_VFU_CMD_DMA_MAP, &fdless, sizeof(fdless), NULL, 0,
			NULL, 0, NULL, NULL, NULL) != 0)
		abort();
	fuzz_drv.real = real;
	fuzz_drv.up = true;
}

/*
 * Each input starts from the same state as on a new connection, without
 * making one: a device reset (DEVICE_RESET: registers to their reset
 * values, eventfds dropped, the doorbell page zeroed), zeroed DMA memory
 * and the maps the last input removed added again. A connection is made
 * again only when the last one broke, or for a change between the
 * in-memory and the kernel's socket.
 */
static void
fuzz_start_input(bool real)
{
	unsigned int i;

	if (fuzz_drv.up && (fuzz_drv.real != real || fuzz_drv.conn.broken ||
			evq_vfu_client_device_reset(&fuzz_drv.conn) != 0))
		fuzz_disconnect();
	for (i = 0; i < FUZZ_NMAPS; i++)
		memset(fuzz_maps[i].va, 0, fuzz_maps[i].size);
	if (!fuzz_drv.up) {
		fuzz_connect(real);
		return;
	}
	for (i = 0; i < FUZZ_NMAPS; i++)
		if (map_add(&fuzz_drv.conn, i) != 0)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	int i;

	fuzz_sim_port();
	if (fuzz_maps[MAP_A].fd < 0) {
		for (i = 0; i < FUZZ_NMAPS; i++) {
			struct fuzz_map *m = &fuzz_maps[i];

			m->fd = memfd_create("fuzz-dma", MFD_CLOEXEC);
			if (m->fd < 0 || ftruncate(m->fd, (off_t)m->size) != 0)
				abort();
			m->va = mmap(NULL, m->size, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd, 0);
			if (m->va == MAP_FAILED)
				abort();
		}
		/* the interrupt eventfds (the device only writes them) */
		for (i = 0; i < 4; i++)
			fuzz_drv.efds[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	}
	fuzz_start_input(fuzz_sock_use_real(data, size));
	memset(&fuzz_ring, 0, sizeof(fuzz_ring));
	fuzz_ring.n = EVQ_DESC_COUNT_MIN;
	run_program(&fuzz_drv.conn, &in, fuzz_drv.dbpage, fuzz_drv.efds);
	/* engine passes for what the last operations started, so that what
	 * they cause is charged to this input, not to the next one's reset */
	if (!fuzz_drv.conn.broken) {
		struct evq_vfu_device_info info;

		evq_vfu_client_get_device_info(&fuzz_drv.conn, &info);
	}
	return 0;
}
