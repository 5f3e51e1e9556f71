// An INSERT that names no columns and gives fewer values than the table has
// columns fills the first columns and gives the rest their defaults, as
// Redshift does, through real DuckDB.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rows } from './helpers/pipeline.js';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import { insertWithoutColumnList, withColumnList } from '../src/pipeline/sql/insert-columns.js';

let warehouse: DuckDbWarehouse;
beforeEach(async () => {
  warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
  await warehouse.execute(`CREATE TABLE genres (genre_id SMALLINT NOT NULL DEFAULT 0, family VARCHAR(10) DEFAULT 'Other',
    label VARCHAR(20) DEFAULT 'Unsorted', added TIMESTAMP DEFAULT GETDATE(), PRIMARY KEY (genre_id))`);
});
afterEach(() => warehouse.close());

describe('INSERT with fewer values than columns', () => {
  it('VALUES rows fill the first columns; the rest take their defaults', async () => {
    await warehouse.execute("INSERT INTO genres VALUES (1, 'Rock')");
    await warehouse.execute("insert into genres values (2, 'Jazz'), (3, 'Folk')");
    await warehouse.execute('INSERT INTO genres VALUES (4)');
    expect(await rows(warehouse, 'SELECT genre_id, family, label, added IS NOT NULL FROM genres ORDER BY 1')).toEqual([
      [1, 'Rock', 'Unsorted', true], [2, 'Jazz', 'Unsorted', true], [3, 'Folk', 'Unsorted', true], [4, 'Other', 'Unsorted', true],
    ]);
  });

  it('a query gives the first columns, and an IDENTITY column past them takes its next value', async () => {
    await warehouse.execute("CREATE TABLE plays (title VARCHAR(20), play_id INT IDENTITY(1,1), source VARCHAR(8) DEFAULT 'log')");
    await warehouse.execute("INSERT INTO plays SELECT 'Intro'");
    await warehouse.execute("INSERT INTO plays WITH t AS (SELECT 'Outro' AS x) SELECT x FROM t");
    await warehouse.execute("INSERT INTO plays (SELECT 'Coda')");
    expect(await rows(warehouse, 'SELECT title, play_id, source FROM plays ORDER BY play_id')).toEqual([
      ['Intro', 1, 'log'], ['Outro', 2, 'log'], ['Coda', 3, 'log'],
    ]);
  });

  it('works inside a transaction, and leaves full rows, column lists and too many values as they were', async () => {
    const session = await warehouse.openSession();
    await session.execute('BEGIN');
    await session.execute("INSERT INTO genres VALUES (5, 'Pop')");
    await session.execute("INSERT INTO genres (genre_id, label) VALUES (6, 'Six')");
    await session.execute("INSERT INTO genres VALUES (7, 'Soul', 'Seven', TIMESTAMP '2020-01-01 00:00:00')");
    await session.execute('COMMIT');
    await session.close();
    expect(await rows(warehouse, 'SELECT genre_id, family, label FROM genres ORDER BY 1')).toEqual([[5, 'Pop', 'Unsorted'], [6, 'Other', 'Six'], [7, 'Soul', 'Seven']]);
    await expect(warehouse.execute("INSERT INTO genres VALUES (8, 'a', 'b', NULL, 'extra')")).rejects.toThrow();
  });

  it('finds the INSERTs that name no columns on tokens', () => {
    expect(insertWithoutColumnList('INSERT INTO s.t VALUES (1, (2 + 3), \'a,b\')')).toEqual({ table: 's.t', body: "VALUES (1, (2 + 3), 'a,b')", valuesWidth: 3 });
    expect(insertWithoutColumnList('INSERT INTO "T" (SELECT 1)')).toEqual({ table: '"T"', body: '(SELECT 1)', valuesWidth: undefined });
    expect(insertWithoutColumnList('INSERT INTO t (a, b) VALUES (1, 2)')).toBeUndefined();
    expect(insertWithoutColumnList('INSERT INTO t DEFAULT VALUES')).toBeUndefined();
    expect(withColumnList('insert into t values (1)', ['"a"'])).toBe('insert into t ("a") values (1)');
  });
});
