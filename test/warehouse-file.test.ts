// What the warehouse file and its disk do to a command: a damaged file, a
// file in use, a read-only file system and a full disk each get their own
// message and exit code, and a run after space is freed succeeds.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DamagedWarehouseError, DiskError, ExitCode, LockError } from '../src/pipeline/errors.js';
import { parseEngineError, warehouseFileError } from '../src/pipeline/warehouse/duckdb-errors.js';
import { DuckDbWarehouse, engineMemoryLimit } from '../src/pipeline/warehouse/duckdb.js';
import { openWarehouse, resolveTarget } from '../src/pipeline/connect.js';
import { ConfigStore } from '../src/pipeline/config-store.js';
import { COURSE_DATA, COURSE_TABLE_ROWS, runCli, tempHome } from './helpers/cli.js';
import { canMount, mountSmallDisk, type SmallDisk } from './helpers/mount.js';

const scratch = tempHome('sparkify-warehouse-file-');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const env = { SPARKIFY_HOME: join(scratch, 'home') };
const sources = ['--song-data', join(COURSE_DATA, 'song_data'), '--log-data', join(COURSE_DATA, 'log_data')];

describe('engine errors by kind', () => {
  it('a checksum error naming a block is damage, not a lock', () => {
    const message = 'IO Error: Corrupt database file: computed checksum 1 does not match stored checksum 2 in block at location 274432';
    expect(parseEngineError(message)).toMatchObject({ kind: 'IO', code: undefined });
    const error = warehouseFileError(new Error(message), '/w.duckdb');
    expect(error).toBeInstanceOf(DamagedWarehouseError);
    expect(error?.exitCode).toBe(ExitCode.damaged);
  });

  it('a lock conflict is a lock; a catalog error that mentions a lock is not', () => {
    const lock = 'IO Error: Could not set lock on file "/w.duckdb": Conflicting lock is held in /usr/bin/node (PID 1)';
    expect(warehouseFileError(new Error(lock), '/w.duckdb')).toBeInstanceOf(LockError);
    expect(warehouseFileError(new Error('Catalog Error: Table with name block_lock does not exist!'), '/w.duckdb')).toBeUndefined();
  });

  it('the system reason at the end of an I/O failure gives the kind, whatever the class', () => {
    const full = 'TransactionContext Error: Failed to commit: Could not write file "/d/w.duckdb.wal": No space left on device';
    expect(parseEngineError(full)).toMatchObject({ kind: 'TransactionContext', code: 'ENOSPC' });
    expect(warehouseFileError(new Error(full), '/d/w.duckdb')).toBeInstanceOf(DiskError);
    expect(parseEngineError('IO Error: Cannot open file "/d/w.duckdb": Read-only file system').code).toBe('EROFS');
  });
});

describe('the engine memory limit and temporary directory', () => {
  const MIB = 1024 * 1024;
  it('takes a quarter of the machine memory, between 256 MiB and 640 MiB', () => {
    expect(engineMemoryLimit(24 * 1024 * MIB)).toBe(640 * MIB);
    expect(engineMemoryLimit(2 * 1024 * MIB)).toBe(512 * MIB);
    expect(engineMemoryLimit(512 * MIB)).toBe(256 * MIB);
  });

  it('the local warehouse opens with that limit and spills under the sparkify home', async () => {
    const home = tempHome();
    const warehouse = await openWarehouse(resolveTarget({}, new ConfigStore(home).read(), home));
    try {
      const result = await warehouse.query("SELECT current_setting('memory_limit') AS memory_limit, current_setting('temp_directory') AS temp_directory");
      const settings: Record<string, unknown> = {};
      for await (const page of result.pages()) for (const row of page) result.columns.forEach((column, i) => (settings[column.name] = row[i]));
      expect(settings).toEqual({ memory_limit: `${engineMemoryLimit() / MIB}.0 MiB`, temp_directory: join(home, 'tmp') });
    } finally {
      await warehouse.close();
    }
  });

  it('makes a missing spill folder (0700) and spills into it', async () => {
    const home = tempHome();
    const spill = join(home, 'not', 'yet', 'tmp');
    const warehouse = await DuckDbWarehouse.open({ path: join(home, 'w.duckdb'), tempDirectory: spill, memoryLimitBytes: 128 * MIB });
    try {
      expect(statSync(spill).mode & 0o777).toBe(0o700);
      // About 200 MB to sort under a 128 MiB limit: it only succeeds by spilling.
      await warehouse.execute('CREATE TABLE big AS SELECT md5(CAST(i AS VARCHAR)) || md5(CAST(i + 1 AS VARCHAR)) AS m FROM generate_series(1, 2000000) AS t(i)');
      const result = await warehouse.query('SELECT count(DISTINCT m) FROM (SELECT m FROM big ORDER BY m) AS sorted');
      const counts: unknown[] = [];
      for await (const page of result.pages()) for (const [n] of page) counts.push(Number(n));
      expect(counts).toEqual([2000000]);
    } finally {
      await warehouse.close();
    }
  });
});

describe('a damaged warehouse file', () => {
  it('is reported as damaged (exit 12) with what to do, not as in use', async () => {
    const path = join(scratch, 'damaged.duckdb');
    const warehouse = await DuckDbWarehouse.open({ path });
    await warehouse.execute('create table t as select range as a, md5(range::varchar) as b from generate_series(0, 199999) AS t(range)');
    await warehouse.close();
    const bytes = readFileSync(path);
    for (let i = 3 * 4096; i < bytes.length; i += 512) bytes[i] = bytes[i] ^ 0xff;
    writeFileSync(path, bytes);
    const result = await runCli(['query', '--database-file', path, 'select max(b), sum(a) from t'], { env });
    expect(result.stderr).toContain(`error: the local warehouse ${path} is damaged:`);
    expect(result.stderr).not.toContain('in use by another');
    expect(result.stderr).toContain(`mv ${path} ${path}.damaged`);
    expect(result.code).toBe(ExitCode.damaged);
  });
});

describe('a warehouse path that is not a file', () => {
  it('a named pipe or a device is a config error naming it, not a hang or an fsync failure', async () => {
    const fifo = join(scratch, 'pipe.duckdb');
    execFileSync('mkfifo', [fifo]);
    const device = join(scratch, 'null.duckdb');
    symlinkSync('/dev/null', device);
    for (const [path, kind] of [[fifo, 'a named pipe'], [device, 'a device']]) {
      const result = await runCli(['query', '--database-file', path, 'select 1 as x'], { env });
      expect(result.stderr).toContain(`error: the local warehouse ${path} is ${kind}, not a DuckDB file`);
      expect(result.code).toBe(ExitCode.config);
    }
  });
});

describe.runIf(canMount)('a small disk', () => {
  let disk: SmallDisk | undefined;
  afterEach(() => {
    disk?.unmount();
    disk = undefined;
  });

  it('read-only: queries read the file, writes say the file system is read-only (exit 11)', async () => {
    disk = mountSmallDisk('8m');
    const file = join(disk.path, 'w.duckdb');
    expect((await runCli(['run', ...sources, '--database-file', file], { env })).code).toBe(0);
    disk.remount('ro');
    const query = await runCli(['query', '--format', 'csv', '--database-file', file, 'select count(*) as n from analytics.f_songplays'], { env });
    expect(query.stderr).toBe('');
    expect(query.stdout).toBe(`n\n${COURSE_TABLE_ROWS['analytics.f_songplays']}\n`);
    expect(query.code).toBe(0);
    const run = await runCli(['run', ...sources, '--database-file', file], { env });
    expect(run.stderr).toContain(`error: the file system ${disk.path} holding the local warehouse ${file} is read-only`);
    expect(run.stderr).not.toContain('damaged');
    expect(run.code).toBe(ExitCode.disk);
  });

  it('full during the load or the transform: exit 11, the disk and the space named; a run after space is freed succeeds', async () => {
    disk = mountSmallDisk('16m');
    const file = join(disk.path, 'w.duckdb');
    expect((await runCli(['create-tables', '--database-file', file], { env })).code).toBe(0);
    const filler = disk.fill(64 * 1024);
    const load = await runCli(['run', ...sources, '--database-file', file], { env });
    expect(load.stderr).toMatch(new RegExp(`failed at load staging\\.s_\\w+: no space left on the disk ${disk.path} \\([\\d.]+ KB free\\) holding the local warehouse ${file}`));
    expect(load.stderr).toMatch(new RegExp(`free space on ${disk.path} \\(this step writes about [\\d.]+ [KM]B\\)`));
    expect(load.stderr).not.toContain('fix or remove the rows shown');
    expect(load.code).toBe(ExitCode.disk);

    rmSync(filler);
    expect((await runCli(['etl', ...sources, '--database-file', file], { env })).code).toBe(0);
    disk.fill(64 * 1024);
    const transform = await runCli(['etl', '--skip-staging', '--database-file', file], { env });
    expect(transform.stderr).toMatch(new RegExp(`failed at transform analytics\\.\\w+: no space left on the disk ${disk.path}`));
    expect(transform.stderr).toContain('this step writes about');
    expect(transform.code).toBe(ExitCode.disk);

    rmSync(filler);
    const again = await runCli(['run', ...sources, '--database-file', file], { env });
    expect(again.code).toBe(0);
    const count = await runCli(['query', '--format', 'csv', '--database-file', file, 'select count(*) as n from analytics.d_users'], { env });
    expect(count.stdout).toBe(`n\n${COURSE_TABLE_ROWS['analytics.d_users']}\n`);
  });
});
