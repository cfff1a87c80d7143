# SPDX-License-Identifier: MIT
"""gdb commands for debugging Bulkhead in QEMU (make debug; docs/testing.md).

Load with `gdb-multiarch -x tools/debug/bulkhead.py`. Commands:

  bh-connect OUT [PORT]     load OUT/bulkhead.elf's symbols and attach to
                            QEMU's gdb stub (localhost:PORT, default 1234)
  bh-guest PART [ELF]       add partition PART's symbols: ELF, or the .elf
                            next to its image (keel.bin -> keel.elf,
                            testguest.bin -> testguest.elf); a position-
                            independent image (Keel) is relocated to where
                            the partition sees it. For Linux, give the
                            vmlinux of Debian's -dbg package.
  bh-break-el2 LOCATION     breakpoint that stops only at EL2 (hypervisor)
  bh-break-el1 LOCATION [PART]
                            breakpoint that stops only at EL1 (a partition),
                            and with PART only on PART's cores
  bh-el                     print the exception level the CPU is at

Where a partition's image sits comes from OUT/layout.txt, the table bhcfg
writes with --layout-text (make debug writes it).

QEMU's breakpoints are on virtual addresses at any exception level: the
hypervisor runs identity mapped at its physical address, a partition
without its MMU at its guest-physical address, so one address can mean
code in both, and two partitions often use the same guest addresses. The
EL-qualified breakpoints test PSTATE.EL (bits 3:2 of gdb's $cpsr), and
with PART the gdb thread: QEMU gives gdb one thread per core, thread N+1
for core N.
"""
import os
import re

import gdb

STATE = {"out": None}
GUEST_DIRS = ["build/guests", "build/payloads"]


def _partition(out, name):
    """(guest RAM base, image offset, image name, cores) of partition NAME."""
    path = os.path.join(out, "layout.txt")
    try:
        with open(path) as f:
            text = f.read()
    except OSError as e:
        raise gdb.GdbError(f"bh-guest: {e} (make debug or make layout writes it)")
    m = re.search(r"^Partition " + re.escape(name) + r"\n((?:  .*\n?)*)", text, re.M)
    if not m:
        names = re.findall(r"^Partition (\S+)", text, re.M)
        raise gdb.GdbError(f"bh-guest: no partition {name!r} in {path} "
                           f"(partitions: {', '.join(names)})")
    body = m.group(1)
    ram = re.search(r"^  RAM: \S+ \([^)]*\), guest (0x[0-9a-f]+)", body, re.M)
    img = re.search(r"^  image: (\S+), 0x[0-9a-f]+ bytes at \+(0x[0-9a-f]+)", body, re.M)
    cores = re.search(r"^  cores: ([0-9, ]+) \(", body, re.M)
    if not ram or not img or not cores:
        raise gdb.GdbError(f"bh-guest: cannot read partition {name!r} in {path}")
    return (int(ram.group(1), 16), int(img.group(2), 16), img.group(1),
            [int(c) for c in cores.group(1).split(",")])


def _elf_type(path):
    """ELF e_type: 2 for an executable, 3 for a shared object or PIE."""
    with open(path, "rb") as f:
        head = f.read(18)
    if len(head) < 18 or head[:4] != b"\x7fELF":
        raise gdb.GdbError(f"bh-guest: {path} is not an ELF file")
    return int.from_bytes(head[16:18], "little")


class Connect(gdb.Command):
    """bh-connect OUT [PORT]: symbols of OUT/bulkhead.elf, then attach to QEMU."""

    def __init__(self):
        super().__init__("bh-connect", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        if not args:
            raise gdb.GdbError("usage: bh-connect OUT [PORT]")
        out = args[0]
        port = args[1] if len(args) > 1 else "1234"
        STATE["out"] = out
        gdb.execute("set architecture aarch64")
        gdb.execute(f"file {os.path.join(out, 'bulkhead.elf')}")
        gdb.execute(f"target remote localhost:{port}")


class Guest(gdb.Command):
    """bh-guest PART [ELF]: add partition PART's symbols."""

    def __init__(self):
        super().__init__("bh-guest", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        if not args or STATE["out"] is None:
            raise gdb.GdbError("usage: bh-guest PART [ELF] (after bh-connect)")
        base, offset, image, _ = _partition(STATE["out"], args[0])
        if len(args) > 1:
            elf = args[1]
        else:
            stem = os.path.splitext(image)[0] + ".elf"
            elf = next((os.path.join(d, stem) for d in GUEST_DIRS
                        if os.path.isfile(os.path.join(d, stem))), None)
            if elf is None:
                raise gdb.GdbError(
                    f"bh-guest: no {stem} in {', '.join(GUEST_DIRS)}; "
                    f"name the ELF of {image} (for Linux: Debian's vmlinux)")
        if _elf_type(elf) == 3:
            # Linked at 0, relocated at start to where it runs.
            gdb.execute(f"add-symbol-file {elf} -o {base + offset:#x}")
        else:
            gdb.execute(f"add-symbol-file {elf}")


class Break(gdb.Command):
    """A breakpoint that stops only at one exception level."""

    def __init__(self, el):
        self.el = el
        super().__init__(f"bh-break-el{el}", gdb.COMMAND_BREAKPOINTS)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        if not args or len(args) > (2 if self.el == 1 else 1):
            raise gdb.GdbError(f"usage: bh-break-el{self.el} LOCATION"
                               + (" [PART]" if self.el == 1 else ""))
        cond = f"(($cpsr >> 2) & 3) == {self.el}"
        if len(args) == 2:
            if STATE["out"] is None:
                raise gdb.GdbError("bh-break-el1 LOCATION PART: bh-connect first")
            cores = _partition(STATE["out"], args[1])[3]
            cond += " && (" + " || ".join(f"$_thread == {c + 1}" for c in cores) + ")"
        gdb.execute(f"break {args[0]} if {cond}")


class El(gdb.Command):
    """bh-el: the current exception level."""

    def __init__(self):
        super().__init__("bh-el", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        el = (int(gdb.parse_and_eval("$cpsr")) >> 2) & 3
        gdb.write(f"EL{el}\n")


gdb.execute("set pagination off")
gdb.execute("set confirm off")
Connect()
Guest()
Break(2)
Break(1)
El()
