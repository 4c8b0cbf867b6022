/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sigbus.h"

#ifndef BUS_MCEERR_AR
#define BUS_MCEERR_AR 4
#define BUS_MCEERR_AO 5
#endif

static __thread volatile sig_atomic_t in_guest;
static __thread volatile sig_atomic_t ar_pending;
static __thread siginfo_t ar_info;
static __thread const void *volatile expected;

static int wake_fd = -1;
static unsigned int page_shift = 12; /* the host page's, set by sigbus__init() */
static siginfo_t ao_queue[SIGBUS_AO_QUEUE];
static unsigned int ao_head, ao_tail; /* tail: written by the handler only */

static void say(const char *msg)
{
	ssize_t ret = write(STDERR_FILENO, msg, strlen(msg));

	(void)ret;
}

/*
 * Is @hva in the extent the signal names?  si_addr_lsb gives its size: the
 * host page (12, 14 or 16 on arm64), or more for a huge page.  A signal
 * that gives none is taken to name the host page.
 */
static bool in_extent(const siginfo_t *si, const void *hva)
{
	unsigned int lsb = si->si_addr_lsb >= 12 && si->si_addr_lsb < 64
				   ? (unsigned int)si->si_addr_lsb
				   : page_shift;
	uintptr_t mask = ~(((uintptr_t)1 << lsb) - 1);

	return ((uintptr_t)si->si_addr & mask) == ((uintptr_t)hva & mask);
}

static void handler(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;
	uint64_t one = 1;

	(void)sig;
	(void)uc;
	if (si->si_code == BUS_MCEERR_AR && expected && in_extent(si, expected))
		goto out; /* our own MADV_HWPOISON */
	if (si->si_code == BUS_MCEERR_AR && in_guest) {
		ar_info = *si;
		ar_pending = 1;
		goto out;
	}
	if (si->si_code == BUS_MCEERR_AO) {
		unsigned int tail = __atomic_load_n(&ao_tail, __ATOMIC_RELAXED);

		if (tail - __atomic_load_n(&ao_head, __ATOMIC_ACQUIRE) < SIGBUS_AO_QUEUE) {
			ao_queue[tail % SIGBUS_AO_QUEUE] = *si;
			__atomic_store_n(&ao_tail, tail + 1, __ATOMIC_RELEASE);
		}
		if (wake_fd >= 0 && write(wake_fd, &one, sizeof(one)) < 0)
			say("seawall-vmm: cannot wake the main thread for a SIGBUS AO\n");
		goto out;
	}
	say(si->si_code == BUS_MCEERR_AR
		    ? "seawall-vmm: SIGBUS: seawall-vmm itself consumed poisoned memory outside "
		      "KVM_RUN; this is a containment bug: aborting\n"
		    : "seawall-vmm: SIGBUS that is not a memory error: aborting\n");
	signal(SIGBUS, SIG_DFL);
	abort();
out:
	errno = saved;
}

int sigbus__init(int fd)
{
	struct sigaction sa = {.sa_sigaction = handler, .sa_flags = SA_SIGINFO};
	long page_size = sysconf(_SC_PAGESIZE);

	wake_fd = fd;
	/* Read here: sysconf() is not async-signal-safe. */
	page_shift = page_size > 0 ? (unsigned int)__builtin_ctzl((unsigned long)page_size) : 12;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGBUS, &sa, NULL) ? -errno : 0;
}

void sigbus__in_guest(bool value)
{
	in_guest = value;
}

bool sigbus__take(siginfo_t *si)
{
	if (!ar_pending)
		return false;
	*si = ar_info;
	ar_pending = 0;
	return true;
}

void sigbus__expect(const void *hva)
{
	expected = hva;
}

bool sigbus__take_ao(siginfo_t *si)
{
	unsigned int head = __atomic_load_n(&ao_head, __ATOMIC_RELAXED);

	if (head == __atomic_load_n(&ao_tail, __ATOMIC_ACQUIRE))
		return false;
	*si = ao_queue[head % SIGBUS_AO_QUEUE];
	__atomic_store_n(&ao_head, head + 1, __ATOMIC_RELEASE);
	return true;
}
