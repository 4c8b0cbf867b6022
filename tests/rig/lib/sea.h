/* SPDX-License-Identifier: MIT */
/*
 * sea.h - driving guests/sea-access.c (contract: guests/include/sea_access.h)
 * from a rig test: start it, check what it says it will touch, and read
 * what it reports afterwards.
 */
#ifndef SEAWALL_RIG_SEA_H
#define SEAWALL_RIG_SEA_H

#include <stdbool.h>
#include <stdint.h>

#include "rig_guest.h"
#include "sea_access.h"

/* The guest's PSTATE bits and SCTLR_EL1 bits tests use (SPSR layout, Arm ARM C5.2.18). */
#define PSR_MODE_EL0T 0x0
#define PSR_MODE_EL1T 0x4
#define PSR_MODE_EL1H 0x5
#define PSR_F	      (1ULL << 6)
#define PSR_I	      (1ULL << 7)
#define PSR_A	      (1ULL << 8)
#define PSR_D	      (1ULL << 9)
#define PSR_BTYPE(n)  ((uint64_t)(n) << 10)
#define PSR_SSBS      (1ULL << 12)
#define PSR_PAN	      (1ULL << 22)
#define PSR_UAO	      (1ULL << 23)
#define PSR_DIT	      (1ULL << 24)
#define PSR_V	      (1ULL << 28)
#define PSR_C	      (1ULL << 29)
#define PSR_Z	      (1ULL << 30)
#define PSR_N	      (1ULL << 31)
#define SCTLR_SPAN    (1ULL << 23)
#define SCTLR_DSSBS   (1ULL << 44)

/* One way to touch the victim: the guest's SEA_ARG_* parameters. */
struct sea_case {
	int access; /* SW_ACCESS_* */
	int ctx;    /* SW_CTX_* */
	int mmu;
	int branch;	 /* SW_BRANCH_* */
	uint64_t pstate; /* SEA_ARG_PSTATE */
	uint64_t sctlr;	 /* SEA_ARG_SCTLR */
};

/* What the guest said at SEA_STAGE_READY. */
struct sea_ready {
	uint64_t target; /* the address the body touches */
	uint64_t victim; /* the IPA of the victim page */
	uint64_t pc;	 /* of the access */
	uint64_t spsr;	 /* the body's PSTATE */
	uint64_t sctlr;
};

/* What the guest said at SEA_STAGE_RESULT. */
struct sea_result {
	uint64_t taken;
	struct sw_exc_record rec;
	uint64_t value;	   /* loaded or fetched */
	uint64_t readback; /* a completed store's target */
};

/* The address a case touches and the victim page it lies in (guest_abi.h). */
uint64_t sea_target(const struct sea_case *c);
uint64_t sea_victim(const struct sea_case *c);
/* The body's PSTATE for a case: its mode, D, I, F masked, plus c->pstate. */
uint64_t sea_body_pstate(const struct sea_case *c);
/*
 * PSTATE at the access: the body's, with the BTYPE its branch set (BR 01,
 * BLR 10; a fetch reached by RET and a sequential access 00; Arm ARM D8.5).
 */
uint64_t sea_fault_pstate(const struct sea_case *c);

/*
 * sea_start - create the guest for c and run it to SEA_STAGE_READY,
 * asserting that target, victim and PSTATE are what c implies.  It is
 * sea_create() (the VM and vCPU, nothing run yet) then sea_wait_ready().
 */
void sea_start(struct rig_guest *g, const struct sea_case *c, bool sea_to_user,
	       struct sea_ready *ready);
void sea_create(struct rig_guest *g, const struct sea_case *c, bool sea_to_user);
void sea_wait_ready(struct rig_guest *g, const struct sea_case *c, struct sea_ready *ready);

/*
 * sea_run_to_exit - KVM_RUN once more and require KVM_EXIT_ARM_SEA with
 * the vCPU stopped at the access (PC == ready->pc).
 */
void sea_run_to_exit(struct rig_guest *g, const struct sea_ready *ready);

/* Run to SEA_STAGE_RESULT and collect it. */
void sea_expect_result(struct rig_guest *g, struct sea_result *res);

/* Assert every field of an exception record (FAR_EL1 not for an SError). */
void sea_assert_record(const struct sw_exc_record *got, const struct sw_exc_record *want);

#endif
