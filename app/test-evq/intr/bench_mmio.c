/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq-bench-mmio: what handling one interrupt costs in device-register
 * accesses and time, the event-queue scheme against the conventional
 * cause/mask/ack registers, on the same adapter (evq-sim, wire gen, Rx
 * queue 0 -> EQ 1) and the same minimal driver (app/test-evq/sim's
 * sim_client over the one vfio-user module; nothing re-implemented).
 *
 *   evq           wait on vector 1's eventfd; consume EQ 1 in host memory
 *                 (the cause is the event entries), refill the Rx tail;
 *                 re-arm with ONE 64-bit doorbell store into the mmapped
 *                 BAR2 page. No register read, no trapped access.
 *   conventional  EVQ_DEV_CTRL_CONV_IRQ: the adapter signals vector 0 when
 *                 CAUSE & ~MASK becomes non-zero. ISR: read CAUSE, write
 *                 MASK (disable), write ACK, consume EQ 1 (used as a plain
 *                 completion ring: never armed), refill, write MASK
 *                 (enable). BAR0 is trapped: each access is a vfio-user
 *                 REGION_READ/WRITE round trip, as an MMIO read is a PCIe
 *                 round trip.
 *
 * Per handled interrupt: register reads and writes counted by this program
 * and by the adapter (its trapped-access counters, read from its SIGHUP
 * report before and after the measured window, so set-up accesses are
 * excluded), time from the wake-up to re-armed, time inside register
 * accesses. JSON lines on stdout:
 *   {"bench": "mmio", "metric": M, "unit": U, "evq": X,
 *    "peer_name": "conventional cause/mask/ack", "peer": Y, "ratio": X/Y}
 * Progress on stderr. Needs $EVQ_SIM.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "evq_cli.h"
#include "sim_client.h"

#define RX_RING		1024
#define EQ_SIZE		4096
#define WAIT_MS		2000	/* an interrupt must come within this */
#define WARMUP_INTRS	200

enum scheme { SCHEME_EVQ, SCHEME_CONV };

struct mport {
	struct sc_dev dev;
	struct sc_eq eq0, eq_rx;
	struct sc_rxq rxq;
};

struct sim_counts {
	uint64_t trapped_reads, trapped_writes;
};

struct result {
	uint64_t intrs;
	uint64_t packets;
	uint64_t empty;			/* interrupts that found no event */
	uint64_t prog_reads, prog_writes;	/* trapped, issued by this program */
	uint64_t prog_doorbells;	/* EQ doorbell stores (BAR2 memory) */
	uint64_t sim_reads, sim_writes;	/* the adapter's count, same window */
	uint64_t sim_signals;		/* MSI-X messages over the window */
	uint64_t sim_eq_doorbells;	/* EQ doorbell words the adapter applied */
	uint64_t handle_ns, reg_ns;
	uint64_t *samples;		/* per-interrupt handling time */
};

/* The evq-sim of the running scheme, for the termination handler. */
static struct sc_sim *volatile current_sim;

/* SIGTERM/SIGINT/SIGHUP: stop evq-sim, remove its files, exit. unlink,
 * rmdir, kill and waitpid are async-signal-safe. */
static void
on_terminate(int sig)
{
	struct sc_sim *sim = current_sim;

	if (sim != NULL && sim->pid > 0) {
		kill(sim->pid, SIGKILL);
		waitpid(sim->pid, NULL, 0);
		sc_sim_cleanup(sim);
	}
	_exit(128 + sig);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static unsigned int
count_occurrences(const char *s, const char *what)
{
	unsigned int n = 0;

	while ((s = strstr(s, what)) != NULL) {
		n++;
		s += strlen(what);
	}
	return n;
}

/*
 * The adapter's trapped-access counters: SIGHUP makes evq-sim print its
 * report on its stdout (a file); wait for the new report, parse its last
 * "trapped: R reads W writes".
 */
static int
sim_counts_get(struct sc_sim *sim, struct sim_counts *c)
{
	static char buf[1 << 20];
	unsigned int before;
	uint64_t deadline = sc_ms() + 5000;
	const char *p;
	int n;

	n = sc_sim_read_out(sim, buf, sizeof(buf));
	before = n > 0 ? count_occurrences(buf, "trapped:") : 0;
	kill(sim->pid, SIGHUP);
	for (;;) {
		n = sc_sim_read_out(sim, buf, sizeof(buf));
		/* the last report's trapped line, once its newline is there */
		if (n > 0 && count_occurrences(buf, "trapped:") > before) {
			p = buf;
			while (strstr(p + 1, "trapped:") != NULL)
				p = strstr(p + 1, "trapped:");
			if (strchr(p, '\n') != NULL &&
					sscanf(p, "trapped: %" SCNu64 " reads %" SCNu64 " writes",
					&c->trapped_reads, &c->trapped_writes) == 2)
				return 0;
		}
		if (sc_ms() > deadline || !sc_sim_alive(sim))
			return -ETIMEDOUT;
		usleep(1000);
	}
}

static int
port_up(struct mport *p, const char *sock, enum scheme scheme)
{
	uint32_t ctrl = EVQ_DEV_CTRL_ENABLE, status;
	int ret;

	ret = sc_dev_open(&p->dev, sock, 16u << 20);
	if (ret != 0)
		return ret;
	if (!(sc_r32(&p->dev, EVQ_REG_CAPS) & EVQ_CAP_CONV_IRQ))
		return -ENOTSUP;
	if (sc_irq_msix(&p->dev, 2) != 0 ||
			sc_eq_setup(&p->dev, &p->eq0, 0, 256, 0) != 0 ||
			sc_eq_setup(&p->dev, &p->eq_rx, 1, EQ_SIZE, 0) != 0 ||
			sc_wr32(&p->dev, EVQ_REG_MVM(EVQ_EVCLASS_RX, 0), evq_mvm_entry(1, 1, 0)) != 0 ||
			sc_rxq_setup(&p->dev, &p->rxq, 0, RX_RING, 2048, RX_RING) != 0)
		return -EIO;
	if (scheme == SCHEME_CONV) {
		/* only queue 0's cause may interrupt */
		if (sc_wr32(&p->dev, EVQ_REG_CONV_MASK,
				EVQ_CONV_CAUSE_VALID_MASK & ~EVQ_CONV_CAUSE_QUEUE(0)) != 0)
			return -EIO;
		ctrl |= EVQ_DEV_CTRL_CONV_IRQ;
	}
	if (sc_wr32(&p->dev, EVQ_REG_DEV_CTRL, ctrl) != 0)
		return -EIO;
	status = sc_r32(&p->dev, EVQ_REG_DEV_STATUS);
	if (!(status & EVQ_DEV_STATUS_ENABLED) ||
			(scheme == SCHEME_CONV) != !!(status & EVQ_DEV_STATUS_CONV_IRQ))
		return -EIO;
	if (scheme == SCHEME_EVQ)
		evq_ring_arm(&p->eq_rx.cons);
	return 0;
}

/* The interrupt's work, the same in both schemes: consume the Rx events
 * and give the descriptors back. */
static inline unsigned int
process_rx(struct mport *p)
{
	unsigned int n = 0, total = 0;

	do {
		n = 0;
		while (n < 256 && evq_ring_peek(&p->eq_rx.cons, n) != NULL)
			n++;
		if (n != 0) {
			evq_ring_consume(&p->eq_rx.cons, n);
			sc_rxq_refill(&p->rxq, n);
		}
		total += n;
	} while (n == 256);
	return total;
}

/* Handle one interrupt; returns 0, or -ETIMEDOUT / -EIO. */
static int
handle_one(struct mport *p, enum scheme scheme, struct result *r, bool measure)
{
	uint64_t t0, t1, ta, tb, tc, reg_ns;
	uint32_t cause = 0;
	unsigned int n;
	int ret;

	ret = sc_irq_wait(p->dev.msix[scheme == SCHEME_EVQ ? 1 : 0], WAIT_MS);
	if (ret <= 0)
		return ret < 0 ? ret : -ETIMEDOUT;
	t0 = now_ns();
	if (scheme == SCHEME_EVQ) {
		n = process_rx(p);
		ta = now_ns();
		evq_ring_arm(&p->eq_rx.cons);		/* the one doorbell store */
		t1 = now_ns();
		reg_ns = t1 - ta;
		if (measure)
			r->prog_doorbells++;
	} else {
		ret = sc_rd32(&p->dev, EVQ_REG_CONV_CAUSE, &cause);
		ret |= sc_wr32(&p->dev, EVQ_REG_CONV_MASK, EVQ_CONV_CAUSE_VALID_MASK);
		ret |= sc_wr32(&p->dev, EVQ_REG_CONV_ACK, cause);
		tb = now_ns();
		n = process_rx(p);
		tc = now_ns();
		ret |= sc_wr32(&p->dev, EVQ_REG_CONV_MASK,
				EVQ_CONV_CAUSE_VALID_MASK & ~EVQ_CONV_CAUSE_QUEUE(0));
		t1 = now_ns();
		if (ret != 0)
			return -EIO;
		reg_ns = (tb - t0) + (t1 - tc);
		if (measure) {
			r->prog_reads += 1;
			r->prog_writes += 3;
		}
	}
	if (!measure)
		return 0;
	if (r->samples != NULL)
		r->samples[r->intrs] = t1 - t0;
	r->intrs++;
	r->packets += n;
	r->empty += n == 0;
	r->handle_ns += t1 - t0;
	r->reg_ns += reg_ns;
	return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
run(enum scheme scheme, uint64_t nintr, const char *rate, int sim_cpu, int my_cpu,
		struct result *r)
{
	static const char *name[] = { "evq", "conventional" };
	const char *args[16];
	char cpu[16];
	unsigned int na = 0;
	struct sc_sim sim;
	struct mport *p = calloc(1, sizeof(*p));
	struct sim_counts c0, c1;
	uint64_t sig0, sig1, db0, db1, i, t_start, t_end;
	int ret;

	if (p == NULL)
		return -ENOMEM;
	args[na++] = "--quiet";
	args[na++] = "--wire";
	args[na++] = "gen";
	args[na++] = "--rate";
	args[na++] = rate;
	args[na++] = "--gen-flows";
	args[na++] = "1";
	args[na++] = "--queues";
	args[na++] = "1";
	if (sim_cpu >= 0) {
		snprintf(cpu, sizeof(cpu), "%d", sim_cpu);
		args[na++] = "--cpu";
		args[na++] = cpu;
	}
	args[na] = NULL;
	ret = sc_sim_start(&sim, 1, args);
	current_sim = &sim;
	if (ret != 0) {
		fprintf(stderr, "bench-mmio: cannot start evq-sim (EVQ_SIM=%s): %s\n",
			getenv("EVQ_SIM") ? getenv("EVQ_SIM") : "unset", strerror(-ret));
		current_sim = NULL;
		if (sim.pid > 0)
			sc_sim_stop(&sim);
		free(p);
		return ret;
	}
	if (my_cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(my_cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	ret = port_up(p, sim.sock[0], scheme);
	if (ret != 0) {
		fprintf(stderr, "bench-mmio: %s: device set-up failed: %s (see %s)\n",
			name[scheme], strerror(-ret), sim.log);
		sim.keep_files = true;
		goto out;
	}
	fprintf(stderr, "bench-mmio: %s: warming up (%d interrupts)\n", name[scheme],
		WARMUP_INTRS);
	for (i = 0; i < WARMUP_INTRS; i++) {
		ret = handle_one(p, scheme, r, false);
		if (ret != 0)
			goto fail_intr;
	}
	/* registers are read outside the window, the adapter's access
	 * counters are snapshotted at its edges */
	sig0 = sc_r64(&p->dev, EVQ_REG_STAT(scheme == SCHEME_EVQ ? EVQ_STAT_MSIX_SIGNALS :
			EVQ_STAT_CONV_SIGNALS));
	db0 = sc_r64(&p->dev, EVQ_REG_STAT(EVQ_STAT_DOORBELLS));
	ret = sim_counts_get(&sim, &c0);
	if (ret != 0)
		goto fail_counts;
	fprintf(stderr, "bench-mmio: %s: handling %" PRIu64 " interrupts\n", name[scheme], nintr);
	t_start = now_ns();
	for (i = 0; i < nintr; i++) {
		ret = handle_one(p, scheme, r, true);
		if (ret != 0)
			goto fail_intr;
	}
	t_end = now_ns();
	ret = sim_counts_get(&sim, &c1);
	if (ret != 0)
		goto fail_counts;
	sig1 = sc_r64(&p->dev, EVQ_REG_STAT(scheme == SCHEME_EVQ ? EVQ_STAT_MSIX_SIGNALS :
			EVQ_STAT_CONV_SIGNALS));
	db1 = sc_r64(&p->dev, EVQ_REG_STAT(EVQ_STAT_DOORBELLS));
	/* the snapshot itself is not an access of the window: the SIGHUP
	 * report is taken without touching the device */
	r->sim_reads = c1.trapped_reads - c0.trapped_reads;
	r->sim_writes = c1.trapped_writes - c0.trapped_writes;
	r->sim_signals = sig1 - sig0;
	r->sim_eq_doorbells = db1 - db0;
	fprintf(stderr, "bench-mmio: %s: %" PRIu64 " interrupts in %.2f s, %.2f packets per "
		"interrupt (%" PRIu64 " found nothing); adapter: %" PRIu64 " signals, %" PRIu64
		" trapped reads, %" PRIu64 " trapped writes, %" PRIu64 " EQ doorbells applied\n",
		name[scheme], r->intrs, (double)(t_end - t_start) / 1e9,
		(double)r->packets / (double)r->intrs, r->empty, r->sim_signals, r->sim_reads,
		r->sim_writes, r->sim_eq_doorbells);
	ret = 0;
	goto out;
fail_intr:
	fprintf(stderr, "bench-mmio: %s: %s while waiting for / handling an interrupt "
		"(see %s)\n", name[scheme], strerror(-ret), sim.log);
	sim.keep_files = true;
	goto out;
fail_counts:
	fprintf(stderr, "bench-mmio: %s: no statistics report from evq-sim\n", name[scheme]);
out:
	sc_dev_close(&p->dev);
	free(p);
	current_sim = NULL;
	if (sc_sim_stop(&sim) != 0 && ret == 0) {
		fprintf(stderr, "bench-mmio: evq-sim did not exit cleanly (see %s)\n", sim.log);
		ret = -EIO;
	}
	return ret;
}

static void
json(const char *metric, const char *unit, double evq, double peer, int prec)
{
	printf("{\"bench\": \"mmio\", \"metric\": \"%s\", \"unit\": \"%s\", \"evq\": %.*f, "
		"\"peer_name\": \"conventional cause/mask/ack\", \"peer\": %.*f, \"ratio\": ",
		metric, unit, prec, evq, prec, peer);
	if (peer != 0)
		printf("%.3f}\n", evq / peer);
	else
		printf("null}\n");
	fflush(stdout);
}

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: evq-bench-mmio [--intrs N] [--rate PPS] [--sim-cpu N] [--cpu N]\n"
		"Register accesses and time per handled interrupt: event queues (one\n"
		"doorbell store to re-arm) against the conventional cause/mask/ack\n"
		"registers, on evq-sim's wire gen. Default: --intrs 20000 --rate 10k\n"
		"--sim-cpu 0 --cpu 1. Needs EVQ_SIM=path/to/evq-sim.\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "intrs", required_argument, NULL, 'n' },
		{ "rate", required_argument, NULL, 'r' },
		{ "sim-cpu", required_argument, NULL, 'S' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct result res[2];
	const char *rate = "10k";
	uint64_t nintr = 20000;
	double p50[2], p99[2];
	int sim_cpu = 0, my_cpu = 1, c, s;
	uint64_t v;

	while ((c = getopt_long(argc, argv, "n:r:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (evq_cli_parse_count(optarg, 1, UINT64_MAX, &nintr) != 0)
				return evq_cli_bad_arg("-n", optarg);
			break;
		case 'r': rate = optarg; break;
		case 'S':
			if (evq_cli_parse_count(optarg, 0, CPU_SETSIZE - 1, &v) != 0)
				return evq_cli_bad_arg("--sim-cpu", optarg);
			sim_cpu = (int)v;
			break;
		case 'c':
			if (evq_cli_parse_count(optarg, 0, CPU_SETSIZE - 1, &v) != 0)
				return evq_cli_bad_arg("--cpu", optarg);
			my_cpu = (int)v;
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (nintr == 0 || nintr > 10000000) {
		usage(stderr);
		return 2;
	}
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		sim_cpu = my_cpu = -1;
	signal(SIGTERM, on_terminate);
	signal(SIGINT, on_terminate);
	signal(SIGPIPE, SIG_IGN);
	memset(res, 0, sizeof(res));
	for (s = SCHEME_EVQ; s <= SCHEME_CONV; s++) {
		res[s].samples = calloc(nintr, sizeof(uint64_t));
		if (res[s].samples == NULL)
			return 1;
		if (run((enum scheme)s, nintr, rate, sim_cpu, my_cpu, &res[s]) != 0)
			return 1;
		qsort(res[s].samples, res[s].intrs, sizeof(uint64_t), cmp_u64);
		p50[s] = (double)res[s].samples[res[s].intrs / 2];
		p99[s] = (double)res[s].samples[res[s].intrs * 99 / 100];
		free(res[s].samples);
	}
	/* the program's own counts must match the adapter's */
	if (res[0].sim_reads != 0 || res[0].sim_writes != 0 ||
			res[1].sim_reads != res[1].prog_reads ||
			res[1].sim_writes != res[1].prog_writes) {
		fprintf(stderr, "bench-mmio: access counts disagree: program evq 0/0, conv %"
			PRIu64 "/%" PRIu64 "; adapter evq %" PRIu64 "/%" PRIu64 ", conv %"
			PRIu64 "/%" PRIu64 "\n", res[1].prog_reads, res[1].prog_writes,
			res[0].sim_reads, res[0].sim_writes, res[1].sim_reads,
			res[1].sim_writes);
		return 1;
	}
#define PER(r, x) ((double)(r).x / (double)(r).intrs)
	/* reads: trapped register reads (the adapter's count) */
	json("reg_reads_per_intr", "reads", PER(res[0], sim_reads), PER(res[1], sim_reads), 3);
	/* writes: trapped register writes + EQ doorbell stores */
	json("reg_writes_per_intr", "writes",
		PER(res[0], sim_writes) + PER(res[0], prog_doorbells),
		PER(res[1], sim_writes) + PER(res[1], prog_doorbells), 3);
	/* round trips to the device: trapped reads + writes */
	json("trapped_accesses_per_intr", "round trips",
		PER(res[0], sim_reads) + PER(res[0], sim_writes),
		PER(res[1], sim_reads) + PER(res[1], sim_writes), 3);
	json("ns_per_intr_handling", "ns", PER(res[0], handle_ns), PER(res[1], handle_ns), 0);
	json("ns_per_intr_handling_p50", "ns", p50[0], p50[1], 0);
	json("ns_per_intr_handling_p99", "ns", p99[0], p99[1], 0);
	json("ns_per_intr_register_access", "ns", PER(res[0], reg_ns), PER(res[1], reg_ns), 0);
	json("packets_per_intr", "packets", PER(res[0], packets), PER(res[1], packets), 2);
	json("adapter_signals_per_intr", "signals", PER(res[0], sim_signals),
		PER(res[1], sim_signals), 3);
	return 0;
}
