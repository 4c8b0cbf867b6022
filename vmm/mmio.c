/* SPDX-License-Identifier: MIT */
#include <errno.h>

#include "mmio.h"

int mmio__register(struct mmio_bus *bus, uint64_t base, uint64_t size, mmio_handler_fn fn,
		   void *ptr)
{
	if (!size || base + size < base)
		return -EINVAL;
	for (unsigned int i = 0; i < bus->count; i++) {
		const struct mmio_range *r = &bus->ranges[i];

		if (base < r->base + r->size && r->base < base + size)
			return -EEXIST;
	}
	if (bus->count == MMIO_MAX_RANGES)
		return -ENOSPC;
	bus->ranges[bus->count++] = (struct mmio_range){base, size, fn, ptr};
	return 0;
}

bool mmio__dispatch(struct mmio_bus *bus, struct vcpu *vcpu, uint64_t addr, uint8_t *data,
		    uint32_t len, bool is_write)
{
	for (unsigned int i = 0; i < bus->count; i++) {
		const struct mmio_range *r = &bus->ranges[i];

		if (addr >= r->base && addr - r->base + len <= r->size) {
			r->fn(vcpu, addr - r->base, data, len, is_write, r->ptr);
			return true;
		}
	}
	return false;
}

uint64_t mmio__get(const uint8_t *data, uint32_t len)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < len && i < 8; i++)
		v |= (uint64_t)data[i] << (8 * i);
	return v;
}

void mmio__put(uint8_t *data, uint32_t len, uint64_t value)
{
	for (uint32_t i = 0; i < len && i < 8; i++)
		data[i] = value >> (8 * i);
}
