/* SPDX-License-Identifier: MIT */
/*
 * examples/minimal-vmm-glue.c - the least a VMM writes to contain memory
 * poison with libseawall: every SEA a vCPU takes, from KVM_EXIT_ARM_SEA or
 * SIGBUS to a decision carried out, reported and journaled, and the state
 * rebuilt from the journal when the VMM starts again.
 * docs/architecture.md ("Minimal VMM integration") walks through it.
 *
 * The aarch64 build compiles it as a static library, so it keeps
 * compiling against the real headers; nothing runs it.  What only a VMM
 * can do (unmap a guest page, restart the VM) is left to callbacks, and
 * there is no guest agent here: the policy falls back from notify to
 * inject + fence by itself (docs/policy.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvm.h>

#include <seawall/seawall.h>

/* What only the VMM can do; each returns 0 or a negative errno. */
struct glue_ops {
	int (*fence)(void *vmm, uint64_t page);	  /* never map the page into the guest again */
	int (*replace)(void *vmm, uint64_t page); /* back it with a fresh zeroed page */
	void (*restart)(void *vmm);		  /* restart the VM onto fresh memory, later */
	void (*stop)(void *vmm);		  /* stop the VM, later */
	void *vmm;
};

struct glue_sink {
	sw_event_fn fn;
	void *arg;
};

struct glue_vm {
	struct glue_ops ops;
	const char *name;	      /* the VM's name in events and metrics */
	struct sw_memmap memmap;      /* the VMM's memslots (sw_memmap_validate()d) */
	unsigned int caps;	      /* SW_CAN_*: what the VMM can do */
	struct sw_policy *policy;     /* what to do about each SEA */
	struct sw_registry *registry; /* every granule ever poisoned: the VMM never touches them */
	struct sw_journal *journal;   /* the VM's poison history, across VMM restarts */
	struct sw_metrics *metrics;   /* Prometheus counters */
	int events_fd;		      /* one JSON line per SEA */
	struct glue_sink sinks[3];    /* where each handled SEA is reported */
	size_t n_sinks;
};

struct glue_vcpu {
	struct glue_vm *vm;
	int index;
	int fd;
	struct kvm_run *run;
	struct sw_vcpu sw; /* sw_vcpu_init(): ID registers and capabilities, once */
};

/* The VMM's side: set up once, then call from the vCPU threads. */
int glue_vm_init(struct glue_vm *vm, int vm_fd, const char *policy_path, const char *journal_path,
		 const char *events_path, const char *name);
int glue_vcpu_init(struct glue_vcpu *vcpu, struct glue_vm *vm, int vm_fd, int vcpu_fd, int index,
		   struct kvm_run *run);
int glue_handle_sea_exit(struct glue_vcpu *vcpu);
int glue_handle_sigbus(struct glue_vcpu *vcpu, const siginfo_t *si);
bool glue_page_is_poisoned(const struct glue_vm *vm, uint64_t gpa);
void glue_vm_restarted(struct glue_vm *vm);
void glue_vm_exit(struct glue_vm *vm);

#define GUEST_PAGE_SIZE	  4096
#define REGISTRY_CAPACITY 65536 /* distinct granules over the VM's life: 1 MiB */

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * Once per VM, before the first KVM_RUN: route SEAs to userspace, then
 * build the policy and rebuild its state from the journal.  Everything that
 * allocates happens here.
 */
int glue_vm_init(struct glue_vm *vm, int vm_fd, const char *policy_path, const char *journal_path,
		 const char *events_path, const char *name)
{
	struct kvm_enable_cap cap = {.cap = KVM_CAP_ARM_SEA_TO_USER};
	struct sw_policy_config cfg;
	struct sw_policy_error perr;
	struct sw_journal_report report;
	struct sw_journal_options jo = {
		.flags = SW_JOURNAL_CREATE,
		.sync = SW_JOURNAL_SYNC_EVERY,
		.report = &report, /* report.message says what to do on failure */
	};
	int shift, ret;

	/* Without it an unclaimed SEA becomes a virtual SError (api.rst). */
	if (ioctl(vm_fd, KVM_ENABLE_CAP, &cap))
		return -errno;
	shift = sw_granule_shift((size_t)sysconf(_SC_PAGESIZE), GUEST_PAGE_SIZE);
	if (shift < 0)
		return shift;
	sw_policy_config_default(&cfg);
	if (policy_path && (ret = sw_policy_config_load(&cfg, policy_path, &perr)))
		return ret; /* perr.message names the file, line and key */
	if ((ret = sw_policy_new(&cfg, 1ull << shift, &vm->policy)) ||
	    (ret = sw_registry_create(&vm->registry, REGISTRY_CAPACITY, (unsigned int)shift)))
		return ret;

	/* Every record rebuilds the policy and every page fills the registry. */
	jo.granule_shift = (unsigned int)shift;
	jo.replay = sw_policy_replay_journal;
	jo.replay_arg = vm->policy;
	jo.registry = vm->registry;
	if ((ret = sw_journal_open(&vm->journal, journal_path, &jo)) ||
	    (ret = sw_metrics_new(name, &vm->metrics)))
		return ret;
	vm->name = name;
	vm->events_fd = open(events_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (vm->events_fd < 0)
		return -errno;

	vm->sinks[0] = (struct glue_sink){sw_event_fd_sink, &vm->events_fd};
	vm->sinks[1] = (struct glue_sink){sw_metrics_sink, vm->metrics};
	vm->sinks[2] = (struct glue_sink){sw_journal_sink, vm->journal};
	vm->n_sinks = 3;
	vm->caps = SW_CAN_FENCE | SW_CAN_REPLACE | SW_CAN_RESTART; /* no agent: no NOTIFY */
	return 0;
}

/* Once per vCPU, after KVM_ARM_VCPU_INIT (6 ioctls). */
int glue_vcpu_init(struct glue_vcpu *vcpu, struct glue_vm *vm, int vm_fd, int vcpu_fd, int index,
		   struct kvm_run *run)
{
	*vcpu = (struct glue_vcpu){.vm = vm, .index = index, .fd = vcpu_fd, .run = run};
	return sw_vcpu_init(&vcpu->sw, vm_fd, vcpu_fd, NULL);
}

/* PSTATE.EL of the vCPU when it took the abort, or SW_GUEST_EL_UNKNOWN. */
static int guest_el(int vcpu_fd)
{
	uint64_t pstate;
	struct kvm_one_reg reg = {
		.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
		      KVM_REG_ARM_CORE_REG(regs.pstate),
		.addr = (uint64_t)(uintptr_t)&pstate,
	};

	return ioctl(vcpu_fd, KVM_GET_ONE_REG, &reg) ? SW_GUEST_EL_UNKNOWN
						     : (int)((pstate >> 2) & 3);
}

/*
 * Decide, carry out in bit order, report.  Returns 0 to re-enter the
 * vCPU, 1 when the VM restarts or stops, or a negative errno.
 */
static int handle(struct glue_vcpu *vcpu, const struct sw_sea *sea, const struct sw_abort *abt,
		  uint64_t t0)
{
	struct glue_vm *vm = vcpu->vm;
	struct sw_event ev = {
		.time_ns = clock_ns(CLOCK_REALTIME),
		.vm = vm->name,
		.vcpu = vcpu->index,
		.sea = sea,
		.guest_el = guest_el(vcpu->fd),
		.ioctls = 1,
	};
	struct sw_policy_event pe = {sea, ev.guest_el, vm->caps, ev.time_ns};
	struct sw_policy_decision d;
	struct sw_inject_result res;
	uint32_t done = 0;
	int ret;

	if ((ret = sw_policy_decide(vm->policy, &pe, &d)))
		return ret;
	if (d.page_valid && sw_registry_insert(vm->registry, d.page) < 0) {
		vm->ops.stop(vm->ops.vmm); /* it can no longer tell which pages are bad */
		return 1;
	}
	sw_event_set_decision(&ev, &d);
	done |= d.actions & SW_ACT_LOG;
	/* NOTIFY needs an agent, which this VMM does not have; RETRY is re-entering. */
	if (d.actions & SW_ACT_INJECT) {
		ret = sw_inject(&vcpu->sw, abt, SW_INJECT_AUTO, &res, NULL);
		ev.ioctls += res.ioctls;
		if (!ret) {
			done |= SW_ACT_INJECT;
			ev.strategy = sw_inject_strategy_name(res.strategy);
		}
	}
	if ((d.actions & SW_ACT_FENCE) && !vm->ops.fence(vm->ops.vmm, d.page))
		done |= SW_ACT_FENCE;
	if ((d.actions & SW_ACT_REPLACE) && !vm->ops.replace(vm->ops.vmm, d.page))
		done |= SW_ACT_REPLACE;
	if (d.actions & SW_ACT_RESTART) {
		vm->ops.restart(vm->ops.vmm); /* then glue_vm_restarted() */
		done |= SW_ACT_RESTART;
	}
	if (d.actions & SW_ACT_STOP) {
		vm->ops.stop(vm->ops.vmm);
		done |= SW_ACT_STOP;
	}
	if ((done | SW_ACT_RETRY) != (d.actions | SW_ACT_RETRY)) {
		/* Something could not be done: never let the guest run on it. */
		ev.outcome = SW_OUTCOME_FAILED;
		vm->ops.stop(vm->ops.vmm);
		done |= SW_ACT_STOP;
	}
	ev.actions = done;
	ev.handling_ns = clock_ns(CLOCK_MONOTONIC) - t0;
	for (size_t i = 0; i < vm->n_sinks; i++)
		vm->sinks[i].fn(&ev, vm->sinks[i].arg); /* a failing sink loses only its copy */
	return done & (SW_ACT_RESTART | SW_ACT_STOP) ? 1 : 0;
}

/* KVM_RUN returned with exit_reason KVM_EXIT_ARM_SEA. */
int glue_handle_sea_exit(struct glue_vcpu *vcpu)
{
	uint64_t t0 = clock_ns(CLOCK_MONOTONIC);
	const struct kvm_run *run = vcpu->run;
	struct sw_abort abt;
	struct sw_sea sea;
	int ret;

	ret = sw_sea_from_exit(&sea, run->arm_sea.flags, run->arm_sea.esr, run->arm_sea.gva,
			       run->arm_sea.gpa, NULL);
	if (ret || (ret = sw_abort_from_sea(&abt, &sea, NULL)))
		return ret; /* KVM reported something that is not an SEA: stop the VM */
	return handle(vcpu, &sea, &abt, t0);
}

/*
 * A SIGBUS BUS_MCEERR_AR on this vCPU's thread, handled after the signal
 * handler returned (the handler only saves @si: nothing here is
 * async-signal-safe).  The kernel says nothing of the access, so the
 * guest gets the data abort KVM builds itself (docs/decode.md).
 */
int glue_handle_sigbus(struct glue_vcpu *vcpu, const siginfo_t *si)
{
	static const struct sw_abort kvm_data_abort = {
		.type = SW_ABORT_DATA,
		.iss = 0x10,
		.far_from_exit = true,
	};
	uint64_t t0 = clock_ns(CLOCK_MONOTONIC);
	struct sw_sea sea;
	int ret = sw_sea_from_sigbus(&sea, si, &vcpu->vm->memmap, NULL);

	/* -ENOENT: outside guest memory; the policy decides on an unknown page. */
	if (ret && ret != -ENOENT)
		return ret;
	return handle(vcpu, &sea, &kvm_data_abort, t0);
}

/*
 * Before the VMM itself reads or writes guest memory (device emulation):
 * the registry holds every granule the journal ever recorded, so a page
 * poisoned before a restart stays untouched by the VMM too (the policy
 * forgets it for counting only: its memory is fresh).
 */
bool glue_page_is_poisoned(const struct glue_vm *vm, uint64_t gpa)
{
	return sw_registry_contains(vm->registry, gpa) == 1;
}

/* The VMM restarted the VM onto fresh memory (after ops.restart). */
void glue_vm_restarted(struct glue_vm *vm)
{
	sw_policy_restarted(vm->policy);
}

void glue_vm_exit(struct glue_vm *vm)
{
	sw_journal_close(vm->journal);
	sw_metrics_free(vm->metrics);
	sw_registry_destroy(vm->registry);
	sw_policy_free(vm->policy);
	if (vm->events_fd >= 0)
		close(vm->events_fd);
}
