// The table a local COPY loads is found as Redshift finds it: names fold to
// lower case, public is the main schema, an unqualified name follows the
// search path, and a missing table is named in Redshift's words.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempHome } from './helpers/cli.js';
import { rows } from './helpers/pipeline.js';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';

const work = tempHome('sparkify-copy-target-');
afterAll(() => rmSync(work, { recursive: true, force: true }));
const source = join(work, 'plays');
mkdirSync(source, { recursive: true });
writeFileSync(join(source, 'a.json'), '{"id": 1, "name": "one"}\n{"id": 2, "name": "two"}\n');

let warehouse: DuckDbWarehouse;
beforeEach(async () => {
  warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
});
afterEach(() => warehouse.close());

describe('the target of a local COPY', () => {
  it('a name written in capitals loads the table created in lower case, as Redshift folds both', async () => {
    await warehouse.execute('CREATE TABLE stage_plays (id INTEGER, name VARCHAR(8))');
    await warehouse.execute(`COPY STAGE_PLAYS FROM '${source}' FORMAT AS JSON 'auto'`);
    await warehouse.execute('CREATE TABLE Mixed_Plays (id INTEGER, name VARCHAR(8))');
    await warehouse.execute(`COPY mixed_plays FROM '${source}' JSON 'auto'`);
    expect(await rows(warehouse, 'SELECT (SELECT count(*) FROM stage_plays), (SELECT count(*) FROM mixed_plays)')).toEqual([[2, 2]]);
  });

  it('public.t is the main schema, and an unqualified name is the first of its name on the search path', async () => {
    await warehouse.execute('CREATE TABLE public.plays (id INTEGER, name VARCHAR(8))');
    await warehouse.execute(`COPY public.plays FROM '${source}' JSON 'auto'`);
    const session = await warehouse.openSession();
    await session.execute('CREATE SCHEMA dwh');
    await session.execute('CREATE TABLE dwh.plays (id INTEGER, name VARCHAR(8))');
    await session.execute('SET search_path TO dwh, public');
    await session.execute(`COPY plays FROM '${source}' JSON 'auto'`);
    await session.close();
    expect(await rows(warehouse, 'SELECT (SELECT count(*) FROM main.plays), (SELECT count(*) FROM dwh.plays)')).toEqual([[2, 2]]);
  });

  it('a table that does not exist fails as Redshift words it', async () => {
    await expect(warehouse.execute(`COPY Missing_Plays FROM '${source}' JSON 'auto'`)).rejects.toThrow('relation "missing_plays" does not exist');
  });
});

describe('svv_table_info', () => {
  it('lists the local tables with the ids stl_load_errors names them by, whatever case the COPY wrote', async () => {
    await warehouse.execute('CREATE TABLE narrow_plays (id INTEGER, name VARCHAR(2))');
    await warehouse.execute(`COPY NARROW_PLAYS FROM '${source}' JSON 'auto' MAXERROR 10`);
    expect(await rows(warehouse, `SELECT "table", schema, e.colname, count(*) FROM stl_load_errors e JOIN svv_table_info ON table_id = tbl GROUP BY 1, 2, 3`)).toEqual([
      ['narrow_plays', 'public', 'name', 2],
    ]);
    expect(await rows(warehouse, "SELECT count(*) FROM svv_table_info WHERE \"table\" IN ('narrow_plays', 'stl_load_errors')")).toEqual([[1]]);
  });
});
