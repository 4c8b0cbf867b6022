/* SPDX-License-Identifier: MIT */
/*
 * Metrics of one VM's SEAs, in the Prometheus text exposition format
 * (version 0.0.4, prometheus.io "Exposition formats"): each family has one
 * HELP and one TYPE line before its samples, label values escape '\',
 * '"' and newline, a histogram has cumulative _bucket series ending with
 * le="+Inf", then _sum and _count.  Every label value the library knows is
 * written, zeros included, so rates can be taken from the first scrape.
 *
 * Counters are C11 atomics updated with relaxed ordering: vCPU threads
 * record without a lock, and the renderer reads each counter once.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <seawall/events.h>

#include "compiler.h"
#include "strbuf.h"
#include "utf8.h"

#define VM_NAME_MAX 256

enum {
	N_SOURCES = SW_SOURCE_FENCED,	   /* 1..5 */
	N_TYPES = SW_ABORT_INSN + 1,	   /* 0..2 */
	N_CLASSES = SW_FSC_PARITY_TTW + 1, /* 0..4 */
	N_ACTIONS = 8,			   /* the bits of SW_ACT_ALL */
	N_OUTCOMES = SW_OUTCOME_FAILED,	   /* 1..10 */
};

/* Upper bounds of the handling-time buckets, in ns and as "le" labels. */
static const struct {
	uint64_t ns;
	const char *le;
} buckets[] = {
	{1000, "0.000001"}, {10000, "0.00001"}, {100000, "0.0001"}, {1000000, "0.001"},
	{10000000, "0.01"}, {100000000, "0.1"}, {1000000000, "1"},
};

enum { N_BUCKETS = SW_ARRAY_SIZE(buckets) };

struct sw_metrics {
	char *vm;
	atomic_uint_fast64_t by_source[N_SOURCES];
	atomic_uint_fast64_t by_type[N_TYPES];
	atomic_uint_fast64_t by_class[N_CLASSES];
	atomic_uint_fast64_t by_action[N_ACTIONS];
	atomic_uint_fast64_t by_outcome[N_OUTCOMES];
	atomic_uint_fast64_t restarts;
	atomic_uint_fast64_t distinct_pages;
	atomic_uint_fast64_t le[N_BUCKETS + 1]; /* per bucket, not cumulative; last is +Inf */
	atomic_uint_fast64_t sum_ns;
};

SW_EXPORT int sw_metrics_new(const char *vm, struct sw_metrics **metrics)
{
	struct sw_metrics *m;
	size_t len;

	if (!vm || !metrics)
		return -EINVAL;
	len = strnlen(vm, VM_NAME_MAX + 1);
	if (!len || len > VM_NAME_MAX || !sw_utf8_valid(vm))
		return -EINVAL;
	m = calloc(1, sizeof(*m)); /* all-zero is a valid initial atomic value */
	if (!m)
		return -ENOMEM;
	m->vm = malloc(len + 1);
	if (!m->vm) {
		free(m);
		return -ENOMEM;
	}
	memcpy(m->vm, vm, len + 1);
	*metrics = m;
	return 0;
}

SW_EXPORT void sw_metrics_free(struct sw_metrics *m)
{
	if (!m)
		return;
	free(m->vm);
	free(m);
}

static void add(atomic_uint_fast64_t *counter, uint64_t n)
{
	atomic_fetch_add_explicit(counter, n, memory_order_relaxed);
}

static uint64_t get(atomic_uint_fast64_t *counter)
{
	return atomic_load_explicit(counter, memory_order_relaxed);
}

SW_EXPORT int sw_metrics_record(struct sw_metrics *m, const struct sw_event *ev)
{
	const struct sw_sea *sea = ev ? ev->sea : NULL;
	size_t b = 0;

	if (!m || !sea || sea->source < SW_SOURCE_KVM_EXIT || sea->source > SW_SOURCE_FENCED ||
	    (unsigned int)sea->type >= N_TYPES || (unsigned int)sea->fsc_class >= N_CLASSES ||
	    (ev->actions & ~SW_ACT_ALL) || ev->outcome < SW_OUTCOME_LOGGED ||
	    ev->outcome > SW_OUTCOME_FAILED)
		return -EINVAL;
	add(&m->by_source[sea->source - 1], 1);
	add(&m->by_type[sea->type], 1);
	add(&m->by_class[sea->fsc_class], 1);
	for (unsigned int i = 0; i < N_ACTIONS; i++)
		if (ev->actions & (1u << i))
			add(&m->by_action[i], 1);
	add(&m->by_outcome[ev->outcome - 1], 1);
	if (ev->outcome == SW_OUTCOME_RESTARTED)
		add(&m->restarts, 1);
	atomic_store_explicit(&m->distinct_pages, ev->distinct_pages, memory_order_relaxed);
	while (b < N_BUCKETS && ev->handling_ns > buckets[b].ns)
		b++;
	add(&m->le[b], 1);
	add(&m->sum_ns, ev->handling_ns);
	return 0;
}

SW_EXPORT int sw_metrics_sink(const struct sw_event *event, void *arg)
{
	return sw_metrics_record(arg, event);
}

/* A label value: backslash, double quote and line feed escaped. */
static void label_value(struct sw_strbuf *sb, const char *s)
{
	sw_strbuf_printf(sb, "\"");
	for (; *s; s++) {
		if (*s == '\\')
			sw_strbuf_printf(sb, "\\\\");
		else if (*s == '"')
			sw_strbuf_printf(sb, "\\\"");
		else if (*s == '\n')
			sw_strbuf_printf(sb, "\\n");
		else
			sw_strbuf_printf(sb, "%c", *s);
	}
	sw_strbuf_printf(sb, "\"");
}

static void family(struct sw_strbuf *sb, const char *name, const char *type, const char *help)
{
	sw_strbuf_printf(sb, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{vm="...",label="value"} n; a NULL label means vm only. */
static void sample(struct sw_strbuf *sb, const struct sw_metrics *m, const char *name,
		   const char *label, const char *value, uint64_t n)
{
	sw_strbuf_printf(sb, "%s{vm=", name);
	label_value(sb, m->vm);
	if (label) {
		sw_strbuf_printf(sb, ",%s=", label);
		label_value(sb, value);
	}
	sw_strbuf_printf(sb, "} %" PRIu64 "\n", n);
}

SW_EXPORT int sw_metrics_render(struct sw_metrics *m, char *buf, size_t size)
{
	struct sw_strbuf sb;
	uint64_t cumulative = 0, sum;

	if (!m)
		return -EINVAL;
	sw_strbuf_init(&sb, buf, size);

	family(&sb, "seawall_events_total", "counter", "SEA events handled, by source.");
	for (int i = 0; i < N_SOURCES; i++)
		sample(&sb, m, "seawall_events_total", "source",
		       sw_sea_source_name((enum sw_sea_source)(i + 1)), get(&m->by_source[i]));

	family(&sb, "seawall_events_by_type_total", "counter",
	       "SEA events handled, by access: data, insn, or unknown (SIGBUS).");
	for (int i = 0; i < N_TYPES; i++)
		sample(&sb, m, "seawall_events_by_type_total", "type",
		       sw_abort_type_name((enum sw_abort_type)i), get(&m->by_type[i]));

	family(&sb, "seawall_events_by_class_total", "counter",
	       "SEA events handled, by fault status class (none without an ESR: SIGBUS, fenced).");
	for (int i = 0; i < N_CLASSES; i++)
		sample(&sb, m, "seawall_events_by_class_total", "class",
		       sw_fsc_class_name((enum sw_fsc_class)i), get(&m->by_class[i]));

	family(&sb, "seawall_actions_total", "counter", "Actions carried out, by action.");
	for (int i = 0; i < N_ACTIONS; i++)
		sample(&sb, m, "seawall_actions_total", "action", sw_action_name(1u << i),
		       get(&m->by_action[i]));

	family(&sb, "seawall_outcomes_total", "counter",
	       "SEA events by outcome; notified, retried, offlined and fallback follow "
	       "notifications.");
	for (int i = 0; i < N_OUTCOMES; i++)
		sample(&sb, m, "seawall_outcomes_total", "outcome",
		       sw_event_outcome_name((enum sw_event_outcome)(i + 1)),
		       get(&m->by_outcome[i]));

	family(&sb, "seawall_restarts_total", "counter", "VM restarts carried out for SEAs.");
	sample(&sb, m, "seawall_restarts_total", NULL, NULL, get(&m->restarts));

	family(&sb, "seawall_distinct_pages", "gauge",
	       "Distinct bad guest pages known, as of the latest event.");
	sample(&sb, m, "seawall_distinct_pages", NULL, NULL, get(&m->distinct_pages));

	family(&sb, "seawall_handling_seconds", "histogram",
	       "Time from the SEA exit or signal to the end of its handling.");
	for (int i = 0; i <= N_BUCKETS; i++) {
		cumulative += get(&m->le[i]);
		sample(&sb, m, "seawall_handling_seconds_bucket", "le",
		       i < N_BUCKETS ? buckets[i].le : "+Inf", cumulative);
	}
	sum = get(&m->sum_ns);
	sw_strbuf_printf(&sb, "seawall_handling_seconds_sum{vm=");
	label_value(&sb, m->vm);
	sw_strbuf_printf(&sb, "} %" PRIu64 ".%09" PRIu64 "\n", sum / 1000000000u,
			 sum % 1000000000u);
	/* _count is the +Inf bucket, read once: the two always agree. */
	sample(&sb, m, "seawall_handling_seconds_count", NULL, NULL, cumulative);
	return sw_strbuf_result(&sb);
}
