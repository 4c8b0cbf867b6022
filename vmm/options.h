/* SPDX-License-Identifier: MIT */
/*
 * The command line of seawall-vmm.  Parsing is pure (no output, no exit),
 * so that the host unit tests can check every accepted and refused input;
 * main() prints the message and chooses the exit status.
 */
#ifndef SEAWALL_VMM_OPTIONS_H
#define SEAWALL_VMM_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VMM_DEFAULT_MEM	    (256ULL << 20)
#define VMM_MIN_MEM	    (2ULL << 20)
#define VMM_MAX_MEM	    (512ULL << 30)
#define VMM_MEM_ALIGN	    (2ULL << 20)
#define VMM_MAX_CPUS	    64
#define VMM_DEFAULT_CMDLINE "console=ttyS0"

struct vmm_options {
	const char *kernel;  /* --kernel: an arm64 Linux Image */
	const char *initrd;  /* --initrd */
	const char *cmdline; /* --cmdline, or VMM_DEFAULT_CMDLINE */
	const char *guest;   /* --guest: a bare-metal ELF test guest */
	const char *policy;  /* --policy, --journal, --events, --metrics: files */
	const char *journal;
	const char *events;
	const char *metrics;
	uint64_t mem_size; /* --mem, bytes */
	unsigned int cpus; /* --cpus */
	bool test_poison;  /* --test-poison: the test-only poison request page */
	bool no_reboot;	   /* --no-reboot: exit when the guest resets */
	bool drop_caps;	   /* --drop-caps: no capabilities once the VM is set up */
};

enum options_result {
	OPTIONS_RUN = 0,     /* start the VM */
	OPTIONS_HELP = 1,    /* --help: print options__usage to stdout */
	OPTIONS_VERSION = 2, /* --version */
};

/*
 * options__parse - fill @o from argv.
 *
 * Returns an enum options_result, or -EINVAL with one line (no newline)
 * in @err that names the bad argument and says what is expected.
 */
int options__parse(struct vmm_options *o, int argc, char **argv, char *err, size_t errlen);

/*
 * options__parse_size - "512M", "2G", "1048576K"; a bare number is MiB
 * (as QEMU's -m).  Returns 0, -EINVAL if @s is not a size, -ERANGE if it
 * does not fit in 64 bits.
 */
int options__parse_size(const char *s, uint64_t *bytes);

extern const char options__usage[];

#endif
