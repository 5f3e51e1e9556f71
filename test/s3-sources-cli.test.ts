// s3:// sources on the local engine through the built CLI: the prefixes are
// listed and fetched from the fake S3 into the cache (anonymously, as for the
// course's public bucket), loaded through the ledger with their s3:// URIs and
// ETags, fetched once (an incremental run takes only new objects), resumed
// after Ctrl-C without fetching again what is there, and a body cut short is
// fetched again, never loaded half.
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from './fakes/aws/control-plane-harness.js';
import { startS3, type S3Harness } from './fakes/aws/s3-harness.js';
import { COURSE_DATA, COURSE_TABLE_ROWS, runCli } from './helpers/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'sparkify-s3-sources-'));
const bucket = join(scratch, 'bucket');
const days = readdirSync(join(COURSE_DATA, 'log_data', '2018', '11')).sort();
const addDays = (from: number, to: number) => {
  mkdirSync(join(bucket, 'log_data', '2018', '11'), { recursive: true });
  for (const day of days.slice(from, to)) cpSync(join(COURSE_DATA, 'log_data', '2018', '11', day), join(bucket, 'log_data', '2018', '11', day));
};
const SOURCES = ['--song-data', 's3://udacity-dend/song_data', '--log-data', 's3://udacity-dend/log_data', '--log-jsonpaths', 's3://udacity-dend/log_json_path.json'];
const rowsOf = (stderr: string, table: string) => Number(new RegExp(`${table.replace('.', '\\.')}\\s+([\\d,]+)`).exec(stderr)?.[1]!.replace(/,/g, ''));

let harness: S3Harness;

/** No credentials anywhere: the requests go unsigned, as for a public bucket. */
function env(home: string, s3 = harness): Record<string, string | undefined> {
  return {
    SPARKIFY_HOME: home,
    FORCE_COLOR: '0',
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_CONFIG_FILE: join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

beforeAll(async () => {
  cpSync(join(COURSE_DATA, 'song_data'), join(bucket, 'song_data'), { recursive: true });
  cpSync(join(COURSE_DATA, 'log_json_path.json'), join(bucket, 'log_json_path.json'));
  addDays(0, 27);
  harness = await startS3({ buckets: { 'udacity-dend': bucket } });
});

afterAll(async () => {
  await harness?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('s3:// sources on the local engine', () => {
  const home = join(scratch, 'home');

  it('plans from the listing without fetching, then fetches once and loads through the ledger', async () => {
    const plan = await runCli(['run', '--incremental', '--plan', ...SOURCES], { env: env(home) });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('staging.s_events: 27 files to load');
    expect(plan.stdout).toContain('  + s3://udacity-dend/log_data/2018/11/2018-11-01-events.json');
    expect(harness.fake.calls('GetObject')).toHaveLength(0);

    const first = await runCli(['run', ...SOURCES], { env: env(home) });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('fetched 71 files (19 KB) from s3://udacity-dend/song_data/');
    expect(first.stderr).toContain('fetched 27 files');
    expect(harness.fake.calls('GetObject')).toHaveLength(71 + 27 + 1);
    expect(harness.fake.seen.every((c) => !c.signed)).toBe(true);
    expect(rowsOf(first.stderr, 'staging.s_songs')).toBe(COURSE_TABLE_ROWS['staging.s_songs']);

    const ledger = await runCli(['query', '--format', 'csv', "SELECT source_uri, version_tag FROM sparkify.loaded_files WHERE source_uri LIKE '%2018-11-05%'"], { env: env(home) });
    const day5 = readFileSync(join(bucket, 'log_data/2018/11/2018-11-05-events.json'));
    expect(ledger.stdout).toContain(`s3://udacity-dend/log_data/2018/11/2018-11-05-events.json,"""${createHash('md5').update(day5).digest('hex')}"""`);
  });

  it('fetches and loads only the new objects on an incremental run', async () => {
    addDays(27, 30);
    const before = harness.fake.calls('GetObject').length;
    const incremental = await runCli(['run', '--incremental', ...SOURCES], { env: env(home) });
    expect(incremental.code, incremental.stderr).toBe(0);
    expect(incremental.stderr).toContain('fetching 3 files');
    expect(
      harness.fake
        .calls('GetObject')
        .slice(before)
        .map((c) => c.key)
        .filter((k) => k !== 'log_json_path.json'),
    ).toEqual(days.slice(27).map((d) => `log_data/2018/11/${d}`));
    expect(rowsOf(incremental.stderr, 'staging.s_events')).toBe(COURSE_TABLE_ROWS['staging.s_events']);
    expect(rowsOf(incremental.stderr, 'analytics.f_songplays')).toBe(COURSE_TABLE_ROWS['analytics.f_songplays']);

    const again = await runCli(['run', '--incremental', ...SOURCES], { env: env(home) });
    expect(again.code, again.stderr).toBe(0);
    expect(harness.fake.calls('GetObject').filter((c) => c.key !== 'log_json_path.json').length).toBe(before - 1 + 3);
  });

  it('loads a body cut short only once it arrived whole', async () => {
    const other = join(scratch, 'home-truncated');
    harness.fake.inject({ kind: 'truncate', key: 'log_data/2018/11/2018-11-15-events.json' });
    const run = await runCli(['run', ...SOURCES], { env: env(other) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('1 fetched again after a failure');
    expect(rowsOf(run.stderr, 'staging.s_events')).toBe(COURSE_TABLE_ROWS['staging.s_events']);
  });
});

describe('Ctrl-C while fetching', () => {
  it('keeps the whole files, and the next run fetches only the rest', async () => {
    const slow = await startS3({ buckets: { 'udacity-dend': bucket }, latencyMs: 40 });
    const home = join(scratch, 'home-interrupted');
    try {
      const cli = startCli(['run', '--fetch-concurrency', '2', ...SOURCES], env(home, slow));
      for (let i = 0; i < 2000 && slow.fake.calls('GetObject').length < 20; i++) await new Promise((r) => setTimeout(r, 5));
      expect(slow.fake.calls('GetObject').length).toBeGreaterThanOrEqual(20);
      cli.interrupt();
      const stopped = await cli.done;
      expect(stopped.code, stopped.stderr).toBe(130);
      const fetched = slow.fake.calls('GetObject').length;
      expect(fetched).toBeLessThan(71 + 30 + 1);
      expect(readdirSync(join(home, 's3-cache', 'partial'))).toEqual([]);

      const resumed = await runCli(['run', ...SOURCES], { env: env(home, slow) });
      expect(resumed.code, resumed.stderr).toBe(0);
      // What the first run had in place is not fetched again; at most the files in flight at Ctrl-C are.
      const again = slow.fake.calls('GetObject').length - fetched;
      expect(again).toBeLessThanOrEqual(71 + 30 + 1 - fetched + 2);
      expect(again).toBeLessThan(71 + 30 + 1);
      expect(resumed.stderr).toMatch(/already in the cache/);
      expect(rowsOf(resumed.stderr, 'analytics.f_songplays')).toBe(COURSE_TABLE_ROWS['analytics.f_songplays']);
    } finally {
      await slow.close();
    }
  });
});
