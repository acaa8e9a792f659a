/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq-bench-ring: performance of lib/evq_ring against its DPDK peers, in
 * one run, on two lcores (consumer on the main lcore, producer on the
 * first worker):
 *  - throughput: evq_ring versus rte_ring SP/SC bulk, same element size,
 *    same ring size, same bursts; cycles per event and Mevents/s measured
 *    on the consumer side, median of several repetitions; evq with each of
 *    its validity rules (clear: the consumer clears codes; phase: it
 *    publishes its read indicator every --publish entries instead);
 *  - wake-up latency: post on an armed ring with a bound eventfd versus a
 *    raw eventfd write, consumer asleep in epoll_wait, p50 and p99, for
 *    both validity rules.
 * Results go to stdout as one JSON object per line; progress to stderr.
 * Nothing is asserted: the numbers are compared by people and scripts.
 * A run during which either side waited for its CPU (other tasks, the
 * hypervisor) is re-run. --proto adds rows for prototype fast paths
 * (same memory contract, changes suggested for the library) so that each
 * change is measured against the library in the same run.
 *
 * This file: the command line and main; the other parts are listed in
 * bench_ring.h.
 */

#include "bench_ring.h"

struct bench_opts opts = {
	.events = 1u << 22,
	.warmup = 1u << 20,
	.reps = 7,
	.ring_size = 1024,
	.sizes = { 16, 8, 4 },
	.nb_sizes = 3,
	.bursts = { 1, 8, 32 },
	.nb_bursts = 3,
	.wakeup_iters = 20000,
	.wakeup_delay_us = 50,
	.retries = 3,
	.throughput = true,
	.wakeup = true,
	.impls = (1u << IMPL_COUNT) - 1 - (1u << IMPL_PROTO),
	.nb_proto = 0,
	.empty_pause = false,
	.proto_eventfd = false,
	.publish = 256,
};

const char *const impl_names[IMPL_COUNT] = {
	[IMPL_EVQ] = "evq",
	[IMPL_EVQ_EFD] = "evq+eventfd",
	[IMPL_EVQ_PEEK] = "evq peek",
	[IMPL_PHASE] = "evq phase",
	[IMPL_PHASE_EFD] = "evq phase+eventfd",
	[IMPL_PHASE_PEEK] = "evq phase peek",
	[IMPL_RTE] = "rte_ring_spsc",
	[IMPL_RTE_ZC] = "rte_ring_spsc_zc",
	[IMPL_PROTO] = "evq proto",
};

const char *const proto_flag_names[9] = {
	"const_es", "locals", "one_pass", "inline_eval", "prefetchw",
	"line_clear", "switch_copy", "tail_check", "membarrier",
};

/* Consumer's clear count under PF_LINE_CLEAR (one consumer thread). */
uint32_t proto_cleared;

long
thread_wait_ns(void)
{
	unsigned long long cpu_ns = 0, wait_ns = 0;
	FILE *f = fopen("/proc/thread-self/schedstat", "r");

	if (f == NULL)
		return 0;
	if (fscanf(f, "%llu %llu", &cpu_ns, &wait_ns) != 2)
		wait_ns = 0;
	fclose(f);
	return (long)wait_ns;
}

uint64_t
steal_ticks(void)
{
	unsigned long long v[8] = { 0 };
	char line[256];
	FILE *f = fopen("/proc/stat", "r");

	if (f == NULL)
		return 0;
	if (fgets(line, sizeof(line), f) == NULL ||
			sscanf(line, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
				&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
				&v[7]) != 8)
		v[7] = 0;
	fclose(f);
	return v[7];
}

/* ------------------------------------------------------------------ */
/* Options and main                                                   */
/* ------------------------------------------------------------------ */

static void
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [EAL args] -- [options]\n"
		"  --events N          measured events per run (default %" PRIu64 ")\n"
		"  --warmup N          events before timing starts (default %" PRIu64 ")\n"
		"  --reps N            repetitions, median reported (default %u, max %u)\n"
		"  --ring-size N       entries per ring, both rings (default %u)\n"
		"  --sizes LIST        element sizes, e.g. 16,8,4 (default)\n"
		"  --bursts LIST       burst sizes, e.g. 1,8,32 (default)\n"
		"  --wakeup-iters N    wake-ups per variant (default %u)\n"
		"  --wakeup-delay-us N producer waits this long before posting (default %u)\n"
		"  --retries N         re-run a run preempted by another task (default %u)\n"
		"  --no-throughput     skip the throughput runs\n"
		"  --no-wakeup         skip the wake-up latency runs\n"
		"  --proto[=FLAGS]     add a prototype row (repeatable, up to %u); FLAGS:\n"
		"                      recommended (default: const_es,locals,inline_eval),\n"
		"                      all, none, or a list of code, const_es, locals,\n"
		"                      one_pass, inline_eval, prefetchw, line_clear,\n"
		"                      switch_copy, tail_check, membarrier (code =\n"
		"                      const_es,locals,one_pass,inline_eval; all = code,\n"
		"                      tail_check,membarrier); not every set is compiled\n"
		"  --empty-pause       every consumer pauses after an empty poll\n"
		"  --proto-eventfd     prototype runs with an eventfd bound\n"
		"  --impls LIST        run only these: evq,evq_eventfd,evq_peek,phase,\n"
		"                      phase_eventfd,phase_peek,rte,rte_zc\n"
		"  --publish N         phase rings: the consumer publishes its read\n"
		"                      indicator every N entries (default %u)\n",
		prog, opts.events, opts.warmup, opts.reps, BENCH_MAX_REPS,
		opts.ring_size, opts.wakeup_iters, opts.wakeup_delay_us,
		opts.retries, PROTO_MAX_VARIANTS, opts.publish);
}

/* A count as every program of the project reads one (evq_cli.h). */
static int
parse_u64(const char *s, uint64_t *v)
{
	return evq_cli_parse_count(s, 0, UINT64_MAX, v);
}

static int
parse_list(const char *s, unsigned int *list, unsigned int *nb,
		const unsigned int *allowed, unsigned int nb_allowed)
{
	char buf[128], *tok, *save = NULL;
	unsigned int n = 0, k;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		uint64_t v;
		bool ok = false;

		if (n == BENCH_MAX_LIST || parse_u64(tok, &v) < 0)
			return -EINVAL;
		for (k = 0; k < nb_allowed; k++)
			ok |= (v == allowed[k]);
		if (!ok)
			return -EINVAL;
		list[n++] = (unsigned int)v;
	}
	if (n == 0)
		return -EINVAL;
	*nb = n;
	return 0;
}

static int
parse_proto_flags(const char *s)
{
	char buf[128], *tok, *save = NULL;
	unsigned int mask = 0, i;

	if (opts.nb_proto == PROTO_MAX_VARIANTS)
		return -EINVAL;
	if (strcmp(s, "all") == 0) {
		opts.proto_flags[opts.nb_proto++] = PF_ALL;
		return 0;
	}
	if (strcmp(s, "recommended") == 0) {
		opts.proto_flags[opts.nb_proto++] = PF_RECOMMENDED;
		return 0;
	}
	if (strcmp(s, "none") == 0) {
		opts.proto_flags[opts.nb_proto++] = 0;
		return 0;
	}
	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "code") == 0) {
			mask |= PF_CODE;
			continue;
		}
		for (i = 0; i < RTE_DIM(proto_flag_names); i++)
			if (strcmp(tok, proto_flag_names[i]) == 0)
				break;
		if (i == RTE_DIM(proto_flag_names))
			return -EINVAL;
		mask |= 1u << i;
	}
	if (!proto_flags_supported(mask)) {
		fprintf(stderr, "prototype flag set %s is not compiled in\n", s);
		return -EINVAL;
	}
	opts.proto_flags[opts.nb_proto++] = mask;
	return 0;
}

static int
parse_impls(const char *s)
{
	static const char *const keys[IMPL_COUNT] = {
		[IMPL_EVQ] = "evq",
		[IMPL_EVQ_EFD] = "evq_eventfd",
		[IMPL_EVQ_PEEK] = "evq_peek",
		[IMPL_PHASE] = "phase",
		[IMPL_PHASE_EFD] = "phase_eventfd",
		[IMPL_PHASE_PEEK] = "phase_peek",
		[IMPL_RTE] = "rte",
		[IMPL_RTE_ZC] = "rte_zc",
	};
	char buf[128], *tok, *save = NULL;
	uint32_t mask = 0;
	int i;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < IMPL_COUNT; i++)
			if (keys[i] != NULL && strcmp(tok, keys[i]) == 0)
				break;
		if (i == IMPL_COUNT)
			return -EINVAL;
		mask |= 1u << i;
	}
	if (mask == 0)
		return -EINVAL;
	opts.impls = mask;
	return 0;
}

static int
parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "events", required_argument, NULL, 'e' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "reps", required_argument, NULL, 'r' },
		{ "ring-size", required_argument, NULL, 's' },
		{ "sizes", required_argument, NULL, 'S' },
		{ "bursts", required_argument, NULL, 'B' },
		{ "wakeup-iters", required_argument, NULL, 'i' },
		{ "wakeup-delay-us", required_argument, NULL, 'd' },
		{ "retries", required_argument, NULL, 'R' },
		{ "no-throughput", no_argument, NULL, 'T' },
		{ "no-wakeup", no_argument, NULL, 'W' },
		{ "proto", optional_argument, NULL, 'P' },
		{ "proto-eventfd", no_argument, NULL, 'E' },
		{ "empty-pause", no_argument, NULL, 'Z' },
		{ "impls", required_argument, NULL, 'I' },
		{ "publish", required_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const unsigned int sizes_ok[] = { 4, 8, 16, 32, 64 };
	static const unsigned int bursts_ok[] = { 1, 2, 4, 8, 16, 32, 64 };
	uint64_t v;
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'e':
			if (parse_u64(optarg, &v) < 0 || v < 1024 || v % 64)
				goto bad;
			opts.events = v;
			break;
		case 'w':
			if (parse_u64(optarg, &v) < 0 || v % 64)
				goto bad;
			opts.warmup = v;
			break;
		case 'r':
			if (parse_u64(optarg, &v) < 0 || v < 1 || v > BENCH_MAX_REPS)
				goto bad;
			opts.reps = (unsigned int)v;
			break;
		case 's':
			if (parse_u64(optarg, &v) < 0 || v < 64 ||
					v > EVQ_RING_SIZE_MAX || (v & (v - 1)))
				goto bad;
			opts.ring_size = (unsigned int)v;
			break;
		case 'S':
			if (parse_list(optarg, opts.sizes, &opts.nb_sizes,
					sizes_ok, RTE_DIM(sizes_ok)) < 0)
				goto bad;
			break;
		case 'B':
			if (parse_list(optarg, opts.bursts, &opts.nb_bursts,
					bursts_ok, RTE_DIM(bursts_ok)) < 0)
				goto bad;
			break;
		case 'i':
			if (parse_u64(optarg, &v) < 0 || v < 10 || v > 10000000)
				goto bad;
			opts.wakeup_iters = (unsigned int)v;
			break;
		case 'd':
			if (parse_u64(optarg, &v) < 0 || v > 1000000)
				goto bad;
			opts.wakeup_delay_us = (unsigned int)v;
			break;
		case 'R':
			if (parse_u64(optarg, &v) < 0 || v > 100)
				goto bad;
			opts.retries = (unsigned int)v;
			break;
		case 'T':
			opts.throughput = false;
			break;
		case 'W':
			opts.wakeup = false;
			break;
		case 'P':
			if (parse_proto_flags(optarg != NULL ? optarg :
					"recommended") < 0)
				goto bad;
			break;
		case 'Z':
			opts.empty_pause = true;
			break;
		case 'E':
			opts.proto_eventfd = true;
			break;
		case 'I':
			if (parse_impls(optarg) < 0)
				goto bad;
			break;
		case 'U':
			if (parse_u64(optarg, &v) < 0 || v < 1 || v > EVQ_RING_SIZE_MAX)
				goto bad;
			opts.publish = (unsigned int)v;
			break;
		case 'h':
			usage(argv[0]);
			exit(0);
		default:
			goto bad;
		}
	}
	if (optind != argc)
		goto bad;
	/*
	 * A phase producer sees room only up to the last publication: the
	 * consumer, having taken everything, may still hold publish - 1
	 * entries unpublished, and the largest burst must fit beside them.
	 */
	for (c = 0; c < (int)opts.nb_bursts; c++)
		if (opts.publish - 1 + opts.bursts[c] > opts.ring_size) {
			fprintf(stderr, "--publish %u with bursts of %u does not fit "
					"a %u-entry ring\n", opts.publish,
					opts.bursts[c], opts.ring_size);
			goto bad;
		}
	return 0;
bad:
	usage(argv[0]);
	return -EINVAL;
}

int
main(int argc, char **argv)
{
	unsigned int worker, s, b;
	int ret, rc = 0;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "rte_eal_init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (parse_args(argc - ret, argv + ret) < 0) {
		rte_eal_cleanup();
		return 2;
	}
	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker >= RTE_MAX_LCORE) {
		fprintf(stderr, "need two lcores (e.g. -l 0-1)\n");
		rte_eal_cleanup();
		return 2;
	}
	rtt_lines = rte_zmalloc("bench_rtt", sizeof(*rtt_lines),
			RTE_CACHE_LINE_SIZE);
	if (rtt_lines == NULL) {
		fprintf(stderr, "out of memory\n");
		rte_eal_cleanup();
		return 1;
	}
	session_rtt = rtt_measure(worker);
	fprintf(stderr, "evq-bench-ring: consumer lcore %u, producer lcore %u, "
			"TSC %.3f GHz, ring %u entries, %" PRIu64 " events/run "
			"(+%" PRIu64 " warm-up), median of %u; cache-line round "
			"trip %.0f cycles\n",
			rte_lcore_id(), worker, rte_get_tsc_hz() / 1e9,
			opts.ring_size, opts.events, opts.warmup, opts.reps,
			session_rtt);

	if (opts.throughput) {
		for (s = 0; s < opts.nb_sizes && rc == 0; s++)
			for (b = 0; b < opts.nb_bursts && rc == 0; b++)
				rc = tp_config(opts.sizes[s], opts.bursts[b], worker);
	}
	if (total_runs != 0)
		fprintf(stderr, "throughput: %u runs, %u attempts discarded because "
				"a side was preempted or the line round trip changed\n",
				total_runs, disturbed_runs);
	if (opts.wakeup && rc == 0) {
		fprintf(stderr, "wake-up latency: %u iterations each, producer "
				"posts %u us after the consumer sleeps\n",
				opts.wakeup_iters, opts.wakeup_delay_us);
		rc = wakeup_bench(worker);
	}

	rte_free(rtt_lines);
	rte_eal_cleanup();
	return rc == 0 ? 0 : 1;
}
