/* SPDX-License-Identifier: MIT */
/*
 * Entering a guest body with an exact PSTATE, and coming back.
 *
 * sw_run_enter(spsr, sp_el0, fn, arg) saves the callee-saved registers
 * and SP, then ERETs to sw_run_trampoline with SPSR_EL1 = spsr: ERET sets
 * every PSTATE field from SPSR (Arm ARM D1.4, "Exception return"), which
 * no sequence of MSRs could do for EL0.  The trampoline calls fn(arg) and
 * ends with SVC #SW_SVC_RETURN.  The exception handler turns that SVC, or
 * any other exception the body takes, into an ERET to sw_run_resume, which
 * restores the saved registers and returns the x0 the handler chose.
 */
#include "run.h"

	.text
	.global	sw_run_enter
sw_run_enter:
	adrp	x9, sw_run_jmpbuf
	add	x9, x9, :lo12:sw_run_jmpbuf
	stp	x19, x20, [x9, #0]
	stp	x21, x22, [x9, #16]
	stp	x23, x24, [x9, #32]
	stp	x25, x26, [x9, #48]
	stp	x27, x28, [x9, #64]
	stp	x29, x30, [x9, #80]
	mov	x10, sp
	str	x10, [x9, #96]
	msr	sp_el0, x1
	msr	spsr_el1, x0
	adrp	x10, sw_run_trampoline
	add	x10, x10, :lo12:sw_run_trampoline
	msr	elr_el1, x10
	mov	x0, x3
	mov	x1, x2
	eret

	/* Runs in the body's context: .text is executable at EL0 too. */
	.global	sw_run_trampoline
sw_run_trampoline:
	blr	x1
	svc	#SW_SVC_RETURN
	b	.

	.global	sw_run_resume
sw_run_resume:
	adrp	x9, sw_run_jmpbuf
	add	x9, x9, :lo12:sw_run_jmpbuf
	ldp	x19, x20, [x9, #0]
	ldp	x21, x22, [x9, #16]
	ldp	x23, x24, [x9, #32]
	ldp	x25, x26, [x9, #48]
	ldp	x27, x28, [x9, #64]
	ldp	x29, x30, [x9, #80]
	ldr	x10, [x9, #96]
	mov	sp, x10
	ret

	.bss
	.balign	16
sw_run_jmpbuf:
	.skip	112
