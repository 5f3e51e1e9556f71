// The Data API's limits on active statements (per cluster or workgroup) and on
// open sessions: the fake refuses past them as the service does, and
// RedshiftDataWarehouse waits them out with backoff, then says clearly that
// they did not clear. The real SDK client over HTTP on 127.0.0.1.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ExecuteStatementCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { RedshiftConnection } from '../src/pipeline/warehouse/redshift-scope.js';
import { AwsError } from '../src/pipeline/errors.js';
import { startDataApi, applyTestCredentials, warehouseOpener, type DataApiHarness } from './fakes/aws/data-api-harness.js';
import { until } from './helpers/ink.js';

applyTestCredentials();

let harness: DataApiHarness;
let connection: RedshiftConnection;
const warehouses = warehouseOpener(() => connection);
const open = warehouses.open;

const refusals = (type: string) => harness.calls('ExecuteStatement').filter((call) => call.error === type).length;

beforeAll(async () => {
  harness = await startDataApi({ clusters: { c: {}, d: {} } });
  connection = { clusterIdentifier: 'c', database: 'dev', dbUser: 'awsuser', region: 'us-west-2', endpoint: harness.url };
});

afterEach(async () => {
  await warehouses.closeAll();
  harness.fake.configure({ maxActive: 200, maxSessions: 500, rules: [] });
});

afterAll(async () => {
  await harness.close();
});

describe('the limit on open sessions', () => {
  it('is answered with ActiveSessionsExceededException past the limit; a statement waits until a session closes, then opens its own', async () => {
    harness.fake.configure({ maxSessions: 1 });
    const warehouse = await open();
    const first = await warehouse.openSession();
    await first.execute('SELECT 1');
    const second = await warehouse.openSession();
    const before = refusals('ActiveSessionsExceededException');
    const waiting = second.query('SELECT 2 AS two');
    await until(() => refusals('ActiveSessionsExceededException') > before, () => 'no ActiveSessionsExceededException answered');
    await first.close();
    const result = await waiting;
    const rows = [];
    for await (const page of result.pages()) rows.push(...page);
    expect(rows).toEqual([[2]]);
    await second.close();
  });

  it('says so in plain words when no session closes while it waits', async () => {
    harness.fake.configure({ maxSessions: 0 });
    const warehouse = await open({ limitWaitSeconds: 1 });
    const session = await warehouse.openSession();
    const before = refusals('ActiveSessionsExceededException');
    const error = await session.execute('SELECT 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsError);
    expect((error as AwsError).message).toBe('c/dev has as many Data API sessions open as it allows, and none closed in the 1 s sparkify waited to run a statement');
    expect((error as AwsError).hint).toMatch(/close other SQL prompts/);
    // Backoff: tried again within the second, not once.
    expect(refusals('ActiveSessionsExceededException') - before).toBeGreaterThan(1);
  });
});

describe('the limit on active statements', () => {
  it('counts a cluster’s own statements only: past it a statement waits for one to finish, another cluster is not held up', async () => {
    harness.fake.configure({ maxActive: 1, rules: [{ pattern: 'limit_slow_marker', latencyMs: 60_000 }] });
    const warehouse = await open();
    const stop = new AbortController();
    const slow = warehouse.execute("SELECT 'limit_slow_marker'", { signal: stop.signal }).catch((e: unknown) => e);
    const running = () =>
      (harness.fake.control('/statements', undefined) as { sql: string; status: string }[]).some((st) => st.sql.includes('limit_slow_marker') && st.status === 'STARTED');
    await until(running, () => 'the slow statement did not start');
    const other = new RedshiftDataClient({ region: 'us-west-2', endpoint: harness.url, maxAttempts: 1 });
    try {
      const elsewhere = await other.send(new ExecuteStatementCommand({ ClusterIdentifier: 'd', Database: 'dev', DbUser: 'awsuser', Sql: 'SELECT 1' }));
      expect(elsewhere.Id).toBeDefined();
    } finally {
      other.destroy();
    }
    const before = refusals('ActiveStatementsExceededException');
    const queued = warehouse.execute('SELECT 2');
    await until(() => refusals('ActiveStatementsExceededException') > before, () => 'no ActiveStatementsExceededException answered');
    // The slow statement ends (cancelled): the one waiting goes through.
    stop.abort();
    await slow;
    expect((await queued).rowsAffected).toBe(1);
  });

  it('says so in plain words when none finishes while it waits', async () => {
    harness.fake.configure({ maxActive: 0 });
    const warehouse = await open({ limitWaitSeconds: 1 });
    const error = await warehouse.execute('SELECT 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsError);
    expect((error as AwsError).message).toBe('c/dev is running as many statements as the Data API allows at once, and none finished in the 1 s sparkify waited to run a statement');
    expect((error as AwsError).hint).toMatch(/--concurrency 1/);
  });
});
