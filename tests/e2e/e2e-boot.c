/* SPDX-License-Identifier: MIT */
/*
 * Scenarios "elf-reset" and "linux-boot": seawall-vmm boots a bare-metal
 * ELF guest and the Debian Linux kernel with 2 vCPUs, serves the 16550
 * console both ways, reboots in-process on PSCI SYSTEM_RESET and exits 0
 * on PSCI SYSTEM_OFF.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

/*
 * The release in the "Linux version RELEASE (" banner of the Image at
 * @path (an arm64 Image is not compressed: linux_banner is there as is),
 * or "?".  The L2 kernel is not L1's on every host: rig/run --kernel
 * debian-16k boots L1 with 16 KiB pages and L2 still with the 4 KiB one.
 */
static void image_release(const char *path, char *buf, size_t size)
{
	static const char banner[] = "Linux version ";
	FILE *f = fopen(path, "rb");
	char *image = NULL;
	long len = -1;

	snprintf(buf, size, "?");
	if (f && !fseek(f, 0, SEEK_END) && (len = ftell(f)) > 0 && !fseek(f, 0, SEEK_SET) &&
	    (image = malloc(len)) && fread(image, 1, len, f) == (size_t)len) {
		for (long i = 0; i + (long)sizeof(banner) < len; i++) {
			size_t n = 0;

			if (memcmp(image + i, banner, sizeof(banner) - 1))
				continue;
			i += sizeof(banner) - 1;
			while (i + (long)n < len && image[i + n] != ' ' && image[i + n] &&
			       n + 1 < size)
				n++;
			/* The banner itself, not a format string that starts the same way. */
			if (i + (long)n < len && image[i + n] == ' ' && n && image[i] != '%') {
				memcpy(buf, image + i, n);
				buf[n] = 0;
				break;
			}
		}
	}
	free(image);
	if (f)
		fclose(f);
}

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
	char line[256], release[128];
	struct vmm_run r;

	if (run_vmm(&r,
		    (const char *[]){"--kernel", L2_KERNEL, "--initrd", L2_INITRD, "--cpus", "2",
				     "--mem", "256M", "--cmdline", L2_CMDLINE("boot"), NULL},
		    replies, L2_TIMEOUT))
		return tap_ok(false, "cannot start seawall-vmm");
	expect_status(&r, 0, "linux-boot");
	expect_console(&r, "SW-L2: boot 1 cpus 2 test boot");
	/* The guest runs the Image it was given. */
	image_release(L2_KERNEL, release, sizeof(release));
	snprintf(line, sizeof(line), "SW-L2: uname %s", release);
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
