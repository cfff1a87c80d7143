#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The DMA attack's report, from one boot's log (tests/system/dma_attack.test).

One row per target the attacker aimed its device at, with its verdict and
whether the victim's next heartbeat after the row still said "canary ok";
then the hypervisor's text digest three times: computed here from the
image that was built (ELF, the bytes from __hv_start to __text_end, FNV-1a
64 as core/lib/digest.c), and as the attacker got it by hypercall before
and after its attacks.

usage: dma_report.py LOG ELF
Exits 1 unless there is a row for each of the four targets, each blocked
and followed by a "canary ok" heartbeat, and the three digests are equal.
"""
import re
import subprocess
import sys
import tempfile

ROW = re.compile(r"^\[attacker\] dma (\S+) (0x[0-9a-f]+): (blocked|REACHED) \((.*)\)$")
BEAT = re.compile(r"^\[victim\] heartbeat \d+ canary (ok|CORRUPTED)$")
GUEST = re.compile(r"^\[attacker\] hv digest (before|after): (0x[0-9a-f]{16})$")
TARGETS = ("victim", "victim-last", "hv-text", "gicd")


def built_digest(elf):
    """FNV-1a 64 of the built hypervisor's text, from its ELF."""
    syms = {}
    for line in subprocess.run(["aarch64-linux-gnu-nm", elf], check=True,
                               capture_output=True, text=True).stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    with tempfile.NamedTemporaryFile() as out:
        subprocess.run(["aarch64-linux-gnu-objcopy", "-O", "binary", elf, out.name],
                       check=True)
        text = out.read()[:syms["__text_end"] - syms["__hv_start"]]
    h = 0xcbf29ce484222325
    for b in text:
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return f"0x{h:016x}"


def main(path, elf):
    with open(path, errors="replace") as f:
        lines = [l.rstrip("\r\n") for l in f]
    rows, digests = [], {"built": built_digest(elf)}
    for i, l in enumerate(lines):
        m = ROW.match(l)
        if m:
            after = next((BEAT.match(x).group(1) for x in lines[i + 1:]
                          if BEAT.match(x)), "none")
            rows.append((m.group(1), m.group(2), m.group(3), after, m.group(4)))
        m = GUEST.match(l)
        if m:
            digests[m.group(1)] = m.group(2)
    ok = [r[0] for r in rows] == list(TARGETS)
    print(f"{'target':12} {'address':12} {'verdict':8} {'victim after':13} device")
    for name, addr, verdict, after, how in rows:
        print(f"{name:12} {addr:12} {verdict:8} {after:13} {how}")
        ok = ok and verdict == "blocked" and after == "ok"
    for key in ("built", "before", "after"):
        print(f"hypervisor text digest {key:6}: {digests.get(key, 'MISSING')}")
    same = len(digests) == 3 and len(set(digests.values())) == 1
    print("digest unchanged" if same else "digest CHANGED or MISSING")
    return 0 if ok and same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
