#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Where the hypervisor's instructions go while Debian's kernel boots in a
Bulkhead partition (the Linux boot benchmark's configuration,
tools/bench/linux_boot.py): one boot with QEMU's -d exec,nochain,in_asm
filtered to the hypervisor's text, under the same icount, up to the same
shell marker. Each executed translation block's instructions are added up
by the function it lies in, split at core 0's first entry into the guest:
the load (clearing RAM, copying the images, the rest of the boot) and the
run (every exit while Linux boots). The logging does not change virtual
time: the counter at the marker is the benchmark's.

usage: linux_profile.py [BOARD]     (default: qemu-virt)
The log goes to build/bench/linux-boot-profile-BOARD.log (about 150 MB).
"""
import bisect
import collections
import os
import re
import subprocess
import sys

from linux_boot import boot
from linux_common import ICOUNT, OUT, ROOT, commands, make

TRACE = re.compile(r"^Trace (\d+): \S+ \[[0-9a-f]+/([0-9a-f]+)/")
INSN = re.compile(r"^0x([0-9a-f]+):")
# The load's phases, by the function the instructions ran in.
CLEAR = {"arch_zero_and_clean", "clear_span", "clear_pieces", "ram_clear_next",
         "colour_iter_next", "colour_iter_init", "colour_iter_window"}
COPY = {"arch_copy_and_clean", "memcpy", "arch_clean_range", "copy_blob"}


def symbols(elf):
    """(sorted addresses, names) of the ELF's text symbols, and the end of
    its text (__text_end)."""
    out = subprocess.run(["aarch64-linux-gnu-nm", "-n", elf], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    rows = [line.split() for line in out.splitlines() if len(line.split()) == 3]
    syms = [(int(a, 16), n) for a, t, n in rows if t in "tTwW"]
    end = next(int(a, 16) for a, _, n in rows if n == "__text_end")
    return [a for a, _ in syms], [n for _, n in syms], end


def profile(board):
    """One Bulkhead boot with the hypervisor's executed blocks logged; print
    where its instructions went, before the guest's first entry and after."""
    _, hyp = commands(board, None, ICOUNT)
    image = make(board, "print-image")
    elf = os.path.join(ROOT, os.path.splitext(image)[0] + ".elf")
    addrs, names, text_end = symbols(elf)
    log = os.path.join(OUT, f"linux-boot-profile-{board}.log")
    cmd = hyp + ["-d", "exec,nochain,in_asm", "-dfilter",
                 f"0x{addrs[0]:x}..0x{text_end:x}", "-D", log]
    ticks, hz, _ = boot(cmd, os.path.join(OUT, f"linux-boot-profile-{board}.out"))
    blocks = {}  # block start -> instructions (its latest translation)
    start = None
    per = {"load": collections.Counter(), "run": collections.Counter()}
    phase = "load"
    with open(log, errors="replace") as f:
        for line in f:
            if line.startswith("IN:"):
                start = None
                continue
            m = INSN.match(line)
            if m:
                pc = int(m.group(1), 16)
                if start is None:
                    start = pc
                    blocks[start] = 0
                blocks[start] += 1
                continue
            m = TRACE.match(line)
            if m:
                pc = int(m.group(2), 16)
                fn = names[bisect.bisect_right(addrs, pc) - 1]
                if phase == "load" and fn == "arch_vcpu_enter" and m.group(1) == "0":
                    phase = "run"
                per[phase][fn] += blocks.get(pc, 0)
    load, run = per["load"], per["run"]
    n_load, n_run = sum(load.values()), sum(run.values())
    clear = sum(n for fn, n in load.items() if fn in CLEAR)
    copy = sum(n for fn, n in load.items() if fn in COPY)
    print(f"Hypervisor instructions up to the marker ({board}, counter "
          f"{ticks / hz:.6f} s): {n_load + n_run:,}")
    print(f"  load, until core 0 first enters the guest: {n_load:,}")
    print(f"    clearing RAM:            {clear:>12,}")
    print(f"    copying images + clean:  {copy:>12,}")
    print(f"    the rest (boot, tables): {n_load - clear - copy:>12,}")
    print(f"  run, every exit after it:  {n_run:,}")
    for fn, n in run.most_common(15):
        print(f"    {n:>10,}  {fn}")
    print(f"  load by function:")
    for fn, n in load.most_common(8):
        print(f"    {n:>10,}  {fn}")
    print(f"log: {os.path.relpath(log, ROOT)}")
    return 0


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    sys.exit(profile(sys.argv[1] if len(sys.argv) > 1 else "qemu-virt"))
