// SPDX-License-Identifier: MIT
/*
 * The exception handler behind vectors.S, and sw_run().
 *
 * While a body runs under sw_run(), the first exception it takes is
 * recorded -- the vector offset, ESR_EL1, FAR_EL1, ELR_EL1, SPSR_EL1 and
 * PSTATE at handler entry -- and execution resumes in sw_run()'s caller.
 * Nothing else may take an exception: that is reported as a guest failure
 * with the syndrome, so a broken guest says what broke.
 */
#include "guest.h"
#include "run.h"
#include "sysreg.h"

/* The registers vectors.S saved, x0..x30. */
struct exc_frame {
	uint64_t x[31];
	uint64_t pad;
};

void sw_exc_handle(uint64_t vector, uint64_t nzcv, struct exc_frame *frame);

static struct sw_exc_record *run_rec;
static int run_active;
static uint64_t run_return_spsr;

static const uint64_t ctx_mode[] = {
	[SW_CTX_EL1H] = PSR_MODE_EL1H,
	[SW_CTX_EL1T] = PSR_MODE_EL1T,
	[SW_CTX_EL0] = PSR_MODE_EL0T,
};

/* A body's own stack: EL0's is the EL0 page, EL1t's lives in .bss. */
static uint8_t el1t_stack[4096] __attribute__((aligned(16)));

uint64_t sw_ctx_mode(int ctx)
{
	return ctx_mode[ctx];
}

uint64_t sw_ctx_stack(int ctx)
{
	if (ctx == SW_CTX_EL0)
		return SW_GUEST_EL0_STACK + 4096;
	return (uint64_t)(el1t_stack + sizeof(el1t_stack));
}

int sw_run(const struct sw_run_ctx *ctx, void (*fn)(uint64_t), uint64_t arg,
	   struct sw_exc_record *rec)
{
	*rec = (struct sw_exc_record){0};
	run_rec = rec;
	/* Back in EL1h with the caller's DAIF; PAN, UAO, DIT, SSBS, TCO clear. */
	run_return_spsr = read_sysreg(SYS_DAIF) | PSR_MODE_EL1H;
	run_active = 1;
	return (int)sw_run_enter(ctx->spsr, ctx->sp_el0, fn, arg);
}

/* PSTATE now, in SPSR layout, from the PSTATE-field registers. */
static uint64_t pstate_at_entry(uint64_t nzcv)
{
	uint64_t p = nzcv & (PSR_N | PSR_Z | PSR_C | PSR_V);

	/* M[3:0] is EL in [3:2] and SP selection in [0] (C5.2.18). */
	p |= (read_sysreg(SYS_CURRENTEL) & 0xc) | (read_sysreg(SYS_SPSEL) & 1);
	p |= read_sysreg(SYS_DAIF) & PSR_DAIF;
	if (sw_pstate_features & SW_PSTATE_HAS_PAN)
		p |= read_sysreg(SYS_PAN) & PSR_PAN;
	if (sw_pstate_features & SW_PSTATE_HAS_UAO)
		p |= read_sysreg(SYS_UAO) & PSR_UAO;
	if (sw_pstate_features & SW_PSTATE_HAS_DIT)
		p |= read_sysreg(SYS_DIT) & PSR_DIT;
	if (sw_pstate_features & SW_PSTATE_HAS_SSBS)
		p |= read_sysreg(SYS_SSBS) & PSR_SSBS;
	if (sw_pstate_features & SW_PSTATE_HAS_TCO)
		p |= read_sysreg(SYS_TCO) & PSR_TCO;
	if (sw_pstate_features & SW_PSTATE_HAS_ALLINT)
		p |= read_sysreg(SYS_ALLINT) & PSR_ALLINT;
	return p;
}

static void resume_caller(struct exc_frame *frame, uint64_t result)
{
	write_sysreg(elr_el1, (uint64_t)sw_run_resume);
	write_sysreg(spsr_el1, run_return_spsr);
	frame->x[0] = result;
	run_active = 0;
}

void sw_exc_handle(uint64_t vector, uint64_t nzcv, struct exc_frame *frame)
{
	/* Read PSTATE first: nothing compiled below writes these fields. */
	uint64_t pstate = pstate_at_entry(nzcv);
	uint64_t esr = read_sysreg(esr_el1);
	uint64_t far = read_sysreg(far_el1);
	uint64_t elr = read_sysreg(elr_el1);
	uint64_t spsr = read_sysreg(spsr_el1);
	/* Bits [8:7] of the offset say which exception (D1.3.1, Table D1-5). */
	static const uint64_t kinds[] = {SW_EXC_SYNC, SW_EXC_IRQ, SW_EXC_FIQ, SW_EXC_SERROR};
	uint64_t kind = kinds[(vector >> 7) & 3];

	if (run_active && kind == SW_EXC_SYNC && ESR_EC(esr) == ESR_EC_SVC64 &&
	    (esr & 0xffff) == SW_SVC_RETURN) {
		resume_caller(frame, 0);
		return;
	}
	if (run_active) {
		*run_rec = (struct sw_exc_record){
			.kind = kind,
			.vector = vector,
			.esr = esr,
			.far = far,
			.elr = elr,
			.spsr = spsr,
			.pstate = pstate,
			.pstate_valid = sw_pstate_features,
		};
		resume_caller(frame, 1);
		return;
	}
	GUEST_FAIL("unexpected exception: vector 0x%lx ESR_EL1 0x%lx FAR_EL1 0x%lx ELR_EL1 0x%lx "
		   "SPSR_EL1 0x%lx",
		   vector, esr, far, elr, spsr);
}
