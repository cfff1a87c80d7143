#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check Keel's last report line in a boot log against bounds.

  keel_jitter.py LOG [--releases N] [--avg-us X] [--max-us X]

The last "[keel] keel: t=..." line must show at least N releases, and an
average and a maximum release jitter (since boot) of at most X us. Prints
the figures; exits 1 if a bound is broken or there is no report.
"""
import argparse
import re
import sys

LINE = re.compile(r"^\[keel\] keel: t=(\S+)s releases=(\d+) jitter "
                  r"min=([\d.]+)us avg=([\d.]+)us max=([\d.]+)us missed=(\d+)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("--releases", type=int, default=0)
    ap.add_argument("--avg-us", type=float, default=float("inf"))
    ap.add_argument("--max-us", type=float, default=float("inf"))
    a = ap.parse_args()
    last = None
    with open(a.log, errors="replace") as f:
        for line in f:
            m = LINE.match(line.rstrip("\r\n"))
            if m:
                last = m
    if last is None:
        print("no Keel report in the log")
        return 1
    t, rel, lo, avg, hi, missed = last.groups()
    rel, avg, hi = int(rel), float(avg), float(hi)
    print(f"keel at t={t}s: releases {rel} (need >= {a.releases}), jitter "
          f"avg {avg:.3f} us (<= {a.avg_us}), max {hi:.3f} us "
          f"(<= {a.max_us}), missed {missed}")
    bad = []
    if rel < a.releases:
        bad.append("too few releases")
    if avg > a.avg_us:
        bad.append("average jitter over its bound")
    if hi > a.max_us:
        bad.append("worst jitter over its bound")
    for b in bad:
        print("FAIL: " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
