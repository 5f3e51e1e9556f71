// Where the parts of a CREATE TABLE sit in its tokens: the table name, each
// element of the column list, and the table attributes after it (up to the AS
// of a CREATE TABLE ... AS SELECT, whose query is never touched).
import type { Token } from '../tokenizer.js';
import { isCode, isPunct, isWord, nextCode, skipName, skipParens } from '../tokens.js';

export interface TableElement {
  /** Token range [start, end) of the element, without the comma after it. */
  start: number;
  end: number;
  /** Index of its first code token: the column name, or CONSTRAINT/PRIMARY/... */
  first: number;
}

export interface TableLayout {
  name: string;
  /** The column list's parentheses, or -1 when there is none (CTAS). */
  open: number;
  close: number;
  elements: TableElement[];
  /** Range [tailStart, tailEnd) holding the table attributes. */
  tailStart: number;
  tailEnd: number;
}

const TABLE_PREFIXES = ['OR', 'REPLACE', 'TEMP', 'TEMPORARY', 'LOCAL', 'GLOBAL', 'UNLOGGED'];

/** The layout of a CREATE TABLE statement, or undefined for any other statement. */
export function tableLayout(tokens: Token[]): TableLayout | undefined {
  let i = nextCode(tokens, 0);
  if (!isWord(tokens[i], 'CREATE')) return undefined;
  i = nextCode(tokens, i + 1);
  while (isWord(tokens[i], ...TABLE_PREFIXES)) i = nextCode(tokens, i + 1);
  if (!isWord(tokens[i], 'TABLE')) return undefined;
  i = nextCode(tokens, i + 1);
  if (isWord(tokens[i], 'IF')) {
    for (let k = 0; k < 3; k++) i = nextCode(tokens, i + 1);
  }
  if (i === -1) return undefined;
  const nameEnd = skipName(tokens, i);
  const name = tokens
    .slice(i, nameEnd)
    .map((t) => t.text)
    .join('');
  const afterName = nextCode(tokens, nameEnd);
  const layout: TableLayout = { name, open: -1, close: -1, elements: [], tailStart: nameEnd, tailEnd: tokens.length };
  if (isPunct(tokens[afterName], '(')) {
    layout.open = afterName;
    layout.close = skipParens(tokens, afterName) - 1;
    layout.tailStart = layout.close + 1;
    let start = afterName + 1;
    let depth = 0;
    for (let k = start; k <= layout.close; k++) {
      const t = tokens[k];
      if (isPunct(t, '(')) depth++;
      else if (isPunct(t, ')') && depth > 0) depth--;
      else if (depth === 0 && (isPunct(t, ',') || k === layout.close)) {
        const first = nextCode(tokens, start);
        if (first !== -1 && first < k) layout.elements.push({ start, end: k, first });
        start = k + 1;
      }
    }
  }
  for (let k = layout.tailStart; k < tokens.length; k++) {
    if (isPunct(tokens[k], '(')) k = skipParens(tokens, k) - 1;
    else if (isWord(tokens[k], 'AS')) {
      layout.tailEnd = k;
      break;
    }
  }
  return layout;
}

/** Code-token indexes of an element after its first token, at its own depth (not inside a type's parentheses). */
export function attributeIndexes(tokens: Token[], element: TableElement): number[] {
  const out: number[] = [];
  for (let k = element.first + 1; k < element.end; k++) {
    if (isPunct(tokens[k], '(')) {
      out.push(k);
      k = skipParens(tokens, k) - 1;
    } else if (isCode(tokens[k])) out.push(k);
  }
  return out;
}
