/* SPDX-License-Identifier: MIT */
/* The seawall command's subcommands: one file each, cmd_NAME(argc, argv). */
#ifndef SEAWALL_CLI_COMMANDS_H
#define SEAWALL_CLI_COMMANDS_H

/* Exit codes, as the rest of the ecosystem: 0 ok, 1 failure, 2 usage. */
#define CLI_OK    0
#define CLI_FAIL  1
#define CLI_USAGE 2

int cmd_decode(int argc, char **argv);
int cmd_journal(int argc, char **argv);
int cmd_events(int argc, char **argv);

#endif
