// SPDX-License-Identifier: MIT
/*
 * sw-test-caps: the capabilities seawall relies on are there on the rig's
 * kernel, asked the way a VMM asks (KVM_CHECK_EXTENSION on the VM fd), and
 * KVM_CAP_ARM_SEA_TO_USER can be enabled.
 */
#include <errno.h>
#include <string.h>

#include "kvm.h"
#include "test.h"

static void test_check_extension(const void *arg)
{
	long cap = *(const long *)arg;
	struct rig_vm *vm = vm_create();

	TEST_ASSERT_EQ(vm_check_cap(vm, cap), 1);
	vm_free(vm);
}

static void test_enable_sea_to_user(const void *arg)
{
	struct rig_vm *vm = vm_create();

	(void)arg;
	TEST_ASSERT(__vm_enable_cap(vm, KVM_CAP_ARM_SEA_TO_USER, 0) == 0,
		    "KVM_ENABLE_CAP(KVM_CAP_ARM_SEA_TO_USER): %s", strerror(errno));
	vm_free(vm);
}

static const long sea_to_user = KVM_CAP_ARM_SEA_TO_USER;
static const long inject_ext_dabt = KVM_CAP_ARM_INJECT_EXT_DABT;

static const struct rig_case cases[] = {
	{"KVM_CHECK_EXTENSION(KVM_CAP_ARM_SEA_TO_USER = 245) is 1", test_check_extension,
	 &sea_to_user},
	{"KVM_CHECK_EXTENSION(KVM_CAP_ARM_INJECT_EXT_DABT = 178) is 1", test_check_extension,
	 &inject_ext_dabt},
	{"KVM_ENABLE_CAP(KVM_CAP_ARM_SEA_TO_USER) succeeds", test_enable_sea_to_user, NULL},
};

_Static_assert(KVM_CAP_ARM_SEA_TO_USER == 245, "the UAPI of the rig's kernel");
_Static_assert(KVM_CAP_ARM_INJECT_EXT_DABT == 178, "the UAPI of the rig's kernel");

int main(void)
{
	return rig_test_main(cases, sizeof(cases) / sizeof(cases[0]));
}
