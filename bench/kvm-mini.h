/* SPDX-License-Identifier: MIT */
/*
 * A minimal KVM harness for the VMM benchmarks (bench/vmm-*.c): one VM,
 * memslots at chosen addresses, one vCPU started at a code page with
 * chosen registers, and KVM_RUN.  Failures print what failed and exit
 * (benchmarks are programs, not library code).
 */
#ifndef SEAWALL_BENCH_KVM_MINI_H
#define SEAWALL_BENCH_KVM_MINI_H

#include <stddef.h>
#include <stdint.h>

#include <linux/kvm.h>

struct mini_vm {
	int kvm_fd, vm_fd, vcpu_fd;
	struct kvm_run *run;
};

void mini_vm_create(struct mini_vm *vm);
/* Map @size bytes of fresh anonymous memory at @gpa as memslot @slot; returns the HVA. */
void *mini_vm_add_ram(struct mini_vm *vm, uint32_t slot, uint64_t gpa, uint64_t size);
/* Set (or delete, with size 0) a memslot over existing memory. */
int mini_vm_set_slot(struct mini_vm *vm, uint32_t slot, uint64_t gpa, uint64_t size, void *hva);
/* Create the vCPU (PSCI 0.2) to start at @pc, with x0..x3 = @x[0..3]. */
void mini_vm_vcpu(struct mini_vm *vm, uint64_t pc, const uint64_t x[4]);
/* One KVM_RUN: 0 or -errno. */
int mini_vm_run(struct mini_vm *vm);
void mini_vm_set_reg(struct mini_vm *vm, uint64_t id, uint64_t value);
uint64_t mini_vm_get_reg(struct mini_vm *vm, uint64_t id);
int mini_vm_check_cap(struct mini_vm *vm, long cap);

#define MINI_CORE_REG(name)                                                                        \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(name))

uint64_t mini_now_ns(void);
/* The median of @n samples (sorts them). */
uint64_t mini_median(uint64_t *v, size_t n);

#endif
