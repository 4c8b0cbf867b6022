// SPDX-License-Identifier: MIT
/*
 * sw-test-ucall: the guest framework's doorbell works under KVM -- a guest
 * print, a sync carrying five arguments, done, and a failed guest
 * assertion reported with its file and line (guests/hello.c).
 */
#include <string.h>

#include "rig_guest.h"
#include "test.h"

#define HELLO_STAGE_ARGS      1
#define HELLO_STAGE_FAIL_LINE 2

static void test_print_sync_done(const void *arg)
{
	const uint64_t args[6] = {0};
	struct rig_guest g;
	struct sw_ucall uc;

	(void)arg;
	guest_create(&g, "hello", args, false);
	vcpu_run(g.vcpu);
	TEST_ASSERT_EQ(get_ucall(&g, &uc), SW_UCALL_PRINT);
	TEST_ASSERT(strcmp(uc.text, "hello from EL1, ucall mode 1") == 0, "print: '%s'", uc.text);
	guest_expect_sync(&g, HELLO_STAGE_ARGS, &uc);
	TEST_ASSERT_EQ(uc.args[1], 0x11);
	TEST_ASSERT_EQ(uc.args[2], 0x2222);
	TEST_ASSERT_EQ(uc.args[3], 0x333333);
	TEST_ASSERT_EQ(uc.args[4], 0x44444444);
	TEST_ASSERT_EQ(uc.args[5], 0x5555555555);
	guest_expect_done(&g);
	guest_free(&g);
}

static void test_fail_file_line(const void *arg)
{
	const uint64_t args[6] = {1};
	struct rig_guest g;
	struct sw_ucall uc;
	uint64_t line;
	const char *base;

	(void)arg;
	guest_create(&g, "hello", args, false);
	guest_expect_sync(&g, HELLO_STAGE_ARGS, &uc);
	guest_expect_sync(&g, HELLO_STAGE_FAIL_LINE, &uc);
	line = uc.args[1];
	TEST_ASSERT_EQ(guest_run(&g, &uc), SW_UCALL_FAIL);
	base = strrchr(uc.file, '/') ? strrchr(uc.file, '/') + 1 : uc.file;
	TEST_ASSERT(strcmp(base, "hello.c") == 0, "file '%s'", uc.file);
	TEST_ASSERT_EQ(uc.line, line);
	TEST_ASSERT(strcmp(uc.text, "sw_params.args[0] == 0x1, expected 2 == 0x2") == 0,
		    "text '%s'", uc.text);
	guest_free(&g);
}

static const struct rig_case cases[] = {
	{"ucall: print, sync with five arguments, done", test_print_sync_done, NULL},
	{"ucall: a failed guest assertion reports its file and line", test_fail_file_line, NULL},
};

int main(void)
{
	return rig_test_main(cases, sizeof(cases) / sizeof(cases[0]));
}
