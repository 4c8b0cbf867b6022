/* SPDX-License-Identifier: MIT */
/*
 * Entry of every bare-metal test guest, at SW_GUEST_RAM_BASE.  Under KVM
 * the vCPU starts here after KVM_ARM_VCPU_INIT (EL1h, MMU off, DAIF
 * masked); under plain QEMU TCG, -kernel GUEST.elf starts here the same
 * way (no EL2 or EL3 on the CPU).
 */
#include "guest_abi.h"

	.section .text.head, "ax"
	.global _start
_start:
	b	1f

	/* The parameter block, at SW_GUEST_PARAMS: a KVM host overwrites it. */
	.balign	64
	.global	sw_image_params
sw_image_params:
	.quad	SW_GUEST_PARAMS_MAGIC
	.quad	SW_UCALL_MODE_UART
	.fill	6, 8, 0

1:	adrp	x0, __stack_el1_top
	add	x0, x0, :lo12:__stack_el1_top
	mov	sp, x0

	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
2:	cmp	x0, x1
	b.hs	3f
	str	xzr, [x0], #8
	b	2b

3:	adrp	x0, sw_vectors
	add	x0, x0, :lo12:sw_vectors
	msr	vbar_el1, x0
	isb
	bl	sw_guest_start
4:	wfi
	b	4b
