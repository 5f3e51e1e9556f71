// The SQL prompt: a multi-line editor with history, reverse search, Tab
// completion from the warehouse catalog and example queries; below it the
// result, read page by page as it scrolls, as a table or a bar chart, and
// exportable to CSV or JSON.
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import { join } from 'node:path';
import { Box, Text, useInput, type Key } from 'ink';
import { complete, describeTableSql, LIST_TABLES_SQL, loadCatalog, type Catalog } from '../../pipeline/completion.js';
import { SparkifyError, UsageError, isAbortError } from '../../pipeline/errors.js';
import { exportDirectory, exportFileName, exportResult, type ExportFormat } from '../../pipeline/export.js';
import { SqlHistory } from '../../pipeline/history.js';
import { codeTokens, tokenize } from '../../pipeline/sql/tokenizer.js';
import type { QueryResult, Warehouse } from '../../pipeline/warehouse/types.js';
import { BarChart, chartColumns } from '../components/bar-chart.js';
import { formatCount, formatSeconds } from '../components/format.js';
import { ResultTable, layoutColumns } from '../components/result-table.js';
import { ResultWindow, isReadOnlyStatement } from '../components/result-window.js';
import { Spinner } from '../components/spinner.js';
import {
  EMPTY_EDITOR,
  TextEditor,
  backspace,
  cursorOffset,
  deleteForward,
  deleteWordBack,
  editorText,
  insertText,
  killToLineEnd,
  lineEnd,
  lineStart,
  moveDown,
  moveLeft,
  moveRight,
  moveUp,
  newline,
  onFirstLine,
  onLastLine,
  replaceRange,
  type EditorState,
} from '../components/text-editor.js';
import { useAppActions, type AppActions } from '../contexts/app-context.js';
import { useTimer } from '../hooks/use-timer.js';
import { matches } from '../key-bindings.js';
import { splitKeys } from '../key-input.js';
import { ExamplePicker, loadExampleQueries } from './sql-examples.js';
import { hasDraft, initialSqlState, sqlReducer, type Notice, type ResultView, type SqlAction, type SqlState } from './sql-reducer.js';

export interface SqlScreenProps {
  warehouse: Warehouse;
  isActive: boolean;
  /** $SPARKIFY_HOME: the history file and the exports folder live there. */
  home: string;
  width?: number;
  height?: number;
  /**
   * Registers a running statement with the app so the app's Ctrl-C cancels
   * it; returns the function that marks it done. Without it the screen takes
   * Ctrl-C itself.
   */
  startWork?: (label: string, cancel: () => void) => () => void;
  /** Folder of the example queries (default: sql/queries shipped with sparkify). */
  queriesDir?: string;
  /** Where exports are written (default: $SPARKIFY_HOME/exports). */
  exportDir?: string;
  /** Rows per page pulled from the engine. */
  pageSize?: number;
  /** Rows kept around the scroll position; older ones are dropped. */
  maxCachedRows?: number;
}

const PROMPT = 'sql> ';
const MAX_EDITOR_LINES = 8;
const DEFAULT_PAGE_SIZE = 500;
const PROGRESS_INTERVAL_MS = 100;

/** True when Enter should run the text: it ends with `;` (outside strings and comments) or is a `\` command. */
export function isStatementComplete(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.startsWith('\\')) return true;
  const last = codeTokens(tokenize(trimmed)).at(-1);
  return last?.type === 'punct' && last.text === ';';
}

/** `\dt` lists tables; `\d name` describes one (`\d` alone lists tables too). */
export function metaCommandSql(text: string): string {
  const [command, ...rest] = text.trim().replace(/;+$/, '').trim().split(/\s+/);
  const argument = rest.join(' ');
  if (command === '\\dt' || (command === '\\d' && argument === '')) return LIST_TABLES_SQL;
  if (command === '\\d') return describeTableSql(argument);
  throw new UsageError(`unknown command ${command}`, 'use \\dt to list tables or \\d table to describe one');
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : formatSeconds(ms);
}

function rowCountLabel(view: Pick<ResultView, 'totalRows' | 'rowsRead'>): string {
  if (view.totalRows !== undefined) return `${formatCount(view.totalRows)} ${view.totalRows === 1 ? 'row' : 'rows'}`;
  return `${formatCount(view.rowsRead)}+ rows`;
}

/** The app's actions; null when the screen is drawn on its own (tests, the benchmark). */
function useOptionalAppActions(): AppActions | null {
  try {
    return useAppActions();
  } catch {
    return null;
  }
}

/**
 * What the prompt holds besides its drawing: the state, the history, the open
 * result and the running statement. The app draws the key overlay in the
 * screen's place, so the screen unmounts while the overlay is up; the session
 * waits meanwhile and the screen takes it up again when it comes back.
 */
interface SqlSession {
  stateRef: { current: SqlState };
  historyRef: { current: SqlHistory | null };
  /** The catalog being read or read; replaced the moment a statement may have changed it. */
  catalogRef: { current: { promise: Promise<Catalog | null>; settled: boolean } | null };
  windowRef: { current: ResultWindow | null };
  controllerRef: { current: AbortController | null };
  runIdRef: { current: number };
  /** The editor as a cancel left it (the statement put back), until it changes. */
  cancelledEditorRef: { current: EditorState | null };
  /** Draws a state: the setState of the screen showing the session. */
  draw: (state: SqlState) => void;
  /** The history and the catalog were read. */
  started: boolean;
  /** The screen opened the key overlay: unmounting parks the session instead of closing it. */
  parking: boolean;
}

/** Sessions waiting for the key overlay to close, by warehouse. */
const parkedSessions = new WeakMap<Warehouse, SqlSession>();

/**
 * What was typed and not run when Esc went home, by warehouse: it is there
 * again when the prompt comes back. (The result is let go: an open result
 * holds the local engine's query connection, which other screens use.)
 */
const keptDrafts = new WeakMap<Warehouse, EditorState>();

function takeSession(warehouse: Warehouse): SqlSession {
  const parked = parkedSessions.get(warehouse);
  parkedSessions.delete(warehouse);
  const draft = keptDrafts.get(warehouse);
  keptDrafts.delete(warehouse);
  return (
    parked ?? {
      stateRef: { current: draft ? { ...initialSqlState, editor: draft } : initialSqlState },
      historyRef: { current: null },
      catalogRef: { current: null },
      windowRef: { current: null },
      controllerRef: { current: null },
      runIdRef: { current: 0 },
      cancelledEditorRef: { current: null },
      draw: () => undefined,
      started: false,
      parking: false,
    }
  );
}

/** `text` in lines of at most `width` columns, broken at spaces where it can be. */
function wrapLines(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const joined = line === '' ? word : `${line} ${word}`;
    if (joined.length <= width) {
      line = joined;
      continue;
    }
    if (line !== '') lines.push(line);
    let rest = word;
    for (; rest.length > width; rest = rest.slice(width)) lines.push(rest.slice(0, width));
    line = rest;
  }
  lines.push(line);
  return lines;
}

function errorNotice(error: unknown): Notice {
  if (isAbortError(error)) return { text: 'cancelled', tone: 'info' };
  if (error instanceof SparkifyError) return { text: error.message, tone: 'error', hint: error.hint };
  return { text: (error as Error)?.message ?? String(error), tone: 'error' };
}

export function SqlScreen({
  warehouse,
  isActive,
  home,
  width = 80,
  height = 20,
  startWork,
  queriesDir,
  exportDir,
  pageSize = DEFAULT_PAGE_SIZE,
  maxCachedRows,
}: SqlScreenProps) {
  const actions = useOptionalAppActions();
  const [session] = useState(() => takeSession(warehouse));
  const { stateRef, historyRef, catalogRef, windowRef, controllerRef, runIdRef, cancelledEditorRef } = session;
  // The reducer runs here rather than in useReducer so key handlers see the
  // state their previous key produced, even before React renders it (typing
  // ahead, pasting, a fast Tab after a letter).
  const [state, setState] = useState(stateRef.current);
  const dispatch = useCallback(
    (action: SqlAction) => {
      stateRef.current = sqlReducer(stateRef.current, action);
      session.draw(stateRef.current);
    },
    [session, stateRef],
  );
  useEffect(() => {
    session.draw = setState;
    // What changed while the session waited (a statement finishing behind the overlay).
    setState(stateRef.current);
    return () => {
      session.draw = () => undefined;
    };
  }, [session, stateRef]);
  // The timer only ticks the clock; the time comes from the start, which outlives a redraw.
  useTimer(state.running !== null, state.running?.runId ?? 0);
  const elapsed = state.running ? Math.max(0, Date.now() - state.running.startedAt) : 0;

  const editorLines = Math.min(MAX_EDITOR_LINES, state.editor.lines.length);
  const candidateLines = state.candidates.length > 0 ? 1 : 0;
  const noticeLines = !state.running && state.notice?.wrap ? wrapLines(noticeText(state.notice, state.result, true), width) : null;
  // Editor, candidates, status line; then the table's header, rule and footer.
  const visibleRows = Math.max(1, height - editorLines - candidateLines - (noticeLines?.length ?? 1) - 3);
  const visibleRowsRef = useRef(visibleRows);
  visibleRowsRef.current = visibleRows;

  // The local engine runs one statement at a time, and an open result holds
  // it: the catalog is read only when no result does.
  const refreshCatalog = useCallback(() => {
    if (windowRef.current?.holdsEngine) return;
    const entry = { promise: loadCatalog(warehouse).catch(() => null), settled: false };
    void entry.promise.then(() => (entry.settled = true));
    catalogRef.current = entry;
  }, [warehouse]);

  useEffect(() => {
    if (!session.started) {
      session.started = true;
      try {
        const history = SqlHistory.load(home);
        historyRef.current = history;
        dispatch({ type: 'history-loaded', entries: [...history.entries] });
      } catch (error) {
        dispatch({ type: 'notice', notice: { text: `history not read: ${(error as Error).message}`, tone: 'error' } });
      }
      refreshCatalog();
    }
    return () => {
      // The key overlay stands in for the screen for a moment: keep everything for its return.
      if (session.parking) {
        session.parking = false;
        parkedSessions.set(warehouse, session);
        return;
      }
      session.started = false;
      controllerRef.current?.abort();
      void windowRef.current?.close();
      windowRef.current = null;
    };
  }, [home, warehouse, session, refreshCatalog]);

  /**
   * Ctrl-C with nothing running, as in psql: clears what is typed and says so
   * by returning true; with nothing typed, false lets the app leave. A
   * statement a cancel put back is in the history already, so the Ctrl-C after
   * the cancel leaves, as the app promises.
   */
  const discardDraft = useCallback((): boolean => {
    const current = stateRef.current;
    if (!hasDraft(current)) return false;
    if (current.editor === cancelledEditorRef.current && current.search === null && current.examples === null) return false;
    dispatch({ type: 'discard' });
    return true;
  }, []);

  useEffect(() => {
    if (!actions) return;
    // The prompt takes every key, Esc included: the app leaves Esc to it (see App).
    actions.captureInput('sql');
    const stop = actions.onInterrupt(discardDraft);
    return () => {
      stop();
      actions.captureInput(null);
    };
  }, [actions, discardDraft]);

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

  const run = useCallback(
    async (text: string) => {
      const typed = text.trim();
      if (typed === '') return;
      // One statement at a time: the text stays in the editor for when this one ends.
      if (stateRef.current.running) return;
      let sql: string;
      try {
        sql = typed.startsWith('\\') ? metaCommandSql(typed) : typed;
      } catch (error) {
        dispatch({ type: 'notice', notice: errorNotice(error) });
        return;
      }
      const runId = ++runIdRef.current;
      // Cancellable from the first moment: a quick Ctrl-C must not fall between awaits.
      const controller = new AbortController();
      const done = beginWork('query', controller);
      dispatch({ type: 'run-started', runId, sql: typed, startedAt: Date.now() });
      const started = performance.now();
      const readOnly = isReadOnlyStatement(sql);
      try {
        const history = historyRef.current;
        if (history) {
          await history.add(typed).catch(() => undefined);
          dispatch({ type: 'history-loaded', entries: [...history.entries] });
        }
        const previous = windowRef.current;
        windowRef.current = null;
        await previous?.close();
        controller.signal.throwIfAborted();
        const result = await warehouse.query(sql, { signal: controller.signal, pageSize });
        const window = new ResultWindow(result, {
          maxCachedRows,
          pageSize,
          reopen: readOnly ? () => warehouse.query(sql, { pageSize }) : undefined,
        });
        windowRef.current = window;
        const first = await window.rows(0, visibleRowsRef.current, controller.signal);
        // A page more, so a result of exactly one page (LIMIT 500) shows its count, not 500+.
        await window.readAhead(controller.signal);
        const wallMs = performance.now() - started;
        if (window.columns.length === 0 || (!readOnly && first.rows.length === 0)) {
          await window.close();
          windowRef.current = null;
          dispatch({ type: 'run-finished', view: null, notice: { text: `done in ${formatDuration(wallMs)}`, tone: 'success' } });
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
          dispatch({ type: 'run-finished', view, notice: { text: `in ${formatDuration(wallMs)}`, tone: 'success', rowCount: true } });
        }
        if (!readOnly) refreshCatalog();
      } catch (error) {
        const before = stateRef.current.editor;
        dispatch({ type: 'run-failed', runId, notice: errorNotice(error) });
        if (isAbortError(error) && stateRef.current.editor !== before) cancelledEditorRef.current = stateRef.current.editor;
      } finally {
        done();
      }
    },
    [warehouse, pageSize, maxCachedRows, beginWork, refreshCatalog],
  );

  const showRows = useCallback((offset: number) => {
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
      ({ start, rows }) =>
        dispatch({ type: 'result-rows', runId: view.runId, offset: start, rows, totalRows: window.totalRows, rowsRead: window.rowsRead }),
      (error: unknown) => dispatch({ type: 'notice', notice: errorNotice(error) }),
    );
  }, []);

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
  }, [beginWork, showRows]);

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
        source = await warehouse.query(view.sql, { pageSize });
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
    [warehouse, home, exportDir, pageSize],
  );

  const completeAtCursor = useCallback(async () => {
    const editor = stateRef.current.editor;
    // A half-read result holds the local engine; its cached rows stay on screen.
    if (!catalogRef.current?.settled && windowRef.current?.holdsEngine) await windowRef.current.release();
    if (!catalogRef.current) refreshCatalog();
    const catalog = await catalogRef.current?.promise;
    if (!catalog) {
      dispatch({ type: 'notice', notice: { text: 'completion needs the table list: run or close the open result first', tone: 'info' } });
      return;
    }
    if (stateRef.current.editor !== editor) return;
    const found = complete(editorText(editor), cursorOffset(editor), catalog);
    if (!found) {
      dispatch({ type: 'complete', editor, candidates: [] });
      return;
    }
    const next = replaceRange(editor, found.start, found.end, found.replacement);
    dispatch({ type: 'complete', editor: next, candidates: found.candidates.length > 1 ? found.candidates : [] });
  }, [refreshCatalog]);

  const goHome = (): void => {
    if (hasDraft(stateRef.current)) keptDrafts.set(warehouse, stateRef.current.editor);
    actions?.navigate('home');
  };

  const handleEditorKey = (input: string, key: Key): void => {
    const { editor } = stateRef.current;
    const edit = (next: typeof editor) => dispatch({ type: 'edit', editor: next });
    if (matches('sql.back', input, key)) {
      // Esc closes the completion list first; then it goes home, keeping the draft.
      if (stateRef.current.candidates.length > 0) dispatch({ type: 'complete', editor, candidates: [] });
      else goHome();
    } else if (matches('sql.run-now', input, key)) void run(editorText(editor));
    else if (matches('sql.run', input, key)) {
      if (isStatementComplete(editorText(editor))) void run(editorText(editor));
      else edit(newline(editor));
    } else if (matches('sql.complete', input, key)) void completeAtCursor();
    else if (matches('sql.history-search', input, key)) dispatch({ type: 'search-open' });
    else if (matches('sql.examples', input, key)) {
      void loadExampleQueries(queriesDir).then(
        (list) => dispatch({ type: 'examples-open', list }),
        (error: unknown) => dispatch({ type: 'notice', notice: errorNotice(error) }),
      );
    } else if (matches('sql.focus-result', input, key)) dispatch({ type: 'focus', focus: 'result' });
    else if (matches('sql.page-up', input, key)) showRows((stateRef.current.result?.offset ?? 0) - visibleRowsRef.current);
    else if (matches('sql.page-down', input, key)) showRows((stateRef.current.result?.offset ?? 0) + visibleRowsRef.current);
    else if (key.upArrow) {
      if (onFirstLine(editor)) dispatch({ type: 'history-previous' });
      else dispatch({ type: 'complete', editor: moveUp(editor), candidates: [] });
    } else if (key.downArrow) {
      if (onLastLine(editor)) dispatch({ type: 'history-next' });
      else dispatch({ type: 'complete', editor: moveDown(editor), candidates: [] });
    } else if (key.leftArrow) dispatch({ type: 'complete', editor: moveLeft(editor), candidates: [] });
    else if (key.rightArrow) dispatch({ type: 'complete', editor: moveRight(editor), candidates: [] });
    else if (key.home || (key.ctrl && input === 'a')) dispatch({ type: 'complete', editor: lineStart(editor), candidates: [] });
    else if (key.end || (key.ctrl && input === 'e')) dispatch({ type: 'complete', editor: lineEnd(editor), candidates: [] });
    // Terminals send DEL (0x7f) for Backspace, which Ink names `delete`.
    else if (key.backspace || key.delete) edit(backspace(editor));
    else if (key.ctrl && input === 'd') edit(deleteForward(editor));
    else if (key.ctrl && input === 'u') edit(EMPTY_EDITOR);
    else if (key.ctrl && input === 'k') edit(killToLineEnd(editor));
    else if (key.ctrl && input === 'w') edit(deleteWordBack(editor));
    else if (!key.ctrl && !key.meta && !key.escape && input !== '') edit(insertText(editor, input));
  };

  const handleResultKey = (input: string, key: Key) => {
    const view = stateRef.current.result;
    if (!view) return;
    if (matches('sql.back', input, key)) goHome();
    else if (matches('sql.edit', input, key) || matches('sql.focus-result', input, key)) dispatch({ type: 'focus', focus: 'editor' });
    else if (matches('sql.result-up', input, key)) showRows(view.offset - 1);
    else if (matches('sql.result-down', input, key)) showRows(view.offset + 1);
    else if (matches('sql.page-up', input, key)) showRows(view.offset - visibleRowsRef.current);
    else if (matches('sql.page-down', input, key)) showRows(view.offset + visibleRowsRef.current);
    else if (matches('sql.result-first', input, key)) showRows(0);
    else if (matches('sql.result-last', input, key)) void showLastRows();
    else if (matches('sql.result-left', input, key)) dispatch({ type: 'result-columns', delta: -1 });
    else if (matches('sql.result-right', input, key)) dispatch({ type: 'result-columns', delta: 1 });
    else if (matches('sql.chart', input, key)) {
      if (chartColumns(view.columns)) dispatch({ type: 'toggle-chart' });
      else dispatch({ type: 'notice', notice: { text: 'a bar chart needs exactly two columns: a label and a number', tone: 'info' } });
    } else if (matches('sql.export-csv', input, key)) void exportTo('csv');
    else if (matches('sql.export-json', input, key)) void exportTo('json');
  };

  const handleSearchKey = (input: string, key: Key) => {
    const search = stateRef.current.search;
    if (!search) return;
    if (matches('sql.history-search', input, key)) dispatch({ type: 'search-older' });
    else if (matches('sql.dismiss', input, key)) dispatch({ type: 'search-cancel' });
    else if (key.return || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) dispatch({ type: 'search-accept' });
    else if (key.backspace || key.delete) dispatch({ type: 'search-type', query: search.query.slice(0, -1) });
    else if (!key.ctrl && !key.meta && !key.escape && input !== '') dispatch({ type: 'search-type', query: search.query + input });
  };

  const handleExamplesKey = (input: string, key: Key) => {
    if (key.upArrow) dispatch({ type: 'examples-move', delta: -1 });
    else if (key.downArrow) dispatch({ type: 'examples-move', delta: 1 });
    else if (key.return) dispatch({ type: 'examples-choose' });
    else if (matches('sql.dismiss', input, key) || matches('sql.examples', input, key)) dispatch({ type: 'examples-close' });
  };

  const handleKey = (input: string, key: Key): void => {
    if (input === 'c' && key.ctrl) {
      // In the app, the app's Ctrl-C cancels what runs, else asks discardDraft.
      if (startWork || actions) return;
      if (controllerRef.current) controllerRef.current.abort();
      else discardDraft();
      return;
    }
    if (matches('sql.help', input, key)) {
      if (!actions) return;
      session.parking = true;
      actions.toggleHelp();
      return;
    }
    switch (stateRef.current.focus) {
      case 'editor':
        return handleEditorKey(input, key);
      case 'result':
        return handleResultKey(input, key);
      case 'search':
        return handleSearchKey(input, key);
      case 'examples':
        return handleExamplesKey(input, key);
    }
  };

  // Back from the overlay without having been unmounted: nothing to park any more.
  useEffect(() => {
    if (isActive) session.parking = false;
  }, [isActive, session]);

  useInput(
    (input, key) => {
      for (const [one, pressed] of splitKeys(input, key)) {
        handleKey(one, pressed);
        // The overlay takes over: the rest of the read is not the prompt's.
        if (session.parking) return;
      }
    },
    { isActive },
  );

  // A resize changes how many rows fit: refill the table from the window.
  useEffect(() => {
    const view = stateRef.current.result;
    if (view && view.rows.length !== visibleRows && !view.loading) showRows(view.offset);
  }, [visibleRows, showRows]);

  if (state.focus === 'examples' && state.examples) {
    return <ExamplePicker examples={state.examples.list} selected={state.examples.selected} height={height} />;
  }

  return (
    <Box flexDirection="column" width={width}>
      {state.focus === 'search' && state.search ? (
        <SearchLine search={state.search} history={state.history} width={width} />
      ) : (
        <TextEditor state={state.editor} prompt={PROMPT} width={width} maxLines={MAX_EDITOR_LINES} showCursor={state.focus === 'editor' && isActive} />
      )}
      {candidateLines > 0 ? <Text dimColor wrap="truncate-end">{state.candidates.join('  ')}</Text> : null}
      <StatusLine running={state.running !== null} elapsed={elapsed} notice={state.notice} result={state.result} lines={noticeLines} />
      {state.result ? <ResultPane view={state.result} width={width} focused={state.focus === 'result'} /> : null}
    </Box>
  );
}

function SearchLine({ search, history, width }: { search: { query: string; match: number; failing: boolean }; history: readonly string[]; width: number }) {
  const found = search.match === -1 ? '' : history[search.match].replace(/\s*\n\s*/g, ' ');
  const label = `(${search.failing ? 'no match · ' : ''}history search) '${search.query}': `;
  const room = Math.max(0, width - label.length);
  return (
    <Text wrap="truncate-end">
      <Text color="cyan">{label}</Text>
      {found.length > room ? `${found.slice(0, Math.max(0, room - 1))}…` : found}
    </Text>
  );
}

/** A notice's words: the result's row count first when it counts rows, the hint after when `withHint`. */
function noticeText(notice: Notice, result: ResultView | null, withHint = false): string {
  const mark = notice.tone === 'error' ? '✗ ' : notice.tone === 'success' ? '✓ ' : '';
  const text = notice.rowCount && result ? `${rowCountLabel(result)} ${notice.text}` : notice.text;
  return `${mark}${text}${withHint && notice.hint ? ` · ${notice.hint}` : ''}`;
}

function StatusLine({
  running,
  elapsed,
  notice,
  result,
  lines,
}: {
  running: boolean;
  elapsed: number;
  notice: Notice | null;
  result: ResultView | null;
  /** The notice wrapped to the width (Notice.wrap), else null. */
  lines: string[] | null;
}) {
  if (running) {
    return (
      <Text>
        <Spinner /> running {formatSeconds(elapsed)} <Text dimColor>· Ctrl-C cancels</Text>
      </Text>
    );
  }
  if (notice) {
    const color = notice.tone === 'error' ? 'red' : notice.tone === 'success' ? 'green' : undefined;
    if (lines) {
      return (
        <Box flexDirection="column">
          {lines.map((line, i) => (
            <Text key={i} color={color}>
              {line}
            </Text>
          ))}
        </Box>
      );
    }
    return (
      <Text wrap="truncate-end">
        <Text color={color}>{noticeText(notice, result)}</Text>
        {notice.hint ? <Text dimColor> · {notice.hint}</Text> : null}
      </Text>
    );
  }
  return (
    <Text dimColor wrap="truncate-end">
      end a statement with ; and press Enter · \dt lists tables · \d table describes one
    </Text>
  );
}

/** Memoised: typing in the editor leaves the result as it is, so it is not redrawn. */
const ResultPane = memo(function ResultPane({ view, width, focused }: { view: ResultView; width: number; focused: boolean }) {
  const chart = view.chart ? chartColumns(view.columns) : undefined;
  const last = view.offset + view.rows.length;
  const position = view.rows.length === 0 ? 'no rows' : `rows ${formatCount(view.offset + 1)}–${formatCount(last)} of ${rowCountLabel(view)}`;
  const laid = layoutColumns(view.columns, view.rows, view.firstColumn, width);
  const columns = chart ? '' : ` · columns ${view.firstColumn + 1}–${view.firstColumn + laid.length} of ${view.columns.length}`;
  const reading = view.readingRows !== undefined ? ` · reading ${formatCount(view.readingRows)} rows…` : view.loading ? ' · reading…' : '';
  const keys = focused ? ' · ↑↓←→ PgUp/PgDn Home/End · c chart · x csv · j json · Enter edit' : ' · Ctrl-T scroll, chart, export';
  return (
    <Box flexDirection="column">
      {chart ? (
        <BarChart columns={view.columns} rows={view.rows} chart={chart} width={width} />
      ) : (
        <ResultTable columns={view.columns} rows={view.rows} firstColumn={view.firstColumn} width={width} />
      )}
      <Text dimColor wrap="truncate-end">
        {position}
        {columns}
        {reading}
        {keys}
      </Text>
    </Box>
  );
});
