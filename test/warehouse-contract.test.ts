// One contract, every engine: each factory below opens a warehouse that must
// behave the same through the Warehouse interface.
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import { CancelledError, SqlError } from '../src/pipeline/errors.js';
import type { Row, Warehouse } from '../src/pipeline/warehouse/types.js';
import { RedshiftDataWarehouse } from '../src/pipeline/warehouse/redshift-data.js';
import { startDataApi, applyTestCredentials, type DataApiHarness } from './fakes/aws/data-api-harness.js';
import { until } from './helpers/ink.js';

export interface EngineFactory {
  name: string;
  open(): Promise<Warehouse>;
  /** A statement that runs long enough to be cancelled. */
  slowQuery: string;
  /** Resolves once the slow statement is running on the engine, not only being prepared. */
  untilRunning(): Promise<void>;
  cleanup?(): Promise<void>;
}

const ENGINES: EngineFactory[] = [
  {
    name: 'local (DuckDB)',
    open: () => DuckDbWarehouse.open({ path: ':memory:' }),
    // The query runs on DuckDB's threads in this process: it is under way once they have spent CPU time on it.
    untilRunning: () => {
      const start = process.cpuUsage().user;
      return until(() => process.cpuUsage().user - start > 50_000, () => 'DuckDB spent no CPU time on the slow query');
    },
    slowQuery: 'SELECT count(*) FROM generate_series(0, 1999999999) a(range), generate_series(0, 9) b(range) WHERE a.range % 7 = b.range',
  },
  (() => {
    let fake: DataApiHarness | undefined;
    return {
      name: 'redshift (Data API, against the fake on loopback)',
      async open() {
        applyTestCredentials();
        fake = await startDataApi({ stateDelayMs: 5, clusters: { contract: {} }, rules: [{ pattern: 'contract_slow_marker', latencyMs: 60_000 }] });
        return RedshiftDataWarehouse.open({ clusterIdentifier: 'contract', database: 'dev', dbUser: 'awsuser', region: 'us-west-2', endpoint: fake.url });
      },
      slowQuery: 'SELECT 1 AS contract_slow_marker',
      untilRunning: () =>
        until(
          () => (fake!.fake.control('/statements', undefined) as { sql: string; status: string }[]).some((s) => s.sql.includes('contract_slow_marker') && s.status === 'STARTED'),
          () => 'the fake never started the slow statement',
        ),
      cleanup: async () => fake?.close(),
    };
  })(),
];

async function all(warehouse: Warehouse, sql: string): Promise<Row[]> {
  const result = await warehouse.query(sql);
  const rows: Row[] = [];
  for await (const page of result.pages()) rows.push(...page);
  return rows;
}

describe.each(ENGINES)('warehouse contract: $name', (engine) => {
  let warehouse: Warehouse;
  const ready = (async () => {
    warehouse = await engine.open();
  })();
  afterAll(async () => {
    await ready;
    await warehouse.close();
    await engine.cleanup?.();
  });

  it('runs DDL and reports rows affected by DML', async () => {
    await ready;
    await warehouse.execute('CREATE SCHEMA IF NOT EXISTS contract');
    const ddl = await warehouse.execute('CREATE TABLE contract.t (id INTEGER, name VARCHAR(32), ts TIMESTAMP, price DECIMAL(10,2), ok BOOLEAN)');
    expect(ddl.rowsAffected).toBeNull();
    expect(ddl.engineMs).toBeGreaterThanOrEqual(0);
    const insert = await warehouse.execute(
      "INSERT INTO contract.t VALUES (1, 'a', '2018-11-01 20:57:10.796', 1.50, true), (2, 'b', NULL, NULL, false), (3, NULL, '2018-11-30 19:54:24.796', 10.00, NULL)",
    );
    expect(insert.rowsAffected).toBe(3);
    expect((await warehouse.execute('DELETE FROM contract.t WHERE id = 3')).rowsAffected).toBe(1);
  });

  it('returns typed values the same way: numbers, strings, booleans, NULL; DECIMAL and TIMESTAMP as strings', async () => {
    await ready;
    const result = await warehouse.query('SELECT id, name, ts, price, ok FROM contract.t ORDER BY id');
    expect(result.columns.map((c) => c.name)).toEqual(['id', 'name', 'ts', 'price', 'ok']);
    const rows: Row[] = [];
    for await (const page of result.pages()) rows.push(...page);
    expect(rows).toEqual([
      [1, 'a', '2018-11-01 20:57:10.796', '1.50', true],
      [2, 'b', null, null, false],
    ]);
  });

  it('streams a large result in pages of the asked size', async () => {
    await ready;
    await warehouse.execute('CREATE TABLE contract.many AS SELECT n FROM (SELECT ROW_NUMBER() OVER () AS n FROM contract.t a, contract.t b, contract.t c, contract.t d, contract.t e, contract.t f, contract.t g, contract.t h, contract.t i, contract.t j, contract.t k, contract.t l) x');
    const result = await warehouse.query('SELECT n FROM contract.many ORDER BY n', { pageSize: 1000 });
    const sizes: number[] = [];
    let last = 0;
    for await (const page of result.pages()) {
      sizes.push(page.length);
      last = Number(page.at(-1)![0]);
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(4096);
    expect(sizes.every((s) => s <= 1000)).toBe(true);
    expect(sizes.length).toBeGreaterThan(1);
    expect(last).toBe(4096);
  });

  it('runs a batch as one transaction: all or nothing', async () => {
    await ready;
    const results = await warehouse.executeBatch([
      "INSERT INTO contract.t (id, name) VALUES (10, 'x')",
      "UPDATE contract.t SET name = 'y' WHERE id = 10",
    ]);
    expect(results.map((r) => r.rowsAffected)).toEqual([1, 1]);
    await expect(
      warehouse.executeBatch(["INSERT INTO contract.t (id, name) VALUES (11, 'z')", 'INSERT INTO contract.missing VALUES (1)']),
    ).rejects.toBeInstanceOf(SqlError);
    expect(await all(warehouse, 'SELECT id, name FROM contract.t WHERE id >= 10 ORDER BY id')).toEqual([[10, 'y']]);
  });

  it('names unaliased function columns after the function, as Redshift does', async () => {
    await ready;
    const result = await warehouse.query('SELECT count(*), count(name), max(id), max(lower(name)) AS low FROM contract.t');
    expect(result.columns.map((c) => c.name)).toEqual(['count', 'count', 'max', 'low']);
    await result.close();
  });

  it("raises the engine's message for a bad statement", async () => {
    await ready;
    const error = await warehouse.query('SELECT nope FROM contract.t').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqlError);
    expect((error as Error).message).toMatch(/nope/);
  });

  it('keeps SET, temporary tables and an open transaction in a session, and shows no one else what it has not committed', async () => {
    await ready;
    await warehouse.execute('CREATE TABLE contract.sessions (id INTEGER)');
    const session = await warehouse.openSession();
    try {
      await session.execute('CREATE TEMP TABLE scratch (n INTEGER)');
      await session.execute('INSERT INTO scratch VALUES (1), (2)');
      await session.execute("SET search_path TO contract");
      const read = await session.query('SELECT count(*) FROM scratch');
      const counted: Row[] = [];
      for await (const page of read.pages()) counted.push(...page);
      expect(counted).toEqual([[2]]);
      await session.execute('BEGIN');
      await session.execute('INSERT INTO sessions VALUES (1)');
      expect(await all(warehouse, 'SELECT count(*) FROM contract.sessions')).toEqual([[0]]);
      await session.execute('COMMIT');
      expect(await all(warehouse, 'SELECT count(*) FROM contract.sessions')).toEqual([[1]]);
      const other = await warehouse.query('SELECT count(*) FROM scratch').catch((e: unknown) => e);
      expect(other).toBeInstanceOf(SqlError);
    } finally {
      await session.close();
    }
    await expect(session.execute('SELECT 1')).rejects.toThrow(/closed/);
  });

  it('runs a batch inside a transaction the session began as part of it: nothing is committed until the session ends it', async () => {
    await ready;
    await warehouse.execute('CREATE TABLE contract.open_batch (id INTEGER)');
    const session = await warehouse.openSession();
    try {
      await session.execute('BEGIN');
      expect(session.transactionOpen?.()).toBe(true);
      await session.executeBatch(['INSERT INTO contract.open_batch VALUES (1)', 'INSERT INTO contract.open_batch VALUES (2)']);
      expect(await all(warehouse, 'SELECT count(*) FROM contract.open_batch')).toEqual([[0]]);
      await session.execute('ROLLBACK');
      expect(session.transactionOpen?.()).toBe(false);
      expect(await all(warehouse, 'SELECT count(*) FROM contract.open_batch')).toEqual([[0]]);
    } finally {
      await session.close();
    }
  });

  it('cancels a running statement when its signal aborts', async () => {
    await ready;
    const controller = new AbortController();
    const statuses: string[] = [];
    let cancelled: Promise<void> | undefined;
    const running = warehouse.execute(`CREATE TABLE contract.slow AS ${engine.slowQuery}`, {
      signal: controller.signal,
      onStatus: (s) => {
        statuses.push(s);
        if (s === 'STARTED') cancelled ??= engine.untilRunning().then(() => controller.abort());
      },
    });
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    await cancelled;
    expect(statuses).toContain('STARTED');
    // The engine stays usable after a cancel.
    expect(await all(warehouse, 'SELECT 1 AS one')).toEqual([[1]]);
  });
});

describe('local warehouse connections', () => {
  it('a query waiting for a connection an open result holds stops on its signal', async () => {
    const warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
    try {
      const open = await warehouse.query('SELECT * FROM generate_series(1, 100000) AS t(i)', { pageSize: 10 });
      const pages = open.pages()[Symbol.asyncIterator]();
      await pages.next();
      const controller = new AbortController();
      const waiting = warehouse.query('SELECT 1 AS one', { signal: controller.signal });
      setImmediate(() => controller.abort());
      await expect(waiting).rejects.toBeInstanceOf(CancelledError);
      await open.close();
      expect(await all(warehouse, 'SELECT 1 AS one')).toEqual([[1]]);
    } finally {
      await warehouse.close();
    }
  });

  it('a cancel while a statement is being prepared stops it before it runs', async () => {
    const warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
    try {
      for (const run of [
        (options: { signal: AbortSignal; onStatus: (s: string) => void }) => warehouse.query(ENGINES[0].slowQuery, options),
        (options: { signal: AbortSignal; onStatus: (s: string) => void }) => warehouse.execute(`CREATE TABLE slow AS ${ENGINES[0].slowQuery}`, options),
      ]) {
        const controller = new AbortController();
        // STARTED comes before the rewrite, which awaits the catalog: the abort lands in between.
        await expect(run({ signal: controller.signal, onStatus: (s) => s === 'STARTED' && controller.abort() })).rejects.toBeInstanceOf(CancelledError);
      }
      expect(await all(warehouse, 'SELECT 1 AS one')).toEqual([[1]]);
    } finally {
      await warehouse.close();
    }
  });

  it('runs statements while a query result is open and half read, and closes with one open', async () => {
    const warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
    await warehouse.execute('CREATE TABLE n AS SELECT range AS i FROM generate_series(0, 99999) AS t(range)');
    const open = await warehouse.query('SELECT i FROM n ORDER BY i', { pageSize: 100 });
    const reader = open.pages()[Symbol.asyncIterator]();
    expect(((await reader.next()).value as Row[]).length).toBe(100);
    expect((await warehouse.execute('INSERT INTO n VALUES (-1)')).rowsAffected).toBe(1);
    await warehouse.close();
  });
});
