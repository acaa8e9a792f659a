/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * ring_wakeup: the evq_ring demo. Two lcores exchange events over one
 * evq_ring that lives in an rte_memzone:
 *
 *   producer (main lcore)                consumer (worker lcore)
 *   bursts of events, then a pause  -->  polls the ring while there is work;
 *   a post on an ARMED ring signals      when idle, arms the ring and sleeps
 *   its eventfd (once)                   in rte_epoll_wait on that eventfd
 *
 * This is the event-queue interrupt scheme in miniature: the consumer
 * never reads a shared index (it polls the next entry's event code), and
 * going to sleep costs ONE doorbell store (evq_ring_arm_check). The
 * producer raises at most one signal per arm, exactly when events are
 * pending, so there are no lost and no spurious wake-ups. The program
 * counts both and says OK or FAIL (exit code 0 or 1).
 *
 * Run: evq-ring-wakeup -l 0-1 --no-huge -m 256 --no-pci -- [--events N]
 *      [--pause-us N] [--idle-us N]
 * (--idle-us 0 --pause-us 5 makes posts race the arm all the time.)
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_epoll.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_memzone.h>
#include <rte_pause.h>

#include "evq_cli.h"
#include "evq_ring.h"

#define RING_ENTRIES		1024	/* power of two */
#define ENTRY_SIZE		16	/* control word + seq + post time */
#define RING_NUMBER		0
#define CODE_WORK		0x01	/* our one event code (0x01..0xfe) */
#define MAX_BURST		32
#define SLEEP_TIMEOUT_MS	1000	/* far above any pause: a timeout with
					 * events pending is a lost wake-up */
#define MAX_PAUSE_US		100000

/* One event: the entry layout this demo chose (16 bytes). */
struct demo_event {
	uint32_t ctrl;		/* code CODE_WORK | low 24 bits of seq */
	uint32_t seq;		/* event number, 0, 1, 2, ... */
	uint64_t post_tsc;	/* producer's TSC just before the post */
};
_Static_assert(sizeof(struct demo_event) == ENTRY_SIZE, "entry layout");

static uint64_t opt_events = 200000;
static unsigned int opt_pause_us = 200;
static unsigned int opt_idle_us = 50;	/* empty polling this long, then sleep */

/* Everything the two lcores share, besides the memzone. */
static struct {
	struct rte_memzone const *mz;	/* the ring (struct evq_ring_shm) */
	int efd;			/* the signal: producer -> consumer */
} demo;

/* Consumer's account of what happened (written by the consumer only). */
struct consumer_stats {
	uint64_t received;
	uint64_t order_errors;		/* wrong seq, code or parameter */
	uint64_t arms;			/* evq_ring_arm_check() calls */
	uint64_t armed_with_work;	/* ... that found events pending */
	uint64_t sleeps;		/* rte_epoll_wait() calls */
	uint64_t wakeups;		/* ... that returned the eventfd */
	uint64_t spurious;		/* wake-ups with no event pending */
	uint64_t timeouts;		/* sleeps that ended by timeout */
	uint64_t lost;			/* timeouts with events pending */
	uint64_t drained;		/* eventfd counts read back */
	uint64_t asleep_cycles;
	uint64_t wake_lat_cycles;	/* post -> awake, summed */
	uint64_t wake_lat_max;
	uint64_t wake_lat_samples;
	int error;
};

static struct consumer_stats cstats;

/* Small deterministic generator: burst sizes and pauses vary. */
static uint64_t
xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

/* Drain the eventfd; returns the count read (0 if it was empty). */
static uint64_t
eventfd_drain(int fd)
{
	uint64_t v;

	if (read(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		return 0;	/* EAGAIN: nothing there */
	return v;
}

/* Take what is in the ring, check it, and note the wake-up latency of the
 * first event seen after a wake-up. Returns the number of events taken. */
static unsigned int
consumer_poll(struct evq_ring_cons *cons, bool just_woke, uint64_t woke_tsc)
{
	struct demo_event ev[MAX_BURST];
	unsigned int n, i;

	n = evq_ring_poll_burst(cons, ev, MAX_BURST);
	for (i = 0; i < n; i++) {
		uint32_t want = (uint32_t)cstats.received;

		if (ev[i].seq != want ||
				evq_ctrl_code(ev[i].ctrl) != CODE_WORK ||
				evq_ctrl_param(ev[i].ctrl) !=
					(want & EVQ_CTRL_PARAM_MASK))
			cstats.order_errors++;
		cstats.received++;
	}
	if (n != 0 && just_woke && woke_tsc > ev[0].post_tsc) {
		uint64_t lat = woke_tsc - ev[0].post_tsc;

		cstats.wake_lat_cycles += lat;
		cstats.wake_lat_samples++;
		if (lat > cstats.wake_lat_max)
			cstats.wake_lat_max = lat;
	}
	return n;
}

/*
 * The consumer lcore: poll while there is work; after --idle-us of empty
 * polls, arm and sleep until the producer signals.
 */
static int
consumer_main(void *arg)
{
	struct evq_ring_cons cons;
	struct rte_epoll_event ev_reg, ev_out;
	const uint64_t idle_cycles = rte_get_tsc_hz() / 1000000 * opt_idle_us;
	uint64_t idle_since = 0;
	int rc;

	(void)arg;
	rc = evq_ring_shm_cons_attach(&cons, demo.mz->addr, demo.mz->len, 0);
	if (rc < 0) {
		printf("consumer: cannot attach to the ring: %s\n", strerror(-rc));
		cstats.error = rc;
		return rc;
	}

	/*
	 * Register the eventfd with this lcore's own epoll instance, as an
	 * ethdev Rx interrupt would be (rte_eth_dev_rx_intr_ctl_q). Level
	 * triggered: a signal not yet drained keeps the next wait short.
	 */
	memset(&ev_reg, 0, sizeof(ev_reg));
	ev_reg.epdata.event = EPOLLIN;
	ev_reg.epdata.data = NULL;
	rc = rte_epoll_ctl(RTE_EPOLL_PER_THREAD, EPOLL_CTL_ADD, demo.efd, &ev_reg);
	if (rc < 0) {
		printf("consumer: rte_epoll_ctl failed (%d)\n", rc);
		cstats.error = -EIO;
		return -EIO;
	}

	while (cstats.received < opt_events) {
		uint64_t t0, t1;
		int n;

		/* 1. Poll: one load of the next entry's code, no shared index. */
		if (consumer_poll(&cons, false, 0) != 0) {
			idle_since = 0;
			continue;
		}
		if (idle_since == 0)
			idle_since = rte_rdtsc();
		if (rte_rdtsc() - idle_since < idle_cycles) {
			rte_pause();
			continue;
		}
		idle_since = 0;

		/*
		 * 2. Idle: arm. One doorbell store (ARMED | VALID | ring |
		 * read count); the library then checks the ring itself, so an
		 * event posted just before the arm is not slept on.
		 */
		cstats.arms++;
		if (evq_ring_arm_check(&cons) == 1) {
			cstats.armed_with_work++;
			continue;	/* events arrived meanwhile: poll */
		}

		/* 3. Sleep until the producer's post signals the eventfd. */
		cstats.sleeps++;
		t0 = rte_rdtsc();
		n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, &ev_out, 1,
				SLEEP_TIMEOUT_MS);
		t1 = rte_rdtsc();
		cstats.asleep_cycles += t1 - t0;
		if (n < 0) {
			printf("consumer: rte_epoll_wait failed (%d)\n", n);
			cstats.error = -EIO;
			break;
		}
		if (n == 0) {
			/* No signal. The ring is still armed: take that back
			 * (a signal racing this store is drained later). */
			cstats.timeouts++;
			evq_ring_disarm(&cons);
			if (evq_ring_pending(&cons)) {
				cstats.lost++;
				printf("consumer: LOST WAKE-UP: slept %d ms with "
						"events pending\n", SLEEP_TIMEOUT_MS);
			}
			continue;
		}

		/* 4. Woken: the producer cleared ARMED when it signalled. */
		cstats.wakeups++;
		cstats.drained += eventfd_drain(demo.efd);
		if (consumer_poll(&cons, true, t1) == 0)
			cstats.spurious++;
	}

	rte_epoll_ctl(RTE_EPOLL_PER_THREAD, EPOLL_CTL_DEL, demo.efd, &ev_reg);
	return cstats.error;
}

/*
 * The producer (main lcore): bursts of 1..MAX_BURST events, each followed
 * by a pause of 0..2*pause_us microseconds, so the consumer sometimes
 * still polls when the next burst comes and sometimes sleeps.
 */
static int
producer_run(struct evq_ring_prod *prod, uint64_t *bursts,
		uint64_t *backpressure)
{
	struct demo_event ev[MAX_BURST];
	uint64_t seed = 0x9e3779b97f4a7c15ull, seq = 0;

	while (seq < opt_events) {
		unsigned int n = 1 + xorshift64(&seed) % MAX_BURST, i;
		uint64_t now;
		int rc;

		if (n > opt_events - seq)
			n = (unsigned int)(opt_events - seq);
		now = rte_rdtsc();
		for (i = 0; i < n; i++) {
			ev[i].ctrl = evq_ctrl_make(CODE_WORK, (uint32_t)(seq + i));
			ev[i].seq = (uint32_t)(seq + i);
			ev[i].post_tsc = now;
		}
		/*
		 * Post. If the consumer had armed the ring, this call raises
		 * the signal (one eventfd write) and disarms it in the same
		 * atomic step. -ENOBUFS: the ring is full, retry.
		 */
		while ((rc = evq_ring_try_post_burst(prod, ev, n)) == -ENOBUFS) {
			(*backpressure)++;
			rte_pause();
		}
		if (rc < 0) {
			printf("producer: post failed: %s\n", strerror(-rc));
			return rc;
		}
		seq += n;
		(*bursts)++;
		if (opt_pause_us != 0)
			rte_delay_us_block(xorshift64(&seed) % (2 * opt_pause_us + 1));
	}
	return 0;
}

static void
usage(const char *prog)
{
	printf("usage: %s [EAL args] -- [--events N] [--pause-us N] "
		"[--idle-us N]\n"
		"  --events N    events to send (default %" PRIu64 ")\n"
		"  --pause-us N  mean pause between bursts, microseconds "
		"(default %u, max %u)\n"
		"  --idle-us N   consumer polls an empty ring this long before "
		"it sleeps (default %u)\n", prog, opt_events, opt_pause_us,
		MAX_PAUSE_US, opt_idle_us);
}

static int
parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "events", required_argument, NULL, 'e' },
		{ "pause-us", required_argument, NULL, 'p' },
		{ "idle-us", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'e':
			if (evq_cli_parse_count(optarg, 1, 1ull << 40, &v) != 0) {
				printf("bad --events '%s'\n", optarg);
				return -EINVAL;
			}
			opt_events = v;
			break;
		case 'p':
			if (evq_cli_parse_count(optarg, 0, MAX_PAUSE_US, &v) != 0) {
				printf("bad --pause-us '%s'\n", optarg);
				return -EINVAL;
			}
			opt_pause_us = (unsigned int)v;
			break;
		case 'i':
			if (evq_cli_parse_count(optarg, 0, MAX_PAUSE_US, &v) != 0) {
				printf("bad --idle-us '%s'\n", optarg);
				return -EINVAL;
			}
			opt_idle_us = (unsigned int)v;
			break;
		case 'h':
			usage(argv[0]);
			exit(0);
		default:
			usage(argv[0]);
			return -EINVAL;
		}
	}
	if (optind != argc) {
		usage(argv[0]);
		return -EINVAL;
	}
	return 0;
}

static double
cycles_to_us(uint64_t cycles)
{
	return (double)cycles * 1e6 / (double)rte_get_tsc_hz();
}

int
main(int argc, char **argv)
{
	struct evq_ring_prod prod;
	uint64_t bursts = 0, backpressure = 0, t_start, t_end, leftover;
	unsigned int consumer_lcore;
	size_t len;
	bool ok;
	int ret, rc;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "rte_eal_init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (parse_args(argc - ret, argv + ret) < 0) {
		rte_eal_cleanup();
		return 2;
	}
	consumer_lcore = rte_get_next_lcore(-1, 1, 0);
	if (consumer_lcore >= RTE_MAX_LCORE) {
		fprintf(stderr, "need two lcores, e.g. -l 0-1\n");
		rte_eal_cleanup();
		return 2;
	}

	/* The ring: one self-describing block (header, doorbell line, write
	 * indicator line, summary line, entries) in a memzone, which another
	 * DPDK process could look up by name. */
	len = evq_ring_shm_size(RING_ENTRIES, ENTRY_SIZE);
	demo.mz = rte_memzone_reserve_aligned("evq_ring_wakeup", len,
			rte_socket_id(), 0, EVQ_CACHE_LINE);
	if (demo.mz == NULL) {
		fprintf(stderr, "memzone: %s\n", rte_strerror(rte_errno));
		rte_eal_cleanup();
		return 1;
	}
	rc = evq_ring_shm_format(demo.mz->addr, demo.mz->len, RING_ENTRIES,
			ENTRY_SIZE, RING_NUMBER, EVQ_RING_VALIDITY_CLEAR);
	evq_ring_prod_init(&prod);	/* UNDEFINED, the power-on state */
	if (rc == 0)
		rc = evq_ring_shm_prod_attach(&prod, demo.mz->addr, demo.mz->len, 0);
	demo.efd = evq_eventfd_create();
	if (rc == 0 && demo.efd < 0)
		rc = demo.efd;
	if (rc == 0)
		rc = evq_ring_prod_bind_eventfd(&prod, demo.efd);
	if (rc != 0) {
		fprintf(stderr, "ring set-up failed: %s\n", strerror(-rc));
		rte_eal_cleanup();
		return 1;
	}

	printf("ring_wakeup: ring of %u x %u-byte entries in memzone \"%s\" "
		"(%zu bytes), eventfd %d\n", RING_ENTRIES, ENTRY_SIZE,
		demo.mz->name, len, demo.efd);
	printf("ring_wakeup: producer lcore %u, consumer lcore %u: %" PRIu64
		" events in bursts of 1..%u, pauses of 0..%u us; the consumer "
		"sleeps after %u us idle\n", rte_lcore_id(), consumer_lcore,
		opt_events, MAX_BURST, 2 * opt_pause_us, opt_idle_us);
	fflush(stdout);

	t_start = rte_rdtsc();
	rc = rte_eal_remote_launch(consumer_main, NULL, consumer_lcore);
	if (rc != 0) {
		fprintf(stderr, "cannot launch the consumer: %d\n", rc);
		rte_eal_cleanup();
		return 1;
	}
	rc = producer_run(&prod, &bursts, &backpressure);
	if (rc != 0) {
		/* the consumer would wait for events that never come */
		printf("producer failed: stopping\n");
		fflush(stdout);
		rte_eal_cleanup();
		return 1;
	}
	ret = rte_eal_wait_lcore(consumer_lcore);
	t_end = rte_rdtsc();
	leftover = eventfd_drain(demo.efd);	/* signals nobody slept on */

	printf("\n");
	printf("events sent:        %" PRIu64 " in %" PRIu64 " bursts "
		"(ring full, retried: %" PRIu64 ")\n", prod.stats.posted, bursts,
		backpressure);
	printf("events received:    %" PRIu64 " (%" PRIu64 " out of order or "
		"corrupt)\n", cstats.received, cstats.order_errors);
	printf("arms:               %" PRIu64 " (%" PRIu64 " found events "
		"already pending and did not sleep)\n", cstats.arms,
		cstats.armed_with_work);
	printf("signals raised:     %" PRIu64 " (producer), eventfd counts "
		"read: %" PRIu64 " + %" PRIu64 " left over\n", prod.stats.signals,
		cstats.drained, leftover);
	printf("sleeps:             %" PRIu64 ", wake-ups %" PRIu64
		", timeouts %" PRIu64 "\n", cstats.sleeps, cstats.wakeups,
		cstats.timeouts);
	printf("spurious wake-ups:  %" PRIu64 " (woken, nothing to do)\n",
		cstats.spurious);
	printf("lost wake-ups:      %" PRIu64 " (asleep with events pending)\n",
		cstats.lost);
	printf("time asleep:        %.3f s of %.3f s (%.0f%%)\n",
		cycles_to_us(cstats.asleep_cycles) / 1e6,
		cycles_to_us(t_end - t_start) / 1e6,
		t_end > t_start ? 100.0 * (double)cstats.asleep_cycles /
			(double)(t_end - t_start) : 0.0);
	if (cstats.wake_lat_samples != 0)
		printf("wake-up latency:    %.1f us mean, %.1f us max (post -> "
			"consumer awake)\n",
			cycles_to_us(cstats.wake_lat_cycles /
				cstats.wake_lat_samples),
			cycles_to_us(cstats.wake_lat_max));

	/*
	 * OK means: every event arrived once and in order; every signal woke
	 * the consumer exactly once (signals == wake-ups == counts read), no
	 * wake-up found nothing to do, and none was lost.
	 */
	ok = ret == 0 && cstats.error == 0 &&
		cstats.received == opt_events &&
		prod.stats.posted == opt_events &&
		cstats.order_errors == 0 && cstats.lost == 0 &&
		cstats.spurious == 0 && leftover == 0 &&
		prod.stats.signals == cstats.wakeups &&
		prod.stats.signals == cstats.drained;
	printf("verdict:            %s\n", ok ? "OK" : "FAIL");

	evq_ring_prod_undefine(&prod);
	close(demo.efd);
	rte_memzone_free(demo.mz);
	rte_eal_cleanup();
	return ok ? 0 : 1;
}
