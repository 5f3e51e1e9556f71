// The Redshift functions the local engine runs: every family's call rules and
// session macros in one list, the token passes that come before the calls
// (typed date literals), and the catalogue completion reads.
import { rewriteCalls, type CallRule, type FunctionKind } from './calls.js';
import { normalizeDateTimeLiteral } from './datetime-literals.js';
import { DATETIME_MACROS, DATETIME_RULES } from './functions-datetime.js';
import { FORMAT_MACROS, FORMAT_RULES } from './functions-formats.js';
import { STRING_MACROS, STRING_RULES } from './functions-strings.js';
import { CONDITIONAL_RULES } from './functions-conditional.js';
import { AGGREGATE_MACROS, AGGREGATE_RULES } from './functions-aggregates.js';
import { backslashLiterals, OPERATOR_MACROS, rewriteOperators } from './operators.js';
import { quoteLiteral, unquote, type Token } from './tokenizer.js';
import { isPunct, isWord, nextCode, previousCode, skipName } from './tokens.js';
import { fromItemStarts } from './from-items.js';
import { SqlError } from '../errors.js';
import type { RewriteRule } from './rules/rule.js';

const RULES: CallRule[] = [...DATETIME_RULES, ...FORMAT_RULES, ...STRING_RULES, ...CONDITIONAL_RULES, ...AGGREGATE_RULES];

const RULES_BY_NAME: ReadonlyMap<string, CallRule> = new Map(RULES.flatMap((rule) => rule.names.map((name) => [name, rule] as const)));

/** Statements each local connection runs first: the macros the rules call. */
export const FUNCTION_MACROS: readonly string[] = [...DATETIME_MACROS, ...FORMAT_MACROS, ...STRING_MACROS, ...AGGREGATE_MACROS, ...OPERATOR_MACROS];

export interface SupportedFunction {
  name: string;
  kind: FunctionKind;
  signature: string;
}

/** DuckDB functions that Redshift has under the same name and meaning, so no rule is needed. */
const SAME_ON_BOTH: [string, FunctionKind, string][] = [
  ['ABS', 'scalar', 'ABS(number)'], ['ACOS', 'scalar', 'ACOS(number)'], ['ASIN', 'scalar', 'ASIN(number)'],
  ['ATAN', 'scalar', 'ATAN(number)'], ['ATAN2', 'scalar', 'ATAN2(y, x)'], ['CBRT', 'scalar', 'CBRT(number)'],
  ['CEILING', 'scalar', 'CEILING(number)'], ['CEIL', 'scalar', 'CEIL(number)'], ['COS', 'scalar', 'COS(number)'],
  ['COT', 'scalar', 'COT(number)'], ['DEGREES', 'scalar', 'DEGREES(number)'], ['EXP', 'scalar', 'EXP(number)'],
  ['FLOOR', 'scalar', 'FLOOR(number)'], ['LN', 'scalar', 'LN(number)'], ['LOG', 'scalar', 'LOG(number)'],
  ['MOD', 'scalar', 'MOD(number, number)'], ['PI', 'scalar', 'PI()'], ['POWER', 'scalar', 'POWER(number, number)'],
  ['RADIANS', 'scalar', 'RADIANS(number)'], ['RANDOM', 'scalar', 'RANDOM()'], ['ROUND', 'scalar', 'ROUND(number [, digits])'],
  ['SIGN', 'scalar', 'SIGN(number)'], ['SIN', 'scalar', 'SIN(number)'], ['SQRT', 'scalar', 'SQRT(number)'], ['TAN', 'scalar', 'TAN(number)'],
  ['COALESCE', 'scalar', 'COALESCE(value, ...)'], ['NULLIF', 'scalar', 'NULLIF(a, b)'], ['GREATEST', 'scalar', 'GREATEST(value, ...)'],
  ['LEAST', 'scalar', 'LEAST(value, ...)'], ['LOWER', 'scalar', 'LOWER(string)'],
  ['UPPER', 'scalar', 'UPPER(string)'], ['LENGTH', 'scalar', 'LENGTH(string)'], ['LEFT', 'scalar', 'LEFT(string, n)'],
  ['RIGHT', 'scalar', 'RIGHT(string, n)'], ['REPLACE', 'scalar', 'REPLACE(string, from, to)'], ['REVERSE', 'scalar', 'REVERSE(string)'],
  ['STRPOS', 'scalar', 'STRPOS(string, substring)'], ['POSITION', 'scalar', 'POSITION(substring IN string)'],
  ['TRANSLATE', 'scalar', 'TRANSLATE(string, from, to)'], ['SPLIT_PART', 'scalar', 'SPLIT_PART(string, delimiter, part)'],
  ['TRIM', 'scalar', "TRIM([BOTH] ['chars' FROM] string)"], ['ASCII', 'scalar', 'ASCII(string)'], ['CHR', 'scalar', 'CHR(code)'],
  ['MD5', 'scalar', 'MD5(string)'], ['CURRENT_DATE', 'scalar', 'CURRENT_DATE'], ['CAST', 'scalar', 'CAST(value AS type)'],
  ['COUNT', 'aggregate', 'COUNT([DISTINCT] expr)'], ['SUM', 'aggregate', 'SUM(expr)'], ['MIN', 'aggregate', 'MIN(expr)'],
  ['MAX', 'aggregate', 'MAX(expr)'], ['STDDEV', 'aggregate', 'STDDEV(expr)'], ['VARIANCE', 'aggregate', 'VARIANCE(expr)'],
  ['BOOL_AND', 'aggregate', 'BOOL_AND(expr)'], ['BOOL_OR', 'aggregate', 'BOOL_OR(expr)'],
  ['ROW_NUMBER', 'window', 'ROW_NUMBER() OVER (...)'], ['RANK', 'window', 'RANK() OVER (...)'], ['DENSE_RANK', 'window', 'DENSE_RANK() OVER (...)'],
  ['PERCENT_RANK', 'window', 'PERCENT_RANK() OVER (...)'], ['CUME_DIST', 'window', 'CUME_DIST() OVER (...)'], ['NTILE', 'window', 'NTILE(n) OVER (...)'],
  ['LAG', 'window', 'LAG(expr [, offset]) OVER (...)'], ['LEAD', 'window', 'LEAD(expr [, offset]) OVER (...)'],
  ['FIRST_VALUE', 'window', 'FIRST_VALUE(expr) [IGNORE NULLS] OVER (...)'], ['LAST_VALUE', 'window', 'LAST_VALUE(expr) [IGNORE NULLS] OVER (...)'],
  ['GETDATE', 'scalar', 'GETDATE()'], ['MEDIAN', 'aggregate', 'MEDIAN(expr)'], ['STDDEV_SAMP', 'aggregate', 'STDDEV_SAMP(expr)'],
  ['STDDEV_POP', 'aggregate', 'STDDEV_POP(expr)'], ['VAR_SAMP', 'aggregate', 'VAR_SAMP(expr)'], ['VAR_POP', 'aggregate', 'VAR_POP(expr)'],
  ['BIT_AND', 'aggregate', 'BIT_AND(expr)'], ['BIT_OR', 'aggregate', 'BIT_OR(expr)'], ['CHAR_LENGTH', 'scalar', 'CHAR_LENGTH(string)'],
  ['CHARACTER_LENGTH', 'scalar', 'CHARACTER_LENGTH(string)'], ['VERSION', 'scalar', 'VERSION()'],
  ['CURRENT_SCHEMA', 'scalar', 'CURRENT_SCHEMA()'], ['CURRENT_DATABASE', 'scalar', 'CURRENT_DATABASE()'],
  ['CURRENT_SETTING', 'scalar', "CURRENT_SETTING('parameter')"],
];

/** Every Redshift function the local engine runs, for completion and the README. */
export const SUPPORTED_FUNCTIONS: readonly SupportedFunction[] = [
  ...RULES.flatMap((rule) => rule.names.map((name) => ({ name, kind: rule.kind, signature: rule.signature }))),
  ...SAME_ON_BOTH.filter(([name]) => !RULES_BY_NAME.has(name)).map(([name, kind, signature]) => ({ name, kind, signature })),
].sort((a, b) => a.name.localeCompare(b.name));

const SUPPORTED_NAMES: ReadonlySet<string> = new Set(SUPPORTED_FUNCTIONS.map((f) => f.name));

/** Words that take a parenthesis without being calls: a call is never one of them, nor right after them. */
const NOT_CALLS = new Set(['IN', 'EXISTS', 'VALUES', 'AS', 'ON', 'USING', 'ANY', 'ALL', 'SOME', 'OVER', 'FILTER', 'WITHIN', 'AND', 'OR', 'NOT']);
const NAMES_FOLLOW = new Set(['INTO', 'TABLE', 'REFERENCES', 'VIEW', 'KEY', 'DISTKEY', 'SORTKEY', 'SORTKEYS', 'UNIQUE', 'JOIN', 'UPDATE']);

/**
 * The names of the calls a statement makes that are not in the list of
 * Redshift functions the local engine runs (lower case). The connection
 * refuses those that DuckDB has and Redshift does not, as Redshift does.
 */
export function unlistedCalls(tokens: Token[]): string[] {
  const names = new Set<string>();
  const fromItems = new Set(fromItemStarts(tokens));
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.type !== 'word' || fromItems.has(k) || !isPunct(tokens[nextCode(tokens, k + 1)], '(')) continue;
    const upper = t.text.toUpperCase();
    if (SUPPORTED_NAMES.has(upper) || REDSHIFT_TABLE_FUNCTIONS.has(upper) || NOT_CALLS.has(upper)) continue;
    const beforeAt = previousCode(tokens, k);
    const before = tokens[beforeAt];
    if (isPunct(before, '.') || isPunct(before, ')') || (before?.type === 'word' && NAMES_FOLLOW.has(before.text.toUpperCase()))) continue;
    if (isWord(before, 'EXISTS') && isWord(tokens[previousCode(tokens, beforeAt)], 'NOT')) continue;
    names.add(t.text.toLowerCase());
  }
  return [...names];
}

/** The set-returning functions Redshift has (on its leader node) that the local engine runs as written. */
const REDSHIFT_TABLE_FUNCTIONS: ReadonlySet<string> = new Set(['GENERATE_SERIES']);

/**
 * The table functions a statement calls as FROM items that Redshift does not
 * have (lower case, as written); a file named as a FROM item, which DuckDB
 * reads and Redshift refuses, fails here as Redshift fails it.
 */
export function unlistedTableCalls(tokens: Token[], sql: string): string[] {
  const names = new Set<string>();
  for (const start of fromItemStarts(tokens)) {
    const t = tokens[start];
    if (t.type === 'string') {
      throw new SqlError(`syntax error at or near "${t.text}"`, {
        sql,
        hint: 'a FROM item is a table, a view or a subquery on Redshift, never a file; load files with COPY',
      });
    }
    const end = skipName(tokens, start);
    if (end === start || !isPunct(tokens[nextCode(tokens, end)], '(')) continue;
    const name = tokens[end - 1];
    if (!isWord(name) || REDSHIFT_TABLE_FUNCTIONS.has(name.text.toUpperCase())) continue;
    names.add(name.text.toLowerCase());
  }
  return [...names];
}

const TYPED_LITERALS: Record<string, 'date' | 'time' | 'timestamp' | 'timestamptz'> = {
  DATE: 'date', TIME: 'time', TIMESTAMP: 'timestamp', TIMESTAMPTZ: 'timestamptz', TIMETZ: 'time',
};

/** `TIMESTAMP '20200430 04:05:06'`, `DATE '12/24/2003'`: typed literals in the ISO form DuckDB reads. */
function normalizeTypedLiterals(tokens: Token[]): Token[] {
  const out = [...tokens];
  for (let k = 0; k < out.length; k++) {
    const t = out[k];
    // A date written month first, compared with a value: '12-31-2008' is 2008-12-31.
    if (t.type === 'string' && t.text.startsWith("'") && /^'\d{1,2}[-/]\d{1,2}[-/]\d{4}'$/.test(t.text)) {
      const before = out[previousCode(out, k)];
      if (before?.type === 'punct' && ['=', '<', '>', '<=', '>=', '<>', '!='].includes(before.text)) {
        out[k] = { type: 'string', text: quoteLiteral(normalizeDateTimeLiteral(unquote(t.text), 'date') ?? unquote(t.text)) };
      }
      continue;
    }
    // INTERVAL '3 hours, 35 minutes': DuckDB reads the parts without the commas.
    if (t.type === 'word' && t.text.toUpperCase() === 'INTERVAL') {
      const at = out.findIndex((x, i) => i > k && x.type !== 'space');
      const literal = out[at];
      if (literal?.type === 'string' && literal.text.includes(',')) out[at] = { type: 'string', text: literal.text.replace(/\s*,\s*/g, ' ') };
      continue;
    }
    if (t.type !== 'word' || !TYPED_LITERALS[t.text.toUpperCase()]) continue;
    let type = TYPED_LITERALS[t.text.toUpperCase()];
    let j = k + 1;
    while (out[j]?.type === 'space') j++;
    // TIMESTAMP WITH TIME ZONE '...'
    const words = out.slice(j, j + 6).filter((x) => x.type !== 'space').map((x) => x.text.toUpperCase());
    if (words[0] === 'WITH' && words[1] === 'TIME' && words[2] === 'ZONE') {
      type = 'timestamptz';
      let seen = 0;
      while (seen < 3) if (out[j++].type !== 'space') seen++;
      while (out[j]?.type === 'space') j++;
    }
    const literal = out[j];
    if (literal?.type !== 'string' || !literal.text.startsWith("'")) continue;
    const iso = normalizeDateTimeLiteral(unquote(literal.text), type);
    if (iso !== undefined) out[j] = { type: 'string', text: quoteLiteral(iso) };
  }
  return out;
}

export const literalsRule: RewriteRule = {
  name: 'literals',
  does: "string literals with backslashes read as Redshift reads them (E'...'); typed date and time literals in Redshift's forms (20200430, 12/24/2003, Jun 1,2008), and month-first dates compared with a value, in ISO form; interval literals with commas",
  apply: (tokens) => normalizeTypedLiterals(backslashLiterals(tokens)),
};

export const operatorsRule: RewriteRule = {
  name: 'operators',
  does: 'SIMILAR TO with SQL-standard patterns, n * INTERVAL with any BIGINT n, ~ as a match anywhere, LIKE escaping with \\, APPROXIMATE aggregates exact, division or modulo by zero an error',
  apply: rewriteOperators,
};

export const functionsRule: RewriteRule = {
  name: 'functions',
  does: 'Redshift function calls by family (dates, formats, strings, conditionals, aggregates and windows, JSON) as DuckDB expressions or session macros',
  apply: (tokens) => rewriteCalls(tokens, RULES_BY_NAME),
};

/**
 * An aggregate's FILTER (WHERE ...), which DuckDB runs and Redshift's
 * grammar lacks: Redshift reads FILTER as the column's alias and stops at the
 * parenthesis after it, so the statement fails here as it fails there.
 */
function refuseAggregateFilter(tokens: Token[], sql: string): void {
  for (let k = 0; k < tokens.length; k++) {
    if (!isWord(tokens[k], 'FILTER') || !isPunct(tokens[previousCode(tokens, k)], ')')) continue;
    const open = nextCode(tokens, k + 1);
    if (!isPunct(tokens[open], '(') || !isWord(tokens[nextCode(tokens, open + 1)], 'WHERE')) continue;
    throw new SqlError('syntax error at or near "("', {
      sql,
      hint: 'Redshift has no FILTER clause on aggregates: write the condition in a CASE, COUNT(CASE WHEN ... THEN 1 END) or SUM(CASE WHEN ... THEN x END)',
    });
  }
}

export const unlistedCallsRule: RewriteRule = {
  name: 'unlisted-calls',
  does: 'notes the calls, as written, to functions not in the list of Redshift functions the local engine runs, and the table functions Redshift lacks called as FROM items, for the connection to refuse the ones only DuckDB has; a file named as a FROM item and an aggregate FILTER (WHERE ...) fail as on Redshift',
  apply(tokens, context) {
    refuseAggregateFilter(tokens, context.sql);
    context.unlistedCalls.push(...unlistedCalls(tokens));
    context.unlistedTableCalls.push(...unlistedTableCalls(tokens, context.sql));
    return tokens;
  },
};
