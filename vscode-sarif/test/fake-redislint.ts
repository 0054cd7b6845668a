#!/usr/bin/env node
// A stand-in for the redislint executable, for the wiring tests. It reports
// every `hmset(` as RL310 with a safe fix.
//
// - `check` (Lint workspace) prints a SARIF log; a line containing BOOM
//   makes it fail with exit status 2; `rule CODE` prints documentation.
// - `server` is a small language server over stdio (Content-Length framing
//   written by hand): diagnostics, quick fixes (the fix, and a suppression
//   comment above the line), `source.fixAll.redislint`, incremental sync, and
//   the settings pulled with `workspace/configuration` (section `redislint`)
//   for each document it lints: `enable: false` or an `ignore`/`select`
//   that leaves RL310 out gives no diagnostics. It pulls them again on
//   `workspace/didChangeConfiguration`.
//
// A document containing CRASH makes the server exit (status 3).
//
// FAKE_LOG receives the arguments of each call; FAKE_LSP_LOG every message
// the server receives; FAKE_SERVER_FAIL makes `server` fail like a redislint
// without a language server; FAKE_DELAY_MS delays the answer of `check`.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyEdits } from '../src/edits';

const args = process.argv.slice(2);
if (process.env.FAKE_LOG) fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify(args) + '\n');

// ---- check and rule ----------------------------------------------------------

function check(): void {
  const files: Array<{ uri: string; text: string }> = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.py')) files.push({ uri: pathToFileURL(p).href, text: fs.readFileSync(p, 'utf8') });
    }
  };
  walk(path.resolve(args[args.length - 1]));
  const results: unknown[] = [];
  for (const f of files) {
    const loc = { uri: f.uri };
    f.text.split('\n').forEach((line, i) => {
      if (line.includes('BOOM')) {
        process.stderr.write('redislint: error: boom\n');
        process.exit(2);
      }
      const at = line.indexOf('hmset(');
      if (at < 0) return;
      const region = { startLine: i + 1, startColumn: at + 1, endLine: i + 1, endColumn: at + 6 };
      results.push({
        ruleId: 'RL310',
        ruleIndex: 0,
        level: 'note',
        message: { text: 'HMSET is deprecated' },
        locations: [{ physicalLocation: { artifactLocation: loc, region } }],
        fixes: [
          {
            description: { text: 'Use hset' },
            artifactChanges: [{ artifactLocation: loc, replacements: [{ deletedRegion: region, insertedContent: { text: 'hset' } }] }],
          },
        ],
        properties: { fixTitle: 'Use hset', fixApplicability: 'safe' },
      });
    });
  }
  const log = {
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'redislint',
            rules: [
              {
                id: 'RL310',
                name: 'deprecated-command',
                helpUri: 'https://example.org/rules/deprecated-command.md',
                help: { markdown: '# RL310 from SARIF' },
                properties: { tags: ['deprecation'] },
              },
            ],
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  setTimeout(() => {
    process.stdout.write(JSON.stringify(log));
    process.exitCode = results.length > 0 ? 1 : 0;
  }, Number(process.env.FAKE_DELAY_MS ?? 0));
}

// ---- server ----------------------------------------------------------------

type Json = Record<string, unknown>;
interface Pos {
  line: number;
  character: number;
}
interface Rng {
  start: Pos;
  end: Pos;
}

function server(): void {
  if (process.env.FAKE_SERVER_FAIL) {
    process.stderr.write("redislint: unknown command 'server'\nTry 'redislint --help'.\n");
    process.exit(2);
  }
  const docs = new Map<string, { text: string; version: number }>();
  const pending = new Map<number, (result: unknown) => void>();
  let nextId = 1;
  let input = Buffer.alloc(0);

  const send = (msg: Json): void => {
    const body = JSON.stringify({ jsonrpc: '2.0', ...msg });
    process.stdout.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  const request = (method: string, params: unknown): Promise<unknown> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      send({ id, method, params });
    });

  const RULE = { code: 'RL310', slug: 'deprecated-command' };
  const findings = (text: string): Rng[] => {
    const out: Rng[] = [];
    text.split('\n').forEach((line, i) => {
      for (let at = line.indexOf('hmset('); at >= 0; at = line.indexOf('hmset(', at + 1)) {
        out.push({ start: { line: i, character: at }, end: { line: i, character: at + 5 } });
      }
    });
    return out;
  };
  const ruleOn = (config: Json | null): boolean => {
    if (!config) return true;
    if (config.enable === false) return false;
    const has = (list: unknown) => Array.isArray(list) && list.some((r) => r === RULE.code || r === RULE.slug || r === 'ALL' || RULE.code.startsWith(r));
    if (Array.isArray(config.select) && !has(config.select) && !has(config.extendSelect)) return false;
    return !has(config.ignore);
  };

  const lint = async (uri: string): Promise<void> => {
    const doc = docs.get(uri);
    if (!doc) return;
    const version = doc.version;
    const [config] = (await request('workspace/configuration', { items: [{ scopeUri: uri, section: 'redislint' }] })) as [Json | null];
    const now = docs.get(uri);
    if (!now || now.version !== version) return; // a newer lint publishes
    const diagnostics = ruleOn(config)
      ? findings(now.text).map((range) => ({
          range,
          severity: 3,
          code: RULE.code,
          codeDescription: { href: `https://example.org/rules/${RULE.slug}.md` },
          source: 'redislint',
          message: 'HMSET is deprecated',
          tags: [2],
        }))
      : [];
    send({ method: 'textDocument/publishDiagnostics', params: { uri, version, diagnostics } });
  };

  const codeActions = (params: Json): unknown[] => {
    const uri = (params.textDocument as Json).uri as string;
    const doc = docs.get(uri);
    if (!doc) return [];
    const range = params.range as Rng;
    const only = (params.context as Json | undefined)?.only as string[] | undefined;
    const wantFix = !only || only.some((k) => k === 'quickfix' || k.startsWith('quickfix.'));
    const wantAll = !only || only.some((k) => 'source.fixAll.redislint'.startsWith(k));
    const lines = doc.text.split('\n');
    const edit = (edits: unknown[]) => ({ changes: { [uri]: edits } });
    const all = findings(doc.text);
    const out: unknown[] = [];
    if (wantFix) {
      for (const r of all.filter((f) => f.start.line >= range.start.line && f.start.line <= range.end.line)) {
        out.push({ title: 'Use hset', kind: 'quickfix', isPreferred: true, edit: edit([{ range: r, newText: 'hset' }]) });
        const indent = /^[ \t]*/.exec(lines[r.start.line])![0];
        const at = { line: r.start.line, character: 0 };
        const newText = `${indent}# redislint: ignore[${RULE.slug}] -- reason\n`;
        out.push({ title: `Suppress ${RULE.code} (${RULE.slug}) on this statement, with a reason`, kind: 'quickfix', edit: edit([{ range: { start: at, end: at }, newText }]) });
      }
    }
    if (wantAll && all.length > 0) {
      out.push({ title: 'Apply every safe redislint fix', kind: 'source.fixAll.redislint', edit: edit(all.map((r) => ({ range: r, newText: 'hset' }))) });
    }
    return out;
  };

  const handle = (msg: Json): void => {
    if (process.env.FAKE_LSP_LOG) fs.appendFileSync(process.env.FAKE_LSP_LOG, JSON.stringify(msg) + '\n');
    const { id, method } = msg as { id?: number; method?: string };
    const params = (msg.params ?? {}) as Json;
    if (method === undefined) {
      // The answer to one of our requests.
      const resolve = pending.get(id!);
      pending.delete(id!);
      resolve?.(msg.error ? [null] : msg.result);
      return;
    }
    switch (method) {
      case 'initialize':
        send({
          id,
          result: {
            capabilities: {
              positionEncoding: 'utf-16',
              textDocumentSync: { openClose: true, change: 2, save: { includeText: false } },
              codeActionProvider: { codeActionKinds: ['quickfix', 'source.fixAll.redislint'] },
            },
            serverInfo: { name: 'fake-redislint', version: '0' },
          },
        });
        return;
      case 'textDocument/didOpen': {
        const td = params.textDocument as { uri: string; text: string; version: number };
        if (td.text.includes('CRASH')) process.exit(3); // a server that dies on some file
        docs.set(td.uri, { text: td.text, version: td.version });
        void lint(td.uri);
        return;
      }
      case 'textDocument/didChange': {
        const td = params.textDocument as { uri: string; version: number };
        const doc = docs.get(td.uri);
        if (!doc) return;
        for (const c of params.contentChanges as Array<{ range?: Rng; text: string }>) {
          doc.text = c.range ? applyEdits(doc.text, [{ range: c.range, newText: c.text }]) : c.text;
        }
        doc.version = td.version;
        void lint(td.uri);
        return;
      }
      case 'textDocument/didClose': {
        const uri = (params.textDocument as { uri: string }).uri;
        docs.delete(uri);
        send({ method: 'textDocument/publishDiagnostics', params: { uri, diagnostics: [] } });
        return;
      }
      case 'workspace/didChangeConfiguration':
        for (const uri of docs.keys()) void lint(uri);
        return;
      case 'textDocument/codeAction':
        send({ id, result: codeActions(params) });
        return;
      case 'shutdown':
        send({ id, result: null });
        return;
      case 'exit':
        process.exit(0);
        return;
      default:
        if (id !== undefined) send({ id, error: { code: -32601, message: `${method} is not supported` } });
    }
  };

  process.stdin.on('data', (chunk: Buffer) => {
    input = Buffer.concat([input, chunk]);
    for (;;) {
      const headerEnd = input.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const m = /Content-Length:\s*(\d+)/i.exec(input.subarray(0, headerEnd).toString('ascii'));
      const length = m ? Number(m[1]) : 0;
      if (input.length < headerEnd + 4 + length) return;
      const body = input.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      input = input.subarray(headerEnd + 4 + length);
      handle(JSON.parse(body) as Json);
    }
  });
  process.stdin.on('end', () => process.exit(0));
}

if (args[0] === 'server') {
  server();
} else if (args[0] === 'rule') {
  if (args[1] === 'NOPE') {
    process.stderr.write(`redislint: unknown rule '${args[1]}'\n`);
    process.exit(2);
  }
  process.stdout.write(`# ${args[1]} fake documentation\n`);
} else {
  check();
}
