/* SPDX-License-Identifier: MIT */
/*
 * e2e-sea-*.elf: a bare-metal guest for seawall-vmm --guest --test-poison.
 * For each of COUNT pages from PAGE_BASE it writes the page, has the VMM
 * poison it (test-poison REQUEST, command 1), loads from it and takes the
 * SEA the VMM injects in its EL1h handler, which skips the load.  Each
 * round also times one plain MMIO read of the test-poison page.  Lines:
 *
 *   SW-ELF: sea N esr 0x... far 0x... sea_ticks T mmio_ticks M
 *   SW-ELF: done N SEAs
 *
 * Ticks are CNTVCT_EL0's, from just before the access to the handler's
 * entry (SEA) or to the load's completion (MMIO).  Built with REACCESS,
 * it loads from each page a second time, once the VMM contained it, and
 * reports whether that faulted too.
 */
#include <stdint.h>

#define UART	 0x09000000UL
#define UART_LSR 5
#define TESTDEV	 0x09010000UL
#define OFFSET	 0x48
#define PAGE	 4096UL

static volatile uint64_t handler_ticks, handler_esr, handler_far;
static volatile unsigned int taken;

void main(void);
uint64_t sync_handler(uint64_t esr, uint64_t far, uint64_t elr);
void unexpected_exception(uint64_t esr, uint64_t elr);

static inline uint64_t ticks(void)
{
	uint64_t t;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(t));
	return t;
}

static void putc_(char c)
{
	while (!(*(volatile uint8_t *)(UART + UART_LSR) & 0x20))
		;
	*(volatile uint8_t *)UART = c;
}

static void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

static void putn(uint64_t v, unsigned int base)
{
	char buf[24];
	int i = 0;

	if (base == 16)
		puts_("0x");
	do {
		buf[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (i)
		putc_(buf[--i]);
}

uint64_t sync_handler(uint64_t esr, uint64_t far, uint64_t elr)
{
	handler_ticks = ticks();
	handler_esr = esr;
	handler_far = far;
	taken++;
	return elr + 4; /* past the load */
}

void unexpected_exception(uint64_t esr, uint64_t elr)
{
	puts_("SW-ELF: unexpected exception esr ");
	putn(esr, 16);
	puts_(" elr ");
	putn(elr, 16);
	puts_("\n");
}

void main(void)
{
	volatile uint64_t *request = (volatile uint64_t *)(TESTDEV + 0x08);
	volatile uint32_t *status = (volatile uint32_t *)(TESTDEV + 0x10);
	volatile uint32_t *magic = (volatile uint32_t *)TESTDEV;

	for (unsigned int i = 0; i < COUNT; i++) {
		uint64_t page = PAGE_BASE + i * PAGE, t0, sea, mmio;
		unsigned int before = taken;

		/* Resident first: the VMM finds the host page through pagemap. */
		*(volatile uint64_t *)(page + OFFSET) = i;
		*request = page | 1;
		if (*status) {
			puts_("SW-ELF: poison request failed, status ");
			putn(*status, 10);
			puts_("\n");
			return;
		}
		t0 = ticks();
		(void)*(volatile uint64_t *)(page + OFFSET);
		sea = handler_ticks - t0;
		t0 = ticks();
		(void)*magic;
		mmio = ticks() - t0;
		if (taken != before + 1) {
			puts_("SW-ELF: the load did not fault\n");
			return;
		}
#ifdef REACCESS
		/* The page is contained now: the VMM must give the SEA again. */
		(void)*(volatile uint64_t *)(page + OFFSET);
		puts_(taken == before + 2 ? "SW-ELF: reaccess faulted again, esr "
					  : "SW-ELF: reaccess did not fault, esr ");
		putn(handler_esr, 16);
		puts_(" far ");
		putn(handler_far, 16);
		puts_("\n");
#endif
		puts_("SW-ELF: sea ");
		putn(i + 1, 10);
		puts_(" esr ");
		putn(handler_esr, 16);
		puts_(" far ");
		putn(handler_far, 16);
		puts_(" sea_ticks ");
		putn(sea, 10);
		puts_(" mmio_ticks ");
		putn(mmio, 10);
		puts_("\n");
	}
	puts_("SW-ELF: done ");
	putn(taken, 10);
	puts_(" SEAs\n");
}
