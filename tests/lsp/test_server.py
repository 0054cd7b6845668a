#!/usr/bin/env python3
"""tests/lsp/test_server.py REDISLINT - `redislint server` spoken to as an
editor would, plus the malformed and hostile messages it must survive.

Checks: position encoding negotiation (UTF-16 default, UTF-8 when offered);
diagnostics for a file whose client is built in another module of its
project (code, codeDescription, severity, source); incremental changes move
them; quick fixes and source.fixAll.redislint as code actions; didClose
clears; a bad header, bad JSON, an unknown method, a request before
initialize and after shutdown get JSON-RPC errors and the server goes on; a
10 MB document is linted; exit after shutdown is 0, the end of stdin
without exit is 1. Settings: asked with workspace/configuration (select,
ignore, unsafeFixes, enable, configFile and a bad value of each kind, which
is a warning naming the setting), re-asked on didChangeConfiguration, or
taken from initializationOptions and pushed settings by a client that
cannot be asked. Dependents: an unsaved edit re-lints its document alone; a
save, or a file changed outside the editor (didChangeWatchedFiles, which
the server registers), re-lints the open documents that import it, directly
or through another module, and no other (publishDiagnostics counted per
URI up to the answer of a later request). No time limits: a hung server
hangs the test, which ctest reports."""
import json
import os
import subprocess
import sys
import tempfile

BIN = os.path.abspath(sys.argv[1])
failures = 0
checks = 0


def check(desc, ok):
    global failures, checks
    checks += 1
    if not ok:
        failures += 1
        print("FAIL:", desc, file=sys.stderr)


class Client:
    """settings: what the client answers to workspace/configuration for the
    section "redislint" (None: null, as a client without such settings)."""

    def __init__(self, cwd, settings=None):
        self.p = subprocess.Popen([BIN, "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, cwd=cwd)
        self.settings = settings
        self.config_requests = []  # the params of each workspace/configuration
        self.registrations = []    # the params of each client/registerCapability
        self.messages = []         # window/showMessage params

    def raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send(self, obj):
        body = json.dumps(obj).encode()
        self.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, rid, method, params=None):
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params or {}})

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def recv(self):
        header = b""
        while not header.endswith(b"\r\n\r\n"):
            c = self.p.stdout.read(1)
            if not c:
                return None
            header += c
        n = 0
        for line in header.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                n = int(line.split(b":")[1])
        return json.loads(self.p.stdout.read(n))

    def recv_for(self, pred):
        """The next message that pred accepts; the server's requests on the
        way are answered as an editor would, its messages recorded."""
        while True:
            m = self.recv()
            if m is None or pred(m):
                return m
            self.answer(m)

    def answer(self, m):
        method = m.get("method")
        if method == "window/showMessage":
            self.messages.append(m["params"])
        if "id" not in m or not method:
            return
        if method == "workspace/configuration":
            self.config_requests.append(m["params"])
            items = m["params"]["items"]
            self.send({"jsonrpc": "2.0", "id": m["id"], "result": [self.settings for _ in items]})
        elif method == "client/registerCapability":
            self.registrations.append(m["params"])
            self.send({"jsonrpc": "2.0", "id": m["id"], "result": None})
        else:
            self.send({"jsonrpc": "2.0", "id": m["id"],
                       "error": {"code": -32601, "message": "not in this test client"}})

    def published_until(self, rid):
        """Sends a request (id rid) and counts the publishDiagnostics per URI
        that come before its answer: the server handles messages in order,
        so they are what the messages sent before it caused. Returns
        ({uri: count}, {uri: last diagnostics})."""
        self.request(rid, "workspace/noSuchThing", {})
        counts, last = {}, {}
        while True:
            m = self.recv()
            if m is None or m.get("id") == rid and "method" not in m:
                return counts, last
            if m.get("method") == "textDocument/publishDiagnostics":
                u = m["params"]["uri"]
                counts[u] = counts.get(u, 0) + 1
                last[u] = m["params"]["diagnostics"]
            else:
                self.answer(m)

    def close(self):
        self.p.stdin.close()
        return self.p.wait()


def diagnostics(c):
    m = c.recv_for(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    return m["params"]["diagnostics"] if m else None


with tempfile.TemporaryDirectory() as tmp:
    os.makedirs(os.path.join(tmp, "app", "pkg"))
    with open(os.path.join(tmp, "app", "pyproject.toml"), "w") as f:
        f.write('[project]\nname = "app"\ndependencies = ["redis>=8"]\n')
    with open(os.path.join(tmp, "app", "pkg", "extensions.py"), "w") as f:
        f.write('import redis\n\nstore = redis.Redis(host="cache")\n')
    views = os.path.join(tmp, "app", "pkg", "views.py")
    text = ('from pkg.extensions import store\n\n\ndef profile(uid, fields):\n'
            '    for name, value in fields.items():\n'
            '        store.set(f"user:{uid}:{name}", value)\n\n\n'
            'def save(k):\n    store.set(k, 1)\n    store.expire(k, 60)\n')
    with open(views, "w") as f:
        f.write(text)
    uri = "file://" + views

    c = Client(tmp)
    # before initialize: an error, and the server goes on
    c.request(1, "textDocument/codeAction", {})
    m = c.recv()
    check("a request before initialize is refused (-32002): %r" % m,
          m and m.get("error", {}).get("code") == -32002)
    c.request(2, "initialize", {"capabilities": {}})
    m = c.recv_for(lambda m: m.get("id") == 2)
    caps = m["result"]["capabilities"]
    check("UTF-16 positions by default", caps.get("positionEncoding") == "utf-16")
    check("incremental sync", caps["textDocumentSync"]["change"] == 2)
    check("code actions offered", "source.fixAll.redislint" in caps["codeActionProvider"]["codeActionKinds"])
    c.notify("initialized", {})

    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python",
                                                       "version": 1, "text": text}})
    d = diagnostics(c)
    codes = sorted(x["code"] for x in d)
    check("diagnostics need the client from extensions.py: %s" % codes, "RL302" in codes)
    rl302 = [x for x in d if x["code"] == "RL302"][0]
    check("range in the loop body (line 5, 0-based)", rl302["range"]["start"]["line"] == 5)
    check("a link to the rule", rl302["codeDescription"]["href"].endswith("command-in-loop.md"))
    check("severity warning (2)", rl302["severity"] == 2)
    check("source redislint", rl302["source"] == "redislint")

    # an incremental change: two lines inserted at the top move everything down
    c.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                      "end": {"line": 0, "character": 0}},
                            "text": "# one\n# two\n"}]})
    d2 = diagnostics(c)
    moved = [x for x in d2 if x["code"] == "RL302"]
    check("after the edit, RL302 moved down two lines", moved and moved[0]["range"]["start"]["line"] == 7)

    c.request(3, "textDocument/codeAction", {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 11, "character": 0}, "end": {"line": 12, "character": 0}},
        "context": {"diagnostics": []}})
    m = c.recv_for(lambda m: m.get("id") == 3)
    titles = [a["title"] for a in m["result"]]
    quick = [a for a in m["result"] if a["kind"] == "quickfix"]
    check("a quick fix for RL202 on its line: %s" % titles,
          any("ex=" in json.dumps(a["edit"]) for a in quick))
    fixall = [a for a in m["result"] if a["kind"] == "source.fixAll.redislint"]
    check("source.fixAll.redislint gathers the safe fixes", len(fixall) == 1)
    if fixall:  # an editor rejects overlapping edits: the server never sends them
        edits = [e for es in fixall[0]["edit"]["changes"].values() for e in es]
        key = lambda p: (p["line"], p["character"])
        spans = sorted((key(e["range"]["start"]), key(e["range"]["end"])) for e in edits)
        check("the fix-all edits do not overlap: %r" % spans,
              all(spans[i][1] <= spans[i + 1][0] and spans[i] != spans[i + 1] for i in range(len(spans) - 1)))

    # a suppression with a reason, on its own line above the statement
    c.request(7, "textDocument/codeAction", {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 7, "character": 0}, "end": {"line": 7, "character": 0}},
        "context": {"diagnostics": []}})
    m = c.recv_for(lambda m: m.get("id") == 7)
    sup = [a for a in m["result"] if a["title"].startswith("Suppress RL302")]
    check("a suppression action for RL302: %s" % [a["title"] for a in m["result"]], len(sup) == 1)
    if sup:
        edit = sup[0]["edit"]["changes"][uri][0]
        check("inserted alone above the statement, indented like it: %r" % edit,
              edit["range"]["start"] == {"line": 7, "character": 0} and
              edit["newText"] == "        # redislint: ignore[command-in-loop] -- reason\n")
        lines = ("# one\n# two\n" + text).split("\n")
        lines.insert(7, edit["newText"][:-1])
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                            "contentChanges": [{"text": "\n".join(lines)}]})
        d_sup = diagnostics(c)
        check("after the suppression RL302 is gone and nothing else is reported for it: %s"
              % [x["code"] for x in d_sup], not any(x["code"] in ("RL302", "RL001") for x in d_sup))

    # hostile and malformed input: errors, and the server goes on
    c.raw(b"Content-Type: nothing\r\n\r\n")
    m = c.recv()
    check("no Content-Length: an error with id null: %r" % m,
          m and m.get("id") is None and m.get("error", {}).get("code") == -32600)
    c.raw(b"Content-Length: 9\r\n\r\n{not json")
    m = c.recv()
    check("bad JSON: a parse error (-32700)", m and m.get("error", {}).get("code") == -32700)
    c.raw(b"Content-Length: -5\r\n\r\n")
    m = c.recv()
    check("a negative length: an error", m and m.get("error", {}).get("code") == -32600)
    c.request(4, "workspace/noSuchThing", {})
    m = c.recv_for(lambda m: m.get("id") == 4)
    check("an unknown method: -32601", m.get("error", {}).get("code") == -32601)
    c.notify("$/cancelRequest", {"id": 99})  # a notification: no reply
    c.send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": "untitled:1", "text": "x = 1\n"}}})
    c.send({"jsonrpc": "2.0", "method": "textDocument/didChange",
            "params": {"textDocument": {"uri": uri}, "contentChanges": [{"range": {"start": {}}, "text": "x"}]}})
    d3 = diagnostics(c)  # the bad range is skipped, the document relinted
    check("a change with a bad range is skipped", d3 is not None and any(x["code"] == "RL202" for x in d3))

    # a 10 MB document
    big = os.path.join(tmp, "app", "pkg", "big.py")
    body = "import redis\nr = redis.Redis()\n" + "x = 1\n" * (10 * 1024 * 1024 // 6)
    c.notify("textDocument/didOpen", {"textDocument": {"uri": "file://" + big, "languageId": "python",
                                                       "version": 1, "text": body}})
    d4 = diagnostics(c)
    check("a 10 MB document gets its diagnostics", d4 is not None)

    c.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    d5 = diagnostics(c)
    check("didClose clears the diagnostics", d5 == [])

    c.request(5, "shutdown")
    m = c.recv_for(lambda m: m.get("id") == 5)
    check("shutdown answers null", m.get("result", 1) is None and "error" not in m)
    c.request(6, "textDocument/codeAction", {})
    m = c.recv_for(lambda m: m.get("id") == 6)
    check("a request after shutdown: -32600", m.get("error", {}).get("code") == -32600)
    c.notify("exit", {})
    check("exit after shutdown: 0", c.p.wait() == 0)

    # UTF-8 when offered; the end of stdin without exit is 1
    c = Client(tmp)
    c.request(1, "initialize", {"capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}})
    m = c.recv_for(lambda m: m.get("id") == 1)
    check("UTF-8 when the client offers it", m["result"]["capabilities"]["positionEncoding"] == "utf-8")
    check("the end of stdin without exit: 1", c.close() == 1)



def diagnostics_of(c, uri):
    m = c.recv_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                   and m["params"]["uri"] == uri)
    return m["params"]["diagnostics"] if m else None


def codes_of(d):
    return sorted(x["code"] for x in d) if d is not None else None


def file_uri(path):
    return "file://" + path


def open_doc(c, path):
    with open(path) as f:
        c.notify("textDocument/didOpen", {"textDocument": {
            "uri": file_uri(path), "languageId": "python", "version": 1, "text": f.read()}})


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def reconfigure(c, settings):
    """didChangeConfiguration, then the diagnostics the new settings give
    (the server asks for them again and re-lints)."""
    c.settings = settings
    del c.messages[:]
    c.notify("workspace/didChangeConfiguration", {"settings": None})


# ---- settings: asked with workspace/configuration, applied as the flags
with tempfile.TemporaryDirectory() as tmp:
    cfg = os.path.join(tmp, "cfg")
    os.makedirs(cfg)
    write(os.path.join(cfg, "pyproject.toml"), '[project]\nname = "cfg"\ndependencies = ["redis>=5"]\n')
    views = os.path.join(cfg, "views.py")
    write(views, 'import redis\n\nr = redis.Redis(host="cache", socket_timeout=5)\n\n\n'
                 'def purge():\n    for k in r.keys("session:*"):\n        r.delete(k)\n\n\n'
                 'def save(k):\n    r.set(k, 1)\n    r.expire(k, 60)\n')
    uri = file_uri(views)
    folder = file_uri(cfg)
    everything = ["RL202", "RL301", "RL302"]

    c = Client(cfg, settings={"select": ["RL301"]})
    c.request(1, "initialize", {"rootUri": folder, "workspaceFolders": [{"uri": folder, "name": "cfg"}],
                                "capabilities": {"workspace": {"configuration": True}}})
    c.recv_for(lambda m: m.get("id") == 1)
    c.notify("initialized", {})
    open_doc(c, views)
    d = diagnostics_of(c, uri)
    check("select=[RL301] from workspace/configuration: only RL301 (the first diagnostics "
          "already follow the settings): %s" % codes_of(d), codes_of(d) == ["RL301"])
    asked = [i for r in c.config_requests for i in r["items"]]
    check("asked for the section redislint of the workspace folder: %s" % asked,
          {"scopeUri": folder, "section": "redislint"} in asked)

    def actions_at(rid, line):
        c.request(rid, "textDocument/codeAction", {
            "textDocument": {"uri": uri},
            "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
            "context": {"diagnostics": []}})
        return c.recv_for(lambda m: m.get("id") == rid)["result"]

    fixes = [a for a in actions_at(10, 6) if not a["title"].startswith("Suppress")]
    check("unsafeFixes unset: no unsafe quick fix for KEYS: %s" % [a["title"] for a in fixes], fixes == [])

    reconfigure(c, {"select": ["RL301"], "unsafeFixes": True})
    d = diagnostics_of(c, uri)
    check("didChangeConfiguration asks again", len(c.config_requests) == 2)
    fixes = [a for a in actions_at(11, 6) if "scan_iter" in json.dumps(a.get("edit"))]
    check("unsafeFixes=true: the unsafe SCAN fix is a quick fix, not preferred",
          len(fixes) == 1 and not fixes[0].get("isPreferred"))
    c.request(12, "textDocument/codeAction", {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
        "context": {"diagnostics": [], "only": ["source.fixAll.redislint"]}})
    m = c.recv_for(lambda m: m.get("id") == 12)
    check("source.fixAll.redislint never applies unsafe fixes: %r" % m["result"],
          "scan_iter" not in json.dumps(m["result"]))

    reconfigure(c, {"ignore": ["keys-command"]})
    d = diagnostics_of(c, uri)
    check("didChangeConfiguration switches: ignore=[keys-command] gives %s" % codes_of(d),
          codes_of(d) == ["RL202", "RL302"])

    reconfigure(c, {"enable": False})
    d = diagnostics_of(c, uri)
    check("enable=false: the diagnostics are cleared: %s" % codes_of(d), d == [])
    check("enable=false: no code actions", actions_at(13, 11) == [])

    reconfigure(c, {"select": ["RL999", "keys-comand"], "targetRedisVersion": "banana",
                    "unsafeFixes": "yes", "redisPyVersion": 5, "path": "/usr/bin/redislint"})
    d = diagnostics_of(c, uri)
    warned = " | ".join(x["message"] for x in c.messages if x["type"] == 2)
    check("a bad setting: its default (every rule), no crash: %s" % codes_of(d), codes_of(d) == everything)
    for name in ("redislint.select", "redislint.targetRedisVersion", "redislint.unsafeFixes"):
        check("a warning names %s: %s" % (name, warned), name in warned)
    check("the warning for select names the bad rule and its neighbour: %s" % warned,
          "RL999" in warned and "keys-command" in warned)
    check("another tool's key (path) and a number for a version are not complaints: %s" % warned,
          "redislint.path" not in warned and "redisPyVersion" not in warned)

    write(os.path.join(cfg, "alt.json"), '{"select": ["RL202"]}\n')
    reconfigure(c, {"configFile": "alt.json"})
    d = diagnostics_of(c, uri)
    check("configFile relative to the folder: its select: %s" % codes_of(d), codes_of(d) == ["RL202"])
    reconfigure(c, {"configFile": os.path.join(cfg, "alt.json"), "select": ["RL302"]})
    d = diagnostics_of(c, uri)
    check("a setting wins over the configuration file, as a flag does: %s" % codes_of(d),
          codes_of(d) == ["RL302"])
    reconfigure(c, {"configFile": "missing.json"})
    d = diagnostics_of(c, uri)
    warned = " | ".join(x["message"] for x in c.messages)
    check("a configFile that cannot be read: a warning and the defaults: %s / %s" % (warned, codes_of(d)),
          "redislint.configFile" in warned and codes_of(d) == everything)

    c.request(20, "shutdown")
    c.recv_for(lambda m: m.get("id") == 20)
    c.notify("exit", {})
    check("exit after shutdown: 0 (settings session)", c.p.wait() == 0)

    # no workspace/configuration: initializationOptions, then pushed settings
    c = Client(cfg)
    c.request(1, "initialize", {"rootUri": folder, "capabilities": {},
                                "initializationOptions": {"redislint": {"select": ["RL301"],
                                                                        "redisPyVersion": "five"}}})
    c.recv_for(lambda m: m.get("id") == 1)
    c.notify("initialized", {})
    open_doc(c, views)
    d = diagnostics_of(c, uri)
    check("no configuration capability: initializationOptions apply: %s" % codes_of(d),
          codes_of(d) == ["RL301"])
    check("and nothing is asked", c.config_requests == [])
    check("a bad initializationOption is a warning naming it: %s" % c.messages,
          any("redislint.redisPyVersion" in x["message"] for x in c.messages))
    c.notify("workspace/didChangeConfiguration", {"settings": {"redislint": {"select": ["RL202"]}}})
    d = diagnostics_of(c, uri)
    check("pushed settings apply: %s" % codes_of(d), codes_of(d) == ["RL202"])
    c.close()


# ---- re-linting what depends on a change
with tempfile.TemporaryDirectory() as tmp:
    proj = os.path.join(tmp, "proj")
    pkg = os.path.join(proj, "pkg")
    os.makedirs(pkg)
    write(os.path.join(proj, "pyproject.toml"), '[project]\nname = "proj"\ndependencies = ["redis>=5"]\n')
    write(os.path.join(pkg, "__init__.py"), "")
    d_py, b_py, a_py, c_py = (os.path.join(pkg, n) for n in ("d.py", "b.py", "a.py", "c.py"))
    b_text = ('import redis\n\nfrom .d import helper\n\n'
              'store = redis.Redis(host="cache", socket_timeout=5)\n')
    write(d_py, "def helper():\n    return 1\n")
    write(b_py, b_text)
    # a: its RL302 needs the client that b builds
    write(a_py, 'from pkg.b import store\n\n\ndef profile(uid, fields):\n'
                '    for name, value in fields.items():\n'
                '        store.set(f"user:{uid}:{name}", value)\n')
    # c: independent of a, b and d; it imports a module that does not exist yet
    write(c_py, 'import redis\n\nfrom pkg.e import later\n\n'
                'r = redis.Redis(host="cache", socket_timeout=5)\n\n\n'
                'def save(k):\n    r.set(k, 1)\n    r.expire(k, 60)\n')
    a, b, cu = file_uri(a_py), file_uri(b_py), file_uri(c_py)

    c = Client(proj)
    c.request(1, "initialize", {"rootUri": file_uri(proj),
                                "workspaceFolders": [{"uri": file_uri(proj), "name": "proj"}],
                                "capabilities": {"workspace": {
                                    "configuration": True,
                                    "didChangeWatchedFiles": {"dynamicRegistration": True}}}})
    c.recv_for(lambda m: m.get("id") == 1)
    c.notify("initialized", {})
    for path in (a_py, c_py, b_py):
        open_doc(c, path)
        got = diagnostics_of(c, file_uri(path))
        if path == a_py:
            check("a.py: RL302 through the client of b.py: %s" % codes_of(got), "RL302" in codes_of(got))
    watchers = [w["globPattern"] for r in c.registrations for g in r["registrations"]
                if g["method"] == "workspace/didChangeWatchedFiles"
                for w in g["registerOptions"]["watchers"]]
    check("didChangeWatchedFiles registered for **/*.py: %s" % watchers, "**/*.py" in watchers)

    # an unsaved edit of b: only b (the others read b.py from disk)
    c.notify("textDocument/didChange", {"textDocument": {"uri": b, "version": 2},
                                        "contentChanges": [{"text": b_text + "# edited\n"}]})
    counts, _ = c.published_until(100)
    check("didChange of b.py re-lints b.py alone: %s" % counts, counts == {b: 1})

    # b saved with no client: a depends on it, c does not
    write(b_py, "store = None\n")
    c.notify("textDocument/didChange", {"textDocument": {"uri": b, "version": 3},
                                        "contentChanges": [{"text": "store = None\n"}]})
    c.notify("textDocument/didSave", {"textDocument": {"uri": b}})
    counts, last = c.published_until(101)
    check("didSave of b.py: a.py re-linted once, c.py not: %s" % counts,
          counts.get(a) == 1 and cu not in counts)
    check("a.py lost RL302 with b's client: %s" % codes_of(last.get(a)),
          last.get(a) is not None and "RL302" not in codes_of(last[a]))

    # the watcher's event for the same write: nothing changed since didSave
    c.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": b, "type": 2}]})
    counts, _ = c.published_until(102)
    check("a watched event for bytes already seen re-lints nothing: %s" % counts, counts == {})

    # b.py restored outside the editor (a git checkout, say)
    write(b_py, b_text)
    c.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": b, "type": 2}]})
    counts, last = c.published_until(103)
    check("b.py restored outside the editor: a.py re-linted with RL302 again, c.py not: %s %s"
          % (counts, codes_of(last.get(a))),
          counts.get(a) == 1 and cu not in counts and "RL302" in codes_of(last.get(a, [])))
    c.notify("textDocument/didChange", {"textDocument": {"uri": b, "version": 4},
                                        "contentChanges": [{"text": b_text}]})
    counts, _ = c.published_until(104)
    check("the editor reloads b.py: b.py alone: %s" % counts, counts == {b: 1})

    # an edit outside the editor, two modules away: a imports b, b imports d
    write(d_py, "def helper():\n    return 2\n")
    c.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": file_uri(d_py), "type": 2}]})
    counts, _ = c.published_until(105)
    check("d.py changed on disk: a.py (through b.py) and b.py re-linted, c.py not: %s" % counts,
          counts == {a: 1, b: 1})

    # a new module that c imports
    write(os.path.join(pkg, "e.py"), "later = 1\n")
    c.notify("workspace/didChangeWatchedFiles",
             {"changes": [{"uri": file_uri(os.path.join(pkg, "e.py")), "type": 1}]})
    counts, _ = c.published_until(106)
    check("pkg/e.py created: c.py (which imports it) re-linted, a.py not: %s" % counts,
          counts.get(cu) == 1 and a not in counts)

    # a configuration file: everything below it
    write(os.path.join(proj, "redislint.json"), '{"ignore": ["RL202"]}\n')
    c.notify("workspace/didChangeWatchedFiles",
             {"changes": [{"uri": file_uri(os.path.join(proj, "redislint.json")), "type": 1}]})
    counts, last = c.published_until(107)
    check("redislint.json created: every open document re-linted once: %s" % counts,
          counts == {a: 1, b: 1, cu: 1})
    check("and c.py follows it (RL202 ignored): %s" % codes_of(last.get(cu)),
          last.get(cu) is not None and "RL202" not in codes_of(last[cu]))

    c.request(108, "shutdown")
    c.recv_for(lambda m: m.get("id") == 108)
    c.notify("exit", {})
    check("exit after shutdown: 0 (dependents session)", c.p.wait() == 0)

print("test_server.py: %d checks, %d failed" % (checks, failures))
sys.exit(1 if failures else 0)
