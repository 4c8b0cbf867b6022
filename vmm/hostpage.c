/* SPDX-License-Identifier: MIT */
#include <errno.h>

#include "hostpage.h"

static bool power_of_two(uint64_t v)
{
	return v && !(v & (v - 1));
}

bool hostpage_size_ok(uint64_t size)
{
	return power_of_two(size) && size >= 4096 && size <= 65536;
}

int hostpage_guest_span(uint64_t gpa, uint64_t host_page, uint64_t guest_page, uint64_t *first,
			uint32_t *npages)
{
	uint64_t unit;

	if (!power_of_two(host_page) || !power_of_two(guest_page))
		return -EINVAL;
	/* What is lost is the larger of the two: both sides work in whole pages. */
	unit = host_page > guest_page ? host_page : guest_page;
	if (unit / guest_page > UINT32_MAX)
		return -EINVAL;
	*first = gpa & ~(unit - 1);
	*npages = (uint32_t)(unit / guest_page);
	return 0;
}

uint64_t hostpage_pagemap_offset(uint64_t hva, uint64_t page_size)
{
	return hva / page_size * sizeof(uint64_t);
}

int hostpage_pagemap_hpa(uint64_t entry, uint64_t hva, uint64_t page_size, uint64_t *hpa)
{
	uint64_t pfn = entry & ((1ULL << 55) - 1);

	if (!(entry >> 63))
		return -ENOENT;
	if (!pfn)
		return -EPERM;
	*hpa = pfn * page_size + (hva & (page_size - 1));
	return 0;
}
