/* SPDX-License-Identifier: MIT */
/*
 * What ras.c (decide and act on an SEA) and ras_notify.c (tell the guest
 * agent, conclude its answers and deadlines) share.  Not for other files:
 * ras.h is the interface.
 */
#ifndef SEAWALL_VMM_RAS_INTERNAL_H
#define SEAWALL_VMM_RAS_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <seawall/seawall.h>

#define VM_NAME "seawall-vmm"

struct vm;
struct vcpu;

/* Where every handled SEA is reported (seawall/events.h). */
struct sink {
	sw_event_fn fn;
	void *arg;
};

/* A page the guest agent is being told about, waiting for its answer. */
struct notified {
	bool used;
	bool undeliverable; /* the POISON line could not be sent: conclude as failed */
	uint64_t page;	    /* the policy's page (decision.page) */
	uint64_t agent_gpa; /* the notification's first guest page (agent.h) */
	struct sw_sea sea;  /* the fault that started it, for the answer's event */
	int guest_el;
	uint64_t time_ns; /* CLOCK_REALTIME of that fault */
};

struct ras {
	struct vm *vm;
	struct sw_policy_config cfg;
	struct sw_policy *policy;
	/*
	 * log2 of the poison granule: the larger of the host page and the
	 * guest's (GUEST_PAGE), the smallest extent both sides lose whole.
	 * The policy counts and names pages in it, the journal stores them so.
	 */
	unsigned int granule_shift;
	struct sw_journal *journal; /* NULL without --journal */
	int events_fd;		    /* -1 without --events */
	struct sw_metrics *metrics;
	unsigned int caps;	/* SW_CAN_* but NOTIFY, which depends on the agent */
	uint64_t handled;	/* events recorded (atomic) */
	uint64_t metrics_at;	/* handled when the metrics file was last written */
	uint64_t hole_accesses; /* re-accesses of fenced pages (atomic) */
	uint64_t retries;	/* exits re-entered while the guest was being told (atomic) */
	struct sink sinks[3];	/* the event log, the metrics, the journal */
	unsigned int n_sinks;

	pthread_mutex_t lock; /* protects notified */
	struct notified notified[SW_NOTIFY_MAX_PENDING];
};

uint64_t ras__clock_ns(clockid_t clock);

/* What the VMM can do now: SW_CAN_NOTIFY while an agent is alive. */
unsigned int ras__caps(struct ras *ras);

/* Log @ev and hand it to every sink. */
void ras__record(struct ras *ras, struct sw_event *ev, const struct sw_policy_decision *d);

/*
 * Carry out @d for a fault on @vcpu (NULL: no vCPU), injecting @abt.
 * Returns 1 if the vCPU thread must stop.
 */
int ras__carry_out(struct ras *ras, struct vcpu *vcpu, const struct sw_policy_decision *d,
		   const struct sw_abort *abt, struct sw_event *ev);

/*
 * ras__notify - send the agent the POISON line for @d's page and track it.
 * Returns 0, or a negative errno when it could not be sent; the page is
 * then tracked as undeliverable, and ras__conclude() gives it the
 * fallback.
 */
int ras__notify(struct ras *ras, const struct sw_policy_decision *d, const struct sw_event *ev);

/* Conclude every notification the agent answered (or that could not be sent). */
void ras__conclude(struct vm *vm);

/* The policy no longer waits for @page (it decided a fallback): stop tracking it. */
void ras__notify_drop(struct ras *ras, uint64_t page);

/* Notification deadlines that passed; returns ms until the next one, or -1. */
int ras__notify_expire(struct ras *ras);

/* Re-enter no earlier than @resume_at_ns (CLOCK_REALTIME); a kick cuts it short. */
void ras__backoff(uint64_t resume_at_ns);

#endif
