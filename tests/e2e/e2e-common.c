/* SPDX-License-Identifier: MIT */
/* What the scenarios that run seawall-vmm share: starting it, checking events and metrics. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"


const char *const linux_args[] = {"--kernel",	  L2_KERNEL,  "--initrd", L2_INITRD,
					 "--cpus",	  "2",	      "--mem",	  "256M",
					 "--test-poison", "--events", EVENTS};

/* The events of the last run are exactly @want, in order. */
void expect_events(const char *what, const char *const *want, size_t n)
{
	struct lines ev;
	char got[512];

	read_lines(EVENTS, &ev);
	tap_ok(ev.count == n, "%s: %zu events in %s", what, n, EVENTS);
	if (ev.count != n)
		tap_diag("got %zu", ev.count);
	for (size_t i = 0; i < n; i++) {
		if (i < ev.count)
			event_summary(ev.line[i], got, sizeof(got));
		else
			snprintf(got, sizeof(got), "(none)");
		tap_ok(!strcmp(got, want[i]), "%s: event %zu: %s", what, i + 1, want[i]);
		if (strcmp(got, want[i]))
			tap_diag("got      %s", got);
	}
	for (size_t i = 0; i < ev.count; i++)
		free(ev.line[i]);
	free(ev.line);
}

/* Is event @n (1-based) of the last run exactly @want? */
bool first_event_is(const char *want, size_t n)
{
	struct lines ev;
	char got[512] = "";

	read_lines(EVENTS, &ev);
	if (n <= ev.count)
		event_summary(ev.line[n - 1], got, sizeof(got));
	for (size_t i = 0; i < ev.count; i++)
		free(ev.line[i]);
	free(ev.line);
	return !strcmp(got, want);
}

/* Each of @want is a line of the --metrics file. */
void expect_metrics(const char *const *want)
{
	struct lines m;

	read_lines(METRICS, &m);
	for (; *want; want++)
		tap_ok(has_line(&m, *want), "metrics: \"%s\"", *want);
	for (size_t i = 0; i < m.count; i++)
		free(m.line[i]);
	free(m.line);
}

bool start(struct vmm_run *r, const char *policy, const char *const *argv,
		  const struct reply *replies, int timeout)
{
	unlink(EVENTS);
	if (policy && !write_file(POLICY, policy)) {
		tap_ok(false, "cannot write %s", POLICY);
		return false;
	}
	if (run_vmm(r, argv, replies, timeout)) {
		tap_ok(false, "cannot start seawall-vmm");
		return false;
	}
	return true;
}

