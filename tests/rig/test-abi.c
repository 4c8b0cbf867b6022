// SPDX-License-Identifier: MIT
/*
 * sw-test-abi: the KVM_EXIT_ARM_SEA layout libseawall writes down in
 * lib/kvm_uapi.h holds on the running kernel, not only against the
 * headers at compile time.  The union of struct kvm_run is filled with
 * 0xa5 before the KVM_RUN that exits with 41; afterwards exit_reason and
 * the four doublewords flags, esr, gva, gpa must sit where kvm_uapi.h puts
 * them (the union at SW_KVM_RUN_EXIT_UNION_OFFSET, struct sw_kvm_arm_sea)
 * with the exact values, and no byte of the union past the record may have
 * been written.  (The ONE_REG ids and struct sw_kvm_vcpu_events are
 * exercised on the running kernel by sw-test-inject: the guest takes what
 * the library writes through them.)
 */
#include <stddef.h>
#include <string.h>

#include "kvm_uapi.h"
#include "poison.h"
#include "sea.h"
#include "test.h"

/* The numbers in the case names. */
_Static_assert(SW_KVM_RUN_EXIT_REASON_OFFSET == 8, "exit_reason at 8");
_Static_assert(SW_KVM_RUN_EXIT_UNION_OFFSET == 32, "the exit union at 32");

#define UNION_SIZE 256 /* the union's padding[256] (include/uapi/linux/kvm.h) */

static uint64_t u64_at(const uint8_t *run, size_t off)
{
	uint64_t v;

	memcpy(&v, run + off, sizeof(v));
	return v;
}

static void test_arm_sea_layout(const void *arg)
{
	const struct sea_case c = {SW_ACCESS_STORE, SW_CTX_EL1H, .mmu = 1, .sctlr = SCTLR_SPAN};
	const size_t rec = SW_KVM_RUN_EXIT_UNION_OFFSET;
	struct sea_ready ready;
	struct rig_guest g;
	uint8_t *run;
	uint32_t reason;

	(void)arg;
	require_injector();
	sea_start(&g, &c, true, &ready);
	run = (uint8_t *)g.vcpu->run;
	poison_page(guest_ptr(&g, ready.victim));
	/* Output only for this exit: KVM reads none of it on entry after a ucall write. */
	memset(run + rec, 0xa5, UNION_SIZE);
	vcpu_run(g.vcpu);

	memcpy(&reason, run + SW_KVM_RUN_EXIT_REASON_OFFSET, sizeof(reason));
	TEST_ASSERT_EQ(reason, SW_KVM_EXIT_ARM_SEA);
	TEST_ASSERT_EQ(u64_at(run, rec + offsetof(struct sw_kvm_arm_sea, flags)),
		       SW_KVM_EXIT_ARM_SEA_FLAG_GPA_VALID);
	TEST_ASSERT_EQ(u64_at(run, rec + offsetof(struct sw_kvm_arm_sea, esr)), 0x92000250);
	TEST_ASSERT_EQ(u64_at(run, rec + offsetof(struct sw_kvm_arm_sea, gva)), 0x80180048);
	TEST_ASSERT_EQ(u64_at(run, rec + offsetof(struct sw_kvm_arm_sea, gpa)), 0x40180000);
	for (size_t off = rec + sizeof(struct sw_kvm_arm_sea); off < rec + UNION_SIZE; off++)
		TEST_ASSERT(run[off] == 0xa5, "byte %zu of kvm_run was written: 0x%02x", off,
			    run[off]);
	unpoison_page(guest_ptr(&g, ready.victim));
	guest_free(&g);
}

static const struct rig_case cases[] = {
	{"abi: exit_reason at 8, arm_sea flags/esr/gva/gpa at 32/40/48/56 as kvm_uapi.h says, "
	 "nothing past 64",
	 test_arm_sea_layout, NULL},
};

int main(void)
{
	return rig_test_main(cases, sizeof(cases) / sizeof(cases[0]));
}
