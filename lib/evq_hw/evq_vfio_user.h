/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * vfio-user, what both ends share: the wire structures, the capabilities
 * negotiated with VERSION (evq_vfu_caps.c: jansson plus strict checks of
 * our own), framing with file-descriptor passing (evq_vfu_msg.c), the
 * connection object, and the client calls of the driver, which validate
 * every reply (evq_vfu_client.c). The server dispatcher is the device
 * model's (app/evq-sim/sim_vfu_server.h). The peer is treated as hostile
 * on both sides. No DPDK dependency.
 *
 * Conventions: functions return 0 (or a non-negative length) on success
 * and a negative errno on failure. Received file descriptors are always
 * close-on-exec. Byte order is the host's (the protocol says so).
 */

#ifndef EVQ_VFIO_USER_H
#define EVQ_VFIO_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <linux/vfio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- wire -- */

#define EVQ_VFU_MAJOR		0
#define EVQ_VFU_MINOR		1

enum evq_vfu_cmd {
	EVQ_VFU_CMD_VERSION = 1,
	EVQ_VFU_CMD_DMA_MAP = 2,
	EVQ_VFU_CMD_DMA_UNMAP = 3,
	EVQ_VFU_CMD_DEVICE_GET_INFO = 4,
	EVQ_VFU_CMD_DEVICE_GET_REGION_INFO = 5,
	EVQ_VFU_CMD_DEVICE_GET_REGION_IO_FDS = 6,
	EVQ_VFU_CMD_DEVICE_GET_IRQ_INFO = 7,
	EVQ_VFU_CMD_DEVICE_SET_IRQS = 8,
	EVQ_VFU_CMD_REGION_READ = 9,
	EVQ_VFU_CMD_REGION_WRITE = 10,
	EVQ_VFU_CMD_DMA_READ = 11,
	EVQ_VFU_CMD_DMA_WRITE = 12,
	EVQ_VFU_CMD_DEVICE_RESET = 13,
};

/* Header flags. */
#define EVQ_VFU_F_TYPE_MASK	0xfu
#define EVQ_VFU_F_TYPE_COMMAND	0x0u
#define EVQ_VFU_F_TYPE_REPLY	0x1u
#define EVQ_VFU_F_NO_REPLY	0x10u
#define EVQ_VFU_F_ERROR		0x20u

struct evq_vfu_hdr {
	uint16_t msg_id;
	uint16_t command;
	uint32_t msg_size;	/* header included */
	uint32_t flags;
	uint32_t error_no;	/* positive errno in an error reply */
} __attribute__((packed));

/* VERSION payload: then a NUL-terminated JSON string counted in msg_size. */
struct evq_vfu_version {
	uint16_t major;
	uint16_t minor;
	char data[];
} __attribute__((packed));

/* DEVICE_GET_INFO, both ways (not struct vfio_device_info: 20 bytes). */
#define EVQ_VFU_DEV_F_RESET	0x1u
#define EVQ_VFU_DEV_F_PCI	0x2u
struct evq_vfu_device_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t num_regions;
	uint32_t num_irqs;
} __attribute__((packed));

#define EVQ_VFU_DMA_F_READ	0x1u
#define EVQ_VFU_DMA_F_WRITE	0x2u
struct evq_vfu_dma_map {
	uint32_t argsz;		/* request size: 32 */
	uint32_t flags;		/* EVQ_VFU_DMA_F_* */
	uint64_t offset;	/* offset in the file passed along */
	uint64_t addr;		/* IOVA */
	uint64_t size;
} __attribute__((packed));

#define EVQ_VFU_DMA_UNMAP_F_DIRTY_BITMAP	0x1u	/* not supported */
#define EVQ_VFU_DMA_UNMAP_F_ALL			0x2u
struct evq_vfu_dma_unmap {
	uint32_t argsz;
	uint32_t flags;		/* 0 or EVQ_VFU_DMA_UNMAP_F_ALL */
	uint64_t addr;
	uint64_t size;
} __attribute__((packed));

/* REGION_READ / REGION_WRITE request and reply header. */
struct evq_vfu_region_access {
	uint64_t offset;
	uint32_t region;
	uint32_t count;
	uint8_t data[];
} __attribute__((packed));

_Static_assert(sizeof(struct evq_vfu_hdr) == 16, "vfio-user header");
_Static_assert(sizeof(struct evq_vfu_version) == 4, "vfio-user version");
_Static_assert(sizeof(struct evq_vfu_device_info) == 16, "device info");
_Static_assert(sizeof(struct evq_vfu_dma_map) == 32, "dma map");
_Static_assert(sizeof(struct evq_vfu_dma_unmap) == 24, "dma unmap");
_Static_assert(sizeof(struct evq_vfu_region_access) == 16, "region access");
_Static_assert(sizeof(struct vfio_region_info) == 32, "region info");
_Static_assert(sizeof(struct vfio_irq_info) == 16, "irq info");
_Static_assert(sizeof(struct vfio_irq_set) == 20, "irq set");

/* -------------------------------------------------------------- limits -- */

/* Most fds this implementation takes in one message (control buffer). */
#define EVQ_VFU_MAX_FDS			32
#define EVQ_VFU_JSON_MAX		4096	/* VERSION JSON, NUL excluded */
#define EVQ_VFU_JSON_DEPTH		8
#define EVQ_VFU_XFER_MIN		8u
#define EVQ_VFU_XFER_MAX		(16u << 20)
/* Room above max_data_xfer_size for headers and non-data messages. */
#define EVQ_VFU_MSG_HEADROOM		4096u
#define EVQ_VFU_MAX_REGIONS		16
#define EVQ_VFU_MAX_IRQS		8
#define EVQ_VFU_MAX_IRQ_VECTORS		2048	/* MSI-X table limit */
#define EVQ_VFU_MAX_SPARSE_AREAS	16
/* Largest GET_REGION_INFO reply a client accepts (info + capabilities). */
#define EVQ_VFU_REGION_INFO_MAX		1024u

/* Protocol defaults for absent capabilities. */
#define EVQ_VFU_DEFAULT_MAX_MSG_FDS	1u
#define EVQ_VFU_DEFAULT_MAX_XFER	(1u << 20)
#define EVQ_VFU_DEFAULT_MAX_DMA_MAPS	65535u
#define EVQ_VFU_DEFAULT_PGSIZES		4096u

/* Default timeout for the rest of a message once its first byte is in. */
#define EVQ_VFU_DEFAULT_IO_TIMEOUT_MS	5000

/* ---------------------------------------------------------------- caps -- */

/*
 * vfio-user.rst, VFIO_USER_VERSION: each side states what it can receive
 * (max_msg_fds, max_data_xfer_size) or supports (max_dma_maps, pgsizes);
 * an absent capability means its default.
 */
struct evq_vfu_caps {
	uint32_t max_msg_fds;
	uint32_t max_data_xfer_size;
	uint32_t max_dma_maps;
	uint64_t pgsizes;
	uint32_t present;	/* parse: the EVQ_VFU_CAP_* keys that were there */
};

#define EVQ_VFU_CAP_MAX_MSG_FDS		(1u << 0)
#define EVQ_VFU_CAP_MAX_XFER		(1u << 1)
#define EVQ_VFU_CAP_MAX_DMA_MAPS	(1u << 2)
#define EVQ_VFU_CAP_PGSIZES		(1u << 3)
#define EVQ_VFU_CAP_ALL			0xfu

/* Fill with the protocol defaults (what an absent capability means). */
void
evq_vfu_caps_default(struct evq_vfu_caps *caps);

/*
 * Parse the VERSION JSON (len bytes, NUL not included) with jansson, then
 * check it: the root is an object; only objects (nested up to
 * EVQ_VFU_JSON_DEPTH), strings, integers and true/false occur; no object
 * has a key twice; "capabilities", if present, is an object whose known
 * keys are non-negative integers (unknown keys are skipped). Absent
 * capabilities (and len == 0) give the defaults. Values wider than 32 bits
 * saturate for the 32-bit fields; integers beyond int64 are refused.
 * Anything else: -EINVAL, caps untouched.
 */
int
evq_vfu_caps_parse(const char *json, size_t len, struct evq_vfu_caps *caps);

/* Write the JSON for caps into buf; returns its length or -ENOSPC. */
int
evq_vfu_caps_format(const struct evq_vfu_caps *caps, char *buf, size_t size);

/* The same with only the keys in 'keys' (EVQ_VFU_CAP_* bits): a VERSION
 * reply carries a subset of the capabilities proposed. */
int
evq_vfu_caps_format_keys(const struct evq_vfu_caps *caps, uint32_t keys, char *buf,
	size_t size);

/* ------------------------------------------------------------- framing -- */

struct evq_vfu_msg {
	struct evq_vfu_hdr hdr;
	void *payload;		/* malloc'd, NULL when len == 0 */
	uint32_t len;		/* hdr.msg_size - 16 */
	unsigned int nfds;
	int fds[EVQ_VFU_MAX_FDS];	/* owned; a taker sets its slot to -1 */
};

/* Free the payload and close every fd still owned by msg. */
void
evq_vfu_msg_release(struct evq_vfu_msg *msg);

/*
 * Send one message: hdr is copied and its msg_size set to 16 + len; fds go
 * as SCM_RIGHTS with the first byte. Never raises SIGPIPE. Returns 0,
 * -ECONNRESET (peer gone), -ETIMEDOUT (peer not reading), -EINVAL/-EBADF
 * (bad arguments) or another negative errno.
 */
int
evq_vfu_send(int fd, const struct evq_vfu_hdr *hdr, const void *payload,
	size_t len, const int *fds, unsigned int nfds);

/*
 * Receive one message of at most max_size bytes (header included). Returns:
 *   0            msg filled; release it with evq_vfu_msg_release()
 *   -EAGAIN      non-blocking socket and nothing to read (nothing consumed)
 *   -ECONNRESET  the peer closed (EOF before the first byte, or reset)
 *   -EBADMSG     malformed: msg_size < 16 or > max_size, EOF inside a
 *                message, truncated control data, too many fds, or
 *                ancillary data other than SCM_RIGHTS
 *   -ETIMEDOUT   the rest of a started message did not come in time
 *   other        negative errno of the socket / -ENOMEM
 * On any error msg holds nothing (received fds are closed). After an error
 * other than -EAGAIN the stream is out of sync: close it.
 */
int
evq_vfu_recv(int fd, struct evq_vfu_msg *msg, uint32_t max_size);

/*
 * Put fds into mh as one SCM_RIGHTS control message. mh->msg_control is the
 * buffer and mh->msg_controllen its size on entry, the bytes used on
 * return. Returns 0, or -EINVAL when nfds is 0 or the buffer cannot hold
 * CMSG_SPACE(nfds * sizeof(int)) bytes. The one writer of fd-passing
 * control data (evq_vfu_send and the fuzz targets' senders use it).
 */
int
evq_vfu_cmsg_put_fds(struct msghdr *mh, const int *fds, unsigned int nfds);

/* Close every fd that the SCM_RIGHTS control messages of a received mh carry. */
void
evq_vfu_cmsg_close_fds(struct msghdr *mh);

/* Process-wide timeout (ms, > 0) for finishing a started send or receive. */
void
evq_vfu_set_io_timeout(int timeout_ms);

/*
 * Wait until fd is ready for events (POLLIN or POLLOUT) within the I/O
 * timeout. Returns 0, -ETIMEDOUT, or a negative errno from poll().
 */
int
evq_vfu_wait(int fd, short events);

const char *
evq_vfu_cmd_name(uint16_t command);

/* ---------------------------------------------------------- connection -- */

struct evq_vfu_dma_range {
	uint64_t addr;
	uint64_t size;
};

struct evq_vfu_server_ops;

/*
 * One vfio-user connection, either end. Public so that it can be embedded
 * and polled (fd); fields below "private" belong to this module.
 */
struct evq_vfu_conn {
	int fd;
	bool negotiated;
	/* Client: a transport or framing error happened; calls give -ENOTCONN. */
	bool broken;
	uint16_t minor;			/* negotiated minor version */
	struct evq_vfu_caps caps;	/* negotiated (defaults before) */
	struct evq_vfu_caps local;	/* what this end offered */

	/* private */
	bool is_server;
	pthread_mutex_t lock;		/* client: one call at a time */
	uint16_t next_msg_id;		/* client */
	uint32_t nr_dma_maps;		/* client: maps it believes active */
	struct evq_vfu_device_info dev_info;	/* server cache / client copy */
	bool have_dev_info;
	const struct evq_vfu_server_ops *ops;
	void *priv;
	struct {
		uint64_t size;
		uint32_t flags;
	} regions[EVQ_VFU_MAX_REGIONS];
	struct {
		uint32_t count;
		uint32_t flags;
	} irqs[EVQ_VFU_MAX_IRQS];
	struct evq_vfu_dma_range *maps;	/* server: active DMA maps */
	uint32_t nr_maps;
	uint32_t maps_cap;
};

/* -------------------------------------------------------------- client -- */

/* Connect to a server socket; returns the fd. */
int
evq_vfu_client_connect(const char *path);

/* Take a connected fd (closed by evq_vfu_client_conn_close). */
int
evq_vfu_client_conn_init(struct evq_vfu_conn *conn, int fd);

void
evq_vfu_client_conn_close(struct evq_vfu_conn *conn);

/*
 * Send VERSION with offer (NULL: 16 fds, 1 MiB, 65535 maps, 4 KiB pages)
 * and check the reply: same major, minor not higher. Each side states the
 * limits it can receive (vfio-user.rst, "Version"): a server announcing
 * more than we offered is accepted and we send within the smaller of the
 * two. On success conn->caps holds the negotiated values.
 * -EPROTO: the server answered something invalid.
 */
int
evq_vfu_client_negotiate(struct evq_vfu_conn *conn,
	const struct evq_vfu_caps *offer);

/*
 * One request/reply exchange (thread safe; calls are serialised).
 * rfds/nrfds: capacity in, count out (both may be NULL: no fds accepted).
 * Returns 0, the server's -errno from an error reply, -EPROTO for an
 * invalid reply (wrong id/command/type, payload above reply_max, too many
 * fds: everything received is dropped), -ENOTCONN once broken, or a
 * transport error (which marks the connection broken: treat it as device
 * removal).
 */
int
evq_vfu_client_call(struct evq_vfu_conn *conn, uint16_t command,
	const void *req, size_t req_len, const int *fds, unsigned int nfds,
	void *reply_buf, size_t reply_max, size_t *reply_len,
	int *rfds, unsigned int *nrfds);

/* Send a command with NO_REPLY set: no answer, errors are not reported. */
int
evq_vfu_client_post(struct evq_vfu_conn *conn, uint16_t command,
	const void *req, size_t req_len, const int *fds, unsigned int nfds);

/* num_regions <= EVQ_VFU_MAX_REGIONS, num_irqs <= EVQ_VFU_MAX_IRQS. */
int
evq_vfu_client_get_device_info(struct evq_vfu_conn *conn,
	struct evq_vfu_device_info *info);

struct evq_vfu_region {
	struct vfio_region_info info;	/* argsz/cap_offset as received */
	uint32_t nr_areas;		/* sparse mmap areas (0: none) */
	struct vfio_region_sparse_mmap_area areas[EVQ_VFU_MAX_SPARSE_AREAS];
	int fd;				/* -1 or owned by the caller */
};

/*
 * Two-pass GET_REGION_INFO. Validates flags, size/offset, the capability
 * chain (offsets inside the reply, strictly increasing: no loops), sparse
 * areas (inside the region, page aligned, at most EVQ_VFU_MAX_SPARSE_AREAS)
 * and the fd (present iff MMAP).
 */
int
evq_vfu_client_get_region_info(struct evq_vfu_conn *conn, uint32_t index,
	struct evq_vfu_region *region);

int
evq_vfu_client_get_irq_info(struct evq_vfu_conn *conn, uint32_t index,
	struct vfio_irq_info *info);

/*
 * flags: one VFIO_IRQ_SET_DATA_* and one VFIO_IRQ_SET_ACTION_*. EVENTFD:
 * fds holds count eventfds (NULL: de-assign), sent in as many messages as
 * max_msg_fds requires (a failure part-way leaves earlier parts applied).
 * BOOL: bools holds count bytes.
 */
int
evq_vfu_client_set_irqs(struct evq_vfu_conn *conn, uint32_t index,
	uint32_t flags, uint32_t start, uint32_t count, const int *fds,
	const uint8_t *bools);

/* Split into max_data_xfer_size pieces. */
int
evq_vfu_client_region_read(struct evq_vfu_conn *conn, uint32_t region,
	uint64_t offset, void *buf, size_t count);

int
evq_vfu_client_region_write(struct evq_vfu_conn *conn, uint32_t region,
	uint64_t offset, const void *buf, size_t count);

/* Posted write (NO_REPLY): like an MMIO write, errors are not seen. */
int
evq_vfu_client_region_write_posted(struct evq_vfu_conn *conn,
	uint32_t region, uint64_t offset, const void *buf, size_t count);

/* fd: the memory's file (sent, not closed), fd_offset: its offset there. */
int
evq_vfu_client_dma_map(struct evq_vfu_conn *conn, int fd, uint64_t fd_offset,
	uint64_t iova, uint64_t size, uint32_t flags);

/* flags 0 (exact iova/size) or EVQ_VFU_DMA_UNMAP_F_ALL (iova = size = 0). */
int
evq_vfu_client_dma_unmap(struct evq_vfu_conn *conn, uint64_t iova,
	uint64_t size, uint32_t flags);

int
evq_vfu_client_device_reset(struct evq_vfu_conn *conn);

#ifdef __cplusplus
}
#endif

#endif /* EVQ_VFIO_USER_H */
