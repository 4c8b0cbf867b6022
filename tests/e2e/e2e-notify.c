/* SPDX-License-Identifier: MIT */
/*
 * The notify scenarios: seawall-agent in the L2 guest, told about each
 * consumed page through seawall-vmm's agent port, has the guest kernel
 * offline it, and the victim gets what bare metal gives: SIGBUS
 * BUS_MCEERR_AR (code 4) at its address with si_addr_lsb 12.
 *
 *   notify       two vCPUs and a workload: a load, a store, and an agent
 *                stopped when the notification comes, then killed and
 *                started again
 *   notify-1cpu  one vCPU: a fault before any agent (inject fallback),
 *                then one with the agent
 *   notify-kernel  the host finds a guest page-table page bad (SIGBUS AO):
 *                the agent cannot offline kernel memory, the fallback
 *                contains it, and the guest's next uses of it end in a
 *                restart
 *   notify-16k   on a host with 16 KiB pages (named only; rig/run --kernel
 *                debian-16k): one notification names the four guest pages
 *                of the bad host page, and the guest offlines all four
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

/* The value of a metrics line that starts with @prefix, or -1. */
static long metric(const char *prefix)
{
	struct lines m;
	const char *line;
	long v = -1;

	read_lines(METRICS, &m);
	line = line_with_prefix(&m, prefix);
	if (line)
		v = strtol(line + strlen(prefix), NULL, 10);
	for (size_t i = 0; i < m.count; i++)
		free(m.line[i]);
	free(m.line);
	return v;
}

#define OUTCOMES "seawall_outcomes_total{vm=\"seawall-vmm\",outcome="

/*
 * Every exit on a page being told about is counted, never logged: the
 * KVM exits are the @logged events plus the retried ones, and the VMM
 * says how many it re-entered.
 * @min_retried is 0 where the agent may offline the page before the vCPU
 * comes back (one vCPU: the agent runs only between the re-entries).
 */
static void expect_retries(const struct vmm_run *r, long logged, long min_retried, const char *what)
{
	long exits = metric("seawall_events_total{vm=\"seawall-vmm\",source=\"kvm_exit\"} ");
	long retried = metric(OUTCOMES "\"retried\"} ");
	char line[128];

	tap_ok(retried >= min_retried && exits == retried + logged,
	       "%s: kvm_exit events (%ld) = retried exits (%ld, at least %ld) + %ld", what, exits,
	       retried, min_retried, logged);
	if (retried > 0) {
		snprintf(line, sizeof(line),
			 "seawall-vmm: %ld exit%s re-entered while the guest was being told",
			 retried, retried == 1 ? "" : "s");
		expect_vmm(r, line);
	} else {
		size_t n = 0;

		for (size_t i = 0; i < r->vmm.count; i++)
			n += strstr(r->vmm.line[i], " re-entered while the guest was being told") !=
			     NULL;
		tap_ok(n == 0, "%s: no exit re-entered, none reported (%zu lines)", what, n);
	}
}

static void want_pair(char (*want)[512], const char *vcpu, const char *esr, const char *page,
		      unsigned int distinct)
{
	snprintf(want[0], sizeof(want[0]),
		 "vcpu=%s source=kvm_exit class=sea el=0 esr=%s page=%s actions=notify,retry "
		 "reason=user_fault strategy=null ioctls=1 outcome=notified distinct=%u",
		 vcpu, esr, page, distinct);
	snprintf(want[1], sizeof(want[1]),
		 "vcpu=null source=kvm_exit class=sea el=0 esr=%s page=%s actions=log,fence "
		 "reason=offlined strategy=null ioctls=0 outcome=offlined distinct=%u",
		 esr, page, distinct);
}

static void expect_victim(const struct vmm_run *r, const char *label, int code, int lsb)
{
	char line[128];

	snprintf(line, sizeof(line), "SW-L2: %s request status 0", label);
	expect_console(r, line);
	snprintf(line, sizeof(line), "SW-L2: %s sigbus code %d at the faulting address, lsb %d",
		 label, code, lsb);
	expect_console(r, line);
}

void e2e_notify(void)
{
	/* A deadline well above the stopped agent's ~2 s, so that it is not what ends it. */
	static const char policy[] = "version = 1\nnotify_deadline = 20s\n";
	static const char *const labels[] = {"victim", "store", "stalled"};
	static const char *const esr[] = {"0x92000210", "0x92000250", "0x92000210"};
	static const char *const vcpu[] = {"0", "1", "0"};
	char want[6][512], line[128];
	struct vmm_run r;

	if (!start(&r, policy, LINUX_ARGS("notify", "--policy", POLICY, "--metrics", METRICS), NULL,
		   L2_TIMEOUT))
		return;
	expect_status(&r, 0, "notify");
	for (size_t i = 0; i < 3; i++) {
		expect_victim(&r, labels[i], 4, 12);
		want_pair(&want[2 * i], vcpu[i], esr[i], guest_page(&r, labels[i]),
			  (unsigned int)i + 1);
	}
	/* The guest kernel took each page out of service, one at a time. */
	for (int kb = 0; kb <= 12; kb += 4) {
		snprintf(line, sizeof(line), "SW-L2: hardware corrupted %d kB", kb);
		expect_console(&r, line);
	}
	expect_console_order(&r, "SW-L2: hardware corrupted 8 kB", "SW-L2: agent connected (2)");
	expect_vmm(&r, "seawall-vmm: agent: connected (hello 2): it restarted");
	expect_console(&r, "SW-L2: the workload is still running");
	expect_console(&r, "SW-L2: done notify status 0");
	expect_events("notify",
		      (const char *[]){want[0], want[1], want[2], want[3], want[4], want[5]}, 6);
	expect_metrics((const char *[]){
		OUTCOMES "\"notified\"} 3",
		OUTCOMES "\"offlined\"} 3",
		OUTCOMES "\"injected\"} 0",
		"seawall_actions_total{vm=\"seawall-vmm\",action=\"fence\"} 3",
		"seawall_distinct_pages{vm=\"seawall-vmm\"} 3",
		NULL,
	});
	expect_retries(&r, 6, 1, "notify");
	expect_vmm(&r, "seawall-vmm: bad pages: 3 handed off to the host, 0 fenced in memslot "
		       "holes, 0 replaced, 0 not contained");
	vmm_run_free(&r);
}

void e2e_notify_1cpu(void)
{
	static const char policy[] = "version = 1\ncontainment = replace\n";
	char want[3][512];
	struct vmm_run r;

	if (!start(&r, policy,
		   (const char *[]){"--kernel", L2_KERNEL, "--initrd", L2_INITRD, "--cpus", "1",
				    "--mem", "256M", "--test-poison", "--events", EVENTS,
				    "--metrics", METRICS, "--policy", POLICY, "--cmdline",
				    L2_CMDLINE("notify-1cpu"), NULL},
		   NULL, L2_TIMEOUT))
		return;
	expect_status(&r, 0, "notify-1cpu");
	/* No agent yet: notify is out of reach, the policy injects and replaces. */
	expect_victim(&r, "noagent", 3, 0);
	expect_victim(&r, "victim", 4, 12);
	expect_console_order(&r, "SW-L2: hardware corrupted 0 kB",
			     "SW-L2: hardware corrupted 4 kB");
	snprintf(want[0], sizeof(want[0]),
		 "vcpu=0 source=kvm_exit class=sea el=0 esr=0x92000210 page=%s "
		 "actions=inject,replace reason=user_fault strategy=one_reg ioctls=11 "
		 "outcome=injected distinct=1",
		 guest_page(&r, "noagent"));
	/* swg never gives the victim noagent's page again (replaced, so reusable). */
	want_pair(&want[1], "0", "0x92000210", guest_page(&r, "victim"), 2);
	expect_events("notify-1cpu", (const char *[]){want[0], want[1], want[2]}, 3);
	expect_retries(&r, 3, 0, "notify-1cpu");
	expect_vmm(&r, "seawall-vmm: bad pages: 1 handed off to the host, 0 fenced in memslot "
		       "holes, 1 replaced, 0 not contained");
	vmm_run_free(&r);
}

void e2e_notify_kernel(void)
{
	static const char prefix[] = "seawall-vmm: test-poison: vCPU 0: the page table of va "
				     "0x7e0000000000 is at ";
	char want[4][512], line[160];
	const char *table;
	struct vmm_run r;

	if (!start(&r, NULL, LINUX_ARGS("notify-kernel", "--metrics", METRICS), NULL, L2_TIMEOUT))
		return;
	expect_status(&r, 0, "notify-kernel");
	table = line_with_prefix(&r.vmm, prefix);
	table = table ? table + strlen(prefix) : "?";
	expect_console(&r, "SW-L2: table request status 0");
	expect_console(&r, "SW-L2: agent answers kernel: 1");
	snprintf(line, sizeof(line),
		 "seawall-vmm: agent: the guest did not offline page %s (kernel)", table);
	expect_vmm(&r, line);
	snprintf(want[0], sizeof(want[0]),
		 "vcpu=null source=sigbus_ao class=none el=null esr=null page=%s actions=notify "
		 "reason=unconsumed strategy=null ioctls=0 outcome=notified distinct=1",
		 table);
	/* FAILED: contained now, injected on the next consumption (notify_fallback). */
	snprintf(want[1], sizeof(want[1]),
		 "vcpu=null source=sigbus_ao class=none el=null esr=null page=%s actions=fence "
		 "reason=notify_failed strategy=null ioctls=0 outcome=fallback distinct=1",
		 table);
	snprintf(want[2], sizeof(want[2]),
		 "vcpu=0 source=sigbus_ar class=none el=0 esr=null page=%s actions=inject,fence "
		 "reason=notify_failed strategy=ext_dabt ioctls=2 outcome=fallback distinct=1",
		 table);
	snprintf(want[3], sizeof(want[3]),
		 "vcpu=0 source=sigbus_ar class=none el=1 esr=null page=%s actions=restart "
		 "reason=consumed_again strategy=null ioctls=1 outcome=restarted distinct=1",
		 table);
	expect_events("notify-kernel", (const char *[]){want[0], want[1], want[2], want[3]}, 4);
	tap_ok(!has_line(&r.console, "SW-L2: the guest kernel did not touch its page table"),
	       "notify-kernel: the guest kernel touched its lost page table before the restart");
	expect_vmm(&r, "seawall-vmm: the recovery policy restarted the VM (boot 2)");
	expect_console_order(&r, "SW-L2: boot 2 cpus 2 test notify-kernel",
			     "SW-L2: back after the restart");
	vmm_run_free(&r);
}

/* The handling_ns of event @n (from 1) of the last run, in ms; -1 if none. */
static double event_ms(size_t n)
{
	char v[32] = "";
	struct lines ev;

	read_lines(EVENTS, &ev);
	if (n <= ev.count)
		event_value(ev.line[n - 1], "handling_ns", v, sizeof(v));
	for (size_t i = 0; i < ev.count; i++)
		free(ev.line[i]);
	free(ev.line);
	return v[0] >= '0' && v[0] <= '9' ? strtod(v, NULL) / 1e6 : -1;
}

/*
 * One notification for every guest page of a bad host page larger than
 * the guest's: the victim's host page of @host_page bytes holds only its
 * own pages (swg --host-page), the agent offlines all @host_page / 4 KiB
 * of them, and the victim gets the guest's own si_addr_lsb, 12.
 */
static void notify_big_host_page(const char *name, unsigned long long host_page, const char **args)
{
	unsigned long long victim, mask = host_page - 1, n = host_page / 4096;
	char want[2][512], host[32], line[160];
	struct vmm_run r;

	if (!start(&r, NULL, args, NULL, L2_TIMEOUT))
		return;
	expect_status(&r, 0, name);
	snprintf(line, sizeof(line),
		 "seawall-vmm: host pages of %llu KiB: a bad one takes %llu guest pages of 4 KiB",
		 host_page >> 10, n);
	expect_vmm(&r, line);
	/* The VMM names the host page: the victim's page rounded down to it. */
	victim = strtoull(guest_page(&r, "victim"), NULL, 16);
	snprintf(host, sizeof(host), "0x%llx", victim & ~mask);
	tap_ok(victim == (victim & ~mask) + 0x1000,
	       "%s: the victim's page %s is one guest page into its host page %s", name,
	       guest_page(&r, "victim"), host);
	snprintf(line, sizeof(line), "SW-L2: victim host page %s: %llu pages, all ours", host, n);
	expect_console(&r, line);
	expect_victim(&r, "victim", 4, 12);
	/* Every guest page of the host page, not only the victim's. */
	snprintf(line, sizeof(line), "SW-L2: hardware corrupted %llu kB", host_page >> 10);
	expect_console_order(&r, "SW-L2: hardware corrupted 0 kB", line);
	snprintf(line, sizeof(line),
		 "SW-L2: agent: notification 1: %llu of %llu pages from %s offlined", n, n, host);
	expect_console(&r, line);
	snprintf(line, sizeof(line), "seawall-vmm: agent: told the guest that page %s is bad",
		 host);
	expect_vmm(&r, line);
	snprintf(line, sizeof(line), "seawall-vmm: agent: the guest offlined page %s", host);
	expect_vmm(&r, line);
	want_pair(want, "0", "0x92000210", host, 1);
	expect_events(name, (const char *[]){want[0], want[1]}, 2);
	expect_metrics((const char *[]){
		OUTCOMES "\"notified\"} 1",
		OUTCOMES "\"offlined\"} 1",
		OUTCOMES "\"injected\"} 0",
		"seawall_actions_total{vm=\"seawall-vmm\",action=\"fence\"} 1",
		"seawall_distinct_pages{vm=\"seawall-vmm\"} 1",
		NULL,
	});
	expect_retries(&r, 2, 1, name);
	expect_vmm(&r, "seawall-vmm: bad pages: 1 handed off to the host, 0 fenced in memslot "
		       "holes, 0 replaced, 0 not contained");
	tap_diag("%s: first exit handled in %.3f ms; exit to recovery %.1f ms", name, event_ms(1),
		 event_ms(2));
	vmm_run_free(&r);
}

void e2e_notify_16k(void)
{
	notify_big_host_page("notify-16k", 16384, LINUX_ARGS("notify-16k", "--metrics", METRICS));
}

void e2e_notify_64k(void)
{
	notify_big_host_page("notify-64k", 65536, LINUX_ARGS("notify-64k", "--metrics", METRICS));
}
