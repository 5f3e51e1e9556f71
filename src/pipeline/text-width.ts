// How many terminal columns text takes: string-width, the function Ink lays
// out its boxes with, so the query table, the app's result pane and the fixed
// tables count CJK and emoji as two columns alike.
import stringWidth from 'string-width';

export const textWidth: (text: string) => number = stringWidth;

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
