/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * pmd_link: a DPDK application with net_evq linked in, shared or static,
 * instead of loaded with -d. It shows what linking gives: the driver is
 * there as soon as the EAL starts, so a --vdev net_evq0,... on the command
 * line becomes a port. The program sends frames on every port and counts
 * what comes back (run it on an adapter whose wire loops each port's Tx
 * back to its Rx: evq-sim --wire loop). Built against the installed files
 * with examples/pmd_link/Makefile (make shared, make static; pkg-config
 * modules librte_net_evq and librte_net_evq-static), and in the tree by
 * meson.
 *
 * Run: evq-pmd-link -l 0 --no-huge -m 256 --no-pci \
 *	--vdev net_evq0,socket=/run/evq0.sock -- [--frames N]
 * Prints the driver of each port and the counts; exit code 0 when every
 * port is net_evq and got back every frame it sent, 1 otherwise.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#define NB_DESC		512
#define BURST		32
#define FRAME_LEN	64
#define WAIT_MS		5000	/* for every frame to come back */

static int
port_init(uint16_t port, struct rte_mempool *mp)
{
	struct rte_eth_conf conf;
	int ret;

	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(port, 1, 1, &conf);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(port, 0, NB_DESC,
				rte_eth_dev_socket_id(port), NULL, mp);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(port, 0, NB_DESC,
				rte_eth_dev_socket_id(port), NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(port);
	return ret;
}

/* One broadcast frame of FRAME_LEN bytes from the port's own address. */
static struct rte_mbuf *
make_frame(struct rte_mempool *mp, const struct rte_ether_addr *src, uint32_t seq)
{
	struct rte_ether_hdr *eth;
	struct rte_mbuf *m;
	char *data;

	m = rte_pktmbuf_alloc(mp);
	if (m == NULL)
		return NULL;
	data = rte_pktmbuf_append(m, FRAME_LEN);
	if (data == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(data, 0, FRAME_LEN);
	eth = (struct rte_ether_hdr *)data;
	memset(&eth->dst_addr, 0xff, sizeof(eth->dst_addr));
	rte_ether_addr_copy(src, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(0x88b5);	/* local experimental */
	memcpy(data + sizeof(*eth), &seq, sizeof(seq));
	return m;
}

/* Send nb_frames on port, receive until as many came back or WAIT_MS. */
static int
run_port(uint16_t port, struct rte_mempool *mp, uint32_t nb_frames)
{
	struct rte_eth_dev_info info;
	struct rte_ether_addr mac;
	struct rte_mbuf *pkts[BURST];
	uint32_t sent = 0, received = 0;
	uint64_t deadline;
	uint16_t n, i;
	int ret;

	ret = rte_eth_dev_info_get(port, &info);
	if (ret != 0 || rte_eth_macaddr_get(port, &mac) != 0) {
		printf("port %u: no device info (%s)\n", port, rte_strerror(-ret));
		return -1;
	}
	printf("port %u: driver %s\n", port, info.driver_name);
	if (strcmp(info.driver_name, "net_evq") != 0)
		return -1;
	ret = port_init(port, mp);
	if (ret != 0) {
		printf("port %u: start failed: %s\n", port, rte_strerror(-ret));
		return -1;
	}

	deadline = rte_get_timer_cycles() + rte_get_timer_hz() * WAIT_MS / 1000;
	while (received < nb_frames && rte_get_timer_cycles() < deadline) {
		if (sent < nb_frames && sent - received < NB_DESC / 2) {
			n = RTE_MIN((uint32_t)BURST, nb_frames - sent);
			for (i = 0; i < n; i++) {
				pkts[i] = make_frame(mp, &mac, sent + i);
				if (pkts[i] == NULL)
					break;
			}
			n = i;
			i = rte_eth_tx_burst(port, 0, pkts, n);
			sent += i;
			if (i < n)
				rte_pktmbuf_free_bulk(&pkts[i], n - i);
		}
		n = rte_eth_rx_burst(port, 0, pkts, BURST);
		received += n;
		rte_pktmbuf_free_bulk(pkts, n);
	}
	printf("port %u: sent %" PRIu32 ", received %" PRIu32 "\n", port, sent, received);
	ret = rte_eth_dev_stop(port);
	if (ret == 0)
		ret = rte_eth_dev_close(port);
	if (ret != 0)
		printf("port %u: stop/close: %s\n", port, rte_strerror(-ret));
	return sent == nb_frames && received == nb_frames && ret == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "frames", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct rte_mempool *mp;
	uint32_t nb_frames = 1000;
	uint16_t port, nb_ports;
	int ret, opt, failed = 0;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "pmd_link: EAL init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argc -= ret;
	argv += ret;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (opt != 'f' || (nb_frames = strtoul(optarg, NULL, 10)) == 0) {
			fprintf(stderr, "usage: evq-pmd-link [EAL options] -- [--frames N]\n");
			rte_eal_cleanup();
			return 1;
		}
	}

	nb_ports = rte_eth_dev_count_avail();
	printf("pmd_link: %u port(s)\n", nb_ports);
	mp = rte_pktmbuf_pool_create("pmd_link", 4096, 128, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (nb_ports == 0 || mp == NULL) {
		fprintf(stderr, "pmd_link: %s\n", nb_ports == 0 ?
				"no port: give --vdev net_evq0,socket=PATH" : "no mbuf pool");
		rte_eal_cleanup();
		return 1;
	}
	RTE_ETH_FOREACH_DEV(port) {
		if (run_port(port, mp, nb_frames) != 0)
			failed++;
	}
	rte_mempool_free(mp);
	rte_eal_cleanup();
	printf("pmd_link: %s\n", failed == 0 ? "OK" : "FAIL");
	return failed == 0 ? 0 : 1;
}
