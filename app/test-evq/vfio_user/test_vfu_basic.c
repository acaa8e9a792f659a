/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * Basic tests of evq_vfio_user (lib/evq_hw): a client and a
 * server over a socketpair, the server in its own thread driving a tiny
 * device model (trapped BAR0, mmap-able BAR2 memfd with one sparse area,
 * config space, 8 MSI-X vectors). Covers negotiation, device/region/irq
 * info, region access and its bounds, DMA map validation, SET_IRQS split
 * by max_msg_fds, a malformed header and NO_REPLY.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "evq_log.h"
#include "sim_vfu_server.h"

#define BAR0_SIZE	4096u
#define BAR2_SIZE	8192u
#define CFG_SIZE	256u
#define NR_MSIX		8u
#define PAGE		4096u

/* Device model state; ops run in the server thread, the test reads it
 * after the reply to the request that changed it arrived. */
struct test_dev {
	uint8_t bar0[BAR0_SIZE];
	uint8_t cfg[CFG_SIZE];
	int bar2_fd;
	uint8_t *bar2;
	unsigned int nr_writes;		/* region_write calls */
	unsigned int nr_set_irqs;	/* set_irqs calls */
	unsigned int nr_resets;
	int irq_fd[NR_MSIX];
	int dma_fd;
	uint64_t dma_addr, dma_size;
	unsigned int nr_maps, nr_maps_nofd, nr_unmaps;
};

static struct test_dev dev;
static struct evq_vfu_conn srv, cli;
static pthread_t srv_thread;
static int srv_ret;
static bool srv_running;

static int
dev_get_device_info(void *priv, struct evq_vfu_device_info *info)
{
	info->flags = EVQ_VFU_DEV_F_PCI | EVQ_VFU_DEV_F_RESET;
	info->num_regions = VFIO_PCI_NUM_REGIONS;
	info->num_irqs = VFIO_PCI_NUM_IRQS;
	return 0;
}

static int
dev_get_region_info(void *priv, uint32_t index, struct vfio_region_info *info,
	struct vfio_region_sparse_mmap_area *areas, uint32_t *nr_areas, int *fd)
{
	info->offset = 0;
	switch (index) {
	case VFIO_PCI_BAR0_REGION_INDEX:
		info->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
		info->size = BAR0_SIZE;
		*nr_areas = 0;
		break;
	case VFIO_PCI_BAR2_REGION_INDEX:
		info->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
			VFIO_REGION_INFO_FLAG_MMAP;
		info->size = BAR2_SIZE;
		/* the second page (doorbells) may be mmapped, the first traps */
		if (*nr_areas >= 1) {
			areas[0].offset = PAGE;
			areas[0].size = PAGE;
			*nr_areas = 1;
		}
		*fd = dev.bar2_fd;
		break;
	case VFIO_PCI_CONFIG_REGION_INDEX:
		info->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
		info->size = CFG_SIZE;
		*nr_areas = 0;
		break;
	default:
		info->flags = 0;
		info->size = 0;
		*nr_areas = 0;
		break;
	}
	return 0;
}

static int
dev_get_irq_info(void *priv, uint32_t index, struct vfio_irq_info *info)
{
	info->flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;
	info->count = index == VFIO_PCI_MSIX_IRQ_INDEX ? NR_MSIX : 0;
	return 0;
}

static uint8_t *
dev_region_mem(uint32_t region)
{
	switch (region) {
	case VFIO_PCI_BAR0_REGION_INDEX:
		return dev.bar0;
	case VFIO_PCI_BAR2_REGION_INDEX:
		return dev.bar2;
	case VFIO_PCI_CONFIG_REGION_INDEX:
		return dev.cfg;
	default:
		return NULL;
	}
}

static int
dev_region_read(void *priv, uint32_t region, uint64_t offset, void *buf,
	uint32_t count)
{
	uint8_t *mem = dev_region_mem(region);

	if (mem == NULL)
		return -EINVAL;
	memcpy(buf, mem + offset, count);
	return 0;
}

static int
dev_region_write(void *priv, uint32_t region, uint64_t offset, const void *buf,
	uint32_t count)
{
	uint8_t *mem = dev_region_mem(region);

	if (mem == NULL)
		return -EINVAL;
	memcpy(mem + offset, buf, count);
	__atomic_add_fetch(&dev.nr_writes, 1, __ATOMIC_RELEASE);
	return 0;
}

static void
dev_close_irqs(uint32_t start, uint32_t count)
{
	uint32_t i;

	for (i = start; i < start + count && i < NR_MSIX; i++) {
		if (dev.irq_fd[i] >= 0)
			close(dev.irq_fd[i]);
		dev.irq_fd[i] = -1;
	}
}

static int
dev_set_irqs(void *priv, const struct vfio_irq_set *set, const uint8_t *bools,
	int *fds, unsigned int nfds)
{
	unsigned int i;

	dev.nr_set_irqs++;
	if (set->index != VFIO_PCI_MSIX_IRQ_INDEX)
		return -EINVAL;
	if ((set->flags & VFIO_IRQ_SET_DATA_NONE) && set->count == 0) {
		dev_close_irqs(0, NR_MSIX);
		return 0;
	}
	if (!(set->flags & VFIO_IRQ_SET_DATA_EVENTFD))
		return 0;
	dev_close_irqs(set->start, set->count);
	for (i = 0; i < nfds; i++) {
		dev.irq_fd[set->start + i] = fds[i];
		fds[i] = -1;	/* taken */
	}
	return 0;
}

static int
dev_dma_map(void *priv, const struct evq_vfu_dma_map *map, int *fd)
{
	if (fd == NULL) {
		/* memory the client cannot share: recorded, never reached */
		dev.nr_maps_nofd++;
		dev.nr_maps++;
		return 0;
	}
	if (dev.dma_fd >= 0)
		close(dev.dma_fd);
	dev.dma_fd = *fd;
	*fd = -1;
	dev.dma_addr = map->addr;
	dev.dma_size = map->size;
	dev.nr_maps++;
	return 0;
}

static int
dev_dma_unmap(void *priv, const struct evq_vfu_dma_unmap *unmap)
{
	dev.nr_unmaps++;
	return 0;
}

static int
dev_reset(void *priv)
{
	dev.nr_resets++;
	return 0;
}

static void
dev_disconnect(void *priv)
{
	dev_close_irqs(0, NR_MSIX);
}

static const struct evq_vfu_server_ops dev_ops = {
	.get_device_info = dev_get_device_info,
	.get_region_info = dev_get_region_info,
	.get_irq_info = dev_get_irq_info,
	.set_irqs = dev_set_irqs,
	.region_read = dev_region_read,
	.region_write = dev_region_write,
	.dma_map = dev_dma_map,
	.dma_unmap = dev_dma_unmap,
	.reset = dev_reset,
	.disconnect = dev_disconnect,
};

/* What the server offers: 2 fds per message so that SET_IRQS is split. */
static const struct evq_vfu_caps srv_caps = {
	.max_msg_fds = 2,
	.max_data_xfer_size = 1u << 20,
	.max_dma_maps = 4,
	.pgsizes = 4096,
};

static void *
server_main(void *arg)
{
	int ret;

	for (;;) {
		struct pollfd p = { .fd = srv.fd, .events = POLLIN };

		ret = evq_vfu_server_handle(&srv);
		if (ret == 0)
			continue;
		if (ret != -EAGAIN)
			break;
		/* the socket may be non-blocking: wait for the next message */
		if (poll(&p, 1, -1) < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
	}
	srv_ret = ret;
	evq_vfu_server_conn_close(&srv);
	return NULL;
}

static void
setup(void)
{
	int sv[2], i;

	memset(&dev, 0, sizeof(dev));
	dev.dma_fd = -1;
	for (i = 0; i < (int)NR_MSIX; i++)
		dev.irq_fd[i] = -1;
	dev.bar2_fd = memfd_create("test-bar2", MFD_CLOEXEC);
	cr_assert(dev.bar2_fd >= 0);
	cr_assert(ftruncate(dev.bar2_fd, BAR2_SIZE) == 0);
	dev.bar2 = mmap(NULL, BAR2_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		dev.bar2_fd, 0);
	cr_assert(dev.bar2 != MAP_FAILED);

	cr_assert(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
	cr_assert_eq(evq_vfu_server_conn_init(&srv, sv[1], &dev_ops, NULL,
		&srv_caps), 0);
	cr_assert_eq(evq_vfu_client_conn_init(&cli, sv[0]), 0);
	cr_assert(pthread_create(&srv_thread, NULL, server_main, NULL) == 0);
	srv_running = true;
}

/* Wait for the server thread (it ends when the connection does). */
static int
join_server(void)
{
	if (srv_running) {
		pthread_join(srv_thread, NULL);
		srv_running = false;
	}
	return srv_ret;
}

static void
teardown(void)
{
	evq_vfu_client_conn_close(&cli);
	join_server();
	munmap(dev.bar2, BAR2_SIZE);
	close(dev.bar2_fd);
	if (dev.dma_fd >= 0)
		close(dev.dma_fd);
}

TestSuite(vfio_user, .init = setup, .fini = teardown, .timeout = 20);

static void
negotiate(uint32_t max_fds, uint32_t max_xfer)
{
	struct evq_vfu_caps offer = {
		.max_msg_fds = max_fds,
		.max_data_xfer_size = max_xfer,
		.max_dma_maps = 65535,
		.pgsizes = 4096,
	};

	cr_assert_eq(evq_vfu_client_negotiate(&cli, &offer), 0);
}

/* Send one raw command on the client socket (no client-side checks). */
static void
raw_send(uint16_t msg_id, uint16_t command, uint32_t flags, const void *payload,
	size_t len, const int *fds, unsigned int nfds)
{
	struct evq_vfu_hdr h = {
		.msg_id = msg_id, .command = command, .flags = flags,
	};

	cr_assert_eq(evq_vfu_send(cli.fd, &h, payload, len, fds, nfds), 0);
}

static int
raw_recv(struct evq_vfu_msg *m)
{
	return evq_vfu_recv(cli.fd, m, 1u << 21);
}

/* VERSION payload: major, minor, JSON with its NUL. */
static size_t
version_payload(uint8_t *buf, size_t size, const char *json)
{
	uint16_t major = 0, minor = 1;
	size_t n = strlen(json) + 1;

	cr_assert(4 + n <= size);
	memcpy(buf, &major, 2);
	memcpy(buf + 2, &minor, 2);
	memcpy(buf + 4, json, n);
	return 4 + n;
}

/* ------------------------------------------------------------ caps JSON -- */

Test(vfio_user, caps_parse_strict)
{
	struct evq_vfu_caps c, def;
	const char *ok = "{\"capabilities\":{\"max_msg_fds\":8,"
		"\"migration\":{\"pgsize\":4096,\"x\":[]}}}";
	const char *good = " {\"capabilities\":{\"max_msg_fds\":8,\"x\":\"s\\\"q\","
		"\"y\":true,\"n\":{\"deep\":-3},\"max_data_xfer_size\":65536,"
		"\"max_dma_maps\":99999999999},\"other\":false} ";
	char deep[64];
	int i;

	evq_vfu_caps_default(&def);
	cr_assert_eq(evq_vfu_caps_parse("", 0, &c), 0);
	cr_assert_eq(c.max_msg_fds, 1);
	cr_assert_eq(c.max_data_xfer_size, 1u << 20);
	cr_assert_eq(c.max_dma_maps, 65535);
	cr_assert_eq(c.pgsizes, 4096);

	cr_assert_eq(evq_vfu_caps_parse(good, strlen(good), &c), 0);
	cr_assert_eq(c.max_msg_fds, 8);
	cr_assert_eq(c.max_data_xfer_size, 65536);
	cr_assert_eq(c.max_dma_maps, UINT32_MAX, "saturates: %u", c.max_dma_maps);
	cr_assert_eq(c.pgsizes, 4096);

	/* arrays are not in the accepted subset */
	c = def;
	c.max_msg_fds = 77;
	cr_assert_eq(evq_vfu_caps_parse(ok, strlen(ok), &c), -EINVAL);
	cr_assert_eq(c.max_msg_fds, 77, "caps untouched on error");

#define BAD(s) cr_assert_eq(evq_vfu_caps_parse(s, strlen(s), &c), -EINVAL, "%s", s)
	BAD("{");
	BAD("{\"capabilities\":{\"max_msg_fds\":}}");
	BAD("{\"capabilities\":{\"max_msg_fds\":1,\"max_msg_fds\":2}}");
	BAD("{\"capabilities\":{\"max_msg_fds\":-1}}");
	BAD("{\"capabilities\":{\"max_msg_fds\":\"4\"}}");
	BAD("{\"capabilities\":{}} x");
	BAD("{\"capabilities\":{},}");
	BAD("{\"capabilities\":{\"max_data_xfer_size\":1.5}}");
	BAD("[1]");
	BAD("nul");
	/* a known capability is a number: not a bool, string or object */
	BAD("{\"capabilities\":{\"pgsizes\":true}}");
	BAD("{\"capabilities\":{\"max_dma_maps\":false}}");
	BAD("{\"capabilities\":{\"max_msg_fds\":{\"a\":1}}}");
	/* two capability objects are ambiguous */
	BAD("{\"capabilities\":{\"max_msg_fds\":1},\"capabilities\":{\"max_msg_fds\":9}}");
	/* so is any key twice, known or not */
	BAD("{\"capabilities\":{\"migration\":{\"a\":1,\"a\":2}}}");
	/* capabilities is an object */
	BAD("{\"capabilities\":7}");
	/* outside the subset: null, reals, integers beyond int64, bad UTF-8 */
	BAD("{\"capabilities\":{\"x\":null}}");
	BAD("{\"x\":1e3}");
	BAD("{\"capabilities\":{\"pgsizes\":18446744073709551616}}");
	BAD("{\"x\":\"\xff\xfe\"}");
	BAD("{\"x\":\"\\u0000\"}");
#undef BAD
	cr_assert_eq(evq_vfu_caps_parse("{\"a\":1}\0x", 9, &c), -EINVAL,
		"embedded NUL");

	/* nesting: EVQ_VFU_JSON_DEPTH objects are fine, one more is not */
	for (i = 0; i < EVQ_VFU_JSON_DEPTH; i++)
		memcpy(deep + 5 * i, "{\"a\":", 5);
	strcpy(deep + 5 * EVQ_VFU_JSON_DEPTH - 5, "{}");
	for (i = 0; i < EVQ_VFU_JSON_DEPTH - 1; i++)
		strcat(deep, "}");
	cr_assert_eq(evq_vfu_caps_parse(deep, strlen(deep), &c), 0, "%s", deep);
	for (i = 0; i < EVQ_VFU_JSON_DEPTH; i++)
		memcpy(deep + 5 * i, "{\"a\":", 5);
	strcpy(deep + 5 * EVQ_VFU_JSON_DEPTH, "{}");
	for (i = 0; i < EVQ_VFU_JSON_DEPTH; i++)
		strcat(deep, "}");
	cr_assert_eq(evq_vfu_caps_parse(deep, strlen(deep), &c), -EINVAL, "%s", deep);
}

Test(vfio_user, caps_format_roundtrip)
{
	struct evq_vfu_caps in = { 3, 65536, 12, 4096 | (2u << 20), 0 }, out;
	char buf[256];
	int n;

	n = evq_vfu_caps_format(&in, buf, sizeof(buf));
	cr_assert(n > 0 && (size_t)n == strlen(buf));
	cr_assert_eq(evq_vfu_caps_parse(buf, (size_t)n, &out), 0, "%s", buf);
	cr_assert_eq(out.max_msg_fds, in.max_msg_fds);
	cr_assert_eq(out.max_data_xfer_size, in.max_data_xfer_size);
	cr_assert_eq(out.max_dma_maps, in.max_dma_maps);
	cr_assert_eq(out.pgsizes, in.pgsizes);
	cr_assert_eq(out.present, EVQ_VFU_CAP_ALL);
	cr_assert_eq(evq_vfu_caps_format(&in, buf, 10), -ENOSPC);
	/* some keys only; none at all */
	n = evq_vfu_caps_format_keys(&in, EVQ_VFU_CAP_MAX_XFER | EVQ_VFU_CAP_PGSIZES, buf,
		sizeof(buf));
	cr_assert_str_eq(buf, "{\"capabilities\":{\"max_data_xfer_size\":65536,"
		"\"pgsizes\":2101248}}");
	cr_assert_eq(evq_vfu_caps_parse(buf, (size_t)n, &out), 0, "%s", buf);
	cr_assert_eq(out.present, EVQ_VFU_CAP_MAX_XFER | EVQ_VFU_CAP_PGSIZES);
	cr_assert_eq(out.max_msg_fds, 1, "absent: the default");
	evq_vfu_caps_format_keys(&in, 0, buf, sizeof(buf));
	cr_assert_str_eq(buf, "{\"capabilities\":{}}");
}

/* ---------------------------------------------------------- negotiation -- */

Test(vfio_user, version_good)
{
	struct evq_vfu_caps offer = { 4, 65536, 100, 4096 };

	cr_assert_eq(evq_vfu_client_negotiate(&cli, &offer), 0);
	cr_assert(cli.negotiated);
	cr_assert_eq(cli.minor, EVQ_VFU_MINOR);
	/* vfio-user.rst, VFIO_USER_VERSION: the client sends within what the
	 * server can receive (2 fds, 4 maps) and asks for no more data than
	 * it receives itself (64 KiB of the server's 1 MiB) */
	cr_assert_eq(cli.caps.max_msg_fds, 2);
	cr_assert_eq(cli.caps.max_data_xfer_size, 65536);
	cr_assert_eq(cli.caps.max_dma_maps, 4);
	cr_assert_eq(cli.caps.pgsizes, 4096);
	/* a second VERSION is refused, the connection stays usable */
	cr_assert_lt(evq_vfu_client_negotiate(&cli, &offer), 0);
	struct evq_vfu_device_info info;
	cr_assert_eq(evq_vfu_client_get_device_info(&cli, &info), 0);
}

Test(vfio_user, version_garbage_json)
{
	uint8_t buf[128];
	struct evq_vfu_msg m;
	size_t len = version_payload(buf, sizeof(buf),
		"{\"capabilities\":{\"max_msg_fds\":}");

	raw_send(7, EVQ_VFU_CMD_VERSION, 0, buf, len, NULL, 0);
	cr_assert_eq(raw_recv(&m), 0);
	cr_assert_eq(m.hdr.msg_id, 7);
	cr_assert_eq(m.hdr.command, EVQ_VFU_CMD_VERSION);
	cr_assert_eq(m.hdr.flags, EVQ_VFU_F_TYPE_REPLY | EVQ_VFU_F_ERROR);
	cr_assert_eq(m.hdr.error_no, EINVAL);
	cr_assert_eq(m.hdr.msg_size, 16, "error replies are header-only");
	evq_vfu_msg_release(&m);
	/* a failed negotiation ends the connection */
	cr_assert_lt(join_server(), 0);
	cr_assert_eq(raw_recv(&m), -ECONNRESET);
}

Test(vfio_user, version_missing_caps_defaults)
{
	uint8_t buf[128];
	struct evq_vfu_msg m;
	struct evq_vfu_caps c;
	struct evq_vfu_version *v;
	size_t len = version_payload(buf, sizeof(buf), "{\"x\":{}}");

	raw_send(9, EVQ_VFU_CMD_VERSION, 0, buf, len, NULL, 0);
	cr_assert_eq(raw_recv(&m), 0);
	cr_assert_eq(m.hdr.flags, EVQ_VFU_F_TYPE_REPLY);
	cr_assert_geq(m.len, 5);
	v = m.payload;
	cr_assert_eq(v->major, 0);
	cr_assert_leq(v->minor, 1);
	cr_assert_eq(((char *)m.payload)[m.len - 1], '\0');
	cr_assert_eq(evq_vfu_caps_parse(v->data, m.len - 5, &c), 0);
	/* vfio-user.rst, VFIO_USER_VERSION: the reply's capabilities are "a
	 * subset of those proposed": none proposed, none stated; the defaults
	 * (1 fd, 1 MiB, 65535 maps, 4K) apply */
	cr_assert_eq(c.present, 0, "reply states capabilities nobody proposed: %s",
		v->data);
	cr_assert_eq(c.max_msg_fds, 1);
	cr_assert_eq(c.max_data_xfer_size, 1u << 20);
	cr_assert_eq(c.max_dma_maps, 65535);
	cr_assert_eq(c.pgsizes, 4096);
	evq_vfu_msg_release(&m);
}

Test(vfio_user, version_reply_subset_of_proposed)
{
	uint8_t buf[128];
	struct evq_vfu_msg m;
	struct evq_vfu_caps c;
	struct evq_vfu_version *v;
	size_t len = version_payload(buf, sizeof(buf),
		"{\"capabilities\":{\"max_msg_fds\":8,\"migration\":{}}}");

	raw_send(10, EVQ_VFU_CMD_VERSION, 0, buf, len, NULL, 0);
	cr_assert_eq(raw_recv(&m), 0);
	cr_assert_eq(m.hdr.flags, EVQ_VFU_F_TYPE_REPLY);
	v = m.payload;
	cr_assert_eq(evq_vfu_caps_parse(v->data, m.len - 5, &c), 0);
	/* only max_msg_fds was proposed (among the keys this end knows): the
	 * reply states the server's own value for it, nothing else */
	cr_assert_eq(c.present, EVQ_VFU_CAP_MAX_MSG_FDS, "reply: %s", v->data);
	cr_assert_eq(c.max_msg_fds, 2);
	cr_assert_null(strstr(v->data, "migration"));
	evq_vfu_msg_release(&m);
}

Test(vfio_user, version_server_states_larger_limits)
{
	/* the client offers less than the server can take: negotiated, not
	 * refused (vfio-user.rst, VFIO_USER_VERSION: each side states what it
	 * can receive); the client then sends up to the server's 2 fds and
	 * 4 maps, and reads at most its own 1 KiB per message */
	struct evq_vfu_caps offer = { 1, 1024, 2, 4096 | (2u << 20), 0 };
	uint8_t big[2500], back[2500];
	unsigned int i;

	cr_assert_eq(evq_vfu_client_negotiate(&cli, &offer), 0);
	cr_assert_eq(cli.caps.max_msg_fds, 2);
	cr_assert_eq(cli.caps.max_dma_maps, 4);
	cr_assert_eq(cli.caps.max_data_xfer_size, 1024);
	cr_assert_eq(cli.caps.pgsizes, 4096, "page sizes both support");
	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 13);
	cr_assert_eq(evq_vfu_client_region_write(&cli, VFIO_PCI_BAR0_REGION_INDEX, 0, big,
		sizeof(big)), 0);
	cr_assert_eq(dev.nr_writes, 3, "1 KiB per message");
	cr_assert_eq(evq_vfu_client_region_read(&cli, VFIO_PCI_BAR0_REGION_INDEX, 0, back,
		sizeof(back)), 0);
	cr_assert_eq(memcmp(big, back, sizeof(big)), 0);
}

Test(vfio_user, command_before_version_refused)
{
	struct evq_vfu_device_info info;

	cr_assert_lt(evq_vfu_client_get_device_info(&cli, &info), 0);
}

/* ------------------------------------------------------- device, regions -- */

Test(vfio_user, device_and_irq_info)
{
	struct evq_vfu_device_info info;
	struct vfio_irq_info ii;

	negotiate(16, 1u << 20);
	cr_assert_eq(evq_vfu_client_get_device_info(&cli, &info), 0);
	cr_assert_eq(info.argsz, sizeof(info));
	cr_assert_eq(info.flags, EVQ_VFU_DEV_F_PCI | EVQ_VFU_DEV_F_RESET);
	cr_assert_eq(info.num_regions, VFIO_PCI_NUM_REGIONS);
	cr_assert_eq(info.num_irqs, VFIO_PCI_NUM_IRQS);

	cr_assert_eq(evq_vfu_client_get_irq_info(&cli, VFIO_PCI_MSIX_IRQ_INDEX, &ii), 0);
	cr_assert_eq(ii.count, NR_MSIX);
	cr_assert_eq(evq_vfu_client_get_irq_info(&cli, VFIO_PCI_INTX_IRQ_INDEX, &ii), 0);
	cr_assert_eq(ii.count, 0);
	cr_assert_eq(evq_vfu_client_get_irq_info(&cli, VFIO_PCI_NUM_IRQS, &ii), -EINVAL);
	cr_assert_eq(evq_vfu_client_device_reset(&cli), 0);
	cr_assert_eq(dev.nr_resets, 1);
}

Test(vfio_user, region_info_two_pass_sparse_memfd)
{
	struct vfio_region_info req = {
		.argsz = sizeof(req), .index = VFIO_PCI_BAR2_REGION_INDEX,
	}, first;
	struct evq_vfu_region r;
	size_t len = 0;
	unsigned int nrfds = 1;
	int rfd = -1;
	struct stat st;
	volatile uint64_t *db;

	negotiate(16, 1u << 20);
	/* pass one by hand: the capability does not fit in 32 bytes, so the
	 * reply says how much is needed and carries no fd */
	cr_assert_eq(evq_vfu_client_call(&cli, EVQ_VFU_CMD_DEVICE_GET_REGION_INFO,
		&req, sizeof(req), NULL, 0, &first, sizeof(first), &len, &rfd,
		&nrfds), 0);
	cr_assert_eq(len, sizeof(first));
	cr_assert_eq(nrfds, 0, "no fd with a reply that does not fit");
	cr_assert_eq(first.argsz, sizeof(struct vfio_region_info) +
		sizeof(struct vfio_region_info_cap_sparse_mmap) +
		sizeof(struct vfio_region_sparse_mmap_area));
	/* vfio-user.rst, VFIO_USER_DEVICE_GET_REGION_INFO: "argsz is the size
	 * required for the full reply payload", CAPS means "capabilities
	 * found in the reply": none are, so no CAPS flag and cap_offset 0
	 * (QEMU rejects CAPS with cap_offset 0) */
	cr_assert_eq(first.flags & VFIO_REGION_INFO_FLAG_CAPS, 0);
	cr_assert_eq(first.cap_offset, 0);

	/* the library's two passes */
	cr_assert_eq(evq_vfu_client_get_region_info(&cli, VFIO_PCI_BAR2_REGION_INDEX,
		&r), 0);
	cr_assert_eq(r.info.size, BAR2_SIZE);
	cr_assert(r.info.flags & VFIO_REGION_INFO_FLAG_MMAP);
	cr_assert(r.info.flags & VFIO_REGION_INFO_FLAG_CAPS);
	cr_assert_eq(r.nr_areas, 1);
	cr_assert_eq(r.areas[0].offset, PAGE);
	cr_assert_eq(r.areas[0].size, PAGE);
	cr_assert(r.fd >= 0);
	cr_assert_eq(fcntl(r.fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	cr_assert_eq(fstat(r.fd, &st), 0);
	cr_assert_eq((uint64_t)st.st_size, BAR2_SIZE);
	/* a store through the client's mapping of the sparse area is seen by
	 * the device, as an mmapped doorbell must be */
	db = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, r.fd,
		(off_t)(r.info.offset + r.areas[0].offset));
	cr_assert(db != MAP_FAILED);
	*db = 0x1122334455667788ull;
	cr_assert_eq(*(volatile uint64_t *)(dev.bar2 + PAGE), 0x1122334455667788ull);
	munmap((void *)db, PAGE);
	close(r.fd);

	/* a trapped region: no mmap, no caps, no fd */
	cr_assert_eq(evq_vfu_client_get_region_info(&cli, VFIO_PCI_BAR0_REGION_INDEX,
		&r), 0);
	cr_assert_eq(r.info.size, BAR0_SIZE);
	cr_assert_eq(r.info.flags & (VFIO_REGION_INFO_FLAG_MMAP |
		VFIO_REGION_INFO_FLAG_CAPS), 0);
	cr_assert_eq(r.nr_areas, 0);
	cr_assert_eq(r.fd, -1);
	/* an unused region answers size 0, an index past num_regions fails */
	cr_assert_eq(evq_vfu_client_get_region_info(&cli, VFIO_PCI_VGA_REGION_INDEX,
		&r), 0);
	cr_assert_eq(r.info.size, 0);
	cr_assert_eq(evq_vfu_client_get_region_info(&cli, VFIO_PCI_NUM_REGIONS, &r),
		-EINVAL);
}

Test(vfio_user, region_read_write_and_bounds)
{
	uint8_t in[200], out[200];
	unsigned int i;

	/* 64-byte transfers: 200 bytes go in 4 messages */
	negotiate(16, 64);
	cr_assert_eq(cli.caps.max_data_xfer_size, 64);
	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7 + 1);
	cr_assert_eq(evq_vfu_client_region_write(&cli, VFIO_PCI_BAR0_REGION_INDEX,
		100, in, sizeof(in)), 0);
	cr_assert_eq(dev.nr_writes, 4);
	cr_assert_eq(memcmp(dev.bar0 + 100, in, sizeof(in)), 0);
	memset(out, 0, sizeof(out));
	cr_assert_eq(evq_vfu_client_region_read(&cli, VFIO_PCI_BAR0_REGION_INDEX,
		100, out, sizeof(out)), 0);
	cr_assert_eq(memcmp(out, in, sizeof(in)), 0);
	/* the config space */
	cr_assert_eq(evq_vfu_client_region_write(&cli, VFIO_PCI_CONFIG_REGION_INDEX,
		CFG_SIZE - 4, in, 4), 0);
	cr_assert_eq(memcmp(dev.cfg + CFG_SIZE - 4, in, 4), 0);

	/* out of bounds: past the end, straddling it, unused region, bad
	 * index, offset overflow; nothing is written */
	i = dev.nr_writes;
	cr_assert_eq(evq_vfu_client_region_write(&cli, VFIO_PCI_BAR0_REGION_INDEX,
		BAR0_SIZE, in, 1), -EINVAL);
	cr_assert_eq(evq_vfu_client_region_read(&cli, VFIO_PCI_BAR0_REGION_INDEX,
		BAR0_SIZE - 8, out, 16), -EINVAL);
	cr_assert_eq(evq_vfu_client_region_read(&cli, VFIO_PCI_CONFIG_REGION_INDEX,
		CFG_SIZE - 2, out, 4), -EINVAL);
	cr_assert_eq(evq_vfu_client_region_write(&cli, VFIO_PCI_VGA_REGION_INDEX,
		0, in, 4), -EINVAL);
	cr_assert_eq(evq_vfu_client_region_read(&cli, VFIO_PCI_NUM_REGIONS, 0,
		out, 4), -EINVAL);
	cr_assert_eq(evq_vfu_client_region_read(&cli, VFIO_PCI_BAR0_REGION_INDEX,
		UINT64_MAX - 1, out, 4), -EINVAL);
	cr_assert_eq(dev.nr_writes, i);

	/* a REGION_WRITE whose count does not match its payload */
	{
		uint8_t req[sizeof(struct evq_vfu_region_access) + 8];
		struct evq_vfu_region_access ra = {
			.offset = 0, .region = VFIO_PCI_BAR0_REGION_INDEX, .count = 16,
		};

		memcpy(req, &ra, sizeof(ra));
		memset(req + sizeof(ra), 0xab, 8);
		cr_assert_eq(evq_vfu_client_call(&cli, EVQ_VFU_CMD_REGION_WRITE, req,
			sizeof(req), NULL, 0, NULL, 0, NULL, NULL, NULL), -EINVAL);
		cr_assert_eq(dev.nr_writes, i);
	}
	/* still usable after all those errors */
	cr_assert_eq(evq_vfu_client_region_read(&cli, VFIO_PCI_BAR0_REGION_INDEX,
		100, out, 8), 0);
	cr_assert_eq(memcmp(out, in, 8), 0);
}

/* ------------------------------------------------------------------ DMA -- */

Test(vfio_user, dma_map_memfd)
{
	const uint64_t iova = 0x10000000, size = 16 * PAGE;
	int mfd = memfd_create("test-dma", MFD_CLOEXEC);
	struct evq_vfu_dma_map map = {
		.argsz = sizeof(map), .flags = EVQ_VFU_DMA_F_READ | EVQ_VFU_DMA_F_WRITE,
		.offset = 0, .addr = 0x20000000, .size = PAGE,
	};
	struct stat st;
	int i;

	negotiate(16, 1u << 20);
	cr_assert(mfd >= 0);
	cr_assert_eq(ftruncate(mfd, (off_t)size), 0);
	cr_assert_eq(evq_vfu_client_dma_map(&cli, mfd, 0, iova, size,
		EVQ_VFU_DMA_F_READ | EVQ_VFU_DMA_F_WRITE), 0);
	cr_assert_eq(dev.nr_maps, 1);
	cr_assert_eq(dev.dma_addr, iova);
	cr_assert_eq(dev.dma_size, size);
	cr_assert(dev.dma_fd >= 0 && dev.dma_fd != mfd);
	cr_assert_eq(fstat(dev.dma_fd, &st), 0);
	cr_assert_eq((uint64_t)st.st_size, size);

	/* vfio-user.rst, VFIO_USER_DMA_MAP: memory the server cannot mmap
	 * comes without a file descriptor; it is accepted and recorded (the
	 * device model gets fd NULL), and it is a map like any other: mapping
	 * over it is EEXIST */
	cr_assert_eq(evq_vfu_client_call(&cli, EVQ_VFU_CMD_DMA_MAP, &map,
		sizeof(map), NULL, 0, NULL, 0, NULL, NULL, NULL), 0);
	cr_assert_eq(dev.nr_maps, 2);
	cr_assert_eq(dev.nr_maps_nofd, 1);
	cr_assert_eq(evq_vfu_client_dma_map(&cli, mfd, 0, map.addr, PAGE,
		EVQ_VFU_DMA_F_READ), -EEXIST);
	/* overlap, misalignment, unknown flags, wrap-around, beyond the file */
	cr_assert_lt(evq_vfu_client_dma_map(&cli, mfd, 0, iova + size - PAGE,
		2 * PAGE, EVQ_VFU_DMA_F_READ), 0);
	cr_assert_eq(evq_vfu_client_dma_map(&cli, mfd, 0, 0x30000000 + 1, PAGE,
		EVQ_VFU_DMA_F_READ), -EINVAL);
	cr_assert_eq(evq_vfu_client_dma_map(&cli, mfd, 0, 0x30000000, 100,
		EVQ_VFU_DMA_F_READ), -EINVAL);
	cr_assert_eq(evq_vfu_client_dma_map(&cli, mfd, 0, 0x30000000, PAGE, 0x4),
		-EINVAL);
	cr_assert_eq(evq_vfu_client_dma_map(&cli, mfd, 0, UINT64_MAX - PAGE + 1,
		2 * PAGE, EVQ_VFU_DMA_F_READ), -EINVAL);
	cr_assert_eq(evq_vfu_client_dma_map(&cli, mfd, PAGE, 0x30000000, size,
		EVQ_VFU_DMA_F_READ), -EINVAL);
	/* a pipe is not a memory file */
	{
		int p[2];

		cr_assert_eq(pipe(p), 0);
		cr_assert_eq(evq_vfu_client_dma_map(&cli, p[0], 0, 0x30000000, PAGE,
			EVQ_VFU_DMA_F_READ), -EINVAL);
		close(p[0]);
		close(p[1]);
	}
	cr_assert_eq(dev.nr_maps, 2, "no invalid map reached the device");

	/* map count limit: the server offered 4 (the map without fd counts) */
	for (i = 1; i < 3; i++)
		cr_assert_eq(evq_vfu_client_dma_map(&cli, mfd, 0,
			0x40000000ull * (uint64_t)(i + 1), PAGE, EVQ_VFU_DMA_F_READ), 0);
	cr_assert_lt(evq_vfu_client_dma_map(&cli, mfd, 0, 0x40000000ull * 9, PAGE,
		EVQ_VFU_DMA_F_READ), 0);
	cr_assert_eq(dev.nr_maps, 4);

	/*
	 * vfio-user.rst, VFIO_USER_DMA_UNMAP. A client with a virtual IOMMU
	 * (QEMU) unmaps ranges that cover several maps, as the kernel's
	 * VFIO_IOMMU_UNMAP_DMA (type1) allows: every map inside the range
	 * goes; a range that cuts through a map is refused whole (EINVAL,
	 * nothing removed); a range with no map inside succeeds.
	 */
	cr_assert_eq(evq_vfu_client_dma_unmap(&cli, iova, PAGE, 0), -EINVAL);
	cr_assert_eq(evq_vfu_client_dma_unmap(&cli, iova + PAGE, size, 0), -EINVAL);
	cr_assert_eq(dev.nr_unmaps, 0, "a refused range reached the device");
	cr_assert_eq(evq_vfu_client_dma_unmap(&cli, iova, size, 0), 0);
	cr_assert_eq(evq_vfu_client_dma_unmap(&cli, iova, size, 0), 0, "empty range");
	/* one range over the two maps at 2 and 3 GiB (and the gap between) */
	cr_assert_eq(evq_vfu_client_dma_unmap(&cli, 0x80000000ull, 0x80000000ull +
		PAGE, 0), 0);
	cr_assert_eq(evq_vfu_client_dma_map(&cli, mfd, 0, 0x80000000ull, PAGE,
		EVQ_VFU_DMA_F_READ), 0, "a map inside the range was left behind");
	cr_assert_eq(evq_vfu_client_dma_map(&cli, mfd, 0, 0xc0000000ull, PAGE,
		EVQ_VFU_DMA_F_READ), 0, "a map inside the range was left behind");
	/* a range up to the end of the address space (addr + size = 2^64, as
	 * QEMU sends): the maps above 2 GiB go */
	cr_assert_eq(evq_vfu_client_dma_unmap(&cli, 0x80000000ull,
		0 - 0x80000000ull, 0), 0);
	cr_assert_eq(evq_vfu_client_dma_map(&cli, mfd, 0, 0xc0000000ull, PAGE,
		EVQ_VFU_DMA_F_READ), 0, "a map below 2^64 was left behind");
	cr_assert_eq(evq_vfu_client_dma_unmap(&cli, 0x80000000ull, 0 - 0x7fffffffull, 0),
		-EINVAL, "a range past 2^64");
	/* the unmap-all flag (VFIO_DMA_UNMAP_FLAG_ALL): address and size 0 */
	cr_assert_eq(evq_vfu_client_dma_unmap(&cli, 0, PAGE, EVQ_VFU_DMA_UNMAP_F_ALL),
		-EINVAL);
	cr_assert_eq(evq_vfu_client_dma_unmap(&cli, 0, 0, 0), -EINVAL, "empty range");
	cr_assert_eq(evq_vfu_client_dma_unmap(&cli, 0, 0, EVQ_VFU_DMA_UNMAP_F_ALL), 0);
	/* everything maps again once unmapped, the map without fd's place too */
	cr_assert_eq(evq_vfu_client_dma_map(&cli, mfd, 0, iova, size,
		EVQ_VFU_DMA_F_READ), 0);
	cr_assert_eq(evq_vfu_client_dma_map(&cli, mfd, 0, map.addr, PAGE,
		EVQ_VFU_DMA_F_READ), 0);
	cr_assert_eq(evq_vfu_client_dma_map(&cli, mfd, 0, 0x80000000ull, PAGE,
		EVQ_VFU_DMA_F_READ), 0);
	close(mfd);
}

/* ----------------------------------------------------------------- IRQs -- */

Test(vfio_user, set_irqs_eventfds_split)
{
	int efd[5], i, p[2];
	uint64_t v;
	struct pollfd pfd;

	negotiate(16, 1u << 20);
	cr_assert_eq(cli.caps.max_msg_fds, 2, "server offered 2 fds per message");
	for (i = 0; i < 5; i++) {
		efd[i] = eventfd(0, EFD_CLOEXEC);
		cr_assert(efd[i] >= 0);
	}
	/* 5 eventfds for vectors 2..6 at 2 per message: 3 messages */
	cr_assert_eq(evq_vfu_client_set_irqs(&cli, VFIO_PCI_MSIX_IRQ_INDEX,
		VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, 2, 5, efd,
		NULL), 0);
	cr_assert_eq(dev.nr_set_irqs, 3);
	cr_assert_eq(dev.irq_fd[0], -1);
	cr_assert_eq(dev.irq_fd[1], -1);
	cr_assert_eq(dev.irq_fd[7], -1);
	for (i = 2; i <= 6; i++) {
		cr_assert(dev.irq_fd[i] >= 0);
		/* switched to non-blocking for the server */
		cr_assert(fcntl(dev.irq_fd[i], F_GETFL) & O_NONBLOCK);
	}
	/* the device fires vector 4: the client's third eventfd wakes */
	cr_assert_eq(evq_vfu_eventfd_signal(dev.irq_fd[4]), 0);
	pfd = (struct pollfd){ .fd = efd[2], .events = POLLIN };
	cr_assert_eq(poll(&pfd, 1, 5000), 1);
	cr_assert_eq(read(efd[2], &v, sizeof(v)), (ssize_t)sizeof(v));
	cr_assert_eq(v, 1);
	pfd.fd = efd[1];
	cr_assert_eq(poll(&pfd, 1, 0), 0, "only vector 4 fired");

	/* not an eventfd, out of range, two data types: refused */
	i = (int)dev.nr_set_irqs;
	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(evq_vfu_client_set_irqs(&cli, VFIO_PCI_MSIX_IRQ_INDEX,
		VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, 0, 1, p,
		NULL), -EINVAL);
	cr_assert_eq(evq_vfu_client_set_irqs(&cli, VFIO_PCI_MSIX_IRQ_INDEX,
		VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, 7, 2, efd,
		NULL), -EINVAL);
	cr_assert_eq(evq_vfu_client_set_irqs(&cli, VFIO_PCI_INTX_IRQ_INDEX,
		VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, 0, 1, efd,
		NULL), -EINVAL);
	cr_assert_eq(evq_vfu_client_set_irqs(&cli, VFIO_PCI_MSIX_IRQ_INDEX,
		VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_DATA_NONE |
		VFIO_IRQ_SET_ACTION_TRIGGER, 0, 1, efd, NULL), -EINVAL);
	cr_assert_eq((int)dev.nr_set_irqs, i, "nothing invalid reached the device");
	close(p[0]);
	close(p[1]);

	/* disable the index: NONE|TRIGGER, start = count = 0 */
	cr_assert_eq(evq_vfu_client_set_irqs(&cli, VFIO_PCI_MSIX_IRQ_INDEX,
		VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, NULL,
		NULL), 0);
	for (i = 0; i < (int)NR_MSIX; i++)
		cr_assert_eq(dev.irq_fd[i], -1);
	for (i = 0; i < 5; i++)
		close(efd[i]);
}

/* ------------------------------------------------------ framing, errors -- */

Test(vfio_user, malformed_header_closes)
{
	struct evq_vfu_hdr h = {
		.msg_id = 3, .command = EVQ_VFU_CMD_DEVICE_GET_INFO, .msg_size = 8,
	};
	struct evq_vfu_msg m;

	negotiate(16, 1u << 20);
	/* written raw: evq_vfu_send would fix msg_size */
	cr_assert_eq(write(cli.fd, &h, sizeof(h)), (ssize_t)sizeof(h));
	cr_assert_eq(join_server(), -EBADMSG);
	/* no reply, just the end of the stream */
	cr_assert_eq(raw_recv(&m), -ECONNRESET);
}

Test(vfio_user, oversized_message_closes)
{
	struct evq_vfu_hdr h = {
		.msg_id = 3, .command = EVQ_VFU_CMD_REGION_WRITE,
		.msg_size = (1u << 20) + EVQ_VFU_MSG_HEADROOM + 17,
	};
	struct evq_vfu_msg m;

	negotiate(16, 1u << 20);
	cr_assert_eq(write(cli.fd, &h, sizeof(h)), (ssize_t)sizeof(h));
	cr_assert_eq(join_server(), -EBADMSG);
	cr_assert_eq(raw_recv(&m), -ECONNRESET);
}

Test(vfio_user, no_reply_never_answered)
{
	struct evq_vfu_region_access ra = {
		.offset = BAR0_SIZE, .region = VFIO_PCI_BAR0_REGION_INDEX, .count = 4,
	};
	struct evq_vfu_device_info info = { .argsz = sizeof(info) };
	uint8_t req[sizeof(ra) + 4] = { 0 };
	struct evq_vfu_msg m;
	uint32_t val = 0xdeadbeef, got = 0;

	negotiate(16, 1u << 20);
	/* a valid posted write and an invalid one (out of bounds) */
	cr_assert_eq(evq_vfu_client_region_write_posted(&cli,
		VFIO_PCI_BAR0_REGION_INDEX, 16, &val, sizeof(val)), 0);
	memcpy(req, &ra, sizeof(ra));
	raw_send(500, EVQ_VFU_CMD_REGION_WRITE, EVQ_VFU_F_NO_REPLY, req, sizeof(req),
		NULL, 0);
	/* an unknown command with NO_REPLY */
	raw_send(501, 0x77, EVQ_VFU_F_NO_REPLY, NULL, 0, NULL, 0);
	/* the next thing on the wire must be the reply to this request */
	raw_send(502, EVQ_VFU_CMD_DEVICE_GET_INFO, 0, &info, sizeof(info), NULL, 0);
	cr_assert_eq(raw_recv(&m), 0);
	cr_assert_eq(m.hdr.msg_id, 502, "got a reply to message %u", m.hdr.msg_id);
	cr_assert_eq(m.hdr.command, EVQ_VFU_CMD_DEVICE_GET_INFO);
	cr_assert_eq(m.hdr.flags, EVQ_VFU_F_TYPE_REPLY);
	evq_vfu_msg_release(&m);
	cr_assert_eq(dev.nr_writes, 1);
	cr_assert_eq(evq_vfu_client_region_read(&cli, VFIO_PCI_BAR0_REGION_INDEX, 16,
		&got, sizeof(got)), 0);
	cr_assert_eq(got, val);
}

Test(vfio_user, server_gone_is_not_a_crash)
{
	struct evq_vfu_device_info info;

	negotiate(16, 1u << 20);
	/* the server side goes away: the client sees a transport error, then
	 * -ENOTCONN, never a signal */
	shutdown(cli.fd, SHUT_RDWR);
	cr_assert_lt(join_server(), 0);
	cr_assert_lt(evq_vfu_client_get_device_info(&cli, &info), 0);
	cr_assert(cli.broken);
	cr_assert_eq(evq_vfu_client_get_device_info(&cli, &info), -ENOTCONN);
}

Test(vfio_user, stalled_device_times_out_on_blocking_socket)
{
	struct evq_vfu_device_info info;
	struct evq_vfu_conn quiet;
	struct timespec t0, t1;
	int sv[2], ret;
	double ms;

	/* A peer that accepts the request and never answers. The client's
	 * socket is blocking (as the PMD's is): the call must still give up
	 * after the I/O timeout and mark the connection broken. */
	cr_assert(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
	cr_assert_eq(evq_vfu_client_conn_init(&quiet, sv[0]), 0);
	evq_vfu_set_io_timeout(200);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = evq_vfu_client_get_device_info(&quiet, &info);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	evq_vfu_set_io_timeout(EVQ_VFU_DEFAULT_IO_TIMEOUT_MS);
	ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	cr_assert_eq(ret, -ETIMEDOUT, "got %d", ret);
	cr_assert(quiet.broken);
	cr_assert_geq(ms, 150.0, "gave up too early: %.0f ms", ms);
	evq_vfu_client_conn_close(&quiet);
	close(sv[1]);
}
