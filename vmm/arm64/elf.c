/* SPDX-License-Identifier: MIT */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../boot.h"
#include "../file.h"
#include "../log.h"
#include "../vm.h"
#include "elf.h"

static int check_header(const char *path, const Elf64_Ehdr *eh, uint64_t size)
{
	const char *why = NULL;

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG))
		why = "not an ELF file";
	else if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB)
		why = "not a little-endian ELF64 file";
	else if (eh->e_machine != EM_AARCH64)
		why = "not an AArch64 program";
	else if (eh->e_type != ET_EXEC)
		why = "not a static executable (ET_EXEC)";
	else if (eh->e_phentsize != sizeof(Elf64_Phdr) || !eh->e_phnum || eh->e_phoff > size ||
		 (size - eh->e_phoff) / sizeof(Elf64_Phdr) < eh->e_phnum)
		why = "its program headers are missing or truncated";
	if (why) {
		vmm__log("--guest %s: %s", path, why);
		return -ENOEXEC;
	}
	return 0;
}

static int load_segment(struct vm *vm, const char *path, const uint8_t *file, uint64_t size,
			const Elf64_Phdr *ph, uint64_t limit, struct boot_info *boot)
{
	uint64_t end = ph->p_paddr + ph->p_memsz;
	uint8_t *dst;

	if (ph->p_filesz > ph->p_memsz || ph->p_offset > size ||
	    size - ph->p_offset < ph->p_filesz) {
		vmm__log("--guest %s: a PT_LOAD segment lies outside the file", path);
		return -ENOEXEC;
	}
	if (end < ph->p_paddr || ph->p_paddr < vm->mem.gpa || end > limit) {
		vmm__log("--guest %s: segment [0x%llx, 0x%llx) is outside guest RAM [0x%llx, "
			 "0x%llx): link it into RAM or use a larger --mem",
			 path, (unsigned long long)ph->p_paddr, (unsigned long long)end,
			 (unsigned long long)vm->mem.gpa, (unsigned long long)limit);
		return -ENOEXEC;
	}
	dst = memory__hva(&vm->mem, ph->p_paddr, ph->p_memsz);
	memcpy(dst, file + ph->p_offset, ph->p_filesz);
	memset(dst + ph->p_filesz, 0, ph->p_memsz - ph->p_filesz);
	if (!boot->kernel_end || ph->p_paddr < boot->kernel_gpa)
		boot->kernel_gpa = ph->p_paddr;
	if (end > boot->kernel_end)
		boot->kernel_end = end;
	return 0;
}

int elf__load(struct vm *vm, const char *path, uint64_t limit, struct boot_info *boot)
{
	const Elf64_Ehdr *eh;
	uint8_t *file;
	uint64_t size;
	unsigned int loaded = 0;
	int ret;

	ret = file__size("--guest", path, &size);
	if (ret)
		return ret;
	if (size < sizeof(*eh) || size > vm->mem.size) {
		vmm__log("--guest %s: %s", path,
			 size < sizeof(*eh) ? "too small for an ELF file"
					    : "larger than guest RAM");
		return -ENOEXEC;
	}
	file = malloc(size);
	if (!file)
		return -ENOMEM;
	ret = file__read("--guest", path, file, size);
	if (ret)
		goto out;
	eh = (const Elf64_Ehdr *)file;
	ret = check_header(path, eh, size);
	if (ret)
		goto out;
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;

		/* e_phoff need not be aligned: copy rather than cast. */
		memcpy(&ph, file + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		ret = load_segment(vm, path, file, size, &ph, limit, boot);
		if (ret)
			goto out;
		loaded++;
	}
	if (!loaded) {
		vmm__log("--guest %s: no PT_LOAD segment to load", path);
		ret = -ENOEXEC;
		goto out;
	}
	if (eh->e_entry < boot->kernel_gpa || eh->e_entry >= boot->kernel_end) {
		vmm__log("--guest %s: entry point 0x%llx is outside its loaded segments", path,
			 (unsigned long long)eh->e_entry);
		ret = -ENOEXEC;
		goto out;
	}
	boot->entry = eh->e_entry;
out:
	free(file);
	return ret;
}
