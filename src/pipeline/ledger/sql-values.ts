// Literals for the ledger's INSERTs, the same on both engines.
import { quoteLiteral } from '../sql/tokenizer.js';
import type { Row, SqlValue, Warehouse } from '../warehouse/types.js';

export type LedgerValue = string | number | null | undefined | Date;

/** A value as a SQL literal: NULL, a number, a string, or a TIMESTAMP (UTC, milliseconds). */
export function literal(value: LedgerValue): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return `CAST(${quoteLiteral(value.toISOString().replace('T', ' ').replace('Z', ''))} AS TIMESTAMP)`;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL';
  return quoteLiteral(value);
}

/** One INSERT of many rows (none: no statement). */
export function insertRows(table: string, columns: string[], rows: LedgerValue[][]): string | undefined {
  if (rows.length === 0) return undefined;
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${rows.map((r) => `(${r.map(literal).join(', ')})`).join(', ')}`;
}

/**
 * INSERTs of many rows each, every one at most `maxBytes` long (a row longer
 * than that alone still gets a statement of its own): few statements, each
 * one the Data API takes.
 */
export function insertRowChunks(table: string, columns: string[], rows: LedgerValue[][], maxBytes: number): { sql: string; rows: number }[] {
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  const statements: { sql: string; rows: number }[] = [];
  let values: string[] = [];
  let size = Buffer.byteLength(head);
  for (const row of rows) {
    const text = `(${row.map(literal).join(', ')})`;
    const bytes = Buffer.byteLength(text) + 2;
    if (values.length > 0 && size + bytes > maxBytes) {
      statements.push({ sql: head + values.join(', '), rows: values.length });
      values = [];
      size = Buffer.byteLength(head);
    }
    values.push(text);
    size += bytes;
  }
  if (values.length > 0) statements.push({ sql: head + values.join(', '), rows: values.length });
  return statements;
}

/** Every row of a query. */
export async function allRows(warehouse: Warehouse, sql: string, signal?: AbortSignal): Promise<Row[]> {
  const result = await warehouse.query(sql, { signal });
  const rows: Row[] = [];
  for await (const page of result.pages()) rows.push(...page);
  return rows;
}

/** A TIMESTAMP as the engines hand it back (`2026-12-01 20:10:00.123`, UTC) as epoch milliseconds. */
export function timestampMs(value: SqlValue | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim().replace(' ', 'T');
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}
