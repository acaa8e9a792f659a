/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * fuzz_vfu_client: libFuzzer target for the vfio-user client. The main
 * thread makes the calls the PMD makes, in the PMD's order (VERSION, device
 * info, config space read and write, BAR0/BAR2 region info, MSI-X info,
 * DMA map, eventfd binding, register reads and writes, posted writes,
 * unbinding, DMA unmap, reset), up to three rounds. A fake server answers
 * each request with the next input record (fuzz_stream.h): the
 * record's first byte says how: bit 0 set, the rest is sent as it is (its
 * own header, any msg_size); else a reply header is made for the request
 * (its id and command; bit 1: an error reply whose errno is the next four
 * bytes; bit 2: a wrong message id; bit 3: the command type instead of
 * reply) and the rest is the payload. The record's fds go along. A reply
 * whose declared size is longer than what was sent ends the stream (EOF
 * inside a message) instead of leaving the client waiting. The fake
 * server runs in the same thread, as the client's peer (fuzz_sock.h):
 * whenever the client waits for a reply; most inputs go through an
 * in-memory socket, one in FUZZ_SOCK_REAL_EVERY through the kernel's.
 *
 * Oracle: no crash, no out-of-bounds access, no fd leaked (every fd a
 * reply carried is closed or handed to the caller, who closes it), and the
 * values the client accepted satisfy its documented limits.
 */

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/socket.h>
#include <unistd.h>

#include "evq_vfio_user.h"
#include "fuzz_sock.h"
#include "fuzz_stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_server {
	int sock;
	const uint8_t *data;
	size_t size;
	bool stop;		/* the input is used up or the stream broken */
};

static void
fuzz_reply(int sock, const struct evq_vfu_hdr *req, const struct fuzz_record *r,
		bool *stop)
{
	struct fuzz_record out = *r;
	uint8_t buf[sizeof(struct evq_vfu_hdr) + 65536];
	struct evq_vfu_hdr h;
	uint8_t ctrl = r->len != 0 ? r->data[0] : 0;
	const uint8_t *p = r->len != 0 ? r->data + 1 : r->data;
	size_t n = r->len != 0 ? r->len - 1 : 0, done = 0;

	if (ctrl & 1) {
		out.data = p;
		out.len = n;
		if (n >= sizeof(h)) {
			memcpy(&h, p, sizeof(h));
			if (h.msg_size > n)
				*stop = true;	/* EOF inside the message */
		} else {
			*stop = true;
		}
	} else {
		memset(&h, 0, sizeof(h));
		h.msg_id = (uint16_t)(req->msg_id + ((ctrl & 4) ? 1 : 0));
		h.command = req->command;
		h.flags = (ctrl & 8) ? EVQ_VFU_F_TYPE_COMMAND : EVQ_VFU_F_TYPE_REPLY;
		if ((ctrl & 2) && n >= 4) {
			h.flags |= EVQ_VFU_F_ERROR;
			memcpy(&h.error_no, p, 4);
			p += 4;
			n -= 4;
		}
		h.msg_size = (uint32_t)(sizeof(h) + n);
		memcpy(buf, &h, sizeof(h));
		memcpy(buf + sizeof(h), p, n);
		out.data = buf;
		out.len = sizeof(h) + n;
	}
	if (fuzz_record_send(sock, &out, &done) != 0)
		*stop = true;
}

/* The server's turn (the client waits): answer every request sent so far. */
static void
fuzz_server_turn(void *arg)
{
	struct fuzz_server *s = arg;

	while (!s->stop) {
		struct evq_vfu_msg m;
		struct fuzz_record r;
		int ret;

		ret = evq_vfu_recv(s->sock, &m, EVQ_VFU_XFER_MAX + EVQ_VFU_MSG_HEADROOM);
		if (ret == -EAGAIN)
			return;		/* nothing more: the client's turn */
		if (ret != 0) {
			s->stop = true;
			break;
		}
		if (!(m.hdr.flags & EVQ_VFU_F_NO_REPLY)) {
			if (fuzz_record_next(&s->data, &s->size, &r) != 0)
				s->stop = true;
			else
				fuzz_reply(s->sock, &m.hdr, &r, &s->stop);
		}
		evq_vfu_msg_release(&m);
	}
	/* the client sees EOF: its calls fail from here on */
	shutdown(s->sock, SHUT_RDWR);
}

static void
fuzz_close_region(struct evq_vfu_region *reg)
{
	uint32_t i;

	if (reg->nr_areas > EVQ_VFU_MAX_SPARSE_AREAS)
		abort();
	for (i = 0; i < reg->nr_areas; i++)
		if (reg->areas[i].offset + reg->areas[i].size > reg->info.size)
			abort();
	if (reg->fd >= 0)
		close(reg->fd);
}

/* One round of the PMD's calls; stops at the first transport failure. */
static void
fuzz_client_round(struct evq_vfu_conn *conn, int memfd, int *efds)
{
	struct evq_vfu_caps offer;
	struct evq_vfu_device_info info;
	struct evq_vfu_region reg;
	struct vfio_irq_info irq;
	uint32_t cfg[16], v = 0x6, i;
	uint64_t v64 = 0;

	evq_vfu_caps_default(&offer);
	offer.max_msg_fds = 16;
	offer.max_data_xfer_size = 1u << 20;
	offer.max_dma_maps = 1024;
	if (!conn->negotiated) {
		/* accepted: what this end can send with and receive (the
		 * server's own limits may exceed the offer, within these) */
		if (evq_vfu_client_negotiate(conn, &offer) == 0) {
			if (conn->caps.max_msg_fds == 0 ||
					conn->caps.max_msg_fds > EVQ_VFU_MAX_FDS ||
					conn->caps.max_data_xfer_size < EVQ_VFU_XFER_MIN ||
					conn->caps.max_data_xfer_size > (1u << 20) ||
					conn->caps.pgsizes == 0 ||
					(conn->caps.pgsizes & ~(uint64_t)4096) != 0)
				abort();
		}
	}
	if (evq_vfu_client_get_device_info(conn, &info) == 0 &&
			(info.num_regions > EVQ_VFU_MAX_REGIONS || info.num_irqs > EVQ_VFU_MAX_IRQS))
		abort();
	evq_vfu_client_region_read(conn, VFIO_PCI_CONFIG_REGION_INDEX, 0, cfg, sizeof(cfg));
	evq_vfu_client_region_write(conn, VFIO_PCI_CONFIG_REGION_INDEX, 4, &v, sizeof(v));
	for (i = 0; i < 2; i++) {
		if (evq_vfu_client_get_region_info(conn, i == 0 ? VFIO_PCI_BAR0_REGION_INDEX :
				VFIO_PCI_BAR2_REGION_INDEX, &reg) == 0)
			fuzz_close_region(&reg);
	}
	if (evq_vfu_client_get_irq_info(conn, VFIO_PCI_MSIX_IRQ_INDEX, &irq) == 0 &&
			irq.count > EVQ_VFU_MAX_IRQ_VECTORS)
		abort();
	evq_vfu_client_dma_map(conn, memfd, 0, 0x100000, 0x10000,
			EVQ_VFU_DMA_F_READ | EVQ_VFU_DMA_F_WRITE);
	evq_vfu_client_set_irqs(conn, VFIO_PCI_MSIX_IRQ_INDEX,
			VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, 0, 3, efds, NULL);
	evq_vfu_client_region_read(conn, VFIO_PCI_BAR0_REGION_INDEX, 0, &v, sizeof(v));
	evq_vfu_client_region_read(conn, VFIO_PCI_BAR0_REGION_INDEX, 8, &v64, sizeof(v64));
	evq_vfu_client_region_write(conn, VFIO_PCI_BAR0_REGION_INDEX, 0x10, &v, sizeof(v));
	evq_vfu_client_region_write_posted(conn, VFIO_PCI_BAR0_REGION_INDEX, 0x14, &v,
			sizeof(v));
	evq_vfu_client_set_irqs(conn, VFIO_PCI_MSIX_IRQ_INDEX,
			VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, NULL, NULL);
	evq_vfu_client_dma_unmap(conn, 0x100000, 0x10000, 0);
	evq_vfu_client_device_reset(conn);
}

/* The open fds (the entries of /proc/self/fd, less the one that lists
 * them); with show, name each on stderr. */
static int
fuzz_count_fds(bool show)
{
	char link[64], target[256];
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fd");
	int n = 0;

	if (dir == NULL)
		abort();
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.' || atoi(d->d_name) == dirfd(dir))
			continue;
		n++;
		if (show) {
			ssize_t len;

			snprintf(link, sizeof(link), "/proc/self/fd/%s", d->d_name);
			len = readlink(link, target, sizeof(target) - 1);
			target[len > 0 ? len : 0] = '\0';
			fprintf(stderr, "fd %s: %s\n", d->d_name, target);
		}
	}
	closedir(dir);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* what the client hands over; made once, the server closes its copies */
	static int memfd = -1, efds[3];
	struct fuzz_server srv = { .data = data, .size = size };
	struct evq_vfu_conn conn;
	int sv[2], round, i, fds_before, fds_after;

	if (memfd < 0) {
		evq_vfu_set_io_timeout(2000);
		memfd = memfd_create("fuzz-client", MFD_CLOEXEC);
		if (memfd < 0 || ftruncate(memfd, 0x10000) != 0)
			abort();
		for (i = 0; i < 3; i++)
			efds[i] = eventfd(0, EFD_CLOEXEC);
	}
	fds_before = fuzz_count_fds(false);
	fuzz_sock_pair(sv, fuzz_sock_use_real(data, size));
	/* the server's reads never block (its turn ends when nothing is left) */
	fcntl(sv[1], F_SETFL, fcntl(sv[1], F_GETFL) | O_NONBLOCK);
	srv.sock = sv[1];
	fuzz_sock_set_peer(sv[0], fuzz_server_turn, &srv);
	evq_vfu_client_conn_init(&conn, sv[0]);
	for (round = 0; round < 3 && !conn.broken; round++)
		fuzz_client_round(&conn, memfd, efds);
	evq_vfu_client_conn_close(&conn);	/* closes sv[0] */
	fuzz_server_turn(&srv);			/* the posted messages, then EOF */
	close(sv[1]);
	fds_after = fuzz_count_fds(false);
	if (fds_after != fds_before) {
		fprintf(stderr, "fuzz-vfu-client: %d fds open before, %d after:\n", fds_before,
			fds_after);
		fuzz_count_fds(true);
		abort();	/* a reply's fd leaked */
	}
	return 0;
}
