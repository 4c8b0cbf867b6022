/* SPDX-License-Identifier: MIT */
/*
 * kvm.h - VMs and vCPUs for the rig tests, over the real <linux/kvm.h> of
 * the kernel the rig runs (the build puts its UAPI headers first).
 *
 * As in the kernel's KVM selftests, a __name() is the raw ioctl (returns
 * its result, errno set) and name() asserts that it succeeded.
 */
#ifndef SEAWALL_RIG_KVM_H
#define SEAWALL_RIG_KVM_H

#include <linux/kvm.h>
#include <stddef.h>
#include <stdint.h>

#include "test.h"

#define RIG_MAX_SLOTS 4

struct rig_slot {
	uint64_t gpa;
	uint64_t size;
	uint8_t *hva;
};

struct rig_vm {
	int kvm_fd;
	int fd;
	struct rig_slot slots[RIG_MAX_SLOTS];
	int nslots;
};

struct rig_vcpu {
	struct rig_vm *vm;
	int fd;
	struct kvm_run *run;
	size_t run_size;
};

/* ONE_REG ids (Documentation/virt/kvm/api.rst, "KVM_SET_ONE_REG", arm64). */
#define RIG_CORE_REG(field)                                                                        \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(field))
#define REG_X(n)      RIG_CORE_REG(regs.regs[n])
#define REG_PC	      RIG_CORE_REG(regs.pc)
#define REG_PSTATE    RIG_CORE_REG(regs.pstate)
#define REG_SP_EL0    RIG_CORE_REG(regs.sp)
#define REG_SP_EL1    RIG_CORE_REG(sp_el1)
#define REG_ELR_EL1   RIG_CORE_REG(elr_el1)
#define REG_SPSR_EL1  RIG_CORE_REG(spsr[KVM_SPSR_EL1])
#define REG_SCTLR_EL1 ARM64_SYS_REG(3, 0, 1, 0, 0)
#define REG_ESR_EL1   ARM64_SYS_REG(3, 0, 5, 2, 0)
#define REG_FAR_EL1   ARM64_SYS_REG(3, 0, 6, 0, 0)
#define REG_VBAR_EL1  ARM64_SYS_REG(3, 0, 12, 0, 0)

/* A VM with the default IPA size; fails the case if /dev/kvm is missing. */
struct rig_vm *vm_create(void);
void vm_free(struct rig_vm *vm);

/* KVM_CHECK_EXTENSION on the VM (what a VMM should ask). */
int vm_check_cap(struct rig_vm *vm, long cap);
int __vm_enable_cap(struct rig_vm *vm, uint32_t cap, uint64_t arg0);
void vm_enable_cap(struct rig_vm *vm, uint32_t cap, uint64_t arg0);

/*
 * A memslot of anonymous memory at gpa: locked (so its pages neither move
 * nor vanish while a test holds one of them poisoned) and without
 * transparent huge pages.  Returns its host address.
 */
uint8_t *vm_add_anon(struct rig_vm *vm, uint64_t gpa, uint64_t size);
/* The host address of gpa; fails the case if no slot holds it. */
void *vm_gpa_to_hva(struct rig_vm *vm, uint64_t gpa);

/* Copy the PT_LOAD segments of an ELF64 aarch64 image into guest memory; returns the entry. */
uint64_t vm_load_elf(struct rig_vm *vm, const char *path);

/* A vCPU of the host's preferred target, reset, with PC = pc. */
struct rig_vcpu *vcpu_add(struct rig_vm *vm, uint64_t pc);
void vcpu_free(struct rig_vcpu *vcpu);

int __vcpu_get_reg(struct rig_vcpu *vcpu, uint64_t id, uint64_t *value);
int __vcpu_set_reg(struct rig_vcpu *vcpu, uint64_t id, uint64_t value);
uint64_t vcpu_get_reg(struct rig_vcpu *vcpu, uint64_t id);
void vcpu_set_reg(struct rig_vcpu *vcpu, uint64_t id, uint64_t value);

int __vcpu_run(struct rig_vcpu *vcpu);
void vcpu_run(struct rig_vcpu *vcpu);

void vcpu_events_get(struct rig_vcpu *vcpu, struct kvm_vcpu_events *events);
int __vcpu_events_set(struct rig_vcpu *vcpu, const struct kvm_vcpu_events *events);
void vcpu_events_set(struct rig_vcpu *vcpu, const struct kvm_vcpu_events *events);

const char *exit_reason_str(uint32_t reason);

/* Fail the case unless the last KVM_RUN exited with reason. */
#define TEST_ASSERT_KVM_EXIT_REASON(vcpu, reason)                                                  \
	TEST_ASSERT((vcpu)->run->exit_reason == (reason), "exit reason %u (%s), expected %u (%s)", \
		    (vcpu)->run->exit_reason, exit_reason_str((vcpu)->run->exit_reason),           \
		    (unsigned)(reason), exit_reason_str(reason))

#endif
