/* SPDX-License-Identifier: MIT */
/*
 * Walk a journal's record slots and judge each one.  The work is linear
 * in the file size and bounded by it: every slot is read once, and
 * nothing is allocated.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "journal_internal.h"

/* 256 records per read. */
#define SCAN_CHUNK (256 * JR_RECORD_SIZE)

static ssize_t pread_full(int fd, uint8_t *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static void mark_damage(struct jscan *res, uint64_t off, const char *why, uint64_t bytes)
{
	if (!res->damaged) {
		res->damaged = true;
		res->damage_offset = off;
		res->reason = why;
	}
	res->bad_slots++;
	res->bad_bytes += bytes;
}

int jscan(int fd, uint64_t size, unsigned int granule_shift, bool skip, jscan_fn fn, void *arg,
	  struct jscan *res)
{
	uint8_t buf[SCAN_CHUNK];
	struct jr_order order;
	uint64_t off = JR_HEADER_SIZE;

	memset(res, 0, sizeof(*res));
	memset(&order, 0, sizeof(order));
	res->valid_end = JR_HEADER_SIZE;
	while (off < size) {
		uint64_t left = size - off;
		size_t want = left < sizeof(buf) ? (size_t)left : sizeof(buf);
		ssize_t got = pread_full(fd, buf, want, off);
		size_t pos;

		if (got < 0)
			return (int)got;
		if ((size_t)got < want) /* the file shrank under us: judge what is there */
			size = off + (uint64_t)got;
		for (pos = 0; pos + JR_RECORD_SIZE <= (size_t)got; pos += JR_RECORD_SIZE) {
			struct sw_journal_record rec;
			const char *why;
			int ret;

			if (!jr_decode(buf + pos, granule_shift, &rec, &why) ||
			    !jr_order_check(&order, &rec, &why)) {
				mark_damage(res, off + pos, why, JR_RECORD_SIZE);
				continue;
			}
			jr_order_advance(&order, &rec);
			if (res->damaged)
				res->records_after++;
			if (res->damaged && !skip)
				continue;
			if (!res->damaged)
				res->valid_end = off + pos + JR_RECORD_SIZE;
			rec.offset = off + pos;
			ret = fn(&rec, buf + pos, arg);
			if (ret)
				return ret;
			res->records++;
		}
		if (pos < (size_t)got) {
			/* Only the last read can end inside a slot. */
			res->partial = (size_t)got - pos;
			mark_damage(res, off + pos, JSCAN_PARTIAL, res->partial);
		}
		off += (uint64_t)got;
		if (got == 0)
			break;
	}
	return 0;
}
