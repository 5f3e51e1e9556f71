// One screenful of a query result as a table: the rows the window holds for
// the current scroll position, and the columns that fit from the first shown;
// each column's type under its name, numbers to the right, the cell cursor.
import { Box, Text } from 'ink';
import { escapeControls } from '../../pipeline/format.js';
import { padToWidth, textWidth, truncateToWidth } from '../../pipeline/text-width.js';
import { colorEnabled } from '../color.js';
import type { ColumnInfo, Row, SqlValue } from '../../pipeline/warehouse/types.js';

const MAX_COLUMN_WIDTH = 40;
/** A long type name (`TIMESTAMP WITH TIME ZONE`) does not widen its column past this; it is cut instead. */
const MAX_TYPE_WIDTH = 12;
const SEPARATOR = ' │ ';
/** Where reverse video is off (no colour), the cell cursor is this mark in the separator before the cell. */
const CURSOR_SEPARATOR = ' ▸ ';
const CURSOR_MARK = '▸';

const NUMERIC_TYPE = /^(tinyint|smallint|integer|int|int2|int4|int8|bigint|hugeint|utinyint|usmallint|uinteger|ubigint|uhugeint|real|float|float4|float8|double|double precision|decimal|numeric)\b/;

export function isNumericType(type: string): boolean {
  return NUMERIC_TYPE.test(type.toLowerCase());
}

/** How NULL is drawn: a mark no text value is mistaken for (the string 'NULL' is drawn as it is), and dim where there is colour. */
export const NULL_MARK = '∅';

/**
 * A value as one line of the screen: line breaks as ⏎, other control
 * characters as the escapes `sparkify query` shows (values come from
 * untrusted files, and an ESC would be acted on by the terminal).
 */
export function formatCell(value: SqlValue): string {
  if (value === null) return NULL_MARK;
  if (typeof value === 'string') return escapeControls(value.replace(/\r?\n/g, '⏎'));
  return String(value);
}

export interface ResultTableProps {
  columns: ColumnInfo[];
  rows: Row[];
  /** Index of the first column drawn. */
  firstColumn: number;
  width: number;
  /** The cell cursor: row index within `rows`, and column index. */
  cursor?: { row: number; column: number };
}

/** Which columns fit in `width` starting at `firstColumn`, and how wide each is drawn. */
export function layoutColumns(columns: ColumnInfo[], rows: Row[], firstColumn: number, width: number): { index: number; width: number }[] {
  const laid: { index: number; width: number }[] = [];
  let used = 0;
  for (let index = Math.max(0, firstColumn); index < columns.length; index += 1) {
    const natural = Math.min(
      MAX_COLUMN_WIDTH,
      Math.max(textWidth(columns[index].name), Math.min(MAX_TYPE_WIDTH, columns[index].type.length), ...rows.map((row) => textWidth(formatCell(row[index] ?? null))), 1),
    );
    const gap = laid.length === 0 ? 0 : SEPARATOR.length;
    if (used + gap + natural > width) {
      if (laid.length === 0) laid.push({ index, width: Math.max(1, width) });
      break;
    }
    laid.push({ index, width: natural });
    used += gap + natural;
  }
  return laid;
}

function fit(text: string, width: number, alignRight: boolean): string {
  return padToWidth(truncateToWidth(text, width), width, alignRight);
}

export function ResultTable({ columns, rows, firstColumn, width, cursor }: ResultTableProps) {
  const laid = layoutColumns(columns, rows, firstColumn, width);
  const numeric = laid.map(({ index }) => isNumericType(columns[index].type));
  const header = laid.map(({ index, width: w }, i) => fit(columns[index].name, w, numeric[i])).join(SEPARATOR);
  const types = laid.map(({ index, width: w }, i) => fit(columns[index].type.toLowerCase(), w, numeric[i])).join(SEPARATOR);
  const rule = laid.map(({ width: w }) => '─'.repeat(w)).join('─┼─');
  const reverse = colorEnabled();
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">{header}</Text>
      <Text dimColor wrap="truncate-end">{types}</Text>
      <Text dimColor wrap="truncate-end">{rule}</Text>
      {rows.map((row, r) => (
        <Text key={r} wrap="truncate-end">
          {laid.map(({ index, width: w }, i) => {
            const value = row[index] ?? null;
            const cell = fit(formatCell(value), w, numeric[i]);
            const here = cursor?.row === r && cursor.column === index;
            if (here && !reverse) {
              // The first column has no separator: the mark takes the cell's first place.
              return (
                <Text key={index}>
                  {i > 0 ? CURSOR_SEPARATOR + cell : padToWidth(CURSOR_MARK + truncateToWidth(Array.from(cell).slice(1).join(''), w - 1), w, false)}
                </Text>
              );
            }
            return (
              <Text key={index}>
                {i > 0 ? <Text dimColor>{SEPARATOR}</Text> : null}
                {here ? <Text inverse>{cell}</Text> : value === null ? <Text dimColor>{cell}</Text> : cell}
              </Text>
            );
          })}
        </Text>
      ))}
    </Box>
  );
}
