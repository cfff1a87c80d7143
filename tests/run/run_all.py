#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run every test suite (static checks, host unit tests, config tool tests, the host
fuzz targets over their seeds, the system-test runner's self-test, QEMU system tests, make debug's gdb script, the docs check), stream their output, and end with one "N passed, M failed" line
that adds them up."""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SUITES = [
    ("static checks", ["python3", "tests/run/check.py"], {}),
    ("host unit tests", ["build/tests/host_tests"], {}),
    ("config tool tests", ["sh", "tests/run/cfg_negative.sh"],
     {"BHCFG": "build/tools/bhcfg-san"}),
    ("host fuzz targets", ["sh", "tests/run/fuzz_run.sh", "smoke"], {}),
    ("test runner self-test", ["python3", "tests/run/systest_selftest.py"], {}),
    ("QEMU system tests", ["python3", "tests/run/systest.py"], {}),
    ("gdb debug script", ["python3", "tests/run/gdb_check.py"], {}),
    ("console at a terminal", ["python3", "tests/run/console_tty.py"], {}),
    ("docs check", ["python3", "tests/run/docs_check.py"], {}),
]
TOTAL = re.compile(r"^(\d+) passed, (\d+) failed$")


def main():
    passed = failed = 0
    for title, cmd, env in SUITES:
        print(f"== {title}", flush=True)
        proc = subprocess.Popen(cmd, cwd=ROOT, env=dict(os.environ, **env),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        seen = None
        for line in proc.stdout:
            line = line.rstrip("\n")
            m = TOTAL.match(line)
            if m:
                seen = (int(m.group(1)), int(m.group(2)))
                print(f"   ({title}: {line})", flush=True)
            else:
                print(line, flush=True)
        rc = proc.wait()
        if seen is None:
            print(f"FAIL {title}: no result line (exit {rc})")
            failed += 1
            continue
        passed += seen[0]
        failed += seen[1]
        if rc != 0 and seen[1] == 0:
            print(f"FAIL {title}: exit status {rc}")
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
