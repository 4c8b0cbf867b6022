/* SPDX-License-Identifier: MIT */
/*
 * Deliver an abort to a vCPU between two KVM_RUN calls: either KVM's own
 * KVM_SET_VCPU_EVENTS ext_dabt_pending (data aborts only; KVM builds the ESR
 * itself, "DFSC 0x10" with no EA, WnR or SET), its ext_{d,i}abt_pending with
 * ext_abt_esr on a kernel with seawall's series (docs/kernel.md: any abort, the
 * ISS as given), or the exact exception entry of
 * lib/exception.c written with KVM_SET_ONE_REG, which api.rst allows ("Userspace
 * may also emulate the SEA to VM by itself using the KVM_SET_ONE_REG API").
 *
 * Hot path: no allocation, no lock, a fixed and documented number of ioctls.
 */
#include <errno.h>
#include <string.h>

#include <seawall/inject.h>

#include "arm64.h"
#include "compiler.h"
#include "kvm_uapi.h"
#include "vcpu.h"

SW_EXPORT const char *sw_inject_strategy_name(enum sw_inject_strategy strategy)
{
	switch (strategy) {
	case SW_INJECT_AUTO:
		return "auto";
	case SW_INJECT_EXT_DABT:
		return "ext_dabt";
	case SW_INJECT_ONE_REG:
		return "one_reg";
	case SW_INJECT_EXT_ABT:
		return "ext_abt";
	}
	return "invalid";
}

/*
 * KVM's ext_dabt_pending is exact only for what it can express: DFSC 0x10 and
 * nothing else in the ISS, the FAR of the last exit, and a vCPU whose PSTATE
 * rules KVM's enter_exception64() (arch/arm64/kvm/hyp/exception.c) applies:
 * it does not set ALLINT (FEAT_NMI), EXLOCK (FEAT_GCS) or PM (FEAT_EBEP).
 */
static bool kvm_entry_exact(const struct sw_vcpu *vcpu, const struct sw_abort *abt)
{
	const struct sw_vcpu_features *f = &vcpu->features;

	return abt->far_from_exit && !f->nmi && !f->gcs && !f->ebep;
}

static bool ext_dabt_exact(const struct sw_vcpu *vcpu, const struct sw_abort *abt)
{
	return vcpu->has_ext_dabt && abt->type == SW_ABORT_DATA && abt->iss == A64_FSC_SEA &&
	       kvm_entry_exact(vcpu, abt);
}

/*
 * With ext_abt_esr KVM reports the ISS as given and derives EC and IL from the
 * vCPU's mode as sw_exception_entry() does, so only the entry itself limits it.
 */
static bool ext_abt_exact(const struct sw_vcpu *vcpu, const struct sw_abort *abt)
{
	return vcpu->has_ext_iabt && kvm_entry_exact(vcpu, abt);
}

static int fail(const char **reason, const char *why, int err)
{
	if (reason)
		*reason = why;
	return err;
}

static int inject_ext_dabt(struct sw_vcpu *vcpu, struct sw_inject_result *res, const char **reason)
{
	struct sw_kvm_vcpu_events events;
	int ret;

	/* Everything else zero: no SError, and KVM rejects non-zero padding. */
	memset(&events, 0, sizeof(events));
	events.exception.ext_dabt_pending = 1;
	res->ioctls++;
	ret = sw_kvm_ioctl(vcpu->fd, SW_KVM_SET_VCPU_EVENTS, &events);
	if (ret < 0)
		return fail(reason, "KVM_SET_VCPU_EVENTS(ext_dabt_pending) failed", ret);
	return 0;
}

static int inject_ext_abt(struct sw_vcpu *vcpu, const struct sw_abort *abt,
			  struct sw_inject_result *res, const char **reason)
{
	struct sw_kvm_vcpu_events events;
	int ret;

	memset(&events, 0, sizeof(events));
	if (abt->type == SW_ABORT_INSN)
		events.exception.ext_iabt_pending = 1;
	else
		events.exception.ext_dabt_pending = 1;
	events.exception.ext_abt_has_esr = 1;
	events.exception.ext_abt_esr = abt->iss;
	res->ioctls++;
	ret = sw_kvm_ioctl(vcpu->fd, SW_KVM_SET_VCPU_EVENTS, &events);
	if (ret < 0)
		return fail(reason, "KVM_SET_VCPU_EVENTS(ext_abt_esr) failed", ret);
	return 0;
}

struct reg_io {
	uint64_t id;
	uint64_t *value;
	const char *failure;
};

static int inject_one_reg(struct sw_vcpu *vcpu, const struct sw_abort *abt,
			  struct sw_inject_result *res, const char **reason)
{
	struct sw_exception_entry *e = &res->entry;
	struct sw_vcpu_state st = {0};
	const struct reg_io reads[] = {
		{SW_KVM_REG_PSTATE, &st.pstate, "KVM_GET_ONE_REG(PSTATE) failed"},
		{SW_KVM_REG_PC, &st.pc, "KVM_GET_ONE_REG(PC) failed"},
		{SW_KVM_REG_VBAR_EL1, &st.vbar_el1, "KVM_GET_ONE_REG(VBAR_EL1) failed"},
		{SW_KVM_REG_SCTLR_EL1, &st.sctlr_el1, "KVM_GET_ONE_REG(SCTLR_EL1) failed"},
	};
	const struct reg_io writes[] = {
		{SW_KVM_REG_SPSR_EL1, &e->spsr_el1,
		 "KVM_SET_ONE_REG(SPSR_EL1) failed: nothing else was written"},
		{SW_KVM_REG_ELR_EL1, &e->elr_el1,
		 "KVM_SET_ONE_REG(ELR_EL1) failed after SPSR_EL1: stop the VM"},
		{SW_KVM_REG_ESR_EL1, &e->esr_el1,
		 "KVM_SET_ONE_REG(ESR_EL1) failed after SPSR_EL1, ELR_EL1: stop the VM"},
		{SW_KVM_REG_FAR_EL1, &e->far_el1,
		 "KVM_SET_ONE_REG(FAR_EL1) failed after SPSR_EL1, ELR_EL1, ESR_EL1: stop the VM"},
		{SW_KVM_REG_PSTATE, &e->pstate,
		 "KVM_SET_ONE_REG(PSTATE) failed after the EL1 exception registers: stop the VM"},
		{SW_KVM_REG_PC, &e->pc,
		 "KVM_SET_ONE_REG(PC) failed after PSTATE: the vCPU is inconsistent, stop the VM"},
	};
	unsigned int mode;
	int ret;

	for (size_t i = 0; i < SW_ARRAY_SIZE(reads); i++) {
		res->ioctls++;
		ret = sw_kvm_get_reg(vcpu->fd, reads[i].id, reads[i].value);
		if (ret)
			return fail(reason, reads[i].failure, ret);
	}
	/* GetCurrentEXLOCKEN() reads GCSCR_EL1 for an abort from EL1 only. */
	mode = (unsigned int)(st.pstate & (A64_PSR_NRW | A64_PSR_M_MASK));
	if (vcpu->features.gcs && (mode == A64_MODE_EL1T || mode == A64_MODE_EL1H)) {
		res->ioctls++;
		ret = sw_kvm_get_reg(vcpu->fd, SW_KVM_REG_GCSCR_EL1, &st.gcscr_el1);
		if (ret)
			return fail(reason, "KVM_GET_ONE_REG(GCSCR_EL1) failed", ret);
	}

	ret = sw_exception_entry(e, &st, &vcpu->features, abt, reason);
	if (ret)
		return ret;

	for (size_t i = 0; i < SW_ARRAY_SIZE(writes); i++) {
		if (writes[i].id == SW_KVM_REG_FAR_EL1 && !e->write_far)
			continue; /* FnV: FAR_EL1 is UNKNOWN, leave the guest's alone */
		res->ioctls++;
		ret = sw_kvm_set_reg(vcpu->fd, writes[i].id, *writes[i].value);
		if (ret)
			return fail(reason, writes[i].failure, ret);
	}
	return 0;
}

SW_EXPORT int sw_inject(struct sw_vcpu *vcpu, const struct sw_abort *abt,
			enum sw_inject_strategy strategy, struct sw_inject_result *result,
			const char **reason)
{
	struct sw_inject_result local;
	struct sw_inject_result *res = result ? result : &local;
	int ret;

	memset(res, 0, sizeof(*res));
	if (!vcpu || !abt)
		return fail(reason, "no vCPU or no abort (NULL)", -EINVAL);
	ret = sw_abort_check(abt, &vcpu->features, reason);
	if (ret)
		return ret;

	switch (strategy) {
	case SW_INJECT_AUTO:
		if (ext_abt_exact(vcpu, abt))
			strategy = SW_INJECT_EXT_ABT;
		else if (ext_dabt_exact(vcpu, abt))
			strategy = SW_INJECT_EXT_DABT;
		else
			strategy = SW_INJECT_ONE_REG;
		break;
	case SW_INJECT_EXT_DABT:
		if (abt->type != SW_ABORT_DATA)
			return fail(reason,
				    "KVM_SET_VCPU_EVENTS injects only data aborts: an instruction "
				    "abort needs SW_INJECT_ONE_REG",
				    -EINVAL);
		if (!vcpu->has_ext_dabt)
			return fail(reason, "KVM_CAP_ARM_INJECT_EXT_DABT is not available",
				    -EOPNOTSUPP);
		break;
	case SW_INJECT_ONE_REG:
		break;
	case SW_INJECT_EXT_ABT:
		if (!vcpu->has_ext_iabt)
			return fail(
				reason,
				"KVM_CAP_ARM_INJECT_EXT_IABT is not available: it needs seawall's "
				"kernel series (docs/kernel.md); use SW_INJECT_ONE_REG",
				-EOPNOTSUPP);
		break;
	default:
		return fail(reason, "unknown injection strategy", -EINVAL);
	}

	res->strategy = strategy;
	if (strategy == SW_INJECT_EXT_DABT)
		return inject_ext_dabt(vcpu, res, reason);
	if (strategy == SW_INJECT_EXT_ABT)
		return inject_ext_abt(vcpu, abt, res, reason);
	return inject_one_reg(vcpu, abt, res, reason);
}
