/* SPDX-License-Identifier: MIT */
/*
 * capture.h - what guests/exception-entry.c printed under plain QEMU TCG,
 * parsed: the ID registers and, per case, the state before the abort and
 * what the handler saw.
 */
#ifndef SEAWALL_TCG_CAPTURE_H
#define SEAWALL_TCG_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CAPTURE_MAX_CASES 256

struct capture_case {
	unsigned seen; /* CASE_LINE_* bits: which of the three lines arrived */
	/* REC n case */
	int ctx, access, branch, src, mmu;
	unsigned knob;
	/* REC n pre */
	uint64_t addr, pc, pre_pstate, readback, vbar, sctlr;
	/* REC n exc */
	int taken;
	uint64_t kind, vector, esr, far, elr, spsr, pstate, valid;
};

#define CASE_LINE_CASE 1u
#define CASE_LINE_PRE  2u
#define CASE_LINE_EXC  4u
#define CASE_LINES_ALL 7u

struct capture {
	uint64_t pfr0, pfr1, dfr0, dfr1, isar1, mmfr0, mmfr1, mmfr2, mmfr3;
	int bti;
	unsigned id_lines; /* 2 when both ID lines arrived */
	unsigned ncases;   /* highest case number seen */
	long count;	   /* COUNT, or -1 */
	bool done;	   /* UCALL DONE */
	char fail[512];	   /* UCALL FAIL text, if any */
	char error[256];   /* why the capture could not be parsed, if it could not */
	struct capture_case cases[CAPTURE_MAX_CASES + 1]; /* numbered from 1 */
};

/*
 * capture_read - parse a console log.  Returns 0, or -1 with cap->error
 * saying which line could not be understood (lines that are not the
 * guest's, such as QEMU's own messages, are ignored).
 */
int capture_read(struct capture *cap, FILE *in);

#endif
