#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
r"""The console as a user at a terminal sees it: `make run` in tmux.

Starts `make -s run` (the demo: Linux with the keyboard, Keel beside it)
in a detached tmux session, a real terminal that answers cursor queries,
records every byte the session prints (tmux pipe-pane), and types:

  - before any key: make run's first line names Ctrl-] q, and the shell
    prompt "bulkhead-linux# " shows without Enter (the partition with the
    keyboard is sent byte by byte, core/log.c);
  - its bytes reach the terminal as sent: busybox's cursor query ESC[6n
    arrives as an escape, not as ".[6n";
  - typed characters are echoed before Enter; line editing (type,
    backspace, retype) gives the right command;
  - Ctrl-C interrupts a running `sleep 100` and the shell returns (status
    130): QEMU passes Ctrl-C to the guest (-serial mon:stdio);
  - Ctrl-] s at the prompt prints the counters on lines of their own;
  - Ctrl-] q powers the machine off: QEMU exits with status 0.

Prints PASS/FAIL lines and "N passed, M failed". The log (every byte the
terminal got) is build/test-logs/console_tty.log."""
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOG = os.path.join(ROOT, "build", "test-logs", "console_tty.log")
SESSION = f"bhtty{os.getpid()}"
BOOT_TIMEOUT = 400  # seconds to the shell prompt, real time on a loaded host
STEP_TIMEOUT = 60


def tmux(*args, check=True):
    return subprocess.run(["tmux", *args], capture_output=True, text=True,
                          check=check)


def screen():
    """The visible pane plus its history, as text."""
    return tmux("capture-pane", "-p", "-J", "-S", "-2000", "-t", SESSION,
                check=False).stdout


def raw():
    with open(LOG, "rb") as f:
        return f.read()


def typed():
    """The terminal's bytes with other partitions' lines (and the line
    breaks and tags that make room for them) taken out: what the shell
    echoed, as one stream."""
    data = re.sub(rb"\r\n(\[(keel|bulkhead)\] [^\r\n]*\r\n)+", b"", raw())
    return data.replace(b"[linux] ", b"")


def wait_for(what, pattern, timeout, source=screen):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = source()
        if isinstance(text, bytes):
            if re.search(pattern, text):
                return True
        elif re.search(pattern, text, re.M):
            return True
        if tmux("has-session", "-t", SESSION, check=False).returncode != 0:
            return False
        time.sleep(0.5)
    print(f"  timed out after {timeout}s waiting for {what}")
    return False


def keys(*k):
    tmux("send-keys", "-t", SESSION, *k, check=False)


def literal(text):
    tmux("send-keys", "-t", SESSION, "-l", text, check=False)


def run():
    results = []

    def result(name, ok, why=""):
        results.append(ok)
        print(f"{'PASS' if ok else 'FAIL'} console_tty.{name}"
              + ("" if ok or not why else f": {why}"), flush=True)
        return ok

    if shutil.which("tmux") is None:
        result("tmux", False, "tmux is not installed (tools/setup.sh installs it)")
        return results
    # Build first, outside the terminal, so its output is not on screen.
    build = subprocess.run(["make", "--no-print-directory", "-s", "build/demo-disk.img",
                            subprocess.run(["make", "-s", "print-image"], cwd=ROOT,
                                           capture_output=True, text=True)
                            .stdout.strip()],
                           cwd=ROOT, capture_output=True, text=True)
    if not result("build", build.returncode == 0, build.stderr[-400:]):
        return results
    os.makedirs(os.path.dirname(LOG), exist_ok=True)
    open(LOG, "wb").close()
    # The pane's command ends by printing make's status, which stays on
    # screen (remain-on-exit).
    tmux("new-session", "-d", "-s", SESSION, "-x", "160", "-y", "50",
         f"cd {ROOT} && make -s run; echo make-run-status=$?; sleep 600")
    try:
        tmux("pipe-pane", "-t", SESSION, "-o", f"cat >> {LOG}")
        ok = wait_for("the keys line", r"Ctrl-\] q quits", 60)
        first = screen().strip().splitlines()[:1]
        result("first_line_names_quit_key",
               ok and bool(first) and "Ctrl-] q quits" in first[0]
               and "Ctrl-C goes to the partition" in first[0], repr(first))
        ok = wait_for("the shell prompt, no key pressed", r"^\[linux\] bulkhead-linux# ",
                      BOOT_TIMEOUT)
        if not result("prompt_before_enter", ok):
            return results
        # busybox asks where the cursor is as it prints each prompt.
        data = raw()
        result("cursor_query_is_an_escape",
               b"\x1b[6n" in data and b".[6n" not in data,
               "no ESC[6n in the output" if b"\x1b[6n" not in data else "'.[6n' seen")
        # Echo before Enter, then edit: "abd", backspace, "c".
        literal("echo ab")
        literal("d")
        ok = wait_for("the echo of typed characters", rb"bulkhead-linux# (\x1b\[6n)?echo abd$",
                      STEP_TIMEOUT, typed)
        result("typed_characters_echoed", ok)
        keys("BSpace")
        literal("c-ok")
        keys("Enter")
        ok = wait_for("the edited command's output", r"^\[linux\] abc-ok$", STEP_TIMEOUT)
        result("line_editing", ok and not re.search(r"^\[linux\] abd", screen(), re.M))
        # Ctrl-C stops a running command; the shell answers again.
        literal("sleep 100")
        keys("Enter")
        time.sleep(3)
        keys("C-c")
        ok = wait_for("the prompt after Ctrl-C", r"\^C", STEP_TIMEOUT)
        literal("echo status=$?")
        keys("Enter")
        ok = ok and wait_for("the status of the interrupted sleep", r"^\[linux\] status=130$",
                             STEP_TIMEOUT)
        result("ctrl_c_interrupts_command", ok)
        alive = tmux("has-session", "-t", SESSION, check=False).returncode == 0
        result("qemu_alive_after_ctrl_c", alive and "make-run-status=" not in screen())
        # Ctrl-] s at the prompt: the counters start on a line of their
        # own (a hypervisor line breaks the focused partition's line).
        keys("C-]")
        literal("s")
        ok = wait_for("the counters", r"^\[bulkhead\] stats hypervisor: table pages",
                      STEP_TIMEOUT)
        result("stats_on_a_fresh_line",
               ok and re.search(r"^\[bulkhead\] stats linux: running", screen(), re.M))
        # Ctrl-] q: the hypervisor powers the machine off.
        keys("C-]")
        literal("q")
        ok = wait_for("make run to end", r"make-run-status=\d+", STEP_TIMEOUT)
        m = re.search(r"make-run-status=(\d+)", screen())
        result("ctrl_bracket_q_powers_off",
               ok and m is not None and m.group(1) == "0"
               and "console: Ctrl-] q: powering off" in screen(),
               m.group(0) if m else "QEMU still running")
    finally:
        tmux("kill-session", "-t", SESSION, check=False)
    return results


def main():
    results = run()
    passed = sum(1 for r in results if r)
    failed = len(results) - passed
    if failed:
        print(f"  terminal log: {LOG}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
