// The result under the SQL prompt: one screenful of rows as a table or a bar
// chart, and a line saying where in the result it is and what keys do.
import { memo } from 'react';
import { Box, Text } from 'ink';
import { BarChart, chartColumns } from '../components/bar-chart.js';
import { formatCount } from '../components/format.js';
import { ResultTable, layoutColumns } from '../components/result-table.js';
import type { ResultView } from './sql-reducer.js';
import { rowCountLabel } from './sql-status-line.js';

/** Memoised: typing in the editor leaves the result as it is, so it is not redrawn. */
export const ResultPane = memo(function ResultPane({ view, width, focused }: { view: ResultView; width: number; focused: boolean }) {
  const chart = view.chart ? chartColumns(view.columns) : undefined;
  const last = view.offset + view.rows.length;
  const position = view.rows.length === 0 ? 'no rows' : `rows ${formatCount(view.offset + 1)}–${formatCount(last)} of ${rowCountLabel(view)}`;
  const laid = layoutColumns(view.columns, view.rows, view.firstColumn, width);
  const columns = chart ? '' : ` · columns ${view.firstColumn + 1}–${view.firstColumn + laid.length} of ${view.columns.length}`;
  const reading = view.readingRows !== undefined ? ` · reading ${formatCount(view.readingRows)} rows…` : view.loading ? ' · reading…' : '';
  const keys = focused ? ' · ↑↓←→ PgUp/PgDn Home/End · c chart · x csv · j json · Enter edit' : ' · Ctrl-T scroll, chart, export';
  return (
    <Box flexDirection="column">
      {chart ? (
        <BarChart columns={view.columns} rows={view.rows} chart={chart} width={width} />
      ) : (
        <ResultTable columns={view.columns} rows={view.rows} firstColumn={view.firstColumn} width={width} />
      )}
      <Text dimColor wrap="truncate-end">
        {position}
        {columns}
        {reading}
        {keys}
      </Text>
    </Box>
  );
});
