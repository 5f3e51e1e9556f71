// `sparkify run --plan` and `run --incremental` through the built CLI: a
// first run, three more days of event files, a plan that names exactly them,
// an incremental run that loads them once, a changed file skipped by name,
// and reloaded with --reload-changed.
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COURSE_DATA, runCli } from './helpers/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'sparkify-incremental-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const env = { SPARKIFY_HOME: join(scratch, 'home'), FORCE_COLOR: '0' };
const days = join(COURSE_DATA, 'log_data', '2018', '11');
const dayFiles = readdirSync(days).sort();
const logDir = join(scratch, 'log_data', '2018', '11');
mkdirSync(logDir, { recursive: true });
cpSync(join(COURSE_DATA, 'song_data'), join(scratch, 'song_data'), { recursive: true });
const addDays = (from: number, to: number) => dayFiles.slice(from, to).forEach((f) => cpSync(join(days, f), join(logDir, f)));
const SOURCES = ['--song-data', join(scratch, 'song_data'), '--log-data', join(scratch, 'log_data'), '--log-jsonpaths', join(COURSE_DATA, 'log_json_path.json')];
const sparkify = (...args: string[]) => runCli([...args, ...SOURCES], { env });
const rowsOf = (stderr: string, table: string) => Number(new RegExp(`${table.replace('.', '\\.')}\\s+([\\d,]+)`).exec(stderr)?.[1]!.replace(/,/g, ''));

describe('incremental runs from the command line', () => {
  it('plans and loads only the new files, and skips a changed one by name', async () => {
    addDays(0, 10);
    const first = await sparkify('run');
    expect(first.code, first.stderr).toBe(0);

    addDays(10, 13);
    const plan = await sparkify('run', '--incremental', '--plan');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('staging.s_events: 3 files to load');
    expect(plan.stdout).toContain('2018-11-11 to 2018-11-13');
    expect(plan.stdout.match(/^ {2}\+ .*events\.json$/gm)).toEqual(dayFiles.slice(10, 13).map((f) => `  + ${join(logDir, f)}`));
    expect(plan.stdout).toContain('= 10 already loaded, unchanged: skipped');
    expect(plan.stdout).toContain('staging.s_songs: 0 files to load');
    expect(plan.stdout).toContain('- Load the new song files (skipped: no new song files)');

    const since = await sparkify('run', '--incremental', '--plan', '--since', '2018-11-12', '--until', '2018-11-12');
    expect(since.stdout).toContain('staging.s_events: 1 file to load');
    // The dates pick new files: the ten loaded are judged by the ledger alone.
    expect(since.stdout).toContain('- 2 outside --since/--until: skipped');
    expect(since.stdout).toContain('= 10 already loaded, unchanged: skipped');

    const incremental = await sparkify('run', '--incremental');
    expect(incremental.code, incremental.stderr).toBe(0);
    expect(incremental.stderr).toMatch(/✓ load staging\.s_events_new \([\d.]+ s, [\d,]+ rows\)/);
    const again = await sparkify('run', '--incremental');
    expect(again.code, again.stderr).toBe(0);
    expect(rowsOf(again.stderr, 'analytics.f_songplays')).toBe(rowsOf(incremental.stderr, 'analytics.f_songplays'));
    expect(again.stderr).toMatch(/analytics\.f_songplays\s+[\d,]+\s+±0/);

    appendFileSync(join(logDir, dayFiles[0]), '\n');
    const changed = await sparkify('run', '--incremental');
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stderr).toContain(`warning: ${join(logDir, dayFiles[0])} changed since it was loaded; skipped (--reload-changed reloads it)`);

    const full = await runCli(['run', ...SOURCES, '--database-file', join(scratch, 'full.duckdb')], { env });
    expect(rowsOf(full.stderr, 'analytics.f_songplays')).toBe(rowsOf(again.stderr, 'analytics.f_songplays'));
    expect(rowsOf(full.stderr, 'analytics.d_users')).toBe(rowsOf(again.stderr, 'analytics.d_users'));
  });

  it('reloads a changed file with --reload-changed: the tables a full run over the files as they are now gives', async () => {
    // Day 2 keeps its first 20 events (its later plays go), day 14 arrives new.
    const day2 = join(logDir, dayFiles[1]);
    writeFileSync(day2, readFileSync(day2, 'utf8').split('\n').slice(0, 20).join('\n') + '\n');
    addDays(13, 14);
    const plan = await sparkify('run', '--incremental', '--reload-changed', '--plan');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('staging.s_events: 14 files to load');
    expect(plan.stdout).toContain(`  + ${join(logDir, dayFiles[13])}`);
    expect(plan.stdout).toContain(`  ! ${join(logDir, dayFiles[0])} changed since it was loaded: reloaded`);
    expect(plan.stdout).toContain(`  ! ${join(logDir, dayFiles[1])} changed since it was loaded: reloaded`);
    expect(plan.stdout).toContain('↻ staging.s_events is loaded again from all 14 files (1 new, 2 changed, 11 as loaded before)');
    expect(plan.stdout).toContain('▶ Replace the reloaded staging tables and transform all of staging · one transaction');
    expect(plan.stdout).toMatch(/empty staging\.s_events\n\s+refill staging\.s_events/);
    expect(plan.stdout).not.toContain('empty staging.s_songs');
    expect(plan.stdout).toContain('staging.s_songs: 0 files to load');

    const reloaded = await sparkify('run', '--incremental', '--reload-changed');
    expect(reloaded.code, reloaded.stderr).toBe(0);
    expect(reloaded.stderr).toContain(`warning: ${join(logDir, dayFiles[1])} changed since it was loaded; staging.s_events is loaded again from its 14 files`);
    const full = await runCli(['run', ...SOURCES, '--database-file', join(scratch, 'full-now.duckdb')], { env });
    expect(full.code, full.stderr).toBe(0);
    for (const table of ['staging.s_events', 'analytics.f_songplays', 'analytics.d_users', 'analytics.d_time', 'analytics.d_songs']) {
      expect(rowsOf(reloaded.stderr, table), table).toBe(rowsOf(full.stderr, table));
    }
    const runs = JSON.parse((await runCli(['runs', '--format', 'json', '--last', '1'], { env })).stdout) as { mode: string }[];
    expect(runs[0].mode).toBe('reload-changed');

    // The ledger now holds the files as they are: nothing changed, nothing to load.
    const after = await sparkify('run', '--incremental', '--plan');
    expect(after.stdout).toContain('= 14 already loaded, unchanged: skipped');
    expect(after.stdout).not.toContain('changed since it was loaded');
    // A reload that fails at its load is retried as a reload, from that step.
    const day3 = join(logDir, dayFiles[2]);
    const good = readFileSync(day3, 'utf8');
    writeFileSync(day3, good.replace(/"ts":(\d+)/, '"ts":"yesterday"'));
    const failed = await sparkify('run', '--incremental', '--reload-changed');
    expect(failed.code).toBe(6);
    writeFileSync(day3, good.split('\n').slice(0, 30).join('\n') + '\n');
    const retried = await runCli(['retry', ...SOURCES], { env });
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stderr).toMatch(/retrying run \w+ \(reload-changed, failed\) from load-new-events/);
    expect(retried.stderr).toContain('changed since it was loaded; staging.s_events is loaded again from its 14 files');
    const fullAgain = await runCli(['run', ...SOURCES, '--database-file', join(scratch, 'full-again.duckdb')], { env });
    for (const table of ['staging.s_events', 'analytics.f_songplays', 'analytics.d_users']) {
      expect(rowsOf(retried.stderr, table), table).toBe(rowsOf(fullAgain.stderr, table));
    }

    const reloadAlone = await sparkify('run', '--reload-changed');
    expect(reloadAlone.code).toBe(2);
    expect(reloadAlone.stderr).toContain('--reload-changed reloads changed files in an incremental run');
  });
});
