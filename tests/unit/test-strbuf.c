/* SPDX-License-Identifier: MIT */
/*
 * test-strbuf: the bounded text builder's pieces (puts, hex, printf, JSON
 * strings and hex) give exactly what snprintf() gives for the whole text,
 * at every buffer size: the same bytes, always NUL-terminated, and the
 * full length.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "strbuf.h"

/* The text the pieces below build, in one piece. */
static const char whole[] =
	"{\"gva\":\"0x0\",\"gpa\":\"0x80010000\",\"max\":\"0xffffffffffffffff\","
	"\"n\":-7,\"vm\":\"a\\\"b\\\\c\\n\\u0001\",\"page\":null,\"gfn\":\"0x12\"}";

static int build(char *buf, size_t size)
{
	struct sw_strbuf sb;

	sw_strbuf_init(&sb, buf, size);
	sw_strbuf_puts(&sb, "{\"gva\":\"");
	sw_strbuf_hex(&sb, 0);
	sw_strbuf_puts(&sb, "\",\"gpa\":\"");
	sw_strbuf_hex(&sb, 0x80010000);
	sw_strbuf_puts(&sb, "\",\"max\":\"");
	sw_strbuf_hex(&sb, UINT64_MAX);
	sw_strbuf_puts(&sb, "\",\"n\":");
	sw_strbuf_printf(&sb, "%d", -7);
	sw_strbuf_puts(&sb, "");
	sw_strbuf_puts(&sb, ",\"vm\":");
	sw_strbuf_json_string(&sb, "a\"b\\c\n\001");
	sw_strbuf_puts(&sb, ",\"page\":");
	sw_strbuf_json_hex(&sb, false, 5);
	sw_strbuf_puts(&sb, ",\"gfn\":");
	sw_strbuf_json_hex(&sb, true, 0x12);
	sw_strbuf_puts(&sb, "}");
	return sw_strbuf_result(&sb);
}

static void test_every_size(void **state)
{
	char got[sizeof(whole) + 8], want[sizeof(whole) + 8];

	(void)state;
	assert_int_equal(build(NULL, 0), (int)strlen(whole));
	for (size_t size = 0; size <= sizeof(whole) + 1; size++) {
		memset(got, 'x', sizeof(got));
		memset(want, 'x', sizeof(want));
		snprintf(want, size, "%s", whole);
		assert_int_equal(build(got, size), (int)strlen(whole));
		assert_memory_equal(got, want, sizeof(got));
	}
}

static void test_hex(void **state)
{
	static const uint64_t values[] = {
		0, 1, 0xf, 0x10, 0x92000210, 0x8000000000000000ull, UINT64_MAX};
	char got[32], want[32];

	(void)state;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		struct sw_strbuf sb;

		sw_strbuf_init(&sb, got, sizeof(got));
		sw_strbuf_hex(&sb, values[i]);
		snprintf(want, sizeof(want), "0x%llx", (unsigned long long)values[i]);
		assert_string_equal(got, want);
		assert_int_equal(sw_strbuf_result(&sb), (int)strlen(want));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_size),
		cmocka_unit_test(test_hex),
	};

	return cmocka_run_group_tests_name("strbuf", tests, NULL, NULL);
}
