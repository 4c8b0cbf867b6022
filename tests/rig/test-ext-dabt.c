// SPDX-License-Identifier: MIT
/*
 * sw-test-ext-dabt: after a real KVM_EXIT_ARM_SEA, KVM_SET_VCPU_EVENTS with
 * ext_dabt_pending makes KVM itself deliver a synchronous external data
 * abort to the guest -- the one injection upstream KVM offers.
 *
 * KVM builds the syndrome (arch/arm64/kvm/inject_fault.c, inject_abt64()):
 * EC "data abort" from the current EL (0x25) or, from EL0, a lower EL
 * (0x24); IL copied from the last exit's ESR_EL2 (1 here); DFSC 0x10; no
 * WnR, EA or anything else -- so a store loses WnR and an instruction
 * fetch becomes a *data* abort.  FAR_EL1 is the last exit's FAR_EL2 (the
 * faulting address), ELR_EL1 the faulting PC, SPSR_EL1 the PSTATE at the
 * fault, and the new PSTATE is what AArch64.TakeException() gives: EL1h,
 * DAIF masked, PAN set if SCTLR_EL1.SPAN is 0, UAO cleared, SSBS =
 * SCTLR_EL1.DSSBS, DIT unchanged, BTYPE cleared.
 */
#include "poison.h"
#include "sea.h"
#include "test.h"

#define ESR_DABT_CUR 0x96000010 /* EC 0x25, IL, DFSC 0x10 */
#define ESR_DABT_LOW 0x92000010 /* EC 0x24, IL, DFSC 0x10 */

struct dabt_case {
	struct sea_case c;
	uint64_t vector;
	uint64_t esr;
	uint64_t pstate; /* at the handler */
};

static void test_ext_dabt(const void *arg)
{
	const struct dabt_case *d = arg;
	struct kvm_vcpu_events events = {0};
	struct sea_ready ready;
	struct sea_result res;
	struct rig_guest g;

	require_injector();
	TEST_ASSERT_EQ(sea_body_pstate(&d->c) & PSR_A, 0);
	sea_start(&g, &d->c, true, &ready);
	poison_page(guest_ptr(&g, ready.victim));
	sea_run_to_exit(&g, &ready);

	events.exception.ext_dabt_pending = 1;
	vcpu_events_set(g.vcpu, &events);
	sea_expect_result(&g, &res);
	TEST_ASSERT_EQ(res.taken, 1);
	sea_assert_record(&res.rec, &(struct sw_exc_record){
					    .kind = SW_EXC_SYNC,
					    .vector = d->vector,
					    .esr = d->esr,
					    .far = sea_target(&d->c),
					    .elr = ready.pc,
					    .spsr = sea_fault_pstate(&d->c),
					    .pstate = d->pstate,
				    });
	unpoison_page(guest_ptr(&g, ready.victim));
	guest_expect_done(&g);
	guest_free(&g);
}

#define HANDLER_PSTATE (PSR_MODE_EL1H | PSR_D | PSR_A | PSR_I | PSR_F)

static const struct dabt_case load = {
	{SW_ACCESS_LOAD, SW_CTX_EL1H, .sctlr = SCTLR_SPAN}, 0x200, ESR_DABT_CUR, HANDLER_PSTATE};
static const struct dabt_case store = {
	{SW_ACCESS_STORE, SW_CTX_EL1H, .sctlr = SCTLR_SPAN}, 0x200, ESR_DABT_CUR, HANDLER_PSTATE};
static const struct dabt_case fetch = {
	{SW_ACCESS_FETCH, SW_CTX_EL1H, .sctlr = SCTLR_SPAN}, 0x200, ESR_DABT_CUR, HANDLER_PSTATE};
static const struct dabt_case load_el1t = {
	{SW_ACCESS_LOAD, SW_CTX_EL1T, .sctlr = SCTLR_SPAN}, 0x000, ESR_DABT_CUR, HANDLER_PSTATE};
static const struct dabt_case load_el0 = {
	{SW_ACCESS_LOAD, SW_CTX_EL0, .mmu = 1, .sctlr = SCTLR_SPAN},
	0x400,
	ESR_DABT_LOW,
	HANDLER_PSTATE};
static const struct dabt_case fetch_el0 = {
	{SW_ACCESS_FETCH, SW_CTX_EL0, .mmu = 1, .sctlr = SCTLR_SPAN},
	0x400,
	ESR_DABT_LOW,
	HANDLER_PSTATE};
/*
 * Z, V, PAN, UAO, DIT, SSBS set before; SPAN 0 and DSSBS 1: flags kept, PAN
 * set, UAO cleared, DIT kept, SSBS 1 (KVM's enter_exception64(),
 * arch/arm64/kvm/hyp/exception.c, follows the Arm ARM where QEMU 7.2's TCG
 * clears NZCV and DIT: see docs/conformance.md).
 */
static const struct dabt_case load_pstate = {
	{SW_ACCESS_LOAD, SW_CTX_EL1H, .mmu = 1, .branch = SW_BRANCH_BR,
	 .pstate = PSR_Z | PSR_V | PSR_PAN | PSR_UAO | PSR_DIT | PSR_SSBS, .sctlr = SCTLR_DSSBS},
	0x200,
	ESR_DABT_CUR,
	HANDLER_PSTATE | PSR_Z | PSR_V | PSR_PAN | PSR_DIT | PSR_SSBS};

static const struct rig_case cases[] = {
	{"ext_dabt: load at EL1h: +0x200, ESR_EL1 0x96000010, FAR = gva", test_ext_dabt, &load},
	{"ext_dabt: store at EL1h: +0x200, ESR_EL1 0x96000010 (WnR dropped)", test_ext_dabt,
	 &store},
	{"ext_dabt: fetch at EL1h: +0x200, ESR_EL1 0x96000010 (a data abort)", test_ext_dabt,
	 &fetch},
	{"ext_dabt: load at EL1t: +0x000, ESR_EL1 0x96000010", test_ext_dabt, &load_el1t},
	{"ext_dabt: load at EL0: +0x400, ESR_EL1 0x92000010, FAR = gva", test_ext_dabt, &load_el0},
	{"ext_dabt: fetch at EL0: +0x400, ESR_EL1 0x92000010 (a data abort)", test_ext_dabt,
	 &fetch_el0},
	{"ext_dabt: Z V PAN UAO DIT SSBS and BTYPE 01 before, SPAN 0, DSSBS 1", test_ext_dabt,
	 &load_pstate},
};

int main(void)
{
	return rig_test_main(cases, sizeof(cases) / sizeof(cases[0]));
}
