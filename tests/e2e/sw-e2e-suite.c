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
} scenarios[] = {
	{"args", e2e_args},	  {"elf-reset", e2e_elf_reset}, {"linux-boot", e2e_linux_boot},
	{"sea-elf", e2e_sea_elf}, {"journal", e2e_journal},	{"fence", e2e_fence},
	{"replace", e2e_replace}, {"kernel", e2e_kernel},	{"notify", e2e_notify},
	{"notify-1cpu", e2e_notify_1cpu},
};

#define NR_SCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

static bool wanted(int argc, char **argv, const char *name)
{
	if (argc < 2)
		return true;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return true;
	return false;
}

int main(int argc, char **argv)
{
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
		if (!wanted(argc, argv, scenarios[s].name))
			continue;
		tap_diag("scenario %s", scenarios[s].name);
		scenarios[s].run();
	}
	/* Every VMM restored what it poisoned: L1 may reuse those pages safely. */
	tap_ok(injector_count() == 0, "the rig's injector holds no poisoned page at the end");
	return tap_done();
}
