// The same query on the other engine: \compare (or Ctrl-B) runs the statement
// on the local file and on Redshift (the fake, through the real SDK) and says
// whether the results are equal, with row counts, hashes and the differing rows.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ordersRows } from '../src/pipeline/sql/ordering.js';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import { RedshiftDataWarehouse } from '../src/pipeline/warehouse/redshift-data.js';
import { SqlScreen } from '../src/ui/screens/sql-screen.js';
import { applyTestCredentials, startDataApi, type DataApiHarness } from './fakes/aws/data-api-harness.js';
import { contains, press, waitForFrame } from './helpers/ink.js';
import { DOWN, ENTER, ESC, PAGE_DOWN, PAGE_UP, UP } from './helpers/keys.js';

applyTestCredentials();
const CTRL_B = '\u0002';

const MODEL = [
  'CREATE SCHEMA analytics',
  'CREATE TABLE analytics.d_users (user_id INTEGER NOT NULL, level VARCHAR(10), score DECIMAL(6,2))',
  "INSERT INTO analytics.d_users VALUES (1, 'free', 1.50), (2, 'paid', 2.00), (3, 'free', NULL)",
];

let harness: DataApiHarness;
let local: DuckDbWarehouse;
let home: string;
const openRedshift = () => RedshiftDataWarehouse.open({ clusterIdentifier: 'c', database: 'dev', dbUser: 'awsuser', region: 'us-west-2', endpoint: harness.url, waitSeconds: 2 });

beforeAll(async () => {
  harness = await startDataApi({ clusters: { c: {} } });
  local = await DuckDbWarehouse.open({ path: ':memory:' });
  const redshift = await openRedshift();
  for (const statement of MODEL) {
    await local.execute(statement);
    await redshift.execute(statement);
  }
  await redshift.close();
});
afterAll(async () => {
  await local.close();
  await harness.close();
});
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'sparkify-sql-compare-'));
});
afterEach(async () => {
  cleanup();
  await rm(home, { recursive: true, force: true });
});

const screen = (withOther = true) =>
  render(<SqlScreen warehouse={local} home={home} isActive width={120} height={20} openOtherWarehouse={withOther ? openRedshift : undefined} />);

it('Ctrl-B on the draft says the results are equal, in any order, with the count and hash', async () => {
  const app = screen();
  await press(app, 'SELECT user_id, level, score FROM analytics.d_users', CTRL_B);
  const frame = await waitForFrame(app, contains('Same query on both engines'));
  expect(frame).toMatch(/✓ equal on local and Redshift, in any order:\n {2}both {5}3 rows · hash [0-9a-f]{16}\n/);
  await press(app, ESC);
  await waitForFrame(app, (f) => !f.includes('Same query on both engines'));
});

it('\\compare under a statement shows the rows only one side has', async () => {
  const redshift = await openRedshift();
  await redshift.execute("INSERT INTO analytics.d_users VALUES (4, 'paid', 9.25)");
  await redshift.close();
  const app = screen();
  await press(app, "SELECT user_id, level FROM analytics.d_users WHERE level = 'paid' ORDER BY user_id", ENTER, '\\compare', ENTER);
  const frame = await waitForFrame(app, contains('⚠ different'));
  expect(frame).toMatch(/⚠ different \(in the order of its ORDER BY\):\n {2}local {4}1 row · hash [0-9a-f]{16}\n {2}Redshift 2 rows · hash [0-9a-f]{16}\n/);
  expect(frame).toContain('only Redshift: (4, paid)');
  expect(frame).not.toContain('only local:');
});

it('scrolls the differing rows when they are more than the screen holds', async () => {
  await local.execute('CREATE TABLE analytics.spread AS SELECT n::INTEGER AS n FROM generate_series(0, 29) AS g(n)');
  const redshift = await openRedshift();
  await redshift.execute('CREATE TABLE analytics.spread (n INTEGER)');
  await redshift.close();
  const app = screen();
  await press(app, 'SELECT n FROM analytics.spread ORDER BY n', CTRL_B);
  // 20 lines: the draft and the status line, then the title, the verdict (a line and one per engine) and the footer around 13 rows.
  let frame = await waitForFrame(app, contains('differing rows 1–13 of 30 · ↑↓ PgUp/PgDn scroll'));
  expect(frame).toContain('only local: (0)');
  expect(frame).toContain('only local: (12)');
  expect(frame).not.toContain('only local: (13)');
  await press(app, PAGE_DOWN);
  frame = await waitForFrame(app, contains('differing rows 14–26 of 30'));
  expect(frame).toContain('only local: (13)');
  expect(frame).not.toContain('only local: (12)');
  // Past the end it stays on the last screenful, and the first key up moves it.
  await press(app, 'G', DOWN, DOWN, UP);
  frame = await waitForFrame(app, contains('differing rows 17–29 of 30'));
  await press(app, 'g');
  await waitForFrame(app, contains('differing rows 1–13 of 30'));
  await press(app, 'G');
  frame = await waitForFrame(app, contains('differing rows 18–30 of 30'));
  expect(frame).toContain('only local: (29)');
  await press(app, PAGE_UP);
  await waitForFrame(app, contains('differing rows 5–17 of 30'));
  await press(app, ESC);
  await waitForFrame(app, (f) => !f.includes('Same query on both engines'));
});

it('says which engine refused the query, with the rows of the other', async () => {
  await local.execute('CREATE TABLE analytics.only_here (n INTEGER)');
  const app = screen();
  await press(app, 'SELECT count(*) AS n FROM analytics.only_here', CTRL_B);
  const frame = await waitForFrame(app, contains('⚠ different: local runs it, Redshift refuses it:'));
  expect(frame).toMatch(/\n {2}local {4}1 row · hash [0-9a-f]{16}\n {2}Redshift ✗ [^\n]*only_here/);
});

it('escapes control characters in the differing rows', async () => {
  const app = screen();
  await press(app, "SELECT 'bell' || chr(7) || random()::varchar AS v", CTRL_B);
  const frame = await waitForFrame(app, contains('only local: (bell\\x07'));
  expect(frame).not.toContain('\u0007');
});

it('refuses what is not a read, and says so when only one engine is configured', async () => {
  let app = screen();
  await press(app, 'DELETE FROM analytics.d_users', ENTER, '\\compare', ENTER);
  await waitForFrame(app, contains('\\compare runs reads only, not DELETE'));
  cleanup();
  app = screen(false);
  await press(app, 'SELECT 1;', ENTER);
  await waitForFrame(app, contains('1 row'));
  await press(app, '\\compare', ENTER);
  await waitForFrame(app, contains('\\compare needs both engines'));
});

describe('ordersRows', () => {
  it('sees an ORDER BY at the top only', () => {
    expect(ordersRows('SELECT a FROM t ORDER BY a')).toBe(true);
    expect(ordersRows('SELECT a, rank() OVER (ORDER BY a) FROM t')).toBe(false);
    expect(ordersRows("SELECT 'order by' FROM (SELECT a FROM t ORDER BY a) s")).toBe(false);
  });
});
