/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_test_app: the pieces the DPDK test applications of app/test-evq share
 * (start-up, PASS/FAIL ending, port start, LSC counting, xstats, Rx
 * interrupt wait, UDP test frame); see evq_test_app.h.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_interrupts.h>
#include <rte_ip.h>
#include <rte_pause.h>
#include <rte_udp.h>

#include "evq_test_app.h"

const uint8_t evq_test_rss_default_key[EVQ_TEST_RSS_KEY_LEN] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
	0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
	0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
	0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

/* written by the interrupt thread (LSC callback), read by the test */
static int lsc_events;

int
evq_test_app_init(int argc, char **argv, unsigned int nb_mbufs, unsigned int cache_size,
		struct rte_mempool **pool)
{
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		printf("FAIL: EAL init\n");
		return -1;
	}
	/* a secondary process uses its primary's pool */
	if (rte_eal_process_type() == RTE_PROC_PRIMARY)
		*pool = rte_pktmbuf_pool_create("evq_test_pool", nb_mbufs, cache_size, 0,
				RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	else
		*pool = rte_mempool_lookup("evq_test_pool");
	if (*pool == NULL) {
		printf("FAIL: mempool\n");
		return -1;
	}
	return ret;
}

int
evq_test_app_finish(int ret)
{
	printf("%s\n", ret == 0 ? "PASS" : "FAIL");
	fflush(stdout);
	rte_eal_cleanup();
	return ret == 0 ? 0 : 1;
}

int
evq_test_port_start(uint16_t port, uint16_t nb_rxq, uint16_t nb_desc,
		struct rte_mempool *pool, unsigned int flags)
{
	struct rte_eth_conf conf;
	uint16_t q;
	int ret;

	memset(&conf, 0, sizeof(conf));
	conf.intr_conf.rxq = (flags & EVQ_TEST_PORT_RXQ_INTR) ? 1 : 0;
	conf.intr_conf.lsc = (flags & EVQ_TEST_PORT_LSC) ? 1 : 0;
	if (flags & EVQ_TEST_PORT_RSS) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IPV4 |
			RTE_ETH_RSS_NONFRAG_IPV4_UDP;
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_RSS_HASH;
	}
	if (flags & EVQ_TEST_PORT_TIMESTAMP)
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_TIMESTAMP;
	if (flags & EVQ_TEST_PORT_CKSUM)
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_IPV4_CKSUM |
			RTE_ETH_RX_OFFLOAD_UDP_CKSUM;
	if (flags & EVQ_TEST_PORT_TX_FAST_FREE)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE |
			RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	ret = rte_eth_dev_configure(port, nb_rxq, 1, &conf);
	for (q = 0; ret == 0 && q < nb_rxq; q++)
		ret = rte_eth_rx_queue_setup(port, q, nb_desc, rte_socket_id(), NULL, pool);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(port, 0, nb_desc, rte_socket_id(), NULL);
	if (ret == 0 && (flags & EVQ_TEST_PORT_PROMISC))
		ret = rte_eth_promiscuous_enable(port);
	if (ret == 0)
		ret = rte_eth_dev_start(port);
	if (ret != 0)
		printf("port %u setup: %s\n", port, rte_strerror(-ret));
	return ret;
}

void
evq_test_ports_close(uint16_t n)
{
	uint16_t p;

	for (p = 0; p < n; p++) {
		rte_eth_dev_stop(p);
		rte_eth_dev_close(p);
	}
}

static int
lsc_cb(uint16_t port, enum rte_eth_event_type type, void *arg, void *ret)
{
	RTE_SET_USED(port);
	RTE_SET_USED(type);
	RTE_SET_USED(arg);
	RTE_SET_USED(ret);
	__atomic_add_fetch(&lsc_events, 1, __ATOMIC_RELEASE);
	return 0;
}

int
evq_test_lsc_register(uint16_t port)
{
	return rte_eth_dev_callback_register(port, RTE_ETH_EVENT_INTR_LSC, lsc_cb, NULL);
}

void
evq_test_lsc_unregister(uint16_t port)
{
	rte_eth_dev_callback_unregister(port, RTE_ETH_EVENT_INTR_LSC, lsc_cb, NULL);
}

int
evq_test_lsc_events(void)
{
	return __atomic_load_n(&lsc_events, __ATOMIC_ACQUIRE);
}

void
evq_test_lsc_reset(void)
{
	__atomic_store_n(&lsc_events, 0, __ATOMIC_RELEASE);
}

int
evq_test_lsc_wait(int want, uint64_t ms)
{
	uint64_t t0 = rte_get_timer_cycles();

	while (evq_test_lsc_events() < want &&
			rte_get_timer_cycles() - t0 < evq_test_ms_to_cycles(ms))
		rte_pause();
	return evq_test_lsc_events();
}

uint64_t
evq_test_xstat(uint16_t port, const char *name)
{
	uint64_t id, v;

	if (rte_eth_xstats_get_id_by_name(port, name, &id) != 0 ||
			rte_eth_xstats_get_by_id(port, &id, &v, 1) != 1)
		return UINT64_MAX;
	return v;
}

uint64_t
evq_test_ms_to_cycles(uint64_t ms)
{
	return ms * rte_get_timer_hz() / 1000;
}

int
evq_test_wait_rx_intr(int timeout_ms)
{
	struct rte_epoll_event ev;
	int n;

	do
		n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, &ev, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	return n;
}

struct rte_mbuf *
evq_test_udp_frame(struct rte_mempool *pool, const struct rte_ether_addr *dst,
		const struct rte_ipv4_tuple *t, uint16_t frame_len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	struct rte_ether_hdr *eh;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	char *p;

	if (m == NULL)
		return NULL;
	p = rte_pktmbuf_append(m, frame_len);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(p, 0, frame_len);
	eh = (struct rte_ether_hdr *)p;
	if (dst != NULL)
		rte_ether_addr_copy(dst, &eh->dst_addr);
	else
		memset(&eh->dst_addr, 0xff, RTE_ETHER_ADDR_LEN);
	eh->src_addr.addr_bytes[0] = 0x02;
	eh->src_addr.addr_bytes[5] = 0x01;
	eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(eh + 1);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(frame_len - sizeof(*eh));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(t->src_addr);
	ip->dst_addr = rte_cpu_to_be_32(t->dst_addr);
	udp = (struct rte_udp_hdr *)(ip + 1);
	udp->src_port = rte_cpu_to_be_16(t->sport);
	udp->dst_port = rte_cpu_to_be_16(t->dport);
	udp->dgram_len = rte_cpu_to_be_16(frame_len - sizeof(*eh) - sizeof(*ip));
	udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip, udp);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	return m;
}
