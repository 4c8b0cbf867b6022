/* SPDX-License-Identifier: MIT */
/*
 * seawall/events.h - report every SEA: JSON lines and Prometheus metrics.
 *
 * After handling an SEA the VMM fills one struct sw_event (what the fault
 * was, what the policy decided, what was done, how long it took) and hands
 * it to whatever consumes events: sw_event_write() appends it to a file
 * descriptor as one JSON object per line (schema: docs/events.md, versioned
 * by SW_EVENT_VERSION), sw_metrics_record() counts it for a Prometheus
 * text exposition (sw_metrics_render()), sw_journal_sink() (seawall/journal.h)
 * journals it for the next VMM's policy.  All have the sw_event_fn shape,
 * so a VMM routes events with a list of callbacks.
 */
#ifndef SEAWALL_EVENTS_H
#define SEAWALL_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <seawall/policy.h>
#include <seawall/sea.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The "version" of every JSON event line (docs/events.md). */
#define SW_EVENT_VERSION 1

/* The longest JSON line sw_event_write() writes, newline included. */
#define SW_EVENT_LINE_MAX 4096

/* How the handling of an event ended (sw_event_outcome_name()). */
enum sw_event_outcome {
	SW_OUTCOME_LOGGED = 1, /* recorded, nothing else to do */
	SW_OUTCOME_NOTIFIED,   /* the guest was told; the vCPU re-entered without injection */
	SW_OUTCOME_RETRIED,    /* another exit while the guest is being told */
	SW_OUTCOME_OFFLINED,   /* the guest reported the page offlined */
	SW_OUTCOME_FALLBACK,   /* telling the guest failed or timed out; the fallback ran */
	SW_OUTCOME_INJECTED,   /* the SEA was injected (and the page contained) */
	SW_OUTCOME_CONTAINED,  /* the page was fenced or replaced, nothing injected */
	SW_OUTCOME_RESTARTED,  /* the VM restarted */
	SW_OUTCOME_STOPPED,    /* the VM stopped */
	SW_OUTCOME_FAILED,     /* the VMM could not carry out the decision */
};

/* One handled SEA. */
struct sw_event {
	uint64_t time_ns;	      /* when it happened, CLOCK_REALTIME */
	const char *vm;		      /* the VM's name, UTF-8 (NULL: "") */
	int vcpu;		      /* the vCPU's index, -1 if not on a vCPU */
	const struct sw_sea *sea;     /* the decoded fault (required) */
	int guest_el;		      /* 0..2 or SW_GUEST_EL_UNKNOWN */
	uint32_t actions;	      /* SW_ACT_* carried out */
	enum sw_policy_reason reason; /* the policy's rule, 0 if no policy decided */
	uint32_t escalation;	      /* SW_ESC_* */
	bool page_valid;
	uint64_t page;	      /* the guest page the actions applied to */
	const char *strategy; /* sw_inject_strategy_name(): "ext_dabt",
			       * "one_reg", "ext_abt"; NULL if nothing injected */
	unsigned int ioctls;  /* ioctls the handling took */
	uint64_t handling_ns; /* from the exit or signal to the end of handling */
	enum sw_event_outcome outcome;
	unsigned int distinct_pages; /* distinct bad pages known, this one included */
};

/*
 * sw_event_outcome_of - the outcome of a decision carried out in full:
 * stopped, restarted, offlined, fallback, notified, retried, injected,
 * contained or logged, the first that applies.
 */
enum sw_event_outcome sw_event_outcome_of(const struct sw_policy_decision *decision);

/*
 * sw_event_set_decision - copy a decision into an event: actions, reason,
 * escalation, page, distinct pages, and the outcome sw_event_outcome_of()
 * gives.  The VMM then sets what the decision cannot know (strategy,
 * ioctls, handling time, and SW_OUTCOME_FAILED if something failed).
 */
void sw_event_set_decision(struct sw_event *event, const struct sw_policy_decision *decision);

/* "logged", "notified", ...; "unknown" for other values. */
const char *sw_event_outcome_name(enum sw_event_outcome outcome);

/*
 * sw_event_to_json - one JSON object, without a newline, as snprintf.
 *
 * Returns the length of the full text (truncated if it is >= @size), or
 * -EINVAL if @event has no sea or its vm or strategy is not valid UTF-8.
 */
int sw_event_to_json(const struct sw_event *event, char *buf, size_t size);

/*
 * sw_event_write - append @event to @fd as one JSON line, in one write()
 * (so concurrent writers to an O_APPEND file never interleave lines).
 *
 * Returns 0; -EINVAL as sw_event_to_json(); -EMSGSIZE if the line would
 * exceed SW_EVENT_LINE_MAX; -EIO if the file took only part of the line;
 * a negative errno from write() (-EBADF, -ENOSPC, ...).  errno is kept.
 */
int sw_event_write(int fd, const struct sw_event *event);

/* Where events go: returns 0 or a negative errno. */
typedef int (*sw_event_fn)(const struct sw_event *event, void *arg);

/* An sw_event_fn that calls sw_event_write(); @arg points to the int fd. */
int sw_event_fd_sink(const struct sw_event *event, void *arg);

/*
 * Metrics of one VM: counters and gauges updated from any thread without
 * a lock (C11 atomics), rendered in the Prometheus text exposition format
 * (version 0.0.4).  Every series carries the label vm="NAME".
 */
struct sw_metrics;

/*
 * sw_metrics_new - metrics for the VM named @vm (UTF-8, at most 256 bytes).
 *
 * Returns 0, -EINVAL for a NULL, empty, too long or invalid UTF-8 name,
 * or -ENOMEM.
 */
int sw_metrics_new(const char *vm, struct sw_metrics **metrics);
void sw_metrics_free(struct sw_metrics *metrics);

/*
 * sw_metrics_record - count one event: by source, by access type, by
 * fault class, each action, the outcome, restarts, the distinct pages
 * gauge and the handling-time histogram.
 *
 * Returns 0, or -EINVAL (nothing counted) if @event has no sea or an
 * enum value out of range.
 */
int sw_metrics_record(struct sw_metrics *metrics, const struct sw_event *event);

/* An sw_event_fn that calls sw_metrics_record(); @arg is the metrics. */
int sw_metrics_sink(const struct sw_event *event, void *arg);

/*
 * sw_metrics_render - the Prometheus text exposition of every metric, as
 * snprintf: returns the length of the full text (truncated if it is
 * >= @size), or a negative errno.  Each counter is read atomically; the
 * set of them is not a snapshot taken at one instant.
 */
int sw_metrics_render(struct sw_metrics *metrics, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
