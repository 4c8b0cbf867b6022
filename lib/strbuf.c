/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <stdio.h>

#include "strbuf.h"

void sw_strbuf_init(struct sw_strbuf *sb, char *buf, size_t size)
{
	sb->buf = buf;
	sb->size = buf ? size : 0;
	sb->len = 0;
	if (sb->size)
		buf[0] = '\0';
}

static void strbuf_vprintf(struct sw_strbuf *sb, const char *fmt, va_list ap)
{
	char *dst = NULL;
	size_t room = 0;
	int n;

	if (sb->len < sb->size) {
		dst = sb->buf + sb->len;
		room = sb->size - sb->len;
	}
	n = vsnprintf(dst, room, fmt, ap);
	if (n > 0)
		sb->len += (size_t)n;
}

void sw_strbuf_printf(struct sw_strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vprintf(sb, fmt, ap);
	va_end(ap);
}

static void strbuf_putc(struct sw_strbuf *sb, char c)
{
	if (sb->len + 1 < sb->size) {
		sb->buf[sb->len] = c;
		sb->buf[sb->len + 1] = '\0';
	}
	sb->len++;
}

/* A byte loop: the pieces are a few bytes, shorter than strlen + memcpy's setup. */
void sw_strbuf_puts(struct sw_strbuf *sb, const char *s)
{
	for (; *s; s++, sb->len++)
		if (sb->len + 1 < sb->size)
			sb->buf[sb->len] = *s;
	if (sb->size)
		sb->buf[sb->len < sb->size ? sb->len : sb->size - 1] = '\0';
}

void sw_strbuf_hex(struct sw_strbuf *sb, uint64_t v)
{
	char digits[2 + 16 + 1];
	char *p = digits + sizeof(digits) - 1;

	*p = '\0';
	do
		*--p = "0123456789abcdef"[v & 0xf];
	while (v >>= 4);
	*--p = 'x';
	*--p = '0';
	sw_strbuf_puts(sb, p);
}

void sw_strbuf_json_hex(struct sw_strbuf *sb, bool valid, uint64_t v)
{
	if (!valid) {
		sw_strbuf_puts(sb, "null");
		return;
	}
	sw_strbuf_puts(sb, "\"");
	sw_strbuf_hex(sb, v);
	sw_strbuf_puts(sb, "\"");
}

/* RFC 8259 section 7: escape quote, backslash and control characters. */
void sw_strbuf_json_string(struct sw_strbuf *sb, const char *s)
{
	strbuf_putc(sb, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			strbuf_putc(sb, '\\');
			strbuf_putc(sb, (char)c);
		} else if (c == '\n') {
			sw_strbuf_printf(sb, "\\n");
		} else if (c == '\t') {
			sw_strbuf_printf(sb, "\\t");
		} else if (c < 0x20) {
			sw_strbuf_printf(sb, "\\u%04x", c);
		} else {
			strbuf_putc(sb, (char)c);
		}
	}
	strbuf_putc(sb, '"');
}

int sw_strbuf_result(const struct sw_strbuf *sb)
{
	return sb->len > INT_MAX ? -EOVERFLOW : (int)sb->len;
}
