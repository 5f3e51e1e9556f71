// The same query on both engines in a real terminal (tmux, the built CLI at
// 80x24): the course data loaded into the local file and into Redshift (the
// fake Data API started here, the real SDK in the CLI talking to it over
// loopback), then `\compare` typed after a statement as a psql user types it,
// and Ctrl-B on a draft whose rows differ and on one the local engine refuses.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COURSE_DATA, runCli } from './helpers/cli.js';
import { hasTmux, openTerminal, tempHome, type Terminal } from './helpers/tmux.js';
import { fakeAwsEnv, startDataApi, type DataApiHarness } from './fakes/aws/data-api-harness.js';

const ROLE = 'arn:aws:iam::123456789012:role/sparkify-s3-read';

let harness: DataApiHarness;
let env: Record<string, string>;
let removeHome: () => void;
const open: Terminal[] = [];

beforeAll(async () => {
  harness = await startDataApi({ clusters: { c: { iamRoles: [ROLE] } }, buckets: { 'udacity-dend': COURSE_DATA } });
  const { home, remove } = tempHome();
  removeHome = remove;
  mkdirSync(home, { recursive: true });
  const config = {
    target: 'redshift',
    sources: { songData: 's3://udacity-dend/song_data', logData: 's3://udacity-dend/log_data', logJsonpaths: 's3://udacity-dend/log_json_path.json' },
    redshift: { region: 'us-west-2', clusterIdentifier: 'c', database: 'dev', dbUser: 'awsuser', iamRole: ROLE },
  };
  writeFileSync(join(home, 'config.json'), JSON.stringify(config), { mode: 0o600 });
  env = fakeAwsEnv(home, harness.url);
  const redshift = await runCli(['run'], { env });
  expect(redshift.code, redshift.stderr).toBe(0);
  const local = await runCli(
    ['run', '--target', 'local', '--database-file', join(home, 'warehouse.duckdb'), '--song-data', join(COURSE_DATA, 'song_data'), '--log-data', join(COURSE_DATA, 'log_data'), '--log-jsonpaths', join(COURSE_DATA, 'log_json_path.json')],
    { env },
  );
  expect(local.code, local.stderr).toBe(0);
}, 180_000);

afterEach(() => {
  for (const t of open.splice(0)) t.kill();
});

afterAll(async () => {
  await harness?.close();
  removeHome?.();
});

describe.skipIf(!hasTmux())('\\compare in a real terminal', { timeout: 120_000 }, () => {
  it('at 80x24: equal on the course data, the rows that differ, and the engine that refused', async () => {
    const t = openTerminal({ env, width: 80, height: 24 });
    open.push(t);
    await t.waitFor('p runs the pipeline');
    t.send('s');
    await t.waitFor('sql>');

    // As psql takes it: the command after the statement's `;` on its line.
    t.type('select level, count(*) as users from analytics.d_users group by 1 order by 1');
    // tmux reads an argument ending in ";" as its command separator unless escaped.
    t.type('\\;');
    t.type('\\compare');
    t.send('Enter');
    let screen = await t.waitFor('Same query on both engines', { timeoutMs: 30_000 });
    expect(screen).toMatch(/✓ equal on Redshift and local, in the order of its ORDER BY:\n {2}both {5}2 rows · hash [0-9a-f]{16}\n/);
    t.send('Escape');
    await t.waitFor((s) => !s.includes('Same query on both engines'));

    // Unqualified names resolve on the search path on both engines: Redshift's session sets it too.
    t.send('C-u');
    t.type('select count(*) as plays from f_songplays');
    t.send('C-b');
    screen = await t.waitFor('Same query on both engines', { timeoutMs: 30_000 });
    expect(screen).toMatch(/✓ equal on Redshift and local, in any order:\n {2}both {5}1 row · hash [0-9a-f]{16}\n/);
    t.send('Escape');
    await t.waitFor((s) => !s.includes('Same query on both engines'));

    t.send('C-u');
    t.type('select songplay_id, user_agent from analytics.f_songplays');
    t.send('C-b');
    screen = await t.waitFor('Same query on both engines', { timeoutMs: 30_000 });
    expect(screen).toMatch(/✓ equal on Redshift and local, in any order:\n {2}both {5}6,820 rows · hash [0-9a-f]{16}\n/);
    t.send('Escape');
    await t.waitFor((s) => !s.includes('Same query on both engines'));

    // Rows that differ: each engine's count and hash on a line of its own, whole at 80 columns.
    t.send('C-u');
    t.type('select user_id, random() as r from analytics.d_users');
    t.send('C-b');
    screen = await t.waitFor('⚠ different (in any order):', { timeoutMs: 30_000 });
    expect(screen).toMatch(/\n {2}Redshift 97 rows · hash [0-9a-f]{16}\n {2}local {4}97 rows · hash [0-9a-f]{16}\n/);
    expect(screen).toMatch(/only Redshift: \(\d+, 0\.\d+\)/);
    expect(screen).toMatch(/differing rows 1–\d+ of 100 · ↑↓ PgUp\/PgDn scroll/);
    for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    t.send('Escape');
    await t.waitFor((s) => !s.includes('Same query on both engines'));

    // A query one engine refuses: the other's rows, and which one failed.
    t.send('C-u');
    t.type('select count(*) as tables from pg_class_info');
    t.send('C-b');
    screen = await t.waitFor('⚠ different: Redshift runs it, local refuses it:', { timeoutMs: 30_000 });
    expect(screen).toMatch(/\n {2}Redshift 1 row · hash [0-9a-f]{16}\n {2}local {4}✗ [^\n]*pg_class_info/);
  });
});
