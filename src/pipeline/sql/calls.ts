// Function-call rules on tokens: a rule names the Redshift functions it
// rewrites and turns one call (its arguments already rewritten, and what
// follows the call: WITHIN GROUP, IGNORE NULLS, OVER) into DuckDB SQL.
import { untokenize, unquote, type Token } from './tokenizer.js';
import { closingParen, isCode, isPunct, isWord, nextCode } from './tokens.js';
import { REDSHIFT_CALL_NAMES } from './result-names.js';

export type FunctionKind = 'scalar' | 'aggregate' | 'window';

/** One call as written: its name, its arguments (rewritten text and raw tokens), and the tokens after `)`. */
export interface Call {
  name: string;
  args: string[];
  raw: Token[][];
  /** Code and space tokens after the closing parenthesis, to the end of the statement. */
  rest: Token[];
}

/** What a rule makes of a call: the replacement text and how many tokens of `rest` it took. */
export interface Replacement {
  text: string;
  consumed?: number;
}

export interface CallRule {
  /** Upper-case Redshift function names this rule rewrites. */
  names: string[];
  kind: FunctionKind;
  /** A short Redshift signature, for completion and the docs. */
  signature: string;
  /** Rewrites a call; returns undefined to leave it to DuckDB as written. */
  apply(call: Call): Replacement | string | undefined;
}

export { isPunct, isWord, nextCode };

/** Splits tokens on commas outside parentheses. */
export function splitArgs(tokens: Token[]): Token[][] {
  const args: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (isPunct(t, '(')) depth++;
    if (isPunct(t, ')')) depth--;
    if (depth === 0 && isPunct(t, ',')) args.push([]);
    else args.at(-1)!.push(t);
  }
  return args.length === 1 && !args[0].some(isCode) ? [] : args;
}

/** The value of a string literal token ('...' or E'...' with its backslash escapes read), else undefined. */
export function stringValue(t: Token | undefined): string | undefined {
  if (t?.type !== 'string') return undefined;
  if (t.text.startsWith("'")) return unquote(t.text);
  return unquote(t.text.slice(1)).replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

/** The value of an argument that is a single string literal, else undefined. */
export function literalArg(raw: Token[] | undefined): string | undefined {
  const code = raw?.filter(isCode) ?? [];
  return code.length === 1 ? stringValue(code[0]) : undefined;
}

/** The value of an argument that is a single bare word (a date part written unquoted), else undefined. */
export function wordArg(raw: Token[] | undefined): string | undefined {
  const code = raw?.filter(isCode) ?? [];
  return code.length === 1 && code[0].type === 'word' ? code[0].text : undefined;
}

/** The value of an argument that is a plain number, else undefined. */
export function numberArg(raw: Token[] | undefined): number | undefined {
  const text = untokenize(raw?.filter(isCode) ?? []);
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
}

/** Matches the words in order at the start of `rest` (skipping space); returns the index after them, or -1. */
export function matchWords(rest: Token[], words: string[], from = 0): number {
  let i = from;
  for (const word of words) {
    i = nextCode(rest, i);
    if (i === -1 || !isWord(rest[i], word)) return -1;
    i++;
  }
  return i;
}

/** A parenthesised group starting at the next code token of `rest` from `from`: its inner tokens and the index after it. */
export function parenGroup(rest: Token[], from: number): { inner: Token[]; end: number } | undefined {
  const open = nextCode(rest, from);
  if (!isPunct(rest[open], '(')) return undefined;
  const close = closingParen(rest, open);
  if (close === -1) return undefined;
  return { inner: rest.slice(open + 1, close), end: close + 1 };
}


/** Whether the call that starts at `out`'s end is a whole item of the outermost SELECT list. */
function startsSelectItem(out: Token[]): boolean {
  let depth = 0;
  let inList = false;
  for (const t of out) {
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    else if (depth === 0 && isWord(t, 'SELECT')) inList = true;
    else if (depth === 0 && isWord(t, 'FROM', 'INTO', 'WHERE', 'UNION', 'EXCEPT', 'INTERSECT')) inList = false;
  }
  const before = lastCode(out);
  return depth === 0 && inList && (isWord(before, 'SELECT', 'DISTINCT', 'ALL') || isPunct(before, ','));
}

/** The last code token of `out`, looked for from its end: a statement's every word asks, so a scan of the whole of `out` would cost its length squared. */
function lastCode(out: Token[]): Token | undefined {
  for (let i = out.length - 1; i >= 0; i--) if (isCode(out[i])) return out[i];
  return undefined;
}

/** Whether the item ends right after the call (no operator, no alias of its own). */
function endsSelectItem(tokens: Token[], from: number): boolean {
  const next = tokens[nextCode(tokens, from)];
  return next === undefined || isPunct(next, ',') || isPunct(next, ';') || isWord(next, 'FROM', 'INTO', 'UNION', 'EXCEPT', 'INTERSECT', 'ORDER', 'LIMIT');
}

/**
 * Rewrites every call a rule knows, innermost arguments first. A rewritten call
 * that is a whole item of the outermost SELECT list keeps the column name
 * Redshift gives it (`date_add`, `to_char`), not DuckDB's text of the expression.
 */
export function rewriteCalls(tokens: Token[], rules: ReadonlyMap<string, CallRule>, nested = false): Token[] {
  const out: Token[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    const rule = t.type === 'word' && !isPunct(lastCode(out), '.') ? rules.get(t.text.toUpperCase()) : undefined;
    const open = rule ? nextCode(tokens, k + 1) : -1;
    if (!rule || !isPunct(tokens[open], '(')) {
      out.push(t);
      continue;
    }
    const close = closingParen(tokens, open);
    if (close === -1) {
      out.push(t);
      continue;
    }
    const raw = splitArgs(tokens.slice(open + 1, close)).map((arg) => rewriteCalls(arg, rules, true));
    // The rest of the statement is copied only for the few rules that read it (a CAST per row of a long VALUES list would copy it each time).
    const call: Call = {
      name: t.text.toUpperCase(),
      args: raw.map((arg) => untokenize(arg).trim()),
      raw,
      get rest() {
        return tokens.slice(close + 1);
      },
    };
    const result = rule.apply(call);
    if (result === undefined) {
      out.push(t, ...tokens.slice(k + 1, open + 1));
      raw.forEach((arg, i) => out.push(...(i > 0 ? [{ type: 'punct', text: ',' } as Token] : []), ...arg));
      out.push(tokens[close]);
      k = close;
      continue;
    }
    const replacement = typeof result === 'string' ? { text: result } : result;
    const end = close + (replacement.consumed ?? 0);
    const named = !nested && startsSelectItem(out) && endsSelectItem(tokens, end + 1);
    const name = REDSHIFT_CALL_NAMES[call.name] ?? call.name.toLowerCase();
    out.push({ type: 'word', text: named ? `${replacement.text} AS ${name}` : replacement.text });
    k = end;
  }
  return out;
}
