// The ledger against the source as it stands, through the built CLI: a
// relative --song-data/--log-data names the same files from any folder (the
// ledger keeps absolute paths), and files the ledger holds that have left the
// source are named by the plan and warned of by the run, their rows kept.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COURSE_DATA, runCli } from './helpers/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'sparkify-ledger-sources-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const env = { SPARKIFY_HOME: join(scratch, 'home'), FORCE_COLOR: '0' };
const dayFiles = readdirSync(join(COURSE_DATA, 'log_data', '2018', '11')).sort();
const data = join(scratch, 'a', 'data');
const logDir = join(data, 'log_data', '2018', '11');
mkdirSync(logDir, { recursive: true });
mkdirSync(join(scratch, 'b'));
cpSync(join(COURSE_DATA, 'song_data'), join(data, 'song_data'), { recursive: true });
cpSync(join(COURSE_DATA, 'log_json_path.json'), join(data, 'log_json_path.json'));
for (const f of dayFiles.slice(0, 5)) cpSync(join(COURSE_DATA, 'log_data', '2018', '11', f), join(logDir, f));
const sources = (base: string) => ['--song-data', `${base}/song_data`, '--log-data', `${base}/log_data`, '--log-jsonpaths', `${base}/log_json_path.json`];

describe('the ledger and the source as it stands', () => {
  it('names files by their absolute paths, so a relative path from another folder finds nothing new', async () => {
    const first = await runCli(['run', '--incremental', ...sources('data')], { env, cwd: join(scratch, 'a') });
    expect(first.code, first.stderr).toBe(0);
    const plan = await runCli(['run', '--incremental', '--plan', ...sources('../a/data')], { env, cwd: join(scratch, 'b') });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('staging.s_events: 0 files to load');
    expect(plan.stdout).toContain('= 5 already loaded, unchanged: skipped');
    expect(plan.stdout).toContain('staging.s_songs: 0 files to load');
  });

  it('names the files the ledger holds that left the source, and keeps their rows', async () => {
    const base = join(scratch, 'a', 'data');
    rmSync(join(logDir, dayFiles[1]));
    rmSync(join(logDir, dayFiles[3]));
    const plan = await runCli(['run', '--incremental', '--plan', ...sources(base)], { env });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('= 3 already loaded, unchanged: skipped');
    expect(plan.stdout).toContain('  - 2 files in the ledger are no longer in the source: nothing is deleted, their rows stay in staging and the star schema');
    expect(plan.stdout).toContain(`      ${join(logDir, dayFiles[1])}\n      ${join(logDir, dayFiles[3])}\n`);
    const run = await runCli(['run', '--incremental', ...sources(base)], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('warning: 2 staging.s_events files in the ledger no longer in the source; their rows stay (run --plan names them)');
    expect(run.stderr).toMatch(/staging\.s_events\s+[\d,]+\s+±0/);
    expect(run.stderr).toMatch(/analytics\.f_songplays\s+[\d,]+\s+±0/);
  });
});
