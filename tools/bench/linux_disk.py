#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Benchmark: Linux's disk read throughput through a virtio-blk-pci device,
natively (QEMU virt, no hypervisor, no SMMU) and in a Bulkhead partition
whose device's DMA the SMMU translates with the partition's stage 2, in the
same run, with the same kernel, initramfs, disk image, 2 vCPUs and 256 MiB.

At the shell each boot reads the whole disk with O_DIRECT (no page cache),
ROUNDS times, timing each pass with the generic counter (`bhtool
counter`), alternating nothing else. QEMU runs without icount here: a read
waits on the host's I/O, which icount would turn into jumps of virtual
time, so these are wall-clock figures and vary with the host's load. Both
configurations run in one invocation, one after the other; the ratio is
the figure to compare, the MB/s only show the scale.

usage: linux_disk.py [BOARD...]     (default: qemu-virt)
Writes build/bench/linux-disk.json. A benchmark, not a test: it prints
figures and fails only if a boot does not reach its shell.
"""
import json
import os
import re
import statistics
import subprocess
import sys

from linux_common import OUT, ROOT, Qemu, commands
DISK_MIB = 64
ROUNDS = 5
TIMEOUT = 300
READY = "linux: shell ready"
RESULT = re.compile(r"diskbench: counter (\d+) at (\d+) Hz[^/]*/ counter (\d+) at \d+ Hz")


def run(cmd, log_path):
    """Boot, wait for the shell, read the disk ROUNDS times; MB/s per pass."""
    command = ("for i in " + " ".join(str(i) for i in range(ROUNDS)) + "; do "
               "a=$(bhtool counter); "
               f"dd if=/dev/vda of=/dev/null bs=1M count={DISK_MIB} iflag=direct 2>/dev/null; "
               "echo \"diskbench: $a / $(bhtool counter)\"; done\r")
    rates = []
    with Qemu(cmd, log_path, TIMEOUT) as q:
        for line in q.lines():
            if READY in line:
                q.send(command)
            m = RESULT.search(line)
            if m:
                secs = (int(m.group(3)) - int(m.group(1))) / int(m.group(2))
                rates.append(DISK_MIB * 1.048576 / secs)
                if len(rates) == ROUNDS:
                    return rates
    sys.exit(f"bench: no result, see {q.where()}")


def bench(board, disk):
    native, hyp = commands(board, disk, drive_opts=",cache=unsafe")
    n = run(native, os.path.join(OUT, f"linux-disk-native-{board}.log"))
    b = run(hyp, os.path.join(OUT, f"linux-disk-bulkhead-{board}.log"))
    return {"board": board, "mib": DISK_MIB, "native_mb_s": n, "bulkhead_mb_s": b,
            "ratio": statistics.median(b) / statistics.median(n)}


def main(argv):
    boards = argv or ["qemu-virt"]
    os.makedirs(OUT, exist_ok=True)
    disk = os.path.join(OUT, "linux-disk.img")
    subprocess.run(["sh", "tools/linux/mkdisk.sh", disk, "benchmark"], cwd=ROOT, check=True)
    subprocess.run(["truncate", "-s", f"{DISK_MIB}M", disk], check=True)
    rows = [bench(b, disk) for b in boards]
    print(f"Linux disk read, virtio-blk-pci, {DISK_MIB} MiB with O_DIRECT, "
          f"median of {ROUNDS} passes (wall clock: follows the host's load)")
    print(f"{'board':<18}{'native MB/s':>13}{'Bulkhead MB/s':>15}{'ratio':>8}")
    for r in rows:
        print(f"{r['board']:<18}{statistics.median(r['native_mb_s']):>13.1f}"
              f"{statistics.median(r['bulkhead_mb_s']):>15.1f}{r['ratio']:>8.3f}")
    with open(os.path.join(OUT, "linux-disk.json"), "w") as f:
        json.dump(rows, f, indent=2)
    print(f"written: {os.path.relpath(os.path.join(OUT, 'linux-disk.json'), ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
