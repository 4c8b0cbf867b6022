/* SPDX-License-Identifier: MIT */
/*
 * The policy file: "key = value" lines, '#' comments, a "version" first.
 * One table describes every key (type, choices or range, field); parsing,
 * validation and the dump all walk it, so they cannot disagree.
 * docs/policy.md documents the keys and why each default is what it is.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <seawall/policy.h>

#include "compiler.h"
#include "ratelimit.h"
#include "strbuf.h"

#define NS_PER_US 1000ull
#define NS_PER_MS 1000000ull
#define NS_PER_S  1000000000ull

#define MAX_FILE_BYTES 65536
#define SHOW_MAX       40 /* bytes of a key or value quoted in a message */

enum key_type { KEY_VERSION, KEY_CHOICE, KEY_DURATION, KEY_COUNT };

struct key_def {
	const char *name;
	enum key_type type;
	size_t offset;	  /* of the field in struct sw_policy_config */
	uint32_t choices; /* KEY_CHOICE: the SW_ACT_* values allowed */
	uint64_t min, max;
	const char *rule; /* what sw_policy_config_validate() reports */
};

#define FIELD(f) offsetof(struct sw_policy_config, f)

/* In the order the dump writes them and docs/policy.md lists them. */
static const struct key_def keys[] = {
	{"version", KEY_VERSION, FIELD(version), 0, SW_POLICY_VERSION, SW_POLICY_VERSION,
	 "version must be 1"},
	{"user_fault", KEY_CHOICE, FIELD(user_fault),
	 SW_ACT_NOTIFY | SW_ACT_INJECT | SW_ACT_RESTART | SW_ACT_STOP, 0, 0,
	 "user_fault must be one of notify, inject, restart, stop"},
	{"kernel_fault", KEY_CHOICE, FIELD(kernel_fault),
	 SW_ACT_NOTIFY | SW_ACT_INJECT | SW_ACT_RESTART | SW_ACT_STOP, 0, 0,
	 "kernel_fault must be one of notify, inject, restart, stop"},
	{"uncontainable", KEY_CHOICE, FIELD(uncontainable), SW_ACT_RESTART | SW_ACT_STOP, 0, 0,
	 "uncontainable must be one of restart, stop"},
	{"unconsumed", KEY_CHOICE, FIELD(unconsumed), SW_ACT_LOG | SW_ACT_NOTIFY | SW_ACT_FENCE, 0,
	 0, "unconsumed must be one of log, notify, fence"},
	{"unknown_page", KEY_CHOICE, FIELD(unknown_page),
	 SW_ACT_INJECT | SW_ACT_RESTART | SW_ACT_STOP, 0, 0,
	 "unknown_page must be one of inject, restart, stop"},
	{"containment", KEY_CHOICE, FIELD(containment), SW_ACT_FENCE | SW_ACT_REPLACE, 0, 0,
	 "containment must be one of fence, replace"},
	{"notify_deadline", KEY_DURATION, FIELD(notify_deadline_ns), 0, NS_PER_MS, 600 * NS_PER_S,
	 "notify_deadline must be 1ms..10m"},
	{"notify_backoff", KEY_DURATION, FIELD(notify_backoff_ns), 0, 10 * NS_PER_US, NS_PER_S,
	 "notify_backoff must be 10us..1s"},
	{"notify_fallback", KEY_CHOICE, FIELD(notify_fallback),
	 SW_ACT_INJECT | SW_ACT_RESTART | SW_ACT_STOP, 0, 0,
	 "notify_fallback must be one of inject, restart, stop"},
	{"max_pages", KEY_COUNT, FIELD(max_pages), 0, 1, 65536, "max_pages must be 1..65536"},
	{"on_max_pages", KEY_CHOICE, FIELD(on_max_pages), SW_ACT_RESTART | SW_ACT_STOP, 0, 0,
	 "on_max_pages must be one of restart, stop"},
	{"rate_events", KEY_COUNT, FIELD(rate_events), 0, 1, SW_RATELIMIT_MAX_EVENTS,
	 "rate_events must be 1..1000"},
	{"rate_window", KEY_DURATION, FIELD(rate_window_ns), 0, NS_PER_S,
	 SW_RATELIMIT_MAX_WINDOW_NS, "rate_window must be 1s..7d"},
	{"on_rate", KEY_CHOICE, FIELD(on_rate), SW_ACT_RESTART | SW_ACT_STOP, 0, 0,
	 "on_rate must be one of restart, stop"},
};

enum { KEY_COUNT_ALL = SW_ARRAY_SIZE(keys) };

static const struct key_def *key_named(const char *name)
{
	for (size_t i = 0; i < KEY_COUNT_ALL; i++)
		if (!strcmp(keys[i].name, name))
			return &keys[i];
	return NULL;
}

/* Field access through the table: each type has its own width. */
static uint64_t field_get(const struct sw_policy_config *cfg, const struct key_def *k)
{
	const char *base = (const char *)cfg + k->offset;
	enum sw_action choice;
	unsigned int count;
	uint64_t ns;

	switch (k->type) {
	case KEY_CHOICE:
		memcpy(&choice, base, sizeof(choice));
		return (uint32_t)choice;
	case KEY_DURATION:
		memcpy(&ns, base, sizeof(ns));
		return ns;
	case KEY_VERSION:
	case KEY_COUNT:
		break;
	}
	memcpy(&count, base, sizeof(count));
	return count;
}

static void field_set(struct sw_policy_config *cfg, const struct key_def *k, uint64_t v)
{
	char *base = (char *)cfg + k->offset;
	enum sw_action choice = (enum sw_action)v;
	unsigned int count = (unsigned int)v;

	switch (k->type) {
	case KEY_CHOICE:
		memcpy(base, &choice, sizeof(choice));
		return;
	case KEY_DURATION:
		memcpy(base, &v, sizeof(v));
		return;
	case KEY_VERSION:
	case KEY_COUNT:
		break;
	}
	memcpy(base, &count, sizeof(count));
}

SW_EXPORT void sw_policy_config_default(struct sw_policy_config *cfg)
{
	*cfg = (struct sw_policy_config){
		.version = SW_POLICY_VERSION,
		.user_fault = SW_ACT_NOTIFY,
		.kernel_fault = SW_ACT_RESTART,
		.uncontainable = SW_ACT_RESTART,
		.unconsumed = SW_ACT_NOTIFY,
		.unknown_page = SW_ACT_RESTART,
		.containment = SW_ACT_FENCE,
		.notify_deadline_ns = 2 * NS_PER_S,
		.notify_backoff_ns = NS_PER_MS,
		.notify_fallback = SW_ACT_INJECT,
		.max_pages = 16,
		.on_max_pages = SW_ACT_RESTART,
		.rate_events = 10,
		.rate_window_ns = 60 * NS_PER_S,
		.on_rate = SW_ACT_STOP,
	};
}

static bool value_ok(const struct key_def *k, uint64_t v)
{
	if (k->type == KEY_CHOICE)
		return v && !(v & (v - 1)) && (v & k->choices);
	return v >= k->min && v <= k->max;
}

SW_EXPORT int sw_policy_config_validate(const struct sw_policy_config *cfg, const char **reason)
{
	for (size_t i = 0; i < KEY_COUNT_ALL; i++) {
		if (!value_ok(&keys[i], field_get(cfg, &keys[i]))) {
			if (reason)
				*reason = keys[i].rule;
			return -EINVAL;
		}
	}
	if (cfg->notify_backoff_ns >= cfg->notify_deadline_ns) {
		if (reason)
			*reason = "notify_backoff must be below notify_deadline";
		return -EINVAL;
	}
	return 0;
}

/* Durations are written in the largest unit that states them exactly. */
static const struct {
	const char *name;
	uint64_t ns;
} units[] = {
	{"d", 86400 * NS_PER_S},
	{"h", 3600 * NS_PER_S},
	{"m", 60 * NS_PER_S},
	{"s", NS_PER_S},
	{"ms", NS_PER_MS},
	{"us", NS_PER_US},
	{"ns", 1},
};

static void duration_print(struct sw_strbuf *sb, uint64_t ns)
{
	for (size_t i = 0; i < SW_ARRAY_SIZE(units); i++) {
		if (ns && ns % units[i].ns == 0) {
			sw_strbuf_printf(sb, "%" PRIu64 "%s", ns / units[i].ns, units[i].name);
			return;
		}
	}
	sw_strbuf_printf(sb, "0ns");
}

static void value_print(struct sw_strbuf *sb, const struct key_def *k, uint64_t v)
{
	if (k->type == KEY_CHOICE)
		sw_strbuf_printf(sb, "%s", sw_action_name((uint32_t)v));
	else if (k->type == KEY_DURATION)
		duration_print(sb, v);
	else
		sw_strbuf_printf(sb, "%" PRIu64, v);
}

SW_EXPORT int sw_policy_config_dump(const struct sw_policy_config *cfg, char *buf, size_t size)
{
	struct sw_strbuf sb;

	if (sw_policy_config_validate(cfg, NULL))
		return -EINVAL;
	sw_strbuf_init(&sb, buf, size);
	sw_strbuf_printf(&sb, "# seawall policy: the effective configuration, every key\n");
	for (size_t i = 0; i < KEY_COUNT_ALL; i++) {
		sw_strbuf_printf(&sb, "%s = ", keys[i].name);
		value_print(&sb, &keys[i], field_get(cfg, &keys[i]));
		sw_strbuf_printf(&sb, "\n");
	}
	return sw_strbuf_result(&sb);
}

/* ---- parsing ---- */

struct parser {
	const char *name;
	struct sw_policy_error *err;
	struct sw_policy_config cfg;
	unsigned int set_on[KEY_COUNT_ALL]; /* line each key was set on, 0 if not */
	bool have_version;
};

/* A slice of the text: never NUL-terminated in place. */
struct span {
	const char *s;
	size_t len;
};

static __attribute__((format(printf, 3, 4))) int fail(struct parser *p, unsigned int line,
						      const char *fmt, ...)
{
	struct sw_strbuf sb;
	va_list ap;
	char tail[sizeof(p->err->message)];

	if (!p->err)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(tail, sizeof(tail), fmt, ap);
	va_end(ap);
	p->err->line = line;
	sw_strbuf_init(&sb, p->err->message, sizeof(p->err->message));
	sw_strbuf_printf(&sb, "%s:%u: %s", p->name, line, tail);
	return -EINVAL;
}

/* Quote text from the file in a message: printable ASCII as is, the rest
 * as \xNN, at most SHOW_MAX bytes of it. */
static const char *show(char *dst, size_t size, struct span v)
{
	struct sw_strbuf sb;
	size_t n = v.len > SHOW_MAX ? SHOW_MAX : v.len;

	sw_strbuf_init(&sb, dst, size);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v.s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			sw_strbuf_printf(&sb, "%c", c);
		else
			sw_strbuf_printf(&sb, "\\x%02x", c);
	}
	if (n < v.len)
		sw_strbuf_printf(&sb, "...");
	return dst;
}

#define SHOW_BUF (SHOW_MAX * 4 + 4)

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static struct span trim(struct span v)
{
	while (v.len && is_blank(v.s[0])) {
		v.s++;
		v.len--;
	}
	while (v.len && (is_blank(v.s[v.len - 1]) || v.s[v.len - 1] == '\r'))
		v.len--;
	return v;
}

static bool span_is(struct span v, const char *s)
{
	return strlen(s) == v.len && !memcmp(v.s, s, v.len);
}

/* Levenshtein distance of two short strings, to suggest a key. */
static size_t distance(struct span a, const char *b)
{
	size_t bl = strlen(b), row[SHOW_MAX + 1];

	for (size_t j = 0; j <= bl; j++)
		row[j] = j;
	for (size_t i = 1; i <= a.len; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= bl; j++) {
			size_t up = row[j];
			size_t best = diag + (a.s[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[bl];
}

static const char *suggest(struct span key)
{
	const char *best = NULL;
	size_t best_d = 3; /* suggest only within two edits */

	if (key.len > SHOW_MAX)
		return NULL;
	for (size_t i = 0; i < KEY_COUNT_ALL; i++) {
		size_t d = distance(key, keys[i].name);

		if (d < best_d) {
			best_d = d;
			best = keys[i].name;
		}
	}
	return best;
}

/* Digits only, into *v; false if there are none, or anything else, or it
 * overflows (*overflow set). */
static bool parse_digits(struct span v, size_t *used, uint64_t *out, bool *overflow)
{
	uint64_t n = 0;
	size_t i = 0;

	*overflow = false;
	for (; i < v.len && v.s[i] >= '0' && v.s[i] <= '9'; i++) {
		unsigned int d = (unsigned int)(v.s[i] - '0');

		if (n > (UINT64_MAX - d) / 10)
			*overflow = true;
		else
			n = n * 10 + d;
	}
	*used = i;
	*out = n;
	return i > 0;
}

static void range_print(struct sw_strbuf *sb, const struct key_def *k)
{
	value_print(sb, k, k->min);
	sw_strbuf_printf(sb, "..");
	value_print(sb, k, k->max);
}

static int out_of_range(struct parser *p, unsigned int line, const struct key_def *k, struct span v)
{
	char shown[SHOW_BUF], range[64];
	struct sw_strbuf sb;

	sw_strbuf_init(&sb, range, sizeof(range));
	range_print(&sb, k);
	return fail(p, line, "key '%s': '%s' is out of range %s", k->name,
		    show(shown, sizeof(shown), v), range);
}

static int parse_choice(struct parser *p, unsigned int line, const struct key_def *k, struct span v,
			uint64_t *out)
{
	char shown[SHOW_BUF], list[128];
	struct sw_strbuf sb;

	sw_strbuf_init(&sb, list, sizeof(list));
	for (uint32_t bit = 1; bit <= SW_ACT_ALL; bit <<= 1) {
		if (!(k->choices & bit))
			continue;
		if (span_is(v, sw_action_name(bit))) {
			*out = bit;
			return 0;
		}
		sw_strbuf_printf(&sb, "%s%s", sb.len ? ", " : "", sw_action_name(bit));
	}
	return fail(p, line, "key '%s': '%s' is not one of %s", k->name,
		    show(shown, sizeof(shown), v), list);
}

static int parse_count(struct parser *p, unsigned int line, const struct key_def *k, struct span v,
		       uint64_t *out)
{
	char shown[SHOW_BUF];
	size_t used;
	bool overflow;

	bool number = parse_digits(v, &used, out, &overflow) && used == v.len;

	if (k->type == KEY_VERSION && (!number || overflow || *out != SW_POLICY_VERSION))
		return fail(p, line,
			    "key 'version': '%s' is not supported: this seawall reads version %d",
			    show(shown, sizeof(shown), v), SW_POLICY_VERSION);
	if (!number)
		return fail(p, line,
			    "key '%s': '%s' is not a whole number in %" PRIu64 "..%" PRIu64,
			    k->name, show(shown, sizeof(shown), v), k->min, k->max);
	if (overflow || !value_ok(k, *out))
		return out_of_range(p, line, k, v);
	return 0;
}

static int parse_duration(struct parser *p, unsigned int line, const struct key_def *k,
			  struct span v, uint64_t *out)
{
	static const char unit_list[] = "ns, us, ms, s, m, h or d";
	char shown[SHOW_BUF], unit_shown[SHOW_BUF];
	struct span unit;
	size_t used;
	bool overflow;
	uint64_t n;

	if (!parse_digits(v, &used, &n, &overflow))
		return fail(p, line,
			    "key '%s': '%s' is not a duration: write a whole number and a unit, "
			    "e.g. 500ms",
			    k->name, show(shown, sizeof(shown), v));
	unit = trim((struct span){v.s + used, v.len - used}); /* "5 s" reads as "5s" */
	if (!unit.len)
		return fail(p, line, "key '%s': '%s' has no unit: use %s", k->name,
			    show(shown, sizeof(shown), v), unit_list);
	for (size_t i = 0; i < SW_ARRAY_SIZE(units); i++) {
		if (!span_is(unit, units[i].name))
			continue;
		if (overflow || n > UINT64_MAX / units[i].ns)
			return out_of_range(p, line, k, v);
		*out = n * units[i].ns;
		return value_ok(k, *out) ? 0 : out_of_range(p, line, k, v);
	}
	return fail(p, line, "key '%s': '%s' has an unknown unit '%s': use %s", k->name,
		    show(shown, sizeof(shown), v), show(unit_shown, sizeof(unit_shown), unit),
		    unit_list);
}

/* The part of a value before an inline comment (a '#' after a blank). */
static struct span strip_comment(struct span v)
{
	if (v.len && v.s[0] == '#')
		return (struct span){v.s, 0};
	for (size_t i = 1; i < v.len; i++)
		if (v.s[i] == '#' && is_blank(v.s[i - 1]))
			return trim((struct span){v.s, i});
	return v;
}

static int parse_setting(struct parser *p, unsigned int line, struct span key, struct span v)
{
	char shown[SHOW_BUF];
	const struct key_def *k = NULL;
	const char *hint;
	uint64_t value = 0;
	size_t i;
	int ret;

	for (i = 0; i < KEY_COUNT_ALL; i++) {
		if (span_is(key, keys[i].name)) {
			k = &keys[i];
			break;
		}
	}
	if (!k) {
		hint = suggest(key);
		if (hint)
			return fail(p, line, "key '%s' is unknown (did you mean '%s'?)",
				    show(shown, sizeof(shown), key), hint);
		return fail(p, line, "key '%s' is unknown (docs/policy.md lists the keys)",
			    show(shown, sizeof(shown), key));
	}
	if (!p->have_version && k->type != KEY_VERSION)
		return fail(p, line,
			    "key '%s' comes before 'version': the first setting must be "
			    "'version = %d'",
			    k->name, SW_POLICY_VERSION);
	if (p->set_on[i])
		return fail(p, line, "key '%s' is set twice (first on line %u): keep one", k->name,
			    p->set_on[i]);
	if (!v.len)
		return fail(p, line, "key '%s' has no value", k->name);

	switch (k->type) {
	case KEY_CHOICE:
		ret = parse_choice(p, line, k, v, &value);
		break;
	case KEY_DURATION:
		ret = parse_duration(p, line, k, v, &value);
		break;
	case KEY_VERSION:
	case KEY_COUNT:
	default:
		ret = parse_count(p, line, k, v, &value);
		break;
	}
	if (ret)
		return ret;
	field_set(&p->cfg, k, value);
	p->set_on[i] = line;
	p->have_version = true; /* only version can get here first */
	return 0;
}

static int parse_line(struct parser *p, unsigned int line, struct span text)
{
	char shown[SHOW_BUF];
	const char *eq;
	struct span key, value;

	if (memchr(text.s, '\0', text.len))
		return fail(p, line, "contains a NUL byte: a policy file is text");
	text = trim(text);
	if (!text.len || text.s[0] == '#')
		return 0;
	eq = memchr(text.s, '=', text.len);
	if (!eq)
		return fail(p, line, "expected 'key = value', got '%s'",
			    show(shown, sizeof(shown), text));
	key = trim((struct span){text.s, (size_t)(eq - text.s)});
	value = strip_comment(trim((struct span){eq + 1, text.len - (size_t)(eq - text.s) - 1}));
	if (!key.len)
		return fail(p, line, "expected 'key = value', got '%s' (no key before '=')",
			    show(shown, sizeof(shown), text));
	return parse_setting(p, line, key, value);
}

/* notify_backoff < notify_deadline: reported on the later of the two. */
static int check_notify_times(struct parser *p)
{
	const struct key_def *backoff = key_named("notify_backoff");
	const struct key_def *deadline = key_named("notify_deadline");
	size_t bi = (size_t)(backoff - keys), di = (size_t)(deadline - keys);
	const struct key_def *k;
	unsigned int line;
	struct sw_strbuf sb;
	char a[32], b[32];

	if (p->cfg.notify_backoff_ns < p->cfg.notify_deadline_ns)
		return 0;
	k = p->set_on[bi] >= p->set_on[di] ? backoff : deadline;
	line = p->set_on[bi] >= p->set_on[di] ? p->set_on[bi] : p->set_on[di];
	sw_strbuf_init(&sb, a, sizeof(a));
	duration_print(&sb, p->cfg.notify_backoff_ns);
	sw_strbuf_init(&sb, b, sizeof(b));
	duration_print(&sb, p->cfg.notify_deadline_ns);
	return fail(p, line,
		    "key '%s': notify_backoff (%s) must be below notify_deadline (%s): "
		    "the guest needs several tries to answer",
		    k->name, a, b);
}

SW_EXPORT int sw_policy_config_parse(struct sw_policy_config *cfg, const char *name,
				     const char *text, size_t len, struct sw_policy_error *err)
{
	struct parser p = {.name = name ? name : "policy", .err = err};
	unsigned int line = 0;
	size_t pos = 0;
	int ret;

	if (!cfg || (!text && len))
		return -EINVAL;
	sw_policy_config_default(&p.cfg);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;

		line++;
		ret = parse_line(&p, line, (struct span){text + pos, end - pos});
		if (ret)
			return ret;
		pos = end + 1;
	}
	if (!p.have_version)
		return fail(&p, 1,
			    "key 'version' is missing: the first setting must be 'version = %d'",
			    SW_POLICY_VERSION);
	ret = check_notify_times(&p);
	if (ret)
		return ret;
	*cfg = p.cfg;
	return 0;
}

static int io_fail(struct sw_policy_error *err, const char *path, const char *what, int ret)
{
	if (err) {
		err->line = 0;
		snprintf(err->message, sizeof(err->message), "%s: %s: %s", path, what,
			 ret == -EFBIG ? "larger than 64 KiB, not a policy file" : strerror(-ret));
	}
	return ret;
}

SW_EXPORT int sw_policy_config_load(struct sw_policy_config *cfg, const char *path,
				    struct sw_policy_error *err)
{
	int saved_errno = errno; /* the library never changes errno */
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	ssize_t n = 0;
	int fd, ret;

	if (!cfg || !path)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = io_fail(err, path, "cannot open", -errno);
		errno = saved_errno;
		return ret;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
		ret = -EISDIR;
	else if (!(text = malloc(MAX_FILE_BYTES + 1)))
		ret = -ENOMEM;
	else
		ret = 0;
	if (ret) {
		close(fd);
		errno = saved_errno;
		return io_fail(err, path, "cannot read", ret);
	}
	/* One byte more than allowed tells a full-size file from a larger one. */
	while (len <= MAX_FILE_BYTES) {
		n = read(fd, text + len, MAX_FILE_BYTES + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	ret = n < 0 ? -errno : 0;
	close(fd);
	if (!ret && len > MAX_FILE_BYTES)
		ret = -EFBIG;
	if (ret)
		ret = io_fail(err, path, "cannot read", ret);
	else
		ret = sw_policy_config_parse(cfg, path, text, len, err);
	free(text);
	errno = saved_errno;
	return ret;
}
