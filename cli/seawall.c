/* SPDX-License-Identifier: MIT */
/*
 * seawall: decode an ESR, inspect a poison journal, summarise an event log.
 *
 * One subcommand per file (cmd_*.c); this file only dispatches.
 */
#include <stdio.h>
#include <string.h>

#include <seawall/seawall.h>

#include "commands.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
};

static const struct command commands[] = {
	/* Each subcommand adds one line here. */
	{ "decode", cmd_decode, "decode ESR [--json]       is this ESR an SEA, and what kind" },
	{ "journal", cmd_journal,
	  "journal show|check|compact FILE  inspect or compact a poison journal" },
	{ "events", cmd_events, "events summary FILE       what an event log says happened" },
	{ NULL, NULL, NULL },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: seawall COMMAND [ARGS]\n\ncommands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(f, "  %s\n", c->usage);
	fprintf(f, "\n  seawall --version | --help\n"
		   "\nRun 'seawall COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return CLI_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("seawall %s\n", sw_version());
		return CLI_OK;
	}
	for (const struct command *c = commands; c->name; c++)
		if (!strcmp(argv[1], c->name))
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "seawall: unknown command '%s' (see seawall --help)\n", argv[1]);
	return CLI_USAGE;
}
