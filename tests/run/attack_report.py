#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The attack suite's report, from one boot's log (tests/system/attack_suite*.test).

Each row the attacker printed ("attack NN | tried | happened | verdict
[| note]") gets a "victim intact" column from the victim's own heartbeat
lines (tests/guests/testguest.c with "canary irq-watch=I"):

  heartbeat N canary ok, irq ok: own SPI 1, stray SGI 0 PPI 0 SPI 0, at T ms

"canary ok": its 64 KiB canary at the attacked address and its first and
last pages are unchanged; "irq ok": the SPI it pended itself in that window
was delivered exactly once and no interrupt it did not cause ever arrived.

Default (real time): a row's victim is intact if the victim's next heartbeat
after the row carries a higher count than the last one before it and says
"canary ok" (and "irq ok" where the victim prints it).

--icount (exact time, one instruction a nanosecond): a row's victim is intact
only if at least one heartbeat lies strictly between the row and the next
row (for the last row, the SYSTEM_OFF row; for that one, the stop line and
the end of the log), and every heartbeat in that interval is "canary ok,
irq ok". Also, the whole run: the victim's heartbeat times ("at T ms") never
step by more than --max-gap-ms (default 30: three 10 ms beats), and two
heartbeats at least must follow the SYSTEM_OFF row.

A row whose note is "not evidence on QEMU" is judged the same, but counted
apart: on QEMU its outcome would be the same with the trap it checks broken
(docs/traps.md, "The attack suite").

The final row is the attacker's PSCI SYSTEM_OFF, which must stop the
attacker alone. Prints the table; exits 1 unless there are at least 30
attacks, the boundary probes are among them (PROBES), and every row is
contained with the victim intact.
"""
import argparse
import re
import sys

ROW = re.compile(r"^\[attacker\] attack (\d+) \| (.*?) \| (.*?)(?: \| (.*?))?(?: \| (.*))?$")
BEAT = re.compile(r"^\[victim\] heartbeat (\d+)( canary ok| canary CORRUPTED)?"
                  r"(?:, irq (ok|WRONG): .*, at (\d+) ms)?$")
OFF = re.compile(r"^\[bulkhead\] partition attacker: stopped: guest called PSCI SYSTEM_OFF$")
VICTIM_DOWN = re.compile(r"^\[bulkhead\] partition victim: (stopped|restarting)")
# The boundary probes (tests/guests/attack.c): each must be a row.
PROBES = ("probe below own RAM", "probe above own RAM",
          "probe victim's first RAM page", "probe victim's last RAM page",
          "probe below victim's device", "probe victim's device last word",
          "probe above victim's device")
NOT_EVIDENCE = "not evidence on QEMU"


def beat_ok(b):
    return b[2] and b[3] in (None, "ok")


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--icount", action="store_true",
                    help="exact time: a heartbeat strictly between every two rows")
    ap.add_argument("--max-gap-ms", type=int, default=30,
                    help="with --icount: largest step between heartbeat times")
    ap.add_argument("log")
    args = ap.parse_args(argv)
    with open(args.log, errors="replace") as f:
        lines = [l.rstrip("\r\n") for l in f]
    rows, beats, off_at = [], [], None
    victim_down = any(VICTIM_DOWN.search(l) for l in lines)
    for i, l in enumerate(lines):
        m = ROW.match(l)
        if m:
            rows.append([i, int(m.group(1)), m.group(2), m.group(3), m.group(4),
                         m.group(5) or ""])
        m = BEAT.match(l)
        if m:
            beats.append((i, int(m.group(1)), m.group(2) == " canary ok", m.group(3),
                          int(m.group(4)) if m.group(4) else None))
        if OFF.match(l) and off_at is None:
            off_at = i
    bad = blind = 0
    print(f"{'#':>2}  {'attack':42} {'what happened':42} {'verdict':10} victim intact")
    for k, (at, n, what, happened, verdict, note) in enumerate(rows):
        if verdict is None:  # the SYSTEM_OFF row: judged by the hypervisor's line
            verdict = "contained" if off_at is not None else "NOT CONTAINED"
            happened = "attacker stopped alone" if off_at is not None else "no stop"
            at = off_at if off_at is not None else at
        if args.icount:
            end = rows[k + 1][0] if k + 1 < len(rows) else len(lines)
            inside = [b for b in beats if at < b[0] < end]
            need = 2 if k + 1 == len(rows) else 1
            intact = (not victim_down and len(inside) >= need and
                      all(beat_ok(b) for b in inside))
            shown = inside[0] if inside else None
        else:
            before = [b for b in beats if b[0] < at]
            after = [b for b in beats if b[0] > at]
            intact = (not victim_down and bool(after) and beat_ok(after[0]) and
                      (not before or after[0][1] > before[-1][1]))
            shown = after[0] if after else None
        ok = verdict == "contained" and intact
        bad += not ok
        blind += note == NOT_EVIDENCE
        print(f"{n:2}  {what:42} {happened:42} {verdict:10} "
              f"{'yes' if intact else 'NO'}"
              f"{' (heartbeat %d)' % shown[1] if shown else ''}"
              f"{'  [' + note + ']' if note else ''}")
    print(f"{len(rows)} attacks, {len(rows) - bad} contained with the victim intact, "
          f"{blind} of them not evidence on QEMU")
    fail = bool(bad)
    if args.icount:
        times = [b[4] for b in beats]
        if not times or None in times:
            print("FAIL: --icount needs the victim's irq-watch heartbeats (\"at T ms\")")
            fail = True
        else:
            gaps = [b - a for a, b in zip(times, times[1:])]
            worst = max(gaps) if gaps else 0
            print(f"victim heartbeats: {len(times)}, largest step {worst} ms "
                  f"(limit {args.max_gap_ms} ms)")
            if worst > args.max_gap_ms:
                print(f"FAIL: the victim's heartbeat stalled for {worst} ms")
                fail = True
    if len(rows) < 30:
        print("FAIL: fewer than 30 attacks")
        fail = True
    missing = [p for p in PROBES if not any(r[2].startswith(p) for r in rows)]
    if missing:
        print("FAIL: boundary probes missing: " + ", ".join(missing))
        fail = True
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
