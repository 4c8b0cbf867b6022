// SPDX-License-Identifier: MIT
/*
 * Power off through PSCI SYSTEM_OFF (Arm DEN 0022, function 0x84000008).
 * On QEMU's virt board without EL2 or EL3 the conduit is HVC and QEMU
 * implements PSCI itself.
 */
#include "guest.h"

#define PSCI_SYSTEM_OFF 0x84000008UL

void sw_power_off(void)
{
	register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;

	__asm__ volatile("hvc #0" : "+r"(x0)::"memory");
	for (;;)
		__asm__ volatile("wfi");
}
