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
Writes build/bench/linux-boot.json. A benchmark, not a test: it prints
figures, and fails only if a boot does not reach its marker or two boots
of the same image disagree.
"""
import json
import os
import re
import sys

from linux_common import ICOUNT, OUT, ROOT, Qemu, commands, native_tree
MARKER = re.compile(r"linux: boot done: counter (\d+) at (\d+) Hz")
TIMEOUT = 600
TARGET = 1.01


def boot(cmd, log_path):
    """Run QEMU until the marker; return (counter ticks, Hz, wall s)."""
    with Qemu(cmd, log_path, TIMEOUT) as q:
        for line in q.lines():
            m = MARKER.search(line)
            if m:
                return int(m.group(1)), int(m.group(2)), q.elapsed()
    sys.exit(f"bench: no boot marker, see {q.where()}")


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


def main(argv):
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
