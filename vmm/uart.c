/* SPDX-License-Identifier: MIT */
/*
 * Register behaviour follows the TI/National PC16550D data sheet; the
 * parts Linux's 8250 driver depends on are called out where they matter.
 */
#include <errno.h>
#include <string.h>

#include "uart.h"

enum {
	REG_RBR_THR_DLL = 0,
	REG_IER_DLM = 1,
	REG_IIR_FCR = 2,
	REG_LCR = 3,
	REG_MCR = 4,
	REG_LSR = 5,
	REG_MSR = 6,
	REG_SCR = 7,
};

#define IER_RDI	 0x01 /* received data available */
#define IER_THRI 0x02 /* transmitter holding register empty */
#define IER_RLSI 0x04 /* receiver line status */
#define IER_MASK 0x0f

#define IIR_NO_INT 0x01
#define IIR_MSI	   0x00
#define IIR_THRI   0x02
#define IIR_RDI	   0x04
#define IIR_RLSI   0x06
#define IIR_FIFOS  0xc0 /* both FIFO-enabled bits: identifies a 16550A */

#define FCR_ENABLE   0x01
#define FCR_CLEAR_RX 0x02
#define FCR_KEEP     0xc9 /* enable, DMA mode, trigger level */

#define LCR_DLAB 0x80

#define MCR_DTR	 0x01
#define MCR_RTS	 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define MCR_MASK 0x1f

#define LSR_DR	 0x01
#define LSR_OE	 0x02
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

#define MSR_CTS 0x10
#define MSR_DSR 0x20
#define MSR_RI	0x40
#define MSR_DCD 0x80

static unsigned int rx_capacity(const struct uart *u)
{
	/* Without FCR.ENABLE the 16550 behaves as a 16450: one holding byte. */
	return (u->fcr & FCR_ENABLE) ? UART_FIFO_SIZE : 1;
}

/* The highest-priority pending interrupt, as IIR reports it. */
static uint8_t uart_iir(const struct uart *u)
{
	if ((u->ier & IER_RLSI) && u->overrun)
		return IIR_RLSI;
	if ((u->ier & IER_RDI) && u->rx_count)
		return IIR_RDI;
	if ((u->ier & IER_THRI) && u->thr_pending)
		return IIR_THRI;
	/* Modem status never changes here, so MSI is never pending. */
	return IIR_NO_INT;
}

static void update_irq(struct uart *u)
{
	bool level = !(uart_iir(u) & IIR_NO_INT);

	if (level != u->irq_level) {
		u->irq_level = level;
		u->ops.set_irq(u->ops.ctx, level);
	}
}

static void rx_push(struct uart *u, uint8_t byte)
{
	if (u->rx_count >= rx_capacity(u)) {
		u->overrun = true;
		return;
	}
	u->rx[(u->rx_head + u->rx_count) % UART_FIFO_SIZE] = byte;
	u->rx_count++;
}

static uint8_t rx_pop(struct uart *u)
{
	uint8_t byte;

	if (!u->rx_count)
		return 0;
	byte = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % UART_FIFO_SIZE;
	u->rx_count--;
	pthread_cond_broadcast(&u->room);
	return byte;
}

static void rx_clear(struct uart *u)
{
	u->rx_head = u->rx_count = 0;
	pthread_cond_broadcast(&u->room);
}

static uint8_t uart_msr(const struct uart *u)
{
	uint8_t msr = 0;

	if (!(u->mcr & MCR_LOOP))
		return MSR_DCD | MSR_DSR | MSR_CTS;
	/* Loopback wires the modem outputs to the inputs (data sheet, MCR bit 4). */
	if (u->mcr & MCR_RTS)
		msr |= MSR_CTS;
	if (u->mcr & MCR_DTR)
		msr |= MSR_DSR;
	if (u->mcr & MCR_OUT1)
		msr |= MSR_RI;
	if (u->mcr & MCR_OUT2)
		msr |= MSR_DCD;
	return msr;
}

static uint8_t uart_read(struct uart *u, unsigned int reg)
{
	uint8_t v;

	switch (reg) {
	case REG_RBR_THR_DLL:
		return (u->lcr & LCR_DLAB) ? u->dll : rx_pop(u);
	case REG_IER_DLM:
		return (u->lcr & LCR_DLAB) ? u->dlm : u->ier;
	case REG_IIR_FCR:
		v = uart_iir(u);
		/* Reading IIR while it reports THRE clears that interrupt. */
		if (v == IIR_THRI)
			u->thr_pending = false;
		return v | ((u->fcr & FCR_ENABLE) ? IIR_FIFOS : 0);
	case REG_LCR:
		return u->lcr;
	case REG_MCR:
		return u->mcr;
	case REG_LSR:
		/* Bytes leave at once: the transmitter is always empty. */
		v = LSR_THRE | LSR_TEMT | (u->rx_count ? LSR_DR : 0) | (u->overrun ? LSR_OE : 0);
		u->overrun = false;
		return v;
	case REG_MSR:
		return uart_msr(u);
	case REG_SCR:
		return u->scr;
	default:
		return 0;
	}
}

static void uart_write(struct uart *u, unsigned int reg, uint8_t v)
{
	switch (reg) {
	case REG_RBR_THR_DLL:
		if (u->lcr & LCR_DLAB) {
			u->dll = v;
			break;
		}
		if (u->mcr & MCR_LOOP)
			rx_push(u, v);
		else
			u->ops.tx(u->ops.ctx, v);
		/* Sent at once, so the holding register is empty again. */
		u->thr_pending = true;
		break;
	case REG_IER_DLM:
		if (u->lcr & LCR_DLAB) {
			u->dlm = v;
			break;
		}
		/*
		 * Enabling THRI while the holding register is empty raises
		 * the interrupt at once; Linux's 8250 startup checks exactly
		 * this (its UART_BUG_THRE probe).
		 */
		if ((v & IER_THRI) && !(u->ier & IER_THRI))
			u->thr_pending = true;
		u->ier = v & IER_MASK;
		break;
	case REG_IIR_FCR:
		if ((v ^ u->fcr) & FCR_ENABLE)
			rx_clear(u); /* toggling the FIFO mode resets it */
		if (v & FCR_CLEAR_RX)
			rx_clear(u);
		u->fcr = v & FCR_KEEP;
		break;
	case REG_LCR:
		u->lcr = v;
		break;
	case REG_MCR:
		u->mcr = v & MCR_MASK;
		break;
	case REG_SCR:
		u->scr = v;
		break;
	default:
		break; /* LSR and MSR writes are factory-test only */
	}
}

void uart__mmio(struct vcpu *vcpu, uint64_t offset, uint8_t *data, uint32_t len, bool is_write,
		void *ptr)
{
	struct uart *u = ptr;

	(void)vcpu;
	/* Registers are bytes; a wider access reaches the byte at its address. */
	pthread_mutex_lock(&u->lock);
	if (is_write) {
		uart_write(u, offset, data[0]);
	} else {
		memset(data, 0, len);
		data[0] = uart_read(u, offset);
	}
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
}

size_t uart__receive(struct uart *u, const uint8_t *buf, size_t len)
{
	unsigned int generation;
	size_t done = 0;

	pthread_mutex_lock(&u->lock);
	generation = u->generation;
	while (done < len) {
		while (u->rx_count >= rx_capacity(u) && u->generation == generation)
			pthread_cond_wait(&u->room, &u->lock);
		if (u->generation != generation)
			break;
		rx_push(u, buf[done++]);
		update_irq(u);
	}
	pthread_mutex_unlock(&u->lock);
	return done;
}

static void uart_power_on(struct uart *u)
{
	u->ier = u->lcr = u->mcr = u->scr = u->dll = u->dlm = u->fcr = 0;
	u->overrun = false;
	u->thr_pending = false;
	rx_clear(u);
}

void uart__reset(struct uart *u)
{
	pthread_mutex_lock(&u->lock);
	uart_power_on(u);
	u->generation++;
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
}

int uart__init(struct uart *u, const struct uart_ops *ops)
{
	memset(u, 0, sizeof(*u));
	u->ops = *ops;
	if (pthread_mutex_init(&u->lock, NULL))
		return -ENOMEM;
	if (pthread_cond_init(&u->room, NULL)) {
		pthread_mutex_destroy(&u->lock);
		return -ENOMEM;
	}
	return 0;
}

void uart__destroy(struct uart *u)
{
	pthread_cond_destroy(&u->room);
	pthread_mutex_destroy(&u->lock);
}
