// The SQL prompt: a multi-line editor with history, reverse search, Tab
// completion from the warehouse catalog and example queries; below it the
// result, read page by page as it scrolls, as a table or a bar chart, and
// exportable to CSV or JSON. The session (sql-session.ts) holds the work, the
// keys are in sql-keys.ts; this file lays the parts out.
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { Box, useStdout } from 'ink';
import { markDraft } from '../../pipeline/sql/highlight.js';
import type { Warehouse } from '../../pipeline/warehouse/types.js';
import { colorEnabled, streamColorDepth, type ColorDepth } from '../color.js';
import { SqlDraft, draftTop } from '../components/sql-draft.js';
import { syntaxPalette } from '../components/sql-palette.js';
import { editorAt, editorText } from '../components/text-editor.js';
import { useAppActions, type AppActions } from '../contexts/app-context.js';
import { useKeys } from '../hooks/use-keys.js';
import { useTimer } from '../hooks/use-timer.js';
import { matches, type KeyCommand } from '../key-bindings.js';
import { splitKeys } from '../key-input.js';
import { CompletionMenuView, placeMenu } from './sql-completion-menu.js';
import { ExamplePicker } from './sql-examples.js';
import { PlanView } from './sql-plan-view.js';
import { CompareView } from './sql-compare-view.js';
import { handleSqlKey } from './sql-keys.js';
import { ResultPane, recordViewLines, resultPaneChrome } from './sql-result-pane.js';
import { recordsOnScreen, recordsToRead } from './sql-result-records.js';
import { SearchLine } from './sql-search-line.js';
import { useSqlSession } from './sql-session.js';
import { StatusLine, leftOpenText, noticeText, wrapLines } from './sql-status-line.js';

export { isStatementComplete, parseMetaCommand } from './sql-commands.js';

export interface SqlScreenProps {
  warehouse: Warehouse;
  /** The screen takes keys. */
  isActive: boolean;
  /** The screen is on, maybe under the key overlay (default: true). Off, it keeps its session but lets go of the engine. */
  visible?: boolean;
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
  /** Schemas unqualified names resolve in (completion inserts bare names only for their tables). */
  searchPath?: readonly string[];
  /** Colours the draft is drawn with (default: what the terminal and the environment say, see color.ts). */
  colorDepth?: ColorDepth;
  /** Where copies to the clipboard go as OSC 52 (default: the terminal Ink draws on). */
  writeTerminal?: (text: string) => void;
  /** The user's saved queries folder (default: $SPARKIFY_HOME/queries). */
  savedQueriesDir?: string;
  /** Opens the other configured engine for `\compare`; absent when only one is configured. */
  openOtherWarehouse?: () => Promise<Warehouse>;
}

const PROMPT = 'sql> ';
const MAX_EDITOR_LINES = 8;
const DEFAULT_PAGE_SIZE = 500;

/** The app's actions; null when the screen is drawn on its own (tests, the benchmark). */
function useOptionalAppActions(): AppActions | null {
  try {
    return useAppActions();
  } catch {
    return null;
  }
}

export function SqlScreen({
  warehouse,
  isActive,
  visible = true,
  home,
  width = 80,
  height = 20,
  startWork,
  queriesDir,
  exportDir,
  pageSize = DEFAULT_PAGE_SIZE,
  maxCachedRows,
  searchPath,
  colorDepth: depth,
  writeTerminal,
  savedQueriesDir,
  openOtherWarehouse,
}: SqlScreenProps) {
  const palette = useMemo(() => syntaxPalette(depth ?? streamColorDepth()), [depth]);
  // Off a terminal chalk draws nothing, reverse video included: the cursor follows the environment, as elsewhere in the app.
  const inverseCursor = depth === undefined ? colorEnabled() : depth > 0;
  const actions = useOptionalAppActions();
  const { stdout } = useStdout();
  // The layout needs the state, and the session the rows that fit: the rows come from the last render.
  const layoutRef = useRef({ rows: 1, page: 1, width });
  const session = useSqlSession({
    warehouse,
    home,
    startWork,
    queriesDir,
    exportDir,
    pageSize,
    maxCachedRows,
    layout: layoutRef,
    writeTerminal: writeTerminal ?? ((text) => stdout.write(text)),
    visible,
    searchPath,
    savedQueriesDir,
    openOtherWarehouse,
    onQuit: actions ? () => actions.leave() : undefined,
  });
  const pendingKeyRef = useRef<KeyCommand | null>(null);
  const { state, discardDraft } = session;
  // The time comes from the run's start, which outlives a redraw.
  const elapsed = useTimer(state.running !== null, state.running?.runId ?? 0, state.running?.startedAt);

  const editorLines = Math.min(MAX_EDITOR_LINES, state.editor.lines.length);
  const draftText = editorText(state.editor);
  // Without colour the draft cannot mark a bracket or quote left open: the status line says it.
  const open = useMemo(() => (palette || state.running ? '' : leftOpenText(draftText, markDraft(draftText).left)), [palette, state.running, draftText]);
  const noticeLines = !state.running && state.notice?.wrap ? wrapLines(open + noticeText(state.notice, state.result, true), width) : null;
  const focused = state.focus === 'result';
  const valueLines = height >= 30 ? 4 : 2;
  // Editor, completion menu, status line; then the result's tabs, statement, header, footer and cell panel.
  const chrome = resultPaneChrome(state.results, state.active, focused, valueLines);
  // The menu goes under the draft while a row of the result still fits, else over the lines above the cursor.
  const cursorRow = state.editor.row - draftTop(state.editor, MAX_EDITOR_LINES);
  const roomBelow = height - editorLines - (noticeLines?.length ?? 1) - (state.results.length > 0 ? chrome + 1 : 0);
  const menuPlace = state.menu ? placeMenu(state.menu, height, roomBelow, cursorRow) : null;
  const candidateLines = menuPlace && !menuPlace.above ? menuPlace.rows + 1 : 0;
  const paneLines = height - editorLines - candidateLines - (noticeLines?.length ?? 1);
  const visibleRows = Math.max(1, paneLines - chrome);
  // `\x` reads as many rows as could fit as records and pages by those that did.
  const records = state.expanded && state.result && !state.result.chart ? state.result : null;
  const recordLines = recordViewLines(visibleRows);
  const rowsToRead = records ? recordsToRead(records.columns.length, recordLines) : visibleRows;
  const page = records ? Math.max(1, recordsOnScreen(records, width, recordLines).count) : visibleRows;
  // Set once drawn, before the effects (below and in the session) that read it.
  useLayoutEffect(() => {
    layoutRef.current = { rows: rowsToRead, page, width };
  });

  useEffect(() => {
    if (!actions || !isActive) return;
    // The prompt takes every key, Esc included: the app leaves Esc to it (see App).
    actions.captureInput('sql');
    const stop = actions.onInterrupt(discardDraft);
    return () => {
      stop();
      actions.captureInput(null);
    };
  }, [actions, isActive, discardDraft]);

  const context = {
    session,
    pending: pendingKeyRef,
    pageRows: paneLines,
    goHome: () => actions?.navigate('home'),
  };

  useKeys(
    (input, key) => {
      for (const [one, pressed] of splitKeys(input, key)) {
        if (matches('app.interrupt', one, pressed)) {
          // In the app, the app's Ctrl-C cancels what runs, else asks discardDraft.
          if (startWork || actions) continue;
          if (!session.cancel()) discardDraft();
          continue;
        }
        if (matches('sql.help', one, pressed)) {
          actions?.toggleHelp();
          // The overlay takes over: the rest of the read is not the prompt's.
          return;
        }
        handleSqlKey(context, one, pressed);
      }
    },
    { isActive },
  );

  // A resize (or the cell panel opening) changes how many rows fit: refill the table from the window.
  const { moveCursor } = session;
  useEffect(() => moveCursor({ kind: 'rows', delta: 0 }), [rowsToRead, moveCursor]);

  const menu =
    state.menu && menuPlace ? (
      <CompletionMenuView menu={state.menu} width={width} rows={menuPlace.rows} column={PROMPT.length + editorAt(editorText(state.editor), state.menu.start).col} color={palette !== null} />
    ) : null;

  if (state.focus === 'examples' && state.examples) {
    return <ExamplePicker examples={state.examples.list} selected={state.examples.selected} height={height} />;
  }

  return (
    <Box flexDirection="column" width={width}>
      {state.focus === 'search' && state.search ? (
        <SearchLine search={state.search} history={state.history} width={width} />
      ) : (
        <Box flexDirection="column">
          <SqlDraft state={state.editor} prompt={PROMPT} width={width} maxLines={MAX_EDITOR_LINES} showCursor={state.focus === 'editor' && isActive} palette={palette} inverseCursor={inverseCursor} />
          {menu && menuPlace?.above ? (
            <Box position="absolute" marginTop={cursorRow - menuPlace.rows - 1} flexDirection="column">
              {menu}
            </Box>
          ) : null}
        </Box>
      )}
      {menu && !menuPlace?.above ? menu : null}
      <StatusLine running={state.running !== null} waiting={state.running?.waiting} elapsed={elapsed} notice={state.notice} result={state.result} lines={noticeLines} open={open} />
      {state.focus === 'compare' && state.compare ? (
        <CompareView comparison={state.compare.comparison} sql={state.compare.sql} top={state.compare.top} width={width} height={paneLines} />
      ) : state.focus === 'plan' && state.plan ? (
        <PlanView plan={state.plan.plan} sql={state.plan.sql} top={state.plan.top} width={width} height={paneLines} />
      ) : (
        <ResultPane tabs={state.results} dropped={state.dropped} active={state.active} width={width} focused={focused} expanded={state.expanded} valueLines={valueLines} rows={visibleRows} />
      )}
    </Box>
  );
}
