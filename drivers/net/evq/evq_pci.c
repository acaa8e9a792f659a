/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_pci.c: the PCI transport and the "net_evq_pci" driver, for an evq
 * adapter that is real hardware bound to the kernel's vfio-pci. Owns only
 * what differs from vfio-user: BAR0 and BAR2 are the mappings EAL made
 * (RTE_PCI_DRV_NEED_MAPPING), DMA addresses are IOVAs (memzone iova,
 * mbuf buf_iova; the IOMMU is programmed by EAL), and interrupts are EAL's
 * VFIO MSI-X handle: vector 0 for EQ 0, vector q + 1 for Rx queue q, set
 * up as net/ena does (rte_intr_efd_enable + vector list). With fewer
 * vectors the queues share them, and with INTx only (EAL's VFIO_LEGACY
 * handle, VFIO_PCI_INTX_IRQ_INDEX) every EQ signals INTx: then the
 * shared-interrupt handler of evq_intr.c finds the EQs with work in the
 * summary line and wakes per-queue eventfds of our own.
 *
 * Honesty note: no such hardware exists here; this file is built and kept
 * small, but it has never been run. The placeholder PCI IDs of evq_hw.h
 * are not assigned to anyone.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bus_pci_driver.h>
#include <ethdev_pci.h>
#include <rte_alarm.h>
#include <rte_interrupts.h>
#include <rte_string_fns.h>

#include "evq_ethdev.h"

struct evq_pci_tp {
	struct rte_pci_device *pci;
	uint8_t *bar0;
	size_t bar0_len;
	bool lsc_registered;
};

static int
evq_pci_bar0_check(const struct evq_pci_tp *tp, uint32_t off, size_t len)
{
	if ((off & 3) != 0 || (len & 3) != 0 || len == 0 ||
			(size_t)off + len > tp->bar0_len)
		return -EINVAL;
	return 0;
}

static int
evq_pci_bar0_read(struct evq_adapter *ad, uint32_t off, void *buf, size_t len)
{
	struct evq_pci_tp *tp = ad->tp;
	uint32_t *out = buf;
	size_t i;

	if (evq_pci_bar0_check(tp, off, len) != 0)
		return -EINVAL;
	/* registers are little-endian; the buffer holds their image */
	for (i = 0; i < len / 4; i++)
		out[i] = rte_read32(tp->bar0 + off + 4 * i);
	return 0;
}

static int
evq_pci_bar0_write(struct evq_adapter *ad, uint32_t off, const void *buf, size_t len)
{
	struct evq_pci_tp *tp = ad->tp;
	const uint32_t *in = buf;
	size_t i;

	if (evq_pci_bar0_check(tp, off, len) != 0)
		return -EINVAL;
	for (i = 0; i < len / 4; i++)
		rte_write32(in[i], tp->bar0 + off + 4 * i);
	/* posted writes: read back once so that they have landed (the
	 * datasheet wants control writes complete before a doorbell) */
	(void)rte_read32(tp->bar0 + EVQ_REG_ID);
	return 0;
}

static void
evq_pci_lsc_cb(void *arg)
{
	struct evq_adapter *ad = arg;
	struct evq_pci_tp *tp = ad->tp;

	/* EAL has read the VFIO eventfd counter already. */
	if (ad->msix_vectors != 0) {
		evq_intr_global_handler(ad);
		return;
	}
	/*
	 * INTx is level-triggered on PCI: clear every status bit first (W1C),
	 * flushed by the read-back of the register write, so that an EQ
	 * signalling from now on asserts INTx again; then find the work in
	 * the summary line; then let vfio-pci unmask the line. (The read-back
	 * is the only register read on this path, and only on PCI INTx.)
	 */
	evq_reg_write32(ad, EVQ_REG_INTX_STATUS, UINT32_MAX);
	evq_intr_demux(ad, UINT64_MAX);
	rte_intr_ack(tp->pci->intr_handle);
}

static int
evq_pci_intr_lsc_setup(struct evq_adapter *ad)
{
	struct evq_pci_tp *tp = ad->tp;
	struct rte_intr_handle *h = tp->pci->intr_handle;
	int ret;

	if (!tp->lsc_registered) {
		ret = rte_intr_callback_register(h, evq_pci_lsc_cb, ad);
		if (ret != 0)
			return ret;
		tp->lsc_registered = true;
	}
	return rte_intr_enable(h) == 0 ? 0 : -EIO;
}

static int
evq_pci_intr_rxq_setup(struct evq_adapter *ad, uint16_t nb_rxq)
{
	struct evq_pci_tp *tp = ad->tp;
	struct rte_intr_handle *h = tp->pci->intr_handle;
	uint16_t q, v, nvec;
	int ret;

	if (nb_rxq == 0)
		return 0;
	evq_irq_sources_free(ad);
	evq_rxq_handle_free(ad);
	if (ad->irq_mode == EVQ_IRQ_INTX)	/* the INTx handler wakes our fds */
		return evq_rxq_handle_build(ad, nb_rxq, NULL);
	rte_intr_disable(h);
	rte_intr_efd_disable(h);
	rte_intr_vec_list_free(h);
	if (ad->irq_mode == EVQ_IRQ_MSIX_DIRECT) {
		/* queues on one EQ (SINGLE layout) share its vector */
		if (rte_intr_efd_enable(h, evq_rxq_nb_vectors(ad, nb_rxq)) != 0 ||
				rte_intr_vec_list_alloc(h, "evq_intr_vec", nb_rxq) != 0)
			return -rte_errno;
		for (q = 0; q < nb_rxq; q++)
			if (rte_intr_vec_list_index_set(h, q, RTE_INTR_VEC_RXTX_OFFSET +
					evq_rxq_vector(ad, nb_rxq, q) - 1) != 0)
				return -rte_errno;
		return rte_intr_enable(h) == 0 ? 0 : -EIO;
	}
	/* shared vectors: EAL's vector eventfds feed the shared-interrupt
	 * handler, the application waits on per-queue eventfds of ours */
	nvec = evq_rxq_nb_vectors(ad, nb_rxq);
	if (rte_intr_efd_enable(h, nvec) != 0)
		return -rte_errno;
	for (v = 1; v <= nvec; v++) {
		ret = evq_irq_source_add(ad, rte_intr_efds_index_get(h, v - 1),
				evq_rxq_eqs_on_vector(ad, nb_rxq, v));
		if (ret != 0)
			return ret;
	}
	ret = evq_rxq_handle_build(ad, nb_rxq, NULL);
	if (ret != 0)
		return ret;
	return rte_intr_enable(h) == 0 ? 0 : -EIO;
}

static void
evq_pci_intr_teardown(struct evq_adapter *ad)
{
	struct evq_pci_tp *tp = ad->tp;
	struct rte_intr_handle *h;

	if (tp == NULL)
		return;
	h = tp->pci->intr_handle;
	rte_intr_disable(h);
	if (tp->lsc_registered)
		evq_intr_unregister(h, evq_pci_lsc_cb, ad);
	tp->lsc_registered = false;
	evq_irq_sources_free(ad);
	evq_rxq_handle_free(ad);
	rte_intr_efd_disable(h);
	rte_intr_vec_list_free(h);
}

/*
 * Surprise removal: a PCI function that is gone (unplugged, or the
 * adapter behind a vfio-user-pci function died) answers reads with all
 * ones, and its interrupts stop. Once a second, from an alarm (control
 * context), read the ID register: all ones is the removal, reported as on
 * the vdev when its socket closes (link down, LSC and RMV events).
 */
#define EVQ_PCI_PRESENCE_US	1000000

static void
evq_pci_presence_alarm(void *arg)
{
	struct evq_adapter *ad = arg;
	uint32_t id;

	if (ad->removed || ad->closed)
		return;
	id = rte_read32(((struct evq_pci_tp *)ad->tp)->bar0 + EVQ_REG_ID);
	if (id == UINT32_MAX) {
		evq_dev_removed(ad, "the function reads all ones (surprise removal)");
		return;
	}
	rte_eal_alarm_set(EVQ_PCI_PRESENCE_US, evq_pci_presence_alarm, ad);
}

static void
evq_pci_close(struct evq_adapter *ad)
{
	rte_eal_alarm_cancel(evq_pci_presence_alarm, ad);
	free(ad->tp);
	ad->tp = NULL;
}

static const struct evq_transport_ops evq_pci_ops = {
	.name = "pci",
	.bar0_read = evq_pci_bar0_read,
	.bar0_write = evq_pci_bar0_write,
	.intr_lsc_setup = evq_pci_intr_lsc_setup,
	.intr_rxq_setup = evq_pci_intr_rxq_setup,
	.intr_teardown = evq_pci_intr_teardown,
	.reset = NULL,		/* the register reset in evq_adapter_init suffices */
	.close = evq_pci_close,
};

/* Is there an MSI-X capability in the configuration space? */
static bool
evq_pci_has_msix(const struct rte_pci_device *pci)
{
	uint8_t pos = 0, hdr[2];
	uint16_t status = 0;
	int n;

	if (rte_pci_read_config(pci, &status, sizeof(status), 0x06) != sizeof(status) ||
			!(rte_le_to_cpu_16(status) & 0x0010) ||
			rte_pci_read_config(pci, &pos, 1, 0x34) != 1)
		return false;
	for (n = 0; n < 48 && pos >= 0x40; n++) {
		if (rte_pci_read_config(pci, hdr, sizeof(hdr), pos & ~3u) != sizeof(hdr))
			return false;
		if (hdr[0] == 0x11)
			return true;
		pos = hdr[1];
	}
	return false;
}

static int
evq_pci_dev_init(struct rte_eth_dev *eth_dev)
{
	struct rte_pci_device *pci = RTE_ETH_DEV_TO_PCI(eth_dev);
	struct evq_adapter *ad = evq_adapter_of(eth_dev);
	struct evq_pci_tp *tp;
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return -ENOTSUP;
	strlcpy(ad->name, pci->device.name, sizeof(ad->name));
	ret = evq_devargs_parse(pci->device.devargs != NULL ? pci->device.devargs->args : NULL,
			&ad->args, ad->name);
	if (ret != 0)
		return ret;
	if (pci->mem_resource[EVQ_BAR_CTRL].addr == NULL ||
			pci->mem_resource[EVQ_BAR_CTRL].len < EVQ_BAR0_SIZE ||
			pci->mem_resource[EVQ_BAR_DOORBELL].addr == NULL ||
			pci->mem_resource[EVQ_BAR_DOORBELL].len < EVQ_BAR2_SIZE) {
		EVQ_DEV_LOG(ERR, ad, "BAR0/BAR2 not mapped (bind the device to vfio-pci)");
		return -ENODEV;
	}
	tp = calloc(1, sizeof(*tp));
	if (tp == NULL)
		return -ENOMEM;
	tp->pci = pci;
	tp->bar0 = pci->mem_resource[EVQ_BAR_CTRL].addr;
	tp->bar0_len = pci->mem_resource[EVQ_BAR_CTRL].len;
	ad->tp = tp;
	ad->tp_ops = &evq_pci_ops;
	ad->dbpage = pci->mem_resource[EVQ_BAR_DOORBELL].addr;
	ad->iova_is_va = false;
	/* EAL chose MSI-X, or INTx (--vfio-intr=legacy) */
	ad->msix_vectors = rte_intr_type_get(pci->intr_handle) == RTE_INTR_HANDLE_VFIO_MSIX ?
		EVQ_MSIX_VECTORS : 0;
	if (ad->msix_vectors != 0 && !evq_pci_has_msix(pci)) {
		/* EAL's default mode takes MSI-X from the IRQ info alone */
		EVQ_DEV_LOG(ERR, ad, "the function has no MSI-X capability: start the "
				"application with the EAL option --vfio-intr=legacy (INTx)");
		free(tp);
		ad->tp = NULL;
		return -ENOTSUP;
	}
	ret = evq_adapter_init(eth_dev);
	if (ret != 0) {
		evq_adapter_uninit(eth_dev);
		evq_pci_intr_teardown(ad);
		evq_pci_close(ad);
		return ret;
	}
	rte_eal_alarm_set(EVQ_PCI_PRESENCE_US, evq_pci_presence_alarm, ad);
	return 0;
}

static int
evq_pci_probe(struct rte_pci_driver *drv, struct rte_pci_device *pci)
{
	RTE_SET_USED(drv);
	return rte_eth_dev_pci_generic_probe(pci, sizeof(struct evq_adapter),
			evq_pci_dev_init);
}

static int
evq_pci_remove(struct rte_pci_device *pci)
{
	return rte_eth_dev_pci_generic_remove(pci, evq_dev_close);
}

static const struct rte_pci_id evq_pci_id_map[] = {
	{ RTE_PCI_DEVICE(EVQ_PCI_VENDOR_ID, EVQ_PCI_DEVICE_ID) },
	{ .vendor_id = 0 },
};

static struct rte_pci_driver evq_pci_driver = {
	.id_table = evq_pci_id_map,
	.drv_flags = RTE_PCI_DRV_NEED_MAPPING,
	.probe = evq_pci_probe,
	.remove = evq_pci_remove,
};

RTE_PMD_REGISTER_PCI(net_evq_pci, evq_pci_driver);
RTE_PMD_REGISTER_PCI_TABLE(net_evq_pci, evq_pci_id_map);
RTE_PMD_REGISTER_KMOD_DEP(net_evq_pci, "vfio-pci");
RTE_PMD_REGISTER_PARAM_STRING(net_evq_pci,
	EVQ_DEVARG_MAC "=<mac> "
	EVQ_DEVARG_EQ0_SIZE "=<entries> "
	EVQ_DEVARG_EQ_SIZE "=<entries> "
	EVQ_DEVARG_INTR_DELAY "=<ns> "
	EVQ_DEVARG_TX_COAL "=<descriptors> "
	EVQ_DEVARG_READ_PUBLISH "=<events> "
	EVQ_DEVARG_INTR_MODE "=armed|timestamp "
	EVQ_DEVARG_EQ_LAYOUT "=queue|lcore|single "
	EVQ_DEVARG_EQ_VALIDITY "=clear|phase");
