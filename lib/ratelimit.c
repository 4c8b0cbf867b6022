/* SPDX-License-Identifier: MIT */
/* The policy's event-rate leaky bucket (see ratelimit.h). */
#include <errno.h>

#include "ratelimit.h"

int sw_ratelimit_init(struct sw_ratelimit *rl, unsigned int events, uint64_t window_ns)
{
	if (!events || events > SW_RATELIMIT_MAX_EVENTS || !window_ns ||
	    window_ns > SW_RATELIMIT_MAX_WINDOW_NS)
		return -EINVAL;
	rl->events = events;
	rl->window_ns = window_ns;
	rl->level = 0;
	rl->last_ns = 0;
	return 0;
}

/* The level left at @now_ns after draining since the latest event. */
static uint64_t drained_level(const struct sw_ratelimit *rl, uint64_t now_ns)
{
	uint64_t elapsed, leak;

	if (now_ns <= rl->last_ns)
		return rl->level;
	elapsed = now_ns - rl->last_ns;
	/* A full bucket drains in window_ns: past that, and before the
	 * product could overflow, it is empty. */
	if (elapsed >= rl->window_ns)
		return 0;
	leak = elapsed * rl->events;
	return leak >= rl->level ? 0 : rl->level - leak;
}

bool sw_ratelimit_add(struct sw_ratelimit *rl, uint64_t now_ns)
{
	uint64_t level = drained_level(rl, now_ns);

	if (now_ns > rl->last_ns)
		rl->last_ns = now_ns;
	rl->level = level;
	if (level + rl->window_ns > rl->events * rl->window_ns)
		return true;
	rl->level = level + rl->window_ns;
	return false;
}

unsigned int sw_ratelimit_level(const struct sw_ratelimit *rl, uint64_t now_ns)
{
	uint64_t level = drained_level(rl, now_ns);

	return (unsigned int)((level + rl->window_ns - 1) / rl->window_ns);
}
