#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Benchmark: Debian's stock kernel booting to its shell marker natively
(QEMU virt, no hypervisor, EL1) and in a Bulkhead partition, in the same
run, with the same kernel, initramfs, disk, 2 vCPUs and 256 MiB.

Both runs use QEMU's -icount shift=0,align=off,sleep=off: virtual time is
exact and identical from run to run. The figure is the generic counter at
the shell marker ("linux: boot done: counter N at F Hz = S s", printed by
bhtool in /init), i.e. virtual time since power-on. Under Bulkhead it
includes the hypervisor's own boot and the copying of the images.
Wall-clock times are printed too, for information only (they follow the
host's load).

usage: linux_boot.py [BOARD...]     (default: qemu-virt qemu-virt-gicv2)
Writes build/bench/linux-boot.json. A benchmark, not a test: it prints
figures and fails only if a boot does not reach its marker.
"""
import json
import os
import re
import subprocess
import sys
import time

from linux_common import OUT, ROOT, commands
# Exact, repeatable virtual time: icount, no random seed in QEMU's device
# tree, the RTC on the virtual clock (docs/performance.md).
ICOUNT = ["-icount", "shift=0,align=off,sleep=off", "-machine", "dtb-randomness=off",
          "-rtc", "base=2026-01-01T00:00:00,clock=vm"]
MARKER = re.compile(r"linux: boot done: counter (\d+) at (\d+) Hz")
TIMEOUT = 300


def boot(cmd, log_path):
    """Run QEMU until the marker; return (virtual seconds, wall seconds)."""
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
                    return int(m.group(1)) / int(m.group(2)), time.monotonic() - start
                if time.monotonic() - start > TIMEOUT:
                    break
        finally:
            proc.kill()
            proc.wait()
    sys.exit(f"bench: no boot marker, see {os.path.relpath(log_path, ROOT)}")


def bench(board, disk):
    native, hyp = commands(board, disk, ICOUNT)
    n_virt, n_wall = boot(native, os.path.join(OUT, f"linux-boot-native-{board}.log"))
    b_virt, b_wall = boot(hyp, os.path.join(OUT, f"linux-boot-bulkhead-{board}.log"))
    return {"board": board, "native_s": n_virt, "bulkhead_s": b_virt,
            "ratio": b_virt / n_virt, "native_wall_s": round(n_wall, 2),
            "bulkhead_wall_s": round(b_wall, 2)}


def main(argv):
    boards = argv or ["qemu-virt", "qemu-virt-gicv2"]
    os.makedirs(OUT, exist_ok=True)
    disk = os.path.join(OUT, "linux-boot-disk.img")
    subprocess.run(["sh", "tools/linux/mkdisk.sh", disk, "benchmark"], cwd=ROOT, check=True)
    rows = [bench(b, disk) for b in boards]
    print("Linux boot to the shell marker (virtual time under icount, exact; "
          "wall time for information)")
    print(f"{'board':<18}{'native':>12}{'Bulkhead':>12}{'ratio':>8}"
          f"{'wall native':>14}{'wall Bulkhead':>15}")
    for r in rows:
        print(f"{r['board']:<18}{r['native_s']:>11.6f}s{r['bulkhead_s']:>11.6f}s"
              f"{r['ratio']:>8.3f}{r['native_wall_s']:>13.2f}s{r['bulkhead_wall_s']:>14.2f}s")
    with open(os.path.join(OUT, "linux-boot.json"), "w") as f:
        json.dump(rows, f, indent=2)
    print(f"written: {os.path.relpath(os.path.join(OUT, 'linux-boot.json'), ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
