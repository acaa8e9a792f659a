/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * Command-line number parsing shared by the project's programs (evq-sim,
 * evq-rategen, evq-bench-ring, evq-bench-sim, evq-bench-mmio,
 * evq-bench-summary, evq-ring-wakeup): one rule for counts and rates everywhere. Header only, no
 * DPDK dependency.
 */

#ifndef EVQ_CLI_H
#define EVQ_CLI_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * A decimal count with an optional k, M or G suffix (10^3, 10^6, 10^9),
 * e.g. "1M" or "64", within [min, max]. Returns 0, -EINVAL for something
 * that is not such a number (sign, garbage, overflow), or -ERANGE outside
 * the bounds; *out is written on success only.
 */
static inline int
evq_cli_parse_count(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	uint64_t mult = 1;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *s == '-')
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K':
		mult = 1000;
		end++;
		break;
	case 'M': case 'm':
		mult = 1000000;
		end++;
		break;
	case 'G': case 'g':
		mult = 1000000000;
		end++;
		break;
	}
	if (*end != '\0' || (v != 0 && mult > UINT64_MAX / v))
		return -EINVAL;
	v *= mult;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/* Report a bad option value on stderr; returns 2, the usage exit status. */
static inline int
evq_cli_bad_arg(const char *opt, const char *value)
{
	fprintf(stderr, "bad %s '%s'\n", opt, value);
	return 2;
}

#endif /* EVQ_CLI_H */
