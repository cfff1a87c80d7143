#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
r"""Self-test of the system-test runner (tests/run/systest.py).

Every verdict of `make test`'s QEMU suite goes through the runner's
matching and scheduling, so a runner bug would pass broken code. These
cases drive the runner with small fake "QEMU" programs (Python one-liners
that print console lines, echo input or sleep) and with fake boots, and
check each rule the .test format promises:

  expect      in order; one seen out of order is missing
  input       typed only after the expects before it matched, a whole
              second later under -icount sleep=off
  contains    anywhere, in any order
  forbid      a failure, and the run stops reading at that line
  quiet-after lines after the last expect are checked, not before
  settle      the run ends settle seconds after the last expect
  repeat      counts an expect that many times
  alone       a test marked alone never overlaps another boot
  parse       unknown keys and misplaced repeats are refused

Output: `PASS runner.<case>` / `FAIL runner.<case>: <why>` and a final
`N passed, M failed` line (make test adds it up). Takes about 5 s.
"""
import io
import os
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import systest  # noqa: E402


def spec_of(text):
    """A spec parsed from .test text (written to a temporary file)."""
    with tempfile.NamedTemporaryFile("w", suffix=".test", delete=False) as f:
        f.write("config: none.dts\n" + text)
        path = f.name
    try:
        return systest.parse(path)
    finally:
        os.unlink(path)


def fake(program):
    """A command that runs a Python program as the console."""
    return [sys.executable, "-u", "-c", program]


def boot(text, program):
    """Run a spec against a fake console; (lines, errors)."""
    spec = spec_of(text)
    lines, missing = systest.run_qemu(spec, fake(program), io.StringIO())
    return lines, systest.check(spec, lines, missing)


PRINT = "import sys,time\nfor l in {lines!r}: print(l)\nsys.stdout.flush()\ntime.sleep({hold})\n"


def printer(lines, hold=0.0):
    return PRINT.format(lines=lines, hold=hold)


def case_expect_in_order():
    _, errs = boot("expect: ^one$\nexpect: ^two$\n", printer(["one", "two"]))
    assert errs == [], errs
    _, errs = boot("expect: ^one$\nexpect: ^two$\n", printer(["two", "one"]))
    assert any("expected line not seen" in e and "two" in e for e in errs), errs


def case_expect_whole_output_missing():
    _, errs = boot("expect: ^never$\n", printer(["something else"]))
    assert any("^never$" in e for e in errs), errs


def case_repeat_counts():
    _, errs = boot("repeat: 3\nexpect: ^tick$\n", printer(["tick"] * 3))
    assert errs == [], errs
    _, errs = boot("repeat: 3\nexpect: ^tick$\n", printer(["tick"] * 2))
    assert any("expected line not seen" in e for e in errs), errs


def case_contains_any_order():
    text = "expect: ^end$\ncontains: ^early$\n"
    _, errs = boot(text, printer(["early", "end"]))
    assert errs == [], errs
    _, errs = boot(text, printer(["end"]))
    assert any("expected somewhere: ^early$" in e for e in errs), errs


def case_forbid_fails_and_stops():
    # The forbidden line and a later one arrive together: the runner must
    # stop reading at the forbidden one, and fail.
    lines, errs = boot("expect: ^end$\nforbid: BAD\n",
                       "import sys\nsys.stdout.write('ok\\nBAD thing\\nafter\\nend\\n')\n"
                       "sys.stdout.flush()\n")
    assert any(e.startswith("forbidden line: BAD") for e in errs), errs
    assert "after" not in lines, lines
    assert "<<<stopped at a forbidden line>>>" in lines, lines


def case_forbid_quiet_run_passes():
    _, errs = boot("expect: ^end$\nforbid: BAD\n", printer(["ok", "end"]))
    assert errs == [], errs


def case_input_after_expect():
    # The fake console echoes what it is sent, after it printed "prompt".
    echo = ("import sys,time\nprint('prompt', flush=True)\n"
            "line = sys.stdin.readline()\nprint('got ' + line.strip(), flush=True)\n"
            "time.sleep(5)\n")
    lines, errs = boot("expect: ^prompt$\ninput: hello\\n\nexpect: ^got hello$\n", echo)
    assert errs == [], (errs, lines)
    # An input whose expect never matches is never typed.
    lines, errs = boot("expect: ^nope$\ninput: hello\\n\n",
                       "import sys,select\nprint('up', flush=True)\n"
                       "r,_,_ = select.select([sys.stdin],[],[],1.5)\n"
                       "print('typed' if r else 'silent', flush=True)\n")
    assert "silent" in lines and "typed" not in lines, lines
    assert any("input never sent" in e for e in errs), errs


def case_input_waits_under_sleep_off():
    # The fake console prints when it printed the prompt and when the
    # input came: under sleep=off the runner must wait about 1 s, so that
    # a test racing a guest deadline fails on every run (systest.py).
    echo = ("import sys,time\nt0 = time.monotonic()\nprint('prompt', flush=True)\n"
            "sys.stdin.readline()\n"
            "print('after %.2f' % (time.monotonic() - t0), flush=True)\ntime.sleep(5)\n")
    for qemu, low, high in (("qemu: -icount shift=0,align=off,sleep=off\n", 0.9, 3.0),
                            ("", 0.0, 0.9)):
        lines, errs = boot(qemu + "expect: ^prompt$\ninput: x\\n\nexpect: ^after \n", echo)
        assert errs == [], (errs, lines)
        took = float([l for l in lines if l.startswith("after ")][0].split()[1])
        assert low <= took < high, f"{qemu.strip() or 'real time'}: input after {took:.2f} s"


def case_quiet_after():
    text = "expect: ^end$\nquiet-after: ^noise$\nsettle: 1\n"
    _, errs = boot(text, printer(["noise", "end"], hold=0.1))
    assert errs == [], errs
    _, errs = boot(text, printer(["end", "noise"], hold=0.1))
    assert any("line after the end point: noise" in e for e in errs), errs


def case_settle_ends_run():
    # A console that would run for 30 s: the run must end about settle
    # seconds after the last expect, well before the timeout, with the
    # lines printed during the settle time read.
    prog = ("import time\nprint('end', flush=True)\ntime.sleep(0.2)\n"
            "print('late', flush=True)\ntime.sleep(30)\n")
    t0 = time.monotonic()
    lines, errs = boot("timeout: 60\nexpect: ^end$\nsettle: 1\n", prog)
    took = time.monotonic() - t0
    assert errs == [], errs
    assert "late" in lines, lines
    assert took < 20, f"run took {took:.1f}s"


def case_timeout_reports_missing():
    t0 = time.monotonic()
    _, errs = boot("timeout: 1\nexpect: ^never$\n", "import time\ntime.sleep(30)\n")
    assert any("^never$" in e for e in errs), errs
    assert time.monotonic() - t0 < 20


def case_alone_never_overlaps():
    # Fake boots that record when they run; the alone one must overlap
    # no other, and the others must run two at a time.
    spans, lock = {}, threading.Lock()

    def fake_boot(spec, cmd, log_path):
        t0 = time.monotonic()
        time.sleep(0.3)
        with lock:
            spans[spec["name"]] = (t0, time.monotonic())
        return spec["name"], [], log_path

    def job(name, alone):
        spec = spec_of("alone: yes\n" if alone else "")
        spec["name"] = name
        return ("boot", spec, [], os.devnull)

    jobs = [job("a", False), job("b", False), job("solo", True), job("c", False),
            job("d", False)]
    saved_boot, saved_report = systest.boot, systest.report
    saved_jobs = os.environ.get("JOBS")
    systest.boot = fake_boot
    systest.report = lambda name, errors, log_path, took: not errors
    os.environ["JOBS"] = "2"
    try:
        tally = []
        systest.boot_all(jobs, {}, tally)
    finally:
        systest.boot, systest.report = saved_boot, saved_report
        if saved_jobs is None:
            del os.environ["JOBS"]
        else:
            os.environ["JOBS"] = saved_jobs
    assert tally == [True] * 5, tally
    s0, s1 = spans["solo"]
    for name, (t0, t1) in spans.items():
        if name != "solo":
            assert t1 <= s0 or t0 >= s1, f"{name} overlapped the alone test"
    overlapping = sum(1 for n, (t0, t1) in spans.items()
                      for m, (u0, u1) in spans.items()
                      if n < m and "solo" not in (n, m) and t0 < u1 and u0 < t1)
    assert overlapping > 0, "JOBS=2 ran nothing side by side"


def case_parse_refuses():
    for text, why in (("bogus: 1\n", "unknown line"),
                      ("repeat: 2\ncontains: x\n", "repeat applies"),
                      ("alone: maybe\n", "alone"),
                      ("boot: floppy\n", "unknown boot")):
        try:
            spec_of(text)
        except SystemExit as e:
            assert why in str(e), (text, str(e))
        else:
            raise AssertionError(f"accepted {text!r}")


def main():
    cases = [(n[5:], f) for n, f in sorted(globals().items())
             if n.startswith("case_") and callable(f)]
    passed = failed = 0
    for name, fn in cases:
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - every failure is reported
            failed += 1
            print(f"FAIL runner.{name}: {e!r}", flush=True)
        else:
            passed += 1
            print(f"PASS runner.{name}", flush=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
