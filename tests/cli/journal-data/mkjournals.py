#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the journal fixtures of tests/cli/test-journal.sh from docs/journal.md.

A second, independent implementation of the on-disk format (the C library
is the first): if either drifts from the document, the CLI tests fail.
Run it from this directory; it rewrites the *.jrn files deterministically.
"""
import struct
import sys

MAGIC = b"SEAWALLJ"
EVENT, RESTART, PAGE, SUMMARY = 1, 2, 3, 4
KVM_EXIT, ESR, SIGBUS_AR, SIGBUS_AO, FENCED = 1, 2, 3, 4, 5
LOG, NOTIFY, INJECT, FENCE, REPLACE, RESTART_ACT, STOP = (1 << i for i in range(7))
GPA_VALID, GVA_VALID = 1, 2
T0 = 1795341600 * 10**9  # 2026-11-22T10:00:00Z


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def seal(body):
    assert len(body) == 60
    return body + struct.pack("<I", crc32c(body))


def header(granule_shift, created_ns, version=1):
    body = MAGIC + struct.pack("<HHHBBQ", version, 64, 64, granule_shift, 0, created_ns)
    return seal(body + bytes(60 - len(body)))


def event(seq, time_ns, gpa, source, el, actions, vcpu=0, esr=0, gva=None):
    flags = (GPA_VALID if gpa is not None else 0) | (GVA_VALID if gva is not None else 0)
    body = struct.pack("<BBBBIQQQQQI", EVENT, source, el, flags, actions, seq, time_ns,
                       gpa or 0, gva or 0, esr, vcpu)
    return seal(body + bytes(8))


def restart(seq, time_ns, reason):
    body = struct.pack("<BxxxIQQ", RESTART, reason, seq, time_ns)
    return seal(body + bytes(60 - len(body)))


def page(gpa, first_ns, last_ns, events, actions):
    body = struct.pack("<BxxxIQQQQQ", PAGE, actions, 0, first_ns, gpa, last_ns, events)
    return seal(body + bytes(60 - len(body)))


def summary(last_seq, cutoff_ns, events, restarts, last_event_ns, last_restart_ns):
    body = struct.pack("<BxxxxxxxQQQQQQ", SUMMARY, last_seq, cutoff_ns, events, restarts,
                       last_event_ns, last_restart_ns)
    return seal(body + bytes(60 - len(body)))


def records():
    """Four events on three pages, one restart: the measured ESRs of DESIGN.md."""
    return [
        event(1, T0 + 1, 0x80010000, KVM_EXIT, 1, INJECT | FENCE, 0, 0x92000210, 0x80010048),
        event(2, T0 + 2 * 10**9, 0x80010000, KVM_EXIT, 1, INJECT | FENCE, 1, 0x92000250,
              0x80010ff8),
        event(3, T0 + 60 * 10**9, 0x80022000, SIGBUS_AR, 0, NOTIFY, 1, 0, None),
        restart(4, T0 + 61 * 10**9, 1),
        event(5, T0 + 3600 * 10**9, 0x9abc0000, KVM_EXIT, 0, INJECT | REPLACE, 3, 0x82000210,
              0x400000),
    ]


def main():
    created = T0 - 10**9
    clean = header(12, created) + b"".join(records())
    out = {
        "clean.jrn": clean,
        # An append cut short: 40 bytes of a sixth record.
        "torn.jrn": clean + event(6, T0 + 7200 * 10**9, 0x1000, SIGBUS_AO, 0xFF, LOG)[:40],
        # One flipped bit in the second record, three valid records after it.
        "middle.jrn": bytearray(clean),
        "header.jrn": bytearray(clean),
        "version2.jrn": header(12, created, version=2) + b"".join(records()),
        "compacted.jrn": header(12, created)
        + summary(3, T0 + 61 * 10**9 - 1, 3, 0, T0 + 60 * 10**9, 0)
        + page(0x80010000, T0 + 1, T0 + 2 * 10**9, 2, INJECT | FENCE)
        + page(0x80022000, T0 + 60 * 10**9, T0 + 60 * 10**9, 1, NOTIFY)
        + b"".join(records()[3:]),
        "empty.jrn": b"",
        # seawall-vmm without CAP_SYS_ADMIN: the page fenced by a memslot
        # hole, then the guest kernel's load from it again (source 5).
        "fenced.jrn": header(12, created)
        + event(1, T0, 0x80500000, KVM_EXIT, 1, INJECT | FENCE, 0, 0x92000210, 0x80500048)
        + event(2, T0 + 10**6, 0x80500000, FENCED, 1, INJECT, 0, 0, None),
    }
    out["middle.jrn"][64 + 64 + 20] ^= 0x01
    out["header.jrn"][20] ^= 0x80
    for name, data in out.items():
        with open(name, "wb") as f:
            f.write(bytes(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
