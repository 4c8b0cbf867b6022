/* SPDX-License-Identifier: MIT */
/*
 * test-error: sw_strerror() gives the exact seawall message for every code
 * the public headers document, the C library's text for any other errno,
 * and a message (never NULL, never undefined behaviour) for values that
 * are not error codes.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <seawall/seawall.h>

static const struct {
	int err;
	const char *message;
} documented[] = {
	{0, "success"},
	{-EINVAL, "invalid argument: not an SEA, a malformed value, record or option, or a NULL "
		  "pointer; the call's reason string or message names it"},
	{-ENOENT, "not found: an address in no guest memory slot, a journal or policy file that "
		  "does not exist, or a page with no notification in flight; check the memslots "
		  "or the path"},
	{-EOPNOTSUPP, "not supported for this vCPU: an AArch32 or nested EL2 context, or a forced "
		      "injection strategy KVM lacks; use SW_INJECT_AUTO, or stop the VM"},
	{-ENOSPC, "no room: the poison registry or the notification table is full, or the "
		  "journal's file system is; raise the registry's capacity, forget answered "
		  "notifications, or free disk space"},
	{-EBADMSG, "not a usable journal: its header is damaged or the file is not a journal; run "
		   "'seawall journal check FILE', then restore it or move it aside"},
	{-EUCLEAN, "journal damaged in the middle, not by an interrupted append; nothing was "
		   "changed: keep a copy, then run 'seawall journal compact --salvage FILE'"},
	{-EPROTONOSUPPORT, "journal in a format version this seawall does not read: use a seawall "
			   "that reads it"},
	{-ENOTCONN, "no live guest agent: the guest cannot be told which page is bad; inject and "
		    "contain instead (the policy's fallback)"},
	{-EBUSY, "journal open for writing by another process: stop that process, or open the "
		 "journal read-only"},
	{-EEXIST, "the damaged journal's copy FILE.damaged already exists: move it aside, then "
		  "salvage again"},
	{-EFBIG, "policy file larger than 64 KiB: not a policy file; check the path"},
	{-EMSGSIZE, "event line longer than SW_EVENT_LINE_MAX bytes: shorten the VM name"},
	{-EOVERFLOW, "text longer than INT_MAX bytes: its length cannot be returned"},
	{-ENOEXEC, "vCPU not initialised: call KVM_ARM_VCPU_INIT before sw_vcpu_init()"},
	{-EIO, "I/O error: a journal write or sync failed (the handle then refuses appends: check "
	       "the storage and reopen the journal), or an event file took only part of a line"},
	{-EBADF, "bad file descriptor, or an append to a journal opened read-only: pass an open "
		 "descriptor, or open the journal read-write"},
	{-ENOMEM, "out of memory: seawall allocates only off the SEA path (creating a registry, "
		  "policy or metrics, loading a policy file, opening or compacting a journal); "
		  "free memory or lower the capacity"},
	{-EACCES, "permission denied: check the file's permissions and the user the VMM runs as"},
	{-EISDIR, "a directory, not a file: give the path of the policy file"},
	{-ENAMETOOLONG, "path too long for the journal's side files (FILE.compact, FILE.damaged, "
			"FILE.new-PID): use a shorter path"},
	{-EAGAIN, "the journal file kept being replaced while it was opened: retry"},
	{-ECANCELED, "journal replay stopped: the replay callback returned a positive value"},
};

static void test_documented_codes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(documented) / sizeof(documented[0]); i++) {
		assert_string_equal(sw_strerror(documented[i].err), documented[i].message);
		/* Each is seawall's own text, not the C library's. */
		if (documented[i].err)
			assert_string_not_equal(sw_strerror(documented[i].err),
						strerror(-documented[i].err));
	}
}

/* An errno only a system call passes through keeps the C library's text. */
static void test_other_errno(void **state)
{
	(void)state;
	assert_string_equal(sw_strerror(-EDOM), "Numerical argument out of domain");
	assert_string_equal(sw_strerror(-ENOTTY), "Inappropriate ioctl for device");
	assert_string_equal(sw_strerror(-EROFS), "Read-only file system");
	/* A code the system does not define: still a static string. */
	assert_string_equal(sw_strerror(-4095), "unknown error code: not an errno of this system");
}

static void test_not_error_codes(void **state)
{
	static const char positive[] = "not an error: a positive return value is a count or a "
				       "length";
	static const char range[] = "not an error code: seawall returns 0, a count, or -1 to "
				    "-4095 (a negative errno)";

	(void)state;
	assert_string_equal(sw_strerror(1), positive);
	assert_string_equal(sw_strerror(EINVAL), positive);
	assert_string_equal(sw_strerror(INT_MAX), positive);
	assert_string_equal(sw_strerror(-4096), range);
	assert_string_equal(sw_strerror(INT_MIN), range); /* -INT_MIN would overflow */
}

static void test_version(void **state)
{
	(void)state;
	assert_string_equal(sw_version(), SW_VERSION_STRING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_documented_codes),
		cmocka_unit_test(test_other_errno),
		cmocka_unit_test(test_not_error_codes),
		cmocka_unit_test(test_version),
	};

	return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
