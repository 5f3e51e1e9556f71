// How a COPY turns a field into a column value, as Redshift does, for every
// input format: the columns it fills (IDENTITY ones skipped unless
// EXPLICIT_IDS), empty fields of non-character types as NULL, EMPTYASNULL and
// BLANKSASNULL for character types, VARCHAR(n) counted in bytes (rejected, or
// cut with TRUNCATECOLUMNS), no fractions into integer columns, no NaN or
// Infinity, and TIMEFORMAT / DATEFORMAT. Fields are read as text and cast in
// the SELECT, so one rule serves JSON and delimited text alike.
import { SqlError } from '../errors.js';
import type { CopySpec } from '../sql/copy.js';
import { notesFromComment } from '../sql/table-notes.js';
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

/**
 * The table a COPY names, found as Redshift finds it: names fold to lower
 * case, public is the main schema, and an unqualified name is the first table
 * of that name along the search path (main when the path does not name it).
 */
async function findTable(table: string, target: LoadTarget): Promise<{ schema: string; name: string } | undefined> {
  const parts = table.replace(/"/g, '').toLowerCase().split('.');
  const [schema, name] = parts.length === 2 ? [parts[0] === 'public' ? 'main' : parts[0], parts[1]] : [undefined, parts[0]];
  const inSchema = schema === undefined ? '' : ` AND lower(schema_name) = ${quoteLiteral(schema)}`;
  const [found] = await target.rows(
    `SELECT schema_name, table_name FROM duckdb_tables()
     WHERE database_name = current_database() AND lower(table_name) = ${quoteLiteral(name)}${inSchema}
     ORDER BY coalesce(nullif(list_position(string_split(current_setting('search_path'), ','), schema_name), 0), CASE WHEN schema_name = 'main' THEN 1000 ELSE 1001 END)
     LIMIT 1`,
  );
  return found ? { schema: found[0]!, name: found[1]! } : undefined;
}

export async function describeTable(table: string, target: LoadTarget): Promise<LoadTable> {
  const found = await findTable(table, target);
  if (!found) throw new SqlError(`relation "${table.replace(/"/g, '').toLowerCase()}" does not exist`, { hint: 'create the table before the COPY that loads it (`sparkify create-tables` makes the model\'s)' });
  const { schema, name } = found;
  const where = `database_name = current_database() AND schema_name = ${quoteLiteral(schema)} AND table_name = ${quoteLiteral(name)}`;
  const rows = await target.rows(
    `SELECT column_name, data_type, coalesce(column_default, '') LIKE 'nextval(%' FROM duckdb_columns() WHERE ${where} ORDER BY column_index`,
  );
  // Declared lengths live in the table comment the rewrite adds.
  const [comment] = await target.rows(`SELECT comment FROM duckdb_tables() WHERE ${where}`);
  const lengths = notesFromComment(comment?.[0]).lengths ?? {};
  return {
    schema,
    name,
    columns: rows.map(([column, type, identity]) => {
      const name = column!.toLowerCase();
      return { name, type: type!.toUpperCase(), identity: identity === 'true', maxBytes: Object.hasOwn(lengths, name) ? lengths[name] : undefined };
    }),
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
  /** The column value from the field expression `x`. `lenient` casts with TRY_CAST (bad fields become NULL, filtered by `refused`). */
  value(x: string, lenient: boolean): string;
  /** True for a field the column refuses (NULL for a NULL field); absent when it takes every field the reader gives. */
  refused?(x: string): string;
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

/**
 * The rule for one column. `typed` (for readers that parse numbers, as JSON's
 * does) reads numbers as DOUBLE, about twice as fast as reading them as text
 * and casting; an empty field in a number column then stops the statement,
 * and the load runs again with the text rules, which take it as NULL.
 */
export function columnRule(column: TableColumn, copy: CopySpec, typed = false): ColumnRule {
  const base = baseType(column.type);
  if (typed && (INTEGER_TYPES.includes(base) && base !== 'BIGINT' && base !== 'HUGEINT')) {
    // A DOUBLE holds every INTEGER exactly; a fraction is refused, a value out of range fails the cast.
    return { column, read: 'DOUBLE', value: (x, lenient) => `${lenient ? 'TRY_CAST' : 'CAST'}(${x} AS ${column.type})`, refused: (x) => `${x} <> trunc(${x})` };
  }
  if (typed && FLOAT_TYPES.includes(base)) {
    return { column, read: 'DOUBLE', value: (x) => (base === 'DOUBLE' ? x : `CAST(${x} AS ${column.type})`), refused: (x) => `NOT isfinite(${x})` };
  }
  if (base === 'VARCHAR' && copy.format.kind === 'auto') return byNameCharacterRule(column, copy);
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
      refused: column.maxBytes !== undefined && !copy.truncateColumns ? (x) => `strlen(${x}) > ${column.maxBytes}` : undefined,
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
  let refused: ((x: string) => string) | undefined;
  // A fraction into an integer column is rejected, not rounded (JSON numbers arrive as text like `1.5`); a
  // whole number written with a zero fraction (`100.0`, the course's float `registration`) loads as that integer.
  if (INTEGER_TYPES.includes(base)) refused = (x) => `(contains(${x}, '.') AND NOT regexp_matches(${x}, '^\\s*[-+]?[0-9]+\\.0*\\s*$'))`;
  // NaN and Infinity are refused: every spelling holds an n.
  if (FLOAT_TYPES.includes(base)) refused = (x) => `(contains(${x}, 'n') OR contains(${x}, 'N'))`;
  return { column, read: 'VARCHAR', value: (x, lenient) => orNull(x, convert(x, lenient)), refused };
}

/**
 * A character column a JSON load fills by name: the field is read as JSON, so
 * a nested object or array is told from a string that looks like one; it is
 * refused (Redshift loads such values as text only through a jsonpaths file).
 */
function byNameCharacterRule(column: TableColumn, copy: CopySpec): ColumnRule {
  const text = columnRule(column, { ...copy, format: { kind: 'text' } });
  const nested = (x: string) => `json_type(${x}) IN ('OBJECT', 'ARRAY')`;
  const asText = (x: string) => `CASE WHEN json_type(${x}) = 'VARCHAR' THEN ${x} ->> '$' WHEN ${nested(x)} THEN NULL ELSE CAST(${x} AS VARCHAR) END`;
  return {
    column,
    read: 'JSON',
    value: (x, lenient) => text.value(asText(x), lenient),
    refused: (x) => (text.refused ? `(${nested(x)} OR ${text.refused(asText(x))})` : nested(x)),
  };
}

/**
 * The SELECT list and the WHERE for fields `refs[i]` into `rules[i]`. Strict:
 * a row with a field a rule refuses stops the statement (one test per row, not
 * per field: it is the cost of the rules), and the diagnosis names it.
 * Lenient (MAXERROR): such rows are left out.
 */
export function selectFields(rules: ColumnRule[], refs: string[], lenient: boolean): { values: string[]; select: string; where: string } {
  const values = rules.map((rule, i) => rule.value(refs[i], lenient));
  const select = values.join(', ');
  const refusals = rules.flatMap((rule, i) => (rule.refused ? [rule.refused(refs[i])] : []));
  const anyRefused = refusals.length > 0 ? `coalesce(${refusals.join(' OR ')}, false)` : undefined;
  if (!lenient) {
    return { values, select, where: anyRefused ? ` WHERE CASE WHEN ${anyRefused} THEN error('COPY: a field was refused by its column') ELSE true END` : '' };
  }
  const conditions = anyRefused ? [`NOT ${anyRefused}`] : [];
  rules.forEach((rule, i) => {
    const x = refs[i];
    if (rule.read === 'VARCHAR' && !isCharacterType(rule.column.type)) conditions.push(`(${x} IS NULL OR trim(${x}) = '' OR ${rule.value(x, true)} IS NOT NULL)`);
  });
  return { values, select, where: conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '' };
}
