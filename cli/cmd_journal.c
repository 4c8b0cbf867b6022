/* SPDX-License-Identifier: MIT */
/*
 * seawall journal show|check|compact: inspect or compact a poison journal.
 *
 * show and check open the journal read-only and never change it; compact
 * takes the journal's write lock, so it refuses a journal a running VMM
 * holds.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <seawall/seawall.h>

#include "commands.h"
#include "util.h"
#include "journal_record.h" /* jr_granule_text */
#include "timefmt.h"

#define DAY_NS (86400ull * 1000000000ull)

static const char usage_text[] =
	"usage: seawall journal show FILE\n"
	"       seawall journal check FILE\n"
	"       seawall journal compact [--keep DURATION] [--salvage] FILE\n"
	"\n"
	"Inspect or compact a seawall poison journal (docs/journal.md).\n"
	"\n"
	"  show     print every valid record, one per line after its byte offset,\n"
	"           then a summary; damage is reported and ends with status 1\n"
	"  check    verify every record without changing the file: status 0 if\n"
	"           the journal is clean, 1 with the problem and its offset if not\n"
	"  compact  fold the records older than DURATION before the newest one\n"
	"           into one record per page\n"
	"\n"
	"Run 'seawall journal COMMAND --help' for a command's details.\n";

static const char show_help[] =
	"usage: seawall journal show FILE\n"
	"\n"
	"Print every valid record of the journal FILE, one per line after its byte\n"
	"offset, then one summary line: records, events, restarts, distinct pages.\n"
	"Damaged records are skipped and the damage is reported on stderr.\n"
	"The file is opened read-only and never changed.\n"
	"\n"
	"Exit status: 0 clean, 1 damaged or unreadable, 2 usage error.\n";

static const char check_help[] =
	"usage: seawall journal check FILE\n"
	"\n"
	"Verify the header and every record of the journal FILE without changing\n"
	"it, and say what a VMM opening it would find: a clean journal, a torn\n"
	"tail (an interrupted append, which the next read-write open drops),\n"
	"damage in the middle (which stops a VMM from opening it), or a damaged\n"
	"header.\n"
	"\n"
	"Exit status: 0 clean, 1 any problem (printed with its offset), 2 usage\n"
	"error.\n";

static const char compact_help[] =
	"usage: seawall journal compact [--keep DURATION] [--salvage] FILE\n"
	"\n"
	"Rewrite the journal FILE with every record older than DURATION before\n"
	"its newest record folded into one summary and one record per page; the\n"
	"distinct pages and the counters stay the same. The new file is written\n"
	"aside, synced and renamed over FILE. Refused while a VMM holds FILE.\n"
	"\n"
	"  --keep DURATION  keep the records of this window as they are, for a\n"
	"                   policy's rate window: 90s, 15m, 24h, 7d, or 'all'\n"
	"                   (default 24h)\n"
	"  --salvage        if FILE is damaged in the middle, keep it as\n"
	"                   FILE.damaged and rewrite FILE with every valid record\n"
	"\n"
	"Exit status: 0 compacted, 1 failure, 2 usage error.\n";

static const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void print_summary(FILE *f, const struct sw_journal_counters *c, size_t pages)
{
	fprintf(f, "%" PRIu64 " %s: %" PRIu64 " %s, %" PRIu64 " %s, %zu distinct %s\n", c->records,
		plural(c->records, "record", "records"), c->events,
		plural(c->events, "event", "events"), c->restarts,
		plural(c->restarts, "restart", "restarts"), pages, plural(pages, "page", "pages"));
}

/* The pages the replayed records name (already aligned to the granule). */
struct pages {
	uint64_t *gpa;
	size_t n, cap;
	bool print;
};

static int replay_one(const struct sw_journal_record *rec, void *arg)
{
	struct pages *p = arg;
	uint64_t gpa;

	if (p->print) {
		char line[512];

		sw_journal_record_describe(rec, line, sizeof(line));
		printf("%8" PRIu64 "  %s\n", rec->offset, line);
	}
	if (rec->type == SW_JOURNAL_PAGE)
		gpa = rec->page.gpa;
	else if (rec->type == SW_JOURNAL_EVENT && (rec->event.flags & SW_JOURNAL_EV_GPA_VALID))
		gpa = rec->event.gpa;
	else
		return 0;
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 256;
		uint64_t *v = realloc(p->gpa, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->gpa = v;
		p->cap = cap;
	}
	p->gpa[p->n++] = gpa;
	return 0;
}

/* Open @path read-only, replaying into @p; NULL @p replays nothing. */
static int open_readonly(const char *path, unsigned int flags, struct pages *p,
			 struct sw_journal **j, struct sw_journal_report *rep)
{
	struct sw_journal_options o = {.flags = flags | SW_JOURNAL_READONLY,
				       .replay = p ? replay_one : NULL,
				       .replay_arg = p,
				       .report = rep};

	return sw_journal_open(j, path, &o);
}

static int cmd_show(const char *path)
{
	struct pages p = {.print = true};
	struct sw_journal_report rep;
	struct sw_journal_counters c;
	struct sw_journal *j;

	/* Read the header (and judge the file) before printing any record. */
	if (open_readonly(path, SW_JOURNAL_SKIP_DAMAGED, NULL, &j, &rep)) {
		fprintf(stderr, "seawall journal show: %s\n", rep.message);
		return CLI_FAIL;
	}
	printf("journal %s: version %d, granule %s\n", path, SW_JOURNAL_VERSION,
	       jr_granule_text(sw_journal_granule_shift(j)));
	sw_journal_close(j);
	if (open_readonly(path, SW_JOURNAL_SKIP_DAMAGED, &p, &j, &rep)) {
		fprintf(stderr, "seawall journal show: %s\n", rep.message);
		free(p.gpa);
		return CLI_FAIL;
	}
	sw_journal_counters(j, &c);
	print_summary(stdout, &c, cli_distinct_u64(p.gpa, p.n));
	sw_journal_close(j);
	free(p.gpa);
	if (rep.problem == SW_JOURNAL_CLEAN)
		return CLI_OK;
	fflush(stdout);
	fprintf(stderr, "seawall journal show: %s\n", rep.message);
	return CLI_FAIL;
}

static int cmd_check(const char *path)
{
	struct pages p = {.print = false};
	struct sw_journal_report rep;
	struct sw_journal_counters c;
	struct sw_journal *j;
	int ret;

	ret = open_readonly(path, 0, &p, &j, &rep);
	if (ret == 0 && rep.problem == SW_JOURNAL_CLEAN) {
		sw_journal_counters(j, &c);
		printf("%s: clean, granule %s, %" PRIu64 " bytes, ", path,
		       jr_granule_text(sw_journal_granule_shift(j)), c.bytes);
		print_summary(stdout, &c, cli_distinct_u64(p.gpa, p.n));
	} else {
		printf("%s\n", rep.message);
	}
	if (ret == 0)
		sw_journal_close(j);
	free(p.gpa);
	return ret == 0 && rep.problem == SW_JOURNAL_CLEAN ? CLI_OK : CLI_FAIL;
}

/* "90s", "15m", "24h", "7d" or "all" (UINT64_MAX); -1 if malformed. */
static int parse_duration(const char *s, uint64_t *ns)
{
	static const struct {
		char unit;
		uint64_t ns;
	} units[] = {{'s', 1000000000ull},
		     {'m', 60000000000ull},
		     {'h', 3600000000000ull},
		     {'d', DAY_NS}};
	char *end;
	unsigned long long n;

	if (!strcmp(s, "all")) {
		*ns = UINT64_MAX;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || end[0] == '\0' || end[1] != '\0')
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (*end != units[i].unit)
			continue;
		if (n > UINT64_MAX / units[i].ns)
			return -1;
		*ns = n * units[i].ns;
		return 0;
	}
	return -1;
}

static int cmd_compact(const char *path, uint64_t keep_ns, bool salvage)
{
	struct sw_journal_report rep;
	struct sw_journal_counters before, after;
	struct sw_journal_options o = {.flags = salvage ? SW_JOURNAL_SKIP_DAMAGED : 0,
				       .report = &rep};
	struct sw_journal *j;
	uint64_t newest, cutoff;
	char when[SW_TIME_LEN], err[640];
	int ret;

	ret = sw_journal_open(&j, path, &o);
	if (ret) {
		fprintf(stderr, "seawall journal compact: %s\n", rep.message);
		return CLI_FAIL;
	}
	if (rep.problem != SW_JOURNAL_CLEAN)
		fprintf(stderr, "seawall journal compact: %s\n", rep.message);
	sw_journal_counters(j, &before);
	newest = before.last_event_ns > before.last_restart_ns ? before.last_event_ns
							       : before.last_restart_ns;
	cutoff = keep_ns == UINT64_MAX ? 0 : newest > keep_ns ? newest - keep_ns : 0;
	ret = sw_journal_compact(j, cutoff);
	if (ret) {
		sw_journal_error(j, err, sizeof(err));
		fprintf(stderr, "seawall journal compact: %s\n", err);
		sw_journal_close(j);
		return CLI_FAIL;
	}
	sw_journal_counters(j, &after);
	ret = sw_journal_close(j);
	if (ret) {
		fprintf(stderr, "seawall journal compact: closing %s: %s\n", path,
			sw_strerror(ret));
		return CLI_FAIL;
	}
	printf("%s: %" PRIu64 " %s, %" PRIu64 " bytes -> %" PRIu64 " %s, %" PRIu64 " bytes; ", path,
	       before.records, plural(before.records, "record", "records"), before.bytes,
	       after.records, plural(after.records, "record", "records"), after.bytes);
	if (cutoff) {
		sw_format_time(when, cutoff);
		printf("records from %s on kept as they were, older ones folded\n", when);
	} else {
		printf("every record since the last compaction kept as it was\n");
	}
	return CLI_OK;
}

int cmd_journal(int argc, char **argv)
{
	const char *sub, *path = NULL;
	uint64_t keep_ns = DAY_NS;
	bool salvage = false;
	const char *help;

	if (argc < 2)
		return cli_usage_error("journal", NULL, "missing command: show, check or compact");
	sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
		fputs(usage_text, stdout);
		return CLI_OK;
	}
	if (!strcmp(sub, "show"))
		help = show_help;
	else if (!strcmp(sub, "check"))
		help = check_help;
	else if (!strcmp(sub, "compact"))
		help = compact_help;
	else
		return cli_usage_error("journal", NULL,
				       "unknown command '%s': use show, check or compact", sub);

	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(help, stdout);
			return CLI_OK;
		} else if (help == compact_help && !strcmp(a, "--salvage")) {
			salvage = true;
		} else if (help == compact_help && !strcmp(a, "--keep")) {
			if (++i == argc)
				return cli_usage_error(
					"journal", NULL, "%s",
					"--keep needs a duration (e.g. 24h, or all)");
			if (parse_duration(argv[i], &keep_ns))
				return cli_usage_error(
					"journal", NULL,
					"--keep '%s' is not a duration: use e.g. 90s, "
					"15m, 24h, 7d, or all",
					argv[i]);
		} else if (a[0] == '-' && a[1] != '\0') {
			return cli_usage_error("journal", NULL, "unknown option '%s'", a);
		} else if (path) {
			return cli_usage_error("journal", NULL, "one FILE only, not also '%s'", a);
		} else {
			path = a;
		}
	}
	if (!path)
		return cli_usage_error("journal", NULL, "missing FILE");
	if (help == show_help)
		return cmd_show(path);
	if (help == check_help)
		return cmd_check(path);
	return cmd_compact(path, keep_ns, salvage);
}
