/* SPDX-License-Identifier: MIT */
/*
 * Which strategy sw_inject() runs, and its first ioctl, for each kind of
 * abort and vCPU: SW_INJECT_AUTO must take KVM's ext_abt (seawall's kernel
 * series, KVM_CAP_ARM_INJECT_EXT_IABT) whenever it is exact, ext_dabt when
 * only that is there and exact, and ONE_REG otherwise; forcing ext_abt
 * without the capability is refused before any ioctl.
 *
 * No KVM here: the vCPU fd is -1, so the strategy's first ioctl fails with
 * -EBADF and the result says which strategy issued it (the rig tests,
 * tests/rig/test-kernel-inject.c, run the same choices on the real kernel).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <seawall/inject.h>

struct strategy_case {
	const char *name;
	bool has_ext_dabt, has_ext_iabt, nmi;
	enum sw_abort_type type;
	uint32_t iss;
	bool far_from_exit;
	enum sw_inject_strategy asked;
	int ret;
	enum sw_inject_strategy ran;
	unsigned int ioctls;
	const char *reason;
};

static const struct strategy_case cases[] = {
	{"auto, ext_abt kernel, fetch from an exit", true, true, false, SW_ABORT_INSN, 0x210, true,
	 SW_INJECT_AUTO, -EBADF, SW_INJECT_EXT_ABT, 1, "KVM_SET_VCPU_EVENTS(ext_abt_esr) failed"},
	{"auto, ext_abt kernel, store WnR EA", true, true, false, SW_ABORT_DATA, 0x250, true,
	 SW_INJECT_AUTO, -EBADF, SW_INJECT_EXT_ABT, 1, "KVM_SET_VCPU_EVENTS(ext_abt_esr) failed"},
	{"auto, ext_abt kernel, DFSC 0x10 only (ext_abt preferred)", true, true, false,
	 SW_ABORT_DATA, 0x10, true, SW_INJECT_AUTO, -EBADF, SW_INJECT_EXT_ABT, 1,
	 "KVM_SET_VCPU_EVENTS(ext_abt_esr) failed"},
	{"auto, ext_abt kernel, FAR not the exit's", true, true, false, SW_ABORT_DATA, 0x250, false,
	 SW_INJECT_AUTO, -EBADF, SW_INJECT_ONE_REG, 1, "KVM_GET_ONE_REG(PSTATE) failed"},
	{"auto, ext_abt kernel, FEAT_NMI vCPU", true, true, true, SW_ABORT_INSN, 0x210, true,
	 SW_INJECT_AUTO, -EBADF, SW_INJECT_ONE_REG, 1, "KVM_GET_ONE_REG(PSTATE) failed"},
	{"auto, 7.3 kernel, DFSC 0x10 only", true, false, false, SW_ABORT_DATA, 0x10, true,
	 SW_INJECT_AUTO, -EBADF, SW_INJECT_EXT_DABT, 1,
	 "KVM_SET_VCPU_EVENTS(ext_dabt_pending) failed"},
	{"auto, 7.3 kernel, fetch", true, false, false, SW_ABORT_INSN, 0x210, true, SW_INJECT_AUTO,
	 -EBADF, SW_INJECT_ONE_REG, 1, "KVM_GET_ONE_REG(PSTATE) failed"},
	{"forced ext_abt, 7.3 kernel", true, false, false, SW_ABORT_INSN, 0x210, true,
	 SW_INJECT_EXT_ABT, -EOPNOTSUPP, SW_INJECT_AUTO, 0,
	 "KVM_CAP_ARM_INJECT_EXT_IABT is not available: it needs seawall's kernel series "
	 "(docs/kernel.md); use SW_INJECT_ONE_REG"},
	{"forced ext_abt, ext_abt kernel, FAR not the exit's", true, true, false, SW_ABORT_DATA,
	 0x250, false, SW_INJECT_EXT_ABT, -EBADF, SW_INJECT_EXT_ABT, 1,
	 "KVM_SET_VCPU_EVENTS(ext_abt_esr) failed"},
	{"forced one_reg, ext_abt kernel", true, true, false, SW_ABORT_INSN, 0x210, true,
	 SW_INJECT_ONE_REG, -EBADF, SW_INJECT_ONE_REG, 1, "KVM_GET_ONE_REG(PSTATE) failed"},
};

static void test_strategy(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct strategy_case *c = &cases[i];
		struct sw_vcpu vcpu;
		struct sw_abort abt = {c->type, c->iss, 0xffff000080010048ULL, c->far_from_exit};
		struct sw_inject_result res;
		const char *reason = NULL;
		int ret;

		memset(&vcpu, 0, sizeof(vcpu));
		vcpu.fd = -1;
		vcpu.features.ras = true;
		vcpu.features.nmi = c->nmi;
		vcpu.has_ext_dabt = c->has_ext_dabt;
		vcpu.has_ext_iabt = c->has_ext_iabt;
		ret = sw_inject(&vcpu, &abt, c->asked, &res, &reason);
		print_message("%s\n", c->name);
		assert_int_equal(ret, c->ret);
		assert_int_equal(res.strategy, c->ran);
		assert_int_equal(res.ioctls, c->ioctls);
		assert_non_null(reason);
		assert_string_equal(reason, c->reason);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strategy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
