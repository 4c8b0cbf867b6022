/* SPDX-License-Identifier: MIT */
/*
 * test-metrics: the Prometheus text exposition.  The exact text of fresh
 * metrics (every family's HELP and TYPE, every label value at zero); exact
 * counts after a run of events; histogram buckets inclusive at their
 * bounds, cumulative, with _sum in seconds to the nanosecond and _count
 * equal to +Inf; label escaping of the VM name; invalid names and events
 * rejected without counting; exact totals from concurrent threads.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <seawall/events.h>

static const char empty_exposition[] =
	"# HELP seawall_events_total SEA events handled, by source.\n"
	"# TYPE seawall_events_total counter\n"
	"seawall_events_total{vm=\"vm1\",source=\"kvm_exit\"} 0\n"
	"seawall_events_total{vm=\"vm1\",source=\"esr\"} 0\n"
	"seawall_events_total{vm=\"vm1\",source=\"sigbus_ar\"} 0\n"
	"seawall_events_total{vm=\"vm1\",source=\"sigbus_ao\"} 0\n"
	"seawall_events_total{vm=\"vm1\",source=\"fenced\"} 0\n"
	"# HELP seawall_events_by_type_total SEA events handled, by access: data, insn, or unknown "
	"(SIGBUS).\n"
	"# TYPE seawall_events_by_type_total counter\n"
	"seawall_events_by_type_total{vm=\"vm1\",type=\"unknown\"} 0\n"
	"seawall_events_by_type_total{vm=\"vm1\",type=\"data\"} 0\n"
	"seawall_events_by_type_total{vm=\"vm1\",type=\"insn\"} 0\n"
	"# HELP seawall_events_by_class_total SEA events handled, by fault status class (none "
	"without an ESR: SIGBUS, fenced).\n"
	"# TYPE seawall_events_by_class_total counter\n"
	"seawall_events_by_class_total{vm=\"vm1\",class=\"none\"} 0\n"
	"seawall_events_by_class_total{vm=\"vm1\",class=\"sea\"} 0\n"
	"seawall_events_by_class_total{vm=\"vm1\",class=\"sea_ttw\"} 0\n"
	"seawall_events_by_class_total{vm=\"vm1\",class=\"parity\"} 0\n"
	"seawall_events_by_class_total{vm=\"vm1\",class=\"parity_ttw\"} 0\n"
	"# HELP seawall_actions_total Actions carried out, by action.\n"
	"# TYPE seawall_actions_total counter\n"
	"seawall_actions_total{vm=\"vm1\",action=\"log\"} 0\n"
	"seawall_actions_total{vm=\"vm1\",action=\"notify\"} 0\n"
	"seawall_actions_total{vm=\"vm1\",action=\"retry\"} 0\n"
	"seawall_actions_total{vm=\"vm1\",action=\"inject\"} 0\n"
	"seawall_actions_total{vm=\"vm1\",action=\"fence\"} 0\n"
	"seawall_actions_total{vm=\"vm1\",action=\"replace\"} 0\n"
	"seawall_actions_total{vm=\"vm1\",action=\"restart\"} 0\n"
	"seawall_actions_total{vm=\"vm1\",action=\"stop\"} 0\n"
	"# HELP seawall_outcomes_total SEA events by outcome; notified, retried, offlined and "
	"fallback follow notifications.\n"
	"# TYPE seawall_outcomes_total counter\n"
	"seawall_outcomes_total{vm=\"vm1\",outcome=\"logged\"} 0\n"
	"seawall_outcomes_total{vm=\"vm1\",outcome=\"notified\"} 0\n"
	"seawall_outcomes_total{vm=\"vm1\",outcome=\"retried\"} 0\n"
	"seawall_outcomes_total{vm=\"vm1\",outcome=\"offlined\"} 0\n"
	"seawall_outcomes_total{vm=\"vm1\",outcome=\"fallback\"} 0\n"
	"seawall_outcomes_total{vm=\"vm1\",outcome=\"injected\"} 0\n"
	"seawall_outcomes_total{vm=\"vm1\",outcome=\"contained\"} 0\n"
	"seawall_outcomes_total{vm=\"vm1\",outcome=\"restarted\"} 0\n"
	"seawall_outcomes_total{vm=\"vm1\",outcome=\"stopped\"} 0\n"
	"seawall_outcomes_total{vm=\"vm1\",outcome=\"failed\"} 0\n"
	"# HELP seawall_restarts_total VM restarts carried out for SEAs.\n"
	"# TYPE seawall_restarts_total counter\n"
	"seawall_restarts_total{vm=\"vm1\"} 0\n"
	"# HELP seawall_distinct_pages Distinct bad guest pages known, as of the latest event.\n"
	"# TYPE seawall_distinct_pages gauge\n"
	"seawall_distinct_pages{vm=\"vm1\"} 0\n"
	"# HELP seawall_handling_seconds Time from the SEA exit or signal to the end of its "
	"handling.\n"
	"# TYPE seawall_handling_seconds histogram\n"
	"seawall_handling_seconds_bucket{vm=\"vm1\",le=\"0.000001\"} 0\n"
	"seawall_handling_seconds_bucket{vm=\"vm1\",le=\"0.00001\"} 0\n"
	"seawall_handling_seconds_bucket{vm=\"vm1\",le=\"0.0001\"} 0\n"
	"seawall_handling_seconds_bucket{vm=\"vm1\",le=\"0.001\"} 0\n"
	"seawall_handling_seconds_bucket{vm=\"vm1\",le=\"0.01\"} 0\n"
	"seawall_handling_seconds_bucket{vm=\"vm1\",le=\"0.1\"} 0\n"
	"seawall_handling_seconds_bucket{vm=\"vm1\",le=\"1\"} 0\n"
	"seawall_handling_seconds_bucket{vm=\"vm1\",le=\"+Inf\"} 0\n"
	"seawall_handling_seconds_sum{vm=\"vm1\"} 0.000000000\n"
	"seawall_handling_seconds_count{vm=\"vm1\"} 0\n";

static char *render(struct sw_metrics *m)
{
	static char buf[16384];
	int n = sw_metrics_render(m, buf, sizeof(buf));

	assert_true(n > 0 && (size_t)n < sizeof(buf));
	return buf;
}

static void expect_line(const char *text, const char *line)
{
	char want[256];

	snprintf(want, sizeof(want), "\n%s\n", line);
	if (!strstr(text, want))
		fail_msg("missing line: %s", line);
}

static struct sw_sea sea_of(enum sw_sea_source source, enum sw_abort_type type,
			    enum sw_fsc_class class)
{
	return (struct sw_sea){.source = source, .type = type, .fsc_class = class};
}

static void test_empty(void **state)
{
	struct sw_metrics *m;

	(void)state;
	assert_int_equal(sw_metrics_new("vm1", &m), 0);
	assert_string_equal(render(m), empty_exposition);
	sw_metrics_free(m);
}

static void test_counts(void **state)
{
	struct sw_sea load = sea_of(SW_SOURCE_KVM_EXIT, SW_ABORT_DATA, SW_FSC_SEA);
	struct sw_sea fetch = sea_of(SW_SOURCE_KVM_EXIT, SW_ABORT_INSN, SW_FSC_SEA_TTW);
	struct sw_sea ar = sea_of(SW_SOURCE_SIGBUS_AR, SW_ABORT_UNKNOWN, SW_FSC_NONE);
	struct sw_sea ao = sea_of(SW_SOURCE_SIGBUS_AO, SW_ABORT_UNKNOWN, SW_FSC_NONE);
	const struct sw_event events[] = {
		{.sea = &load,
		 .actions = SW_ACT_NOTIFY | SW_ACT_RETRY,
		 .handling_ns = 1000,
		 .outcome = SW_OUTCOME_NOTIFIED,
		 .distinct_pages = 1},
		{.sea = &load,
		 .actions = SW_ACT_RETRY,
		 .handling_ns = 1001,
		 .outcome = SW_OUTCOME_RETRIED,
		 .distinct_pages = 1},
		{.sea = &load,
		 .actions = SW_ACT_INJECT | SW_ACT_FENCE,
		 .handling_ns = 100000,
		 .outcome = SW_OUTCOME_FALLBACK,
		 .distinct_pages = 1},
		{.sea = &fetch,
		 .actions = SW_ACT_RESTART,
		 .handling_ns = 2000000000,
		 .outcome = SW_OUTCOME_RESTARTED,
		 .distinct_pages = 2},
		{.sea = &ar,
		 .actions = SW_ACT_INJECT | SW_ACT_REPLACE,
		 .handling_ns = 0,
		 .outcome = SW_OUTCOME_FAILED,
		 .distinct_pages = 3},
		{.sea = &ao,
		 .actions = SW_ACT_LOG,
		 .handling_ns = 999999999,
		 .outcome = SW_OUTCOME_LOGGED,
		 .distinct_pages = 2},
	};
	struct sw_metrics *m;
	const char *text;

	(void)state;
	assert_int_equal(sw_metrics_new("vm1", &m), 0);
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		assert_int_equal(sw_metrics_sink(&events[i], m), 0);
	text = render(m);
	expect_line(text, "seawall_events_total{vm=\"vm1\",source=\"kvm_exit\"} 4");
	expect_line(text, "seawall_events_total{vm=\"vm1\",source=\"esr\"} 0");
	expect_line(text, "seawall_events_total{vm=\"vm1\",source=\"sigbus_ar\"} 1");
	expect_line(text, "seawall_events_total{vm=\"vm1\",source=\"sigbus_ao\"} 1");
	expect_line(text, "seawall_events_total{vm=\"vm1\",source=\"fenced\"} 0");
	expect_line(text, "seawall_events_by_type_total{vm=\"vm1\",type=\"unknown\"} 2");
	expect_line(text, "seawall_events_by_type_total{vm=\"vm1\",type=\"data\"} 3");
	expect_line(text, "seawall_events_by_type_total{vm=\"vm1\",type=\"insn\"} 1");
	expect_line(text, "seawall_events_by_class_total{vm=\"vm1\",class=\"none\"} 2");
	expect_line(text, "seawall_events_by_class_total{vm=\"vm1\",class=\"sea\"} 3");
	expect_line(text, "seawall_events_by_class_total{vm=\"vm1\",class=\"sea_ttw\"} 1");
	expect_line(text, "seawall_events_by_class_total{vm=\"vm1\",class=\"parity\"} 0");
	expect_line(text, "seawall_actions_total{vm=\"vm1\",action=\"log\"} 1");
	expect_line(text, "seawall_actions_total{vm=\"vm1\",action=\"notify\"} 1");
	expect_line(text, "seawall_actions_total{vm=\"vm1\",action=\"retry\"} 2");
	expect_line(text, "seawall_actions_total{vm=\"vm1\",action=\"inject\"} 2");
	expect_line(text, "seawall_actions_total{vm=\"vm1\",action=\"fence\"} 1");
	expect_line(text, "seawall_actions_total{vm=\"vm1\",action=\"replace\"} 1");
	expect_line(text, "seawall_actions_total{vm=\"vm1\",action=\"restart\"} 1");
	expect_line(text, "seawall_actions_total{vm=\"vm1\",action=\"stop\"} 0");
	expect_line(text, "seawall_outcomes_total{vm=\"vm1\",outcome=\"notified\"} 1");
	expect_line(text, "seawall_outcomes_total{vm=\"vm1\",outcome=\"retried\"} 1");
	expect_line(text, "seawall_outcomes_total{vm=\"vm1\",outcome=\"fallback\"} 1");
	expect_line(text, "seawall_outcomes_total{vm=\"vm1\",outcome=\"offlined\"} 0");
	expect_line(text, "seawall_outcomes_total{vm=\"vm1\",outcome=\"failed\"} 1");
	expect_line(text, "seawall_restarts_total{vm=\"vm1\"} 1");
	/* A gauge: the latest event's value. */
	expect_line(text, "seawall_distinct_pages{vm=\"vm1\"} 2");
	/* le is inclusive: 1000 ns is in 0.000001, 1001 ns is not. */
	expect_line(text, "seawall_handling_seconds_bucket{vm=\"vm1\",le=\"0.000001\"} 2");
	expect_line(text, "seawall_handling_seconds_bucket{vm=\"vm1\",le=\"0.00001\"} 3");
	expect_line(text, "seawall_handling_seconds_bucket{vm=\"vm1\",le=\"0.0001\"} 4");
	expect_line(text, "seawall_handling_seconds_bucket{vm=\"vm1\",le=\"0.001\"} 4");
	expect_line(text, "seawall_handling_seconds_bucket{vm=\"vm1\",le=\"0.1\"} 4");
	expect_line(text, "seawall_handling_seconds_bucket{vm=\"vm1\",le=\"1\"} 5");
	expect_line(text, "seawall_handling_seconds_bucket{vm=\"vm1\",le=\"+Inf\"} 6");
	expect_line(text, "seawall_handling_seconds_sum{vm=\"vm1\"} 3.000102000");
	expect_line(text, "seawall_handling_seconds_count{vm=\"vm1\"} 6");
	sw_metrics_free(m);
}

/* A re-access of a fenced page: its own series, a data access without a class. */
static void test_fenced(void **state)
{
	struct sw_sea fenced;
	const struct sw_event ev = {.sea = &fenced,
				    .actions = SW_ACT_INJECT,
				    .handling_ns = 5000,
				    .outcome = SW_OUTCOME_INJECTED,
				    .distinct_pages = 1};
	struct sw_metrics *m;
	const char *text;

	(void)state;
	assert_int_equal(sw_sea_from_fenced(&fenced, 0x80500048, false, NULL), 0);
	assert_int_equal(sw_metrics_new("vm1", &m), 0);
	assert_int_equal(sw_metrics_sink(&ev, m), 0);
	assert_int_equal(sw_metrics_sink(&ev, m), 0);
	text = render(m);
	expect_line(text, "seawall_events_total{vm=\"vm1\",source=\"kvm_exit\"} 0");
	expect_line(text, "seawall_events_total{vm=\"vm1\",source=\"fenced\"} 2");
	expect_line(text, "seawall_events_by_type_total{vm=\"vm1\",type=\"data\"} 2");
	expect_line(text, "seawall_events_by_class_total{vm=\"vm1\",class=\"none\"} 2");
	expect_line(text, "seawall_actions_total{vm=\"vm1\",action=\"inject\"} 2");
	expect_line(text, "seawall_actions_total{vm=\"vm1\",action=\"fence\"} 0");
	expect_line(text, "seawall_outcomes_total{vm=\"vm1\",outcome=\"injected\"} 2");
	expect_line(text, "seawall_handling_seconds_count{vm=\"vm1\"} 2");
	sw_metrics_free(m);
}

static void test_invalid(void **state)
{
	struct sw_sea bad_source = sea_of((enum sw_sea_source)6, SW_ABORT_DATA, SW_FSC_SEA);
	struct sw_sea bad_type = sea_of(SW_SOURCE_KVM_EXIT, (enum sw_abort_type)3, SW_FSC_SEA);
	struct sw_sea bad_class = sea_of(SW_SOURCE_KVM_EXIT, SW_ABORT_DATA, (enum sw_fsc_class)5);
	struct sw_sea good = sea_of(SW_SOURCE_KVM_EXIT, SW_ABORT_DATA, SW_FSC_SEA);
	const struct sw_event events[] = {
		{.sea = NULL, .outcome = SW_OUTCOME_LOGGED},
		{.sea = &bad_source, .outcome = SW_OUTCOME_LOGGED},
		{.sea = &bad_type, .outcome = SW_OUTCOME_LOGGED},
		{.sea = &bad_class, .outcome = SW_OUTCOME_LOGGED},
		{.sea = &good, .outcome = (enum sw_event_outcome)0},
		{.sea = &good, .outcome = (enum sw_event_outcome)11},
		{.sea = &good, .actions = 1u << 8, .outcome = SW_OUTCOME_LOGGED},
	};
	char name[300];
	struct sw_metrics *m = NULL;

	(void)state;
	assert_int_equal(sw_metrics_new(NULL, &m), -EINVAL);
	assert_int_equal(sw_metrics_new("", &m), -EINVAL);
	assert_int_equal(sw_metrics_new("\xff", &m), -EINVAL);
	assert_int_equal(sw_metrics_new("\xc0\x80", &m), -EINVAL);	   /* overlong NUL */
	assert_int_equal(sw_metrics_new("\xed\xa0\x80", &m), -EINVAL);	   /* a surrogate */
	assert_int_equal(sw_metrics_new("\xf4\x90\x80\x80", &m), -EINVAL); /* > U+10FFFF */
	assert_int_equal(sw_metrics_new("\xe2\x82", &m), -EINVAL);	   /* cut short */
	memset(name, 'v', sizeof(name));
	name[257] = '\0';
	assert_int_equal(sw_metrics_new(name, &m), -EINVAL);
	assert_null(m);
	name[256] = '\0';
	assert_int_equal(sw_metrics_new(name, &m), 0);
	sw_metrics_free(m);
	assert_int_equal(sw_metrics_new("\xf0\x9f\x90\xb3 \xe2\x82\xac \xc3\xa9", &m), 0);
	sw_metrics_free(m);

	assert_int_equal(sw_metrics_new("vm1", &m), 0);
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		assert_int_equal(sw_metrics_record(m, &events[i]), -EINVAL);
	assert_int_equal(sw_metrics_record(m, NULL), -EINVAL);
	assert_int_equal(sw_metrics_record(NULL, &events[1]), -EINVAL);
	assert_string_equal(render(m), empty_exposition);
	assert_int_equal(sw_metrics_render(NULL, NULL, 0), -EINVAL);
	sw_metrics_free(m);
	sw_metrics_free(NULL);
}

/* Backslash, double quote and line feed are escaped; the rest is as is. */
static void test_label_escaping(void **state)
{
	struct sw_metrics *m;
	const char *text;

	(void)state;
	assert_int_equal(sw_metrics_new("a\\b\"c\nd\te \xc3\xa9", &m), 0);
	text = render(m);
	expect_line(text, "seawall_restarts_total{vm=\"a\\\\b\\\"c\\nd\te \xc3\xa9\"} 0");
	expect_line(text, "seawall_handling_seconds_sum{vm=\"a\\\\b\\\"c\\nd\te \xc3\xa9\"} "
			  "0.000000000");
	sw_metrics_free(m);
}

/* snprintf semantics: the full length, a terminated prefix. */
static void test_truncation(void **state)
{
	struct sw_metrics *m;
	char small[12];
	int n;

	(void)state;
	assert_int_equal(sw_metrics_new("vm1", &m), 0);
	n = sw_metrics_render(m, small, sizeof(small));
	assert_int_equal(n, (int)strlen(empty_exposition));
	assert_string_equal(small, "# HELP seaw");
	assert_int_equal(sw_metrics_render(m, NULL, 0), n);
	sw_metrics_free(m);
}

static void *record_many(void *arg)
{
	static struct sw_sea load = {
		.source = SW_SOURCE_KVM_EXIT, .type = SW_ABORT_DATA, .fsc_class = SW_FSC_SEA};
	struct sw_event ev = {.sea = &load,
			      .actions = SW_ACT_INJECT | SW_ACT_FENCE,
			      .handling_ns = 1500,
			      .outcome = SW_OUTCOME_INJECTED};

	for (int i = 0; i < 10000; i++)
		if (sw_metrics_record(arg, &ev))
			return (void *)1;
	return NULL;
}

static void test_threads(void **state)
{
	struct sw_metrics *m;
	pthread_t t[4];
	void *ret;
	const char *text;

	(void)state;
	assert_int_equal(sw_metrics_new("vm1", &m), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, record_many, m), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], &ret), 0);
		assert_null(ret);
	}
	text = render(m);
	expect_line(text, "seawall_events_total{vm=\"vm1\",source=\"kvm_exit\"} 40000");
	expect_line(text, "seawall_actions_total{vm=\"vm1\",action=\"fence\"} 40000");
	expect_line(text, "seawall_outcomes_total{vm=\"vm1\",outcome=\"injected\"} 40000");
	expect_line(text, "seawall_handling_seconds_bucket{vm=\"vm1\",le=\"0.000001\"} 0");
	expect_line(text, "seawall_handling_seconds_bucket{vm=\"vm1\",le=\"0.00001\"} 40000");
	expect_line(text, "seawall_handling_seconds_sum{vm=\"vm1\"} 0.060000000");
	expect_line(text, "seawall_handling_seconds_count{vm=\"vm1\"} 40000");
	sw_metrics_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),	       cmocka_unit_test(test_counts),
		cmocka_unit_test(test_fenced),	       cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_label_escaping), cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
