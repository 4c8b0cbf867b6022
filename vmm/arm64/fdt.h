/* SPDX-License-Identifier: MIT */
/*
 * The device tree the guest boots with, written with libfdt's
 * sequential-write API: memory, vCPUs (PSCI enable method), GICv3, the
 * arch timer, PSCI, the serial ports and, with --test-poison, the test
 * poison page; /chosen carries the command line, the initrd and the boot
 * count.
 */
#ifndef SEAWALL_VMM_ARM64_FDT_H
#define SEAWALL_VMM_ARM64_FDT_H

#include <stddef.h>

struct vm;

/* booting.rst: the blob must not exceed 2 MiB; ours needs far less. */
#define FDT_MAX_SIZE 0x10000

/* Return a libfdt error (negative -FDT_ERR_*) from the calling function. */
#define FDT_TRY(expr)                                                                              \
	do {                                                                                       \
		int fdt_try_ = (expr);                                                             \
		if (fdt_try_ < 0)                                                                  \
			return fdt_try_;                                                           \
	} while (0)

/* GIC_SPI / IRQ_TYPE_* cells of the GICv3 binding. */
#define FDT_GIC_SPI	   0
#define FDT_GIC_PPI	   1
#define FDT_IRQ_LEVEL_HIGH 4
#define FDT_IRQ_LEVEL_LOW  8

/*
 * fdt__build - write the device tree for vm->boot into @buf.
 * Returns 0 or a negative -FDT_ERR_* code (fdt_strerror names it).
 */
int fdt__build(struct vm *vm, void *buf, size_t size);

#endif
