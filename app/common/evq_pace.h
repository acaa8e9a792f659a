/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * The packet pacer shared by the project's traffic generators (evq-rategen
 * on an ethdev port, evq-sim's gen, pcap and rategen wires): how many
 * packets are due now at a set rate, from the time since the start, so the
 * rate does not drift. Header only, no DPDK dependency; the caller brings
 * the clock (TSC cycles, nanoseconds) and does the sending and sleeping.
 *
 * Rules:
 *   - the k-th packet (k = 1, 2, ...) is due k / rate seconds after the
 *     start (its slot); every slot is consumed once: sent, refused by the
 *     receiver, or skipped;
 *   - a wake-up sends once per_wake slots are due (--batch-us: what became
 *     due in that time, at least 1), at most burst at a time;
 *   - a sender that fell further behind than max_lag slots (200 us of
 *     traffic, at least a burst: it was preempted) skips the missed slots
 *     and sends one burst instead of bursting them all out, which would
 *     overrun the receiver's ring and count as its loss; the skipped slots
 *     are counted.
 */

#ifndef EVQ_PACE_H
#define EVQ_PACE_H

#include <stdint.h>

struct evq_pace {
	uint64_t rate;		/* packets per second; 0 = no pacing */
	uint64_t hz;		/* clock units per second */
	uint64_t burst;		/* most packets per wake-up */
	uint64_t per_wake;	/* slots a wake-up waits for */
	uint64_t max_lag;	/* further behind than this: skip */
	uint64_t slots;		/* slots consumed: sent, refused or skipped */
	uint64_t skipped;	/* slots missed by a late sender */
};

static inline uint64_t
evq_pace_min(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static inline uint64_t
evq_pace_max(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* rate in packets per second (0: unpaced, every call may send a burst),
 * hz the clock's units per second, burst >= 1, batch_ns the longest time
 * packets may gather before a wake-up sends them (0: each on its slot). */
static inline void
evq_pace_init(struct evq_pace *p, uint64_t rate, uint64_t hz, unsigned int burst,
		uint64_t batch_ns)
{
	p->rate = rate;
	p->hz = hz;
	p->burst = evq_pace_max(burst, 1);
	p->max_lag = evq_pace_max(p->burst, rate / 5000);
	p->per_wake = evq_pace_max(1, evq_pace_min(p->burst,
		(uint64_t)((unsigned __int128)rate * batch_ns / 1000000000u)));
	p->slots = 0;
	p->skipped = 0;
}

/*
 * Packets to send at 'active' clock units after the start (0: not yet).
 * The caller sends (or fails to send) them and then calls
 * evq_pace_consume() with the number it took.
 */
static inline unsigned int
evq_pace_take(struct evq_pace *p, uint64_t active)
{
	uint64_t due, lag;

	if (p->rate == 0)
		return (unsigned int)p->burst;
	due = (uint64_t)((unsigned __int128)active * p->rate / p->hz);
	lag = due - p->slots;
	if (lag > p->max_lag) {
		p->skipped += lag - p->burst;
		p->slots = due - p->burst;
		lag = p->burst;
	}
	if (lag < p->per_wake)
		return 0;
	return (unsigned int)evq_pace_min(lag, p->burst);
}

static inline void
evq_pace_consume(struct evq_pace *p, unsigned int n)
{
	p->slots += n;
}

/* When (in active clock units) the next wake-up has something to send;
 * only meaningful after evq_pace_take() returned 0 with a rate. */
static inline uint64_t
evq_pace_next(const struct evq_pace *p)
{
	return (uint64_t)((unsigned __int128)(p->slots + p->per_wake) * p->hz / p->rate);
}

/*
 * How long a sender that may sleep should sleep now, in nanoseconds (0:
 * spin): when the next wake-up is more than sleep_min_ns away, until
 * spin_ns before it (nanosleep is late by a few microseconds; the spin
 * covers that). sleep_min_ns 0 = always spin.
 */
static inline uint64_t
evq_pace_sleep_ns(const struct evq_pace *p, uint64_t active, uint64_t sleep_min_ns,
		uint64_t spin_ns)
{
	uint64_t next = evq_pace_next(p), ns;

	if (sleep_min_ns == 0 || next <= active)
		return 0;
	ns = (uint64_t)((unsigned __int128)(next - active) * 1000000000u / p->hz);
	if (ns <= sleep_min_ns)
		return 0;
	return ns - evq_pace_min(ns, spin_ns);
}

#endif /* EVQ_PACE_H */
