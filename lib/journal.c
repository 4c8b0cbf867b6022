/* SPDX-License-Identifier: MIT */
/*
 * The poison journal: open (create, lock, replay, repair a torn tail),
 * append, sync, close.  Compaction is in journal_compact.c, the format in
 * journal_record.c; docs/journal.md describes both.
 *
 * Every public function saves and restores errno: the library reports
 * through return values only.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <seawall/journal.h>
#include <seawall/registry.h>

#include "compiler.h"
#include "journal_internal.h"

#define OPEN_FLAGS (SW_JOURNAL_CREATE | SW_JOURNAL_READONLY | SW_JOURNAL_SKIP_DAMAGED)

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void journal_set_error(struct sw_journal *j, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(j->error, sizeof(j->error), fmt, ap);
	va_end(ap);
}

static void report(struct sw_journal_report *rep, enum sw_journal_problem problem, const char *fmt,
		   ...) __attribute__((format(printf, 3, 4)));

static void report(struct sw_journal_report *rep, enum sw_journal_problem problem, const char *fmt,
		   ...)
{
	va_list ap;

	rep->problem = problem;
	va_start(ap, fmt);
	vsnprintf(rep->message, sizeof(rep->message), fmt, ap);
	va_end(ap);
}

void journal_count(struct sw_journal_counters *c, const struct sw_journal_record *rec)
{
	c->records++;
	switch (rec->type) {
	case SW_JOURNAL_EVENT:
		c->events++;
		c->last_seq = rec->seq;
		if (rec->event.time_ns > c->last_event_ns)
			c->last_event_ns = rec->event.time_ns;
		break;
	case SW_JOURNAL_RESTART:
		c->restarts++;
		c->last_seq = rec->seq;
		if (rec->restart.time_ns > c->last_restart_ns)
			c->last_restart_ns = rec->restart.time_ns;
		break;
	case SW_JOURNAL_SUMMARY:
		c->events += rec->summary.events;
		c->restarts += rec->summary.restarts;
		c->last_seq = rec->summary.last_seq;
		if (rec->summary.last_event_ns > c->last_event_ns)
			c->last_event_ns = rec->summary.last_event_ns;
		if (rec->summary.last_restart_ns > c->last_restart_ns)
			c->last_restart_ns = rec->summary.last_restart_ns;
		break;
	case SW_JOURNAL_PAGE:
		break;
	}
}

int journal_sync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd, ret = 0;

	if (!copy)
		return -ENOMEM;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (fd < 0)
		return -errno;
	/* Some file systems cannot sync a directory; nothing more to do there. */
	if (fsync(fd) && errno != EINVAL)
		ret = -errno;
	close(fd);
	return ret;
}

static int write_all(int fd, const void *buf, size_t len, uint64_t off)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * A new journal appears complete or not at all: its header is written
 * and synced in an unnamed file (O_TMPFILE) that is then linked in,
 * falling back to a named temporary where O_TMPFILE is not supported.
 * Returns 0, -EEXIST if another process created the file first, or -errno.
 */
static int create_file(const char *path, unsigned int granule_shift)
{
	uint8_t hdr[JR_HEADER_SIZE];
	char tmp[4096], *copy;
	bool named = false;
	int fd, ret;

	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	fd = open(dirname(copy), O_TMPFILE | O_RDWR | O_CLOEXEC, 0644);
	free(copy);
	if (fd < 0) {
		if (snprintf(tmp, sizeof(tmp), "%s.new-%ld", path, (long)getpid()) >=
		    (int)sizeof(tmp))
			return -ENAMETOOLONG;
		fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0)
			return -errno;
		named = true;
	}
	jr_encode_header(hdr, granule_shift, clock_ns(CLOCK_REALTIME));
	ret = write_all(fd, hdr, sizeof(hdr), 0);
	if (!ret && fsync(fd))
		ret = -errno;
	if (!ret && !named) {
		char proc[64];

		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW))
			ret = -errno;
	} else if (!ret) {
		if (link(tmp, path))
			ret = -errno;
		unlink(tmp);
	}
	close(fd);
	if (!ret)
		ret = journal_sync_dir(path);
	return ret;
}

static int open_readonly(struct sw_journal *j, struct sw_journal_report *rep)
{
	j->fd = open(j->path, O_RDONLY | O_CLOEXEC);
	if (j->fd < 0) {
		int err = -errno;

		report(rep, SW_JOURNAL_ERROR, "cannot open journal %s: %s%s", j->path,
		       strerror(-err),
		       err == -ENOENT ? " (a read-only open never creates one: check the path)"
				      : "");
		return err;
	}
	return 0;
}

/*
 * Open read-write and take the exclusive lock.  A compaction by another
 * process may rename a new file over the path between our open and our
 * lock: then the lock is on a dead inode, so check and start again.
 */
static int open_locked(struct sw_journal *j, const struct sw_journal_options *opts,
		       struct sw_journal_report *rep)
{
	for (int attempt = 0; attempt < 16; attempt++) {
		struct stat fst, pst;
		int err;

		j->fd = open(j->path, O_RDWR | O_CLOEXEC);
		if (j->fd < 0 && errno == ENOENT && (opts->flags & SW_JOURNAL_CREATE)) {
			err = create_file(j->path, opts->granule_shift);
			if (err && err != -EEXIST) {
				report(rep, SW_JOURNAL_ERROR, "cannot create journal %s: %s",
				       j->path, strerror(-err));
				return err;
			}
			continue;
		}
		if (j->fd < 0) {
			err = -errno;
			report(rep, SW_JOURNAL_ERROR, "cannot open journal %s for writing: %s%s",
			       j->path, strerror(-err),
			       err == -ENOENT ? " (pass SW_JOURNAL_CREATE to start a new one)"
					      : "");
			return err;
		}
		if (flock(j->fd, LOCK_EX | LOCK_NB)) {
			err = errno == EWOULDBLOCK ? -EBUSY : -errno;
			report(rep, SW_JOURNAL_ERROR,
			       "journal %s is open for writing by another process: stop it, or "
			       "open the journal read-only to inspect it",
			       j->path);
			return err;
		}
		if (fstat(j->fd, &fst) || stat(j->path, &pst)) {
			err = -errno;
			report(rep, SW_JOURNAL_ERROR, "cannot stat journal %s: %s", j->path,
			       strerror(-err));
			return err;
		}
		if (fst.st_dev == pst.st_dev && fst.st_ino == pst.st_ino)
			return 0;
		close(j->fd);
		j->fd = -1;
	}
	report(rep, SW_JOURNAL_ERROR, "journal %s kept being replaced while opening it: retry",
	       j->path);
	return -EAGAIN;
}

static int read_header(struct sw_journal *j, const struct sw_journal_options *opts, uint64_t size,
		       struct sw_journal_report *rep)
{
	uint8_t buf[JR_HEADER_MAX];
	size_t want = size < sizeof(buf) ? (size_t)size : sizeof(buf);
	struct jr_header h;
	const char *why;
	ssize_t n;

	n = pread(j->fd, buf, want, 0);
	if (n < 0) {
		int err = -errno;

		report(rep, SW_JOURNAL_ERROR, "cannot read journal %s: %s", j->path,
		       strerror(-err));
		return err;
	}
	switch (jr_decode_header(buf, (uint64_t)n, &h, &why)) {
	case SW_JOURNAL_CLEAN:
		break;
	case SW_JOURNAL_NOT_A_JOURNAL:
		snprintf(rep->reason, sizeof(rep->reason), "%s", why);
		report(rep, SW_JOURNAL_NOT_A_JOURNAL,
		       "%s is not a seawall journal: %s. Nothing was changed: check the path, "
		       "or move the file aside to start a new journal there",
		       j->path, why);
		return -EBADMSG;
	case SW_JOURNAL_BAD_VERSION:
		snprintf(rep->reason, sizeof(rep->reason), "%s", why);
		report(rep, SW_JOURNAL_BAD_VERSION,
		       "journal %s has version %u; this seawall reads version %u. Nothing was "
		       "changed: use a seawall that reads version %u",
		       j->path, h.version, SW_JOURNAL_VERSION, h.version);
		return -EPROTONOSUPPORT;
	default:
		snprintf(rep->reason, sizeof(rep->reason), "%s", why);
		report(rep, SW_JOURNAL_BAD_HEADER,
		       "journal %s has a damaged header (%s), so none of its records can be "
		       "trusted. Nothing was changed: restore the file from a backup, or move "
		       "it aside to start the VM without its poison history",
		       j->path, why);
		return -EBADMSG;
	}
	if (opts->granule_shift && opts->granule_shift != h.granule_shift) {
		report(rep, SW_JOURNAL_BAD_GRANULE,
		       "journal %s records %s pages; this VM uses %s pages: start a new journal "
		       "for it",
		       j->path, jr_granule_text(h.granule_shift),
		       jr_granule_text(opts->granule_shift));
		return -EINVAL;
	}
	if (opts->registry && sw_registry_granule_shift(opts->registry) != h.granule_shift) {
		report(rep, SW_JOURNAL_BAD_GRANULE,
		       "journal %s records %s pages but the registry given to replay it uses %s: "
		       "create the registry with the journal's granule",
		       j->path, jr_granule_text(h.granule_shift),
		       jr_granule_text(sw_registry_granule_shift(opts->registry)));
		return -EINVAL;
	}
	j->granule_shift = h.granule_shift;
	j->created_ns = h.created_ns;
	return 0;
}

struct replay_ctx {
	struct sw_journal *j;
	const struct sw_journal_options *opts;
	int registry_err;
	uint64_t registry_gpa;
};

static int replay_one(const struct sw_journal_record *rec, const uint8_t *raw, void *arg)
{
	struct replay_ctx *ctx = arg;
	const struct sw_journal_options *opts = ctx->opts;
	uint64_t gpa = 0;
	bool page = false;

	(void)raw;
	journal_count(&ctx->j->counters, rec);
	if (rec->type == SW_JOURNAL_PAGE) {
		page = true;
		gpa = rec->page.gpa;
	} else if (rec->type == SW_JOURNAL_EVENT && (rec->event.flags & SW_JOURNAL_EV_GPA_VALID)) {
		page = true;
		gpa = rec->event.gpa;
	}
	if (page && opts->registry) {
		int ret = sw_registry_insert(opts->registry, gpa);

		if (ret < 0) {
			ctx->registry_err = ret;
			ctx->registry_gpa = gpa;
			return ret;
		}
	}
	if (opts->replay) {
		int ret = opts->replay(rec, opts->replay_arg);

		if (ret < 0)
			return ret;
	}
	return 0;
}

static void describe_damage(struct sw_journal_report *rep, const struct jscan *res)
{
	if (!strcmp(res->reason, JSCAN_PARTIAL))
		snprintf(rep->reason, sizeof(rep->reason),
			 "partial record (%" PRIu64 " of %d bytes)", res->partial, JR_RECORD_SIZE);
	else
		snprintf(rep->reason, sizeof(rep->reason), "%s", res->reason);
	rep->offset = res->damage_offset;
	rep->bytes = res->bad_bytes;
	rep->slots = res->bad_slots;
	rep->records_after = res->records_after;
}

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

static int handle_torn_tail(struct sw_journal *j, const struct jscan *res,
			    struct sw_journal_report *rep)
{
	const char *what = "this is what an interrupted append leaves: every complete record "
			   "before it";

	if (j->readonly) {
		report(rep, SW_JOURNAL_TORN_TAIL,
		       "journal %s: damaged tail at offset %" PRIu64 ": %" PRIu64
		       " bytes in %" PRIu64 " record slot%s (%s); %s is intact. Nothing was "
		       "changed: the next read-write open drops the tail",
		       j->path, rep->offset, rep->bytes, rep->slots, plural(rep->slots),
		       rep->reason, what);
		j->end = res->valid_end;
		return 0;
	}
	if (ftruncate(j->fd, (off_t)res->valid_end) || fsync(j->fd)) {
		int err = -errno;

		report(rep, SW_JOURNAL_ERROR,
		       "journal %s: cannot cut its damaged tail at offset %" PRIu64 ": %s", j->path,
		       rep->offset, strerror(-err));
		return err;
	}
	rep->truncated = true;
	report(rep, SW_JOURNAL_TORN_TAIL,
	       "journal %s: dropped a damaged tail at offset %" PRIu64 ": %" PRIu64
	       " bytes in %" PRIu64 " record slot%s (%s); %s was kept",
	       j->path, rep->offset, rep->bytes, rep->slots, plural(rep->slots), rep->reason, what);
	j->end = res->valid_end;
	return 0;
}

static int handle_middle_damage(struct sw_journal *j, const struct sw_journal_options *opts,
				uint64_t size, struct sw_journal_report *rep)
{
	char damaged[4096];
	int err;

	if (!(opts->flags & SW_JOURNAL_SKIP_DAMAGED)) {
		report(rep, SW_JOURNAL_DAMAGED_MIDDLE,
		       "journal %s: the record at offset %" PRIu64 " is damaged (%s) but %" PRIu64
		       " valid record%s follow%s it, so this is not an interrupted append: the "
		       "file was damaged in place. Nothing was changed. Keep a copy, then run "
		       "'seawall journal compact --salvage %s' to keep every valid record (the "
		       "original is kept as %s.damaged)",
		       j->path, rep->offset, rep->reason, rep->records_after,
		       plural(rep->records_after), rep->records_after == 1 ? "s" : "", j->path,
		       j->path);
		return -EUCLEAN;
	}
	if (j->readonly) {
		report(rep, SW_JOURNAL_DAMAGED_MIDDLE,
		       "journal %s: %" PRIu64 " damaged record slot%s from offset %" PRIu64
		       " (%s), %" PRIu64 " valid record%s after the first; every valid record "
		       "was replayed. Nothing was changed: run 'seawall journal compact "
		       "--salvage %s' to rewrite it without the damage",
		       j->path, rep->slots, plural(rep->slots), rep->offset, rep->reason,
		       rep->records_after, plural(rep->records_after), j->path);
		j->end = size;
		return 0;
	}
	if (snprintf(damaged, sizeof(damaged), "%s.damaged", j->path) >= (int)sizeof(damaged))
		return -ENAMETOOLONG;
	if (link(j->path, damaged)) {
		err = -errno;
		report(rep, SW_JOURNAL_ERROR,
		       "journal %s is damaged in the middle, but its copy %s cannot be made: %s. "
		       "Nothing was changed: move %s aside and retry",
		       j->path, damaged, strerror(-err), damaged);
		return err;
	}
	j->end = size;
	err = journal_rewrite(j, 0, true);
	if (err) {
		report(rep, SW_JOURNAL_ERROR, "journal %s: salvage failed: %s", j->path, j->error);
		return err;
	}
	rep->salvaged = true;
	report(rep, SW_JOURNAL_DAMAGED_MIDDLE,
	       "journal %s: salvaged: left out %" PRIu64 " damaged record slot%s from offset "
	       "%" PRIu64 " (%s) and kept every valid record; the damaged original is %s",
	       j->path, rep->slots, plural(rep->slots), rep->offset, rep->reason, damaged);
	return 0;
}

static int replay(struct sw_journal *j, const struct sw_journal_options *opts, uint64_t size,
		  struct sw_journal_report *rep)
{
	struct replay_ctx ctx = {.j = j, .opts = opts};
	bool skip = opts->flags & SW_JOURNAL_SKIP_DAMAGED;
	struct jscan res;
	int err;

	err = jscan(j->fd, size, j->granule_shift, skip, replay_one, &ctx, &res);
	rep->records = res.records;
	if (ctx.registry_err) {
		report(rep, SW_JOURNAL_ERROR,
		       "journal %s: the registry is full (capacity %zu) at page 0x%" PRIx64
		       ": create it with a larger capacity",
		       j->path, sw_registry_capacity(opts->registry), ctx.registry_gpa);
		return err;
	}
	if (err) {
		report(rep, SW_JOURNAL_ERROR, "journal %s: replay stopped: %s", j->path,
		       err < 0 ? strerror(-err) : "the callback asked to stop");
		return err < 0 ? err : -ECANCELED;
	}
	j->end = res.valid_end;
	if (!res.damaged) {
		report(rep, SW_JOURNAL_CLEAN, "journal %s: clean, %" PRIu64 " records", j->path,
		       res.records);
		return 0;
	}
	describe_damage(rep, &res);
	if (res.records_after == 0)
		return handle_torn_tail(j, &res, rep);
	return handle_middle_damage(j, opts, size, rep);
}

static int check_options(const char *path, const struct sw_journal_options *opts,
			 struct sw_journal_report *rep)
{
	const char *why = NULL;

	if (opts->flags & ~OPEN_FLAGS)
		why = "unknown flags";
	else if ((opts->flags & SW_JOURNAL_CREATE) && (opts->flags & SW_JOURNAL_READONLY))
		why = "SW_JOURNAL_CREATE with SW_JOURNAL_READONLY";
	else if (opts->granule_shift && opts->granule_shift != 12 && opts->granule_shift != 14 &&
		 opts->granule_shift != 16)
		why = "granule_shift is not 0, 12, 14 or 16";
	else if ((opts->flags & SW_JOURNAL_CREATE) && !opts->granule_shift)
		why = "SW_JOURNAL_CREATE needs granule_shift (12, 14 or 16)";
	else if (opts->sync != SW_JOURNAL_SYNC_NONE && opts->sync != SW_JOURNAL_SYNC_EVERY &&
		 opts->sync != SW_JOURNAL_SYNC_BATCH)
		why = "unknown sync mode";
	else if (opts->sync == SW_JOURNAL_SYNC_BATCH && !opts->sync_records && !opts->sync_ms)
		why = "SW_JOURNAL_SYNC_BATCH needs sync_records or sync_ms";
	if (!why)
		return 0;
	report(rep, SW_JOURNAL_ERROR, "cannot open journal %s: bad options: %s", path, why);
	return -EINVAL;
}

static int journal_open(struct sw_journal **jp, const char *path,
			const struct sw_journal_options *opts, struct sw_journal_report *rep)
{
	struct sw_journal *j;
	struct stat st;
	int err;

	err = check_options(path, opts, rep);
	if (err)
		return err;
	j = calloc(1, sizeof(*j));
	if (!j || !(j->path = strdup(path))) {
		free(j);
		report(rep, SW_JOURNAL_ERROR, "cannot open journal %s: out of memory", path);
		return -ENOMEM;
	}
	pthread_mutex_init(&j->lock, NULL);
	j->fd = -1;
	j->readonly = opts->flags & SW_JOURNAL_READONLY;
	j->sync = opts->sync;
	j->sync_records = opts->sync_records;
	j->sync_ms = opts->sync_ms;
	j->last_sync_ns = clock_ns(CLOCK_MONOTONIC);

	err = j->readonly ? open_readonly(j, rep) : open_locked(j, opts, rep);
	if (err)
		goto fail;
	if (fstat(j->fd, &st)) {
		err = -errno;
		report(rep, SW_JOURNAL_ERROR, "cannot stat journal %s: %s", path, strerror(-err));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		err = -EINVAL;
		report(rep, SW_JOURNAL_ERROR, "%s is not a regular file: give a journal file path",
		       path);
		goto fail;
	}
	/* A compaction this process did not finish (we hold the lock now). */
	if (!j->readonly) {
		char tmp[4096];

		if (snprintf(tmp, sizeof(tmp), "%s.compact", path) < (int)sizeof(tmp))
			unlink(tmp);
	}
	err = read_header(j, opts, (uint64_t)st.st_size, rep);
	if (err)
		goto fail;
	err = replay(j, opts, (uint64_t)st.st_size, rep);
	if (err)
		goto fail;
	j->counters.bytes = j->end;
	*jp = j;
	return 0;
fail:
	if (j->fd >= 0)
		close(j->fd);
	pthread_mutex_destroy(&j->lock);
	free(j->path);
	free(j);
	return err;
}

SW_EXPORT int sw_journal_open(struct sw_journal **jp, const char *path,
			      const struct sw_journal_options *opts)
{
	static const struct sw_journal_options defaults;
	struct sw_journal_report scratch;
	struct sw_journal_report *rep;
	int saved = errno, err;

	if (!opts)
		opts = &defaults;
	rep = opts->report ? opts->report : &scratch;
	memset(rep, 0, sizeof(*rep));
	if (!jp || !path) {
		report(rep, SW_JOURNAL_ERROR, "sw_journal_open: NULL handle or path");
		return -EINVAL;
	}
	err = journal_open(jp, path, opts, rep);
	errno = saved;
	return err;
}

/* Called with j->lock held.  A failed sync poisons the handle (see below). */
static int sync_locked(struct sw_journal *j)
{
	if (fdatasync(j->fd)) {
		/*
		 * After a failed fdatasync the kernel may have dropped the
		 * dirty pages and cleared the error, so a later sync would
		 * "succeed" without the data: never acknowledge again.
		 */
		j->broken = errno == EIO ? -EIO : -errno;
		journal_set_error(j,
				  "journal %s: fdatasync failed (%s): records since the last sync "
				  "may be lost; this handle refuses appends: reopen the journal "
				  "(its replay shows what survived)",
				  j->path, strerror(-j->broken));
		return j->broken;
	}
	j->unsynced = 0;
	j->last_sync_ns = clock_ns(CLOCK_MONOTONIC);
	return 0;
}

static bool batch_due(struct sw_journal *j)
{
	if (j->sync_records && j->unsynced >= j->sync_records)
		return true;
	return j->sync_ms &&
	       clock_ns(CLOCK_MONOTONIC) - j->last_sync_ns >= (uint64_t)j->sync_ms * 1000000u;
}

static int append_locked(struct sw_journal *j, struct sw_journal_record *rec)
{
	uint8_t buf[JR_RECORD_SIZE];
	ssize_t n;

	if (j->readonly) {
		journal_set_error(j,
				  "journal %s was opened read-only: reopen it read-write to append",
				  j->path);
		return -EBADF;
	}
	if (j->broken)
		return j->broken;
	rec->seq = j->counters.last_seq + 1;
	jr_encode(buf, rec);
	do
		n = pwrite(j->fd, buf, sizeof(buf), (off_t)j->end);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(buf)) {
		int err = n < 0 ? -errno : -ENOSPC;

		/* Leave no partial record behind (the next open would drop it anyway). */
		if (n > 0 && ftruncate(j->fd, (off_t)j->end))
			j->broken = -EIO;
		journal_set_error(j, "journal %s: append failed: %s; the record was not recorded",
				  j->path, strerror(-err));
		return err;
	}
	j->end += sizeof(buf);
	j->counters.bytes = j->end;
	journal_count(&j->counters, rec);
	j->unsynced++;
	if (j->sync == SW_JOURNAL_SYNC_EVERY || (j->sync == SW_JOURNAL_SYNC_BATCH && batch_due(j)))
		return sync_locked(j);
	return 0;
}

SW_EXPORT int sw_journal_append(struct sw_journal *j, const struct sw_journal_record *rec,
				uint64_t *seq)
{
	struct sw_journal_record r, check;
	uint8_t buf[JR_RECORD_SIZE];
	const char *why;
	int saved = errno, err;

	if (!j || !rec)
		return -EINVAL;
	r = *rec;
	r.seq = 1; /* validated with a placeholder; the real one is given under the lock */
	if (r.type == SW_JOURNAL_EVENT && (r.event.flags & SW_JOURNAL_EV_GPA_VALID))
		r.event.gpa &= ~(((uint64_t)1 << j->granule_shift) - 1);
	if (r.type != SW_JOURNAL_EVENT && r.type != SW_JOURNAL_RESTART) {
		why = "only EVENT and RESTART records can be appended (PAGE and SUMMARY come "
		      "from compaction)";
		goto invalid;
	}
	jr_encode(buf, &r);
	if (!jr_decode(buf, j->granule_shift, &check, &why))
		goto invalid;

	pthread_mutex_lock(&j->lock);
	err = append_locked(j, &r);
	pthread_mutex_unlock(&j->lock);
	if (!err && seq)
		*seq = r.seq;
	errno = saved;
	return err;
invalid:
	pthread_mutex_lock(&j->lock);
	journal_set_error(j, "journal %s: record rejected: %s; see seawall/journal.h", j->path,
			  why);
	pthread_mutex_unlock(&j->lock);
	return -EINVAL;
}

SW_EXPORT int sw_journal_sync(struct sw_journal *j)
{
	int saved = errno, err;

	if (!j)
		return -EINVAL;
	pthread_mutex_lock(&j->lock);
	if (j->readonly)
		err = -EBADF;
	else
		err = j->broken ? j->broken : sync_locked(j);
	pthread_mutex_unlock(&j->lock);
	errno = saved;
	return err;
}

SW_EXPORT int sw_journal_compact(struct sw_journal *j, uint64_t keep_since_ns)
{
	int saved = errno, err;

	if (!j)
		return -EINVAL;
	pthread_mutex_lock(&j->lock);
	if (j->readonly) {
		journal_set_error(j,
				  "journal %s was opened read-only: reopen it read-write to "
				  "compact it",
				  j->path);
		err = -EBADF;
	} else {
		err = j->broken ? j->broken : journal_rewrite(j, keep_since_ns, false);
	}
	pthread_mutex_unlock(&j->lock);
	errno = saved;
	return err;
}

SW_EXPORT int sw_journal_counters(struct sw_journal *j, struct sw_journal_counters *c)
{
	if (!j || !c)
		return -EINVAL;
	pthread_mutex_lock(&j->lock);
	*c = j->counters;
	pthread_mutex_unlock(&j->lock);
	return 0;
}

SW_EXPORT unsigned int sw_journal_granule_shift(const struct sw_journal *j)
{
	return j->granule_shift;
}

SW_EXPORT int sw_journal_error(struct sw_journal *j, char *buf, size_t size)
{
	int n;

	if (!j)
		return -EINVAL;
	pthread_mutex_lock(&j->lock);
	n = snprintf(buf, size, "%s", j->error);
	pthread_mutex_unlock(&j->lock);
	return n;
}

SW_EXPORT int sw_journal_close(struct sw_journal *j)
{
	int saved = errno, err = 0;

	if (!j)
		return 0;
	if (!j->readonly && !j->broken && j->sync != SW_JOURNAL_SYNC_NONE && j->unsynced &&
	    fdatasync(j->fd))
		err = -errno;
	close(j->fd);
	pthread_mutex_destroy(&j->lock);
	free(j->path);
	free(j);
	errno = saved;
	return err;
}
