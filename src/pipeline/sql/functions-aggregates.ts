// Aggregates, window functions and JSON text functions: LISTAGG and
// PERCENTILE_CONT/DISC with WITHIN GROUP (as aggregates and over windows),
// RATIO_TO_REPORT, IGNORE NULLS after the call, AVG and SUM of integers
// typed and bounded as Redshift returns them, and the JSON_* functions on JSON text.
import { UnsupportedSqlError } from '../errors.js';
import { isWord, literalArg, matchWords, nextCode, parenGroup, type Call, type CallRule, type Replacement } from './calls.js';
import { quoteLiteral, untokenize } from './tokenizer.js';

/** `WITHIN GROUP (ORDER BY ...)` after the call: the ORDER BY text and the tokens it takes. */
function withinGroup(call: Call): { orderBy: string; consumed: number } | undefined {
  const at = matchWords(call.rest, ['WITHIN', 'GROUP']);
  const group = at === -1 ? undefined : parenGroup(call.rest, at);
  return group ? { orderBy: untokenize(group.inner).trim(), consumed: group.end } : undefined;
}

/** The argument without a leading DISTINCT, and whether it had one. */
function distinctArg(call: Call): { distinct: boolean; value: string } {
  const first = call.raw[0]?.[nextCode(call.raw[0], 0)];
  if (!isWord(first, 'DISTINCT')) return { distinct: false, value: call.args[0] };
  return { distinct: true, value: call.args[0].replace(/^DISTINCT\s+/i, '') };
}

function listagg(call: Call): Replacement {
  const { distinct, value } = distinctArg(call);
  const within = withinGroup(call);
  const delimiter = call.args[1] ?? "''";
  const item = `CAST(${value} AS VARCHAR)`;
  const order = within ? ` ${within.orderBy}` : '';
  if (!distinct) return { text: `string_agg(${item}, ${delimiter}${order})`, consumed: within?.consumed ?? 0 };
  // DISTINCT keeps each value's first place in the WITHIN GROUP order; a window goes inside the macro.
  const over = overClause({ ...call, rest: call.rest.slice(within?.consumed ?? 0) });
  const list = `list(${item}${order})${over ? ` ${over.text}` : ''}`;
  return { text: `sparkify_first_distinct(${list}, ${delimiter})`, consumed: (within?.consumed ?? 0) + (over?.consumed ?? 0) };
}

function percentile(fn: string) {
  return (call: Call): Replacement => {
    const within = withinGroup(call);
    if (!within) throw new UnsupportedSqlError(`${call.name} without WITHIN GROUP (ORDER BY ...)`);
    const match = within.orderBy.match(/^ORDER\s+BY\s+([\s\S]+?)(\s+(ASC|DESC))?$/i);
    if (!match || /,/.test(match[1])) throw new UnsupportedSqlError(`${call.name} ordered by more than one expression`);
    const fraction = match[3]?.toUpperCase() === 'DESC' ? `1 - (${call.args[0]})` : call.args[0];
    return { text: `${fn}(${match[1]}, ${fraction})`, consumed: within.consumed };
  };
}

/** The `OVER (...)` or `OVER name` after a call, as text, and the tokens it takes. */
function overClause(call: Call): { text: string; consumed: number } | undefined {
  const at = matchWords(call.rest, ['OVER']);
  if (at === -1) return undefined;
  const group = parenGroup(call.rest, at);
  if (group) return { text: `OVER (${untokenize(group.inner).trim()})`, consumed: group.end };
  const name = call.rest[nextCode(call.rest, at)];
  return name?.type === 'word' || name?.type === 'ident' ? { text: `OVER ${name.text}`, consumed: nextCode(call.rest, at) + 1 } : undefined;
}

/** `f(x) IGNORE NULLS OVER (...)` is `f(x IGNORE NULLS) OVER (...)` on DuckDB; RESPECT NULLS is the default. */
function nullsTreatment(call: Call): Replacement | undefined {
  for (const [words, inside] of [[['IGNORE', 'NULLS'], ' IGNORE NULLS'], [['RESPECT', 'NULLS'], '']] as const) {
    const at = matchWords(call.rest, [...words]);
    if (at !== -1) return { text: `${call.name.toLowerCase()}(${call.args.join(', ')}${inside})`, consumed: at };
  }
  return undefined;
}

function jsonPath(call: Call, keys: string[]): string {
  const literal = keys.map((_, i) => literalArg(call.raw[i + 1]));
  if (literal.every((k) => k !== undefined)) return quoteLiteral(`$${literal.map((k) => `."${k.replace(/"/g, '\\"')}"`).join('')}`);
  return `'$' || ${keys.map((k) => `'."' || ${k} || '"'`).join(' || ')}`;
}

/** A trailing `true` / `false` argument of the JSON functions: NULL instead of an error on invalid JSON. */
function nullIfInvalid(call: Call, min: number): { args: string[]; lenient: boolean } {
  const last = call.raw.at(-1);
  if (call.args.length > min && last && isWord(last[nextCode(last, 0)], 'TRUE', 'FALSE')) {
    return { args: call.args.slice(0, -1), lenient: isWord(last[nextCode(last, 0)], 'TRUE') };
  }
  return { args: call.args, lenient: false };
}

const guarded = (json: string, lenient: boolean, expr: string) => (lenient ? `(CASE WHEN json_valid(${json}) THEN ${expr} END)` : expr);
// DuckDB's reader forgives a trailing comma; Redshift's does not.
const validJsonOf = (kind: string) => (call: Call) =>
  `(CASE WHEN (${call.args[0]}) IS NULL THEN NULL WHEN json_valid(${call.args[0]}) AND NOT regexp_matches(${call.args[0]}, ',\\s*[\\]}]')
     THEN json_type(${call.args[0]}) = '${kind}' ELSE false END)`;

export const AGGREGATE_MACROS = [
  'CREATE OR REPLACE TEMP MACRO sparkify_first_distinct(l, d) AS array_to_string(list_filter(l, (v, i) -> list_position(l, v) = i), d)',
  // `//` divides integers as integers and other numbers as `/` does; the setup is parsed before its SET integer_division runs.
  'CREATE OR REPLACE TEMP MACRO sparkify_avg(total, n) AS total // n',
  // SUM of integers is a BIGINT on Redshift, and an error past its range; DuckDB sums them into a HUGEINT.
  `CREATE OR REPLACE TEMP MACRO sparkify_sum(result, sample) AS
     CASE WHEN typeof(sample) IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT')
       AND NOT (result BETWEEN -9223372036854775808 AND 9223372036854775807) THEN error('Numeric data overflow (addition)') ELSE result END`,
];

export const AGGREGATE_RULES: CallRule[] = [
  { names: ['LISTAGG'], kind: 'aggregate', signature: "LISTAGG([DISTINCT] expr [, 'delimiter']) [WITHIN GROUP (ORDER BY ...)] [OVER (...)]", apply: listagg },
  { names: ['PERCENTILE_CONT'], kind: 'aggregate', signature: 'PERCENTILE_CONT(fraction) WITHIN GROUP (ORDER BY expr) [OVER (...)]', apply: percentile('quantile_cont') },
  { names: ['PERCENTILE_DISC'], kind: 'aggregate', signature: 'PERCENTILE_DISC(fraction) WITHIN GROUP (ORDER BY expr) [OVER (...)]', apply: percentile('quantile_disc') },
  {
    // AVG of integers is an integer on Redshift (the sum divided by the count, truncated), of other types
    // the type's own quotient: with integer division on, SUM / COUNT gives either.
    names: ['AVG'], kind: 'aggregate', signature: 'AVG([DISTINCT] expr) [OVER (...)]',
    apply: (call) => {
      const over = overClause(call);
      const window = over ? ` ${over.text}` : '';
      return { text: `sparkify_avg(sum(${call.args[0]})${window}, count(${call.args[0]})${window})`, consumed: over?.consumed ?? 0 };
    },
  },
  {
    names: ['SUM'], kind: 'aggregate', signature: 'SUM([DISTINCT] expr) [OVER (...)]',
    apply: (call) => {
      const { value } = distinctArg(call);
      const over = overClause(call);
      const window = over ? ` ${over.text}` : '';
      return { text: `sparkify_sum(sum(${call.args[0]})${window}, any_value(${value})${window})`, consumed: over?.consumed ?? 0 };
    },
  },
  {
    names: ['RATIO_TO_REPORT'], kind: 'window', signature: 'RATIO_TO_REPORT(expr) OVER ([PARTITION BY ...])',
    apply: (call) => {
      const over = overClause(call);
      if (!over) throw new UnsupportedSqlError('RATIO_TO_REPORT without OVER (...)');
      return { text: `(CAST(${call.args[0]} AS DOUBLE) / sum(${call.args[0]}) ${over.text})`, consumed: over.consumed };
    },
  },
  { names: ['NTH_VALUE'], kind: 'window', signature: 'NTH_VALUE(expr, n) [IGNORE NULLS] OVER (...)', apply: nullsTreatment },
  { names: ['FIRST_VALUE', 'LAST_VALUE', 'LAG', 'LEAD'], kind: 'window', signature: 'FIRST_VALUE(expr) [IGNORE NULLS] OVER (...)', apply: nullsTreatment },
  {
    names: ['JSON_EXTRACT_PATH_TEXT'], kind: 'scalar', signature: "JSON_EXTRACT_PATH_TEXT(json, 'key' [, 'key'...] [, null_if_invalid])",
    apply: (call) => {
      const { args, lenient } = nullIfInvalid(call, 2);
      return guarded(args[0], lenient, `json_extract_string(${args[0]}, ${jsonPath(call, args.slice(1))})`);
    },
  },
  {
    names: ['JSON_EXTRACT_ARRAY_ELEMENT_TEXT'], kind: 'scalar', signature: 'JSON_EXTRACT_ARRAY_ELEMENT_TEXT(json, position [, null_if_invalid])',
    apply: (call) => {
      const { args, lenient } = nullIfInvalid(call, 2);
      return guarded(args[0], lenient, `json_extract_string(${args[0]}, '$[' || CAST(${args[1]} AS VARCHAR) || ']')`);
    },
  },
  {
    names: ['JSON_ARRAY_LENGTH'], kind: 'scalar', signature: 'JSON_ARRAY_LENGTH(json [, null_if_invalid])',
    apply: (call) => {
      const { args, lenient } = nullIfInvalid(call, 1);
      return guarded(args[0], lenient, `json_array_length(${args[0]})`);
    },
  },
  { names: ['IS_VALID_JSON'], kind: 'scalar', signature: 'IS_VALID_JSON(string)', apply: validJsonOf('OBJECT') },
  { names: ['IS_VALID_JSON_ARRAY'], kind: 'scalar', signature: 'IS_VALID_JSON_ARRAY(string)', apply: validJsonOf('ARRAY') },
];
