/* SPDX-License-Identifier: MIT */
/*
 * Every SEA through libseawall: decode (sea.h), decide (policy.h), inject
 * (inject.h), contain (memory.h), record (journal.h, events.h).
 *
 * The hot path runs on the faulting vCPU's thread between two KVM_RUNs:
 * it allocates nothing, holds no lock across an ioctl (the policy's and
 * the journal's locks are taken inside their calls only) and issues
 * 1 ioctl to read the guest's EL plus what the injection needs.  The one
 * exception is an unprivileged fence, which pauses the other vCPUs to
 * change memslots (memory.h).
 */
#ifndef SEAWALL_VMM_RAS_H
#define SEAWALL_VMM_RAS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

struct vm;
struct vcpu;

/*
 * ras__init - load the policy, open the journal (replaying it into the
 * policy), the event log and the metrics.  Errors in those files are
 * logged as one line naming the file.  Returns 0, -EINVAL for a bad file
 * (the user's to fix), or another -errno.
 */
int ras__init(struct vm *vm);
void ras__exit(struct vm *vm);

/* Per vCPU, after KVM_ARM_VCPU_INIT: libseawall's injection handle. */
int ras__vcpu_init(struct vcpu *vcpu);

/*
 * The three ways a vCPU meets a bad page.  Each returns 0 to re-enter the
 * guest, 1 when the vCPU thread must stop (the VM restarts, stops or
 * failed; vm__exit() was called).
 */
int ras__handle_exit(struct vcpu *vcpu);			      /* KVM_EXIT_ARM_SEA */
int ras__handle_sigbus(struct vcpu *vcpu, const siginfo_t *si);	      /* BUS_MCEERR_AR */
int ras__handle_hole(struct vcpu *vcpu, uint64_t gpa, bool is_write); /* fenced page */

/*
 * Main thread: SIGBUS AO reports, expired policy deadlines, the metrics
 * file.  Returns the milliseconds until it wants to run again, or -1.
 */
int ras__tick(struct vm *vm);

/*
 * The VM boots again, its bad pages with fresh memory (memory__restart):
 * journal the restart, and let the policy forget the pages.  @guest: the
 * guest asked for it (PSCI SYSTEM_RESET), rather than the policy.
 */
void ras__restarted(struct vm *vm, bool guest);

#endif
