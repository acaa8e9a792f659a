/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_transport.h: how the ethdev layer reaches an adapter. The same
 * hardware layer (registers, rings, events of lib/evq_hw/evq_hw.h) runs over two
 * transports:
 *   - vfio-user (evq_vfio_user_ethdev.c, vdev "net_evq"): BAR0 accesses are
 *     REGION_READ/WRITE round trips, BAR2 is an mmapped memfd, interrupts
 *     are eventfds handed over with SET_IRQS, DMA addresses are our virtual
 *     addresses (every DPDK memory segment is DMA_MAPped);
 *   - PCI through the kernel's vfio-pci (evq_pci.c): BAR0/BAR2 mapped by
 *     EAL, MSI-X through EAL's interrupt handle, DMA addresses are IOVAs.
 * The transport owns its interrupt plumbing; the ethdev layer only asks
 * for "vector 0 for global events" and "the Rx queue interrupts" in the
 * mode it chose (evq_ethdev.h: a vector per Rx EQ, shared vectors, or
 * INTx); for an interrupt that serves several EQs the transport hands its
 * eventfd to evq_irq_source_add() or calls evq_intr_demux() itself.
 */

#ifndef EVQ_TRANSPORT_H
#define EVQ_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct evq_adapter;

struct evq_transport_ops {
	const char *name;
	/*
	 * BAR0 access: off 4-byte aligned, len a non-zero multiple of 4. One
	 * call is one device access (a multi-register write is applied in
	 * increasing address order). Control path only.
	 * @return 0 or a negative errno (-ENOTCONN once the device is gone).
	 */
	int (*bar0_read)(struct evq_adapter *ad, uint32_t off, void *buf,
			size_t len);
	int (*bar0_write)(struct evq_adapter *ad, uint32_t off,
			const void *buf, size_t len);
	/*
	 * Interrupts. lsc_setup: make vector 0 deliver to the ethdev layer's
	 * global-event handler (evq_intr_global_handler()), or, without any
	 * MSI-X vector, INTx to evq_intr_demux(), for the life of the port.
	 * rxq_setup: route the Rx queue interrupts by ad->irq_mode (vector
	 * evq_rxq_vector() of queue q; shared vectors and INTx through
	 * evq_irq_source_add()) and fill eth_dev->intr_handle for
	 * rte_eth_dev_rx_intr_ctl_q() (evq_rxq_handle_build(); nb_rxq 0 =
	 * keep until teardown). teardown: undo both, at close.
	 */
	int (*intr_lsc_setup)(struct evq_adapter *ad);
	int (*intr_rxq_setup)(struct evq_adapter *ad, uint16_t nb_rxq);
	void (*intr_teardown)(struct evq_adapter *ad);
	/* Whole-function reset through the transport (after it, interrupts
	 * must be bound again). May be NULL. */
	int (*reset)(struct evq_adapter *ad);
	/*
	 * Secondary processes (evq_mp.c): the file descriptor and offset that
	 * map the doorbell page, kept open by the transport for the life of
	 * the port (the caller does not close it). NULL: not shareable.
	 */
	int (*dbpage_fd)(struct evq_adapter *ad, int *fd, uint64_t *off);
	/*
	 * Secondary processes: up to max of the Rx eventfds the application
	 * waits on (evq_rxq_efd_index(): the Rx vectors', or the driver's per
	 * queue on shared vectors and INTx), from index first - 1 on, into
	 * fds (the transport keeps them open), and in
	 * *nb_rxq the Rx queues they serve (0: none bound). Returns the count.
	 * NULL: no Rx interrupts to share.
	 */
	int (*rxq_efds)(struct evq_adapter *ad, uint16_t first, int *fds, unsigned int max,
			uint16_t *nb_rxq);
	/* Release everything the transport holds (close of the port). */
	void (*close)(struct evq_adapter *ad);
};

#endif /* EVQ_TRANSPORT_H */
