// What the SQL prompt's ink tests share: one in-memory DuckDB warehouse per
// file, seeded once, and a fresh SPARKIFY_HOME per test, with the rendered
// screens unmounted and the home removed after each.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { DuckDbWarehouse, type DuckDbOptions } from '../../src/pipeline/warehouse/duckdb.js';

export interface SqlPromptFixture {
  readonly warehouse: DuckDbWarehouse;
  readonly home: string;
}

/** Registers the hooks; `name` marks the temporary homes, `seed` is run once on the warehouse, opened with `options`. */
export function sqlPromptFixture(name: string, seed: string[] = [], options: Omit<DuckDbOptions, 'path'> = {}): SqlPromptFixture {
  let warehouse: DuckDbWarehouse | undefined;
  let home: string | undefined;
  beforeAll(async () => {
    warehouse = await DuckDbWarehouse.open({ ...options, path: ':memory:' });
    for (const sql of seed) await warehouse.execute(sql);
  });
  afterAll(async () => {
    await warehouse?.close();
  });
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), `sparkify-${name}-`));
  });
  afterEach(async () => {
    cleanup();
    if (home) await rm(home, { recursive: true, force: true });
  });
  return {
    get warehouse() {
      if (!warehouse) throw new Error('the warehouse opens in beforeAll');
      return warehouse;
    },
    get home() {
      if (!home) throw new Error('the home is made in beforeEach');
      return home;
    },
  };
}
