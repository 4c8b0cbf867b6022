// SPDX-License-Identifier: MIT
/* One injected external abort on the patched kernel (see kernel_events.h). */
#include "kernel_events.h"
#include "poison.h"
#include "test.h"

void kabt_run_to_exit(struct rig_guest *g, const struct sea_case *c, struct sea_ready *ready,
		      bool need_cap)
{
	require_injector();
	sea_start(g, c, true, ready);
	if (need_cap)
		KABT_REQUIRE_CAP(g->vm);
	poison_page(guest_ptr(g, ready->victim));
	sea_run_to_exit(g, ready);
}

void kabt_inject_case(const void *arg)
{
	const struct kabt_case *t = arg;
	struct sw_kvm_vcpu_events events = {0};
	struct sea_ready ready;
	struct sea_result res;
	struct rig_guest g;

	kabt_run_to_exit(&g, &t->c, &ready, true);
	TEST_ASSERT_EQ(g.vcpu->run->arm_sea.esr, t->exit_esr);
	TEST_ASSERT_EQ(g.vcpu->run->arm_sea.gva, ready.target);

	if (t->iabt)
		events.exception.ext_iabt_pending = 1;
	else
		events.exception.ext_dabt_pending = 1;
	if (t->has_esr) {
		events.exception.ext_abt_has_esr = 1;
		events.exception.ext_abt_esr = t->iss ? t->iss : t->exit_esr & A64_ESR_ISS_MASK;
	}
	TEST_ASSERT_EQ(__kabt_events_set(g.vcpu, &events), 0);
	sea_expect_result(&g, &res);
	TEST_ASSERT_EQ(res.taken, 1);
	sea_assert_record(&res.rec, &(struct sw_exc_record){
					    .kind = SW_EXC_SYNC,
					    .vector = t->vector,
					    .esr = t->esr,
					    .far = ready.target,
					    .elr = ready.pc,
					    .spsr = sea_fault_pstate(&t->c),
					    .pstate = KABT_HANDLER_PSTATE,
				    });
	unpoison_page(guest_ptr(&g, ready.victim));
	guest_expect_done(&g);
	guest_free(&g);
}
