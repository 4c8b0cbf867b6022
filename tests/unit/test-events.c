/* SPDX-License-Identifier: MIT */
/*
 * test-events: the JSON event line.  Exact text for a KVM exit the rig
 * measured (esr 0x92000210 at gpa 0x80010000), for SIGBUS AO and for a
 * re-access of a fenced page; the
 * decoder's object embedded as sw_sea_to_json() renders it; ISO-8601 time
 * with nanoseconds; escaping of the VM name; invalid UTF-8 rejected;
 * snprintf truncation at every size; one write() per line to a file
 * descriptor, with errno kept; outcomes derived from decisions.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <seawall/events.h>

#define T_NS 1795854896123456789ull /* 2026-11-28T08:34:56.123456789Z */

/* The load the rig measured: KVM_EXIT_ARM_SEA, flags=0x1 esr=0x92000210. */
static struct sw_sea measured_load(void)
{
	struct sw_sea sea;

	assert_int_equal(sw_sea_from_exit(&sea, 1, 0x92000210, 0x80010048, 0x80010000, NULL), 0);
	return sea;
}

static char *fault_json(const struct sw_sea *sea)
{
	static char buf[1024];
	int n = sw_sea_to_json(sea, buf, sizeof(buf));

	assert_true(n > 0 && (size_t)n < sizeof(buf));
	return buf;
}

static void test_kvm_exit_line(void **state)
{
	struct sw_sea sea = measured_load();
	struct sw_event ev = {
		.time_ns = T_NS,
		.vm = "web-1",
		.vcpu = 1,
		.sea = &sea,
		.guest_el = 0,
		.actions = SW_ACT_INJECT | SW_ACT_FENCE,
		.reason = SW_REASON_NOTIFY_EXPIRED,
		.page_valid = true,
		.page = 0x80010000,
		.strategy = "one_reg",
		.ioctls = 6,
		.handling_ns = 41250,
		.outcome = SW_OUTCOME_FALLBACK,
		.distinct_pages = 1,
	};
	char expect[2048], buf[2048];
	int n;

	(void)state;
	snprintf(expect, sizeof(expect),
		 "{\"version\":1,\"time_ns\":1795854896123456789,"
		 "\"time\":\"2026-11-28T08:34:56.123456789Z\",\"vm\":\"web-1\",\"vcpu\":1,"
		 "\"source\":\"kvm_exit\",\"type\":\"data\",\"class\":\"sea\",\"guest_el\":0,"
		 "\"gva\":\"0x80010048\",\"gpa\":\"0x80010000\",\"page\":\"0x80010000\","
		 "\"fault\":%s,\"actions\":[\"inject\",\"fence\"],\"reason\":\"notify_expired\","
		 "\"escalation\":[],\"strategy\":\"one_reg\",\"ioctls\":6,\"handling_ns\":41250,"
		 "\"outcome\":\"fallback\",\"distinct_pages\":1}",
		 fault_json(&sea));
	n = sw_event_to_json(&ev, buf, sizeof(buf));
	assert_int_equal(n, (int)strlen(expect));
	assert_string_equal(buf, expect);
}

/* SIGBUS AO off a vCPU: no ESR, no gva, no EL, nothing injected. */
static void test_sigbus_ao_line(void **state)
{
	struct sw_sea sea = {
		.source = SW_SOURCE_SIGBUS_AO,
		.type = SW_ABORT_UNKNOWN,
		.fsc_class = SW_FSC_NONE,
		.level = SW_LEVEL_NONE,
		.set = SW_SET_NONE,
		.gpa_valid = true,
		.gpa = 0x80022000,
		.hva_valid = true,
		.hva = 0x7f0000022000,
		.addr_lsb = 12,
	};
	struct sw_event ev = {
		.time_ns = 0,
		.vm = NULL,
		.vcpu = -1,
		.sea = &sea,
		.guest_el = SW_GUEST_EL_UNKNOWN,
		.actions = SW_ACT_FENCE | SW_ACT_RESTART,
		.reason = SW_REASON_UNCONSUMED,
		.escalation = SW_ESC_MAX_PAGES | SW_ESC_RATE,
		.page_valid = true,
		.page = 0x80022000,
		.outcome = SW_OUTCOME_RESTARTED,
		.distinct_pages = 17,
	};
	char expect[2048], buf[2048];

	(void)state;
	snprintf(expect, sizeof(expect),
		 "{\"version\":1,\"time_ns\":0,\"time\":\"1970-01-01T00:00:00.000000000Z\","
		 "\"vm\":\"\",\"vcpu\":null,\"source\":\"sigbus_ao\",\"type\":\"unknown\","
		 "\"class\":\"none\",\"guest_el\":null,\"gva\":null,\"gpa\":\"0x80022000\","
		 "\"page\":\"0x80022000\",\"fault\":%s,\"actions\":[\"fence\",\"restart\"],"
		 "\"reason\":\"unconsumed\",\"escalation\":[\"max_pages\",\"rate\"],"
		 "\"strategy\":null,\"ioctls\":0,\"handling_ns\":0,\"outcome\":\"restarted\","
		 "\"distinct_pages\":17}",
		 fault_json(&sea));
	assert_int_equal(sw_event_to_json(&ev, buf, sizeof(buf)), (int)strlen(expect));
	assert_string_equal(buf, expect);

	/* No policy, no page. */
	ev.reason = 0;
	ev.page_valid = false;
	sea.gpa_valid = false;
	assert_true(sw_event_to_json(&ev, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, ",\"gpa\":null,\"page\":null,"));
	assert_non_null(strstr(buf, ",\"reason\":null,"));
}

/* The guest's EL1 load of a page fenced in a memslot hole (e2e sea-elf). */
static void test_fenced_line(void **state)
{
	struct sw_sea sea;
	struct sw_event ev = {
		.time_ns = T_NS,
		.vm = "seawall-vmm",
		.vcpu = 0,
		.sea = &sea,
		.guest_el = 1,
		.actions = SW_ACT_INJECT,
		.reason = SW_REASON_KERNEL_FAULT,
		.page_valid = true,
		.page = 0x80500000,
		.strategy = "ext_dabt",
		.ioctls = 2,
		.handling_ns = 9000,
		.outcome = SW_OUTCOME_INJECTED,
		.distinct_pages = 1,
	};
	static const char expect[] =
		"{\"version\":1,\"time_ns\":1795854896123456789,"
		"\"time\":\"2026-11-28T08:34:56.123456789Z\",\"vm\":\"seawall-vmm\",\"vcpu\":0,"
		"\"source\":\"fenced\",\"type\":\"data\",\"class\":\"none\",\"guest_el\":1,"
		"\"gva\":null,\"gpa\":\"0x80500048\",\"page\":\"0x80500000\","
		"\"fault\":{\"source\":\"fenced\",\"esr\":null,\"ec\":null,\"type\":\"data\","
		"\"from_lower_el\":null,\"il\":null,\"fsc\":null,\"fsc_class\":\"none\","
		"\"level\":null,\"fnv\":null,\"ea\":null,\"cm\":null,\"s1ptw\":null,"
		"\"wnr\":false,\"set\":null,\"gva\":null,\"gpa\":\"0x80500048\",\"hva\":null,"
		"\"addr_lsb\":null},"
		"\"actions\":[\"inject\"],\"reason\":\"kernel_fault\",\"escalation\":[],"
		"\"strategy\":\"ext_dabt\",\"ioctls\":2,\"handling_ns\":9000,"
		"\"outcome\":\"injected\",\"distinct_pages\":1}";
	char buf[2048];

	(void)state;
	assert_int_equal(sw_sea_from_fenced(&sea, 0x80500048, false, NULL), 0);
	assert_int_equal(sw_event_to_json(&ev, buf, sizeof(buf)), (int)strlen(expect));
	assert_string_equal(buf, expect);
}

static void test_escaping_and_invalid(void **state)
{
	struct sw_sea sea = measured_load();
	struct sw_event ev = {.vm = "a\"b\\c\nd\x01 \xc3\xa9", .vcpu = 0, .sea = &sea};
	char buf[2048];

	(void)state;
	assert_true(sw_event_to_json(&ev, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, ",\"vm\":\"a\\\"b\\\\c\\nd\\u0001 \xc3\xa9\","));
	ev.vm = "bad\xff";
	assert_int_equal(sw_event_to_json(&ev, buf, sizeof(buf)), -EINVAL);
	ev.vm = "overlong\xc0\xaf";
	assert_int_equal(sw_event_to_json(&ev, buf, sizeof(buf)), -EINVAL);
	ev.vm = "ok";
	ev.strategy = "\xed\xa0\x80"; /* a surrogate */
	assert_int_equal(sw_event_to_json(&ev, buf, sizeof(buf)), -EINVAL);
	ev.strategy = NULL;
	ev.sea = NULL;
	assert_int_equal(sw_event_to_json(&ev, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(sw_event_to_json(NULL, buf, sizeof(buf)), -EINVAL);
}

/* At every buffer size: the same length, a terminated prefix of the text. */
static void test_truncation(void **state)
{
	struct sw_sea sea = measured_load();
	struct sw_event ev = {.time_ns = T_NS, .vm = "vm", .vcpu = 3, .sea = &sea};
	char full[2048], buf[2048];
	int n = sw_event_to_json(&ev, full, sizeof(full));

	(void)state;
	assert_true(n > 0);
	for (size_t size = 0; size <= (size_t)n + 1; size++) {
		memset(buf, 'x', sizeof(buf));
		assert_int_equal(sw_event_to_json(&ev, size ? buf : NULL, size), n);
		if (!size)
			continue;
		assert_int_equal(strlen(buf), size - 1 < (size_t)n ? size - 1 : (size_t)n);
		assert_memory_equal(buf, full, strlen(buf));
	}
}

static void test_write(void **state)
{
	struct sw_sea sea = measured_load();
	struct sw_event ev = {.time_ns = T_NS, .vm = "vm", .vcpu = 0, .sea = &sea};
	char path[] = "/tmp/test-events-XXXXXX", expect[4096], got[4096], *big;
	int fd, full, n;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	n = sw_event_to_json(&ev, expect, sizeof(expect));
	expect[n] = '\n';
	expect[n + 1] = '\0';
	errno = 4321;
	assert_int_equal(sw_event_write(fd, &ev), 0);
	ev.vcpu = 1;
	assert_int_equal(sw_event_fd_sink(&ev, &fd), 0);
	assert_int_equal(errno, 4321);
	assert_int_equal(sw_event_to_json(&ev, expect + n + 1, sizeof(expect) - (size_t)n - 1), n);
	strcat(expect, "\n");
	assert_int_equal(pread(fd, got, sizeof(got), 0), 2 * (n + 1));
	got[2 * (n + 1)] = '\0';
	assert_string_equal(got, expect);
	assert_int_equal(sw_event_fd_sink(&ev, NULL), -EINVAL);

	/* A name that escapes past the line limit writes nothing. */
	big = malloc(2100);
	assert_non_null(big);
	memset(big, '"', 2099);
	big[2099] = '\0';
	ev.vm = big;
	assert_int_equal(sw_event_write(fd, &ev), -EMSGSIZE);
	assert_int_equal(lseek(fd, 0, SEEK_END), 2 * (n + 1));
	free(big);
	close(fd);

	ev.vm = "vm";
	assert_int_equal(sw_event_write(fd, &ev), -EBADF);
	assert_int_equal(errno, 4321);
	full = open("/dev/full", O_WRONLY);
	if (full >= 0) {
		assert_int_equal(sw_event_write(full, &ev), -ENOSPC);
		close(full);
	}
}

static void test_outcomes(void **state)
{
	static const struct {
		uint32_t actions;
		enum sw_policy_reason reason;
		enum sw_event_outcome outcome;
	} cases[] = {
		{SW_ACT_NOTIFY | SW_ACT_RETRY, SW_REASON_USER_FAULT, SW_OUTCOME_NOTIFIED},
		{SW_ACT_NOTIFY, SW_REASON_UNCONSUMED, SW_OUTCOME_NOTIFIED},
		{SW_ACT_RETRY, SW_REASON_NOTIFY_PENDING, SW_OUTCOME_RETRIED},
		{SW_ACT_LOG, SW_REASON_OFFLINED, SW_OUTCOME_OFFLINED},
		{SW_ACT_INJECT | SW_ACT_FENCE, SW_REASON_NOTIFY_EXPIRED, SW_OUTCOME_FALLBACK},
		{SW_ACT_FENCE, SW_REASON_NOTIFY_FAILED, SW_OUTCOME_FALLBACK},
		{SW_ACT_INJECT | SW_ACT_REPLACE, SW_REASON_CONSUMED_AGAIN, SW_OUTCOME_FALLBACK},
		{SW_ACT_INJECT | SW_ACT_REPLACE, SW_REASON_USER_FAULT, SW_OUTCOME_INJECTED},
		{SW_ACT_INJECT, SW_REASON_UNKNOWN_PAGE, SW_OUTCOME_INJECTED},
		{SW_ACT_FENCE, SW_REASON_UNCONSUMED, SW_OUTCOME_CONTAINED},
		{SW_ACT_LOG, SW_REASON_KNOWN_PAGE, SW_OUTCOME_LOGGED},
		{SW_ACT_RESTART, SW_REASON_KERNEL_FAULT, SW_OUTCOME_RESTARTED},
		{SW_ACT_INJECT | SW_ACT_FENCE | SW_ACT_RESTART, SW_REASON_NOTIFY_EXPIRED,
		 SW_OUTCOME_RESTARTED},
		{SW_ACT_FENCE | SW_ACT_STOP, SW_REASON_UNCONSUMED, SW_OUTCOME_STOPPED},
	};
	static const char *const names[] = {"logged",	"notified", "retried",	 "offlined",
					    "fallback", "injected", "contained", "restarted",
					    "stopped",	"failed"};
	struct sw_policy_decision d = {
		.page_valid = true, .page = 0x1000, .distinct_pages = 3, .escalation = SW_ESC_RATE};
	struct sw_event ev;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		d.actions = cases[i].actions;
		d.reason = cases[i].reason;
		assert_string_equal(sw_event_outcome_name(sw_event_outcome_of(&d)),
				    sw_event_outcome_name(cases[i].outcome));
	}
	memset(&ev, 0, sizeof(ev));
	sw_event_set_decision(&ev, &d);
	assert_int_equal(ev.actions, SW_ACT_FENCE | SW_ACT_STOP);
	assert_int_equal(ev.reason, SW_REASON_UNCONSUMED);
	assert_int_equal(ev.escalation, SW_ESC_RATE);
	assert_true(ev.page_valid);
	assert_int_equal(ev.page, 0x1000);
	assert_int_equal(ev.distinct_pages, 3);
	assert_int_equal(ev.outcome, SW_OUTCOME_STOPPED);
	for (int i = 0; i < 10; i++)
		assert_string_equal(sw_event_outcome_name((enum sw_event_outcome)(i + 1)),
				    names[i]);
	assert_string_equal(sw_event_outcome_name((enum sw_event_outcome)0), "unknown");
	assert_string_equal(sw_event_outcome_name((enum sw_event_outcome)11), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kvm_exit_line), cmocka_unit_test(test_sigbus_ao_line),
		cmocka_unit_test(test_fenced_line),   cmocka_unit_test(test_escaping_and_invalid),
		cmocka_unit_test(test_truncation),    cmocka_unit_test(test_write),
		cmocka_unit_test(test_outcomes),
	};

	return cmocka_run_group_tests_name("events", tests, NULL, NULL);
}
