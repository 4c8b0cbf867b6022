/* SPDX-License-Identifier: MIT */
/*
 * Times as every seawall text shows them (journal lines, event JSON, the
 * CLI): CLOCK_REALTIME nanoseconds as ISO 8601 UTC with nanoseconds.
 */
#ifndef SEAWALL_LIB_TIMEFMT_H
#define SEAWALL_LIB_TIMEFMT_H

#include <stdbool.h>
#include <stdint.h>

#define SW_TIME_LEN 40

/*
 * Write "2026-11-22T10:00:00.123456789Z" for @ns to @out.  Returns true;
 * false, with "@<ns>ns" in @out, if the C library cannot break the time
 * down (it always can: a u64 of ns ends in 2554).
 */
bool sw_format_time(char out[SW_TIME_LEN], uint64_t ns);

#endif
