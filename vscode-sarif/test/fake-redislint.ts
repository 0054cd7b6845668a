#!/usr/bin/env node
// A stand-in for the redislint executable, for the wiring tests: it reports
// every `hmset(` as RL310 with a safe fix. FAKE_DELAY_MS delays the answer,
// FAKE_LOG receives the arguments of each call, and a line containing BOOM
// makes it fail with exit status 2.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
if (process.env.FAKE_LOG) fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify(args) + '\n');

function main(input: string): void {
  if (args[0] === 'rule') {
    if (args[1] === 'NOPE') {
      process.stderr.write(`redislint: unknown rule '${args[1]}'\n`);
      process.exit(2);
    }
    process.stdout.write(`# ${args[1]} fake documentation\n`);
    process.exit(0);
  }
  const stdinAt = args.indexOf('--stdin-filename');
  const files: Array<{ uri: string; base?: string; text: string }> = [];
  if (stdinAt >= 0) {
    const name = args[stdinAt + 1];
    files.push(path.isAbsolute(name) ? { uri: pathToFileURL(name).href, text: input } : { uri: name, base: '%SRCROOT%', text: input });
  } else {
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.py')) files.push({ uri: pathToFileURL(p).href, text: fs.readFileSync(p, 'utf8') });
      }
    };
    walk(path.resolve(args[args.length - 1]));
  }
  const results: unknown[] = [];
  for (const f of files) {
    const loc = { uri: f.uri, ...(f.base ? { uriBaseId: f.base } : {}) };
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

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d: string) => (input += d));
process.stdin.on('end', () => main(input));
