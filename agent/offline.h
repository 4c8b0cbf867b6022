/* SPDX-License-Identifier: MIT */
/* Taking guest pages out of service through the guest kernel's memory-failure handling. */
#ifndef SEAWALL_AGENT_OFFLINE_H
#define SEAWALL_AGENT_OFFLINE_H

#include <stdint.h>

struct offline_paths {
	const char *hard_offline; /* /sys/devices/system/memory/hard_offline_page */
	const char *kpageflags;   /* /proc/kpageflags */
};

/*
 * Offline the page at physical address @pa.  Returns NULL when the page is
 * out of service (offlined now, or poisoned before), else the protocol's
 * FAILED reason.
 */
const char *offline_page(const struct offline_paths *paths, uint64_t pa, uint64_t page_size);

/*
 * The protocol reason for a failed write of a page to hard_offline_page:
 * pure, so it can be tested on the host.  @flags are the page's
 * /proc/kpageflags bits, or UINT64_MAX when unknown.
 */
const char *offline_reason(int err, uint64_t flags);

#endif
