// Copy from the SQL prompt's result to the clipboard of the terminal, through
// OSC 52: the terminal (over ssh too) puts the text on the clipboard. Inside
// tmux the sequence goes twice: plainly, for tmux's own clipboard
// (`set-clipboard on`), and wrapped for passthrough to the outer terminal
// (`allow-passthrough on`).
import { tsvField } from '../../pipeline/format.js';
import type { ScriptTarget } from '../../pipeline/script.js';
import type { Row } from '../../pipeline/warehouse/types.js';
import { formatCount } from '../components/format.js';
import type { ResultWindow } from '../components/result-window.js';
import type { Notice } from './sql-reducer.js';
import { cursorCell, type ResultView } from './sql-result-state.js';

export type ClipboardCopy = 'cell' | 'row' | 'all';

/** The most text a copy of the whole result sends: terminals refuse or cut longer OSC 52 payloads. */
export const MAX_COPY_BYTES = 128 * 1024;

/** The OSC 52 sequence that sets the clipboard to `text`. */
export function osc52(text: string): string {
  return `\u001b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}

/** `sequence` wrapped for tmux to pass through to the terminal it runs in (each ESC doubled). */
export function tmuxPassthrough(sequence: string): string {
  return `\u001bPtmux;${sequence.replaceAll('\u001b', '\u001b\u001b')}\u001b\\`;
}

/** What goes to the terminal to copy `text`: in tmux, for tmux and for the terminal outside it. */
export function clipboardSequence(text: string, env: NodeJS.ProcessEnv = process.env): string {
  const sequence = osc52(text);
  return env.TMUX ? sequence + tmuxPassthrough(sequence) : sequence;
}

function tsvLine(row: Row): string {
  return row.map(tsvField).join('\t');
}

function byteCount(bytes: number): string {
  return `${formatCount(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
}

/** The whole result as TSV (a header line, then the rows) up to MAX_COPY_BYTES; how many rows it holds, and whether rows were left out. */
async function resultText(view: ResultView, window: ResultWindow, target: ScriptTarget, pageSize: number): Promise<{ text: string; rows: number; cut: boolean; held: boolean }> {
  const lines = [view.columns.map((column) => tsvField(column.name)).join('\t')];
  let bytes = Buffer.byteLength(lines[0]) + 1;
  let rows = 0;
  const take = (row: Row): boolean => {
    const line = tsvLine(row);
    const size = Buffer.byteLength(line) + 1;
    if (bytes + size > MAX_COPY_BYTES) return false;
    lines.push(line);
    bytes += size;
    rows += 1;
    return true;
  };
  const done = () => ({ text: `${lines.join('\n')}\n`, rows });
  const cached = window.holdsAllRows || !window.canReopen ? window.peek(0, window.rowsRead) : undefined;
  if (cached || !window.canReopen) {
    // A result that cannot be run again copies the rows held; they are all of it only if it was read from the start.
    const held = cached ?? [];
    const fits = held.every(take);
    return { ...done(), cut: !fits, held: !window.holdsAllRows };
  }
  await window.release();
  const result = await target.query(view.sql, { pageSize });
  try {
    for await (const page of result.pages()) {
      if (!page.every(take)) return { ...done(), cut: true, held: false };
    }
  } finally {
    await result.close();
  }
  return { ...done(), cut: false, held: false };
}

/** Copies the cell, the row or the whole result as TSV; the notice says what went and how many bytes. */
export async function copyToClipboard(options: {
  what: ClipboardCopy;
  view: ResultView;
  window: ResultWindow;
  /** Where the statement runs again when its rows are not all held. */
  target: ScriptTarget;
  pageSize: number;
  write: (text: string) => void;
}): Promise<Notice> {
  const { what, view, write } = options;
  const send = (text: string, said: string): Notice => {
    write(clipboardSequence(text));
    return { text: `copied ${said} (${byteCount(Buffer.byteLength(text))}) to the clipboard (OSC 52)`, tone: 'success' };
  };
  if (what === 'all') {
    const { text, rows, cut, held } = await resultText(view, options.window, options.target, options.pageSize);
    const of = view.totalRows === undefined ? '' : ` of ${formatCount(view.totalRows)}`;
    const notice = send(text, `${cut ? 'the first ' : ''}${formatCount(rows)}${cut || held ? of : ''} rows as TSV`);
    if (cut) return { ...notice, tone: 'info', wrap: true, text: `${notice.text}: cut at ${byteCount(MAX_COPY_BYTES)} · x exports every row to a file` };
    if (held) return { ...notice, tone: 'info', wrap: true, text: `${notice.text}: only the rows held, as the statement cannot run again` };
    return notice;
  }
  const cell = cursorCell(view);
  if (!cell) return { text: 'nothing to copy: the row is still being read', tone: 'info' };
  const row = view.cursor.row + 1;
  if (what === 'row') return send(`${tsvLine(cell.row)}\n`, `row ${formatCount(row)} as TSV`);
  // A cell is copied as it is: the text itself, NULL as nothing.
  return send(cell.value === null ? '' : String(cell.value), `${cell.column.name} of row ${formatCount(row)}`);
}
