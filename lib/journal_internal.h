/* SPDX-License-Identifier: MIT */
/* The journal handle and the pieces journal.c and journal_compact.c share. */
#ifndef SEAWALL_LIB_JOURNAL_INTERNAL_H
#define SEAWALL_LIB_JOURNAL_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <seawall/journal.h>

#include "journal_record.h"

struct sw_journal {
	/* Serialises appends, syncs and compaction (held across pwrite/fdatasync). */
	pthread_mutex_t lock;
	int fd;
	bool readonly;
	char *path;
	unsigned int granule_shift;
	uint64_t created_ns;
	enum sw_journal_sync sync;
	unsigned int sync_records;
	unsigned int sync_ms;
	uint64_t end;	       /* where the next record goes */
	unsigned int unsynced; /* SYNC_BATCH: appends since the last sync */
	uint64_t last_sync_ns; /* SYNC_BATCH: CLOCK_MONOTONIC of the last sync */
	int broken;	       /* sticky: a failed sync makes every later append fail */
	struct sw_journal_counters counters;
	char error[640];
};

/* What a scan of the records found. */
struct jscan {
	uint64_t valid_end; /* end of the valid records before any damage */
	uint64_t records;   /* valid records passed to the callback */
	bool damaged;
	uint64_t damage_offset; /* the first damaged slot */
	const char *reason;	/* why it is damaged (static) */
	uint64_t partial;	/* bytes of a trailing partial slot, or 0 */
	uint64_t bad_slots;	/* damaged slots, a trailing partial one included */
	uint64_t bad_bytes;
	uint64_t records_after; /* valid records after the first damaged slot */
};

/* jscan.reason for a slot cut short by the end of the file. */
#define JSCAN_PARTIAL "partial record"

typedef int (*jscan_fn)(const struct sw_journal_record *rec, const uint8_t *raw, void *arg);

/*
 * Check every record slot of @fd from the end of the header to @size and
 * pass each valid one, in order, to @fn.  After the first damaged slot,
 * valid records are still counted (records_after) but passed on only if
 * @skip.  Returns 0, @fn's non-zero return, or -errno of a failed read.
 */
int jscan(int fd, uint64_t size, unsigned int granule_shift, bool skip, jscan_fn fn, void *arg,
	  struct jscan *res);

/* Add one replayed record to the running totals. */
void journal_count(struct sw_journal_counters *c, const struct sw_journal_record *rec);

/* Record @j's error message (printf style). */
void journal_set_error(struct sw_journal *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* fsync(2) the directory that holds @path.  Returns 0 or -errno. */
int journal_sync_dir(const char *path);

/*
 * Rewrite the file with every record before the first EVENT or RESTART
 * at or after @keep_since_ns folded (journal_compact.c).  With @skip,
 * damaged slots are left out (salvage).  Called with j->lock held or
 * before the handle is shared.  Returns 0 or -errno (message in j->error).
 */
int journal_rewrite(struct sw_journal *j, uint64_t keep_since_ns, bool skip);

#endif
