/* SPDX-License-Identifier: MIT */
/*
 * The poison registry: a fixed-size, lock-free open-addressing set of
 * granule-aligned guest physical addresses.
 *
 * Each slot is one 64-bit word: the key (granule aligned, so its low 12
 * bits are free) ORed with a 2-bit state.
 *
 *   0            empty: ends every probe sequence
 *   key | 2      pending: a thread claimed the slot and is reserving room
 *   key | 1      committed: the key is in the set
 *   3            dead: a claim that found the registry full
 *
 * An insert claims the first empty slot of its key's probe sequence
 * *before* it counts, so concurrent inserts of one key meet at the same
 * slot and only one of them reserves room: the count is exact and
 * -ENOSPC means the registry really is full.  A thread that meets its
 * key pending waits the few instructions until the claimer commits or
 * gives up, so "0, already present" is never said of a key that then
 * fails to go in.  Dead slots are never reused and can only appear while
 * the last free place is being raced for, so at most one per concurrent
 * inserter is ever created.
 */
#include <errno.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>

#include <seawall/registry.h>

#include "compiler.h"

#define SLOT_EMPTY	0u
#define SLOT_COMMITTED	1u
#define SLOT_PENDING	2u
#define SLOT_DEAD	3u
#define SLOT_STATE_MASK 3u

struct sw_registry {
	_Atomic uint64_t *slots;
	uint64_t mask;		 /* slots - 1; slots is a power of two */
	unsigned int hash_shift; /* 64 - log2(slots) */
	unsigned int granule_shift;
	size_t capacity;
	/* Written by every insert: keep it off the read-mostly line above. */
	alignas(64) atomic_size_t count;
};

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield" ::: "memory");
#endif
}

SW_EXPORT int sw_granule_shift(size_t host_page_size, size_t guest_page_size)
{
	size_t sizes[2] = {host_page_size, guest_page_size};
	int shift = 0;

	for (size_t i = 0; i < SW_ARRAY_SIZE(sizes); i++) {
		int s;

		switch (sizes[i]) {
		case 4096:
			s = 12;
			break;
		case 16384:
			s = 14;
			break;
		case 65536:
			s = 16;
			break;
		default:
			return -EINVAL;
		}
		if (s > shift)
			shift = s;
	}
	return shift;
}

SW_EXPORT int sw_registry_create(struct sw_registry **reg, size_t capacity,
				 unsigned int granule_shift)
{
	struct sw_registry *r;
	unsigned int bits = 1;

	if (!reg || capacity == 0 || capacity > SW_REGISTRY_MAX_CAPACITY)
		return -EINVAL;
	if (granule_shift != 12 && granule_shift != 14 && granule_shift != 16)
		return -EINVAL;
	/* At most 3/4 full: linear probing stays short (Knuth, TAOCP 6.4). */
	while (((uint64_t)1 << bits) * 3 < (uint64_t)capacity * 4)
		bits++;

	r = aligned_alloc(alignof(struct sw_registry), sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->slots = calloc((size_t)1 << bits, sizeof(*r->slots));
	if (!r->slots) {
		free(r);
		return -ENOMEM;
	}
	r->mask = ((uint64_t)1 << bits) - 1;
	r->hash_shift = 64 - bits;
	r->granule_shift = granule_shift;
	r->capacity = capacity;
	atomic_init(&r->count, 0);
	*reg = r;
	return 0;
}

SW_EXPORT void sw_registry_destroy(struct sw_registry *reg)
{
	if (!reg)
		return;
	free((void *)reg->slots);
	free(reg);
}

static uint64_t granule_key(const struct sw_registry *reg, uint64_t gpa)
{
	return gpa & ~(((uint64_t)1 << reg->granule_shift) - 1);
}

/* Fibonacci hashing of the granule number: neighbouring pages spread out. */
static uint64_t first_slot(const struct sw_registry *reg, uint64_t key)
{
	return ((key >> reg->granule_shift) * 0x9e3779b97f4a7c15ull) >> reg->hash_shift;
}

/* Claimed slot @i for @key: reserve room, then commit or give up. */
static int commit_claim(struct sw_registry *reg, uint64_t i, uint64_t key)
{
	/* Release: whoever sees this reservation also sees our claim. */
	if (atomic_fetch_add_explicit(&reg->count, 1, memory_order_acq_rel) >= reg->capacity) {
		atomic_fetch_sub_explicit(&reg->count, 1, memory_order_relaxed);
		atomic_store_explicit(&reg->slots[i], SLOT_DEAD, memory_order_release);
		return -ENOSPC;
	}
	atomic_store_explicit(&reg->slots[i], key | SLOT_COMMITTED, memory_order_release);
	return 1;
}

SW_EXPORT int sw_registry_insert(struct sw_registry *reg, uint64_t gpa)
{
	uint64_t key = granule_key(reg, gpa);
	uint64_t i = first_slot(reg, key);

	for (uint64_t n = 0; n <= reg->mask; n++, i = (i + 1) & reg->mask) {
		uint64_t v = atomic_load_explicit(&reg->slots[i], memory_order_acquire);

		if (v == SLOT_EMPTY &&
		    atomic_load_explicit(&reg->count, memory_order_acquire) >= reg->capacity) {
			/*
			 * Full: fail before claiming, so no dead slot is made.
			 * But the reservation that filled it may be for our
			 * own key: a claim is made before its reservation, so
			 * the slot shows it now if it is here.
			 */
			v = atomic_load_explicit(&reg->slots[i], memory_order_acquire);
			if (v == SLOT_EMPTY)
				return -ENOSPC;
		} else if (v == SLOT_EMPTY) {
			if (atomic_compare_exchange_strong_explicit(
				    &reg->slots[i], &v, key | SLOT_PENDING, memory_order_acq_rel,
				    memory_order_acquire))
				return commit_claim(reg, i, key);
			/* Lost the race for this slot: v is what won it. */
		}
		if (v != SLOT_DEAD && (v & ~(uint64_t)SLOT_STATE_MASK) == key) {
			while ((v & SLOT_STATE_MASK) == SLOT_PENDING) {
				cpu_relax();
				v = atomic_load_explicit(&reg->slots[i], memory_order_acquire);
			}
			if (v != SLOT_DEAD)
				return 0;
			/* The claimer found no room; so will we, further on. */
		}
	}
	return -ENOSPC;
}

SW_EXPORT int sw_registry_contains(const struct sw_registry *reg, uint64_t gpa)
{
	uint64_t key = granule_key(reg, gpa);
	uint64_t i = first_slot(reg, key);

	for (uint64_t n = 0; n <= reg->mask; n++, i = (i + 1) & reg->mask) {
		uint64_t v = atomic_load_explicit(&reg->slots[i], memory_order_acquire);

		if (v == SLOT_EMPTY)
			return 0;
		if (v == (key | SLOT_COMMITTED))
			return 1;
	}
	return 0;
}

SW_EXPORT size_t sw_registry_count(const struct sw_registry *reg)
{
	return atomic_load_explicit(&reg->count, memory_order_relaxed);
}

SW_EXPORT size_t sw_registry_capacity(const struct sw_registry *reg)
{
	return reg->capacity;
}

SW_EXPORT unsigned int sw_registry_granule_shift(const struct sw_registry *reg)
{
	return reg->granule_shift;
}

SW_EXPORT size_t sw_registry_footprint(const struct sw_registry *reg)
{
	return sizeof(*reg) + (size_t)(reg->mask + 1) * sizeof(*reg->slots);
}

SW_EXPORT int sw_registry_for_each(const struct sw_registry *reg,
				   int (*fn)(uint64_t gpa, void *arg), void *arg)
{
	for (uint64_t i = 0; i <= reg->mask; i++) {
		uint64_t v = atomic_load_explicit(&reg->slots[i], memory_order_acquire);
		int ret;

		if ((v & SLOT_STATE_MASK) != SLOT_COMMITTED)
			continue;
		ret = fn(v & ~(uint64_t)SLOT_STATE_MASK, arg);
		if (ret)
			return ret;
	}
	return 0;
}
