// How many terminal columns text takes: string-width, the function Ink lays
// out its boxes with, so the query table, the app's result pane and the fixed
// tables count CJK and emoji as two columns alike.
import stringWidth from 'string-width';

/**
 * Text longer than this is measured a window at a time: V8's grapheme
 * segmenter, which string-width walks, takes time that grows with the square
 * of the text's length (a 200,000-character value took a minute).
 */
const WINDOW = 1024;

const graphemes = new Intl.Segmenter();

export function textWidth(text: string): number {
  if (text.length <= WINDOW) return stringWidth(text);
  let width = 0;
  let start = 0;
  while (text.length - start > WINDOW) {
    const window = text.slice(start, start + WINDOW);
    // The window's last cluster may go on past it: measure up to where it starts and go on from there.
    let last = 0;
    for (const { index } of graphemes.segment(window)) last = index;
    const end = last > 0 ? last : WINDOW;
    width += stringWidth(window.slice(0, end));
    start += end;
  }
  return width + stringWidth(text.slice(start));
}

/** Text padded with spaces to `width` columns (on the left when `alignRight`); longer text as it is. */
export function padToWidth(text: string, width: number, alignRight = false): string {
  const pad = ' '.repeat(Math.max(0, width - textWidth(text)));
  return alignRight ? pad + text : text + pad;
}

/** Text cut to at most `width` columns, the cut marked with `…`; a wide character is never split. */
export function truncateToWidth(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  const room = width - 1;
  for (const { segment } of new Intl.Segmenter().segment(text)) {
    const w = textWidth(segment);
    if (used + w > room) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}
