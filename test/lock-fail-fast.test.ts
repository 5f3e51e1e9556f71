// A local warehouse that another process holds is reported as soon as the
// open fails, not after the sources are listed: the listing (here an S3
// prefix whose ListObjectsV2 the fake never answers, standing for a listing
// that takes long) is stopped, and sparkify exits with the lock's message.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startS3, type S3Harness } from './fakes/aws/s3-harness.js';
import { COURSE_DATA, REPO, runCli, tempHome } from './helpers/cli.js';

const home = tempHome('sparkify-lock-fast-');
const database = join(home, 'held.duckdb');
let harness: S3Harness;

beforeAll(async () => {
  mkdirSync(home, { recursive: true });
  harness = await startS3({ buckets: { 'udacity-dend': COURSE_DATA } });
});

afterAll(async () => {
  await harness?.close();
  rmSync(home, { recursive: true, force: true });
});

/** Another process that holds the warehouse file until the test ends. */
async function holdWarehouse(): Promise<number> {
  const holder = spawn(process.execPath, ['--input-type=module', '-e', `
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(${JSON.stringify(database)});
    await db.connect();
    console.log('holding');
    setTimeout(() => {}, 120000);
  `], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  onTestFinished(async () => {
    if (holder.exitCode !== null || holder.signalCode !== null) return;
    holder.kill();
    await new Promise((resolve) => holder.once('close', resolve));
  });
  await new Promise<void>((resolve) => holder.stdout.on('data', (d: Buffer) => d.toString().includes('holding') && resolve()));
  return holder.pid!;
}

describe('a warehouse held by another process while the sources are listed', () => {
  it.each([['run --incremental --plan', ['run', '--incremental', '--plan']], ['run', ['run']]])('%s: the lock is reported while the listing is still unanswered', async (_name, command) => {
    const pid = await holdWarehouse();
    harness.fake.control('/reset', undefined);
    const release = harness.fake.hold('ListObjectsV2');
    onTestFinished(release);
    const run = await runCli(
      [...command, '--song-data', 's3://udacity-dend/song_data', '--log-data', 's3://udacity-dend/log_data', '--database-file', database],
      { env: { ...harness.env, SPARKIFY_HOME: home, FORCE_COLOR: '0' } },
    );
    expect(run.code, run.stderr).toBe(7);
    expect(run.stderr).toContain(`the local warehouse ${database} is in use by another sparkify process (pid ${pid})`);
    // The listing had begun and never got its answer: sparkify did not wait for it.
    expect(harness.fake.calls('ListObjectsV2').length).toBeGreaterThan(0);
    expect(harness.fake.calls('GetObject')).toHaveLength(0);
    expect(run.stdout).toBe('');
  });
});
