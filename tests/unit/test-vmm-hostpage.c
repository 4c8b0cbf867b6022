/* SPDX-License-Identifier: MIT */
/*
 * seawall-vmm's host-page arithmetic (vmm/hostpage.c): which guest pages
 * one bad host page takes (the notification's first page and npages), and
 * a host physical address from a pagemap entry, for 4, 16 and 64 KiB host
 * pages.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../vmm/hostpage.h"

static void test_size_ok(void **state)
{
	(void)state;
	assert_true(hostpage_size_ok(4096));
	assert_true(hostpage_size_ok(16384));
	assert_true(hostpage_size_ok(65536));
	assert_false(hostpage_size_ok(0));
	assert_false(hostpage_size_ok(2048));
	assert_false(hostpage_size_ok(8192 + 4096));
	assert_false(hostpage_size_ok(131072));
}

static void test_span(void **state)
{
	static const struct {
		uint64_t gpa, host, guest, first;
		uint32_t npages;
	} cases[] = {
		/* Same size: the page itself. */
		{0x8fe09000, 4096, 4096, 0x8fe09000, 1},
		{0x8fe09048, 4096, 4096, 0x8fe09000, 1},
		/* The rig's 16K host under a 4K guest: the four pages of the host page. */
		{0x822b9000, 16384, 4096, 0x822b8000, 4},
		{0x822b8000, 16384, 4096, 0x822b8000, 4},
		{0x822bbfff, 16384, 4096, 0x822b8000, 4},
		{0x822bc000, 16384, 4096, 0x822bc000, 4},
		/* 64K host pages: 16 of 4K, 4 of 16K. */
		{0x8001f000, 65536, 4096, 0x80010000, 16},
		{0x8001f000, 65536, 16384, 0x80010000, 4},
		/* A guest page larger than the host page is lost whole. */
		{0x80013000, 4096, 65536, 0x80010000, 1},
		{0x80017000, 16384, 65536, 0x80010000, 1},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t first = 0;
		uint32_t npages = 0;

		assert_int_equal(hostpage_guest_span(cases[i].gpa, cases[i].host, cases[i].guest,
						     &first, &npages),
				 0);
		assert_int_equal(first, cases[i].first);
		assert_int_equal(npages, cases[i].npages);
	}
}

static void test_span_refuses(void **state)
{
	uint64_t first = 0x1234;
	uint32_t npages = 7;

	(void)state;
	assert_int_equal(hostpage_guest_span(0x80000000, 0, 4096, &first, &npages), -EINVAL);
	assert_int_equal(hostpage_guest_span(0x80000000, 16384, 0, &first, &npages), -EINVAL);
	assert_int_equal(hostpage_guest_span(0x80000000, 12288, 4096, &first, &npages), -EINVAL);
	assert_int_equal(hostpage_guest_span(0x80000000, 16384, 3000, &first, &npages), -EINVAL);
	/* 2^63 / 1 pages do not fit a count. */
	assert_int_equal(hostpage_guest_span(0, 1ULL << 63, 1, &first, &npages), -EINVAL);
	/* Nothing written on failure. */
	assert_int_equal(first, 0x1234);
	assert_int_equal(npages, 7);
}

static void test_pagemap_offset(void **state)
{
	(void)state;
	assert_int_equal(hostpage_pagemap_offset(0xffff80001234, 4096), 0xffff80001ULL * 8);
	assert_int_equal(hostpage_pagemap_offset(0xffff80007234, 16384), 0x3fffe0001ULL * 8);
	assert_int_equal(hostpage_pagemap_offset(0xffff8001f234, 65536), 0xffff8001ULL * 8);
	assert_int_equal(hostpage_pagemap_offset(0, 16384), 0);
}

static void test_pagemap_hpa(void **state)
{
	const uint64_t present = 1ULL << 63;
	uint64_t hpa = 0;

	(void)state;
	/* The PFN counts host pages; the offset inside the host page is kept. */
	assert_int_equal(hostpage_pagemap_hpa(present | 0x4a2b1, 0xffff80001048, 4096, &hpa), 0);
	assert_int_equal(hpa, 0x4a2b1048ULL);
	assert_int_equal(hostpage_pagemap_hpa(present | 0x128ac, 0xffff80007048, 16384, &hpa), 0);
	assert_int_equal(hpa, 0x128ac * 16384ULL + 0x3048);
	assert_int_equal(hostpage_pagemap_hpa(present | 0x4a2b, 0xffff8001f000, 65536, &hpa), 0);
	assert_int_equal(hpa, 0x4a2b * 65536ULL + 0xf000);
	/* Bits 62:55 (swapped, exclusive, soft-dirty...) are not the PFN. */
	assert_int_equal(
		hostpage_pagemap_hpa(present | (1ULL << 61) | (1ULL << 56) | (1ULL << 55) | 0x10,
				     0x2000, 16384, &hpa),
		0);
	assert_int_equal(hpa, 0x10 * 16384ULL + 0x2000);

	hpa = 0x77;
	assert_int_equal(hostpage_pagemap_hpa(0x4a2b1, 0x1000, 4096, &hpa), -ENOENT);
	assert_int_equal(hostpage_pagemap_hpa(present, 0x1000, 4096, &hpa), -EPERM);
	assert_int_equal(hpa, 0x77);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_ok),	     cmocka_unit_test(test_span),
		cmocka_unit_test(test_span_refuses), cmocka_unit_test(test_pagemap_offset),
		cmocka_unit_test(test_pagemap_hpa),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
