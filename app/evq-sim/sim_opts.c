/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * sim_opts: evq-sim's device-wide settings with their defaults (the
 * command line in main.c changes them); kept apart from main() so that
 * programs embedding the device model (the fuzz targets) get the same
 * defaults.
 */

#include <netinet/in.h>

#include "sim.h"

struct sim_options sim_opts = {
	.queues = EVQ_MAX_QUEUES,
	.eqs = EVQ_MAX_EQS,
	.vectors = EVQ_MSIX_VECTORS,
	.link_speed = 100000,
	.engine_cpu = -1,
	.wire = {
		.kind = SIM_WIRE_LOOP,
		.gen_size = 64,
		.gen_flows = 1024,
		.gen_ipv = 4,
		.gen_l4 = IPPROTO_UDP,
		.gen_dst_ip = (10u << 24) | (255u << 16) | 1u,
		.gen_duration_ns = 10000000000ull,
		.gen_drain_ns = 500000000ull,
		.gen_burst = 32,
		.tap_name = "evq%u",
	},
};
