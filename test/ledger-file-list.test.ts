// The local engine records a run's files with one COPY of a CSV list written
// under SPARKIFY_HOME/tmp: names with commas, quotes and line breaks come back
// from the ledger as they went in (the next plan finds nothing new), and the
// list and the run's manifests are gone when the run ends, as are those a
// killed run left.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COURSE_DATA, runCli } from './helpers/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'sparkify-ledger-file-list-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const home = join(scratch, 'home');
const env = { SPARKIFY_HOME: home, FORCE_COLOR: '0' };
const songs = join(scratch, 'songs');
const logs = join(scratch, 'logs');
const songFolder = join(COURSE_DATA, 'song_data', 'A', 'A', 'A');
const [first, second, third] = readdirSync(songFolder).sort();
const oddNames = ['a,b "c".json', 'line\nbreak.json', `it's.json`];
mkdirSync(songs, { recursive: true });
mkdirSync(logs, { recursive: true });
for (const [i, song] of [first, second, third].entries()) cpSync(join(songFolder, song), join(songs, oddNames[i]));
cpSync(join(COURSE_DATA, 'log_data', '2018', '11', '2018-11-01-events.json'), join(logs, '2018-11-01-events.json'));
const sources = ['--song-data', songs, '--log-data', logs];

describe('the ledger file list', () => {
  it('records odd file names exactly, and leaves no list behind', async () => {
    // A list a killed run left: its process (a pid above any pid_max) is gone.
    mkdirSync(join(home, 'tmp'), { recursive: true });
    const abandoned = join(home, 'tmp', 'ledger-files-2147483646-killed.csv');
    writeFileSync(abandoned, '');
    mkdirSync(join(home, 'manifests'), { recursive: true });
    const abandonedManifest = join(home, 'manifests', '2147483646-killed-events.manifest');
    writeFileSync(abandonedManifest, '{"entries": []}');
    const run = await runCli(['run', '--incremental', ...sources], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/staging\.s_songs\s+3\b/);
    expect(existsSync(abandoned)).toBe(false);
    expect(readdirSync(join(home, 'tmp')).filter((name) => name.startsWith('ledger-files-'))).toEqual([]);
    // The run's own manifests are gone with it, and so is the one the killed run left.
    expect(readdirSync(join(home, 'manifests'))).toEqual([]);

    const plan = await runCli(['run', '--incremental', '--plan', ...sources], { env });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('staging.s_songs: 0 files to load');
    expect(plan.stdout).toContain('= 3 already loaded, unchanged: skipped');

    const ledger = await runCli(['query', '--format', 'json', 'SELECT source_uri, size_bytes, rows_loaded FROM sparkify.loaded_files WHERE staging_table = \'staging.s_songs\' ORDER BY source_uri'], { env });
    expect(ledger.code, ledger.stderr).toBe(0);
    const rows = JSON.parse(ledger.stdout) as { source_uri: string; rows_loaded: number }[];
    expect(rows.map((r) => r.source_uri)).toEqual(oddNames.map((name) => join(songs, name)).sort());
    expect(rows.map((r) => Number(r.rows_loaded))).toEqual([1, 1, 1]);
  });

  it('records a file whose path is longer than 2048 bytes', async () => {
    const deep = join(scratch, 'deep-songs', ...Array.from({ length: 9 }, (_, i) => `${i}${'d'.repeat(249)}`));
    mkdirSync(deep, { recursive: true });
    cpSync(join(songFolder, first), join(deep, first));
    expect(Buffer.byteLength(join(deep, first))).toBeGreaterThan(2048);
    const deepHome = { ...env, SPARKIFY_HOME: join(scratch, 'deep-home') };
    const run = await runCli(['run', '--incremental', '--song-data', join(scratch, 'deep-songs'), '--log-data', logs], { env: deepHome });
    expect(run.code, run.stderr).toBe(0);
    const ledger = await runCli(['query', '--format', 'csv', "SELECT source_uri FROM sparkify.loaded_files WHERE staging_table = 'staging.s_songs'"], { env: deepHome });
    expect(ledger.stdout.trim().split('\n').slice(1)).toEqual([join(deep, first)]);
  });
});
