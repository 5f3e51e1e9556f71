// The SQL prompt's session: its state, the history, the catalog for
// completion, the open result and the running statement; and what the keys
// ask of it (run, page, export, complete). The screen stays mounted while the
// key overlay or another screen is up, so the session lives as long as it.
import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbortError } from '../../pipeline/errors.js';
import type { ExportFormat } from '../../pipeline/export.js';
import { SqlHistory } from '../../pipeline/history.js';
import type { Warehouse } from '../../pipeline/warehouse/types.js';
import { isReadOnlyStatement } from '../components/result-window.js';
import { scriptSteps } from '../../pipeline/script.js';
import { savedQueriesDir } from '../../pipeline/saved-queries.js';
import { formatCount } from '../components/format.js';
import { editorText, type EditorState } from '../components/text-editor.js';
import { errorNotice, splitTrailingCommand } from './sql-commands.js';
import { useCompletion } from './sql-completion.js';
import { usePromptConnection } from './sql-connection.js';
import { useCompare } from './sql-compare.js';
import { useExplain } from './sql-explain.js';
import { useExternalEditor } from './sql-external-editor.js';
import { useMetaCommands } from './sql-meta.js';
import { loadExampleQueries } from './sql-examples.js';
import { hasDraft, initialSqlState, sqlReducer, type Notice, type ResultTab, type SqlAction, type SqlState } from './sql-reducer.js';
import type { ClipboardCopy } from './sql-clipboard.js';
import { useResultWindows } from './sql-result-session.js';
import { MAX_KEPT_RESULTS, type CursorMove, type SqlLayout } from './sql-result-state.js';
import { runDraft } from './sql-run.js';
import { formatDuration } from './sql-status-line.js';

export interface SqlSessionOptions {
  warehouse: Warehouse;
  home: string;
  startWork?: (label: string, cancel: () => void) => () => void;
  queriesDir?: string;
  exportDir?: string;
  pageSize: number;
  maxCachedRows?: number;
  /** What of the result fits on screen now (the screen sets it as it lays itself out). */
  layout: { current: SqlLayout };
  /** Where OSC 52 goes (the terminal): copies to the clipboard. */
  writeTerminal: (text: string) => void;
  /** The screen is on (not behind another screen); an open result is let go while it is not. */
  visible: boolean;
  /** `\q`: leave. */
  onQuit?: () => void;
  /** Schemas unqualified names resolve in: completion inserts bare names for their tables, schema.table for the rest. */
  searchPath?: readonly string[];
  /** The user's saved queries (`\save`), listed after the examples (default: $SPARKIFY_HOME/queries). */
  savedQueriesDir?: string;
  /** Opens the other configured engine, for `\compare` (absent when only one is configured). */
  openOtherWarehouse?: () => Promise<Warehouse>;
}

export interface SqlSession {
  state: SqlState;
  /** The state as the last action left it, ahead of React's render (typing ahead, a fast Tab after a letter). */
  current: () => SqlState;
  dispatch: (action: SqlAction) => void;
  run: (text: string) => Promise<void>;
  /** Reads the rows the result shown wants (after a resize). */
  syncRows: () => void;
  moveCursor: (move: CursorMove) => void;
  selectResult: (delta: number) => void;
  exportTo: (format: ExportFormat) => Promise<void>;
  copy: (what: ClipboardCopy) => Promise<void>;
  completeAtCursor: (options?: { refine?: boolean }) => Promise<void>;
  openExamples: () => void;
  /** Ctrl-X Ctrl-E: the draft in the user's editor. */
  editDraft: () => void;
  /** Ctrl-C with nothing running: clears the draft and returns true; false when there is none to clear. */
  discardDraft: () => boolean;
  /** Opens the EXPLAIN view on the plan of a statement. */
  explain: (sql: string) => Promise<void>;
  /** Runs a statement on both engines and shows whether the results are equal. */
  compare: (sql: string) => Promise<void>;
  /** Cancels what the screen itself started (when no app takes Ctrl-C). */
  cancel: () => boolean;
}

export function useSqlSession(options: SqlSessionOptions): SqlSession {
  const { warehouse, home, startWork, queriesDir, exportDir, pageSize, maxCachedRows, layout, writeTerminal, visible, onQuit, searchPath } = options;
  const savedDir = options.savedQueriesDir ?? savedQueriesDir(home);
  const stateRef = useRef<SqlState>(initialSqlState);
  const [state, setState] = useState(initialSqlState);
  const historyRef = useRef<SqlHistory | null>(null);
  const controllerRef = useRef<AbortController | null>(null);
  const runIdRef = useRef(0);
  /** Ids of results' rows, apart from runs' (a run gives several). */
  const viewIdRef = useRef(0);
  /** The editor as a cancel left it (the statement put back), until it changes. */
  const cancelledEditorRef = useRef<EditorState | null>(null);

  // The reducer runs here rather than in useReducer so key handlers see the
  // state their previous key produced, even before React renders it.
  const dispatch = useCallback((action: SqlAction) => {
    stateRef.current = sqlReducer(stateRef.current, action);
    setState(stateRef.current);
  }, []);
  const current = useCallback(() => stateRef.current, []);
  const connection = usePromptConnection(warehouse);

  const cancel = useCallback((): boolean => {
    if (!controllerRef.current) return false;
    controllerRef.current.abort();
    return true;
  }, []);

  /** Marks work as running: with the app when it is there, else locally for the screen's own Ctrl-C. */
  const beginWork = useCallback(
    (label: string, controller: AbortController): (() => void) => {
      controllerRef.current = controller;
      const done = startWork ? startWork(label, () => controller.abort()) : () => undefined;
      return () => {
        done();
        if (controllerRef.current === controller) controllerRef.current = null;
      };
    },
    [startWork],
  );
  const explain = useExplain(warehouse, connection, dispatch, beginWork);
  const compare = useCompare(warehouse, connection, options.openOtherWarehouse, dispatch, beginWork);
  const lastStatement = useCallback(() => stateRef.current.history.findLast((entry) => !entry.trim().startsWith('\\')), []);
  const editInEditor = useExternalEditor(dispatch);
  const editDraft = useCallback(() => editInEditor(editorText(stateRef.current.editor)), [editInEditor]);
  const meta = useMetaCommands(warehouse, connection, dispatch, { onQuit, explain, compare, lastStatement, edit: editInEditor, savedQueriesDir: savedDir });

  const windows = useResultWindows({ connection, home, exportDir, pageSize, current, dispatch, layout, beginWork, writeTerminal });
  const { releaseAll, releaseWhenIdle } = windows;

  const { refreshCatalog, completeAtCursor } = useCompletion({ warehouse, searchPath, results: windows, stateRef, dispatch });

  useEffect(() => {
    try {
      const history = SqlHistory.load(home);
      historyRef.current = history;
      dispatch({ type: 'history-loaded', entries: [...history.entries] });
    } catch (error) {
      dispatch({ type: 'notice', notice: { text: `history not read: ${(error as Error).message}`, tone: 'error' } });
    }
    refreshCatalog();
    return () => controllerRef.current?.abort();
  }, [home, dispatch, refreshCatalog]);

  // Behind another screen the results let go of the engine, which other
  // screens use: their rows stay, and reading on runs them again.
  useEffect(() => {
    if (!visible) void releaseAll();
  }, [visible, releaseAll]);

  /**
   * Ctrl-C with nothing running, as in psql: clears what is typed. A
   * statement a cancel put back is in the history already, so the Ctrl-C after
   * the cancel leaves, as the app promises.
   */
  const discardDraft = useCallback((): boolean => {
    const now = stateRef.current;
    if (!hasDraft(now)) return false;
    if (now.editor === cancelledEditorRef.current && now.search === null && now.examples === null) return false;
    dispatch({ type: 'discard' });
    return true;
  }, [dispatch]);

  const run = useCallback(
    async (text: string) => {
      const typed = text.trim();
      if (typed === '') return;
      // One statement at a time: the text stays in the editor for when this one ends.
      if (stateRef.current.running) return;
      let sql = typed;
      const command = splitTrailingCommand(typed);
      if (command) {
        const meant = await meta.handle(command.command, command.body);
        if (meant === null) return;
        sql = meant;
      }
      const took = (ms: number) => (meta.timing() ? ` in ${formatDuration(ms)}` : '');
      const runId = ++runIdRef.current;
      // Cancellable from the first moment: a quick Ctrl-C must not fall between awaits.
      const controller = new AbortController();
      const done = beginWork('query', controller);
      dispatch({ type: 'run-started', runId, sql: typed, startedAt: Date.now() });
      const started = performance.now();
      const steps = scriptSteps(sql);
      const output = meta.output();
      // The results kept, as the screen keeps them (MAX_KEPT_RESULTS), and how many were dropped before them.
      const tabs: ResultTab[] = [];
      let dropped = 0;
      try {
        const history = historyRef.current;
        if (history) {
          await history.add(typed).catch(() => undefined);
          dispatch({ type: 'history-loaded', entries: [...history.entries] });
        }
        await windows.closeAll();
        const target = await connection.targetFor(steps);
        controller.signal.throwIfAborted();
        await runDraft({
          target,
          output,
          steps,
          label: typed.startsWith('\\') ? typed : undefined,
          signal: controller.signal,
          pageSize,
          maxCachedRows,
          visibleRows: () => layout.current.rows,
          nextViewId: () => ++viewIdRef.current,
          onWait: (message) => dispatch({ type: 'run-waiting', runId, message }),
          onResult: (tab, window) => {
            if (tab.view && window) windows.add(tab.view.runId, window);
            tabs.push(tab);
            const gone = tabs.length > MAX_KEPT_RESULTS ? tabs.shift() : undefined;
            if (gone) dropped += 1;
            if (gone?.view) void windows.drop(gone.view.runId);
            dispatch({ type: 'result-added', runId, tab });
          },
        });
        const time = took(performance.now() - started);
        const last = tabs.at(-1);
        let notice: Notice;
        // Short enough that the line fits 80 columns: the tabs show where the dropped ones were.
        const droppedNote = dropped > 0 ? ` · last ${tabs.length} kept` : '';
        if (tabs.length === 1 && last?.view) notice = { text: time.trim(), tone: 'success', rowCount: true };
        else if (tabs.every((tab) => !tab.view)) notice = { text: `${dropped > 0 ? `${formatCount(dropped)} more · ` : ''}${tabs.map((tab) => tab.tag).join(' · ')}${time}`, tone: 'success' };
        else notice = { text: `${formatCount(dropped + tabs.length)} statements${time}${droppedNote} · [ and ] move between results`, tone: 'success' };
        dispatch({ type: 'run-finished', runId, notice });
        releaseWhenIdle();
      } catch (error) {
        const before = stateRef.current.editor;
        dispatch({ type: 'run-failed', runId, notice: errorNotice(error) });
        if (isAbortError(error) && stateRef.current.editor !== before) cancelledEditorRef.current = stateRef.current.editor;
      } finally {
        done();
        if (steps.some((step) => !isReadOnlyStatement(step.sql))) refreshCatalog();
      }
    },
    [connection, pageSize, maxCachedRows, layout, windows, beginWork, refreshCatalog, releaseWhenIdle, dispatch, meta],
  );

  const openExamples = useCallback(() => {
    void loadExampleQueries(queriesDir, savedDir).then(
      (list) => dispatch({ type: 'examples-open', list }),
      (error: unknown) => dispatch({ type: 'notice', notice: errorNotice(error) }),
    );
  }, [queriesDir, savedDir, dispatch]);

  const { syncRows, moveCursor, selectResult, exportTo, copy } = windows;
  return { state, current, dispatch, run, syncRows, moveCursor, selectResult, exportTo, copy, completeAtCursor, openExamples, editDraft, discardDraft, cancel, explain, compare };
}
