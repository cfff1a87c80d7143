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
thread running, not host noise. Native boots on the partition's own device
tree (linux_common.native_tree), as in linux_boot.py.

Tails need many phases: one exact run is one phase of cyclictest's period
against the kernel's own periodic work, and its maximum follows that phase.
So each boot runs cyclictest PHASES times, phase k after sleeping k *
OFFSET_STEP us, LOOPS wake-ups per thread each, and the figures are over the
pool: p50, p99, p99.9, max, and the spread of the phases' maxima. Phase 1
runs again in a second boot: its histograms must agree (p50, p99 and max,
or the benchmark fails; samples that moved bucket are reported). For the
partition, the hypervisor's exit counters of the whole boot are read from
its console afterwards (Ctrl-] s).

usage: rt_bench.py [--loops N] [--phases N] [BOARD...]
       (default: 5000 loops, 12 phases, qemu-virt qemu-virt-gicv2)
Writes build/bench/rt.json, build/bench/rt-latency.svg (the pooled
histograms) and the QEMU logs build/bench/rt-CASE-BOARD-{1,2}.log. A
benchmark, not a test: it prints figures, and fails only if a run does not
finish or the two runs of phase 1 disagree.
"""
import json
import math
import os
import re
import sys

from linux_common import ICOUNT, OUT, ROOT, Qemu, commands, native_tree

ARGS_FILE = os.path.join(ROOT, "build", "linux-rt", "cyclictest.args")
PHASES = 12          # cyclictest runs per boot, each from another start offset
LOOPS = 5000         # wake-ups per thread and phase
OFFSET_STEP = 83     # phase k first sleeps k * OFFSET_STEP us (0 to 913 us)
KERNELS = {  # name: (system description, kernel payload)
    "stock": ("tests/configs/qemu-virt/cyclictest-stock.dts", "build/payloads/linux-Image"),
    "rt": ("tests/configs/qemu-virt/cyclictest-rt.dts", "build/payloads/linux-rt-Image"),
}
INITRD = "build/payloads/cyclictest-initramfs.cpio.gz"
PHASE = re.compile(r"rt: phase (\d+) of (\d+)")
BEGIN = "rt: histogram begin"
END = re.compile(r"rt: histogram end, exit (\d+)")
STATS = re.compile(r"stats linux (vcpu\d+):((?: \w+ \d+)+)")
PREFIX = re.compile(r"^(?:\[linux\] )?")
TIMEOUT = 1800


def cyclictest_args(loops):
    return f"-m -q -p 90 -i 1000 -l {loops} -h 400 --smp"


def set_args(loops, phases):
    """Write cyclictest's options and the phases' start offsets for the
    initramfs (only when they change, so make rebuilds the initramfs and
    the images only then)."""
    want = "\n".join([cyclictest_args(loops)] +
                      [str(k * OFFSET_STEP) for k in range(phases)]) + "\n"
    os.makedirs(os.path.dirname(ARGS_FILE), exist_ok=True)
    try:
        with open(ARGS_FILE) as f:
            if f.read() == want:
                return
    except OSError:
        pass
    with open(ARGS_FILE, "w") as f:
        f.write(want)


def run(cmd, log_path, phases, stats=False, extra_end=None):
    """Run QEMU until cyclictest has ended @phases times; return (each
    phase's output lines, the hypervisor's exit counters per vCPU if
    @stats, wall s). With @stats, once the guest is off, ask the
    hypervisor's console for its counters (Ctrl-] s): host input, so only
    after the last measurement."""
    out, lines, inside, counters = [], [], False, {}
    with Qemu(cmd, log_path, TIMEOUT) as q:
        for line in q.lines():
            text = PREFIX.sub("", line.rstrip("\r\n"))
            if len(out) == phases:
                if "partition linux: stopped" in text:
                    q.send("\x1ds")
                m = STATS.search(text)
                if m:
                    f = m.group(2).split()
                    counters[m.group(1)] = {k: int(v) for k, v in zip(f[::2], f[1::2])}
                    if len(counters) == 2:
                        return out, counters, q.elapsed()
                continue
            m = END.search(text)
            if m:
                if m.group(1) != "0":
                    break
                out.append(lines)
                lines, inside = [], False
                if len(out) == phases and not stats:
                    return out, None, q.elapsed()
            elif inside:
                lines.append(text)
            elif BEGIN in text:
                inside = True
    sys.exit(f"bench: cyclictest did not finish {phases} phase(s), see {q.where()}")


def parse(lines, where):
    """cyclictest -h output: one row per microsecond bucket with a count per
    thread, then '# Max Latencies:' etc. Returns (hist per thread, maxima,
    overflows, minima, averages)."""
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


def pooled(phases):
    """p50, p99 and p99.9 over every phase's and thread's samples
    (microsecond buckets), the largest maximum, and each phase's maximum."""
    merged, over = {}, 0
    for hist, _, overflows, _, _ in phases:
        over += sum(overflows or [])
        for t in hist:
            for us, c in t:
                merged[us] = merged.get(us, 0) + c
    allb = sorted(merged.items())
    per_phase = [max(p[1]) for p in phases]
    ranked = sorted(per_phase)
    return {"samples": sum(c for _, c in allb) + over, "overflows": over,
            "p50_us": percentile(allb, 50, over), "p99_us": percentile(allb, 99, over),
            "p99_9_us": percentile(allb, 99.9, over), "max_us": max(per_phase),
            "phase_max_us": per_phase,
            "phase_max_median_us": ranked[len(ranked) // 2],
            "max_per_cpu_us": [max(p[1][t] for p in phases) for t in range(len(phases[0][1]))],
            "histogram": [[us, c] for us, c in allb if c]}


def case(board, kernel, where, loops, phases):
    config, image = KERNELS[kernel]
    tree, bootargs, _ = native_tree(board, config)
    native, hyp = commands(board, None, ICOUNT, native_dtb=(tree, bootargs), config=config,
                           kernel=image, initrd=INITRD)
    cmd = native if where == "native" else hyp
    stem = f"rt-{where}-{kernel}-{board}"
    # Every phase once; then the first phase again in a second boot, which
    # must give the same figures (the exactness check).
    a, counters, wa = run(cmd, os.path.join(OUT, f"{stem}-1.log"), phases,
                          stats=where == "bulkhead")
    b, _, wb = run(cmd, os.path.join(OUT, f"{stem}-2.log"), 1)
    pa = [parse(x, f"{stem}-1.log phase {i + 1}") for i, x in enumerate(a)]
    pb = parse(b[0], f"{stem}-2.log")
    moved = sum(abs(ca - cb) for ta, tb in zip(pa[0][0], pb[0])
                for (_, ca), (_, cb) in zip(ta, tb)) // 2
    one, again = pooled(pa[:1]), pooled([pb])
    if moved or pa[0][1:] != pb[1:]:
        print(f"  {stem}: phase 1 NOT identical: {moved} of {one['samples']} samples in "
              f"another 1 us bucket the second time (logs build/bench/{stem}-1.log, -2.log)",
              flush=True)
    if [one[k] for k in ("p50_us", "p99_us", "max_us")] != \
            [again[k] for k in ("p50_us", "p99_us", "max_us")]:
        sys.exit(f"bench: {stem}: phase 1's p50/p99/max differ between two boots "
                 f"(logs build/bench/{stem}-1.log, -2.log)")
    r = pooled(pa)
    r.update({"board": board, "kernel": kernel, "where": where, "loops": loops,
              "phases": phases, "offset_step_us": OFFSET_STEP,
              "identical": moved == 0 and pa[0][1:] == pb[1:], "samples_moved": moved,
              "exits": counters, "wall_s": round(wa, 1), "wall_repeat_s": round(wb, 1)})
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
           f'latency under icount (1 instruction = 1 ns), 2 CPUs, 1 ms period, '
           f'{rows[0]["phases"]} phases x {rows[0]["loops"]} wake-ups per CPU, pooled</text>']

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


def number(argv, flag, default):
    """Take '@flag N' (a positive number) from the front of argv."""
    if argv[:1] != [flag]:
        return default, argv
    if len(argv) < 2 or not argv[1].isdigit() or int(argv[1]) < 1:
        sys.exit(f"bench: {flag} needs a positive number")
    return int(argv[1]), argv[2:]


def fig(r):
    return f"{r['p50_us']} / {r['p99_us']} / {r['p99_9_us']} / {r['max_us']}"


def exits_per_wakeup(r, kinds=("irq",)):
    """The hypervisor's interrupt exits of the whole boot per wake-up (on
    GICv2 the EOI maintenance interrupts among them): the exits on the
    wake-up path. The others are the boot's and printing's (uart)."""
    total = sum(v.get(k, 0) for v in r["exits"].values() for k in kinds)
    return total / (r["phases"] * r["loops"] * len(r["exits"]))


def main(argv):
    loops, phases = LOOPS, PHASES
    while argv[:1] in (["--loops"], ["--phases"]):
        if argv[0] == "--loops":
            loops, argv = number(argv, "--loops", loops)
        else:
            phases, argv = number(argv, "--phases", phases)
    boards = argv or ["qemu-virt", "qemu-virt-gicv2"]
    os.makedirs(OUT, exist_ok=True)
    set_args(loops, phases)
    try:
        return run(boards, loops, phases)
    finally:
        # The benchmark's options must not outlive it: cyclictest.test
        # builds the same initramfs, and make writes the short default
        # options again once the file is gone.
        os.remove(ARGS_FILE)


def run(boards, loops, phases):
    rows = []
    for board in boards:
        for kernel in KERNELS:
            for where in ("native", "bulkhead"):
                r = case(board, kernel, where, loops, phases)
                print(f"  {board} {where} {kernel}: p50/p99/p99.9/max {fig(r)} us, "
                      f"max per phase {r['phase_max_us']} ({r['wall_s']} s wall, "
                      f"{r['wall_repeat_s']} s the repeat)", flush=True)
                rows.append(r)
    same = all(r["identical"] for r in rows)
    print(f"cyclictest {cyclictest_args(loops)} in {phases} phases per boot (start offsets "
          f"0 to {(phases - 1) * OFFSET_STEP} us): latency in microseconds, virtual time "
          f"under icount, pooled over {phases} x {loops} wake-ups per CPU; phase 1 run "
          f"twice, {'identical histograms' if same else 'same p50/p99/max (see above)'}")
    print(f"{'board':<17}{'kernel':<11}{'native p50/p99/p99.9/max':>26}"
          f"{'Bulkhead p50/p99/p99.9/max':>28}{'phase max native':>19}"
          f"{'phase max Bulkhead':>21}{'IRQ exits/wake-up':>19}")
    for board in boards:
        for kernel in KERNELS:
            n, b = [next(r for r in rows if (r["board"], r["kernel"], r["where"]) ==
                         (board, kernel, w)) for w in ("native", "bulkhead")]
            print(f"{board:<17}{LABEL[kernel]:<11}{fig(n):>26}{fig(b):>28}"
                  f"{'%d-%d (med %d)' % (min(n['phase_max_us']), max(n['phase_max_us']), n['phase_max_median_us']):>19}"
                  f"{'%d-%d (med %d)' % (min(b['phase_max_us']), max(b['phase_max_us']), b['phase_max_median_us']):>21}"
                  f"{exits_per_wakeup(b):>19.2f}")
    # Keep the other boards' rows of an earlier run with the same options.
    path = os.path.join(OUT, "rt.json")
    try:
        with open(path) as f:
            rows = [r for r in json.load(f) if r["board"] not in boards and
                    r["loops"] == loops and r.get("phases") == phases] + rows
    except (OSError, ValueError, KeyError, TypeError):
        pass
    with open(path, "w") as f:
        json.dump(rows, f, indent=1)
    svg(rows, os.path.join(OUT, "rt-latency.svg"))
    print("written: build/bench/rt.json build/bench/rt-latency.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
