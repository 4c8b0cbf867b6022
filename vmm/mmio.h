/* SPDX-License-Identifier: MIT */
/*
 * MMIO dispatch: devices register an address range and a handler; a
 * KVM_EXIT_MMIO is routed to the handler whose range holds the whole
 * access.  Ranges are registered before any vCPU runs and never change
 * afterwards, so lookups take no lock.
 */
#ifndef SEAWALL_VMM_MMIO_H
#define SEAWALL_VMM_MMIO_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/*
 * @offset is relative to the start of the registered range, so one
 * handler serves every instance of a device.  @data holds @len bytes in
 * the guest's byte order (little endian): the handler fills it on a read.
 */
typedef void (*mmio_handler_fn)(struct vcpu *vcpu, uint64_t offset, uint8_t *data, uint32_t len,
				bool is_write, void *ptr);

#define MMIO_MAX_RANGES 16

struct mmio_range {
	uint64_t base;
	uint64_t size;
	mmio_handler_fn fn;
	void *ptr;
};

struct mmio_bus {
	struct mmio_range ranges[MMIO_MAX_RANGES];
	unsigned int count;
};

/*
 * mmio__register - route [base, base + size) to @fn.
 * Returns 0, -EEXIST if the range overlaps a registered one, -ENOSPC if
 * the bus is full, -EINVAL for an empty range.
 */
int __attribute__((warn_unused_result))
mmio__register(struct mmio_bus *bus, uint64_t base, uint64_t size, mmio_handler_fn fn, void *ptr);

/* Returns true if a handler took the access, false if nothing is there. */
bool mmio__dispatch(struct mmio_bus *bus, struct vcpu *vcpu, uint64_t addr, uint8_t *data,
		    uint32_t len, bool is_write);

/* Little-endian helpers for handlers (accesses are 1, 2, 4 or 8 bytes). */
uint64_t mmio__get(const uint8_t *data, uint32_t len);
void mmio__put(uint8_t *data, uint32_t len, uint64_t value);

#endif
