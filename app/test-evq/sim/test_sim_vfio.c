/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq-sim as a vfio-user server: negotiation, device/region/IRQ info, the
 * doorbell page mapping, config space and BAR sizing, DMA map/unmap (with
 * overlaps and bad fds), SET_IRQS, and hostile input (malformed frames)
 * after which the sim must still serve the next client.
 */

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sim_client.h"

static struct sc_sim sim;

static void
start_sim(void)
{
	static const char *const args[] = { "--quiet", "--queues", "4", "--eqs", "9", NULL };

	cr_assert_eq(sc_sim_start(&sim, 1, args), 0, "evq-sim did not start "
		"(EVQ_SIM=%s)", getenv("EVQ_SIM") ? getenv("EVQ_SIM") : "unset");
}

static void
stop_sim(void)
{
	int status = sc_sim_stop(&sim);

	cr_expect_eq(status, 0, "evq-sim exit status %d (see %s)", status, sim.log);
}

TestSuite(sim_vfio, .init = start_sim, .fini = stop_sim, .timeout = 30);

/* A fresh client can still talk to the device. */
static void
assert_serves_next_client(void)
{
	struct sc_dev dev;

	cr_assert(sc_sim_alive(&sim), "evq-sim died");
	cr_assert_eq(sc_dev_open(&dev, sim.sock[0], 0), 0, "next client cannot connect");
	cr_assert_eq(sc_r32(&dev, EVQ_REG_ID), EVQ_ID_VALUE);
	sc_dev_close(&dev);
}

Test(sim_vfio, negotiation_and_info)
{
	struct evq_vfu_device_info info;
	struct vfio_irq_info irq;
	struct evq_vfu_region r;
	struct sc_dev dev;
	unsigned int i;

	cr_assert_eq(sc_dev_open(&dev, sim.sock[0], 0), 0);
	cr_assert(dev.conn.negotiated);
	cr_assert_geq(dev.conn.caps.max_msg_fds, 1);
	cr_assert_eq(evq_vfu_client_get_device_info(&dev.conn, &info), 0);
	cr_assert_eq(info.num_regions, EVQ_PCI_NUM_REGIONS);
	cr_assert_eq(info.num_irqs, EVQ_PCI_NUM_IRQS);
	cr_assert(info.flags & EVQ_VFU_DEV_F_PCI);
	cr_assert(info.flags & EVQ_VFU_DEV_F_RESET);

	cr_assert_eq(evq_vfu_client_get_region_info(&dev.conn, 0, &r), 0);
	cr_assert_eq(r.info.size, EVQ_BAR0_SIZE);
	cr_assert_eq(r.info.flags & VFIO_REGION_INFO_FLAG_MMAP, 0, "BAR0 traps");
	cr_assert_eq(r.fd, -1);
	cr_assert_eq(evq_vfu_client_get_region_info(&dev.conn, 2, &r), 0);
	cr_assert_eq(r.info.size, EVQ_BAR2_SIZE);
	cr_assert(r.info.flags & VFIO_REGION_INFO_FLAG_MMAP);
	cr_assert_eq(r.nr_areas, 1);
	cr_assert_eq(r.areas[0].size, EVQ_BAR2_SIZE);
	cr_assert_geq(r.fd, 0);
	close(r.fd);
	cr_assert_eq(evq_vfu_client_get_region_info(&dev.conn, 4, &r), 0);
	cr_assert_eq(r.info.size, EVQ_BAR4_SIZE);
	cr_assert_eq(evq_vfu_client_get_region_info(&dev.conn, 7, &r), 0);
	cr_assert_eq(r.info.size, EVQ_PCI_CFG_SIZE);
	for (i = 0; i < EVQ_PCI_NUM_REGIONS; i++) {
		if (i == 0 || i == 2 || i == 4 || i == 7)
			continue;
		cr_assert_eq(evq_vfu_client_get_region_info(&dev.conn, i, &r), 0);
		cr_assert_eq(r.info.size, 0, "region %u is unused", i);
	}
	cr_assert_eq(evq_vfu_client_get_irq_info(&dev.conn, VFIO_PCI_INTX_IRQ_INDEX, &irq), 0);
	cr_assert_eq(irq.count, 1);
	cr_assert_eq(evq_vfu_client_get_irq_info(&dev.conn, VFIO_PCI_MSI_IRQ_INDEX, &irq), 0);
	cr_assert_eq(irq.count, 0);
	cr_assert_eq(evq_vfu_client_get_irq_info(&dev.conn, VFIO_PCI_MSIX_IRQ_INDEX, &irq), 0);
	cr_assert_eq(irq.count, EVQ_MSIX_VECTORS);
	sc_dev_close(&dev);
}

Test(sim_vfio, registers_and_doorbell_page)
{
	struct sc_dev dev;
	uint64_t v = 0;
	uint32_t w;

	cr_assert_eq(sc_dev_open(&dev, sim.sock[0], 0), 0);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_ID), EVQ_ID_VALUE);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_VERSION) >> EVQ_VERSION_MAJOR_SHIFT, 1);
	cr_assert(sc_r32(&dev, EVQ_REG_DEV_STATUS) & EVQ_DEV_STATUS_READY);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_MAX_QUEUES), 4u | 4u << 16);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_MAX_EQS) & 0xffff, 9u);
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_SCRATCH, 0x12345678), 0);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_SCRATCH), 0x12345678);
	/* a store through the mapping is what the device sees through BAR2 */
	__atomic_store_n((uint64_t *)(dev.db + 0xc08), 0x1122334455667788ull,
		__ATOMIC_RELEASE);
	cr_assert_eq(evq_vfu_client_region_read(&dev.conn, 2, 0xc08, &v, 8), 0);
	cr_assert_eq(v, 0x1122334455667788ull);
	w = 77;
	cr_assert_eq(evq_vfu_client_region_write(&dev.conn, 2, 0xc10, &w, 4), 0);
	cr_assert_eq(*(volatile uint32_t *)(dev.db + 0xc10), 77);
	sc_dev_close(&dev);
}

Test(sim_vfio, config_space_and_bar_sizing)
{
	struct sc_dev dev;
	uint8_t cfg[256];
	uint32_t v, ones = 0xffffffff;
	uint16_t ctrl;

	cr_assert_eq(sc_dev_open(&dev, sim.sock[0], 0), 0);
	cr_assert_eq(evq_vfu_client_region_read(&dev.conn, 7, 0, cfg, sizeof(cfg)), 0);
	cr_assert_eq(cfg[0] | cfg[1] << 8, EVQ_PCI_VENDOR_ID);
	cr_assert_eq(cfg[2] | cfg[3] << 8, EVQ_PCI_DEVICE_ID);
	cr_assert_eq(cfg[0x0b], 0x02, "class network");
	cr_assert_eq(cfg[0x0e], 0x00, "header type 0");
	cr_assert(cfg[0x06] & 0x10, "capability list");
	cr_assert_eq(cfg[0x34], EVQ_PCI_CAP_MSIX_OFFSET);
	cr_assert_eq(cfg[0x40], 0x11, "MSI-X capability");
	memcpy(&ctrl, cfg + 0x42, 2);
	cr_assert_eq(ctrl & 0x7ff, EVQ_MSIX_VECTORS - 1);
	memcpy(&v, cfg + 0x44, 4);
	cr_assert_eq(v, EVQ_PCI_MSIX_TABLE);
	cr_assert_eq(cfg[0x10] & 0xf, 0x4, "BAR0 64-bit memory");

	/* sizing: all ones reads back ~(size - 1) with the type bits */
	cr_assert_eq(evq_vfu_client_region_write(&dev.conn, 7, 0x10, &ones, 4), 0);
	cr_assert_eq(evq_vfu_client_region_read(&dev.conn, 7, 0x10, &v, 4), 0);
	cr_assert_eq(v, (~(EVQ_BAR0_SIZE - 1u)) | 0x4, "BAR0 sizing 0x%08x", v);
	cr_assert_eq(evq_vfu_client_region_write(&dev.conn, 7, 0x14, &ones, 4), 0);
	cr_assert_eq(evq_vfu_client_region_read(&dev.conn, 7, 0x14, &v, 4), 0);
	cr_assert_eq(v, 0xffffffff, "BAR1 (upper half) sizing");
	cr_assert_eq(evq_vfu_client_region_write(&dev.conn, 7, 0x18, &ones, 4), 0);
	cr_assert_eq(evq_vfu_client_region_read(&dev.conn, 7, 0x18, &v, 4), 0);
	cr_assert_eq(v, (~(EVQ_BAR2_SIZE - 1u)) | 0x4, "BAR2 sizing");
	/* read-only fields stay */
	v = 0;
	cr_assert_eq(evq_vfu_client_region_write(&dev.conn, 7, 0, &v, 4), 0);
	cr_assert_eq(evq_vfu_client_region_read(&dev.conn, 7, 0, &v, 4), 0);
	cr_assert_eq(v & 0xffff, EVQ_PCI_VENDOR_ID);
	/* an access past the config space is refused */
	cr_assert_neq(evq_vfu_client_region_read(&dev.conn, 7, 254, &v, 4), 0);
	sc_dev_close(&dev);
	assert_serves_next_client();
}

Test(sim_vfio, dma_map_unmap)
{
	struct sc_dev dev;
	int memfd, efd, ret;
	uint8_t *mem;
	const size_t sz = 1 << 20;

	cr_assert_eq(sc_dev_open(&dev, sim.sock[0], 0), 0);
	memfd = memfd_create("t", MFD_CLOEXEC);
	cr_assert_geq(memfd, 0);
	cr_assert_eq(ftruncate(memfd, sz), 0);
	mem = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	cr_assert_neq(mem, MAP_FAILED);
	cr_assert_eq(evq_vfu_client_dma_map(&dev.conn, memfd, 0, sc_iova(mem), sz / 2,
		EVQ_VFU_DMA_F_READ | EVQ_VFU_DMA_F_WRITE), 0);
	/* overlapping maps are refused */
	cr_assert_neq(evq_vfu_client_dma_map(&dev.conn, memfd, 0, sc_iova(mem), sz / 2,
		EVQ_VFU_DMA_F_READ), 0, "identical map accepted");
	cr_assert_neq(evq_vfu_client_dma_map(&dev.conn, memfd, 0,
		sc_iova(mem) + 4096, sz / 2, EVQ_VFU_DMA_F_READ), 0, "overlap accepted");
	/* adjacent is fine */
	cr_assert_eq(evq_vfu_client_dma_map(&dev.conn, memfd, sz / 2,
		sc_iova(mem) + sz / 2, sz / 2, EVQ_VFU_DMA_F_READ), 0);
	/* bad fds: an eventfd, and a file too short for offset + size */
	efd = eventfd(0, EFD_CLOEXEC);
	ret = evq_vfu_client_dma_map(&dev.conn, efd, 0, 0x100000000ull, 4096,
			EVQ_VFU_DMA_F_READ);
	cr_assert_neq(ret, 0, "eventfd accepted as DMA memory");
	close(efd);
	ret = evq_vfu_client_dma_map(&dev.conn, memfd, sz, 0x200000000ull, 4096,
			EVQ_VFU_DMA_F_READ);
	cr_assert_neq(ret, 0, "map past the end of the file accepted");
	/* vfio-user.rst, VFIO_USER_DMA_UNMAP with the kernel's type1 rule for
	 * ranges: a range cutting through a map is refused and removes
	 * nothing (the map still blocks an overlapping one) */
	cr_assert_eq(evq_vfu_client_dma_unmap(&dev.conn, sc_iova(mem), 4096, 0), -EINVAL);
	cr_assert_neq(evq_vfu_client_dma_map(&dev.conn, memfd, 0, sc_iova(mem), 4096,
		EVQ_VFU_DMA_F_READ), 0, "the refused unmap removed the map");
	/* one range over both halves removes both; again: nothing left, fine */
	cr_assert_eq(evq_vfu_client_dma_unmap(&dev.conn, sc_iova(mem), sz, 0), 0);
	cr_assert_eq(evq_vfu_client_dma_unmap(&dev.conn, sc_iova(mem), sz, 0), 0);
	cr_assert_eq(evq_vfu_client_dma_map(&dev.conn, memfd, sz / 2,
		sc_iova(mem) + sz / 2, sz / 2, EVQ_VFU_DMA_F_READ), 0,
		"the second half was left mapped");
	/* the unmap-all flag */
	cr_assert_eq(evq_vfu_client_dma_unmap(&dev.conn, 0, 0, EVQ_VFU_DMA_UNMAP_F_ALL), 0);
	/* and mapping again works */
	cr_assert_eq(evq_vfu_client_dma_map(&dev.conn, memfd, 0, sc_iova(mem), sz,
		EVQ_VFU_DMA_F_READ | EVQ_VFU_DMA_F_WRITE), 0);
	sc_dev_close(&dev);
	munmap(mem, sz);
	close(memfd);
	assert_serves_next_client();
}

Test(sim_vfio, set_irqs_and_signal)
{
	uint32_t args[6] = { 0 };
	struct evq_event ev;
	struct sc_dev dev;
	struct sc_eq eq0;
	int fds[2];

	cr_assert_eq(sc_dev_open(&dev, sim.sock[0], 1 << 20), 0);
	cr_assert_eq(sc_irq_msix(&dev, 4), 0);
	/* out of range: start + count > 32 */
	fds[0] = evq_eventfd_create();
	fds[1] = evq_eventfd_create();
	cr_assert_neq(evq_vfu_client_set_irqs(&dev.conn, VFIO_PCI_MSIX_IRQ_INDEX,
		VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, 31, 2, fds, NULL), 0);
	/* MSI is not supported */
	cr_assert_neq(evq_vfu_client_set_irqs(&dev.conn, VFIO_PCI_MSI_IRQ_INDEX,
		VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, 0, 1, fds, NULL), 0);
	close(fds[0]);
	close(fds[1]);
	cr_assert_eq(sc_eq_setup(&dev, &eq0, 0, 64, 0), 0);
	evq_ring_arm(&eq0.cons);
	args[0] = 0;
	args[1] = 0x1234;
	cr_assert_eq(sc_admin(&dev, EVQ_ADMIN_POST_TEST, args, NULL, NULL), 0);
	cr_assert_gt(sc_irq_wait(dev.msix[0], 2000), 0, "vector 0 not signalled");
	cr_assert(sc_eq_find(&eq0, EVQ_EV_TEST, &ev, 1000));
	cr_assert_eq(evq_ctrl_param(ev.ctrl), 0x1234);
	/* vfio-user.rst, VFIO_USER_DEVICE_GET_IRQ_INFO / SET_IRQS: MSI-X is
	 * MASKABLE, so MASK and UNMASK work: a masked vector holds its
	 * signal, UNMASK delivers it */
	{
		struct vfio_irq_info ii;
		uint8_t yes = 1;

		cr_assert_eq(evq_vfu_client_get_irq_info(&dev.conn, VFIO_PCI_MSIX_IRQ_INDEX,
			&ii), 0);
		cr_assert(ii.flags & VFIO_IRQ_INFO_MASKABLE, "MSI-X not MASKABLE");
		cr_assert_eq(evq_vfu_client_set_irqs(&dev.conn, VFIO_PCI_MSIX_IRQ_INDEX,
			VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_MASK, 0, 1, NULL, &yes), 0);
		evq_ring_arm(&eq0.cons);
		args[1] = 0x5678;
		cr_assert_eq(sc_admin(&dev, EVQ_ADMIN_POST_TEST, args, NULL, NULL), 0);
		cr_assert(sc_eq_find(&eq0, EVQ_EV_TEST, &ev, 1000));
		cr_assert_eq(sc_irq_wait(dev.msix[0], 200), 0, "masked vector 0 signalled");
		cr_assert_eq(evq_vfu_client_set_irqs(&dev.conn, VFIO_PCI_MSIX_IRQ_INDEX,
			VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK, 0, 1, NULL, NULL), 0);
		cr_assert_gt(sc_irq_wait(dev.msix[0], 2000), 0, "held signal not delivered");
	}
	/* unbind all: MSI-X off, the signal is no longer delivered there */
	cr_assert_eq(evq_vfu_client_set_irqs(&dev.conn, VFIO_PCI_MSIX_IRQ_INDEX,
		VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, NULL, NULL), 0);
	sc_dev_close(&dev);
	assert_serves_next_client();
}

/* ---------------------------------------------------- hostile input -- */

static int
raw_connect_negotiated(void)
{
	static const char json[] = "{\"capabilities\":{\"max_msg_fds\":8}}";
	struct evq_vfu_hdr hdr = { .msg_id = 1, .command = EVQ_VFU_CMD_VERSION };
	uint8_t payload[4 + sizeof(json)];
	struct evq_vfu_msg msg;
	int fd, ret;

	fd = evq_vfu_client_connect(sim.sock[0]);
	cr_assert_geq(fd, 0);
	memset(payload, 0, 4);	/* major 0, minor 0 */
	memcpy(payload + 4, json, sizeof(json));
	cr_assert_eq(evq_vfu_send(fd, &hdr, payload, sizeof(payload), NULL, 0), 0);
	ret = evq_vfu_recv(fd, &msg, 1 << 16);
	cr_assert_eq(ret, 0, "no VERSION reply: %d", ret);
	cr_assert_eq(msg.hdr.flags & EVQ_VFU_F_ERROR, 0);
	evq_vfu_msg_release(&msg);
	return fd;
}

/* After sending garbage: an error reply, or the server hangs up. */
static void
expect_error_or_close(int fd, const char *what)
{
	struct evq_vfu_msg msg;
	int ret;

	ret = evq_vfu_recv(fd, &msg, 1 << 16);
	if (ret == 0) {
		cr_expect(msg.hdr.flags & EVQ_VFU_F_ERROR, "%s: no error reply", what);
		evq_vfu_msg_release(&msg);
	} else {
		cr_expect(ret == -ECONNRESET || ret == -EBADMSG || ret == -EPIPE,
			"%s: recv %d", what, ret);
	}
}

Test(sim_vfio, malformed_frames)
{
	struct evq_vfu_hdr hdr;
	struct evq_vfu_region_access ra;
	struct evq_vfu_dma_map map;
	uint8_t junk[16];
	int fd, fds[2], memfd;
	ssize_t n;

	/* short header: 8 bytes then EOF */
	fd = evq_vfu_client_connect(sim.sock[0]);
	cr_assert_geq(fd, 0);
	memset(junk, 0xab, sizeof(junk));
	n = write(fd, junk, 8);
	cr_assert_eq(n, 8);
	close(fd);
	assert_serves_next_client();

	/* msg_size smaller than the header */
	fd = raw_connect_negotiated();
	memset(&hdr, 0, sizeof(hdr));
	hdr.msg_id = 2;
	hdr.command = EVQ_VFU_CMD_DEVICE_GET_INFO;
	hdr.msg_size = 8;
	n = write(fd, &hdr, sizeof(hdr));
	cr_assert_eq(n, (ssize_t)sizeof(hdr));
	expect_error_or_close(fd, "msg_size < 16");
	close(fd);
	assert_serves_next_client();

	/* oversize message */
	fd = raw_connect_negotiated();
	hdr.msg_size = 64u << 20;
	n = write(fd, &hdr, sizeof(hdr));
	cr_assert_eq(n, (ssize_t)sizeof(hdr));
	expect_error_or_close(fd, "oversize");
	close(fd);
	assert_serves_next_client();

	/* bad region index */
	fd = raw_connect_negotiated();
	memset(&hdr, 0, sizeof(hdr));
	hdr.msg_id = 3;
	hdr.command = EVQ_VFU_CMD_REGION_READ;
	memset(&ra, 0, sizeof(ra));
	ra.region = 42;
	ra.count = 4;
	cr_assert_eq(evq_vfu_send(fd, &hdr, &ra, sizeof(ra), NULL, 0), 0);
	expect_error_or_close(fd, "bad region");
	/* offset + count overflowing */
	ra.region = 0;
	ra.offset = UINT64_MAX - 2;
	ra.count = 8;
	hdr.msg_id = 4;
	if (evq_vfu_send(fd, &hdr, &ra, sizeof(ra), NULL, 0) == 0)
		expect_error_or_close(fd, "offset overflow");
	close(fd);
	assert_serves_next_client();

	/* vfio-user.rst, VFIO_USER_DMA_MAP: without a file descriptor the
	 * memory is not mappable by the server: accepted (recorded); with
	 * two fds the message is malformed */
	fd = raw_connect_negotiated();
	memfd = memfd_create("t", MFD_CLOEXEC);
	cr_assert_eq(ftruncate(memfd, 1 << 16), 0);
	memset(&map, 0, sizeof(map));
	map.argsz = sizeof(map);
	map.flags = EVQ_VFU_DMA_F_READ;
	map.addr = 0x10000000;
	map.size = 1 << 16;
	hdr.command = EVQ_VFU_CMD_DMA_MAP;
	hdr.msg_id = 5;
	cr_assert_eq(evq_vfu_send(fd, &hdr, &map, sizeof(map), NULL, 0), 0);
	{
		struct evq_vfu_msg msg;

		cr_assert_eq(evq_vfu_recv(fd, &msg, 1 << 16), 0);
		cr_assert_eq(msg.hdr.flags & EVQ_VFU_F_ERROR, 0, "DMA_MAP without fd refused");
		evq_vfu_msg_release(&msg);
	}
	map.addr += map.size;	/* not over the map just made */
	fds[0] = memfd;
	fds[1] = memfd;
	hdr.msg_id = 6;
	if (evq_vfu_send(fd, &hdr, &map, sizeof(map), fds, 2) == 0)
		expect_error_or_close(fd, "DMA_MAP with two fds");
	close(memfd);
	close(fd);
	assert_serves_next_client();

	/* garbage JSON in VERSION */
	fd = evq_vfu_client_connect(sim.sock[0]);
	cr_assert_geq(fd, 0);
	{
		static const char bad[] = "{\"capabilities\":{\"max_msg_fds\":[1,2";
		uint8_t payload[4 + sizeof(bad)];

		memset(&hdr, 0, sizeof(hdr));
		hdr.msg_id = 1;
		hdr.command = EVQ_VFU_CMD_VERSION;
		memset(payload, 0, 4);
		memcpy(payload + 4, bad, sizeof(bad));
		cr_assert_eq(evq_vfu_send(fd, &hdr, payload, sizeof(payload), NULL, 0), 0);
		expect_error_or_close(fd, "garbage JSON");
	}
	close(fd);
	assert_serves_next_client();

	/* a command before VERSION */
	fd = evq_vfu_client_connect(sim.sock[0]);
	memset(&hdr, 0, sizeof(hdr));
	hdr.msg_id = 1;
	hdr.command = EVQ_VFU_CMD_DEVICE_RESET;
	cr_assert_eq(evq_vfu_send(fd, &hdr, NULL, 0, NULL, 0), 0);
	expect_error_or_close(fd, "command before VERSION");
	close(fd);
	assert_serves_next_client();
}

Test(sim_vfio, second_client_refused_first_keeps_working)
{
	struct sc_dev a, b;

	cr_assert_eq(sc_dev_open(&a, sim.sock[0], 0), 0);
	cr_assert_neq(sc_dev_open(&b, sim.sock[0], 0), 0, "two clients on one device");
	cr_assert_eq(sc_r32(&a, EVQ_REG_ID), EVQ_ID_VALUE);
	sc_dev_close(&a);
	assert_serves_next_client();
}

Test(sim_vfio, disconnect_resets_device)
{
	struct sc_dev dev;
	struct sc_eq eq;

	cr_assert_eq(sc_dev_open(&dev, sim.sock[0], 1 << 20), 0);
	cr_assert_eq(sc_eq_setup(&dev, &eq, 1, 64, 0), 0);
	cr_assert_eq(sc_wr32(&dev, EVQ_REG_SCRATCH, 5), 0);
	sc_dev_close(&dev);
	cr_assert_eq(sc_dev_open(&dev, sim.sock[0], 0), 0);
	cr_assert_eq(sc_r32(&dev, EVQ_REG_SCRATCH), 0, "scratch survived disconnect");
	cr_assert_eq(sc_r32(&dev, EVQ_REG_EQ(1, EVQ_EQ_STATE)) & EVQ_EQ_STATE_MASK,
		EVQ_EQ_UNDEFINED, "EQ survived disconnect");
	cr_assert_eq(*(volatile uint64_t *)(dev.db + EVQ_DBPAGE_EQ(1)), 0,
		"fresh doorbell page");
	sc_dev_close(&dev);
}
