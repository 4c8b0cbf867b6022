/* SPDX-License-Identifier: MIT */
/*
 * The SEA scenarios: real poison (the rig's injector, through seawall-vmm's
 * TEST ONLY --test-poison page) consumed by bare-metal and Linux guests,
 * handled through libseawall, with exact checks of the guest's console,
 * the VMM's messages, its event log and its exit status.
 *
 *   sea-elf     a bare-metal guest: inject + fence, the contained page
 *               accessed again, with and without CAP_SYS_ADMIN (then a
 *               load from a memslot hole, decided as a fenced source)
 *   journal     a second VMM with the same journal keeps the history and
 *               the max_pages threshold
 *   fence       Linux: a process dies of the injected SEA; the guest kernel
 *               reuses the fenced page; the policy's restart brings it back
 *   replace     Linux: the guest survives reuse; two vCPUs at once; an SEA
 *               while the other vCPU is in an MMIO exit; hard_offline_page
 *   kernel      Linux: the guest kernel consumes poison; a poisoned page
 *               table; each restarts the VM
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"

static void expect_console_prefix(const struct vmm_run *r, const char *prefix)
{
	tap_ok(line_with_prefix(&r->console, prefix) != NULL, "console: \"%s...\"", prefix);
}

void e2e_sea_elf(void)
{
	static const char policy[] = "version = 1\nkernel_fault = inject\ncontainment = fence\n";
	struct vmm_run r;

	/* With CAP_SYS_ADMIN: the fenced page is the host's; touching it again is SIGBUS AR. */
	if (!start(&r, policy,
		   (const char *[]){"--guest", "/guests/e2e-sea-fence.elf", "--mem", "16M",
				    "--test-poison", "--policy", POLICY, "--events", EVENTS, NULL},
		   NULL, 60))
		return;
	expect_status(&r, 0, "sea-elf");
	expect_vmm(&r, "seawall-vmm: containment: bad pages go to the host's memory-failure "
		       "handling");
	expect_console(&r, "SW-ELF: reaccess faulted again, esr 0x96000010 far 0x80500048");
	expect_console(&r, "SW-ELF: done 2 SEAs");
	expect_vmm(&r, "seawall-vmm: bad pages: 1 handed off to the host, 0 fenced in memslot "
		       "holes, 0 replaced, 0 not contained");
	expect_events(
		"sea-elf",
		(const char *[]){
			"vcpu=0 source=kvm_exit class=sea el=1 esr=0x92000210 page=0x80500000 "
			"actions=inject,fence reason=kernel_fault strategy=one_reg ioctls=11 "
			"outcome=injected distinct=1",
			"vcpu=0 source=sigbus_ar class=none el=1 esr=null page=0x80500000 "
			"actions=inject,fence reason=kernel_fault strategy=ext_dabt ioctls=2 "
			"outcome=injected distinct=1",
		},
		2);
	vmm_run_free(&r);

	/*
	 * Without: the page stays ours, in a memslot hole; touching it is an
	 * MMIO exit, a fenced access the policy decides by the kernel_fault
	 * rule: injected with ext_dabt (1 ioctl, and 1 to read the EL), never
	 * fenced again, not a new page.
	 */
	if (!start(&r, NULL,
		   (const char *[]){"--guest", "/guests/e2e-sea-fence.elf", "--mem", "16M",
				    "--test-poison", "--policy", POLICY, "--events", EVENTS,
				    "--metrics", METRICS, "--drop-caps", NULL},
		   NULL, 60))
		return;
	expect_status(&r, 0, "sea-elf --drop-caps");
	expect_vmm(&r, "seawall-vmm: containment: bad pages stay owned by seawall-vmm (no "
		       "CAP_SYS_ADMIN)");
	expect_vmm(&r, "seawall-vmm: vCPU 0: SEA fenced data, page 0x80500000, guest EL1: "
		       "kernel_fault -> inject: injected (ext_dabt)");
	expect_console(&r, "SW-ELF: reaccess faulted again, esr 0x96000010 far 0x80500048");
	expect_console(&r, "SW-ELF: done 2 SEAs");
	expect_vmm(&r, "seawall-vmm: 1 access to pages fenced in memslot holes");
	expect_vmm(&r, "seawall-vmm: bad pages: 0 handed off to the host, 1 fenced in memslot "
		       "holes, 0 replaced, 0 not contained");
	expect_events(
		"sea-elf --drop-caps",
		(const char *[]){
			"vcpu=0 source=kvm_exit class=sea el=1 esr=0x92000210 page=0x80500000 "
			"actions=inject,fence reason=kernel_fault strategy=one_reg ioctls=11 "
			"outcome=injected distinct=1",
			"vcpu=0 source=fenced class=none el=1 esr=null page=0x80500000 "
			"actions=inject reason=kernel_fault strategy=ext_dabt ioctls=2 "
			"outcome=injected distinct=1",
		},
		2);
	expect_metrics(
		(const char *[]){"seawall_events_total{vm=\"seawall-vmm\",source=\"kvm_exit\"} 1",
				 "seawall_events_total{vm=\"seawall-vmm\",source=\"fenced\"} 1",
				 "seawall_actions_total{vm=\"seawall-vmm\",action=\"inject\"} 2",
				 "seawall_actions_total{vm=\"seawall-vmm\",action=\"fence\"} 1",
				 "seawall_distinct_pages{vm=\"seawall-vmm\"} 1", NULL});
	vmm_run_free(&r);
}

void e2e_journal(void)
{
	static const char policy[] = "version = 1\nkernel_fault = inject\ncontainment = replace\n"
				     "max_pages = 3\non_max_pages = stop\n";
	struct vmm_run r;

	unlink(JOURNAL);
	/* Run 1: two bad pages, journaled. */
	if (!start(&r, policy,
		   (const char *[]){"--guest", "/guests/e2e-sea-a.elf", "--mem", "16M",
				    "--test-poison", "--policy", POLICY, "--journal", JOURNAL,
				    "--events", EVENTS, NULL},
		   NULL, 60))
		return;
	expect_status(&r, 0, "journal run 1");
	expect_vmm(&r, "seawall-vmm: journal " JOURNAL ": replayed 0 events and 0 restarts; 0 bad "
		       "pages known");
	/* ONE_REG injection: the guest sees EA and EC 0x25, exactly as the Arm ARM builds it. */
	expect_console_prefix(&r, "SW-ELF: sea 1 esr 0x96000210 far 0x80200048 sea_ticks ");
	expect_console(&r, "SW-ELF: done 2 SEAs");
	vmm_run_free(&r);

	/* Run 2: the journal brings the two pages back; the fourth page passes max_pages. */
	if (!start(&r, NULL,
		   (const char *[]){"--guest", "/guests/e2e-sea-b.elf", "--mem", "16M",
				    "--test-poison", "--policy", POLICY, "--journal", JOURNAL,
				    "--events", EVENTS, "--metrics", METRICS, NULL},
		   NULL, 60))
		return;
	expect_status(&r, 4, "journal run 2");
	expect_metrics(
		(const char *[]){"seawall_events_total{vm=\"seawall-vmm\",source=\"kvm_exit\"} 2",
				 "seawall_actions_total{vm=\"seawall-vmm\",action=\"stop\"} 1",
				 "seawall_outcomes_total{vm=\"seawall-vmm\",outcome=\"stopped\"} 1",
				 "seawall_distinct_pages{vm=\"seawall-vmm\"} 4", NULL});
	expect_vmm(&r, "seawall-vmm: journal " JOURNAL ": replayed 2 events and 0 restarts; 2 bad "
		       "pages known");
	expect_vmm(&r, "seawall-vmm: the recovery policy stopped the VM");
	expect_console_prefix(&r, "SW-ELF: sea 1 esr 0x96000210 far 0x80300048 sea_ticks ");
	tap_ok(!line_with_prefix(&r.console, "SW-ELF: sea 2 "), "journal run 2: no second SEA");
	expect_events(
		"journal run 2",
		(const char *[]){
			"vcpu=0 source=kvm_exit class=sea el=1 esr=0x92000210 page=0x80300000 "
			"actions=inject,replace reason=kernel_fault strategy=one_reg ioctls=11 "
			"outcome=injected distinct=3",
			"vcpu=0 source=kvm_exit class=sea el=1 esr=0x92000210 page=0x80301000 "
			"actions=inject,replace,stop reason=kernel_fault strategy=one_reg "
			"ioctls=11 outcome=stopped distinct=4",
		},
		2);
	vmm_run_free(&r);

	/* Control: the same guest without that history runs to the end. */
	unlink(JOURNAL);
	if (!start(&r, NULL,
		   (const char *[]){"--guest", "/guests/e2e-sea-b.elf", "--mem", "16M",
				    "--test-poison", "--policy", POLICY, "--journal", JOURNAL,
				    NULL},
		   NULL, 60))
		return;
	expect_status(&r, 0, "journal control");
	expect_console(&r, "SW-ELF: done 2 SEAs");
	vmm_run_free(&r);
}

void e2e_fence(void)
{
	static const char policy[] = "version = 1\nuser_fault = inject\ncontainment = fence\n";
	char want[2][512];
	struct vmm_run r;
	const char *page;

	if (!start(&r, policy, LINUX_ARGS("fence", "--policy", POLICY), NULL, L2_TIMEOUT))
		return;
	page = guest_page(&r, "victim");
	expect_status(&r, 0, "fence");
	expect_console(&r, "SW-L2: victim request status 0");
	/* The victim gets what arm64 Linux gives for an SEA in user mode: BUS_OBJERR. */
	expect_console(&r, "SW-L2: victim sigbus code 3 at the faulting address, lsb 0");
	/* Reusing the page, the guest kernel (EL1) touches it: SIGBUS from the host. */
	snprintf(want[0], sizeof(want[0]),
		 "vcpu=0 source=kvm_exit class=sea el=0 esr=0x92000210 page=%s "
		 "actions=inject,fence reason=user_fault strategy=one_reg ioctls=11 "
		 "outcome=injected distinct=1",
		 page);
	snprintf(want[1], sizeof(want[1]),
		 "vcpu=0 source=sigbus_ar class=none el=1 esr=null page=%s actions=restart "
		 "reason=kernel_fault strategy=null ioctls=1 outcome=restarted distinct=1",
		 page);
	expect_events("fence", (const char *[]){want[0], want[1]}, 2);
	tap_ok(!has_line(&r.console, "SW-L2: the guest kernel did not reuse the page"),
	       "fence: the guest kernel reused the page before the churn ended");
	expect_vmm(&r, "seawall-vmm: the recovery policy restarted the VM (boot 2)");
	expect_console_order(&r, "SW-L2: boot 2 cpus 2 test fence",
			     "SW-L2: back after the restart");
	expect_vmm(&r, "seawall-vmm: the guest powered off");
	vmm_run_free(&r);
}

void e2e_replace(void)
{
	static const char policy[] = "version = 1\nuser_fault = inject\ncontainment = replace\n";
	static const char *const labels[] = {"victim", "left", "right", "during-hold", "offlined"};
	char want[6][512], line[128];
	struct vmm_run r;
	long hold, sea, done;

	if (!start(&r, policy, LINUX_ARGS("replace", "--policy", POLICY), NULL, L2_TIMEOUT))
		return;
	expect_status(&r, 0, "replace");
	for (size_t i = 0; i < 5; i++) {
		snprintf(line, sizeof(line), "SW-L2: %s request status 0", labels[i]);
		expect_console(&r, line);
		snprintf(line, sizeof(line),
			 "SW-L2: %s sigbus code 3 at the faulting address, lsb 0", labels[i]);
		expect_console(&r, line);
	}
	expect_console(&r, "SW-L2: survived the reuse");
	expect_console(&r, "SW-L2: hold returned 0x484f4c44");
	expect_console(&r, "SW-L2: replace scenario done");
	/* vCPU 0's SEA was handled while vCPU 1 sat in its MMIO exit. */
	hold = find_line(&r.vmm,
			 "seawall-vmm: test-poison: vCPU 1: holding an MMIO read until "
			 "released",
			 0);
	snprintf(line, sizeof(line),
		 "seawall-vmm: vCPU 0: SEA kvm_exit data, page %s, guest EL0: user_fault -> "
		 "inject,replace: injected (one_reg)",
		 guest_page(&r, "during-hold"));
	sea = find_line(&r.vmm, line, 0);
	done = find_line(&r.vmm, "seawall-vmm: test-poison: vCPU 1: MMIO hold released", 0);
	tap_ok(hold >= 0 && sea > hold && done > sea,
	       "replace: the SEA on vCPU 0 came between vCPU 1's MMIO exit and its end");
	/*
	 * left (vCPU 0) and right (vCPU 1) race: the policy counts one of them
	 * as the second distinct page and the other as the third, and either
	 * may write its event line first.  Events 2 and 3 are those two.
	 */
	for (int combo = 0; combo < 4; combo++) {
		bool right_first = combo & 1, right_second_page = combo & 2;

		for (size_t i = 0; i < 4; i++) {
			size_t label = i, distinct = i + 1;

			if (i == 1 || i == 2) {
				bool right = (i == 1) == right_first;

				label = right ? 2 : 1;
				distinct = (right == right_second_page) ? 2 : 3;
			}
			snprintf(want[i], sizeof(want[i]),
				 "vcpu=%d source=kvm_exit class=sea el=0 esr=0x92000210 page=%s "
				 "actions=inject,replace reason=user_fault strategy=one_reg "
				 "ioctls=11 outcome=injected distinct=%zu",
				 label == 2 ? 1 : 0, guest_page(&r, labels[label]), distinct);
		}
		if (first_event_is(want[1], 2) && first_event_is(want[2], 3))
			break;
	}
	/*
	 * The host signals AO to the main thread while the guest goes on to
	 * touch the page (AR on vCPU 0): usually AO is handled first (fence,
	 * already done by the host), else AR replaces the page first and AO
	 * finds it known.
	 */
	snprintf(want[4], sizeof(want[4]),
		 "vcpu=null source=sigbus_ao class=none el=null esr=null page=%s actions=fence "
		 "reason=unconsumed strategy=null ioctls=0 outcome=contained distinct=5",
		 guest_page(&r, "offlined"));
	snprintf(want[5], sizeof(want[5]),
		 "vcpu=0 source=sigbus_ar class=none el=0 esr=null page=%s actions=inject,replace "
		 "reason=user_fault strategy=ext_dabt ioctls=2 outcome=injected distinct=5",
		 guest_page(&r, "offlined"));
	if (first_event_is(want[5], 5)) {
		strcpy(want[4], want[5]);
		snprintf(want[5], sizeof(want[5]),
			 "vcpu=null source=sigbus_ao class=none el=null esr=null page=%s "
			 "actions=log "
			 "reason=known_page strategy=null ioctls=0 outcome=logged distinct=5",
			 guest_page(&r, "offlined"));
	}
	expect_events("replace",
		      (const char *[]){want[0], want[1], want[2], want[3], want[4], want[5]}, 6);
	expect_vmm(&r, "seawall-vmm: bad pages: 0 handed off to the host, 0 fenced in memslot "
		       "holes, 5 replaced, 0 not contained");
	vmm_run_free(&r);
}

void e2e_kernel(void)
{
	char want[2][512], line[160];
	struct vmm_run r;

	/* The default policy: kernel_fault = restart. */
	unlink(JOURNAL);
	if (!start(&r, NULL, LINUX_ARGS("kernel", "--journal", JOURNAL), NULL, L2_TIMEOUT))
		return;
	expect_status(&r, 0, "kernel");
	expect_console(&r, "SW-L2: kernel-victim request status 0");
	/* write(2) never returns: the guest kernel took the SEA in copy_from_user. */
	tap_ok(!line_with_prefix(&r.console, "SW-L2: kernel-victim kernel read returned"),
	       "kernel: write(2) did not return");
	snprintf(want[0], sizeof(want[0]),
		 "vcpu=0 source=kvm_exit class=sea el=1 esr=0x92000210 page=%s actions=restart "
		 "reason=kernel_fault strategy=null ioctls=1 outcome=restarted distinct=1",
		 guest_page(&r, "kernel-victim"));
	/*
	 * A poisoned page table: the walk of an EL0 access takes an SEA at
	 * level 3 (FSC 0x17); KVM gives no guest physical address for it, so
	 * the policy restarts (unknown_page), and the VMM finds the table by
	 * walking the levels above it, so that the restart renews it.
	 */
	snprintf(want[1], sizeof(want[1]),
		 "vcpu=0 source=kvm_exit class=sea_ttw el=0 esr=0x92000217 page=null "
		 "actions=restart reason=unknown_page strategy=null ioctls=4 outcome=restarted "
		 "distinct=0");
	expect_events("kernel", (const char *[]){want[0], want[1]}, 2);
	expect_console(&r, "SW-L2: ptable request status 0");
	snprintf(line, sizeof(line),
		 "seawall-vmm: vCPU 0: the level 3 table of va 0x7e0000002048 is "
		 "page %s: marked bad",
		 line_with_prefix(&r.vmm, "seawall-vmm: test-poison: vCPU 0: the page table of va "
					  "0x7e0000000000 is at ")
			 ? strrchr(line_with_prefix(&r.vmm,
						    "seawall-vmm: test-poison: vCPU 0: the "
						    "page table of va 0x7e0000000000 is at "),
				   ' ') +
				   1
			 : "?");
	expect_vmm(&r, line);
	expect_vmm(&r, "seawall-vmm: the recovery policy restarted the VM (boot 2)");
	expect_vmm(&r, "seawall-vmm: the recovery policy restarted the VM (boot 3)");
	expect_console(&r, "SW-L2: third boot");
	expect_vmm(&r, "seawall-vmm: bad pages: 0 handed off to the host, 0 fenced in memslot "
		       "holes, 2 replaced, 0 not contained");
	vmm_run_free(&r);

	/* The journal kept both events and both restarts; the restarts renewed the pages. */
	if (!start(&r, NULL,
		   (const char *[]){"--guest", ELF_RESET, "--mem", "16M", "--journal", JOURNAL,
				    NULL},
		   NULL, 60))
		return;
	expect_status(&r, 0, "kernel journal");
	expect_vmm(&r, "seawall-vmm: journal " JOURNAL ": replayed 2 events and 2 restarts; 0 bad "
		       "pages known");
	vmm_run_free(&r);
}
