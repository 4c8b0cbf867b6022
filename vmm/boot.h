/* SPDX-License-Identifier: MIT */
/*
 * Loading what the guest boots: a Linux Image with its initrd, or a
 * bare-metal ELF test guest; then the device tree.  The result is where
 * the boot vCPU starts and what it finds in x0.
 */
#ifndef SEAWALL_VMM_BOOT_H
#define SEAWALL_VMM_BOOT_H

#include <stdbool.h>
#include <stdint.h>

struct vm;

struct boot_info {
	uint64_t entry;	     /* guest PA the boot vCPU starts at */
	uint64_t dtb_gpa;    /* passed in x0 */
	uint64_t kernel_gpa; /* where the Image or ELF was loaded, and its extent */
	uint64_t kernel_end;
	uint64_t initrd_gpa; /* 0 when there is no initrd */
	uint64_t initrd_size;
};

/*
 * boot__load - (re)load the kernel or ELF guest, the initrd and a fresh
 * device tree into guest RAM, for a first boot or after a reset.
 * Errors are logged with the file's name.  Returns 0 or a negative errno
 * (-ENOEXEC for a file of the wrong format, -EFBIG if it does not fit).
 */
int boot__load(struct vm *vm);

#endif
