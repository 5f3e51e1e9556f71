// Rejected rows, kept in the warehouse file as Redshift keeps them:
// `stl_load_errors` (a table, with Redshift's columns) and
// `sys_load_error_detail` (a view over it, with the SYS view's names), so
// `SELECT * FROM stl_load_errors` answers locally as it does on a cluster.
import type { LoadErrorDetail } from '../errors.js';
import { quoteLiteral } from '../sql/tokenizer.js';
import type { LoadTarget } from './copy-load.js';
import type { TableColumn } from './load-columns.js';

export const CREATE_LOAD_ERRORS = `CREATE TABLE IF NOT EXISTS main.stl_load_errors (
  userid INTEGER, slice INTEGER, tbl INTEGER, starttime TIMESTAMP, session INTEGER, query INTEGER,
  filename VARCHAR, line_number BIGINT, colname VARCHAR, type VARCHAR, col_length VARCHAR, position INTEGER,
  raw_line VARCHAR, raw_field_value VARCHAR, err_code INTEGER, err_reason VARCHAR, is_partial INTEGER, start_offset BIGINT)`;

export const CREATE_LOAD_ERROR_DETAIL = `CREATE VIEW IF NOT EXISTS main.sys_load_error_detail AS SELECT
  userid AS user_id, CAST(query AS BIGINT) AS query_id, CAST(query AS BIGINT) AS transaction_id, session AS session_id,
  current_database() AS database_name, tbl AS table_id, starttime AS start_time, filename AS file_name, line_number,
  colname AS column_name, type AS column_type, col_length AS column_length, position, err_code AS error_code,
  err_reason AS error_message FROM main.stl_load_errors`;

/** Redshift's load error codes (the load error reference) for the kinds of reason the scan gives. */
function errorCode(reason: string): number {
  if (/longer than VARCHAR/.test(reason)) return 1204;
  if (/UTF-8|UTF-16|NUL bytes/.test(reason)) return 1220;
  if (/^expected a timestamp/.test(reason)) return 1206;
  if (/^expected a date/.test(reason)) return 1205;
  if (/out of range for (SMALLINT|INTEGER|BIGINT)/.test(reason)) return 1222;
  if (/out of range/.test(reason)) return 1208;
  if (/whole number|expected a number|is not a number|epoch/.test(reason)) return 1207;
  if (/columns|delimiter/.test(reason)) return 1214;
  return 1216;
}

/** Redshift's short type names, as stl_load_errors.type shows them. */
function typeName(column: TableColumn | undefined): string {
  if (!column) return '';
  const names: Record<string, string> = { INTEGER: 'int4', BIGINT: 'int8', SMALLINT: 'int2', DOUBLE: 'float8', REAL: 'float4', FLOAT: 'float4', VARCHAR: 'varchar', BOOLEAN: 'bool', DATE: 'date', TIMESTAMP: 'timestamp' };
  return names[column.type.replace(/\(.*$/, '')] ?? column.type.toLowerCase();
}

export async function recordLoadErrors(
  target: Pick<LoadTarget, 'run' | 'rows'>,
  load: { table: string; startedAt: Date; details: LoadErrorDetail[]; columns: TableColumn[] },
): Promise<void> {
  if (load.details.length === 0) return;
  await target.run(CREATE_LOAD_ERRORS);
  await target.run(CREATE_LOAD_ERROR_DETAIL);
  const [[query]] = await target.rows('SELECT coalesce(max(query), 0) + 1 FROM main.stl_load_errors');
  const parts = load.table.split('.');
  const [schema, name] = parts.length === 2 ? parts : ['main', parts[0]];
  const [tableRow] = await target.rows(`SELECT table_oid FROM duckdb_tables() WHERE schema_name = ${quoteLiteral(schema)} AND table_name = ${quoteLiteral(name)}`);
  // The engine reads statement text up to a NUL, so a NUL from the data (a raw line, a key) is kept as U+FFFD.
  const text = (value: string | undefined, max: number) => (value === undefined ? 'NULL' : quoteLiteral(value.slice(0, max).replace(/\0/g, '\uFFFD')));
  const rows = load.details.map((d) => {
    const column = load.columns.find((c) => c.name === d.column);
    return `(0, 0, ${tableRow?.[0] ?? 0}, ${quoteLiteral(load.startedAt.toISOString().replace('T', ' ').replace('Z', ''))}, ${process.pid}, ${query}, ` +
      `${text(d.file, 256)}, ${d.line}, ${text(d.column ?? '', 127)}, ${quoteLiteral(typeName(column))}, ${quoteLiteral(column?.maxBytes !== undefined ? String(column.maxBytes) : '0')}, 0, ` +
      `${text(d.rawLine ?? '', 1024)}, ${text(d.rawValue ?? '', 1024)}, ${errorCode(d.reason)}, ${text(d.reason, 100)}, 0, 0)`;
  });
  await target.run(`INSERT INTO main.stl_load_errors VALUES ${rows.join(', ')}`);
}
