/* SPDX-License-Identifier: MIT */
/* Internal helpers shared by every library source file. */
#ifndef SEAWALL_LIB_COMPILER_H
#define SEAWALL_LIB_COMPILER_H

/* Public functions: everything else in the library is hidden. */
#define SW_EXPORT __attribute__((visibility("default")))

#define SW_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
