// The line under the editor: the clock of a running statement, the last
// notice (a result's row count and time, an error with its hint), or a hint;
// on a terminal without colour, first what the draft leaves open.
import { Box, Text } from 'ink';
import type { LeftOpen } from '../../pipeline/sql/highlight.js';
import { editorAt } from '../components/text-editor.js';
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

/**
 * The draft's first bracket or quote left open, and where, for a terminal
 * that cannot mark it in colour: `unclosed ' at line 2, col 5 · ` (a stray
 * closer is `unmatched )`). Empty when nothing is left open.
 */
export function leftOpenText(text: string, left: readonly LeftOpen[]): string {
  const first = left[0];
  if (!first) return '';
  const { row, col } = editorAt(text, first.at);
  const what = first.opener === ')' || first.opener === ']' ? 'unmatched' : 'unclosed';
  const more = left.length > 1 ? ` (+${left.length - 1} more)` : '';
  return `${what} ${first.opener} at line ${row + 1}, col ${col + 1}${more} · `;
}

export function StatusLine({
  running,
  waiting,
  elapsed,
  notice,
  result,
  lines,
  open,
}: {
  running: boolean;
  /** What the running statement waits for (the warehouse file held by another process). */
  waiting?: string;
  elapsed: number;
  notice: Notice | null;
  result: ResultView | null;
  /** The notice wrapped to the width (Notice.wrap), else null; what is left open leads its first line. */
  lines: string[] | null;
  /** What the draft leaves open (leftOpenText), drawn first; empty for nothing. */
  open: string;
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
        {open}
        <Text color={color}>{noticeText(notice, result)}</Text>
        {notice.hint ? <Text dimColor> · {notice.hint}</Text> : null}
      </Text>
    );
  }
  return (
    <Text wrap="truncate-end">
      {open}
      <Text dimColor>end a statement with ; and press Enter · \dt lists tables · \? all commands</Text>
    </Text>
  );
}

