// How the plain CLI fails: usage errors exit 2, file and folder problems are
// one line naming the path (never a stack trace), a warehouse path that would
// lose the data is refused, a closed pipe ends the output quietly, and a
// missing model table says what to run first.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CREATE_TABLES_HINT, missingModelHint } from '../src/pipeline/errors.js';
import { MODEL_TABLES } from '../src/pipeline/model.js';
import { CLI, COURSE_DATA, REPO, runCli, tempHome } from './helpers/cli.js';

const scratch = tempHome('sparkify-cli-errors-');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fresh SPARKIFY_HOME under the scratch folder. */
function freshHome(name: string): Record<string, string> {
  const home = join(scratch, name);
  mkdirSync(home, { recursive: true });
  return { SPARKIFY_HOME: home };
}

/** Lines of a Node stack trace. */
const STACK = /^\s+at /m;

describe('usage errors', () => {
  const env = freshHome('usage');

  it.each([
    [['run', '--bogus'], "unknown option '--bogus'"],
    [['query', '--format', 'xml', 'select 1'], "argument 'xml' is invalid"],
    [['run', '--target', 'foo'], "argument 'foo' is invalid"],
    [['query'], 'no SQL to run'],
    [['sample'], "required option '--out <dir>' not specified"],
    [['cluster', 'bogus'], "unknown command 'bogus'"],
    [['run', '--concurrency', '0'], '--concurrency must be 1 or more, got 0'],
  ])('%j exits 2', async (args, message) => {
    const result = await runCli(args, { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(STACK);
  });

  it('an unknown command is named, with the commands and a pointer to --help', async () => {
    const result = await runCli(['bogus-cmd'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: unknown command 'bogus-cmd'");
    expect(result.stderr).not.toContain('too many arguments');
    expect(result.stderr).toMatch(/create-tables, etl, run, retry, runs, query, sample, setup/);
    expect(result.stderr).toContain('sparkify --help');
    const typo = await runCli(['quer', 'select 1'], { env });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("unknown command 'quer' (did you mean query?)");
  });

  it('setup without a terminal configures nothing and exits 2', async () => {
    const home = freshHome('setup-no-tty');
    const result = await runCli(['setup'], { env: home, input: '' });
    expect(result.stderr).toContain('error: sparkify setup needs a terminal');
    expect(result.stderr).toContain('nothing was configured');
    expect(result.code).toBe(2);
    expect(existsSync(join(home.SPARKIFY_HOME, 'config.json'))).toBe(false);
  });

  it('--help, help <command> and --version still exit 0', async () => {
    for (const args of [['--help'], ['run', '--help'], ['help', 'query'], ['--version']]) {
      const result = await runCli(args, { env });
      expect(result.code, args.join(' ')).toBe(0);
    }
    expect((await runCli(['help', 'query'], { env })).stdout).toContain('Usage: sparkify query');
  });
});

describe('file and folder problems', () => {
  const afile = join(scratch, 'afile');
  writeFileSync(afile, 'not a folder\n');

  it('a warehouse folder that cannot be made is a config error naming it', async () => {
    const result = await runCli(['create-tables', '--database-file', join(afile, 'sub', 'w.duckdb')], { env: freshHome('db-under-file') });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`error: cannot create the folder ${join(afile, 'sub')} for the local warehouse`);
    expect(result.stderr).toContain('a part of the path is a file, not a folder (ENOTDIR)');
    expect(result.stderr).toContain('set SPARKIFY_HOME (or --database-file) to a place you can write to');
    expect(result.stderr).not.toMatch(STACK);
  });

  it.runIf(existsSync('/sys/kernel'))('an unusable SPARKIFY_HOME is a config error naming it', async () => {
    const result = await runCli(['query', 'select 1'], { env: { SPARKIFY_HOME: '/sys/sparkify-x' } });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error: cannot create the folder \/sys\/sparkify-x for the local warehouse \/sys\/sparkify-x\/warehouse\.duckdb: .* \(E[A-Z]+\)$/m);
    expect(result.stderr).toContain('set SPARKIFY_HOME');
    expect(result.stderr).not.toMatch(STACK);
  });

  it('sample --out under a file is a usage error naming the folder', async () => {
    const out = join(afile, 'sub');
    const result = await runCli(['sample', '--out', out, '--scale', '0.1'], { env: freshHome('sample-file') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: cannot write the sample to ${out}: a part of the path is a file, not a folder (ENOTDIR)`);
    expect(result.stderr).toContain('choose a folder you can create and write to for --out');
    expect(result.stderr).not.toMatch(STACK);
  });

  it.runIf(existsSync('/proc/self'))('sample --out in a folder that takes no new files is a usage error', async () => {
    const result = await runCli(['sample', '--out', '/proc/sparkify-nope', '--scale', '0.1'], { env: freshHome('sample-proc') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: cannot write the sample to \/proc\/sparkify-nope: .* \(E[A-Z]+\)$/m);
    expect(result.stderr).not.toContain('.partial-');
    expect(result.stderr).not.toMatch(STACK);
  });
});

describe('warehouse paths that cannot hold the data', () => {
  const sources = ['--song-data', join(COURSE_DATA, 'song_data'), '--log-data', join(COURSE_DATA, 'log_data')];

  it('an empty localDatabase in the config is refused, not opened in memory', async () => {
    const env = freshHome('empty-config-db');
    writeFileSync(join(env.SPARKIFY_HOME, 'config.json'), '{"localDatabase": ""}');
    const result = await runCli(['run', ...sources], { env });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('error: the local warehouse path "" is not a file');
    expect(result.stderr).not.toContain('done in');
  });

  it.each([[''], [':memory:']])('--database-file %j is refused', async (path) => {
    const result = await runCli(['query', '--database-file', path, 'select 1'], { env: freshHome(`flag-db-${path.length}`) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`the local warehouse path ${JSON.stringify(path)} is not a file`);
    expect(result.stdout).toBe('');
  });

  it('a file that is not a DuckDB file, or a folder, is refused by name', async () => {
    const env = freshHome('json-db');
    const json = join(COURSE_DATA, 'log_json_path.json');
    const asJson = await runCli(['query', '--database-file', json, 'select 1'], { env });
    expect(asJson.code).toBe(3);
    expect(asJson.stderr).toContain(`error: the local warehouse ${json} is not a DuckDB file`);
    const folder = await runCli(['query', '--database-file', scratch, 'select 1'], { env });
    expect(folder.code).toBe(3);
    expect(folder.stderr).toContain(`error: the local warehouse ${scratch} is a folder`);
  });

  it('.duckdb, .db and no extension are accepted', async () => {
    const env = freshHome('ok-db');
    for (const name of ['w.duckdb', 'w.db', 'w']) {
      const file = join(env.SPARKIFY_HOME, name);
      expect((await runCli(['create-tables', '--database-file', file], { env })).code, name).toBe(0);
      const result = await runCli(['query', '--format', 'csv', '--database-file', file, 'select 1 as x'], { env });
      expect(result.stdout, name).toBe('x\n1\n');
    }
  });

  it('query on a named warehouse file that is not there says so, and creates nothing', async () => {
    const env = freshHome('missing-db');
    const missing = join(env.SPARKIFY_HOME, 'no-such-dir', 'w.duckdb');
    const result = await runCli(['query', '--database-file', missing, 'select 1'], { env });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`error: there is no local warehouse at ${missing}`);
    expect(result.stderr).toContain('`sparkify run` or `sparkify create-tables` creates it');
    expect(existsSync(join(env.SPARKIFY_HOME, 'no-such-dir'))).toBe(false);
  });
});

describe('a closed output pipe', () => {
  const env = freshHome('pipe');

  /** Runs the CLI with stdout read until the first line, then closed, as `| head -1` does. */
  function readFirstLine(args: string[]): Promise<{ code: number | null; first: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) child.stdout.destroy();
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, first: stdout.split('\n')[0], stderr }));
    });
  }

  it.each([['csv'], ['tsv'], ['json'], ['table']])('--format %s stops quietly and exits 0', async (format) => {
    const result = await readFirstLine(['query', '--format', format, 'select range as n, repeat(\'x\', 40) as s from generate_series(0, 2999999) AS t(range)']);
    expect(result.first).not.toBe('');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('a model table that is not there yet', () => {
  it('query on a fresh home says to run sparkify run first', async () => {
    const env = freshHome('fresh-query');
    for (const sql of ['select count(*) from analytics.f_songplays', 'select count(*) from f_songplays', 'select * from staging.s_events']) {
      const result = await runCli(['query', sql], { env });
      expect(result.code, sql).toBe(5);
      expect(result.stderr, sql).toMatch(/^error: (relation|schema) "[\w.]+" does not exist\n/);
      expect(result.stderr, sql).toContain('  run `sparkify run` (or `sparkify create-tables`) first');
    }
  });

  it('etl --skip-staging with nothing staged says the same', async () => {
    const result = await runCli(['etl', '--skip-staging'], { env: freshHome('fresh-etl') });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('schema "staging" does not exist');
    expect(result.stderr).toContain('  run `sparkify run` (or `sparkify create-tables`) first');
  });

  it('no hint for tables the model does not have, or when the engine names the qualified table', () => {
    expect(missingModelHint('Catalog Error: Table with name nope does not exist!\nDid you mean "pg_enum"?', MODEL_TABLES)).toBeUndefined();
    expect(missingModelHint('Catalog Error: Table with name f_songplays does not exist!\nDid you mean "analytics.f_songplays"?', MODEL_TABLES)).toBeUndefined();
    expect(missingModelHint('Catalog Error: Table with name s_events does not exist!\nDid you mean "s_songs"?', MODEL_TABLES)).toBe(CREATE_TABLES_HINT);
    expect(missingModelHint('Binder Error: Referenced column "x" not found', MODEL_TABLES)).toBeUndefined();
  });
});
