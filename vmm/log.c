/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

void vmm__log(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	/* One write per line, so lines from several threads never interleave. */
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "seawall-vmm: %s\n", line);
}
