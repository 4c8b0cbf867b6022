// SPDX-License-Identifier: MIT
/*
 * sw-test-kernel-abi: the ABI of the kernel series on the patched kernel.
 *
 * - KVM_CAP_ARM_INJECT_EXT_IABT (provisional 1024) is 1;
 * - struct kvm_vcpu_events keeps 7.3's size and offsets (lib/kvm_uapi.h
 *   checks them at compile time; this states the numbers);
 * - each -EINVAL rule of KVM_SET_VCPU_EVENTS, after a real KVM_EXIT_ARM_SEA,
 *   where an accepted call would inject: the call fails with EINVAL and the
 *   vCPU is untouched (PC, PSTATE, ELR_EL1, SPSR_EL1, ESR_EL1, FAR_EL1 as
 *   they were, nothing pending, and the next KVM_RUN faults again at the
 *   same PC);
 * - the padding and reserved bytes that are left are still rejected;
 * - an SError is pended in the same call as an abort;
 * - KVM_GET_VCPU_EVENTS reports the new fields as 0 and a GET/SET round
 *   trip injects nothing.
 *
 * A 7.3-built caller (only ext_dabt_pending) is sw-test-ext-dabt, which
 * sw-rig-suite-patched runs on the patched kernel with the constants it
 * asserts on the Debian kernel.
 */
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kernel_events.h"
#include "poison.h"
#include "sea.h"
#include "test.h"

/* A store at EL1h, MMU off: exit esr 0x92000250 (sw-test-sea-exit). */
static const struct sea_case store = {SW_ACCESS_STORE, SW_CTX_EL1H, .sctlr = SCTLR_SPAN};

/*
 * Every other case skips without the capability; this one fails instead
 * when the kernel is the patched one (LOCALVERSION -seawall, from
 * kernel/config.fragment) and does not advertise it.
 */
static void test_cap(const void *arg)
{
	struct rig_vm *vm = vm_create();
	struct utsname uts;

	(void)arg;
	TEST_ASSERT_EQ(uname(&uts), 0);
	TEST_REQUIRE(strstr(uts.release, "-seawall"),
		     "kernel %s is not the patched one (rig/run --kernel patched)", uts.release);
	TEST_ASSERT_EQ(vm_check_cap(vm, SW_KVM_CAP_ARM_INJECT_EXT_IABT), 1);
	/* Its neighbours are what 7.3 says they are. */
	TEST_ASSERT_EQ(vm_check_cap(vm, KVM_CAP_ARM_INJECT_EXT_DABT), 1);
	TEST_ASSERT_EQ(vm_check_cap(vm, KVM_CAP_ARM_SEA_TO_USER), 1);
	vm_free(vm);
}

static void test_layout(const void *arg)
{
	(void)arg;
	TEST_ASSERT_EQ(sizeof(struct sw_kvm_vcpu_events), 64);
	TEST_ASSERT_EQ(offsetof(struct sw_kvm_vcpu_events, exception.serror_pending), 0);
	TEST_ASSERT_EQ(offsetof(struct sw_kvm_vcpu_events, exception.serror_has_esr), 1);
	TEST_ASSERT_EQ(offsetof(struct sw_kvm_vcpu_events, exception.ext_dabt_pending), 2);
	TEST_ASSERT_EQ(offsetof(struct sw_kvm_vcpu_events, exception.ext_iabt_pending), 3);
	TEST_ASSERT_EQ(offsetof(struct sw_kvm_vcpu_events, exception.ext_abt_has_esr), 4);
	TEST_ASSERT_EQ(offsetof(struct sw_kvm_vcpu_events, exception.serror_esr), 8);
	TEST_ASSERT_EQ(offsetof(struct sw_kvm_vcpu_events, exception.ext_abt_esr), 16);
	TEST_ASSERT_EQ(offsetof(struct sw_kvm_vcpu_events, reserved), 24);
	/* Linux 7.3's header: the same size, the new fields in its pad and reserved. */
	TEST_ASSERT_EQ(sizeof(struct kvm_vcpu_events), 64);
	TEST_ASSERT_EQ(offsetof(struct kvm_vcpu_events, exception.ext_dabt_pending), 2);
	TEST_ASSERT_EQ(offsetof(struct kvm_vcpu_events, exception.pad), 3);
	TEST_ASSERT_EQ(offsetof(struct kvm_vcpu_events, exception.serror_esr), 8);
	TEST_ASSERT_EQ(offsetof(struct kvm_vcpu_events, reserved), 16);
}

/* The vCPU state an injection would change. */
struct vcpu_snap {
	uint64_t pc, pstate, elr, spsr, esr, far;
};

static void snap(struct rig_vcpu *vcpu, struct vcpu_snap *s)
{
	s->pc = vcpu_get_reg(vcpu, REG_PC);
	s->pstate = vcpu_get_reg(vcpu, REG_PSTATE);
	s->elr = vcpu_get_reg(vcpu, REG_ELR_EL1);
	s->spsr = vcpu_get_reg(vcpu, REG_SPSR_EL1);
	s->esr = vcpu_get_reg(vcpu, REG_ESR_EL1);
	s->far = vcpu_get_reg(vcpu, REG_FAR_EL1);
}

/* No abort reads back as pending: it was committed, or never injected. */
static void assert_no_abort_pending(const struct sw_kvm_vcpu_events *ev)
{
	TEST_ASSERT_EQ(ev->exception.ext_dabt_pending, 0);
	TEST_ASSERT_EQ(ev->exception.ext_iabt_pending, 0);
	TEST_ASSERT_EQ(ev->exception.ext_abt_has_esr, 0);
	TEST_ASSERT_EQ(ev->exception.ext_abt_esr, 0);
}

static void assert_untouched(struct rig_guest *g, const struct vcpu_snap *before,
			     const struct sea_ready *ready)
{
	struct sw_kvm_vcpu_events now;
	struct vcpu_snap after;

	snap(g->vcpu, &after);
	TEST_ASSERT_EQ(after.pc, before->pc);
	TEST_ASSERT_EQ(after.pstate, before->pstate);
	TEST_ASSERT_EQ(after.elr, before->elr);
	TEST_ASSERT_EQ(after.spsr, before->spsr);
	TEST_ASSERT_EQ(after.esr, before->esr);
	TEST_ASSERT_EQ(after.far, before->far);
	memset(&now, 0xa5, sizeof(now));
	TEST_ASSERT_EQ(__kabt_events_get(g->vcpu, &now), 0);
	TEST_ASSERT_EQ(now.exception.serror_pending, 0);
	assert_no_abort_pending(&now);
	/* Nothing was injected: the guest retries the store and faults again. */
	sea_run_to_exit(g, ready);
	TEST_ASSERT_EQ(g->vcpu->run->arm_sea.esr, 0x92000250);
}

enum bad_kind {
	BAD_BOTH,	    /* ext_dabt_pending and ext_iabt_pending */
	BAD_ISS_BIT25,	    /* ext_abt_esr bit 25 (IL) */
	BAD_ISS_BIT63,	    /* ext_abt_esr bit 63 */
	BAD_HAS_ESR_ALONE,  /* ext_abt_has_esr without an abort */
	BAD_ESR_NO_HAS_ESR, /* ext_abt_esr without ext_abt_has_esr */
	BAD_PAD,	    /* pad[0..2] */
	BAD_RESERVED,	    /* reserved[0..9] */
};

static void fill_bad(struct sw_kvm_vcpu_events *ev, enum bad_kind kind, unsigned int i)
{
	memset(ev, 0, sizeof(*ev));
	switch (kind) {
	case BAD_BOTH:
		ev->exception.ext_dabt_pending = 1;
		ev->exception.ext_iabt_pending = 1;
		break;
	case BAD_ISS_BIT25:
	case BAD_ISS_BIT63:
		ev->exception.ext_dabt_pending = 1;
		ev->exception.ext_abt_has_esr = 1;
		ev->exception.ext_abt_esr =
			0x250 | (kind == BAD_ISS_BIT25 ? 1ULL << 25 : 1ULL << 63);
		break;
	case BAD_HAS_ESR_ALONE:
		ev->exception.ext_abt_has_esr = 1;
		ev->exception.ext_abt_esr = 0x250;
		break;
	case BAD_ESR_NO_HAS_ESR:
		ev->exception.ext_dabt_pending = 1;
		ev->exception.ext_abt_esr = 0x250;
		break;
	case BAD_PAD:
		ev->exception.ext_dabt_pending = 1;
		ev->exception.pad[i] = 1;
		break;
	case BAD_RESERVED:
		ev->exception.ext_dabt_pending = 1;
		ev->reserved[i] = 1;
		break;
	}
}

static void test_einval(const void *arg)
{
	enum bad_kind kind = (enum bad_kind)(uintptr_t)arg;
	unsigned int n = kind == BAD_PAD ? 3 : kind == BAD_RESERVED ? 10 : 1;
	struct sw_kvm_vcpu_events ev;
	struct vcpu_snap before;
	struct sea_ready ready;
	struct rig_guest g;

	kabt_run_to_exit(&g, &store, &ready, true);
	for (unsigned int i = 0; i < n; i++) {
		snap(g.vcpu, &before);
		fill_bad(&ev, kind, i);
		errno = 0;
		TEST_ASSERT_EQ(__kabt_events_set(g.vcpu, &ev), -1);
		TEST_ASSERT(errno == EINVAL, "byte/word %u: errno %d, expected EINVAL", i, errno);
		assert_untouched(&g, &before, &ready);
	}
	unpoison_page(guest_ptr(&g, ready.victim));
	guest_free(&g);
}

/* One call: a data abort with the exit's ISS and an SError with an ISS of ours. */
static void test_serror_same_call(const void *arg)
{
	struct sw_kvm_vcpu_events ev = {0}, now;
	struct sea_ready ready;
	struct sea_result res;
	struct rig_guest g;

	(void)arg;
	kabt_run_to_exit(&g, &store, &ready, true);
	TEST_REQUIRE(vm_check_cap(g.vm, KVM_CAP_ARM_INJECT_SERROR_ESR) == 1,
		     "KVM_CAP_ARM_INJECT_SERROR_ESR absent: no SError ISS to check");

	ev.exception.ext_dabt_pending = 1;
	ev.exception.ext_abt_has_esr = 1;
	ev.exception.ext_abt_esr = 0x250;
	ev.exception.serror_pending = 1;
	ev.exception.serror_has_esr = 1;
	ev.exception.serror_esr = 0x1234;
	TEST_ASSERT_EQ(__kabt_events_set(g.vcpu, &ev), 0);

	/* The abort is delivered (PC at the vector), the SError is pending. */
	TEST_ASSERT_EQ(__kabt_events_get(g.vcpu, &now), 0);
	TEST_ASSERT_EQ(now.exception.serror_pending, 1);
	TEST_ASSERT_EQ(now.exception.serror_has_esr, 1);
	TEST_ASSERT_EQ(now.exception.serror_esr, 0x1234);
	assert_no_abort_pending(&now);
	TEST_ASSERT_EQ(vcpu_get_reg(g.vcpu, REG_PC), vcpu_get_reg(g.vcpu, REG_VBAR_EL1) + 0x200);
	TEST_ASSERT_EQ(vcpu_get_reg(g.vcpu, REG_ESR_EL1), 0x96000250);

	/* The guest records the abort, the first exception it takes. */
	sea_expect_result(&g, &res);
	TEST_ASSERT_EQ(res.taken, 1);
	TEST_ASSERT_EQ(res.rec.kind, SW_EXC_SYNC);
	TEST_ASSERT_EQ(res.rec.esr, 0x96000250);
	unpoison_page(guest_ptr(&g, ready.victim));
	guest_free(&g);
}

static void test_get_set_round_trip(const void *arg)
{
	struct sw_kvm_vcpu_events ev;
	struct vcpu_snap before;
	struct sea_ready ready;
	struct rig_guest g;

	(void)arg;
	kabt_run_to_exit(&g, &store, &ready, true);
	snap(g.vcpu, &before);
	memset(&ev, 0xa5, sizeof(ev));
	TEST_ASSERT_EQ(__kabt_events_get(g.vcpu, &ev), 0);
	assert_no_abort_pending(&ev);
	TEST_ASSERT_EQ(ev.exception.serror_pending, 0);
	for (unsigned int i = 0; i < 3; i++)
		TEST_ASSERT_EQ(ev.exception.pad[i], 0);
	for (unsigned int i = 0; i < 10; i++)
		TEST_ASSERT_EQ(ev.reserved[i], 0);
	TEST_ASSERT_EQ(__kabt_events_set(g.vcpu, &ev), 0);
	assert_untouched(&g, &before, &ready);
	unpoison_page(guest_ptr(&g, ready.victim));
	guest_free(&g);
}

/* An AArch32 EL1 reports aborts in DFSR/IFSR, which have no ISS to supply. */
static void test_aarch32_el1(const void *arg)
{
	struct sw_kvm_vcpu_events ev = {0};
	struct kvm_vcpu_init init;
	struct rig_vm *vm = vm_create();
	int fd;

	(void)arg;
	KABT_REQUIRE_CAP(vm);
	TEST_REQUIRE(vm_check_cap(vm, KVM_CAP_ARM_EL1_32BIT) == 1,
		     "KVM_CAP_ARM_EL1_32BIT absent: no AArch32 EL1 vCPU here");
	fd = ioctl(vm->fd, KVM_CREATE_VCPU, 0);
	TEST_ASSERT(fd >= 0, "KVM_CREATE_VCPU: %s", strerror(errno));
	TEST_ASSERT_EQ(ioctl(vm->fd, KVM_ARM_PREFERRED_TARGET, &init), 0);
	init.features[0] |= 1U << KVM_ARM_VCPU_EL1_32BIT;
	TEST_ASSERT(ioctl(fd, KVM_ARM_VCPU_INIT, &init) == 0, "KVM_ARM_VCPU_INIT(EL1_32BIT): %s",
		    strerror(errno));

	ev.exception.ext_dabt_pending = 1;
	ev.exception.ext_abt_has_esr = 1;
	ev.exception.ext_abt_esr = A64_FSC_SEA;
	errno = 0;
	TEST_ASSERT_EQ(ioctl(fd, KVM_SET_VCPU_EVENTS, &ev), -1);
	TEST_ASSERT_EQ(errno, EINVAL);
	/* Without a syndrome both aborts are still taken, in the AArch32 format. */
	ev.exception.ext_abt_has_esr = 0;
	ev.exception.ext_abt_esr = 0;
	TEST_ASSERT_EQ(ioctl(fd, KVM_SET_VCPU_EVENTS, &ev), 0);
	ev.exception.ext_dabt_pending = 0;
	ev.exception.ext_iabt_pending = 1;
	TEST_ASSERT_EQ(ioctl(fd, KVM_SET_VCPU_EVENTS, &ev), 0);
	close(fd);
	vm_free(vm);
}

static const struct rig_case cases[] = {
	{"abi: KVM_CAP_ARM_INJECT_EXT_IABT (provisional 1024) is 1", test_cap, NULL},
	{"abi: 64 bytes as in 7.3; fields at 0 1 2 3 4 8 16, reserved at 24 (7.3: pad 3, reserved "
	 "16)",
	 test_layout, NULL},
	{"einval: ext_dabt_pending and ext_iabt_pending, vCPU untouched", test_einval,
	 (void *)BAD_BOTH},
	{"einval: ext_abt_esr bit 25 (outside ISS), vCPU untouched", test_einval,
	 (void *)BAD_ISS_BIT25},
	{"einval: ext_abt_esr bit 63, vCPU untouched", test_einval, (void *)BAD_ISS_BIT63},
	{"einval: ext_abt_has_esr without an abort, vCPU untouched", test_einval,
	 (void *)BAD_HAS_ESR_ALONE},
	{"einval: ext_abt_esr without ext_abt_has_esr, vCPU untouched", test_einval,
	 (void *)BAD_ESR_NO_HAS_ESR},
	{"einval: each of pad[0..2] still rejected, vCPU untouched", test_einval, (void *)BAD_PAD},
	{"einval: each of reserved[0..9] still rejected, vCPU untouched", test_einval,
	 (void *)BAD_RESERVED},
	{"same call: abort with ISS 0x250 delivered, SError ISS 0x1234 pending",
	 test_serror_same_call, NULL},
	{"einval: ext_abt_has_esr on an AArch32 EL1 vCPU; plain aborts accepted", test_aarch32_el1,
	 NULL},
	{"get: new fields read 0; a GET/SET round trip injects nothing", test_get_set_round_trip,
	 NULL},
};

int main(void)
{
	return rig_test_main(cases, sizeof(cases) / sizeof(cases[0]));
}
