// SPDX-License-Identifier: MIT
/*
 * sw-test-kernel-abt-esr: on the patched kernel, ext_abt_has_esr makes
 * ext_abt_esr the ISS of the injected external abort, exactly: WnR of a
 * store, FnV and SET (FEAT_RAS) reach the guest, where Linux 7.3's
 * ext_dabt_pending always reports DFSC 0x10 and nothing else
 * (sw-test-ext-dabt, "store": WnR dropped).  KVM still chooses EC (current
 * or lower EL, data or instruction) and IL; FAR_EL1 is the last exit's
 * faulting address whatever FnV says (the Arm ARM makes FAR_EL1 UNKNOWN
 * with FnV set; KVM writes the address it has).
 */
#include "kernel_events.h"
#include "test.h"

/* The exits: EC 0x24 (data) or 0x20 (fetch) as seen from EL2, IL, EA, DFSC/IFSC 0x10. */
#define EXIT_LOAD  0x92000210
#define EXIT_STORE 0x92000250 /* WnR */
#define EXIT_FETCH 0x82000210

/* FnV, SET 0b11 (restartable, UEO), DFSC/IFSC 0x10. */
#define ISS_FNV_SET (A64_ISS_FNV | (3U << A64_ISS_SET_SHIFT) | A64_FSC_SEA)
/* SET 0b10 (uncontainable, UC), EA, DFSC/IFSC 0x10. */
#define ISS_UC_EA ((2U << A64_ISS_SET_SHIFT) | A64_ISS_EA | A64_FSC_SEA)

static const struct kabt_case store = {{SW_ACCESS_STORE, SW_CTX_EL1H, .sctlr = SCTLR_SPAN},
				       EXIT_STORE,
				       0,
				       1,
				       0,
				       0x200,
				       0x96000250};
static const struct kabt_case store_el0 = {
	{SW_ACCESS_STORE, SW_CTX_EL0, .mmu = 1, .sctlr = SCTLR_SPAN},
	EXIT_STORE,
	0,
	1,
	0,
	0x400,
	0x92000250};
static const struct kabt_case load = {
	{SW_ACCESS_LOAD, SW_CTX_EL1H, .sctlr = SCTLR_SPAN}, EXIT_LOAD, 0, 1, 0, 0x200, 0x96000210};
static const struct kabt_case store_fnv_set = {{SW_ACCESS_STORE, SW_CTX_EL1H, .sctlr = SCTLR_SPAN},
					       EXIT_STORE,
					       0,
					       1,
					       A64_ISS_WNR | ISS_FNV_SET,
					       0x200,
					       0x96001c50};
static const struct kabt_case fetch_fnv_set = {{SW_ACCESS_FETCH, SW_CTX_EL1H, .sctlr = SCTLR_SPAN},
					       EXIT_FETCH,
					       1,
					       1,
					       ISS_FNV_SET,
					       0x200,
					       0x86001c10};
static const struct kabt_case fetch_uc_el0 = {
	{SW_ACCESS_FETCH, SW_CTX_EL0, .mmu = 1, .sctlr = SCTLR_SPAN},
	EXIT_FETCH,
	1,
	1,
	ISS_UC_EA,
	0x400,
	0x82001210};

static const struct rig_case cases[] = {
	{"ext_abt_esr: store at EL1h with the exit's ISS: ESR_EL1 0x96000250 (WnR kept)",
	 kabt_inject_case, &store},
	{"ext_abt_esr: store at EL0 with the exit's ISS: ESR_EL1 0x92000250 (WnR kept)",
	 kabt_inject_case, &store_el0},
	{"ext_abt_esr: load at EL1h with the exit's ISS: ESR_EL1 0x96000210 (EA kept)",
	 kabt_inject_case, &load},
	{"ext_abt_esr: store, ISS WnR FnV SET=0b11: ESR_EL1 0x96001c50", kabt_inject_case,
	 &store_fnv_set},
	{"ext_abt_esr: fetch, ISS FnV SET=0b11: ESR_EL1 0x86001c10", kabt_inject_case,
	 &fetch_fnv_set},
	{"ext_abt_esr: fetch at EL0, ISS SET=0b10 EA: ESR_EL1 0x82001210", kabt_inject_case,
	 &fetch_uc_el0},
};

int main(void)
{
	return rig_test_main(cases, sizeof(cases) / sizeof(cases[0]));
}
