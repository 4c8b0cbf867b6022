/* SPDX-License-Identifier: MIT */
/* UTF-8 validation for names that go into JSON and Prometheus labels. */
#ifndef SEAWALL_LIB_UTF8_H
#define SEAWALL_LIB_UTF8_H

#include <stdbool.h>

/*
 * True if @s is well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), as both JSON (RFC 8259 section 8.1)
 * and the Prometheus text format require.
 */
bool sw_utf8_valid(const char *s);

#endif
