/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "util.h"

int cli_usage_error(const char *command, const char *synopsis, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "seawall %s: ", command);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (synopsis)
		fprintf(stderr, "\nusage: seawall %s %s (see seawall %s --help)\n", command,
			synopsis, command);
	else
		fprintf(stderr, " (see seawall %s --help)\n", command);
	return CLI_USAGE;
}

int cli_compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

size_t cli_distinct_u64(uint64_t *v, size_t n)
{
	size_t d = 0;

	/* qsort() must not be given NULL, which an empty list may be. */
	if (n > 1)
		qsort(v, n, sizeof(*v), cli_compare_u64);
	for (size_t i = 0; i < n; i++)
		d += i == 0 || v[i] != v[i - 1];
	return d;
}
