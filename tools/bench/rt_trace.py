#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Where a cyclictest phase's tail could come from (docs/performance.md,
"cyclictest"): the hypervisor, or Linux's own work.

Reruns one case of rt_bench.py, the same boot, up to phase PHASE, with QEMU
logging every exception taken on every CPU (-d int: a host-side log, the
guest runs the same instructions). It checks that the phases' maxima are
the benchmark's (build/bench/rt.json): then the log is of the benchmark's
run. A sample cannot be singled out: any change to the guest to stop
cyclictest at it (-b in the initramfs, or on the command line, which Linux
mixes into its entropy pool) moves the whole run. So the phase is taken
whole: between the histograms printed before and by phase PHASE (runs of
exits for the emulated UART), per CPU, the cyclictest thread's wake-ups,
each the exceptions between its clock_nanosleep SVC and its next exception
from EL0. The hypervisor runs on those cores only after an exception into
EL2, so the most EL2 exits of any wake-up, times their path lengths, bounds
its share of every sample of the phase, the largest included. Printed per
CPU: EL2 exits per wake-up, the exceptions' kinds, and the most the other
CPU took meanwhile (under icount QEMU runs one vCPU at a time, so the other
CPU's instructions in a window count in its latency).

usage: rt_trace.py BOARD KERNEL WHERE PHASE     e.g. qemu-virt stock bulkhead 4
Writes build/bench/rt-trace-WHERE-KERNEL-BOARD.{log,int.log,json}. A
diagnostic, not a benchmark.
"""
import collections
import json
import os
import re
import sys

import rt_bench
from linux_common import ICOUNT, OUT, commands, native_tree

TAKE = re.compile(r"^Taking exception (\d+) \[([^\]]*)\] on CPU (\d+)")
FROM = re.compile(r"from EL(\d) to EL(\d)")
ELR = re.compile(r"ELR 0x([0-9a-f]+)")
ESR = re.compile(r"ESR 0x([0-9a-f]+)/0x[0-9a-f]+")  # the class, then the syndrome


def records(path):
    """The exceptions of a -d int log: dicts with name, cpu, from, to, elr, esr."""
    out, cur = [], None
    with open(path, errors="replace") as f:
        for line in f:
            m = TAKE.match(line)
            if m:
                cur = {"name": m.group(2), "cpu": int(m.group(3)), "from": None,
                       "to": None, "elr": None, "esr": None}
                out.append(cur)
                continue
            if cur is None or not line.startswith("..."):
                continue
            for rx, key in ((FROM, None), (ELR, "elr"), (ESR, "esr")):
                m = rx.search(line)
                if m and key is None:
                    cur["from"], cur["to"] = int(m.group(1)), int(m.group(2))
                elif m and cur[key] is None:
                    cur[key] = int(m.group(1), 16)
    if not out:
        sys.exit(f"rt_trace: no exceptions in {path} (QEMU's -d int log)")
    return out


def sym(addr):
    """An address as the log gives it (Debian's System.map is a stub)."""
    return "?" if addr is None else hex(addr)


def kind(r):
    """An exception's short name: where from, where to, what."""
    what = r["name"]
    if r["esr"] is not None and what not in ("IRQ", "FIQ", "Virtual IRQ"):
        what += f" EC 0x{r['esr']:02x}"
    return f"{what} EL{r['from']}->EL{r['to']}"


def uart_bursts(recs, least=1000):
    """Where the guest printed a histogram: runs of at least @least data
    aborts into EL2 (its UART is emulated) with few other exceptions
    between. Returns [(first index, last index)]."""
    out, start, last, n = [], None, None, 0
    for i, r in enumerate(recs):
        if r["name"] != "Data Abort" or r["to"] != 2:
            continue
        if last is not None and i - last <= 40:
            last, n = i, n + 1
            continue
        if n >= least:
            out.append((start, last))
        start, last, n = i, i, 1
    if n >= least:
        out.append((start, last))
    return out


def wakeups(recs, cpu):
    """The cyclictest thread's loops on @cpu: (SVC index, next EL0 index)
    for each clock_nanosleep SVC (the commonest SVC address from EL0)."""
    svc = collections.Counter(r["elr"] for r in recs if r["cpu"] == cpu and
                              r["from"] == 0 and r["name"] == "SVC")
    if not svc:
        return []
    sleep_at = svc.most_common(1)[0][0]
    el0 = [i for i, r in enumerate(recs) if r["cpu"] == cpu and r["from"] == 0]
    return [(a, b) for a, b in zip(el0, el0[1:])
            if recs[a]["name"] == "SVC" and recs[a]["elr"] == sleep_at]


def describe(recs, window, cpu):
    """Counts of the exceptions in a window, on @cpu and on the others."""
    a, b = window
    mine, other = collections.Counter(), collections.Counter()
    where = []
    for r in recs[a + 1:b]:
        if r["cpu"] == cpu:
            mine[kind(r)] += 1
            where.append(f"{kind(r)} at {sym(r['elr'])}")
        else:
            other[kind(r)] += 1
    return {"this_cpu": dict(mine), "other_cpus": dict(other), "this_cpu_sequence": where}


def main(argv):
    if len(argv) != 4 or argv[1] not in rt_bench.KERNELS or \
            argv[2] not in ("native", "bulkhead") or not argv[3].isdigit() or int(argv[3]) < 1:
        sys.exit("usage: rt_trace.py BOARD stock|rt native|bulkhead PHASE")
    board, kernel, where, phase = argv[0], argv[1], argv[2], int(argv[3])
    try:
        with open(os.path.join(OUT, "rt.json")) as f:
            bench = next(r for r in json.load(f) if (r["board"], r["kernel"], r["where"]) ==
                         (board, kernel, where))
    except (OSError, ValueError, StopIteration):
        sys.exit("rt_trace: no such case in build/bench/rt.json: run rt_bench.py first")
    if phase > bench["phases"]:
        sys.exit(f"rt_trace: the benchmark has {bench['phases']} phases")
    rt_bench.set_args(bench["loops"], bench["phases"])
    config, image = rt_bench.KERNELS[kernel]
    tree, bootargs, _ = native_tree(board, config)
    native, hyp = commands(board, None, ICOUNT, native_dtb=(tree, bootargs), config=config,
                           kernel=image, initrd=rt_bench.INITRD)
    stem = f"rt-trace-{where}-{kernel}-{board}"
    int_log = os.path.join(OUT, f"{stem}.int.log")
    cmd = (native if where == "native" else hyp) + ["-d", "int", "-D", int_log]
    out, _, wall = rt_bench.run(cmd, os.path.join(OUT, f"{stem}.log"), phase)
    maxima = [rt_bench.parse(x, f"{stem}.log phase {i + 1}")[1] for i, x in enumerate(out)]
    same = [max(m) for m in maxima] == bench["phase_max_us"][:phase]
    recs = records(int_log)
    if where == "bulkhead":
        # The phase's wake-ups: between the histograms printed by phases
        # PHASE-1 and PHASE.
        bursts = uart_bursts(recs)
        if len(bursts) < phase:
            sys.exit(f"rt_trace: {len(bursts)} histograms in {int_log}, not {phase}")
        recs = recs[bursts[phase - 2][1] + 1 if phase > 1 else 0:bursts[phase - 1][0]]
    result = {"board": board, "kernel": kernel, "where": where, "phase": phase,
              "phase_maxima_per_cpu_us": maxima, "same_run_as_benchmark": same,
              "wall_s": round(wall, 1), "cpus": {}}
    for cpu in sorted({r["cpu"] for r in recs}):
        w = wakeups(recs, cpu)
        if not w:
            continue
        desc = [describe(recs, x, cpu) for x in w]
        el2 = [sum(n for k, n in d["this_cpu"].items() if k.endswith("EL2")) for d in desc]
        other = [sum(d["other_cpus"].values()) for d in desc]
        usual = collections.Counter(tuple(sorted(d["this_cpu"].items())) for d in desc)
        worst = max(range(len(w)), key=lambda i: (el2[i], other[i]))
        result["cpus"][cpu] = {
            "wakeups": len(w), "max_el2_exits": max(el2),
            "el2_exits_histogram": sorted(collections.Counter(el2).items()),
            "max_other_cpu_exceptions": max(other),
            "compositions": [[dict(k), n] for k, n in usual.most_common()],
            "most_el2_exits": desc[worst]}
    with open(os.path.join(OUT, f"{stem}.json"), "w") as f:
        json.dump(result, f, indent=1)
    print(f"{board} {where} {kernel}, phases 1-{phase} under -d int: per-CPU maxima "
          f"{maxima}: {'the benchmark run' if same else 'NOT the benchmark run (' + str(bench['phase_max_us'][:phase]) + ')'}")
    for cpu, c in result["cpus"].items():
        print(f"CPU {cpu}: {c['wakeups']} wake-ups in phase {phase}; exits to EL2 per "
              f"wake-up (count x wake-ups): {c['el2_exits_histogram']}; the other CPU's "
              f"exceptions meanwhile, at most {c['max_other_cpu_exceptions']}")
        for k, n in c["compositions"]:
            print(f"    {n:6d} x {k}")
        print(f"  the wake-up with the most: {c['most_el2_exits']['this_cpu_sequence']}")
    print(f"written: build/bench/{stem}.json, .log, .int.log")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
