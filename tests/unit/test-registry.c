/* SPDX-License-Identifier: MIT */
/*
 * test-registry: the poison registry keeps exactly one entry per granule,
 * aligns addresses to the granule, refuses a new granule when full
 * without disturbing the others, reports its footprint exactly, and keeps
 * an exact count under concurrent inserts from many threads.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <seawall/registry.h>

static void test_granule_shift(void **state)
{
	static const struct {
		size_t host, guest;
		int want;
	} cases[] = {
		{4096, 4096, 12},	  {4096, 16384, 14},	   {4096, 65536, 16},
		{16384, 4096, 14},	  {16384, 16384, 14},	   {16384, 65536, 16},
		{65536, 4096, 16},	  {65536, 16384, 16},	   {65536, 65536, 16},
		{8192, 4096, -EINVAL},	  {4096, 0, -EINVAL},	   {4095, 4096, -EINVAL},
		{4096, 2097152, -EINVAL}, {32768, 65536, -EINVAL},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(sw_granule_shift(cases[i].host, cases[i].guest), cases[i].want);
}

static void test_create_rejects(void **state)
{
	struct sw_registry *reg = NULL;

	(void)state;
	assert_int_equal(sw_registry_create(&reg, 0, 12), -EINVAL);
	assert_int_equal(sw_registry_create(&reg, SW_REGISTRY_MAX_CAPACITY + 1, 12), -EINVAL);
	assert_int_equal(sw_registry_create(&reg, 10, 13), -EINVAL);
	assert_int_equal(sw_registry_create(&reg, 10, 0), -EINVAL);
	assert_int_equal(sw_registry_create(NULL, 10, 12), -EINVAL);
	assert_null(reg);
	sw_registry_destroy(NULL);
}

static void test_insert_dedup_4k(void **state)
{
	struct sw_registry *reg;

	(void)state;
	assert_int_equal(sw_registry_create(&reg, 16, 12), 0);
	assert_int_equal(sw_registry_granule_shift(reg), 12);
	assert_int_equal(sw_registry_capacity(reg), 16);
	assert_int_equal(sw_registry_count(reg), 0);
	assert_int_equal(sw_registry_contains(reg, 0x80010000), 0);

	assert_int_equal(sw_registry_insert(reg, 0x80010000), 1);
	assert_int_equal(sw_registry_insert(reg, 0x80010000), 0);
	/* The measured load fault address: same 4 KiB granule. */
	assert_int_equal(sw_registry_insert(reg, 0x80010048), 0);
	assert_int_equal(sw_registry_insert(reg, 0x80010fff), 0);
	assert_int_equal(sw_registry_count(reg), 1);
	assert_int_equal(sw_registry_contains(reg, 0x80010abc), 1);
	assert_int_equal(sw_registry_contains(reg, 0x80011000), 0);
	assert_int_equal(sw_registry_contains(reg, 0x8000f000), 0);

	assert_int_equal(sw_registry_insert(reg, 0x80011000), 1);
	assert_int_equal(sw_registry_count(reg), 2);
	sw_registry_destroy(reg);
}

struct collected {
	uint64_t gpa[64];
	size_t n;
	int stop_after;
};

static int collect(uint64_t gpa, void *arg)
{
	struct collected *c = arg;

	c->gpa[c->n++] = gpa;
	return c->stop_after && (int)c->n == c->stop_after ? 7 : 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* A 64 KiB host page under a 4 KiB guest: one entry covers 16 guest pages. */
static void test_alignment_64k(void **state)
{
	struct sw_registry *reg;
	struct collected c = {.n = 0};

	(void)state;
	assert_int_equal(sw_registry_create(&reg, 8, 16), 0);
	assert_int_equal(sw_registry_insert(reg, 0x80010000), 1);
	assert_int_equal(sw_registry_insert(reg, 0x8001f000), 0);
	assert_int_equal(sw_registry_insert(reg, 0x80014048), 0);
	assert_int_equal(sw_registry_insert(reg, 0x80020000), 1);
	assert_int_equal(sw_registry_insert(reg, 0x8000ffff), 1);
	assert_int_equal(sw_registry_count(reg), 3);
	assert_int_equal(sw_registry_contains(reg, 0x8001e000), 1);
	assert_int_equal(sw_registry_contains(reg, 0x80030000), 0);

	assert_int_equal(sw_registry_for_each(reg, collect, &c), 0);
	assert_int_equal(c.n, 3);
	qsort(c.gpa, c.n, sizeof(c.gpa[0]), cmp_u64);
	assert_int_equal(c.gpa[0], 0x80000000);
	assert_int_equal(c.gpa[1], 0x80010000);
	assert_int_equal(c.gpa[2], 0x80020000);
	sw_registry_destroy(reg);
}

/* Address 0 and the last granule of the address space are ordinary keys. */
static void test_edge_addresses(void **state)
{
	struct sw_registry *reg;

	(void)state;
	assert_int_equal(sw_registry_create(&reg, 4, 14), 0);
	assert_int_equal(sw_registry_contains(reg, 0), 0);
	assert_int_equal(sw_registry_insert(reg, 0), 1);
	assert_int_equal(sw_registry_insert(reg, 0x3fff), 0);
	assert_int_equal(sw_registry_contains(reg, 0x4000), 0);
	assert_int_equal(sw_registry_insert(reg, UINT64_MAX), 1);
	assert_int_equal(sw_registry_contains(reg, 0xffffffffffffc000ull), 1);
	assert_int_equal(sw_registry_count(reg), 2);
	sw_registry_destroy(reg);
}

static void test_full(void **state)
{
	struct sw_registry *reg;

	(void)state;
	assert_int_equal(sw_registry_create(&reg, 3, 12), 0);
	assert_int_equal(sw_registry_insert(reg, 0x1000), 1);
	assert_int_equal(sw_registry_insert(reg, 0x2000), 1);
	assert_int_equal(sw_registry_insert(reg, 0x3000), 1);
	assert_int_equal(sw_registry_insert(reg, 0x4000), -ENOSPC);
	assert_int_equal(sw_registry_insert(reg, 0x4000), -ENOSPC);
	/* Known pages are still "already present" when full. */
	assert_int_equal(sw_registry_insert(reg, 0x2000), 0);
	assert_int_equal(sw_registry_count(reg), 3);
	assert_int_equal(sw_registry_contains(reg, 0x4000), 0);
	assert_int_equal(sw_registry_contains(reg, 0x3000), 1);
	sw_registry_destroy(reg);
}

/*
 * The table is the smallest power of two of 8-byte slots that keeps the
 * registry at most 3/4 full, plus a 128-byte handle.
 */
static void test_footprint(void **state)
{
	static const struct {
		size_t capacity, slots;
	} cases[] = {
		{1, 2},
		{3, 4},
		{4, 8},
		{6, 8},
		{7, 16},
		{1000, 2048},
		{1000000, 2097152},
		{1572864, 2097152},
		{1572865, 4194304},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sw_registry *reg;

		assert_int_equal(sw_registry_create(&reg, cases[i].capacity, 12), 0);
		assert_int_equal(sw_registry_footprint(reg), 128 + cases[i].slots * 8);
		sw_registry_destroy(reg);
	}
}

/* 1,000,000 pages fit in 16 MiB + 128 bytes: 16.78 bytes per entry. */
static void test_million_pages(void **state)
{
	struct sw_registry *reg;

	(void)state;
	assert_int_equal(sw_registry_create(&reg, 1000000, 12), 0);
	for (uint64_t i = 0; i < 1000000; i++)
		assert_int_equal(sw_registry_insert(reg, 0x40000000 + (i << 12)), 1);
	assert_int_equal(sw_registry_insert(reg, 0x40000000 + (1000000ull << 12)), -ENOSPC);
	assert_int_equal(sw_registry_count(reg), 1000000);
	assert_int_equal(sw_registry_footprint(reg), 16777344);
	assert_true(sw_registry_footprint(reg) < 64u << 20);
	for (uint64_t i = 0; i < 1000000; i += 999)
		assert_int_equal(sw_registry_contains(reg, 0x40000000 + (i << 12) + 0x10), 1);
	assert_int_equal(sw_registry_contains(reg, 0x3ffff000), 0);
	sw_registry_destroy(reg);
}

static void test_for_each_stops(void **state)
{
	struct sw_registry *reg;
	struct collected c = {.n = 0, .stop_after = 3};

	(void)state;
	assert_int_equal(sw_registry_create(&reg, 10, 12), 0);
	for (uint64_t i = 0; i < 10; i++)
		assert_int_equal(sw_registry_insert(reg, i << 12), 1);
	assert_int_equal(sw_registry_for_each(reg, collect, &c), 7);
	assert_int_equal(c.n, 3);
	c = (struct collected){.n = 0};
	assert_int_equal(sw_registry_for_each(reg, collect, &c), 0);
	assert_int_equal(c.n, 10);
	qsort(c.gpa, c.n, sizeof(c.gpa[0]), cmp_u64);
	for (uint64_t i = 0; i < 10; i++)
		assert_int_equal(c.gpa[i], i << 12);
	sw_registry_destroy(reg);
}

#define THREADS 8

struct worker {
	struct sw_registry *reg;
	pthread_barrier_t *start;
	unsigned int id;
	size_t shared, own; /* shared keys every thread inserts, then its own */
	size_t got_new, got_present, got_full, got_other;
	signed char *ret; /* each insert's return: shared keys by index, then own */
};

static void tally(struct worker *w, size_t slot, int ret)
{
	w->ret[slot] = (signed char)ret;
	if (ret == 1)
		w->got_new++;
	else if (ret == 0)
		w->got_present++;
	else if (ret == -ENOSPC)
		w->got_full++;
	else
		w->got_other++;
}

static uint64_t shared_key(size_t i)
{
	return 0x100000000ull + ((uint64_t)i << 12);
}

static uint64_t own_key(unsigned int thread, size_t i)
{
	return ((uint64_t)(thread + 1) << 40) + ((uint64_t)i << 12);
}

static void *worker_run(void *arg)
{
	struct worker *w = arg;

	pthread_barrier_wait(w->start);
	/* Every thread walks the shared keys from a different starting point. */
	for (size_t k = 0; k < w->shared; k++) {
		size_t i = (k + w->id * (w->shared / THREADS)) % w->shared;

		tally(w, i, sw_registry_insert(w->reg, shared_key(i)));
	}
	for (size_t i = 0; i < w->own; i++)
		tally(w, w->shared + i, sw_registry_insert(w->reg, own_key(w->id, i)));
	return NULL;
}

static void run_workers(struct sw_registry *reg, size_t shared, size_t own, struct worker *w)
{
	pthread_barrier_t start;
	pthread_t t[THREADS];

	pthread_barrier_init(&start, NULL, THREADS);
	for (unsigned int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){.reg = reg,
				       .start = &start,
				       .id = i,
				       .shared = shared,
				       .own = own,
				       .ret = calloc(shared + own, 1)};
		assert_non_null(w[i].ret);
		assert_int_equal(pthread_create(&t[i], NULL, worker_run, &w[i]), 0);
	}
	for (unsigned int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
}

/* 8 threads: 20,000 keys all of them insert, 5,000 each of their own. */
static void test_concurrent_exact(void **state)
{
	struct sw_registry *reg;
	struct worker w[THREADS];
	size_t got_new = 0, got_present = 0;

	(void)state;
	assert_int_equal(sw_registry_create(&reg, 100000, 12), 0);
	run_workers(reg, 20000, 5000, w);
	for (unsigned int i = 0; i < THREADS; i++) {
		got_new += w[i].got_new;
		got_present += w[i].got_present;
		assert_int_equal(w[i].got_full, 0);
		assert_int_equal(w[i].got_other, 0);
	}
	assert_int_equal(sw_registry_count(reg), 60000);
	/* Exactly one thread saw each shared key as new. */
	assert_int_equal(got_new, 60000);
	assert_int_equal(got_present, 7 * 20000);
	for (size_t i = 0; i < 20000; i++)
		assert_int_equal(sw_registry_contains(reg, shared_key(i)), 1);
	for (unsigned int i = 0; i < THREADS; i++)
		free(w[i].ret);
	sw_registry_destroy(reg);
}

/* 8 threads race 2,000 shared keys and 500 own keys each into 1,000 places. */
static void test_concurrent_full(void **state)
{
	struct sw_registry *reg;
	struct worker w[THREADS];
	size_t got_new = 0, present = 0;

	(void)state;
	assert_int_equal(sw_registry_create(&reg, 1000, 12), 0);
	run_workers(reg, 2000, 500, w);
	for (unsigned int i = 0; i < THREADS; i++) {
		got_new += w[i].got_new;
		assert_int_equal(w[i].got_other, 0);
		assert_int_equal(w[i].got_new + w[i].got_present + w[i].got_full, 2500);
	}
	assert_int_equal(sw_registry_count(reg), 1000);
	assert_int_equal(got_new, 1000);
	/*
	 * Linearizable: a key is in the registry exactly when every insert
	 * of it returned 1 or 0, and absent exactly when every one returned
	 * -ENOSPC (once full, nothing new goes in).
	 */
	for (size_t i = 0; i < 2000; i++) {
		int in = sw_registry_contains(reg, shared_key(i));

		present += (size_t)in;
		for (unsigned int t = 0; t < THREADS; t++)
			assert_int_equal(w[t].ret[i] >= 0, in);
	}
	for (unsigned int t = 0; t < THREADS; t++) {
		for (size_t i = 0; i < 500; i++) {
			int in = sw_registry_contains(reg, own_key(t, i));

			present += (size_t)in;
			assert_int_equal(w[t].ret[2000 + i] >= 0, in);
		}
		free(w[t].ret);
	}
	assert_int_equal(present, 1000);
	sw_registry_destroy(reg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_granule_shift),	cmocka_unit_test(test_create_rejects),
		cmocka_unit_test(test_insert_dedup_4k), cmocka_unit_test(test_alignment_64k),
		cmocka_unit_test(test_edge_addresses),	cmocka_unit_test(test_full),
		cmocka_unit_test(test_footprint),	cmocka_unit_test(test_million_pages),
		cmocka_unit_test(test_for_each_stops),	cmocka_unit_test(test_concurrent_exact),
		cmocka_unit_test(test_concurrent_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
