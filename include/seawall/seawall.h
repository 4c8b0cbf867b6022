/* SPDX-License-Identifier: MIT */
/*
 * seawall/seawall.h - the whole public API of libseawall.
 *
 * Conventions (as liburing and libfdt): every function returns 0 (or a
 * non-negative count) on success and a negative errno on failure; none
 * touches errno, prints or exits.  Events reach the caller through
 * callbacks.  Each header documents the codes its functions return.
 */
#ifndef SEAWALL_SEAWALL_H
#define SEAWALL_SEAWALL_H

#include <seawall/version.h>
#include <seawall/sea.h>
#include <seawall/policy.h>
#include <seawall/events.h>
#include <seawall/notify.h>
#include <seawall/inject.h>
#include <seawall/registry.h>
#include <seawall/journal.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version, e.g. "0.1.0" (may differ from SW_VERSION_STRING). */
const char *sw_version(void);

/*
 * sw_strerror - what a negative return value means for seawall, and what
 * to do about it: one message per code the headers document (it names
 * every call that returns the code), the C library's text for any other
 * -errno (one a system call passed through).  A positive value (a count),
 * a value below -4095 and a code the system does not define get a message
 * saying so.
 *
 * Returns a static string, never NULL.
 */
const char *sw_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif
