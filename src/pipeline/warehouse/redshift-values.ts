// Turns Data API result fields into the values the local engine hands over, so
// a query prints the same on both warehouses. DECIMAL, DATE and TIMESTAMP arrive
// from the Data API as strings already; timestamps are brought to the one text
// form both engines use (Postgres style: no trailing zeros in the fraction).
import type { ColumnMetadata, Field } from '@aws-sdk/client-redshift-data';
import type { ColumnInfo, SqlValue } from './types.js';

export function toColumnInfo(metadata: ColumnMetadata[] | undefined): ColumnInfo[] {
  return (metadata ?? []).map((column, index) => ({
    name: column.label ?? column.name ?? `column${index + 1}`,
    type: (column.typeName ?? 'unknown').toLowerCase(),
  }));
}

const TIMESTAMP_TEXT = /^(\d{4,}-\d\d-\d\d \d\d:\d\d:\d\d)(?:\.(\d{1,6}))?$/;

/** `2018-11-21 21:56:47.790` → `2018-11-21 21:56:47.79`, `…:47.000` → `…:47`: as the local engine prints them. */
export function normalizeTimestamp(text: string): string {
  const match = TIMESTAMP_TEXT.exec(text);
  if (!match) return text;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  return fraction ? `${match[1]}.${fraction}` : match[1];
}

export function fieldValue(field: Field, column: ColumnInfo | undefined): SqlValue {
  if (field.isNull) return null;
  if (field.stringValue !== undefined) {
    return column?.type === 'timestamp' ? normalizeTimestamp(field.stringValue) : field.stringValue;
  }
  if (field.longValue !== undefined) return field.longValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.booleanValue !== undefined) return field.booleanValue;
  if (field.blobValue !== undefined) return Buffer.from(field.blobValue).toString('hex');
  return null;
}

export function recordToRow(record: Field[], columns: ColumnInfo[]): SqlValue[] {
  return record.map((field, index) => fieldValue(field, columns[index]));
}
