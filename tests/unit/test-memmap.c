/* SPDX-License-Identifier: MIT */
/*
 * Memslot translation: both directions at the first and last byte of each
 * slot and one past it, aliased host mappings (first slot wins), empty and
 * malformed tables, and every validation error with the slot it names.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <seawall/sea.h>

static const struct sw_memslot slots[] = {
	{.gpa = 0x80000000, .size = 0x40000000, .hva = 0x7f0000000000},
	{.gpa = 0x0, .size = 0x1000, .hva = 0x7e0000000000},
	/* An alias of slot 0's first page at another guest address. */
	{.gpa = 0x10000000, .size = 0x1000, .hva = 0x7f0000000000},
};
static const struct sw_memmap map = {slots, 3};

static void test_hva_to_gpa(void **state)
{
	static const struct {
		uint64_t hva;
		int ret;
		uint64_t gpa;
	} cases[] = {
		{0x7f0000000000, 0, 0x80000000}, /* first byte; slot 0 wins the alias */
		{0x7f0000000fff, 0, 0x80000fff}, {0x7f003fffffff, 0, 0xbfffffff}, /* last byte of
										     slot 0 */
		{0x7f0040000000, -ENOENT, 0},					  /* one past */
		{0x7effffffffff, -ENOENT, 0},					  /* one before */
		{0x7e0000000abc, 0, 0xabc},	 {0x7e0000001000, -ENOENT, 0},	  {0x0, -ENOENT, 0},
		{UINT64_MAX, -ENOENT, 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t gpa = 0x5a5a;

		assert_int_equal(sw_memmap_hva_to_gpa(&map, cases[i].hva, &gpa), cases[i].ret);
		assert_int_equal(gpa, cases[i].ret ? 0x5a5a : cases[i].gpa);
	}
}

static void test_gpa_to_hva(void **state)
{
	static const struct {
		uint64_t gpa;
		int ret;
		uint64_t hva;
	} cases[] = {
		{0x80000000, 0, 0x7f0000000000},
		{0xbfffffff, 0, 0x7f003fffffff},
		{0xc0000000, -ENOENT, 0},
		{0x7fffffff, -ENOENT, 0},
		{0x0, 0, 0x7e0000000000},
		{0xfff, 0, 0x7e0000000fff},
		{0x1000, -ENOENT, 0},
		{0x10000800, 0, 0x7f0000000800}, /* the alias slot */
		{UINT64_MAX, -ENOENT, 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t hva = 0x5a5a;

		assert_int_equal(sw_memmap_gpa_to_hva(&map, cases[i].gpa, &hva), cases[i].ret);
		assert_int_equal(hva, cases[i].ret ? 0x5a5a : cases[i].hva);
	}
}

static void test_empty_and_null(void **state)
{
	static const struct sw_memmap empty = {NULL, 0};
	static const struct sw_memmap broken = {NULL, 1};
	uint64_t out = 7;

	(void)state;
	assert_int_equal(sw_memmap_hva_to_gpa(&empty, 0x1000, &out), -ENOENT);
	assert_int_equal(sw_memmap_gpa_to_hva(&empty, 0x1000, &out), -ENOENT);
	assert_int_equal(sw_memmap_hva_to_gpa(&broken, 0x1000, &out), -EINVAL);
	assert_int_equal(sw_memmap_gpa_to_hva(&broken, 0x1000, &out), -EINVAL);
	assert_int_equal(sw_memmap_hva_to_gpa(NULL, 0x1000, &out), -EINVAL);
	assert_int_equal(sw_memmap_gpa_to_hva(&map, 0x1000, NULL), -EINVAL);
	assert_int_equal(out, 7);
}

static void test_validate(void **state)
{
	static const struct sw_memslot empty_slot[] = {
		{.gpa = 0x0, .size = 0x1000, .hva = 0x1000},
		{.gpa = 0x2000, .size = 0, .hva = 0x2000},
	};
	static const struct sw_memslot gpa_wraps[] = {
		{.gpa = 0xfffffffffffff000, .size = 0x2000, .hva = 0x1000},
	};
	static const struct sw_memslot hva_wraps[] = {
		{.gpa = 0x1000, .size = 0x2000, .hva = 0xfffffffffffff000},
	};
	static const struct sw_memslot overlap[] = {
		{.gpa = 0x0, .size = 0x1000, .hva = 0x10000},
		{.gpa = 0x100000, .size = 0x100000, .hva = 0x20000},
		{.gpa = 0x1ff000, .size = 0x1000, .hva = 0x90000},
	};
	static const struct sw_memslot touching[] = {
		{.gpa = 0x0, .size = 0x1000, .hva = 0x10000},
		{.gpa = 0x1000, .size = 0x1000, .hva = 0x10000},
		{.gpa = 0xfffffffffffff000, .size = 0x1000, .hva = 0x0},
	};
	static const struct {
		struct sw_memmap map;
		int ret;
		size_t slot;
		const char *reason;
	} cases[] = {
		{{slots, 3}, 0, 99, "untouched"},
		{{touching, 3}, 0, 99, "untouched"},
		{{NULL, 0}, 0, 99, "untouched"},
		{{NULL, 2}, -EINVAL, 0, "no memslot table, or a count with no slots (NULL)"},
		{{empty_slot, 2}, -EINVAL, 1, "a memslot has size 0"},
		{{gpa_wraps, 1}, -EINVAL, 0, "a memslot's guest physical range wraps past 2^64"},
		{{hva_wraps, 1}, -EINVAL, 0, "a memslot's host virtual range wraps past 2^64"},
		{{overlap, 3}, -EINVAL, 2, "two memslots overlap in guest physical space"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t slot = 99;
		const char *reason = "untouched";

		assert_int_equal(sw_memmap_validate(&cases[i].map, &slot, &reason), cases[i].ret);
		assert_int_equal(slot, cases[i].slot);
		assert_string_equal(reason, cases[i].reason);
	}
	assert_int_equal(sw_memmap_validate(NULL, NULL, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hva_to_gpa),
		cmocka_unit_test(test_gpa_to_hva),
		cmocka_unit_test(test_empty_and_null),
		cmocka_unit_test(test_validate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
