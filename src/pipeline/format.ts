// Query results as text: a cli-table3 table for people, CSV/TSV/JSON for
// programs. Rows stream through page by page; only the table format, which
// must measure its columns, holds the (limited) rows it prints.
import type { ColumnInfo, QueryResult, Row, SqlValue } from './warehouse/types.js';

export type OutputFormat = 'table' | 'csv' | 'json' | 'tsv';

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

function tsvField(value: SqlValue): string {
  if (value === null) return '';
  return String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

export function rowObject(columns: ColumnInfo[], row: Row): Record<string, SqlValue> {
  const object: Record<string, SqlValue> = {};
  columns.forEach((column, i) => (object[column.name] = row[i] ?? null));
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
        await write(result.columns.map((c) => field(c.name)).join(separator) + '\n');
        for await (const page of limitedPages(result, options.limit)) {
          await write(page.map((row) => row.map(field).join(separator)).join('\n') + '\n');
          count += page.length;
        }
        break;
      }
      case 'json': {
        await write('[');
        for await (const page of limitedPages(result, options.limit)) {
          const text = page.map((row) => JSON.stringify(rowObject(result.columns, row))).join(',\n');
          await write((count === 0 ? '\n' : ',\n') + text);
          count += page.length;
        }
        await write(count === 0 ? ']\n' : '\n]\n');
        break;
      }
      case 'table': {
        const { default: Table } = await import('cli-table3');
        const cells = (row: Row) =>
          row.map((v) => (typeof v === 'number' ? { content: String(v), hAlign: 'right' as const } : v === null ? 'NULL' : String(v)));
        const render = (rows: Row[], colWidths?: number[]) => {
          const table = new Table({
            head: result.columns.map((c) => c.name),
            style: { head: [], border: [] },
            // One line per row: no rule between rows (the header gets its own below).
            chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
            ...(colWidths ? { colWidths } : {}),
          });
          for (const row of rows) table.push(cells(row));
          return withHeaderRule(table.toString()).split('\n');
        };
        // A result that fits in one block prints as one table sized to it.
        // A longer one streams block by block in the widths set so far; a
        // block with wider values closes the table and opens a wider one
        // (values are never cut).
        let block: Row[] = [];
        let widths: number[] | undefined;
        let bottom = '';
        const widthsOf = (lines: string[]) => lines[0]!.slice(1, -1).split('┬').map((segment) => segment.length);
        const flush = async () => {
          const natural = render(block);
          const own = widthsOf(natural);
          if (widths && own.every((w, i) => w <= widths![i]!)) {
            await write(render(block, widths).slice(3, -1).join('\n') + '\n');
          } else {
            if (widths) await write(bottom + '\n');
            widths = widths ? own.map((w, i) => Math.max(w, widths![i]!)) : own;
            const lines = render(block, widths);
            await write(lines.slice(0, -1).join('\n') + '\n');
            bottom = lines.at(-1)!;
          }
          block = [];
        };
        for await (const page of limitedPages(result, options.limit)) {
          for (const row of page) {
            block.push(row);
            count++;
            if (block.length === TABLE_BLOCK_ROWS) await flush();
          }
        }
        if (block.length > 0 || !widths) await flush();
        await write(bottom + '\n');
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

/** Puts a rule under the header line of a compact cli-table3 table. */
function withHeaderRule(rendered: string): string {
  const lines = rendered.split('\n');
  if (lines.length < 3) return rendered;
  const rule = lines[0]!.replace('┌', '├').replace('┐', '┤').replaceAll('┬', '┼');
  return [lines[0], lines[1], rule, ...lines.slice(2)].join('\n');
}
