/* SPDX-License-Identifier: MIT */
/*
 * bench/sea-path: the instructions libseawall executes for one handled SEA,
 * from the KVM_EXIT_ARM_SEA record to a decision carried out and reported,
 * part by part.  Not a test: bench/sea-path.sh runs it under callgrind and
 * prints the table (docs/performance.md).
 *
 * N exits are handled as the reference VMM handles them without a guest
 * agent: a load from guest EL0 on a new page each time, decided inject +
 * fence, injected with the ONE_REG strategy.  Each part runs for all N
 * events between two callgrind client requests (zero, then dump under the
 * part's name), so its dump holds exactly that part's instructions; the
 * kernel's work in a system call is never counted by callgrind, and the
 * only system call here is the journal's pwrite().  A warm-up pass first
 * takes the one-time costs (lazy binding, first use of the C library).
 *
 * The reference, in the same run: the event's JSON line written by hand,
 * as a VMM without libseawall would log the SEA: gmtime_r(), the action
 * names, one snprintf() of every value.  Its output is checked to be the
 * library's line byte for byte, so both do the same work.
 *
 * Outside valgrind the client requests do nothing: the program then only
 * checks that every part did what it should.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <valgrind/callgrind.h>

#include <seawall/seawall.h>

#define N  1000
#define T0 1795854896000000000ull /* 2026-11-28T08:34:56Z */
#define MS 1000000ull

/* The vCPU the rig reports (docs/decode.md): RAS, PAN, UAO, SSBS, BTI, DIT. */
static const struct sw_vcpu_features features = {
	.ras = true, .pan = true, .uao = true, .ssbs = true, .bti = true, .dit = true};

/* Guest EL0 (EL0t, interrupts unmasked) as a Linux guest runs it. */
static const struct sw_vcpu_state vcpu_state = {
	.pc = 0x400a10,
	.pstate = 0x0,
	.vbar_el1 = 0xffff800080010800ull,
	.sctlr_el1 = 0x34d5d91dull,
};

struct kvm_exit_sea {
	uint64_t flags, esr, gva, gpa; /* run->arm_sea */
};

/* Everything one pass works on; created before the pass is measured. */
struct pass {
	struct sw_registry *registry;
	struct sw_policy *policy;
	struct sw_metrics *metrics;
	struct sw_journal *journal;
	char path[512]; /* the journal's scratch file */
	struct kvm_exit_sea exits[N];
	struct sw_sea sea[N];
	struct sw_policy_decision decision[N];
	struct sw_abort abt[N];
	struct sw_exception_entry entry[N];
	struct sw_event event[N];
	int json_len[N];
	int failed; /* calls that did not return what they should */
};

static char json[SW_EVENT_LINE_MAX];
static char hand[SW_EVENT_LINE_MAX];

static void die(const char *what, int err)
{
	fprintf(stderr, "sea-path: %s: %s\n", what, sw_strerror(err));
	exit(1);
}

static void pass_init(struct pass *p, const char *dir, const char *name)
{
	struct sw_policy_config cfg;
	struct sw_journal_options o = {.flags = SW_JOURNAL_CREATE, .granule_shift = 12};
	int ret;

	memset(p, 0, sizeof(*p));
	/* A VM that keeps running through N distinct pages: no threshold trips. */
	sw_policy_config_default(&cfg);
	cfg.max_pages = 65536;
	cfg.rate_events = 1000;
	cfg.rate_window_ns = 1000 * MS;
	if ((ret = sw_registry_create(&p->registry, N, 12)))
		die("sw_registry_create", ret);
	if ((ret = sw_policy_new(&cfg, 4096, &p->policy)))
		die("sw_policy_new", ret);
	if ((ret = sw_metrics_new("bench-vm", &p->metrics)))
		die("sw_metrics_new", ret);
	snprintf(p->path, sizeof(p->path), "%s/%s.jrn", dir, name);
	remove(p->path);
	if ((ret = sw_journal_open(&p->journal, p->path, &o)))
		die(p->path, ret);
	/* A load at offset 0x48 of page i, as the rig measured (DESIGN.md). */
	for (size_t i = 0; i < N; i++)
		p->exits[i] = (struct kvm_exit_sea){
			.flags = 1, /* KVM_EXIT_ARM_SEA_FLAG_GPA_VALID */
			.esr = 0x92000210,
			.gva = 0x10000000 + i * 4096 + 0x48,
			.gpa = 0x80000000 + i * 4096,
		};
}

static void pass_free(struct pass *p)
{
	sw_registry_destroy(p->registry);
	sw_policy_free(p->policy);
	sw_metrics_free(p->metrics);
	if (sw_journal_close(p->journal))
		p->failed++;
	remove(p->path);
}

/* ---- the parts: one function each, the same code both passes run ---- */

static void decode(struct pass *p, size_t i)
{
	const struct kvm_exit_sea *e = &p->exits[i];

	p->failed += sw_sea_from_exit(&p->sea[i], e->flags, e->esr, e->gva, e->gpa, NULL) != 0;
}

static void registry_insert(struct pass *p, size_t i)
{
	p->failed += sw_registry_insert(p->registry, p->sea[i].gpa) != 1;
}

static void decide(struct pass *p, size_t i)
{
	struct sw_policy_event ev = {
		.sea = &p->sea[i],
		.guest_el = 0,
		.caps = SW_CAN_FENCE | SW_CAN_REPLACE | SW_CAN_RESTART, /* no guest agent */
		.now_ns = T0 + i * 10 * MS,
	};

	p->failed += sw_policy_decide(p->policy, &ev, &p->decision[i]) != 0 ||
		     p->decision[i].actions != (SW_ACT_INJECT | SW_ACT_FENCE);
}

static void exception_entry(struct pass *p, size_t i)
{
	p->failed +=
		sw_abort_from_sea(&p->abt[i], &p->sea[i], NULL) != 0 ||
		sw_exception_entry(&p->entry[i], &vcpu_state, &features, &p->abt[i], NULL) != 0;
}

static void event_json(struct pass *p, size_t i)
{
	struct sw_event *ev = &p->event[i];

	*ev = (struct sw_event){
		.time_ns = T0 + i * 10 * MS,
		.vm = "bench-vm",
		.vcpu = 0,
		.sea = &p->sea[i],
		.guest_el = 0,
	};
	sw_event_set_decision(ev, &p->decision[i]);
	ev->strategy = "one_reg";
	ev->ioctls = 10;
	ev->handling_ns = 41250;
	p->json_len[i] = sw_event_to_json(ev, json, sizeof(json));
	p->failed += p->json_len[i] <= 0 || p->json_len[i] >= (int)sizeof(json);
}

static void metrics_record(struct pass *p, size_t i)
{
	p->failed += sw_metrics_record(p->metrics, &p->event[i]) != 0;
}

static void journal_append(struct pass *p, size_t i)
{
	p->failed += sw_journal_sink(&p->event[i], p->journal) != 0;
}

/* ---- the reference ---- */

static int hand_json(const struct sw_event *ev)
{
	const struct sw_sea *s = ev->sea;
	char actions[128] = "";
	size_t n = 0;
	time_t secs = (time_t)(ev->time_ns / 1000000000u);
	struct tm tm;

	gmtime_r(&secs, &tm);
	for (uint32_t bit = 1; bit <= SW_ACT_STOP; bit <<= 1)
		if (ev->actions & bit)
			n += (size_t)snprintf(actions + n, sizeof(actions) - n, "%s\"%s\"",
					      n ? "," : "", sw_action_name(bit));
	return snprintf(
		hand, sizeof(hand),
		"{\"version\":%d,\"time_ns\":%" PRIu64 ",\"time\":\"%04d-%02d-%02dT%02d:%02d:%02d."
		"%09" PRIu64 "Z\",\"vm\":\"%s\",\"vcpu\":%d,\"source\":\"%s\",\"type\":\"%s\","
		"\"class\":\"%s\",\"guest_el\":%d,\"gva\":\"0x%" PRIx64 "\",\"gpa\":\"0x%" PRIx64
		"\",\"page\":\"0x%" PRIx64 "\",\"fault\":{\"source\":\"%s\",\"esr\":\"0x%" PRIx64
		"\",\"ec\":\"0x%x\",\"type\":\"%s\",\"from_lower_el\":%s,\"il\":%s,\"fsc\":\"0x%"
		"x\","
		"\"fsc_class\":\"%s\",\"level\":null,\"fnv\":%s,\"ea\":%s,\"cm\":%s,\"s1ptw\":%s,"
		"\"wnr\":%s,\"set\":\"%s\",\"gva\":\"0x%" PRIx64 "\",\"gpa\":\"0x%" PRIx64
		"\",\"hva\":null,\"addr_lsb\":null},\"actions\":[%s],\"reason\":\"%s\","
		"\"escalation\":[],\"strategy\":\"%s\",\"ioctls\":%u,\"handling_ns\":%" PRIu64
		",\"outcome\":\"%s\",\"distinct_pages\":%u}",
		SW_EVENT_VERSION, ev->time_ns, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		tm.tm_hour, tm.tm_min, tm.tm_sec, ev->time_ns % 1000000000u, ev->vm, ev->vcpu,
		sw_sea_source_name(s->source), sw_abort_type_name(s->type),
		sw_fsc_class_name(s->fsc_class), ev->guest_el, s->gva, s->gpa, ev->page,
		sw_sea_source_name(s->source), s->esr, s->ec, sw_abort_type_name(s->type),
		s->from_lower_el ? "true" : "false", s->il ? "true" : "false", s->fsc,
		sw_fsc_class_name(s->fsc_class), s->fnv ? "true" : "false",
		s->ea ? "true" : "false", s->cm ? "true" : "false", s->s1ptw ? "true" : "false",
		s->wnr ? "true" : "false", sw_set_name(s->set), s->gva, s->gpa, actions,
		sw_policy_reason_name(ev->reason), ev->strategy, ev->ioctls, ev->handling_ns,
		sw_event_outcome_name(ev->outcome), ev->distinct_pages);
}

/* ---- passes ---- */

typedef void (*part_fn)(struct pass *p, size_t i);

static const struct {
	const char *name;
	part_fn fn;
} parts[] = {
	{"decode", decode},	     {"registry", registry_insert}, {"policy", decide},
	{"entry", exception_entry},  {"json", event_json},	    {"metrics", metrics_record},
	{"journal", journal_append},
};

#define N_PARTS (sizeof(parts) / sizeof(parts[0]))

/* Every part for one event, then the next event: how a VMM runs them. */
static void run_interleaved(struct pass *p)
{
	for (size_t i = 0; i < N; i++)
		for (size_t k = 0; k < N_PARTS; k++)
			parts[k].fn(p, i);
}

/* Each part for all N events, between a zero and a dump of the counters. */
static void run_by_part(struct pass *p)
{
	for (size_t k = 0; k < N_PARTS; k++) {
		CALLGRIND_ZERO_STATS;
		for (size_t i = 0; i < N; i++)
			parts[k].fn(p, i);
		CALLGRIND_DUMP_STATS_AT(parts[k].name);
	}
}

/*
 * The reference for the same N events (counted when @measure), and the
 * check that it is the library's text.
 */
static int run_reference(struct pass *p, bool measure)
{
	int differ = 0;

	if (measure)
		CALLGRIND_ZERO_STATS;
	for (size_t i = 0; i < N; i++)
		differ += hand_json(&p->event[i]) <= 0;
	if (measure)
		CALLGRIND_DUMP_STATS_AT("reference");
	for (size_t i = 0; i < N; i++) {
		hand_json(&p->event[i]);
		sw_event_to_json(&p->event[i], json, sizeof(json));
		differ += strcmp(hand, json) != 0;
	}
	return differ;
}

int main(int argc, char **argv)
{
	static struct pass warm, by_part, whole;
	const char *dir = argc > 1 ? argv[1] : ".";
	int differ;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fprintf(stderr,
			"usage: sea-path [DIR]   (DIR: where to write scratch journals)\n"
			"Run it through bench/sea-path.sh, which counts its instructions.\n");
		return 2;
	}
	pass_init(&warm, dir, "sea-path-warm");
	pass_init(&by_part, dir, "sea-path-parts");
	pass_init(&whole, dir, "sea-path-whole");
	run_interleaved(&warm);
	run_reference(&warm, false);

	run_by_part(&by_part);
	differ = run_reference(&by_part, true);
	CALLGRIND_ZERO_STATS;
	run_interleaved(&whole);
	CALLGRIND_DUMP_STATS_AT("all_parts");

	pass_free(&warm);
	pass_free(&by_part);
	pass_free(&whole);
	if (warm.failed || by_part.failed || whole.failed || differ) {
		fprintf(stderr,
			"sea-path: %d + %d + %d calls failed, %d reference lines differ from "
			"the library's: the numbers would not measure the same work\n",
			warm.failed, by_part.failed, whole.failed, differ);
		return 1;
	}
	printf("events %d\n", N);
	printf("json_bytes %d\n", by_part.json_len[0]);
	printf("line %s\n", json);
	return 0;
}
