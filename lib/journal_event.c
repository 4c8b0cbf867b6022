/* SPDX-License-Identifier: MIT */
/*
 * A handled SEA as a journal record, and the event sink that appends it:
 * what sw_policy_replay_journal() reads back to rebuild the policy.
 */
#include <errno.h>

#include <seawall/events.h>
#include <seawall/journal.h>

#include "compiler.h"
#include "journal_record.h"

/*
 * Events a replay must not see: the retries of a notification in flight
 * (they change no state and come every notify_backoff), and the answers
 * and deadlines of notifications, which are not SEAs.  Those come from
 * sw_policy_notify_result() and sw_policy_expire(): on no vCPU, or for a
 * page nobody consumed; the same reasons from sw_policy_decide() come
 * from a consumption, which is always on a vCPU.
 */
static bool journaled(const struct sw_event *ev)
{
	if (ev->reason == SW_REASON_NOTIFY_PENDING || ev->actions == SW_ACT_RETRY)
		return false;
	if (ev->reason == SW_REASON_OFFLINED)
		return false;
	if (ev->reason == SW_REASON_NOTIFY_FAILED || ev->reason == SW_REASON_NOTIFY_EXPIRED)
		return ev->vcpu >= 0 && ev->sea->source != SW_SOURCE_SIGBUS_AO;
	return true;
}

SW_EXPORT int sw_journal_record_from_event(struct sw_journal_record *rec, const struct sw_event *ev)
{
	const struct sw_sea *sea = ev ? ev->sea : NULL;
	struct sw_journal_event *e;
	bool ev_gpa_valid;

	if (!rec || !sea || sea->source < SW_SOURCE_KVM_EXIT || sea->source > SW_SOURCE_FENCED ||
	    ev->guest_el < SW_GUEST_EL_UNKNOWN || ev->guest_el > 2 || ev->vcpu < -1 ||
	    (ev->actions & ~SW_ACT_ALL))
		return -EINVAL;
	if (!journaled(ev))
		return 0;
	ev_gpa_valid = ev->page_valid || sea->gpa_valid;
	*rec = (struct sw_journal_record){.type = SW_JOURNAL_EVENT};
	e = &rec->event;
	e->time_ns = ev->time_ns;
	/* The page the actions applied to; sw_journal_append() aligns it. */
	e->gpa = ev->page_valid ? ev->page : sea->gpa_valid ? sea->gpa : 0;
	e->gva = sea->gva_valid ? sea->gva : 0;
	e->esr = sea->esr;
	e->vcpu = ev->vcpu < 0 ? SW_JOURNAL_VCPU_NONE : (uint32_t)ev->vcpu;
	e->actions = jr_actions_from_policy(ev->actions);
	e->source = (uint8_t)sea->source;
	e->guest_el = ev->guest_el < 0 ? SW_JOURNAL_EL_UNKNOWN : (uint8_t)ev->guest_el;
	e->flags = (ev_gpa_valid ? SW_JOURNAL_EV_GPA_VALID : 0) |
		   (sea->gva_valid ? SW_JOURNAL_EV_GVA_VALID : 0);
	return 1;
}

static uint32_t restart_reason(uint32_t escalation)
{
	if (escalation & SW_ESC_MAX_PAGES)
		return SW_RESTART_PAGE_THRESHOLD;
	if (escalation & SW_ESC_RATE)
		return SW_RESTART_RATE_THRESHOLD;
	return SW_RESTART_POLICY;
}

SW_EXPORT int sw_journal_sink(const struct sw_event *event, void *arg)
{
	struct sw_journal *j = arg;
	struct sw_journal_record rec;
	int ret;

	if (!j)
		return -EINVAL;
	ret = sw_journal_record_from_event(&rec, event);
	if (ret < 0)
		return ret;
	if (ret == 1 && (ret = sw_journal_append(j, &rec, NULL)))
		return ret;
	if (!(event->actions & SW_ACT_RESTART))
		return 0;
	rec = (struct sw_journal_record){
		.type = SW_JOURNAL_RESTART,
		.restart = {.time_ns = event->time_ns, .reason = restart_reason(event->escalation)},
	};
	return sw_journal_append(j, &rec, NULL);
}
