// What the SQL prompt draws of a draft, read on our own tokens: the kind of
// each stretch of text (keyword, function, string, number, comment, name,
// operator), the bracket that matches the one at the cursor, and brackets and
// quotes left open.
import { positionedTokens, isUnclosed, type PositionedToken } from './cursor-word.js';
import { SUPPORTED_FUNCTIONS } from './functions.js';
import { isKeyword } from './keywords.js';
import { isCode } from './tokens.js';

export type HighlightKind = 'keyword' | 'function' | 'string' | 'number' | 'comment' | 'identifier' | 'operator' | 'plain';

export interface HighlightSpan {
  start: number;
  end: number;
  kind: HighlightKind;
}

const FUNCTION_NAMES: ReadonlySet<string> = new Set(SUPPORTED_FUNCTIONS.map((f) => f.name));
const BRACKETS: Record<string, string> = { '(': ')', '[': ']' };
const CLOSERS = new Set(Object.values(BRACKETS));

export interface DraftMarks {
  /** Spans in text order; white space is left out. */
  spans: HighlightSpan[];
  /** Offset of each bracket to the one that matches it. */
  pairs: Map<number, number>;
  /** Offsets of brackets without a partner and of quotes (or comment starts) never closed. */
  unclosed: number[];
  /** The same, in text order, each with what opens it: `(`, `'`, `"`, `E'`, `$tag$`, `/*` (a stray closer is itself). */
  left: LeftOpen[];
}

export interface LeftOpen {
  at: number;
  opener: string;
}

/** What opens a string, quoted name or comment token: its quote with any prefix (E', $tag$), or `/*`. */
function openerOf(token: PositionedToken): string {
  if (token.type === 'comment') return '/*';
  if (token.text.startsWith('$')) return token.text.slice(0, token.text.indexOf('$', 1) + 1);
  const quote = token.text.search(/['"]/);
  return token.text.slice(0, quote + 1);
}

/** Reads a draft for drawing. */
export function markDraft(text: string): DraftMarks {
  const tokens = positionedTokens(text);
  const spans: HighlightSpan[] = [];
  const pairs = new Map<number, number>();
  const left: LeftOpen[] = [];
  const open: PositionedToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === 'space') continue;
    spans.push({ start: token.start, end: token.end, kind: kindOf(tokens, i) });
    if (isUnclosed(token)) left.push({ at: token.start, opener: openerOf(token) });
    if (token.type !== 'punct') continue;
    if (BRACKETS[token.text]) open.push(token);
    else if (CLOSERS.has(token.text)) {
      const opener = open.at(-1);
      if (opener && BRACKETS[opener.text] === token.text) {
        open.pop();
        pairs.set(opener.start, token.start);
        pairs.set(token.start, opener.start);
      } else left.push({ at: token.start, opener: token.text });
    }
  }
  for (const opener of open) left.push({ at: opener.start, opener: opener.text });
  left.sort((a, b) => a.at - b.at);
  return { spans, pairs, unclosed: left.map((mark) => mark.at), left };
}

/** The bracket at the cursor (under it, else just before it) and its partner, if it has one. */
export function matchingBracket(marks: DraftMarks, cursor: number): [number, number] | undefined {
  for (const at of [cursor, cursor - 1]) {
    const partner = marks.pairs.get(at);
    if (partner !== undefined) return [at, partner];
  }
  return undefined;
}

function kindOf(tokens: PositionedToken[], i: number): HighlightKind {
  const token = tokens[i];
  switch (token.type) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'comment':
      return 'comment';
    case 'ident':
      return 'identifier';
    case 'punct':
      return BRACKETS[token.text] || CLOSERS.has(token.text) || token.text === ',' || token.text === '.' || token.text === ';' ? 'plain' : 'operator';
    case 'word': {
      const upper = token.text.toUpperCase();
      let next = i + 1;
      while (next < tokens.length && !isCode(tokens[next])) next++;
      if (FUNCTION_NAMES.has(upper) && tokens[next]?.text === '(') return 'function';
      return isKeyword(upper) ? 'keyword' : 'identifier';
    }
    default:
      return 'plain';
  }
}
