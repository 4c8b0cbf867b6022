/* SPDX-License-Identifier: MIT */
/*
 * sw-events-writer FILE: write a known run of eight SEA events to FILE
 * through the library's real path (decode -> policy -> sw_event_write),
 * for tests/cli/test-events.sh to summarise.  Not a test by itself.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <seawall/seawall.h>

#define T0 1795854896000000000ull /* 2026-11-28T08:34:56Z */
#define MS 1000000ull
#define S  1000000000ull

static struct sw_policy *policy;
static int fd;

static int emit(const struct sw_sea *sea, int el, unsigned int caps, uint64_t now,
		const struct sw_policy_decision *given)
{
	struct sw_policy_event pev = {sea, el, caps, now};
	struct sw_policy_decision d;
	struct sw_event ev = {.time_ns = now,
			      .vm = "web-1",
			      .vcpu = 0,
			      .sea = sea,
			      .guest_el = el,
			      .handling_ns = 20000};

	if (given)
		d = *given;
	else if (sw_policy_decide(policy, &pev, &d))
		return -1;
	sw_event_set_decision(&ev, &d);
	if (d.actions & SW_ACT_INJECT) {
		/* After the MMIO exit of a fenced access only ext_dabt is right. */
		bool fenced = sea->source == SW_SOURCE_FENCED;

		ev.strategy = fenced ? "ext_dabt" : "one_reg";
		ev.ioctls = fenced ? 2 : 6;
	}
	if (d.actions & SW_ACT_RESTART)
		sw_policy_restarted(policy);
	return sw_event_write(fd, &ev);
}

int main(int argc, char **argv)
{
	static const struct sw_memslot slot = {0x80000000, 0x100000, 0x7f0000000000};
	const struct sw_memmap map = {&slot, 1};
	struct sw_policy_config cfg;
	struct sw_policy_decision d;
	struct sw_sea load, store, fetch, ao, nogpa, fenced;
	siginfo_t si;
	int bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: sw-events-writer FILE\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	sw_policy_config_default(&cfg);
	if (fd < 0 || sw_policy_new(&cfg, 4096, &policy))
		return 1;
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGBUS;
	si.si_code = BUS_MCEERR_AO;
	si.si_addr = (void *)0x7f0000033000;
	si.si_addr_lsb = 12;
	bad |= sw_sea_from_exit(&load, 1, 0x92000210, 0x80010048, 0x80010000, NULL);
	bad |= sw_sea_from_exit(&store, 1, 0x92000250, 0xffff000000022000, 0x80022000, NULL);
	bad |= sw_sea_from_exit(&fetch, 1, 0x82000210, 0x400000, 0x80044000, NULL);
	bad |= sw_sea_from_exit(&nogpa, 0, 0x92000210, 0x400100, 0, NULL);
	bad |= sw_sea_from_sigbus(&ao, &si, &map, NULL);
	bad |= sw_sea_from_fenced(&fenced, 0x80044000, false, NULL);

	/* A process loads a bad page: notified, retried, then offlined. */
	bad |= emit(&load, 0, SW_CAN_ALL, T0, NULL);
	bad |= emit(&load, 0, SW_CAN_ALL, T0 + 1 * MS, NULL);
	bad |= sw_policy_notify_result(policy, 0x80010000, true, T0 + 200 * MS, SW_CAN_ALL, &d);
	bad |= emit(&load, 0, SW_CAN_ALL, T0 + 200 * MS, &d);
	/* The guest kernel stores to one: restarted. */
	bad |= emit(&store, 1, SW_CAN_ALL, T0 + 10 * S, NULL);
	/* The host finds one nobody read yet: notified. */
	bad |= emit(&ao, SW_GUEST_EL_UNKNOWN, SW_CAN_ALL, T0 + 70 * S, NULL);
	/* A fetch, with the agent gone: injected and fenced. */
	bad |= emit(&fetch, 0, SW_CAN_ALL & ~SW_CAN_NOTIFY, T0 + 71 * S, NULL);
	/* The process touches the fenced page again: injected, not fenced again. */
	bad |= emit(&fenced, 0, SW_CAN_ALL & ~SW_CAN_NOTIFY, T0 + 72 * S, NULL);
	/* An hour later, a load KVM could not name the page of: restarted. */
	bad |= emit(&nogpa, 0, SW_CAN_ALL, T0 + 3600 * S, NULL);
	sw_policy_free(policy);
	return bad || close(fd) ? 1 : 0;
}
