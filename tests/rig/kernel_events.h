/* SPDX-License-Identifier: MIT */
/*
 * kernel_events.h - KVM_SET_VCPU_EVENTS as seawall's kernel series extends it
 * (the patches in kernel/, docs/kernel.md), for the rig tests that run on
 * the patched kernel (rig/run --kernel patched).
 *
 * The build sees Linux 7.3's <linux/kvm.h>, which does not have the new
 * fields: the layout is libseawall's struct sw_kvm_vcpu_events
 * (lib/kvm_uapi.h checks it against 7.3's at compile time; the tests state
 * its offsets as numbers).
 */
#ifndef SEAWALL_RIG_KERNEL_EVENTS_H
#define SEAWALL_RIG_KERNEL_EVENTS_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>

#include "arm64.h"
#include "kvm.h"
#include "kvm_uapi.h"
#include "sea.h"

/* PSTATE at the handler for SCTLR_EL1.SPAN 1: EL1h, DAIF masked. */
#define KABT_HANDLER_PSTATE (PSR_MODE_EL1H | PSR_D | PSR_A | PSR_I | PSR_F)

/* An abort's ESR_EL1 as KVM builds it: EC, IL set, the ISS. */
#define KABT_ESR(ec, iss) (((uint64_t)(ec) << A64_ESR_EC_SHIFT) | A64_ESR_IL | (iss))

/* The raw ioctls (the size, and so the ioctl numbers, are 7.3's). */
static inline int __kabt_events_set(struct rig_vcpu *vcpu, const struct sw_kvm_vcpu_events *ev)
{
	return ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, ev);
}

static inline int __kabt_events_get(struct rig_vcpu *vcpu, struct sw_kvm_vcpu_events *ev)
{
	return ioctl(vcpu->fd, KVM_GET_VCPU_EVENTS, ev);
}

/* Skip the case unless the running kernel has the series. */
#define KABT_REQUIRE_CAP(vm)                                                                       \
	TEST_REQUIRE(vm_check_cap((vm), SW_KVM_CAP_ARM_INJECT_EXT_IABT) == 1,                      \
		     "KVM_CAP_ARM_INJECT_EXT_IABT (%d) absent: not the patched kernel "            \
		     "(rig/setup --patched-kernel; rig/run --kernel patched)",                     \
		     SW_KVM_CAP_ARM_INJECT_EXT_IABT)

/*
 * kabt_run_to_exit - start sea-access for c, poison its victim and run
 * to the real KVM_EXIT_ARM_SEA (with need_cap, skip the case first unless
 * the kernel has the series).
 */
void kabt_run_to_exit(struct rig_guest *g, const struct sea_case *c, struct sea_ready *ready,
		      bool need_cap);

/* One real SEA, replayed with KVM_SET_VCPU_EVENTS (kernel_abort.c). */
struct kabt_case {
	struct sea_case c;
	uint64_t exit_esr; /* what KVM_EXIT_ARM_SEA must report */
	int iabt;	   /* ext_iabt_pending, else ext_dabt_pending */
	int has_esr;	   /* ext_abt_has_esr */
	uint64_t iss;	   /* ext_abt_esr with has_esr; 0: the exit's ISS */
	uint64_t vector;   /* the vector offset the guest takes */
	uint64_t esr;	   /* ESR_EL1 the guest must see */
};

/*
 * kabt_inject_case - a struct rig_case function: run to the exit, inject
 * as the case says, and assert the guest's whole record: kind, vector,
 * ESR_EL1, FAR_EL1 = the faulting address, ELR_EL1 = the faulting PC,
 * SPSR_EL1 = the PSTATE at the access, PSTATE = KABT_HANDLER_PSTATE.
 */
void kabt_inject_case(const void *arg);

#endif
