/* SPDX-License-Identifier: MIT */
/* Loading an arm64 Linux Image (Documentation/arch/arm64/booting.rst). */
#ifndef SEAWALL_VMM_ARM64_IMAGE_H
#define SEAWALL_VMM_ARM64_IMAGE_H

#include <stdint.h>

struct vm;
struct boot_info;

/*
 * image__load - load @path at RAM base + text_offset, keeping its
 * image_size (which includes the BSS) below @limit (a guest PA).
 * Fills boot->entry, kernel_gpa and kernel_end.  Returns 0, -ENOEXEC (not
 * a little-endian arm64 Image), -EFBIG (does not fit), or -errno; every
 * error is logged.
 */
int image__load(struct vm *vm, const char *path, uint64_t limit, struct boot_info *boot);

#endif
