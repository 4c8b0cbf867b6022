/* SPDX-License-Identifier: MIT */
/*
 * swg: the L2 guest's test tool for the end-to-end tests (static arm64,
 * in the L2 initramfs as /e2e/swg).  It asks seawall-vmm, through the
 * TEST ONLY poison page that --test-poison adds (vmm/testdev.h), to make
 * one of its own pages bad, consumes the page as told, and reports what
 * the guest kernel did to it in "SW-L2: " console lines.
 *
 *   swg poison LABEL [--cpu N] [--cmd poison|offline] [--access load|store|kernel|none]
 *                    [--wait-file F] [--while-held] [--host-page BYTES]
 *                    (--while-held: consume only once another vCPU is held in
 *                    an MMIO exit by swg hold, and release it afterwards;
 *                    --host-page: take a page whose whole host page of BYTES,
 *                    as the VMM contains it, is ours, one page into it;
 *                    either way a page swg has not made bad before in this
 *                    boot, see used())
 *   swg ptable LABEL [--cpu N] [--cmd poison|offline] [--wait-file F]
 *                                  poison (or offline in the host) the page that
 *                                  holds a page table of ours, then use it
 *   swg churn MIB ROUNDS [--cpu N] allocate, touch and free MIB MiB, ROUNDS times
 *   swg hold MS [--cpu N]          keep this vCPU in an MMIO exit until released
 *                                  (by swg poison --while-held), at most MS ms
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define TESTDEV_BASE	   0x09010000UL
#define TESTDEV_MAGIC	   0x50545753
#define REG_MAGIC	   0x00
#define REG_REQUEST	   0x08
#define REG_STATUS	   0x10
#define REG_HOLD	   0x18
#define REG_HOLDERS	   0x1c
#define CMD_POISON	   1
#define CMD_OFFLINE	   2
#define CMD_PTABLE	   3
#define CMD_PTABLE_OFFLINE 4
#define PAGE		   4096UL
#define OFFSET		   0x48		   /* where in the page the access lands */
#define POOL_PAGES	   1024		   /* where --host-page looks for a host page of its own */
#define FRESH_PAGES	   16		   /* where a victim looks for a page not poisoned before */
#define USED_FILE	   "/tmp/swg-used" /* the pages swg made bad in this boot */

static volatile uint8_t *testdev;
static sigjmp_buf jump;
static volatile sig_atomic_t got_code, got_lsb;
static void *volatile got_addr;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	printf("SW-L2: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static void die(const char *what)
{
	say("swg: %s: %s", what, strerror(errno));
	exit(1);
}

static void pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

static void open_testdev(void)
{
	int fd = open("/dev/mem", O_RDWR | O_SYNC);

	if (fd < 0)
		die("open /dev/mem");
	testdev = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, TESTDEV_BASE);
	if (testdev == MAP_FAILED)
		die("mmap the test-poison page");
	if (*(volatile uint32_t *)(testdev + REG_MAGIC) != TESTDEV_MAGIC) {
		say("swg: no test-poison page (start seawall-vmm with --test-poison)");
		exit(1);
	}
}

/* One 64-bit store: address and command together (vmm/testdev.h). */
static uint32_t request(uint64_t addr, unsigned int cmd)
{
	*(volatile uint64_t *)(testdev + REG_REQUEST) = addr | cmd;
	return *(volatile uint32_t *)(testdev + REG_STATUS);
}

static uint64_t gpa_of(void *va)
{
	uint64_t entry;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0 || pread(fd, &entry, 8, ((uintptr_t)va / PAGE) * 8) != 8)
		die("pagemap");
	close(fd);
	if (!(entry >> 63))
		return 0;
	return (entry & ((1ULL << 55) - 1)) * PAGE;
}

/*
 * The guest reuses a replaced page (fresh memory, same address) as soon as
 * its victim is dead, and the VMM rightly treats a second error there as
 * one more on a known page.  The scenarios want each victim on a page of
 * its own, so swg remembers, per boot, every page it made bad and never
 * picks one of them again.  O_APPEND keeps concurrent writers whole.
 */
static bool used(uint64_t gpa, uint64_t len)
{
	unsigned long long u;
	bool hit = false;
	FILE *f = fopen(USED_FILE, "r");

	while (f && !hit && fscanf(f, "%llx", &u) == 1)
		hit = u >= gpa && u < gpa + len;
	if (f)
		fclose(f);
	return hit;
}

static void mark_used(uint64_t gpa)
{
	char line[32];
	int fd = open(USED_FILE, O_WRONLY | O_APPEND | O_CREAT, 0644);
	int n = snprintf(line, sizeof(line), "%llx\n", (unsigned long long)gpa);

	if (fd < 0 || write(fd, line, (size_t)n) != n)
		die(USED_FILE);
	close(fd);
}

/*
 * @pages pages of ours, touched, so that each has its guest page.  Pages
 * of 4 KiB: a huge page would be split when the agent offlines a part of
 * it.  The pool stays mapped until the process exits: the pages passed
 * over stay ours, not handed to someone else meanwhile.
 */
static uint8_t *pool_of(size_t pages)
{
	uint8_t *pool = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (pool == MAP_FAILED)
		die("mmap");
	madvise(pool, pages * PAGE, MADV_NOHUGEPAGE);
	memset(pool, 0x5a, pages * PAGE);
	return pool;
}

/* A page of ours never made bad before in this boot (see used()). */
static volatile uint8_t *fresh_page(void)
{
	uint8_t *pool = pool_of(FRESH_PAGES);

	for (size_t i = 0; i < FRESH_PAGES; i++) {
		uint64_t gpa = gpa_of(pool + i * PAGE);

		if (gpa && !used(gpa, PAGE))
			return pool + i * PAGE;
	}
	return NULL;
}

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got_code = si->si_code;
	got_addr = si->si_addr;
	got_lsb = si->si_addr_lsb;
	siglongjmp(jump, 1);
}

static void catch_sigbus(void)
{
	struct sigaction sa = {.sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO};

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
}

static void report_sigbus(const char *label, void *expected)
{
	if (got_addr == expected)
		say("%s sigbus code %d at the faulting address, lsb %d", label, (int)got_code,
		    (int)got_lsb);
	else
		say("%s sigbus code %d at %p (faulting address %p), lsb %d", label, (int)got_code,
		    got_addr, expected, (int)got_lsb);
}

static void wait_file(const char *path)
{
	while (path && access(path, F_OK))
		usleep(1000);
}

/* Access the poisoned page as told; report the SIGBUS if one comes. */
static void consume(const char *label, volatile uint8_t *page, const char *how)
{
	catch_sigbus();
	if (sigsetjmp(jump, 1)) {
		report_sigbus(label, (void *)(page + OFFSET));
		return;
	}
	if (!strcmp(how, "load")) {
		uint64_t v = *(volatile uint64_t *)(page + OFFSET);

		say("%s read 0x%llx", label, (unsigned long long)v);
	} else if (!strcmp(how, "store")) {
		*(volatile uint64_t *)(page + OFFSET) = 1;
		say("%s stored", label);
	} else if (!strcmp(how, "kernel")) {
		int fds[2];
		ssize_t n;

		/* The guest kernel reads the page for us (copy_from_user). */
		if (pipe(fds))
			die("pipe");
		n = write(fds[1], (void *)page, PAGE);
		say("%s kernel read returned %zd (%s)", label, n, n < 0 ? strerror(errno) : "ok");
	}
}

/*
 * A page of ours whose whole host page (@host_page bytes of guest physical
 * memory, aligned: what the VMM contains and the agent offlines) holds
 * only pages of ours, so that the agent takes nobody else's memory with
 * it.  Returns the page one guest page into that host page (so the page
 * the VMM names differs from the victim's), or NULL if the pool has no
 * such host page; *@host_gpa is the host page.  The pool stays mapped
 * until the process exits: its other pages must stay ours.
 */
static volatile uint8_t *own_host_page(uint64_t host_page, uint64_t *host_gpa)
{
	size_t n = host_page / PAGE, found;
	uint64_t gpa[POOL_PAGES];
	uint8_t *pool = pool_of(POOL_PAGES);

	for (size_t i = 0; i < POOL_PAGES; i++)
		gpa[i] = gpa_of(pool + i * PAGE);
	for (size_t i = 0; i < POOL_PAGES; i++) {
		size_t victim = i;

		if (!gpa[i] || gpa[i] % host_page || used(gpa[i], host_page))
			continue;
		found = 0;
		for (size_t j = 0; j < POOL_PAGES; j++) {
			if (gpa[j] >= gpa[i] && gpa[j] < gpa[i] + host_page)
				found++;
			if (n > 1 && gpa[j] == gpa[i] + PAGE)
				victim = j;
		}
		if (found == n) {
			*host_gpa = gpa[i];
			return pool + victim * PAGE;
		}
	}
	return NULL;
}

static int cmd_poison(const char *label, int argc, char **argv)
{
	const char *cmd = "poison", *access_ = "load", *wait = NULL;
	uint64_t host_page = 0, host_gpa;
	volatile uint8_t *page;
	bool held = false;
	uint32_t status;
	int cpu = -1;

	for (int i = 0; i < argc; i += 2) {
		if (!strcmp(argv[i], "--while-held")) {
			held = true;
			i--;
		} else if (i + 1 >= argc) {
			break;
		} else if (!strcmp(argv[i], "--cpu"))
			cpu = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--cmd"))
			cmd = argv[i + 1];
		else if (!strcmp(argv[i], "--access"))
			access_ = argv[i + 1];
		else if (!strcmp(argv[i], "--wait-file"))
			wait = argv[i + 1];
		else if (!strcmp(argv[i], "--host-page"))
			host_page = strtoull(argv[i + 1], NULL, 0);
	}
	pin(cpu);
	open_testdev();
	if (host_page) {
		page = own_host_page(host_page, &host_gpa);
		if (!page) {
			say("%s no host page of %llu bytes is all ours", label,
			    (unsigned long long)host_page);
			return 1;
		}
		say("%s host page 0x%llx: %llu pages, all ours", label,
		    (unsigned long long)host_gpa, (unsigned long long)(host_page / PAGE));
	} else if (!(page = fresh_page())) {
		say("%s no page of %d is new to swg", label, FRESH_PAGES);
		return 1;
	}
	say("%s page 0x%llx", label, (unsigned long long)gpa_of((void *)page));
	mark_used(gpa_of((void *)page));
	status = request(gpa_of((void *)page), strcmp(cmd, "offline") ? CMD_POISON : CMD_OFFLINE);
	say("%s request status %u", label, status);
	wait_file(wait);
	while (held && !*(volatile uint32_t *)(testdev + REG_HOLDERS))
		usleep(1000);
	consume(label, page, access_);
	if (held)
		*(volatile uint32_t *)(testdev + REG_HOLDERS) = 1;
	return 0;
}

static int cmd_ptable(const char *label, int argc, char **argv)
{
	const char *cmd = "poison", *wait = NULL;
	volatile uint8_t *region;
	uint32_t status;
	int cpu = -1;

	for (int i = 0; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--cpu"))
			cpu = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--cmd"))
			cmd = argv[i + 1];
		else if (!strcmp(argv[i], "--wait-file"))
			wait = argv[i + 1];
	}
	pin(cpu);
	open_testdev();
	/* A 2 MiB-aligned stretch of its own gets a last-level table of its own. */
	region = mmap((void *)0x7e0000000000UL, 2UL << 20, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (region == MAP_FAILED)
		die("mmap");
	/* 4 KiB pages, so that a last-level table maps them (no 2 MiB block). */
	madvise((void *)region, 2UL << 20, MADV_NOHUGEPAGE);
	region[0] = 1;
	status = request((uintptr_t)region,
			 strcmp(cmd, "offline") ? CMD_PTABLE : CMD_PTABLE_OFFLINE);
	say("%s request status %u", label, status);
	wait_file(wait);
	catch_sigbus();
	if (sigsetjmp(jump, 1)) {
		report_sigbus(label, (void *)(region + 2 * PAGE + OFFSET));
		return 0;
	}
	/* Never touched: translating it makes the walker read the poisoned table. */
	say("%s read 0x%x", label, region[2 * PAGE + OFFSET]);
	return 0;
}

static int cmd_churn(int argc, char **argv)
{
	size_t size = (size_t)atoi(argv[0]) << 20;
	int rounds = atoi(argv[1]);

	pin(argc >= 4 && !strcmp(argv[2], "--cpu") ? atoi(argv[3]) : -1);
	for (int r = 0; r < rounds; r++) {
		uint8_t *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				  -1, 0);

		if (p == MAP_FAILED)
			die("mmap");
		/* Each first touch has the kernel clear a page it takes from its free lists. */
		for (size_t off = 0; off < size; off += PAGE)
			p[off] = 1;
		munmap(p, size);
	}
	say("churn %zu MiB x %d done", size >> 20, rounds);
	return 0;
}

static int cmd_hold(int argc, char **argv)
{
	uint32_t ms = atoi(argv[0]), v;

	pin(argc >= 3 && !strcmp(argv[1], "--cpu") ? atoi(argv[2]) : -1);
	open_testdev();
	*(volatile uint32_t *)(testdev + REG_HOLD) = ms;
	say("hold %u ms on cpu %d", ms, sched_getcpu());
	v = *(volatile uint32_t *)(testdev + REG_HOLD);
	say("hold returned 0x%x", v);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "poison"))
		return cmd_poison(argv[2], argc - 3, argv + 3);
	if (argc >= 3 && !strcmp(argv[1], "ptable"))
		return cmd_ptable(argv[2], argc - 3, argv + 3);
	if (argc >= 4 && !strcmp(argv[1], "churn"))
		return cmd_churn(argc - 2, argv + 2);
	if (argc >= 3 && !strcmp(argv[1], "hold"))
		return cmd_hold(argc - 2, argv + 2);
	fprintf(stderr, "usage: swg poison|ptable LABEL [options] | churn MIB ROUNDS | hold MS\n");
	return 2;
}
