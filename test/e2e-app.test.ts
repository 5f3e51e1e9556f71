// The interactive app end to end: the built CLI (dist/cli.js) in a real 80x24
// terminal (tmux), each journey from an empty SPARKIFY_HOME.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, exitCodeOf, hasTmux, openTerminal, tempHome, type Terminal } from './helpers/tmux.js';
import { runPipeline, setUpLocalFolders } from './helpers/wizard.js';
import type { SparkifyConfig } from '../src/pipeline/config.js';

const open: Terminal[] = [];
const cleanups: (() => void)[] = [];
let data: string;

function terminal(home: string): Terminal {
  const t = openTerminal({ env: { SPARKIFY_HOME: home } });
  open.push(t);
  return t;
}

function freshHome(): string {
  const { home, remove } = tempHome();
  cleanups.push(remove);
  return home;
}

/** Elapsed values of the running statements on screen (`⠋ load staging.s_events 1.3s`). */
function runningTimers(screen: string): string[] {
  return [...screen.matchAll(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] load staging\.\S+ (\d+\.\ds)/gm)].map((m) => m[1]);
}

beforeAll(() => {
  if (!existsSync(CLI)) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT });
  data = mkdtempSync(join(tmpdir(), 'sparkify-e2e-data-'));
  cleanups.push(() => rmSync(data, { recursive: true, force: true }));
});

afterEach(() => {
  for (const t of open.splice(0)) t.kill();
});

afterAll(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe.skipIf(!hasTmux())('sparkify in a terminal', { timeout: 240_000 }, () => {
  it('without a terminal explains the plain commands and exits 0', () => {
    const home = freshHome();
    const output = execFileSync(process.execPath, [CLI], { env: { ...process.env, SPARKIFY_HOME: home }, input: '', encoding: 'utf8' });
    expect(output).toContain('needs a terminal');
    expect(output).toContain('sparkify run');
    expect(existsSync(join(home, 'config.json'))).toBe(false);
  });

  it('draws every frame in a terminal even when CI is set; Ctrl-C with nothing running leaves with 0', async () => {
    const home = freshHome();
    const t = openTerminal({ env: { SPARKIFY_HOME: home, CI: 'true', CONTINUOUS_INTEGRATION: '1' } });
    open.push(t);
    await t.waitFor(/❯ Embedded warehouse/);
    t.send('Down');
    const moved = await t.waitFor(/❯ Existing Redshift/);
    expect(moved).not.toMatch(/❯ Embedded warehouse/);
    t.send('C-c');
    const end = await t.waitFor((s) => exitCodeOf(s) !== undefined);
    expect(exitCodeOf(end)).toBe(0);
    expect(existsSync(join(home, 'config.json'))).toBe(false);
  });

  it('narrowing and widening the terminal redraws the screen once, without stacked copies', async () => {
    const home = freshHome();
    writeFileSync(join(home, 'config.json'), JSON.stringify({ target: 'local', sources: {}, redshift: {} }));
    const t = openTerminal({ env: { SPARKIFY_HOME: home }, width: 100 });
    open.push(t);
    await t.waitFor('p runs the pipeline');
    for (const width of [80, 100, 80, 100, 70]) {
      t.resize(width, 24);
      await t.waitFor((screen) => screen.split('\n').every((line) => line.length <= width) && screen.includes('w setup'));
    }
    // A key after the resizes: once its frame shows, every frame the resizes caused is drawn.
    t.send('?');
    await t.waitFor('keys (Esc closes');
    t.send('?');
    const screen = await t.waitFor((s) => !s.includes('keys (Esc closes') && s.includes('w setup'));
    expect(screen.match(/sparkify · home/g)).toHaveLength(1);
    expect(screen.match(/w setup {2}\? keys/g)).toHaveLength(1);
  });

  it('first run: wizard, larger sample data, a pipeline run with ticking timers and a summary', async () => {
    const home = freshHome();
    const t = terminal(home);
    await t.waitFor('Where should the star schema live?');
    t.send('Enter');
    await t.waitFor('Which data?');
    t.send('Down');
    await t.waitFor('❯ Generate a larger sample');
    t.send('Enter');
    await t.waitFor('p runs the pipeline', { timeoutMs: 120_000 });
    expect((JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as SparkifyConfig).sources.logData).toBe(join(home, 'sample-large', 'log_data'));

    await runPipeline(t);
    const first = await t.waitFor((s) => runningTimers(s).some((v) => v !== '0.0s'), { timeoutMs: 30_000 });
    const firstValue = runningTimers(first)[0];
    const second = await t.waitFor((s) => runningTimers(s).length > 0 && runningTimers(s)[0] !== firstValue, { timeoutMs: 10_000 });
    expect(runningTimers(second)[0]).not.toBe(firstValue);

    const done = await t.waitFor('last run finished in', { timeoutMs: 120_000 });
    expect(done).toMatch(/✓ Data-quality checks/);
    const history = t.capture({ history: true });
    expect(history).toMatch(/✓ load staging\.s_events .* · engine \d+\.\ds · 241,680 rows/);
    expect(history).toMatch(/run finished in \d+\.\ds/);
    expect(history).toContain("the analytics tables hold this run's data");
    expect(history).toContain('analytics.f_songplays');
    expect(history).toMatch(/checks: (\d+) of \1 passed/);

    t.send('q');
    const end = await t.waitFor('[sparkify exited with');
    expect(exitCodeOf(end)).toBe(0);
  });

  it('shows a failed load with its file and line, and resumes from that step once fixed', async () => {
    const folder = join(data, 'broken');
    execFileSync(process.execPath, [CLI, 'sample', '--out', folder, '--scale', '1'], { stdio: 'ignore' });
    const logDir = join(folder, 'log_data', '2018', '11');
    const file = join(logDir, readdirSync(logDir).sort()[4]);
    const original = readFileSync(file, 'utf8');
    const lines = original.split('\n');
    lines[6] = '{"artist":"Broken Record","auth":"Logged In",';
    writeFileSync(file, lines.join('\n'));

    const home = freshHome();
    const t = terminal(home);
    await setUpLocalFolders(t, folder);
    await runPipeline(t);
    await t.waitFor('last run failed at load-events', { timeoutMs: 30_000 });
    const history = t.capture({ history: true });
    expect(history).toContain('✗ load staging.s_events');
    // The rejected row, by line and file (a long path wraps at the terminal's edge).
    expect(history.replace(/\n/g, '')).toMatch(new RegExp(`line 7 · ?${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(history).toContain('{"artist":"Broken Record","auth":"Logged In",');
    expect(t.capture()).toContain('❯ ✗ Load staging.s_events');

    writeFileSync(file, original);
    t.send('f');
    await t.waitFor('last run finished in', { timeoutMs: 30_000 });
    const resumed = t.capture({ history: true });
    expect(resumed).toContain('▶ pipeline from load-events');
    expect(resumed).toMatch(/– Create schemas skipped: before load-events/);
    expect(resumed).toMatch(/✓ load staging\.s_events .* · [\d,]+ rows/);
  });

  it('Ctrl-C cancels a long statement and the app stays usable; a second Ctrl-C leaves', async () => {
    const folder = join(data, 'large');
    execFileSync(process.execPath, [CLI, 'sample', '--out', folder, '--scale', '60'], { stdio: 'ignore' });
    const home = freshHome();
    const t = terminal(home);
    await setUpLocalFolders(t, folder);
    await runPipeline(t);
    await t.waitFor(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] load staging\.s_events/m, { timeoutMs: 30_000 });
    t.send('C-c');
    const cancelled = await t.waitFor('last run cancelled', { timeoutMs: 20_000 });
    expect(cancelled).not.toContain('[sparkify exited with');
    expect(t.capture({ history: true })).toContain('run cancelled in');
    expect(t.capture({ history: true })).toContain('the analytics tables are as they were before this run');

    t.send('h');
    await t.waitFor(/last run\s+cancelled/);
    t.send('p');
    await t.waitFor('last run cancelled');
    t.send('C-c');
    const end = await t.waitFor('[sparkify exited with');
    expect(exitCodeOf(end)).toBe(0);
  });
});
