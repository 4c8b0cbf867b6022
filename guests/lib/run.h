/* SPDX-License-Identifier: MIT */
/* Internal to the guest library: sw_run()'s assembly half (run.S). */
#ifndef SEAWALL_GUEST_RUN_H
#define SEAWALL_GUEST_RUN_H

/* The SVC immediate a body's trampoline uses to say "fn returned". */
#define SW_SVC_RETURN 0x5357

#ifndef __ASSEMBLER__
#include <stdint.h>

uint64_t sw_run_enter(uint64_t spsr, uint64_t sp_el0, void (*fn)(uint64_t), uint64_t arg);
extern char sw_run_resume[];
#endif

#endif
