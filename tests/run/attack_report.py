#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The attack suite's report, from one boot's log (tests/system/attack_suite.test).

Each row the attacker printed ("attack NN | tried | happened | contained")
gets a "victim intact" column: yes if the victim's next heartbeat after the
row carries a higher count than the last one before it and says
"canary ok" (its 64 KiB canary at the attacked address is unchanged), and
the victim was never stopped or restarted. The final row is the attacker's
PSCI SYSTEM_OFF, which must stop the attacker alone.

Prints the table; exits 1 unless there are at least 30 attacks, the
boundary probes are among them (PROBES), and every row is contained with
the victim intact.
"""
import re
import sys

ROW = re.compile(r"^\[attacker\] attack (\d+) \| (.*?) \| (.*?)(?: \| (.*))?$")
BEAT = re.compile(r"^\[victim\] heartbeat (\d+)( canary ok| canary CORRUPTED)?$")
OFF = re.compile(r"^\[bulkhead\] partition attacker: stopped: guest called PSCI SYSTEM_OFF$")
VICTIM_DOWN = re.compile(r"^\[bulkhead\] partition victim: (stopped|restarting)")
# The boundary probes (tests/guests/attack.c): each must be a row.
PROBES = ("probe below own RAM", "probe above own RAM",
          "probe victim's first RAM page", "probe victim's last RAM page",
          "probe below victim's device", "probe victim's device last word",
          "probe above victim's device")


def main(path):
    with open(path, errors="replace") as f:
        lines = [l.rstrip("\r\n") for l in f]
    rows, beats, off_at = [], [], None
    victim_down = any(VICTIM_DOWN.search(l) for l in lines)
    for i, l in enumerate(lines):
        m = ROW.match(l)
        if m:
            rows.append([i, int(m.group(1)), m.group(2), m.group(3), m.group(4)])
        m = BEAT.match(l)
        if m:
            beats.append((i, int(m.group(1)), m.group(2) == " canary ok"))
        if OFF.match(l) and off_at is None:
            off_at = i
    bad = 0
    print(f"{'#':>2}  {'attack':42} {'what happened':42} {'verdict':10} victim intact")
    for at, n, what, happened, verdict in rows:
        if verdict is None:  # the SYSTEM_OFF row: judged by the hypervisor's line
            verdict = "contained" if off_at is not None else "NOT CONTAINED"
            happened = "attacker stopped alone" if off_at is not None else "no stop"
            at = off_at if off_at is not None else at
        before = [b for b in beats if b[0] < at]
        after = [b for b in beats if b[0] > at]
        intact = (not victim_down and after and after[0][2] and
                  (not before or after[0][1] > before[-1][1]))
        ok = verdict == "contained" and intact
        bad += not ok
        print(f"{n:2}  {what:42} {happened:42} {verdict:10} "
              f"{'yes' if intact else 'NO'}"
              f"{' (heartbeat %d)' % after[0][1] if after else ''}")
    print(f"{len(rows)} attacks, {len(rows) - bad} contained with the victim intact")
    if len(rows) < 30:
        print("FAIL: fewer than 30 attacks")
        return 1
    missing = [p for p in PROBES if not any(r[2].startswith(p) for r in rows)]
    if missing:
        print("FAIL: boundary probes missing: " + ", ".join(missing))
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
