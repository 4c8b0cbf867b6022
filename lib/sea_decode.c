/* SPDX-License-Identifier: MIT */
/*
 * Decode synchronous external aborts from a KVM_EXIT_ARM_SEA record, a raw
 * ESR, a SIGBUS siginfo, or an access to a fenced page, into struct sw_sea.
 *
 * Encodings: Arm ARM (DDI 0487), ESR_EL1, "ISS encoding for an exception from
 * a Data Abort" and "... from an Instruction Abort"; the KVM exit is
 * Documentation/virt/kvm/api.rst, KVM_EXIT_ARM_SEA.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include <seawall/sea.h>

#include "arm64.h"
#include "compiler.h"
#include "kvm_uapi.h"

/*
 * Why an EC is not an abort, one static string per value (ESR_EL1.EC table).
 * The four abort classes have no entry.
 */
#define EC_REASON(v, what) [v] = "EC " #v " is " what ", not an abort"
#define EC_OTHER(v)	   [v] = "EC " #v " is not an abort"
static const char *const ec_reasons[64] = {
	EC_REASON(0x00, "an exception with an unknown reason"),
	EC_REASON(0x01, "a trapped WFI or WFE"),
	EC_REASON(0x02, "unallocated"),
	EC_REASON(0x03, "a trapped AArch32 MCR or MRC (coproc 15)"),
	EC_REASON(0x04, "a trapped AArch32 MCRR or MRRC (coproc 15)"),
	EC_REASON(0x05, "a trapped AArch32 MCR or MRC (coproc 14)"),
	EC_REASON(0x06, "a trapped AArch32 LDC or STC"),
	EC_REASON(0x07, "a trapped SVE, Advanced SIMD or floating-point access"),
	EC_REASON(0x08, "a trapped AArch32 VMRS"),
	EC_REASON(0x09, "a trapped pointer authentication instruction"),
	EC_REASON(0x0a, "a trapped LD64B or ST64B"),
	EC_REASON(0x0b, "unallocated"),
	EC_REASON(0x0c, "a trapped AArch32 MRRC (coproc 14)"),
	EC_REASON(0x0d, "a branch target exception"),
	EC_REASON(0x0e, "an illegal execution state"),
	EC_REASON(0x0f, "unallocated"),
	EC_REASON(0x10, "unallocated"),
	EC_REASON(0x11, "an AArch32 SVC"),
	EC_REASON(0x12, "an AArch32 HVC"),
	EC_REASON(0x13, "an AArch32 SMC"),
	EC_REASON(0x14, "unallocated"),
	EC_REASON(0x15, "an SVC"),
	EC_REASON(0x16, "an HVC"),
	EC_REASON(0x17, "an SMC"),
	EC_REASON(0x18, "a trapped MSR, MRS or system instruction"),
	EC_REASON(0x19, "a trapped SVE access"),
	EC_REASON(0x1a, "a trapped ERET"),
	EC_REASON(0x1b, "a TSTART exception"),
	EC_REASON(0x1c, "a pointer authentication failure"),
	EC_REASON(0x1d, "a trapped SME access"),
	EC_REASON(0x1e, "unallocated"),
	EC_REASON(0x1f, "an IMPLEMENTATION DEFINED exception to EL3"),
	EC_REASON(0x22, "a PC alignment fault"),
	EC_REASON(0x23, "unallocated"),
	EC_REASON(0x26, "an SP alignment fault"),
	EC_REASON(0x27, "a memory copy or set exception"),
	EC_REASON(0x28, "an AArch32 floating-point exception"),
	EC_REASON(0x29, "unallocated"),
	EC_REASON(0x2a, "unallocated"),
	EC_REASON(0x2b, "unallocated"),
	EC_REASON(0x2c, "a floating-point exception"),
	EC_REASON(0x2d, "a guarded control stack exception"),
	EC_REASON(0x2e, "unallocated"),
	EC_REASON(0x2f, "an SError"),
	EC_REASON(0x30, "a breakpoint from a lower EL"),
	EC_REASON(0x31, "a breakpoint at the current EL"),
	EC_REASON(0x32, "a software step from a lower EL"),
	EC_REASON(0x33, "a software step at the current EL"),
	EC_REASON(0x34, "a watchpoint from a lower EL"),
	EC_REASON(0x35, "a watchpoint at the current EL"),
	EC_REASON(0x36, "unallocated"),
	EC_REASON(0x37, "unallocated"),
	EC_REASON(0x38, "an AArch32 BKPT"),
	EC_REASON(0x39, "unallocated"),
	EC_REASON(0x3a, "an AArch32 vector catch"),
	EC_REASON(0x3b, "unallocated"),
	EC_REASON(0x3c, "a BRK"),
	EC_OTHER(0x3d),
	EC_REASON(0x3e, "unallocated"),
	EC_REASON(0x3f, "unallocated"),
};

/*
 * Why a fault status code is not an external abort: [fsc][0] for a data
 * abort (DFSC), [fsc][1] for an instruction abort (IFSC).  The SEA codes have
 * no entry.  Codes whose meaning depends on optional features are named only
 * as "not an external abort".
 */
#define FSC_REASON(v, dwhat, iwhat)                                                                \
	[v] = {"DFSC " #v " is " dwhat ", not an external abort",                                  \
	       "IFSC " #v " is " iwhat ", not an external abort"}
#define FSC_SAME(v, what) FSC_REASON(v, what, what)
#define FSC_OTHER(v)	  FSC_SAME(v, "another fault")
static const char *const fsc_reasons[64][2] = {
	FSC_SAME(0x00, "an address size fault"),
	FSC_SAME(0x01, "an address size fault"),
	FSC_SAME(0x02, "an address size fault"),
	FSC_SAME(0x03, "an address size fault"),
	FSC_SAME(0x04, "a translation fault"),
	FSC_SAME(0x05, "a translation fault"),
	FSC_SAME(0x06, "a translation fault"),
	FSC_SAME(0x07, "a translation fault"),
	FSC_SAME(0x08, "an access flag fault"),
	FSC_SAME(0x09, "an access flag fault"),
	FSC_SAME(0x0a, "an access flag fault"),
	FSC_SAME(0x0b, "an access flag fault"),
	FSC_SAME(0x0c, "a permission fault"),
	FSC_SAME(0x0d, "a permission fault"),
	FSC_SAME(0x0e, "a permission fault"),
	FSC_SAME(0x0f, "a permission fault"),
	FSC_REASON(0x11, "a synchronous tag check fault", "reserved"),
	FSC_SAME(0x19, "reserved"),
	FSC_SAME(0x1a, "reserved"),
	FSC_SAME(0x20, "reserved"),
	FSC_REASON(0x21, "an alignment fault", "reserved"),
	FSC_OTHER(0x22),
	FSC_OTHER(0x23),
	FSC_OTHER(0x24),
	FSC_OTHER(0x25),
	FSC_OTHER(0x26),
	FSC_OTHER(0x27),
	FSC_OTHER(0x28),
	FSC_OTHER(0x29),
	FSC_OTHER(0x2a),
	FSC_OTHER(0x2b),
	FSC_OTHER(0x2c),
	FSC_OTHER(0x2d),
	FSC_OTHER(0x2e),
	FSC_OTHER(0x2f),
	FSC_SAME(0x30, "a TLB conflict abort"),
	FSC_REASON(0x31, "an unsupported atomic hardware update fault", "reserved"),
	FSC_OTHER(0x32),
	FSC_OTHER(0x33),
	FSC_SAME(0x34, "an IMPLEMENTATION DEFINED fault (lockdown)"),
	FSC_REASON(0x35, "an IMPLEMENTATION DEFINED fault (unsupported exclusive or atomic)",
		   "reserved"),
	FSC_OTHER(0x36),
	FSC_OTHER(0x37),
	FSC_OTHER(0x38),
	FSC_OTHER(0x39),
	FSC_OTHER(0x3a),
	FSC_OTHER(0x3b),
	FSC_OTHER(0x3c),
	FSC_OTHER(0x3d),
	FSC_OTHER(0x3e),
	FSC_OTHER(0x3f),
};

static int fail(struct sw_sea *sea, const char **reason, const char *why, int err)
{
	if (sea)
		memset(sea, 0, sizeof(*sea));
	if (reason)
		*reason = why;
	return err;
}

/* Decode the syndrome of @esr into @sea (source left to the caller). */
static int decode_esr(struct sw_sea *sea, uint64_t esr, const char **reason)
{
	unsigned int ec = A64_ESR_EC(esr);
	unsigned int iss = (unsigned int)(esr & A64_ESR_ISS_MASK);
	unsigned int fsc = iss & A64_ISS_FSC_MASK;
	bool data;

	switch (ec) {
	case A64_EC_DABT_LOW:
	case A64_EC_DABT_CUR:
		data = true;
		break;
	case A64_EC_IABT_LOW:
	case A64_EC_IABT_CUR:
		data = false;
		break;
	default:
		return fail(sea, reason, ec_reasons[ec], -EINVAL);
	}

	memset(sea, 0, sizeof(*sea));
	if (!a64_fsc_classify(fsc, &sea->fsc_class, &sea->level))
		return fail(sea, reason, fsc_reasons[fsc][data ? 0 : 1], -EINVAL);

	sea->esr = esr;
	sea->ec = (uint8_t)ec;
	sea->type = data ? SW_ABORT_DATA : SW_ABORT_INSN;
	sea->from_lower_el = ec == A64_EC_DABT_LOW || ec == A64_EC_IABT_LOW;
	sea->fsc = (uint8_t)fsc;
	sea->il = esr & A64_ESR_IL;
	sea->ea = iss & A64_ISS_EA;
	sea->s1ptw = iss & A64_ISS_S1PTW;
	if (data) {
		/* CM and WnR exist only in the data abort ISS. */
		sea->cm = iss & A64_ISS_CM;
		sea->wnr = iss & A64_ISS_WNR;
	}
	/*
	 * FnV: "valid only if the DFSC code is 0b010000. It is RES0 for all
	 * other aborts."  SET: RES0 unless FEAT_RAS and FSC 0b010000.
	 */
	sea->set = SW_SET_NONE;
	if (fsc == A64_FSC_SEA) {
		sea->fnv = iss & A64_ISS_FNV;
		sea->set = (enum sw_set)((iss & A64_ISS_SET_MASK) >> A64_ISS_SET_SHIFT);
	}
	return 0;
}

SW_EXPORT int sw_sea_from_esr(struct sw_sea *sea, uint64_t esr, const char **reason)
{
	int ret;

	if (!sea)
		return fail(NULL, reason, "no struct sw_sea to fill (NULL)", -EINVAL);
	ret = decode_esr(sea, esr, reason);
	if (ret)
		return ret;
	sea->source = SW_SOURCE_ESR;
	return 0;
}

SW_EXPORT int sw_sea_from_exit(struct sw_sea *sea, uint64_t flags, uint64_t esr, uint64_t gva,
			       uint64_t gpa, const char **reason)
{
	int ret = sw_sea_from_esr(sea, esr, reason);

	if (ret)
		return ret;
	sea->source = SW_SOURCE_KVM_EXIT;
	/* The FAR (gva) is valid unless FnV says otherwise. */
	sea->gva_valid = !sea->fnv;
	sea->gva = gva;
	sea->gpa_valid = flags & SW_KVM_EXIT_ARM_SEA_FLAG_GPA_VALID;
	sea->gpa = gpa;
	return 0;
}

SW_EXPORT int sw_sea_from_sigbus(struct sw_sea *sea, const siginfo_t *si,
				 const struct sw_memmap *map, const char **reason)
{
	int ret;

	if (!sea)
		return fail(NULL, reason, "no struct sw_sea to fill (NULL)", -EINVAL);
	if (!si)
		return fail(sea, reason, "no siginfo (NULL)", -EINVAL);
	if (si->si_signo != SIGBUS)
		return fail(sea, reason, "the signal is not SIGBUS", -EINVAL);
	if (si->si_code != BUS_MCEERR_AR && si->si_code != BUS_MCEERR_AO)
		return fail(
			sea, reason,
			"SIGBUS si_code is not BUS_MCEERR_AR or BUS_MCEERR_AO: not a memory error",
			-EINVAL);
	if (si->si_addr_lsb < 0 || si->si_addr_lsb > 63)
		return fail(sea, reason, "SIGBUS si_addr_lsb is outside 0..63: corrupt siginfo",
			    -EINVAL);
	if (map && map->count && !map->slots)
		return fail(sea, reason, "the memslot table has a count but no slots (NULL)",
			    -EINVAL);

	memset(sea, 0, sizeof(*sea));
	sea->source = si->si_code == BUS_MCEERR_AR ? SW_SOURCE_SIGBUS_AR : SW_SOURCE_SIGBUS_AO;
	sea->type = SW_ABORT_UNKNOWN;
	sea->fsc_class = SW_FSC_NONE;
	sea->level = SW_LEVEL_NONE;
	sea->set = SW_SET_NONE;
	sea->hva_valid = true;
	sea->hva = (uint64_t)(uintptr_t)si->si_addr;
	sea->addr_lsb = (unsigned int)si->si_addr_lsb;

	ret = map ? sw_memmap_hva_to_gpa(map, sea->hva, &sea->gpa) : -ENOENT;
	if (ret) {
		if (reason)
			*reason = "si_addr is outside every guest memory slot: the poisoned page "
				  "is not guest memory";
		return -ENOENT;
	}
	sea->gpa_valid = true;
	return 0;
}

/*
 * The largest IPA an Arm PE can have is 56 bits (ID_AA64MMFR0_EL1.PARange
 * 0b0111, FEAT_D128; DDI 0487): no guest access reaches an address above,
 * so such a gpa is the caller's mistake, not an access.
 */
#define MAX_IPA_BITS 56

SW_EXPORT int sw_sea_from_fenced(struct sw_sea *sea, uint64_t gpa, bool is_write,
				 const char **reason)
{
	if (!sea)
		return fail(NULL, reason, "no struct sw_sea to fill (NULL)", -EINVAL);
	if (gpa >> MAX_IPA_BITS)
		return fail(sea, reason,
			    "gpa is at or above 2^56: beyond the largest IPA (56 bits, FEAT_D128)",
			    -EINVAL);

	/*
	 * KVM_EXIT_MMIO and KVM_EXIT_ARM_NISV come from a stage 2 data abort
	 * (a load or store; a fetch or a walk of the guest's tables there
	 * gets KVM's own abort and never reaches the VMM): a data access with
	 * a known direction, but no syndrome of the poison itself.
	 */
	memset(sea, 0, sizeof(*sea));
	sea->source = SW_SOURCE_FENCED;
	sea->type = SW_ABORT_DATA;
	sea->fsc_class = SW_FSC_NONE;
	sea->level = SW_LEVEL_NONE;
	sea->set = SW_SET_NONE;
	sea->wnr = is_write;
	sea->gpa_valid = true;
	sea->gpa = gpa;
	return 0;
}
