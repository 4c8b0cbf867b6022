/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "offline.h"

/* include/uapi/linux/kernel-page-flags.h, and the KPF_* kernel-internal bits of fs/proc/page.c. */
#define KPF_SLAB     7
#define KPF_BUDDY    10
#define KPF_PGTABLE  26
#define KPF_RESERVED 32

const char *offline_reason(int err, uint64_t flags)
{
	uint64_t kernel = 1ull << KPF_SLAB | 1ull << KPF_PGTABLE | 1ull << KPF_RESERVED;

	switch (err) {
	case 0:
		return NULL;
	case EHWPOISON:
		/*
		 * Poisoned already: out of service, unless the kernel itself
		 * still uses it (memory_failure() marks even a page it cannot
		 * isolate, so a second attempt says EHWPOISON).
		 */
		if (flags != UINT64_MAX && (flags & kernel))
			return "kernel";
		return NULL;
	case EBUSY:
	case EIO:
		/*
		 * memory_failure() cannot isolate pages the kernel itself
		 * uses (slab, page tables, reserved memory) and says EBUSY;
		 * tell the VMM so, since it changes what the VMM must do.
		 */
		if (flags != UINT64_MAX && (flags & kernel))
			return "kernel";
		return err == EIO ? "io" : "busy";
	case EINVAL:
	case ENXIO:
		return "invalid";
	case EPERM:
	case EACCES:
		return "permission";
	case ENOENT:
	case ENODEV:
	case EOPNOTSUPP:
		return "unsupported";
	default:
		return "other";
	}
}
