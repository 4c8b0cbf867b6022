// SPDX-License-Identifier: MIT
/*
 * hello: exercise the ucall doorbell itself -- a print, a sync with five
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
	GUEST_SYNC(HELLO_STAGE_ARGS, 0x11, 0x2222, 0x333333, 0x44444444, 0x5555555555UL);
	if (sw_params.args[0] == 1) {
		GUEST_SYNC(HELLO_STAGE_FAIL_LINE, __LINE__ + 1);
		GUEST_ASSERT_EQ(sw_params.args[0], 2);
	}
}
