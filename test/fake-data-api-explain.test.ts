// The fake cluster's catalog of table storage (svv_table_info, pg_table_def)
// and its EXPLAIN, read with the real SDK through RedshiftDataWarehouse: the
// plan of a star-schema join as Redshift lays it out, with the distribution
// step of each join following from the tables' dist styles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTableSql, listDatabasesSql } from '../src/pipeline/catalog-commands.js';
import { DISTRIBUTION_STEPS, explainPlan, parseRedshiftPlan, storageLabel, type PlanNode } from '../src/pipeline/explain.js';
import { RedshiftDataWarehouse } from '../src/pipeline/warehouse/redshift-data.js';
import type { Row } from '../src/pipeline/warehouse/types.js';
import { applyTestCredentials, startDataApi, type DataApiHarness } from './fakes/aws/data-api-harness.js';

applyTestCredentials();

let harness: DataApiHarness;
let warehouse: RedshiftDataWarehouse;

async function rows(sql: string): Promise<Row[]> {
  const result = await warehouse.query(sql);
  const all: Row[] = [];
  for await (const page of result.pages()) all.push(...page);
  return all;
}

/** Every node of a plan, depth first. */
const nodes = (roots: PlanNode[]): PlanNode[] => roots.flatMap((node) => [node, ...nodes(node.children)]);

beforeAll(async () => {
  harness = await startDataApi({ clusters: { c: {} }, databases: ['dev', 'sparkify'] });
  warehouse = await RedshiftDataWarehouse.open({ clusterIdentifier: 'c', database: 'dev', dbUser: 'awsuser', region: 'us-west-2', endpoint: harness.url, waitSeconds: 2 });
  await warehouse.execute('CREATE SCHEMA analytics');
  await warehouse.execute('CREATE SCHEMA staging');
  await warehouse.execute('CREATE TABLE analytics.d_users (user_id INTEGER NOT NULL SORTKEY, level VARCHAR(10)) DISTSTYLE ALL');
  await warehouse.execute('CREATE TABLE analytics.d_time (start_time TIMESTAMP NOT NULL DISTKEY SORTKEY, hour INTEGER)');
  await warehouse.execute(
    'CREATE TABLE analytics.f_songplays (songplay_id INTEGER, start_time TIMESTAMP NOT NULL, user_id INTEGER, session_id INTEGER) DISTKEY(start_time) COMPOUND SORTKEY(start_time, user_id)',
  );
  await warehouse.execute('CREATE TABLE staging.s_sessions (session_id INTEGER, device VARCHAR(20)) DISTSTYLE EVEN');
  await warehouse.execute(
    "INSERT INTO analytics.f_songplays SELECT i, TIMESTAMP '2018-11-01' + i * INTERVAL '1 minute', i % 50, i % 40 FROM generate_series(1, 2000) AS g(i)",
  );
  await warehouse.execute("INSERT INTO analytics.d_time SELECT TIMESTAMP '2018-11-01' + i * INTERVAL '1 minute', i % 24 FROM generate_series(1, 2000) AS g(i)");
  await warehouse.execute("INSERT INTO analytics.d_users SELECT i, 'free' FROM generate_series(0, 49) AS g(i)");
  await warehouse.execute("INSERT INTO staging.s_sessions SELECT i, 'phone' FROM generate_series(0, 39) AS g(i)");
});

afterAll(async () => {
  await warehouse?.close();
  await harness?.close();
});

describe('the fake catalog of table storage', () => {
  it('answers svv_table_info with the declared dist style and first sort key', async () => {
    const info = await rows(`select schema, "table", diststyle, sortkey1, sortkey_num from svv_table_info order by 1, 2`);
    expect(info).toEqual([
      ['analytics', 'd_time', 'KEY(start_time)', 'start_time', 1],
      ['analytics', 'd_users', 'ALL', 'user_id', 1],
      ['analytics', 'f_songplays', 'KEY(start_time)', 'start_time', 2],
      ['staging', 's_sessions', 'EVEN', null, 0],
    ]);
  });

  it('answers svv_table_info with sizes in 1 MB blocks, and leaves empty tables out, as the view does', async () => {
    await warehouse.execute('CREATE TABLE staging.empty (n INTEGER) DISTSTYLE EVEN');
    // 4 columns + 3 hidden ones, a block each on each of the 2 slices; 2 columns + 3 for the sessions.
    expect(await rows(`select "table", size, tbl_rows from svv_table_info where schema in ('analytics', 'staging') order by 1`)).toEqual([
      ['d_time', 10, '2000'],
      ['d_users', 10, '50'],
      ['f_songplays', 14, '2000'],
      ['s_sessions', 10, '40'],
    ]);
    const { storedMegabytes } = await import('../src/pipeline/provision/storage.js');
    expect(await storedMegabytes(warehouse)).toBe(44);
    await warehouse.execute('DROP TABLE staging.empty');
  });

  it('\\d+ reads the dist style, dist key and sort key places from the leader-node catalog (pg_class_info, pg_attribute)', async () => {
    const described = await rows(describeTableSql('redshift', 'analytics.f_songplays', true));
    // schema, table, column, type, nullable, default, diststyle, distkey, sortkey
    expect(described.map((row) => [row[2], row[4], row[6], row[7], row[8]])).toEqual([
      ['songplay_id', '', 'KEY(start_time)', '', null],
      ['start_time', 'not null', '', 'yes', 1],
      ['user_id', '', '', '', 2],
      ['session_id', '', '', '', null],
    ]);
    // An empty table (svv_table_info leaves it out) is described all the same.
    await warehouse.execute('CREATE TABLE staging.unfilled (a INTEGER, b VARCHAR(4) SORTKEY) DISTSTYLE ALL');
    const unfilled = await rows(describeTableSql('redshift', 'staging.unfilled', true));
    expect(unfilled.map((row) => [row[2], row[6], row[7], row[8]])).toEqual([
      ['a', 'ALL', '', null],
      ['b', '', '', 1],
    ]);
    await warehouse.execute('DROP TABLE staging.unfilled');
  });

  it("answers pg_class_info and pg_attribute with Redshift's columns for the storage", async () => {
    const info = await rows(
      `select r.relname, r.releffectivediststyle from pg_class_info r join pg_namespace n on n.oid = r.relnamespace where n.nspname in ('analytics', 'staging') order by 1`,
    );
    expect(info).toEqual([
      ['d_time', 1],
      ['d_users', 8],
      ['f_songplays', 1],
      ['s_sessions', 0],
    ]);
    const keys = await rows(
      `select a.attname, a.attisdistkey, a.attsortkeyord from pg_attribute a join pg_class c on c.oid = a.attrelid where c.relname = 'f_songplays' order by a.attnum`,
    );
    expect(keys).toEqual([
      ['songplay_id', false, 0],
      ['start_time', true, 1],
      ['user_id', false, 2],
      ['session_id', false, 0],
    ]);
  });

  it('\\l lists the databases of the cluster, not the engine behind the fake', async () => {
    expect(await rows(listDatabasesSql('redshift'))).toEqual([['dev'], ['sparkify']]);
  });

  it('forgets a dropped table', async () => {
    await warehouse.execute('CREATE TABLE staging.gone (n INTEGER) DISTSTYLE ALL');
    await warehouse.execute('INSERT INTO staging.gone VALUES (1)');
    expect(await rows(`select diststyle from svv_table_info where "table" = 'gone'`)).toEqual([['ALL']]);
    await warehouse.execute('DROP TABLE staging.gone');
    expect(await rows(`select diststyle from svv_table_info where "table" = 'gone'`)).toEqual([]);
  });
});

describe('EXPLAIN on the fake cluster', () => {
  it('draws XN operators nested with ->, each join with the distribution step its tables call for', async () => {
    const lines = (await rows('EXPLAIN SELECT u.level, count(*) FROM analytics.f_songplays f JOIN analytics.d_users u ON f.user_id = u.user_id GROUP BY u.level')).map(
      (row) => String(row[0]),
    );
    expect(lines[0]).toMatch(/^XN HashAggregate {2}\(cost=[\d.]+\.\.[\d.]+ rows=\d+ width=\d+\)$/);
    expect(lines.join('\n')).toMatch(/\n {2}-> {2}XN Hash Join DS_DIST_ALL_NONE {2}\(cost=/);
    expect(lines.join('\n')).toContain('Hash Cond: ("outer".user_id = "inner".user_id)');
    expect(lines.join('\n')).toMatch(/-> {2}XN Seq Scan on f_songplays/);
    expect(lines.join('\n')).toMatch(/-> {2}XN Hash {2}\(cost=[^\n]*\n\s+-> {2}XN Seq Scan on d_users/);
  });

  it('reads into a tree with the distribution steps and the storage of every table', async () => {
    const plan = await explainPlan(
      warehouse,
      'redshift',
      `SELECT t.hour, s.device, count(*) FROM analytics.f_songplays f
       JOIN analytics.d_time t ON f.start_time = t.start_time
       JOIN staging.s_sessions s ON f.session_id = s.session_id
       GROUP BY t.hour, s.device;`,
    );
    const steps = nodes(plan.roots)
      .map((node) => node.distribution)
      .filter(Boolean);
    expect(steps.sort()).toEqual(['DS_BCAST_INNER', 'DS_DIST_NONE']);
    expect(storageLabel(plan.storage.get('f_songplays')!)).toBe('DISTKEY start_time · SORTKEY start_time');
    expect(storageLabel(plan.storage.get('s_sessions')!)).toBe('DISTSTYLE EVEN · no SORTKEY');
    expect(DISTRIBUTION_STEPS.DS_BCAST_INNER.moves).toBe(true);
  });

  it('redistributes both sides when neither is on the join key and the inner is not small', async () => {
    const plan = await explainPlan(warehouse, 'redshift', 'SELECT count(*) FROM analytics.f_songplays a JOIN analytics.f_songplays b ON a.user_id = b.session_id');
    expect(nodes(plan.roots).find((node) => node.distribution)?.distribution).toBe('DS_DIST_BOTH');
  });
});

it('parses Redshift plan lines by their indentation, details under their node and notes apart', () => {
  const roots = parseRedshiftPlan([
    'XN Merge  (cost=1000000000136.38..1000000000137.82 rows=576 width=17)',
    '  Merge Key: sum(sales.pricepaid)',
    '  ->  XN Network  (cost=1000000000136.38..1000000000137.82 rows=576 width=17)',
    '        Send to leader',
    '        ->  XN Hash Join DS_BCAST_INNER  (cost=109.98..2815365714.80 rows=172456 width=17)',
    '              Hash Cond: ("outer".eventid = "inner".eventid)',
    '              ->  XN Seq Scan on sales  (cost=0.00..1724.56 rows=172456 width=16)',
    '              ->  XN Hash  (cost=87.98..87.98 rows=8798 width=9)',
    '                    ->  XN Seq Scan on event  (cost=0.00..87.98 rows=8798 width=9)',
    '----- Tables missing statistics: event -----',
  ]);
  expect(roots.map((root) => root.operator)).toEqual(['XN Merge', 'Tables missing statistics: event']);
  const join = roots[0].children[0].children[0];
  expect(join).toMatchObject({ operator: 'XN Hash Join DS_BCAST_INNER', distribution: 'DS_BCAST_INNER' });
  expect(join.details).toEqual(['cost=109.98..2815365714.80 rows=172456 width=17', 'Hash Cond: ("outer".eventid = "inner".eventid)']);
  expect(join.children.map((child) => child.operator)).toEqual(['XN Seq Scan on sales', 'XN Hash']);
  expect(join.children[1].children[0].table).toBe('event');
  expect(roots[0].children[0].details).toContain('Send to leader');
});
