/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/kvm.h>

#include "hostpage.h"
#include "log.h"
#include "memory.h"
#include "sigbus.h"

#ifndef EHWPOISON
#define EHWPOISON 133
#endif

const char *page_state_name(enum page_state state)
{
	static const char *const names[] = {"poisoned", "handed-off", "hole", "replaced"};

	return state <= PAGE_REPLACED ? names[state] : "invalid";
}

/* CAP_SYS_ADMIN in the effective set: what MADV_HWPOISON requires. */
bool memory__can_hand_off(void)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return false;
	return data[CAP_SYS_ADMIN / 32].effective & (1U << (CAP_SYS_ADMIN % 32));
}

static int set_slot(struct memory *mem, uint32_t id, uint64_t gpa, uint64_t size)
{
	struct kvm_userspace_memory_region r = {
		.slot = id,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = size ? (uint64_t)(uintptr_t)(mem->ram + (gpa - mem->gpa)) : 0,
	};

	if (ioctl(mem->vm_fd, KVM_SET_USER_MEMORY_REGION, &r)) {
		int ret = -errno;

		vmm__log("memslot %u [0x%llx, +0x%llx): KVM_SET_USER_MEMORY_REGION: %s", id,
			 (unsigned long long)gpa, (unsigned long long)size, strerror(errno));
		return ret;
	}
	mem->slots[id] = (struct mem_slot){id, gpa, size, size != 0};
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Register the 1 GiB chunk at @base again, leaving out its PAGE_HOLE
 * pages: delete its slots, then add one slot per stretch between holes.
 * The caller holds the lock and has the other vCPUs paused.
 */
static int rebuild_chunk(struct memory *mem, uint64_t base)
{
	uint64_t end =
		base + MEM_CHUNK < mem->gpa + mem->size ? base + MEM_CHUNK : mem->gpa + mem->size;
	uint64_t holes[MEM_MAX_POISON], from = base;
	unsigned int nr = 0, id = 0;
	int ret;

	for (unsigned int i = 0; i < MEM_MAX_SLOTS; i++)
		if (mem->slots[i].used && mem->slots[i].gpa >= base && mem->slots[i].gpa < end &&
		    (ret = set_slot(mem, i, mem->slots[i].gpa, 0)))
			return ret;
	for (unsigned int i = 0; i < mem->nr_pages; i++)
		if (mem->pages[i].state == PAGE_HOLE && mem->pages[i].gpa >= base &&
		    mem->pages[i].gpa < end)
			holes[nr++] = mem->pages[i].gpa;
	qsort(holes, nr, sizeof(holes[0]), cmp_u64);
	for (unsigned int h = 0; h <= nr; h++) {
		uint64_t to = h < nr ? holes[h] : end;

		if (to > from) {
			while (id < MEM_MAX_SLOTS && mem->slots[id].used)
				id++;
			if (id == MEM_MAX_SLOTS) {
				vmm__log("out of memslots (%d) to fence pages", MEM_MAX_SLOTS);
				return -ENOSPC;
			}
			ret = set_slot(mem, id, from, to - from);
			if (ret)
				return ret;
		}
		from = to + mem->page_size;
	}
	return 0;
}

int memory__create(struct memory *mem, int vm_fd, uint64_t gpa, uint64_t size)
{
	long page_size = sysconf(_SC_PAGESIZE);
	int ret;

	/*
	 * KVM maps guest RAM in host pages, and a hole or a replacement can
	 * only be made of whole ones: every memslot boundary must fall on one.
	 */
	if (page_size < 0 || !hostpage_size_ok((uint64_t)page_size) || gpa % page_size ||
	    size % page_size) {
		vmm__log("host page size %ld: guest RAM [0x%llx, +0x%llx) cannot be made of such "
			 "pages",
			 page_size, (unsigned long long)gpa, (unsigned long long)size);
		return -EINVAL;
	}
	mem->page_size = (uint64_t)page_size;
	mem->vm_fd = vm_fd;
	mem->gpa = gpa;
	mem->size = size;
	mem->can_hwpoison = memory__can_hand_off();
	pthread_mutex_init(&mem->lock, NULL);
	/* Untouched guest pages cost nothing: NORESERVE keeps a large --mem cheap. */
	mem->ram = mmap(NULL, size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	mem->quarantine = mmap(NULL, MEM_MAX_POISON * mem->page_size, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem->ram == MAP_FAILED || mem->quarantine == MAP_FAILED) {
		ret = -errno;
		vmm__log("cannot map %llu MiB of guest memory: %s",
			 (unsigned long long)(size >> 20), strerror(errno));
		return ret;
	}
	mem->map_slot = (struct sw_memslot){gpa, size, (uint64_t)(uintptr_t)mem->ram};
	mem->map = (struct sw_memmap){&mem->map_slot, 1};
	for (uint64_t base = gpa; base < gpa + size; base += MEM_CHUNK) {
		ret = rebuild_chunk(mem, base);
		if (ret)
			return ret;
	}
	return 0;
}

void *memory__hva(struct memory *mem, uint64_t gpa, uint64_t len)
{
	if (gpa < mem->gpa || len > mem->size || gpa - mem->gpa > mem->size - len)
		return NULL;
	return mem->ram + (gpa - mem->gpa);
}

/* The record of @gpa's host page, created as PAGE_POISONED if new; NULL if full. */
static struct bad_page *find_page(struct memory *mem, uint64_t gpa, bool create)
{
	gpa = memory__page(mem, gpa);
	for (unsigned int i = 0; i < mem->nr_pages; i++)
		if (mem->pages[i].gpa == gpa)
			return &mem->pages[i];
	if (!create || mem->nr_pages == MEM_MAX_POISON)
		return NULL;
	mem->pages[mem->nr_pages] = (struct bad_page){gpa, PAGE_POISONED};
	return &mem->pages[mem->nr_pages++];
}

/*
 * Hand the host page at @hva to the host's memory-failure handling.  The
 * host signals the caller at once (BUS_MCEERR_AR at @hva): sigbus.c
 * expects it.  A page the host already took (hard_offline_page, or an
 * earlier hand-off) gives EFAULT or EHWPOISON: it is handed off already.
 */
static int hand_off(struct memory *mem, uint8_t *hva)
{
	int ret;

	sigbus__expect(hva);
	ret = madvise(hva, mem->page_size, MADV_HWPOISON) ? -errno : 0;
	sigbus__expect(NULL);
	if (ret == -EFAULT || ret == -EHWPOISON)
		ret = 0;
	if (ret)
		vmm__log("madvise(MADV_HWPOISON) at %p: %s", (void *)hva, strerror(-ret));
	return ret;
}

/*
 * Move the bad host page into the quarantine (no copy, no access) and lock
 * it away.  Its slot there is a whole host page, host-page aligned: mremap
 * moves whole pages only.
 */
static int quarantine(struct memory *mem, uint8_t *hva)
{
	uint8_t *q = mem->quarantine + mem->page_size * mem->quarantine_used;

	if (mem->quarantine_used == MEM_MAX_POISON)
		return -ENOSPC;
	if (mremap(hva, mem->page_size, mem->page_size, MREMAP_MAYMOVE | MREMAP_FIXED, q) ==
		    MAP_FAILED ||
	    mprotect(q, mem->page_size, PROT_NONE)) {
		int ret = -errno;

		vmm__log("cannot move the bad page at %p to the quarantine: %s", (void *)hva,
			 strerror(errno));
		return ret;
	}
	mem->quarantine_used++;
	return 0;
}

static int fresh_page(struct memory *mem, uint8_t *hva)
{
	if (mmap(hva, mem->page_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0) == MAP_FAILED) {
		int ret = -errno;

		vmm__log("cannot map a fresh page at %p: %s", (void *)hva, strerror(errno));
		return ret;
	}
	return 0;
}

/* Fresh memory for a bad page; the caller holds the lock. */
static int replace_locked(struct memory *mem, struct bad_page *p)
{
	uint8_t *hva = mem->ram + (p->gpa - mem->gpa);
	bool was_hole = p->state == PAGE_HOLE;
	int ret;

	if (p->state == PAGE_REPLACED)
		return 0;
	if (mem->can_hwpoison)
		ret = p->state == PAGE_HANDED_OFF ? 0 : hand_off(mem, hva);
	else
		ret = quarantine(mem, hva);
	if (!ret)
		ret = fresh_page(mem, hva);
	if (ret)
		return ret;
	p->state = PAGE_REPLACED;
	/* A page fenced by a hole comes back into its memslot. */
	return was_hole ? rebuild_chunk(mem, p->gpa & ~(MEM_CHUNK - 1)) : 0;
}

int memory__fence(struct memory *mem, uint64_t gpa)
{
	struct bad_page *p;
	int ret = 0;

	if (!memory__hva(mem, gpa, 1))
		return -EINVAL;
	pthread_mutex_lock(&mem->lock);
	p = find_page(mem, gpa, true);
	if (!p) {
		ret = -ENOSPC;
	} else if (p->state == PAGE_POISONED || p->state == PAGE_REPLACED) {
		if (mem->can_hwpoison) {
			ret = hand_off(mem, mem->ram + (p->gpa - mem->gpa));
			if (!ret)
				p->state = PAGE_HANDED_OFF;
		} else {
			p->state = PAGE_HOLE;
			mem->pause(mem->pause_ctx, true);
			ret = rebuild_chunk(mem, p->gpa & ~(MEM_CHUNK - 1));
			mem->pause(mem->pause_ctx, false);
		}
	}
	pthread_mutex_unlock(&mem->lock);
	return ret;
}

/* Record @gpa's page as bad (again, if its fresh page went bad too); lock held. */
static struct bad_page *mark_locked(struct memory *mem, uint64_t gpa)
{
	struct bad_page *p = find_page(mem, gpa, true);

	if (p && p->state == PAGE_REPLACED)
		p->state = PAGE_POISONED;
	return p;
}

int memory__replace(struct memory *mem, uint64_t gpa)
{
	struct bad_page *p;
	bool hole;
	int ret;

	if (!memory__hva(mem, gpa, 1))
		return -EINVAL;
	pthread_mutex_lock(&mem->lock);
	p = mark_locked(mem, gpa);
	hole = p && p->state == PAGE_HOLE;
	if (hole)
		mem->pause(mem->pause_ctx, true);
	ret = p ? replace_locked(mem, p) : -ENOSPC;
	if (hole)
		mem->pause(mem->pause_ctx, false);
	pthread_mutex_unlock(&mem->lock);
	return ret;
}

int memory__mark_bad(struct memory *mem, uint64_t gpa)
{
	struct bad_page *p;

	if (!memory__hva(mem, gpa, 1))
		return -EINVAL;
	pthread_mutex_lock(&mem->lock);
	p = mark_locked(mem, gpa);
	pthread_mutex_unlock(&mem->lock);
	return p ? 0 : -ENOSPC;
}

bool memory__is_bad(struct memory *mem, uint64_t gpa)
{
	struct bad_page *p;
	bool bad;

	pthread_mutex_lock(&mem->lock);
	p = find_page(mem, gpa, false);
	bad = p && p->state != PAGE_REPLACED;
	pthread_mutex_unlock(&mem->lock);
	return bad;
}

bool memory__in_hole(struct memory *mem, uint64_t gpa)
{
	struct bad_page *p;
	bool hole;

	pthread_mutex_lock(&mem->lock);
	p = find_page(mem, gpa, false);
	hole = p && p->state == PAGE_HOLE;
	pthread_mutex_unlock(&mem->lock);
	return hole;
}

int memory__restart(struct memory *mem)
{
	int ret = 0;

	pthread_mutex_lock(&mem->lock);
	for (unsigned int i = 0; i < mem->nr_pages && !ret; i++) {
		struct bad_page *p = &mem->pages[i];

		if (p->state == PAGE_HOLE)
			p->state = PAGE_POISONED; /* the chunks are rebuilt below */
		ret = replace_locked(mem, p);
	}
	for (uint64_t base = mem->gpa; base < mem->gpa + mem->size && !ret; base += MEM_CHUNK)
		ret = rebuild_chunk(mem, base);
	pthread_mutex_unlock(&mem->lock);
	return ret;
}

void memory__count(struct memory *mem, unsigned int count[4])
{
	memset(count, 0, 4 * sizeof(count[0]));
	pthread_mutex_lock(&mem->lock);
	for (unsigned int i = 0; i < mem->nr_pages; i++)
		count[mem->pages[i].state]++;
	pthread_mutex_unlock(&mem->lock);
}
