/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * bench_ring_tput.c: throughput runs of evq-bench-ring (producer on the
 * worker lcore, consumer on the main lcore, every implementation over the
 * same ring size, entry sizes and bursts) and the cache-line round trip
 * between the two lcores that bounds them.
 */

#include "bench_ring.h"

/* ------------------------------------------------------------------ */
/* Producer side (worker lcore)                                       */
/* ------------------------------------------------------------------ */

/*
 * Both sides of every implementation get the entry size as a compile-time
 * constant: rte_ring's *_elem functions are inline and take it as an
 * argument, evq_ring's *_fixed functions likewise. Neither pays a switch
 * on the entry size per call.
 */

static __rte_always_inline int
producer_body(struct tp_run *r, const unsigned int esize)
{
	uint8_t buf[BENCH_MAX_BURST * BENCH_MAX_ESIZE] __rte_cache_aligned;
	const uint64_t total = r->warmup + r->events;
	const unsigned int burst = r->burst;
	uint64_t seq, full = 0;

	memset(buf, 0, sizeof(buf));
	if (r->impl == IMPL_PROTO) {
		r->full_posts = proto_produce_any(r->prod, buf, total, burst,
				esize, r->proto_flags);
		return 0;
	}
	if (r->impl == IMPL_RTE || r->impl == IMPL_RTE_ZC) {
		for (seq = 0; seq < total; seq += burst) {
			fill_burst(buf, esize, burst, seq);
			while (rte_ring_sp_enqueue_bulk_elem(r->rr, buf, esize,
					burst, NULL) == 0) {
				full++;
				rte_pause();
			}
		}
	} else {
		for (seq = 0; seq < total; seq += burst) {
			fill_burst(buf, esize, burst, seq);
			for (;;) {
				int rc = evq_ring_try_post_burst_fixed(r->prod,
						buf, burst, esize);

				if (likely(rc > 0))
					break;
				if (rc != -ENOBUFS)
					return rc;
				full++;
				rte_pause();
			}
		}
	}
	r->full_posts = full;
	return 0;
}

static int
producer_main(void *arg)
{
	struct tp_run *r = arg;
	long preempted = thread_wait_ns();

	switch (r->esize) {
	case 4:
		r->prod_rc = producer_body(r, 4);
		break;
	case 8:
		r->prod_rc = producer_body(r, 8);
		break;
	case 16:
		r->prod_rc = producer_body(r, 16);
		break;
	case 32:
		r->prod_rc = producer_body(r, 32);
		break;
	default:
		r->prod_rc = producer_body(r, 64);
		break;
	}
	r->prod_preempted = thread_wait_ns() - preempted;
	return r->prod_rc;
}

/* ------------------------------------------------------------------ */
/* Consumer side (main lcore)                                         */
/* ------------------------------------------------------------------ */

/* One dequeue attempt: up to burst events, summed into *sum. */
static __rte_always_inline unsigned int
consumer_step(struct tp_run *r, uint8_t *out, const unsigned int esize,
		const enum impl impl, uint64_t *sum)
{
	const unsigned int burst = r->burst;
	unsigned int n = 0, i;
	uint64_t s = 0;

	switch (impl) {
	case IMPL_EVQ:
	case IMPL_EVQ_EFD:
	case IMPL_PHASE:
	case IMPL_PHASE_EFD:
		n = evq_ring_poll_burst_fixed(r->cons, out, burst, esize);
		for (i = 0; i < n; i++)
			s += entry_sum(out + (size_t)i * esize, esize);
		break;
	case IMPL_EVQ_PEEK:
	case IMPL_PHASE_PEEK:
		n = evq_ring_peek_burst_fixed(r->cons, burst, esize);
		for (i = 0; i < n; i++)
			s += entry_sum(evq_ring_peek_at_fixed(r->cons, i, esize),
					esize);
		if (n != 0)
			evq_ring_consume_fixed(r->cons, n, esize);
		break;
	case IMPL_RTE:
		n = rte_ring_sc_dequeue_bulk_elem(r->rr, out, esize, burst, NULL);
		for (i = 0; i < n; i++)
			s += entry_sum(out + (size_t)i * esize, esize);
		break;
	case IMPL_RTE_ZC: {
		struct rte_ring_zc_data zcd;

		n = rte_ring_dequeue_zc_bulk_elem_start(r->rr, esize, burst,
				&zcd, NULL);
		if (n == 0)
			break;
		for (i = 0; i < zcd.n1; i++)
			s += entry_sum((uint8_t *)zcd.ptr1 + (size_t)i * esize,
					esize);
		for (i = 0; i < n - zcd.n1; i++)
			s += entry_sum((uint8_t *)zcd.ptr2 + (size_t)i * esize,
					esize);
		rte_ring_dequeue_zc_elem_finish(r->rr, n);
		break;
	}
	default:
		break;
	}
	*sum += s;
	return n;
}

/* Each (entry size, implementation) gets its own loop: no run-time
 * dispatch inside the measured loop, for any implementation. */
static __rte_always_inline void
consumer_body(struct tp_run *r, const unsigned int esize, const enum impl impl)
{
	uint8_t out[BENCH_MAX_BURST * BENCH_MAX_ESIZE] __rte_cache_aligned;
	const uint64_t total = r->warmup + r->events;
	uint64_t got = 0, sum = 0, polls = 0, empty = 0, start_got, t0, t1;

	if (impl == IMPL_PROTO) {
		uint64_t np = 0, ne = 0;

		proto_cleared = evq_ring_cons_read(r->cons);
		got = proto_consume_any(r->cons, out, r->warmup, r->burst, esize,
				r->proto_flags, &sum, &np, &ne);
		start_got = got;
		t0 = rte_rdtsc_precise();
		got += proto_consume_any(r->cons, out, total - got, r->burst,
				esize, r->proto_flags, &sum, &polls, &empty);
		t1 = rte_rdtsc_precise();
		goto done;
	}
	while (got < r->warmup) {
		unsigned int n = consumer_step(r, out, esize, impl, &sum);

		got += n;
		if (n == 0 && opts.empty_pause)
			rte_pause();
	}
	start_got = got;
	t0 = rte_rdtsc_precise();
	while (got < total) {
		unsigned int n = consumer_step(r, out, esize, impl, &sum);

		polls++;
		empty += (n == 0);
		got += n;
		if (n == 0 && opts.empty_pause)
			rte_pause();
	}
	t1 = rte_rdtsc_precise();
done:
	r->cycles = t1 - t0;
	r->measured = got - start_got;
	r->sum = sum;
	r->polls = polls;
	r->empty_polls = empty;
}

#define CONSUMER_IMPL_CASE(im, es) \
	case im: \
		consumer_body(r, es, im); \
		break;
#define CONSUMER_ESIZE_CASE(es) \
	case es: \
		switch (r->impl) { \
		CONSUMER_IMPL_CASE(IMPL_EVQ, es) \
		CONSUMER_IMPL_CASE(IMPL_EVQ_EFD, es) \
		CONSUMER_IMPL_CASE(IMPL_EVQ_PEEK, es) \
		CONSUMER_IMPL_CASE(IMPL_PHASE, es) \
		CONSUMER_IMPL_CASE(IMPL_PHASE_EFD, es) \
		CONSUMER_IMPL_CASE(IMPL_PHASE_PEEK, es) \
		CONSUMER_IMPL_CASE(IMPL_RTE, es) \
		CONSUMER_IMPL_CASE(IMPL_RTE_ZC, es) \
		CONSUMER_IMPL_CASE(IMPL_PROTO, es) \
		default: \
			break; \
		} \
		break;

static void
consumer_main(struct tp_run *r)
{
	long preempted = thread_wait_ns();

	switch (r->esize) {
	CONSUMER_ESIZE_CASE(4)
	CONSUMER_ESIZE_CASE(8)
	CONSUMER_ESIZE_CASE(16)
	CONSUMER_ESIZE_CASE(32)
	CONSUMER_ESIZE_CASE(64)
	default:
		break;
	}
	r->cons_preempted = thread_wait_ns() - preempted;
}

/* ------------------------------------------------------------------ */
/* Ring set-up                                                        */
/* ------------------------------------------------------------------ */

void
evq_teardown(struct evq_setup *s)
{
	if (s->prod != NULL)
		evq_ring_prod_undefine(s->prod);
	if (s->efd >= 0)
		close(s->efd);
	rte_free(s->prod);
	rte_free(s->cons);
	rte_free(s->doorbell);
	rte_free(s->entries);
	memset(s, 0, sizeof(*s));
	s->efd = -1;
}

/* A ring of the given validity rule; a phase consumer publishes its read
 * indicator every opts.publish entries (a clear one only when it arms). */
int
evq_setup(struct evq_setup *s, unsigned int size, unsigned int esize,
		bool bind_eventfd, enum evq_ring_validity validity)
{
	size_t len = evq_ring_mem_size(size, esize);
	int rc;

	memset(s, 0, sizeof(*s));
	s->efd = -1;
	if (len == 0)
		return -EINVAL;
	s->entries = rte_zmalloc("bench_evq", len, RTE_CACHE_LINE_SIZE);
	s->doorbell = rte_zmalloc("bench_db", RTE_CACHE_LINE_SIZE,
			RTE_CACHE_LINE_SIZE);
	/* producer and consumer contexts: private, never on a shared line */
	s->prod = rte_zmalloc("bench_prod", sizeof(*s->prod), RTE_CACHE_LINE_SIZE);
	s->cons = rte_zmalloc("bench_cons", sizeof(*s->cons), RTE_CACHE_LINE_SIZE);
	if (s->entries == NULL || s->doorbell == NULL || s->prod == NULL ||
			s->cons == NULL) {
		rc = -ENOMEM;
		goto fail;
	}
	rc = bench_evq_pair(s->prod, s->cons, s->entries, s->doorbell, size,
			esize, validity, opts.publish);
	if (rc < 0)
		goto fail;
	if (bind_eventfd) {
		s->efd = evq_eventfd_create();
		if (s->efd < 0) {
			rc = s->efd;
			goto fail;
		}
		rc = evq_ring_prod_bind_eventfd(s->prod, s->efd);
		if (rc < 0)
			goto fail;
	}
	return 0;
fail:
	evq_teardown(s);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Throughput                                                         */
/* ------------------------------------------------------------------ */

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return (n & 1) ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* ------------------------------------------------------------------ */
/* Cache-line round trip between the two lcores                       */
/* ------------------------------------------------------------------ */

/*
 * On a virtual machine the two vCPUs move between physical cores; the cost
 * of moving a cache line between them (what bounds any cross-core queue)
 * then changes by several times within seconds. Each run is bracketed by
 * this measurement: a run during which it changed is re-run, and the
 * median per row is reported, to tell a slow ring from a slow machine.
 */
#define RTT_ROUNDS	2000

struct rtt_lines *rtt_lines;
double session_rtt;	/* measured at start, for reference */

static int
rtt_peer(void *arg)
{
	uint32_t i;

	(void)arg;
	for (i = 1; i <= RTT_ROUNDS; i++) {
		while (__atomic_load_n(&rtt_lines->ping, __ATOMIC_ACQUIRE) != i)
			rte_pause();
		__atomic_store_n(&rtt_lines->pong, i, __ATOMIC_RELEASE);
	}
	return 0;
}

/* Cycles for one line to go to the worker and another to come back. */
double
rtt_measure(unsigned int worker)
{
	uint64_t t0, t1;
	uint32_t i;

	rtt_lines->ping = 0;
	rtt_lines->pong = 0;
	if (rte_eal_remote_launch(rtt_peer, NULL, worker) != 0)
		return 0;
	t0 = rte_rdtsc_precise();
	for (i = 1; i <= RTT_ROUNDS; i++) {
		__atomic_store_n(&rtt_lines->ping, i, __ATOMIC_RELEASE);
		while (__atomic_load_n(&rtt_lines->pong, __ATOMIC_ACQUIRE) != i)
			rte_pause();
	}
	t1 = rte_rdtsc_precise();
	rte_eal_wait_lcore(worker);
	return (double)(t1 - t0) / RTT_ROUNDS;
}

/* What one run reports. */
struct run_out {
	double cycles;		/* per event */
	double burst;		/* events per non-empty dequeue */
	double empty_pct;	/* dequeue calls that found nothing */
	double full_pct;	/* enqueue calls that found no room */
	double rtt;		/* cache-line round trip around the run */
};

/* One run of one implementation; returns cycles per event or < 0 and
 * sets *disturbed if a side lost its CPU during the run. */
static double
tp_run_attempt(enum impl impl, unsigned int proto_flags, unsigned int esize,
		unsigned int burst, unsigned int worker, struct run_out *out,
		bool *disturbed)
{
	double rtt_before = rtt_measure(worker), rtt_after;
	uint64_t steal = steal_ticks();
	struct evq_setup es = { .efd = -1 };
	struct tp_run r;
	uint64_t want;
	int rc;

	memset(&r, 0, sizeof(r));
	r.impl = impl;
	r.proto_flags = proto_flags;
	r.esize = esize;
	r.burst = burst;
	r.warmup = opts.warmup;
	r.events = opts.events;

	switch (impl) {
	case IMPL_EVQ:
	case IMPL_EVQ_PEEK:
	case IMPL_EVQ_EFD:
	case IMPL_PHASE:
	case IMPL_PHASE_PEEK:
	case IMPL_PHASE_EFD:
	case IMPL_PROTO:
		rc = evq_setup(&es, opts.ring_size, esize, impl == IMPL_EVQ_EFD ||
				impl == IMPL_PHASE_EFD ||
				(impl == IMPL_PROTO && opts.proto_eventfd),
				impl == IMPL_PHASE || impl == IMPL_PHASE_EFD ||
				impl == IMPL_PHASE_PEEK ? EVQ_RING_VALIDITY_PHASE :
				EVQ_RING_VALIDITY_CLEAR);
		if (rc < 0) {
			fprintf(stderr, "evq set-up failed: %s\n", strerror(-rc));
			return -1;
		}
		r.prod = es.prod;
		r.cons = es.cons;
		break;
	default:
		r.rr = rte_ring_create_elem("bench_rr", esize, opts.ring_size,
				rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (r.rr == NULL) {
			fprintf(stderr, "rte_ring_create_elem: %s\n",
					rte_strerror(rte_errno));
			return -1;
		}
		break;
	}

	rc = rte_eal_remote_launch(producer_main, &r, worker);
	if (rc == 0) {
		consumer_main(&r);
		rc = rte_eal_wait_lcore(worker);
	}
	rtt_after = rc == 0 ? rtt_measure(worker) : rtt_before;
	/* more than 0.5 % of the run spent waiting for a CPU, or the line
	 * round trip changed by more than a third: retry */
	*disturbed = (double)(r.prod_preempted + r.cons_preempted) >
		0.005 * (double)r.cycles * 1e9 / (double)rte_get_tsc_hz() ||
		steal_ticks() != steal ||
		RTE_MAX(rtt_before, rtt_after) > 1.33 * RTE_MIN(rtt_before, rtt_after);
	if (getenv("EVQ_BENCH_DEBUG") != NULL)
		fprintf(stderr, "    run %s: waited for CPU %ld + %ld ns, line "
				"round trip %.0f -> %.0f cycles%s\n",
				impl_names[impl], r.prod_preempted,
				r.cons_preempted, rtt_before, rtt_after,
				*disturbed ? " (disturbed)" : "");

	if (r.rr != NULL)
		rte_ring_free(r.rr);
	if (es.prod != NULL)
		evq_teardown(&es);

	if (rc != 0 || r.prod_rc != 0) {
		fprintf(stderr, "%s: run failed (launch %d, producer %d)\n",
				impl_names[impl], rc, r.prod_rc);
		return -1;
	}
	want = expected_sum(r.warmup + r.events, esize);
	if (r.sum != want) {
		fprintf(stderr, "%s: checksum mismatch (%" PRIu64 " != %" PRIu64
				"): events lost or duplicated\n",
				impl_names[impl], r.sum, want);
		return -1;
	}
	out->burst = r.polls > r.empty_polls ?
		(double)r.measured / (double)(r.polls - r.empty_polls) : 0;
	out->empty_pct = r.polls ?
		100.0 * (double)r.empty_polls / (double)r.polls : 0;
	out->full_pct = 100.0 * (double)r.full_posts /
		(double)((r.warmup + r.events) / burst + r.full_posts);
	out->rtt = (rtt_before + rtt_after) / 2;
	out->cycles = (double)r.cycles / (double)r.measured;
	return out->cycles;
}

unsigned int disturbed_runs;
unsigned int total_runs;

/* A run disturbed by the scheduler or the hypervisor is retried a few
 * times; the last attempt counts whatever happens (and is reported). */
static double
tp_run_once(enum impl impl, unsigned int proto_flags, unsigned int esize,
		unsigned int burst, unsigned int worker, struct run_out *out)
{
	unsigned int attempt;
	double c = -1;

	for (attempt = 0; attempt <= opts.retries; attempt++) {
		bool disturbed = false;

		c = tp_run_attempt(impl, proto_flags, esize, burst, worker,
				out, &disturbed);
		if (c < 0 || !disturbed)
			break;
		disturbed_runs++;
	}
	total_runs++;
	return c;
}

static double
cycles_to_mevents(double cycles_per_event)
{
	return (double)rte_get_tsc_hz() / cycles_per_event / 1e6;
}

void
emit(const char *metric, const char *unit, double evq, const char *peer_name,
		double peer)
{
	printf("{\"bench\": \"ring\", \"metric\": \"%s\", \"unit\": \"%s\", "
		"\"evq\": %.3f, \"peer_name\": \"%s\", \"peer\": %.3f, "
		"\"ratio\": %.3f}\n", metric, unit, evq, peer_name, peer,
		peer > 0 ? evq / peer : 0.0);
	fflush(stdout);
}

/* One JSON line comparing two medians. */
static void
emit_pair(double evq, double peer, const char *peer_name, unsigned int esize,
		unsigned int burst, const char *suffix, bool rate)
{
	char metric[192];

	snprintf(metric, sizeof(metric), "%s_burst%u_%uB%s",
			rate ? "events_per_s" : "cycles_per_event", burst, esize,
			suffix);
	if (rate)
		emit(metric, "Mevents/s", cycles_to_mevents(evq), peer_name,
				cycles_to_mevents(peer));
	else
		emit(metric, "cycles/event", evq, peer_name, peer);
}

/* Name of a prototype flag set, e.g. "const_es+locals". */
static void
proto_flags_name(unsigned int flags, char *buf, size_t len)
{
	unsigned int i;
	size_t off = 0;

	buf[0] = '\0';
	if (flags == 0) {
		snprintf(buf, len, "none");
		return;
	}
	if (flags == PF_ALL) {
		snprintf(buf, len, "all");
		return;
	}
	if ((flags & PF_CODE) == PF_CODE) {
		off += snprintf(buf, len, "code");
		flags &= ~PF_CODE;
	}
	for (i = 0; i < RTE_DIM(proto_flag_names); i++)
		if (flags & (1u << i))
			off += snprintf(buf + off, len > off ? len - off : 0,
					"%s%s", off ? "+" : "", proto_flag_names[i]);
}

/* A row of the table: an implementation, or a prototype flag set. */
struct tp_row {
	enum impl impl;
	unsigned int proto_flags;
	char name[96];
	double cycles[BENCH_MAX_REPS];
	double burst[BENCH_MAX_REPS];
	double empty[BENCH_MAX_REPS];
	double full[BENCH_MAX_REPS];
	double rtt[BENCH_MAX_REPS];
	double median;
};

/* Median cycles/event of each row for one (size, burst). */
int
tp_config(unsigned int esize, unsigned int burst, unsigned int worker)
{
	struct tp_row rows[IMPL_COUNT + PROTO_MAX_VARIANTS];
	int by_impl[IMPL_COUNT];
	unsigned int nb_rows = 0, rep, k;
	double rtt_lo = 1e30, rtt_hi = 0;
	int im;

	for (im = 0; im < IMPL_COUNT; im++) {
		by_impl[im] = -1;
		if (im == IMPL_PROTO || !(opts.impls & (1u << im)))
			continue;
		by_impl[im] = (int)nb_rows;
		rows[nb_rows].impl = im;
		rows[nb_rows].proto_flags = 0;
		snprintf(rows[nb_rows].name, sizeof(rows[0].name), "%s",
				impl_names[im]);
		nb_rows++;
	}
	for (k = 0; k < opts.nb_proto; k++) {
		char fl[80];

		rows[nb_rows].impl = IMPL_PROTO;
		rows[nb_rows].proto_flags = opts.proto_flags[k];
		proto_flags_name(opts.proto_flags[k], fl, sizeof(fl));
		snprintf(rows[nb_rows].name, sizeof(rows[0].name), "proto %s%s",
				fl, opts.proto_eventfd ? " +eventfd" : "");
		nb_rows++;
	}

	/* interleave the rows so that drift hits all alike */
	for (rep = 0; rep < opts.reps; rep++) {
		for (k = 0; k < nb_rows; k++) {
			struct tp_row *row = &rows[k];
			struct run_out o;
			double c = tp_run_once(row->impl, row->proto_flags, esize,
					burst, worker, &o);

			if (c < 0)
				return -1;
			row->cycles[rep] = c;
			row->burst[rep] = o.burst;
			row->empty[rep] = o.empty_pct;
			row->full[rep] = o.full_pct;
			row->rtt[rep] = o.rtt;
		}
	}
	for (k = 0; k < nb_rows; k++) {
		struct tp_row *row = &rows[k];
		double mb, me, mf, mr;

		row->median = median(row->cycles, opts.reps);
		mb = median(row->burst, opts.reps);
		me = median(row->empty, opts.reps);
		mf = median(row->full, opts.reps);
		mr = median(row->rtt, opts.reps);
		rtt_lo = RTE_MIN(rtt_lo, mr);
		rtt_hi = RTE_MAX(rtt_hi, mr);
		/* median() sorted the samples: [0] and [reps - 1] are the range */
		fprintf(stderr, "  %-24s %2uB burst %-2u: %6.2f cycles/event "
				"[%.2f..%.2f] %7.2f Mevents/s (dequeued %.1f/poll, "
				"empty polls %.0f%%, full posts %.0f%%, line round "
				"trip %.0f [%.0f..%.0f])\n",
				row->name, esize, burst, row->median,
				row->cycles[0], row->cycles[opts.reps - 1],
				cycles_to_mevents(row->median), mb, me, mf, mr,
				row->rtt[0], row->rtt[opts.reps - 1]);
	}

	if (rtt_hi > 1.5 * rtt_lo)
		fprintf(stderr, "  warning: the cache-line round trip moved between "
				"%.0f and %.0f cycles during these rows (vCPUs "
				"moved?): compare them with care\n", rtt_lo, rtt_hi);
	else if (rtt_lo > 2.0 * session_rtt || rtt_hi < session_rtt / 2.0)
		fprintf(stderr, "  warning: cache-line round trip %.0f cycles, "
				"%.0f at start: the machine changed\n", rtt_lo,
				session_rtt);

#define MED(im) rows[by_impl[im]].median
#define HAVE(a, b) (by_impl[a] >= 0 && by_impl[b] >= 0)
	if (HAVE(IMPL_EVQ, IMPL_RTE)) {
		emit_pair(MED(IMPL_EVQ), MED(IMPL_RTE), impl_names[IMPL_RTE],
				esize, burst, "", false);
		emit_pair(MED(IMPL_EVQ), MED(IMPL_RTE), impl_names[IMPL_RTE],
				esize, burst, "", true);
	}
	if (HAVE(IMPL_EVQ_EFD, IMPL_RTE)) {
		emit_pair(MED(IMPL_EVQ_EFD), MED(IMPL_RTE), impl_names[IMPL_RTE],
				esize, burst, "_eventfd_bound", false);
		emit_pair(MED(IMPL_EVQ_EFD), MED(IMPL_RTE), impl_names[IMPL_RTE],
				esize, burst, "_eventfd_bound", true);
	}
	if (HAVE(IMPL_EVQ_PEEK, IMPL_RTE_ZC))
		emit_pair(MED(IMPL_EVQ_PEEK), MED(IMPL_RTE_ZC),
				impl_names[IMPL_RTE_ZC], esize, burst,
				"_zero_copy", false);
	/* the phase validity rule, row for row beside the clear one */
	if (HAVE(IMPL_PHASE, IMPL_RTE)) {
		emit_pair(MED(IMPL_PHASE), MED(IMPL_RTE), impl_names[IMPL_RTE],
				esize, burst, "_phase", false);
		emit_pair(MED(IMPL_PHASE), MED(IMPL_RTE), impl_names[IMPL_RTE],
				esize, burst, "_phase", true);
	}
	if (HAVE(IMPL_PHASE_EFD, IMPL_RTE))
		emit_pair(MED(IMPL_PHASE_EFD), MED(IMPL_RTE), impl_names[IMPL_RTE],
				esize, burst, "_phase_eventfd_bound", false);
	if (HAVE(IMPL_PHASE_PEEK, IMPL_RTE_ZC))
		emit_pair(MED(IMPL_PHASE_PEEK), MED(IMPL_RTE_ZC),
				impl_names[IMPL_RTE_ZC], esize, burst,
				"_phase_zero_copy", false);
	if (HAVE(IMPL_PHASE, IMPL_EVQ))
		emit_pair(MED(IMPL_PHASE), MED(IMPL_EVQ), "evq_clear", esize,
				burst, "_phase_vs_clear", false);
	if (by_impl[IMPL_RTE] >= 0) {
		for (k = 0; k < nb_rows; k++) {
			char suffix[112], fl[80];
			unsigned int i;

			if (rows[k].impl != IMPL_PROTO)
				continue;
			proto_flags_name(rows[k].proto_flags, fl, sizeof(fl));
			for (i = 0; fl[i] != '\0'; i++)
				if (fl[i] == '+')
					fl[i] = '_';
			snprintf(suffix, sizeof(suffix), "_prototype_%s%s", fl,
					opts.proto_eventfd ? "_eventfd_bound" : "");
			emit_pair(rows[k].median, MED(IMPL_RTE),
					impl_names[IMPL_RTE], esize, burst, suffix,
					false);
		}
	}
#undef HAVE
#undef MED
	return 0;
}
