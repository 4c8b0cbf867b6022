/* SPDX-License-Identifier: MIT */
/*
 * guest_abi.h - the contract between seawall's bare-metal test guests and
 * whoever runs them: a rig test program under KVM (tests/rig/), or plain
 * QEMU TCG (tests/tcg/).  Included by both sides, so it holds only
 * constants and fixed-layout structs.
 *
 * Memory map (guest physical = IPA under KVM, PA under TCG):
 *
 *   0x40000000  image: .text (with the parameter block at +0x40),
 *               .rodata, .data, .bss, stacks          (< 1 MiB)
 *   0x40100000  stage-1 translation tables, one page each (SW_GUEST_PT_*)
 *   0x40180000  victim data page: what a test poisons and touches
 *   0x40181000  victim code page: a small function a test fetches from
 *   0x40182000  EL0 stack page, 0x40183000 EL0 data page
 *
 * With the MMU on the guest maps the image and these pages 1:1 and adds
 * aliases above 0x80000000 so that a virtual address differs from the
 * physical one (SW_GUEST_ALIAS_*).
 */
#ifndef SEAWALL_GUEST_ABI_H
#define SEAWALL_GUEST_ABI_H

#ifdef __ASSEMBLER__
#define SW_U64(x) x
#else
#include <stdint.h>
#define SW_U64(x) x##UL
#endif

#define SW_GUEST_RAM_BASE SW_U64(0x40000000)
/* What a rig test maps: everything in the memory map above. */
#define SW_GUEST_RAM_SIZE SW_U64(0x00200000)

/* The parameter block, at a fixed place in the image (see start.S). */
#define SW_GUEST_PARAMS	      (SW_GUEST_RAM_BASE + 0x40)
#define SW_GUEST_PARAMS_MAGIC SW_U64(0x31534d5241505753) /* "SWPARMS1" */

/* Translation tables (4 KiB granule, 39-bit VA, walk starts at level 1). */
#define SW_GUEST_PT_BASE     SW_U64(0x40100000)
#define SW_GUEST_PT_L1	     (SW_GUEST_PT_BASE + 0x0000) /* level 1, TTBR0_EL1 */
#define SW_GUEST_PT_L2_LOW   (SW_GUEST_PT_BASE + 0x1000) /* level 2, VA 1-2 GiB */
#define SW_GUEST_PT_L3_IMAGE (SW_GUEST_PT_BASE + 0x2000) /* level 3, VA 0x40000000 + 2 MiB */
#define SW_GUEST_PT_L2_ALIAS (SW_GUEST_PT_BASE + 0x3000) /* level 2, VA 2-3 GiB */
#define SW_GUEST_PT_L3_ALIAS (SW_GUEST_PT_BASE + 0x4000) /* level 3, VA 0x80000000 + 2 MiB */
#define SW_GUEST_PT_PAGES    5

#define SW_GUEST_VICTIM_DATA SW_U64(0x40180000)
#define SW_GUEST_VICTIM_CODE SW_U64(0x40181000)
#define SW_GUEST_EL0_STACK   SW_U64(0x40182000)
#define SW_GUEST_EL0_DATA    SW_U64(0x40183000)

/*
 * Offsets inside the victim pages where tests touch them: not page
 * aligned, so that a reported gva keeps the offset while a gpa does not.
 */
#define SW_GUEST_DATA_OFFSET 0x48
#define SW_GUEST_CODE_OFFSET 0x40

/*
 * The victim data page holds SW_GUEST_PATTERN(offset) in each aligned
 * doubleword; the victim code function returns SW_GUEST_CODE_RESULT.
 */
#define SW_GUEST_PATTERN(off) (SW_U64(0x5357000000000000) | (uint64_t)(off))
#define SW_GUEST_CODE_RESULT  SW_U64(0x5357c0de)
/* The doubleword a store probe writes (guests/lib/probe.S builds it). */
#define SW_GUEST_STORE_VALUE SW_U64(0x5357000057524954)

/*
 * Virtual aliases, MMU on (all map level 3 pages of SW_GUEST_PT_L3_ALIAS):
 * the victim data page EL1 RW and never executable; the victim code page
 * read-only and executable at EL0 and EL1; the victim data page EL0 RW.
 */
#define SW_GUEST_ALIAS_DATA_EL1 SW_U64(0x80180000)
#define SW_GUEST_ALIAS_CODE	SW_U64(0x80181000)
#define SW_GUEST_ALIAS_DATA_EL0 SW_U64(0x801c0000)
/* The same three for SW_GUEST_UNASSIGNED_PA (plain TCG only). */
#define SW_GUEST_ALIAS_UNASSIGNED_EL1  SW_U64(0x80190000)
#define SW_GUEST_ALIAS_UNASSIGNED_CODE SW_U64(0x80191000)
#define SW_GUEST_ALIAS_UNASSIGNED_EL0  SW_U64(0x801d0000)

/*
 * The ucall doorbell under KVM: a 64-bit store of the struct sw_ucall's
 * address to this unbacked IPA (KVM_EXIT_MMIO).  Under plain TCG the guest
 * writes text lines to the PL011 instead.
 */
#define SW_GUEST_UCALL_MMIO SW_U64(0x0b000000)
#define SW_GUEST_PL011	    SW_U64(0x09000000)
/* The poison injector of the rig's QEMU virt board (rig/qemu/0002-*.patch). */
#define SW_GUEST_INJECTOR SW_U64(0x090c0000)
/* A physical address nothing on the virt board decodes (plain TCG). */
#define SW_GUEST_UNASSIGNED_PA SW_U64(0x0b100000)

/* struct sw_guest_params.ucall_mode */
#define SW_UCALL_MODE_UART 0 /* the image's default: plain TCG */
#define SW_UCALL_MODE_MMIO 1 /* set by a KVM host */

/* struct sw_ucall.cmd */
#define SW_UCALL_NONE  0
#define SW_UCALL_SYNC  1 /* args[0] is a stage number; the host resumes */
#define SW_UCALL_DONE  2 /* the guest finished; it halts */
#define SW_UCALL_FAIL  3 /* a guest assertion failed: file, line, text */
#define SW_UCALL_PRINT 4 /* text */

/* Where a guest body runs (struct sw_guest_params args, struct sw_exc_record). */
#define SW_CTX_EL1H 0 /* EL1 using SP_EL1 */
#define SW_CTX_EL1T 1 /* EL1 using SP_EL0 */
#define SW_CTX_EL0  2

/* What a guest body does to the target address. */
#define SW_ACCESS_LOAD	0
#define SW_ACCESS_STORE 1
#define SW_ACCESS_FETCH 2

/* How the faulting instruction is reached: sets PSTATE.BTYPE (Arm ARM D8.5, FEAT_BTI). */
#define SW_BRANCH_NONE 0 /* sequential, or RET Xn for a fetch: BTYPE 00 */
#define SW_BRANCH_BR   1 /* BR X16: BTYPE 01 */
#define SW_BRANCH_BLR  2 /* BLR X16: BTYPE 10 */

/* Which exception the vector table saw (struct sw_exc_record.kind). */
#define SW_EXC_NONE   0
#define SW_EXC_SYNC   1
#define SW_EXC_IRQ    2
#define SW_EXC_FIQ    3
#define SW_EXC_SERROR 4

/*
 * struct sw_exc_record.pstate_valid: which PSTATE fields the handler could
 * read (a PSTATE-field MRS is UNDEFINED without its feature).
 */
#define SW_PSTATE_HAS_PAN    (1u << 0)
#define SW_PSTATE_HAS_UAO    (1u << 1)
#define SW_PSTATE_HAS_DIT    (1u << 2)
#define SW_PSTATE_HAS_SSBS   (1u << 3)
#define SW_PSTATE_HAS_TCO    (1u << 4)
#define SW_PSTATE_HAS_ALLINT (1u << 5)

#ifndef __ASSEMBLER__

struct sw_guest_params {
	uint64_t magic;	     /* SW_GUEST_PARAMS_MAGIC */
	uint64_t ucall_mode; /* SW_UCALL_MODE_* */
	uint64_t args[6];    /* what each guest behaviour documents */
};

struct sw_ucall {
	uint64_t cmd; /* SW_UCALL_* */
	uint64_t args[6];
	uint64_t line;
	char file[64];
	char text[256];
};

/*
 * The first exception a guest body took, as the vector table saw it.
 * pstate is PSTATE at handler entry in SPSR layout, put together from the
 * PSTATE-field registers (CurrentEL, SPSel, NZCV, DAIF, PAN, UAO, DIT,
 * SSBS, TCO, ALLINT: those pstate_valid names, the rest always).
 */
struct sw_exc_record {
	uint64_t kind;	 /* SW_EXC_* */
	uint64_t vector; /* offset from VBAR_EL1: 0x000 ... 0x780 */
	uint64_t esr;
	uint64_t far;
	uint64_t elr;
	uint64_t spsr;
	uint64_t pstate;
	uint64_t pstate_valid; /* SW_PSTATE_HAS_* */
};

#endif /* __ASSEMBLER__ */
#endif
