/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "../serial.h"
#include "../vcpu.h"
#include "../vm.h"
#include "fdt.h"
#include "gic.h"
#include "layout.h"

/* The affinity fields of MPIDR_EL1 (Aff2.Aff1.Aff0) are a cpu node's reg. */
#define MPIDR_AFF_MASK 0xffffffULL

static int fdt_reg64(void *fdt, uint64_t base, uint64_t size)
{
	const uint64_t reg[] = {cpu_to_fdt64(base), cpu_to_fdt64(size)};

	return fdt_property(fdt, "reg", reg, sizeof(reg));
}

static int fdt_irq(void *fdt, uint32_t type, uint32_t nr, uint32_t flags)
{
	const uint32_t cells[] = {cpu_to_fdt32(type), cpu_to_fdt32(nr), cpu_to_fdt32(flags)};

	return fdt_property(fdt, "interrupts", cells, sizeof(cells));
}

static int fdt_chosen(struct vm *vm, void *fdt)
{
	const struct boot_info *b = &vm->boot;
	char path[32];

	snprintf(path, sizeof(path), "/serial@%llx", (unsigned long long)vm->console.base);
	FDT_TRY(fdt_begin_node(fdt, "chosen"));
	FDT_TRY(fdt_property_string(fdt, "bootargs", vm->opts->cmdline));
	FDT_TRY(fdt_property_string(fdt, "stdout-path", path));
	if (b->initrd_size) {
		FDT_TRY(fdt_property_u64(fdt, "linux,initrd-start", b->initrd_gpa));
		FDT_TRY(fdt_property_u64(fdt, "linux,initrd-end", b->initrd_gpa + b->initrd_size));
	}
	/*
	 * How many times this VM has booted in this process: 1, then +1 per
	 * reset or policy restart.  A guest reads it from
	 * /proc/device-tree/chosen/seawall,boot-count.
	 */
	FDT_TRY(fdt_property_cell(fdt, "seawall,boot-count", vm->boot_count));
	FDT_TRY(fdt_end_node(fdt));

	/* Linux numbers 8250 ports by alias: the agent's port is /dev/ttyS1. */
	FDT_TRY(fdt_begin_node(fdt, "aliases"));
	FDT_TRY(fdt_property_string(fdt, "serial0", path));
	snprintf(path, sizeof(path), "/serial@%llx", (unsigned long long)vm->agent.base);
	FDT_TRY(fdt_property_string(fdt, "serial1", path));
	return fdt_end_node(fdt);
}

static int fdt_cpus(struct vm *vm, void *fdt)
{
	char name[32];

	FDT_TRY(fdt_begin_node(fdt, "cpus"));
	FDT_TRY(fdt_property_cell(fdt, "#address-cells", 1));
	FDT_TRY(fdt_property_cell(fdt, "#size-cells", 0));
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		uint32_t reg = vm->vcpus[i].mpidr & MPIDR_AFF_MASK;

		snprintf(name, sizeof(name), "cpu@%x", reg);
		FDT_TRY(fdt_begin_node(fdt, name));
		FDT_TRY(fdt_property_string(fdt, "device_type", "cpu"));
		FDT_TRY(fdt_property_string(fdt, "compatible", "arm,arm-v8"));
		FDT_TRY(fdt_property_string(fdt, "enable-method", "psci"));
		FDT_TRY(fdt_property_cell(fdt, "reg", reg));
		FDT_TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static int fdt_psci_timer(void *fdt)
{
	static const char psci[] = "arm,psci-1.0\0arm,psci-0.2";
	const uint32_t ppis[] = {ARM_TIMER_PPI_SEC_PHYS, ARM_TIMER_PPI_PHYS, ARM_TIMER_PPI_VIRT,
				 ARM_TIMER_PPI_HYP};
	uint32_t cells[3 * 4];

	/* KVM implements PSCI for the guest, called with HVC. */
	FDT_TRY(fdt_begin_node(fdt, "psci"));
	FDT_TRY(fdt_property(fdt, "compatible", psci, sizeof(psci)));
	FDT_TRY(fdt_property_string(fdt, "method", "hvc"));
	FDT_TRY(fdt_end_node(fdt));

	for (unsigned int i = 0; i < 4; i++) {
		cells[3 * i] = cpu_to_fdt32(FDT_GIC_PPI);
		cells[3 * i + 1] = cpu_to_fdt32(ppis[i]);
		cells[3 * i + 2] = cpu_to_fdt32(FDT_IRQ_LEVEL_LOW);
	}
	FDT_TRY(fdt_begin_node(fdt, "timer"));
	FDT_TRY(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
	FDT_TRY(fdt_property(fdt, "interrupts", cells, sizeof(cells)));
	FDT_TRY(fdt_property(fdt, "always-on", NULL, 0));
	return fdt_end_node(fdt);
}

static int fdt_uart(void *fdt, uint64_t base, unsigned int spi)
{
	char name[32];

	snprintf(name, sizeof(name), "serial@%llx", (unsigned long long)base);
	FDT_TRY(fdt_begin_node(fdt, name));
	FDT_TRY(fdt_property_string(fdt, "compatible", "ns16550a"));
	FDT_TRY(fdt_reg64(fdt, base, UART_MMIO_SIZE));
	FDT_TRY(fdt_property_cell(fdt, "clock-frequency", UART_CLOCK_HZ));
	FDT_TRY(fdt_irq(fdt, FDT_GIC_SPI, spi, FDT_IRQ_LEVEL_HIGH));
	return fdt_end_node(fdt);
}

int fdt__build(struct vm *vm, void *buf, size_t size)
{
	char name[32];

	FDT_TRY(fdt_create(buf, size));
	FDT_TRY(fdt_finish_reservemap(buf));
	FDT_TRY(fdt_begin_node(buf, ""));
	FDT_TRY(fdt_property_string(buf, "compatible", "seawall,vmm"));
	FDT_TRY(fdt_property_string(buf, "model", "seawall-vmm"));
	FDT_TRY(fdt_property_cell(buf, "#address-cells", 2));
	FDT_TRY(fdt_property_cell(buf, "#size-cells", 2));
	FDT_TRY(fdt_property_cell(buf, "interrupt-parent", GIC_FDT_PHANDLE));

	FDT_TRY(fdt_chosen(vm, buf));
	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)vm->mem.gpa);
	FDT_TRY(fdt_begin_node(buf, name));
	FDT_TRY(fdt_property_string(buf, "device_type", "memory"));
	FDT_TRY(fdt_reg64(buf, vm->mem.gpa, vm->mem.size));
	FDT_TRY(fdt_end_node(buf));
	FDT_TRY(fdt_cpus(vm, buf));
	FDT_TRY(gic__fdt(vm, buf));
	FDT_TRY(fdt_psci_timer(buf));
	FDT_TRY(fdt_uart(buf, vm->console.base, vm->console.spi));
	FDT_TRY(fdt_uart(buf, vm->agent.base, vm->agent.spi));
	if (vm->opts->test_poison) {
		/* TEST ONLY: no driver binds it, so a guest may map it through /dev/mem. */
		snprintf(name, sizeof(name), "test-poison@%llx", ARM_TESTDEV_BASE);
		FDT_TRY(fdt_begin_node(buf, name));
		FDT_TRY(fdt_property_string(buf, "compatible", "seawall,test-poison"));
		FDT_TRY(fdt_reg64(buf, ARM_TESTDEV_BASE, ARM_TESTDEV_SIZE));
		FDT_TRY(fdt_end_node(buf));
	}

	FDT_TRY(fdt_end_node(buf));
	FDT_TRY(fdt_finish(buf));
	return fdt_pack(buf);
}
