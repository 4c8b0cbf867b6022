// SPDX-License-Identifier: MIT
/*
 * The poison injector from inside a guest that owns the machine (plain
 * TCG): its registers at SW_GUEST_INJECTOR (docs/rig.md has the map).
 */
#include "guest.h"

#define INJ_ADDR_LO 0x10
#define INJ_ADDR_HI 0x14
#define INJ_CMD	    0x18
#define INJ_STATUS  0x1c

static void inj_write(uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(SW_GUEST_INJECTOR + reg) = v;
}

uint32_t sw_injector_command(uint32_t cmd, uint64_t pa)
{
	inj_write(INJ_ADDR_LO, (uint32_t)pa);
	inj_write(INJ_ADDR_HI, (uint32_t)(pa >> 32));
	inj_write(INJ_CMD, cmd);
	return *(volatile uint32_t *)(SW_GUEST_INJECTOR + INJ_STATUS);
}
