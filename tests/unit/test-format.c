/* SPDX-License-Identifier: MIT */
/*
 * Rendering decoded SEAs: the exact human line and JSON object for each
 * source and field combination, snprintf semantics (full length returned,
 * truncation always NUL-terminated, NULL buffer with size 0), and the enum
 * names.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <seawall/sea.h>

static struct sw_sea from_esr(uint64_t esr)
{
	struct sw_sea sea;

	assert_int_equal(sw_sea_from_esr(&sea, esr, NULL), 0);
	return sea;
}

static struct sw_sea from_exit(uint64_t flags, uint64_t esr, uint64_t gva, uint64_t gpa)
{
	struct sw_sea sea;

	assert_int_equal(sw_sea_from_exit(&sea, flags, esr, gva, gpa, NULL), 0);
	return sea;
}

static struct sw_sea from_sigbus(int code, uint64_t addr, int lsb, const struct sw_memmap *map)
{
	struct sw_sea sea;
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = SIGBUS;
	si.si_code = code;
	si.si_addr = (void *)(uintptr_t)addr;
	si.si_addr_lsb = (short)lsb;
	sw_sea_from_sigbus(&sea, &si, map, NULL);
	return sea;
}

static struct sw_sea from_fenced(uint64_t gpa, bool is_write)
{
	struct sw_sea sea;

	assert_int_equal(sw_sea_from_fenced(&sea, gpa, is_write, NULL), 0);
	return sea;
}

static const struct sw_memslot slot = {
	.gpa = 0x80000000, .size = 0x10000000, .hva = 0x7f0000000000};
static const struct sw_memmap map = {&slot, 1};

static void expect(const struct sw_sea *sea, const char *describe, const char *json)
{
	char buf[1024];

	assert_int_equal(sw_sea_describe(sea, buf, sizeof(buf)), (int)strlen(describe));
	assert_string_equal(buf, describe);
	assert_int_equal(sw_sea_to_json(sea, buf, sizeof(buf)), (int)strlen(json));
	assert_string_equal(buf, json);
}

static void test_esr_load(void **state)
{
	struct sw_sea sea = from_esr(0x92000210);

	(void)state;
	expect(&sea,
	       "data abort from a lower EL, read: synchronous external abort, not on a table walk "
	       "(DFSC 0x10); EA 1; SET UER (recoverable); ESR 0x92000210",
	       "{\"source\":\"esr\",\"esr\":\"0x92000210\",\"ec\":\"0x24\",\"type\":\"data\","
	       "\"from_lower_el\":true,\"il\":true,\"fsc\":\"0x10\",\"fsc_class\":\"sea\","
	       "\"level\":null,\"fnv\":false,\"ea\":true,\"cm\":false,\"s1ptw\":false,"
	       "\"wnr\":false,\"set\":\"uer\",\"gva\":null,\"gpa\":null,\"hva\":null,"
	       "\"addr_lsb\":null}");
}

static void test_esr_store(void **state)
{
	struct sw_sea sea = from_esr(0x92000250);

	(void)state;
	expect(&sea,
	       "data abort from a lower EL, write: synchronous external abort, not on a table walk "
	       "(DFSC 0x10); EA 1; SET UER (recoverable); ESR 0x92000250",
	       "{\"source\":\"esr\",\"esr\":\"0x92000250\",\"ec\":\"0x24\",\"type\":\"data\","
	       "\"from_lower_el\":true,\"il\":true,\"fsc\":\"0x10\",\"fsc_class\":\"sea\","
	       "\"level\":null,\"fnv\":false,\"ea\":true,\"cm\":false,\"s1ptw\":false,"
	       "\"wnr\":true,\"set\":\"uer\",\"gva\":null,\"gpa\":null,\"hva\":null,"
	       "\"addr_lsb\":null}");
}

static void test_esr_fetch(void **state)
{
	struct sw_sea sea = from_esr(0x82000210);

	(void)state;
	expect(&sea,
	       "instruction abort from a lower EL: synchronous external abort, not on a table walk "
	       "(IFSC 0x10); EA 1; SET UER (recoverable); ESR 0x82000210",
	       "{\"source\":\"esr\",\"esr\":\"0x82000210\",\"ec\":\"0x20\",\"type\":\"insn\","
	       "\"from_lower_el\":true,\"il\":true,\"fsc\":\"0x10\",\"fsc_class\":\"sea\","
	       "\"level\":null,\"fnv\":false,\"ea\":true,\"cm\":null,\"s1ptw\":false,"
	       "\"wnr\":null,\"set\":\"uer\",\"gva\":null,\"gpa\":null,\"hva\":null,"
	       "\"addr_lsb\":null}");
}

static void test_esr_walk_and_bits(void **state)
{
	struct sw_sea walk = from_esr(0x96000293);
	struct sw_sea parity = from_esr(0x9600015e);
	struct sw_sea fnv = from_esr(0x86001410);

	(void)state;
	expect(&walk,
	       "data abort from the current EL, read: synchronous external abort on a table walk, "
	       "level -1 (DFSC 0x13); S1PTW (stage 2 fault on a stage 1 walk); EA 1; "
	       "ESR 0x96000293",
	       "{\"source\":\"esr\",\"esr\":\"0x96000293\",\"ec\":\"0x25\",\"type\":\"data\","
	       "\"from_lower_el\":false,\"il\":true,\"fsc\":\"0x13\",\"fsc_class\":\"sea_ttw\","
	       "\"level\":-1,\"fnv\":false,\"ea\":true,\"cm\":false,\"s1ptw\":true,"
	       "\"wnr\":false,\"set\":null,\"gva\":null,\"gpa\":null,\"hva\":null,"
	       "\"addr_lsb\":null}");
	expect(&parity,
	       "data abort from the current EL, write: synchronous parity/ECC error on a table "
	       "walk, level 2 (DFSC 0x1e); cache maintenance; EA 0; ESR 0x9600015e",
	       "{\"source\":\"esr\",\"esr\":\"0x9600015e\",\"ec\":\"0x25\",\"type\":\"data\","
	       "\"from_lower_el\":false,\"il\":true,\"fsc\":\"0x1e\","
	       "\"fsc_class\":\"parity_ttw\",\"level\":2,\"fnv\":false,\"ea\":false,"
	       "\"cm\":true,\"s1ptw\":false,\"wnr\":true,\"set\":null,\"gva\":null,"
	       "\"gpa\":null,\"hva\":null,\"addr_lsb\":null}");
	expect(&fnv,
	       "instruction abort from the current EL: synchronous external abort, not on a table "
	       "walk (IFSC 0x10); EA 0; SET UC (uncontainable); FAR not valid; ESR 0x86001410",
	       "{\"source\":\"esr\",\"esr\":\"0x86001410\",\"ec\":\"0x21\",\"type\":\"insn\","
	       "\"from_lower_el\":false,\"il\":true,\"fsc\":\"0x10\",\"fsc_class\":\"sea\","
	       "\"level\":null,\"fnv\":true,\"ea\":false,\"cm\":null,\"s1ptw\":false,"
	       "\"wnr\":null,\"set\":\"uc\",\"gva\":null,\"gpa\":null,\"hva\":null,"
	       "\"addr_lsb\":null}");
}

static void test_set_texts(void **state)
{
	char buf[256];
	struct sw_sea ueo = from_esr(0x92001810);
	struct sw_sea reserved = from_esr(0x92000810);
	struct sw_sea parity = from_esr(0x92000018);

	(void)state;
	sw_sea_describe(&ueo, buf, sizeof(buf));
	assert_string_equal(buf, "data abort from a lower EL, read: synchronous external abort, "
				 "not on a table walk (DFSC 0x10); EA 0; SET UEO (restartable); "
				 "ESR 0x92001810");
	sw_sea_describe(&reserved, buf, sizeof(buf));
	assert_string_equal(buf, "data abort from a lower EL, read: synchronous external abort, "
				 "not on a table walk (DFSC 0x10); EA 0; SET 0b01 (reserved); "
				 "ESR 0x92000810");
	sw_sea_describe(&parity, buf, sizeof(buf));
	assert_string_equal(buf, "data abort from a lower EL, read: synchronous parity/ECC error, "
				 "not on a table walk (DFSC 0x18); EA 0; ESR 0x92000018");
}

static void test_kvm_exit(void **state)
{
	struct sw_sea load = from_exit(1, 0x92000210, 0x80010048, 0x80010000);
	struct sw_sea nofar = from_exit(0, 0x92000610, 0xdead, 0);

	(void)state;
	expect(&load,
	       "data abort from a lower EL, read: synchronous external abort, not on a table walk "
	       "(DFSC 0x10); EA 1; SET UER (recoverable); ESR 0x92000210; gva 0x80010048, "
	       "gpa 0x80010000",
	       "{\"source\":\"kvm_exit\",\"esr\":\"0x92000210\",\"ec\":\"0x24\","
	       "\"type\":\"data\",\"from_lower_el\":true,\"il\":true,\"fsc\":\"0x10\","
	       "\"fsc_class\":\"sea\",\"level\":null,\"fnv\":false,\"ea\":true,\"cm\":false,"
	       "\"s1ptw\":false,\"wnr\":false,\"set\":\"uer\",\"gva\":\"0x80010048\","
	       "\"gpa\":\"0x80010000\",\"hva\":null,\"addr_lsb\":null}");
	expect(&nofar,
	       "data abort from a lower EL, read: synchronous external abort, not on a table walk "
	       "(DFSC 0x10); EA 1; SET UER (recoverable); FAR not valid; ESR 0x92000610; "
	       "gva unknown, gpa unknown",
	       "{\"source\":\"kvm_exit\",\"esr\":\"0x92000610\",\"ec\":\"0x24\","
	       "\"type\":\"data\",\"from_lower_el\":true,\"il\":true,\"fsc\":\"0x10\","
	       "\"fsc_class\":\"sea\",\"level\":null,\"fnv\":true,\"ea\":true,\"cm\":false,"
	       "\"s1ptw\":false,\"wnr\":false,\"set\":\"uer\",\"gva\":null,\"gpa\":null,"
	       "\"hva\":null,\"addr_lsb\":null}");
}

static void test_sigbus(void **state)
{
	struct sw_sea ar = from_sigbus(BUS_MCEERR_AR, 0x7f0000003000, 12, &map);
	struct sw_sea ao = from_sigbus(BUS_MCEERR_AO, 0x7e0000000000, 21, &map);

	(void)state;
	expect(&ar,
	       "SIGBUS BUS_MCEERR_AR (memory error consumed, action required): hva 0x7f0000003000, "
	       "gpa 0x80003000, poisoned extent 4096 bytes",
	       "{\"source\":\"sigbus_ar\",\"esr\":null,\"ec\":null,\"type\":\"unknown\","
	       "\"from_lower_el\":null,\"il\":null,\"fsc\":null,\"fsc_class\":\"none\","
	       "\"level\":null,\"fnv\":null,\"ea\":null,\"cm\":null,\"s1ptw\":null,"
	       "\"wnr\":null,\"set\":null,\"gva\":null,\"gpa\":\"0x80003000\","
	       "\"hva\":\"0x7f0000003000\",\"addr_lsb\":12}");
	expect(&ao,
	       "SIGBUS BUS_MCEERR_AO (memory error found, action optional): hva 0x7e0000000000, "
	       "gpa unknown (outside every memslot), poisoned extent 2097152 bytes",
	       "{\"source\":\"sigbus_ao\",\"esr\":null,\"ec\":null,\"type\":\"unknown\","
	       "\"from_lower_el\":null,\"il\":null,\"fsc\":null,\"fsc_class\":\"none\","
	       "\"level\":null,\"fnv\":null,\"ea\":null,\"cm\":null,\"s1ptw\":null,"
	       "\"wnr\":null,\"set\":null,\"gva\":null,\"gpa\":null,"
	       "\"hva\":\"0x7e0000000000\",\"addr_lsb\":21}");
}

/* No ESR, but a data access whose direction KVM reported: wnr is not null. */
static void test_fenced(void **state)
{
	struct sw_sea load = from_fenced(0x80500048, false);
	struct sw_sea store = from_fenced(0x80500ff8, true);

	(void)state;
	expect(&load, "read of a fenced page (taken out of its memslot): gpa 0x80500048",
	       "{\"source\":\"fenced\",\"esr\":null,\"ec\":null,\"type\":\"data\","
	       "\"from_lower_el\":null,\"il\":null,\"fsc\":null,\"fsc_class\":\"none\","
	       "\"level\":null,\"fnv\":null,\"ea\":null,\"cm\":null,\"s1ptw\":null,"
	       "\"wnr\":false,\"set\":null,\"gva\":null,\"gpa\":\"0x80500048\",\"hva\":null,"
	       "\"addr_lsb\":null}");
	expect(&store, "write of a fenced page (taken out of its memslot): gpa 0x80500ff8",
	       "{\"source\":\"fenced\",\"esr\":null,\"ec\":null,\"type\":\"data\","
	       "\"from_lower_el\":null,\"il\":null,\"fsc\":null,\"fsc_class\":\"none\","
	       "\"level\":null,\"fnv\":null,\"ea\":null,\"cm\":null,\"s1ptw\":null,"
	       "\"wnr\":true,\"set\":null,\"gva\":null,\"gpa\":\"0x80500ff8\",\"hva\":null,"
	       "\"addr_lsb\":null}");
	/* Built by hand without a page: said so, as for the other sources. */
	load.gpa_valid = false;
	expect(&load, "read of a fenced page (taken out of its memslot): gpa unknown",
	       "{\"source\":\"fenced\",\"esr\":null,\"ec\":null,\"type\":\"data\","
	       "\"from_lower_el\":null,\"il\":null,\"fsc\":null,\"fsc_class\":\"none\","
	       "\"level\":null,\"fnv\":null,\"ea\":null,\"cm\":null,\"s1ptw\":null,"
	       "\"wnr\":false,\"set\":null,\"gva\":null,\"gpa\":null,\"hva\":null,"
	       "\"addr_lsb\":null}");
}

/* snprintf semantics: the full length comes back whatever the buffer. */
static void test_truncation(void **state)
{
	struct sw_sea sea = from_esr(0x92000210);
	char full[256], small[17];
	int n = sw_sea_describe(&sea, full, sizeof(full));
	int j;

	(void)state;
	assert_int_equal(n, 138); /* the line of test_esr_load */
	assert_int_equal(sw_sea_describe(&sea, NULL, 0), n);
	memset(small, 'x', sizeof(small));
	assert_int_equal(sw_sea_describe(&sea, small, sizeof(small)), n);
	assert_string_equal(small, "data abort from ");
	memset(small, 'x', sizeof(small));
	assert_int_equal(sw_sea_describe(&sea, small, 1), n);
	assert_int_equal(small[0], '\0');
	assert_int_equal(small[1], 'x');

	j = sw_sea_to_json(&sea, NULL, 0);
	assert_int_equal(j, 256); /* the object of test_esr_load */
	memset(small, 'x', sizeof(small));
	assert_int_equal(sw_sea_to_json(&sea, small, sizeof(small)), j);
	assert_string_equal(small, "{\"source\":\"esr\",");
}

static void test_invalid(void **state)
{
	struct sw_sea sea = from_esr(0x92000210);
	char buf[64] = "unchanged";

	(void)state;
	assert_int_equal(sw_sea_describe(NULL, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(sw_sea_to_json(NULL, buf, sizeof(buf)), -EINVAL);
	sea.source = (enum sw_sea_source)0;
	assert_int_equal(sw_sea_describe(&sea, buf, sizeof(buf)), -EINVAL);
	sea.source = (enum sw_sea_source)6;
	assert_int_equal(sw_sea_describe(&sea, buf, sizeof(buf)), -EINVAL);
	sea.source = (enum sw_sea_source)99;
	assert_int_equal(sw_sea_to_json(&sea, buf, sizeof(buf)), -EINVAL);
	assert_string_equal(buf, "unchanged");
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(sw_sea_source_name(SW_SOURCE_KVM_EXIT), "kvm_exit");
	assert_string_equal(sw_sea_source_name(SW_SOURCE_ESR), "esr");
	assert_string_equal(sw_sea_source_name(SW_SOURCE_SIGBUS_AR), "sigbus_ar");
	assert_string_equal(sw_sea_source_name(SW_SOURCE_SIGBUS_AO), "sigbus_ao");
	assert_string_equal(sw_sea_source_name(SW_SOURCE_FENCED), "fenced");
	assert_int_equal(SW_SOURCE_FENCED, 5); /* the journal stores the value */
	assert_string_equal(sw_sea_source_name((enum sw_sea_source)0), "invalid");
	assert_string_equal(sw_sea_source_name((enum sw_sea_source)6), "invalid");
	assert_string_equal(sw_abort_type_name(SW_ABORT_UNKNOWN), "unknown");
	assert_string_equal(sw_abort_type_name(SW_ABORT_DATA), "data");
	assert_string_equal(sw_abort_type_name(SW_ABORT_INSN), "insn");
	assert_string_equal(sw_abort_type_name((enum sw_abort_type)7), "invalid");
	assert_string_equal(sw_fsc_class_name(SW_FSC_NONE), "none");
	assert_string_equal(sw_fsc_class_name(SW_FSC_SEA), "sea");
	assert_string_equal(sw_fsc_class_name(SW_FSC_SEA_TTW), "sea_ttw");
	assert_string_equal(sw_fsc_class_name(SW_FSC_PARITY), "parity");
	assert_string_equal(sw_fsc_class_name(SW_FSC_PARITY_TTW), "parity_ttw");
	assert_string_equal(sw_fsc_class_name((enum sw_fsc_class)9), "invalid");
	assert_string_equal(sw_set_name(SW_SET_NONE), "none");
	assert_string_equal(sw_set_name(SW_SET_UER), "uer");
	assert_string_equal(sw_set_name(SW_SET_RESERVED), "reserved");
	assert_string_equal(sw_set_name(SW_SET_UC), "uc");
	assert_string_equal(sw_set_name(SW_SET_UEO), "ueo");
	assert_string_equal(sw_set_name((enum sw_set)4), "invalid");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_esr_load),   cmocka_unit_test(test_esr_store),
		cmocka_unit_test(test_esr_fetch),  cmocka_unit_test(test_esr_walk_and_bits),
		cmocka_unit_test(test_set_texts),  cmocka_unit_test(test_kvm_exit),
		cmocka_unit_test(test_sigbus),	   cmocka_unit_test(test_fenced),
		cmocka_unit_test(test_truncation), cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
