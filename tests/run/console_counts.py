#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Count what a partition got onto the console in a boot log.

  console_counts.py LOG [--max-bytes NAME=N] [--max-lifecycle NAME=N]

--max-bytes: the lines tagged [NAME] hold at most N bytes in all.
--max-lifecycle: at most N "[bulkhead] partition NAME: started/stopped/
restarting/restarted" lines. Prints the counts; exits 1 over a bound.
"""
import argparse
import re
import sys


def pairs(items):
    out = []
    for item in items:
        name, _, n = item.partition("=")
        out.append((name, int(n)))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("--max-bytes", action="append", default=[])
    ap.add_argument("--max-lifecycle", action="append", default=[])
    a = ap.parse_args()
    with open(a.log, errors="replace") as f:
        lines = [l.rstrip("\r\n") for l in f]
    bad = 0
    for name, most in pairs(a.max_bytes):
        n = sum(len(l) + 1 for l in lines if l.startswith(f"[{name}] "))
        print(f"[{name}] lines: {n} bytes (at most {most})")
        bad += n > most
    for name, most in pairs(a.max_lifecycle):
        rx = re.compile(rf"^\[bulkhead\] partition {re.escape(name)}: "
                        r"(started|stopped|restarting|restarted)")
        n = sum(1 for l in lines if rx.match(l))
        print(f"{name} lifecycle lines: {n} (at most {most})")
        bad += n > most
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
