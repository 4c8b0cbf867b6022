/* SPDX-License-Identifier: MIT */
/*
 * Where things go in guest RAM for a boot:
 *
 *   RAM base + text_offset   the Image (image_size bytes, BSS included),
 *                            or the ELF guest's segments where it asks
 *   ... free ...
 *   below the device tree    the initrd, 4 KiB aligned
 *   RAM end - FDT_MAX_SIZE   the device tree (8-byte aligned, booting.rst)
 */
#include <errno.h>
#include <string.h>

#include <libfdt.h>

#include "../boot.h"
#include "../file.h"
#include "../log.h"
#include "../vm.h"
#include "elf.h"
#include "fdt.h"
#include "image.h"

#define INITRD_ALIGN 0x1000ULL

static int load_initrd(struct vm *vm, const char *path, uint64_t limit, struct boot_info *boot)
{
	uint64_t size, gpa;
	int ret;

	ret = file__size("--initrd", path, &size);
	if (ret)
		return ret;
	gpa = limit > size ? (limit - size) & ~(INITRD_ALIGN - 1) : 0;
	if (!size || gpa < boot->kernel_end) {
		vmm__log("--initrd %s: %s", path,
			 size ? "does not fit in guest RAM beside the kernel: use a larger --mem"
			      : "the file is empty");
		return size ? -EFBIG : -EINVAL;
	}
	ret = file__read("--initrd", path, memory__hva(&vm->mem, gpa, size), size);
	if (ret)
		return ret;
	boot->initrd_gpa = gpa;
	boot->initrd_size = size;
	return 0;
}

int boot__load(struct vm *vm)
{
	const struct vmm_options *o = vm->opts;
	struct boot_info *boot = &vm->boot;
	static char fdt[FDT_MAX_SIZE];
	unsigned int bad[4];
	int ret;

	/* The loader writes guest RAM: no bad page may be left mapped (main.c restarts them). */
	memory__count(&vm->mem, bad);
	if (bad[PAGE_POISONED] + bad[PAGE_HANDED_OFF] + bad[PAGE_HOLE]) {
		vmm__log("refusing to load the guest over %u bad pages",
			 bad[PAGE_POISONED] + bad[PAGE_HANDED_OFF] + bad[PAGE_HOLE]);
		return -EIO;
	}
	memset(boot, 0, sizeof(*boot));
	boot->dtb_gpa = vm->mem.gpa + vm->mem.size - FDT_MAX_SIZE;
	if (o->kernel) {
		ret = image__load(vm, o->kernel, boot->dtb_gpa, boot);
		if (!ret && o->initrd)
			ret = load_initrd(vm, o->initrd, boot->dtb_gpa, boot);
	} else {
		ret = elf__load(vm, o->guest, boot->dtb_gpa, boot);
	}
	if (ret)
		return ret;

	ret = fdt__build(vm, fdt, sizeof(fdt));
	if (ret) {
		vmm__log("cannot build the device tree: %s", fdt_strerror(ret));
		return -EINVAL;
	}
	memcpy(memory__hva(&vm->mem, boot->dtb_gpa, FDT_MAX_SIZE), fdt, fdt_totalsize(fdt));
	return 0;
}
