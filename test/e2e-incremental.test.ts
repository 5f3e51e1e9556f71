// The daily journey in a real terminal: a first run, then three more days of
// event files dropped into the folder; the pipeline screen's incremental plan
// names exactly those three, the run loads them, and the sparklines show every
// run the ledger holds; a day changed afterwards is reloaded with its table.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, exitCodeOf, hasTmux, openTerminal, tempHome, type Terminal } from './helpers/tmux.js';
import { runPipeline, setUpLocalFolders } from './helpers/wizard.js';
import { COURSE_DATA } from './helpers/cli.js';

const open: Terminal[] = [];
const data = mkdtempSync(join(tmpdir(), 'sparkify-e2e-daily-'));
const { home, remove } = tempHome();
afterEach(() => {
  for (const t of open.splice(0)) t.kill();
});
afterAll(() => {
  rmSync(data, { recursive: true, force: true });
  remove();
});

describe.skipIf(!hasTmux())('a daily incremental run in the app', { timeout: 240_000 }, () => {
  it('plans exactly the new days, loads them, and draws four runs', async () => {
    if (!existsSync(CLI)) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT });
    const days = join(COURSE_DATA, 'log_data', '2018', '11');
    const dayFiles = readdirSync(days).sort();
    const logDir = join(data, 'log_data', '2018', '11');
    mkdirSync(logDir, { recursive: true });
    cpSync(join(COURSE_DATA, 'song_data'), join(data, 'song_data'), { recursive: true });
    cpSync(join(COURSE_DATA, 'log_json_path.json'), join(data, 'log_json_path.json'));
    const addDays = (from: number, to: number) => dayFiles.slice(from, to).forEach((f) => cpSync(join(days, f), join(logDir, f)));
    addDays(0, 10);

    const t = openTerminal({ env: { SPARKIFY_HOME: home } });
    open.push(t);
    await setUpLocalFolders(t, data);
    await runPipeline(t);
    await t.waitFor('last run finished in', { timeoutMs: 60_000 });

    addDays(10, 13);
    t.send('i');
    const plan = await t.waitFor('new event files', { timeoutMs: 30_000 });
    expect(plan).toContain('incremental on');
    expect(plan).toContain('3 new event files (');
    expect(plan).toContain('2018-11-11 to 2018-11-13');
    expect(plan).toContain('0 new song files');
    expect(plan).toContain('Merge the increment into the star schema');

    for (let run = 2; run <= 4; run++) {
      t.send('r');
      await t.waitFor('running ·', { timeoutMs: 30_000 });
      await t.waitFor('last run finished in', { timeoutMs: 60_000 });
      if (run === 2) {
        const history = t.capture({ history: true });
        expect(history).toMatch(/✓ load staging\.s_events_new .*rows/);
        expect(history).toMatch(/analytics\.f_songplays\s+[\d,]+ \+[\d,]+/);
        await t.waitFor('0 new event files', { timeoutMs: 30_000 });
      }
    }
    // Create schemas runs in every mode: one bar per run.
    const screen = await t.waitFor(/Create schemas .* · [▁▂▃▄▅▆▇█]{4}(\s|$)/m, { timeoutMs: 30_000 });
    expect(screen).toMatch(/Data-quality checks .* · [▁▂▃▄▅▆▇█]{4}/);

    // A day loaded before changes (its second half goes): i again reloads it with its table.
    const day2 = join(logDir, dayFiles[1]);
    const lines = readFileSync(day2, 'utf8').split('\n');
    writeFileSync(day2, lines.slice(0, Math.floor(lines.length / 2)).join('\n') + '\n');
    t.send('i');
    const reload = await t.waitFor('all 13 reloaded', { timeoutMs: 30_000 });
    expect(reload).toContain('incremental on, reloading changed files');
    expect(reload).toContain('0 new event files (1 changed: all 13 reloaded)');
    expect(reload).toContain('Replace the reloaded staging tables and transform all of staging');
    t.send('r');
    await t.waitFor('running ·', { timeoutMs: 30_000 });
    await t.waitFor('last run finished in', { timeoutMs: 60_000 });
    expect(t.capture({ history: true })).toMatch(/✓ refill staging\.s_events .*rows/);

    t.send('h');
    await t.waitFor(/last run\s+succeeded · .*reload-changed/);
    t.send('q');
    expect(exitCodeOf(await t.waitFor('[sparkify exited with'))).toBe(0);
  });
});
