/* SPDX-License-Identifier: MIT */
/*
 * Journal header and record encoding (docs/journal.md, "File format").
 * Fields are written byte by byte in little-endian order, never as a
 * struct image, so the file is the same on every host.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <seawall/policy.h>
#include <seawall/sea.h>

#include "compiler.h"
#include "crc32c.h"
#include "journal_record.h"
#include "strbuf.h"
#include "timefmt.h"

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v = 0;

	for (int i = 3; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static bool all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

static bool granule_ok(unsigned int shift)
{
	return shift == 12 || shift == 14 || shift == 16;
}

void jr_encode_header(uint8_t out[JR_HEADER_SIZE], unsigned int granule_shift, uint64_t created_ns)
{
	memset(out, 0, JR_HEADER_SIZE);
	memcpy(out, JR_MAGIC, JR_MAGIC_LEN);
	put16(out + 8, SW_JOURNAL_VERSION);
	put16(out + 10, JR_HEADER_SIZE);
	put16(out + 12, JR_RECORD_SIZE);
	out[14] = (uint8_t)granule_shift;
	put64(out + 16, created_ns);
	put32(out + JR_CRC_OFFSET, sw_crc32c(out, JR_CRC_OFFSET));
}

/*
 * Every version keeps the magic, the version at byte 8, the header size
 * at byte 10 and the header's CRC32C in its last 4 bytes, so a file of
 * another version is recognised as such (and not as damage) only when
 * its own checksum holds.
 */
enum sw_journal_problem jr_decode_header(const uint8_t *buf, uint64_t len, struct jr_header *h,
					 const char **why)
{
	unsigned int size;

	memset(h, 0, sizeof(*h));
	if (len == 0) {
		*why = "the file is empty";
		return SW_JOURNAL_NOT_A_JOURNAL;
	}
	if (memcmp(buf, JR_MAGIC, len < JR_MAGIC_LEN ? len : JR_MAGIC_LEN)) {
		*why = "it does not start with the journal magic \"SEAWALLJ\"";
		return SW_JOURNAL_NOT_A_JOURNAL;
	}
	if (len < 12) {
		*why = "the file ends inside the header";
		return SW_JOURNAL_BAD_HEADER;
	}
	size = get16(buf + 10);
	if (size < JR_HEADER_SIZE || size > JR_HEADER_MAX || size % 4) {
		*why = "the header size field is out of range";
		return SW_JOURNAL_BAD_HEADER;
	}
	if (len < size) {
		*why = "the file ends inside the header";
		return SW_JOURNAL_BAD_HEADER;
	}
	if (get32(buf + size - 4) != sw_crc32c(buf, size - 4)) {
		*why = "header checksum mismatch";
		return SW_JOURNAL_BAD_HEADER;
	}
	h->version = get16(buf + 8);
	h->header_size = size;
	if (h->version != SW_JOURNAL_VERSION) {
		*why = "unsupported format version";
		return SW_JOURNAL_BAD_VERSION;
	}
	h->record_size = get16(buf + 12);
	h->granule_shift = buf[14];
	h->created_ns = get64(buf + 16);
	if (size != JR_HEADER_SIZE || h->record_size != JR_RECORD_SIZE) {
		*why = "version 1 header with a header or record size other than 64";
		return SW_JOURNAL_BAD_HEADER;
	}
	if (!granule_ok(h->granule_shift)) {
		*why = "granule shift is not 12, 14 or 16";
		return SW_JOURNAL_BAD_HEADER;
	}
	if (buf[15] || !all_zero(buf + 24, JR_CRC_OFFSET - 24)) {
		*why = "reserved header bytes are not zero";
		return SW_JOURNAL_BAD_HEADER;
	}
	return SW_JOURNAL_CLEAN;
}

void jr_encode(uint8_t out[JR_RECORD_SIZE], const struct sw_journal_record *rec)
{
	memset(out, 0, JR_RECORD_SIZE);
	out[0] = (uint8_t)rec->type;
	switch (rec->type) {
	case SW_JOURNAL_EVENT:
		out[1] = rec->event.source;
		out[2] = rec->event.guest_el;
		out[3] = rec->event.flags;
		put32(out + 4, rec->event.actions);
		put64(out + 8, rec->seq);
		put64(out + 16, rec->event.time_ns);
		put64(out + 24, rec->event.gpa);
		put64(out + 32, rec->event.gva);
		put64(out + 40, rec->event.esr);
		put32(out + 48, rec->event.vcpu);
		break;
	case SW_JOURNAL_RESTART:
		put32(out + 4, rec->restart.reason);
		put64(out + 8, rec->seq);
		put64(out + 16, rec->restart.time_ns);
		break;
	case SW_JOURNAL_PAGE:
		put32(out + 4, rec->page.actions);
		put64(out + 16, rec->page.first_ns);
		put64(out + 24, rec->page.gpa);
		put64(out + 32, rec->page.last_ns);
		put64(out + 40, rec->page.events);
		break;
	case SW_JOURNAL_SUMMARY:
		put64(out + 8, rec->summary.last_seq);
		put64(out + 16, rec->summary.cutoff_ns);
		put64(out + 24, rec->summary.events);
		put64(out + 32, rec->summary.restarts);
		put64(out + 40, rec->summary.last_event_ns);
		put64(out + 48, rec->summary.last_restart_ns);
		break;
	}
	put32(out + JR_CRC_OFFSET, sw_crc32c(out, JR_CRC_OFFSET));
}

static bool decode_event(const uint8_t *in, uint64_t granule_mask, struct sw_journal_event *ev,
			 const char **why)
{
	ev->source = in[1];
	ev->guest_el = in[2];
	ev->flags = in[3];
	ev->actions = get32(in + 4);
	ev->time_ns = get64(in + 16);
	ev->gpa = get64(in + 24);
	ev->gva = get64(in + 32);
	ev->esr = get64(in + 40);
	ev->vcpu = get32(in + 48);
	/*
	 * enum sw_sea_source: KVM_EXIT, ESR, SIGBUS_AR, SIGBUS_AO, FENCED.  The
	 * field is one byte, so FENCED (5) needed no new format version; a
	 * reader from before it judges such a record damaged.
	 */
	if (ev->source < 1 || ev->source > 5)
		*why = "event source is not 1-5";
	else if (ev->guest_el > 2 && ev->guest_el != SW_JOURNAL_EL_UNKNOWN)
		*why = "guest EL is not 0, 1, 2 or 255";
	else if (ev->flags & ~(SW_JOURNAL_EV_GPA_VALID | SW_JOURNAL_EV_GVA_VALID))
		*why = "unknown event flag bits";
	else if (ev->actions & ~SW_JOURNAL_ACT_ALL)
		*why = "unknown action bits";
	else if (ev->gpa & granule_mask)
		*why = "gpa is not aligned to the granule";
	else if (!(ev->flags & SW_JOURNAL_EV_GPA_VALID) && ev->gpa)
		*why = "gpa is set but not flagged valid";
	else if (!(ev->flags & SW_JOURNAL_EV_GVA_VALID) && ev->gva)
		*why = "gva is set but not flagged valid";
	else if (!all_zero(in + 52, JR_CRC_OFFSET - 52))
		*why = "reserved record bytes are not zero";
	else
		return true;
	return false;
}

static bool decode_restart(const uint8_t *in, struct sw_journal_restart *rs, const char **why)
{
	rs->reason = get32(in + 4);
	rs->time_ns = get64(in + 16);
	if (rs->reason > SW_RESTART_OPERATOR)
		*why = "restart reason is not 0-5";
	else if (!all_zero(in + 1, 3) || !all_zero(in + 24, JR_CRC_OFFSET - 24))
		*why = "reserved record bytes are not zero";
	else
		return true;
	return false;
}

static bool decode_page(const uint8_t *in, uint64_t granule_mask, struct sw_journal_page *pg,
			const char **why)
{
	pg->actions = get32(in + 4);
	pg->first_ns = get64(in + 16);
	pg->gpa = get64(in + 24);
	pg->last_ns = get64(in + 32);
	pg->events = get64(in + 40);
	if (pg->actions & ~SW_JOURNAL_ACT_ALL)
		*why = "unknown action bits";
	else if (pg->gpa & granule_mask)
		*why = "gpa is not aligned to the granule";
	else if (pg->events == 0)
		*why = "page record with no events";
	else if (pg->first_ns > pg->last_ns)
		*why = "page record's first time is after its last";
	else if (!all_zero(in + 1, 3) || !all_zero(in + 8, 8) ||
		 !all_zero(in + 48, JR_CRC_OFFSET - 48))
		*why = "reserved record bytes are not zero";
	else
		return true;
	return false;
}

static bool decode_summary(const uint8_t *in, struct sw_journal_summary *sm, const char **why)
{
	sm->last_seq = get64(in + 8);
	sm->cutoff_ns = get64(in + 16);
	sm->events = get64(in + 24);
	sm->restarts = get64(in + 32);
	sm->last_event_ns = get64(in + 40);
	sm->last_restart_ns = get64(in + 48);
	if (!all_zero(in + 1, 7) || !all_zero(in + 56, JR_CRC_OFFSET - 56)) {
		*why = "reserved record bytes are not zero";
		return false;
	}
	return true;
}

bool jr_decode(const uint8_t in[JR_RECORD_SIZE], unsigned int granule_shift,
	       struct sw_journal_record *rec, const char **why)
{
	uint64_t granule_mask = ((uint64_t)1 << granule_shift) - 1;

	memset(rec, 0, sizeof(*rec));
	if (get32(in + JR_CRC_OFFSET) != sw_crc32c(in, JR_CRC_OFFSET)) {
		*why = all_zero(in, JR_RECORD_SIZE) ? "zero-filled slot (allocated, never written)"
						    : "checksum mismatch";
		return false;
	}
	rec->type = in[0];
	switch (in[0]) {
	case SW_JOURNAL_EVENT:
		rec->seq = get64(in + 8);
		return decode_event(in, granule_mask, &rec->event, why);
	case SW_JOURNAL_RESTART:
		rec->seq = get64(in + 8);
		return decode_restart(in, &rec->restart, why);
	case SW_JOURNAL_PAGE:
		return decode_page(in, granule_mask, &rec->page, why);
	case SW_JOURNAL_SUMMARY:
		return decode_summary(in, &rec->summary, why);
	}
	*why = "unknown record type";
	return false;
}

bool jr_order_check(const struct jr_order *o, const struct sw_journal_record *rec, const char **why)
{
	switch (rec->type) {
	case SW_JOURNAL_SUMMARY:
		if (o->section != 0) {
			*why = "summary record after the first record";
			return false;
		}
		return true;
	case SW_JOURNAL_PAGE:
		/*
		 * Compaction writes a SUMMARY first, but a PAGE does not need
		 * it: a damaged SUMMARY must not take the known-bad pages with
		 * it.
		 */
		if (o->section == 2) {
			*why = "page record after an event or restart";
			return false;
		}
		if (o->have_page && rec->page.gpa <= o->last_page_gpa) {
			*why = "page records not in ascending gpa order";
			return false;
		}
		return true;
	default:
		if (rec->seq <= o->last_seq) {
			*why = "sequence number does not increase";
			return false;
		}
		return true;
	}
}

void jr_order_advance(struct jr_order *o, const struct sw_journal_record *rec)
{
	switch (rec->type) {
	case SW_JOURNAL_SUMMARY:
		o->section = 1;
		o->last_seq = rec->summary.last_seq;
		break;
	case SW_JOURNAL_PAGE:
		o->section = 1;
		o->have_page = true;
		o->last_page_gpa = rec->page.gpa;
		break;
	default:
		o->section = 2;
		o->last_seq = rec->seq;
		break;
	}
}

const char *jr_granule_text(unsigned int shift)
{
	return shift == 12 ? "4 KiB" : shift == 14 ? "16 KiB" : "64 KiB";
}

/*
 * The journal's action bits name the policy's actions (seawall/policy.h) at
 * other positions: the format was fixed before SW_ACT_RETRY existed, and a
 * retry is never journaled (it changes nothing a replay rebuilds).
 */
static const struct {
	uint32_t journal, policy;
} action_bits[] = {
	{SW_JOURNAL_ACT_LOG, SW_ACT_LOG},	  {SW_JOURNAL_ACT_NOTIFY, SW_ACT_NOTIFY},
	{SW_JOURNAL_ACT_INJECT, SW_ACT_INJECT},	  {SW_JOURNAL_ACT_FENCE, SW_ACT_FENCE},
	{SW_JOURNAL_ACT_REPLACE, SW_ACT_REPLACE}, {SW_JOURNAL_ACT_RESTART, SW_ACT_RESTART},
	{SW_JOURNAL_ACT_STOP, SW_ACT_STOP},
};

static uint32_t translate_actions(uint32_t actions, bool to_policy)
{
	uint32_t out = 0;

	for (size_t i = 0; i < SW_ARRAY_SIZE(action_bits); i++)
		if (actions & (to_policy ? action_bits[i].journal : action_bits[i].policy))
			out |= to_policy ? action_bits[i].policy : action_bits[i].journal;
	return out;
}

uint32_t jr_actions_from_policy(uint32_t actions)
{
	return translate_actions(actions, false);
}

uint32_t jr_actions_to_policy(uint32_t actions)
{
	return translate_actions(actions, true);
}

static const char *const reason_names[] = {"unspecified", "page_threshold", "rate_threshold",
					   "policy",	  "guest",	    "operator"};

static void describe_actions(struct sw_strbuf *sb, uint32_t actions)
{
	const char *sep = "";

	sw_strbuf_printf(sb, " actions=");
	if (!actions)
		sw_strbuf_printf(sb, "none");
	for (size_t i = 0; i < SW_ARRAY_SIZE(action_bits); i++) {
		if (actions & action_bits[i].journal) {
			sw_strbuf_printf(sb, "%s%s", sep, sw_action_name(action_bits[i].policy));
			sep = ",";
		}
	}
	if (actions & ~SW_JOURNAL_ACT_ALL)
		sw_strbuf_printf(sb, "%s0x%x", sep, actions & ~SW_JOURNAL_ACT_ALL);
}

/* " KEY=TIME", or " KEY=-" when @valid is false. */
static void describe_time(struct sw_strbuf *sb, const char *key, uint64_t ns, bool valid)
{
	char t[SW_TIME_LEN];

	if (!valid) {
		sw_strbuf_printf(sb, " %s=-", key);
		return;
	}
	sw_format_time(t, ns);
	sw_strbuf_printf(sb, " %s=%s", key, t);
}

static void describe_event(struct sw_strbuf *sb, uint64_t seq, const struct sw_journal_event *ev)
{
	sw_strbuf_printf(sb, "event seq=%" PRIu64, seq);
	describe_time(sb, "time", ev->time_ns, true);
	if (ev->flags & SW_JOURNAL_EV_GPA_VALID)
		sw_strbuf_printf(sb, " gpa=0x%" PRIx64, ev->gpa);
	else
		sw_strbuf_printf(sb, " gpa=-");
	sw_strbuf_printf(sb, " source=%s", sw_sea_source_name((enum sw_sea_source)ev->source));
	if (ev->guest_el == SW_JOURNAL_EL_UNKNOWN)
		sw_strbuf_printf(sb, " el=?");
	else
		sw_strbuf_printf(sb, " el=%u", ev->guest_el);
	if (ev->vcpu == SW_JOURNAL_VCPU_NONE)
		sw_strbuf_printf(sb, " vcpu=-");
	else
		sw_strbuf_printf(sb, " vcpu=%" PRIu32, ev->vcpu);
	sw_strbuf_printf(sb, " esr=0x%" PRIx64, ev->esr);
	if (ev->flags & SW_JOURNAL_EV_GVA_VALID)
		sw_strbuf_printf(sb, " gva=0x%" PRIx64, ev->gva);
	else
		sw_strbuf_printf(sb, " gva=-");
	describe_actions(sb, ev->actions);
}

SW_EXPORT int sw_journal_record_describe(const struct sw_journal_record *rec, char *buf,
					 size_t size)
{
	struct sw_strbuf sb;

	if (!rec)
		return -EINVAL;
	sw_strbuf_init(&sb, buf, size);
	switch (rec->type) {
	case SW_JOURNAL_EVENT:
		describe_event(&sb, rec->seq, &rec->event);
		break;
	case SW_JOURNAL_RESTART:
		sw_strbuf_printf(&sb, "restart seq=%" PRIu64, rec->seq);
		describe_time(&sb, "time", rec->restart.time_ns, true);
		sw_strbuf_printf(&sb, " reason=%s",
				 rec->restart.reason < SW_ARRAY_SIZE(reason_names)
					 ? reason_names[rec->restart.reason]
					 : "?");
		break;
	case SW_JOURNAL_PAGE:
		sw_strbuf_printf(&sb, "page gpa=0x%" PRIx64 " events=%" PRIu64, rec->page.gpa,
				 rec->page.events);
		describe_time(&sb, "first", rec->page.first_ns, true);
		describe_time(&sb, "last", rec->page.last_ns, true);
		describe_actions(&sb, rec->page.actions);
		break;
	case SW_JOURNAL_SUMMARY:
		sw_strbuf_printf(&sb, "summary last_seq=%" PRIu64, rec->summary.last_seq);
		describe_time(&sb, "cutoff", rec->summary.cutoff_ns, true);
		sw_strbuf_printf(&sb, " events=%" PRIu64 " restarts=%" PRIu64, rec->summary.events,
				 rec->summary.restarts);
		describe_time(&sb, "last_event", rec->summary.last_event_ns,
			      rec->summary.events != 0);
		describe_time(&sb, "last_restart", rec->summary.last_restart_ns,
			      rec->summary.restarts != 0);
		break;
	default:
		return -EINVAL;
	}
	return sw_strbuf_result(&sb);
}
