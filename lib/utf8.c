/* SPDX-License-Identifier: MIT */
#include <stdint.h>

#include "utf8.h"

/* RFC 3629 section 4: the well-formed byte sequences. */
bool sw_utf8_valid(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		unsigned char c = *s;
		unsigned char lo = 0x80, hi = 0xbf;
		int more;

		if (c < 0x80) {
			s++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			more = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			more = 2;
			if (c == 0xe0)
				lo = 0xa0; /* no overlong forms */
			else if (c == 0xed)
				hi = 0x9f; /* no surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			more = 3;
			if (c == 0xf0)
				lo = 0x90; /* no overlong forms */
			else if (c == 0xf4)
				hi = 0x8f; /* nothing above U+10FFFF */
		} else {
			return false;
		}
		s++;
		for (int i = 0; i < more; i++, s++) {
			if (*s < lo || *s > hi)
				return false;
			lo = 0x80;
			hi = 0xbf;
		}
	}
	return true;
}
