/* SPDX-License-Identifier: MIT */
/* Helpers the seawall command's subcommands share. */
#ifndef SEAWALL_CLI_UTIL_H
#define SEAWALL_CLI_UTIL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Print "seawall COMMAND: MESSAGE" on stderr, then, with a @synopsis,
 * "usage: seawall COMMAND SYNOPSIS (see seawall COMMAND --help)" on the
 * next line, or without one " (see seawall COMMAND --help)" after the
 * message.  Returns CLI_USAGE, for "return cli_usage_error(...)".
 */
int cli_usage_error(const char *command, const char *synopsis, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sort @v ascending (n may be 0 and @v NULL) and count its distinct values. */
size_t cli_distinct_u64(uint64_t *v, size_t n);

/* qsort() order for uint64_t. */
int cli_compare_u64(const void *a, const void *b);

#endif
