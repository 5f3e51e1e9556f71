// Small predicates and walks over token lists, shared by the classifier, the
// COPY parser and the rewrite rules.
import type { Token } from './tokenizer.js';

export const isCode = (t: Token | undefined): boolean => t !== undefined && t.type !== 'space' && t.type !== 'comment';

export const isWord = (t: Token | undefined, ...words: string[]): boolean =>
  t !== undefined && t.type === 'word' && (words.length === 0 || words.includes(t.text.toUpperCase()));

export const isPunct = (t: Token | undefined, text: string): boolean => t !== undefined && t.type === 'punct' && t.text === text;

/** Index of the next code token at or after `from`, or -1. */
export function nextCode(tokens: Token[], from: number): number {
  for (let i = Math.max(from, 0); i < tokens.length; i++) if (isCode(tokens[i])) return i;
  return -1;
}

/** Index of the previous code token before `from`, or -1. */
export function previousCode(tokens: Token[], from: number): number {
  for (let i = from - 1; i >= 0; i--) if (isCode(tokens[i])) return i;
  return -1;
}

/** Index of the `)` that closes the `(` at `open`, or -1. */
export function closingParen(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    else if (isPunct(tokens[i], ')') && --depth === 0) return i;
  }
  return -1;
}

/** Index of the `(` that opens the group the `)` at `close` ends, or -1. */
export function openingParen(tokens: Token[], close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    if (isPunct(tokens[i], ')')) depth++;
    else if (isPunct(tokens[i], '(') && --depth === 0) return i;
  }
  return -1;
}

/** Index just past the parenthesised group that opens at `open` (the end of the statement when it is not closed). */
export function skipParens(tokens: Token[], open: number): number {
  const close = closingParen(tokens, open);
  return close === -1 ? tokens.length : close + 1;
}

/** Edits to a token list by index, applied in one pass so earlier indexes stay valid. */
export class TokenEdits {
  private readonly replaced = new Map<number, Token[]>();

  /** Removes tokens from..to-1. */
  drop(from: number, to: number): void {
    for (let i = from; i < to; i++) this.replaced.set(i, []);
  }

  /** Replaces tokens from..to-1 with `tokens`. */
  replace(from: number, to: number, tokens: Token[]): void {
    this.drop(from, to);
    this.replaced.set(from, tokens);
  }

  apply(tokens: Token[]): Token[] {
    if (this.replaced.size === 0) return tokens;
    return tokens.flatMap((t, i) => this.replaced.get(i) ?? [t]);
  }
}

/** Index after a (schema-qualified, possibly quoted) name that starts at `at`. */
export function skipName(tokens: Token[], at: number): number {
  let i = at;
  while (i < tokens.length && (tokens[i].type === 'word' || tokens[i].type === 'ident')) {
    i++;
    if (isPunct(tokens[i], '.')) i++;
    else break;
  }
  return i;
}
