/* SPDX-License-Identifier: MIT */
/*
 * The notify flow (docs/agent.md): on an SEA the policy chose to tell the
 * guest about, send the agent a POISON line and re-enter the faulting vCPU
 * without injecting, backing off between its repeated exits so that the
 * guest keeps taking interrupts and runs the agent (holding the vCPU would
 * deadlock the guest's memory_failure(), which waits on every CPU).  The
 * agent's answer, or the deadline, ends the notification: OFFLINED needs
 * nothing more (the victim's retried access now faults inside the guest),
 * FAILED and an expired deadline get the policy's fallback.
 */
#include <errno.h>
#include <string.h>

#include "agent.h"
#include "log.h"
#include "ras_internal.h"
#include "vm.h"

unsigned int ras__caps(struct ras *ras)
{
	return ras->caps | (agent__alive(&ras->vm->agent) ? SW_CAN_NOTIFY : 0);
}

void ras__backoff(uint64_t resume_at_ns)
{
	struct timespec ts = {
		.tv_sec = resume_at_ns / 1000000000ULL,
		.tv_nsec = resume_at_ns % 1000000000ULL,
	};

	/* EINTR: the vCPU was kicked (the VM stops); its loop notices. */
	clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL);
}

static struct notified *find(struct ras *ras, uint64_t page)
{
	for (size_t i = 0; i < SW_NOTIFY_MAX_PENDING; i++)
		if (ras->notified[i].used && ras->notified[i].page == page)
			return &ras->notified[i];
	return NULL;
}

int ras__notify(struct ras *ras, const struct sw_policy_decision *d, const struct sw_event *ev)
{
	struct agent *agent = &ras->vm->agent;
	struct notified *n = NULL;
	uint64_t first = d->page;
	int ret;

	/* The policy's page is a whole granule: the host page, or a larger guest page. */
	ret = agent__notify(agent, d->page, d->page_size, &first);
	pthread_mutex_lock(&ras->lock);
	n = find(ras, d->page);
	for (size_t i = 0; !n && i < SW_NOTIFY_MAX_PENDING; i++)
		if (!ras->notified[i].used)
			n = &ras->notified[i];
	if (n) {
		*n = (struct notified){
			.used = true,
			.undeliverable = ret < 0,
			.page = d->page,
			.agent_gpa = first,
			.sea = *ev->sea,
			.guest_el = ev->guest_el,
			.time_ns = ev->time_ns,
		};
	}
	pthread_mutex_unlock(&ras->lock);
	if (ret < 0)
		vmm__log("agent: cannot tell the guest about page 0x%llx: %s",
			 (unsigned long long)d->page, strerror(-ret));
	else
		vmm__log("agent: told the guest that page 0x%llx is bad",
			 (unsigned long long)d->page);
	/* The policy's table is as large as ours: n is NULL only on a bug. */
	return ret < 0 ? ret : n ? 0 : -ENOSPC;
}

/* Carry out the policy's verdict on a notification and record it. */
static void conclude_one(struct ras *ras, const struct notified *n, bool offlined, const char *why)
{
	struct sw_policy_decision d;
	struct sw_event ev = {
		.time_ns = ras__clock_ns(CLOCK_REALTIME),
		.vm = VM_NAME,
		.vcpu = -1,
		.sea = &n->sea,
		.guest_el = n->guest_el,
	};
	int ret;

	if (!n->undeliverable)
		agent__forget(&ras->vm->agent, n->agent_gpa);
	ret = sw_policy_notify_result(ras->policy, n->page, offlined, ev.time_ns, ras__caps(ras),
				      &d);
	if (ret) {
		/* Its deadline passed first: the fallback already ran. */
		vmm__log("agent: late answer for page 0x%llx ignored", (unsigned long long)n->page);
		return;
	}
	if (offlined) {
		vmm__log("agent: the guest offlined page 0x%llx", (unsigned long long)n->page);
		/*
		 * The guest is done with the page; the host is not: contain
		 * its host page too, so that nothing reuses it once the VM
		 * is gone (docs/vmm.md, Containment).
		 */
		if (d.page_valid)
			d.actions |= SW_ACT_FENCE;
	} else
		vmm__log("agent: the guest did not offline page 0x%llx (%s)",
			 (unsigned long long)n->page, why);
	ras__carry_out(ras, NULL, &d, NULL, &ev);
	/* From the first exit to the end: how long recovery took. */
	ev.handling_ns = ras__clock_ns(CLOCK_REALTIME) - n->time_ns;
	ras__record(ras, &ev, &d);
}

void ras__conclude(struct vm *vm)
{
	struct ras *ras = vm->ras;
	struct sw_notify_pending p;
	enum sw_notify_state state;
	struct notified n;

	if (!ras)
		return;
	for (size_t i = 0; i < SW_NOTIFY_MAX_PENDING; i++) {
		pthread_mutex_lock(&ras->lock);
		n = ras->notified[i];
		state = SW_NOTIFY_PENDING;
		memset(&p, 0, sizeof(p));
		if (n.used)
			state = n.undeliverable ? SW_NOTIFY_REFUSED
						: agent__state(&vm->agent, n.agent_gpa, &p);
		if (state == SW_NOTIFY_DONE || state == SW_NOTIFY_REFUSED)
			ras->notified[i].used = false;
		pthread_mutex_unlock(&ras->lock);
		if (state == SW_NOTIFY_DONE)
			conclude_one(ras, &n, true, NULL);
		else if (state == SW_NOTIFY_REFUSED)
			conclude_one(ras, &n, false, n.undeliverable ? "no agent" : p.reason);
	}
}

void ras__notify_drop(struct ras *ras, uint64_t page)
{
	struct notified *n;
	struct notified copy = {0};

	pthread_mutex_lock(&ras->lock);
	n = find(ras, page);
	if (n) {
		copy = *n;
		n->used = false;
	}
	pthread_mutex_unlock(&ras->lock);
	if (copy.used && !copy.undeliverable)
		agent__forget(&ras->vm->agent, copy.agent_gpa);
}

int ras__notify_expire(struct ras *ras)
{
	struct sw_policy_decision d;
	struct notified *n, copy;
	uint64_t now, next;

	for (;;) {
		now = ras__clock_ns(CLOCK_REALTIME);
		if (sw_policy_expire(ras->policy, now, ras__caps(ras), &d) != 1)
			break;
		pthread_mutex_lock(&ras->lock);
		n = find(ras, d.page);
		copy = n ? *n : (struct notified){0};
		if (n)
			n->used = false;
		pthread_mutex_unlock(&ras->lock);
		if (copy.used && !copy.undeliverable)
			agent__forget(&ras->vm->agent, copy.agent_gpa);
		vmm__log("agent: no answer for page 0x%llx by the deadline",
			 (unsigned long long)d.page);
		if (!copy.used) {
			/* Only a bug gets here: the policy notified a page we did not. */
			copy.sea.source = SW_SOURCE_KVM_EXIT;
			copy.sea.gpa_valid = true;
			copy.sea.gpa = d.page;
			copy.guest_el = SW_GUEST_EL_UNKNOWN;
			copy.time_ns = now;
		}
		{
			struct sw_event ev = {
				.time_ns = now,
				.vm = VM_NAME,
				.vcpu = -1,
				.sea = &copy.sea,
				.guest_el = copy.guest_el,
			};

			ras__carry_out(ras, NULL, &d, NULL, &ev);
			ev.handling_ns = ras__clock_ns(CLOCK_REALTIME) - copy.time_ns;
			ras__record(ras, &ev, &d);
		}
	}
	if (sw_policy_next_deadline(ras->policy, &next))
		return -1;
	now = ras__clock_ns(CLOCK_REALTIME);
	return next <= now ? 0 : (int)((next - now) / 1000000ULL) + 1;
}
