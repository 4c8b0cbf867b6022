// SPDX-License-Identifier: MIT
/* The C half of the start code: parameters, features, then the behaviour. */
#include "guest.h"
#include "sysreg.h"

void sw_guest_start(void);

struct sw_guest_params sw_params;
uint32_t sw_pstate_features;
int sw_has_bti;

extern const struct sw_guest_params sw_image_params;

/*
 * Which PSTATE-field registers exist (Arm ARM DDI 0487, the ID register
 * fields that add them): reading one that does not is UNDEFINED.
 */
static void probe_features(void)
{
	uint64_t pfr0 = read_sysreg(SYS_ID_AA64PFR0_EL1);
	uint64_t pfr1 = read_sysreg(SYS_ID_AA64PFR1_EL1);
	uint64_t mmfr1 = read_sysreg(SYS_ID_AA64MMFR1_EL1);
	uint64_t mmfr2 = read_sysreg(SYS_ID_AA64MMFR2_EL1);
	uint32_t f = 0;

	if (ID_FIELD(mmfr1, 20)) /* ID_AA64MMFR1_EL1.PAN: FEAT_PAN */
		f |= SW_PSTATE_HAS_PAN;
	if (ID_FIELD(mmfr2, 4)) /* ID_AA64MMFR2_EL1.UAO: FEAT_UAO */
		f |= SW_PSTATE_HAS_UAO;
	if (ID_FIELD(pfr0, 48)) /* ID_AA64PFR0_EL1.DIT: FEAT_DIT */
		f |= SW_PSTATE_HAS_DIT;
	if (ID_FIELD(pfr1, 4) >= 2) /* ID_AA64PFR1_EL1.SSBS 0b0010: FEAT_SSBS2 adds MRS SSBS */
		f |= SW_PSTATE_HAS_SSBS;
	if (ID_FIELD(pfr1, 8)) /* ID_AA64PFR1_EL1.MTE: FEAT_MTE has PSTATE.TCO */
		f |= SW_PSTATE_HAS_TCO;
	if (ID_FIELD(pfr1, 36)) /* ID_AA64PFR1_EL1.NMI: FEAT_NMI has PSTATE.ALLINT */
		f |= SW_PSTATE_HAS_ALLINT;
	sw_pstate_features = f;
	sw_has_bti = ID_FIELD(pfr1, 0) != 0; /* ID_AA64PFR1_EL1.BT */
}

void sw_guest_start(void)
{
	/*
	 * Copy the block out of .text: with the MMU on, .text is readable at
	 * EL0, so PAN would stop the exception handler from reading it.
	 */
	sw_params = sw_image_params;
	probe_features();
	if (sw_params.magic != SW_GUEST_PARAMS_MAGIC)
		GUEST_FAIL("parameter block magic 0x%lx, expected 0x%lx", sw_params.magic,
			   SW_GUEST_PARAMS_MAGIC);
	guest_main();
	sw_done();
}
