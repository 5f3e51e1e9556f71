// Data API sessions in the fake, checked with the real SDK client over HTTP
// (no retries, so every answer is seen as sent), and the Redshift session the
// warehouse opens on them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  ListSessionsCommand,
  RedshiftDataClient,
  type DescribeStatementResponse,
} from '@aws-sdk/client-redshift-data';
import { RedshiftDataWarehouse } from '../src/pipeline/warehouse/redshift-data.js';
import { startDataApi, applyTestCredentials, type DataApiHarness } from './fakes/aws/data-api-harness.js';

applyTestCredentials();

let harness: DataApiHarness;
let client: RedshiftDataClient;
const scope = { ClusterIdentifier: 'c', Database: 'dev', DbUser: 'awsuser' };

async function finished(id: string): Promise<DescribeStatementResponse> {
  return client.send(new DescribeStatementCommand({ Id: id, WaitTimeSeconds: 10 }));
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  return (await promise.then(() => new Error('no error'), (e: unknown) => e)) as Error;
}

beforeAll(async () => {
  harness = await startDataApi({ clusters: { c: {} } });
  client = new RedshiftDataClient({ region: 'us-west-2', endpoint: harness.url, maxAttempts: 1 });
});

afterAll(async () => {
  client.destroy();
  await harness.close();
});

describe('fake Data API sessions', () => {
  it('opens a session on SessionKeepAliveSeconds; later statements pass only SessionId and see its temporary tables and settings', async () => {
    const first = await client.send(new ExecuteStatementCommand({ ...scope, Sql: 'CREATE TEMP TABLE kept (n INTEGER)', SessionKeepAliveSeconds: 60 }));
    expect(first.SessionId).toMatch(/^[0-9a-f-]{36}$/);
    await finished(first.Id!);
    const SessionId = first.SessionId;
    await finished((await client.send(new ExecuteStatementCommand({ SessionId, Sql: 'INSERT INTO kept VALUES (1), (2)' }))).Id!);
    await finished((await client.send(new ExecuteStatementCommand({ SessionId, Sql: 'SET search_path TO pg_temp, main' }))).Id!);
    const read = await client.send(new ExecuteStatementCommand({ SessionId, Sql: 'SELECT count(*) FROM kept', WaitTimeSeconds: 10 }));
    expect([read.Status, read.SessionId]).toEqual(['FINISHED', SessionId]);
    expect((await client.send(new GetStatementResultCommand({ Id: read.Id }))).Records).toEqual([[{ longValue: 2 }]]);
    expect((await client.send(new DescribeStatementCommand({ Id: read.Id }))).SessionId).toBe(SessionId);

    const outside = await finished((await client.send(new ExecuteStatementCommand({ ...scope, Sql: 'SELECT count(*) FROM kept' }))).Id!);
    expect(outside.Status).toBe('FAILED');
  });

  it('runs one statement at a time in a session and refuses a second while the first runs', async () => {
    harness.fake.configure({ rules: [{ pattern: 'session_busy', latencyMs: 1500 }] });
    try {
      const first = await client.send(new ExecuteStatementCommand({ ...scope, Sql: 'SELECT 1 AS session_busy', SessionKeepAliveSeconds: 60 }));
      const busy = await failure(client.send(new ExecuteStatementCommand({ SessionId: first.SessionId, Sql: 'SELECT 2' })));
      expect(busy.name).toBe('ValidationException');
      expect(busy.message).toMatch(/one statement at a time/);
      const listed = await client.send(new ListSessionsCommand({ SessionId: first.SessionId }));
      expect(listed.Sessions?.map((s) => [s.Status, s.CurrentStatementId])).toEqual([['BUSY', first.Id]]);
      await finished(first.Id!);
      const next = await client.send(new ExecuteStatementCommand({ SessionId: first.SessionId, Sql: 'SELECT 2', WaitTimeSeconds: 10 }));
      expect(next.Status).toBe('FINISHED');
    } finally {
      harness.fake.configure({ rules: [] });
    }
  });

  it('refuses a cluster or database beside SessionId, and a keep-alive past 24 hours', async () => {
    const { SessionId, Id } = await client.send(new ExecuteStatementCommand({ ...scope, Sql: 'SELECT 1', SessionKeepAliveSeconds: 60 }));
    await finished(Id!);
    const both = await failure(client.send(new ExecuteStatementCommand({ SessionId, Database: 'dev', Sql: 'SELECT 1' })));
    expect([both.name, both.message]).toEqual(['ValidationException', 'Database cannot be specified together with SessionId']);
    const tooLong = await failure(client.send(new ExecuteStatementCommand({ ...scope, Sql: 'SELECT 1', SessionKeepAliveSeconds: 86_401 })));
    expect(tooLong.name).toBe('ValidationException');
  });

  it('closes a session idle past its keep-alive: it is listed CLOSED and takes no more statements', async () => {
    const { SessionId, Id } = await client.send(new ExecuteStatementCommand({ ...scope, Sql: 'CREATE TEMP TABLE brief (n INTEGER)', SessionKeepAliveSeconds: 1 }));
    await finished(Id!);
    expect((await client.send(new ListSessionsCommand({ SessionId }))).Sessions?.[0]?.Status).toBe('AVAILABLE');
    let status: string | undefined;
    do status = (await client.send(new ListSessionsCommand({ SessionId, Status: 'CLOSED' }))).Sessions?.[0]?.Status;
    while (status !== 'CLOSED');
    const expired = await failure(client.send(new ExecuteStatementCommand({ SessionId, Sql: 'SELECT count(*) FROM brief' })));
    expect([expired.name, expired.message]).toEqual(['ValidationException', `Session ${SessionId} does not exist or has expired`]);
  });

  it('answers ActiveSessionsExceededException past the allowed number of open sessions', async () => {
    harness.fake.configure({ maxSessions: 0 });
    try {
      const refused = await failure(client.send(new ExecuteStatementCommand({ ...scope, Sql: 'SELECT 1', SessionKeepAliveSeconds: 60 })));
      expect(refused.name).toBe('ActiveSessionsExceededException');
    } finally {
      harness.fake.configure({ maxSessions: 500 });
    }
  });
});

describe('RedshiftDataWarehouse sessions', () => {
  it('opens one Data API session, sends SessionId after the first statement, and ends it on close', async () => {
    const warehouse = await RedshiftDataWarehouse.open({ clusterIdentifier: 'c', database: 'dev', dbUser: 'awsuser', region: 'us-west-2', endpoint: harness.url });
    try {
      const before = (await client.send(new ListSessionsCommand({}))).Sessions?.length ?? 0;
      const session = await warehouse.openSession();
      const { statementId } = await session.execute('CREATE TEMP TABLE mine (n INTEGER)');
      const described = await client.send(new DescribeStatementCommand({ Id: statementId }));
      expect(described.SessionId).toBeDefined();
      await session.execute('INSERT INTO mine VALUES (5)');
      const result = await session.query('SELECT n FROM mine');
      const rows = [];
      for await (const page of result.pages()) rows.push(...page);
      expect(rows).toEqual([[5]]);
      expect((await client.send(new ListSessionsCommand({}))).Sessions?.length).toBe(before + 1);
      await session.close();
      const after = await client.send(new ListSessionsCommand({ SessionId: described.SessionId, Status: 'CLOSED' }));
      expect(after.Sessions?.[0]?.Status).toBe('CLOSED');
    } finally {
      await warehouse.close();
    }
  });

  it('keeps an idle session alive, and after it ends says so and starts a new one with the next statement', async () => {
    const warehouse = await RedshiftDataWarehouse.open({ clusterIdentifier: 'c', database: 'dev', dbUser: 'awsuser', region: 'us-west-2', endpoint: harness.url });
    try {
      const session = await warehouse.openSession({ keepAliveSeconds: 1 });
      const { statementId } = await session.execute('CREATE TEMP TABLE fleeting (n INTEGER)');
      const { SessionId } = await client.send(new DescribeStatementCommand({ Id: statementId }));
      const heartbeats = async () =>
        ((await harness.fake.control('/statements', undefined)) as { id: string; sql: string }[]).filter((st) => st.sql === 'SELECT 1').length;
      const before = await heartbeats();
      while ((await heartbeats()) < before + 2) await new Promise((r) => setTimeout(r, 50));
      expect((await client.send(new ListSessionsCommand({ SessionId }))).Sessions?.[0]?.Status).not.toBe('CLOSED');
      await session.execute('INSERT INTO fleeting VALUES (1)');

      await harness.fake.control('/end-sessions', undefined);
      await expect(session.execute('INSERT INTO fleeting VALUES (2)')).rejects.toThrow(/session .* has ended .* temporary tables/);
      const again = await session.execute('CREATE TEMP TABLE fleeting (n INTEGER)');
      expect((await client.send(new DescribeStatementCommand({ Id: again.statementId }))).SessionId).not.toBe(SessionId);
      await session.close();
    } finally {
      await warehouse.close();
    }
  });
});
