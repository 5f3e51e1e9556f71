// GetStatementResultV2 as the Data API reference documents it, for the fake
// and the client alike: Records is a list of QueryRecords whose one member is
// CSVRecords ("The results of the SQL statement in CSV format"), TotalNumRows
// counts the rows of the whole result, and an empty NextToken means every
// record has been read. The reference leaves open whether one element holds a
// page or a line, so the fake answers both ways and the client must read the
// same rows from each, and the same as from typed JSON fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecuteStatementCommand, GetStatementResultV2Command, RedshiftDataClient, type GetStatementResultV2CommandOutput } from '@aws-sdk/client-redshift-data';
import type { RedshiftConnection } from '../src/pipeline/warehouse/redshift-scope.js';
import type { ResultFormat } from '../src/pipeline/warehouse/redshift-results.js';
import type { Row } from '../src/pipeline/warehouse/types.js';
import { applyTestCredentials, startDataApi, warehouseOpener, type DataApiHarness } from './fakes/aws/data-api-harness.js';

applyTestCredentials();

let harness: DataApiHarness;
let client: RedshiftDataClient;
let connection: RedshiftConnection;
const warehouses = warehouseOpener(() => connection);
const scope = { ClusterIdentifier: 'c', Database: 'dev', DbUser: 'awsuser' };

// Rows that test a CSV reader: NULL against '', the word NULL, a separator, a quote, a line
// break, and a row whose values are the column names (a header lookalike on a later page).
const SQL = `SELECT id, s, n FROM (VALUES
  (0, 'id', 's'), (1, NULL, NULL), (2, '', 'NULL'), (3, 'a,b', 'say "hi"'),
  (4, 'two' || chr(10) || 'lines', ','), (5, 'id', 'n')) AS v(id, s, n) ORDER BY id`;

beforeAll(async () => {
  harness = await startDataApi({ pageSize: 2, clusters: { c: {} } });
  client = new RedshiftDataClient({ region: 'us-west-2', endpoint: harness.url, maxAttempts: 1 });
  connection = { clusterIdentifier: 'c', database: 'dev', dbUser: 'awsuser', region: 'us-west-2', endpoint: harness.url };
});

afterAll(async () => {
  client.destroy();
  await warehouses.closeAll();
  await harness.close();
});

async function pagesOf(sql: string): Promise<GetStatementResultV2CommandOutput[]> {
  const { Id } = await client.send(new ExecuteStatementCommand({ ...scope, Sql: sql, ResultFormat: 'CSV', WaitTimeSeconds: 10 }));
  const pages: GetStatementResultV2CommandOutput[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new GetStatementResultV2Command({ Id, NextToken: token }));
    pages.push(page);
    token = page.NextToken;
  } while (token);
  return pages;
}

async function readAll(resultFormat: ResultFormat, sql: string): Promise<Row[]> {
  const warehouse = await warehouses.open({ resultFormat });
  const result = await warehouse.query(sql);
  const rows: Row[] = [];
  for await (const page of result.pages()) rows.push(...page);
  return rows;
}

describe.each(['page', 'row'] as const)('GetStatementResultV2 with one Records element per %s', (csvRecords) => {
  beforeAll(() => harness.fake.configure({ csvRecords }));

  it('answers in the documented shape, page by page, with TotalNumRows on each page and no NextToken on the last', async () => {
    const pages = await pagesOf(SQL);
    expect(pages.length).toBe(3);
    for (const page of pages) {
      expect(page.ResultFormat).toBe('CSV');
      expect(page.TotalNumRows).toBe(6);
      expect(page.ColumnMetadata?.map((column) => column.name)).toEqual(['id', 's', 'n']);
      expect(page.Records!.length).toBeGreaterThan(0);
      for (const record of page.Records!) {
        expect(Object.keys(record)).toEqual(['CSVRecords']);
        expect(typeof record.CSVRecords).toBe('string');
      }
    }
    expect(pages.slice(0, -1).every((page) => typeof page.NextToken === 'string' && page.NextToken !== '')).toBe(true);
    expect(pages.at(-1)!.NextToken).toBeUndefined();
    if (csvRecords === 'row') expect(pages.map((page) => page.Records!.length)).toEqual([3, 2, 2]);
  });

  it('reads back through the client the rows the typed JSON fields give, NULL apart from the empty string and the word NULL', async () => {
    const csv = await readAll('CSV', SQL);
    expect(csv).toEqual([
      [0, 'id', 's'],
      [1, null, null],
      [2, '', 'NULL'],
      [3, 'a,b', 'say "hi"'],
      [4, 'two\nlines', ','],
      [5, 'id', 'n'],
    ]);
    expect(csv).toEqual(await readAll('JSON', SQL));
  });

  it('reads a one-column result of NULLs, a one-row result equal to its header, and an empty result', async () => {
    expect(await readAll('CSV', 'SELECT CAST(NULL AS VARCHAR) AS v FROM generate_series(1, 3)')).toEqual([[null], [null], [null]]);
    expect(await readAll('CSV', "SELECT 'a' AS a, 'b' AS b")).toEqual([['a', 'b']]);
    expect(await readAll('CSV', 'SELECT 1 AS a WHERE 1 = 0')).toEqual([]);
  });
});
