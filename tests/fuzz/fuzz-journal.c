/* SPDX-License-Identifier: MIT */
/*
 * fuzz-journal: arbitrary bytes as a journal file, through every way of
 * opening it, then compaction.  Beyond "no crash, no leak", it checks the
 * promises of docs/journal.md on every input:
 *   - a read-only open never changes the file, and the callback sees
 *     exactly report.records records;
 *   - damage is reported at a record boundary inside the file;
 *   - a read-write open either fails and changes nothing, or leaves a
 *     journal that reopens clean with the same records;
 *   - compaction keeps the counters and the pages.
 * The work per input is linear in its size (libFuzzer bounds the size).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <seawall/journal.h>
#include <seawall/registry.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz-journal: %s:%d: %s\n", __FILE__, __LINE__, #cond);   \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static char path[256];

struct tally {
	uint64_t records, last_offset;
	uint64_t pages_hash; /* order-independent sum of the pages seen */
};

static int count(const struct sw_journal_record *rec, void *arg)
{
	struct tally *t = arg;

	CHECK(rec->offset >= 64 && (rec->offset - 64) % 64 == 0);
	CHECK(t->records == 0 || rec->offset > t->last_offset);
	t->last_offset = rec->offset;
	t->records++;
	return 0;
}

static void write_input(const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	CHECK(fd >= 0);
	CHECK(size == 0 || write(fd, data, size) == (ssize_t)size);
	close(fd);
}

static bool file_is(const uint8_t *data, size_t size)
{
	static uint8_t buf[1 << 20];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	CHECK(fd >= 0);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n == (ssize_t)size && (size == 0 || !memcmp(buf, data, size));
}

static int open_counting(unsigned int flags, struct tally *t, struct sw_journal_report *rep,
			 struct sw_registry *reg, struct sw_journal **jp)
{
	struct sw_journal_options o = {
		.flags = flags, .replay = count, .replay_arg = t, .report = rep, .registry = reg};
	struct sw_journal *j = NULL;
	int ret;

	memset(t, 0, sizeof(*t));
	ret = sw_journal_open(&j, path, &o);
	CHECK(rep->records == t->records || ret == -ENOSPC);
	if (ret == 0 && jp)
		*jp = j;
	else if (ret == 0)
		CHECK(sw_journal_close(j) == 0);
	return ret;
}

static void check_report(const struct sw_journal_report *rep, size_t size, int ret)
{
	switch (rep->problem) {
	case SW_JOURNAL_CLEAN:
		CHECK(ret == 0);
		break;
	case SW_JOURNAL_TORN_TAIL:
	case SW_JOURNAL_DAMAGED_MIDDLE:
		CHECK(rep->offset >= 64 && (rep->offset - 64) % 64 == 0);
		CHECK(rep->offset < size && rep->bytes >= 1 && rep->bytes <= size - rep->offset);
		CHECK(rep->slots >= 1 && rep->reason[0] && rep->message[0]);
		CHECK((rep->problem == SW_JOURNAL_TORN_TAIL) == (rep->records_after == 0));
		break;
	case SW_JOURNAL_BAD_HEADER:
	case SW_JOURNAL_NOT_A_JOURNAL:
		CHECK(ret == -EBADMSG && rep->records == 0);
		break;
	case SW_JOURNAL_BAD_VERSION:
		CHECK(ret == -EPROTONOSUPPORT);
		break;
	default:
		CHECK(rep->message[0]);
		break;
	}
}

static void same_counters(const struct sw_journal_counters *a, const struct sw_journal_counters *b)
{
	CHECK(a->events == b->events && a->restarts == b->restarts && a->last_seq == b->last_seq);
	CHECK(a->last_event_ns == b->last_event_ns && a->last_restart_ns == b->last_restart_ns);
}

static int sum_pages(uint64_t gpa, void *arg)
{
	*(uint64_t *)arg += gpa * 0x9e3779b97f4a7c15ull + 1;
	return 0;
}

static uint64_t pages_of(struct sw_registry *reg)
{
	uint64_t sum = 0;

	sw_registry_for_each(reg, sum_pages, &sum);
	return sum;
}

static void remove_files(void)
{
	char other[300];

	unlink(path);
	snprintf(other, sizeof(other), "%s.compact", path);
	unlink(other);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sw_journal_report rep;
	struct sw_journal_counters c0, c1;
	struct sw_registry *reg0 = NULL, *reg1 = NULL;
	struct tally t, t2;
	struct sw_journal *j;
	size_t cap = size / 64 + 1;
	unsigned int shift;
	uint64_t keep = 0;
	int ret;

	if (!path[0]) {
		/* tmpfs when there is one: the journal's fsyncs cost nothing there. */
		const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";

		snprintf(path, sizeof(path), "%s/sw-fuzz-journal-%ld.jrn", base, (long)getpid());
		atexit(remove_files);
	}
	write_input(data, size);

	/* Read-only: never changes the file, whatever it holds. */
	ret = open_counting(SW_JOURNAL_READONLY, &t, &rep, NULL, NULL);
	check_report(&rep, size, ret);
	CHECK(ret == 0 || ret == -EBADMSG || ret == -EPROTONOSUPPORT || ret == -EUCLEAN);
	CHECK((ret == -EUCLEAN) == (rep.problem == SW_JOURNAL_DAMAGED_MIDDLE));
	ret = open_counting(SW_JOURNAL_READONLY | SW_JOURNAL_SKIP_DAMAGED, &t2, &rep, NULL, NULL);
	check_report(&rep, size, ret);
	CHECK(ret != -EUCLEAN && t2.records >= t.records);
	CHECK(file_is(data, size));

	/* Read-write: fails and changes nothing, or leaves a clean journal. */
	ret = open_counting(0, &t, &rep, NULL, NULL);
	if (ret) {
		CHECK(file_is(data, size));
		goto out;
	}
	CHECK(rep.problem == SW_JOURNAL_CLEAN || rep.problem == SW_JOURNAL_TORN_TAIL);
	CHECK(rep.truncated == (rep.problem == SW_JOURNAL_TORN_TAIL));
	ret = open_counting(SW_JOURNAL_READONLY, &t2, &rep, NULL, &j);
	CHECK(ret == 0 && rep.problem == SW_JOURNAL_CLEAN && t2.records == t.records);
	shift = sw_journal_granule_shift(j);
	CHECK(sw_journal_close(j) == 0);

	/* Compaction keeps the counters and the pages. */
	CHECK(sw_registry_create(&reg0, cap, shift) == 0);
	CHECK(sw_registry_create(&reg1, cap, shift) == 0);
	CHECK(open_counting(SW_JOURNAL_READONLY, &t, &rep, reg0, &j) == 0);
	CHECK(sw_journal_counters(j, &c0) == 0);
	CHECK(sw_journal_close(j) == 0);
	if (size >= 8)
		memcpy(&keep, data + size - 8, sizeof(keep));
	CHECK(open_counting(0, &t, &rep, NULL, &j) == 0);
	CHECK(sw_journal_compact(j, keep) == 0);
	CHECK(sw_journal_close(j) == 0);
	CHECK(open_counting(SW_JOURNAL_READONLY, &t, &rep, reg1, &j) == 0);
	CHECK(rep.problem == SW_JOURNAL_CLEAN);
	CHECK(sw_journal_counters(j, &c1) == 0);
	CHECK(sw_journal_close(j) == 0);
	same_counters(&c0, &c1);
	CHECK(sw_registry_count(reg0) == sw_registry_count(reg1));
	CHECK(pages_of(reg0) == pages_of(reg1));
out:
	sw_registry_destroy(reg0);
	sw_registry_destroy(reg1);
	return 0;
}
