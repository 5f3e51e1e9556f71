// Redshift's string functions on DuckDB: the names DuckDB spells differently
// (LEN, CHARINDEX, BTRIM, REPLICATE), Redshift's argument rules (implicit
// casts to text, SUBSTRING from a position before 1, a pad of spaces), the
// REGEXP_* family with its position, occurrence and parameters, and the
// functions DuckDB lacks (INITCAP, STRTOL, QUOTE_IDENT) as macros.
import { UnsupportedSqlError } from '../errors.js';
import { literalArg, type Call, type CallRule } from './calls.js';

const text = (arg: string | undefined) => `CAST(${arg} AS VARCHAR)`;

/**
 * A REGEXP_* pattern with its parameters: 'i' makes it case-insensitive, 'e' takes the first group.
 * `perl` is set for a Perl-compatible ('p') pattern with lookahead or lookbehind, which DuckDB's
 * engine cannot run: the call goes to the sparkify_pcre_* functions (duckdb-regexp.ts) instead.
 */
function regexPattern(call: Call, patternIndex: number, paramsIndex: number): { pattern: string; group: number; perl?: string } {
  const params = call.args[paramsIndex] === undefined ? '' : literalArg(call.raw[paramsIndex]);
  if (params === undefined) throw new UnsupportedSqlError(`${call.name} with parameters that are not a literal`);
  if (/[^cipe]/.test(params)) throw new UnsupportedSqlError(`the ${call.name} parameter '${params}'`);
  const literal = literalArg(call.raw[patternIndex]);
  if (literal !== undefined && /\(\?<?[=!]/.test(literal)) {
    if (!params.includes('p')) throw new UnsupportedSqlError(`lookahead and lookbehind in ${call.name} patterns without the 'p' parameter (Redshift reads them only as Perl-compatible patterns)`);
    return { pattern: call.args[patternIndex], group: params.includes('e') ? 1 : 0, perl: call.args[paramsIndex] };
  }
  const insensitive = params.lastIndexOf('i') > params.lastIndexOf('c');
  return { pattern: insensitive ? `'(?i)' || ${call.args[patternIndex]}` : call.args[patternIndex], group: params.includes('e') ? 1 : 0 };
}

/** The source string from a 1-based position on. */
const fromPosition = (call: Call, index: number) => (call.args[index] === undefined ? text(call.args[0]) : `substr(${text(call.args[0])}, ${call.args[index]})`);

const trim = (fn: string) => (call: Call) => `${fn}(${[text(call.args[0]), ...call.args.slice(1)].join(', ')})`;
const pad = (fn: string) => (call: Call) => `${fn}(${text(call.args[0])}, ${call.args[1]}, ${call.args[2] ?? "' '"})`;

export const STRING_MACROS = [
  `CREATE OR REPLACE TEMP MACRO initcap(s) AS array_to_string(list_transform(range(1, length(s) + 1), i ->
     CASE WHEN i = 1 OR NOT regexp_matches(substr(s, i - 1, 1), '[[:alnum:]]') THEN upper(substr(s, i, 1)) ELSE lower(substr(s, i, 1)) END), '')`,
  `CREATE OR REPLACE TEMP MACRO strtol(s, base) AS
     CASE WHEN left(trim(s), 1) = '-' THEN -1 ELSE 1 END * list_reduce(
       list_prepend(0, list_transform(string_split(regexp_replace(lower(trim(s)), CASE WHEN base = 16 THEN '^[-+]?(0x)?' ELSE '^[-+]?' END, ''), ''),
         c -> CASE WHEN strpos('0123456789abcdefghijklmnopqrstuvwxyz', c) BETWEEN 1 AND base THEN strpos('0123456789abcdefghijklmnopqrstuvwxyz', c) - 1
                   ELSE error('invalid input syntax for STRTOL: ' || s) END)),
       (acc, d) -> acc * base + d)`,
  // CRC-32C (Castagnoli), which is what Redshift computes, over the UTF-8 bytes, as 8 hex digits.
  `CREATE OR REPLACE TEMP MACRO crc32(s) AS lower(printf('%08x', xor(4294967295, list_reduce(
     list_prepend(CAST(4294967295 AS BIGINT), list_transform(range(0, strlen(hex(encode(s))), 2), i -> CAST(('0x' || substr(hex(encode(s)), i + 1, 2)) AS BIGINT))),
     (c, b) -> list_reduce(list_prepend(xor(c, b), range(8)), (x, _bit) -> CASE WHEN x & 1 = 1 THEN xor(x >> 1, 2197175160) ELSE x >> 1 END)))))`,
  `CREATE OR REPLACE TEMP MACRO sparkify_regexp_instr(s, p, occurrence, after) AS
     CASE WHEN len(regexp_extract_all(s, p)) < occurrence THEN 0
          ELSE coalesce(list_sum(list_transform(regexp_split_to_array(s, p)[1:occurrence], x -> length(x))), 0)
             + coalesce(list_sum(list_transform(regexp_extract_all(s, p)[1:occurrence - 1], x -> length(x))), 0) + 1
             + CASE WHEN after = 1 THEN length(regexp_extract_all(s, p)[occurrence]) ELSE 0 END END`,
];

export const STRING_RULES: CallRule[] = [
  {
    names: ['SHA2'], kind: 'scalar', signature: 'SHA2(string, 0 | 256)',
    apply: (call) => {
      if (!['0', '256'].includes(call.args[1] ?? '')) throw new UnsupportedSqlError(`SHA2 with ${call.args[1] ?? 'no'} bits (only 256)`);
      return `sha256(${text(call.args[0])})`;
    },
  },
  { names: ['CRC32'], kind: 'scalar', signature: 'CRC32(string)', apply: (call) => `crc32(${text(call.args[0])})` },
  { names: ['SHA1', 'FUNC_SHA1', 'SHA'], kind: 'scalar', signature: 'SHA1(string)', apply: (call) => `sha1(${text(call.args[0])})` },
  {
    names: ['CONCAT'], kind: 'scalar', signature: 'CONCAT(string, string)',
    // NULL in, NULL out, as with ||; DuckDB's CONCAT skips NULLs.
    apply: (call) => (call.args.length === 2 ? `(${text(call.args[0])} || ${text(call.args[1])})` : undefined),
  },
  { names: ['LEN'], kind: 'scalar', signature: 'LEN(string)', apply: (call) => `length(${text(call.args[0])})` },
  { names: ['CHARINDEX'], kind: 'scalar', signature: 'CHARINDEX(substring, string)', apply: (call) => `strpos(${text(call.args[1])}, ${call.args[0]})` },
  { names: ['OCTET_LENGTH'], kind: 'scalar', signature: 'OCTET_LENGTH(string)', apply: (call) => `strlen(${text(call.args[0])})` },
  { names: ['BTRIM'], kind: 'scalar', signature: "BTRIM(string [, 'characters'])", apply: trim('trim') },
  { names: ['LTRIM'], kind: 'scalar', signature: "LTRIM(string [, 'characters'])", apply: trim('ltrim') },
  { names: ['RTRIM'], kind: 'scalar', signature: "RTRIM(string [, 'characters'])", apply: trim('rtrim') },
  { names: ['REPLICATE', 'REPEAT'], kind: 'scalar', signature: 'REPEAT(string, n)', apply: (call) => `repeat(${text(call.args[0])}, ${call.args[1]})` },
  { names: ['LPAD'], kind: 'scalar', signature: "LPAD(string, length [, 'fill'])", apply: pad('lpad') },
  { names: ['RPAD'], kind: 'scalar', signature: "RPAD(string, length [, 'fill'])", apply: pad('rpad') },
  { names: ['INITCAP'], kind: 'scalar', signature: 'INITCAP(string)', apply: (call) => `initcap(${text(call.args[0])})` },
  { names: ['STRTOL'], kind: 'scalar', signature: 'STRTOL(string, base)', apply: (call) => `strtol(${text(call.args[0])}, ${call.args[1]})` },
  {
    names: ['QUOTE_IDENT'], kind: 'scalar', signature: 'QUOTE_IDENT(string)',
    apply: (call) => `('"' || replace(${text(call.args[0])}, '"', '""') || '"')`,
  },
  {
    names: ['QUOTE_LITERAL'], kind: 'scalar', signature: 'QUOTE_LITERAL(value)',
    apply: (call) => `('''' || replace(${text(call.args[0])}, '''', '''''') || '''')`,
  },
  {
    names: ['SUBSTRING', 'SUBSTR'], kind: 'scalar', signature: 'SUBSTRING(string, start [, length])',
    apply: (call) => {
      if (call.args.length < 2) return undefined;
      const [s, start, length] = call.args;
      // A start before 1 still counts its length from there, as Redshift does.
      if (length === undefined) return `substring(${text(s)}, greatest(${start}, 1))`;
      return `substring(${text(s)}, greatest(${start}, 1), greatest((${start}) + (${length}) - greatest(${start}, 1), 0))`;
    },
  },
  {
    names: ['REGEXP_SUBSTR'], kind: 'scalar', signature: "REGEXP_SUBSTR(string, pattern [, position [, occurrence [, 'parameters']]])",
    apply: (call) => {
      const { pattern, group, perl } = regexPattern(call, 1, 4);
      if (perl) return `sparkify_pcre_substr(${fromPosition(call, 2)}, ${pattern}, ${call.args[3] ?? 1}, ${perl})`;
      return `coalesce(regexp_extract_all(${fromPosition(call, 2)}, ${pattern}, ${group})[${call.args[3] ?? 1}], '')`;
    },
  },
  {
    names: ['REGEXP_COUNT'], kind: 'scalar', signature: "REGEXP_COUNT(string, pattern [, position [, 'parameters']])",
    apply: (call) => {
      const { pattern, perl } = regexPattern(call, 1, 3);
      if (perl) return `sparkify_pcre_count(${fromPosition(call, 2)}, ${pattern}, ${perl})`;
      return `len(regexp_extract_all(${fromPosition(call, 2)}, ${pattern}))`;
    },
  },
  {
    names: ['REGEXP_INSTR'], kind: 'scalar', signature: "REGEXP_INSTR(string, pattern [, position [, occurrence [, option [, 'parameters']]]])",
    apply: (call) => {
      const { pattern, perl } = regexPattern(call, 1, 5);
      const found = perl
        ? `sparkify_pcre_instr(${fromPosition(call, 2)}, ${pattern}, ${call.args[3] ?? 1}, ${call.args[4] ?? 0}, ${perl})`
        : `sparkify_regexp_instr(${fromPosition(call, 2)}, ${pattern}, ${call.args[3] ?? 1}, ${call.args[4] ?? 0})`;
      return call.args[2] === undefined ? found : `(CASE WHEN ${found} = 0 THEN 0 ELSE ${found} + (${call.args[2]}) - 1 END)`;
    },
  },
  {
    names: ['REGEXP_REPLACE'], kind: 'scalar', signature: "REGEXP_REPLACE(string, pattern [, replacement [, position [, 'parameters']]])",
    apply: (call) => {
      const { pattern, perl } = regexPattern(call, 1, 4);
      const replaced = perl
        ? `sparkify_pcre_replace(${fromPosition(call, 3)}, ${pattern}, ${call.args[2] ?? "''"}, ${perl})`
        : `regexp_replace(${fromPosition(call, 3)}, ${pattern}, ${call.args[2] ?? "''"}, 'g')`;
      return call.args[3] === undefined ? replaced : `(left(${text(call.args[0])}, (${call.args[3]}) - 1) || ${replaced})`;
    },
  },
];
