/* SPDX-License-Identifier: MIT */
/*
 * fuzz-esr: arbitrary bytes as an ESR, a KVM_EXIT_ARM_SEA record, a SIGBUS,
 * an access to a fenced page and an exception-entry input.  Invariants (any
 * violation aborts with a "fuzz-invariant" message):
 *   - decoding never crashes; a rejected value has a reason naming its EC or
 *     FSC, and a decoded one round-trips EC and FSC and is an abort class;
 *   - the exit decode agrees with the ESR decode, gva_valid is !FnV;
 *   - a fenced access is accepted exactly below 2^56, with the gpa and the
 *     direction as given and no ESR; a rejected one leaves the sea zeroed;
 *   - describe and JSON return the same length at every buffer size, never
 *     write past the buffer, always NUL-terminate, and JSON is one object;
 *   - exception entry either fails with a reason, or lands in EL1h with
 *     DAIF masked at VBAR + {0x000, 0x200, 0x400}, SPSR = old PSTATE,
 *     ELR = PC, and an ESR whose EC matches the mode and the abort type.
 *
 * Input layout (missing bytes read as zero; the fenced access reuses gpa,
 * and flags bit 1 as its direction): esr, gva, gpa, flags, pc,
 * pstate, vbar, sctlr, gcscr, far (8 bytes each, little endian); the
 * features (2 bytes, one bit each); the abort type (1 byte); the ISS
 * (4 bytes); si_code and si_addr_lsb (1 byte each).
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <seawall/inject.h>
#include <seawall/sea.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct reader {
	const uint8_t *data;
	size_t size, pos;
};

static uint64_t take(struct reader *r, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes; i++, r->pos++)
		if (r->pos < r->size)
			v |= (uint64_t)r->data[r->pos] << (8 * i);
	return v;
}

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz-invariant failed: %s (%s:%d)\n", #cond, __FILE__,    \
				__LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Render with fn at sizes 0, 1, half and exact; check snprintf semantics. */
static void check_render(int (*fn)(const struct sw_sea *, char *, size_t), const struct sw_sea *sea,
			 bool json)
{
	static char buf[2048];
	int n = fn(sea, NULL, 0);
	size_t sizes[4];

	CHECK(n > 0 && (size_t)n < sizeof(buf) - 1);
	sizes[0] = 1;
	sizes[1] = (size_t)n / 2 + 1;
	sizes[2] = (size_t)n;
	sizes[3] = (size_t)n + 1;
	for (size_t i = 0; i < 4; i++) {
		size_t want = sizes[i] - 1 < (size_t)n ? sizes[i] - 1 : (size_t)n;

		memset(buf, 0x7f, sizeof(buf));
		CHECK(fn(sea, buf, sizes[i]) == n);
		CHECK(strlen(buf) == want);
		CHECK((unsigned char)buf[sizes[i]] == 0x7f); /* nothing past the buffer */
	}
	if (json)
		CHECK(buf[0] == '{' && buf[n - 1] == '}');
}

static void check_decode(uint64_t esr, uint64_t gva, uint64_t gpa, uint64_t flags)
{
	struct sw_sea sea, exit_sea;
	const char *reason = NULL, *exit_reason = NULL;
	int ret = sw_sea_from_esr(&sea, esr, &reason);
	int exit_ret = sw_sea_from_exit(&exit_sea, flags, esr, gva, gpa, &exit_reason);
	unsigned int ec = (unsigned int)(esr >> 26) & 0x3f;

	CHECK(ret == exit_ret);
	if (ret) {
		CHECK(ret == -22 && reason && exit_reason && !strcmp(reason, exit_reason));
		CHECK(starts_with(reason, "EC 0x") || starts_with(reason, "DFSC 0x") ||
		      starts_with(reason, "IFSC 0x"));
		return;
	}
	CHECK(ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25);
	CHECK(sea.ec == ec && sea.fsc == (esr & 0x3f) && sea.esr == esr);
	CHECK(((uint64_t)sea.ec << 26 | sea.fsc) == (esr & 0xfc00003fULL));
	CHECK(sea.fsc_class != SW_FSC_NONE);
	CHECK(exit_sea.gva_valid == !exit_sea.fnv);
	CHECK(exit_sea.gpa_valid == (bool)(flags & 1));
	check_render(sw_sea_describe, &sea, false);
	check_render(sw_sea_to_json, &sea, true);
	check_render(sw_sea_describe, &exit_sea, false);
	check_render(sw_sea_to_json, &exit_sea, true);
}

static void check_sigbus(uint64_t addr, unsigned int code, unsigned int lsb)
{
	static const struct sw_memslot slots[] = {
		{.gpa = 0x80000000, .size = 0x40000000, .hva = 0x7f0000000000},
	};
	static const struct sw_memmap map = {slots, 1};
	const char *reason = NULL;
	struct sw_sea sea;
	siginfo_t si;
	int ret;

	memset(&si, 0, sizeof(si));
	si.si_signo = SIGBUS;
	si.si_code = (int)code % 8;
	si.si_addr = (void *)(uintptr_t)addr;
	si.si_addr_lsb = (short)(int8_t)lsb;
	ret = sw_sea_from_sigbus(&sea, &si, &map, &reason);
	CHECK(ret == 0 || ret == -22 || ret == -2);
	if (ret == -22) {
		CHECK(reason != NULL);
		return;
	}
	CHECK(sea.hva == addr && sea.gpa_valid == (ret == 0));
	check_render(sw_sea_describe, &sea, false);
	check_render(sw_sea_to_json, &sea, true);
}

static void check_fenced(uint64_t gpa, bool is_write)
{
	static const struct sw_sea zero;
	const char *reason = NULL;
	struct sw_sea sea;
	int ret = sw_sea_from_fenced(&sea, gpa, is_write, &reason);

	CHECK(ret == (gpa >> 56 ? -22 : 0));
	if (ret) {
		CHECK(reason != NULL && !memcmp(&sea, &zero, sizeof(sea)));
		return;
	}
	CHECK(sea.source == SW_SOURCE_FENCED && sea.type == SW_ABORT_DATA);
	CHECK(sea.gpa_valid && sea.gpa == gpa && sea.wnr == is_write);
	CHECK(sea.esr == 0 && sea.fsc_class == SW_FSC_NONE && sea.set == SW_SET_NONE);
	check_render(sw_sea_describe, &sea, false);
	check_render(sw_sea_to_json, &sea, true);
}

static void check_entry(struct reader *r, uint64_t far)
{
	struct sw_vcpu_state st;
	struct sw_vcpu_features f;
	struct sw_abort abt;
	struct sw_exception_entry e;
	const char *reason = NULL;
	unsigned int feat, mode, ec;
	int ret;

	st.pc = take(r, 8);
	st.pstate = take(r, 8);
	st.vbar_el1 = take(r, 8);
	st.sctlr_el1 = take(r, 8);
	st.gcscr_el1 = take(r, 8);
	feat = (unsigned int)take(r, 2);
	f = (struct sw_vcpu_features){feat & 1,	 feat & 2,  feat & 4,	feat & 8,   feat & 16,
				      feat & 32, feat & 64, feat & 128, feat & 256, feat & 512};
	abt.type = (enum sw_abort_type)(take(r, 1) % 4);
	abt.iss = (uint32_t)take(r, 4);
	abt.far = far;
	abt.far_from_exit = feat & 1024;

	ret = sw_exception_entry(&e, &st, &f, &abt, &reason);
	if (ret) {
		CHECK((ret == -22 || ret == -95) && reason != NULL);
		return;
	}
	mode = (unsigned int)(st.pstate & 0x1f);
	CHECK(mode == 0x0 || mode == 0x4 || mode == 0x5);
	CHECK((e.pstate & 0x1f) == 0x5 && (e.pstate & 0x3c0) == 0x3c0);
	CHECK(e.spsr_el1 == st.pstate && e.elr_el1 == st.pc);
	CHECK(e.vector == (mode == 0 ? 0x400 : mode == 4 ? 0x000 : 0x200));
	CHECK(e.pc == ((st.vbar_el1 & ~0x7ffULL) | e.vector));
	ec = (unsigned int)(e.esr_el1 >> 26);
	CHECK(ec == (abt.type == SW_ABORT_DATA ? 0x24U : 0x20U) + (mode ? 1U : 0U));
	CHECK((e.esr_el1 & 0x1ffffff) == abt.iss && (e.esr_el1 & (1ULL << 25)));
	CHECK(e.write_far == !(abt.iss & (1U << 10)));
	/* The ESR built for the guest decodes as the same SEA. */
	{
		struct sw_sea sea;

		CHECK(sw_sea_from_esr(&sea, e.esr_el1, NULL) == 0);
		CHECK(sea.type == abt.type && sea.fsc == (abt.iss & 0x3f));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader r = {data, size, 0};
	uint64_t esr = take(&r, 8), gva = take(&r, 8), gpa = take(&r, 8), flags = take(&r, 8);
	uint64_t far;

	check_decode(esr, gva, gpa, flags);
	/* The same ESR with its upper half cleared: the common 32-bit form. */
	check_decode(esr & 0xffffffff, gva, gpa, flags);
	check_fenced(gpa, flags & 2);
	far = gva;
	check_entry(&r, far);
	check_sigbus(gva, (unsigned int)take(&r, 1), (unsigned int)take(&r, 1));
	return 0;
}
