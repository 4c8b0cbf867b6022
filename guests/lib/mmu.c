// SPDX-License-Identifier: MIT
/*
 * Stage-1 translation for the guests: 4 KiB granule, TTBR0_EL1 only,
 * 39-bit VA (TCR_EL1.T0SZ = 25), so a walk starts at level 1 (Arm ARM DDI
 * 0487, D8.2 "Translation table walk").  Every table sits at a fixed IPA
 * (SW_GUEST_PT_*) so a test can poison one and know which walk level
 * reads it:
 *
 *   L1[0]  VA 0-1 GiB      block, Device-nGnRnE, identity (UART, injector, ucall)
 *   L1[1]  VA 1-2 GiB   -> L2_LOW[0]   -> L3_IMAGE  (image and test pages, identity)
 *   L1[2]  VA 2-3 GiB   -> L2_ALIAS[0] -> L3_ALIAS  (the SW_GUEST_ALIAS_* pages)
 */
#include "guest.h"
#include "sysreg.h"

/* VMSAv8-64 descriptor bits (D8.3). */
#define PTE_VALID      (1UL << 0)
#define PTE_TABLE      (1UL << 1) /* table at levels 1-2, page at level 3 */
#define PTE_ATTRIDX(n) ((uint64_t)(n) << 2)
#define PTE_AP_EL0     (1UL << 6) /* AP[1]: EL0 may access */
#define PTE_AP_RO      (1UL << 7) /* AP[2]: read-only */
#define PTE_SH_INNER   (3UL << 8)
#define PTE_AF	       (1UL << 10)
#define PTE_PXN	       (1UL << 53)
#define PTE_UXN	       (1UL << 54)

/* MAIR_EL1 attribute indexes. */
#define ATTR_DEVICE 0 /* 0x00: Device-nGnRnE */
#define ATTR_NORMAL 1 /* 0xff: Normal, Write-Back, Read/Write-Allocate */
#define MAIR_VALUE  (0xffUL << (8 * ATTR_NORMAL))

#define TCR_T0SZ(n)    ((uint64_t)(n) << 0)
#define TCR_IRGN0_WBWA (1UL << 8)
#define TCR_ORGN0_WBWA (1UL << 10)
#define TCR_SH0_INNER  (3UL << 12)
#define TCR_TG0_4K     (0UL << 14)
#define TCR_EPD1       (1UL << 23)
#define TCR_IPS_40BIT  (2UL << 32)

#define PAGE_SIZE   4096UL
#define NORMAL_PAGE (PTE_VALID | PTE_TABLE | PTE_AF | PTE_SH_INNER | PTE_ATTRIDX(ATTR_NORMAL))

/*
 * EL1 data: EL1 RW, never executable.  EL0 data: EL0 and EL1 RW.  Code:
 * read-only at both levels and executable at both (EL1 may not execute a
 * page EL0 can write, D8.4.1.2).
 */
#define MAP_EL1_DATA (NORMAL_PAGE | PTE_PXN | PTE_UXN)
#define MAP_EL0_DATA (NORMAL_PAGE | PTE_AP_EL0 | PTE_PXN | PTE_UXN)
#define MAP_CODE     (NORMAL_PAGE | PTE_AP_EL0 | PTE_AP_RO)

extern char __text_start[], __text_end[], __image_end[];

static uint64_t *table(uint64_t ipa)
{
	return (uint64_t *)ipa;
}

static uint64_t image_page_attrs(uint64_t pa)
{
	if (pa >= (uint64_t)__text_start && pa < (uint64_t)__text_end)
		return MAP_CODE;
	if (pa < (uint64_t)__image_end)
		return MAP_EL1_DATA;
	if (pa >= SW_GUEST_PT_BASE && pa < SW_GUEST_PT_BASE + SW_GUEST_PT_PAGES * PAGE_SIZE)
		return MAP_EL1_DATA;
	/* The victim code page is written through here, executed through its alias. */
	if (pa == SW_GUEST_VICTIM_DATA || pa == SW_GUEST_VICTIM_CODE)
		return MAP_EL1_DATA;
	if (pa == SW_GUEST_EL0_STACK || pa == SW_GUEST_EL0_DATA)
		return MAP_EL0_DATA;
	return 0;
}

static void map_alias(uint64_t va, uint64_t pa, uint64_t attrs)
{
	table(SW_GUEST_PT_L3_ALIAS)[(va >> 12) & 511] = pa | attrs;
}

static void build(void)
{
	uint64_t *l1 = table(SW_GUEST_PT_L1);

	for (uint64_t i = 0; i < SW_GUEST_PT_PAGES * PAGE_SIZE / 8; i++)
		table(SW_GUEST_PT_BASE)[i] = 0;

	l1[0] = 0 | PTE_VALID | PTE_AF | PTE_ATTRIDX(ATTR_DEVICE) | PTE_PXN | PTE_UXN;
	l1[1] = SW_GUEST_PT_L2_LOW | PTE_VALID | PTE_TABLE;
	l1[2] = SW_GUEST_PT_L2_ALIAS | PTE_VALID | PTE_TABLE;
	table(SW_GUEST_PT_L2_LOW)[0] = SW_GUEST_PT_L3_IMAGE | PTE_VALID | PTE_TABLE;
	table(SW_GUEST_PT_L2_ALIAS)[0] = SW_GUEST_PT_L3_ALIAS | PTE_VALID | PTE_TABLE;

	for (uint64_t i = 0; i < 512; i++) {
		uint64_t pa = SW_GUEST_RAM_BASE + i * PAGE_SIZE;
		uint64_t attrs = image_page_attrs(pa);

		table(SW_GUEST_PT_L3_IMAGE)[i] = attrs ? pa | attrs : 0;
	}

	map_alias(SW_GUEST_ALIAS_DATA_EL1, SW_GUEST_VICTIM_DATA, MAP_EL1_DATA);
	map_alias(SW_GUEST_ALIAS_CODE, SW_GUEST_VICTIM_CODE, MAP_CODE);
	map_alias(SW_GUEST_ALIAS_DATA_EL0, SW_GUEST_VICTIM_DATA, MAP_EL0_DATA);
	map_alias(SW_GUEST_ALIAS_UNASSIGNED_EL1, SW_GUEST_UNASSIGNED_PA, MAP_EL1_DATA);
	map_alias(SW_GUEST_ALIAS_UNASSIGNED_CODE, SW_GUEST_UNASSIGNED_PA, MAP_CODE);
	map_alias(SW_GUEST_ALIAS_UNASSIGNED_EL0, SW_GUEST_UNASSIGNED_PA, MAP_EL0_DATA);
	dsb(ishst);
}

void sw_mmu_enable(void)
{
	build();
	write_sysreg(mair_el1, MAIR_VALUE);
	write_sysreg(tcr_el1, TCR_T0SZ(25) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER |
				      TCR_TG0_4K | TCR_EPD1 | TCR_IPS_40BIT);
	write_sysreg(ttbr0_el1, SW_GUEST_PT_L1);
	isb();
	__asm__ volatile("tlbi vmalle1" ::: "memory");
	dsb(nsh);
	isb();
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | SCTLR_M | SCTLR_C | SCTLR_I);
	isb();
}
