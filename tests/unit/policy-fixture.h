/* SPDX-License-Identifier: MIT */
/*
 * What the policy tests share (test-policy, test-replay): faults, a policy,
 * one decision, exact comparisons, and the generated run both replay.
 * Include after <cmocka.h>.
 */
#ifndef SEAWALL_TESTS_POLICY_FIXTURE_H
#define SEAWALL_TESTS_POLICY_FIXTURE_H

#include <stdint.h>
#include <string.h>

#include <seawall/policy.h>

#define MS 1000000ull
#define S  1000000000ull

#define PAGE_A 0x80010000ull
#define PAGE_B 0x80022000ull
#define PAGE_C 0x80033000ull

/* An SEA not on a walk (DFSC 0x10, SET UER) at @gpa, from @source. */
static inline struct sw_sea sea_of(enum sw_sea_source source, uint64_t gpa)
{
	return (struct sw_sea){
		.source = source,
		.type = SW_ABORT_DATA,
		.fsc = 0x10,
		.fsc_class = SW_FSC_SEA,
		.level = SW_LEVEL_NONE,
		.set = SW_SET_UER,
		.gpa_valid = true,
		.gpa = gpa,
	};
}

/* A policy for 4 KiB pages, with @cfg or the defaults. */
static inline struct sw_policy *make(const struct sw_policy_config *cfg)
{
	struct sw_policy_config defaults;
	struct sw_policy *p = NULL;

	if (!cfg) {
		sw_policy_config_default(&defaults);
		cfg = &defaults;
	}
	assert_int_equal(sw_policy_new(cfg, 4096, &p), 0);
	return p;
}

static inline struct sw_policy_decision decide(struct sw_policy *p, struct sw_sea sea, int el,
					       unsigned int caps, uint64_t now)
{
	struct sw_policy_event ev = {.sea = &sea, .guest_el = el, .caps = caps, .now_ns = now};
	struct sw_policy_decision d;

	memset(&d, 0xa5, sizeof(d));
	assert_int_equal(sw_policy_decide(p, &ev, &d), 0);
	return d;
}

static inline void expect_stats(struct sw_policy *p, unsigned int distinct, unsigned int notifying,
				unsigned int restarts, uint64_t incidents)
{
	struct sw_policy_stats st;

	sw_policy_stats(p, &st);
	assert_int_equal(st.distinct_pages, distinct);
	assert_int_equal(st.notifying, notifying);
	assert_int_equal(st.restarts, restarts);
	assert_int_equal(st.incidents, incidents);
}

/* @a and @b have the same state. */
static inline void expect_same_stats(struct sw_policy *a, struct sw_policy *b)
{
	struct sw_policy_stats x, y;

	sw_policy_stats(a, &x);
	sw_policy_stats(b, &y);
	assert_int_equal(x.distinct_pages, y.distinct_pages);
	assert_int_equal(x.notifying, y.notifying);
	assert_int_equal(x.restarts, y.restarts);
	assert_int_equal(x.incidents, y.incidents);
}

static inline void expect_same(const struct sw_policy_decision *a,
			       const struct sw_policy_decision *b)
{
	assert_int_equal(a->actions, b->actions);
	assert_int_equal(a->unavailable, b->unavailable);
	assert_int_equal(a->reason, b->reason);
	assert_int_equal(a->escalation, b->escalation);
	assert_int_equal(a->page_valid, b->page_valid);
	assert_int_equal(a->page, b->page);
	assert_int_equal(a->page_size, b->page_size);
	assert_int_equal(a->deadline_ns, b->deadline_ns);
	assert_int_equal(a->resume_at_ns, b->resume_at_ns);
	assert_int_equal(a->new_page, b->new_page);
	assert_int_equal(a->distinct_pages, b->distinct_pages);
}

/* A small deterministic generator, so a failure reproduces. */
static inline uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * The generated run: a configuration with low thresholds, and events on
 * five pages from every source, at either EL, with or without a page and
 * the ability to notify, 0 to 1.5 s apart.
 */
#define GENERATED_SEED 0x5ea3a11

static inline void generated_config(struct sw_policy_config *cfg)
{
	sw_policy_config_default(cfg);
	cfg->max_pages = 4;
	cfg->rate_events = 5;
	cfg->rate_window_ns = 20 * S;
	cfg->notify_deadline_ns = 3 * S;
}

struct generated {
	struct sw_sea sea;
	int el;
	unsigned int caps;
};

/* The next event; advances *@now. */
static inline struct generated generated_event(uint64_t *seed, uint64_t *now)
{
	static const uint64_t pages[] = {PAGE_A, PAGE_B, PAGE_C, 0x90000000, 0x90001000};
	uint64_t r = next_random(seed);
	enum sw_sea_source src = r % 7 == 0   ? SW_SOURCE_SIGBUS_AO
				 : r % 7 == 1 ? SW_SOURCE_SIGBUS_AR
					      : SW_SOURCE_KVM_EXIT;
	struct generated g = {
		.sea = sea_of(src, pages[(r >> 8) % 5] + ((r >> 16) & 0xfff)),
		.el = (r >> 32) % 5 == 0 ? 1 : 0,
		.caps = (r >> 40) % 4 == 0 ? SW_CAN_FENCE : SW_CAN_ALL,
	};

	g.sea.gpa_valid = (r >> 48) % 17 != 0;
	*now += ((r >> 52) % 1500) * MS;
	return g;
}

/*
 * @a and @b decide 100 further events (KVM exits on the five pages, EL0,
 * every capability) exactly alike, restarting together.
 */
static inline void decide_alike(struct sw_policy *a, struct sw_policy *b, uint64_t *seed,
				uint64_t now)
{
	static const uint64_t pages[] = {PAGE_A, PAGE_B, PAGE_C, 0x90000000, 0x90001000};

	for (size_t i = 0; i < 100; i++) {
		uint64_t r = next_random(seed);
		struct sw_sea sea = sea_of(SW_SOURCE_KVM_EXIT, pages[r % 5]);
		struct sw_policy_decision d, e;

		now += ((r >> 52) % 1500) * MS;
		d = decide(a, sea, 0, SW_CAN_ALL, now);
		e = decide(b, sea, 0, SW_CAN_ALL, now);
		expect_same(&d, &e);
		if (d.actions & SW_ACT_RESTART) {
			sw_policy_restarted(a);
			sw_policy_restarted(b);
		}
	}
}

#endif
