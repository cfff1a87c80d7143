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
                                            the last expect (default 1)
  alone: yes                                boot with no other test beside
                                            it (a real-time test whose
                                            outcome a loaded core can change)
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

Each argument is a substring of the test names to run, or the path of a
.test file (which may live outside tests/system); a name ending in $ must
match a whole name (attack_suite@qemu-virt$: that board's run only). A
test runs if any argument selects it; no argument runs them all.

The runner builds every test's image first, one after another (the
hypervisor's objects are shared by all configurations of a board), then
boots the tests JOBS at a time (default: the number of cores), longest
first, except that a test marked `alone` boots with nothing beside it. A
run stops at the first forbidden line. Environment:

  JOBS=1                                    boot one test at a time
  TIMEOUT_SCALE=2                           multiply every timeout (a slow
                                            machine)
  INPUT_DELAY=3                             seconds between an expect and
                                            the input it releases (default
                                            1 under -icount sleep=off, 0.2
                                            otherwise): a loaded host, seen
                                            from an icount sleep=off guest

Typed input arrives at a host time. Under -icount sleep=off the guest's
clock runs ahead of the host's (seconds of guest time in 0.2 s when the
vCPUs idle), so what an input shows must not depend on a guest deadline
that can pass before it arrives (a partition that ends after 5 reports):
type it after that deadline, or match whatever the state may be by then.
Such tests wait a whole second before typing, about 10 to 25 s of guest
time, so that a race fails on every run rather than now and then on a
loaded machine; `make test-input-delay` runs them with 3 s.

The runner prints PASS/FAIL per test as it ends, the log of failures, and
a final "N passed, M failed" line. Exit status 1 if any failed.
"""
import concurrent.futures
import glob
import json
import os
import re
import secrets
import select
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOG_DIR = os.path.join(ROOT, "build", "test-logs")
# How long each test took last time (longest first makes the parallel
# boots end together).
DURATIONS = os.path.join(LOG_DIR, "durations.json")


def env_number(name, default, kind):
    text = os.environ.get(name, "")
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise SystemExit(f"{name}={text}: not a positive number")
    return value


TIMEOUT_SCALE = env_number("TIMEOUT_SCALE", 1.0, float)
INPUT_DELAY = env_number("INPUT_DELAY", 0.0, float)  # 0: the default


def input_delay(spec):
    """Seconds to wait before typing an input (INPUT_DELAY above)."""
    if INPUT_DELAY:
        return INPUT_DELAY
    return 1.0 if any("sleep=off" in a for a in spec["qemu"]) else 0.2


def parse(path):
    spec = {"name": os.path.splitext(os.path.basename(path))[0], "board": "qemu-virt",
            "make": [], "qemu": [], "timeout": 60.0, "expect": [], "contains": [],
            "forbid": [], "settle": 1.0, "alone": None, "quiet-after": [], "build-fails": None,
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
    if spec["alone"] not in (None, "yes"):
        raise SystemExit(f"{path}: alone: {spec['alone']}: only 'yes'")
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


def qemu_command(spec, image):
    """The QEMU command line of a test (make's print targets)."""
    if spec["boot"] == "uboot":
        # U-Boot is the firmware and loads the image itself: no -kernel.
        return ["qemu-system-aarch64"] + make(spec, "print-uboot-qemu").stdout.split() \
            + spec["qemu"]
    if spec["boot"] == "sdcard":
        # The firmware and the card load everything: no -kernel.
        return ["qemu-system-aarch64"] + make(spec, "print-sdcard-qemu").stdout.split() \
            + spec["qemu"]
    args = make(spec, "print-native-qemu" if spec["native"] else "print-qemu").stdout.split()
    return ["qemu-system-aarch64"] + args + spec["qemu"] + ["-kernel", image]


def run_qemu(spec, cmd, log):
    """Boot, match the expects in order, type the inputs; stop at the
    first forbidden line, when QEMU ends, at the deadline, or settle
    seconds after the last expect. Returns (lines, expects not seen)."""
    env = dict(os.environ, QEMU_AUDIO_DRV="none")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    lines, buf = [], b""
    want = list(spec["expect"])
    done_at = None
    deadline = time.monotonic() + spec["timeout"] * TIMEOUT_SCALE

    def send_inputs():
        while want and isinstance(want[0], bytes):
            time.sleep(input_delay(spec))
            for byte in want.pop(0):
                proc.stdin.write(bytes([byte]))
                proc.stdin.flush()
                time.sleep(0.01)

    def take(text):
        """One console line; False once the run is decided (forbidden)."""
        nonlocal done_at
        lines.append(text)
        log.write(text + "\n")
        if any(rx.search(text) for rx in spec["forbid"]):
            lines.append("<<<stopped at a forbidden line>>>")
            return False
        if want and want[0].search(text):
            want.pop(0)
            send_inputs()
            if not want:
                lines.append("<<<last expect>>>")
                done_at = time.monotonic() + spec["settle"]
        return True

    try:
        send_inputs()
        going = True
        while going:
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
            while going and b"\n" in buf:
                raw, buf = buf.split(b"\n", 1)
                going = take(raw.decode("utf-8", "replace").rstrip("\r"))
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


def prepare(spec):
    """Build a test's image. Returns ("done", result) for a test that
    ends with its build, or ("boot", spec, command, log path)."""
    os.makedirs(LOG_DIR, exist_ok=True)
    log_path = os.path.join(LOG_DIR, spec["name"] + ".log")
    if spec["disk"]:
        spec = attach_disk(spec)
    target = native_image(spec["native"]) if spec["native"] else "all"
    if spec["boot"] == "uboot":
        target = "fit"
    elif spec["boot"] == "sdcard":
        target = "sdcard-qemu"
    build = make(spec, "-j2", target)
    if spec["build-fails"] is not None:
        with open(log_path, "w") as log:
            log.write(build.stdout)
        if build.returncode == 0:
            return "done", (spec["name"], ["build succeeded but must fail"], log_path)
        if spec["build-fails"] not in build.stdout:
            return "done", (spec["name"], [f"build failed without '{spec['build-fails']}'"],
                            log_path)
        # A refused description leaves no (empty) build folder behind.
        out = os.path.dirname(make(spec, "print-image").stdout.strip())
        if os.path.isdir(os.path.join(ROOT, out)):
            return "done", (spec["name"], [f"the failed build left {out}/ behind"], log_path)
        return "done", (spec["name"], [], log_path)
    if build.returncode != 0:
        with open(log_path, "w") as log:
            log.write(build.stdout)
        return "done", (spec["name"], ["build failed:\n" + build.stdout[-2000:]], log_path)
    if spec["build-only"] is not None:
        return "done", (spec["name"], check_image(spec, build.stdout, log_path), log_path)
    image = target if spec["native"] else make(spec, "print-image").stdout.strip()
    return "boot", spec, qemu_command(spec, image), log_path


def boot(spec, cmd, log_path):
    with open(log_path, "w") as log:
        lines, missing = run_qemu(spec, cmd, log)
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


def report(name, errors, log_path, took):
    """Print one test's verdict (and a failure's log tail); True if it passed."""
    if not errors:
        print(f"PASS qemu.{name} ({took:.1f}s)", flush=True)
        return True
    print(f"FAIL qemu.{name} ({took:.1f}s)")
    for e in errors:
        print(f"  {e}")
    print(f"  log: {os.path.relpath(log_path, ROOT)}; last lines:")
    with open(log_path, errors="replace") as f:
        for l in f.readlines()[-15:]:
            print("    " + l.rstrip())
    sys.stdout.flush()
    return False


def load_durations():
    try:
        with open(DURATIONS) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def boot_all(jobs, durations, tally):
    """Boot the prepared tests, longest first, `jobs` at a time; a test
    marked alone waits until nothing else runs and holds the machine."""
    jobs.sort(key=lambda j: -durations.get(j[1]["name"], j[1]["timeout"]))
    lock = threading.Lock()
    free = threading.Condition(lock)
    running = {"n": 0, "alone": False}
    workers = max(1, env_number("JOBS", os.cpu_count() or 1, int))

    def one(job):
        _, spec, cmd, log_path = job
        alone = spec["alone"] is not None
        with free:
            free.wait_for(lambda: not running["alone"] and
                          (running["n"] == 0 if alone else True))
            running["n"] += 1
            running["alone"] = alone
        start = time.monotonic()
        try:
            name, errors, log_path = boot(spec, cmd, log_path)
        except Exception as e:  # a runner bug must not hang the others
            name, errors = spec["name"], [f"runner error: {e!r}"]
        took = time.monotonic() - start
        with free:
            running["n"] -= 1
            if alone:
                running["alone"] = False
            durations[name] = round(took, 1)
            tally.append(report(name, errors, log_path, took))
            free.notify_all()

    # Tests marked alone go last in the queue of each worker pool pass,
    # so they do not idle a worker while the long ones run.
    ordered = [j for j in jobs if j[1]["alone"] is None] + \
        [j for j in jobs if j[1]["alone"] is not None]
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, ordered))


def main():
    args = sys.argv[1:] or [""]
    tests = sorted(glob.glob(os.path.join(ROOT, "tests", "system", "*.test")))
    files = [os.path.abspath(a) for a in args if a.endswith(".test") and os.path.isfile(a)]
    patterns = [a for a in args if not (a.endswith(".test") and os.path.isfile(a))]
    # A .test file outside tests/system (make fuzz's long runs) is added.
    tests += [f for f in files if f not in tests]

    def wanted(one, path):
        if path in files:
            return True
        return any(one["name"] == p[:-1] if p.endswith("$") else p in one["name"]
                   for p in patterns)

    runs = []
    for t in tests:
        spec = parse(t)
        boards = spec["board"].split()
        for board in boards:
            one = dict(spec, board=board)
            if len(boards) > 1:
                one["name"] = f"{spec['name']}@{board}"
            if wanted(one, t):
                runs.append(one)
    tally = []
    jobs = []
    start = time.monotonic()
    for spec in runs:
        t0 = time.monotonic()
        prepared = prepare(spec)
        if prepared[0] == "done":
            tally.append(report(*prepared[1], time.monotonic() - t0))
        else:
            jobs.append(prepared)
    print(f"(built {len(runs)} tests in {time.monotonic() - start:.0f}s; "
          f"booting {len(jobs)})", flush=True)
    durations = load_durations()
    boot_all(jobs, durations, tally)
    os.makedirs(LOG_DIR, exist_ok=True)
    with open(DURATIONS, "w") as f:
        json.dump(durations, f, indent=0, sort_keys=True)
    passed, failed = tally.count(True), tally.count(False)
    print(f"({len(runs)} system tests in {time.monotonic() - start:.0f}s)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
