/* SPDX-License-Identifier: MIT */
/*
 * The VMM <-> guest agent notification protocol (include/seawall/notify.h):
 * message codec, line assembly and the VMM-side session.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <seawall/notify.h>

#include "compiler.h"
#include "strbuf.h"

#define NS_PER_MS 1000000ull

static const char *const verbs[] = {
	[SW_NOTIFY_HELLO] = "HELLO",       [SW_NOTIFY_WELCOME] = "WELCOME",
	[SW_NOTIFY_POISON] = "POISON",     [SW_NOTIFY_OFFLINED] = "OFFLINED",
	[SW_NOTIFY_FAILED] = "FAILED",     [SW_NOTIFY_BEAT] = "BEAT",
};

/* Fields after the verb, per type. */
static const unsigned nfields[] = {
	[SW_NOTIFY_HELLO] = 2,    [SW_NOTIFY_WELCOME] = 1, [SW_NOTIFY_POISON] = 3,
	[SW_NOTIFY_OFFLINED] = 2, [SW_NOTIFY_FAILED] = 3,  [SW_NOTIFY_BEAT] = 1,
};

static const char *const reasons[] = {
	"busy", "kernel", "invalid", "unsupported", "io", "permission", "other",
};

static bool reason_valid(const char *r)
{
	for (size_t i = 0; i < SW_ARRAY_SIZE(reasons); i++)
		if (!strcmp(r, reasons[i]))
			return true;
	return false;
}

struct token {
	const char *p;
	size_t len;
};

static bool token_is(const struct token *t, const char *s)
{
	return strlen(s) == t->len && !memcmp(t->p, s, t->len);
}

/* Decimal, no sign, no leading zeros beyond "0", fits in 64 bits. */
static bool parse_dec(const struct token *t, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (t->len == 0 || t->len > 20 || (t->len > 1 && t->p[0] == '0'))
		return false;
	for (size_t i = 0; i < t->len; i++) {
		unsigned d = (unsigned)(t->p[i] - '0');

		if (d > 9 || v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* "0x" and 1 to 16 hex digits. */
static bool parse_hex(const struct token *t, uint64_t *out)
{
	uint64_t v = 0;

	if (t->len < 3 || t->len > 18 || t->p[0] != '0' || t->p[1] != 'x')
		return false;
	for (size_t i = 2; i < t->len; i++) {
		char c = t->p[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

SW_EXPORT int sw_notify_parse(const char *line, size_t len, struct sw_notify_msg *msg,
			      const char **why)
{
	struct token tok[5];
	unsigned n = 0;
	size_t i = 0;
	uint64_t v;
	const char *err = NULL;

	memset(msg, 0, sizeof(*msg));
	if (len && line[len - 1] == '\n')
		len--;
	if (len >= SW_NOTIFY_LINE_MAX) {
		err = "line too long";
		goto bad;
	}
	/* Tokens separated by exactly one space; nothing else is accepted. */
	while (i < len) {
		size_t start = i;

		while (i < len && line[i] != ' ')
			i++;
		if (i == start || n == SW_ARRAY_SIZE(tok)) {
			err = i == start ? "empty field (double or leading space)" : "too many fields";
			goto bad;
		}
		tok[n].p = line + start;
		tok[n++].len = i - start;
		if (i < len && ++i == len) {
			err = "trailing space";
			goto bad;
		}
	}
	if (n == 0) {
		err = "empty line";
		goto bad;
	}
	for (unsigned t = SW_NOTIFY_HELLO; t <= SW_NOTIFY_BEAT; t++)
		if (token_is(&tok[0], verbs[t]))
			msg->type = (enum sw_notify_type)t;
	if (!msg->type) {
		err = "unknown verb";
		goto bad;
	}
	if (n - 1 != nfields[msg->type]) {
		err = n - 1 < nfields[msg->type] ? "missing field" : "too many fields";
		goto bad;
	}
	switch (msg->type) {
	case SW_NOTIFY_HELLO:
		if (!parse_dec(&tok[1], UINT32_MAX, &v) || !parse_dec(&tok[2], UINT64_MAX,
								       &msg->page_size)) {
			err = "HELLO wants <version> <page_size> in decimal";
			goto bad;
		}
		msg->version = (uint32_t)v;
		break;
	case SW_NOTIFY_WELCOME:
		if (!parse_dec(&tok[1], UINT32_MAX, &v)) {
			err = "WELCOME wants <version> in decimal";
			goto bad;
		}
		msg->version = (uint32_t)v;
		break;
	case SW_NOTIFY_POISON:
		if (!parse_dec(&tok[1], UINT64_MAX, &msg->seq) || !parse_hex(&tok[2], &msg->gpa) ||
		    !parse_dec(&tok[3], UINT32_MAX, &v) || v == 0) {
			err = "POISON wants <seq> <0xgpa> <npages >= 1>";
			goto bad;
		}
		msg->npages = (uint32_t)v;
		break;
	case SW_NOTIFY_OFFLINED:
	case SW_NOTIFY_FAILED:
		if (!parse_dec(&tok[1], UINT64_MAX, &msg->seq) || !parse_hex(&tok[2], &msg->gpa)) {
			err = "OFFLINED/FAILED want <seq> <0xgpa>";
			goto bad;
		}
		if (msg->type == SW_NOTIFY_FAILED) {
			if (tok[3].len >= sizeof(msg->reason)) {
				err = "unknown FAILED reason";
				goto bad;
			}
			memcpy(msg->reason, tok[3].p, tok[3].len);
			msg->reason[tok[3].len] = '\0';
			if (!reason_valid(msg->reason)) {
				err = "unknown FAILED reason";
				goto bad;
			}
		}
		break;
	case SW_NOTIFY_BEAT:
		if (!parse_dec(&tok[1], UINT64_MAX, &msg->seq)) {
			err = "BEAT wants <n> in decimal";
			goto bad;
		}
		break;
	}
	return 0;
bad:
	if (why)
		*why = err;
	memset(msg, 0, sizeof(*msg));
	return -EINVAL;
}

SW_EXPORT int sw_notify_format(const struct sw_notify_msg *msg, char *buf, size_t size)
{
	struct sw_strbuf sb;

	sw_strbuf_init(&sb, buf, size);
	switch (msg->type) {
	case SW_NOTIFY_HELLO:
		sw_strbuf_printf(&sb, "HELLO %" PRIu32 " %" PRIu64 "\n", msg->version,
				 msg->page_size);
		break;
	case SW_NOTIFY_WELCOME:
		sw_strbuf_printf(&sb, "WELCOME %" PRIu32 "\n", msg->version);
		break;
	case SW_NOTIFY_POISON:
		if (!msg->npages)
			return -EINVAL;
		sw_strbuf_printf(&sb, "POISON %" PRIu64 " 0x%" PRIx64 " %" PRIu32 "\n", msg->seq,
				 msg->gpa, msg->npages);
		break;
	case SW_NOTIFY_OFFLINED:
		sw_strbuf_printf(&sb, "OFFLINED %" PRIu64 " 0x%" PRIx64 "\n", msg->seq, msg->gpa);
		break;
	case SW_NOTIFY_FAILED:
		if (!reason_valid(msg->reason))
			return -EINVAL;
		sw_strbuf_printf(&sb, "FAILED %" PRIu64 " 0x%" PRIx64 " %s\n", msg->seq, msg->gpa,
				 msg->reason);
		break;
	case SW_NOTIFY_BEAT:
		sw_strbuf_printf(&sb, "BEAT %" PRIu64 "\n", msg->seq);
		break;
	default:
		return -EINVAL;
	}
	return sw_strbuf_result(&sb);
}

SW_EXPORT void sw_notify_reader_init(struct sw_notify_reader *r)
{
	memset(r, 0, sizeof(*r));
}

SW_EXPORT size_t sw_notify_reader_feed(struct sw_notify_reader *r, const void *data, size_t n,
				       sw_notify_line_fn fn, void *arg)
{
	const unsigned char *p = data;
	size_t lines = 0;

	for (size_t i = 0; i < n; i++) {
		char c = (char)p[i];

		if (c == '\0' || c == '\r')
			continue;
		if (c == '\n') {
			if (!r->overlong) {
				fn(r->buf, r->len, arg);
				lines++;
			}
			r->len = 0;
			r->overlong = false;
			continue;
		}
		if (r->overlong)
			continue;
		/* Leave room for the '\n' the limit counts. */
		if (r->len + 1 >= SW_NOTIFY_LINE_MAX) {
			r->overlong = true;
			r->overlong_lines++;
			continue;
		}
		r->buf[r->len++] = c;
	}
	return lines;
}

SW_EXPORT void sw_notify_session_init(struct sw_notify_session *s)
{
	memset(s, 0, sizeof(*s));
	sw_notify_reader_init(&s->reader);
	s->next_seq = 1;
}

static struct sw_notify_pending *pending_find(const struct sw_notify_session *s, uint64_t gpa)
{
	for (size_t i = 0; i < SW_NOTIFY_MAX_PENDING; i++) {
		const struct sw_notify_pending *p = &s->pending[i];

		if (p->npages && s->page_size && gpa >= p->gpa &&
		    (gpa - p->gpa) / s->page_size < p->npages)
			return (struct sw_notify_pending *)p;
	}
	return NULL;
}

static struct sw_notify_pending *pending_by_seq(struct sw_notify_session *s, uint64_t seq)
{
	for (size_t i = 0; i < SW_NOTIFY_MAX_PENDING; i++)
		if (s->pending[i].npages && s->pending[i].seq == seq)
			return &s->pending[i];
	return NULL;
}

static enum sw_notify_state pending_state(const struct sw_notify_pending *p)
{
	if (!p)
		return SW_NOTIFY_UNKNOWN;
	if (p->failed)
		return SW_NOTIFY_REFUSED;
	if (p->offlined == p->npages)
		return SW_NOTIFY_DONE;
	return SW_NOTIFY_PENDING;
}

static int format_poison(const struct sw_notify_pending *p, char *line, size_t size)
{
	struct sw_notify_msg m = {
		.type = SW_NOTIFY_POISON, .seq = p->seq, .gpa = p->gpa, .npages = p->npages,
	};

	return sw_notify_format(&m, line, size);
}

struct feed_ctx {
	struct sw_notify_session *s;
	uint64_t now_ns;
	sw_notify_send_fn send;
	void *arg;
	size_t valid;
};

/* One answer about one page of a notification. */
static bool session_answer(struct sw_notify_session *s, const struct sw_notify_msg *m)
{
	struct sw_notify_pending *p = pending_by_seq(s, m->seq);
	uint64_t bit;

	if (!p || m->gpa < p->gpa || (m->gpa - p->gpa) % s->page_size ||
	    (m->gpa - p->gpa) / s->page_size >= p->npages)
		return false;
	bit = 1ull << ((m->gpa - p->gpa) / s->page_size);
	if (p->answered & bit)
		return false;
	p->answered |= bit;
	if (m->type == SW_NOTIFY_OFFLINED) {
		p->offlined++;
	} else {
		if (!p->failed)
			memcpy(p->reason, m->reason, sizeof(p->reason));
		p->failed++;
	}
	return true;
}

static void session_line(const char *line, size_t len, void *arg)
{
	struct feed_ctx *c = arg;
	struct sw_notify_session *s = c->s;
	struct sw_notify_msg m;
	char out[SW_NOTIFY_LINE_MAX];
	int n;

	if (sw_notify_parse(line, len, &m, NULL)) {
		s->garbage++;
		return;
	}
	switch (m.type) {
	case SW_NOTIFY_HELLO:
		s->hellos++;
		if (m.version != SW_NOTIFY_VERSION || !m.page_size ||
		    (m.page_size & (m.page_size - 1))) {
			/* Not ours to talk to: stay disconnected and say nothing. */
			s->connected = false;
			s->garbage++;
			return;
		}
		s->connected = true;
		s->version = m.version;
		s->page_size = m.page_size;
		s->last_heard_ns = c->now_ns;
		m = (struct sw_notify_msg){ .type = SW_NOTIFY_WELCOME, .version = SW_NOTIFY_VERSION };
		n = sw_notify_format(&m, out, sizeof(out));
		c->send(out, (size_t)n, c->arg);
		/*
		 * A restarted agent lost whatever it was doing: send every
		 * unanswered notification again, as it was.
		 */
		for (size_t i = 0; i < SW_NOTIFY_MAX_PENDING; i++) {
			struct sw_notify_pending *p = &s->pending[i];

			if (pending_state(p) != SW_NOTIFY_PENDING)
				continue;
			p->offlined = 0;
			p->answered = 0;
			n = format_poison(p, out, sizeof(out));
			c->send(out, (size_t)n, c->arg);
		}
		break;
	case SW_NOTIFY_BEAT:
		if (!s->connected) {
			s->garbage++;
			return;
		}
		s->beats++;
		s->last_heard_ns = c->now_ns;
		break;
	case SW_NOTIFY_OFFLINED:
	case SW_NOTIFY_FAILED:
		if (!s->connected || !session_answer(s, &m)) {
			s->garbage++;
			return;
		}
		s->last_heard_ns = c->now_ns;
		break;
	default:
		/* WELCOME and POISON go the other way. */
		s->garbage++;
		return;
	}
	c->valid++;
}

SW_EXPORT size_t sw_notify_session_feed(struct sw_notify_session *s, const void *data, size_t n,
					uint64_t now_ns, sw_notify_send_fn send, void *arg)
{
	struct feed_ctx c = { .s = s, .now_ns = now_ns, .send = send, .arg = arg };

	sw_notify_reader_feed(&s->reader, data, n, session_line, &c);
	return c.valid;
}

SW_EXPORT bool sw_notify_session_alive(const struct sw_notify_session *s, uint64_t now_ns)
{
	uint64_t limit = (uint64_t)SW_NOTIFY_LOST_BEATS * SW_NOTIFY_BEAT_MS * NS_PER_MS;

	/* Times come from several vCPU threads: one slightly behind is not silence. */
	return s->connected && (now_ns <= s->last_heard_ns || now_ns - s->last_heard_ns <= limit);
}

SW_EXPORT int sw_notify_session_poison(struct sw_notify_session *s, uint64_t gpa, uint32_t npages,
				       uint64_t now_ns, char *line, size_t size,
				       enum sw_notify_state *state)
{
	struct sw_notify_pending *p;

	if (!sw_notify_session_alive(s, now_ns))
		return -ENOTCONN;
	if (!npages || npages > SW_NOTIFY_MAX_PAGES || gpa % s->page_size)
		return -EINVAL;
	p = pending_find(s, gpa);
	if (p) {
		if (state)
			*state = pending_state(p);
		return 0;
	}
	for (size_t i = 0; i < SW_NOTIFY_MAX_PENDING && !p; i++)
		if (!s->pending[i].npages)
			p = &s->pending[i];
	if (!p)
		return -ENOSPC;
	*p = (struct sw_notify_pending){
		.seq = s->next_seq++, .gpa = gpa, .npages = npages, .sent_ns = now_ns,
	};
	if (state)
		*state = SW_NOTIFY_PENDING;
	return format_poison(p, line, size);
}

SW_EXPORT enum sw_notify_state sw_notify_session_state(const struct sw_notify_session *s,
						       uint64_t gpa, struct sw_notify_pending *out)
{
	const struct sw_notify_pending *p = pending_find(s, gpa);

	if (p && out)
		*out = *p;
	return pending_state(p);
}

SW_EXPORT void sw_notify_session_forget(struct sw_notify_session *s, uint64_t gpa)
{
	struct sw_notify_pending *p = pending_find(s, gpa);

	if (p)
		memset(p, 0, sizeof(*p));
}

SW_EXPORT const char *sw_notify_state_name(enum sw_notify_state state)
{
	switch (state) {
	case SW_NOTIFY_UNKNOWN:
		return "unknown";
	case SW_NOTIFY_PENDING:
		return "pending";
	case SW_NOTIFY_DONE:
		return "done";
	case SW_NOTIFY_REFUSED:
		return "refused";
	}
	return "invalid";
}
