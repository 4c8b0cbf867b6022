/* SPDX-License-Identifier: MIT */
/*
 * The L1 side of the end-to-end tests: run seawall-vmm as a child with
 * its console (stdout) and diagnostics (stderr) captured line by line,
 * answer console markers with input or actions, enforce a timeout, and
 * report TAP results with exact expectations.
 */
#ifndef SEAWALL_E2E_HARNESS_H
#define SEAWALL_E2E_HARNESS_H

#include <stdbool.h>
#include <stddef.h>

/* Captured lines of one stream. */
struct lines {
	char **line;
	size_t count, cap;
};

struct vmm_run;

/* When a console line starts with @marker, write @input to the VMM's stdin. */
struct reply {
	const char *marker;
	const char *input;
};

struct vmm_run {
	struct lines console; /* the guest's console: the VMM's stdout */
	struct lines vmm;     /* the VMM's own messages: its stderr */
	int status;	      /* exit status, 128 + signal, or -1 on timeout */
	double seconds;	      /* wall time of the run */
};

/*
 * run_vmm - run /bin/seawall-vmm with @argv (NULL-terminated, without the
 * program name), replying to markers, for at most @timeout_s seconds.
 * Every captured line is echoed as a TAP comment.  Returns 0, or -1 if
 * the VMM could not be started.
 */
int run_vmm(struct vmm_run *r, const char *const *argv, const struct reply *replies, int timeout_s);
void vmm_run_free(struct vmm_run *r);

/* Exact-line queries. */
bool has_line(const struct lines *l, const char *line);
size_t count_lines(const struct lines *l, const char *line);
size_t count_prefix(const struct lines *l, const char *prefix);
/* The index of the first line equal to @line at or after @from, or -1. */
long find_line(const struct lines *l, const char *line, size_t from);
/* The first line that starts with @prefix, or NULL. */
const char *line_with_prefix(const struct lines *l, const char *prefix);

/* TAP. */
void tap_ok(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tap_skip(const char *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int tap_done(void); /* prints the plan; returns the exit status */

/* Assertions that print what was expected and what came. */
void expect_status(const struct vmm_run *r, int status, const char *what);
void expect_console(const struct vmm_run *r, const char *line);
void expect_vmm(const struct vmm_run *r, const char *line);
/* @first appears on the console, and @second after it. */
void expect_console_order(const struct vmm_run *r, const char *first, const char *second);

/* The lines of a file (an --events or --metrics file), in order. */
void read_lines(const char *path, struct lines *out);

/*
 * One event line in short: "vcpu=0 source=kvm_exit class=sea el=0
 * esr=0x92000210 page=0x8fe09000 actions=inject,replace reason=user_fault
 * strategy=one_reg ioctls=11 outcome=injected distinct=1" (null for JSON
 * null; the fault's ESR).
 */
void event_summary(const char *json, char *buf, size_t size);

/* The value of the first "@key": in @json, unquoted; arrays without brackets; "?" if none. */
void event_value(const char *json, const char *key, char *buf, size_t size);

/* The value after "SW-L2: LABEL page " on the console, or "?". */
const char *guest_page(const struct vmm_run *r, const char *label);

/* Write @text to @path (policy files); false on failure. */
bool write_file(const char *path, const char *text);

/* Poisoned pages the rig's injector holds now, or -1 if it cannot be read. */
long injector_count(void);

#endif
