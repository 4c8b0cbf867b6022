/* SPDX-License-Identifier: MIT */
/*
 * seawall-vmm's 16550A (vmm/uart.c), driven through its MMIO handler as
 * Linux's 8250 driver drives it: exact register values, interrupt levels
 * and transmitted bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../vmm/uart.h"

enum {
	RBR = 0,
	THR = 0,
	DLL = 0,
	IER = 1,
	DLM = 1,
	IIR = 2,
	FCR = 2,
	LCR = 3,
	MCR = 4,
	LSR = 5,
	MSR = 6,
	SCR = 7
};

struct wire {
	uint8_t tx[64];
	unsigned int tx_len;
	bool irq;
	unsigned int irq_changes;
};

static void on_tx(void *ctx, uint8_t byte)
{
	struct wire *w = ctx;

	w->tx[w->tx_len++] = byte;
}

static void on_irq(void *ctx, bool level)
{
	struct wire *w = ctx;

	w->irq = level;
	w->irq_changes++;
}

struct fixture {
	struct uart u;
	struct wire w;
};

static int setup(void **state)
{
	static struct fixture f;
	const struct uart_ops ops = {.tx = on_tx, .set_irq = on_irq, .ctx = &f.w};

	memset(&f.w, 0, sizeof(f.w));
	assert_int_equal(uart__init(&f.u, &ops), 0);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	uart__destroy(&f->u);
	return 0;
}

static uint8_t rd(struct fixture *f, unsigned int reg)
{
	uint8_t data[4] = {0xaa, 0xaa, 0xaa, 0xaa};

	uart__mmio(NULL, reg, data, 1, false, &f->u);
	return data[0];
}

static void wr(struct fixture *f, unsigned int reg, uint8_t v)
{
	uint8_t data[1] = {v};

	uart__mmio(NULL, reg, data, 1, true, &f->u);
}

static void test_power_on(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(rd(f, LSR), 0x60); /* THRE | TEMT */
	assert_int_equal(rd(f, IIR), 0x01); /* no interrupt, FIFOs off */
	assert_int_equal(rd(f, MSR), 0xb0); /* DCD | DSR | CTS */
	assert_int_equal(rd(f, IER), 0x00);
	assert_int_equal(rd(f, LCR), 0x00);
	assert_int_equal(rd(f, MCR), 0x00);
	assert_int_equal(rd(f, 8), 0x00); /* past the registers: zero */
	assert_false(f->w.irq);
	assert_int_equal(f->w.irq_changes, 0);
}

static void test_transmit_and_thre(void **state)
{
	struct fixture *f = *state;

	wr(f, THR, 'h');
	wr(f, THR, 'i');
	assert_int_equal(f->w.tx_len, 2);
	assert_memory_equal(f->w.tx, "hi", 2);
	assert_false(f->w.irq); /* THRI not enabled */

	/* Enabling THRI with the holder empty interrupts at once (UART_BUG_THRE probe). */
	wr(f, IER, 0x02);
	assert_true(f->w.irq);
	assert_int_equal(rd(f, IIR), 0x02);
	/* Reading IIR while it says THRE clears it. */
	assert_false(f->w.irq);
	assert_int_equal(rd(f, IIR), 0x01);
	/* Each byte sent empties the holder again. */
	wr(f, THR, '!');
	assert_true(f->w.irq);
	assert_int_equal(f->w.tx[2], '!');
	/* Disabling THRI drops the line. */
	wr(f, IER, 0x00);
	assert_false(f->w.irq);
	assert_int_equal(rd(f, IER), 0x00);
}

static void test_receive_fifo(void **state)
{
	struct fixture *f = *state;
	uint8_t many[UART_FIFO_SIZE];

	wr(f, FCR, 0x01); /* FIFOs on: IIR reports 0xc0 */
	assert_int_equal(rd(f, IIR), 0xc1);
	wr(f, IER, 0x01); /* received data */
	assert_int_equal(uart__receive(&f->u, (const uint8_t *)"ok", 2), 2);
	assert_true(f->w.irq);
	assert_int_equal(rd(f, IIR), 0xc4);
	assert_int_equal(rd(f, LSR), 0x61);
	assert_int_equal(rd(f, RBR), 'o');
	assert_true(f->w.irq);
	assert_int_equal(rd(f, RBR), 'k');
	assert_false(f->w.irq);
	assert_int_equal(rd(f, LSR), 0x60);
	assert_int_equal(rd(f, RBR), 0x00); /* empty FIFO reads zero */

	/* A full FIFO is exactly 16 bytes; FCR bit 1 empties it. */
	memset(many, 'x', sizeof(many));
	assert_int_equal(uart__receive(&f->u, many, sizeof(many)), UART_FIFO_SIZE);
	wr(f, FCR, 0x03);
	assert_int_equal(rd(f, LSR), 0x60);
	assert_false(f->w.irq);
}

static void test_priority_and_overrun(void **state)
{
	struct fixture *f = *state;

	/* Loopback with FIFOs off holds one byte; a second one overruns. */
	wr(f, MCR, 0x10);
	wr(f, IER, 0x07);
	assert_int_equal(rd(f, IIR), 0x02); /* only THRE pending so far */
	wr(f, THR, 'a');
	wr(f, THR, 'b');
	assert_int_equal(f->w.tx_len, 0);   /* loopback sends nothing out */
	assert_int_equal(rd(f, IIR), 0x06); /* line status first */
	assert_int_equal(rd(f, LSR), 0x63); /* OE | DR | THRE | TEMT, OE now cleared */
	assert_int_equal(rd(f, IIR), 0x04); /* then received data */
	assert_int_equal(rd(f, RBR), 'a');
	assert_int_equal(rd(f, IIR), 0x02); /* then THRE */
	assert_int_equal(rd(f, IIR), 0x01);
	assert_false(f->w.irq);
}

static void test_loopback_msr_dlab_scratch(void **state)
{
	struct fixture *f = *state;

	wr(f, MCR, 0x10 | 0x01 | 0x02);	    /* LOOP | DTR | RTS */
	assert_int_equal(rd(f, MSR), 0x30); /* DSR | CTS */
	wr(f, MCR, 0x10 | 0x04 | 0x08);	    /* LOOP | OUT1 | OUT2 */
	assert_int_equal(rd(f, MSR), 0xc0); /* DCD | RI */
	wr(f, MCR, 0x00);

	wr(f, LCR, 0x83); /* DLAB, 8 bits */
	wr(f, DLL, 0x0c);
	wr(f, DLM, 0x01);
	assert_int_equal(rd(f, DLL), 0x0c);
	assert_int_equal(rd(f, DLM), 0x01);
	assert_int_equal(f->w.tx_len, 0); /* divisor writes send nothing */
	wr(f, LCR, 0x03);
	assert_int_equal(rd(f, LCR), 0x03);
	assert_int_equal(rd(f, IER), 0x00); /* IER untouched by the DLM write */

	wr(f, SCR, 0x5a);
	assert_int_equal(rd(f, SCR), 0x5a);
}

static void test_reset(void **state)
{
	struct fixture *f = *state;

	wr(f, FCR, 0x01);
	wr(f, IER, 0x01);
	wr(f, LCR, 0x03);
	assert_int_equal(uart__receive(&f->u, (const uint8_t *)"z", 1), 1);
	assert_true(f->w.irq);
	uart__reset(&f->u);
	assert_false(f->w.irq);
	assert_int_equal(rd(f, LSR), 0x60);
	assert_int_equal(rd(f, IER), 0x00);
	assert_int_equal(rd(f, LCR), 0x00);
	assert_int_equal(rd(f, IIR), 0x01);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_power_on, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transmit_and_thre, setup, teardown),
		cmocka_unit_test_setup_teardown(test_receive_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_priority_and_overrun, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loopback_msr_dlab_scratch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
