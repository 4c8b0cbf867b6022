/* SPDX-License-Identifier: MIT */
/*
 * Start code and exception vectors of the e2e bare-metal guests (EL1, MMU
 * off).  A synchronous exception from EL1h (vector +0x200, Arm ARM D1.3
 * "Exception vectors") calls sync_handler(esr, far, elr), which returns
 * the address to resume at; every other vector stops the guest.
 */
#define PSCI_SYSTEM_OFF 0x84000008

	.text
	.globl	_start
_start:
	ldr	x0, =stack_top
	mov	sp, x0
	ldr	x0, =vectors
	msr	vbar_el1, x0
	isb
	bl	main
	ldr	x0, =PSCI_SYSTEM_OFF
	hvc	#0
	b	.

	/* 16 entries of 0x80 bytes; only +0x200 (sync, current EL, SP_EL1) is handled. */
	.balign	2048
vectors:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	128
	.if	\n == 4
	b	sync_el1h
	.else
	b	unexpected
	.endif
	.endr

sync_el1h:
	sub	sp, sp, #192
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x30, [sp, #144]
	mrs	x0, esr_el1
	mrs	x1, far_el1
	mrs	x2, elr_el1
	bl	sync_handler
	msr	elr_el1, x0
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x30, [sp, #144]
	add	sp, sp, #192
	eret

unexpected:
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	bl	unexpected_exception
	ldr	x0, =PSCI_SYSTEM_OFF
	hvc	#0
	b	.

	.bss
	.balign	16
	.space	16384
stack_top:
