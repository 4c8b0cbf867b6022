/* SPDX-License-Identifier: MIT */
/*
 * One virtual machine: the KVM file descriptors, guest RAM and its
 * memslots, the MMIO bus and devices, the vCPUs, and the lifecycle that
 * the vCPU threads report to the main thread (power-off, reset, ...).
 */
#ifndef SEAWALL_VMM_VM_H
#define SEAWALL_VMM_VM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "boot.h"
#include "mmio.h"
#include "options.h"
#include "serial.h"

struct vcpu;

/* Why the guest stopped running, as reported to the main thread. */
enum vm_exit {
	VM_EXIT_NONE = 0,
	VM_EXIT_POWEROFF, /* PSCI SYSTEM_OFF */
	VM_EXIT_RESET,	  /* PSCI SYSTEM_RESET */
	VM_EXIT_CRASH,	  /* KVM_SYSTEM_EVENT_CRASH */
	VM_EXIT_ERROR,	  /* the VMM could not go on (the message is logged) */
};

struct vm {
	const struct vmm_options *opts;
	int kvm_fd;
	int vm_fd;
	int run_size; /* mmap size of a vCPU's struct kvm_run */
	int gic_fd;
	bool sea_to_user; /* KVM_CAP_ARM_SEA_TO_USER is enabled */
	unsigned int ipa_bits;

	uint8_t *ram; /* anonymous mapping of ram_size bytes */
	uint64_t ram_gpa;
	uint64_t ram_size;

	struct mmio_bus mmio;
	struct serial console;

	unsigned int nr_vcpus;
	struct vcpu *vcpus;
	bool stopping; /* vCPU threads must return (atomic access only) */

	struct boot_info boot;	 /* where the current boot's images are */
	unsigned int boot_count; /* 1 for the first boot, +1 per reset */

	pthread_mutex_t lock; /* protects exit */
	pthread_cond_t exit_cond;
	enum vm_exit exit;
};

/*
 * vm__create - open KVM, create the VM (enabling KVM_CAP_ARM_SEA_TO_USER
 * when the kernel has it), its RAM, interrupt controller, devices and
 * vCPUs.  Errors are logged.  Returns 0 or a negative errno.
 */
int vm__create(struct vm *vm, const struct vmm_options *opts);
void vm__destroy(struct vm *vm);

/* The host address of guest physical [gpa, gpa + len), or NULL if not RAM. */
void *vm__gpa_to_hva(struct vm *vm, uint64_t gpa, uint64_t len);

/* Called by a vCPU thread: the guest stopped; the first report wins. */
void vm__exit(struct vm *vm, enum vm_exit why);

/* Main thread: wait for vm__exit and return why (clearing it). */
enum vm_exit vm__wait_exit(struct vm *vm);

#endif
