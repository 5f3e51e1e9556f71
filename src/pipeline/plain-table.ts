// The fixed tables of the plain commands (cluster and serverless status, the
// run summary, `runs`), drawn by cli-table3. Query results stream through
// their own writer (format.ts): cli-table3 holds every row to measure them.
// cli-table3 pads with its own copy of string-width (4.x, CommonJS; the 8.x
// that Ink and text-width.ts use is ESM only): the two agree on CJK and emoji
// (test/text-width.test.tsx), and differ only on zero-width characters.
import Table from 'cli-table3';

const NO_BORDER = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '',
};
const NO_COLOUR = { head: [], border: [] };

/** A boxed table with a header, one line per row (no rule between rows); `right` names the columns aligned right. */
export function listTable(head: string[], rows: string[][], right: number[] = []): string {
  const table = new Table({
    head,
    style: NO_COLOUR,
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    colAligns: head.map((_, i) => (right.includes(i) ? 'right' : 'left')),
  });
  table.push(...rows);
  return table.toString();
}

/**
 * Columns without borders, two spaces apart, each line after `indent`: `label  value` rows
 * (a value of several lines continues under the first) or a list of counts.
 */
export function plainColumns(rows: (string | string[])[][], options: { right?: number[]; indent?: string } = {}): string[] {
  if (rows.length === 0) return [];
  const columns = Math.max(...rows.map((row) => row.length));
  const table = new Table({
    chars: NO_BORDER,
    style: { ...NO_COLOUR, 'padding-left': 0, 'padding-right': 2 },
    colAligns: Array.from({ length: columns }, (_, i) => (options.right?.includes(i) ? 'right' : 'left')),
  });
  table.push(...rows.map((row) => row.map((cell) => (Array.isArray(cell) ? cell.join('\n') : cell))));
  return table
    .toString()
    .split('\n')
    .map((line) => `${options.indent ?? ''}${line}`.trimEnd());
}
