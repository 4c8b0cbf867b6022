/* SPDX-License-Identifier: MIT */
/* Reading the files the guest boots from, with errors that name them. */
#ifndef SEAWALL_VMM_FILE_H
#define SEAWALL_VMM_FILE_H

#include <stddef.h>
#include <stdint.h>

/*
 * file__size - the size of regular file @path.  @what names the option
 * it came from in messages ("--kernel").  Returns 0 or -errno (logged).
 */
int file__size(const char *what, const char *path, uint64_t *size);

/*
 * file__read - read the first @size bytes of @path (all of it, with the
 * size from file__size) into @dst.  Returns 0 or -errno (logged; -EIO if
 * the file is shorter).
 */
int file__read(const char *what, const char *path, void *dst, uint64_t size);

#endif
