// Data API results in CSV (ResultFormat CSV, read with GetStatementResultV2):
// RFC 4180 text, typed by the result's ColumnMetadata into the same values as
// the typed JSON fields give. Hand-written rather than a CSV package: the
// reader must tell an empty unquoted field (NULL) from a quoted empty one (an
// empty string) and type each field by its column in the same pass, and it
// runs over every row of a large result.
import { SparkifyError } from '../errors.js';
import { normalizeTimestamp } from './redshift-values.js';
import type { ColumnInfo, Row, SqlValue } from './types.js';

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** Records of CSV text: a quoted field is text (`""` is an empty string), an empty unquoted one is NULL. */
export function parseCsvRecords(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (text.charCodeAt(i) === QUOTE) {
      let value = '';
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close < 0) throw new SparkifyError('the Redshift Data API returned a CSV result with an unterminated quoted field');
        value += text.slice(i, close);
        if (text.charCodeAt(close + 1) === QUOTE) {
          value += '"';
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      row.push(value);
    } else {
      let end = i;
      for (let c = text.charCodeAt(end); end < n && c !== COMMA && c !== LF && c !== CR; c = text.charCodeAt(++end));
      row.push(end === i ? null : text.slice(i, end));
      i = end;
    }
    if (text.charCodeAt(i) === COMMA) {
      i++;
      // A comma that ends the text leaves one more (NULL) field.
      if (i === n) row.push(null);
      continue;
    }
    if (text.charCodeAt(i) === CR) i++;
    if (text.charCodeAt(i) === LF) i++;
    rows.push(row);
    row = [];
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

type Convert = (text: string) => SqlValue;

const asNumber: Convert = (text) => Number(text);
const asText: Convert = (text) => text;

/** How a column's text becomes the value the typed JSON field would give (DECIMAL stays text, as it arrives there). */
function converter(type: string): Convert {
  switch (type) {
    case 'int2':
    case 'int4':
    case 'int8':
    case 'smallint':
    case 'integer':
    case 'bigint':
    case 'float4':
    case 'float8':
    case 'float':
    case 'real':
    case 'double precision':
      return asNumber;
    case 'bool':
    case 'boolean':
      return (text) => text === 't' || text === 'true' || text === '1';
    case 'timestamp':
      return normalizeTimestamp;
    default:
      return asText;
  }
}

/** What tells a header line from a row on a result's first page: the row count, and whether more pages follow. */
export interface FirstPage {
  totalRows?: number;
  more: boolean;
}

/**
 * Whether the page opens with the column names. The Data API reference
 * (API_GetStatementResultV2, API_QueryRecords) says only that CSVRecords holds
 * the result "in CSV format"; the Management Guide's get-statement-result-v2
 * example (data-api-calling-cli-get-statement-result) starts CSVRecords with
 * the column names. A row whose values are its own column names reads the
 * same, so on a page that holds the whole result the count decides: one
 * record more than TotalNumRows is the header.
 */
function opensWithHeader(records: (string | null)[][], columns: ColumnInfo[], first: FirstPage): boolean {
  const head = records[0];
  if (!head || head.length !== columns.length || head.some((field, index) => field !== columns[index].name)) return false;
  return first.more || first.totalRows === undefined || records.length === first.totalRows + 1;
}

/**
 * One page of CSV text as rows typed by `columns`, the text in one piece or in
 * several (GetStatementResultV2's Records, each read on its own, so a piece that
 * does not end in a line break never runs into the next); the first page's
 * header line, when it has one, is not a row.
 */
export function csvToRows(text: string | string[], columns: ColumnInfo[], first?: FirstPage): Row[] {
  const convert = columns.map((column) => converter(column.type));
  // An empty piece of a one-column result is a line holding NULL, unless the result has no rows.
  const emptyPiece = columns.length === 1 && first?.totalRows !== 0 ? [[null]] : [];
  const pieces = typeof text === 'string' ? [text] : text;
  const records = pieces.flatMap((piece) => (piece === '' ? emptyPiece : parseCsvRecords(piece)));
  if (first && opensWithHeader(records, columns, first)) records.shift();
  return records.map((record) => {
    if (record.length !== columns.length) {
      throw new SparkifyError(`the Redshift Data API returned a CSV row of ${record.length} fields for a result of ${columns.length} columns`);
    }
    return record.map((field, index) => (field === null ? null : convert[index](field)));
  });
}
