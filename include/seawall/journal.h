/* SPDX-License-Identifier: MIT */
/*
 * seawall/journal.h - the crash-safe poison journal of one VM.
 *
 * An append-only file of fixed-size (64-byte), CRC32C-checksummed records:
 * every SEA event (time, guest page, source, guest EL, actions taken) and
 * every VM restart.  A restarted VMM opens it, gets every record back
 * through a callback, and so starts with the same poison history, distinct
 * pages and event times (for a rate window) as before.  Compaction folds
 * old events into one record per page, keeping what a policy needs.
 *
 * The format, the damage outcomes and what each sync mode guarantees are
 * documented byte by byte in docs/journal.md.
 */
#ifndef SEAWALL_JOURNAL_H
#define SEAWALL_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sw_registry;
struct sw_journal;
struct sw_event; /* seawall/events.h */

/* The only on-disk format version this library reads and writes. */
#define SW_JOURNAL_VERSION 1

enum sw_journal_record_type {
	SW_JOURNAL_EVENT = 1,	/* one SEA event (appended) */
	SW_JOURNAL_RESTART = 2, /* the VM was restarted (appended) */
	SW_JOURNAL_PAGE = 3,	/* one page's folded events (compaction) */
	SW_JOURNAL_SUMMARY = 4, /* the folded counters (compaction) */
};

/* What the VMM did about an event: a bit mask. */
#define SW_JOURNAL_ACT_LOG     (1u << 0) /* logged only */
#define SW_JOURNAL_ACT_NOTIFY  (1u << 1) /* told the guest (agent or GHES) */
#define SW_JOURNAL_ACT_INJECT  (1u << 2) /* injected an abort into the vCPU */
#define SW_JOURNAL_ACT_FENCE   (1u << 3) /* the page is never mapped again */
#define SW_JOURNAL_ACT_REPLACE (1u << 4) /* fresh backing for the page */
#define SW_JOURNAL_ACT_RESTART (1u << 5) /* restarted the VM */
#define SW_JOURNAL_ACT_STOP    (1u << 6) /* stopped the VM */
#define SW_JOURNAL_ACT_ALL     0x7fu

/* sw_journal_event.flags */
#define SW_JOURNAL_EV_GPA_VALID (1u << 0) /* gpa names the page */
#define SW_JOURNAL_EV_GVA_VALID (1u << 1) /* gva is the faulting address */

/* sw_journal_event.guest_el when the EL is not known (SIGBUS AO). */
#define SW_JOURNAL_EL_UNKNOWN 0xffu

/* sw_journal_event.vcpu of an event taken on no vCPU (SIGBUS AO). */
#define SW_JOURNAL_VCPU_NONE 0xffffffffu

/* Why the VM was restarted. */
enum sw_journal_restart_reason {
	SW_RESTART_UNSPECIFIED = 0,
	SW_RESTART_PAGE_THRESHOLD = 1, /* too many distinct poisoned pages */
	SW_RESTART_RATE_THRESHOLD = 2, /* events came too fast */
	SW_RESTART_POLICY = 3,	       /* the policy chose restart for one event */
	SW_RESTART_GUEST = 4,	       /* the guest rebooted or crashed */
	SW_RESTART_OPERATOR = 5,       /* asked for from outside */
};

struct sw_journal_event {
	uint64_t time_ns; /* CLOCK_REALTIME, in ns: it must survive a host reboot */
	uint64_t gpa;	  /* any address in the page: stored aligned to the granule */
	uint64_t gva;	  /* the faulting guest virtual address, or 0 */
	uint64_t esr;	  /* the syndrome as reported, 0 for SIGBUS and fenced accesses */
	uint32_t vcpu;	  /* the vCPU index, or SW_JOURNAL_VCPU_NONE */
	uint32_t actions; /* SW_JOURNAL_ACT_* */
	uint8_t source;	  /* enum sw_sea_source (seawall/sea.h) */
	uint8_t guest_el; /* 0, 1, 2, or SW_JOURNAL_EL_UNKNOWN */
	uint8_t flags;	  /* SW_JOURNAL_EV_* */
};

struct sw_journal_restart {
	uint64_t time_ns;
	uint32_t reason; /* enum sw_journal_restart_reason */
};

/* The events of one page that compaction folded. */
struct sw_journal_page {
	uint64_t gpa;
	uint64_t first_ns; /* the earliest folded event's time */
	uint64_t last_ns;  /* the latest folded event's time */
	uint64_t events;   /* how many events were folded (>= 1) */
	uint32_t actions;  /* every action taken for them, ORed */
};

/* What compaction folded: the records before the first one kept as is. */
struct sw_journal_summary {
	uint64_t last_seq;	  /* the highest sequence number folded */
	uint64_t cutoff_ns;	  /* the cutoff of the latest compaction */
	uint64_t events;	  /* events folded, with or without a page */
	uint64_t restarts;	  /* restarts folded */
	uint64_t last_event_ns;	  /* the latest folded event's time */
	uint64_t last_restart_ns; /* the latest folded restart's time, 0 if none */
};

struct sw_journal_record {
	enum sw_journal_record_type type;
	uint64_t seq;	 /* EVENT, RESTART: 1, 2, 3...; PAGE, SUMMARY: 0 */
	uint64_t offset; /* where it is in the file (replay only) */
	union {
		struct sw_journal_event event;
		struct sw_journal_restart restart;
		struct sw_journal_page page;
		struct sw_journal_summary summary;
	};
};

/* When appended records reach the disk: docs/journal.md, "Durability". */
enum sw_journal_sync {
	SW_JOURNAL_SYNC_NONE = 0,  /* never: the kernel writes back when it likes */
	SW_JOURNAL_SYNC_EVERY = 1, /* fdatasync() before every append returns */
	SW_JOURNAL_SYNC_BATCH = 2, /* after sync_records appends or sync_ms ms */
};

/* sw_journal_options.flags */
#define SW_JOURNAL_CREATE   (1u << 0) /* create the file if it is absent */
#define SW_JOURNAL_READONLY (1u << 1) /* inspect only: never modify the file */
/*
 * Damage in the middle of the file (a bad record followed by valid
 * ones): read-only, replay every valid record and return 0; read-write,
 * keep the original as FILE.damaged and rewrite FILE with every valid
 * record (salvage).  Without it, such damage fails the open.
 */
#define SW_JOURNAL_SKIP_DAMAGED (1u << 2)

/* What an open found wrong with the file. */
enum sw_journal_problem {
	SW_JOURNAL_CLEAN = 0,
	SW_JOURNAL_TORN_TAIL,	   /* a damaged tail: an interrupted append (open succeeds) */
	SW_JOURNAL_DAMAGED_MIDDLE, /* a bad record followed by valid ones: -EUCLEAN */
	SW_JOURNAL_BAD_HEADER,	   /* the header is damaged: -EBADMSG */
	SW_JOURNAL_NOT_A_JOURNAL,  /* no journal magic: -EBADMSG */
	SW_JOURNAL_BAD_VERSION,	   /* a version this library does not read: -EPROTONOSUPPORT */
	SW_JOURNAL_BAD_GRANULE,	   /* the file's granule differs from the caller's: -EINVAL */
	SW_JOURNAL_ERROR,	   /* anything else (I/O, options, busy): see message */
};

/* Filled by sw_journal_open() when the caller passes one. */
struct sw_journal_report {
	enum sw_journal_problem problem;
	uint64_t records;	/* valid records replayed */
	uint64_t offset;	/* the first damaged byte */
	uint64_t bytes;		/* bytes from offset to the end of the file */
	uint64_t slots;		/* damaged record slots in them (a partial one counts) */
	uint64_t records_after; /* valid records after the first damaged one */
	bool truncated;		/* the torn tail was cut off */
	bool salvaged;		/* SKIP_DAMAGED rewrote the file without the damage */
	char reason[96];	/* why the first damaged record is bad */
	char message[640];	/* one paragraph: what happened and what to do */
};

struct sw_journal_options {
	unsigned int flags; /* SW_JOURNAL_CREATE | READONLY | SKIP_DAMAGED */
	/*
	 * 12, 14 or 16: needed to create the file, and then must match
	 * the file's; 0 accepts the file's granule.
	 */
	unsigned int granule_shift;
	enum sw_journal_sync sync;
	unsigned int sync_records; /* SYNC_BATCH: sync after this many appends (0: never) */
	unsigned int sync_ms;	   /* SYNC_BATCH: sync at an append this long after the last */
	/* Called for every valid record, in file order; a negative return aborts the open. */
	int (*replay)(const struct sw_journal_record *rec, void *arg);
	void *replay_arg;
	/* If set, every page of the journal is inserted into it (same granule). */
	struct sw_registry *registry;
	struct sw_journal_report *report; /* if set, filled in every case */
};

/* Running totals of the journal's content (folded records included). */
struct sw_journal_counters {
	uint64_t records; /* valid records in the file */
	uint64_t bytes;	  /* the file's size */
	uint64_t events;
	uint64_t restarts;
	uint64_t last_seq; /* 0 while nothing was ever appended */
	uint64_t last_event_ns;
	uint64_t last_restart_ns;
};

/*
 * sw_journal_open - open (or create) a journal and replay it.
 * @j:    set to the handle on success
 * @path: the journal file
 * @opts: see struct sw_journal_options; NULL means read-write, no
 *        create, no sync, no callback
 *
 * Every valid record reaches @opts->replay (and @opts->registry) in file
 * order before this returns.  A read-write open takes an exclusive lock
 * on the file (flock(2)), truncates a torn tail and removes a stale
 * compaction temp file (FILE.compact); a read-only one takes no lock and
 * writes nothing.  @opts->report, if given, is always filled; its message
 * says what happened and what to do.
 *
 * Returns 0 (also after truncating a torn tail: report.problem says so),
 * -EINVAL for bad options or a granule mismatch, -ENOENT if the file is
 * absent and SW_JOURNAL_CREATE is not given, -EBUSY if another process
 * has it open read-write, -EBADMSG if the header is damaged or the file
 * is not a journal, -EPROTONOSUPPORT for another format version, -EUCLEAN
 * for damage in the middle of the file (nothing is changed; the callback
 * saw every record before the damage), -EEXIST if salvage finds
 * FILE.damaged already there, -ENOSPC if @opts->registry is too small,
 * the callback's negative value, -ECANCELED if it returned a positive
 * one, -ENAMETOOLONG if @path leaves no room for its side files
 * (FILE.compact, FILE.damaged, FILE.new-PID), -EAGAIN if the file kept
 * being replaced while it was opened (retry), -ENOMEM, or the errno of a
 * failed system call (-EACCES, -EIO, ...).
 */
int sw_journal_open(struct sw_journal **j, const char *path, const struct sw_journal_options *opts);

/*
 * sw_journal_append - append one EVENT or RESTART record.
 * @rec: the record; its seq and offset are ignored
 * @seq: if not NULL, set to the record's sequence number
 *
 * One pwrite(2) per record; the record is *acknowledged* when this
 * returns 0, and from then on survives a kill of the process (and, with
 * SW_JOURNAL_SYNC_EVERY, a power loss).  Thread safe; does not allocate.
 * A failed append leaves nothing behind.
 *
 * Returns 0, -EINVAL if @rec is not a valid EVENT or RESTART (see
 * sw_journal_error()), -EBADF on a read-only journal, -EIO once a sync
 * has failed (the journal refuses further appends: reopen it), or the
 * errno of the failed write (-ENOSPC, -EIO, ...).
 */
int sw_journal_append(struct sw_journal *j, const struct sw_journal_record *rec, uint64_t *seq);

/*
 * sw_journal_sync - make every acknowledged record durable now
 * (fdatasync(2)), whatever the sync mode.
 *
 * Returns 0, -EBADF on a read-only journal, or -EIO (or the errno
 * fdatasync gave); after a failure every later append fails with -EIO.
 */
int sw_journal_sync(struct sw_journal *j);

/*
 * sw_journal_compact - rewrite the journal with old events folded.
 * @keep_since_ns: records from the first EVENT or RESTART whose time is
 *                 at or after this one are kept as they are; everything
 *                 before it is folded into one SUMMARY record and one
 *                 PAGE record per page.  0 folds nothing new; UINT64_MAX
 *                 folds everything.
 *
 * Writes FILE.compact, fdatasyncs it, renames it over FILE and fsyncs the
 * directory; a crash at any point leaves either the old or the new file,
 * both complete.  The result replays to the same registry and the same
 * counters (sw_journal_counters(), except records and bytes).  Appends
 * wait until it is done.
 *
 * Returns 0, -EBADF on a read-only journal, -ENOMEM, or the errno of a
 * failed system call (the journal is then unchanged).
 */
int sw_journal_compact(struct sw_journal *j, uint64_t keep_since_ns);

/* sw_journal_counters - copy the running totals.  Returns 0. */
int sw_journal_counters(struct sw_journal *j, struct sw_journal_counters *c);

/* sw_journal_granule_shift - the file's granule: 12, 14 or 16. */
unsigned int sw_journal_granule_shift(const struct sw_journal *j);

/*
 * sw_journal_error - the message of the last failed call on @j: what
 * failed and what to do.  Behaves like snprintf: returns the full length
 * ("" if nothing failed yet).
 */
int sw_journal_error(struct sw_journal *j, char *buf, size_t size);

/*
 * sw_journal_close - sync (unless the mode is SW_JOURNAL_SYNC_NONE),
 * unlock and free.  NULL is ignored.
 *
 * Returns 0, or the errno of the final sync (the handle is freed anyway).
 */
int sw_journal_close(struct sw_journal *j);

/*
 * sw_journal_record_describe - one human-readable line for a record,
 * without a newline, e.g. "event seq=1 time=2026-11-22T10:00:00.000000000Z
 * gpa=0x80010000 source=kvm_exit el=1 vcpu=0 esr=0x92000210
 * gva=0x80010048 actions=inject,fence".
 *
 * Behaves like snprintf: returns the length of the full text (truncated
 * if it is >= @size), or a negative errno.
 */
int sw_journal_record_describe(const struct sw_journal_record *rec, char *buf, size_t size);

/*
 * sw_journal_record_from_event - the EVENT record of a handled SEA.
 * @rec: set to the record when 1 is returned
 * @ev:  the event as the VMM reports it (seawall/events.h): filled with
 *       sw_event_set_decision(), its actions what the VMM carried out
 *
 * The record holds the event's time, source, ESR, guest EL (255 for
 * SW_GUEST_EL_UNKNOWN), vCPU (SW_JOURNAL_VCPU_NONE for -1), the page the
 * actions applied to (the fault's gpa when no page was decided; aligned
 * to the granule by sw_journal_append()), the gva when valid, and the
 * actions as SW_JOURNAL_ACT_* bits (SW_ACT_RETRY has none).
 *
 * Not journaled, because sw_policy_replay_journal() would rebuild from it
 * a state the live policy never had: a retry of a notification in flight
 * (reason SW_REASON_NOTIFY_PENDING, or actions exactly SW_ACT_RETRY: it
 * changes nothing, and comes every notify_backoff), and the answer to or
 * the deadline of a notification (reason offlined; notify_failed or
 * notify_expired on no vCPU or for a SIGBUS AO fault: decisions of
 * sw_policy_notify_result() and sw_policy_expire(), which are not SEAs).
 *
 * Returns 1 with @rec set, 0 for an event that is not journaled, or
 * -EINVAL if @rec, @ev or its sea is NULL, or the source, guest_el, vcpu
 * (below -1) or actions (outside SW_ACT_ALL) are out of range.
 */
int sw_journal_record_from_event(struct sw_journal_record *rec, const struct sw_event *ev);

/*
 * sw_journal_sink - an sw_event_fn (seawall/events.h) that journals a
 * handled SEA; @arg is the struct sw_journal.  It appends the record of
 * sw_journal_record_from_event() (if the event is one to journal) and
 * then, if the event's actions include SW_ACT_RESTART, a RESTART record
 * at the event's time: reason SW_RESTART_PAGE_THRESHOLD for
 * SW_ESC_MAX_PAGES, SW_RESTART_RATE_THRESHOLD for SW_ESC_RATE, otherwise
 * SW_RESTART_POLICY.  That is what sw_policy_replay_journal() needs to
 * rebuild the policy.  Thread safe, no allocation (sw_journal_append()).
 *
 * Returns 0, -EINVAL as sw_journal_record_from_event() or for a NULL
 * @arg, or the error of sw_journal_append() (sw_journal_error() says what
 * failed; an EVENT appended before a failed RESTART stays).
 */
int sw_journal_sink(const struct sw_event *event, void *arg);

#ifdef __cplusplus
}
#endif

#endif
