// The results under the SQL prompt: the tabs of the draft's statements, the
// statement shown, and its rows as a table (with the cell cursor and the cell
// panel), a record (`\x`) or a bar chart, with a line saying where in the
// result the screen is and what keys do.
import { memo } from 'react';
import { Box, Text } from 'ink';
import { BarChart, chartColumns } from '../components/bar-chart.js';
import { formatCount } from '../components/format.js';
import { ResultTable, layoutColumns } from '../components/result-table.js';
import { CellPanel, RecordView, cellPanelLines } from './sql-result-record.js';
import { recordsOnScreen } from './sql-result-records.js';
import type { ResultTab, ResultView } from './sql-result-state.js';
import { ResultTabs, StatementLine } from './sql-result-tabs.js';
import { formatDuration, rowCountLabel } from './sql-status-line.js';

/** Table header (names, types, rule) and the footer. */
const TABLE_CHROME = 4;

export interface ResultPaneProps {
  tabs: ResultTab[];
  /** Results of the draft dropped before the first tab (MAX_KEPT_RESULTS). */
  dropped: number;
  active: number;
  width: number;
  focused: boolean;
  expanded: boolean;
  /** Lines of the cell panel's value (when the result has the focus). */
  valueLines: number;
  /** Rows of the table on screen. */
  rows: number;
}

/** Lines the pane takes besides the rows of the table; with no result yet, those of the one table a statement will give. */
export function resultPaneChrome(tabs: ResultTab[], active: number, focused: boolean, valueLines: number): number {
  if (tabs.length === 0) return 1 + TABLE_CHROME;
  const view = tabs[active]?.view;
  const head = (tabs.length > 1 ? 1 : 0) + 1;
  if (!view) return head + 1;
  return head + TABLE_CHROME + (focused && !view.chart ? cellPanelLines(valueLines) : 0);
}

/** The lines the records of `\x` may take: the table's header is not drawn. */
export function recordViewLines(rows: number): number {
  return rows + TABLE_CHROME - 1;
}

function Footer({ view, width, focused, expanded, shown }: { view: ResultView; width: number; focused: boolean; expanded: boolean; shown: { first: number; count: number } }) {
  const chart = view.chart ? chartColumns(view.columns) : undefined;
  const position = shown.count === 0 ? 'no rows' : `rows ${formatCount(shown.first + 1)}–${formatCount(shown.first + shown.count)} of ${rowCountLabel(view)}`;
  const laid = layoutColumns(view.columns, view.rows, view.firstColumn, width);
  const columns = chart || expanded ? '' : ` · columns ${view.firstColumn + 1}–${view.firstColumn + laid.length} of ${view.columns.length}`;
  const reading = view.readingRows !== undefined ? ` · reading ${formatCount(view.readingRows)} rows…` : view.loading ? ' · reading…' : '';
  const keys = focused ? ' · y Y a copy · c chart · x csv · j json · Enter edit' : ' · Ctrl-T scroll, chart, export';
  return (
    <Text dimColor wrap="truncate-end">
      {position}
      {columns}
      {reading}
      {keys}
    </Text>
  );
}

function Rows({ view, width, focused, expanded, valueLines, rows }: { view: ResultView } & Omit<ResultPaneProps, 'tabs' | 'dropped' | 'active'>) {
  const chart = view.chart ? chartColumns(view.columns) : undefined;
  const cursor = focused ? { row: view.cursor.row - view.offset, column: view.cursor.column } : undefined;
  const records = expanded && !chart;
  const shown = records ? recordsOnScreen(view, width, recordViewLines(rows)) : { first: view.offset, count: view.rows.length };
  return (
    <Box flexDirection="column">
      {chart ? (
        <BarChart columns={view.columns} rows={view.rows} chart={chart} width={width} />
      ) : expanded ? (
        <RecordView view={view} width={width} lines={recordViewLines(rows)} shown={shown} />
      ) : (
        <ResultTable columns={view.columns} rows={view.rows} firstColumn={view.firstColumn} width={width} cursor={cursor} />
      )}
      <Footer view={view} width={width} focused={focused} expanded={expanded} shown={shown} />
      {focused && !chart ? <CellPanel view={view} width={width} valueLines={valueLines} /> : null}
    </Box>
  );
}

/** Memoised: typing in the editor leaves the result as it is, so it is not redrawn. */
export const ResultPane = memo(function ResultPane({ tabs, dropped, active, ...rest }: ResultPaneProps) {
  const tab = tabs[active];
  if (!tab) return null;
  return (
    <Box flexDirection="column">
      {tabs.length > 1 ? <ResultTabs tabs={tabs} dropped={dropped} active={active} width={rest.width} /> : null}
      <StatementLine tab={tab} count={dropped + tabs.length} />
      {tab.view ? (
        <Rows view={tab.view} {...rest} />
      ) : (
        <Text color={tab.failed ? 'red' : 'green'} wrap="truncate-end">
          {tab.failed ? `✗ ${tab.tag}` : `✓ ${tab.tag} · ${formatDuration(tab.wallMs)}`}
        </Text>
      )}
    </Box>
  );
});
