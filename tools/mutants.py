#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
r"""Mutation harness: break the hypervisor on purpose, one way at a time,
and check that the tests named for each break catch it.

    python3 tools/mutants.py [--list FILE] [ID ...]     (make mutants)

The list (tests/mutants/mutants.txt by default) holds blocks like:

    mutant M1 stage 2 maps one page below the partition's RAM
    file stage2/stage2.c
    - <a line of the file, exactly, tabs included>
    + <what replaces it>
    test host stage2
    test sys attack_suite@qemu-virt$

`-` lines (one or more, consecutive) must occur exactly once in the file,
and the `+` lines replace them; a mutant may edit several files or places
(more `file`, `-`, `+` groups). `test host PART` runs the host unit tests
whose name contains PART (build/tests/host_tests PART); `test sys NAME`
runs tests/run/systest.py NAME; `test fuzz TARGET` runs that libFuzzer
target over its seeds and 20000 mutations of them (seed 1, so the run is
the same each time; tests/run/fuzz_run.sh smoke does 2000 for all);
`test cmd SHELL` runs a shell command. A mutant is killed when one of its
tests fails; they run in order and stop at the first failure.

Everything happens in a scratch copy of the tree, build/mutants/tree (the
files git knows, tracked or not ignored, copied afresh at each run; its own
build/ is kept between runs so builds are incremental): the real tree is
never edited. Each mutant is applied there, its tests run, and the file is
put back. The first step checks the scratch copy builds and that every
mutant's tests pass unmutated.

A mutant that does not apply (its `-` lines not found exactly once) or
whose mutated tree does not compile is an error, not a kill. Prints a table
of killed and surviving mutants and exits 1 if any survived or erred.
Logs: build/mutants/logs/ID.log.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "build", "mutants")
TREE = os.path.join(WORK, "tree")
LOGS = os.path.join(WORK, "logs")
# Shared, read-only inputs the tests need that make does not rebuild.
SHARED_BUILD = ["linux", "rpi4"]


class Mutant:
    def __init__(self, mid, title, where):
        self.id, self.title, self.where = mid, title, where
        self.edits = []  # [file, old lines, new lines]
        self.tests = []  # (kind, argument)


def parse(path):
    mutants, cur, group = [], None, None
    with open(path) as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            where = f"{os.path.relpath(path, ROOT)}:{lineno}"
            if line.startswith(("- ", "+ ")) or line in ("-", "+"):
                if cur is None or not cur.edits:
                    raise SystemExit(f"{where}: edit line before a file line")
                edit = cur.edits[-1]
                if line[0] == "-":
                    if edit[2]:
                        # A new place in the same file.
                        cur.edits.append([edit[0], [], []])
                        edit = cur.edits[-1]
                    edit[1].append(line[2:])
                else:
                    edit[2].append(line[2:])
                continue
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            key, _, val = line.partition(" ")
            if key == "mutant":
                mid, _, title = val.partition(" ")
                cur = Mutant(mid, title.strip(), where)
                mutants.append(cur)
            elif cur is None:
                raise SystemExit(f"{where}: {key} before the first mutant")
            elif key == "file":
                cur.edits.append([val.strip(), [], []])
            elif key == "test":
                kind, _, arg = val.partition(" ")
                if kind not in ("host", "sys", "fuzz", "cmd"):
                    raise SystemExit(f"{where}: unknown test kind {kind}")
                cur.tests.append((kind, arg.strip()))
            else:
                raise SystemExit(f"{where}: unknown line: {line}")
    ids = [m.id for m in mutants]
    for m in mutants:
        if ids.count(m.id) > 1:
            raise SystemExit(f"{m.where}: mutant {m.id} listed twice")
        if not m.edits or any(not e[1] for e in m.edits):
            raise SystemExit(f"{m.where}: mutant {m.id} has no - lines")
        if not m.tests:
            raise SystemExit(f"{m.where}: mutant {m.id} names no test")
    return mutants


def same_file(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


def copy_tree():
    """The files git knows (tracked, or untracked and not ignored), as
    they are in the working tree, into TREE; TREE/build is kept."""
    out = subprocess.run(["git", "ls-files", "-z", "-c", "-o",
                          "--exclude-standard"], cwd=ROOT, check=True,
                         stdout=subprocess.PIPE).stdout
    files = [f for f in out.decode().split("\0") if f]
    os.makedirs(TREE, exist_ok=True)
    keep = set(files)
    for dirpath, dirnames, filenames in os.walk(TREE):
        rel = os.path.relpath(dirpath, TREE)
        if rel == ".":
            dirnames[:] = [d for d in dirnames if d != "build"]
        for name in filenames:
            f = os.path.normpath(os.path.join(rel, name))
            if f not in keep:
                os.remove(os.path.join(dirpath, name))  # gone from the tree
    for f in files:
        src = os.path.join(ROOT, f)
        if not os.path.isfile(src):
            continue  # deleted in the working tree
        dst = os.path.join(TREE, f)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        # Only what differs, with a new time stamp: an unchanged file
        # keeps its objects, a changed one (or one an interrupted run left
        # mutated) is rebuilt. Copying old time stamps over would let
        # objects built from a mutant pass for up to date.
        if not os.path.isfile(dst) or not same_file(src, dst):
            shutil.copy(src, dst)
    os.makedirs(os.path.join(TREE, "build"), exist_ok=True)
    for d in SHARED_BUILD:
        src, dst = os.path.join(ROOT, "build", d), os.path.join(TREE, "build", d)
        if os.path.isdir(src) and not os.path.lexists(dst):
            os.symlink(src, dst)


def run(cmd, log, timeout=900):
    log.write(f"$ {cmd}\n")
    log.flush()
    try:
        p = subprocess.run(cmd, shell=True, cwd=TREE, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=timeout,
                           errors="replace")
    except subprocess.TimeoutExpired as e:
        log.write(f"(timed out after {timeout}s)\n")
        return 124, str(e.output or "")
    log.write(p.stdout)
    log.write(f"(exit {p.returncode})\n")
    log.flush()
    return p.returncode, p.stdout


def test_cmd(kind, arg):
    if kind == "host":
        return (f"make -s --no-print-directory build/tests/host_tests && "
                f"build/tests/host_tests {arg}")
    if kind == "sys":
        return f"python3 tests/run/systest.py '{arg}'"
    if kind == "fuzz":
        return (f"make -s --no-print-directory build/fuzz/{arg} && "
                f"build/fuzz/{arg} -seed=1 -runs=20000 "
                f"-artifact_prefix=build/fuzz/ tests/fuzz/seeds/{arg}")
    return arg


# A compiler error in the output: the mutant is broken, not killed.
COMPILE_ERROR = re.compile(r"^[^\s:]+\.[chS]:\d+:(\d+:)? (fatal )?error:", re.M)


# The host and system test runners' last line when the name matched none.
NO_TEST = re.compile(r"^0 passed, 0 failed$", re.M)


def run_tests(m, log):
    """(verdict, detail): killed by the first failing test, or survived."""
    for kind, arg in m.tests:
        start = time.monotonic()
        rc, out = run(test_cmd(kind, arg), log)
        took = time.monotonic() - start
        if COMPILE_ERROR.search(out):
            return "ERROR", f"does not compile ({kind} {arg})"
        if NO_TEST.search(out):
            return "ERROR", f"{kind} {arg} names no test"
        if rc != 0:
            return "killed", f"{kind} {arg} ({took:.0f}s)"
    return "SURVIVED", "every test passed"


def apply(m, base=TREE, write=True):
    """Apply @m in @base (TREE); returns the originals to restore, or an
    error. With @write false, only check that it applies."""
    saved = {}
    for fname, old, new in m.edits:
        path = os.path.join(base, fname)
        if not os.path.isfile(path):
            return saved, f"{fname}: no such file"
        if fname not in saved:
            with open(path) as f:
                saved[fname] = f.read()
        with open(path) as f:
            text = f.read()
        o, n = "\n".join(old) + "\n", "\n".join(new) + ("\n" if new else "")
        if text.count(o) != 1:
            return saved, (f"{fname}: the - lines occur {text.count(o)} "
                           f"times, not once")
        if write:
            with open(path, "w") as f:
                f.write(text.replace(o, n))
    return (saved if write else {}), None


def build_dirs():
    """The build folders of the copy (build/<board>/<config>), not those
    under the shared, symlinked inputs."""
    out = set()
    top = os.path.join(TREE, "build")
    for board in os.listdir(top) if os.path.isdir(top) else []:
        p = os.path.join(top, board)
        if os.path.isdir(p) and not os.path.islink(p):
            out |= {os.path.join(p, c) for c in os.listdir(p)}
    return out


def restore(saved):
    for fname, text in saved.items():
        with open(os.path.join(TREE, fname), "w") as f:
            f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--list", default=os.path.join(ROOT, "tests", "mutants",
                                                   "mutants.txt"))
    ap.add_argument("--no-baseline", action="store_true",
                    help="skip the run of every named test on the unmutated tree")
    ap.add_argument("--dry", action="store_true",
                    help="only check that every mutant applies")
    ap.add_argument("ids", nargs="*", help="only these mutants (M1 M6 ...)")
    args = ap.parse_args()
    mutants = parse(args.list)
    if args.ids:
        unknown = set(args.ids) - {m.id for m in mutants}
        if unknown:
            raise SystemExit(f"no such mutant: {' '.join(sorted(unknown))}")
        mutants = [m for m in mutants if m.id in args.ids]
    start = time.monotonic()
    if args.dry:
        errors = 0
        for m in mutants:
            _, err = apply(m, ROOT, write=False)
            errors += err is not None
            print(f"{m.id:4} {'ERROR: ' + err if err else 'applies'}")
        return 1 if errors else 0
    copy_tree()
    os.makedirs(LOGS, exist_ok=True)
    # Baseline: each named test passes on the unmutated copy (else a kill
    # would mean nothing).
    if not args.no_baseline:
        tests = []
        for m in mutants:
            tests += [t for t in m.tests if t not in tests]
        with open(os.path.join(LOGS, "baseline.log"), "w") as log:
            for kind, arg in tests:
                t0 = time.monotonic()
                rc, out = run(test_cmd(kind, arg), log)
                if NO_TEST.search(out):
                    print(f"{kind} {arg} names no test")
                    return 1
                print(f"baseline {kind} {arg}: {'pass' if rc == 0 else 'FAIL'} "
                      f"({time.monotonic() - t0:.0f}s)", flush=True)
                if rc != 0:
                    print(f"the unmutated tree fails {kind} {arg}: see "
                          f"{os.path.relpath(log.name, ROOT)}")
                    return 1
    rows = []
    for m in mutants:
        t0 = time.monotonic()
        before = build_dirs()
        with open(os.path.join(LOGS, f"{m.id}.log"), "w") as log:
            saved, err = apply(m)
            try:
                if err:
                    verdict, detail = "ERROR", err
                else:
                    verdict, detail = run_tests(m, log)
            finally:
                restore(saved)
                # A build the mutant let through (a description that must
                # be refused) must not be left for the next run to find.
                for d in build_dirs() - before:
                    shutil.rmtree(d, ignore_errors=True)
        took = time.monotonic() - t0
        rows.append((m, verdict, detail, took))
        print(f"{m.id:4} {verdict:8} {took:5.0f}s  {m.title}: {detail}",
              flush=True)
    # Leave the copy's objects built from the unmutated sources.
    print()
    print(f"| mutant | what | verdict | by | time |")
    print(f"|---|---|---|---|---|")
    for m, verdict, detail, took in rows:
        print(f"| {m.id} | {m.title} | {verdict} | {detail} | {took:.0f} s |")
    bad = [r for r in rows if r[1] != "killed"]
    total = time.monotonic() - start
    print(f"\n{len(rows) - len(bad)} killed, "
          f"{sum(r[1] == 'SURVIVED' for r in rows)} survived, "
          f"{sum(r[1] == 'ERROR' for r in rows)} errors, in {total:.0f} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
