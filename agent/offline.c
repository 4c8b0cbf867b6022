/* SPDX-License-Identifier: MIT */
/*
 * Writing a physical address to hard_offline_page makes the guest kernel
 * run memory_failure() on the page: user mappings are poisoned (their next
 * access gets SIGBUS BUS_MCEERR_AR, as on bare metal with firmware-first
 * RAS) and the page never goes back to the allocator.  Needs
 * CONFIG_MEMORY_FAILURE and root (Documentation/ABI/testing/sysfs-memory-page-offline).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "offline.h"

static uint64_t page_flags(const char *kpageflags, uint64_t pfn)
{
	uint64_t flags;
	int fd = open(kpageflags, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return UINT64_MAX;
	n = pread(fd, &flags, sizeof(flags), (off_t)(pfn * sizeof(flags)));
	close(fd);
	return n == (ssize_t)sizeof(flags) ? flags : UINT64_MAX;
}

const char *offline_page(const struct offline_paths *paths, uint64_t pa, uint64_t page_size)
{
	char text[32];
	int fd, len, err = 0;
	uint64_t flags;

	/* Read before offlining: afterwards the page is HWPOISON, not slab. */
	flags = page_flags(paths->kpageflags, pa / page_size);
	fd = open(paths->hard_offline, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return offline_reason(errno, flags);
	len = snprintf(text, sizeof(text), "0x%" PRIx64 "\n", pa);
	errno = 0;
	if (write(fd, text, (size_t)len) != len)
		err = errno ? errno : EIO;
	close(fd);
	return offline_reason(err, flags);
}
