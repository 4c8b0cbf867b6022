/* SPDX-License-Identifier: MIT */
/*
 * poison.h - the rig's poison injector (rig/qemu/0002-*.patch, docs/rig.md)
 * seen from a program in L1, and the host physical address of a page.
 *
 * The injector is found through the device tree (compatible
 * "qemu,poison-injector") and its registers are mapped from /dev/mem.
 * Every page poisoned through poison_page() is remembered and unpoisoned
 * by rig_cleanup() whatever way the case ends: a poisoned page freed back
 * to L1's allocator would later panic L1.
 */
#ifndef SEAWALL_RIG_POISON_H
#define SEAWALL_RIG_POISON_H

#include <stdint.h>

/* Register offsets and values (docs/rig.md, "Our QEMU patches"). */
#define INJ_MAGIC     0x00
#define INJ_VERSION   0x04
#define INJ_PAGE_SIZE 0x08
#define INJ_CAPACITY  0x0c
#define INJ_ADDR_LO   0x10
#define INJ_ADDR_HI   0x14
#define INJ_CMD	      0x18
#define INJ_STATUS    0x1c
#define INJ_COUNT     0x20
#define INJ_HITS_LO   0x24
#define INJ_HITS_HI   0x28

#define INJ_MAGIC_VALUE 0x50534e31 /* "PSN1" */

#define INJ_CMD_POISON	     1
#define INJ_CMD_UNPOISON     2
#define INJ_CMD_UNPOISON_ALL 3
#define INJ_CMD_QUERY	     4

#define INJ_STATUS_OK		    0
#define INJ_STATUS_UNALIGNED	    1
#define INJ_STATUS_NOT_RAM	    2
#define INJ_STATUS_FULL		    3
#define INJ_STATUS_NOT_POISONED	    4
#define INJ_STATUS_ALREADY_POISONED 5
#define INJ_STATUS_BAD_COMMAND	    6

/*
 * injector_open - find and map the injector (idempotent).  Returns 0, or
 * -ENOENT when no device tree node names it (not the rig's QEMU), or the
 * negative errno of /dev/mem.  *where names what failed.
 */
int injector_open(const char **where);
uint32_t injector_read(uint32_t reg);
/* Run a command on pa; returns STATUS. */
uint32_t injector_command(uint32_t cmd, uint64_t pa);
uint32_t injector_count(void);
uint64_t injector_hits(void);

/* The host physical address behind hva (root: /proc/self/pagemap). */
uint64_t hva_to_hpa(const void *hva);

/*
 * poison_page / unpoison_page - poison or restore the host page behind a
 * page-aligned hva, asserting STATUS OK; poison_page registers the
 * clean-up.  Both return the host physical address.
 */
uint64_t poison_page(const void *hva);
uint64_t unpoison_page(const void *hva);

/* Skip the case unless the injector is there. */
void require_injector(void);

#endif
