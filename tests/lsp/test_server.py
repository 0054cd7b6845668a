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
without exit is 1. No time limits: a hung server hangs the test, which
ctest reports."""
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
    def __init__(self, cwd):
        self.p = subprocess.Popen([BIN, "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, cwd=cwd)

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
        while True:
            m = self.recv()
            if m is None or pred(m):
                return m

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

print("test_server.py: %d checks, %d failed" % (checks, failures))
sys.exit(1 if failures else 0)
