// Conditional expressions, conversions and the math names DuckDB spells
// differently: NVL with any number of arguments, NVL2, DECODE (where NULL
// matches NULL), CONVERT(type, value), and casts to VARCHAR(n) that cut the
// value to n characters as Redshift does.
import { isWord, type Call, type CallRule } from './calls.js';
import { codeTokens, untokenize, type Token } from './tokenizer.js';

function decode(call: Call): string | undefined {
  if (call.args.length < 3) return undefined;
  const [value, ...pairs] = call.args;
  const fallback = pairs.length % 2 === 1 ? pairs.pop() : undefined;
  const whens: string[] = [];
  for (let i = 0; i < pairs.length; i += 2) whens.push(`WHEN (${value}) IS NOT DISTINCT FROM (${pairs[i]}) THEN ${pairs[i + 1]}`);
  return `(CASE ${whens.join(' ')}${fallback === undefined ? '' : ` ELSE ${fallback}`} END)`;
}

const CHARACTER_TYPES = ['VARCHAR', 'CHAR', 'CHARACTER', 'NVARCHAR', 'NCHAR', 'BPCHAR', 'TEXT'];

/** A character type with a length, such as `VARCHAR(5)` or `CHARACTER VARYING(5)`: the length, else undefined. */
function characterLength(type: Token[]): number | undefined {
  const code = codeTokens(type);
  if (!isWord(code[0], ...CHARACTER_TYPES)) return undefined;
  const words = code.filter((t) => t.type === 'word').length;
  const match = untokenize(code.slice(words)).match(/^\((\d+)\)$/);
  return match ? Number(match[1]) : undefined;
}

/** CAST(value AS type): the value and type tokens, split at the last top-level AS. */
function castParts(raw: Token[]): { value: Token[]; type: Token[] } | undefined {
  let depth = 0;
  let at = -1;
  raw.forEach((t, i) => {
    if (t.type === 'punct' && t.text === '(') depth++;
    if (t.type === 'punct' && t.text === ')') depth--;
    if (depth === 0 && isWord(t, 'AS')) at = i;
  });
  return at === -1 ? undefined : { value: raw.slice(0, at), type: raw.slice(at + 1) };
}

/** CAST to a character type of length n: the first n characters, as Redshift's explicit casts give. */
function castTo(value: string, type: Token[]): string {
  const length = characterLength(type);
  const typeText = untokenize(type).trim();
  return length === undefined ? `CAST(${value} AS ${typeText})` : `left(CAST(${value} AS VARCHAR), ${length})`;
}

export const CONDITIONAL_RULES: CallRule[] = [
  { names: ['NVL'], kind: 'scalar', signature: 'NVL(value, value, ...)', apply: (call) => `coalesce(${call.args.join(', ')})` },
  {
    names: ['NVL2'], kind: 'scalar', signature: 'NVL2(value, not_null_result, null_result)',
    apply: (call) => `(CASE WHEN (${call.args[0]}) IS NOT NULL THEN ${call.args[1]} ELSE ${call.args[2]} END)`,
  },
  { names: ['DECODE'], kind: 'scalar', signature: 'DECODE(value, search, result [, search, result]... [, default])', apply: decode },
  {
    names: ['CONVERT'], kind: 'scalar', signature: 'CONVERT(type, value)',
    apply: (call) => (call.args.length === 2 ? castTo(call.args[1], call.raw[0]) : undefined),
  },
  {
    names: ['CAST'], kind: 'scalar', signature: 'CAST(value AS type)',
    apply: (call) => {
      const parts = call.args.length === 1 ? castParts(call.raw[0]) : undefined;
      return parts && characterLength(parts.type) !== undefined ? castTo(untokenize(parts.value).trim(), parts.type) : undefined;
    },
  },
  { names: ['DLOG10'], kind: 'scalar', signature: 'DLOG10(number)', apply: (call) => `log10(${call.args[0]})` },
  { names: ['DLOG1'], kind: 'scalar', signature: 'DLOG1(number)', apply: (call) => `ln(${call.args[0]})` },
  { names: ['DEXP'], kind: 'scalar', signature: 'DEXP(number)', apply: (call) => `exp(${call.args[0]})` },
];
