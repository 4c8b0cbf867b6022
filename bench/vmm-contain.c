/* SPDX-License-Identifier: MIT */
/*
 * vmm-contain: what it costs to take one 4 KiB page out of a guest's
 * stage 2, for a 1 GiB and a 64 GiB guest, with each candidate mechanism,
 * measured side by side on the rig's real KVM (run it as root in L1:
 * rig/run -- sw-bench-vmm-contain).
 *
 *   mprotect   PROT_NONE on the page's host mapping (MMU notifier unmaps it)
 *   replace    mremap the page to a quarantine area, map a fresh page in its place
 *   hwpoison   madvise(MADV_HWPOISON): the host's memory-failure handling takes it
 *   split      delete the memslot and add two around a hole at the page
 *   split1g    the same with guest RAM registered as 1 GiB memslots, so only
 *              the slot that holds the page is split
 *
 * For each it also says what the guest's next access to the page gives
 * the VMM, and how long the guest then needs to touch 64 MiB it had
 * already mapped (the stage 2 mappings the mechanism threw away).
 * The minimum and the median of ITER runs, interleaved between the two
 * guests: the rig is TCG on a shared machine, so the minimum is the
 * better estimate of the cost itself.  The ratios are 64 GiB / 1 GiB.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm-mini.h"

#define CODE_GPA   0x10000000ULL
#define DOORBELL   0x20000000ULL
#define RAM_GPA	   0x100000000ULL
#define TOUCH_SIZE (64ULL << 20)	    /* mapped before each measurement */
#define TARGETS	   (TOUCH_SIZE + (1 << 20)) /* the pages the mechanisms take */
#define ITER	   25
#define PAGE	   4096ULL

extern const char touch_guest_start[], touch_guest_end[];

enum mech { MPROTECT, REPLACE, HWPOISON, SPLIT, SPLIT1G, NR_MECH };
static const char *const mech_name[NR_MECH] = {"mprotect", "replace", "hwpoison", "split",
					       "split1g"};

#define CHUNK	   (1ULL << 30)
#define SPARE_SLOT 1000 /* the second half of a split slot */

static volatile sig_atomic_t sigbus_count, sigbus_code;
static void *volatile sigbus_addr;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	sigbus_count++;
	sigbus_code = si->si_code;
	sigbus_addr = si->si_addr;
}

struct guest {
	struct mini_vm vm;
	uint8_t *ram;
	uint64_t size;
	uint64_t slot_size; /* of slot 1, which holds the pages taken out */
	uint8_t *quarantine;
	unsigned int next_quarantine;
};

/* Run the guest over [start, end) until its doorbell; returns the ns it took. */
static int64_t touch(struct guest *g, uint64_t start, uint64_t end, char *what, size_t len)
{
	uint64_t t0;
	int ret;

	mini_vm_set_reg(&g->vm, MINI_CORE_REG(regs.regs[0]), start);
	mini_vm_set_reg(&g->vm, MINI_CORE_REG(regs.regs[1]), end);
	mini_vm_set_reg(&g->vm, MINI_CORE_REG(regs.pc), CODE_GPA);
	t0 = mini_now_ns();
	sigbus_count = 0;
	ret = mini_vm_run(&g->vm);
	if (!ret && g->vm.run->exit_reason == KVM_EXIT_MMIO &&
	    g->vm.run->mmio.phys_addr == DOORBELL) {
		snprintf(what, len, "no exit: the access worked");
		return mini_now_ns() - t0;
	}
	if (!ret && g->vm.run->exit_reason == KVM_EXIT_MMIO)
		snprintf(what, len, "KVM_EXIT_MMIO at 0x%llx, %s",
			 (unsigned long long)g->vm.run->mmio.phys_addr,
			 g->vm.run->mmio.is_write ? "write" : "read");
	else if (ret == -EINTR && sigbus_count)
		snprintf(what, len, "SIGBUS si_code %d at HVA offset 0x%llx", (int)sigbus_code,
			 (unsigned long long)((uint8_t *)sigbus_addr - g->ram));
	else if (ret == -EFAULT && g->vm.run->exit_reason == KVM_EXIT_MEMORY_FAULT)
		snprintf(what, len, "-EFAULT, KVM_EXIT_MEMORY_FAULT gpa 0x%llx size 0x%llx",
			 (unsigned long long)g->vm.run->memory_fault.gpa,
			 (unsigned long long)g->vm.run->memory_fault.size);
	else
		snprintf(what, len, "KVM_RUN %s, exit_reason %u", ret ? strerror(-ret) : "0",
			 g->vm.run->exit_reason);
	return -1;
}

static void guest_create(struct guest *g, uint64_t size, bool chunked)
{
	const uint64_t x[4] = {RAM_GPA, RAM_GPA + TOUCH_SIZE, DOORBELL, 0};
	uint8_t *code;
	char what[128];

	memset(g, 0, sizeof(*g));
	g->size = size;
	mini_vm_create(&g->vm);
	code = mini_vm_add_ram(&g->vm, 0, CODE_GPA, 64 * 1024);
	memcpy(code, touch_guest_start, touch_guest_end - touch_guest_start);
	g->slot_size = chunked ? CHUNK : size;
	g->ram = mmap(NULL, size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	/* Slot 1 holds the pages taken out; chunked, slots 2.. map the rest. */
	for (uint64_t off = 0; off < size; off += g->slot_size)
		if (g->ram == MAP_FAILED ||
		    mini_vm_set_slot(&g->vm, 1 + off / g->slot_size, RAM_GPA + off, g->slot_size,
				     g->ram + off)) {
			fprintf(stderr, "bench: cannot map guest RAM\n");
			exit(1);
		}
	g->quarantine = mmap(NULL, 256 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mini_vm_vcpu(&g->vm, CODE_GPA, x);
	if (touch(g, RAM_GPA, RAM_GPA + TARGETS, what, sizeof(what)) < 0) {
		fprintf(stderr, "bench: the first touch failed: %s\n", what);
		exit(1);
	}
}

/* Take the page at @off out of the guest; returns the ns it took, or -1. */
static int64_t take_out(struct guest *g, enum mech m, uint64_t off)
{
	uint8_t *hva = g->ram + off, *q;
	uint64_t t0 = mini_now_ns(), t1;
	int ret = 0;

	switch (m) {
	case MPROTECT:
		ret = mprotect(hva, PAGE, PROT_NONE);
		break;
	case REPLACE:
		q = g->quarantine + PAGE * g->next_quarantine++;
		ret = mremap(hva, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, q) == MAP_FAILED;
		if (!ret)
			ret = mmap(hva, PAGE, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED;
		break;
	case HWPOISON:
		ret = madvise(hva, PAGE, MADV_HWPOISON);
		break;
	case SPLIT:
	case SPLIT1G:
		ret = mini_vm_set_slot(&g->vm, 1, RAM_GPA, 0, g->ram) ||
		      mini_vm_set_slot(&g->vm, 1, RAM_GPA, off, g->ram) ||
		      mini_vm_set_slot(&g->vm, SPARE_SLOT, RAM_GPA + off + PAGE,
				       g->slot_size - off - PAGE, hva + PAGE);
		break;
	default:
		break;
	}
	t1 = mini_now_ns();
	if (ret) {
		fprintf(stderr, "bench: %s: %s\n", mech_name[m], strerror(errno));
		return -1;
	}
	return t1 - t0;
}

/* Undo a split, so that every iteration starts from one slot. */
static void unsplit(struct guest *g)
{
	mini_vm_set_slot(&g->vm, SPARE_SLOT, 0, 0, NULL);
	mini_vm_set_slot(&g->vm, 1, RAM_GPA, 0, g->ram);
	mini_vm_set_slot(&g->vm, 1, RAM_GPA, g->slot_size, g->ram);
}

struct result {
	uint64_t take[ITER], refault[ITER];
	char access[128];
};

/* One iteration on @g: take a page out, access it, re-touch mapped memory. */
static int iterate(struct guest *g, enum mech m, int i, struct result *res)
{
	uint64_t off = TOUCH_SIZE + PAGE * (uint64_t)(i + 1);
	int64_t ns = take_out(g, m, off);
	char what[128];

	if (ns < 0)
		return -1;
	res->take[i] = ns;
	if (touch(g, RAM_GPA + off, RAM_GPA + off + PAGE, what, sizeof(what)) >= 0 && m != REPLACE)
		snprintf(what, sizeof(what), "no exit: the access worked (not contained!)");
	if (i == 0)
		snprintf(res->access, sizeof(res->access), "%s", what);
	ns = touch(g, RAM_GPA, RAM_GPA + TOUCH_SIZE, what, sizeof(what));
	if (ns < 0) {
		fprintf(stderr, "bench: re-touch after %s: %s\n", mech_name[m], what);
		return -1;
	}
	res->refault[i] = ns;
	if (m == SPLIT || m == SPLIT1G) {
		unsplit(g);
		touch(g, RAM_GPA, RAM_GPA + TARGETS, what, sizeof(what));
	}
	return 0;
}

/*
 * Both guest sizes side by side, iterations interleaved, so that the
 * load of the shared machine weighs on both alike.  Poisoned and
 * quarantined pages stay with the process until it exits.
 */
static int measure(enum mech m, struct result res[2])
{
	static const uint64_t sizes[2] = {1ULL << 30, 64ULL << 30};
	struct guest g[2];

	for (int s = 0; s < 2; s++)
		guest_create(&g[s], sizes[s], m == SPLIT1G);
	for (int i = 0; i < ITER; i++)
		for (int s = 0; s < 2; s++)
			if (iterate(&g[s], m, i, &res[s]))
				return -1;
	return 0;
}

int main(void)
{
	struct sigaction sa = {.sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO};
	static struct result r[NR_MECH][2];
	bool root = geteuid() == 0;
	struct mini_vm probe;
	char thp[64] = "?";
	FILE *f;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	mini_vm_create(&probe);
	f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	if (f) {
		if (!fgets(thp, sizeof(thp), f))
			thp[0] = 0;
		thp[strcspn(thp, "\n")] = 0;
		fclose(f);
	}
	printf("# vmm-contain: one 4 KiB page out of a guest's stage 2; %d iterations, medians\n",
	       ITER);
	printf("# KVM_CAP_MEMORY_FAULT_INFO %d, KVM_CAP_ARM_NISV_TO_USER %d, THP %s\n",
	       mini_vm_check_cap(&probe, KVM_CAP_MEMORY_FAULT_INFO),
	       mini_vm_check_cap(&probe, KVM_CAP_ARM_NISV_TO_USER), thp);
	printf("%-9s %9s %9s %6s %9s %9s %6s %10s %10s  %s\n", "mechanism", "min1G_us", "min64G_us",
	       "ratio", "med1G_us", "med64G_us", "ratio", "retouch1G", "retouch64G",
	       "next guest access gives");
	for (int m = 0; m < NR_MECH; m++) {
		if (m == HWPOISON && !root) {
			printf("%-9s skipped: MADV_HWPOISON needs CAP_SYS_ADMIN\n", mech_name[m]);
			continue;
		}
		uint64_t med[2], min[2], refault[2];

		if (measure(m, r[m]))
			return 1;
		for (int s = 0; s < 2; s++) {
			med[s] = mini_median(r[m][s].take, ITER);
			min[s] = r[m][s].take[0]; /* sorted by mini_median */
			refault[s] = mini_median(r[m][s].refault, ITER);
		}
		printf("%-9s %9.1f %9.1f %6.2f %9.1f %9.1f %6.2f %10.1f %10.1f  %s\n", mech_name[m],
		       min[0] / 1e3, min[1] / 1e3, (double)min[1] / min[0], med[0] / 1e3,
		       med[1] / 1e3, (double)med[1] / med[0], refault[0] / 1e3, refault[1] / 1e3,
		       r[m][1].access);
	}
	return 0;
}
