// The line under the editor: the clock of a running statement, the last
// notice (a result's row count and time, an error with its hint), or a hint.
import { Box, Text } from 'ink';
import { formatCount, formatSeconds } from '../components/format.js';
import { Spinner } from '../components/spinner.js';
import type { Notice, ResultView } from './sql-reducer.js';

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : formatSeconds(ms);
}

export function rowCountLabel(view: Pick<ResultView, 'totalRows' | 'rowsRead'>): string {
  if (view.totalRows !== undefined) return `${formatCount(view.totalRows)} ${view.totalRows === 1 ? 'row' : 'rows'}`;
  return `${formatCount(view.rowsRead)}+ rows`;
}

/** `text` in lines of at most `width` columns, broken at spaces where it can be. */
export function wrapLines(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const joined = line === '' ? word : `${line} ${word}`;
    if (joined.length <= width) {
      line = joined;
      continue;
    }
    if (line !== '') lines.push(line);
    let rest = word;
    for (; rest.length > width; rest = rest.slice(width)) lines.push(rest.slice(0, width));
    line = rest;
  }
  lines.push(line);
  return lines;
}

/** A notice's words: the result's row count first when it counts rows, the hint after when `withHint`. */
export function noticeText(notice: Notice, result: ResultView | null, withHint = false): string {
  const mark = notice.tone === 'error' ? '✗ ' : notice.tone === 'success' ? '✓ ' : '';
  const text = notice.rowCount && result ? [rowCountLabel(result), notice.text].filter((part) => part !== '').join(' ') : notice.text;
  return `${mark}${text}${withHint && notice.hint ? ` · ${notice.hint}` : ''}`;
}

export function StatusLine({
  running,
  waiting,
  elapsed,
  notice,
  result,
  lines,
}: {
  running: boolean;
  /** What the running statement waits for (the warehouse file held by another process). */
  waiting?: string;
  elapsed: number;
  notice: Notice | null;
  result: ResultView | null;
  /** The notice wrapped to the width (Notice.wrap), else null. */
  lines: string[] | null;
}) {
  if (running) {
    return (
      <Text wrap="truncate-end">
        <Spinner /> {waiting ? <Text color="yellow">{waiting}</Text> : 'running'} {formatSeconds(elapsed)}{' '}
        <Text dimColor>· Ctrl-C {waiting ? 'stops waiting' : 'cancels'}</Text>
      </Text>
    );
  }
  if (notice) {
    const color = notice.tone === 'error' ? 'red' : notice.tone === 'success' ? 'green' : undefined;
    if (lines) {
      return (
        <Box flexDirection="column">
          {lines.map((line, i) => (
            <Text key={i} color={color}>
              {line}
            </Text>
          ))}
        </Box>
      );
    }
    return (
      <Text wrap="truncate-end">
        <Text color={color}>{noticeText(notice, result)}</Text>
        {notice.hint ? <Text dimColor> · {notice.hint}</Text> : null}
      </Text>
    );
  }
  return (
    <Text dimColor wrap="truncate-end">
      end a statement with ; and press Enter · \dt lists tables · \? all commands
    </Text>
  );
}

