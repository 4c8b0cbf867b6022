// SPDX-License-Identifier: MIT
/*
 * sw-test-sea-ttw: a poisoned guest stage-1 translation table page.  The
 * guest's own table walk takes the external abort, KVM sees a "SEA on
 * translation table walk" without S1PTW and hands it to userspace.
 *
 * What KVM reports, and why (Linux 7.3):
 * - host_owns_sea() (arch/arm64/kvm/mmu.c) keeps only table-walk SEAs
 *   with ESR_EL2.S1PTW set (a walk of KVM's own stage-2 tables); a stage-1
 *   walk is the guest's, so kvm_handle_guest_sea() exits with 41.
 * - The FSC names the level of the table that could not be read: 0x17
 *   (level 3) for SW_GUEST_PT_L3_ALIAS, 0x16 (level 2) for
 *   SW_GUEST_PT_L2_ALIAS (Arm ARM D19.2.40, DFSC/IFSC 0b0101LL).
 * - gva is FAR_EL2, the address being translated (FnV is clear).
 * - There is no gpa: __get_fault_info() (hyp/include/hyp/fault.h) only
 *   trusts HPFAR_EL2 for translation, access flag, address size and S1PTW
 *   permission faults, and __fault_safe_to_translate() refuses to re-walk
 *   a table-walk SEA (the walk would read the poisoned table again), so
 *   HPFAR stays invalid, kvm_vcpu_get_fault_ipa() is INVALID_GPA, and
 *   flags and gpa are 0.  The VMM must find the page some other way: here
 *   the test knows which table it poisoned.
 * After unpoisoning the table the same access completes.
 */
#include "poison.h"
#include "sea.h"
#include "test.h"

struct ttw_case {
	struct sea_case c;
	uint64_t table; /* the IPA of the table page poisoned */
	uint64_t esr;
};

static void test_ttw(const void *arg)
{
	const struct ttw_case *t = arg;
	struct sea_ready ready;
	struct sea_result res;
	struct rig_guest g;
	struct kvm_run *run;
	uint64_t hits;

	require_injector();
	sea_start(&g, &t->c, true, &ready);
	poison_page(guest_ptr(&g, t->table));
	hits = injector_hits();
	sea_run_to_exit(&g, &ready);
	run = g.vcpu->run;
	TEST_ASSERT_EQ(run->arm_sea.esr, t->esr);
	TEST_ASSERT_EQ(run->arm_sea.flags, 0);
	TEST_ASSERT_EQ(run->arm_sea.gva, sea_target(&t->c));
	TEST_ASSERT_EQ(run->arm_sea.gpa, 0);
	TEST_ASSERT_EQ(injector_hits() - hits, 1);

	unpoison_page(guest_ptr(&g, t->table));
	sea_expect_result(&g, &res);
	TEST_ASSERT_EQ(res.taken, 0);
	if (t->c.access == SW_ACCESS_LOAD)
		TEST_ASSERT_EQ(res.value, SW_GUEST_PATTERN(SW_GUEST_DATA_OFFSET));
	if (t->c.access == SW_ACCESS_FETCH)
		TEST_ASSERT_EQ(res.value, SW_GUEST_CODE_RESULT);
	guest_expect_done(&g);
	guest_free(&g);
}

#define EL1_MMU SW_CTX_EL1H, .mmu = 1, .sctlr = SCTLR_SPAN
#define EL0_MMU SW_CTX_EL0, .mmu = 1, .sctlr = SCTLR_SPAN

static const struct ttw_case load_l3 = {
	{SW_ACCESS_LOAD, EL1_MMU}, SW_GUEST_PT_L3_ALIAS, 0x92000217};
static const struct ttw_case store_l3 = {
	{SW_ACCESS_STORE, EL1_MMU}, SW_GUEST_PT_L3_ALIAS, 0x92000257};
static const struct ttw_case fetch_l3 = {
	{SW_ACCESS_FETCH, EL1_MMU}, SW_GUEST_PT_L3_ALIAS, 0x82000217};
static const struct ttw_case load_l2 = {
	{SW_ACCESS_LOAD, EL1_MMU}, SW_GUEST_PT_L2_ALIAS, 0x92000216};
static const struct ttw_case load_l3_el0 = {
	{SW_ACCESS_LOAD, EL0_MMU}, SW_GUEST_PT_L3_ALIAS, 0x92000217};

static const struct rig_case cases[] = {
	{"ttw: load, level 3 table poisoned: esr 0x92000217, flags 0, gva 0x80180048, gpa 0",
	 test_ttw, &load_l3},
	{"ttw: store, level 3 table poisoned: esr 0x92000257, flags 0, gva 0x80180048, gpa 0",
	 test_ttw, &store_l3},
	{"ttw: fetch, level 3 table poisoned: esr 0x82000217, flags 0, gva 0x80181040, gpa 0",
	 test_ttw, &fetch_l3},
	{"ttw: load, level 2 table poisoned: esr 0x92000216, flags 0, gva 0x80180048, gpa 0",
	 test_ttw, &load_l2},
	{"ttw: load at EL0, level 3 table poisoned: esr 0x92000217, flags 0, gva 0x801c0048, gpa 0",
	 test_ttw, &load_l3_el0},
};

int main(void)
{
	return rig_test_main(cases, sizeof(cases) / sizeof(cases[0]));
}
