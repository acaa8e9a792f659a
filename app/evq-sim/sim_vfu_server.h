/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * The server side of vfio-user, the device model's end: the callbacks a
 * device model implements (struct evq_vfu_server_ops), listening and
 * accepting, and the dispatcher that validates each request before it
 * calls them. The wire format, framing and the connection object are
 * lib/evq_hw's (evq_vfio_user.h).
 */

#ifndef SIM_VFU_SERVER_H
#define SIM_VFU_SERVER_H

#include <sys/types.h>

#include "evq_vfio_user.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Device-model callbacks. Every request is validated before an op is
 * called (indexes, lengths, bounds against the values the ops reported at
 * evq_vfu_server_conn_init, counts, fds). Ops return 0 or a negative errno
 * which goes back to the client in an error reply. priv is the pointer
 * given to evq_vfu_server_conn_init. get_device_info, get_region_info and
 * get_irq_info are required; a NULL optional op answers -ENOTSUP.
 */
struct evq_vfu_server_ops {
	/* Fill flags, num_regions, num_irqs (argsz is set by the caller).
	 * Called once, at evq_vfu_server_conn_init. */
	int (*get_device_info)(void *priv, struct evq_vfu_device_info *info);
	/*
	 * Fill info->flags (READ/WRITE/MMAP; CAPS is set by the dispatcher),
	 * size and offset (the mmap offset). Optionally up to *nr_areas
	 * (in: capacity, out: count) sparse mmap areas and *fd (borrowed: the
	 * dispatcher sends it, never closes it). MMAP requires an fd; areas
	 * require MMAP. Called at init (sizes are cached for bounds checks)
	 * and for each GET_REGION_INFO.
	 */
	int (*get_region_info)(void *priv, uint32_t index,
		struct vfio_region_info *info,
		struct vfio_region_sparse_mmap_area *areas,
		uint32_t *nr_areas, int *fd);
	/* Fill flags and count. Called once, at init (count 0: unsupported). */
	int (*get_irq_info)(void *priv, uint32_t index,
		struct vfio_irq_info *info);
	/*
	 * set: validated header (one data type, one action, start + count in
	 * range, or the NONE|TRIGGER start = count = 0 "disable index" case).
	 * bools: count bytes for DATA_BOOL, else NULL. fds: for DATA_EVENTFD,
	 * either nfds == count eventfds (fd i serves vector start + i; already
	 * verified to be eventfds and switched to O_NONBLOCK so the server
	 * never blocks on them) or nfds == 0 (de-assign). The op takes an fd by
	 * setting its slot to -1; the dispatcher closes the others.
	 */
	int (*set_irqs)(void *priv, const struct vfio_irq_set *set,
		const uint8_t *bools, int *fds, unsigned int nfds);
	/* offset + count is inside the region, 0 < count <= max xfer. */
	int (*region_read)(void *priv, uint32_t region, uint64_t offset,
		void *buf, uint32_t count);
	int (*region_write)(void *priv, uint32_t region, uint64_t offset,
		const void *buf, uint32_t count);
	/*
	 * map: validated (flags, page alignment, no overflow, no overlap with
	 * an active map, map count limit, fd is a regular file at least
	 * offset + size long). Take *fd by setting it to -1. The client may
	 * still shrink the file later: mapping it can SIGBUS; the device model
	 * must survive that (or check seals). fd is NULL for memory the
	 * client cannot share (vfio-user.rst, VFIO_USER_DMA_MAP: no file
	 * descriptor); the model records it and never reaches it.
	 */
	int (*dma_map)(void *priv, const struct evq_vfu_dma_map *map, int *fd);
	/*
	 * unmap: a range [addr, addr + size) that covers whole active maps
	 * only (any number, none included: every map inside goes), or flags
	 * ALL (all maps). A range cutting through a map never gets here.
	 */
	int (*dma_unmap)(void *priv, const struct evq_vfu_dma_unmap *unmap);
	/* DMA mappings survive; interrupts must be set again by the client. */
	int (*reset)(void *priv);
	/* Connection gone: drop every DMA mapping and irq fd, reset. */
	void (*disconnect)(void *priv);
};

/*
 * Listen on an AF_UNIX stream socket at path with permissions mode (0600 or
 * 0660 only). A stale socket file (nobody listening) is replaced; a live
 * one gives -EADDRINUSE, a non-socket file -EEXIST. Returns the fd.
 */
int
evq_vfu_listen(const char *path, mode_t mode);

/* Accept one connection (blocking unless listen_fd is non-blocking). */
int
evq_vfu_accept(int listen_fd);

/*
 * Bind a connected socket to a device model. local: what the server
 * offers (NULL: 16 fds, 1 MiB transfers, 1024 DMA maps, 4 KiB pages).
 * Queries device, region and irq info once and checks them.
 * On failure the fd is not closed.
 */
int
evq_vfu_server_conn_init(struct evq_vfu_conn *conn, int fd,
	const struct evq_vfu_server_ops *ops, void *priv,
	const struct evq_vfu_caps *local);

/*
 * Receive one message, validate it, call the op and answer (or not, for
 * NO_REPLY). Returns 0 when the connection stays usable; -EAGAIN when a
 * non-blocking socket had nothing; any other negative value means "close
 * this connection" (-ECONNRESET: the client went away; -EBADMSG/-EPROTO/
 * -ETIMEDOUT/-ENOTSUP...: it misbehaved, reason logged).
 */
int
evq_vfu_server_handle(struct evq_vfu_conn *conn);

/* Call ops->disconnect, forget DMA maps, close the socket. */
void
evq_vfu_server_conn_close(struct evq_vfu_conn *conn);

/* Fire an interrupt: write 1 to an eventfd without ever blocking. */
int
evq_vfu_eventfd_signal(int fd);

#ifdef __cplusplus
}
#endif

#endif /* SIM_VFU_SERVER_H */
