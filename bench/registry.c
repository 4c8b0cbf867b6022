/* SPDX-License-Identifier: MIT */
/*
 * bench/registry: the poison registry against a plain linked list, side
 * by side in one run, at 10^3 .. 10^6 pages.  Not a test: run it by hand
 * (build/host/bench/registry) and read the ratios.
 *
 * Keys are distinct 4 KiB pages in a scrambled order.  The list inserts
 * with a duplicate check (a scan), as the registry must deduplicate; its
 * nodes come from one array, the best case for a list's cache behaviour.
 * Where timing every list operation would take minutes, a fixed sample of
 * operations is timed on a list of full size, and the output says so.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <seawall/registry.h>

#define SAMPLE	     1000  /* list operations timed at large sizes */
#define FULL_LIST_AT 10000 /* up to this size, every list operation is timed */
#define ROUNDS	     3	   /* registry timings: best of this many */

struct node {
	uint64_t key;
	struct node *next;
};

struct list {
	struct node *head;
	struct node *pool;
	size_t used;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The i-th key: an odd multiplier permutes 0..2^32-1, so keys are distinct. */
static uint64_t key(uint64_t i)
{
	return 0x40000000ull + (((i * 0x9e3779b1u) & 0xffffffffu) << 12);
}

/* A key no insert used (above every key() value). */
static uint64_t absent_key(uint64_t i)
{
	return 0x40000000ull + (0x100000000ull << 12) + (i << 12);
}

static int list_contains(const struct list *l, uint64_t k)
{
	for (const struct node *n = l->head; n; n = n->next)
		if (n->key == k)
			return 1;
	return 0;
}

static int list_insert(struct list *l, uint64_t k)
{
	struct node *n;

	if (list_contains(l, k))
		return 0;
	n = &l->pool[l->used++];
	n->key = k;
	n->next = l->head;
	l->head = n;
	return 1;
}

/* Keep the optimiser from dropping lookups whose results are unused. */
static volatile uint64_t sink;

struct result {
	double insert_ns, hit_ns, miss_ns;
};

static struct result bench_registry(size_t n)
{
	struct result best = {1e30, 1e30, 1e30};

	for (int round = 0; round < ROUNDS; round++) {
		struct sw_registry *reg;
		uint64_t t0, t1, t2, t3, found = 0;

		if (sw_registry_create(&reg, n, 12)) {
			fprintf(stderr, "registry: cannot create a registry of %zu\n", n);
			exit(1);
		}
		t0 = now_ns();
		for (size_t i = 0; i < n; i++)
			found += (uint64_t)sw_registry_insert(reg, key(i));
		t1 = now_ns();
		/* Look up in another order than the inserts. */
		for (size_t i = 0; i < n; i++)
			found += (uint64_t)sw_registry_contains(reg, key((i * 7919) % n));
		t2 = now_ns();
		for (size_t i = 0; i < n; i++)
			found += (uint64_t)sw_registry_contains(reg, absent_key(i));
		t3 = now_ns();
		if (found != 2 * n) {
			fprintf(stderr, "registry: %" PRIu64 " found, expected %zu\n", found,
				2 * n);
			exit(1);
		}
		sink += found;
		if ((double)(t1 - t0) / (double)n < best.insert_ns)
			best.insert_ns = (double)(t1 - t0) / (double)n;
		if ((double)(t2 - t1) / (double)n < best.hit_ns)
			best.hit_ns = (double)(t2 - t1) / (double)n;
		if ((double)(t3 - t2) / (double)n < best.miss_ns)
			best.miss_ns = (double)(t3 - t2) / (double)n;
		sw_registry_destroy(reg);
	}
	return best;
}

/*
 * Small lists: time all n inserts and n lookups.  Large ones: build the
 * first n - SAMPLE nodes untimed, time the last SAMPLE inserts (each
 * scans a list of about n), then SAMPLE lookups of present and absent keys.
 */
static struct result bench_list(size_t n, size_t *timed)
{
	struct list l = {.pool = malloc(n * sizeof(struct node))};
	size_t ops = n <= FULL_LIST_AT ? n : SAMPLE;
	struct result r;
	uint64_t t0, t1, t2, t3, found = 0;

	if (!l.pool) {
		fprintf(stderr, "registry: out of memory for the list\n");
		exit(1);
	}
	for (size_t i = 0; i < n - ops; i++) {
		struct node *node = &l.pool[l.used++];

		node->key = key(i);
		node->next = l.head;
		l.head = node;
	}
	t0 = now_ns();
	for (size_t i = n - ops; i < n; i++)
		found += (uint64_t)list_insert(&l, key(i));
	t1 = now_ns();
	for (size_t i = 0; i < ops; i++)
		found += (uint64_t)list_contains(&l, key((i * 7919) % n));
	t2 = now_ns();
	for (size_t i = 0; i < ops; i++)
		found += (uint64_t)list_contains(&l, absent_key(i));
	t3 = now_ns();
	if (found != 2 * ops) {
		fprintf(stderr, "list: %" PRIu64 " found, expected %zu\n", found, 2 * ops);
		exit(1);
	}
	sink += found;
	r.insert_ns = (double)(t1 - t0) / (double)ops;
	r.hit_ns = (double)(t2 - t1) / (double)ops;
	r.miss_ns = (double)(t3 - t2) / (double)ops;
	*timed = ops;
	free(l.pool);
	return r;
}

static void row(size_t n, const char *op, double reg_ns, double list_ns, size_t timed)
{
	printf("%9zu  %-13s %12.1f %14.1f %12.0fx   %s\n", n, op, reg_ns, list_ns, list_ns / reg_ns,
	       timed == n ? "all" : "sample");
}

int main(void)
{
	static const size_t sizes[] = {1000, 10000, 100000, 1000000};
	struct sw_registry *reg;
	size_t fp;

	printf("poison registry vs linked list (insert with duplicate check; lookup)\n"
	       "keys: distinct 4 KiB pages in scrambled order; registry: best of %d runs\n"
	       "list ops timed: 'all' = every operation; 'sample' = the last %d inserts and\n"
	       "%d lookups each way on a list of full size (nothing extrapolated)\n\n",
	       ROUNDS, SAMPLE, SAMPLE);
	printf("%9s  %-13s %12s %14s %13s   %s\n", "pages", "operation", "registry ns", "list ns",
	       "list/registry", "list ops timed");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i], timed;
		struct result r = bench_registry(n), l = bench_list(n, &timed);

		row(n, "insert", r.insert_ns, l.insert_ns, timed);
		row(n, "lookup hit", r.hit_ns, l.hit_ns, timed);
		row(n, "lookup miss", r.miss_ns, l.miss_ns, timed);
	}

	if (sw_registry_create(&reg, 1000000, 12))
		return 1;
	for (size_t i = 0; i < 1000000; i++)
		sw_registry_insert(reg, key(i));
	fp = sw_registry_footprint(reg);
	printf("\nregistry of capacity 1000000 holding %zu pages: %zu bytes (%.2f MiB), "
	       "%.2f bytes per entry\n",
	       sw_registry_count(reg), fp, (double)fp / (1 << 20), (double)fp / 1e6);
	sw_registry_destroy(reg);
	return 0;
}
