// `sparkify query --format X` of one local query, written by DuckDB itself:
// the same text as the row writers (which a script's statements still use),
// Parquet, --out, closed pipes and errors, through the built CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, REPO, runCli, tempHome } from './helpers/cli.js';
import { exitCodeOf, openTerminal } from './helpers/tmux.js';

const home = tempHome('sparkify-native-');
const env = { SPARKIFY_HOME: home };
afterAll(() => rmSync(home, { recursive: true, force: true }));

// Every kind of value the writers treat apart: integers, NULL, doubles,
// DECIMAL, whole and other doubles, timestamps, booleans, lists, and text to quote or escape.
const MIXED = [
  'SELECT range AS n, count(*) OVER () AS c,',
  "  CASE WHEN range % 3 = 0 THEN NULL ELSE range * 1.5 END AS f, CAST(range * 0.25 AS DECIMAL(10, 2)) AS d, CAST(range AS DOUBLE PRECISION) / 2 AS h,",
  "  TIMESTAMP '2018-11-01 00:00:00' + range * INTERVAL '1 second' AS t, range % 2 = 0 AS b, [range, range + 1] AS l,",
  "  'a,\"b' || chr(9) || 'c' || chr(10) || 'd' || chr(92) AS q",
  'FROM generate_series(0, 2499) AS t(range) ORDER BY n',
].join('\n');

/** The same query as a script, which the row writers print. */
async function rowWriter(format: string): Promise<string> {
  const script = join(home, `mixed-${format}.sql`);
  writeFileSync(script, `${MIXED};\n`);
  const run = await runCli(['query', '-f', script, '--format', format], { env });
  expect(run.code).toBe(0);
  return run.stdout;
}

function bash(script: string): { stdout: string; stderr: string; status: number | null } {
  const run = spawnSync('bash', ['-c', script, 'bash', process.execPath, CLI], { cwd: REPO, env: { ...process.env, ...env }, encoding: 'utf8' });
  return { stdout: run.stdout, stderr: run.stderr, status: run.status };
}

describe('sparkify query --format, written by DuckDB', () => {
  it.each([
    ['csv', 'n,c,f,d,h,t,b,l,q'],
    ['tsv', 'n\tc\tf\td\th\tt\tb\tl\tq'],
    ['jsonl', '{"n":0,"c":2500,"f":null,"d":"0.00","h":0,"t":"2018-11-01 00:00:00","b":true,"l":"[0,1]","q":"a,\\"b\\tc\\nd\\\\"}'],
  ])('%s prints byte for byte what the row writer prints', async (format, first) => {
    const native = await runCli(['query', '--format', format, MIXED], { env });
    expect(native.code).toBe(0);
    expect(native.stderr).toBe('');
    expect(native.stdout).toBe(await rowWriter(format));
    expect(native.stdout.split('\n')[0]).toBe(first);
  });

  it('json prints byte for byte the array the row writer prints, and an empty one too', async () => {
    const native = await runCli(['query', '--format', 'json', MIXED], { env });
    expect(native.code).toBe(0);
    expect(native.stdout).toBe(await rowWriter('json'));
    const rows = JSON.parse(native.stdout) as Record<string, unknown>[];
    const empty = `SELECT 1 AS a FROM generate_series(1, 3) WHERE false`;
    const script = join(home, 'empty-json.sql');
    writeFileSync(script, `${empty};\n`);
    const [nativeEmpty, writerEmpty] = await Promise.all([runCli(['query', '--format', 'json', empty], { env }), runCli(['query', '-f', script, '--format', 'json'], { env })]);
    expect(nativeEmpty.stdout).toBe(writerEmpty.stdout);
    expect(JSON.parse(nativeEmpty.stdout)).toEqual([]);
    expect(rows[2].h).toBe(1);
    expect(native.stdout).toContain('"h":1,');
    expect(rows[1]).toEqual({ n: 1, c: 2500, f: '1.5', d: '0.25', h: 0.5, t: '2018-11-01 00:00:01', b: false, l: '[1,2]', q: 'a,"b\tc\nd\\' });
  });

  it('writes to --out when the output is a file on disk, and to stdout redirected to a file (appending with >>)', () => {
    const out = join(home, 'plays.csv');
    const run = bash(`"$@" query --format csv --out ${out} 'select range as r from generate_series(0, 2) AS t(range)' && "$@" query --format csv 'select 7 as s' >> ${out}`);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe('r\n0\n1\n2\ns\n7\n');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(home).filter((name) => name.includes('.partial'))).toEqual([]);
  });

  it('writes the results of a script to --out too, through the row writers', async () => {
    const out = join(home, 'script.csv');
    const run = await runCli(['query', '--format', 'csv', '--out', out, 'select 1 as a; select 2 as b'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe('a\n1\n\nb\n2\n');
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('writes parquet to --out, which DuckDB reads back', async () => {
    const out = join(home, 'mixed.parquet');
    const run = await runCli(['query', '--format', 'parquet', '--out', out, '--limit', '100', MIXED], { env });
    expect(run.code).toBe(0);
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    const read = await connection.runAndReadAll(`select count(*)::int, sum(n)::int, max(l[2])::int from read_parquet('${out}')`);
    expect(read.getRowsJS()).toEqual([[100, 4950, 100]]);
    connection.closeSync();
  });

  it('refuses to print parquet on a terminal, and parquet of a script', async () => {
    const terminal = openTerminal({ args: ['query', '--format', 'parquet', 'select 1'], env, width: 120 });
    try {
      const screen = await terminal.waitFor(/sparkify exited with/);
      expect(screen).toContain('parquet is binary and standard output is a terminal');
      expect(exitCodeOf(screen)).toBe(2);
    } finally {
      terminal.kill();
    }
    const scripted = await runCli(['query', '--format', 'parquet', 'select 1; select 2'], { env });
    expect(scripted.code).toBe(2);
    expect(scripted.stderr).toContain('parquet is written for a single query on the local engine');
  });

  it.each(['csv', 'json', 'parquet'])('%s into a pipe closed early (| head) ends quietly with exit 0', (format) => {
    const errors = join(home, `head-${format}.err`);
    const run = bash(`"$@" query --format ${format} 'select range, repeat(chr(97), 50) from generate_series(0, 2999999) AS t(range)' 2>${errors} | head -c 100 >/dev/null; echo "exit=\${PIPESTATUS[0]}"; cat ${errors}`);
    expect(run.stdout).toBe('exit=0\n');
  });

  it('reports errors in its own words with the SQL exit code, and an --out folder that is not there', async () => {
    const missing = await runCli(['query', '--format', 'csv', 'select * from nowhere_table'], { env });
    expect(missing.code).toBe(5);
    expect(missing.stderr).toMatch(/^error: relation "nowhere_table" does not exist/);
    const nowhere = join(home, 'no', 'such', 'out.csv');
    const out = await runCli(['query', '--format', 'csv', '--out', nowhere, 'select 1'], { env });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`there is no folder ${join(home, 'no', 'such')}`);
    expect(existsSync(join(home, 'no'))).toBe(false);
    mkdirSync(join(home, 'folder'));
    expect((await runCli(['query', '--format', 'csv', '--out', join(home, 'folder'), 'select 1'], { env })).stderr).toContain('it is a folder');
  });
});
