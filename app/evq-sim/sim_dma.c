/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * sim_dma: the IOVA table of a port (sorted, bounds-checked translation is
 * inline in sim.h), the mapping of a DMA map's file between guard areas,
 * and the SIGBUS guard. A client may shrink a file it has DMA-mapped;
 * touching the lost pages raises SIGBUS. The guard replaces such a page
 * with an anonymous zero page and counts it, so the access completes and
 * the model keeps running (the data is garbage, as on a bus error on
 * hardware).
 */

#include <errno.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>

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

/* ---------------------------------------------------- guarded maps --- */

/*
 * Inaccessible address space kept on each side of every DMA map with a
 * file: at least the longest single device access (a descriptor's 16-bit
 * length), and at least one page of the file.
 */
#define SIM_DMA_GUARD	(64u << 10)

/* The page size of fd's memory: a huge page on hugetlbfs, else the
 * system's. mmap() wants the file offset, and a fixed address, aligned
 * to it. */
static uint64_t
sim_dma_page_size(int fd)
{
	uint64_t pg = (uint64_t)sysconf(_SC_PAGESIZE);
	struct statfs sfs;

	if (fstatfs(fd, &sfs) == 0 && (uint64_t)sfs.f_type == HUGETLBFS_MAGIC &&
			sfs.f_bsize > 0 && (uint64_t)sfs.f_bsize > pg)
		return (uint64_t)sfs.f_bsize;
	return pg;
}

/*
 * The whole reservation (guards, slack for a huge page alignment, the
 * pages of the file) is one PROT_NONE anonymous mapping; the file is
 * mapped over its middle with MAP_FIXED. A device access running past
 * either end of the map's pages faults at once instead of reading or
 * overwriting whatever the process has next to it (another map, the
 * heap). munmap() of the reservation drops both. The guard starts where
 * the file's last page ends: with the 4 KiB pages vfio-user maps are
 * counted in, that is the map's end; with a huge-page file, the rest of
 * the last huge page is the client's own memory, reachable but not ours
 * to guard.
 */
int
sim_dma_mmap(int fd, uint64_t offset, uint64_t size, uint32_t flags,
		struct sim_dma_map *m)
{
	uint64_t sys_pg = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t pg = sim_dma_page_size(fd);
	uint64_t delta = offset % pg;
	uint64_t guard = SIM_DMA_GUARD > pg ? SIM_DMA_GUARD : pg;
	uint64_t len, total;
	uint8_t *res, *start;
	int prot = 0, ret;

	if (flags & EVQ_VFU_DMA_F_READ)
		prot |= PROT_READ;
	if (flags & EVQ_VFU_DMA_F_WRITE)
		prot |= PROT_READ | PROT_WRITE;
	if (prot == 0 || size == 0)
		return -EINVAL;
	/* the file's pages, then the guards and the alignment slack */
	if (size > UINT64_MAX - delta - pg)
		return -EINVAL;
	len = (size + delta + pg - 1) / pg * pg;
	if (len > SIZE_MAX - 2 * guard - pg)
		return -ENOMEM;
	total = len + 2 * guard + (pg - sys_pg);
	res = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			-1, 0);
	if (res == MAP_FAILED)
		return -errno;
	start = (uint8_t *)(((uintptr_t)res + guard + pg - 1) & ~(uintptr_t)(pg - 1));
	if (mmap(start, len, prot, MAP_SHARED | MAP_FIXED, fd,
			(off_t)(offset - delta)) == MAP_FAILED) {
		ret = -errno;
		munmap(res, total);
		return ret;
	}
	m->va = start + delta;
	m->mmap_base = res;
	m->mmap_len = total;
	m->flags = flags & (EVQ_VFU_DMA_F_READ | EVQ_VFU_DMA_F_WRITE);
	return 0;
}

void
sim_dma_munmap(struct sim_dma_map *m)
{
	if (m->mmap_base != NULL)
		munmap(m->mmap_base, m->mmap_len);
	m->mmap_base = NULL;
	m->va = NULL;
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
