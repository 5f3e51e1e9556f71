// `sparkify query -f`: scripts written for Redshift, unchanged, through the
// built CLI on the local engine and on the Data API fake. Expected counts come
// from the raw course files (test/helpers/course-facts.ts), not from an engine.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListSessionsCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { COURSE_DATA, REPO, runCli, tempHome } from './helpers/cli.js';
import { courseEvents, courseSongs, distinct, epochSeconds, type Json } from './helpers/course-facts.js';
import { startDataApi, applyTestCredentials, type DataApiHarness } from './fakes/aws/data-api-harness.js';

const SCRIPTS = join(REPO, 'test/fixtures/redshift-scripts');
/** One statement's line of `--format json`/`jsonl`: the command tag, absent for a query's rows. */
type JsonLine = { command?: string };
const BUCKET = `udacity-dend=${COURSE_DATA}`;

const events = courseEvents();
const songs = courseSongs();
const plays = events.filter((e) => e.page === 'NextSong');
const matches = (e: Json, withLength: boolean) =>
  songs.filter((s) => s.title === e.song && s.artist_name === e.artist && (!withLength || s.duration === e.length));

/** Counts of the named tables, read with one query. */
async function counts(tables: string[], args: string[], env: Record<string, string>): Promise<Record<string, number>> {
  const select = tables.map((t) => `(SELECT count(*) FROM ${t}) AS "${t}"`).join(', ');
  const result = await runCli(['query', `SELECT ${select}`, '--format', 'json', ...args], { env });
  expect(result.stderr).toBe('');
  return (JSON.parse(result.stdout) as Record<string, number>[])[0];
}

const script = (name: string, lines: string[]) => {
  const dir = tempHome('sparkify-script-');
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n'));
  return path;
};

describe('sparkify query -f on the local engine', () => {
  it('runs the classic create_tables/etl script: statement headers, psql tags, the counts Redshift gives', async () => {
    const env = { SPARKIFY_HOME: tempHome() };
    const run = await runCli(['query', '-f', join(SCRIPTS, 'classic.sql'), '--bucket', BUCKET], { env });
    expect(run.stderr).toMatch(/^21 statements in \d+\.\d\d s\n$/);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('statement 1 (line 5): DROP TABLE IF EXISTS staging_events\nDROP TABLE\n');
    expect(run.stdout).toContain("statement 15 (line 95): COPY staging_events FROM 's3://udacity-dend/log_data' CREDENTIALS 'aws_…\nCOPY 8056\n");
    expect(run.stdout).toContain('\nCOPY 71\n');
    const songplays = plays.flatMap((e) =>
      matches(e, false).map((s) => [epochSeconds(e), e.userId, e.level, s.song_id, s.artist_id, e.sessionId, e.location, e.userAgent]),
    );
    const expected = {
      staging_events: events.length,
      staging_songs: songs.length,
      songplays: distinct(songplays, (row) => row),
      users: distinct(plays.filter((e) => e.userId !== ''), (e) => [e.userId, e.firstName, e.lastName, e.gender, e.level]),
      songs: distinct(songs, (s) => [s.song_id, s.title, s.artist_id, s.year, s.duration]),
      artists: distinct(songs, (s) => [s.artist_id, s.artist_name, s.artist_location, s.artist_latitude, s.artist_longitude]),
      time: distinct(songplays, (row) => row[0]),
    };
    expect(expected).toMatchObject({ staging_events: 8056, staging_songs: 71 });
    expect(run.stdout).toContain(`\nINSERT 0 ${expected.users}\n`);
    expect(await counts(Object.keys(expected), [], env)).toEqual(expected);
  });

  it('runs a script with dist/sort keys, auto ignorecase and a BEGIN ... COMMIT block, the map taken from the config', async () => {
    const home = tempHome();
    writeFileSync(join(home, 'config.json'), JSON.stringify({ sources: { buckets: { 'udacity-dend': COURSE_DATA } } }), { mode: 0o600 });
    const env = { SPARKIFY_HOME: home };
    const run = await runCli(['query', '-f', join(SCRIPTS, 'dwh-keys.sql'), '--format', 'jsonl'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const tags = run.stdout.trim().split('\n').map((line) => (JSON.parse(line) as JsonLine).command);
    expect(tags.slice(14, 17)).toEqual(['COPY 71', 'COPY 8056', 'BEGIN']);
    expect(tags.at(-1)).toBe('COMMIT');
    const expected = {
      staging_events: events.length,
      users: distinct(plays.filter((e) => e.userId !== ''), (e) => e.userId),
      songs: distinct(songs, (s) => [s.song_id, s.title, s.artist_id, s.year === 0 ? null : s.year, s.duration]),
      artists: distinct(songs, (s) => s.artist_id),
      songplays: plays.reduce((n, e) => n + Math.max(1, matches(e, true).length), 0),
      time: distinct(plays, epochSeconds),
    };
    expect(tags).toContain(`INSERT 0 ${expected.songplays}`);
    expect(await counts(Object.keys(expected), [], env)).toEqual(expected);
  });

  it('reads a script from standard input with -f -: CTAS, a schema of its own, one JSON array per statement', async () => {
    const env = { SPARKIFY_HOME: tempHome() };
    const { readFileSync } = await import('node:fs');
    const input = readFileSync(join(SCRIPTS, 'ctas-schema.sql'), 'utf8');
    const run = await runCli(['query', '-f', '-', '--bucket', BUCKET, '--format', 'json'], { env, input });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const arrays = run.stdout.trim().split('\n').filter((line) => line.startsWith('[{"command"')).map((line) => (JSON.parse(line) as JsonLine[])[0].command);
    expect(arrays).toContain(`SELECT ${distinct(songs, (s) => [s.song_id, s.title, s.artist_id, s.year, s.duration])}`);
    const withUser = plays.filter((e) => e.userId !== null);
    const last: unknown = JSON.parse(run.stdout.slice(run.stdout.lastIndexOf('\n[\n') + 1));
    expect(last).toEqual([
      { table: 'songplays', rows: withUser.reduce((n, e) => n + Math.max(1, matches(e, false).length), 0) },
      { table: 'staging_events', rows: plays.length },
      { table: 'time', rows: distinct(withUser, epochSeconds) },
    ]);
  });

  it('loads typed staging (TIMESTAMP from epoch milliseconds, INTEGER user ids) under SET search_path TO public', async () => {
    const env = { SPARKIFY_HOME: tempHome() };
    const run = await runCli(['query', '-f', join(SCRIPTS, 'typed-staging.sql'), '--bucket', BUCKET, '--format', 'jsonl'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as JsonLine);
    const identified = plays.filter((e) => e.userId !== '');
    const latest = new Map<unknown, number>();
    for (const e of identified) latest.set(e.userId, Math.max(latest.get(e.userId) ?? 0, Number(e.ts)));
    const users = events.filter((e) => e.userId !== '' && latest.get(e.userId) === Number(e.ts));
    expect(lines.map((line) => line.command)).toEqual([
      'SET', ...Array<string>(4).fill('DROP TABLE'), ...Array<string>(4).fill('CREATE TABLE'), 'COPY 8056', 'COPY 71',
      `INSERT 0 ${distinct(plays, (e) => e.ts)}`,
      `INSERT 0 ${distinct(users, (e) => [e.userId, e.firstName, e.lastName, e.gender, e.level])}`,
      undefined,
    ]);
    expect(lines.at(-1)).toEqual({ events: 8056, with_user: events.filter((e) => e.userId !== '').length });
  });

  it('etl and run take --bucket for s3:// sources on the local engine', async () => {
    const env = { SPARKIFY_HOME: tempHome() };
    const run = await runCli(
      ['run', '--song-data', 's3://udacity-dend/song_data', '--log-data', 's3://udacity-dend/log_data', '--log-jsonpaths', 's3://udacity-dend/log_json_path.json', '--bucket', BUCKET],
      { env },
    );
    expect(run.code).toBe(0);
    expect(await counts(['staging.s_events', 'staging.s_songs'], [], env)).toEqual({ 'staging.s_events': 8056, 'staging.s_songs': 71 });
  });

  it('stops at the first failure with its number, line and Redshift wording (exit 5); --continue-on-error goes on', async () => {
    const env = { SPARKIFY_HOME: tempHome() };
    const path = script('bad.sql', ['CREATE TABLE t (a INT);', '', '-- next one fails', 'INSERT INTO nosuch VALUES (1);', 'INSERT INTO t VALUES (1);', 'SELECT nocolumn FROM t;', 'INSERT INTO t VALUES (2);']);
    const stop = await runCli(['query', '-f', path], { env });
    expect(stop.code).toBe(5);
    expect(stop.stderr).toContain('error: statement 2 (line 4) failed: relation "nosuch" does not exist\n');
    expect(stop.stderr).not.toMatch(/Did you mean|Catalog Error/);
    expect(stop.stdout).not.toContain('INSERT 0 1');
    const fresh = { SPARKIFY_HOME: tempHome() };
    const go = await runCli(['query', '-f', path, '--continue-on-error'], { env: fresh });
    expect(go.code).toBe(5);
    expect(go.stderr).toContain('error: statement 4 (line 6) failed: column "nocolumn" does not exist\n');
    expect(go.stderr).toContain('error: 2 of 5 statements failed (the first: statement 2, line 4)');
    expect(await counts(['t'], [], fresh)).toEqual({ t: 2 });
  });

  it('a BEGIN ... COMMIT block is one transaction; a block that ends in ROLLBACK changes nothing', async () => {
    const env = { SPARKIFY_HOME: tempHome() };
    const path = script('tx.sql', [
      'CREATE TABLE t (a INT);',
      'BEGIN; INSERT INTO t VALUES (1); DELETE FROM t; ROLLBACK;',
      'BEGIN; INSERT INTO t VALUES (1), (2); INSERT INTO t VALUES (3); COMMIT;',
      'BEGIN; INSERT INTO t VALUES (4); INSERT INTO t VALUES (\'x\'); END;',
    ]);
    const run = await runCli(['query', '-f', path, '--continue-on-error'], { env });
    expect(run.stdout).toContain('INSERT 0 1 (rolled back)');
    expect(run.stdout).toContain('INSERT 0 2\n');
    expect(run.stderr).toContain('error: statement 12 (line 4) failed:');
    expect(run.code).toBe(5);
    expect(await counts(['t'], [], env)).toEqual({ t: 3 });
  });

  it('takes COMMIT with no transaction open and BEGIN inside one, as Redshift does (a warning there)', async () => {
    const env = { SPARKIFY_HOME: tempHome() };
    const path = script('commits.sql', ['CREATE TABLE t (a INT);', 'COMMIT;', 'INSERT INTO t VALUES (1);', 'END;', 'BEGIN;', 'BEGIN;', 'INSERT INTO t VALUES (2);']);
    const run = await runCli(['query', '-f', path, '--format', 'jsonl'], { env });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim().split('\n').map((line) => (JSON.parse(line) as JsonLine).command)).toEqual(['CREATE TABLE', 'COMMIT', 'INSERT 0 1', 'COMMIT', 'BEGIN', 'BEGIN', 'INSERT 0 1']);
    expect(run.code).toBe(0);
    // The open transaction ends with the session, uncommitted, as psql's does.
    expect(await counts(['t'], [], env)).toEqual({ t: 1 });
  });

  it('runs one statement of any kind given as the argument: its command tag, or its rows as JSON lines', async () => {
    const env = { SPARKIFY_HOME: tempHome() };
    const tag = async (sql: string, ...args: string[]) => {
      const result = await runCli(['query', sql, ...args], { env });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      return result.stdout;
    };
    expect(await tag('CREATE TABLE s (num_songs INT, artist_id VARCHAR, artist_latitude FLOAT, artist_longitude FLOAT, artist_location VARCHAR, artist_name VARCHAR, song_id VARCHAR, title VARCHAR, duration FLOAT, year INT)')).toBe('CREATE TABLE\n');
    expect(await tag("COPY s FROM 's3://udacity-dend/song_data' IAM_ROLE 'arn:aws:iam::1:role/r' JSON 'auto';", '--bucket', BUCKET)).toBe(`COPY ${songs.length}\n`);
    expect(await tag('DELETE FROM s WHERE year = 0')).toBe(`DELETE ${songs.filter((song) => song.year === 0).length}\n`);
    expect(await tag('SELECT year FROM s WHERE year > 0 ORDER BY year LIMIT 2', '--format', 'jsonl')).toMatch(/^\{"year":\d{4}\}\n\{"year":\d{4}\}\n$/);
  });

  it('says how to map a bucket it has no folder for', async () => {
    const env = { SPARKIFY_HOME: tempHome() };
    const path = script('copy.sql', ['CREATE TABLE t (a INT);', "COPY t FROM 's3://my-bucket/data/' IAM_ROLE 'arn:aws:iam::1:role/r' JSON 'auto';"]);
    const run = await runCli(['query', '-f', path], { env });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('statement 2 (line 2) failed: the local warehouse cannot read s3://my-bucket/data/: the bucket my-bucket is not mapped to a local folder');
    expect(run.stderr).toContain('--bucket my-bucket=/path/to/folder');
    expect(run.stderr).toContain('"sources": {"buckets": {"my-bucket": "/path/to/folder"}}');
    const bad = await runCli(['query', 'select 1', '--bucket', 'no-folder'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--bucket no-folder is not NAME=DIR');
  });
});

describe('sparkify query -f on Redshift (the Data API fake)', () => {
  let harness: DataApiHarness;
  beforeAll(async () => {
    applyTestCredentials();
    harness = await startDataApi({ buckets: { 'udacity-dend': COURSE_DATA }, stateDelayMs: 2, clusters: { c: { iamRoles: ['arn:aws:iam::1:role/r', 'arn:aws:iam::123456789012:role/myRedshiftRole'] } } });
  });
  afterAll(async () => harness.close());
  const redshift = ['--target', 'redshift', '--cluster-id', 'c', '--database', 'dev', '--db-user', 'awsuser'];

  it('runs the key-and-transaction script unchanged and leaves the counts the local engine leaves', async () => {
    const env = { ...harness.env, SPARKIFY_HOME: tempHome() };
    const run = await runCli(['query', '-f', join(SCRIPTS, 'dwh-keys.sql'), ...redshift, '--format', 'jsonl'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('{"command":"COPY 8056"}');
    expect(harness.calls('BatchExecuteStatement')).toHaveLength(1);
    const expected = {
      staging_events: 8056,
      staging_songs: 71,
      users: distinct(plays.filter((e) => e.userId !== ''), (e) => e.userId),
      songplays: plays.reduce((n, e) => n + Math.max(1, matches(e, true).length), 0),
      time: distinct(plays, epochSeconds),
    };
    expect(await counts(Object.keys(expected), redshift, env)).toEqual(expected);
  });

  it('stops at a failing statement with its number and line', async () => {
    const env = { ...harness.env, SPARKIFY_HOME: tempHome() };
    mkdirSync(env.SPARKIFY_HOME, { recursive: true });
    const path = script('bad.sql', ['SELECT 1;', 'SELECT * FROM nosuch_table;']);
    const run = await runCli(['query', '-f', path, ...redshift], { env });
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('error: statement 2 (line 2) failed: relation "nosuch_table" does not exist');
  });
});

describe('sparkify query "..." on Redshift: the search path in a session the statement ends', () => {
  let harness: DataApiHarness;
  beforeAll(async () => {
    applyTestCredentials();
    harness = await startDataApi({ clusters: { c: {} } });
  });
  afterAll(async () => harness.close());
  const redshift = ['--target', 'redshift', '--cluster-id', 'c', '--database', 'dev', '--db-user', 'awsuser'];

  /** The Data API calls one run of the CLI made, by operation. */
  async function callsOf(args: string[], env: Record<string, string>): Promise<{ run: Awaited<ReturnType<typeof runCli>>; ops: Record<string, number>; sqls: string[] }> {
    const before = harness.calls().length;
    const sqlsBefore = statementSqls().length;
    const run = await runCli(['query', ...args, ...redshift], { env });
    const ops: Record<string, number> = {};
    for (const call of harness.calls().slice(before)) ops[call.op] = (ops[call.op] ?? 0) + 1;
    return { run, ops, sqls: statementSqls().slice(sqlsBefore) };
  }

  function statementSqls(): string[] {
    return (harness.fake.control('/statements', {}) as { sql: string }[]).map((statement) => statement.sql);
  }

  it('resolves unqualified names on analytics, staging, public for one ExecuteStatement more than outside a session', async () => {
    const env = { ...harness.env, SPARKIFY_HOME: tempHome() };
    // Before the schemas exist: the whole path is refused, so the schemas there are are looked up and set.
    await runCli(['query', 'CREATE TABLE public.early (n INT)', ...redshift], { env });
    const early = await callsOf(['SELECT count(*) AS n FROM early', '--format', 'csv'], env);
    expect([early.run.code, early.run.stdout]).toEqual([0, 'n\n0\n']);
    expect(early.sqls.filter((sql) => /search_path/i.test(sql))).toEqual(['SET search_path TO analytics, staging, public', 'SET search_path TO public']);

    for (const sql of ['CREATE SCHEMA analytics', 'CREATE SCHEMA staging', 'CREATE TABLE analytics.d_users (user_id INT)', 'INSERT INTO analytics.d_users VALUES (1), (2)']) {
      expect((await runCli(['query', sql, ...redshift], { env })).code).toBe(0);
    }
    const read = await callsOf(['SELECT count(*) AS users FROM d_users', '--format', 'csv'], env);
    expect(read.run.stderr).toBe('');
    expect([read.run.code, read.run.stdout]).toEqual([0, 'users\n2\n']);
    // The SET, seen finished inside its ExecuteStatement; the query (which ends the session), its
    // DescribeStatement (the duration) and its one page: one ExecuteStatement more than outside a session.
    expect(read.ops).toEqual({ ExecuteStatement: 2, DescribeStatement: 1, GetStatementResultV2: 1 });
    expect(read.sqls).toEqual(['SET search_path TO analytics, staging, public', 'SELECT count(*) AS users FROM d_users']);

    const write = await callsOf(['INSERT INTO d_users VALUES (3)'], env);
    expect([write.run.code, write.run.stdout]).toEqual([0, 'INSERT 0 1\n']);
    expect(write.ops).toEqual({ ExecuteStatement: 2, DescribeStatement: 1 });
    const client = new RedshiftDataClient({ region: 'us-west-2', endpoint: harness.url });
    expect((await client.send(new ListSessionsCommand({}))).Sessions).toEqual([]);
    client.destroy();
  });
});
