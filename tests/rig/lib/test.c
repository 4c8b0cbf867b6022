// SPDX-License-Identifier: MIT
/*
 * The rig test harness: TAP output, one forked child per case with an
 * alarm, and the clean-up path every early exit takes.
 *
 * Child exit status: 0 pass, 1 fail, 77 skip (the liburing and kselftest
 * convention).  A child killed by a signal is a failure, reported with
 * the signal.
 */
#include "test.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define CASE_TIMEOUT 180 /* seconds; nested KVM under TCG is slow, but not this slow */
#define EXIT_SKIP    77

/* The skip reason travels from the child to the parent in shared memory. */
static char *skip_reason;
static void (*cleanups[4])(void);
static int ncleanups;
static volatile pid_t running_child;

void rig_atexit(void (*fn)(void))
{
	for (int i = 0; i < ncleanups; i++) {
		if (cleanups[i] == fn)
			return;
	}
	if (ncleanups < (int)(sizeof(cleanups) / sizeof(cleanups[0])))
		cleanups[ncleanups++] = fn;
}

void rig_cleanup(void)
{
	while (ncleanups > 0)
		cleanups[--ncleanups]();
}

void rig_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

void rig_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;

	printf("# %s:%d: %s: ", file, line, cond);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	rig_cleanup();
	_exit(1);
}

void rig_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(skip_reason, 256, fmt, ap);
	va_end(ap);
	rig_cleanup();
	_exit(EXIT_SKIP);
}

/* In a case process: a crash or the alarm still unpoisons what it poisoned. */
static void case_signal(int sig)
{
	static const char msg[] = "# case process: fatal signal, cleaning up\n";

	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing more to do */
	}
	rig_cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* In the parent: a runner's SIGTERM reaches the case too, so it can clean up. */
static void parent_signal(int sig)
{
	if (running_child > 0)
		kill(running_child, SIGTERM);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Read all of fd into a growing buffer (the case's diagnostics). */
static char *slurp(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t r;

	if (!buf)
		return NULL;
	for (;;) {
		if (len + 1 == cap) {
			char *bigger = realloc(buf, cap * 2);

			if (!bigger)
				break;
			buf = bigger;
			cap *= 2;
		}
		r = read(fd, buf + len, cap - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	buf[len] = '\0';
	return buf;
}

/*
 * Run one case in a child whose output the parent collects, so that its
 * diagnostics can follow the result line (where tests/run looks for them).
 */
static int run_case(const struct rig_case *c, char **output, int *signo)
{
	int status, fds[2];
	pid_t pid;

	skip_reason[0] = '\0';
	*output = NULL;
	*signo = 0;
	fflush(stdout);
	if (pipe(fds) < 0) {
		printf("# pipe: %s\n", strerror(errno));
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		printf("# fork: %s\n", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return 1;
	}
	if (pid == 0) {
		static const int sigs[] = {SIGSEGV, SIGBUS, SIGABRT, SIGALRM,
					   SIGTERM, SIGILL, SIGFPE};

		close(fds[0]);
		dup2(fds[1], STDOUT_FILENO);
		close(fds[1]);
		for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			signal(sigs[i], case_signal);
		alarm(CASE_TIMEOUT);
		c->fn(c->arg);
		rig_cleanup();
		fflush(stdout);
		_exit(0);
	}
	running_child = pid;
	close(fds[1]);
	*output = slurp(fds[0]);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			printf("# waitpid: %s\n", strerror(errno));
			return 1;
		}
	}
	running_child = 0;
	if (WIFSIGNALED(status)) {
		*signo = WTERMSIG(status);
		return 1;
	}
	return WEXITSTATUS(status);
}

int rig_test_main(const struct rig_case *cases, size_t n)
{
	int failed = 0;

	skip_reason = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (skip_reason == MAP_FAILED) {
		printf("Bail out! mmap: %s\n", strerror(errno));
		return 1;
	}
	signal(SIGTERM, parent_signal);
	signal(SIGINT, parent_signal);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		char *output;
		int signo;
		int r = run_case(&cases[i], &output, &signo);

		if (r == 0) {
			printf("ok %zu - %s\n", i + 1, cases[i].name);
		} else if (r == EXIT_SKIP) {
			printf("ok %zu - %s # SKIP %s\n", i + 1, cases[i].name, skip_reason);
		} else {
			printf("not ok %zu - %s\n", i + 1, cases[i].name);
			failed++;
		}
		if (output)
			fputs(output, stdout);
		free(output);
		if (signo)
			printf("# killed by signal %d (%s)%s\n", signo, strsignal(signo),
			       signo == SIGALRM ? ": timed out" : "");
	}
	return failed ? 1 : 0;
}
