/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * fuzz_guard: guard areas for the file mappings of the device-model
 * targets that evq-sim does not guard itself. The fuzz binaries are linked
 * with --wrap=mmap, --wrap=mmap64 (what mmap is with _FILE_OFFSET_BITS=64,
 * as meson builds) and --wrap=munmap, so every file mapping made at an
 * address of the kernel's choice (the doorbell page, the harness's own
 * views of its memory) lands between two inaccessible guard areas of
 * FUZZ_GUARD bytes. A DMA map is already guarded by evq-sim
 * (sim_dma_mmap: its file is mapped with MAP_FIXED inside a reserved
 * inaccessible area, which passes through here unchanged). An access past
 * either end of a mapping then faults at once (ASan reports the SEGV with
 * the device's stack), where without guards it could hit a neighbouring
 * mapping and go unnoticed.
 */

#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

#define FUZZ_GUARD	(1u << 20)
#define FUZZ_GUARD_MAX	4096

void *__real_mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int __real_munmap(void *addr, size_t len);
void *__wrap_mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off);
void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int __wrap_munmap(void *addr, size_t len);

/* the guarded mappings alive now (start, length) */
static struct {
	uintptr_t start;
	size_t len;
} fuzz_guarded[FUZZ_GUARD_MAX];
static unsigned int fuzz_nguarded;

void *
__wrap_mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	uint8_t *base, *p;

	if (addr != NULL || fd < 0 || (flags & MAP_FIXED) || fuzz_nguarded == FUZZ_GUARD_MAX ||
			len > SIZE_MAX - 2 * (size_t)FUZZ_GUARD)
		return __real_mmap64(addr, len, prot, flags, fd, off);
	base = __real_mmap64(NULL, len + 2 * (size_t)FUZZ_GUARD, PROT_NONE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return MAP_FAILED;
	p = __real_mmap64(base + FUZZ_GUARD, len, prot, flags | MAP_FIXED, fd, off);
	if (p == MAP_FAILED) {
		__real_munmap(base, len + 2 * (size_t)FUZZ_GUARD);
		return MAP_FAILED;
	}
	fuzz_guarded[fuzz_nguarded].start = (uintptr_t)p;
	fuzz_guarded[fuzz_nguarded].len = len;
	fuzz_nguarded++;
	return p;
}

void *
__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return __wrap_mmap64(addr, len, prot, flags, fd, off);
}

int
__wrap_munmap(void *addr, size_t len)
{
	unsigned int i;

	for (i = 0; i < fuzz_nguarded; i++) {
		if (fuzz_guarded[i].start == (uintptr_t)addr && fuzz_guarded[i].len == len) {
			fuzz_guarded[i] = fuzz_guarded[--fuzz_nguarded];
			return __real_munmap((uint8_t *)addr - FUZZ_GUARD,
					len + 2 * (size_t)FUZZ_GUARD);
		}
	}
	return __real_munmap(addr, len);
}
