// The fetch of S3 sources in a real terminal (tmux): one line redrawn in
// place with a bar, files, bytes, rate and time left, then the line that says
// what was fetched; the fake S3 answers slowly enough for the bar to be seen.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3, type S3Harness } from './fakes/aws/s3-harness.js';
import { COURSE_DATA } from './helpers/cli.js';
import { exitCodeOf, hasTmux, openTerminal, type Terminal } from './helpers/tmux.js';

let harness: S3Harness;
let terminal: Terminal | undefined;
const home = mkdtempSync(join(tmpdir(), 'sparkify-s3-progress-'));

beforeAll(async () => {
  harness = await startS3({ buckets: { 'udacity-dend': COURSE_DATA }, latencyMs: 60 });
});

afterAll(async () => {
  terminal?.kill();
  await harness?.close();
  rmSync(home, { recursive: true, force: true });
});

describe.skipIf(!hasTmux())('fetch progress in a terminal', () => {
  it('draws a bar with files, bytes, rate and time left, then what was fetched', async () => {
    terminal = openTerminal({
      width: 120,
      args: ['run', '--fetch-concurrency', '2', '--song-data', 's3://udacity-dend/song_data', '--log-data', 's3://udacity-dend/log_data', '--log-jsonpaths', 's3://udacity-dend/log_json_path.json'],
      env: {
        SPARKIFY_HOME: home,
        AWS_ENDPOINT_URL_S3: harness.url,
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_PROFILE: undefined,
        AWS_CONFIG_FILE: join(home, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    const drawing = await terminal.waitFor(/fetching s3:\/\/udacity-dend\/song_data\/ \[#*\.+\] \d+\/71 files · [\d.]+ KB\/19 KB · [\d.]+ files\/s · [\d.ms]+ left/, { timeoutMs: 30_000 });
    expect(drawing).toContain('fetching 71 files (19 KB) from s3://udacity-dend/song_data/ into the cache');
    const done = await terminal.waitFor(/done in/, { timeoutMs: 60_000, history: true });
    expect(done).toMatch(/fetched 71 files \(19 KB\) from s3:\/\/udacity-dend\/song_data\/ in [\d.]+s/);
    // The bar was redrawn in place: once finished, no bar is left on the screen.
    expect(done).not.toMatch(/\[#+\.*\] \d+\/71 files/);
    expect(exitCodeOf(await terminal.waitFor((screen) => exitCodeOf(screen) !== undefined, { timeoutMs: 30_000 }))).toBe(0);
  });
});
