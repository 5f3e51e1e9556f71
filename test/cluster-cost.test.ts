// The cost estimate: price table × node count × hours, with the user's
// overrides, checked on a controlled clock; and through the built CLI on a
// cluster the fake says was created three hours ago.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigStore } from '../src/pipeline/config-store.js';
import { describeCost, estimateCost, formatHours, formatPrice, formatUsd, priceTable } from '../src/pipeline/provision/cost.js';
import { billedTime, type PowerHistory } from '../src/pipeline/provision/billing.js';
import table from '../src/pipeline/provision/prices.json' with { type: 'json' };
import { runCli, tempHome } from './helpers/cli.js';
import { startControlPlane, type ControlPlaneHarness } from './fakes/aws/control-plane-harness.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const hoursAgo = (hours: number): Date => new Date(NOW.getTime() - hours * 3_600_000);

describe('estimateCost', () => {
  it('is node price × nodes per hour, and that × hours since creation so far', () => {
    const cost = estimateCost(
      { kind: 'provisioned', nodeType: 'dc2.large', nodes: 2, region: 'us-west-2', status: 'available', createdAt: hoursAgo(3) },
      priceTable(),
      NOW,
    );
    expect(cost.perHour).toBe(table.nodeHour['dc2.large'] * 2);
    expect(cost.hours).toBe(3);
    expect(cost.soFar).toBeCloseTo(table.nodeHour['dc2.large'] * 2 * 3, 10);
    expect(cost.billingNow).toBe(true);
    expect(cost.basis).toContain(`2 × dc2.large at ${formatPrice(table.nodeHour['dc2.large'])}/node-hour (price table ${table.asOf})`);
  });

  it('scales with node type, count and time', () => {
    const cost = estimateCost(
      { kind: 'provisioned', nodeType: 'ra3.4xlarge', nodes: 4, region: 'us-east-1', status: 'available', createdAt: hoursAgo(1.5) },
      priceTable(),
      NOW,
    );
    expect(cost.perHour).toBeCloseTo(table.nodeHour['ra3.4xlarge'] * 4, 10);
    expect(cost.soFar).toBeCloseTo(table.nodeHour['ra3.4xlarge'] * 4 * 1.5, 10);
  });

  it('takes prices from the config over the table', () => {
    const cost = estimateCost(
      { kind: 'provisioned', nodeType: 'dc2.large', nodes: 3, region: 'us-west-2', status: 'available', createdAt: hoursAgo(10) },
      priceTable({ 'dc2.large': 0.3 }),
      NOW,
    );
    expect(cost.perHour).toBeCloseTo(0.9, 10);
    expect(cost.soFar).toBeCloseTo(9, 10);
    expect(cost.basis).toContain('(your config)');
  });

  it('a paused cluster bills no compute now; so far stays an upper bound', () => {
    const cost = estimateCost(
      { kind: 'provisioned', nodeType: 'dc2.large', nodes: 2, region: 'us-west-2', status: 'paused', createdAt: hoursAgo(4) },
      priceTable(),
      NOW,
    );
    expect(cost.billingNow).toBe(false);
    expect(cost.soFar).toBeCloseTo(2, 10);
    expect(cost.basis).toContain('paused time included');
  });

  it('says so when the table has no price for the node type', () => {
    const cost = estimateCost({ kind: 'provisioned', nodeType: 'ds9.huge', nodes: 2, region: 'us-west-2', status: 'available' }, priceTable(), NOW);
    expect(cost.perHour).toBeUndefined();
    expect(cost.soFar).toBeUndefined();
    expect(cost.basis).toBe('no price for ds9.huge: add it to the config under prices (USD per node-hour)');
  });

  it('notes regions priced above the table', () => {
    const cost = estimateCost({ kind: 'provisioned', nodeType: 'dc2.large', nodes: 2, region: 'eu-central-1', status: 'available' }, priceTable(), NOW);
    expect(cost.basis).toContain('eu-central-1 costs more than the US prices used here');
  });

  it('serverless: RPU price × base capacity per query-hour, nothing accrued by the clock', () => {
    const cost = estimateCost({ kind: 'serverless', baseCapacity: 8, region: 'us-west-2', status: 'available', createdAt: hoursAgo(5) }, priceTable(), NOW);
    expect(cost.perHour).toBeCloseTo(table.serverlessRpuHour * 8, 10);
    expect(cost.soFar).toBeUndefined();
    expect(cost.basis).toMatch(/^per query-hour at base capacity \(8 RPU × \$0\.375\/RPU-hour\)/);
    const overridden = estimateCost({ kind: 'serverless', baseCapacity: 16, region: 'us-west-2', status: 'available' }, priceTable({ 'serverless-rpu': 0.5 }), NOW);
    expect(overridden.perHour).toBe(8);
  });

  it('the price table records its source and date', () => {
    expect(table.source).toContain('aws.amazon.com/redshift/pricing');
    expect(table.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(table.nodeHour['dc2.large']).toBe(0.25);
  });

  it('formats money and durations for people', () => {
    expect(formatUsd(0.5)).toBe('$0.50');
    expect(formatUsd(4.801)).toBe('$4.80');
    expect(formatUsd(12)).toBe('$12.00');
    expect(formatPrice(0.375)).toBe('$0.375');
    expect(formatPrice(0.25)).toBe('$0.25');
    expect(formatHours(0.5)).toBe('30m');
    expect(formatHours(3.25)).toBe('3h 15m');
    expect(formatHours(50)).toBe('2d 2h');
  });
});

describe('billed time from the pause history', () => {
  const history = (since: Date, ...changes: [number, 'paused' | 'resumed'][]): PowerHistory => ({
    since,
    changes: changes.map(([hours, change]) => ({ at: hoursAgo(hours), change })),
  });

  it('counts up hours from creation to a pause and from each resume on; paused hours apart', () => {
    const billed = billedTime(hoursAgo(10), 'available', history(hoursAgo(10), [6, 'paused'], [2, 'resumed']), NOW);
    expect(billed.upHours).toBeCloseTo(6, 10);
    expect(billed.pausedHours).toBeCloseTo(4, 10);
    const still = billedTime(hoursAgo(10), 'paused', history(hoursAgo(10), [6, 'paused'], [2, 'resumed'], [1, 'paused']), NOW);
    expect([still.upHours, still.pausedHours].map((h) => Math.round(h * 1000) / 1000)).toEqual([5, 5]);
  });

  it('takes a cluster whose first event is a resume, or that is paused with no event, as paused since the window began', () => {
    const window = hoursAgo(14 * 24);
    const resumed = billedTime(hoursAgo(20 * 24), 'available', history(window, [24, 'resumed']), NOW);
    // Up for the 6 days before the window (not known), paused in it until the resume, up since.
    expect(resumed.pausedHours).toBeCloseTo(13 * 24, 10);
    expect(resumed.upHours).toBeCloseTo(6 * 24 + 24, 10);
    const paused = billedTime(hoursAgo(20 * 24), 'paused', history(window), NOW);
    expect(paused.pausedHours).toBeCloseTo(14 * 24, 10);
  });

  it('bills only the up hours, and says paused hours bill storage (Redshift Managed Storage on RA3)', () => {
    const cost = estimateCost(
      { kind: 'provisioned', nodeType: 'ra3.large', nodes: 2, region: 'us-west-2', status: 'available', createdAt: hoursAgo(10), history: history(hoursAgo(10), [6, 'paused'], [2, 'resumed']) },
      priceTable(),
      NOW,
    );
    expect(cost.soFar).toBeCloseTo(table.nodeHour['ra3.large'] * 2 * 6, 10);
    expect(cost.pausedHours).toBeCloseTo(4, 10);
    expect(cost.basis).toContain(`paused hours bill storage only (Redshift Managed Storage, ${formatPrice(table.rmsGbMonth)}/GB-month)`);
  });
});

describe('storage and the minimum charge', () => {
  it('an RA3 cluster adds its Redshift Managed Storage: GB × price per GB-month, over every hour since creation, paused or not', () => {
    const history: PowerHistory = { since: hoursAgo(73), changes: [{ at: hoursAgo(72), change: 'paused' }] };
    const cost = estimateCost(
      { kind: 'provisioned', nodeType: 'ra3.large', nodes: 1, region: 'us-east-1', status: 'paused', createdAt: hoursAgo(73), history, storageMb: 2048 },
      priceTable(),
      NOW,
    );
    const storageSoFar = (2 * table.rmsGbMonth * 73) / table.hoursPerMonth;
    expect(cost.storage?.gb).toBe(2);
    expect(cost.storage?.perMonth).toBeCloseTo(2 * table.rmsGbMonth, 10);
    expect(cost.storage?.soFar).toBeCloseTo(storageSoFar, 10);
    // Paused for 72 of its 73 hours: one hour of compute, storage for all 73.
    expect(cost.soFar).toBeCloseTo(table.nodeHour['ra3.large'] + storageSoFar, 10);
    expect(cost.billingNow).toBe(false);
    const lines = describeCost(cost).lines.join('\n');
    expect(lines).toContain(`storage 2.0 GB (svv_table_info) at the Redshift Managed Storage price: ${formatUsd(2 * table.rmsGbMonth)}/month`);
    expect(lines).toContain("estimated: today's size held since creation");
  });

  it('says when RA3 storage is not counted, and counts none apart on DC2 (its disks are part of the node price)', () => {
    const ra3 = estimateCost({ kind: 'provisioned', nodeType: 'ra3.large', nodes: 1, region: 'us-east-1', status: 'paused', createdAt: hoursAgo(5) }, priceTable(), NOW);
    expect(ra3.storage).toBeUndefined();
    expect(describeCost(ra3).lines).toContain('storage not counted: its size is read from svv_table_info, which only an available cluster answers');
    const dc2 = estimateCost({ kind: 'provisioned', nodeType: 'dc2.large', nodes: 1, region: 'us-east-1', status: 'available', createdAt: hoursAgo(5), storageMb: 4096 }, priceTable(), NOW);
    expect(dc2.managedStorage).toBe(false);
    expect(dc2.storage).toBeUndefined();
    expect(dc2.soFar).toBeCloseTo(table.nodeHour['dc2.large'] * 5, 10);
    expect(describeCost(dc2).lines.join('\n')).not.toContain('storage');
  });

  it('bills provisioned compute in whole seconds, with no minimum past the first second', () => {
    const created = new Date(NOW.getTime() - 1500);
    const cost = estimateCost({ kind: 'provisioned', nodeType: 'ra3.large', nodes: 1, region: 'us-east-1', status: 'available', createdAt: created }, priceTable(), NOW);
    expect(cost.soFar).toBeCloseTo((table.nodeHour['ra3.large'] * 2) / 3600, 12);
  });

  it('serverless: the 60-second minimum at base capacity each time it starts, and its storage per GB-month', () => {
    const cost = estimateCost({ kind: 'serverless', baseCapacity: 4, region: 'us-east-1', status: 'available', createdAt: hoursAgo(730), storageMb: 512 }, priceTable(), NOW);
    expect(table.serverlessMinimumChargeSeconds).toBe(60);
    expect(cost.minimumCharge).toBeCloseTo((4 * table.serverlessRpuHour * 60) / 3600, 12);
    expect(cost.storage?.soFar).toBeCloseTo(0.5 * table.rmsGbMonth, 10);
    expect(cost.basis).toContain('per second with a 60-second minimum each time it starts');
    const lines = describeCost(cost).lines;
    expect(lines).toContain(`at least ${formatPrice((4 * table.serverlessRpuHour) / 60)} each time it starts (the minimum charge)`);
    expect(lines.join('\n')).toContain('storage 512 MB (svv_table_info)');
  });
});

describe('cluster status cost on the fake clock', () => {
  let fake: ControlPlaneHarness;
  let home: string;

  beforeAll(async () => {
    fake = await startControlPlane({ stateDelayMs: 60_000 });
    home = tempHome('sparkify-cluster-cost-');
  });

  afterAll(async () => {
    await fake?.close();
  });

  it('matches price × nodes × hours for a cluster created three hours ago', async () => {
    await fake.control('/clock', { set: new Date(Date.now() - 3 * 3_600_000).toISOString() });
    const env = fake.env(home);
    const create = await runCli(['cluster', 'create', '--cluster-id', 'costly', '--nodes', '4', '--yes'], { env });
    expect(create.code).toBe(0);
    await fake.control('/clock', { set: new Date().toISOString() });

    const status = await runCli(['cluster', 'status', '--format', 'json'], { env });
    expect(status.code).toBe(0);
    const json = JSON.parse(status.stdout) as { status: string; ageHours: number; cost: { perHour: number; soFar: number; hours: number } };
    expect(json.status).toBe('available');
    expect(json.ageHours).toBeGreaterThan(2.99);
    expect(json.ageHours).toBeLessThan(3.05);
    expect(json.cost.perHour).toBeCloseTo(0.543 * 4, 10);
    expect(json.cost.hours).toBeCloseTo(json.ageHours, 10);
    // Billed in whole seconds: within a second's price of the exact figure.
    expect(Math.abs(json.cost.soFar - 0.543 * 4 * json.ageHours)).toBeLessThanOrEqual((0.543 * 4) / 3600);

    new ConfigStore(home).update({ prices: { 'ra3.large': 0.4 } });
    const text = await runCli(['cluster', 'status'], { env });
    expect(text.stdout).toMatch(/age\s+3h 0m/);
    expect(text.stdout).toMatch(/cost\s+\$1\.60\/hour while running, about \$4\.8\d so far/);
    expect(text.stdout).toContain('4 × ra3.large at $0.40/node-hour (your config)');
  });

  it('counts what AWS bills: the hours between a pause and its resume, read from the cluster events, are not billed', async () => {
    const at = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
    const env = fake.env(home);
    await fake.control('/clock', { set: at(10) });
    expect((await runCli(['cluster', 'create', '--cluster-id', 'paused-often', '--nodes', '2', '--yes'], { env })).code).toBe(0);
    await fake.control('/clock', { set: at(6) });
    expect((await runCli(['cluster', 'pause', '--cluster-id', 'paused-often', '--yes'], { env })).code).toBe(0);
    await fake.control('/clock', { set: at(2) });
    expect((await runCli(['cluster', 'resume', '--cluster-id', 'paused-often', '--yes'], { env })).code).toBe(0);
    await fake.control('/clock', { set: new Date().toISOString() });

    const status = await runCli(['cluster', 'status', '--cluster-id', 'paused-often', '--format', 'json'], { env });
    expect(status.code, status.stderr).toBe(0);
    const json = JSON.parse(status.stdout) as { cost: { perHour: number; soFar: number; hours: number; pausedHours: number } };
    // Paused once each transition (60 s on this fake) was over: 6 h up in 10, 4 h paused.
    expect(json.cost.hours).toBeCloseTo(10, 1);
    expect(json.cost.pausedHours).toBeCloseTo(4, 2);
    expect(json.cost.soFar).toBeCloseTo(json.cost.perHour * (json.cost.hours - json.cost.pausedHours), 3);
    const text = await runCli(['cluster', 'status', '--cluster-id', 'paused-often'], { env });
    expect(text.stdout).toMatch(/about \$\d+\.\d\d so far, not counting 4h 0m paused/);
    expect(text.stdout).toContain('paused hours bill storage only');
  });
});

describe('cluster status reads the storage an RA3 cluster bills', () => {
  let fake: ControlPlaneHarness;
  let home: string;

  beforeAll(async () => {
    fake = await startControlPlane({ stateDelayMs: 0, dataApi: { databases: ['dev', 'sparkify'] } });
    home = tempHome('sparkify-cluster-storage-');
  });

  afterAll(async () => {
    await fake?.close();
  });

  it('from svv_table_info while available, and says it is not counted once paused', async () => {
    const env = fake.env(home);
    expect((await runCli(['cluster', 'create', '--cluster-id', 'stored', '--yes'], { env })).code).toBe(0);
    expect((await runCli(['query', 'create schema music'], { env })).code).toBe(0);
    const made = await runCli(['query', 'create table music.plays as select i as n, i * 2 as m from generate_series(1, 5000) as g(i)'], { env });
    expect(made.code, made.stderr).toBe(0);

    const status = await runCli(['cluster', 'status', '--format', 'json'], { env });
    expect(status.code, status.stderr).toBe(0);
    const json = JSON.parse(status.stdout) as { cost: { storage?: { gb: number; perMonth: number } } };
    // 2 columns + 3 hidden ones, a 1 MB block each on each of the fake's 2 slices.
    expect(json.cost.storage?.gb).toBeCloseTo(10 / 1024, 10);
    expect(json.cost.storage?.perMonth).toBeCloseTo((10 / 1024) * table.rmsGbMonth, 10);
    const text = await runCli(['cluster', 'status'], { env });
    expect(text.stdout).toContain('storage 10 MB (svv_table_info) at the Redshift Managed Storage price: $0.00/month');

    expect((await runCli(['cluster', 'pause', '--yes', '--wait'], { env })).code).toBe(0);
    const paused = await runCli(['cluster', 'status'], { env });
    expect(paused.stdout).toContain('storage not counted: its size is read from svv_table_info, which only an available cluster answers');
  });
});
