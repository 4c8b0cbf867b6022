/* SPDX-License-Identifier: MIT */
/*
 * TEST ONLY.  The rig's poison injector, seen from L1: a 4 KiB MMIO
 * device at 0x090c0000 that makes every access to a host physical page
 * fail with a synchronous external abort, as a real uncorrectable memory
 * error would (rig/qemu/0002-*.patch has the register map; docs/rig.md).
 * seawall-vmm uses it only for --test-poison, through /dev/mem, and finds
 * a page's host physical address in /proc/self/pagemap.
 */
#ifndef SEAWALL_VMM_INJECTOR_H
#define SEAWALL_VMM_INJECTOR_H

#include <pthread.h>
#include <stdint.h>

#define INJECTOR_BASE	   0x090c0000ULL
#define INJECTOR_MMIO_SIZE 4096
#define INJECTOR_PAGE	   4096ULL /* its granule, whatever the host's page size */
#define INJECTOR_PAGES	   256	   /* pages it can hold poisoned at once */

struct injector {
	volatile uint32_t *regs;
	int pagemap_fd;
	uint64_t page_size; /* the host's */
	pthread_mutex_t lock;
	uint64_t poisoned[INJECTOR_PAGES]; /* what we poisoned, to undo at exit */
	unsigned int nr_poisoned;
};

/* Map the injector.  Returns 0, or -errno with the reason logged. */
int injector__open(struct injector *inj);

/*
 * Poison the injector's page (INJECTOR_PAGE) at @hpa, which must be
 * aligned to it.  Returns 0, or -errno (logged).
 */
int injector__poison(struct injector *inj, uint64_t hpa);

/*
 * Undo every poisoning of ours, so that L1 may reuse the pages once this
 * process is gone (a poisoned page back in L1's allocator panics L1).
 * Returns the number of pages restored.
 */
unsigned int injector__unpoison_ours(struct injector *inj);

/*
 * The host physical address of @hva (byte exact, from its host page's
 * pagemap entry), which must be resident: 0, -ENOENT if it is not, -EPERM
 * if pagemap hides PFNs.
 */
int hva_to_hpa(struct injector *inj, const void *hva, uint64_t *hpa);

#endif
