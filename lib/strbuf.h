/* SPDX-License-Identifier: MIT */
/*
 * A bounded text builder with snprintf semantics, for the library's
 * describe/JSON functions: appends never overflow, and the final length
 * is what the text would have needed, so callers can size a buffer.
 */
#ifndef SEAWALL_LIB_STRBUF_H
#define SEAWALL_LIB_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sw_strbuf {
	char *buf;
	size_t size; /* bytes available at buf, including the NUL */
	size_t len;  /* bytes the full text needs, excluding the NUL */
};

void sw_strbuf_init(struct sw_strbuf *sb, char *buf, size_t size);
void sw_strbuf_printf(struct sw_strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * Append @s as it is, and @v as "0x" and lowercase hex digits (as "0x%llx"
 * would): the JSON renderers' fixed pieces, without a vsnprintf() each,
 * which is most of an event line's cost (bench/sea-path).
 */
void sw_strbuf_puts(struct sw_strbuf *sb, const char *s);
void sw_strbuf_hex(struct sw_strbuf *sb, uint64_t v);
/* Append @v as a JSON hex string ("0x80010000"), or null when !@valid. */
void sw_strbuf_json_hex(struct sw_strbuf *sb, bool valid, uint64_t v);
/* Append @s as a JSON string literal, quotes included. */
void sw_strbuf_json_string(struct sw_strbuf *sb, const char *s);
/* The snprintf-style result: the full length, or -EOVERFLOW past INT_MAX. */
int sw_strbuf_result(const struct sw_strbuf *sb);

#endif
