/* SPDX-License-Identifier: MIT */
/*
 * The per-vCPU injection handle: set up once, off the hot path, from the
 * VM's capabilities and the vCPU's ID registers (KVM_GET_ONE_REG), so that
 * sw_inject() never has to ask again.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>

#include <seawall/inject.h>

#include "compiler.h"
#include "kvm_uapi.h"
#include "vcpu.h"

int sw_kvm_ioctl(int fd, unsigned long request, void *arg)
{
	int saved = errno;
	int ret = ioctl(fd, request, arg);

	if (ret < 0)
		ret = errno ? -errno : -EIO;
	errno = saved;
	return ret;
}

int sw_kvm_get_reg(int vcpu_fd, uint64_t id, uint64_t *value)
{
	struct sw_kvm_one_reg reg = {.id = id, .addr = (uint64_t)(uintptr_t)value};
	int ret = sw_kvm_ioctl(vcpu_fd, SW_KVM_GET_ONE_REG, &reg);

	return ret < 0 ? ret : 0;
}

int sw_kvm_set_reg(int vcpu_fd, uint64_t id, uint64_t value)
{
	struct sw_kvm_one_reg reg = {.id = id, .addr = (uint64_t)(uintptr_t)&value};
	int ret = sw_kvm_ioctl(vcpu_fd, SW_KVM_SET_ONE_REG, &reg);

	return ret < 0 ? ret : 0;
}

/* KVM_CHECK_EXTENSION: > 0 when present, 0 when not, or -errno. */
static int check_extension(int vm_fd, long cap)
{
	return sw_kvm_ioctl(vm_fd, SW_KVM_CHECK_EXTENSION, (void *)cap);
}

static const struct {
	uint64_t id;
	size_t offset; /* in struct sw_id_regs */
	const char *failure;
} id_regs[] = {
	{SW_KVM_REG_ID_AA64PFR0_EL1, offsetof(struct sw_id_regs, pfr0),
	 "KVM_GET_ONE_REG(ID_AA64PFR0_EL1) failed (ENOEXEC: call KVM_ARM_VCPU_INIT first)"},
	{SW_KVM_REG_ID_AA64PFR1_EL1, offsetof(struct sw_id_regs, pfr1),
	 "KVM_GET_ONE_REG(ID_AA64PFR1_EL1) failed (ENOEXEC: call KVM_ARM_VCPU_INIT first)"},
	{SW_KVM_REG_ID_AA64DFR1_EL1, offsetof(struct sw_id_regs, dfr1),
	 "KVM_GET_ONE_REG(ID_AA64DFR1_EL1) failed (ENOEXEC: call KVM_ARM_VCPU_INIT first)"},
	{SW_KVM_REG_ID_AA64MMFR1_EL1, offsetof(struct sw_id_regs, mmfr1),
	 "KVM_GET_ONE_REG(ID_AA64MMFR1_EL1) failed (ENOEXEC: call KVM_ARM_VCPU_INIT first)"},
	{SW_KVM_REG_ID_AA64MMFR2_EL1, offsetof(struct sw_id_regs, mmfr2),
	 "KVM_GET_ONE_REG(ID_AA64MMFR2_EL1) failed (ENOEXEC: call KVM_ARM_VCPU_INIT first)"},
};

SW_EXPORT int sw_vcpu_init(struct sw_vcpu *vcpu, int vm_fd, int vcpu_fd, const char **reason)
{
	const char *why = NULL;
	int ret;

	if (!vcpu) {
		why = "no struct sw_vcpu to fill (NULL)";
		ret = -EINVAL;
		goto out;
	}
	memset(vcpu, 0, sizeof(*vcpu));
	vcpu->fd = vcpu_fd;

	ret = check_extension(vm_fd, SW_KVM_CAP_ARM_INJECT_EXT_DABT);
	if (ret < 0) {
		why = "KVM_CHECK_EXTENSION(KVM_CAP_ARM_INJECT_EXT_DABT) failed on the VM fd";
		goto out;
	}
	vcpu->has_ext_dabt = ret > 0;
	/* ext_iabt_pending and ext_abt_esr: seawall's kernel series (docs/kernel.md). */
	if (SW_KVM_CAP_ARM_INJECT_EXT_IABT != 0) {
		ret = check_extension(vm_fd, SW_KVM_CAP_ARM_INJECT_EXT_IABT);
		if (ret < 0) {
			why = "KVM_CHECK_EXTENSION(KVM_CAP_ARM_INJECT_EXT_IABT) failed on the VM "
			      "fd";
			goto out;
		}
		vcpu->has_ext_iabt = ret > 0;
	}

	for (size_t i = 0; i < SW_ARRAY_SIZE(id_regs); i++) {
		uint64_t *field = (uint64_t *)((char *)&vcpu->id + id_regs[i].offset);

		ret = sw_kvm_get_reg(vcpu_fd, id_regs[i].id, field);
		if (ret) {
			why = id_regs[i].failure;
			goto out;
		}
	}
	ret = sw_vcpu_features_from_id_regs(&vcpu->features, &vcpu->id);
out:
	if (ret && reason)
		*reason = why;
	return ret < 0 ? ret : 0;
}
