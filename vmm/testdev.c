/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

static int run_command(struct testdev *t, uint64_t request)
{
	struct vm *vm = t->vm;
	uint64_t gpa = request & ~(MEM_PAGE - 1), hpa;
	unsigned int cmd = request & (MEM_PAGE - 1);
	void *hva = memory__hva(&vm->mem, gpa, MEM_PAGE);
	int ret;

	if (!hva)
		return -EFAULT;
	if (memory__is_bad(&vm->mem, gpa))
		return -EEXIST; /* its host page is already out of reach */
	ret = hva_to_hpa(hva, &hpa);
	if (ret)
		return ret;
	switch (cmd) {
	case TESTDEV_CMD_POISON:
		ret = injector__poison(&t->injector, hpa);
		break;
	case TESTDEV_CMD_HW_OFFLINE:
		ret = hard_offline(hpa);
		break;
	default:
		return -EINVAL;
	}
	vmm__log("test-poison: %s guest page 0x%llx (host page 0x%llx)%s%s",
		 cmd == TESTDEV_CMD_POISON ? "poisoned" : "offlined in the host",
		 (unsigned long long)gpa, (unsigned long long)hpa, ret ? ": " : "",
		 ret ? strerror(-ret) : "");
	return ret;
}

static void testdev_mmio(struct vcpu *vcpu, uint64_t offset, uint8_t *data, uint32_t len,
			 bool is_write, void *ptr)
{
	struct testdev *t = ptr;
	uint64_t v = 0;

	if (is_write) {
		if (offset == REG_REQUEST && len == 8)
			t->status[vcpu->id] = -run_command(t, mmio__get(data, len));
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
	mmio__put(data, len, v);
}

int testdev__init(struct testdev *t, struct vm *vm, uint64_t base)
{
	int ret;

	t->vm = vm;
	memset(t->status, 0, sizeof(t->status));
	ret = injector__open(&t->injector);
	if (ret)
		return ret;
	vmm__log("--test-poison: TEST ONLY: the guest may poison its own pages through "
		 "0x%llx",
		 (unsigned long long)base);
	return mmio__register(&vm->mmio, base, 4096, testdev_mmio, t);
}

void testdev__exit(struct testdev *t)
{
	unsigned int n = injector__unpoison_ours(&t->injector);

	if (n)
		vmm__log("test-poison: restored %u host page%s in the injector", n,
			 n == 1 ? "" : "s");
}
