// A cancel of the events load, whenever it comes (while the COPY is prepared,
// early in it, halfway), ends the run with exit 130 long before the load would
// have ended, with the analytics tables as they were; the next run succeeds. The bound is a
// share of the whole load's time, measured in the same test, not a fixed time.
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { COURSE_DATA, runCli, tempHome } from './helpers/cli.js';
import { copiesOfTheMonth } from './helpers/many-events.js';

const home = tempHome();
const env = { SPARKIFY_HOME: home };
const work = tempHome('sparkify-cancel-');
const songs = join(COURSE_DATA, 'song_data');
const logs = join(COURSE_DATA, 'log_data');
const jsonpaths = join(COURSE_DATA, 'log_json_path.json');

/** Share of the whole load's time within which a cancelled run must have exited. */
const CANCEL_SHARE = 0.3;

/** 40 copies of the month: a load that takes seconds, several times a cancelled run's own exit even at its halfway mark. */
const manyEvents = () => copiesOfTheMonth(join(work, 'big'), 40);

const analyticsFingerprint = () =>
  runCli(['query', '--format', 'csv', `SELECT (SELECT count(*) FROM analytics.f_songplays) AS plays, (SELECT count(*) FROM analytics.d_users) AS users,
    (SELECT sum(strtol(left(md5(CAST(start_time AS VARCHAR) || '|' || coalesce(CAST(user_id AS VARCHAR), '') || '|' || coalesce(song_id, '') || '|' || CAST(session_id AS VARCHAR)), 8), 16)) FROM analytics.f_songplays) AS digest`], { env }).then((r) => r.stdout);

const run = (logData: string) => runCli(['run', '--song-data', songs, '--log-data', logData, '--log-jsonpaths', jsonpaths], { env });

const COPY_STARTED = '✓ empty staging.s_events';
const LOADED = /✓ load staging\.s_events/;

/** A run over `logData` sent SIGTERM `delayMs` after `trigger` shows on stderr; how long it took to exit after the signal. */
async function cancelledRun(logData: string, trigger: string, delayMs: number) {
  let sentAt: number | undefined;
  let armed = false;
  const result = await runCli(['run', '--song-data', songs, '--log-data', logData, '--log-jsonpaths', jsonpaths], {
    env,
    onStderr: (child, stderr) => {
      if (armed || !stderr.includes(trigger)) return;
      armed = true;
      setTimeout(() => {
        sentAt = performance.now();
        child.kill('SIGTERM');
      }, delayMs);
    },
  });
  expect(sentAt, `${trigger} never showed`).toBeDefined();
  return { ...result, exitMs: performance.now() - sentAt! };
}

describe('cancelling the events load', () => {
  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('SIGTERM at any moment of the load exits 130 within a share of its time, the analytics tables as they were', async () => {
    const big = manyEvents();
    // The baseline: the whole load, from the moment its COPY starts to its end.
    // The run is stopped once the load is done: what it does after is not timed.
    let copyAt: number | undefined;
    let loadedAt: number | undefined;
    const baseline = await runCli(['run', '--song-data', songs, '--log-data', big, '--log-jsonpaths', jsonpaths], {
      env,
      onStderr: (child, stderr) => {
        if (copyAt === undefined && stderr.includes(COPY_STARTED)) copyAt = performance.now();
        if (loadedAt === undefined && LOADED.test(stderr)) {
          loadedAt = performance.now();
          child.kill('SIGTERM');
        }
      },
    });
    expect(loadedAt, baseline.stderr).toBeDefined();
    const loadMs = loadedAt! - copyAt!;

    expect((await run(logs)).code).toBe(0);
    const good = await analyticsFingerprint();
    expect(good).toMatch(/^plays,users,digest\n6820,97,/);

    // Each moment once: a cancel as the COPY is prepared, early and halfway through it.
    const moments: [string, string, number][] = [
      ['while the COPY is prepared', COPY_STARTED, 0],
      ['early in the COPY', COPY_STARTED, loadMs * 0.1],
      ['halfway through the COPY', COPY_STARTED, loadMs * 0.5],
    ];
    const report: string[] = [];
    for (const [moment, trigger, delayMs] of moments) {
      const cancelled = await cancelledRun(big, trigger, delayMs);
      report.push(`${moment}: exit ${cancelled.code} ${Math.round(cancelled.exitMs)} ms after SIGTERM (load ${Math.round(loadMs)} ms)`);
      expect(cancelled.code, report.join('\n')).toBe(130);
      expect(cancelled.stderr).toContain('the analytics tables are as they were before this run');
      expect(cancelled.exitMs, report.join('\n')).toBeLessThan(loadMs * CANCEL_SHARE);
      expect(await analyticsFingerprint()).toBe(good);
    }
    // Every cancelled run after the first opened the warehouse and loaded the songs again; the last one leaves a warehouse a run completes on.
    const next = await run(logs);
    expect(next.code, next.stderr).toBe(0);
    expect(await analyticsFingerprint()).toBe(good);
  }, 300_000);
});
