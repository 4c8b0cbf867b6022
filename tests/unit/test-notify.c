/* SPDX-License-Identifier: MIT */
/*
 * The agent protocol: exact lines for every message, every malformed line
 * rejected, line assembly across partial and overlong input, and the VMM
 * session through hello, notification, answers, agent restart and silence.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <seawall/notify.h>

#define MS 1000000ull

static void test_format_every_type(void **state)
{
	static const struct {
		struct sw_notify_msg msg;
		const char *line;
	} cases[] = {
		{ { .type = SW_NOTIFY_HELLO, .version = 1, .page_size = 4096 }, "HELLO 1 4096\n" },
		{ { .type = SW_NOTIFY_WELCOME, .version = 1 }, "WELCOME 1\n" },
		{ { .type = SW_NOTIFY_POISON, .seq = 7, .gpa = 0x80010000, .npages = 16 },
		  "POISON 7 0x80010000 16\n" },
		{ { .type = SW_NOTIFY_OFFLINED, .seq = 7, .gpa = 0x80011000 },
		  "OFFLINED 7 0x80011000\n" },
		{ { .type = SW_NOTIFY_FAILED, .seq = 3, .gpa = 0x4000, .reason = "kernel" },
		  "FAILED 3 0x4000 kernel\n" },
		{ { .type = SW_NOTIFY_BEAT, .seq = 18446744073709551615ull },
		  "BEAT 18446744073709551615\n" },
	};
	char buf[SW_NOTIFY_LINE_MAX];
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sw_notify_msg back;

		assert_int_equal(sw_notify_format(&cases[i].msg, buf, sizeof(buf)),
				 strlen(cases[i].line));
		assert_string_equal(buf, cases[i].line);
		/* Every formatted line parses back to the same message. */
		assert_int_equal(sw_notify_parse(buf, strlen(buf), &back, NULL), 0);
		assert_memory_equal(&back, &cases[i].msg, sizeof(back));
	}
}

static void test_format_rejects_invalid(void **state)
{
	struct sw_notify_msg poison0 = { .type = SW_NOTIFY_POISON, .seq = 1, .gpa = 0, .npages = 0 };
	struct sw_notify_msg badreason = { .type = SW_NOTIFY_FAILED, .reason = "no such" };
	struct sw_notify_msg notype = { .type = 0 };
	char buf[SW_NOTIFY_LINE_MAX];
	(void)state;

	assert_int_equal(sw_notify_format(&poison0, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(sw_notify_format(&badreason, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(sw_notify_format(&notype, buf, sizeof(buf)), -EINVAL);
}

static void test_format_truncates_like_snprintf(void **state)
{
	struct sw_notify_msg m = { .type = SW_NOTIFY_WELCOME, .version = 1 };
	char buf[5];
	(void)state;

	assert_int_equal(sw_notify_format(&m, buf, sizeof(buf)), 10);
	assert_string_equal(buf, "WELC");
}

static void test_parse_rejects_malformed(void **state)
{
	static const struct {
		const char *line;
		const char *why;
	} cases[] = {
		{ "", "empty line" },
		{ "HELO 1 4096", "unknown verb" },
		{ "hello 1 4096", "unknown verb" },
		{ "HELLO 1", "missing field" },
		{ "HELLO 1 4096 7", "too many fields" },
		{ "HELLO  1 4096", "empty field (double or leading space)" },
		{ " HELLO 1 4096", "empty field (double or leading space)" },
		{ "HELLO 1 4096 ", "trailing space" },
		{ "HELLO 01 4096", "HELLO wants <version> <page_size> in decimal" },
		{ "HELLO -1 4096", "HELLO wants <version> <page_size> in decimal" },
		{ "HELLO 4294967296 4096", "HELLO wants <version> <page_size> in decimal" },
		{ "WELCOME x", "WELCOME wants <version> in decimal" },
		{ "POISON 1 80010000 1", "POISON wants <seq> <0xgpa> <npages >= 1>" },
		{ "POISON 1 0x 1", "POISON wants <seq> <0xgpa> <npages >= 1>" },
		{ "POISON 1 0x80010000 0", "POISON wants <seq> <0xgpa> <npages >= 1>" },
		{ "POISON 1 0x1ffffffffffffffff 1", "POISON wants <seq> <0xgpa> <npages >= 1>" },
		{ "POISON 1 0xg0 1", "POISON wants <seq> <0xgpa> <npages >= 1>" },
		{ "OFFLINED 1", "missing field" },
		{ "OFFLINED x 0x1000", "OFFLINED/FAILED want <seq> <0xgpa>" },
		{ "FAILED 1 0x1000 sad", "unknown FAILED reason" },
		{ "FAILED 1 0x1000 averyveryverylongreason", "unknown FAILED reason" },
		{ "BEAT 18446744073709551616", "BEAT wants <n> in decimal" },
		{ "BEAT 1 2 3 4 5", "too many fields" },
	};
	struct sw_notify_msg m;
	const char *why;
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why = NULL;
		assert_int_equal(sw_notify_parse(cases[i].line, strlen(cases[i].line), &m, &why),
				 -EINVAL);
		assert_non_null(why);
		assert_string_equal(why, cases[i].why);
		assert_int_equal(m.type, 0);
	}
}

static void test_parse_line_length_limit(void **state)
{
	char line[SW_NOTIFY_LINE_MAX + 1];
	struct sw_notify_msg m;
	const char *why;
	(void)state;

	/* 95 bytes plus '\n' is the longest line: fits. */
	memset(line, '1', sizeof(line));
	memcpy(line, "BEAT ", 5);
	line[SW_NOTIFY_LINE_MAX - 1] = '\n';
	assert_int_equal(sw_notify_parse(line, SW_NOTIFY_LINE_MAX, &m, &why), -EINVAL);
	assert_string_equal(why, "BEAT wants <n> in decimal"); /* 90 digits overflow */
	assert_int_equal(sw_notify_parse(line, SW_NOTIFY_LINE_MAX + 1, &m, &why), -EINVAL);
	assert_string_equal(why, "line too long");
}

struct lines {
	char text[8][SW_NOTIFY_LINE_MAX];
	size_t n;
};

static void collect(const char *line, size_t len, void *arg)
{
	struct lines *l = arg;

	assert_true(l->n < 8);
	memcpy(l->text[l->n], line, len);
	l->text[l->n++][len] = '\0';
}

static void test_reader_partial_and_overlong(void **state)
{
	struct sw_notify_reader r;
	struct lines l = { .n = 0 };
	char big[300];
	(void)state;

	sw_notify_reader_init(&r);
	assert_int_equal(sw_notify_reader_feed(&r, "HEL", 3, collect, &l), 0);
	assert_int_equal(sw_notify_reader_feed(&r, "LO 1 4096\r\nBE", 13, collect, &l), 1);
	assert_int_equal(sw_notify_reader_feed(&r, "AT 1\n\0\n", 7, collect, &l), 2);
	assert_string_equal(l.text[0], "HELLO 1 4096");
	assert_string_equal(l.text[1], "BEAT 1");
	assert_string_equal(l.text[2], "");

	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	assert_int_equal(sw_notify_reader_feed(&r, big, sizeof(big), collect, &l), 0);
	assert_int_equal(r.overlong_lines, 1);
	assert_int_equal(sw_notify_reader_feed(&r, "BEAT 2\n", 7, collect, &l), 1);
	assert_string_equal(l.text[3], "BEAT 2");
}

struct sent {
	char text[SW_NOTIFY_MAX_PENDING + 2][SW_NOTIFY_LINE_MAX];
	size_t n;
};

static void send_collect(const char *line, size_t len, void *arg)
{
	struct sent *s = arg;

	assert_true(s->n < SW_NOTIFY_MAX_PENDING + 2);
	memcpy(s->text[s->n], line, len);
	s->text[s->n++][len] = '\0';
}

static size_t feed(struct sw_notify_session *s, const char *text, uint64_t now, struct sent *out)
{
	return sw_notify_session_feed(s, text, strlen(text), now, send_collect, out);
}

static void test_session_lifecycle(void **state)
{
	struct sw_notify_session s;
	struct sw_notify_pending p;
	struct sent out = { .n = 0 };
	enum sw_notify_state st;
	char line[SW_NOTIFY_LINE_MAX];
	(void)state;

	sw_notify_session_init(&s);
	assert_false(sw_notify_session_alive(&s, 0));
	assert_int_equal(sw_notify_session_poison(&s, 0x80010000, 1, 0, line, sizeof(line), &st),
			 -ENOTCONN);

	assert_int_equal(feed(&s, "HELLO 1 4096\n", 1000 * MS, &out), 1);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.text[0], "WELCOME 1\n");
	assert_true(sw_notify_session_alive(&s, 1000 * MS));

	/* 16 guest pages under one 64K host page: one notification. */
	assert_int_equal(sw_notify_session_poison(&s, 0x80010000, 16, 1100 * MS, line,
						  sizeof(line), &st),
			 strlen("POISON 1 0x80010000 16\n"));
	assert_string_equal(line, "POISON 1 0x80010000 16\n");
	assert_int_equal(st, SW_NOTIFY_PENDING);
	/* Asking again for any page it covers sends nothing. */
	assert_int_equal(sw_notify_session_poison(&s, 0x8001f000, 1, 1200 * MS, line,
						  sizeof(line), &st),
			 0);
	assert_int_equal(st, SW_NOTIFY_PENDING);
	assert_int_equal(sw_notify_session_poison(&s, 0x80020001, 1, 1200 * MS, line,
						  sizeof(line), &st),
			 -EINVAL);

	for (unsigned i = 0; i < 15; i++) {
		char ans[SW_NOTIFY_LINE_MAX];

		snprintf(ans, sizeof(ans), "OFFLINED 1 0x%x\n", 0x80010000 + i * 0x1000);
		assert_int_equal(feed(&s, ans, 1300 * MS, &out), 1);
	}
	/* A duplicate answer and an answer outside the range are garbage. */
	assert_int_equal(feed(&s, "OFFLINED 1 0x80010000\n", 1300 * MS, &out), 0);
	assert_int_equal(feed(&s, "OFFLINED 1 0x80020000\n", 1300 * MS, &out), 0);
	assert_int_equal(feed(&s, "OFFLINED 9 0x80010000\n", 1300 * MS, &out), 0);
	assert_int_equal(s.garbage, 3);
	assert_int_equal(sw_notify_session_state(&s, 0x80015000, &p), SW_NOTIFY_PENDING);
	assert_int_equal(p.offlined, 15);
	assert_int_equal(feed(&s, "OFFLINED 1 0x8001f000\n", 1400 * MS, &out), 1);
	assert_int_equal(sw_notify_session_state(&s, 0x80010000, &p), SW_NOTIFY_DONE);
	assert_int_equal(p.offlined, 16);
	assert_int_equal(p.sent_ns, 1100 * MS);

	/* A refused page, with the reason kept. */
	assert_int_equal(sw_notify_session_poison(&s, 0x90000000, 1, 1500 * MS, line,
						  sizeof(line), &st),
			 strlen("POISON 2 0x90000000 1\n"));
	assert_int_equal(feed(&s, "FAILED 2 0x90000000 kernel\n", 1600 * MS, &out), 1);
	assert_int_equal(sw_notify_session_state(&s, 0x90000000, &p), SW_NOTIFY_REFUSED);
	assert_string_equal(p.reason, "kernel");
	sw_notify_session_forget(&s, 0x90000000);
	assert_int_equal(sw_notify_session_state(&s, 0x90000000, NULL), SW_NOTIFY_UNKNOWN);

	/* Silence: alive up to 3 beats (6 s) after the last line heard. */
	assert_true(sw_notify_session_alive(&s, 7600 * MS));
	assert_false(sw_notify_session_alive(&s, 7600 * MS + 1));
	assert_int_equal(feed(&s, "BEAT 1\n", 7000 * MS, &out), 1);
	assert_true(sw_notify_session_alive(&s, 13000 * MS));
	assert_int_equal(s.beats, 1);
}

static void test_session_agent_restart_resends(void **state)
{
	struct sw_notify_session s;
	struct sent out = { .n = 0 };
	char line[SW_NOTIFY_LINE_MAX];
	(void)state;

	sw_notify_session_init(&s);
	feed(&s, "HELLO 1 4096\n", 0, &out);
	assert_int_equal(sw_notify_session_poison(&s, 0x1000, 2, 0, line, sizeof(line), NULL),
			 strlen("POISON 1 0x1000 2\n"));
	assert_int_equal(sw_notify_session_poison(&s, 0x8000, 1, 0, line, sizeof(line), NULL),
			 strlen("POISON 2 0x8000 1\n"));
	assert_int_equal(feed(&s, "OFFLINED 2 0x8000\n", 0, &out), 1);
	/* Half an answer, then the agent restarts: its answer is forgotten. */
	assert_int_equal(feed(&s, "OFFLINED 1 0x1000\nHELLO 1 4096\n", 0, &out), 2);
	assert_int_equal(s.hellos, 2);
	assert_int_equal(out.n, 3);
	assert_string_equal(out.text[1], "WELCOME 1\n");
	assert_string_equal(out.text[2], "POISON 1 0x1000 2\n");
	assert_int_equal(sw_notify_session_state(&s, 0x1000, NULL), SW_NOTIFY_PENDING);
	assert_int_equal(sw_notify_session_state(&s, 0x8000, NULL), SW_NOTIFY_DONE);
	assert_int_equal(feed(&s, "OFFLINED 1 0x1000\nOFFLINED 1 0x2000\n", 0, &out), 2);
	assert_int_equal(sw_notify_session_state(&s, 0x2000, NULL), SW_NOTIFY_DONE);
}

static void test_session_ignores_garbage_and_strangers(void **state)
{
	struct sw_notify_session s;
	struct sent out = { .n = 0 };
	char line[SW_NOTIFY_LINE_MAX];
	(void)state;

	sw_notify_session_init(&s);
	/* Before HELLO: beats and answers are garbage; no reply is sent. */
	assert_int_equal(feed(&s, "BEAT 1\nOFFLINED 1 0x1000\n\x01\x02zz\nPOISON 1 0x1 1\n", 0,
			      &out),
			 0);
	assert_int_equal(s.garbage, 4);
	/* Another protocol version, or a page size that is not a power of two. */
	assert_int_equal(feed(&s, "HELLO 2 4096\nHELLO 1 4095\n", 0, &out), 0);
	assert_int_equal(out.n, 0);
	assert_false(sw_notify_session_alive(&s, 0));
	assert_int_equal(feed(&s, "HELLO 1 65536\n", 0, &out), 1);
	assert_true(sw_notify_session_alive(&s, 0));
	assert_int_equal(sw_notify_session_poison(&s, 0x1000, 1, 0, line, sizeof(line), NULL),
			 -EINVAL); /* not 64K aligned */
	assert_int_equal(sw_notify_session_poison(&s, 0x10000, SW_NOTIFY_MAX_PAGES + 1, 0, line,
						  sizeof(line), NULL),
			 -EINVAL);
	for (unsigned i = 0; i < SW_NOTIFY_MAX_PENDING; i++)
		assert_true(sw_notify_session_poison(&s, (i + 1) * 0x10000ull, 1, 0, line,
						     sizeof(line), NULL) > 0);
	assert_int_equal(sw_notify_session_poison(&s, 0x1000000, 1, 0, line, sizeof(line), NULL),
			 -ENOSPC);
}

static void test_state_names(void **state)
{
	(void)state;
	assert_string_equal(sw_notify_state_name(SW_NOTIFY_UNKNOWN), "unknown");
	assert_string_equal(sw_notify_state_name(SW_NOTIFY_PENDING), "pending");
	assert_string_equal(sw_notify_state_name(SW_NOTIFY_DONE), "done");
	assert_string_equal(sw_notify_state_name(SW_NOTIFY_REFUSED), "refused");
	assert_string_equal(sw_notify_state_name((enum sw_notify_state)9), "invalid");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_every_type),
		cmocka_unit_test(test_format_rejects_invalid),
		cmocka_unit_test(test_format_truncates_like_snprintf),
		cmocka_unit_test(test_parse_rejects_malformed),
		cmocka_unit_test(test_parse_line_length_limit),
		cmocka_unit_test(test_reader_partial_and_overlong),
		cmocka_unit_test(test_session_lifecycle),
		cmocka_unit_test(test_session_agent_restart_resends),
		cmocka_unit_test(test_session_ignores_garbage_and_strangers),
		cmocka_unit_test(test_state_names),
	};

	return cmocka_run_group_tests_name("notify", tests, NULL, NULL);
}
