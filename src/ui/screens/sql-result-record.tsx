// The current row of a result seen closer: the full value of the cell under
// the cursor in a panel, and the row as a record, one line per column (`\x`,
// psql's expanded display). Values are escaped as the grid escapes them.
import { Box, Text } from 'ink';
import { colorEnabled } from '../color.js';
import { formatCount } from '../components/format.js';
import { NULL_MARK, formatCell } from '../components/result-table.js';
import { cursorCell, type ResultView } from './sql-result-state.js';
import { wrapLines } from './sql-status-line.js';

/** `text` cut into lines of `width` columns: at spaces where it can, else anywhere. */
function hardWrap(text: string, width: number): string[] {
  return wrapLines(text, Math.max(1, width));
}

/** Lines the cell panel takes: a title, then the value's lines. */
export function cellPanelLines(valueLines: number): number {
  return 1 + valueLines;
}

export function CellPanel({ view, width, valueLines }: { view: ResultView; width: number; valueLines: number }) {
  const cell = cursorCell(view);
  const place = `row ${formatCount(view.cursor.row + 1)} · column ${view.cursor.column + 1} of ${view.columns.length}`;
  if (!cell) {
    return (
      <Box flexDirection="column" height={cellPanelLines(valueLines)}>
        <Text dimColor wrap="truncate-end">
          ─ {place} · reading…
        </Text>
      </Box>
    );
  }
  const text = formatCell(cell.value);
  const lines = cell.value === null ? [NULL_MARK] : hardWrap(text, width);
  const shown = lines.slice(0, valueLines);
  const more = lines.length - shown.length;
  const size = cell.value === null ? 'NULL' : `${formatCount(text.length)} ${text.length === 1 ? 'char' : 'chars'}`;
  return (
    <Box flexDirection="column" height={cellPanelLines(valueLines)}>
      <Text dimColor wrap="truncate-end">
        ─ {cell.column.name} ({cell.column.type.toLowerCase()}) · {place} · {size}
        {more > 0 ? ` · ${formatCount(more)} more ${more === 1 ? 'line' : 'lines'} (\\x shows the row, y copies the cell)` : ''}
      </Text>
      {shown.map((line, i) => (
        <Text key={i} dimColor={cell.value === null} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}

/**
 * The cursor's row as a record: a title, then `name │ value` per column, the
 * cursor's column marked and wrapped whole; the columns around it that fit in
 * `lines`.
 */
export function RecordView({ view, width, lines }: { view: ResultView; width: number; lines: number }) {
  const cell = cursorCell(view);
  const total = view.totalRows === undefined ? `${formatCount(view.rowsRead)}+` : formatCount(view.totalRows);
  const title = `-[ RECORD ${formatCount(view.cursor.row + 1)} of ${total} ]`;
  const head = <Text bold wrap="truncate-end">{title.padEnd(Math.min(width, title.length + 20), '-')}</Text>;
  if (!cell) {
    return (
      <Box flexDirection="column">
        {head}
        <Text dimColor>reading…</Text>
      </Box>
    );
  }
  const nameWidth = Math.min(30, Math.max(...view.columns.map((column) => column.name.length)));
  const valueWidth = Math.max(1, width - nameWidth - 3);
  const fields = view.columns.map((column, index) => {
    const value = cell.row[index] ?? null;
    const text = formatCell(value);
    const wrapped = index === view.cursor.column ? hardWrap(text, valueWidth) : [text.length > valueWidth ? `${text.slice(0, valueWidth - 1)}…` : text];
    return { column, index, value, lines: wrapped };
  });
  const reverse = colorEnabled();
  // The cursor's field first, then those after it, then before, as far as the lines go.
  const room = Math.max(1, lines - 1);
  const current = fields[view.cursor.column];
  const keptLines = Math.min(current.lines.length, room);
  let first = view.cursor.column;
  let last = view.cursor.column;
  let used = keptLines;
  while (used < room && (last + 1 < fields.length || first > 0)) {
    if (last + 1 < fields.length) {
      last += 1;
      used += 1;
    } else {
      first -= 1;
      used += 1;
    }
  }
  return (
    <Box flexDirection="column">
      {head}
      {fields.slice(first, last + 1).map((field) => {
        const here = field.index === view.cursor.column;
        const shown = here ? field.lines.slice(0, keptLines) : field.lines;
        return shown.map((line, i) => (
          <Text key={`${field.index}-${i}`} wrap="truncate-end">
            <Text bold={here}>{(i === 0 ? field.column.name.slice(0, nameWidth) : '').padEnd(nameWidth)}</Text>
            {/* Where reverse video is off (no colour), the current field is marked in its separator. */}
            {here && !reverse ? ' ▸ ' : <Text dimColor> │ </Text>}
            <Text inverse={here} dimColor={field.value === null}>
              {line}
            </Text>
          </Text>
        ));
      })}
    </Box>
  );
}
