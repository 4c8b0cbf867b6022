// SPDX-License-Identifier: MIT
/*
 * sw-test-abi: the KVM_EXIT_ARM_SEA record lands where the ABI says, on
 * the running kernel.  The union of struct kvm_run is filled with 0xa5
 * before the KVM_RUN that exits with 41; afterwards exit_reason and the
 * four doublewords flags, esr, gva, gpa must sit at the byte offsets the
 * ABI gives (include/uapi/linux/kvm.h: the union at offset 32 of struct
 * kvm_run, arm_sea = {flags, esr, gva, gpa}), and no byte of the union
 * past those 32 may have been written.
 */
#include <stddef.h>
#include <string.h>

#include "poison.h"
#include "sea.h"
#include "test.h"

/* The byte offsets seawall relies on, stated as numbers. */
#define OFF_EXIT_REASON	  8
#define OFF_UNION	  32
#define OFF_ARM_SEA_FLAGS 32
#define OFF_ARM_SEA_ESR	  40
#define OFF_ARM_SEA_GVA	  48
#define OFF_ARM_SEA_GPA	  56
#define UNION_SIZE	  256

_Static_assert(offsetof(struct kvm_run, exit_reason) == OFF_EXIT_REASON, "kvm_run.exit_reason");
_Static_assert(offsetof(struct kvm_run, arm_sea.flags) == OFF_ARM_SEA_FLAGS, "arm_sea.flags");
_Static_assert(offsetof(struct kvm_run, arm_sea.esr) == OFF_ARM_SEA_ESR, "arm_sea.esr");
_Static_assert(offsetof(struct kvm_run, arm_sea.gva) == OFF_ARM_SEA_GVA, "arm_sea.gva");
_Static_assert(offsetof(struct kvm_run, arm_sea.gpa) == OFF_ARM_SEA_GPA, "arm_sea.gpa");
_Static_assert(KVM_EXIT_ARM_SEA == 41 && KVM_EXIT_ARM_SEA_FLAG_GPA_VALID == 1,
	       "exit 41, flag bit 0");

static uint64_t u64_at(const uint8_t *run, size_t off)
{
	uint64_t v;

	memcpy(&v, run + off, sizeof(v));
	return v;
}

static void test_layout(const void *arg)
{
	const struct sea_case c = {SW_ACCESS_STORE, SW_CTX_EL1H, .mmu = 1, .sctlr = SCTLR_SPAN};
	struct sea_ready ready;
	struct rig_guest g;
	uint8_t *run;
	uint32_t reason;

	(void)arg;
	require_injector();
	sea_start(&g, &c, true, &ready);
	run = (uint8_t *)g.vcpu->run;
	poison_page(guest_ptr(&g, ready.victim));
	/* The union is output only for this exit: KVM reads none of it on entry after a ucall
	 * write. */
	memset(run + OFF_UNION, 0xa5, UNION_SIZE);
	vcpu_run(g.vcpu);

	memcpy(&reason, run + OFF_EXIT_REASON, sizeof(reason));
	TEST_ASSERT_EQ(reason, 41);
	TEST_ASSERT_EQ(u64_at(run, OFF_ARM_SEA_FLAGS), 1);
	TEST_ASSERT_EQ(u64_at(run, OFF_ARM_SEA_ESR), 0x92000250);
	TEST_ASSERT_EQ(u64_at(run, OFF_ARM_SEA_GVA), 0x80180048);
	TEST_ASSERT_EQ(u64_at(run, OFF_ARM_SEA_GPA), 0x40180000);
	for (size_t off = OFF_ARM_SEA_GPA + 8; off < OFF_UNION + UNION_SIZE; off++)
		TEST_ASSERT(run[off] == 0xa5, "byte %zu of kvm_run was written: 0x%02x", off,
			    run[off]);
	unpoison_page(guest_ptr(&g, ready.victim));
	guest_free(&g);
}

static const struct rig_case cases[] = {
	{"abi: exit_reason at 8, arm_sea flags/esr/gva/gpa at 32/40/48/56, nothing past 64",
	 test_layout, NULL},
};

int main(void)
{
	return rig_test_main(cases, sizeof(cases) / sizeof(cases[0]));
}
