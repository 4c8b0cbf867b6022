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

void e2e_args(void);
void e2e_elf_reset(void);
void e2e_linux_boot(void);
void e2e_sea_elf(void);
void e2e_journal(void);
void e2e_fence(void);
void e2e_replace(void);
void e2e_kernel(void);

#endif
