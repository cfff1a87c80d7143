#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Benchmark: cyclictest, the latency figure users of partitioning
hypervisors compare, on Debian's stock arm64 kernel and on its PREEMPT_RT
kernel (the same 6.1 release), natively (QEMU virt, no hypervisor) and in a
Bulkhead partition: 2 vCPUs, 256 MiB, one measuring thread per CPU at
priority 90 (payloads/linux/rt.mk, tests/configs/qemu-virt/cyclictest-*.dts).

Exact: QEMU runs under -icount shift=0,align=off,sleep=off (one instruction
is one nanosecond of virtual time, idle time skipped) with no disk, so a
latency is the instructions executed between the timer's expiry and the
thread running, not host noise. Each case runs twice and the two
histograms must be identical, or the benchmark says so and fails. Native
boots on the partition's own device tree (linux_common.native_tree), as in
linux_boot.py.

usage: rt_bench.py [--loops N] [BOARD...]   (default: qemu-virt qemu-virt-gicv2)
Writes build/bench/rt.json, build/bench/rt-latency.svg (the histograms)
and the QEMU logs build/bench/rt-CASE-BOARD-{1,2}.log. A benchmark, not a
test: it prints figures, and fails only if a run does not finish or two
runs of the same case disagree.
"""
import json
import math
import os
import re
import subprocess
import sys
import time

from linux_common import ICOUNT, OUT, ROOT, commands, native_tree

ARGS_FILE = os.path.join(ROOT, "build", "linux-rt", "cyclictest.args")
LOOPS = 50000
KERNELS = {  # name: (system description, kernel payload)
    "stock": ("tests/configs/qemu-virt/cyclictest-stock.dts", "build/payloads/linux-Image"),
    "rt": ("tests/configs/qemu-virt/cyclictest-rt.dts", "build/payloads/linux-rt-Image"),
}
INITRD = "build/payloads/cyclictest-initramfs.cpio.gz"
BEGIN = "rt: histogram begin"
END = re.compile(r"rt: histogram end, exit (\d+)")
PREFIX = re.compile(r"^(?:\[linux\] )?")
TIMEOUT = 1800


def cyclictest_args(loops):
    return f"-m -q -p 90 -i 1000 -l {loops} -h 400 --smp"


def set_args(loops):
    """Write cyclictest's options for the initramfs (only when they change,
    so make rebuilds the initramfs and the images only then)."""
    want = cyclictest_args(loops) + "\n"
    os.makedirs(os.path.dirname(ARGS_FILE), exist_ok=True)
    try:
        with open(ARGS_FILE) as f:
            if f.read() == want:
                return
    except OSError:
        pass
    with open(ARGS_FILE, "w") as f:
        f.write(want)


def run(cmd, log_path):
    """Run QEMU until cyclictest ends; return (its output lines, wall s)."""
    start = time.monotonic()
    lines, inside = [], False
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, errors="replace")
        try:
            for line in proc.stdout:
                log.write(line)
                text = PREFIX.sub("", line.rstrip("\r\n"))
                m = END.search(text)
                if m:
                    if m.group(1) != "0":
                        break
                    return lines, time.monotonic() - start
                if inside:
                    lines.append(text)
                elif BEGIN in text:
                    inside = True
                if time.monotonic() - start > TIMEOUT:
                    break
        finally:
            proc.kill()
            proc.wait()
    sys.exit(f"bench: cyclictest did not finish, see {os.path.relpath(log_path, ROOT)}")


def parse(lines, where):
    """cyclictest -h output: one row per microsecond bucket with a count per
    thread, then '# Max Latencies:' etc. Returns (hist per thread, maxima)."""
    hist, maxima, overflows, minima, avgs = [], None, None, None, None
    for text in lines:
        f = text.split()
        if f and f[0].isdigit() and len(f) >= 2:
            us = int(f[0])
            counts = [int(x) for x in f[1:]]
            if not hist:
                hist = [[] for _ in counts]
            for t, c in enumerate(counts):
                hist[t].append((us, c))
        elif text.startswith("# Max Latencies:"):
            maxima = [int(x) for x in f[3:]]
        elif text.startswith("# Min Latencies:"):
            minima = [int(x) for x in f[3:]]
        elif text.startswith("# Avg Latencies:"):
            avgs = [int(x) for x in f[3:]]
        elif text.startswith("# Histogram Overflows:"):
            overflows = [int(x) for x in f[3:]]
    if not hist or maxima is None:
        sys.exit(f"bench: no cyclictest histogram in {where}")
    return hist, maxima, overflows, minima, avgs


def percentile(buckets, q, over=0):
    """The bucket holding the q-th percentile; samples past the last bucket
    (cyclictest's overflows, over) count as the largest."""
    total = sum(c for _, c in buckets) + over
    seen = 0
    for us, c in buckets:
        seen += c
        if seen * 100 >= total * q:
            return us
    return buckets[-1][0] + 1  # among the overflows: past the last bucket


def summary(hist, maxima, overflows, minima, avgs):
    """p50 and p99 over all threads' samples (microsecond buckets), the
    largest maximum, and cyclictest's own per-thread figures."""
    merged = {}
    for t in hist:
        for us, c in t:
            merged[us] = merged.get(us, 0) + c
    allb = sorted(merged.items())
    return {"samples": sum(c for _, c in allb) + sum(overflows or []),
            "p50_us": percentile(allb, 50, sum(overflows or [])),
            "p99_us": percentile(allb, 99, sum(overflows or [])),
            "max_us": max(maxima), "max_per_cpu_us": maxima,
            "min_per_cpu_us": minima, "avg_per_cpu_us": avgs,
            "overflows": overflows,
            "histogram": [[us, c] for us, c in allb if c]}


def case(board, kernel, where, loops):
    config, image = KERNELS[kernel]
    tree, bootargs, _ = native_tree(board, config)
    native, hyp = commands(board, None, ICOUNT, native_dtb=(tree, bootargs), config=config,
                           kernel=image, initrd=INITRD)
    cmd = native if where == "native" else hyp
    stem = f"rt-{where}-{kernel}-{board}"
    a, wa = run(cmd, os.path.join(OUT, f"{stem}-1.log"))
    b, wb = run(cmd, os.path.join(OUT, f"{stem}-2.log"))
    ha, hb = parse(a, f"{stem}-1.log"), parse(b, f"{stem}-2.log")
    r, rb = summary(*ha), summary(*hb)
    # Samples that fell in another bucket in the second run.
    moved = sum(abs(ca - cb) for ta, tb in zip(ha[0], hb[0])
                for (_, ca), (_, cb) in zip(ta, tb)) // 2
    if moved or ha[1:] != hb[1:]:
        print(f"  {stem}: NOT identical: {moved} of {r['samples']} samples in another "
              f"1 us bucket the second time (logs build/bench/{stem}-1.log, -2.log)",
              flush=True)
    if [r[k] for k in ("p50_us", "p99_us", "max_us")] != \
            [rb[k] for k in ("p50_us", "p99_us", "max_us")]:
        sys.exit(f"bench: {stem}: p50/p99/max differ between the two runs "
                 f"(logs build/bench/{stem}-1.log, -2.log)")
    r.update({"board": board, "kernel": kernel, "where": where, "loops": loops,
              "identical": moved == 0 and ha[1:] == hb[1:], "samples_moved": moved,
              "wall_s": round((wa + wb) / 2, 1)})
    return r


# ---- the picture: an SVG written here, no plotting package ----
COLOURS = {("native", "stock"): "#4477aa", ("bulkhead", "stock"): "#ee6677",
           ("native", "rt"): "#228833", ("bulkhead", "rt"): "#aa3377"}
DASH = {"native": "", "bulkhead": ' stroke-dasharray="5,3"'}
LABEL = {"stock": "stock", "rt": "PREEMPT_RT"}


def svg(rows, path):
    boards = sorted({r["board"] for r in rows}, key=lambda b: (len(b), b))
    pw, ph, ml, mt, mb = 460, 260, 56, 34, 44
    width = max(ml + len(boards) * (pw + 30) + 10, 640)
    height = mt + ph + mb + 50
    xmax = max(max(us for us, _ in r["histogram"]) for r in rows) + 2
    ymax = max(max(c for _, c in r["histogram"]) for r in rows)
    decades = max(1, len(str(ymax)))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="16" text-anchor="middle" font-size="13">cyclictest '
           f'latency under icount (1 instruction = 1 ns), 2 CPUs, '
           f'{rows[0]["loops"]} loops per CPU at 1 ms</text>']

    def y_log(c):
        return mt + ph - ph * math.log10(c + 1) / decades

    for i, board in enumerate(boards):
        x0 = ml + i * (pw + 30)
        out.append(f'<rect x="{x0}" y="{mt}" width="{pw}" height="{ph}" fill="none" '
                   f'stroke="#888"/>')
        out.append(f'<text x="{x0 + pw / 2}" y="{mt - 6}" text-anchor="middle">{board}</text>')
        for d in range(decades + 1):
            y = mt + ph - ph * d / decades
            out.append(f'<line x1="{x0 - 4}" y1="{y:.1f}" x2="{x0 + pw}" y2="{y:.1f}" '
                       f'stroke="#ddd"/><text x="{x0 - 6}" y="{y + 4:.1f}" '
                       f'text-anchor="end">{10 ** d - 1 if d == 0 else 10 ** d}</text>')
        step = 10 if xmax <= 120 else 50
        for us in range(0, xmax + 1, step):
            x = x0 + pw * us / xmax
            out.append(f'<line x1="{x:.1f}" y1="{mt + ph}" x2="{x:.1f}" y2="{mt + ph + 4}" '
                       f'stroke="#888"/><text x="{x:.1f}" y="{mt + ph + 16}" '
                       f'text-anchor="middle">{us}</text>')
        out.append(f'<text x="{x0 + pw / 2}" y="{mt + ph + 32}" text-anchor="middle">'
                   f'latency (µs)</text>')
        for r in rows:
            if r["board"] != board:
                continue
            counts = dict(r["histogram"])
            pts = []
            for us in range(0, xmax):
                y = y_log(counts.get(us, 0))
                pts.append(f"{x0 + pw * us / xmax:.1f},{y:.1f} "
                           f"{x0 + pw * (us + 1) / xmax:.1f},{y:.1f}")
            out.append(f'<polyline fill="none" stroke-width="1.5"{DASH[r["where"]]} '
                       f'stroke="{COLOURS[(r["where"], r["kernel"])]}" points="{" ".join(pts)}"/>')
    out.append(f'<text x="14" y="{mt + ph / 2}" transform="rotate(-90 14 {mt + ph / 2})" '
               f'text-anchor="middle">samples (log)</text>')
    for j, (where, kernel) in enumerate(COLOURS):
        lx, ly = ml + (j // 2) * 220, mt + ph + mb + 10 + (j % 2) * 18
        out.append(f'<line x1="{lx}" y1="{ly}" x2="{lx + 24}" y2="{ly}" stroke-width="3"'
                   f'{DASH[where]} stroke="{COLOURS[(where, kernel)]}"/>'
                   f'<text x="{lx + 30}" y="{ly + 4}">'
                   f'{"Bulkhead" if where == "bulkhead" else "native"}, {LABEL[kernel]}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main(argv):
    loops = LOOPS
    if argv[:1] == ["--loops"]:
        if len(argv) < 2 or not argv[1].isdigit() or int(argv[1]) < 1:
            sys.exit("bench: --loops needs a positive number")
        loops, argv = int(argv[1]), argv[2:]
    boards = argv or ["qemu-virt", "qemu-virt-gicv2"]
    os.makedirs(OUT, exist_ok=True)
    set_args(loops)
    rows = []
    for board in boards:
        for kernel in KERNELS:
            for where in ("native", "bulkhead"):
                r = case(board, kernel, where, loops)
                print(f"  {board} {where} {kernel}: p50 {r['p50_us']} p99 {r['p99_us']} "
                      f"max {r['max_us']} us ({r['wall_s']} s wall per run)", flush=True)
                rows.append(r)
    same = all(r["identical"] for r in rows)
    print(f"cyclictest {cyclictest_args(loops)}: latency in microseconds, virtual time "
          f"under icount, each case run twice, "
          f"{'identical histograms' if same else 'same p50/p99/max (histograms: see above)'}")
    print(f"{'board':<18}{'kernel':<12}{'native p50/p99/max':>22}{'Bulkhead p50/p99/max':>24}")
    for board in boards:
        for kernel in KERNELS:
            n, b = [next(r for r in rows if (r["board"], r["kernel"], r["where"]) ==
                         (board, kernel, w)) for w in ("native", "bulkhead")]
            print(f"{board:<18}{LABEL[kernel]:<12}"
                  f"{'%d / %d / %d' % (n['p50_us'], n['p99_us'], n['max_us']):>22}"
                  f"{'%d / %d / %d' % (b['p50_us'], b['p99_us'], b['max_us']):>24}")
    # Keep the other boards' rows of an earlier run with the same options.
    path = os.path.join(OUT, "rt.json")
    try:
        with open(path) as f:
            rows = [r for r in json.load(f) if r["board"] not in boards and
                    r["loops"] == loops] + rows
    except (OSError, ValueError, KeyError, TypeError):
        pass
    with open(path, "w") as f:
        json.dump(rows, f, indent=1)
    svg(rows, os.path.join(OUT, "rt-latency.svg"))
    print("written: build/bench/rt.json build/bench/rt-latency.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
