// SPDX-License-Identifier: MIT
/* Driving guests/sea-access.c (see sea.h). */
#include "sea.h"

#include <string.h>

#include "test.h"

/*
 * Worked out here from guest_abi.h, not taken from the guest's own
 * sw_target(): a guest that touched the wrong address must fail.
 */
uint64_t sea_target(const struct sea_case *c)
{
	if (c->access == SW_ACCESS_FETCH)
		return (c->mmu ? SW_GUEST_ALIAS_CODE : SW_GUEST_VICTIM_CODE) + SW_GUEST_CODE_OFFSET;
	if (!c->mmu)
		return SW_GUEST_VICTIM_DATA + SW_GUEST_DATA_OFFSET;
	return (c->ctx == SW_CTX_EL0 ? SW_GUEST_ALIAS_DATA_EL0 : SW_GUEST_ALIAS_DATA_EL1) +
	       SW_GUEST_DATA_OFFSET;
}

uint64_t sea_victim(const struct sea_case *c)
{
	return c->access == SW_ACCESS_FETCH ? SW_GUEST_VICTIM_CODE : SW_GUEST_VICTIM_DATA;
}

uint64_t sea_body_pstate(const struct sea_case *c)
{
	static const uint64_t mode[] = {
		[SW_CTX_EL1H] = PSR_MODE_EL1H,
		[SW_CTX_EL1T] = PSR_MODE_EL1T,
		[SW_CTX_EL0] = PSR_MODE_EL0T,
	};

	return mode[c->ctx] | PSR_D | PSR_I | PSR_F | c->pstate;
}

uint64_t sea_fault_pstate(const struct sea_case *c)
{
	static const uint64_t btype[] = {
		[SW_BRANCH_NONE] = 0,
		[SW_BRANCH_BR] = PSR_BTYPE(1),
		[SW_BRANCH_BLR] = PSR_BTYPE(2),
	};

	return sea_body_pstate(c) | btype[c->branch];
}

void sea_create(struct rig_guest *g, const struct sea_case *c, bool sea_to_user)
{
	const uint64_t args[6] = {
		[SEA_ARG_ACCESS] = (uint64_t)c->access, [SEA_ARG_CTX] = (uint64_t)c->ctx,
		[SEA_ARG_MMU] = (uint64_t)c->mmu,	[SEA_ARG_BRANCH] = (uint64_t)c->branch,
		[SEA_ARG_PSTATE] = c->pstate,		[SEA_ARG_SCTLR] = c->sctlr,
	};

	guest_create(g, "sea-access", args, sea_to_user);
}

void sea_wait_ready(struct rig_guest *g, const struct sea_case *c, struct sea_ready *ready)
{
	struct sw_ucall uc;

	guest_expect_sync(g, SEA_STAGE_READY, &uc);
	*ready = (struct sea_ready){
		.target = uc.args[1],
		.victim = uc.args[2],
		.pc = uc.args[3],
		.spsr = uc.args[4],
		.sctlr = uc.args[5],
	};
	TEST_ASSERT_EQ(ready->target, sea_target(c));
	TEST_ASSERT_EQ(ready->victim, sea_victim(c));
	TEST_ASSERT_EQ(ready->spsr, sea_body_pstate(c));
	TEST_ASSERT_EQ(ready->sctlr & (SCTLR_SPAN | SCTLR_DSSBS), c->sctlr);
	if (c->access == SW_ACCESS_FETCH)
		TEST_ASSERT_EQ(ready->pc, ready->target);
}

void sea_start(struct rig_guest *g, const struct sea_case *c, bool sea_to_user,
	       struct sea_ready *ready)
{
	sea_create(g, c, sea_to_user);
	sea_wait_ready(g, c, ready);
}

void sea_run_to_exit(struct rig_guest *g, const struct sea_ready *ready)
{
	vcpu_run(g->vcpu);
	TEST_ASSERT_KVM_EXIT_REASON(g->vcpu, KVM_EXIT_ARM_SEA);
	TEST_ASSERT_EQ(vcpu_get_reg(g->vcpu, REG_PC), ready->pc);
}

void sea_expect_result(struct rig_guest *g, struct sea_result *res)
{
	struct sw_ucall uc;

	guest_expect_sync(g, SEA_STAGE_RESULT, &uc);
	res->taken = uc.args[1];
	memcpy(&res->rec, guest_ptr(g, uc.args[2]), sizeof(res->rec));
	res->value = uc.args[3];
	res->readback = uc.args[4];
}

void sea_assert_record(const struct sw_exc_record *got, const struct sw_exc_record *want)
{
	TEST_ASSERT_EQ(got->kind, want->kind);
	TEST_ASSERT_EQ(got->vector, want->vector);
	TEST_ASSERT_EQ(got->esr, want->esr);
	/* FAR_EL1 is UNKNOWN after an SError (Arm ARM, FAR_EL1 description). */
	if (want->kind != SW_EXC_SERROR)
		TEST_ASSERT_EQ(got->far, want->far);
	TEST_ASSERT_EQ(got->elr, want->elr);
	TEST_ASSERT_EQ(got->spsr, want->spsr);
	TEST_ASSERT_EQ(got->pstate, want->pstate);
}
