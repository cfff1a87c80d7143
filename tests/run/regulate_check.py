#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check a regulated partition's figures in a boot log (Ctrl-] s output).

  regulate_check.py LOG NAME --budget N [--slack N] [--min-throttled F]
                    [--hogging] [--health] [--grows]

The last "stats NAME vcpuK memory: ..." line of each vCPU must show the
budget N, a most-events-in-one-period (max) and a last period of at most
N + slack (no bound without --slack), at least one period ended and a
share of throttled periods of at least F (default: any throttled period).
With --hogging (the partition never idles) the last period must also have
used the whole budget: a vCPU held for good counts nothing. With --health
the lines are a monitor partition's view instead ("[linux] health NAME
vcpuK memory: ...", bhtool health reading the counter page), and with
--grows each vCPU's periods must have grown from its first line to its
last (a live page). Prints the figures; exits 1 if a bound is broken or
there is no such line (docs/isolation.md).
"""
import argparse
import re
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("name")
    ap.add_argument("--budget", type=int, required=True)
    ap.add_argument("--slack", type=int)
    ap.add_argument("--min-throttled", type=float, default=0.0)
    ap.add_argument("--hogging", action="store_true")
    ap.add_argument("--health", action="store_true")
    ap.add_argument("--grows", action="store_true")
    a = ap.parse_args()
    source = r"^\[\w+\] health " if a.health else r"^\[bulkhead\] stats "
    line = re.compile(source + re.escape(a.name) +
                      r" vcpu(\d+) memory: budget (\d+) events 0x[0-9a-f]+ "
                      r"per (\d+) us, periods (\d+), throttled (\d+), held "
                      r"(\d+) us, events last (\d+) max (\d+)$")
    first, last = {}, {}
    with open(a.log, errors="replace") as f:
        for raw in f:
            m = line.match(raw.rstrip("\r\n"))
            if m:
                vcpu = int(m.group(1))
                last[vcpu] = [int(x) for x in m.groups()[1:]]
                first.setdefault(vcpu, last[vcpu])
    if not last:
        print(f"no memory figures for partition {a.name}")
        return 1
    ok = True
    for vcpu, (budget, period, periods, thr, held, ev_last, ev_max) in \
            sorted(last.items()):
        share = thr / periods if periods else 0.0
        print(f"{a.name} vcpu{vcpu}: budget {budget} per {period} us, "
              f"periods {periods}, throttled {thr} ({share:.0%}), held "
              f"{held} us, events last {ev_last} max {ev_max} (bound "
              f"{'none' if a.slack is None else a.budget + a.slack})")
        if budget != a.budget:
            print(f"  budget {budget}, expected {a.budget}")
            ok = False
        if a.slack is not None and max(ev_max, ev_last) > a.budget + a.slack:
            print("  OVER BUDGET")
            ok = False
        if a.hogging and ev_last < a.budget:
            print("  NOT RUNNING: the last period did not use its budget")
            ok = False
        if periods == 0 or thr == 0 or share < a.min_throttled:
            print("  NOT THROTTLED enough")
            ok = False
        if a.grows and periods <= first[vcpu][2]:
            print(f"  NOT LIVE: periods {first[vcpu][2]} at first, {periods} at last")
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
