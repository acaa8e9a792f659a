/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_logs.h: the PMD's dynamic log types. pmd.net.evq is the driver's
 * main type (probe, control path, transport); pmd.net.evq.datapath is for
 * messages from rx/tx bursts, compiled in only with RTE_ETHDEV_DEBUG_RX/TX
 * so the fast path carries no logging code by default.
 */

#ifndef EVQ_LOGS_H
#define EVQ_LOGS_H

#include <rte_log.h>

extern int evq_logtype;
extern int evq_logtype_datapath;

#define EVQ_PMD_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, evq_logtype, "%s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

/* Per-port messages carry the port name so that two ports can be told apart. */
#define EVQ_DEV_LOG(level, ad, fmt, ...) \
	rte_log(RTE_LOG_ ## level, evq_logtype, "%s: " fmt "\n", \
		(ad)->name, ##__VA_ARGS__)

#if defined(RTE_ETHDEV_DEBUG_RX) || defined(RTE_ETHDEV_DEBUG_TX)
#define EVQ_DP_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, evq_logtype_datapath, "%s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)
#else
#define EVQ_DP_LOG(level, fmt, ...) do { } while (0)
#endif

#endif /* EVQ_LOGS_H */
