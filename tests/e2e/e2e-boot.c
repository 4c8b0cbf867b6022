/* SPDX-License-Identifier: MIT */
/*
 * Scenarios "elf-reset" and "linux-boot": seawall-vmm boots a bare-metal
 * ELF guest and the Debian Linux kernel with 2 vCPUs, serves the 16550
 * console both ways, reboots in-process on PSCI SYSTEM_RESET and exits 0
 * on PSCI SYSTEM_OFF.
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "e2e.h"

void e2e_elf_reset(void)
{
	struct vmm_run r;

	/* Boot 1 resets, boot 2 powers off: one process, two boots. */
	if (run_vmm(&r, (const char *[]){"--guest", ELF_RESET, "--mem", "16M", NULL}, NULL, 60))
		return tap_ok(false, "cannot start seawall-vmm");
	expect_status(&r, 0, "elf-reset");
	expect_vmm(&r, "seawall-vmm: 1 vCPU, 16 MiB at 0x80000000, KVM_CAP_ARM_SEA_TO_USER "
		       "enabled");
	expect_console_order(&r, "SW-ELF: boot 1", "SW-ELF: boot 2");
	expect_vmm(&r, "seawall-vmm: the guest reset; booting it again (boot 2)");
	expect_vmm(&r, "seawall-vmm: the guest powered off");
	vmm_run_free(&r);

	/* --no-reboot: the first reset ends the VMM with status 3. */
	if (run_vmm(&r, (const char *[]){"--guest", ELF_RESET, "--mem", "16M", "--no-reboot", NULL},
		    NULL, 60))
		return tap_ok(false, "cannot start seawall-vmm");
	expect_status(&r, 3, "elf-reset --no-reboot");
	expect_console(&r, "SW-ELF: boot 1");
	tap_ok(!has_line(&r.console, "SW-ELF: boot 2"), "--no-reboot: no second boot");
	expect_vmm(&r, "seawall-vmm: the guest reset; exiting (--no-reboot)");
	vmm_run_free(&r);
}

void e2e_linux_boot(void)
{
	static const struct reply replies[] = {
		{"SW-L2: ready for input", "hello-seawall\n"},
		{NULL, NULL},
	};
	struct utsname u;
	char line[256];
	struct vmm_run r;

	if (run_vmm(&r,
		    (const char *[]){"--kernel", L2_KERNEL, "--initrd", L2_INITRD, "--cpus", "2",
				     "--mem", "256M", "--cmdline", L2_CMDLINE("boot"), NULL},
		    replies, L2_TIMEOUT))
		return tap_ok(false, "cannot start seawall-vmm");
	expect_status(&r, 0, "linux-boot");
	expect_console(&r, "SW-L2: boot 1 cpus 2 test boot");
	/* L1 and L2 boot the same Image. */
	uname(&u);
	snprintf(line, sizeof(line), "SW-L2: uname %s", u.release);
	expect_console(&r, line);
	expect_console(&r, "SW-L2: online 0-1");
	expect_console(&r, "SW-L2: got <hello-seawall>");
	expect_console_order(&r, "SW-L2: rebooting", "SW-L2: boot 2 cpus 2 test boot");
	expect_vmm(&r, "seawall-vmm: the guest reset; booting it again (boot 2)");
	expect_console_order(&r, "SW-L2: second boot", "SW-L2: done boot status 0");
	expect_vmm(&r, "seawall-vmm: the guest powered off");
	tap_ok(count_prefix(&r.console, "SW-L2: boot ") == 2, "linux-boot: exactly two boots");
	vmm_run_free(&r);
}
