// SPDX-License-Identifier: MIT
/*
 * tcg-check: hold what QEMU TCG did on exception entry against what the
 * Arm ARM says, case by case (tests/tcg/run feeds it the console output of
 * guests/exception-entry.elf).
 *
 *   tcg-check --config NAME [--qemu-status N] < console.log
 *
 * Prints TAP: one result for the run itself, then one per case.  A case
 * passes when:
 * - the body took a synchronous exception (the abort);
 * - at EL1, the PSTATE the body read back is the one it was entered with
 *   (BTYPE is not readable);
 * - ESR_EL1.ISS is exactly DFSC/IFSC 0x10 (synchronous External abort, not
 *   on a walk), WnR for a store, and EA as QEMU classifies the error;
 * - libseawall's sw_exception_entry(), given the state before the abort
 *   (PC, PSTATE, VBAR_EL1, SCTLR_EL1, the features of the ID registers)
 *   and that ISS with FAR = the address touched, computes what QEMU did:
 *   the vector (and so the new PC), the whole ESR_EL1, FAR_EL1, ELR_EL1,
 *   SPSR_EL1 and the new PSTATE -- every field the handler can read:
 *   M, NZCV, DAIF, PAN, UAO, DIT, SSBS, TCO, ALLINT as implemented (not
 *   BTYPE, IL or SS, which no MRS reads).
 *
 * Known differences: QEMU 7.2 clears PSTATE.DIT and PSTATE.NZCV on exception
 * entry, while the Arm ARM's AArch64.TakeException() leaves both unchanged
 * and the library follows the Arm ARM.  For a case entered with DIT or a
 * flag set the checker requires exactly that: the library's value is the
 * one before, QEMU's is 0.
 *
 * ISS bits the Arm ARM leaves IMPLEMENTATION DEFINED (DDI 0487, ESR_EL1,
 * "ISS encoding for an exception from a Data Abort"), and what QEMU 7.2
 * chooses -- pinned here so a change is seen:
 * - EA, "External abort type": 1 for a poisoned page (the access
 *   completes with MEMTX_ERROR), 0 for an unassigned address (a decode
 *   error): arm_extabort_type() in QEMU's target/arm.
 * - FnV: 0, QEMU always reports FAR_EL1 for these aborts.
 * - SET (FEAT_RAS), the error type: 0, "recoverable" (UER).
 * - ISV: 0, QEMU gives an instruction syndrome only for aborts taken to
 *   EL2 (merge_syn_data_abort()).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <seawall/inject.h>

#include "capture.h"
#include "guest_abi.h"

#define ESR_ISS_MASK   0x1ffffffULL
#define ISS_FSC_SEA    0x10ULL
#define ISS_WNR	       (1ULL << 6)
#define ISS_EA	       (1ULL << 9)
#define PSR_BTYPE_MASK (3ULL << 10)
#define PSR_DIT	       (1ULL << 24)
/* PSTATE bits the handler reads whatever the CPU implements: NZCV, DAIF, M. */
#define PSR_ALWAYS_READ (0xf0000000ULL | 0x3c0ULL | 0x1fULL)

#define SRC_POISON     0
#define SRC_UNASSIGNED 1

static char why[512];

static int failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int failf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return -1;
}

static const char *ctx_name(int ctx)
{
	static const char *const n[] = {"el1h", "el1t", "el0"};

	return ctx >= 0 && ctx <= 2 ? n[ctx] : "?";
}

static const char *access_name(int access)
{
	static const char *const n[] = {"load", "store", "fetch"};

	return access >= 0 && access <= 2 ? n[access] : "?";
}

static const char *branch_name(int branch)
{
	static const char *const n[] = {"seq", "br", "blr"};

	return branch >= 0 && branch <= 2 ? n[branch] : "?";
}

/* The ISS a case must report (see the header comment for EA). */
static uint64_t expected_iss(const struct capture_case *c)
{
	uint64_t iss = ISS_FSC_SEA;

	if (c->access == SW_ACCESS_STORE)
		iss |= ISS_WNR;
	if (c->src == SRC_POISON)
		iss |= ISS_EA;
	return iss;
}

static int check_case(const struct capture_case *c)
{
	if (c->seen != CASE_LINES_ALL)
		return failf("incomplete record (lines 0x%x of 0x%x)", c->seen, CASE_LINES_ALL);
	if (c->taken != 1 || c->kind != SW_EXC_SYNC)
		return failf("no synchronous exception: taken %d, kind %llu", c->taken,
			     (unsigned long long)c->kind);
	if (c->ctx != SW_CTX_EL0 && c->readback != (c->pre_pstate & ~PSR_BTYPE_MASK))
		return failf("the body ran with PSTATE 0x%llx, not 0x%llx (BTYPE aside)",
			     (unsigned long long)c->readback,
			     (unsigned long long)(c->pre_pstate & ~PSR_BTYPE_MASK));
	if ((c->esr & ESR_ISS_MASK) != expected_iss(c))
		return failf("ESR_EL1 0x%llx: ISS 0x%llx, expected 0x%llx",
			     (unsigned long long)c->esr,
			     (unsigned long long)(c->esr & ESR_ISS_MASK),
			     (unsigned long long)expected_iss(c));
	return 0;
}

/* The PSTATE bits the handler could read, from struct sw_exc_record.pstate_valid. */
static uint64_t readable_pstate(uint64_t valid)
{
	static const struct {
		uint64_t has, bit;
	} fields[] = {
		{SW_PSTATE_HAS_PAN, 1ULL << 22}, {SW_PSTATE_HAS_UAO, 1ULL << 23},
		{SW_PSTATE_HAS_DIT, 1ULL << 24}, {SW_PSTATE_HAS_SSBS, 1ULL << 12},
		{SW_PSTATE_HAS_TCO, 1ULL << 25}, {SW_PSTATE_HAS_ALLINT, 1ULL << 13},
	};
	uint64_t mask = PSR_ALWAYS_READ;

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (valid & fields[i].has)
			mask |= fields[i].bit;
	}
	return mask;
}

/*
 * Where QEMU 7.2 departs from the Arm ARM on exception entry:
 * arm_cpu_do_interrupt_aarch64() builds the new PSTATE from the mode, DAIF,
 * PAN, SSBS and TCO alone (pstate_write(env, PSTATE_DAIF | new_mode)), so
 * every other field is zeroed, while AArch64.TakeException() leaves the
 * fields it does not name unchanged -- among them N, Z, C, V and DIT.
 */
struct qemu_difference {
	const char *name;
	uint64_t bits;
	const char *note;
};

static const struct qemu_difference qemu_differences[] = {
	{"DIT", 1ULL << 24,
	 "known difference: QEMU 7.2 clears PSTATE.DIT on exception entry, the Arm ARM (and "
	 "libseawall) keep it"},
	{"NZCV", 0xfULL << 28,
	 "known difference: QEMU 7.2 clears PSTATE.NZCV on exception entry, the Arm ARM (and "
	 "libseawall) keep them"},
};

#define DIFFER(what, lib, qemu)                                                                    \
	failf("%s: libseawall 0x%llx, QEMU 0x%llx", what, (unsigned long long)(lib),               \
	      (unsigned long long)(qemu))

/* Hold QEMU's exception entry against libseawall's for one case. */
static int check_library(const struct capture *cap, const struct capture_case *c, unsigned *notes)
{
	const struct sw_id_regs id = {
		.pfr0 = cap->pfr0,
		.pfr1 = cap->pfr1,
		.dfr1 = cap->dfr1,
		.mmfr1 = cap->mmfr1,
		.mmfr2 = cap->mmfr2,
	};
	const struct sw_vcpu_state st = {
		.pc = c->pc,
		.pstate = c->pre_pstate,
		.vbar_el1 = c->vbar,
		.sctlr_el1 = c->sctlr,
	};
	const struct sw_abort abt = {
		.type = c->access == SW_ACCESS_FETCH ? SW_ABORT_INSN : SW_ABORT_DATA,
		.iss = (uint32_t)(c->esr & ESR_ISS_MASK),
		.far = c->addr,
	};
	struct sw_vcpu_features f;
	struct sw_exception_entry e;
	const char *reason = "";
	uint64_t mask = readable_pstate(c->valid);
	int ret;

	*notes = 0;
	if (sw_vcpu_features_from_id_regs(&f, &id))
		return failf("sw_vcpu_features_from_id_regs failed");
	ret = sw_exception_entry(&e, &st, &f, &abt, &reason);
	if (ret)
		return failf("sw_exception_entry: %d (%s)", ret, reason);
	if (e.vector != c->vector)
		return DIFFER("vector offset", e.vector, c->vector);
	if (e.pc != c->vbar + c->vector)
		return DIFFER("new PC", e.pc, c->vbar + c->vector);
	if (e.esr_el1 != c->esr)
		return DIFFER("ESR_EL1", e.esr_el1, c->esr);
	if (!e.write_far || e.far_el1 != c->far)
		return DIFFER("FAR_EL1", e.write_far ? e.far_el1 : ~0ULL, c->far);
	if (e.elr_el1 != c->elr)
		return DIFFER("ELR_EL1", e.elr_el1, c->elr);
	if (e.spsr_el1 != c->spsr)
		return DIFFER("SPSR_EL1", e.spsr_el1, c->spsr);
	for (size_t i = 0; i < sizeof(qemu_differences) / sizeof(qemu_differences[0]); i++) {
		const struct qemu_difference *d = &qemu_differences[i];
		uint64_t before = c->pre_pstate & d->bits;

		if (!before || !(mask & d->bits))
			continue;
		/* The Arm ARM keeps these bits; QEMU 7.2 clears them. */
		if ((e.pstate & d->bits) != before || (c->pstate & d->bits))
			return failf(
				"%s 0x%llx before: expected libseawall 0x%llx (Arm ARM) and QEMU 0 "
				"(QEMU 7.2), got 0x%llx and 0x%llx",
				d->name, (unsigned long long)before, (unsigned long long)before,
				(unsigned long long)(e.pstate & d->bits),
				(unsigned long long)(c->pstate & d->bits));
		mask &= ~d->bits;
		*notes |= 1u << i;
	}
	if ((e.pstate & mask) != (c->pstate & mask))
		return DIFFER("new PSTATE (readable bits)", e.pstate & mask, c->pstate & mask);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: tcg-check --config NAME [--qemu-status N] < console.log\n");
	return 2;
}

int main(int argc, char **argv)
{
	static struct capture cap;
	const char *config = NULL;
	int qemu_status = 0, failed = 0, n = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			config = argv[++i];
		else if (strcmp(argv[i], "--qemu-status") == 0 && i + 1 < argc)
			qemu_status = atoi(argv[++i]);
		else
			return usage();
	}
	if (!config)
		return usage();

	if (capture_read(&cap, stdin)) {
		printf("1..1\nnot ok 1 - %s: the guest's output parses\n# %s\n", config, cap.error);
		return 1;
	}
	printf("1..%u\n", cap.ncases + 1);
	n++;
	if (qemu_status == 0 && cap.done && !cap.fail[0] && cap.id_lines == 2 &&
	    cap.count == (long)cap.ncases && cap.ncases > 0) {
		printf("ok %d - %s: the guest ran %u cases to the end\n", n, config, cap.ncases);
	} else {
		printf("not ok %d - %s: the guest ran to the end\n", n, config);
		printf("# QEMU status %d, UCALL DONE %s, ID lines %u, COUNT %ld, records %u\n",
		       qemu_status, cap.done ? "seen" : "missing", cap.id_lines, cap.count,
		       cap.ncases);
		if (cap.fail[0])
			printf("# guest failure: %s\n", cap.fail);
		failed++;
	}
	for (unsigned i = 1; i <= cap.ncases; i++) {
		const struct capture_case *c = &cap.cases[i];
		char name[160];

		n++;
		snprintf(name, sizeof(name), "%s: %u %s %s %s MMU %s %s, knob %u", config, i,
			 ctx_name(c->ctx), access_name(c->access),
			 c->src == SRC_POISON ? "poisoned RAM" : "unassigned PA",
			 c->mmu ? "on" : "off", branch_name(c->branch), c->knob);
		unsigned notes = 0;

		if (check_case(c) == 0 && check_library(&cap, c, &notes) == 0) {
			printf("ok %d - %s\n", n, name);
			for (size_t k = 0;
			     k < sizeof(qemu_differences) / sizeof(qemu_differences[0]); k++) {
				if (notes & (1u << k))
					printf("# %s\n", qemu_differences[k].note);
			}
		} else {
			printf("not ok %d - %s\n# %s\n", n, name, why);
			failed++;
		}
	}
	return failed ? 1 : 0;
}
