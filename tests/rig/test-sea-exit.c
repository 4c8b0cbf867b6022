// SPDX-License-Identifier: MIT
/*
 * sw-test-sea-exit: a poisoned guest page consumed by a load, a store and
 * an instruction fetch reaches the VMM as KVM_EXIT_ARM_SEA (41) with exact
 * values: with the guest MMU off (gva == gpa), and on, through an alias
 * (gva != gpa), from EL1 and from EL0.
 *
 * What KVM reports (arch/arm64/kvm/mmu.c, kvm_handle_guest_sea(), Linux
 * 7.3): ESR_EL2 masked to EC, IL, FnV, EA, CM, WnR, FSC (and SET with
 * RAS), so EC is always "from a lower EL" (0x24 data, 0x20 instruction)
 * whatever the guest's EL; gva is FAR_EL2 because FnV is clear; gpa is
 * the IPA KVM finds by translating FAR with AT S1E1R
 * (hyp/include/hyp/fault.h, __get_fault_info()), page aligned, with
 * KVM_EXIT_ARM_SEA_FLAG_GPA_VALID.
 */
#include "poison.h"
#include "sea.h"
#include "test.h"

/* ESR_EL2 as KVM reports it (Arm ARM D19.2.40, ISS for data/instruction aborts). */
#define ESR_LOAD  0x92000210 /* EC 0x24, IL, EA, DFSC 0x10 */
#define ESR_STORE 0x92000250 /* ... and WnR */
#define ESR_FETCH 0x82000210 /* EC 0x20, IL, EA, IFSC 0x10 */

struct exit_case {
	struct sea_case c;
	uint64_t esr;
};

static void test_exit(const void *arg)
{
	const struct exit_case *e = arg;
	struct sea_ready ready;
	struct rig_guest g;
	struct kvm_run *run;
	uint64_t hits;

	require_injector();
	sea_start(&g, &e->c, true, &ready);
	poison_page(guest_ptr(&g, ready.victim));
	hits = injector_hits();
	sea_run_to_exit(&g, &ready);
	run = g.vcpu->run;
	TEST_ASSERT_EQ(run->arm_sea.flags, KVM_EXIT_ARM_SEA_FLAG_GPA_VALID);
	TEST_ASSERT_EQ(run->arm_sea.esr, e->esr);
	TEST_ASSERT_EQ(run->arm_sea.gva, sea_target(&e->c));
	TEST_ASSERT_EQ(run->arm_sea.gpa, sea_victim(&e->c));
	/* The one refused access is the guest's: KVM's AT S1E1R does not read the page. */
	TEST_ASSERT_EQ(injector_hits() - hits, 1);
	unpoison_page(guest_ptr(&g, ready.victim));
	guest_free(&g);
}

#define EL1 SW_CTX_EL1H, .sctlr = SCTLR_SPAN
#define EL0 SW_CTX_EL0, .sctlr = SCTLR_SPAN

static const struct exit_case load_off = {{SW_ACCESS_LOAD, EL1}, ESR_LOAD};
static const struct exit_case store_off = {{SW_ACCESS_STORE, EL1}, ESR_STORE};
static const struct exit_case fetch_off = {{SW_ACCESS_FETCH, EL1}, ESR_FETCH};
static const struct exit_case load_on = {{SW_ACCESS_LOAD, EL1, .mmu = 1}, ESR_LOAD};
static const struct exit_case store_on = {{SW_ACCESS_STORE, EL1, .mmu = 1}, ESR_STORE};
static const struct exit_case fetch_on = {{SW_ACCESS_FETCH, EL1, .mmu = 1}, ESR_FETCH};
static const struct exit_case load_el0 = {{SW_ACCESS_LOAD, EL0, .mmu = 1}, ESR_LOAD};
static const struct exit_case store_el0 = {{SW_ACCESS_STORE, EL0, .mmu = 1}, ESR_STORE};
static const struct exit_case fetch_el0 = {{SW_ACCESS_FETCH, EL0, .mmu = 1}, ESR_FETCH};

static const struct rig_case cases[] = {
	{"exit 41: load at EL1, MMU off: esr 0x92000210, gva 0x40180048, gpa 0x40180000", test_exit,
	 &load_off},
	{"exit 41: store at EL1, MMU off: esr 0x92000250, gva 0x40180048, gpa 0x40180000",
	 test_exit, &store_off},
	{"exit 41: fetch at EL1, MMU off: esr 0x82000210, gva 0x40181040, gpa 0x40181000",
	 test_exit, &fetch_off},
	{"exit 41: load at EL1, MMU on: esr 0x92000210, gva 0x80180048, gpa 0x40180000", test_exit,
	 &load_on},
	{"exit 41: store at EL1, MMU on: esr 0x92000250, gva 0x80180048, gpa 0x40180000", test_exit,
	 &store_on},
	{"exit 41: fetch at EL1, MMU on: esr 0x82000210, gva 0x80181040, gpa 0x40181000", test_exit,
	 &fetch_on},
	{"exit 41: load at EL0, MMU on: esr 0x92000210, gva 0x801c0048, gpa 0x40180000", test_exit,
	 &load_el0},
	{"exit 41: store at EL0, MMU on: esr 0x92000250, gva 0x801c0048, gpa 0x40180000", test_exit,
	 &store_el0},
	{"exit 41: fetch at EL0, MMU on: esr 0x82000210, gva 0x80181040, gpa 0x40181000", test_exit,
	 &fetch_el0},
};

int main(void)
{
	return rig_test_main(cases, sizeof(cases) / sizeof(cases[0]));
}
