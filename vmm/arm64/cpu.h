/* SPDX-License-Identifier: MIT */
/* arm64 vCPU set-up: KVM_ARM_VCPU_INIT features and the boot registers. */
#ifndef SEAWALL_VMM_ARM64_CPU_H
#define SEAWALL_VMM_ARM64_CPU_H

#include <stdint.h>

struct vcpu;
struct boot_info;

/* First KVM_ARM_VCPU_INIT after KVM_CREATE_VCPU; reads MPIDR_EL1. */
int cpu__arch_init(struct vcpu *vcpu);

/*
 * cpu__arch_reset - reset the vCPU for a boot: vCPU 0 starts at
 * boot->entry with x0 = boot->dtb_gpa as the arm64 Linux boot protocol
 * asks (Documentation/arch/arm64/booting.rst); the others stay powered
 * off until the guest starts them with PSCI CPU_ON.
 */
int cpu__arch_reset(struct vcpu *vcpu, const struct boot_info *boot);

/*
 * cpu__guest_el - the Exception level the guest was at when it last
 * exited: PSTATE.EL, bits 3:2 of PSTATE (1 KVM_GET_ONE_REG).
 * Returns 0, 1 or 2, or -errno.
 */
int cpu__guest_el(struct vcpu *vcpu);

/* KVM_GET_ONE_REG of one 64-bit register: 0 or -errno. */
int cpu__get_reg(struct vcpu *vcpu, uint64_t id, uint64_t *value);

#endif
