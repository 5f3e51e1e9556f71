// What each key does on the SQL prompt, by the part that has the focus. The
// keys themselves are in the one table (key-bindings.ts), so the overlay
// lists what works here.
import type { Key } from 'ink';
import { chartColumns } from '../components/bar-chart.js';
import {
  EMPTY_EDITOR,
  backspace,
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
  type EditorState,
} from '../components/text-editor.js';
import { matches, matchesSecond, type KeyCommand } from '../key-bindings.js';
import { isStatementComplete } from './sql-commands.js';
import { compareMaxTop, compareRoom } from './sql-compare-view.js';
import { planMaxTop, planRoom } from './sql-plan-view.js';
import type { SqlSession } from './sql-session.js';

export interface SqlKeyContext {
  session: SqlSession;
  /** The first key of a two-key sequence, pressed last (Ctrl-X of Ctrl-X Ctrl-E). */
  pending: { current: KeyCommand | null };
  /** Lines of the plan view on screen: a page for PgUp/PgDn. */
  pageRows: number;
  goHome: () => void;
}

function handleEditorKey({ session, pending, goHome }: SqlKeyContext, input: string, key: Key): void {
  const { current, dispatch, run, moveCursor } = session;
  const first = pending.current;
  pending.current = null;
  if (first === 'sql.external-editor' && matchesSecond('sql.external-editor', input, key)) return session.editDraft();
  if (matches('sql.external-editor', input, key)) {
    pending.current = 'sql.external-editor';
    return;
  }
  const state = current();
  const { editor } = state;
  const edit = (next: EditorState) => dispatch({ type: 'edit', editor: next });
  // Moving keeps the history position; it only closes the completion menu.
  const move = (next: EditorState) => dispatch({ type: 'complete', editor: next, menu: null });
  if (state.menu) {
    // The menu takes its keys first (Esc closes it, not the screen); typing narrows it.
    if (matches('sql.menu-previous', input, key)) return dispatch({ type: 'menu-move', delta: -1 });
    if (matches('sql.menu-next', input, key)) return dispatch({ type: 'menu-move', delta: 1 });
    if (matches('sql.menu-accept', input, key)) return dispatch({ type: 'menu-accept' });
    if (matches('sql.menu-close', input, key)) return move(editor);
  }
  const narrow = () => {
    if (state.menu) void session.completeAtCursor({ refine: true });
  };
  if (matches('sql.back', input, key)) goHome();
  else if (matches('sql.run-now', input, key)) void run(editorText(editor));
  else if (matches('sql.run', input, key)) {
    if (isStatementComplete(editorText(editor))) void run(editorText(editor));
    else edit(newline(editor));
  } else if (matches('sql.complete', input, key)) void session.completeAtCursor();
  else if (matches('sql.history-search', input, key)) dispatch({ type: 'search-open' });
  else if (matches('sql.examples', input, key)) session.openExamples();
  else if (matches('sql.focus-result', input, key)) dispatch({ type: 'focus', focus: 'result' });
  else if (matches('sql.explain', input, key)) void session.explain(editorText(editor));
  else if (matches('sql.compare', input, key)) void session.compare(editorText(editor));
  else if (matches('sql.page-up', input, key)) moveCursor({ kind: 'pages', delta: -1 });
  else if (matches('sql.page-down', input, key)) moveCursor({ kind: 'pages', delta: 1 });
  else if (matches('editor.up', input, key)) {
    if (onFirstLine(editor)) dispatch({ type: 'history-previous' });
    else move(moveUp(editor));
  } else if (matches('editor.down', input, key)) {
    if (onLastLine(editor)) dispatch({ type: 'history-next' });
    else move(moveDown(editor));
  } else if (matches('editor.left', input, key)) move(moveLeft(editor));
  else if (matches('editor.right', input, key)) move(moveRight(editor));
  else if (matches('editor.line-start', input, key)) move(lineStart(editor));
  else if (matches('editor.line-end', input, key)) move(lineEnd(editor));
  else if (matches('editor.backspace', input, key)) {
    edit(backspace(editor));
    narrow();
  }
  else if (matches('editor.delete', input, key)) edit(deleteForward(editor));
  else if (matches('editor.clear', input, key)) edit(EMPTY_EDITOR);
  else if (matches('editor.kill-line', input, key)) edit(killToLineEnd(editor));
  else if (matches('editor.delete-word', input, key)) edit(deleteWordBack(editor));
  else if (!key.ctrl && !key.meta && !key.escape && input !== '') {
    edit(insertText(editor, input));
    narrow();
  }
}

function handleResultKey({ session, goHome }: SqlKeyContext, input: string, key: Key): void {
  const { current, dispatch, moveCursor } = session;
  const state = current();
  if (state.results.length === 0) return;
  const view = state.result;
  if (matches('sql.back', input, key)) goHome();
  else if (matches('sql.edit', input, key) || matches('sql.focus-result', input, key)) dispatch({ type: 'focus', focus: 'editor' });
  else if (matches('sql.result-previous', input, key)) session.selectResult(-1);
  else if (matches('sql.result-next', input, key)) session.selectResult(1);
  else if (!view) return;
  else if (matches('sql.result-up', input, key)) moveCursor({ kind: 'rows', delta: -1 });
  else if (matches('sql.result-down', input, key)) moveCursor({ kind: 'rows', delta: 1 });
  else if (matches('sql.page-up', input, key)) moveCursor({ kind: 'pages', delta: -1 });
  else if (matches('sql.page-down', input, key)) moveCursor({ kind: 'pages', delta: 1 });
  else if (matches('sql.result-first', input, key)) moveCursor({ kind: 'first-row' });
  else if (matches('sql.result-last', input, key)) moveCursor({ kind: 'last-row' });
  else if (matches('sql.result-left', input, key)) moveCursor({ kind: 'columns', delta: -1 });
  else if (matches('sql.result-right', input, key)) moveCursor({ kind: 'columns', delta: 1 });
  else if (matches('sql.result-first-column', input, key)) moveCursor({ kind: 'first-column' });
  else if (matches('sql.result-last-column', input, key)) moveCursor({ kind: 'last-column' });
  else if (matches('sql.copy-cell', input, key)) void session.copy('cell');
  else if (matches('sql.copy-row', input, key)) void session.copy('row');
  else if (matches('sql.copy-all', input, key)) void session.copy('all');
  else if (matches('sql.chart', input, key)) {
    if (chartColumns(view.columns)) dispatch({ type: 'toggle-chart' });
    else dispatch({ type: 'notice', notice: { text: 'a bar chart needs exactly two columns: a label and a number', tone: 'info' } });
  } else if (matches('sql.export-csv', input, key)) void session.exportTo('csv');
  else if (matches('sql.export-json', input, key)) void session.exportTo('json');
}

function handleSearchKey({ session }: SqlKeyContext, input: string, key: Key): void {
  const { current, dispatch } = session;
  const search = current().search;
  if (!search) return;
  if (matches('sql.history-search', input, key)) dispatch({ type: 'search-older' });
  else if (matches('sql.dismiss', input, key)) dispatch({ type: 'search-cancel' });
  else if (matches('sql.search-accept', input, key)) dispatch({ type: 'search-accept' });
  else if (matches('editor.backspace', input, key)) dispatch({ type: 'search-type', query: search.query.slice(0, -1) });
  else if (!key.ctrl && !key.meta && !key.escape && input !== '') dispatch({ type: 'search-type', query: search.query + input });
}

function handleExamplesKey({ session }: SqlKeyContext, input: string, key: Key): void {
  const { dispatch } = session;
  if (matches('sql.list-up', input, key)) dispatch({ type: 'examples-move', delta: -1 });
  else if (matches('sql.list-down', input, key)) dispatch({ type: 'examples-move', delta: 1 });
  else if (matches('sql.list-choose', input, key)) dispatch({ type: 'examples-choose' });
  else if (matches('sql.dismiss', input, key) || matches('sql.examples', input, key)) dispatch({ type: 'examples-close' });
}

function handlePlanKey({ session, pageRows }: SqlKeyContext, input: string, key: Key): void {
  const { current, dispatch } = session;
  const plan = current().plan;
  if (!plan) return;
  // Kept within the last screenful, so the first key back up moves the view.
  const scroll = (top: number) => dispatch({ type: 'plan-scroll', top: Math.min(top, planMaxTop(plan.plan, pageRows)) });
  if (matches('sql.dismiss', input, key) || matches('sql.explain', input, key)) dispatch({ type: 'plan-close' });
  else if (matches('sql.result-up', input, key)) scroll(plan.top - 1);
  else if (matches('sql.result-down', input, key)) scroll(plan.top + 1);
  else if (matches('sql.page-up', input, key)) scroll(plan.top - planRoom(pageRows));
  else if (matches('sql.page-down', input, key)) scroll(plan.top + planRoom(pageRows));
  else if (matches('sql.result-first', input, key) || matches('sql.result-first-column', input, key)) scroll(0);
  else if (matches('sql.result-last', input, key) || matches('sql.result-last-column', input, key)) scroll(Number.POSITIVE_INFINITY);
}

function handleCompareKey({ session, pageRows }: SqlKeyContext, input: string, key: Key): void {
  const { current, dispatch } = session;
  const compare = current().compare;
  if (!compare) return;
  // Kept within the last screenful, so the first key back up moves the view.
  const scroll = (top: number) => dispatch({ type: 'compare-scroll', top: Math.min(top, compareMaxTop(compare.comparison, pageRows)) });
  const page = compareRoom(compare.comparison, pageRows);
  if (matches('sql.dismiss', input, key) || matches('sql.compare', input, key)) dispatch({ type: 'compare-close' });
  else if (matches('sql.result-up', input, key)) scroll(compare.top - 1);
  else if (matches('sql.result-down', input, key)) scroll(compare.top + 1);
  else if (matches('sql.page-up', input, key)) scroll(compare.top - page);
  else if (matches('sql.page-down', input, key)) scroll(compare.top + page);
  else if (matches('sql.result-first', input, key) || matches('sql.result-first-column', input, key)) scroll(0);
  else if (matches('sql.result-last', input, key) || matches('sql.result-last-column', input, key)) scroll(Number.POSITIVE_INFINITY);
}

/** One key, to the part of the prompt that has the focus. */
export function handleSqlKey(context: SqlKeyContext, input: string, key: Key): void {
  const focus = context.session.current().focus;
  // Text goes to the editor and the search whole (a paste); elsewhere each
  // character read is a key of its own, so none of a burst (`]]]`, a held j) is lost.
  if (focus !== 'editor' && focus !== 'search' && input.length > 1 && !key.ctrl && !key.meta) {
    for (const character of input) handleSqlKey(context, character, key);
    return;
  }
  switch (focus) {
    case 'editor':
      return handleEditorKey(context, input, key);
    case 'result':
      return handleResultKey(context, input, key);
    case 'search':
      return handleSearchKey(context, input, key);
    case 'examples':
      return handleExamplesKey(context, input, key);
    case 'plan':
      return handlePlanKey(context, input, key);
    case 'compare':
      return handleCompareKey(context, input, key);
  }
}
