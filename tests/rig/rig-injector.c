// SPDX-License-Identifier: MIT
/*
 * sw-rig-injector: the poison injector from a shell in L1, for the suite
 * runner (sw-rig-suite).
 *
 *   sw-rig-injector count          pages poisoned now
 *   sw-rig-injector hits           accesses refused so far
 *   sw-rig-injector unpoison-all   restore every poisoned page
 *
 * Exit status 0, 1 on an injector error, 2 on a usage error.
 */
#include <stdio.h>
#include <string.h>

#include "poison.h"

static int usage(void)
{
	fprintf(stderr, "usage: sw-rig-injector count | hits | unpoison-all\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *where = "";
	int r;

	if (argc != 2)
		return usage();
	r = injector_open(&where);
	if (r) {
		fprintf(stderr, "sw-rig-injector: %s: %s\n", where, strerror(-r));
		return 1;
	}
	if (strcmp(argv[1], "count") == 0) {
		printf("%u\n", injector_count());
	} else if (strcmp(argv[1], "hits") == 0) {
		printf("%llu\n", (unsigned long long)injector_hits());
	} else if (strcmp(argv[1], "unpoison-all") == 0) {
		uint32_t status = injector_command(INJ_CMD_UNPOISON_ALL, 0);

		if (status != INJ_STATUS_OK) {
			fprintf(stderr, "sw-rig-injector: UNPOISON_ALL: status %u\n", status);
			return 1;
		}
	} else {
		return usage();
	}
	return 0;
}
