// What the fake Data API answers about statements once they run:
// DescribeStatement's fields, result pages (typed fields through
// GetStatementResult, CSV text through GetStatementResultV2) and ListStatements.
import type { Field } from './data-api-engine.js';
import { ValidationError } from './data-api-rejections.js';
import { TERMINAL, type FakeStatement, type SubStatement } from './data-api-statements.js';

/** What DescribeStatement says of a statement or of one inside a batch. */
export function describeFields(s: SubStatement): Record<string, unknown> {
  return {
    Id: s.id,
    Status: s.status,
    QueryString: s.sql,
    CreatedAt: s.createdAt / 1000,
    UpdatedAt: s.updatedAt / 1000,
    Duration: TERMINAL.has(s.status) ? s.durationNs : -1,
    ResultRows: s.status === 'FINISHED' ? s.resultRows : -1,
    ResultSize: s.status === 'FINISHED' && s.result ? Buffer.byteLength(JSON.stringify(s.result.records)) : -1,
    HasResultSet: s.hasResultSet,
    ...(s.queryId ? { RedshiftQueryId: s.queryId } : {}),
    ...(s.error ? { Error: s.error } : {}),
  };
}

/** DescribeStatement of a statement, or of one inside a batch (`sub`). */
export function describe(statement: FakeStatement, sub: SubStatement | undefined): Record<string, unknown> {
  return {
    ...describeFields(sub ?? statement),
    RedshiftPid: statement.pid,
    ...(!sub && statement.subs ? { SubStatements: statement.subs.map(describeFields) } : {}),
    ...statement.scope,
    ...(statement.session ? { SessionId: statement.session.id } : {}),
  };
}

/** GetStatementResult pages typed fields of a JSON result; GetStatementResultV2 pages CSV text of a CSV one. */
export function resultPage(
  statement: FakeStatement,
  sub: SubStatement | undefined,
  nextToken: string | undefined,
  v2: boolean,
  pageSize: number,
  csvRecords: 'page' | 'row' = 'page',
): Record<string, unknown> {
  const target = sub ?? statement;
  if (v2 !== statement.csv) {
    throw new ValidationError(
      v2 ? 'GetStatementResultV2 reads results in CSV format: run the statement with ResultFormat CSV' : 'The result is in CSV format: read it with GetStatementResultV2',
    );
  }
  if (target.status !== 'FINISHED') throw new ValidationError(`Query has not finished: status is ${target.status}`);
  const result = target.result;
  if (!result) throw new ValidationError('Query does not have result. Please check query status with DescribeStatement.');
  const offset = nextToken ? Number(Buffer.from(nextToken, 'base64').toString('utf8')) : 0;
  if (!Number.isInteger(offset) || offset < 0 || offset > result.records.length) {
    throw new ValidationError('NextToken is not valid');
  }
  const end = Math.min(offset + pageSize, result.records.length);
  const page = result.records.slice(offset, end);
  return {
    Records: v2 ? csvRecordList(offset === 0 ? result.columns : undefined, page, csvRecords) : page,
    ColumnMetadata: result.columns,
    TotalNumRows: result.records.length,
    ...(v2 ? { ResultFormat: 'CSV' } : {}),
    ...(end < result.records.length ? { NextToken: Buffer.from(String(end)).toString('base64') } : {}),
  };
}

/**
 * Rows as CSV text (RFC 4180): fields with commas, quotes or line breaks are
 * quoted with quotes doubled; NULL is an empty unquoted field and an empty
 * string a quoted one (""), so the two read back apart.
 */
export function toCsv(records: Field[][]): string {
  const text = (field: Field): string => {
    if ('isNull' in field) return '';
    const value = String(Object.values(field)[0]);
    return value === '' || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  };
  return records.map((row) => `${row.map(text).join(',')}\n`).join('');
}

/**
 * A page's Records for GetStatementResultV2. The reference gives Records as a
 * list of QueryRecords, each "The results of the SQL statement in CSV format",
 * and says nothing of a header line, NULL or quoting. The fake's first page
 * opens with the column names (as the Management Guide's get-statement-result-v2
 * example does), NULL is an empty field, and the text is one element or one
 * per line: the client reads every one of these alike.
 */
function csvRecordList(header: { label?: string; name?: string }[] | undefined, page: Field[][], split: 'page' | 'row'): { CSVRecords: string }[] {
  if (split === 'page') return [{ CSVRecords: (header ? csvHeader(header) : '') + toCsv(page) }];
  const lines = [...(header ? [csvHeader(header)] : []), ...page.map((row) => toCsv([row]))];
  return lines.map((line) => ({ CSVRecords: line.slice(0, -1) }));
}

/** The header line of a CSV result: the column labels, quoted as fields are. */
function csvHeader(columns: { label?: string; name?: string }[]): string {
  return toCsv([columns.map((column) => ({ stringValue: column.label ?? column.name ?? '' }))]);
}

/** ListStatements: newest first, of one Status when asked, paged by MaxResults. */
export function listStatements(statements: Iterable<FakeStatement>, input: Record<string, unknown>): Record<string, unknown> {
  const status = typeof input.Status === 'string' && input.Status !== 'ALL' ? input.Status : undefined;
  const max = typeof input.MaxResults === 'number' ? input.MaxResults : 100;
  const offset = typeof input.NextToken === 'string' ? Number(Buffer.from(input.NextToken, 'base64').toString('utf8')) : 0;
  const all = [...statements].filter((s) => !status || s.status === status).sort((a, b) => b.createdAt - a.createdAt);
  const page = all.slice(offset, offset + max);
  return {
    Statements: page.map((s) => ({
      Id: s.id,
      Status: s.status,
      CreatedAt: s.createdAt / 1000,
      UpdatedAt: s.updatedAt / 1000,
      IsBatchStatement: Boolean(s.subs),
      ...(s.subs ? { QueryStrings: s.subs.map((sub) => sub.sql) } : { QueryString: s.sql }),
    })),
    ...(offset + max < all.length ? { NextToken: Buffer.from(String(offset + max)).toString('base64') } : {}),
  };
}
