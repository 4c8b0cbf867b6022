/* SPDX-License-Identifier: MIT */
/*
 * seawall/registry.h - the set of poisoned guest pages of one VM.
 *
 * The unit is the *granule*: the larger of the host and the guest page
 * size.  One bad host page spans several guest pages when the host page
 * is larger (a 64 KiB host page under a 4 KiB guest), and a guest page is
 * the smallest unit the guest kernel can offline, so either way the
 * granule is the smallest extent both sides agree is lost.  Keys are
 * guest physical addresses aligned down to the granule.
 *
 * The registry is built for the SEA hot path: its table is sized once at
 * creation for a stated capacity, and insert and lookup never allocate,
 * never take a lock and run in O(1) expected time (open addressing,
 * linear probing, at most 3/4 full).  Any number of vCPU threads may
 * insert and look up concurrently.
 */
#ifndef SEAWALL_REGISTRY_H
#define SEAWALL_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The largest capacity sw_registry_create() accepts (a 32 GiB table). */
#define SW_REGISTRY_MAX_CAPACITY ((size_t)1 << 32)

struct sw_registry;

/*
 * sw_granule_shift - log2 of the poison granule for a host and a guest
 * page size.
 * @host_page_size:  the host's page size in bytes (sysconf(_SC_PAGESIZE))
 * @guest_page_size: the guest's translation granule in bytes
 *
 * Returns 12, 14 or 16 (the larger of the two sizes), or -EINVAL if
 * either size is not 4096, 16384 or 65536 (the three AArch64 translation
 * granules, Arm ARM D8.2 "Translation granule").
 */
int sw_granule_shift(size_t host_page_size, size_t guest_page_size);

/*
 * sw_registry_create - allocate an empty registry.
 * @reg:           set to the new registry on success
 * @capacity:      the most distinct granules it will ever hold
 * @granule_shift: 12, 14 or 16, as sw_granule_shift() returns
 *
 * This is the only call that allocates; do it off the hot path.
 *
 * Returns 0, -EINVAL if @capacity is 0 or above SW_REGISTRY_MAX_CAPACITY
 * or @granule_shift is not 12, 14 or 16, or -ENOMEM.
 */
int sw_registry_create(struct sw_registry **reg, size_t capacity, unsigned int granule_shift);

/* sw_registry_destroy - free a registry (NULL is ignored). */
void sw_registry_destroy(struct sw_registry *reg);

/*
 * sw_registry_insert - record the granule that contains @gpa.
 *
 * Safe against concurrent inserts and lookups; does not allocate.  Two
 * threads inserting the same granule at once both see it present when
 * they return, and exactly one of them gets 1.
 *
 * Returns 1 if the granule is new, 0 if it was already present, or
 * -ENOSPC if it is new and the registry already holds @capacity
 * granules (nothing is changed).
 */
int sw_registry_insert(struct sw_registry *reg, uint64_t gpa);

/*
 * sw_registry_contains - whether the granule that contains @gpa is
 * recorded.
 *
 * Returns 1 or 0.
 */
int sw_registry_contains(const struct sw_registry *reg, uint64_t gpa);

/* sw_registry_count - the number of distinct granules recorded. */
size_t sw_registry_count(const struct sw_registry *reg);

/* sw_registry_capacity - the capacity given to sw_registry_create(). */
size_t sw_registry_capacity(const struct sw_registry *reg);

/* sw_registry_granule_shift - the granule given to sw_registry_create(). */
unsigned int sw_registry_granule_shift(const struct sw_registry *reg);

/*
 * sw_registry_footprint - the bytes the registry occupies: its handle
 * plus its table, which is fixed at creation.
 */
size_t sw_registry_footprint(const struct sw_registry *reg);

/*
 * sw_registry_for_each - call @fn for every recorded granule, in no
 * particular order.
 * @fn:  gets the granule's address and @arg; a non-zero return stops
 *       the walk
 *
 * Granules inserted before the call are visited exactly once; granules
 * inserted concurrently may or may not be.
 *
 * Returns 0 after visiting every granule, or the first non-zero value
 * @fn returned.
 */
int sw_registry_for_each(const struct sw_registry *reg, int (*fn)(uint64_t gpa, void *arg),
			 void *arg);

#ifdef __cplusplus
}
#endif

#endif
