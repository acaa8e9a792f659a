/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq-bench-sim: how many 64-byte packets per second one evq-sim engine
 * thread moves. A minimal C driver (no DPDK) keeps the rings full: the TX
 * ring always holds `ring` descriptors of pre-built 64-byte frames, the RX
 * ring always has every descriptor posted, and completions are consumed
 * from the EQs with lib/evq_ring (no doorbell publishes: the device does
 * not need them to detect overflow). The driver does almost nothing per
 * packet (read an event code, clear it, move a tail), so the engine is the
 * bottleneck being measured.
 *
 *   wire loop: port 0 TX -> port 0 RX (each packet: TX descriptor read,
 *              parse, RSS-ready classification, copy into an RX buffer,
 *              RX event, coalesced TX event)
 *   wire pair: port 0 TX -> port 1 RX
 *   wire gen:  RX only (generated 64-byte UDP frames)
 *   wire sink: TX only
 *
 * Output: JSON lines on stdout,
 *   {"bench":"sim","metric":"engine_mpps_64B","unit":"Mpps","evq":X,
 *    "peer_name":"target","peer":20,"ratio":X/20}
 * Progress on stderr. Needs $EVQ_SIM (the evq-sim binary).
 */

#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evq_cli.h"
#include "sim_client.h"

#define TARGET_MPPS	20.0

struct bport {
	struct sc_dev dev;
	struct sc_eq eq0, eq_rx, eq_tx;
	struct sc_rxq rxq;
	struct sc_txq txq;
	uint8_t mac[6];
};

static int
bport_up(struct bport *p, const char *sock, uint32_t ring, bool rx, bool tx,
		const uint8_t *dst_mac_or_null)
{
	uint32_t lo, hi, i;
	int ret;

	ret = sc_dev_open(&p->dev, sock, 64u << 20);
	if (ret != 0)
		return ret;
	lo = sc_r32(&p->dev, EVQ_REG_MAC_LO);
	hi = sc_r32(&p->dev, EVQ_REG_MAC_HI);
	memcpy(p->mac, &lo, 4);
	memcpy(p->mac + 4, &hi, 2);
	if (sc_eq_setup(&p->dev, &p->eq0, 0, 256, 0) != 0 ||
			sc_eq_setup(&p->dev, &p->eq_rx, 1, ring * 4, 0) != 0 ||
			sc_eq_setup(&p->dev, &p->eq_tx, 2, ring, 0) != 0)
		return -EIO;
	sc_wr32(&p->dev, EVQ_REG_MVM(EVQ_EVCLASS_RX, 0), evq_mvm_entry(1, 1, 0));
	sc_wr32(&p->dev, EVQ_REG_MVM(EVQ_EVCLASS_TX, 0), evq_mvm_entry(2, 2, 0));
	if (rx && sc_rxq_setup(&p->dev, &p->rxq, 0, ring, 2048, ring) != 0)
		return -EIO;
	if (tx) {
		uint8_t frame[64];

		if (sc_txq_setup(&p->dev, &p->txq, 0, ring) != 0)
			return -EIO;
		/* one pre-built frame per slot: descriptors never change */
		for (i = 0; i < ring; i++) {
			sc_frame_udp4(frame, 64, dst_mac_or_null != NULL ?
				dst_mac_or_null : p->mac, 0x0a000001 + i, 0x0a000002,
				(uint16_t)(1000 + i), 2000);
			sc_txq_put(&p->txq, frame, 64, EVQ_TX_DESC_F_EOP);
		}
		p->txq.tail = 0;
		sc_wr32(&p->dev, EVQ_REG_TXQ(0, EVQ_TXQ_COAL), 64);
	}
	return 0;
}

/* Consume up to max RX events; returns how many. */
static inline unsigned int
drain_rx(struct bport *p, unsigned int max)
{
	unsigned int n = 0;

	while (n < max && evq_ring_peek(&p->eq_rx.cons, n) != NULL)
		n++;
	if (n != 0)
		evq_ring_consume(&p->eq_rx.cons, n);
	return n;
}

/* Consume TX events; returns the latest done count (or prev). */
static inline uint32_t
drain_tx(struct bport *p, uint32_t prev)
{
	const struct evq_ev_tx *e;
	uint32_t done = prev;
	unsigned int n = 0;

	while ((e = evq_ring_peek(&p->eq_tx.cons, n)) != NULL) {
		done = e->done_count;
		n++;
	}
	if (n != 0)
		evq_ring_consume(&p->eq_tx.cons, n);
	return done;
}

static double
run(const char *wire, unsigned int seconds, uint32_t ring, int sim_cpu, int my_cpu)
{
	char cpu[16];
	const char *args[16];
	unsigned int na = 0;
	struct sc_sim sim;
	static struct bport a, b;
	struct bport *txp = NULL, *rxp = NULL;
	uint64_t t0 = 0, t_end, packets = 0, warm_end;
	uint32_t tx_done = 0;
	bool two = strcmp(wire, "pair") == 0;
	bool rx = strcmp(wire, "sink") != 0, tx = strcmp(wire, "gen") != 0;
	double mpps;
	int ret;

	args[na++] = "--quiet";
	args[na++] = "--wire";
	args[na++] = wire;
	args[na++] = "--queues";
	args[na++] = "1";
	if (sim_cpu >= 0) {
		snprintf(cpu, sizeof(cpu), "%d", sim_cpu);
		args[na++] = "--cpu";
		args[na++] = cpu;
	}
	if (strcmp(wire, "gen") == 0) {
		args[na++] = "--gen-size";
		args[na++] = "64";
		args[na++] = "--gen-flows";
		args[na++] = "1";
	}
	args[na] = NULL;
	ret = sc_sim_start(&sim, two ? 2 : 1, args);
	if (ret != 0) {
		fprintf(stderr, "bench-sim: cannot start evq-sim (EVQ_SIM=%s): %s\n",
			getenv("EVQ_SIM") ? getenv("EVQ_SIM") : "unset", strerror(-ret));
		return -1;
	}
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	if (two) {
		if (bport_up(&b, sim.sock[1], ring, true, false, NULL) != 0 ||
				bport_up(&a, sim.sock[0], ring, false, true, b.mac) != 0)
			goto fail;
		txp = &a;
		rxp = &b;
		sc_wr32(&b.dev, EVQ_REG_DEV_CTRL, EVQ_DEV_CTRL_ENABLE);
	} else {
		if (bport_up(&a, sim.sock[0], ring, rx, tx, NULL) != 0)
			goto fail;
		txp = tx ? &a : NULL;
		rxp = rx ? &a : NULL;
	}
	if (my_cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(my_cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	sc_wr32(&a.dev, EVQ_REG_DEV_CTRL, EVQ_DEV_CTRL_ENABLE);
	if (txp != NULL) {
		txp->txq.tail = ring;
		sc_txq_ring(&txp->txq);
	}
	warm_end = sc_ms() + 500;
	t_end = warm_end + (uint64_t)seconds * 1000;
	for (uint64_t iter = 0;; iter++) {
		if (rxp != NULL) {
			unsigned int n = drain_rx(rxp, 256);

			if (n != 0) {
				sc_rxq_refill(&rxp->rxq, n);
				packets += n;
			}
		}
		if (txp != NULL) {
			uint32_t done = drain_tx(txp, tx_done);

			if (done != tx_done) {
				if (rxp == NULL)
					packets += done - tx_done;
				tx_done = done;
				txp->txq.tail = done + ring;
				sc_txq_ring(&txp->txq);
			}
		}
		if ((iter & 1023) == 0) {
			uint64_t now = sc_ms();

			if (t0 == 0 && now >= warm_end) {
				t0 = now;
				packets = 0;
			} else if (t0 != 0 && now >= t_end) {
				mpps = (double)packets / ((double)(now - t0) / 1000.0) / 1e6;
				break;
			}
		}
	}
	fprintf(stderr, "bench-sim: wire %s: %.3f Mpps over %u s (ring %u)\n", wire, mpps,
		seconds, ring);
	sc_dev_close(&a.dev);
	if (two)
		sc_dev_close(&b.dev);
	sc_sim_stop(&sim);
	return mpps;
fail:
	fprintf(stderr, "bench-sim: device setup failed (see %s)\n", sim.log);
	sc_sim_stop(&sim);
	return -1;
}

static void
usage(void)
{
	fprintf(stderr,
		"usage: evq-bench-sim [--wire loop|pair|gen|sink|all] [--seconds N]\n"
		"                     [--ring N] [--sim-cpu N] [--cpu N]\n"
		"Measures the evq-sim engine's packet rate with 64-byte packets.\n"
		"Default: --wire all --seconds 3 --ring 1024 --sim-cpu 0 --cpu 1.\n"
		"Needs EVQ_SIM=path/to/evq-sim.\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "wire", required_argument, NULL, 'w' },
		{ "seconds", required_argument, NULL, 's' },
		{ "ring", required_argument, NULL, 'r' },
		{ "sim-cpu", required_argument, NULL, 'S' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const all[] = { "loop", "pair", "gen", "sink" };
	const char *wire = "all";
	unsigned int seconds = 3, i;
	uint32_t ring = 1024;
	int sim_cpu = 0, my_cpu = 1, c, failed = 0;
	uint64_t v;

	while ((c = getopt_long(argc, argv, "w:s:r:h", opts, NULL)) != -1) {
		switch (c) {
		case 'w': wire = optarg; break;
		case 's':
			if (evq_cli_parse_count(optarg, 1, 3600, &v) != 0)
				return evq_cli_bad_arg("--seconds", optarg);
			seconds = (unsigned int)v;
			break;
		case 'r':
			if (evq_cli_parse_count(optarg, 8, 1u << 24, &v) != 0)
				return evq_cli_bad_arg("--ring", optarg);
			ring = (uint32_t)v;
			break;
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
		case 'h': usage(); return 0;
		default: usage(); return 2;
		}
	}
	if (seconds == 0 || ring < 64 || ring > 8192 || (ring & (ring - 1)) != 0) {
		usage();
		return 2;
	}
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		sim_cpu = my_cpu = -1;
	for (i = 0; i < 4; i++) {
		const char *w = all[i];
		char metric[64];
		double x;

		if (strcmp(wire, "all") != 0 && strcmp(wire, w) != 0)
			continue;
		x = run(w, seconds, ring, sim_cpu, my_cpu);
		if (x < 0) {
			failed = 1;
			continue;
		}
		if (strcmp(w, "loop") == 0)
			snprintf(metric, sizeof(metric), "engine_mpps_64B");
		else
			snprintf(metric, sizeof(metric), "engine_mpps_64B_%s", w);
		printf("{\"bench\":\"sim\",\"metric\":\"%s\",\"unit\":\"Mpps\",\"evq\":%.3f,"
			"\"peer_name\":\"target\",\"peer\":%.0f,\"ratio\":%.3f}\n",
			metric, x, TARGET_MPPS, x / TARGET_MPPS);
		fflush(stdout);
	}
	return failed;
}
