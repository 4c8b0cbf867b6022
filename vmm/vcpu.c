/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arm64/cpu.h"
#include "log.h"
#include "ras.h"
#include "sigbus.h"
#include "vcpu.h"
#include "vm.h"

/* Sent to a vCPU thread to get it out of KVM_RUN. */
#define VCPU_KICK_SIGNAL SIGUSR1

#define MMIO_WARNINGS_MAX 8

/*
 * WnR, bit 6 of the ISS of a data abort (DDI 0487, ESR_ELx, "ISS encoding
 * for an exception from a Data Abort"): KVM_EXIT_ARM_NISV keeps it in
 * esr_iss, with CM and the FSC (kvm_vcpu_dabt_iss_nisv_sanitized()).
 */
#define ESR_ISS_WNR (1ULL << 6)

static __thread struct vcpu *current_vcpu;

struct vcpu *vcpu__current(void)
{
	return current_vcpu;
}

static void kick_handler(int sig)
{
	(void)sig; /* interrupting KVM_RUN is all it is for */
}

static bool vm_stopping(struct vm *vm)
{
	return __atomic_load_n(&vm->stopping, __ATOMIC_SEQ_CST);
}

static int handle_mmio(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	if (mmio__dispatch(&vcpu->vm->mmio, vcpu, run->mmio.phys_addr, run->mmio.data,
			   run->mmio.len, run->mmio.is_write))
		return 0;
	/* A fenced page: its memslot hole makes the access look like MMIO. */
	if (memory__in_hole(&vcpu->vm->mem, run->mmio.phys_addr))
		return ras__handle_hole(vcpu, run->mmio.phys_addr, run->mmio.is_write);
	/* Nothing there: reads see zeros, writes vanish, as on a bus with no device. */
	if (!run->mmio.is_write)
		memset(run->mmio.data, 0, sizeof(run->mmio.data));
	if (vcpu->mmio_warnings++ < MMIO_WARNINGS_MAX)
		vmm__log("vCPU %u: %u-byte %s at 0x%llx, where there is no device%s", vcpu->id,
			 run->mmio.len, run->mmio.is_write ? "write" : "read",
			 (unsigned long long)run->mmio.phys_addr,
			 vcpu->mmio_warnings == MMIO_WARNINGS_MAX ? " (no more such messages)"
								  : "");
	return 0;
}

static int handle_system_event(struct vcpu *vcpu)
{
	switch (vcpu->run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		vm__exit(vcpu->vm, VM_EXIT_POWEROFF);
		break;
	case KVM_SYSTEM_EVENT_RESET:
		vm__exit(vcpu->vm, VM_EXIT_RESET);
		break;
	case KVM_SYSTEM_EVENT_CRASH:
		vm__exit(vcpu->vm, VM_EXIT_CRASH);
		break;
	default:
		vmm__log("vCPU %u: unknown system event %u", vcpu->id,
			 vcpu->run->system_event.type);
		vm__exit(vcpu->vm, VM_EXIT_ERROR);
		break;
	}
	/* KVM has stopped every vCPU; this thread is done until the next boot. */
	return 1;
}

/* Returns 0 to re-enter the guest, 1 to stop this thread. */
static int handle_exit(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		return handle_mmio(vcpu);
	case KVM_EXIT_SYSTEM_EVENT:
		return handle_system_event(vcpu);
	case KVM_EXIT_ARM_SEA:
		return ras__handle_exit(vcpu);
	case KVM_EXIT_ARM_NISV:
		/* An access without syndrome: to a fenced page, or MMIO we cannot emulate. */
		if (memory__in_hole(&vcpu->vm->mem, run->arm_nisv.fault_ipa))
			return ras__handle_hole(vcpu, run->arm_nisv.fault_ipa,
						run->arm_nisv.esr_iss & ESR_ISS_WNR);
		vmm__log("vCPU %u: access without syndrome (NISV) at 0x%llx: cannot emulate it",
			 vcpu->id, (unsigned long long)run->arm_nisv.fault_ipa);
		break;
	case KVM_EXIT_FAIL_ENTRY:
		vmm__log("vCPU %u: KVM could not enter the guest (reason 0x%llx)", vcpu->id,
			 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		vmm__log("vCPU %u: KVM internal error, suberror %u", vcpu->id,
			 run->internal.suberror);
		break;
	default:
		vmm__log("vCPU %u: unexpected exit reason %u", vcpu->id, run->exit_reason);
		break;
	}
	vm__exit(vcpu->vm, VM_EXIT_ERROR);
	return 1;
}

static bool vm_pausing(struct vm *vm)
{
	return __atomic_load_n(&vm->pausing, __ATOMIC_SEQ_CST);
}

static void wait_while_paused(struct vm *vm)
{
	pthread_mutex_lock(&vm->pause_lock);
	pthread_mutex_unlock(&vm->pause_lock);
}

/*
 * Enter the guest unless the VM is pausing: in_guest is set before
 * pausing is read, and the pauser sets pausing before it reads in_guest
 * (both sequentially consistent), so one of the two always sees the other.
 */
static int enter_guest(struct vcpu *vcpu)
{
	int ret;

	__atomic_store_n(&vcpu->in_guest, true, __ATOMIC_SEQ_CST);
	if (vm_pausing(vcpu->vm)) {
		__atomic_store_n(&vcpu->in_guest, false, __ATOMIC_SEQ_CST);
		wait_while_paused(vcpu->vm);
		return -EINTR;
	}
	sigbus__in_guest(true);
	ret = ioctl(vcpu->fd, KVM_RUN, 0) ? -errno : 0;
	sigbus__in_guest(false);
	__atomic_store_n(&vcpu->in_guest, false, __ATOMIC_SEQ_CST);
	return ret;
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *vcpu = arg;
	struct vm *vm = vcpu->vm;
	siginfo_t si;
	int ret;

	current_vcpu = vcpu;
	if (cpu__arch_reset(vcpu, &vm->boot)) {
		vm__exit(vm, VM_EXIT_ERROR);
		return NULL;
	}
	for (;;) {
		/* Cleared before the check, so a kick that lands now is not lost. */
		__atomic_store_n(&vcpu->run->immediate_exit, 0, __ATOMIC_SEQ_CST);
		if (vm_stopping(vm))
			break;
		ret = enter_guest(vcpu);
		/* The host knew the page was bad: SIGBUS came instead of an exit. */
		if (sigbus__take(&si)) {
			if (ras__handle_sigbus(vcpu, &si))
				break;
			continue;
		}
		if (ret == -EINTR || ret == -EAGAIN)
			continue;
		if (ret) {
			vmm__log("vCPU %u: KVM_RUN: %s", vcpu->id, strerror(-ret));
			vm__exit(vm, VM_EXIT_ERROR);
			break;
		}
		if (handle_exit(vcpu))
			break;
	}
	return NULL;
}

void vcpu__pause_others(void *ctx, bool pause)
{
	struct vm *vm = ctx;
	struct vcpu *self = current_vcpu;

	if (!pause) {
		__atomic_store_n(&vm->pausing, false, __ATOMIC_SEQ_CST);
		pthread_mutex_unlock(&vm->pause_lock);
		return;
	}
	pthread_mutex_lock(&vm->pause_lock);
	__atomic_store_n(&vm->pausing, true, __ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *vcpu = &vm->vcpus[i];

		if (vcpu == self || !vcpu->thread_running)
			continue;
		__atomic_store_n(&vcpu->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
		pthread_kill(vcpu->thread, VCPU_KICK_SIGNAL);
	}
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *vcpu = &vm->vcpus[i];

		while (vcpu != self && __atomic_load_n(&vcpu->in_guest, __ATOMIC_SEQ_CST))
			sched_yield();
	}
}

int vcpu__create_all(struct vm *vm)
{
	struct sigaction sa = {.sa_handler = kick_handler};
	int ret;

	/* No SA_RESTART: the kick must make KVM_RUN fail with EINTR. */
	sigemptyset(&sa.sa_mask);
	sigaction(VCPU_KICK_SIGNAL, &sa, NULL);

	vm->vcpus = calloc(vm->nr_vcpus, sizeof(*vm->vcpus));
	if (!vm->vcpus)
		return -ENOMEM;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		vm->vcpus[i].fd = -1;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *vcpu = &vm->vcpus[i];

		vcpu->vm = vm;
		vcpu->id = i;
		vcpu->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, i);
		if (vcpu->fd < 0) {
			ret = -errno;
			vmm__log("KVM_CREATE_VCPU %u: %s", i, strerror(errno));
			goto err;
		}
		vcpu->run =
			mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu->fd, 0);
		if (vcpu->run == MAP_FAILED) {
			ret = -errno;
			vcpu->run = NULL;
			vmm__log("vCPU %u: cannot map kvm_run: %s", i, strerror(errno));
			goto err;
		}
		ret = cpu__arch_init(vcpu);
		if (ret)
			goto err;
		ret = ras__vcpu_init(vcpu);
		if (ret)
			goto err;
	}
	return 0;
err:
	vcpu__destroy_all(vm);
	return ret;
}

void vcpu__destroy_all(struct vm *vm)
{
	if (!vm->vcpus)
		return;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *vcpu = &vm->vcpus[i];

		if (vcpu->run)
			munmap(vcpu->run, vm->run_size);
		if (vcpu->fd >= 0)
			close(vcpu->fd);
	}
	free(vm->vcpus);
	vm->vcpus = NULL;
}

int vcpu__start_all(struct vm *vm)
{
	int ret;

	__atomic_store_n(&vm->stopping, false, __ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *vcpu = &vm->vcpus[i];

		ret = -pthread_create(&vcpu->thread, NULL, vcpu_thread, vcpu);
		if (ret) {
			vmm__log("cannot start the thread of vCPU %u: %s", i, strerror(-ret));
			vcpu__stop_all(vm);
			return ret;
		}
		vcpu->thread_running = true;
	}
	return 0;
}

void vcpu__stop_all(struct vm *vm)
{
	__atomic_store_n(&vm->stopping, true, __ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *vcpu = &vm->vcpus[i];

		if (!vcpu->thread_running)
			continue;
		/*
		 * immediate_exit covers a thread about to enter KVM_RUN, the
		 * signal one already inside it (api.rst, kvm_run).
		 */
		__atomic_store_n(&vcpu->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
		pthread_kill(vcpu->thread, VCPU_KICK_SIGNAL);
	}
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *vcpu = &vm->vcpus[i];

		if (vcpu->thread_running)
			pthread_join(vcpu->thread, NULL);
		vcpu->thread_running = false;
	}
}
