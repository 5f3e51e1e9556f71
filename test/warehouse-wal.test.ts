// A run killed before DuckDB checkpoints leaves its write-ahead log beside the
// warehouse file; the next process must be able to replay it. (DuckDB 1.5
// cannot replay a column ALTER of a table with an IDENTITY default, so the
// rewrite must never issue one.)
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, COURSE_DATA, runCli, tempHome } from './helpers/cli.js';
import { until } from './helpers/ink.js';

describe('a warehouse left with its write-ahead log', () => {
  it('opens again after a run killed (SIGKILL) mid-way, and answers queries', async () => {
    const home = tempHome('sparkify-wal-');
    const env = { SPARKIFY_HOME: home };
    const sources = ['--song-data', join(COURSE_DATA, 'song_data'), '--log-data', join(COURSE_DATA, 'log_data')];
    expect((await runCli(['create-tables'], { env })).code).toBe(0);
    const wal = join(home, 'warehouse.duckdb.wal');
    const child = spawn(process.execPath, [CLI, 'run', ...sources], { env: { ...process.env, ...env }, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Kill once the run has written to the log (the tables are created anew, staging is loading).
    await until(() => existsSync(wal) && statSync(wal).size > 100_000, () => 'the run to write its log', 30_000);
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(wal)).toBe(true);
    const query = await runCli(['query', '--format', 'csv', 'SELECT count(*) AS n FROM analytics.f_songplays'], { env });
    expect(query.stderr).not.toMatch(/WAL|INTERNAL/);
    expect(query.code).toBe(0);
    expect(query.stdout.trim().split('\n')[0]).toBe('n');
  });
});
