#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The DMA attack's report, from one boot's log (tests/system/dma_attack.test).

One row per target the attacker aimed its device at, with its verdict and
whether the victim's next heartbeat after the row still said "canary ok";
then the hypervisor's text digest three times: as it printed it at boot,
and as the attacker got it by hypercall before and after its attacks.

Exits 1 unless there is a row for each of the four targets, each blocked
and followed by a "canary ok" heartbeat, and the three digests are equal.
"""
import re
import sys

ROW = re.compile(r"^\[attacker\] dma (\S+) (0x[0-9a-f]+): (blocked|REACHED) \((.*)\)$")
BEAT = re.compile(r"^\[victim\] heartbeat \d+ canary (ok|CORRUPTED)$")
BOOT = re.compile(r"^\[bulkhead\] text digest (0x[0-9a-f]{16}) ")
GUEST = re.compile(r"^\[attacker\] hv digest (before|after): (0x[0-9a-f]{16})$")
TARGETS = ("victim", "victim-last", "hv-text", "gicd")


def main(path):
    with open(path, errors="replace") as f:
        lines = [l.rstrip("\r\n") for l in f]
    rows, digests = [], {}
    for i, l in enumerate(lines):
        m = ROW.match(l)
        if m:
            after = next((BEAT.match(x).group(1) for x in lines[i + 1:]
                          if BEAT.match(x)), "none")
            rows.append((m.group(1), m.group(2), m.group(3), after, m.group(4)))
        m = BOOT.match(l) or GUEST.match(l)
        if m:
            key = "boot" if m.re is BOOT else m.group(1)
            digests[key] = m.groups()[-1]
    ok = [r[0] for r in rows] == list(TARGETS)
    print(f"{'target':12} {'address':12} {'verdict':8} {'victim after':13} device")
    for name, addr, verdict, after, how in rows:
        print(f"{name:12} {addr:12} {verdict:8} {after:13} {how}")
        ok = ok and verdict == "blocked" and after == "ok"
    for key in ("boot", "before", "after"):
        print(f"hypervisor text digest {key:6}: {digests.get(key, 'MISSING')}")
    same = len(digests) == 3 and len(set(digests.values())) == 1
    print("digest unchanged" if same else "digest CHANGED or MISSING")
    return 0 if ok and same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
