// The rows of a result seen closer: the full value of the cell under the
// cursor in a panel, and the rows as records, one line per column (`\x`,
// psql's expanded display). Values are escaped as the grid escapes them.
import { Box, Text } from 'ink';
import { colorEnabled } from '../color.js';
import { formatCount } from '../components/format.js';
import { NULL_MARK, formatCell } from '../components/result-table.js';
import { recordGeometry, recordLines, recordTitle, type RecordGeometry } from './sql-result-records.js';
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

/** One record's block: its title, then its fields' lines, or the `lines` of them around the cursor's field when it is taller. */
function RecordBlock({ view, index, geometry, width, lines, reverse }: { view: ResultView; index: number; geometry: RecordGeometry; width: number; lines: number; reverse: boolean }) {
  const row = view.rows[index - view.offset];
  const here = index === view.cursor.row;
  const all = recordLines(row, view.columns, geometry.valueWidth);
  const longest = Math.max(0, ...all.map((line) => line.text.length));
  const room = Math.max(1, lines - 1);
  // Cut: from the cursor's field on, or back as far as the end of the record allows.
  const cursorLine = here ? Math.max(0, all.findIndex((line) => line.field === view.cursor.column)) : 0;
  const from = all.length > room ? Math.max(0, Math.min(cursorLine, all.length - room)) : 0;
  return (
    <>
      <Text bold={here} wrap="truncate-end">
        {recordTitle(formatCount(index + 1), geometry, width, longest)}
      </Text>
      {all.slice(from, from + room).map((line, i) => {
        const current = here && line.field === view.cursor.column;
        return (
          <Text key={i} wrap="truncate-end">
            <Text bold={current}>{(line.first ? view.columns[line.field].name.slice(0, geometry.nameWidth) : '').padEnd(geometry.nameWidth)}</Text>
            {/* Where reverse video is off (no colour), the current field is marked in its separator. */}
            {current && !reverse ? ' ▸ ' : <Text dimColor> │ </Text>}
            <Text inverse={current} dimColor={line.value === null}>
              {line.text}
            </Text>
          </Text>
        );
      })}
    </>
  );
}

/**
 * The rows as records (psql's expanded display): a `-[ RECORD n ]` block per
 * row with a `name │ value` line per column, wide values wrapped, as many
 * blocks as `shown` says (recordsOnScreen) and the cursor's field marked.
 */
export function RecordView({ view, width, lines, shown }: { view: ResultView; width: number; lines: number; shown: { first: number; count: number } }) {
  if (shown.count === 0) {
    return (
      <Box flexDirection="column">
        <Text bold wrap="truncate-end">
          -[ RECORD {formatCount(view.cursor.row + 1)} ]
        </Text>
        <Text dimColor>reading…</Text>
      </Box>
    );
  }
  const geometry = recordGeometry(view.columns, width);
  const reverse = colorEnabled();
  return (
    <Box flexDirection="column">
      {Array.from({ length: shown.count }, (_, i) => (
        <RecordBlock key={shown.first + i} view={view} index={shown.first + i} geometry={geometry} width={width} lines={lines} reverse={reverse} />
      ))}
    </Box>
  );
}
