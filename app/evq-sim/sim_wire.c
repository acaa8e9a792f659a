/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * sim_wire: what is at the other end of a port's cable.
 *   pair  ports 2k and 2k+1 cabled back to back (TX of one = RX of other)
 *   loop  a port's TX comes back on its own RX
 *   sink  TX is counted and dropped; nothing is received
 *   gen   synthetic RX traffic (size, rate, flows, IPv4/IPv6, UDP/TCP); TX sinks
 *   rategen  evq-rategen's job inside the adapter: a timed send phase of
 *         paced RX traffic, TX counted as the echoes, a JSON summary
 *   tap   a Linux TAP interface (one per port)
 *   pcap  replay a capture into RX, write TX into a capture (libpcap)
 * All callbacks run in the engine thread.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#ifdef EVQ_SIM_HAVE_PCAP
#include <pcap/pcap.h>
#endif

#include "evq_pace.h"
#include "sim.h"

static const char *const sim_wire_names[] = {
	[SIM_WIRE_PAIR] = "pair",
	[SIM_WIRE_LOOP] = "loop",
	[SIM_WIRE_SINK] = "sink",
	[SIM_WIRE_GEN] = "gen",
	[SIM_WIRE_TAP] = "tap",
	[SIM_WIRE_PCAP] = "pcap",
	[SIM_WIRE_RATEGEN] = "rategen",
};

const char *
sim_wire_kind_name(enum sim_wire_kind kind)
{
	return (unsigned int)kind < sizeof(sim_wire_names) / sizeof(sim_wire_names[0]) ?
		sim_wire_names[kind] : "?";
}

int
sim_wire_kind_parse(const char *name, enum sim_wire_kind *kind)
{
	unsigned int i;

	for (i = 0; i < sizeof(sim_wire_names) / sizeof(sim_wire_names[0]); i++) {
		if (strcmp(name, sim_wire_names[i]) == 0) {
			*kind = (enum sim_wire_kind)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* Expand a name template: "%u" becomes the port number; without it, ports
 * other than 0 get ".p<N>" appended (before an extension, if any). */
static void
sim_wire_name(char *out, size_t size, const char *tmpl, unsigned int idx)
{
	const char *pct = strstr(tmpl, "%u");
	const char *dot;

	if (pct != NULL) {
		snprintf(out, size, "%.*s%u%s", (int)(pct - tmpl), tmpl, idx, pct + 2);
		return;
	}
	if (idx == 0) {
		snprintf(out, size, "%s", tmpl);
		return;
	}
	dot = strrchr(tmpl, '.');
	if (dot != NULL && strchr(dot, '/') == NULL)
		snprintf(out, size, "%.*s.p%u%s", (int)(dot - tmpl), tmpl, idx, dot);
	else
		snprintf(out, size, "%s.p%u", tmpl, idx);
}

/* A paced source (gen, pcap): the project's pacer (app/common/evq_pace.h)
 * on the engine's nanosecond clock, from the first frame on; rate 0 =
 * as fast as the port takes. */
struct sim_rate {
	struct evq_pace pace;
	uint64_t t0;
};

static void
sim_rate_init(struct sim_rate *r, uint64_t pps)
{
	evq_pace_init(&r->pace, pps, 1000000000u, SIM_BURST, 0);
	r->t0 = 0;
}

/* How many frames may go now (at most SIM_BURST); the caller passes what
 * it sent to sim_rate_sent(). */
static unsigned int
sim_rate_take(struct sim_rate *r, uint64_t now)
{
	if (r->t0 == 0)
		r->t0 = now;
	return evq_pace_take(&r->pace, now - r->t0);
}

static void
sim_rate_sent(struct sim_rate *r, unsigned int n)
{
	evq_pace_consume(&r->pace, n);
}

/* ----------------------------------------------------- pair / loop --- */

static void
sim_wire_pair_tx(struct sim_port *port, const struct sim_frame *f, unsigned int n)
{
	sim_rx_deliver(port->peer, f, n);
}

static void
sim_wire_loop_tx(struct sim_port *port, const struct sim_frame *f, unsigned int n)
{
	sim_rx_deliver(port, f, n);
}

static void
sim_wire_sink_tx(struct sim_port *port, const struct sim_frame *f, unsigned int n)
{
	(void)port;
	(void)f;
	(void)n;
}

static int
sim_wire_none_open(struct sim_port *port, const struct sim_wire_conf *conf)
{
	(void)port;
	(void)conf;
	return 0;
}

static void
sim_wire_none_close(struct sim_port *port)
{
	(void)port;
}

/* ------------------------------------------------------------- gen --- */

struct sim_gen {
	uint8_t *tmpl;
	/* each template's classification for info_rss_ctrl (frames that never
	 * change need not be parsed and checksummed again per packet) */
	struct evq_pkt_info *info;
	uint32_t info_rss_ctrl;
	bool info_valid;
	uint32_t stride;
	uint32_t size;
	uint32_t nflows;
	uint32_t next;
	bool bcast;
	uint8_t dst[6];
	uint32_t dst_ip;	/* IPv4 destination, host order */
	struct sim_rate rate;
};

static uint16_t
sim_csum_finish(uint32_t sum)
{
	uint16_t c = (uint16_t)~evq_csum_fold(sum);

	return c;
}

static void
sim_gen_build(uint8_t *p, uint32_t size, const struct sim_wire_conf *conf,
		unsigned int port_idx, uint32_t flow, const uint8_t *dst, uint32_t dst_ip)
{
	uint32_t l3 = 14, l4, l4_len, sum;
	bool tcp = conf->gen_l4 == IPPROTO_TCP;
	uint32_t l4_hdr = tcp ? 20 : 8;
	uint16_t v16, sport = (uint16_t)(1024 + (flow % 50000));
	uint16_t dport = (uint16_t)(5000 + (flow / 50000));
	uint32_t i;

	memset(p, 0, size);
	memcpy(p, dst, 6);
	p[6] = 0x02; p[7] = 0x47; p[8] = 0x45; p[9] = 0x4e; p[10] = 0x00;
	p[11] = (uint8_t)port_idx;
	for (i = 0; i < size; i++)
		if (i >= 14)
			p[i] = (uint8_t)(i * 7 + flow);
	if (conf->gen_ipv == 6) {
		uint8_t *ip = p + l3;

		p[12] = 0x86; p[13] = 0xdd;
		l4 = l3 + 40;
		l4_len = size - l4;
		memset(ip, 0, 40);
		ip[0] = 0x60;
		v16 = htons((uint16_t)l4_len);
		memcpy(ip + 4, &v16, 2);
		ip[6] = tcp ? IPPROTO_TCP : IPPROTO_UDP;
		ip[7] = 64;
		/* src fd00::1:<flow>, dst fd00::2 */
		ip[8] = 0xfd; ip[21] = 1;
		ip[22] = (uint8_t)(flow >> 8); ip[23] = (uint8_t)flow;
		ip[24] = 0xfd; ip[39] = 2;
		sum = evq_csum_add(0, ip + 8, 32);
	} else {
		uint8_t *ip = p + l3;

		p[12] = 0x08; p[13] = 0x00;
		l4 = l3 + 20;
		l4_len = size - l4;
		memset(ip, 0, 20);
		ip[0] = 0x45;
		v16 = htons((uint16_t)(size - l3));
		memcpy(ip + 2, &v16, 2);
		ip[8] = 64;
		ip[9] = tcp ? IPPROTO_TCP : IPPROTO_UDP;
		/* src 10.<port>.<flow hi>.<flow lo>, dst --gen-dst-ip */
		ip[12] = 10; ip[13] = (uint8_t)port_idx;
		ip[14] = (uint8_t)(flow >> 8); ip[15] = (uint8_t)flow;
		ip[16] = (uint8_t)(dst_ip >> 24); ip[17] = (uint8_t)(dst_ip >> 16);
		ip[18] = (uint8_t)(dst_ip >> 8); ip[19] = (uint8_t)dst_ip;
		v16 = htons(sim_csum_finish(evq_csum_add(0, ip, 20)));
		memcpy(ip + 10, &v16, 2);
		sum = evq_csum_add(0, ip + 12, 8);
	}
	{
		uint8_t *l = p + l4;
		uint8_t pseudo[4] = { 0, 0, 0, 0 };

		memset(l, 0, l4_hdr);
		v16 = htons(sport);
		memcpy(l, &v16, 2);
		v16 = htons(dport);
		memcpy(l + 2, &v16, 2);
		if (tcp) {
			l[12] = 5 << 4;
			l[13] = 0x10;		/* ACK */
			v16 = htons(65535);
			memcpy(l + 14, &v16, 2);
		} else {
			v16 = htons((uint16_t)l4_len);
			memcpy(l + 4, &v16, 2);
		}
		pseudo[1] = tcp ? IPPROTO_TCP : IPPROTO_UDP;
		pseudo[2] = (uint8_t)(l4_len >> 8);
		pseudo[3] = (uint8_t)l4_len;
		sum = evq_csum_add(sum, pseudo, 4);
		sum = evq_csum_add(sum, l, l4_len);
		v16 = sim_csum_finish(sum);
		if (!tcp && v16 == 0)
			v16 = 0xffff;
		v16 = htons(v16);
		memcpy(l + (tcp ? 16 : 6), &v16, 2);
	}
}

static uint32_t
sim_gen_min_size(const struct sim_wire_conf *conf)
{
	return 14 + (conf->gen_ipv == 6 ? 40 : 20) + (conf->gen_l4 == IPPROTO_TCP ? 20 : 8);
}

static void
sim_gen_rebuild(struct sim_port *port, struct sim_gen *g)
{
	uint32_t f;

	for (f = 0; f < g->nflows; f++)
		sim_gen_build(g->tmpl + (size_t)f * g->stride, g->size, port->wire_conf,
			port->idx, f, g->dst, g->dst_ip);
	g->info_valid = false;
}

/* Classify every template as the RX path would, for the current RSS
 * hash types. */
static void
sim_gen_classify(struct sim_port *port, struct sim_gen *g)
{
	uint32_t f;

	for (f = 0; f < g->nflows; f++)
		evq_pkt_parse(g->tmpl + (size_t)f * g->stride, g->size, port->rss_ctrl,
			EVQ_PARSE_F_CSUM, &g->info[f]);
	g->info_rss_ctrl = port->rss_ctrl;
	g->info_valid = true;
}

/* The templates of a port's generated traffic (gen and rategen wires). */
static int
sim_gen_init(struct sim_port *port, struct sim_gen *g, const struct sim_wire_conf *conf)
{
	uint32_t size = conf->gen_size;

	if (size < sim_gen_min_size(conf)) {
		SIM_LOG(WARNING, "gen: %u-byte frames cannot hold the headers; using %u",
			size, sim_gen_min_size(conf));
		size = sim_gen_min_size(conf);
	}
	g->size = size;
	g->stride = (size + SIM_CACHE_LINE - 1) & ~(SIM_CACHE_LINE - 1u);
	g->nflows = conf->gen_flows;
	g->bcast = conf->gen_bcast;
	g->dst_ip = conf->gen_dst_ip;
	sim_rate_init(&g->rate, conf->rate_pps);
	g->tmpl = sim_zalloc((size_t)g->stride * g->nflows);
	g->info = calloc(g->nflows, sizeof(*g->info));
	if (g->tmpl == NULL || g->info == NULL) {
		free(g->tmpl);
		free(g->info);
		return -ENOMEM;
	}
	if (g->bcast)
		memset(g->dst, 0xff, 6);
	else
		memcpy(g->dst, port->mac, 6);
	sim_gen_rebuild(port, g);
	return 0;
}

static void
sim_gen_fini(struct sim_gen *g)
{
	free(g->tmpl);
	free(g->info);
}

/* Deliver the next n (<= SIM_GEN_BURST_MAX) generated frames into the
 * port's RX, rebuilding the templates when the port's MAC or RSS setting
 * changed. */
static void
sim_gen_deliver(struct sim_port *port, struct sim_gen *g, unsigned int n)
{
	struct sim_frame frames[SIM_GEN_BURST_MAX];
	const struct evq_pkt_info *infos[SIM_GEN_BURST_MAX];
	unsigned int i;

	if (sim_unlikely(!g->bcast && memcmp(g->dst, port->mac, 6) != 0)) {
		memcpy(g->dst, port->mac, 6);
		sim_gen_rebuild(port, g);
	}
	if (sim_unlikely(!g->info_valid || g->info_rss_ctrl != port->rss_ctrl))
		sim_gen_classify(port, g);
	for (i = 0; i < n; i++) {
		frames[i].data = g->tmpl + (size_t)g->next * g->stride;
		frames[i].len = g->size;
		infos[i] = &g->info[g->next];
		if (++g->next == g->nflows)
			g->next = 0;
	}
	sim_rx_deliver_parsed(port, frames, infos, n);
}

static int
sim_wire_gen_open(struct sim_port *port, const struct sim_wire_conf *conf)
{
	struct sim_gen *g = calloc(1, sizeof(*g));
	int ret;

	if (g == NULL)
		return -ENOMEM;
	ret = sim_gen_init(port, g, conf);
	if (ret != 0) {
		free(g);
		return ret;
	}
	port->wire_priv = g;
	return 0;
}

static void
sim_wire_gen_close(struct sim_port *port)
{
	struct sim_gen *g = port->wire_priv;

	if (g != NULL) {
		sim_gen_fini(g);
		free(g);
	}
	port->wire_priv = NULL;
}

static unsigned int
sim_wire_gen_rx(struct sim_port *port, uint64_t now)
{
	struct sim_gen *g = port->wire_priv;
	unsigned int n;

	if (!port->datapath || port->rxq_enabled_mask == 0)
		return 0;
	n = sim_rate_take(&g->rate, now);
	if (n == 0)
		return 0;
	sim_gen_deliver(port, g, n);
	sim_rate_sent(&g->rate, n);
	return n;
}

/* --------------------------------------------------------- rategen --- */

/*
 * evq-rategen's measurement, done by the adapter itself so that the
 * generator costs no thread of its own (as vhost-user's generator lives
 * in net_vhost's caller): once the port's datapath is up, an Rx queue is
 * enabled and --gen-start-file exists, it sends the gen templates at
 * --rate for --gen-duration seconds with evq-rategen's pacer (--gen-burst,
 * --gen-batch-us); every frame the port transmits from then on is counted
 * as an echo. --gen-drain seconds after the send phase it prints one JSON
 * line on stdout with evq-rategen's field names: tx_pkts (frames the port
 * took), tx_refused (frames it dropped, split by cause: missed, itself
 * split into no Rx descriptor, EQ refusal and queue not enabled; filtered;
 * errors), skipped, rx_pkts (echoes). Loss =
 * tx_pkts + tx_refused - rx_pkts, as for evq-rategen. A --rate of 0 sends
 * nothing (only counts). The engine polls the doorbell page and never
 * sleeps: evq-rategen's sleep, spin and real-time options have no
 * counterpart here.
 */
struct sim_rategen {
	struct sim_gen gen;
	struct evq_pace pace;
	uint64_t t0;			/* send phase start; 0 = not started */
	uint64_t end;			/* send phase end */
	uint64_t drain_end;		/* summary time */
	uint64_t next_check;		/* of the start file */
	bool done;			/* summary printed */
	uint64_t tx_pkts;		/* offered and taken by the port */
	uint64_t refused_missed;	/* missed: the three causes below */
	uint64_t missed_desc;		/* no Rx descriptor posted */
	uint64_t missed_eq;		/* the queue's EQ refused the events */
	uint64_t missed_off;		/* the Rx queue was not enabled */
	uint64_t refused_filtered;	/* MAC/VLAN filter, or datapath down */
	uint64_t refused_errors;	/* frame errors */
	uint64_t rx_pkts;		/* transmitted by the port: the echoes */
	uint64_t rx_bytes;
};

static void
sim_rategen_summary(struct sim_port *port, struct sim_rategen *r, uint64_t now, bool complete)
{
	const struct sim_wire_conf *conf = port->wire_conf;
	uint64_t send_end = now < r->end ? now : r->end;
	double elapsed = (double)(send_end - r->t0) / 1e9;

	printf("{\"tool\": \"evq-sim\", \"wire\": \"rategen\", \"port\": %u, "
		"\"complete\": %s, \"rate_pps\": %llu, \"size\": %u, \"flows\": %u, "
		"\"duration_s\": %.3f, \"elapsed_s\": %.6f, \"tx_pkts\": %llu, "
		"\"tx_refused\": %llu, \"refused_missed\": %llu, \"refused_filtered\": %llu, "
		"\"refused_errors\": %llu, \"missed_no_desc\": %llu, \"missed_eq\": %llu, "
		"\"missed_queue_off\": %llu, \"skipped\": %llu, \"tx_pps\": %.1f, "
		"\"rx_pkts\": %llu, \"rx_bytes\": %llu}\n",
		port->idx, complete ? "true" : "false", (unsigned long long)conf->rate_pps,
		r->gen.size, r->gen.nflows, (double)conf->gen_duration_ns / 1e9, elapsed,
		(unsigned long long)r->tx_pkts,
		(unsigned long long)(r->refused_missed + r->refused_filtered + r->refused_errors),
		(unsigned long long)r->refused_missed, (unsigned long long)r->refused_filtered,
		(unsigned long long)r->refused_errors, (unsigned long long)r->missed_desc,
		(unsigned long long)r->missed_eq, (unsigned long long)r->missed_off,
		(unsigned long long)r->pace.skipped,
		elapsed > 0 ? (double)r->tx_pkts / elapsed : 0.0,
		(unsigned long long)r->rx_pkts, (unsigned long long)r->rx_bytes);
	fflush(stdout);
	r->done = true;
}

static int
sim_wire_rategen_open(struct sim_port *port, const struct sim_wire_conf *conf)
{
	struct sim_rategen *r = calloc(1, sizeof(*r));
	int ret;

	if (r == NULL)
		return -ENOMEM;
	ret = sim_gen_init(port, &r->gen, conf);
	if (ret != 0) {
		free(r);
		return ret;
	}
	evq_pace_init(&r->pace, conf->rate_pps, 1000000000u, conf->gen_burst,
		conf->gen_batch_ns);
	port->wire_priv = r;
	return 0;
}

static void
sim_wire_rategen_close(struct sim_port *port)
{
	struct sim_rategen *r = port->wire_priv;

	if (r == NULL)
		return;
	/* stopped before the drain was over: the counts so far */
	if (r->t0 != 0 && !r->done)
		sim_rategen_summary(port, r, sim_now_ns(), false);
	sim_gen_fini(&r->gen);
	free(r);
	port->wire_priv = NULL;
}

static void
sim_wire_rategen_tx(struct sim_port *port, const struct sim_frame *f, unsigned int n)
{
	struct sim_rategen *r = port->wire_priv;
	unsigned int i;

	if (r->t0 == 0 || r->done)
		return;		/* not ours: before the run or after the summary */
	r->rx_pkts += n;
	for (i = 0; i < n; i++)
		r->rx_bytes += f[i].len;
}

/* Is it time to begin? (the start file is looked for every 10 ms) */
static bool
sim_rategen_ready(struct sim_port *port, struct sim_rategen *r, uint64_t now)
{
	const char *file = port->wire_conf->gen_start_file;

	if (!port->datapath || port->rxq_enabled_mask == 0)
		return false;
	if (file == NULL)
		return true;
	if (now < r->next_check)
		return false;
	r->next_check = now + 10000000u;
	return access(file, F_OK) == 0;
}

static unsigned int
sim_wire_rategen_rx(struct sim_port *port, uint64_t now)
{
	const struct sim_wire_conf *conf = port->wire_conf;
	struct sim_rategen *r = port->wire_priv;
	uint64_t s0, s1, s2, s3, m0, m1, m2;
	unsigned int n;

	if (sim_unlikely(r->t0 == 0)) {
		if (r->done || !sim_rategen_ready(port, r, now))
			return 0;
		r->t0 = now;
		r->end = now + conf->gen_duration_ns;
		r->drain_end = r->end + conf->gen_drain_ns;
		fprintf(stderr, "evq-sim: port %u: rategen: sending at %llu pps for %.3f s\n",
			port->idx, (unsigned long long)conf->rate_pps,
			(double)conf->gen_duration_ns / 1e9);
	}
	if (r->done)
		return 0;
	if (now >= r->end) {
		if (now >= r->drain_end)
			sim_rategen_summary(port, r, now, true);
		return 0;
	}
	if (conf->rate_pps == 0)
		return 0;
	n = evq_pace_take(&r->pace, now - r->t0);
	if (n == 0)
		return 0;
	/* what the port did with them, from its own counters */
	s0 = port->stats[EVQ_STAT_RX_PACKETS];
	s1 = port->stats[EVQ_STAT_RX_MISSED];
	s2 = port->stats[EVQ_STAT_RX_FILTERED];
	s3 = port->stats[EVQ_STAT_RX_ERRORS];
	m0 = port->cnt.rx_miss_desc;
	m1 = port->cnt.rx_miss_eq;
	m2 = port->cnt.rx_miss_off;
	sim_gen_deliver(port, &r->gen, n);
	evq_pace_consume(&r->pace, n);
	r->tx_pkts += port->stats[EVQ_STAT_RX_PACKETS] - s0;
	r->refused_missed += port->stats[EVQ_STAT_RX_MISSED] - s1;
	r->refused_filtered += port->stats[EVQ_STAT_RX_FILTERED] - s2;
	r->refused_errors += port->stats[EVQ_STAT_RX_ERRORS] - s3;
	r->missed_desc += port->cnt.rx_miss_desc - m0;
	r->missed_eq += port->cnt.rx_miss_eq - m1;
	r->missed_off += port->cnt.rx_miss_off - m2;
	return n;
}

/* ------------------------------------------------------------- tap --- */

struct sim_tap {
	int fd;
	char name[IFNAMSIZ];
	uint64_t next_poll;
	uint8_t *buf;		/* SIM_BURST frames */
};

static int
sim_wire_tap_open(struct sim_port *port, const struct sim_wire_conf *conf)
{
	struct sim_tap *t = calloc(1, sizeof(*t));
	struct ifreq ifr;
	int sock, ret;

	if (t == NULL)
		return -ENOMEM;
	t->buf = malloc((size_t)SIM_BURST * SIM_FRAME_MAX);
	t->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (t->buf == NULL || t->fd < 0) {
		ret = t->buf == NULL ? -ENOMEM : -errno;
		SIM_LOG(ERR, "tap: cannot open /dev/net/tun: %s", strerror(-ret));
		goto fail;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	sim_wire_name(ifr.ifr_name, IFNAMSIZ, conf->tap_name, port->idx);
	if (ioctl(t->fd, TUNSETIFF, &ifr) < 0) {
		ret = -errno;
		SIM_LOG(ERR, "tap: TUNSETIFF %s: %s", ifr.ifr_name, strerror(errno));
		goto fail;
	}
	snprintf(t->name, sizeof(t->name), "%s", ifr.ifr_name);
	/* bring it up so that traffic flows without extra setup */
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock >= 0) {
		if (ioctl(sock, SIOCGIFFLAGS, &ifr) == 0) {
			ifr.ifr_flags |= IFF_UP;
			if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0)
				SIM_LOG(WARNING, "tap: cannot bring %s up: %s", t->name,
					strerror(errno));
		}
		close(sock);
	}
	SIM_LOG(INFO, "port %u: wire tap %s", port->idx, t->name);
	port->wire_priv = t;
	return 0;
fail:
	if (t->fd >= 0)
		close(t->fd);
	free(t->buf);
	free(t);
	return ret;
}

static void
sim_wire_tap_close(struct sim_port *port)
{
	struct sim_tap *t = port->wire_priv;

	if (t != NULL) {
		close(t->fd);
		free(t->buf);
		free(t);
	}
	port->wire_priv = NULL;
}

static void
sim_wire_tap_tx(struct sim_port *port, const struct sim_frame *f, unsigned int n)
{
	struct sim_tap *t = port->wire_priv;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (write(t->fd, f[i].data, f[i].len) < 0)
			port->cnt.wire_tx_drops++;
}

static unsigned int
sim_wire_tap_rx(struct sim_port *port, uint64_t now)
{
	struct sim_tap *t = port->wire_priv;
	struct sim_frame frames[SIM_BURST];
	unsigned int n = 0;

	/* a read is a system call: look at most every 5 us */
	if (now < t->next_poll)
		return 0;
	t->next_poll = now + 5000;
	while (n < SIM_BURST) {
		uint8_t *b = t->buf + (size_t)n * SIM_FRAME_MAX;
		ssize_t len = read(t->fd, b, SIM_FRAME_MAX);

		if (len <= 0)
			break;
		frames[n].data = b;
		frames[n].len = (uint32_t)len;
		n++;
	}
	if (n != 0) {
		t->next_poll = 0;
		sim_rx_deliver(port, frames, n);
	}
	return n;
}

/* ------------------------------------------------------------ pcap --- */

#ifdef EVQ_SIM_HAVE_PCAP
#define SIM_PCAP_MAX_PKTS	(1u << 20)
#define SIM_PCAP_MAX_BYTES	(512u << 20)

struct sim_pcap {
	uint8_t *data;
	uint32_t *off;
	uint32_t *len;
	uint32_t npkts;
	uint32_t next;
	uint64_t loops_done;
	uint64_t loops;
	struct sim_rate rate;
	pcap_t *dead;
	pcap_dumper_t *dumper;
};

static int
sim_pcap_load(struct sim_pcap *p, const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *bytes;
	size_t used = 0, cap = 1u << 20;
	pcap_t *in;
	int ret;

	in = pcap_open_offline(path, err);
	if (in == NULL) {
		SIM_LOG(ERR, "pcap: %s", err);
		return -EINVAL;
	}
	if (pcap_datalink(in) != DLT_EN10MB) {
		SIM_LOG(ERR, "pcap: %s is not an Ethernet capture", path);
		pcap_close(in);
		return -EINVAL;
	}
	p->data = malloc(cap);
	p->off = malloc(SIM_PCAP_MAX_PKTS * sizeof(uint32_t));
	p->len = malloc(SIM_PCAP_MAX_PKTS * sizeof(uint32_t));
	if (p->data == NULL || p->off == NULL || p->len == NULL) {
		pcap_close(in);
		return -ENOMEM;
	}
	while ((ret = pcap_next_ex(in, &h, &bytes)) == 1) {
		uint32_t l = h->caplen;

		if (l > SIM_FRAME_MAX || l < EVQ_FRAME_MIN)
			continue;
		if (p->npkts == SIM_PCAP_MAX_PKTS || used + l > SIM_PCAP_MAX_BYTES) {
			SIM_LOG(WARNING, "pcap: %s truncated at %u packets", path, p->npkts);
			break;
		}
		if (used + l > cap) {
			uint8_t *nd;

			cap *= 2;
			nd = realloc(p->data, cap);
			if (nd == NULL) {
				pcap_close(in);
				return -ENOMEM;
			}
			p->data = nd;
		}
		memcpy(p->data + used, bytes, l);
		p->off[p->npkts] = (uint32_t)used;
		p->len[p->npkts] = l;
		p->npkts++;
		used += l;
	}
	pcap_close(in);
	SIM_LOG(INFO, "pcap: %u packets from %s", p->npkts, path);
	return 0;
}

static int
sim_wire_pcap_open(struct sim_port *port, const struct sim_wire_conf *conf)
{
	struct sim_pcap *p = calloc(1, sizeof(*p));
	char name[4096];
	int ret;

	if (p == NULL)
		return -ENOMEM;
	p->loops = conf->pcap_loops;
	sim_rate_init(&p->rate, conf->rate_pps);
	port->wire_priv = p;
	if (conf->pcap_in != NULL) {
		ret = sim_pcap_load(p, conf->pcap_in);
		if (ret != 0)
			return ret;
	}
	if (conf->pcap_out != NULL) {
		sim_wire_name(name, sizeof(name), conf->pcap_out, port->idx);
		p->dead = pcap_open_dead(DLT_EN10MB, SIM_FRAME_MAX);
		p->dumper = p->dead != NULL ? pcap_dump_open(p->dead, name) : NULL;
		if (p->dumper == NULL) {
			SIM_LOG(ERR, "pcap: cannot write %s: %s", name,
				p->dead != NULL ? pcap_geterr(p->dead) : "no memory");
			return -EIO;
		}
		SIM_LOG(INFO, "port %u: TX written to %s", port->idx, name);
	}
	return 0;
}

static void
sim_wire_pcap_close(struct sim_port *port)
{
	struct sim_pcap *p = port->wire_priv;

	if (p == NULL)
		return;
	if (p->dumper != NULL) {
		pcap_dump_flush(p->dumper);
		pcap_dump_close(p->dumper);
	}
	if (p->dead != NULL)
		pcap_close(p->dead);
	free(p->data);
	free(p->off);
	free(p->len);
	free(p);
	port->wire_priv = NULL;
}

static void
sim_wire_pcap_tx(struct sim_port *port, const struct sim_frame *f, unsigned int n)
{
	struct sim_pcap *p = port->wire_priv;
	struct pcap_pkthdr h;
	unsigned int i;

	if (p->dumper == NULL)
		return;
	gettimeofday(&h.ts, NULL);
	for (i = 0; i < n; i++) {
		h.caplen = h.len = f[i].len;
		pcap_dump((u_char *)p->dumper, &h, f[i].data);
	}
}

static unsigned int
sim_wire_pcap_rx(struct sim_port *port, uint64_t now)
{
	struct sim_pcap *p = port->wire_priv;
	struct sim_frame frames[SIM_BURST];
	unsigned int n, i;

	if (p->npkts == 0 || !port->datapath || port->rxq_enabled_mask == 0)
		return 0;
	if (p->loops != 0 && p->loops_done >= p->loops)
		return 0;
	n = sim_rate_take(&p->rate, now);
	for (i = 0; i < n; i++) {
		frames[i].data = p->data + p->off[p->next];
		frames[i].len = p->len[p->next];
		if (++p->next == p->npkts) {
			p->next = 0;
			if (++p->loops_done == p->loops) {
				i++;
				break;
			}
		}
	}
	n = i;
	sim_rate_sent(&p->rate, n);
	if (n != 0)
		sim_rx_deliver(port, frames, n);
	return n;
}
#endif /* EVQ_SIM_HAVE_PCAP */

/* ------------------------------------------------------------ table --- */

static const struct sim_wire_ops sim_wire_table[] = {
	[SIM_WIRE_PAIR] = { "pair", sim_wire_none_open, sim_wire_none_close,
		sim_wire_pair_tx, NULL },
	[SIM_WIRE_LOOP] = { "loop", sim_wire_none_open, sim_wire_none_close,
		sim_wire_loop_tx, NULL },
	[SIM_WIRE_SINK] = { "sink", sim_wire_none_open, sim_wire_none_close,
		sim_wire_sink_tx, NULL },
	[SIM_WIRE_GEN] = { "gen", sim_wire_gen_open, sim_wire_gen_close,
		sim_wire_sink_tx, sim_wire_gen_rx },
	[SIM_WIRE_TAP] = { "tap", sim_wire_tap_open, sim_wire_tap_close,
		sim_wire_tap_tx, sim_wire_tap_rx },
#ifdef EVQ_SIM_HAVE_PCAP
	[SIM_WIRE_PCAP] = { "pcap", sim_wire_pcap_open, sim_wire_pcap_close,
		sim_wire_pcap_tx, sim_wire_pcap_rx },
#endif
	[SIM_WIRE_RATEGEN] = { "rategen", sim_wire_rategen_open, sim_wire_rategen_close,
		sim_wire_rategen_tx, sim_wire_rategen_rx },
};

const struct sim_wire_ops *
sim_wire_ops_get(enum sim_wire_kind kind)
{
	if ((unsigned int)kind >= sizeof(sim_wire_table) / sizeof(sim_wire_table[0]) ||
			sim_wire_table[kind].name == NULL)
		return NULL;
	return &sim_wire_table[kind];
}
