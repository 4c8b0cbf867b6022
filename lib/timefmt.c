/* SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "timefmt.h"

bool sw_format_time(char out[SW_TIME_LEN], uint64_t ns)
{
	time_t secs = (time_t)(ns / 1000000000u);
	struct tm tm;
	size_t n;

	if (!gmtime_r(&secs, &tm) || !(n = strftime(out, SW_TIME_LEN, "%Y-%m-%dT%H:%M:%S", &tm))) {
		snprintf(out, SW_TIME_LEN, "@%" PRIu64 "ns", ns);
		return false;
	}
	snprintf(out + n, SW_TIME_LEN - n, ".%09uZ", (unsigned int)(ns % 1000000000u));
	return true;
}
