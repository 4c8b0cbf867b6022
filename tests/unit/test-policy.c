/* SPDX-License-Identifier: MIT */
/*
 * test-policy: every rule of the recovery policy, with exact decisions.
 * Notify then retry then fall back; inject and contain; kernel, table-walk
 * and uncontainable faults; SIGBUS AR and AO; accesses to fenced pages;
 * unknown pages; a VMM that
 * cannot notify, fence, replace or restart; the distinct-page threshold and
 * the rate; notification answers and deadlines; restarts; and a journal
 * replay that rebuilds exactly the state the live policy had.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <seawall/policy.h>

#include "policy-fixture.h"

#define T0 (1764000000ull * S) /* a realtime clock value */

static struct sw_sea exit_at(uint64_t gpa)
{
	return sea_of(SW_SOURCE_KVM_EXIT, gpa);
}

/* Exact actions, what was ruled out, the rule, the escalation, the count. */
static void expect(const struct sw_policy_decision *d, uint32_t actions, uint32_t unavailable,
		   enum sw_policy_reason reason, uint32_t escalation, unsigned int distinct)
{
	assert_int_equal(d->actions, actions);
	assert_int_equal(d->unavailable, unavailable);
	assert_string_equal(sw_policy_reason_name(d->reason), sw_policy_reason_name(reason));
	assert_int_equal(d->escalation, escalation);
	assert_int_equal(d->distinct_pages, distinct);
}

/* The measured recovery: notify, retry with back-off, the guest answers. */
static void test_notify_retry_offlined(void **state)
{
	struct sw_policy *p = make(NULL);
	struct sw_policy_decision d;
	uint64_t deadline;

	(void)state;
	d = decide(p, exit_at(PAGE_A + 0x48), 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_NOTIFY | SW_ACT_RETRY, 0, SW_REASON_USER_FAULT, 0, 1);
	assert_true(d.page_valid);
	assert_int_equal(d.page, PAGE_A);
	assert_int_equal(d.page_size, 4096);
	assert_true(d.new_page);
	assert_int_equal(d.deadline_ns, T0 + 2 * S);
	assert_int_equal(d.resume_at_ns, T0 + 1 * MS);
	expect_stats(p, 1, 1, 0, 1);
	assert_int_equal(sw_policy_next_deadline(p, &deadline), 0);
	assert_int_equal(deadline, T0 + 2 * S);

	/* The vCPU exits again on the page: re-enter, no injection, not counted. */
	d = decide(p, exit_at(PAGE_A + 0x48), 0, SW_CAN_ALL, T0 + 5 * MS);
	expect(&d, SW_ACT_RETRY, 0, SW_REASON_NOTIFY_PENDING, 0, 1);
	assert_false(d.new_page);
	assert_int_equal(d.deadline_ns, T0 + 2 * S);
	assert_int_equal(d.resume_at_ns, T0 + 6 * MS);
	expect_stats(p, 1, 1, 0, 1);

	/* The agent offlined it. */
	assert_int_equal(
		sw_policy_notify_result(p, PAGE_A + 0x123, true, T0 + 200 * MS, SW_CAN_ALL, &d), 0);
	expect(&d, SW_ACT_LOG, 0, SW_REASON_OFFLINED, 0, 1);
	assert_int_equal(d.page, PAGE_A);
	expect_stats(p, 1, 0, 0, 1);
	assert_int_equal(sw_policy_next_deadline(p, &deadline), -ENOENT);
	assert_int_equal(sw_policy_notify_result(p, PAGE_A, true, T0 + 300 * MS, SW_CAN_ALL, &d),
			 -ENOENT);

	/* Consumed after the guest said it offlined it: the fallback, once not
	 * counted (it closes the incident), then counted.  The kernel's own
	 * rule still applies to the kernel. */
	d = decide(p, exit_at(PAGE_A), 1, SW_CAN_ALL, T0 + 1 * S);
	expect(&d, SW_ACT_RESTART, 0, SW_REASON_CONSUMED_AGAIN, 0, 1);
	expect_stats(p, 1, 0, 0, 1);
	d = decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0 + 2 * S);
	expect(&d, SW_ACT_INJECT | SW_ACT_FENCE, 0, SW_REASON_CONSUMED_AGAIN, 0, 1);
	expect_stats(p, 1, 0, 0, 2);
	sw_policy_free(p);
}

/* The deadline passes while the vCPU keeps exiting. */
static void test_notify_expired_on_exit(void **state)
{
	struct sw_policy *p = make(NULL);
	struct sw_policy_decision d;

	(void)state;
	d = decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_NOTIFY | SW_ACT_RETRY, 0, SW_REASON_USER_FAULT, 0, 1);
	d = decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0 + 2 * S - 1);
	expect(&d, SW_ACT_RETRY, 0, SW_REASON_NOTIFY_PENDING, 0, 1);
	d = decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0 + 2 * S);
	expect(&d, SW_ACT_INJECT | SW_ACT_FENCE, 0, SW_REASON_NOTIFY_EXPIRED, 0, 1);
	assert_int_equal(d.deadline_ns, 0);
	assert_int_equal(d.resume_at_ns, 0);
	expect_stats(p, 1, 0, 0, 1);
	assert_int_equal(sw_policy_notify_result(p, PAGE_A, true, T0 + 3 * S, SW_CAN_ALL, &d),
			 -ENOENT);
	d = decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0 + 4 * S);
	expect(&d, SW_ACT_INJECT | SW_ACT_FENCE, 0, SW_REASON_CONSUMED_AGAIN, 0, 1);
	expect_stats(p, 1, 0, 0, 2);
	sw_policy_free(p);
}

/* A timer finds the expired notification; the next exit gets the injection. */
static void test_expire_and_failure(void **state)
{
	struct sw_policy_config cfg;
	struct sw_policy *p;
	struct sw_policy_decision d;
	uint64_t deadline;

	(void)state;
	sw_policy_config_default(&cfg);
	cfg.containment = SW_ACT_REPLACE;
	p = make(&cfg);
	decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0);
	decide(p, exit_at(PAGE_B), 0, SW_CAN_ALL, T0 + 1 * S);
	decide(p, exit_at(PAGE_C), 0, SW_CAN_ALL, T0 + 1500 * MS);
	expect_stats(p, 3, 3, 0, 3);
	assert_int_equal(sw_policy_next_deadline(p, &deadline), 0);
	assert_int_equal(deadline, T0 + 2 * S);

	assert_int_equal(sw_policy_expire(p, T0 + 2 * S - 1, SW_CAN_ALL, &d), 0);
	assert_int_equal(sw_policy_expire(p, T0 + 2 * S, SW_CAN_ALL, &d), 1);
	/* No vCPU faults on it now: fence it, never replace it. */
	expect(&d, SW_ACT_FENCE, 0, SW_REASON_NOTIFY_EXPIRED, 0, 3);
	assert_int_equal(d.page, PAGE_A);
	assert_int_equal(sw_policy_expire(p, T0 + 2 * S, SW_CAN_ALL, &d), 0);
	assert_int_equal(sw_policy_next_deadline(p, &deadline), 0);
	assert_int_equal(deadline, T0 + 3 * S);
	expect_stats(p, 3, 2, 0, 3);

	/* The victim's next exit: inject and the configured containment. */
	d = decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0 + 2100 * MS);
	expect(&d, SW_ACT_INJECT | SW_ACT_REPLACE, 0, SW_REASON_NOTIFY_EXPIRED, 0, 3);
	expect_stats(p, 3, 2, 0, 3);

	/* The agent could not offline PAGE_B; it cannot fence either. */
	assert_int_equal(sw_policy_notify_result(p, PAGE_B, false, T0 + 2200 * MS,
						 SW_CAN_NOTIFY | SW_CAN_REPLACE, &d),
			 0);
	expect(&d, SW_ACT_LOG, SW_ACT_FENCE, SW_REASON_NOTIFY_FAILED, 0, 3);
	d = decide(p, exit_at(PAGE_B), 0, SW_CAN_ALL, T0 + 2300 * MS);
	expect(&d, SW_ACT_INJECT | SW_ACT_REPLACE, 0, SW_REASON_NOTIFY_FAILED, 0, 3);
	expect_stats(p, 3, 1, 0, 3);

	/* A restarting fallback applies at once, without a vCPU. */
	sw_policy_free(p);
	cfg.notify_fallback = SW_ACT_RESTART;
	p = make(&cfg);
	decide(p, exit_at(PAGE_C), 0, SW_CAN_ALL, T0);
	assert_int_equal(sw_policy_expire(p, T0 + 10 * S, SW_CAN_NOTIFY, &d), 1);
	expect(&d, SW_ACT_STOP, SW_ACT_RESTART, SW_REASON_NOTIFY_EXPIRED, 0, 1);
	assert_int_equal(sw_policy_notify_result(p, PAGE_A, true, T0, SW_CAN_ALL, &d), -ENOENT);
	assert_int_equal(sw_policy_next_deadline(p, &deadline), -ENOENT);
	sw_policy_free(p);
}

/* Inject and contain, and what a VMM that cannot do something gets. */
static void test_capabilities(void **state)
{
	static const struct {
		enum sw_action containment;
		unsigned int caps;
		uint32_t actions, unavailable;
	} cases[] = {
		{SW_ACT_FENCE, SW_CAN_ALL, SW_ACT_NOTIFY | SW_ACT_RETRY, 0},
		{SW_ACT_FENCE, SW_CAN_ALL & ~SW_CAN_NOTIFY, SW_ACT_INJECT | SW_ACT_FENCE,
		 SW_ACT_NOTIFY},
		{SW_ACT_FENCE, SW_CAN_REPLACE, SW_ACT_INJECT, SW_ACT_NOTIFY | SW_ACT_FENCE},
		{SW_ACT_REPLACE, SW_CAN_REPLACE, SW_ACT_INJECT | SW_ACT_REPLACE, SW_ACT_NOTIFY},
		{SW_ACT_REPLACE, SW_CAN_FENCE, SW_ACT_INJECT | SW_ACT_FENCE,
		 SW_ACT_NOTIFY | SW_ACT_REPLACE},
		{SW_ACT_REPLACE, 0, SW_ACT_INJECT, SW_ACT_NOTIFY | SW_ACT_REPLACE | SW_ACT_FENCE},
	};
	struct sw_policy_config cfg;
	struct sw_policy *p;
	struct sw_policy_decision d;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sw_policy_config_default(&cfg);
		cfg.containment = cases[i].containment;
		p = make(&cfg);
		d = decide(p, exit_at(PAGE_B), 0, cases[i].caps, T0);
		expect(&d, cases[i].actions, cases[i].unavailable, SW_REASON_USER_FAULT, 0, 1);
		sw_policy_free(p);
	}
	/* user_fault = inject skips notification even when it is possible. */
	sw_policy_config_default(&cfg);
	cfg.user_fault = SW_ACT_INJECT;
	p = make(&cfg);
	d = decide(p, exit_at(PAGE_B), 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_INJECT | SW_ACT_FENCE, 0, SW_REASON_USER_FAULT, 0, 1);
	expect_stats(p, 1, 0, 0, 1);
	/* A contained page consumed again: the same rule again. */
	d = decide(p, exit_at(PAGE_B), 0, SW_CAN_ALL, T0 + 1 * S);
	expect(&d, SW_ACT_INJECT | SW_ACT_FENCE, 0, SW_REASON_USER_FAULT, 0, 1);
	assert_false(d.new_page);
	expect_stats(p, 1, 0, 0, 2);
	sw_policy_free(p);
}

/* Faults the guest kernel took: EL1, EL2, unknown EL, table walks at EL0. */
static void test_kernel_faults(void **state)
{
	struct sw_policy_config cfg;
	struct sw_policy *p = make(NULL);
	struct sw_policy_decision d;
	struct sw_sea walk = exit_at(PAGE_C);

	(void)state;
	d = decide(p, exit_at(PAGE_A), 1, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_RESTART, 0, SW_REASON_KERNEL_FAULT, 0, 1);
	d = decide(p, exit_at(PAGE_B), 2, SW_CAN_ALL & ~SW_CAN_RESTART, T0);
	expect(&d, SW_ACT_STOP, SW_ACT_RESTART, SW_REASON_KERNEL_FAULT, 0, 2);
	d = decide(p, sea_of(SW_SOURCE_SIGBUS_AR, PAGE_A + 0x2000), SW_GUEST_EL_UNKNOWN, SW_CAN_ALL,
		   T0);
	expect(&d, SW_ACT_RESTART, 0, SW_REASON_KERNEL_FAULT, 0, 3);
	walk.fsc = 0x17;
	walk.fsc_class = SW_FSC_SEA_TTW;
	walk.level = 3;
	d = decide(p, walk, 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_RESTART, 0, SW_REASON_KERNEL_FAULT, 0, 4);
	walk.gpa = PAGE_C + 0x10000;
	walk.fsc = 0x1f;
	walk.fsc_class = SW_FSC_PARITY_TTW;
	d = decide(p, walk, 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_RESTART, 0, SW_REASON_KERNEL_FAULT, 0, 5);
	sw_policy_free(p);

	/* kernel_fault = notify: the kernel's page is told like a user's. */
	sw_policy_config_default(&cfg);
	cfg.kernel_fault = SW_ACT_NOTIFY;
	p = make(&cfg);
	d = decide(p, exit_at(PAGE_A), 1, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_NOTIFY | SW_ACT_RETRY, 0, SW_REASON_KERNEL_FAULT, 0, 1);
	sw_policy_free(p);
	cfg.kernel_fault = SW_ACT_INJECT;
	p = make(&cfg);
	d = decide(p, exit_at(PAGE_A), 1, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_INJECT | SW_ACT_FENCE, 0, SW_REASON_KERNEL_FAULT, 0, 1);
	sw_policy_free(p);
}

/* ESR.SET = UC wins over everything, a pending notification included. */
static void test_uncontainable(void **state)
{
	struct sw_policy *p = make(NULL);
	struct sw_policy_decision d;
	struct sw_sea uc = exit_at(PAGE_A);

	(void)state;
	uc.set = SW_SET_UC;
	d = decide(p, uc, 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_RESTART, 0, SW_REASON_UNCONTAINABLE, 0, 1);
	expect_stats(p, 1, 0, 0, 1);
	d = decide(p, exit_at(PAGE_B), 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_NOTIFY | SW_ACT_RETRY, 0, SW_REASON_USER_FAULT, 0, 2);
	uc.gpa = PAGE_B;
	d = decide(p, uc, 0, SW_CAN_ALL, T0 + 1 * MS);
	expect(&d, SW_ACT_RESTART, 0, SW_REASON_UNCONTAINABLE, 0, 2);
	expect_stats(p, 2, 0, 0, 2);
	uc.gpa_valid = false;
	d = decide(p, uc, 0, 0, T0);
	expect(&d, SW_ACT_STOP, SW_ACT_RESTART, SW_REASON_UNCONTAINABLE, 0, 2);
	sw_policy_free(p);
}

/* No guest page: nothing to tell, fence or replace. */
static void test_unknown_page(void **state)
{
	struct sw_policy_config cfg;
	struct sw_policy *p = make(NULL);
	struct sw_policy_decision d;
	struct sw_sea nogpa = exit_at(0);

	(void)state;
	nogpa.gpa_valid = false;
	d = decide(p, nogpa, 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_RESTART, 0, SW_REASON_UNKNOWN_PAGE, 0, 0);
	assert_false(d.page_valid);
	assert_false(d.new_page);
	expect_stats(p, 0, 0, 0, 1);
	sw_policy_free(p);
	sw_policy_config_default(&cfg);
	cfg.unknown_page = SW_ACT_INJECT;
	p = make(&cfg);
	d = decide(p, nogpa, 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_INJECT, 0, SW_REASON_UNKNOWN_PAGE, 0, 0);
	sw_policy_free(p);
}

/* SIGBUS BUS_MCEERR_AO: nothing consumed, nothing to inject or replace. */
static void test_unconsumed(void **state)
{
	struct sw_policy_config cfg;
	struct sw_policy *p = make(NULL);
	struct sw_policy_decision d;
	struct sw_sea ao = sea_of(SW_SOURCE_SIGBUS_AO, PAGE_A);

	(void)state;
	d = decide(p, ao, SW_GUEST_EL_UNKNOWN, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_NOTIFY, 0, SW_REASON_UNCONSUMED, 0, 1);
	assert_int_equal(d.deadline_ns, T0 + 2 * S);
	assert_int_equal(d.resume_at_ns, 0);
	expect_stats(p, 1, 1, 0, 1);
	/* Reported again, or consumed while the guest is told. */
	d = decide(p, ao, 0, SW_CAN_ALL, T0 + 1 * MS);
	expect(&d, SW_ACT_LOG, 0, SW_REASON_KNOWN_PAGE, 0, 1);
	d = decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0 + 2 * MS);
	expect(&d, SW_ACT_RETRY, 0, SW_REASON_NOTIFY_PENDING, 0, 1);
	assert_int_equal(sw_policy_expire(p, T0 + 3 * S, SW_CAN_ALL, &d), 1);
	expect(&d, SW_ACT_FENCE, 0, SW_REASON_NOTIFY_EXPIRED, 0, 1);
	expect_stats(p, 1, 0, 0, 1);

	ao.gpa = PAGE_B;
	d = decide(p, ao, 0, SW_CAN_FENCE, T0);
	expect(&d, SW_ACT_FENCE, SW_ACT_NOTIFY, SW_REASON_UNCONSUMED, 0, 2);
	ao.gpa = PAGE_C;
	d = decide(p, ao, 0, SW_CAN_REPLACE, T0);
	expect(&d, SW_ACT_LOG, SW_ACT_NOTIFY | SW_ACT_FENCE, SW_REASON_UNCONSUMED, 0, 3);
	ao.gpa_valid = false;
	d = decide(p, ao, 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_LOG, 0, SW_REASON_UNKNOWN_PAGE, 0, 3);
	expect_stats(p, 3, 0, 0, 3);
	sw_policy_free(p);

	sw_policy_config_default(&cfg);
	cfg.unconsumed = SW_ACT_LOG;
	p = make(&cfg);
	d = decide(p, sea_of(SW_SOURCE_SIGBUS_AO, PAGE_A), 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_LOG, 0, SW_REASON_UNCONSUMED, 0, 1);
	/* Logged, then consumed: the user-fault rule as for any known page. */
	d = decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_NOTIFY | SW_ACT_RETRY, 0, SW_REASON_USER_FAULT, 0, 1);
	sw_policy_free(p);
	cfg.unconsumed = SW_ACT_FENCE;
	p = make(&cfg);
	d = decide(p, sea_of(SW_SOURCE_SIGBUS_AO, PAGE_A), 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_FENCE, 0, SW_REASON_UNCONSUMED, 0, 1);
	sw_policy_free(p);
}

/* A load or store to a page fenced by a memslot hole, at @gpa. */
static struct sw_sea fenced_at(uint64_t gpa)
{
	struct sw_sea sea;

	assert_int_equal(sw_sea_from_fenced(&sea, gpa, false, NULL), 0);
	return sea;
}

/*
 * The e2e sea-elf run without CAP_SYS_ADMIN: the kernel consumed the page,
 * it was injected and fenced; the kernel loads it again.  Injected, not
 * fenced again, not a new page, counted.  Then every choice of the rules.
 */
static void test_fenced_el_rules(void **state)
{
	static const struct {
		enum sw_action kernel_fault, user_fault, containment, notify_fallback;
		int el;
		unsigned int caps;
		uint32_t actions, unavailable;
		enum sw_policy_reason reason;
	} cases[] = {
		/* The defaults: the kernel's page restarts the VM. */
		{SW_ACT_RESTART, SW_ACT_NOTIFY, SW_ACT_FENCE, SW_ACT_INJECT, 1, SW_CAN_ALL,
		 SW_ACT_RESTART, 0, SW_REASON_KERNEL_FAULT},
		{SW_ACT_RESTART, SW_ACT_NOTIFY, SW_ACT_FENCE, SW_ACT_INJECT, SW_GUEST_EL_UNKNOWN,
		 SW_CAN_ALL & ~SW_CAN_RESTART, SW_ACT_STOP, SW_ACT_RESTART, SW_REASON_KERNEL_FAULT},
		/* notify cannot apply: notify_fallback instead, said in unavailable. */
		{SW_ACT_RESTART, SW_ACT_NOTIFY, SW_ACT_FENCE, SW_ACT_INJECT, 0, SW_CAN_ALL,
		 SW_ACT_INJECT, SW_ACT_NOTIFY, SW_REASON_USER_FAULT},
		{SW_ACT_NOTIFY, SW_ACT_NOTIFY, SW_ACT_REPLACE, SW_ACT_INJECT, 2, SW_CAN_ALL,
		 SW_ACT_INJECT | SW_ACT_REPLACE, SW_ACT_NOTIFY, SW_REASON_KERNEL_FAULT},
		{SW_ACT_RESTART, SW_ACT_NOTIFY, SW_ACT_FENCE, SW_ACT_RESTART, 0, SW_CAN_ALL,
		 SW_ACT_RESTART, SW_ACT_NOTIFY, SW_REASON_USER_FAULT},
		{SW_ACT_RESTART, SW_ACT_NOTIFY, SW_ACT_FENCE, SW_ACT_RESTART, 0, SW_CAN_NOTIFY,
		 SW_ACT_STOP, SW_ACT_NOTIFY | SW_ACT_RESTART, SW_REASON_USER_FAULT},
		{SW_ACT_RESTART, SW_ACT_NOTIFY, SW_ACT_FENCE, SW_ACT_STOP, 0, SW_CAN_ALL,
		 SW_ACT_STOP, SW_ACT_NOTIFY, SW_REASON_USER_FAULT},
		/* inject: the containment, but never a second fence. */
		{SW_ACT_INJECT, SW_ACT_INJECT, SW_ACT_FENCE, SW_ACT_INJECT, 1, SW_CAN_ALL,
		 SW_ACT_INJECT, 0, SW_REASON_KERNEL_FAULT},
		{SW_ACT_INJECT, SW_ACT_INJECT, SW_ACT_FENCE, SW_ACT_INJECT, 0, 0, SW_ACT_INJECT, 0,
		 SW_REASON_USER_FAULT},
		{SW_ACT_INJECT, SW_ACT_INJECT, SW_ACT_REPLACE, SW_ACT_INJECT, 0, SW_CAN_ALL,
		 SW_ACT_INJECT | SW_ACT_REPLACE, 0, SW_REASON_USER_FAULT},
		{SW_ACT_INJECT, SW_ACT_INJECT, SW_ACT_REPLACE, SW_ACT_INJECT, 1, SW_CAN_FENCE,
		 SW_ACT_INJECT, SW_ACT_REPLACE, SW_REASON_KERNEL_FAULT},
		/* restart and stop as the rule says. */
		{SW_ACT_STOP, SW_ACT_RESTART, SW_ACT_FENCE, SW_ACT_INJECT, 1, SW_CAN_ALL,
		 SW_ACT_STOP, 0, SW_REASON_KERNEL_FAULT},
		{SW_ACT_STOP, SW_ACT_RESTART, SW_ACT_FENCE, SW_ACT_INJECT, 0, SW_CAN_ALL,
		 SW_ACT_RESTART, 0, SW_REASON_USER_FAULT},
	};
	struct sw_policy_config cfg;
	struct sw_policy *p;
	struct sw_policy_decision d;

	(void)state;
	sw_policy_config_default(&cfg);
	cfg.kernel_fault = SW_ACT_INJECT;
	p = make(&cfg);
	d = decide(p, exit_at(PAGE_A + 0x48), 1, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_INJECT | SW_ACT_FENCE, 0, SW_REASON_KERNEL_FAULT, 0, 1);
	d = decide(p, fenced_at(PAGE_A + 0x48), 1, SW_CAN_ALL, T0 + 1 * MS);
	expect(&d, SW_ACT_INJECT, 0, SW_REASON_KERNEL_FAULT, 0, 1);
	assert_true(d.page_valid);
	assert_int_equal(d.page, PAGE_A);
	assert_false(d.new_page);
	assert_int_equal(d.deadline_ns, 0);
	assert_int_equal(d.resume_at_ns, 0);
	expect_stats(p, 1, 0, 0, 2);
	sw_policy_free(p);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sw_policy_config_default(&cfg);
		cfg.kernel_fault = cases[i].kernel_fault;
		cfg.user_fault = cases[i].user_fault;
		cfg.containment = cases[i].containment;
		cfg.notify_fallback = cases[i].notify_fallback;
		p = make(&cfg);
		/* Known bad from an earlier SIGBUS AO that the policy fenced. */
		decide(p, sea_of(SW_SOURCE_SIGBUS_AO, PAGE_B), SW_GUEST_EL_UNKNOWN, SW_CAN_FENCE,
		       T0);
		expect_stats(p, 1, 0, 0, 1);
		d = decide(p, fenced_at(PAGE_B + 0xff8), cases[i].el, cases[i].caps, T0 + 1 * S);
		expect(&d, cases[i].actions, cases[i].unavailable, cases[i].reason, 0, 1);
		assert_false(d.new_page);
		expect_stats(p, 1, 0, 0, 2);
		sw_policy_free(p);
	}
}

/*
 * A fenced page inside a notification cycle: the cycle's reason and the
 * fallback, never a retry (the access cannot complete, so waiting for the
 * agent would only repeat the exit); the first one ends the incident.
 */
static void test_fenced_after_notify(void **state)
{
	struct sw_policy *p = make(NULL);
	struct sw_policy_decision d;

	(void)state;
	/* The guest offlined PAGE_A; the VMM fenced it (docs/vmm.md, Notify). */
	decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0);
	assert_int_equal(sw_policy_notify_result(p, PAGE_A, true, T0 + 200 * MS, SW_CAN_ALL, &d),
			 0);
	expect_stats(p, 1, 0, 0, 1);
	d = decide(p, fenced_at(PAGE_A), 0, SW_CAN_ALL, T0 + 1 * S);
	expect(&d, SW_ACT_INJECT, 0, SW_REASON_CONSUMED_AGAIN, 0, 1);
	expect_stats(p, 1, 0, 0, 1);
	d = decide(p, fenced_at(PAGE_A), 0, SW_CAN_ALL, T0 + 2 * S);
	expect(&d, SW_ACT_INJECT, 0, SW_REASON_CONSUMED_AGAIN, 0, 1);
	expect_stats(p, 1, 0, 0, 2);

	/* The agent failed on PAGE_B: fenced as the fallback for an idle page. */
	decide(p, exit_at(PAGE_B), 0, SW_CAN_ALL, T0);
	assert_int_equal(sw_policy_notify_result(p, PAGE_B, false, T0 + 1 * S, SW_CAN_ALL, &d), 0);
	expect(&d, SW_ACT_FENCE, 0, SW_REASON_NOTIFY_FAILED, 0, 2);
	d = decide(p, fenced_at(PAGE_B), 1, SW_CAN_ALL, T0 + 2 * S);
	expect(&d, SW_ACT_RESTART, 0, SW_REASON_NOTIFY_FAILED, 0, 2);
	expect_stats(p, 2, 0, 0, 3);

	/* A page the VMM fenced on its own while notifying: no retry. */
	decide(p, exit_at(PAGE_C), 0, SW_CAN_ALL, T0 + 3 * S);
	expect_stats(p, 3, 1, 0, 4);
	d = decide(p, fenced_at(PAGE_C), 0, SW_CAN_ALL, T0 + 3 * S + 1 * MS);
	expect(&d, SW_ACT_INJECT, 0, SW_REASON_CONSUMED_AGAIN, 0, 3);
	expect_stats(p, 3, 0, 0, 4);
	sw_policy_free(p);

	/* ... and past its deadline: notify_expired, as for an exit. */
	p = make(NULL);
	decide(p, exit_at(PAGE_C), 0, SW_CAN_ALL, T0);
	d = decide(p, fenced_at(PAGE_C), 0, SW_CAN_ALL, T0 + 2 * S);
	expect(&d, SW_ACT_INJECT, 0, SW_REASON_NOTIFY_EXPIRED, 0, 1);
	expect_stats(p, 1, 0, 0, 1);
	sw_policy_free(p);
}

/*
 * Never a new distinct page, so never past max_pages; the rate as usual.
 * A page the policy forgot (the VM restarted) is still decided by the EL
 * rules, without being counted; no page at all is the unknown_page rule.
 */
static void test_fenced_thresholds(void **state)
{
	struct sw_policy_config cfg;
	struct sw_policy *p;
	struct sw_policy_decision d;
	struct sw_sea nogpa = fenced_at(PAGE_A);

	(void)state;
	sw_policy_config_default(&cfg);
	cfg.user_fault = SW_ACT_INJECT;
	cfg.max_pages = 1;
	cfg.rate_events = 3;
	cfg.rate_window_ns = 10 * S;
	p = make(&cfg);
	d = decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_INJECT | SW_ACT_FENCE, 0, SW_REASON_USER_FAULT, 0, 1);
	d = decide(p, fenced_at(PAGE_B), 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_INJECT, 0, SW_REASON_USER_FAULT, 0, 1);
	assert_true(d.page_valid);
	assert_int_equal(d.page, PAGE_B);
	assert_false(d.new_page);
	d = decide(p, fenced_at(PAGE_A), 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_INJECT, 0, SW_REASON_USER_FAULT, 0, 1);
	d = decide(p, fenced_at(PAGE_A), 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_INJECT | SW_ACT_STOP, 0, SW_REASON_USER_FAULT, SW_ESC_RATE, 1);
	expect_stats(p, 1, 0, 0, 4);
	sw_policy_restarted(p);
	d = decide(p, fenced_at(PAGE_A), 1, SW_CAN_ALL, T0 + 10 * S);
	expect(&d, SW_ACT_RESTART, 0, SW_REASON_KERNEL_FAULT, 0, 0);
	expect_stats(p, 0, 0, 1, 5);
	nogpa.gpa_valid = false;
	d = decide(p, nogpa, 0, SW_CAN_ALL, T0 + 20 * S);
	expect(&d, SW_ACT_RESTART, 0, SW_REASON_UNKNOWN_PAGE, 0, 0);
	assert_false(d.page_valid);
	sw_policy_free(p);
}

/* The distinct-page threshold: contain this one, then restart. */
static void test_max_pages(void **state)
{
	struct sw_policy_config cfg;
	struct sw_policy *p;
	struct sw_policy_decision d;

	(void)state;
	sw_policy_config_default(&cfg);
	cfg.max_pages = 2;
	p = make(&cfg);
	d = decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_NOTIFY | SW_ACT_RETRY, 0, SW_REASON_USER_FAULT, 0, 1);
	d = decide(p, sea_of(SW_SOURCE_SIGBUS_AO, PAGE_B), 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_NOTIFY, 0, SW_REASON_UNCONSUMED, 0, 2);
	d = decide(p, exit_at(PAGE_C), 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_INJECT | SW_ACT_FENCE | SW_ACT_RESTART, 0, SW_REASON_USER_FAULT,
	       SW_ESC_MAX_PAGES, 3);
	assert_int_equal(d.deadline_ns, 0);
	assert_int_equal(d.resume_at_ns, 0);
	expect_stats(p, 3, 2, 0, 3);
	/* A known page does not escalate again. */
	d = decide(p, exit_at(PAGE_C), 0, SW_CAN_ALL, T0 + 1 * S);
	expect(&d, SW_ACT_NOTIFY | SW_ACT_RETRY, 0, SW_REASON_USER_FAULT, 0, 3);
	/* The VMM restarted the VM: its pages have fresh memory. */
	sw_policy_restarted(p);
	expect_stats(p, 0, 0, 1, 4);
	d = decide(p, exit_at(PAGE_C), 0, SW_CAN_ALL, T0 + 3 * S);
	expect(&d, SW_ACT_NOTIFY | SW_ACT_RETRY, 0, SW_REASON_USER_FAULT, 0, 1);
	assert_true(d.new_page);
	sw_policy_free(p);

	/* An unconsumed page past the threshold is fenced, then the VM stops. */
	cfg.on_max_pages = SW_ACT_STOP;
	cfg.max_pages = 1;
	p = make(&cfg);
	decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0);
	d = decide(p, sea_of(SW_SOURCE_SIGBUS_AO, PAGE_B), 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_FENCE | SW_ACT_STOP, 0, SW_REASON_UNCONSUMED, SW_ESC_MAX_PAGES, 2);
	expect_stats(p, 2, 1, 0, 2);
	sw_policy_free(p);
}

/* The rate: the event past the bucket restarts or stops the VM. */
static void test_rate(void **state)
{
	struct sw_policy_config cfg;
	struct sw_policy *p;
	struct sw_policy_decision d;

	(void)state;
	sw_policy_config_default(&cfg);
	cfg.user_fault = SW_ACT_INJECT;
	cfg.rate_events = 2;
	cfg.rate_window_ns = 10 * S;
	p = make(&cfg);
	d = decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_INJECT | SW_ACT_FENCE, 0, SW_REASON_USER_FAULT, 0, 1);
	d = decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0 + 1 * S);
	expect(&d, SW_ACT_INJECT | SW_ACT_FENCE, 0, SW_REASON_USER_FAULT, 0, 1);
	d = decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0 + 2 * S);
	expect(&d, SW_ACT_INJECT | SW_ACT_FENCE | SW_ACT_STOP, 0, SW_REASON_USER_FAULT, SW_ESC_RATE,
	       1);
	/* 5 s drained one event: room again. */
	d = decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0 + 5 * S);
	expect(&d, SW_ACT_INJECT | SW_ACT_FENCE, 0, SW_REASON_USER_FAULT, 0, 1);
	expect_stats(p, 1, 0, 0, 4);
	sw_policy_free(p);

	/* Restart, or stop when the VMM cannot restart; both limits at once. */
	cfg.on_rate = SW_ACT_RESTART;
	cfg.rate_events = 1;
	cfg.max_pages = 1;
	p = make(&cfg);
	decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0);
	d = decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_INJECT | SW_ACT_FENCE | SW_ACT_RESTART, 0, SW_REASON_USER_FAULT,
	       SW_ESC_RATE, 1);
	d = decide(p, exit_at(PAGE_B), 0, SW_CAN_FENCE, T0);
	expect(&d, SW_ACT_INJECT | SW_ACT_FENCE | SW_ACT_STOP, SW_ACT_RESTART, SW_REASON_USER_FAULT,
	       SW_ESC_RATE | SW_ESC_MAX_PAGES, 2);
	sw_policy_free(p);

	/* A kernel fault already restarting gets STOP, not both. */
	cfg.on_rate = SW_ACT_STOP;
	p = make(&cfg);
	decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0);
	d = decide(p, exit_at(PAGE_A), 1, SW_CAN_ALL, T0);
	expect(&d, SW_ACT_STOP, 0, SW_REASON_KERNEL_FAULT, SW_ESC_RATE, 1);
	sw_policy_free(p);
}

/* Retries during a notification never trip the rate. */
static void test_retries_do_not_count(void **state)
{
	struct sw_policy_config cfg;
	struct sw_policy *p;
	struct sw_policy_decision d;

	(void)state;
	sw_policy_config_default(&cfg);
	cfg.rate_events = 1;
	p = make(&cfg);
	decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0);
	for (uint64_t t = 1; t < 1000; t++) {
		d = decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0 + t * MS);
		expect(&d, SW_ACT_RETRY, 0, SW_REASON_NOTIFY_PENDING, 0, 1);
	}
	d = decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0 + 3 * S);
	expect(&d, SW_ACT_INJECT | SW_ACT_FENCE, 0, SW_REASON_NOTIFY_EXPIRED, 0, 1);
	expect_stats(p, 1, 0, 0, 1);
	sw_policy_free(p);
}

static void test_page_granule(void **state)
{
	struct sw_policy_config cfg;
	struct sw_policy *p;
	struct sw_policy_decision d;

	(void)state;
	sw_policy_config_default(&cfg);
	assert_int_equal(sw_policy_new(&cfg, 65536, &p), 0);
	d = decide(p, exit_at(0x80012345), 0, SW_CAN_ALL, T0);
	assert_int_equal(d.page, 0x80010000);
	assert_int_equal(d.page_size, 65536);
	d = decide(p, exit_at(0x8001f000), 0, SW_CAN_ALL, T0 + 1 * MS);
	expect(&d, SW_ACT_RETRY, 0, SW_REASON_NOTIFY_PENDING, 0, 1);
	sw_policy_free(p);
	assert_int_equal(sw_policy_new(&cfg, 16384, &p), 0);
	d = decide(p, exit_at(0x80012345), 0, SW_CAN_ALL, T0);
	assert_int_equal(d.page, 0x80010000);
	sw_policy_free(p);
}

static void test_invalid(void **state)
{
	struct sw_policy_config cfg;
	struct sw_policy *p = make(NULL), *q = NULL;
	struct sw_policy_decision d, before;
	struct sw_sea sea = exit_at(PAGE_A);
	struct sw_policy_event ev = {.sea = &sea, .guest_el = 0, .caps = SW_CAN_ALL};
	struct sw_policy_record rec = {.source = SW_SOURCE_KVM_EXIT};
	uint64_t deadline;

	(void)state;
	memset(&d, 0x3c, sizeof(d));
	before = d;
	ev.sea = NULL;
	assert_int_equal(sw_policy_decide(p, &ev, &d), -EINVAL);
	ev.sea = &sea;
	sea.source = SW_SOURCE_ESR;
	assert_int_equal(sw_policy_decide(p, &ev, &d), -EINVAL);
	sea.source = (enum sw_sea_source)0;
	assert_int_equal(sw_policy_decide(p, &ev, &d), -EINVAL);
	sea.source = (enum sw_sea_source)6;
	assert_int_equal(sw_policy_decide(p, &ev, &d), -EINVAL);
	sea.source = SW_SOURCE_KVM_EXIT;
	ev.guest_el = 3;
	assert_int_equal(sw_policy_decide(p, &ev, &d), -EINVAL);
	ev.guest_el = -2;
	assert_int_equal(sw_policy_decide(p, &ev, &d), -EINVAL);
	ev.guest_el = 0;
	ev.caps = 1u << 4;
	assert_int_equal(sw_policy_decide(p, &ev, &d), -EINVAL);
	assert_int_equal(sw_policy_decide(NULL, &ev, &d), -EINVAL);
	assert_int_equal(sw_policy_decide(p, NULL, &d), -EINVAL);
	assert_memory_equal(&d, &before, sizeof(d));
	expect_stats(p, 0, 0, 0, 0);

	assert_int_equal(sw_policy_notify_result(p, PAGE_A, true, T0, 1u << 9, &d), -EINVAL);
	assert_int_equal(sw_policy_expire(p, T0, 1u << 9, &d), -EINVAL);
	assert_int_equal(sw_policy_next_deadline(p, NULL), -EINVAL);
	assert_int_equal(sw_policy_next_deadline(p, &deadline), -ENOENT);
	rec.actions = 1u << 8;
	assert_int_equal(sw_policy_replay(p, &rec), -EINVAL);
	rec.actions = SW_ACT_INJECT;
	rec.source = SW_SOURCE_ESR;
	assert_int_equal(sw_policy_replay(p, &rec), -EINVAL);
	rec.source = SW_SOURCE_KVM_EXIT;
	rec.guest_el = 7;
	assert_int_equal(sw_policy_replay(p, &rec), -EINVAL);
	expect_stats(p, 0, 0, 0, 0);
	sw_policy_free(p);

	sw_policy_config_default(&cfg);
	assert_int_equal(sw_policy_new(&cfg, 8192, &q), -EINVAL);
	assert_int_equal(sw_policy_new(&cfg, 0, &q), -EINVAL);
	cfg.max_pages = 0;
	assert_int_equal(sw_policy_new(&cfg, 4096, &q), -EINVAL);
	assert_null(q);
	assert_int_equal(sw_policy_new(NULL, 4096, &q), -EINVAL);
	sw_policy_free(NULL);
}

/* Past the table's capacity pages are still counted (some twice), and
 * every one of them escalates. */
static void test_table_full(void **state)
{
	struct sw_policy_config cfg;
	struct sw_policy *p;
	struct sw_policy_decision d;

	(void)state;
	sw_policy_config_default(&cfg);
	cfg.max_pages = 1; /* 64 slots, 48 entries */
	cfg.rate_events = 1000;
	cfg.user_fault = SW_ACT_INJECT;
	cfg.on_max_pages = SW_ACT_STOP;
	p = make(&cfg);
	for (unsigned int i = 0; i < 50; i++)
		d = decide(p, exit_at(0x40000000ull + i * 4096ull), 0, SW_CAN_ALL, T0 + i * S);
	expect(&d, SW_ACT_INJECT | SW_ACT_FENCE | SW_ACT_STOP, 0, SW_REASON_USER_FAULT,
	       SW_ESC_MAX_PAGES, 50);
	d = decide(p, exit_at(0x40000000ull), 0, SW_CAN_ALL, T0 + 60 * S);
	expect(&d, SW_ACT_INJECT | SW_ACT_FENCE, 0, SW_REASON_USER_FAULT, 0, 50);
	d = decide(p, exit_at(0x40000000ull + 49 * 4096ull), 0, SW_CAN_ALL, T0 + 61 * S);
	expect(&d, SW_ACT_INJECT | SW_ACT_FENCE | SW_ACT_STOP, 0, SW_REASON_USER_FAULT,
	       SW_ESC_MAX_PAGES, 51);
	sw_policy_free(p);
}

/* Field by field: the padding of two decisions may differ. */
/*
 * Replay: a live run records what each decide() did, as a journal would;
 * a new policy replays the records and must have the same state, and then
 * decide every further event exactly as the live one.
 */
static void test_replay_rebuilds_state(void **state)
{
	struct sw_policy_config cfg;
	struct sw_policy *live, *replayed;
	struct sw_policy_record recs[400];
	struct sw_policy_decision d;
	uint64_t seed = GENERATED_SEED, now = T0;
	size_t n = 0;

	(void)state;
	generated_config(&cfg);
	live = make(&cfg);
	replayed = make(&cfg);
	for (size_t i = 0; i < 400; i++) {
		struct generated g = generated_event(&seed, &now);

		d = decide(live, g.sea, g.el, g.caps, now);
		recs[n++] = (struct sw_policy_record){
			.time_ns = now,
			.source = g.sea.source,
			.gpa_valid = g.sea.gpa_valid,
			.gpa = g.sea.gpa,
			.guest_el = g.el,
			.actions = d.actions,
		};
		if (d.actions & SW_ACT_RESTART)
			sw_policy_restarted(live);
	}
	for (size_t i = 0; i < n; i++)
		assert_int_equal(sw_policy_replay(replayed, &recs[i]), 0);
	expect_same_stats(live, replayed);
	/* The generated run, pinned: it exercises restarts and notifications,
	 * and a change to the generator or the rules shows here first. */
	expect_stats(live, 5, 1, 19, 314);
	decide_alike(live, replayed, &seed, now);
	sw_policy_free(live);
	sw_policy_free(replayed);
}

/* A journaled fenced access counts as an incident, never as a new page. */
static void test_replay_fenced(void **state)
{
	struct sw_policy *p = make(NULL);
	struct sw_policy_record rec = {
		.time_ns = T0,
		.source = SW_SOURCE_FENCED,
		.gpa_valid = true,
		.gpa = PAGE_A + 0x48,
		.guest_el = 1,
		.actions = SW_ACT_INJECT,
	};

	(void)state;
	assert_int_equal(sw_policy_replay(p, &rec), 0);
	expect_stats(p, 0, 0, 0, 1);
	rec.source = SW_SOURCE_KVM_EXIT;
	rec.actions = SW_ACT_INJECT | SW_ACT_FENCE;
	assert_int_equal(sw_policy_replay(p, &rec), 0);
	rec.source = SW_SOURCE_FENCED;
	rec.actions = SW_ACT_INJECT;
	assert_int_equal(sw_policy_replay(p, &rec), 0);
	expect_stats(p, 1, 0, 0, 3);
	rec.source = (enum sw_sea_source)6;
	assert_int_equal(sw_policy_replay(p, &rec), -EINVAL);
	sw_policy_free(p);
}

/* A journaled notification is pending again, timed from its record. */
static void test_replay_notify(void **state)
{
	struct sw_policy *p = make(NULL);
	struct sw_policy_record rec = {
		.time_ns = T0,
		.source = SW_SOURCE_KVM_EXIT,
		.gpa_valid = true,
		.gpa = PAGE_A + 8,
		.guest_el = 0,
		.actions = SW_ACT_NOTIFY | SW_ACT_RETRY,
	};
	struct sw_policy_decision d;
	uint64_t deadline;

	(void)state;
	assert_int_equal(sw_policy_replay(p, &rec), 0);
	rec.time_ns = T0 + 1 * MS;
	rec.actions = SW_ACT_RETRY;
	assert_int_equal(sw_policy_replay(p, &rec), 0);
	expect_stats(p, 1, 1, 0, 1);
	assert_int_equal(sw_policy_next_deadline(p, &deadline), 0);
	assert_int_equal(deadline, T0 + 2 * S);
	d = decide(p, exit_at(PAGE_A), 0, SW_CAN_ALL, T0 + 1 * S);
	expect(&d, SW_ACT_RETRY, 0, SW_REASON_NOTIFY_PENDING, 0, 1);
	/* A restart record forgets the pages. */
	rec.gpa = PAGE_B;
	rec.actions = SW_ACT_INJECT | SW_ACT_FENCE | SW_ACT_RESTART;
	assert_int_equal(sw_policy_replay(p, &rec), 0);
	expect_stats(p, 0, 0, 1, 2);
	sw_policy_free(p);
}

struct worker {
	struct sw_policy *p;
	unsigned int first;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;

	for (unsigned int i = 0; i < 200; i++) {
		struct sw_sea sea = exit_at(0x100000000ull + (w->first + i % 100) * 4096ull);
		struct sw_policy_event ev = {&sea, 0, SW_CAN_ALL, T0 + i};
		struct sw_policy_decision d;

		if (sw_policy_decide(w->p, &ev, &d))
			return (void *)1;
	}
	return NULL;
}

/* Four vCPU threads, 100 pages each, every page twice: 400 distinct. */
static void test_threads(void **state)
{
	struct sw_policy_config cfg;
	struct worker w[4];
	pthread_t t[4];
	void *ret;

	(void)state;
	sw_policy_config_default(&cfg);
	cfg.max_pages = 1000;
	cfg.rate_events = 1000;
	for (int i = 0; i < 4; i++) {
		w[i].p = i ? w[0].p : make(&cfg);
		w[i].first = (unsigned int)i * 100;
	}
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker_run, &w[i]), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], &ret), 0);
		assert_null(ret);
	}
	expect_stats(w[0].p, 400, 400, 0, 400);
	sw_policy_free(w[0].p);
}

static void test_names(void **state)
{
	static const char *const actions[] = {"log",   "notify",  "retry",   "inject",
					      "fence", "replace", "restart", "stop"};
	static const char *const reasons[] = {
		"user_fault",	"kernel_fault",	  "uncontainable",  "unconsumed",
		"unknown_page", "notify_pending", "notify_expired", "notify_failed",
		"offlined",	"consumed_again", "known_page",
	};

	(void)state;
	for (unsigned int i = 0; i < 8; i++)
		assert_string_equal(sw_action_name(1u << i), actions[i]);
	assert_string_equal(sw_action_name(0), "unknown");
	assert_string_equal(sw_action_name(SW_ACT_INJECT | SW_ACT_FENCE), "unknown");
	assert_string_equal(sw_action_name(1u << 8), "unknown");
	for (unsigned int i = 0; i < 11; i++)
		assert_string_equal(sw_policy_reason_name((enum sw_policy_reason)(i + 1)),
				    reasons[i]);
	assert_string_equal(sw_policy_reason_name((enum sw_policy_reason)0), "unknown");
	assert_string_equal(sw_policy_reason_name((enum sw_policy_reason)12), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notify_retry_offlined),
		cmocka_unit_test(test_notify_expired_on_exit),
		cmocka_unit_test(test_expire_and_failure),
		cmocka_unit_test(test_capabilities),
		cmocka_unit_test(test_kernel_faults),
		cmocka_unit_test(test_uncontainable),
		cmocka_unit_test(test_unknown_page),
		cmocka_unit_test(test_unconsumed),
		cmocka_unit_test(test_fenced_el_rules),
		cmocka_unit_test(test_fenced_after_notify),
		cmocka_unit_test(test_fenced_thresholds),
		cmocka_unit_test(test_max_pages),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_retries_do_not_count),
		cmocka_unit_test(test_page_granule),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_table_full),
		cmocka_unit_test(test_replay_rebuilds_state),
		cmocka_unit_test(test_replay_fenced),
		cmocka_unit_test(test_replay_notify),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
