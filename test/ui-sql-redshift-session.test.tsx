// The SQL prompt on Redshift runs in one Data API session (the real SDK
// against the fake): a temporary table and an open transaction carry from
// one statement to the next, and leaving the prompt ends the session; \d+
// reads the tables' storage from the fake cluster's catalog.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListSessionsCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { cleanup, render } from 'ink-testing-library';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedshiftDataWarehouse } from '../src/pipeline/warehouse/redshift-data.js';
import { SqlScreen } from '../src/ui/screens/sql-screen.js';
import { applyTestCredentials, startDataApi, type DataApiHarness } from './fakes/aws/data-api-harness.js';
import { contains, press, waitForFrame } from './helpers/ink.js';
import { ENTER } from './helpers/keys.js';

applyTestCredentials();

let harness: DataApiHarness;
let client: RedshiftDataClient;
let home: string;

beforeAll(async () => {
  harness = await startDataApi({ clusters: { c: {} } });
  client = new RedshiftDataClient({ region: 'us-west-2', endpoint: harness.url, maxAttempts: 1 });
  home = await mkdtemp(join(tmpdir(), 'sparkify-sql-redshift-session-'));
});
afterAll(async () => {
  cleanup();
  client.destroy();
  await harness.close();
  await rm(home, { recursive: true, force: true });
});

/** A one-column result whose first value under the header (and its type line) is `value`. */
const underHeader = (name: string, value: string) => new RegExp(`${name}\\n.*\\n?─+\\n\\s*${value}\\b`);

const sessions = async (Status?: 'AVAILABLE' | 'BUSY' | 'CLOSED') => (await client.send(new ListSessionsCommand(Status ? { Status } : {}))).Sessions ?? [];

it('keeps a temporary table and a transaction between statements in one session, and ends it when the prompt goes', async () => {
  const warehouse = await RedshiftDataWarehouse.open({ clusterIdentifier: 'c', database: 'dev', dbUser: 'awsuser', region: 'us-west-2', endpoint: harness.url, waitSeconds: 2 });
  try {
    const before = (await sessions()).length;
    const app = render(<SqlScreen warehouse={warehouse} home={home} isActive width={100} height={20} />);
    await press(app, 'CREATE TEMP TABLE picks AS SELECT 3 AS n;', ENTER);
    await waitForFrame(app, contains('SELECT 1'));
    await press(app, 'SELECT n * 2 AS doubled FROM picks;', ENTER);
    let frame = await waitForFrame(app, (f) => underHeader('doubled', '\\d+').test(f));
    expect(frame).toMatch(underHeader('doubled', '6'));

    await press(app, 'BEGIN;', ENTER);
    await waitForFrame(app, contains('› BEGIN'));
    await press(app, 'INSERT INTO picks VALUES (4);', ENTER);
    await waitForFrame(app, contains('INSERT 0 1'));
    await press(app, 'SELECT count(*) AS inside FROM picks;', ENTER);
    frame = await waitForFrame(app, (f) => underHeader('inside', '\\d+').test(f));
    expect(frame).toMatch(underHeader('inside', '2'));
    await press(app, 'ROLLBACK;', ENTER);
    await waitForFrame(app, contains('› ROLLBACK'));
    await press(app, 'SELECT count(*) AS after_rollback FROM picks;', ENTER);
    frame = await waitForFrame(app, (f) => underHeader('after_rollback', '\\d+').test(f));
    expect(frame).toMatch(underHeader('after_rollback', '1'));

    const opened = (await sessions()).slice(before);
    expect(opened).toHaveLength(1);
    expect(opened[0].Status).not.toBe('CLOSED');
    app.unmount();
    // The session ends with a statement of its own: poll the service until it says CLOSED.
    const closed = async () => (await sessions('CLOSED')).some((session) => session.SessionId === opened[0].SessionId);
    const deadline = Date.now() + 15_000;
    while (!(await closed())) {
      if (Date.now() > deadline) throw new Error(`session ${opened[0].SessionId} was not closed when the prompt went`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await warehouse.close();
  }
});

it('\\d+ on Redshift shows the dist style, the dist key and the sort key places from the catalog', async () => {
  const warehouse = await RedshiftDataWarehouse.open({ clusterIdentifier: 'c', database: 'dev', dbUser: 'awsuser', region: 'us-west-2', endpoint: harness.url, waitSeconds: 2 });
  try {
    await warehouse.execute('CREATE SCHEMA IF NOT EXISTS analytics');
    await warehouse.execute('CREATE TABLE analytics.f_plays (songplay_id INTEGER, start_time TIMESTAMP NOT NULL, user_id INTEGER) DISTKEY(start_time) COMPOUND SORTKEY(start_time, user_id)');
    const app = render(<SqlScreen warehouse={warehouse} home={home} isActive width={160} height={20} />);
    await press(app, '\\d+ analytics.f_plays', ENTER);
    const frame = await waitForFrame(app, contains('songplay_id'));
    const cells = (...values: string[]) => new RegExp(values.join('\\s*│\\s*'));
    expect(frame).toMatch(cells('column', 'type', 'nullable', 'default', 'diststyle', 'distkey', 'sortkey'));
    expect(frame).toMatch(cells('songplay_id', 'integer', '', '', 'KEY\\(start_time\\)', '', '∅'));
    expect(frame).toMatch(cells('start_time', 'timestamp without time zone', 'not null', '', '', 'yes', '1'));
    expect(frame).toMatch(cells('user_id', 'integer', '', '', '', '', '2'));
  } finally {
    await warehouse.close();
  }
});
