Content-Length: 119

{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": null, "rootUri": null, "capabilities": {}}}Content-Length: 57

{"jsonrpc": "2.0", "method": "initialized", "params": {}}Content-Length: 245

{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": "file:///nonexistent/app.py", "languageId": "python", "version": 1, "text": "import redis\nr = redis.Redis()\nr.keys(\"*\")\nr.hmset(\"h\", {\"a\": 1})\n"}}}Content-Length: 265

{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": "file:///nonexistent/app.py", "version": 2}, "contentChanges": [{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 4}}, "text": "r.scan_iter"}]}}Content-Length: 248

{"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction", "params": {"textDocument": {"uri": "file:///nonexistent/app.py"}, "range": {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 5}}, "context": {"diagnostics": []}}}Content-Length: 49

{"jsonrpc": "2.0", "id": 3, "method": "shutdown"}Content-Length: 36

{"jsonrpc": "2.0", "method": "exit"}