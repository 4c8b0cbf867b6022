/* SPDX-License-Identifier: MIT */
/*
 * A 16550 on the board, wired to a pair of file descriptors: its MMIO
 * window, its GIC SPI, a thread that feeds the UART what the input fd
 * delivers, and the output fd for what the guest transmits.  The console
 * is the serial port on stdin/stdout; the device tree names every port.
 */
#ifndef SEAWALL_VMM_SERIAL_H
#define SEAWALL_VMM_SERIAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <termios.h>

#include "uart.h"

struct vm;

struct serial {
	struct uart uart;
	struct vm *vm;
	uint64_t base;	  /* guest physical address of the registers */
	unsigned int spi; /* SPI number (INTID - 32) */
	int in_fd, out_fd;
	pthread_t input;
	bool input_running;
	bool tty_saved; /* in_fd is a terminal put in raw mode */
	struct termios saved_tty;
};

/*
 * serial__init - create the port and register its MMIO range on @vm.
 * @in_fd: input for the guest, or -1 for none; read by a thread started
 *         here.  If it is a terminal it is put in raw mode (no echo, no
 *         line editing; ^C still reaches seawall-vmm) until serial__exit.
 * Returns 0 or a negative errno.
 */
int serial__init(struct serial *s, struct vm *vm, uint64_t base, unsigned int spi, int in_fd,
		 int out_fd);

/* The guest reset: drop queued input, back to power-on state. */
void serial__reset(struct serial *s);

/* Restore the terminal.  The input thread may stay blocked in read(). */
void serial__exit(struct serial *s);

#endif
