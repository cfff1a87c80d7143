#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The gdb script of make debug (tools/debug/bulkhead.py), non-interactively.

Builds tests/configs/qemu-virt/keel.dts (testguest "neighbour" beside Keel),
starts QEMU halted with its gdb stub on a free port, as make debug does, and
runs gdb-multiarch in batch mode: a breakpoint on hv_main at EL2, then Keel's
keel_start and the test guest's guest_main at EL1, each on its partition's
cores. Each stop must be in that function at that exception level.

Prints PASS/FAIL lines and "N passed, M failed"."""
import os
import re
import shutil
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BOARD = "qemu-virt"
CONFIG = "tests/configs/qemu-virt/keel.dts"
TIMEOUT = 60


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make(*args):
    return subprocess.run(["make", "--no-print-directory", "-s", f"BOARD={BOARD}",
                           f"CONFIG={CONFIG}", *args], cwd=ROOT,
                          capture_output=True, text=True)


def check():
    gdb = shutil.which("gdb-multiarch")
    if gdb is None:
        return ["gdb-multiarch is not installed (tools/setup.sh installs it)"]
    out = make("print-image").stdout.strip()
    out = os.path.dirname(out)
    build = make(os.path.join(out, "bulkhead.bin"), os.path.join(out, "layout.svg"))
    if build.returncode != 0:
        return ["build failed: " + build.stderr[-600:]]
    qemu_args = make("print-qemu").stdout.split()
    port = free_port()
    qemu = subprocess.Popen(
        ["qemu-system-aarch64", *qemu_args, "-S", "-gdb", f"tcp:localhost:{port}",
         "-kernel", os.path.join(out, "bulkhead.bin")],
        cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True)
    try:
        # The stub listens once QEMU has set up the machine.
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if qemu.poll() is not None:
                return ["QEMU exited: " + qemu.stderr.read()[-400:]]
            time.sleep(0.1)
        cmds = [f"bh-connect {out} {port}",
                "bh-break-el2 hv_main", "continue", "bh-el", "bt 1",
                "bh-guest keel", "bh-guest neighbour",
                "bh-break-el1 keel_start keel",
                "bh-break-el1 guest_main neighbour",
                "continue", "bh-el", "bt 1", "continue", "bh-el", "bt 1",
                "kill"]
        argv = [gdb, "-q", "-nx", "-batch", "-x", "tools/debug/bulkhead.py"]
        for c in cmds:
            argv += ["-ex", c]
        try:
            res = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True,
                                 timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return [f"gdb did not finish in {TIMEOUT} s"]
    finally:
        qemu.kill()
        qemu.wait()
    text = res.stdout + res.stderr
    with open(os.path.join(ROOT, "build", "test-logs", "gdb_check.log"), "w") as f:
        f.write(text)
    # Each stop: "Thread N hit Breakpoint K, FUNC (...)", then bh-el's "ELx".
    stops = re.findall(r"hit Breakpoint \d+, (?:0x[0-9a-f]+ in )?(\w+) \(.*?\n(?:.*\n)*?(EL\d)$",
                       text, re.M)
    got = {f: el for f, el in stops}
    errors = []
    for func, el in (("hv_main", "EL2"), ("keel_start", "EL1"), ("guest_main", "EL1")):
        if got.get(func) != el:
            errors.append(f"no stop in {func} at {el} (stops: {stops})")
    if errors:
        errors.append("gdb output: build/test-logs/gdb_check.log")
    return errors


def main():
    os.makedirs(os.path.join(ROOT, "build", "test-logs"), exist_ok=True)
    start = time.monotonic()
    errors = check()
    took = time.monotonic() - start
    if errors:
        print(f"FAIL gdb.debug_script ({took:.1f}s)")
        for e in errors:
            print("  " + e)
        print("0 passed, 1 failed")
        return 1
    print(f"PASS gdb.debug_script ({took:.1f}s)")
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
