/* SPDX-License-Identifier: MIT */
/*
 * The exception vector table (Arm ARM DDI 0487, D1.3.1 "Exception vectors"):
 * 16 entries of 0x80 bytes, 2 KiB aligned.  Each entry saves x0/x1, reads
 * NZCV before any instruction can change it, and hands the vector offset
 * to sw_exc_handle() (exc.c), which reads the rest of PSTATE and the
 * syndrome registers.  The common path saves every general register, so
 * the handler may redirect the return (ELR_EL1, SPSR_EL1, x0).
 */
#define FRAME_SIZE 256

	.section .text.vectors, "ax"
	.balign	0x800
	.global	sw_vectors
sw_vectors:
	.irp	off, 0x000, 0x080, 0x100, 0x180, 0x200, 0x280, 0x300, 0x380, \
		      0x400, 0x480, 0x500, 0x580, 0x600, 0x680, 0x700, 0x780
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mrs	x1, S3_3_C4_C2_0	/* NZCV */
	mov	x0, #\off
	b	sw_exc_common
	.endr

sw_exc_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	mov	x2, sp
	bl	sw_exc_handle
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #FRAME_SIZE
	eret
