// The window the SQL prompt keeps over a query result, on a real DuckDB result:
// pages read as it scrolls, rows scrolled past dropped, a re-run to go back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import { ResultWindow, isReadOnlyStatement } from '../src/ui/components/result-window.js';

const MILLION = 'select i as n, i * 2 as twice from generate_series(0, 999999) t(i) order by i';
let warehouse: DuckDbWarehouse;

beforeAll(async () => {
  warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
});

afterAll(async () => {
  await warehouse.close();
});

describe('ResultWindow', () => {
  it('reads only the pages it needs and keeps at most maxCachedRows while scrolling a million rows', async () => {
    const window = new ResultWindow(await warehouse.query(MILLION, { pageSize: 500 }), { maxCachedRows: 2000 });
    const first = await window.rows(0, 20);
    expect(first.rows.map((r) => r[0])).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(window.rowsRead).toBe(500);
    expect(window.totalRows).toBeUndefined();

    let largestCache = 0;
    for (let offset = 0; offset < 200_000; offset += 20) {
      const { start, rows } = await window.rows(offset, 20);
      expect(start).toBe(offset);
      expect(rows[0][0]).toBe(offset);
      largestCache = Math.max(largestCache, window.cachedRows);
    }
    expect(largestCache).toBeLessThanOrEqual(2000 + 500);

    const total = await window.readToEnd();
    expect(total).toBe(1_000_000);
    expect(window.totalRows).toBe(1_000_000);
    expect(window.cachedRows).toBeLessThanOrEqual(2000 + 500);
    const last = await window.rows(999_990, 20);
    expect(last.start).toBe(999_980);
    expect(last.rows.at(-1)).toEqual([999_999, 1_999_998]);
    await window.close();
  });

  it('re-runs a read-only query to scroll back before the cache, and keeps the known count', async () => {
    const window = new ResultWindow(await warehouse.query(MILLION, { pageSize: 500 }), {
      maxCachedRows: 1000,
      reopen: () => warehouse.query(MILLION, { pageSize: 500 }),
    });
    await window.readToEnd();
    expect(window.peek(0, 10)).toBeUndefined();
    const back = await window.rows(0, 10);
    expect(back.rows.map((r) => r[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(window.totalRows).toBe(1_000_000);
    await window.close();
  });

  it('without a re-run, stops at the first cached row', async () => {
    const window = new ResultWindow(await warehouse.query(MILLION, { pageSize: 500 }), { maxCachedRows: 1000 });
    await window.rows(5000, 10);
    const back = await window.rows(0, 10);
    expect(back.start).toBeGreaterThan(0);
    expect(back.rows[0][0]).toBe(back.start);
    await window.close();
  });

  it('lets go of the engine on release, so another query can run, and reads on by re-running', async () => {
    const window = new ResultWindow(await warehouse.query(MILLION, { pageSize: 500 }), {
      reopen: () => warehouse.query(MILLION, { pageSize: 500 }),
    });
    await window.rows(0, 10);
    expect(window.holdsEngine).toBe(true);
    await window.release();
    expect(window.holdsEngine).toBe(false);
    const other = await warehouse.query('select 42 as answer');
    const pages = [];
    for await (const page of other.pages()) pages.push(...page);
    expect(pages).toEqual([[42]]);
    const further = await window.rows(990, 20);
    expect(further.rows.map((r) => r[0])).toEqual(Array.from({ length: 20 }, (_, i) => 990 + i));
    await window.close();
  });
});

describe('ResultWindow row count', () => {
  it('knows a result is complete from a short page, and from one page more after a full one', async () => {
    const short = new ResultWindow(await warehouse.query('select i from generate_series(0, 25) t(i)', { pageSize: 500 }), { pageSize: 500 });
    await short.rows(0, 15);
    expect(short.totalRows).toBe(26);
    await short.close();

    const onePage = new ResultWindow(await warehouse.query('select i from generate_series(0, 499) t(i)', { pageSize: 500 }), { pageSize: 500 });
    await onePage.rows(0, 15);
    expect(onePage.totalRows).toBeUndefined();
    await onePage.readAhead();
    expect(onePage.totalRows).toBe(500);
    await onePage.close();

    const long = new ResultWindow(await warehouse.query(MILLION, { pageSize: 500 }), { pageSize: 500 });
    await long.rows(0, 15);
    await long.readAhead();
    expect(long.totalRows).toBeUndefined();
    expect(long.rowsRead).toBe(1000);
    await long.close();
  });

  it('counts every row when read to the end after letting go of the result', async () => {
    const sql = 'select i from generate_series(0, 4999) t(i) order by i';
    const window = new ResultWindow(await warehouse.query(sql, { pageSize: 500 }), { reopen: () => warehouse.query(sql, { pageSize: 500 }) });
    await window.rows(0, 10);
    await window.release();
    expect(await window.readToEnd()).toBe(5000);
    expect(window.totalRows).toBe(5000);
    const last = await window.rows(4990, 10);
    expect(last.rows.at(-1)).toEqual([4999]);
    await window.close();
  });
});

describe('isReadOnlyStatement', () => {
  it.each([
    ['select 1', true],
    ['  -- top songs\nWITH t AS (select 1) select * from t', true],
    ['values (1)', true],
    ['insert into t select 1', false],
    ['with x as (select 1) insert into t select * from x', false],
    ['create table t as select 1', false],
    ['delete from t', false],
    ["select * from t where note = 'drop' -- not an update", true],
  ])('%s → %s', (sql, expected) => {
    expect(isReadOnlyStatement(sql)).toBe(expected);
  });
});
