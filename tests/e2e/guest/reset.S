/* SPDX-License-Identifier: MIT */
/*
 * e2e-reset.elf: a bare-metal guest for seawall-vmm --guest.  It counts
 * its boots in a RAM word that the ELF loader never writes (guest RAM
 * survives a reset, as on hardware), prints "SW-ELF: boot N" on the
 * 16550 console, resets the VM with PSCI SYSTEM_RESET on the first boot
 * and powers it off with PSCI SYSTEM_OFF on the second.
 */
#define UART_BASE     0x09000000
#define UART_LSR      5
#define LSR_THRE      0x20
#define BOOT_COUNTER  0x80100000
#define PSCI_SYS_OFF  0x84000008
#define PSCI_SYS_RST  0x84000009

	.text
	.globl _start
_start:
	ldr	x19, =UART_BASE
	ldr	x20, =BOOT_COUNTER
	ldr	w21, [x20]
	add	w21, w21, #1
	str	w21, [x20]

	adr	x22, banner
1:	ldrb	w0, [x22], #1
	cbz	w0, 2f
	bl	putc
	b	1b
2:	add	w0, w21, #'0'
	bl	putc
	mov	w0, #'\n'
	bl	putc

	cmp	w21, #1
	ldr	x0, =PSCI_SYS_RST
	ldr	x1, =PSCI_SYS_OFF
	csel	x0, x0, x1, eq
	hvc	#0
	b	.

/* putc(w0): wait for the transmitter, then send. */
putc:
	ldrb	w9, [x19, #UART_LSR]
	tbz	w9, #5, putc
	strb	w0, [x19]
	ret

banner:
	.asciz	"SW-ELF: boot "
