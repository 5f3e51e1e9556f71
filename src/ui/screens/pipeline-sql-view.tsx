// The pipeline screen's SQL view (`v`): the selected statement's Redshift SQL,
// as the model holds it, and on the local engine the SQL that runs there after
// the rewrite: side by side when the terminal is wide, else one above the other.
import { Box, Text } from 'ink';
import type { PlannedStatement } from '../../pipeline/events.js';
import { localSqlText } from '../../pipeline/sql/local-text.js';
import { padToWidth, truncateToWidth } from '../../pipeline/text-width.js';
import type { PlanRow } from '../hooks/pipeline-reducer.js';

/** The narrowest each side may be for the two to stand side by side (below it, one above the other). */
const SIDE_MIN_WIDTH = 48;
const GUTTER = ' │ ';

/** A line of the view: one text, or a left and a right one; headings are drawn bold. */
export interface SqlViewLine {
  left: string;
  right?: string;
  heading?: boolean;
}

/** Breaks a line of SQL at a space to fit `width`, continuing indented; a word longer than the width is cut. */
export function wrapSqlLine(line: string, width: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    let cut = rest.lastIndexOf(' ', width);
    if (cut <= width / 3) cut = width;
    out.push(rest.slice(0, cut).trimEnd());
    rest = '    ' + rest.slice(cut).trimStart();
  }
  out.push(rest);
  return out;
}

const wrapped = (text: string, width: number) => text.trim().split('\n').flatMap((line) => wrapSqlLine(line, Math.max(20, width)));

/** Whether the view puts the two texts side by side in `width` columns. */
export function sideBySide(width: number): boolean {
  return width >= 2 * SIDE_MIN_WIDTH + GUTTER.length;
}

function statementLines(s: PlannedStatement, width: number, local: boolean): SqlViewLine[] {
  if (!local) return [{ left: `-- ${s.name}` }, ...wrapped(s.sql, width).map((left) => ({ left })), { left: '' }];
  if (sideBySide(width)) {
    const side = Math.floor((width - GUTTER.length) / 2);
    const original = wrapped(s.sql, side);
    const rewritten = wrapped(localSqlText(s.sql), side);
    const rows = Array.from({ length: Math.max(original.length, rewritten.length) }, (_, i) => ({ left: original[i] ?? '', right: rewritten[i] ?? '' }));
    return [{ left: `-- ${s.name}`, right: '' }, ...rows, { left: '', right: '' }];
  }
  return [
    { left: `-- ${s.name} · Redshift, as written`, heading: true },
    ...wrapped(s.sql, width).map((left) => ({ left })),
    { left: `-- ${s.name} · local DuckDB, as it runs`, heading: true },
    ...wrapped(localSqlText(s.sql), width).map((left) => ({ left })),
    { left: '' },
  ];
}

/**
 * The view's lines for a row: every statement of a step, or the one selected,
 * fitted to `width`. `local`: the warehouse is the local engine, so what runs
 * there is shown beside the original (on Redshift the original is what runs).
 */
export function sqlViewLines(row: PlanRow | undefined, width: number, local = false): SqlViewLine[] {
  if (!row) return [];
  const statements = row.kind === 'statement' ? [row.statement] : row.step.statements;
  const lines = statements.flatMap((s) => statementLines(s, width, local));
  if (local && sideBySide(width)) return [{ left: 'Redshift, as written', right: 'local DuckDB, as it runs', heading: true }, ...lines];
  return lines;
}

/** Lines of SQL that fit: the view's height less its border and footer. */
export function sqlViewPage(height: number): number {
  return Math.max(1, height - 3);
}

function SqlText({ text, heading }: { text: string; heading?: boolean }) {
  if (heading) return <Text bold>{text}</Text>;
  return text.startsWith('--') ? <Text color="gray">{text}</Text> : <Text>{text}</Text>;
}

export function SqlView({ lines, height, scroll, width }: { lines: SqlViewLine[]; height: number; scroll: number; width: number }) {
  const page = sqlViewPage(height);
  const first = Math.max(0, Math.min(scroll, lines.length - page));
  const shown = lines.slice(first, first + page);
  const side = Math.floor((width - GUTTER.length) / 2);
  const footer =
    lines.length > page
      ? `lines ${first + 1}–${first + shown.length} of ${lines.length} · ↑↓ PgUp/PgDn scroll · v or Esc closes`
      : 'v or Esc closes';
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      {shown.map((line, i) => (
        <Text key={first + i} wrap="truncate-end">
          {line.right === undefined ? (
            <SqlText text={line.left || ' '} heading={line.heading} />
          ) : (
            <>
              <SqlText text={padToWidth(truncateToWidth(line.left, side), side)} heading={line.heading} />
              <Text dimColor>{GUTTER}</Text>
              <SqlText text={line.right} heading={line.heading} />
            </>
          )}
        </Text>
      ))}
      <Text dimColor wrap="truncate-end">
        {footer}
      </Text>
    </Box>
  );
}
