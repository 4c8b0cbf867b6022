/* SPDX-License-Identifier: MIT */
/*
 * Decoding SEAs from a raw ESR, a KVM_EXIT_ARM_SEA record, a SIGBUS and an
 * access to a fenced page: every field of struct sw_sea for each fault
 * status code class, level and ISS bit, and the exact reason for values
 * that are not SEAs.  The ESRs
 * 0x92000210, 0x92000250 and 0x82000210 are the ones Linux 7.3 reported in
 * the rig (docs: /work/shared/DESIGN.md section 3).
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <seawall/sea.h>

/* Compare every field, naming the case and the field on a mismatch. */
#define FIELD(f)                                                                                   \
	do {                                                                                       \
		if ((long long)got->f != (long long)want->f)                                       \
			fail_msg("%s: %s is 0x%llx, want 0x%llx", name, #f,                        \
				 (unsigned long long)got->f, (unsigned long long)want->f);         \
	} while (0)

static void check_sea(const char *name, const struct sw_sea *got, const struct sw_sea *want)
{
	FIELD(source);
	FIELD(esr);
	FIELD(ec);
	FIELD(type);
	FIELD(from_lower_el);
	FIELD(fsc);
	FIELD(fsc_class);
	FIELD(level);
	FIELD(il);
	FIELD(fnv);
	FIELD(ea);
	FIELD(cm);
	FIELD(s1ptw);
	FIELD(wnr);
	FIELD(set);
	FIELD(gva_valid);
	FIELD(gva);
	FIELD(gpa_valid);
	FIELD(gpa);
	FIELD(hva_valid);
	FIELD(hva);
	FIELD(addr_lsb);
}

/*
 * An SEA decoded from an ESR, before the per-case fields.  The cases below
 * override some of these defaults (il, set, source) on purpose.
 */
#pragma GCC diagnostic ignored "-Woverride-init"
#define ESR_SEA(esr_, ec_, type_, lower_, fsc_, cls_, level_)                                      \
	.source = SW_SOURCE_ESR, .esr = (esr_), .ec = (ec_), .type = (type_),                      \
	.from_lower_el = (lower_), .fsc = (fsc_), .fsc_class = (cls_), .level = (level_),          \
	.il = true, .set = SW_SET_NONE

#define DA SW_ABORT_DATA
#define IA SW_ABORT_INSN
#define NL SW_LEVEL_NONE

static const struct {
	const char *name;
	uint64_t esr;
	struct sw_sea want;
} esr_cases[] = {
	{"rig load: data abort, lower EL, EA, SET UER",
	 0x92000210,
	 {ESR_SEA(0x92000210, 0x24, DA, true, 0x10, SW_FSC_SEA, NL), .ea = true,
	  .set = SW_SET_UER}},
	{"rig store: WnR",
	 0x92000250,
	 {ESR_SEA(0x92000250, 0x24, DA, true, 0x10, SW_FSC_SEA, NL), .ea = true, .wnr = true,
	  .set = SW_SET_UER}},
	{"rig fetch: instruction abort, lower EL",
	 0x82000210,
	 {ESR_SEA(0x82000210, 0x20, IA, true, 0x10, SW_FSC_SEA, NL), .ea = true,
	  .set = SW_SET_UER}},
	{"ext_dabt as the guest sees it: current EL, EA clear",
	 0x96000010,
	 {ESR_SEA(0x96000010, 0x25, DA, false, 0x10, SW_FSC_SEA, NL), .set = SW_SET_UER}},
	{"instruction abort, current EL",
	 0x86000010,
	 {ESR_SEA(0x86000010, 0x21, IA, false, 0x10, SW_FSC_SEA, NL), .set = SW_SET_UER}},
	{"PFNMAP decode error: EA clear",
	 0x92000010,
	 {ESR_SEA(0x92000010, 0x24, DA, true, 0x10, SW_FSC_SEA, NL), .set = SW_SET_UER}},
	{"FnV",
	 0x92000410,
	 {ESR_SEA(0x92000410, 0x24, DA, true, 0x10, SW_FSC_SEA, NL), .fnv = true,
	  .set = SW_SET_UER}},
	{"SET UC",
	 0x92001010,
	 {ESR_SEA(0x92001010, 0x24, DA, true, 0x10, SW_FSC_SEA, NL), .set = SW_SET_UC}},
	{"SET UEO",
	 0x92001810,
	 {ESR_SEA(0x92001810, 0x24, DA, true, 0x10, SW_FSC_SEA, NL), .set = SW_SET_UEO}},
	{"SET reserved 0b01",
	 0x92000810,
	 {ESR_SEA(0x92000810, 0x24, DA, true, 0x10, SW_FSC_SEA, NL), .set = SW_SET_RESERVED}},
	{"walk level -2 (FEAT_D128)",
	 0x92000012,
	 {ESR_SEA(0x92000012, 0x24, DA, true, 0x12, SW_FSC_SEA_TTW, -2)}},
	{"walk level -1 (FEAT_LPA2)",
	 0x92000013,
	 {ESR_SEA(0x92000013, 0x24, DA, true, 0x13, SW_FSC_SEA_TTW, -1)}},
	{"walk level 0",
	 0x92000014,
	 {ESR_SEA(0x92000014, 0x24, DA, true, 0x14, SW_FSC_SEA_TTW, 0)}},
	{"walk level 1",
	 0x92000015,
	 {ESR_SEA(0x92000015, 0x24, DA, true, 0x15, SW_FSC_SEA_TTW, 1)}},
	{"walk level 2",
	 0x92000016,
	 {ESR_SEA(0x92000016, 0x24, DA, true, 0x16, SW_FSC_SEA_TTW, 2)}},
	{"walk level 3, instruction fetch",
	 0x82000017,
	 {ESR_SEA(0x82000017, 0x20, IA, true, 0x17, SW_FSC_SEA_TTW, 3)}},
	{"parity, not on a walk",
	 0x92000018,
	 {ESR_SEA(0x92000018, 0x24, DA, true, 0x18, SW_FSC_PARITY, NL)}},
	{"parity on a walk, level -1",
	 0x9200001b,
	 {ESR_SEA(0x9200001b, 0x24, DA, true, 0x1b, SW_FSC_PARITY_TTW, -1)}},
	{"parity on a walk, level 0",
	 0x9200001c,
	 {ESR_SEA(0x9200001c, 0x24, DA, true, 0x1c, SW_FSC_PARITY_TTW, 0)}},
	{"parity on a walk, level 3",
	 0x8600001f,
	 {ESR_SEA(0x8600001f, 0x21, IA, false, 0x1f, SW_FSC_PARITY_TTW, 3)}},
	{"FnV and SET are RES0 on a walk: ignored",
	 0x92001c14,
	 {ESR_SEA(0x92001c14, 0x24, DA, true, 0x14, SW_FSC_SEA_TTW, 0)}},
	{"cache maintenance (CM and WnR)",
	 0x92000150,
	 {ESR_SEA(0x92000150, 0x24, DA, true, 0x10, SW_FSC_SEA, NL), .cm = true, .wnr = true,
	  .set = SW_SET_UER}},
	{"CM and WnR do not exist in an instruction abort",
	 0x82000150,
	 {ESR_SEA(0x82000150, 0x20, IA, true, 0x10, SW_FSC_SEA, NL), .set = SW_SET_UER}},
	{"S1PTW on a walk",
	 0x92000294,
	 {ESR_SEA(0x92000294, 0x24, DA, true, 0x14, SW_FSC_SEA_TTW, 0), .ea = true, .s1ptw = true}},
	{"IL clear",
	 0x90000010,
	 {ESR_SEA(0x90000010, 0x24, DA, true, 0x10, SW_FSC_SEA, NL), .il = false,
	  .set = SW_SET_UER}},
	{"ISS2 bits above 32 are kept in esr",
	 0x0000000192000210ULL,
	 {ESR_SEA(0x0000000192000210ULL, 0x24, DA, true, 0x10, SW_FSC_SEA, NL), .ea = true,
	  .set = SW_SET_UER}},
};

static void test_esr_decodes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(esr_cases) / sizeof(esr_cases[0]); i++) {
		struct sw_sea got;
		const char *reason = "untouched";

		memset(&got, 0xa5, sizeof(got));
		if (sw_sea_from_esr(&got, esr_cases[i].esr, &reason) != 0)
			fail_msg("%s: rejected: %s", esr_cases[i].name, reason);
		assert_string_equal(reason, "untouched");
		check_sea(esr_cases[i].name, &got, &esr_cases[i].want);
	}
}

static const struct {
	uint64_t esr;
	const char *reason;
} not_sea_cases[] = {
	{0x56000000, "EC 0x15 is an SVC, not an abort"},
	{0x92000007, "DFSC 0x07 is a translation fault, not an external abort"},
	{0x8200000f, "IFSC 0x0f is a permission fault, not an external abort"},
	{0x92000011, "DFSC 0x11 is a synchronous tag check fault, not an external abort"},
	{0x82000011, "IFSC 0x11 is reserved, not an external abort"},
	{0x92000021, "DFSC 0x21 is an alignment fault, not an external abort"},
	{0x92000019, "DFSC 0x19 is reserved, not an external abort"},
	{0x92000030, "DFSC 0x30 is a TLB conflict abort, not an external abort"},
	{0x9200003f, "DFSC 0x3f is another fault, not an external abort"},
	{0x00000000, "EC 0x00 is an exception with an unknown reason, not an abort"},
	{0xbe000000, "EC 0x2f is an SError, not an abort"},
	{0x8a000010, "EC 0x22 is a PC alignment fault, not an abort"},
	{0x9a000010, "EC 0x26 is an SP alignment fault, not an abort"},
	{0xf2000000, "EC 0x3c is a BRK, not an abort"},
	{0xf6000000, "EC 0x3d is not an abort"},
	{0xfe000010, "EC 0x3f is unallocated, not an abort"},
};

static void test_not_sea(void **state)
{
	static const struct sw_sea zero;

	(void)state;
	for (size_t i = 0; i < sizeof(not_sea_cases) / sizeof(not_sea_cases[0]); i++) {
		struct sw_sea got;
		const char *reason = NULL;

		memset(&got, 0xa5, sizeof(got));
		assert_int_equal(sw_sea_from_esr(&got, not_sea_cases[i].esr, &reason), -EINVAL);
		assert_string_equal(reason, not_sea_cases[i].reason);
		/* A rejected value leaves nothing half-decoded behind. */
		assert_memory_equal(&got, &zero, sizeof(got));
		assert_int_equal(sw_sea_from_exit(&got, 1, not_sea_cases[i].esr, 0, 0, &reason),
				 -EINVAL);
		assert_string_equal(reason, not_sea_cases[i].reason);
	}
}

/* Every EC that is not an abort has its own reason naming the value. */
static void test_every_ec_has_a_reason(void **state)
{
	(void)state;
	for (unsigned int ec = 0; ec < 64; ec++) {
		struct sw_sea got;
		const char *reason = NULL;
		char prefix[16];
		int ret = sw_sea_from_esr(&got, ((uint64_t)ec << 26) | 0x10, &reason);

		if (ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25) {
			assert_int_equal(ret, 0);
			continue;
		}
		assert_int_equal(ret, -EINVAL);
		assert_non_null(reason);
		snprintf(prefix, sizeof(prefix), "EC 0x%02x is ", ec);
		assert_memory_equal(reason, prefix, strlen(prefix));
	}
}

/* Exactly 13 of the 64 fault status codes are SEAs: 0x10, 0x12-0x18, 0x1b-0x1f. */
static void test_every_fsc(void **state)
{
	unsigned int seas = 0;

	(void)state;
	for (unsigned int fsc = 0; fsc < 64; fsc++) {
		struct sw_sea got;
		const char *reason = NULL;
		char prefix[16];

		if (sw_sea_from_esr(&got, 0x92000000 | fsc, &reason) == 0) {
			seas++;
			assert_int_equal(got.fsc, fsc);
			continue;
		}
		snprintf(prefix, sizeof(prefix), "DFSC 0x%02x is ", fsc);
		assert_memory_equal(reason, prefix, strlen(prefix));
		assert_int_equal(sw_sea_from_esr(&got, 0x82000000 | fsc, &reason), -EINVAL);
		prefix[0] = 'I';
		assert_memory_equal(reason, prefix, strlen(prefix));
	}
	assert_int_equal(seas, 13);
}

static void test_null_arguments(void **state)
{
	const char *reason = NULL;
	siginfo_t si;

	(void)state;
	assert_int_equal(sw_sea_from_esr(NULL, 0x92000210, &reason), -EINVAL);
	assert_string_equal(reason, "no struct sw_sea to fill (NULL)");
	assert_int_equal(sw_sea_from_exit(NULL, 1, 0x92000210, 0, 0, NULL), -EINVAL);
	memset(&si, 0, sizeof(si));
	assert_int_equal(sw_sea_from_sigbus(NULL, &si, NULL, &reason), -EINVAL);
	reason = NULL;
	assert_int_equal(sw_sea_from_fenced(NULL, 0x80500048, false, &reason), -EINVAL);
	assert_string_equal(reason, "no struct sw_sea to fill (NULL)");
	/* The reason is optional. */
	{
		struct sw_sea sea;

		assert_int_equal(sw_sea_from_esr(&sea, 0x56000000, NULL), -EINVAL);
	}
}

static const struct {
	const char *name;
	uint64_t flags, esr, gva, gpa;
	struct sw_sea want;
} exit_cases[] = {
	{"rig load",
	 0x1,
	 0x92000210,
	 0x80010048,
	 0x80010000,
	 {ESR_SEA(0x92000210, 0x24, DA, true, 0x10, SW_FSC_SEA, NL), .source = SW_SOURCE_KVM_EXIT,
	  .ea = true, .set = SW_SET_UER, .gva_valid = true, .gva = 0x80010048, .gpa_valid = true,
	  .gpa = 0x80010000}},
	{"rig fetch",
	 0x1,
	 0x82000210,
	 0x80010000,
	 0x80010000,
	 {ESR_SEA(0x82000210, 0x20, IA, true, 0x10, SW_FSC_SEA, NL), .source = SW_SOURCE_KVM_EXIT,
	  .ea = true, .set = SW_SET_UER, .gva_valid = true, .gva = 0x80010000, .gpa_valid = true,
	  .gpa = 0x80010000}},
	{"no GPA flag",
	 0x0,
	 0x92000250,
	 0xffff000012345678,
	 0x80010000,
	 {ESR_SEA(0x92000250, 0x24, DA, true, 0x10, SW_FSC_SEA, NL), .source = SW_SOURCE_KVM_EXIT,
	  .ea = true, .wnr = true, .set = SW_SET_UER, .gva_valid = true, .gva = 0xffff000012345678,
	  .gpa = 0x80010000}},
	{"unknown flag bits are ignored",
	 0x3,
	 0x92000210,
	 0x1000,
	 0x2000,
	 {ESR_SEA(0x92000210, 0x24, DA, true, 0x10, SW_FSC_SEA, NL), .source = SW_SOURCE_KVM_EXIT,
	  .ea = true, .set = SW_SET_UER, .gva_valid = true, .gva = 0x1000, .gpa_valid = true,
	  .gpa = 0x2000}},
	{"FnV: gva not valid",
	 0x1,
	 0x92000610,
	 0xdead,
	 0x80010000,
	 {ESR_SEA(0x92000610, 0x24, DA, true, 0x10, SW_FSC_SEA, NL), .source = SW_SOURCE_KVM_EXIT,
	  .ea = true, .fnv = true, .set = SW_SET_UER, .gva = 0xdead, .gpa_valid = true,
	  .gpa = 0x80010000}},
	{"stage 1 walk: FAR valid even with the RES0 FnV bit set",
	 0x1,
	 0x92000615,
	 0xffff800000001000,
	 0x80200000,
	 {ESR_SEA(0x92000615, 0x24, DA, true, 0x15, SW_FSC_SEA_TTW, 1),
	  .source = SW_SOURCE_KVM_EXIT, .ea = true, .gva_valid = true, .gva = 0xffff800000001000,
	  .gpa_valid = true, .gpa = 0x80200000}},
};

static void test_exit_decodes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(exit_cases) / sizeof(exit_cases[0]); i++) {
		struct sw_sea got;
		const char *reason = NULL;

		memset(&got, 0x5a, sizeof(got));
		if (sw_sea_from_exit(&got, exit_cases[i].flags, exit_cases[i].esr,
				     exit_cases[i].gva, exit_cases[i].gpa, &reason) != 0)
			fail_msg("%s: rejected: %s", exit_cases[i].name, reason);
		check_sea(exit_cases[i].name, &got, &exit_cases[i].want);
	}
}

static const struct sw_memslot slots[] = {
	{.gpa = 0x80000000, .size = 0x10000000, .hva = 0x7f0000000000},
	{.gpa = 0x0, .size = 0x200000, .hva = 0x7e0000000000},
};
static const struct sw_memmap map = {slots, 2};

static siginfo_t sigbus(int code, uint64_t addr, int lsb)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = SIGBUS;
	si.si_code = code;
	si.si_addr = (void *)(uintptr_t)addr;
	si.si_addr_lsb = (short)lsb;
	return si;
}

#define SIGBUS_SEA(src, hva_, lsb)                                                                 \
	.source = (src), .type = SW_ABORT_UNKNOWN, .fsc_class = SW_FSC_NONE,                       \
	.level = SW_LEVEL_NONE, .set = SW_SET_NONE, .hva_valid = true, .hva = (hva_),              \
	.addr_lsb = (lsb)

static void test_sigbus(void **state)
{
	struct sw_sea got;
	const char *reason = NULL;
	siginfo_t si;

	(void)state;
	si = sigbus(BUS_MCEERR_AR, 0x7f0000003008, 12);
	assert_int_equal(sw_sea_from_sigbus(&got, &si, &map, &reason), 0);
	check_sea("AR in slot 0", &got,
		  &(struct sw_sea){SIGBUS_SEA(SW_SOURCE_SIGBUS_AR, 0x7f0000003008, 12),
				   .gpa_valid = true, .gpa = 0x80003008});

	si = sigbus(BUS_MCEERR_AO, 0x7e00001ff000, 21);
	assert_int_equal(sw_sea_from_sigbus(&got, &si, &map, &reason), 0);
	check_sea("AO in slot 1, 2 MiB extent", &got,
		  &(struct sw_sea){SIGBUS_SEA(SW_SOURCE_SIGBUS_AO, 0x7e00001ff000, 21),
				   .gpa_valid = true, .gpa = 0x1ff000});

	si = sigbus(BUS_MCEERR_AR, 0x7e0000200000, 12);
	assert_int_equal(sw_sea_from_sigbus(&got, &si, &map, &reason), -ENOENT);
	assert_string_equal(reason, "si_addr is outside every guest memory slot: the poisoned "
				    "page is not guest memory");
	check_sea("AR just past slot 1", &got,
		  &(struct sw_sea){SIGBUS_SEA(SW_SOURCE_SIGBUS_AR, 0x7e0000200000, 12)});

	si = sigbus(BUS_MCEERR_AR, 0x7f0000000000, 12);
	assert_int_equal(sw_sea_from_sigbus(&got, &si, NULL, &reason), -ENOENT);
	check_sea("AR without a memslot table", &got,
		  &(struct sw_sea){SIGBUS_SEA(SW_SOURCE_SIGBUS_AR, 0x7f0000000000, 12)});
}

static void test_sigbus_rejects(void **state)
{
	static const struct sw_sea zero;
	static const struct sw_memmap broken = {NULL, 3};
	static const struct {
		int signo, code, lsb;
		const struct sw_memmap *map;
		const char *reason;
	} cases[] = {
		{SIGSEGV, BUS_MCEERR_AR, 12, &map, "the signal is not SIGBUS"},
		{SIGBUS, BUS_ADRERR, 12, &map,
		 "SIGBUS si_code is not BUS_MCEERR_AR or BUS_MCEERR_AO: not a memory error"},
		{SIGBUS, BUS_OBJERR, 12, &map,
		 "SIGBUS si_code is not BUS_MCEERR_AR or BUS_MCEERR_AO: not a memory error"},
		{SIGBUS, BUS_MCEERR_AR, 64, &map,
		 "SIGBUS si_addr_lsb is outside 0..63: corrupt siginfo"},
		{SIGBUS, BUS_MCEERR_AO, -1, &map,
		 "SIGBUS si_addr_lsb is outside 0..63: corrupt siginfo"},
		{SIGBUS, BUS_MCEERR_AR, 12, &broken,
		 "the memslot table has a count but no slots (NULL)"},
	};
	const char *reason = NULL;
	struct sw_sea got;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		siginfo_t si = sigbus(cases[i].code, 0x7f0000003000, cases[i].lsb);

		si.si_signo = cases[i].signo;
		memset(&got, 0xa5, sizeof(got));
		assert_int_equal(sw_sea_from_sigbus(&got, &si, cases[i].map, &reason), -EINVAL);
		assert_string_equal(reason, cases[i].reason);
		assert_memory_equal(&got, &zero, sizeof(got));
	}
	assert_int_equal(sw_sea_from_sigbus(&got, NULL, &map, &reason), -EINVAL);
	assert_string_equal(reason, "no siginfo (NULL)");
}

#define FENCED_SEA(gpa_, write)                                                                    \
	.source = SW_SOURCE_FENCED, .type = SW_ABORT_DATA, .fsc_class = SW_FSC_NONE,               \
	.level = SW_LEVEL_NONE, .set = SW_SET_NONE, .wnr = (write), .gpa_valid = true,             \
	.gpa = (gpa_)

static void test_fenced(void **state)
{
	static const struct {
		const char *name;
		uint64_t gpa;
		bool is_write;
	} cases[] = {
		{"the rig's re-access: a load at EL1", 0x80500048, false},
		{"a store, page aligned", 0x80500000, true},
		{"address 0", 0, false},
		{"the last byte below 2^56", (1ull << 56) - 1, true},
	};
	const char *reason = NULL;
	struct sw_sea got;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&got, 0x5a, sizeof(got));
		if (sw_sea_from_fenced(&got, cases[i].gpa, cases[i].is_write, &reason) != 0)
			fail_msg("%s: rejected: %s", cases[i].name, reason);
		check_sea(cases[i].name, &got,
			  &(struct sw_sea){FENCED_SEA(cases[i].gpa, cases[i].is_write)});
	}
	/* The reason is optional. */
	assert_int_equal(sw_sea_from_fenced(&got, 0x1000, false, NULL), 0);
}

static void test_fenced_rejects(void **state)
{
	static const struct sw_sea zero;
	static const uint64_t beyond[] = {1ull << 56, (1ull << 56) | 0x48, UINT64_MAX};
	const char *reason = NULL;
	struct sw_sea got;

	(void)state;
	for (size_t i = 0; i < sizeof(beyond) / sizeof(beyond[0]); i++) {
		memset(&got, 0xa5, sizeof(got));
		reason = NULL;
		assert_int_equal(sw_sea_from_fenced(&got, beyond[i], true, &reason), -EINVAL);
		assert_string_equal(reason, "gpa is at or above 2^56: beyond the largest IPA "
					    "(56 bits, FEAT_D128)");
		assert_memory_equal(&got, &zero, sizeof(got));
	}
	assert_int_equal(sw_sea_from_fenced(&got, 1ull << 56, false, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_esr_decodes),
		cmocka_unit_test(test_not_sea),
		cmocka_unit_test(test_every_ec_has_a_reason),
		cmocka_unit_test(test_every_fsc),
		cmocka_unit_test(test_null_arguments),
		cmocka_unit_test(test_exit_decodes),
		cmocka_unit_test(test_sigbus),
		cmocka_unit_test(test_sigbus_rejects),
		cmocka_unit_test(test_fenced),
		cmocka_unit_test(test_fenced_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
