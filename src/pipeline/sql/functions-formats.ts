// TO_CHAR, TO_DATE, TO_TIMESTAMP and TO_NUMBER with Redshift's format
// models. A format given as a literal is translated when the statement is
// rewritten: datetime elements into strftime/strptime pieces, numeric
// templates (9, 0, D, G, S, MI, PR, $, RN) into an expression of the value.
import { UnsupportedSqlError } from '../errors.js';
import { literalArg, type Call, type CallRule } from './calls.js';
import { temporalArg } from './functions-datetime.js';
import { quoteLiteral } from './tokenizer.js';

type Piece = { text: string } | { expr: (v: string) => string };

const strf = (spec: string) => (v: string) => `strftime(${v}, '${spec}')`;
const padded = (expr: (v: string) => string, fill: boolean) => (v: string) => (fill ? expr(v) : `rpad(${expr(v)}, 9, ' ')`);
const cased = (word: string, expr: (v: string) => string) => (v: string) =>
  word === word.toUpperCase() ? `upper(${expr(v)})` : word === word.toLowerCase() ? `lower(${expr(v)})` : expr(v);

/** Datetime elements, longest first: [pattern, strptime spec or undefined, TO_CHAR piece]. */
const DATETIME_ELEMENTS: [string, string | undefined, (word: string, fill: boolean) => (v: string) => string][] = [
  ['HH24', '%H', () => strf('%H')],
  ['HH12', '%I', () => strf('%I')],
  ['YYYY', '%Y', () => strf('%Y')],
  ['MONTH', '%B', (w, fill) => padded(cased(w, strf('%B')), fill)],
  ['A.M.', '%p', (w) => cased(w, (v) => `replace(replace(strftime(${v}, '%p'), 'AM', 'A.M.'), 'PM', 'P.M.')`)],
  ['P.M.', '%p', (w) => cased(w, (v) => `replace(replace(strftime(${v}, '%p'), 'AM', 'A.M.'), 'PM', 'P.M.')`)],
  ['IDDD', undefined, () => (v) => `lpad(CAST((isodow(${v}) + (week(${v}) - 1) * 7) AS VARCHAR), 3, '0')`],
  ['DAY', '%A', (w, fill) => padded(cased(w, strf('%A')), fill)],
  ['DDD', '%j', () => strf('%j')],
  ['YYY', undefined, () => (v) => `right(strftime(${v}, '%Y'), 3)`],
  ['MON', '%b', (w) => cased(w, strf('%b'))],
  ['HH', '%I', () => strf('%I')],
  ['MI', '%M', () => strf('%M')],
  ['SS', '%S', () => strf('%S')],
  ['MS', '%g', () => strf('%g')],
  ['US', '%f', () => strf('%f')],
  ['AM', '%p', (w) => cased(w, strf('%p'))],
  ['PM', '%p', (w) => cased(w, strf('%p'))],
  ['YY', '%y', () => strf('%y')],
  ['MM', '%m', () => strf('%m')],
  ['DD', '%d', (_w, fill) => (fill ? (v) => `CAST(day(${v}) AS VARCHAR)` : strf('%d'))],
  ['DY', '%a', (w) => cased(w, strf('%a'))],
  ['ID', undefined, () => (v) => `CAST(isodow(${v}) AS VARCHAR)`],
  ['IW', '%V', () => strf('%V')],
  ['WW', undefined, () => (v) => `lpad(CAST((dayofyear(${v}) - 1) // 7 + 1 AS VARCHAR), 2, '0')`],
  ['CC', undefined, () => (v) => `CAST(century(${v}) AS VARCHAR)`],
  ['TZ', '%Z', (w) => () => (w === 'tz' ? "'utc'" : "'UTC'")],
  ['OF', '%z', () => () => "'+00'"],
  ['Q', undefined, () => (v) => `CAST(quarter(${v}) AS VARCHAR)`],
  ['D', undefined, () => (v) => `CAST(dayofweek(${v}) + 1 AS VARCHAR)`],
  ['J', undefined, () => (v) => `CAST(CAST(julian(${v}) AS BIGINT) AS VARCHAR)`],
  ['W', undefined, () => (v) => `CAST((day(${v}) - 1) // 7 + 1 AS VARCHAR)`],
  ['Y', undefined, () => (v) => `right(strftime(${v}, '%Y'), 1)`],
];

/** Splits a datetime format into literal text and elements; `forParse` gives strptime specs instead. */
function datetimePieces(format: string, fn: string): Piece[] {
  const pieces: Piece[] = [];
  let fill = false;
  for (let i = 0; i < format.length; ) {
    if (format[i] === '"') {
      const end = format.indexOf('"', i + 1);
      pieces.push({ text: format.slice(i + 1, end === -1 ? undefined : end) });
      i = end === -1 ? format.length : end + 1;
      continue;
    }
    if (/^FM/i.test(format.slice(i))) {
      fill = true;
      i += 2;
      continue;
    }
    const element = DATETIME_ELEMENTS.find(([name]) => format.slice(i, i + name.length).toUpperCase() === name);
    if (element) {
      const word = format.slice(i, i + element[0].length);
      pieces.push({ expr: element[2](word, fill) });
      i += word.length;
      if (/^TH/i.test(format.slice(i))) throw new UnsupportedSqlError(`the ordinal suffix TH in the ${fn} format '${format}'`);
      fill = false;
      continue;
    }
    pieces.push({ text: format[i] });
    i++;
  }
  return pieces;
}

/** The strptime pattern for a Redshift datetime format. */
function strptimePattern(format: string, fn: string): string {
  let out = '';
  for (let i = 0; i < format.length; ) {
    if (format[i] === '"') {
      const end = format.indexOf('"', i + 1);
      out += format.slice(i + 1, end === -1 ? undefined : end).replace(/%/g, '%%');
      i = end === -1 ? format.length : end + 1;
      continue;
    }
    if (/^FM/i.test(format.slice(i))) {
      i += 2;
      continue;
    }
    const element = DATETIME_ELEMENTS.find(([name]) => format.slice(i, i + name.length).toUpperCase() === name);
    if (element) {
      if (!element[1]) throw new UnsupportedSqlError(`the format element ${element[0]} in ${fn}`);
      out += element[1];
      i += element[0].length;
      continue;
    }
    out += format[i] === '%' ? '%%' : format[i];
    i++;
  }
  return out;
}

const joinPieces = (pieces: Piece[], value: string) =>
  pieces.length === 0 ? "''" : pieces.map((p) => ('text' in p ? quoteLiteral(p.text) : p.expr(value))).join(' || ');

const isNumericFormat = (format: string) => /^[\s9,.0DGSLMIPR$FV]*$/i.test(format) && /[90]/.test(format) || /^\s*(FM)?RN\s*$/i.test(format);

/** TO_CHAR of a number: the digits block, sign and currency placed as the template says. */
function numericToChar(value: string, format: string): string {
  const n = `CAST(${value} AS DOUBLE)`;
  if (/RN/i.test(format)) return `sparkify_roman(${value})`;
  const digits = format.match(/[90][90,.DG]*/i)?.[0] ?? '';
  const decimalAt = digits.search(/[.D]/i);
  const decimals = decimalAt === -1 ? 0 : digits.slice(decimalAt + 1).replace(/[^90]/g, '').length;
  const intZeros = (decimalAt === -1 ? digits : digits.slice(0, decimalAt)).replace(/[^90]/g, '');
  const grouped = /[,G]/i.test(digits);
  let block = grouped ? `format('{:,.${decimals}f}', abs(${n}))` : `printf('%.${decimals}f', abs(${n}))`;
  if (intZeros.startsWith('0')) block = `lpad(${block}, ${intZeros.length + (decimals ? decimals + 1 : 0)}, '0')`;
  // A 9 prints no digit for a zero integer part: 0.5 with '9.99' is '.50'.
  else if (decimals > 0) block = `regexp_replace(${block}, '^0[.]', '.')`;
  const hasSign = /S|MI|PR/i.test(format);
  const out: string[] = [];
  const rest = format.replace(/^FM/i, '');
  for (let i = 0; i < rest.length; ) {
    const two = rest.slice(i, i + 2).toUpperCase();
    if (rest.slice(i).startsWith(digits) && digits) {
      out.push(/PR/i.test(format) ? `CASE WHEN ${n} < 0 THEN '<' || ${block} || '>' ELSE ${block} END` : hasSign ? block : `CASE WHEN ${n} < 0 THEN '-' ELSE '' END || ${block}`);
      i += digits.length;
    } else if (two === 'MI') {
      out.push(`CASE WHEN ${n} < 0 THEN '-' ELSE ' ' END`);
      i += 2;
    } else if (two === 'PR') {
      i += 2;
    } else if (rest[i].toUpperCase() === 'S') {
      out.push(`CASE WHEN ${n} < 0 THEN '-' ELSE '+' END`);
      i++;
    } else if (rest[i] === '$' || rest[i].toUpperCase() === 'L') {
      out.push("'$'");
      i++;
    } else if (rest[i].toUpperCase() === 'V' || /^EEEE/i.test(rest.slice(i))) {
      throw new UnsupportedSqlError(`the TO_CHAR format element ${rest[i]} in '${format}'`);
    } else {
      out.push(quoteLiteral(rest[i]));
      i++;
    }
  }
  return `(${out.join(' || ')})`;
}

function toChar(call: Call): string | undefined {
  const format = literalArg(call.raw[1]);
  if (call.args.length !== 2) return undefined;
  if (format === undefined) throw new UnsupportedSqlError('TO_CHAR with a format that is not a literal');
  if (isNumericFormat(format)) return numericToChar(call.args[0], format);
  const pieces = datetimePieces(format, 'TO_CHAR');
  // Digits with other characters between them ('999-999-9999') and no datetime element: a number's
  // template this rewrite does not place, which as a datetime template would print itself.
  if (/[90]/.test(format) && pieces.every((p) => 'text' in p)) throw new UnsupportedSqlError(`TO_CHAR of a number with the format '${format}'`);
  const value = `CAST(${temporalArg(call, 0)} AS TIMESTAMP)`;
  return `(${joinPieces(pieces, value)})`;
}

function toNumber(call: Call): string {
  const format = literalArg(call.raw[1]) ?? '';
  const decimalAt = format.search(/[.D]/i);
  const scale = decimalAt === -1 ? 0 : format.slice(decimalAt + 1).replace(/[^90]/g, '').length;
  const text = call.args[0];
  return `(CASE WHEN regexp_matches(${text}, '[-<]') THEN -1 ELSE 1 END * CAST(regexp_replace(${text}, '[^0-9.]', '', 'g') AS DECIMAL(38, ${scale})))`;
}

const parsed = (fn: string, type: string) => (call: Call) => {
  if (call.args.length !== 2) return undefined;
  const format = literalArg(call.raw[1]);
  if (format === undefined) throw new UnsupportedSqlError(`${fn} with a format that is not a literal`);
  const pattern = quoteLiteral(strptimePattern(format, fn));
  if (!/HH24/i.test(format)) return `CAST(strptime(${call.args[0]}, ${pattern}) AS ${type})`;
  // Hour 24 is midnight of the next day.
  const value = `CAST(${call.args[0]} AS VARCHAR)`;
  return `CAST(strptime(regexp_replace(${value}, '(^|[^0-9])24:', '\\100:'), ${pattern}) + CASE WHEN regexp_matches(${value}, '(^|[^0-9])24:') THEN INTERVAL 1 DAY ELSE INTERVAL 0 DAY END AS ${type})`;
};

export const FORMAT_MACROS = [
  `CREATE OR REPLACE TEMP MACRO sparkify_roman(x) AS
     repeat('M', CAST(x AS INTEGER) // 1000)
     || ['', 'C', 'CC', 'CCC', 'CD', 'D', 'DC', 'DCC', 'DCCC', 'CM'][CAST(x AS INTEGER) % 1000 // 100 + 1]
     || ['', 'X', 'XX', 'XXX', 'XL', 'L', 'LX', 'LXX', 'LXXX', 'XC'][CAST(x AS INTEGER) % 100 // 10 + 1]
     || ['', 'I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX'][CAST(x AS INTEGER) % 10 + 1]`,
];

export const FORMAT_RULES: CallRule[] = [
  { names: ['TO_CHAR'], kind: 'scalar', signature: "TO_CHAR(timestamp | number, 'format')", apply: toChar },
  { names: ['TO_DATE'], kind: 'scalar', signature: "TO_DATE(string, 'format')", apply: parsed('TO_DATE', 'DATE') },
  { names: ['TO_TIMESTAMP'], kind: 'scalar', signature: "TO_TIMESTAMP(string, 'format')", apply: parsed('TO_TIMESTAMP', 'TIMESTAMPTZ') },
  { names: ['TO_NUMBER'], kind: 'scalar', signature: "TO_NUMBER(string, 'format')", apply: toNumber },
];
