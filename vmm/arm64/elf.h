/* SPDX-License-Identifier: MIT */
/* Loading a bare-metal ELF test guest (--guest). */
#ifndef SEAWALL_VMM_ARM64_ELF_H
#define SEAWALL_VMM_ARM64_ELF_H

#include <stdint.h>

struct vm;
struct boot_info;

/*
 * elf__load - copy the PT_LOAD segments of a static little-endian AArch64
 * ELF64 executable to their physical addresses (p_paddr), which must lie
 * in RAM below @limit, zero-filling each segment's BSS.  The entry point
 * is e_entry.  Returns 0, -ENOEXEC (not such an ELF, or a segment outside
 * RAM), or -errno; every error is logged.
 */
int elf__load(struct vm *vm, const char *path, uint64_t limit, struct boot_info *boot);

#endif
