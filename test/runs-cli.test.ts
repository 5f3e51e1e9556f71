// `sparkify runs`, `runs show` and `retry` through the built CLI: the history
// is read from the warehouse, whichever process ran the pipeline.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COURSE_DATA, runCli } from './helpers/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'sparkify-runs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const env = { SPARKIFY_HOME: join(scratch, 'home'), FORCE_COLOR: '0' };
const data = join(scratch, 'data');
cpSync(join(COURSE_DATA, 'song_data'), join(data, 'song_data'), { recursive: true });
cpSync(join(COURSE_DATA, 'log_data'), join(data, 'log_data'), { recursive: true });
const SOURCES = ['--song-data', join(data, 'song_data'), '--log-data', join(data, 'log_data')];
const sparkify = (...args: string[]) => runCli(args, { env });

describe('run history from the command line', () => {
  it('lists runs, shows one, and retries a failed run from the step it failed at', async () => {
    expect((await sparkify('runs')).stderr).toContain('no runs in this warehouse yet');
    const first = await sparkify('run', ...SOURCES);
    expect(first.code, first.stderr).toBe(0);

    const logDir = join(data, 'log_data', '2018', '11');
    const broken = join(logDir, readdirSync(logDir).sort()[2]);
    const original = readFileSync(broken, 'utf8');
    writeFileSync(broken, original.replace(/"ts":(\d+)/, '"ts":"yesterday"'));
    const failed = await sparkify('run', ...SOURCES);
    expect(failed.code).toBe(6);

    const listed = JSON.parse((await sparkify('runs', '--format', 'json')).stdout) as { runId: string; outcome: string; failedStep?: string; rowsAdded: Record<string, string> }[];
    expect(listed.map((r) => r.outcome)).toEqual(['failed', 'succeeded']);
    expect(listed[0].failedStep).toBe('load-events');
    expect(listed[1].rowsAdded['analytics.f_songplays']).toBe('+6,820');

    writeFileSync(broken, original);
    const retried = await sparkify('retry', ...SOURCES);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stderr).toContain(`retrying run ${listed[0].runId.slice(0, 8)} (full, failed) from load-events`);
    expect(retried.stderr).toMatch(/- Create schemas: skipped \(before load-events/);
    expect(retried.stderr).toMatch(/analytics\.f_songplays\s+6,820\s+±0/);

    const table = (await sparkify('runs', '--last', '2')).stdout;
    expect(table.split('\n').filter((l) => /succeeded|failed/.test(l))).toHaveLength(2);
    expect(table).toMatch(/full\s+│\s+local\s+│[^│]+│\s+succeeded/);

    const shown = await sparkify('runs', 'show', listed[1].runId.slice(0, 6));
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`run ${listed[1].runId}`);
    expect(shown.stdout).toMatch(/load-events\s+│\s+load staging\.s_events\s+│[^│]+│[^│]+│\s+8,056\s+│\s+FINISHED/);

    const again = await sparkify('retry', ...SOURCES);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('succeeded: there is nothing to retry');
    expect((await sparkify('runs', 'show', 'zzzz')).stderr).toContain('no run zzzz in the ledger');

    // Another warehouse file named on the line is the one read, before or after the id.
    const other = join(scratch, 'other.duckdb');
    expect((await sparkify('run', ...SOURCES, '--database-file', other)).code).toBe(0);
    const [otherRun] = JSON.parse((await sparkify('runs', '--format', 'json', '--database-file', other)).stdout) as { runId: string }[];
    expect(otherRun.runId).not.toBe(listed[0].runId);
    for (const args of [['runs', 'show', otherRun.runId.slice(0, 8), '--database-file', other], ['runs', '--database-file', other, 'show', otherRun.runId.slice(0, 8)]]) {
      const shownOther = await sparkify(...args);
      expect(shownOther.code, shownOther.stderr).toBe(0);
      expect(shownOther.stdout).toContain(`run ${otherRun.runId}`);
    }
  });
});
