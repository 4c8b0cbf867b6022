/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "arm64/gic.h"
#include "log.h"
#include "serial.h"
#include "vm.h"

static void serial_tx(void *ctx, uint8_t byte)
{
	struct serial *s = ctx;

	/* A console that went away must not stop the guest. */
	while (write(s->out_fd, &byte, 1) < 0 && errno == EINTR)
		;
}

static void serial_set_irq(void *ctx, bool level)
{
	struct serial *s = ctx;
	int ret = gic__irq_line(s->vm, s->spi, level);

	if (ret)
		vmm__log("serial at 0x%llx: cannot set SPI %u: %s", (unsigned long long)s->base,
			 s->spi, strerror(-ret));
}

static void *serial_input(void *arg)
{
	struct serial *s = arg;
	uint8_t buf[64];
	ssize_t n;

	for (;;) {
		n = read(s->in_fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* end of input: the guest simply gets no more */
		uart__receive(&s->uart, buf, n);
	}
	return NULL;
}

static void tty_raw(struct serial *s)
{
	struct termios raw;

	if (!isatty(s->in_fd) || tcgetattr(s->in_fd, &s->saved_tty))
		return;
	raw = s->saved_tty;
	/* Keep ISIG: ^C stops the VMM rather than the guest's foreground job. */
	raw.c_lflag &= ~(ICANON | ECHO | ECHONL | IEXTEN);
	raw.c_iflag &= ~(ICRNL | INLCR | IGNCR | IXON);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (!tcsetattr(s->in_fd, TCSANOW, &raw))
		s->tty_saved = true;
}

int serial__init(struct serial *s, struct vm *vm, uint64_t base, unsigned int spi, int in_fd,
		 int out_fd)
{
	const struct uart_ops ops = {.tx = serial_tx, .set_irq = serial_set_irq, .ctx = s};
	int ret;

	s->vm = vm;
	s->base = base;
	s->spi = spi;
	s->in_fd = in_fd;
	s->out_fd = out_fd;
	s->input_running = false;
	s->tty_saved = false;
	ret = uart__init(&s->uart, &ops);
	if (ret)
		return ret;
	ret = mmio__register(&vm->mmio, base, UART_MMIO_SIZE, uart__mmio, &s->uart);
	if (ret)
		goto err_uart;
	if (in_fd >= 0) {
		tty_raw(s);
		ret = -pthread_create(&s->input, NULL, serial_input, s);
		if (ret)
			goto err_tty;
		pthread_detach(s->input);
		s->input_running = true;
	}
	return 0;

err_tty:
	serial__exit(s);
err_uart:
	uart__destroy(&s->uart);
	return ret;
}

void serial__reset(struct serial *s)
{
	uart__reset(&s->uart);
}

void serial__exit(struct serial *s)
{
	if (s->tty_saved) {
		tcsetattr(s->in_fd, TCSANOW, &s->saved_tty);
		s->tty_saved = false;
	}
}
