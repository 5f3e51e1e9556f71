// A query's result written by DuckDB itself (COPY ... TO), in the same text
// the row-by-row writers of format.ts print: Redshift's column names, nested
// values as JSON text, DECIMAL as a string in JSON, whole doubles without
// `.0`, and TSV's backslash escapes. Many times faster than handing every value to JavaScript.
import type { DuckDBType } from '@duckdb/node-api';
import { duckdbApi } from './duckdb-api.js';
import { quoteLiteral } from '../sql/tokenizer.js';
import { quoteIdent } from './load-columns.js';
import { uniqueColumnNames } from '../format.js';

const { DuckDBTypeId } = duckdbApi;

/** Formats DuckDB writes itself. */
export type NativeFormat = 'csv' | 'tsv' | 'json' | 'jsonl' | 'parquet';

export interface ExportColumn {
  name: string;
  type: DuckDBType;
}

const NESTED = new Set([DuckDBTypeId.LIST, DuckDBTypeId.STRUCT, DuckDBTypeId.MAP, DuckDBTypeId.ARRAY, DuckDBTypeId.UNION]);

/** One column of the SELECT around the query, by position (`#1`), so duplicate names cannot clash. */
function column(format: NativeFormat, { name, type }: ExportColumn, position: number): string {
  let value = `#${position}`;
  if (format !== 'parquet') {
    const nested = NESTED.has(type.typeId);
    if (nested) value = `to_json(${value})::VARCHAR`;
    else if (type.typeId === DuckDBTypeId.DECIMAL && (format === 'json' || format === 'jsonl')) value = `${value}::VARCHAR`;
    else if (type.typeId === DuckDBTypeId.DOUBLE || type.typeId === DuckDBTypeId.FLOAT) value = wholeAsInteger(value, format === 'json' || format === 'jsonl');
    // Only text can hold a tab, newline, carriage return or backslash.
    if (format === 'tsv' && (nested || type.typeId === DuckDBTypeId.VARCHAR)) value = tsvEscaped(value);
  }
  return `${value} AS ${quoteIdent(format === 'tsv' ? tsvEscapedName(name) : name)}`;
}

/**
 * A whole float8 as Redshift and the row writers print it, `51` (DuckDB writes `51.0`); others as DuckDB
 * writes them, which is JavaScript's shortest form too. Past 1e18 the BIGINT a whole value becomes would not hold it.
 */
function wholeAsInteger(value: string, json: boolean): string {
  const whole = `isfinite(${value}) AND ${value} = trunc(${value}) AND abs(${value}) < 1e18`;
  return json
    ? `CASE WHEN ${whole} THEN to_json(CAST(${value} AS BIGINT)) ELSE to_json(${value}) END`
    : `CASE WHEN ${whole} THEN CAST(CAST(${value} AS BIGINT) AS VARCHAR) ELSE CAST(${value} AS VARCHAR) END`;
}

/** Backslash, tab, newline and carriage return as `\\`, `\t`, `\n`, `\r` (the TSV writer's escapes); most values have none, and skip the replacing. */
function tsvEscaped(value: string): string {
  return `CASE WHEN regexp_matches(${value}, '[\\\\\\t\\n\\r]') THEN replace(replace(replace(replace(${value}, '\\', '\\\\'), chr(9), '\\t'), chr(10), '\\n'), chr(13), '\\r') ELSE ${value} END`;
}

function tsvEscapedName(name: string): string {
  return name.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

const OPTIONS: Record<NativeFormat, string> = {
  csv: "FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"', NULLSTR ''",
  tsv: "FORMAT csv, HEADER true, DELIMITER '\t', QUOTE '', NULLSTR ''",
  json: 'FORMAT json, ARRAY true',
  jsonl: 'FORMAT json',
  parquet: 'FORMAT parquet',
};

/** `COPY (SELECT ... FROM (query) LIMIT n) TO 'path' (options)`. */
export function copyToStatement(query: string, columns: ExportColumn[], format: NativeFormat, path: string, limit?: number): string {
  // Duplicate names take the names the row writers give them (DuckDB's own would be `name_1`, or an error for JSON).
  const keys = uniqueColumnNames(columns.map((c) => c.name));
  const select = `SELECT ${columns.map((c, i) => column(format, { ...c, name: keys[i] }, i + 1)).join(', ')} FROM (${query}\n)${limit === undefined ? '' : ` LIMIT ${limit}`}`;
  return `COPY (${select}) TO ${quoteLiteral(path)} (${OPTIONS[format]})`;
}
