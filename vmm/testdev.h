/* SPDX-License-Identifier: MIT */
/*
 * TEST ONLY (--test-poison): a 4 KiB MMIO page through which a guest test
 * program asks seawall-vmm to make one of its own pages bad, so that the
 * end-to-end tests create real poison where they want it.  Never enabled
 * without the option; the device tree names it "seawall,test-poison".
 *
 *   0x00  MAGIC    RO  32 bits: 0x50545753 ("SWTP")
 *   0x04  VERSION  RO  32 bits: 1
 *   0x08  REQUEST  WO  64 bits, one store: the page's guest physical address
 *                      with a command in bits 11:0:
 *                      1: poison the page's host page with the rig's injector
 *                      2: offline the host page in L1 (hard_offline_page):
 *                         the host kernel takes it, the guest's next access
 *                         is SIGBUS BUS_MCEERR_AR
 *   0x10  STATUS   RO  32 bits: 0, or the positive errno of the last
 *                      request of the vCPU that reads it
 *
 * One store per request and a status per vCPU keep requests from
 * different vCPUs apart (a test program pins itself to one CPU).  The
 * guest finds its page's GPA in /proc/self/pagemap and reaches the
 * registers through /dev/mem.
 */
#ifndef SEAWALL_VMM_TESTDEV_H
#define SEAWALL_VMM_TESTDEV_H

#include <stdint.h>

#include "injector.h"
#include "mmio.h"
#include "options.h"

#define TESTDEV_MAGIC	       0x50545753
#define TESTDEV_CMD_POISON     1
#define TESTDEV_CMD_HW_OFFLINE 2

struct vm;

struct testdev {
	struct vm *vm;
	struct injector injector;
	uint32_t status[VMM_MAX_CPUS];
};

/* Map the injector and register the page.  0 or -errno (logged). */
int testdev__init(struct testdev *t, struct vm *vm, uint64_t base);

/* Undo our poisoning before exit (see injector__unpoison_ours). */
void testdev__exit(struct testdev *t);

#endif
