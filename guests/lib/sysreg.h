/* SPDX-License-Identifier: MIT */
/*
 * System register access for the bare-metal guests.  Registers newer than
 * ARMv8.0 are named by their generic S<op0>_<op1>_C<n>_C<m>_<op2> encoding
 * (Arm ARM DDI 0487, C5.3) so the assembler needs no -march extension.
 */
#ifndef SEAWALL_GUEST_SYSREG_H
#define SEAWALL_GUEST_SYSREG_H

#include <stdint.h>

/* Two levels, so that a SYS_* name expands before it is quoted. */
#define __sysreg_str(r) #r
#define sysreg_str(r)	__sysreg_str(r)
#define read_sysreg(r)                                                                             \
	({                                                                                         \
		uint64_t __v;                                                                      \
		__asm__ volatile("mrs %0, " sysreg_str(r) : "=r"(__v)::"memory");                  \
		__v;                                                                               \
	})
#define write_sysreg(r, v)                                                                         \
	__asm__ volatile("msr " sysreg_str(r) ", %0" ::"r"((uint64_t)(v)) : "memory")
#define isb()	 __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")

/* PSTATE-field registers (C5.2). */
#define SYS_CURRENTEL S3_0_C4_C2_2
#define SYS_SPSEL     S3_0_C4_C2_0
#define SYS_NZCV      S3_3_C4_C2_0
#define SYS_DAIF      S3_3_C4_C2_1
#define SYS_PAN	      S3_0_C4_C2_3
#define SYS_UAO	      S3_0_C4_C2_4
#define SYS_DIT	      S3_3_C4_C2_5
#define SYS_SSBS      S3_3_C4_C2_6
#define SYS_TCO	      S3_3_C4_C2_7
#define SYS_ALLINT    S3_0_C4_C3_0

/* ID registers (D19.2). */
#define SYS_ID_AA64PFR0_EL1  S3_0_C0_C4_0
#define SYS_ID_AA64PFR1_EL1  S3_0_C0_C4_1
#define SYS_ID_AA64DFR0_EL1  S3_0_C0_C5_0
#define SYS_ID_AA64DFR1_EL1  S3_0_C0_C5_1
#define SYS_ID_AA64ISAR0_EL1 S3_0_C0_C6_0
#define SYS_ID_AA64ISAR1_EL1 S3_0_C0_C6_1
#define SYS_ID_AA64MMFR0_EL1 S3_0_C0_C7_0
#define SYS_ID_AA64MMFR1_EL1 S3_0_C0_C7_1
#define SYS_ID_AA64MMFR2_EL1 S3_0_C0_C7_2
#define SYS_ID_AA64MMFR3_EL1 S3_0_C0_C7_3

/* Field extraction: 4-bit ID register fields. */
#define ID_FIELD(reg, shift) (((reg) >> (shift)) & 0xf)

/* SPSR_ELx / PSTATE bits in SPSR layout (C5.2.18, SPSR_EL1). */
#define PSR_MODE_EL0T	0x0
#define PSR_MODE_EL1T	0x4
#define PSR_MODE_EL1H	0x5
#define PSR_F		(1UL << 6)
#define PSR_I		(1UL << 7)
#define PSR_A		(1UL << 8)
#define PSR_D		(1UL << 9)
#define PSR_DAIF	(PSR_D | PSR_A | PSR_I | PSR_F)
#define PSR_BTYPE_SHIFT 10
#define PSR_SSBS	(1UL << 12)
#define PSR_ALLINT	(1UL << 13)
#define PSR_IL		(1UL << 20)
#define PSR_SS		(1UL << 21)
#define PSR_PAN		(1UL << 22)
#define PSR_UAO		(1UL << 23)
#define PSR_DIT		(1UL << 24)
#define PSR_TCO		(1UL << 25)
#define PSR_V		(1UL << 28)
#define PSR_C		(1UL << 29)
#define PSR_Z		(1UL << 30)
#define PSR_N		(1UL << 31)

/* SCTLR_EL1 bits (D19.2.118). */
#define SCTLR_M	    (1UL << 0)
#define SCTLR_A	    (1UL << 1)
#define SCTLR_C	    (1UL << 2)
#define SCTLR_I	    (1UL << 12)
#define SCTLR_UMA   (1UL << 9)
#define SCTLR_SPAN  (1UL << 23)
#define SCTLR_DSSBS (1UL << 44)

/* ESR_ELx (D19.2.40). */
#define ESR_EC(esr)  (((esr) >> 26) & 0x3f)
#define ESR_EC_SVC64 0x15

#endif
