/* SPDX-License-Identifier: MIT */
/*
 * Translate between host virtual and guest physical addresses through the
 * VMM's memslot table.  A SIGBUS names the poisoned page by its host virtual
 * address; the guest, the journal and the policy need its guest physical one.
 *
 * Lookups are a linear scan: a VM has a handful of slots (KVM allows at most
 * KVM_CAP_NR_MEMSLOTS), the scan allocates nothing and is bounded by the
 * table the VMM built.
 */
#include <errno.h>

#include <seawall/sea.h>

#include "compiler.h"

static bool map_readable(const struct sw_memmap *map)
{
	return map && (map->count == 0 || map->slots);
}

/* Last byte of [base, base + size), or false if the range wraps past 2^64. */
static bool range_last(uint64_t base, uint64_t size, uint64_t *last)
{
	*last = base + (size - 1);
	return *last >= base;
}

SW_EXPORT int sw_memmap_validate(const struct sw_memmap *map, size_t *slot, const char **reason)
{
	const char *why = NULL;
	size_t bad = 0;

	if (!map_readable(map)) {
		why = "no memslot table, or a count with no slots (NULL)";
		goto invalid;
	}
	for (size_t i = 0; i < map->count && !why; i++) {
		const struct sw_memslot *s = &map->slots[i];
		uint64_t last, hva_last;

		bad = i;
		if (s->size == 0)
			why = "a memslot has size 0";
		else if (!range_last(s->gpa, s->size, &last))
			why = "a memslot's guest physical range wraps past 2^64";
		else if (!range_last(s->hva, s->size, &hva_last))
			why = "a memslot's host virtual range wraps past 2^64";
		for (size_t j = 0; j < i && !why; j++) {
			const struct sw_memslot *o = &map->slots[j];

			/* Both ranges are valid here: o was checked on its turn. */
			if (s->gpa <= o->gpa + (o->size - 1) && o->gpa <= last)
				why = "two memslots overlap in guest physical space";
		}
	}
	if (!why)
		return 0;
invalid:
	if (slot)
		*slot = bad;
	if (reason)
		*reason = why;
	return -EINVAL;
}

/* Translate @addr from one address space of the slots to the other. */
static int translate(const struct sw_memmap *map, uint64_t addr, bool from_hva, uint64_t *out)
{
	if (!map_readable(map) || !out)
		return -EINVAL;
	for (size_t i = 0; i < map->count; i++) {
		const struct sw_memslot *s = &map->slots[i];
		uint64_t from = from_hva ? s->hva : s->gpa;
		uint64_t to = from_hva ? s->gpa : s->hva;

		/* Unsigned: an address below the slot wraps to a huge offset. */
		if (addr - from < s->size) {
			*out = to + (addr - from);
			return 0;
		}
	}
	return -ENOENT;
}

SW_EXPORT int sw_memmap_hva_to_gpa(const struct sw_memmap *map, uint64_t hva, uint64_t *gpa)
{
	return translate(map, hva, true, gpa);
}

SW_EXPORT int sw_memmap_gpa_to_hva(const struct sw_memmap *map, uint64_t gpa, uint64_t *hva)
{
	return translate(map, gpa, false, hva);
}
