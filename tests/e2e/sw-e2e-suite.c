/* SPDX-License-Identifier: MIT */
/*
 * sw-e2e-suite: the end-to-end tests of seawall-vmm, run as root in L1 of
 * the rig (rig/run -- sw-e2e-suite [SCENARIO...]).  Each scenario starts
 * seawall-vmm with a bare-metal or Linux guest and checks, exactly, the
 * guest's console markers, the VMM's messages and its exit status.  The
 * output is TAP; every captured line is echoed as a comment.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"

static const struct {
	const char *name;
	void (*run)(void);
	/*
	 * The host page size the scenario's expectations are written for (0:
	 * any): pages, kB counts and the guest pages a host page holds all
	 * follow from it, so on another host it is skipped with the reason,
	 * or fails when it was named on the command line.
	 */
	long host_page;
	/* Run only when named: not part of the default list. */
	bool named_only;
} scenarios[] = {
	{"args", e2e_args, 0, false},
	{"elf-reset", e2e_elf_reset, 0, false},
	{"linux-boot", e2e_linux_boot, 0, false},
	{"sea-elf", e2e_sea_elf, 4096, false},
	{"journal", e2e_journal, 4096, false},
	{"fence", e2e_fence, 4096, false},
	{"replace", e2e_replace, 4096, false},
	{"kernel", e2e_kernel, 4096, false},
	{"notify", e2e_notify, 4096, false},
	{"notify-1cpu", e2e_notify_1cpu, 4096, false},
	{"notify-kernel", e2e_notify_kernel, 4096, false},
	/* Needs a 16 KiB host: rig/run --kernel debian-16k (suite vmm-e2e-16k). */
	{"notify-16k", e2e_notify_16k, 16384, true},
	/* Needs a 64 KiB host: rig/run --kernel patched (suite vmm-e2e-64k). */
	{"notify-64k", e2e_notify_64k, 65536, true},
};

#define NR_SCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

static bool named(int argc, char **argv, const char *name)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	long host_page = sysconf(_SC_PAGESIZE);

	for (int i = 1; i < argc; i++) {
		bool known = false;

		for (size_t s = 0; s < NR_SCENARIOS; s++)
			known |= !strcmp(argv[i], scenarios[s].name);
		if (!known) {
			fprintf(stderr, "sw-e2e-suite: no scenario '%s'; there are:", argv[i]);
			for (size_t s = 0; s < NR_SCENARIOS; s++)
				fprintf(stderr, " %s", scenarios[s].name);
			fprintf(stderr, "\n");
			return 2;
		}
	}
	if (access("/dev/kvm", R_OK | W_OK)) {
		tap_skip("no usable /dev/kvm", "seawall-vmm end-to-end tests");
		return tap_done();
	}
	/*
	 * Poisoned pages wait for their consumer in guest RAM, and L1 has no
	 * firmware-first RAS: a host kernel that copied one (compaction)
	 * would die.  seawall-vmm keeps khugepaged away (--test-poison); this
	 * keeps proactive compaction away.
	 */
	if (!write_file("/proc/sys/vm/compaction_proactiveness", "0\n"))
		tap_diag("cannot turn proactive compaction off");
	for (size_t s = 0; s < NR_SCENARIOS; s++) {
		if (argc < 2 ? scenarios[s].named_only : !named(argc, argv, scenarios[s].name))
			continue;
		tap_diag("scenario %s", scenarios[s].name);
		if (scenarios[s].host_page && scenarios[s].host_page != host_page) {
			char why[128];

			snprintf(why, sizeof(why),
				 "written for %ld KiB host pages, and this host's are %ld KiB",
				 scenarios[s].host_page >> 10, host_page >> 10);
			/*
			 * Named on purpose (a suite for that page size): the
			 * wrong L1 is a failure, not something to skip past.
			 */
			if (argc >= 2)
				tap_ok(false, "scenario %s: %s", scenarios[s].name, why);
			else
				tap_skip(why, "scenario %s", scenarios[s].name);
			continue;
		}
		scenarios[s].run();
	}
	/* Every VMM restored what it poisoned: L1 may reuse those pages safely. */
	tap_ok(injector_count() == 0, "the rig's injector holds no poisoned page at the end");
	return tap_done();
}
