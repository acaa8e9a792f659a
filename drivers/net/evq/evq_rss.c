/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_rss.c: receive-side scaling of net_evq.
 * Owns: the mapping between DPDK RSS hash functions and the adapter's
 * EVQ_RSS_HASH_* enables, the default RETA (spread over every Rx queue),
 * and the RETA / key ops, which program the adapter's registers (RETA in
 * one 128-byte write, key in one 40-byte write). The state is kept in the
 * adapter structure so that it is programmed again at every start.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "evq_ethdev.h"

/* Adapter hash type -> DPDK flow types it serves (2-tuple covers
 * fragments and other L4 protocols, as the datasheet says). */
static const struct {
	uint32_t hw;
	uint64_t rte;
} evq_rss_map[] = {
	{ EVQ_RSS_HASH_IPV4, RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_FRAG_IPV4 |
		RTE_ETH_RSS_NONFRAG_IPV4_OTHER },
	{ EVQ_RSS_HASH_IPV4_TCP, RTE_ETH_RSS_NONFRAG_IPV4_TCP },
	{ EVQ_RSS_HASH_IPV4_UDP, RTE_ETH_RSS_NONFRAG_IPV4_UDP },
	{ EVQ_RSS_HASH_IPV6, RTE_ETH_RSS_IPV6 | RTE_ETH_RSS_FRAG_IPV6 |
		RTE_ETH_RSS_NONFRAG_IPV6_OTHER },
	{ EVQ_RSS_HASH_IPV6_TCP, RTE_ETH_RSS_NONFRAG_IPV6_TCP },
	{ EVQ_RSS_HASH_IPV6_UDP, RTE_ETH_RSS_NONFRAG_IPV6_UDP },
};

uint64_t
evq_rss_hf_supported(const struct evq_adapter *ad)
{
	uint64_t hf = 0;
	unsigned int i;

	for (i = 0; i < RTE_DIM(evq_rss_map); i++)
		if (ad->hash_types & evq_rss_map[i].hw)
			hf |= evq_rss_map[i].rte;
	return hf;
}

static uint32_t
evq_rss_hf_to_hw(const struct evq_adapter *ad, uint64_t hf)
{
	uint32_t hw = 0;
	unsigned int i;

	for (i = 0; i < RTE_DIM(evq_rss_map); i++)
		if (hf & evq_rss_map[i].rte)
			hw |= evq_rss_map[i].hw;
	return hw & ad->hash_types;
}

static uint64_t
evq_rss_hw_to_hf(uint32_t hw)
{
	uint64_t hf = 0;
	unsigned int i;

	for (i = 0; i < RTE_DIM(evq_rss_map); i++)
		if (hw & evq_rss_map[i].hw)
			hf |= evq_rss_map[i].rte;
	return hf;
}

static bool
evq_rss_enabled(const struct rte_eth_dev *dev)
{
	return (dev->data->dev_conf.rxmode.mq_mode & RTE_ETH_MQ_RX_RSS_FLAG) != 0;
}

static int
evq_reta_write(struct evq_adapter *ad)
{
	/* entry n is byte n % 4 of register n / 4, little-endian: the byte
	 * array is already the register image */
	return evq_reg_write(ad, EVQ_REG_RETA(0), ad->reta, sizeof(ad->reta));
}

static int
evq_key_write(struct evq_adapter *ad)
{
	return evq_reg_write(ad, EVQ_REG_RSS_KEY(0), ad->rss_key, sizeof(ad->rss_key));
}

/* dev_configure: take the application's RSS configuration. */
int
evq_rss_configure(struct rte_eth_dev *dev)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	const struct rte_eth_rss_conf *conf = &dev->data->dev_conf.rx_adv_conf.rss_conf;
	uint16_t nb_rxq = dev->data->nb_rx_queues;
	unsigned int i;

	if (!evq_rss_enabled(dev)) {
		ad->rss_ctrl = 0;
		return 0;
	}
	if (!(ad->caps & EVQ_CAP_RSS)) {
		EVQ_DEV_LOG(ERR, ad, "RSS requested but the adapter has none");
		return -ENOTSUP;
	}
	if (conf->rss_key != NULL && conf->rss_key_len != 0) {
		if (conf->rss_key_len != ad->key_size) {
			EVQ_DEV_LOG(ERR, ad, "RSS key of %u bytes, the adapter takes %u",
					conf->rss_key_len, ad->key_size);
			return -EINVAL;
		}
		memcpy(ad->rss_key, conf->rss_key, ad->key_size);
	}
	ad->rss_ctrl = evq_rss_hf_to_hw(ad, conf->rss_hf);
	if (conf->rss_hf & ~evq_rss_hf_supported(ad))
		EVQ_DEV_LOG(INFO, ad, "RSS hash functions 0x%" PRIx64 " not supported, ignored",
				conf->rss_hf & ~evq_rss_hf_supported(ad));
	/* The application's table (reta_update) is kept while every entry
	 * names an Rx queue that still exists. */
	if (ad->reta_set_by_user) {
		for (i = 0; i < ad->reta_size && ad->reta[i] < nb_rxq; i++)
			;
		if (i == ad->reta_size)
			return 0;
		EVQ_DEV_LOG(INFO, ad, "RETA entry %u names Rx queue %u of %u: back to the "
				"default table", i, ad->reta[i], nb_rxq);
		ad->reta_set_by_user = false;
	}
	/* Default table: every Rx queue, round robin. */
	for (i = 0; i < ad->reta_size; i++)
		ad->reta[i] = nb_rxq != 0 ? (uint8_t)(i % nb_rxq) : 0;
	return 0;
}

/* dev_start: program key, RETA, mask and enables (RSS off: all to queue 0). */
int
evq_rss_program(struct evq_adapter *ad)
{
	int ret;

	if (!(ad->caps & EVQ_CAP_RSS))
		return 0;
	if (ad->rss_ctrl == 0 || !evq_rss_enabled(ad->eth_dev))
		return evq_reg_write32(ad, EVQ_REG_RSS_CTRL, 0);
	ret = evq_key_write(ad);
	if (ret == 0)
		ret = evq_reta_write(ad);
	if (ret == 0)
		ret = evq_reg_write32(ad, EVQ_REG_RSS_HASH_MASK, ad->reta_size - 1u);
	if (ret == 0)
		ret = evq_reg_write32(ad, EVQ_REG_RSS_CTRL, ad->rss_ctrl);
	return ret;
}

int
evq_reta_update(struct rte_eth_dev *dev, struct rte_eth_rss_reta_entry64 *reta_conf,
		uint16_t reta_size)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	uint8_t reta[EVQ_RETA_SIZE];
	uint16_t i;

	if (!(ad->caps & EVQ_CAP_RSS) || !evq_rss_enabled(dev))
		return -ENOTSUP;
	if (reta_size != ad->reta_size) {
		EVQ_DEV_LOG(ERR, ad, "RETA size %u, the adapter's is %u", reta_size,
				ad->reta_size);
		return -EINVAL;
	}
	memcpy(reta, ad->reta, sizeof(reta));
	for (i = 0; i < reta_size; i++) {
		const struct rte_eth_rss_reta_entry64 *e =
			&reta_conf[i / RTE_ETH_RETA_GROUP_SIZE];
		uint16_t bit = i % RTE_ETH_RETA_GROUP_SIZE;

		if (!(e->mask & (1ull << bit)))
			continue;
		if (e->reta[bit] >= dev->data->nb_rx_queues) {
			EVQ_DEV_LOG(ERR, ad, "RETA entry %u -> queue %u, only %u Rx queues",
					i, e->reta[bit], dev->data->nb_rx_queues);
			return -EINVAL;
		}
		reta[i] = (uint8_t)e->reta[bit];
	}
	memcpy(ad->reta, reta, sizeof(reta));
	ad->reta_set_by_user = true;
	/* The adapter's table is the truth: write it now, started or not. */
	return evq_reta_write(ad);
}

int
evq_reta_query(struct rte_eth_dev *dev, struct rte_eth_rss_reta_entry64 *reta_conf,
		uint16_t reta_size)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	uint16_t i;

	if (!(ad->caps & EVQ_CAP_RSS))
		return -ENOTSUP;
	if (reta_size != ad->reta_size) {
		EVQ_DEV_LOG(ERR, ad, "RETA size %u, the adapter's is %u", reta_size,
				ad->reta_size);
		return -EINVAL;
	}
	for (i = 0; i < reta_size; i++) {
		struct rte_eth_rss_reta_entry64 *e = &reta_conf[i / RTE_ETH_RETA_GROUP_SIZE];
		uint16_t bit = i % RTE_ETH_RETA_GROUP_SIZE;

		if (e->mask & (1ull << bit))
			e->reta[bit] = ad->reta[i];
	}
	return 0;
}

int
evq_rss_hash_update(struct rte_eth_dev *dev, struct rte_eth_rss_conf *rss_conf)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	uint8_t key[EVQ_RSS_KEY_SIZE];
	uint32_t ctrl;
	int ret;

	if (!(ad->caps & EVQ_CAP_RSS) || !evq_rss_enabled(dev))
		return -ENOTSUP;
	if (rss_conf->rss_hf & ~evq_rss_hf_supported(ad)) {
		EVQ_DEV_LOG(ERR, ad, "RSS hash functions 0x%" PRIx64 " not supported",
				rss_conf->rss_hf & ~evq_rss_hf_supported(ad));
		return -EINVAL;
	}
	memcpy(key, ad->rss_key, sizeof(key));
	if (rss_conf->rss_key != NULL && rss_conf->rss_key_len != 0) {
		if (rss_conf->rss_key_len != ad->key_size) {
			EVQ_DEV_LOG(ERR, ad, "RSS key of %u bytes, the adapter takes %u",
					rss_conf->rss_key_len, ad->key_size);
			return -EINVAL;
		}
		memcpy(key, rss_conf->rss_key, sizeof(key));
	}
	ctrl = evq_rss_hf_to_hw(ad, rss_conf->rss_hf);
	memcpy(ad->rss_key, key, sizeof(key));
	ad->rss_ctrl = ctrl;
	ret = evq_key_write(ad);
	if (ret == 0 && ctrl != 0)
		ret = evq_reg_write32(ad, EVQ_REG_RSS_HASH_MASK, ad->reta_size - 1u);
	if (ret == 0)
		ret = evq_reg_write32(ad, EVQ_REG_RSS_CTRL, ctrl);
	return ret;
}

int
evq_rss_hash_conf_get(struct rte_eth_dev *dev, struct rte_eth_rss_conf *rss_conf)
{
	struct evq_adapter *ad = evq_adapter_of(dev);

	if (!(ad->caps & EVQ_CAP_RSS))
		return -ENOTSUP;
	if (rss_conf->rss_key != NULL) {
		if (rss_conf->rss_key_len < ad->key_size)
			return -EINVAL;
		memcpy(rss_conf->rss_key, ad->rss_key, ad->key_size);
	}
	rss_conf->rss_key_len = ad->key_size;
	rss_conf->rss_hf = evq_rss_hw_to_hf(ad->rss_ctrl);
	return 0;
}
