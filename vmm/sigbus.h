/* SPDX-License-Identifier: MIT */
/*
 * SIGBUS with BUS_MCEERR_AR / BUS_MCEERR_AO: the host kernel knows a page
 * of ours is bad.
 *
 *   - AR on a vCPU thread inside KVM_RUN: the guest touched a page the host
 *     had already taken (hard_offline_page, a hand-off, real firmware-first
 *     RAS).  KVM_RUN returns EINTR; the vCPU loop takes the recorded
 *     siginfo with sigbus__take() and handles it like an SEA exit.
 *   - AO (with early kill, set on the main thread): the host found a bad
 *     page nobody consumed yet.  Queued for the main thread, which is woken
 *     through the fd given to sigbus__init().
 *   - AR for madvise(MADV_HWPOISON) on the page the thread hands off
 *     (sigbus__expect()): expected, ignored.
 *   - Anything else means seawall-vmm itself touched a bad page, which
 *     containment exists to prevent: the handler says so and aborts rather
 *     than retrying the access forever.
 *
 * The handler only copies the siginfo and writes to the wake-up fd: both
 * async-signal-safe.
 */
#ifndef SEAWALL_VMM_SIGBUS_H
#define SEAWALL_VMM_SIGBUS_H

#include <signal.h>
#include <stdbool.h>

#define SIGBUS_AO_QUEUE 64

/* Install the handler; AO events wake @wake_fd (an eventfd).  0 or -errno. */
int sigbus__init(int wake_fd);

/* The calling vCPU thread is about to enter (true) or has left (false) KVM_RUN. */
void sigbus__in_guest(bool in_guest);

/* If an AR arrived on this thread during KVM_RUN, copy it to @si and return true. */
bool sigbus__take(siginfo_t *si);

/* The calling thread hands off the page at @hva next (NULL: done). */
void sigbus__expect(const void *hva);

/* Pop one queued AO event (main thread); false if none. */
bool sigbus__take_ao(siginfo_t *si);

#endif
