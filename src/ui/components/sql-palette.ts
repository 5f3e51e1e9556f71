// The SQL draft's colours at each colour depth: named colours on a 16-colour
// terminal, xterm's 256, or 24-bit. No depth, no palette: the draft is drawn
// without a single escape code.
import type { HighlightKind } from '../../pipeline/sql/highlight.js';
import type { ColorDepth } from '../color.js';

export interface TextStyle {
  color?: string;
  backgroundColor?: string;
  bold?: boolean;
  underline?: boolean;
}

/** A style per kind of text, the prompt, the bracket pair at the cursor and what is left open. */
export type SyntaxPalette = Record<HighlightKind | 'prompt' | 'match' | 'unclosed', TextStyle>;

/**
 * Names, function names, operators and punctuation are drawn as typed; one
 * object, so a run of them is painted as one. Ink reads every escape code of
 * every line again on each frame, so each colour costs a key its time: the
 * colours go to keywords, strings, numbers and comments, one code each.
 */
const UNSTYLED: TextStyle = {};

const SIXTEEN: SyntaxPalette = {
  keyword: { color: 'blue' },
  function: UNSTYLED,
  string: { color: 'green' },
  number: { color: 'yellow' },
  comment: { color: 'gray' },
  identifier: UNSTYLED,
  operator: UNSTYLED,
  plain: UNSTYLED,
  prompt: { color: 'cyan' },
  match: { color: 'black', backgroundColor: 'cyan', bold: true },
  unclosed: { color: 'red', bold: true, underline: true },
};

const XTERM_256: SyntaxPalette = {
  keyword: { color: 'ansi256(75)' },
  function: UNSTYLED,
  string: { color: 'ansi256(114)' },
  number: { color: 'ansi256(179)' },
  comment: { color: 'ansi256(245)' },
  identifier: UNSTYLED,
  operator: UNSTYLED,
  plain: UNSTYLED,
  prompt: { color: 'ansi256(80)' },
  match: { backgroundColor: 'ansi256(24)', bold: true },
  unclosed: { color: 'ansi256(203)', bold: true, underline: true },
};

const TRUE_COLOR: SyntaxPalette = {
  keyword: { color: '#61afef' },
  function: UNSTYLED,
  string: { color: '#98c379' },
  number: { color: '#d19a66' },
  comment: { color: '#7f848e' },
  identifier: UNSTYLED,
  operator: UNSTYLED,
  plain: UNSTYLED,
  prompt: { color: '#56b6c2' },
  match: { backgroundColor: '#3e5573', bold: true },
  unclosed: { color: '#e06c75', bold: true, underline: true },
};

export function syntaxPalette(depth: ColorDepth): SyntaxPalette | null {
  if (depth === 0) return null;
  return depth === 16 ? SIXTEEN : depth === 256 ? XTERM_256 : TRUE_COLOR;
}

const NAMED: Record<string, number> = { black: 30, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37, gray: 90 };
const ESC = '\u001B[';

/** The select-graphic-rendition code of a colour as the palettes write it: a name, ansi256(n) or #rrggbb. */
function colorCode(color: string, background: boolean): string {
  if (color in NAMED) return String(NAMED[color] + (background ? 10 : 0));
  const ground = background ? 48 : 38;
  const indexed = /^ansi256\((\d+)\)$/.exec(color);
  if (indexed) return `${ground};5;${indexed[1]}`;
  const [r, g, b] = [1, 3, 5].map((at) => parseInt(color.slice(at, at + 2), 16));
  return `${ground};2;${r};${g};${b}`;
}

const cache = new Map<TextStyle, string>();

/**
 * `text` in `style`, as escape codes in the string: one string per line of the
 * draft costs Ink far less than a Text element per token. The depth was
 * decided with the palette, so these are written as they are.
 */
export function paint(text: string, style: TextStyle): string {
  let open = cache.get(style);
  if (open === undefined) {
    const codes = [
      style.bold ? '1' : '',
      style.underline ? '4' : '',
      style.backgroundColor ? colorCode(style.backgroundColor, true) : '',
      style.color ? colorCode(style.color, false) : '',
    ].filter((code) => code !== '');
    // One sequence for all of them: Ink reads every sequence of every frame again (and writes them out one by one).
    open = codes.length === 0 ? '' : `${ESC}${codes.join(';')}m`;
    cache.set(style, open);
  }
  return open === '' ? text : `${open}${text}${ESC}0m`;
}
