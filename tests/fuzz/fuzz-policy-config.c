/* SPDX-License-Identifier: MIT */
/*
 * fuzz-policy-config: arbitrary bytes through the policy file parser.
 *
 * Invariants: no crash; a rejected input returns -EINVAL with a message
 * that names a line of the input ("fuzz.conf:LINE: ", LINE in 1..lines)
 * and is printable ASCII; an accepted input validates, and its dump parses
 * back to a configuration whose dump is the same text.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <seawall/policy.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned int count_lines(const uint8_t *data, size_t size)
{
	unsigned int lines = 1;

	for (size_t i = 0; i + 1 < size; i++)
		lines += data[i] == '\n';
	return lines;
}

static void check_error(int ret, const struct sw_policy_error *err, const uint8_t *data,
			size_t size)
{
	char prefix[48];
	size_t n;

	if (ret != -EINVAL || err->line < 1 || err->line > count_lines(data, size))
		abort();
	n = (size_t)snprintf(prefix, sizeof(prefix), "fuzz.conf:%u: ", err->line);
	if (strncmp(err->message, prefix, n))
		abort();
	for (const char *c = err->message; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sw_policy_config cfg, again;
	struct sw_policy_error err;
	char first[2048], second[2048];
	int ret, n;

	memset(&err, 0, sizeof(err));
	ret = sw_policy_config_parse(&cfg, "fuzz.conf", (const char *)data, size, &err);
	if (ret) {
		check_error(ret, &err, data, size);
		return 0;
	}
	if (sw_policy_config_validate(&cfg, NULL))
		abort();
	n = sw_policy_config_dump(&cfg, first, sizeof(first));
	if (n <= 0 || (size_t)n >= sizeof(first))
		abort();
	if (sw_policy_config_parse(&again, "dump", first, (size_t)n, &err))
		abort();
	if (sw_policy_config_dump(&again, second, sizeof(second)) != n || strcmp(first, second))
		abort();
	return 0;
}
