/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/kvm.h>

#include "../boot.h"
#include "../log.h"
#include "../vcpu.h"
#include "../vm.h"
#include "cpu.h"

#define CORE_REG(name)                                                                             \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(name))
#define MPIDR_EL1 ARM64_SYS_REG(3, 0, 0, 0, 5)

/* PSTATE at entry: EL1h with D, A, I and F masked (booting.rst). */
#define PSTATE_BOOT (PSR_MODE_EL1h | PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | PSR_F_BIT)

static int set_reg(struct vcpu *vcpu, uint64_t id, uint64_t value)
{
	struct kvm_one_reg reg = {.id = id, .addr = (uint64_t)(uintptr_t)&value};

	return ioctl(vcpu->fd, KVM_SET_ONE_REG, &reg) ? -errno : 0;
}

int cpu__get_reg(struct vcpu *vcpu, uint64_t id, uint64_t *value)
{
	struct kvm_one_reg reg = {.id = id, .addr = (uint64_t)(uintptr_t)value};

	return ioctl(vcpu->fd, KVM_GET_ONE_REG, &reg) ? -errno : 0;
}

static int vcpu_init(struct vcpu *vcpu, bool powered_off)
{
	struct kvm_vcpu_init init;

	memset(&init, 0, sizeof(init));
	if (ioctl(vcpu->vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &init))
		return -errno;
	/* PSCI 0.2+ in KVM: CPU_ON/OFF, SYSTEM_OFF/RESET become exits or KVM's work. */
	init.features[0] |= 1U << KVM_ARM_VCPU_PSCI_0_2;
	if (powered_off)
		init.features[0] |= 1U << KVM_ARM_VCPU_POWER_OFF;
	/* Calling it again resets the vCPU (Documentation/virt/kvm/api.rst). */
	if (ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init))
		return -errno;
	return 0;
}

int cpu__arch_init(struct vcpu *vcpu)
{
	int ret = vcpu_init(vcpu, vcpu->id != 0);

	if (ret) {
		vmm__log("vCPU %u: KVM_ARM_VCPU_INIT: %s", vcpu->id, strerror(-ret));
		return ret;
	}
	ret = cpu__get_reg(vcpu, MPIDR_EL1, &vcpu->mpidr);
	if (ret)
		vmm__log("vCPU %u: reading MPIDR_EL1: %s", vcpu->id, strerror(-ret));
	return ret;
}

int cpu__arch_reset(struct vcpu *vcpu, const struct boot_info *boot)
{
	int ret = vcpu_init(vcpu, vcpu->id != 0);

	if (ret) {
		vmm__log("vCPU %u: reset (KVM_ARM_VCPU_INIT): %s", vcpu->id, strerror(-ret));
		return ret;
	}
	if (vcpu->id != 0)
		return 0;
	/* The reset cleared x1-x3, which booting.rst wants zero. */
	if ((ret = set_reg(vcpu, CORE_REG(regs.pstate), PSTATE_BOOT)) ||
	    (ret = set_reg(vcpu, CORE_REG(regs.pc), boot->entry)) ||
	    (ret = set_reg(vcpu, CORE_REG(regs.regs[0]), boot->dtb_gpa)))
		vmm__log("vCPU %u: setting the boot registers: %s", vcpu->id, strerror(-ret));
	return ret;
}

int cpu__guest_el(struct vcpu *vcpu)
{
	uint64_t pstate;
	int ret = cpu__get_reg(vcpu, CORE_REG(regs.pstate), &pstate);

	return ret ? ret : (int)((pstate >> 2) & 3);
}
