/* SPDX-License-Identifier: MIT */
/*
 * CRC32C (Castagnoli, reflected polynomial 0x82f63b78), as iSCSI
 * (RFC 3720 appendix B.4), ext4 and btrfs use: initial value and final
 * XOR 0xffffffff.  sw_crc32c("123456789", 9) == 0xe3069283.
 */
#ifndef SEAWALL_LIB_CRC32C_H
#define SEAWALL_LIB_CRC32C_H

#include <stddef.h>
#include <stdint.h>

uint32_t sw_crc32c(const void *buf, size_t len);

#endif
