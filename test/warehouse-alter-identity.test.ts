// A user's ALTER TABLE of a table with an IDENTITY column must leave a
// warehouse that opens again when the process dies before DuckDB checkpoints:
// the file and its write-ahead log, copied while the warehouse is open, are
// what a killed process leaves behind.
import { copyFileSync, existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';

const dir = mkdtempSync(join(tmpdir(), 'sparkify-alter-'));
const opened: DuckDbWarehouse[] = [];
afterAll(async () => {
  for (const w of opened) await w.close();
});

const rows = async (warehouse: DuckDbWarehouse, sql: string) => {
  const result = await warehouse.query(sql);
  const out = [];
  for await (const page of result.pages()) out.push(...page);
  return out;
};

/** The warehouse file and its log as a process killed now would leave them, at a path of their own. */
function crashCopy(path: string, name: string): string {
  expect(existsSync(`${path}.wal`) && statSync(`${path}.wal`).size > 0).toBe(true);
  const copy = join(dir, name);
  copyFileSync(path, copy);
  copyFileSync(`${path}.wal`, `${copy}.wal`);
  return copy;
}

const CREATE = `CREATE TABLE staging_songs (id INT IDENTITY(0,1), title VARCHAR(10) NOT NULL, plays INT DEFAULT 7) DISTKEY(title) SORTKEY(plays)`;

describe('ALTER TABLE of a table with an IDENTITY column', () => {
  it("DuckDB's own column ALTER leaves a log it cannot replay (why the local engine never runs one)", async () => {
    const path = join(dir, 'raw.duckdb');
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    await connection.run("CREATE SEQUENCE s START 1");
    await connection.run("CREATE TABLE t (id BIGINT DEFAULT nextval('s'), a INTEGER)");
    await connection.run('CHECKPOINT');
    await connection.run('ALTER TABLE t ADD COLUMN b INTEGER');
    const copy = crashCopy(path, 'raw-crashed.duckdb');
    connection.closeSync();
    instance.closeSync();
    await expect(DuckDBInstance.create(copy)).rejects.toThrow(/replaying WAL/);
  });

  it('adds, alters, renames and drops columns; the warehouse opens again from its log with the rows, the identity and the defaults', async () => {
    const path = join(dir, 'w.duckdb');
    const warehouse = await DuckDbWarehouse.open({ path });
    opened.push(warehouse);
    await warehouse.execute(CREATE);
    await warehouse.execute("INSERT INTO staging_songs (title) VALUES ('a'), ('b')");
    await warehouse.execute('CHECKPOINT');
    for (const sql of [
      "ALTER TABLE staging_songs ADD COLUMN artist VARCHAR(20) ENCODE zstd DEFAULT 'x'",
      'ALTER TABLE staging_songs ALTER COLUMN title TYPE VARCHAR(30)',
      'ALTER TABLE staging_songs RENAME COLUMN plays TO listens',
      'ALTER TABLE staging_songs DROP COLUMN artist',
      'ALTER TABLE staging_songs ADD COLUMN year INT',
      // Storage and constraint actions are accepted and do nothing locally.
      'ALTER TABLE staging_songs ALTER DISTKEY listens',
      'ALTER TABLE staging_songs ALTER COMPOUND SORTKEY (title, listens)',
      'ALTER TABLE staging_songs ALTER DISTSTYLE EVEN',
      'ALTER TABLE staging_songs ALTER COLUMN title ENCODE lzo',
      'ALTER TABLE staging_songs ADD PRIMARY KEY (id)',
    ]) {
      expect((await warehouse.execute(sql)).rowsAffected).toBeNull();
    }
    await warehouse.execute("INSERT INTO staging_songs (title, year) VALUES ('c', 2018)");
    const copy = crashCopy(path, 'crashed.duckdb');
    const reopened = await DuckDbWarehouse.open({ path: copy });
    opened.push(reopened);
    expect(await rows(reopened, 'SELECT id, title, listens, year FROM staging_songs ORDER BY id')).toEqual([
      [0, 'a', 7, null],
      [1, 'b', 7, null],
      [2, 'c', 7, 2018],
    ]);
    // The identity goes on from where it was, and NOT NULL still holds.
    await reopened.execute("INSERT INTO staging_songs (title) VALUES ('d')");
    expect(await rows(reopened, "SELECT id FROM staging_songs WHERE title = 'd'")).toEqual([[3]]);
    await expect(reopened.execute('INSERT INTO staging_songs (year) VALUES (1)')).rejects.toThrow(/title/);
  });

  it('inside a transaction, rolls back with it', async () => {
    const warehouse = await DuckDbWarehouse.open({ path: join(dir, 'tx.duckdb') });
    opened.push(warehouse);
    await warehouse.execute(CREATE);
    const session = await warehouse.openSession();
    await session.execute('BEGIN');
    await session.execute('ALTER TABLE staging_songs ADD COLUMN year INT');
    await session.execute('ROLLBACK');
    await session.close();
    expect((await rows(warehouse, "SELECT column_name FROM information_schema.columns WHERE table_name = 'staging_songs' ORDER BY ordinal_position")).flat()).toEqual([
      'id', 'title', 'plays',
    ]);
  });
});
