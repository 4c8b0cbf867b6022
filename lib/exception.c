/* SPDX-License-Identifier: MIT */
/*
 * AArch64 exception entry to EL1 for a synchronous Data or Instruction Abort,
 * computed without touching a vCPU: the pure half of injection.
 *
 * Follows the Arm ARM (DDI 0487) shared pseudocode AArch64.TakeException()
 * and AArch64.ReportException() for target_el == EL1 from EL0 or EL1 in
 * AArch64 state.  What it deliberately leaves out, because it changes no
 * register a VMM writes: IESB error synchronization, TME transaction failure,
 * BRBE records, and MaybeZeroSVEUppers().
 */
#include <errno.h>
#include <stddef.h>

#include <seawall/inject.h>

#include "arm64.h"
#include "compiler.h"

SW_EXPORT int sw_vcpu_features_from_id_regs(struct sw_vcpu_features *f, const struct sw_id_regs *id)
{
	if (!f || !id)
		return -EINVAL;
	/* Each feature is "implemented" from field value 0b0001 up. */
	f->ras = a64_id_field(id->pfr0, A64_ID_PFR0_RAS_SHIFT) >= 1;
	f->dit = a64_id_field(id->pfr0, A64_ID_PFR0_DIT_SHIFT) >= 1;
	f->bti = a64_id_field(id->pfr1, A64_ID_PFR1_BT_SHIFT) >= 1;
	f->ssbs = a64_id_field(id->pfr1, A64_ID_PFR1_SSBS_SHIFT) >= 1;
	f->mte = a64_id_field(id->pfr1, A64_ID_PFR1_MTE_SHIFT) >= 1;
	f->nmi = a64_id_field(id->pfr1, A64_ID_PFR1_NMI_SHIFT) >= 1;
	f->gcs = a64_id_field(id->pfr1, A64_ID_PFR1_GCS_SHIFT) >= 1;
	f->pan = a64_id_field(id->mmfr1, A64_ID_MMFR1_PAN_SHIFT) >= 1;
	f->uao = a64_id_field(id->mmfr2, A64_ID_MMFR2_UAO_SHIFT) >= 1;
	f->ebep = a64_id_field(id->dfr1, A64_ID_DFR1_EBEP_SHIFT) >= 1;
	return 0;
}

static int reject(const char **reason, const char *why, int err)
{
	if (reason)
		*reason = why;
	return err;
}

SW_EXPORT int sw_abort_from_sea(struct sw_abort *abt, const struct sw_sea *sea, const char **reason)
{
	const char *why = NULL;
	uint32_t iss;

	if (!abt || !sea)
		why = "no abort to fill or no decoded SEA (NULL)";
	else if (sea->source != SW_SOURCE_KVM_EXIT)
		why = "only a KVM_EXIT_ARM_SEA says what the guest did and where: for a SIGBUS "
		      "or a bare ESR, fill struct sw_abort yourself";
	else if (sea->type != SW_ABORT_DATA && sea->type != SW_ABORT_INSN)
		why = "the decoded SEA is neither a data nor an instruction abort";
	if (why)
		return reject(reason, why, -EINVAL);

	/* The exit's ISS, field by field; S1PTW stays clear (no stage 2 in the guest). */
	iss = sea->fsc;
	if (sea->ea)
		iss |= A64_ISS_EA;
	if (sea->fnv)
		iss |= A64_ISS_FNV;
	if (sea->set != SW_SET_NONE)
		iss |= (uint32_t)sea->set << A64_ISS_SET_SHIFT;
	if (sea->wnr)
		iss |= A64_ISS_WNR;
	if (sea->cm)
		iss |= A64_ISS_CM;

	abt->type = sea->type;
	abt->iss = iss;
	abt->far = sea->gva_valid ? sea->gva : 0;
	abt->far_from_exit = true;
	return 0;
}

SW_EXPORT int sw_abort_check(const struct sw_abort *abt, const struct sw_vcpu_features *f,
			     const char **reason)
{
	uint32_t allowed =
		A64_ISS_FSC_MASK | A64_ISS_EA | A64_ISS_FNV | A64_ISS_SET_MASK | A64_ISS_S1PTW;
	enum sw_fsc_class cls;
	unsigned int fsc, set;
	int8_t level;

	if (!abt || !f)
		return reject(reason, "no abort or no vCPU features (NULL)", -EINVAL);
	if (abt->type == SW_ABORT_DATA)
		allowed |= A64_ISS_WNR | A64_ISS_CM;
	else if (abt->type != SW_ABORT_INSN)
		return reject(reason, "the abort type must be data or insn", -EINVAL);
	if (abt->iss & ~allowed)
		return reject(reason,
			      abt->type == SW_ABORT_DATA
				      ? "ISS bits other than DFSC, WnR, S1PTW, CM, EA, FnV and SET "
					"are set (ISV, the access syndrome and VNCR are 0 for an "
					"external abort taken to EL1)"
				      : "ISS bits other than IFSC, S1PTW, EA, FnV and SET are set "
					"(an instruction abort has no WnR, CM or access syndrome)",
			      -EINVAL);

	fsc = abt->iss & A64_ISS_FSC_MASK;
	set = (abt->iss & A64_ISS_SET_MASK) >> A64_ISS_SET_SHIFT;
	if (!a64_fsc_classify(fsc, &cls, &level))
		return reject(reason, "the fault status code is not an external abort", -EINVAL);
	if (abt->iss & A64_ISS_S1PTW)
		return reject(reason,
			      "S1PTW reports a stage 2 fault on a stage 1 walk, which an abort "
			      "taken to EL1 cannot be",
			      -EINVAL);
	if (f->ras && (cls == SW_FSC_PARITY || cls == SW_FSC_PARITY_TTW))
		return reject(reason,
			      "parity/ECC fault status codes are not used on a vCPU with FEAT_RAS",
			      -EINVAL);
	if ((abt->iss & A64_ISS_FNV) && fsc != A64_FSC_SEA)
		return reject(reason, "FnV is defined only for FSC 0x10 (RES0 on a table walk)",
			      -EINVAL);
	if (set && (fsc != A64_FSC_SEA || !f->ras))
		return reject(reason, "SET is defined only for FSC 0x10 on a vCPU with FEAT_RAS",
			      -EINVAL);
	if (set == SW_SET_RESERVED)
		return reject(reason, "SET 0b01 is reserved", -EINVAL);
	if ((abt->iss & A64_ISS_CM) && !(abt->iss & A64_ISS_WNR))
		return reject(reason, "a cache maintenance abort (CM) always reports WnR 1",
			      -EINVAL);
	return 0;
}

/*
 * The mode the abort is taken from, or a negative errno.  Only AArch64 EL0t,
 * EL1t and EL1h are emulated.
 */
static int entry_vector(uint64_t pstate, uint16_t *vector, const char **reason)
{
	if (pstate & A64_PSR_NRW)
		return reject(reason,
			      "the vCPU is in AArch32 state (PSTATE.nRW): AArch32 exception entry "
			      "is not emulated",
			      -EOPNOTSUPP);
	switch (pstate & A64_PSR_M_MASK) {
	case A64_MODE_EL0T:
		*vector = A64_VECTOR_LOWER_64;
		return 0;
	case A64_MODE_EL1T:
		*vector = A64_VECTOR_CUR_SP0;
		return 0;
	case A64_MODE_EL1H:
		*vector = A64_VECTOR_CUR_SPX;
		return 0;
	case A64_MODE_EL2T:
	case A64_MODE_EL2H:
		return reject(reason,
			      "the vCPU is in a nested virtual EL2 context (PSTATE.M is EL2t or "
			      "EL2h): exception entry to vEL2 is not emulated",
			      -EOPNOTSUPP);
	case A64_MODE_EL3T:
	case A64_MODE_EL3H:
		return reject(reason, "PSTATE.M is EL3t or EL3h: a guest cannot run at EL3",
			      -EINVAL);
	}
	return reject(reason, "PSTATE.M is not a valid AArch64 mode (M[1] set, or EL0 with SP_ELx)",
		      -EINVAL);
}

/* The PSTATE rules of AArch64.TakeException() for target_el == EL1. */
static uint64_t entry_pstate(const struct sw_vcpu_state *st, const struct sw_vcpu_features *f)
{
	bool from_el1 = (st->pstate & A64_PSR_M_MASK) != A64_MODE_EL0T;
	uint64_t new = st->pstate;

	/* PSTATE.EL = EL1, nRW = 0, SP = 1; SS = 0; DAIF = 1111; IL = 0. */
	new &= ~(A64_PSR_M_MASK | A64_PSR_NRW | A64_PSR_SS | A64_PSR_IL);
	new |= A64_MODE_EL1H | A64_PSR_DAIF;
	if (f->nmi) {
		new &= ~A64_PSR_ALLINT;
		if (!(st->sctlr_el1 & A64_SCTLR_SPINTMASK))
			new |= A64_PSR_ALLINT;
	}
	/* PAN: set on entry to EL1 when SCTLR_EL1.SPAN is 0, else unchanged. */
	if (f->pan && !(st->sctlr_el1 & A64_SCTLR_SPAN))
		new |= A64_PSR_PAN;
	if (f->uao)
		new &= ~A64_PSR_UAO;
	if (f->bti)
		new &= ~A64_PSR_BTYPE;
	if (f->ssbs) {
		new &= ~A64_PSR_SSBS;
		if (st->sctlr_el1 & A64_SCTLR_DSSBS)
			new |= A64_PSR_SSBS;
	}
	if (f->mte)
		new |= A64_PSR_TCO;
	/*
	 * GCS: EXLOCK is GetCurrentEXLOCKEN() (GCSCR_EL1.EXLOCKEN) for an
	 * exception taken from EL1 to EL1, and 0 from a lower EL.
	 */
	if (f->gcs) {
		new &= ~A64_PSR_EXLOCK;
		if (from_el1 && (st->gcscr_el1 & A64_GCSCR_EXLOCKEN))
			new |= A64_PSR_EXLOCK;
	}
	if (f->ebep)
		new |= A64_PSR_PM;
	/* Cleared by entry with FEAT_PAuth_LR / FEAT_SEBEP / FEAT_UINJ, RES0 without. */
	new &= ~(A64_PSR_PACM | A64_PSR_PPEND | A64_PSR_UINJ);
	/* N, Z, C, V, DIT, TCO without MTE, and the rest: unchanged. */
	return new;
}

SW_EXPORT int sw_exception_entry(struct sw_exception_entry *out, const struct sw_vcpu_state *st,
				 const struct sw_vcpu_features *f, const struct sw_abort *abt,
				 const char **reason)
{
	bool lower, data;
	unsigned int ec;
	uint16_t vector;
	int ret;

	if (!out || !st)
		return reject(reason, "no result or no vCPU state (NULL)", -EINVAL);
	ret = entry_vector(st->pstate, &vector, reason);
	if (ret)
		return ret;
	ret = sw_abort_check(abt, f, reason);
	if (ret)
		return ret;

	/* AArch64.ReportException(): EC for the EL taken from, IL = 1 (ISV = 0). */
	lower = vector == A64_VECTOR_LOWER_64;
	data = abt->type == SW_ABORT_DATA;
	if (data)
		ec = lower ? A64_EC_DABT_LOW : A64_EC_DABT_CUR;
	else
		ec = lower ? A64_EC_IABT_LOW : A64_EC_IABT_CUR;
	out->esr_el1 = ((uint64_t)ec << A64_ESR_EC_SHIFT) | A64_ESR_IL | abt->iss;
	/* FAR is UNKNOWN when FnV is set: leave the guest's FAR_EL1 alone. */
	out->write_far = !(abt->iss & A64_ISS_FNV);
	out->far_el1 = out->write_far ? abt->far : 0;

	out->vector = vector;
	out->elr_el1 = st->pc;
	out->spsr_el1 = st->pstate;
	out->pstate = entry_pstate(st, f);
	/* BranchTo(VBAR_EL1<63:11>:vect_offset<10:0>). */
	out->pc = (st->vbar_el1 & ~0x7ffULL) | vector;
	return 0;
}
