// A small hand-written stand-in for the parts of the `vscode` API that
// extension.ts and vscode-languageclient use, with hooks for tests to fire
// events and read results. Only what is touched is modelled, and only as far
// as needed: enough for the real language client to start a server over
// stdio, keep documents in sync (incremental changes, as VS Code sends them),
// turn its diagnostics and code actions into these classes, and answer its
// `workspace/configuration` requests.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { applyEdits, EditConflictError, lineStarts, offsetAt } from '../src/edits';

type Listener<T> = (e: T) => unknown;

export class Disposable {
  constructor(private readonly fn: () => unknown = () => undefined) {}
  static from(...items: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  event = (l: Listener<T>, thisArg?: unknown, disposables?: Disposable[]) => {
    const bound = thisArg ? l.bind(thisArg) : l;
    this.listeners.push(bound);
    const d = new Disposable(() => (this.listeners = this.listeners.filter((x) => x !== bound)));
    disposables?.push(d);
    return d;
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class CancellationError extends Error {}

export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  readonly token = {
    isCancellationRequested: false,
    onCancellationRequested: this.emitter.event,
  };
  cancel(): void {
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
  isEqual(o: Position): boolean {
    return this.line === o.line && this.character === o.character;
  }
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: number | Position, b: number | Position, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c!, d!) : (b as Position);
  }
  get isEmpty(): boolean {
    return this.start.isEqual(this.end);
  }
}

export class Selection extends Range {}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
    private readonly href: string,
  ) {}
  static file(p: string): Uri {
    const href = pathToFileURL(p).href;
    return new Uri('file', new URL(href).pathname, href);
  }
  static parse(s: string): Uri {
    const u = new URL(s);
    return u.protocol === 'file:' ? Uri.file(fileURLToPath(u)) : new Uri(u.protocol.slice(0, -1), u.pathname, u.href);
  }
  static from(c: { scheme: string; path: string }): Uri {
    return new Uri(c.scheme, c.path, `${c.scheme}:${c.path}`);
  }
  get fsPath(): string {
    return fileURLToPath(this.href);
  }
  toString(): string {
    return this.href;
  }
  toJSON(): string {
    return this.href;
  }
}

export class Location {
  constructor(
    readonly uri: Uri,
    readonly range: Range,
  ) {}
}

export class DiagnosticRelatedInformation {
  constructor(
    readonly location: Location,
    readonly message: string,
  ) {}
}

export class Diagnostic {
  source?: string;
  code?: string | number | { value: string | number; target: Uri };
  tags?: number[];
  relatedInformation?: DiagnosticRelatedInformation[];
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity: number,
  ) {}
}

export class CodeActionKind {
  static readonly Empty = new CodeActionKind('');
  static readonly QuickFix = new CodeActionKind('quickfix');
  static readonly Refactor = new CodeActionKind('refactor');
  static readonly RefactorExtract = new CodeActionKind('refactor.extract');
  static readonly RefactorInline = new CodeActionKind('refactor.inline');
  static readonly RefactorRewrite = new CodeActionKind('refactor.rewrite');
  static readonly Source = new CodeActionKind('source');
  static readonly SourceOrganizeImports = new CodeActionKind('source.organizeImports');
  static readonly SourceFixAll = new CodeActionKind('source.fixAll');
  constructor(readonly value: string) {}
  append(part: string): CodeActionKind {
    return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
  }
  contains(other: CodeActionKind): boolean {
    return this.value === '' || other.value === this.value || other.value.startsWith(`${this.value}.`);
  }
  intersects(other: CodeActionKind): boolean {
    return this.contains(other) || other.contains(this);
  }
}

export const CodeActionTriggerKind = { Invoke: 1, Automatic: 2 };

export class TextEdit {
  constructor(
    readonly range: Range,
    readonly newText: string,
  ) {}
  static replace(range: Range, newText: string): TextEdit {
    return new TextEdit(range, newText);
  }
}

export class WorkspaceEdit {
  readonly edits: Array<{ uri: Uri; range: Range; newText: string }> = [];
  replace(uri: Uri, range: Range, newText: string): void {
    this.edits.push({ uri, range, newText });
  }
  insert(uri: Uri, position: Position, newText: string): void {
    this.edits.push({ uri, range: new Range(position, position), newText });
  }
  set(uri: Uri, edits: TextEdit[]): void {
    for (const e of edits) this.edits.push({ uri, range: e.range, newText: e.newText });
  }
  get size(): number {
    return this.entries().length;
  }
  entries(): Array<[Uri, TextEdit[]]> {
    const byUri = new Map<string, [Uri, TextEdit[]]>();
    for (const e of this.edits) {
      const entry = byUri.get(e.uri.toString()) ?? [e.uri, []];
      entry[1].push(new TextEdit(e.range, e.newText));
      byUri.set(e.uri.toString(), entry);
    }
    return [...byUri.values()];
  }
}

export class CodeAction {
  isPreferred?: boolean;
  edit?: WorkspaceEdit;
  command?: { command: string; title: string; arguments?: unknown[] };
  diagnostics?: Diagnostic[];
  constructor(
    readonly title: string,
    public kind?: CodeActionKind,
  ) {}
}

// Classes that vscode-languageclient extends when it is loaded.
export class CompletionItem {}
export class CodeLens {}
export class DocumentLink {}
export class InlayHint {}
export class CallHierarchyItem {}
export class TypeHierarchyItem {}
export class SymbolInformation {}
export class TabInputText {}
export class TabInputTextDiff {}
export class TabInputCustom {}

export class RelativePattern {
  readonly baseUri: Uri;
  constructor(
    base: Uri | { uri: Uri },
    readonly pattern: string,
  ) {
    this.baseUri = base instanceof Uri ? base : base.uri;
  }
}

export const DiagnosticSeverity = { Error: 0, Warning: 1, Information: 2, Hint: 3 };
export const DiagnosticTag = { Unnecessary: 1, Deprecated: 2 };
export const EndOfLine = { LF: 1, CRLF: 2 };
export const ViewColumn = { Beside: -2 };
export const ProgressLocation = { Notification: 15 };
export const version = '1.90.0';
export const env = {
  appName: 'fake-vscode',
  language: 'en',
  openExternal: async () => false,
};

export interface ContentChange {
  range: Range;
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

export class FakeDocument {
  version = 1;
  isClosed = false;
  isDirty = false;
  isUntitled = false;
  constructor(
    readonly uri: Uri,
    public languageId: string,
    private text: string,
  ) {}
  get fileName(): string {
    return this.uri.scheme === 'file' ? this.uri.fsPath : this.uri.path;
  }
  get eol(): number {
    return this.text.includes('\r\n') ? EndOfLine.CRLF : EndOfLine.LF;
  }
  getText(range?: Range): string {
    return range ? this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end)) : this.text;
  }
  private get lines(): string[] {
    return this.text.split(/\r?\n/);
  }
  get lineCount(): number {
    return this.lines.length;
  }
  lineAt(i: number): { text: string; range: Range } {
    const text = this.lines[i];
    return { text, range: new Range(i, 0, i, text.length) };
  }
  offsetAt(p: Position): number {
    return offsetAt(this.text, p);
  }
  positionAt(offset: number): Position {
    const starts = lineStarts(this.text);
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
    return new Position(line, Math.min(offset, this.text.length) - starts[line]);
  }
  validateRange(r: Range): Range {
    const clamp = (p: Position): Position => {
      const line = Math.min(Math.max(0, p.line), this.lineCount - 1);
      return new Position(line, Math.min(Math.max(0, p.character), this.lines[line].length));
    };
    return new Range(clamp(r.start), clamp(r.end));
  }
  /** Replaces the text without an event (a change nobody was told about). */
  setText(text: string): void {
    this.text = text;
    this.version++;
  }
  /**
   * Applies edits (ranges of the current text) and returns the content
   * changes of VS Code's change event: last edit first, so that each range
   * is valid when the changes are applied in order.
   */
  edit(edits: ReadonlyArray<{ range: Range; newText: string }>): ContentChange[] {
    const old = this.text;
    const changes = edits
      .map((e) => {
        const from = offsetAt(old, e.range.start);
        const to = offsetAt(old, e.range.end);
        return { range: new Range(this.positionAt(from), this.positionAt(to)), rangeOffset: from, rangeLength: to - from, text: e.newText };
      })
      .sort((a, b) => b.rangeOffset - a.rangeOffset || b.rangeLength - a.rangeLength);
    this.setText(applyEdits(old, edits));
    return changes;
  }
}

export class FakeCollection {
  readonly entries = new Map<string, Diagnostic[]>();
  /** How many times set() was called per document (an empty list counts too). */
  readonly updates = new Map<string, number>();
  disposed = false;
  constructor(readonly name: string) {}
  set(uri: Uri, diags: readonly Diagnostic[] | undefined): void {
    this.updates.set(uri.toString(), (this.updates.get(uri.toString()) ?? 0) + 1);
    if (!diags || diags.length === 0) this.entries.delete(uri.toString());
    else this.entries.set(uri.toString(), [...diags]);
  }
  delete(uri: Uri): void {
    this.entries.delete(uri.toString());
  }
  clear(): void {
    this.entries.clear();
  }
  get(uri: Uri): Diagnostic[] | undefined {
    return this.entries.get(uri.toString());
  }
  has(uri: Uri): boolean {
    return this.entries.has(uri.toString());
  }
  forEach(fn: (uri: Uri, diags: Diagnostic[]) => void): void {
    for (const [k, v] of this.entries) fn(Uri.parse(k), v);
  }
  dispose(): void {
    this.entries.clear();
    this.disposed = true;
  }
}

type Scope = 'globalValue' | 'workspaceValue' | 'workspaceFolderValue';

interface DocumentFilter {
  language?: string;
  scheme?: string;
  pattern?: string;
}

type CodeActionProvider = {
  provideCodeActions: (...a: unknown[]) => unknown;
};

/** The state of the fake editor; `reset()` starts afresh for each test. */
export const state = {
  trusted: true,
  folders: [] as Array<{ uri: Uri; name: string; index: number }>,
  documents: [] as FakeDocument[],
  settings: new Map<string, Partial<Record<Scope, unknown>>>(),
  defaults: {} as Record<string, unknown>,
  collections: [] as FakeCollection[],
  output: [] as string[],
  messages: [] as Array<{ level: 'error' | 'info' | 'warning'; text: string }>,
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  codeActionProviders: [] as Array<{
    selector: DocumentFilter | DocumentFilter[];
    provider: CodeActionProvider;
    metadata?: { providedCodeActionKinds?: CodeActionKind[] };
  }>,
  contentProviders: new Map<string, { provideTextDocumentContent: (uri: Uri) => Promise<string> | string }>(),
  watchers: [] as Array<{ pattern: RelativePattern; create: EventEmitter<Uri>; change: EventEmitter<Uri>; del: EventEmitter<Uri> }>,
  shown: [] as FakeDocument[],
  openDialogResult: undefined as Uri[] | undefined,
  activeEditor: undefined as { document: FakeDocument; selection?: Selection; revealRange: () => void } | undefined,
  events: {
    open: new EventEmitter<FakeDocument>(),
    save: new EventEmitter<FakeDocument>(),
    change: new EventEmitter<{ document: FakeDocument; contentChanges: readonly ContentChange[]; reason: undefined }>(),
    close: new EventEmitter<FakeDocument>(),
    config: new EventEmitter<{ affectsConfiguration: (s: string) => boolean }>(),
    trust: new EventEmitter<void>(),
    folders: new EventEmitter<void>(),
  },
};

export function reset(manifestDefaults: Record<string, unknown>): void {
  state.trusted = true;
  state.folders = [];
  state.documents = [];
  state.settings = new Map();
  state.defaults = manifestDefaults;
  state.collections = [];
  state.output = [];
  state.messages = [];
  state.commands = new Map();
  state.codeActionProviders = [];
  state.contentProviders = new Map();
  state.watchers = [];
  state.shown = [];
  state.openDialogResult = undefined;
  state.activeEditor = undefined;
  for (const key of Object.keys(state.events) as Array<keyof typeof state.events>) {
    (state.events as Record<string, unknown>)[key] = new EventEmitter();
  }
}

export function setSetting(key: string, scope: Scope, value: unknown): void {
  const s = state.settings.get(key) ?? {};
  s[scope] = value;
  state.settings.set(key, s);
}

/** Changes a setting and fires the configuration event, as VS Code does. */
export function changeSetting(key: string, scope: Scope, value: unknown): void {
  setSetting(key, scope, value);
  const full = `redislint.${key}`;
  state.events.config.fire({ affectsConfiguration: (s) => full === s || full.startsWith(`${s}.`) });
}

/** Opens a document and fires the open event, as VS Code does. */
export function openDocument(file: string, languageId = 'python', text?: string): FakeDocument {
  const doc = new FakeDocument(Uri.file(file), languageId, text ?? fs.readFileSync(file, 'utf8'));
  state.documents.push(doc);
  state.events.open.fire(doc);
  return doc;
}

/** An untitled (unsaved, not on disk) document. */
export function openUntitled(name: string, languageId: string, text: string): FakeDocument {
  const doc = new FakeDocument(Uri.from({ scheme: 'untitled', path: name }), languageId, text);
  doc.isUntitled = true;
  state.documents.push(doc);
  state.events.open.fire(doc);
  return doc;
}

/** Edits a document (ranges of its current text) and fires the change event. */
export function editDocument(doc: FakeDocument, edits: ReadonlyArray<{ range: Range; newText: string }>): void {
  const contentChanges = doc.edit(edits);
  state.events.change.fire({ document: doc, contentChanges, reason: undefined });
}

/** Replaces the whole text and fires the change event. */
export function changeDocument(doc: FakeDocument, text: string): void {
  const end = doc.positionAt(doc.getText().length);
  editDocument(doc, [{ range: new Range(new Position(0, 0), end), newText: text }]);
}

export function closeDocument(doc: FakeDocument): void {
  doc.isClosed = true;
  state.documents = state.documents.filter((d) => d !== doc);
  state.events.close.fire(doc);
}

/** The live (not disposed) collection of that name created last. */
export function collection(name: string): FakeCollection {
  const c = state.collections.filter((x) => x.name === name && !x.disposed).at(-1);
  if (!c) throw new Error(`no collection ${name}`);
  return c;
}

/** Diagnostics of a document in every collection, as VS Code passes them in a code action context. */
export function diagnosticsAt(doc: FakeDocument, range: Range): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of state.collections) {
    if (c.disposed) continue;
    for (const d of c.get(doc.uri) ?? []) {
      const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
      if (before(d.range.start, range.end) && before(range.start, d.range.end)) out.push(d);
    }
  }
  return out;
}

function matches(selector: DocumentFilter | string | ReadonlyArray<DocumentFilter | string>, doc: FakeDocument): number {
  const list = Array.isArray(selector) ? selector : [selector];
  for (const s of list as Array<DocumentFilter | string>) {
    const f: DocumentFilter = typeof s === 'string' ? { language: s } : s;
    if (f.language && f.language !== '*' && f.language !== doc.languageId) continue;
    if (f.scheme && f.scheme !== '*' && f.scheme !== doc.uri.scheme) continue;
    if (f.pattern) continue; // not modelled
    return 10;
  }
  return 0;
}

/**
 * The code actions of every matching provider, as the light bulb or the
 * Source Action menu gets them: asked with `only`, and filtered by it.
 */
export async function codeActions(
  doc: FakeDocument,
  range: Range,
  only?: CodeActionKind,
): Promise<Array<CodeAction | { title: string; command: string }>> {
  const token = new CancellationTokenSource().token;
  const context = { diagnostics: diagnosticsAt(doc, range), only, triggerKind: CodeActionTriggerKind.Invoke };
  const out: Array<CodeAction | { title: string; command: string }> = [];
  for (const p of state.codeActionProviders) {
    if (!matches(p.selector, doc)) continue;
    const kinds = p.metadata?.providedCodeActionKinds;
    if (only && kinds && !kinds.some((k) => only.intersects(k))) continue;
    const got = ((await p.provider.provideCodeActions(doc, range, context, token)) ?? []) as Array<
      CodeAction | { title: string; command: string }
    >;
    for (const a of got) {
      const kind = a instanceof CodeAction ? a.kind : undefined;
      if (only && !(kind && only.contains(kind))) continue;
      // Source actions appear only when asked for.
      if (!only && kind && CodeActionKind.Source.contains(kind)) continue;
      out.push(a);
    }
  }
  return out;
}

/** What VS Code does with a chosen code action: apply its edit, then run its command. */
export async function runCodeAction(a: CodeAction): Promise<void> {
  if (a.edit && !(await workspace.applyEdit(a.edit))) throw new Error(`the edit of "${a.title}" was not applied`);
  if (a.command) await commands.executeCommand(a.command.command, ...(a.command.arguments ?? []));
}

function walk(dir: string, out: string[]): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const disposable = new Disposable();

function lookup(key: string): unknown {
  const s = state.settings.get(key.replace(/^redislint\./, '')) ?? {};
  if (!key.startsWith('redislint.')) return undefined;
  const trustedScopes = s.workspaceFolderValue ?? s.workspaceValue;
  return trustedScopes ?? s.globalValue ?? state.defaults[key];
}

export const workspace = {
  get isTrusted() {
    return state.trusted;
  },
  get workspaceFolders() {
    return state.folders.length ? state.folders : undefined;
  },
  get textDocuments() {
    return state.documents;
  },
  get notebookDocuments() {
    return [];
  },
  getConfiguration(section?: string) {
    const full = (key: string) => (section ? `${section}.${key}` : key);
    return {
      // Settings of the fake are not per resource: one value per scope.
      inspect: (key: string) => ({
        defaultValue: state.defaults[full(key)],
        ...(full(key).startsWith('redislint.') ? state.settings.get(full(key).slice('redislint.'.length)) : {}),
      }),
      get: (key: string, fallback?: unknown) => {
        const k = full(key);
        if (k === 'redislint') {
          const all: Record<string, unknown> = {};
          for (const d of Object.keys(state.defaults)) all[d.slice('redislint.'.length)] = lookup(d);
          return all;
        }
        return lookup(k) ?? fallback;
      },
    };
  },
  getWorkspaceFolder(uri: Uri) {
    return state.folders.find((f) => uri.scheme === 'file' && !path.relative(f.uri.fsPath, uri.fsPath).startsWith('..'));
  },
  onDidOpenTextDocument: (l: Listener<FakeDocument>, thisArg?: unknown, d?: Disposable[]) => state.events.open.event(l, thisArg, d),
  onDidSaveTextDocument: (l: Listener<FakeDocument>, thisArg?: unknown, d?: Disposable[]) => state.events.save.event(l, thisArg, d),
  onDidChangeTextDocument: (
    l: Listener<{ document: FakeDocument; contentChanges: readonly ContentChange[]; reason: undefined }>,
    thisArg?: unknown,
    d?: Disposable[],
  ) => state.events.change.event(l, thisArg, d),
  onDidCloseTextDocument: (l: Listener<FakeDocument>, thisArg?: unknown, d?: Disposable[]) => state.events.close.event(l, thisArg, d),
  onWillSaveTextDocument: () => disposable,
  onDidChangeConfiguration: (l: Listener<{ affectsConfiguration: (s: string) => boolean }>, thisArg?: unknown, d?: Disposable[]) =>
    state.events.config.event(l, thisArg, d),
  onDidGrantWorkspaceTrust: (l: Listener<void>) => state.events.trust.event(l),
  onDidChangeWorkspaceFolders: (l: Listener<void>) => state.events.folders.event(l),
  registerTextDocumentContentProvider(scheme: string, p: { provideTextDocumentContent: (uri: Uri) => Promise<string> }) {
    state.contentProviders.set(scheme, p);
    return disposable;
  },
  async openTextDocument(uri: Uri): Promise<FakeDocument> {
    const open = state.documents.find((d) => d.uri.toString() === uri.toString());
    if (open) return open;
    const provider = state.contentProviders.get(uri.scheme);
    const text = provider ? await provider.provideTextDocumentContent(uri) : fs.readFileSync(uri.fsPath, 'utf8');
    const doc = new FakeDocument(uri, uri.path.endsWith('.md') ? 'markdown' : 'plaintext', text);
    state.documents.push(doc);
    return doc;
  },
  /** Applies the edits of open documents (all or nothing, overlapping edits refused, as VS Code does). */
  async applyEdit(edit: WorkspaceEdit): Promise<boolean> {
    const byUri = new Map<string, typeof edit.edits>();
    for (const e of edit.edits) byUri.set(e.uri.toString(), [...(byUri.get(e.uri.toString()) ?? []), e]);
    const docs = [...byUri.keys()].map((key) => state.documents.find((d) => d.uri.toString() === key));
    if (docs.some((d) => !d)) return false;
    try {
      for (const [key, edits] of byUri) applyEdits(docs.find((d) => d!.uri.toString() === key)!.getText(), edits);
    } catch (e) {
      if (e instanceof EditConflictError) return false;
      throw e;
    }
    for (const [key, edits] of byUri) editDocument(docs.find((d) => d!.uri.toString() === key)!, edits);
    return true;
  },
  fs: { readFile: async (uri: Uri) => new Uint8Array(fs.readFileSync(uri.fsPath)) },
  async findFiles(pattern: RelativePattern): Promise<Uri[]> {
    const prefix = pattern.pattern.replace(/\/?\*\*\/\*\.sarif$/, '');
    return walk(path.join(pattern.baseUri.fsPath, prefix), [])
      .filter((f) => f.endsWith('.sarif'))
      .map((f) => Uri.file(f));
  },
  createFileSystemWatcher(pattern: RelativePattern) {
    const w = { pattern, create: new EventEmitter<Uri>(), change: new EventEmitter<Uri>(), del: new EventEmitter<Uri>() };
    state.watchers.push(w);
    return { onDidCreate: w.create.event, onDidChange: w.change.event, onDidDelete: w.del.event, dispose: () => undefined };
  },
};

export const window = {
  createOutputChannel: () => {
    let partial = '';
    return {
      name: 'redislint',
      append: (s: string) => {
        const lines = (partial + s).split('\n');
        partial = lines.pop()!;
        state.output.push(...lines);
      },
      appendLine: (l: string) => {
        state.output.push(partial + l);
        partial = '';
      },
      show: () => undefined,
      hide: () => undefined,
      clear: () => undefined,
      replace: () => undefined,
      dispose: () => undefined,
    };
  },
  showErrorMessage: async (text: string) => {
    state.messages.push({ level: 'error', text });
    return undefined;
  },
  showWarningMessage: async (text: string) => {
    state.messages.push({ level: 'warning', text });
    return undefined;
  },
  showInformationMessage: async (text: string) => {
    state.messages.push({ level: 'info', text });
    return undefined;
  },
  showOpenDialog: async () => state.openDialogResult,
  showInputBox: async () => undefined,
  async showTextDocument(doc: FakeDocument) {
    state.shown.push(doc);
    return {};
  },
  get activeTextEditor() {
    return state.activeEditor;
  },
  withProgress: (_o: unknown, task: (p: unknown, t: unknown) => unknown) =>
    task({ report: () => undefined }, { onCancellationRequested: () => disposable }),
};

export const languages = {
  createDiagnosticCollection(name: string) {
    const c = new FakeCollection(name);
    state.collections.push(c);
    return c;
  },
  registerCodeActionsProvider(
    selector: DocumentFilter | DocumentFilter[],
    provider: CodeActionProvider,
    metadata?: { providedCodeActionKinds?: CodeActionKind[] },
  ) {
    const entry = { selector, provider, metadata };
    state.codeActionProviders.push(entry);
    return new Disposable(() => (state.codeActionProviders = state.codeActionProviders.filter((p) => p !== entry)));
  },
  match: matches,
  async setTextDocumentLanguage(doc: FakeDocument, languageId: string) {
    doc.languageId = languageId;
    return doc;
  },
};

export const commands = {
  registerCommand(id: string, fn: (...args: unknown[]) => unknown) {
    state.commands.set(id, fn);
    return new Disposable(() => state.commands.delete(id));
  },
  async executeCommand(id: string, ...args: unknown[]) {
    return state.commands.get(id)?.(...args);
  },
};
