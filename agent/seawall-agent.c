/* SPDX-License-Identifier: MIT */
/*
 * seawall-agent: the guest side of seawall's notification channel.
 *
 * Run as root in a Linux guest.  It says HELLO on the channel (a 16550
 * port the VMM dedicates to it, /dev/ttyS1 by default), then for every
 * POISON notification makes the guest kernel take each page out of
 * service and answers OFFLINED or FAILED for each.  It blocks in poll():
 * the port is interrupt driven, and the only timer is the heartbeat.
 * Protocol: include/seawall/notify.h, docs/agent.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <seawall/notify.h>
#include <seawall/version.h>

#include "offline.h"

struct agent {
	int fd;
	int kmsg;
	uint64_t page_size;
	bool welcomed;
	uint64_t beat;
	struct offline_paths paths;
	struct sw_notify_reader reader;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Log to the kernel log, so the guest's dmesg shows what the agent did. */
static void agent_log(struct agent *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void agent_log(struct agent *a, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	int n;

	n = snprintf(msg, sizeof(msg), "<6>seawall-agent: ");
	va_start(ap, fmt);
	n += vsnprintf(msg + n, sizeof(msg) - 1 - (size_t)n, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(msg) - 1)
		n = sizeof(msg) - 2;
	/*
	 * A record without its newline is a continuation to the kernel: it
	 * would not show in the log until the agent's next message.
	 */
	msg[n++] = '\n';
	if (a->kmsg < 0 || write(a->kmsg, msg, (size_t)n) < 0)
		fprintf(stderr, "%.*s", n - 3, msg + 3);
}

static int send_msg(struct agent *a, const struct sw_notify_msg *m)
{
	char line[SW_NOTIFY_LINE_MAX];
	int n = sw_notify_format(m, line, sizeof(line));

	if (n < 0 || n >= (int)sizeof(line))
		return -EINVAL;
	for (int off = 0; off < n;) {
		ssize_t w = write(a->fd, line + off, (size_t)(n - off));

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		off += (int)w;
	}
	return 0;
}

static void hello(struct agent *a)
{
	struct sw_notify_msg m = {
		.type = SW_NOTIFY_HELLO,
		.version = SW_NOTIFY_VERSION,
		.page_size = a->page_size,
	};

	send_msg(a, &m);
}

static void handle_poison(struct agent *a, const struct sw_notify_msg *p)
{
	unsigned offlined = 0;

	for (uint32_t i = 0; i < p->npages; i++) {
		uint64_t pa = p->gpa + i * a->page_size;
		const char *why = offline_page(&a->paths, pa, a->page_size);
		struct sw_notify_msg r = {.seq = p->seq, .gpa = pa};

		if (!why) {
			r.type = SW_NOTIFY_OFFLINED;
			offlined++;
		} else {
			r.type = SW_NOTIFY_FAILED;
			snprintf(r.reason, sizeof(r.reason), "%s", why);
			agent_log(a,
				  "page 0x%" PRIx64 " (notification %" PRIu64 ") not offlined: %s",
				  pa, p->seq, why);
		}
		send_msg(a, &r);
	}
	agent_log(a,
		  "notification %" PRIu64 ": %u of %" PRIu32 " pages from 0x%" PRIx64 " offlined",
		  p->seq, offlined, p->npages, p->gpa);
}

static void on_line(const char *line, size_t len, void *arg)
{
	struct agent *a = arg;
	struct sw_notify_msg m;
	const char *why;

	if (sw_notify_parse(line, len, &m, &why)) {
		agent_log(a, "ignoring a malformed line (%s)", why);
		return;
	}
	switch (m.type) {
	case SW_NOTIFY_WELCOME:
		if (m.version != SW_NOTIFY_VERSION) {
			agent_log(a, "the VMM speaks version %" PRIu32 ", we speak %d", m.version,
				  SW_NOTIFY_VERSION);
			return;
		}
		if (!a->welcomed)
			agent_log(a, "connected (protocol %d, page size %" PRIu64 ")",
				  SW_NOTIFY_VERSION, a->page_size);
		a->welcomed = true;
		break;
	case SW_NOTIFY_POISON:
		if (!a->welcomed) {
			agent_log(a, "POISON before WELCOME ignored");
			return;
		}
		if (m.gpa % a->page_size) {
			struct sw_notify_msg r = {.type = SW_NOTIFY_FAILED,
						  .seq = m.seq,
						  .gpa = m.gpa,
						  .reason = "invalid"};
			send_msg(a, &r);
			return;
		}
		handle_poison(a, &m);
		break;
	default:
		agent_log(a, "ignoring a message meant for the VMM");
		break;
	}
}

static int open_port(const char *path)
{
	struct termios t;
	int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	/* Raw bytes both ways: no echo, no line editing, no CR/LF mangling. */
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		tcsetattr(fd, TCSANOW, &t);
	}
	return fd;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: seawall-agent [--port DEV] [--offline-file PATH] [--kpageflags PATH]\n"
		   "\n"
		   "Takes the guest pages the VMM reports as poisoned out of service.\n"
		   "  --port DEV           the notification port (default /dev/ttyS1)\n"
		   "  --offline-file PATH  default /sys/devices/system/memory/hard_offline_page\n"
		   "  --kpageflags PATH    default /proc/kpageflags\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"port", required_argument, NULL, 'p'},
		{"offline-file", required_argument, NULL, 'o'},
		{"kpageflags", required_argument, NULL, 'k'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct agent a = {
		.paths = {"/sys/devices/system/memory/hard_offline_page", "/proc/kpageflags"},
	};
	const char *port = "/dev/ttyS1";
	struct sigaction sa = {.sa_handler = on_signal};
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			port = optarg;
			break;
		case 'o':
			a.paths.hard_offline = optarg;
			break;
		case 'k':
			a.paths.kpageflags = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("seawall-agent %s\n", SW_VERSION_STRING);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	a.page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	a.kmsg = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	a.fd = open_port(port);
	if (a.fd < 0) {
		fprintf(stderr,
			"seawall-agent: cannot open %s: %s (is the VMM's notification port "
			"there?)\n",
			port, strerror(-a.fd));
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sw_notify_reader_init(&a.reader);
	agent_log(&a, "started on %s", port);
	hello(&a);

	while (!stop) {
		struct pollfd pfd = {.fd = a.fd, .events = POLLIN};
		char buf[256];
		int r = poll(&pfd, 1, SW_NOTIFY_BEAT_MS);
		ssize_t n;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			agent_log(&a, "poll: %s", strerror(errno));
			return 1;
		}
		if (r == 0) {
			/* Until the VMM answers, say hello again instead of beating. */
			if (!a.welcomed) {
				hello(&a);
			} else {
				struct sw_notify_msg m = {.type = SW_NOTIFY_BEAT, .seq = ++a.beat};
				send_msg(&a, &m);
			}
			continue;
		}
		n = read(a.fd, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			agent_log(&a, "port closed");
			return 1;
		}
		sw_notify_reader_feed(&a.reader, buf, (size_t)n, on_line, &a);
	}
	agent_log(&a, "stopping");
	return 0;
}
