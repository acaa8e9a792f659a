/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * sim_dma: the IOVA table of a port (sorted, bounds-checked translation is
 * inline in sim.h) and the SIGBUS guard. A client may shrink a file it has
 * DMA-mapped; touching the lost pages raises SIGBUS. The guard replaces
 * such a page with an anonymous zero page and counts it, so the access
 * completes and the model keeps running (the data is garbage, as on a bus
 * error on hardware).
 */

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "sim.h"

uint64_t sim_dma_sigbus_count;

bool
sim_dma_overlaps(const struct sim_dma_map *m, uint64_t iova, uint64_t len)
{
	uint64_t a_end = m->iova + m->len;
	uint64_t b_end = iova + len;

	return iova < a_end && m->iova < b_end;
}

int
sim_dma_insert(struct sim_dma_table *t, const struct sim_dma_map *m)
{
	uint32_t pos;

	if (t->n >= SIM_MAX_DMA_MAPS)
		return -ENOSPC;
	if (m->len == 0 || m->iova + m->len < m->iova)
		return -EINVAL;
	for (pos = 0; pos < t->n; pos++) {
		if (sim_dma_overlaps(&t->map[pos], m->iova, m->len))
			return -EEXIST;
		if (t->map[pos].iova > m->iova)
			break;
	}
	if (pos < t->n && sim_dma_overlaps(&t->map[pos], m->iova, m->len))
		return -EEXIST;
	memmove(&t->map[pos + 1], &t->map[pos], (t->n - pos) * sizeof(t->map[0]));
	t->map[pos] = *m;
	t->n++;
	return 0;
}

int
sim_dma_remove(struct sim_dma_table *t, uint64_t iova, uint64_t size, bool all,
		struct sim_dma_map *out, uint32_t *nout)
{
	uint64_t last;
	uint32_t i;

	*nout = 0;
	if (all) {
		memcpy(out, t->map, t->n * sizeof(t->map[0]));
		*nout = t->n;
		t->n = 0;
		return 0;
	}
	/* every map inside [iova, last] goes; one cutting through the range
	 * refuses it whole (the server checked; the table checks again).
	 * Inclusive bounds: the range may end at 2^64. */
	if (size == 0 || size - 1 > UINT64_MAX - iova)
		return -EINVAL;
	last = iova + (size - 1);
	for (i = 0; i < t->n; i++) {
		const struct sim_dma_map *m = &t->map[i];
		uint64_t m_last = m->iova + (m->len - 1);

		if (m->iova <= last && iova <= m_last && (m->iova < iova || m_last > last))
			return -EINVAL;
	}
	for (i = 0; i < t->n;) {
		if (t->map[i].iova >= iova && t->map[i].iova <= last) {
			out[(*nout)++] = t->map[i];
			memmove(&t->map[i], &t->map[i + 1],
				(t->n - i - 1) * sizeof(t->map[0]));
			t->n--;
		} else {
			i++;
		}
	}
	return 0;
}

/* ---------------------------------------------------------- SIGBUS --- */

static struct sigaction sim_sigbus_old;

static void
sim_sigbus_handler(int sig, siginfo_t *info, void *uctx)
{
	static const size_t page_sizes[] = { 4096, 2u << 20, 1u << 30 };
	uintptr_t addr = (uintptr_t)info->si_addr;
	unsigned int i;

	(void)uctx;
	if (info->si_code == BUS_ADRERR) {
		for (i = 0; i < sizeof(page_sizes) / sizeof(page_sizes[0]); i++) {
			void *page = (void *)(addr & ~(uintptr_t)(page_sizes[i] - 1));
			void *p = mmap(page, page_sizes[i], PROT_READ | PROT_WRITE,
					MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (p != MAP_FAILED) {
				__atomic_fetch_add(&sim_dma_sigbus_count, 1,
						__ATOMIC_RELAXED);
				return;
			}
		}
	}
	/* not ours: die the default way */
	sigaction(sig, &sim_sigbus_old, NULL);
	raise(sig);
}

void
sim_dma_sigbus_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sim_sigbus_handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &sim_sigbus_old);
}
