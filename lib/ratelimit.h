/* SPDX-License-Identifier: MIT */
/*
 * A leaky bucket of events, as mcelog and rasdaemon use for corrected
 * errors (rasdaemon's PAGE_CE_THRESHOLD per PAGE_CE_REFRESH_CYCLE): the
 * bucket holds up to @events events and drains @events per @window_ns,
 * continuously.  An event that finds the bucket full exceeds the rate.
 *
 * Pure: the caller passes the time, so replaying past events in order
 * rebuilds the same level.  Integer arithmetic only: the level is kept in
 * event-nanoseconds (each event adds window_ns, each nanosecond drains
 * events), exact and bounded by events * window_ns, which the ranges
 * below keep under 2^64.
 */
#ifndef SEAWALL_LIB_RATELIMIT_H
#define SEAWALL_LIB_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#define SW_RATELIMIT_MAX_EVENTS	   1000u
#define SW_RATELIMIT_MAX_WINDOW_NS (7ull * 24 * 3600 * 1000000000ull) /* 7 days */

struct sw_ratelimit {
	uint64_t events;    /* capacity, 1..SW_RATELIMIT_MAX_EVENTS */
	uint64_t window_ns; /* time to drain a full bucket, 1..SW_RATELIMIT_MAX_WINDOW_NS */
	uint64_t level;	    /* event-ns in the bucket, <= events * window_ns */
	uint64_t last_ns;   /* time of the latest event (never moves backwards) */
};

/* Returns 0, or -EINVAL when @events or @window_ns is out of range. */
int sw_ratelimit_init(struct sw_ratelimit *rl, unsigned int events, uint64_t window_ns);

/*
 * Add one event at @now_ns.  Returns true if it exceeds the rate (the
 * bucket was full: the event is not added).  A time earlier than the
 * latest one drains nothing.
 */
bool sw_ratelimit_add(struct sw_ratelimit *rl, uint64_t now_ns);

/* How many events the bucket holds at @now_ns, rounded up. */
unsigned int sw_ratelimit_level(const struct sw_ratelimit *rl, uint64_t now_ns);

#endif
