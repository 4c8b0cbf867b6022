/* SPDX-License-Identifier: MIT */
/*
 * Arm architecture encodings the library decodes and builds: ESR_ELx fields,
 * fault status codes, PSTATE in SPSR_ELx format, SCTLR_EL1 and the ID register
 * fields that change exception entry.  Everything here is from the Arm ARM
 * (DDI 0487): "ESR_EL1, Exception Syndrome Register (EL1)", "SPSR_EL1",
 * "SCTLR_EL1" and the ID_AA64*_EL1 register descriptions.
 */
#ifndef SEAWALL_LIB_ARM64_H
#define SEAWALL_LIB_ARM64_H

#include <stdbool.h>
#include <stdint.h>

#include <seawall/sea.h>

/* ESR_ELx: EC[31:26], IL[25], ISS[24:0]. */
#define A64_ESR_EC_SHIFT 26
#define A64_ESR_EC(esr)	 ((unsigned int)(((esr) >> A64_ESR_EC_SHIFT) & 0x3f))
#define A64_ESR_IL	 (1ULL << 25)
#define A64_ESR_ISS_MASK 0x1ffffffULL

/* Exception classes of the aborts (ESR_ELx.EC). */
#define A64_EC_IABT_LOW 0x20 /* instruction abort from a lower EL */
#define A64_EC_IABT_CUR 0x21 /* instruction abort taken without a change in EL */
#define A64_EC_DABT_LOW 0x24 /* data abort from a lower EL */
#define A64_EC_DABT_CUR 0x25 /* data abort taken without a change in EL */

/*
 * ISS of a data abort (and the subset an instruction abort has: SET, FnV, EA,
 * S1PTW, IFSC).  ISV[24] and the syndrome it guards (SAS, SSE, SRT, SF, AR)
 * are 0 for external aborts reported to EL1; VNCR[13] "is 0 in ESR_EL1".
 */
#define A64_ISS_ISV	  (1U << 24)
#define A64_ISS_VNCR	  (1U << 13)
#define A64_ISS_SET_SHIFT 11
#define A64_ISS_SET_MASK  (3U << A64_ISS_SET_SHIFT)
#define A64_ISS_FNV	  (1U << 10)
#define A64_ISS_EA	  (1U << 9)
#define A64_ISS_CM	  (1U << 8)
#define A64_ISS_S1PTW	  (1U << 7)
#define A64_ISS_WNR	  (1U << 6)
#define A64_ISS_FSC_MASK  0x3fU

/* The fault status codes that are synchronous external aborts. */
#define A64_FSC_SEA    0x10 /* not on a translation table walk */
#define A64_FSC_PARITY 0x18 /* parity/ECC error, not on a walk */

/*
 * Classify a DFSC/IFSC value.  Returns true for the SEA codes:
 *   0x10           SEA, not on a walk
 *   0x12..0x17     SEA on a walk or hardware table update, level -2 (FEAT_D128),
 *                  -1 (FEAT_LPA2), 0, 1, 2, 3
 *   0x18           parity/ECC error, not on a walk
 *   0x1b..0x1f     parity/ECC error on a walk, level -1, 0, 1, 2, 3
 * and fills @cls and @level (SW_LEVEL_NONE when not on a walk).
 */
static inline bool a64_fsc_classify(unsigned int fsc, enum sw_fsc_class *cls, int8_t *level)
{
	*level = SW_LEVEL_NONE;
	if (fsc == A64_FSC_SEA) {
		*cls = SW_FSC_SEA;
	} else if (fsc >= 0x12 && fsc <= 0x17) {
		*cls = SW_FSC_SEA_TTW;
		*level = (int8_t)((int)fsc - 0x14);
	} else if (fsc == A64_FSC_PARITY) {
		*cls = SW_FSC_PARITY;
	} else if (fsc >= 0x1b && fsc <= 0x1f) {
		*cls = SW_FSC_PARITY_TTW;
		*level = (int8_t)((int)fsc - 0x1c);
	} else {
		*cls = SW_FSC_NONE;
		return false;
	}
	return true;
}

/* PSTATE as saved in SPSR_ELx for AArch64 state ("SPSR_EL1", DDI 0487). */
#define A64_PSR_N      (1ULL << 31)
#define A64_PSR_Z      (1ULL << 30)
#define A64_PSR_C      (1ULL << 29)
#define A64_PSR_V      (1ULL << 28)
#define A64_PSR_TCO    (1ULL << 25) /* FEAT_MTE */
#define A64_PSR_DIT    (1ULL << 24) /* FEAT_DIT */
#define A64_PSR_UAO    (1ULL << 23) /* FEAT_UAO */
#define A64_PSR_PAN    (1ULL << 22) /* FEAT_PAN */
#define A64_PSR_SS     (1ULL << 21)
#define A64_PSR_IL     (1ULL << 20)
#define A64_PSR_ALLINT (1ULL << 13) /* FEAT_NMI */
#define A64_PSR_SSBS   (1ULL << 12) /* FEAT_SSBS */
#define A64_PSR_BTYPE  (3ULL << 10) /* FEAT_BTI */
#define A64_PSR_D      (1ULL << 9)
#define A64_PSR_A      (1ULL << 8)
#define A64_PSR_I      (1ULL << 7)
#define A64_PSR_F      (1ULL << 6)
#define A64_PSR_DAIF   (A64_PSR_D | A64_PSR_A | A64_PSR_I | A64_PSR_F)
#define A64_PSR_NRW    (1ULL << 4)  /* M[4]: 1 = AArch32 */
#define A64_PSR_M_MASK 0xfULL	    /* M[3:0]: EL in [3:2], SP select in [0] */
#define A64_PSR_PM     (1ULL << 32) /* FEAT_EBEP */
#define A64_PSR_PPEND  (1ULL << 33) /* FEAT_SEBEP */
#define A64_PSR_EXLOCK (1ULL << 34) /* FEAT_GCS */
#define A64_PSR_PACM   (1ULL << 35) /* FEAT_PAuth_LR */
#define A64_PSR_UINJ   (1ULL << 36) /* FEAT_UINJ */

/* PSTATE.M[3:0] values in AArch64 state. */
#define A64_MODE_EL0T 0x0
#define A64_MODE_EL1T 0x4
#define A64_MODE_EL1H 0x5
#define A64_MODE_EL2T 0x8
#define A64_MODE_EL2H 0x9
#define A64_MODE_EL3T 0xc
#define A64_MODE_EL3H 0xd

/* Vector offsets from VBAR_ELx of the synchronous exception entries. */
#define A64_VECTOR_CUR_SP0  0x000
#define A64_VECTOR_CUR_SPX  0x200
#define A64_VECTOR_LOWER_64 0x400

/* SCTLR_EL1 bits that exception entry reads. */
#define A64_SCTLR_SPAN	    (1ULL << 23) /* 0: set PSTATE.PAN on entry to EL1 */
#define A64_SCTLR_DSSBS	    (1ULL << 44) /* PSTATE.SSBS on entry */
#define A64_SCTLR_SPINTMASK (1ULL << 62) /* PSTATE.ALLINT = NOT SPINTMASK on entry */

/* GCSCR_EL1.EXLOCKEN: PSTATE.EXLOCK on an exception from EL1 to EL1. */
#define A64_GCSCR_EXLOCKEN (1ULL << 6)

/* A 4-bit unsigned ID register field ("Principles of the ID scheme"). */
static inline unsigned int a64_id_field(uint64_t reg, unsigned int shift)
{
	return (unsigned int)((reg >> shift) & 0xf);
}

#define A64_ID_PFR0_RAS_SHIFT  28 /* ID_AA64PFR0_EL1.RAS, FEAT_RAS */
#define A64_ID_PFR0_DIT_SHIFT  48 /* ID_AA64PFR0_EL1.DIT, FEAT_DIT */
#define A64_ID_PFR1_BT_SHIFT   0  /* ID_AA64PFR1_EL1.BT, FEAT_BTI */
#define A64_ID_PFR1_SSBS_SHIFT 4  /* ID_AA64PFR1_EL1.SSBS, FEAT_SSBS */
#define A64_ID_PFR1_MTE_SHIFT  8  /* ID_AA64PFR1_EL1.MTE, FEAT_MTE */
#define A64_ID_PFR1_NMI_SHIFT  36 /* ID_AA64PFR1_EL1.NMI, FEAT_NMI */
#define A64_ID_PFR1_GCS_SHIFT  44 /* ID_AA64PFR1_EL1.GCS, FEAT_GCS */
#define A64_ID_MMFR1_PAN_SHIFT 20 /* ID_AA64MMFR1_EL1.PAN, FEAT_PAN */
#define A64_ID_MMFR2_UAO_SHIFT 4  /* ID_AA64MMFR2_EL1.UAO, FEAT_UAO */
#define A64_ID_DFR1_EBEP_SHIFT 48 /* ID_AA64DFR1_EL1.EBEP, FEAT_EBEP */

#endif
