/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * The logging hook of evq's programs: lib/evq_hw's own messages, those
 * of lib/evq_ring (evq_log_ring_msg()) and evq-sim's all go through one
 * handler that the host program may replace: the PMD routes it to rte_log,
 * evq-sim to stderr. The default handler writes to stderr with an "evq: "
 * prefix. Levels use the rte_log numbering so that a DPDK handler can pass
 * them straight to rte_vlog().
 */

#ifndef EVQ_LOG_H
#define EVQ_LOG_H

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EVQ_LOG_ERR	4
#define EVQ_LOG_WARNING	5
#define EVQ_LOG_INFO	7
#define EVQ_LOG_DEBUG	8

/*
 * Replace the handler (NULL restores the stderr default). The format
 * string given to the handler already ends with a newline.
 */
void
evq_log_set_handler(void (*fn)(int level, const char *fmt, va_list ap));

/* Messages above this level are dropped before the handler (default INFO). */
void
evq_log_set_level(int level);

int
evq_log_get_level(void);

void
evq_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * lib/evq_ring's log hook (evq_ring_set_log()) routed into this one: its
 * messages come out through the handler above, at WARNING, prefixed
 * "evq_ring: ". A program sets evq_ring_set_log(evq_log_ring_msg) once and
 * then has one hook for all its log lines.
 */
void
evq_log_ring_msg(const char *msg);

/* EVQ_LOG(ERR, "bad thing %d", x): prefixes the function name, adds "\n". */
#define EVQ_LOG(level, fmt, ...) \
	evq_log(EVQ_LOG_ ## level, "%s(): " fmt "\n", __func__, ##__VA_ARGS__)

#ifdef __cplusplus
}
#endif

#endif /* EVQ_LOG_H */
