#!/usr/bin/env python3
"""Checks every fix pair tests/fixtures/<slug>/X.py + X.fixed.py with `--fix`.

X.py goes through `redislint check --fix` on stdin (with `--unsafe-fixes`
when its name says `unsafe`), linted under the path the fixture driver uses
and from the same directory (so the same dependency pins apply). Then:
- the result equals X.fixed.py byte for byte;
- linting X.fixed.py reports nothing new: every finding there was already a
  finding of X.py (same rule and message), and fewer of them (the fixed ones
  are gone);
- fixing X.fixed.py again changes nothing (idempotent);
- X.fixed.py parses (Python's ast).
The JSON edits of X.py must also reproduce X.fixed.py when applied by this
script (the edits SARIF and JSON carry are the ones --fix applies), for pairs
whose fixes all apply in one pass.
Usage: check_pairs.py REDISLINT (run from the repository root)."""
import ast, collections, difflib, glob, json, os, subprocess, sys

def run(redislint, args, data, cwd):
    # each fixture is a file of its own: not a part of the repository's "project"
    out = subprocess.run([redislint, "check", "--no-project", *args], input=data,
                         capture_output=True, cwd=cwd)
    if out.returncode not in (0, 1):
        raise SystemExit(f"redislint {' '.join(args)} exited {out.returncode}: {out.stderr.decode()}")
    return out

def findings(redislint, data, display, cwd):
    doc = json.loads(run(redislint, ["--format", "json", "--stdin-filename", display, "-"], data, cwd).stdout)
    return doc, collections.Counter((f["code"], f["message"]) for f in doc["findings"])

def fix(redislint, data, display, cwd, unsafe):
    args = ["--fix", "--stdin-filename", display, "-"] + (["--unsafe-fixes"] if unsafe else [])
    out = run(redislint, args, data, cwd)
    if b"a bug in redislint" in out.stderr:
        raise SystemExit(f"{display}: a fix was dropped: {out.stderr.decode()}")
    return out.stdout

def apply_edits(data, doc, levels):
    edits = sorted((e["start"]["byte"], e["end"]["byte"], e["content"].encode())
                   for f in doc["findings"] if f.get("fix") and f["fix"]["applicability"] in levels
                   for e in f["fix"]["edits"])
    out, pos, insert_at = b"", 0, None
    for s, e, text in edits:
        # overlapping, or a second insertion at the same point (fixer.c's
        # overlaps(): `import zlib` added by several findings): --fix needs
        # more than one pass
        if s < pos or (s == e and s == insert_at):
            return None
        out += data[pos:s] + text
        pos, insert_at = e, (s if s == e else None)
    return out + data[pos:]

def main():
    redislint = os.path.abspath(sys.argv[1])
    failures = 0
    pairs = sorted(glob.glob("tests/fixtures/*/**/*.fixed.py", recursive=True))
    for fixed in pairs:
        src = fixed[: -len(".fixed.py")] + ".py"
        rule_dir = os.path.join("tests/fixtures", src.split("/")[2])
        display = os.path.relpath(src, rule_dir)
        unsafe = "unsafe" in os.path.basename(src)
        data, want = open(src, "rb").read(), open(fixed, "rb").read()
        got = fix(redislint, data, display, rule_dir, unsafe)
        if got != want:
            failures += 1
            print(f"FAIL {src}: --fix{' --unsafe-fixes' if unsafe else ''} does not give {fixed}")
            sys.stdout.writelines(difflib.unified_diff(want.decode().splitlines(True),
                                                       got.decode().splitlines(True), fixed, "got"))
        doc, before = findings(redislint, data, display, rule_dir)
        _, after = findings(redislint, want, display, rule_dir)
        new = after - before
        if new:
            failures += 1
            print(f"FAIL {fixed}: findings that {src} did not have: {sorted(new)}")
        if sum(after.values()) >= sum(before.values()):
            failures += 1
            print(f"FAIL {fixed}: no finding went away")
        if fix(redislint, want, display, rule_dir, unsafe) != want:
            failures += 1
            print(f"FAIL {fixed}: fixing it again changes it (not idempotent)")
        levels = ("safe", "unsafe") if unsafe else ("safe",)
        by_edits = apply_edits(data, doc, levels)
        if by_edits is not None and by_edits != want:
            failures += 1
            print(f"FAIL {src}: the JSON edits do not give {fixed}")
        try:
            ast.parse(want.decode())
        except SyntaxError as e:
            failures += 1
            print(f"FAIL {fixed}: does not parse: {e}")
    print(f"fix pairs: {len(pairs)} checked, {failures} failed")
    return 1 if failures or not pairs else 0

if __name__ == "__main__":
    sys.exit(main())
