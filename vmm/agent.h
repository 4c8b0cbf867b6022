/* SPDX-License-Identifier: MIT */
/*
 * The guest agent's channel: a second 16550 (UART 1, /dev/ttyS1 in a
 * Linux guest) that carries libseawall's notification protocol
 * (seawall/notify.h, docs/agent.md) to seawall-agent.
 *
 * Nothing here runs on a vCPU thread longer than a write(2): what the guest
 * transmits goes through a pipe to a receiver thread, which feeds the
 * library's session; what the VMM sends (WELCOME, POISON) goes through a
 * pipe to a sender thread, which waits for room in the UART's FIFO.  A vCPU
 * that must tell the guest about a page therefore never blocks on the
 * guest reading its port - with one vCPU the guest can only read it after
 * that vCPU re-entered.
 */
#ifndef SEAWALL_VMM_AGENT_H
#define SEAWALL_VMM_AGENT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <seawall/notify.h>

#include "uart.h"

struct vm;

struct agent {
	struct uart uart;
	struct vm *vm;
	uint64_t base;	      /* guest physical address of the registers */
	unsigned int spi;     /* SPI number (INTID - 32) */
	pthread_mutex_t lock; /* protects session */
	struct sw_notify_session session;
	int from_guest[2];	/* UART tx -> receiver thread */
	int to_guest[2];	/* lines -> sender thread -> UART rx */
	uint64_t dropped_bytes; /* guest bytes lost to a full pipe (atomic) */
	/* Called on the receiver thread after a line that may answer a notification. */
	void (*answered)(struct vm *vm);
};

/*
 * agent__init - create the port, register its MMIO range on @vm and start
 * its two threads.  Returns 0 or a negative errno.
 */
int agent__init(struct agent *a, struct vm *vm, uint64_t base, unsigned int spi);

/* The guest reset: its agent is gone; drop the session and queued lines. */
void agent__reset(struct agent *a);

/* A live agent speaks our protocol version (sw_notify_session_alive). */
bool agent__alive(struct agent *a);

/*
 * agent__notify - tell the agent that the host page of @len bytes (a power
 * of two) at @gpa is bad: one POISON line for every guest page it covers,
 * in the agent's page size (hostpage_guest_span()).  Returns 0 when a
 * POISON line was queued or a notification for @gpa was already in
 * flight, -ENOTCONN without a live agent, -ENOSPC when too many
 * notifications are in flight, -EINVAL for more guest pages than one line
 * may name, -EIO if the line could not be queued.  *@first_gpa: the guest
 * page the notification is tracked by (agent__state, agent__forget).
 */
int agent__notify(struct agent *a, uint64_t gpa, uint64_t len, uint64_t *first_gpa);

/* The state of the notification tracked by @gpa (see sw_notify_session_state). */
enum sw_notify_state agent__state(struct agent *a, uint64_t gpa, struct sw_notify_pending *p);

/* The VMM acted on the answer: stop tracking the notification. */
void agent__forget(struct agent *a, uint64_t gpa);

#endif
