// The search path on the local engine: unqualified names resolve in
// analytics, staging, public (or the configured list), on a file opened fresh
// and on one whose schemas do not exist yet.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveTarget } from '../src/pipeline/connect.js';
import { DEFAULT_SEARCH_PATH, parseSearchPath, searchPathStatement } from '../src/pipeline/search-path.js';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import type { Warehouse } from '../src/pipeline/warehouse/types.js';

async function firstValue(warehouse: Warehouse, sql: string): Promise<unknown> {
  const result = await warehouse.query(sql);
  for await (const page of result.pages()) return page[0]?.[0];
  return undefined;
}

describe('search path', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'sparkify-search-path-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('is read from a comma-separated list and set to the schemas that exist', () => {
    expect(parseSearchPath(' analytics , "Staging",, public ')).toEqual(['analytics', 'Staging', 'public']);
    expect(searchPathStatement(DEFAULT_SEARCH_PATH, new Set(['analytics']))).toBe('SET search_path TO analytics, public');
    expect(searchPathStatement(['Odd Name', 'staging'], new Set(['odd name', 'staging']))).toBe('SET search_path TO "Odd Name", staging');
    expect(searchPathStatement(['analytics'], new Set())).toBeUndefined();
  });

  it('takes the configured list for the local target', () => {
    const config = { target: 'local' as const, sources: {}, redshift: {} };
    expect(resolveTarget({}, { ...config, searchPath: 'staging, analytics' }, folder)).toMatchObject({ searchPath: ['staging', 'analytics'] });
    expect(resolveTarget({}, config, folder)).toMatchObject({ searchPath: undefined });
  });

  it('resolves unqualified names in analytics, then staging, once the file has the schemas', async () => {
    const path = join(folder, 'warehouse.duckdb');
    const fresh = await DuckDbWarehouse.open({ path, searchPath: DEFAULT_SEARCH_PATH });
    // No schema of the path exists yet: the file opens and answers all the same.
    expect(await firstValue(fresh, 'select 1')).toBe(1);
    await fresh.execute('create schema analytics');
    await fresh.execute('create schema staging');
    await fresh.execute('create table analytics.d_users as select 1 as user_id union all select 2');
    await fresh.execute('create table staging.s_events as select 7 as ts');
    await fresh.close();

    const warehouse = await DuckDbWarehouse.open({ path, searchPath: DEFAULT_SEARCH_PATH, idleCloseMs: 10 });
    try {
      expect(await firstValue(warehouse, 'select count(*) from d_users')).toBe(2);
      expect(await firstValue(warehouse, 'select ts from s_events')).toBe(7);
      const session = await warehouse.openSession();
      try {
        expect(await firstValue(session as unknown as Warehouse, 'select count(*) from d_users')).toBe(2);
      } finally {
        await session.close();
      }
    } finally {
      await warehouse.close();
    }

    const without = await DuckDbWarehouse.open({ path });
    try {
      await expect(firstValue(without, 'select count(*) from d_users')).rejects.toThrow(/d_users/);
    } finally {
      await without.close();
    }
  });
});
