// The fake Data API speaks the service's protocol: checked with the real SDK
// client (no retries, so every answer is seen as sent) and with raw HTTP for the
// control routes and the `npm run fake-aws` entry.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  GetStatementResultV2Command,
  ListStatementsCommand,
  RedshiftDataClient,
  type DescribeStatementResponse,
} from '@aws-sdk/client-redshift-data';
import { startDataApi, applyTestCredentials, type DataApiHarness } from './fakes/aws/data-api-harness.js';
import { COURSE_DATA, REPO } from './helpers/cli.js';

applyTestCredentials();

let harness: DataApiHarness;
let client: RedshiftDataClient;
const scope = { ClusterIdentifier: 'c', Database: 'dev', DbUser: 'awsuser' };

async function finished(id: string, via: RedshiftDataClient = client): Promise<DescribeStatementResponse> {
  for (;;) {
    const described = await via.send(new DescribeStatementCommand({ Id: id }));
    if (['FINISHED', 'FAILED', 'ABORTED'].includes(described.Status ?? '')) return described;
    await new Promise((r) => setTimeout(r, 5));
  }
}

beforeAll(async () => {
  harness = await startDataApi({ pageSize: 3, clusters: { c: { iamRoles: ['arn:aws:iam::123456789012:role/x'] } } });
  client = new RedshiftDataClient({ region: 'us-west-2', endpoint: harness.url, maxAttempts: 1 });
});

afterAll(async () => {
  client.destroy();
  await harness.close();
});

describe('fake Data API', () => {
  it('moves a statement through SUBMITTED, PICKED, STARTED to FINISHED, with Duration in nanoseconds', async () => {
    harness.fake.configure({ stateDelayMs: 150, latencyMs: 40 });
    try {
      const { Id, Status } = await client.send(new ExecuteStatementCommand({ ...scope, Sql: 'CREATE TABLE states (id INTEGER)' }));
      expect(Status).toBe('SUBMITTED');
      const seen: string[] = [];
      let described: DescribeStatementResponse;
      do {
        described = await client.send(new DescribeStatementCommand({ Id }));
        if (seen.at(-1) !== described.Status) seen.push(described.Status!);
        await new Promise((r) => setTimeout(r, 5));
      } while (described.Status !== 'FINISHED');
      expect(seen).toEqual(['SUBMITTED', 'PICKED', 'STARTED', 'FINISHED']);
      expect(described.Duration).toBeGreaterThanOrEqual(40e6);
      expect(described.ResultRows).toBe(-1);
      expect(described.HasResultSet).toBe(false);
      expect(described.RedshiftQueryId).toBeGreaterThan(0);
    } finally {
      harness.fake.configure({ stateDelayMs: 0, latencyMs: 0 });
    }
  });

  it('pages results with NextToken and typed fields', async () => {
    const { Id } = await client.send(new ExecuteStatementCommand({ ...scope, Sql: "SELECT range AS n, 'x' || range AS s FROM generate_series(0, 6) AS t(range)" }));
    expect((await finished(Id!)).HasResultSet).toBe(true);
    const first = await client.send(new GetStatementResultCommand({ Id }));
    expect(first.TotalNumRows).toBe(7);
    expect(first.ColumnMetadata?.map((c) => [c.name, c.typeName])).toEqual([['n', 'int8'], ['s', 'varchar']]);
    expect(first.Records?.[0]).toEqual([{ longValue: 0 }, { stringValue: 'x0' }]);
    const sizes = [first.Records!.length];
    let token = first.NextToken;
    while (token) {
      const page = await client.send(new GetStatementResultCommand({ Id, NextToken: token }));
      sizes.push(page.Records!.length);
      token = page.NextToken;
    }
    expect(sizes).toEqual([3, 3, 1]);
  });

  it('answers errors as the service does', async () => {
    const missing = await client.send(new DescribeStatementCommand({ Id: '00000000-0000-0000-0000-000000000000' })).catch((e: unknown) => e);
    expect((missing as Error).name).toBe('ResourceNotFoundException');
    const noUser = await client.send(new ExecuteStatementCommand({ ClusterIdentifier: 'c', Database: 'dev', Sql: 'SELECT 1' })).catch((e: unknown) => e);
    expect((noUser as Error).name).toBe('ValidationException');
    expect((noUser as Error).message).toMatch(/DbUser/);
    const { Id } = await client.send(new ExecuteStatementCommand({ ...scope, Sql: 'SELECT 1' }));
    await finished(Id!);
    const late = await client.send(new CancelStatementCommand({ Id })).catch((e: unknown) => e);
    expect((late as Error).name).toBe('ValidationException');
    expect((late as Error).message).toMatch(/FINISHED/);
    const ddl = await client.send(new ExecuteStatementCommand({ ...scope, Sql: 'CREATE TABLE no_rows (id INTEGER)' }));
    await finished(ddl.Id!);
    const noResult = await client.send(new GetStatementResultCommand({ Id: ddl.Id })).catch((e: unknown) => e);
    expect((noResult as Error).name).toBe('ValidationException');
  });

  it('takes a batch of 1 to 40 statements, each at most 100 KB, as the service does', async () => {
    const batch = (sqls: string[]) => client.send(new BatchExecuteStatementCommand({ ...scope, Sqls: sqls })).catch((e: unknown) => e as Error);
    const forty = await batch(Array.from({ length: 40 }, (_, i) => `SELECT ${i}`));
    expect((await finished((forty as { Id: string }).Id)).Status).toBe('FINISHED');
    for (const sqls of [Array.from({ length: 41 }, (_, i) => `SELECT ${i}`), [], [`SELECT '${'x'.repeat(100 * 1024)}'`]]) {
      expect(await batch(sqls)).toMatchObject({ name: 'ValidationException' });
    }
  });

  it('runs a batch as one transaction with sub-statement ids :1..:n', async () => {
    await finished((await client.send(new ExecuteStatementCommand({ ...scope, Sql: 'CREATE TABLE batch_t (id INTEGER)' }))).Id!);
    const ok = await client.send(new BatchExecuteStatementCommand({ ...scope, Sqls: ['INSERT INTO batch_t VALUES (1)', 'INSERT INTO batch_t VALUES (2), (3)'] }));
    const done = await finished(ok.Id!);
    expect(done.Status).toBe('FINISHED');
    expect(done.SubStatements?.map((s) => [s.Id, s.Status, s.ResultRows])).toEqual([
      [`${ok.Id}:1`, 'FINISHED', 1],
      [`${ok.Id}:2`, 'FINISHED', 2],
    ]);
    const sub = await client.send(new DescribeStatementCommand({ Id: `${ok.Id}:2` }));
    expect(sub.ResultRows).toBe(2);

    const bad = await client.send(new BatchExecuteStatementCommand({ ...scope, Sqls: ['INSERT INTO batch_t VALUES (4)', 'INSERT INTO nowhere VALUES (5)', 'INSERT INTO batch_t VALUES (6)'] }));
    const failed = await finished(bad.Id!);
    expect(failed.Status).toBe('FAILED');
    expect(failed.Error).toMatch(/^ERROR: .*nowhere/);
    expect(failed.SubStatements?.map((s) => s.Status)).toEqual(['FINISHED', 'FAILED', 'ABORTED']);
    const count = await client.send(new ExecuteStatementCommand({ ...scope, Sql: 'SELECT count(*) FROM batch_t' }));
    await finished(count.Id!);
    expect((await client.send(new GetStatementResultCommand({ Id: count.Id }))).Records).toEqual([[{ longValue: 3 }]]);
  });

  it('returns the same statement for a repeated ClientToken', async () => {
    const token = 'c0ffee00-0000-4000-8000-000000000001';
    const first = await client.send(new ExecuteStatementCommand({ ...scope, Sql: 'SELECT 42', ClientToken: token }));
    const again = await client.send(new ExecuteStatementCommand({ ...scope, Sql: 'SELECT 42', ClientToken: token }));
    expect(again.Id).toBe(first.Id);
  });

  it('cancels a running statement and lists statements by status', async () => {
    harness.fake.configure({ rules: [{ pattern: 'to_cancel', latencyMs: 30_000 }] });
    const { Id } = await client.send(new ExecuteStatementCommand({ ...scope, Sql: 'SELECT 1 AS to_cancel' }));
    expect((await client.send(new CancelStatementCommand({ Id }))).Status).toBe(true);
    expect((await finished(Id!)).Status).toBe('ABORTED');
    const aborted = await client.send(new ListStatementsCommand({ Status: 'ABORTED' }));
    expect(aborted.Statements?.map((s) => s.Id)).toContain(Id);
    harness.fake.configure({ rules: [] });
  });

  it('fails statements that match a rule with the given message', async () => {
    harness.fake.configure({ rules: [{ pattern: 'doomed', fail: 'disk full' }] });
    const { Id } = await client.send(new ExecuteStatementCommand({ ...scope, Sql: 'SELECT 1 AS doomed' }));
    const described = await finished(Id!);
    expect(described.Status).toBe('FAILED');
    expect(described.Error).toBe('ERROR: disk full');
    harness.fake.configure({ rules: [] });
  });

  it('injects faults on demand and shows what it saw on the control routes', async () => {
    await fetch(`${harness.url}/_fake/data-api/faults`, {
      method: 'POST',
      body: JSON.stringify({ next: [{ kind: 'throttle', op: 'ListStatements' }, { kind: 'error500', op: 'ListStatements' }] }),
    });
    const throttled = await client.send(new ListStatementsCommand({})).catch((e: unknown) => e);
    expect((throttled as Error).name).toBe('ThrottlingException');
    const broken = await client.send(new ListStatementsCommand({})).catch((e: unknown) => e);
    expect((broken as Error).name).toBe('InternalServerException');
    await client.send(new ListStatementsCommand({}));
    const calls = (await (await fetch(`${harness.url}/_fake/data-api/calls`)).json()) as { op: string; fault?: string }[];
    expect(calls.filter((c) => c.op === 'ListStatements').map((c) => c.fault ?? 'ok').slice(-3)).toEqual(['throttle', 'error500', 'ok']);
  });
});

describe('fake Data API: as strict as Redshift', () => {
  const run = async (sql: string, extra: Partial<typeof scope> = {}) =>
    finished((await client.send(new ExecuteStatementCommand({ ...scope, ...extra, Sql: sql }))).Id!);
  const records = async (id: string) => (await client.send(new GetStatementResultCommand({ Id: id }))).Records;

  it('takes a statement with its closing semicolon', async () => {
    const created = await run('CREATE TABLE closing (id INTEGER);');
    expect([created.Status, created.Error]).toEqual(['FINISHED', undefined]);
    expect((await run('INSERT INTO closing VALUES (1), (2);  -- two rows\n')).ResultRows).toBe(2);
    const select = await run('SELECT count(*) AS n FROM closing;');
    expect(select.Status).toBe('FINISHED');
    expect(await records(select.Id!)).toEqual([[{ longValue: 2 }]]);
    harness.fake.configure({ buckets: { 'udacity-dend': COURSE_DATA } });
    await run('CREATE TABLE closing_songs (num_songs INTEGER, artist_id VARCHAR(32), song_id VARCHAR(32), title VARCHAR(512))');
    const copy = await run("COPY closing_songs FROM 's3://udacity-dend/song_data' IAM_ROLE 'arn:aws:iam::123456789012:role/x' FORMAT AS JSON 'auto';");
    expect([copy.Status, copy.Error, copy.ResultRows]).toEqual(['FINISHED', undefined, 71]);
  });

  it('lets the statements of a batch see each other, and keeps the result of each by id:N', async () => {
    const { Id } = await client.send(
      new BatchExecuteStatementCommand({
        ...scope,
        Sqls: ['CREATE TABLE seen (id INTEGER);', 'INSERT INTO seen VALUES (7), (8)', 'SELECT id FROM seen ORDER BY id', 'SELECT count(*) FROM seen'],
      }),
    );
    const done = await finished(Id!);
    expect(done.SubStatements?.map((s) => [s.Status, s.HasResultSet, s.ResultRows])).toEqual([
      ['FINISHED', false, -1],
      ['FINISHED', false, 2],
      ['FINISHED', true, 2],
      ['FINISHED', true, 1],
    ]);
    expect(await records(`${Id}:3`)).toEqual([[{ longValue: 7 }], [{ longValue: 8 }]]);
    expect(await records(`${Id}:4`)).toEqual([[{ longValue: 2 }]]);
    const none = await client.send(new GetStatementResultCommand({ Id: `${Id}:2` })).catch((e: unknown) => e);
    expect((none as Error).name).toBe('ValidationException');
  });

  it('never shows a reader the rows of a batch that has not committed, and does not make it wait', async () => {
    await run('CREATE TABLE isolated (id INTEGER)');
    await run('INSERT INTO isolated VALUES (1)');
    harness.fake.configure({ rules: [{ pattern: 'isolation_hold', latencyMs: 1500 }] });
    try {
      const batch = await client.send(
        new BatchExecuteStatementCommand({ ...scope, Sqls: ['INSERT INTO isolated VALUES (2), (3)', 'SELECT 1 AS isolation_hold'] }),
      );
      let sub: DescribeStatementResponse;
      do sub = await client.send(new DescribeStatementCommand({ Id: `${batch.Id}:1` }));
      while (sub.Status !== 'FINISHED');
      const during = await run('SELECT count(*) FROM isolated');
      expect(await records(during.Id!)).toEqual([[{ longValue: 1 }]]);
      expect((await client.send(new DescribeStatementCommand({ Id: batch.Id }))).Status).toBe('STARTED');
      expect((await finished(batch.Id!)).Status).toBe('FINISHED');
      expect(await records((await run('SELECT count(*) FROM isolated')).Id!)).toEqual([[{ longValue: 3 }]]);
    } finally {
      harness.fake.configure({ rules: [] });
    }
  });

  it('describes result columns with every documented ColumnMetadata field, and a statement with its ResultSize', async () => {
    const query = await run("SELECT CAST(12.5 AS DECIMAL(10,2)) AS price, 'x' AS label, 7 AS n");
    expect(query.ResultSize).toBeGreaterThan(0);
    const { ColumnMetadata } = await client.send(new GetStatementResultCommand({ Id: query.Id }));
    const documented = ['isCaseSensitive', 'isCurrency', 'isSigned', 'label', 'name', 'nullable', 'precision', 'scale', 'schemaName', 'tableName', 'typeName', 'length'];
    for (const column of ColumnMetadata!) expect(Object.keys(column).sort()).toEqual([...documented].sort());
    expect(ColumnMetadata!.map((c) => [c.name, c.typeName, c.precision, c.scale, c.isSigned, c.isCaseSensitive])).toEqual([
      ['price', 'numeric', 10, 2, true, false],
      ['label', 'varchar', 65535, 0, false, true],
      ['n', 'int4', 10, 0, true, false],
    ]);
    expect((await run('CREATE TABLE sized (id INTEGER)')).ResultSize).toBe(-1);
  });

  it('returns a CSV result through GetStatementResultV2, and only for a statement run with ResultFormat CSV', async () => {
    const { Id } = await client.send(
      new ExecuteStatementCommand({ ...scope, ResultFormat: 'CSV', WaitTimeSeconds: 10, Sql: "SELECT range AS n, CASE WHEN range = 1 THEN NULL ELSE 'a,\"b' END AS s FROM generate_series(0, 3) AS t(range)" }),
    );
    const first = await client.send(new GetStatementResultV2Command({ Id }));
    expect([first.ResultFormat, first.TotalNumRows, first.ColumnMetadata?.map((c) => c.name)]).toEqual(['CSV', 4, ['n', 's']]);
    // The first page opens with the column names; later pages hold rows only.
    expect(first.Records).toEqual([{ CSVRecords: 'n,s\n0,"a,""b"\n1,\n2,"a,""b"\n' }]);
    const rest = await client.send(new GetStatementResultV2Command({ Id, NextToken: first.NextToken }));
    expect([rest.Records, rest.NextToken]).toEqual([[{ CSVRecords: '3,"a,""b"\n' }], undefined]);
    const v1 = await client.send(new GetStatementResultCommand({ Id })).catch((e: unknown) => e);
    expect((v1 as Error).name).toBe('ValidationException');
    const json = await run('SELECT 1');
    const v2 = await client.send(new GetStatementResultV2Command({ Id: json.Id })).catch((e: unknown) => e);
    expect((v2 as Error).name).toBe('ValidationException');
  });

  it('fails a statement on a database the cluster does not have, as Redshift does', async () => {
    const failed = await run('SELECT 1', { Database: 'nosuchdb' });
    expect(failed.Status).toBe('FAILED');
    expect(failed.Error).toBe('FATAL: database "nosuchdb" does not exist');
  });
});

describe('npm run fake-aws', () => {
  it('prints the address first, serves the Data API with mapped buckets, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['scripts/fake-aws.mjs', '--port', '0', '--bucket', `udacity-dend=${COURSE_DATA}`, '--latency-ms', '5', '--cluster', 'c=arn:aws:iam::123456789012:role/x'], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const match = /^listening (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      expect(match).not.toBeNull();
      const remote = new RedshiftDataClient({ region: 'us-west-2', endpoint: match![1], maxAttempts: 1 });
      const run = async (sql: string) => finished((await remote.send(new ExecuteStatementCommand({ ...scope, Sql: sql }))).Id!, remote);
      try {
        await run('CREATE TABLE songs (num_songs INTEGER, artist_id VARCHAR(32), song_id VARCHAR(32), title VARCHAR(512))');
        const copy = await run("COPY songs FROM 's3://udacity-dend/song_data' IAM_ROLE 'arn:aws:iam::123456789012:role/x' FORMAT AS JSON 'auto'");
        expect(copy.Status).toBe('FINISHED');
        expect(copy.ResultRows).toBe(71);
        expect(copy.Duration).toBeGreaterThanOrEqual(5e6);
      } finally {
        remote.destroy();
      }
    } finally {
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
    }
  });

  it('prints its usage for --help, and says in one line when the port is in use, leaving no bundle behind', async () => {
    const cache = join(REPO, 'node_modules', '.cache', 'sparkify-fake-aws');
    const bundles = () => (existsSync(cache) ? readdirSync(cache).length : 0);
    const before = bundles();
    const help = spawnSync(process.execPath, ['scripts/fake-aws.mjs', '--help'], { cwd: REPO, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run fake-aws -- \[options\]/);
    expect(help.stdout).toMatch(/--cluster ID\[=ROLE_ARN\]/);
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    try {
      const port = (taken.address() as AddressInfo).port;
      const busy = spawnSync(process.execPath, ['scripts/fake-aws.mjs', '--port', String(port)], { cwd: REPO, encoding: 'utf8' });
      expect(busy.status).toBe(2);
      expect(busy.stderr.trim()).toBe(`fake-aws: port ${port} is in use: pass another --port, or 0 for any free one`);
    } finally {
      taken.close();
    }
    expect(bundles()).toBe(before);
  });
});
