/* SPDX-License-Identifier: MIT */
/*
 * seawall-agent's FAILED reasons (agent/offline_reason.c): what the VMM is
 * told for each way a write to hard_offline_page can fail.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../agent/offline.h"

#define KPF_SLAB     (1ull << 7)
#define KPF_LRU	     (1ull << 5)
#define KPF_PGTABLE  (1ull << 26)
#define KPF_RESERVED (1ull << 32)
#define KPF_HWPOISON (1ull << 19)
#define UNKNOWN	     UINT64_MAX

static void offlined_now(void **state)
{
	(void)state;
	assert_null(offline_reason(0, KPF_LRU));
	assert_null(offline_reason(0, UNKNOWN));
}

/* A user page poisoned before is out of service either way. */
static void poisoned_before(void **state)
{
	(void)state;
	assert_null(offline_reason(EHWPOISON, KPF_LRU | KPF_HWPOISON));
	assert_null(offline_reason(EHWPOISON, UNKNOWN));
}

/*
 * memory_failure() marks a page it cannot isolate as poisoned too, so a
 * page table notified twice says EHWPOISON the second time: still kernel.
 */
static void kernel_page_poisoned_before(void **state)
{
	(void)state;
	assert_string_equal(offline_reason(EHWPOISON, KPF_PGTABLE | KPF_HWPOISON), "kernel");
	assert_string_equal(offline_reason(EHWPOISON, KPF_SLAB), "kernel");
}

static void kernel_pages(void **state)
{
	(void)state;
	assert_string_equal(offline_reason(EBUSY, KPF_SLAB), "kernel");
	assert_string_equal(offline_reason(EBUSY, KPF_PGTABLE), "kernel");
	assert_string_equal(offline_reason(EBUSY, KPF_RESERVED), "kernel");
	assert_string_equal(offline_reason(EIO, KPF_PGTABLE), "kernel");
}

/* Without kernel flags (or without /proc/kpageflags) the errno speaks. */
static void other_failures(void **state)
{
	(void)state;
	assert_string_equal(offline_reason(EBUSY, KPF_LRU), "busy");
	assert_string_equal(offline_reason(EBUSY, UNKNOWN), "busy");
	assert_string_equal(offline_reason(EIO, UNKNOWN), "io");
	assert_string_equal(offline_reason(EINVAL, UNKNOWN), "invalid");
	assert_string_equal(offline_reason(ENXIO, UNKNOWN), "invalid");
	assert_string_equal(offline_reason(EPERM, UNKNOWN), "permission");
	assert_string_equal(offline_reason(EACCES, UNKNOWN), "permission");
	assert_string_equal(offline_reason(ENOENT, UNKNOWN), "unsupported");
	assert_string_equal(offline_reason(ENODEV, UNKNOWN), "unsupported");
	assert_string_equal(offline_reason(EOPNOTSUPP, UNKNOWN), "unsupported");
	assert_string_equal(offline_reason(ENOMEM, UNKNOWN), "other");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(offlined_now),
		cmocka_unit_test(poisoned_before),
		cmocka_unit_test(kernel_page_poisoned_before),
		cmocka_unit_test(kernel_pages),
		cmocka_unit_test(other_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
