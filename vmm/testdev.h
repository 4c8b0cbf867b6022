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
 *                      1: poison the page with the rig's injector (its
 *                         4 KiB, inside the host page that holds it)
 *                      2: offline the host page in L1 (hard_offline_page):
 *                         the host kernel takes it, the guest's next access
 *                         is SIGBUS BUS_MCEERR_AR
 *                      3: the address is a virtual address of the
 *                         requesting process: poison the page that holds its
 *                         last-level (level 3) page table (arm64/walk.h)
 *                      4: as 3, but offline that page in L1, as 2 does
 *   0x10  STATUS   RO  32 bits: 0, or the positive errno of the last
 *                      request of the vCPU that reads it
 *   0x18  HOLD     RW  32 bits: write a limit in ms (at most 5000); a read
 *                      then keeps the vCPU in its MMIO exit until another
 *                      vCPU writes HOLDERS, and returns 0x484f4c44
 *                      ("HOLD"), or 0x54494d45 ("TIME") at the limit; so a
 *                      test has one vCPU in an MMIO exit while another
 *                      takes an SEA
 *   0x1c  HOLDERS  RW  32 bits: read: vCPUs held now; write: release them
 *
 * One store per request and a status per vCPU keep requests from
 * different vCPUs apart (a test program pins itself to one CPU).  The
 * guest finds its page's GPA in /proc/self/pagemap and reaches the
 * registers through /dev/mem.
 */
#ifndef SEAWALL_VMM_TESTDEV_H
#define SEAWALL_VMM_TESTDEV_H

#include <pthread.h>
#include <stdint.h>

#include "injector.h"
#include "mmio.h"
#include "options.h"

#define TESTDEV_MAGIC		      0x50545753
#define TESTDEV_CMD_POISON	      1
#define TESTDEV_CMD_HW_OFFLINE	      2
#define TESTDEV_CMD_PTE_TABLE	      3
#define TESTDEV_CMD_PTE_TABLE_OFFLINE 4
#define TESTDEV_HOLD_VALUE	      0x484f4c44
#define TESTDEV_HOLD_TIMEOUT	      0x54494d45
#define TESTDEV_HOLD_MAX_MS	      5000
#define TESTDEV_MMIO_SIZE	      4096 /* the guest's view: one 4 KiB page of registers */

struct vm;

struct testdev {
	struct vm *vm;
	struct injector injector;
	uint32_t status[VMM_MAX_CPUS];
	uint32_t hold_ms[VMM_MAX_CPUS];
	pthread_mutex_t hold_lock;
	pthread_cond_t hold_cond;
	unsigned int holders;
	unsigned int releases; /* bumped by every write of HOLDERS */
};

/* Map the injector and register the page.  0 or -errno (logged). */
int testdev__init(struct testdev *t, struct vm *vm, uint64_t base);

/* Undo our poisoning before exit (see injector__unpoison_ours). */
void testdev__exit(struct testdev *t);

#endif
