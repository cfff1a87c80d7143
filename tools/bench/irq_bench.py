#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Benchmark: interrupt latency and trap overheads, natively and in a
Bulkhead partition, in the same run, with the same guest binary
(tests/guests/bench.c).

QEMU runs with -icount shift=0,align=off,sleep=off and the Cortex-A53's
cntfrq at 1 GHz, so the generic counter advances one tick per instruction:
every figure is a path length in instructions and is the same in every run.
Per board three boots: the guest natively (QEMU virt at EL1, no
hypervisor), in a partition beside an idle neighbour
(tests/configs/qemu-virt/bench-idle.dts) and beside a busy one
(bench-busy.dts); and two boots that stop at the guest's first
instruction: the partition alone with 1 MiB of RAM (bench-alone.dts), and
bench-idle.dts with 4 MiB instead of 2 MiB partitions (bench-ram.dts), which
gives the cost of clearing partition RAM per MiB.

usage: irq_bench.py [BOARD...]     (default: qemu-virt qemu-virt-gicv2)
Writes build/bench/irq-latency.json, the guest logs and, with gnuplot,
build/bench/irq-latency-BOARD.png (histogram of the timer latencies). A
benchmark, not a test: it fails only if a boot does not produce its figures.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "build", "bench")
CONFIGS = {"idle": "tests/configs/qemu-virt/bench-idle.dts",
           "busy": "tests/configs/qemu-virt/bench-busy.dts"}
# Booted only to the first guest instruction: the benchmark partition alone,
# with ALONE_MIB MiB of RAM (4 KiB pages).
ALONE = "tests/configs/qemu-virt/bench-alone.dts"
ALONE_MIB = 1
# bench-idle.dts with RAM_MIB_BIG instead of RAM_MIB MiB in each of its
# RAM_PARTITIONS partitions.
RAM_CONFIG = "tests/configs/qemu-virt/bench-ram.dts"
RAM_MIB, RAM_MIB_BIG, RAM_PARTITIONS = 2, 4, 2
# One instruction per nanosecond, and a counter at 1 GHz: one tick per
# instruction (docs/performance.md).
ICOUNT = ["-icount", "shift=0,align=off,sleep=off",
          "-global", "cortex-a53-arm-cpu.cntfrq=1000000000"]
TIMEOUT = 120
LINE = re.compile(r"bench: (\S+): n (\d+) min (\d+) mean ([\d.]+) max (\d+)"
                  r"(?: p50 (\d+) p99 (\d+) rest ([\d.]+) first (\d+))?")
HIST = re.compile(r"bench: hist: (\S+) (\d+) (\d+)")
# (key in the guest output, label, unit of the difference)
FIGURES = [("timer", "timer IRQ latency, idle neighbour"),
           ("timer-busy", "timer IRQ latency, busy neighbour"),
           ("eoi", "timer handler's EOI (with its exit)"),
           ("timer-full", "timer IRQ, latency + EOI"),
           ("sgi", "SGI latency, vCPU 0 to vCPU 1"),
           ("hvc", "hypercall round trip (PSCI_VERSION)"),
           ("mmio-gicd", "emulated read: GICD_TYPER"),
           ("mmio-uart", "emulated read: UARTFR (PL011)"),
           ("entry", "first guest instruction (counter)"),
           ("entry-alone", "first guest instruction, partition alone")]


def make(board, config, *targets):
    args = ["make", "--no-print-directory", "-s", f"BOARD={board}"]
    if config:
        args.append(f"CONFIG={config}")
    r = subprocess.run(args + list(targets), cwd=ROOT, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.exit(f"bench: make {' '.join(targets)} failed:\n{r.stdout[-2000:]}")
    return r.stdout.strip()


def boot(cmd, log_path, until="bench: done"):
    """Run QEMU until the guest prints @until; return its output lines."""
    start = time.monotonic()
    lines = []
    with open(log_path, "w") as log:
        proc = subprocess.Popen(["nice", "-n", "10"] + cmd, cwd=ROOT,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, errors="replace")
        try:
            for line in proc.stdout:
                log.write(line)
                lines.append(line)
                if until in line:
                    break
                if time.monotonic() - start > TIMEOUT:
                    break
        finally:
            proc.kill()
            proc.wait()
    if not any(until in l for l in lines):
        sys.exit(f"bench: no results, see {os.path.relpath(log_path, ROOT)}")
    return lines


def entry_only(board, config, log_name):
    """Boot @config to the guest's first instruction; return the counter."""
    make(board, config, "all")
    cmd = (["qemu-system-aarch64"] + make(board, config, "print-qemu").split() +
           ICOUNT + ["-kernel", make(board, config, "print-image")])
    log_path = os.path.join(OUT, log_name)
    for l in boot(cmd, log_path, until="bench: entry:"):
        m = re.search(r"bench: entry: (\d+)", l)
        if m:
            return int(m.group(1))
    sys.exit(f"bench: no entry figure, see {os.path.relpath(log_path, ROOT)}")


def parse(lines, log_path):
    figs, hist = {}, []
    for l in lines:
        m = LINE.search(l)
        if m:
            f = {"n": int(m.group(2)), "min": int(m.group(3)),
                 "mean": float(m.group(4)), "max": int(m.group(5))}
            if m.group(6):
                f.update({"p50": int(m.group(6)), "p99": int(m.group(7)),
                          "rest": float(m.group(8)), "first": int(m.group(9))})
            figs[m.group(1)] = f
        m = HIST.search(l)
        if m and m.group(1) == "timer":
            hist.append((int(m.group(2)), int(m.group(3))))
        m = re.search(r"bench: entry: (\d+)", l)
        if m:
            v = int(m.group(1))
            figs["entry"] = {"n": 1, "min": v, "mean": float(v), "max": v}
        m = re.search(r"bench: counter: cntfrq (\d+), 100 nops (\d+) ticks", l)
        if m and (m.group(1) != "1000000000" or m.group(2) != "100"):
            sys.exit(f"bench: the counter is not one tick per instruction "
                     f"({m.group(0)}), see {os.path.relpath(log_path, ROOT)}")
    if "timer" not in figs:
        sys.exit(f"bench: no timer figure, see {os.path.relpath(log_path, ROOT)}")
    if "eoi" in figs:
        figs["timer-full"] = full_cost(figs["timer"], figs["eoi"])
    return figs, hist


def full_cost(timer, eoi):
    """Latency plus the EOI bracket, per interrupt: the whole cost of one
    timer interrupt to the guest, including on QEMU's GICv2 the EOI
    maintenance exit that follows the guest's EOI (the sum of the means;
    the percentiles are not additive and are left out)."""
    return {"n": timer["n"], "min": timer["min"] + eoi["min"],
            "mean": round(timer["mean"] + eoi["mean"], 1),
            "max": timer["max"] + eoi["max"],
            "rest": round(timer.get("rest", timer["mean"]) +
                          eoi.get("rest", eoi["mean"]), 1)}


def histogram(board, hists):
    """Draw the timer latency histograms of one board with gnuplot."""
    if shutil.which("gnuplot") is None:
        print("bench: gnuplot not found (tools/setup.sh installs gnuplot-nox): "
              "no histogram")
        return None
    data = os.path.join(OUT, f"irq-latency-{board}.dat")
    png = os.path.join(OUT, f"irq-latency-{board}.png")
    with open(data, "w") as f:
        for name, h in hists.items():
            f.write(f"# {name}\n")
            for lat, count in h:
                f.write(f"{lat} {count}\n")
            f.write("\n\n")
    plots = ", ".join(f"'{data}' index {i} with impulses lw 6 title '{name}'"
                      for i, name in enumerate(hists))
    script = (f"set terminal pngcairo size 900,500\nset output '{png}'\n"
              f"set title 'Timer interrupt latency, {board} "
              f"(instructions from the deadline to the handler)'\n"
              "set xlabel 'latency (instructions)'\nset ylabel 'interrupts'\n"
              "set logscale x\nset grid\nset key top center\n"
              f"set yrange [0:*]\nplot {plots}\n")
    r = subprocess.run(["gnuplot"], input=script, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        print(f"bench: gnuplot failed: {r.stdout.strip()}")
        return None
    return os.path.relpath(png, ROOT)


def bench(board):
    make(board, None, "build/guests/native/bench.bin")
    native_cmd = (["qemu-system-aarch64"] + make(board, None, "print-native-qemu").split() +
                  ICOUNT + ["-kernel", "build/guests/native/bench.bin",
                            "-append", "timers=1000"])
    log = os.path.join(OUT, f"irq-native-{board}.log")
    native, n_hist = parse(boot(native_cmd, log), log)
    part, hists = {}, {"native": n_hist}
    for mode, config in CONFIGS.items():
        make(board, config, "all")
        cmd = (["qemu-system-aarch64"] + make(board, config, "print-qemu").split() +
               ICOUNT + ["-kernel", make(board, config, "print-image")])
        log = os.path.join(OUT, f"irq-bulkhead-{mode}-{board}.log")
        figs, hist = parse(boot(cmd, log), log)
        hists[f"Bulkhead, {mode} neighbour"] = hist
        if mode == "idle":
            part.update(figs)
        else:
            part["timer-busy"] = figs["timer"]
    alone = entry_only(board, ALONE, f"irq-bulkhead-alone-{board}.log")
    part["entry-alone"] = {"n": 1, "min": alone, "mean": float(alone), "max": alone}
    big = entry_only(board, RAM_CONFIG, f"irq-bulkhead-ram-{board}.log")
    ram = {"mib": RAM_MIB, "entry": part["entry"]["min"],
           "alone_mib": ALONE_MIB, "alone_entry": alone,
           "big_mib": RAM_MIB_BIG, "big_entry": big,
           "per_mib": (big - part["entry"]["min"]) /
                      ((RAM_MIB_BIG - RAM_MIB) * RAM_PARTITIONS)}
    native["timer-busy"] = native["timer"]  # natively there is no neighbour
    native["entry-alone"] = native["entry"]
    rows = []
    for key, label in FIGURES:
        if key in native and key in part:
            row = {"figure": key, "label": label, "native": native[key],
                   "bulkhead": part[key],
                   "added_mean": round(part[key]["mean"] - native[key]["mean"], 1)}
            if "rest" in part[key] and "rest" in native[key]:
                row["added_rest"] = round(part[key]["rest"] - native[key]["rest"], 1)
            rows.append(row)
    return {"board": board, "rows": rows, "ram_clearing": ram,
            "histogram": histogram(board, hists),
            "timer_histogram": {k: v for k, v in hists.items()}}


def num(x):
    return f"{x:.1f}".rstrip("0").rstrip(".")


def fmt(f):
    if f["min"] == f["max"]:
        return num(f["mean"])
    return f"{num(f['mean'])} ({f['min']}-{f['max']})"


def dist(f):
    """p50 / p99 / max, and the mean without the first sample."""
    if "p50" not in f:
        return ""
    return f"{f['p50']} / {f['p99']} / {f['max']}, {num(f['rest'])}"


def main(argv):
    boards = argv or ["qemu-virt", "qemu-virt-gicv2"]
    os.makedirs(OUT, exist_ok=True)
    results = [bench(b) for b in boards]
    print("Interrupt latency and trap overheads, in instructions (icount, "
          "counter at 1 GHz; mean, (min-max) where they differ;\n"
          "Bulkhead's p50 / p99 / max and its mean without the first sample, "
          "the difference of the means with and without it)")
    for res in results:
        print(f"\n{res['board']}")
        print(f"  {'figure':<40}{'native':>12}{'Bulkhead':>22}{'p50 / p99 / max, rest':>28}"
              f"{'difference':>12}{'w/o first':>11}")
        for r in res["rows"]:
            rest = num(r["added_rest"]) if "added_rest" in r else ""
            print(f"  {r['label']:<40}{fmt(r['native']):>12}{fmt(r['bulkhead']):>22}"
                  f"{dist(r['bulkhead']):>28}{num(r['added_mean']):>12}{rest:>11}")
        full = next((r for r in res["rows"] if r["figure"] == "timer-full"), None)
        if full:
            print(f"  added per timer interrupt, latency and EOI together: "
                  f"{num(full['added_mean'])} (without the first: "
                  f"{num(full.get('added_rest', full['added_mean']))}); target <= 80")
        ram = res["ram_clearing"]
        print(f"  the first-instruction figure beside the neighbour is for {ram['mib']} MiB partitions; "
              f"clearing and cleaning partition RAM costs {ram['per_mib']:,.0f} "
              f"instructions per MiB\n  (with {ram['big_mib']} MiB partitions: "
              f"{ram['big_entry']:,} instead of {ram['entry']:,}); each partition "
              f"loaded before the guest adds that per MiB of its RAM")
        print(f"  the partition alone has {ram['alone_mib']} MiB: of its "
              f"{ram['alone_entry']:,}, about "
              f"{ram['per_mib'] * ram['alone_mib']:,.0f} clear and clean its RAM "
              f"and {ram['alone_entry'] - ram['per_mib'] * ram['alone_mib']:,.0f} "
              f"are the hypervisor's boot and load")
        if res["histogram"]:
            print(f"  histogram: {res['histogram']}")
    path = os.path.join(OUT, "irq-latency.json")
    with open(path, "w") as f:
        json.dump(results, f, indent=2)
    print(f"\nwritten: {os.path.relpath(path, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
