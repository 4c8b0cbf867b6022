/* SPDX-License-Identifier: MIT */
/*
 * Which guest page holds the translation table that a stage 1 walk reads
 * at a given level.  KVM reports no guest physical address for an SEA on
 * a guest's own table walk (ESR FSC 0x13-0x17): the VMM finds the table by
 * walking the levels above it, which the hardware has just read without
 * error, so that a restart can give that page fresh memory.  The
 * test-poison page uses it to poison a page table on purpose.
 */
#ifndef SEAWALL_VMM_ARM64_WALK_H
#define SEAWALL_VMM_ARM64_WALK_H

#include <stdint.h>

struct vcpu;

/*
 * walk__table - the guest physical address of the table that the EL1&0
 * stage 1 walk of @va reads at @level (-1..3), from @vcpu's TCR_EL1 and
 * TTBR0_EL1 or TTBR1_EL1 (VA bit 55), 4 KiB granule.  Only the tables
 * above @level are read, and never one the VMM knows is bad.
 * Returns 0; -EFAULT if a table is not in RAM or is known bad; -ENOENT if
 * the walk ends (an invalid entry or a block) above @level; -EINVAL if
 * @level is outside the walk; -EOPNOTSUPP for another granule; or the
 * -errno of KVM_GET_ONE_REG (3 reads).
 */
int walk__table(struct vcpu *vcpu, uint64_t va, int level, uint64_t *table);

#endif
