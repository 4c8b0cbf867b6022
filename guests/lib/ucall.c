// SPDX-License-Identifier: MIT
/*
 * ucall: how a guest talks to whoever runs it, as in the kernel's KVM
 * selftests.  Under KVM (sw_params.ucall_mode == SW_UCALL_MODE_MMIO) the
 * guest fills one struct sw_ucall and stores its address to the unbacked
 * IPA SW_GUEST_UCALL_MMIO: one KVM_EXIT_MMIO, after which the host reads
 * the struct from guest memory.  Under plain TCG it prints one line on the
 * PL011 instead:
 *
 *   UCALL SYNC <stage> <arg1> ... <arg5>   (hex)
 *   UCALL PRINT <text>
 *   UCALL FAIL <file>:<line>: <text>
 *   UCALL DONE
 */
#include "guest.h"

static struct sw_ucall uc;

/* PL011 data register: QEMU's model needs no setup to transmit. */
static void uart_puts(const char *s)
{
	volatile uint32_t *dr = (volatile uint32_t *)SW_GUEST_PL011;

	for (; *s; s++)
		*dr = (uint32_t)(unsigned char)*s;
}

static void uart_ucall(const struct sw_ucall *u)
{
	char line[sizeof(u->text) + sizeof(u->file) + 64];
	int n = 0;

	switch (u->cmd) {
	case SW_UCALL_SYNC:
		n = sw_snprintf(line, sizeof(line), "UCALL SYNC 0x%lx", u->args[0]);
		for (int i = 1; i < 6; i++)
			n += sw_snprintf(line + n, sizeof(line) - (size_t)n, " 0x%lx", u->args[i]);
		break;
	case SW_UCALL_PRINT:
		sw_snprintf(line, sizeof(line), "UCALL PRINT %s", u->text);
		break;
	case SW_UCALL_FAIL:
		sw_snprintf(line, sizeof(line), "UCALL FAIL %s:%lu: %s", u->file, u->line, u->text);
		break;
	case SW_UCALL_DONE:
		sw_snprintf(line, sizeof(line), "UCALL DONE");
		break;
	default:
		sw_snprintf(line, sizeof(line), "UCALL ? %lu", u->cmd);
		break;
	}
	uart_puts(line);
	uart_puts("\n");
}

void sw_ucall(uint64_t cmd, int nargs, const uint64_t *args)
{
	uc.cmd = cmd;
	for (int i = 0; i < 6; i++)
		uc.args[i] = i < nargs ? args[i] : 0;
	if (sw_params.ucall_mode != SW_UCALL_MODE_MMIO) {
		uart_ucall(&uc);
		return;
	}
	/*
	 * A plain 64-bit STR, so the abort KVM sees has a valid instruction
	 * syndrome (ESR_EL2.ISV) and KVM can hand the store to userspace.
	 */
	__asm__ volatile("str %0, [%1]" ::"r"((uint64_t)&uc), "r"(SW_GUEST_UCALL_MMIO) : "memory");
}

void sw_sync(uint64_t stage, int nargs, const uint64_t *args)
{
	uint64_t a[6] = {stage};

	for (int i = 0; i < nargs && i < 5; i++)
		a[i + 1] = args[i];
	sw_ucall(SW_UCALL_SYNC, nargs < 5 ? nargs + 1 : 6, a);
}

void sw_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sw_vsnprintf(uc.text, sizeof(uc.text), fmt, ap);
	va_end(ap);
	sw_ucall(SW_UCALL_PRINT, 0, NULL);
}

static __attribute__((noreturn)) void halt(void)
{
	if (sw_params.ucall_mode != SW_UCALL_MODE_MMIO)
		sw_power_off();
	for (;;)
		__asm__ volatile("wfi");
}

void sw_done(void)
{
	sw_ucall(SW_UCALL_DONE, 0, NULL);
	halt();
}

void sw_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	size_t i;

	for (i = 0; file[i] && i < sizeof(uc.file) - 1; i++)
		uc.file[i] = file[i];
	uc.file[i] = '\0';
	uc.line = (uint64_t)line;
	va_start(ap, fmt);
	sw_vsnprintf(uc.text, sizeof(uc.text), fmt, ap);
	va_end(ap);
	sw_ucall(SW_UCALL_FAIL, 0, NULL);
	halt();
}
