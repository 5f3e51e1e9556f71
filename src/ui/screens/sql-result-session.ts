// The open results of the SQL prompt: a window of rows per statement that
// gave rows, read page by page as the cell cursor moves. Only the result
// shown may hold the engine; the others keep their rows and run again when
// read past them.
import { useCallback, useEffect, useRef } from 'react';
import { join } from 'node:path';
import { exportDirectory, exportFileName, exportResult, type ExportFormat } from '../../pipeline/export.js';
import { pagesOf } from '../../pipeline/warehouse/pages.js';
import type { QueryResult } from '../../pipeline/warehouse/types.js';
import { formatCount } from '../components/format.js';
import type { ResultWindow } from '../components/result-window.js';
import { copyToClipboard, type ClipboardCopy } from './sql-clipboard.js';
import { errorNotice } from './sql-commands.js';
import type { PromptConnection } from './sql-connection.js';
import type { SqlAction, SqlState } from './sql-reducer.js';
import { rowsInPlace, type CursorMove, type SqlLayout } from './sql-result-state.js';

const PROGRESS_INTERVAL_MS = 100;
/** How long an open result stays with the engine after the last read. */
const RESULT_IDLE_RELEASE_MS = 1000;

export interface ResultWindowsOptions {
  /** Where a result is run again (an export, a copy of all its rows). */
  connection: PromptConnection;
  home: string;
  exportDir?: string;
  pageSize: number;
  current: () => SqlState;
  dispatch: (action: SqlAction) => void;
  /** What of the result fits on screen now (the screen sets it as it lays itself out). */
  layout: { current: SqlLayout };
  beginWork: (label: string, controller: AbortController) => () => void;
  /** Where OSC 52 goes: the terminal. */
  writeTerminal: (text: string) => void;
}

export interface ResultWindows {
  /** Takes the window of a result that just ran. */
  add: (runId: number, window: ResultWindow) => void;
  /** Closes the window of a result the draft no longer keeps. */
  drop: (runId: number) => Promise<void>;
  /** True while a result holds the engine (the local engine runs one thing at a time). */
  holdsEngine: () => boolean;
  /** Lets every result go of the engine, keeping its rows. */
  releaseAll: () => Promise<void>;
  closeAll: () => Promise<void>;
  /** Reads the rows the view shown wants, once the ones in flight are in. */
  syncRows: () => void;
  moveCursor: (move: CursorMove) => void;
  /** Shows another statement's result. */
  selectResult: (delta: number) => void;
  exportTo: (format: ExportFormat) => Promise<void>;
  copy: (what: ClipboardCopy) => Promise<void>;
  releaseWhenIdle: () => void;
}

export function useResultWindows(options: ResultWindowsOptions): ResultWindows {
  const { connection, home, exportDir, pageSize, current, dispatch, layout, beginWork, writeTerminal } = options;
  const windowsRef = useRef(new Map<number, ResultWindow>());
  /** A read of rows is in flight: the next waits for it, then reads what the cursor wants by then. */
  const readingRef = useRef(false);

  const activeWindow = useCallback(() => {
    const view = current().result;
    return view ? (windowsRef.current.get(view.runId) ?? null) : null;
  }, [current]);

  const releaseTimerRef = useRef<NodeJS.Timeout | undefined>(undefined);
  /**
   * An open result holds the warehouse (the local file, which another
   * terminal may want): a moment after the last read it lets go, keeping its
   * rows; reading past them runs the statement again.
   */
  const releaseWhenIdle = useCallback(() => {
    clearTimeout(releaseTimerRef.current);
    const window = activeWindow();
    if (!window?.holdsEngine) return;
    releaseTimerRef.current = setTimeout(() => void window.release(), RESULT_IDLE_RELEASE_MS);
  }, [activeWindow]);
  useEffect(() => () => clearTimeout(releaseTimerRef.current), []);

  const add = useCallback((runId: number, window: ResultWindow) => {
    windowsRef.current.set(runId, window);
  }, []);
  const drop = useCallback(async (runId: number) => {
    const window = windowsRef.current.get(runId);
    windowsRef.current.delete(runId);
    await window?.close();
  }, []);
  const holdsEngine = useCallback(() => [...windowsRef.current.values()].some((window) => window.holdsEngine), []);
  const releaseAll = useCallback(async () => {
    await Promise.all([...windowsRef.current.values()].map((window) => window.release()));
  }, []);
  const closeAll = useCallback(async () => {
    const windows = [...windowsRef.current.values()];
    windowsRef.current = new Map();
    await Promise.all(windows.map((window) => window.close()));
  }, []);
  useEffect(() => () => void closeAll(), [closeAll]);

  const syncRows = useCallback(() => {
    const step = () => {
      const view = current().result;
      const window = activeWindow();
      const count = layout.current.rows;
      if (!view || !window || rowsInPlace(view, count) || readingRef.current) return;
      const cached = window.peek(view.top, count);
      if (cached && (cached.length === count || window.isComplete)) {
        dispatch({ type: 'result-rows', runId: view.runId, asked: view.top, offset: view.top, rows: cached, totalRows: window.totalRows, rowsRead: window.rowsRead });
        return;
      }
      readingRef.current = true;
      dispatch({ type: 'result-loading', runId: view.runId });
      window.rows(view.top, count).then(
        ({ start, rows }) => {
          readingRef.current = false;
          dispatch({ type: 'result-rows', runId: view.runId, asked: view.top, offset: start, rows, totalRows: window.totalRows, rowsRead: window.rowsRead });
          releaseWhenIdle();
          // Keys that came while the page was read moved the cursor on: read where it is now.
          step();
        },
        (error: unknown) => {
          readingRef.current = false;
          dispatch({ type: 'notice', notice: errorNotice(error) });
        },
      );
    };
    step();
  }, [current, activeWindow, layout, dispatch, releaseWhenIdle]);

  const showLastRows = useCallback(async () => {
    const view = current().result;
    const window = activeWindow();
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
        return;
      } finally {
        done();
      }
      const total = window.totalRows ?? window.rowsRead;
      const tail = window.peek(Math.max(0, total - layout.current.rows), layout.current.rows) ?? [];
      const asked = total - tail.length;
      dispatch({ type: 'result-rows', runId: view.runId, asked, offset: asked, rows: tail, totalRows: window.totalRows, rowsRead: window.rowsRead });
    }
    dispatch({ type: 'result-cursor', move: { kind: 'last-row' }, pageRows: layout.current.rows, width: layout.current.width });
    syncRows();
  }, [current, activeWindow, beginWork, dispatch, layout, syncRows]);

  const moveCursor = useCallback(
    (move: CursorMove) => {
      if (move.kind === 'last-row' && current().result?.totalRows === undefined) {
        void showLastRows();
        return;
      }
      const pageRows = move.kind === 'pages' ? layout.current.page : layout.current.rows;
      dispatch({ type: 'result-cursor', move, pageRows, width: layout.current.width });
      syncRows();
    },
    [current, dispatch, layout, syncRows, showLastRows],
  );

  const selectResult = useCallback(
    (delta: number) => {
      // Only the result shown may hold the engine.
      const before = activeWindow();
      if (before?.holdsEngine) void before.release();
      dispatch({ type: 'result-select', delta });
      syncRows();
    },
    [activeWindow, dispatch, syncRows],
  );

  const exportTo = useCallback(
    async (format: ExportFormat) => {
      const view = current().result;
      const window = activeWindow();
      if (!view || !window) return;
      const path = join(exportDir ?? exportDirectory(home), exportFileName(format));
      let source: QueryResult;
      if (window.holdsAllRows) {
        const rows = window.peek(0, window.rowsRead) ?? [];
        source = {
          columns: view.columns,
          engineMs: view.wallMs,
          totalRows: rows.length,
          pages: () => pagesOf([rows]),
          close: () => Promise.resolve(),
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
    [connection, home, exportDir, pageSize, current, activeWindow, dispatch],
  );

  const copy = useCallback(
    async (what: ClipboardCopy) => {
      const view = current().result;
      const window = activeWindow();
      if (!view || !window) return;
      try {
        const notice = await copyToClipboard({ what, view, window, target: connection.current(), pageSize, write: writeTerminal });
        dispatch({ type: 'notice', notice });
      } catch (error) {
        dispatch({ type: 'notice', notice: errorNotice(error) });
      }
    },
    [current, activeWindow, connection, pageSize, writeTerminal, dispatch],
  );

  return { add, drop, holdsEngine, releaseAll, closeAll, syncRows, moveCursor, selectResult, exportTo, copy, releaseWhenIdle };
}
