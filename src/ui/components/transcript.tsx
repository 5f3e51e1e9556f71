// What has happened, printed once above the live area: finished statements,
// load errors, run summaries, notes. Entries never change after they print.
import { Box, Static, Text } from 'ink';
import type { TranscriptEntry } from '../hooks/app-reducer.js';
import { formatCount, formatSeconds } from './format.js';
import { escapeControls } from '../../pipeline/format.js';
import { rowChange } from '../../pipeline/run-outcome.js';
import { padToWidth, textWidth } from '../../pipeline/text-width.js';

const TONE_COLORS = { info: undefined, success: 'green', warning: 'yellow', error: 'red', dim: 'gray' } as const;

function StatementLine({ entry }: { entry: Extract<TranscriptEntry, { kind: 'statement' }> }) {
  const rows = entry.rows === undefined || entry.rows === null ? '' : ` · ${formatCount(entry.rows)} rows`;
  const engine = entry.engineMs === undefined ? '' : ` · engine ${formatSeconds(entry.engineMs)}`;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text color={entry.ok ? 'green' : 'red'}>{entry.ok ? '✓' : '✗'}</Text> {entry.name}
        <Text dimColor>
          {' '}
          {formatSeconds(entry.wallMs)}
          {engine}
          {rows}
          {entry.status ? ` · ${entry.status}` : ''}
        </Text>
      </Text>
      {entry.error ? <Text color="red">  {entry.error}</Text> : null}
    </Box>
  );
}

function LoadErrorsBlock({ entry }: { entry: Extract<TranscriptEntry, { kind: 'load-errors' }> }) {
  const shown = entry.details.slice(0, 5);
  return (
    <Box flexDirection="column">
      <Text color="red">
        rows rejected{entry.table ? ` by ${entry.table}` : ''} ({entry.details.length}):
      </Text>
      {shown.map((d, i) => (
        <Box key={i} flexDirection="column">
          <Text>
            {'  line '}
            {d.line}
            {d.column ? ` column ${escapeControls(d.column)}` : ''} · {escapeControls(d.file)}
          </Text>
          <Text wrap="truncate-end">
            {'    '}
            {escapeControls(d.reason)}
          </Text>
          {d.rawLine ? (
            <Text dimColor wrap="truncate-end">
              {'    '}
              {escapeControls(d.rawLine)}
            </Text>
          ) : null}
        </Box>
      ))}
      {entry.details.length > shown.length ? <Text dimColor>  … {entry.details.length - shown.length} more</Text> : null}
    </Box>
  );
}

function SummaryBlock({ entry }: { entry: Extract<TranscriptEntry, { kind: 'summary' }> }) {
  const heading = entry.cancelled ? 'run cancelled' : entry.ok ? 'run finished' : 'run failed';
  const tables = Object.entries(entry.tableRows);
  // One table per line, names and counts aligned, so no pair is split across lines on a narrow terminal.
  const nameWidth = Math.max(0, ...tables.map(([table]) => textWidth(table)));
  const countWidth = Math.max(0, ...tables.map(([, rows]) => formatCount(rows).length));
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text bold color={entry.ok ? 'green' : entry.cancelled ? 'yellow' : 'red'}>
        {heading} in {formatSeconds(entry.wallMs)}
      </Text>
      {entry.error ? <Text color="red">  {entry.error}</Text> : null}
      {entry.analytics ? <Text wrap="wrap">  {entry.analytics}</Text> : null}
      {tables.map(([table, rows]) => (
        <Text key={table}>
          {'  '}
          {padToWidth(table, nameWidth)} {padToWidth(formatCount(rows), countWidth, true)}
          {entry.previousTableRows ? <Text dimColor> {rowChange(rows, entry.previousTableRows[table])}</Text> : null}
        </Text>
      ))}
      {entry.checks.length > 0 ? (
        <Text wrap="wrap">
          {'  checks: '}
          {entry.checks.filter((c) => c.ok).length} of {entry.checks.length} passed
          {entry.checks
            .filter((c) => !c.ok)
            .map((c) => ` · ✗ ${c.description} (${formatCount(c.failingRows)} rows)`)
            .join('')}
        </Text>
      ) : null}
    </Box>
  );
}

function EntryView({ entry }: { entry: TranscriptEntry }) {
  switch (entry.kind) {
    case 'note':
      return <Text color={TONE_COLORS[entry.tone ?? 'info']}>{entry.text}</Text>;
    case 'statement':
      return <StatementLine entry={entry} />;
    case 'load-errors':
      return <LoadErrorsBlock entry={entry} />;
    case 'summary':
      return <SummaryBlock entry={entry} />;
  }
}

export function Transcript({ entries }: { entries: TranscriptEntry[] }) {
  return (
    <Static items={entries}>
      {(entry) => (
        <Box key={entry.id}>
          <EntryView entry={entry} />
        </Box>
      )}
    </Static>
  );
}
