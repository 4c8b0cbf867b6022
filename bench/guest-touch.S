/* SPDX-License-Identifier: MIT */
/*
 * Guest code for bench/vmm-contain: store to every 4 KiB page of
 * [x0, x1), then write to the doorbell at x2 (an MMIO exit), and start
 * over when re-entered.  Position independent: the host copies it into
 * guest memory.
 *
 * The host restarts it by setting PC to its first instruction, a nop:
 * after an MMIO exit KVM completes the access on the next KVM_RUN by
 * stepping PC over it, which then lands on the real start.
 */
	.section .rodata
	.balign	4
	.globl	touch_guest_start, touch_guest_end
touch_guest_start:
	nop
1:	mov	x3, x0
2:	str	x3, [x3]
	add	x3, x3, #4096
	cmp	x3, x1
	b.lo	2b
	str	xzr, [x2]
	b	1b
touch_guest_end:
