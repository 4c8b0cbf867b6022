/* SPDX-License-Identifier: MIT */
/*
 * seawall/sea.h - decode synchronous external aborts (SEAs).
 *
 * An SEA reaches a VMM in one of three forms:
 *   - a KVM_EXIT_ARM_SEA exit (KVM_CAP_ARM_SEA_TO_USER), with a sanitized
 *     ESR_EL2, the faulting guest virtual and physical addresses;
 *   - a raw ESR value (for tools and tests);
 *   - SIGBUS with BUS_MCEERR_AR or BUS_MCEERR_AO on a vCPU thread, when the
 *     host kernel already knows the page is bad: no ESR, only the host
 *     virtual address, which the VMM's memslot table turns into a guest
 *     physical address.
 * All three decode into one struct sw_sea.
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
	SW_SOURCE_ESR,          /* a raw ESR value */
	SW_SOURCE_SIGBUS_AR,    /* SIGBUS, BUS_MCEERR_AR: consumed, action required */
	SW_SOURCE_SIGBUS_AO,    /* SIGBUS, BUS_MCEERR_AO: found, action optional */
};

/* What kind of access took the abort. */
enum sw_abort_type {
	SW_ABORT_UNKNOWN = 0, /* SIGBUS: the kernel does not say */
	SW_ABORT_DATA,        /* EC 0x24 / 0x25 */
	SW_ABORT_INSN,        /* EC 0x20 / 0x21 */
};

/* The fault status code (DFSC/IFSC) classes that are SEAs. */
enum sw_fsc_class {
	SW_FSC_NONE = 0,    /* no ESR (SIGBUS) */
	SW_FSC_SEA,         /* 0x10: synchronous external abort, not on a walk */
	SW_FSC_SEA_TTW,     /* 0x13, 0x14-0x17: on a table walk, level -1, 0-3 */
	SW_FSC_PARITY,      /* 0x18: parity/ECC error, not on a walk */
	SW_FSC_PARITY_TTW,  /* 0x1b, 0x1c-0x1f: parity/ECC on a walk, level -1, 0-3 */
};

/* Synchronous Error Type, ESR ISS[12:11], for FSC 0x10 with FEAT_RAS. */
enum sw_set {
	SW_SET_NONE = -1, /* not reported (not FSC 0x10, or no ESR) */
	SW_SET_UER = 0,   /* 0b00: recoverable error */
	SW_SET_RESERVED = 1,
	SW_SET_UC = 2,    /* 0b10: uncontainable error */
	SW_SET_UEO = 3,   /* 0b11: restartable error */
};

#define SW_LEVEL_NONE INT8_MIN /* sw_sea.level when not on a table walk */

/* A decoded SEA. */
struct sw_sea {
	enum sw_sea_source source;
	uint64_t esr;            /* the syndrome as reported; 0 for SIGBUS */
	uint8_t ec;              /* exception class, ESR[31:26] */
	enum sw_abort_type type;
	bool from_lower_el;      /* EC says "from a lower EL" (always, for KVM exits) */
	uint8_t fsc;             /* DFSC/IFSC, ESR[5:0] */
	enum sw_fsc_class fsc_class;
	int8_t level;            /* walk level -1..3, or SW_LEVEL_NONE */
	bool il;                 /* ESR[25] */
	bool fnv;                /* ESR[10]: FAR not valid */
	bool ea;                 /* ESR[9]: external abort type */
	bool cm;                 /* ESR[8]: cache maintenance (data aborts) */
	bool s1ptw;              /* ESR[7]: stage 2 fault on a stage 1 walk */
	bool wnr;                /* ESR[6]: write (data aborts) */
	enum sw_set set;         /* ESR[12:11] */
	bool gva_valid;          /* KVM exit with FnV clear */
	uint64_t gva;
	bool gpa_valid;          /* KVM_EXIT_ARM_SEA_FLAG_GPA_VALID, or SIGBUS in a memslot */
	uint64_t gpa;            /* page aligned when it comes from KVM */
	bool hva_valid;          /* SIGBUS only */
	uint64_t hva;            /* si_addr */
	unsigned int addr_lsb;   /* si_addr_lsb: log2 of the poisoned extent */
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
 * @sea:    filled on success
 * @flags, @esr, @gva, @gpa: run->arm_sea
 * @reason: if not NULL, set to a static string saying why on failure
 *
 * Returns 0, or -EINVAL if @esr is not a data or instruction abort with an
 * SEA fault status code.
 */
int sw_sea_from_exit(struct sw_sea *sea, uint64_t flags, uint64_t esr, uint64_t gva, uint64_t gpa,
		     const char **reason);

/*
 * sw_sea_from_esr - decode a raw ESR value.
 *
 * Returns 0, or -EINVAL (with @reason) if it is not an SEA.
 */
int sw_sea_from_esr(struct sw_sea *sea, uint64_t esr, const char **reason);

/*
 * sw_sea_from_sigbus - decode a SIGBUS taken on a vCPU thread.
 * @si:  the signal's siginfo
 * @map: the VMM's memslots, to turn si_addr into a guest physical address
 *
 * Returns 0; -EINVAL (with @reason) if @si is not SIGBUS with
 * BUS_MCEERR_AR or BUS_MCEERR_AO; -ENOENT (with @reason, and @sea filled
 * but gpa_valid false) if si_addr lies outside every memslot.
 */
int sw_sea_from_sigbus(struct sw_sea *sea, const siginfo_t *si, const struct sw_memmap *map,
		       const char **reason);

/*
 * sw_memmap_hva_to_gpa / sw_memmap_gpa_to_hva - translate through memslots.
 *
 * Return 0, or -ENOENT if the address is in no slot.
 */
int sw_memmap_hva_to_gpa(const struct sw_memmap *map, uint64_t hva, uint64_t *gpa);
int sw_memmap_gpa_to_hva(const struct sw_memmap *map, uint64_t gpa, uint64_t *hva);

/*
 * sw_sea_describe - one human-readable line, without a newline.
 * sw_sea_to_json  - one JSON object, without a newline.
 *
 * Both behave like snprintf: they return the length of the full text
 * (which was truncated if it is >= @size), or a negative errno.
 */
int sw_sea_describe(const struct sw_sea *sea, char *buf, size_t size);
int sw_sea_to_json(const struct sw_sea *sea, char *buf, size_t size);

/* Static names for enum values ("data", "insn", "sea_ttw", "uer", ...). */
const char *sw_sea_source_name(enum sw_sea_source source);
const char *sw_abort_type_name(enum sw_abort_type type);
const char *sw_fsc_class_name(enum sw_fsc_class fsc_class);
const char *sw_set_name(enum sw_set set);

#ifdef __cplusplus
}
#endif

#endif
