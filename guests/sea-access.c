// SPDX-License-Identifier: MIT
/*
 * sea-access: touch a victim page once -- load, store or instruction
 * fetch; at EL1h, EL1t or EL0; MMU off or on through an alias (gva !=
 * gpa); reached sequentially, by BR or by BLR -- and report whether it
 * completed or what exception it took.  The host poisons the page (or a
 * translation table page) between the two ucalls.  Contract:
 * include/sea_access.h.
 */
#include "guest.h"
#include "sea_access.h"
#include "sysreg.h"

void guest_main(void)
{
	int access = (int)sw_params.args[SEA_ARG_ACCESS];
	int ctx = (int)sw_params.args[SEA_ARG_CTX];
	int mmu = (int)sw_params.args[SEA_ARG_MMU];
	const struct sw_probe *probe = sw_probe_get(access, (int)sw_params.args[SEA_ARG_BRANCH]);
	uint64_t sctlr_mask = SCTLR_SPAN | SCTLR_DSSBS;
	uint64_t sctlr;
	uint64_t target, victim, pc, readback = 0;
	struct sw_run_ctx run;
	struct sw_exc_record rec;
	int taken;

	GUEST_ASSERT(ctx >= SW_CTX_EL1H && ctx <= SW_CTX_EL0);
	sw_victim_fill();
	sctlr = (read_sysreg(sctlr_el1) & ~sctlr_mask) |
		(sw_params.args[SEA_ARG_SCTLR] & sctlr_mask);
	write_sysreg(sctlr_el1, sctlr);
	isb();
	if (mmu)
		sw_mmu_enable();

	target = sw_target(access, ctx, mmu, 0);
	victim = sw_victim_page(access);
	pc = probe->insn ? probe->insn : target;
	run.spsr = sw_ctx_mode(ctx) | PSR_D | PSR_I | PSR_F | sw_params.args[SEA_ARG_PSTATE];
	run.sp_el0 = sw_ctx_stack(ctx);
	*SW_PROBE_RESULT = 0;

	GUEST_SYNC(SEA_STAGE_READY, target, victim, pc, run.spsr, read_sysreg(sctlr_el1));
	taken = sw_run(&run, probe->fn, target, &rec);
	/* Read the target back only if the access went through: it may still be poisoned. */
	if (!taken && access == SW_ACCESS_STORE)
		readback = *(volatile uint64_t *)(victim + SW_GUEST_DATA_OFFSET);
	GUEST_SYNC(SEA_STAGE_RESULT, (uint64_t)taken, (uint64_t)&rec, *SW_PROBE_RESULT, readback);
}
