/* SPDX-License-Identifier: MIT */
/*
 * sw-test-agent: seawall-agent against the real kernel, in the rig's L1.
 *
 * Plays the VMM's side of the channel over a pty (the same line discipline
 * a 16550 port gets), with the library's session, and checks that:
 *  - the agent says HELLO with our version and the page size, and
 *    tolerates garbage and partial lines before and after WELCOME;
 *  - a POISON for a victim process's page makes the kernel offline it
 *    (OFFLINED for exactly that page; HardwareCorrupted grows by 4 kB),
 *    and the victim's next load gets SIGBUS BUS_MCEERR_AR at the exact
 *    address with si_addr_lsb 12 — the bare-metal firmware-first signal;
 *  - a notification for two pages offlines both;
 *  - an agent killed mid-protocol and restarted says HELLO again, the
 *    session re-sends the unanswered notification and gets its answers;
 *  - a page that is poisoned already is reported OFFLINED, not FAILED.
 * Here "guest physical" is L1's physical address: the kernel code is the
 * same one a Linux guest runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pty.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <seawall/notify.h>

#define PAGE 4096ull

static int tap_n;
static int failed;

static void tap(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", ok ? "ok" : "not ok", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		failed = 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Physical address of a mapped, present page of this process. */
static uint64_t virt_to_phys(const void *va)
{
	uint64_t entry = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &entry, sizeof(entry), (off_t)((uintptr_t)va / PAGE * 8)) != 8)
		entry = 0;
	close(fd);
	if (!(entry & (1ull << 63)))
		return 0;
	return (entry & ((1ull << 55) - 1)) * PAGE;
}

static long hardware_corrupted_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "HardwareCorrupted: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* --- the victim: owns pages, touches one when told, reports its signal. --- */

struct victim_report {
	int signo, code;
	uint64_t addr;
	int lsb;
};

static sigjmp_buf victim_jmp;
static struct victim_report victim_seen;

static void victim_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	victim_seen = (struct victim_report){ sig, si->si_code, (uintptr_t)si->si_addr,
					      si->si_addr_lsb };
	siglongjmp(victim_jmp, 1);
}

struct victim {
	pid_t pid;
	int cmd, rep;
	uint64_t va, pa[2];
};

static int victim_start(struct victim *v)
{
	int to_child[2], to_parent[2];

	if (pipe(to_child) || pipe(to_parent))
		return -errno;
	v->pid = fork();
	if (v->pid == 0) {
		struct sigaction sa = { .sa_sigaction = victim_sigbus, .sa_flags = SA_SIGINFO };
		volatile char *mem = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint64_t info[3];
		uint64_t off;

		close(to_child[1]);
		close(to_parent[0]);
		sigaction(SIGBUS, &sa, NULL);
		memset((void *)mem, 0x5a, 2 * PAGE);
		info[0] = (uintptr_t)mem;
		info[1] = virt_to_phys((void *)mem);
		info[2] = virt_to_phys((void *)(mem + PAGE));
		if (write(to_parent[1], info, sizeof(info)) != sizeof(info))
			_exit(1);
		/* Each command is an offset to load from; the answer what happened. */
		while (read(to_child[0], &off, sizeof(off)) == sizeof(off)) {
			victim_seen = (struct victim_report){ 0 };
			if (!sigsetjmp(victim_jmp, 1))
				victim_seen.code = mem[off] == 0x5a ? -1 : -2;
			if (write(to_parent[1], &victim_seen, sizeof(victim_seen)) !=
			    sizeof(victim_seen))
				_exit(1);
		}
		_exit(0);
	}
	close(to_child[0]);
	close(to_parent[1]);
	v->cmd = to_child[1];
	v->rep = to_parent[0];
	{
		uint64_t info[3];

		if (read(v->rep, info, sizeof(info)) != sizeof(info))
			return -EIO;
		v->va = info[0];
		v->pa[0] = info[1];
		v->pa[1] = info[2];
	}
	return 0;
}

static struct victim_report victim_touch(struct victim *v, uint64_t off)
{
	struct victim_report r = { .code = -3 };

	if (write(v->cmd, &off, sizeof(off)) != sizeof(off) ||
	    read(v->rep, &r, sizeof(r)) != sizeof(r))
		r.code = -3;
	return r;
}

/* --- the VMM side: the library's session over the pty master. --- */

struct vmm {
	int master;
	char slave[64];
	struct sw_notify_session s;
	pid_t agent;
};

static void vmm_send(const char *line, size_t len, void *arg)
{
	struct vmm *m = arg;

	if (write(m->master, line, len) != (ssize_t)len)
		tap(false, "write to the agent's port");
}

static void agent_start(struct vmm *m)
{
	m->agent = fork();
	if (m->agent == 0) {
		execl("/bin/seawall-agent", "seawall-agent", "--port", m->slave, (char *)NULL);
		_exit(127);
	}
}

static void agent_kill(struct vmm *m)
{
	kill(m->agent, SIGKILL);
	waitpid(m->agent, NULL, 0);
}

/* Pump the channel until @done returns true or @ms pass; false on timeout. */
static bool pump(struct vmm *m, bool (*done)(struct vmm *, void *), void *arg, int ms)
{
	uint64_t end = now_ns() + (uint64_t)ms * 1000000ull;

	while (!done(m, arg)) {
		struct pollfd pfd = { .fd = m->master, .events = POLLIN };
		char buf[256];
		ssize_t n;
		int left = (int)((end - now_ns()) / 1000000ull);

		if (now_ns() >= end)
			return false;
		if (poll(&pfd, 1, left) <= 0)
			continue;
		n = read(m->master, buf, sizeof(buf));
		if (n > 0)
			sw_notify_session_feed(&m->s, buf, (size_t)n, now_ns(), vmm_send, m);
	}
	return true;
}

static bool hellos_at_least(struct vmm *m, void *arg)
{
	return m->s.hellos >= *(uint64_t *)arg && m->s.connected;
}

static bool settled(struct vmm *m, void *arg)
{
	return sw_notify_session_state(&m->s, *(uint64_t *)arg, NULL) != SW_NOTIFY_PENDING;
}

static bool beat_seen(struct vmm *m, void *arg)
{
	(void)arg;
	return m->s.beats > 0;
}

int main(void)
{
	struct vmm m = { 0 };
	struct victim v;
	struct sw_notify_pending p;
	struct victim_report r;
	char line[SW_NOTIFY_LINE_MAX];
	enum sw_notify_state st;
	uint64_t want = 1;
	long hc0, hc1;
	int slave, n;

	printf("1..14\n");
	sw_notify_session_init(&m.s);
	if (openpty(&m.master, &slave, m.slave, NULL, NULL)) {
		printf("Bail out! openpty: %s\n", strerror(errno));
		return 1;
	}
	{
		/* Raw master side too, so lines arrive as written. */
		struct termios t;

		tcgetattr(slave, &t);
		cfmakeraw(&t);
		tcsetattr(slave, TCSANOW, &t);
	}
	if (victim_start(&v) || !v.pa[0] || !v.pa[1]) {
		printf("Bail out! victim setup failed (pagemap needs root)\n");
		return 1;
	}

	/* Garbage on the line before the agent even starts. */
	vmm_send("\x01\x02garbage\nWELC", 14, &m);
	agent_start(&m);
	tap(pump(&m, hellos_at_least, &want, 5000), "the agent says HELLO and the session answers WELCOME");
	tap(m.s.version == SW_NOTIFY_VERSION && m.s.page_size == PAGE,
	    "HELLO carries version %u and page size %" PRIu64, m.s.version, m.s.page_size);
	tap(pump(&m, beat_seen, NULL, 3 * SW_NOTIFY_BEAT_MS), "a heartbeat arrives within %d ms",
	    3 * SW_NOTIFY_BEAT_MS);

	/* A partial line, then garbage, then the notification itself. */
	hc0 = hardware_corrupted_kb();
	vmm_send("POI", 3, &m);
	vmm_send("\nnonsense here\n", 15, &m);
	n = sw_notify_session_poison(&m.s, v.pa[0], 1, now_ns(), line, sizeof(line), &st);
	tap(n > 0 && st == SW_NOTIFY_PENDING, "a notification for the victim's page 0x%" PRIx64,
	    v.pa[0]);
	vmm_send(line, (size_t)n, &m);
	tap(pump(&m, settled, &v.pa[0], 10000) &&
		    sw_notify_session_state(&m.s, v.pa[0], &p) == SW_NOTIFY_DONE && p.offlined == 1,
	    "the agent answers OFFLINED for it");
	hc1 = hardware_corrupted_kb();
	tap(hc1 - hc0 == 4, "HardwareCorrupted grew by 4 kB (%ld -> %ld)", hc0, hc1);

	r = victim_touch(&v, 0x48);
	tap(r.signo == SIGBUS && r.code == BUS_MCEERR_AR && r.addr == v.va + 0x48 && r.lsb == 12,
	    "the victim's load gets SIGBUS BUS_MCEERR_AR at 0x%" PRIx64 " lsb 12 (got signal %d code %d addr 0x%" PRIx64 " lsb %d)",
	    v.va + 0x48, r.signo, r.code, r.addr, r.lsb);
	r = victim_touch(&v, PAGE + 8);
	tap(r.signo == 0 && r.code == -1, "the victim's other page is untouched");

	/* Restart mid-protocol: kill the agent before it sees the notification. */
	agent_kill(&m);
	n = sw_notify_session_poison(&m.s, v.pa[1], 1, now_ns(), line, sizeof(line), &st);
	tap(n > 0, "a second notification while the agent is dead");
	/* The new agent may read it before WELCOME: it must ignore it. */
	vmm_send(line, (size_t)n, &m);
	want = 2;
	agent_start(&m);
	tap(pump(&m, hellos_at_least, &want, 5000) && m.s.hellos == 2,
	    "the restarted agent says HELLO again");
	tap(pump(&m, settled, &v.pa[1], 10000) &&
		    sw_notify_session_state(&m.s, v.pa[1], NULL) == SW_NOTIFY_DONE,
	    "the session re-sent the unanswered notification and it was offlined");
	r = victim_touch(&v, PAGE);
	tap(r.signo == SIGBUS && r.code == BUS_MCEERR_AR && r.addr == v.va + PAGE,
	    "the victim's second page now gets BUS_MCEERR_AR too");

	/* The first page again: poisoned already, so OFFLINED, not FAILED. */
	sw_notify_session_forget(&m.s, v.pa[0]);
	n = sw_notify_session_poison(&m.s, v.pa[0], 1, now_ns(), line, sizeof(line), &st);
	vmm_send(line, (size_t)n, &m);
	tap(pump(&m, settled, &v.pa[0], 10000) &&
		    sw_notify_session_state(&m.s, v.pa[0], NULL) == SW_NOTIFY_DONE,
	    "a page that is poisoned already is reported OFFLINED");
	tap(m.s.garbage == 0, "the agent sent nothing the session could not parse (%" PRIu64 " bad lines)",
	    m.s.garbage);

	agent_kill(&m);
	close(v.cmd);
	waitpid(v.pid, NULL, 0);
	return failed;
}
