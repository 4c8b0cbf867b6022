/* SPDX-License-Identifier: MIT */
/*
 * guest.h - the library every bare-metal test guest links: start code,
 * exception vectors that record what a guest body took, running a body at
 * EL0, EL1t or EL1h with an exact PSTATE, stage-1 translation tables, the
 * ucall doorbell and the load/store/fetch probes.
 *
 * A guest behaviour is one C file defining guest_main(); it reads its
 * parameters from sw_params.args[] and reports through ucalls.
 */
#ifndef SEAWALL_GUEST_H
#define SEAWALL_GUEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "guest_abi.h"

/* The parameter block, copied out of the image at boot (start.c). */
extern struct sw_guest_params sw_params;
/* SW_PSTATE_HAS_*: which PSTATE-field registers this CPU implements. */
extern uint32_t sw_pstate_features;
/* FEAT_BTI: PSTATE.BTYPE exists. */
extern int sw_has_bti;

/* Each guest behaviour. */
void guest_main(void);

/* --- ucall: the one doorbell (ucall.c) --------------------------------- */

void sw_ucall(uint64_t cmd, int nargs, const uint64_t *args);
void sw_sync(uint64_t stage, int nargs, const uint64_t *args);
void sw_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void sw_done(void);
__attribute__((noreturn, format(printf, 3, 4))) void sw_fail(const char *file, int line,
							     const char *fmt, ...);

#define GUEST_SYNC(stage, ...)                                                                     \
	do {                                                                                       \
		const uint64_t __a[] = {0, ##__VA_ARGS__};                                         \
		sw_sync((stage), (int)(sizeof(__a) / sizeof(__a[0])) - 1, __a + 1);                \
	} while (0)
#define GUEST_FAIL(...) sw_fail(__FILE__, __LINE__, __VA_ARGS__)
#define GUEST_ASSERT(c)                                                                            \
	do {                                                                                       \
		if (!(c))                                                                          \
			GUEST_FAIL("assertion failed: %s", #c);                                    \
	} while (0)
#define GUEST_ASSERT_EQ(a, b)                                                                      \
	do {                                                                                       \
		uint64_t __a = (uint64_t)(a), __b = (uint64_t)(b);                                 \
		if (__a != __b)                                                                    \
			GUEST_FAIL("%s == 0x%lx, expected %s == 0x%lx", #a, __a, #b, __b);         \
	} while (0)

/* --- formatting (print.c) ------------------------------------------------ */

int sw_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int sw_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* --- running a body in a chosen context (run.S, exc.c) ------------------- */

/*
 * The PSTATE a body starts with, in SPSR layout (M, DAIF, PAN, UAO, DIT,
 * SSBS, TCO, NZCV; BTYPE 0): sw_run() enters it with ERET, so every field
 * is exact.  sp_el0 is the stack for SW_CTX_EL0 and SW_CTX_EL1T bodies.
 */
struct sw_run_ctx {
	uint64_t spsr;
	uint64_t sp_el0;
};

/*
 * sw_run - run fn(arg) with ctx's PSTATE; return 0 when fn returned, 1 when
 * it took an exception instead, which *rec then describes.  Either way
 * the caller continues at EL1h with the DAIF it had and PAN, UAO, DIT,
 * SSBS and TCO clear.  An exception outside sw_run() is a guest failure.
 */
int sw_run(const struct sw_run_ctx *ctx, void (*fn)(uint64_t), uint64_t arg,
	   struct sw_exc_record *rec);
/* The PSTATE.M value for an SW_CTX_*, and the stack sw_run uses for it. */
uint64_t sw_ctx_mode(int ctx);
uint64_t sw_ctx_stack(int ctx);

/* --- probes: one faulting instruction each (probe.S, probe.c) ------------ */

/* Where probes leave what they loaded or fetched (EL0 writable). */
#define SW_PROBE_RESULT ((volatile uint64_t *)SW_GUEST_EL0_DATA)

struct sw_probe {
	void (*fn)(uint64_t addr); /* a body for sw_run(): touches addr once */
	uint64_t insn;		   /* PC of the access; 0 for a fetch (the PC is addr) */
};
const struct sw_probe *sw_probe_get(int access, int branch);

/*
 * A body for EL1 contexts: PSTATE as it sees it (SPSR layout, the fields
 * arg's SW_PSTATE_HAS_* bits allow, BTYPE not readable) goes to
 * sw_pstate_readback.
 */
void sw_probe_pstate(uint64_t features);
extern uint64_t sw_pstate_readback;

/* Fill the victim pages: the data pattern, and the code function. */
void sw_victim_fill(void);

/*
 * The address a probe touches in the victim page (or, with unassigned, at
 * SW_GUEST_UNASSIGNED_PA): the physical one with the MMU off, else the
 * SW_GUEST_ALIAS_* an EL1 or EL0 body may use.  The page it lies in is
 * sw_victim_page(access) (or SW_GUEST_UNASSIGNED_PA).
 */
uint64_t sw_target(int access, int ctx, int mmu, int unassigned);
uint64_t sw_victim_page(int access);

/* --- the poison injector, plain TCG only (injector.c) --------------------- */

#define SW_INJ_POISON	1
#define SW_INJ_UNPOISON 2
/* Run an injector command on pa; returns its STATUS (0 is success). */
uint32_t sw_injector_command(uint32_t cmd, uint64_t pa);

/* --- stage-1 MMU (mmu.c) -------------------------------------------------- */

/*
 * sw_mmu_enable - build the tables at SW_GUEST_PT_BASE and turn stage 1 on:
 * the first GiB (devices) as Device-nGnRnE, EL1 only; the image with .text
 * read-only and executable at EL0 and EL1 and everything else EL1 RW and
 * never executable; the EL0 pages EL0 RW; and the SW_GUEST_ALIAS_* pages.
 */
void sw_mmu_enable(void);

/* --- cache maintenance ---------------------------------------------------- */

/* Make code written at [addr, addr+len) visible to instruction fetch. */
void sw_sync_icache(uint64_t addr, uint64_t len);

/* --- PSCI (psci.c) -------------------------------------------------------- */

__attribute__((noreturn)) void sw_power_off(void);

#endif
