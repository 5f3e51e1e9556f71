// Increments on Redshift through manifests on S3, with the built CLI against
// the fake Data API and the fake S3 on one loopback port: the source prefixes
// are listed with ListObjectsV2, each increment's manifest (the exact new
// objects, mandatory) is put under redshift.manifestPrefix, and the cluster's
// COPY reads it with MANIFEST, one COPY per table.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { checkManifestPrefix } from '../src/ui/hooks/setup-checks.js';
import { DataApiFake } from './fakes/aws/data-api.js';
import { startS3, type S3Harness } from './fakes/aws/s3-harness.js';
import { COURSE_DATA, COURSE_TABLE_ROWS, runCli } from './helpers/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'sparkify-s3-manifests-'));
const bucket = join(scratch, 'course');
const manifests = join(scratch, 'manifests');
const home = join(scratch, 'home');
const days = readdirSync(join(COURSE_DATA, 'log_data', '2018', '11')).sort();
const addDays = (from: number, to: number) => {
  mkdirSync(join(bucket, 'log_data', '2018', '11'), { recursive: true });
  for (const day of days.slice(from, to)) cpSync(join(COURSE_DATA, 'log_data', '2018', '11', day), join(bucket, 'log_data', '2018', '11', day));
};
const ROLE = 'arn:aws:iam::123456789012:role/sparkify-c-s3-read';
const RUN = [
  'run', '--target', 'redshift', '--cluster-id', 'c', '--database', 'dev', '--db-user', 'awsuser',
  '--song-data', 's3://udacity-dend/song_data', '--log-data', 's3://udacity-dend/log_data',
  '--log-jsonpaths', 's3://udacity-dend/log_json_path.json', '--iam-role', ROLE,
];
const rowsOf = (stderr: string, table: string) => Number(new RegExp(`${table.replace('.', '\\.')}\\s+([\\d,]+)`).exec(stderr)?.[1]!.replace(/,/g, ''));

let harness: S3Harness;
let dataApi: DataApiFake;

function env(): Record<string, string> {
  return { ...harness.env, AWS_ENDPOINT_URL: harness.url, SPARKIFY_HOME: home, FORCE_COLOR: '0' };
}

function writeConfig(manifestPrefix?: string): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  writeFileSync(join(home, 'config.json'), JSON.stringify({ target: 'redshift', sources: {}, redshift: manifestPrefix ? { manifestPrefix } : {} }), { mode: 0o600 });
}

beforeAll(async () => {
  cpSync(join(COURSE_DATA, 'song_data'), join(bucket, 'song_data'), { recursive: true });
  cpSync(join(COURSE_DATA, 'log_json_path.json'), join(bucket, 'log_json_path.json'));
  mkdirSync(manifests);
  addDays(0, 27);
  const buckets = { 'udacity-dend': bucket, 'sparkify-manifests': manifests };
  dataApi = new DataApiFake({ buckets, clusters: { c: { iamRoles: [ROLE] } }, stateDelayMs: 2 });
  harness = await startS3({ buckets, extraServices: [dataApi] });
});

afterAll(async () => {
  await harness?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the manifest prefix at setup', () => {
  it('is checked by listing under it, and refused when it is not an s3:// location', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, harness.env);
    try {
      const config = { target: 'redshift' as const, sources: {}, redshift: { manifestPrefix: 's3://sparkify-manifests/setup-check' } };
      expect(await checkManifestPrefix(config)).toMatchObject({ ok: true, detail: 's3://sparkify-manifests/setup-check/ (0 objects there)' });
      expect(harness.fake.seen.at(-1)).toMatchObject({ op: 'ListObjectsV2', bucket: 'sparkify-manifests' });
      const missing = await checkManifestPrefix({ ...config, redshift: { manifestPrefix: 's3://no-such-bucket/x' } });
      expect(missing).toMatchObject({ ok: false, detail: 'there is no S3 bucket for s3://no-such-bucket/x/' });
      const local = await checkManifestPrefix({ ...config, redshift: { manifestPrefix: '/tmp/manifests' } });
      expect(local).toMatchObject({ ok: false, detail: 'the manifest prefix must be an s3:// location: /tmp/manifests' });
    } finally {
      process.env = saved;
    }
  });
});

describe('incremental runs on Redshift', () => {
  it('refuses an incremental run with no manifest prefix, saying where to set one', async () => {
    writeConfig();
    const run = await runCli([...RUN, '--incremental'], { env: env() });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('an incremental run on Redshift writes its COPY manifests to S3, and no manifest prefix is set');
    expect(run.stderr).toContain('"manifestPrefix": "s3://your-bucket/sparkify/manifests/"');
  });

  it('loads the new objects of each increment through a manifest on S3, one COPY per table', async () => {
    writeConfig('s3://sparkify-manifests/runs');
    harness.fake.control('/reset', undefined);
    const first = await runCli([...RUN, '--incremental'], { env: env() });
    expect(first.code, first.stderr).toBe(0);
    // The two source prefixes, then the manifest prefix once, for manifests that killed runs left.
    expect(harness.fake.calls('ListObjectsV2').map((c) => c.bucket)).toEqual(['udacity-dend', 'udacity-dend', 'sparkify-manifests']);
    expect(harness.fake.calls('GetObject')).toHaveLength(0);
    expect(harness.fake.calls('PutObject').map((c) => c.bucket)).toEqual(['sparkify-manifests', 'sparkify-manifests']);
    harness.fake.control('/reset', undefined);

    addDays(27, 30);
    const plan = await runCli([...RUN, '--incremental', '--plan'], { env: env() });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('staging.s_events: 3 files to load');
    expect(harness.fake.calls('PutObject')).toHaveLength(0);

    const incremental = await runCli([...RUN, '--incremental'], { env: env() });
    expect(incremental.code, incremental.stderr).toBe(0);
    const puts = harness.fake.calls('PutObject');
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatchObject({ bucket: 'sparkify-manifests', signed: true });
    expect(puts[0].key).toMatch(/^runs\/[0-9a-f-]+-events\.manifest$/);
    expect(JSON.parse(puts[0].body!)).toEqual({
      entries: days.slice(27).map((d) => ({ url: `s3://udacity-dend/log_data/2018/11/${d}`, mandatory: true })),
    });
    const statements = (await dataApi.control('/statements', undefined)) as { sql: string }[];
    // One COPY per table and run: this run's events COPY reads this run's manifest.
    const copies = statements.map((s) => s.sql).filter((sql) => /^\s*COPY staging\.s_events_new/m.test(sql));
    expect(copies).toHaveLength(2);
    expect(copies[1]).toContain(`FROM 's3://sparkify-manifests/${puts[0].key}'`);
    expect(copies[1]).toMatch(/\bMANIFEST\b/);
    expect(rowsOf(incremental.stderr, 'staging.s_events')).toBe(COURSE_TABLE_ROWS['staging.s_events']);
    expect(rowsOf(incremental.stderr, 'analytics.f_songplays')).toBe(COURSE_TABLE_ROWS['analytics.f_songplays']);

    const again = await runCli([...RUN, '--incremental'], { env: env() });
    expect(again.code, again.stderr).toBe(0);
    expect(harness.fake.calls('PutObject')).toHaveLength(1);
    expect(again.stderr).toMatch(/analytics\.f_songplays\s+[\d,]+\s+±0/);
  });
});

describe("an increment's manifests on S3 after the run", () => {
  const RUNS_PREFIX = 's3://sparkify-manifests/after/';
  /** What the manifest prefix holds, listed with the S3 API. */
  async function manifestKeys(): Promise<string[]> {
    const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const page = await harness.client().send(new ListObjectsV2Command({ Bucket: 'sparkify-manifests', Prefix: 'after/' }));
    return (page.Contents ?? []).map((o) => o.Key!);
  }
  /** A day of one play at a time no other day has; `ts` as given (a word makes the row bad). */
  function addDay(day: string, ts: number | string) {
    const event = {
      artist: 'Des\'ree', auth: 'Logged In', firstName: 'Kaylee', gender: 'F', itemInSession: 1, lastName: 'Summers', length: 246.30812, level: 'free',
      location: 'Phoenix-Mesa-Scottsdale, AZ', method: 'PUT', page: 'NextSong', registration: 1540344794796.0, sessionId: 9001, song: 'You Gotta Be',
      status: 200, ts, userAgent: 'Mozilla/5.0', userId: '8',
    };
    const path = join(bucket, 'log_data', '2018', '12', `2018-12-${day}-events.json`);
    mkdirSync(join(bucket, 'log_data', '2018', '12'), { recursive: true });
    writeFileSync(path, JSON.stringify(event) + '\n');
    return path;
  }

  beforeAll(() => writeConfig(RUNS_PREFIX));

  it('deletes them when the run succeeds', async () => {
    addDay('01', 1543622400000);
    harness.fake.control('/reset', undefined);
    const run = await runCli([...RUN, '--incremental'], { env: env() });
    expect(run.code, run.stderr).toBe(0);
    const puts = harness.fake.calls('PutObject');
    expect(puts.length).toBeGreaterThan(0);
    for (const put of puts) expect(put.key).toMatch(/^after\/[0-9a-f-]+-(events|songs)\.manifest$/);
    expect(harness.fake.calls('DeleteObjects')).toHaveLength(1);
    expect(await manifestKeys()).toEqual([]);
    expect(run.stderr).not.toContain('warning:');
  });

  it('deletes them when the run fails', async () => {
    const bad = addDay('02', 'yesterday');
    try {
      harness.fake.control('/reset', undefined);
      const run = await runCli([...RUN, '--incremental'], { env: env() });
      expect(run.code).toBe(6);
      expect(harness.fake.calls('PutObject').length).toBeGreaterThan(0);
      expect(await manifestKeys()).toEqual([]);
    } finally {
      rmSync(bad);
    }
  });

  it('deletes them when the run is cancelled', async () => {
    addDay('03', 1543795200000);
    harness.fake.control('/reset', undefined);
    // The events COPY takes a minute: Ctrl-C once the fake holds it (the manifest it reads is on S3 by then).
    dataApi.configure({ rules: [{ pattern: '^\\s*COPY staging\\.s_events_new', latencyMs: 60_000 }] });
    onTestFinished(() => dataApi.configure({ rules: [] }));
    let sent = false;
    const run = await runCli([...RUN, '--incremental'], {
      env: env(),
      onStderr: (child) => {
        if (sent) return;
        sent = true;
        void (async () => {
          const copying = async () => {
            const statements = (await dataApi.control('/statements', undefined)) as { sql: string; status: string }[];
            return statements.some((s) => /COPY staging\.s_events_new/.test(s.sql) && s.status === 'STARTED');
          };
          while (!(await copying())) await new Promise((r) => setTimeout(r, 20));
          child.kill('SIGINT');
        })();
      },
    });
    expect(sent, run.stderr).toBe(true);
    expect(run.code, run.stderr).toBe(130);
    expect(harness.fake.calls('PutObject').length).toBeGreaterThan(0);
    expect(await manifestKeys()).toEqual([]);
  });

  it('warns when S3 will not delete them, and the run keeps its outcome', async () => {
    addDay('04', 1543881600000);
    harness.fake.control('/reset', undefined);
    harness.fake.inject({ kind: 'error500', op: 'DeleteObjects', count: 10 });
    const run = await runCli([...RUN, '--incremental'], { env: env() });
    expect(run.code, run.stderr).toBe(0);
    const keys = harness.fake.calls('PutObject').map((c) => c.key!);
    expect(keys.length).toBeGreaterThan(0);
    expect(run.stderr).toContain(`warning: the run's COPY manifests stay on S3 (${keys.map((k) => `s3://sparkify-manifests/${k}`).join(', ')})`);
    expect((await manifestKeys()).sort()).toEqual([...keys].sort());
  });

  it('deletes what a run killed long ago left there, and nothing else', async () => {
    // The runs above leave their manifests only where S3 would not delete them (the last test): now they are two days old,
    // beside one a run may still be reading and files of someone else's.
    const left = await manifestKeys();
    expect(left.length).toBeGreaterThan(0);
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    const onDisk = (key: string) => join(manifests, ...key.split('/'));
    for (const key of left) utimesSync(onDisk(key), twoDaysAgo, twoDaysAgo);
    writeFileSync(onDisk('after/0123abcd-events.manifest'), '{"entries":[]}');
    writeFileSync(onDisk('after/README.txt'), 'not a manifest');
    utimesSync(onDisk('after/README.txt'), twoDaysAgo, twoDaysAgo);
    mkdirSync(onDisk('after/archive'), { recursive: true });
    writeFileSync(onDisk('after/archive/old.manifest'), '{"entries":[]}');
    utimesSync(onDisk('after/archive/old.manifest'), twoDaysAgo, twoDaysAgo);

    addDay('05', 1543968000000);
    harness.fake.control('/reset', undefined);
    const run = await runCli([...RUN, '--incremental'], { env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect(harness.fake.calls('PutObject').length).toBeGreaterThan(0);
    expect((await manifestKeys()).sort()).toEqual(['after/0123abcd-events.manifest', 'after/README.txt', 'after/archive/old.manifest']);
    expect(run.stderr).not.toContain('warning:');
  });
});
