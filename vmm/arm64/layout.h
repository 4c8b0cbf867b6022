/* SPDX-License-Identifier: MIT */
/*
 * The guest physical memory map of seawall-vmm.  It follows QEMU's virt
 * board for the interrupt controller and the low devices, so that the
 * bare-metal test guests and Linux find things where they usually are.
 *
 *   0x0800_0000  GICv3 distributor               64 KiB
 *   0x080a_0000  GICv3 redistributors            128 KiB per vCPU
 *   0x0900_0000  16550 UART 0 (console), SPI 1   4 KiB
 *   0x0900_1000  16550 UART 1 (agent), SPI 2     4 KiB
 *   0x0901_0000  test poison page (--test-poison only)  4 KiB
 *   0x8000_0000  RAM (--mem)
 */
#ifndef SEAWALL_VMM_ARM64_LAYOUT_H
#define SEAWALL_VMM_ARM64_LAYOUT_H

#define ARM_GIC_DIST_BASE	0x08000000ULL
#define ARM_GIC_DIST_SIZE	0x00010000ULL
#define ARM_GIC_REDIST_BASE	0x080a0000ULL
#define ARM_GIC_REDIST_CPU_SIZE 0x00020000ULL /* RD_base + SGI_base frames */
#define ARM_GIC_REDIST_LIMIT	0x09000000ULL
#define ARM_GIC_NR_IRQS		128 /* SGIs, PPIs and 96 SPIs */

#define ARM_UART0_BASE 0x09000000ULL
#define ARM_UART0_SPI  1
#define ARM_UART1_BASE 0x09001000ULL
#define ARM_UART1_SPI  2

#define ARM_TESTDEV_BASE 0x09010000ULL
#define ARM_TESTDEV_SIZE 0x00001000ULL

#define ARM_RAM_BASE 0x80000000ULL

/* Arch timer PPIs (the Arm ARM's recommended INTIDs 29, 30, 27, 26). */
#define ARM_TIMER_PPI_SEC_PHYS 13
#define ARM_TIMER_PPI_PHYS     14
#define ARM_TIMER_PPI_VIRT     11
#define ARM_TIMER_PPI_HYP      10

#endif
