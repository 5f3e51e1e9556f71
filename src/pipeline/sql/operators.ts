// Operators and literals Redshift reads differently from DuckDB: backslash
// escapes in string literals, SIMILAR TO with SQL-standard patterns, the POSIX
// `~` family (a match anywhere, not the whole string), LIKE's default `\`
// escape, `::VARCHAR(n)` cutting to n characters, APPROXIMATE aggregates, and
// `/` and `%` by zero, which are errors.
import { UnsupportedSqlError } from '../errors.js';
import { stringValue } from './calls.js';
import { quoteLiteral, untokenize, type Token } from './tokenizer.js';
import { closingParen, isCode, isPunct, isWord, nextCode, openingParen, previousCode } from './tokens.js';
const word = (text: string): Token => ({ type: 'word', text });
const lastCode = (tokens: Token[]) => tokens.findLastIndex(isCode);

/** `'a\\b'` is `a\b` on Redshift: a plain literal with a backslash becomes DuckDB's escape-string form. */
export function backslashLiterals(tokens: Token[]): Token[] {
  return tokens.map((t) => (t.type === 'string' && t.text.startsWith("'") && t.text.includes('\\') ? { type: 'string', text: `E${t.text}` } : t));
}

/** A SQL-standard SIMILAR TO pattern as an RE2 expression matched against the whole string. */
export function similarToRegex(pattern: string, escape = '\\'): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (escape && c === escape && i + 1 < pattern.length) {
      out += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '%') out += '.*';
    else if (c === '_') out += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      out += end === -1 ? '\\[' : pattern.slice(i, end + 1);
      if (end !== -1) i = end;
    } else if ('|*+?{}()'.includes(c)) out += c;
    else out += c.replace(/[.^$\\]/g, '\\$&');
  }
  return `^(?:${out})$`;
}

/** Start index of the operand that ends just before `end` (exclusive): a literal, a name, a call or a parenthesised group. */
function operandStart(out: Token[], end: number): number {
  let i = previousCode(out, end);
  if (isPunct(out[i], ')')) {
    i = openingParen(out, i);
    const before = i - 1;
    return out[before]?.type === 'word' ? before : i;
  }
  while (i > 0 && isPunct(out[i - 1], '.') && (out[i - 2]?.type === 'word' || out[i - 2]?.type === 'ident')) i -= 2;
  return i;
}

/**
 * End index (exclusive) of a call whose arguments end just before `end`: what
 * belongs to the call after them (WITHIN GROUP (...), IGNORE NULLS, FILTER
 * (...), OVER (...) or OVER name), so `1.0 / SUM(COUNT(*)) OVER ()` divides by the window.
 */
function callEnd(tokens: Token[], end: number): number {
  for (;;) {
    const at = nextCode(tokens, end);
    const next = nextCode(tokens, at + 1);
    if (isWord(tokens[at], 'IGNORE', 'RESPECT') && isWord(tokens[next], 'NULLS')) end = next + 1;
    else if (isWord(tokens[at], 'WITHIN') && isWord(tokens[next], 'GROUP') && isPunct(tokens[nextCode(tokens, next + 1)], '(')) end = closingParen(tokens, nextCode(tokens, next + 1)) + 1;
    else if (isWord(tokens[at], 'FILTER', 'OVER') && isPunct(tokens[next], '(')) end = closingParen(tokens, next) + 1;
    else if (isWord(tokens[at], 'OVER') && (tokens[next]?.type === 'word' || tokens[next]?.type === 'ident')) end = next + 1;
    else break;
    if (end === 0) return tokens.length;
  }
  const cast = nextCode(tokens, end);
  return isPunct(tokens[cast], '::') ? operandEnd(tokens, cast + 1) : end;
}

/** End index (exclusive) of the operand that starts at the next code token from `from`. */
function operandEnd(tokens: Token[], from: number): number {
  let i = nextCode(tokens, from);
  if (i === -1) return tokens.length;
  if (isPunct(tokens[i], '-') || isPunct(tokens[i], '+')) i = nextCode(tokens, i + 1);
  if (isPunct(tokens[i], '(')) return closingParen(tokens, i) + 1;
  if (tokens[i]?.type === 'word' && isPunct(tokens[nextCode(tokens, i + 1)], '(')) return callEnd(tokens, closingParen(tokens, nextCode(tokens, i + 1)) + 1);
  let j = i + 1;
  while (isPunct(tokens[j], '.') && (tokens[j + 1]?.type === 'word' || tokens[j + 1]?.type === 'ident')) j += 2;
  if (isPunct(tokens[j], '::')) return operandEnd(tokens, j + 1);
  return j;
}

/** Rewrites the operators of this file; runs before the function calls are rewritten. */
export function rewriteOperators(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    // Redshift takes Oracle's outer-join marker and hierarchical queries; DuckDB has neither.
    if (isPunct(t, '(') && isPunct(tokens[nextCode(tokens, k + 1)], '+') && isPunct(tokens[nextCode(tokens, nextCode(tokens, k + 1) + 1)], ')')) {
      throw new UnsupportedSqlError('the outer join operator (+): write LEFT JOIN ... ON instead');
    }
    if (isWord(t, 'CONNECT') && isWord(tokens[nextCode(tokens, k + 1)], 'BY')) throw new UnsupportedSqlError('CONNECT BY (hierarchical queries)');
    // n * INTERVAL '1 millisecond': DuckDB multiplies an interval by a 32-bit integer only, so epoch
    // milliseconds (ts * INTERVAL '1 millisecond') overflow; by a double it takes any BIGINT.
    if (isWord(t, 'INTERVAL') && isPunct(out[lastCode(out)], '*') && tokens[nextCode(tokens, k + 1)]?.type === 'string') {
      out.push(word('CAST(1 AS DOUBLE) * '));
    }
    // [NOT] SIMILAR TO 'pattern' [ESCAPE 'c']
    if (isWord(t, 'SIMILAR') && isWord(tokens[nextCode(tokens, k + 1)], 'TO')) {
      const patternAt = nextCode(tokens, nextCode(tokens, k + 1) + 1);
      const pattern = stringValue(tokens[patternAt]);
      if (pattern === undefined) throw new UnsupportedSqlError('SIMILAR TO with a pattern that is not a literal');
      let end = patternAt + 1;
      let escape = '\\';
      const escapeAt = nextCode(tokens, end);
      if (isWord(tokens[escapeAt], 'ESCAPE')) {
        escape = stringValue(tokens[nextCode(tokens, escapeAt + 1)]) ?? '\\';
        end = nextCode(tokens, escapeAt + 1) + 1;
      }
      const before = lastCode(out);
      const negate = isWord(out[before], 'NOT');
      const operandEnd = negate ? before : out.length;
      const start = operandStart(out, operandEnd);
      const operand = out.slice(start, operandEnd);
      out.splice(start);
      out.push(word(`${negate ? 'NOT ' : ''}regexp_full_match(`), ...operand, word(`, ${quoteLiteral(similarToRegex(pattern, escape))})`));
      k = end - 1;
      continue;
    }
    // a ~ b, a ~* b, a !~ b, a !~* b: a match anywhere in the string, as in PostgreSQL.
    if (isPunct(t, '~') || (isPunct(t, '!') && isPunct(tokens[k + 1], '~'))) {
      const negate = isPunct(t, '!');
      let at = negate ? k + 2 : k + 1;
      const insensitive = isPunct(tokens[at], '*');
      if (insensitive) at++;
      const end = operandEnd(tokens, at);
      const left = out.splice(operandStart(out, out.length));
      out.push(word(`${negate ? 'NOT ' : ''}regexp_matches(`), ...left, word(', '), ...tokens.slice(at, end), word(insensitive ? ", 'i')" : ')'));
      k = end - 1;
      continue;
    }
    // LIKE 'a\\_b' escapes with `\` by default, as in PostgreSQL.
    if (isWord(t, 'LIKE', 'ILIKE')) {
      const patternAt = nextCode(tokens, k + 1);
      const pattern = tokens[patternAt];
      if (pattern?.type === 'string' && pattern.text.includes('\\') && !isWord(tokens[nextCode(tokens, patternAt + 1)], 'ESCAPE')) {
        out.push(...tokens.slice(k, patternAt + 1), word(" ESCAPE '\\'"));
        k = patternAt;
        continue;
      }
    }
    // value::VARCHAR(n) keeps the first n characters, as an explicit cast does on Redshift.
    if (isPunct(t, '::') && isWord(tokens[nextCode(tokens, k + 1)], 'VARCHAR', 'CHAR', 'CHARACTER', 'NVARCHAR', 'BPCHAR')) {
      const typeAt = nextCode(tokens, k + 1);
      let open = nextCode(tokens, typeAt + 1);
      if (isWord(tokens[open], 'VARYING')) open = nextCode(tokens, open + 1);
      const length = tokens[nextCode(tokens, open + 1)];
      const close = nextCode(tokens, nextCode(tokens, open + 1) + 1);
      if (isPunct(tokens[open], '(') && length?.type === 'number' && isPunct(tokens[close], ')')) {
        const operand = out.splice(operandStart(out, out.length));
        out.push(word('left(CAST('), ...operand, word(` AS VARCHAR), ${length.text})`));
        k = close;
        continue;
      }
    }
    // APPROXIMATE COUNT(DISTINCT x), APPROXIMATE PERCENTILE_DISC: the exact answer, which the approximation estimates.
    if (isWord(t, 'APPROXIMATE') && isWord(tokens[nextCode(tokens, k + 1)], 'COUNT', 'PERCENTILE_DISC')) {
      k = nextCode(tokens, k + 1) - 1;
      continue;
    }
    // x / 0 and x % 0 are errors on Redshift, NULL on DuckDB.
    if ((isPunct(t, '/') || isPunct(t, '%')) && out.some(isCode)) {
      const end = operandEnd(tokens, k + 1);
      const divisor = untokenize(tokens.slice(k + 1, end)).trim();
      if (divisor !== '' && !/^[1-9][0-9.]*$/.test(divisor)) {
        out.push(t, word(' sparkify_nonzero('), ...tokens.slice(k + 1, end), word(')'));
        k = end - 1;
        continue;
      }
    }
    out.push(t);
  }
  return out;
}

export const OPERATOR_MACROS = ["CREATE OR REPLACE TEMP MACRO sparkify_nonzero(d) AS CASE WHEN d = 0 THEN error('division by zero') ELSE d END"];
