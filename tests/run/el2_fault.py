#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check that an EL2 exception dump is the fault a self-test is named for.

    el2_fault.py LOG --ec 0x25 --fsc permission --wnr 1 --far REGEX

The dump (core/panic.c) gives ESR_EL2 and FAR_EL2. ESR_EL2 (Arm ARM DDI
0487 J.a, D19.2.40): EC is bits [31:26] (0x25 data abort, 0x21 instruction
abort, taken without a change of EL), IL bit 25; for an abort the ISS holds
WnR (bit 6, data aborts) and the fault status code in bits [5:0]: 0b0001LL
translation fault at level LL, 0b0010LL access flag fault, 0b0011LL
permission fault (ISS encoding for an exception from a Data Abort /
Instruction Abort). --far REGEX is matched against the log: with one group,
FAR_EL2 must equal the address it captures; with two, FAR_EL2 must lie in
[first, second). Exit 0 if everything matches, else 1 with the reason.
"""
import argparse
import re
import sys

FSC = {"translation": 0x04, "access": 0x08, "permission": 0x0c}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("--ec", required=True, type=lambda s: int(s, 0))
    ap.add_argument("--fsc", required=True, choices=sorted(FSC))
    ap.add_argument("--wnr", type=int, choices=(0, 1))
    ap.add_argument("--far", required=True)
    a = ap.parse_args()
    text = open(a.log, errors="replace").read()
    m = re.search(r"^  ESR 0x([0-9a-f]{16})  ELR 0x[0-9a-f]{16}\n"
                  r"  FAR 0x([0-9a-f]{16})", text, re.M)
    if not m:
        print("no EL2 exception dump (ESR and FAR lines) in the log")
        return 1
    esr, far = int(m.group(1), 16), int(m.group(2), 16)
    ec, iss = (esr >> 26) & 0x3f, esr & 0x1ffffff
    fsc = iss & 0x3f
    errors = []
    if ec != a.ec:
        errors.append(f"ESR_EL2.EC 0x{ec:02x}, expected 0x{a.ec:02x}")
    if fsc & ~3 != FSC[a.fsc]:
        errors.append(f"fault status 0x{fsc:02x}, expected a {a.fsc} fault "
                      f"(0x{FSC[a.fsc]:02x}-0x{FSC[a.fsc] + 3:02x})")
    if a.wnr is not None and (iss >> 6) & 1 != a.wnr:
        errors.append(f"WnR {(iss >> 6) & 1}, expected {a.wnr}")
    w = re.search(a.far, text, re.M)
    if not w:
        errors.append(f"no line matches {a.far!r} (the address to check)")
    elif len(w.groups()) == 1:
        want = int(w.group(1), 16)
        if far != want:
            errors.append(f"FAR_EL2 0x{far:x}, expected 0x{want:x}")
    else:
        lo, hi = int(w.group(1), 16), int(w.group(2), 16)
        if not lo <= far < hi:
            errors.append(f"FAR_EL2 0x{far:x} not in [0x{lo:x}, 0x{hi:x})")
    print(f"ESR_EL2 0x{esr:016x}: EC 0x{ec:02x}, fault status 0x{fsc:02x}, "
          f"WnR {(iss >> 6) & 1}; FAR_EL2 0x{far:016x}")
    for e in errors:
        print("MISMATCH: " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
