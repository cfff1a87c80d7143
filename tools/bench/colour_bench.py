#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Benchmark: what cache colouring costs (docs/isolation.md), with the
benchmark guest of irq_bench.py (tests/guests/bench.c) under the same
icount set-up (one counter tick per instruction, exact figures).

Per board: the full benchmark with both partitions plain
(tests/configs/qemu-virt/bench-idle.dts) and coloured apart
(bench-colour-idle.dts: colours 0-7 and 8-15, 4 KiB stage-2 pages); then
boots to the guest's first instruction only, plain against coloured, with
4 MiB (bench-ram.dts, bench-colour-ram.dts) and 64 MiB partitions
(bench-big.dts, bench-colour-big.dts), and the hypervisor's table pages in
use after each boot (its "EL2 MMU on" line).

usage: colour_bench.py [BOARD...]     (default: qemu-virt)
Writes build/bench/colour.json and the guest logs in build/bench/. A
benchmark, not a test: it fails only if a boot does not produce its figures.
"""
import json
import os
import re
import sys

import irq_bench as ib

PAIRS = [("2 MiB", "tests/configs/qemu-virt/bench-idle.dts",
          "tests/configs/qemu-virt/bench-colour-idle.dts"),
         ("4 MiB", "tests/configs/qemu-virt/bench-ram.dts",
          "tests/configs/qemu-virt/bench-colour-ram.dts"),
         ("64 MiB", "tests/configs/qemu-virt/bench-big.dts",
          "tests/configs/qemu-virt/bench-colour-big.dts")]
FIGURES = ["timer", "sgi", "hvc", "mmio-gicd", "mmio-uart", "entry"]
POOL = re.compile(r"EL2 MMU on \(W\^X\), (\d+) of (\d+) table pages used")


def pool_pages(log_name):
    with open(os.path.join(ib.OUT, log_name)) as f:
        for line in f:
            m = POOL.search(line)
            if m:
                return int(m.group(1))
    sys.exit(f"bench: no table-page figure in build/bench/{log_name}")


def full(board, config, log_name):
    ib.make(board, config, "all")
    cmd = (["qemu-system-aarch64"] + ib.make(board, config, "print-qemu").split() +
           ib.ICOUNT + ["-kernel", ib.make(board, config, "print-image")])
    log = os.path.join(ib.OUT, log_name)
    figs, _ = ib.parse(ib.boot(cmd, log), log)
    return figs


def bench(board):
    ib.make(board, None, "build/guests/bench.bin")
    res = {"board": board, "figures": {}, "entry": []}
    for mode, config in (("plain", PAIRS[0][1]), ("coloured", PAIRS[0][2])):
        res["figures"][mode] = full(board, config, f"colour-{mode}-{board}.log")
    for size, plain, coloured in PAIRS:
        row = {"size": size}
        for mode, config in (("plain", plain), ("coloured", coloured)):
            log = f"colour-entry-{mode}-{size.replace(' ', '')}-{board}.log"
            row[mode] = ib.entry_only(board, config, log)
            row[mode + "_pages"] = pool_pages(log)
        res["entry"].append(row)
    return res


def main(argv):
    boards = argv or ["qemu-virt"]
    os.makedirs(ib.OUT, exist_ok=True)
    results = [bench(b) for b in boards]
    print("Cache colouring, plain against coloured, in instructions (icount, "
          "counter at 1 GHz; mean, (min-max) where they differ)")
    for res in results:
        print(f"\n{res['board']}: two partitions, 2 MiB each")
        print(f"  {'figure':<14}{'plain':>22}{'coloured':>22}")
        for key in FIGURES:
            p, c = res["figures"]["plain"].get(key), res["figures"]["coloured"].get(key)
            if p and c:
                print(f"  {key:<14}{ib.fmt(p):>22}{ib.fmt(c):>22}")
        print(f"\n{res['board']}: to the first guest instruction (and table "
              f"pages in use), two partitions of")
        for r in res["entry"]:
            print(f"  {r['size']:<8} plain {r['plain']:>12,} ({r['plain_pages']:>3} pages)"
                  f"   coloured {r['coloured']:>12,} ({r['coloured_pages']:>3} pages)"
                  f"   +{r['coloured'] - r['plain']:,}")
        e = res["entry"]
        for mode in ("plain", "coloured"):
            per = (e[2][mode] - e[1][mode]) / (2 * 60)
            print(f"  {mode}: {per:,.0f} instructions per MiB of partition RAM "
                  f"(64 MiB against 4 MiB partitions)")
    path = os.path.join(ib.OUT, "colour.json")
    with open(path, "w") as f:
        json.dump(results, f, indent=2)
    print(f"\nwritten: {os.path.relpath(path, ib.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
