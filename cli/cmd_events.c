/* SPDX-License-Identifier: MIT */
/*
 * seawall events summary FILE [--json]: what an event log (docs/events.md,
 * one JSON object per line) says happened: counts by source, fault class,
 * action and outcome, distinct pages, the log's span and rates.  A line
 * that is not a version 1 event is counted and reported with its number on
 * standard error, never fatal.  Exit 0 once the file was read, 1 if it
 * cannot be, 2 for usage errors.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <seawall/events.h>

#include "commands.h"
#include "util.h"
#include "strbuf.h"
#include "utf8.h"

#define NAME_MAX_LEN	 32 /* names in events are short identifiers */
#define MAX_DEPTH	 64 /* nesting of JSON values we follow */
#define LISTED_MALFORMED 20 /* malformed line numbers listed, and reported */
#define MINUTE_NS	 60000000000ull

static const char usage_text[] =
	"usage: seawall events summary FILE [--json]\n"
	"\n"
	"Summarise an event log written by sw_event_write() (one JSON object per\n"
	"line, docs/events.md): events by source, fault class, action and\n"
	"outcome, distinct guest pages, the time the log spans and the event rate.\n"
	"FILE '-' is standard input.  Lines that are not version 1 events are\n"
	"counted and reported on standard error with their line numbers.\n"
	"\n"
	"  --json     print one JSON object instead of text\n"
	"  -h, --help print this help\n"
	"\n"
	"Exit status: 0 the log was read (malformed lines included); 1 it could not\n"
	"be read; 2 a usage error.\n";

/* ---- a strict reader for one JSON line (RFC 8259) ---- */

struct reader {
	const char *p, *end;
	const char *error; /* why the line is malformed, static */
};

/* A string's raw bytes between its quotes (escapes left as they are). */
struct raw {
	const char *s;
	size_t len;
};

static void ws(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static bool fail_at(struct reader *r, const char *why)
{
	if (!r->error)
		r->error = why;
	return false;
}

static bool eat(struct reader *r, char c)
{
	ws(r);
	if (r->p < r->end && *r->p == c) {
		r->p++;
		return true;
	}
	return false;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool string(struct reader *r, struct raw *out)
{
	if (!eat(r, '"'))
		return fail_at(r, "invalid JSON: a string was expected");
	out->s = r->p;
	while (r->p < r->end && *r->p != '"') {
		unsigned char c = (unsigned char)*r->p++;

		if (c < 0x20)
			return fail_at(r, "invalid JSON: a control character in a string");
		if (c != '\\')
			continue;
		if (r->p >= r->end || !strchr("\"\\/bfnrtu", *r->p))
			return fail_at(r, "invalid JSON: a bad escape in a string");
		if (*r->p++ == 'u') {
			for (int i = 0; i < 4; i++, r->p++)
				if (r->p >= r->end || !is_hex(*r->p))
					return fail_at(r, "invalid JSON: a bad \\u escape");
		}
	}
	if (r->p >= r->end)
		return fail_at(r, "invalid JSON: an unterminated string");
	out->len = (size_t)(r->p++ - out->s);
	return true;
}

static bool digits(struct reader *r)
{
	const char *start = r->p;

	while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
		r->p++;
	return r->p > start;
}

static bool number(struct reader *r)
{
	ws(r);
	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (r->p < r->end && *r->p == '0')
		r->p++;
	else if (!digits(r))
		return fail_at(r, "invalid JSON: a bad number");
	if (r->p < r->end && *r->p == '.') {
		r->p++;
		if (!digits(r))
			return fail_at(r, "invalid JSON: a bad number");
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (!digits(r))
			return fail_at(r, "invalid JSON: a bad number");
	}
	return true;
}

static bool literal(struct reader *r, const char *word)
{
	size_t n = strlen(word);

	ws(r);
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n))
		return false;
	r->p += n;
	return true;
}

static bool value(struct reader *r, int depth);

static bool container(struct reader *r, int depth, char close, bool object)
{
	struct raw key;

	if (depth > MAX_DEPTH)
		return fail_at(r, "invalid JSON: nested too deep");
	if (eat(r, close))
		return true;
	do {
		if (object && (!string(r, &key) || !eat(r, ':')))
			return fail_at(r, "invalid JSON: a bad member");
		if (!value(r, depth + 1))
			return false;
	} while (eat(r, ','));
	return eat(r, close) || fail_at(r, "invalid JSON: a bad array or object");
}

static bool value(struct reader *r, int depth)
{
	struct raw s;

	ws(r);
	if (r->p >= r->end)
		return fail_at(r, "invalid JSON: a value was expected");
	switch (*r->p) {
	case '{':
		r->p++;
		return container(r, depth, '}', true);
	case '[':
		r->p++;
		return container(r, depth, ']', false);
	case '"':
		return string(r, &s);
	}
	if (literal(r, "true") || literal(r, "false") || literal(r, "null"))
		return true;
	return number(r);
}

/* ---- one event line ---- */

struct event_line {
	uint64_t version;
	uint64_t time_ns;
	char source[NAME_MAX_LEN], class[NAME_MAX_LEN], outcome[NAME_MAX_LEN];
	char actions[8][NAME_MAX_LEN];
	unsigned int n_actions;
	bool page_valid;
	uint64_t page;
	unsigned int seen; /* FIELD_* bits */
};

enum {
	FIELD_VERSION = 1u << 0,
	FIELD_TIME = 1u << 1,
	FIELD_SOURCE = 1u << 2,
	FIELD_CLASS = 1u << 3,
	FIELD_ACTIONS = 1u << 4,
	FIELD_OUTCOME = 1u << 5,
	FIELD_PAGE = 1u << 6, /* optional: null or absent when no page is known */
};

static bool unsigned_number(struct reader *r, uint64_t *out, const char *why)
{
	uint64_t v = 0;

	ws(r);
	if (r->p >= r->end || *r->p < '0' || *r->p > '9')
		return fail_at(r, why);
	for (; r->p < r->end && *r->p >= '0' && *r->p <= '9'; r->p++) {
		unsigned int d = (unsigned int)(*r->p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return fail_at(r, why);
		v = v * 10 + d;
	}
	if (r->p < r->end && (*r->p == '.' || *r->p == 'e' || *r->p == 'E'))
		return fail_at(r, why);
	*out = v;
	return true;
}

/* A name: [a-z0-9_], 1 to NAME_MAX_LEN - 1 bytes. */
static bool name(struct reader *r, char *out, const char *why)
{
	struct raw s;

	if (!string(r, &s))
		return false;
	if (!s.len || s.len >= NAME_MAX_LEN)
		return fail_at(r, why);
	for (size_t i = 0; i < s.len; i++)
		if (!((s.s[i] >= 'a' && s.s[i] <= 'z') || (s.s[i] >= '0' && s.s[i] <= '9') ||
		      s.s[i] == '_'))
			return fail_at(r, why);
	memcpy(out, s.s, s.len);
	out[s.len] = '\0';
	return true;
}

static bool page_value(struct reader *r, struct event_line *ev)
{
	struct raw s;
	uint64_t v = 0;

	if (literal(r, "null"))
		return true;
	if (!string(r, &s))
		return fail_at(r, "\"page\" is not a hex address or null");
	if (s.len < 3 || s.len > 18 || s.s[0] != '0' || s.s[1] != 'x')
		return fail_at(r, "\"page\" is not a hex address or null");
	for (size_t i = 2; i < s.len; i++) {
		if (!is_hex(s.s[i]))
			return fail_at(r, "\"page\" is not a hex address or null");
		v = v << 4 | (uint64_t)(s.s[i] <= '9' ? s.s[i] - '0' : (s.s[i] | 0x20) - 'a' + 10);
	}
	ev->page_valid = true;
	ev->page = v;
	return true;
}

static bool actions_value(struct reader *r, struct event_line *ev)
{
	if (!eat(r, '['))
		return fail_at(r, "\"actions\" is not an array of names");
	if (eat(r, ']'))
		return true;
	do {
		if (ev->n_actions == 8)
			return fail_at(r, "\"actions\" has more than 8 names");
		if (!name(r, ev->actions[ev->n_actions++], "\"actions\" is not an array of names"))
			return false;
	} while (eat(r, ','));
	return eat(r, ']') || fail_at(r, "\"actions\" is not an array of names");
}

static bool member(struct reader *r, struct event_line *ev, struct raw key)
{
	static const struct {
		const char *key;
		unsigned int field;
	} fields[] = {
		{"version", FIELD_VERSION}, {"time_ns", FIELD_TIME},	{"source", FIELD_SOURCE},
		{"class", FIELD_CLASS},	    {"actions", FIELD_ACTIONS}, {"outcome", FIELD_OUTCOME},
		{"page", FIELD_PAGE},
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (strlen(fields[i].key) != key.len || memcmp(fields[i].key, key.s, key.len))
			continue;
		if (ev->seen & fields[i].field)
			return fail_at(r, "a member appears twice");
		ev->seen |= fields[i].field;
		switch (fields[i].field) {
		case FIELD_VERSION:
			return unsigned_number(r, &ev->version,
					       "\"version\" is not a whole number");
		case FIELD_TIME:
			return unsigned_number(r, &ev->time_ns,
					       "\"time_ns\" is not a whole number");
		case FIELD_SOURCE:
			return name(r, ev->source, "\"source\" is not a name");
		case FIELD_CLASS:
			return name(r, ev->class, "\"class\" is not a name");
		case FIELD_ACTIONS:
			return actions_value(r, ev);
		case FIELD_OUTCOME:
			return name(r, ev->outcome, "\"outcome\" is not a name");
		default:
			return page_value(r, ev);
		}
	}
	return value(r, 1); /* a key this summary does not use */
}

/* Returns NULL for a valid event, or why the line is not one. */
static const char *parse_event(const char *line, size_t len, struct event_line *ev)
{
	static const char *const missing[] = {
		"\"version\" is missing", "\"time_ns\" is missing", "\"source\" is missing",
		"\"class\" is missing",	  "\"actions\" is missing", "\"outcome\" is missing",
	};
	struct reader r = {line, line + len, NULL};
	struct raw key;

	memset(ev, 0, sizeof(*ev));
	if (memchr(line, '\0', len))
		return "a NUL byte";
	if (!sw_utf8_valid(line))
		return "not UTF-8";
	ws(&r);
	if (r.p == r.end)
		return "an empty line";
	if (!eat(&r, '{'))
		return "not a JSON object";
	if (!eat(&r, '}')) {
		do {
			if (!string(&r, &key) || !eat(&r, ':'))
				return r.error ? r.error : "invalid JSON: a bad member";
			if (!member(&r, ev, key))
				return r.error;
		} while (eat(&r, ','));
		if (!eat(&r, '}'))
			return "invalid JSON: a bad object";
	}
	ws(&r);
	if (r.p != r.end)
		return "text after the object";
	for (unsigned int i = 0; i < 6; i++)
		if (!(ev->seen & (1u << i)))
			return missing[i];
	if (ev->version != SW_EVENT_VERSION)
		return "\"version\" is not 1: this seawall reads version 1";
	return NULL;
}

/* ---- counting ---- */

struct tally_item {
	char name[NAME_MAX_LEN];
	uint64_t n;
};

struct tally {
	struct tally_item *item;
	size_t len, cap;
};

struct summary {
	uint64_t events, malformed;
	uint64_t listed[LISTED_MALFORMED];
	struct tally source, class, action, outcome;
	uint64_t *times, *pages;
	size_t times_cap, pages_cap, n_pages;
	uint64_t first_ns, last_ns;
	/* computed once the log is read */
	size_t distinct_pages;
	uint64_t busiest_minute;
};

static void *grow(void *p, size_t *cap, size_t len, size_t size)
{
	if (len < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 16;
	p = realloc(p, *cap * size);
	if (!p) {
		fputs("seawall events: out of memory\n", stderr);
		exit(CLI_FAIL);
	}
	return p;
}

static void count(struct tally *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->len && strcmp(t->item[i].name, name); i++)
		;
	if (i == t->len) {
		t->item = grow(t->item, &t->cap, t->len, sizeof(*t->item));
		strcpy(t->item[t->len].name, name);
		t->item[t->len++].n = 0;
	}
	t->item[i].n++;
}

static void add_event(struct summary *s, const struct event_line *ev)
{
	s->times = grow(s->times, &s->times_cap, s->events, sizeof(*s->times));
	s->pages = grow(s->pages, &s->pages_cap, s->n_pages, sizeof(*s->pages));
	if (!s->events || ev->time_ns < s->first_ns)
		s->first_ns = ev->time_ns;
	if (!s->events || ev->time_ns > s->last_ns)
		s->last_ns = ev->time_ns;
	s->times[s->events++] = ev->time_ns;
	if (ev->page_valid)
		s->pages[s->n_pages++] = ev->page;
	count(&s->source, ev->source);
	count(&s->class, ev->class);
	count(&s->outcome, ev->outcome);
	for (unsigned int i = 0; i < ev->n_actions; i++)
		count(&s->action, ev->actions[i]);
}

/* qsort() with nothing to sort may be given NULL, which it must not. */
static void sort(void *base, size_t n, size_t size, int (*compare)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, compare);
}

/* Most frequent first, then by name. */
static int compare_items(const void *a, const void *b)
{
	const struct tally_item *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The most events in any 60 s window [t, t + 60 s). */
static uint64_t busiest_minute(uint64_t *t, size_t n)
{
	size_t lo = 0, best = 0;

	sort(t, n, sizeof(*t), cli_compare_u64);
	for (size_t hi = 0; hi < n; hi++) {
		while (t[hi] - t[lo] >= MINUTE_NS)
			lo++;
		if (hi - lo + 1 > best)
			best = hi - lo + 1;
	}
	return best;
}

static int read_log(const char *path, FILE *f, struct summary *s)
{
	struct event_line ev;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	uint64_t number = 0;
	const char *why;

	while ((len = getline(&line, &cap, f)) >= 0) {
		number++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		why = parse_event(line, (size_t)len, &ev);
		if (!why) {
			add_event(s, &ev);
			continue;
		}
		if (s->malformed < LISTED_MALFORMED) {
			s->listed[s->malformed] = number;
			fprintf(stderr, "seawall events: %s:%" PRIu64 ": malformed event: %s\n",
				path, number, why);
		}
		s->malformed++;
	}
	free(line);
	if (ferror(f)) {
		fprintf(stderr, "seawall events: %s: cannot read: %s\n", path, strerror(errno));
		return CLI_FAIL;
	}
	if (s->malformed > LISTED_MALFORMED)
		fprintf(stderr, "seawall events: %s: %" PRIu64 " more malformed lines not shown\n",
			path, s->malformed - LISTED_MALFORMED);
	return CLI_OK;
}

/* ---- output ---- */

static void iso(char *buf, size_t size, uint64_t ns)
{
	time_t secs = (time_t)(ns / 1000000000u);
	struct tm tm;

	if (!gmtime_r(&secs, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, size, "?");
}

static void print_tally(struct sw_strbuf *sb, const char *label, const struct tally *t, bool json)
{
	sw_strbuf_printf(sb, json ? ",\"%s\":{" : "%s:", label);
	for (size_t i = 0; i < t->len; i++)
		sw_strbuf_printf(sb, json ? "%s\"%s\":%" PRIu64 : "%s %s %" PRIu64, i ? "," : "",
				 t->item[i].name, t->item[i].n);
	sw_strbuf_printf(sb, json ? "}" : t->len ? "\n" : " none\n");
}

/* Sort what is printed in order, and count what needs sorting. */
static void finish(struct summary *s)
{
	sort(s->source.item, s->source.len, sizeof(*s->source.item), compare_items);
	sort(s->class.item, s->class.len, sizeof(*s->class.item), compare_items);
	sort(s->action.item, s->action.len, sizeof(*s->action.item), compare_items);
	sort(s->outcome.item, s->outcome.len, sizeof(*s->outcome.item), compare_items);
	s->distinct_pages = cli_distinct_u64(s->pages, s->n_pages);
	s->busiest_minute = busiest_minute(s->times, s->events);
}

static void print_summary(struct sw_strbuf *sb, const char *path, const struct summary *s,
			  bool json)
{
	uint64_t span = s->last_ns - s->first_ns, busiest = s->busiest_minute;
	size_t pages = s->distinct_pages;
	size_t listed = s->malformed < LISTED_MALFORMED ? s->malformed : LISTED_MALFORMED;
	char first[32], last[32];

	if (json) {
		sw_strbuf_printf(sb, "{\"file\":");
		sw_strbuf_json_string(sb, path);
		sw_strbuf_printf(sb,
				 ",\"events\":%" PRIu64 ",\"malformed\":%" PRIu64
				 ",\"malformed_lines\":[",
				 s->events, s->malformed);
		for (size_t i = 0; i < listed; i++)
			sw_strbuf_printf(sb, "%s%" PRIu64, i ? "," : "", s->listed[i]);
		if (s->events)
			sw_strbuf_printf(sb,
					 "],\"first_ns\":%" PRIu64 ",\"last_ns\":%" PRIu64
					 ",\"span_ns\":%" PRIu64,
					 s->first_ns, s->last_ns, span);
		else
			sw_strbuf_printf(sb,
					 "],\"first_ns\":null,\"last_ns\":null,\"span_ns\":null");
		if (span)
			sw_strbuf_printf(sb, ",\"events_per_hour\":%.3f",
					 (double)s->events * 3.6e12 / (double)span);
		else
			sw_strbuf_printf(sb, ",\"events_per_hour\":null");
		sw_strbuf_printf(sb, ",\"busiest_minute\":%" PRIu64 ",\"distinct_pages\":%zu",
				 busiest, pages);
		print_tally(sb, "by_source", &s->source, true);
		print_tally(sb, "by_class", &s->class, true);
		print_tally(sb, "by_action", &s->action, true);
		print_tally(sb, "by_outcome", &s->outcome, true);
		sw_strbuf_printf(sb, "}\n");
		return;
	}
	sw_strbuf_printf(sb, "file: %s\nevents: %" PRIu64 "\nmalformed lines: %" PRIu64, path,
			 s->events, s->malformed);
	for (size_t i = 0; i < listed; i++)
		sw_strbuf_printf(sb, "%s%" PRIu64, i ? ", " : " (lines ", s->listed[i]);
	if (s->malformed > listed)
		sw_strbuf_printf(sb, " and %" PRIu64 " more", s->malformed - listed);
	sw_strbuf_printf(sb, "%s\n", listed ? ")" : "");
	if (s->events) {
		iso(first, sizeof(first), s->first_ns);
		iso(last, sizeof(last), s->last_ns);
		sw_strbuf_printf(sb, "span: %s to %s (%" PRIu64 ".%03" PRIu64 " s)\n", first, last,
				 span / 1000000000u, span % 1000000000u / 1000000u);
	} else {
		sw_strbuf_printf(sb, "span: none\n");
	}
	if (span)
		sw_strbuf_printf(sb, "rate: %.3f events per hour",
				 (double)s->events * 3.6e12 / (double)span);
	else
		sw_strbuf_printf(sb, "rate: none (the events span no time)");
	sw_strbuf_printf(sb, "; busiest minute: %" PRIu64 "\ndistinct pages: %zu\n", busiest,
			 pages);
	print_tally(sb, "by source", &s->source, false);
	print_tally(sb, "by class", &s->class, false);
	print_tally(sb, "by action", &s->action, false);
	print_tally(sb, "by outcome", &s->outcome, false);
}

#define SYNOPSIS "summary FILE [--json]"

static void summary_free(struct summary *s)
{
	free(s->source.item);
	free(s->class.item);
	free(s->action.item);
	free(s->outcome.item);
	free(s->times);
	free(s->pages);
}

int cmd_events(int argc, char **argv)
{
	const char *sub = NULL, *path = NULL;
	struct summary s = {0};
	struct sw_strbuf sb;
	bool json = false;
	char *out;
	FILE *f;
	int ret, n;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage_text, stdout);
			return CLI_OK;
		}
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--json"))
			json = true;
		else if (a[0] == '-' && a[1])
			return cli_usage_error("events", SYNOPSIS, "unknown option '%s'", a);
		else if (!sub)
			sub = a;
		else if (!path)
			path = a;
		else
			return cli_usage_error("events", SYNOPSIS, "more than one FILE ('%s')", a);
	}
	if (!sub)
		return cli_usage_error("events", SYNOPSIS, "missing subcommand");
	if (strcmp(sub, "summary"))
		return cli_usage_error("events", SYNOPSIS, "unknown subcommand '%s'", sub);
	if (!path)
		return cli_usage_error("events", SYNOPSIS, "missing FILE");

	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		fprintf(stderr, "seawall events: %s: cannot open: %s\n", path, strerror(errno));
		return CLI_FAIL;
	}
	ret = read_log(path, f, &s);
	if (f != stdin)
		fclose(f);
	if (ret == CLI_OK) {
		finish(&s);
		sw_strbuf_init(&sb, NULL, 0);
		print_summary(&sb, path, &s, json); /* measure, then write */
		n = sw_strbuf_result(&sb);
		out = n < 0 ? NULL : malloc((size_t)n + 1);
		if (!out) {
			fputs("seawall events: out of memory\n", stderr);
			ret = CLI_FAIL;
		} else {
			sw_strbuf_init(&sb, out, (size_t)n + 1);
			print_summary(&sb, path, &s, json);
			fputs(out, stdout);
			free(out);
		}
	}
	summary_free(&s);
	return ret;
}
