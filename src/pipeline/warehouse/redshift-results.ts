// Reading a finished statement's result page by page, in the format it was run
// with: typed JSON fields through GetStatementResult, or CSV text through
// GetStatementResultV2 (ResultFormat CSV), which bench/redshift-results.mjs
// measured faster for large results.
import {
  GetStatementResultCommand,
  GetStatementResultV2Command,
  type ColumnMetadata,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { CancelledError } from '../errors.js';
import { toSparkifyError } from './redshift-errors.js';
import { csvToRows } from './redshift-csv.js';
import { recordToRow, toColumnInfo } from './redshift-values.js';
import type { ColumnInfo, QueryResult, Row } from './types.js';

/** How results travel: typed JSON fields, or CSV text. */
export type ResultFormat = 'JSON' | 'CSV';

/** The format queries are run with unless told otherwise: the faster one in bench/RESULTS.md. */
export const DEFAULT_RESULT_FORMAT: ResultFormat = 'CSV';

/** One page of a result as read, its rows typed once the columns are known. */
export interface Page {
  metadata?: ColumnMetadata[];
  totalRows?: number;
  nextToken?: string;
  rows: (columns: ColumnInfo[]) => Row[];
}

export interface ResultReader {
  client: RedshiftDataClient;
  format: ResultFormat;
  label: string;
}

async function readPage({ client, format, label }: ResultReader, id: string, token: string | undefined, signal?: AbortSignal): Promise<Page> {
  if (signal?.aborted) throw new CancelledError();
  try {
    if (format === 'CSV') {
      const page = await client.send(new GetStatementResultV2Command({ Id: id, NextToken: token }), { abortSignal: signal });
      // Records is a list of CSV texts; the reference does not say whether one holds the page or a line.
      const texts = (page.Records ?? []).map((record) => record.CSVRecords ?? '');
      const first = token === undefined ? { totalRows: page.TotalNumRows, more: Boolean(page.NextToken) } : undefined;
      return {
        metadata: page.ColumnMetadata,
        totalRows: page.TotalNumRows,
        nextToken: page.NextToken,
        rows: (columns) => csvToRows(texts, columns, first),
      };
    }
    const page = await client.send(new GetStatementResultCommand({ Id: id, NextToken: token }), { abortSignal: signal });
    return {
      metadata: page.ColumnMetadata,
      totalRows: page.TotalNumRows,
      nextToken: page.NextToken,
      rows: (columns) => (page.Records ?? []).map((record) => recordToRow(record, columns)),
    };
  } catch (error) {
    if (signal?.aborted) throw new CancelledError();
    throw toSparkifyError(error, 'read a query result', label);
  }
}

/** The first page of statement `id`'s result. */
export function readFirstPage(reader: ResultReader, id: string, signal?: AbortSignal): Promise<Page> {
  return readPage(reader, id, undefined, signal);
}

/** The result of statement `id`, its first page read now (or already being read), the rest as `pages()` asks for them. */
export async function openResult(
  reader: ResultReader,
  id: string,
  engineMs: number,
  options: { signal?: AbortSignal; pageSize?: number },
  reading: Promise<Page> = readFirstPage(reader, id, options.signal),
): Promise<QueryResult> {
  const { signal } = options;
  const first = await reading;
  if (signal?.aborted) throw new CancelledError();
  const columns = toColumnInfo(first.metadata);
  const pageSize = options.pageSize && options.pageSize > 0 ? options.pageSize : undefined;
  let closed = false;
  return {
    columns,
    totalRows: first.totalRows,
    engineMs,
    async *pages(): AsyncIterable<Row[]> {
      let page: Page | undefined = first;
      while (page && !closed) {
        const rows = page.rows(columns);
        if (pageSize) {
          for (let at = 0; at < rows.length && !closed; at += pageSize) yield rows.slice(at, at + pageSize);
        } else if (rows.length > 0) {
          yield rows;
        }
        if (!page.nextToken || closed) break;
        if (signal?.aborted) throw new CancelledError();
        page = await readPage(reader, id, page.nextToken, signal);
      }
    },
    close() {
      // The Data API keeps results for 24 hours on its side; nothing to free but our cursor.
      closed = true;
      return Promise.resolve();
    },
  };
}
