// SPDX-License-Identifier: MIT
/*
 * Loading a bare-metal guest: the PT_LOAD segments of an ELF64 aarch64
 * executable, at their physical addresses, into the VM's memslots (what
 * QEMU's -kernel does for an ELF under plain TCG, so a guest image runs
 * the same in both).
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvm.h"

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	TEST_ASSERT(f, "%s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	TEST_ASSERT(buf, "%s: cannot read it", path);
	return buf;
}

uint64_t vm_load_elf(struct rig_vm *vm, const char *path)
{
	size_t len;
	uint8_t *img = read_file(path, &len);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
	uint64_t entry;

	TEST_ASSERT(len >= sizeof(*eh) && memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0,
		    "%s: not an ELF file", path);
	TEST_ASSERT(eh->e_ident[EI_CLASS] == ELFCLASS64 && eh->e_ident[EI_DATA] == ELFDATA2LSB &&
			    eh->e_machine == EM_AARCH64 && eh->e_type == ET_EXEC,
		    "%s: not a little-endian ELF64 aarch64 executable", path);
	TEST_ASSERT(eh->e_phentsize == sizeof(Elf64_Phdr) &&
			    eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) <= len,
		    "%s: bad program header table", path);

	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(img + eh->e_phoff) + i;
		uint8_t *dst;

		if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
			continue;
		TEST_ASSERT(ph->p_filesz <= ph->p_memsz && ph->p_offset + ph->p_filesz <= len,
			    "%s: segment %d is out of the file", path, i);
		/* Both ends must lie in guest memory (one slot: images are small). */
		dst = vm_gpa_to_hva(vm, ph->p_paddr);
		vm_gpa_to_hva(vm, ph->p_paddr + ph->p_memsz - 1);
		memcpy(dst, img + ph->p_offset, ph->p_filesz);
		memset(dst + ph->p_filesz, 0, ph->p_memsz - ph->p_filesz);
	}
	entry = eh->e_entry;
	free(img);
	return entry;
}
