/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_filter.c: the receive filters of net_evq beyond promiscuous and
 * all-multicast (datasheet "Receive filters").
 * Owns: extra unicast addresses (mac_addr_add/remove, entries 1..16 of
 * dev->data->mac_addrs), the multicast address list (set_mc_addr_list),
 * the VLAN filter table (vlan_filter_set; ethdev keeps the table in
 * dev->data->vlan_filter_conf) and VLAN stripping (vlan_offload_set), and
 * programming all of them into the adapter at start.
 */

#include <errno.h>
#include <string.h>

#include "evq_ethdev.h"

static int
evq_uc_write(struct evq_adapter *ad, uint32_t i, const struct rte_ether_addr *addr)
{
	uint32_t regs[2];

	if (addr == NULL || rte_is_zero_ether_addr(addr))
		regs[0] = regs[1] = 0;
	else
		evq_mac_to_regs(addr, EVQ_MAC_ENTRY_VALID, regs);
	return evq_reg_write(ad, EVQ_REG_UC_MAC_LO(i), regs, sizeof(regs));
}

/* The whole multicast list in one write (valid entries first). */
static int
evq_mc_write(struct evq_adapter *ad)
{
	uint32_t regs[2 * EVQ_MC_MAC_COUNT];
	uint32_t i;

	memset(regs, 0, sizeof(regs));
	for (i = 0; i < ad->nb_mc; i++)
		evq_mac_to_regs(&ad->mc[i], EVQ_MAC_ENTRY_VALID, &regs[2 * i]);
	return evq_reg_write(ad, EVQ_REG_MC_MAC_LO(0), regs, sizeof(regs));
}

/* VLAN control from the port's Rx offloads; the Rx queues' mbuf flags follow. */
static int
evq_vlan_ctrl_write(struct rte_eth_dev *dev)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	uint64_t offloads = dev->data->dev_conf.rxmode.offloads;
	uint32_t ctrl = 0;
	uint16_t q;
	int ret;

	if (offloads & RTE_ETH_RX_OFFLOAD_VLAN_STRIP)
		ctrl |= EVQ_VLAN_CTRL_STRIP;
	if (offloads & RTE_ETH_RX_OFFLOAD_VLAN_FILTER)
		ctrl |= EVQ_VLAN_CTRL_FILTER;
	if (ctrl != 0 && !(ad->caps & EVQ_CAP_RX_VLAN))
		return -ENOTSUP;
	ret = evq_reg_write32(ad, EVQ_REG_VLAN_CTRL, ctrl);
	if (ret != 0)
		return ret;
	ad->vlan_ctrl = ctrl;
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		struct evq_rx_queue *rxq = dev->data->rx_queues[q];

		if (rxq == NULL)
			continue;
		if (ctrl & EVQ_VLAN_CTRL_STRIP)
			rxq->ol_flags_mask |= RTE_MBUF_F_RX_VLAN_STRIPPED;
		else
			rxq->ol_flags_mask &= ~RTE_MBUF_F_RX_VLAN_STRIPPED;
	}
	return 0;
}

/* The VLAN table as ethdev keeps it: 64-bit words = pairs of registers. */
static int
evq_vlan_table_write(struct rte_eth_dev *dev)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	const uint64_t *ids = dev->data->vlan_filter_conf.ids;
	uint32_t regs[EVQ_VLAN_TABLE_REGS];
	uint32_t i;

	for (i = 0; i < EVQ_VLAN_TABLE_REGS; i++)
		regs[i] = rte_cpu_to_le_32((uint32_t)(ids[i / 2] >> (32 * (i % 2))));
	return evq_reg_write(ad, EVQ_REG_VLAN_TABLE(0), regs, sizeof(regs));
}

int
evq_filters_program(struct rte_eth_dev *dev)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	uint32_t i;
	int ret;

	if (!(ad->caps & EVQ_CAP_RX_VLAN) && !(ad->caps & EVQ_CAP_MAC_FILTERS))
		return 0;
	ret = evq_vlan_ctrl_write(dev);
	if (ret == 0 && (ad->caps & EVQ_CAP_RX_VLAN))
		ret = evq_vlan_table_write(dev);
	if (ret != 0 || !(ad->caps & EVQ_CAP_MAC_FILTERS))
		return ret;
	for (i = 0; i < EVQ_UC_MAC_COUNT && ret == 0; i++)
		ret = evq_uc_write(ad, i, &dev->data->mac_addrs[1 + i]);
	if (ret == 0)
		ret = evq_mc_write(ad);
	return ret;
}

int
evq_mac_addr_add(struct rte_eth_dev *dev, struct rte_ether_addr *addr, uint32_t index,
		uint32_t vmdq)
{
	struct evq_adapter *ad = evq_adapter_of(dev);

	RTE_SET_USED(vmdq);
	if (!(ad->caps & EVQ_CAP_MAC_FILTERS) || index == 0 || index > EVQ_UC_MAC_COUNT)
		return -ENOSPC;
	if (!rte_is_valid_assigned_ether_addr(addr)) {
		EVQ_DEV_LOG(ERR, ad, "refusing a multicast or zero unicast address (use "
				"the multicast list)");
		return -EINVAL;
	}
	return evq_uc_write(ad, index - 1, addr);
}

void
evq_mac_addr_remove(struct rte_eth_dev *dev, uint32_t index)
{
	struct evq_adapter *ad = evq_adapter_of(dev);

	if (index == 0 || index > EVQ_UC_MAC_COUNT)
		return;
	if (evq_uc_write(ad, index - 1, NULL) != 0)
		EVQ_DEV_LOG(ERR, ad, "removing unicast address %u failed", index);
}

int
evq_set_mc_addr_list(struct rte_eth_dev *dev, struct rte_ether_addr *list, uint32_t nb)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	uint32_t i;

	if (!(ad->caps & EVQ_CAP_MAC_FILTERS))
		return -ENOTSUP;
	if (nb > EVQ_MC_MAC_COUNT) {
		EVQ_DEV_LOG(ERR, ad, "%u multicast addresses, the adapter holds %u "
				"(use all-multicast)", nb, EVQ_MC_MAC_COUNT);
		return -ENOSPC;
	}
	for (i = 0; i < nb; i++) {
		if (!rte_is_multicast_ether_addr(&list[i])) {
			EVQ_DEV_LOG(ERR, ad, "multicast list entry %u is not multicast", i);
			return -EINVAL;
		}
	}
	for (i = 0; i < nb; i++)
		rte_ether_addr_copy(&list[i], &ad->mc[i]);
	ad->nb_mc = nb;
	return evq_mc_write(ad);
}

int
evq_vlan_filter_set(struct rte_eth_dev *dev, uint16_t vlan_id, int on)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	const uint64_t *ids = dev->data->vlan_filter_conf.ids;
	uint32_t reg = vlan_id / 32, bit = 1u << (vlan_id % 32);
	uint32_t v;

	if (!(ad->caps & EVQ_CAP_RX_VLAN))
		return -ENOTSUP;
	/* ethdev updates its copy after this call: start from it */
	v = (uint32_t)(ids[reg / 2] >> (32 * (reg % 2)));
	v = on ? v | bit : v & ~bit;
	return evq_reg_write32(ad, EVQ_REG_VLAN_TABLE(reg), v);
}

int
evq_vlan_offload_set(struct rte_eth_dev *dev, int mask)
{
	if (!(mask & (RTE_ETH_VLAN_STRIP_MASK | RTE_ETH_VLAN_FILTER_MASK)))
		return mask != 0 ? -ENOTSUP : 0;	/* QinQ, extend: not offered */
	return evq_vlan_ctrl_write(dev);
}
