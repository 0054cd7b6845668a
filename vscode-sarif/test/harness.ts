// Loads extension.ts (and with it vscode-languageclient) against the fake
// `vscode` module of fake-vscode.ts, and activates it in a fresh fake editor.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as fake from './fake-vscode';
import { ROOT } from './helpers';

// Every `require('vscode')` of this process gets the fake: the extension's
// and vscode-languageclient's.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Module = require('node:module') as { _load: (request: string, ...rest: unknown[]) => unknown };
const original = Module._load;
Module._load = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? fake : original.call(this, request, ...rest);
};

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const ext = require('../src/extension') as typeof import('../src/extension');

export const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
export const manifestDefaults: Record<string, unknown> = Object.fromEntries(
  Object.entries(manifest.contributes.configuration.properties).map(([k, v]) => [k, (v as { default: unknown }).default]),
);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(what: string, fn: () => T | undefined | false | null, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

let subscriptions: Array<{ dispose(): unknown }> = [];

/**
 * Activates the extension in a fresh fake editor with one workspace folder;
 * `configure` sets settings and trust before activation.
 */
export function activate(folder: string, configure?: () => void): void {
  fake.reset(manifestDefaults);
  fake.state.folders = [{ uri: fake.Uri.file(folder), name: path.basename(folder), index: 0 }];
  configure?.();
  subscriptions = [];
  ext.activate({ subscriptions } as never);
}

/** Stops the language server (as VS Code does on deactivation) and disposes everything. */
export async function deactivate(): Promise<void> {
  await ext.deactivate();
  for (const s of subscriptions) s.dispose();
  subscriptions = [];
}

/** The server's diagnostics: the language client's collection (empty until the client has started). */
export const live = (): fake.FakeCollection => {
  try {
    return fake.collection('redislint');
  } catch {
    return new fake.FakeCollection('redislint (not created yet)');
  }
};

export const errors = () => fake.state.messages.filter((m) => m.level === 'error');

export function lineRange(doc: fake.FakeDocument, line: number): fake.Range {
  return new fake.Range(line, 0, line, doc.lineAt(line).text.length);
}

/** A CodeAction (not a bare Command) by title. */
export function actionTitled(actions: Array<fake.CodeAction | { title: string }>, title: string | RegExp): fake.CodeAction {
  const a = actions.find((x) => (typeof title === 'string' ? x.title === title : title.test(x.title)));
  if (!(a instanceof fake.CodeAction)) throw new Error(`no code action ${title} among ${actions.map((x) => x.title).join(' | ')}`);
  return a;
}
