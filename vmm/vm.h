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

#include "agent.h"
#include "boot.h"
#include "memory.h"
#include "mmio.h"
#include "options.h"
#include "serial.h"
#include "testdev.h"

struct vcpu;
struct ras;

/* Why the guest stopped running, as reported to the main thread. */
enum vm_exit {
	VM_EXIT_NONE = 0,
	VM_EXIT_POWEROFF, /* PSCI SYSTEM_OFF */
	VM_EXIT_RESET,	  /* PSCI SYSTEM_RESET */
	VM_EXIT_CRASH,	  /* KVM_SYSTEM_EVENT_CRASH */
	VM_EXIT_RESTART,  /* the recovery policy restarts the VM */
	VM_EXIT_STOP,	  /* the recovery policy stops the VM */
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

	struct memory mem;
	struct mmio_bus mmio;
	struct serial console;
	struct agent agent;	/* UART 1: seawall-agent's channel (agent.h) */
	struct testdev testdev; /* --test-poison only */
	struct ras *ras;	/* SEA handling: decode, policy, injection, records */

	unsigned int nr_vcpus;
	struct vcpu *vcpus;
	bool stopping; /* vCPU threads must return (atomic access only) */
	bool pausing;  /* vCPU threads must wait outside the guest (atomic access only) */
	pthread_mutex_t pause_lock; /* one pauser at a time */

	struct boot_info boot;	 /* where the current boot's images are */
	unsigned int boot_count; /* 1 for the first boot, +1 per reset */

	pthread_mutex_t lock; /* protects exit */
	enum vm_exit exit;
	int wake_fd; /* eventfd: wakes the main thread (an exit, a SIGBUS AO) */
};

/*
 * vm__create - open KVM, create the VM (enabling KVM_CAP_ARM_SEA_TO_USER
 * when the kernel has it), its RAM, interrupt controller, devices and
 * vCPUs.  Errors are logged.  Returns 0 or a negative errno.
 */
int vm__create(struct vm *vm, const struct vmm_options *opts);
void vm__destroy(struct vm *vm);

/* Called by a vCPU thread: the guest stopped; the first report wins. */
void vm__exit(struct vm *vm, enum vm_exit why);

/* Main thread: why the guest stopped, or VM_EXIT_NONE; clears it. */
enum vm_exit vm__take_exit(struct vm *vm);

/* Wake the main thread (async-signal-safe). */
void vm__wake(struct vm *vm);

#endif
