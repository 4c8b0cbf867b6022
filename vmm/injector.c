/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hostpage.h"
#include "injector.h"
#include "log.h"

enum {
	REG_MAGIC = 0x00 / 4,
	REG_ADDR_LO = 0x10 / 4,
	REG_ADDR_HI = 0x14 / 4,
	REG_CMD = 0x18 / 4,
	REG_STATUS = 0x1c / 4,
};

#define INJECTOR_MAGIC 0x50534e31 /* "PSN1" */
#define CMD_POISON     1
#define CMD_UNPOISON   2
#define STATUS_OK      0
#define STATUS_ALREADY 5

static const char *const status_name[] = {
	"ok", "unaligned", "not RAM", "full", "not poisoned", "already poisoned", "bad command",
};

int injector__open(struct injector *inj)
{
	int fd, ret;

	memset(inj, 0, sizeof(*inj));
	pthread_mutex_init(&inj->lock, NULL);
	/* pagemap has one entry per host page, and its PFNs count host pages. */
	inj->page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	/* Opened now: pagemap shows PFNs to whoever opened it with CAP_SYS_ADMIN. */
	inj->pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (inj->pagemap_fd < 0) {
		ret = -errno;
		vmm__log("--test-poison: cannot open /proc/self/pagemap: %s", strerror(errno));
		return ret;
	}
	fd = open("/dev/mem", O_RDWR | O_SYNC | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		vmm__log("--test-poison: cannot open /dev/mem: %s (it needs root in the rig's L1)",
			 strerror(errno));
		return ret;
	}
	inj->regs = mmap(NULL, INJECTOR_MMIO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			 INJECTOR_BASE);
	close(fd);
	if (inj->regs == MAP_FAILED) {
		ret = -errno;
		inj->regs = NULL;
		vmm__log("--test-poison: cannot map the poison injector at 0x%llx: %s",
			 (unsigned long long)INJECTOR_BASE, strerror(errno));
		return ret;
	}
	if (inj->regs[REG_MAGIC] != INJECTOR_MAGIC) {
		vmm__log("--test-poison: no poison injector at 0x%llx (run seawall-vmm in the "
			 "rig's L1, rig/run)",
			 (unsigned long long)INJECTOR_BASE);
		munmap((void *)inj->regs, INJECTOR_MMIO_SIZE);
		inj->regs = NULL;
		return -ENODEV;
	}
	return 0;
}

static uint32_t command(struct injector *inj, uint64_t hpa, uint32_t cmd)
{
	inj->regs[REG_ADDR_LO] = (uint32_t)hpa;
	inj->regs[REG_ADDR_HI] = (uint32_t)(hpa >> 32);
	inj->regs[REG_CMD] = cmd;
	return inj->regs[REG_STATUS];
}

int injector__poison(struct injector *inj, uint64_t hpa)
{
	uint32_t status;
	int ret = 0;

	if (hpa & (INJECTOR_PAGE - 1))
		return -EINVAL;
	pthread_mutex_lock(&inj->lock);
	if (inj->nr_poisoned == INJECTOR_PAGES) {
		ret = -ENOSPC;
		goto out;
	}
	status = command(inj, hpa, CMD_POISON);
	if (status == STATUS_OK) {
		inj->poisoned[inj->nr_poisoned++] = hpa;
	} else if (status != STATUS_ALREADY) {
		vmm__log("poison injector: host page 0x%llx: %s", (unsigned long long)hpa,
			 status < sizeof(status_name) / sizeof(status_name[0]) ? status_name[status]
									       : "?");
		ret = -EIO;
	}
out:
	pthread_mutex_unlock(&inj->lock);
	return ret;
}

unsigned int injector__unpoison_ours(struct injector *inj)
{
	unsigned int n = 0;

	if (!inj->regs)
		return 0;
	pthread_mutex_lock(&inj->lock);
	for (unsigned int i = 0; i < inj->nr_poisoned; i++)
		n += command(inj, inj->poisoned[i], CMD_UNPOISON) == STATUS_OK;
	inj->nr_poisoned = 0;
	pthread_mutex_unlock(&inj->lock);
	return n;
}

int hva_to_hpa(struct injector *inj, const void *hva, uint64_t *hpa)
{
	uint64_t entry;
	ssize_t n;

	/* One entry: reading the whole of pagemap never ends (DESIGN.md §3). */
	n = pread(inj->pagemap_fd, &entry, sizeof(entry),
		  (off_t)hostpage_pagemap_offset((uintptr_t)hva, inj->page_size));
	if (n != sizeof(entry))
		return n < 0 ? -errno : -EIO;
	return hostpage_pagemap_hpa(entry, (uintptr_t)hva, inj->page_size, hpa);
}
