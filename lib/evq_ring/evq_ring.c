/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_ring: the slow paths of the event queue — validation, the state
 * machine, the interrupt rule and moderation, switching, summary bytes,
 * the eventfd binding and the shared-memory layout, for both validity
 * rules (clear and phase). The fast paths (post, peek, consume, arm) are
 * inline in evq_ring.h and evq_ring_pvt.h.
 */

#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "evq_ring.h"

static void
evq_ring_log_stderr(const char *msg)
{
	fprintf(stderr, "evq_ring: %s\n", msg);
}

static evq_ring_log_fn evq_ring_log_hook = evq_ring_log_stderr;

void
evq_ring_set_log(evq_ring_log_fn fn)
{
	evq_ring_log_hook = fn != NULL ? fn : evq_ring_log_stderr;
}

static void __attribute__((format(printf, 1, 2)))
evq_ring_log(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	evq_ring_log_hook(msg);
}

/* Log the 1st, 2nd, 4th, 8th... occurrence: a flood of bad input must not
 * turn into a flood of log lines. */
static bool
evq_ring_log_due(uint64_t count)
{
	return (count & (count - 1)) == 0;
}

const char *
evq_ring_state_name(enum evq_ring_state state)
{
	switch (state) {
	case EVQ_RING_UNDEFINED:
		return "undefined";
	case EVQ_RING_UNARMED:
		return "unarmed";
	case EVQ_RING_ARMED:
		return "armed";
	}
	return "invalid";
}

const char *
evq_ring_validity_name(enum evq_ring_validity validity)
{
	switch (validity) {
	case EVQ_RING_VALIDITY_CLEAR:
		return "clear";
	case EVQ_RING_VALIDITY_PHASE:
		return "phase";
	}
	return "invalid";
}

static int
evq_ring_check_validity(enum evq_ring_validity validity, uint16_t number)
{
	if (validity != EVQ_RING_VALIDITY_CLEAR &&
			validity != EVQ_RING_VALIDITY_PHASE) {
		evq_ring_log("ring %u: unknown validity rule %d", number,
				(int)validity);
		return -EINVAL;
	}
	return 0;
}

uint64_t
evq_ring_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int
evq_ring_check_geometry(const void *base, uint32_t size, uint32_t entry_size)
{
	if (base == NULL) {
		evq_ring_log("ring memory is NULL");
		return -EINVAL;
	}
	if (size < EVQ_RING_SIZE_MIN || size > EVQ_RING_SIZE_MAX ||
			(size & (size - 1)) != 0) {
		evq_ring_log("ring size %u is not a power of two in [%u, %u]",
				size, EVQ_RING_SIZE_MIN, EVQ_RING_SIZE_MAX);
		return -EINVAL;
	}
	if (entry_size != 4 && entry_size != 8 && entry_size != 16 &&
			entry_size != 32 && entry_size != 64) {
		evq_ring_log("entry size %u is not 4, 8, 16, 32 or 64 bytes",
				entry_size);
		return -EINVAL;
	}
	if (((uintptr_t)base & (EVQ_CACHE_LINE - 1)) != 0) {
		evq_ring_log("ring memory %p is not %d-byte aligned", base,
				EVQ_CACHE_LINE);
		return -EFAULT;
	}
	return 0;
}

size_t
evq_ring_mem_size(uint32_t size, uint32_t entry_size)
{
	static const uint8_t aligned[EVQ_CACHE_LINE] __attribute__((aligned(EVQ_CACHE_LINE)));

	if (evq_ring_check_geometry(aligned, size, entry_size) != 0)
		return 0;
	return (size_t)size * entry_size;
}

/* ------------------------------------------------------------------ */
/* Producer                                                           */
/* ------------------------------------------------------------------ */

void
evq_ring_prod_init(struct evq_ring_prod *p)
{
	memset(p, 0, sizeof(*p));
	p->defined = EVQ_RING_UNDEFINED;
	p->eventfd = -1;
}

int
evq_ring_prod_define(struct evq_ring_prod *p, const struct evq_ring_prod_conf *conf)
{
	int ret;

	if (p->defined != EVQ_RING_UNDEFINED) {
		evq_ring_log("ring %u is already defined", p->number);
		return -EBUSY;
	}
	ret = evq_ring_check_geometry(conf->base, conf->size, conf->entry_size);
	if (ret != 0)
		return ret;
	if (conf->doorbell == NULL) {
		evq_ring_log("ring %u: no doorbell word", conf->ring_number);
		return -EINVAL;
	}
	if (((uintptr_t)conf->doorbell & 7) != 0) {
		evq_ring_log("ring %u: doorbell word is not 8-byte aligned",
				conf->ring_number);
		return -EFAULT;
	}
	if (conf->intr_mode != EVQ_RING_INTR_ARMED &&
			conf->intr_mode != EVQ_RING_INTR_TIMESTAMP) {
		evq_ring_log("ring %u: unknown interrupt mode %d",
				conf->ring_number, (int)conf->intr_mode);
		return -EINVAL;
	}
	if ((conf->flags & ~EVQ_RING_F_DEFERRED_EVAL) != 0) {
		evq_ring_log("ring %u: unknown flags 0x%x", conf->ring_number,
				conf->flags);
		return -EINVAL;
	}
	ret = evq_ring_check_validity(conf->validity, conf->ring_number);
	if (ret != 0)
		return ret;

	p->base = conf->base;
	p->mask = conf->size - 1;
	p->entry_size = conf->entry_size;
	p->write = conf->start_count;
	p->flags = conf->flags;
	p->validity = conf->validity;
	p->phase_rot = evq_ring__phase_rot(conf->size);
	p->ring_start = conf->start_count;
	p->intr_mode = conf->intr_mode;
	p->doorbell = conf->doorbell;
	p->summary = conf->summary;
	p->group_summary = conf->group_summary;
	p->write_indicator = conf->write_indicator;
	p->write_publish_interval = conf->write_publish_interval;
	p->write_unpublished = 0;
	p->after_post_slow = conf->summary != NULL || conf->write_indicator != NULL ||
		conf->intr_mode != EVQ_RING_INTR_ARMED ||
		(conf->flags & EVQ_RING_F_DEFERRED_EVAL) != 0;
	p->last_doorbell = __atomic_load_n(conf->doorbell, __ATOMIC_ACQUIRE) ^ 1;
	p->read_seen = conf->start_count;
	p->number = conf->ring_number;
	p->signal_held = false;
	p->doorbell_bad = false;
	p->unevaluated = 0;
	p->moderation_delay = conf->moderation_delay_ns;
	p->next_interrupt_ts = 0;
	p->clock = conf->clock != NULL ? conf->clock : evq_ring_clock_ns;
	/* the state change is the last store: UNDEFINED -> UNARMED */
	__atomic_store_n(&p->defined, EVQ_RING_UNARMED, __ATOMIC_RELEASE);
	return 0;
}

void
evq_ring_prod_undefine(struct evq_ring_prod *p)
{
	__atomic_store_n(&p->defined, EVQ_RING_UNDEFINED, __ATOMIC_RELEASE);
}

/*
 * Why a doorbell word is malformed for this ring, or NULL if it is fine.
 * The read indicator may not be ahead of the write count: measured from the
 * last read indicator seen, so that a switch to a smaller ring does not
 * make a consumer that is behind look wrong.
 */
static const char *
evq_ring_doorbell_fault(const struct evq_ring_prod *p, uint64_t word)
{
	struct evq_doorbell db;

	if (evq_doorbell_decode(word, &db) != 0)
		return "reserved bits set";
	if (db.ring != p->number)
		return "ring number does not match";
	if (db.valid && (uint32_t)(db.read_indicator - p->read_seen) >
			(uint32_t)(p->write - p->read_seen))
		return "read indicator ahead of the write indicator";
	return NULL;
}

static bool
evq_ring_doorbell_armed_for(const struct evq_ring_prod *p, uint64_t word)
{
	return evq_ring_doorbell_fault(p, word) == NULL &&
		(word & (EVQ_DB_ARMED | EVQ_DB_VALID)) == (EVQ_DB_ARMED | EVQ_DB_VALID);
}

enum evq_ring_state
evq_ring_prod_state(const struct evq_ring_prod *p)
{
	if (p->defined == EVQ_RING_UNDEFINED)
		return EVQ_RING_UNDEFINED;
	if (evq_ring_doorbell_armed_for(p,
			__atomic_load_n(p->doorbell, __ATOMIC_ACQUIRE)))
		return EVQ_RING_ARMED;
	return EVQ_RING_UNARMED;
}

void
evq_ring_prod_set_signal(struct evq_ring_prod *p, evq_ring_signal_fn fn, void *arg)
{
	p->signal = fn;
	p->signal_arg = arg;
	p->eventfd = -1;
}

static void
evq_ring_eventfd_signal(void *arg, uint16_t ring)
{
	const struct evq_ring_prod *p = arg;
	uint64_t one = 1;
	ssize_t n;

	(void)ring;
	/* EAGAIN means the counter is saturated: the consumer is woken anyway */
	do {
		n = write(p->eventfd, &one, sizeof(one));
	} while (n < 0 && errno == EINTR);
}

int
evq_ring_prod_bind_eventfd(struct evq_ring_prod *p, int fd)
{
	if (fd < 0) {
		evq_ring_prod_set_signal(p, NULL, NULL);
		return 0;
	}
	p->signal = evq_ring_eventfd_signal;
	p->signal_arg = p;
	p->eventfd = fd;
	return 0;
}

void
evq_ring_prod_set_overflow(struct evq_ring_prod *p, evq_ring_overflow_fn fn, void *arg)
{
	p->overflow = fn;
	p->overflow_arg = arg;
}

void
evq_ring_prod_set_moderation(struct evq_ring_prod *p, uint64_t delay_ns)
{
	p->moderation_delay = delay_ns;
	if (p->clock == NULL)
		p->clock = evq_ring_clock_ns;
}

void
evq_ring_prod_publish(struct evq_ring_prod *p)
{
	if (p->write_indicator != NULL)
		__atomic_store_n(p->write_indicator, p->write, __ATOMIC_RELEASE);
	p->write_unpublished = 0;
}

/* Raise the interrupt: the caller has already taken the ARMED word. */
static void
evq_ring_fire(struct evq_ring_prod *p, uint64_t now)
{
	p->signal_held = false;
	if (p->moderation_delay != 0)
		p->next_interrupt_ts = now + p->moderation_delay;
	p->stats.signals++;
	if (p->signal != NULL)
		p->signal(p->signal_arg, p->number);
}

/*
 * Apply a doorbell word the producer has not seen before.
 * @return 0, or -EINVAL if it is malformed (counted, logged, ignored).
 */
static int
evq_ring_apply_doorbell(struct evq_ring_prod *p, uint64_t word)
{
	const char *why = evq_ring_doorbell_fault(p, word);

	p->last_doorbell = word;
	p->doorbell_bad = why != NULL;
	p->stats.doorbells++;
	if (why != NULL) {
		p->stats.bad_doorbells++;
		if (evq_ring_log_due(p->stats.bad_doorbells))
			evq_ring_log("ring %u: doorbell 0x%016llx ignored: %s",
					p->number, (unsigned long long)word, why);
		return -EINVAL;
	}
	if (word & EVQ_DB_VALID)
		p->read_seen = (uint32_t)word;
	return 0;
}

/* The ARMED rule over a doorbell word just loaded (the caller fenced). */
static int
evq_ring_eval_word(struct evq_ring_prod *p, uint64_t word)
{
	uint64_t now = 0;

	for (;;) {
		uint32_t read;

		if (word != p->last_doorbell) {
			if (evq_ring_apply_doorbell(p, word) != 0)
				return -EINVAL;
		} else if (p->doorbell_bad) {
			return -EINVAL;	/* unchanged and already rejected */
		}
		if (p->intr_mode != EVQ_RING_INTR_ARMED ||
				(word & (EVQ_DB_ARMED | EVQ_DB_VALID)) !=
				(EVQ_DB_ARMED | EVQ_DB_VALID))
			return 0;
		read = (uint32_t)word;
		if (p->write == read)
			return 0;
		if (p->moderation_delay != 0) {
			now = p->clock();
			if ((int64_t)(now - p->next_interrupt_ts) < 0) {
				p->signal_held = true;
				p->stats.held++;
				return 0;
			}
		}
		/* ARMED -> UNARMED in the same step as the signal, exactly once */
		if (__atomic_compare_exchange_n(p->doorbell, &word,
				word & ~EVQ_DB_ARMED, false,
				__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			p->last_doorbell = word & ~EVQ_DB_ARMED;
			evq_ring_fire(p, now);
			return 1;
		}
		/* the consumer stored a new word meanwhile: evaluate that one */
	}
}

static int
evq_ring_eval(struct evq_ring_prod *p, bool fence)
{
	if (p->defined == EVQ_RING_UNDEFINED)
		return -ENODEV;
	/* Dekker with evq_ring_arm_check(): our entry stores before its load */
	if (fence)
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return evq_ring_eval_word(p, __atomic_load_n(p->doorbell,
			__ATOMIC_ACQUIRE));
}

static void evq_ring_timestamp_rule(struct evq_ring_prod *p, unsigned int n);

int
evq_ring_prod_poll(struct evq_ring_prod *p)
{
	if (p->intr_mode == EVQ_RING_INTR_TIMESTAMP && p->unevaluated != 0 &&
			p->defined != EVQ_RING_UNDEFINED) {
		uint32_t n = p->unevaluated;

		p->unevaluated = 0;
		evq_ring_timestamp_rule(p, n);
		return p->doorbell_bad ? -EINVAL : 0;
	}
	return evq_ring_eval(p, true);
}

/* Timestamp moderation: no arming; interrupt when a completion event lands
 * on a ring empty of completion events, or when the consumer looks
 * unresponsive (still not empty past the next-interrupt time stamp). */
static void
evq_ring_timestamp_rule(struct evq_ring_prod *p, unsigned int n)
{
	/* n may span several posts (deferred evaluation) */
	uint32_t cec_before;
	uint64_t now;

	(void)evq_ring_eval(p, false);	/* learn the read indicator */
	cec_before = (p->write - n) - p->read_seen;
	now = p->clock();
	if (cec_before == 0 || (int64_t)(now - p->next_interrupt_ts) > 0) {
		p->next_interrupt_ts = now + p->moderation_delay;
		p->stats.signals++;
		if (p->signal != NULL)
			p->signal(p->signal_arg, p->number);
	}
}

/* Always store: skipping the store when the byte looks set would race with
 * a poller clearing it between our entry stores and our read of the byte. */
static void
evq_ring_set_summary(uint8_t *byte)
{
	__atomic_store_n(byte, 1, __ATOMIC_RELEASE);
}

void
evq_ring__after_post(struct evq_ring_prod *p, unsigned int n)
{
	p->stats.posted += n;
	/* summary bytes after the entries: a poller that sees the byte sees them */
	if (p->summary != NULL) {
		evq_ring_set_summary(p->summary);
		if (p->group_summary != NULL)
			evq_ring_set_summary(p->group_summary);
	}
	if (p->write_indicator != NULL && p->write_publish_interval != 0) {
		p->write_unpublished += n;
		if (p->write_unpublished >= p->write_publish_interval)
			evq_ring_prod_publish(p);
	}
	if (p->flags & EVQ_RING_F_DEFERRED_EVAL) {
		p->unevaluated += n;
		return;
	}
	if (p->intr_mode == EVQ_RING_INTR_TIMESTAMP)
		evq_ring_timestamp_rule(p, n);
	else
		(void)evq_ring_eval(p, p->signal != NULL);
}

/*
 * The rest of evq_ring__after_post_inline(): it found only the ARMED rule
 * to run and has fenced and loaded a doorbell word that needs a look.
 */
void
evq_ring__after_post_word(struct evq_ring_prod *p, unsigned int n, uint64_t word)
{
	p->stats.posted += n;
	(void)evq_ring_eval_word(p, word);
}

int
evq_ring__refuse(struct evq_ring_prod *p, int err, const char *why)
{
	p->stats.refused++;
	if (evq_ring_log_due(p->stats.refused))
		evq_ring_log("ring %u: post refused: %s", p->number, why);
	return err;
}

int
evq_ring__overflow(struct evq_ring_prod *p, unsigned int n)
{
	p->stats.overflows++;
	__atomic_store_n(&p->defined, EVQ_RING_UNDEFINED, __ATOMIC_RELEASE);
	evq_ring_log("ring %u overflow: no room for %u entries at write count %u; "
			"the ring is now undefined (resize or switch it)",
			p->number, n, p->write);
	if (p->overflow != NULL)
		p->overflow(p->overflow_arg, p->number, p->write);
	return -EOVERFLOW;
}

/*
 * Phase validity: entries of the current ring not known to be consumed
 * after a post of n more. Those posted before the ring's first count sit
 * in an earlier ring (a switch) and do not count.
 */
static uint32_t
evq_ring_phase_occupied(const struct evq_ring_prod *p, unsigned int n)
{
	uint32_t end = p->write + n;
	uint32_t since_read = end - p->read_seen;
	uint32_t since_start = end - p->ring_start;

	return since_read < since_start ? since_read : since_start;
}

/*
 * Phase validity, the ring looks full for n more entries: load the doorbell
 * word once (an unchanged word is not applied twice, a malformed one is
 * counted and teaches nothing) and decide again.
 */
bool
evq_ring__room_refresh(struct evq_ring_prod *p, unsigned int n)
{
	uint64_t word = __atomic_load_n(p->doorbell, __ATOMIC_ACQUIRE);

	if (word != p->last_doorbell)
		(void)evq_ring_apply_doorbell(p, word);
	return evq_ring_phase_occupied(p, n) <= p->mask + 1;
}

bool
evq_ring_prod_room(struct evq_ring_prod *p, unsigned int n)
{
	if (p->defined == EVQ_RING_UNDEFINED || n > p->mask + 1)
		return false;
	if (n == 0)
		return true;
	if (p->validity == EVQ_RING_VALIDITY_PHASE)
		return p->write + n - p->read_seen <= p->mask + 1 ||
			evq_ring__room_refresh(p, n);
	return __atomic_load_n((uint32_t *)evq_ring__slot(p->base, p->mask,
			p->entry_size, p->write + n - 1), __ATOMIC_ACQUIRE) == 0;
}

int
evq_ring_post(struct evq_ring_prod *p, uint8_t code, uint32_t param24,
		const void *payload)
{
	uint8_t entry[64] __attribute__((aligned(8)));
	uint32_t ctrl = evq_ctrl_make(code, param24);

	if (p->defined == EVQ_RING_UNDEFINED)
		return evq_ring__refuse(p, -ENODEV, "ring is undefined");
	memcpy(entry, &ctrl, sizeof(ctrl));
	if (p->entry_size > 4) {
		if (payload != NULL)
			memcpy(entry + 4, payload, p->entry_size - 4);
		else
			memset(entry + 4, 0, p->entry_size - 4);
	}
	return evq_ring_post_burst(p, entry, 1);
}

int
evq_ring_prod_switch(struct evq_ring_prod *p, void *new_base, uint32_t new_size)
{
	uint8_t *marker;
	uint32_t w = p->write;
	uint32_t ctrl;
	int ret;

	if (p->defined == EVQ_RING_UNDEFINED)
		return evq_ring__refuse(p, -ENODEV, "switch of an undefined ring");
	ret = evq_ring_check_geometry(new_base, new_size, p->entry_size);
	if (ret != 0)
		return ret;
	if (!evq_ring_prod_room(p, 1))
		return evq_ring__overflow(p, 1);
	marker = evq_ring__slot(p->base, p->mask, p->entry_size, w);
	ctrl = evq_ctrl_make(EVQ_CODE_SWITCH, (uint32_t)__builtin_ctz(new_size));
	if (p->validity == EVQ_RING_VALIDITY_PHASE)
		ctrl |= evq_ring__phase(w, p->phase_rot);
	/* the new ring first (private state), then the marker that names it */
	p->base = new_base;
	p->mask = new_size - 1;
	p->phase_rot = evq_ring__phase_rot(new_size);
	p->write = w + 1;
	p->ring_start = w + 1;
	if (p->entry_size > 4)
		memset(marker + 4, 0, p->entry_size - 4);
	__atomic_store_n((uint32_t *)marker, ctrl, __ATOMIC_RELEASE);
	p->stats.switches++;
	p->stats.posted--;	/* the marker is not an event */
	evq_ring__after_post(p, 1);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Consumer                                                           */
/* ------------------------------------------------------------------ */

static int
evq_ring_cons_setup(struct evq_ring_cons *c, const struct evq_ring_cons_conf *conf)
{
	int ret;

	ret = evq_ring_check_geometry(conf->base, conf->size, conf->entry_size);
	if (ret != 0)
		return ret;
	if (conf->doorbell == NULL) {
		evq_ring_log("ring %u: no doorbell word", conf->ring_number);
		return -EINVAL;
	}
	if (((uintptr_t)conf->doorbell & 7) != 0) {
		evq_ring_log("ring %u: doorbell word is not 8-byte aligned",
				conf->ring_number);
		return -EFAULT;
	}
	ret = evq_ring_check_validity(conf->validity, conf->ring_number);
	if (ret != 0)
		return ret;
	if (conf->read_publish_interval > conf->size) {
		evq_ring_log("ring %u: read publish interval %u exceeds the ring size %u",
				conf->ring_number, conf->read_publish_interval, conf->size);
		return -EINVAL;
	}
	memset(c, 0, sizeof(*c));
	c->base = conf->base;
	c->mask = conf->size - 1;
	c->entry_size = conf->entry_size;
	c->validity = conf->validity;
	c->phase_rot = evq_ring__phase_rot(conf->size);
	c->read_publish_interval = conf->read_publish_interval;
	c->doorbell = conf->doorbell;
	c->number = conf->ring_number;
	c->write_indicator = conf->write_indicator;
	c->attached = true;
	return 0;
}

int
evq_ring_cons_init(struct evq_ring_cons *c, const struct evq_ring_cons_conf *conf)
{
	int ret = evq_ring_cons_setup(c, conf);

	if (ret != 0)
		return ret;
	memset(conf->base, 0, (size_t)conf->size * conf->entry_size);
	evq_ring__publish(c);
	c->stats.publishes = 0;
	return 0;
}

int
evq_ring_cons_attach(struct evq_ring_cons *c, const struct evq_ring_cons_conf *conf,
		uint32_t read_count)
{
	int ret = evq_ring_cons_setup(c, conf);

	if (ret != 0)
		return ret;
	c->read = read_count;
	c->read_published = read_count;
	return 0;
}

void
evq_ring__publish(struct evq_ring_cons *c)
{
	__atomic_store_n(c->doorbell, EVQ_DB_VALID |
			((uint64_t)c->number << EVQ_DB_NUMBER_SHIFT) | c->read,
			__ATOMIC_RELEASE);
	c->read_published = c->read;
	c->stats.publishes++;
}

bool
evq_ring__follow_switch(struct evq_ring_cons *c)
{
	void *next = __atomic_load_n(&c->next_base, __ATOMIC_ACQUIRE);
	uint32_t *marker;

	if (next == NULL)
		return false;
	/* a phase ring is never written by its consumer */
	if (c->validity == EVQ_RING_VALIDITY_CLEAR) {
		marker = (uint32_t *)evq_ring__slot(c->base, c->mask,
				c->entry_size, c->read);
		__atomic_store_n(marker, 0, __ATOMIC_RELEASE);
	}
	c->base = next;
	c->mask = c->next_size - 1;
	c->phase_rot = evq_ring__phase_rot(c->next_size);
	c->read++;
	c->stats.switches++;
	__atomic_store_n(&c->next_base, NULL, __ATOMIC_RELEASE);
	return true;
}

int
evq_ring_arm_check(struct evq_ring_cons *c)
{
	uint64_t word = EVQ_DB_ARMED | EVQ_DB_VALID |
		((uint64_t)c->number << EVQ_DB_NUMBER_SHIFT) | c->read;
	uint64_t expected = word;
	const uint32_t *next;
	uint32_t ctrl;

	/* the exchange is a full barrier: the arm is visible before our load */
	__atomic_exchange_n(c->doorbell, word, __ATOMIC_SEQ_CST);
	c->read_published = c->read;
	c->stats.arms++;
	next = (const uint32_t *)evq_ring__slot(c->base, c->mask, c->entry_size, c->read);
	ctrl = __atomic_load_n(next, __ATOMIC_ACQUIRE);
	if (!evq_ring__valid(ctrl, c->read, c->phase_rot,
			c->validity == EVQ_RING_VALIDITY_PHASE))
		return 0;
	/* pending: take the armed word back, unless the producer took it and
	 * signalled, in which case the wake-up is already on its way */
	if (__atomic_compare_exchange_n(c->doorbell, &expected, word & ~EVQ_DB_ARMED,
			false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return 1;
	return 0;
}

void
evq_ring_disarm(struct evq_ring_cons *c)
{
	evq_ring__publish(c);
}

int
evq_ring_cons_advance(struct evq_ring_cons *c, uint32_t count)
{
	if (count > c->mask + 1) {
		evq_ring_log("ring %u: cannot advance by %u entries, ring has %u",
				c->number, count, c->mask + 1);
		return -EINVAL;
	}
	evq_ring_consume(c, count);
	return 0;
}

int
evq_ring_cons_switch_prepare(struct evq_ring_cons *c, void *new_base, uint32_t new_size)
{
	int ret;

	if (__atomic_load_n(&c->next_base, __ATOMIC_ACQUIRE) != NULL) {
		evq_ring_log("ring %u: a switch is already pending", c->number);
		return -EBUSY;
	}
	ret = evq_ring_check_geometry(new_base, new_size, c->entry_size);
	if (ret != 0)
		return ret;
	memset(new_base, 0, (size_t)new_size * c->entry_size);
	c->next_size = new_size;
	__atomic_store_n(&c->next_base, new_base, __ATOMIC_RELEASE);
	return 0;
}

int
evq_ring_cons_switch_at(struct evq_ring_cons *c, uint32_t stop, void *new_base,
		uint32_t new_size)
{
	uint32_t *marker, ctrl;
	int ret;

	/* no switch pending: the consumer's base and mask stay as they are */
	if (__atomic_load_n(&c->next_base, __ATOMIC_ACQUIRE) != NULL) {
		evq_ring_log("ring %u: a switch is already pending", c->number);
		return -EBUSY;
	}
	marker = (uint32_t *)evq_ring__slot(c->base, c->mask, c->entry_size, stop);
	ctrl = evq_ctrl_make(EVQ_CODE_SWITCH, (uint32_t)__builtin_ctz(new_size));
	if (c->validity == EVQ_RING_VALIDITY_PHASE) {
		/* nothing is cleared: the entry of count stop - size is used
		 * once the consumer's read count has passed it */
		if ((uint32_t)(stop - __atomic_load_n(&c->read, __ATOMIC_ACQUIRE)) > c->mask)
			return -EAGAIN;
		ctrl |= evq_ring__phase(stop, c->phase_rot);
	} else if (__atomic_load_n(marker, __ATOMIC_ACQUIRE) != 0) {
		/* the entry of count stop - size: cleared once the consumer used it */
		return -EAGAIN;
	}
	ret = evq_ring_cons_switch_prepare(c, new_base, new_size);
	if (ret != 0)
		return ret;
	if (c->entry_size > 4)
		memset((uint8_t *)marker + 4, 0, c->entry_size - 4);
	/* as evq_ring_prod_switch(): the new ring first, then the marker */
	__atomic_store_n(marker, ctrl, __ATOMIC_RELEASE);
	return 0;
}

unsigned int
evq_ring_cons_count(struct evq_ring_cons *c, unsigned int max)
{
	unsigned int n;

	if (max > c->mask + 1)
		max = c->mask + 1;
	for (n = 0; n < max; n++)
		if (evq_ring_peek(c, n) == NULL)
			break;
	return n;
}

/* ------------------------------------------------------------------ */
/* Summary bytes                                                      */
/* ------------------------------------------------------------------ */

uint64_t
evq_summary_peek(const struct evq_summary_line *line)
{
	const uint64_t *word = (const uint64_t *)line->byte;
	uint64_t mask = 0;
	unsigned int w, b;

	for (w = 0; w < EVQ_CACHE_LINE / 8; w++) {
		uint64_t v = __atomic_load_n(&word[w], __ATOMIC_ACQUIRE);

		if (v == 0)
			continue;
		for (b = 0; b < 8; b++)
			if ((v >> (8 * b)) & 0xff)
				mask |= 1ull << (w * 8 + b);
	}
	return mask;
}

uint64_t
evq_summary_take(struct evq_summary_line *line)
{
	return evq_summary_take_mask(line, UINT64_MAX);
}

uint64_t
evq_summary_take_mask(struct evq_summary_line *line, uint64_t want)
{
	uint64_t mask = evq_summary_peek(line) & want;
	uint64_t m = mask;

	while (m != 0) {
		unsigned int i = (unsigned int)__builtin_ctzll(m);

		__atomic_store_n(&line->byte[i], 0, __ATOMIC_RELAXED);
		m &= m - 1;
	}
	/* the clears before the caller's drain loads */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return mask;
}

/* ------------------------------------------------------------------ */
/* eventfd                                                            */
/* ------------------------------------------------------------------ */

int
evq_eventfd_create(void)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int
evq_eventfd_wait(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint64_t value;
	ssize_t n;
	int ret;

	if (fd < 0)
		return -EBADF;
	do {
		ret = poll(&pfd, 1, timeout_ms);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return 0;
	do {
		n = read(fd, &value, sizeof(value));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN ? 0 : -errno;
	return value > INT_MAX ? INT_MAX : (int)value;
}

/* ------------------------------------------------------------------ */
/* Shared-memory layout                                               */
/* ------------------------------------------------------------------ */

size_t
evq_ring_shm_size(uint32_t size, uint32_t entry_size)
{
	size_t entries = evq_ring_mem_size(size, entry_size);

	return entries == 0 ? 0 : sizeof(struct evq_ring_shm) + entries;
}

int
evq_ring_shm_format(void *mem, size_t len, uint32_t size, uint32_t entry_size,
		uint16_t ring_number, enum evq_ring_validity validity)
{
	struct evq_ring_shm *shm = mem;
	size_t need;
	int ret;

	if (mem == NULL) {
		evq_ring_log("shared ring memory is NULL");
		return -EINVAL;
	}
	ret = evq_ring_check_geometry(mem, size, entry_size);
	if (ret != 0)
		return ret;
	ret = evq_ring_check_validity(validity, ring_number);
	if (ret != 0)
		return ret;
	need = evq_ring_shm_size(size, entry_size);
	if (len < need) {
		evq_ring_log("shared ring needs %zu bytes, got %zu", need, len);
		return -ENOSPC;
	}
	memset(mem, 0, need);
	shm->size = size;
	shm->entry_size = entry_size;
	shm->ring_number = ring_number;
	shm->validity = (uint8_t)validity;
	shm->version = EVQ_SHM_VERSION;
	shm->doorbell = EVQ_DB_VALID | ((uint64_t)ring_number << EVQ_DB_NUMBER_SHIFT);
	__atomic_store_n(&shm->magic, EVQ_SHM_MAGIC, __ATOMIC_RELEASE);
	return 0;
}

/* The block may come from another process: trust nothing in it. */
static int
evq_ring_shm_check(const struct evq_ring_shm *shm, size_t len)
{
	size_t need;

	if (shm == NULL) {
		evq_ring_log("shared ring block is NULL");
		return -EINVAL;
	}
	if (len < sizeof(*shm)) {
		evq_ring_log("shared ring block too small (%zu bytes)", len);
		return -ENOSPC;
	}
	if (((uintptr_t)shm & (EVQ_CACHE_LINE - 1)) != 0) {
		evq_ring_log("shared ring block is not %d-byte aligned", EVQ_CACHE_LINE);
		return -EFAULT;
	}
	if (__atomic_load_n(&shm->magic, __ATOMIC_ACQUIRE) != EVQ_SHM_MAGIC ||
			shm->version != EVQ_SHM_VERSION) {
		evq_ring_log("shared ring block has magic 0x%08x version %u, "
				"expected 0x%08x version %u: not formatted?",
				shm->magic, shm->version, EVQ_SHM_MAGIC, EVQ_SHM_VERSION);
		return -EPROTO;
	}
	need = evq_ring_shm_size(shm->size, shm->entry_size);
	if (need == 0)
		return -EINVAL;
	if (evq_ring_check_validity((enum evq_ring_validity)shm->validity,
			shm->ring_number) != 0)
		return -EINVAL;
	if (len < need) {
		evq_ring_log("shared ring header claims %zu bytes, block has %zu",
				need, len);
		return -ENOSPC;
	}
	return 0;
}

int
evq_ring_shm_prod_attach(struct evq_ring_prod *p, void *mem, size_t len,
		uint32_t flags)
{
	struct evq_ring_shm *shm = mem;
	struct evq_ring_prod_conf conf;
	struct evq_ring_prod fresh;
	int ret = evq_ring_shm_check(shm, len);

	if (ret != 0)
		return ret;
	memset(&conf, 0, sizeof(conf));
	conf.base = shm->entries;
	conf.size = shm->size;
	conf.entry_size = shm->entry_size;
	conf.ring_number = shm->ring_number;
	conf.doorbell = &shm->doorbell;
	conf.write_indicator = &shm->write_indicator;
	conf.summary = &shm->summary.byte[shm->ring_number % EVQ_CACHE_LINE];
	conf.flags = flags;
	conf.validity = (enum evq_ring_validity)shm->validity;
	/* p may be uninitialised memory: define a fresh context, and touch p
	 * only once that has worked (on error nothing changes) */
	evq_ring_prod_init(&fresh);
	ret = evq_ring_prod_define(&fresh, &conf);
	if (ret != 0)
		return ret;
	*p = fresh;
	return 0;
}

int
evq_ring_shm_cons_attach(struct evq_ring_cons *c, void *mem, size_t len,
		uint32_t read_publish_interval)
{
	struct evq_ring_shm *shm = mem;
	struct evq_ring_cons_conf conf;
	int ret = evq_ring_shm_check(shm, len);

	if (ret != 0)
		return ret;
	memset(&conf, 0, sizeof(conf));
	conf.base = shm->entries;
	conf.size = shm->size;
	conf.entry_size = shm->entry_size;
	conf.ring_number = shm->ring_number;
	conf.doorbell = &shm->doorbell;
	conf.write_indicator = &shm->write_indicator;
	conf.read_publish_interval = read_publish_interval;
	conf.validity = (enum evq_ring_validity)shm->validity;
	return evq_ring_cons_attach(c, &conf, 0);
}
