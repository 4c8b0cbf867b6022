/* SPDX-License-Identifier: MIT */
/*
 * seawall/policy.h - decide what to do about each SEA a VM takes.
 *
 * A VMM hands every decoded SEA (struct sw_sea) to sw_policy_decide()
 * together with the guest EL it was taken from, what the VMM is able to
 * do (sw_policy_cap) and the time, and gets back a struct
 * sw_policy_decision: the actions to carry out, in order, and every
 * parameter they need (page, deadline, back-off).  The policy keeps the
 * per-VM state the decisions depend on: which guest pages are known bad,
 * which of them the guest is being told about, and a leaky bucket of the
 * event rate.  It never reads a clock; the caller passes the time, so a
 * journal of past events rebuilds the same state (sw_policy_replay()).
 *
 * The containment options, and why each exists, are measured facts
 * (docs/policy.md): telling the guest which page is bad (NOTIFY) keeps a
 * guest without firmware-first RAS alive, injecting the SEA alone does not;
 * after injecting, a page is FENCEd (never mapped again) or REPLACEd (fresh
 * zeroed backing); past a number of distinct pages or an event rate the VM
 * is RESTARTed or STOPped.
 *
 * The configuration (struct sw_policy_config) is read from a small text
 * file, documented in docs/policy.md: sw_policy_config_parse(),
 * sw_policy_config_load(), sw_policy_config_dump().
 */
#ifndef SEAWALL_POLICY_H
#define SEAWALL_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <seawall/sea.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sw_journal_record; /* seawall/journal.h */

/* The configuration file format this library reads ("version = 1"). */
#define SW_POLICY_VERSION 1

/*
 * What to do, as bits of sw_policy_decision.actions.  A decision's bits are
 * carried out in the order of their values: tell the guest, re-enter or
 * inject, contain the page, then restart or stop the VM.  The same values
 * name the choices of the configuration keys.
 */
enum sw_action {
	SW_ACT_LOG = 1u << 0,	  /* nothing to do beyond recording the event */
	SW_ACT_NOTIFY = 1u << 1,  /* tell the guest the page is bad (agent or GHES) */
	SW_ACT_RETRY = 1u << 2,	  /* re-enter the vCPU without injecting, at resume_at_ns */
	SW_ACT_INJECT = 1u << 3,  /* inject the SEA into the faulting vCPU */
	SW_ACT_FENCE = 1u << 4,	  /* never map the page into the guest again */
	SW_ACT_REPLACE = 1u << 5, /* back the page with a fresh zeroed host page */
	SW_ACT_RESTART = 1u << 6, /* restart the VM (its bad pages get fresh memory) */
	SW_ACT_STOP = 1u << 7,	  /* stop the VM and leave it for the operator */
};
#define SW_ACT_ALL 0xffu

/*
 * What the VMM can do, passed with each event.  Injecting and stopping are
 * always possible (seawall's ONE_REG injection works on every arm64 KVM);
 * a VMM without one of these gets the documented alternative instead
 * (sw_policy_decision.unavailable says what was replaced).
 */
enum sw_policy_cap {
	SW_CAN_NOTIFY = 1u << 0,  /* a guest agent or GHES can tell the guest */
	SW_CAN_FENCE = 1u << 1,	  /* the VMM can unmap a page from the guest for good */
	SW_CAN_REPLACE = 1u << 2, /* the VMM can back a guest page with a fresh page */
	SW_CAN_RESTART = 1u << 3, /* the VMM can restart the VM */
};
#define SW_CAN_ALL (SW_CAN_NOTIFY | SW_CAN_FENCE | SW_CAN_REPLACE | SW_CAN_RESTART)

/* sw_policy_event.guest_el when the VMM does not know it (treated as EL1). */
#define SW_GUEST_EL_UNKNOWN (-1)

/* The rule that chose a decision (sw_policy_reason_name() gives its name). */
enum sw_policy_reason {
	SW_REASON_USER_FAULT = 1, /* guest EL0 consumed the page: key user_fault */
	SW_REASON_KERNEL_FAULT,	  /* guest EL1/EL2 or its translation tables: kernel_fault */
	SW_REASON_UNCONTAINABLE,  /* ESR.SET says UC: key uncontainable */
	SW_REASON_UNCONSUMED,	  /* SIGBUS BUS_MCEERR_AO: key unconsumed */
	SW_REASON_UNKNOWN_PAGE,	  /* no guest page for the fault: key unknown_page */
	SW_REASON_NOTIFY_PENDING, /* repeated exit on a page the guest is being told about */
	SW_REASON_NOTIFY_EXPIRED, /* the guest did not offline the page by the deadline */
	SW_REASON_NOTIFY_FAILED,  /* the notification could not be delivered or failed */
	SW_REASON_OFFLINED,	  /* the guest reported the page offlined */
	SW_REASON_CONSUMED_AGAIN, /* consumed again after its notification ended or was cut short */
	SW_REASON_KNOWN_PAGE,	  /* SIGBUS AO for a page already known bad */
};

/* Why RESTART or STOP was added to a decision, as bits. */
enum sw_policy_escalation {
	SW_ESC_MAX_PAGES = 1u << 0, /* more distinct bad pages than max_pages */
	SW_ESC_RATE = 1u << 1,	    /* more events than rate_events per rate_window */
};

/*
 * A policy configuration: sw_policy_config_default() gives the safest
 * choice for each situation, docs/policy.md says why for each key.  The
 * choice fields hold one SW_ACT_* value each, from the set noted.
 */
struct sw_policy_config {
	unsigned int version;		/* SW_POLICY_VERSION */
	enum sw_action user_fault;	/* NOTIFY, INJECT, RESTART, STOP */
	enum sw_action kernel_fault;	/* NOTIFY, INJECT, RESTART, STOP */
	enum sw_action uncontainable;	/* RESTART, STOP */
	enum sw_action unconsumed;	/* NOTIFY, FENCE, LOG */
	enum sw_action unknown_page;	/* INJECT, RESTART, STOP */
	enum sw_action containment;	/* FENCE, REPLACE: after INJECT */
	uint64_t notify_deadline_ns;	/* 1 ms .. 10 min */
	uint64_t notify_backoff_ns;	/* 10 us .. 1 s, below notify_deadline_ns */
	enum sw_action notify_fallback; /* INJECT, RESTART, STOP */
	unsigned int max_pages;		/* 1 .. 65536 distinct bad pages tolerated */
	enum sw_action on_max_pages;	/* RESTART, STOP */
	unsigned int rate_events;	/* 1 .. 1000 events ... */
	uint64_t rate_window_ns;	/* ... per 1 s .. 7 d */
	enum sw_action on_rate;		/* RESTART, STOP */
};

/* A parse error: where, and a message naming the file, line and key. */
struct sw_policy_error {
	unsigned int line; /* 1-based; 0 when the error is not about a line (I/O) */
	char message[256]; /* e.g. "policy.conf:7: key 'containment': 'fenced' is not one of fence,
			      replace" */
};

/*
 * sw_policy_config_default - the defaults: every key at its safest value.
 */
void sw_policy_config_default(struct sw_policy_config *cfg);

/*
 * sw_policy_config_validate - check a configuration built in code.
 * @reason: if not NULL, set to a static string naming the bad key on failure
 *
 * Returns 0, or -EINVAL if a field is out of range or not one of its
 * choices, or notify_backoff_ns is not below notify_deadline_ns.
 */
int sw_policy_config_validate(const struct sw_policy_config *cfg, const char **reason);

/*
 * sw_policy_config_parse - read a policy file's text.
 * @cfg:  set on success to the defaults overridden by the text; left
 *        untouched on failure
 * @name: the name errors show for the text (e.g. "policy.conf")
 * @text, @len: the text; it need not be NUL-terminated
 * @err:  if not NULL, set on failure
 *
 * Returns 0, or -EINVAL with @err naming the line and key: a line that is
 * not "key = value", an unknown or repeated key, a value that is not one of
 * the key's choices, a number out of range or a duration without a known
 * unit, a missing or unsupported "version" (it must be the first setting),
 * or a NUL byte.
 */
int sw_policy_config_parse(struct sw_policy_config *cfg, const char *name, const char *text,
			   size_t len, struct sw_policy_error *err);

/*
 * sw_policy_config_load - read a policy file.
 *
 * As sw_policy_config_parse(), with @path as the name.  Returns 0; -EINVAL
 * for a parse error; -EFBIG for a file over 64 KiB; a negative errno from
 * open() or read() (-ENOENT, -EACCES, -EISDIR, ...), with @err->line 0.
 */
int sw_policy_config_load(struct sw_policy_config *cfg, const char *path,
			  struct sw_policy_error *err);

/*
 * sw_policy_config_dump - the effective configuration, every key, in the
 * file format (sw_policy_config_parse() reads it back to the same struct).
 *
 * Behaves like snprintf: returns the length of the full text (truncated if
 * it is >= @size), or -EINVAL if @cfg does not validate.
 */
int sw_policy_config_dump(const struct sw_policy_config *cfg, char *buf, size_t size);

struct sw_policy;

/*
 * sw_policy_new - a policy for one VM.
 * @page_size: the guest page granule the VMM contains (4096, 16384 or
 *             65536): pages are counted and named aligned to it
 *
 * Allocates its page table (sized from cfg->max_pages) once, here: the
 * other functions never allocate.  All functions on one policy are safe
 * to call from several vCPU threads; a mutex is held only inside each call,
 * never across anything that blocks.
 *
 * Returns 0, -EINVAL for a configuration that does not validate or another
 * page size, or -ENOMEM.
 */
int sw_policy_new(const struct sw_policy_config *cfg, uint64_t page_size,
		  struct sw_policy **policy);
void sw_policy_free(struct sw_policy *policy);

/* One SEA, as the VMM saw it. */
struct sw_policy_event {
	const struct sw_sea *sea; /* decoded: source, gpa, set, fsc_class */
	int guest_el;		  /* 0, 1, 2 or SW_GUEST_EL_UNKNOWN (from PSTATE.EL) */
	unsigned int caps;	  /* SW_CAN_* what the VMM can do now */
	uint64_t now_ns;	  /* the time (CLOCK_REALTIME, as the journal's) */
};

/* What to do about one event, with everything needed to do it. */
struct sw_policy_decision {
	uint32_t actions;     /* SW_ACT_*, carried out in bit order */
	uint32_t unavailable; /* SW_ACT_* chosen but ruled out by caps */
	enum sw_policy_reason reason;
	uint32_t escalation; /* SW_ESC_*: why RESTART/STOP was added */
	bool page_valid;
	uint64_t page; /* the guest page, aligned to page_size */
	uint64_t page_size;
	uint64_t deadline_ns;	     /* NOTIFY/RETRY: the guest must answer by then */
	uint64_t resume_at_ns;	     /* RETRY: re-enter the vCPU no earlier than this */
	bool new_page;		     /* the page was not known bad before */
	unsigned int distinct_pages; /* known bad pages, this one included */
};

/*
 * sw_policy_decide - decide what to do about one SEA.
 *
 * A KVM exit and SIGBUS BUS_MCEERR_AR are consumed faults: a vCPU is
 * waiting on the page.  SIGBUS BUS_MCEERR_AO is not: nobody consumed the
 * page yet, so there is nothing to inject and the page is only told to
 * the guest or fenced, never replaced (its owner would read zeros).  An
 * access to a fenced page (SW_SOURCE_FENCED) is a consumed fault of a page
 * already known: decided by the guest EL rules, never notified, retried or
 * fenced again (notify_fallback in place of notify, with SW_ACT_NOTIFY in
 * decision.unavailable), replaced if containment says so, never counted
 * as a new page (docs/policy.md).
 *
 * Returns 0 with @decision set, or -EINVAL (and @decision untouched) if
 * @event has no sea, a source other than KVM exit, SIGBUS or fenced, a
 * guest_el other than 0..2 or SW_GUEST_EL_UNKNOWN, or unknown caps bits.
 */
int sw_policy_decide(struct sw_policy *policy, const struct sw_policy_event *event,
		     struct sw_policy_decision *decision);

/*
 * sw_policy_notify_result - the guest answered a NOTIFY for @gpa's page,
 * or the VMM could not deliver it.
 * @offlined: true if the guest offlined the page, false if it failed
 *
 * On success the page is done: a later consumption of it is handled as a
 * notification that did not work (reason SW_REASON_CONSUMED_AGAIN,
 * notify_fallback in place of notify).  On failure the decision is the
 * fallback for a page no vCPU is faulting on (as sw_policy_expire()), and
 * the vCPU's next exit on it gets the full fallback.
 *
 * Returns 0 with @decision set, or -ENOENT if the page is not being
 * notified (never was, or its deadline already passed).
 */
int sw_policy_notify_result(struct sw_policy *policy, uint64_t gpa, bool offlined, uint64_t now_ns,
			    unsigned int caps, struct sw_policy_decision *decision);

/*
 * sw_policy_expire - find one page whose notification deadline passed
 * without an answer, for a VMM that keeps a timer (sw_policy_next_deadline).
 *
 * The page's fallback, for a page no vCPU is faulting on now: FENCE when
 * notify_fallback is inject (the vCPU's next exit on it gets INJECT and the
 * containment), RESTART or STOP otherwise.
 *
 * Returns 1 with @decision set, or 0 if no deadline has passed.
 */
int sw_policy_expire(struct sw_policy *policy, uint64_t now_ns, unsigned int caps,
		     struct sw_policy_decision *decision);

/*
 * sw_policy_next_deadline - the earliest pending notification deadline.
 *
 * Returns 0 with *@deadline_ns set, or -ENOENT if nothing is pending.
 */
int sw_policy_next_deadline(struct sw_policy *policy, uint64_t *deadline_ns);

/*
 * sw_policy_restarted - the VMM restarted the VM: its bad pages now have
 * fresh memory, so the known pages and notifications are forgotten.  The
 * rate bucket is kept, so a storm that survives restarts still trips it.
 */
void sw_policy_restarted(struct sw_policy *policy);

/* One past event, as a journal recorded it. */
struct sw_policy_record {
	uint64_t time_ns;
	enum sw_sea_source source; /* KVM exit, SIGBUS AR/AO or fenced */
	bool gpa_valid;
	uint64_t gpa;
	int guest_el;	  /* 0..2 or SW_GUEST_EL_UNKNOWN */
	uint32_t actions; /* the SW_ACT_* the VMM carried out */
};

/*
 * sw_policy_replay - feed one journaled event into the state, oldest
 * first, to rebuild the distinct pages and the rate bucket after a VMM
 * restart.  A record with SW_ACT_RESTART then counts as
 * sw_policy_restarted().  A page whose last record is NOTIFY is pending
 * again with its deadline counted from the record's time.
 *
 * Returns 0, or -EINVAL for a source other than KVM exit, SIGBUS or
 * fenced, a guest_el out of range, or action bits outside SW_ACT_ALL.
 */
int sw_policy_replay(struct sw_policy *policy, const struct sw_policy_record *record);

/*
 * sw_policy_replay_journal - rebuild the state from a poison journal
 * (seawall/journal.h) written with sw_journal_sink(): a
 * sw_journal_options.replay callback whose argument is the policy,
 *
 *	.replay = sw_policy_replay_journal, .replay_arg = policy,
 *
 * called for every record, oldest first, on a policy created with the
 * same configuration:
 *   - EVENT: sw_policy_replay() of its time, source, page, guest EL and
 *     actions (the journal's action bits as SW_ACT_*, without
 *     SW_ACT_RESTART, which the RESTART record after it counts).  An
 *     event from a raw ESR never went through sw_policy_decide(): skipped.
 *   - RESTART: sw_policy_restarted().  So journal one RESTART record each
 *     time the VMM calls sw_policy_restarted() (sw_journal_sink() does for
 *     the restarts the policy decided), and no other.
 *   - SUMMARY and PAGE, from compaction: the folded restarts count in the
 *     stats; a PAGE's page is known bad again if its latest event came
 *     after the latest folded restart, and one that was notified gets the
 *     fallback if consumed again.  Folded events count no incident and
 *     add nothing to the rate bucket, which so starts empty at the first
 *     event kept whole and may hold up to rate_events fewer than the live
 *     one did: compact with a keep window of at least rate_window.
 *
 * Returns 0, or -EINVAL for a NULL argument, an unknown record type or an
 * EVENT sw_policy_replay() refuses (a negative return stops the open).
 */
int sw_policy_replay_journal(const struct sw_journal_record *rec, void *policy);

/* Counters of the policy's state. */
struct sw_policy_stats {
	unsigned int distinct_pages; /* known bad pages since the last restart */
	unsigned int notifying;	     /* pages waiting for the guest's answer */
	unsigned int restarts;	     /* restarts seen (live and replayed) */
	uint64_t incidents;	     /* events that counted towards the rate */
};

void sw_policy_stats(struct sw_policy *policy, struct sw_policy_stats *stats);

/*
 * Static names: sw_action_name() of one SW_ACT_* bit ("notify", ...),
 * sw_policy_reason_name() ("user_fault", ...); "unknown" for other values.
 */
const char *sw_action_name(uint32_t action);
const char *sw_policy_reason_name(enum sw_policy_reason reason);

#ifdef __cplusplus
}
#endif

#endif
