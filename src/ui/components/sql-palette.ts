// The SQL draft's colours at each colour depth: named colours on a 16-colour
// terminal, xterm's 256, or 24-bit. No depth, no palette: the draft is drawn
// without a single escape code.
import type { HighlightKind } from '../../pipeline/sql/highlight.js';
import type { ColorDepth } from '../color.js';

export interface TextStyle {
  color?: string;
  backgroundColor?: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
}

/** A style per kind of text, the prompt, the bracket pair at the cursor and what is left open. */
export type SyntaxPalette = Record<HighlightKind | 'prompt' | 'match' | 'unclosed', TextStyle>;

const SIXTEEN: SyntaxPalette = {
  keyword: { color: 'blue', bold: true },
  function: { color: 'cyan' },
  string: { color: 'green' },
  number: { color: 'yellow' },
  comment: { color: 'gray', italic: true },
  identifier: {},
  operator: { color: 'magenta' },
  plain: {},
  prompt: { color: 'cyan' },
  match: { color: 'black', backgroundColor: 'cyan', bold: true },
  unclosed: { color: 'red', bold: true, underline: true },
};

const XTERM_256: SyntaxPalette = {
  keyword: { color: 'ansi256(75)', bold: true },
  function: { color: 'ansi256(80)' },
  string: { color: 'ansi256(114)' },
  number: { color: 'ansi256(179)' },
  comment: { color: 'ansi256(245)', italic: true },
  identifier: {},
  operator: { color: 'ansi256(176)' },
  plain: {},
  prompt: { color: 'ansi256(80)' },
  match: { backgroundColor: 'ansi256(24)', bold: true },
  unclosed: { color: 'ansi256(203)', bold: true, underline: true },
};

const TRUE_COLOR: SyntaxPalette = {
  keyword: { color: '#61afef', bold: true },
  function: { color: '#56b6c2' },
  string: { color: '#98c379' },
  number: { color: '#d19a66' },
  comment: { color: '#7f848e', italic: true },
  identifier: {},
  operator: { color: '#c678dd' },
  plain: {},
  prompt: { color: '#56b6c2' },
  match: { backgroundColor: '#3e5573', bold: true },
  unclosed: { color: '#e06c75', bold: true, underline: true },
};

export function syntaxPalette(depth: ColorDepth): SyntaxPalette | null {
  if (depth === 0) return null;
  return depth === 16 ? SIXTEEN : depth === 256 ? XTERM_256 : TRUE_COLOR;
}
