// SPDX-License-Identifier: MIT
/*
 * sw-test-no-cap: without KVM_CAP_ARM_SEA_TO_USER nothing reaches the VMM.
 * kvm_handle_guest_sea() (arch/arm64/kvm/mmu.c) falls back to
 * kvm_inject_serror(): a virtual SError whose syndrome is ESR_ELx.ISV
 * alone, so the guest (PSTATE.A clear) takes vector +0x380 (SError,
 * current EL with SP_ELx) with ESR_EL1 0xbf000000 (EC 0x2f, IL, ISV) at
 * the faulting PC, and the next exit the VMM sees is the guest's own
 * report -- never exit 41.
 */
#include "poison.h"
#include "sea.h"
#include "test.h"

#define ESR_VSERROR 0xbf000000

static void test_serror(const void *arg)
{
	const struct sea_case *c = arg;
	struct sea_ready ready;
	struct sea_result res;
	struct rig_guest g;
	uint64_t hits;

	require_injector();
	sea_start(&g, c, false, &ready);
	poison_page(guest_ptr(&g, ready.victim));
	hits = injector_hits();
	sea_expect_result(&g, &res);
	TEST_ASSERT_EQ(res.taken, 1);
	sea_assert_record(&res.rec, &(struct sw_exc_record){
					    .kind = SW_EXC_SERROR,
					    .vector = 0x380,
					    .esr = ESR_VSERROR,
					    .elr = ready.pc,
					    .spsr = sea_fault_pstate(c),
					    .pstate = PSR_MODE_EL1H | PSR_D | PSR_A | PSR_I | PSR_F,
				    });
	/* The SError is taken before the access is retried. */
	TEST_ASSERT_EQ(injector_hits() - hits, 1);
	unpoison_page(guest_ptr(&g, ready.victim));
	guest_expect_done(&g);
	guest_free(&g);
}

static const struct sea_case load = {SW_ACCESS_LOAD, SW_CTX_EL1H, .sctlr = SCTLR_SPAN};
static const struct sea_case store = {SW_ACCESS_STORE, SW_CTX_EL1H, .sctlr = SCTLR_SPAN};
static const struct sea_case fetch = {SW_ACCESS_FETCH, SW_CTX_EL1H, .sctlr = SCTLR_SPAN};

static const struct rig_case cases[] = {
	{"no cap: load takes a virtual SError: +0x380, ESR_EL1 0xbf000000, ELR = PC", test_serror,
	 &load},
	{"no cap: store takes a virtual SError: +0x380, ESR_EL1 0xbf000000, ELR = PC", test_serror,
	 &store},
	{"no cap: fetch takes a virtual SError: +0x380, ESR_EL1 0xbf000000, ELR = PC", test_serror,
	 &fetch},
};

int main(void)
{
	return rig_test_main(cases, sizeof(cases) / sizeof(cases[0]));
}
