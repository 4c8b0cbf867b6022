/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <seawall/seawall.h>

#include "arm64/cpu.h"
#include "arm64/walk.h"
#include "hostpage.h"
#include "log.h"
#include "memory.h"
#include "ras.h"
#include "ras_internal.h"
#include "sigbus.h"
#include "vcpu.h"
#include "vm.h"

uint64_t ras__clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * The guest's own reboot renewed bad pages, so the policy forgot them: one
 * RESTART record, which sw_policy_replay_journal() replays as such.  (The
 * restarts the policy decides are journaled by sw_journal_sink().)
 */
static void journal_guest_restart(struct ras *ras)
{
	struct sw_journal_record rec = {.type = SW_JOURNAL_RESTART};
	char msg[256];

	if (!ras->journal)
		return;
	rec.restart.time_ns = ras__clock_ns(CLOCK_REALTIME);
	rec.restart.reason = SW_RESTART_GUEST;
	if (sw_journal_append(ras->journal, &rec, NULL)) {
		sw_journal_error(ras->journal, msg, sizeof(msg));
		vmm__log("journal: %s", msg);
	}
}

/* --- Recording an event: the log line, the JSON line, the metrics, the journal. --- */

static void log_event(const struct sw_event *ev, const struct sw_policy_decision *d)
{
	char where[32], actions[96] = "", page[32] = "no page";
	size_t n = 0;

	if (ev->vcpu >= 0)
		snprintf(where, sizeof(where), "vCPU %d", ev->vcpu);
	else
		snprintf(where, sizeof(where), "host");
	for (uint32_t bit = 1; bit <= SW_ACT_STOP; bit <<= 1)
		if (ev->actions & bit)
			n += snprintf(actions + n, sizeof(actions) - n, "%s%s", n ? "," : "",
				      sw_action_name(bit));
	if (ev->page_valid)
		snprintf(page, sizeof(page), "page 0x%llx", (unsigned long long)ev->page);
	vmm__log("%s: SEA %s %s, %s, guest EL%s: %s -> %s: %s%s%s%s", where,
		 sw_sea_source_name(ev->sea->source), sw_abort_type_name(ev->sea->type), page,
		 ev->guest_el < 0 ? "?" : (const char *[]){"0", "1", "2"}[ev->guest_el],
		 sw_policy_reason_name(d->reason), actions[0] ? actions : "nothing",
		 sw_event_outcome_name(ev->outcome), ev->strategy ? " (" : "",
		 ev->strategy ? ev->strategy : "", ev->strategy ? ")" : "");
}

void ras__record(struct ras *ras, struct sw_event *ev, const struct sw_policy_decision *d)
{
	char msg[256];
	int ret;

	log_event(ev, d);
	for (unsigned int i = 0; i < ras->n_sinks; i++) {
		ret = ras->sinks[i].fn(ev, ras->sinks[i].arg);
		if (!ret)
			continue;
		if (ras->sinks[i].fn == sw_journal_sink) {
			sw_journal_error(ras->journal, msg, sizeof(msg));
			vmm__log("--journal: %s", msg);
		} else {
			vmm__log("%s: %s",
				 ras->sinks[i].fn == sw_event_fd_sink ? "--events" : "metrics",
				 sw_strerror(ret));
		}
	}
	__atomic_add_fetch(&ras->handled, 1, __ATOMIC_RELAXED);
	vm__wake(ras->vm); /* the main thread rewrites the metrics file */
}

/* --- Carrying out a decision. --- */

/*
 * Carry out @d for a fault on @vcpu (NULL: no vCPU, SIGBUS AO), injecting
 * @abt with @strategy.  Returns 1 if the vCPU thread must stop.
 */
static int carry_out(struct ras *ras, struct vcpu *vcpu, const struct sw_policy_decision *d,
		     const struct sw_abort *abt, enum sw_inject_strategy strategy,
		     struct sw_event *ev)
{
	struct vm *vm = ras->vm;
	struct sw_inject_result res;
	const char *reason = NULL;
	uint32_t done = 0;
	int ret, stop = 0;

	sw_event_set_decision(ev, d);
	if ((d->actions & SW_ACT_LOG))
		done |= SW_ACT_LOG;
	if ((d->actions & SW_ACT_NOTIFY) && d->page_valid) {
		if (ras__notify(ras, d, ev))
			ev->outcome = SW_OUTCOME_FALLBACK; /* ras__conclude() gives it */
		else
			done |= SW_ACT_NOTIFY;
	}
	if (d->actions & SW_ACT_RETRY)
		done |= SW_ACT_RETRY;
	if ((d->actions & SW_ACT_INJECT) && vcpu) {
		ret = sw_inject(&vcpu->sw, abt, strategy, &res, &reason);
		ev->ioctls += res.ioctls;
		if (ret) {
			vmm__log("vCPU %u: injection failed: %s (%s): stopping the VM", vcpu->id,
				 reason ? reason : "?", strerror(-ret));
			ev->outcome = SW_OUTCOME_FAILED;
			vm__exit(vm, VM_EXIT_ERROR);
			stop = 1;
		} else {
			ev->strategy = sw_inject_strategy_name(res.strategy);
			done |= SW_ACT_INJECT;
		}
	}
	if ((d->actions & SW_ACT_FENCE) && d->page_valid) {
		if (memory__fence(&vm->mem, d->page))
			ev->outcome = SW_OUTCOME_FAILED;
		else
			done |= SW_ACT_FENCE;
	}
	if ((d->actions & SW_ACT_REPLACE) && d->page_valid) {
		if (memory__replace(&vm->mem, d->page))
			ev->outcome = SW_OUTCOME_FAILED;
		else
			done |= SW_ACT_REPLACE;
	}
	if (d->actions & (SW_ACT_RESTART | SW_ACT_STOP)) {
		done |= d->actions & (SW_ACT_RESTART | SW_ACT_STOP);
		vm__exit(vm, (d->actions & SW_ACT_STOP) ? VM_EXIT_STOP : VM_EXIT_RESTART);
		stop = 1;
	}
	ev->actions = done;
	if (ev->outcome == SW_OUTCOME_FAILED && !stop) {
		vmm__log("could not contain page 0x%llx: stopping the VM",
			 (unsigned long long)d->page);
		vm__exit(vm, VM_EXIT_STOP);
		stop = 1;
	}
	return stop;
}

int ras__carry_out(struct ras *ras, struct vcpu *vcpu, const struct sw_policy_decision *d,
		   const struct sw_abort *abt, struct sw_event *ev)
{
	return carry_out(ras, vcpu, d, abt, SW_INJECT_AUTO, ev);
}

/*
 * An SEA on the guest's own table walk comes without a guest physical
 * address: find the table page from the levels above it, so that a
 * restart renews it too.  The policy still sees no page (unknown_page):
 * nothing can be fenced under a live guest's page tables.
 */
static void find_table(struct vcpu *vcpu, const struct sw_sea *sea, unsigned int *ioctls)
{
	uint64_t table;
	int ret;

	if ((sea->fsc_class != SW_FSC_SEA_TTW && sea->fsc_class != SW_FSC_PARITY_TTW) ||
	    !sea->gva_valid || sea->level == SW_LEVEL_NONE)
		return;
	ret = walk__table(vcpu, sea->gva, sea->level, &table);
	*ioctls += 3;
	if (ret) {
		vmm__log("vCPU %u: cannot find the level %d table of va 0x%llx: %s", vcpu->id,
			 sea->level, (unsigned long long)sea->gva, strerror(-ret));
		return;
	}
	vmm__log("vCPU %u: the level %d table of va 0x%llx is page 0x%llx: marked bad", vcpu->id,
		 sea->level, (unsigned long long)sea->gva, (unsigned long long)table);
	memory__mark_bad(&vcpu->vm->mem, table);
}

/*
 * Decide and act on a decoded fault taken by @vcpu, injecting @abt with
 * @strategy if the policy says so; @t0 is when it arrived.
 */
static int handle(struct vcpu *vcpu, struct sw_sea *sea, const struct sw_abort *abt,
		  enum sw_inject_strategy strategy, uint64_t t0)
{
	struct vm *vm = vcpu->vm;
	struct ras *ras = vm->ras;
	struct sw_policy_decision d;
	struct sw_event ev = {
		.time_ns = ras__clock_ns(CLOCK_REALTIME),
		.vm = VM_NAME,
		.vcpu = vcpu->id,
		.sea = sea,
	};
	struct sw_policy_event pe;
	int el, stop, ret;

	/*
	 * A fenced page is recorded already (a hole); marking it again could
	 * turn a page another vCPU has just replaced back into a bad one.
	 */
	if (!sea->gpa_valid)
		find_table(vcpu, sea, &ev.ioctls);
	else if (sea->source != SW_SOURCE_FENCED)
		memory__mark_bad(&vm->mem, sea->gpa);
	el = cpu__guest_el(vcpu);
	ev.ioctls++;
	ev.guest_el = el < 0 ? SW_GUEST_EL_UNKNOWN : el;
	pe = (struct sw_policy_event){sea, ev.guest_el, ras__caps(ras), ev.time_ns};
	ret = sw_policy_decide(ras->policy, &pe, &d);
	if (ret) {
		vmm__log("vCPU %u: the policy refused the event: %s: stopping the VM", vcpu->id,
			 strerror(-ret));
		vm__exit(vm, VM_EXIT_STOP);
		return 1;
	}
	if (d.reason == SW_REASON_NOTIFY_PENDING) {
		/*
		 * The guest is being told: only counted (the metrics), not
		 * logged, since an agent that takes a second brings hundreds.
		 */
		__atomic_add_fetch(&ras->retries, 1, __ATOMIC_RELAXED);
		sw_event_set_decision(&ev, &d);
		ev.handling_ns = ras__clock_ns(CLOCK_MONOTONIC) - t0;
		sw_metrics_sink(&ev, ras->metrics);
		ras__backoff(d.resume_at_ns);
		return 0;
	}
	/* A fallback for a page that was being notified ends its notification. */
	if (d.page_valid && !(d.actions & SW_ACT_NOTIFY))
		ras__notify_drop(ras, d.page);
	stop = carry_out(ras, vcpu, &d, abt, strategy, &ev);
	ev.handling_ns = ras__clock_ns(CLOCK_MONOTONIC) - t0;
	ras__record(ras, &ev, &d);
	if (stop)
		return 1;
	if (d.actions & SW_ACT_NOTIFY) {
		/* One that could not be sent gets its fallback now. */
		ras__conclude(vm);
		if (ev.actions & SW_ACT_NOTIFY)
			ras__backoff(d.resume_at_ns);
	}
	return 0;
}

int ras__handle_exit(struct vcpu *vcpu)
{
	uint64_t t0 = ras__clock_ns(CLOCK_MONOTONIC);
	const struct kvm_run *run = vcpu->run;
	const char *reason = NULL;
	struct sw_abort abt;
	struct sw_sea sea;

	if (sw_sea_from_exit(&sea, run->arm_sea.flags, run->arm_sea.esr, run->arm_sea.gva,
			     run->arm_sea.gpa, &reason) ||
	    sw_abort_from_sea(&abt, &sea, &reason)) {
		vmm__log("vCPU %u: KVM_EXIT_ARM_SEA with esr 0x%llx: %s: stopping the VM", vcpu->id,
			 (unsigned long long)run->arm_sea.esr, reason ? reason : "?");
		vm__exit(vcpu->vm, VM_EXIT_ERROR);
		return 1;
	}
	return handle(vcpu, &sea, &abt, SW_INJECT_AUTO, t0);
}

/*
 * A SIGBUS carries no syndrome: the guest gets the data abort KVM builds
 * itself (DFSC 0x10, FAR of the faulting access: docs/decode.md), which is
 * exact for a load or store; a fetch reads as a data abort, as measured.
 */
static const struct sw_abort sigbus_abort = {
	.type = SW_ABORT_DATA,
	.iss = 0x10,
	.far_from_exit = true,
};

int ras__handle_sigbus(struct vcpu *vcpu, const siginfo_t *si)
{
	uint64_t t0 = ras__clock_ns(CLOCK_MONOTONIC);
	const char *reason = NULL;
	struct sw_sea sea;
	int ret;

	ret = sw_sea_from_sigbus(&sea, si, &vcpu->vm->mem.map, &reason);
	if (ret && ret != -ENOENT) {
		vmm__log("vCPU %u: SIGBUS: %s: stopping the VM", vcpu->id, reason ? reason : "?");
		vm__exit(vcpu->vm, VM_EXIT_ERROR);
		return 1;
	}
	return handle(vcpu, &sea, &sigbus_abort, SW_INJECT_AUTO, t0);
}

/*
 * A load or store to a page fenced by a memslot hole: the guest consumes
 * again a page the policy already knows, and the policy decides it like
 * any SEA.  The access arrived as an MMIO or NISV exit that is still
 * pending: KVM completes it at the next KVM_RUN unless an external abort
 * is pending through ext_dabt_pending (docs/decode.md, section 5), so the
 * injection is forced to ext_dabt: KVM's own abort, DFSC 0x10 and the FAR
 * of the access.
 */
int ras__handle_hole(struct vcpu *vcpu, uint64_t gpa, bool is_write)
{
	uint64_t t0 = ras__clock_ns(CLOCK_MONOTONIC);
	const char *reason = NULL;
	struct sw_sea sea;

	__atomic_add_fetch(&vcpu->vm->ras->hole_accesses, 1, __ATOMIC_RELAXED);
	if (sw_sea_from_fenced(&sea, gpa, is_write, &reason)) {
		vmm__log("vCPU %u: access to fenced page at 0x%llx: %s: stopping the VM", vcpu->id,
			 (unsigned long long)gpa, reason ? reason : "?");
		vm__exit(vcpu->vm, VM_EXIT_ERROR);
		return 1;
	}
	return handle(vcpu, &sea, &sigbus_abort, SW_INJECT_EXT_DABT, t0);
}

/* A bad page nobody consumed yet (BUS_MCEERR_AO, on the main thread). */
static void handle_ao(struct ras *ras, const siginfo_t *si)
{
	uint64_t t0 = ras__clock_ns(CLOCK_MONOTONIC);
	struct sw_policy_decision d;
	struct sw_event ev = {.time_ns = ras__clock_ns(CLOCK_REALTIME), .vm = VM_NAME, .vcpu = -1};
	struct sw_policy_event pe;
	const char *reason = NULL;
	struct sw_sea sea;
	int ret;

	ret = sw_sea_from_sigbus(&sea, si, &ras->vm->mem.map, &reason);
	if (ret && ret != -ENOENT) {
		vmm__log("SIGBUS AO: %s", reason ? reason : "?");
		return;
	}
	ev.sea = &sea;
	ev.guest_el = SW_GUEST_EL_UNKNOWN;
	pe = (struct sw_policy_event){&sea, SW_GUEST_EL_UNKNOWN, ras__caps(ras), ev.time_ns};
	if (sw_policy_decide(ras->policy, &pe, &d))
		return;
	/*
	 * Only a page new to the policy: AO for a page a vCPU already had
	 * replaced is about the old host page, not the fresh one now there.
	 */
	if (d.new_page && d.page_valid)
		memory__mark_bad(&ras->vm->mem, d.page);
	ras__carry_out(ras, NULL, &d, NULL, &ev);
	ev.handling_ns = ras__clock_ns(CLOCK_MONOTONIC) - t0;
	ras__record(ras, &ev, &d);
	if (d.actions & SW_ACT_NOTIFY)
		ras__conclude(ras->vm);
}

static void write_metrics(struct ras *ras)
{
	char tmp[4096], *buf;
	int len, fd;

	if (!ras->vm->opts->metrics)
		return;
	len = sw_metrics_render(ras->metrics, NULL, 0);
	if (len < 0 || !(buf = malloc(len + 1)))
		return;
	sw_metrics_render(ras->metrics, buf, len + 1);
	/* Write a temporary file and rename it: a scraper never reads half a file. */
	snprintf(tmp, sizeof(tmp), "%s.tmp", ras->vm->opts->metrics);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, buf, len) != len || close(fd) ||
	    rename(tmp, ras->vm->opts->metrics))
		vmm__log("--metrics %s: %s", ras->vm->opts->metrics, strerror(errno));
	free(buf);
}

int ras__tick(struct vm *vm)
{
	struct ras *ras = vm->ras;
	uint64_t handled;
	siginfo_t si;
	int wait_ms;

	while (sigbus__take_ao(&si))
		handle_ao(ras, &si);
	wait_ms = ras__notify_expire(ras);
	handled = __atomic_load_n(&ras->handled, __ATOMIC_RELAXED);
	if (handled != ras->metrics_at) {
		ras->metrics_at = handled;
		write_metrics(ras);
	}
	return wait_ms;
}

void ras__restarted(struct vm *vm, bool guest)
{
	struct ras *ras = vm->ras;

	if (guest)
		journal_guest_restart(ras);
	sw_policy_restarted(ras->policy);
	/* The policy forgot its notifications; the new guest has a new agent. */
	pthread_mutex_lock(&ras->lock);
	memset(ras->notified, 0, sizeof(ras->notified));
	pthread_mutex_unlock(&ras->lock);
}

int ras__vcpu_init(struct vcpu *vcpu)
{
	const char *reason = NULL;
	int ret = sw_vcpu_init(&vcpu->sw, vcpu->vm->vm_fd, vcpu->fd, &reason);

	if (ret)
		vmm__log("vCPU %u: libseawall: %s: %s", vcpu->id, reason ? reason : "?",
			 strerror(-ret));
	return ret;
}

static int load_policy(struct ras *ras, const char *path)
{
	struct sw_policy_error err;
	int ret;

	if (!path) {
		sw_policy_config_default(&ras->cfg);
		return 0;
	}
	ret = sw_policy_config_load(&ras->cfg, path, &err);
	if (ret) {
		vmm__log("--policy %s", err.message);
		return -EINVAL;
	}
	return 0;
}

static int open_journal(struct ras *ras, const char *path)
{
	struct sw_journal_report report;
	struct sw_journal_options o = {
		.flags = SW_JOURNAL_CREATE,
		.granule_shift = ras->granule_shift,
		.sync = SW_JOURNAL_SYNC_EVERY,
		.replay = sw_policy_replay_journal,
		.replay_arg = ras->policy,
		.report = &report,
	};
	struct sw_journal_counters c;
	struct sw_policy_stats st;
	int ret;

	ret = sw_journal_open(&ras->journal, path, &o);
	if (ret) {
		vmm__log("--journal: %s", report.message);
		ras->journal = NULL;
		return ret == -ENOMEM ? ret : -EINVAL;
	}
	if (report.problem != SW_JOURNAL_CLEAN)
		vmm__log("--journal: %s", report.message);
	sw_policy_stats(ras->policy, &st);
	sw_journal_counters(ras->journal, &c);
	vmm__log("journal %s: replayed %llu event%s and %llu restart%s; %u bad page%s known", path,
		 (unsigned long long)c.events, c.events == 1 ? "" : "s",
		 (unsigned long long)c.restarts, c.restarts == 1 ? "" : "s", st.distinct_pages,
		 st.distinct_pages == 1 ? "" : "s");
	return 0;
}

int ras__init(struct vm *vm)
{
	const struct vmm_options *o = vm->opts;
	struct ras *ras;
	int ret;

	ras = calloc(1, sizeof(*ras));
	if (!ras)
		return -ENOMEM;
	vm->ras = ras;
	ras->vm = vm;
	ras->events_fd = -1;
	pthread_mutex_init(&ras->lock, NULL);
	/* And SW_CAN_NOTIFY while the guest's agent is alive (ras__caps). */
	ras->caps = SW_CAN_FENCE | SW_CAN_REPLACE | SW_CAN_RESTART;
	vm->agent.answered = ras__conclude;
	if ((ret = load_policy(ras, o->policy)))
		return ret;
	ret = sw_granule_shift(vm->mem.page_size, GUEST_PAGE);
	if (ret < 0) {
		vmm__log("host page size %llu: not one libseawall knows (4, 16 or 64 KiB)",
			 (unsigned long long)vm->mem.page_size);
		return ret;
	}
	ras->granule_shift = (unsigned int)ret;
	ret = sw_policy_new(&ras->cfg, 1ULL << ras->granule_shift, &ras->policy);
	if (ret) {
		vmm__log("cannot create the policy: %s", sw_strerror(ret));
		return ret;
	}
	if (o->journal && (ret = open_journal(ras, o->journal)))
		return ret;
	if (o->events) {
		ras->events_fd = open(o->events, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (ras->events_fd < 0) {
			vmm__log("--events %s: %s", o->events, strerror(errno));
			return -EINVAL;
		}
	}
	ret = sw_metrics_new(VM_NAME, &ras->metrics);
	if (ret)
		return ret;
	/* Every handled SEA goes to each of these, in this order. */
	if (ras->events_fd >= 0)
		ras->sinks[ras->n_sinks++] = (struct sink){sw_event_fd_sink, &ras->events_fd};
	ras->sinks[ras->n_sinks++] = (struct sink){sw_metrics_sink, ras->metrics};
	if (ras->journal)
		ras->sinks[ras->n_sinks++] = (struct sink){sw_journal_sink, ras->journal};
	if (o->metrics)
		write_metrics(ras);
	return 0;
}

void ras__exit(struct vm *vm)
{
	struct ras *ras = vm->ras;
	uint64_t holes, retries;

	if (!ras)
		return;
	vm->agent.answered = NULL;
	retries = __atomic_load_n(&ras->retries, __ATOMIC_RELAXED);
	if (retries)
		vmm__log("%llu exit%s re-entered while the guest was being told",
			 (unsigned long long)retries, retries == 1 ? "" : "s");
	holes = __atomic_load_n(&ras->hole_accesses, __ATOMIC_RELAXED);
	if (holes)
		vmm__log("%llu access%s to pages fenced in memslot holes",
			 (unsigned long long)holes, holes == 1 ? "" : "es");
	write_metrics(ras);
	if (ras->journal)
		sw_journal_close(ras->journal);
	if (ras->events_fd >= 0)
		close(ras->events_fd);
	sw_metrics_free(ras->metrics);
	sw_policy_free(ras->policy);
	free(ras);
	vm->ras = NULL;
}
