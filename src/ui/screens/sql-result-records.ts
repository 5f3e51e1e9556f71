// Where the records of `\x` (psql's expanded display) go on the screen: each
// row a block of `name │ value` lines under its `-[ RECORD n ]` title, wide
// values wrapped, as many whole blocks as fit, the cursor's always among them.
import type { ColumnInfo, Row, SqlValue } from '../../pipeline/warehouse/types.js';
import { formatCell } from '../components/result-table.js';
import type { ResultView } from './sql-result-state.js';
import { wrapLines } from './sql-status-line.js';

/** Names past this are cut, so a long one leaves room for the values. */
const MAX_NAME_WIDTH = 30;

/** One line of a record: the start of a field (with its name) or the rest of a wrapped value. */
export interface RecordLine {
  field: number;
  /** The field's first line: the name is drawn beside it. */
  first: boolean;
  text: string;
  value: SqlValue;
}

export interface RecordGeometry {
  nameWidth: number;
  valueWidth: number;
}

export function recordGeometry(columns: ColumnInfo[], width: number): RecordGeometry {
  const nameWidth = Math.min(MAX_NAME_WIDTH, Math.max(1, ...columns.map((column) => column.name.length)));
  return { nameWidth, valueWidth: Math.max(1, width - nameWidth - 3) };
}

/** A row's fields as the lines they take, each value wrapped at `valueWidth`. */
export function recordLines(row: Row, columns: ColumnInfo[], valueWidth: number): RecordLine[] {
  return columns.flatMap((_, field) => {
    const value = row[field] ?? null;
    return wrapLines(formatCell(value), valueWidth).map((text, i) => ({ field, first: i === 0, text, value }));
  });
}

/** Lines a row takes as a record: its title, then its fields' lines. */
function recordHeight(row: Row, columns: ColumnInfo[], valueWidth: number): number {
  return 1 + recordLines(row, columns, valueWidth).length;
}

/**
 * Rows to read for a screen of `lines` lines: as many as could fit, each
 * field on one line. Wrapped values make some taller, so fewer may be shown.
 */
export function recordsToRead(columns: number, lines: number): number {
  return Math.max(1, Math.floor(lines / (1 + columns)));
}

/**
 * The rows drawn as records, as absolute row indices: whole blocks from the
 * view's top, moved on so the cursor's is among them; one block when even
 * that one is taller than `lines` (it is drawn cut).
 */
export function recordsOnScreen(view: ResultView, width: number, lines: number): { first: number; count: number } {
  const held = view.rows.length;
  if (held === 0) return { first: view.top, count: 0 };
  const { valueWidth } = recordGeometry(view.columns, width);
  const heights = view.rows.map((row) => recordHeight(row, view.columns, valueWidth));
  const cursor = view.cursor.row - view.offset;
  let start = Math.min(held - 1, Math.max(0, view.top - view.offset));
  if (cursor >= 0 && cursor < start) start = cursor;
  let end = start + 1;
  let used = heights[start];
  while (end < held && used + heights[end] <= lines) used += heights[end++];
  if (cursor >= end && cursor < held) {
    // The cursor's block is past the last that fits: end on it, with those before it that fit.
    start = cursor;
    end = cursor + 1;
    used = heights[cursor];
    while (start > 0 && used + heights[start - 1] <= lines) used += heights[--start];
  }
  return { first: view.offset + start, count: end - start };
}

/** psql's title of a record, `-[ RECORD 3 ]-+----`, the `+` over the separator when the title leaves room. */
export function recordTitle(number: string, geometry: RecordGeometry, width: number, longest: number): string {
  const title = `-[ RECORD ${number} ]`;
  const rule = Math.min(width, geometry.nameWidth + 3 + longest);
  if (title.length > geometry.nameWidth + 1) return title.padEnd(rule, '-');
  return `${title.padEnd(geometry.nameWidth + 1, '-')}+`.padEnd(rule, '-');
}
