/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_compat.h: every difference between the DPDK releases net_evq builds
 * against (22.11, 23.11, 24.11 and 25.11 LTS), in one place, keyed on
 * RTE_VERSION. The driver's files write the version-neutral forms below
 * instead of testing the version themselves.
 *
 * Differences that need no macro, because one spelling suits every release:
 * - 23.11 checks rss_conf.rss_key_len against the driver's hash_key_size,
 *   and net_evq reports the length it accepts;
 * - 24.11 marks query functions (rte_eth_link_get_nowait,
 *   rte_eth_dev_info_get, ...) __rte_warn_unused_result: callers test the
 *   return value;
 * - gcc 14 (Debian 13) rejects incompatible pointer types, so ops are
 *   declared with exactly the ethdev prototypes.
 */

#ifndef EVQ_COMPAT_H
#define EVQ_COMPAT_H

#include <stdint.h>

#include <rte_version.h>

/*
 * dev_supported_ptypes_get. Up to 23.11 the op returns a list that ends
 * with RTE_PTYPE_UNKNOWN. From 24.03 it also returns the number of entries
 * through a size_t pointer, and ethdev reads exactly that many.
 * A driver writes its op as
 *	fn(struct rte_eth_dev *dev EVQ_PTYPES_COUNT_PARAM(n))
 * and sets the count with EVQ_PTYPES_SET_COUNT(n, entries) before it
 * returns the list (still terminated, for the older releases).
 */
#if RTE_VERSION >= RTE_VERSION_NUM(24, 3, 0, 0)
#define EVQ_PTYPES_COUNT_PARAM(n)	, size_t *n
#define EVQ_PTYPES_SET_COUNT(n, entries)	(*(n) = (entries))
#else
#define EVQ_PTYPES_COUNT_PARAM(n)
#define EVQ_PTYPES_SET_COUNT(n, entries)	((void)0)
#endif

/*
 * rx_queue_count (eth_rx_queue_count_t) returns uint32_t up to 25.07 and
 * int from 25.11 (so that it can return a negative errno).
 */
#if RTE_VERSION >= RTE_VERSION_NUM(25, 11, 0, 0)
typedef int evq_rx_queue_count_ret_t;
#else
typedef uint32_t evq_rx_queue_count_ret_t;
#endif

/*
 * stats_get. Up to 25.07 the per-queue counters (q_ipackets, q_opackets,
 * q_ibytes, q_obytes, q_errors) are arrays in struct rte_eth_stats. From
 * 25.11 they moved to struct eth_queue_stats, passed to the op as a third
 * argument that may be NULL (it is not NULL when the port sets
 * RTE_ETH_DEV_AUTOFILL_QUEUE_XSTATS, and the rx_qN_ and tx_qN_ xstats are
 * read from it). The field names are the same in both, so a driver writes
 *	fn(struct rte_eth_dev *dev, struct rte_eth_stats *stats
 *	   EVQ_QSTATS_PARAM(qstats))
 *	evq_qstats_t *qs = EVQ_QSTATS(stats, qstats);
 * and fills qs->q_ipackets[q] etc. when qs is not NULL.
 */
#if RTE_VERSION >= RTE_VERSION_NUM(25, 11, 0, 0)
typedef struct eth_queue_stats evq_qstats_t;
#define EVQ_QSTATS_PARAM(qstats)	, struct eth_queue_stats *qstats
#define EVQ_QSTATS(stats, qstats)	(qstats)
#else
typedef struct rte_eth_stats evq_qstats_t;
#define EVQ_QSTATS_PARAM(qstats)
#define EVQ_QSTATS(stats, qstats)	(stats)
#endif

#endif /* EVQ_COMPAT_H */
