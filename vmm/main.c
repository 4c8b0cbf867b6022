/* SPDX-License-Identifier: MIT */
/*
 * seawall-vmm: the reference VMM of seawall.  Boots an arm64 Linux Image
 * (or a bare-metal ELF test guest) on KVM and runs it until it powers off,
 * rebooting it in-process when it resets.
 *
 * Exit status: 0 the guest powered off; 1 the VMM failed (message on
 * stderr); 2 bad arguments or files; 3 the guest reset under --no-reboot;
 * 4 the recovery policy stopped the VM; 5 the guest reported a crash
 * (PSCI/KVM crash event).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>

#include <seawall/seawall.h>

#include "boot.h"
#include "file.h"
#include "hostpage.h"
#include "log.h"
#include "options.h"
#include "ras.h"
#include "sigbus.h"
#include "vcpu.h"
#include "vm.h"

enum {
	EXIT_POWEROFF = 0,
	EXIT_VMM_ERROR = 1,
	EXIT_USAGE = 2,
	EXIT_RESET = 3,
	EXIT_STOPPED = 4,
	EXIT_CRASH = 5,
};

/* Main thread: serve SIGBUS AO reports and the metrics until the guest stops. */
static enum vm_exit wait_exit(struct vm *vm)
{
	enum vm_exit why;
	uint64_t count;

	while ((why = vm__take_exit(vm)) == VM_EXIT_NONE) {
		struct pollfd pfd = {.fd = vm->wake_fd, .events = POLLIN};

		poll(&pfd, 1, ras__tick(vm));
		if (read(vm->wake_fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
			vmm__log("reading the wake-up eventfd: %s", strerror(errno));
	}
	ras__tick(vm);
	return why;
}

static void log_bad_pages(struct vm *vm)
{
	unsigned int n[4];

	memory__count(&vm->mem, n);
	if (n[PAGE_POISONED] + n[PAGE_HANDED_OFF] + n[PAGE_HOLE] + n[PAGE_REPLACED])
		vmm__log("bad pages: %u handed off to the host, %u fenced in memslot holes, %u "
			 "replaced, %u not contained",
			 n[PAGE_HANDED_OFF], n[PAGE_HOLE], n[PAGE_REPLACED], n[PAGE_POISONED]);
}

/*
 * Before any new boot, every bad page gets fresh memory: the boot loader
 * writes over guest RAM, and a new guest must not find a fenced page
 * either.  Then the policy forgets the pages.
 */
static int restart(struct vm *vm, bool guest)
{
	unsigned int n[4];

	memory__count(&vm->mem, n);
	if (n[PAGE_POISONED] + n[PAGE_HANDED_OFF] + n[PAGE_HOLE] && memory__restart(&vm->mem))
		return -1;
	/* A guest's own reboot matters to the policy only if it renewed pages. */
	if (!guest || n[PAGE_POISONED] + n[PAGE_HANDED_OFF] + n[PAGE_HOLE])
		ras__restarted(vm, guest);
	vm->boot_count++;
	serial__reset(&vm->console);
	agent__reset(&vm->agent);
	return 0;
}

/* Run boots until the guest is done; returns the exit status. */
static int run(struct vm *vm)
{
	enum vm_exit why;
	int ret;

	for (;;) {
		/* A file that cannot be loaded is the user's to fix, even on a reboot. */
		ret = boot__load(vm);
		if (ret)
			return ret == -ENOMEM || ret == -EIO ? EXIT_VMM_ERROR : EXIT_USAGE;
		if (vcpu__start_all(vm))
			return EXIT_VMM_ERROR;
		why = wait_exit(vm);
		vcpu__stop_all(vm);

		switch (why) {
		case VM_EXIT_POWEROFF:
			vmm__log("the guest powered off");
			return EXIT_POWEROFF;
		case VM_EXIT_RESET:
			if (vm->opts->no_reboot) {
				vmm__log("the guest reset; exiting (--no-reboot)");
				return EXIT_RESET;
			}
			if (restart(vm, true))
				return EXIT_VMM_ERROR;
			vmm__log("the guest reset; booting it again (boot %u)", vm->boot_count);
			break;
		case VM_EXIT_RESTART:
			if (restart(vm, false))
				return EXIT_VMM_ERROR;
			vmm__log("the recovery policy restarted the VM (boot %u)", vm->boot_count);
			serial__reset(&vm->console);
			break;
		case VM_EXIT_STOP:
			vmm__log("the recovery policy stopped the VM");
			return EXIT_STOPPED;
		case VM_EXIT_CRASH:
			vmm__log("the guest reported a crash");
			return EXIT_CRASH;
		default:
			return EXIT_VMM_ERROR;
		}
	}
}

/*
 * Everything that needs privilege is open by now (/dev/kvm, and for
 * --test-poison /dev/mem and pagemap, whose PFNs stay visible to the
 * opener): run the guest without any capability.
 */
static int drop_caps(struct vm *vm)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[2] = {0};

	if (syscall(SYS_capset, &hdr, data)) {
		vmm__log("--drop-caps: capset: %s", strerror(errno));
		return -1;
	}
	vm->mem.can_hwpoison = memory__can_hand_off();
	return 0;
}

static int check_files(const struct vmm_options *o)
{
	uint64_t size;

	if (o->kernel && file__size("--kernel", o->kernel, &size))
		return -1;
	if (o->initrd && file__size("--initrd", o->initrd, &size))
		return -1;
	if (o->guest && file__size("--guest", o->guest, &size))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct vmm_options opts;
	struct vm vm;
	char err[256];
	int ret, status;

	ret = options__parse(&opts, argc, argv, err, sizeof(err));
	if (ret < 0) {
		vmm__log("%s", err);
		return EXIT_USAGE;
	}
	if (ret == OPTIONS_HELP) {
		fputs(options__usage, stdout);
		return 0;
	}
	if (ret == OPTIONS_VERSION) {
		printf("seawall-vmm %s\n", sw_version());
		return 0;
	}
	/* Refuse missing files before creating anything. */
	if (check_files(&opts))
		return EXIT_USAGE;
	/* A console reader that went away must not kill the guest. */
	signal(SIGPIPE, SIG_IGN);

	if (vm__create(&vm, &opts))
		return EXIT_VMM_ERROR;
	ret = ras__init(&vm);
	if (ret)
		return ret == -EINVAL ? EXIT_USAGE : EXIT_VMM_ERROR;
	/*
	 * Early kill: the host tells us (BUS_MCEERR_AO) as soon as it finds a
	 * bad page of ours, before anyone consumes it; the threads inherit
	 * the setting and the kernel signals the first of them, this one.
	 */
	if (sigbus__init(vm.wake_fd) ||
	    prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0))
		vmm__log("cannot set up SIGBUS handling: %s", strerror(errno));
	vmm__log("%u vCPU%s, %llu MiB at 0x%llx, KVM_CAP_ARM_SEA_TO_USER %s", vm.nr_vcpus,
		 vm.nr_vcpus == 1 ? "" : "s", (unsigned long long)(vm.mem.size >> 20),
		 (unsigned long long)vm.mem.gpa, vm.sea_to_user ? "enabled" : "unavailable");
	/*
	 * Said only where it matters: with host pages larger than the
	 * guest's, one bad page costs the guest several (memory_create()
	 * accepts no host page smaller than GUEST_PAGE).
	 */
	if (vm.mem.page_size != GUEST_PAGE)
		vmm__log("host pages of %llu KiB: a bad one takes %llu guest pages of %llu KiB",
			 (unsigned long long)(vm.mem.page_size >> 10),
			 (unsigned long long)(vm.mem.page_size / GUEST_PAGE),
			 (unsigned long long)(GUEST_PAGE >> 10));
	if (opts.drop_caps && drop_caps(&vm))
		return EXIT_VMM_ERROR;
	vmm__log("containment: %s",
		 vm.mem.can_hwpoison ? "bad pages go to the host's memory-failure handling"
				     : "bad pages stay owned by seawall-vmm (no CAP_SYS_ADMIN)");
	status = run(&vm);
	log_bad_pages(&vm);
	ras__exit(&vm);
	if (opts.test_poison)
		testdev__exit(&vm.testdev);
	serial__exit(&vm.console);
	vcpu__destroy_all(&vm);
	vm__destroy(&vm);
	return status;
}
