// SPDX-License-Identifier: MIT
/* The probe table, and filling the victim pages the probes touch. */
#include "guest.h"
#include "sysreg.h"

#define PROBE(a, b)                                                                                \
	extern void sw_probe_##a##_##b(uint64_t);                                                  \
	extern char sw_probe_##a##_##b##_insn[];
#define FETCH(b) extern void sw_probe_fetch_##b(uint64_t);
PROBE(load, none)
PROBE(load, br)
PROBE(load, blr)
PROBE(store, none)
PROBE(store, br)
PROBE(store, blr)
FETCH(none)
FETCH(br)
FETCH(blr)
extern const uint32_t sw_victim_code[], sw_victim_code_end[];

#define ENTRY(a, b)                                                                                \
	{                                                                                          \
		sw_probe_##a##_##b, (uint64_t)sw_probe_##a##_##b##_insn                            \
	}

static const struct sw_probe probes[3][3] = {
	[SW_ACCESS_LOAD] = {ENTRY(load, none), ENTRY(load, br), ENTRY(load, blr)},
	[SW_ACCESS_STORE] = {ENTRY(store, none), ENTRY(store, br), ENTRY(store, blr)},
	[SW_ACCESS_FETCH] = {{sw_probe_fetch_none, 0},
			     {sw_probe_fetch_br, 0},
			     {sw_probe_fetch_blr, 0}},
};

const struct sw_probe *sw_probe_get(int access, int branch)
{
	if (access < 0 || access > SW_ACCESS_FETCH || branch < 0 || branch > SW_BRANCH_BLR)
		GUEST_FAIL("no probe for access %d branch %d", access, branch);
	return &probes[access][branch];
}

void sw_sync_icache(uint64_t addr, uint64_t len)
{
	/* D7.5.9.2: clean to the PoU, then invalidate the instruction cache. */
	for (uint64_t a = addr & ~63UL; a < addr + len; a += 64)
		__asm__ volatile("dc cvau, %0" ::"r"(a) : "memory");
	dsb(ish);
	__asm__ volatile("ic iallu" ::: "memory");
	dsb(ish);
	isb();
}

void sw_victim_fill(void)
{
	volatile uint64_t *data = (volatile uint64_t *)SW_GUEST_VICTIM_DATA;
	volatile uint32_t *code =
		(volatile uint32_t *)(SW_GUEST_VICTIM_CODE + SW_GUEST_CODE_OFFSET);
	uint64_t n = (uint64_t)(sw_victim_code_end - sw_victim_code);

	for (uint64_t off = 0; off < 4096; off += 8)
		data[off / 8] = SW_GUEST_PATTERN(off);
	for (uint64_t i = 0; i < n; i++)
		code[i] = sw_victim_code[i];
	sw_sync_icache(SW_GUEST_VICTIM_CODE + SW_GUEST_CODE_OFFSET, n * 4);
}

uint64_t sw_victim_page(int access)
{
	return access == SW_ACCESS_FETCH ? SW_GUEST_VICTIM_CODE : SW_GUEST_VICTIM_DATA;
}

uint64_t sw_target(int access, int ctx, int mmu, int unassigned)
{
	uint64_t page;

	if (!mmu)
		page = unassigned ? SW_GUEST_UNASSIGNED_PA : sw_victim_page(access);
	else if (access == SW_ACCESS_FETCH)
		page = unassigned ? SW_GUEST_ALIAS_UNASSIGNED_CODE : SW_GUEST_ALIAS_CODE;
	else if (ctx == SW_CTX_EL0)
		page = unassigned ? SW_GUEST_ALIAS_UNASSIGNED_EL0 : SW_GUEST_ALIAS_DATA_EL0;
	else
		page = unassigned ? SW_GUEST_ALIAS_UNASSIGNED_EL1 : SW_GUEST_ALIAS_DATA_EL1;
	return page + (access == SW_ACCESS_FETCH ? SW_GUEST_CODE_OFFSET : SW_GUEST_DATA_OFFSET);
}
