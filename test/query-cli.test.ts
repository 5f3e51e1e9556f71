// `sparkify query` through the built CLI: formats, stdin, limits, streaming.
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { COURSE_DATA, runCli, tempHome } from './helpers/cli.js';

const env = { SPARKIFY_HOME: tempHome() };

describe('sparkify query', () => {
  beforeAll(async () => {
    const run = await runCli(['run', '--song-data', join(COURSE_DATA, 'song_data'), '--log-data', join(COURSE_DATA, 'log_data')], { env });
    expect(run.code).toBe(0);
  });

  const usersByLevel = 'SELECT level, count(*) AS users FROM analytics.d_users GROUP BY level ORDER BY level';

  it('prints a table by default, with numbers right-aligned, and the row count on stderr', async () => {
    const result = await runCli(['query', usersByLevel], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      ['┌───────┬───────┐', '│ level │ users │', '├───────┼───────┤', '│ free  │    75 │', '│ paid  │    22 │', '└───────┴───────┘', ''].join('\n'),
    );
    expect(result.stderr).toMatch(/^2 rows in \d+\.\d\d s\n$/);
  });

  it('prints CSV, TSV and JSON for scripts', async () => {
    expect((await runCli(['query', '--format', 'csv', usersByLevel], { env })).stdout).toBe('level,users\nfree,75\npaid,22\n');
    expect((await runCli(['query', '--format', 'tsv', usersByLevel], { env })).stdout).toBe('level\tusers\nfree\t75\npaid\t22\n');
    const json = await runCli(['query', '--format', 'json', usersByLevel], { env });
    expect(JSON.parse(json.stdout)).toEqual([{ level: 'free', users: 75 }, { level: 'paid', users: 22 }]);
    expect(json.stderr).toBe('');
  });

  it('quotes CSV fields that need it and prints NULL as empty', async () => {
    const result = await runCli(['query', '--format', 'csv', `SELECT 'a,b' AS x, 'say "hi"' AS y, NULL AS z`], { env });
    expect(result.stdout).toBe('x,y,z\n"a,b","say ""hi""",\n');
  });

  it('reads the SQL from standard input with -', async () => {
    const result = await runCli(['query', '-', '--format', 'csv'], { env, input: 'SELECT count(*) AS plays\nFROM analytics.f_songplays;\n' });
    expect(result.stdout).toBe('plays\n6820\n');
  });

  it('--limit stops after N rows of a large result', async () => {
    const result = await runCli(['query', '--format', 'csv', '--limit', '3', 'SELECT start_time FROM analytics.f_songplays ORDER BY start_time'], { env });
    expect(result.stdout.trim().split('\n')).toEqual(['start_time', '2018-11-01 21:01:46.796', '2018-11-01 21:05:52.796', '2018-11-01 21:08:16.796']);
  });

  it('streams a result larger than one page completely', async () => {
    const result = await runCli(['query', '--format', 'json', 'SELECT songplay_id, start_time FROM analytics.f_songplays'], { env });
    expect(JSON.parse(result.stdout)).toHaveLength(6820);
  });

  it('streams a long table in blocks, widening it rather than cutting values', async () => {
    const result = await runCli(['query', "SELECT range AS n, repeat('x', CAST(range % 7 AS INTEGER)) AS s FROM generate_series(0, 2499) AS t(range)"], { env });
    expect(result.code).toBe(0);
    const body = result.stdout.split('\n').filter((line) => /^│ +\d+ │/.test(line));
    expect(body.map((line) => Number(line.split('│')[1]))).toEqual(Array.from({ length: 2500 }, (_, i) => i));
    expect(result.stdout).not.toContain('…');
    // Rows 0-999 fit three digits; the block from 1000 on opens a wider table.
    expect(result.stdout.match(/^┌/gm)).toHaveLength(2);
    expect(result.stderr).toMatch(/^2500 rows in/);
  });

  it('runs several statements in turn and refuses an empty one', async () => {
    const two = await runCli(['query', 'select 1 as a; select 2 as b', '--format', 'csv'], { env });
    expect(two.code).toBe(0);
    expect(two.stdout).toBe('a\n1\n\nb\n2\n');
    const none = await runCli(['query', ' ; '], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no SQL to run');
  });

  it('has --help and --version', async () => {
    const help = await runCli(['query', '--help'], { env });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--format <format>');
    const version = await runCli(['--version'], { env });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
