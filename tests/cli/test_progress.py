#!/usr/bin/env python3
"""Progress on stderr: shown on a terminal once a run takes longer than the
delay (REDISLINT_PROGRESS_DELAY_MS, default 1000), never in a pipe, a CI log
or a dumb terminal, and the line is cleared before the report.

Usage: test_progress.py path/to/redislint
A pseudo-terminal (pty) stands in for the user's terminal."""
import os
import pty
import subprocess
import sys
import tempfile

BIN = os.path.abspath(sys.argv[1])
checks = fails = 0


def check(desc, ok):
    global checks, fails
    checks += 1
    if not ok:
        fails += 1
        print(f"FAIL: {desc}")


def run(work, env_extra, tty=True):
    env = dict(os.environ)
    env.pop("CI", None)
    env.update(env_extra)
    if not tty:
        p = subprocess.run([BIN, "check", "-q", "."], capture_output=True, env=env, cwd=work)
        return p.stdout, p.stderr
    master, slave = pty.openpty()
    p = subprocess.Popen([BIN, "check", "-q", "."], stdout=subprocess.PIPE, stderr=slave,
                         env=env, cwd=work)
    os.close(slave)
    err = b""
    while True:  # until the child closes its side (EIO on Linux)
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        err += chunk
    out = p.stdout.read()
    p.wait()
    os.close(master)
    return out, err


with tempfile.TemporaryDirectory() as work:
    with open(os.path.join(work, "requirements.txt"), "w") as f:
        f.write("redis>=8.0\n")
    for i in range(40):
        with open(os.path.join(work, f"m{i:02d}.py"), "w") as f:
            f.write("import redis\n\nr = redis.Redis()\n\n\ndef f(k):\n    return r.keys(k)\n")

    plain_out, _ = run(work, {}, tty=False)
    check("the run has findings to report", b"RL301" in plain_out)

    out, err = run(work, {"REDISLINT_PROGRESS_DELAY_MS": "0", "TERM": "xterm"})
    check(f"a terminal shows files done of total: {err[:120]!r}",
          b"redislint: reading " in err and b"/40 files" in err)
    check("the linting phase too", b"redislint: linting " in err)
    check(f"the line is cleared at the end: {err[-40:]!r}", err.endswith(b"\r\x1b[K"))
    check("stdout (the report) is unchanged", out == plain_out)

    _, err = run(work, {"REDISLINT_PROGRESS_DELAY_MS": "600000", "TERM": "xterm"})
    check(f"nothing before the delay: {err[:80]!r}", b"files" not in err)

    _, err = run(work, {"REDISLINT_PROGRESS_DELAY_MS": "0", "TERM": "xterm", "CI": "true"})
    check(f"never in CI (CI=true): {err[:80]!r}", b"files" not in err)

    _, err = run(work, {"REDISLINT_PROGRESS_DELAY_MS": "0", "TERM": "dumb"})
    check(f"never on a dumb terminal: {err[:80]!r}", b"files" not in err)

    _, err = run(work, {"REDISLINT_PROGRESS_DELAY_MS": "0", "TERM": "xterm"}, tty=False)
    check(f"never in a pipe: {err[:80]!r}", b"files" not in err)

print(f"test_progress.py: {checks} checks, {fails} failed")
sys.exit(1 if fails else 0)
