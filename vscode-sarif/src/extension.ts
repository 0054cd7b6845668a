// VS Code wiring only: the language client (live diagnostics, quick fixes
// and fix-all come from `redislint server`), code review with SARIF files,
// Lint workspace, commands, and conversions between the plain data of the
// other modules and the VS Code API types.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  CodeActionRequest,
  CodeActionTriggerKind,
  DidChangeConfigurationNotification,
  ErrorAction,
  ErrorHandler,
  Executable,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  State,
} from 'vscode-languageclient/node';
import { ActionDescriptor, COMMAND_SELECT_REASON, COMMAND_SHOW_RULE, COMMAND_SUPPRESS, docsAction, quickFixes } from './actions';
import { splitLines } from './edits';
import { answerConfiguration, editsOverlap, findFixAll, FIX_ALL_KIND, slugFromHref, textEditsFor } from './lsp';
import { OnceReporter } from './notify';
import { ReviewStore, loadSarifText } from './review';
import { formatCommandLine, interpretLintRun, LintOutcome, RunResult, runProcess, SpawnError } from './runner';
import { convertLog, groupByLocation, RuleInfo } from './sarif';
import {
  checkOptionArgs,
  folderCheckArgs,
  readSettings,
  ReadSettings,
  resolveCommand,
  ResolvedCommand,
  SERVER_ARGS,
  serverConfiguration,
  ServerConfiguration,
} from './settings';
import { placeholderAfterEdit, planSuppression } from './suppress';
import { DiagnosticData, rangesIntersect, Rng } from './types';

const BUFFER_TIMEOUT_MS = 30_000;
/** A server that stops more often than this within RESTART_WINDOW_MS is not restarted. */
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60_000;
const WORKSPACE_TIMEOUT_MS = 10 * 60_000;
const RULE_SCHEME = 'redislint-rule';
/** The language client's collection: the server's diagnostics. */
const LIVE_COLLECTION = 'redislint';
const WORKSPACE_COLLECTION = 'redislint-workspace';
const REVIEW_COLLECTION = 'redislint-sarif';
const LIVE_SOURCE = 'redislint';
const REVIEW_SOURCE = 'redislint (SARIF)';

const SEVERITY: Record<DiagnosticData['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** Results of a `redislint check` run (Lint workspace) or of SARIF files, for one file. */
interface Entry {
  items: Array<{ data: DiagnosticData; diag: vscode.Diagnostic }>;
}

/**
 * The language client, except that stopping a client whose start failed is
 * not an error: vscode-languageclient stops such a client itself without
 * waiting for it (a server that exits before answering `initialize`, e.g. a
 * redislint without the `server` command), which would otherwise leave a
 * rejected promise nobody handles.
 */
class RedislintClient extends LanguageClient {
  override async stop(timeout?: number): Promise<void> {
    try {
      await super.stop(timeout);
    } catch (e) {
      if (this.state === State.Running) throw e;
      this.info(`stop: ${(e as Error).message}`);
    }
  }
}

/** Stops the language client (deactivate). */
let shutdown: (() => Promise<void>) | undefined;

/** Python files saved on disk: what the language server lints. */
function isLive(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'python' && doc.uri.scheme === 'file';
}

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('redislint');
  const workspaceResults = vscode.languages.createDiagnosticCollection(WORKSPACE_COLLECTION);
  const review = vscode.languages.createDiagnosticCollection(REVIEW_COLLECTION);
  const workspaceEntries = new Map<string, Entry>();
  const reviewEntries = new Map<string, Entry>();
  const reviewStore = new ReviewStore();
  const reporter = new OnceReporter();
  const loggedNotes = new Set<string>();
  const ruleCache = new Map<string, RuleInfo>();
  let sarifWatchers: vscode.Disposable[] = [];
  context.subscriptions.push(output, workspaceResults, review, { dispose: () => sarifWatchers.forEach((w) => w.dispose()) });

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

  const enabledFor = (uri: vscode.Uri): boolean => settingsFor(uri).settings.enable;

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

  /** The configuration the server asks for with `workspace/configuration`. */
  const configurationFor = (scopeUri: string | undefined): ServerConfiguration => {
    const resource = scopeUri ? vscode.Uri.parse(scopeUri) : undefined;
    const folder = (resource && vscode.workspace.getWorkspaceFolder(resource)) ?? vscode.workspace.workspaceFolders?.[0];
    return serverConfiguration(settingsFor(resource).settings, folder?.uri.fsPath);
  };

  // ---- conversions ---------------------------------------------------------------

  const toRange = (r: Rng, doc?: vscode.TextDocument): vscode.Range => {
    const range = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
    return doc ? doc.validateRange(range) : range;
  };

  const toRng = (r: vscode.Range): Rng => ({
    start: { line: r.start.line, character: r.start.character },
    end: { line: r.end.line, character: r.end.character },
  });

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

  const openDocument = (uri: vscode.Uri): vscode.TextDocument | undefined =>
    vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());

  const rememberRules = (rules: Map<string, RuleInfo>): void => {
    for (const [id, info] of rules) ruleCache.set(id, info);
  };

  // ---- the language client ------------------------------------------------------

  let client: LanguageClient | undefined;
  let clientCommand: string | undefined;
  /** The server's last diagnostics per document, to show or hide them when redislint.enable changes. */
  const published = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
  // Starts and stops run one after the other.
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(fn);
    queue = p.catch(() => undefined);
    return p;
  };

  /** After the server's suppression action inserted its comment, select the word "reason". */
  const withReasonSelection = (a: vscode.Command | vscode.CodeAction): vscode.Command | vscode.CodeAction => {
    if (typeof a.command === 'string' || !('edit' in a) || !a.edit || a.command) return a;
    const entries = a.edit.entries();
    if (entries.length !== 1 || entries[0][1].length !== 1) return a;
    const [uri, [edit]] = entries[0];
    const at = placeholderAfterEdit({ range: toRng(edit.range), newText: edit.newText });
    if (at) {
      a.command = {
        command: COMMAND_SELECT_REASON,
        title: 'Select the reason',
        arguments: [uri.toString(), at.start.line, at.start.character, at.end.character],
      };
    }
    return a;
  };

  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'python' }],
    diagnosticCollectionName: LIVE_COLLECTION,
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    middleware: {
      handleDiagnostics: (uri, diagnostics, next) => {
        if (diagnostics.length > 0) published.set(uri.toString(), { uri, diagnostics });
        else published.delete(uri.toString());
        next(uri, enabledFor(uri) ? diagnostics : []);
      },
      provideCodeActions: async (document, range, ctx, token, next) => {
        if (!enabledFor(document.uri)) return [];
        const actions = await next(document, range, ctx, token);
        return actions?.map(withReasonSelection);
      },
      workspace: {
        configuration: (params, token, next) =>
          answerConfiguration(params.items, configurationFor, async (items) => {
            const answer = await next({ items }, token);
            return Array.isArray(answer) ? answer : [];
          }),
        // Settings are pulled (workspace/configuration); notifyConfiguration() says when they change.
        didChangeConfiguration: async () => undefined,
      },
    },
  };

  const stopClient = async (): Promise<void> => {
    const c = client;
    client = undefined;
    clientCommand = undefined;
    published.clear();
    if (!c) return;
    try {
      await c.dispose();
    } catch (e) {
      // A client whose start failed cannot be stopped; its collection is left over.
      log(`stopping the server: ${(e as Error).message}`);
      c.diagnostics?.dispose();
    }
  };

  /**
   * A server that never got running is not restarted (the failed start is
   * reported once, by the client); one that stops is restarted, at most
   * MAX_RESTARTS times in RESTART_WINDOW_MS.
   *
   * When the server exits during the start, the answer waits until start()
   * has failed: the client forgets its start promise once it has the answer,
   * and start() would then resolve as if it had worked.
   */
  const errorHandler = (running: () => boolean, startSettled: Promise<void>): ErrorHandler => {
    const stops: number[] = [];
    return {
      error: (_error, _message, count) => ({ action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
      closed: async () => {
        if (!running()) {
          await Promise.race([startSettled, new Promise((r) => setTimeout(r, 5000).unref())]);
          return { action: CloseAction.DoNotRestart, handled: true };
        }
        const now = Date.now();
        stops.push(now);
        while (now - stops[0] > RESTART_WINDOW_MS) stops.shift();
        if (stops.length <= MAX_RESTARTS) {
          log(`the language server stopped; restarting it (${stops.length} of at most ${MAX_RESTARTS})`);
          return { action: CloseAction.Restart, handled: true };
        }
        report(
          'stopped',
          `the language server stopped ${stops.length} times in ${RESTART_WINDOW_MS / 60_000} minutes and was not restarted; see the log, and run "redislint: Restart the language server" once it is fixed`,
          true,
        );
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    };
  };

  const startClient = async (always: boolean): Promise<void> => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const cmd = commandFor(settingsFor(folder?.uri), folder?.uri.fsPath, always);
    if (!cmd.ok) return;
    // No `transport`: with TransportKind.stdio the client would add `--stdio`.
    const server: Executable = { command: cmd.command, args: [...SERVER_ARGS], options: { cwd: folder?.uri.fsPath } };
    let running = false;
    let settled = (): void => undefined;
    const startSettled = new Promise<void>((resolve) => (settled = resolve));
    const c = new RedislintClient('redislint', 'redislint', server, {
      ...clientOptions,
      errorHandler: errorHandler(() => running, startSettled),
      initializationFailedHandler: (e) => {
        log(`the language server failed to initialize: ${e instanceof Error ? e.message : String(e)}`);
        return false;
      },
    });
    client = c;
    clientCommand = cmd.command;
    log(`starting ${formatCommandLine(cmd.command, SERVER_ARGS)}  (cwd ${folder?.uri.fsPath ?? '-'})`);
    try {
      await c.start();
      if (c.state !== State.Running) throw new Error('the connection to the server closed');
      running = true;
      const info = c.initializeResult?.serverInfo;
      log(`language server running: ${info ? `${info.name} ${info.version ?? ''}`.trim() : 'no server info'}`);
    } catch (e) {
      // The client has shown the error; its details (and the server's stderr) are in the log.
      log(`the language server did not start: ${(e as Error).message}`);
    } finally {
      settled();
    }
  };

  /** Starts the client, or restarts it when the executable changed (or `restart`). */
  const ensureClient = (opts: { restart?: boolean; always?: boolean } = {}): Promise<void> =>
    serialized(async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const cmd = resolveCommand(settingsFor(folder?.uri).settings.path, { trusted: vscode.workspace.isTrusted, cwd: folder?.uri.fsPath });
      const running = client !== undefined && client.state !== State.Stopped;
      if (!opts.restart && running && cmd.ok && cmd.command === clientCommand) return;
      await stopClient();
      await startClient(opts.always ?? false);
    });

  /** Tells the server that the settings changed; it asks for them again (pull model). */
  const notifyConfiguration = (): void => {
    const c = client;
    if (!c || c.state !== State.Running) return;
    c.sendNotification(DidChangeConfigurationNotification.type, { settings: null }).catch((e) =>
      log(`workspace/didChangeConfiguration failed: ${(e as Error).message}`),
    );
  };

  /** Shows or hides the server's diagnostics after redislint.enable changed. */
  const reapplyEnable = (): void => {
    const collection = client?.diagnostics;
    if (!collection) return;
    for (const { uri, diagnostics } of published.values()) collection.set(uri, enabledFor(uri) ? diagnostics : []);
  };

  const stopAll = (): Promise<void> => serialized(stopClient);
  shutdown = stopAll;
  context.subscriptions.push({ dispose: () => void stopAll() });

  // ---- Lint workspace results -------------------------------------------------

  let workspaceLinted = new Set<string>();

  const setWorkspaceResult = (uri: vscode.Uri, data: DiagnosticData[]): void => {
    const items = data.map((d) => ({ data: d, diag: toDiagnostic(d, LIVE_SOURCE) }));
    workspaceEntries.set(uri.toString(), { items });
    workspaceResults.set(
      uri,
      items.map((i) => i.diag),
    );
  };

  const clearWorkspaceResult = (uri: vscode.Uri): void => {
    workspaceEntries.delete(uri.toString());
    workspaceResults.delete(uri);
  };

  context.subscriptions.push(
    // An opened file gets the server's diagnostics: its workspace results go.
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (isLive(doc) && workspaceEntries.has(doc.uri.toString())) clearWorkspaceResult(doc.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('redislint')) return;
      reporter.reset();
      loggedNotes.clear();
      if (e.affectsConfiguration('redislint.enable')) reapplyEnable();
      if (e.affectsConfiguration('redislint.sarifFolder')) void setupSarifFolders();
      void ensureClient().then(notifyConfiguration);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      log('workspace trusted: the workspace value of redislint.path now applies');
      reporter.reset();
      loggedNotes.clear();
      void ensureClient();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      void setupSarifFolders();
      void ensureClient();
    }),
  );

  // ---- running the CLI (Lint workspace, rule documentation) ----------------------

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

  /** A `check` run: its outcome, with problems reported. */
  const check = async (
    command: string,
    args: string[],
    cwd: string | undefined,
    signal: AbortSignal | undefined,
    timeoutMs: number,
  ): Promise<LintOutcome> => {
    const r = await exec(command, args, cwd, '', signal, timeoutMs);
    if ('startError' in r) {
      report('start', r.startError, true);
      return { kind: 'error', message: r.startError };
    }
    const outcome = interpretLintRun(r);
    if (outcome.kind === 'error') report('failed', outcome.message, true);
    if (outcome.kind === 'ok' && outcome.warning) log(`warning: ${outcome.warning}`);
    return outcome;
  };

  // ---- code actions of the extension ----------------------------------------------

  const toCodeAction = (a: ActionDescriptor, entries: Entry[]): vscode.CodeAction => {
    const action = new vscode.CodeAction(a.title, vscode.CodeActionKind.QuickFix);
    action.command = { command: a.command.id, title: a.command.title, arguments: a.command.args };
    const diags: vscode.Diagnostic[] = [];
    for (const entry of entries) for (const i of entry.items) if (a.diagnostics.includes(i.data)) diags.push(i.diag);
    if (diags.length > 0) action.diagnostics = diags;
    return action;
  };

  // Fixes, suppressions and fix-all of the live diagnostics come from the
  // server (through the language client). Here: suppress and documentation
  // for the results of SARIF files and of Lint workspace, and documentation
  // for the server's diagnostics.
  const provider: vscode.CodeActionProvider = {
    provideCodeActions(doc, range, ctx) {
      if (ctx.only && !ctx.only.contains(vscode.CodeActionKind.QuickFix)) return [];
      const key = doc.uri.toString();
      const sel = toRng(range);
      const entries = [workspaceEntries.get(key), reviewEntries.get(key)].filter((e): e is Entry => e !== undefined);
      const at = entries.flatMap((e) => e.items.map((i) => i.data)).filter((d) => rangesIntersect(d.range, sel));
      const actions = quickFixes(at, { documentUri: key });
      const documented = new Set(at.map((d) => d.ruleId));
      for (const d of ctx.diagnostics) {
        if (d.source !== LIVE_SOURCE || d.code === undefined) continue;
        const code = typeof d.code === 'object' ? String(d.code.value) : String(d.code);
        if (documented.has(code)) continue;
        documented.add(code);
        actions.push(docsAction(code, typeof d.code === 'object' ? slugFromHref(d.code.target.toString()) : undefined));
      }
      return actions.map((a) => toCodeAction(a, entries));
    },
  };
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider({ language: 'python' }, provider, {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
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
      const doc = openDocument(uri);
      const items = list.map((d) => ({ data: d, diag: toDiagnostic(d, REVIEW_SOURCE, doc) }));
      reviewEntries.set(uri.toString(), { items });
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

  /** One `redislint check --format sarif <folder>` per workspace folder (the CLI, not the server). */
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
      const options = checkOptionArgs(serverConfiguration(rs.settings, folder.uri.fsPath));
      const args = folderCheckArgs(options, folder.uri.fsPath);
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `redislint: linting ${folder.name}`, cancellable: true },
        (_progress, token) => {
          const ac = new AbortController();
          token.onCancellationRequested(() => ac.abort());
          return check(cmd.command, args, folder.uri.fsPath, ac.signal, WORKSPACE_TIMEOUT_MS);
        },
      );
      if (outcome.kind !== 'ok') return;
      const conv = convertLog(outcome.log, { roots: [folder.uri.fsPath], exists: fs.existsSync });
      rememberRules(conv.rules);
      for (const [loc, list] of groupByLocation(conv.diagnostics)) {
        const uri = vscode.Uri.file(loc);
        seen.add(uri.toString());
        findings += list.length;
        const doc = openDocument(uri);
        if (doc && isLive(doc)) continue; // open: the server's results win
        setWorkspaceResult(uri, list);
      }
    }
    for (const key of workspaceLinted) {
      if (!seen.has(key)) clearWorkspaceResult(vscode.Uri.parse(key));
    }
    workspaceLinted = seen;
    void vscode.window.showInformationMessage(`redislint: ${findings} finding(s) in ${seen.size} file(s).`);
  };

  /** Selects the word "reason" of a suppression comment, so that typing replaces it. */
  const selectReason = (uriString: string, line: number, start: number, end: number): void => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.uri.toString() !== uriString) return;
    const r = new vscode.Range(line, start, line, end);
    editor.selection = new vscode.Selection(r.start, r.end);
    editor.revealRange(r);
  };

  /** Suppress a result of a SARIF file or of Lint workspace (the server has its own action). */
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
    selectReason(uriString, plan.placeholder.start.line, plan.placeholder.start.character, plan.placeholder.end.character);
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

  /** The server's `source.fixAll.redislint` action for the active file, applied. */
  const fixAllInEditor = async (): Promise<void> => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isLive(editor.document)) return;
    const doc = editor.document;
    if (!enabledFor(doc.uri)) {
      void vscode.window.showInformationMessage('redislint: linting is turned off for this file (redislint.enable).');
      return;
    }
    const c = client;
    if (!c || c.state !== State.Running) {
      report('not-running', 'the language server is not running; see the log', true);
      return;
    }
    const uri = c.code2ProtocolConverter.asUri(doc.uri);
    const version = doc.version;
    const last = doc.lineCount - 1;
    let answer;
    try {
      answer = await c.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: last, character: doc.lineAt(last).text.length } },
        context: { diagnostics: [], only: [FIX_ALL_KIND], triggerKind: CodeActionTriggerKind.Invoked },
      });
    } catch (e) {
      report('fix-all', `fix all failed: ${(e as Error).message}`, true);
      return;
    }
    const action = findFixAll(answer);
    const edits = action?.edit ? textEditsFor(action.edit, uri).edits : [];
    if (edits.length === 0) {
      void vscode.window.showInformationMessage('redislint: no safe fix to apply.');
      return;
    }
    if (doc.version !== version) {
      void vscode.window.showInformationMessage('redislint: the file changed while the fixes were computed; run Fix all again.');
      return;
    }
    if (editsOverlap(edits)) {
      report('fix-all', 'the fixes of the language server overlap; nothing was applied', true);
      return;
    }
    const edit = new vscode.WorkspaceEdit();
    for (const e of edits) edit.replace(doc.uri, toRange(e.range, doc), e.newText);
    if (!(await vscode.workspace.applyEdit(edit))) log(`fix all: VS Code did not apply the edits to ${doc.uri.toString()}`);
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
    vscode.commands.registerCommand('redislint.restartServer', () => ensureClient({ restart: true, always: true })),
    vscode.commands.registerCommand('redislint.showOutput', () => output.show(true)),
    vscode.commands.registerCommand(COMMAND_SHOW_RULE, showRuleDocumentation),
    vscode.commands.registerCommand(COMMAND_SUPPRESS, suppress),
    vscode.commands.registerCommand(COMMAND_SELECT_REASON, selectReason),
  );

  log(`redislint extension started (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'not trusted'})`);
  void ensureClient();
  void setupSarifFolders();
}

export function deactivate(): Promise<void> | undefined {
  return shutdown?.();
}
