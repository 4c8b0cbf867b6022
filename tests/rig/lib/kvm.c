// SPDX-License-Identifier: MIT
/* VMs, memslots and vCPUs for the rig tests (see kvm.h). */
#include "kvm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "test.h"

struct rig_vm *vm_create(void)
{
	struct rig_vm *vm = calloc(1, sizeof(*vm));
	int version;

	TEST_ASSERT(vm, "out of memory");
	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	TEST_REQUIRE(vm->kvm_fd >= 0, "/dev/kvm: %s", strerror(errno));
	version = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	TEST_ASSERT_EQ(version, KVM_API_VERSION);
	/* Type 0: the default 40-bit IPA space, enough for every guest here. */
	vm->fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	TEST_ASSERT(vm->fd >= 0, "KVM_CREATE_VM: %s", strerror(errno));
	return vm;
}

void vm_free(struct rig_vm *vm)
{
	for (int i = 0; i < vm->nslots; i++)
		munmap(vm->slots[i].hva, vm->slots[i].size);
	close(vm->fd);
	close(vm->kvm_fd);
	free(vm);
}

int vm_check_cap(struct rig_vm *vm, long cap)
{
	return ioctl(vm->fd, KVM_CHECK_EXTENSION, cap);
}

int __vm_enable_cap(struct rig_vm *vm, uint32_t cap, uint64_t arg0)
{
	struct kvm_enable_cap ec = {.cap = cap, .args = {arg0}};

	return ioctl(vm->fd, KVM_ENABLE_CAP, &ec);
}

void vm_enable_cap(struct rig_vm *vm, uint32_t cap, uint64_t arg0)
{
	int r = __vm_enable_cap(vm, cap, arg0);

	TEST_ASSERT(r == 0, "KVM_ENABLE_CAP(%u): %s", cap, strerror(errno));
}

uint8_t *vm_add_anon(struct rig_vm *vm, uint64_t gpa, uint64_t size)
{
	struct kvm_userspace_memory_region region;
	struct rig_slot *slot;
	void *hva;

	TEST_ASSERT(vm->nslots < RIG_MAX_SLOTS, "too many memslots");
	hva = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(hva != MAP_FAILED, "mmap %llu bytes: %s", (unsigned long long)size,
		    strerror(errno));
	/* Best effort: a kernel without THP has nothing to turn off. */
	madvise(hva, size, MADV_NOHUGEPAGE);
	TEST_ASSERT(mlock(hva, size) == 0, "mlock: %s", strerror(errno));

	slot = &vm->slots[vm->nslots];
	region = (struct kvm_userspace_memory_region){
		.slot = (uint32_t)vm->nslots,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uint64_t)hva,
	};
	TEST_ASSERT(ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region) == 0,
		    "KVM_SET_USER_MEMORY_REGION gpa 0x%llx: %s", (unsigned long long)gpa,
		    strerror(errno));
	*slot = (struct rig_slot){.gpa = gpa, .size = size, .hva = hva};
	vm->nslots++;
	return hva;
}

void *vm_gpa_to_hva(struct rig_vm *vm, uint64_t gpa)
{
	for (int i = 0; i < vm->nslots; i++) {
		struct rig_slot *s = &vm->slots[i];

		if (gpa >= s->gpa && gpa - s->gpa < s->size)
			return s->hva + (gpa - s->gpa);
	}
	TEST_ASSERT(0, "gpa 0x%llx is in no memslot", (unsigned long long)gpa);
	return NULL;
}

struct rig_vcpu *vcpu_add(struct rig_vm *vm, uint64_t pc)
{
	struct rig_vcpu *vcpu = calloc(1, sizeof(*vcpu));
	struct kvm_vcpu_init init;
	int run_size;

	TEST_ASSERT(vcpu, "out of memory");
	vcpu->vm = vm;
	vcpu->fd = ioctl(vm->fd, KVM_CREATE_VCPU, 0);
	TEST_ASSERT(vcpu->fd >= 0, "KVM_CREATE_VCPU: %s", strerror(errno));
	run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	TEST_ASSERT(run_size >= (int)sizeof(struct kvm_run), "KVM_GET_VCPU_MMAP_SIZE: %d",
		    run_size);
	vcpu->run_size = (size_t)run_size;
	vcpu->run = mmap(NULL, vcpu->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu->fd, 0);
	TEST_ASSERT(vcpu->run != MAP_FAILED, "mmap kvm_run: %s", strerror(errno));

	memset(&init, 0, sizeof(init));
	TEST_ASSERT(ioctl(vm->fd, KVM_ARM_PREFERRED_TARGET, &init) == 0,
		    "KVM_ARM_PREFERRED_TARGET: %s", strerror(errno));
	TEST_ASSERT(ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init) == 0, "KVM_ARM_VCPU_INIT: %s",
		    strerror(errno));
	vcpu_set_reg(vcpu, REG_PC, pc);
	return vcpu;
}

void vcpu_free(struct rig_vcpu *vcpu)
{
	munmap(vcpu->run, vcpu->run_size);
	close(vcpu->fd);
	free(vcpu);
}

int __vcpu_get_reg(struct rig_vcpu *vcpu, uint64_t id, uint64_t *value)
{
	struct kvm_one_reg reg = {.id = id, .addr = (uint64_t)value};

	return ioctl(vcpu->fd, KVM_GET_ONE_REG, &reg);
}

int __vcpu_set_reg(struct rig_vcpu *vcpu, uint64_t id, uint64_t value)
{
	struct kvm_one_reg reg = {.id = id, .addr = (uint64_t)&value};

	return ioctl(vcpu->fd, KVM_SET_ONE_REG, &reg);
}

uint64_t vcpu_get_reg(struct rig_vcpu *vcpu, uint64_t id)
{
	uint64_t v = 0;

	TEST_ASSERT(__vcpu_get_reg(vcpu, id, &v) == 0, "KVM_GET_ONE_REG 0x%llx: %s",
		    (unsigned long long)id, strerror(errno));
	return v;
}

void vcpu_set_reg(struct rig_vcpu *vcpu, uint64_t id, uint64_t value)
{
	TEST_ASSERT(__vcpu_set_reg(vcpu, id, value) == 0, "KVM_SET_ONE_REG 0x%llx: %s",
		    (unsigned long long)id, strerror(errno));
}

int __vcpu_run(struct rig_vcpu *vcpu)
{
	return ioctl(vcpu->fd, KVM_RUN, 0);
}

void vcpu_run(struct rig_vcpu *vcpu)
{
	int r;

	do {
		r = __vcpu_run(vcpu);
	} while (r < 0 && errno == EINTR);
	TEST_ASSERT(r == 0, "KVM_RUN: %s", strerror(errno));
}

void vcpu_events_get(struct rig_vcpu *vcpu, struct kvm_vcpu_events *events)
{
	TEST_ASSERT(ioctl(vcpu->fd, KVM_GET_VCPU_EVENTS, events) == 0, "KVM_GET_VCPU_EVENTS: %s",
		    strerror(errno));
}

int __vcpu_events_set(struct rig_vcpu *vcpu, const struct kvm_vcpu_events *events)
{
	return ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, events);
}

void vcpu_events_set(struct rig_vcpu *vcpu, const struct kvm_vcpu_events *events)
{
	TEST_ASSERT(__vcpu_events_set(vcpu, events) == 0, "KVM_SET_VCPU_EVENTS: %s",
		    strerror(errno));
}

const char *exit_reason_str(uint32_t reason)
{
	static const struct {
		uint32_t reason;
		const char *name;
	} names[] = {
		{KVM_EXIT_UNKNOWN, "UNKNOWN"},
		{KVM_EXIT_EXCEPTION, "EXCEPTION"},
		{KVM_EXIT_MMIO, "MMIO"},
		{KVM_EXIT_SHUTDOWN, "SHUTDOWN"},
		{KVM_EXIT_FAIL_ENTRY, "FAIL_ENTRY"},
		{KVM_EXIT_INTR, "INTR"},
		{KVM_EXIT_INTERNAL_ERROR, "INTERNAL_ERROR"},
		{KVM_EXIT_SYSTEM_EVENT, "SYSTEM_EVENT"},
		{KVM_EXIT_ARM_NISV, "ARM_NISV"},
		{KVM_EXIT_MEMORY_FAULT, "MEMORY_FAULT"},
		{KVM_EXIT_ARM_SEA, "ARM_SEA"},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].reason == reason)
			return names[i].name;
	}
	return "?";
}
