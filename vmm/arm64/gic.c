/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <libfdt.h>
#include <linux/kvm.h>

#include "../log.h"
#include "../vm.h"
#include "fdt.h"
#include "gic.h"
#include "layout.h"

static int gic_attr(struct vm *vm, uint32_t group, uint64_t attr, void *addr, const char *what)
{
	struct kvm_device_attr a = {
		.group = group,
		.attr = attr,
		.addr = (uint64_t)(uintptr_t)addr,
	};

	if (ioctl(vm->gic_fd, KVM_SET_DEVICE_ATTR, &a)) {
		int ret = -errno;

		vmm__log("GICv3: %s: %s", what, strerror(errno));
		return ret;
	}
	return 0;
}

int gic__create(struct vm *vm)
{
	struct kvm_create_device dev = {.type = KVM_DEV_TYPE_ARM_VGIC_V3};
	uint64_t dist = ARM_GIC_DIST_BASE, redist = ARM_GIC_REDIST_BASE;
	uint32_t nr_irqs = ARM_GIC_NR_IRQS;
	int ret;

	if (ioctl(vm->vm_fd, KVM_CREATE_DEVICE, &dev)) {
		ret = -errno;
		vmm__log("cannot create the in-kernel GICv3: %s (seawall-vmm needs a host "
			 "with a GICv3)",
			 strerror(errno));
		return ret;
	}
	vm->gic_fd = dev.fd;
	if ((ret = gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &dist,
			    "distributor address")) ||
	    (ret = gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist,
			    "redistributor address")) ||
	    (ret = gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs, "number of IRQs"))) {
		close(vm->gic_fd);
		vm->gic_fd = -1;
	}
	return ret;
}

int gic__init(struct vm *vm)
{
	return gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL,
			"initialisation");
}

int gic__irq_line(struct vm *vm, unsigned int spi, bool level)
{
	/* api.rst, KVM_IRQ_LINE on arm64: irq_type in bits 27:24, INTID in 15:0. */
	struct kvm_irq_level irq = {
		.irq = (KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT) | (32 + spi),
		.level = level,
	};

	return ioctl(vm->vm_fd, KVM_IRQ_LINE, &irq) ? -errno : 0;
}

int gic__fdt(struct vm *vm, void *fdt)
{
	const uint64_t reg[] = {
		cpu_to_fdt64(ARM_GIC_DIST_BASE),
		cpu_to_fdt64(ARM_GIC_DIST_SIZE),
		cpu_to_fdt64(ARM_GIC_REDIST_BASE),
		cpu_to_fdt64(ARM_GIC_REDIST_CPU_SIZE * vm->nr_vcpus),
	};

	FDT_TRY(fdt_begin_node(fdt, "intc@8000000"));
	FDT_TRY(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
	FDT_TRY(fdt_property_cell(fdt, "#interrupt-cells", 3));
	FDT_TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	FDT_TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	FDT_TRY(fdt_property_cell(fdt, "phandle", GIC_FDT_PHANDLE));
	return fdt_end_node(fdt);
}
