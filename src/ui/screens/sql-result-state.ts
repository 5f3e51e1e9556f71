// The results of the SQL prompt as the screen holds them: one tab per
// statement of the draft, and for a statement with rows the window of rows on
// screen with the cell cursor. Pure functions: the reducer calls them, and the
// session asks them where rows are wanted.
import type { ColumnInfo, Row } from '../../pipeline/warehouse/types.js';
import { layoutColumns } from '../components/result-table.js';

/**
 * Results a draft keeps: past them the earliest are dropped, rows and all, so
 * a script of many statements costs no more than this many results.
 */
export const MAX_KEPT_RESULTS = 20;

export interface CellCursor {
  /** Absolute row index in the result. */
  row: number;
  column: number;
}

export interface ResultView {
  /** Tells this result's rows from another's (a late page of a result no longer shown is dropped). */
  runId: number;
  sql: string;
  columns: ColumnInfo[];
  /** Index of the first row in `rows`, and those rows. */
  offset: number;
  rows: Row[];
  /** The first row the screen wants on top: ahead of `offset` while a scroll reads. */
  top: number;
  cursor: CellCursor;
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

/** One statement of the draft that ran: its text, what it did, and its rows if it has any. */
export interface ResultTab {
  /** Place of the statement in the draft, from 1. */
  index: number;
  sql: string;
  /** psql's command tag (`CREATE TABLE`, `INSERT 0 3`), or the error of the statement that failed. */
  tag: string;
  wallMs: number;
  failed: boolean;
  view: ResultView | null;
}

export function newResultView(fields: Pick<ResultView, 'runId' | 'sql' | 'columns' | 'offset' | 'rows' | 'totalRows' | 'rowsRead' | 'wallMs'>): ResultView {
  return { ...fields, top: fields.offset, cursor: { row: fields.offset, column: 0 }, firstColumn: 0, loading: false, chart: false };
}

/** What fits of the result on screen now, as the screen last laid itself out. */
export interface SqlLayout {
  /** Rows to read: the table's rows, or the most records that could fit under `\x`. */
  rows: number;
  /** Rows a page key moves by: those on screen. */
  page: number;
  width: number;
}

/** A move of the cell cursor, as the keys ask for it. */
export type CursorMove =
  | { kind: 'rows'; delta: number }
  | { kind: 'pages'; delta: number }
  | { kind: 'first-row' }
  | { kind: 'last-row' }
  | { kind: 'columns'; delta: number }
  | { kind: 'first-column' }
  | { kind: 'last-column' };

/** The last row index the cursor may reach: the last row when the count is known, unbounded before. */
function lastRow(view: ResultView): number {
  return view.totalRows === undefined ? Number.POSITIVE_INFINITY : Math.max(0, view.totalRows - 1);
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(high, value));
}

/** The top row that keeps `row` on a screen of `pageRows` rows, moving as little as it can from `top`. */
function topFor(view: ResultView, row: number, top: number, pageRows: number): number {
  let next = top;
  if (row < next) next = row;
  if (row >= next + pageRows) next = row - pageRows + 1;
  const highest = view.totalRows === undefined ? Number.POSITIVE_INFINITY : Math.max(0, view.totalRows - pageRows);
  return clamp(next, 0, highest);
}

/**
 * The view with its cursor moved. Every key moves the cursor at once, whether
 * or not the rows it lands on are read yet, so keys that arrive faster than
 * pages (a held PgDn) all count; the rows follow.
 */
export function moveCursor(view: ResultView, move: CursorMove, pageRows: number, width: number): ResultView {
  const rows = Math.max(1, pageRows);
  let { row, column } = view.cursor;
  let top = view.top;
  switch (move.kind) {
    case 'rows':
      row += move.delta;
      break;
    case 'pages':
      row += move.delta * rows;
      top += move.delta * rows;
      break;
    case 'first-row':
      row = 0;
      break;
    case 'last-row':
      row = lastRow(view);
      break;
    case 'columns':
      column += move.delta;
      break;
    case 'first-column':
      column = 0;
      break;
    case 'last-column':
      column = view.columns.length - 1;
      break;
  }
  row = clamp(row, 0, lastRow(view));
  column = clamp(column, 0, Math.max(0, view.columns.length - 1));
  return { ...view, cursor: { row, column }, top: topFor(view, row, top, rows), firstColumn: firstColumnFor(view, column, width) };
}

/** The first column drawn so that the cursor's column is on screen. */
function firstColumnFor(view: ResultView, column: number, width: number): number {
  if (column < view.firstColumn) return column;
  let first = view.firstColumn;
  while (first < column && !layoutColumns(view.columns, view.rows, first, width).some((laid) => laid.index === column)) first += 1;
  return first;
}

/**
 * Rows asked for at `asked` arrived (from `offset`, earlier at the end of the
 * result): the cursor stays on a row that exists. When the cursor moved on
 * while they were read, the screen still wants its own rows.
 */
export function withRows(view: ResultView, asked: number, offset: number, rows: Row[], totalRows: number | undefined, rowsRead: number): ResultView {
  const next: ResultView = { ...view, offset, rows, totalRows, rowsRead, loading: false, readingRows: undefined };
  if (asked === view.top && offset < asked) next.top = offset;
  const last = totalRows === undefined ? Number.POSITIVE_INFINITY : Math.max(0, totalRows - 1);
  next.cursor = { ...view.cursor, row: clamp(view.cursor.row, 0, last) };
  return next;
}

/** True when the rows on screen are the ones the view wants: nothing to read. */
export function rowsInPlace(view: ResultView, pageRows: number): boolean {
  if (view.top !== view.offset || view.rows.length > pageRows) return false;
  if (view.rows.length === pageRows) return true;
  return view.totalRows !== undefined && view.offset + view.rows.length >= view.totalRows;
}

/** The value under the cursor, when its row is on screen. */
export function cursorCell(view: ResultView): { row: Row; value: Row[number]; column: ColumnInfo } | undefined {
  const row = view.rows[view.cursor.row - view.offset];
  const column = view.columns[view.cursor.column];
  if (!row || !column) return undefined;
  return { row, value: row[view.cursor.column] ?? null, column };
}
