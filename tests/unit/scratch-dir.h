/* SPDX-License-Identifier: MIT */
/*
 * A scratch directory for a test program that writes files: the cmocka
 * group fixtures scratch_setup() and scratch_teardown() create and remove
 * /tmp/sw-test-NAME.XXXXXX, scratch_path() names a file in it.
 */
#ifndef SEAWALL_TESTS_SCRATCH_DIR_H
#define SEAWALL_TESTS_SCRATCH_DIR_H

#include <stdio.h>
#include <stdlib.h>

static char scratch_dir[64];

static inline int scratch_create(const char *name)
{
	snprintf(scratch_dir, sizeof(scratch_dir), "/tmp/sw-test-%s.XXXXXX", name);
	return mkdtemp(scratch_dir) ? 0 : -1;
}

static inline int scratch_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch_dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* @name in the scratch directory; the last four results stay valid. */
static inline const char *scratch_path(const char *name)
{
	static char buf[4][160];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", scratch_dir, name);
	return p;
}

#endif
