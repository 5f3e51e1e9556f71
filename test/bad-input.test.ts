// Bad input gets a clear message and an exit code, and nothing is lost: after
// each failure the analytics tables are the ones the last good run made.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { COURSE_DATA, REPO, runCli, tempHome } from './helpers/cli.js';
import { copiesOfTheMonth } from './helpers/many-events.js';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import { listSourceFiles } from '../src/pipeline/warehouse/json-load.js';
import { rows, runAll } from './helpers/pipeline.js';
import { startS3 } from './fakes/aws/s3-harness.js';

const home = tempHome();
const env = { SPARKIFY_HOME: home };
const work = tempHome('sparkify-bad-');
const songs = join(COURSE_DATA, 'song_data');
const logs = join(COURSE_DATA, 'log_data');
const jsonpaths = join(COURSE_DATA, 'log_json_path.json');

/** A copy of the course logs with one file changed by `edit`. */
function logsWith(name: string, edit: (lines: string[]) => string[]): string {
  const dir = join(work, name);
  cpSync(logs, dir, { recursive: true });
  const file = join(dir, '2018/11/2018-11-10-events.json');
  writeFileSync(file, edit(readFileSync(file, 'utf8').split('\n')).join('\n'));
  return dir;
}

const analyticsFingerprint = () =>
  runCli(['query', '--format', 'csv', `SELECT (SELECT count(*) FROM analytics.f_songplays) AS plays,
    (SELECT count(*) FROM analytics.d_users) AS users, (SELECT count(*) FROM analytics.d_time) AS times,
    (SELECT sum(strtol(left(md5(CAST(start_time AS VARCHAR) || '|' || coalesce(CAST(user_id AS VARCHAR), '') || '|' || level || '|' || coalesce(song_id, '') || '|' || CAST(session_id AS VARCHAR)), 8), 16)) FROM analytics.f_songplays) AS digest`], { env }).then((r) => r.stdout);

function unreadable(dir: string): boolean {
  try {
    readdirSync(dir);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EACCES';
  }
}

const run = (args: string[]) => runCli(['run', '--song-data', songs, '--log-jsonpaths', jsonpaths, ...args], { env });

describe('bad input', () => {
  let good: string;
  beforeAll(async () => {
    const first = await run(['--log-data', logs]);
    expect(first.code).toBe(0);
    good = await analyticsFingerprint();
    expect(good).toMatch(/^plays,users,times,digest\n6820,97,6813,/);
  });
  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('a malformed JSON line: file and line shown, exit 6, analytics unchanged', async () => {
    const dir = logsWith('malformed', (lines) => {
      lines[4] = lines[4].slice(0, 40);
      return lines;
    });
    const result = await run(['--log-data', dir]);
    expect(result.code).toBe(6);
    expect(result.stderr).toContain(`${join(dir, '2018/11/2018-11-10-events.json')}:5: invalid JSON`);
    expect(result.stderr).toMatch(/COPY into staging\.s_events failed: 1 bad row/);
    expect(result.stderr).toContain('the analytics tables are as they were before this run');
    expect(await analyticsFingerprint()).toBe(good);
  });

  it('a NUL byte inside a line past the first: file and line shown, exit 6, and stl_load_errors keeps the line', async () => {
    const dir = logsWith('nul-byte', (lines) => {
      lines[6] = lines[6].replace('"artist":"', '"artist":"\0');
      return lines;
    });
    const result = await run(['--log-data', dir]);
    expect(result.code, result.stderr).toBe(6);
    expect(result.stderr).toContain(`${join(dir, '2018/11/2018-11-10-events.json')}:7: invalid JSON`);
    const recorded = await runCli(['query', '--format', 'csv', 'SELECT line_number, position(chr(65533) IN raw_line) > 0 AS kept FROM stl_load_errors ORDER BY query DESC LIMIT 1'], { env });
    expect(recorded.stdout).toBe('line_number,kept\n7,true\n');
    expect(await analyticsFingerprint()).toBe(good);
  });

  it('a failed data-quality check exits 8, names the check, and says the new data is in place; a good run replaces it', async () => {
    // "015" and "15" are one user to the warehouse but two to the transform's choice of each user's latest event.
    const dir = logsWith('zero-padded-user', (lines) => [lines[2].replace(/"userId":"(\d+)"/, '"userId":"0$1"'), ...lines.slice(0, 2), ...lines.slice(3)]);
    const result = await run(['--log-data', dir]);
    expect(result.code).toBe(8);
    expect(result.stderr).toMatch(/✗ check: .* rows break it/);
    expect(result.stderr).toContain("the analytics tables hold this run's new data, which did not pass the checks");
    expect(result.stderr).not.toContain('as they were before this run');
    expect(result.stderr).toContain('sql/06_checks.sql');
    expect(await analyticsFingerprint()).not.toBe(good);
    expect((await run(['--log-data', logs])).code).toBe(0);
    expect(await analyticsFingerprint()).toBe(good);
  });

  it('a transform of empty staging (--skip-staging after create-tables) stops before it empties the analytics tables', async () => {
    expect((await runCli(['create-tables'], { env })).code).toBe(0);
    const result = await runCli(['etl', '--skip-staging'], { env });
    expect(result.code).toBe(6);
    expect(result.stderr).toContain('staging.s_events and staging.s_songs are empty: the transform would empty the analytics tables, so it did not run');
    expect(result.stderr).toContain('run without --skip-staging');
    expect(await analyticsFingerprint()).toBe(good);
    expect((await run(['--log-data', logs])).code).toBe(0);
  });

  it('a file that is not JSON at all', async () => {
    const dir = join(work, 'songs-with-notes');
    cpSync(songs, dir, { recursive: true });
    writeFileSync(join(dir, 'A/A/README.txt'), 'these are the songs\n');
    const result = await runCli(['run', '--song-data', dir, '--log-data', logs], { env });
    expect(result.code).toBe(6);
    expect(result.stderr).toContain(`${join(dir, 'A/A/README.txt')}:1: not a JSON object`);
    expect(await analyticsFingerprint()).toBe(good);
  });

  it('a wrong-typed field names the column and the value', async () => {
    const dir = logsWith('wrong-type', (lines) => {
      lines[2] = lines[2].replace(/"ts":\d+/, '"ts":"yesterday"');
      return lines;
    });
    const result = await run(['--log-data', dir]);
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(/2018-11-10-events\.json:3, column ts: expected a number \(BIGINT\), got the string "yesterday" \[value: yesterday\]/);
    expect(await analyticsFingerprint()).toBe(good);
  });

  it("'auto ignorecase' (no jsonpaths file) names a cut-off line by file and line, exit 6", async () => {
    const dir = logsWith('cut-off-ignorecase', (lines) => {
      lines[4] = lines[4].slice(0, 40);
      return lines;
    });
    const result = await runCli(['run', '--song-data', songs, '--log-data', dir], { env });
    expect(result.code).toBe(6);
    expect(result.stderr).toContain(`${join(dir, '2018/11/2018-11-10-events.json')}:5: invalid JSON`);
    expect(result.stderr).not.toMatch(/ignore_errors|auto_detect/);
    expect(await analyticsFingerprint()).toBe(good);
  });

  it('control characters from the data are shown as escapes in the load-error report', async () => {
    const dir = logsWith('control-characters', (lines) => {
      lines[2] = lines[2].replace(/"ts":\d+/, '"ts":"\\u001b]0;owned\\u0007\\u001b[2J"');
      return lines;
    });
    const result = await run(['--log-data', dir]);
    expect(result.code).toBe(6);
    expect(result.stderr).toContain('[value: \\x1b]0;owned\\x07\\x1b[2J]');
    expect(result.stderr).not.toMatch(/[\x07\x1b]/);
  });

  it('a missing source folder', async () => {
    const result = await run(['--log-data', join(work, 'no-such-folder')]);
    expect(result.code).toBe(6);
    expect(result.stderr).toContain(`the source ${join(work, 'no-such-folder')} does not exist`);
    expect(result.stderr).toContain('check the source path');
    expect(await analyticsFingerprint()).toBe(good);
  });

  it('a missing source is reported at once, without walking its parent (here /)', async () => {
    // Taken as a key prefix, /sparkify-no-such-log-data once meant reading all of /.
    const result = await run(['--log-data', '/sparkify-no-such-log-data']);
    expect(result.code).toBe(6);
    expect(result.stderr).toContain('the source /sparkify-no-such-log-data does not exist');
    expect(result.stderr).toContain('check the source path');
    expect(result.stderr).not.toContain('EACCES');
    expect(await analyticsFingerprint()).toBe(good);
  });

  it('a source folder that cannot be read is named, with the reason, as a load error', async (context) => {
    const locked = join(work, 'locked');
    mkdirSync(locked, { recursive: true });
    chmodSync(locked, 0o000);
    // root reads a mode-000 folder; /proc/1/fdinfo is refused even to root in a container.
    const dir = [locked, '/proc/1/fdinfo'].find(unreadable);
    chmodSync(locked, 0o700);
    if (!dir) return context.skip();
    if (dir === locked) chmodSync(locked, 0o000);
    try {
      const result = await run(['--log-data', dir]);
      expect(result.code).toBe(6);
      expect(result.stderr).toContain(`cannot list the folder ${dir}: permission denied (EACCES)`);
      expect(result.stderr).toContain(`that you may read ${dir}`);
    } finally {
      chmodSync(locked, 0o700);
    }
    expect(await analyticsFingerprint()).toBe(good);
  });

  it('a data file that cannot be read is named, with the reason, as a load error, not as a bad row', async (context) => {
    const dir = join(work, 'unreadable-file');
    cpSync(logs, dir, { recursive: true });
    const locked = join(dir, '2018/11/2018-11-10-events.json');
    chmodSync(locked, 0o000);
    // root reads a mode-000 file; /proc/1/environ is refused even to root in a container.
    const refused = (path: string) => {
      try {
        readFileSync(path);
        return false;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'EACCES';
      }
    };
    if (!refused(locked)) {
      rmSync(locked);
      if (!refused('/proc/1/environ')) return context.skip();
      symlinkSync('/proc/1/environ', locked);
    }
    for (const jsonpathsArgs of [['--log-jsonpaths', jsonpaths], []]) {
      const result = await runCli(['run', '--song-data', songs, '--log-data', dir, ...jsonpathsArgs], { env });
      expect(result.code, result.stderr).toBe(6);
      expect(result.stderr).toContain(`COPY into staging.s_events: cannot open ${locked}: permission denied (EACCES)`);
      expect(result.stderr).toContain(`that you may read ${locked}`);
      expect(result.stderr).not.toContain('bad row');
    }
    expect(await analyticsFingerprint()).toBe(good);
  });

  it('an S3 source on a bucket S3 does not have says so (exit 9), before anything is loaded', async () => {
    const s3 = await startS3({ buckets: {} });
    try {
      const result = await runCli(['run', '--song-data', songs, '--log-jsonpaths', jsonpaths, '--log-data', 's3://no-such-bucket/log_data'], { env: { ...env, ...s3.env } });
      expect(result.code).toBe(9);
      expect(result.stderr).toContain('error: there is no S3 bucket for s3://no-such-bucket/log_data');
      expect(result.stderr).toContain('check the bucket name in the source');
      expect(s3.fake.calls('GetObject')).toHaveLength(0);
    } finally {
      await s3.close();
    }
    expect(await analyticsFingerprint()).toBe(good);
  });

  it('an empty source folder', async () => {
    const empty = join(work, 'empty');
    mkdirSync(empty, { recursive: true });
    const result = await run(['--log-data', empty]);
    expect(result.code).toBe(6);
    expect(result.stderr).toContain(`no files under ${empty}`);
    expect(await analyticsFingerprint()).toBe(good);
  });

  it('a source folder of empty files names the folder, exits 6 and keeps the analytics tables', async () => {
    const empty = join(work, 'empty-files');
    mkdirSync(join(empty, '2018/11'), { recursive: true });
    writeFileSync(join(empty, '2018/11/2018-11-01-events.json'), '');
    writeFileSync(join(empty, '2018/11/2018-11-02-events.json'), '');
    const result = await run(['--log-data', empty]);
    expect(result.code).toBe(6);
    expect(result.stderr).toContain(`COPY into staging.s_events: the files under ${empty} hold no rows`);
    expect(result.stderr).toContain('--log-data');
    expect(await analyticsFingerprint()).toBe(good);

    const songs = join(work, 'empty-songs');
    mkdirSync(songs, { recursive: true });
    writeFileSync(join(songs, 'TRAAAAW128F429D538.json'), '');
    const etl = await runCli(['etl', '--song-data', songs, '--log-data', logs, '--log-jsonpaths', jsonpaths], { env });
    expect(etl.code).toBe(6);
    expect(etl.stderr).toContain(`COPY into staging.s_songs: the files under ${songs} hold no rows`);
    expect(await analyticsFingerprint()).toBe(good);
  });

  it('no sources at all says how to give them', async () => {
    const result = await runCli(['run'], { env: { SPARKIFY_HOME: tempHome() } });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('error: no data sources');
    expect(result.stderr).toContain('--song-data');
  });

  it('an unsupported Redshift construct is named', async () => {
    const result = await runCli(['query', "UNLOAD ('select * from analytics.d_users') TO 's3://b/u' IAM_ROLE 'arn:aws:iam::1:role/r'"], { env });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('error: the local warehouse does not support UNLOAD');
    expect(result.stderr).toContain('--target redshift');
  });

  it("a SQL error in query prints the engine's message and exits non-zero", async () => {
    const result = await runCli(['query', 'SELECT no_such_column FROM analytics.d_users'], { env });
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/^error: .*no_such_column/m);
    expect(result.stdout).toBe('');
  });

  /** A process that holds the warehouse file until it is killed; resolves once it holds it. */
  async function holdWarehouse() {
    const holder = spawn(process.execPath, ['-e', `
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const db = await DuckDBInstance.create(${JSON.stringify(join(home, 'warehouse.duckdb'))});
      await db.connect();
      console.log('holding');
      setTimeout(() => {}, 60000);
    `, '--input-type=module'], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => holder.stdout.on('data', (d: Buffer) => d.toString().includes('holding') && resolve()));
    const stop = async () => {
      if (holder.exitCode !== null || holder.signalCode !== null) return;
      holder.kill();
      await new Promise((r) => holder.once('close', r));
    };
    onTestFinished(stop);
    return { pid: holder.pid!, stop };
  }

  it('a write to a warehouse file held by another process gets a lock message', async () => {
    const holder = await holdWarehouse();
    const result = await runCli(['create-tables'], { env });
    expect(result.code).toBe(7);
    expect(result.stderr).toContain(`is in use by another sparkify process (pid ${holder.pid})`);
    expect(result.stderr).toContain('wait for the other run to finish');
    await holder.stop();
    expect(await analyticsFingerprint()).toBe(good);
  });

  it('a query waits for the process that holds the file, saying which, and runs once it lets go', async () => {
    const holder = await holdWarehouse();
    let toldAt = 0;
    const result = await runCli(['query', 'select count(*) as users from analytics.d_users'], {
      env,
      onStderr: (_child, stderr) => {
        if (toldAt === 0 && stderr.includes(`waiting for the run in pid ${holder.pid}`)) {
          toldAt = Date.now();
          void holder.stop();
        }
      },
    });
    expect(result.stderr).toContain('(Ctrl-C stops)');
    expect(toldAt).toBeGreaterThan(0);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/users[\s\S]*\b97\b/);
  });

  it('Ctrl-C stops a query waiting for the file', async () => {
    const holder = await holdWarehouse();
    let interrupted = false;
    const result = await runCli(['query', 'select 1'], {
      env,
      onStderr: (child, stderr) => {
        if (interrupted || !stderr.includes(`waiting for the run in pid ${holder.pid}`)) return;
        interrupted = true;
        child.kill('SIGINT');
      },
    });
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('cancelled while waiting for the local warehouse');
  });

  /** Enough events that the load takes a while: 60 copies of the month, made once and only read. */
  let bigLogs: string | undefined;
  const manyEvents = () => {
    if (bigLogs) return bigLogs;
    return (bigLogs = copiesOfTheMonth(join(work, 'big')));
  };

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} during the load cancels it, keeps the analytics tables, and the next run succeeds`, async () => {
      const big = manyEvents();
      let sent = false;
      const result = await runCli(['run', '--song-data', songs, '--log-data', big, '--log-jsonpaths', jsonpaths], {
        env,
        onStderr: (child, stderr) => {
          // The events step empties the table, then starts its COPY: signal once the emptying is reported.
          if (!sent && stderr.includes('✓ empty staging.s_events')) {
            sent = true;
            child.kill(signal);
          }
        },
      });
      expect(sent).toBe(true);
      expect(result.code).toBe(130);
      expect(result.stderr).toContain('cancelling the running statement');
      expect(result.stderr).toContain('the analytics tables are as they were before this run');
      expect(await analyticsFingerprint()).toBe(good);
      const next = await run(['--log-data', logs]);
      expect(next.code).toBe(0);
      expect(await analyticsFingerprint()).toBe(good);
    });
  }
});

describe('source paths', () => {
  it('a prefix matches the entries of its folder that start with it, and only descends into those', async () => {
    const root = tempHome('sparkify-prefix-');
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    for (const file of ['2018-11-01-events.json', '2018-11-02-events.json', '2018-11-10-events.json', '.hidden-2018.json']) {
      mkdirSync(join(root, 'logs'), { recursive: true });
      writeFileSync(join(root, 'logs', file), '{}');
    }
    mkdirSync(join(root, 'logs', '2018-11-0x', 'deeper'), { recursive: true });
    writeFileSync(join(root, 'logs', '2018-11-0x', 'deeper', 'a.json'), '{}');
    mkdirSync(join(root, 'logs', 'other', '2018-11-09'), { recursive: true });
    writeFileSync(join(root, 'logs', 'other', '2018-11-09', 'b.json'), '{}');
    expect(await listSourceFiles(join(root, 'logs', '2018-11-0'))).toEqual([
      join(root, 'logs', '2018-11-01-events.json'),
      join(root, 'logs', '2018-11-02-events.json'),
      join(root, 'logs', '2018-11-0x', 'deeper', 'a.json'),
    ]);
    expect(await listSourceFiles(join(root, 'logs', 'nothing-like-this'))).toEqual([]);
    expect(await listSourceFiles(join(root, 'no-such-folder', 'x'))).toEqual([]);
  });
});

describe('cancelling the transform', () => {
  it('aborting mid-transform rolls the whole refresh back; the next run succeeds', async () => {
    const warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
    const sources = { songData: songs, logData: logs, logJsonpaths: jsonpaths };
    try {
      expect((await runAll(warehouse, { sources })).finished.ok).toBe(true);
      const before = await rows(warehouse, "SELECT count(*), sum(strtol(left(md5(CAST(start_time AS VARCHAR) || '|' || coalesce(CAST(user_id AS VARCHAR), '') || '|' || coalesce(song_id, '')), 8), 16)) FROM analytics.f_songplays");
      // Load different staging data first, so a half-done refresh would show.
      await warehouse.execute("DELETE FROM staging.s_events WHERE sessionid % 2 = 0");
      expect((await rows(warehouse, "SELECT count(*) FROM staging.s_events"))[0][0]).toBeGreaterThan(1000);
      const controller = new AbortController();
      const { finished, events } = await runAll(
        warehouse,
        { sources, skipStaging: true, scope: 'etl' },
        {
          signal: controller.signal,
          onEvent: (e) => {
            if (e.type === 'statement-started' && e.statementId === 'transform.9') controller.abort();
          },
        },
      );
      expect(events.some((e) => e.type === 'statement-finished' && e.statementId === 'transform.6')).toBe(true);
      expect(finished.ok).toBe(false);
      expect(finished.cancelled).toBe(true);
      expect(await rows(warehouse, "SELECT count(*), sum(strtol(left(md5(CAST(start_time AS VARCHAR) || '|' || coalesce(CAST(user_id AS VARCHAR), '') || '|' || coalesce(song_id, '')), 8), 16)) FROM analytics.f_songplays")).toEqual(before);
      expect(await rows(warehouse, 'SELECT count(*) FROM analytics.d_users')).toEqual([[97]]);
      const next = await runAll(warehouse, { sources });
      expect(next.finished.ok).toBe(true);
      expect(next.finished.tableRows?.['analytics.f_songplays']).toBe(6820);
    } finally {
      await warehouse.close();
    }
  });
});
