// The comparison of one query on both engines: equal or not, the row counts
// and hashes, and the rows one side has that the other lacks.
import { Box, Text } from 'ink';
import type { Comparison } from '../../pipeline/compare.js';
import type { Row } from '../../pipeline/warehouse/types.js';

const rows = (n: number) => `${n} row${n === 1 ? '' : 's'}`;
const shown = (row: Row) => `(${row.map((value) => (value === null ? '∅' : String(value))).join(', ')})`;

export function CompareView({ comparison, sql, width, height }: { comparison: Comparison; sql: string; width: number; height: number }) {
  const { left, right, equal, ordered } = comparison;
  const order = ordered ? 'in the order of its ORDER BY' : 'in any order';
  const lines = [
    ...comparison.onlyLeft.map((row) => ({ side: `only ${left.label}:`, row })),
    ...comparison.onlyRight.map((row) => ({ side: `only ${right.label}:`, row })),
  ];
  const room = Math.max(0, height - 4);
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
      {lines.slice(0, room).map((line, i) => (
        <Text key={i} wrap="truncate-end">
          <Text color="yellow">{line.side}</Text> {shown(line.row)}
        </Text>
      ))}
      <Text dimColor wrap="truncate-end">
        {lines.length > room ? `${lines.length - room} more differing rows not shown · ` : ''}Esc back to the editor
      </Text>
    </Box>
  );
}
