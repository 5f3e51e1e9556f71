// The SQL prompt's session: its state, the history, the catalog for
// completion, the open result and the running statement; and what the keys
// ask of it (run, page, export, complete). The screen stays mounted while the
// key overlay or another screen is up, so the session lives as long as it.
import { useCallback, useEffect, useRef, useState } from 'react';
import { join } from 'node:path';
import { isAbortError } from '../../pipeline/errors.js';
import { exportDirectory, exportFileName, exportResult, type ExportFormat } from '../../pipeline/export.js';
import { SqlHistory } from '../../pipeline/history.js';
import type { QueryResult, Warehouse } from '../../pipeline/warehouse/types.js';
import { formatCount } from '../components/format.js';
import { ResultWindow, isReadOnlyStatement } from '../components/result-window.js';
import { runStatements, scriptSteps } from '../../pipeline/script.js';
import { editorText, type EditorState } from '../components/text-editor.js';
import { errorNotice } from './sql-commands.js';
import { useCompletion } from './sql-completion.js';
import { usePromptConnection } from './sql-connection.js';
import { useExplain } from './sql-explain.js';
import { useExternalEditor } from './sql-external-editor.js';
import { useMetaCommands } from './sql-meta.js';
import { loadExampleQueries } from './sql-examples.js';
import { hasDraft, initialSqlState, sqlReducer, type ResultView, type SqlAction, type SqlState } from './sql-reducer.js';
import { formatDuration } from './sql-status-line.js';

export interface SqlSessionOptions {
  warehouse: Warehouse;
  home: string;
  startWork?: (label: string, cancel: () => void) => () => void;
  queriesDir?: string;
  exportDir?: string;
  pageSize: number;
  maxCachedRows?: number;
  /** Rows of the result that fit on screen now (the screen sets it as it lays itself out). */
  visibleRows: { current: number };
  /** The screen is on (not behind another screen); an open result is let go while it is not. */
  visible: boolean;
  /** `\q`: leave. */
  onQuit?: () => void;
  /** Schemas unqualified names resolve in: completion inserts bare names for their tables, schema.table for the rest. */
  searchPath?: readonly string[];
}

export interface SqlSession {
  state: SqlState;
  /** The state as the last action left it, ahead of React's render (typing ahead, a fast Tab after a letter). */
  current: () => SqlState;
  dispatch: (action: SqlAction) => void;
  run: (text: string) => Promise<void>;
  showRows: (offset: number) => void;
  showLastRows: () => Promise<void>;
  exportTo: (format: ExportFormat) => Promise<void>;
  completeAtCursor: (options?: { refine?: boolean }) => Promise<void>;
  openExamples: () => void;
  /** Ctrl-X Ctrl-E: the draft in the user's editor. */
  editDraft: () => void;
  /** Ctrl-C with nothing running: clears the draft and returns true; false when there is none to clear. */
  discardDraft: () => boolean;
  /** Opens the EXPLAIN view on the plan of a statement. */
  explain: (sql: string) => Promise<void>;
  /** Cancels what the screen itself started (when no app takes Ctrl-C). */
  cancel: () => boolean;
}

const PROGRESS_INTERVAL_MS = 100;
/** How long an open result stays with the engine after the last read. */
const RESULT_IDLE_RELEASE_MS = 1000;

export function useSqlSession(options: SqlSessionOptions): SqlSession {
  const { warehouse, home, startWork, queriesDir, exportDir, pageSize, maxCachedRows, visibleRows, visible, onQuit, searchPath } = options;
  const stateRef = useRef<SqlState>(initialSqlState);
  const [state, setState] = useState(stateRef.current);
  const historyRef = useRef<SqlHistory | null>(null);
  const windowRef = useRef<ResultWindow | null>(null);
  const controllerRef = useRef<AbortController | null>(null);
  const runIdRef = useRef(0);
  /** The editor as a cancel left it (the statement put back), until it changes. */
  const cancelledEditorRef = useRef<EditorState | null>(null);
  const visibleRowsRef = visibleRows;

  // The reducer runs here rather than in useReducer so key handlers see the
  // state their previous key produced, even before React renders it.
  const dispatch = useCallback((action: SqlAction) => {
    stateRef.current = sqlReducer(stateRef.current, action);
    setState(stateRef.current);
  }, []);
  const current = useCallback(() => stateRef.current, []);
  const connection = usePromptConnection(warehouse);
  const { refreshCatalog, completeAtCursor } = useCompletion({ warehouse, searchPath, windowRef, stateRef, dispatch });

  useEffect(() => {
    try {
      const history = SqlHistory.load(home);
      historyRef.current = history;
      dispatch({ type: 'history-loaded', entries: [...history.entries] });
    } catch (error) {
      dispatch({ type: 'notice', notice: { text: `history not read: ${(error as Error).message}`, tone: 'error' } });
    }
    refreshCatalog();
    return () => {
      controllerRef.current?.abort();
      void windowRef.current?.close();
      windowRef.current = null;
    };
  }, [home, dispatch, refreshCatalog]);

  // Behind another screen the result lets go of the engine, which other
  // screens use: its rows stay, and reading on runs it again. A result that
  // cannot be run again goes.
  useEffect(() => {
    const window = windowRef.current;
    if (visible || !window?.holdsEngine) return;
    if (window.canReopen) void window.release();
    else {
      windowRef.current = null;
      void window.close();
      dispatch({ type: 'run-finished', view: null, notice: { text: 'the result was let go when the prompt was left', tone: 'info' } });
    }
  }, [visible, dispatch]);

  /**
   * An open result holds the warehouse (the local file, which another
   * terminal may want): a moment after the last read it lets go, keeping its
   * rows; reading past them runs the statement again.
   */
  const releaseTimerRef = useRef<NodeJS.Timeout | undefined>(undefined);
  const releaseWhenIdle = useCallback(() => {
    clearTimeout(releaseTimerRef.current);
    const window = windowRef.current;
    if (!window?.holdsEngine) return;
    releaseTimerRef.current = setTimeout(() => void window.release(), RESULT_IDLE_RELEASE_MS);
  }, []);
  useEffect(() => () => clearTimeout(releaseTimerRef.current), []);

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
  const lastStatement = useCallback(() => stateRef.current.history.findLast((entry) => !entry.trim().startsWith('\\')), []);
  const editInEditor = useExternalEditor(dispatch);
  const editDraft = useCallback(() => editInEditor(editorText(stateRef.current.editor)), [editInEditor]);
  const meta = useMetaCommands(warehouse, connection, dispatch, { onQuit, explain, lastStatement, edit: editInEditor });

  const run = useCallback(
    async (text: string) => {
      const typed = text.trim();
      if (typed === '') return;
      // One statement at a time: the text stays in the editor for when this one ends.
      if (stateRef.current.running) return;
      let sql = typed;
      if (typed.startsWith('\\')) {
        const meant = await meta.handle(typed);
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
      try {
        const history = historyRef.current;
        if (history) {
          await history.add(typed).catch(() => undefined);
          dispatch({ type: 'history-loaded', entries: [...history.entries] });
        }
        const previous = windowRef.current;
        windowRef.current = null;
        await previous?.close();
        const target = await connection.targetFor(steps);
        controller.signal.throwIfAborted();
        // Statements that do not read (and all but a script's last read) run in turn; the notice lists what each did.
        const last = steps.at(-1);
        const ahead = last?.statement.kind === 'read' ? steps.slice(0, -1) : steps;
        if (ahead.length > 0) {
          const tags = (await runStatements(target, ahead, { signal: controller.signal })).map((outcome) => outcome.tag);
          for (const tag of tags) await output?.line(tag);
          if (ahead.length === steps.length) {
            dispatch({ type: 'run-finished', view: null, notice: { text: `${tags.join(' · ')}${took(performance.now() - started)}`, tone: 'success' } });
            refreshCatalog();
            return;
          }
          sql = last!.sql;
        }
        const readOnly = isReadOnlyStatement(sql);
        const onWait = (message: string) => dispatch({ type: 'run-waiting', runId, message });
        const queried = await target.query(sql, { signal: controller.signal, pageSize, onWait });
        const result = output ? output.tee(queried) : queried;
        const window = new ResultWindow(result, {
          maxCachedRows,
          pageSize,
          reopen: readOnly ? () => target.query(sql, { pageSize }) : undefined,
        });
        windowRef.current = window;
        const first = await window.rows(0, visibleRowsRef.current, controller.signal);
        // A page more, so a result of exactly one page (LIMIT 500) shows its count, not 500+.
        await window.readAhead(controller.signal);
        // A result that cannot be run again is read now (keeping the last
        // rows the cache holds): left open, it would hold the warehouse.
        // So is one that `\o` copies to a file, for the file to hold it whole.
        if (!readOnly || output) await window.readToEnd(controller.signal);
        const wallMs = performance.now() - started;
        if (window.columns.length === 0 || (!readOnly && first.rows.length === 0)) {
          await window.close();
          windowRef.current = null;
          dispatch({ type: 'run-finished', view: null, notice: { text: `done${took(wallMs)}`, tone: 'success' } });
        } else {
          const view: ResultView = {
            runId,
            sql,
            columns: window.columns,
            offset: first.start,
            rows: first.rows,
            firstColumn: 0,
            totalRows: window.totalRows,
            rowsRead: window.rowsRead,
            wallMs,
            loading: false,
            chart: false,
          };
          dispatch({ type: 'run-finished', view, notice: { text: took(wallMs).trim(), tone: 'success', rowCount: true } });
        }
        if (!readOnly || ahead.length > 0) refreshCatalog();
        releaseWhenIdle();
      } catch (error) {
        const before = stateRef.current.editor;
        dispatch({ type: 'run-failed', runId, notice: errorNotice(error) });
        if (isAbortError(error) && stateRef.current.editor !== before) cancelledEditorRef.current = stateRef.current.editor;
      } finally {
        done();
      }
    },
    [connection, pageSize, maxCachedRows, beginWork, refreshCatalog, dispatch, meta],
  );

  const showRows = useCallback(
    (offset: number) => {
      const view = stateRef.current.result;
      const window = windowRef.current;
      if (!view || !window) return;
      const count = visibleRowsRef.current;
      const total = window.totalRows;
      const target = Math.max(0, total === undefined ? offset : Math.min(offset, total - count));
      const cached = window.peek(target, count);
      if (cached && (cached.length === count || window.isComplete)) {
        dispatch({ type: 'result-rows', runId: view.runId, offset: target, rows: cached, totalRows: window.totalRows, rowsRead: window.rowsRead });
        return;
      }
      dispatch({ type: 'result-loading', runId: view.runId });
      window.rows(target, count).then(
        ({ start, rows }) => {
          dispatch({ type: 'result-rows', runId: view.runId, offset: start, rows, totalRows: window.totalRows, rowsRead: window.rowsRead });
          releaseWhenIdle();
        },
        (error: unknown) => dispatch({ type: 'notice', notice: errorNotice(error) }),
      );
    },
    [dispatch, releaseWhenIdle],
  );

  const showLastRows = useCallback(async () => {
    const view = stateRef.current.result;
    const window = windowRef.current;
    if (!view || !window) return;
    if (window.totalRows === undefined) {
      const controller = new AbortController();
      const done = beginWork('reading the result', controller);
      let reported = 0;
      dispatch({ type: 'result-loading', runId: view.runId, readingRows: window.rowsRead });
      try {
        await window.readToEnd(controller.signal, (rowsRead) => {
          const now = performance.now();
          if (now - reported < PROGRESS_INTERVAL_MS) return;
          reported = now;
          dispatch({ type: 'result-loading', runId: view.runId, readingRows: rowsRead });
        });
      } catch (error) {
        dispatch({ type: 'notice', notice: errorNotice(error) });
      } finally {
        done();
      }
    }
    showRows(Math.max(0, (window.totalRows ?? window.rowsRead) - visibleRowsRef.current));
  }, [beginWork, showRows, dispatch]);

  const exportTo = useCallback(
    async (format: ExportFormat) => {
      const view = stateRef.current.result;
      const window = windowRef.current;
      if (!view || !window) return;
      const path = join(exportDir ?? exportDirectory(home), exportFileName(format));
      let source: QueryResult;
      if (window.holdsAllRows) {
        const rows = window.peek(0, window.rowsRead) ?? [];
        source = {
          columns: view.columns,
          engineMs: view.wallMs,
          totalRows: rows.length,
          pages: async function* () {
            yield rows;
          },
          close: async () => undefined,
        };
      } else if (window.canReopen) {
        await window.release();
        source = await connection.current().query(view.sql, { pageSize });
      } else {
        dispatch({
          type: 'notice',
          notice: {
            text: 'cannot export: only part of this result was read, and running the statement again would change data',
            tone: 'error',
            hint: 'export the rows with a SELECT instead',
          },
        });
        return;
      }
      dispatch({ type: 'notice', notice: { text: `exporting to ${path}…`, tone: 'info', wrap: true } });
      try {
        const rows = await exportResult(source, format, path);
        dispatch({ type: 'notice', notice: { text: `exported ${formatCount(rows)} rows to ${path}`, tone: 'success', wrap: true } });
      } catch (error) {
        dispatch({ type: 'notice', notice: errorNotice(error) });
      }
    },
    [connection, home, exportDir, pageSize, dispatch],
  );

  const openExamples = useCallback(() => {
    void loadExampleQueries(queriesDir).then(
      (list) => dispatch({ type: 'examples-open', list }),
      (error: unknown) => dispatch({ type: 'notice', notice: errorNotice(error) }),
    );
  }, [queriesDir, dispatch]);

  return { state, current, dispatch, run, showRows, showLastRows, exportTo, completeAtCursor, openExamples, editDraft, discardDraft, cancel, explain };
}
