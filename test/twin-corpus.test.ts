// The documented-examples corpus (test/twin/corpus) on the local engine and
// through the Data API fake, which runs the same rewrite on DuckDB. The pass
// count may only go up: test/twin/floor.json holds the count reached.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import { RedshiftDataWarehouse } from '../src/pipeline/warehouse/redshift-data.js';
import { startDataApi, applyTestCredentials, type DataApiHarness } from './fakes/aws/data-api-harness.js';
import { describeResults, loadCorpus, runCorpus, sameValue, type ExampleResult } from './twin/corpus.js';

const floor = (JSON.parse(readFileSync(join(import.meta.dirname, 'twin', 'floor.json'), 'utf8')) as { passing: number }).passing;
const passing = (results: ExampleResult[]) => results.filter((r) => r.outcome.kind === 'pass').length;

describe('the documented examples corpus', () => {
  it('holds at least 200 examples, each with SQL, rows and the page it comes from', () => {
    const corpus = loadCorpus();
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    for (const example of corpus) {
      expect(example.source).toBeTruthy();
      expect(example.sql).toMatch(/^(select|with)\b/i);
      expect(example.rows.length).toBeGreaterThan(0);
    }
    expect(new Set(corpus.map((e) => e.sql.toLowerCase())).size).toBe(corpus.length);
  });

  it('compares values as the guide prints them', () => {
    expect(sameValue('3.14159265358979', Math.PI)).toBe(true);
    expect(sameValue('20.0', 20)).toBe(true);
    expect(sameValue('t', true)).toBe(true);
    expect(sameValue('false', false)).toBe(true);
    expect(sameValue(null, null)).toBe(true);
    expect(sameValue('2', 3)).toBe(false);
    expect(sameValue('t', false)).toBe(false);
    expect(sameValue('abc', 'abd')).toBe(false);
  });
});

describe('the corpus on the local engine', () => {
  let warehouse: DuckDbWarehouse;
  beforeAll(async () => {
    warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
  });
  afterAll(async () => warehouse.close());

  it(`gives the documented result for at least ${floor} examples`, async () => {
    const results = await runCorpus(warehouse);
    const passed = passing(results);
    expect(passed, describeResults(results)).toBeGreaterThanOrEqual(floor);
  });
});

describe('the corpus through the Data API fake', () => {
  let harness: DataApiHarness;
  let warehouse: RedshiftDataWarehouse;
  beforeAll(async () => {
    applyTestCredentials();
    harness = await startDataApi({ pageSize: 500, clusters: { c: {} } });
    warehouse = await RedshiftDataWarehouse.open({ clusterIdentifier: 'c', database: 'dev', dbUser: 'awsuser', region: 'us-west-2', endpoint: harness.url });
  });
  afterAll(async () => {
    await warehouse.close();
    await harness.close();
  });

  it(`gives the documented result for at least ${floor} examples`, async () => {
    const results = await runCorpus(warehouse);
    expect(passing(results), describeResults(results)).toBeGreaterThanOrEqual(floor);
    // Each example is a few Data API round trips to the fake: about a minute on a busy machine.
  }, 240_000);
});
