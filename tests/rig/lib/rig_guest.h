/* SPDX-License-Identifier: MIT */
/*
 * rig_guest.h - running one of seawall's bare-metal guests (guests/) under
 * KVM: the VM, the image, the parameter block, and the host side of the
 * ucall doorbell (guests/include/guest_abi.h).
 */
#ifndef SEAWALL_RIG_GUEST_H
#define SEAWALL_RIG_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "guest_abi.h"
#include "kvm.h"

struct rig_guest {
	struct rig_vm *vm;
	struct rig_vcpu *vcpu;
	uint64_t entry;
};

/*
 * guest_create - a VM with SW_GUEST_RAM_SIZE bytes at SW_GUEST_RAM_BASE,
 * /guests/NAME.elf loaded ($SEAWALL_GUESTS overrides the directory), its
 * parameter block set (ucall over MMIO, args), one vCPU at its entry.
 * With sea_to_user, KVM_CAP_ARM_SEA_TO_USER is enabled first.
 */
void guest_create(struct rig_guest *g, const char *name, const uint64_t args[6], bool sea_to_user);
void guest_free(struct rig_guest *g);

/* Guest memory at gpa, through the memslot (never a poisoned page!). */
void *guest_ptr(struct rig_guest *g, uint64_t gpa);

/*
 * get_ucall - the ucall behind the last exit, if it was one: copies the
 * guest's struct sw_ucall to *uc and returns its cmd; SW_UCALL_NONE for
 * any other exit.
 */
uint64_t get_ucall(struct rig_guest *g, struct sw_ucall *uc);

/*
 * guest_run - KVM_RUN until the guest stops for something other than a
 * PRINT ucall (printed as "# guest: ..."); returns get_ucall().
 */
uint64_t guest_run(struct rig_guest *g, struct sw_ucall *uc);

/* Run; fail the case unless the guest syncs at stage (a guest FAIL is shown). */
void guest_expect_sync(struct rig_guest *g, uint64_t stage, struct sw_ucall *uc);
void guest_expect_done(struct rig_guest *g);

/* Fail the case with what the guest said, if uc is a FAIL ucall. */
void guest_check_fail(const struct sw_ucall *uc);

#endif
