/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * Running one Criterion test once per validity rule of the ring (clear and
 * phase), for the unit and the stress tests: ModeTest(suite, name, ...)
 * declares it like Test(suite, name, ...); the body reads the rule of the
 * running instance from test_validity.
 */

#ifndef TEST_RING_MODES_H
#define TEST_RING_MODES_H

#include <stdbool.h>

#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <criterion/parameterized.h>

#include "evq_ring.h"

static enum evq_ring_validity test_modes[] __attribute__((unused)) = {
	EVQ_RING_VALIDITY_CLEAR, EVQ_RING_VALIDITY_PHASE,
};
static enum evq_ring_validity test_validity = EVQ_RING_VALIDITY_CLEAR;

static inline bool
test_phase(void)
{
	return test_validity == EVQ_RING_VALIDITY_PHASE;
}

/* Inline parameter bits a post may use under the running rule. */
static inline uint32_t
test_param_mask(void)
{
	return test_phase() ? EVQ_CTRL_PARAM_MASK_PHASE : EVQ_CTRL_PARAM_MASK;
}

/*
 * Criterion runs a parameterised test once per element of the array the
 * ParameterizedTestParameters function returns; a failing instance is
 * reported with its parameter (0 = clear, 1 = phase) and the log line
 * below names the rule.
 */
#define ModeTest(suite, name, ...) \
	ParameterizedTestParameters(suite, name) \
	{ \
		return cr_make_param_array(enum evq_ring_validity, test_modes, \
				sizeof(test_modes) / sizeof(test_modes[0])); \
	} \
	static void suite##_##name##_body(void); \
	ParameterizedTest(enum evq_ring_validity *mode, suite, name, ##__VA_ARGS__) \
	{ \
		test_validity = *mode; \
		cr_log_info("validity rule: %s", evq_ring_validity_name(*mode)); \
		suite##_##name##_body(); \
	} \
	static void suite##_##name##_body(void)

#endif /* TEST_RING_MODES_H */
