// The plain reporter, read as a CI log is read: every statement under its own
// step even when steps run at once, and a heartbeat while a long step is quiet.
// Then the built CLI through a pipe, where the app is not drawn.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { PipelineEvent, PlannedStep } from '../src/pipeline/events.js';
import { createTextReporter } from '../src/pipeline/report.js';
import { CLI, COURSE_DATA, REPO, tempHome } from './helpers/cli.js';

const step = (id: string, names: string[], checks = false): PlannedStep => ({
  id, title: `Step ${id}`, role: checks ? 'check' : 'create', dependsOn: [], atomic: false, parallel: true, checks,
  statements: names.map((name) => ({ id: `${id}.${name}`, name, sql: `SELECT '${name}'` })),
});
const started = (stepId: string, name: string): PipelineEvent => ({ type: 'statement-started', stepId, statementId: `${stepId}.${name}`, at: Date.now() });
const finished = (stepId: string, name: string): PipelineEvent => ({ type: 'statement-finished', stepId, statementId: `${stepId}.${name}`, rowsAffected: 1, engineMs: 10, wallMs: 10, at: Date.now() });
const runFinished: PipelineEvent = { type: 'run-finished', ok: true, cancelled: false, wallMs: 50, analytics: 'refreshed', at: 0 };

/** Which step header each statement line is printed under. */
function owners(lines: string[]): Record<string, string> {
  const owner: Record<string, string> = {};
  let header = '';
  for (const line of lines) {
    if (/^[▶✗-] /.test(line)) header = line.replace(/^[▶✗-] /, '').replace(/(: skipped| failed).*/, '');
    else if (line.startsWith('  ✓ ') || line.startsWith('    ')) owner[line.trim().replace(/^✓ /, '').replace(/ \(.*/, '')] = header;
  }
  return owner;
}

afterEach(() => vi.useRealTimers());

/** Steps a and b started together, b's statement finished first. */
function twoStepsAtOnce() {
  const lines: string[] = [];
  const report = createTextReporter((line) => lines.push(line), { heartbeatMs: 0 });
  report({ type: 'run-started', steps: [step('a', ['a1']), step('b', ['b1'])], target: 'local', label: 'test', at: 0 });
  report({ type: 'step-started', stepId: 'a', at: 0 });
  report({ type: 'step-started', stepId: 'b', at: 0 });
  report(finished('b', 'b1'));
  return { lines, report };
}

describe('the plain reporter', () => {
  it('prints each step\'s lines together under its header when steps run at once', () => {
    const lines: string[] = [];
    const report = createTextReporter((line) => lines.push(line), { heartbeatMs: 0 });
    const steps = [step('a', ['a1', 'a2']), step('b', ['b1', 'b2']), step('c', ['c1'])];
    const events: PipelineEvent[] = [
      { type: 'run-started', steps, target: 'local', label: 'test', at: 0 },
      { type: 'step-started', stepId: 'a', at: 0 },
      { type: 'step-started', stepId: 'b', at: 0 },
      finished('b', 'b1'),
      finished('a', 'a1'),
      { type: 'step-skipped', stepId: 'c', reason: 'nothing to do', at: 0 },
      finished('b', 'b2'),
      { type: 'step-finished', stepId: 'b', wallMs: 1, at: 0 },
      finished('a', 'a2'),
      { type: 'step-finished', stepId: 'a', wallMs: 1, at: 0 },
      runFinished,
    ];
    events.forEach(report);
    expect(lines.slice(1, 8)).toEqual([
      '▶ Step a', '  ✓ a1 (0.01 s, 1 rows)', '  ✓ a2 (0.01 s, 1 rows)',
      '▶ Step b', '  ✓ b1 (0.01 s, 1 rows)', '  ✓ b2 (0.01 s, 1 rows)',
      '- Step c: skipped (nothing to do)',
    ]);
  });

  it('streams the first step live and holds the one beside it until the first is done', () => {
    const { lines, report } = twoStepsAtOnce();
    report({ type: 'step-finished', stepId: 'b', wallMs: 1, at: 0 });
    report(finished('a', 'a1'));
    expect(lines.at(-1)).toBe('  ✓ a1 (0.01 s, 1 rows)');
    expect(lines.join('\n')).not.toContain('b1');
    report({ type: 'step-failed', stepId: 'a', error: { message: 'boom', exitCode: 1 }, at: 0 });
    expect(lines.slice(1)).toEqual(['▶ Step a', '  ✓ a1 (0.01 s, 1 rows)', '✗ Step a failed: boom', '▶ Step b', '  ✓ b1 (0.01 s, 1 rows)']);
  });

  it('a cancelled run prints what the steps that never ended hold', () => {
    const { lines, report } = twoStepsAtOnce();
    report({ ...runFinished, ok: false, cancelled: true });
    expect(lines).toContain('  ✓ b1 (0.01 s, 1 rows)');
    expect(lines.at(-1)).toMatch(/^cancelled after/);
  });

  it('says what is still running after a quiet spell, and stops at the end of the run', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const report = createTextReporter((line) => lines.push(line), { heartbeatMs: 15_000 });
    report({ type: 'run-started', steps: [step('load', ['load staging.s_events'])], target: 'local', label: 'test', at: 0 });
    report({ type: 'step-started', stepId: 'load', at: Date.now() });
    report(started('load', 'load staging.s_events'));
    vi.advanceTimersByTime(10_000);
    expect(lines.join('\n')).not.toContain('still running');
    vi.advanceTimersByTime(10_000);
    expect(lines.at(-1)).toMatch(/^… still running: load staging\.s_events \((15|20) s\)$/);
    report(finished('load', 'load staging.s_events'));
    report({ type: 'step-finished', stepId: 'load', wallMs: 1, at: 0 });
    report(runFinished);
    const count = lines.length;
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(count);
  });
});

describe('sparkify run 2>&1 | cat', () => {
  const home = tempHome('sparkify-report-');
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('prints every statement under its own step', async () => {
    const args = ['run', '--song-data', join(COURSE_DATA, 'song_data'), '--log-data', join(COURSE_DATA, 'log_data')];
    const output = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
      const child = spawn('bash', ['-c', '"$@" 2>&1 | cat', 'bash', process.execPath, CLI, ...args], {
        cwd: REPO, env: { ...process.env, SPARKIFY_HOME: home }, stdio: ['ignore', 'pipe', 'inherit'],
      });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, text }));
    });
    expect(output.code).toBe(0);
    const owner = owners(output.text.split('\n'));
    // The steps that run at once on a fresh warehouse: the two staging tables and the analytics tables.
    for (const table of ['staging.s_songs', 'staging.s_events']) {
      expect(owner[`drop ${table}`]).toBe(`Create ${table}`);
      expect(owner[`create ${table}`]).toBe(`Create ${table}`);
      expect(owner[`empty ${table}`]).toBe(`Load ${table}`);
      expect(owner[`load ${table}`]).toBe(`Load ${table}`);
    }
    for (const table of ['d_users', 'd_songs', 'd_artists', 'd_time', 'f_songplays']) {
      expect(owner[`create analytics.${table}`]).toBe('Create analytics tables');
      expect(owner[`transform analytics.${table}`]).toBe('Transform into the star schema');
    }
  });
});
