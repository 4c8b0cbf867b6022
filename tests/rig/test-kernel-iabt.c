// SPDX-License-Identifier: MIT
/*
 * sw-test-kernel-iabt: on the patched kernel (the patches in kernel/), a
 * real instruction-fetch KVM_EXIT_ARM_SEA followed by KVM_SET_VCPU_EVENTS
 * with ext_iabt_pending gives the guest an external *instruction* abort at
 * the faulting address -- where Linux 7.3's ext_dabt_pending gives it a
 * data abort (sw-test-ext-dabt, "fetch").
 *
 * KVM builds the syndrome as for a data abort (inject_abt64()): EC
 * "instruction abort" from the current EL (0x21) or, from EL0, a lower EL
 * (0x20); IL; IFSC 0x10 and nothing else, unless userspace supplies the ISS
 * (ext_abt_has_esr), here the one KVM_EXIT_ARM_SEA reported.  FAR_EL1 is
 * the fetched address, ELR_EL1 the same address (the faulting PC), SPSR_EL1
 * the PSTATE at the fetch (BTYPE included), and the handler runs at EL1h
 * with DAIF masked.
 */
#include "kernel_events.h"
#include "test.h"

/* The exit of every fetch here: EC 0x20 as seen from EL2, IL, EA, IFSC 0x10. */
#define EXIT_FETCH 0x82000210

static const struct kabt_case el1h = {{SW_ACCESS_FETCH, SW_CTX_EL1H, .sctlr = SCTLR_SPAN},
				      EXIT_FETCH,
				      1,
				      0,
				      0,
				      0x200,
				      0x86000010};
static const struct kabt_case el1t = {{SW_ACCESS_FETCH, SW_CTX_EL1T, .sctlr = SCTLR_SPAN},
				      EXIT_FETCH,
				      1,
				      0,
				      0,
				      0x000,
				      0x86000010};
static const struct kabt_case el0 = {{SW_ACCESS_FETCH, SW_CTX_EL0, .mmu = 1, .sctlr = SCTLR_SPAN},
				     EXIT_FETCH,
				     1,
				     0,
				     0,
				     0x400,
				     0x82000010};
static const struct kabt_case el1h_br = {
	{SW_ACCESS_FETCH, SW_CTX_EL1H, .mmu = 1, .branch = SW_BRANCH_BR, .sctlr = SCTLR_SPAN},
	EXIT_FETCH,
	1,
	0,
	0,
	0x200,
	0x86000010};
static const struct kabt_case el1h_iss = {{SW_ACCESS_FETCH, SW_CTX_EL1H, .sctlr = SCTLR_SPAN},
					  EXIT_FETCH,
					  1,
					  1,
					  0,
					  0x200,
					  0x86000210};
static const struct kabt_case el0_iss = {
	{SW_ACCESS_FETCH, SW_CTX_EL0, .mmu = 1, .sctlr = SCTLR_SPAN},
	EXIT_FETCH,
	1,
	1,
	0,
	0x400,
	0x82000210};

static const struct rig_case cases[] = {
	{"ext_iabt: fetch at EL1h: +0x200, ESR_EL1 0x86000010, FAR = ELR = the fetched address",
	 kabt_inject_case, &el1h},
	{"ext_iabt: fetch at EL1t: +0x000, ESR_EL1 0x86000010", kabt_inject_case, &el1t},
	{"ext_iabt: fetch at EL0: +0x400, ESR_EL1 0x82000010", kabt_inject_case, &el0},
	{"ext_iabt: fetch reached by BR with the MMU on: SPSR_EL1 keeps BTYPE 01", kabt_inject_case,
	 &el1h_br},
	{"ext_iabt + the exit's ISS at EL1h: ESR_EL1 0x86000210 (EA kept)", kabt_inject_case,
	 &el1h_iss},
	{"ext_iabt + the exit's ISS at EL0: ESR_EL1 0x82000210 (EA kept)", kabt_inject_case,
	 &el0_iss},
};

int main(void)
{
	return rig_test_main(cases, sizeof(cases) / sizeof(cases[0]));
}
