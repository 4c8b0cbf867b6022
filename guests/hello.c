// SPDX-License-Identifier: MIT
/*
 * hello: exercise the ucall doorbell itself -- two prints (the second
 * names the ID registers that gate PSTATE fields), a sync with five
 * arguments, and then, as args[0] says, done (0) or a failed assertion
 * (1) whose line the guest announces first in a sync.
 */
#include "guest.h"
#include "sysreg.h"

#define HELLO_STAGE_ARGS      1
#define HELLO_STAGE_FAIL_LINE 2

void guest_main(void)
{
	sw_printf("hello from EL%lu, ucall mode %lu", (read_sysreg(SYS_CURRENTEL) >> 2) & 3,
		  sw_params.ucall_mode);
	sw_printf("ID_AA64PFR0_EL1 0x%lx PFR1 0x%lx MMFR1 0x%lx MMFR2 0x%lx, PSTATE fields 0x%x",
		  read_sysreg(SYS_ID_AA64PFR0_EL1), read_sysreg(SYS_ID_AA64PFR1_EL1),
		  read_sysreg(SYS_ID_AA64MMFR1_EL1), read_sysreg(SYS_ID_AA64MMFR2_EL1),
		  sw_pstate_features);
	GUEST_SYNC(HELLO_STAGE_ARGS, 0x11, 0x2222, 0x333333, 0x44444444, 0x5555555555UL);
	if (sw_params.args[0] == 1) {
		GUEST_SYNC(HELLO_STAGE_FAIL_LINE, __LINE__ + 1);
		GUEST_ASSERT_EQ(sw_params.args[0], 2);
	}
}
