/* SPDX-License-Identifier: MIT */
/*
 * AArch64 exception entry to EL1 for a synchronous external abort, checked
 * value by value against AArch64.TakeException() (Arm ARM, DDI 0487): the
 * vector, ESR_EL1, FAR_EL1, ELR_EL1, SPSR_EL1 and every PSTATE rule, from
 * EL0, EL1t and EL1h, for loads, stores and fetches, with each feature that
 * changes entry on and off.  Also the rejected contexts and abort syndromes,
 * the features read from ID registers, and the abort built from a KVM exit.
 *
 * Every expected value below was worked out from the pseudocode by hand.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <seawall/inject.h>

/* Linux-like vectors; VBAR_EL1[10:0] are RES0. */
#define VBAR	0xffff800008010800ULL
#define VEC_SP0 0xffff800008010800ULL /* current EL with SP_EL0 */
#define VEC_SPX 0xffff800008010a00ULL /* current EL with SP_ELx */
#define VEC_LOW 0xffff800008010c00ULL /* lower EL, AArch64 */
#define KPC	0xffff800008123450ULL /* a kernel (EL1) PC */
#define UPC	0x0000aaaadead1000ULL /* a user (EL0) PC */
#define KFAR	0xffff000080010048ULL
#define UFAR	0x0000aaaabeef0008ULL
/* SCTLR_EL1 with its usual RES1 bits; SPAN (bit 23) set or clear. */
#define SPAN1	 0x30d00800ULL
#define SPAN0	 0x30500800ULL
#define DSSBS	 (1ULL << 44)
#define SPINTMSK (1ULL << 62)
#define EXLOCKEN (1ULL << 6)

#define DATA SW_ABORT_DATA
#define INSN SW_ABORT_INSN

static const struct sw_vcpu_features none;
static const struct sw_vcpu_features pan = {.pan = true};
static const struct sw_vcpu_features ssbs = {.ssbs = true};
static const struct sw_vcpu_features bti = {.bti = true};
static const struct sw_vcpu_features dit = {.dit = true};
static const struct sw_vcpu_features uao = {.uao = true};
static const struct sw_vcpu_features mte = {.mte = true};
static const struct sw_vcpu_features nmi = {.nmi = true};
static const struct sw_vcpu_features gcs = {.gcs = true};
static const struct sw_vcpu_features ebep = {.ebep = true};
static const struct sw_vcpu_features ras = {.ras = true};
static const struct sw_vcpu_features all = {.ras = true,
					    .pan = true,
					    .uao = true,
					    .ssbs = true,
					    .mte = true,
					    .bti = true,
					    .dit = true,
					    .nmi = true,
					    .gcs = true,
					    .ebep = true};

struct entry_case {
	const char *name;
	struct sw_vcpu_state st;
	const struct sw_vcpu_features *f;
	struct sw_abort abt;
	struct sw_exception_entry want;
};

static const struct entry_case entries[] = {
	/* Where from, and what: vector, EC, ELR, SPSR, FAR. */
	{"EL1h load (the rig's ESR)",
	 {KPC, 0x60000005, VBAR, SPAN1, 0},
	 &none,
	 {DATA, 0x210, KFAR, true},
	 {VEC_SPX, 0x600003c5, 0x60000005, KPC, 0x96000210, KFAR, true, 0x200}},
	{"EL1h store",
	 {KPC, 0x3c5, VBAR, SPAN1, 0},
	 &none,
	 {DATA, 0x250, KFAR, true},
	 {VEC_SPX, 0x3c5, 0x3c5, KPC, 0x96000250, KFAR, true, 0x200}},
	{"EL1h fetch",
	 {KPC, 0x3c5, VBAR, SPAN1, 0},
	 &none,
	 {INSN, 0x210, KPC, true},
	 {VEC_SPX, 0x3c5, 0x3c5, KPC, 0x86000210, KPC, true, 0x200}},
	{"EL1t load",
	 {KPC, 0x4, VBAR, SPAN1, 0},
	 &none,
	 {DATA, 0x10, KFAR, false},
	 {VEC_SP0, 0x3c5, 0x4, KPC, 0x96000010, KFAR, true, 0x000}},
	{"EL1t fetch",
	 {KPC, 0x4, VBAR, SPAN1, 0},
	 &none,
	 {INSN, 0x10, KPC, false},
	 {VEC_SP0, 0x3c5, 0x4, KPC, 0x86000010, KPC, true, 0x000}},
	{"EL0 load",
	 {UPC, 0x0, VBAR, SPAN1, 0},
	 &none,
	 {DATA, 0x210, UFAR, true},
	 {VEC_LOW, 0x3c5, 0x0, UPC, 0x92000210, UFAR, true, 0x400}},
	{"EL0 store",
	 {UPC, 0x80000000, VBAR, SPAN1, 0},
	 &none,
	 {DATA, 0x250, UFAR, true},
	 {VEC_LOW, 0x800003c5, 0x80000000, UPC, 0x92000250, UFAR, true, 0x400}},
	{"EL0 fetch",
	 {UPC, 0x0, VBAR, SPAN1, 0},
	 &none,
	 {INSN, 0x210, UPC, true},
	 {VEC_LOW, 0x3c5, 0x0, UPC, 0x82000210, UPC, true, 0x400}},
	{"EL0 load, walk level 1",
	 {UPC, 0x0, VBAR, SPAN1, 0},
	 &none,
	 {DATA, 0x215, UFAR, true},
	 {VEC_LOW, 0x3c5, 0x0, UPC, 0x92000215, UFAR, true, 0x400}},
	{"EL1h cache maintenance",
	 {KPC, 0x5, VBAR, SPAN1, 0},
	 &none,
	 {DATA, 0x150, KFAR, false},
	 {VEC_SPX, 0x3c5, 0x5, KPC, 0x96000150, KFAR, true, 0x200}},
	{"parity without FEAT_RAS",
	 {KPC, 0x5, VBAR, SPAN1, 0},
	 &none,
	 {DATA, 0x18, KFAR, false},
	 {VEC_SPX, 0x3c5, 0x5, KPC, 0x96000018, KFAR, true, 0x200}},
	{"FnV: FAR_EL1 left alone",
	 {KPC, 0x5, VBAR, SPAN1, 0},
	 &none,
	 {DATA, 0x610, 0xdead, true},
	 {VEC_SPX, 0x3c5, 0x5, KPC, 0x96000610, 0, false, 0x200}},
	{"VBAR_EL1[10:0] are ignored",
	 {KPC, 0x5, 0xffff800008010fffULL, SPAN1, 0},
	 &none,
	 {DATA, 0x10, KFAR, false},
	 {VEC_SPX, 0x3c5, 0x5, KPC, 0x96000010, KFAR, true, 0x200}},
	{"SET UC with FEAT_RAS",
	 {KPC, 0x5, VBAR, SPAN1, 0},
	 &ras,
	 {DATA, 0x1210, KFAR, true},
	 {VEC_SPX, 0x3c5, 0x5, KPC, 0x96001210, KFAR, true, 0x200}},
	{"SET UEO, fetch from EL0",
	 {UPC, 0x0, VBAR, SPAN1, 0},
	 &ras,
	 {INSN, 0x1a10, UPC, true},
	 {VEC_LOW, 0x3c5, 0x0, UPC, 0x82001a10, UPC, true, 0x400}},

	/* DAIF: all four masked whatever was masked before. */
	{"DAIF partly masked (A, F) at EL1h",
	 {KPC, 0x145, VBAR, SPAN1, 0},
	 &none,
	 {DATA, 0x10, KFAR, false},
	 {VEC_SPX, 0x3c5, 0x145, KPC, 0x96000010, KFAR, true, 0x200}},
	{"DAIF D only at EL0",
	 {UPC, 0x200, VBAR, SPAN1, 0},
	 &none,
	 {DATA, 0x10, UFAR, false},
	 {VEC_LOW, 0x3c5, 0x200, UPC, 0x92000010, UFAR, true, 0x400}},

	/* PAN: set when SCTLR_EL1.SPAN is 0, else unchanged; needs FEAT_PAN. */
	{"PAN: SPAN 0 sets PAN from EL0",
	 {UPC, 0x0, VBAR, SPAN0, 0},
	 &pan,
	 {DATA, 0x10, UFAR, false},
	 {VEC_LOW, 0x4003c5, 0x0, UPC, 0x92000010, UFAR, true, 0x400}},
	{"PAN: SPAN 0 sets PAN from EL1h",
	 {KPC, 0x5, VBAR, SPAN0, 0},
	 &pan,
	 {DATA, 0x10, KFAR, false},
	 {VEC_SPX, 0x4003c5, 0x5, KPC, 0x96000010, KFAR, true, 0x200}},
	{"PAN: SPAN 1 leaves PAN clear",
	 {UPC, 0x0, VBAR, SPAN1, 0},
	 &pan,
	 {DATA, 0x10, UFAR, false},
	 {VEC_LOW, 0x3c5, 0x0, UPC, 0x92000010, UFAR, true, 0x400}},
	{"PAN: SPAN 1 leaves PAN set",
	 {KPC, 0x400005, VBAR, SPAN1, 0},
	 &pan,
	 {DATA, 0x10, KFAR, false},
	 {VEC_SPX, 0x4003c5, 0x400005, KPC, 0x96000010, KFAR, true, 0x200}},
	{"no FEAT_PAN: SPAN 0 changes nothing",
	 {UPC, 0x0, VBAR, SPAN0, 0},
	 &none,
	 {DATA, 0x10, UFAR, false},
	 {VEC_LOW, 0x3c5, 0x0, UPC, 0x92000010, UFAR, true, 0x400}},

	/* SSBS: set to SCTLR_EL1.DSSBS; needs FEAT_SSBS. */
	{"DSSBS 1 sets SSBS",
	 {UPC, 0x0, VBAR, SPAN1 | DSSBS, 0},
	 &ssbs,
	 {DATA, 0x10, UFAR, false},
	 {VEC_LOW, 0x13c5, 0x0, UPC, 0x92000010, UFAR, true, 0x400}},
	{"DSSBS 0 clears SSBS",
	 {KPC, 0x1005, VBAR, SPAN1, 0},
	 &ssbs,
	 {DATA, 0x10, KFAR, false},
	 {VEC_SPX, 0x3c5, 0x1005, KPC, 0x96000010, KFAR, true, 0x200}},
	{"no FEAT_SSBS: DSSBS ignored",
	 {UPC, 0x0, VBAR, SPAN1 | DSSBS, 0},
	 &none,
	 {DATA, 0x10, UFAR, false},
	 {VEC_LOW, 0x3c5, 0x0, UPC, 0x92000010, UFAR, true, 0x400}},

	/* BTYPE: cleared; kept in SPSR_EL1 (for data aborts a permitted choice). */
	{"BTYPE 01 (after br), load",
	 {UPC, 0x400, VBAR, SPAN1, 0},
	 &bti,
	 {DATA, 0x10, UFAR, false},
	 {VEC_LOW, 0x3c5, 0x400, UPC, 0x92000010, UFAR, true, 0x400}},
	{"BTYPE 10 (after blr), fetch",
	 {UPC, 0x800, VBAR, SPAN1, 0},
	 &bti,
	 {INSN, 0x10, UPC, false},
	 {VEC_LOW, 0x3c5, 0x800, UPC, 0x82000010, UPC, true, 0x400}},
	{"BTYPE 11, EL1h store",
	 {KPC, 0xc05, VBAR, SPAN1, 0},
	 &bti,
	 {DATA, 0x50, KFAR, false},
	 {VEC_SPX, 0x3c5, 0xc05, KPC, 0x96000050, KFAR, true, 0x200}},

	/* DIT unchanged: the Arm ARM, where QEMU 7.2 clears it. */
	{"DIT stays set (QEMU 7.2 would clear it)",
	 {KPC, 0x1000005, VBAR, SPAN1, 0},
	 &dit,
	 {DATA, 0x10, KFAR, false},
	 {VEC_SPX, 0x10003c5, 0x1000005, KPC, 0x96000010, KFAR, true, 0x200}},

	{"UAO cleared",
	 {KPC, 0x800005, VBAR, SPAN1, 0},
	 &uao,
	 {DATA, 0x10, KFAR, false},
	 {VEC_SPX, 0x3c5, 0x800005, KPC, 0x96000010, KFAR, true, 0x200}},
	{"TCO set with MTE",
	 {UPC, 0x0, VBAR, SPAN1, 0},
	 &mte,
	 {DATA, 0x10, UFAR, false},
	 {VEC_LOW, 0x20003c5, 0x0, UPC, 0x92000010, UFAR, true, 0x400}},
	{"TCO stays set with MTE",
	 {KPC, 0x2000005, VBAR, SPAN1, 0},
	 &mte,
	 {DATA, 0x10, KFAR, false},
	 {VEC_SPX, 0x20003c5, 0x2000005, KPC, 0x96000010, KFAR, true, 0x200}},

	/* ALLINT = NOT SCTLR_EL1.SPINTMASK with FEAT_NMI. */
	{"NMI: SPINTMASK 0 sets ALLINT",
	 {KPC, 0x5, VBAR, SPAN1, 0},
	 &nmi,
	 {DATA, 0x10, KFAR, false},
	 {VEC_SPX, 0x23c5, 0x5, KPC, 0x96000010, KFAR, true, 0x200}},
	{"NMI: SPINTMASK 1 clears ALLINT",
	 {KPC, 0x2005, VBAR, SPAN1 | SPINTMSK, 0},
	 &nmi,
	 {DATA, 0x10, KFAR, false},
	 {VEC_SPX, 0x3c5, 0x2005, KPC, 0x96000010, KFAR, true, 0x200}},

	/* EXLOCK = GCSCR_EL1.EXLOCKEN from EL1, 0 from EL0, with FEAT_GCS. */
	{"GCS: EL1h with EXLOCKEN sets EXLOCK",
	 {KPC, 0x5, VBAR, SPAN1, EXLOCKEN},
	 &gcs,
	 {DATA, 0x10, KFAR, false},
	 {VEC_SPX, 0x4000003c5, 0x5, KPC, 0x96000010, KFAR, true, 0x200}},
	{"GCS: EL0 never sets EXLOCK",
	 {UPC, 0x0, VBAR, SPAN1, EXLOCKEN},
	 &gcs,
	 {DATA, 0x10, UFAR, false},
	 {VEC_LOW, 0x3c5, 0x0, UPC, 0x92000010, UFAR, true, 0x400}},
	{"GCS: EXLOCKEN 0 clears EXLOCK",
	 {KPC, 0x400000005, VBAR, SPAN1, 0},
	 &gcs,
	 {DATA, 0x10, KFAR, false},
	 {VEC_SPX, 0x3c5, 0x400000005, KPC, 0x96000010, KFAR, true, 0x200}},

	{"EBEP: PM set",
	 {KPC, 0x5, VBAR, SPAN1, 0},
	 &ebep,
	 {DATA, 0x10, KFAR, false},
	 {VEC_SPX, 0x1000003c5, 0x5, KPC, 0x96000010, KFAR, true, 0x200}},

	/* SS, IL, PPEND, PACM and UINJ cleared; all kept in SPSR_EL1. */
	{"SS, IL, PPEND, PACM, UINJ cleared",
	 {KPC, 0x1a00300005, VBAR, SPAN1, 0},
	 &none,
	 {DATA, 0x10, KFAR, false},
	 {VEC_SPX, 0x3c5, 0x1a00300005, KPC, 0x96000010, KFAR, true, 0x200}},

	/* Every feature at once, from EL1h with NZCV, DIT and BTYPE 01. */
	{"all features, EL1h",
	 {KPC, 0x61000405, VBAR, SPAN0 | DSSBS, EXLOCKEN},
	 &all,
	 {DATA, 0x1250, KFAR, true},
	 {VEC_SPX, 0x5634033c5, 0x61000405, KPC, 0x96001250, KFAR, true, 0x200}},
};

static void check_entry(const char *name, const struct sw_exception_entry *got,
			const struct sw_exception_entry *want)
{
#define FIELD(f)                                                                                   \
	if (got->f != want->f)                                                                     \
	fail_msg("%s: %s is 0x%llx, want 0x%llx", name, #f, (unsigned long long)got->f,            \
		 (unsigned long long)want->f)
	FIELD(pc);
	FIELD(pstate);
	FIELD(spsr_el1);
	FIELD(elr_el1);
	FIELD(esr_el1);
	FIELD(far_el1);
	FIELD(write_far);
	FIELD(vector);
#undef FIELD
}

static void test_entry(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
		const struct entry_case *c = &entries[i];
		struct sw_exception_entry got;
		const char *reason = "untouched";

		memset(&got, 0xa5, sizeof(got));
		if (sw_exception_entry(&got, &c->st, c->f, &c->abt, &reason) != 0)
			fail_msg("%s: rejected: %s", c->name, reason);
		assert_string_equal(reason, "untouched");
		check_entry(c->name, &got, &c->want);
	}
}

static const struct {
	const char *name;
	uint64_t pstate;
	const struct sw_vcpu_features *f;
	struct sw_abort abt;
	int ret;
	const char *reason;
} rejects[] = {
	{"AArch32 EL0",
	 0x10,
	 &none,
	 {DATA, 0x10, 0, false},
	 -EOPNOTSUPP,
	 "the vCPU is in AArch32 state (PSTATE.nRW): AArch32 exception entry is not emulated"},
	{"AArch32 SVC mode",
	 0x13,
	 &none,
	 {DATA, 0x10, 0, false},
	 -EOPNOTSUPP,
	 "the vCPU is in AArch32 state (PSTATE.nRW): AArch32 exception entry is not emulated"},
	{"vEL2h",
	 0x9,
	 &none,
	 {DATA, 0x10, 0, false},
	 -EOPNOTSUPP,
	 "the vCPU is in a nested virtual EL2 context (PSTATE.M is EL2t or EL2h): exception "
	 "entry to vEL2 is not emulated"},
	{"vEL2t",
	 0x8,
	 &none,
	 {DATA, 0x10, 0, false},
	 -EOPNOTSUPP,
	 "the vCPU is in a nested virtual EL2 context (PSTATE.M is EL2t or EL2h): exception "
	 "entry to vEL2 is not emulated"},
	{"EL3h",
	 0xd,
	 &none,
	 {DATA, 0x10, 0, false},
	 -EINVAL,
	 "PSTATE.M is EL3t or EL3h: a guest cannot run at EL3"},
	{"EL0 with SP_ELx",
	 0x1,
	 &none,
	 {DATA, 0x10, 0, false},
	 -EINVAL,
	 "PSTATE.M is not a valid AArch64 mode (M[1] set, or EL0 with SP_ELx)"},
	{"M[1] set",
	 0x6,
	 &none,
	 {DATA, 0x10, 0, false},
	 -EINVAL,
	 "PSTATE.M is not a valid AArch64 mode (M[1] set, or EL0 with SP_ELx)"},
	{"the mode is checked before the abort",
	 0x10,
	 &none,
	 {SW_ABORT_UNKNOWN, 0x07, 0, false},
	 -EOPNOTSUPP,
	 "the vCPU is in AArch32 state (PSTATE.nRW): AArch32 exception entry is not emulated"},
	{"unknown abort type",
	 0x5,
	 &none,
	 {SW_ABORT_UNKNOWN, 0x10, 0, false},
	 -EINVAL,
	 "the abort type must be data or insn"},
	{"ISV set",
	 0x5,
	 &none,
	 {DATA, 0x1000010, 0, false},
	 -EINVAL,
	 "ISS bits other than DFSC, WnR, S1PTW, CM, EA, FnV and SET are set (ISV, the access "
	 "syndrome and VNCR are 0 for an external abort taken to EL1)"},
	{"VNCR set",
	 0x5,
	 &none,
	 {DATA, 0x2010, 0, false},
	 -EINVAL,
	 "ISS bits other than DFSC, WnR, S1PTW, CM, EA, FnV and SET are set (ISV, the access "
	 "syndrome and VNCR are 0 for an external abort taken to EL1)"},
	{"fetch with WnR",
	 0x5,
	 &none,
	 {INSN, 0x50, 0, false},
	 -EINVAL,
	 "ISS bits other than IFSC, S1PTW, EA, FnV and SET are set (an instruction abort has "
	 "no WnR, CM or access syndrome)"},
	{"fetch with CM",
	 0x5,
	 &none,
	 {INSN, 0x110, 0, false},
	 -EINVAL,
	 "ISS bits other than IFSC, S1PTW, EA, FnV and SET are set (an instruction abort has "
	 "no WnR, CM or access syndrome)"},
	{"translation fault",
	 0x5,
	 &none,
	 {DATA, 0x07, 0, false},
	 -EINVAL,
	 "the fault status code is not an external abort"},
	{"S1PTW",
	 0x5,
	 &none,
	 {DATA, 0x94, 0, false},
	 -EINVAL,
	 "S1PTW reports a stage 2 fault on a stage 1 walk, which an abort taken to EL1 "
	 "cannot be"},
	{"parity with FEAT_RAS",
	 0x5,
	 &ras,
	 {DATA, 0x18, 0, false},
	 -EINVAL,
	 "parity/ECC fault status codes are not used on a vCPU with FEAT_RAS"},
	{"parity walk with FEAT_RAS",
	 0x0,
	 &ras,
	 {INSN, 0x1c, 0, false},
	 -EINVAL,
	 "parity/ECC fault status codes are not used on a vCPU with FEAT_RAS"},
	{"FnV on a walk",
	 0x5,
	 &none,
	 {DATA, 0x414, 0, false},
	 -EINVAL,
	 "FnV is defined only for FSC 0x10 (RES0 on a table walk)"},
	{"SET on a walk",
	 0x5,
	 &ras,
	 {DATA, 0x1014, 0, false},
	 -EINVAL,
	 "SET is defined only for FSC 0x10 on a vCPU with FEAT_RAS"},
	{"SET without FEAT_RAS",
	 0x5,
	 &none,
	 {DATA, 0x1010, 0, false},
	 -EINVAL,
	 "SET is defined only for FSC 0x10 on a vCPU with FEAT_RAS"},
	{"SET reserved", 0x5, &ras, {DATA, 0x810, 0, false}, -EINVAL, "SET 0b01 is reserved"},
	{"CM without WnR",
	 0x5,
	 &none,
	 {DATA, 0x110, 0, false},
	 -EINVAL,
	 "a cache maintenance abort (CM) always reports WnR 1"},
};

static void test_rejects(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rejects) / sizeof(rejects[0]); i++) {
		struct sw_vcpu_state st = {KPC, rejects[i].pstate, VBAR, SPAN1, 0};
		struct sw_exception_entry got, untouched;
		const char *reason = NULL;
		int ret;

		memset(&got, 0xa5, sizeof(got));
		untouched = got;
		ret = sw_exception_entry(&got, &st, rejects[i].f, &rejects[i].abt, &reason);
		if (ret != rejects[i].ret)
			fail_msg("%s: returned %d, want %d", rejects[i].name, ret, rejects[i].ret);
		assert_non_null(reason);
		assert_string_equal(reason, rejects[i].reason);
		assert_memory_equal(&got, &untouched, sizeof(got));
	}
}

static void test_null_arguments(void **state)
{
	struct sw_vcpu_state st = {KPC, 0x5, VBAR, SPAN1, 0};
	struct sw_abort abt = {DATA, 0x10, KFAR, false};
	struct sw_exception_entry out;
	const char *reason = NULL;

	(void)state;
	assert_int_equal(sw_exception_entry(NULL, &st, &none, &abt, &reason), -EINVAL);
	assert_string_equal(reason, "no result or no vCPU state (NULL)");
	assert_int_equal(sw_exception_entry(&out, NULL, &none, &abt, NULL), -EINVAL);
	assert_int_equal(sw_exception_entry(&out, &st, NULL, &abt, &reason), -EINVAL);
	assert_string_equal(reason, "no abort or no vCPU features (NULL)");
	assert_int_equal(sw_exception_entry(&out, &st, &none, NULL, &reason), -EINVAL);
	assert_int_equal(sw_abort_check(&abt, &none, NULL), 0);
}

static void test_features_from_id_regs(void **state)
{
	static const struct {
		const char *name;
		struct sw_id_regs id;
		struct sw_vcpu_features want;
	} cases[] = {
		{"nothing", {0}, {0}},
		{"RAS", {.pfr0 = 1ULL << 28}, {.ras = true}},
		{"RASv1p1", {.pfr0 = 2ULL << 28}, {.ras = true}},
		{"DIT", {.pfr0 = 1ULL << 48}, {.dit = true}},
		{"BTI", {.pfr1 = 1ULL << 0}, {.bti = true}},
		{"SSBS2", {.pfr1 = 2ULL << 4}, {.ssbs = true}},
		{"MTE (EL0 instructions only)", {.pfr1 = 1ULL << 8}, {.mte = true}},
		{"MTE3", {.pfr1 = 3ULL << 8}, {.mte = true}},
		{"NMI", {.pfr1 = 1ULL << 36}, {.nmi = true}},
		{"GCS", {.pfr1 = 1ULL << 44}, {.gcs = true}},
		{"PAN3", {.mmfr1 = 3ULL << 20}, {.pan = true}},
		{"UAO", {.mmfr2 = 1ULL << 4}, {.uao = true}},
		{"EBEP", {.dfr1 = 1ULL << 48}, {.ebep = true}},
		/* Neighbouring fields must not leak into the ones read. */
		{"other fields only",
		 {.pfr0 = ~((0xfULL << 28) | (0xfULL << 48)),
		  .pfr1 = ~((0xfULL << 0) | (0xfULL << 4) | (0xfULL << 8) | (0xfULL << 36) |
			    (0xfULL << 44)),
		  .dfr1 = ~(0xfULL << 48),
		  .mmfr1 = ~(0xfULL << 20),
		  .mmfr2 = ~(0xfULL << 4)},
		 {0}},
		{"everything",
		 {.pfr0 = (1ULL << 28) | (1ULL << 48),
		  .pfr1 = 0x1ULL | (2ULL << 4) | (2ULL << 8) | (1ULL << 36) | (1ULL << 44),
		  .dfr1 = 1ULL << 48,
		  .mmfr1 = 1ULL << 20,
		  .mmfr2 = 1ULL << 4},
		 {.ras = true,
		  .pan = true,
		  .uao = true,
		  .ssbs = true,
		  .mte = true,
		  .bti = true,
		  .dit = true,
		  .nmi = true,
		  .gcs = true,
		  .ebep = true}},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sw_vcpu_features got;

		memset(&got, 0xa5, sizeof(got));
		assert_int_equal(sw_vcpu_features_from_id_regs(&got, &cases[i].id), 0);
		if (memcmp(&got, &cases[i].want, sizeof(got)) != 0)
			fail_msg("%s: features differ", cases[i].name);
	}
	assert_int_equal(sw_vcpu_features_from_id_regs(NULL, &cases[0].id), -EINVAL);
}

static void test_abort_from_sea(void **state)
{
	static const struct {
		const char *name;
		uint64_t esr, gva;
		struct sw_abort want;
	} cases[] = {
		{"rig store", 0x92000250, 0x80010048, {DATA, 0x250, 0x80010048, true}},
		{"rig fetch", 0x82000210, 0x80010000, {INSN, 0x210, 0x80010000, true}},
		{"S1PTW is cleared", 0x92000294, 0x4000, {DATA, 0x214, 0x4000, true}},
		{"FnV: no FAR", 0x92000610, 0xdead, {DATA, 0x610, 0, true}},
		{"the RES0 FnV of a walk is dropped",
		 0x92000615,
		 0x5000,
		 {DATA, 0x215, 0x5000, true}},
		{"SET UC", 0x92001010, 0x6000, {DATA, 0x1010, 0x6000, true}},
		{"CM and WnR", 0x92000150, 0x7000, {DATA, 0x150, 0x7000, true}},
		{"IL and the upper ESR bits are not ISS",
		 0x1992000210ULL,
		 0x8000,
		 {DATA, 0x210, 0x8000, true}},
	};
	struct sw_abort abt;
	struct sw_sea sea;
	const char *reason = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(sw_sea_from_exit(&sea, 1, cases[i].esr, cases[i].gva, 0, NULL), 0);
		memset(&abt, 0xa5, sizeof(abt));
		assert_int_equal(sw_abort_from_sea(&abt, &sea, &reason), 0);
		if (abt.type != cases[i].want.type || abt.iss != cases[i].want.iss ||
		    abt.far != cases[i].want.far ||
		    abt.far_from_exit != cases[i].want.far_from_exit)
			fail_msg("%s: got type %d iss 0x%x far 0x%llx from_exit %d", cases[i].name,
				 abt.type, abt.iss, (unsigned long long)abt.far, abt.far_from_exit);
	}

	assert_int_equal(sw_sea_from_esr(&sea, 0x92000210, NULL), 0);
	assert_int_equal(sw_abort_from_sea(&abt, &sea, &reason), -EINVAL);
	assert_string_equal(reason, "only a KVM_EXIT_ARM_SEA says what the guest did and where: "
				    "for a SIGBUS or a bare ESR, fill struct sw_abort yourself");
	assert_int_equal(sw_abort_from_sea(NULL, &sea, &reason), -EINVAL);
	assert_string_equal(reason, "no abort to fill or no decoded SEA (NULL)");
}

/* A KVM exit turned into an abort is accepted by the exception entry. */
static void test_exit_to_entry(void **state)
{
	struct sw_vcpu_state st = {UPC, 0x0, VBAR, SPAN1, 0};
	struct sw_exception_entry got;
	struct sw_abort abt;
	struct sw_sea sea;

	(void)state;
	assert_int_equal(sw_sea_from_exit(&sea, 1, 0x92000250, UFAR, 0x80010000, NULL), 0);
	assert_int_equal(sw_abort_from_sea(&abt, &sea, NULL), 0);
	assert_int_equal(sw_exception_entry(&got, &st, &ras, &abt, NULL), 0);
	check_entry("EL0 store from an exit", &got,
		    &(struct sw_exception_entry){VEC_LOW, 0x3c5, 0x0, UPC, 0x92000250, UFAR, true,
						 0x400});
}

static void test_strategy_names(void **state)
{
	(void)state;
	assert_string_equal(sw_inject_strategy_name(SW_INJECT_AUTO), "auto");
	assert_string_equal(sw_inject_strategy_name(SW_INJECT_EXT_DABT), "ext_dabt");
	assert_string_equal(sw_inject_strategy_name(SW_INJECT_ONE_REG), "one_reg");
	assert_string_equal(sw_inject_strategy_name(SW_INJECT_EXT_ABT), "ext_abt");
	assert_string_equal(sw_inject_strategy_name((enum sw_inject_strategy)4), "invalid");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry),	       cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_null_arguments), cmocka_unit_test(test_features_from_id_regs),
		cmocka_unit_test(test_abort_from_sea), cmocka_unit_test(test_exit_to_entry),
		cmocka_unit_test(test_strategy_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
