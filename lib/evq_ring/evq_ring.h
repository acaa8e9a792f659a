/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

#ifndef EVQ_RING_H
#define EVQ_RING_H

/**
 * @file
 * evq_ring: the event queue (EQ) of the event-queue interrupt scheme.
 *
 * A producer (an adapter, or any thread or process) reports events by
 * writing entries into a circular array in memory it shares with a
 * consumer. Every entry starts with a 32-bit control word whose top byte is
 * the event code (0 = empty) and whose low 24 bits are an inline
 * parameter; the rest of the entry carries more parameters. The consumer
 * finds work by polling the next entry's control word, never a shared
 * index. Which entries hold events is decided by the ring's validity rule,
 * chosen when the ring is defined (enum evq_ring_validity):
 *  - CLEAR (the default): a non-zero code is an event; the consumer clears
 *    the code once it has used the entry, and the producer finds room by
 *    looking at the code of the last slot it is about to fill.
 *  - PHASE: the producer writes bit 23 of the control word (the phase bit)
 *    as the parity of the lap it is writing; an entry holds an event when
 *    its code is non-zero and its phase bit is that of the consumer's lap.
 *    The consumer writes nothing into entries; the producer learns of free
 *    space only from the read indicator the consumer publishes in the
 *    doorbell word (lazily: every N entries, and when it arms or disarms).
 *    The inline parameter has 23 bits.
 *
 * A ring is UNDEFINED, UNARMED or ARMED. The consumer arms it with one
 * 64-bit store of a doorbell word (armed flag, ring number, valid flag,
 * read indicator). An armed ring whose write indicator is ahead of the
 * doorbell's read indicator is signalled exactly once and drops to
 * UNARMED in the same atomic step, so arming while events are pending
 * signals at once and no event posted before the arm is missed.
 *
 * Indicators are free-running 32-bit counts, not positions: the position
 * of count c is c & (size - 1). The read indicator is therefore advanced
 * by a count, and a switch to a larger ring never invalidates one in
 * flight.
 *
 * Moderation: a per-ring next-interrupt delay and
 * next-interrupt time stamp (no timers), a completion-event counter, and
 * summary bytes in memory so that one poller watches many rings by
 * reading one cache line.
 *
 * Memory ordering: the producer stores parameters, then the control word
 * with release; the consumer loads the control word with acquire. The
 * library has no locks and makes no system calls on its fast paths; the
 * eventfd binding writes to an eventfd only when a signal is due.
 *
 * Threading: one producer and one consumer per ring. The producer context
 * (struct evq_ring_prod) and the consumer context (struct evq_ring_cons)
 * live in their owners' private memory; they share the entries, the
 * doorbell word, and optionally a write-indicator word and summary bytes.
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef evq_likely
#define evq_likely(x)	__builtin_expect(!!(x), 1)
#define evq_unlikely(x)	__builtin_expect(!!(x), 0)
#endif

/** Cache line size assumed for layout and summary lines. */
#define EVQ_CACHE_LINE		64

/** Event code of an empty entry. */
#define EVQ_CODE_EMPTY		0x00
/** Event code reserved by the library: "the ring continues elsewhere". */
#define EVQ_CODE_SWITCH		0xff

/** Smallest and largest ring, in entries. */
#define EVQ_RING_SIZE_MIN	8u
#define EVQ_RING_SIZE_MAX	(1u << 24)
/** Largest ring number a doorbell can carry. */
#define EVQ_RING_NUMBER_MAX	0xffffu

/** Control word helpers: code in bits 31:24, inline parameter in 23:0. */
#define EVQ_CTRL_CODE_SHIFT	24
#define EVQ_CTRL_PARAM_MASK	0x00ffffffu
/** Phase validity: bit 23 is the phase bit, the inline parameter 22:0. A
 * producer posts it as 0; evq_ring_poll_burst() and evq_ring_cons_ctrl()
 * return it as 0; it is set in the ring on odd laps. */
#define EVQ_CTRL_PHASE_SHIFT	23
#define EVQ_CTRL_PHASE		(1u << EVQ_CTRL_PHASE_SHIFT)
#define EVQ_CTRL_PARAM_MASK_PHASE 0x007fffffu

static inline uint32_t
evq_ctrl_make(uint8_t code, uint32_t param24)
{
	return ((uint32_t)code << EVQ_CTRL_CODE_SHIFT) |
		(param24 & EVQ_CTRL_PARAM_MASK);
}

static inline uint8_t
evq_ctrl_code(uint32_t ctrl)
{
	return (uint8_t)(ctrl >> EVQ_CTRL_CODE_SHIFT);
}

static inline uint32_t
evq_ctrl_param(uint32_t ctrl)
{
	return ctrl & EVQ_CTRL_PARAM_MASK;
}

/* ------------------------------------------------------------------ */
/* Doorbell word: the consumer's read count and arm request.         */
/* ------------------------------------------------------------------ */

#define EVQ_DB_READ_MASK	0x00000000ffffffffull
#define EVQ_DB_NUMBER_SHIFT	32
#define EVQ_DB_NUMBER_MASK	0x0000ffff00000000ull
#define EVQ_DB_RESERVED_MASK	0x3fff000000000000ull
#define EVQ_DB_VALID		(1ull << 62)
#define EVQ_DB_ARMED		(1ull << 63)

/** Decoded doorbell word. */
struct evq_doorbell {
	bool armed;		/**< arm the ring */
	bool valid;		/**< read_indicator is meaningful */
	uint16_t ring;		/**< ring (EQ) number */
	uint32_t read_indicator; /**< consumer's running count */
};

/** Encode a doorbell word: the one value a consumer stores to arm. */
static inline uint64_t
evq_doorbell_encode(const struct evq_doorbell *db)
{
	return (db->armed ? EVQ_DB_ARMED : 0) |
		(db->valid ? EVQ_DB_VALID : 0) |
		((uint64_t)db->ring << EVQ_DB_NUMBER_SHIFT) |
		(uint64_t)db->read_indicator;
}

/**
 * Decode a doorbell word.
 * @return 0, or -EINVAL if reserved bits are set (malformed word).
 */
static inline int
evq_doorbell_decode(uint64_t word, struct evq_doorbell *db)
{
	if (word & EVQ_DB_RESERVED_MASK)
		return -EINVAL;
	db->armed = (word & EVQ_DB_ARMED) != 0;
	db->valid = (word & EVQ_DB_VALID) != 0;
	db->ring = (uint16_t)((word & EVQ_DB_NUMBER_MASK) >> EVQ_DB_NUMBER_SHIFT);
	db->read_indicator = (uint32_t)(word & EVQ_DB_READ_MASK);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Common definitions                                                 */
/* ------------------------------------------------------------------ */

/** Ring state, as the producer (the adapter) holds it. */
enum evq_ring_state {
	EVQ_RING_UNDEFINED = 0,
	EVQ_RING_UNARMED = 1,
	EVQ_RING_ARMED = 2,
};

/** Name of a state, for logs. */
const char *evq_ring_state_name(enum evq_ring_state state);

/**
 * Interrupt modes of a producer.
 * ARMED: the event-queue scheme's interrupt rule (signal when armed and
 * pending; moderation holds the signal back until the next-interrupt time
 * stamp).
 * TIMESTAMP: timestamp moderation (no arming: signal when a completion
 * event lands on a ring empty of completion events, or when the consumer
 * looks unresponsive: events pending past the next-interrupt time stamp).
 */
enum evq_ring_intr_mode {
	EVQ_RING_INTR_ARMED = 0,
	EVQ_RING_INTR_TIMESTAMP = 1,
};

/**
 * Validity rules of a ring's entries (see the file comment). Producer and
 * consumer must be configured with the same rule; a shared-memory ring
 * records it in its header.
 */
enum evq_ring_validity {
	EVQ_RING_VALIDITY_CLEAR = 0,	/**< code != 0; the consumer clears it */
	EVQ_RING_VALIDITY_PHASE = 1,	/**< phase bit = lap parity; nothing cleared */
};

/** Name of a validity rule ("clear", "phase"), for logs. */
const char *evq_ring_validity_name(enum evq_ring_validity validity);

/** Producer flag: evq_ring_post_burst() does not evaluate the interrupt
 * rule; the owner calls evq_ring_prod_poll() from its own loop (a device
 * engine that polls doorbells anyway batches the fence that way). */
#define EVQ_RING_F_DEFERRED_EVAL	(1u << 0)

/** Signal hook: called once per interrupt, from the producer's thread. */
typedef void (*evq_ring_signal_fn)(void *arg, uint16_t ring);
/** Overflow hook: called when a post finds the ring full (the ring has
 * just gone UNDEFINED); an adapter posts its overflow event from here. */
typedef void (*evq_ring_overflow_fn)(void *arg, uint16_t ring,
		uint32_t write_indicator);

/** Moderation clock: monotonic nanoseconds. */
typedef uint64_t (*evq_ring_clock_fn)(void);

/** Default clock (CLOCK_MONOTONIC, vDSO: no system call). */
uint64_t evq_ring_clock_ns(void);

/** Producer configuration (evq_ring_prod_define()). */
struct evq_ring_prod_conf {
	void *base;		/**< entries; zeroed by the consumer; 64-B aligned */
	uint32_t size;		/**< entries, power of two */
	uint32_t entry_size;	/**< 4, 8, 16, 32 or 64 bytes */
	uint16_t ring_number;	/**< carried by the doorbell word */
	uint64_t *doorbell;	/**< doorbell word the consumer stores to */
	uint32_t *write_indicator; /**< optional: published write count */
	uint32_t write_publish_interval; /**< publish every N posts; 0 = on request */
	uint8_t *summary;	/**< optional: this ring's byte in a group line */
	uint8_t *group_summary;	/**< optional: its group's byte in the primary line */
	enum evq_ring_intr_mode intr_mode;
	uint64_t moderation_delay_ns; /**< next-interrupt delay; 0 = none */
	evq_ring_clock_fn clock; /**< NULL = evq_ring_clock_ns */
	uint32_t flags;		/**< EVQ_RING_F_* */
	uint32_t start_count;	/**< first write count (0 for a new ring) */
	enum evq_ring_validity validity; /**< CLEAR (0, default) or PHASE */
};

/** Producer counters. */
struct evq_ring_prod_stats {
	uint64_t posted;	/**< entries written */
	uint64_t signals;	/**< interrupts raised */
	uint64_t held;		/**< evaluations where moderation held a signal */
	uint64_t overflows;	/**< posts that found the ring full */
	uint64_t refused;	/**< posts refused (undefined ring, bad entry) */
	uint64_t bad_doorbells;	/**< malformed doorbell words seen */
	uint64_t doorbells;	/**< doorbell word changes observed */
	uint64_t switches;	/**< ring switches */
};

/**
 * Producer context. Private to the producer; the fields are public only so
 * that the fast paths can be inline. Use the functions.
 */
struct evq_ring_prod {
	/* hot: touched on every post */
	uint8_t *base;
	uint32_t mask;
	uint32_t entry_size;
	uint32_t write;			/* running count */
	uint32_t flags;
	enum evq_ring_validity validity;
	uint32_t phase_rot;		/* phase validity: lap bit -> bit 23 */
	uint32_t read_seen;		/* last valid read indicator seen */
	uint32_t ring_start;		/* first write count in this ring */
	enum evq_ring_state defined;	/* UNDEFINED or UNARMED (see state()) */
	bool after_post_slow;		/* more than the ARMED rule after a post */
	enum evq_ring_intr_mode intr_mode;
	uint64_t *doorbell;
	uint8_t *summary;
	uint8_t *group_summary;
	uint32_t *write_indicator;
	uint32_t write_publish_interval;
	uint32_t write_unpublished;
	evq_ring_signal_fn signal;
	void *signal_arg;
	/* warm: the interrupt rule */
	uint64_t last_doorbell;
	uint16_t number;
	bool signal_held;		/* moderation holds a due signal */
	bool doorbell_bad;		/* last_doorbell was rejected */
	uint32_t unevaluated;		/* posts not yet seen by the TIMESTAMP rule */
	uint64_t moderation_delay;
	uint64_t next_interrupt_ts;
	evq_ring_clock_fn clock;
	evq_ring_overflow_fn overflow;
	void *overflow_arg;
	int eventfd;
	struct evq_ring_prod_stats stats;
};

/** Consumer counters. */
struct evq_ring_cons_stats {
	uint64_t consumed;	/**< entries consumed */
	uint64_t arms;		/**< arm doorbells written */
	uint64_t publishes;	/**< lazy read-indicator doorbells written */
	uint64_t switches;	/**< switches to a new ring followed */
};

/** Consumer configuration (evq_ring_cons_init()). */
struct evq_ring_cons_conf {
	void *base;		/**< entries; zeroed by evq_ring_cons_init() */
	uint32_t size;		/**< entries, power of two */
	uint32_t entry_size;	/**< 4, 8, 16, 32 or 64 bytes */
	uint16_t ring_number;
	uint64_t *doorbell;	/**< doorbell word (may be an mmapped BAR page) */
	uint32_t read_publish_interval; /**< publish read count every N; 0 = on arm only */
	const uint32_t *write_indicator; /**< optional: producer's published count */
	enum evq_ring_validity validity; /**< as the producer's (CLEAR by default) */
};

/** Consumer context. Private to the consumer. */
struct evq_ring_cons {
	/* hot */
	uint8_t *base;
	uint32_t mask;
	uint32_t entry_size;
	uint32_t read;			/* running count */
	enum evq_ring_validity validity;
	uint32_t phase_rot;		/* phase validity: lap bit -> bit 23 */
	uint32_t read_published;
	uint32_t read_publish_interval;
	uint64_t *doorbell;
	uint16_t number;
	bool attached;
	/* the next ring, handed over by evq_ring_cons_switch_prepare() */
	void *next_base;
	uint32_t next_size;
	const uint32_t *write_indicator;
	struct evq_ring_cons_stats stats;
};

/* ------------------------------------------------------------------ */
/* Validation                                                         */
/* ------------------------------------------------------------------ */

/**
 * Check a ring geometry.
 * @return 0, -EINVAL (size not a power of two, too small or too large,
 *   entry size not 4/8/16/32/64, NULL base) or -EFAULT (base misaligned).
 */
int evq_ring_check_geometry(const void *base, uint32_t size, uint32_t entry_size);

/** Bytes of entry memory for a ring (0 if the geometry is invalid). */
size_t evq_ring_mem_size(uint32_t size, uint32_t entry_size);

/* ------------------------------------------------------------------ */
/* Producer                                                           */
/* ------------------------------------------------------------------ */

/** Put a producer context in the UNDEFINED state (power-on default). */
void evq_ring_prod_init(struct evq_ring_prod *p);

/**
 * UNDEFINED -> UNARMED: give the producer the ring's location
 * (when the device is initialised). The consumer must have zeroed the
 * entries. On error nothing changes.
 * @return 0, -EINVAL, -EFAULT (see evq_ring_check_geometry()), -EBUSY if
 *   the ring is already defined.
 */
int evq_ring_prod_define(struct evq_ring_prod *p,
		const struct evq_ring_prod_conf *conf);

/** Back to UNDEFINED (teardown or catastrophic error). */
void evq_ring_prod_undefine(struct evq_ring_prod *p);

/** The producer's view of the state machine. */
enum evq_ring_state evq_ring_prod_state(const struct evq_ring_prod *p);

/** Install the signal hook (NULL to remove). */
void evq_ring_prod_set_signal(struct evq_ring_prod *p,
		evq_ring_signal_fn fn, void *arg);

/** Bind an eventfd: a signal writes the 8-byte value 1 to it. fd < 0 unbinds. */
int evq_ring_prod_bind_eventfd(struct evq_ring_prod *p, int fd);

/** Install the overflow hook. */
void evq_ring_prod_set_overflow(struct evq_ring_prod *p,
		evq_ring_overflow_fn fn, void *arg);

/** Change the moderation delay (ns; 0 disables). */
void evq_ring_prod_set_moderation(struct evq_ring_prod *p, uint64_t delay_ns);

/**
 * Evaluate the doorbell and the interrupt rule: apply a changed doorbell
 * word (validate it, learn the read indicator), then signal if the rule
 * says so. Called by evq_ring_post_burst() unless EVQ_RING_F_DEFERRED_EVAL
 * (with a full barrier first when a signal is bound, so that a concurrent
 * arm is never missed), and by the owner's loop to release signals held
 * by moderation. A lazy read-indicator update (VALID without ARMED)
 * leaves the ring UNARMED (only an arm arms it): arm last.
 * An ARMED word without VALID is not acted upon (the rule needs the read
 * indicator). In TIMESTAMP mode with EVQ_RING_F_DEFERRED_EVAL, the
 * timestamp rule runs here over the posts made since the last call.
 * @return 1 if it signalled, 0 if not, -EINVAL if the doorbell word is
 *   malformed (counted and ignored), -ENODEV if the ring is undefined.
 */
int evq_ring_prod_poll(struct evq_ring_prod *p);

/** Publish the write indicator now (to conf.write_indicator). */
void evq_ring_prod_publish(struct evq_ring_prod *p);

/** Completion-event counter: posted but not yet known consumed. */
static inline uint32_t
evq_ring_prod_cec(const struct evq_ring_prod *p)
{
	return p->write - p->read_seen;
}

/**
 * Switch to a larger (or other) ring without a lock: write the switch
 * marker into the current ring at write count w (the marker takes that one
 * count), then continue at w + 1 in the new one. The consumer follows the marker once it has been handed the
 * new ring with evq_ring_cons_switch_prepare(). Summary bytes, doorbell and
 * hooks stay. On error nothing changes.
 * @return 0, -EINVAL/-EFAULT (geometry), -ENODEV (undefined),
 *   -EOVERFLOW (no room for the marker: the ring went UNDEFINED).
 */
int evq_ring_prod_switch(struct evq_ring_prod *p, void *new_base,
		uint32_t new_size);

/*
 * Once inlined into a caller whose buffer fits one entry size, the bodies
 * of the other sizes (never taken: the ring's size is the caller's) look
 * out of bounds to the compiler. Silence that false alarm here only.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#if __GNUC__ >= 11
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif
#endif

/* internal helpers of the inline fast paths below (evq_ring__*) */
#include "evq_ring_pvt.h"

/**
 * Post a burst of n entries (n * entry_size bytes, each a control word
 * with a non-zero, non-0xff code, then parameters; with phase validity
 * bit 23 must be 0). All or nothing.
 * A full ring is an overflow, as on the adapter: nothing is written, the
 * ring goes UNDEFINED and the overflow hook runs.
 *
 * When the ring is full, for a post of n entries at write count w:
 *  - CLEAR validity: the slot of count w + n - 1 still holds a code (the
 *    consumer has not cleared it yet), loaded when the post is made.
 *  - PHASE validity: w + n - R > size, where R is the read indicator of
 *    the newest valid doorbell word the producer has loaded (VALID set,
 *    right ring number, not ahead of w). The producer keeps R from the
 *    doorbell loads it makes anyway (after each post, and in
 *    evq_ring_prod_poll()) and loads the word once more, here, only when
 *    its copy says the ring is full. Entries the consumer has used but not
 *    yet published therefore still occupy the ring: with a publish
 *    interval N a consumer that holds K entries unread must expect a
 *    producer to find the ring full once size - K - (N - 1) entries are
 *    posted beyond its last publication; with N = 0 (publish on arm only),
 *    after size entries posted since the last arm or disarm. After a
 *    switch, entries still unread in the old ring do not count against
 *    the new one.
 * @return n, -ENODEV (undefined), -EINVAL (bad burst or code; nothing
 *   written), -EOVERFLOW (overflow).
 */
static inline int
evq_ring_post_burst(struct evq_ring_prod *p, const void *entries, unsigned int n)
{
	return evq_ring__post(p, entries, n, false);
}

/**
 * Post a burst with back-pressure, for software producers: a full ring
 * returns -ENOBUFS and nothing changes. Otherwise as evq_ring_post_burst().
 */
static inline int
evq_ring_try_post_burst(struct evq_ring_prod *p, const void *entries,
		unsigned int n)
{
	return evq_ring__post(p, entries, n, true);
}

/**
 * evq_ring_post_burst() for a producer that knows its ring's entry size
 * when it is compiled: es is a constant, equal to the entry size the ring
 * was defined with, so there is no switch on the entry size per call (the
 * copies and slot addresses are specialised, as for evq_ring_peek_fixed()).
 */
static inline int
evq_ring_post_burst_fixed(struct evq_ring_prod *p, const void *entries,
		unsigned int n, const uint32_t es)
{
	if (p->validity == EVQ_RING_VALIDITY_PHASE)
		return evq_ring__post_es(p, entries, n, false, es, true);
	return evq_ring__post_es(p, entries, n, false, es, false);
}

/** evq_ring_try_post_burst() with a constant entry size es, as above. */
static inline int
evq_ring_try_post_burst_fixed(struct evq_ring_prod *p, const void *entries,
		unsigned int n, const uint32_t es)
{
	if (p->validity == EVQ_RING_VALIDITY_PHASE)
		return evq_ring__post_es(p, entries, n, true, es, true);
	return evq_ring__post_es(p, entries, n, true, es, false);
}

/**
 * Is there room for n more entries (the test a post makes, see
 * evq_ring_post_burst(); with phase validity it may reload the doorbell
 * word)? Changes nothing else: for a producer that must not overflow, e.g.
 * before evq_ring_prod_switch(), which needs room for its marker.
 */
bool evq_ring_prod_room(struct evq_ring_prod *p, unsigned int n);

/**
 * Post one event. payload holds entry_size - 4 bytes of parameters (may be
 * NULL for none: zeros). Overflow semantics as evq_ring_post_burst().
 * @return 1 or a negative errno.
 */
int evq_ring_post(struct evq_ring_prod *p, uint8_t code, uint32_t param24,
		const void *payload);

/* ------------------------------------------------------------------ */
/* Consumer                                                           */
/* ------------------------------------------------------------------ */

/**
 * Attach a consumer to a ring and clear every entry's code (an entry
 * whose code is 0 is empty, so a new ring must start all empty). Do it
 * before the producer defines the ring.
 * @return 0, -EINVAL, -EFAULT, or -ERANGE (ring number out of range).
 */
int evq_ring_cons_init(struct evq_ring_cons *c, const struct evq_ring_cons_conf *conf);

/**
 * Attach without clearing (the ring is live, e.g. a second process takes
 * over a shared ring at a known read count).
 */
int evq_ring_cons_attach(struct evq_ring_cons *c,
		const struct evq_ring_cons_conf *conf, uint32_t read_count);


/**
 * The i-th pending entry (0 = next), or NULL if it is still empty.
 * Loads the code with acquire; follows a switch marker transparently when
 * i == 0. Reads no shared index.
 */
static inline const void *
evq_ring_peek(struct evq_ring_cons *c, unsigned int i)
{
	return evq_ring__peek(c, i);
}

/**
 * evq_ring_peek() for a consumer that knows its ring's entry size when it
 * is compiled (a driver whose events have one size): es is a constant,
 * equal to the entry size the consumer was attached with, so there is no
 * switch on the entry size per call. The entry's control word, loaded
 * once with acquire, is stored in *ctrl (as posted: without the phase bit)
 * so that the caller need not read it again.
 * @return the entry, or NULL (*ctrl unchanged) if it is still empty.
 */
static inline const void *
evq_ring_peek_fixed(struct evq_ring_cons *c, unsigned int i, const uint32_t es,
		uint32_t *ctrl)
{
	if (c->validity == EVQ_RING_VALIDITY_PHASE)
		return evq_ring__peek_es(c, i, es, true, ctrl);
	return evq_ring__peek_es(c, i, es, false, ctrl);
}

/**
 * The burst form of evq_ring_peek_fixed(), for a consumer that handles
 * events in place: how many are ready from the next entry on, at most max
 * (one acquire load when the whole burst is there; a switch marker met
 * as the first entry is followed as by evq_ring_peek()). Entry i < n is
 * then evq_ring_peek_at_fixed(c, i, es), its control word as in the ring
 * (evq_ring_cons_ctrl() removes the phase bit); consume them with
 * evq_ring_consume_fixed(). es as for evq_ring_peek_fixed().
 * @return number of events ready (0 .. max).
 */
static inline unsigned int
evq_ring_peek_burst_fixed(struct evq_ring_cons *c, unsigned int max,
		const uint32_t es)
{
	if (c->validity == EVQ_RING_VALIDITY_PHASE)
		return evq_ring__ready_es(c, max, es, true);
	return evq_ring__ready_es(c, max, es, false);
}

/** Entry i of those evq_ring_peek_burst_fixed() found ready (no test). */
static inline const void *
evq_ring_peek_at_fixed(const struct evq_ring_cons *c, unsigned int i,
		const uint32_t es)
{
	return evq_ring__slot(c->base, c->mask, es, c->read + i);
}

/**
 * Control word of an entry returned by evq_ring_peek(), as it is in the
 * ring: with phase validity it carries the phase bit (EVQ_CTRL_PHASE);
 * evq_ring_cons_ctrl() removes it.
 */
static inline uint32_t
evq_ring_entry_ctrl(const void *entry)
{
	uint32_t ctrl;

	memcpy(&ctrl, entry, sizeof(ctrl));
	return ctrl;
}

/** Control word of an entry returned by evq_ring_peek(), as posted. */
static inline uint32_t
evq_ring_cons_ctrl(const struct evq_ring_cons *c, const void *entry)
{
	uint32_t ctrl = evq_ring_entry_ctrl(entry);

	return c->validity == EVQ_RING_VALIDITY_PHASE ? ctrl & ~EVQ_CTRL_PHASE : ctrl;
}


/**
 * Consume the next n entries (all seen by evq_ring_peek()): clear their
 * codes in order (CLEAR validity; PHASE writes nothing into the ring),
 * advance the read indicator by n, publish it lazily.
 */
static inline void
evq_ring_consume(struct evq_ring_cons *c, unsigned int n)
{
	evq_ring__consume(c, n);
}

/**
 * evq_ring_consume() with the entry size a compile-time constant es, as
 * for evq_ring_peek_fixed().
 */
static inline void
evq_ring_consume_fixed(struct evq_ring_cons *c, unsigned int n, const uint32_t es)
{
	if (c->validity == EVQ_RING_VALIDITY_PHASE)
		evq_ring__consume_es(c, c->base, c->mask, c->read, n, es, true);
	else
		evq_ring__consume_es(c, c->base, c->mask, c->read, n, es, false);
}


/**
 * Copy up to max pending entries into out (max * entry_size bytes) and
 * consume them. The copies carry no phase bit.
 * @return number of entries copied.
 */
static inline unsigned int
evq_ring_poll_burst(struct evq_ring_cons *c, void *out, unsigned int max)
{
	return evq_ring__poll_burst(c, out, max);
}

/**
 * evq_ring_poll_burst() with the entry size a compile-time constant es,
 * as for evq_ring_peek_fixed().
 */
static inline unsigned int
evq_ring_poll_burst_fixed(struct evq_ring_cons *c, void *out, unsigned int max,
		const uint32_t es)
{
	if (c->validity == EVQ_RING_VALIDITY_PHASE)
		return evq_ring__poll_es(c, (uint8_t *)out, max, es, true);
	return evq_ring__poll_es(c, (uint8_t *)out, max, es, false);
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/** True if the next entry holds an event (one load, no shared index). */
static inline bool
evq_ring_pending(struct evq_ring_cons *c)
{
	return evq_ring_peek(c, 0) != NULL;
}

/**
 * Arm: ONE store of the doorbell word (ARMED, VALID, number, read count).
 * The producer evaluates the interrupt rule; if events are already pending
 * it signals at once. Use this when the producer polls doorbells (an
 * adapter).
 */
static inline void
evq_ring_arm(struct evq_ring_cons *c)
{
	uint64_t word = EVQ_DB_ARMED | EVQ_DB_VALID |
		((uint64_t)c->number << EVQ_DB_NUMBER_SHIFT) | c->read;

	__atomic_store_n(c->doorbell, word, __ATOMIC_RELEASE);
	c->read_published = c->read;
	c->stats.arms++;
}

/**
 * Arm, for a producer that may be idle (a software thread that evaluates
 * only when it posts): the arm store is a full barrier, then the consumer
 * itself checks for pending work. Exactly one party wins the armed word
 * (compare-and-swap), so an event is never signalled twice nor missed.
 * @return 0 if armed (sleep until signalled), 1 if events are pending and
 *   the ring is left unarmed (do not sleep: poll again).
 */
int evq_ring_arm_check(struct evq_ring_cons *c);

/** Disarm: one doorbell store with ARMED clear (read indicator valid). */
void evq_ring_disarm(struct evq_ring_cons *c);

/** Publish the read indicator now (lazy update doorbell, not armed). */
static inline void
evq_ring_cons_publish(struct evq_ring_cons *c)
{
	evq_ring__publish(c);
}

/** Running read count. */
static inline uint32_t
evq_ring_cons_read(const struct evq_ring_cons *c)
{
	return c->read;
}

/**
 * Advance the read indicator by a count without reading the entries (as
 * evq_ring_consume(): codes cleared with CLEAR validity), e.g. entries
 * handled through evq_ring_peek() by index.
 * @return 0, or -EINVAL if count exceeds the ring size (nothing changes).
 */
int evq_ring_cons_advance(struct evq_ring_cons *c, uint32_t count);

/**
 * Hand the consumer the ring it will move to when it meets the producer's
 * switch marker. new_base must be zeroed (done here). Lock-free with
 * respect to a consumer thread polling concurrently.
 * @return 0, -EINVAL/-EFAULT (geometry), -EBUSY (a switch is pending).
 */
int evq_ring_cons_switch_prepare(struct evq_ring_cons *c, void *new_base,
		uint32_t new_size);

/**
 * Recovery after an overflow: the producer stopped at write count stop
 * (the ring went UNDEFINED; it writes nothing until defined again) and
 * will continue at stop + 1 in new_base. Write the switch marker at stop
 * in the current ring on the producer's behalf and hand the consumer the
 * new ring (zeroed here), so that it moves over once it has drained the
 * old ring up to stop. Called by a thread other than the consumer's
 * (lock-free with respect to it), while the producer is stopped. Either
 * validity rule: with CLEAR the marker's entry is free once its code was
 * cleared, with PHASE once the consumer's read count has passed it (the
 * marker then carries the phase bit of count stop).
 * @return 0; -EAGAIN if the marker's entry still holds an event the
 *   consumer has not used (it is a whole ring behind: try again later);
 *   -EBUSY (a switch is pending); -EINVAL/-EFAULT (geometry).
 */
int evq_ring_cons_switch_at(struct evq_ring_cons *c, uint32_t stop, void *new_base,
		uint32_t new_size);

/**
 * Number of entries pending, counted from the codes (at most max). Walks
 * the ring: for rx_queue_count-style queries, not the fast path.
 */
unsigned int evq_ring_cons_count(struct evq_ring_cons *c, unsigned int max);

/* ------------------------------------------------------------------ */
/* Summary bytes: one poller, many rings                              */
/* ------------------------------------------------------------------ */

/** A 64-byte line of summary bytes (one byte per ring, or per group). */
struct evq_summary_line {
	uint8_t byte[EVQ_CACHE_LINE];
} __attribute__((aligned(EVQ_CACHE_LINE)));

/**
 * Take the set bytes of a summary line: clear them and return a bit mask
 * (bit i = byte i was set). Clears before the caller drains the rings, with
 * a full barrier, so a byte set by a post racing the drain stays set.
 */
uint64_t evq_summary_take(struct evq_summary_line *line);

/**
 * Take only the bytes of the rings in want (bit i = byte i) that are set,
 * with the same clear-then-barrier order as evq_summary_take(); bytes
 * outside want are left alone, so several pollers (one per interrupt
 * source) may share a line, each taking its own rings.
 * @return bit mask of the bytes taken.
 */
uint64_t evq_summary_take_mask(struct evq_summary_line *line, uint64_t want);

/** Bit mask of the set bytes, without clearing (one line read). */
uint64_t evq_summary_peek(const struct evq_summary_line *line);

/* ------------------------------------------------------------------ */
/* Sleeping on a ring                                                 */
/* ------------------------------------------------------------------ */

/** A non-blocking, close-on-exec eventfd. @return fd or -errno. */
int evq_eventfd_create(void);

/**
 * Wait until the eventfd is signalled or timeout_ms passes (-1 = forever),
 * then drain it.
 * @return number of signals drained (>= 1), 0 on timeout, -errno on error.
 */
int evq_eventfd_wait(int fd, int timeout_ms);

/* ------------------------------------------------------------------ */
/* A ring in one block of shared memory (threads or processes)        */
/* ------------------------------------------------------------------ */

#define EVQ_SHM_MAGIC	0x45565152u	/* "EVQR" */
#define EVQ_SHM_VERSION	2u	/* 2: the validity byte */

/**
 * Layout of a self-describing shared ring: a header line (with the ring's
 * validity rule), the doorbell on its own line, the write indicator on its
 * own line, one summary line, then the entries.
 */
struct evq_ring_shm {
	uint32_t magic;
	uint32_t version;
	uint32_t size;
	uint32_t entry_size;
	uint16_t ring_number;
	uint8_t validity;	/* enum evq_ring_validity */
	uint8_t pad0[EVQ_CACHE_LINE - 19];
	uint64_t doorbell __attribute__((aligned(EVQ_CACHE_LINE)));
	uint32_t write_indicator __attribute__((aligned(EVQ_CACHE_LINE)));
	struct evq_summary_line summary;
	uint8_t entries[] __attribute__((aligned(EVQ_CACHE_LINE)));
};

/** Bytes needed for a shared ring (0 if the geometry is invalid). */
size_t evq_ring_shm_size(uint32_t size, uint32_t entry_size);

/**
 * Format a shared block (zeroes it) for a ring with the given validity
 * rule; both attaches take the rule from the header.
 * @return 0, -EINVAL (also an unknown validity rule), -EFAULT, -ENOSPC
 *   (len too small), -ERANGE.
 */
int evq_ring_shm_format(void *mem, size_t len, uint32_t size,
		uint32_t entry_size, uint16_t ring_number,
		enum evq_ring_validity validity);

/**
 * Attach a producer / a consumer to a formatted block, validating the
 * header against len (the block may come from another process).
 * The producer context is (re)initialised by the attach, so it may be
 * uninitialised memory; install hooks and moderation afterwards.
 * @return 0, -EPROTO (bad magic/version), -EINVAL (also an unknown
 *   validity byte), -ENOSPC.
 */
int evq_ring_shm_prod_attach(struct evq_ring_prod *p, void *mem, size_t len,
		uint32_t flags);
int evq_ring_shm_cons_attach(struct evq_ring_cons *c, void *mem, size_t len,
		uint32_t read_publish_interval);

/* ------------------------------------------------------------------ */
/* Logging                                                            */
/* ------------------------------------------------------------------ */

/** Log hook for "why" messages on bad input (default: stderr). */
typedef void (*evq_ring_log_fn)(const char *msg);
void evq_ring_set_log(evq_ring_log_fn fn);

#ifdef __cplusplus
}
#endif

#endif /* EVQ_RING_H */
