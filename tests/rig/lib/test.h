/* SPDX-License-Identifier: MIT */
/*
 * test.h - how a rig test program is written: a table of cases, each a
 * function that asserts exact values, run by rig_test_main() in its own
 * child process (so one failure cannot poison the next case, literally
 * or otherwise) under a timeout, printed as TAP.
 *
 *   TEST_ASSERT(cond, fmt, ...)   fail the case with a message
 *   TEST_ASSERT_EQ(a, b)          fail unless a == b (as uint64_t), printing both in hex
 *   TEST_REQUIRE(cond, fmt, ...)  skip the case (a missing capability is a skip, not a pass)
 *
 * A failing or skipping case first undoes what it did to the machine
 * (rig_cleanup(): every page it poisoned is unpoisoned), so L1 survives.
 */
#ifndef SEAWALL_RIG_TEST_H
#define SEAWALL_RIG_TEST_H

#include <stddef.h>
#include <stdint.h>

struct rig_case {
	const char *name;
	void (*fn)(const void *arg);
	const void *arg;
};

/* Run every case; returns the exit status for main(): 0 if none failed. */
int rig_test_main(const struct rig_case *cases, size_t n);

/* A diagnostic line ("# ..."), kept under the case's result by tests/run. */
void rig_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

__attribute__((noreturn, format(printf, 4, 5))) void
rig_fail(const char *file, int line, const char *cond, const char *fmt, ...);
__attribute__((noreturn, format(printf, 1, 2))) void rig_skip(const char *fmt, ...);

#define TEST_ASSERT(cond, ...)                                                                     \
	do {                                                                                       \
		if (!(cond))                                                                       \
			rig_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);                          \
	} while (0)

#define TEST_ASSERT_EQ(a, b)                                                                       \
	do {                                                                                       \
		uint64_t __a = (uint64_t)(a), __b = (uint64_t)(b);                                 \
		if (__a != __b)                                                                    \
			rig_fail(__FILE__, __LINE__, #a " == " #b, "0x%llx != 0x%llx",             \
				 (unsigned long long)__a, (unsigned long long)__b);                \
	} while (0)

#define TEST_REQUIRE(cond, ...)                                                                    \
	do {                                                                                       \
		if (!(cond))                                                                       \
			rig_skip(__VA_ARGS__);                                                     \
	} while (0)

/* Undo hooks run before a case process exits early (at most a few). */
void rig_atexit(void (*fn)(void));
void rig_cleanup(void);

#endif
