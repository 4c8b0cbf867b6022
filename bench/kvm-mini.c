/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kvm-mini.h"

static void die(const char *what)
{
	fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

void mini_vm_create(struct mini_vm *vm)
{
	memset(vm, 0, sizeof(*vm));
	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		die("open /dev/kvm");
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		die("KVM_CREATE_VM");
	vm->vcpu_fd = -1;
}

int mini_vm_check_cap(struct mini_vm *vm, long cap)
{
	int ret = ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, cap);

	return ret < 0 ? 0 : ret;
}

int mini_vm_set_slot(struct mini_vm *vm, uint32_t slot, uint64_t gpa, uint64_t size, void *hva)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)hva,
	};

	return ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) ? -errno : 0;
}

void *mini_vm_add_ram(struct mini_vm *vm, uint32_t slot, uint64_t gpa, uint64_t size)
{
	void *hva = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (hva == MAP_FAILED)
		die("mmap guest RAM");
	if (mini_vm_set_slot(vm, slot, gpa, size, hva)) {
		errno = -mini_vm_set_slot(vm, slot, gpa, size, hva);
		die("KVM_SET_USER_MEMORY_REGION");
	}
	return hva;
}

void mini_vm_set_reg(struct mini_vm *vm, uint64_t id, uint64_t value)
{
	struct kvm_one_reg reg = {.id = id, .addr = (uint64_t)(uintptr_t)&value};

	if (ioctl(vm->vcpu_fd, KVM_SET_ONE_REG, &reg))
		die("KVM_SET_ONE_REG");
}

uint64_t mini_vm_get_reg(struct mini_vm *vm, uint64_t id)
{
	uint64_t value;
	struct kvm_one_reg reg = {.id = id, .addr = (uint64_t)(uintptr_t)&value};

	if (ioctl(vm->vcpu_fd, KVM_GET_ONE_REG, &reg))
		die("KVM_GET_ONE_REG");
	return value;
}

void mini_vm_vcpu(struct mini_vm *vm, uint64_t pc, const uint64_t x[4])
{
	struct kvm_vcpu_init init;
	int size;

	vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0)
		die("KVM_CREATE_VCPU");
	size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	vm->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED)
		die("mmap kvm_run");
	if (ioctl(vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &init))
		die("KVM_ARM_PREFERRED_TARGET");
	init.features[0] |= 1U << KVM_ARM_VCPU_PSCI_0_2;
	if (ioctl(vm->vcpu_fd, KVM_ARM_VCPU_INIT, &init))
		die("KVM_ARM_VCPU_INIT");
	mini_vm_set_reg(vm, MINI_CORE_REG(regs.pc), pc);
	for (int i = 0; i < 4; i++)
		mini_vm_set_reg(vm, MINI_CORE_REG(regs.regs[i]), x[i]);
}

int mini_vm_run(struct mini_vm *vm)
{
	return ioctl(vm->vcpu_fd, KVM_RUN, 0) ? -errno : 0;
}

uint64_t mini_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t mini_median(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return n ? v[n / 2] : 0;
}
