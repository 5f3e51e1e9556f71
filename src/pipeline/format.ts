// Query results as text: a boxed table for people, CSV/TSV/JSON for
// programs. Rows stream through page by page; only the table format, which
// must measure its columns, holds the (limited) rows it prints.
import type { QueryResult, Row, SqlValue } from './warehouse/types.js';

export type OutputFormat = 'table' | 'csv' | 'json' | 'jsonl' | 'tsv';

export interface WriteOptions {
  format: OutputFormat;
  /** Print at most this many rows. */
  limit?: number;
  /** Where text goes (stdout by default). */
  write: (text: string) => void | Promise<void>;
  /** Terminal width for the table format. */
  width?: number;
}

export function csvField(value: SqlValue): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A value as a TSV field: NULL empty, tab, line breaks and backslash escaped. */
export function tsvField(value: SqlValue): string {
  if (value === null) return '';
  return String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/**
 * The column names files carry (CSV and TSV headers, JSON keys, Parquet
 * columns): the result's names, where a name seen before in the row gets
 * `_2`, `_3`... (`SELECT 1, 2` has two columns named `?column?`, which would
 * be one JSON key), so every value keeps a name of its own. The table for
 * people shows the names as they are.
 */
export function uniqueColumnNames(names: readonly string[]): string[] {
  const given = new Set(names);
  const taken = new Set<string>();
  return names.map((name) => {
    let key = name;
    for (let n = 2; taken.has(key) || (key !== name && given.has(key)); n++) key = `${name}_${n}`;
    taken.add(key);
    return key;
  });
}

export function rowObject(keys: readonly string[], row: Row): Record<string, SqlValue> {
  const object: Record<string, SqlValue> = {};
  keys.forEach((key, i) => (object[key] = row[i] ?? null));
  return object;
}

/** Rows of a result, page by page, stopping at `limit`. */
async function* limitedPages(result: QueryResult, limit: number | undefined): AsyncGenerator<Row[]> {
  let left = limit ?? Infinity;
  for await (const page of result.pages()) {
    if (left <= 0) break;
    const slice = page.length > left ? page.slice(0, left) : page;
    left -= slice.length;
    yield slice;
  }
}

/** Writes a result; returns the number of rows written. */
export async function writeResult(result: QueryResult, options: WriteOptions): Promise<number> {
  let count = 0;
  const { write } = options;
  try {
    switch (options.format) {
      case 'csv':
      case 'tsv': {
        const field = options.format === 'csv' ? csvField : tsvField;
        const separator = options.format === 'csv' ? ',' : '\t';
        await write(uniqueColumnNames(result.columns.map((c) => c.name)).map(field).join(separator) + '\n');
        for await (const page of limitedPages(result, options.limit)) {
          await write(page.map((row) => row.map(field).join(separator)).join('\n') + '\n');
          count += page.length;
        }
        break;
      }
      case 'json': {
        const keys = uniqueColumnNames(result.columns.map((c) => c.name));
        // The text DuckDB's own JSON array export writes (duckdb-export.ts), so a result reads the same
        // whichever engine or path printed it: a row a line, each after a tab.
        await write('[');
        for await (const page of limitedPages(result, options.limit)) {
          const text = page.map((row) => '\t' + JSON.stringify(rowObject(keys, row))).join(',\n');
          await write((count === 0 ? '\n' : ',\n') + text);
          count += page.length;
        }
        await write(count === 0 ? '\n\t\n]\n' : '\n]\n');
        break;
      }
      case 'jsonl': {
        const keys = uniqueColumnNames(result.columns.map((c) => c.name));
        for await (const page of limitedPages(result, options.limit)) {
          await write(page.map((row) => JSON.stringify(rowObject(keys, row)) + '\n').join(''));
          count += page.length;
        }
        break;
      }
      case 'table': {
        // Lines are written here in cli-table3's look (which this table used
        // to be drawn with): cli-table3 lays out a table in time quadratic in
        // its rows and builds a cell object per value, ~170 µs a row even one
        // row at a time, hundreds of times the cost of CSV (bench/table-format.mjs).
        // Widths come from the width function every table uses (text-width.ts).
        const { textWidth } = await import('./text-width.js');
        const head = result.columns.map((column) => tableCell(column.name, textWidth));
        // A result that fits in one block prints as one table sized to it.
        // A longer one streams block by block in the widths set so far; a
        // block with wider values closes the table and opens a wider one
        // (values are never cut).
        let block: TableCell[][] = [];
        let widths: number[] | undefined;
        const flush = async () => {
          const own = head.map((cell) => cell.width);
          for (const row of block) row.forEach((cell, i) => (own[i] = Math.max(own[i], cell.width)));
          if (widths && own.every((w, i) => w <= widths![i])) {
            await write(block.map((row) => tableLine(row, widths!)).join('\n') + '\n');
          } else {
            if (widths) await write(tableRule(widths, '└', '┴', '┘') + '\n');
            widths = widths ? own.map((w, i) => Math.max(w, widths![i])) : own;
            const lines = [tableRule(widths, '┌', '┬', '┐'), tableLine(head, widths), tableRule(widths, '├', '┼', '┤')];
            for (const row of block) lines.push(tableLine(row, widths));
            await write(lines.join('\n') + '\n');
          }
          block = [];
        };
        for await (const page of limitedPages(result, options.limit)) {
          for (const row of page) {
            block.push(head.map((_, i) => tableCell(row[i], textWidth)));
            count++;
            if (block.length === TABLE_BLOCK_ROWS) await flush();
          }
        }
        if (block.length > 0 || !widths) await flush();
        await write(tableRule(widths!, '└', '┴', '┘') + '\n');
        break;
      }
    }
  } finally {
    await result.close();
  }
  return count;
}

/** Rows the table format holds at a time. */
export const TABLE_BLOCK_ROWS = 1000;

/** A value as the table shows it: its text, display width and side. */
interface TableCell {
  text: string;
  width: number;
  right: boolean;
}

/**
 * Control characters a terminal would act on rather than show: C0 (ESC starts
 * a colour or cursor sequence, BEL rings, TAB and CR break the row), DEL, C1
 * (0x9B is a CSI on some terminals), the line and paragraph separators, and
 * the bidi embeddings, overrides and isolates, which can reorder the rest of
 * the row, borders included. Letters of right-to-left scripts are not here.
 */
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Shows the control characters of a value as escapes, as the TSV format does
 * for tab, newline and carriage return (`\t`, `\n`, `\r`); the others as
 * `\xNN` (up to 0xFF) or `\u{NNNN}`. Values come from untrusted files, and the
 * table goes to a terminal. Backslashes stay single: unlike TSV, the table is
 * read, not parsed back.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`);
  });
}

/** A character other than printable ASCII (one column each, nothing to escape). */
const NOT_PLAIN = /[^\x20-\x7e]/;

function tableCell(value: SqlValue | undefined, textWidth: (text: string) => number): TableCell {
  if (typeof value === 'number') {
    const text = String(value);
    return { text, width: text.length, right: true };
  }
  if (value === null) return { text: 'NULL', width: 4, right: false };
  let text = value === undefined ? '' : String(value);
  // Most values are plain; only the others pay for escaping and measuring.
  if (!NOT_PLAIN.test(text)) return { text, width: text.length, right: false };
  text = escapeControls(text);
  return { text, width: textWidth(text), right: false };
}

/** `│ a │ b │`: one space either side, numbers right-aligned. */
function tableLine(cells: TableCell[], widths: number[]): string {
  let line = '│';
  cells.forEach((cell, i) => {
    const pad = spaces(widths[i] - cell.width);
    line += cell.right ? ` ${pad}${cell.text} │` : ` ${cell.text}${pad} │`;
  });
  return line;
}

/** `┌───┬───┐` and the like, for columns of these widths. */
function tableRule(widths: number[], left: string, mid: string, right: string): string {
  return left + widths.map((w) => '─'.repeat(w + 2)).join(mid) + right;
}

let blanks = ' '.repeat(64);
function spaces(n: number): string {
  while (blanks.length < n) blanks += blanks;
  return blanks.slice(0, n);
}
