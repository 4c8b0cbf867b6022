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
 *   on a walk), WnR for a store, and EA as QEMU classifies the error.
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

#include "capture.h"
#include "guest_abi.h"

#define ESR_ISS_MASK   0x1ffffffULL
#define ISS_FSC_SEA    0x10ULL
#define ISS_WNR	       (1ULL << 6)
#define ISS_EA	       (1ULL << 9)
#define PSR_BTYPE_MASK (3ULL << 10)

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
		if (check_case(c) == 0) {
			printf("ok %d - %s\n", n, name);
		} else {
			printf("not ok %d - %s\n# %s\n", n, name, why);
			failed++;
		}
	}
	return failed ? 1 : 0;
}
