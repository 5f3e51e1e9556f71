// The table format of query results (src/pipeline/format.ts): its look, the
// escaping of control characters from untrusted data, and the work it does per
// value. The CLI around it is in query-cli.test.ts.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { escapeControls, TABLE_BLOCK_ROWS, writeResult } from '../src/pipeline/format.js';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import { pagesOf } from '../src/pipeline/warehouse/pages.js';
import type { QueryResult, Row } from '../src/pipeline/warehouse/types.js';

// Counts the values the table measures with string-width (the real one does the measuring).
const measured = vi.hoisted(() => ({ texts: [] as string[] }));
vi.mock('string-width', async (importOriginal) => {
  const { default: stringWidth } = await importOriginal<typeof import('string-width')>();
  return {
    default: (text: string) => {
      measured.texts.push(text);
      return stringWidth(text);
    },
  };
});

function fakeResult(names: string[], rows: Row[], pageSize = 700): QueryResult {
  return {
    columns: names.map((name) => ({ name, type: 'varchar' })),
    engineMs: 0,
    pages: () => pagesOf(Array.from({ length: Math.ceil(rows.length / pageSize) }, (_, i) => rows.slice(i * pageSize, (i + 1) * pageSize))),
    async close() {},
  };
}

async function table(result: QueryResult, limit?: number): Promise<string> {
  let text = '';
  await writeResult(result, { format: 'table', limit, write: (chunk) => void (text += chunk) });
  return text;
}

beforeEach(() => {
  measured.texts = [];
});

describe('table format', () => {
  it('draws a boxed table: header rule, numbers right-aligned, NULL, booleans and empty strings left', async () => {
    const text = await table(fakeResult(['a', 'b', ''], [[null, true, ''], [1.5, -3, 'x']]));
    expect(text).toBe(
      ['┌──────┬──────┬───┐', '│ a    │ b    │   │', '├──────┼──────┼───┤', '│ NULL │ true │   │', '│  1.5 │   -3 │ x │', '└──────┴──────┴───┘', ''].join('\n'),
    );
    expect(await table(fakeResult(['a', 'bb'], []))).toBe(['┌───┬────┐', '│ a │ bb │', '├───┼────┤', '└───┴────┘', ''].join('\n'));
  });

  it('keeps CJK, emoji and right-to-left text as they are, aligned by display width', async () => {
    const text = await table(fakeResult(['名前', 'e'], [['日本語', '👍'], ['שלום', 'é'], ['🇯🇵', 'x\u0301']]));
    // As cli-table3, which this table was drawn with, aligned them.
    expect(text).toBe(
      [
        '┌────────┬────┐',
        '│ 名前   │ e  │',
        '├────────┼────┤',
        '│ 日本語 │ 👍 │',
        '│ שלום   │ é  │',
        '│ 🇯🇵     │ x\u0301  │',
        '└────────┴────┘',
        '',
      ].join('\n'),
    );
  });

  it('escapes an escape sequence, BEL and tab in cells and headers instead of sending them to the terminal', async () => {
    const text = await table(fakeResult(['x', 'bell', 'a\tb'], [['a\x1b[31mRED', '\x07', 'one\ttwo']]));
    expect(text).toBe(
      [
        '┌──────────────┬──────┬──────────┐',
        '│ x            │ bell │ a\\tb     │',
        '├──────────────┼──────┼──────────┤',
        '│ a\\x1b[31mRED │ \\x07 │ one\\ttwo │',
        '└──────────────┴──────┴──────────┘',
        '',
      ].join('\n'),
    );
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
  });

  it('escapes newlines, carriage returns, DEL, C1 controls and bidi overrides; keeps printable unicode and backslashes', () => {
    expect(escapeControls('a\nb\rc\x7fd\x9be\u202ef\u2066g\u2028h')).toBe('a\\nb\\rc\\x7fd\\x9be\\u{202e}f\\u{2066}g\\u{2028}h');
    expect(escapeControls('\x00\x1f')).toBe('\\x00\\x1f');
    const printable = 'C:\\dir 日本語 👨‍👩‍👧 שלום مرحبا \u200f é';
    expect(escapeControls(printable)).toBe(printable);
  });

  it('escapes the control characters DuckDB returns for chr(27) and chr(7)', async () => {
    const warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
    try {
      const text = await table(await warehouse.query("select 'a'||chr(27)||'[31mRED' as x, chr(7) as bell"));
      expect(text.split('\n')[3]).toBe('│ a\\x1b[31mRED │ \\x07 │');
    } finally {
      await warehouse.close();
    }
  });

  it('measures each value once, and printable ASCII without string-width', async () => {
    const rows: Row[] = Array.from({ length: 2 * TABLE_BLOCK_ROWS + 5 }, (_, i) => [i, `plain ${i}`, i % 100 === 0 ? `日本 ${i}` : 'ascii', null]);
    await table(fakeResult(['n', 'plain', 'mixed', 'none'], rows));
    // cli-table3 measured every value several times per render and rendered each block twice.
    expect(measured.texts.sort()).toEqual(rows.filter((row) => row[2] !== 'ascii').map((row) => String(row[2])).sort());
  });

  it('streams blocks in the widths so far, closing the table and opening a wider one for wider values', async () => {
    const rows: Row[] = Array.from({ length: 2 * TABLE_BLOCK_ROWS + 10 }, (_, i) => [i, i < TABLE_BLOCK_ROWS ? 'x' : i % 2 ? 'y' : 'yyy']);
    const lines = (await table(fakeResult(['n', 's'], rows))).split('\n');
    expect(lines.filter((line) => line.startsWith('┌'))).toEqual(['┌─────┬───┐', '┌──────┬─────┐']);
    expect(lines.filter((line) => line.startsWith('└'))).toEqual(['└─────┴───┘', '└──────┴─────┘']);
    expect(lines).toContain('│ 999 │ x │');
    expect(lines).toContain('│ 1000 │ yyy │');
    // The third block fits the widened table and continues it.
    expect(lines).toContain('│ 2009 │ y   │');
    expect(lines.filter((line) => /^│ +\d+ │/.test(line))).toHaveLength(rows.length);
  });
});
