/* SPDX-License-Identifier: MIT */
/*
 * The recovery policy: one decision per SEA, from the fault, the guest EL,
 * what the VMM can do, the page's history and the event rate.
 *
 * Per-page state (a fixed open-addressing table, sized at creation):
 *
 *   KNOWN      known bad; contained, or logged
 *   NOTIFYING  the guest is being told; exits on it are retried until
 *              the deadline
 *   ENDED      the notification ended (offlined, expired, failed) and no
 *              vCPU has consumed the page since
 *   FALLBACK   a consumption after the notification got the fallback
 *
 * NOTIFYING and ENDED make up a page's "notification cycle": the exits
 * inside it continue one incident, so they do not count towards the event
 * rate; the first consumption that ends it (the fallback) does not either.
 * Counting depends only on the page's state and on whether the decision
 * is a retry, so replaying the decisions a journal recorded
 * (sw_policy_replay) counts exactly as the live policy did.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <seawall/journal.h>
#include <seawall/policy.h>

#include "compiler.h"
#include "journal_record.h"
#include "ratelimit.h"

enum page_state {
	PAGE_FREE = 0,
	PAGE_KNOWN,
	PAGE_NOTIFYING,
	PAGE_ENDED,
	PAGE_FALLBACK,
};

struct page_entry {
	uint64_t page;
	uint64_t deadline_ns; /* PAGE_NOTIFYING */
	uint8_t state;	      /* enum page_state */
	uint8_t end_reason;   /* PAGE_ENDED: OFFLINED, NOTIFY_EXPIRED or NOTIFY_FAILED */
};

/* The smallest table; it is never more than 3/4 full, so lookups stay
 * short and always reach a free slot. */
#define MIN_SLOTS 64

struct sw_policy {
	pthread_mutex_t lock;
	struct sw_policy_config cfg;
	uint64_t page_size;
	struct sw_ratelimit rate;
	struct page_entry *pages;
	size_t slots;	 /* a power of two */
	size_t capacity; /* entries stored at most: 3/4 of slots */
	size_t stored;
	unsigned int distinct; /* stored, plus pages seen while the table was full */
	unsigned int notifying;
	unsigned int restarts;
	uint64_t incidents;
	/* Journal replay: the latest restart a compaction folded (its SUMMARY). */
	uint64_t folded_restart_ns;
};

SW_EXPORT const char *sw_action_name(uint32_t action)
{
	switch (action) {
	case SW_ACT_LOG:
		return "log";
	case SW_ACT_NOTIFY:
		return "notify";
	case SW_ACT_RETRY:
		return "retry";
	case SW_ACT_INJECT:
		return "inject";
	case SW_ACT_FENCE:
		return "fence";
	case SW_ACT_REPLACE:
		return "replace";
	case SW_ACT_RESTART:
		return "restart";
	case SW_ACT_STOP:
		return "stop";
	}
	return "unknown";
}

SW_EXPORT const char *sw_policy_reason_name(enum sw_policy_reason reason)
{
	switch (reason) {
	case SW_REASON_USER_FAULT:
		return "user_fault";
	case SW_REASON_KERNEL_FAULT:
		return "kernel_fault";
	case SW_REASON_UNCONTAINABLE:
		return "uncontainable";
	case SW_REASON_UNCONSUMED:
		return "unconsumed";
	case SW_REASON_UNKNOWN_PAGE:
		return "unknown_page";
	case SW_REASON_NOTIFY_PENDING:
		return "notify_pending";
	case SW_REASON_NOTIFY_EXPIRED:
		return "notify_expired";
	case SW_REASON_NOTIFY_FAILED:
		return "notify_failed";
	case SW_REASON_OFFLINED:
		return "offlined";
	case SW_REASON_CONSUMED_AGAIN:
		return "consumed_again";
	case SW_REASON_KNOWN_PAGE:
		return "known_page";
	}
	return "unknown";
}

/* ---- the page table ---- */

static size_t slot_of(const struct sw_policy *p, uint64_t page)
{
	/* Fibonacci hashing of the page number. */
	return (size_t)(((page / p->page_size) * 0x9e3779b97f4a7c15ull) >> 32) & (p->slots - 1);
}

static struct page_entry *page_find(struct sw_policy *p, uint64_t page)
{
	for (size_t i = slot_of(p, page);; i = (i + 1) & (p->slots - 1)) {
		if (p->pages[i].state == PAGE_FREE)
			return NULL;
		if (p->pages[i].page == page)
			return &p->pages[i];
	}
}

/* A new KNOWN entry, or NULL when the table is full (counted all the same). */
static struct page_entry *page_add(struct sw_policy *p, uint64_t page)
{
	size_t i;

	p->distinct++;
	if (p->stored == p->capacity)
		return NULL;
	for (i = slot_of(p, page); p->pages[i].state != PAGE_FREE; i = (i + 1) & (p->slots - 1))
		;
	p->pages[i] = (struct page_entry){.page = page, .state = PAGE_KNOWN};
	p->stored++;
	return &p->pages[i];
}

static void pages_forget(struct sw_policy *p)
{
	memset(p->pages, 0, p->slots * sizeof(*p->pages));
	p->stored = 0;
	p->distinct = 0;
	p->notifying = 0;
}

static bool in_cycle(const struct page_entry *e)
{
	return e && (e->state == PAGE_NOTIFYING || e->state == PAGE_ENDED);
}

static void set_state(struct sw_policy *p, struct page_entry *e, enum page_state state)
{
	if (e->state == PAGE_NOTIFYING)
		p->notifying--;
	if (state == PAGE_NOTIFYING)
		p->notifying++;
	e->state = (uint8_t)state;
}

/* ---- creation ---- */

SW_EXPORT int sw_policy_new(const struct sw_policy_config *cfg, uint64_t page_size,
			    struct sw_policy **policy)
{
	struct sw_policy *p;
	size_t slots = MIN_SLOTS;

	if (!cfg || !policy || sw_policy_config_validate(cfg, NULL))
		return -EINVAL;
	if (page_size != 4096 && page_size != 16384 && page_size != 65536)
		return -EINVAL;
	while (slots / 4 * 3 < (size_t)cfg->max_pages + 1)
		slots *= 2;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->pages = calloc(slots, sizeof(*p->pages));
	if (!p->pages || pthread_mutex_init(&p->lock, NULL)) {
		free(p->pages);
		free(p);
		return -ENOMEM;
	}
	p->cfg = *cfg;
	p->page_size = page_size;
	p->slots = slots;
	p->capacity = slots / 4 * 3;
	sw_ratelimit_init(&p->rate, cfg->rate_events, cfg->rate_window_ns);
	*policy = p;
	return 0;
}

SW_EXPORT void sw_policy_free(struct sw_policy *p)
{
	if (!p)
		return;
	pthread_mutex_destroy(&p->lock);
	free(p->pages);
	free(p);
}

/* ---- turning choices into actions the VMM can do ---- */

/* RESTART needs the VMM to be able to; STOP it always can. */
static uint32_t vm_action(uint32_t act, unsigned int caps, uint32_t *unavailable)
{
	if (act == SW_ACT_RESTART && !(caps & SW_CAN_RESTART)) {
		*unavailable |= SW_ACT_RESTART;
		return SW_ACT_STOP;
	}
	return act;
}

/*
 * Containing a page no vCPU is consuming: fence it, or leave it where it
 * is (still poisoned, so any access traps again: never silent).  Never
 * replace it: whoever owns its data would read zeros.
 */
static uint32_t fence_only(unsigned int caps, uint32_t *unavailable)
{
	if (caps & SW_CAN_FENCE)
		return SW_ACT_FENCE;
	*unavailable |= SW_ACT_FENCE;
	return SW_ACT_LOG;
}

/*
 * After injecting into the consumer: the configured containment, or the
 * safer one (fence) when replace is not possible.  A @fenced page is out
 * of the guest already: replacing it still gives it fresh memory, fencing
 * it again would change nothing.
 */
static uint32_t inject_and_contain(const struct sw_policy *p, unsigned int caps, bool page_valid,
				   bool fenced, uint32_t *unavailable)
{
	if (!page_valid)
		return SW_ACT_INJECT;
	if (p->cfg.containment == SW_ACT_REPLACE) {
		if (caps & SW_CAN_REPLACE)
			return SW_ACT_INJECT | SW_ACT_REPLACE;
		*unavailable |= SW_ACT_REPLACE;
	}
	if (fenced)
		return SW_ACT_INJECT;
	return SW_ACT_INJECT | (fence_only(caps, unavailable) & SW_ACT_FENCE);
}

/* A configured choice other than NOTIFY, for a consumed fault. */
static uint32_t consumed_action(const struct sw_policy *p, uint32_t act, unsigned int caps,
				bool page_valid, bool fenced, uint32_t *unavailable)
{
	if (act == SW_ACT_INJECT)
		return inject_and_contain(p, caps, page_valid, fenced, unavailable);
	return vm_action(act, caps, unavailable);
}

/* The notify fallback for a page no vCPU is faulting on now. */
static uint32_t idle_fallback(const struct sw_policy *p, unsigned int caps, uint32_t *unavailable)
{
	if (p->cfg.notify_fallback == SW_ACT_INJECT)
		return fence_only(caps, unavailable);
	return vm_action(p->cfg.notify_fallback, caps, unavailable);
}

static void start_notify(struct sw_policy *p, struct page_entry *e, uint64_t now,
			 struct sw_policy_decision *d)
{
	set_state(p, e, PAGE_NOTIFYING);
	e->deadline_ns = now + p->cfg.notify_deadline_ns;
	d->actions = SW_ACT_NOTIFY;
	d->deadline_ns = e->deadline_ns;
}

/*
 * Past max_pages or the rate: contain the current event at once instead
 * of notifying, then restart or stop (stop wins).
 */
static void escalate(struct sw_policy *p, struct page_entry *e, bool consumed, uint64_t now,
		     unsigned int caps, bool counted, struct sw_policy_decision *d)
{
	uint32_t vm = 0;

	if (counted) {
		p->incidents++;
		if (sw_ratelimit_add(&p->rate, now)) {
			d->escalation |= SW_ESC_RATE;
			vm |= p->cfg.on_rate;
		}
	}
	if (d->new_page && p->distinct > p->cfg.max_pages) {
		d->escalation |= SW_ESC_MAX_PAGES;
		vm |= p->cfg.on_max_pages;
	}
	if (!d->escalation)
		return;
	if (d->actions & SW_ACT_NOTIFY) {
		set_state(p, e, PAGE_KNOWN);
		d->deadline_ns = 0;
		d->resume_at_ns = 0;
		d->actions = consumed ? inject_and_contain(p, caps, true, false, &d->unavailable)
				      : fence_only(caps, &d->unavailable);
	}
	d->actions |=
		vm_action(vm & SW_ACT_STOP ? SW_ACT_STOP : SW_ACT_RESTART, caps, &d->unavailable);
	if (d->actions & SW_ACT_STOP)
		d->actions &= ~SW_ACT_RESTART;
	if (d->actions != SW_ACT_LOG)
		d->actions &= ~SW_ACT_LOG;
}

/* SIGBUS BUS_MCEERR_AO: the host found a bad page nobody has consumed. */
static void decide_unconsumed(struct sw_policy *p, const struct sw_policy_event *ev,
			      struct sw_policy_decision *d)
{
	struct page_entry *e;
	uint32_t act = p->cfg.unconsumed;

	d->actions = SW_ACT_LOG;
	if (!d->page_valid) {
		/* Not guest memory: the VMM's own, nothing for the guest. */
		d->reason = SW_REASON_UNKNOWN_PAGE;
		return;
	}
	if (page_find(p, d->page)) {
		d->reason = SW_REASON_KNOWN_PAGE;
		return;
	}
	e = page_add(p, d->page);
	d->new_page = true;
	d->reason = SW_REASON_UNCONSUMED;
	if (act == SW_ACT_NOTIFY) {
		if ((ev->caps & SW_CAN_NOTIFY) && e) {
			start_notify(p, e, ev->now_ns, d);
		} else {
			if (!(ev->caps & SW_CAN_NOTIFY))
				d->unavailable |= SW_ACT_NOTIFY;
			act = SW_ACT_FENCE;
		}
	}
	if (act == SW_ACT_FENCE)
		d->actions = fence_only(ev->caps, &d->unavailable);
	escalate(p, e, false, ev->now_ns, ev->caps, true, d);
}

/*
 * A KVM exit, SIGBUS BUS_MCEERR_AR or an access to a fenced page: a vCPU
 * consumed the page.  A fenced page is one the VMM already took out of the
 * guest for an earlier decision: it is never a new page, and it can be
 * neither told to the guest nor waited for (the vCPU's access cannot
 * complete, and retrying it would only repeat the exit).
 */
static void decide_consumed(struct sw_policy *p, const struct sw_policy_event *ev,
			    struct sw_policy_decision *d)
{
	const struct sw_sea *sea = ev->sea;
	bool fenced = sea->source == SW_SOURCE_FENCED;
	struct page_entry *e = NULL;
	bool kernel, counted;
	uint32_t act;

	if (d->page_valid) {
		e = page_find(p, d->page);
		if (!e && !fenced) {
			e = page_add(p, d->page);
			d->new_page = true;
		}
	}
	counted = !in_cycle(e);

	if (!fenced && e && e->state == PAGE_NOTIFYING && ev->now_ns < e->deadline_ns &&
	    sea->set != SW_SET_UC) {
		/* The guest is being told: let the vCPU take its interrupts. */
		d->reason = SW_REASON_NOTIFY_PENDING;
		d->actions = SW_ACT_RETRY;
		d->deadline_ns = e->deadline_ns;
		d->resume_at_ns = ev->now_ns + p->cfg.notify_backoff_ns;
		return;
	}
	if (sea->set == SW_SET_UC) {
		/* ESR.SET = UC: the error was not contained, the vCPU's state
		 * may be corrupt (DDI 0487, ESR_ELx ISS SET field). */
		d->reason = SW_REASON_UNCONTAINABLE;
		d->actions = vm_action(p->cfg.uncontainable, ev->caps, &d->unavailable);
	} else if (!d->page_valid) {
		d->reason = SW_REASON_UNKNOWN_PAGE;
		d->actions = consumed_action(p, p->cfg.unknown_page, ev->caps, false, fenced,
					     &d->unavailable);
	} else {
		/* A walk of the guest's translation tables reads kernel memory,
		 * whatever EL the access came from; an unknown EL may be the
		 * kernel too. */
		kernel = ev->guest_el != 0 || sea->fsc_class == SW_FSC_SEA_TTW ||
			 sea->fsc_class == SW_FSC_PARITY_TTW;
		act = kernel ? p->cfg.kernel_fault : p->cfg.user_fault;
		if (e && e->state != PAGE_KNOWN) {
			/* Telling the guest did not keep the page from being
			 * consumed: notify_fallback stands in for NOTIFY.  (A
			 * fenced page still being notified was fenced by the
			 * VMM on its own; it cannot wait for the deadline.) */
			if (e->state == PAGE_NOTIFYING && ev->now_ns >= e->deadline_ns)
				d->reason = SW_REASON_NOTIFY_EXPIRED;
			else if (e->state == PAGE_ENDED && e->end_reason != SW_REASON_OFFLINED)
				d->reason = (enum sw_policy_reason)e->end_reason;
			else
				d->reason = SW_REASON_CONSUMED_AGAIN;
			if (act == SW_ACT_NOTIFY)
				act = p->cfg.notify_fallback;
		} else {
			d->reason = kernel ? SW_REASON_KERNEL_FAULT : SW_REASON_USER_FAULT;
			if (act == SW_ACT_NOTIFY && fenced) {
				/* The page is out of the guest: nothing to tell
				 * it about, and the access cannot wait. */
				d->unavailable |= SW_ACT_NOTIFY;
				act = p->cfg.notify_fallback;
			} else if (act == SW_ACT_NOTIFY && (ev->caps & SW_CAN_NOTIFY) && e) {
				start_notify(p, e, ev->now_ns, d);
				d->actions |= SW_ACT_RETRY;
				d->resume_at_ns = ev->now_ns + p->cfg.notify_backoff_ns;
			} else if (act == SW_ACT_NOTIFY) {
				if (!(ev->caps & SW_CAN_NOTIFY))
					d->unavailable |= SW_ACT_NOTIFY;
				act = SW_ACT_INJECT;
			}
		}
		if (!d->actions)
			d->actions =
				consumed_action(p, act, ev->caps, true, fenced, &d->unavailable);
	}
	if (e && !counted)
		set_state(p, e, PAGE_FALLBACK);
	escalate(p, e, true, ev->now_ns, ev->caps, counted, d);
}

static void decision_init(const struct sw_policy *p, bool page_valid, uint64_t gpa,
			  struct sw_policy_decision *d)
{
	*d = (struct sw_policy_decision){
		.page_valid = page_valid,
		.page = page_valid ? gpa & ~(p->page_size - 1) : 0,
		.page_size = p->page_size,
	};
}

static bool el_valid(int el)
{
	return el == SW_GUEST_EL_UNKNOWN || (el >= 0 && el <= 2);
}

static bool source_valid(enum sw_sea_source source)
{
	return source == SW_SOURCE_KVM_EXIT || source == SW_SOURCE_SIGBUS_AR ||
	       source == SW_SOURCE_SIGBUS_AO || source == SW_SOURCE_FENCED;
}

SW_EXPORT int sw_policy_decide(struct sw_policy *p, const struct sw_policy_event *ev,
			       struct sw_policy_decision *decision)
{
	struct sw_policy_decision d;

	if (!p || !ev || !ev->sea || !decision || !source_valid(ev->sea->source) ||
	    !el_valid(ev->guest_el) || (ev->caps & ~SW_CAN_ALL))
		return -EINVAL;
	pthread_mutex_lock(&p->lock);
	decision_init(p, ev->sea->gpa_valid, ev->sea->gpa, &d);
	if (ev->sea->source == SW_SOURCE_SIGBUS_AO)
		decide_unconsumed(p, ev, &d);
	else
		decide_consumed(p, ev, &d);
	d.distinct_pages = p->distinct;
	pthread_mutex_unlock(&p->lock);
	*decision = d;
	return 0;
}

/* The end of a notification without the guest offlining the page. */
static void end_notify(struct sw_policy *p, struct page_entry *e, enum sw_policy_reason reason,
		       unsigned int caps, struct sw_policy_decision *d)
{
	set_state(p, e, PAGE_ENDED);
	e->end_reason = (uint8_t)reason;
	d->reason = reason;
	if (reason == SW_REASON_OFFLINED)
		d->actions = SW_ACT_LOG;
	else
		d->actions = idle_fallback(p, caps, &d->unavailable);
	d->distinct_pages = p->distinct;
}

SW_EXPORT int sw_policy_notify_result(struct sw_policy *p, uint64_t gpa, bool offlined,
				      uint64_t now_ns, unsigned int caps,
				      struct sw_policy_decision *decision)
{
	struct sw_policy_decision d;
	struct page_entry *e;
	int ret = -ENOENT;

	if (!p || !decision || (caps & ~SW_CAN_ALL))
		return -EINVAL;
	pthread_mutex_lock(&p->lock);
	decision_init(p, true, gpa, &d);
	e = page_find(p, d.page);
	if (e && e->state == PAGE_NOTIFYING && now_ns < e->deadline_ns) {
		end_notify(p, e, offlined ? SW_REASON_OFFLINED : SW_REASON_NOTIFY_FAILED, caps, &d);
		ret = 0;
	}
	pthread_mutex_unlock(&p->lock);
	if (!ret)
		*decision = d;
	return ret;
}

SW_EXPORT int sw_policy_expire(struct sw_policy *p, uint64_t now_ns, unsigned int caps,
			       struct sw_policy_decision *decision)
{
	struct page_entry *e;
	int found = 0;

	if (!p || !decision || (caps & ~SW_CAN_ALL))
		return -EINVAL;
	pthread_mutex_lock(&p->lock);
	for (size_t i = 0; p->notifying && i < p->slots && !found; i++) {
		e = &p->pages[i];
		if (e->state != PAGE_NOTIFYING || now_ns < e->deadline_ns)
			continue;
		decision_init(p, true, e->page, decision);
		end_notify(p, e, SW_REASON_NOTIFY_EXPIRED, caps, decision);
		found = 1;
	}
	pthread_mutex_unlock(&p->lock);
	return found;
}

SW_EXPORT int sw_policy_next_deadline(struct sw_policy *p, uint64_t *deadline_ns)
{
	uint64_t best = UINT64_MAX;
	int ret = -ENOENT;

	if (!p || !deadline_ns)
		return -EINVAL;
	pthread_mutex_lock(&p->lock);
	for (size_t i = 0; p->notifying && i < p->slots; i++) {
		if (p->pages[i].state == PAGE_NOTIFYING && p->pages[i].deadline_ns <= best) {
			best = p->pages[i].deadline_ns;
			ret = 0;
		}
	}
	pthread_mutex_unlock(&p->lock);
	if (!ret)
		*deadline_ns = best;
	return ret;
}

static void restarted_locked(struct sw_policy *p)
{
	pages_forget(p);
	p->restarts++;
}

SW_EXPORT void sw_policy_restarted(struct sw_policy *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	restarted_locked(p);
	pthread_mutex_unlock(&p->lock);
}

/*
 * The same transitions decide() made, read back from what was done: a
 * NOTIFY starts a cycle, a RETRY changes nothing, any other consumption
 * inside a cycle is its fallback; counting follows the rule at the top.
 */
SW_EXPORT int sw_policy_replay(struct sw_policy *p, const struct sw_policy_record *rec)
{
	struct page_entry *e = NULL;
	bool new_page = false, counted;
	uint64_t page;

	if (!p || !rec || !source_valid(rec->source) || !el_valid(rec->guest_el) ||
	    (rec->actions & ~SW_ACT_ALL))
		return -EINVAL;
	pthread_mutex_lock(&p->lock);
	if (rec->gpa_valid) {
		page = rec->gpa & ~(p->page_size - 1);
		e = page_find(p, page);
		/* A fenced access is never a new page (decide_consumed). */
		if (!e && rec->source != SW_SOURCE_FENCED) {
			e = page_add(p, page);
			new_page = true;
		}
	}
	if (rec->source == SW_SOURCE_SIGBUS_AO) {
		counted = new_page;
		if (new_page && e && (rec->actions & SW_ACT_NOTIFY)) {
			set_state(p, e, PAGE_NOTIFYING);
			e->deadline_ns = rec->time_ns + p->cfg.notify_deadline_ns;
		}
	} else if (rec->actions == SW_ACT_RETRY) {
		counted = false;
	} else {
		counted = !in_cycle(e);
		if (e && (rec->actions & SW_ACT_NOTIFY)) {
			set_state(p, e, PAGE_NOTIFYING);
			e->deadline_ns = rec->time_ns + p->cfg.notify_deadline_ns;
		} else if (e && !counted) {
			set_state(p, e, PAGE_FALLBACK);
		}
	}
	if (counted) {
		p->incidents++;
		sw_ratelimit_add(&p->rate, rec->time_ns);
	}
	if (rec->actions & SW_ACT_RESTART)
		restarted_locked(p);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

/*
 * A compaction's PAGE: the page's events were folded with their order
 * against restarts lost, so the page is known bad only if its latest event
 * came after the latest folded restart (the SUMMARY, which comes first).
 * A page that was notified gets the fallback if consumed again: its
 * notification ended long ago.  Folded events are older than the keep
 * window, so they count no incident and add nothing to the rate bucket.
 */
static void replay_page_locked(struct sw_policy *p, const struct sw_journal_page *pg)
{
	uint64_t page = pg->gpa & ~(p->page_size - 1);
	struct page_entry *e;

	if (pg->last_ns <= p->folded_restart_ns || page_find(p, page))
		return;
	e = page_add(p, page);
	if (e && (jr_actions_to_policy(pg->actions) & SW_ACT_NOTIFY))
		set_state(p, e, PAGE_FALLBACK);
}

SW_EXPORT int sw_policy_replay_journal(const struct sw_journal_record *rec, void *policy)
{
	struct sw_policy *p = policy;
	struct sw_policy_record r;

	if (!p || !rec)
		return -EINVAL;
	switch (rec->type) {
	case SW_JOURNAL_EVENT:
		/* A raw ESR never went through sw_policy_decide(). */
		if (rec->event.source == SW_SOURCE_ESR)
			return 0;
		r = (struct sw_policy_record){
			.time_ns = rec->event.time_ns,
			.source = (enum sw_sea_source)rec->event.source,
			.gpa_valid = rec->event.flags & SW_JOURNAL_EV_GPA_VALID,
			.gpa = rec->event.gpa,
			.guest_el = rec->event.guest_el == SW_JOURNAL_EL_UNKNOWN
					    ? SW_GUEST_EL_UNKNOWN
					    : rec->event.guest_el,
			/* The RESTART record that follows is the restart. */
			.actions = jr_actions_to_policy(rec->event.actions) & ~SW_ACT_RESTART,
		};
		return sw_policy_replay(p, &r);
	case SW_JOURNAL_RESTART:
		sw_policy_restarted(p);
		return 0;
	case SW_JOURNAL_SUMMARY:
		pthread_mutex_lock(&p->lock);
		p->restarts += (unsigned int)rec->summary.restarts;
		if (rec->summary.restarts)
			p->folded_restart_ns = rec->summary.last_restart_ns;
		pthread_mutex_unlock(&p->lock);
		return 0;
	case SW_JOURNAL_PAGE:
		pthread_mutex_lock(&p->lock);
		replay_page_locked(p, &rec->page);
		pthread_mutex_unlock(&p->lock);
		return 0;
	}
	return -EINVAL;
}

SW_EXPORT void sw_policy_stats(struct sw_policy *p, struct sw_policy_stats *stats)
{
	if (!p || !stats)
		return;
	pthread_mutex_lock(&p->lock);
	*stats = (struct sw_policy_stats){
		.distinct_pages = p->distinct,
		.notifying = p->notifying,
		.restarts = p->restarts,
		.incidents = p->incidents,
	};
	pthread_mutex_unlock(&p->lock);
}
