/* SPDX-License-Identifier: MIT */
/* Library version and error strings. */
#include <errno.h>
#include <string.h>

#include <seawall/seawall.h>

#include "compiler.h"

/* The largest errno value Linux returns (include/linux/err.h, MAX_ERRNO). */
#define SW_MAX_ERRNO 4095

SW_EXPORT const char *sw_version(void)
{
	return SW_VERSION_STRING;
}

/*
 * One message per code the library returns: what it means in seawall's
 * terms, then what to do.  A code can come from several calls, so each
 * message names every case the headers document for it.  Anything else
 * (an errno a system call passed through) gets the C library's text:
 * strerrordesc_np(), not strerror(), whose text for an unknown code lives
 * in a buffer the thread's next strerror() call frees.
 */
SW_EXPORT const char *sw_strerror(int err)
{
	const char *text;

	if (err > 0)
		return "not an error: a positive return value is a count or a length";
	/* Checked before negating: -INT_MIN does not fit an int. */
	if (err < -SW_MAX_ERRNO)
		return "not an error code: seawall returns 0, a count, or -1 to -4095 (a negative "
		       "errno)";
	switch (-err) {
	case 0:
		return "success";
	case EINVAL:
		return "invalid argument: not an SEA, a malformed value, record or option, or a "
		       "NULL pointer; the call's reason string or message names it";
	case ENOENT:
		return "not found: an address in no guest memory slot, a journal or policy file "
		       "that does not exist, or a page with no notification in flight; check the "
		       "memslots or the path";
	case EOPNOTSUPP:
		return "not supported for this vCPU: an AArch32 or nested EL2 context, or a forced "
		       "injection strategy KVM lacks; use SW_INJECT_AUTO, or stop the VM";
	case ENOSPC:
		return "no room: the poison registry or the notification table is full, or the "
		       "journal's file system is; raise the registry's capacity, forget answered "
		       "notifications, or free disk space";
	case EBADMSG:
		return "not a usable journal: its header is damaged or the file is not a journal; "
		       "run 'seawall journal check FILE', then restore it or move it aside";
	case EUCLEAN:
		return "journal damaged in the middle, not by an interrupted append; nothing was "
		       "changed: keep a copy, then run 'seawall journal compact --salvage FILE'";
	case EPROTONOSUPPORT:
		return "journal in a format version this seawall does not read: use a seawall "
		       "that reads it";
	case ENOTCONN:
		return "no live guest agent: the guest cannot be told which page is bad; inject "
		       "and contain instead (the policy's fallback)";
	case EBUSY:
		return "journal open for writing by another process: stop that process, or open "
		       "the journal read-only";
	case EEXIST:
		return "the damaged journal's copy FILE.damaged already exists: move it aside, "
		       "then salvage again";
	case EFBIG:
		return "policy file larger than 64 KiB: not a policy file; check the path";
	case EMSGSIZE:
		return "event line longer than SW_EVENT_LINE_MAX bytes: shorten the VM name";
	case EOVERFLOW:
		return "text longer than INT_MAX bytes: its length cannot be returned";
	case ENOEXEC:
		return "vCPU not initialised: call KVM_ARM_VCPU_INIT before sw_vcpu_init()";
	case EIO:
		return "I/O error: a journal write or sync failed (the handle then refuses "
		       "appends: check the storage and reopen the journal), or an event file "
		       "took only part of a line";
	case EBADF:
		return "bad file descriptor, or an append to a journal opened read-only: pass an "
		       "open descriptor, or open the journal read-write";
	case ENOMEM:
		return "out of memory: seawall allocates only off the SEA path (creating a "
		       "registry, policy or metrics, loading a policy file, opening or compacting "
		       "a "
		       "journal); free memory or lower the capacity";
	case EACCES:
		return "permission denied: check the file's permissions and the user the VMM runs "
		       "as";
	case EISDIR:
		return "a directory, not a file: give the path of the policy file";
	case ENAMETOOLONG:
		return "path too long for the journal's side files (FILE.compact, FILE.damaged, "
		       "FILE.new-PID): use a shorter path";
	case EAGAIN:
		return "the journal file kept being replaced while it was opened: retry";
	case ECANCELED:
		return "journal replay stopped: the replay callback returned a positive value";
	default:
		text = strerrordesc_np(-err);
		return text ? text : "unknown error code: not an errno of this system";
	}
}
