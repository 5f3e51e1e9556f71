// What the SQL prompt reads of a draft around the cursor, on tokens: the name
// being typed (with its qualifier), the word before it, and the tables the
// statement names with their aliases. Inside a string or a comment there is
// no name to complete.
import { isKeyword } from './keywords.js';
import { tokenize, type Token } from './tokenizer.js';
import { isCode, isPunct, isWord } from './tokens.js';

export interface PositionedToken extends Token {
  start: number;
  end: number;
}

/** Tokens with their offsets in the text. */
export function positionedTokens(text: string): PositionedToken[] {
  let at = 0;
  // Built field by field: a spread of each token costs more than the lexing.
  return tokenize(text).map(({ type, text: part }) => {
    const start = at;
    at += part.length;
    return { type, text: part, start, end: at };
  });
}

/** A string, quoted name or block comment that runs to the end of the text without its closing mark. */
export function isUnclosed(token: Token): boolean {
  if (token.type !== 'string' && token.type !== 'ident' && !(token.type === 'comment' && token.text.startsWith('/*'))) return false;
  // Closed, the token ends where it did; open, it takes in what comes after it.
  return tokenize(`${token.text}\n`)[0].text !== token.text;
}

export interface WordAtCursor {
  /** Offsets of the name part being completed (after its last dot): the whole word, also past the cursor. */
  start: number;
  end: number;
  /** What is typed of it before the cursor, quotes taken off. */
  partial: string;
  /** The parts before it, quotes taken off: ['analytics'] for `analytics.d_`. */
  qualifier: string[];
  /** The code word before the whole name, lower-cased. */
  previousWord?: string;
}

export function unquoteName(text: string): string {
  if (!text.startsWith('"')) return text;
  const body = text.endsWith('"') && text.length >= 2 ? text.slice(1, -1) : text.slice(1);
  return body.replace(/""/g, '"');
}

const isName = (t: Token | undefined): boolean => t !== undefined && (t.type === 'word' || t.type === 'ident');

/** The name at the cursor, or undefined inside a string, a comment or a number. */
export function wordAtCursor(text: string, cursor: number): WordAtCursor | undefined {
  const tokens = positionedTokens(text);
  const index = tokens.findIndex((t) => t.start < cursor && cursor <= t.end);
  const token = tokens[index];
  if (token) {
    if (token.type === 'comment' && (cursor < token.end || token.text.startsWith('--') || isUnclosed(token))) return undefined;
    if (token.type === 'string' && (cursor < token.end || isUnclosed(token))) return undefined;
    if (token.type === 'number') return undefined;
  }
  let nameIndex = index;
  let start = cursor;
  let end = cursor;
  let partial = '';
  if (isName(token)) {
    start = token.start;
    end = token.end;
    partial = unquoteName(text.slice(token.start, cursor));
  } else {
    nameIndex = index + 1;
  }
  const qualifier: string[] = [];
  let at = nameIndex - 1;
  while (isPunct(tokens[at], '.') && isName(tokens[at - 1])) {
    qualifier.unshift(unquoteName(tokens[at - 1].text));
    at -= 2;
  }
  let before = at;
  while (before >= 0 && !isCode(tokens[before])) before--;
  const previous = tokens[before];
  return { start, end, partial, qualifier, previousWord: previous?.type === 'word' ? previous.text.toLowerCase() : undefined };
}

export interface TableReference {
  /** The name as written, quotes taken off: ['analytics', 'd_users'] or ['d_users']. */
  parts: string[];
  alias?: string;
}

/** Tables after FROM (a comma list) and JOIN, each with its alias if it has one. */
export function tableReferences(text: string): TableReference[] {
  const code = tokenize(text).filter(isCode);
  const references: TableReference[] = [];
  for (let i = 0; i < code.length; i++) {
    if (!isWord(code[i], 'FROM', 'JOIN')) continue;
    let at = i + 1;
    for (;;) {
      if (!isName(code[at]) || (code[at].type === 'word' && isKeyword(code[at].text))) break;
      const parts = [unquoteName(code[at].text)];
      at++;
      while (isPunct(code[at], '.') && isName(code[at + 1])) {
        parts.push(unquoteName(code[at + 1].text));
        at += 2;
      }
      if (isWord(code[at], 'AS')) at++;
      let alias: string | undefined;
      if (isName(code[at]) && !(code[at].type === 'word' && isKeyword(code[at].text))) alias = unquoteName(code[at++].text);
      references.push({ parts, alias });
      if (!isPunct(code[at], ',') || isWord(code[i], 'JOIN')) break;
      at++;
    }
  }
  return references;
}
