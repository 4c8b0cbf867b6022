/* SPDX-License-Identifier: MIT */
/*
 * A 16550A-compatible UART (one instance per struct uart), as Linux's 8250
 * driver expects it from a "ns16550a" device tree node: byte registers at
 * consecutive offsets (reg-shift 0), a 16-byte receive FIFO, and a level
 * interrupt for received data, transmitter empty and overrun.
 *
 * The UART knows nothing about where its bytes go or which interrupt it
 * drives: the owner passes callbacks, so the console and, later, the guest
 * agent's channel are two instances of the same code.
 */
#ifndef SEAWALL_VMM_UART_H
#define SEAWALL_VMM_UART_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmio.h"

#define UART_MMIO_SIZE 0x1000
#define UART_FIFO_SIZE 16
#define UART_CLOCK_HZ  1843200

struct uart_ops {
	/* A byte the guest transmitted. */
	void (*tx)(void *ctx, uint8_t byte);
	/* The interrupt line changed level. */
	void (*set_irq)(void *ctx, bool level);
	void *ctx;
};

struct uart {
	pthread_mutex_t lock;
	pthread_cond_t room; /* the receive FIFO has room again */
	struct uart_ops ops;

	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	bool overrun;	  /* LSR.OE, cleared by reading LSR */
	bool thr_pending; /* the THRE interrupt is pending */
	bool irq_level;	  /* what set_irq was last told */
	uint8_t rx[UART_FIFO_SIZE];
	unsigned int rx_head, rx_count;
	unsigned int generation; /* bumped by reset, to release blocked senders */
};

int uart__init(struct uart *u, const struct uart_ops *ops);
void uart__destroy(struct uart *u);

/* Back to the power-on state (the guest rebooted); queued input is dropped. */
void uart__reset(struct uart *u);

/* The MMIO handler: register it with the UART as @ptr over UART_MMIO_SIZE. */
void uart__mmio(struct vcpu *vcpu, uint64_t offset, uint8_t *data, uint32_t len, bool is_write,
		void *ptr);

/*
 * uart__receive - hand the guest @len input bytes, waiting while its FIFO
 * is full (so input is never lost, as with hardware flow control).
 * Returns the number of bytes delivered: fewer than @len only if the UART
 * was reset meanwhile.
 */
size_t uart__receive(struct uart *u, const uint8_t *buf, size_t len);

#endif
