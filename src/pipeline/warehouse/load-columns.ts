// How a COPY turns a field into a column value, as Redshift does, for every
// input format: the columns it fills (IDENTITY ones skipped unless
// EXPLICIT_IDS), empty fields of non-character types as NULL, EMPTYASNULL and
// BLANKSASNULL for character types, VARCHAR(n) counted in bytes (rejected, or
// cut with TRUNCATECOLUMNS), no fractions into integer columns, no NaN or
// Infinity, and TIMEFORMAT / DATEFORMAT. Fields are read as text and cast in
// the SELECT, so one rule serves JSON and delimited text alike.
import { SqlError } from '../errors.js';
import type { CopySpec } from '../sql/copy.js';
import { quoteLiteral } from '../sql/tokenizer.js';
import type { LoadTarget } from './json-load.js';

export interface TableColumn {
  /** Lower-case name. */
  name: string;
  /** DuckDB type, upper case. */
  type: string;
  /** An IDENTITY column (its default is a sequence). */
  identity: boolean;
  /** The declared length of a VARCHAR(n) / CHAR(n) column, in bytes. */
  maxBytes?: number;
}

export interface LoadTable {
  schema: string;
  name: string;
  columns: TableColumn[];
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function describeTable(table: string, target: LoadTarget): Promise<LoadTable> {
  const parts = table.replace(/"/g, '').split('.');
  const [schema, name] = parts.length === 2 ? [parts[0]!, parts[1]!] : ['main', parts[0]!];
  const where = `schema_name = ${quoteLiteral(schema)} AND table_name = ${quoteLiteral(name)}`;
  const rows = await target.rows(
    `SELECT column_name, data_type, coalesce(column_default, '') LIKE 'nextval(%' FROM duckdb_columns() WHERE ${where} ORDER BY column_index`,
  );
  if (rows.length === 0) throw new SqlError(`COPY into ${table}: the table does not exist`, { hint: 'run `sparkify create-tables` first' });
  // Declared lengths live in the CHECK (strlen(col) <= n) the rewrite adds.
  const checks = await target.rows(`SELECT constraint_column_names[1], expression FROM duckdb_constraints() WHERE ${where} AND constraint_type = 'CHECK'`);
  const lengths = new Map<string, number>();
  for (const [column, expression] of checks) {
    const match = expression?.match(/^\(strlen\(.*\) <= (\d+)\)$/);
    if (column && match) lengths.set(column.toLowerCase(), Number(match[1]));
  }
  return {
    schema,
    name,
    columns: rows.map(([column, type, identity]) => ({
      name: column!.toLowerCase(),
      type: type!.toUpperCase(),
      identity: identity === 'true',
      maxBytes: lengths.get(column!.toLowerCase()),
    })),
  };
}

/** The columns a COPY fills, in order: its column list, or every column but the IDENTITY ones (unless EXPLICIT_IDS). */
export function copyColumns(copy: CopySpec, table: LoadTable): TableColumn[] {
  if (!copy.columns) return table.columns.filter((c) => copy.explicitIds || !c.identity);
  return copy.columns.map((name) => {
    const column = table.columns.find((c) => c.name === name);
    if (!column) throw new SqlError(`COPY into ${copy.table}: no column named ${name}`);
    if (column.identity && !copy.explicitIds) {
      throw new SqlError(`COPY into ${copy.table}: ${name} is an IDENTITY column`, { hint: 'leave it out of the column list, or add EXPLICIT_IDS to load its values' });
    }
    return column;
  });
}

const INTEGER_TYPES = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT'];
const FLOAT_TYPES = ['DOUBLE', 'FLOAT', 'REAL'];
const CASTS_FROM_TEXT = [...INTEGER_TYPES, ...FLOAT_TYPES, 'BOOLEAN', 'DATE', 'TIMESTAMP'];

export const baseType = (type: string) => type.replace(/\(.*\)$/, '').trim();
export const isCharacterType = (type: string) => baseType(type) === 'VARCHAR';

/** Redshift date/time format elements, longest first, as strptime directives. */
const FORMAT_ELEMENTS: [string, string][] = [
  ['YYYY', '%Y'], ['HH24', '%H'], ['HH12', '%I'], ['MONTH', '%B'], ['MON', '%b'], ['YY', '%y'], ['MM', '%m'], ['DD', '%d'],
  ['HH', '%H'], ['MI', '%M'], ['SS', '%S'], ['US', '%f'], ['AM', '%p'], ['PM', '%p'],
];

/** A TIMEFORMAT / DATEFORMAT string as a strptime format. */
export function strptimeFormat(format: string): string {
  let out = '';
  for (let i = 0; i < format.length; ) {
    const element = FORMAT_ELEMENTS.find(([name]) => format.startsWith(name, i));
    if (element) {
      out += element[1];
      i += element[0].length;
    } else {
      out += format[i] === '%' ? '%%' : format[i];
      i++;
    }
  }
  return out;
}

/** How one field becomes one column value. */
export interface ColumnRule {
  column: TableColumn;
  /** The type the reader declares for the field. */
  read: string;
  /** The column value from the field expression `x`. `lenient` casts with TRY_CAST (bad fields become NULL, filtered by `valid`). */
  value(x: string, lenient: boolean): string;
  /** True for a field the column takes; absent when every field the reader gives is taken. */
  valid?(x: string): string;
}

/**
 * Cuts a value to at most n bytes at a character boundary: of the first n
 * characters, as many are dropped from the end as there are bytes too many
 * (each character is at least one byte, so that always fits).
 */
function truncateBytes(v: string, n: number): string {
  const prefix = `left(${v}, ${n})`;
  return `CASE WHEN strlen(${prefix}) <= ${n} THEN ${prefix} ELSE left(${v}, ${2 * n} - strlen(${prefix})) END`;
}

export function columnRule(column: TableColumn, copy: CopySpec): ColumnRule {
  const base = baseType(column.type);
  if (base === 'VARCHAR') {
    return {
      column,
      read: 'VARCHAR',
      value(x) {
        let v = x;
        if (copy.emptyAsNull) v = `nullif(${v}, '')`;
        if (copy.blanksAsNull) v = `CASE WHEN ${x} <> '' AND trim(${x}) = '' THEN NULL ELSE ${v} END`;
        if (column.maxBytes !== undefined && copy.truncateColumns) v = truncateBytes(v, column.maxBytes);
        return v;
      },
      valid: column.maxBytes !== undefined && !copy.truncateColumns ? (x) => `(${x} IS NULL OR strlen(${x}) <= ${column.maxBytes})` : undefined,
    };
  }
  if (!CASTS_FROM_TEXT.includes(base) && !base.startsWith('DECIMAL')) return { column, read: column.type, value: (x) => x };
  // Empty and blank fields of non-character types load as NULL.
  const cast = (text: string, lenient: boolean) => `${lenient ? 'TRY_CAST' : 'CAST'}(${text} AS ${column.type})`;
  const orNull = (x: string, converted: string) => `CASE WHEN trim(${x}) = '' THEN NULL ELSE ${converted} END`;
  const format = base === 'TIMESTAMP' ? copy.timeFormat : base === 'DATE' ? copy.dateFormat : undefined;
  const lowered = format?.toLowerCase();
  let convert = (x: string, lenient: boolean) => cast(x, lenient);
  if (lowered === 'epochsecs' || lowered === 'epochmillisecs') {
    const micros = lowered === 'epochsecs' ? 1_000_000 : 1000;
    convert = (x, lenient) => `make_timestamp(CAST(${lenient ? 'TRY_CAST' : 'CAST'}(${x} AS DOUBLE) * ${micros} AS BIGINT))`;
  } else if (format !== undefined && lowered !== 'auto') {
    const fn = (lenient: boolean) => (lenient ? 'try_strptime' : 'strptime');
    convert = (x, lenient) => `CAST(${fn(lenient)}(${x}, ${quoteLiteral(strptimeFormat(format))}) AS ${column.type})`;
  }
  let valid: ((x: string) => string) | undefined;
  // A fraction into an integer column is rejected, not rounded (JSON numbers arrive as text like `1.5`); a
  // whole number written with a zero fraction (`100.0`, the course's float `registration`) loads as that integer.
  if (INTEGER_TYPES.includes(base)) valid = (x) => `(${x} IS NULL OR NOT contains(${x}, '.') OR regexp_matches(${x}, '^\\s*[-+]?[0-9]+\\.0*\\s*$'))`;
  // NaN and Infinity are refused: every spelling holds an n.
  if (FLOAT_TYPES.includes(base)) valid = (x) => `(${x} IS NULL OR NOT (contains(${x}, 'n') OR contains(${x}, 'N')))`;
  return { column, read: 'VARCHAR', value: (x, lenient) => orNull(x, convert(x, lenient)), valid };
}

/**
 * The SELECT list (and, when lenient, the WHERE) for fields `refs[i]` into
 * `rules[i]`. Strict: a field a rule refuses stops the statement, and the
 * diagnosis names it. Lenient (MAXERROR): such rows are left out.
 */
export function selectFields(rules: ColumnRule[], refs: string[], lenient: boolean): { select: string; where: string } {
  const select = rules.map((rule, i) => {
    const value = rule.value(refs[i]!, lenient);
    if (!rule.valid || lenient) return value;
    return `CASE WHEN ${rule.valid(refs[i]!)} THEN ${value} ELSE error(${quoteLiteral(`COPY: a field of column ${rule.column.name} was refused`)}) END`;
  });
  const conditions = lenient
    ? rules.flatMap((rule, i) => {
        const checks = rule.valid ? [rule.valid(refs[i]!)] : [];
        if (rule.read === 'VARCHAR' && !isCharacterType(rule.column.type)) checks.push(`(${refs[i]} IS NULL OR trim(${refs[i]}) = '' OR ${rule.value(refs[i]!, true)} IS NOT NULL)`);
        return checks;
      })
    : [];
  return { select: select.join(', '), where: conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '' };
}
