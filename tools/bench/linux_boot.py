#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Benchmark: Debian's stock kernel booting to its shell marker natively
(QEMU virt, no hypervisor, EL1) and in a Bulkhead partition, in the same
run, with the same kernel, initramfs, 2 vCPUs and 256 MiB.

Exact: both run under QEMU's -icount shift=0,align=off,sleep=off with no
disk. A disk makes the figure depend on the host: while the guest waits
for I/O, sleep=off jumps virtual time by however long the host took.
Without one, nothing in the boot follows host time, and each boot runs
twice: the two figures must be identical, or the benchmark says so and
fails.

Fair: the native kernel boots on the partition's own device tree (the DTB
bhcfg generated for it), less the nodes QEMU's machine does not have (the
virtual SP805 the hypervisor provides), so both probe the same devices.
QEMU's own tree would add 32 virtio-mmio slots, fw-cfg, the PL031 and the
PL061, about 29 ms of probing the partition never does.

The figure is the generic counter at the shell marker ("linux: boot done:
counter N at F Hz", printed by bhtool in /init): virtual time since
power-on. Under Bulkhead it includes the hypervisor's boot, the clearing
of the partition's RAM and the copying of the kernel and initramfs.

usage: linux_boot.py [BOARD...]     (default: qemu-virt qemu-virt-gicv2)
       linux_boot.py --profile [BOARD]   (default: qemu-virt)
Writes build/bench/linux-boot.json. A benchmark, not a test: it prints
figures, and fails only if a boot does not reach its marker or two boots
of the same image disagree.

--profile boots the partition once more with QEMU's -d exec,nochain,in_asm
filtered to the hypervisor's text, and prints where the hypervisor's
instructions went up to the marker: the load (until core 0 first enters
the guest: clearing, copying, the rest) and the run (every exit after it),
by function. The log goes to build/bench/linux-boot-profile-BOARD.log.
"""
import bisect
import collections
import json
import os
import re
import subprocess
import sys
import time

from linux_common import ICOUNT, OUT, ROOT, commands, make, native_tree
MARKER = re.compile(r"linux: boot done: counter (\d+) at (\d+) Hz")
TIMEOUT = 600
TARGET = 1.01


def boot(cmd, log_path):
    """Run QEMU until the marker; return (counter ticks, Hz, wall s)."""
    start = time.monotonic()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, errors="replace")
        try:
            for line in proc.stdout:
                log.write(line)
                m = MARKER.search(line)
                if m:
                    return int(m.group(1)), int(m.group(2)), time.monotonic() - start
                if time.monotonic() - start > TIMEOUT:
                    break
        finally:
            proc.kill()
            proc.wait()
    sys.exit(f"bench: no boot marker, see {os.path.relpath(log_path, ROOT)}")


def twice(cmd, stem):
    """Boot twice; the counter must be the same both times."""
    a = boot(cmd, os.path.join(OUT, f"{stem}-1.log"))
    b = boot(cmd, os.path.join(OUT, f"{stem}-2.log"))
    if a[0] != b[0]:
        sys.exit(f"bench: {stem}: NOT deterministic: counter {a[0]} then {b[0]} "
                 f"(logs build/bench/{stem}-1.log, -2.log)")
    return a[0] / a[1], (a[2] + b[2]) / 2


def bench(board):
    tree, bootargs, removed = native_tree(board)
    native, hyp = commands(board, None, ICOUNT, native_dtb=(tree, bootargs))
    n_virt, n_wall = twice(native, f"linux-boot-native-{board}")
    b_virt, b_wall = twice(hyp, f"linux-boot-bulkhead-{board}")
    return {"board": board, "native_s": n_virt, "bulkhead_s": b_virt,
            "ratio": b_virt / n_virt, "overhead_ms": (b_virt - n_virt) * 1000,
            "native_removed_nodes": removed, "native_wall_s": round(n_wall, 2),
            "bulkhead_wall_s": round(b_wall, 2)}


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


def main(argv):
    if argv[:1] == ["--profile"]:
        os.makedirs(OUT, exist_ok=True)
        return profile(argv[1] if len(argv) > 1 else "qemu-virt")
    boards = argv or ["qemu-virt", "qemu-virt-gicv2"]
    os.makedirs(OUT, exist_ok=True)
    rows = [bench(b) for b in boards]
    print("Linux boot to the shell marker: virtual time under icount, each boot run "
          "twice with identical results; native on the partition's device tree")
    print(f"{'board':<18}{'native':>12}{'Bulkhead':>12}{'added':>11}{'ratio':>8}"
          f"{'target':>8}{'wall native':>14}{'wall Bulkhead':>15}")
    for r in rows:
        print(f"{r['board']:<18}{r['native_s']:>11.6f}s{r['bulkhead_s']:>11.6f}s"
              f"{r['overhead_ms']:>8.2f} ms{r['ratio']:>8.4f}{'<=' + str(TARGET):>8}"
              f"{r['native_wall_s']:>13.2f}s{r['bulkhead_wall_s']:>14.2f}s")
    for r in rows:
        if r["native_removed_nodes"]:
            print(f"  {r['board']}: native tree without "
                  f"{', '.join(r['native_removed_nodes'])} (not on QEMU's machine)")
    with open(os.path.join(OUT, "linux-boot.json"), "w") as f:
        json.dump(rows, f, indent=2)
    print(f"written: {os.path.relpath(os.path.join(OUT, 'linux-boot.json'), ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
