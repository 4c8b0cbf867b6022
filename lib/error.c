/* SPDX-License-Identifier: MIT */
/* Library version and error strings. */
#include <errno.h>
#include <string.h>

#include <seawall/seawall.h>

#include "compiler.h"

SW_EXPORT const char *sw_version(void)
{
	return SW_VERSION_STRING;
}

/*
 * Messages say what the code means in seawall's terms and what to do.
 * Anything else falls back to the C library's text.
 */
SW_EXPORT const char *sw_strerror(int err)
{
	switch (-err) {
	case 0:
		return "success";
	case EINVAL:
		return "invalid argument (not an SEA, or a malformed value)";
	case ENOENT:
		return "address outside every guest memory slot";
	case EOPNOTSUPP:
		return "not supported for this vCPU context (AArch32 or a nested EL2 guest)";
	case ENOSPC:
		return "poison registry full: raise its capacity or restart the VM";
	case EBADMSG:
		return "corrupt record (checksum or format): the damaged tail was reported";
	default:
		return strerror(-err);
	}
}
