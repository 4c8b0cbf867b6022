/* SPDX-License-Identifier: MIT */
/*
 * test-ratelimit: the policy's leaky bucket holds exactly N events, drains
 * exactly N per window, never overflows its arithmetic at the limits, and
 * treats time going backwards as no time passing.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ratelimit.h"

#define S 1000000000ull

static void test_init_ranges(void **state)
{
	struct sw_ratelimit rl;

	(void)state;
	assert_int_equal(sw_ratelimit_init(&rl, 0, S), -EINVAL);
	assert_int_equal(sw_ratelimit_init(&rl, 1001, S), -EINVAL);
	assert_int_equal(sw_ratelimit_init(&rl, 1, 0), -EINVAL);
	assert_int_equal(sw_ratelimit_init(&rl, 1, SW_RATELIMIT_MAX_WINDOW_NS + 1), -EINVAL);
	assert_int_equal(sw_ratelimit_init(&rl, 1000, SW_RATELIMIT_MAX_WINDOW_NS), 0);
	assert_int_equal(rl.level, 0);
	assert_int_equal(rl.events, 1000);
}

/* Three per minute: three at once fit, the fourth exceeds and is not added. */
static void test_burst(void **state)
{
	struct sw_ratelimit rl;

	(void)state;
	assert_int_equal(sw_ratelimit_init(&rl, 3, 60 * S), 0);
	assert_false(sw_ratelimit_add(&rl, 100 * S));
	assert_false(sw_ratelimit_add(&rl, 100 * S));
	assert_false(sw_ratelimit_add(&rl, 100 * S));
	assert_int_equal(sw_ratelimit_level(&rl, 100 * S), 3);
	assert_true(sw_ratelimit_add(&rl, 100 * S));
	assert_int_equal(sw_ratelimit_level(&rl, 100 * S), 3);
	/* 20 s drains exactly one event's worth. */
	assert_int_equal(sw_ratelimit_level(&rl, 120 * S), 2);
	assert_false(sw_ratelimit_add(&rl, 120 * S));
	assert_true(sw_ratelimit_add(&rl, 120 * S));
	/* A full window empties it. */
	assert_int_equal(sw_ratelimit_level(&rl, 180 * S), 0);
	assert_false(sw_ratelimit_add(&rl, 180 * S));
	assert_int_equal(sw_ratelimit_level(&rl, 180 * S), 1);
}

/* Exact to the nanosecond: 2 events per 1000 ns drain 1 event per 500 ns. */
static void test_exact_drain(void **state)
{
	struct sw_ratelimit rl;

	(void)state;
	assert_int_equal(sw_ratelimit_init(&rl, 2, 1000), 0);
	assert_false(sw_ratelimit_add(&rl, 0));
	assert_false(sw_ratelimit_add(&rl, 0));
	assert_true(sw_ratelimit_add(&rl, 0));
	assert_true(sw_ratelimit_add(&rl, 499)); /* 998 of 1000 event-ns drained */
	assert_int_equal(rl.level, 1002);
	assert_false(sw_ratelimit_add(&rl, 500)); /* 1002 - 2 drained leaves room for one */
	assert_int_equal(rl.level, 2000);
}

/* Time going backwards drains nothing and does not move the clock back. */
static void test_backwards(void **state)
{
	struct sw_ratelimit rl;

	(void)state;
	assert_int_equal(sw_ratelimit_init(&rl, 1, 10 * S), 0);
	assert_false(sw_ratelimit_add(&rl, 100 * S));
	assert_true(sw_ratelimit_add(&rl, 50 * S));
	assert_int_equal(rl.last_ns, 100 * S);
	assert_int_equal(sw_ratelimit_level(&rl, 0), 1);
	assert_false(sw_ratelimit_add(&rl, 110 * S));
}

/* The largest bucket, and the longest gap, stay inside 64 bits. */
static void test_limits(void **state)
{
	struct sw_ratelimit rl;

	(void)state;
	assert_int_equal(sw_ratelimit_init(&rl, 1000, SW_RATELIMIT_MAX_WINDOW_NS), 0);
	for (int i = 0; i < 1000; i++)
		assert_false(sw_ratelimit_add(&rl, 1));
	assert_int_equal(rl.level, 1000ull * SW_RATELIMIT_MAX_WINDOW_NS);
	assert_true(sw_ratelimit_add(&rl, 1));
	assert_int_equal(sw_ratelimit_level(&rl, 1), 1000);
	assert_int_equal(sw_ratelimit_level(&rl, 1 + SW_RATELIMIT_MAX_WINDOW_NS - 1), 1);
	assert_int_equal(sw_ratelimit_level(&rl, UINT64_MAX), 0);
	assert_false(sw_ratelimit_add(&rl, UINT64_MAX));
	assert_int_equal(rl.level, SW_RATELIMIT_MAX_WINDOW_NS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_ranges), cmocka_unit_test(test_burst),
		cmocka_unit_test(test_exact_drain), cmocka_unit_test(test_backwards),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests_name("ratelimit", tests, NULL, NULL);
}
