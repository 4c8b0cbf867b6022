/* SPDX-License-Identifier: MIT */
/*
 * SEA events as JSON lines (schema version SW_EVENT_VERSION, documented in
 * docs/events.md).  The decoded fault is embedded as the object
 * sw_sea_to_json() renders, so its keys are the decoder's (docs/decode.md).
 */
#include <errno.h>
#include <inttypes.h>
#include <unistd.h>

#include <seawall/events.h>

#include "compiler.h"
#include "strbuf.h"
#include "timefmt.h"
#include "utf8.h"

SW_EXPORT const char *sw_event_outcome_name(enum sw_event_outcome outcome)
{
	switch (outcome) {
	case SW_OUTCOME_LOGGED:
		return "logged";
	case SW_OUTCOME_NOTIFIED:
		return "notified";
	case SW_OUTCOME_RETRIED:
		return "retried";
	case SW_OUTCOME_OFFLINED:
		return "offlined";
	case SW_OUTCOME_FALLBACK:
		return "fallback";
	case SW_OUTCOME_INJECTED:
		return "injected";
	case SW_OUTCOME_CONTAINED:
		return "contained";
	case SW_OUTCOME_RESTARTED:
		return "restarted";
	case SW_OUTCOME_STOPPED:
		return "stopped";
	case SW_OUTCOME_FAILED:
		return "failed";
	}
	return "unknown";
}

SW_EXPORT enum sw_event_outcome sw_event_outcome_of(const struct sw_policy_decision *d)
{
	uint32_t a = d->actions;

	if (a & SW_ACT_STOP)
		return SW_OUTCOME_STOPPED;
	if (a & SW_ACT_RESTART)
		return SW_OUTCOME_RESTARTED;
	if (d->reason == SW_REASON_OFFLINED)
		return SW_OUTCOME_OFFLINED;
	if (d->reason == SW_REASON_NOTIFY_EXPIRED || d->reason == SW_REASON_NOTIFY_FAILED ||
	    d->reason == SW_REASON_CONSUMED_AGAIN)
		return SW_OUTCOME_FALLBACK;
	if (a & SW_ACT_NOTIFY)
		return SW_OUTCOME_NOTIFIED;
	if (a & SW_ACT_RETRY)
		return SW_OUTCOME_RETRIED;
	if (a & SW_ACT_INJECT)
		return SW_OUTCOME_INJECTED;
	if (a & (SW_ACT_FENCE | SW_ACT_REPLACE))
		return SW_OUTCOME_CONTAINED;
	return SW_OUTCOME_LOGGED;
}

SW_EXPORT void sw_event_set_decision(struct sw_event *ev, const struct sw_policy_decision *d)
{
	ev->actions = d->actions;
	ev->reason = d->reason;
	ev->escalation = d->escalation;
	ev->page_valid = d->page_valid;
	ev->page = d->page;
	ev->distinct_pages = d->distinct_pages;
	ev->outcome = sw_event_outcome_of(d);
}

static void key(struct sw_strbuf *sb, const char *name)
{
	sw_strbuf_puts(sb, ",\"");
	sw_strbuf_puts(sb, name);
	sw_strbuf_puts(sb, "\":");
}

static void hex_or_null(struct sw_strbuf *sb, const char *name, bool valid, uint64_t v)
{
	key(sb, name);
	sw_strbuf_json_hex(sb, valid, v);
}

static void string_or_null(struct sw_strbuf *sb, const char *name, const char *s)
{
	key(sb, name);
	if (s)
		sw_strbuf_json_string(sb, s);
	else
		sw_strbuf_puts(sb, "null");
}

/* ISO 8601 UTC with nanoseconds: "2026-11-22T10:00:00.123456789Z". */
static void iso_time(struct sw_strbuf *sb, uint64_t ns)
{
	char t[SW_TIME_LEN];

	if (sw_format_time(t, ns)) {
		sw_strbuf_puts(sb, "\"");
		sw_strbuf_puts(sb, t);
		sw_strbuf_puts(sb, "\"");
	} else {
		sw_strbuf_puts(sb, "null");
	}
}

/* A JSON array of the names of the bits set in @bits. */
static void names(struct sw_strbuf *sb, const char *name, uint32_t bits,
		  const char *(*name_of)(uint32_t bit), unsigned int nbits)
{
	bool first = true;

	key(sb, name);
	sw_strbuf_puts(sb, "[");
	for (unsigned int i = 0; i < nbits; i++) {
		if (!(bits & (1u << i)))
			continue;
		sw_strbuf_puts(sb, first ? "\"" : ",\"");
		sw_strbuf_puts(sb, name_of(1u << i));
		sw_strbuf_puts(sb, "\"");
		first = false;
	}
	sw_strbuf_puts(sb, "]");
}

static const char *escalation_name(uint32_t bit)
{
	return bit == SW_ESC_MAX_PAGES ? "max_pages" : bit == SW_ESC_RATE ? "rate" : "unknown";
}

SW_EXPORT int sw_event_to_json(const struct sw_event *ev, char *buf, size_t size)
{
	const struct sw_sea *sea = ev ? ev->sea : NULL;
	const char *vm;
	struct sw_strbuf sb;
	int n;

	if (!sea)
		return -EINVAL;
	vm = ev->vm ? ev->vm : "";
	if (!sw_utf8_valid(vm) || (ev->strategy && !sw_utf8_valid(ev->strategy)))
		return -EINVAL;
	sw_strbuf_init(&sb, buf, size);
	sw_strbuf_printf(&sb, "{\"version\":%d,\"time_ns\":%" PRIu64 ",\"time\":", SW_EVENT_VERSION,
			 ev->time_ns);
	iso_time(&sb, ev->time_ns);
	key(&sb, "vm");
	sw_strbuf_json_string(&sb, vm);
	key(&sb, "vcpu");
	if (ev->vcpu >= 0)
		sw_strbuf_printf(&sb, "%d", ev->vcpu);
	else
		sw_strbuf_puts(&sb, "null");
	string_or_null(&sb, "source", sw_sea_source_name(sea->source));
	string_or_null(&sb, "type", sw_abort_type_name(sea->type));
	string_or_null(&sb, "class", sw_fsc_class_name(sea->fsc_class));
	key(&sb, "guest_el");
	if (ev->guest_el >= 0)
		sw_strbuf_printf(&sb, "%d", ev->guest_el);
	else
		sw_strbuf_puts(&sb, "null");
	hex_or_null(&sb, "gva", sea->gva_valid, sea->gva);
	hex_or_null(&sb, "gpa", sea->gpa_valid, sea->gpa);
	hex_or_null(&sb, "page", ev->page_valid, ev->page);
	key(&sb, "fault");
	/* The decoder's object, written straight into the remaining room. */
	n = sw_sea_to_json(sea, sb.len < sb.size ? sb.buf + sb.len : NULL,
			   sb.len < sb.size ? sb.size - sb.len : 0);
	if (n < 0)
		return n;
	sb.len += (size_t)n;
	names(&sb, "actions", ev->actions, sw_action_name, 8);
	string_or_null(&sb, "reason", ev->reason ? sw_policy_reason_name(ev->reason) : NULL);
	names(&sb, "escalation", ev->escalation, escalation_name, 2);
	string_or_null(&sb, "strategy", ev->strategy);
	sw_strbuf_printf(&sb, ",\"ioctls\":%u,\"handling_ns\":%" PRIu64, ev->ioctls,
			 ev->handling_ns);
	string_or_null(&sb, "outcome", sw_event_outcome_name(ev->outcome));
	sw_strbuf_printf(&sb, ",\"distinct_pages\":%u}", ev->distinct_pages);
	return sw_strbuf_result(&sb);
}

SW_EXPORT int sw_event_write(int fd, const struct sw_event *ev)
{
	char line[SW_EVENT_LINE_MAX];
	int saved_errno = errno; /* the library never changes errno */
	ssize_t written;
	int n;

	n = sw_event_to_json(ev, line, sizeof(line));
	if (n < 0)
		return n;
	if ((size_t)n + 1 >= sizeof(line))
		return -EMSGSIZE;
	line[n++] = '\n';
	do
		written = write(fd, line, (size_t)n);
	while (written < 0 && errno == EINTR);
	n = written < 0 ? -errno : written == n ? 0 : -EIO;
	errno = saved_errno;
	return n;
}

SW_EXPORT int sw_event_fd_sink(const struct sw_event *event, void *arg)
{
	return arg ? sw_event_write(*(const int *)arg, event) : -EINVAL;
}
