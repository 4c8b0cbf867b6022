#!/usr/bin/python3
"""Write a newc cpio archive (an initramfs) from a spec, without root.

The spec has one entry per line, in the spirit of the kernel's
usr/gen_init_cpio:

    dir   PATH MODE
    file  PATH MODE HOSTFILE
    slink PATH MODE TARGET
    nod   PATH MODE c|b MAJOR MINOR

MODE is octal.  Every entry is owned by root.  Device nodes are written
straight into the archive, so building it needs no privilege.
"""

import os
import stat
import sys


def header(out, ino, mode, size, name, rmajor=0, rminor=0, nlink=1):
    fields = (ino, mode, 0, 0, nlink, 0, size, 0, 0, rmajor, rminor, len(name) + 1, 0)
    out.write(b"070701" + b"".join(b"%08x" % f for f in fields))
    out.write(name.encode() + b"\0")
    pad(out)


def pad(out):
    out.write(b"\0" * (-out.tell() % 4))


def main(spec_path, out_path):
    with open(spec_path) as spec, open(out_path, "wb") as out:
        ino = 300000
        for lineno, line in enumerate(spec, 1):
            words = line.split()
            if not words or words[0].startswith("#"):
                continue
            kind, path, mode = words[0], words[1].lstrip("/"), int(words[2], 8)
            ino += 1
            if kind == "dir":
                header(out, ino, stat.S_IFDIR | mode, 0, path, nlink=2)
            elif kind == "file":
                with open(words[3], "rb") as f:
                    data = f.read()
                header(out, ino, stat.S_IFREG | mode, len(data), path)
                out.write(data)
                pad(out)
            elif kind == "slink":
                target = words[3].encode()
                header(out, ino, stat.S_IFLNK | mode, len(target), path)
                out.write(target)
                pad(out)
            elif kind == "nod":
                kind_bit = stat.S_IFCHR if words[3] == "c" else stat.S_IFBLK
                header(out, ino, kind_bit | mode, 0, path, int(words[4]), int(words[5]))
            else:
                sys.exit("%s:%d: unknown entry '%s'" % (spec_path, lineno, kind))
        header(out, 0, 0, 0, "TRAILER!!!")
        out.write(b"\0" * (-out.tell() % 512))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: mkcpio.py SPEC OUT")
    main(sys.argv[1], sys.argv[2])
