// A late-binding view over tables that do not exist yet is made, as Redshift
// makes it, and answers once they do, in this command or a later one,
// through real DuckDB.
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempHome } from './helpers/cli.js';
import { rows } from './helpers/pipeline.js';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import { lateBindingView } from '../src/pipeline/sql/late-views.js';

const work = tempHome('sparkify-late-views-');
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('late-binding views over tables not made yet', () => {
  it('the view is made at once and answers when its table exists, also from a later command', async () => {
    const path = join(work, 'late.duckdb');
    const first = await DuckDbWarehouse.open({ path });
    await first.execute('CREATE VIEW plays_per_level AS SELECT level, count(*) AS plays FROM public.plays GROUP BY level WITH NO SCHEMA BINDING');
    await first.execute('CREATE VIEW paid_plays AS SELECT plays FROM plays_per_level WHERE level = \'paid\' WITH NO SCHEMA BINDING');
    await expect(first.query('SELECT * FROM plays_per_level')).rejects.toThrow('relation "plays_per_level" does not exist');
    await first.close();
    const second = await DuckDbWarehouse.open({ path });
    await second.execute('CREATE TABLE plays (level VARCHAR(4), song VARCHAR(20))');
    await second.execute("INSERT INTO plays VALUES ('paid', 'a'), ('free', 'b'), ('paid', 'c')");
    expect(await rows(second, 'SELECT level, plays FROM plays_per_level ORDER BY level')).toEqual([['free', 1], ['paid', 2]]);
    expect(await rows(second, 'SELECT plays FROM paid_plays')).toEqual([[2]]);
    await second.close();
  });

  it('a table made inside a transaction makes the view when the transaction commits', async () => {
    const warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
    const session = await warehouse.openSession();
    await session.execute('CREATE VIEW later_v AS SELECT n FROM later_t WITH NO SCHEMA BINDING');
    await session.execute('BEGIN');
    await session.execute('CREATE TABLE later_t (n INT)');
    await session.execute('INSERT INTO later_t VALUES (4)');
    await session.execute('COMMIT');
    await session.close();
    expect(await rows(warehouse, 'SELECT n FROM later_v')).toEqual([[4]]);
    await warehouse.close();
  });

  it('reads the view name and the relations it reads on tokens, without the names a WITH clause defines', () => {
    expect(lateBindingView('CREATE OR REPLACE VIEW "Dwh".v AS WITH recent AS (SELECT * FROM s.Events) SELECT * FROM recent JOIN users u ON true WITH NO SCHEMA BINDING'))
      .toEqual({ name: 'dwh.v', relations: ['s.events', 'users'] });
    expect(lateBindingView('CREATE VIEW v AS SELECT 1')).toBeUndefined();
  });
});
