/* SPDX-License-Identifier: MIT */
/*
 * crash-journal: the journal never loses an acknowledged record and never
 * invents one, whatever kills the writer and whatever happens to the file.
 *
 * 1. Kills.  A child appends records (each a pure function of its
 *    sequence number), compacts now and then, and reports every
 *    acknowledged sequence number to the parent through a pipe; the
 *    parent SIGKILLs it at a random point (after a random number of
 *    acknowledgements, or a random delay into a compaction), then replays
 *    the journal: the records must be 1..M in order with M the last
 *    acknowledged number or one more (the append in flight), each exactly
 *    as generated, and the counters and pages those of records 1..M.
 * 2. Truncation.  Random prefixes of a reference journal: every complete
 *    record is replayed, the tail is reported exactly, and a read-write
 *    open cuts exactly the torn tail.
 * 3. Corruption.  Random bytes of a reference journal flipped: every
 *    record before the damage is replayed, and the outcome (damaged
 *    header, torn tail, damage in the middle with N valid records after
 *    it) is exactly the one docs/journal.md defines.
 *
 * Everything random comes from one seed, printed first; pass --seed N to
 * replay a run (the kill timing itself is up to the scheduler).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <seawall/journal.h>
#include <seawall/registry.h>

#define DEFAULT_SEED  0x5eaa11u
#define KILL_ROUNDS   300
#define TRUNC_CASES   300
#define CORRUPT_CASES 400
#define T0	      1795341600000000000ull /* 2026-11-22T10:00:00Z */
#define MAX_PAGES     512

/* Messages from the child: a sequence number, or one of these. */
#define MSG_COMPACT_BEGIN (UINT64_MAX - 1)
#define MSG_COMPACT_END	  (UINT64_MAX - 2)

static uint64_t seed;
static char dir[256];

/* ---- randomness and the record generator ------------------------------ */

/* splitmix64 (Steele, Lea, Flood 2014): a good stream from any seed. */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

struct rng {
	uint64_t state;
};

static uint64_t rnd(struct rng *r)
{
	r->state += 0x9e3779b97f4a7c15ull;
	return mix(r->state);
}

static uint64_t below(struct rng *r, uint64_t n)
{
	return n ? rnd(r) % n : 0;
}

static uint64_t seq_time(uint64_t seq)
{
	return T0 + seq * 1000;
}

/* The record with sequence number @seq: the same in the child and the parent. */
static struct sw_journal_record generate(uint64_t seq)
{
	uint64_t h = mix(seed ^ (seq * 0x2545f4914f6cdd1dull));
	struct sw_journal_record r = {.seq = seq};

	if (seq % 13 == 0) {
		r.type = SW_JOURNAL_RESTART;
		r.restart.time_ns = seq_time(seq);
		r.restart.reason = (uint32_t)(h % 6);
		return r;
	}
	r.type = SW_JOURNAL_EVENT;
	r.event.time_ns = seq_time(seq);
	r.event.source = (uint8_t)(1 + h % 4);
	r.event.guest_el = (h >> 8) % 4 == 3 ? SW_JOURNAL_EL_UNKNOWN : (uint8_t)((h >> 8) % 4);
	r.event.actions = (uint32_t)(h >> 12) & SW_JOURNAL_ACT_ALL;
	r.event.vcpu = (uint32_t)((h >> 20) % 8);
	r.event.esr = (h >> 24) & 1 ? 0x92000210 : 0x82000210;
	if ((h >> 28) % 17) {
		r.event.flags |= SW_JOURNAL_EV_GPA_VALID;
		/* Any address in one of MAX_PAGES pages; the journal aligns it. */
		r.event.gpa = 0x80000000ull + ((h >> 32) % MAX_PAGES) * 4096 + (h >> 48) % 4096;
	}
	if ((h >> 29) & 1) {
		r.event.flags |= SW_JOURNAL_EV_GVA_VALID;
		r.event.gva = 0xffff000000000000ull | (h & 0xffffffffffffull);
	}
	return r;
}

static struct sw_journal_record stored(uint64_t seq)
{
	struct sw_journal_record r = generate(seq);

	if (r.type == SW_JOURNAL_EVENT)
		r.event.gpa &= ~0xfffull;
	return r;
}

static bool same_record(const struct sw_journal_record *a, const struct sw_journal_record *b)
{
	if (a->type != b->type || a->seq != b->seq)
		return false;
	switch (a->type) {
	case SW_JOURNAL_EVENT:
		return !memcmp(&a->event, &b->event, sizeof(a->event));
	case SW_JOURNAL_RESTART:
		return a->restart.time_ns == b->restart.time_ns &&
		       a->restart.reason == b->restart.reason;
	case SW_JOURNAL_PAGE:
		return !memcmp(&a->page, &b->page, sizeof(a->page));
	case SW_JOURNAL_SUMMARY:
		return !memcmp(&a->summary, &b->summary, sizeof(a->summary));
	}
	return false;
}

/* ---- TAP --------------------------------------------------------------- */

static int test_no;
static int failures;

static void result(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void result(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		failures++;
}

/* A failure's details, printed once for the first few. */
static int diag_budget = 20;

static void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void diag(const char *fmt, ...)
{
	va_list ap;

	if (diag_budget <= 0)
		return;
	diag_budget--;
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* ---- part 1: kills ----------------------------------------------------- */

struct plan {
	int sync;		    /* enum sw_journal_sync */
	unsigned int compact_every; /* appends between compactions, 0: rarely */
	bool kill_in_compaction;    /* kill after a compaction starts, not after acks */
	uint64_t acks_before_kill;
	uint64_t delay_us;
};

static void send_msg(int fd, uint64_t v)
{
	if (write(fd, &v, sizeof(v)) != sizeof(v))
		_exit(3);
}

static void child(const char *path, const struct plan *p, uint64_t round, int out)
{
	struct sw_journal_options o = {
		.flags = SW_JOURNAL_CREATE,
		.granule_shift = 12,
		.sync = p->sync,
		.sync_records = 8,
		.sync_ms = 2,
	};
	struct rng r = {mix(seed ^ round)};
	struct sw_journal_counters c;
	struct sw_journal *j;

	if (sw_journal_open(&j, path, &o))
		_exit(2);
	sw_journal_counters(j, &c);
	for (uint64_t n = 1; n <= 5000; n++) {
		struct sw_journal_record rec = generate(c.last_seq + n);
		uint64_t seq;

		if ((p->compact_every && n % p->compact_every == 0) ||
		    (!p->compact_every && below(&r, 200) == 0)) {
			uint64_t last = c.last_seq + n - 1;

			send_msg(out, MSG_COMPACT_BEGIN);
			if (sw_journal_compact(j, seq_time(last > 30 ? last - 30 : 0)))
				_exit(4);
			send_msg(out, MSG_COMPACT_END);
		}
		if (sw_journal_append(j, &rec, &seq) || seq != rec.seq)
			_exit(5);
		send_msg(out, seq);
	}
	sw_journal_close(j);
	_exit(0);
}

/* What the parent expects of records 1..upto. */
struct model {
	uint64_t upto;
	uint64_t events, restarts, last_event_ns, last_restart_ns;
	bool page[MAX_PAGES];
	size_t pages;
};

static void model_advance(struct model *m, uint64_t to)
{
	while (m->upto < to) {
		struct sw_journal_record r = stored(++m->upto);

		if (r.type == SW_JOURNAL_RESTART) {
			m->restarts++;
			m->last_restart_ns = r.restart.time_ns;
			continue;
		}
		m->events++;
		m->last_event_ns = r.event.time_ns;
		if (r.event.flags & SW_JOURNAL_EV_GPA_VALID) {
			size_t i = (r.event.gpa - 0x80000000ull) >> 12;

			m->pages += !m->page[i];
			m->page[i] = true;
		}
	}
}

struct verify {
	uint64_t next_seq; /* the live sequence number expected next */
	uint64_t records;
	bool summary_seen;
	int bad;
	char why[200];
};

static int verify_one(const struct sw_journal_record *rec, void *arg)
{
	struct verify *v = arg;
	struct sw_journal_record want;

	v->records++;
	if (v->bad)
		return 0;
	switch (rec->type) {
	case SW_JOURNAL_SUMMARY:
		v->summary_seen = true;
		v->next_seq = rec->summary.last_seq + 1;
		return 0;
	case SW_JOURNAL_PAGE:
		return 0;
	default:
		break;
	}
	want = stored(v->next_seq);
	if (!same_record(rec, &want)) {
		v->bad = 1;
		snprintf(v->why, sizeof(v->why),
			 "record at offset %" PRIu64 " has seq %" PRIu64 ", expected seq %" PRIu64
			 " as generated",
			 rec->offset, rec->seq, v->next_seq);
	}
	v->next_seq++;
	return 0;
}

struct kill_stats {
	uint64_t rounds, kills, acks, in_flight_found, mid_compaction, stale_temp, torn;
	uint64_t lost, invented, mismatched, damaged, state_wrong;
};

/* Replay the journal and check it against the acknowledgements. */
static void verify_round(const char *path, uint64_t acked, uint64_t *prev_m, struct model *m,
			 struct kill_stats *st, uint64_t round)
{
	struct sw_journal_report rep;
	struct sw_registry *reg;
	struct verify v = {.next_seq = 1};
	struct sw_journal_options o = {.flags = SW_JOURNAL_READONLY,
				       .replay = verify_one,
				       .replay_arg = &v,
				       .report = &rep};
	struct sw_journal_counters c;
	struct sw_journal *j;
	uint64_t last;
	int ret;

	sw_registry_create(&reg, MAX_PAGES, 12);
	o.registry = reg;
	ret = sw_journal_open(&j, path, &o);
	if (ret) {
		st->damaged++;
		diag("round %" PRIu64 ": open failed (%d): %s", round, ret, rep.message);
		sw_registry_destroy(reg);
		return;
	}
	if (rep.problem == SW_JOURNAL_TORN_TAIL)
		st->torn++;
	else if (rep.problem != SW_JOURNAL_CLEAN) {
		st->damaged++;
		diag("round %" PRIu64 ": %s", round, rep.message);
	}
	sw_journal_counters(j, &c);
	sw_journal_close(j);
	last = v.next_seq - 1;
	if (v.bad) {
		st->mismatched++;
		diag("round %" PRIu64 ": %s", round, v.why);
	}
	if (last < acked || last < *prev_m) {
		st->lost++;
		diag("round %" PRIu64 ": last record %" PRIu64 " but %" PRIu64
		     " was acknowledged (previous round ended at %" PRIu64 ")",
		     round, last, acked, *prev_m);
	}
	if (last > acked + 1 && last > *prev_m) {
		st->invented++;
		diag("round %" PRIu64 ": last record %" PRIu64 ", only %" PRIu64
		     " acknowledged and one in flight",
		     round, last, acked);
	}
	if (last == acked + 1)
		st->in_flight_found++;
	if (last > *prev_m)
		*prev_m = last;
	model_advance(m, last);
	if (c.events != m->events || c.restarts != m->restarts || c.last_seq != last ||
	    c.last_event_ns != m->last_event_ns || c.last_restart_ns != m->last_restart_ns ||
	    sw_registry_count(reg) != m->pages) {
		st->state_wrong++;
		diag("round %" PRIu64 ": replayed events %" PRIu64 " restarts %" PRIu64
		     " pages %zu, expected %" PRIu64 " %" PRIu64 " %zu",
		     round, c.events, c.restarts, sw_registry_count(reg), m->events, m->restarts,
		     m->pages);
	}
	for (size_t i = 0; i < MAX_PAGES; i++)
		if (m->page[i] && !sw_registry_contains(reg, 0x80000000ull + i * 4096))
			st->state_wrong++;
	sw_registry_destroy(reg);
}

static struct plan make_plan(struct rng *r)
{
	struct plan p = {0};
	uint64_t s = below(r, 10);

	p.sync = s < 6	 ? SW_JOURNAL_SYNC_NONE
		 : s < 9 ? SW_JOURNAL_SYNC_BATCH
			 : SW_JOURNAL_SYNC_EVERY;
	p.kill_in_compaction = below(r, 10) < 3;
	p.compact_every = p.kill_in_compaction ? 20 : 0;
	p.acks_before_kill = below(r, 301);
	p.delay_us = p.kill_in_compaction ? below(r, 3001) : below(r, 201);
	return p;
}

static void sleep_us(uint64_t us)
{
	struct timespec ts = {.tv_sec = (time_t)(us / 1000000),
			      .tv_nsec = (long)(us % 1000000) * 1000};

	nanosleep(&ts, NULL);
}

static void kill_rounds(void)
{
	char path[300], tmp[320];
	struct rng r = {seed};
	struct kill_stats st = {0};
	struct model *m = calloc(1, sizeof(*m));
	uint64_t prev_m = 0;

	snprintf(path, sizeof(path), "%s/kill.jrn", dir);
	snprintf(tmp, sizeof(tmp), "%s.compact", path);
	for (uint64_t round = 0; round < KILL_ROUNDS; round++) {
		struct plan p = make_plan(&r);
		uint64_t acked = 0, got = 0, msg;
		bool compacting = false, killed = false;
		int fds[2];
		pid_t pid;

		if (pipe(fds)) {
			perror("pipe");
			exit(1);
		}
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			close(fds[0]);
			child(path, &p, round, fds[1]);
		}
		close(fds[1]);
		st.rounds++;
		while (read(fds[0], &msg, sizeof(msg)) == sizeof(msg)) {
			if (msg == MSG_COMPACT_BEGIN) {
				compacting = true;
			} else if (msg == MSG_COMPACT_END) {
				compacting = false;
			} else {
				acked = msg;
				got++;
			}
			if (!killed && ((p.kill_in_compaction && compacting) ||
					(!p.kill_in_compaction && got >= p.acks_before_kill))) {
				sleep_us(p.delay_us);
				kill(pid, SIGKILL);
				killed = true;
			}
		}
		/* Everything the child sent before it died has been read: EOF. */
		close(fds[0]);
		waitpid(pid, NULL, 0);
		st.kills += killed;
		st.acks += got;
		st.mid_compaction += killed && compacting;
		st.stale_temp += access(tmp, F_OK) == 0;
		verify_round(path, acked, &prev_m, m, &st, round);
	}
	printf("# %" PRIu64 " rounds, %" PRIu64 " kills (%" PRIu64 " during a compaction, %" PRIu64
	       " left FILE.compact behind), %" PRIu64 " acknowledged appends; the append in "
	       "flight was found in the file %" PRIu64 " times; %" PRIu64 " torn tails; %" PRIu64
	       " records at the end\n",
	       st.rounds, st.kills, st.mid_compaction, st.stale_temp, st.acks, st.in_flight_found,
	       st.torn, prev_m);
	result(st.lost == 0 && st.damaged == 0,
	       "kill: every acknowledged record survived %" PRIu64 " SIGKILLs", st.kills);
	result(st.invented == 0 && st.mismatched == 0,
	       "kill: records are 1..M in order, exactly as appended, M at most one past the "
	       "last acknowledgement");
	result(st.state_wrong == 0,
	       "kill: replayed counters and pages are those of records 1..M, through %" PRIu64
	       " kills during compaction",
	       st.mid_compaction);
	free(m);
}

/* ---- parts 2 and 3: a reference journal, truncated and corrupted ------ */

struct ref {
	uint8_t *bytes;
	size_t size;
	struct sw_journal_record rec[400];
	size_t n;
	size_t summary_slot; /* the slot of the SUMMARY record */
	size_t first_live;   /* the first EVENT or RESTART slot */
};

static int ref_collect(const struct sw_journal_record *rec, void *arg)
{
	struct ref *ref = arg;

	ref->rec[ref->n++] = *rec;
	return 0;
}

static void read_whole(const char *path, uint8_t **bytes, size_t *size)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st)) {
		perror(path);
		exit(1);
	}
	*size = (size_t)st.st_size;
	*bytes = malloc(*size + 1);
	if (!*bytes || read(fd, *bytes, *size) != (ssize_t)*size) {
		perror(path);
		exit(1);
	}
	close(fd);
}

static void write_whole(const char *path, const uint8_t *bytes, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, bytes, size) != (ssize_t)size) {
		perror(path);
		exit(1);
	}
	close(fd);
}

/* 300 records, the first 200 appended and compacted at seq 150. */
static void build_reference(struct ref *ref)
{
	struct sw_journal_options o = {.flags = SW_JOURNAL_CREATE, .granule_shift = 12};
	struct sw_journal *j;
	char path[300];

	snprintf(path, sizeof(path), "%s/ref.jrn", dir);
	unlink(path);
	if (sw_journal_open(&j, path, &o))
		exit(1);
	for (uint64_t seq = 1; seq <= 300; seq++) {
		struct sw_journal_record r = generate(seq);

		if (sw_journal_append(j, &r, NULL))
			exit(1);
		if (seq == 200 && sw_journal_compact(j, seq_time(150)))
			exit(1);
	}
	sw_journal_close(j);
	o = (struct sw_journal_options){
		.flags = SW_JOURNAL_READONLY, .replay = ref_collect, .replay_arg = ref};
	if (sw_journal_open(&j, path, &o))
		exit(1);
	sw_journal_close(j);
	read_whole(path, &ref->bytes, &ref->size);
	ref->summary_slot = SIZE_MAX;
	ref->first_live = ref->n;
	for (size_t i = 0; i < ref->n; i++) {
		if (ref->rec[i].type == SW_JOURNAL_SUMMARY)
			ref->summary_slot = i;
		if (ref->first_live == ref->n && (ref->rec[i].type == SW_JOURNAL_EVENT ||
						  ref->rec[i].type == SW_JOURNAL_RESTART))
			ref->first_live = i;
	}
	printf("# reference journal: %zu bytes, %zu records (summary at slot %zu, %zu pages, "
	       "live records from slot %zu)\n",
	       ref->size, ref->n, ref->summary_slot, ref->first_live - 1, ref->first_live);
}

struct got {
	struct sw_journal_record rec[400];
	size_t n;
};

static int got_collect(const struct sw_journal_record *rec, void *arg)
{
	struct got *g = arg;

	if (g->n < 400)
		g->rec[g->n] = *rec;
	g->n++;
	return 0;
}

static int open_case(const char *path, unsigned int flags, struct got *g,
		     struct sw_journal_report *rep)
{
	struct sw_journal_options o = {
		.flags = flags, .replay = got_collect, .replay_arg = g, .report = rep};
	struct sw_journal *j;
	int ret;

	g->n = 0;
	ret = sw_journal_open(&j, path, &o);
	if (!ret)
		sw_journal_close(j);
	return ret;
}

/* Are @g's records exactly the reference's slots where @keep is true? */
static bool same_as(const struct ref *ref, const struct got *g, const bool *keep)
{
	size_t k = 0;

	for (size_t i = 0; i < ref->n; i++) {
		if (!keep[i])
			continue;
		if (k >= g->n || !same_record(&g->rec[k], &ref->rec[i]) ||
		    g->rec[k].offset != ref->rec[i].offset)
			return false;
		k++;
	}
	return k == g->n;
}

static size_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? SIZE_MAX : (size_t)st.st_size;
}

static void truncation_cases(const struct ref *ref)
{
	struct rng r = {mix(seed ^ 0x7472756e63ull)};
	uint64_t wrong = 0, cut_wrong = 0, torn = 0;
	char path[300];
	bool keep[400];

	snprintf(path, sizeof(path), "%s/trunc.jrn", dir);
	for (int c = 0; c < TRUNC_CASES; c++) {
		/* The edges first, then anywhere. */
		static const size_t edges[] = {0, 1, 8, 63, 64, 65, 127, 128};
		size_t len = c < 8 ? edges[c] : c == 8 ? ref->size - 1 : below(&r, ref->size + 1);
		size_t whole = len < 64 ? 0 : (len - 64) / 64,
		       part = len < 64 ? 0 : (len - 64) % 64;
		struct sw_journal_report rep;
		struct got g;
		int ret;

		write_whole(path, ref->bytes, len);
		ret = open_case(path, SW_JOURNAL_READONLY, &g, &rep);
		for (size_t i = 0; i < ref->n; i++)
			keep[i] = i < whole;
		if (len < 64) {
			enum sw_journal_problem want =
				len == 0 ? SW_JOURNAL_NOT_A_JOURNAL : SW_JOURNAL_BAD_HEADER;

			if (ret != -EBADMSG || rep.problem != want || g.n) {
				wrong++;
				diag("truncated to %zu: got %d, problem %d", len, ret, rep.problem);
			}
			continue;
		}
		if (ret || !same_as(ref, &g, keep) ||
		    rep.problem != (part ? SW_JOURNAL_TORN_TAIL : SW_JOURNAL_CLEAN) ||
		    (part &&
		     (rep.offset != 64 + whole * 64 || rep.bytes != part || rep.slots != 1))) {
			wrong++;
			diag("truncated to %zu: got %d, %zu records (want %zu), %s", len, ret, g.n,
			     whole, rep.message);
			continue;
		}
		torn += part != 0;
		ret = open_case(path, 0, &g, &rep);
		if (ret || rep.truncated != (part != 0) || file_size(path) != 64 + whole * 64 ||
		    open_case(path, SW_JOURNAL_READONLY, &g, &rep) || rep.problem ||
		    !same_as(ref, &g, keep)) {
			cut_wrong++;
			diag("truncated to %zu: the read-write open did not leave exactly %zu "
			     "records",
			     len, whole);
		}
	}
	result(wrong == 0,
	       "truncation: %d random lengths (%" PRIu64 " inside a record): every complete "
	       "record replayed, the torn tail reported exactly",
	       TRUNC_CASES, torn);
	result(cut_wrong == 0, "truncation: a read-write open cuts exactly the torn tail");
}

/*
 * Which slots stay valid: every undamaged one.  (Flipped bytes cannot
 * make a record that passes its checksum, and skipping damaged slots
 * keeps the others in order; a PAGE stands even without its SUMMARY.)
 */
static void damage_model(const struct ref *ref, const bool *hit, bool *valid)
{
	for (size_t i = 0; i < ref->n; i++)
		valid[i] = !hit[i];
}

struct corrupt_stats {
	uint64_t header, tail, middle, wrong;
};

static void corrupt_one(const struct ref *ref, struct rng *r, const char *path, uint8_t *buf,
			struct corrupt_stats *st)
{
	bool hit[400] = {false}, valid[400], keep[400];
	size_t nbytes = 1 + below(r, 4), first = SIZE_MAX, after = 0, nvalid = 0;
	bool header = false, magic = false;
	struct sw_journal_report rep;
	struct got g;
	int ret;

	/* Aim at the header, at the last record (a tail) or at any record. */
	uint64_t kind = below(r, 20);
	size_t lo = kind < 3 ? 0 : kind < 6 ? ref->size - 64 : 64;
	size_t hi = kind < 3 ? 64 : ref->size;

	memcpy(buf, ref->bytes, ref->size);
	for (size_t k = 0; k < nbytes; k++)
		buf[lo + below(r, hi - lo)] ^= (uint8_t)(1 + below(r, 255));
	/* Judge by what changed: two flips of one byte may cancel. */
	for (size_t pos = 0; pos < ref->size; pos++) {
		if (buf[pos] == ref->bytes[pos])
			continue;
		header |= pos < 64;
		magic |= pos < 8;
		if (pos >= 64)
			hit[(pos - 64) / 64] = true;
	}
	write_whole(path, buf, ref->size);
	ret = open_case(path, SW_JOURNAL_READONLY, &g, &rep);
	if (header) {
		st->header++;
		if (ret != -EBADMSG || g.n ||
		    rep.problem != (magic ? SW_JOURNAL_NOT_A_JOURNAL : SW_JOURNAL_BAD_HEADER)) {
			st->wrong++;
			diag("header damage: got %d, problem %d, %zu records", ret, rep.problem,
			     g.n);
		}
		return;
	}
	damage_model(ref, hit, valid);
	for (size_t i = 0; i < ref->n; i++) {
		if (!valid[i] && first == SIZE_MAX)
			first = i;
		if (valid[i] && first != SIZE_MAX)
			after++;
		nvalid += valid[i];
		keep[i] = first == SIZE_MAX;
	}
	if (first == SIZE_MAX) { /* every flip undone by another: no damage */
		if (ret || rep.problem)
			st->wrong++;
		return;
	}
	if (!same_as(ref, &g, keep) || rep.offset != 64 + first * 64 ||
	    rep.records_after != after ||
	    (after ? ret != -EUCLEAN || rep.problem != SW_JOURNAL_DAMAGED_MIDDLE
		   : ret || rep.problem != SW_JOURNAL_TORN_TAIL)) {
		st->wrong++;
		diag("damage at slot %zu, %zu valid after: got %d, %zu records, offset %" PRIu64
		     ", %" PRIu64 " after: %s",
		     first, after, ret, g.n, rep.offset, rep.records_after, rep.message);
		return;
	}
	if (!after) {
		st->tail++;
		return;
	}
	st->middle++;
	/* Skipping damage replays every valid record; salvage keeps them all. */
	if (open_case(path, SW_JOURNAL_READONLY | SW_JOURNAL_SKIP_DAMAGED, &g, &rep) ||
	    !same_as(ref, &g, valid)) {
		st->wrong++;
		diag("damage at slot %zu: skipping replayed %zu records, want %zu", first, g.n,
		     nvalid);
	}
}

static void corruption_cases(const struct ref *ref)
{
	struct rng r = {mix(seed ^ 0x636f7272ull)};
	struct corrupt_stats st = {0};
	uint8_t *buf = malloc(ref->size), *now;
	size_t now_size;
	char path[300], damaged[320];
	uint64_t unchanged_wrong = 0, salvage_wrong = 0;

	snprintf(path, sizeof(path), "%s/corrupt.jrn", dir);
	snprintf(damaged, sizeof(damaged), "%s.damaged", path);
	for (int c = 0; c < CORRUPT_CASES; c++) {
		struct sw_journal_report rep;
		struct got g;
		int ret;

		corrupt_one(ref, &r, path, buf, &st);
		/* A read-write open changes nothing unless the damage is a torn tail. */
		ret = open_case(path, 0, &g, &rep);
		read_whole(path, &now, &now_size);
		if (ret ? now_size != ref->size || memcmp(now, buf, ref->size)
			: rep.problem == SW_JOURNAL_TORN_TAIL &&
				    now_size != 64 + 64 * (size_t)rep.records)
			unchanged_wrong++;
		free(now);
		if (ret == -EUCLEAN) {
			unlink(damaged);
			write_whole(path, buf, ref->size);
			ret = open_case(path, SW_JOURNAL_SKIP_DAMAGED, &g, &rep);
			read_whole(damaged, &now, &now_size);
			if (ret || !rep.salvaged || now_size != ref->size ||
			    memcmp(now, buf, ref->size) ||
			    open_case(path, SW_JOURNAL_READONLY, &g, &rep) ||
			    rep.problem != SW_JOURNAL_CLEAN)
				salvage_wrong++;
			free(now);
		}
	}
	printf("# %d corruptions: %" PRIu64 " in the header, %" PRIu64 " torn tails, %" PRIu64
	       " in the middle\n",
	       CORRUPT_CASES, st.header, st.tail, st.middle);
	result(st.wrong == 0,
	       "corruption: every record before the damage replayed, the outcome exactly the "
	       "documented one (header, tail, middle)");
	result(unchanged_wrong == 0,
	       "corruption: a read-write open changes only a torn tail, never other damage");
	result(salvage_wrong == 0,
	       "corruption: salvage keeps the original as FILE.damaged and leaves a clean "
	       "journal");
	free(buf);
}

int main(int argc, char **argv)
{
	const char *tmpdir = getenv("TMPDIR");
	struct ref *ref = calloc(1, sizeof(*ref));
	char cmd[300];

	seed = DEFAULT_SEED;
	if (argc == 3 && !strcmp(argv[1], "--seed")) {
		seed = strtoull(argv[2], NULL, 0);
	} else if (argc != 1) {
		fprintf(stderr, "usage: crash-journal [--seed N]\n");
		return 2;
	}
	snprintf(dir, sizeof(dir), "%s/sw-crash-journal.XXXXXX", tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(dir) || !ref) {
		perror("mkdtemp");
		return 1;
	}
	printf("1..8\n# seed 0x%" PRIx64 " (replay with --seed 0x%" PRIx64 "), in %s\n", seed, seed,
	       dir);
	kill_rounds();
	build_reference(ref);
	truncation_cases(ref);
	corruption_cases(ref);
	free(ref->bytes);
	free(ref);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", dir);
	return failures ? 1 : 0;
}
