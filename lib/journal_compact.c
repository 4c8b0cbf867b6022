/* SPDX-License-Identifier: MIT */
/*
 * Journal compaction (and salvage, which is a compaction that leaves out
 * damaged slots).
 *
 * The records before the first EVENT or RESTART whose time is at or after
 * the cutoff are folded: their counts into one SUMMARY record, their
 * pages into one PAGE record each (sorted by gpa, merged with the pages of
 * earlier compactions); everything from that record on is copied byte for
 * byte.  Folding a prefix, not every old record, keeps the sequence
 * numbers increasing even if the clock went backwards.  The replayed
 * registry and counters are the same before and after (docs/journal.md).
 *
 * Crash safety: the new file is written as FILE.compact, synced, renamed
 * over FILE and the directory synced; until the rename the old file is
 * untouched, after it the new one is complete.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal_internal.h"

#define OUT_CHUNK (256 * JR_RECORD_SIZE)

struct fold {
	uint64_t cutoff;
	bool folding;	    /* still in the prefix being folded */
	bool have_summary;  /* an earlier compaction's, or anything folded now */
	uint64_t keep_from; /* offset of the first record kept as is */
	struct sw_journal_summary sum;
	struct sw_journal_page *pages;
	size_t npages, cap;
};

static int add_page(struct fold *f, const struct sw_journal_page *pg)
{
	if (f->npages == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		struct sw_journal_page *p = realloc(f->pages, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		f->pages = p;
		f->cap = cap;
	}
	f->pages[f->npages++] = *pg;
	return 0;
}

static int fold_one(const struct sw_journal_record *rec, const uint8_t *raw, void *arg)
{
	struct fold *f = arg;
	uint64_t t = 0;

	(void)raw;
	if (!f->folding)
		return 0;
	switch (rec->type) {
	case SW_JOURNAL_SUMMARY:
		f->sum = rec->summary;
		f->have_summary = true;
		return 0;
	case SW_JOURNAL_PAGE:
		return add_page(f, &rec->page);
	case SW_JOURNAL_EVENT:
	case SW_JOURNAL_RESTART:
		t = rec->type == SW_JOURNAL_EVENT ? rec->event.time_ns : rec->restart.time_ns;
		if (t >= f->cutoff) {
			f->folding = false;
			f->keep_from = rec->offset;
			return 0;
		}
		break;
	}
	f->have_summary = true;
	f->sum.cutoff_ns = f->cutoff;
	f->sum.last_seq = rec->seq;
	if (rec->type == SW_JOURNAL_RESTART) {
		f->sum.restarts++;
		if (t > f->sum.last_restart_ns)
			f->sum.last_restart_ns = t;
		return 0;
	}
	f->sum.events++;
	if (t > f->sum.last_event_ns)
		f->sum.last_event_ns = t;
	if (!(rec->event.flags & SW_JOURNAL_EV_GPA_VALID))
		return 0;
	return add_page(f, &(struct sw_journal_page){.gpa = rec->event.gpa,
						     .first_ns = t,
						     .last_ns = t,
						     .events = 1,
						     .actions = rec->event.actions});
}

static int page_cmp(const void *a, const void *b)
{
	const struct sw_journal_page *x = a, *y = b;

	return x->gpa < y->gpa ? -1 : x->gpa > y->gpa;
}

/* Sort by gpa and merge the entries of one page. */
static void merge_pages(struct fold *f)
{
	size_t out = 0;

	if (!f->npages)
		return;
	qsort(f->pages, f->npages, sizeof(*f->pages), page_cmp);
	for (size_t i = 0; i < f->npages; i++) {
		struct sw_journal_page *p = &f->pages[i], *o;

		if (out && f->pages[out - 1].gpa == p->gpa) {
			o = &f->pages[out - 1];
			o->first_ns = p->first_ns < o->first_ns ? p->first_ns : o->first_ns;
			o->last_ns = p->last_ns > o->last_ns ? p->last_ns : o->last_ns;
			o->events += p->events;
			o->actions |= p->actions;
		} else {
			f->pages[out++] = *p;
		}
	}
	f->npages = out;
}

/* Buffered sequential writer for the new file. */
struct out {
	int fd;
	uint64_t off;
	size_t used;
	uint64_t records;
	uint64_t keep_from;
	int err;
	uint8_t buf[OUT_CHUNK];
};

static void out_flush(struct out *o)
{
	size_t done = 0;

	while (!o->err && done < o->used) {
		ssize_t n = pwrite(o->fd, o->buf + done, o->used - done, (off_t)(o->off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			o->err = n < 0 ? -errno : -EIO;
		else
			done += (size_t)n;
	}
	o->off += o->used;
	o->used = 0;
}

static void out_put(struct out *o, const uint8_t *bytes, size_t len)
{
	if (o->used + len > sizeof(o->buf))
		out_flush(o);
	memcpy(o->buf + o->used, bytes, len);
	o->used += len;
}

static void out_record(struct out *o, const struct sw_journal_record *rec)
{
	uint8_t slot[JR_RECORD_SIZE];

	jr_encode(slot, rec);
	out_put(o, slot, sizeof(slot));
	o->records++;
}

static int copy_kept(const struct sw_journal_record *rec, const uint8_t *raw, void *arg)
{
	struct out *o = arg;

	if (rec->offset >= o->keep_from) {
		out_put(o, raw, JR_RECORD_SIZE);
		o->records++;
	}
	return o->err;
}

static int write_new(struct sw_journal *j, struct fold *f, struct out *o, bool skip)
{
	uint8_t hdr[JR_HEADER_SIZE];
	struct jscan res;
	int err;

	jr_encode_header(hdr, j->granule_shift, j->created_ns);
	out_put(o, hdr, sizeof(hdr));
	if (f->have_summary)
		out_record(o, &(struct sw_journal_record){.type = SW_JOURNAL_SUMMARY,
							  .summary = f->sum});
	for (size_t i = 0; i < f->npages; i++)
		out_record(o, &(struct sw_journal_record){.type = SW_JOURNAL_PAGE,
							  .page = f->pages[i]});
	o->keep_from = f->keep_from;
	err = jscan(j->fd, j->end, j->granule_shift, skip, copy_kept, o, &res);
	if (err)
		return err;
	out_flush(o);
	if (o->err)
		return o->err;
	if (fdatasync(o->fd))
		return -errno;
	return 0;
}

int journal_rewrite(struct sw_journal *j, uint64_t keep_since_ns, bool skip)
{
	struct fold f = {.cutoff = keep_since_ns, .folding = true, .keep_from = j->end};
	char tmp[4096];
	struct stat st;
	struct jscan res;
	struct out *o;
	int err, fd;

	if (snprintf(tmp, sizeof(tmp), "%s.compact", j->path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	err = jscan(j->fd, j->end, j->granule_shift, skip, fold_one, &f, &res);
	if (err)
		goto out_free;
	merge_pages(&f);

	o = malloc(sizeof(*o));
	if (!o) {
		err = -ENOMEM;
		goto out_free;
	}
	if (fstat(j->fd, &st))
		st.st_mode = 0644;
	fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, st.st_mode & 0777);
	if (fd < 0) {
		err = -errno;
		goto out_o;
	}
	/* Lock it before it becomes FILE, so no other process can take it. */
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		err = -errno;
		goto out_unlink;
	}
	*o = (struct out){.fd = fd};
	err = write_new(j, &f, o, skip);
	if (err)
		goto out_unlink;
	if (rename(tmp, j->path)) {
		err = -errno;
		goto out_unlink;
	}
	close(j->fd);
	j->fd = fd;
	j->end = o->off;
	j->counters.records = o->records;
	j->counters.bytes = o->off;
	j->unsynced = 0;
	err = journal_sync_dir(j->path);
	if (err) {
		/* The rename may not survive a power loss: stop acknowledging. */
		j->broken = err;
		journal_set_error(j,
				  "journal %s: compacted, but syncing its directory failed (%s): "
				  "reopen the journal",
				  j->path, strerror(-err));
	}
	free(o);
	free(f.pages);
	return err;

out_unlink:
	unlink(tmp);
	close(fd);
out_o:
	free(o);
out_free:
	free(f.pages);
	journal_set_error(j, "journal %s: compaction failed (%s); the journal is unchanged",
			  j->path, strerror(-err));
	return err;
}
