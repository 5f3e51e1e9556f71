// A Redshift etl script in the style published for this project, run unchanged
// through the built CLI on the local engine: session tuning (SET of cluster
// parameters), AUTO table attributes, an upsert in BEGIN ... END, and the
// date forms people use on epoch milliseconds. Expected values come from the
// raw course files (test/helpers/course-facts.ts), never from an engine.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COURSE_DATA, REPO, runCli, tempHome } from './helpers/cli.js';
import { courseEvents, distinct } from './helpers/course-facts.js';

const events = courseEvents();
const plays = events.filter((e) => e.page === 'NextSong');
const identified = plays.filter((e) => e.userId !== '');
const stamps = events.map((e) => Number(e.ts));
const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

describe('sparkify query -f: a session-tuned upsert script', () => {
  it('runs unchanged and gives the counts and times of the course data', async () => {
    const env = { SPARKIFY_HOME: tempHome() };
    const run = await runCli(['query', '-f', join(REPO, 'test/fixtures/redshift-scripts/session-upsert.sql'), '--bucket', `udacity-dend=${COURSE_DATA}`, '--format', 'jsonl'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const pairs = distinct(identified, (e) => [e.userId, e.firstName, e.lastName, e.gender, e.level]);
    expect(lines.filter((line) => 'command' in line).map((line) => line.command)).toEqual([
      ...Array<string>(5).fill('SET'), ...Array<string>(3).fill('DROP TABLE'), 'CREATE TABLE', `COPY ${events.length}`, 'CREATE TABLE', 'CREATE TABLE',
      'CREATE TABLE', `INSERT 0 ${pairs}`, 'BEGIN', 'DELETE 0', `INSERT 0 ${pairs}`, 'COMMIT', 'DROP TABLE',
      `INSERT 0 ${distinct(plays, (e) => e.ts)}`,
    ]);
    const rows = lines.filter((line) => !('command' in line));
    const loggedOut = events.filter((e) => e.userId === '').length;
    const first = Math.min(...stamps);
    const last = Math.max(...stamps);
    expect(rows).toEqual([
      { user_rows: pairs, users: distinct(identified, (e) => e.userId) },
      { who: 'in', n: events.length - loggedOut },
      { who: 'out', n: loggedOut },
      { not_songs: events.length - plays.length },
      { first_day: iso(first).slice(0, 10), last_day: iso(last).slice(0, 10), first_at: iso(first).slice(0, 19) },
      { from_ms: iso(first), last_ms: iso(last) },
    ]);
  });
});
