/* SPDX-License-Identifier: MIT */
/*
 * sea_access.h - the contract of guests/sea-access.c, for the guest and
 * the rig tests that run it.
 *
 * The guest touches one victim page once, in a chosen way, and reports
 * what happened.  Parameters (struct sw_guest_params.args):
 */
#ifndef SEAWALL_GUEST_SEA_ACCESS_H
#define SEAWALL_GUEST_SEA_ACCESS_H

#define SEA_ARG_ACCESS 0 /* SW_ACCESS_LOAD, _STORE, _FETCH */
#define SEA_ARG_CTX    1 /* SW_CTX_EL1H, _EL1T, _EL0 */
#define SEA_ARG_MMU    2 /* 0: stage 1 off; 1: on, the access goes through an SW_GUEST_ALIAS_* */
#define SEA_ARG_BRANCH 3 /* SW_BRANCH_*: how the faulting instruction is reached */
/*
 * PSTATE bits (SPSR layout) ORed into the body's PSTATE, which otherwise
 * is the context's mode with D, I and F masked and A clear (so a virtual
 * SError is taken at once).
 */
#define SEA_ARG_PSTATE 4
/* SCTLR_EL1.SPAN and .DSSBS as the body runs (other bits ignored). */
#define SEA_ARG_SCTLR 5

/*
 * Stages (ucall SYNC args[0]):
 *
 * SEA_STAGE_READY: args[1] the address the body will touch (a VA; the PA
 * when the MMU is off), args[2] the victim page's IPA, args[3] the PC of
 * the access, args[4] the body's PSTATE, args[5] SCTLR_EL1.  The host
 * poisons what it wants, then resumes.
 *
 * SEA_STAGE_RESULT: args[1] 1 if the body took an exception, 0 if the
 * access completed; args[2] the IPA of the struct sw_exc_record; args[3]
 * what the body loaded or fetched (SW_PROBE_RESULT); args[4] for a store
 * that completed, the doubleword now at the target (read back at EL1).
 */
#define SEA_STAGE_READY	 1
#define SEA_STAGE_RESULT 2

#endif
