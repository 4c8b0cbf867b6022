/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "arm64/gic.h"
#include "hostpage.h"
#include "log.h"
#include "vm.h"

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Queue one line for the guest: lines are shorter than PIPE_BUF, so atomic. */
static int queue_line(struct agent *a, const char *line, size_t len)
{
	ssize_t n;

	do
		n = write(a->to_guest[1], line, len);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)len ? 0 : -EIO;
}

static void session_send(const char *line, size_t len, void *arg)
{
	struct agent *a = arg;

	if (queue_line(a, line, len))
		vmm__log("agent: cannot queue a line for the guest");
}

/* The guest transmitted a byte (vCPU thread, UART lock held): hand it on. */
static void agent_tx(void *ctx, uint8_t byte)
{
	struct agent *a = ctx;
	ssize_t n;

	do
		n = write(a->from_guest[1], &byte, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		__atomic_add_fetch(&a->dropped_bytes, 1, __ATOMIC_RELAXED);
}

static void agent_set_irq(void *ctx, bool level)
{
	struct agent *a = ctx;
	int ret = gic__irq_line(a->vm, a->spi, level);

	if (ret)
		vmm__log("agent port: cannot set SPI %u: %s", a->spi, strerror(-ret));
}

static void *receiver(void *arg)
{
	struct agent *a = arg;
	uint64_t hellos_before, hellos;
	bool was_connected, welcomed;
	uint8_t buf[256];
	size_t lines;
	ssize_t n;

	for (;;) {
		n = read(a->from_guest[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		pthread_mutex_lock(&a->lock);
		was_connected = a->session.connected;
		hellos_before = a->session.hellos;
		lines = sw_notify_session_feed(&a->session, buf, n, monotonic_ns(), session_send,
					       a);
		hellos = a->session.hellos;
		welcomed = a->session.connected && hellos != hellos_before;
		pthread_mutex_unlock(&a->lock);
		if (welcomed)
			vmm__log("agent: connected (hello %llu)%s", (unsigned long long)hellos,
				 was_connected ? ": it restarted" : "");
		if (lines && a->answered)
			a->answered(a->vm);
	}
	return NULL;
}

static void *sender(void *arg)
{
	struct agent *a = arg;
	uint8_t buf[SW_NOTIFY_LINE_MAX * 4];
	ssize_t n;

	for (;;) {
		n = read(a->to_guest[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		/* Waits for room in the FIFO; returns early if the guest reset. */
		uart__receive(&a->uart, buf, n);
	}
	return NULL;
}

static int start_thread(void *(*fn)(void *), struct agent *a)
{
	pthread_t t;
	int ret = -pthread_create(&t, NULL, fn, a);

	if (!ret)
		pthread_detach(t);
	return ret;
}

int agent__init(struct agent *a, struct vm *vm, uint64_t base, unsigned int spi)
{
	const struct uart_ops ops = {.tx = agent_tx, .set_irq = agent_set_irq, .ctx = a};
	int ret;

	a->vm = vm;
	a->base = base;
	a->spi = spi;
	a->from_guest[0] = a->from_guest[1] = a->to_guest[0] = a->to_guest[1] = -1;
	pthread_mutex_init(&a->lock, NULL);
	sw_notify_session_init(&a->session);
	if (pipe2(a->from_guest, O_CLOEXEC) || pipe2(a->to_guest, O_CLOEXEC))
		return -errno;
	/* A guest that floods its port loses bytes rather than stalling a vCPU. */
	if (fcntl(a->from_guest[1], F_SETFL, O_NONBLOCK) ||
	    fcntl(a->to_guest[1], F_SETFL, O_NONBLOCK) || fcntl(a->to_guest[0], F_SETFL, 0))
		return -errno;
	ret = uart__init(&a->uart, &ops);
	if (ret)
		return ret;
	ret = mmio__register(&vm->mmio, base, UART_MMIO_SIZE, uart__mmio, &a->uart);
	if (ret)
		return ret;
	if ((ret = start_thread(receiver, a)) || (ret = start_thread(sender, a)))
		return ret;
	return 0;
}

void agent__reset(struct agent *a)
{
	uint8_t buf[256];
	int flags = fcntl(a->to_guest[0], F_GETFL);

	pthread_mutex_lock(&a->lock);
	sw_notify_session_init(&a->session);
	pthread_mutex_unlock(&a->lock);
	/* Lines queued for the old guest are not the new guest's business. */
	fcntl(a->to_guest[0], F_SETFL, flags | O_NONBLOCK);
	while (read(a->to_guest[0], buf, sizeof(buf)) > 0)
		;
	fcntl(a->to_guest[0], F_SETFL, flags);
	uart__reset(&a->uart);
}

bool agent__alive(struct agent *a)
{
	bool alive;

	pthread_mutex_lock(&a->lock);
	alive = sw_notify_session_alive(&a->session, monotonic_ns());
	pthread_mutex_unlock(&a->lock);
	return alive;
}

int agent__notify(struct agent *a, uint64_t gpa, uint64_t len, uint64_t *first_gpa)
{
	char line[SW_NOTIFY_LINE_MAX];
	enum sw_notify_state state;
	uint32_t npages;
	int ret;

	pthread_mutex_lock(&a->lock);
	if (!a->session.page_size) {
		pthread_mutex_unlock(&a->lock);
		return -ENOTCONN;
	}
	/* Every guest page of the bad host page, in one line (docs/agent.md). */
	ret = hostpage_guest_span(gpa, len, a->session.page_size, first_gpa, &npages);
	if (!ret)
		ret = sw_notify_session_poison(&a->session, *first_gpa, npages, monotonic_ns(),
					       line, sizeof(line), &state);
	pthread_mutex_unlock(&a->lock);
	if (ret <= 0)
		return ret;
	return queue_line(a, line, ret);
}

enum sw_notify_state agent__state(struct agent *a, uint64_t gpa, struct sw_notify_pending *p)
{
	enum sw_notify_state state;

	pthread_mutex_lock(&a->lock);
	state = sw_notify_session_state(&a->session, gpa, p);
	pthread_mutex_unlock(&a->lock);
	return state;
}

void agent__forget(struct agent *a, uint64_t gpa)
{
	pthread_mutex_lock(&a->lock);
	sw_notify_session_forget(&a->session, gpa);
	pthread_mutex_unlock(&a->lock);
}
