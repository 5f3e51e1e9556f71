// A failed run's whole error on the pipeline screen: the message, each bad
// row's file, line, column, reason, value and raw line, and what to do next,
// so it is read where the run is resumed, not only in the scrollback.
import { Box, Text } from 'ink';
import type { PlannedStep } from '../../pipeline/events.js';
import { escapeControls } from '../../pipeline/format.js';
import { padToWidth, textWidth } from '../../pipeline/text-width.js';
import type { StepFailure } from '../hooks/pipeline-reducer.js';

/** Bad rows drawn in full; the rest are counted (all of them are in the scrollback). */
const SHOWN_ROWS = 2;
const LABEL_WIDTH = 9;
const LABEL_WIDTH_TEXT = ' '.repeat(LABEL_WIDTH);

interface PanelLine {
  label?: string;
  text: string;
  /** A raw line from a data file: one screen line, cut at the edge. */
  raw?: boolean;
  /** The error's message, which the bad rows below it repeat: left out where room is short. */
  message?: boolean;
}

/** The panel's lines, values from the data escaped as the query output escapes them. */
export function errorPanelLines(failure: StepFailure): PanelLine[] {
  const { error } = failure;
  const lines: PanelLine[] = error.message.split('\n').map((text) => ({ text: escapeControls(text), message: true }));
  const rows = error.loadErrors ?? [];
  for (const row of rows.slice(0, SHOWN_ROWS)) {
    lines.push({ label: 'file', text: escapeControls(row.file) });
    lines.push({ label: 'at', text: `line ${row.line}${row.column ? `, column ${escapeControls(row.column)}` : ''}` });
    lines.push({ label: 'reason', text: escapeControls(row.reason) });
    if (row.rawValue !== undefined) lines.push({ label: 'value', text: escapeControls(row.rawValue) });
    if (row.rawLine !== undefined) lines.push({ label: 'raw line', text: escapeControls(row.rawLine), raw: true });
  }
  if (rows.length > SHOWN_ROWS) lines.push({ text: `… ${rows.length - SHOWN_ROWS} more bad row${rows.length - SHOWN_ROWS === 1 ? '' : 's'} in the scrollback above` });
  if (error.hint) lines.push({ label: 'next', text: escapeControls(error.hint) });
  return lines;
}

/** The panel's title: which step failed, at which statement. */
export function errorPanelTitle(failure: StepFailure, steps: PlannedStep[]): string {
  if (!failure.stepId) return 'last run failed';
  const statement = steps.find((s) => s.id === failure.stepId)?.statements.find((s) => s.id === failure.statementId);
  return `last run failed at ${failure.stepId}${statement ? ` · ${statement.name}` : ''}`;
}

/** Lines `text` takes wrapped at spaces in `width` columns, as Ink wraps it (a word wider than a line is cut). */
function wrappedLines(text: string, width: number): number {
  let lines = 1;
  let used = 0;
  for (const word of text.split(' ')) {
    const w = textWidth(word);
    if (used > 0 && used + 1 + w > width) {
      lines += 1;
      used = 0;
    }
    used += (used > 0 ? 1 : 0) + w;
    while (used > width) {
      lines += 1;
      used -= width;
    }
  }
  return lines;
}

/**
 * What the panel draws in the room it has: every line wrapped; or when that
 * is too tall, the bad rows without the message that repeats them, each on
 * one line but the file's path; or as many of those as fit.
 */
export interface ErrorPanelLayout {
  lines: PanelLine[];
  wrap: boolean;
  /** Lines left out for want of room (they are in the scrollback above). */
  hidden: number;
  /** Screen lines the panel takes: border, title, footer and its lines. */
  height: number;
}

const CHROME = 4;

/** The panel laid out in `width` columns inside its border and at most `maxHeight` lines. */
export function errorPanelLayout(failure: StepFailure, width: number, maxHeight: number): ErrorPanelLayout {
  const lines = errorPanelLines(failure);
  const room = Math.max(1, width);
  const height = (line: PanelLine, wrap: boolean) => (line.raw || (!wrap && line.label !== 'file') ? 1 : wrappedLines(`${line.label ? LABEL_WIDTH_TEXT : ''}${line.text}`, room));
  const wrappedHeight = lines.reduce((sum, line) => sum + height(line, true), CHROME);
  if (wrappedHeight <= maxHeight) return { lines, wrap: true, hidden: 0, height: wrappedHeight };
  const compact = (failure.error.loadErrors ?? []).length > 0 ? lines.filter((line) => !line.message) : lines;
  const compactHeight = compact.reduce((sum, line) => sum + height(line, false), CHROME);
  if (compactHeight <= maxHeight) return { lines: compact, wrap: false, hidden: 0, height: compactHeight };
  // As many lines as fit, and one that says how many are left out.
  const shown: PanelLine[] = [];
  let used = CHROME + 1;
  for (const line of compact) {
    if (used + height(line, false) > maxHeight && shown.length > 0) break;
    shown.push(line);
    used += height(line, false);
  }
  return { lines: shown, wrap: false, hidden: compact.length - shown.length, height: used };
}

export function ErrorPanel({ failure, steps, layout }: { failure: StepFailure; steps: PlannedStep[]; layout: ErrorPanelLayout }) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="red" paddingX={1}>
      <Text bold color="red" wrap="truncate-end">
        {errorPanelTitle(failure, steps)}
      </Text>
      {layout.lines.map((line, i) => (
        <Text key={i} wrap={line.raw || (!layout.wrap && line.label !== 'file') ? 'truncate-end' : 'wrap'}>
          {line.label ? <Text dimColor>{padToWidth(line.label, LABEL_WIDTH)}</Text> : null}
          {line.label === 'next' ? <Text color="yellow">{line.text}</Text> : line.text}
        </Text>
      ))}
      {layout.hidden > 0 ? <Text dimColor>… {layout.hidden} more line{layout.hidden === 1 ? '' : 's'} in the scrollback above</Text> : null}
      <Text dimColor wrap="truncate-end">fix the cause, then f resumes from the selected step</Text>
    </Box>
  );
}
