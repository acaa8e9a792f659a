/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq-rategen: a rate-controlled UDP/IPv4 generator for any ethdev port.
 *
 * It owns one port (whatever --vdev gives: net_vhost facing virtio-user,
 * an evq port facing an evq pair, net_memif, ...), transmits frames of a
 * set size over a set number of flows (varied source address and port) at
 * a set rate for a set duration, drains and counts what comes back, and
 * prints one JSON line on stdout at the end. The pacer is TSC based: the
 * number of packets due is computed from the time since start (no drift),
 * sent in bursts of up to --burst when the rate is high and one by one when
 * it is low; when the next packet is far away the thread sleeps (so a low
 * rate leaves its core to others) and spins only for the last microseconds.
 * A send loop that falls far behind (preemption) skips the missed slots
 * instead of bursting them, and says how many it skipped. With --on/--off
 * the traffic comes in bursts separated by silent pauses (a receiver in
 * interrupt mode falls asleep in each pause and must wake for each burst);
 * the rate applies within the bursts.
 *
 * stderr gets one line "evq-rategen: sending ..." when the link is up and
 * the timed run begins (scripts wait for it), and errors.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_udp.h>

#include "evq_cli.h"
#include "evq_pace.h"

#define RATEGEN_MAX_BURST 64
#define RATEGEN_MAX_FLOWS 65536
#define RATEGEN_MIN_SIZE (RTE_ETHER_HDR_LEN + (int)sizeof(struct rte_ipv4_hdr) + \
			  (int)sizeof(struct rte_udp_hdr))
#define RATEGEN_MAX_SIZE (RTE_ETHER_MAX_LEN - RTE_ETHER_CRC_LEN)
#define RATEGEN_HDR_LEN RATEGEN_MIN_SIZE
#define RATEGEN_NB_MBUFS 16383
#define RATEGEN_RING_SIZE 4096	/* absorbs a few ms of a descheduled device at 1 Mpps */

struct rategen_opts {
	uint16_t port;
	bool line_rate;			/* as fast as the port takes */
	uint64_t rate_pps;		/* 0 = idle */
	double duration_s;
	double on_s;			/* burst pattern: send this long ... */
	double off_s;			/* ... then pause this long (0 = no pauses) */
	double drain_s;			/* RX drain after the last send */
	double link_wait_s;
	const char *start_file;		/* wait for it before sending */
	unsigned int size;		/* frame length without FCS */
	unsigned int flows;
	unsigned int burst;
	bool dst_mac_set;
	struct rte_ether_addr dst_mac;
	bool src_mac_set;
	struct rte_ether_addr src_mac;
	uint32_t dst_ip;		/* host order */
	uint32_t src_ip;		/* host order, base of the flows */
	uint16_t dst_port;
	uint16_t src_port;		/* base of the flows */
	uint64_t sleep_min_ns;		/* sleep when the next slot is further */
	uint64_t spin_ns;		/* ... and wake up this much before it */
	uint64_t batch_ns;		/* let packets gather this long at most */
	int rt_prio;			/* SCHED_FIFO priority of the send loop, 0 = none */
};

struct rategen_counts {
	uint64_t tx_pkts;		/* accepted by tx_burst */
	uint64_t tx_refused;		/* not accepted: ring full, peer slow */
	uint64_t skipped;		/* slots missed by a late loop */
	uint64_t rx_pkts;
	uint64_t rx_bytes;
	uint64_t tx_calls;
	uint64_t max_burst_sent;
	uint64_t on_phases;		/* send phases begun (1 without --off) */
	double elapsed_s;		/* send phase, measured */
};

static volatile bool rategen_stop;

static void
rategen_signal(int sig)
{
	RTE_SET_USED(sig);
	rategen_stop = true;
}

static void
usage(FILE *f)
{
	fprintf(f,
"usage: evq-rategen [EAL options] -- [options]\n"
"Transmit UDP/IPv4 frames at a set rate on one ethdev port, count what\n"
"comes back, print a JSON summary line on stdout.\n"
"  --port N          port id (default 0)\n"
"  --rate PPS        packets per second, k/M suffixes; 0 = idle (send\n"
"                    nothing, only count RX); 'max' = as fast as the port\n"
"                    takes (default 1M)\n"
"  --duration SEC    length of the send phase (default 10, decimals ok)\n"
"  --on SEC          with --off: send in bursts of SEC seconds ...\n"
"  --off SEC         ... separated by pauses of SEC seconds, until\n"
"                    --duration is over (default 0: no pauses)\n"
"  --drain SEC       keep counting RX this long after (default 0.5)\n"
"  --link-wait SEC   wait up to SEC for the link before sending, else fail\n"
"                    (default 30; 0 = no limit)\n"
"  --size BYTES      frame length without FCS, %d..%d (default 64)\n"
"  --flows N         distinct 5-tuples, 1..%d (default 256): source\n"
"                    address and UDP source port vary\n"
"  --burst N         largest burst per tx_burst call, 1..%d (default 32)\n"
"  --dst-mac MAC     destination MAC (default ff:ff:ff:ff:ff:ff)\n"
"  --src-mac MAC     source MAC (default: the port's)\n"
"  --dst-ip A.B.C.D  destination address (default 198.18.0.1)\n"
"  --src-ip A.B.C.D  first source address (default 198.19.0.1)\n"
"  --dst-port N      UDP destination port (default 5001)\n"
"  --src-port N      first UDP source port (default 1024)\n"
"  --start-file PATH after the link is up, wait (within --link-wait) until\n"
"                    PATH exists before sending: the peer says it is ready\n"
"  --sleep-min-us U  sleep instead of spinning when the next packet is more\n"
"                    than U us away (default 50; 0 = always spin)\n"
"  --spin-us U       wake up U us before the slot and spin (default 20)\n"
"  --batch-us U      send at most every U us: a wake-up sends what became\n"
"                    due since (up to --burst), so a sleeping pacer leaves\n"
"                    its core free at high rates too (default 0: each packet\n"
"                    on its own slot)\n"
"  --rt-prio N       run the send loop SCHED_FIFO at priority N (1..99), so\n"
"                    a wake-up preempts busy threads on its CPU; only the\n"
"                    sending thread and only while sending (EAL's threads\n"
"                    stay normal) (default 0: not real-time)\n"
"  -h, --help        this text\n",
		RATEGEN_MIN_SIZE, RATEGEN_MAX_SIZE, RATEGEN_MAX_FLOWS, RATEGEN_MAX_BURST);
}

static int
parse_seconds(const char *s, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= 0.0) || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int
parse_ipv4(const char *s, uint32_t *out)
{
	unsigned int a, b, c, d;
	char tail;

	if (sscanf(s, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 ||
	    a > 255 || b > 255 || c > 255 || d > 255)
		return -EINVAL;
	*out = (a << 24) | (b << 16) | (c << 8) | d;
	return 0;
}

static int
parse_args(int argc, char **argv, struct rategen_opts *o)
{
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "rate", required_argument, NULL, 'r' },
		{ "duration", required_argument, NULL, 'd' },
		{ "drain", required_argument, NULL, 'D' },
		{ "on", required_argument, NULL, 'o' },
		{ "off", required_argument, NULL, 'O' },
		{ "link-wait", required_argument, NULL, 'L' },
		{ "size", required_argument, NULL, 's' },
		{ "flows", required_argument, NULL, 'f' },
		{ "burst", required_argument, NULL, 'b' },
		{ "dst-mac", required_argument, NULL, 'M' },
		{ "src-mac", required_argument, NULL, 'm' },
		{ "dst-ip", required_argument, NULL, 'I' },
		{ "src-ip", required_argument, NULL, 'i' },
		{ "dst-port", required_argument, NULL, 'U' },
		{ "src-port", required_argument, NULL, 'u' },
		{ "sleep-min-us", required_argument, NULL, 'S' },
		{ "spin-us", required_argument, NULL, 'W' },
		{ "batch-us", required_argument, NULL, 'B' },
		{ "start-file", required_argument, NULL, 'F' },
		{ "rt-prio", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c, idx = 0;

	*o = (struct rategen_opts){
		.rate_pps = 1000000,
		.duration_s = 10.0,
		.drain_s = 0.5,
		.link_wait_s = 30.0,
		.size = 64,
		.flows = 256,
		.burst = 32,
		.dst_mac = { .addr_bytes = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
		.dst_ip = RTE_IPV4(198, 18, 0, 1),
		.src_ip = RTE_IPV4(198, 19, 0, 1),
		.dst_port = 5001,
		.src_port = 1024,
		.sleep_min_ns = 50000,
		.spin_ns = 20000,
	};
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, &idx)) != -1) {
		switch (c) {
		case 'p':
			if (evq_cli_parse_count(optarg, 0, RTE_MAX_ETHPORTS - 1, &v) != 0)
				goto bad;
			o->port = (uint16_t)v;
			break;
		case 'r':
			if (strcmp(optarg, "max") == 0 || strcmp(optarg, "line") == 0) {
				o->line_rate = true;
				break;
			}
			if (evq_cli_parse_count(optarg, 0, 1000000000000ull, &o->rate_pps) != 0)
				goto bad;
			o->line_rate = false;
			break;
		case 'd':
			if (parse_seconds(optarg, 86400.0, &o->duration_s) != 0)
				goto bad;
			break;
		case 'D':
			if (parse_seconds(optarg, 60.0, &o->drain_s) != 0)
				goto bad;
			break;
		case 'o':
			if (parse_seconds(optarg, 3600.0, &o->on_s) != 0)
				goto bad;
			break;
		case 'O':
			if (parse_seconds(optarg, 3600.0, &o->off_s) != 0)
				goto bad;
			break;
		case 'L':
			if (parse_seconds(optarg, 3600.0, &o->link_wait_s) != 0)
				goto bad;
			break;
		case 's':
			if (evq_cli_parse_count(optarg, 0, RATEGEN_MAX_SIZE, &v) != 0 ||
			    v < RATEGEN_MIN_SIZE)
				goto bad;
			o->size = (unsigned int)v;
			break;
		case 'f':
			if (evq_cli_parse_count(optarg, 0, RATEGEN_MAX_FLOWS, &v) != 0 || v == 0)
				goto bad;
			o->flows = (unsigned int)v;
			break;
		case 'b':
			if (evq_cli_parse_count(optarg, 0, RATEGEN_MAX_BURST, &v) != 0 || v == 0)
				goto bad;
			o->burst = (unsigned int)v;
			break;
		case 'M':
			if (rte_ether_unformat_addr(optarg, &o->dst_mac) != 0)
				goto bad;
			o->dst_mac_set = true;
			break;
		case 'm':
			if (rte_ether_unformat_addr(optarg, &o->src_mac) != 0)
				goto bad;
			o->src_mac_set = true;
			break;
		case 'I':
			if (parse_ipv4(optarg, &o->dst_ip) != 0)
				goto bad;
			break;
		case 'i':
			if (parse_ipv4(optarg, &o->src_ip) != 0)
				goto bad;
			break;
		case 'U':
			if (evq_cli_parse_count(optarg, 0, UINT16_MAX, &v) != 0)
				goto bad;
			o->dst_port = (uint16_t)v;
			break;
		case 'u':
			if (evq_cli_parse_count(optarg, 0, UINT16_MAX, &v) != 0)
				goto bad;
			o->src_port = (uint16_t)v;
			break;
		case 'S':
			if (evq_cli_parse_count(optarg, 0, 10000000, &v) != 0)
				goto bad;
			o->sleep_min_ns = v * 1000;
			break;
		case 'W':
			if (evq_cli_parse_count(optarg, 0, 10000000, &v) != 0)
				goto bad;
			o->spin_ns = v * 1000;
			break;
		case 'B':
			if (evq_cli_parse_count(optarg, 0, 1000000, &v) != 0)
				goto bad;
			o->batch_ns = v * 1000;
			break;
		case 'F':
			o->start_file = optarg;
			break;
		case 'P':
			if (evq_cli_parse_count(optarg, 0, 99, &v) != 0)
				goto bad;
			o->rt_prio = (int)v;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "evq-rategen: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	if ((o->off_s > 0.0) != (o->on_s > 0.0) || (o->off_s > 0.0 && o->line_rate)) {
		fprintf(stderr, "evq-rategen: --on and --off go together, with a --rate\n");
		return -EINVAL;
	}
	return 0;
bad:
	fprintf(stderr, "evq-rategen: bad value '%s' for --%s (--help for the ranges)\n",
		optarg, longopts[idx].name);
	return -EINVAL;
}

/*
 * One header template per flow: Ethernet + IPv4 (checksum computed) + UDP
 * (checksum 0, allowed for IPv4). The payload is zeros.
 */
static uint8_t *
build_templates(const struct rategen_opts *o, const struct rte_ether_addr *src_mac)
{
	uint8_t *t = calloc(o->flows, RATEGEN_HDR_LEN);
	unsigned int i;

	if (t == NULL)
		return NULL;
	for (i = 0; i < o->flows; i++) {
		uint8_t *p = t + (size_t)i * RATEGEN_HDR_LEN;
		struct rte_ether_hdr *eth = (struct rte_ether_hdr *)p;
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
		struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
		uint16_t l3_len = (uint16_t)(o->size - RTE_ETHER_HDR_LEN);

		rte_ether_addr_copy(&o->dst_mac, &eth->dst_addr);
		rte_ether_addr_copy(src_mac, &eth->src_addr);
		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->type_of_service = 0;
		ip->total_length = rte_cpu_to_be_16(l3_len);
		ip->packet_id = 0;
		ip->fragment_offset = 0;
		ip->time_to_live = 64;
		ip->next_proto_id = IPPROTO_UDP;
		/* flows: 256 source addresses, then the next source port */
		ip->src_addr = rte_cpu_to_be_32(o->src_ip + (i & 0xff));
		ip->dst_addr = rte_cpu_to_be_32(o->dst_ip);
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		udp->src_port = rte_cpu_to_be_16((uint16_t)(o->src_port + (i >> 8)));
		udp->dst_port = rte_cpu_to_be_16(o->dst_port);
		udp->dgram_len = rte_cpu_to_be_16((uint16_t)(l3_len - sizeof(*ip)));
		udp->dgram_cksum = 0;
	}
	return t;
}

static int
port_setup(const struct rategen_opts *o, struct rte_mempool *mp)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	uint16_t nb_rxd = RATEGEN_RING_SIZE, nb_txd = RATEGEN_RING_SIZE;
	int ret;

	if (!rte_eth_dev_is_valid_port(o->port)) {
		fprintf(stderr, "evq-rategen: no port %u (%u ports: give one with --vdev)\n",
			o->port, rte_eth_dev_count_avail());
		return -ENODEV;
	}
	ret = rte_eth_dev_info_get(o->port, &info);
	if (ret != 0)
		return ret;
	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(o->port, 1, 1, &conf);
	if (ret != 0) {
		fprintf(stderr, "evq-rategen: configure port %u (%s): %s\n", o->port,
			info.driver_name, strerror(-ret));
		return ret;
	}
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(o->port, &nb_rxd, &nb_txd);
	if (ret != 0)
		return ret;
	ret = rte_eth_rx_queue_setup(o->port, 0, nb_rxd, rte_eth_dev_socket_id(o->port),
				     NULL, mp);
	if (ret != 0) {
		fprintf(stderr, "evq-rategen: rx queue setup: %s\n", strerror(-ret));
		return ret;
	}
	ret = rte_eth_tx_queue_setup(o->port, 0, nb_txd, rte_eth_dev_socket_id(o->port),
				     NULL);
	if (ret != 0) {
		fprintf(stderr, "evq-rategen: tx queue setup: %s\n", strerror(-ret));
		return ret;
	}
	ret = rte_eth_dev_start(o->port);
	if (ret != 0) {
		fprintf(stderr, "evq-rategen: start port %u: %s\n", o->port, strerror(-ret));
		return ret;
	}
	/* So echoes with any destination MAC are counted; not all ports can. */
	if (rte_eth_promiscuous_enable(o->port) != 0)
		fprintf(stderr, "evq-rategen: port %u: no promiscuous mode (ignored)\n",
			o->port);
	return 0;
}

static int
wait_link(const struct rategen_opts *o)
{
	uint64_t hz = rte_get_tsc_hz();
	uint64_t deadline = rte_get_tsc_cycles() + (uint64_t)(o->link_wait_s * (double)hz);
	struct rte_eth_link link;

	bool up = o->link_wait_s == 0.0;

	for (;;) {
		if (!up) {
			memset(&link, 0, sizeof(link));
			up = rte_eth_link_get_nowait(o->port, &link) == 0 &&
			     link.link_status == RTE_ETH_LINK_UP;
		}
		if (up && (o->start_file == NULL || access(o->start_file, F_OK) == 0))
			return 0;
		if (rategen_stop || (o->link_wait_s != 0.0 && rte_get_tsc_cycles() > deadline))
			break;
		rte_delay_us_sleep(10000);
	}
	if (!up)
		fprintf(stderr, "evq-rategen: port %u: link still down after %.1f s\n", o->port,
			o->link_wait_s);
	else
		fprintf(stderr, "evq-rategen: port %u: no %s after %.1f s\n", o->port,
			o->start_file, o->link_wait_s);
	return -ETIMEDOUT;
}

static inline void
drain_rx(uint16_t port, struct rategen_counts *c)
{
	struct rte_mbuf *pkts[RATEGEN_MAX_BURST];
	unsigned int i, rounds = 0;
	uint16_t n;

	do {
		n = rte_eth_rx_burst(port, 0, pkts, RATEGEN_MAX_BURST);
		for (i = 0; i < n; i++)
			c->rx_bytes += rte_pktmbuf_pkt_len(pkts[i]);
		c->rx_pkts += n;
		if (n != 0)
			rte_pktmbuf_free_bulk(pkts, n);
	} while (n == RATEGEN_MAX_BURST && ++rounds < 8);
}

/* Sleep about ns nanoseconds; with a 1 ns timer slack this is accurate to a
 * few microseconds, the spin margin covers the rest. */
static void
sleep_ns(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / 1000000000u),
		.tv_nsec = (long)(ns % 1000000000u),
	};

	nanosleep(&ts, NULL);
}

static int
send_burst(const struct rategen_opts *o, struct rte_mempool *mp, const uint8_t *tmpl,
	   unsigned int *flow, unsigned int n, struct rategen_counts *c)
{
	struct rte_mbuf *pkts[RATEGEN_MAX_BURST];
	unsigned int i;
	uint16_t sent;

	if (unlikely(rte_pktmbuf_alloc_bulk(mp, pkts, n) != 0))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);

		rte_memcpy(d, tmpl + (size_t)*flow * RATEGEN_HDR_LEN, RATEGEN_HDR_LEN);
		if (o->size > RATEGEN_HDR_LEN)
			memset(d + RATEGEN_HDR_LEN, 0, o->size - RATEGEN_HDR_LEN);
		m->data_len = (uint16_t)o->size;
		m->pkt_len = o->size;
		m->nb_segs = 1;
		m->ol_flags = 0;
		if (++*flow == o->flows)
			*flow = 0;
	}
	sent = rte_eth_tx_burst(o->port, 0, pkts, (uint16_t)n);
	c->tx_calls++;
	c->tx_pkts += sent;
	if (sent > c->max_burst_sent)
		c->max_burst_sent = sent;
	if (unlikely(sent < n)) {
		c->tx_refused += n - sent;
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
	}
	return 0;
}

static void
run(const struct rategen_opts *o, struct rte_mempool *mp, const uint8_t *tmpl,
    struct rategen_counts *c)
{
	const uint64_t hz = rte_get_tsc_hz();
	const uint64_t start = rte_get_tsc_cycles();
	const uint64_t end = start + (uint64_t)(o->duration_s * (double)hz);
	/* burst pattern: cycles of on + off; the pacer runs on active time */
	const uint64_t on_tsc = (uint64_t)(o->on_s * (double)hz);
	const uint64_t cycle_tsc = on_tsc + (uint64_t)(o->off_s * (double)hz);
	/* the due slots, batching and skipping (app/common/evq_pace.h) */
	struct evq_pace pace;
	unsigned int flow = 0;
	uint64_t now, phase = UINT64_MAX;

	evq_pace_init(&pace, o->rate_pps, hz, o->burst, o->batch_ns);
	c->on_phases = 1;
	while (!rategen_stop && (now = rte_get_tsc_cycles()) < end) {
		uint64_t active = now - start, ns;
		unsigned int n;

		if (o->line_rate) {
			if (send_burst(o, mp, tmpl, &flow, o->burst, c) != 0)
				drain_rx(o->port, c);	/* mbufs come back */
			drain_rx(o->port, c);
			continue;
		}
		if (o->rate_pps == 0) {
			drain_rx(o->port, c);
			sleep_ns(1000000);
			continue;
		}
		if (cycle_tsc > on_tsc) {
			uint64_t cyc = active / cycle_tsc, pos = active % cycle_tsc;

			if (pos >= on_tsc) {
				/* pause: keep counting echoes, send nothing */
				drain_rx(o->port, c);
				sleep_ns(RTE_MIN((uint64_t)1000000, (uint64_t)
					((unsigned __int128)(cycle_tsc - pos) * 1000000000u / hz)));
				continue;
			}
			if (cyc != phase) {
				phase = cyc;
				c->on_phases = cyc + 1;
			}
			active = cyc * on_tsc + pos;
		}
		n = evq_pace_take(&pace, active);
		if (n == 0) {
			drain_rx(o->port, c);
			/* the next wake-up in active time; in wall time it is
			 * at least that far away (a pause only delays it) */
			ns = evq_pace_sleep_ns(&pace, active, o->sleep_min_ns, o->spin_ns);
			if (ns != 0)
				sleep_ns(ns);
			continue;
		}
		if (send_burst(o, mp, tmpl, &flow, n, c) != 0) {
			/* pool empty: the peer holds our mbufs; count as refused */
			c->tx_refused += n;
		}
		evq_pace_consume(&pace, n);
		drain_rx(o->port, c);
	}
	c->skipped = pace.skipped;
	c->elapsed_s = (double)(rte_get_tsc_cycles() - start) / (double)hz;
}

static void
print_summary(const struct rategen_opts *o, const char *driver, const struct rategen_counts *c,
	      const struct rte_eth_stats *st)
{
	double tx_pps = c->elapsed_s > 0 ? (double)c->tx_pkts / c->elapsed_s : 0.0;

	printf("{\"tool\": \"evq-rategen\", \"port\": %u, \"driver\": \"%s\", ", o->port, driver);
	if (o->line_rate)
		printf("\"rate_pps\": null, \"line_rate\": true, ");
	else
		printf("\"rate_pps\": %" PRIu64 ", \"line_rate\": false, ", o->rate_pps);
	printf("\"size\": %u, \"flows\": %u, \"duration_s\": %.3f, \"elapsed_s\": %.6f, "
	       "\"tx_pkts\": %" PRIu64 ", \"tx_refused\": %" PRIu64 ", \"skipped\": %" PRIu64
	       ", \"tx_pps\": %.1f, \"tx_calls\": %" PRIu64 ", \"max_burst\": %" PRIu64
	       ", \"on_phases\": %" PRIu64
	       ", \"rx_pkts\": %" PRIu64 ", \"rx_bytes\": %" PRIu64 ", "
	       "\"port_opackets\": %" PRIu64 ", \"port_oerrors\": %" PRIu64
	       ", \"port_ipackets\": %" PRIu64 ", \"port_imissed\": %" PRIu64
	       ", \"port_ierrors\": %" PRIu64 ", \"port_rx_nombuf\": %" PRIu64 "}\n",
	       o->size, o->flows, o->duration_s, c->elapsed_s,
	       c->tx_pkts, c->tx_refused, c->skipped, tx_pps, c->tx_calls, c->max_burst_sent,
	       c->on_phases, c->rx_pkts, c->rx_bytes,
	       st->opackets, st->oerrors, st->ipackets, st->imissed, st->ierrors,
	       st->rx_nombuf);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	struct rategen_opts o;
	struct rategen_counts c;
	struct rte_eth_stats st;
	struct rte_eth_dev_info info;
	struct rte_ether_addr src_mac;
	struct rte_mempool *mp;
	uint8_t *tmpl;
	int ret, nb_eal;
	uint64_t hz, t_end;

	nb_eal = rte_eal_init(argc, argv);
	if (nb_eal < 0) {
		fprintf(stderr, "evq-rategen: EAL init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argv[nb_eal] = argv[0];
	if (parse_args(argc - nb_eal, argv + nb_eal, &o) != 0) {
		rte_eal_cleanup();
		return 2;
	}
	signal(SIGINT, rategen_signal);
	signal(SIGTERM, rategen_signal);
	/* accurate short sleeps: the default 50 us slack would dominate */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);

	mp = rte_pktmbuf_pool_create("rategen", RATEGEN_NB_MBUFS, 256, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (mp == NULL) {
		fprintf(stderr, "evq-rategen: mbuf pool: %s\n", rte_strerror(rte_errno));
		ret = 1;
		goto out_eal;
	}
	if (port_setup(&o, mp) != 0) {
		ret = 1;
		goto out_eal;
	}
	if (rte_eth_dev_info_get(o.port, &info) != 0) {
		fprintf(stderr, "evq-rategen: port %u: no device info\n", o.port);
		ret = 1;
		goto out_eal;
	}
	if (o.src_mac_set)
		src_mac = o.src_mac;
	else
		rte_eth_macaddr_get(o.port, &src_mac);
	tmpl = build_templates(&o, &src_mac);
	if (tmpl == NULL) {
		fprintf(stderr, "evq-rategen: out of memory\n");
		ret = 1;
		goto out_port;
	}
	if (wait_link(&o) != 0) {
		ret = 1;
		goto out_tmpl;
	}
	memset(&c, 0, sizeof(c));
	/* what arrived before the timed run is not ours */
	drain_rx(o.port, &c);
	memset(&c, 0, sizeof(c));
	rte_eth_stats_reset(o.port);
	if (o.line_rate)
		fprintf(stderr, "evq-rategen: sending on port %u (%s) at line rate for %.3f s\n",
			o.port, info.driver_name, o.duration_s);
	else
		fprintf(stderr, "evq-rategen: sending on port %u (%s) at %" PRIu64
			" pps for %.3f s\n", o.port, info.driver_name, o.rate_pps, o.duration_s);
	if (o.rt_prio != 0) {
		struct sched_param sp = { .sched_priority = o.rt_prio };

		ret = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
		if (ret != 0)
			fprintf(stderr, "evq-rategen: SCHED_FIFO %d refused (%s): pacing may jitter\n",
				o.rt_prio, strerror(ret));
	}
	run(&o, mp, tmpl, &c);
	if (o.rt_prio != 0) {
		struct sched_param sp = { .sched_priority = 0 };

		pthread_setschedparam(pthread_self(), SCHED_OTHER, &sp);
	}

	/* count the echoes still in flight */
	hz = rte_get_tsc_hz();
	t_end = rte_get_tsc_cycles() + (uint64_t)(o.drain_s * (double)hz);
	while (!rategen_stop && rte_get_tsc_cycles() < t_end) {
		drain_rx(o.port, &c);
		sleep_ns(100000);
	}
	memset(&st, 0, sizeof(st));
	rte_eth_stats_get(o.port, &st);
	print_summary(&o, info.driver_name, &c, &st);
	ret = 0;
out_tmpl:
	free(tmpl);
out_port:
	rte_eth_dev_stop(o.port);
	rte_eth_dev_close(o.port);
out_eal:
	rte_eal_cleanup();
	return ret;
}
