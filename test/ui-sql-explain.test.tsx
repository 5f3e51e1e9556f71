// The EXPLAIN view of the SQL prompt on both engines: Ctrl-P on the draft or
// \explain draws the plan as a tree; on Redshift (the fake, through the real
// SDK) each join's distribution step is marked and explained and each scanned
// table shows its DISTKEY and SORTKEY.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import { RedshiftDataWarehouse } from '../src/pipeline/warehouse/redshift-data.js';
import type { Warehouse } from '../src/pipeline/warehouse/types.js';
import { SqlScreen } from '../src/ui/screens/sql-screen.js';
import { applyTestCredentials, startDataApi, type DataApiHarness } from './fakes/aws/data-api-harness.js';
import { contains, press, waitForFrame } from './helpers/ink.js';
import { DOWN, ENTER, ESC, UP } from './helpers/keys.js';
import { STAR_JOIN, STAR_SCHEMA_WITH_STORAGE as STAR_SCHEMA } from './helpers/star-storage.js';

applyTestCredentials();
const CTRL_P = '\u0010';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'sparkify-sql-explain-'));
});
afterEach(async () => {
  cleanup();
  await rm(home, { recursive: true, force: true });
});

const screen = (warehouse: Warehouse) => render(<SqlScreen warehouse={warehouse} home={home} isActive width={140} height={40} />);

describe('on the local engine', () => {
  let warehouse: DuckDbWarehouse;
  beforeAll(async () => {
    warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
    for (const statement of STAR_SCHEMA) await warehouse.execute(statement);
  });
  afterAll(async () => warehouse.close());

  it('Ctrl-P draws the plan of the draft as a tree of operators, and Esc goes back to the draft', async () => {
    const app = screen(warehouse);
    await press(app, STAR_JOIN, CTRL_P);
    const frame = await waitForFrame(app, contains('Plan on the local engine'));
    expect(frame).toMatch(/HASH_GROUP_BY\n[│ ]*~?\d*.*\n?[\s\S]*└─ HASH_JOIN/);
    expect(frame).toMatch(/[├└]─ SEQ_SCAN/);
    expect(frame).toMatch(/[├└]─ SEQ_SCAN analytics\.f_songplays/);
    expect(frame).toMatch(/Conditions: (user_id|session_id) = /);
    expect(frame).not.toContain('PROJECTION');
    await press(app, ESC);
    const back = await waitForFrame(app, (f) => !f.includes('Plan on the local engine'));
    expect(back).toMatch(/sql> .*GROUP BY 1, 2/);
  });

  it('\\explain refuses what has no plan, in words', async () => {
    const app = screen(warehouse);
    await press(app, '\\explain CREATE TABLE x (n INTEGER)', ENTER);
    await waitForFrame(app, contains('CREATE TABLE has no plan to show'));
  });
});

describe('on Redshift (the fake Data API)', () => {
  let harness: DataApiHarness;
  let warehouse: RedshiftDataWarehouse;
  beforeAll(async () => {
    harness = await startDataApi({ clusters: { c: {} } });
    warehouse = await RedshiftDataWarehouse.open({ clusterIdentifier: 'c', database: 'dev', dbUser: 'awsuser', region: 'us-west-2', endpoint: harness.url, waitSeconds: 2 });
    for (const statement of STAR_SCHEMA) await warehouse.execute(statement);
  });
  afterAll(async () => {
    await warehouse?.close();
    await harness?.close();
  });

  it('\\explain marks and explains each distribution step and shows the keys of each table', async () => {
    const app = screen(warehouse);
    await press(app, `\\explain ${STAR_JOIN};`, ENTER);
    const frame = await waitForFrame(app, contains('Plan on the Redshift'));
    expect(frame).toContain('1 join move data between nodes');
    expect(frame).toMatch(/XN Hash Join DS_DIST_ALL_NONE/);
    expect(frame).toMatch(/✓ DS_DIST_ALL_NONE: no data moves: the inner table is DISTSTYLE ALL/);
    expect(frame).toMatch(/⚠ DS_BCAST_INNER: the whole inner table is copied to every node/);
    expect(frame).toMatch(/XN Seq Scan on f_songplays\s+\[DISTKEY start_time · SORTKEY start_time\]/);
    expect(frame).toMatch(/XN Seq Scan on d_users\s+\[DISTSTYLE ALL · SORTKEY user_id\]/);
    expect(frame).toMatch(/XN Seq Scan on s_sessions\s+\[DISTSTYLE EVEN · no SORTKEY\]/);
    expect(frame).toContain('Hash Cond: ("outer".');
  });

  it('\\explain alone explains the last statement run, and ↓ scrolls the tree', async () => {
    const app = render(<SqlScreen warehouse={warehouse} home={home} isActive width={140} height={12} />);
    await press(app, `${STAR_JOIN};`, ENTER);
    await waitForFrame(app, contains('1 row in'));
    await press(app, '\\explain', ENTER);
    const first = await waitForFrame(app, contains('Plan on the Redshift'));
    expect(first).toMatch(/lines 1–\d+ of \d+/);
    await press(app, DOWN);
    await waitForFrame(app, contains('lines 2–'));
    // Held past the end it stays on the last screenful, and the first key up moves it.
    await press(app, ...Array.from({ length: 40 }, () => DOWN));
    const last = await waitForFrame(app, (f) => /lines (\d+)–(\d+) of \2\b/.test(f));
    const start = Number(/lines (\d+)–/.exec(last)![1]);
    await press(app, UP);
    await waitForFrame(app, contains(`lines ${start - 1}–`));
    await press(app, 'g');
    await waitForFrame(app, contains('lines 1–'));
    await press(app, 'G');
    await waitForFrame(app, contains(`lines ${start}–`));
  });
});
