/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * Test-only helpers for the evq-sim tests and benchmark: start an evq-sim
 * process (the binary named by $EVQ_SIM) with sockets in a temporary
 * directory, and a minimal driver over the vfio-user client API of
 * evq_vfio_user.h: BAR2 mapped, DMA memory in a memfd (IOVA = local
 * address, as the PMD does), register access, EQs with lib/evq_ring
 * consumers, RX/TX rings. Not a driver: just enough to drive the device.
 */

#ifndef SIM_CLIENT_H
#define SIM_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <evq_hw.h>
#include <evq_ring.h>
#include <evq_vfio_user.h>

#define SC_MAX_PORTS	4

/* A running evq-sim process. */
struct sc_sim {
	pid_t pid;
	char dir[256];
	char sock[SC_MAX_PORTS][300];
	char log[300];		/* its stderr */
	char out[300];		/* its stdout */
	unsigned int nb_ports;
	bool keep_files;	/* sc_sim_stop() keeps the directory */
};

/*
 * Start evq-sim with nb_ports sockets and extra arguments (NULL-terminated
 * list). Waits until every socket accepts connections (bounded).
 * @return 0 or -errno.
 */
int sc_sim_start(struct sc_sim *sim, unsigned int nb_ports, const char *const *args);
/* Is the process still running? */
bool sc_sim_alive(struct sc_sim *sim);
/* SIGTERM, wait (bounded); returns its exit status (or -1 / -ETIMEDOUT).
 * On exit status 0 the temporary directory is removed (unless keep_files). */
int sc_sim_stop(struct sc_sim *sim);
/* Remove the temporary directory (sockets, logs). */
void sc_sim_cleanup(struct sc_sim *sim);
/* Read the sim's stdout (final statistics) into buf. */
int sc_sim_read_out(struct sc_sim *sim, char *buf, size_t size);

struct sc_dev {
	struct evq_vfu_conn conn;
	uint8_t *db;		/* BAR2, mapped */
	int db_fd;
	int memfd;
	uint8_t *mem;		/* DMA memory, IOVA = (uintptr_t)address */
	size_t mem_size;
	size_t used;
	int msix[EVQ_MSIX_VECTORS];	/* eventfds */
	int intx;
};

/* Connect, negotiate, map BAR2, create and DMA-map mem_size bytes. */
int sc_dev_open(struct sc_dev *dev, const char *sock, size_t mem_size);
/* Disconnect (close the socket; the sim resets the device). */
void sc_dev_close(struct sc_dev *dev);

static inline uint64_t
sc_iova(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* Bump allocator in the DMA memory (zeroed). NULL when exhausted. */
void *sc_alloc(struct sc_dev *dev, size_t size, size_t align);

int sc_rd32(struct sc_dev *dev, uint32_t off, uint32_t *v);
uint32_t sc_r32(struct sc_dev *dev, uint32_t off);	/* 0xdeadbeef on error */
int sc_wr32(struct sc_dev *dev, uint32_t off, uint32_t v);
uint64_t sc_r64(struct sc_dev *dev, uint32_t off);
int sc_wr64(struct sc_dev *dev, uint32_t off, uint64_t v);

/* Bind eventfds to MSI-X vectors [0, n) (also MSI-X enable). */
int sc_irq_msix(struct sc_dev *dev, unsigned int n);
/* Bind an INTx eventfd. */
int sc_irq_intx(struct sc_dev *dev);
/* Wait for an eventfd (timeout_ms); returns count (> 0), 0 on timeout. */
int sc_irq_wait(int fd, int timeout_ms);

/* Admin command; returns the admin errno (0 = ok), results in r0/r1. */
int sc_admin(struct sc_dev *dev, uint8_t opcode, const uint32_t args[6],
		uint32_t *r0, uint32_t *r1);

/* An EQ: memory + lib/evq_ring consumer on the mapped doorbell. */
struct sc_eq {
	struct evq_ring_cons cons;
	void *mem;
	uint32_t size;
	uint16_t num;
};

/* Define EQ num (size entries of 16 B) with ctrl flags (ENABLE added); with
 * EVQ_EQ_CTRL_PHASE the consumer uses the phase rule and publishes its read
 * count every size / 4 entries. */
int sc_eq_setup(struct sc_dev *dev, struct sc_eq *eq, uint16_t num, uint32_t size,
		uint32_t ctrl_flags);
/* Poll one event (copy); returns 1 or 0 if none within timeout_ms. */
int sc_eq_next(struct sc_eq *eq, struct evq_event *ev, int timeout_ms);
/* Skip events until one with code (returns 1) or timeout (0). */
int sc_eq_find(struct sc_eq *eq, uint8_t code, struct evq_event *ev, int timeout_ms);

/* RX queue: ring + buffers; all descriptors posted. */
struct sc_rxq {
	struct evq_rx_desc *ring;
	uint8_t *bufs;
	uint32_t size;
	uint32_t buf_size;
	uint32_t tail;
	uint16_t q;
	volatile uint32_t *tail_db;
};

int sc_rxq_setup(struct sc_dev *dev, struct sc_rxq *rxq, uint16_t q, uint32_t size,
		uint32_t buf_size, uint32_t post);
/* Repost n descriptors (same buffers, in ring order) and ring the tail. */
void sc_rxq_refill(struct sc_rxq *rxq, uint32_t n);

struct sc_txq {
	struct evq_tx_desc *ring;
	uint8_t *bufs;
	uint32_t size;
	uint32_t tail;
	uint16_t q;
	volatile uint32_t *tail_db;
};

int sc_txq_setup(struct sc_dev *dev, struct sc_txq *txq, uint16_t q, uint32_t size);
/* Copy a frame into the next buffer, post its descriptor (no tail store). */
void sc_txq_put(struct sc_txq *txq, const void *frame, uint16_t len, uint16_t flags);
void sc_txq_ring(struct sc_txq *txq);

/* Build a UDP/IPv4 frame of len bytes to dst MAC; returns len. */
uint16_t sc_frame_udp4(uint8_t *buf, uint16_t len, const uint8_t dst[6],
		uint32_t src_ip, uint32_t dst_ip, uint16_t sport, uint16_t dport);

/* Milliseconds since an arbitrary origin. */
uint64_t sc_ms(void);

#endif /* SIM_CLIENT_H */
