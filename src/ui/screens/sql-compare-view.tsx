// The comparison of one query on both engines: equal or not, the row counts
// and hashes, and the rows one side has that the other lacks, scrolled when
// they are more than the screen holds.
import { Box, Text } from 'ink';
import type { Comparison } from '../../pipeline/compare.js';
import type { Row } from '../../pipeline/warehouse/types.js';

const rows = (n: number) => `${n} row${n === 1 ? '' : 's'}`;
const shown = (row: Row) => `(${row.map((value) => (value === null ? '∅' : String(value))).join(', ')})`;

/** The differing rows, those only on the left first. */
function differingLines(comparison: Comparison): { side: string; row: Row }[] {
  return [
    ...comparison.onlyLeft.map((row) => ({ side: `only ${comparison.left.label}:`, row })),
    ...comparison.onlyRight.map((row) => ({ side: `only ${comparison.right.label}:`, row })),
  ];
}

/** Differing rows on a screen of `height` lines: what the title, the verdict, the order line and the footer leave. */
export function compareRoom(comparison: Comparison, height: number): number {
  return Math.max(1, height - 3 - (comparison.firstOrderDifference !== undefined ? 1 : 0));
}

/** The highest first row worth scrolling to: the last screenful. */
export function compareMaxTop(comparison: Comparison, height: number): number {
  return Math.max(0, differingLines(comparison).length - compareRoom(comparison, height));
}

export function CompareView({ comparison, sql, top, width, height }: { comparison: Comparison; sql: string; top: number; width: number; height: number }) {
  const { left, right, equal, ordered } = comparison;
  const order = ordered ? 'in the order of its ORDER BY' : 'in any order';
  const lines = differingLines(comparison);
  const room = compareRoom(comparison, height);
  const start = Math.min(top, compareMaxTop(comparison, height));
  const end = Math.min(lines.length, start + room);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        Same query on both engines · {sql.replace(/\s+/g, ' ')}
      </Text>
      {equal ? (
        <Text color="green" wrap="truncate-end">{`✓ equal ${order}: ${rows(left.rows)}, hash ${left.hash} on both`}</Text>
      ) : (
        <Text color="yellow" wrap="truncate-end">{`⚠ different (${order}): ${left.label} ${rows(left.rows)}, hash ${left.hash} · ${right.label} ${rows(right.rows)}, hash ${right.hash}`}</Text>
      )}
      {comparison.firstOrderDifference !== undefined ? <Text wrap="truncate-end">{`the same rows, in another order from row ${comparison.firstOrderDifference + 1}`}</Text> : null}
      {lines.slice(start, end).map((line, i) => (
        <Text key={start + i} wrap="truncate-end">
          <Text color="yellow">{line.side}</Text> {shown(line.row)}
        </Text>
      ))}
      <Text dimColor wrap="truncate-end">
        {lines.length > room ? `differing rows ${start + 1}–${end} of ${lines.length} · ↑↓ PgUp/PgDn scroll · ` : ''}Esc back to the editor
      </Text>
    </Box>
  );
}
