/* SPDX-License-Identifier: MIT */
/*
 * seawall/notify.h - the notification protocol between a VMM and the guest
 * agent (seawall-agent), version 1.
 *
 * A VMM that cannot inject an SEA the guest kernel can recover from tells
 * the guest which page is bad instead; the agent makes the guest kernel
 * take the page out of service (hard_offline_page) and answers.  The
 * channel is a byte stream (a dedicated 16550 port in seawall-vmm) carrying
 * ASCII lines, each at most SW_NOTIFY_LINE_MAX bytes with its '\n':
 *
 *   agent -> VMM   HELLO <version> <page_size>      the agent (re)started
 *   VMM -> agent   WELCOME <version>                 session established
 *   VMM -> agent   POISON <seq> <gpa> <npages>       pages gpa .. gpa + npages * page_size
 *   agent -> VMM   OFFLINED <seq> <gpa>              one page is out of service
 *   agent -> VMM   FAILED <seq> <gpa> <reason>       one page could not be offlined
 *   agent -> VMM   BEAT <n>                          heartbeat, every SW_NOTIFY_BEAT_MS
 *
 * Numbers are decimal except <gpa>, which is 0x-prefixed hex. <reason> is
 * one token: busy, kernel, invalid, unsupported, io, permission, or other.
 * Anything else on the line is an error the receiver counts and ignores, so
 * garbage, partial lines and a restarted agent never wedge the channel.
 * docs/agent.md describes the protocol and its rationale.
 */
#ifndef SEAWALL_NOTIFY_H
#define SEAWALL_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SW_NOTIFY_VERSION     1
#define SW_NOTIFY_LINE_MAX    96   /* bytes, including the '\n' */
#define SW_NOTIFY_BEAT_MS     2000 /* agent heartbeat period */
#define SW_NOTIFY_LOST_BEATS  3    /* missed beats after which the agent is gone */
#define SW_NOTIFY_MAX_PENDING 16   /* notifications a session tracks at once */
#define SW_NOTIFY_REASON_MAX  16
#define SW_NOTIFY_MAX_PAGES   64   /* pages in one notification (a 256K host page of 4K pages) */

enum sw_notify_type {
	SW_NOTIFY_HELLO = 1,
	SW_NOTIFY_WELCOME,
	SW_NOTIFY_POISON,
	SW_NOTIFY_OFFLINED,
	SW_NOTIFY_FAILED,
	SW_NOTIFY_BEAT,
};

/* One protocol message; the fields a type does not use are zero. */
struct sw_notify_msg {
	enum sw_notify_type type;
	uint32_t version;   /* HELLO, WELCOME */
	uint64_t page_size; /* HELLO */
	uint64_t seq;       /* POISON, OFFLINED, FAILED; BEAT's counter */
	uint64_t gpa;       /* POISON, OFFLINED, FAILED */
	uint32_t npages;    /* POISON */
	char reason[SW_NOTIFY_REASON_MAX]; /* FAILED */
};

/*
 * sw_notify_parse - parse one line (with or without its '\n').
 *
 * Returns 0; -EINVAL with @why for anything that is not exactly one valid
 * message: unknown verb, missing or extra fields, a number that is not in
 * the form above or does not fit, an unknown reason, a line longer than
 * SW_NOTIFY_LINE_MAX.  Alignment of addresses is the session's business.
 */
int sw_notify_parse(const char *line, size_t len, struct sw_notify_msg *msg, const char **why);

/*
 * sw_notify_format - the line for @msg, '\n' included, snprintf-style.
 *
 * Returns the length, or -EINVAL for an invalid message (unknown type,
 * npages 0, a reason that is not one token).
 */
int sw_notify_format(const struct sw_notify_msg *msg, char *buf, size_t size);

/*
 * Line assembly from a byte stream.  Bytes are buffered until '\n'; a line
 * longer than SW_NOTIFY_LINE_MAX is dropped up to the next '\n' and
 * counted; NUL bytes and '\r' are dropped.
 */
struct sw_notify_reader {
	char buf[SW_NOTIFY_LINE_MAX];
	size_t len;
	bool overlong;
	uint64_t overlong_lines;
};

typedef void (*sw_notify_line_fn)(const char *line, size_t len, void *arg);

void sw_notify_reader_init(struct sw_notify_reader *r);
/* Returns the number of complete lines passed to @fn. */
size_t sw_notify_reader_feed(struct sw_notify_reader *r, const void *data, size_t n,
			     sw_notify_line_fn fn, void *arg);

/* What the VMM knows about one notified page. */
enum sw_notify_state {
	SW_NOTIFY_UNKNOWN = 0, /* never notified (or forgotten) */
	SW_NOTIFY_PENDING,     /* sent, no answer yet */
	SW_NOTIFY_DONE,        /* the agent offlined every page of the notification */
	SW_NOTIFY_REFUSED,     /* the agent failed at least one page */
};

struct sw_notify_pending {
	uint64_t seq;
	uint64_t gpa;
	uint32_t npages;
	uint32_t offlined;
	uint32_t failed;
	uint64_t answered; /* bit i: page i has been answered */
	uint64_t sent_ns;
	char reason[SW_NOTIFY_REASON_MAX]; /* the first failure's reason */
};

/*
 * The VMM side of one channel.  Not thread safe: the VMM serialises calls
 * (the lock is never held across an ioctl).  No allocation.
 */
struct sw_notify_session {
	bool connected;
	uint32_t version;
	uint64_t page_size;
	uint64_t last_heard_ns;
	uint64_t next_seq;
	struct sw_notify_pending pending[SW_NOTIFY_MAX_PENDING];
	struct sw_notify_reader reader;
	uint64_t hellos;   /* HELLOs seen: > 1 means the agent restarted */
	uint64_t garbage;  /* lines that did not parse or made no sense */
	uint64_t beats;
};

/*
 * Called for every line the session wants to send to the agent (WELCOME
 * after a HELLO, and the POISON lines re-sent after an agent restart).
 */
typedef void (*sw_notify_send_fn)(const char *line, size_t len, void *arg);

void sw_notify_session_init(struct sw_notify_session *s);

/*
 * sw_notify_session_feed - bytes received from the agent, at @now_ns
 * (CLOCK_MONOTONIC).  Replies go through @send.
 *
 * Returns the number of lines that were valid messages.
 */
size_t sw_notify_session_feed(struct sw_notify_session *s, const void *data, size_t n,
			      uint64_t now_ns, sw_notify_send_fn send, void *arg);

/*
 * sw_notify_session_alive - true if an agent said HELLO with our version
 * and has been heard within SW_NOTIFY_LOST_BEATS heartbeats of @now_ns.
 */
bool sw_notify_session_alive(const struct sw_notify_session *s, uint64_t now_ns);

/*
 * sw_notify_session_poison - start (or find) the notification for @gpa.
 * @gpa must be aligned to the agent's page size; @npages >= 1.
 * If a notification for the same gpa is already tracked, nothing is sent
 * and its state is returned through @state.  Otherwise the POISON line is
 * written to @line (size >= SW_NOTIFY_LINE_MAX) for the caller to send.
 *
 * Returns the line length (> 0) when a new notification must be sent, 0
 * when one already exists, -ENOTCONN if no live agent, -EINVAL for a
 * misaligned gpa or npages not in 1..SW_NOTIFY_MAX_PAGES, -ENOSPC if
 * SW_NOTIFY_MAX_PENDING notifications are tracked already (forget some).
 */
int sw_notify_session_poison(struct sw_notify_session *s, uint64_t gpa, uint32_t npages,
			     uint64_t now_ns, char *line, size_t size,
			     enum sw_notify_state *state);

/*
 * sw_notify_session_state - the state of the notification covering @gpa,
 * and, if @p is not NULL, a copy of its record.
 */
enum sw_notify_state sw_notify_session_state(const struct sw_notify_session *s, uint64_t gpa,
					     struct sw_notify_pending *p);

/* Forget the notification covering @gpa (after the VMM acted on it). */
void sw_notify_session_forget(struct sw_notify_session *s, uint64_t gpa);

const char *sw_notify_state_name(enum sw_notify_state state);

#ifdef __cplusplus
}
#endif

#endif
