// DuckDB's error text in the words Redshift uses for the same failure
// (`relation "x" does not exist`), without DuckDB's error classes, its
// "Did you mean" suggestions (names that exist only locally) or its caret lines.
import { classify } from './classify.js';

/** A name as Redshift prints it: unquoted and folded to lower case. */
const name = (raw: string) => raw.replace(/^"|"$/g, '').toLowerCase();

const TYPE_NAMES: Record<string, string> = {
  INT8: 'smallint', INT16: 'smallint', INT32: 'integer', INT64: 'bigint', INT128: 'bigint',
  UINT8: 'smallint', UINT16: 'integer', UINT32: 'bigint', UINT64: 'bigint',
  DOUBLE: 'double precision', FLOAT: 'real', DATE: 'date', TIMESTAMP: 'timestamp', BOOL: 'boolean', BOOLEAN: 'boolean',
};

type Rewording = [RegExp, (match: RegExpMatchArray, sql: string | undefined) => string];

/** Redshift's overflow error for a value that does not fit a SMALLINT, INTEGER or BIGINT (DuckDB's INT16, INT32, INT64). */
const INTEGER_OVERFLOW: Record<string, string> = {
  INT16: 'Overflow (Short valid range -32768 to 32767)',
  INT32: 'Overflow (Integer valid range -2147483648 to 2147483647)',
  INT64: 'Overflow (Long valid range -9223372036854775808 to 9223372036854775807)',
};

/**
 * Overflows, in Redshift's words: a value cast to an integer type it does not
 * fit, an integer or DECIMAL operation whose result does not fit its type
 * (`Numeric data overflow (addition)`), a value cast to a DECIMAL(p,s) too
 * narrow for it (`Numeric data overflow (result precision)`, as the numeric
 * computations page shows for `pricepaid::decimal(7,3)`).
 */
const OVERFLOWS: Rewording[] = [
  [/^Type \w+ with value \S+ can't be cast because the value is out of range for the destination type (INT16|INT32|INT64)/, (m) => INTEGER_OVERFLOW[m[1]]],
  [/^Could not convert string '[-+]?\d+' to (INT16|INT32|INT64)$/, (m) => INTEGER_OVERFLOW[m[1]]],
  [/^Overflow in (addition|subtraction|multiplication|negation|division) of /, (m) => `Numeric data overflow (${m[1]})`],
  [/^Overflow on abs\(/, () => 'Numeric data overflow (negation)'],
  [/^Casting value "[^"]*" to type DECIMAL\(\d+,\d+\) failed: value is out of range/, () => 'Numeric data overflow (result precision)'],
  [/^Could not cast value \S+ to DECIMAL\(\d+,\d+\)$/, () => 'Numeric data overflow (result precision)'],
  [/^Could not convert string "[-+]?(\d+\.?\d*|\.\d+)" to DECIMAL\(\d+,\d+\)$/, () => 'Numeric data overflow (result precision)'],
];

/** An INSERT whose values do not match the columns it fills, as Redshift words either side. */
const insertMismatch = (columns: number, values: number) =>
  values < columns ? 'INSERT has more target columns than expressions' : 'INSERT has more expressions than target columns';

const REWORDINGS: Rewording[] = [
  ...OVERFLOWS,
  [/^Table with name (\S+) does not exist because schema (\S+) does not exist/, (m) => `schema "${name(m[2])}" does not exist`],
  [
    /^(?:Table|View|Table or view) with name (\S+?) does not exist!?/,
    (m, sql) => (sql && classify(sql).command.startsWith('DROP') ? `Table "${name(m[1])}" does not exist` : `relation "${name(m[1])}" does not exist`),
  ],
  [/^(?:Table|View) with name (\S+?) already exists!?/, (m) => `relation "${name(m[1])}" already exists`],
  [/^Schema with name (\S+?) does not exist!?/, (m) => `schema "${name(m[1])}" does not exist`],
  [/^Schema with name (\S+?) already exists!?/, (m) => `schema "${name(m[1])}" already exists`],
  [/^Referenced column (\S+) not found in FROM clause!?/, (m) => `column "${name(m[1])}" does not exist`],
  [/^Table (\S+) does not have a column with name (\S+)/, (m) => `column "${name(m[2])}" of relation "${name(m[1])}" does not exist`],
  [/^Referenced column (\S+) was not found because the FROM clause is missing/, (m) => `column "${name(m[1])}" does not exist`],
  [/^Referenced table (\S+) not found/, (m) => `missing FROM-clause entry for table "${name(m[1])}"`],
  [/^Column (\S+) does not exist on (left|right) side of join/, (m) => `column "${name(m[1])}" specified in USING clause does not exist in ${m[2]} table`],
  [/^(WHERE|GROUP BY|HAVING|JOIN) clause cannot contain window functions/, (m) => `window functions are not allowed in ${m[1]}`],
  [/^Ambiguous reference to column name (\S+)/, (m) => `column reference "${name(m[1])}" is ambiguous`],
  [
    /^Could not convert string '((?:[^']|'')*)' to (\w+)/,
    (m) => `invalid input syntax for ${TYPE_NAMES[m[2]] === 'integer' ? 'integer' : `type ${TYPE_NAMES[m[2]] ?? m[2].toLowerCase()}`}: "${m[1].replace(/''/g, "'")}"`,
  ],
  [/^Table "([^"]+)" does not have a column named "([^"]+)"/, (m) => `column ${name(m[1])}.${name(m[2])} does not exist`],
  [/^Column name\/value mismatch for insert on \S+: expected (\d+) columns but (\d+) values were supplied/, (m) => insertMismatch(Number(m[1]), Number(m[2]))],
  [/^table \S+ has (\d+) columns but (\d+) values were supplied/, (m) => insertMismatch(Number(m[1]), Number(m[2]))],
  [/^NOT NULL constraint failed: (?:\S+\.)?(\S+)/, (m) => `Cannot insert a NULL value into column ${name(m[1])}`],
  [/^No function matches the given name and argument types '(.+?)\((.*)\)'/, (m) => noMatch(m[1], m[2], 'does not exist')],
  [/^Could not choose a best candidate function for the function call "(.+?)\((.*)\)"/, (m) => noMatch(m[1], m[2], 'is not unique')],
];

/** DuckDB's argument type names (`INTEGER_LITERAL`, `VARCHAR`) as Redshift names them. */
function argumentType(raw: string): string {
  const base = raw.trim().replace(/_LITERAL$/, '').replace(/\(.*\)$/, '');
  if (base === 'STRING') return 'unknown';
  if (base === 'VARCHAR') return 'character varying';
  const known = Object.entries(TYPE_NAMES).find(([duck]) => duck === base)?.[1];
  return known ?? ({ INTEGER: 'integer', BIGINT: 'bigint', SMALLINT: 'smallint', DECIMAL: 'numeric', INTERVAL: 'interval' }[base] ?? base.toLowerCase());
}

/** `function f(integer) does not exist`, or for an operator (`//` is the integer `/`) `operator does not exist: a / b`. */
function noMatch(fn: string, args: string, what: string): string {
  const types = args === '' ? [] : args.split(',').map(argumentType);
  if (/^[^\w]+$/.test(fn)) {
    const op = fn === '//' ? '/' : fn;
    return `operator ${what}: ${types.length === 1 ? `${op} ${types[0]}` : `${types[0]} ${op} ${types[1]}`}`;
  }
  return `function ${fn.toLowerCase()}(${types.join(', ')}) ${what}`;
}

/**
 * Sentences of DuckDB's advice: its settings (`SET max_expression_depth`,
 * `ignore_errors`), its functions (try_cast) and its hints, which name things
 * Redshift does not have.
 */
const DUCKDB_ADVICE = /(^|\n)\s*(HINT|Hint|Tip):[\s\S]*$|[^.!\n]*\b(SET \w+|PRAGMA|ignore_errors|try_cast|TRY_CAST)\b[^.!\n]*[.!]?/g;

/** DuckDB's error class, at the start or nested after a colon ("Invalid Input Error: Binder Error: ..."). */
const ERROR_CLASS = /(^|: )(?:[A-Z][A-Za-z]*(?: [A-Za-z]+){0,3} Error: )+/g;

/** Failures the local engine words itself, with what to do, where DuckDB's own text would give DuckDB's advice. */
const OWN_MESSAGES: [RegExp, { message: string; hint: string }][] = [
  [
    /^Max expression depth limit of (\d+) exceeded/,
    {
      message: 'the statement nests expressions too deeply for the local warehouse',
      hint: 'split the expression into parts: compute some in a WITH clause or a temporary table and combine them in a second step',
    },
  ],
];

/** What to do about an error the local engine raised, when the local engine words that error itself. */
export function engineHint(message: string): string | undefined {
  return ownMessage(message)?.hint;
}

function ownMessage(message: string): { message: string; hint: string } | undefined {
  const text = withoutClasses(message);
  return OWN_MESSAGES.find(([pattern]) => pattern.test(text))?.[1];
}

const withoutClasses = (message: string) => message.replace(/^Failed to extract statements: /, '').replace(ERROR_CLASS, '$1');

/** The message a person sees for an error the local engine raised while running `sql`. */
export function redshiftWording(message: string, sql?: string): string {
  const own = ownMessage(message);
  if (own) return own.message;
  const bare = withoutClasses(message);
  const searchPath = bare.match(/^SET search_path: No catalog \+ schema named "([^"]+)" found/);
  if (searchPath) return `schema "${name(searchPath[1].replace(/^memory\./, ''))}" does not exist`;
  const text = bare
    .replace(/\n+LINE \d+:[\s\S]*$/, '')
    .split('\n')
    .filter((line) => !/^\s*(Did you mean|Candidate \w+:)/.test(line))
    .join('\n')
    .replace(/\s*(Candidate functions|You might need to add explicit type casts|In order to select one)[\s\S]*$/, '')
    .replace(/\s*Did you mean[:\s][\s\S]*$/, '')
    .replace(DUCKDB_ADVICE, '$1')
    .trim()
    .replace(/!$/, '');
  for (const [pattern, reword] of REWORDINGS) {
    const match = text.match(pattern);
    if (match) return reword(match, sql);
  }
  // Advice stripped from a message that was nothing but a sentence naming a setting leaves nothing to read.
  return text === '' ? bare.trim() : text;
}
