/* SPDX-License-Identifier: MIT */
/*
 * test-replay: a handled SEA becomes a journal record with exact fields
 * (sw_journal_record_from_event), the sink journals what a replay needs
 * and nothing else (sw_journal_sink), and a journal read back into a new
 * policy (sw_policy_replay_journal) gives the live policy's state: the
 * same stats and the same further decisions, through a real journal file,
 * also after compaction.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <seawall/seawall.h>

#include "policy-fixture.h"
#include "scratch-dir.h"

#define T0 (1795341600ull * S) /* 2026-11-22T10:00:00Z */

/* The event a VMM reports after carrying out @d in full. */
static struct sw_event event_of(const struct sw_sea *sea, int vcpu, int el, uint64_t now,
				const struct sw_policy_decision *d)
{
	struct sw_event ev = {
		.time_ns = now, .vm = "vm1", .vcpu = vcpu, .sea = sea, .guest_el = el};

	sw_event_set_decision(&ev, d);
	return ev;
}

static struct sw_journal *create(const char *path)
{
	struct sw_journal_options o = {.flags = SW_JOURNAL_CREATE, .granule_shift = 12};
	struct sw_journal *j = NULL;

	remove(path);
	assert_int_equal(sw_journal_open(&j, path, &o), 0);
	return j;
}

/* Open @path read-write and replay it into @p. */
static struct sw_journal *replay_into(const char *path, struct sw_policy *p)
{
	struct sw_journal_report rep;
	struct sw_journal_options o = {
		.replay = sw_policy_replay_journal,
		.replay_arg = p,
		.report = &rep,
	};
	struct sw_journal *j = NULL;

	assert_int_equal(sw_journal_open(&j, path, &o), 0);
	assert_int_equal(rep.problem, SW_JOURNAL_CLEAN);
	return j;
}

/* ---- sw_journal_record_from_event ------------------------------------ */

/* The load the rig measured, contained by inject + fence: every field. */
static void test_record_exact(void **state)
{
	struct sw_policy_config cfg;
	struct sw_policy *p;
	struct sw_policy_decision d;
	struct sw_journal_record rec;
	struct sw_event ev;
	struct sw_sea sea;
	const char *reason = NULL;
	char line[256];

	(void)state;
	sw_policy_config_default(&cfg);
	p = make(&cfg);
	assert_int_equal(sw_sea_from_exit(&sea, 1, 0x92000210, 0x80010048, 0x80010000, &reason), 0);
	d = decide(p, sea, 0, SW_CAN_FENCE | SW_CAN_REPLACE | SW_CAN_RESTART, T0);
	assert_int_equal(d.actions, SW_ACT_INJECT | SW_ACT_FENCE);
	ev = event_of(&sea, 2, 0, T0, &d);
	memset(&rec, 0xa5, sizeof(rec));
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), 1);
	assert_int_equal(rec.type, SW_JOURNAL_EVENT);
	assert_int_equal(rec.event.time_ns, T0);
	assert_int_equal(rec.event.gpa, 0x80010000);
	assert_int_equal(rec.event.gva, 0x80010048);
	assert_int_equal(rec.event.esr, 0x92000210);
	assert_int_equal(rec.event.vcpu, 2);
	assert_int_equal(rec.event.actions, SW_JOURNAL_ACT_INJECT | SW_JOURNAL_ACT_FENCE);
	assert_int_equal(rec.event.source, 1);
	assert_int_equal(rec.event.guest_el, 0);
	assert_int_equal(rec.event.flags, SW_JOURNAL_EV_GPA_VALID | SW_JOURNAL_EV_GVA_VALID);
	rec.seq = 1;
	sw_journal_record_describe(&rec, line, sizeof(line));
	assert_string_equal(line, "event seq=1 time=2026-11-22T10:00:00.000000000Z gpa=0x80010000 "
				  "source=kvm_exit el=0 vcpu=2 esr=0x92000210 gva=0x80010048 "
				  "actions=inject,fence");

	/* A SIGBUS AR at an unaligned address: the decided page is recorded. */
	sea = sea_of(SW_SOURCE_SIGBUS_AR, PAGE_B + 0x123);
	d = decide(p, sea, SW_GUEST_EL_UNKNOWN, SW_CAN_ALL, T0 + S);
	assert_int_equal(d.actions, SW_ACT_RESTART);
	ev = event_of(&sea, 0, SW_GUEST_EL_UNKNOWN, T0 + S, &d);
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), 1);
	assert_int_equal(rec.event.gpa, PAGE_B);
	assert_int_equal(rec.event.gva, 0);
	assert_int_equal(rec.event.esr, 0);
	assert_int_equal(rec.event.vcpu, 0);
	assert_int_equal(rec.event.actions, SW_JOURNAL_ACT_RESTART);
	assert_int_equal(rec.event.source, 3);
	assert_int_equal(rec.event.guest_el, SW_JOURNAL_EL_UNKNOWN);
	assert_int_equal(rec.event.flags, SW_JOURNAL_EV_GPA_VALID);

	/* SIGBUS AO outside guest memory, on no vCPU: no page at all. */
	sea = sea_of(SW_SOURCE_SIGBUS_AO, 0);
	sea.gpa_valid = false;
	d = decide(p, sea, SW_GUEST_EL_UNKNOWN, SW_CAN_ALL, T0 + 2 * S);
	ev = event_of(&sea, -1, SW_GUEST_EL_UNKNOWN, T0 + 2 * S, &d);
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), 1);
	rec.seq = 3;
	sw_journal_record_describe(&rec, line, sizeof(line));
	assert_string_equal(line, "event seq=3 time=2026-11-22T10:00:02.000000000Z gpa=- "
				  "source=sigbus_ao el=? vcpu=- esr=0x0 gva=- actions=log");
	sw_policy_free(p);
}

/* Retries, answers and deadlines are not SEAs a replay may see. */
static void test_record_not_journaled(void **state)
{
	struct sw_sea sea = sea_of(SW_SOURCE_KVM_EXIT, PAGE_A);
	struct sw_sea ao = sea_of(SW_SOURCE_SIGBUS_AO, PAGE_A);
	struct sw_journal_record rec, untouched;
	struct sw_event ev = {.time_ns = T0, .vcpu = 1, .sea = &sea, .guest_el = 0};

	(void)state;
	memset(&untouched, 0x5a, sizeof(untouched));
	rec = untouched;
	ev.reason = SW_REASON_NOTIFY_PENDING;
	ev.actions = 0; /* a VMM that does not count the re-entry as an action */
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), 0);
	ev.reason = 0;
	ev.actions = SW_ACT_RETRY;
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), 0);
	ev.reason = SW_REASON_OFFLINED;
	ev.actions = SW_ACT_LOG;
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), 0);
	ev.vcpu = -1;
	ev.reason = SW_REASON_NOTIFY_FAILED;
	ev.actions = SW_ACT_FENCE;
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), 0);
	ev.reason = SW_REASON_NOTIFY_EXPIRED;
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), 0);
	ev.vcpu = 3;
	ev.sea = &ao;
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), 0);
	assert_memory_equal(&rec, &untouched, sizeof(rec));

	/* The same reasons for a consumption on a vCPU are the fallback: journaled. */
	ev.sea = &sea;
	ev.actions = SW_ACT_INJECT | SW_ACT_FENCE;
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), 1);
	assert_int_equal(rec.event.actions, SW_JOURNAL_ACT_INJECT | SW_JOURNAL_ACT_FENCE);
	ev.reason = SW_REASON_NOTIFY_FAILED;
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), 1);
	/* Notify + retry keeps the notify. */
	ev.reason = SW_REASON_USER_FAULT;
	ev.actions = SW_ACT_NOTIFY | SW_ACT_RETRY;
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), 1);
	assert_int_equal(rec.event.actions, SW_JOURNAL_ACT_NOTIFY);
}

static void test_record_invalid(void **state)
{
	struct sw_sea sea = sea_of(SW_SOURCE_KVM_EXIT, PAGE_A);
	struct sw_journal_record rec;
	struct sw_event ev = {.time_ns = T0, .vcpu = 0, .sea = &sea, .actions = SW_ACT_LOG};

	(void)state;
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), 1);
	assert_int_equal(sw_journal_record_from_event(NULL, &ev), -EINVAL);
	assert_int_equal(sw_journal_record_from_event(&rec, NULL), -EINVAL);
	ev.sea = NULL;
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), -EINVAL);
	ev.sea = &sea;
	sea.source = 0;
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), -EINVAL);
	sea.source = 6;
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), -EINVAL);
	sea.source = SW_SOURCE_ESR; /* a raw ESR is a valid journal source */
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), 1);
	ev.guest_el = 3;
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), -EINVAL);
	ev.guest_el = -2;
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), -EINVAL);
	ev.guest_el = 1;
	ev.vcpu = -2;
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), -EINVAL);
	ev.vcpu = 0;
	ev.actions = 0x100;
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), -EINVAL);
	assert_int_equal(sw_journal_sink(&ev, NULL), -EINVAL);
}

/* ---- sw_policy_replay_journal, record by record ---------------------- */

static struct sw_journal_record journal_event(uint64_t time, uint8_t source, uint64_t gpa,
					      uint8_t el, uint32_t actions)
{
	struct sw_journal_record r = {.type = SW_JOURNAL_EVENT, .seq = 1};

	r.event = (struct sw_journal_event){.time_ns = time,
					    .gpa = gpa,
					    .actions = actions,
					    .source = source,
					    .guest_el = el,
					    .flags = SW_JOURNAL_EV_GPA_VALID};
	return r;
}

static void test_replay_records(void **state)
{
	struct sw_policy *p = make(NULL);
	struct sw_journal_record r;
	struct sw_policy_decision d;
	struct sw_sea sea = sea_of(SW_SOURCE_KVM_EXIT, PAGE_A);
	uint64_t deadline;

	(void)state;
	/* A notification: pending again, its deadline counted from the record. */
	r = journal_event(T0, SW_SOURCE_KVM_EXIT, PAGE_A, 0, SW_JOURNAL_ACT_NOTIFY);
	assert_int_equal(sw_policy_replay_journal(&r, p), 0);
	expect_stats(p, 1, 1, 0, 1);
	assert_int_equal(sw_policy_next_deadline(p, &deadline), 0);
	assert_int_equal(deadline, T0 + 2 * S);
	d = decide(p, sea, 0, SW_CAN_ALL, T0 + S);
	assert_int_equal(d.actions, SW_ACT_RETRY);
	assert_int_equal(d.reason, SW_REASON_NOTIFY_PENDING);

	/* A raw ESR never went through the policy. */
	r = journal_event(T0, SW_SOURCE_ESR, PAGE_B, 1, SW_JOURNAL_ACT_LOG);
	assert_int_equal(sw_policy_replay_journal(&r, p), 0);
	expect_stats(p, 1, 1, 0, 1);

	/* An event's restart bit is not the restart: the RESTART record is. */
	r = journal_event(T0 + S, SW_SOURCE_KVM_EXIT, PAGE_B, 1, SW_JOURNAL_ACT_RESTART);
	assert_int_equal(sw_policy_replay_journal(&r, p), 0);
	expect_stats(p, 2, 1, 0, 2);
	r = (struct sw_journal_record){.type = SW_JOURNAL_RESTART, .seq = 2};
	r.restart = (struct sw_journal_restart){.time_ns = T0 + S, .reason = SW_RESTART_POLICY};
	assert_int_equal(sw_policy_replay_journal(&r, p), 0);
	expect_stats(p, 0, 0, 1, 2);

	assert_int_equal(sw_policy_replay_journal(NULL, p), -EINVAL);
	assert_int_equal(sw_policy_replay_journal(&r, NULL), -EINVAL);
	r.type = 9;
	assert_int_equal(sw_policy_replay_journal(&r, p), -EINVAL);
	expect_stats(p, 0, 0, 1, 2);
	sw_policy_free(p);
}

/* Compaction's records: the folded restarts, and the pages seen after them. */
static void test_replay_compacted_records(void **state)
{
	struct sw_policy *p = make(NULL);
	struct sw_journal_record r = {.type = SW_JOURNAL_SUMMARY};
	struct sw_policy_decision d;
	struct sw_sea sea;

	(void)state;
	r.summary = (struct sw_journal_summary){.last_seq = 9,
						.cutoff_ns = T0 + 100 * S,
						.events = 7,
						.restarts = 2,
						.last_event_ns = T0 + 60 * S,
						.last_restart_ns = T0 + 50 * S};
	assert_int_equal(sw_policy_replay_journal(&r, p), 0);
	expect_stats(p, 0, 0, 2, 0);

	/* Last seen at the latest restart (it caused it): forgotten with it. */
	r = (struct sw_journal_record){.type = SW_JOURNAL_PAGE};
	r.page =
		(struct sw_journal_page){.gpa = PAGE_A,
					 .first_ns = T0,
					 .last_ns = T0 + 50 * S,
					 .events = 3,
					 .actions = SW_JOURNAL_ACT_INJECT | SW_JOURNAL_ACT_RESTART};
	assert_int_equal(sw_policy_replay_journal(&r, p), 0);
	expect_stats(p, 0, 0, 2, 0);
	/* Seen after it: known bad, contained as a known page. */
	r.page = (struct sw_journal_page){.gpa = PAGE_B,
					  .first_ns = T0 + 51 * S,
					  .last_ns = T0 + 51 * S,
					  .events = 1,
					  .actions = SW_JOURNAL_ACT_INJECT | SW_JOURNAL_ACT_FENCE};
	assert_int_equal(sw_policy_replay_journal(&r, p), 0);
	expect_stats(p, 1, 0, 2, 0);
	/* Notified after it: a new consumption gets the fallback. */
	r.page = (struct sw_journal_page){.gpa = PAGE_C,
					  .first_ns = T0 + 55 * S,
					  .last_ns = T0 + 60 * S,
					  .events = 2,
					  .actions = SW_JOURNAL_ACT_NOTIFY};
	assert_int_equal(sw_policy_replay_journal(&r, p), 0);
	expect_stats(p, 2, 0, 2, 0);

	sea = sea_of(SW_SOURCE_KVM_EXIT, PAGE_C + 8);
	d = decide(p, sea, 0, SW_CAN_ALL, T0 + 200 * S);
	assert_int_equal(d.actions, SW_ACT_INJECT | SW_ACT_FENCE);
	assert_int_equal(d.reason, SW_REASON_CONSUMED_AGAIN);
	assert_false(d.new_page);
	sea = sea_of(SW_SOURCE_KVM_EXIT, PAGE_B);
	d = decide(p, sea, 0, SW_CAN_ALL, T0 + 201 * S);
	assert_int_equal(d.actions, SW_ACT_NOTIFY | SW_ACT_RETRY);
	assert_int_equal(d.reason, SW_REASON_USER_FAULT);
	assert_false(d.new_page);
	sea = sea_of(SW_SOURCE_KVM_EXIT, PAGE_A);
	d = decide(p, sea, 0, SW_CAN_ALL, T0 + 202 * S);
	assert_true(d.new_page);
	assert_int_equal(d.distinct_pages, 3);
	sw_policy_free(p);
}

/* ---- through a journal file ------------------------------------------ */

/*
 * The generated run of test-policy's replay test, this time as a VMM
 * does it: each decision becomes an event, the sink journals it (and the
 * restart it caused), the live policy learns of the restart.  Returns the
 * time of the last event; *@retries counts the retries of a notification
 * in flight, which the sink leaves out.  @incidents, if not NULL, gets the
 * time of each decision and the live incident count after it.
 */
static uint64_t live_run(struct sw_policy *live, struct sw_journal *j, unsigned int *retries,
			 uint64_t (*incidents)[2])
{
	uint64_t seed = GENERATED_SEED, now = T0;

	*retries = 0;
	for (size_t i = 0; i < 400; i++) {
		struct generated g = generated_event(&seed, &now);
		bool ao = g.sea.source == SW_SOURCE_SIGBUS_AO;
		struct sw_policy_decision d = decide(live, g.sea, g.el, g.caps, now);
		struct sw_event ev = event_of(&g.sea, ao ? -1 : (int)(i % 4), g.el, now, &d);

		*retries += d.reason == SW_REASON_NOTIFY_PENDING;
		assert_int_equal(sw_journal_sink(&ev, j), 0);
		if (d.actions & SW_ACT_RESTART)
			sw_policy_restarted(live);
		if (incidents) {
			struct sw_policy_stats st;

			sw_policy_stats(live, &st);
			incidents[i][0] = now;
			incidents[i][1] = st.incidents;
		}
	}
	return now;
}

static void test_round_trip(void **state)
{
	const char *path = scratch_path("run.jrn");
	struct sw_policy_config cfg;
	struct sw_policy *live, *replayed;
	struct sw_journal_counters c;
	struct sw_journal *j;
	unsigned int retries;
	uint64_t seed = 0xfeed, now;

	(void)state;
	generated_config(&cfg);
	live = make(&cfg);
	j = create(path);
	now = live_run(live, j, &retries, NULL);
	assert_int_equal(sw_journal_counters(j, &c), 0);
	assert_int_equal(sw_journal_close(j), 0);
	/* The run, pinned as test-policy pins it: 400 decisions, 19 restarts;
	 * every decision but the 25 retries is journaled. */
	expect_stats(live, 5, 1, 19, 314);
	assert_int_equal(retries, 25);
	assert_int_equal(c.events, 400 - retries);
	assert_int_equal(c.restarts, 19);

	replayed = make(&cfg);
	j = replay_into(path, replayed);
	expect_same_stats(live, replayed);
	decide_alike(live, replayed, &seed, now);
	assert_int_equal(sw_journal_close(j), 0);
	sw_policy_free(live);
	sw_policy_free(replayed);
}

/*
 * Re-accesses of fenced pages through the sink and back: source 5 with the
 * decided page, no ESR, no gva; replayed, they count as incidents and add
 * no page, as the live policy did, and the next decisions are alike.
 */
static void test_round_trip_fenced(void **state)
{
	const char *path = scratch_path("fenced.jrn");
	const unsigned int caps = SW_CAN_FENCE | SW_CAN_REPLACE | SW_CAN_RESTART;
	struct sw_policy *live = make(NULL), *replayed = make(NULL);
	struct sw_journal_record rec;
	struct sw_policy_decision d, e;
	struct sw_journal *j = create(path);
	struct sw_sea exit = sea_of(SW_SOURCE_KVM_EXIT, PAGE_A), fenced, other;
	struct sw_event ev;
	char line[256];

	(void)state;
	assert_int_equal(sw_sea_from_fenced(&fenced, PAGE_A + 0x48, true, NULL), 0);
	assert_int_equal(sw_sea_from_fenced(&other, PAGE_B, false, NULL), 0);
	d = decide(live, exit, 0, caps, T0);
	assert_int_equal(d.actions, SW_ACT_INJECT | SW_ACT_FENCE);
	ev = event_of(&exit, 0, 0, T0, &d);
	assert_int_equal(sw_journal_sink(&ev, j), 0);
	d = decide(live, fenced, 0, caps, T0 + S);
	assert_int_equal(d.actions, SW_ACT_INJECT);
	assert_int_equal(d.unavailable, SW_ACT_NOTIFY);
	ev = event_of(&fenced, 0, 0, T0 + S, &d);
	assert_int_equal(sw_journal_record_from_event(&rec, &ev), 1);
	assert_int_equal(rec.event.gpa, PAGE_A);
	assert_int_equal(rec.event.gva, 0);
	assert_int_equal(rec.event.esr, 0);
	assert_int_equal(rec.event.source, 5);
	assert_int_equal(rec.event.flags, SW_JOURNAL_EV_GPA_VALID);
	rec.seq = 2;
	sw_journal_record_describe(&rec, line, sizeof(line));
	assert_string_equal(line, "event seq=2 time=2026-11-22T10:00:01.000000000Z gpa=0x80010000 "
				  "source=fenced el=0 vcpu=0 esr=0x0 gva=- actions=inject");
	assert_int_equal(sw_journal_sink(&ev, j), 0);
	/* A page this policy never saw (fenced before a VMM restart without
	 * a journal): decided, journaled, still not a page. */
	d = decide(live, other, 1, caps, T0 + 2 * S);
	assert_int_equal(d.actions, SW_ACT_RESTART);
	ev = event_of(&other, 1, 1, T0 + 2 * S, &d);
	assert_int_equal(sw_journal_sink(&ev, j), 0);
	sw_policy_restarted(live);
	assert_int_equal(sw_journal_close(j), 0);
	expect_stats(live, 0, 0, 1, 3);

	j = replay_into(path, replayed);
	expect_same_stats(live, replayed);
	d = decide(live, exit, 0, caps, T0 + 3 * S);
	e = decide(replayed, exit, 0, caps, T0 + 3 * S);
	expect_same(&d, &e);
	d = decide(live, fenced, 0, caps, T0 + 4 * S);
	e = decide(replayed, fenced, 0, caps, T0 + 4 * S);
	expect_same(&d, &e);
	expect_stats(replayed, 1, 0, 1, 5);
	assert_int_equal(sw_journal_close(j), 0);
	sw_policy_free(live);
	sw_policy_free(replayed);
}

/*
 * Compacted with the rate window kept: the distinct pages, the pending
 * notifications and the restarts come back exactly; the incidents and the
 * rate bucket only from the events kept whole (a folded event's detail is
 * what compaction gives up).
 */
static void test_round_trip_compacted(void **state)
{
	const char *path = scratch_path("compacted.jrn");
	struct sw_policy_config cfg;
	struct sw_policy *live, *replayed;
	struct sw_policy_stats a, b;
	struct sw_journal_counters c;
	struct sw_journal *j;
	uint64_t trace[400][2];
	struct sw_policy_decision d, e;
	unsigned int retries;
	struct sw_sea sea;
	size_t i;
	uint64_t now;

	(void)state;
	generated_config(&cfg);
	live = make(&cfg);
	j = create(path);
	now = live_run(live, j, &retries, trace);
	assert_int_equal(sw_journal_compact(j, now - cfg.rate_window_ns), 0);
	assert_int_equal(sw_journal_counters(j, &c), 0);
	assert_int_equal(sw_journal_close(j), 0);
	assert_int_equal(c.events, 400 - retries);
	assert_int_equal(c.restarts, 19);
	/* A SUMMARY, a PAGE for each of the 5 pages, the 36 records of the last 20 s. */
	assert_int_equal(c.records, 1 + 5 + 36);

	replayed = make(&cfg);
	j = replay_into(path, replayed);
	sw_policy_stats(live, &a);
	sw_policy_stats(replayed, &b);
	assert_int_equal(b.distinct_pages, a.distinct_pages);
	assert_int_equal(b.restarts, a.restarts);
	assert_int_equal(b.notifying, a.notifying);
	/* The live incidents counted by the decisions at or after the cutoff. */
	for (i = 0; trace[i][0] < now - cfg.rate_window_ns; i++)
		;
	assert_int_equal(b.incidents, a.incidents - trace[i - 1][1]);
	assert_int_equal(b.incidents, 28);
	/*
	 * The rate bucket is rebuilt from those events alone: it starts empty
	 * at the cutoff, so in this storm (events every 0.75 s against 5 per
	 * 20 s) the live policy contains the next event at once and stops
	 * the VM, the replayed one still tells the guest (docs/policy.md).
	 */
	sea = sea_of(SW_SOURCE_KVM_EXIT, PAGE_A);
	d = decide(live, sea, 0, SW_CAN_ALL, now + S);
	e = decide(replayed, sea, 0, SW_CAN_ALL, now + S);
	assert_int_equal(d.escalation, SW_ESC_RATE);
	assert_int_equal(d.actions, SW_ACT_INJECT | SW_ACT_FENCE | SW_ACT_STOP);
	assert_int_equal(e.escalation, 0);
	assert_int_equal(e.actions, SW_ACT_NOTIFY | SW_ACT_RETRY);
	assert_int_equal(sw_journal_close(j), 0);
	sw_policy_free(live);
	sw_policy_free(replayed);
}

/* A restart folded by compaction still forgets the pages seen before it. */
static void test_round_trip_restart_folded(void **state)
{
	const char *path = scratch_path("folded.jrn");
	struct sw_policy_config cfg;
	struct sw_policy *live, *replayed;
	struct sw_journal *j;
	static const struct {
		uint64_t gpa;
		int el;
	} events[] = {{PAGE_A, 0}, {PAGE_B, 0}, {PAGE_C, 1}, {0x90000000, 0}};

	(void)state;
	sw_policy_config_default(&cfg);
	live = make(&cfg);
	j = create(path);
	for (size_t i = 0; i < 4; i++) {
		struct sw_sea sea = sea_of(SW_SOURCE_KVM_EXIT, events[i].gpa);
		uint64_t now = T0 + i * S;
		struct sw_policy_decision d = decide(live, sea, events[i].el, SW_CAN_ALL, now);
		struct sw_event ev = event_of(&sea, 0, events[i].el, now, &d);

		assert_int_equal(sw_journal_sink(&ev, j), 0);
		if (d.actions & SW_ACT_RESTART)
			sw_policy_restarted(live); /* the kernel fault on PAGE_C */
	}
	expect_stats(live, 1, 1, 1, 4);
	assert_int_equal(sw_journal_compact(j, UINT64_MAX), 0);
	assert_int_equal(sw_journal_close(j), 0);

	replayed = make(&cfg);
	j = replay_into(path, replayed);
	/* The page after the restart is known; its notification ended long ago. */
	expect_stats(replayed, 1, 0, 1, 0);
	assert_int_equal(sw_journal_close(j), 0);
	sw_policy_free(live);
	sw_policy_free(replayed);
}

/* The sink's records, as the journal holds them. */
static int collect(const struct sw_journal_record *rec, void *arg)
{
	char(*lines)[200] = arg;
	size_t i = rec->seq - 1;

	if (i < 4)
		sw_journal_record_describe(rec, lines[i], sizeof(lines[i]));
	return 0;
}

static void test_sink_records(void **state)
{
	const char *path = scratch_path("sink.jrn");
	struct sw_policy_config cfg;
	struct sw_policy *p;
	struct sw_journal *j;
	struct sw_journal_options o = {.flags = SW_JOURNAL_READONLY, .replay = collect};
	char lines[4][200] = {{0}};
	struct sw_sea sea;

	(void)state;
	sw_policy_config_default(&cfg);
	cfg.max_pages = 1;
	p = make(&cfg);
	j = create(path);
	for (int i = 0; i < 3; i++) {
		/* notify + retry, a retry (not journaled), then a second page past max_pages */
		uint64_t gpa = i < 2 ? PAGE_A : PAGE_B, now = T0 + (uint64_t)i * MS;
		struct sw_policy_decision d;
		struct sw_event ev;

		sea = sea_of(SW_SOURCE_KVM_EXIT, gpa);
		d = decide(p, sea, 0, SW_CAN_ALL, now);
		ev = event_of(&sea, 1, 0, now, &d);
		assert_int_equal(sw_journal_sink(&ev, j), 0);
	}
	assert_int_equal(sw_journal_close(j), 0);
	o.replay_arg = lines;
	assert_int_equal(sw_journal_open(&j, path, &o), 0);
	assert_int_equal(sw_journal_close(j), 0);
	assert_string_equal(lines[0], "event seq=1 time=2026-11-22T10:00:00.000000000Z "
				      "gpa=0x80010000 source=kvm_exit el=0 vcpu=1 esr=0x0 gva=- "
				      "actions=notify");
	assert_string_equal(lines[1], "event seq=2 time=2026-11-22T10:00:00.002000000Z "
				      "gpa=0x80022000 source=kvm_exit el=0 vcpu=1 esr=0x0 gva=- "
				      "actions=inject,fence,restart");
	assert_string_equal(lines[2], "restart seq=3 time=2026-11-22T10:00:00.002000000Z "
				      "reason=page_threshold");
	assert_string_equal(lines[3], "");
	sw_policy_free(p);
}

static int setup(void **state)
{
	(void)state;
	return scratch_create("replay");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_exact),
		cmocka_unit_test(test_record_not_journaled),
		cmocka_unit_test(test_record_invalid),
		cmocka_unit_test(test_replay_records),
		cmocka_unit_test(test_replay_compacted_records),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_fenced),
		cmocka_unit_test(test_round_trip_compacted),
		cmocka_unit_test(test_round_trip_restart_folded),
		cmocka_unit_test(test_sink_records),
	};

	return cmocka_run_group_tests_name("replay", tests, setup, scratch_teardown);
}
