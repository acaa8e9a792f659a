/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq-sim main: the command line, the process (threads, signals, clean
 * shutdown) and the statistics report. The device model itself is in
 * the programming-model files (sim.h lists them) and sim_engine.c, the
 * transport in sim_ctrl.c and sim_vfu_server.c, the wires in sim_wire.c.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "evq_cli.h"
#include "sim.h"

/* The log hook (lib/evq_hw/evq_log.h): every line to stderr, whole. */
static void
sim_log_handler(int level, const char *fmt, va_list ap)
{
	char line[512];

	vsnprintf(line, sizeof(line), fmt, ap);
	fputs(line, stderr);
}

static void
usage(FILE *f)
{
	fprintf(f,
"usage: evq-sim --socket PATH [--socket PATH ...] [options]\n"
"\n"
"evq-sim is the evq Ethernet adapter (doc/datasheet.rst) as a process: a\n"
"software PCI NIC that a driver (the net_evq PMD, or any vfio-user client)\n"
"reaches over a vfio-user socket. Each --socket is one port = one device.\n"
"It keeps serving: when a client goes away its DMA mappings and interrupt\n"
"fds are dropped, the device is reset and the next client may connect.\n"
"Stop it with Ctrl-C (SIGINT) or SIGTERM: it prints final statistics.\n"
"\n"
"Ports\n"
"  -s, --socket PATH     listen on PATH (AF_UNIX) for port N, N = 0, 1, ...\n"
"                        in the order given; repeat once per port\n"
"  -p, --ports N         number of ports; with one --socket PATH containing\n"
"                        %%u, the path is expanded per port (/run/evq%%u.sock)\n"
"  -q, --queues N        RX/TX queue pairs each port advertises (1..%d, %d)\n"
"  -e, --eqs N           event queues each port advertises (1..%d, %d)\n"
"      --vectors N       MSI-X vectors each port offers (0..%d, %d): fewer\n"
"                        than queues + 1 makes the driver share vectors,\n"
"                        1 puts the Rx queues on INTx, 0 (no MSI-X\n"
"                        capability) every interrupt\n"
"      --link-speed MBPS link speed reported (default 100000)\n"
"      --link-down       start with the link down (EVQ_ADMIN_SET_LINK or\n"
"                        SIGUSR1 brings it up; SIGUSR1 toggles every port)\n"
"      --no-phase        an adapter without phase-bit event queues: clear\n"
"                        EVQ_CAP_PHASE_VALID and refuse EVQ_EQ_CTRL_PHASE\n"
"\n"
"Wire (what the ports are cabled to)\n"
"  -w, --wire KIND       pair  ports 2k and 2k+1 back to back (even count)\n"
"                        loop  each port's TX comes back on its own RX (default)\n"
"                        sink  TX is counted and dropped, nothing received\n"
"                        gen   synthetic RX traffic (see --gen-*, --rate)\n"
"                        tap   one Linux TAP interface per port (--tap-name)\n"
"                        pcap  replay --pcap-in into RX, write TX to --pcap-out\n"
"                        rategen  evq-rategen inside the adapter: gen traffic\n"
"                              paced for --gen-duration, TX counted as echoes,\n"
"                              a JSON summary line on stdout at the end\n"
"  -r, --rate PPS        gen / pcap replay rate per port (0 = as fast as\n"
"                        possible, the default; rategen: 0 = send nothing);\n"
"                        k/M/G suffixes accepted\n"
"      --gen-size BYTES  frame size without FCS (default 64)\n"
"      --gen-flows N     distinct 5-tuples, varied source address/port (1024)\n"
"      --gen-ip 4|6      IPv4 (default) or IPv6\n"
"      --gen-l4 udp|tcp  UDP (default) or TCP\n"
"      --gen-bcast       send to ff:ff:ff:ff:ff:ff instead of the port's MAC\n"
"      --gen-dst-ip A.B.C.D  IPv4 destination address (default 10.255.0.1)\n"
"      --gen-duration SEC    rategen: length of the send phase (default 10)\n"
"      --gen-drain SEC   rategen: echoes still counted after it (default 0.5)\n"
"      --gen-start-file PATH  rategen: send once PATH exists (and the port's\n"
"                        datapath and an Rx queue are up; without it at once)\n"
"      --gen-burst N     rategen: most frames per wake-up, 1..%d (default 32)\n"
"      --gen-batch-us U  rategen: a wake-up sends what became due in U us\n"
"                        (up to --gen-burst; default 0: each frame on its slot)\n"
"      --tap-name NAME   TAP interface name, %%u = port (default evq%%u)\n"
"      --pcap-in FILE    capture to replay into every port's RX\n"
"      --pcap-out FILE   capture of TX (%%u = port; else .pN is added for N > 0)\n"
"      --pcap-loops N    replay N times (0 = forever, default 1)\n"
"\n"
"Engine and reporting\n"
"      --cpu N           pin the engine thread to CPU N\n"
"      --poll-sleep US   when idle for 1024 loops, sleep US microseconds (the\n"
"                        engine polls memory; 0 = spin, the default; a value\n"
"                        adds that much latency to doorbells)\n"
"  -S, --stats N         print counters every N seconds (and always at exit)\n"
"  -v, --verbose         more log output (repeat for debug)\n"
"      --quiet           warnings and errors only\n"
"  -h, --help            this text\n"
"\n"
"Example: two ports cabled together, 4 queue pairs, counters every second:\n"
"  evq-sim --socket /run/evq0.sock --socket /run/evq1.sock --wire pair \\\n"
"          --queues 4 --stats 1\n"
"Then start the driver, e.g. dpdk-testpmd with the net_evq vdev pointing at\n"
"those sockets (doc/net_evq.rst).\n",
	EVQ_MAX_QUEUES, EVQ_MAX_QUEUES, EVQ_MAX_EQS, EVQ_MAX_EQS,
	EVQ_MSIX_VECTORS, EVQ_MSIX_VECTORS, SIM_GEN_BURST_MAX);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
die_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "evq-sim: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(evq-sim --help for usage)\n");
	exit(2);
}

static uint64_t
opt_num(const char *name, const char *arg, uint64_t min, uint64_t max)
{
	uint64_t v;

	if (evq_cli_parse_count(arg, min, max, &v) != 0)
		die_usage("--%s: '%s' is not a number in [%llu, %llu]", name, arg,
			(unsigned long long)min, (unsigned long long)max);
	return v;
}

enum {
	OPT_LINK_SPEED = 256, OPT_LINK_DOWN, OPT_GEN_SIZE, OPT_GEN_FLOWS, OPT_GEN_IP,
	OPT_GEN_L4, OPT_GEN_BCAST, OPT_TAP_NAME, OPT_PCAP_IN, OPT_PCAP_OUT,
	OPT_PCAP_LOOPS, OPT_CPU, OPT_POLL_SLEEP, OPT_QUIET, OPT_VECTORS, OPT_GEN_DST_IP,
	OPT_GEN_DURATION, OPT_GEN_DRAIN, OPT_GEN_START_FILE, OPT_GEN_BURST, OPT_GEN_BATCH_US,
	OPT_NO_PHASE,
};

static const struct option long_opts[] = {
	{ "socket", required_argument, NULL, 's' },
	{ "ports", required_argument, NULL, 'p' },
	{ "queues", required_argument, NULL, 'q' },
	{ "eqs", required_argument, NULL, 'e' },
	{ "wire", required_argument, NULL, 'w' },
	{ "rate", required_argument, NULL, 'r' },
	{ "stats", required_argument, NULL, 'S' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "link-speed", required_argument, NULL, OPT_LINK_SPEED },
	{ "link-down", no_argument, NULL, OPT_LINK_DOWN },
	{ "gen-size", required_argument, NULL, OPT_GEN_SIZE },
	{ "gen-flows", required_argument, NULL, OPT_GEN_FLOWS },
	{ "gen-ip", required_argument, NULL, OPT_GEN_IP },
	{ "gen-l4", required_argument, NULL, OPT_GEN_L4 },
	{ "gen-bcast", no_argument, NULL, OPT_GEN_BCAST },
	{ "tap-name", required_argument, NULL, OPT_TAP_NAME },
	{ "pcap-in", required_argument, NULL, OPT_PCAP_IN },
	{ "pcap-out", required_argument, NULL, OPT_PCAP_OUT },
	{ "pcap-loops", required_argument, NULL, OPT_PCAP_LOOPS },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "poll-sleep", required_argument, NULL, OPT_POLL_SLEEP },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "vectors", required_argument, NULL, OPT_VECTORS },
	{ "gen-dst-ip", required_argument, NULL, OPT_GEN_DST_IP },
	{ "gen-duration", required_argument, NULL, OPT_GEN_DURATION },
	{ "gen-drain", required_argument, NULL, OPT_GEN_DRAIN },
	{ "gen-start-file", required_argument, NULL, OPT_GEN_START_FILE },
	{ "gen-burst", required_argument, NULL, OPT_GEN_BURST },
	{ "gen-batch-us", required_argument, NULL, OPT_GEN_BATCH_US },
	{ "no-phase", no_argument, NULL, OPT_NO_PHASE },
	{ NULL, 0, NULL, 0 },
};

/* Seconds with decimals, up to max, as nanoseconds. */
static uint64_t
opt_seconds_ns(const char *name, const char *arg, double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno != 0 || end == arg || *end != '\0' || !(v >= 0.0) || v > max)
		die_usage("--%s: '%s' is not a number of seconds in [0, %.0f]", name, arg, max);
	return (uint64_t)(v * 1e9);
}

static uint32_t
opt_ipv4(const char *name, const char *arg)
{
	struct in_addr a;

	if (inet_pton(AF_INET, arg, &a) != 1)
		die_usage("--%s: '%s' is not an IPv4 address", name, arg);
	return ntohl(a.s_addr);
}

static char *sockets[SIM_MAX_PORTS];
static unsigned int nb_sockets;

static void
parse_args(int argc, char **argv)
{
	unsigned int ports = 0, i;
	int verbose = 0, c;
	bool quiet = false;

	sim_opts.wire.pcap_loops = 1;
	while ((c = getopt_long(argc, argv, "s:p:q:e:w:r:S:vh", long_opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (nb_sockets == SIM_MAX_PORTS)
				die_usage("at most %d sockets", SIM_MAX_PORTS);
			sockets[nb_sockets++] = optarg;
			break;
		case 'p':
			ports = (unsigned int)opt_num("ports", optarg, 1, SIM_MAX_PORTS);
			break;
		case 'q':
			sim_opts.queues = (unsigned int)opt_num("queues", optarg, 1,
					EVQ_MAX_QUEUES);
			break;
		case 'e':
			sim_opts.eqs = (unsigned int)opt_num("eqs", optarg, 1, EVQ_MAX_EQS);
			break;
		case 'w':
			if (sim_wire_kind_parse(optarg, &sim_opts.wire.kind) != 0)
				die_usage("--wire: unknown wire '%s' (pair, loop, sink, gen, "
					"tap, pcap, rategen)", optarg);
			break;
		case 'r':
			sim_opts.wire.rate_pps = opt_num("rate", optarg, 0, 1000000000000ull);
			break;
		case 'S':
			sim_opts.stats_interval = (unsigned int)opt_num("stats", optarg, 0,
					86400);
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case OPT_LINK_SPEED:
			sim_opts.link_speed = (unsigned int)opt_num("link-speed", optarg, 1,
					UINT32_MAX);
			break;
		case OPT_LINK_DOWN:
			sim_opts.link_down = true;
			break;
		case OPT_NO_PHASE:
			sim_opts.no_phase = true;
			break;
		case OPT_GEN_SIZE:
			sim_opts.wire.gen_size = (uint32_t)opt_num("gen-size", optarg,
					EVQ_FRAME_MIN, SIM_FRAME_MAX);
			break;
		case OPT_GEN_FLOWS:
			sim_opts.wire.gen_flows = (uint32_t)opt_num("gen-flows", optarg, 1,
					1u << 16);
			break;
		case OPT_GEN_IP:
			sim_opts.wire.gen_ipv = (int)opt_num("gen-ip", optarg, 4, 6);
			if (sim_opts.wire.gen_ipv == 5)
				die_usage("--gen-ip: 4 or 6");
			break;
		case OPT_GEN_L4:
			if (strcmp(optarg, "udp") == 0)
				sim_opts.wire.gen_l4 = IPPROTO_UDP;
			else if (strcmp(optarg, "tcp") == 0)
				sim_opts.wire.gen_l4 = IPPROTO_TCP;
			else
				die_usage("--gen-l4: udp or tcp");
			break;
		case OPT_GEN_BCAST:
			sim_opts.wire.gen_bcast = true;
			break;
		case OPT_GEN_DST_IP:
			sim_opts.wire.gen_dst_ip = opt_ipv4("gen-dst-ip", optarg);
			break;
		case OPT_GEN_DURATION:
			sim_opts.wire.gen_duration_ns = opt_seconds_ns("gen-duration", optarg,
					86400.0);
			break;
		case OPT_GEN_DRAIN:
			sim_opts.wire.gen_drain_ns = opt_seconds_ns("gen-drain", optarg, 60.0);
			break;
		case OPT_GEN_START_FILE:
			sim_opts.wire.gen_start_file = optarg;
			break;
		case OPT_GEN_BURST:
			sim_opts.wire.gen_burst = (unsigned int)opt_num("gen-burst", optarg, 1,
					SIM_GEN_BURST_MAX);
			break;
		case OPT_GEN_BATCH_US:
			sim_opts.wire.gen_batch_ns = opt_num("gen-batch-us", optarg, 0,
					1000000) * 1000;
			break;
		case OPT_TAP_NAME:
			sim_opts.wire.tap_name = optarg;
			break;
		case OPT_PCAP_IN:
			sim_opts.wire.pcap_in = optarg;
			break;
		case OPT_PCAP_OUT:
			sim_opts.wire.pcap_out = optarg;
			break;
		case OPT_PCAP_LOOPS:
			sim_opts.wire.pcap_loops = opt_num("pcap-loops", optarg, 0, UINT64_MAX);
			break;
		case OPT_CPU:
			sim_opts.engine_cpu = (int)opt_num("cpu", optarg, 0, 4095);
			break;
		case OPT_VECTORS:
			sim_opts.vectors = (unsigned int)opt_num("vectors", optarg, 0,
					EVQ_MSIX_VECTORS);
			break;
		case OPT_POLL_SLEEP:
			sim_opts.poll_sleep_us = (uint32_t)opt_num("poll-sleep", optarg, 0,
					1000000);
			break;
		case OPT_QUIET:
			quiet = true;
			break;
		default:
			die_usage("bad option");
		}
	}
	if (optind != argc)
		die_usage("unexpected argument '%s'", argv[optind]);
	if (nb_sockets == 0)
		die_usage("no --socket given: each port needs one");
	if (ports == 0)
		ports = nb_sockets;
	if (nb_sockets == 1 && ports > 1) {
		if (strstr(sockets[0], "%u") == NULL)
			die_usage("--ports %u with one --socket: put %%u in the path", ports);
		const char *tmpl = sockets[0];
		const char *pct = strstr(tmpl, "%u");

		for (i = 0; i < ports; i++) {
			char buf[4096];

			snprintf(buf, sizeof(buf), "%.*s%u%s", (int)(pct - tmpl), tmpl, i,
				pct + 2);
			sockets[i] = strdup(buf);
		}
		nb_sockets = ports;
	} else if (ports != nb_sockets) {
		die_usage("--ports %u but %u --socket given", ports, nb_sockets);
	}
	sim_opts.nb_ports = ports;
	if (sim_opts.wire.kind == SIM_WIRE_PAIR && ports % 2 != 0)
		die_usage("--wire pair cables ports two by two: give an even number "
			"of sockets");
	if (sim_opts.wire.kind == SIM_WIRE_PCAP) {
#ifndef EVQ_SIM_HAVE_PCAP
		die_usage("--wire pcap: this evq-sim was built without libpcap");
#endif
		if (sim_opts.wire.pcap_in == NULL && sim_opts.wire.pcap_out == NULL)
			die_usage("--wire pcap needs --pcap-in and/or --pcap-out");
	}
	/* one level for evq-sim's lines and those of lib/evq_hw and evq_ring */
	if (quiet)
		evq_log_set_level(EVQ_LOG_WARNING);
	else if (verbose >= 1)
		evq_log_set_level(EVQ_LOG_DEBUG);
}

/* --------------------------------------------------------- statistics -- */

static uint64_t
rd64(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

struct sim_stats_prev {
	uint64_t rx, tx, t;
};

static struct sim_stats_prev stats_prev[SIM_MAX_PORTS];

void
sim_stats_print(FILE *f, struct sim_port *ports, unsigned int nb_ports,
		struct sim_engine *eng, double interval_s, bool final)
{
	unsigned int i, q, e;

	fprintf(f, "---- evq-sim %s (engine: %llu loops, %llu busy) ----\n",
		final ? "final statistics" : "statistics",
		(unsigned long long)rd64(&eng->loops),
		(unsigned long long)rd64(&eng->busy_loops));
	for (i = 0; i < nb_ports; i++) {
		struct sim_port *p = &ports[i];
		const struct sim_life *l = &p->life;
		uint64_t s[EVQ_STAT_COUNT];
		uint64_t rx, tx, signals = l->eq_signals, posted = l->eq_posted;
		uint64_t overflows = l->eq_overflows, doorbells = l->eq_doorbells;
		uint64_t bad_db = l->eq_bad_doorbells, k;

		for (k = 0; k < EVQ_STAT_COUNT; k++)
			s[k] = l->stats[k] + rd64(&p->stats[k]);
		rx = s[EVQ_STAT_RX_PACKETS];
		tx = s[EVQ_STAT_TX_PACKETS];
		for (e = 0; e < EVQ_MAX_EQS; e++) {
			posted += rd64(&p->eq[e].prod.stats.posted);
			signals += rd64(&p->eq[e].prod.stats.signals);
			doorbells += rd64(&p->eq[e].prod.stats.doorbells);
			bad_db += rd64(&p->eq[e].prod.stats.bad_doorbells);
			overflows += p->eq[e].overflows;
		}
		fprintf(f, "port %u (%s, wire %s, link %s, %s), totals since start:\n", i,
			p->socket_path, p->wire->name, p->link_up ? "up" : "down",
			p->connected ? "client connected" : "no client");
		fprintf(f, "  rx: %llu packets %llu bytes, drops: %llu missed %llu filtered "
			"%llu errors (missed: %llu no descriptor, %llu EQ refused, %llu queue "
			"off)\n",
			(unsigned long long)rx, (unsigned long long)s[EVQ_STAT_RX_BYTES],
			(unsigned long long)s[EVQ_STAT_RX_MISSED],
			(unsigned long long)s[EVQ_STAT_RX_FILTERED],
			(unsigned long long)s[EVQ_STAT_RX_ERRORS],
			(unsigned long long)rd64(&p->cnt.rx_miss_desc),
			(unsigned long long)rd64(&p->cnt.rx_miss_eq),
			(unsigned long long)rd64(&p->cnt.rx_miss_off));
		fprintf(f, "  tx: %llu packets %llu bytes, drops: %llu errors (%llu link down, "
			"%llu DMA faults, %llu bad descriptors) %llu wire\n",
			(unsigned long long)tx, (unsigned long long)s[EVQ_STAT_TX_BYTES],
			(unsigned long long)s[EVQ_STAT_TX_ERRORS],
			(unsigned long long)rd64(&p->cnt.tx_drop_link),
			(unsigned long long)rd64(&p->cnt.tx_drop_dma),
			(unsigned long long)rd64(&p->cnt.tx_drop_desc),
			(unsigned long long)rd64(&p->cnt.wire_tx_drops));
		fprintf(f, "  events: %llu posted %llu lost %llu overflows; interrupts: "
			"%llu EQ signals, %llu MSI-X %llu INTx %llu pended %llu conv\n",
			(unsigned long long)posted,
			(unsigned long long)s[EVQ_STAT_EVENTS_LOST],
			(unsigned long long)overflows, (unsigned long long)signals,
			(unsigned long long)s[EVQ_STAT_MSIX_SIGNALS],
			(unsigned long long)s[EVQ_STAT_INTX_SIGNALS],
			(unsigned long long)s[EVQ_STAT_IRQ_PENDED],
			(unsigned long long)s[EVQ_STAT_CONV_SIGNALS]);
		fprintf(f, "  doorbells: %llu EQ %llu tail, bad: %llu EQ %llu tail; "
			"trapped: %llu reads %llu writes; illegal %llu, DMA faults %llu; "
			"clients %llu\n",
			(unsigned long long)doorbells,
			(unsigned long long)rd64(&p->cnt.tail_doorbells),
			(unsigned long long)bad_db,
			(unsigned long long)s[EVQ_STAT_BAD_TAILS],
			(unsigned long long)rd64(&p->cnt.trapped_reads),
			(unsigned long long)rd64(&p->cnt.trapped_writes),
			(unsigned long long)s[EVQ_STAT_ILLEGAL_ACCESSES],
			(unsigned long long)s[EVQ_STAT_DMA_FAULTS],
			(unsigned long long)rd64(&p->cnt.connects));
		if (interval_s > 0 && !final) {
			uint64_t now = sim_now_ns();
			double dt = stats_prev[i].t != 0 ?
				(double)(now - stats_prev[i].t) / 1e9 : interval_s;

			fprintf(f, "  rate: rx %.3f Mpps, tx %.3f Mpps\n",
				(double)(rx - stats_prev[i].rx) / dt / 1e6,
				(double)(tx - stats_prev[i].tx) / dt / 1e6);
			stats_prev[i].rx = rx;
			stats_prev[i].tx = tx;
			stats_prev[i].t = now;
		}
		for (q = 0; q < sim_opts.queues; q++) {
			struct sim_rxq *rq = &p->rxq[q];
			struct sim_txq *tq = &p->txq[q];

			/* queues and EQs: since the last device reset */
			if (rd64(&rq->packets) == 0 && rd64(&tq->packets) == 0 &&
					rd64(&rq->missed) == 0 && rq->errors == 0 &&
					rd64(&tq->dropped) == 0)
				continue;
			fprintf(f, "  queue %u: rx %llu pkts %llu bytes %llu missed %u errors; "
				"tx %llu pkts %llu bytes %llu dropped %u errors\n", q,
				(unsigned long long)rd64(&rq->packets),
				(unsigned long long)rd64(&rq->bytes),
				(unsigned long long)rd64(&rq->missed), rq->errors,
				(unsigned long long)rd64(&tq->packets),
				(unsigned long long)rd64(&tq->bytes),
				(unsigned long long)rd64(&tq->dropped), tq->errors);
		}
		for (e = 0; e < sim_opts.eqs; e++) {
			struct sim_eq *eq = &p->eq[e];
			const struct evq_ring_prod_stats *ps = &eq->prod.stats;

			if (rd64(&ps->posted) == 0 && eq->lost == 0 && ps->bad_doorbells == 0)
				continue;
			fprintf(f, "  EQ %u%s: %llu posted %llu signals %llu held %llu doorbells "
				"%llu bad doorbells %u overflows %u lost\n", e,
				(eq->ctrl & EVQ_EQ_CTRL_PHASE) ? " (phase)" : "",
				(unsigned long long)rd64(&ps->posted),
				(unsigned long long)rd64(&ps->signals),
				(unsigned long long)rd64(&ps->held),
				(unsigned long long)rd64(&ps->doorbells),
				(unsigned long long)rd64(&ps->bad_doorbells),
				eq->overflows, eq->lost);
		}
	}
	if (sim_dma_sigbus_count != 0)
		fprintf(f, "SIGBUS survived (client shrank DMA memory): %llu\n",
			(unsigned long long)sim_dma_sigbus_count);
	fflush(f);
}

/* --------------------------------------------------------------- main -- */

static struct sim_port *ports;
static struct sim_engine engine;

static int
sim_rpc_toggle_link(void *arg)
{
	struct sim_port *port = arg;

	sim_set_link(port, !port->link_up, 0);
	return 0;
}

static int
sim_rpc_wire_close(void *arg)
{
	struct sim_port *port = arg;

	port->wire->close(port);
	return 0;
}

int
main(int argc, char **argv)
{
	sigset_t set;
	unsigned int i;
	int ret, sig;

	parse_args(argc, argv);
	evq_log_set_handler(sim_log_handler);
	evq_ring_set_log(evq_log_ring_msg);
	sim_dma_sigbus_install();

	/* every thread inherits this: only main takes these signals. Reset
	 * their disposition first: one inherited as ignored (a background job)
	 * would be discarded instead of waiting for sigwait. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	ports = sim_zalloc(sizeof(*ports) * sim_opts.nb_ports);
	if (ports == NULL || sim_engine_init(&engine) != 0) {
		fprintf(stderr, "evq-sim: out of memory\n");
		return 1;
	}
	memset(ports, 0, sizeof(*ports) * sim_opts.nb_ports);
	for (i = 0; i < sim_opts.nb_ports; i++) {
		struct sim_port *port = &ports[i];

		port->dma = calloc(1, sizeof(*port->dma));
		port->toeplitz = sim_zalloc(sizeof(*port->toeplitz));
		port->strip_buf = sim_zalloc((size_t)SIM_BURST * SIM_FRAME_MAX);
		if (port->dma == NULL || port->toeplitz == NULL || port->strip_buf == NULL) {
			fprintf(stderr, "evq-sim: out of memory\n");
			return 1;
		}
		port->socket_path = sockets[i];
		port->eng = &engine;
		port->wire_conf = &sim_opts.wire;
		port->wire = sim_wire_ops_get(sim_opts.wire.kind);
		sim_port_init(port, i);
		engine.ports[engine.nb_ports++] = port;
	}
	for (i = 0; i < sim_opts.nb_ports; i++) {
		struct sim_port *port = &ports[i];

		if (sim_opts.wire.kind == SIM_WIRE_PAIR)
			port->peer = &ports[i ^ 1];
		ret = port->wire->open(port, &sim_opts.wire);
		if (ret != 0) {
			fprintf(stderr, "evq-sim: port %u: cannot open wire %s: %s\n", i,
				port->wire->name, strerror(-ret));
			return 1;
		}
	}
	ret = sim_ctrl_init(ports, sim_opts.nb_ports, &engine);
	if (ret != 0)
		return 1;
	if (sim_engine_start(&engine, sim_opts.engine_cpu) != 0 ||
			sim_ctrl_start() != 0) {
		fprintf(stderr, "evq-sim: cannot start threads\n");
		return 1;
	}
	SIM_LOG(INFO, "%u port(s), wire %s, %u queue pairs, %u EQs per port; "
		"Ctrl-C to stop", sim_opts.nb_ports, sim_wire_kind_name(sim_opts.wire.kind),
		sim_opts.queues, sim_opts.eqs);

	for (;;) {
		struct timespec ts = { .tv_sec = sim_opts.stats_interval, .tv_nsec = 0 };

		sig = sim_opts.stats_interval != 0 ? sigtimedwait(&set, NULL, &ts) :
			sigwaitinfo(&set, NULL);
		if (sig < 0) {
			if (errno == EAGAIN)
				sim_stats_print(stdout, ports, sim_opts.nb_ports, &engine,
					sim_opts.stats_interval, false);
			continue;
		}
		if (sig == SIGUSR1) {
			for (i = 0; i < sim_opts.nb_ports; i++)
				sim_engine_call(&engine, sim_rpc_toggle_link, &ports[i]);
			continue;
		}
		if (sig == SIGHUP) {
			sim_stats_print(stdout, ports, sim_opts.nb_ports, &engine, 0, false);
			continue;
		}
		break;		/* SIGINT, SIGTERM */
	}
	SIM_LOG(INFO, "signal %d: shutting down", sig);
	sim_ctrl_stop();		/* clients disconnected: DMA unmapped, reset */
	for (i = 0; i < sim_opts.nb_ports; i++)
		sim_engine_call(&engine, sim_rpc_wire_close, &ports[i]);
	sim_engine_stop(&engine);
	sim_stats_print(stdout, ports, sim_opts.nb_ports, &engine, 0, true);
	return 0;
}
