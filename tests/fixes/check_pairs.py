#!/usr/bin/env python3
"""Checks every fix pair tests/fixtures/<slug>/X.py + X.fixed.py.

Applies the safe fixes redislint reports for X.py (the edits of its JSON
output, linted under the same path the fixture driver uses), compares the
result byte for byte with X.fixed.py, then lints X.fixed.py: applying its
safe fixes again must change nothing (idempotent), and it must still parse.
Until --fix exists this is the reference applier of the JSON edits.
Usage: check_pairs.py REDISLINT (run from the repository root)."""
import ast, difflib, glob, json, os, subprocess, sys

def lint(redislint, data, display):
    out = subprocess.run([redislint, "check", "--format", "json", "--stdin-filename", display, "-"],
                         input=data, capture_output=True)
    if out.returncode not in (0, 1):
        raise SystemExit(f"{display}: redislint exited {out.returncode}: {out.stderr.decode()}")
    return json.loads(out.stdout)

def apply_safe(data, doc):
    edits = sorted((e["start"]["byte"], e["end"]["byte"], e["content"].encode())
                   for f in doc["findings"] if f.get("fix") and f["fix"]["applicability"] == "safe"
                   for e in f["fix"]["edits"])
    out, pos = b"", 0
    for s, e, text in edits:
        if s < pos:
            raise ValueError(f"overlapping safe edits at byte {s}")
        out += data[pos:s] + text
        pos = e
    return out + data[pos:]

def main():
    redislint = sys.argv[1]
    failures = 0
    pairs = sorted(glob.glob("tests/fixtures/*/**/*.fixed.py", recursive=True))
    for fixed in pairs:
        src = fixed[: -len(".fixed.py")] + ".py"
        display = os.path.relpath(src, os.path.join("tests/fixtures", src.split("/")[2]))
        data, want = open(src, "rb").read(), open(fixed, "rb").read()
        got = apply_safe(data, lint(redislint, data, display))
        if got != want:
            failures += 1
            print(f"FAIL {src}: safe fixes do not give {fixed}")
            sys.stdout.writelines(difflib.unified_diff(want.decode().splitlines(True),
                                                       got.decode().splitlines(True), fixed, "got"))
        again = apply_safe(want, lint(redislint, want, display))
        if again != want:
            failures += 1
            print(f"FAIL {fixed}: applying safe fixes again changes it (not idempotent)")
        try:
            ast.parse(want.decode())
        except SyntaxError as e:
            failures += 1
            print(f"FAIL {fixed}: does not parse: {e}")
    print(f"fix pairs: {len(pairs)} checked, {failures} failed")
    return 1 if failures or not pairs else 0

if __name__ == "__main__":
    sys.exit(main())
