#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make check: static analysis as a gate (docs/testing.md, "Static checks").

One PASS/FAIL line per check, the findings of a failed one below it, and
"N passed, M failed" at the end. Zero findings is the bar: a finding is
fixed in the code, or, if it is wrong, suppressed once with its reason
(tools/check/cppcheck-suppressions.txt, .clang-tidy, or a NOLINT comment
that says why).

  headers      every header of core/include, arch/arm64/include, vgic and
               tools/bhcfg compiles on its own
  conversion   the hypervisor of each board with -Wconversion
               -Wsign-conversion (GCC, both GIC versions)
  clang        the hypervisor and the guests parse under clang for aarch64
  clang-tidy   the hypervisor, bhcfg and the guests (.clang-tidy)
  cppcheck     the same

The hypervisor is analysed with HV_SELFTEST and HV_LOCK_WITNESS defined
(their #ifdef blocks only add code). Usage: check.py [NAME-SUBSTRING].
"""
import concurrent.futures
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BOARDS = ["qemu-virt", "qemu-virt-gicv2", "rpi4", "zcu102"]
JOBS = int(os.environ.get("CHECK_JOBS", "2"))
CROSS = os.environ.get("CROSS", "aarch64-linux-gnu-")
HOSTCC = os.environ.get("HOSTCC", "cc")
HV_DEFS = ["-DHV_SELFTEST", "-DHV_LOCK_WITNESS"]
HV_INC = ["-Icore/include", "-Iarch/arm64/include"]
SUPPRESSIONS = "tools/check/cppcheck-suppressions.txt"


def make_print(var, board="qemu-virt"):
    out = subprocess.run(["make", "-s", "--no-print-directory", f"print-{var}",
                          f"BOARD={board}", "SELFTEST=1", "LOCK_WITNESS=1"],
                         cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return out.split()


def run(cmd):
    """(ok, output) of one command run in the repository root."""
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    return p.returncode == 0, (p.stdout + p.stderr).strip()


def run_all(cmds):
    """Run commands JOBS at a time: (failures, output of the failures)."""
    bad = []
    with concurrent.futures.ThreadPoolExecutor(JOBS) as ex:
        for ok, out in ex.map(run, cmds):
            if not ok:
                bad.append(out)
    return len(bad), "\n".join(bad)


class Tree:
    """What the Makefile builds, asked through its print-* targets."""

    def __init__(self):
        self.tcflags = [f for f in make_print("target-cflags") if f != "-O2"]
        self.board_srcs = {b: make_print("hv-srcs", b) for b in BOARDS}
        seen = []
        for b in BOARDS:
            seen += [s for s in self.board_srcs[b] if s not in seen]
        self.hv_srcs = seen
        self.bhcfg_srcs = make_print("bhcfg-srcs")
        self.guest_srcs = sorted(
            f"tests/guests/{f}" for f in os.listdir(os.path.join(ROOT, "tests/guests"))
            if f.endswith(".c")) + sorted(
            f"tests/guests/lib/{f}" for f in os.listdir(os.path.join(ROOT, "tests/guests/lib"))
            if f.endswith(".c"))
        self.keel_srcs = sorted(
            f"payloads/keel/{f}" for f in os.listdir(os.path.join(ROOT, "payloads/keel"))
            if f.endswith(".c"))
        gcc_inc = subprocess.run([CROSS + "gcc", "-print-file-name=include"],
                                 capture_output=True, text=True).stdout.strip()
        # clang for the same target: the GCC flags it does not know dropped.
        self.clang_flags = ["--target=aarch64-none-elf", "-std=gnu11",
                            "-ffreestanding", "-nostdinc", "-isystem", gcc_inc,
                            "-fno-common", "-march=armv8-a",
                            "-mgeneral-regs-only"]


def headers(tree, group):
    """Each header of a folder compiles alone (included first, twice)."""
    d, cc, flags = group
    names = sorted(f for f in os.listdir(os.path.join(ROOT, d)) if f.endswith(".h"))
    with tempfile.TemporaryDirectory(prefix="check-hdr-") as tmp:
        cmds = []
        for n in names:
            src = os.path.join(tmp, n + ".c")
            with open(src, "w") as f:
                f.write(f'#include "{os.path.join(ROOT, d, n)}"\n' * 2)
            cmds.append(cc + flags + ["-fsyntax-only", src])
        nbad, out = run_all(cmds)
    return nbad, out.replace(tmp + "/", ""), f"{len(names)} headers"


def conversion(tree, board):
    srcs = tree.board_srcs[board]
    cmds = [[CROSS + "gcc"] + tree.tcflags + HV_INC + HV_DEFS +
            ["-Wconversion", "-Wsign-conversion", "-fsyntax-only", s]
            for s in srcs]
    nbad, out = run_all(cmds)
    return nbad, out, f"{len(srcs)} files"


CLANG_WARN = ["-Werror", "-Wall", "-Wextra", "-Wstrict-prototypes",
              "-Wmissing-prototypes", "-Wshadow", "-Wvla", "-Wundef",
              "-Wconversion", "-Wsign-conversion"]


def clang(tree, what):
    if what == "hypervisor":
        cmds = [["clang"] + tree.clang_flags + CLANG_WARN + HV_INC + HV_DEFS +
                ["-fsyntax-only", s] for s in tree.hv_srcs]
    else:
        cmds = [["clang"] + tree.clang_flags + ["-Werror", "-Wall", "-Wextra",
                                                "-Itests/guests/lib",
                                                "-fsyntax-only", s]
                for s in tree.guest_srcs]
        cmds += [["clang"] + tree.clang_flags + ["-Werror", "-Wall", "-Wextra",
                                                 "-Ipayloads/keel",
                                                 "-fsyntax-only", s]
                 for s in tree.keel_srcs]
    nbad, out = run_all(cmds)
    return nbad, out, f"{len(cmds)} files"


def tidy_cmds(tree, what):
    base = ["clang-tidy", "--quiet"]
    if what == "hypervisor":
        return [base + [s, "--"] + tree.clang_flags + HV_INC + HV_DEFS
                for s in tree.hv_srcs]
    if what == "bhcfg":
        return [base + [s, "--", "-std=gnu11", "-Icore/include",
                        "-Iarch/arm64/include", "-Itools/bhcfg"]
                for s in tree.bhcfg_srcs]
    return ([base + [s, "--"] + tree.clang_flags + ["-Itests/guests/lib"]
             for s in tree.guest_srcs] +
            [base + [s, "--"] + tree.clang_flags + ["-Ipayloads/keel"]
             for s in tree.keel_srcs])


def clang_tidy(tree, what):
    cmds = tidy_cmds(tree, what)
    nbad, out = run_all(cmds)
    # clang-tidy counts the warnings it hid in system headers; keep only
    # what names a file and a line.
    out = "\n".join(l for l in out.splitlines()
                    if "warnings generated" not in l and
                    "Suppressed" not in l and "Use -header-filter" not in l and
                    "-system-headers" not in l)
    return nbad, out, f"{len(cmds)} files"


def cppcheck(tree, what):
    if what == "hypervisor":
        srcs, flags = tree.hv_srcs, HV_INC + HV_DEFS + ["-D__aarch64__"]
    elif what == "bhcfg":
        srcs, flags = tree.bhcfg_srcs, ["-Icore/include", "-Iarch/arm64/include",
                                        "-Itools/bhcfg"]
    else:
        srcs = tree.guest_srcs + tree.keel_srcs
        flags = ["-Itests/guests/lib", "-Ipayloads/keel", "-D__aarch64__"]
    cmd = ["cppcheck", "-q", "--std=c11", "--platform=unix64",
           "--enable=warning,portability,performance", "--inline-suppr",
           f"--suppressions-list={SUPPRESSIONS}", "--error-exitcode=1",
           "-D__GNUC__", f"-j{JOBS}",
           "--template={file}:{line}: {severity} [{id}] {message}"] + flags + srcs
    ok, out = run(cmd)
    nbad = 0 if ok and not out else max(1, len(out.splitlines()))
    return nbad, out, f"{len(srcs)} files"


def checks(tree):
    host = ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-Icore/include",
            "-Iarch/arm64/include", "-Itools/bhcfg"]
    target = tree.tcflags + HV_INC + HV_DEFS + ["-Ivgic"]
    groups = [("core/include/hv", [CROSS + "gcc"], target),
              ("arch/arm64/include/arch", [CROSS + "gcc"], target),
              ("vgic", [CROSS + "gcc"], target),
              ("tools/bhcfg", [HOSTCC], host)]
    out = [(f"headers {g[0]}", headers, g) for g in groups]
    out += [(f"conversion {b}", conversion, b) for b in BOARDS]
    out += [(f"clang aarch64 {w}", clang, w) for w in ("hypervisor", "guests")]
    out += [(f"clang-tidy {w}", clang_tidy, w)
            for w in ("hypervisor", "bhcfg", "guests")]
    out += [(f"cppcheck {w}", cppcheck, w)
            for w in ("hypervisor", "bhcfg", "guests")]
    return out


def main():
    only = sys.argv[1] if len(sys.argv) > 1 else ""
    os.makedirs(os.path.join(ROOT, "build"), exist_ok=True)
    tree = Tree()
    passed = failed = 0
    for name, fn, arg in checks(tree):
        if only not in name:
            continue
        nbad, out, what = fn(tree, arg)
        if nbad == 0:
            print(f"PASS check.{name.replace(' ', '.')} ({what})", flush=True)
            passed += 1
        else:
            print(f"FAIL check.{name.replace(' ', '.')} ({what}, {nbad} failing)",
                  flush=True)
            for line in out.splitlines()[:200]:
                print(f"    {line}")
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
