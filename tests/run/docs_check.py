#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks the claims in README.md and docs/ that a script can verify.

  paths     every repository path a document names exists: link targets
            (and their #anchors, against the target's headings) and
            `code` paths under the project's top-level folders (a * in
            one must match a file)
  errors    every quoted `tests/configs/...dts: MESSAGE` line is what
            bhcfg prints for that description (refused, with exactly
            that line), and every CFG_E_ code named is one bhcfg has
  figures   every number in a README sentence that links docs/performance.md
            appears in docs/performance.md
  blocks    a fenced block after `<!-- docs-check: same-as PATH -->` is
            PATH without its comments (`@NAME@` placeholders match
            anything); after `<!-- docs-check: same-as-output CMD -->` it
            is what CMD prints (a `\\` continued command line)

    docs_check.py [FILE.md...]     default: README.md and docs/**/*.md

Prints `PASS docs.<check>` or `FAIL docs.<check>` with one line per
problem, then "N passed, M failed"."""
import glob
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOP = ("arch", "core", "stage2", "vgic", "partitions", "boards", "configs",
       "tools", "tests", "payloads", "docs")
PATH_RE = re.compile(r"^(?:\./)?(?:%s)/[A-Za-z0-9_.*/@-]*[A-Za-z0-9_*]$" % "|".join(TOP))
FENCE_RE = re.compile(r"^\s*```")
LINK_RE = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
CODE_RE = re.compile(r"`([^`\n]+)`")
QUOTE_RE = re.compile(r"(tests/configs/[A-Za-z0-9_/.-]+\.dts): (.*\S)")
CODE_NAME_RE = re.compile(r"\bCFG_E_[A-Z0-9_]+\b")
MARK_RE = re.compile(r"^\s*<!--\s*docs-check:\s*(same-as|same-as-output)\s+(.+?)\s*-->\s*$")
# Codes that stand for any code in a format description.
PLACEHOLDER_CODES = {"CFG_E_CODE"}
NUM_RE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")


def rel(path):
    return os.path.relpath(path, ROOT)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def slug(heading):
    """GitHub's anchor for a heading."""
    s = heading.strip().lower()
    s = re.sub(r"[`*_]", "", s)
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def anchors(path):
    out, fenced = set(), False
    for line in read(path).splitlines():
        if FENCE_RE.match(line):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            out.add(slug(line.lstrip("#")))
    return out


def prose_and_code(text):
    """(line number, line, in a fenced block) for every line."""
    fenced = False
    for n, line in enumerate(text.splitlines(), 1):
        if FENCE_RE.match(line):
            fenced = not fenced
            continue
        yield n, line, fenced


# ---- paths ----

def path_exists(p):
    p = p[2:] if p.startswith("./") else p
    full = os.path.join(ROOT, p)
    if "*" in p:
        return bool(glob.glob(full))
    return os.path.exists(full)


def check_paths(doc):
    problems = []
    text = read(doc)
    for n, line, fenced in prose_and_code(text):
        where = f"{rel(doc)}:{n}"
        if not fenced:
            for target in LINK_RE.findall(line):
                if re.match(r"^[a-z]+:", target):
                    continue
                path, _, anchor = target.partition("#")
                full = os.path.normpath(os.path.join(os.path.dirname(doc), path)) if path else doc
                if not os.path.exists(full):
                    problems.append(f"{where}: link to {target}: no such file")
                elif anchor and full.endswith(".md") and anchor not in anchors(full):
                    problems.append(f"{where}: link to {target}: no heading #{anchor} in {rel(full)}")
        spans = CODE_RE.findall(line) if not fenced else [line]
        for span in spans:
            for word in span.split():
                word = word.strip("\"'(),;:.")
                if not PATH_RE.match(word) or "@" in word:
                    continue
                if not path_exists(word):
                    problems.append(f"{where}: {word}: no such file")
    return problems


# ---- errors ----

def bhcfg():
    tool = os.path.join(ROOT, "build", "tools", "bhcfg")
    subprocess.run(["make", "--no-print-directory", "-s", "build/tools/bhcfg"],
                   cwd=ROOT, capture_output=True)
    return tool


def known_codes():
    codes = set(CODE_NAME_RE.findall(read(os.path.join(ROOT, "core", "include", "hv",
                                                       "config_validate.h"))))
    for h in glob.glob(os.path.join(ROOT, "tools", "bhcfg", "*.h")):
        codes |= set(re.findall(r'"(CFG_E_[A-Z0-9_]+)"', read(h)))
    return codes


def check_errors(doc, tool, images, codes):
    problems = []
    for n, line, _ in prose_and_code(read(doc)):
        where = f"{rel(doc)}:{n}"
        for code in CODE_NAME_RE.findall(line):
            if code not in codes and code not in PLACEHOLDER_CODES:
                problems.append(f"{where}: {code} is not an error code of bhcfg")
        m = QUOTE_RE.search(line)
        if not m:
            continue
        dts, quoted = m.group(1), m.group(0).rstrip("`")
        full = os.path.join(ROOT, dts)
        if not os.path.isfile(full):
            problems.append(f"{where}: {dts}: no such file")
            continue
        board = "boards/qemu-virt/board.dts"
        head = read(full).splitlines()[:2]
        for h in head:
            b = re.match(r"^/\* board: (.*) \*/$", h)
            if b:
                board = b.group(1)
        res = subprocess.run([tool, "--board", board, "--system", dts, "-I", images,
                              "-I", "build/guests", "-I", "build/payloads"],
                             cwd=ROOT, capture_output=True, text=True)
        if res.returncode != 1:
            problems.append(f"{where}: bhcfg {dts}: exit status {res.returncode}, not 1")
        elif quoted not in res.stderr.splitlines():
            problems.append(f"{where}: bhcfg {dts} prints\n      {res.stderr.strip()}\n"
                            f"    not the quoted\n      {quoted}")
    return problems


# ---- figures ----

def check_figures(readme, perf):
    problems = []
    perf_numbers = set(NUM_RE.findall(read(perf)))
    text = read(readme)
    paragraphs = re.split(r"\n\s*\n", text)
    for para in paragraphs:
        flat = " ".join(para.split())
        for clause in re.split(r"(?<=\.)\s+(?=[A-Z`(\[])", flat):
            if "docs/performance.md" not in clause:
                continue
            plain = LINK_RE.sub(lambda m: "", clause)
            plain = re.sub(r"`[^`]*`", "", plain)
            for num in NUM_RE.findall(plain):
                if num not in perf_numbers:
                    problems.append(f"{rel(readme)}: figure {num} is not in {rel(perf)}: "
                                    f"\"...{clause[:160]}...\"")
    return problems


# ---- blocks ----

def strip_comments(path, text):
    if path.endswith((".dts", ".dtsi", ".c", ".h")):
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        text = re.sub(r"//[^\n]*", "", text)
        lines = text.splitlines()
    else:
        lines = [l for l in text.splitlines() if not l.lstrip().startswith("#")]
    return [" ".join(l.split()) for l in lines if l.strip()]


def next_block(lines, start):
    """The fenced block after line index start: (its lines, or None)."""
    i = start + 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines) or not FENCE_RE.match(lines[i]):
        return None
    body = []
    for l in lines[i + 1:]:
        if FENCE_RE.match(l):
            return body
        body.append(l)
    return None


def check_blocks(doc):
    problems = []
    lines = read(doc).splitlines()
    for i, line in enumerate(lines):
        m = MARK_RE.search(line)
        if not m:
            continue
        where = f"{rel(doc)}:{i + 1}"
        body = next_block(lines, i)
        if body is None:
            problems.append(f"{where}: no fenced block after the docs-check mark")
            continue
        kind, arg = m.groups()
        if kind == "same-as":
            src = os.path.join(ROOT, arg)
            if not os.path.isfile(src):
                problems.append(f"{where}: {arg}: no such file")
                continue
            want = strip_comments(arg, read(src))
            got = strip_comments(arg, "\n".join(body))
            pats = [re.compile("^" + ".+".join(re.escape(p) for p in re.split(r"@[A-Z_]+@", w)) + "$")
                    for w in want]
            if len(got) != len(want) or not all(p.match(g) for p, g in zip(pats, got)):
                diff = next(((w, g) for w, g, p in zip(want, got, pats) if not p.match(g)),
                            (f"{len(want)} lines", f"{len(got)} lines"))
                problems.append(f"{where}: the block is not {arg} (without comments): "
                                f"{arg} has\n      {diff[0]}\n    the block\n      {diff[1]}")
        else:
            res = subprocess.run(arg, shell=True, cwd=ROOT, capture_output=True, text=True)
            want = " ".join(res.stdout.split())
            got = " ".join(" ".join(body).replace("\\", " ").split())
            if res.returncode != 0 or want != got:
                problems.append(f"{where}: the block is not what `{arg}` prints:\n"
                                f"      {want}")
    return problems


def main(argv):
    docs = argv[1:] or [os.path.join(ROOT, "README.md")] + sorted(
        glob.glob(os.path.join(ROOT, "docs", "**", "*.md"), recursive=True))
    docs = [os.path.abspath(d) for d in docs]
    readme = os.path.join(ROOT, "README.md")
    perf = os.path.join(ROOT, "docs", "performance.md")
    tool = bhcfg()
    codes = known_codes()
    results = []
    with tempfile.TemporaryDirectory() as images:
        # The images tests/configs/bad/ descriptions name (as cfg_negative.sh).
        with open(os.path.join(images, "hello.bin"), "wb") as f:
            f.write(b"h" * 5000)
        results.append(("paths", [p for d in docs for p in check_paths(d)]))
        results.append(("errors", [p for d in docs for p in check_errors(d, tool, images, codes)]))
    if readme in docs:
        results.append(("figures", check_figures(readme, perf)))
    results.append(("blocks", [p for d in docs for p in check_blocks(d)]))
    passed = failed = 0
    for name, problems in results:
        if problems:
            failed += 1
            print(f"FAIL docs.{name}")
            for p in problems:
                print("  " + p)
        else:
            passed += 1
            print(f"PASS docs.{name}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
