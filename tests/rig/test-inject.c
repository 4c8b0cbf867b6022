// SPDX-License-Identifier: MIT
/*
 * sw-test-inject: libseawall's injection on the real kernel.  After a real
 * KVM_EXIT_ARM_SEA the test decodes the exit (sw_sea_from_exit,
 * sw_abort_from_sea) and injects with sw_inject(); the guest's vector
 * table then records what it actually took, and every value is asserted
 * against a constant worked out here from the Arm ARM
 * (AArch64.TakeException(), ESR_EL1 "ISS encoding for an exception from a
 * Data/Instruction Abort"), not from the library.
 *
 * SW_INJECT_ONE_REG (strategy (b)) gives the guest the abort the exit
 * describes: a load keeps EA, a store keeps WnR, a fetch is an instruction
 * abort -- EC 0x21 from EL1, 0x20 from EL0 -- which KVM's own
 * ext_dabt_pending cannot express.  It costs 10 ioctls (4 reads, 6
 * writes), 9 with FnV (FAR_EL1 is left alone), as inject.h documents.
 * SW_INJECT_EXT_DABT costs 1 and gives KVM's ESR (0x96000010).  AUTO picks
 * ext_dabt only when that is exact (ISS exactly 0x10).  The library's own
 * report of what it wrote must match what the guest saw.
 */
#include <errno.h>
#include <string.h>

#include <seawall/inject.h>
#include <seawall/sea.h>

#include "poison.h"
#include "sea.h"
#include "test.h"

#define ISS_FNV	     (1u << 10)
#define FAR_SENTINEL 0x5357fa4e5357fa4eULL
/* PSTATE at the handler for the default SCTLR (SPAN 1, DSSBS 0): EL1h, DAIF masked. */
#define HANDLER_PSTATE (PSR_MODE_EL1H | PSR_D | PSR_A | PSR_I | PSR_F)
#define PSR_N	       (1ULL << 31)
#define PSR_C	       (1ULL << 29)

enum abort_edit {
	AS_EXIT,      /* the abort sw_abort_from_sea() derived from the exit */
	SET_FNV,      /* ... with FnV set: FAR_EL1 must not be written */
	ISS_ONLY_FSC, /* ... with ISS exactly DFSC 0x10 (EA dropped): what ext_dabt can express */
};

struct inject_case {
	struct sea_case c;
	enum abort_edit edit;
	enum sw_inject_strategy ask;
	enum sw_inject_strategy ran;
	unsigned ioctls;
	/* what the guest must see */
	uint64_t vector;
	uint64_t esr;
	uint64_t pstate;
};

/*
 * A real exit 41 for c, decoded the way a VMM does: the vCPU handle set up
 * once before the first KVM_RUN (inject.h), the victim poisoned at the
 * guest's sync, the exit turned into the abort sw_inject() takes.
 */
static void exit_and_decode(struct rig_guest *g, const struct sea_case *c, struct sw_vcpu *vcpu,
			    struct sea_ready *ready, struct sw_abort *abt)
{
	struct kvm_run *run;
	const char *reason = "";
	struct sw_sea sea;
	int ret;

	require_injector();
	sea_create(g, c, true);
	ret = sw_vcpu_init(vcpu, g->vm->fd, g->vcpu->fd, &reason);
	TEST_ASSERT(ret == 0, "sw_vcpu_init: %d (%s)", ret, reason);
	TEST_ASSERT(vcpu->has_ext_dabt, "KVM_CAP_ARM_INJECT_EXT_DABT not found by sw_vcpu_init");
	sea_wait_ready(g, c, ready);
	poison_page(guest_ptr(g, ready->victim));
	sea_run_to_exit(g, ready);

	run = g->vcpu->run;
	ret = sw_sea_from_exit(&sea, run->arm_sea.flags, run->arm_sea.esr, run->arm_sea.gva,
			       run->arm_sea.gpa, &reason);
	TEST_ASSERT(ret == 0, "sw_sea_from_exit: %d (%s)", ret, reason);
	ret = sw_abort_from_sea(abt, &sea, &reason);
	TEST_ASSERT(ret == 0, "sw_abort_from_sea: %d (%s)", ret, reason);
}

static void test_inject(const void *arg)
{
	const struct inject_case *t = arg;
	struct sea_ready ready;
	struct sea_result res;
	struct rig_guest g;
	struct sw_vcpu vcpu;
	struct sw_abort abt;
	struct sw_inject_result ir;
	const char *reason = "";
	uint64_t far;
	int ret;

	exit_and_decode(&g, &t->c, &vcpu, &ready, &abt);
	if (t->edit == SET_FNV) {
		abt.iss |= ISS_FNV;
		/* A value the guest can only see if nobody writes FAR_EL1. */
		vcpu_set_reg(g.vcpu, REG_FAR_EL1, FAR_SENTINEL);
	} else if (t->edit == ISS_ONLY_FSC) {
		abt.iss = 0x10;
	}

	memset(&ir, 0, sizeof(ir));
	ret = sw_inject(&vcpu, &abt, t->ask, &ir, &reason);
	TEST_ASSERT(ret == 0, "sw_inject(%s): %d (%s)", sw_inject_strategy_name(t->ask), ret,
		    reason);
	TEST_ASSERT_EQ(ir.strategy, t->ran);
	TEST_ASSERT_EQ(ir.ioctls, t->ioctls);

	sea_expect_result(&g, &res);
	TEST_ASSERT_EQ(res.taken, 1);
	far = t->edit == SET_FNV ? FAR_SENTINEL : sea_target(&t->c);
	sea_assert_record(&res.rec, &(struct sw_exc_record){
					    .kind = SW_EXC_SYNC,
					    .vector = t->vector,
					    .esr = t->esr,
					    .far = far,
					    .elr = ready.pc,
					    .spsr = sea_fault_pstate(&t->c),
					    .pstate = t->pstate,
				    });
	if (ir.strategy == SW_INJECT_ONE_REG) {
		/* What the library says it wrote is what the guest took. */
		TEST_ASSERT_EQ(ir.entry.vector, res.rec.vector);
		TEST_ASSERT_EQ(ir.entry.pc, vcpu_get_reg(g.vcpu, REG_VBAR_EL1) + res.rec.vector);
		TEST_ASSERT_EQ(ir.entry.esr_el1, res.rec.esr);
		TEST_ASSERT_EQ(ir.entry.write_far, t->edit != SET_FNV);
		TEST_ASSERT_EQ(ir.entry.elr_el1, res.rec.elr);
		TEST_ASSERT_EQ(ir.entry.spsr_el1, res.rec.spsr);
		TEST_ASSERT_EQ(ir.entry.pstate, res.rec.pstate);
	}
	unpoison_page(guest_ptr(&g, ready.victim));
	guest_expect_done(&g);
	guest_free(&g);
}

/* An instruction abort is never delivered as KVM's data abort: -EINVAL, vCPU untouched. */
static void test_fetch_refuses_ext_dabt(const void *arg)
{
	const struct sea_case c = {SW_ACCESS_FETCH, SW_CTX_EL1H, .sctlr = SCTLR_SPAN};
	struct sea_ready ready;
	struct sea_result res;
	struct rig_guest g;
	struct sw_vcpu vcpu;
	struct sw_abort abt;
	struct sw_inject_result ir = {0};
	const char *reason = "";
	int ret;

	(void)arg;
	exit_and_decode(&g, &c, &vcpu, &ready, &abt);
	ret = sw_inject(&vcpu, &abt, SW_INJECT_EXT_DABT, &ir, &reason);
	TEST_ASSERT(ret == -EINVAL, "sw_inject(ext_dabt, fetch): %d (%s), expected -EINVAL", ret,
		    reason);
	TEST_ASSERT_EQ(ir.ioctls, 0);
	/* Nothing was injected: once the page is good again the fetch just runs. */
	unpoison_page(guest_ptr(&g, ready.victim));
	sea_expect_result(&g, &res);
	TEST_ASSERT_EQ(res.taken, 0);
	TEST_ASSERT_EQ(res.value, SW_GUEST_CODE_RESULT);
	guest_expect_done(&g);
	guest_free(&g);
}

#define EL1H	      SW_CTX_EL1H, .sctlr = SCTLR_SPAN
#define EL1T	      SW_CTX_EL1T, .sctlr = SCTLR_SPAN
#define EL0	      SW_CTX_EL0, .mmu = 1, .sctlr = SCTLR_SPAN
#define ONE_REG(edit) edit, SW_INJECT_ONE_REG, SW_INJECT_ONE_REG

static const struct inject_case load_el1h = {
	{SW_ACCESS_LOAD, EL1H}, ONE_REG(AS_EXIT), 10, 0x200, 0x96000210, HANDLER_PSTATE};
static const struct inject_case store_el1h = {
	{SW_ACCESS_STORE, EL1H}, ONE_REG(AS_EXIT), 10, 0x200, 0x96000250, HANDLER_PSTATE};
static const struct inject_case fetch_el1h = {
	{SW_ACCESS_FETCH, EL1H}, ONE_REG(AS_EXIT), 10, 0x200, 0x86000210, HANDLER_PSTATE};
static const struct inject_case load_el1t = {
	{SW_ACCESS_LOAD, EL1T}, ONE_REG(AS_EXIT), 10, 0x000, 0x96000210, HANDLER_PSTATE};
static const struct inject_case load_el0 = {
	{SW_ACCESS_LOAD, EL0}, ONE_REG(AS_EXIT), 10, 0x400, 0x92000210, HANDLER_PSTATE};
static const struct inject_case store_el0 = {
	{SW_ACCESS_STORE, EL0}, ONE_REG(AS_EXIT), 10, 0x400, 0x92000250, HANDLER_PSTATE};
static const struct inject_case fetch_el0 = {
	{SW_ACCESS_FETCH, EL0}, ONE_REG(AS_EXIT), 10, 0x400, 0x82000210, HANDLER_PSTATE};
/*
 * BLR (BTYPE 10), N, C, PAN, UAO, DIT, SSBS before; SCTLR_EL1.SPAN 0, DSSBS 1:
 * SPSR_EL1 keeps all of it; the new PSTATE keeps N, C, DIT and PAN, sets PAN
 * anyway (SPAN 0), clears UAO and BTYPE, and takes SSBS from DSSBS.
 */
static const struct inject_case load_pstate = {
	{SW_ACCESS_LOAD, SW_CTX_EL1H, .mmu = 1, .branch = SW_BRANCH_BLR,
	 .pstate = PSR_N | PSR_C | PSR_PAN | PSR_UAO | PSR_DIT | PSR_SSBS, .sctlr = SCTLR_DSSBS},
	ONE_REG(AS_EXIT),
	10,
	0x200,
	0x96000210,
	HANDLER_PSTATE | PSR_N | PSR_C | PSR_PAN | PSR_DIT | PSR_SSBS};
static const struct inject_case load_fnv = {
	{SW_ACCESS_LOAD, EL1H}, ONE_REG(SET_FNV), 9, 0x200, 0x96000610, HANDLER_PSTATE};
static const struct inject_case load_auto = {
	{SW_ACCESS_LOAD, EL1H}, AS_EXIT, SW_INJECT_AUTO, SW_INJECT_ONE_REG, 10, 0x200, 0x96000210,
	HANDLER_PSTATE};
static const struct inject_case load_ext_dabt = {{SW_ACCESS_LOAD, EL1H},
						 AS_EXIT,
						 SW_INJECT_EXT_DABT,
						 SW_INJECT_EXT_DABT,
						 1,
						 0x200,
						 0x96000010,
						 HANDLER_PSTATE};
static const struct inject_case store_ext_dabt_el0 = {{SW_ACCESS_STORE, EL0},
						      AS_EXIT,
						      SW_INJECT_EXT_DABT,
						      SW_INJECT_EXT_DABT,
						      1,
						      0x400,
						      0x92000010,
						      HANDLER_PSTATE};
static const struct inject_case load_auto_fsc_only = {{SW_ACCESS_LOAD, EL1H},
						      ISS_ONLY_FSC,
						      SW_INJECT_AUTO,
						      SW_INJECT_EXT_DABT,
						      1,
						      0x200,
						      0x96000010,
						      HANDLER_PSTATE};

static const struct rig_case cases[] = {
	{"one_reg: load at EL1h: +0x200, ESR_EL1 0x96000210 (EA kept), 10 ioctls", test_inject,
	 &load_el1h},
	{"one_reg: store at EL1h: ESR_EL1 0x96000250 (WnR kept)", test_inject, &store_el1h},
	{"one_reg: fetch at EL1h: an instruction abort, ESR_EL1 0x86000210 (EC 0x21)", test_inject,
	 &fetch_el1h},
	{"one_reg: load at EL1t: +0x000, ESR_EL1 0x96000210", test_inject, &load_el1t},
	{"one_reg: load at EL0: +0x400, ESR_EL1 0x92000210", test_inject, &load_el0},
	{"one_reg: store at EL0: +0x400, ESR_EL1 0x92000250", test_inject, &store_el0},
	{"one_reg: fetch at EL0: an instruction abort, ESR_EL1 0x82000210 (EC 0x20)", test_inject,
	 &fetch_el0},
	{"one_reg: BLR, N C PAN UAO DIT SSBS, SPAN 0, DSSBS 1: SPSR and PSTATE exact", test_inject,
	 &load_pstate},
	{"one_reg: FnV set: ESR_EL1 0x96000610, FAR_EL1 not written, 9 ioctls", test_inject,
	 &load_fnv},
	{"auto: the exit's ISS has EA, so one_reg (10 ioctls)", test_inject, &load_auto},
	{"ext_dabt through the library: load at EL1h, 1 ioctl, KVM's ESR_EL1 0x96000010",
	 test_inject, &load_ext_dabt},
	{"ext_dabt through the library: store at EL0, 1 ioctl, ESR_EL1 0x92000010", test_inject,
	 &store_ext_dabt_el0},
	{"auto: ISS exactly 0x10, so ext_dabt (1 ioctl), ESR_EL1 0x96000010", test_inject,
	 &load_auto_fsc_only},
	{"ext_dabt refuses an instruction abort: -EINVAL, nothing injected",
	 test_fetch_refuses_ext_dabt, NULL},
};

int main(void)
{
	return rig_test_main(cases, sizeof(cases) / sizeof(cases[0]));
}
