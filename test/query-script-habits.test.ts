// A script with the habits of scripts written for a cluster (public. names,
// a COPY naming its table in capitals, a late-binding view made before its
// table, named constraints, INSERTs that leave defaulted columns out, a #temp
// table, COLLATE CASE_INSENSITIVE) runs unchanged through the built CLI on the
// local engine. Expected values come from the raw course files.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COURSE_DATA, REPO, runCli, tempHome } from './helpers/cli.js';
import { courseEvents, distinct } from './helpers/course-facts.js';

const events = courseEvents();

describe('sparkify query -f: habits of scripts written for a cluster', () => {
  it('runs end to end with the counts of the course files', async () => {
    const env = { SPARKIFY_HOME: tempHome() };
    const run = await runCli(['query', '-f', join(REPO, 'test/fixtures/redshift-scripts/habits.sql'), '--bucket', `udacity-dend=${COURSE_DATA}`, '--format', 'jsonl'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const otherPages = distinct(events.filter((e) => e.page !== 'NextSong'), (e) => e.page);
    const paid = distinct(events.filter((e) => e.level === 'paid'), (e) => e.userId);
    expect(lines.filter((line) => 'command' in line).map((line) => line.command)).toEqual([
      'CREATE SCHEMA', 'CREATE VIEW', 'DROP TABLE', 'CREATE TABLE', `COPY ${events.length}`,
      'CREATE TABLE', 'INSERT 0 1', `INSERT 0 ${otherPages}`, 'CREATE TABLE', `INSERT 0 ${paid}`,
    ]);
    const levels = [...new Set(events.map((e) => e.level as string))].sort();
    expect(lines.filter((line) => !('command' in line))).toEqual([
      ...levels.map((level) => ({ level, events: events.filter((e) => e.level === level).length })),
      { kind: 'other', pages: otherPages, stamped: otherPages },
      { kind: 'play', pages: 1, stamped: 1 },
      { paid_users: paid },
      { listed: 2 },
    ]);
  });
});
