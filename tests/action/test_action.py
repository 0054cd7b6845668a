#!/usr/bin/env python3
"""The shell logic of the GitHub Action (action.yml), run outside GitHub.

The scripts of the "Lint" and "Cache key" steps are taken from action.yml and
run with bash the way the runner runs a `shell: bash` step
(`bash --noprofile --norc -eo pipefail FILE`), with the environment their `env:`
maps give them: each `${{ inputs.NAME }}` is the test's value or the input's
default, `${{ steps.build.outputs.bin }}` is the redislint under test.

Lint: paths with spaces (one per line), the older space-separated single
line, args with quotes, a SARIF log written, annotations printed, exit codes.
Cache key: stable, changed by a source file, not by a test file.
Also: the structure the cache relies on (restore and save with the same key,
save only after a build), that no script pastes an expression into shell code,
and shellcheck on every script when shellcheck is installed.

Usage: test_action.py REDISLINT   (from anywhere; needs PyYAML: python3-yaml)
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def load_action():
    try:
        import yaml
    except ImportError:
        print("FAIL: PyYAML is missing (scripts/install-deps.sh --test installs python3-yaml)",
              file=sys.stderr)
        sys.exit(1)
    with open(os.path.join(ROOT, "action.yml"), encoding="utf-8") as f:
        return yaml.safe_load(f)


def step(action, name):
    for s in action["runs"]["steps"]:
        if s.get("name") == name:
            return s
    sys.exit(f"FAIL: action.yml has no step named {name!r}")


EXPR = re.compile(r"^\$\{\{\s*(.*?)\s*\}\}$")


def step_env(action, s, inputs, known):
    """The step's env map with its expressions evaluated: inputs.X from
    `inputs` (else the input's default), anything else from `known`."""
    env = {}
    for key, value in (s.get("env") or {}).items():
        m = EXPR.match(str(value))
        if not m:
            env[key] = str(value)
            continue
        expr = m.group(1)
        if expr.startswith("inputs."):
            name = expr[len("inputs."):]
            if name not in action["inputs"]:
                sys.exit(f"FAIL: step {s['name']!r} uses an undeclared input {name!r}")
            env[key] = inputs.get(name, str(action["inputs"][name].get("default", "")))
        elif expr in known:
            env[key] = known[expr]
        else:
            sys.exit(f"FAIL: the test does not know the expression {expr!r}")
    return env


def run_step(s, env, cwd):
    fd, script = tempfile.mkstemp(suffix=".sh")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(s["run"])
    try:
        full = dict(os.environ)
        full.update(env)
        return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
                               cwd=cwd, env=full, capture_output=True, text=True)
    finally:
        os.unlink(script)


APP = 'import redis\nr = redis.Redis(socket_timeout=5)\nr.keys("*")\n'


def sarif_files(path):
    with open(path, encoding="utf-8") as f:
        log = json.load(f)
    return sorted({r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                   for run in log["runs"] for r in run["results"]})


def test_lint(action, binary, tmp):
    lint = step(action, "Lint")
    ws = os.path.join(tmp, "workspace")
    for d in ("my project", "other dir", "vendored stuff"):
        os.makedirs(os.path.join(ws, d))
        with open(os.path.join(ws, d, "app.py"), "w", encoding="utf-8") as f:
            f.write(APP)
    for name in ("a.py", "b.py"):
        with open(os.path.join(ws, name), "w", encoding="utf-8") as f:
            f.write(APP)
    known = {"steps.build.outputs.bin": binary}

    def lint_with(**inputs):
        sarif = os.path.join(ws, "out dir", "redislint.sarif")
        os.makedirs(os.path.dirname(sarif), exist_ok=True)
        if os.path.exists(sarif):
            os.unlink(sarif)
        inputs.setdefault("sarif-file", sarif)
        return run_step(lint, step_env(action, lint, inputs, known), ws), sarif

    # newline-separated paths with spaces, surrounding blanks, annotations
    r, sarif = lint_with(paths="my project\n  other dir/app.py  \n\n", annotations="true")
    check(r.returncode == 0, f"paths with spaces: exit {r.returncode}: {r.stderr}")
    check(os.path.isfile(sarif), "paths with spaces: no SARIF log written")
    if os.path.isfile(sarif):
        files = sarif_files(sarif)
        check(any(u.endswith("my%20project/app.py") or u.endswith("my project/app.py") for u in files)
              and any("other" in u for u in files) and len(files) == 2,
              f"paths with spaces: SARIF results in {files}")
    notes = [line for line in r.stdout.splitlines() if line.startswith("::")]
    check(len(notes) == 2 and all(re.match(r"^::(error|warning|notice) file=", line) for line in notes),
          f"annotations: {r.stdout!r}")
    check(any("file=my project/app.py," in line for line in notes), f"annotations name my project/app.py: {notes}")

    # annotations off: nothing printed as a workflow command
    r, sarif = lint_with(paths="my project")
    check(r.returncode == 0 and os.path.isfile(sarif), f"one path with a space: exit {r.returncode}")
    check(not any(line.startswith("::") for line in r.stdout.splitlines()),
          f"annotations printed though off: {r.stdout!r}")
    if os.path.isfile(sarif):
        check(len(sarif_files(sarif)) == 1, "one path with a space: not exactly its file")

    # the space-separated single line of earlier versions
    r, sarif = lint_with(paths="a.py b.py")
    check(r.returncode == 0 and os.path.isfile(sarif), f"space-separated paths: exit {r.returncode}: {r.stderr}")
    if os.path.isfile(sarif):
        check(sarif_files(sarif) == ["a.py", "b.py"], f"space-separated paths: {sarif_files(sarif)}")

    # args with a quoted argument holding a space; nothing expanded
    r, sarif = lint_with(paths=".", args='--exclude "vendored stuff" --exclude \'other dir\' --select RL3')
    check(r.returncode == 0 and os.path.isfile(sarif), f"quoted args: exit {r.returncode}: {r.stderr}")
    if os.path.isfile(sarif):
        files = sarif_files(sarif)
        check(not any("vendored" in u or "other" in u for u in files) and len(files) == 3,
              f"quoted args: {files}")
    r, _ = lint_with(paths=".", args="--exclude $(touch${IFS}pwned) --exclude `touch${IFS}pwned2` --exclude *")
    check(r.returncode == 0, f"args are not expanded: exit {r.returncode}: {r.stderr}")
    check(not os.path.exists(os.path.join(ws, "pwned")) and not os.path.exists(os.path.join(ws, "pwned2")),
          "args: a command substitution ran")
    r, _ = lint_with(paths=".", args='--exclude "unterminated')
    check(r.returncode == 2 and "::error::" in r.stdout, f"unmatched quote: exit {r.returncode}, {r.stdout!r}")

    # exit codes: findings fail the step only when asked; errors always do
    r, _ = lint_with(paths="a.py", **{"fail-on-findings": "true"})
    check(r.returncode == 1, f"fail-on-findings: exit {r.returncode}")
    r, _ = lint_with(paths="no such dir")
    check(r.returncode == 2, f"a missing path: exit {r.returncode}")
    r, _ = lint_with(paths="a.py", args="--no-such-flag")
    check(r.returncode == 2, f"a bad flag: exit {r.returncode}")


def test_cache_key(action, tmp):
    key_step = step(action, "Cache key")
    copy = os.path.join(tmp, "action copy")
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".git", "build*", "node_modules", "vscode-sarif", "bench", "examples"))

    def key():
        out = os.path.join(tmp, "github_output")
        open(out, "w").close()
        r = run_step(key_step, {"GITHUB_ACTION_PATH": copy, "GITHUB_OUTPUT": out,
                                "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64"}, tmp)
        check(r.returncode == 0, f"cache key step: exit {r.returncode}: {r.stderr}")
        with open(out, encoding="utf-8") as f:
            lines = f.read().splitlines()
        check(len(lines) == 1 and re.match(r"^key=redislint-deb-Linux-[^ ]+-X64-[0-9a-f]{32}$", lines[0]),
              f"cache key output: {lines}")
        return lines[0] if lines else ""

    first = key()
    check(key() == first, "cache key: not stable")
    with open(os.path.join(copy, "tests", "CMakeLists.txt"), "a", encoding="utf-8") as f:
        f.write("# a test change\n")
    check(key() == first, "cache key: changed by a test file")
    with open(os.path.join(copy, "src", "main.c"), "a", encoding="utf-8") as f:
        f.write("/* a source change */\n")
    check(key() != first, "cache key: not changed by a source file")


def test_structure(action):
    steps = action["runs"]["steps"]
    check(action["runs"]["using"] == "composite", "not a composite action")
    for name in ("paths", "args", "sarif-file", "annotations", "fail-on-findings"):
        check(name in action["inputs"] and action["inputs"][name].get("description"),
              f"input {name} missing or undocumented")
    restore = [s for s in steps if str(s.get("uses", "")).startswith("actions/cache/restore@")]
    save = [s for s in steps if str(s.get("uses", "")).startswith("actions/cache/save@")]
    check(len(restore) == 1 and len(save) == 1, "no cache restore and save steps")
    if restore and save:
        check(restore[0]["with"] == save[0]["with"], "cache restore and save differ in path or key")
        check("built == 'true'" in str(save[0].get("if", "")), "the cache is saved without a build")
    names = [s.get("name") for s in steps]
    check(names.index("Cache key") < names.index("Build redislint") < names.index("Lint"), f"step order {names}")
    for s in steps:
        if "run" in s:
            check("${{" not in s["run"], f"step {s['name']!r} pastes an expression into its script")
            check(s.get("shell") == "bash", f"step {s['name']!r} does not run with bash")
            if shutil.which("shellcheck"):
                r = subprocess.run(["shellcheck", "-s", "bash", "-"], input=s["run"],
                                   capture_output=True, text=True)
                check(r.returncode == 0, f"shellcheck on step {s['name']!r}:\n{r.stdout}")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: test_action.py REDISLINT")
    binary = os.path.abspath(sys.argv[1])
    action = load_action()
    tmp = tempfile.mkdtemp()
    try:
        test_structure(action)
        test_lint(action, binary, tmp)
        test_cache_key(action, tmp)
    finally:
        shutil.rmtree(tmp)
    if FAILURES:
        print(f"action: {len(FAILURES)} failure(s)", file=sys.stderr)
        sys.exit(1)
    print("action: ok")


if __name__ == "__main__":
    main()
