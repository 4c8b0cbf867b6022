// SPDX-License-Identifier: MIT
/* The poison injector and /proc/self/pagemap (see poison.h). */
#include "poison.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "test.h"

#define MAX_POISONED 64

static volatile uint32_t *regs;
static uint64_t base;
static uint64_t poisoned[MAX_POISONED];
static int npoisoned;

static const char *const dt_roots[] = {"/proc/device-tree", "/sys/firmware/devicetree/base"};

static int read_whole(const char *path, void *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size);
	close(fd);
	return n < 0 ? -errno : (int)n;
}

static uint64_t be_cells(const uint8_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells * 4; i++)
		v = v << 8 | p[i];
	return v;
}

/* A top-level node whose compatible list names the injector: its reg. */
static int find_in_dt(const char *root, uint64_t *addr)
{
	DIR *d = opendir(root);
	struct dirent *e;
	int found = -ENOENT;

	if (!d)
		return -errno;
	while (found && (e = readdir(d))) {
		char path[512], compat[256];
		uint8_t reg[16];
		int n;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/compatible", root, e->d_name);
		n = read_whole(path, compat, sizeof(compat) - 1);
		if (n <= 0)
			continue;
		compat[n] = '\0';
		/* compatible is a list of NUL-separated strings. */
		for (int off = 0; off < n; off += (int)strlen(compat + off) + 1) {
			if (strcmp(compat + off, "qemu,poison-injector") != 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s/reg", root, e->d_name);
			/* The virt board uses two address and two size cells. */
			if (read_whole(path, reg, sizeof(reg)) == 16) {
				*addr = be_cells(reg, 2);
				found = 0;
			}
			break;
		}
	}
	closedir(d);
	return found;
}

int injector_open(const char **where)
{
	int fd, r = -ENOENT;
	void *map;

	if (regs)
		return 0;
	for (size_t i = 0; i < sizeof(dt_roots) / sizeof(dt_roots[0]) && r; i++)
		r = find_in_dt(dt_roots[i], &base);
	if (r) {
		*where = "no device tree node compatible with qemu,poison-injector";
		return r;
	}
	fd = open("/dev/mem", O_RDWR | O_SYNC | O_CLOEXEC);
	if (fd < 0) {
		*where = "open /dev/mem";
		return -errno;
	}
	map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)base);
	r = map == MAP_FAILED ? -errno : 0;
	close(fd);
	if (r) {
		*where = "mmap /dev/mem at the injector";
		return r;
	}
	regs = map;
	if (injector_read(INJ_MAGIC) != INJ_MAGIC_VALUE) {
		*where = "the injector's MAGIC register";
		munmap(map, 4096);
		regs = NULL;
		return -ENODEV;
	}
	return 0;
}

void require_injector(void)
{
	const char *where = "";
	int r = injector_open(&where);

	TEST_REQUIRE(r == 0, "poison injector: %s: %s", where, strerror(-r));
}

uint32_t injector_read(uint32_t reg)
{
	return regs[reg / 4];
}

uint32_t injector_command(uint32_t cmd, uint64_t pa)
{
	regs[INJ_ADDR_LO / 4] = (uint32_t)pa;
	regs[INJ_ADDR_HI / 4] = (uint32_t)(pa >> 32);
	regs[INJ_CMD / 4] = cmd;
	return regs[INJ_STATUS / 4];
}

uint32_t injector_count(void)
{
	return injector_read(INJ_COUNT);
}

uint64_t injector_hits(void)
{
	uint32_t hi, lo;

	/* Re-read HI so a carry between the two reads cannot tear the value. */
	do {
		hi = injector_read(INJ_HITS_HI);
		lo = injector_read(INJ_HITS_LO);
	} while (hi != injector_read(INJ_HITS_HI));
	return (uint64_t)hi << 32 | lo;
}

uint64_t hva_to_hpa(const void *hva)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t entry = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	TEST_ASSERT(fd >= 0, "/proc/self/pagemap: %s", strerror(errno));
	/* One 8-byte entry per page (Documentation/admin-guide/mm/pagemap.rst). */
	n = pread(fd, &entry, sizeof(entry), (off_t)((uint64_t)hva / (uint64_t)page * 8));
	close(fd);
	TEST_ASSERT(n == sizeof(entry), "pagemap read: %s", n < 0 ? strerror(errno) : "short");
	TEST_ASSERT(entry & (1ULL << 63), "page at %p is not present", hva);
	/* Bits 0-54: the PFN, zero unless CAP_SYS_ADMIN. */
	TEST_ASSERT(entry & ((1ULL << 55) - 1), "pagemap hides the PFN (not root?)");
	return (entry & ((1ULL << 55) - 1)) * (uint64_t)page + (uint64_t)hva % (uint64_t)page;
}

static void unpoison_all_ours(void)
{
	while (npoisoned > 0)
		injector_command(INJ_CMD_UNPOISON, poisoned[--npoisoned]);
}

uint64_t poison_page(const void *hva)
{
	uint64_t hpa = hva_to_hpa(hva);
	uint32_t status;

	require_injector();
	TEST_ASSERT(npoisoned < MAX_POISONED, "too many poisoned pages");
	TEST_ASSERT_EQ(hpa & 4095, 0);
	rig_atexit(unpoison_all_ours);
	status = injector_command(INJ_CMD_POISON, hpa);
	TEST_ASSERT(status == INJ_STATUS_OK, "POISON 0x%llx: status %u", (unsigned long long)hpa,
		    status);
	poisoned[npoisoned++] = hpa;
	return hpa;
}

uint64_t unpoison_page(const void *hva)
{
	uint64_t hpa = hva_to_hpa(hva);
	uint32_t status = injector_command(INJ_CMD_UNPOISON, hpa);

	TEST_ASSERT(status == INJ_STATUS_OK, "UNPOISON 0x%llx: status %u", (unsigned long long)hpa,
		    status);
	for (int i = 0; i < npoisoned; i++) {
		if (poisoned[i] == hpa)
			poisoned[i] = poisoned[--npoisoned];
	}
	return hpa;
}
