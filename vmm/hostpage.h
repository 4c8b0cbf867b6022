/* SPDX-License-Identifier: MIT */
/*
 * Host pages in guest terms: pure arithmetic, no state, no I/O (unit
 * tests: tests/unit/test-vmm-hostpage.c).
 *
 * seawall-vmm contains memory by *host* page (sysconf(_SC_PAGESIZE): 4, 16
 * or 64 KiB on arm64), because that is the unit in which the host kernel
 * maps guest RAM, poisons it and hands it out again: a bad host page is
 * lost whole, whatever part of it the error hit.  The guest names its
 * memory in its own pages (GUEST_PAGE), so one bad host page may be
 * several guest pages, and the guest must be told about all of them.
 */
#ifndef SEAWALL_VMM_HOSTPAGE_H
#define SEAWALL_VMM_HOSTPAGE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The guest's page size as far as this VMM is concerned: the 4 KiB
 * translation granule its stage 1 walk understands (arm64/walk.c), and
 * the page format of testdev's requests (command in bits 11:0).  The
 * agent tells the guest kernel's real page size in its HELLO.
 */
#define GUEST_PAGE 4096ULL

/* Is @size a page size this VMM handles (a power of two, 4 KiB to 64 KiB)? */
bool hostpage_size_ok(uint64_t size);

/*
 * hostpage_guest_span - the guest pages that hold the bad host memory at
 * @gpa: the host page of @host_page bytes around @gpa, in guest pages of
 * @guest_page bytes.  A host page larger than a guest page spans
 * host_page / guest_page of them; a smaller one lies inside one.
 * *@first is the first guest page, *@npages how many.
 *
 * Returns 0, or -EINVAL if either size is not a power of two or the
 * count does not fit 32 bits.
 */
int hostpage_guest_span(uint64_t gpa, uint64_t host_page, uint64_t guest_page, uint64_t *first,
			uint32_t *npages);

/* The offset in /proc/self/pagemap of the entry for @hva (one entry per host page). */
uint64_t hostpage_pagemap_offset(uint64_t hva, uint64_t page_size);

/*
 * hostpage_pagemap_hpa - the host physical address of @hva from its
 * pagemap @entry (Documentation/admin-guide/mm/pagemap.rst: bit 63
 * present, bits 54:0 the PFN, in host pages).
 *
 * Returns 0, -ENOENT if the page is not present, -EPERM if the PFN reads
 * as zero (the reader lacked CAP_SYS_ADMIN when it opened pagemap).
 */
int hostpage_pagemap_hpa(uint64_t entry, uint64_t hva, uint64_t page_size, uint64_t *hpa);

#endif
