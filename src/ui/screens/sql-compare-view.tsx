// The comparison of one query on both engines: equal or not, the row counts
// and hashes, and the rows one side has that the other lacks, scrolled when
// they are more than the screen holds.
import { Box, Text } from 'ink';
import type { Comparison, SideResult } from '../../pipeline/compare.js';
import type { Row } from '../../pipeline/warehouse/types.js';
import { formatCount } from '../components/format.js';
import { formatCell } from '../components/result-table.js';

const rows = (n: number) => `${formatCount(n)} row${n === 1 ? '' : 's'}`;
/** Values escaped as the grid escapes them: they come from files, and an ESC would reach the terminal. */
const shown = (row: Row) => `(${row.map(formatCell).join(', ')})`;

/** Lines the verdict takes: a line, then one for both engines when equal, else one per engine. */
const verdictLines = (comparison: Comparison) => (comparison.equal ? 2 : 3);

/** The verdict when an engine refused the query; undefined when both ran it. */
function failedVerdict(left: SideResult, right: SideResult): string | undefined {
  if (left.error !== undefined && right.error !== undefined) return `✗ ${left.label} and ${right.label} both refuse it:`;
  const [ran, refused] = left.error !== undefined ? [right, left] : [left, right];
  return refused.error !== undefined ? `⚠ different: ${ran.label} runs it, ${refused.label} refuses it:` : undefined;
}

/** One engine's side of a verdict that differs: its rows and hash, or its error. */
function SideLine({ side, width }: { side: SideResult; width: number }) {
  const label = `  ${side.label.padEnd(8)} `;
  if (side.error !== undefined) {
    return (
      <Text wrap="truncate-end">
        {label}
        <Text color="red">✗ {side.error.replace(/\s+/g, ' ')}</Text>
      </Text>
    );
  }
  return <Text wrap="truncate-end">{`${label}${rows(side.rows)} · hash ${side.hash}`.slice(0, width)}</Text>;
}

/** The differing rows, those only on the left first. */
function differingLines(comparison: Comparison): { side: string; row: Row }[] {
  return [
    ...comparison.onlyLeft.map((row) => ({ side: `only ${comparison.left.label}:`, row })),
    ...comparison.onlyRight.map((row) => ({ side: `only ${comparison.right.label}:`, row })),
  ];
}

/** Differing rows on a screen of `height` lines: what the title, the verdict, the order line and the footer leave. */
export function compareRoom(comparison: Comparison, height: number): number {
  return Math.max(1, height - 2 - verdictLines(comparison) - (comparison.firstOrderDifference !== undefined ? 1 : 0));
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
        <>
          <Text color="green" wrap="truncate-end">{`✓ equal on ${left.label} and ${right.label}, ${order}:`}</Text>
          <SideLine side={{ ...left, label: 'both' }} width={width} />
        </>
      ) : (
        <>
          <Text color={left.error !== undefined && right.error !== undefined ? 'red' : 'yellow'} wrap="truncate-end">
            {failedVerdict(left, right) ?? `⚠ different (${order}):`}
          </Text>
          <SideLine side={left} width={width} />
          <SideLine side={right} width={width} />
        </>
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
