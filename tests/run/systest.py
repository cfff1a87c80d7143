#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
r"""QEMU system tests: one fresh boot per test.

Each tests/system/*.test file describes one test:

  # comment
  config: tests/configs/qemu-virt/two.dts   system description to build
  board: qemu-virt qemu-virt-gicv2          boards to run on, one boot each
                                            (default qemu-virt)
  make: SELFTEST=1                          extra make variables
  qemu: -icount shift=0                     extra QEMU arguments
  timeout: 60                               seconds of wall time (default 60)
  expect: REGEX                             must match, in this order
  input: TEXT                               once the expects before it have
                                            matched, type TEXT on the console
                                            (\r, \xNN escapes)
  repeat: 150                               the next expect or input line
                                            counts that many times
  contains: REGEX                           must match somewhere
  forbid: REGEX                             must never match
  settle: 2                                 seconds to keep reading after
                                            the last expect
  quiet-after: REGEX                        no line matching REGEX may come
                                            after the last expect
  build-fails: TEXT                         the build must fail, printing TEXT
  build-only: yes                           only build (a board QEMU cannot
                                            boot): the build must succeed and
                                            make an arm64 Image
  disk: virtio | pci                        attach a fresh 8 MiB ext4 disk
                                            (tools/linux/mkdisk.sh), as a
                                            virtio-mmio device (the last slot)
                                            or a virtio-blk-pci device on the
                                            PCIe bus (behind the SMMU), whose
                                            bulkhead.txt holds a random token;
                                            {token} in patterns stands for it,
                                            {token_upper} for it in capitals
  disk: pci read-bps=2000000                the same, its reads throttled to
                                            that many bytes per second (DMA
                                            that stays in flight)
  native: NAME                              boot guest NAME on the board's
                                            QEMU machine with no hypervisor
                                            (config is then not needed); a
                                            path (build/payloads/keel.bin)
                                            is an image make builds
  boot: uboot                               boot U-Boot as firmware, which
                                            loads the FIT image (make fit,
                                            make print-uboot-qemu)
  boot: sdcard                              boot the board's SD-card image
                                            as the board does (TF-A, U-Boot,
                                            boot.scr; make sdcard-qemu,
                                            make print-sdcard-qemu)
  script: python3 tests/run/x.py {log}      after the boot, run this command
                                            ({log}: the boot's log); it must
                                            exit 0; its output goes to
                                            build/test-logs/NAME.report

An argument is a substring of the test names to run, or the path of one
.test file (which may live outside tests/system); a name ending in $ must
match a whole name (attack_suite@qemu-virt$: that board's run only).

The runner prints PASS/FAIL per test, the log of failures, and a final
"N passed, M failed" line. Exit status 1 if any failed.
"""
import glob
import os
import re
import secrets
import select
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOG_DIR = os.path.join(ROOT, "build", "test-logs")


def parse(path):
    spec = {"name": os.path.splitext(os.path.basename(path))[0], "board": "qemu-virt",
            "make": [], "qemu": [], "timeout": 60.0, "expect": [], "contains": [],
            "forbid": [], "settle": 0.0, "quiet-after": [], "build-fails": None,
            "build-only": None,
            "config": None, "input": None, "native": None, "boot": None, "disk": None,
            "script": None}
    times = 1
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            key, sep, val = line.partition(":")
            key, val = key.strip(), val.strip()
            if key == "repeat" and val.isdigit() and int(val) > 0:
                times = int(val)
                continue
            if not sep or key not in spec:
                raise SystemExit(f"{path}:{lineno}: unknown line: {line}")
            if times != 1 and key not in ("expect", "input"):
                raise SystemExit(f"{path}:{lineno}: repeat applies to expect or input only")
            if key in ("make", "qemu"):
                spec[key] += val.split()
            elif key == "input":
                spec["expect"] += [val.encode().decode("unicode_escape").encode("latin-1")] * times
            elif key == "expect":
                spec[key] += [re.compile(val)] * times
            elif key in ("contains", "forbid", "quiet-after"):
                spec[key].append(re.compile(val))
            elif key in ("timeout", "settle"):
                spec[key] = float(val)
            else:
                spec[key] = val
            times = 1
    if spec["boot"] not in (None, "uboot", "sdcard"):
        raise SystemExit(f"{path}: unknown boot: {spec['boot']}")
    if not spec["config"] and not spec["native"]:
        raise SystemExit(f"{path}: no config")
    spec["config"] = spec["config"] or "demo"
    return spec


def make(spec, *targets):
    cmd = ["make", "--no-print-directory", "-s", f"BOARD={spec['board']}",
           f"CONFIG={spec['config']}"] + spec["make"] + list(targets)
    return subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)


def run_qemu(spec, image, log):
    args = make(spec, "print-native-qemu" if spec["native"] else
                "print-qemu").stdout.split()
    cmd = ["qemu-system-aarch64"] + args + spec["qemu"] + ["-kernel", image]
    if spec["boot"] == "uboot":
        # U-Boot is the firmware and loads the image itself: no -kernel.
        args = make(spec, "print-uboot-qemu").stdout.split()
        cmd = ["qemu-system-aarch64"] + args + spec["qemu"]
    elif spec["boot"] == "sdcard":
        # The firmware and the card load everything: no -kernel.
        args = make(spec, "print-sdcard-qemu").stdout.split()
        cmd = ["qemu-system-aarch64"] + args + spec["qemu"]
    env = dict(os.environ, QEMU_AUDIO_DRV="none")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    lines, buf = [], b""
    want = list(spec["expect"])
    done_at = None
    deadline = time.monotonic() + spec["timeout"]

    def send_inputs():
        while want and isinstance(want[0], bytes):
            time.sleep(0.2)
            for byte in want.pop(0):
                proc.stdin.write(bytes([byte]))
                proc.stdin.flush()
                time.sleep(0.01)

    try:
        send_inputs()
        while True:
            now = time.monotonic()
            if now > deadline:
                break
            if done_at is not None and now >= done_at:
                break
            wait = min(deadline, done_at or deadline) - now
            ready, _, _ = select.select([proc.stdout], [], [], max(0.0, min(wait, 0.5)))
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                raw, buf = buf.split(b"\n", 1)
                text = raw.decode("utf-8", "replace").rstrip("\r")
                lines.append(text)
                log.write(text + "\n")
                if want and want[0].search(text):
                    want.pop(0)
                    send_inputs()
                    if not want:
                        lines.append("<<<last expect>>>")
                        done_at = time.monotonic() + spec["settle"]
    finally:
        proc.kill()
        proc.wait()
    if buf:
        lines.append(buf.decode("utf-8", "replace"))
    return lines, want


def check(spec, lines, missing):
    errors = []
    if missing:
        errors.append(f"expected line not seen (in order): {missing[0].pattern}")
    for rx in [m for m in missing if isinstance(m, bytes)][:1]:
        errors.append(f"input never sent: {rx!r}")
    for rx in spec["contains"]:
        if not any(rx.search(l) for l in lines):
            errors.append(f"expected somewhere: {rx.pattern}")
    for rx in spec["forbid"]:
        for l in lines:
            if rx.search(l):
                errors.append(f"forbidden line: {l}")
                break
    if "<<<last expect>>>" in lines:
        after = lines[lines.index("<<<last expect>>>") + 1:]
        for rx in spec["quiet-after"]:
            for l in after:
                if rx.search(l):
                    errors.append(f"line after the end point: {l}")
                    break
    return errors


def with_token(spec, token):
    """The spec with {token} in every pattern and input replaced."""
    def sub(item):
        if isinstance(item, bytes):
            return item.replace(b"{token}", token.encode())
        text = item.pattern.replace("{token_upper}", token.upper())
        return re.compile(text.replace("{token}", token))
    out = dict(spec)
    for key in ("expect", "contains", "forbid", "quiet-after"):
        out[key] = [sub(i) for i in spec[key]]
    return out


# QEMU lets a virtio PCI device bypass the IOMMU unless it offers
# VIRTIO_F_ACCESS_PLATFORM (boards/qemu-virt/virt.mk, VIRTIO_PCI_SMMU).
DISK_DEVICES = {"virtio": "virtio-blk-device",
                "pci": "virtio-blk-pci,disable-legacy=on,iommu_platform=on"}


def attach_disk(spec):
    """Write a fresh disk image with a random token and attach it as a
    virtio-blk device: on virtio-mmio (QEMU puts it in the last slot) or
    on PCIe."""
    kind, _, rate = spec["disk"].partition(" read-bps=")
    if kind not in DISK_DEVICES or (rate and not rate.isdigit()):
        raise SystemExit(f"{spec['name']}: disk: {spec['disk']}: not one of "
                         f"{', '.join(DISK_DEVICES)}, optionally with read-bps=N")
    token = "token-" + secrets.token_hex(8)
    img = os.path.join(LOG_DIR, spec["name"] + "-disk.img")
    subprocess.run(["sh", "tools/linux/mkdisk.sh", img, token], cwd=ROOT, check=True)
    spec = with_token(spec, token)
    # read-bps: QEMU's block throttling, so that reads stay in flight.
    throttle = f",throttling.bps-read={rate}" if rate else ""
    spec["qemu"] = spec["qemu"] + [
        "-drive", f"if=none,format=raw,id=disk0,file={img}{throttle}",
        "-device", f"{DISK_DEVICES[kind]},drive=disk0"]
    return spec


def check_image(spec, build_log, log_path):
    """A build-only test: the image must exist and start with an arm64
    Image header (magic "ARM\\x64" at byte 0x38)."""
    with open(log_path, "w") as log:
        log.write(build_log)
    image = os.path.join(ROOT, make(spec, "print-image").stdout.strip())
    try:
        with open(image, "rb") as f:
            head = f.read(0x40)
    except OSError:
        return [f"build-only: no image {image}"]
    if head[0x38:0x3c] != b"ARM\x64":
        return [f"build-only: {image} is not an arm64 Image"]
    return []


def native_image(name):
    """A native test's image: guest NAME's, or the path given."""
    return name if "/" in name else f"build/guests/native/{name}.bin"


def run_one(spec):
    os.makedirs(LOG_DIR, exist_ok=True)
    log_path = os.path.join(LOG_DIR, spec["name"] + ".log")
    if spec["disk"]:
        spec = attach_disk(spec)
    target = native_image(spec["native"]) if spec["native"] else "all"
    if spec["boot"] == "uboot":
        target = "fit"
    elif spec["boot"] == "sdcard":
        target = "sdcard-qemu"
    build = make(spec, target)
    if spec["build-fails"] is not None:
        with open(log_path, "w") as log:
            log.write(build.stdout)
        if build.returncode == 0:
            return spec["name"], ["build succeeded but must fail"], log_path
        if spec["build-fails"] not in build.stdout:
            return spec["name"], [f"build failed without '{spec['build-fails']}'"], log_path
        # A refused description leaves no (empty) build folder behind.
        out = os.path.dirname(make(spec, "print-image").stdout.strip())
        if os.path.isdir(os.path.join(ROOT, out)):
            return spec["name"], [f"the failed build left {out}/ behind"], log_path
        return spec["name"], [], log_path
    if build.returncode != 0:
        with open(log_path, "w") as log:
            log.write(build.stdout)
        return spec["name"], ["build failed:\n" + build.stdout[-2000:]], log_path
    if spec["build-only"] is not None:
        return spec["name"], check_image(spec, build.stdout, log_path), log_path
    image = target if spec["native"] else make(spec, "print-image").stdout.strip()
    with open(log_path, "w") as log:
        lines, missing = run_qemu(spec, image, log)
    errors = check(spec, lines, missing)
    if spec["script"]:
        errors += run_script(spec, log_path)
    return spec["name"], errors, log_path


def run_script(spec, log_path):
    """Run the test's script on its log; its output is the test's report."""
    cmd = spec["script"].replace("{log}", log_path)
    res = subprocess.run(cmd, shell=True, cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    report = os.path.splitext(log_path)[0] + ".report"
    with open(report, "w") as f:
        f.write(res.stdout)
    if res.returncode != 0:
        tail = "\n    ".join(res.stdout.splitlines()[-10:])
        return [f"script failed ({os.path.relpath(report, ROOT)}):\n    {tail}"]
    return []


def main():
    pattern = sys.argv[1] if len(sys.argv) > 1 else ""
    tests = sorted(glob.glob(os.path.join(ROOT, "tests", "system", "*.test")))
    if pattern.endswith(".test") and os.path.isfile(pattern):
        # A .test file outside tests/system (make fuzz's long runs).
        tests, pattern = [os.path.abspath(pattern)], ""
    runs = []
    for t in tests:
        spec = parse(t)
        boards = spec["board"].split()
        for board in boards:
            one = dict(spec, board=board)
            if len(boards) > 1:
                one["name"] = f"{spec['name']}@{board}"
            if (one["name"] == pattern[:-1] if pattern.endswith("$")
                    else pattern in one["name"]):
                runs.append(one)
    passed = failed = 0
    for spec in runs:
        start = time.monotonic()
        name, errors, log_path = run_one(spec)
        took = time.monotonic() - start
        if errors:
            failed += 1
            print(f"FAIL qemu.{name} ({took:.1f}s)")
            for e in errors:
                print(f"  {e}")
            print(f"  log: {os.path.relpath(log_path, ROOT)}; last lines:")
            with open(log_path) as f:
                for l in f.readlines()[-15:]:
                    print("    " + l.rstrip())
        else:
            passed += 1
            print(f"PASS qemu.{name} ({took:.1f}s)")
        sys.stdout.flush()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
