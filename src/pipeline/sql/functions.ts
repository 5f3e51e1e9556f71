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
];

/** Every Redshift function the local engine runs, for completion and the README. */
export const SUPPORTED_FUNCTIONS: readonly SupportedFunction[] = [
  ...RULES.flatMap((rule) => rule.names.map((name) => ({ name, kind: rule.kind, signature: rule.signature }))),
  ...SAME_ON_BOTH.filter(([name]) => !RULES_BY_NAME.has(name)).map(([name, kind, signature]) => ({ name, kind, signature })),
].sort((a, b) => a.name.localeCompare(b.name));

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
      const before = out.slice(0, k).findLast((x) => x.type !== 'space' && x.type !== 'comment');
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
  does: 'SIMILAR TO with SQL-standard patterns, ~ as a match anywhere, LIKE escaping with \\, APPROXIMATE aggregates exact, division or modulo by zero an error',
  apply: rewriteOperators,
};

export const functionsRule: RewriteRule = {
  name: 'functions',
  does: 'Redshift function calls by family (dates, formats, strings, conditionals, aggregates and windows, JSON) as DuckDB expressions or session macros',
  apply: (tokens) => rewriteCalls(tokens, RULES_BY_NAME),
};
