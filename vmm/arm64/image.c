/* SPDX-License-Identifier: MIT */
#include <endian.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "../boot.h"
#include "../file.h"
#include "../log.h"
#include "../vm.h"
#include "image.h"

/* The 64-byte header at the start of an arm64 Image (booting.rst, section 4). */
struct arm64_image_header {
	uint32_t code0;
	uint32_t code1;
	uint64_t text_offset; /* little endian since v3.17 */
	uint64_t image_size;  /* 0 before v3.17 */
	uint64_t flags;
	uint64_t res2, res3, res4;
	uint32_t magic;
	uint32_t res5;
};

#define ARM64_IMAGE_MAGIC   0x644d5241 /* "ARM\x64" */
#define ARM64_IMAGE_FLAG_BE 0x1ULL     /* bit 0: kernel endianness */

/* Needs round up, what is free rounds down: the message never promises too much. */
#define MIB_UP(x)   ((unsigned long long)(((x) + (1ULL << 20) - 1) >> 20))
#define MIB_DOWN(x) ((unsigned long long)((x) >> 20))

int image__load(struct vm *vm, const char *path, uint64_t limit, struct boot_info *boot)
{
	struct arm64_image_header h;
	uint64_t size, gpa, end;
	int ret;

	ret = file__size("--kernel", path, &size);
	if (ret)
		return ret;
	if (size < sizeof(h)) {
		vmm__log("--kernel %s: too small for an arm64 Image (%llu bytes)", path,
			 (unsigned long long)size);
		return -ENOEXEC;
	}
	ret = file__read("--kernel", path, &h, sizeof(h));
	if (ret)
		return ret;
	if (le32toh(h.magic) != ARM64_IMAGE_MAGIC) {
		vmm__log("--kernel %s: not an arm64 Linux Image (no \"ARM\\x64\" magic at offset "
			 "56; a compressed vmlinuz must be decompressed first)",
			 path);
		return -ENOEXEC;
	}
	if (le64toh(h.flags) & ARM64_IMAGE_FLAG_BE) {
		vmm__log("--kernel %s: a big-endian kernel; seawall-vmm boots little-endian ones",
			 path);
		return -ENOEXEC;
	}
	if (!h.image_size) {
		vmm__log("--kernel %s: the Image header has no image_size (a kernel older than "
			 "3.17); use a newer kernel",
			 path);
		return -ENOEXEC;
	}
	/* RAM starts 2 MiB aligned, as booting.rst requires of the base. */
	gpa = vm->mem.gpa + le64toh(h.text_offset);
	end = gpa + le64toh(h.image_size);
	if (le64toh(h.image_size) < size) {
		vmm__log("--kernel %s: corrupt Image header (image_size %llu is less than the "
			 "file's %llu bytes)",
			 path, (unsigned long long)le64toh(h.image_size), (unsigned long long)size);
		return -ENOEXEC;
	}
	if (end > limit || end < gpa) {
		vmm__log("--kernel %s: the Image needs %llu MiB from 0x%llx, but only %llu MiB are "
			 "free there: use a larger --mem",
			 path, MIB_UP(le64toh(h.image_size)), (unsigned long long)gpa,
			 MIB_DOWN(limit > gpa ? limit - gpa : 0));
		return -EFBIG;
	}
	ret = file__read("--kernel", path, memory__hva(&vm->mem, gpa, size), size);
	if (ret)
		return ret;
	boot->entry = gpa;
	boot->kernel_gpa = gpa;
	boot->kernel_end = end;
	return 0;
}
