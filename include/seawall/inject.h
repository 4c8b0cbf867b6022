/* SPDX-License-Identifier: MIT */
/*
 * seawall/inject.h - deliver a synchronous external abort to an arm64 guest.
 *
 * Two layers:
 *   - sw_exception_entry(): pure.  From the vCPU state before the abort and
 *     its features, compute exactly what the Arm ARM's AArch64.TakeException()
 *     does for a synchronous Data or Instruction Abort taken to EL1 (DDI 0487,
 *     "Exception entry"): the vector, ESR_EL1, FAR_EL1, ELR_EL1, SPSR_EL1 and
 *     the new PSTATE.
 *   - struct sw_vcpu and sw_inject(): the KVM ioctls.  The handle is set up
 *     once, off the hot path (ID registers, capabilities); sw_inject() runs on
 *     the vCPU thread between KVM_RUN calls, allocates nothing, takes no lock
 *     and issues the minimum number of ioctls for the strategy it picks.
 *
 * docs/decode.md explains how a VMM chains decode and injection.
 */
#ifndef SEAWALL_INJECT_H
#define SEAWALL_INJECT_H

#include <stdbool.h>
#include <stdint.h>

#include <seawall/sea.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ID registers that decide how exception entry changes PSTATE. */
struct sw_id_regs {
	uint64_t pfr0;	/* ID_AA64PFR0_EL1 */
	uint64_t pfr1;	/* ID_AA64PFR1_EL1 */
	uint64_t dfr1;	/* ID_AA64DFR1_EL1 */
	uint64_t mmfr1; /* ID_AA64MMFR1_EL1 */
	uint64_t mmfr2; /* ID_AA64MMFR2_EL1 */
};

/* The vCPU features that change an abort taken to EL1 (and its syndrome). */
struct sw_vcpu_features {
	bool ras;  /* FEAT_RAS, PFR0.RAS: ESR.SET is reported; parity FSCs are not used */
	bool pan;  /* FEAT_PAN, MMFR1.PAN: PSTATE.PAN set when SCTLR_EL1.SPAN is 0 */
	bool uao;  /* FEAT_UAO, MMFR2.UAO: PSTATE.UAO cleared */
	bool ssbs; /* FEAT_SSBS, PFR1.SSBS: PSTATE.SSBS = SCTLR_EL1.DSSBS */
	bool mte;  /* FEAT_MTE, PFR1.MTE: PSTATE.TCO set */
	bool bti;  /* FEAT_BTI, PFR1.BT: PSTATE.BTYPE cleared */
	bool dit;  /* FEAT_DIT, PFR0.DIT: PSTATE.DIT unchanged (no rule to apply) */
	bool nmi;  /* FEAT_NMI, PFR1.NMI: PSTATE.ALLINT = NOT SCTLR_EL1.SPINTMASK */
	bool gcs;  /* FEAT_GCS, PFR1.GCS: PSTATE.EXLOCK = GCSCR_EL1.EXLOCKEN from EL1, else 0 */
	bool ebep; /* FEAT_EBEP, DFR1.EBEP: PSTATE.PM set */
};

/*
 * sw_vcpu_features_from_id_regs - derive the features from ID register values
 * (each feature is its 4-bit field >= 1).
 *
 * Returns 0, or -EINVAL if @features or @id is NULL.
 */
int sw_vcpu_features_from_id_regs(struct sw_vcpu_features *features, const struct sw_id_regs *id);

/* The vCPU state before the abort, as KVM_GET_ONE_REG reports it. */
struct sw_vcpu_state {
	uint64_t pc;	 /* address of the instruction that took the abort */
	uint64_t pstate; /* PSTATE in SPSR_ELx format (struct kvm_regs.regs.pstate) */
	uint64_t vbar_el1;
	uint64_t sctlr_el1;
	uint64_t gcscr_el1; /* used only with FEAT_GCS for an abort from EL1 */
};

/* What to inject. */
struct sw_abort {
	enum sw_abort_type type; /* SW_ABORT_DATA or SW_ABORT_INSN */
	/*
	 * ESR_EL1.ISS: DFSC/IFSC, WnR and CM (data aborts only), EA, FnV and
	 * SET; every other bit must be 0 (sw_abort_check() lists the rules).
	 */
	uint32_t iss;
	uint64_t far;	    /* FAR_EL1; not written when ISS.FnV is set */
	bool far_from_exit; /* @far is the faulting address of the vCPU's last exit */
};

/*
 * sw_abort_from_sea - the abort to give the guest for a KVM_EXIT_ARM_SEA: the
 * exit's ISS (FnV, EA, SET, WnR, CM, FSC; S1PTW cleared, since the guest has
 * no stage 2), the exit's type, FAR = gva.  EC and IL are set at injection,
 * from the guest's EL.
 *
 * Returns 0, or -EINVAL (with @reason) if @abt or @sea is NULL or @sea is not
 * from a KVM exit (a SIGBUS does not say whether the guest loaded, stored or
 * fetched, and a bare ESR carries no address: build the abort yourself).
 */
int sw_abort_from_sea(struct sw_abort *abt, const struct sw_sea *sea, const char **reason);

/*
 * sw_abort_check - is @abt an abort the Arm ARM lets a vCPU with @features
 * take at EL1?  Rules: type is data or insn; ISS has only FSC, EA, FnV, SET,
 * and (data) WnR and CM; FSC is an external abort code (0x10, 0x12-0x18,
 * 0x1b-0x1f); no parity/ECC codes with FEAT_RAS; S1PTW clear (it reports a
 * stage 2 fault, which an abort taken to EL1 is not); FnV and SET only with
 * FSC 0x10; SET only with FEAT_RAS, never the reserved 0b01; CM only with
 * WnR ("cache maintenance ... this bit always returns a value of 1").
 *
 * Returns 0, or -EINVAL with a static @reason naming the rule.
 */
int sw_abort_check(const struct sw_abort *abt, const struct sw_vcpu_features *features,
		   const char **reason);

/* The architectural result of taking the abort. */
struct sw_exception_entry {
	uint64_t pc;	   /* VBAR_EL1[63:11] : vector offset */
	uint64_t pstate;   /* the new PSTATE, SPSR format (EL1h) */
	uint64_t spsr_el1; /* the old PSTATE */
	uint64_t elr_el1;  /* the faulting PC */
	uint64_t esr_el1;  /* EC for the guest's EL, IL = 1, the abort's ISS */
	uint64_t far_el1;  /* valid only when write_far */
	bool write_far;	   /* false when FnV: FAR_EL1 is UNKNOWN and left alone */
	uint16_t vector;   /* 0x000 (EL1t), 0x200 (EL1h), 0x400 (EL0, AArch64) */
};

/*
 * sw_exception_entry - compute AArch64.TakeException() for @abt taken to EL1
 * from @state.  BTYPE is kept in SPSR_EL1 for data aborts too (the Arm ARM
 * makes zeroing it CONSTRAINED UNPREDICTABLE there; keeping it is what QEMU
 * and KVM do).  PSTATE.DIT is unchanged, as the Arm ARM says (QEMU 7.2
 * clears it).  PACM, PPEND and UINJ are cleared whatever the ID registers
 * say: exception entry clears them when their feature exists, and they are
 * RES0 when it does not.
 *
 * Returns 0; -EOPNOTSUPP (with @reason) if the vCPU is in AArch32 state
 * (PSTATE.nRW) or in a nested virtual EL2 context (PSTATE.M is EL2t/EL2h);
 * -EINVAL (with @reason) if an argument is NULL, PSTATE.M is not a valid
 * guest mode, or sw_abort_check() rejects @abt.  @out is written only on
 * success.
 */
int sw_exception_entry(struct sw_exception_entry *out, const struct sw_vcpu_state *state,
		       const struct sw_vcpu_features *features, const struct sw_abort *abt,
		       const char **reason);

/* How sw_inject() delivers the abort. */
enum sw_inject_strategy {
	SW_INJECT_AUTO = 0, /* the cheapest strategy that is exact for this abort */
	SW_INJECT_EXT_DABT, /* KVM_SET_VCPU_EVENTS ext_dabt_pending: 1 ioctl, KVM's own ESR */
	SW_INJECT_ONE_REG,  /* sw_exception_entry() written with KVM_SET_ONE_REG */
	/*
	 * KVM_SET_VCPU_EVENTS ext_{d,i}abt_pending with ext_abt_esr = the ISS: 1
	 * ioctl, data or instruction abort, exact syndrome.  Needs
	 * KVM_CAP_ARM_INJECT_EXT_IABT: seawall's kernel series (docs/kernel.md).
	 */
	SW_INJECT_EXT_ABT,
};

/* "auto", "ext_dabt", "one_reg", "ext_abt"; "invalid" outside the enum. */
const char *sw_inject_strategy_name(enum sw_inject_strategy strategy);

/* A vCPU, as sw_inject() needs it.  Filled by sw_vcpu_init(). */
struct sw_vcpu {
	int fd; /* the vCPU file descriptor */
	struct sw_id_regs id;
	struct sw_vcpu_features features;
	bool has_ext_dabt; /* KVM_CAP_ARM_INJECT_EXT_DABT */
	bool has_ext_iabt; /* KVM_CAP_ARM_INJECT_EXT_IABT: seawall's kernel series only */
};

/*
 * sw_vcpu_init - set up @vcpu once, after KVM_ARM_VCPU_INIT and before the
 * first KVM_RUN: KVM_CHECK_EXTENSION of KVM_CAP_ARM_INJECT_EXT_DABT and
 * KVM_CAP_ARM_INJECT_EXT_IABT on @vm_fd and KVM_GET_ONE_REG of the five ID
 * registers of struct sw_id_regs on @vcpu_fd (7 ioctls).
 *
 * Returns 0, -EINVAL if @vcpu is NULL, or the -errno of the failing ioctl
 * (with @reason naming it; -ENOEXEC from KVM_GET_ONE_REG means the vCPU was
 * not initialised).
 */
int sw_vcpu_init(struct sw_vcpu *vcpu, int vm_fd, int vcpu_fd, const char **reason);

/* What sw_inject() did. */
struct sw_inject_result {
	enum sw_inject_strategy strategy; /* the strategy that ran (never AUTO) */
	unsigned int ioctls;		  /* ioctls issued, a failing one included */
	struct sw_exception_entry entry;  /* SW_INJECT_ONE_REG: the values written */
};

/*
 * sw_inject - make the vCPU take @abt when it next runs.  Call it on the
 * vCPU's thread after KVM_RUN returned, before the next KVM_RUN.
 * @strategy: SW_INJECT_AUTO picks KVM's own injection when it is exact for
 *            @abt: the FAR KVM holds for the last exit (@abt->far_from_exit)
 *            and a vCPU without FEAT_NMI, FEAT_GCS or FEAT_EBEP (whose PSTATE
 *            rules KVM's exception entry does not apply); then
 *            SW_INJECT_EXT_ABT if the vCPU has KVM_CAP_ARM_INJECT_EXT_IABT
 *            (any data or instruction abort: KVM takes the ISS as given), else
 *            SW_INJECT_EXT_DABT for a data abort whose ISS is exactly 0x10
 *            (KVM reports DFSC 0x10 and drops EA, WnR, SET and FnV).
 *            Otherwise SW_INJECT_ONE_REG.  Forcing SW_INJECT_EXT_DABT accepts
 *            KVM's ESR for a data abort.  With FnV, SW_INJECT_EXT_ABT writes
 *            the exit's FAR to FAR_EL1 (UNKNOWN then) where ONE_REG leaves it.
 * @result:   if not NULL, what ran and how many ioctls it took.
 *
 * Ioctls: SW_INJECT_EXT_DABT and SW_INJECT_EXT_ABT 1 (KVM_SET_VCPU_EVENTS).
 * SW_INJECT_ONE_REG
 * 10: 4 reads (PSTATE, PC, VBAR_EL1, SCTLR_EL1) and 6 writes (SPSR_EL1,
 * ELR_EL1, ESR_EL1, FAR_EL1, PSTATE, PC, in that order, so the guest-visible
 * PC moves last); 9 with FnV (no FAR_EL1); +1 read of GCSCR_EL1 with
 * FEAT_GCS for an abort from EL1.
 *
 * Returns 0; -EINVAL (with @reason) for a NULL argument, an invalid strategy,
 * an abort sw_abort_check() rejects, or an instruction abort forced through
 * SW_INJECT_EXT_DABT; -EOPNOTSUPP (with @reason) when SW_INJECT_EXT_DABT is
 * forced without KVM_CAP_ARM_INJECT_EXT_DABT or SW_INJECT_EXT_ABT without
 * KVM_CAP_ARM_INJECT_EXT_IABT, or for an AArch32 or nested
 * vEL2 context (see sw_exception_entry()); or the -errno of a failing ioctl
 * (with @reason naming it).  A failing read leaves the vCPU untouched; a
 * failing write leaves it partly written: stop the VM.
 */
int sw_inject(struct sw_vcpu *vcpu, const struct sw_abort *abt, enum sw_inject_strategy strategy,
	      struct sw_inject_result *result, const char **reason);

#ifdef __cplusplus
}
#endif

#endif
