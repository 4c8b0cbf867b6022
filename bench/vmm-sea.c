/* SPDX-License-Identifier: MIT */
/*
 * vmm-sea: what handling an SEA costs in seawall-vmm, against a plain MMIO
 * exit, on the rig's real KVM (as root in L1: rig/run -- sw-bench-vmm-sea).
 *
 * The bare-metal guest e2e-sea-bench.elf, 32 rounds: it has the VMM poison
 * a page (test-poison), loads from it and times, with CNTVCT_EL0, the load
 * until its SEA handler runs; then times one MMIO read of the test-poison
 * page.  The policy injects and replaces.  The VMM's event log gives, per
 * SEA, the ioctls and the time from the exit to the end of its handling.
 * Run once with CAP_SYS_ADMIN (the bad page goes to the host) and once
 * with --drop-caps (it goes to the quarantine), side by side.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tests/e2e/harness.h"

#define POLICY "/tmp/bench-policy.conf"
#define EVENTS "/tmp/bench-events.jsonl"
#define ROUNDS 32

struct result {
	uint64_t sea[ROUNDS], mmio[ROUNDS], handling[ROUNDS];
	unsigned int rounds, events, ioctls_min, ioctls_max;
	char strategy[32];
};

static uint64_t median(uint64_t *v, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return n ? v[n / 2] : 0;
}

static uint64_t json_u64(const char *json, const char *key)
{
	char pattern[64];
	const char *v;

	snprintf(pattern, sizeof(pattern), "\"%s\":", key);
	v = strstr(json, pattern);
	return v ? strtoull(v + strlen(pattern), NULL, 10) : 0;
}

static int run(bool drop_caps, struct result *res)
{
	const char *argv[] = {"--guest",
			      "/guests/e2e-sea-bench.elf",
			      "--mem",
			      "64M",
			      "--test-poison",
			      "--policy",
			      POLICY,
			      "--events",
			      EVENTS,
			      drop_caps ? "--drop-caps" : NULL,
			      NULL};
	struct vmm_run r;
	struct lines ev;

	memset(res, 0, sizeof(*res));
	unlink(EVENTS);
	if (run_vmm(&r, argv, NULL, 300) || r.status != 0) {
		fprintf(stderr, "bench: seawall-vmm failed (status %d)\n", r.status);
		return -1;
	}
	for (size_t i = 0; i < r.console.count && res->rounds < ROUNDS; i++) {
		unsigned long long sea, mmio;
		const char *t = strstr(r.console.line[i], " sea_ticks ");

		if (strncmp(r.console.line[i], "SW-ELF: sea ", 12) || !t ||
		    sscanf(t, " sea_ticks %llu mmio_ticks %llu", &sea, &mmio) != 2)
			continue;
		res->sea[res->rounds] = sea;
		res->mmio[res->rounds] = mmio;
		res->rounds++;
	}
	read_lines(EVENTS, &ev);
	res->ioctls_min = ~0u;
	for (size_t i = 0; i < ev.count && i < ROUNDS; i++) {
		unsigned int n = json_u64(ev.line[i], "ioctls");
		const char *s = strstr(ev.line[i], "\"strategy\":\"");

		res->handling[i] = json_u64(ev.line[i], "handling_ns");
		res->ioctls_min = n < res->ioctls_min ? n : res->ioctls_min;
		res->ioctls_max = n > res->ioctls_max ? n : res->ioctls_max;
		if (s)
			sscanf(s + 12, "%31[^\"]", res->strategy);
		res->events++;
	}
	vmm_run_free(&r);
	return res->rounds == ROUNDS && res->events == ROUNDS ? 0 : -1;
}

int main(void)
{
	static const char policy[] = "version = 1\nkernel_fault = inject\ncontainment = replace\n"
				     "max_pages = 1000\nrate_events = 1000\nrate_window = 1s\n";
	struct result res[2];
	uint64_t freq;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	if (!write_file(POLICY, policy))
		return 1;
	for (int i = 0; i < 2; i++)
		if (run(i, &res[i])) {
			fprintf(stderr, "bench: the guest did not complete %d rounds\n", ROUNDS);
			return 1;
		}
	printf("# vmm-sea: %d SEAs per run, medians; counter %llu Hz\n", ROUNDS,
	       (unsigned long long)freq);
	printf("%-26s %10s %10s %8s %12s %8s %s\n", "run", "sea_us", "mmio_us", "sea/mmio",
	       "vmm_handling_us", "ioctls", "strategy");
	for (int i = 0; i < 2; i++) {
		double sea = median(res[i].sea, ROUNDS) * 1e6 / freq;
		double mmio = median(res[i].mmio, ROUNDS) * 1e6 / freq;

		printf("%-26s %10.1f %10.1f %8.1f %12.1f %5u-%u %s\n",
		       i ? "no CAP_SYS_ADMIN" : "CAP_SYS_ADMIN (hand-off)", sea, mmio, sea / mmio,
		       median(res[i].handling, ROUNDS) / 1e3, res[i].ioctls_min, res[i].ioctls_max,
		       res[i].strategy);
	}
	return 0;
}
