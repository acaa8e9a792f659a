/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_test_app: what the DPDK test applications of app/test-evq
 * (pmd/test_pmd_app.c, intr/test_intr_app.c; both load net_evq with -d and
 * end with a PASS or FAIL line) share: the CHECK macro, EAL and mbuf pool
 * start-up and the PASS/FAIL ending, port configuration and start, an LSC
 * callback that counts events, xstat lookup by name, the Rx interrupt wait,
 * a UDP/IPv4 test frame and the adapter's reset RSS key. The tests stay in
 * the applications.
 */

#ifndef EVQ_TEST_APP_H
#define EVQ_TEST_APP_H

#include <stdint.h>
#include <stdio.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_thash.h>

/* In a function returning int: unless cond, print why and return -1. */
#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		printf("FAIL line %d: ", __LINE__); \
		printf(__VA_ARGS__); \
		printf("\n"); \
		return -1; \
	} \
} while (0)

#define EVQ_TEST_RSS_KEY_LEN	40

/* Microsoft's RSS verification key: the adapter's reset key. */
extern const uint8_t evq_test_rss_default_key[EVQ_TEST_RSS_KEY_LEN];

/* Flags of evq_test_port_start(). */
#define EVQ_TEST_PORT_RXQ_INTR	(1u << 0)	/* intr_conf.rxq */
#define EVQ_TEST_PORT_LSC	(1u << 1)	/* intr_conf.lsc */
#define EVQ_TEST_PORT_RSS	(1u << 2)	/* RSS on IPv4 and IPv4/UDP, RSS_HASH */
#define EVQ_TEST_PORT_CKSUM	(1u << 3)	/* IPv4 and UDP checksum offloads */
#define EVQ_TEST_PORT_PROMISC	(1u << 4)
#define EVQ_TEST_PORT_TIMESTAMP	(1u << 5)	/* Rx time stamps (dynamic mbuf field) */
#define EVQ_TEST_PORT_TX_FAST_FREE (1u << 6)	/* Tx MBUF_FAST_FREE and MULTI_SEGS */

/*
 * rte_eal_init() and an mbuf pool of nb_mbufs (cache cache_size) in *pool.
 * Returns the number of arguments EAL consumed, or -1 after printing
 * "FAIL: ..." (the application then exits 1).
 */
int
evq_test_app_init(int argc, char **argv, unsigned int nb_mbufs, unsigned int cache_size,
		struct rte_mempool **pool);

/* Print PASS (ret == 0) or FAIL as the last line, clean EAL up; the exit code. */
int
evq_test_app_finish(int ret);

/*
 * Configure port with nb_rxq Rx queues of nb_desc descriptors from pool and
 * one Tx queue, as 'flags' (EVQ_TEST_PORT_*) say, and start it. 0 or a
 * negative errno (printed).
 */
int
evq_test_port_start(uint16_t port, uint16_t nb_rxq, uint16_t nb_desc,
		struct rte_mempool *pool, unsigned int flags);

/* Stop and close ports 0 .. n - 1. */
void
evq_test_ports_close(uint16_t n);

/* Count the port's link-status-change events (see evq_test_lsc_events). */
int
evq_test_lsc_register(uint16_t port);

void
evq_test_lsc_unregister(uint16_t port);

/* The LSC events counted since the last evq_test_lsc_reset(). */
int
evq_test_lsc_events(void);

void
evq_test_lsc_reset(void);

/* Wait until at least 'want' LSC events were counted or ms passed; the count. */
int
evq_test_lsc_wait(int want, uint64_t ms);

/* The xstat 'name' of port, or UINT64_MAX if it has none. */
uint64_t
evq_test_xstat(uint16_t port, const char *name);

uint64_t
evq_test_ms_to_cycles(uint64_t ms);

/*
 * Sleep in rte_epoll_wait() on this thread's Rx interrupt fds (see
 * rte_eth_dev_rx_intr_ctl_q) for at most timeout_ms, resumed after a signal:
 * the number of events (0: timeout), or -1.
 */
int
evq_test_wait_rx_intr(int timeout_ms);

/*
 * A frame_len-byte UDP/IPv4 frame from 02:00:00:00:00:01 to dst (NULL: the
 * broadcast address) for the 4-tuple t (host order, as rte_softrss takes
 * it), with valid IPv4 and UDP checksums; NULL if the pool is empty.
 */
struct rte_mbuf *
evq_test_udp_frame(struct rte_mempool *pool, const struct rte_ether_addr *dst,
		const struct rte_ipv4_tuple *t, uint16_t frame_len);

#endif /* EVQ_TEST_APP_H */
