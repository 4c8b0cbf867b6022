/* SPDX-License-Identifier: MIT */
/*
 * seawall/sea.h - decode synchronous external aborts (SEAs).
 *
 * An SEA reaches a VMM in one of four forms:
 *   - a KVM_EXIT_ARM_SEA exit (KVM_CAP_ARM_SEA_TO_USER), with a sanitized
 *     ESR_EL2, the faulting guest virtual and physical addresses;
 *   - a raw ESR value (for tools and tests);
 *   - SIGBUS with BUS_MCEERR_AR or BUS_MCEERR_AO on a vCPU thread, when the
 *     host kernel already knows the page is bad: no ESR, only the host
 *     virtual address, which the VMM's memslot table turns into a guest
 *     physical address;
 *   - a load or store to a page the VMM fenced by taking it out of its
 *     memslot: KVM reports it as KVM_EXIT_MMIO or KVM_EXIT_ARM_NISV at the
 *     guest physical address, with no ESR of the poison.
 * All four decode into one struct sw_sea.
 *
 * Field encodings follow the Arm ARM (DDI 0487), ESR_ELx: "ISS encoding for
 * an exception from a Data Abort" and "... from an Instruction Abort".
 */
#ifndef SEAWALL_SEA_H
#define SEAWALL_SEA_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Where an SEA came from. */
enum sw_sea_source {
	SW_SOURCE_KVM_EXIT = 1, /* KVM_EXIT_ARM_SEA */
	SW_SOURCE_ESR,		/* a raw ESR value */
	SW_SOURCE_SIGBUS_AR,	/* SIGBUS, BUS_MCEERR_AR: consumed, action required */
	SW_SOURCE_SIGBUS_AO,	/* SIGBUS, BUS_MCEERR_AO: found, action optional */
	SW_SOURCE_FENCED,	/* a load or store to a page fenced by a memslot hole */
};

/* What kind of access took the abort. */
enum sw_abort_type {
	SW_ABORT_UNKNOWN = 0, /* SIGBUS: the kernel does not say */
	SW_ABORT_DATA,	      /* EC 0x24 / 0x25 */
	SW_ABORT_INSN,	      /* EC 0x20 / 0x21 */
};

/* The fault status code (DFSC/IFSC) classes that are SEAs. */
enum sw_fsc_class {
	SW_FSC_NONE = 0,   /* no ESR (SIGBUS) */
	SW_FSC_SEA,	   /* 0x10: synchronous external abort, not on a walk */
	SW_FSC_SEA_TTW,	   /* 0x12, 0x13, 0x14-0x17: on a table walk, level -2, -1, 0-3 */
	SW_FSC_PARITY,	   /* 0x18: parity/ECC error, not on a walk */
	SW_FSC_PARITY_TTW, /* 0x1b, 0x1c-0x1f: parity/ECC on a walk, level -1, 0-3 */
};

/*
 * Synchronous Error Type, ESR ISS[12:11].  Defined only for FSC 0x10 on a PE
 * with FEAT_RAS; RES0 otherwise (so an ESR from a PE without RAS reads as
 * UER).  There is no separate "corrected error" value for synchronous aborts:
 * the 2018 Arm ARM register XML reads 0b11 as "UEO or CE"; docs/decode.md.
 */
enum sw_set {
	SW_SET_NONE = -1, /* not reported (not FSC 0x10, or no ESR) */
	SW_SET_UER = 0,	  /* 0b00: recoverable error */
	SW_SET_RESERVED = 1,
	SW_SET_UC = 2,	/* 0b10: uncontainable error */
	SW_SET_UEO = 3, /* 0b11: restartable error */
};

#define SW_LEVEL_NONE INT8_MIN /* sw_sea.level when not on a table walk */

/*
 * A decoded SEA.  Each ESR field is reported only where the Arm ARM defines
 * it: fnv and set only for FSC 0x10, wnr and cm only for data aborts;
 * elsewhere those bits are RES0 and read here as false / SW_SET_NONE (the
 * raw value stays in @esr).  A SIGBUS has no ESR: every ESR field is zero,
 * type is SW_ABORT_UNKNOWN, fsc_class SW_FSC_NONE, set SW_SET_NONE.  A
 * fenced access has no ESR either, but is a data access whose direction
 * KVM reports: type SW_ABORT_DATA and wnr as the access; every other ESR
 * field zero, fsc_class SW_FSC_NONE, set SW_SET_NONE.
 */
struct sw_sea {
	enum sw_sea_source source;
	uint64_t esr; /* the syndrome as reported; 0 for SIGBUS */
	uint8_t ec;   /* exception class, ESR[31:26] */
	enum sw_abort_type type;
	bool from_lower_el; /* EC says "from a lower EL" (always, for KVM exits) */
	uint8_t fsc;	    /* DFSC/IFSC, ESR[5:0] */
	enum sw_fsc_class fsc_class;
	int8_t level;	 /* walk level -2..3, or SW_LEVEL_NONE */
	bool il;	 /* ESR[25] */
	bool fnv;	 /* ESR[10]: FAR not valid (FSC 0x10 only) */
	bool ea;	 /* ESR[9]: external abort type (IMPLEMENTATION DEFINED) */
	bool cm;	 /* ESR[8]: cache maintenance (data aborts) */
	bool s1ptw;	 /* ESR[7]: stage 2 fault on a stage 1 walk */
	bool wnr;	 /* ESR[6]: write (data aborts; a fenced access: its direction) */
	enum sw_set set; /* ESR[12:11] (FSC 0x10 only) */
	bool gva_valid;	 /* KVM exit with FnV clear */
	uint64_t gva;
	bool gpa_valid;	       /* KVM_EXIT_ARM_SEA_FLAG_GPA_VALID, SIGBUS in a memslot, fenced */
	uint64_t gpa;	       /* page aligned when it comes from KVM */
	bool hva_valid;	       /* SIGBUS only */
	uint64_t hva;	       /* si_addr */
	unsigned int addr_lsb; /* si_addr_lsb: log2 of the poisoned extent */
};

/* One guest memory slot, as the VMM registered it with KVM. */
struct sw_memslot {
	uint64_t gpa;
	uint64_t size;
	uint64_t hva;
};

struct sw_memmap {
	const struct sw_memslot *slots;
	size_t count;
};

/*
 * sw_sea_from_exit - decode the arm_sea record of a KVM_EXIT_ARM_SEA exit.
 * @sea:    filled on success; zeroed on -EINVAL
 * @flags, @esr, @gva, @gpa: run->arm_sea
 * @reason: if not NULL, set to a static string saying why on failure
 *
 * gva_valid is set when FnV is clear (api.rst: "If FnV bit in 'esr' field is
 * not set, the 'gva' field holds the valid faulting guest virtual address"),
 * gpa_valid from KVM_EXIT_ARM_SEA_FLAG_GPA_VALID; other flag bits are
 * ignored (reserved for future kernels).
 *
 * Returns 0, or -EINVAL if @sea is NULL or @esr is not a data or instruction
 * abort with an SEA fault status code.
 */
int sw_sea_from_exit(struct sw_sea *sea, uint64_t flags, uint64_t esr, uint64_t gva, uint64_t gpa,
		     const char **reason);

/*
 * sw_sea_from_esr - decode a raw ESR value (ESR_EL1, ESR_EL2 or the arm_sea
 * esr: the abort ISS is the same).
 *
 * Returns 0, or -EINVAL (with @reason, @sea zeroed) if @sea is NULL or the
 * value is not an SEA: an EC other than 0x20/0x21/0x24/0x25 ("EC 0x15 is an
 * SVC, not an abort") or a fault status code that is not an external abort
 * ("DFSC 0x07 is a translation fault, not an external abort").
 */
int sw_sea_from_esr(struct sw_sea *sea, uint64_t esr, const char **reason);

/*
 * sw_sea_from_sigbus - decode a SIGBUS taken on a vCPU thread.
 * @si:  the signal's siginfo
 * @map: the VMM's memslots, to turn si_addr into a guest physical address
 *
 * Returns 0; -EINVAL (with @reason, @sea zeroed) if @sea or @si is NULL, @si
 * is not SIGBUS with BUS_MCEERR_AR or BUS_MCEERR_AO, si_addr_lsb is not
 * 0..63, or @map has a count but no slots; -ENOENT (with @reason, and @sea
 * filled but gpa_valid false) if si_addr lies outside every memslot (or
 * @map is NULL).
 */
int sw_sea_from_sigbus(struct sw_sea *sea, const siginfo_t *si, const struct sw_memmap *map,
		       const char **reason);

/*
 * sw_sea_from_fenced - decode a guest load or store to a page the VMM
 * fenced by removing it from its memslot (a "memslot hole"): KVM reports
 * such an access as KVM_EXIT_MMIO (run->mmio.phys_addr, .is_write) or, for
 * an instruction without a valid syndrome, KVM_EXIT_ARM_NISV
 * (run->arm_nisv.fault_ipa; the write bit is ESR ISS bit 6, WnR, of
 * run->arm_nisv.esr_iss).  The page is one the VMM already knows bad: the
 * guest consumed it again.
 * @gpa:      the guest physical address of the access (not aligned)
 * @is_write: the access was a store
 *
 * Fills @sea with source SW_SOURCE_FENCED, type SW_ABORT_DATA, wnr =
 * @is_write, gpa_valid and @gpa; there is no ESR (fsc_class SW_FSC_NONE,
 * set SW_SET_NONE, level SW_LEVEL_NONE, every ESR field zero).
 *
 * Returns 0, or -EINVAL (with @reason, @sea zeroed) if @sea is NULL or
 * @gpa is at or above 2^56, beyond the largest IPA any Arm PE has (56 bits
 * with FEAT_D128; DDI 0487, ID_AA64MMFR0_EL1.PARange).
 */
int sw_sea_from_fenced(struct sw_sea *sea, uint64_t gpa, bool is_write, const char **reason);

/*
 * sw_memmap_validate - check a memslot table once, when the VMM builds it.
 * @slot:   if not NULL, set to the index of the offending slot on failure
 *
 * Returns 0, or -EINVAL (with @reason) if @map or its slots pointer is NULL
 * with slots to read, a slot is empty, a slot's guest physical or host
 * virtual range wraps past 2^64, or two slots overlap in guest physical
 * space (KVM rejects that too).  Host virtual ranges may overlap: a VMM may
 * alias one mapping into several slots.
 */
int sw_memmap_validate(const struct sw_memmap *map, size_t *slot, const char **reason);

/*
 * sw_memmap_hva_to_gpa / sw_memmap_gpa_to_hva - translate through memslots.
 * The first slot (lowest index) that contains the address wins.
 *
 * Return 0, -ENOENT if the address is in no slot, or -EINVAL if @map, its
 * slots (with count > 0) or the result pointer is NULL.
 */
int sw_memmap_hva_to_gpa(const struct sw_memmap *map, uint64_t hva, uint64_t *gpa);
int sw_memmap_gpa_to_hva(const struct sw_memmap *map, uint64_t gpa, uint64_t *hva);

/*
 * sw_sea_describe - one human-readable line, without a newline.
 * sw_sea_to_json  - one JSON object, without a newline (keys: docs/decode.md).
 *
 * Both behave like snprintf: they return the length of the full text
 * (which was truncated if it is >= @size; @buf is always NUL-terminated
 * when @size > 0, and may be NULL when @size is 0), -EINVAL if @sea is
 * NULL or its source is not one of enum sw_sea_source, or -EOVERFLOW if
 * the length would not fit an int.
 */
int sw_sea_describe(const struct sw_sea *sea, char *buf, size_t size);
int sw_sea_to_json(const struct sw_sea *sea, char *buf, size_t size);

/*
 * Static names for enum values ("data", "insn", "sea_ttw", "uer", ...), as
 * used in the JSON; "invalid" for a value outside the enum.  Never NULL.
 */
const char *sw_sea_source_name(enum sw_sea_source source);
const char *sw_abort_type_name(enum sw_abort_type type);
const char *sw_fsc_class_name(enum sw_fsc_class fsc_class);
const char *sw_set_name(enum sw_set set);

#ifdef __cplusplus
}
#endif

#endif
