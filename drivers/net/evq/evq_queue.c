/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_queue.c: what every queue of net_evq needs from the adapter, written
 * once for Rx, Tx and EQ 0: DMA memory aligned to its own size, the
 * descriptor count and EQ size a queue gets, programming and disabling an
 * Rx or Tx ring (datasheet "Enabling a queue"), and the life of an event
 * queue (allocate, define = consumer attached and registers programmed,
 * undefine, clear, free; a new ring for overflow recovery or a shared
 * layout; the validity rule and read-indicator publishing of each EQ; the
 * one-consumer check of a shared EQ in debug builds).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_memzone.h>

#include "evq_ethdev.h"

/* ------------------------------------------------------------------ */
/* DMA memory and sizes                                               */
/* ------------------------------------------------------------------ */

/*
 * Memory for a ring or an EQ, named evq<port>_<what><qid>_<kind>: aligned
 * to its own size (a power of two) so that it never straddles a page,
 * hence never two DMA mappings.
 */
const struct rte_memzone *
evq_queue_mz(struct evq_adapter *ad, const char *what, uint16_t qid,
		const char *kind, size_t bytes, size_t min_align, int socket_id)
{
	char name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;

	snprintf(name, sizeof(name), "evq%u_%s%u_%s", ad->port_id, what, qid, kind);
	mz = rte_memzone_reserve_aligned(name, bytes, socket_id, RTE_MEMZONE_IOVA_CONTIG,
			RTE_MAX(bytes, min_align));
	if (mz == NULL)
		EVQ_DEV_LOG(ERR, ad, "cannot allocate %zu bytes for the %s of %s %u: %s",
				bytes, kind, what, qid, rte_strerror(rte_errno));
	return mz;
}

static uint32_t
evq_pow2_roundup(uint32_t v)
{
	return v <= 1 ? 1 : 1u << (32 - __builtin_clz(v - 1));
}

/* Descriptors of a queue: a power of two within the adapter's limits. */
int
evq_queue_desc_count(struct evq_adapter *ad, const char *what, uint16_t qid,
		uint16_t nb_desc, uint32_t *out)
{
	uint32_t n = evq_pow2_roundup(RTE_MAX((uint32_t)nb_desc, ad->desc_min));

	if (n > ad->desc_max) {
		EVQ_DEV_LOG(ERR, ad, "%s queue %u: %u descriptors, the adapter takes %u..%u "
				"(power of two)", what, qid, nb_desc, ad->desc_min, ad->desc_max);
		return -EINVAL;
	}
	if (n != nb_desc)
		EVQ_DEV_LOG(INFO, ad, "%s queue %u: %u descriptors rounded to %u (power of two)",
				what, qid, nb_desc, n);
	*out = n;
	return 0;
}

/*
 * Queue-EQ entries: each descriptor yields at most one pending event. An
 * eq_size below the descriptor count is allowed (the EQ may overflow; the
 * driver recovers it while the port runs, evq_intr.c) and warned about.
 */
int
evq_queue_eq_size(struct evq_adapter *ad, const char *what, uint16_t qid,
		uint32_t nb_desc, uint32_t *size)
{
	if (ad->args.eq_size == 0) {
		*size = evq_queue_eq_size_auto(ad, nb_desc);
		return 0;
	}
	if (ad->args.eq_size < nb_desc)
		EVQ_DEV_LOG(WARNING, ad, "eq_size=%u is smaller than the %u descriptors of "
				"%s queue %u: its EQ can overflow; the driver then recovers it "
				"while running, doubling it up to %u entries, and counts the "
				"lost events (%s_q%u_eq_lost_events)", ad->args.eq_size, nb_desc,
				what, qid, evq_queue_eq_size_auto(ad, nb_desc),
				strcmp(what, "Rx") == 0 ? "rx" : "tx", qid);
	*size = RTE_MIN(RTE_MAX(ad->args.eq_size, ad->eq_min), ad->eq_max);
	return 0;
}

/* The default EQ size of a queue: room for an event per descriptor, and
 * margin for non-completion events. It cannot overflow. */
uint32_t
evq_queue_eq_size_auto(const struct evq_adapter *ad, uint32_t nb_desc)
{
	return RTE_MIN(RTE_MAX(2 * nb_desc, ad->eq_min), ad->eq_max);
}

/* ------------------------------------------------------------------ */
/* Rx and Tx rings                                                    */
/* ------------------------------------------------------------------ */

/* Register block of Rx or Tx queue qid (both have the same layout). */
static uint32_t
evq_queue_regs(bool tx, uint16_t qid)
{
	RTE_BUILD_BUG_ON(EVQ_RXQ_BASE_LO != EVQ_TXQ_BASE_LO ||
			EVQ_RXQ_SIZE != EVQ_TXQ_SIZE ||
			EVQ_RXQ_BUF_SIZE != EVQ_TXQ_COAL ||
			EVQ_RXQ_CTRL != EVQ_TXQ_CTRL ||
			EVQ_RXQ_STATUS != EVQ_TXQ_STATUS);
	return tx ? EVQ_REG_TXQ(qid, 0) : EVQ_REG_RXQ(qid, 0);
}

/*
 * Program and enable a ring: disable, write base, size and the fourth
 * register (Rx: buffer size; Tx: completion threshold) in one access,
 * enable with ctrl, then check that the adapter took it (an enable it
 * refuses is ignored silently).
 */
int
evq_queue_ring_enable(struct evq_adapter *ad, bool tx, uint16_t qid,
		const struct rte_memzone *mz, uint32_t nb_desc, uint32_t word3,
		uint32_t ctrl)
{
	const uint32_t blk = evq_queue_regs(tx, qid);
	uint64_t iova = evq_dma_addr(ad, mz->addr, mz->iova);
	uint32_t regs[4], status = 0;
	int ret;

	regs[0] = rte_cpu_to_le_32((uint32_t)iova);
	regs[1] = rte_cpu_to_le_32((uint32_t)(iova >> 32));
	regs[2] = rte_cpu_to_le_32(nb_desc);
	regs[3] = rte_cpu_to_le_32(word3);
	ret = evq_reg_write32(ad, blk + EVQ_RXQ_CTRL, 0);
	if (ret == 0)
		ret = evq_reg_write(ad, blk + EVQ_RXQ_BASE_LO, regs, sizeof(regs));
	if (ret == 0)
		ret = evq_reg_write32(ad, blk + EVQ_RXQ_CTRL, ctrl);
	if (ret == 0)
		ret = evq_reg_read32(ad, blk + EVQ_RXQ_STATUS, &status);
	if (ret == 0 && !(status & EVQ_QSTATUS_ENABLED)) {
		EVQ_DEV_LOG(ERR, ad, "%s queue %u: the adapter refused the ring (IOVA 0x%" PRIx64
				", %u descriptors, 0x%x)", tx ? "Tx" : "Rx", qid, iova,
				nb_desc, word3);
		ret = -EIO;
	}
	return ret;
}

/* Disable a ring: the adapter abandons the posted descriptors. */
void
evq_queue_ring_disable(struct evq_adapter *ad, bool tx, uint16_t qid)
{
	if (!ad->removed)
		evq_reg_write32(ad, evq_queue_regs(tx, qid) + EVQ_RXQ_CTRL, 0);
}

/* ------------------------------------------------------------------ */
/* Event queues                                                       */
/* ------------------------------------------------------------------ */

int
evq_eq_alloc(struct evq_adapter *ad, struct evq_eq *eq, const char *what,
		uint16_t qid, uint16_t num, uint32_t size, int socket_id)
{
	memset(eq, 0, sizeof(*eq));
	eq->what = what;
	eq->qid = qid;
	eq->num = num;
	eq->socket_id = socket_id;
	eq->mz = evq_eq_mem(ad, eq, size);
	if (eq->mz == NULL)
		return -ENOMEM;
	eq->size = size;
	eq->grow_max = size;
	return 0;
}

/* Ring memory for an EQ, a new memzone name each time (overflow recovery
 * allocates the next ring while the consumer still reads the last). */
const struct rte_memzone *
evq_eq_mem(struct evq_adapter *ad, struct evq_eq *eq, uint32_t size)
{
	char kind[16];

	snprintf(kind, sizeof(kind), "eq%u", eq->generation++);
	return evq_queue_mz(ad, eq->what, eq->qid, kind, (size_t)size * EVQ_EVENT_SIZE,
			EVQ_EQ_ALIGN, eq->socket_id);
}

/* A new ring of size entries for an EQ that is not defined (shared
 * layouts size the owner's EQ for every queue on it at start). */
int
evq_eq_resize(struct evq_adapter *ad, struct evq_eq *eq, uint32_t size)
{
	const struct rte_memzone *mz;

	if (eq->defined)
		return -EBUSY;
	mz = evq_eq_mem(ad, eq, size);
	if (mz == NULL)
		return -ENOMEM;
	rte_memzone_free(eq->mz);
	eq->mz = mz;
	eq->size = size;
	eq->grow_max = RTE_MAX(eq->grow_max, size);
	return 0;
}

void
evq_eq_free(struct evq_eq *eq)
{
	rte_memzone_free(eq->mz);
	rte_memzone_free(eq->spare_mz);
	rte_memzone_free(eq->retired_mz);
	eq->mz = NULL;
	eq->spare_mz = NULL;
	eq->retired_mz = NULL;
	eq->defined = false;
}

/*
 * The validity rule of an EQ (datasheet "Validity rules: clear and phase"):
 * the queue EQs take the devarg eq_validity; EQ 0 always keeps the clear
 * rule. EQ 0 carries a few events a second (link, errors, admin
 * completions): the phase rule saves nothing there, and on the clear rule
 * EQ 0's consumption (under a lock, by the interrupt thread and the
 * control path, with an overflow recovery of its own) stays as it was
 * tested, whatever read_publish is.
 */
enum evq_ring_validity
evq_eq_validity(const struct evq_adapter *ad, const struct evq_eq *eq)
{
	return eq->num == 0 ? EVQ_RING_VALIDITY_CLEAR : ad->args.eq_validity;
}

/*
 * How often the consumer publishes its read count lazily. Clear rule: the
 * devarg read_publish (0 = only when arming). Phase rule: the adapter
 * learns of free space only so, hence at least every quarter of the ring
 * (entries used but not yet published still occupy it; datasheet "Free
 * space under the phase rule"): read_publish, or EVQ_PHASE_READ_PUBLISH by
 * default, at most size / 4. lib/evq_ring publishes at the end of a
 * consumed burst, once the count is reached: one doorbell store per burst
 * at most, never one per event.
 */
static uint32_t
evq_eq_read_publish(const struct evq_adapter *ad, const struct evq_eq *eq)
{
	uint32_t n = ad->args.read_publish;

	if (evq_eq_validity(ad, eq) == EVQ_RING_VALIDITY_CLEAR)
		return n;
	if (n == 0)
		n = EVQ_PHASE_READ_PUBLISH;
	return RTE_MAX(RTE_MIN(n, eq->size / 4), 1u);
}

/* The consumer side of an EQ: its memory, size, event size, doorbell and
 * validity rule. */
void
evq_eq_cons_conf(const struct evq_adapter *ad, const struct evq_eq *eq,
		struct evq_ring_cons_conf *conf)
{
	*conf = (struct evq_ring_cons_conf){
		.base = eq->mz->addr,
		.size = eq->size,
		.entry_size = EVQ_EVENT_SIZE,
		.ring_number = eq->num,
		.doorbell = (uint64_t *)(ad->dbpage + EVQ_DBPAGE_EQ(eq->num)),
		.read_publish_interval = evq_eq_read_publish(ad, eq),
		.validity = evq_eq_validity(ad, eq),
	};
}

/* Forget every event in the EQ's memory (no stale entry is seen later). */
void
evq_eq_clear(struct evq_eq *eq)
{
	memset(eq->mz->addr, 0, (size_t)eq->size * EVQ_EVENT_SIZE);
}

/* "Defining an EQ" (datasheet): zero + attach the consumer, program, enable. */
int
evq_eq_define(struct evq_adapter *ad, struct evq_eq *eq, uint32_t intr_delay_ns)
{
	struct evq_ring_cons_conf conf;
	uint64_t iova = evq_dma_addr(ad, eq->mz->addr, eq->mz->iova);
	uint32_t regs[4];
	int ret;

	/* The EQ may still be enabled from an earlier life: disable it before
	 * the consumer resets the doorbell word to read count 0. */
	ret = evq_reg_write32(ad, EVQ_REG_EQ(eq->num, EVQ_EQ_CTRL), 0);
	if (ret != 0)
		return ret;
	eq->dbg_lcore = LCORE_ID_ANY;
	/* nothing the adapter wrote while the EQ was not defined counts */
	evq_eq_clear(eq);
	evq_eq_cons_conf(ad, eq, &conf);
	ret = evq_ring_cons_init(&eq->cons, &conf);
	if (ret != 0) {
		EVQ_DEV_LOG(ERR, ad, "EQ %u: bad geometry: %s", eq->num, strerror(-ret));
		return ret;
	}
	regs[0] = rte_cpu_to_le_32((uint32_t)iova);
	regs[1] = rte_cpu_to_le_32((uint32_t)(iova >> 32));
	regs[2] = rte_cpu_to_le_32(eq->size);
	regs[3] = rte_cpu_to_le_32(EVQ_EVENT_SIZE);
	ret = evq_reg_write(ad, EVQ_REG_EQ(eq->num, EVQ_EQ_BASE_LO), regs, sizeof(regs));
	if (ret == 0 && (ad->caps & EVQ_CAP_MODERATION))
		ret = evq_reg_write32(ad, EVQ_REG_EQ(eq->num, EVQ_EQ_INTR_DELAY),
				intr_delay_ns);
	if (ret == 0)
		ret = evq_reg_write32(ad, EVQ_REG_EQ(eq->num, EVQ_EQ_CTRL),
				EVQ_EQ_CTRL_ENABLE | eq->ctrl_flags |
				(conf.validity == EVQ_RING_VALIDITY_PHASE ?
				 EVQ_EQ_CTRL_PHASE : 0));
	if (ret != 0)
		return ret;
	/* An ENABLE the adapter refused is ignored silently: check it took. */
	ret = evq_reg_read32(ad, EVQ_REG_EQ(eq->num, EVQ_EQ_STATE), &regs[0]);
	if (ret != 0)
		return ret;
	if ((regs[0] & EVQ_EQ_STATE_MASK) == EVQ_EQ_UNDEFINED) {
		EVQ_DEV_LOG(ERR, ad, "EQ %u: the adapter refused the ring at IOVA 0x%" PRIx64
				" (%u entries): is this memory DMA-mapped?",
				eq->num, iova, eq->size);
		return -EFAULT;
	}
	eq->defined = true;
	return 0;
}

/*
 * Undefine in two steps, so that a caller holding a lock can take the
 * first under it and the second (a register write: a round trip to the
 * adapter over vfio-user) after releasing it: evq_eq_forget() marks the
 * EQ undefined for the driver and says whether it was defined;
 * evq_eq_disable() disables it in the adapter.
 */
bool
evq_eq_forget(struct evq_eq *eq)
{
	bool was = eq->defined;

	eq->defined = false;
	return was;
}

void
evq_eq_disable(struct evq_adapter *ad, const struct evq_eq *eq)
{
	if (!ad->removed)
		evq_reg_write32(ad, EVQ_REG_EQ(eq->num, EVQ_EQ_CTRL), 0);
}

void
evq_eq_undefine(struct evq_adapter *ad, struct evq_eq *eq)
{
	if (evq_eq_forget(eq))
		evq_eq_disable(ad, eq);
}

/*
 * Debug builds (RTE_ETHDEV_DEBUG_RX/TX): an EQ shared by several queues
 * (eq_layout lcore or single) has one consumer, so all its queues must be
 * polled by one lcore. The first lcore to poll it after a start owns it;
 * any other is reported.
 */
void
evq_eq_thread_check(struct evq_eq *eq, const char *what, uint16_t qid)
{
	unsigned int lc = rte_lcore_id();
	unsigned int seen = __atomic_load_n(&eq->dbg_lcore, __ATOMIC_RELAXED);

	if (seen == lc)
		return;
	if (seen == LCORE_ID_ANY && __atomic_compare_exchange_n(&eq->dbg_lcore, &seen, lc,
			false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return;
	EVQ_DP_LOG(ERR, "EQ %u is shared by its queues, which one lcore must poll: %s "
			"queue %u polled on lcore %u, the EQ on lcore %u", eq->num, what, qid,
			lc, seen);
}
