/* SPDX-License-Identifier: MIT */
/*
 * The in-kernel GICv3 (KVM_DEV_TYPE_ARM_VGIC_V3): KVM emulates the
 * distributor and redistributors; the VMM places them, sizes the SPI
 * space, initialises it once every vCPU exists, and drives SPI lines.
 */
#ifndef SEAWALL_VMM_ARM64_GIC_H
#define SEAWALL_VMM_ARM64_GIC_H

#include <stdbool.h>

struct vm;

#define GIC_FDT_PHANDLE 1

/* Before the vCPUs: create the device and set its addresses. */
int gic__create(struct vm *vm);

/* After every vCPU is created: KVM_DEV_ARM_VGIC_CTRL_INIT. */
int gic__init(struct vm *vm);

/* Set the level of SPI @spi (INTID 32 + @spi).  Returns 0 or -errno. */
int gic__irq_line(struct vm *vm, unsigned int spi, bool level);

/* The interrupt-controller node, with phandle GIC_FDT_PHANDLE. */
int gic__fdt(struct vm *vm, void *fdt);

#endif
