// Redshift's date and time functions on DuckDB: date parts written bare or
// quoted, string arguments read as Redshift reads them, and the functions
// DuckDB lacks (ADD_MONTHS, MONTHS_BETWEEN, NEXT_DAY, DATE_CMP, CONVERT_TIMEZONE)
// as macros or expressions.
import { UnsupportedSqlError } from '../errors.js';
import { literalArg, wordArg, type Call, type CallRule } from './calls.js';
import { normalizeDateTimeLiteral, parseDateTime, ZONE_ABBREVIATIONS } from './datetime-literals.js';
import { quoteLiteral, tokenize, untokenize } from './tokenizer.js';
import { closingParen, isCode, isPunct, isWord } from './tokens.js';

/** Redshift's date part names and abbreviations, to one canonical name each. */
const DATE_PARTS: Record<string, string> = {};
const PART_SPELLINGS: Record<string, string[]> = {
  millennium: ['millennium', 'millennia', 'mil', 'mils'],
  century: ['century', 'centuries', 'c', 'cent', 'cents'],
  decade: ['decade', 'decades', 'dec', 'decs'],
  year: ['year', 'years', 'y', 'yr', 'yrs'],
  quarter: ['quarter', 'quarters', 'qtr', 'qtrs'],
  month: ['month', 'months', 'mon', 'mons'],
  week: ['week', 'weeks', 'w'],
  day: ['day', 'days', 'd'],
  dow: ['dayofweek', 'dow', 'dw', 'weekday'],
  doy: ['dayofyear', 'doy', 'dy', 'yearday'],
  hour: ['hour', 'hours', 'h', 'hr', 'hrs'],
  minute: ['minute', 'minutes', 'm', 'min', 'mins'],
  second: ['second', 'seconds', 's', 'sec', 'secs'],
  millisecond: ['millisecond', 'milliseconds', 'ms', 'msec', 'msecs', 'msecond', 'mseconds', 'millisec', 'millisecs', 'millisecon'],
  microsecond: ['microsecond', 'microseconds', 'microsec', 'microsecs', 'microsecond', 'usecond', 'useconds', 'us', 'usec', 'usecs'],
  epoch: ['epoch'],
  timezone: ['timezone'],
  timezone_hour: ['timezone_hour'],
  timezone_minute: ['timezone_minute'],
};
for (const [canonical, spellings] of Object.entries(PART_SPELLINGS)) for (const s of spellings) DATE_PARTS[s] = canonical;

/** The canonical date part of a call's first argument (bare word or string). */
export function datePart(call: Call, index = 0): string {
  const raw = wordArg(call.raw[index]) ?? literalArg(call.raw[index]);
  const canonical = raw === undefined ? undefined : DATE_PARTS[raw.toLowerCase()];
  if (!canonical) throw new UnsupportedSqlError(`the date part '${raw ?? call.args[index] ?? ''}' in ${call.name}`);
  return canonical;
}

type Temporal = 'date' | 'time' | 'timestamp' | 'timestamptz';

/** An argument as a typed value: a string literal becomes the typed literal Redshift would read it as. */
export function temporalArg(call: Call, index: number, fallback: Temporal = 'timestamp'): string {
  const literal = literalArg(call.raw[index]);
  if (literal === undefined) return call.args[index];
  const parsed = parseDateTime(literal);
  const type: Temporal = parsed && !parsed.date ? 'time' : fallback === 'timestamp' && parsed?.offset !== undefined ? 'timestamptz' : fallback;
  const iso = normalizeDateTimeLiteral(literal, type) ?? literal;
  return `${type.toUpperCase()} ${quoteLiteral(iso)}`;
}

const INTERVAL_OF: Record<string, (n: string) => string> = {
  millennium: (n) => `to_years(CAST(${n} AS INTEGER) * 1000)`,
  century: (n) => `to_years(CAST(${n} AS INTEGER) * 100)`,
  decade: (n) => `to_years(CAST(${n} AS INTEGER) * 10)`,
  year: (n) => `to_years(CAST(${n} AS INTEGER))`,
  quarter: (n) => `to_months(CAST(${n} AS INTEGER) * 3)`,
  month: (n) => `to_months(CAST(${n} AS INTEGER))`,
  week: (n) => `to_days(CAST(${n} AS INTEGER) * 7)`,
  day: (n) => `to_days(CAST(${n} AS INTEGER))`,
  hour: (n) => `to_hours(CAST(${n} AS BIGINT))`,
  minute: (n) => `to_minutes(CAST(${n} AS BIGINT))`,
  second: (n) => `to_seconds(CAST(${n} AS DOUBLE))`,
  millisecond: (n) => `to_milliseconds(CAST(${n} AS DOUBLE))`,
  microsecond: (n) => `to_microseconds(CAST(${n} AS BIGINT))`,
};

/** DATE_PART / EXTRACT of one canonical part, with Redshift's meaning where DuckDB's differs. */
export function extractPart(part: string, value: string): string {
  switch (part) {
    case 'millisecond':
      return `(date_part('millisecond', ${value}) % 1000)`;
    case 'microsecond':
      return `(date_part('microsecond', ${value}) % 1000000)`;
    case 'decade':
      // Decades count from year 1: 2000-2009 is decade 201.
      return `(floor(year(${value}) / 10) + 1)`;
    default:
      return `date_part('${part}', ${value})`;
  }
}

/** EXTRACT(part FROM value): the tokens inside the parentheses. */
function extractCall(call: Call): string | undefined {
  const text = call.args[0];
  const match = text?.match(/^\s*([A-Za-z_]+|'[^']*')\s+FROM\s+([\s\S]+)$/i);
  if (!match || call.args.length !== 1) return undefined;
  const name = match[1].replace(/'/g, '').toLowerCase();
  const part = DATE_PARTS[name];
  if (!part) throw new UnsupportedSqlError(`the date part '${name}' in EXTRACT`);
  return extractPart(part, match[2]);
}

/** A zone as Redshift reads it: a name, an abbreviation (fixed offset) or a POSIX-style `NAME+H[:MM]` (hours west). */
function zoneOf(call: Call, index: number): { fixed: number } | { name: string } {
  const literal = literalArg(call.raw[index]);
  if (literal === undefined) return { name: call.args[index] };
  const posix = literal.match(/^\s*[A-Za-z_/]+\s*([+-])(\d{1,2})(?::(\d{2}))?\s*$/);
  if (posix) return { fixed: (posix[1] === '+' ? -1 : 1) * (Number(posix[2]) * 60 + Number(posix[3] ?? 0)) };
  const abbreviation = ZONE_ABBREVIATIONS[literal.trim().toUpperCase()];
  if (abbreviation !== undefined) return { fixed: abbreviation };
  return { name: quoteLiteral(literal.trim()) };
}

function convertTimezone(call: Call): string {
  const [source, target, value] = call.args.length === 2 ? [undefined, 0, 1] : [0, 1, 2];
  const ts = `CAST(${temporalArg(call, value, 'timestamp')} AS TIMESTAMP)`;
  const from = source === undefined ? { fixed: 0 } : zoneOf(call, source);
  const to = zoneOf(call, target);
  const utc = 'fixed' in from ? `(${ts} - to_minutes(${from.fixed}))` : `timezone('UTC', timezone(${from.name}, ${ts}))`;
  return 'fixed' in to ? `(${utc} + to_minutes(${to.fixed}))` : `timezone(${to.name}, timezone('UTC', ${utc}))`;
}

const compare = (type: string) => (call: Call) => {
  const cast = (i: number) => (type === 'INTERVAL' ? `CAST(${call.args[i]} AS INTERVAL)` : `CAST(${temporalArg(call, i)} AS ${type})`);
  return `sparkify_cmp(${cast(0)}, ${cast(1)})`;
};


export const DATETIME_MACROS = [
  "CREATE OR REPLACE TEMP MACRO getdate() AS CAST(date_trunc('second', timezone('UTC', now())) AS TIMESTAMP)",
  "CREATE OR REPLACE TEMP MACRO sysdate() AS CAST(timezone('UTC', now()) AS TIMESTAMP)",
  'CREATE OR REPLACE TEMP MACRO sparkify_cmp(a, b) AS CASE WHEN a < b THEN -1 WHEN a > b THEN 1 ELSE 0 END',
  // TRUNC by its argument's type: a date or timestamp to its DATE, a number toward zero.
  'CREATE OR REPLACE TEMP MACRO sparkify_trunc(x TIMESTAMP) AS CAST(x AS DATE), (x TIMESTAMPTZ) AS CAST(x AS DATE), (x DATE) AS x, (x) AS trunc(x)',
  `CREATE OR REPLACE TEMP MACRO add_months(ts, n) AS CASE
     WHEN last_day(CAST(ts AS DATE)) = CAST(ts AS DATE)
       THEN CAST(last_day(CAST(ts AS TIMESTAMP) + to_months(CAST(n AS INTEGER))) AS TIMESTAMP) + (CAST(ts AS TIMESTAMP) - CAST(CAST(ts AS DATE) AS TIMESTAMP))
     ELSE CAST(ts AS TIMESTAMP) + to_months(CAST(n AS INTEGER)) END`,
  `CREATE OR REPLACE TEMP MACRO months_between(a, b) AS
     (year(CAST(a AS DATE)) - year(CAST(b AS DATE))) * 12 + month(CAST(a AS DATE)) - month(CAST(b AS DATE))
     + CASE WHEN day(CAST(a AS DATE)) = day(CAST(b AS DATE))
              OR (last_day(CAST(a AS DATE)) = CAST(a AS DATE) AND last_day(CAST(b AS DATE)) = CAST(b AS DATE)) THEN 0
            ELSE (day(CAST(a AS DATE)) - day(CAST(b AS DATE))) / 31.0 END`,
  `CREATE OR REPLACE TEMP MACRO next_day(d, name) AS CAST(d AS DATE) + CAST((CASE lower(left(trim(name), 2))
     WHEN 'su' THEN 0 WHEN 'mo' THEN 1 WHEN 'tu' THEN 2 WHEN 'we' THEN 3 WHEN 'th' THEN 4 WHEN 'fr' THEN 5 WHEN 'sa' THEN 6
     ELSE error('invalid input syntax for type date: day name ' || name) END - dayofweek(CAST(d AS DATE)) + 6) % 7 + 1 AS INTEGER)`,
];

/** Aggregates and windows whose value is one of their inputs: TRUNC of theirs is theirs of TRUNC. */
const PICKS_A_VALUE = ['MIN', 'MAX', 'ANY_VALUE', 'FIRST_VALUE', 'LAST_VALUE', 'LAG', 'LEAD', 'NTH_VALUE'];
/** Aggregates and windows that give a number, whatever they read. */
const GIVES_A_NUMBER = ['SUM', 'AVG', 'COUNT', 'MEDIAN', 'STDDEV', 'STDDEV_SAMP', 'STDDEV_POP', 'VARIANCE', 'VAR_SAMP', 'VAR_POP', 'PERCENTILE_CONT', 'RATIO_TO_REPORT'];

/**
 * TRUNC of an aggregate or window call: the sparkify_trunc macro picks by its argument's type,
 * which DuckDB does not know yet for an aggregate or a window (it refuses the call), so
 * TRUNC(MIN(ts)) is MIN(sparkify_trunc(ts)) and TRUNC(SUM(x)) is trunc(SUM(x)).
 */
function truncOfCall(arg: string): string | undefined {
  const tokens = tokenize(arg.trim());
  const name = tokens[0];
  const open = tokens.findIndex((t, k) => k > 0 && isCode(t));
  if (!isWord(name) || !isPunct(tokens[open], '(')) return undefined;
  const close = closingParen(tokens, open);
  const after = tokens.slice(close + 1);
  const next = after.find(isCode);
  if (close === -1 || (next !== undefined && !isWord(next, 'OVER', 'WITHIN', 'IGNORE', 'RESPECT'))) return undefined;
  // A Redshift aggregate the rewrite makes a macro of is named after it (AVG is sparkify_avg).
  const upper = name.text.toUpperCase().replace(/^SPARKIFY_/, '');
  if (GIVES_A_NUMBER.includes(upper)) return `trunc(${arg})`;
  if (!PICKS_A_VALUE.includes(upper)) return undefined;
  const inner = tokens.slice(open + 1, close);
  let depth = 0;
  let end = inner.length;
  for (const [k, t] of inner.entries()) {
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    else if (depth === 0 && isPunct(t, ',')) {
      end = k;
      break;
    }
  }
  return `${name.text}(sparkify_trunc(${untokenize(inner.slice(0, end))})${untokenize(inner.slice(end))})${untokenize(after)}`;
}

export const DATETIME_RULES: CallRule[] = [
  {
    names: ['DATEADD', 'DATE_ADD'], kind: 'scalar', signature: 'DATEADD(datepart, interval, date|time|timestamp)',
    apply: (call) => {
      if (call.args.length !== 3) return undefined;
      return `(${temporalArg(call, 2)} + ${INTERVAL_OF[datePart(call)]?.(call.args[1]) ?? unsupportedPart(call)})`;
    },
  },
  {
    names: ['DATEDIFF', 'DATE_DIFF'], kind: 'scalar', signature: 'DATEDIFF(datepart, start, end)',
    apply: (call) => {
      if (call.args.length !== 3) return undefined;
      const part = datePart(call);
      if (!INTERVAL_OF[part]) unsupportedPart(call);
      return `date_diff('${part}', ${temporalArg(call, 1)}, ${temporalArg(call, 2)})`;
    },
  },
  {
    names: ['DATE_PART', 'DATEPART', 'PGDATE_PART'], kind: 'scalar', signature: 'DATE_PART(datepart, date|time|timestamp)',
    apply: (call) => (call.args.length === 2 ? extractPart(datePart(call), temporalArg(call, 1)) : undefined),
  },
  { names: ['EXTRACT'], kind: 'scalar', signature: 'EXTRACT(datepart FROM date|time|timestamp)', apply: extractCall },
  {
    names: ['DATE_TRUNC'], kind: 'scalar', signature: "DATE_TRUNC('datepart', timestamp)",
    apply: (call) => {
      if (call.args.length !== 2) return undefined;
      const part = datePart(call);
      const value = temporalArg(call, 1);
      // Centuries and millennia start in years ending in 1 (2001-01-01), as in PostgreSQL.
      const span = { century: 100, millennium: 1000 }[part as 'century' | 'millennium'];
      if (span) return `make_timestamp(CAST((year(${value}) - 1) // ${span} * ${span} + 1 AS BIGINT), 1, 1, 0, 0, 0)`;
      return `date_trunc('${part}', ${value})`;
    },
  },
  {
    names: ['DATE_PART_YEAR'], kind: 'scalar', signature: 'DATE_PART_YEAR(date)',
    apply: (call) => `year(CAST(${temporalArg(call, 0, 'date')} AS DATE))`,
  },
  {
    names: ['ADD_MONTHS'], kind: 'scalar', signature: 'ADD_MONTHS(date|timestamp, integer)',
    apply: (call) => `add_months(${temporalArg(call, 0)}, ${call.args[1]})`,
  },
  {
    names: ['MONTHS_BETWEEN'], kind: 'scalar', signature: 'MONTHS_BETWEEN(date, date)',
    apply: (call) => `months_between(${temporalArg(call, 0, 'date')}, ${temporalArg(call, 1, 'date')})`,
  },
  {
    names: ['NEXT_DAY'], kind: 'scalar', signature: "NEXT_DAY(date, 'day name')",
    apply: (call) => `next_day(${temporalArg(call, 0, 'date')}, ${call.args[1]})`,
  },
  { names: ['LAST_DAY'], kind: 'scalar', signature: 'LAST_DAY(date)', apply: (call) => `last_day(${temporalArg(call, 0, 'date')})` },
  {
    names: ['TRUNC'], kind: 'scalar', signature: 'TRUNC(timestamp) | TRUNC(number [, digits])',
    apply: (call) => {
      if (call.args.length !== 1) return undefined;
      // DuckDB's TRUNC takes numbers only: a string literal that reads as a timestamp is cut to its
      // DATE; any other argument goes to a macro that picks by the argument's type.
      const literal = literalArg(call.raw[0]);
      if (literal !== undefined && parseDateTime(literal)?.date !== undefined) return `CAST(${temporalArg(call, 0)} AS DATE)`;
      return truncOfCall(call.args[0]) ?? `sparkify_trunc(${call.args[0]})`;
    },
  },
  { names: ['CONVERT_TIMEZONE'], kind: 'scalar', signature: "CONVERT_TIMEZONE(['source',] 'target', timestamp)", apply: convertTimezone },
  { names: ['DATE_CMP'], kind: 'scalar', signature: 'DATE_CMP(date, date)', apply: compare('DATE') },
  { names: ['DATE_CMP_TIMESTAMP', 'TIMESTAMP_CMP', 'TIMESTAMP_CMP_DATE'], kind: 'scalar', signature: 'TIMESTAMP_CMP(timestamp, timestamp)', apply: compare('TIMESTAMP') },
  { names: ['DATE_CMP_TIMESTAMPTZ', 'TIMESTAMP_CMP_TIMESTAMPTZ', 'TIMESTAMPTZ_CMP'], kind: 'scalar', signature: 'TIMESTAMPTZ_CMP(timestamptz, timestamptz)', apply: compare('TIMESTAMPTZ') },
  { names: ['INTERVAL_CMP'], kind: 'scalar', signature: 'INTERVAL_CMP(interval, interval)', apply: compare('INTERVAL') },
  // The session's time zone is UTC, as a cluster's is; the text is PostgreSQL's, as Redshift's leader node gives it.
  { names: ['TIMEOFDAY'], kind: 'scalar', signature: 'TIMEOFDAY()', apply: () => "strftime(timezone('UTC', now()), '%a %b %d %H:%M:%S.%f %Y UTC')" },
];

function unsupportedPart(call: Call): never {
  throw new UnsupportedSqlError(`the date part '${call.args[0]}' in ${call.name}`);
}
