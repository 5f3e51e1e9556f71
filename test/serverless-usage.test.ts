// A run on Redshift Serverless reports the RPU-seconds it was charged, read
// from sys_serverless_usage through the Data API, and their price: the built
// CLI against the fake Data API, which records each workgroup statement's use
// (at the base capacity, the 60-second minimum when the workgroup starts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedshiftDataWarehouse } from '../src/pipeline/warehouse/redshift-data.js';
import table from '../src/pipeline/provision/prices.json' with { type: 'json' };
import { startDataApi, applyTestCredentials, type DataApiHarness } from './fakes/aws/data-api-harness.js';
import { COURSE_DATA, runCli } from './helpers/cli.js';

applyTestCredentials();

const RPU = 4;
let harness: DataApiHarness;
let home: string;

/** What the fake's sys_serverless_usage holds, read through a cluster (whose statements add no usage). */
async function charged(): Promise<number> {
  const warehouse = await RedshiftDataWarehouse.open({ clusterIdentifier: 'c', database: 'dev', dbUser: 'awsuser', region: 'us-west-2', endpoint: harness.url });
  try {
    const result = await warehouse.query('select sum(charged_seconds) from sys_serverless_usage');
    for await (const page of result.pages()) return Number(page[0][0]);
    return 0;
  } finally {
    await warehouse.close();
  }
}

beforeAll(async () => {
  harness = await startDataApi({ buckets: { 'udacity-dend': COURSE_DATA }, clusters: { c: {} }, serverlessRpu: RPU, stateDelayMs: 1 });
  home = mkdtempSync(join(tmpdir(), 'sparkify-serverless-usage-'));
});

afterAll(async () => {
  await harness.close();
  rmSync(home, { recursive: true, force: true });
});

describe('sparkify run on a Serverless workgroup', () => {
  it('reports the RPU-seconds the run was charged and their price', async () => {
    const run = await runCli(
      [
        'create-tables', '--target', 'redshift', '--workgroup', 'learner', '--database', 'dev', '--region', 'us-west-2',
      ],
      { env: { ...harness.env, SPARKIFY_HOME: home } },
    );
    expect(run.code, run.stderr).toBe(0);
    const line = /^serverless: ([\d,]+) RPU-seconds charged \((\d+\.\d\d) RPU-hours, about \$(\d+\.\d\d) at \$0\.375\/RPU-hour(; ([\d,]+) of them running queries, the rest the minimum charge)?\)$/m.exec(run.stderr);
    expect(line, run.stderr).not.toBeNull();
    const seconds = Number(line![1].replace(/,/g, ''));
    // The workgroup started from idle: at least the minimum, 60 s at the base capacity.
    expect(seconds).toBeGreaterThanOrEqual(60 * RPU);
    // The line prints whole seconds, rounded, read before the run's own read of the usage is recorded:
    // the total afterwards is that much more at most (a short statement, under a second at the base capacity).
    const total = await charged();
    expect(seconds).toBeLessThanOrEqual(total + 0.5);
    expect(total - seconds).toBeLessThan(RPU + 0.5);
    expect(Number(line![3])).toBeCloseTo((seconds / 3600) * table.serverlessRpuHour, 2);
  });
});
