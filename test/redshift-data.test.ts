// RedshiftDataWarehouse against the fake Data API over real HTTP on 127.0.0.1:
// the real SDK client, the real SQL on DuckDB behind the fake.
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedshiftDataWarehouse } from '../src/pipeline/warehouse/redshift-data.js';
import { statementScope, type RedshiftConnection } from '../src/pipeline/warehouse/redshift-scope.js';
import { nextPollDelay } from '../src/pipeline/warehouse/redshift-polling.js';
import { runScript, scriptSteps } from '../src/pipeline/script.js';
import { normalizeTimestamp } from '../src/pipeline/warehouse/redshift-values.js';
import { CancelledError, ConfigError, CredentialsError, ExitCode, LoadError, NetworkError, SqlError } from '../src/pipeline/errors.js';
import type { Row, StatementStatus } from '../src/pipeline/warehouse/types.js';
import { startDataApi, applyTestCredentials, warehouseOpener, type DataApiHarness } from './fakes/aws/data-api-harness.js';

applyTestCredentials();

const dataDir = mkdtempSync(join(tmpdir(), 'sparkify-redshift-data-'));
let harness: DataApiHarness;
let connection: RedshiftConnection;
const warehouses = warehouseOpener(() => connection);
const open = warehouses.open;

async function rows(warehouse: RedshiftDataWarehouse, sql: string): Promise<Row[]> {
  const result = await warehouse.query(sql);
  const all: Row[] = [];
  for await (const page of result.pages()) all.push(...page);
  return all;
}

beforeAll(async () => {
  mkdirSync(join(dataDir, 'events'), { recursive: true });
  writeFileSync(join(dataDir, 'events', 'good.json'), '{"id": 1, "name": "a"}\n{"id": 2, "name": "b"}\n');
  writeFileSync(join(dataDir, 'events', 'bad.json'), '{"id": 3, "name": "c"}\n{"id": "three", "name": "d"}\n');
  harness = await startDataApi({ buckets: { 'test-bucket': dataDir }, pageSize: 2, clusters: { c: { iamRoles: ['arn:aws:iam::123456789012:role/r'] } } });
  connection = { clusterIdentifier: 'c', database: 'dev', dbUser: 'awsuser', region: 'us-west-2', endpoint: harness.url };
});

afterEach(async () => {
  harness.fake.configure({ latencyMs: 0, stateDelayMs: 0, faults: {}, rules: [], ignoreWait: false });
  await warehouses.closeAll();
});

afterAll(async () => {
  await harness.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('connection settings', () => {
  it('accepts the three ways the Data API authenticates', () => {
    expect(statementScope({ clusterIdentifier: 'c', database: 'dev', dbUser: 'u' })).toEqual({ ClusterIdentifier: 'c', Database: 'dev', DbUser: 'u' });
    expect(statementScope({ clusterIdentifier: 'c', database: 'dev', secretArn: 'arn:s' })).toEqual({ ClusterIdentifier: 'c', Database: 'dev', SecretArn: 'arn:s' });
    expect(statementScope({ workgroupName: 'wg', database: 'dev' })).toEqual({ WorkgroupName: 'wg', Database: 'dev' });
    expect(statementScope({ workgroupName: 'wg', database: 'dev', secretArn: 'arn:s' })).toEqual({ WorkgroupName: 'wg', Database: 'dev', SecretArn: 'arn:s' });
  });

  it.each([
    [{ database: 'dev', dbUser: 'u' }, /no Redshift cluster or workgroup/],
    [{ clusterIdentifier: 'c', dbUser: 'u' }, /no Redshift database/],
    [{ clusterIdentifier: 'c', database: 'dev' }, /needs a database user or a secret/],
    [{ clusterIdentifier: 'c', workgroupName: 'w', database: 'dev', dbUser: 'u' }, /both a cluster/],
    [{ clusterIdentifier: 'c', database: 'dev', dbUser: 'u', secretArn: 'arn:s' }, /both --db-user and --secret-arn/],
    [{ workgroupName: 'w', database: 'dev', dbUser: 'u' }, /takes no --db-user/],
  ])('refuses %j with a ConfigError naming what is wrong', async (settings, message) => {
    await expect(RedshiftDataWarehouse.open(settings)).rejects.toThrow(message);
    await expect(RedshiftDataWarehouse.open(settings)).rejects.toBeInstanceOf(ConfigError);
  });

  it('reaches the endpoint named by AWS_ENDPOINT_URL_REDSHIFT_DATA when none is passed', async () => {
    process.env.AWS_ENDPOINT_URL_REDSHIFT_DATA = harness.url;
    try {
      const warehouse = await open({ endpoint: undefined });
      const before = harness.calls('ExecuteStatement').length;
      await warehouse.execute('CREATE SCHEMA IF NOT EXISTS env_check');
      expect(harness.calls('ExecuteStatement').length).toBe(before + 1);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_REDSHIFT_DATA;
    }
  });
});

describe('statements', () => {
  it('runs DDL and DML, reporting rows affected (none for DDL) and the engine time', async () => {
    harness.fake.configure({ latencyMs: 40 });
    const warehouse = await open();
    const ddl = await warehouse.execute('CREATE TABLE t_rows (id INTEGER, name VARCHAR(16))');
    expect(ddl.rowsAffected).toBeNull();
    expect(ddl.statementId).toMatch(/^[0-9a-f-]{36}$/);
    const insert = await warehouse.execute("INSERT INTO t_rows VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    expect(insert.rowsAffected).toBe(3);
    expect(insert.engineMs).toBeGreaterThanOrEqual(40);
    const deleted = await warehouse.execute('DELETE FROM t_rows WHERE id > 1');
    expect(deleted.rowsAffected).toBe(2);
  });

  it('reports the states the calls return: a short statement ends inside ExecuteStatement, a long one is seen STARTED first', async () => {
    harness.fake.configure({ stateDelayMs: 30, rules: [{ pattern: 't_states_long', latencyMs: 3000 }] });
    const warehouse = await open();
    const short: StatementStatus[] = [];
    const { statementId } = await warehouse.execute('CREATE TABLE t_states (id INTEGER)', { onStatus: (s) => short.push(s) });
    expect(short).toEqual(['SUBMITTED', 'FINISHED']);
    expect(harness.calls().filter((c) => c.id === statementId).map((c) => c.op)).toEqual(['ExecuteStatement', 'DescribeStatement']);
    const long: StatementStatus[] = [];
    const slow = await warehouse.execute('CREATE TABLE t_states_long (id INTEGER)', { onStatus: (s) => long.push(s) });
    expect(long).toEqual(['SUBMITTED', 'STARTED', 'FINISHED']);
    expect(harness.calls().filter((c) => c.id === slow.statementId).map((c) => c.op)).toEqual(['ExecuteStatement', 'DescribeStatement']);
  });

  it('turns a failed statement into a SqlError with the engine message', async () => {
    const warehouse = await open();
    const error = await warehouse.execute('SELECT * FROM no_such_table').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqlError);
    expect((error as SqlError).message).toMatch(/no_such_table/);
    expect((error as SqlError).message).not.toMatch(/^ERROR:/);
    expect((error as SqlError).sql).toBe('SELECT * FROM no_such_table');
  });

  it('lists the rejected rows of a failed COPY with file, line and reason', async () => {
    const warehouse = await open();
    await warehouse.execute('CREATE TABLE t_load (id INTEGER, name VARCHAR(16))');
    const error = await warehouse
      .execute("COPY t_load FROM 's3://test-bucket/events' IAM_ROLE 'arn:aws:iam::123456789012:role/r' FORMAT AS JSON 'auto'")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadError);
    const load = error as LoadError;
    expect(load.table).toBe('t_load');
    expect(load.details[0]).toMatchObject({ file: 's3://test-bucket/events/bad.json', line: 2 });
    expect(load.details[0].reason).not.toBe('');
    expect(await rows(warehouse, 'SELECT count(*) FROM t_load')).toEqual([[0]]);
  });
});

describe('queries', () => {
  it.each(['JSON', 'CSV'] as const)('maps typed fields and column metadata, page by page (%s results)', async (resultFormat) => {
    const warehouse = await open({ resultFormat });
    const op = resultFormat === 'CSV' ? 'GetStatementResultV2' : 'GetStatementResult';
    await warehouse.execute(`DROP TABLE IF EXISTS t_types`);
    await warehouse.execute(`CREATE TABLE t_types (
      i INTEGER, b BIGINT, d DOUBLE PRECISION, n DECIMAL(10, 3), s VARCHAR(32), t TIMESTAMP, f BOOLEAN)`);
    await warehouse.execute(`INSERT INTO t_types VALUES
      (1, 10000000000, 1.5, 2.250, 'one', TIMESTAMP '2018-11-01 21:01:46.796', true),
      (2, NULL, NULL, NULL, NULL, TIMESTAMP '2018-11-01 21:01:47', false),
      (3, 3, -0.25, 0.001, 'three', TIMESTAMP '2018-11-01 21:01:48.79', NULL),
      (4, 4, 4, 4, 'four', NULL, true),
      (5, 5, 5, 5, 'five', NULL, false)`);
    const before = harness.calls(op).length;
    const result = await warehouse.query('SELECT i, b, d, n, s, t, f FROM t_types ORDER BY i');
    expect(result.columns).toEqual([
      { name: 'i', type: 'int4' },
      { name: 'b', type: 'int8' },
      { name: 'd', type: 'float8' },
      { name: 'n', type: 'numeric' },
      { name: 's', type: 'varchar' },
      { name: 't', type: 'timestamp' },
      { name: 'f', type: 'bool' },
    ]);
    expect(result.totalRows).toBe(5);
    // Only the first page is fetched until the caller reads on.
    expect(harness.calls(op).length).toBe(before + 1);
    const pages: Row[][] = [];
    for await (const page of result.pages()) pages.push(page);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(harness.calls(op).length).toBe(before + 3);
    expect(pages.flat().slice(0, 3)).toEqual([
      [1, 10000000000, 1.5, '2.250', 'one', '2018-11-01 21:01:46.796', true],
      [2, null, null, null, null, '2018-11-01 21:01:47', false],
      [3, 3, -0.25, '0.001', 'three', '2018-11-01 21:01:48.79', null],
    ]);
  });

  it.each(['JSON', 'CSV'] as const)('reads NULL, empty strings, the word NULL, commas, quotes and line breaks back as they were (%s results)', async (resultFormat) => {
    const warehouse = await open({ resultFormat });
    const texts = [null, '', 'NULL', 'a,b', 'say "hi"', 'two\nlines', '"', ',', ' padded '];
    const values = texts.map((text, index) => `(${index}, ${text === null ? 'NULL' : `'${text.replace(/'/g, "''")}'`})`).join(', ');
    const result = await rows(warehouse, `SELECT id, t FROM (VALUES ${values}) AS v(id, t) ORDER BY id`);
    expect(result.map((row) => row[1])).toEqual(texts);
  });

  it('re-chunks pages to the size asked for', async () => {
    const warehouse = await open();
    const result = await warehouse.query('SELECT * FROM generate_series(0, 6) AS t(range)', { pageSize: 3 });
    const sizes: number[] = [];
    for await (const page of result.pages()) sizes.push(page.length);
    expect(sizes).toEqual([2, 2, 2, 1]);
    const big = await warehouse.query('SELECT * FROM generate_series(0, 6) AS t(range)', { pageSize: 1 });
    let count = 0;
    for await (const page of big.pages()) {
      expect(page.length).toBe(1);
      count++;
    }
    expect(count).toBe(7);
  });

  it('reads the first page of a query that ended inside ExecuteStatement while DescribeStatement is still on its way', async () => {
    const warehouse = await open();
    // The DescribeStatement answer is held back (long, so a loaded machine cannot blur the order): the result's first page does not wait for it.
    const heldMs = 2000;
    harness.fake.configure({ slowMs: heldMs });
    harness.fake.control('/faults', { next: [{ kind: 'slow', op: 'DescribeStatement' }] });
    const result = await warehouse.query('SELECT 42 AS answer');
    const all: Row[] = [];
    for await (const page of result.pages()) all.push(...page);
    expect(all).toEqual([[42]]);
    const describe = harness.calls('DescribeStatement').at(-1)!;
    const page = harness.calls('GetStatementResultV2').at(-1)!;
    expect(page.id).toBe(describe.id);
    expect(page.at - describe.at).toBeLessThan(heldMs);
  });

  it('stops reading when the result is closed', async () => {
    const warehouse = await open();
    const result = await warehouse.query('SELECT * FROM generate_series(0, 9) AS t(range)');
    const before = harness.calls('GetStatementResultV2').length;
    for await (const page of result.pages()) {
      expect(page.length).toBe(2);
      await result.close();
    }
    expect(harness.calls('GetStatementResultV2').length).toBe(before);
  });

  it('writes timestamps the way the local engine prints them', () => {
    expect(normalizeTimestamp('2018-11-01 21:01:46.796')).toBe('2018-11-01 21:01:46.796');
    expect(normalizeTimestamp('2018-11-01 21:01:46.790')).toBe('2018-11-01 21:01:46.79');
    expect(normalizeTimestamp('2018-11-01 21:01:46.000000')).toBe('2018-11-01 21:01:46');
    expect(normalizeTimestamp('not a time')).toBe('not a time');
  });
});

describe('transactions', () => {
  it('runs a batch as one transaction, reporting each statement', async () => {
    const warehouse = await open();
    await warehouse.execute('CREATE TABLE t_batch (id INTEGER)');
    const events: string[] = [];
    const results = await warehouse.executeBatch(
      ['INSERT INTO t_batch VALUES (1)', 'INSERT INTO t_batch VALUES (2), (3)', 'DELETE FROM t_batch WHERE id = 1'],
      {
        onStatementStarted: (i) => events.push(`start ${i}`),
        onStatementFinished: (i, r) => events.push(`finish ${i} ${r.rowsAffected}`),
      },
    );
    expect(results.map((r) => r.rowsAffected)).toEqual([1, 2, 1]);
    expect(results.map((r) => r.statementId)).toEqual([1, 2, 3].map((n): unknown => expect.stringMatching(new RegExp(`:${n}$`))));
    for (const i of [0, 1, 2]) expect(events.indexOf(`start ${i}`)).toBeLessThan(events.indexOf(`finish ${i} ${results[i].rowsAffected}`));
    expect(await rows(warehouse, 'SELECT id FROM t_batch ORDER BY id')).toEqual([[2], [3]]);
  });

  it('rolls the whole batch back when one statement fails', async () => {
    const warehouse = await open();
    await warehouse.execute('CREATE TABLE t_atomic (id INTEGER)');
    await warehouse.execute('INSERT INTO t_atomic VALUES (1)');
    const started: number[] = [];
    const error = await warehouse
      .executeBatch(['DELETE FROM t_atomic', 'INSERT INTO t_atomic VALUES (2)', 'INSERT INTO missing_table VALUES (3)'], {
        onStatementStarted: (i) => started.push(i),
      })
      .catch((e: unknown) => e);
    expect(started).toEqual([0, 1, 2]);
    expect(error).toBeInstanceOf(SqlError);
    expect((error as SqlError).message).toMatch(/missing_table/);
    expect((error as SqlError).sql).toBe('INSERT INTO missing_table VALUES (3)');
    expect(await rows(warehouse, 'SELECT id FROM t_atomic')).toEqual([[1]]);
  });

  it('runs a transaction of more than 40 statements in a session of its own, BEGIN to COMMIT, reporting each statement', async () => {
    const warehouse = await open();
    await warehouse.execute('CREATE TABLE t_many (id INTEGER)');
    const batches = harness.calls('BatchExecuteStatement').length;
    const executes = harness.calls('ExecuteStatement').length;
    const finished: number[] = [];
    const sqls = Array.from({ length: 45 }, (_, i) => `INSERT INTO t_many VALUES (${i})`);
    const results = await warehouse.executeBatch(sqls, { onStatementFinished: (i) => finished.push(i) });
    expect(results.map((r) => r.rowsAffected)).toEqual(sqls.map(() => 1));
    expect(finished).toEqual(sqls.map((_, i) => i));
    expect(harness.calls('BatchExecuteStatement').length).toBe(batches);
    // BEGIN, the 45, COMMIT, and the statement that ends the session.
    expect(harness.calls('ExecuteStatement').length - executes).toBe(48);
    expect(await rows(warehouse, 'SELECT count(*) FROM t_many')).toEqual([[45]]);
  });

  it('rolls a long transaction back whole when one of its statements fails, or when it is cancelled', async () => {
    const warehouse = await open();
    await warehouse.execute('CREATE TABLE t_many_atomic (id INTEGER)');
    const sqls = Array.from({ length: 44 }, (_, i) => `INSERT INTO t_many_atomic VALUES (${i})`);
    const error = await warehouse.executeBatch([...sqls, 'INSERT INTO missing_long VALUES (1)']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqlError);
    expect((error as SqlError).sql).toBe('INSERT INTO missing_long VALUES (1)');
    expect(await rows(warehouse, 'SELECT count(*) FROM t_many_atomic')).toEqual([[0]]);
    const controller = new AbortController();
    const cancelled = warehouse.executeBatch(sqls, { signal: controller.signal, onStatementFinished: (i) => i === 20 && controller.abort() });
    await expect(cancelled).rejects.toBeInstanceOf(CancelledError);
    expect(await rows(warehouse, 'SELECT count(*) FROM t_many_atomic')).toEqual([[0]]);
  });
});

describe('a session with a search path', () => {
  it('sets it to the schemas of the path that exist, so unqualified names resolve there; a session without one does not', async () => {
    const setup = await open();
    await setup.execute('CREATE SCHEMA IF NOT EXISTS sp_first');
    await setup.execute('CREATE SCHEMA IF NOT EXISTS sp_second');
    await setup.execute('CREATE TABLE sp_second.t_on_path AS SELECT 7 AS v');
    const warehouse = await open({ searchPath: ['sp_missing', 'sp_first', 'sp_second', 'public'] });
    const session = await warehouse.openSession();
    try {
      const read = async (sql: string) => {
        const result = await session.query(sql);
        const all: Row[] = [];
        for await (const page of result.pages()) all.push(...page);
        return all;
      };
      expect(await read('SELECT v FROM t_on_path')).toEqual([[7]]);
      expect(await read('SHOW search_path')).toEqual([['sp_first, sp_second, public']]);
    } finally {
      await session.close();
    }
    const plain = await setup.openSession();
    try {
      await expect(plain.query('SELECT v FROM t_on_path')).rejects.toThrow(/relation "t_on_path" does not exist/);
    } finally {
      await plain.close();
    }
  });
});

describe('a transaction a session began', () => {
  it.each([3, 45])('keeps a batch of %i statements in it, uncommitted until the session ends it: ROLLBACK undoes the batch, COMMIT keeps it', async (count) => {
    const warehouse = await open();
    const table = `t_open_${count}`;
    await warehouse.execute(`CREATE TABLE ${table} (id INTEGER)`);
    const session = await warehouse.openSession();
    const sqls = Array.from({ length: count }, (_, i) => `INSERT INTO ${table} VALUES (${i})`);
    const counted = async () => (await rows(warehouse, `SELECT count(*) FROM ${table}`))[0][0];
    const batches = harness.calls('BatchExecuteStatement').length;

    await session.execute('BEGIN');
    expect(session.transactionOpen?.()).toBe(true);
    const finished: number[] = [];
    const results = await session.executeBatch(sqls, { onStatementFinished: (i) => finished.push(i) });
    expect(results.map((r) => r.rowsAffected)).toEqual(sqls.map(() => 1));
    expect(finished).toEqual(sqls.map((_, i) => i));
    // Nothing is committed: another connection sees none of it, and the session's transaction is still open.
    expect(await counted()).toBe(0);
    expect(session.transactionOpen?.()).toBe(true);
    await session.execute('ROLLBACK');
    expect(session.transactionOpen?.()).toBe(false);
    expect(await counted()).toBe(0);

    await session.execute('BEGIN');
    await session.executeBatch(sqls);
    expect(await counted()).toBe(0);
    await session.execute('COMMIT');
    expect(await counted()).toBe(count);
    // A batch with no transaction open is one transaction of its own again.
    await session.executeBatch([`DELETE FROM ${table}`]);
    expect(await counted()).toBe(0);
    expect(harness.calls('BatchExecuteStatement').length - batches).toBe(1);
  });

  it('runs a script of BEGIN ... COMMIT inside it as its statements come, so the COMMIT ends it', async () => {
    const warehouse = await open();
    await warehouse.execute('CREATE TABLE t_open_script (id INTEGER)');
    const session = await warehouse.openSession();
    await session.execute('BEGIN');
    await session.execute('INSERT INTO t_open_script VALUES (0)');
    const script = ['BEGIN;', ...Array.from({ length: 45 }, (_, i) => `INSERT INTO t_open_script VALUES (${i + 1});`), 'COMMIT;'].join('\n');
    const seen: number[] = [];
    await runScript(session, scriptSteps(script), {
      readRows: () => Promise.resolve(0),
      onStepFinished: async ({ step }) => {
        if (step.index === 44) seen.push(Number((await rows(warehouse, 'SELECT count(*) FROM t_open_script'))[0][0]));
      },
    });
    expect(seen).toEqual([0]);
    expect(session.transactionOpen?.()).toBe(false);
    expect(await rows(warehouse, 'SELECT count(*) FROM t_open_script')).toEqual([[46]]);
  });
});

describe('cancelling', () => {
  it('cancels the running statement on the cluster when aborted', async () => {
    harness.fake.configure({ rules: [{ pattern: 'slow_cancel', latencyMs: 5000 }] });
    const warehouse = await open();
    const controller = new AbortController();
    const statuses: StatementStatus[] = [];
    const running = warehouse.execute('CREATE TABLE slow_cancel (id INTEGER)', {
      signal: controller.signal,
      onStatus: (s) => statuses.push(s),
    });
    while (!statuses.includes('STARTED')) await new Promise((r) => setTimeout(r, 10));
    const cancelsBefore = harness.calls('CancelStatement').length;
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    expect(harness.calls('CancelStatement').length).toBe(cancelsBefore + 1);
    const statements = (await harness.fake.control('/statements', undefined)) as { sql: string; status: string }[];
    expect(statements.find((s) => s.sql.includes('slow_cancel'))?.status).toBe('ABORTED');
    expect(await rows(warehouse, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'slow_' || 'cancel'")).toEqual([[0]]);
  });

  it('cancels a transaction mid-way and leaves nothing of it', async () => {
    harness.fake.configure({ rules: [{ pattern: 'slow_marker', latencyMs: 5000 }] });
    const warehouse = await open();
    await warehouse.execute('CREATE TABLE t_cancel_batch (id INTEGER)');
    const controller = new AbortController();
    const running = warehouse.executeBatch(["INSERT INTO t_cancel_batch VALUES (1)", "INSERT INTO t_cancel_batch SELECT 2 WHERE 'slow_marker' <> ''"], {
      signal: controller.signal,
      onStatementFinished: () => controller.abort(),
    });
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    expect(await rows(warehouse, 'SELECT count(*) FROM t_cancel_batch')).toEqual([[0]]);
  });
});

describe('faults', () => {
  it('completes through throttling, 500s, dropped connections and slow answers', async () => {
    harness.fake.configure({ faults: { throttle: 0.15, error500: 0.1, reset: 0.05, slow: 0.05 }, slowMs: 50, seed: 7 });
    const warehouse = await open();
    await warehouse.execute('CREATE TABLE t_faults (id INTEGER)');
    for (let i = 0; i < 20; i++) await warehouse.execute(`INSERT INTO t_faults VALUES (${i})`);
    expect(await rows(warehouse, 'SELECT count(*), count(DISTINCT id) FROM t_faults')).toEqual([[20, 20]]);
    const faults = harness.calls().filter((c) => c.fault);
    expect(faults.some((c) => c.fault === 'throttle')).toBe(true);
    expect(faults.some((c) => c.fault === 'error500')).toBe(true);
    expect(faults.some((c) => c.fault === 'reset')).toBe(true);
  });

  it('runs a statement once when the answer to ExecuteStatement is lost', async () => {
    const warehouse = await open();
    await warehouse.execute('CREATE TABLE t_once (id INTEGER)');
    harness.fake.control('/faults', { next: [{ kind: 'reset', op: 'ExecuteStatement' }] });
    await warehouse.execute('INSERT INTO t_once VALUES (1)');
    expect(await rows(warehouse, 'SELECT count(*) FROM t_once')).toEqual([[1]]);
  });

  it('waits while the cluster has too many active statements', async () => {
    const warehouse = await open();
    harness.fake.control('/faults', { next: [{ kind: 'active-statements', op: 'ExecuteStatement', count: 2 }] });
    await warehouse.execute('CREATE TABLE t_active (id INTEGER)');
    const last = harness.calls('ExecuteStatement').slice(-3);
    expect(last.map((c) => c.fault ?? 'ok')).toEqual(['active-statements', 'active-statements', 'ok']);
  });

  it('says when no credentials are found', async () => {
    const saved = { ...process.env };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    Object.assign(process.env, {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SHARED_CREDENTIALS_FILE: join(dataDir, 'no-credentials'),
      AWS_CONFIG_FILE: join(dataDir, 'no-config'),
    });
    try {
      const warehouse = await open();
      const error = await warehouse.execute('SELECT 1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CredentialsError);
      expect((error as CredentialsError).message).toMatch(/no AWS credentials found/);
    } finally {
      process.env = saved;
    }
  });

  it('says when the Data API cannot be reached', async () => {
    const warehouse = await open({ endpoint: 'http://127.0.0.1:9' });
    const error = await warehouse.execute('SELECT 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).exitCode).toBe(ExitCode.network);
    expect((error as NetworkError).message).toMatch(/cannot reach the Redshift Data API .*ECONNREFUSED/);
  });

  it('says so when the credentials are expired', async () => {
    const warehouse = await open();
    harness.fake.control('/faults', { next: [{ kind: 'expired', count: 10 }] });
    const error = await warehouse.execute('SELECT 1').catch((e: unknown) => e);
    harness.fake.control('/reset', undefined);
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).message).toMatch(/expired or invalid/);
  });
});

describe('polling', () => {
  it('grows from 10 ms to at most a second', () => {
    expect(nextPollDelay(0)).toBe(10);
    expect(nextPollDelay(50)).toBe(20);
    expect(nextPollDelay(1000)).toBe(200);
    expect(nextPollDelay(60_000)).toBe(1000);
  });

  it('follows a 6-second statement with one ExecuteStatement and one waiting DescribeStatement', async () => {
    harness.fake.configure({ rules: [{ pattern: 't_long', latencyMs: 6000 }] });
    const warehouse = await open();
    const started = Date.now();
    const { statementId } = await warehouse.execute('CREATE TABLE t_long (id INTEGER)');
    expect(Date.now() - started).toBeGreaterThanOrEqual(6000);
    expect(harness.calls().filter((c) => c.id === statementId).map((c) => c.op)).toEqual(['ExecuteStatement', 'DescribeStatement']);
  });

  it('polls with a growing delay an endpoint that answers at once despite WaitTimeSeconds', async () => {
    harness.fake.configure({ rules: [{ pattern: 't_ignored_wait', latencyMs: 2500 }], ignoreWait: true });
    const warehouse = await open();
    const { statementId } = await warehouse.execute('CREATE TABLE t_ignored_wait (id INTEGER)');
    const describes = harness.calls('DescribeStatement').filter((c) => c.id === statementId).length;
    expect(describes).toBeGreaterThan(2);
    expect(describes).toBeLessThan(40);
  });
});
