// SPDX-License-Identifier: MIT
/*
 * sw-test-kernel-inject: libseawall's two exact strategies give the guest the same
 * exception, on the patched kernel.  For each fault, the same guest runs
 * twice to the same real KVM_EXIT_ARM_SEA; the abort is built from the exit
 * (sw_sea_from_exit(), sw_abort_from_sea()) and injected once with
 * SW_INJECT_EXT_ABT (one KVM_SET_VCPU_EVENTS with ext_abt_esr: KVM's
 * exception entry) and once with SW_INJECT_ONE_REG (libseawall's
 * AArch64.TakeException() written with KVM_SET_ONE_REG).  The guest's
 * records -- vector, ESR_EL1, FAR_EL1, ELR_EL1, SPSR_EL1 and PSTATE at the
 * handler -- must be identical, and ESR_EL1 what the exit reported with the
 * EC of the guest's EL.  SW_INJECT_AUTO must pick ext_abt for every one of
 * them (KVM's entry is exact: FAR from the exit, no NMI/GCS/EBEP).
 */
#include <string.h>

#include <seawall/inject.h>
#include <seawall/sea.h>

#include "kernel_events.h"
#include "poison.h"
#include "sea.h"
#include "test.h"

struct inject_case {
	struct sea_case c;
	uint64_t esr; /* ESR_EL1 the guest must see */
};

/* Inject the case's real SEA with strategy; return the guest's record. */
static void run_once(const struct inject_case *t, enum sw_inject_strategy strategy,
		     struct sw_exc_record *rec, struct sea_ready *ready)
{
	struct sw_inject_result res;
	const char *reason = NULL;
	struct sea_result result;
	struct sw_vcpu vcpu;
	struct sw_abort abt;
	struct sw_sea sea;
	struct rig_guest g;
	int ret;

	kabt_run_to_exit(&g, &t->c, ready, true);
	ret = sw_vcpu_init(&vcpu, g.vm->fd, g.vcpu->fd, &reason);
	TEST_ASSERT(ret == 0, "sw_vcpu_init: %d %s", ret, reason);
	TEST_ASSERT_EQ(vcpu.has_ext_iabt, 1);

	ret = sw_sea_from_exit(&sea, g.vcpu->run->arm_sea.flags, g.vcpu->run->arm_sea.esr,
			       g.vcpu->run->arm_sea.gva, g.vcpu->run->arm_sea.gpa, &reason);
	TEST_ASSERT(ret == 0, "sw_sea_from_exit: %d %s", ret, reason);
	ret = sw_abort_from_sea(&abt, &sea, &reason);
	TEST_ASSERT(ret == 0, "sw_abort_from_sea: %d %s", ret, reason);
	ret = sw_inject(&vcpu, &abt, strategy == SW_INJECT_EXT_ABT ? SW_INJECT_AUTO : strategy,
			&res, &reason);
	TEST_ASSERT(ret == 0, "sw_inject(%s): %d %s", sw_inject_strategy_name(strategy), ret,
		    reason);
	/* AUTO chose KVM's entry, in one ioctl. */
	TEST_ASSERT_EQ(res.strategy, strategy);
	if (strategy == SW_INJECT_EXT_ABT)
		TEST_ASSERT_EQ(res.ioctls, 1);
	else
		TEST_ASSERT_EQ(res.ioctls, 10);

	sea_expect_result(&g, &result);
	TEST_ASSERT_EQ(result.taken, 1);
	*rec = result.rec;
	unpoison_page(guest_ptr(&g, ready->victim));
	guest_expect_done(&g);
	guest_free(&g);
}

static void test_same_entry(const void *arg)
{
	const struct inject_case *t = arg;
	struct sw_exc_record kvm, one_reg;
	struct sea_ready ready;

	run_once(t, SW_INJECT_EXT_ABT, &kvm, &ready);
	run_once(t, SW_INJECT_ONE_REG, &one_reg, &ready);
	rig_diag("ext_abt: vector +0x%llx ESR 0x%llx FAR 0x%llx ELR 0x%llx SPSR 0x%llx PSTATE "
		 "0x%llx",
		 (unsigned long long)kvm.vector, (unsigned long long)kvm.esr,
		 (unsigned long long)kvm.far, (unsigned long long)kvm.elr,
		 (unsigned long long)kvm.spsr, (unsigned long long)kvm.pstate);
	TEST_ASSERT_EQ(kvm.kind, SW_EXC_SYNC);
	TEST_ASSERT_EQ(kvm.esr, t->esr);
	TEST_ASSERT_EQ(kvm.far, ready.target);
	TEST_ASSERT_EQ(kvm.elr, ready.pc);
	sea_assert_record(&one_reg, &kvm);
}

static const struct inject_case load = {{SW_ACCESS_LOAD, SW_CTX_EL1H, .sctlr = SCTLR_SPAN},
					0x96000210};
static const struct inject_case store = {{SW_ACCESS_STORE, SW_CTX_EL1H, .sctlr = SCTLR_SPAN},
					 0x96000250};
static const struct inject_case fetch = {{SW_ACCESS_FETCH, SW_CTX_EL1H, .sctlr = SCTLR_SPAN},
					 0x86000210};
static const struct inject_case load_el1t = {{SW_ACCESS_LOAD, SW_CTX_EL1T, .sctlr = SCTLR_SPAN},
					     0x96000210};
static const struct inject_case store_el0 = {
	{SW_ACCESS_STORE, SW_CTX_EL0, .mmu = 1, .sctlr = SCTLR_SPAN}, 0x92000250};
static const struct inject_case fetch_el0 = {
	{SW_ACCESS_FETCH, SW_CTX_EL0, .mmu = 1, .sctlr = SCTLR_SPAN}, 0x82000210};
/* PAN, UAO, DIT, SSBS before, BTYPE 01 (BR); SPAN 0, DSSBS 1. */
static const struct inject_case load_pstate = {
	{SW_ACCESS_LOAD, SW_CTX_EL1H, .mmu = 1, .branch = SW_BRANCH_BR,
	 .pstate = PSR_PAN | PSR_UAO | PSR_DIT | PSR_SSBS, .sctlr = SCTLR_DSSBS},
	0x96000210};
static const struct inject_case fetch_blr = {
	{SW_ACCESS_FETCH, SW_CTX_EL1H, .mmu = 1, .branch = SW_BRANCH_BLR, .sctlr = SCTLR_SPAN},
	0x86000210};

static const struct rig_case cases[] = {
	{"inject: load at EL1h: ext_abt and ONE_REG identical, ESR_EL1 0x96000210", test_same_entry,
	 &load},
	{"inject: store at EL1h: identical, ESR_EL1 0x96000250", test_same_entry, &store},
	{"inject: fetch at EL1h: identical, ESR_EL1 0x86000210", test_same_entry, &fetch},
	{"inject: load at EL1t: identical, ESR_EL1 0x96000210", test_same_entry, &load_el1t},
	{"inject: store at EL0: identical, ESR_EL1 0x92000250", test_same_entry, &store_el0},
	{"inject: fetch at EL0: identical, ESR_EL1 0x82000210", test_same_entry, &fetch_el0},
	{"inject: load with PAN UAO DIT SSBS, BTYPE 01, SPAN 0, DSSBS 1: identical",
	 test_same_entry, &load_pstate},
	{"inject: fetch reached by BLR (BTYPE 10): identical", test_same_entry, &fetch_blr},
};

int main(void)
{
	return rig_test_main(cases, sizeof(cases) / sizeof(cases[0]));
}
