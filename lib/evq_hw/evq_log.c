/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/* The logging hook of evq's programs (see evq_log.h). */

#include <stdio.h>

#include "evq_log.h"

static void (*log_handler)(int level, const char *fmt, va_list ap);
static int log_level = EVQ_LOG_INFO;

void
evq_log_set_handler(void (*fn)(int level, const char *fmt, va_list ap))
{
	__atomic_store_n(&log_handler, fn, __ATOMIC_RELEASE);
}

void
evq_log_set_level(int level)
{
	__atomic_store_n(&log_level, level, __ATOMIC_RELAXED);
}

int
evq_log_get_level(void)
{
	return __atomic_load_n(&log_level, __ATOMIC_RELAXED);
}

void
evq_log(int level, const char *fmt, ...)
{
	void (*fn)(int, const char *, va_list);
	va_list ap;

	if (level > evq_log_get_level())
		return;
	fn = __atomic_load_n(&log_handler, __ATOMIC_ACQUIRE);
	va_start(ap, fmt);
	if (fn != NULL) {
		fn(level, fmt, ap);
	} else {
		/* One fprintf per line would interleave between threads. */
		char line[512];

		vsnprintf(line, sizeof(line), fmt, ap);
		fprintf(stderr, "evq: %s", line);
	}
	va_end(ap);
}

void
evq_log_ring_msg(const char *msg)
{
	evq_log(EVQ_LOG_WARNING, "evq_ring: %s\n", msg);
}
