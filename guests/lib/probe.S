/* SPDX-License-Identifier: MIT */
/*
 * Probes: guest bodies that touch x0 exactly once, with a load, a store or
 * an instruction fetch, reached sequentially (PSTATE.BTYPE 00), by BR X16
 * (01) or by BLR X16 (10) (Arm ARM DDI 0487, D8.5 "Branch Target
 * Identification": BTYPE is set by BR/BLR whether or not the target page
 * is guarded, and the next instruction sees it).  A fetch probe branches
 * to x0 itself: RET X0 sets BTYPE 00.  The load or store is labelled
 * <probe>_insn so the guest can report its PC.
 *
 * What a probe loaded or fetched goes to SW_GUEST_EL0_DATA (writable at
 * EL0 too).  Probes run at EL0 as well, so they touch nothing else.  With
 * the MMU on and PSTATE.PAN set at EL1 that store takes a permission
 * fault: such a body is only for an access that is meant to fault.
 */
#include "guest_abi.h"

/* SW_GUEST_STORE_VALUE, 16 bits at a time for MOVZ/MOVK. */
#define STORE_VALUE_HI ((SW_GUEST_STORE_VALUE >> 48) & 0xffff)
#define STORE_VALUE_MID ((SW_GUEST_STORE_VALUE >> 32) & 0xffff)
#define STORE_VALUE_LO1 ((SW_GUEST_STORE_VALUE >> 16) & 0xffff)
#define STORE_VALUE_LO0 (SW_GUEST_STORE_VALUE & 0xffff)

	.macro	result_to_el0_data reg
	movz	x9, #(SW_GUEST_EL0_DATA >> 16), lsl #16
	movk	x9, #(SW_GUEST_EL0_DATA & 0xffff)
	str	\reg, [x9]
	.endm

	.macro	store_value
	movz	x2, #STORE_VALUE_HI, lsl #48
	movk	x2, #STORE_VALUE_MID, lsl #32
	movk	x2, #STORE_VALUE_LO1, lsl #16
	movk	x2, #STORE_VALUE_LO0
	.endm

	/* Reach the next instruction, setting BTYPE as \branch says. */
	.macro	reach branch, target
	.ifc	\branch, none
	nop
	.endif
	.ifc	\branch, br
	adr	x16, \target
	br	x16
	.endif
	.ifc	\branch, blr
	mov	x17, x30
	adr	x16, \target
	blr	x16
	.endif
	.endm

	.macro	restore_lr branch
	.ifc	\branch, blr
	mov	x30, x17
	.endif
	.endm

	.macro	probe_load branch
	.global	sw_probe_load_\branch, sw_probe_load_\branch\()_insn
sw_probe_load_\branch:
	reach	\branch, sw_probe_load_\branch\()_insn
sw_probe_load_\branch\()_insn:
	ldr	x1, [x0]
	restore_lr \branch
	result_to_el0_data x1
	ret
	.endm

	.macro	probe_store branch
	.global	sw_probe_store_\branch, sw_probe_store_\branch\()_insn
sw_probe_store_\branch:
	store_value
	reach	\branch, sw_probe_store_\branch\()_insn
sw_probe_store_\branch\()_insn:
	str	x2, [x0]
	restore_lr \branch
	ret
	.endm

	.text
	probe_load none
	probe_load br
	probe_load blr
	probe_store none
	probe_store br
	probe_store blr

	/* Fetch probes: the victim function returns to 1: in x30. */
	.global	sw_probe_fetch_none, sw_probe_fetch_br, sw_probe_fetch_blr
sw_probe_fetch_none:
	mov	x17, x30
	adr	x30, 1f
	ret	x0
sw_probe_fetch_br:
	mov	x17, x30
	adr	x30, 1f
	br	x0
sw_probe_fetch_blr:
	mov	x17, x30
	blr	x0
1:	mov	x30, x17
	result_to_el0_data x0
	ret

	/*
	 * What sw_victim_fill() copies into the victim code page: returns
	 * SW_GUEST_CODE_RESULT in x0 and touches nothing else.
	 */
	.global	sw_victim_code, sw_victim_code_end
sw_victim_code:
	movz	x0, #(SW_GUEST_CODE_RESULT & 0xffff)
	movk	x0, #(SW_GUEST_CODE_RESULT >> 16), lsl #16
	ret
sw_victim_code_end:

	/*
	 * sw_probe_pstate(features): PSTATE as this body sees it, in SPSR
	 * layout, to sw_pstate_readback.  x0 holds SW_PSTATE_HAS_* bits: a
	 * PSTATE-field MRS is UNDEFINED without its feature.  EL1 only
	 * (CurrentEL, SPSel, PAN and UAO are not readable at EL0).  NZCV is
	 * read first, and nothing here sets flags.
	 */
	.global	sw_probe_pstate
sw_probe_pstate:
	mrs	x1, S3_3_C4_C2_0	/* NZCV */
	mrs	x2, S3_3_C4_C2_1	/* DAIF */
	orr	x1, x1, x2
	mrs	x2, S3_0_C4_C2_2	/* CurrentEL */
	and	x2, x2, #0xc
	orr	x1, x1, x2
	mrs	x2, S3_0_C4_C2_0	/* SPSel */
	and	x2, x2, #1
	orr	x1, x1, x2
	tbz	x0, #0, 1f
	mrs	x2, S3_0_C4_C2_3	/* PAN */
	orr	x1, x1, x2
1:	tbz	x0, #1, 2f
	mrs	x2, S3_0_C4_C2_4	/* UAO */
	orr	x1, x1, x2
2:	tbz	x0, #2, 3f
	mrs	x2, S3_3_C4_C2_5	/* DIT */
	orr	x1, x1, x2
3:	tbz	x0, #3, 4f
	mrs	x2, S3_3_C4_C2_6	/* SSBS */
	orr	x1, x1, x2
4:	tbz	x0, #4, 5f
	mrs	x2, S3_3_C4_C2_7	/* TCO */
	orr	x1, x1, x2
5:	tbz	x0, #5, 6f
	mrs	x2, S3_0_C4_C3_0	/* ALLINT */
	orr	x1, x1, x2
6:	adrp	x9, sw_pstate_readback
	str	x1, [x9, :lo12:sw_pstate_readback]
	ret

	.bss
	.balign	8
	.global	sw_pstate_readback
sw_pstate_readback:
	.skip	8
