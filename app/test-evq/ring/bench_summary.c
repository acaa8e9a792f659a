/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq-bench-summary: what it costs a handler that serves one interrupt for
 * several EQs (net_evq's INTx and shared-vector handler) to find the EQs
 * with work, through the summary line against looking at each EQ's next
 * entry, for 1 to 16 EQs.
 *
 * Two threads on two CPUs, as in the driver: the "adapter and lcores"
 * thread posts an event to one EQ chosen at random (entry, then its
 * summary byte, as the adapter does) and consumes the events found in the
 * previous round (as the queues' lcores do, so every EQ's memory was last
 * written by the other CPU); the "handler" thread, once told a round is
 * ready, finds the EQs with work: "summary" takes the wanted bytes of the
 * one summary line (evq_summary_take_mask()); "per_eq" reads the control
 * word of each EQ's next entry. Only the finding is timed (the handshake
 * is not), with CLOCK_MONOTONIC (its ~20 ns read is in both methods); a
 * run reports its median find, the median run is printed. A wrong answer
 * is counted and makes the run exit non-zero.
 * Results: one JSON object per line on stdout; nothing is asserted about
 * the numbers.
 *
 * usage: evq-bench-summary [--rounds N] [--reps N] [--queues LIST]
 *                          [--cpus A,B]
 */

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "evq_cli.h"
#include "evq_ring.h"

#define BS_MAX_EQS	16
#define BS_RING_SIZE	256
#define BS_ENTRY	16
#define BS_MAX_REPS	15
#define BS_CODE		0x01

enum bs_method { BS_SUMMARY, BS_PER_EQ };

static const char *const bs_method_names[] = {
	[BS_SUMMARY] = "summary",
	[BS_PER_EQ] = "per_eq",
};

struct bs_eq {
	struct evq_ring_prod p;		/* the adapter side */
	struct evq_ring_cons c;		/* the queue's lcore side */
	uint64_t doorbell;
	uint8_t *mem;
};

struct bs_run {
	enum bs_method method;
	unsigned int neq;
	uint64_t rounds;
	struct bs_eq eq[BS_MAX_EQS];
	struct evq_summary_line summary;
	/* handshake, each on its own line */
	uint64_t ready __attribute__((aligned(64)));	/* rounds posted */
	uint64_t found __attribute__((aligned(64)));	/* rounds answered */
	uint64_t answer __attribute__((aligned(64)));	/* EQ mask found */
	/* the next entry of each EQ, as the lcores leave it (per_eq reads) */
	const uint32_t *next[BS_MAX_EQS] __attribute__((aligned(64)));
	uint64_t *ns;			/* per find */
	uint64_t errors;
	int cpu_adapter, cpu_handler;
};

static uint64_t
bs_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void
bs_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set) != 0)
		fprintf(stderr, "bench summary: cannot pin to CPU %d (running unpinned)\n", cpu);
}

static uint64_t
bs_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The adapter and the lcores: consume last round's event, post the next. */
static void *
bs_adapter(void *arg)
{
	struct bs_run *r = arg;
	uint64_t seed = 0x9e3779b97f4a7c15ull, round;
	uint8_t ev[BS_ENTRY];

	bs_pin(r->cpu_adapter);
	for (round = 1; round <= r->rounds + 1; round++) {
		unsigned int k = (unsigned int)(bs_rand(&seed) % r->neq), i;

		/* the lcores drain what the handler found in the last round */
		if (round > 1) {
			while (__atomic_load_n(&r->found, __ATOMIC_ACQUIRE) != round - 1)
				;
			for (i = 0; i < r->neq; i++)
				while (evq_ring_poll_burst(&r->eq[i].c, ev, 1) != 0)
					r->next[i] = (const uint32_t *)(r->eq[i].mem +
						(r->eq[i].c.read & (BS_RING_SIZE - 1)) * BS_ENTRY);
		}
		if (round > r->rounds)
			break;
		if (evq_ring_post(&r->eq[k].p, BS_CODE, k, NULL) != 1) {
			__atomic_fetch_add(&r->errors, 1, __ATOMIC_RELAXED);
			break;
		}
		__atomic_store_n(&r->answer, 1ull << k, __ATOMIC_RELAXED);
		__atomic_store_n(&r->ready, round, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* The handler: find the EQs with work, timed. */
static void
bs_handler(struct bs_run *r)
{
	const uint64_t want = (r->neq == 64 ? ~0ull : (1ull << r->neq) - 1);
	uint64_t round;

	for (round = 1; round <= r->rounds; round++) {
		uint64_t t0, t1, set = 0;
		unsigned int i;

		while (__atomic_load_n(&r->ready, __ATOMIC_ACQUIRE) != round)
			;
		t0 = bs_now_ns();
		if (r->method == BS_SUMMARY) {
			set = evq_summary_take_mask(&r->summary, want);
		} else {
			for (i = 0; i < r->neq; i++)
				if (__atomic_load_n(r->next[i], __ATOMIC_ACQUIRE) != 0)
					set |= 1ull << i;
		}
		t1 = bs_now_ns();
		r->ns[round - 1] = t1 - t0;
		if (set != __atomic_load_n(&r->answer, __ATOMIC_RELAXED))
			r->errors++;
		__atomic_store_n(&r->found, round, __ATOMIC_RELEASE);
	}
}

static int
bs_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
bs_setup(struct bs_run *r)
{
	unsigned int i;

	for (i = 0; i < r->neq; i++) {
		struct bs_eq *e = &r->eq[i];
		struct evq_ring_cons_conf cc = {
			.size = BS_RING_SIZE, .entry_size = BS_ENTRY, .ring_number = (uint16_t)i,
			.doorbell = &e->doorbell,
		};
		struct evq_ring_prod_conf pc = {
			.size = BS_RING_SIZE, .entry_size = BS_ENTRY, .ring_number = (uint16_t)i,
			.doorbell = &e->doorbell, .summary = &r->summary.byte[i],
			.intr_mode = EVQ_RING_INTR_ARMED,
		};

		e->mem = aligned_alloc(64, BS_RING_SIZE * BS_ENTRY);
		if (e->mem == NULL)
			return -ENOMEM;
		cc.base = pc.base = e->mem;
		if (evq_ring_cons_init(&e->c, &cc) != 0)
			return -EINVAL;
		evq_ring_prod_init(&e->p);
		if (evq_ring_prod_define(&e->p, &pc) != 0)
			return -EINVAL;
		r->next[i] = (const uint32_t *)e->mem;
	}
	return 0;
}

static void
bs_teardown(struct bs_run *r)
{
	unsigned int i;

	for (i = 0; i < r->neq; i++)
		free(r->eq[i].mem);
}

/* One run: ns per find, or a negative errno. */
static int
bs_run_one(enum bs_method m, unsigned int neq, uint64_t rounds, int cpus[2], double *ns,
		uint64_t *errors)
{
	struct bs_run *r = aligned_alloc(64, sizeof(*r));
	pthread_t th;
	int ret;

	if (r == NULL)
		return -ENOMEM;
	memset(r, 0, sizeof(*r));
	r->method = m;
	r->neq = neq;
	r->rounds = rounds;
	r->cpu_adapter = cpus[1];
	r->cpu_handler = cpus[0];
	r->ns = calloc(rounds, sizeof(*r->ns));
	ret = r->ns == NULL ? -ENOMEM : bs_setup(r);
	if (ret == 0) {
		bs_pin(r->cpu_handler);
		ret = -pthread_create(&th, NULL, bs_adapter, r);
	}
	if (ret == 0) {
		bs_handler(r);
		pthread_join(th, NULL);
		/* the median find: a find the scheduler interrupted says nothing */
		qsort(r->ns, rounds, sizeof(*r->ns), bs_cmp_u64);
		*ns = (double)r->ns[rounds / 2];
		*errors = r->errors;
	}
	bs_teardown(r);
	free(r->ns);
	free(r);
	return ret;
}

static int
bs_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
bs_usage(FILE *f)
{
	fprintf(f, "usage: evq-bench-summary [--rounds N] [--reps N] [--queues LIST] "
		"[--cpus A,B]\n"
		"  --rounds N     finds per run (default 200000)\n"
		"  --reps N       runs per point, the median is reported (default 5, max %d)\n"
		"  --queues LIST  EQ counts, comma separated (default 1,2,4,8,16; max %d)\n"
		"  --cpus A,B     handler CPU, adapter/lcores CPU (default 0,1)\n",
		BS_MAX_REPS, BS_MAX_EQS);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rounds", required_argument, NULL, 'r' },
		{ "reps", required_argument, NULL, 'n' },
		{ "queues", required_argument, NULL, 'q' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int queues[BS_MAX_EQS] = { 1, 2, 4, 8, 16 }, nq = 5, reps = 5, qi, rep;
	uint64_t rounds = 200000, bad = 0, v;
	int cpus[2] = { 0, 1 }, opt;
	char *tok, *save;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			if (evq_cli_parse_count(optarg, 1, UINT64_MAX, &rounds) != 0)
				return evq_cli_bad_arg("--rounds", optarg);
			break;
		case 'n':
			if (evq_cli_parse_count(optarg, 1, BS_MAX_REPS, &v) != 0)
				return evq_cli_bad_arg("--reps", optarg);
			reps = (unsigned int)v;
			break;
		case 'q':
			nq = 0;
			for (tok = strtok_r(optarg, ",", &save); tok != NULL;
					tok = strtok_r(NULL, ",", &save)) {
				if (nq == BS_MAX_EQS ||
						evq_cli_parse_count(tok, 1, BS_MAX_EQS, &v) != 0)
					return evq_cli_bad_arg("--queues", tok);
				queues[nq++] = (unsigned int)v;
			}
			break;
		case 'c':
			if (sscanf(optarg, "%d,%d", &cpus[0], &cpus[1]) != 2) {
				bs_usage(stderr);
				return 2;
			}
			break;
		case 'h':
			bs_usage(stdout);
			return 0;
		default:
			bs_usage(stderr);
			return 2;
		}
	}
	if (rounds == 0 || reps == 0 || reps > BS_MAX_REPS || nq == 0) {
		bs_usage(stderr);
		return 2;
	}
	for (qi = 0; qi < nq; qi++) {
		double res[2][BS_MAX_REPS];
		unsigned int m;

		if (queues[qi] == 0 || queues[qi] > BS_MAX_EQS) {
			bs_usage(stderr);
			return 2;
		}
		/* methods interleaved, so that both see the same machine */
		for (rep = 0; rep < reps; rep++) {
			for (m = 0; m < 2; m++) {
				uint64_t errors = 0;
				int ret = bs_run_one((enum bs_method)m, queues[qi], rounds, cpus,
						&res[m][rep], &errors);

				if (ret != 0) {
					fprintf(stderr, "bench summary: run failed: %s\n",
							strerror(-ret));
					return 1;
				}
				bad += errors;
			}
		}
		for (m = 0; m < 2; m++)
			qsort(res[m], reps, sizeof(double), bs_cmp);
		for (m = 0; m < 2; m++)
			printf("{\"bench\": \"summary\", \"metric\": \"find_ns\", \"unit\": \"ns\", "
				"\"method\": \"%s\", \"queues\": %u, \"value\": %.1f, "
				"\"min\": %.1f, \"max\": %.1f, \"reps\": %u, \"rounds\": %llu, "
				"\"vs_per_eq\": %.3f}\n",
				bs_method_names[m], queues[qi], res[m][reps / 2], res[m][0],
				res[m][reps - 1], reps, (unsigned long long)rounds,
				res[m][reps / 2] / res[BS_PER_EQ][reps / 2]);
		fflush(stdout);
	}
	if (bad != 0) {
		fprintf(stderr, "bench summary: %llu finds gave a wrong answer\n",
				(unsigned long long)bad);
		return 1;
	}
	return 0;
}
