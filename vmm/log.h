/* SPDX-License-Identifier: MIT */
/*
 * Diagnostics of seawall-vmm.  The guest's console owns stdout, so every
 * message of the VMM itself goes to stderr as one line that starts with
 * "seawall-vmm: ", which keeps the two apart in logs and tests.
 */
#ifndef SEAWALL_VMM_LOG_H
#define SEAWALL_VMM_LOG_H

void vmm__log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
