// SPDX-License-Identifier: MIT
/*
 * exception-entry: ground truth for AArch64 exception entry on a
 * synchronous external abort, under plain QEMU TCG (-M virt,
 * poison-injector=on -cpu max: EL0 and EL1 only, so QEMU itself delivers
 * the abort to EL1).
 *
 * Every case touches either a RAM page this guest poisons through the
 * injector, or an unassigned physical address, by load, store or fetch,
 * from EL1h, EL1t or EL0, MMU off or on, reached sequentially or by BR or
 * BLR, with a chosen PSTATE (NZCV, DAIF, PAN, UAO, DIT, SSBS; TCO with
 * FEAT_MTE, -M virt,mte=on) and SCTLR_EL1 (SPAN, DSSBS).  It reports the
 * state before the abort -- PSTATE (entered exactly by ERET, read back at
 * EL1), the PC of the access, VBAR_EL1, SCTLR_EL1, the ID registers --
 * and what the handler saw, for tests/tcg's checker to hold against
 * libseawall's exception-entry computation.  Output, one ucall PRINT per
 * line (numbers in hex unless small):
 *
 *   ID pfr0=.. pfr1=.. dfr0=.. dfr1=.. isar1=..
 *   ID mmfr0=.. mmfr1=.. mmfr2=.. mmfr3=.. bti=..
 *   REC <n> case ctx=.. access=.. branch=.. src=.. mmu=.. knob=..
 *   REC <n> pre addr=.. pc=.. pstate=.. readback=.. vbar=.. sctlr=..
 *   REC <n> exc taken=.. kind=.. vector=.. esr=.. far=.. elr=.. spsr=.. pstate=.. valid=..
 *   COUNT <cases>
 *
 * ctx, access and branch are the SW_CTX_, SW_ACCESS_ and SW_BRANCH_
 * numbers; src 0 is poisoned RAM, 1 the unassigned PA; readback is 0 at
 * EL0, where PSTATE cannot be read.
 */
#include "guest.h"
#include "sysreg.h"

#define SRC_POISON     0
#define SRC_UNASSIGNED 1

/* PSTATE before the abort (beyond the mode) and SCTLR_EL1.SPAN/DSSBS. */
struct knob {
	uint64_t pstate;
	uint64_t sctlr;
};

static const struct knob knobs[] = {
	{0, SCTLR_SPAN},					   /* DAIF clear */
	{PSR_PAN, SCTLR_SPAN},					   /* PAN kept */
	{0, 0},							   /* SPAN 0: PAN set */
	{PSR_PAN | PSR_UAO, 0},					   /* UAO cleared */
	{PSR_SSBS, SCTLR_SPAN},					   /* DSSBS 0: SSBS cleared */
	{0, SCTLR_SPAN | SCTLR_DSSBS},				   /* DSSBS 1: SSBS set */
	{PSR_DIT, SCTLR_SPAN},					   /* DIT kept */
	{PSR_N | PSR_Z | PSR_D | PSR_A, SCTLR_SPAN | SCTLR_DSSBS}, /* DAIF partly masked */
	{PSR_C | PSR_V | PSR_I | PSR_F | PSR_DIT | PSR_SSBS | PSR_UAO | PSR_TCO, 0}, /* several */
	{PSR_DAIF | PSR_N | PSR_PAN | PSR_SSBS, SCTLR_DSSBS}, /* DAIF all masked */
};
#define NKNOBS (sizeof(knobs) / sizeof(knobs[0]))

struct entry_case {
	int ctx, access, branch, src, mmu;
	unsigned knob;
};

static unsigned ncases;

static void report_ids(void)
{
	sw_printf("ID pfr0=0x%lx pfr1=0x%lx dfr0=0x%lx dfr1=0x%lx isar1=0x%lx",
		  read_sysreg(SYS_ID_AA64PFR0_EL1), read_sysreg(SYS_ID_AA64PFR1_EL1),
		  read_sysreg(SYS_ID_AA64DFR0_EL1), read_sysreg(SYS_ID_AA64DFR1_EL1),
		  read_sysreg(SYS_ID_AA64ISAR1_EL1));
	sw_printf("ID mmfr0=0x%lx mmfr1=0x%lx mmfr2=0x%lx mmfr3=0x%lx bti=%d",
		  read_sysreg(SYS_ID_AA64MMFR0_EL1), read_sysreg(SYS_ID_AA64MMFR1_EL1),
		  read_sysreg(SYS_ID_AA64MMFR2_EL1), read_sysreg(SYS_ID_AA64MMFR3_EL1), sw_has_bti);
}

static void run_case(const struct entry_case *c)
{
	static const uint64_t btype[] = {0, 1, 2}; /* SW_BRANCH_NONE, _BR, _BLR (D8.5) */
	const struct knob *k = &knobs[c->knob];
	const struct sw_probe *probe = sw_probe_get(c->access, c->branch);
	uint64_t addr = sw_target(c->access, c->ctx, c->mmu, c->src == SRC_UNASSIGNED);
	uint64_t page =
		c->src == SRC_UNASSIGNED ? SW_GUEST_UNASSIGNED_PA : sw_victim_page(c->access);
	uint64_t sctlr_mask = SCTLR_SPAN | SCTLR_DSSBS;
	uint64_t saved_sctlr = read_sysreg(sctlr_el1);
	uint64_t pre, readback = 0, sctlr;
	struct sw_run_ctx run;
	struct sw_exc_record rec;
	unsigned n = ++ncases;
	int taken;

	run.spsr = sw_ctx_mode(c->ctx) | k->pstate;
	/* PSTATE.TCO exists only with FEAT_MTE (-M virt,mte=on). */
	if (!(sw_pstate_features & SW_PSTATE_HAS_TCO))
		run.spsr &= ~PSR_TCO;
	run.sp_el0 = sw_ctx_stack(c->ctx);
	pre = run.spsr | (sw_has_bti ? btype[c->branch] << PSR_BTYPE_SHIFT : 0);

	sctlr = (saved_sctlr & ~sctlr_mask) | k->sctlr;
	write_sysreg(sctlr_el1, sctlr);
	isb();
	if (c->ctx != SW_CTX_EL0) {
		GUEST_ASSERT_EQ(sw_run(&run, sw_probe_pstate, sw_pstate_features, &rec), 0);
		readback = sw_pstate_readback;
	}
	if (c->src == SRC_POISON)
		GUEST_ASSERT_EQ(sw_injector_command(SW_INJ_POISON, page), 0);
	taken = sw_run(&run, probe->fn, addr, &rec);
	if (c->src == SRC_POISON)
		GUEST_ASSERT_EQ(sw_injector_command(SW_INJ_UNPOISON, page), 0);
	write_sysreg(sctlr_el1, saved_sctlr);
	isb();

	sw_printf("REC %u case ctx=%d access=%d branch=%d src=%d mmu=%d knob=%u", n, c->ctx,
		  c->access, c->branch, c->src, c->mmu, c->knob);
	sw_printf("REC %u pre addr=0x%lx pc=0x%lx pstate=0x%lx readback=0x%lx vbar=0x%lx "
		  "sctlr=0x%lx",
		  n, addr, probe->insn ? probe->insn : addr, pre, readback, read_sysreg(vbar_el1),
		  sctlr);
	sw_printf("REC %u exc taken=%d kind=%lu vector=0x%lx esr=0x%lx far=0x%lx elr=0x%lx "
		  "spsr=0x%lx pstate=0x%lx valid=0x%lx",
		  n, taken, rec.kind, rec.vector, rec.esr, rec.far, rec.elr, rec.spsr, rec.pstate,
		  rec.pstate_valid);
}

/* Every context, access and source once, branch and knob varying with them. */
static void run_matrix(int mmu, unsigned *i)
{
	for (int src = SRC_POISON; src <= SRC_UNASSIGNED; src++) {
		for (int ctx = SW_CTX_EL1H; ctx <= SW_CTX_EL0; ctx++) {
			for (int access = SW_ACCESS_LOAD; access <= SW_ACCESS_FETCH; access++) {
				struct entry_case c = {ctx, access, (int)(*i % 3),
						       src, mmu,    *i % NKNOBS};

				run_case(&c);
				++*i;
			}
		}
	}
}

void guest_main(void)
{
	unsigned i = 0;

	report_ids();
	sw_victim_fill();
	run_matrix(0, &i);
	sw_mmu_enable();
	run_matrix(1, &i);
	/* Every knob from every context, on a poisoned load through the MMU. */
	for (int ctx = SW_CTX_EL1H; ctx <= SW_CTX_EL0; ctx++) {
		for (unsigned k = 0; k < NKNOBS; k++) {
			struct entry_case c = {ctx, SW_ACCESS_LOAD, (int)(k % 3), SRC_POISON, 1, k};

			run_case(&c);
		}
	}
	sw_printf("COUNT %u", ncases);
}
