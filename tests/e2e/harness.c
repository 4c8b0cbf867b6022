/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static unsigned int tap_count, tap_failed;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void lines_add(struct lines *l, const char *s, size_t len)
{
	if (l->count == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->line = realloc(l->line, l->cap * sizeof(*l->line));
		if (!l->line)
			abort();
	}
	l->line[l->count] = strndup(s, len);
	if (!l->line[l->count])
		abort();
	l->count++;
}

/* A stream being split into lines. */
struct stream {
	int fd;
	char buf[4096];
	size_t len;
	struct lines *lines;
	const char *tag;
};

static void take_line(struct stream *s, size_t len, int stdin_fd, const struct reply *replies)
{
	char *line = s->buf;

	/* The guest's tty ends lines with CR LF. */
	while (len && (line[len - 1] == '\r'))
		len--;
	lines_add(s->lines, line, len);
	printf("# %s: %.*s\n", s->tag, (int)len, line);
	fflush(stdout);
	if (!replies || stdin_fd < 0)
		return;
	for (const struct reply *rp = replies; rp->marker; rp++) {
		if (!strncmp(line, rp->marker, strlen(rp->marker)) && len >= strlen(rp->marker)) {
			if (write(stdin_fd, rp->input, strlen(rp->input)) < 0)
				tap_diag("cannot write to the VMM's stdin: %s", strerror(errno));
		}
	}
}

/* Read what is there; returns false at end of file. */
static bool pump(struct stream *s, int stdin_fd, const struct reply *replies)
{
	ssize_t n = read(s->fd, s->buf + s->len, sizeof(s->buf) - s->len);
	char *nl;

	if (n < 0 && errno == EINTR)
		return true;
	if (n <= 0) {
		if (s->len)
			take_line(s, s->len, stdin_fd, replies);
		s->len = 0;
		return false;
	}
	s->len += n;
	while ((nl = memchr(s->buf, '\n', s->len))) {
		size_t used = nl - s->buf + 1;

		take_line(s, used - 1, stdin_fd, replies);
		memmove(s->buf, s->buf + used, s->len - used);
		s->len -= used;
	}
	if (s->len == sizeof(s->buf)) { /* a very long line: cut it */
		take_line(s, s->len, stdin_fd, replies);
		s->len = 0;
	}
	return true;
}

int run_vmm(struct vmm_run *r, const char *const *argv, const struct reply *replies, int timeout_s)
{
	int in[2], out[2], err[2];
	const char *args[64];
	size_t n = 0;
	pid_t pid;
	double start = now(), deadline = start + timeout_s;
	struct stream streams[2];
	bool open_[2] = {true, true}, timed_out = false;
	int wstatus;

	memset(r, 0, sizeof(*r));
	args[n++] = "seawall-vmm";
	while (argv[n - 1] && n < 63) {
		args[n] = argv[n - 1];
		n++;
	}
	args[n] = NULL;

	printf("# run: seawall-vmm");
	for (size_t i = 1; args[i]; i++)
		printf(" '%s'", args[i]);
	printf("\n");
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		execvp("seawall-vmm", (char *const *)args);
		fprintf(stderr, "cannot run seawall-vmm: %s\n", strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	streams[0] = (struct stream){.fd = out[0], .lines = &r->console, .tag = "console"};
	streams[1] = (struct stream){.fd = err[0], .lines = &r->vmm, .tag = "vmm"};

	while (open_[0] || open_[1]) {
		struct pollfd pfd[2];
		int left = (int)((deadline - now()) * 1000);

		if (left <= 0) {
			tap_diag("timeout after %d s: killing seawall-vmm", timeout_s);
			kill(pid, SIGKILL);
			timed_out = true;
			break;
		}
		for (int i = 0; i < 2; i++)
			pfd[i] = (struct pollfd){.fd = open_[i] ? streams[i].fd : -1,
						 .events = POLLIN};
		if (poll(pfd, 2, left) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++)
			if (open_[i] && (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				open_[i] = pump(&streams[i], in[1], replies);
	}
	close(in[1]);
	close(out[0]);
	close(err[0]);
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	r->seconds = now() - start;
	if (timed_out)
		r->status = -1;
	else if (WIFEXITED(wstatus))
		r->status = WEXITSTATUS(wstatus);
	else
		r->status = 128 + WTERMSIG(wstatus);
	tap_diag("seawall-vmm exited with status %d after %.1f s", r->status, r->seconds);
	return 0;
}

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->line[i]);
	free(l->line);
	memset(l, 0, sizeof(*l));
}

void vmm_run_free(struct vmm_run *r)
{
	lines_free(&r->console);
	lines_free(&r->vmm);
}

long find_line(const struct lines *l, const char *line, size_t from)
{
	for (size_t i = from; i < l->count; i++)
		if (!strcmp(l->line[i], line))
			return (long)i;
	return -1;
}

bool has_line(const struct lines *l, const char *line)
{
	return find_line(l, line, 0) >= 0;
}

size_t count_lines(const struct lines *l, const char *line)
{
	size_t n = 0;

	for (size_t i = 0; i < l->count; i++)
		n += !strcmp(l->line[i], line);
	return n;
}

size_t count_prefix(const struct lines *l, const char *prefix)
{
	size_t n = 0;

	for (size_t i = 0; i < l->count; i++)
		n += !strncmp(l->line[i], prefix, strlen(prefix));
	return n;
}

const char *line_with_prefix(const struct lines *l, const char *prefix)
{
	for (size_t i = 0; i < l->count; i++)
		if (!strncmp(l->line[i], prefix, strlen(prefix)))
			return l->line[i];
	return NULL;
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void tap_ok(bool ok, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	if (!ok)
		tap_failed++;
	printf("%sok %u - ", ok ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void tap_skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	printf("ok %u - ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", why);
	fflush(stdout);
}

int tap_done(void)
{
	printf("1..%u\n", tap_count);
	return tap_failed ? 1 : 0;
}

void expect_status(const struct vmm_run *r, int status, const char *what)
{
	tap_ok(r->status == status, "%s: seawall-vmm exits with status %d", what, status);
	if (r->status != status)
		tap_diag("got status %d", r->status);
}

void expect_console(const struct vmm_run *r, const char *line)
{
	tap_ok(has_line(&r->console, line), "console: \"%s\"", line);
}

void expect_vmm(const struct vmm_run *r, const char *line)
{
	tap_ok(has_line(&r->vmm, line), "stderr: \"%s\"", line);
}

void expect_console_order(const struct vmm_run *r, const char *first, const char *second)
{
	long a = find_line(&r->console, first, 0);
	long b = a >= 0 ? find_line(&r->console, second, a + 1) : -1;

	tap_ok(a >= 0 && b > a, "console: \"%s\" then \"%s\"", first, second);
}

void read_lines(const char *path, struct lines *out)
{
	char line[8192];
	FILE *f = fopen(path, "r");

	memset(out, 0, sizeof(*out));
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		lines_add(out, line, strcspn(line, "\n"));
	fclose(f);
}

void event_value(const char *json, const char *key, char *buf, size_t size)
{
	char pattern[64];
	const char *v;
	size_t n = 0;

	snprintf(pattern, sizeof(pattern), "\"%s\":", key);
	v = strstr(json, pattern);
	if (!v) {
		snprintf(buf, size, "?");
		return;
	}
	v += strlen(pattern);
	if (*v == '[') {
		for (v++; *v && *v != ']' && n + 1 < size; v++)
			if (*v != '"')
				buf[n++] = *v;
	} else {
		for (; *v && *v != ',' && *v != '}' && n + 1 < size; v++)
			if (*v != '"')
				buf[n++] = *v;
	}
	buf[n] = 0;
}

void event_summary(const char *json, char *buf, size_t size)
{
	static const char *const keys[][2] = {
		{"vcpu", "vcpu"},	{"source", "source"},	{"class", "class"},
		{"guest_el", "el"},	{"esr", "esr"},		{"page", "page"},
		{"actions", "actions"}, {"reason", "reason"},	{"strategy", "strategy"},
		{"ioctls", "ioctls"},	{"outcome", "outcome"}, {"distinct_pages", "distinct"},
	};
	size_t n = 0;

	buf[0] = 0;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) && n < size; i++) {
		char v[128];

		event_value(json, keys[i][0], v, sizeof(v));
		n += snprintf(buf + n, size - n, "%s%s=%s", i ? " " : "", keys[i][1], v);
	}
}

const char *guest_page(const struct vmm_run *r, const char *label)
{
	char prefix[64];
	const char *line;

	snprintf(prefix, sizeof(prefix), "SW-L2: %s page ", label);
	line = line_with_prefix(&r->console, prefix);
	return line ? line + strlen(prefix) : "?";
}

bool write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	bool ok = f && fputs(text, f) >= 0;

	if (f && fclose(f))
		ok = false;
	return ok;
}

long injector_count(void)
{
	volatile uint32_t *regs;
	long count;
	int fd = open("/dev/mem", O_RDWR | O_SYNC);

	if (fd < 0)
		return -1;
	/* The rig's injector (docs/rig.md): MAGIC at 0x00, COUNT at 0x20. */
	regs = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0x090c0000);
	close(fd);
	if (regs == MAP_FAILED)
		return -1;
	count = regs[0] == 0x50534e31 ? (long)regs[0x20 / 4] : -1;
	munmap((void *)regs, 4096);
	return count;
}
