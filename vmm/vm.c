/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "arm64/gic.h"
#include "arm64/layout.h"
#include "log.h"
#include "vcpu.h"
#include "vm.h"

#define KVM_DEFAULT_IPA_BITS 40 /* what VM type 0 gives (api.rst, KVM_CREATE_VM) */

static int check_cap(struct vm *vm, int cap)
{
	int ret = ioctl(vm->vm_fd >= 0 ? vm->vm_fd : vm->kvm_fd, KVM_CHECK_EXTENSION, cap);

	return ret < 0 ? 0 : ret;
}

static int open_kvm(struct vm *vm)
{
	static const struct {
		int cap;
		const char *name;
	} required[] = {
		{KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY"},
		{KVM_CAP_ONE_REG, "KVM_CAP_ONE_REG"},
		{KVM_CAP_DEVICE_CTRL, "KVM_CAP_DEVICE_CTRL"},
		{KVM_CAP_ARM_PSCI_0_2, "KVM_CAP_ARM_PSCI_0_2"},
		{KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT"},
	};
	int ret;

	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0) {
		ret = -errno;
		vmm__log("cannot open /dev/kvm: %s (does this host have KVM, and may you use it?)",
			 strerror(errno));
		return ret;
	}
	ret = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (ret != KVM_API_VERSION) {
		vmm__log("/dev/kvm speaks API version %d, not %d", ret, KVM_API_VERSION);
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		if (!check_cap(vm, required[i].cap)) {
			vmm__log("this kernel's KVM lacks %s, which seawall-vmm needs",
				 required[i].name);
			return -ENOTSUP;
		}
	}
	vm->run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vm->run_size < (int)sizeof(struct kvm_run)) {
		vmm__log("KVM_GET_VCPU_MMAP_SIZE: %s",
			 vm->run_size < 0 ? strerror(errno) : "too small");
		return -EINVAL;
	}
	return 0;
}

static int create_vm(struct vm *vm)
{
	uint64_t last = vm->mem.gpa + vm->mem.size - 1;
	unsigned long type = 0;
	int max_ipa, max_vcpus;

	/* Ask for a larger IPA space only when RAM does not fit in the default. */
	vm->ipa_bits = KVM_DEFAULT_IPA_BITS;
	while (last >> vm->ipa_bits)
		vm->ipa_bits++;
	if (vm->ipa_bits > KVM_DEFAULT_IPA_BITS) {
		max_ipa = check_cap(vm, KVM_CAP_ARM_VM_IPA_SIZE);
		if (max_ipa < (int)vm->ipa_bits) {
			vmm__log("--mem %llu MiB needs a %u-bit guest physical address space; this "
				 "host offers %d bits",
				 (unsigned long long)(vm->mem.size >> 20), vm->ipa_bits,
				 max_ipa ? max_ipa : KVM_DEFAULT_IPA_BITS);
			return -ERANGE;
		}
		type = KVM_VM_TYPE_ARM_IPA_SIZE(vm->ipa_bits);
	}
	do
		vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, type);
	while (vm->vm_fd < 0 && errno == EINTR);
	if (vm->vm_fd < 0) {
		int ret = -errno;

		vmm__log("KVM_CREATE_VM: %s", strerror(errno));
		return ret;
	}
	max_vcpus = check_cap(vm, KVM_CAP_MAX_VCPUS);
	if (max_vcpus && vm->nr_vcpus > (unsigned int)max_vcpus) {
		vmm__log("--cpus %u: this host's KVM allows at most %d vCPUs", vm->nr_vcpus,
			 max_vcpus);
		return -EINVAL;
	}
	return 0;
}

/*
 * KVM_CAP_ARM_SEA_TO_USER must be enabled before the guest runs: with it
 * an SEA that the host does not claim becomes a KVM_EXIT_ARM_SEA exit
 * instead of a virtual SError that the guest cannot survive (api.rst).
 */
static int enable_sea_to_user(struct vm *vm)
{
	struct kvm_enable_cap cap = {.cap = KVM_CAP_ARM_SEA_TO_USER};

	if (check_cap(vm, KVM_CAP_ARM_SEA_TO_USER) <= 0) {
		vmm__log("this kernel lacks KVM_CAP_ARM_SEA_TO_USER (Linux 6.19 or later has it): "
			 "poison the guest consumes reaches it as an SError, not through "
			 "seawall; SIGBUS from the host is still handled");
		return 0;
	}
	if (ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap)) {
		int ret = -errno;

		vmm__log("enabling KVM_CAP_ARM_SEA_TO_USER: %s", strerror(errno));
		return ret;
	}
	vm->sea_to_user = true;
	return 0;
}

int vm__create(struct vm *vm, const struct vmm_options *opts)
{
	int ret;

	memset(vm, 0, sizeof(*vm));
	vm->opts = opts;
	vm->kvm_fd = vm->vm_fd = vm->gic_fd = -1;
	vm->nr_vcpus = opts->cpus;
	vm->mem.gpa = ARM_RAM_BASE;
	vm->mem.size = opts->mem_size;
	vm->mem.pause = vcpu__pause_others;
	vm->mem.pause_ctx = vm;
	vm->boot_count = 1;
	pthread_mutex_init(&vm->lock, NULL);
	pthread_mutex_init(&vm->pause_lock, NULL);
	vm->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vm->wake_fd < 0) {
		ret = -errno;
		vmm__log("eventfd: %s", strerror(errno));
		return ret;
	}

	if ((ret = open_kvm(vm)) || (ret = create_vm(vm)) || (ret = enable_sea_to_user(vm)) ||
	    (ret = memory__create(&vm->mem, vm->vm_fd, ARM_RAM_BASE, opts->mem_size)) ||
	    (ret = gic__create(vm)))
		goto err;
	if (opts->test_poison && (ret = testdev__init(&vm->testdev, vm, ARM_TESTDEV_BASE)))
		goto err;
	ret = serial__init(&vm->console, vm, ARM_UART0_BASE, ARM_UART0_SPI, STDIN_FILENO,
			   STDOUT_FILENO);
	if (ret) {
		vmm__log("cannot create the console: %s", strerror(-ret));
		goto err;
	}
	ret = agent__init(&vm->agent, vm, ARM_UART1_BASE, ARM_UART1_SPI);
	if (ret) {
		vmm__log("cannot create the agent's port: %s", strerror(-ret));
		goto err_console;
	}
	ret = vcpu__create_all(vm);
	if (ret)
		goto err_console;
	/* The GIC can be initialised only once every vCPU exists. */
	ret = gic__init(vm);
	if (ret)
		goto err_vcpus;
	return 0;

err_vcpus:
	vcpu__destroy_all(vm);
err_console:
	serial__exit(&vm->console);
err:
	vm__destroy(vm);
	return ret;
}

void vm__destroy(struct vm *vm)
{
	if (vm->gic_fd >= 0)
		close(vm->gic_fd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	vm->gic_fd = vm->vm_fd = vm->kvm_fd = -1;
	/*
	 * Guest RAM is not unmapped here: the process exits next, and bad
	 * pages are already handed off or quarantined (memory.h).
	 */
}

void vm__wake(struct vm *vm)
{
	uint64_t one = 1;

	if (write(vm->wake_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		vmm__log("cannot wake the main thread: %s", strerror(errno));
}

void vm__exit(struct vm *vm, enum vm_exit why)
{
	pthread_mutex_lock(&vm->lock);
	if (vm->exit == VM_EXIT_NONE)
		vm->exit = why;
	pthread_mutex_unlock(&vm->lock);
	vm__wake(vm);
}

enum vm_exit vm__take_exit(struct vm *vm)
{
	enum vm_exit why;

	pthread_mutex_lock(&vm->lock);
	why = vm->exit;
	vm->exit = VM_EXIT_NONE;
	pthread_mutex_unlock(&vm->lock);
	return why;
}
