// The cell cursor as pure state: every key moves it at once, the rows follow,
// and a page read for an older position does not pull the screen back.
import { describe, expect, it } from 'vitest';
import { moveCursor, newResultView, rowsInPlace, withRows, type ResultView } from '../src/ui/screens/sql-result-state.js';

const columns = [
  { name: 'n', type: 'BIGINT' },
  { name: 'text', type: 'VARCHAR' },
];
const rows = (from: number, count: number) => Array.from({ length: count }, (_, i) => [from + i, `row ${from + i}`]);

function view(totalRows?: number): ResultView {
  return newResultView({ runId: 1, sql: 'select', columns, offset: 0, rows: rows(0, 10), totalRows, rowsRead: 10, wallMs: 1 });
}

describe('moveCursor', () => {
  it('moves a page per PgDn before the rows are there, and keeps the cursor on screen', () => {
    let v = view();
    for (let i = 0; i < 5; i++) v = moveCursor(v, { kind: 'pages', delta: 1 }, 10, 80);
    expect(v.cursor).toEqual({ row: 50, column: 0 });
    expect(v.top).toBe(50);
    expect(rowsInPlace(v, 10)).toBe(false);
    v = moveCursor(v, { kind: 'rows', delta: -1 }, 10, 80);
    expect(v.cursor.row).toBe(49);
    expect(v.top).toBe(49);
  });

  it('stops at the last row once the count is known, and at the first', () => {
    let v = view(25);
    v = moveCursor(v, { kind: 'pages', delta: 10 }, 10, 80);
    expect(v.cursor.row).toBe(24);
    expect(v.top).toBe(15);
    v = moveCursor(v, { kind: 'first-row' }, 10, 80);
    expect(v.cursor.row).toBe(0);
    expect(v.top).toBe(0);
    v = moveCursor(v, { kind: 'last-column' }, 10, 80);
    expect(v.cursor.column).toBe(1);
    v = moveCursor(v, { kind: 'columns', delta: 5 }, 10, 80);
    expect(v.cursor.column).toBe(1);
  });
});

describe('withRows', () => {
  it('leaves the screen where the cursor went when rows for an older place arrive', () => {
    let v = view();
    v = moveCursor(v, { kind: 'pages', delta: 3 }, 10, 80);
    const late = withRows(v, 10, 10, rows(10, 10), undefined, 20);
    expect(late.top).toBe(30);
    expect(late.cursor.row).toBe(30);
    expect(rowsInPlace(late, 10)).toBe(false);
    const current = withRows(late, 30, 30, rows(30, 10), undefined, 40);
    expect(rowsInPlace(current, 10)).toBe(true);
  });

  it('follows the window to an earlier start at the end of the result, and keeps the cursor on a row that exists', () => {
    let v = view();
    v = moveCursor(v, { kind: 'pages', delta: 3 }, 10, 80);
    const end = withRows(v, 30, 22, rows(22, 10), 32, 32);
    expect(end.top).toBe(22);
    expect(end.cursor.row).toBe(30);
    const past = withRows(moveCursor(v, { kind: 'pages', delta: 1 }, 10, 80), 40, 22, rows(22, 10), 32, 32);
    expect(past.cursor.row).toBe(31);
  });
});
