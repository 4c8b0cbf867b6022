/* SPDX-License-Identifier: MIT */
/*
 * Render a decoded SEA: one human line (sw_sea_describe) and one JSON object
 * (sw_sea_to_json, keys documented in docs/decode.md; other modules embed it
 * in their event records).  Both are bounded, snprintf-style (lib/strbuf.h).
 */
#include <errno.h>

#include <seawall/sea.h>

#include "compiler.h"
#include "strbuf.h"

SW_EXPORT const char *sw_sea_source_name(enum sw_sea_source source)
{
	switch (source) {
	case SW_SOURCE_KVM_EXIT:
		return "kvm_exit";
	case SW_SOURCE_ESR:
		return "esr";
	case SW_SOURCE_SIGBUS_AR:
		return "sigbus_ar";
	case SW_SOURCE_SIGBUS_AO:
		return "sigbus_ao";
	case SW_SOURCE_FENCED:
		return "fenced";
	}
	return "invalid";
}

SW_EXPORT const char *sw_abort_type_name(enum sw_abort_type type)
{
	switch (type) {
	case SW_ABORT_UNKNOWN:
		return "unknown";
	case SW_ABORT_DATA:
		return "data";
	case SW_ABORT_INSN:
		return "insn";
	}
	return "invalid";
}

SW_EXPORT const char *sw_fsc_class_name(enum sw_fsc_class fsc_class)
{
	switch (fsc_class) {
	case SW_FSC_NONE:
		return "none";
	case SW_FSC_SEA:
		return "sea";
	case SW_FSC_SEA_TTW:
		return "sea_ttw";
	case SW_FSC_PARITY:
		return "parity";
	case SW_FSC_PARITY_TTW:
		return "parity_ttw";
	}
	return "invalid";
}

SW_EXPORT const char *sw_set_name(enum sw_set set)
{
	switch (set) {
	case SW_SET_NONE:
		return "none";
	case SW_SET_UER:
		return "uer";
	case SW_SET_RESERVED:
		return "reserved";
	case SW_SET_UC:
		return "uc";
	case SW_SET_UEO:
		return "ueo";
	}
	return "invalid";
}

static bool has_esr(const struct sw_sea *sea)
{
	return sea->source == SW_SOURCE_KVM_EXIT || sea->source == SW_SOURCE_ESR;
}

static bool is_sigbus(const struct sw_sea *sea)
{
	return sea->source == SW_SOURCE_SIGBUS_AR || sea->source == SW_SOURCE_SIGBUS_AO;
}

static bool source_known(const struct sw_sea *sea)
{
	return has_esr(sea) || is_sigbus(sea) || sea->source == SW_SOURCE_FENCED;
}

/* "SEA on a table walk, level 2" and its kin; the level comes separately. */
static const char *fsc_class_text(enum sw_fsc_class cls)
{
	switch (cls) {
	case SW_FSC_SEA:
		return "synchronous external abort, not on a table walk";
	case SW_FSC_SEA_TTW:
		return "synchronous external abort on a table walk";
	case SW_FSC_PARITY:
		return "synchronous parity/ECC error, not on a table walk";
	case SW_FSC_PARITY_TTW:
		return "synchronous parity/ECC error on a table walk";
	case SW_FSC_NONE:
		break;
	}
	return "not an external abort";
}

/* The Arm ARM's names for the PE state after the abort (ESR.SET). */
static const char *set_text(enum sw_set set)
{
	switch (set) {
	case SW_SET_UER:
		return "UER (recoverable)";
	case SW_SET_UC:
		return "UC (uncontainable)";
	case SW_SET_UEO:
		return "UEO (restartable)";
	case SW_SET_RESERVED:
		return "0b01 (reserved)";
	case SW_SET_NONE:
		break;
	}
	return "none";
}

static void describe_esr(struct sw_strbuf *sb, const struct sw_sea *sea)
{
	bool data = sea->type == SW_ABORT_DATA;

	sw_strbuf_printf(sb, "%s abort from %s", data ? "data" : "instruction",
			 sea->from_lower_el ? "a lower EL" : "the current EL");
	if (data)
		sw_strbuf_printf(sb, ", %s", sea->wnr ? "write" : "read");
	sw_strbuf_printf(sb, ": %s", fsc_class_text(sea->fsc_class));
	if (sea->level != SW_LEVEL_NONE)
		sw_strbuf_printf(sb, ", level %d", sea->level);
	sw_strbuf_printf(sb, " (%cFSC 0x%02x)", data ? 'D' : 'I', sea->fsc);
	if (sea->cm)
		sw_strbuf_printf(sb, "; cache maintenance");
	if (sea->s1ptw)
		sw_strbuf_printf(sb, "; S1PTW (stage 2 fault on a stage 1 walk)");
	sw_strbuf_printf(sb, "; EA %d", sea->ea);
	if (sea->set != SW_SET_NONE)
		sw_strbuf_printf(sb, "; SET %s", set_text(sea->set));
	if (sea->fnv)
		sw_strbuf_printf(sb, "; FAR not valid");
	sw_strbuf_printf(sb, "; ESR 0x%llx", (unsigned long long)sea->esr);
	if (sea->source != SW_SOURCE_KVM_EXIT)
		return;
	if (sea->gva_valid)
		sw_strbuf_printf(sb, "; gva 0x%llx", (unsigned long long)sea->gva);
	else
		sw_strbuf_printf(sb, "; gva unknown");
	if (sea->gpa_valid)
		sw_strbuf_printf(sb, ", gpa 0x%llx", (unsigned long long)sea->gpa);
	else
		sw_strbuf_printf(sb, ", gpa unknown");
}

static void describe_sigbus(struct sw_strbuf *sb, const struct sw_sea *sea)
{
	if (sea->source == SW_SOURCE_SIGBUS_AR)
		sw_strbuf_printf(sb,
				 "SIGBUS BUS_MCEERR_AR (memory error consumed, action required)");
	else
		sw_strbuf_printf(sb, "SIGBUS BUS_MCEERR_AO (memory error found, action optional)");
	sw_strbuf_printf(sb, ": hva 0x%llx", (unsigned long long)sea->hva);
	if (sea->gpa_valid)
		sw_strbuf_printf(sb, ", gpa 0x%llx", (unsigned long long)sea->gpa);
	else
		sw_strbuf_printf(sb, ", gpa unknown (outside every memslot)");
	if (sea->addr_lsb < 64)
		sw_strbuf_printf(sb, ", poisoned extent %llu bytes", 1ULL << sea->addr_lsb);
}

/* No syndrome: only the direction KVM reported and where. */
static void describe_fenced(struct sw_strbuf *sb, const struct sw_sea *sea)
{
	sw_strbuf_printf(sb, "%s of a fenced page (taken out of its memslot)",
			 sea->wnr ? "write" : "read");
	if (sea->gpa_valid)
		sw_strbuf_printf(sb, ": gpa 0x%llx", (unsigned long long)sea->gpa);
	else
		sw_strbuf_printf(sb, ": gpa unknown");
}

SW_EXPORT int sw_sea_describe(const struct sw_sea *sea, char *buf, size_t size)
{
	struct sw_strbuf sb;

	if (!sea || !source_known(sea))
		return -EINVAL;
	sw_strbuf_init(&sb, buf, size);
	if (has_esr(sea))
		describe_esr(&sb, sea);
	else if (is_sigbus(sea))
		describe_sigbus(&sb, sea);
	else
		describe_fenced(&sb, sea);
	return sw_strbuf_result(&sb);
}

/* JSON helpers: every key is always present, null when it does not apply. */
static void json_key(struct sw_strbuf *sb, const char *key)
{
	sw_strbuf_puts(sb, sb->len > 1 ? ",\"" : "\"");
	sw_strbuf_puts(sb, key);
	sw_strbuf_puts(sb, "\":");
}

static void json_hex(struct sw_strbuf *sb, const char *key, bool valid, uint64_t v)
{
	json_key(sb, key);
	sw_strbuf_json_hex(sb, valid, v);
}

static void json_bool(struct sw_strbuf *sb, const char *key, bool valid, bool v)
{
	json_key(sb, key);
	sw_strbuf_puts(sb, !valid ? "null" : v ? "true" : "false");
}

static void json_name(struct sw_strbuf *sb, const char *key, bool valid, const char *name)
{
	json_key(sb, key);
	if (valid)
		sw_strbuf_json_string(sb, name);
	else
		sw_strbuf_puts(sb, "null");
}

static void json_int(struct sw_strbuf *sb, const char *key, bool valid, long long v)
{
	json_key(sb, key);
	if (valid)
		sw_strbuf_printf(sb, "%lld", v);
	else
		sw_strbuf_puts(sb, "null");
}

SW_EXPORT int sw_sea_to_json(const struct sw_sea *sea, char *buf, size_t size)
{
	struct sw_strbuf sb;
	bool esr, data, fenced;

	if (!sea || !source_known(sea))
		return -EINVAL;
	esr = has_esr(sea);
	data = esr && sea->type == SW_ABORT_DATA;
	/* A fenced access has no ESR, but KVM says whether it was a store. */
	fenced = sea->source == SW_SOURCE_FENCED;

	sw_strbuf_init(&sb, buf, size);
	sw_strbuf_puts(&sb, "{");
	json_name(&sb, "source", true, sw_sea_source_name(sea->source));
	json_hex(&sb, "esr", esr, sea->esr);
	json_hex(&sb, "ec", esr, sea->ec);
	json_name(&sb, "type", true, sw_abort_type_name(sea->type));
	json_bool(&sb, "from_lower_el", esr, sea->from_lower_el);
	json_bool(&sb, "il", esr, sea->il);
	json_hex(&sb, "fsc", esr, sea->fsc);
	json_name(&sb, "fsc_class", true, sw_fsc_class_name(sea->fsc_class));
	json_int(&sb, "level", sea->level != SW_LEVEL_NONE, sea->level);
	json_bool(&sb, "fnv", esr, sea->fnv);
	json_bool(&sb, "ea", esr, sea->ea);
	json_bool(&sb, "cm", data, sea->cm);
	json_bool(&sb, "s1ptw", esr, sea->s1ptw);
	json_bool(&sb, "wnr", data || fenced, sea->wnr);
	json_name(&sb, "set", sea->set != SW_SET_NONE, sw_set_name(sea->set));
	json_hex(&sb, "gva", sea->gva_valid, sea->gva);
	json_hex(&sb, "gpa", sea->gpa_valid, sea->gpa);
	json_hex(&sb, "hva", sea->hva_valid, sea->hva);
	json_int(&sb, "addr_lsb", sea->hva_valid, sea->addr_lsb);
	sw_strbuf_puts(&sb, "}");
	return sw_strbuf_result(&sb);
}
