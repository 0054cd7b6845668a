// VS Code wiring only: events, commands, providers and conversions between the
// plain data of the other modules and the VS Code API types.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ActionDescriptor, COMMAND_SHOW_RULE, COMMAND_SUPPRESS, fixAllAction, quickFixes } from './actions';
import { splitLines } from './edits';
import { OnceReporter } from './notify';
import { ReviewStore, loadSarifText } from './review';
import { formatCommandLine, interpretLintRun, LintOutcome, RunResult, runProcess, SpawnError } from './runner';
import { convertLog, groupByLocation, RuleInfo } from './sarif';
import { LintScheduler } from './scheduler';
import {
  folderCheckArgs,
  readSettings,
  ReadSettings,
  resolveCommand,
  ResolvedCommand,
  sanitizeArgs,
  stdinCheckArgs,
} from './settings';
import { planSuppression } from './suppress';
import { DiagnosticData, rangesIntersect, Rng } from './types';
import { stdinFileName } from './uris';

const DEBOUNCE_MS = 300;
const BUFFER_TIMEOUT_MS = 30_000;
const WORKSPACE_TIMEOUT_MS = 10 * 60_000;
const RULE_SCHEME = 'redislint-rule';
const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('redislint');
const LIVE_SOURCE = 'redislint';
const REVIEW_SOURCE = 'redislint (SARIF)';

const SEVERITY: Record<DiagnosticData['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

interface Entry {
  /** Document version the results are for; -1 when from a workspace run. */
  version: number;
  items: Array<{ data: DiagnosticData; diag: vscode.Diagnostic }>;
}

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('redislint');
  const live = vscode.languages.createDiagnosticCollection('redislint');
  const review = vscode.languages.createDiagnosticCollection('redislint-sarif');
  const liveEntries = new Map<string, Entry>();
  const reviewEntries = new Map<string, Entry>();
  const reviewStore = new ReviewStore();
  const reporter = new OnceReporter();
  const loggedNotes = new Set<string>();
  const ruleCache = new Map<string, RuleInfo>();
  const tracked = new Map<string, vscode.TextDocument>();
  let workspaceLinted = new Set<string>();
  let sarifWatchers: vscode.Disposable[] = [];
  context.subscriptions.push(output, live, review, { dispose: () => sarifWatchers.forEach((w) => w.dispose()) });

  const log = (msg: string): void => output.appendLine(`[${new Date().toISOString()}] ${msg}`);

  // ---- settings and problems -------------------------------------------------

  const settingsFor = (resource?: vscode.Uri): ReadSettings => {
    const cfg = vscode.workspace.getConfiguration('redislint', resource);
    const rs = readSettings((key) => cfg.inspect(key), vscode.workspace.isTrusted);
    for (const n of rs.notes) {
      if (!loggedNotes.has(n)) {
        loggedNotes.add(n);
        log(n);
      }
    }
    return rs;
  };

  /** Shows a problem once until the settings change; `always` for explicit commands. */
  const report = (key: string, message: string, always = false): void => {
    log(`problem: ${message}`);
    if (!reporter.shouldShow(key) && !always) return;
    const openSettings = 'Open Settings';
    const showLog = 'Show Log';
    void vscode.window.showErrorMessage(`redislint: ${message}`, openSettings, showLog).then((choice) => {
      if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', 'redislint.');
      if (choice === showLog) output.show(true);
    });
  };

  const commandFor = (rs: ReadSettings, folder: string | undefined, always = false): ResolvedCommand => {
    const cmd = resolveCommand(rs.settings.path, { trusted: vscode.workspace.isTrusted, cwd: folder });
    if (!cmd.ok) {
      const hint =
        cmd.reason === 'refused'
          ? ''
          : '. Install redislint and put it on PATH, or set "redislint.path" in your user settings to the executable';
      report(cmd.reason, cmd.message + hint, always);
    }
    return cmd;
  };

  /** Runs redislint, logging the command line, exit status and time. */
  const exec = async (
    command: string,
    args: string[],
    cwd: string | undefined,
    input: string,
    signal: AbortSignal | undefined,
    timeoutMs: number,
  ): Promise<RunResult | { startError: string }> => {
    const line = formatCommandLine(command, args);
    try {
      const r = await runProcess({ command, args, cwd, input, signal, timeoutMs });
      const status = r.cancelled ? 'cancelled' : r.exitCode !== null ? `exit ${r.exitCode}` : `signal ${r.signal}`;
      log(`${line}  (cwd ${cwd ?? '-'}) → ${status} in ${r.durationMs} ms`);
      if (r.stderr.trim() && !r.cancelled) log(`  stderr: ${r.stderr.trim().replace(/\n/g, '\n  ')}`);
      return r;
    } catch (e) {
      log(`${line}  (cwd ${cwd ?? '-'}) → could not start: ${(e as Error).message}`);
      const code = e instanceof SpawnError ? e.code : undefined;
      return {
        startError:
          code === 'ENOENT'
            ? `the redislint executable "${command}" was not found. Set "redislint.path" in your user settings`
            : `could not run "${command}": ${(e as Error).message}`,
      };
    }
  };

  /** A `check` run: its outcome, with problems reported once. */
  const check = async (
    command: string,
    args: string[],
    cwd: string | undefined,
    input: string,
    signal: AbortSignal | undefined,
    timeoutMs: number,
    always = false,
  ): Promise<LintOutcome> => {
    const r = await exec(command, args, cwd, input, signal, timeoutMs);
    if ('startError' in r) {
      report('start', r.startError, always);
      return { kind: 'error', message: r.startError };
    }
    const outcome = interpretLintRun(r);
    if (outcome.kind === 'error') report('failed', outcome.message, always);
    if (outcome.kind === 'ok' && outcome.warning) log(`warning: ${outcome.warning}`);
    return outcome;
  };

  // ---- diagnostics -------------------------------------------------------------

  const toRange = (r: Rng, doc?: vscode.TextDocument): vscode.Range => {
    const range = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
    return doc ? doc.validateRange(range) : range;
  };

  const toDiagnostic = (d: DiagnosticData, source: string, doc?: vscode.TextDocument): vscode.Diagnostic => {
    const diag = new vscode.Diagnostic(toRange(d.range, doc), d.message, SEVERITY[d.severity]);
    diag.source = source;
    diag.code = d.helpUri ? { value: d.ruleId, target: vscode.Uri.parse(d.helpUri) } : d.ruleId;
    diag.tags = d.tags.map((t) => (t === 'deprecated' ? vscode.DiagnosticTag.Deprecated : vscode.DiagnosticTag.Unnecessary));
    const related = d.related.filter((r) => r.location !== null);
    if (related.length > 0) {
      diag.relatedInformation = related.map(
        (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(r.location!), toRange(r.range)), r.message),
      );
    }
    return diag;
  };

  const setLive = (uri: vscode.Uri, version: number, data: DiagnosticData[], doc?: vscode.TextDocument): void => {
    const items = data.map((d) => ({ data: d, diag: toDiagnostic(d, LIVE_SOURCE, doc) }));
    liveEntries.set(uri.toString(), { version, items });
    live.set(
      uri,
      items.map((i) => i.diag),
    );
  };

  const clearLive = (uri: vscode.Uri): void => {
    liveEntries.delete(uri.toString());
    live.delete(uri);
  };

  const rememberRules = (rules: Map<string, RuleInfo>): void => {
    for (const [id, info] of rules) ruleCache.set(id, info);
  };

  // ---- live linting -------------------------------------------------------------

  const shouldLint = (doc: vscode.TextDocument): boolean => doc.languageId === 'python' && doc.uri.scheme === 'file';

  const lintDocument = async (doc: vscode.TextDocument, version: number, signal: AbortSignal): Promise<DiagnosticData[] | null> => {
    if (doc.isClosed || doc.version !== version) return null;
    const rs = settingsFor(doc.uri);
    if (!rs.settings.enable) return null;
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath;
    const cmd = commandFor(rs, folder);
    if (!cmd.ok) return null;
    const { args: userArgs, dropped } = sanitizeArgs(rs.settings.args);
    if (dropped.length > 0) log(`ignored in redislint.args (set by the extension): ${dropped.join(' ')}`);
    const file = doc.uri.fsPath;
    const cwd = folder ?? path.dirname(file);
    const args = stdinCheckArgs(userArgs, stdinFileName(file, folder));
    const outcome = await check(cmd.command, args, cwd, doc.getText(), signal, BUFFER_TIMEOUT_MS);
    if (outcome.kind !== 'ok') return null;
    const conv = convertLog(outcome.log, {
      roots: [cwd],
      forceLocation: file,
      exists: fs.existsSync,
      lineText: (loc, line) => (loc === file && line < doc.lineCount ? doc.lineAt(line).text : undefined),
    });
    rememberRules(conv.rules);
    for (const n of conv.notifications) log(`redislint: ${n}`);
    return conv.diagnostics;
  };

  const scheduler = new LintScheduler<DiagnosticData[] | null>({
    delayMs: DEBOUNCE_MS,
    run: (key, version, signal) => {
      const doc = tracked.get(key);
      return doc ? lintDocument(doc, version, signal) : Promise.resolve(null);
    },
    currentVersion: (key) => tracked.get(key)?.version,
    deliver: (key, version, data) => {
      const doc = tracked.get(key);
      if (doc && data) setLive(doc.uri, version, data, doc);
    },
    onError: (key, e) => log(`lint of ${key} failed: ${(e as Error).stack ?? e}`),
  });
  context.subscriptions.push({ dispose: () => scheduler.dispose() });

  const track = (doc: vscode.TextDocument, delay = 0): void => {
    if (!shouldLint(doc)) return;
    const key = doc.uri.toString();
    tracked.set(key, doc);
    if (!settingsFor(doc.uri).settings.enable) {
      scheduler.cancel(key);
      clearLive(doc.uri);
      return;
    }
    scheduler.schedule(key, doc.version, delay);
  };

  const relintAll = (): void => {
    for (const doc of vscode.workspace.textDocuments) track(doc);
  };

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((doc) => track(doc)),
    vscode.workspace.onDidSaveTextDocument((doc) => track(doc)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      const doc = e.document;
      if (!tracked.has(doc.uri.toString()) || e.contentChanges.length === 0) return;
      if (settingsFor(doc.uri).settings.run === 'onType') track(doc, DEBOUNCE_MS);
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      const key = doc.uri.toString();
      if (!tracked.has(key)) return;
      tracked.delete(key);
      scheduler.cancel(key);
      clearLive(doc.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('redislint')) return;
      reporter.reset();
      loggedNotes.clear();
      relintAll();
      if (e.affectsConfiguration('redislint.sarifFolder')) void setupSarifFolders();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      log('workspace trusted: workspace values of redislint.path and redislint.args now apply');
      reporter.reset();
      loggedNotes.clear();
      relintAll();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void setupSarifFolders()),
  );

  /** Live results matching the document's current text, linting it first if needed. */
  const currentResults = async (doc: vscode.TextDocument, runIfStale: boolean): Promise<Entry | undefined> => {
    const key = doc.uri.toString();
    let entry = liveEntries.get(key);
    if ((!entry || entry.version !== doc.version) && runIfStale && tracked.has(key) && settingsFor(doc.uri).settings.enable) {
      await scheduler.runNow(key, doc.version);
      entry = liveEntries.get(key);
    }
    return entry && entry.version === doc.version ? entry : undefined;
  };

  // ---- code actions ---------------------------------------------------------------

  const toCodeAction = (a: ActionDescriptor, doc: vscode.TextDocument, entries: Entry[]): vscode.CodeAction => {
    const kind = a.kind === 'quickfix' ? vscode.CodeActionKind.QuickFix : FIX_ALL_KIND;
    const action = new vscode.CodeAction(a.title, kind);
    if (a.isPreferred) action.isPreferred = true;
    if (a.edits) {
      const edit = new vscode.WorkspaceEdit();
      for (const e of a.edits) {
        const uri = e.location ? vscode.Uri.file(e.location) : doc.uri;
        const same = uri.toString() === doc.uri.toString();
        edit.replace(uri, toRange(e.range, same ? doc : undefined), e.newText);
      }
      action.edit = edit;
    }
    if (a.command) action.command = { command: a.command.id, title: a.command.title, arguments: a.command.args };
    const diags: vscode.Diagnostic[] = [];
    for (const entry of entries) for (const i of entry.items) if (a.diagnostics.includes(i.data)) diags.push(i.diag);
    if (diags.length > 0) action.diagnostics = diags;
    return action;
  };

  const provider: vscode.CodeActionProvider = {
    async provideCodeActions(doc, range, ctx) {
      const out: vscode.CodeAction[] = [];
      const only = ctx.only;
      // Source actions only when asked for (Source Action menu, code actions on save).
      const wantFixAll = only ? only.contains(FIX_ALL_KIND) : false;
      const wantQuick = only ? only.contains(vscode.CodeActionKind.QuickFix) : true;
      const file = doc.uri.fsPath;
      const key = doc.uri.toString();
      if (wantFixAll) {
        // Lint first when the results are stale (fix all on save).
        const entry = await currentResults(doc, true);
        const fa = entry && fixAllAction(entry.items.map((i) => i.data), file);
        if (entry && fa) out.push(toCodeAction(fa, doc, [entry]));
      }
      if (wantQuick) {
        const sel: Rng = {
          start: { line: range.start.line, character: range.start.character },
          end: { line: range.end.line, character: range.end.character },
        };
        const liveEntry = liveEntries.get(key);
        const reviewEntry = reviewEntries.get(key);
        const entries = [liveEntry, reviewEntry].filter((e): e is Entry => e !== undefined);
        const at = (e: Entry | undefined): DiagnosticData[] =>
          e ? e.items.map((i) => i.data).filter((d) => rangesIntersect(d.range, sel)) : [];
        const fixesUsable = liveEntry !== undefined && liveEntry.version === doc.version;
        const actions = [
          ...quickFixes(at(liveEntry), { fixesUsable, documentUri: key }),
          ...quickFixes(at(reviewEntry), { fixesUsable: false, documentUri: key }),
        ];
        if (fixesUsable) {
          const fa = fixAllAction(liveEntry.items.map((i) => i.data), file, 'quickfix');
          if (fa && fa.diagnostics.length > 1 && actions.some((a) => a.isPreferred)) actions.push(fa);
        }
        const titles = new Set<string>();
        for (const a of actions) {
          if (titles.has(a.title) && !a.edits) continue;
          titles.add(a.title);
          out.push(toCodeAction(a, doc, entries));
        }
      }
      return out;
    },
  };
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider({ language: 'python' }, provider, {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
    }),
  );

  // ---- rule documentation -----------------------------------------------------

  const ruleDocs: vscode.TextDocumentContentProvider = {
    async provideTextDocumentContent(uri) {
      const code = path.posix.basename(uri.path, '.md');
      const cached = ruleCache.get(code);
      const rs = settingsFor(vscode.workspace.workspaceFolders?.[0]?.uri);
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      let problem = '';
      if (/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(code)) {
        const cmd = commandFor(rs, folder);
        if (cmd.ok) {
          const r = await exec(cmd.command, ['rule', code], folder, '', undefined, BUFFER_TIMEOUT_MS);
          if ('startError' in r) problem = r.startError;
          else if (r.exitCode === 0 && r.stdout.trim()) return r.stdout;
          else problem = r.stderr.trim() || `exit status ${r.exitCode}`;
        } else {
          problem = cmd.message;
        }
      } else {
        problem = 'not a rule code';
      }
      if (cached?.helpMarkdown) return cached.helpMarkdown;
      const link = cached?.helpUri ? `\n\nOnline: ${cached.helpUri}\n` : '\n';
      return `# ${code}\n\nThe documentation could not be loaded: ${problem}${link}`;
    },
  };
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(RULE_SCHEME, ruleDocs));

  // ---- code review: SARIF files ---------------------------------------------

  const folderPaths = (): string[] => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);

  const refreshReview = (): void => {
    review.clear();
    reviewEntries.clear();
    for (const [loc, list] of reviewStore.byLocation()) {
      const uri = vscode.Uri.file(loc);
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const items = list.map((d) => ({ data: d, diag: toDiagnostic(d, REVIEW_SOURCE, doc) }));
      reviewEntries.set(uri.toString(), { version: -1, items });
      review.set(
        uri,
        items.map((i) => i.diag),
      );
    }
  };

  /** Loads one SARIF file; returns a summary, or throws with a clear message. */
  const loadSarif = async (uri: vscode.Uri, preferredRoot?: string): Promise<string> => {
    const bytes = await vscode.workspace.fs.readFile(uri);
    const text = new TextDecoder('utf-8').decode(bytes);
    const roots = folderPaths();
    if (preferredRoot) roots.sort((a, b) => Number(b === preferredRoot) - Number(a === preferredRoot));
    const loaded = loadSarifText(text, { roots, exists: fs.existsSync });
    rememberRules(loaded.rules);
    reviewStore.set(uri.toString(), loaded.diagnostics);
    refreshReview();
    const files = groupByLocation(loaded.diagnostics).size;
    const summary =
      `${loaded.diagnostics.length} result(s) in ${files} file(s) from ${uri.fsPath}` +
      (loaded.unresolved > 0 ? `; ${loaded.unresolved} result(s) name files not found in the workspace` : '');
    log(`loaded SARIF: ${summary}`);
    return summary;
  };

  const setupSarifFolders = async (): Promise<void> => {
    sarifWatchers.forEach((w) => w.dispose());
    sarifWatchers = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const dir = settingsFor(folder.uri).settings.sarifFolder.trim();
      if (!dir) continue;
      const pattern = path.isAbsolute(dir)
        ? new vscode.RelativePattern(vscode.Uri.file(dir), '**/*.sarif')
        : new vscode.RelativePattern(folder, `${dir.replace(/\\/g, '/').replace(/\/+$/, '')}/**/*.sarif`);
      const load = (uri: vscode.Uri): void => {
        loadSarif(uri, folder.uri.fsPath).catch((e) => log(`cannot load ${uri.fsPath}: ${(e as Error).message}`));
      };
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      watcher.onDidCreate(load);
      watcher.onDidChange(load);
      watcher.onDidDelete((uri) => {
        if (reviewStore.delete(uri.toString())) refreshReview();
      });
      sarifWatchers.push(watcher);
      for (const uri of await vscode.workspace.findFiles(pattern)) load(uri);
    }
  };

  // ---- commands -----------------------------------------------------------------

  const lintWorkspace = async (): Promise<void> => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) {
      void vscode.window.showInformationMessage('redislint: open a folder to lint a workspace.');
      return;
    }
    const seen = new Set<string>();
    let findings = 0;
    for (const folder of folders) {
      const rs = settingsFor(folder.uri);
      if (!rs.settings.enable) continue;
      const cmd = commandFor(rs, folder.uri.fsPath, true);
      if (!cmd.ok) return;
      const userArgs = sanitizeArgs(rs.settings.args).args;
      const args = folderCheckArgs(userArgs, folder.uri.fsPath);
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `redislint: linting ${folder.name}`, cancellable: true },
        (_progress, token) => {
          const ac = new AbortController();
          token.onCancellationRequested(() => ac.abort());
          return check(cmd.command, args, folder.uri.fsPath, '', ac.signal, WORKSPACE_TIMEOUT_MS, true);
        },
      );
      if (outcome.kind !== 'ok') return;
      const conv = convertLog(outcome.log, { roots: [folder.uri.fsPath], exists: fs.existsSync });
      rememberRules(conv.rules);
      for (const [loc, list] of groupByLocation(conv.diagnostics)) {
        const uri = vscode.Uri.file(loc);
        seen.add(uri.toString());
        findings += list.length;
        if (tracked.has(uri.toString())) continue; // open: live results win
        setLive(uri, -1, list);
      }
    }
    for (const key of workspaceLinted) {
      if (!seen.has(key) && !tracked.has(key)) clearLive(vscode.Uri.parse(key));
    }
    workspaceLinted = seen;
    void vscode.window.showInformationMessage(`redislint: ${findings} finding(s) in ${seen.size} file(s).`);
  };

  const suppress = async (uriString: string, line: number, slug: string): Promise<void> => {
    const uri = vscode.Uri.parse(uriString);
    const doc = await vscode.workspace.openTextDocument(uri);
    const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    const plan = planSuppression(splitLines(doc.getText()), line, slug, eol);
    if (!plan) {
      void vscode.window.showInformationMessage(`redislint: ${slug} is already suppressed on this line.`);
      return;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, toRange(plan.edit.range, doc), plan.edit.newText);
    if (!(await vscode.workspace.applyEdit(edit))) return;
    // Select the word "reason" so that typing replaces it.
    const editor = vscode.window.activeTextEditor;
    if (editor && editor.document.uri.toString() === uri.toString()) {
      const r = toRange(plan.placeholder);
      editor.selection = new vscode.Selection(r.start, r.end);
      editor.revealRange(r);
    }
  };

  const showRuleDocumentation = async (code?: string): Promise<void> => {
    if (typeof code !== 'string' || !code) {
      code = await vscode.window.showInputBox({ prompt: 'redislint rule code or slug', placeHolder: 'RL310' });
      if (!code) return;
    }
    const uri = vscode.Uri.from({ scheme: RULE_SCHEME, path: `/${code.trim()}.md` });
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== 'markdown') doc = await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  };

  const fixAllInEditor = async (): Promise<void> => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !shouldLint(editor.document)) return;
    const doc = editor.document;
    const entry = await currentResults(doc, true);
    const fa = entry && fixAllAction(entry.items.map((i) => i.data), doc.uri.fsPath);
    if (!fa || !entry) {
      void vscode.window.showInformationMessage('redislint: no safe fix to apply.');
      return;
    }
    const action = toCodeAction(fa, doc, [entry]);
    if (action.edit) await vscode.workspace.applyEdit(action.edit);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('redislint.loadSarif', async () => {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: true,
        openLabel: 'Load SARIF',
        filters: { SARIF: ['sarif', 'json'], 'All files': ['*'] },
      });
      for (const uri of picked ?? []) {
        try {
          void vscode.window.showInformationMessage(`redislint: loaded ${await loadSarif(uri)}`);
        } catch (e) {
          void vscode.window.showErrorMessage(`redislint: cannot load ${uri.fsPath}: ${(e as Error).message}`);
        }
      }
    }),
    vscode.commands.registerCommand('redislint.clearSarif', () => {
      reviewStore.clear();
      refreshReview();
      log('cleared the results of loaded SARIF files');
    }),
    vscode.commands.registerCommand('redislint.lintWorkspace', lintWorkspace),
    vscode.commands.registerCommand('redislint.fixAll', fixAllInEditor),
    vscode.commands.registerCommand('redislint.showOutput', () => output.show(true)),
    vscode.commands.registerCommand(COMMAND_SHOW_RULE, showRuleDocumentation),
    vscode.commands.registerCommand(COMMAND_SUPPRESS, suppress),
  );

  log(`redislint extension started (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'not trusted'})`);
  relintAll();
  void setupSarifFolders();
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
