/* SPDX-License-Identifier: MIT */
/*
 * seawall-vmm's command line (vmm/options.c): every accepted form gives
 * the exact values, and every refused one the exact message.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../vmm/options.h"

static int parse(struct vmm_options *o, char *err, const char *const *args)
{
	char *argv[32];
	int argc = 0;

	argv[argc++] = "seawall-vmm";
	while (*args)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	err[0] = 0;
	return options__parse(o, argc, argv, err, 256);
}

static void test_sizes(void **state)
{
	static const struct {
		const char *s;
		int ret;
		uint64_t bytes;
	} cases[] = {
		{"512M", 0, 512ULL << 20},
		{"512m", 0, 512ULL << 20},
		{"2G", 0, 2ULL << 30},
		{"64g", 0, 64ULL << 30},
		{"1T", 0, 1ULL << 40},
		{"4096K", 0, 4ULL << 20},
		{"256", 0, 256ULL << 20},
		{"0", 0, 0},
		{"", -EINVAL, 0},
		{"M", -EINVAL, 0},
		{"12X", -EINVAL, 0},
		{"1GB", -EINVAL, 0},
		{"-1G", -EINVAL, 0},
		{" 1G", -EINVAL, 0},
		{"1.5G", -EINVAL, 0},
		{"16777216T", -ERANGE, 0},
		{"99999999999999999999", -ERANGE, 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t bytes = 0;

		assert_int_equal(options__parse_size(cases[i].s, &bytes), cases[i].ret);
		if (!cases[i].ret)
			assert_int_equal(bytes, cases[i].bytes);
	}
}

static void test_defaults_and_values(void **state)
{
	struct vmm_options o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, (const char *[]){"--kernel", "Image", NULL}), OPTIONS_RUN);
	assert_string_equal(o.kernel, "Image");
	assert_null(o.initrd);
	assert_null(o.guest);
	assert_string_equal(o.cmdline, "console=ttyS0");
	assert_int_equal(o.mem_size, 256ULL << 20);
	assert_int_equal(o.cpus, 1);
	assert_false(o.test_poison);
	assert_false(o.no_reboot);
	assert_false(o.drop_caps);

	assert_int_equal(
		parse(&o, err,
		      (const char *[]){"--kernel",    "K",     "--initrd",	"I",
				       "--cmdline",   "quiet", "--mem",		"1G",
				       "--cpus",      "2",     "--policy",	"P",
				       "--journal",   "J",     "--events",	"E",
				       "--metrics",   "M",     "--test-poison", "--no-reboot",
				       "--drop-caps", NULL}),
		OPTIONS_RUN);
	assert_string_equal(o.initrd, "I");
	assert_string_equal(o.cmdline, "quiet");
	assert_int_equal(o.mem_size, 1ULL << 30);
	assert_int_equal(o.cpus, 2);
	assert_string_equal(o.policy, "P");
	assert_string_equal(o.journal, "J");
	assert_string_equal(o.events, "E");
	assert_string_equal(o.metrics, "M");
	assert_true(o.test_poison);
	assert_true(o.no_reboot);
	assert_true(o.drop_caps);

	/* --opt=value works as well as --opt value. */
	assert_int_equal(parse(&o, err, (const char *[]){"--guest=g.elf", "--cpus=64", NULL}),
			 OPTIONS_RUN);
	assert_string_equal(o.guest, "g.elf");
	assert_int_equal(o.cpus, 64);
}

static void test_help_version(void **state)
{
	struct vmm_options o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, (const char *[]){"--help", NULL}), OPTIONS_HELP);
	assert_int_equal(parse(&o, err, (const char *[]){"-h", NULL}), OPTIONS_HELP);
	assert_int_equal(parse(&o, err, (const char *[]){"--version", NULL}), OPTIONS_VERSION);
}

static void test_refusals(void **state)
{
	static const struct {
		const char *args[8];
		const char *msg;
	} cases[] = {
		{{NULL}, "nothing to boot: give --kernel IMAGE or --guest FILE.elf"},
		{{"--kernel", "K", "--guest", "G", NULL},
		 "--kernel and --guest exclude each other: boot one of them"},
		{{"--guest", "G", "--initrd", "I", NULL},
		 "--initrd needs --kernel (a bare-metal --guest has no initrd)"},
		{{"--kernel", "K", "--kernel", "K2", NULL}, "--kernel given twice"},
		{{"--kernel", "", NULL}, "--kernel: the file name is empty"},
		{{"--kernel", "K", "--events", "", NULL}, "--events: the file name is empty"},
		{{"--kernel", NULL}, "--kernel needs a value (see --help)"},
		{{"--kernel", "K", "--mem", NULL}, "--mem needs a value (see --help)"},
		{{"--kernel", "K", "--mem", "12X", NULL},
		 "--mem: '12X' is not a size (use a number with a K, M, G or T suffix, e.g. 512M)"},
		{{"--kernel", "K", "--mem", "1M", NULL}, "--mem: '1M' is outside 2M..512G"},
		{{"--kernel", "K", "--mem", "513G", NULL}, "--mem: '513G' is outside 2M..512G"},
		{{"--kernel", "K", "--mem", "3M", NULL}, "--mem: '3M' is not a multiple of 2M"},
		{{"--kernel", "K", "--mem", "16777216T", NULL}, "--mem: '16777216T' is too large"},
		{{"--kernel", "K", "--cpus", "0", NULL},
		 "--cpus: '0' is not a number from 1 to 64"},
		{{"--kernel", "K", "--cpus", "65", NULL},
		 "--cpus: '65' is not a number from 1 to 64"},
		{{"--kernel", "K", "--cpus", "2x", NULL},
		 "--cpus: '2x' is not a number from 1 to 64"},
		{{"--kernel", "K", "--cpus", "-1", NULL},
		 "--cpus: '-1' is not a number from 1 to 64"},
		{{"--kernel", "K", "--frobnicate", NULL},
		 "unknown option '--frobnicate' (see --help)"},
		{{"--kernel", "K", "-x", NULL}, "unknown option '-x' (see --help)"},
		{{"--kernel", "K", "stray", NULL}, "unexpected argument 'stray' (see --help)"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vmm_options o;
		char err[256];

		assert_int_equal(parse(&o, err, cases[i].args), -EINVAL);
		assert_string_equal(err, cases[i].msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_defaults_and_values),
		cmocka_unit_test(test_help_version),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
