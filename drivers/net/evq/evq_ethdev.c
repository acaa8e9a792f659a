/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_ethdev.c: the ethdev layer of net_evq, common to both transports.
 * Owns: log types, devargs parsing, register and admin-command helpers,
 * adapter bring-up (datasheet "Driver bring-up"), the
 * const dev-ops table and the control path (configure, start, stop, close,
 * reset, infos, link, filters, MTU, MAC, stats, xstats, fw version) and
 * the device-removal state. The datapath is in evq_rx.c / evq_tx.c,
 * queue and EQ helpers in evq_queue.c, interrupts in evq_intr.c, RSS in evq_rss.c, transports in
 * evq_vfio_user_ethdev.c and evq_pci.c.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_alarm.h>
#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_kvargs.h>
#include <rte_malloc.h>
#include <rte_memzone.h>

#include "evq_ethdev.h"
#include "evq_log.h"

RTE_LOG_REGISTER(evq_logtype, pmd.net.evq, NOTICE);
RTE_LOG_REGISTER(evq_logtype_datapath, pmd.net.evq.datapath, NOTICE);

/* lib/evq_hw's log hook, which lib/evq_ring's messages also take, into
 * rte_log (whose levels it uses). */
static void
evq_log_handler(int level, const char *fmt, va_list ap)
{
	rte_vlog((uint32_t)level, evq_logtype, fmt, ap);
}

RTE_INIT(evq_log_hook_init)
{
	evq_log_set_handler(evq_log_handler);
	evq_log_set_level(EVQ_LOG_DEBUG);	/* rte_log filters by level */
	evq_ring_set_log(evq_log_ring_msg);
}

/* ------------------------------------------------------------------ */
/* devargs                                                            */
/* ------------------------------------------------------------------ */

static const char * const evq_valid_args[] = {
	EVQ_DEVARG_SOCKET,
	EVQ_DEVARG_MAC,
	EVQ_DEVARG_EQ0_SIZE,
	EVQ_DEVARG_EQ_SIZE,
	EVQ_DEVARG_INTR_DELAY,
	EVQ_DEVARG_TX_COAL,
	EVQ_DEVARG_READ_PUBLISH,
	EVQ_DEVARG_INTR_MODE,
	EVQ_DEVARG_EQ_LAYOUT,
	EVQ_DEVARG_EQ_VALIDITY,
	NULL,
};

void
evq_devargs_default(struct evq_devargs *out)
{
	memset(out, 0, sizeof(*out));
	out->eq0_size = EVQ_EQ0_SIZE_DEFAULT;
}

static int
evq_arg_socket(const char *key, const char *value, void *opaque)
{
	struct evq_devargs *a = opaque;

	if (value == NULL || value[0] == '\0') {
		EVQ_PMD_LOG(ERR, "devarg %s: empty path", key);
		return -EINVAL;
	}
	if (strlen(value) >= sizeof(a->socket)) {
		EVQ_PMD_LOG(ERR, "devarg %s: path longer than %zu bytes (AF_UNIX limit)",
				key, sizeof(a->socket) - 1);
		return -ENAMETOOLONG;
	}
	strcpy(a->socket, value);
	return 0;
}

static int
evq_arg_mac(const char *key, const char *value, void *opaque)
{
	struct evq_devargs *a = opaque;

	if (value == NULL || rte_ether_unformat_addr(value, &a->mac) != 0) {
		EVQ_PMD_LOG(ERR, "devarg %s=%s: not a MAC address (xx:xx:xx:xx:xx:xx)",
				key, value ? value : "");
		return -EINVAL;
	}
	if (!rte_is_valid_assigned_ether_addr(&a->mac)) {
		EVQ_PMD_LOG(ERR, "devarg %s=%s: multicast or zero address", key, value);
		return -EINVAL;
	}
	a->have_mac = true;
	return 0;
}

/* Parse an unsigned 32-bit decimal/hex value in [min, max]. */
static int
evq_arg_u32(const char *key, const char *value, uint32_t min, uint32_t max,
		bool pow2, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (value == NULL || value[0] == '\0' || value[0] == '-')
		goto bad;
	errno = 0;
	v = strtoull(value, &end, 0);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		goto bad;
	if (pow2 && v != 0 && (v & (v - 1)) != 0)
		goto bad;
	*out = (uint32_t)v;
	return 0;
bad:
	EVQ_PMD_LOG(ERR, "devarg %s=%s: expected %s integer in [%u, %u]",
			key, value ? value : "", pow2 ? "a power-of-two" : "an",
			min, max);
	return -EINVAL;
}

static int
evq_arg_eq0_size(const char *key, const char *value, void *opaque)
{
	return evq_arg_u32(key, value, EVQ_EQ_SIZE_MIN, 65536, true,
			&((struct evq_devargs *)opaque)->eq0_size);
}

static int
evq_arg_eq_size(const char *key, const char *value, void *opaque)
{
	uint32_t v;
	int ret = evq_arg_u32(key, value, 0, 65536, true, &v);

	if (ret == 0 && v != 0 && v < EVQ_EQ_SIZE_MIN) {
		EVQ_PMD_LOG(ERR, "devarg %s=%s: at least %u entries (or 0 = auto)",
				key, value, EVQ_EQ_SIZE_MIN);
		return -EINVAL;
	}
	if (ret == 0)
		((struct evq_devargs *)opaque)->eq_size = v;
	return ret;
}

static int
evq_arg_intr_delay(const char *key, const char *value, void *opaque)
{
	return evq_arg_u32(key, value, 0, 1000000000u, false,
			&((struct evq_devargs *)opaque)->intr_delay_ns);
}

static int
evq_arg_tx_coal(const char *key, const char *value, void *opaque)
{
	return evq_arg_u32(key, value, 0, 65535, false,
			&((struct evq_devargs *)opaque)->tx_coal);
}

static int
evq_arg_read_publish(const char *key, const char *value, void *opaque)
{
	return evq_arg_u32(key, value, 0, 65536, false,
			&((struct evq_devargs *)opaque)->read_publish);
}

/*
 * A devarg that names one of nb choices: *out = its index. Otherwise the
 * log lists them ("expected a, b or c").
 */
static int
evq_arg_choice(const char *key, const char *value, const char * const names[],
		unsigned int nb, unsigned int *out)
{
	char list[80];
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < nb; i++)
		if (value != NULL && strcmp(value, names[i]) == 0) {
			*out = i;
			return 0;
		}
	list[0] = '\0';
	for (i = 0; i < nb && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
				i == 0 ? "" : i + 1 == nb ? " or " : ", ", names[i]);
	EVQ_PMD_LOG(ERR, "devarg %s=%s: expected %s", key, value != NULL ? value : "",
			list);
	return -EINVAL;
}

/* Rx interrupt moderation rule (datasheet "Moderation"). */
static int
evq_arg_intr_mode(const char *key, const char *value, void *opaque)
{
	static const char * const names[] = { "armed", "timestamp" };
	unsigned int i = 0;
	int ret = evq_arg_choice(key, value, names, RTE_DIM(names), &i);

	if (ret == 0)
		((struct evq_devargs *)opaque)->intr_timestamp = i == 1;
	return ret;
}

/* Event-queue layout (evq_ethdev.h). */
static int
evq_arg_eq_layout(const char *key, const char *value, void *opaque)
{
	static const char * const names[] = {
		[EVQ_LAYOUT_QUEUE] = "queue",
		[EVQ_LAYOUT_LCORE] = "lcore",
		[EVQ_LAYOUT_SINGLE] = "single",
	};
	unsigned int i = 0;
	int ret = evq_arg_choice(key, value, names, RTE_DIM(names), &i);

	if (ret == 0)
		((struct evq_devargs *)opaque)->layout = (enum evq_eq_layout)i;
	return ret;
}

/* Validity rule of the queue EQs (datasheet "Validity rules: clear and phase"). */
static int
evq_arg_eq_validity(const char *key, const char *value, void *opaque)
{
	static const char * const names[] = {
		[EVQ_RING_VALIDITY_CLEAR] = "clear",
		[EVQ_RING_VALIDITY_PHASE] = "phase",
	};
	unsigned int i = 0;
	int ret = evq_arg_choice(key, value, names, RTE_DIM(names), &i);

	if (ret == 0)
		((struct evq_devargs *)opaque)->eq_validity = (enum evq_ring_validity)i;
	return ret;
}

int
evq_devargs_parse(const char *args, struct evq_devargs *out, const char *name)
{
	struct evq_devargs a;
	struct rte_kvargs *kv;
	bool publish_given;
	int ret = 0;

	evq_devargs_default(&a);
	if (args == NULL || args[0] == '\0')
		goto done;
	kv = rte_kvargs_parse(args, evq_valid_args);
	if (kv == NULL) {
		EVQ_PMD_LOG(ERR, "%s: cannot parse devargs \"%s\"; valid keys: "
				"socket=<path>, mac=<addr>, eq0_size=<n>, eq_size=<n>, "
				"intr_delay_ns=<ns>, tx_coal=<n>, read_publish=<n>, "
				"intr_mode=armed|timestamp, eq_layout=queue|lcore|single, "
				"eq_validity=clear|phase",
				name, args);
		return -EINVAL;
	}
	if (rte_kvargs_count(kv, EVQ_DEVARG_SOCKET) > 1) {
		EVQ_PMD_LOG(ERR, "%s: devarg socket given twice", name);
		ret = -EINVAL;
	}
	if (ret == 0)
		ret = rte_kvargs_process(kv, EVQ_DEVARG_SOCKET, evq_arg_socket, &a);
	if (ret == 0)
		ret = rte_kvargs_process(kv, EVQ_DEVARG_MAC, evq_arg_mac, &a);
	if (ret == 0)
		ret = rte_kvargs_process(kv, EVQ_DEVARG_EQ0_SIZE, evq_arg_eq0_size, &a);
	if (ret == 0)
		ret = rte_kvargs_process(kv, EVQ_DEVARG_EQ_SIZE, evq_arg_eq_size, &a);
	if (ret == 0)
		ret = rte_kvargs_process(kv, EVQ_DEVARG_INTR_DELAY, evq_arg_intr_delay, &a);
	if (ret == 0)
		ret = rte_kvargs_process(kv, EVQ_DEVARG_TX_COAL, evq_arg_tx_coal, &a);
	if (ret == 0)
		ret = rte_kvargs_process(kv, EVQ_DEVARG_READ_PUBLISH,
				evq_arg_read_publish, &a);
	if (ret == 0)
		ret = rte_kvargs_process(kv, EVQ_DEVARG_INTR_MODE, evq_arg_intr_mode, &a);
	if (ret == 0)
		ret = rte_kvargs_process(kv, EVQ_DEVARG_EQ_LAYOUT, evq_arg_eq_layout, &a);
	if (ret == 0)
		ret = rte_kvargs_process(kv, EVQ_DEVARG_EQ_VALIDITY, evq_arg_eq_validity, &a);
	publish_given = rte_kvargs_count(kv, EVQ_DEVARG_READ_PUBLISH) != 0;
	rte_kvargs_free(kv);
	if (ret != 0)
		return ret < 0 ? ret : -EINVAL;
	if (a.intr_timestamp && a.intr_delay_ns == 0) {
		EVQ_PMD_LOG(ERR, "%s: intr_mode=timestamp needs intr_delay_ns > 0: the delay "
				"after which the adapter interrupts a driver that has not "
				"consumed its events", name);
		return -EINVAL;
	}
	/*
	 * Under the phase rule the adapter learns free space only from the
	 * read indicator: it must be published as the driver goes, not only
	 * when it arms (read_publish=0 means that under the clear rule).
	 */
	if (a.eq_validity == EVQ_RING_VALIDITY_PHASE && publish_given && a.read_publish == 0) {
		EVQ_PMD_LOG(ERR, "%s: eq_validity=phase needs read_publish > 0: the adapter "
				"learns that events were consumed only from the read indicator "
				"the driver publishes", name);
		return -EINVAL;
	}
	/* the time-stamp rule knows an EQ is empty from the read indicator */
	if (a.intr_timestamp && !publish_given)
		a.read_publish = EVQ_TS_READ_PUBLISH;
done:
	*out = a;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Registers and admin commands (control path only)                   */
/* ------------------------------------------------------------------ */

static int
evq_reg_result(struct evq_adapter *ad, int ret, const char *what, uint32_t off)
{
	if (ret == 0)
		return 0;
	if (ret == -ENOTCONN || ret == -ECONNRESET || ret == -EPIPE) {
		evq_dev_removed(ad, "the adapter's connection is gone");
		return -ENODEV;
	}
	EVQ_DEV_LOG(ERR, ad, "BAR0 %s at 0x%04x failed: %s", what, off,
			strerror(-ret));
	return ret;
}

/* A register access while this thread holds the EQ 0 lock is a bug. */
static int
evq_reg_locked(struct evq_adapter *ad, const char *what, uint32_t off)
{
	if (likely(RTE_PER_LCORE(evq_eq0_lock_held) == 0))
		return 0;
	EVQ_DEV_LOG(ERR, ad, "BUG: BAR0 %s at 0x%04x while holding the EQ 0 lock: refused "
			"(a round trip to the adapter must not hold up the interrupt thread)",
			what, off);
	return -EDEADLK;
}

int
evq_reg_read(struct evq_adapter *ad, uint32_t off, void *buf, size_t len)
{
	if (ad->removed)
		return -ENODEV;
	/* only the primary holds the connection: ask it (evq_mp.c) */
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return evq_mp_reg_read(ad, off, buf, len);
	if (evq_reg_locked(ad, "read", off) != 0)
		return -EDEADLK;
	return evq_reg_result(ad, ad->tp_ops->bar0_read(ad, off, buf, len),
			"read", off);
}

int
evq_reg_write(struct evq_adapter *ad, uint32_t off, const void *buf, size_t len)
{
	/* nothing is written to a device not identified as an evq adapter */
	if (ad->removed || !ad->identified)
		return -ENODEV;
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return -E_RTE_SECONDARY;	/* configuration is the primary's */
	if (evq_reg_locked(ad, "write", off) != 0)
		return -EDEADLK;
	return evq_reg_result(ad, ad->tp_ops->bar0_write(ad, off, buf, len),
			"write", off);
}

int
evq_reg_read32(struct evq_adapter *ad, uint32_t off, uint32_t *val)
{
	uint32_t v;
	int ret = evq_reg_read(ad, off, &v, sizeof(v));

	if (ret == 0)
		*val = rte_le_to_cpu_32(v);
	return ret;
}

int
evq_reg_write32(struct evq_adapter *ad, uint32_t off, uint32_t val)
{
	uint32_t v = rte_cpu_to_le_32(val);

	return evq_reg_write(ad, off, &v, sizeof(v));
}

/*
 * Run an admin command: ARG0..ARG5 and CMD in one write (the block is
 * contiguous), then STATUS, ERRNO, RESULT0, RESULT1 in one read. Commands
 * are synchronous: the outcome is there once the write has completed.
 */
static int
evq_admin_run(struct evq_adapter *ad, uint8_t opcode, const uint32_t args[EVQ_ADMIN_NARGS],
		uint32_t *result0, uint32_t *result1)
{
	uint32_t blk[EVQ_ADMIN_NARGS + 1];
	uint32_t out[4];
	uint16_t tag;
	unsigned int i;
	int ret;

	tag = ++ad->admin_tag;
	for (i = 0; i < EVQ_ADMIN_NARGS; i++)
		blk[i] = rte_cpu_to_le_32(args != NULL ? args[i] : 0);
	blk[EVQ_ADMIN_NARGS] = rte_cpu_to_le_32((uint32_t)opcode |
			((uint32_t)tag << EVQ_ADMIN_CMD_TAG_SHIFT));
	ret = evq_reg_write(ad, EVQ_REG_ADMIN_ARG(0), blk, sizeof(blk));
	if (ret != 0)
		return ret;
	ret = evq_reg_read(ad, EVQ_REG_ADMIN_STATUS, out, sizeof(out));
	if (ret != 0)
		return ret;
	if ((rte_le_to_cpu_32(out[0]) & EVQ_ADMIN_STATUS_TAG_MASK) != tag ||
			!(rte_le_to_cpu_32(out[0]) & EVQ_ADMIN_STATUS_DONE)) {
		EVQ_DEV_LOG(ERR, ad, "admin opcode 0x%02x: status 0x%08x does not "
				"show tag %u done", opcode, rte_le_to_cpu_32(out[0]), tag);
		return -EIO;
	}
	if (result0 != NULL)
		*result0 = rte_le_to_cpu_32(out[2]);
	if (result1 != NULL)
		*result1 = rte_le_to_cpu_32(out[3]);
	if (out[1] != 0) {
		int err = (int)rte_le_to_cpu_32(out[1]);

		EVQ_DEV_LOG(ERR, ad, "admin opcode 0x%02x failed: %s", opcode,
				strerror(err));
		return -err;
	}
	/* Its completion event lands on EQ 0: consume it now so a control
	 * path that issues many commands cannot overflow EQ 0. */
	evq_eq0_poll(ad);
	return 0;
}

/*
 * An admin command from any process: a secondary asks the primary
 * (evq_mp.c). In the primary the control path, the interrupt thread and
 * the multi-process thread may all issue commands: one at a time, so that
 * each one reads back its own status.
 */
int
evq_admin(struct evq_adapter *ad, uint8_t opcode, const uint32_t args[EVQ_ADMIN_NARGS],
		uint32_t *result0, uint32_t *result1)
{
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return evq_mp_admin(ad, opcode, args, result0, result1);
	rte_spinlock_lock(&ad->admin_lock);
	ret = evq_admin_run(ad, opcode, args, result0, result1);
	rte_spinlock_unlock(&ad->admin_lock);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Event-queue layouts                                                */
/* ------------------------------------------------------------------ */

/*
 * Point every queue at its EQ by the layout (evq_ethdev.h, evq_rxq_eq()).
 * In the shared layouts the EQ is the one embedded in Rx queue q (lcore)
 * or Rx queue 0 (single), sized for the descriptors of every queue on it
 * unless eq_size was given; every queue on it, its owner included, gets
 * shared_eq pointing at it. The per-queue layout leaves shared_eq NULL.
 */
static int
evq_layout_bind(struct rte_eth_dev *dev)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	struct rte_eth_dev_data *data = dev->data;
	enum evq_eq_layout layout = ad->args.layout;
	struct evq_rx_queue *owner;
	uint16_t q;
	int ret;

	for (q = 0; q < data->nb_rx_queues; q++) {
		struct evq_rx_queue *rxq = data->rx_queues[q];

		if (rxq == NULL) {
			if (layout == EVQ_LAYOUT_QUEUE)
				continue;
			EVQ_DEV_LOG(ERR, ad, "eq_layout: Rx queue %u is not set up", q);
			return -EINVAL;
		}
		owner = layout == EVQ_LAYOUT_SINGLE ? data->rx_queues[0] : rxq;
		rxq->shared_eq = layout == EVQ_LAYOUT_QUEUE ? NULL : &owner->eq;
	}
	for (q = 0; q < data->nb_tx_queues; q++) {
		struct evq_tx_queue *txq = data->tx_queues[q];

		if (txq == NULL)
			continue;
		txq->shared_eq = NULL;
		if (layout == EVQ_LAYOUT_QUEUE)
			continue;
		owner = data->rx_queues[layout == EVQ_LAYOUT_LCORE ? q : 0];
		txq->shared_eq = &owner->eq;
	}
	if (layout == EVQ_LAYOUT_QUEUE)
		return 0;
	EVQ_DEV_LOG(INFO, ad, "%s", layout == EVQ_LAYOUT_LCORE ?
			"eq_layout=lcore: Rx queue q and Tx queue q share EQ 1 + q; poll both "
			"on one lcore" :
			"eq_layout=single: every queue on EQ 1; poll them all on one lcore");
	/* each owner's ring: every descriptor of every queue on it */
	for (q = 0; q < data->nb_rx_queues; q++) {
		struct evq_rx_queue *rxq = data->rx_queues[q];
		uint32_t desc = rxq->nb_desc, size;
		uint16_t t;

		if (layout == EVQ_LAYOUT_SINGLE && q != 0)
			continue;
		for (t = 0; t < data->nb_tx_queues; t++)
			if (data->tx_queues[t] != NULL &&
					(layout == EVQ_LAYOUT_SINGLE || t == q))
				desc += ((struct evq_tx_queue *)data->tx_queues[t])->nb_desc;
		if (layout == EVQ_LAYOUT_SINGLE)
			for (t = 1; t < data->nb_rx_queues; t++)
				desc += ((struct evq_rx_queue *)data->rx_queues[t])->nb_desc;
		size = evq_queue_eq_size_auto(ad, desc);
		if (ad->args.eq_size == 0 && rxq->eq.size != size) {
			ret = evq_eq_resize(ad, &rxq->eq, size);
			if (ret != 0)
				return ret;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Removal                                                            */
/* ------------------------------------------------------------------ */

static void
evq_removal_alarm(void *arg)
{
	struct evq_adapter *ad = arg;
	struct rte_eth_dev *dev = ad->eth_dev;

	if (ad->closed)
		return;
	if (dev->data->dev_conf.intr_conf.lsc)
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_LSC, NULL);
	if (dev->data->dev_conf.intr_conf.rmv)
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_RMV, NULL);
}

/*
 * The transport is gone (adapter process killed, socket closed): the
 * device is removed. Link goes down at once; the LSC and RMV events are
 * raised from the interrupt thread (an alarm), never from inside the
 * ethdev call that noticed. Idempotent.
 */
void
evq_dev_removed(struct evq_adapter *ad, const char *why)
{
	struct rte_eth_link link;

	if (ad->removed)
		return;
	ad->removed = true;
	EVQ_DEV_LOG(ERR, ad, "device removed: %s; link down", why);
	memset(&link, 0, sizeof(link));
	link.link_status = RTE_ETH_LINK_DOWN;
	link.link_autoneg = RTE_ETH_LINK_FIXED;
	evq_eq0_lock(ad);
	ad->link = link;
	evq_link_publish_locked(ad, NULL);
	evq_eq0_unlock(ad);
	rte_eal_alarm_set(1, evq_removal_alarm, ad);
}

static int
evq_dev_is_removed(struct rte_eth_dev *dev)
{
	return evq_adapter_of(dev)->removed ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* Bring-up                                                           */
/* ------------------------------------------------------------------ */

static void
evq_mac_from_regs(const uint32_t regs[2], uint8_t mac[RTE_ETHER_ADDR_LEN])
{
	evq_mac_from_reg_lo(mac, rte_le_to_cpu_32(regs[0]));
	evq_mac_from_reg_hi(mac, rte_le_to_cpu_32(regs[1]));
}

/* An address as a LO/HI register pair (MAC_LO/HI, UC_MAC, MC_MAC), little-endian. */
void
evq_mac_to_regs(const struct rte_ether_addr *addr, uint32_t hi_flags, uint32_t regs[2])
{
	const uint8_t *m = addr->addr_bytes;

	regs[0] = rte_cpu_to_le_32(evq_mac_reg_lo(m));
	regs[1] = rte_cpu_to_le_32(evq_mac_reg_hi(m) | hi_flags);
}

static int
evq_mac_write(struct evq_adapter *ad, const struct rte_ether_addr *addr)
{
	uint32_t regs[2];

	evq_mac_to_regs(addr, 0, regs);
	return evq_reg_write(ad, EVQ_REG_MAC_LO, regs, sizeof(regs));
}

static void
evq_link_from_hw(struct rte_eth_link *link, uint32_t status, uint32_t speed)
{
	memset(link, 0, sizeof(*link));
	link->link_status = (status & EVQ_LINK_UP) ? RTE_ETH_LINK_UP : RTE_ETH_LINK_DOWN;
	link->link_duplex = (status & EVQ_LINK_FULL_DUPLEX) ?
		RTE_ETH_LINK_FULL_DUPLEX : RTE_ETH_LINK_HALF_DUPLEX;
	link->link_autoneg = (status & EVQ_LINK_AUTONEG) ?
		RTE_ETH_LINK_AUTONEG : RTE_ETH_LINK_FIXED;
	link->link_speed = (status & EVQ_LINK_UP) ? speed : RTE_ETH_SPEED_NUM_NONE;
}

/*
 * Hand the adapter's link state to ethdev (rte_eth_linkstatus_set()). The
 * state is copied and stored under the EQ 0 lock, so a newer state set by
 * another thread (an EQ 0 event, the removal) is never overwritten by an
 * older copy. lsc (if not NULL) receives whether a change is still to be
 * reported as an LSC event, and that flag is cleared: the caller raises
 * the event, outside the lock. Returns what rte_eth_linkstatus_set() does.
 */
int
evq_link_publish_locked(struct evq_adapter *ad, bool *lsc)
{
	if (lsc != NULL) {
		*lsc = ad->lsc_pending;
		ad->lsc_pending = false;
	}
	return rte_eth_linkstatus_set(ad->eth_dev, &ad->link);
}

int
evq_link_publish(struct evq_adapter *ad, bool *lsc)
{
	int ret;

	evq_eq0_lock(ad);
	ret = evq_link_publish_locked(ad, lsc);
	evq_eq0_unlock(ad);
	return ret;
}

/* Called with eq0_lock held (evq_intr.c). */
void
evq_link_set_from_event(struct evq_adapter *ad, uint32_t status, uint32_t speed)
{
	struct rte_eth_link link;

	evq_link_from_hw(&link, status, speed);
	if (memcmp(&link, &ad->link, sizeof(link)) != 0) {
		ad->link = link;
		ad->lsc_pending = true;
	}
}

/*
 * Datasheet step 1 and the limits: identity, reset, capabilities. Read the
 * whole identity block (0x000..0x03f) in one access.
 */
static int
evq_hw_identify(struct evq_adapter *ad)
{
	uint32_t r[16], status = 0, v, lim;
	int ret, i;

	ret = evq_reg_read(ad, EVQ_REG_ID, r, sizeof(r));
	if (ret != 0)
		return ret;
	for (i = 0; i < 16; i++)
		r[i] = rte_le_to_cpu_32(r[i]);
	if (r[EVQ_REG_ID / 4] != EVQ_ID_VALUE) {
		EVQ_DEV_LOG(ERR, ad, "not an evq adapter: ID register 0x%08x, expected 0x%08x; "
				"nothing written to it", r[EVQ_REG_ID / 4], EVQ_ID_VALUE);
		return -ENODEV;
	}
	ad->identified = true;
	ad->version = r[EVQ_REG_VERSION / 4];
	if ((ad->version >> EVQ_VERSION_MAJOR_SHIFT) !=
			(EVQ_VERSION_VALUE >> EVQ_VERSION_MAJOR_SHIFT)) {
		EVQ_DEV_LOG(ERR, ad, "register interface %u.%u not supported (driver: %u.x)",
				ad->version >> EVQ_VERSION_MAJOR_SHIFT,
				ad->version & EVQ_VERSION_MINOR_MASK,
				EVQ_VERSION_VALUE >> EVQ_VERSION_MAJOR_SHIFT);
		return -ENOTSUP;
	}
	ad->fw_version = r[EVQ_REG_FW_VERSION / 4];
	ad->caps = r[EVQ_REG_CAPS / 4];

	ret = evq_reg_write32(ad, EVQ_REG_DEV_CTRL, EVQ_DEV_CTRL_RESET);
	if (ret != 0)
		return ret;
	/* The reset completes before its write does; allow a little slack. */
	for (i = 0; i < 100; i++) {
		ret = evq_reg_read32(ad, EVQ_REG_DEV_STATUS, &status);
		if (ret != 0)
			return ret;
		if (status & EVQ_DEV_STATUS_READY)
			break;
		rte_delay_ms(1);
	}
	if (!(status & EVQ_DEV_STATUS_READY)) {
		EVQ_DEV_LOG(ERR, ad, "adapter not ready after reset (status 0x%08x)", status);
		return -EIO;
	}

	v = r[EVQ_REG_MAX_QUEUES / 4];
	ad->hw_max_rxq = RTE_MIN(v & 0xffff, (uint32_t)EVQ_MAX_QUEUES);
	ad->hw_max_txq = RTE_MIN(v >> 16, (uint32_t)EVQ_MAX_QUEUES);
	v = r[EVQ_REG_MAX_EQS / 4];
	ad->max_eqs = RTE_MIN(v & 0xffff, (uint32_t)EVQ_MAX_EQS);
	ad->msix_vectors = RTE_MIN(ad->msix_vectors, RTE_MIN(v >> 16,
			(uint32_t)EVQ_MSIX_VECTORS));
	v = r[EVQ_REG_RSS_CAPS / 4];
	ad->reta_size = v & 0xffff;
	ad->key_size = (v >> 16) & 0xff;
	ad->hash_types = (v >> 24) & EVQ_RSS_HASH_ALL;
	if (!(ad->caps & EVQ_CAP_RSS) || ad->reta_size != EVQ_RETA_SIZE ||
			ad->key_size != EVQ_RSS_KEY_SIZE) {
		if (ad->caps & EVQ_CAP_RSS)
			EVQ_DEV_LOG(WARNING, ad, "RSS with %u RETA entries and a %u-byte key "
					"is not supported by this driver: RSS off",
					ad->reta_size, ad->key_size);
		ad->caps &= ~EVQ_CAP_RSS;
		ad->hash_types = 0;
	}
	lim = r[EVQ_REG_RING_LIMITS / 4];
	ad->desc_min = RTE_MAX(1u << (lim & 0xff), (uint32_t)EVQ_DESC_COUNT_MIN);
	ad->desc_max = RTE_MIN(1u << ((lim >> 8) & 0x1f), (uint32_t)EVQ_DESC_COUNT_MAX);
	ad->eq_min = RTE_MAX(1u << ((lim >> 16) & 0x1f), (uint32_t)EVQ_EQ_SIZE_MIN);
	ad->eq_max = RTE_MIN(1u << ((lim >> 24) & 0x1f), (uint32_t)EVQ_EQ_SIZE_MAX);
	if (ad->max_eqs < 3 || ad->hw_max_rxq == 0 || ad->hw_max_txq == 0 ||
			ad->desc_min > ad->desc_max) {
		EVQ_DEV_LOG(ERR, ad, "adapter limits unusable: %u EQs, %u/%u queues, "
				"%u..%u descriptors", ad->max_eqs, ad->hw_max_rxq,
				ad->hw_max_txq, ad->desc_min, ad->desc_max);
		return -ENODEV;
	}
	/*
	 * EQ budget: EQ 0 is global; RX queue q owns EQ 1 + q, TX queue q owns
	 * EQ 1 + max_rxq + q (one consumer per EQ). Split what is left.
	 */
	ad->max_rxq = RTE_MIN(ad->hw_max_rxq, (uint16_t)((ad->max_eqs - 1 + 1) / 2));
	ad->max_txq = RTE_MIN(ad->hw_max_txq, (uint16_t)(ad->max_eqs - 1 - ad->max_rxq));
	evq_link_from_hw(&ad->link, r[EVQ_REG_LINK_STATUS / 4], r[EVQ_REG_LINK_SPEED / 4]);
	return 0;
}

int
evq_adapter_init(struct rte_eth_dev *eth_dev)
{
	struct evq_adapter *ad = evq_adapter_of(eth_dev);
	struct rte_eth_dev_data *data = eth_dev->data;
	uint32_t regs[2];
	int ret;

	ad->eth_dev = eth_dev;
	ad->port_id = data->port_id;
	rte_spinlock_init(&ad->eq0_lock);
	rte_spinlock_init(&ad->demux_lock);
	if (ad->rxq_handle == NULL) {
		unsigned int i;

		for (i = 0; i < RTE_DIM(ad->rxq_wake_fd); i++)
			ad->rxq_wake_fd[i] = -1;
	}
	rte_spinlock_init(&ad->admin_lock);
	ad->removed = false;
	ad->closed = false;
	ad->identified = false;

	ret = evq_hw_identify(ad);
	if (ret != 0)
		return ret;
	if (ad->args.intr_timestamp && !(ad->caps & EVQ_CAP_TIMESTAMP_MODE)) {
		EVQ_DEV_LOG(ERR, ad, "intr_mode=timestamp: the adapter has no time-stamp "
				"interrupt mode (EVQ_CAP_TIMESTAMP_MODE)");
		return -ENOTSUP;
	}
	if (ad->args.eq_validity == EVQ_RING_VALIDITY_PHASE &&
			!(ad->caps & EVQ_CAP_PHASE_VALID)) {
		EVQ_DEV_LOG(ERR, ad, "eq_validity=phase: the adapter has no phase-bit event "
				"queues (EVQ_CAP_PHASE_VALID); use eq_validity=clear");
		return -ENOTSUP;
	}
	if (ad->args.eq_validity == EVQ_RING_VALIDITY_PHASE)
		EVQ_DEV_LOG(INFO, ad, "eq_validity=phase: the queue EQs use the phase bit "
				"(EQ 0 keeps the clear rule)");

	ret = evq_reg_read(ad, EVQ_REG_PERM_MAC_LO, regs, sizeof(regs));
	if (ret != 0)
		return ret;
	evq_mac_from_regs(regs, ad->perm_mac);
	if (data->mac_addrs == NULL) {
		/* the port's address, then the adapter's extra unicast ones */
		data->mac_addrs = rte_zmalloc("evq_mac",
				RTE_ETHER_ADDR_LEN * (1 + EVQ_UC_MAC_COUNT), 0);
		if (data->mac_addrs == NULL)
			return -ENOMEM;
	}
	if (ad->args.have_mac) {
		rte_ether_addr_copy(&ad->args.mac, &data->mac_addrs[0]);
		ret = evq_mac_write(ad, &ad->args.mac);
		if (ret != 0)
			return ret;
	} else {
		memcpy(data->mac_addrs[0].addr_bytes, ad->perm_mac, RTE_ETHER_ADDR_LEN);
		if (!rte_is_valid_assigned_ether_addr(&data->mac_addrs[0])) {
			rte_eth_random_addr(data->mac_addrs[0].addr_bytes);
			EVQ_DEV_LOG(WARNING, ad, "adapter has no valid MAC address: using a random one");
			ret = evq_mac_write(ad, &data->mac_addrs[0]);
			if (ret != 0)
				return ret;
		}
	}
	ad->rx_filter = EVQ_RX_FILTER_BROADCAST;
	memcpy(ad->rss_key, evq_rss_default_key, sizeof(ad->rss_key));

	ret = evq_summary_setup(ad);
	if (ret != 0)
		return ret;
	ret = evq_eq0_setup(ad);
	if (ret != 0)
		return ret;

	eth_dev->dev_ops = &evq_eth_dev_ops;
	eth_dev->rx_pkt_burst = evq_recv_pkts;
	eth_dev->tx_pkt_burst = evq_xmit_pkts;
	eth_dev->tx_pkt_prepare = evq_prep_pkts;
	eth_dev->rx_queue_count = evq_rx_queue_count;
	eth_dev->rx_descriptor_status = evq_rx_descriptor_status;
	eth_dev->tx_descriptor_status = evq_tx_descriptor_status;
	data->dev_flags |= RTE_ETH_DEV_INTR_LSC | RTE_ETH_DEV_INTR_RMV |
		RTE_ETH_DEV_AUTOFILL_QUEUE_XSTATS;
	rte_eth_linkstatus_set(eth_dev, &ad->link);

	EVQ_DEV_LOG(INFO, ad, "evq adapter %u.%u, firmware %u.%u.%u, caps 0x%04x, "
			"%u RX / %u TX queues, %u EQs, %u vectors, transport %s",
			ad->version >> EVQ_VERSION_MAJOR_SHIFT,
			ad->version & EVQ_VERSION_MINOR_MASK,
			ad->fw_version >> 24, (ad->fw_version >> 16) & 0xff,
			ad->fw_version & 0xffff, ad->caps, ad->max_rxq, ad->max_txq,
			ad->max_eqs, ad->msix_vectors, ad->tp_ops->name);
	return 0;
}

/* Undo evq_adapter_init (the transport stays). */
void
evq_adapter_uninit(struct rte_eth_dev *eth_dev)
{
	struct evq_adapter *ad = evq_adapter_of(eth_dev);
	uint16_t q;

	for (q = 0; q < eth_dev->data->nb_rx_queues; q++)
		evq_rx_queue_release(eth_dev, q);
	for (q = 0; q < eth_dev->data->nb_tx_queues; q++)
		evq_tx_queue_release(eth_dev, q);
	if (ad->rxq_intr && ad->tp_ops->intr_rxq_setup != NULL)
		ad->tp_ops->intr_rxq_setup(ad, 0);
	ad->rxq_intr = false;
	/* Make the adapter stop touching our memory before it is freed; a
	 * device not identified as an evq adapter gets no write at all. */
	if (!ad->removed && ad->identified)
		evq_reg_write32(ad, EVQ_REG_DEV_CTRL, EVQ_DEV_CTRL_RESET);
	evq_eq0_teardown(ad);
	evq_summary_free(ad);
	evq_intr_cancel_alarms(ad);
	rte_eal_alarm_cancel(evq_removal_alarm, ad);
}

/* ------------------------------------------------------------------ */
/* dev ops: configure / start / stop / close / reset                  */
/* ------------------------------------------------------------------ */

static int
evq_dev_configure(struct rte_eth_dev *dev)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	struct rte_eth_conf *conf = &dev->data->dev_conf;
	uint16_t nb_rxq = dev->data->nb_rx_queues;
	int ret;

	if (ad->removed)
		return -ENODEV;
	if (conf->rxmode.mq_mode != RTE_ETH_MQ_RX_NONE &&
			conf->rxmode.mq_mode != RTE_ETH_MQ_RX_RSS) {
		EVQ_DEV_LOG(ERR, ad, "Rx mq_mode %d not supported (none or RSS only)",
				conf->rxmode.mq_mode);
		return -ENOTSUP;
	}
	if (conf->txmode.mq_mode != RTE_ETH_MQ_TX_NONE) {
		EVQ_DEV_LOG(ERR, ad, "Tx mq_mode %d not supported", conf->txmode.mq_mode);
		return -ENOTSUP;
	}
	if (ad->args.layout == EVQ_LAYOUT_LCORE && dev->data->nb_tx_queues != nb_rxq) {
		EVQ_DEV_LOG(ERR, ad, "eq_layout=lcore pairs Rx queue q with Tx queue q on one "
				"EQ: configure as many Tx queues as Rx queues (%u, not %u)",
				nb_rxq, dev->data->nb_tx_queues);
		return -EINVAL;
	}
	if (ad->args.layout == EVQ_LAYOUT_SINGLE && nb_rxq == 0 &&
			dev->data->nb_tx_queues != 0) {
		EVQ_DEV_LOG(ERR, ad, "eq_layout=single: the one EQ belongs to Rx queue 0; "
				"configure at least one Rx queue");
		return -EINVAL;
	}
	ad->irq_mode = evq_irq_mode_for(ad, nb_rxq);
	if (conf->intr_conf.rxq && ad->irq_mode == EVQ_IRQ_INTX) {
		if (!(ad->caps & EVQ_CAP_INTX)) {
			EVQ_DEV_LOG(ERR, ad, "Rx interrupts: the adapter grants %u MSI-X vectors "
					"and has no INTx: configure with intr_conf.rxq = 0",
					ad->msix_vectors);
			return -EINVAL;
		}
		/* datasheet fallback rule: INTx, found through the summary line */
		EVQ_DEV_LOG(INFO, ad, "the adapter grants %u MSI-X vectors: the %u Rx queues "
				"signal INTx; the driver's INTx handler finds the queues with "
				"work in the summary line and wakes each queue's eventfd",
				ad->msix_vectors, nb_rxq);
	} else if (conf->intr_conf.rxq && ad->irq_mode == EVQ_IRQ_MSIX_SHARED) {
		uint16_t nvec = evq_rxq_nb_vectors(ad, nb_rxq);

		/* datasheet fallback rule: share vectors rather than refuse */
		EVQ_DEV_LOG(INFO, ad, "the adapter grants %u MSI-X vectors for %u Rx queues: "
				"they share vectors 1..%u (queue q on vector 1 + q %% %u); the "
				"driver's handler finds the queues with work in the summary line "
				"and wakes each queue's eventfd",
				ad->msix_vectors, nb_rxq, nvec, nvec);
	}
	if (conf->lpbk_mode != 0) {
		EVQ_DEV_LOG(ERR, ad, "loopback mode not supported");
		return -ENOTSUP;
	}
	ret = evq_rss_configure(dev);
	if (ret != 0)
		return ret;
	return 0;
}

/* The whole message-vector map in one write (datasheet step 4). */
static int
evq_mvm_program(struct evq_adapter *ad, uint16_t nb_rxq, uint16_t nb_txq)
{
	uint32_t mvm[EVQ_EVCLASS_COUNT * EVQ_MAX_QUEUES];
	uint16_t q;

	memset(mvm, 0, sizeof(mvm));
	/* Shared vectors when the adapter grants fewer than nb_rxq + 1, INTx
	 * (legacy bit) with fewer than 2. */
	for (q = 0; q < nb_rxq; q++)
		mvm[EVQ_EVCLASS_RX * EVQ_MAX_QUEUES + q] = rte_cpu_to_le_32(
			evq_mvm_entry(evq_rxq_eq_num(ad, q), evq_rxq_vector(ad, nb_rxq, q),
				ad->irq_mode == EVQ_IRQ_INTX));
	/*
	 * TX EQs are never armed: their vector is unused. Identity when the
	 * adapter has it, else vector 0 (an MVM vector must exist), INTx
	 * when there is no vector at all.
	 */
	for (q = 0; q < nb_txq; q++) {
		uint16_t eq = evq_txq_eq_num(ad, q);
		uint32_t e;

		if (ad->args.layout == EVQ_LAYOUT_QUEUE)
			e = evq_mvm_entry(eq, eq < ad->msix_vectors ? eq : 0,
					ad->msix_vectors == 0);
		else	/* the Rx queue's EQ: the same binding (datasheet) */
			e = evq_mvm_entry(eq, evq_rxq_vector(ad, nb_rxq,
					ad->args.layout == EVQ_LAYOUT_LCORE ? q : 0),
					ad->irq_mode == EVQ_IRQ_INTX);
		mvm[EVQ_EVCLASS_TX * EVQ_MAX_QUEUES + q] = rte_cpu_to_le_32(e);
	}
	return evq_reg_write(ad, EVQ_REG_MVM(0, 0), mvm, sizeof(mvm));
}

static uint32_t
evq_rx_filter_of(const struct rte_eth_dev *dev)
{
	return EVQ_RX_FILTER_BROADCAST |
		(dev->data->promiscuous ? EVQ_RX_FILTER_PROMISC : 0) |
		(dev->data->all_multicast ? EVQ_RX_FILTER_ALLMULTI : 0);
}

static void
evq_stop_all_queues(struct rte_eth_dev *dev)
{
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++)
		evq_rx_queue_stop(dev, q);
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		evq_tx_queue_stop(dev, q);
}

static int
evq_dev_start(struct rte_eth_dev *dev)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	struct rte_eth_dev_data *data = dev->data;
	uint16_t q;
	int ret;

	if (ad->removed) {
		EVQ_DEV_LOG(ERR, ad, "cannot start: the device was removed");
		return -ENODEV;
	}
	ret = evq_rx_check_frame_fits(dev, data->mtu);
	if (ret != 0)
		return ret;
	ret = evq_reg_write32(ad, EVQ_REG_MTU, data->mtu);
	if (ret == 0)
		ret = evq_mac_write(ad, &data->mac_addrs[0]);
	if (ret == 0) {
		ad->rx_filter = evq_rx_filter_of(dev);
		ret = evq_reg_write32(ad, EVQ_REG_RX_FILTER, ad->rx_filter);
	}
	if (ret == 0)
		ret = evq_filters_program(dev);
	if (ret == 0)
		ret = evq_layout_bind(dev);
	if (ret == 0)
		ret = evq_mvm_program(ad, data->nb_rx_queues, data->nb_tx_queues);
	if (ret == 0)
		ret = evq_rss_program(ad);
	if (ret != 0)
		return ret;

	for (q = 0; q < data->nb_tx_queues; q++) {
		struct evq_tx_queue *txq = data->tx_queues[q];

		if (txq == NULL || txq->deferred_start)
			continue;
		ret = evq_tx_queue_start(dev, q);
		if (ret != 0)
			goto fail;
	}
	for (q = 0; q < data->nb_rx_queues; q++) {
		struct evq_rx_queue *rxq = data->rx_queues[q];

		if (rxq == NULL || rxq->deferred_start)
			continue;
		ret = evq_rx_queue_start(dev, q);
		if (ret != 0)
			goto fail;
	}
	if (data->dev_conf.intr_conf.rxq) {
		if (ad->tp_ops->intr_rxq_setup == NULL) {
			EVQ_DEV_LOG(ERR, ad, "transport %s has no Rx interrupts", ad->tp_ops->name);
			ret = -ENOTSUP;
			goto fail;
		}
		ret = ad->tp_ops->intr_rxq_setup(ad, data->nb_rx_queues);
		if (ret != 0)
			goto fail;
		ad->rxq_intr = true;
		evq_intr_demux_start(ad, data->nb_rx_queues);
	}
	ret = evq_reg_write32(ad, EVQ_REG_DEV_CTRL, EVQ_DEV_CTRL_ENABLE);
	if (ret != 0)
		goto fail;
	ad->started = true;
	/* Link changes that happened while stopped are already in EQ 0. */
	evq_eq0_poll(ad);
	return 0;
fail:
	evq_intr_demux_stop(ad);
	evq_stop_all_queues(dev);
	if (ad->rxq_intr)
		ad->tp_ops->intr_rxq_setup(ad, 0);
	ad->rxq_intr = false;
	return ret;
}

static int
evq_dev_stop(struct rte_eth_dev *dev)
{
	struct evq_adapter *ad = evq_adapter_of(dev);

	ad->started = false;
	evq_intr_demux_stop(ad);
	if (!ad->removed)
		evq_reg_write32(ad, EVQ_REG_DEV_CTRL, 0);
	evq_stop_all_queues(dev);
	if (ad->rxq_intr && ad->tp_ops->intr_rxq_setup != NULL)
		ad->tp_ops->intr_rxq_setup(ad, 0);
	ad->rxq_intr = false;
	dev->data->dev_started = 0;
	return 0;
}

int
evq_dev_close(struct rte_eth_dev *dev)
{
	struct evq_adapter *ad = evq_adapter_of(dev);

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	if (ad->closed)
		return 0;
	if (ad->started)
		evq_dev_stop(dev);
	evq_adapter_uninit(dev);
	if (ad->tp_ops != NULL && ad->tp_ops->intr_teardown != NULL)
		ad->tp_ops->intr_teardown(ad);
	ad->closed = true;
	if (ad->tp_ops != NULL && ad->tp_ops->close != NULL)
		ad->tp_ops->close(ad);
	ad->dbpage = NULL;
	/* The removal watch may have fired until the transport closed. */
	rte_eal_alarm_cancel(evq_removal_alarm, ad);
	evq_intr_cancel_alarms(ad);
	EVQ_DEV_LOG(INFO, ad, "closed");
	return 0;
}

/*
 * Reset: forget every queue, reset the function through the transport,
 * bring the adapter up again. The application configures the port anew.
 */
static int
evq_dev_reset(struct rte_eth_dev *dev)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	int ret;

	if (ad->removed) {
		EVQ_DEV_LOG(ERR, ad, "cannot reset: the device was removed (detach it)");
		return -ENODEV;
	}
	evq_adapter_uninit(dev);
	if (ad->tp_ops->reset != NULL) {
		ret = ad->tp_ops->reset(ad);
		if (ret != 0)
			return ret;
	}
	ret = evq_adapter_init(dev);
	if (ret != 0)
		EVQ_DEV_LOG(ERR, ad, "re-initialisation after reset failed: %s",
				strerror(-ret));
	return ret;
}

/* ------------------------------------------------------------------ */
/* dev ops: information                                               */
/* ------------------------------------------------------------------ */

static int
evq_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	uint64_t rx_offloads = 0, tx_offloads = 0;

	info->max_rx_queues = ad->max_rxq;
	info->max_tx_queues = ad->max_txq;
	info->min_rx_bufsize = RTE_PKTMBUF_HEADROOM + EVQ_RX_BUF_SIZE_MIN;
	info->max_rx_pktlen = EVQ_MTU_MAX + EVQ_FRAME_OVERHEAD;
	info->min_mtu = EVQ_MTU_MIN;
	info->max_mtu = EVQ_MTU_MAX;
	info->max_mac_addrs = (ad->caps & EVQ_CAP_MAC_FILTERS) ? 1 + EVQ_UC_MAC_COUNT : 1;
	info->max_lro_pkt_size = 0;

	if (ad->caps & EVQ_CAP_RSS)
		rx_offloads |= RTE_ETH_RX_OFFLOAD_RSS_HASH;
	if (ad->caps & EVQ_CAP_RX_SCATTER)
		rx_offloads |= RTE_ETH_RX_OFFLOAD_SCATTER;
	if (ad->caps & EVQ_CAP_RX_TIMESTAMP)
		rx_offloads |= RTE_ETH_RX_OFFLOAD_TIMESTAMP;
	if (ad->caps & EVQ_CAP_RX_CSUM)
		rx_offloads |= RTE_ETH_RX_OFFLOAD_IPV4_CKSUM |
			RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM;
	if (ad->caps & EVQ_CAP_TX_MULTI_SEG)
		tx_offloads |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	if (ad->caps & EVQ_CAP_TX_CSUM)
		tx_offloads |= RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM |
			RTE_ETH_TX_OFFLOAD_TCP_CKSUM;
	if (ad->caps & EVQ_CAP_TSO)
		tx_offloads |= RTE_ETH_TX_OFFLOAD_TCP_TSO;
	if (ad->caps & EVQ_CAP_TX_VLAN)
		tx_offloads |= RTE_ETH_TX_OFFLOAD_VLAN_INSERT;
	/* the driver's own: sent mbufs go back to their pool in one put */
	tx_offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	info->rx_queue_offload_capa = rx_offloads;
	/* port-wide in the adapter: not per queue */
	if (ad->caps & EVQ_CAP_RX_VLAN)
		rx_offloads |= RTE_ETH_RX_OFFLOAD_VLAN_STRIP | RTE_ETH_RX_OFFLOAD_VLAN_FILTER;
	info->rx_offload_capa = rx_offloads;
	info->tx_offload_capa = tx_offloads;
	info->tx_queue_offload_capa = tx_offloads;

	if (ad->caps & EVQ_CAP_RSS) {
		info->reta_size = ad->reta_size;
		info->hash_key_size = ad->key_size;
		info->flow_type_rss_offloads = evq_rss_hf_supported(ad);
	}

	info->rx_desc_lim.nb_max = ad->desc_max;
	info->rx_desc_lim.nb_min = ad->desc_min;
	info->rx_desc_lim.nb_align = 1;
	info->tx_desc_lim.nb_max = ad->desc_max;
	info->tx_desc_lim.nb_min = ad->desc_min;
	info->tx_desc_lim.nb_align = 1;
	info->tx_desc_lim.nb_seg_max = EVQ_TX_MAX_SEGS;
	info->tx_desc_lim.nb_mtu_seg_max = EVQ_TX_MAX_SEGS;

	info->default_rxconf.rx_free_thresh = EVQ_RX_FREE_THRESH;
	info->default_rxportconf.ring_size = 1024;
	info->default_txportconf.ring_size = 1024;
	info->default_rxportconf.nb_queues = 1;
	info->default_txportconf.nb_queues = 1;
	info->default_rxportconf.burst_size = 32;
	info->default_txportconf.burst_size = 32;

	info->speed_capa = 0;	/* the adapter does not say; the link event does */
	info->dev_capa = 0;
	return 0;
}

static int
evq_fw_version_get(struct rte_eth_dev *dev, char *fw_version, size_t fw_size)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	int len;

	len = snprintf(fw_version, fw_size, "%u.%u.%u",
			ad->fw_version >> 24, (ad->fw_version >> 16) & 0xff,
			ad->fw_version & 0xffff);
	if (len < 0)
		return -EINVAL;
	/* ethdev contract: size needed including the NUL if it did not fit. */
	if ((size_t)len + 1 > fw_size)
		return len + 1;
	return 0;
}

static int
evq_link_update(struct rte_eth_dev *dev, int wait_to_complete)
{
	struct evq_adapter *ad = evq_adapter_of(dev);

	RTE_SET_USED(wait_to_complete);
	/* Link state comes from EQ 0 events, never from a register read. */
	if (!ad->removed && !ad->closed)
		evq_eq0_poll(ad);
	/* the LSC event itself, if one is due, comes from evq_eq0_poll's alarm */
	return evq_link_publish(ad, NULL);
}

static int
evq_set_link(struct rte_eth_dev *dev, bool up)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	uint32_t args[EVQ_ADMIN_NARGS] = { up ? 1 : 0, 0 };

	if (ad->removed)
		return -ENODEV;
	return evq_admin(ad, EVQ_ADMIN_SET_LINK, args, NULL, NULL);
}

static int
evq_dev_set_link_up(struct rte_eth_dev *dev)
{
	return evq_set_link(dev, true);
}

static int
evq_dev_set_link_down(struct rte_eth_dev *dev)
{
	return evq_set_link(dev, false);
}

/* ------------------------------------------------------------------ */
/* dev ops: filters, MTU, MAC                                         */
/* ------------------------------------------------------------------ */

static int
evq_rx_filter_set(struct rte_eth_dev *dev, uint32_t set, uint32_t clear)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	uint32_t filter = (evq_rx_filter_of(dev) | set) & ~clear;
	int ret;

	ret = evq_reg_write32(ad, EVQ_REG_RX_FILTER, filter);
	if (ret == 0)
		ad->rx_filter = filter;
	return ret;
}

static int
evq_promiscuous_enable(struct rte_eth_dev *dev)
{
	return evq_rx_filter_set(dev, EVQ_RX_FILTER_PROMISC, 0);
}

static int
evq_promiscuous_disable(struct rte_eth_dev *dev)
{
	return evq_rx_filter_set(dev, 0, EVQ_RX_FILTER_PROMISC);
}

static int
evq_allmulticast_enable(struct rte_eth_dev *dev)
{
	return evq_rx_filter_set(dev, EVQ_RX_FILTER_ALLMULTI, 0);
}

static int
evq_allmulticast_disable(struct rte_eth_dev *dev)
{
	return evq_rx_filter_set(dev, 0, EVQ_RX_FILTER_ALLMULTI);
}

static int
evq_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	int ret;

	if (mtu < EVQ_MTU_MIN || mtu > EVQ_MTU_MAX) {
		EVQ_DEV_LOG(ERR, ad, "MTU %u outside %u..%u", mtu, EVQ_MTU_MIN, EVQ_MTU_MAX);
		return -EINVAL;
	}
	if (ad->started) {
		ret = evq_rx_check_frame_fits(dev, mtu);
		if (ret != 0)
			return ret;
	}
	/* Written at start otherwise; writing now is harmless either way. */
	return evq_reg_write32(ad, EVQ_REG_MTU, mtu);
}

static int
evq_mac_addr_set(struct rte_eth_dev *dev, struct rte_ether_addr *addr)
{
	struct evq_adapter *ad = evq_adapter_of(dev);

	if (!rte_is_valid_assigned_ether_addr(addr)) {
		EVQ_DEV_LOG(ERR, ad, "refusing a multicast or zero MAC address");
		return -EINVAL;
	}
	return evq_mac_write(ad, addr);
}

/* ------------------------------------------------------------------ */
/* dev ops: statistics                                                */
/* ------------------------------------------------------------------ */

static int
evq_hw_stats_read(struct evq_adapter *ad, uint64_t hw[EVQ_STAT_COUNT])
{
	int ret, i;

	if (ad->removed)
		return -ENODEV;
	ret = evq_reg_read(ad, EVQ_REG_STAT(0), hw, sizeof(uint64_t) * EVQ_STAT_COUNT);
	if (ret != 0)
		return ret;
	for (i = 0; i < EVQ_STAT_COUNT; i++)
		hw[i] = rte_le_to_cpu_64(hw[i]);
	return 0;
}

static int
evq_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats
		EVQ_QSTATS_PARAM(qstats))
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	evq_qstats_t *qs = EVQ_QSTATS(stats, qstats);
	uint64_t hw[EVQ_STAT_COUNT];
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		const struct evq_rx_queue *rxq = dev->data->rx_queues[q];

		if (rxq == NULL)
			continue;
		stats->ipackets += rxq->stats.packets;
		stats->ibytes += rxq->stats.bytes;
		stats->ierrors += rxq->stats.errors + rxq->stats.malformed;
		stats->rx_nombuf += rxq->stats.nombuf;
		if (qs != NULL && q < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			qs->q_ipackets[q] = rxq->stats.packets;
			qs->q_ibytes[q] = rxq->stats.bytes;
			qs->q_errors[q] = rxq->stats.errors + rxq->stats.malformed;
		}
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		const struct evq_tx_queue *txq = dev->data->tx_queues[q];

		if (txq == NULL)
			continue;
		stats->opackets += txq->stats.packets;
		stats->obytes += txq->stats.bytes;
		stats->oerrors += txq->stats.dropped;
		if (qs != NULL && q < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			qs->q_opackets[q] = txq->stats.packets;
			qs->q_obytes[q] = txq->stats.bytes;
		}
	}
	/* What only the adapter knows: frames it dropped. */
	if (evq_hw_stats_read(ad, hw) == 0) {
		stats->imissed = hw[EVQ_STAT_RX_MISSED];
		stats->ierrors += hw[EVQ_STAT_RX_ERRORS];
		stats->oerrors += hw[EVQ_STAT_TX_ERRORS];
	}
	return 0;
}

static int
evq_stats_reset(struct rte_eth_dev *dev)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		struct evq_rx_queue *rxq = dev->data->rx_queues[q];

		if (rxq != NULL)
			memset(&rxq->stats, 0, sizeof(rxq->stats));
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		struct evq_tx_queue *txq = dev->data->tx_queues[q];

		if (txq != NULL)
			memset(&txq->stats, 0, sizeof(txq->stats));
	}
	memset(&ad->gstats, 0, sizeof(ad->gstats));
	if (!ad->removed)
		evq_admin(ad, EVQ_ADMIN_STATS_RESET, NULL, NULL, NULL);
	return 0;
}

/* xstats: driver counters, then the adapter's, then per queue. */
struct evq_xstat_desc {
	const char *name;
	size_t offset;
};

#define EVQ_GSTAT(f) { #f, offsetof(struct evq_global_stats, f) }
static const struct evq_xstat_desc evq_gstat_desc[] = {
	EVQ_GSTAT(eq0_events),
	EVQ_GSTAT(eq0_interrupts),
	EVQ_GSTAT(eq0_spurious),
	EVQ_GSTAT(eq0_arms),
	EVQ_GSTAT(link_events),
	EVQ_GSTAT(dev_errors),
	EVQ_GSTAT(eq_overflows),
	EVQ_GSTAT(admin_events),
	EVQ_GSTAT(other_events),
	EVQ_GSTAT(shared_irqs),
	EVQ_GSTAT(shared_irq_wakeups),
	EVQ_GSTAT(shared_irq_empty),
};

static const char * const evq_hw_stat_names[EVQ_STAT_COUNT] = {
	[EVQ_STAT_RX_PACKETS] = "hw_rx_packets",
	[EVQ_STAT_RX_BYTES] = "hw_rx_bytes",
	[EVQ_STAT_RX_MISSED] = "hw_rx_missed",
	[EVQ_STAT_RX_FILTERED] = "hw_rx_filtered",
	[EVQ_STAT_RX_ERRORS] = "hw_rx_errors",
	[EVQ_STAT_TX_PACKETS] = "hw_tx_packets",
	[EVQ_STAT_TX_BYTES] = "hw_tx_bytes",
	[EVQ_STAT_TX_ERRORS] = "hw_tx_errors",
	[EVQ_STAT_EVENTS_POSTED] = "hw_events_posted",
	[EVQ_STAT_EVENTS_LOST] = "hw_events_lost",
	[EVQ_STAT_MSIX_SIGNALS] = "hw_msix_signals",
	[EVQ_STAT_INTX_SIGNALS] = "hw_intx_signals",
	[EVQ_STAT_IRQ_PENDED] = "hw_irq_pended",
	[EVQ_STAT_DOORBELLS] = "hw_eq_doorbells",
	[EVQ_STAT_BAD_DOORBELLS] = "hw_bad_doorbells",
	[EVQ_STAT_BAD_TAILS] = "hw_bad_tails",
	[EVQ_STAT_ILLEGAL_ACCESSES] = "hw_illegal_accesses",
	[EVQ_STAT_DMA_FAULTS] = "hw_dma_faults",
	[EVQ_STAT_ADMIN_COMMANDS] = "hw_admin_commands",
	[EVQ_STAT_MODERATION_HELD] = "hw_moderation_held",
	[EVQ_STAT_CONV_SIGNALS] = "hw_conv_signals",
};

#define EVQ_RXSTAT(n, f) { n, offsetof(struct evq_rxq_stats, f) }
static const struct evq_xstat_desc evq_rxq_stat_desc[] = {
	EVQ_RXSTAT("desc_errors", errors),
	EVQ_RXSTAT("malformed_frames", malformed),
	EVQ_RXSTAT("stray_events", stray_events),
	EVQ_RXSTAT("mbuf_alloc_errors", nombuf),
	EVQ_RXSTAT("eq_events", events),
	EVQ_RXSTAT("eq_other_events", other_events),
	EVQ_RXSTAT("tail_doorbells", tail_doorbells),
	EVQ_RXSTAT("intr_arms", arms),
	EVQ_RXSTAT("intr_wakeups", wakeups),
	EVQ_RXSTAT("intr_spurious_wakeups", spurious_wakeups),
	EVQ_RXSTAT("eq_overflows", eq_overflows),
	EVQ_RXSTAT("eq_lost_events", eq_lost),
};

#define EVQ_TXSTAT(n, f) { n, offsetof(struct evq_txq_stats, f) }
static const struct evq_xstat_desc evq_txq_stat_desc[] = {
	EVQ_TXSTAT("dropped", dropped),
	EVQ_TXSTAT("eq_events", events),
	EVQ_TXSTAT("eq_other_events", other_events),
	EVQ_TXSTAT("tail_doorbells", tail_doorbells),
	EVQ_TXSTAT("ring_full", ring_full),
	EVQ_TXSTAT("bad_completions", bad_completions),
	EVQ_TXSTAT("eq_overflows", eq_overflows),
	EVQ_TXSTAT("eq_lost_events", eq_lost),
};

static unsigned int
evq_xstats_count(const struct rte_eth_dev *dev)
{
	return RTE_DIM(evq_gstat_desc) + EVQ_STAT_COUNT +
		dev->data->nb_rx_queues * RTE_DIM(evq_rxq_stat_desc) +
		dev->data->nb_tx_queues * RTE_DIM(evq_txq_stat_desc);
}

static int
evq_xstats_get_names(struct rte_eth_dev *dev, struct rte_eth_xstat_name *names,
		unsigned int size)
{
	unsigned int n = evq_xstats_count(dev), i, k = 0;
	uint16_t q;

	if (names == NULL || size < n)
		return (int)n;
	for (i = 0; i < RTE_DIM(evq_gstat_desc); i++)
		strlcpy(names[k++].name, evq_gstat_desc[i].name, RTE_ETH_XSTATS_NAME_SIZE);
	for (i = 0; i < EVQ_STAT_COUNT; i++)
		strlcpy(names[k++].name, evq_hw_stat_names[i], RTE_ETH_XSTATS_NAME_SIZE);
	for (q = 0; q < dev->data->nb_rx_queues; q++)
		for (i = 0; i < RTE_DIM(evq_rxq_stat_desc); i++)
			snprintf(names[k++].name, RTE_ETH_XSTATS_NAME_SIZE, "rx_q%u_%s",
					q, evq_rxq_stat_desc[i].name);
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		for (i = 0; i < RTE_DIM(evq_txq_stat_desc); i++)
			snprintf(names[k++].name, RTE_ETH_XSTATS_NAME_SIZE, "tx_q%u_%s",
					q, evq_txq_stat_desc[i].name);
	return (int)n;
}

static int
evq_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats, unsigned int size)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	unsigned int n = evq_xstats_count(dev), i, k = 0;
	uint64_t hw[EVQ_STAT_COUNT];
	uint16_t q;

	if (xstats == NULL || size < n)
		return (int)n;
	if (evq_hw_stats_read(ad, hw) != 0)
		memset(hw, 0, sizeof(hw));
	for (i = 0; i < RTE_DIM(evq_gstat_desc); i++, k++) {
		xstats[k].id = k;
		xstats[k].value = *(const uint64_t *)((const uint8_t *)&ad->gstats +
				evq_gstat_desc[i].offset);
	}
	for (i = 0; i < EVQ_STAT_COUNT; i++, k++) {
		xstats[k].id = k;
		xstats[k].value = hw[i];
	}
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		const struct evq_rx_queue *rxq = dev->data->rx_queues[q];

		for (i = 0; i < RTE_DIM(evq_rxq_stat_desc); i++, k++) {
			xstats[k].id = k;
			xstats[k].value = rxq == NULL ? 0 :
				*(const uint64_t *)((const uint8_t *)&rxq->stats +
						evq_rxq_stat_desc[i].offset);
		}
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		const struct evq_tx_queue *txq = dev->data->tx_queues[q];

		for (i = 0; i < RTE_DIM(evq_txq_stat_desc); i++, k++) {
			xstats[k].id = k;
			xstats[k].value = txq == NULL ? 0 :
				*(const uint64_t *)((const uint8_t *)&txq->stats +
						evq_txq_stat_desc[i].offset);
		}
	}
	return (int)n;
}

/* ------------------------------------------------------------------ */

/* The adapter's clock (EVQ_REG_LOCAL_TIME, ns): the Rx time stamps' clock. */
static int
evq_read_clock(struct rte_eth_dev *dev, uint64_t *clock)
{
	uint64_t t;
	int ret;

	/* one aligned 8-byte access reads both halves atomically */
	ret = evq_reg_read(evq_adapter_of(dev), EVQ_REG_LOCAL_TIME_LO, &t, sizeof(t));
	if (ret == 0)
		*clock = rte_le_to_cpu_64(t);
	return ret;
}

/* Secondary process: the link as the primary last saw it (EQ 0 is the
 * primary's to consume). */
static int
evq_link_update_secondary(struct rte_eth_dev *dev, int wait_to_complete)
{
	RTE_SET_USED(dev);
	RTE_SET_USED(wait_to_complete);
	return 0;
}

/* Secondary process: closing drops this process's hold, the port lives on. */
static int
evq_dev_close_secondary(struct rte_eth_dev *dev)
{
	evq_mp_detach(dev);
	return 0;
}

/*
 * In a secondary process: what reads the port (information, statistics,
 * queue information) and what the datapath of an application needs (Rx
 * interrupts are doorbell stores). Configuration stays with the primary.
 */
static const struct eth_dev_ops evq_eth_dev_secondary_ops = {
	.dev_close = evq_dev_close_secondary,
	.link_update = evq_link_update_secondary,
	.is_removed = evq_dev_is_removed,
	.stats_get = evq_stats_get,
	.stats_reset = evq_stats_reset,
	.xstats_get = evq_xstats_get,
	.xstats_reset = evq_stats_reset,
	.xstats_get_names = evq_xstats_get_names,
	.dev_infos_get = evq_dev_infos_get,
	.rxq_info_get = evq_rxq_info_get,
	.txq_info_get = evq_txq_info_get,
	.rx_burst_mode_get = evq_rx_burst_mode_get,
	.tx_burst_mode_get = evq_tx_burst_mode_get,
	.fw_version_get = evq_fw_version_get,
	.dev_supported_ptypes_get = evq_dev_supported_ptypes_get,
	.rx_queue_intr_enable = evq_rx_queue_intr_enable,
	.rx_queue_intr_disable = evq_rx_queue_intr_disable,
	.tx_done_cleanup = evq_tx_done_cleanup,
	.rss_hash_conf_get = evq_rss_hash_conf_get,
	.reta_query = evq_reta_query,
	.get_monitor_addr = evq_get_monitor_addr,
	.read_clock = evq_read_clock,
};

/* The ops and burst functions of a port attached in a secondary process. */
void
evq_secondary_init(struct rte_eth_dev *eth_dev)
{
	eth_dev->dev_ops = &evq_eth_dev_secondary_ops;
	eth_dev->rx_pkt_burst = evq_recv_pkts;
	eth_dev->tx_pkt_burst = evq_xmit_pkts;
	eth_dev->tx_pkt_prepare = evq_prep_pkts;
	eth_dev->rx_queue_count = evq_rx_queue_count;
	eth_dev->rx_descriptor_status = evq_rx_descriptor_status;
	eth_dev->tx_descriptor_status = evq_tx_descriptor_status;
}

const struct eth_dev_ops evq_eth_dev_ops = {
	.dev_configure = evq_dev_configure,
	.dev_start = evq_dev_start,
	.dev_stop = evq_dev_stop,
	.dev_set_link_up = evq_dev_set_link_up,
	.dev_set_link_down = evq_dev_set_link_down,
	.dev_close = evq_dev_close,
	.dev_reset = evq_dev_reset,
	.link_update = evq_link_update,
	.is_removed = evq_dev_is_removed,
	.promiscuous_enable = evq_promiscuous_enable,
	.promiscuous_disable = evq_promiscuous_disable,
	.allmulticast_enable = evq_allmulticast_enable,
	.allmulticast_disable = evq_allmulticast_disable,
	.mac_addr_set = evq_mac_addr_set,
	.mac_addr_add = evq_mac_addr_add,
	.mac_addr_remove = evq_mac_addr_remove,
	.set_mc_addr_list = evq_set_mc_addr_list,
	.vlan_filter_set = evq_vlan_filter_set,
	.vlan_offload_set = evq_vlan_offload_set,
	.mtu_set = evq_mtu_set,
	.stats_get = evq_stats_get,
	.stats_reset = evq_stats_reset,
	.xstats_get = evq_xstats_get,
	.xstats_reset = evq_stats_reset,
	.xstats_get_names = evq_xstats_get_names,
	.dev_infos_get = evq_dev_infos_get,
	.rxq_info_get = evq_rxq_info_get,
	.txq_info_get = evq_txq_info_get,
	.rx_burst_mode_get = evq_rx_burst_mode_get,
	.tx_burst_mode_get = evq_tx_burst_mode_get,
	.fw_version_get = evq_fw_version_get,
	.dev_supported_ptypes_get = evq_dev_supported_ptypes_get,
	.rx_queue_start = evq_rx_queue_start,
	.rx_queue_stop = evq_rx_queue_stop,
	.tx_queue_start = evq_tx_queue_start,
	.tx_queue_stop = evq_tx_queue_stop,
	.rx_queue_setup = evq_rx_queue_setup,
	.rx_queue_release = evq_rx_queue_release,
	.rx_queue_intr_enable = evq_rx_queue_intr_enable,
	.rx_queue_intr_disable = evq_rx_queue_intr_disable,
	.tx_queue_setup = evq_tx_queue_setup,
	.tx_queue_release = evq_tx_queue_release,
	.tx_done_cleanup = evq_tx_done_cleanup,
	.rss_hash_update = evq_rss_hash_update,
	.rss_hash_conf_get = evq_rss_hash_conf_get,
	.reta_update = evq_reta_update,
	.reta_query = evq_reta_query,
	.get_monitor_addr = evq_get_monitor_addr,
	.read_clock = evq_read_clock,
};
