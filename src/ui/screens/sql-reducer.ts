// State of the SQL prompt screen: the editor, history browsing and search, the
// example list, the running statement and the window of the result on screen.
import { insertionOf, type CompletionItem } from '../../pipeline/completion.js';
import { searchHistory } from '../../pipeline/history.js';
import type { Plan } from '../../pipeline/explain.js';
import type { ColumnInfo, Row } from '../../pipeline/warehouse/types.js';
import { EMPTY_EDITOR, editorFromText, editorText, isEmpty, replaceRange, type EditorState } from '../components/text-editor.js';
import type { ExampleQuery } from './sql-examples.js';

/** Which part takes the keys. */
export type SqlFocus = 'editor' | 'result' | 'search' | 'examples' | 'plan';

/** The EXPLAIN view: the plan of a statement, scrolled to `top` (a line of the drawn tree). */
export interface PlanView {
  sql: string;
  plan: Plan;
  top: number;
}

export interface ResultView {
  runId: number;
  sql: string;
  columns: ColumnInfo[];
  /** Index of the first row on screen, and those rows. */
  offset: number;
  rows: Row[];
  firstColumn: number;
  /** Known row count (engine or fully read), else undefined. */
  totalRows?: number;
  rowsRead: number;
  wallMs: number;
  /** A scroll is reading pages; `readingRows` counts them while End reads to the last row. */
  loading: boolean;
  readingRows?: number;
  chart: boolean;
}

export interface Notice {
  text: string;
  tone: 'info' | 'success' | 'error';
  hint?: string;
  /** The result's row count goes before the text, drawn from the result so it turns exact once the end is read. */
  rowCount?: boolean;
  /** Wrapped over as many lines as it needs rather than cut at the edge: a file path must be read whole. */
  wrap?: boolean;
}

/** The completion menu: what fits the word between `start` and `end`, and the item chosen. */
export interface CompletionMenu {
  start: number;
  end: number;
  items: CompletionItem[];
  selected: number;
}

export interface SqlState {
  focus: SqlFocus;
  editor: EditorState;
  history: readonly string[];
  /** Entry being shown while browsing with ↑/↓; null when editing a fresh statement. */
  historyIndex: number | null;
  /** What was typed before browsing began, restored by ↓ past the newest entry. */
  draft: EditorState | null;
  /** Reverse search: the last entry that matched, and whether the query as typed now matches none. */
  search: { query: string; match: number; failing: boolean; saved: EditorState } | null;
  examples: { list: ExampleQuery[]; selected: number } | null;
  /** The completion menu under the editor, open after a Tab that found more than one name. */
  menu: CompletionMenu | null;
  /** `startedAt` (Date.now()) keeps the clock right when the screen is drawn again (after the key overlay). */
  running: { runId: number; sql: string; startedAt: number; waiting?: string } | null;
  result: ResultView | null;
  plan: PlanView | null;
  notice: Notice | null;
}

export type SqlAction =
  | { type: 'edit'; editor: EditorState }
  | { type: 'complete'; editor: EditorState; menu: CompletionMenu | null }
  | { type: 'menu-move'; delta: number }
  | { type: 'menu-accept' }
  | { type: 'history-loaded'; entries: readonly string[] }
  | { type: 'history-previous' }
  | { type: 'history-next' }
  | { type: 'search-open' }
  | { type: 'search-type'; query: string }
  | { type: 'search-older' }
  | { type: 'search-accept' }
  | { type: 'search-cancel' }
  | { type: 'examples-open'; list: ExampleQuery[] }
  | { type: 'examples-move'; delta: number }
  | { type: 'examples-choose' }
  | { type: 'examples-close' }
  | { type: 'focus'; focus: 'editor' | 'result' }
  | { type: 'run-started'; runId: number; sql: string; startedAt: number }
  | { type: 'run-waiting'; runId: number; message: string }
  | { type: 'run-finished'; view: ResultView | null; notice: Notice }
  | { type: 'run-failed'; runId: number; notice: Notice }
  | { type: 'result-loading'; runId: number; readingRows?: number }
  | { type: 'result-rows'; runId: number; offset: number; rows: Row[]; totalRows?: number; rowsRead: number }
  | { type: 'result-columns'; delta: number }
  | { type: 'toggle-chart' }
  | { type: 'notice'; notice: Notice | null }
  /** A backslash command the prompt handled itself (or refused): it leaves the draft. */
  | { type: 'command-done'; notice: Notice }
  | { type: 'discard' }
  | { type: 'plan-open'; sql: string; plan: Plan }
  | { type: 'plan-scroll'; top: number }
  | { type: 'plan-close' };

export const initialSqlState: SqlState = {
  focus: 'editor',
  editor: EMPTY_EDITOR,
  history: [],
  historyIndex: null,
  draft: null,
  search: null,
  examples: null,
  menu: null,
  running: null,
  result: null,
  plan: null,
  notice: null,
};

export function sqlReducer(state: SqlState, action: SqlAction): SqlState {
  switch (action.type) {
    case 'edit':
      return { ...state, editor: action.editor, historyIndex: null, draft: null, menu: null };
    case 'complete':
      return { ...state, editor: action.editor, menu: action.menu };
    case 'menu-move': {
      if (!state.menu) return state;
      const count = state.menu.items.length;
      return { ...state, menu: { ...state.menu, selected: (state.menu.selected + action.delta + count) % count } };
    }
    case 'menu-accept': {
      const item = state.menu?.items[state.menu.selected];
      if (!state.menu || !item) return { ...state, menu: null };
      const editor = replaceRange(state.editor, state.menu.start, state.menu.end, insertionOf(item));
      return { ...state, editor, menu: null, historyIndex: null, draft: null };
    }
    case 'history-loaded':
      return { ...state, history: action.entries };
    case 'history-previous': {
      if (state.history.length === 0 || state.historyIndex === 0) return state;
      const index = state.historyIndex === null ? state.history.length - 1 : state.historyIndex - 1;
      return {
        ...state,
        historyIndex: index,
        draft: state.draft ?? state.editor,
        editor: editorFromText(state.history[index]),
        menu: null,
      };
    }
    case 'history-next': {
      if (state.historyIndex === null) return state;
      const index = state.historyIndex + 1;
      if (index >= state.history.length) {
        return { ...state, historyIndex: null, editor: state.draft ?? EMPTY_EDITOR, draft: null };
      }
      return { ...state, historyIndex: index, editor: editorFromText(state.history[index]) };
    }
    case 'search-open':
      return { ...state, focus: 'search', search: { query: '', match: -1, failing: false, saved: state.editor }, menu: null };
    case 'search-type': {
      if (!state.search) return state;
      if (action.query === '') return { ...state, search: { ...state.search, query: '', match: -1, failing: false } };
      // Like readline: the search goes on from the entry shown, and a query that
      // matches nothing keeps showing the last match.
      const from = state.search.match === -1 ? state.history.length : state.search.match + 1;
      const match = searchHistory(state.history, action.query, from);
      return {
        ...state,
        search: { ...state.search, query: action.query, match: match === -1 ? state.search.match : match, failing: match === -1 },
      };
    }
    case 'search-older': {
      if (!state.search || state.search.query === '') return state;
      const before = state.search.match === -1 ? state.history.length : state.search.match;
      const match = searchHistory(state.history, state.search.query, before);
      return { ...state, search: { ...state.search, match: match === -1 ? state.search.match : match, failing: match === -1 } };
    }
    case 'search-accept': {
      if (!state.search) return state;
      const editor = state.search.match === -1 ? state.search.saved : editorFromText(state.history[state.search.match]);
      return { ...state, focus: 'editor', search: null, editor, historyIndex: null, draft: null };
    }
    case 'search-cancel':
      return state.search ? { ...state, focus: 'editor', editor: state.search.saved, search: null } : state;
    case 'examples-open':
      return { ...state, focus: 'examples', examples: { list: action.list, selected: 0 }, menu: null };
    case 'examples-move': {
      if (!state.examples || state.examples.list.length === 0) return state;
      const count = state.examples.list.length;
      const selected = (state.examples.selected + action.delta + count) % count;
      return { ...state, examples: { ...state.examples, selected } };
    }
    case 'examples-choose': {
      const chosen = state.examples?.list[state.examples.selected];
      if (!chosen) return { ...state, focus: 'editor', examples: null };
      return { ...state, focus: 'editor', examples: null, editor: editorFromText(chosen.sql), historyIndex: null, draft: null };
    }
    case 'examples-close':
      return { ...state, focus: 'editor', examples: null };
    case 'focus':
      return { ...state, focus: action.focus === 'result' && !state.result ? 'editor' : action.focus };
    case 'run-started':
      return {
        ...state,
        running: { runId: action.runId, sql: action.sql, startedAt: action.startedAt },
        editor: EMPTY_EDITOR,
        historyIndex: null,
        draft: null,
        menu: null,
        notice: null,
      };
    case 'run-waiting':
      if (state.running?.runId !== action.runId) return state;
      return { ...state, running: { ...state.running, waiting: action.message } };
    case 'run-finished':
      if (!action.view && state.running === null) return state;
      return { ...state, running: null, result: action.view, notice: action.notice, focus: action.view ? state.focus : 'editor' };
    case 'run-failed':
      if (state.running?.runId !== action.runId) return state;
      return { ...state, running: null, notice: action.notice, editor: isBlank(state.editor) ? editorFromText(state.running.sql) : state.editor };
    case 'result-loading':
      if (state.result?.runId !== action.runId) return state;
      return { ...state, result: { ...state.result, loading: true, readingRows: action.readingRows } };
    case 'result-rows':
      if (state.result?.runId !== action.runId) return state;
      return {
        ...state,
        result: {
          ...state.result,
          offset: action.offset,
          rows: action.rows,
          totalRows: action.totalRows,
          rowsRead: action.rowsRead,
          loading: false,
          readingRows: undefined,
        },
      };
    case 'result-columns': {
      if (!state.result) return state;
      const firstColumn = Math.max(0, Math.min(state.result.columns.length - 1, state.result.firstColumn + action.delta));
      return { ...state, result: { ...state.result, firstColumn } };
    }
    case 'toggle-chart':
      return state.result ? { ...state, result: { ...state.result, chart: !state.result.chart } } : state;
    case 'notice':
      return { ...state, notice: action.notice };
    case 'command-done':
      return { ...state, notice: action.notice, editor: EMPTY_EDITOR, historyIndex: null, draft: null, menu: null };
    case 'plan-open':
      return { ...state, focus: 'plan', plan: { sql: action.sql, plan: action.plan, top: 0 }, notice: null, menu: null };
    case 'plan-scroll':
      return state.plan ? { ...state, plan: { ...state.plan, top: Math.max(0, action.top) } } : state;
    case 'plan-close':
      return { ...state, focus: 'editor', plan: null };
    case 'discard':
      // Ctrl-C, as in psql: what is being typed goes (a search or the example
      // list with it); the history, the result and a running statement stay.
      return {
        ...state,
        focus: state.focus === 'result' ? 'result' : 'editor',
        editor: EMPTY_EDITOR,
        search: null,
        examples: null,
        historyIndex: null,
        draft: null,
        menu: null,
      };
  }
}

/** Something Ctrl-C would throw away: typed text, or an open search or example list. */
export function hasDraft(state: SqlState): boolean {
  return !isEmpty(state.editor) || state.search !== null || state.examples !== null;
}

function isBlank(editor: EditorState): boolean {
  return editorText(editor).trim() === '';
}
