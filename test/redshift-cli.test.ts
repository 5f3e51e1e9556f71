// The built CLI against the fake Data API on loopback, end to end: the course
// data through `sparkify run --target redshift` must give the same tables as
// the local run, through injected faults too; a bad input file and Ctrl-C must
// end the run cleanly with the analytics tables as they were.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import { RedshiftDataWarehouse } from '../src/pipeline/warehouse/redshift-data.js';
import type { Row, Warehouse } from '../src/pipeline/warehouse/types.js';
import { COURSE_DATA, REPO, runCli, tempHome } from './helpers/cli.js';
import { startDataApi, applyTestCredentials, type DataApiHarness } from './fakes/aws/data-api-harness.js';

applyTestCredentials();

/** Every column but songplay_id (an identity: its values depend on the engine's sequence). */
const TABLES: Record<string, string[]> = {
  'staging.s_events': ['artist', 'auth', 'firstname', 'gender', 'iteminsession', 'lastname', 'length', 'level', 'location', 'method', 'page', 'registration', 'sessionid', 'song', 'status', 'ts', 'useragent', 'userid'],
  'staging.s_songs': ['num_songs', 'artist_id', 'artist_latitude', 'artist_longitude', 'artist_location', 'artist_name', 'song_id', 'title', 'duration', 'year'],
  'analytics.f_songplays': ['start_time', 'user_id', 'level', 'song_id', 'artist_id', 'session_id', 'location', 'user_agent'],
  'analytics.d_users': ['user_id', 'first_name', 'last_name', 'gender', 'level'],
  'analytics.d_songs': ['song_id', 'title', 'artist_id', 'year', 'duration'],
  'analytics.d_artists': ['artist_id', 'name', 'location', 'latitude', 'longitude'],
  'analytics.d_time': ['start_time', 'hour', 'day', 'week', 'month', 'year', 'weekday'],
};
const ANALYTICS = Object.keys(TABLES).filter((t) => t.startsWith('analytics.'));

const REDSHIFT_RUN = [
  'run',
  '--target', 'redshift',
  '--cluster-id', 'c',
  '--database', 'dev',
  '--db-user', 'awsuser',
  '--song-data', 's3://udacity-dend/song_data',
  '--log-data', 's3://udacity-dend/log_data',
  '--log-jsonpaths', 's3://udacity-dend/log_json_path.json',
  '--iam-role', 'arn:aws:iam::123456789012:role/x',
];
/** The course bucket, as a folder relative to the repository. */
const BUCKETS = { 'udacity-dend': COURSE_DATA };
/** The cluster the fake holds, with the role the COPY names. */
const CLUSTERS = { c: { iamRoles: ['arn:aws:iam::123456789012:role/x'] } };

async function dump(warehouse: Warehouse, tables: string[]): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const table of tables) {
    const columns = TABLES[table];
    const order = columns.map((_, i) => i + 1).join(', ');
    const result = await warehouse.query(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${order}`);
    const rows: Row[] = [];
    for await (const page of result.pages()) rows.push(...page);
    out[table] = rows;
  }
  return out;
}

async function dumpFake(harness: DataApiHarness, tables = Object.keys(TABLES)): Promise<Record<string, Row[]>> {
  const warehouse = await RedshiftDataWarehouse.open({ clusterIdentifier: 'c', database: 'dev', dbUser: 'awsuser', region: 'us-west-2', endpoint: harness.url });
  try {
    return await dump(warehouse, tables);
  } finally {
    await warehouse.close();
  }
}

const homes: string[] = [];
function home(): string {
  const dir = tempHome('sparkify-redshift-cli-');
  homes.push(dir);
  return dir;
}

let local: Record<string, Row[]>;
let localDatabase: string;

beforeAll(async () => {
  const dir = home();
  const database = join(dir, 'warehouse.duckdb');
  localDatabase = database;
  const run = await runCli(
    [
      'run', '--target', 'local', '--database-file', database,
      '--song-data', join(COURSE_DATA, 'song_data'),
      '--log-data', join(COURSE_DATA, 'log_data'),
      '--log-jsonpaths', join(COURSE_DATA, 'log_json_path.json'),
    ],
    { env: { SPARKIFY_HOME: dir } },
  );
  expect(run.stderr).toMatch(/done in/);
  expect(run.code).toBe(0);
  const warehouse = await DuckDbWarehouse.open({ path: database });
  try {
    local = await dump(warehouse, Object.keys(TABLES));
  } finally {
    await warehouse.close();
  }
}, 120_000);

afterAll(() => {
  for (const dir of homes) rmSync(dir, { recursive: true, force: true });
});

describe('sparkify run --target redshift', () => {
  let harness: DataApiHarness;
  beforeAll(async () => {
    harness = await startDataApi({ buckets: BUCKETS, clusters: CLUSTERS, stateDelayMs: 2 });
  });
  afterAll(async () => harness.close());

  it('gives the same tables as the local run', async () => {
    const run = await runCli(REDSHIFT_RUN, { env: { ...harness.env, SPARKIFY_HOME: home() } });
    expect(run.stderr).toMatch(/redshift warehouse c\/dev/);
    expect(run.code).toBe(0);
    const redshift = await dumpFake(harness);
    expect(redshift['staging.s_events']).toHaveLength(8056);
    expect(redshift['staging.s_songs']).toHaveLength(71);
    expect(redshift['analytics.f_songplays']).toHaveLength(6820);
    expect(redshift['analytics.d_users']).toHaveLength(97);
    for (const table of Object.keys(TABLES)) expect({ table, rows: redshift[table] }).toEqual({ table, rows: local[table] });
    // Statements went through the Data API: the transform as one batch of its ten statements, with the
    // ledger's record of what staging holds (S3 sources are listed by COPY, so no file list) in the same transaction.
    const statements = (await harness.fake.control('/statements', undefined)) as { sql: string; subStatements?: unknown[] }[];
    const refresh = statements.filter((st) => st.sql.includes('INSERT INTO analytics.f_songplays'));
    expect(refresh).toHaveLength(1);
    expect(refresh[0].subStatements).toHaveLength(12);
    expect(refresh[0].sql).toContain('INSERT INTO sparkify.staged_rows');
    expect(harness.calls('GetStatementResultV2').length).toBeGreaterThan(0);
  });

  it('prints the example queries exactly as the local warehouse prints them', async () => {
    const dir = join(REPO, 'sql/queries');
    const queries = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
    expect(queries.length).toBeGreaterThan(0);
    for (const file of queries) {
      const sql = readFileSync(join(dir, file), 'utf8');
      for (const format of file === 'busiest-sessions.sql' ? ['json', 'table'] : ['json']) {
        const onLocal = await runCli(['query', '--target', 'local', '--database-file', localDatabase, '--format', format, '-'], {
          input: sql,
          env: { SPARKIFY_HOME: home() },
        });
        const onRedshift = await runCli(
          ['query', '--target', 'redshift', '--cluster-id', 'c', '--database', 'dev', '--db-user', 'awsuser', '--format', format, '-'],
          { input: sql, env: { ...harness.env, SPARKIFY_HOME: home() } },
        );
        expect(onLocal.code, onLocal.stderr).toBe(0);
        expect(onRedshift.code, onRedshift.stderr).toBe(0);
        expect(onLocal.stdout.length).toBeGreaterThan(0);
        expect({ file, format, out: onRedshift.stdout }).toEqual({ file, format, out: onLocal.stdout });
      }
    }
  });

  it('fails a COPY of a malformed file with file, line and reason, leaving the analytics tables as they were', async () => {
    const before = await dumpFake(harness, ANALYTICS);
    expect(before['analytics.f_songplays']).toHaveLength(6820);
    const broken = home();
    const logs = join(broken, 'log_data');
    mkdirSync(logs, { recursive: true });
    const day = readdirSync(join(COURSE_DATA, 'log_data/2018/11')).sort()[0];
    const lines = readFileSync(join(COURSE_DATA, 'log_data/2018/11', day), 'utf8').split('\n').slice(0, 3);
    writeFileSync(join(logs, 'broken-events.json'), [...lines.slice(0, 2), lines[2].slice(0, 40), ''].join('\n'));
    harness.fake.configure({ buckets: { ...BUCKETS, 'broken-bucket': broken } });

    const args = REDSHIFT_RUN.map((arg) => (arg === 's3://udacity-dend/log_data' ? 's3://broken-bucket/log_data' : arg));
    const run = await runCli(args, { env: { ...harness.env, SPARKIFY_HOME: home() } });
    expect(run.code).toBe(6);
    expect(run.stderr).toMatch(/s3:\/\/broken-bucket\/log_data\/broken-events\.json:3/);
    expect(run.stderr).toMatch(/staging\.s_events/);
    expect(run.stderr).toMatch(/analytics tables are as they were/);
    const statements = (await harness.fake.control('/statements', undefined)) as { sql: string; status: string }[];
    expect(statements.some((s) => /^SELECT .* FROM (stl_load_errors|sys_load_error_detail)/is.test(s.sql.trim()))).toBe(true);
    expect(await dumpFake(harness, ANALYTICS)).toEqual(before);
  });

  it('cancels the running statement on Ctrl-C and exits 130', async () => {
    harness.fake.configure({ buckets: BUCKETS, rules: [{ pattern: '^\\s*COPY staging\\.s_events', latencyMs: 60_000 }] });
    const cancelsBefore = harness.calls('CancelStatement').length;
    let interrupted = false;
    // One statement at a time, so exactly one is running when the signal comes: the events COPY (60 s).
    const run = await runCli([...REDSHIFT_RUN, '--concurrency', '1'], {
      env: { ...harness.env, SPARKIFY_HOME: home() },
      onStderr: (child, stderr) => {
        if (interrupted || !stderr.includes('▶ Load staging.s_events')) return;
        interrupted = true;
        // Ctrl-C once the fake holds the events COPY.
        void (async () => {
          const ready = async () => {
            const statements = (await harness.fake.control('/statements', undefined)) as { sql: string; status: string }[];
            return statements.some((s) => /COPY staging\.s_events/.test(s.sql) && s.status === 'STARTED');
          };
          while (!(await ready())) await new Promise((r) => setImmediate(r));
          child.kill('SIGINT');
        })();
      },
    });
    expect(interrupted).toBe(true);
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/cancel/i);
    const cancels = harness.calls('CancelStatement').slice(cancelsBefore);
    expect(cancels).toHaveLength(1);
    const statements = (await harness.fake.control('/statements', undefined)) as { id: string; sql: string; status: string }[];
    const copy = statements.find((s) => s.id === cancels[0].id)!;
    expect(copy.sql).toMatch(/COPY staging\.s_events/);
    expect(copy.status).toBe('ABORTED');
  });
});

describe('sparkify run --target redshift through faults', () => {
  let harness: DataApiHarness;
  beforeAll(async () => {
    harness = await startDataApi({ buckets: BUCKETS, clusters: CLUSTERS, faults: { throttle: 0.1, error500: 0.05, reset: 0.03 }, seed: 11 });
  });
  afterAll(async () => harness.close());

  it('completes with the same tables despite throttling, 500s and dropped connections', async () => {
    const run = await runCli(REDSHIFT_RUN, { env: { ...harness.env, SPARKIFY_HOME: home() } });
    expect(run.stderr).toMatch(/done in/);
    expect(run.code).toBe(0);
    const faults = harness.calls().map((c) => c.fault).filter(Boolean);
    expect(faults).toContain('throttle');
    expect(faults).toContain('error500');
    expect(faults).toContain('reset');
    harness.fake.configure({ faults: {} });
    const redshift = await dumpFake(harness);
    for (const table of Object.keys(TABLES)) expect({ table, rows: redshift[table] }).toEqual({ table, rows: local[table] });
  });
});

describe('sparkify run --target redshift, 300 ms a statement', () => {
  let harness: DataApiHarness;
  beforeAll(async () => {
    harness = await startDataApi({ buckets: BUCKETS, clusters: CLUSTERS, latencyMs: 300, stateDelayMs: 5 });
  });
  afterAll(async () => harness.close());

  it('makes at most 3 Data API calls per SQL statement', async () => {
    const run = await runCli(REDSHIFT_RUN, { env: { ...harness.env, SPARKIFY_HOME: home() } });
    expect(run.stderr).toMatch(/done in/);
    expect(run.code).toBe(0);
    const statements = (await harness.fake.control('/statements', undefined)) as { subStatements?: unknown[] }[];
    const sqlStatements = statements.reduce((sum, st) => sum + (st.subStatements?.length ?? 1), 0);
    const calls = harness.calls().length;
    expect(sqlStatements).toBeGreaterThan(20);
    expect(calls / sqlStatements).toBeLessThanOrEqual(3);
  });
});
