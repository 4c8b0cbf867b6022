/* SPDX-License-Identifier: MIT */
/*
 * The journal's on-disk format (docs/journal.md): a 64-byte header, then
 * 64-byte records, all little endian, each ending with the CRC32C of its
 * first 60 bytes.  Pure functions: no I/O.
 */
#ifndef SEAWALL_LIB_JOURNAL_RECORD_H
#define SEAWALL_LIB_JOURNAL_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include <seawall/journal.h>

#define JR_MAGIC       "SEAWALLJ"
#define JR_MAGIC_LEN   8
#define JR_HEADER_SIZE 64
#define JR_RECORD_SIZE 64
#define JR_CRC_OFFSET  60 /* in the header and in every record */
/* A later version may grow its header; we read this much to judge it. */
#define JR_HEADER_MAX 4096

struct jr_header {
	unsigned int version;
	unsigned int header_size;
	unsigned int record_size;
	unsigned int granule_shift;
	uint64_t created_ns;
};

void jr_encode_header(uint8_t out[JR_HEADER_SIZE], unsigned int granule_shift, uint64_t created_ns);

/*
 * Judge the first @len bytes of a file: the caller passes the whole file
 * or its first JR_HEADER_MAX bytes, whichever is shorter.  Returns
 * SW_JOURNAL_CLEAN with @h filled, or SW_JOURNAL_NOT_A_JOURNAL,
 * SW_JOURNAL_BAD_HEADER or SW_JOURNAL_BAD_VERSION with *@why set to a
 * static reason (@h->version is filled for BAD_VERSION).
 */
enum sw_journal_problem jr_decode_header(const uint8_t *buf, uint64_t len, struct jr_header *h,
					 const char **why);

/* Encode an EVENT, RESTART, PAGE or SUMMARY record, checksum included. */
void jr_encode(uint8_t out[JR_RECORD_SIZE], const struct sw_journal_record *rec);

/*
 * Decode one record slot and check everything that does not depend on
 * its neighbours: checksum, type, field ranges, reserved bytes, granule
 * alignment.  Returns true, or false with *@why set to a static reason.
 */
bool jr_decode(const uint8_t in[JR_RECORD_SIZE], unsigned int granule_shift,
	       struct sw_journal_record *rec, const char **why);

/*
 * The rules that depend on what came before: a SUMMARY only first, PAGE
 * records before any EVENT or RESTART and in ascending gpa order, and
 * sequence numbers that only go up.  A PAGE does not need the SUMMARY.
 */
struct jr_order {
	int section; /* 0 start, 1 after SUMMARY/PAGE, 2 after a live record */
	bool have_page;
	uint64_t last_page_gpa;
	uint64_t last_seq;
};

bool jr_order_check(const struct jr_order *o, const struct sw_journal_record *rec,
		    const char **why);
void jr_order_advance(struct jr_order *o, const struct sw_journal_record *rec);

/*
 * SW_JOURNAL_ACT_* <-> SW_ACT_* (seawall/policy.h): the same actions at
 * other bit positions.  SW_ACT_RETRY has no journal bit and is dropped;
 * bits outside either set are dropped.
 */
uint32_t jr_actions_from_policy(uint32_t actions);
uint32_t jr_actions_to_policy(uint32_t actions);

/* A granule shift (12, 14, 16) as messages show it: "4 KiB", "16 KiB", "64 KiB". */
const char *jr_granule_text(unsigned int shift);

#endif
