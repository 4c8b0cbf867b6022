// SPDX-License-Identifier: MIT
/* Parsing guests/exception-entry.c's console output (see capture.h). */
#include "capture.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct field {
	const char *key;
	uint64_t *u64;
	int *i;
	unsigned *u;
};

/* Every key=value token of line must be one of fields (all of them present). */
static int parse_fields(char *line, const struct field *fields, size_t n)
{
	size_t found = 0;

	for (char *tok = strtok(line, " "); tok; tok = strtok(NULL, " ")) {
		char *eq = strchr(tok, '='), *end;
		unsigned long long v;
		size_t i;

		if (!eq)
			return -1;
		*eq = '\0';
		for (i = 0; i < n && strcmp(fields[i].key, tok) != 0; i++)
			;
		if (i == n)
			return -1;
		errno = 0;
		v = strtoull(eq + 1, &end, 0);
		if (errno || *end || end == eq + 1)
			return -1;
		if (fields[i].u64)
			*fields[i].u64 = v;
		else if (fields[i].i)
			*fields[i].i = (int)v;
		else
			*fields[i].u = (unsigned)v;
		found++;
	}
	return found == n ? 0 : -1;
}

#define U64(k, p)                                                                                  \
	{                                                                                          \
		k, p, NULL, NULL                                                                   \
	}
#define INT(k, p)                                                                                  \
	{                                                                                          \
		k, NULL, p, NULL                                                                   \
	}
#define UNS(k, p)                                                                                  \
	{                                                                                          \
		k, NULL, NULL, p                                                                   \
	}
#define N(a) (sizeof(a) / sizeof((a)[0]))

static int parse_rec(struct capture *cap, char *rest)
{
	char *end, *kind;
	unsigned long n = strtoul(rest, &end, 10);
	struct capture_case *c;

	if (end == rest || *end != ' ' || n == 0 || n > CAPTURE_MAX_CASES)
		return -1;
	c = &cap->cases[n];
	if (n > cap->ncases)
		cap->ncases = (unsigned)n;
	kind = end + 1;
	if (strncmp(kind, "case ", 5) == 0) {
		const struct field f[] = {
			INT("ctx", &c->ctx), INT("access", &c->access), INT("branch", &c->branch),
			INT("src", &c->src), INT("mmu", &c->mmu),	UNS("knob", &c->knob),
		};

		c->seen |= CASE_LINE_CASE;
		return parse_fields(kind + 5, f, N(f));
	}
	if (strncmp(kind, "pre ", 4) == 0) {
		const struct field f[] = {
			U64("addr", &c->addr),	       U64("pc", &c->pc),
			U64("pstate", &c->pre_pstate), U64("readback", &c->readback),
			U64("vbar", &c->vbar),	       U64("sctlr", &c->sctlr),
		};

		c->seen |= CASE_LINE_PRE;
		return parse_fields(kind + 4, f, N(f));
	}
	if (strncmp(kind, "exc ", 4) == 0) {
		const struct field f[] = {
			INT("taken", &c->taken),   U64("kind", &c->kind),
			U64("vector", &c->vector), U64("esr", &c->esr),
			U64("far", &c->far),	   U64("elr", &c->elr),
			U64("spsr", &c->spsr),	   U64("pstate", &c->pstate),
			U64("valid", &c->valid),
		};

		c->seen |= CASE_LINE_EXC;
		return parse_fields(kind + 4, f, N(f));
	}
	return -1;
}

static int parse_id(struct capture *cap, char *rest)
{
	cap->id_lines++;
	if (strncmp(rest, "pfr0=", 5) == 0) {
		const struct field f[] = {
			U64("pfr0", &cap->pfr0), U64("pfr1", &cap->pfr1),   U64("dfr0", &cap->dfr0),
			U64("dfr1", &cap->dfr1), U64("isar1", &cap->isar1),
		};

		return parse_fields(rest, f, N(f));
	}
	const struct field f[] = {
		U64("mmfr0", &cap->mmfr0), U64("mmfr1", &cap->mmfr1), U64("mmfr2", &cap->mmfr2),
		U64("mmfr3", &cap->mmfr3), INT("bti", &cap->bti),
	};

	return parse_fields(rest, f, N(f));
}

int capture_read(struct capture *cap, FILE *in)
{
	char line[1024];
	unsigned lineno = 0;

	memset(cap, 0, sizeof(*cap));
	cap->count = -1;
	while (fgets(line, sizeof(line), in)) {
		char copy[sizeof(line)];
		int r = 0;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		snprintf(copy, sizeof(copy), "%s", line);
		if (strncmp(line, "UCALL PRINT REC ", 16) == 0)
			r = parse_rec(cap, line + 16);
		else if (strncmp(line, "UCALL PRINT ID ", 15) == 0)
			r = parse_id(cap, line + 15);
		else if (strncmp(line, "UCALL PRINT COUNT ", 18) == 0)
			cap->count = strtol(line + 18, NULL, 10);
		else if (strcmp(line, "UCALL DONE") == 0)
			cap->done = true;
		else if (strncmp(line, "UCALL FAIL ", 11) == 0)
			snprintf(cap->fail, sizeof(cap->fail), "%.500s", line + 11);
		if (r) {
			snprintf(cap->error, sizeof(cap->error), "line %u: cannot parse '%.160s'",
				 lineno, copy);
			return -1;
		}
	}
	return 0;
}
