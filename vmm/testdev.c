/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "arm64/walk.h"
#include "hostpage.h"
#include "log.h"
#include "memory.h"
#include "testdev.h"
#include "vcpu.h"
#include "vm.h"

enum {
	REG_MAGIC = 0x00,
	REG_VERSION = 0x04,
	REG_REQUEST = 0x08,
	REG_STATUS = 0x10,
	REG_HOLD = 0x18,
	REG_HOLDERS = 0x1c,
};

static int hard_offline(uint64_t hpa)
{
	char line[32];
	int fd, n, ret = 0;

	fd = open("/sys/devices/system/memory/hard_offline_page", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(line, sizeof(line), "0x%llx\n", (unsigned long long)hpa);
	if (write(fd, line, n) != n)
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * The request names a guest page (GUEST_PAGE, the command in its low
 * bits); the host side works on the host page that holds it: that is what
 * must not be known bad yet, and what hard_offline_page takes.  The
 * injector poisons the guest page's own 4 KiB in it (its granule), as an
 * error hits one place of a host page, which is then lost whole.
 */
static int run_command(struct testdev *t, struct vcpu *vcpu, uint64_t request)
{
	struct vm *vm = t->vm;
	uint64_t gpa = request & ~(GUEST_PAGE - 1), hpa;
	unsigned int cmd = request & (GUEST_PAGE - 1);
	void *hva;
	int ret;

	if (cmd == TESTDEV_CMD_PTE_TABLE || cmd == TESTDEV_CMD_PTE_TABLE_OFFLINE) {
		ret = walk__table(vcpu, gpa, 3, &gpa);
		if (ret)
			return ret;
		vmm__log("test-poison: vCPU %u: the page table of va 0x%llx is at 0x%llx", vcpu->id,
			 (unsigned long long)(request & ~(GUEST_PAGE - 1)),
			 (unsigned long long)gpa);
		cmd = cmd == TESTDEV_CMD_PTE_TABLE ? TESTDEV_CMD_POISON : TESTDEV_CMD_HW_OFFLINE;
	}
	/* RAM is whole host pages (memory__create()): so is the one around @gpa. */
	hva = memory__hva(&vm->mem, gpa, GUEST_PAGE);
	if (!hva)
		return -EFAULT;
	if (memory__is_bad(&vm->mem, gpa))
		return -EEXIST; /* its host page is already out of reach */
	ret = hva_to_hpa(&t->injector, hva, &hpa);
	if (ret)
		return ret;
	switch (cmd) {
	case TESTDEV_CMD_POISON:
		ret = injector__poison(&t->injector, hpa);
		break;
	case TESTDEV_CMD_HW_OFFLINE:
		hpa &= ~(vm->mem.page_size - 1);
		ret = hard_offline(hpa);
		break;
	default:
		return -EINVAL;
	}
	vmm__log("test-poison: %s guest page 0x%llx (host physical 0x%llx)%s%s",
		 cmd == TESTDEV_CMD_POISON ? "poisoned" : "offlined in the host",
		 (unsigned long long)gpa, (unsigned long long)hpa, ret ? ": " : "",
		 ret ? strerror(-ret) : "");
	return ret;
}

/* Keep this vCPU in its MMIO exit until released, at most @ms. */
static uint32_t hold(struct testdev *t, struct vcpu *vcpu, uint32_t ms)
{
	struct timespec until;
	unsigned int releases;
	int ret = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&t->hold_lock);
	vmm__log("test-poison: vCPU %u: holding an MMIO read until released", vcpu->id);
	t->holders++;
	releases = t->releases;
	while (t->releases == releases && ret != ETIMEDOUT)
		ret = pthread_cond_timedwait(&t->hold_cond, &t->hold_lock, &until);
	t->holders--;
	vmm__log("test-poison: vCPU %u: MMIO hold %s", vcpu->id,
		 ret == ETIMEDOUT ? "timed out" : "released");
	pthread_mutex_unlock(&t->hold_lock);
	return ret == ETIMEDOUT ? TESTDEV_HOLD_TIMEOUT : TESTDEV_HOLD_VALUE;
}

static uint32_t holders(struct testdev *t, bool release)
{
	uint32_t n;

	pthread_mutex_lock(&t->hold_lock);
	n = t->holders;
	if (release) {
		t->releases++;
		pthread_cond_broadcast(&t->hold_cond);
	}
	pthread_mutex_unlock(&t->hold_lock);
	return n;
}

static void testdev_mmio(struct vcpu *vcpu, uint64_t offset, uint8_t *data, uint32_t len,
			 bool is_write, void *ptr)
{
	struct testdev *t = ptr;
	uint64_t v = 0;

	if (is_write) {
		if (offset == REG_REQUEST && len == 8)
			t->status[vcpu->id] = -run_command(t, vcpu, mmio__get(data, len));
		else if (offset == REG_HOLDERS)
			holders(t, true);
		else if (offset == REG_HOLD)
			t->hold_ms[vcpu->id] = mmio__get(data, len) > TESTDEV_HOLD_MAX_MS
						       ? TESTDEV_HOLD_MAX_MS
						       : mmio__get(data, len);
		else
			t->status[vcpu->id] = EINVAL; /* REQUEST is one 64-bit store */
		return;
	}
	if (offset == REG_MAGIC)
		v = TESTDEV_MAGIC;
	else if (offset == REG_VERSION)
		v = 1;
	else if (offset == REG_STATUS)
		v = t->status[vcpu->id];
	else if (offset == REG_HOLD)
		v = hold(t, vcpu, t->hold_ms[vcpu->id]);
	else if (offset == REG_HOLDERS)
		v = holders(t, false);
	mmio__put(data, len, v);
}

int testdev__init(struct testdev *t, struct vm *vm, uint64_t base)
{
	int ret;

	t->vm = vm;
	memset(t->status, 0, sizeof(t->status));
	t->holders = t->releases = 0;
	pthread_mutex_init(&t->hold_lock, NULL);
	pthread_cond_init(&t->hold_cond, NULL);
	ret = injector__open(&t->injector);
	if (ret)
		return ret;
	/*
	 * Between poisoning a page and the guest consuming it, nothing on the
	 * host may read it: the rig's L1 has no firmware-first RAS, so a
	 * kernel read of poison there is fatal.  khugepaged collapsing guest
	 * RAM into huge pages copies it (seen: copy_page() in
	 * collapse_huge_page()), so guest RAM is kept out of its way.
	 */
	if (madvise(vm->mem.ram, vm->mem.size, MADV_NOHUGEPAGE))
		vmm__log("--test-poison: madvise(MADV_NOHUGEPAGE): %s", strerror(errno));
	vmm__log("--test-poison: TEST ONLY: the guest may poison its own pages through "
		 "0x%llx",
		 (unsigned long long)base);
	return mmio__register(&vm->mmio, base, TESTDEV_MMIO_SIZE, testdev_mmio, t);
}

void testdev__exit(struct testdev *t)
{
	unsigned int n = injector__unpoison_ours(&t->injector);

	if (n)
		vmm__log("test-poison: restored %u page%s in the injector", n, n == 1 ? "" : "s");
}
