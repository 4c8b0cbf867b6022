/* SPDX-License-Identifier: MIT */
/*
 * vCPUs: one thread each, running KVM_RUN and handling its exits.  The
 * main thread starts them for every boot and stops them (a signal plus
 * kvm_run.immediate_exit) when the guest powers off, resets or fails.
 */
#ifndef SEAWALL_VMM_VCPU_H
#define SEAWALL_VMM_VCPU_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/kvm.h>

#include <seawall/inject.h>

struct vm;

struct vcpu {
	struct vm *vm;
	unsigned int id;
	int fd;
	struct kvm_run *run;
	uint64_t mpidr;	   /* MPIDR_EL1 as KVM set it, for the device tree */
	struct sw_vcpu sw; /* libseawall's handle, for injection */
	pthread_t thread;
	bool thread_running;
	bool in_guest;		    /* inside (or about to enter) KVM_RUN; atomic access only */
	unsigned int mmio_warnings; /* unhandled accesses reported, bounded */
};

/* Create and initialise every vCPU (before the GIC is initialised). */
int vcpu__create_all(struct vm *vm);
void vcpu__destroy_all(struct vm *vm);

/* Reset every vCPU to vm->boot and start the threads; 0 or -errno. */
int vcpu__start_all(struct vm *vm);

/* Make every vCPU thread leave KVM_RUN and return, and join them. */
void vcpu__stop_all(struct vm *vm);

/*
 * vcpu__pause_others - @pause true: hold every vCPU other than the
 * caller's outside the guest, returning once none is in KVM_RUN; false:
 * let them run again.  @ctx is the struct vm.  Pausers are serialised.
 */
void vcpu__pause_others(void *ctx, bool pause);

/* The vCPU of the calling thread, or NULL on other threads. */
struct vcpu *vcpu__current(void);

#endif
