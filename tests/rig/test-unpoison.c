// SPDX-License-Identifier: MIT
/*
 * sw-test-unpoison: after a real KVM_EXIT_ARM_SEA, unpoisoning the page and
 * re-entering the vCPU without injecting anything retries the access,
 * which now completes with the page's original contents: the load returns
 * the pattern the guest wrote, the store lands, the fetched function runs.
 * This is what a VMM relies on when it replaces or repairs a page instead
 * of killing the consumer.
 */
#include "poison.h"
#include "sea.h"
#include "test.h"

static void test_unpoison(const void *arg)
{
	const struct sea_case *c = arg;
	struct sea_ready ready;
	struct sea_result res;
	struct rig_guest g;

	require_injector();
	sea_start(&g, c, true, &ready);
	poison_page(guest_ptr(&g, ready.victim));
	sea_run_to_exit(&g, &ready);
	unpoison_page(guest_ptr(&g, ready.victim));

	sea_expect_result(&g, &res);
	TEST_ASSERT_EQ(res.taken, 0);
	switch (c->access) {
	case SW_ACCESS_LOAD:
		TEST_ASSERT_EQ(res.value, SW_GUEST_PATTERN(SW_GUEST_DATA_OFFSET));
		break;
	case SW_ACCESS_STORE:
		TEST_ASSERT_EQ(res.readback, SW_GUEST_STORE_VALUE);
		break;
	case SW_ACCESS_FETCH:
		TEST_ASSERT_EQ(res.value, SW_GUEST_CODE_RESULT);
		break;
	}
	guest_expect_done(&g);
	guest_free(&g);
}

#define EL1 SW_CTX_EL1H, .sctlr = SCTLR_SPAN
#define EL0 SW_CTX_EL0, .sctlr = SCTLR_SPAN

static const struct sea_case load_off = {SW_ACCESS_LOAD, EL1};
static const struct sea_case store_off = {SW_ACCESS_STORE, EL1};
static const struct sea_case fetch_off = {SW_ACCESS_FETCH, EL1};
static const struct sea_case load_on = {SW_ACCESS_LOAD, EL1, .mmu = 1};
static const struct sea_case store_el0 = {SW_ACCESS_STORE, EL0, .mmu = 1};
static const struct sea_case fetch_el0 = {SW_ACCESS_FETCH, EL0, .mmu = 1};

static const struct rig_case cases[] = {
	{"unpoison: the load returns the original 0x5357000000000048 (MMU off)", test_unpoison,
	 &load_off},
	{"unpoison: the store lands (MMU off)", test_unpoison, &store_off},
	{"unpoison: the fetched function runs and returns 0x5357c0de (MMU off)", test_unpoison,
	 &fetch_off},
	{"unpoison: the load returns the original data through the alias (MMU on)", test_unpoison,
	 &load_on},
	{"unpoison: an EL0 store lands (MMU on)", test_unpoison, &store_el0},
	{"unpoison: an EL0 fetch runs the function (MMU on)", test_unpoison, &fetch_el0},
};

int main(void)
{
	return rig_test_main(cases, sizeof(cases) / sizeof(cases[0]));
}
