/* SPDX-License-Identifier: MIT */
/* The scenarios of sw-e2e-suite: one function per file e2e-NAME.c. */
#ifndef SEAWALL_E2E_H
#define SEAWALL_E2E_H

#include "harness.h"

/* Files rig/run puts in L1. */
#define L2_KERNEL "/boot/Image"
#define L2_INITRD "/boot/seawall-l2.cpio"
#define ELF_RESET "/guests/e2e-reset.elf"

/* The L2 kernel command line for scenario NAME (quiet: console lines are slow). */
#define L2_CMDLINE(name) "console=ttyS0 quiet panic=-1 swtest=" name

/* Wall-time limit of one L2 Linux run (boots take 10-20 s under the rig). */
#define L2_TIMEOUT 240

/* Files of one seawall-vmm run in L1, rewritten by every scenario. */
#define POLICY	"/tmp/e2e-policy.conf"
#define EVENTS	"/tmp/e2e-events.jsonl"
#define JOURNAL "/tmp/e2e.journal"
#define METRICS "/tmp/e2e.prom"

/* Run seawall-vmm (policy: written to POLICY first unless NULL); the event log is emptied. */
bool start(struct vmm_run *r, const char *policy, const char *const *argv,
	   const struct reply *replies, int timeout);
/* The event log holds exactly these @n events (harness.h, event_summary()). */
void expect_events(const char *what, const char *const *want, size_t n);
/* Event @n (from 1) of the event log is @want. */
bool first_event_is(const char *want, size_t n);
/* Each of these lines (NULL-terminated) is in METRICS. */
void expect_metrics(const char *const *want);

/* seawall-vmm's arguments for an L2 Linux guest running scenario NAME (l2/NAME.sh). */
extern const char *const linux_args[11];
#define LINUX_ARGS(scenario, ...)                                                                  \
	(const char *[])                                                                           \
	{                                                                                          \
		linux_args[0], linux_args[1], linux_args[2], linux_args[3], linux_args[4],         \
			linux_args[5], linux_args[6], linux_args[7], linux_args[8], linux_args[9], \
			linux_args[10], "--cmdline", L2_CMDLINE(scenario), __VA_ARGS__, NULL       \
	}

void e2e_args(void);
void e2e_elf_reset(void);
void e2e_linux_boot(void);
void e2e_sea_elf(void);
void e2e_journal(void);
void e2e_fence(void);
void e2e_replace(void);
void e2e_kernel(void);
void e2e_notify(void);
void e2e_notify_1cpu(void);
void e2e_notify_kernel(void);
void e2e_notify_16k(void);
void e2e_notify_64k(void);

#endif
