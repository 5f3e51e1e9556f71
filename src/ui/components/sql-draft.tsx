// Draws the SQL draft: each line coloured from the tokenizer (sql/highlight.ts),
// the bracket that matches the one at the cursor and what is left open marked,
// the cursor on its character. Only the lines on screen are drawn, and long
// lines scroll sideways around the cursor instead of wrapping.
import { useMemo, type ReactNode } from 'react';
import { Box, Text } from 'ink';
import { markDraft, matchingBracket, type DraftMarks, type HighlightKind } from '../../pipeline/sql/highlight.js';
import { Cursor } from './cursor.js';
import { paint, type SyntaxPalette, type TextStyle } from './sql-palette.js';
import { editorText, type EditorState } from './text-editor.js';

export interface SqlDraftProps {
  state: EditorState;
  /** Drawn before the first line; continuation lines get dots of the same width. */
  prompt: string;
  width: number;
  /** Most lines shown; the view follows the cursor. */
  maxLines: number;
  showCursor: boolean;
  /** Null: no colour, no marks, no escape codes. */
  palette: SyntaxPalette | null;
  /** The cursor in reverse video (else a bar, for a terminal without it). */
  inverseCursor: boolean;
}

type Mark = 'match' | 'unclosed';

interface Run {
  text: string;
  kind: HighlightKind;
  mark?: Mark;
  cursor?: boolean;
}

/** The runs of one line between columns `from` and `to`: cut where the kind or a mark changes, and at the cursor. */
export function lineRuns(line: string, lineStart: number, marks: DraftMarks | null, markAt: Map<number, Mark>, from: number, to: number, cursorCol: number): Run[] {
  const runs: Run[] = [];
  const spans = marks?.spans ?? [];
  // The first span that ends past the start of what is drawn.
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].end <= lineStart + from) lo = mid + 1;
    else hi = mid;
  }
  let si = lo;
  const cuts = [...markAt.keys(), lineStart + cursorCol, lineStart + cursorCol + 1].filter((at) => at > lineStart + from && at < lineStart + to);
  for (let col = from; col < to; ) {
    const at = lineStart + col;
    while (si < spans.length && spans[si].end <= at) si++;
    const span = spans[si];
    const inSpan = span !== undefined && span.start <= at;
    let next = lineStart + to;
    if (span) next = Math.min(next, inSpan ? span.end : span.start);
    for (const cut of cuts) if (cut > at && cut < next) next = cut;
    if (markAt.has(at)) next = at + 1;
    const end = next - lineStart;
    runs.push({ text: line.slice(col, end), kind: inSpan ? span.kind : 'plain', mark: markAt.get(at), cursor: col === cursorCol });
    col = end;
  }
  return runs;
}

/** The first line of the draft on screen: the view follows the cursor. */
export function draftTop(state: EditorState, maxLines: number): number {
  const visible = Math.max(1, Math.min(maxLines, state.lines.length));
  return Math.min(Math.max(0, state.row - visible + 1), state.lines.length - visible);
}

export function SqlDraft({ state, prompt, width, maxLines, showCursor, palette, inverseCursor }: SqlDraftProps) {
  const text = editorText(state);
  const marks = useMemo(() => (palette ? markDraft(text) : null), [text, palette]);
  const visible = Math.max(1, Math.min(maxLines, state.lines.length));
  const top = draftTop(state, maxLines);
  const continuation = '.'.repeat(Math.max(0, prompt.length - 2)).padEnd(prompt.length, ' ');
  const textWidth = Math.max(4, width - prompt.length - 1);

  let lineStart = 0;
  for (let row = 0; row < top; row++) lineStart += state.lines[row].length + 1;
  const cursorAt = lineStart + state.lines.slice(top, state.row).reduce((sum, line) => sum + line.length + 1, 0) + state.col;
  const markAt = new Map<number, Mark>();
  if (marks) {
    for (const at of marks.unclosed) markAt.set(at, 'unclosed');
    const pair = showCursor ? matchingBracket(marks, cursorAt) : undefined;
    if (pair) for (const at of pair) markAt.set(at, 'match');
  }

  const rows: ReactNode[] = [];
  for (let row = top; row < top + visible; row++) {
    const line = state.lines[row];
    const lead = row === 0 ? prompt : continuation;
    const onCursor = showCursor && row === state.row;
    const shift = onCursor ? Math.max(0, state.col - textWidth + 1) : 0;
    const cut = !onCursor && line.length > textWidth;
    const to = cut ? textWidth - 1 : Math.min(line.length, shift + textWidth);
    const runs = lineRuns(line, lineStart, marks, markAt, shift, to, onCursor ? state.col : -1);
    rows.push(
      <Text key={row} wrap="truncate-end">
        {palette ? paint(lead, palette.prompt) : lead}
        {drawRuns(runs, palette, inverseCursor)}
        {onCursor && state.col >= to ? <Cursor color={inverseCursor} /> : null}
        {cut ? '…' : null}
      </Text>,
    );
    lineStart += line.length + 1;
  }
  return <Box flexDirection="column">{rows}</Box>;
}

/** A line's runs as strings painted in the palette's escape codes, with the cursor as its own element. */
function drawRuns(runs: Run[], palette: SyntaxPalette | null, inverseCursor: boolean): ReactNode[] {
  const parts: ReactNode[] = [];
  let painted = '';
  // Runs of one style (a name, the space after it) are painted as one.
  let style: TextStyle | undefined;
  let pending = '';
  const flush = () => {
    painted += style && palette ? paint(pending, style) : pending;
    pending = '';
  };
  for (const run of runs) {
    if (run.cursor) {
      flush();
      parts.push(painted, <Cursor key="cursor" char={run.text} color={inverseCursor} />);
      painted = '';
      continue;
    }
    const next = palette ? (run.mark ? markStyle(palette, run.kind, run.mark) : palette[run.kind]) : undefined;
    if (next !== style) {
      flush();
      style = next;
    }
    pending += run.text;
  }
  flush();
  parts.push(painted);
  return parts;
}

const markStyles = new WeakMap<SyntaxPalette, Map<string, TextStyle>>();

/** A kind's style with a mark over it, made once per palette so paint() can keep its codes. */
function markStyle(palette: SyntaxPalette, kind: HighlightKind, mark: Mark): TextStyle {
  let styles = markStyles.get(palette);
  if (!styles) markStyles.set(palette, (styles = new Map<string, TextStyle>()));
  const key = `${kind} ${mark}`;
  let style = styles.get(key);
  if (!style) styles.set(key, (style = { ...palette[kind], ...palette[mark] }));
  return style;
}
