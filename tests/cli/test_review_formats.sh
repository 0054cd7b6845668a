#!/usr/bin/env bash
# The code review formats, checked by parsing them as their consumers do:
#  - rdjson (reviewdog): the DiagnosticResult shape with only the proto's
#    fields, positions that are the JSON report's byte offsets expressed as
#    line + UTF-8 byte column, and suggestions that, applied to the file,
#    give exactly what `--fix` writes (LF and CRLF files, non-ASCII text
#    before the edit, a fix inserting a line break);
#  - junit: parsed with python's xml.etree (expat, which rejects ill-formed
#    XML), one testcase per file, one <failure> per finding, an <error>
#    testcase for an unreadable file, escaped names and messages round-trip;
#  - SARIF: security-severity on the rules tagged security (RL601 among
#    them, whose result is in the log), on no other rule.
# Usage: test_review_formats.sh path/to/redislint
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tests/cli/lib.sh" "$1"
command -v python3 >/dev/null 2>&1 || { echo "test_review_formats.sh: python3 is required" >&2; exit 1; }

mkdir proj
cat >proj/cache.py <<'PY'
import redis

r = redis.Redis(host="localhost", socket_timeout=5)
sessions = redis.Redis(host="localhost", password="Hn4$tq9zW-prod", socket_timeout=5)


def remember_locale(uid, locale):
    r.set(f"locale:é:{uid}", locale)
    r.expire(f"locale:é:{uid}", 86400)


def save_card(uid, card):
    r.set(
        f"card:é:{uid}",
        card,  # rendered HTML
    )
    r.expire(f"card:é:{uid}", 600)
PY
# a clean file whose name needs escaping in XML
printf 'import redis\n\nr = redis.Redis(host="localhost", socket_timeout=5)\nprint(r.get("a"))\n' \
  >'proj/odd & <"name">.py'

"$BIN" check --format json proj >report.json 2>err
check "json report for reference (exit 1)" [ $? -eq 1 ]
check "the fixture has RL202 (fixable) and RL601 (security)" python3 - <<'PY'
import json
codes = [f["code"] for f in json.load(open("report.json"))["findings"]]
assert "RL202" in codes and "RL601" in codes, codes
PY

# ---- rdjson ---------------------------------------------------------------
"$BIN" check --format rdjson proj >out.rdjson 2>err
RC=$?
check "rdjson: exit 1 with findings (got $RC)" [ "$RC" -eq 1 ]
check "rdjson: stderr empty" [ ! -s err ]
check "rdjson: shape and positions" python3 - <<'PY'
import json, re
doc = json.load(open("out.rdjson", encoding="utf-8"))
ref = json.load(open("report.json", encoding="utf-8"))["findings"]
SEV = {"ERROR", "WARNING", "INFO"}
# reviewdog reads rdjson with protojson: fields outside the proto are errors
DIAG_FIELDS = {"message", "location", "severity", "source", "code", "suggestions",
               "original_output", "originalOutput"}
assert set(doc) == {"source", "severity", "diagnostics"}, set(doc)
assert doc["source"] == {"name": "redislint", "url": "https://github.com/redislint/redislint"}
assert doc["severity"] == "ERROR", doc["severity"]  # the worst: RL601 is an error
diags = doc["diagnostics"]
assert len(diags) == len(ref), (len(diags), len(ref))

def offset(path, pos):
    """Byte offset of a 1-based line and UTF-8 byte column."""
    assert set(pos) == {"line", "column"}, pos
    assert pos["line"] >= 1 and pos["column"] >= 1, pos
    lines = open(path, "rb").read().split(b"\n")
    return sum(len(l) + 1 for l in lines[:pos["line"] - 1]) + pos["column"] - 1

for d, f in zip(diags, ref):
    assert set(d) <= DIAG_FIELDS, set(d) - DIAG_FIELDS
    assert d["severity"] in SEV and d["severity"] == f["severity"].upper(), d
    assert re.fullmatch(r"RL\d{3}", d["code"]["value"]) and d["code"]["value"] == f["code"]
    assert d["code"]["url"] == f["url"]
    assert d["message"].startswith(f["message"]), (d["message"], f["message"])
    loc = d["location"]
    assert set(loc) == {"path", "range"} and loc["path"] == f["path"]
    rng = loc["range"]
    assert offset(loc["path"], rng["start"]) == f["start"]["byte"], (rng, f["start"])
    assert offset(loc["path"], rng["end"]) == f["end"]["byte"], (rng, f["end"])
    sugg = d.get("suggestions", [])
    want = bool(f["fix"] and f["fix"]["edits"] and f["fix"]["applicability"] in ("safe", "unsafe"))
    assert len(sugg) == (1 if want else 0), (f["code"], sugg)
    for s in sugg:
        assert set(s) == {"range", "text"}, s
        assert offset(loc["path"], s["range"]["start"]) <= offset(loc["path"], s["range"]["end"])
PY

# apply_suggestions RDJSON CODE N FILE OUT: FILE with the suggestions of the
# N findings CODE applied (line + byte column positions), written to OUT.
apply_suggestions() {
  python3 - "$@" <<'PY'
import json, sys
rd, code, n, path, out = sys.argv[1:6]
diags = [d for d in json.load(open(rd, encoding="utf-8"))["diagnostics"]
         if d["code"]["value"] == code and d["location"]["path"] == path]
assert len(diags) == int(n) and all(len(d["suggestions"]) == 1 for d in diags), diags
data = open(path, "rb").read()
lines = data.split(b"\n")
def off(p):
    return sum(len(l) + 1 for l in lines[:p["line"] - 1]) + p["column"] - 1
spans = sorted((off(s["range"]["start"]), off(s["range"]["end"]), s["text"])
               for d in diags for s in d["suggestions"])
for (a, b, _), (c, _, _) in zip(spans, spans[1:]):
    assert b <= c, "suggestions overlap"
for a, b, text in reversed(spans):
    data = data[:a] + text.encode("utf-8") + data[b:]
open(out, "wb").write(data)
PY
}

# LF and CRLF: accepting the suggestion gives what --fix writes.
cp proj/cache.py crlf.py
sed -i 's/$/\r/' crlf.py
check "the CRLF copy has CRLF" grep -q $'\r$' crlf.py
for f in proj/cache.py crlf.py; do
  SECTION=$f
  "$BIN" check --format rdjson "$f" >one.rdjson 2>/dev/null
  check "suggestions found and applied" apply_suggestions one.rdjson RL202 2 "$f" suggested.py
  cp "$f" fixed.py
  "$BIN" check --fix --select RL202 -q fixed.py >/dev/null 2>&1
  check "--fix changed the file" eval '! cmp -s "$f" fixed.py'
  check "the suggestion applied = the --fix result" cmp suggested.py fixed.py
done
SECTION=

# ---- junit ----------------------------------------------------------------
"$BIN" check --format junit proj >out.xml 2>err
RC=$?
check "junit: exit 1 with findings (got $RC)" [ "$RC" -eq 1 ]
check "junit: stderr empty" [ ! -s err ]
check "junit: parses; a testcase per file, a failure per finding" python3 - <<'PY'
import json
import xml.etree.ElementTree as ET
ref = json.load(open("report.json", encoding="utf-8"))
root = ET.parse("out.xml").getroot()
assert root.tag == "testsuites" and root.get("name") == "redislint", root.attrib
suites = root.findall("testsuite")
assert len(suites) == 1 and suites[0].get("name") == "redislint"
cases = suites[0].findall("testcase")
files = ["proj/cache.py", 'proj/odd & <"name">.py']
assert [c.get("name") for c in cases] == files, [c.get("name") for c in cases]
assert all(c.get("classname") == c.get("name") == c.get("file") for c in cases)
failures = [f for c in cases for f in c.findall("failure")]
assert len(failures) == len(ref["findings"]) == ref["summary"]["findings"], len(failures)
for el, f in zip(failures, ref["findings"]):
    assert el.get("type") == f["code"] and el.get("message") == f["message"], (el.attrib, f)
    first = el.text.split("\n")[0]
    want = f'{f["path"]}:{f["start"]["line"]}:{f["start"]["column"]}: {f["code"]} [{f["slug"]}] {f["message"]}'
    assert first == want, (first, want)
clean = cases[1]
assert len(clean) == 0, "a file without findings is a passing testcase"
for node in (root, suites[0]):
    assert node.get("tests") == "2" and node.get("failures") == "1" and node.get("errors") == "0", node.attrib
PY

# An unreadable file (named: a directory walk may pass over it): an errored
# testcase, exit 2.
printf 'x = "\377"\n' >proj/latin1.py
"$BIN" check --format junit proj/cache.py 'proj/odd & <"name">.py' proj/latin1.py >err.xml 2>err
RC=$?
check "junit: exit 2 with an unreadable file (got $RC)" [ "$RC" -eq 2 ]
check "junit: the unreadable file is an <error> testcase" python3 - <<'PY'
import xml.etree.ElementTree as ET
suite = ET.parse("err.xml").getroot().find("testsuite")
cases = {c.get("name"): c for c in suite.findall("testcase")}
bad = cases["proj/latin1.py"]
errs = bad.findall("error")
assert len(errs) == 1 and errs[0].get("message"), [e.attrib for e in errs]
assert not bad.findall("failure")
assert suite.get("tests") == "3" and suite.get("errors") == "1" and suite.get("failures") == "1", suite.attrib
PY
rm proj/latin1.py

# ---- SARIF ----------------------------------------------------------------
"$BIN" check --format sarif proj >out.sarif 2>err
check "sarif: security-severity exactly on the security rules" python3 - <<'PY'
import json
run = json.load(open("out.sarif", encoding="utf-8"))["runs"][0]
rules = run["tool"]["driver"]["rules"]
scored = {}
for r in rules:
    p = r["properties"]
    if "security" in p["tags"]:
        score = p.get("security-severity")
        assert isinstance(score, str), (r["id"], score)
        assert 0.0 < float(score) <= 10.0, (r["id"], score)
        scored[r["id"]] = float(score)
    else:
        assert "security-severity" not in p, r["id"]
# the security category and the Lua-injection rule
assert {"RL601", "RL602", "RL603", "RL306"} <= set(scored), scored
assert "security" in next(r for r in rules if r["id"] == "RL601")["properties"]["tags"]
assert "security-severity" not in next(r for r in rules if r["id"] == "RL202")["properties"]
ids = {res["ruleId"] for res in run["results"]}
assert "RL601" in ids and "RL202" in ids, ids
PY
sh "$SRC/tests/sarif/selftest.sh" --no-selftest out.sarif >sarif.log 2>&1
RC=$?
case $RC in
  0) ;;
  77) echo "test_review_formats.sh: SARIF schema validation skipped (node/npm unavailable)" ;;
  *) check "sarif: valid (tests/sarif/validate.mjs)" false; cat sarif.log >&2 ;;
esac

finish test_review_formats.sh
