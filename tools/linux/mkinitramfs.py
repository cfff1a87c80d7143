#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write a gzip-compressed initramfs (cpio "newc" format, the format the
kernel unpacks; see the kernel's Documentation/driver-api/early-userspace)
from a list of entries, without needing root or a host cpio.

usage: mkinitramfs.py OUT.cpio.gz SPEC...

Each SPEC is one of:
  dir:PATH                       an empty directory (mode 0755)
  file:PATH=HOSTFILE[:MODE]      a regular file copied from the host (octal
                                 MODE, default: the host file's permissions)
  link:PATH=TARGET               a symbolic link
  cdev:PATH=MAJOR,MINOR          a character device (mode 0600)
Parent directories must be listed before their entries.
"""
import gzip
import os
import stat
import sys


def header(ino, mode, nlink, size, rmajor, rminor, name):
    namez = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, rmajor, rminor, len(namez), 0]
    out = b"070701" + b"".join(b"%08X" % f for f in fields) + namez
    return out + b"\0" * (-len(out) % 4)


def pad(data):
    return data + b"\0" * (-len(data) % 4)


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    out, specs = argv[0], argv[1:]
    blob = bytearray()
    ino = 1
    for spec in specs:
        kind, _, rest = spec.partition(":")
        path, _, arg = rest.partition("=")
        name = path.lstrip("/")
        if not name or kind not in ("dir", "file", "link", "cdev"):
            sys.exit(f"mkinitramfs: bad entry '{spec}'")
        if kind == "dir":
            blob += header(ino, stat.S_IFDIR | 0o755, 2, 0, 0, 0, name)
        elif kind == "file":
            host, _, mode = arg.partition(":")
            try:
                with open(host, "rb") as f:
                    data = f.read()
                perm = int(mode, 8) if mode else stat.S_IMODE(os.stat(host).st_mode)
            except OSError as e:
                sys.exit(f"mkinitramfs: {name}: {e}")
            blob += header(ino, stat.S_IFREG | perm, 1, len(data), 0, 0, name)
            blob += pad(data)
        elif kind == "link":
            data = arg.encode()
            blob += header(ino, stat.S_IFLNK | 0o777, 1, len(data), 0, 0, name)
            blob += pad(data)
        else:
            major, _, minor = arg.partition(",")
            blob += header(ino, stat.S_IFCHR | 0o600, 1, 0, int(major), int(minor), name)
        ino += 1
    blob += header(0, 0, 1, 0, 0, 0, "TRAILER!!!")
    tmp = out + ".tmp"
    with open(tmp, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as f:
            f.write(blob)
    os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
