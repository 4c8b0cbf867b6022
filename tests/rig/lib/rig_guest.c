// SPDX-License-Identifier: MIT
/* Running a bare-metal guest under KVM (see rig_guest.h). */
#include "rig_guest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

void guest_create(struct rig_guest *g, const char *name, const uint64_t args[6], bool sea_to_user)
{
	const char *dir = getenv("SEAWALL_GUESTS");
	struct sw_guest_params *params;
	char path[256];

	snprintf(path, sizeof(path), "%s/%s.elf", dir && *dir ? dir : "/guests", name);
	g->vm = vm_create();
	if (sea_to_user) {
		TEST_REQUIRE(vm_check_cap(g->vm, KVM_CAP_ARM_SEA_TO_USER) == 1,
			     "KVM_CAP_ARM_SEA_TO_USER is not supported");
		vm_enable_cap(g->vm, KVM_CAP_ARM_SEA_TO_USER, 0);
	}
	vm_add_anon(g->vm, SW_GUEST_RAM_BASE, SW_GUEST_RAM_SIZE);
	g->entry = vm_load_elf(g->vm, path);
	TEST_ASSERT_EQ(g->entry, SW_GUEST_RAM_BASE);

	params = guest_ptr(g, SW_GUEST_PARAMS);
	TEST_ASSERT(params->magic == SW_GUEST_PARAMS_MAGIC, "%s: no parameter block at 0x%lx", path,
		    SW_GUEST_PARAMS);
	params->ucall_mode = SW_UCALL_MODE_MMIO;
	for (int i = 0; i < 6; i++)
		params->args[i] = args ? args[i] : 0;
	g->vcpu = vcpu_add(g->vm, g->entry);
}

void guest_free(struct rig_guest *g)
{
	if (g->vcpu)
		vcpu_free(g->vcpu);
	vm_free(g->vm);
	memset(g, 0, sizeof(*g));
}

void *guest_ptr(struct rig_guest *g, uint64_t gpa)
{
	return vm_gpa_to_hva(g->vm, gpa);
}

uint64_t get_ucall(struct rig_guest *g, struct sw_ucall *uc)
{
	struct kvm_run *run = g->vcpu->run;
	uint64_t gpa;

	memset(uc, 0, sizeof(*uc));
	if (run->exit_reason != KVM_EXIT_MMIO || run->mmio.phys_addr != SW_GUEST_UCALL_MMIO)
		return SW_UCALL_NONE;
	TEST_ASSERT(run->mmio.is_write && run->mmio.len == 8,
		    "ucall doorbell: %s of %u bytes, expected an 8-byte write",
		    run->mmio.is_write ? "write" : "read", run->mmio.len);
	memcpy(&gpa, run->mmio.data, sizeof(gpa));
	guest_ptr(g, gpa + sizeof(*uc) - 1); /* the whole struct is guest memory */
	memcpy(uc, guest_ptr(g, gpa), sizeof(*uc));
	uc->file[sizeof(uc->file) - 1] = '\0';
	uc->text[sizeof(uc->text) - 1] = '\0';
	return uc->cmd;
}

uint64_t guest_run(struct rig_guest *g, struct sw_ucall *uc)
{
	for (;;) {
		vcpu_run(g->vcpu);
		if (get_ucall(g, uc) != SW_UCALL_PRINT)
			return uc->cmd;
		rig_diag("guest: %s", uc->text);
	}
}

void guest_check_fail(const struct sw_ucall *uc)
{
	if (uc->cmd == SW_UCALL_FAIL)
		rig_fail(uc->file, (int)uc->line, "guest assertion", "%s", uc->text);
}

static const char *ucall_name(uint64_t cmd)
{
	static const char *const names[] = {"none", "sync", "done", "fail", "print"};

	return cmd < sizeof(names) / sizeof(names[0]) ? names[cmd] : "?";
}

void guest_expect_sync(struct rig_guest *g, uint64_t stage, struct sw_ucall *uc)
{
	uint64_t cmd = guest_run(g, uc);

	guest_check_fail(uc);
	TEST_ASSERT(cmd == SW_UCALL_SYNC, "expected a sync at stage %llu, got ucall %s (exit %s)",
		    (unsigned long long)stage, ucall_name(cmd),
		    exit_reason_str(g->vcpu->run->exit_reason));
	TEST_ASSERT(uc->args[0] == stage, "sync at stage %llu, expected stage %llu",
		    (unsigned long long)uc->args[0], (unsigned long long)stage);
}

void guest_expect_done(struct rig_guest *g)
{
	struct sw_ucall uc;
	uint64_t cmd = guest_run(g, &uc);

	guest_check_fail(&uc);
	TEST_ASSERT(cmd == SW_UCALL_DONE, "expected done, got ucall %s (exit %s)", ucall_name(cmd),
		    exit_reason_str(g->vcpu->run->exit_reason));
}
