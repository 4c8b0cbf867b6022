/* SPDX-License-Identifier: MIT */
/*
 * A stage 1 walk for EL1&0 with a 4 KiB granule, as the Arm ARM describes
 * it (DDI 0487, D8 "The AArch64 Virtual Memory System Architecture"):
 * the number of levels follows from TCR_EL1.T0SZ/T1SZ (level -1 for
 * 52-bit VAs with FEAT_LPA2, as the Debian kernel uses), each level
 * resolves 9 bits of VA, descriptors are valid with bit 0, tables with
 * bit 1 below level 3, and hold the next address in bits 47:12 (guest RAM
 * is below 2^48, so the FEAT_LPA2 bits 49:48 are zero).
 */
#include <errno.h>
#include <string.h>

#include "../hostpage.h"
#include "../memory.h"
#include "../vcpu.h"
#include "../vm.h"
#include "cpu.h"
#include "walk.h"

#define TCR_EL1	  ARM64_SYS_REG(3, 0, 2, 0, 2)
#define TTBR0_EL1 ARM64_SYS_REG(3, 0, 2, 0, 0)
#define TTBR1_EL1 ARM64_SYS_REG(3, 0, 2, 0, 1)

#define TCR_T0SZ(tcr) ((tcr)&0x3f)
#define TCR_TG0(tcr)  (((tcr) >> 14) & 3) /* 0b00: 4 KiB */
#define TCR_T1SZ(tcr) (((tcr) >> 16) & 0x3f)
#define TCR_TG1(tcr)  (((tcr) >> 30) & 3) /* 0b10: 4 KiB */
#define ADDR_MASK     0x0000fffffffff000ULL
/*
 * TTBRn_EL1.BADDR: the first table need not be page aligned (with
 * FEAT_LPA2 and 52-bit VAs, the level -1 table has 16 entries, 128
 * bytes); bit 0 is CnP, bits 5:2 hold BADDR[51:48] with TCR_EL1.DS.
 */
#define TTBR_BADDR_MASK 0x0000ffffffffffc0ULL

int walk__table(struct vcpu *vcpu, uint64_t va, int level, uint64_t *table)
{
	bool upper = (va >> 55) & 1;
	uint64_t tcr, ttbr, desc, base;
	unsigned int va_bits;
	int ret, start;

	if ((ret = cpu__get_reg(vcpu, TCR_EL1, &tcr)) ||
	    (ret = cpu__get_reg(vcpu, upper ? TTBR1_EL1 : TTBR0_EL1, &ttbr)))
		return ret;
	if (upper ? TCR_TG1(tcr) != 2 : TCR_TG0(tcr) != 0)
		return -EOPNOTSUPP;
	va_bits = 64 - (upper ? TCR_T1SZ(tcr) : TCR_T0SZ(tcr));
	/* 12 bits of page offset, 9 per level: the first is 4 - ceil((va_bits - 12) / 9). */
	start = 4 - (int)((va_bits - 12 + 8) / 9);
	if (level < start || level > 3)
		return -EINVAL;
	base = ttbr & TTBR_BADDR_MASK;
	for (int l = start; l < level; l++) {
		unsigned int shift = 12 + 9 * (3 - l);
		uint64_t gpa = base + 8 * ((va >> shift) & 511);
		uint64_t *slot = memory__hva(&vcpu->vm->mem, gpa, 8);

		if (!slot || memory__is_bad(&vcpu->vm->mem, gpa))
			return -EFAULT;
		memcpy(&desc, slot, sizeof(desc));
		if ((desc & 3) != 3)
			return -ENOENT; /* invalid, or a block: nothing below */
		base = desc & ADDR_MASK;
	}
	*table = base & ~(GUEST_PAGE - 1);
	return 0;
}
