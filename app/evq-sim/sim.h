/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq-sim: the evq adapter as a software device (doc/datasheet.rst). This
 * header owns the model's internal data structures shared by its modules:
 *
 *   main.c        command line, threads, signals, statistics printing
 *   sim_opts.c    device-wide settings and their defaults
 *   sim_ctrl.c    control threads (one per port): vfio-user sockets, DMA
 *                 mmap/munmap, fds
 *   sim_engine.c  engine thread: polls the doorbell page, RX/TX, EQ posts,
 *                 interrupts; runs every configuration change (RPC)
 *   the programming model (doc/datasheet.rst), calling one another
 *   through sim_regs.h:
 *     sim_irq.c   interrupts (MSI-X, INTx, conventional) and the MVM
 *     sim_eq.c    event posting, EQs and Rx/Tx queues
 *     sim_admin.c reset and the admin commands
 *     sim_bar0.c  the BAR0 control registers
 *     sim_pci.c   BAR4 MSI-X table, BAR2 through the socket, config space
 *   sim_vfu_server.c  the vfio-user server (sim_vfu_server.h)
 *   sim_toeplitz.c    RSS: Toeplitz hash and the frame parser
 *   sim_dma.c     IOVA -> local pointer table, SIGBUS survival
 *   sim_wire.c    the wires: pair, loop, sink, gen, tap, pcap, rategen
 *
 * Threading model: the device state of a port (registers, queues, EQs, DMA
 * table, eventfds) is owned by the engine thread. A control thread never
 * touches it directly: it hands a closure to the engine (sim_engine_call())
 * and waits until the engine has run it between two datapath batches. So
 * the hot path takes no lock and every configuration change is applied at
 * a point where no descriptor, buffer or EQ is in use. Counters are written
 * by the engine only and read racily by the statistics printer.
 */

#ifndef EVQ_SIM_H
#define EVQ_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <evq_ring.h>
#include <evq_hw.h>
#include <evq_log.h>
#include "sim_toeplitz.h"
#include "sim_vfu_server.h"

#define SIM_MAX_PORTS		16
#define SIM_MAX_DMA_MAPS	1024	/* offered as max_dma_maps */
#define SIM_BURST		32	/* frames per wire call */
#define SIM_TX_DESC_BURST	64	/* TX descriptors looked at per queue visit */
#define SIM_RX_EV_MAX		(SIM_BURST * EVQ_TX_MAX_SEGS) /* RX events per burst */
#define SIM_FRAME_MAX		(EVQ_MTU_MAX + EVQ_FRAME_OVERHEAD)

#define SIM_CACHE_LINE		64
#define sim_likely(x)		__builtin_expect(!!(x), 1)
#define sim_unlikely(x)		__builtin_expect(!!(x), 0)
#define SIM_ALIGNED		__attribute__((aligned(SIM_CACHE_LINE)))

/* Logging through the one hook of lib/evq_hw (evq_log.h); main.c sends
 * it to stderr. */
#define SIM_LOG(level, fmt, ...) \
	evq_log(EVQ_LOG_ ## level, "evq-sim: " fmt "\n", ##__VA_ARGS__)

struct sim_port;
struct sim_engine;

/* A frame handed between the datapath and a wire: borrowed memory. */
struct sim_frame {
	const uint8_t *data;
	uint32_t len;
};

/* ------------------------------------------------------------ wires -- */

enum sim_wire_kind {
	SIM_WIRE_PAIR = 0,
	SIM_WIRE_LOOP,
	SIM_WIRE_SINK,
	SIM_WIRE_GEN,
	SIM_WIRE_TAP,
	SIM_WIRE_PCAP,
	SIM_WIRE_RATEGEN,
};

#define SIM_GEN_BURST_MAX	64	/* most generated frames per wake-up */

/* Traffic generator and replay settings (--gen-*, --rate, --pcap-*). */
struct sim_wire_conf {
	enum sim_wire_kind kind;
	uint64_t rate_pps;	/* gen / pcap replay per port; 0 = unlimited */
	uint32_t gen_size;	/* frame bytes (no FCS) */
	uint32_t gen_flows;
	int gen_ipv;		/* 4 or 6 */
	int gen_l4;		/* IPPROTO_UDP or IPPROTO_TCP */
	bool gen_bcast;		/* destination broadcast instead of the port MAC */
	uint32_t gen_dst_ip;	/* IPv4 destination address, host order */
	/* rategen: the timed send phase and evq-rategen's pacing */
	uint64_t gen_duration_ns;
	uint64_t gen_drain_ns;	/* echoes still counted after it */
	const char *gen_start_file;	/* send once it exists */
	unsigned int gen_burst;	/* 1..SIM_GEN_BURST_MAX */
	uint64_t gen_batch_ns;	/* let frames gather this long at most */
	const char *tap_name;	/* template, %u = port */
	const char *pcap_in;
	const char *pcap_out;	/* template, %u = port */
	uint64_t pcap_loops;	/* 0 = forever */
};

struct sim_wire_ops {
	const char *name;
	int (*open)(struct sim_port *port, const struct sim_wire_conf *conf);
	void (*close)(struct sim_port *port);
	/* Frames the port transmits (engine thread). They stay valid only
	 * for the duration of the call. */
	void (*tx)(struct sim_port *port, const struct sim_frame *frames,
		unsigned int n);
	/* Frames arriving at the port (engine thread): deliver them with
	 * sim_rx_deliver(). Returns the number of frames that arrived. */
	unsigned int (*rx_poll)(struct sim_port *port, uint64_t now);
};

const struct sim_wire_ops *sim_wire_ops_get(enum sim_wire_kind kind);
int sim_wire_kind_parse(const char *name, enum sim_wire_kind *kind);
const char *sim_wire_kind_name(enum sim_wire_kind kind);

/* ------------------------------------------------------------- DMA --- */

struct sim_dma_map {
	uint64_t iova;
	uint64_t len;
	uint8_t *va;		/* local address of iova (NULL: no fd, unreachable) */
	void *mmap_base;	/* the reservation with its guards (NULL: none) */
	size_t mmap_len;
	uint32_t flags;		/* EVQ_VFU_DMA_F_* the device may use (0: none) */
};

/* Sorted by iova, non-overlapping; engine-owned. */
struct sim_dma_table {
	uint32_t n;
	struct sim_dma_map map[SIM_MAX_DMA_MAPS];
};

/*
 * Translate [iova, iova + len) to a local pointer if it lies inside one
 * mapping with the needed permission; *hint caches the last map index.
 */
static inline void *
sim_dma_xlate(const struct sim_dma_table *t, uint64_t iova, uint64_t len,
		uint32_t need, uint32_t *hint)
{
	const struct sim_dma_map *m;
	uint32_t lo, hi;

	if (sim_likely(*hint < t->n)) {
		m = &t->map[*hint];
		if (sim_likely(iova - m->iova < m->len &&
				len <= m->len - (iova - m->iova) &&
				(m->flags & need) == need))
			return m->va + (iova - m->iova);
	}
	lo = 0;
	hi = t->n;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		m = &t->map[mid];
		if (iova < m->iova) {
			hi = mid;
		} else if (iova - m->iova >= m->len) {
			lo = mid + 1;
		} else {
			if (len > m->len - (iova - m->iova) || (m->flags & need) != need)
				return NULL;
			*hint = mid;
			return m->va + (iova - m->iova);
		}
	}
	return NULL;
}

int sim_dma_insert(struct sim_dma_table *t, const struct sim_dma_map *m);
/* Remove every map inside [iova, iova + size) (or all); copy them to out.
 * -EINVAL, nothing removed, when the range cuts through a map. */
int sim_dma_remove(struct sim_dma_table *t, uint64_t iova, uint64_t size,
		bool all, struct sim_dma_map *out, uint32_t *nout);
/*
 * Map size bytes of fd from offset for the device (flags: EVQ_VFU_DMA_F_*),
 * between inaccessible guard areas, so an access past either end faults:
 * sets m->va, m->mmap_base, m->mmap_len and m->flags. 0 or -errno.
 */
int sim_dma_mmap(int fd, uint64_t offset, uint64_t size, uint32_t flags,
		struct sim_dma_map *m);
/* Undo sim_dma_mmap() (nothing for a map without a file). */
void sim_dma_munmap(struct sim_dma_map *m);
/* Does [iova, iova+len) intersect map m? */
bool sim_dma_overlaps(const struct sim_dma_map *m, uint64_t iova, uint64_t len);
/* Install the SIGBUS guard that survives a client shrinking a DMA file. */
void sim_dma_sigbus_install(void);
extern uint64_t sim_dma_sigbus_count;

/* ---------------------------------------------------------- device --- */

struct sim_eq {
	struct evq_ring_prod prod;	/* lib/evq_ring is the EQ engine */
	struct sim_port *port;
	uint16_t num;
	bool overflowed;		/* EVQ_EQ_STATE_OVERFLOWED */
	bool lost_reported;		/* first EVQ_ERR_EQ_LOST of this episode */
	bool wi_dirty;			/* write indicator to write back */
	/* registers */
	uint64_t base;
	uint32_t size;
	uint32_t entry_size;
	uint32_t ctrl;
	uint32_t intr_delay;
	uint32_t wi_interval;
	/* effective interrupt binding (recomputed on MVM writes) */
	uint16_t vector;
	bool legacy;
	bool bound;
	/* counters that lib/evq_ring does not keep */
	uint32_t lost;
	uint32_t overflows;
	/* stats baselines (STATS_RESET) for the lib's counters */
	struct evq_ring_prod_stats base_stats;
} SIM_ALIGNED;

struct sim_rxq {
	/* hot */
	const struct evq_rx_desc *ring;	/* local pointer, valid while enabled */
	uint32_t mask;
	uint32_t head;
	uint32_t tail;			/* last accepted tail */
	uint32_t tail_seen;		/* last tail value judged */
	uint32_t buf_size;
	uint32_t dma_hint;
	bool enabled;			/* ENABLE and not faulted */
	bool scatter;
	bool timestamp;			/* EVQ_RXQ_CTRL_TIMESTAMP */
	volatile uint32_t *tail_db;
	uint64_t packets;
	uint64_t bytes;
	uint64_t missed;
	uint32_t errors;
	/* registers */
	uint64_t base;
	uint32_t size;
	uint32_t ctrl;
	uint32_t status;
} SIM_ALIGNED;

struct sim_txq {
	const struct evq_tx_desc *ring;
	uint32_t mask;
	uint32_t head;
	uint32_t tail;
	uint32_t tail_seen;
	uint32_t unreported;		/* completed, no TX event yet */
	uint32_t coal;			/* effective threshold */
	uint32_t dma_hint;
	bool enabled;
	volatile uint32_t *tail_db;
	uint64_t packets;
	uint64_t bytes;
	uint64_t dropped;
	uint32_t errors;
	uint64_t base;
	uint32_t size;
	uint32_t coal_reg;
	uint32_t ctrl;
	uint32_t status;
} SIM_ALIGNED;

/* Counters folded in at every reset, so that the report covers the whole
 * run (the datasheet's statistics restart at each reset). */
struct sim_life {
	uint64_t stats[EVQ_STAT_COUNT];
	uint64_t eq_posted;
	uint64_t eq_signals;
	uint64_t eq_held;
	uint64_t eq_doorbells;
	uint64_t eq_bad_doorbells;
	uint64_t eq_overflows;
	uint64_t eq_lost;
};

/* Counters of the model itself (beyond the datasheet's statistics). */
struct sim_port_counters {
	uint64_t trapped_reads;
	uint64_t trapped_writes;
	uint64_t tail_doorbells;	/* RX/TX tail values applied */
	uint64_t wire_tx_drops;		/* wire could not take a frame */
	/* why transmitted frames were dropped (EVQ_STAT_TX_ERRORS by cause) */
	uint64_t tx_drop_link;		/* the link was down */
	uint64_t tx_drop_dma;		/* a buffer not DMA-mapped for reading */
	uint64_t tx_drop_desc;		/* a bad descriptor or frame length */
	/* why received frames were missed (EVQ_STAT_RX_MISSED by cause) */
	uint64_t rx_miss_desc;		/* no (or too few) Rx descriptors posted */
	uint64_t rx_miss_eq;		/* the queue's EQ refused the events */
	uint64_t rx_miss_off;		/* the Rx queue was not enabled */
	uint64_t connects;
	uint64_t disconnects;
};

struct sim_port {
	/* ---- hot, engine ---- */
	uint32_t dev_ctrl;
	bool datapath;			/* ENABLE and link up */
	bool link_up;
	uint32_t mtu;
	uint32_t frame_max;		/* mtu + 18 */
	uint32_t rx_filter;
	uint32_t vlan_ctrl;		/* EVQ_VLAN_CTRL_* */
	uint32_t uc_valid;		/* bit i: uc_mac[i] is valid */
	uint32_t mc_valid;		/* bit i: mc_mac[i] is valid */
	uint32_t rss_ctrl;
	uint32_t rss_hash_mask;
	uint8_t mac[6];
	uint8_t reta[EVQ_RETA_SIZE];
	uint16_t mvm_eq[EVQ_EVCLASS_COUNT][EVQ_MAX_QUEUES]; /* effective EQ */
	uint32_t rxq_enabled_mask;
	uint32_t txq_enabled_mask;
	uint32_t eq_defined_mask;	/* EQs whose ctrl ENABLE is set */
	uint32_t eq_wi_mask;		/* EQs with per-batch WI write-back */
	struct sim_dma_table *dma;
	struct evq_toeplitz *toeplitz;
	uint8_t *strip_buf;		/* a burst of frames without their VLAN tag */
	uint32_t vlan_table[EVQ_VLAN_TABLE_REGS];
	uint8_t uc_mac[EVQ_UC_MAC_COUNT][6];
	uint8_t mc_mac[EVQ_MC_MAC_COUNT][6];
	uint8_t *dbpage;
	const struct sim_wire_ops *wire;
	void *wire_priv;
	struct sim_port *peer;		/* pair wire */
	struct sim_engine *eng;
	uint64_t stats[EVQ_STAT_COUNT];
	struct sim_port_counters cnt;
	struct sim_life life;

	/* ---- registers (engine) ---- */
	unsigned int idx;
	uint32_t link_speed;
	uint32_t global_irq;
	uint32_t intx_status;
	uint64_t wi_base;
	uint64_t sum_primary;
	uint64_t sum_secondary;
	uint32_t scratch;
	uint32_t admin_arg[EVQ_ADMIN_NARGS];
	uint32_t admin_status;
	uint32_t admin_errno;
	uint32_t admin_result[2];
	uint32_t last_error[4];
	uint32_t conv_cause;
	uint32_t conv_mask;
	uint32_t dev_status_flags;	/* FATAL, EQ0_OVERFLOW */
	uint8_t rss_key[EVQ_RSS_KEY_SIZE];
	uint32_t mvm[EVQ_EVCLASS_COUNT][EVQ_MAX_QUEUES];
	uint8_t perm_mac[6];
	uint64_t err_count[16];		/* per evq_err code, for rate limiting */
	uint32_t msix_ctrl[EVQ_MSIX_VECTORS][4];
	uint32_t pba;
	uint8_t cfg[EVQ_PCI_CFG_SIZE];	/* config space */
	uint32_t bar_lo[6];		/* BAR registers as written */
	bool msix_enabled;
	bool msix_maskall;
	int msix_fd[EVQ_MSIX_VECTORS];	/* borrowed from ctrl (owned there) */
	bool msix_vfu_masked[EVQ_MSIX_VECTORS];
	int intx_fd;
	bool intx_vfu_masked;
	bool intx_pending;

	struct sim_eq eq[EVQ_MAX_EQS];
	struct sim_rxq rxq[EVQ_MAX_QUEUES];
	struct sim_txq txq[EVQ_MAX_QUEUES];

	/* ---- control thread ---- */
	char *socket_path;
	int listen_fd;
	bool connected;
	struct evq_vfu_conn conn;
	int dbpage_fd;
	int ctrl_msix_fd[EVQ_MSIX_VECTORS];	/* owned */
	int ctrl_intx_fd;			/* owned */
	const struct sim_wire_conf *wire_conf;
};

/* Device-wide options (command line). */
struct sim_options {
	unsigned int nb_ports;
	unsigned int queues;		/* advertised RX = TX queues */
	unsigned int eqs;		/* advertised EQs */
	unsigned int vectors;		/* MSI-X vectors offered (0..32; 0 = INTx only) */
	unsigned int link_speed;	/* Mbit/s */
	bool link_down;			/* start with the link down */
	bool no_phase;			/* no EVQ_CAP_PHASE_VALID (--no-phase) */
	int engine_cpu;			/* -1: no pinning */
	uint32_t poll_sleep_us;		/* idle sleep; 0 = spin */
	unsigned int stats_interval;	/* seconds; 0 = at exit only */
	struct sim_wire_conf wire;
};

extern struct sim_options sim_opts;

/* ---------------------------------------------------------- engine --- */

typedef int (*sim_rpc_fn)(void *arg);

struct sim_engine {
	/* written by the caller, read by the engine */
	uint64_t rpc_seq SIM_ALIGNED;
	sim_rpc_fn rpc_fn;
	void *rpc_arg;
	bool stop;
	/* written by the engine */
	uint64_t rpc_done SIM_ALIGNED;
	int rpc_ret;
	bool running;
	uint64_t loops;
	uint64_t busy_loops;
	/* private to the engine */
	struct sim_port *ports[SIM_MAX_PORTS] SIM_ALIGNED;
	unsigned int nb_ports;
	uint8_t *bounce;		/* multi-segment TX gather */
	uint8_t *tso_buf;		/* a TSO packet, gathered (EVQ_TSO_MAX_BYTES) */
};

/* ---------------------------------------------- TX offloads (sim_offload.c) */

/* Where a packet's headers are (offsets from the frame start). */
struct sim_offload_hdrs {
	uint32_t l3;		/* IP header */
	uint32_t l4;		/* TCP/UDP header; 0 = none usable */
	uint32_t l3_end;	/* end of the IP packet (from the IP length) */
	uint32_t hdr_len;	/* all headers, TCP's included */
	uint8_t proto;		/* 6 TCP, 17 UDP, 0 other */
	bool ipv4;
};

/* 0, or -1 when the frame has no IP header the adapter recognises. */
int sim_offload_parse(const uint8_t *frame, uint32_t len, struct sim_offload_hdrs *h);
/* Checksums and tag insertion as 'flags' ask (not TSO), in place; the
 * buffer has 4 spare bytes. Returns the new length. */
uint32_t sim_offload_apply(uint8_t *frame, uint32_t len, uint16_t flags, uint16_t vlan_tci);
/* TSO: the number of segments, and segment i written to out (returns its
 * length; out holds hdr_len + mss + 4 bytes). */
uint32_t sim_tso_count(const struct sim_offload_hdrs *h, uint16_t mss);
uint32_t sim_tso_segment(const uint8_t *pkt, const struct sim_offload_hdrs *h, uint16_t mss,
		uint32_t i, uint16_t flags, uint16_t vlan_tci, uint8_t *out);

int sim_engine_init(struct sim_engine *eng);
int sim_engine_start(struct sim_engine *eng, int cpu);
void sim_engine_stop(struct sim_engine *eng);
/* Run fn(arg) in the engine thread between batches; returns its result. */
int sim_engine_call(struct sim_engine *eng, sim_rpc_fn fn, void *arg);
/* One engine pass over every port (what the engine thread loops on):
 * returns the work done; *active (may be NULL) tells whether any port was
 * in use. Engine context only. */
unsigned int sim_engine_run_once(struct sim_engine *eng, bool *active);

/* Datapath entry for wires: frames arriving at port (engine thread). */
void sim_rx_deliver(struct sim_port *port, const struct sim_frame *frames,
		unsigned int n);
/* The same for frames the wire already classified: infos[i] is
 * evq_pkt_parse(frames[i], port->rss_ctrl, EVQ_PARSE_F_CSUM) (synthetic
 * traffic that keeps the result per template instead of parsing again). */
void sim_txq_resync(struct sim_port *port, uint16_t eqn);
void sim_rx_deliver_parsed(struct sim_port *port, const struct sim_frame *frames,
		const struct evq_pkt_info *const *infos, unsigned int n);

/* Device model (engine context). */
void sim_port_init(struct sim_port *port, unsigned int idx);
void sim_dev_reset(struct sim_port *port, bool transport);
void sim_dev_error(struct sim_port *port, enum evq_err code, uint32_t detail,
		uint64_t value);
int sim_post_event(struct sim_port *port, uint16_t eq, const void *ev16);
void sim_set_link(struct sim_port *port, bool up, uint32_t speed);
void sim_irq_raise(struct sim_port *port, uint16_t eqn, bool legacy,
		uint16_t vector);
void sim_irq_replay_pending(struct sim_port *port);
void sim_eq_undefine(struct sim_port *port, struct sim_eq *eq);
void sim_dma_changed(struct sim_port *port);
int sim_eq_post16(struct sim_port *port, uint16_t eqn, const struct evq_event *ev,
		unsigned int n);
void sim_conv_cause_queue(struct sim_port *port, unsigned int q);
void sim_cfg_set_msix_enable(struct sim_port *port, bool enable);
void sim_update_datapath(struct sim_port *port);

/* Register files (engine context). */
int sim_bar0_read(struct sim_port *port, uint64_t off, void *buf, uint32_t count);
int sim_bar0_write(struct sim_port *port, uint64_t off, const void *buf,
		uint32_t count);
int sim_bar2_access(struct sim_port *port, uint64_t off, void *buf,
		uint32_t count, bool write);
int sim_bar4_read(struct sim_port *port, uint64_t off, void *buf, uint32_t count);
int sim_bar4_write(struct sim_port *port, uint64_t off, const void *buf,
		uint32_t count);
int sim_cfg_read(struct sim_port *port, uint64_t off, void *buf, uint32_t count);
int sim_cfg_write(struct sim_port *port, uint64_t off, const void *buf,
		uint32_t count);
void sim_cfg_reset(struct sim_port *port);

/* Control thread. */
int sim_ctrl_init(struct sim_port *ports, unsigned int nb_ports,
		struct sim_engine *eng);
int sim_ctrl_start(void);
void sim_ctrl_stop(void);
/* Serve a connected vfio-user socket on port (the fd is the port's until
 * sim_ctrl_disconnect; on failure it is not closed). */
int sim_ctrl_connect(struct sim_port *port, int fd);
/* Close the port's connection: DMA unmapped, device reset. */
void sim_ctrl_disconnect(struct sim_port *port);

/* Statistics printing. */
void sim_stats_print(FILE *f, struct sim_port *ports, unsigned int nb_ports,
		struct sim_engine *eng, double interval_s, bool final);

/* Zeroed, cache-line aligned memory (free() it). NULL on failure. */
static inline void *
sim_zalloc(size_t size)
{
	void *p = NULL;

	if (posix_memalign(&p, SIM_CACHE_LINE, size) != 0)
		return NULL;
	memset(p, 0, size);
	return p;
}

static inline uint64_t
sim_now_ns(void)
{
	return evq_ring_clock_ns();
}

#endif /* EVQ_SIM_H */
