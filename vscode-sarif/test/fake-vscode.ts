// A small hand-written stand-in for the parts of the `vscode` API that
// extension.ts uses, with hooks for tests to fire events and read results.
// Only what the extension touches is modelled, and only as far as needed.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { applyEdits } from '../src/edits';

type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  event = (l: Listener<T>) => {
    this.listeners.push(l);
    return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: number | Position, b: number | Position, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c!, d!) : (b as Position);
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
  code?: unknown;
  tags?: number[];
  relatedInformation?: DiagnosticRelatedInformation[];
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity: number,
  ) {}
}

export class CodeActionKind {
  static readonly QuickFix = new CodeActionKind('quickfix');
  static readonly SourceFixAll = new CodeActionKind('source.fixAll');
  static readonly Source = new CodeActionKind('source');
  constructor(readonly value: string) {}
  append(part: string): CodeActionKind {
    return new CodeActionKind(`${this.value}.${part}`);
  }
  contains(other: CodeActionKind): boolean {
    return other.value === this.value || other.value.startsWith(`${this.value}.`);
  }
}

export class WorkspaceEdit {
  readonly edits: Array<{ uri: Uri; range: Range; newText: string }> = [];
  replace(uri: Uri, range: Range, newText: string): void {
    this.edits.push({ uri, range, newText });
  }
}

export class CodeAction {
  isPreferred?: boolean;
  edit?: WorkspaceEdit;
  command?: { command: string; title: string; arguments?: unknown[] };
  diagnostics?: Diagnostic[];
  constructor(
    readonly title: string,
    readonly kind: CodeActionKind,
  ) {}
}

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

export class FakeDocument {
  version = 1;
  isClosed = false;
  constructor(
    readonly uri: Uri,
    public languageId: string,
    private text: string,
  ) {}
  get eol(): number {
    return this.text.includes('\r\n') ? EndOfLine.CRLF : EndOfLine.LF;
  }
  getText(): string {
    return this.text;
  }
  private get lines(): string[] {
    return this.text.split(/\r?\n/);
  }
  get lineCount(): number {
    return this.lines.length;
  }
  lineAt(i: number): { text: string } {
    return { text: this.lines[i] };
  }
  validateRange(r: Range): Range {
    const clamp = (p: Position): Position => {
      const line = Math.min(Math.max(0, p.line), this.lineCount - 1);
      return new Position(line, Math.min(Math.max(0, p.character), this.lines[line].length));
    };
    return new Range(clamp(r.start), clamp(r.end));
  }
  setText(text: string): void {
    this.text = text;
    this.version++;
  }
}

export class FakeCollection {
  readonly entries = new Map<string, Diagnostic[]>();
  constructor(readonly name: string) {}
  set(uri: Uri, diags: Diagnostic[]): void {
    this.entries.set(uri.toString(), diags);
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
  dispose(): void {
    this.entries.clear();
  }
}

type Scope = 'globalValue' | 'workspaceValue' | 'workspaceFolderValue';

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
    provider: { provideCodeActions: (...a: unknown[]) => unknown };
    metadata: { providedCodeActionKinds: CodeActionKind[] };
  }>,
  contentProviders: new Map<string, { provideTextDocumentContent: (uri: Uri) => Promise<string> | string }>(),
  watchers: [] as Array<{ pattern: RelativePattern; create: EventEmitter<Uri>; change: EventEmitter<Uri>; del: EventEmitter<Uri> }>,
  shown: [] as FakeDocument[],
  openDialogResult: undefined as Uri[] | undefined,
  activeEditor: undefined as { document: FakeDocument; selection?: Selection; revealRange: () => void } | undefined,
  events: {
    open: new EventEmitter<FakeDocument>(),
    save: new EventEmitter<FakeDocument>(),
    change: new EventEmitter<{ document: FakeDocument; contentChanges: unknown[] }>(),
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

/** Opens a document and fires the open event, as VS Code does. */
export function openDocument(file: string, languageId = 'python'): FakeDocument {
  const doc = new FakeDocument(Uri.file(file), languageId, fs.readFileSync(file, 'utf8'));
  state.documents.push(doc);
  state.events.open.fire(doc);
  return doc;
}

export function changeDocument(doc: FakeDocument, text: string): void {
  doc.setText(text);
  state.events.change.fire({ document: doc, contentChanges: [{}] });
}

export function closeDocument(doc: FakeDocument): void {
  doc.isClosed = true;
  state.documents = state.documents.filter((d) => d !== doc);
  state.events.close.fire(doc);
}

export function collection(name: string): FakeCollection {
  const c = state.collections.find((x) => x.name === name);
  if (!c) throw new Error(`no collection ${name}`);
  return c;
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

const disposable = { dispose: () => undefined };

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
  getConfiguration(section: string) {
    return {
      inspect: (key: string) => ({ defaultValue: state.defaults[`${section}.${key}`], ...state.settings.get(key) }),
    };
  },
  getWorkspaceFolder(uri: Uri) {
    return state.folders.find((f) => !path.relative(f.uri.fsPath, uri.fsPath).startsWith('..'));
  },
  onDidOpenTextDocument: (l: Listener<FakeDocument>) => state.events.open.event(l),
  onDidSaveTextDocument: (l: Listener<FakeDocument>) => state.events.save.event(l),
  onDidChangeTextDocument: (l: Listener<{ document: FakeDocument; contentChanges: unknown[] }>) => state.events.change.event(l),
  onDidCloseTextDocument: (l: Listener<FakeDocument>) => state.events.close.event(l),
  onDidChangeConfiguration: (l: Listener<{ affectsConfiguration: (s: string) => boolean }>) => state.events.config.event(l),
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
  async applyEdit(edit: WorkspaceEdit): Promise<boolean> {
    const byUri = new Map<string, typeof edit.edits>();
    for (const e of edit.edits) byUri.set(e.uri.toString(), [...(byUri.get(e.uri.toString()) ?? []), e]);
    for (const [key, edits] of byUri) {
      const doc = state.documents.find((d) => d.uri.toString() === key);
      if (!doc) return false;
      doc.setText(applyEdits(doc.getText(), edits));
      state.events.change.fire({ document: doc, contentChanges: edits });
    }
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
  createOutputChannel: () => ({ appendLine: (l: string) => state.output.push(l), show: () => undefined, dispose: () => undefined }),
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
    _selector: unknown,
    provider: { provideCodeActions: (...a: unknown[]) => unknown },
    metadata: { providedCodeActionKinds: CodeActionKind[] },
  ) {
    state.codeActionProviders.push({ provider, metadata });
    return disposable;
  },
  async setTextDocumentLanguage(doc: FakeDocument, languageId: string) {
    doc.languageId = languageId;
    return doc;
  },
};

export const commands = {
  registerCommand(id: string, fn: (...args: unknown[]) => unknown) {
    state.commands.set(id, fn);
    return disposable;
  },
  async executeCommand(id: string, ...args: unknown[]) {
    return state.commands.get(id)?.(...args);
  },
};
