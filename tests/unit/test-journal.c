/* SPDX-License-Identifier: MIT */
/*
 * test-journal: the journal's bytes are exactly those docs/journal.md
 * describes (checked against vectors from an independent encoder,
 * tests/cli/journal-data/mkjournals.py); every malformed field, torn
 * tail, damaged middle and damaged header has its documented outcome
 * and message; appends, concurrent appends and compaction replay to the
 * same records, registry and counters.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <seawall/journal.h>
#include <seawall/policy.h>
#include <seawall/registry.h>

#include "crc32c.h"
#include "journal_record.h"
#include "scratch-dir.h"
#include "timefmt.h"

/* ---- helpers ---------------------------------------------------------- */

static void hex_to_bytes(const char *hex, uint8_t *out, size_t len)
{
	assert_int_equal(strlen(hex), len * 2);
	for (size_t i = 0; i < len; i++) {
		unsigned int b;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &b), 1);
		out[i] = (uint8_t)b;
	}
}

static size_t file_size(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return (size_t)st.st_size;
}

static size_t read_file(const char *path, uint8_t *buf, size_t max)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, max);
	close(fd);
	assert_true(n >= 0);
	return (size_t)n;
}

static void write_file(const char *path, const uint8_t *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
}

/* Flip bits of one byte in place. */
static void flip(const char *path, size_t off, uint8_t mask)
{
	uint8_t buf[8192];
	size_t n = read_file(path, buf, sizeof(buf));

	assert_true(off < n);
	buf[off] ^= mask;
	write_file(path, buf, n);
}

static struct sw_journal_record make_event(unsigned int i)
{
	struct sw_journal_record r = {.type = SW_JOURNAL_EVENT};

	r.event.time_ns = 1000000000ull * (i + 1);
	r.event.gpa = 0x80000000ull + (uint64_t)(i % 7) * 0x1000 + 0x48;
	r.event.gva = 0x400000ull + i;
	r.event.esr = 0x92000210;
	r.event.vcpu = i % 4;
	r.event.actions = SW_JOURNAL_ACT_INJECT | SW_JOURNAL_ACT_FENCE;
	r.event.source = 1;
	r.event.guest_el = (uint8_t)(i % 2);
	r.event.flags = SW_JOURNAL_EV_GPA_VALID | SW_JOURNAL_EV_GVA_VALID;
	return r;
}

static struct sw_journal_record make_restart(uint64_t time_ns, uint32_t reason)
{
	return (struct sw_journal_record){.type = SW_JOURNAL_RESTART,
					  .restart = {.time_ns = time_ns, .reason = reason}};
}

#define MAX_SEEN 64

struct seen {
	struct sw_journal_record rec[MAX_SEEN];
	size_t n;
	int fail_at; /* return -ECANCELED at this record (1-based), 0: never */
};

static int collect(const struct sw_journal_record *rec, void *arg)
{
	struct seen *s = arg;

	if (s->n < MAX_SEEN)
		s->rec[s->n] = *rec;
	s->n++;
	return s->fail_at && (int)s->n == s->fail_at ? -ECANCELED : 0;
}

static struct sw_journal *create(const char *path, unsigned int shift)
{
	struct sw_journal_options o = {.flags = SW_JOURNAL_CREATE, .granule_shift = shift};
	struct sw_journal *j = NULL;

	unlink(path);
	assert_int_equal(sw_journal_open(&j, path, &o), 0);
	return j;
}

/* Append make_event(@i); it must get sequence number @want. */
static void append_expect(struct sw_journal *j, unsigned int i, uint64_t want)
{
	struct sw_journal_record r = make_event(i);
	uint64_t seq = 0;

	assert_int_equal(sw_journal_append(j, &r, &seq), 0);
	assert_int_equal(seq, want);
}

/* A journal of @n events (make_event(0..n-1)), closed. */
static void build(const char *path, unsigned int n)
{
	struct sw_journal *j = create(path, 12);

	for (unsigned int i = 0; i < n; i++)
		append_expect(j, i, i + 1);
	assert_int_equal(sw_journal_close(j), 0);
}

static int open_report(const char *path, unsigned int flags, struct seen *s,
		       struct sw_journal_report *rep, struct sw_journal **jp)
{
	struct sw_journal_options o = {
		.flags = flags, .replay = collect, .replay_arg = s, .report = rep};
	struct sw_journal *j = NULL;
	int ret;

	memset(s, 0, sizeof(*s));
	ret = sw_journal_open(&j, path, &o);
	if (jp)
		*jp = j;
	else if (!ret)
		sw_journal_close(j);
	return ret;
}

/* A read-only open finds @path clean, with @n records (kept in @s). */
static void expect_clean(const char *path, struct seen *s, size_t n)
{
	struct sw_journal_report rep;

	assert_int_equal(open_report(path, SW_JOURNAL_READONLY, s, &rep, NULL), 0);
	assert_int_equal(rep.problem, SW_JOURNAL_CLEAN);
	assert_int_equal(s->n, n);
}

/* ---- format: bytes and validation ------------------------------------- */

/* RFC 3720 B.4 and the common check value. */
static void test_crc32c_vectors(void **state)
{
	uint8_t zeros[32] = {0}, ones[32];

	(void)state;
	memset(ones, 0xff, sizeof(ones));
	assert_int_equal(sw_crc32c("123456789", 9), 0xe3069283);
	assert_int_equal(sw_crc32c(zeros, 32), 0x8a9136aa);
	assert_int_equal(sw_crc32c(ones, 32), 0x62a8ab43);
	assert_int_equal(sw_crc32c("", 0), 0);
}

/* Vectors printed by mkjournals.py: header(12, 0x0102030405060708) etc. */
static void test_encode_bytes(void **state)
{
	static const char *hdr_hex =
		"53454157414c4c4a0100400040000c0008070605040302010000000000000000"
		"0000000000000000000000000000000000000000000000000000000056ba0fed";
	static const char *ev_hex =
		"010101030c000000070000000000000088776655443322110000018000000000"
		"480001800000000010020092000000000200000000000000000000004f411b64";
	static const char *rs_hex =
		"0200000001000000080000000000000005000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000285ae5fa";
	static const char *pg_hex =
		"030000000200000000000000000000000a000000000000000000018000000000"
		"140000000000000003000000000000000000000000000000000000005b3ed90c";
	static const char *sm_hex =
		"04000000000000002a00000000000000e8030000000000002800000000000000"
		"0200000000000000e703000000000000f40100000000000000000000405f86f4";
	uint8_t want[64], got[64];
	struct sw_journal_record r = {.type = SW_JOURNAL_EVENT, .seq = 7};

	(void)state;
	jr_encode_header(got, 12, 0x0102030405060708ull);
	hex_to_bytes(hdr_hex, want, 64);
	assert_memory_equal(got, want, 64);

	r.event = (struct sw_journal_event){.time_ns = 0x1122334455667788ull,
					    .gpa = 0x80010000,
					    .gva = 0x80010048,
					    .esr = 0x92000210,
					    .vcpu = 2,
					    .actions = SW_JOURNAL_ACT_INJECT | SW_JOURNAL_ACT_FENCE,
					    .source = 1,
					    .guest_el = 1,
					    .flags = 3};
	jr_encode(got, &r);
	hex_to_bytes(ev_hex, want, 64);
	assert_memory_equal(got, want, 64);

	r = (struct sw_journal_record){.type = SW_JOURNAL_RESTART, .seq = 8};
	r.restart = (struct sw_journal_restart){.time_ns = 5, .reason = 1};
	jr_encode(got, &r);
	hex_to_bytes(rs_hex, want, 64);
	assert_memory_equal(got, want, 64);

	r = (struct sw_journal_record){.type = SW_JOURNAL_PAGE};
	r.page = (struct sw_journal_page){
		.gpa = 0x80010000, .first_ns = 10, .last_ns = 20, .events = 3, .actions = 2};
	jr_encode(got, &r);
	hex_to_bytes(pg_hex, want, 64);
	assert_memory_equal(got, want, 64);

	r = (struct sw_journal_record){.type = SW_JOURNAL_SUMMARY};
	r.summary = (struct sw_journal_summary){.last_seq = 42,
						.cutoff_ns = 1000,
						.events = 40,
						.restarts = 2,
						.last_event_ns = 999,
						.last_restart_ns = 500};
	jr_encode(got, &r);
	hex_to_bytes(sm_hex, want, 64);
	assert_memory_equal(got, want, 64);
}

static void test_decode_roundtrip(void **state)
{
	struct sw_journal_record in = make_event(3), out;
	uint8_t slot[64];
	const char *why = NULL;

	(void)state;
	in.seq = 99;
	in.event.gpa &= ~0xfffull;
	jr_encode(slot, &in);
	assert_true(jr_decode(slot, 12, &out, &why));
	assert_int_equal(out.type, SW_JOURNAL_EVENT);
	assert_int_equal(out.seq, 99);
	assert_memory_equal(&out.event, &in.event, sizeof(in.event));
	/* The same record is misaligned for a 64 KiB granule. */
	assert_false(jr_decode(slot, 16, &out, &why));
	assert_string_equal(why, "gpa is not aligned to the granule");

	/* A fenced access (source 5) fits the version 1 byte: no ESR, no gva. */
	in.event.source = SW_SOURCE_FENCED;
	in.event.esr = 0;
	in.event.gva = 0;
	in.event.flags = SW_JOURNAL_EV_GPA_VALID;
	in.event.actions = SW_JOURNAL_ACT_INJECT;
	jr_encode(slot, &in);
	assert_int_equal(slot[1], 5);
	assert_true(jr_decode(slot, 12, &out, &why));
	assert_memory_equal(&out.event, &in.event, sizeof(in.event));
}

/* Put a valid checksum on a hand-made slot. */
static void reseal(uint8_t *slot)
{
	uint32_t crc = sw_crc32c(slot, 60);

	for (int i = 0; i < 4; i++)
		slot[60 + i] = (uint8_t)(crc >> (8 * i));
}

/*
 * Set byte @off of a valid event slot to @val and re-seal it, or (for
 * checksum cases) XOR it with @val and leave the checksum; expect @why.
 */
static void expect_rejected(size_t off, uint8_t val, bool seal, const char *want)
{
	struct sw_journal_record r = make_event(0), out;
	uint8_t slot[64];
	const char *why = NULL;

	r.seq = 1;
	r.event.gpa = 0x80010000;
	jr_encode(slot, &r);
	if (seal) {
		slot[off] = val;
		reseal(slot);
	} else {
		slot[off] ^= val;
	}
	assert_false(jr_decode(slot, 12, &out, &why));
	assert_string_equal(why, want);
}

static void test_decode_rejects(void **state)
{
	static const struct {
		size_t off;
		uint8_t val;
		bool reseal;
		const char *why;
	} cases[] = {
		{0, 9, true, "unknown record type"},
		{0, 0, true, "unknown record type"},
		{1, 0, true, "event source is not 1-5"},
		{1, 6, true, "event source is not 1-5"},
		{2, 3, true, "guest EL is not 0, 1, 2 or 255"},
		{3, 7, true, "unknown event flag bits"},
		{4, 0x8c, true, "unknown action bits"},
		{25, 0x08, true, "gpa is not aligned to the granule"},
		{3, 2, true, "gpa is set but not flagged valid"},
		{55, 1, true, "reserved record bytes are not zero"},
		{59, 0x80, true, "reserved record bytes are not zero"},
		{30, 1, false, "checksum mismatch"},
		{61, 0xff, false, "checksum mismatch"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_rejected(cases[i].off, cases[i].val, cases[i].reseal, cases[i].why);
}

static void test_decode_other_types(void **state)
{
	struct sw_journal_record r, out;
	uint8_t slot[64] = {0};
	const char *why = NULL;

	(void)state;
	assert_false(jr_decode(slot, 12, &out, &why));
	assert_string_equal(why, "zero-filled slot (allocated, never written)");

	r = make_event(0);
	r.seq = 1;
	r.event.gpa = 0x80010000;
	r.event.flags = SW_JOURNAL_EV_GPA_VALID;
	jr_encode(slot, &r);
	assert_false(jr_decode(slot, 12, &out, &why));
	assert_string_equal(why, "gva is set but not flagged valid");

	r = make_restart(5, 6);
	r.seq = 1;
	jr_encode(slot, &r);
	assert_false(jr_decode(slot, 12, &out, &why));
	assert_string_equal(why, "restart reason is not 0-5");

	r = (struct sw_journal_record){.type = SW_JOURNAL_PAGE};
	r.page = (struct sw_journal_page){.gpa = 0x1000, .first_ns = 5, .last_ns = 5};
	jr_encode(slot, &r);
	assert_false(jr_decode(slot, 12, &out, &why));
	assert_string_equal(why, "page record with no events");
	r.page.events = 1;
	r.page.first_ns = 6;
	jr_encode(slot, &r);
	assert_false(jr_decode(slot, 12, &out, &why));
	assert_string_equal(why, "page record's first time is after its last");
	r.page.first_ns = 5;
	jr_encode(slot, &r);
	assert_true(jr_decode(slot, 12, &out, &why));
	slot[8] = 3; /* a PAGE has no sequence number: its bytes 8-15 are zero */
	reseal(slot);
	assert_false(jr_decode(slot, 12, &out, &why));
	assert_string_equal(why, "reserved record bytes are not zero");
}

static void test_order_rules(void **state)
{
	struct jr_order o = {0};
	struct sw_journal_record sm = {.type = SW_JOURNAL_SUMMARY, .summary.last_seq = 10};
	struct sw_journal_record pg = {.type = SW_JOURNAL_PAGE, .page.gpa = 0x2000};
	struct sw_journal_record ev = make_event(0);
	const char *why = NULL;

	(void)state;
	/* A PAGE stands without its SUMMARY (if that one is damaged)... */
	assert_true(jr_order_check(&o, &pg, &why));
	{
		struct jr_order after_page = o;

		jr_order_advance(&after_page, &pg);
		/* ...but a SUMMARY after a PAGE is out of place. */
		assert_false(jr_order_check(&after_page, &sm, &why));
		assert_string_equal(why, "summary record after the first record");
	}
	assert_true(jr_order_check(&o, &sm, &why));
	jr_order_advance(&o, &sm);
	assert_false(jr_order_check(&o, &sm, &why));
	assert_string_equal(why, "summary record after the first record");
	assert_true(jr_order_check(&o, &pg, &why));
	jr_order_advance(&o, &pg);
	pg.page.gpa = 0x2000;
	assert_false(jr_order_check(&o, &pg, &why));
	assert_string_equal(why, "page records not in ascending gpa order");
	ev.seq = 10;
	assert_false(jr_order_check(&o, &ev, &why));
	assert_string_equal(why, "sequence number does not increase");
	ev.seq = 11;
	assert_true(jr_order_check(&o, &ev, &why));
	jr_order_advance(&o, &ev);
	pg.page.gpa = 0x3000;
	assert_false(jr_order_check(&o, &pg, &why));
	assert_string_equal(why, "page record after an event or restart");
	ev.seq = 11;
	assert_false(jr_order_check(&o, &ev, &why));
}

static void test_header_decode(void **state)
{
	uint8_t good[64], buf[128];
	struct jr_header h;
	const char *why = NULL;

	(void)state;
	jr_encode_header(good, 16, 77);
	assert_int_equal(jr_decode_header(good, 64, &h, &why), SW_JOURNAL_CLEAN);
	assert_int_equal(h.version, 1);
	assert_int_equal(h.granule_shift, 16);
	assert_int_equal(h.created_ns, 77);

	assert_int_equal(jr_decode_header(good, 0, &h, &why), SW_JOURNAL_NOT_A_JOURNAL);
	assert_string_equal(why, "the file is empty");
	assert_int_equal(jr_decode_header((const uint8_t *)"SEAWALLX", 8, &h, &why),
			 SW_JOURNAL_NOT_A_JOURNAL);
	assert_string_equal(why, "it does not start with the journal magic \"SEAWALLJ\"");
	assert_int_equal(jr_decode_header(good, 5, &h, &why), SW_JOURNAL_BAD_HEADER);
	assert_string_equal(why, "the file ends inside the header");
	assert_int_equal(jr_decode_header(good, 63, &h, &why), SW_JOURNAL_BAD_HEADER);
	assert_string_equal(why, "the file ends inside the header");

	memcpy(buf, good, 64);
	buf[20] ^= 1;
	assert_int_equal(jr_decode_header(buf, 64, &h, &why), SW_JOURNAL_BAD_HEADER);
	assert_string_equal(why, "header checksum mismatch");

	/* A version 3 header of 128 bytes with its checksum at 124. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "SEAWALLJ", 8);
	buf[8] = 3;
	buf[10] = 128;
	{
		uint32_t crc = sw_crc32c(buf, 124);

		for (int i = 0; i < 4; i++)
			buf[124 + i] = (uint8_t)(crc >> (8 * i));
	}
	assert_int_equal(jr_decode_header(buf, 128, &h, &why), SW_JOURNAL_BAD_VERSION);
	assert_int_equal(h.version, 3);
	assert_int_equal(jr_decode_header(buf, 100, &h, &why), SW_JOURNAL_BAD_HEADER);
	buf[10] = 60;
	assert_int_equal(jr_decode_header(buf, 128, &h, &why), SW_JOURNAL_BAD_HEADER);
	assert_string_equal(why, "the header size field is out of range");

	memcpy(buf, good, 64);
	buf[14] = 13;
	reseal(buf);
	assert_int_equal(jr_decode_header(buf, 64, &h, &why), SW_JOURNAL_BAD_HEADER);
	assert_string_equal(why, "granule shift is not 12, 14 or 16");
}

static void test_format_time(void **state)
{
	char t[SW_TIME_LEN];

	(void)state;
	assert_true(sw_format_time(t, 0));
	assert_string_equal(t, "1970-01-01T00:00:00.000000000Z");
	assert_true(sw_format_time(t, 1795341600123456789ull));
	assert_string_equal(t, "2026-11-22T10:00:00.123456789Z");
	/* The last instant a u64 of ns can name. */
	assert_true(sw_format_time(t, UINT64_MAX));
	assert_string_equal(t, "2554-07-21T23:34:33.709551615Z");
}

static void test_describe(void **state)
{
	struct sw_journal_record r = {.type = SW_JOURNAL_EVENT, .seq = 1};
	char buf[256], small[16];

	(void)state;
	r.event = (struct sw_journal_event){.time_ns = 1795341600000000000ull,
					    .gpa = 0x80010000,
					    .gva = 0x80010048,
					    .esr = 0x92000210,
					    .actions = SW_JOURNAL_ACT_INJECT | SW_JOURNAL_ACT_FENCE,
					    .source = 1,
					    .guest_el = 1,
					    .flags = 3};
	assert_int_equal(sw_journal_record_describe(&r, buf, sizeof(buf)), 141);
	assert_string_equal(buf, "event seq=1 time=2026-11-22T10:00:00.000000000Z gpa=0x80010000 "
				 "source=kvm_exit el=1 vcpu=0 esr=0x92000210 gva=0x80010048 "
				 "actions=inject,fence");
	assert_int_equal(sw_journal_record_describe(&r, small, sizeof(small)), 141);
	assert_string_equal(small, "event seq=1 tim");

	r.event = (struct sw_journal_event){.time_ns = 1795341600000000000ull,
					    .vcpu = 3,
					    .source = 4,
					    .guest_el = SW_JOURNAL_EL_UNKNOWN};
	sw_journal_record_describe(&r, buf, sizeof(buf));
	assert_string_equal(buf, "event seq=1 time=2026-11-22T10:00:00.000000000Z gpa=- "
				 "source=sigbus_ao el=? vcpu=3 esr=0x0 gva=- actions=none");

	r.event = (struct sw_journal_event){.time_ns = 1795341600000000000ull,
					    .gpa = 0x80500000,
					    .actions = SW_JOURNAL_ACT_INJECT,
					    .source = 5,
					    .guest_el = 1,
					    .flags = SW_JOURNAL_EV_GPA_VALID};
	sw_journal_record_describe(&r, buf, sizeof(buf));
	assert_string_equal(buf, "event seq=1 time=2026-11-22T10:00:00.000000000Z gpa=0x80500000 "
				 "source=fenced el=1 vcpu=0 esr=0x0 gva=- actions=inject");

	r = make_restart(1795341600000000000ull, SW_RESTART_RATE_THRESHOLD);
	r.seq = 9;
	sw_journal_record_describe(&r, buf, sizeof(buf));
	assert_string_equal(buf, "restart seq=9 time=2026-11-22T10:00:00.000000000Z "
				 "reason=rate_threshold");

	r = (struct sw_journal_record){.type = SW_JOURNAL_PAGE};
	r.page = (struct sw_journal_page){.gpa = 0x9abc0000,
					  .first_ns = 1795341600000000000ull,
					  .last_ns = 1795341601000000000ull,
					  .events = 2,
					  .actions = SW_JOURNAL_ACT_NOTIFY | SW_JOURNAL_ACT_STOP};
	sw_journal_record_describe(&r, buf, sizeof(buf));
	assert_string_equal(buf, "page gpa=0x9abc0000 events=2 first=2026-11-22T10:00:00.000000000Z"
				 " last=2026-11-22T10:00:01.000000000Z actions=notify,stop");

	r = (struct sw_journal_record){.type = SW_JOURNAL_SUMMARY};
	r.summary = (struct sw_journal_summary){.last_seq = 12,
						.cutoff_ns = 1795341600000000000ull,
						.events = 11,
						.last_event_ns = 1795341599000000000ull};
	sw_journal_record_describe(&r, buf, sizeof(buf));
	assert_string_equal(buf, "summary last_seq=12 cutoff=2026-11-22T10:00:00.000000000Z "
				 "events=11 restarts=0 last_event=2026-11-22T09:59:59.000000000Z "
				 "last_restart=-");

	r.type = 9;
	assert_int_equal(sw_journal_record_describe(&r, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(sw_journal_record_describe(NULL, buf, sizeof(buf)), -EINVAL);
}

/*
 * One name per value across the library: a record's source is named by
 * sw_sea_source_name() and its actions by sw_action_name(), as in the
 * events and metrics; values outside the enums stay visible.
 */
static void test_describe_names(void **state)
{
	static const char *const sources[] = {"invalid",   "kvm_exit", "esr",	 "sigbus_ar",
					      "sigbus_ao", "fenced",   "invalid"};
	struct sw_journal_record r = {.type = SW_JOURNAL_EVENT, .seq = 1};
	char buf[256], want[256];

	(void)state;
	for (unsigned int src = 0; src < 7; src++) {
		r.event = (struct sw_journal_event){.source = (uint8_t)src, .guest_el = 0};
		sw_journal_record_describe(&r, buf, sizeof(buf));
		snprintf(want, sizeof(want),
			 "event seq=1 time=1970-01-01T00:00:00.000000000Z gpa=- source=%s el=0 "
			 "vcpu=0 esr=0x0 gva=- actions=none",
			 sources[src]);
		assert_string_equal(buf, want);
		if (src >= 1 && src <= 5)
			assert_string_equal(sources[src],
					    sw_sea_source_name((enum sw_sea_source)src));
	}
	r.event = (struct sw_journal_event){.source = 1, .actions = SW_JOURNAL_ACT_ALL | 0x80};
	sw_journal_record_describe(&r, buf, sizeof(buf));
	assert_string_equal(buf, "event seq=1 time=1970-01-01T00:00:00.000000000Z gpa=- "
				 "source=kvm_exit el=0 vcpu=0 esr=0x0 gva=- "
				 "actions=log,notify,inject,fence,replace,restart,stop,0x80");
}

/* The journal's action bits and the policy's: the same actions, no retry. */
static void test_action_bits(void **state)
{
	(void)state;
	assert_int_equal(jr_actions_from_policy(SW_ACT_ALL), SW_JOURNAL_ACT_ALL);
	assert_int_equal(jr_actions_from_policy(SW_ACT_RETRY), 0);
	assert_int_equal(jr_actions_from_policy(SW_ACT_NOTIFY | SW_ACT_RETRY),
			 SW_JOURNAL_ACT_NOTIFY);
	assert_int_equal(jr_actions_from_policy(SW_ACT_INJECT | SW_ACT_FENCE), 0x0c);
	assert_int_equal(jr_actions_from_policy(SW_ACT_STOP | 0x100), SW_JOURNAL_ACT_STOP);
	assert_int_equal(jr_actions_to_policy(SW_JOURNAL_ACT_ALL), SW_ACT_ALL & ~SW_ACT_RETRY);
	assert_int_equal(jr_actions_to_policy(SW_JOURNAL_ACT_INJECT | SW_JOURNAL_ACT_REPLACE),
			 SW_ACT_INJECT | SW_ACT_REPLACE);
	assert_int_equal(jr_actions_to_policy(0x80), 0);
	for (uint32_t bit = 1; bit <= SW_JOURNAL_ACT_STOP; bit <<= 1)
		assert_int_equal(jr_actions_from_policy(jr_actions_to_policy(bit)), bit);
}

/* ---- open, append, replay --------------------------------------------- */

static void test_append_replay(void **state)
{
	const char *path = scratch_path("basic.jrn");
	struct sw_journal *j = create(path, 12);
	struct sw_journal_record r = make_restart(5000000000ull, SW_RESTART_OPERATOR);
	struct sw_journal_counters c;
	struct sw_registry *reg;
	struct sw_journal_report rep;
	struct sw_journal_options o = {.granule_shift = 12};
	struct seen s = {.n = 0};
	uint64_t seq;

	(void)state;
	assert_int_equal(sw_journal_granule_shift(j), 12);
	for (unsigned int i = 0; i < 9; i++) {
		struct sw_journal_record e = make_event(i);

		assert_int_equal(sw_journal_append(j, &e, NULL), 0);
	}
	assert_int_equal(sw_journal_append(j, &r, &seq), 0);
	assert_int_equal(seq, 10);
	assert_int_equal(sw_journal_counters(j, &c), 0);
	assert_int_equal(c.records, 10);
	assert_int_equal(c.bytes, 64 + 10 * 64);
	assert_int_equal(c.events, 9);
	assert_int_equal(c.restarts, 1);
	assert_int_equal(c.last_seq, 10);
	assert_int_equal(c.last_event_ns, 9000000000ull);
	assert_int_equal(c.last_restart_ns, 5000000000ull);
	assert_int_equal(sw_journal_close(j), 0);
	assert_int_equal(file_size(path), 704);

	assert_int_equal(sw_registry_create(&reg, 100, 12), 0);
	o.registry = reg;
	o.replay = collect;
	o.replay_arg = &s;
	o.report = &rep;
	assert_int_equal(sw_journal_open(&j, path, &o), 0);
	assert_int_equal(rep.problem, SW_JOURNAL_CLEAN);
	assert_int_equal(rep.records, 10);
	{
		char want[256];

		snprintf(want, sizeof(want), "journal %s: clean, 10 records", path);
		assert_string_equal(rep.message, want);
	}
	assert_int_equal(s.n, 10);
	for (unsigned int i = 0; i < 9; i++) {
		struct sw_journal_record e = make_event(i);

		e.event.gpa &= ~0xfffull; /* stored aligned to the granule */
		assert_int_equal(s.rec[i].type, SW_JOURNAL_EVENT);
		assert_int_equal(s.rec[i].seq, i + 1);
		assert_int_equal(s.rec[i].offset, 64 + 64 * i);
		assert_memory_equal(&s.rec[i].event, &e.event, sizeof(e.event));
	}
	assert_int_equal(s.rec[9].type, SW_JOURNAL_RESTART);
	assert_int_equal(s.rec[9].restart.reason, SW_RESTART_OPERATOR);
	assert_int_equal(s.rec[9].restart.time_ns, 5000000000ull);
	/* make_event spreads 9 events over 7 pages. */
	assert_int_equal(sw_registry_count(reg), 7);
	assert_int_equal(sw_registry_contains(reg, 0x80006000), 1);
	assert_int_equal(sw_journal_counters(j, &c), 0);
	assert_int_equal(c.events, 9);
	assert_int_equal(c.last_seq, 10);
	/* Sequence numbers go on from the replayed ones. */
	append_expect(j, 20, 11);
	assert_int_equal(sw_journal_close(j), 0);
	sw_registry_destroy(reg);
}

static void test_open_errors(void **state)
{
	struct sw_journal *j = NULL, *j2 = NULL;
	struct sw_journal_report rep;
	struct sw_journal_options o = {.report = &rep};
	const char *missing = scratch_path("missing.jrn");
	char want[512];

	(void)state;
	unlink(missing);
	assert_int_equal(sw_journal_open(&j, missing, &o), -ENOENT);
	assert_int_equal(rep.problem, SW_JOURNAL_ERROR);
	snprintf(want, sizeof(want),
		 "cannot open journal %s for writing: No such file or directory (pass "
		 "SW_JOURNAL_CREATE to start a new one)",
		 missing);
	assert_string_equal(rep.message, want);
	o.flags = SW_JOURNAL_READONLY;
	assert_int_equal(sw_journal_open(&j, missing, &o), -ENOENT);

	o.flags = SW_JOURNAL_CREATE | SW_JOURNAL_READONLY;
	o.granule_shift = 12;
	assert_int_equal(sw_journal_open(&j, missing, &o), -EINVAL);
	snprintf(want, sizeof(want),
		 "cannot open journal %s: bad options: SW_JOURNAL_CREATE with SW_JOURNAL_READONLY",
		 missing);
	assert_string_equal(rep.message, want);
	o.flags = SW_JOURNAL_CREATE;
	o.granule_shift = 0;
	assert_int_equal(sw_journal_open(&j, missing, &o), -EINVAL);
	o.granule_shift = 13;
	assert_int_equal(sw_journal_open(&j, missing, &o), -EINVAL);
	o.granule_shift = 12;
	o.sync = SW_JOURNAL_SYNC_BATCH;
	assert_int_equal(sw_journal_open(&j, missing, &o), -EINVAL);
	o.sync = 7;
	assert_int_equal(sw_journal_open(&j, missing, &o), -EINVAL);
	o.sync = SW_JOURNAL_SYNC_NONE;
	o.flags = 0x40;
	assert_int_equal(sw_journal_open(&j, missing, &o), -EINVAL);
	assert_int_equal(access(missing, F_OK), -1);
	assert_int_equal(sw_journal_open(NULL, missing, &o), -EINVAL);

	/* One writer at a time; readers are welcome. */
	o.flags = SW_JOURNAL_CREATE;
	assert_int_equal(sw_journal_open(&j, missing, &o), 0);
	assert_int_equal(sw_journal_open(&j2, missing, &o), -EBUSY);
	snprintf(want, sizeof(want),
		 "journal %s is open for writing by another process: stop it, or open the "
		 "journal read-only to inspect it",
		 missing);
	assert_string_equal(rep.message, want);
	o.flags = SW_JOURNAL_READONLY;
	assert_int_equal(sw_journal_open(&j2, missing, &o), 0);
	assert_int_equal(sw_journal_close(j2), 0);
	assert_int_equal(sw_journal_close(j), 0);
	assert_int_equal(file_size(missing), 64);

	/* A directory is not a journal. */
	o.flags = SW_JOURNAL_READONLY;
	assert_int_equal(sw_journal_open(&j, scratch_dir, &o), -EINVAL);
	snprintf(want, sizeof(want), "%s is not a regular file: give a journal file path",
		 scratch_dir);
	assert_string_equal(rep.message, want);
}

static void test_errno_untouched(void **state)
{
	struct sw_journal *j = NULL;

	(void)state;
	errno = 1234;
	assert_int_equal(sw_journal_open(&j, scratch_path("nope/nope.jrn"), NULL), -ENOENT);
	assert_int_equal(errno, 1234);
}

static void test_append_rejects(void **state)
{
	const char *path = scratch_path("rejects.jrn");
	struct sw_journal *j = create(path, 12), *ro;
	struct sw_journal_options o = {.flags = SW_JOURNAL_READONLY};
	struct sw_journal_record r = make_event(0);
	char msg[512], want[512];

	(void)state;
	assert_int_equal(sw_journal_error(j, msg, sizeof(msg)), 0);
	r.event.source = 0;
	assert_int_equal(sw_journal_append(j, &r, NULL), -EINVAL);
	sw_journal_error(j, msg, sizeof(msg));
	snprintf(want, sizeof(want),
		 "journal %s: record rejected: event source is not 1-5; see seawall/journal.h",
		 path);
	assert_string_equal(msg, want);
	r = make_event(0);
	r.event.actions = 1u << 7;
	assert_int_equal(sw_journal_append(j, &r, NULL), -EINVAL);
	r = make_event(0);
	r.event.flags = SW_JOURNAL_EV_GPA_VALID; /* gva set but not flagged */
	assert_int_equal(sw_journal_append(j, &r, NULL), -EINVAL);
	r = (struct sw_journal_record){.type = SW_JOURNAL_PAGE};
	r.page = (struct sw_journal_page){.gpa = 0x1000, .events = 1};
	assert_int_equal(sw_journal_append(j, &r, NULL), -EINVAL);
	sw_journal_error(j, msg, sizeof(msg));
	snprintf(want, sizeof(want),
		 "journal %s: record rejected: only EVENT and RESTART records can be appended "
		 "(PAGE and SUMMARY come from compaction); see seawall/journal.h",
		 path);
	assert_string_equal(msg, want);
	r = make_restart(1, 6);
	assert_int_equal(sw_journal_append(j, &r, NULL), -EINVAL);
	/* Nothing was written. */
	assert_int_equal(file_size(path), 64);
	assert_int_equal(sw_journal_close(j), 0);

	assert_int_equal(sw_journal_open(&ro, path, &o), 0);
	r = make_event(0);
	assert_int_equal(sw_journal_append(ro, &r, NULL), -EBADF);
	assert_int_equal(sw_journal_sync(ro), -EBADF);
	assert_int_equal(sw_journal_compact(ro, 0), -EBADF);
	assert_int_equal(sw_journal_close(ro), 0);
	assert_int_equal(file_size(path), 64);
}

static void test_sync_modes(void **state)
{
	static const struct {
		enum sw_journal_sync sync;
		unsigned int records, ms;
	} modes[] = {
		{SW_JOURNAL_SYNC_NONE, 0, 0},
		{SW_JOURNAL_SYNC_EVERY, 0, 0},
		{SW_JOURNAL_SYNC_BATCH, 3, 0},
		{SW_JOURNAL_SYNC_BATCH, 0, 1},
	};

	(void)state;
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		const char *path = scratch_path("sync.jrn");
		struct sw_journal_options o = {.flags = SW_JOURNAL_CREATE,
					       .granule_shift = 14,
					       .sync = modes[m].sync,
					       .sync_records = modes[m].records,
					       .sync_ms = modes[m].ms};
		struct sw_journal *j;
		struct seen s;
		struct sw_journal_report rep;

		unlink(path);
		assert_int_equal(sw_journal_open(&j, path, &o), 0);
		for (unsigned int i = 0; i < 7; i++) {
			struct sw_journal_record r = make_event(i);

			assert_int_equal(sw_journal_append(j, &r, NULL), 0);
		}
		assert_int_equal(sw_journal_sync(j), 0);
		assert_int_equal(sw_journal_close(j), 0);
		assert_int_equal(open_report(path, SW_JOURNAL_READONLY, &s, &rep, NULL), 0);
		assert_int_equal(s.n, 7);
		assert_int_equal(s.rec[6].seq, 7);
		/* A 16 KiB granule: 0x80006048 is stored as 0x80004000. */
		assert_int_equal(s.rec[6].event.gpa, 0x80004000);
	}
}

/* ---- damage ----------------------------------------------------------- */

static void test_torn_tail_partial(void **state)
{
	const char *path = scratch_path("torn.jrn");
	struct sw_journal_report rep;
	struct sw_journal *j;
	struct seen s;
	uint8_t buf[1024];
	size_t n;
	char want[640];

	(void)state;
	build(path, 3);
	n = read_file(path, buf, sizeof(buf));
	memset(buf + n, 0xab, 40);
	write_file(path, buf, n + 40);

	assert_int_equal(open_report(path, SW_JOURNAL_READONLY, &s, &rep, NULL), 0);
	assert_int_equal(rep.problem, SW_JOURNAL_TORN_TAIL);
	assert_int_equal(rep.records, 3);
	assert_int_equal(s.n, 3);
	assert_int_equal(rep.offset, 256);
	assert_int_equal(rep.bytes, 40);
	assert_int_equal(rep.slots, 1);
	assert_int_equal(rep.records_after, 0);
	assert_false(rep.truncated);
	assert_string_equal(rep.reason, "partial record (40 of 64 bytes)");
	snprintf(want, sizeof(want),
		 "journal %s: damaged tail at offset 256: 40 bytes in 1 record slot (partial "
		 "record (40 of 64 bytes)); this is what an interrupted append leaves: every "
		 "complete record before it is intact. Nothing was changed: the next read-write "
		 "open drops the tail",
		 path);
	assert_string_equal(rep.message, want);
	assert_int_equal(file_size(path), 296);

	assert_int_equal(open_report(path, 0, &s, &rep, &j), 0);
	assert_int_equal(rep.problem, SW_JOURNAL_TORN_TAIL);
	assert_true(rep.truncated);
	snprintf(want, sizeof(want),
		 "journal %s: dropped a damaged tail at offset 256: 40 bytes in 1 record slot "
		 "(partial record (40 of 64 bytes)); this is what an interrupted append leaves: "
		 "every complete record before it was kept",
		 path);
	assert_string_equal(rep.message, want);
	assert_int_equal(file_size(path), 256);
	append_expect(j, 3, 4);
	assert_int_equal(sw_journal_close(j), 0);
	expect_clean(path, &s, 4);
}

/* Damage in the last record, then zero-filled slots: still a tail. */
static void test_torn_tail_slots(void **state)
{
	const char *path = scratch_path("tail.jrn");
	struct sw_journal_report rep;
	struct seen s;
	uint8_t buf[2048];
	size_t n;

	(void)state;
	build(path, 4);
	flip(path, 64 + 3 * 64 + 17, 0x10);
	assert_int_equal(open_report(path, SW_JOURNAL_READONLY, &s, &rep, NULL), 0);
	assert_int_equal(rep.problem, SW_JOURNAL_TORN_TAIL);
	assert_int_equal(rep.offset, 256);
	assert_int_equal(rep.bytes, 64);
	assert_int_equal(rep.slots, 1);
	assert_string_equal(rep.reason, "checksum mismatch");
	assert_int_equal(s.n, 3);

	n = read_file(path, buf, sizeof(buf));
	memset(buf + n, 0, 3 * 64);
	write_file(path, buf, n + 3 * 64);
	assert_int_equal(open_report(path, 0, &s, &rep, NULL), 0);
	assert_int_equal(rep.problem, SW_JOURNAL_TORN_TAIL);
	assert_int_equal(rep.offset, 256);
	assert_int_equal(rep.bytes, 4 * 64);
	assert_int_equal(rep.slots, 4);
	assert_true(rep.truncated);
	assert_int_equal(file_size(path), 256);
}

static void test_damaged_middle(void **state)
{
	const char *path = scratch_path("middle.jrn");
	struct sw_journal_report rep;
	struct sw_journal *j;
	struct seen s;
	uint8_t before[1024], after[1024], copy[1024];
	size_t n, m;
	char want[640], damaged[200];

	(void)state;
	build(path, 5);
	flip(path, 64 + 64 + 30, 0x01); /* record 2 of 5 */
	n = read_file(path, before, sizeof(before));

	assert_int_equal(open_report(path, 0, &s, &rep, NULL), -EUCLEAN);
	assert_int_equal(rep.problem, SW_JOURNAL_DAMAGED_MIDDLE);
	assert_int_equal(rep.offset, 128);
	assert_int_equal(rep.slots, 1);
	assert_int_equal(rep.bytes, 64);
	assert_int_equal(rep.records_after, 3);
	assert_int_equal(rep.records, 1);
	assert_int_equal(s.n, 1); /* every record before the damage */
	assert_string_equal(rep.reason, "checksum mismatch");
	snprintf(want, sizeof(want),
		 "journal %s: the record at offset 128 is damaged (checksum mismatch) but 3 valid "
		 "records follow it, so this is not an interrupted append: the file was damaged "
		 "in place. Nothing was changed. Keep a copy, then run 'seawall journal compact "
		 "--salvage %s' to keep every valid record (the original is kept as %s.damaged)",
		 path, path, path);
	assert_string_equal(rep.message, want);
	m = read_file(path, after, sizeof(after));
	assert_int_equal(m, n);
	assert_memory_equal(before, after, n);

	assert_int_equal(open_report(path, SW_JOURNAL_READONLY, &s, &rep, NULL), -EUCLEAN);
	assert_int_equal(
		open_report(path, SW_JOURNAL_READONLY | SW_JOURNAL_SKIP_DAMAGED, &s, &rep, NULL),
		0);
	assert_int_equal(rep.problem, SW_JOURNAL_DAMAGED_MIDDLE);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.rec[0].seq, 1);
	assert_int_equal(s.rec[1].seq, 3);
	assert_int_equal(s.rec[3].seq, 5);
	assert_false(rep.salvaged);

	/* Salvage: keep the original aside, rewrite with every valid record. */
	snprintf(damaged, sizeof(damaged), "%s.damaged", path);
	unlink(damaged);
	assert_int_equal(open_report(path, SW_JOURNAL_SKIP_DAMAGED, &s, &rep, &j), 0);
	assert_true(rep.salvaged);
	assert_int_equal(s.n, 4);
	snprintf(want, sizeof(want),
		 "journal %s: salvaged: left out 1 damaged record slot from offset 128 (checksum "
		 "mismatch) and kept every valid record; the damaged original is %s",
		 path, damaged);
	assert_string_equal(rep.message, want);
	m = read_file(damaged, copy, sizeof(copy));
	assert_int_equal(m, n);
	assert_memory_equal(copy, before, n);
	assert_int_equal(file_size(path), 64 + 4 * 64);
	append_expect(j, 9, 6);
	assert_int_equal(sw_journal_close(j), 0);
	expect_clean(path, &s, 5);
	assert_int_equal(s.rec[4].seq, 6);

	/* A second salvage will not overwrite the first copy. */
	flip(path, 64 + 20, 0x04);
	flip(path, 64 + 64 + 20, 0x04);
	assert_int_equal(open_report(path, SW_JOURNAL_SKIP_DAMAGED, &s, &rep, NULL), -EEXIST);
	snprintf(want, sizeof(want),
		 "journal %s is damaged in the middle, but its copy %s cannot be made: File "
		 "exists. Nothing was changed: move %s aside and retry",
		 path, damaged, damaged);
	assert_string_equal(rep.message, want);
	assert_int_equal(rep.problem, SW_JOURNAL_ERROR);
}

static void test_bad_header(void **state)
{
	const char *path = scratch_path("header.jrn");
	struct sw_journal_report rep;
	struct seen s;
	char want[640];

	(void)state;
	build(path, 2);
	flip(path, 20, 0x80);
	assert_int_equal(open_report(path, 0, &s, &rep, NULL), -EBADMSG);
	assert_int_equal(rep.problem, SW_JOURNAL_BAD_HEADER);
	assert_int_equal(s.n, 0);
	assert_string_equal(rep.reason, "header checksum mismatch");
	snprintf(want, sizeof(want),
		 "journal %s has a damaged header (header checksum mismatch), so none of its "
		 "records can be trusted. Nothing was changed: restore the file from a backup, "
		 "or move it aside to start the VM without its poison history",
		 path);
	assert_string_equal(rep.message, want);
	assert_int_equal(file_size(path), 192);
	/* Skipping damaged records does not extend to the header. */
	assert_int_equal(open_report(path, SW_JOURNAL_SKIP_DAMAGED, &s, &rep, NULL), -EBADMSG);

	write_file(path, (const uint8_t *)"hello\n", 6);
	assert_int_equal(open_report(path, SW_JOURNAL_READONLY, &s, &rep, NULL), -EBADMSG);
	assert_int_equal(rep.problem, SW_JOURNAL_NOT_A_JOURNAL);
	snprintf(want, sizeof(want),
		 "%s is not a seawall journal: it does not start with the journal magic "
		 "\"SEAWALLJ\". Nothing was changed: check the path, or move the file aside to "
		 "start a new journal there",
		 path);
	assert_string_equal(rep.message, want);
	/* SW_JOURNAL_CREATE never overwrites an existing file, even an empty one. */
	write_file(path, (const uint8_t *)"", 0);
	{
		struct sw_journal_options o = {
			.flags = SW_JOURNAL_CREATE, .granule_shift = 12, .report = &rep};
		struct sw_journal *j;

		assert_int_equal(sw_journal_open(&j, path, &o), -EBADMSG);
	}
	assert_int_equal(rep.problem, SW_JOURNAL_NOT_A_JOURNAL);
	assert_string_equal(rep.reason, "the file is empty");
	assert_int_equal(file_size(path), 0);
}

static void test_bad_version(void **state)
{
	const char *path = scratch_path("version.jrn");
	struct sw_journal_report rep;
	struct seen s;
	uint8_t buf[64];
	char want[640];

	(void)state;
	jr_encode_header(buf, 12, 0);
	buf[8] = 3;
	reseal(buf);
	write_file(path, buf, sizeof(buf));
	assert_int_equal(open_report(path, 0, &s, &rep, NULL), -EPROTONOSUPPORT);
	assert_int_equal(rep.problem, SW_JOURNAL_BAD_VERSION);
	snprintf(want, sizeof(want),
		 "journal %s has version 3; this seawall reads version 1. Nothing was changed: "
		 "use a seawall that reads version 3",
		 path);
	assert_string_equal(rep.message, want);
}

static void test_granule_mismatch(void **state)
{
	const char *path = scratch_path("granule.jrn");
	struct sw_journal_report rep;
	struct sw_journal_options o = {.granule_shift = 16, .report = &rep};
	struct sw_registry *reg;
	struct sw_journal *j;
	char want[640];

	(void)state;
	build(path, 3);
	assert_int_equal(sw_journal_open(&j, path, &o), -EINVAL);
	assert_int_equal(rep.problem, SW_JOURNAL_BAD_GRANULE);
	snprintf(want, sizeof(want),
		 "journal %s records 4 KiB pages; this VM uses 64 KiB pages: start a new journal "
		 "for it",
		 path);
	assert_string_equal(rep.message, want);

	assert_int_equal(sw_registry_create(&reg, 10, 14), 0);
	o.granule_shift = 0;
	o.registry = reg;
	assert_int_equal(sw_journal_open(&j, path, &o), -EINVAL);
	assert_int_equal(rep.problem, SW_JOURNAL_BAD_GRANULE);
	sw_registry_destroy(reg);

	/* Three events on three pages do not fit a registry of two. */
	assert_int_equal(sw_registry_create(&reg, 2, 12), 0);
	o.registry = reg;
	assert_int_equal(sw_journal_open(&j, path, &o), -ENOSPC);
	snprintf(want, sizeof(want),
		 "journal %s: the registry is full (capacity 2) at page 0x80002000: create it "
		 "with a larger capacity",
		 path);
	assert_string_equal(rep.message, want);
	sw_registry_destroy(reg);
}

static void test_replay_abort(void **state)
{
	const char *path = scratch_path("abort.jrn");
	struct sw_journal_report rep;
	struct sw_journal_options o = {.report = &rep, .replay = collect};
	struct seen s = {.n = 0, .fail_at = 2};
	struct sw_journal *j;

	(void)state;
	build(path, 4);
	o.replay_arg = &s;
	assert_int_equal(sw_journal_open(&j, path, &o), -ECANCELED);
	assert_int_equal(s.n, 2);
	assert_int_equal(rep.problem, SW_JOURNAL_ERROR);
	/* The lock went with the failed handle. */
	o.replay = NULL;
	assert_int_equal(sw_journal_open(&j, path, &o), 0);
	assert_int_equal(sw_journal_close(j), 0);
}

/* ---- compaction ------------------------------------------------------- */

struct pageset {
	uint64_t gpa[64];
	size_t n;
};

static int add_gpa(uint64_t gpa, void *arg)
{
	struct pageset *p = arg;

	p->gpa[p->n++] = gpa;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Replay @path read-only into a fresh registry; return its counters. */
static void replay_state(const char *path, struct sw_journal_counters *c, struct pageset *pages,
			 struct seen *s)
{
	struct sw_journal_report rep;
	struct sw_registry *reg;
	struct sw_journal_options o = {
		.flags = SW_JOURNAL_READONLY, .replay = collect, .replay_arg = s, .report = &rep};
	struct sw_journal *j;

	memset(s, 0, sizeof(*s));
	assert_int_equal(sw_registry_create(&reg, 64, 12), 0);
	o.registry = reg;
	assert_int_equal(sw_journal_open(&j, path, &o), 0);
	assert_int_equal(rep.problem, SW_JOURNAL_CLEAN);
	assert_int_equal(sw_journal_counters(j, c), 0);
	assert_int_equal(sw_journal_close(j), 0);
	pages->n = 0;
	sw_registry_for_each(reg, add_gpa, pages);
	qsort(pages->gpa, pages->n, sizeof(pages->gpa[0]), cmp_u64);
	sw_registry_destroy(reg);
}

static void assert_same_state(const struct sw_journal_counters *a, const struct pageset *pa,
			      const struct sw_journal_counters *b, const struct pageset *pb)
{
	assert_int_equal(a->events, b->events);
	assert_int_equal(a->restarts, b->restarts);
	assert_int_equal(a->last_seq, b->last_seq);
	assert_int_equal(a->last_event_ns, b->last_event_ns);
	assert_int_equal(a->last_restart_ns, b->last_restart_ns);
	assert_int_equal(pa->n, pb->n);
	assert_memory_equal(pa->gpa, pb->gpa, pa->n * sizeof(pa->gpa[0]));
}

/*
 * 10 events (times 1..10 s, pages 0x80000000 + (i % 7) * 0x1000) with a
 * restart at 4.5 s between events 4 and 5.  Compaction at 6 s folds seq
 * 1..6 (events 0..4 and the restart) and keeps seq 7..11 as they are.
 */
static void test_compact(void **state)
{
	const char *path = scratch_path("compact.jrn");
	struct sw_journal *j = create(path, 12);
	struct sw_journal_counters c0, c1;
	struct pageset p0, p1;
	struct seen s;
	char tmp[200];

	(void)state;
	for (unsigned int i = 0; i < 10; i++) {
		struct sw_journal_record r = make_event(i);

		assert_int_equal(sw_journal_append(j, &r, NULL), 0);
		if (i == 3) {
			r = make_restart(4500000000ull, SW_RESTART_PAGE_THRESHOLD);
			assert_int_equal(sw_journal_append(j, &r, NULL), 0);
		}
	}
	replay_state(path, &c0, &p0, &s);
	assert_int_equal(c0.events, 10);
	assert_int_equal(c0.restarts, 1);
	assert_int_equal(p0.n, 7);

	assert_int_equal(sw_journal_compact(j, 6000000000ull), 0);
	assert_int_equal(sw_journal_counters(j, &c1), 0);
	assert_int_equal(c1.records, 1 + 5 + 5);
	assert_int_equal(c1.bytes, 64 + 11 * 64);
	snprintf(tmp, sizeof(tmp), "%s.compact", path);
	assert_int_equal(access(tmp, F_OK), -1);

	replay_state(path, &c1, &p1, &s);
	assert_same_state(&c0, &p0, &c1, &p1);
	assert_int_equal(s.n, 11);
	assert_int_equal(s.rec[0].type, SW_JOURNAL_SUMMARY);
	assert_int_equal(s.rec[0].summary.last_seq, 6);
	assert_int_equal(s.rec[0].summary.cutoff_ns, 6000000000ull);
	assert_int_equal(s.rec[0].summary.events, 5);
	assert_int_equal(s.rec[0].summary.restarts, 1);
	assert_int_equal(s.rec[0].summary.last_event_ns, 5000000000ull);
	assert_int_equal(s.rec[0].summary.last_restart_ns, 4500000000ull);
	for (unsigned int i = 0; i < 5; i++) {
		assert_int_equal(s.rec[1 + i].type, SW_JOURNAL_PAGE);
		assert_int_equal(s.rec[1 + i].page.gpa, 0x80000000ull + i * 0x1000);
		assert_int_equal(s.rec[1 + i].page.events, 1);
		assert_int_equal(s.rec[1 + i].page.first_ns, 1000000000ull * (i + 1));
		assert_int_equal(s.rec[1 + i].page.actions,
				 SW_JOURNAL_ACT_INJECT | SW_JOURNAL_ACT_FENCE);
	}
	/* Events 5..9 (seq 7..11) are kept as they were. */
	assert_int_equal(s.rec[6].type, SW_JOURNAL_EVENT);
	assert_int_equal(s.rec[6].seq, 7);
	assert_int_equal(s.rec[6].offset, 64 + 6 * 64);
	assert_int_equal(s.rec[10].seq, 11);
	assert_int_equal(s.rec[10].event.time_ns, 10000000000ull);

	/* Appends go on after compaction, with the next sequence number. */
	append_expect(j, 10, 12);
	replay_state(path, &c0, &p0, &s);
	assert_int_equal(c0.events, 11);

	/* Fold again: pages merge with the earlier ones (0x80000000 twice now). */
	assert_int_equal(sw_journal_compact(j, 9000000000ull), 0);
	replay_state(path, &c1, &p1, &s);
	assert_same_state(&c0, &p0, &c1, &p1);
	assert_int_equal(s.rec[0].summary.events, 8);
	assert_int_equal(s.rec[0].summary.last_seq, 9);
	assert_int_equal(s.rec[0].summary.cutoff_ns, 9000000000ull);
	assert_int_equal(s.rec[1].page.gpa, 0x80000000);
	assert_int_equal(s.rec[1].page.events, 2);
	assert_int_equal(s.rec[1].page.first_ns, 1000000000ull);
	assert_int_equal(s.rec[1].page.last_ns, 8000000000ull);
	assert_int_equal(s.n, 1 + 7 + 3);

	/* Everything folded: a summary and one record per page. */
	assert_int_equal(sw_journal_compact(j, UINT64_MAX), 0);
	replay_state(path, &c1, &p1, &s);
	assert_same_state(&c0, &p0, &c1, &p1);
	assert_int_equal(s.n, 1 + 7);
	assert_int_equal(s.rec[0].summary.events, 11);
	assert_int_equal(s.rec[0].summary.last_seq, 12);

	/* Nothing new to fold: the same bytes. */
	{
		uint8_t a[2048], b[2048];
		size_t na = read_file(path, a, sizeof(a)), nb;

		assert_int_equal(sw_journal_compact(j, 0), 0);
		nb = read_file(path, b, sizeof(b));
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, na);
	}
	assert_int_equal(sw_journal_close(j), 0);
}

/* Events without a page count, but add no page; a stale temp file goes. */
static void test_compact_no_gpa(void **state)
{
	const char *path = scratch_path("nogpa.jrn");
	struct sw_journal *j = create(path, 12);
	struct sw_journal_record r = make_event(0);
	struct sw_journal_counters c;
	struct pageset p;
	struct seen s;
	char tmp[200];

	(void)state;
	r.event.flags = 0;
	r.event.gpa = 0;
	r.event.gva = 0;
	assert_int_equal(sw_journal_append(j, &r, NULL), 0);
	assert_int_equal(sw_journal_compact(j, UINT64_MAX), 0);
	assert_int_equal(sw_journal_close(j), 0);
	replay_state(path, &c, &p, &s);
	assert_int_equal(c.events, 1);
	assert_int_equal(p.n, 0);
	assert_int_equal(s.n, 1);

	snprintf(tmp, sizeof(tmp), "%s.compact", path);
	write_file(tmp, (const uint8_t *)"partial", 7);
	assert_int_equal(open_report(path, 0, &s, &(struct sw_journal_report){0}, NULL), 0);
	assert_int_equal(access(tmp, F_OK), -1);
}

/*
 * A damaged SUMMARY loses its counts, never the pages: salvage keeps every
 * PAGE record, so the VM still knows each bad page.
 */
static void test_salvage_keeps_pages(void **state)
{
	const char *path = scratch_path("pages.jrn");
	struct sw_journal *j = create(path, 12);
	struct sw_journal_counters c;
	struct sw_journal_report rep;
	struct pageset p0, p1;
	struct seen s;
	char damaged[200];

	(void)state;
	for (unsigned int i = 0; i < 9; i++)
		append_expect(j, i, i + 1);
	assert_int_equal(sw_journal_compact(j, UINT64_MAX), 0);
	append_expect(j, 9, 10);
	append_expect(j, 10, 11);
	assert_int_equal(sw_journal_close(j), 0);
	replay_state(path, &c, &p0, &s);
	assert_int_equal(p0.n, 7);
	assert_int_equal(s.n, 1 + 7 + 2);

	flip(path, 64 + 30, 0x20); /* the SUMMARY */
	snprintf(damaged, sizeof(damaged), "%s.damaged", path);
	unlink(damaged);
	assert_int_equal(open_report(path, 0, &s, &rep, NULL), -EUCLEAN);
	assert_int_equal(rep.offset, 64);
	assert_int_equal(rep.records_after, 7 + 2);
	assert_int_equal(open_report(path, SW_JOURNAL_SKIP_DAMAGED, &s, &rep, NULL), 0);
	assert_true(rep.salvaged);
	replay_state(path, &c, &p1, &s);
	assert_int_equal(s.n, 7 + 2);
	assert_int_equal(p1.n, 7);
	assert_memory_equal(p0.gpa, p1.gpa, 7 * sizeof(p0.gpa[0]));
	/* The 9 folded events went with the SUMMARY; the 2 after it remain. */
	assert_int_equal(c.events, 2);
	assert_int_equal(c.last_seq, 11);
}

/* ---- concurrency ------------------------------------------------------ */

#define APPENDERS  4
#define PER_THREAD 500

struct appender {
	struct sw_journal *j;
	unsigned int id;
	int failures;
};

static void *append_run(void *arg)
{
	struct appender *a = arg;

	for (unsigned int i = 0; i < PER_THREAD; i++) {
		struct sw_journal_record r = make_event(i);

		r.event.vcpu = a->id;
		r.event.time_ns = i;
		if (sw_journal_append(a->j, &r, NULL))
			a->failures++;
	}
	return NULL;
}

struct order_check {
	uint64_t last_seq;
	uint64_t next[APPENDERS];
	int bad;
};

static int check_order(const struct sw_journal_record *rec, void *arg)
{
	struct order_check *o = arg;
	unsigned int t = rec->event.vcpu;

	if (rec->seq != o->last_seq + 1 || t >= APPENDERS || rec->event.time_ns != o->next[t])
		o->bad++;
	else
		o->next[t]++;
	o->last_seq = rec->seq;
	return 0;
}

static void test_concurrent_appends(void **state)
{
	const char *path = scratch_path("threads.jrn");
	struct sw_journal *j = create(path, 12);
	struct appender a[APPENDERS];
	pthread_t t[APPENDERS];
	struct order_check oc = {0};
	struct sw_journal_options o = {
		.flags = SW_JOURNAL_READONLY, .replay = check_order, .replay_arg = &oc};

	(void)state;
	for (unsigned int i = 0; i < APPENDERS; i++) {
		a[i] = (struct appender){.j = j, .id = i};
		assert_int_equal(pthread_create(&t[i], NULL, append_run, &a[i]), 0);
	}
	for (unsigned int i = 0; i < APPENDERS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(a[i].failures, 0);
	}
	assert_int_equal(sw_journal_close(j), 0);
	assert_int_equal(file_size(path), 64 + APPENDERS * PER_THREAD * 64);
	assert_int_equal(sw_journal_open(&j, path, &o), 0);
	assert_int_equal(sw_journal_close(j), 0);
	assert_int_equal(oc.bad, 0);
	assert_int_equal(oc.last_seq, APPENDERS * PER_THREAD);
	for (unsigned int i = 0; i < APPENDERS; i++)
		assert_int_equal(oc.next[i], PER_THREAD);
}

static int setup(void **state)
{
	(void)state;
	return scratch_create("journal");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32c_vectors),
		cmocka_unit_test(test_encode_bytes),
		cmocka_unit_test(test_decode_roundtrip),
		cmocka_unit_test(test_decode_rejects),
		cmocka_unit_test(test_decode_other_types),
		cmocka_unit_test(test_order_rules),
		cmocka_unit_test(test_header_decode),
		cmocka_unit_test(test_format_time),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_describe_names),
		cmocka_unit_test(test_action_bits),
		cmocka_unit_test(test_append_replay),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_errno_untouched),
		cmocka_unit_test(test_append_rejects),
		cmocka_unit_test(test_sync_modes),
		cmocka_unit_test(test_torn_tail_partial),
		cmocka_unit_test(test_torn_tail_slots),
		cmocka_unit_test(test_damaged_middle),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_bad_version),
		cmocka_unit_test(test_granule_mismatch),
		cmocka_unit_test(test_replay_abort),
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_compact_no_gpa),
		cmocka_unit_test(test_salvage_keeps_pages),
		cmocka_unit_test(test_concurrent_appends),
	};

	return cmocka_run_group_tests(tests, setup, scratch_teardown);
}
