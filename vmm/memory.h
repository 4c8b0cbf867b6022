/* SPDX-License-Identifier: MIT */
/*
 * Guest RAM and its memslots, and the ways a poisoned page leaves the
 * guest.  RAM is one anonymous mapping, registered with KVM as 1 GiB
 * memslots, so that anything done to one slot costs the same in a 1 GiB
 * and a 64 GiB guest (bench/vmm-contain measures it; docs/vmm.md).
 *
 * Everything here works in host pages (mem->page_size, the host's
 * sysconf(_SC_PAGESIZE)): the host kernel maps, poisons and hands out
 * memory in those, so a bad page is recorded, fenced, quarantined and
 * replaced as the whole host page that holds the bad address, however
 * many guest pages that is (hostpage.h).
 *
 * A bad host page is never touched again, by anyone:
 *   - with CAP_SYS_ADMIN it is handed to the host kernel's memory-failure
 *     handling (madvise MADV_HWPOISON): the host unmaps it everywhere and
 *     never reuses it, even after seawall-vmm exits; a guest access to a
 *     fenced page then comes back as SIGBUS BUS_MCEERR_AR;
 *   - without it, the page stays owned by seawall-vmm: fenced pages sit in
 *     a hole between memslots (a guest access is an MMIO or NISV exit, or
 *     an abort KVM injects itself for a fetch or a table walk), replaced
 *     ones are moved (mremap, no copy) into a PROT_NONE quarantine.
 */
#ifndef SEAWALL_VMM_MEMORY_H
#define SEAWALL_VMM_MEMORY_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <seawall/sea.h>

#define MEM_CHUNK      (1ULL << 30) /* memslot size */
#define MEM_MAX_SLOTS  2048
#define MEM_MAX_POISON 4096 /* bad pages one VM may collect */

/* How a bad page is kept out of the guest. */
enum page_state {
	PAGE_POISONED = 0, /* known bad, still mapped (nothing done yet) */
	PAGE_HANDED_OFF,   /* MADV_HWPOISON: the host owns it, the guest's access traps */
	PAGE_HOLE,	   /* unmapped from the guest by a memslot hole; still ours */
	PAGE_REPLACED, /* fresh memory in its place; the bad page is handed off or quarantined */
};

struct mem_slot {
	uint32_t id;
	uint64_t gpa;
	uint64_t size;
	bool used;
};

struct bad_page {
	uint64_t gpa; /* aligned to the host page */
	enum page_state state;
};

struct memory {
	int vm_fd;
	/*
	 * Changing memslots is not atomic in KVM: while a slot is deleted and
	 * re-added, a vCPU's access there would look like MMIO.  @pause stops
	 * every other vCPU outside the guest (true) and lets them go (false).
	 */
	void (*pause)(void *ctx, bool pause);
	void *pause_ctx;
	uint8_t *ram;
	uint64_t gpa;
	uint64_t size;
	uint64_t page_size; /* the host's page: the unit of containment */
	bool can_hwpoison;  /* CAP_SYS_ADMIN: MADV_HWPOISON is allowed */

	/* The whole RAM mapping as the library's memslot table (hva <-> gpa). */
	struct sw_memslot map_slot;
	struct sw_memmap map;

	pthread_mutex_t lock; /* slots, pages, quarantine */
	struct mem_slot slots[MEM_MAX_SLOTS];
	struct bad_page pages[MEM_MAX_POISON];
	unsigned int nr_pages;
	uint8_t *quarantine; /* PROT_NONE area that owns moved-out bad pages */
	unsigned int quarantine_used;
};

/* Whether this process may hand pages to the host (CAP_SYS_ADMIN). */
bool memory__can_hand_off(void);

/*
 * Map RAM and register it as 1 GiB memslots, in host pages of
 * sysconf(_SC_PAGESIZE).  Logs errors; 0 or -errno.
 */
int memory__create(struct memory *mem, int vm_fd, uint64_t gpa, uint64_t size);

/* The host address of guest [gpa, gpa + len), or NULL if not all RAM. */
void *memory__hva(struct memory *mem, uint64_t gpa, uint64_t len);

/* The guest physical address of the host page that holds @gpa. */
static inline uint64_t memory__page(const struct memory *mem, uint64_t gpa)
{
	return gpa & ~(mem->page_size - 1);
}

/*
 * memory__fence - take the host page at @gpa out of the guest for good (see
 * above).  Idempotent.  Returns 0, -ENOSPC (too many bad pages or slots),
 * or the -errno of the failing call (logged).
 */
int memory__fence(struct memory *mem, uint64_t gpa);

/*
 * memory__replace - give the host page at @gpa fresh zeroed memory, keeping the
 * bad one out of reach (see above).  Returns as memory__fence.
 */
int memory__replace(struct memory *mem, uint64_t gpa);

/*
 * memory__mark_bad - record that @gpa's host page is bad, whatever the policy
 * then does with it, so that a restart gives it fresh memory and the VMM's
 * own accesses (the boot loader) stay away.  Returns 0 or -ENOSPC.
 */
int memory__mark_bad(struct memory *mem, uint64_t gpa);

/* Is @gpa's host page known bad (any state)?  The VMM's own accesses check this. */
bool memory__is_bad(struct memory *mem, uint64_t gpa);

/* Is @gpa in RAM but in a memslot hole (a fenced page, unprivileged)? */
bool memory__in_hole(struct memory *mem, uint64_t gpa);

/*
 * memory__restart - before the VM boots again: every bad page gets fresh
 * memory and the memslots are whole again.  Returns 0 or -errno.
 */
int memory__restart(struct memory *mem);

/* Bad pages by state, for the exit summary. */
void memory__count(struct memory *mem, unsigned int count[4]);

const char *page_state_name(enum page_state state);

#endif
