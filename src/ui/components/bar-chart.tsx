// A horizontal bar chart of a two-column result: one label, one number. Bars
// use eighth-block characters, so small differences still show in 80 columns.
import { Box, Text } from 'ink';
import type { ColumnInfo, Row } from '../../pipeline/warehouse/types.js';
import { padToWidth, textWidth, truncateToWidth } from '../../pipeline/text-width.js';
import { formatCell, isNumericType } from './result-table.js';

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const MAX_LABEL_WIDTH = 30;

export interface ChartColumns {
  label: number;
  value: number;
}

/**
 * The label and value columns when the result can be drawn as bars: exactly
 * two columns, at least one of them numeric (the second wins when both are).
 */
export function chartColumns(columns: ColumnInfo[]): ChartColumns | undefined {
  if (columns.length !== 2) return undefined;
  if (isNumericType(columns[1].type)) return { label: 0, value: 1 };
  if (isNumericType(columns[0].type)) return { label: 1, value: 0 };
  return undefined;
}

/** A bar of `value / max` of `width` cells. */
export function bar(value: number, max: number, width: number): string {
  if (!(value > 0) || !(max > 0)) return '';
  const eighths = Math.round((Math.min(value, max) / max) * width * 8);
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

export interface BarChartProps {
  columns: ColumnInfo[];
  rows: Row[];
  chart: ChartColumns;
  width: number;
}

export function BarChart({ columns, rows, chart, width }: BarChartProps) {
  const labels = rows.map((row) => formatCell(row[chart.label] ?? null));
  const values = rows.map((row) => Number(row[chart.value]));
  const texts = rows.map((row) => formatCell(row[chart.value] ?? null));
  const labelWidth = Math.min(MAX_LABEL_WIDTH, Math.max(textWidth(columns[chart.label].name), ...labels.map(textWidth), 1));
  const valueWidth = Math.max(...texts.map(textWidth), 1);
  const barWidth = Math.max(1, width - labelWidth - valueWidth - 3);
  const max = Math.max(0, ...values.filter(Number.isFinite));
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {padToWidth(truncateToWidth(columns[chart.label].name, labelWidth), labelWidth)}  {columns[chart.value].name}
      </Text>
      {rows.map((_, i) => (
        <Text key={i} wrap="truncate-end">
          {padToWidth(truncateToWidth(labels[i], labelWidth), labelWidth)}{' '}
          <Text color="green">{bar(values[i], max, barWidth)}</Text> {texts[i]}
        </Text>
      ))}
    </Box>
  );
}
