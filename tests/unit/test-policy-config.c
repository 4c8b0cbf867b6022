/* SPDX-License-Identifier: MIT */
/*
 * test-policy-config: the policy file parser.  The defaults and their dump
 * are exact; every key parses; every kind of bad input (unknown key,
 * repeated key, bad choice, bad number, bad unit, out of range, missing or
 * unsupported version, NUL byte) gets its exact message naming the line
 * and key, and leaves the caller's configuration untouched; load() reports
 * I/O errors and keeps errno; every file in examples/policy reads.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <seawall/policy.h>

#define MS 1000000ull
#define S  1000000000ull

static const char default_dump[] = "# seawall policy: the effective configuration, every key\n"
				   "version = 1\n"
				   "user_fault = notify\n"
				   "kernel_fault = restart\n"
				   "uncontainable = restart\n"
				   "unconsumed = notify\n"
				   "unknown_page = restart\n"
				   "containment = fence\n"
				   "notify_deadline = 2s\n"
				   "notify_backoff = 1ms\n"
				   "notify_fallback = inject\n"
				   "max_pages = 16\n"
				   "on_max_pages = restart\n"
				   "rate_events = 10\n"
				   "rate_window = 1m\n"
				   "on_rate = stop\n";

static int parse(struct sw_policy_config *cfg, const char *text, struct sw_policy_error *err)
{
	return sw_policy_config_parse(cfg, "policy.conf", text, strlen(text), err);
}

static void dump(const struct sw_policy_config *cfg, char *buf, size_t size)
{
	int n = sw_policy_config_dump(cfg, buf, size);

	assert_true(n > 0 && (size_t)n < size);
}

/* Every field, so that a key added later cannot go unchecked here. */
static void expect_config(const struct sw_policy_config *got, const struct sw_policy_config *want)
{
	assert_int_equal(got->version, want->version);
	assert_int_equal(got->user_fault, want->user_fault);
	assert_int_equal(got->kernel_fault, want->kernel_fault);
	assert_int_equal(got->uncontainable, want->uncontainable);
	assert_int_equal(got->unconsumed, want->unconsumed);
	assert_int_equal(got->unknown_page, want->unknown_page);
	assert_int_equal(got->containment, want->containment);
	assert_int_equal(got->notify_deadline_ns, want->notify_deadline_ns);
	assert_int_equal(got->notify_backoff_ns, want->notify_backoff_ns);
	assert_int_equal(got->notify_fallback, want->notify_fallback);
	assert_int_equal(got->max_pages, want->max_pages);
	assert_int_equal(got->on_max_pages, want->on_max_pages);
	assert_int_equal(got->rate_events, want->rate_events);
	assert_int_equal(got->rate_window_ns, want->rate_window_ns);
	assert_int_equal(got->on_rate, want->on_rate);
}

static void test_defaults(void **state)
{
	static const struct sw_policy_config want = {
		.version = 1,
		.user_fault = SW_ACT_NOTIFY,
		.kernel_fault = SW_ACT_RESTART,
		.uncontainable = SW_ACT_RESTART,
		.unconsumed = SW_ACT_NOTIFY,
		.unknown_page = SW_ACT_RESTART,
		.containment = SW_ACT_FENCE,
		.notify_deadline_ns = 2 * S,
		.notify_backoff_ns = 1 * MS,
		.notify_fallback = SW_ACT_INJECT,
		.max_pages = 16,
		.on_max_pages = SW_ACT_RESTART,
		.rate_events = 10,
		.rate_window_ns = 60 * S,
		.on_rate = SW_ACT_STOP,
	};
	struct sw_policy_config cfg;
	char buf[1024];

	(void)state;
	sw_policy_config_default(&cfg);
	expect_config(&cfg, &want);
	assert_int_equal(sw_policy_config_validate(&cfg, NULL), 0);
	dump(&cfg, buf, sizeof(buf));
	assert_string_equal(buf, default_dump);
}

/* "version = 1" alone is the defaults; the dump reads back to itself. */
static void test_minimal_and_round_trip(void **state)
{
	struct sw_policy_config cfg, again;
	char a[1024], b[1024];

	(void)state;
	assert_int_equal(parse(&cfg, "version = 1\n", NULL), 0);
	dump(&cfg, a, sizeof(a));
	assert_string_equal(a, default_dump);
	assert_int_equal(parse(&again, a, NULL), 0);
	dump(&again, b, sizeof(b));
	assert_string_equal(a, b);
}

static void test_every_key(void **state)
{
	static const char text[] = "# a VM that must never restart on its own\r\n"
				   "\n"
				   "  version=1\r\n"
				   "user_fault = inject   # no agent in this guest\n"
				   "kernel_fault\t=\tnotify\n"
				   "uncontainable = stop\n"
				   "unconsumed = log\n"
				   "unknown_page = inject\n"
				   "containment = replace\n"
				   "notify_deadline = 90s\n"
				   "notify_backoff = 250 us\n"
				   "notify_fallback = stop\n"
				   "max_pages = 65536\n"
				   "on_max_pages = stop\n"
				   "rate_events = 1000\n"
				   "rate_window = 7d\n"
				   "on_rate = restart";
	static const char expect[] = "# seawall policy: the effective configuration, every key\n"
				     "version = 1\n"
				     "user_fault = inject\n"
				     "kernel_fault = notify\n"
				     "uncontainable = stop\n"
				     "unconsumed = log\n"
				     "unknown_page = inject\n"
				     "containment = replace\n"
				     "notify_deadline = 90s\n"
				     "notify_backoff = 250us\n"
				     "notify_fallback = stop\n"
				     "max_pages = 65536\n"
				     "on_max_pages = stop\n"
				     "rate_events = 1000\n"
				     "rate_window = 7d\n"
				     "on_rate = restart\n";
	static const struct sw_policy_config want = {
		.version = 1,
		.user_fault = SW_ACT_INJECT,
		.kernel_fault = SW_ACT_NOTIFY,
		.uncontainable = SW_ACT_STOP,
		.unconsumed = SW_ACT_LOG,
		.unknown_page = SW_ACT_INJECT,
		.containment = SW_ACT_REPLACE,
		.notify_deadline_ns = 90 * S,
		.notify_backoff_ns = 250000,
		.notify_fallback = SW_ACT_STOP,
		.max_pages = 65536,
		.on_max_pages = SW_ACT_STOP,
		.rate_events = 1000,
		.rate_window_ns = 7 * 86400 * S,
		.on_rate = SW_ACT_RESTART,
	};
	struct sw_policy_config cfg;
	char buf[1024];

	(void)state;
	assert_int_equal(parse(&cfg, text, NULL), 0);
	expect_config(&cfg, &want);
	dump(&cfg, buf, sizeof(buf));
	assert_string_equal(buf, expect);
}

/* Durations print in the largest unit that is exact, and every unit reads. */
static void test_duration_units(void **state)
{
	static const struct {
		const char *value;
		uint64_t ns;
		const char *dumped;
	} cases[] = {
		{"1500ms", 1500 * MS, "1500ms"}, {"2m", 120 * S, "2m"},
		{"120s", 120 * S, "2m"},	 {"2000000ns", 2 * MS, "2ms"},
		{"3000us", 3 * MS, "3ms"},	 {"600s", 600 * S, "10m"},
		{"5ms", 5 * MS, "5ms"},		 {"0010s", 10 * S, "10s"},
	};
	struct sw_policy_config cfg;
	char text[128], buf[1024], line[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "version = 1\nnotify_deadline = %s\n", cases[i].value);
		assert_int_equal(parse(&cfg, text, NULL), 0);
		assert_int_equal(cfg.notify_deadline_ns, cases[i].ns);
		dump(&cfg, buf, sizeof(buf));
		snprintf(line, sizeof(line), "\nnotify_deadline = %s\n", cases[i].dumped);
		assert_non_null(strstr(buf, line));
	}
	assert_int_equal(parse(&cfg, "version = 1\nrate_window = 24h\n", NULL), 0);
	assert_int_equal(cfg.rate_window_ns, 86400 * S);
	dump(&cfg, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\nrate_window = 1d\n"));
}

struct bad {
	const char *text;
	unsigned int line;
	const char *message;
};

static const struct bad bad_inputs[] = {
	{"# seven lines, as an operator writes them\nversion = 1\n\n# containment\n"
	 "user_fault = notify\nmax_pages = 8\ncontainment = fenced\n",
	 7, "policy.conf:7: key 'containment': 'fenced' is not one of fence, replace"},
	{"version = 1\ncontaiment = fence\n", 2,
	 "policy.conf:2: key 'contaiment' is unknown (did you mean 'containment'?)"},
	{"version = 1\nMax_Pages = 3\n", 2,
	 "policy.conf:2: key 'Max_Pages' is unknown (did you mean 'max_pages'?)"},
	{"version = 1\ncolour = blue\n", 2,
	 "policy.conf:2: key 'colour' is unknown (docs/policy.md lists the keys)"},
	{"version = 1\nmax_pages = 4\n# again\nmax_pages = 5\n", 4,
	 "policy.conf:4: key 'max_pages' is set twice (first on line 2): keep one"},
	{"version = 1\nversion = 1\n", 2,
	 "policy.conf:2: key 'version' is set twice (first on line 1): keep one"},
	{"version = 1\nmax_pages = 0\n", 2,
	 "policy.conf:2: key 'max_pages': '0' is out of range 1..65536"},
	{"version = 1\nmax_pages = 65537\n", 2,
	 "policy.conf:2: key 'max_pages': '65537' is out of range 1..65536"},
	{"version = 1\nmax_pages = 99999999999999999999999\n", 2,
	 "policy.conf:2: key 'max_pages': '99999999999999999999999' is out of range 1..65536"},
	{"version = 1\nmax_pages = 1.5\n", 2,
	 "policy.conf:2: key 'max_pages': '1.5' is not a whole number in 1..65536"},
	{"version = 1\nrate_events = -1\n", 2,
	 "policy.conf:2: key 'rate_events': '-1' is not a whole number in 1..1000"},
	{"version = 1\nnotify_deadline = 5\n", 2,
	 "policy.conf:2: key 'notify_deadline': '5' has no unit: use ns, us, ms, s, m, h or d"},
	{"version = 1\nnotify_deadline = 5sec\n", 2,
	 "policy.conf:2: key 'notify_deadline': '5sec' has an unknown unit 'sec': use ns, us, "
	 "ms, s, m, h or d"},
	{"version = 1\nnotify_deadline = 5S\n", 2,
	 "policy.conf:2: key 'notify_deadline': '5S' has an unknown unit 'S': use ns, us, ms, "
	 "s, m, h or d"},
	{"version = 1\nnotify_deadline = soon\n", 2,
	 "policy.conf:2: key 'notify_deadline': 'soon' is not a duration: write a whole number "
	 "and a unit, e.g. 500ms"},
	{"version = 1\nnotify_deadline = 20m\n", 2,
	 "policy.conf:2: key 'notify_deadline': '20m' is out of range 1ms..10m"},
	{"version = 1\nnotify_deadline = 999us\n", 2,
	 "policy.conf:2: key 'notify_deadline': '999us' is out of range 1ms..10m"},
	{"version = 1\nrate_window = 99999999999999999999d\n", 2,
	 "policy.conf:2: key 'rate_window': '99999999999999999999d' is out of range 1s..7d"},
	{"version = 1\nrate_window = 999999999999d\n", 2,
	 "policy.conf:2: key 'rate_window': '999999999999d' is out of range 1s..7d"},
	{"version = 1\nnotify_backoff = 5us\n", 2,
	 "policy.conf:2: key 'notify_backoff': '5us' is out of range 10us..1s"},
	{"version = 1\nuser_fault = log\n", 2,
	 "policy.conf:2: key 'user_fault': 'log' is not one of notify, inject, restart, stop"},
	{"version = 1\nunconsumed = replace\n", 2,
	 "policy.conf:2: key 'unconsumed': 'replace' is not one of log, notify, fence"},
	{"version = 1\non_rate = Stop\n", 2,
	 "policy.conf:2: key 'on_rate': 'Stop' is not one of restart, stop"},
	{"", 1, "policy.conf:1: key 'version' is missing: the first setting must be 'version = 1'"},
	{"# only a comment\n\n", 1,
	 "policy.conf:1: key 'version' is missing: the first setting must be 'version = 1'"},
	{"# first\ncontainment = fence\nversion = 1\n", 2,
	 "policy.conf:2: key 'containment' comes before 'version': the first setting must be "
	 "'version = 1'"},
	{"version = 2\n", 1,
	 "policy.conf:1: key 'version': '2' is not supported: this seawall reads version 1"},
	{"version = one\n", 1,
	 "policy.conf:1: key 'version': 'one' is not supported: this seawall reads version 1"},
	{"version = 1\ncontainment fence\n", 2,
	 "policy.conf:2: expected 'key = value', got 'containment fence'"},
	{"version = 1\n= fence\n", 2,
	 "policy.conf:2: expected 'key = value', got '= fence' (no key before '=')"},
	{"version = 1\ncontainment =\n", 2, "policy.conf:2: key 'containment' has no value"},
	{"version = 1\ncontainment = # later\n", 2,
	 "policy.conf:2: key 'containment' has no value"},
	{"version = 1\ncontainment = \x01\xff\n", 2,
	 "policy.conf:2: key 'containment': '\\x01\\xff' is not one of fence, replace"},
	{"version = 1\ncontainment = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", 2,
	 "policy.conf:2: key 'containment': 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is not "
	 "one of fence, replace"},
	{"version = 1\nnotify_deadline = 1ms\n", 2,
	 "policy.conf:2: key 'notify_deadline': notify_backoff (1ms) must be below "
	 "notify_deadline (1ms): the guest needs several tries to answer"},
	{"version = 1\nnotify_deadline = 10ms\nnotify_backoff = 1s\n", 3,
	 "policy.conf:3: key 'notify_backoff': notify_backoff (1s) must be below "
	 "notify_deadline (10ms): the guest needs several tries to answer"},
};

/* Each bad input: its exact message, and the caller's config untouched. */
static void test_bad_inputs(void **state)
{
	struct sw_policy_config cfg, before;
	struct sw_policy_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_inputs) / sizeof(bad_inputs[0]); i++) {
		memset(&cfg, 0x5a, sizeof(cfg));
		before = cfg;
		memset(&err, 0, sizeof(err));
		assert_int_equal(parse(&cfg, bad_inputs[i].text, &err), -EINVAL);
		assert_string_equal(err.message, bad_inputs[i].message);
		assert_int_equal(err.line, bad_inputs[i].line);
		assert_memory_equal(&cfg, &before, sizeof(cfg));
		/* Without an error struct: the same result. */
		assert_int_equal(parse(&cfg, bad_inputs[i].text, NULL), -EINVAL);
	}
}

static void test_nul_byte(void **state)
{
	static const char text[] = "version = 1\nconta\0inment = fence\n";
	struct sw_policy_config cfg;
	struct sw_policy_error err;

	(void)state;
	assert_int_equal(sw_policy_config_parse(&cfg, "vm.conf", text, sizeof(text) - 1, &err),
			 -EINVAL);
	assert_string_equal(err.message, "vm.conf:2: contains a NUL byte: a policy file is text");
	assert_int_equal(err.line, 2);
	/* The length is the caller's: text after it is not read. */
	assert_int_equal(sw_policy_config_parse(&cfg, "vm.conf", text, 12, &err), 0);
	assert_int_equal(sw_policy_config_parse(NULL, "vm.conf", text, 12, &err), -EINVAL);
	assert_int_equal(sw_policy_config_parse(&cfg, "vm.conf", NULL, 1, &err), -EINVAL);
}

static void test_validate(void **state)
{
	static const struct {
		size_t offset;
		unsigned int value;
		const char *reason;
	} cases[] = {
		{offsetof(struct sw_policy_config, version), 2, "version must be 1"},
		{offsetof(struct sw_policy_config, user_fault), SW_ACT_LOG,
		 "user_fault must be one of notify, inject, restart, stop"},
		{offsetof(struct sw_policy_config, kernel_fault), SW_ACT_INJECT | SW_ACT_FENCE,
		 "kernel_fault must be one of notify, inject, restart, stop"},
		{offsetof(struct sw_policy_config, uncontainable), SW_ACT_INJECT,
		 "uncontainable must be one of restart, stop"},
		{offsetof(struct sw_policy_config, unconsumed), SW_ACT_REPLACE,
		 "unconsumed must be one of log, notify, fence"},
		{offsetof(struct sw_policy_config, unknown_page), 0,
		 "unknown_page must be one of inject, restart, stop"},
		{offsetof(struct sw_policy_config, containment), SW_ACT_INJECT,
		 "containment must be one of fence, replace"},
		{offsetof(struct sw_policy_config, notify_fallback), SW_ACT_NOTIFY,
		 "notify_fallback must be one of inject, restart, stop"},
		{offsetof(struct sw_policy_config, max_pages), 0, "max_pages must be 1..65536"},
		{offsetof(struct sw_policy_config, on_max_pages), SW_ACT_LOG,
		 "on_max_pages must be one of restart, stop"},
		{offsetof(struct sw_policy_config, rate_events), 1001,
		 "rate_events must be 1..1000"},
		{offsetof(struct sw_policy_config, on_rate), 1u << 8,
		 "on_rate must be one of restart, stop"},
	};
	struct sw_policy_config cfg;
	const char *reason;
	char buf[16];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sw_policy_config_default(&cfg);
		memcpy((char *)&cfg + cases[i].offset, &cases[i].value, sizeof(unsigned int));
		reason = NULL;
		assert_int_equal(sw_policy_config_validate(&cfg, &reason), -EINVAL);
		assert_string_equal(reason, cases[i].reason);
		assert_int_equal(sw_policy_config_dump(&cfg, buf, sizeof(buf)), -EINVAL);
	}
	sw_policy_config_default(&cfg);
	cfg.notify_deadline_ns = 0;
	assert_int_equal(sw_policy_config_validate(&cfg, &reason), -EINVAL);
	assert_string_equal(reason, "notify_deadline must be 1ms..10m");
	cfg.notify_deadline_ns = 5 * MS;
	cfg.notify_backoff_ns = 5 * MS;
	assert_int_equal(sw_policy_config_validate(&cfg, &reason), -EINVAL);
	assert_string_equal(reason, "notify_backoff must be below notify_deadline");
	cfg.notify_backoff_ns = 5 * S;
	assert_int_equal(sw_policy_config_validate(&cfg, &reason), -EINVAL);
	assert_string_equal(reason, "notify_backoff must be 10us..1s");
	sw_policy_config_default(&cfg);
	cfg.rate_window_ns = 999 * MS;
	assert_int_equal(sw_policy_config_validate(&cfg, NULL), -EINVAL);
}

/* snprintf semantics: the full length, truncated text, always terminated. */
static void test_dump_truncation(void **state)
{
	struct sw_policy_config cfg;
	char small[8];
	int n;

	(void)state;
	sw_policy_config_default(&cfg);
	n = sw_policy_config_dump(&cfg, small, sizeof(small));
	assert_int_equal(n, (int)strlen(default_dump));
	assert_string_equal(small, "# seawa");
	assert_int_equal(sw_policy_config_dump(&cfg, NULL, 0), n);
}

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void test_load(void **state)
{
	char dir[] = "/tmp/test-policy-config-XXXXXX", path[64], big_path[64], msg[256];
	struct sw_policy_config cfg;
	struct sw_policy_error err;
	char *big;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/vm.conf", dir);
	write_file(path, "version = 1\nmax_pages = 3\nrate_events = x\n", 42);
	errno = 1234;
	assert_int_equal(sw_policy_config_load(&cfg, path, &err), -EINVAL);
	assert_int_equal(errno, 1234);
	snprintf(msg, sizeof(msg), "%s:3: key 'rate_events': 'x' is not a whole number in 1..1000",
		 path);
	assert_string_equal(err.message, msg);
	assert_int_equal(err.line, 3);

	write_file(path, "version = 1\nmax_pages = 3\n", 26);
	assert_int_equal(sw_policy_config_load(&cfg, path, &err), 0);
	assert_int_equal(cfg.max_pages, 3);

	/* Exactly 64 KiB of comments is a policy file; one byte more is not. */
	big = malloc(65537);
	assert_non_null(big);
	memset(big, '#', 65537);
	memcpy(big, "version = 1\n", 12);
	big[65535] = '\n';
	snprintf(big_path, sizeof(big_path), "%s/big.conf", dir);
	write_file(big_path, big, 65536);
	assert_int_equal(sw_policy_config_load(&cfg, big_path, &err), 0);
	write_file(big_path, big, 65537);
	assert_int_equal(sw_policy_config_load(&cfg, big_path, &err), -EFBIG);
	snprintf(msg, sizeof(msg), "%s: cannot read: larger than 64 KiB, not a policy file",
		 big_path);
	assert_string_equal(err.message, msg);
	assert_int_equal(err.line, 0);
	free(big);

	errno = 77;
	snprintf(path, sizeof(path), "%s/missing.conf", dir);
	assert_int_equal(sw_policy_config_load(&cfg, path, &err), -ENOENT);
	assert_int_equal(errno, 77);
	snprintf(msg, sizeof(msg), "%s: cannot open: No such file or directory", path);
	assert_string_equal(err.message, msg);
	assert_int_equal(err.line, 0);

	assert_int_equal(sw_policy_config_load(&cfg, dir, &err), -EISDIR);
	snprintf(msg, sizeof(msg), "%s: cannot read: Is a directory", dir);
	assert_string_equal(err.message, msg);

	unlink(big_path);
	snprintf(path, sizeof(path), "%s/vm.conf", dir);
	unlink(path);
	rmdir(dir);
}

/* Every example in examples/policy reads, and says what its name says. */
static void test_examples(void **state)
{
	static const struct {
		const char *name;
		enum sw_action user_fault, containment, unconsumed, on_rate;
		unsigned int max_pages;
	} cases[] = {
		{"notify.conf", SW_ACT_NOTIFY, SW_ACT_FENCE, SW_ACT_NOTIFY, SW_ACT_STOP, 16},
		{"inject-fence.conf", SW_ACT_INJECT, SW_ACT_FENCE, SW_ACT_FENCE, SW_ACT_STOP, 4},
		{"inject-replace.conf", SW_ACT_INJECT, SW_ACT_REPLACE, SW_ACT_FENCE, SW_ACT_STOP,
		 16},
		{"restart.conf", SW_ACT_RESTART, SW_ACT_FENCE, SW_ACT_FENCE, SW_ACT_STOP, 16},
		{"stop.conf", SW_ACT_STOP, SW_ACT_FENCE, SW_ACT_LOG, SW_ACT_STOP, 16},
	};
	struct sw_policy_config cfg, defaults;
	struct sw_policy_error err;
	char path[512], text[1024];
	struct dirent *de;
	size_t files = 0;
	DIR *dir;
	int n;

	(void)state;
	sw_policy_config_default(&defaults);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", SW_EXAMPLES_DIR, cases[i].name);
		err.message[0] = '\0';
		assert_int_equal(sw_policy_config_load(&cfg, path, &err), 0);
		assert_string_equal(err.message, "");
		assert_int_equal(cfg.user_fault, cases[i].user_fault);
		assert_int_equal(cfg.containment, cases[i].containment);
		assert_int_equal(cfg.unconsumed, cases[i].unconsumed);
		assert_int_equal(cfg.on_rate, cases[i].on_rate);
		assert_int_equal(cfg.max_pages, cases[i].max_pages);
	}
	/* notify.conf writes the defaults out. */
	snprintf(path, sizeof(path), "%s/notify.conf", SW_EXAMPLES_DIR);
	assert_int_equal(sw_policy_config_load(&cfg, path, &err), 0);
	n = sw_policy_config_dump(&cfg, text, sizeof(text));
	assert_int_equal(n, (int)strlen(default_dump));
	assert_string_equal(text, default_dump);
	/* ... and there is no example this test does not know. */
	dir = opendir(SW_EXAMPLES_DIR);
	assert_non_null(dir);
	while ((de = readdir(dir)))
		files += de->d_name[0] != '.';
	closedir(dir);
	assert_int_equal(files, sizeof(cases) / sizeof(cases[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),   cmocka_unit_test(test_minimal_and_round_trip),
		cmocka_unit_test(test_every_key),  cmocka_unit_test(test_duration_units),
		cmocka_unit_test(test_bad_inputs), cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_validate),   cmocka_unit_test(test_dump_truncation),
		cmocka_unit_test(test_load),	   cmocka_unit_test(test_examples),
	};

	return cmocka_run_group_tests_name("policy-config", tests, NULL, NULL);
}
