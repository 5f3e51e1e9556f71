// State of the SQL prompt screen: the editor, history browsing and search, the
// example list, the running statement and the window of the result on screen.
import { insertionOf, type CompletionItem } from '../../pipeline/completion.js';
import { searchHistory } from '../../pipeline/history.js';
import type { Comparison } from '../../pipeline/compare.js';
import type { Plan } from '../../pipeline/explain.js';
import type { Row } from '../../pipeline/warehouse/types.js';
import { EMPTY_EDITOR, editorFromText, editorText, isEmpty, replaceRange, type EditorState } from '../components/text-editor.js';
import type { ExampleQuery } from './sql-examples.js';
import { MAX_KEPT_RESULTS, moveCursor, withRows, type CursorMove, type ResultTab, type ResultView } from './sql-result-state.js';

export type { ResultTab, ResultView } from './sql-result-state.js';

/** Which part takes the keys. */
export type SqlFocus = 'editor' | 'result' | 'search' | 'examples' | 'plan' | 'compare';

/** The EXPLAIN view: the plan of a statement, scrolled to `top` (a line of the drawn tree). */
export interface PlanView {
  sql: string;
  plan: Plan;
  top: number;
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
  /**
   * `startedAt` (Date.now()) keeps the clock right when the screen is drawn
   * again (after the key overlay); `results` counts the results it gave so far.
   */
  running: { runId: number; sql: string; startedAt: number; waiting?: string; results: number } | null;
  /** One tab per statement of the last draft that ran (the last MAX_KEPT_RESULTS), and the one shown. */
  results: ResultTab[];
  /** Results of the draft dropped from the front to keep MAX_KEPT_RESULTS. */
  dropped: number;
  active: number;
  /** The rows of the tab shown (`results[active].view`), kept beside it for the many readers of the one shown. */
  result: ResultView | null;
  plan: PlanView | null;
  /** `\compare`: the same query's results on both engines. */
  compare: { sql: string; comparison: Comparison; top: number } | null;
  /** `\x`: a row is drawn as a record, one line per column, as psql's expanded display. */
  expanded: boolean;
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
  /** A statement of the running draft is done; the first one of a run replaces the last run's results. */
  | { type: 'result-added'; runId: number; tab: ResultTab }
  | { type: 'run-finished'; runId: number; notice: Notice }
  | { type: 'run-failed'; runId: number; notice: Notice }
  | { type: 'result-select'; delta: number }
  | { type: 'result-cursor'; move: CursorMove; pageRows: number; width: number }
  | { type: 'result-loading'; runId: number; readingRows?: number }
  /** Rows read for the top row `asked`; they start at `offset` (earlier at the end of the result). */
  | { type: 'result-rows'; runId: number; asked: number; offset: number; rows: Row[]; totalRows?: number; rowsRead: number }
  | { type: 'toggle-chart' }
  | { type: 'toggle-expanded' }
  | { type: 'notice'; notice: Notice | null }
  /** A backslash command the prompt handled itself (or refused): it leaves the draft. */
  | { type: 'command-done'; notice: Notice }
  | { type: 'discard' }
  | { type: 'plan-open'; sql: string; plan: Plan }
  | { type: 'plan-scroll'; top: number }
  | { type: 'plan-close' }
  | { type: 'compare-open'; sql: string; comparison: Comparison }
  | { type: 'compare-scroll'; top: number }
  | { type: 'compare-close' };

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
  results: [],
  dropped: 0,
  active: 0,
  result: null,
  plan: null,
  compare: null,
  expanded: false,
  notice: null,
};

/** The state with the view of result `runId` changed (in its tab, and as the one shown when it is). */
function changeView(state: SqlState, runId: number, change: (view: ResultView) => ResultView): SqlState {
  const index = state.results.findIndex((tab) => tab.view?.runId === runId);
  if (index === -1) return state;
  const view = change(state.results[index].view!);
  const results = state.results.map((tab, i) => (i === index ? { ...tab, view } : tab));
  return { ...state, results, result: index === state.active ? view : state.result };
}

function showTab(state: SqlState, results: ResultTab[], active: number): SqlState {
  const result = results[active]?.view ?? null;
  return { ...state, results, active, result };
}

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
      return { ...state, focus: action.focus === 'result' && state.results.length === 0 ? 'editor' : action.focus };
    case 'run-started':
      return {
        ...state,
        running: { runId: action.runId, sql: action.sql, startedAt: action.startedAt, results: 0 },
        editor: EMPTY_EDITOR,
        historyIndex: null,
        draft: null,
        menu: null,
        notice: null,
      };
    case 'run-waiting':
      if (state.running?.runId !== action.runId) return state;
      return { ...state, running: { ...state.running, waiting: action.message } };
    case 'result-added': {
      if (state.running?.runId !== action.runId) return state;
      const first = state.running.results === 0;
      const all = first ? [action.tab] : [...state.results, action.tab];
      const over = Math.max(0, all.length - MAX_KEPT_RESULTS);
      const results = all.slice(over);
      return {
        ...showTab(state, results, results.length - 1),
        dropped: (first ? 0 : state.dropped) + over,
        running: { ...state.running, results: state.running.results + 1 },
      };
    }
    case 'run-finished':
      if (state.running?.runId !== action.runId) return state;
      return { ...keepResults(state), notice: action.notice };
    case 'run-failed':
      if (state.running?.runId !== action.runId) return state;
      return {
        ...keepResults(state),
        notice: action.notice,
        editor: isBlank(state.editor) ? editorFromText(state.running.sql) : state.editor,
      };
    case 'result-select': {
      if (state.results.length === 0) return state;
      const active = Math.max(0, Math.min(state.results.length - 1, state.active + action.delta));
      return showTab(state, state.results, active);
    }
    case 'result-cursor':
      if (!state.result) return state;
      return changeView(state, state.result.runId, (view) => moveCursor(view, action.move, action.pageRows, action.width));
    case 'result-loading':
      return changeView(state, action.runId, (view) => ({ ...view, loading: true, readingRows: action.readingRows }));
    case 'result-rows':
      return changeView(state, action.runId, (view) => withRows(view, action.asked, action.offset, action.rows, action.totalRows, action.rowsRead));
    case 'toggle-chart':
      return state.result ? changeView(state, state.result.runId, (view) => ({ ...view, chart: !view.chart })) : state;
    case 'toggle-expanded': {
      // `\x` leaves the draft, as the prompt's other commands do.
      const expanded = !state.expanded;
      const notice: Notice = { text: `expanded display is ${expanded ? 'on' : 'off'}`, tone: 'info' };
      return { ...state, expanded, notice, editor: EMPTY_EDITOR, historyIndex: null, draft: null, menu: null };
    }
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
    case 'compare-open':
      return { ...state, focus: 'compare', compare: { sql: action.sql, comparison: action.comparison, top: 0 }, notice: null, menu: null };
    case 'compare-scroll':
      return state.compare ? { ...state, compare: { ...state.compare, top: Math.max(0, action.top) } } : state;
    case 'compare-close':
      return { ...state, focus: 'editor', compare: null };
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

/** The run is over: a run that gave no result leaves none (the last run's rows are gone with its statement). */
function keepResults(state: SqlState): SqlState {
  const none = state.running?.results === 0;
  const next = none ? { ...showTab(state, [], 0), dropped: 0 } : state;
  return { ...next, running: null, focus: next.results.length > 0 || state.focus !== 'result' ? state.focus : 'editor' };
}

/** Something Ctrl-C would throw away: typed text, or an open search or example list. */
export function hasDraft(state: SqlState): boolean {
  return !isEmpty(state.editor) || state.search !== null || state.examples !== null;
}

function isBlank(editor: EditorState): boolean {
  return editorText(editor).trim() === '';
}
