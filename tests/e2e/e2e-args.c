/* SPDX-License-Identifier: MIT */
/*
 * Scenario "args": bad arguments and bad files get one clear line on
 * stderr and exit status 2, before any guest runs.
 */
#include <endian.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"

static void expect_refusal(const char *const *argv, const char *line)
{
	struct vmm_run r;

	if (run_vmm(&r, argv, NULL, 60)) {
		tap_ok(false, "cannot start seawall-vmm");
		return;
	}
	tap_ok(r.status == 2 && has_line(&r.vmm, line), "refused with status 2: \"%s\"", line);
	if (r.status != 2)
		tap_diag("got status %d", r.status);
	vmm_run_free(&r);
}

static void expect_refusal_prefix(const char *const *argv, const char *prefix)
{
	struct vmm_run r;

	if (run_vmm(&r, argv, NULL, 60)) {
		tap_ok(false, "cannot start seawall-vmm");
		return;
	}
	tap_ok(r.status == 2 && line_with_prefix(&r.vmm, prefix),
	       "refused with status 2: \"%s...\"", prefix);
	vmm_run_free(&r);
}

/* What the VMM must say when --mem is too small for the Image in L1. */
static void expect_image_too_big(void)
{
	uint64_t image_size = 0;
	char line[256];
	int fd = open(L2_KERNEL, O_RDONLY);

	/* image_size is the u64 at offset 16 of the header (booting.rst). */
	if (fd < 0 || pread(fd, &image_size, 8, 16) != 8) {
		tap_ok(false, "cannot read the header of %s", L2_KERNEL);
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	image_size = le64toh(image_size);
	/* 32 MiB of RAM less the 64 KiB device tree area leaves 31 MiB. */
	snprintf(line, sizeof(line),
		 "seawall-vmm: --kernel " L2_KERNEL ": the Image needs %llu MiB from 0x80000000, "
		 "but only 31 MiB are free there: use a larger --mem",
		 (unsigned long long)((image_size + (1 << 20) - 1) >> 20));
	expect_refusal((const char *[]){"--kernel", L2_KERNEL, "--mem", "32M", NULL}, line);
}

void e2e_args(void)
{
	expect_refusal((const char *[]){NULL},
		       "seawall-vmm: nothing to boot: give --kernel IMAGE or --guest FILE.elf");
	expect_refusal((const char *[]){"--frobnicate", NULL},
		       "seawall-vmm: unknown option '--frobnicate' (see --help)");
	expect_refusal((const char *[]){"--guest", ELF_RESET, "--mem", "12X", NULL},
		       "seawall-vmm: --mem: '12X' is not a size (use a number with a K, M, G or "
		       "T suffix, e.g. 512M)");
	expect_refusal((const char *[]){"--guest", ELF_RESET, "--cpus", "0", NULL},
		       "seawall-vmm: --cpus: '0' is not a number from 1 to 64");
	expect_refusal((const char *[]){"--kernel", "/nonexistent", NULL},
		       "seawall-vmm: --kernel /nonexistent: No such file or directory");
	expect_refusal((const char *[]){"--kernel", ELF_RESET, NULL},
		       "seawall-vmm: --kernel " ELF_RESET ": not an arm64 Linux Image (no "
		       "\"ARM\\x64\" magic at offset 56; a compressed vmlinuz must be "
		       "decompressed first)");
	expect_refusal((const char *[]){"--guest", L2_KERNEL, NULL},
		       "seawall-vmm: --guest " L2_KERNEL ": not an ELF file");
	expect_refusal((const char *[]){"--guest", ELF_RESET, "--initrd", L2_INITRD, NULL},
		       "seawall-vmm: --initrd needs --kernel (a bare-metal --guest has no "
		       "initrd)");
	expect_image_too_big();

	/* Library files: the policy's parser and the journal name what is wrong. */
	if (!write_file("/tmp/e2e-bad.conf", "version = 2\n") ||
	    !write_file("/tmp/e2e-bad.journal", "this is not a journal\n"))
		return tap_ok(false, "cannot write the bad files");
	expect_refusal(
		(const char *[]){"--guest", ELF_RESET, "--policy", "/tmp/e2e-bad.conf", NULL},
		"seawall-vmm: --policy /tmp/e2e-bad.conf:1: key 'version': '2' is not "
		"supported: this seawall reads version 1");
	expect_refusal_prefix(
		(const char *[]){"--guest", ELF_RESET, "--journal", "/tmp/e2e-bad.journal", NULL},
		"seawall-vmm: --journal: /tmp/e2e-bad.journal is not a seawall journal");
}
