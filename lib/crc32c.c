/* SPDX-License-Identifier: MIT */
/* CRC32C, table driven, one byte at a time: journal records are 64 bytes. */
#include <pthread.h>

#include "crc32c.h"

#define CRC32C_POLY 0x82f63b78u /* 0x1edc6f41 bit-reversed */

static uint32_t table[256];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void table_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (CRC32C_POLY & -(c & 1));
		table[i] = c;
	}
}

uint32_t sw_crc32c(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t crc = 0xffffffffu;

	pthread_once(&table_once, table_init);
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}
