// The ledger on Redshift over thousands of files, with the built CLI against
// the fake Data API and the fake S3: a full run lists S3 and records every file
// it loaded, with the rows each gave, so the incremental run after it finds
// nothing new; an increment of thousands of files (past the Data API's 40
// statements a transaction once its ledger rows are in it) commits its
// ledger rows with the data it describes.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataApiFake } from './fakes/aws/data-api.js';
import { startS3, type S3Harness } from './fakes/aws/s3-harness.js';
import { COURSE_DATA, COURSE_TABLE_ROWS, runCli } from './helpers/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'sparkify-ledger-many-'));
const bucket = join(scratch, 'course');
const home = join(scratch, 'home');
const days = readdirSync(join(COURSE_DATA, 'log_data', '2018', '11')).sort();
const ROLE = 'arn:aws:iam::123456789012:role/sparkify-c-s3-read';
const CLUSTER = ['--target', 'redshift', '--cluster-id', 'c', '--database', 'dev', '--db-user', 'awsuser'];
const RUN = [
  'run', ...CLUSTER,
  '--song-data', 's3://udacity-dend/song_data', '--log-data', 's3://udacity-dend/log_data',
  '--log-jsonpaths', 's3://udacity-dend/log_json_path.json', '--iam-role', ROLE,
];
/** Song files of one song each, none of them a match for an event: those of the full run, then of the increment (about the course bucket's 14,896). */
const FIRST = 3000;
const INCREMENT = 15_000;

let harness: S3Harness;

function env(): Record<string, string> {
  return { ...harness.env, AWS_ENDPOINT_URL: harness.url, SPARKIFY_HOME: home, FORCE_COLOR: '0' };
}

function addSongs(folder: string, count: number): void {
  const dir = join(bucket, 'song_data', folder);
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const id = `${folder}${String(i).padStart(6, '0')}`;
    const song = { num_songs: 1, artist_id: `ARGEN${id}`, artist_latitude: null, artist_longitude: null, artist_location: '', artist_name: `Artist ${id}`, song_id: `SOGEN${id}`, title: `Song ${id}`, duration: 100 + i, year: 2000 };
    writeFileSync(join(dir, `TRGEN${id}.json`), JSON.stringify(song));
  }
}

function addDays(from: number, to: number): void {
  mkdirSync(join(bucket, 'log_data', '2018', '11'), { recursive: true });
  for (const day of days.slice(from, to)) cpSync(join(COURSE_DATA, 'log_data', '2018', '11', day), join(bucket, 'log_data', '2018', '11', day));
}

/** The ledger per staging table: files, files without their rows, rows. */
async function ledger(): Promise<Record<string, { files: number; unknown: number; rows: number }>> {
  const sql = 'SELECT staging_table, COUNT(*), COUNT(*) - COUNT(rows_loaded), SUM(rows_loaded) FROM sparkify.loaded_files GROUP BY 1 ORDER BY 1';
  const query = await runCli(['query', ...CLUSTER, '--format', 'json', sql], { env: env() });
  expect(query.code, query.stderr).toBe(0);
  const rows = JSON.parse(query.stdout) as Record<string, unknown>[];
  return Object.fromEntries(rows.map((r) => { const [table, files, unknown, sum] = Object.values(r); return [String(table), { files: Number(files), unknown: Number(unknown), rows: Number(sum) }]; }));
}

beforeAll(async () => {
  cpSync(join(COURSE_DATA, 'song_data'), join(bucket, 'song_data'), { recursive: true });
  cpSync(join(COURSE_DATA, 'log_json_path.json'), join(bucket, 'log_json_path.json'));
  mkdirSync(join(scratch, 'manifests'));
  addSongs('X', FIRST);
  addDays(0, 27);
  const buckets = { 'udacity-dend': bucket, 'sparkify-manifests': join(scratch, 'manifests') };
  const dataApi = new DataApiFake({ buckets, clusters: { c: { iamRoles: [ROLE] } }, stateDelayMs: 2 });
  harness = await startS3({ buckets, extraServices: [dataApi] });
  mkdirSync(home, { recursive: true, mode: 0o700 });
  writeFileSync(join(home, 'config.json'), JSON.stringify({ target: 'redshift', sources: {}, redshift: { manifestPrefix: 's3://sparkify-manifests/runs' } }), { mode: 0o600 });
}, 120_000);

afterAll(async () => {
  await harness?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the ledger on Redshift over thousands of files', () => {
  const songFiles = readdirSync(join(COURSE_DATA, 'song_data'), { recursive: true }).filter((f) => String(f).endsWith('.json')).length;

  it('records every file a full run loaded, with its rows, so the next incremental run finds nothing new', async () => {
    const full = await runCli(RUN, { env: env() });
    expect(full.code, full.stderr).toBe(0);
    const recorded = await ledger();
    expect(recorded['staging.s_songs']).toEqual({ files: songFiles + FIRST, unknown: 0, rows: COURSE_TABLE_ROWS['staging.s_songs'] + FIRST });
    expect(recorded['staging.s_events'].files).toBe(27);
    expect(recorded['staging.s_events'].unknown).toBe(0);

    const plan = await runCli([...RUN, '--incremental', '--plan'], { env: env() });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('staging.s_songs: 0 files to load');
    expect(plan.stdout).toContain('staging.s_events: 0 files to load');
    expect(plan.stdout).toContain(`= ${(songFiles + FIRST).toLocaleString('en-US')} already loaded, unchanged: skipped`);
  }, 300_000);

  it('commits the ledger rows of an increment of thousands of files with its data, each file with its rows', async () => {
    addSongs('Y', INCREMENT);
    addDays(27, 30);
    const planned = await runCli([...RUN, '--incremental', '--plan'], { env: env() });
    expect(planned.stdout).toContain(`staging.s_songs: ${INCREMENT.toLocaleString('en-US')} files to load`);
    // The merge's transaction, its ledger rows with it, is past what one BatchExecuteStatement takes.
    const lines = planned.stdout.split('\n');
    const merge = lines.findIndex((l) => l.includes('▶ Merge the increment'));
    const statements = lines.slice(merge + 1).findIndex((l) => !l.startsWith('      '));
    expect(statements).toBeGreaterThan(40);
    const incremental = await runCli([...RUN, '--incremental'], { env: env() });
    expect(incremental.code, incremental.stderr).toBe(0);
    const recorded = await ledger();
    expect(recorded['staging.s_songs']).toEqual({ files: songFiles + FIRST + INCREMENT, unknown: 0, rows: COURSE_TABLE_ROWS['staging.s_songs'] + FIRST + INCREMENT });
    expect(recorded['staging.s_events']).toEqual({ files: 30, unknown: 0, rows: COURSE_TABLE_ROWS['staging.s_events'] });

    const plan = await runCli([...RUN, '--incremental', '--plan'], { env: env() });
    expect(plan.stdout).toContain('staging.s_songs: 0 files to load');
    expect(plan.stdout).toContain('staging.s_events: 0 files to load');
  }, 300_000);
});
