/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

const char options__usage[] =
	"usage: seawall-vmm --kernel IMAGE [--initrd FILE] [--cmdline S] [OPTIONS]\n"
	"       seawall-vmm --guest FILE.elf [OPTIONS]\n"
	"\n"
	"  --kernel IMAGE    boot an arm64 Linux Image\n"
	"  --initrd FILE     initramfs for --kernel\n"
	"  --cmdline S       kernel command line (default \"" VMM_DEFAULT_CMDLINE "\")\n"
	"  --guest FILE.elf  boot a bare-metal ELF test guest instead\n"
	"  --mem SIZE        guest memory, with a K, M, G or T suffix; a bare number\n"
	"                    is MiB (default 256M)\n"
	"  --cpus N          vCPUs (default 1)\n"
	"  --policy FILE     recovery policy\n"
	"  --journal FILE    poison journal (kept across restarts of the VMM)\n"
	"  --events FILE     append one JSON event per line\n"
	"  --metrics FILE    write metrics\n"
	"  --test-poison     TEST ONLY: let the guest ask the VMM to poison its pages\n"
	"  --no-reboot       exit (status 3) when the guest resets instead of rebooting\n"
	"  --drop-caps       drop every capability once the VM is set up\n"
	"  --help, --version\n";

enum {
	OPT_KERNEL = 256,
	OPT_INITRD,
	OPT_CMDLINE,
	OPT_GUEST,
	OPT_MEM,
	OPT_CPUS,
	OPT_POLICY,
	OPT_JOURNAL,
	OPT_EVENTS,
	OPT_METRICS,
	OPT_TEST_POISON,
	OPT_NO_REBOOT,
	OPT_DROP_CAPS,
	OPT_VERSION,
};

static const struct option long_options[] = {
	{"kernel", required_argument, NULL, OPT_KERNEL},
	{"initrd", required_argument, NULL, OPT_INITRD},
	{"cmdline", required_argument, NULL, OPT_CMDLINE},
	{"guest", required_argument, NULL, OPT_GUEST},
	{"mem", required_argument, NULL, OPT_MEM},
	{"cpus", required_argument, NULL, OPT_CPUS},
	{"policy", required_argument, NULL, OPT_POLICY},
	{"journal", required_argument, NULL, OPT_JOURNAL},
	{"events", required_argument, NULL, OPT_EVENTS},
	{"metrics", required_argument, NULL, OPT_METRICS},
	{"test-poison", no_argument, NULL, OPT_TEST_POISON},
	{"no-reboot", no_argument, NULL, OPT_NO_REBOOT},
	{"drop-caps", no_argument, NULL, OPT_DROP_CAPS},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0},
};

int options__parse_size(const char *s, uint64_t *bytes)
{
	unsigned long long n;
	unsigned int shift = 20;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end) {
		switch (*end) {
		case 'k':
		case 'K':
			shift = 10;
			break;
		case 'm':
		case 'M':
			shift = 20;
			break;
		case 'g':
		case 'G':
			shift = 30;
			break;
		case 't':
		case 'T':
			shift = 40;
			break;
		default:
			return -EINVAL;
		}
		if (end[1])
			return -EINVAL;
	}
	if (n > (UINT64_MAX >> shift))
		return -ERANGE;
	*bytes = (uint64_t)n << shift;
	return 0;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int parse_cpus(const char *s, unsigned int *cpus)
{
	unsigned long n;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end || n < 1 || n > VMM_MAX_CPUS)
		return -EINVAL;
	*cpus = n;
	return 0;
}

/* Every file option names a file: refuse an empty one here, with its name. */
static int set_path(const char **dst, const char *name, char *err, size_t errlen)
{
	if (!*optarg)
		return fail(err, errlen, "--%s: the file name is empty", name);
	if (*dst)
		return fail(err, errlen, "--%s given twice", name);
	*dst = optarg;
	return 0;
}

static int check(const struct vmm_options *o, char *err, size_t errlen)
{
	if (o->kernel && o->guest)
		return fail(err, errlen,
			    "--kernel and --guest exclude each other: boot one of them");
	if (!o->kernel && !o->guest)
		return fail(err, errlen,
			    "nothing to boot: give --kernel IMAGE or --guest FILE.elf");
	if (o->initrd && !o->kernel)
		return fail(err, errlen,
			    "--initrd needs --kernel (a bare-metal --guest has no initrd)");
	return 0;
}

int options__parse(struct vmm_options *o, int argc, char **argv, char *err, size_t errlen)
{
	int opt, ret;

	memset(o, 0, sizeof(*o));
	o->mem_size = VMM_DEFAULT_MEM;
	o->cpus = 1;
	o->cmdline = VMM_DEFAULT_CMDLINE;

	/* No messages from getopt itself; a full rescan for every call. */
	opterr = 0;
	optind = 0;
	while ((opt = getopt_long(argc, argv, ":h", long_options, NULL)) != -1) {
		ret = 0;
		switch (opt) {
		case OPT_KERNEL:
			ret = set_path(&o->kernel, "kernel", err, errlen);
			break;
		case OPT_INITRD:
			ret = set_path(&o->initrd, "initrd", err, errlen);
			break;
		case OPT_GUEST:
			ret = set_path(&o->guest, "guest", err, errlen);
			break;
		case OPT_POLICY:
			ret = set_path(&o->policy, "policy", err, errlen);
			break;
		case OPT_JOURNAL:
			ret = set_path(&o->journal, "journal", err, errlen);
			break;
		case OPT_EVENTS:
			ret = set_path(&o->events, "events", err, errlen);
			break;
		case OPT_METRICS:
			ret = set_path(&o->metrics, "metrics", err, errlen);
			break;
		case OPT_CMDLINE:
			o->cmdline = optarg;
			break;
		case OPT_MEM:
			ret = options__parse_size(optarg, &o->mem_size);
			if (ret == -ERANGE)
				return fail(err, errlen, "--mem: '%s' is too large", optarg);
			if (ret)
				return fail(
					err, errlen,
					"--mem: '%s' is not a size (use a number with a K, M, G "
					"or T suffix, e.g. 512M)",
					optarg);
			if (o->mem_size < VMM_MIN_MEM || o->mem_size > VMM_MAX_MEM)
				return fail(err, errlen, "--mem: '%s' is outside 2M..512G", optarg);
			if (o->mem_size % VMM_MEM_ALIGN)
				return fail(err, errlen, "--mem: '%s' is not a multiple of 2M",
					    optarg);
			break;
		case OPT_CPUS:
			if (parse_cpus(optarg, &o->cpus))
				return fail(err, errlen,
					    "--cpus: '%s' is not a number from 1 to %d", optarg,
					    VMM_MAX_CPUS);
			break;
		case OPT_TEST_POISON:
			o->test_poison = true;
			break;
		case OPT_NO_REBOOT:
			o->no_reboot = true;
			break;
		case OPT_DROP_CAPS:
			o->drop_caps = true;
			break;
		case 'h':
			return OPTIONS_HELP;
		case OPT_VERSION:
			return OPTIONS_VERSION;
		case ':':
			return fail(err, errlen, "%s needs a value (see --help)", argv[optind - 1]);
		default:
			return fail(err, errlen, "unknown option '%s' (see --help)",
				    argv[optind - 1]);
		}
		if (ret)
			return ret;
	}
	if (optind < argc)
		return fail(err, errlen, "unexpected argument '%s' (see --help)", argv[optind]);
	ret = check(o, err, errlen);
	return ret ? ret : OPTIONS_RUN;
}
