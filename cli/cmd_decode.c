/* SPDX-License-Identifier: MIT */
/*
 * seawall decode ESR [--json]: say whether an ESR_ELx value is a synchronous
 * external abort, and what kind.  Exit 0 for an SEA, 1 (reason on stderr)
 * for a valid number that is not one, 2 for usage errors.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <seawall/sea.h>

#include "commands.h"
#include "util.h"

static const char usage_text[] =
	"usage: seawall decode ESR [--json]\n"
	"\n"
	"Decode an exception syndrome (ESR_EL1, ESR_EL2 or a KVM_EXIT_ARM_SEA esr)\n"
	"as a synchronous external abort.  ESR is hexadecimal with a 0x prefix, or\n"
	"decimal.\n"
	"\n"
	"  --json     print one JSON object instead of a line\n"
	"  -h, --help print this help\n"
	"\n"
	"Exit status: 0 an SEA; 1 a valid ESR that is not an SEA (the reason is on\n"
	"standard error); 2 a usage error.\n";

static int digit_value(char c, unsigned int base)
{
	unsigned int v;

	if (c >= '0' && c <= '9')
		v = (unsigned int)(c - '0');
	else if (c >= 'a' && c <= 'f')
		v = (unsigned int)(c - 'a' + 10);
	else if (c >= 'A' && c <= 'F')
		v = (unsigned int)(c - 'A' + 10);
	else
		return -1;
	return v < base ? (int)v : -1;
}

/*
 * "0x..." is hexadecimal, anything else decimal (a leading 0 is not octal).
 * Returns 0, -EINVAL for anything that is not a number, -ERANGE past 64 bits.
 */
static int parse_u64(const char *s, uint64_t *value)
{
	unsigned int base = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		int d = digit_value(*s, base);

		if (d < 0)
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return -ERANGE;
		v = v * base + (uint64_t)d;
	}
	*value = v;
	return 0;
}

#define SYNOPSIS "ESR [--json]"

int cmd_decode(int argc, char **argv)
{
	const char *esr_arg = NULL, *reason = NULL;
	bool json = false;
	struct sw_sea sea;
	char line[512];
	uint64_t esr;
	int ret;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage_text, stdout);
			return CLI_OK;
		} else if (!strcmp(a, "--json")) {
			json = true;
		} else if (a[0] == '-') {
			return cli_usage_error("decode", SYNOPSIS, "unknown option '%s'", a);
		} else if (esr_arg) {
			return cli_usage_error("decode", SYNOPSIS, "more than one ESR ('%s')", a);
		} else {
			esr_arg = a;
		}
	}
	if (!esr_arg)
		return cli_usage_error("decode", SYNOPSIS, "missing ESR");

	ret = parse_u64(esr_arg, &esr);
	if (ret == -ERANGE)
		return cli_usage_error("decode", SYNOPSIS, "'%s' does not fit in 64 bits", esr_arg);
	if (ret)
		return cli_usage_error("decode", SYNOPSIS,
				       "'%s' is not a number: give the ESR in hex (0x92000210) or "
				       "decimal",
				       esr_arg);

	if (sw_sea_from_esr(&sea, esr, &reason)) {
		fprintf(stderr, "seawall decode: 0x%" PRIx64 ": %s\n", esr, reason);
		return CLI_FAIL;
	}
	ret = json ? sw_sea_to_json(&sea, line, sizeof(line))
		   : sw_sea_describe(&sea, line, sizeof(line));
	if (ret < 0 || (size_t)ret >= sizeof(line)) {
		fprintf(stderr, "seawall decode: cannot render the result (%d)\n", ret);
		return CLI_FAIL;
	}
	puts(line);
	return CLI_OK;
}
