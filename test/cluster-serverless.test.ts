// Redshift Serverless through the built CLI against the fake: create a
// namespace and workgroup with the same least-privilege role, follow it to
// available, show the per-query-hour cost, and delete everything again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/pipeline/errors.js';
import { runCli, tempHome } from './helpers/cli.js';
import { FAKE_ACCOUNT } from './fakes/aws/control-plane.js';
import { FAKE_SECRET_ACCESS_KEY, startCli, startControlPlane, type ControlPlaneHarness } from './fakes/aws/control-plane-harness.js';

const DELAY_MS = 5 * 60_000;
const ROLE = 'sparkify-analytics-s3-read';

let fake: ControlPlaneHarness;
let home: string;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  fake = await startControlPlane({ stateDelayMs: DELAY_MS, dataApi: {} });
  home = tempHome('sparkify-serverless-');
  env = fake.env(home);
});

afterAll(async () => {
  await fake?.close();
});

describe('serverless through the built CLI', () => {
  it('create: role, namespace with a managed password, private workgroup; config points at it', async () => {
    const result = await runCli(['serverless', 'create', '--workgroup', 'analytics', '--base-capacity', '16', '--yes'], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('$6.00 per query-hour at base capacity (16 RPU × $0.375/RPU-hour)');
    expect(result.stdout).toMatch(/namespace\s+created analytics/);
    expect(result.stdout).toMatch(/workgroup\s+created analytics \(16 RPU base capacity\)/);
    // A forgotten workgroup cannot run up a bill: a daily cap that turns user queries off.
    expect(result.stdout).toContain('Usage limit: 8 RPU-hours per day, then user queries are turned off until the period ends (at most $3.00 per day).');
    expect(result.stdout).toMatch(/usage limit\s+created 8 RPU-hours per day/);
    const workgroupArn = fake.state.workgroups.get('analytics')!.arn;
    expect([...fake.state.usageLimits.values()]).toEqual([
      expect.objectContaining({ resourceArn: workgroupArn, usageType: 'serverless-compute', amount: 8, period: 'daily', breachAction: 'deactivate' }),
    ]);

    const namespace = fake.state.requests.find((r) => r.operation === 'CreateNamespace')!.params;
    expect(namespace).toMatchObject({ namespaceName: 'analytics', manageAdminPassword: true, adminUsername: 'awsuser', dbName: 'sparkify' });
    expect(namespace).not.toHaveProperty('adminUserPassword');
    expect(namespace.iamRoles).toEqual([`arn:aws:iam::${FAKE_ACCOUNT}:role/${ROLE}`]);
    expect(fake.state.requests.find((r) => r.operation === 'CreateWorkgroup')!.params).toMatchObject({ baseCapacity: 16, publiclyAccessible: false });

    const trust = JSON.parse(fake.state.roles.get(ROLE)!.assumeRolePolicyDocument) as { Statement: { Principal: { Service: string[] } }[] };
    expect(trust.Statement[0].Principal.Service).toEqual(['redshift.amazonaws.com', 'redshift-serverless.amazonaws.com']);

    const config = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({
      target: 'redshift',
      cluster: { kind: 'serverless', identifier: 'analytics', namespaceName: 'analytics', roleName: ROLE },
      redshift: { workgroupName: 'analytics', database: 'sparkify', region: 'us-west-2' },
    });
    expect((config.redshift as Record<string, unknown>).clusterIdentifier).toBeUndefined();
  });

  it('status --watch follows creating → available; json shows capacity and cost', async () => {
    const watch = startCli(['serverless', 'status', '--watch', '--interval', '0.1'], env);
    await watch.waitForStdout(/analytics {2}creating/);
    await fake.control('/clock', { advanceMs: DELAY_MS });
    const result = await watch.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/analytics {2}available/);
    expect(result.stdout).toMatch(/endpoint\s+analytics\.123456789012\.us-west-2\.redshift-serverless\.amazonaws\.com:5439/);

    const json = JSON.parse((await runCli(['serverless', 'status', '--format', 'json'], { env })).stdout) as Record<string, unknown> & {
      cost: { perHour: number; soFar?: number };
    };
    expect(json).toMatchObject({ workgroup: 'analytics', namespace: 'analytics', status: 'available', baseCapacity: 16, publiclyAccessible: false });
    expect(json.cost.perHour).toBe(6);
    expect(json.cost.soFar).toBeUndefined();
    expect(json.usageLimits).toEqual([{ rpuHours: 8, period: 'daily', breachAction: 'deactivate' }]);
    const text = await runCli(['serverless', 'status'], { env });
    expect(text.stdout).toMatch(/limit\s+8 RPU-hours per day, then user queries are turned off until the period ends/);
    // Nothing has run on it yet: this month's usage, read from sys_serverless_usage, is none.
    expect(text.stdout).toMatch(/used\s+0 RPU-seconds charged \(0\.00 RPU-hours, about \$0\.00 at \$0\.375\/RPU-hour\) this month/);
    const query = await runCli(['query', 'select 1'], { env });
    expect(query.code).toBe(0);
    const after = await runCli(['serverless', 'status'], { env });
    expect(after.stdout).toMatch(/used\s+[1-9][\d,]* RPU-seconds charged .* this month/);
  });

  it('delete without a terminal needs --yes', async () => {
    const result = await runCli(['serverless', 'delete'], { env });
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('refusing to delete workgroup analytics without confirmation');
  });

  it('delete --all waits for the workgroup to go, then removes namespace, role and config entry', async () => {
    const removal = startCli(['serverless', 'delete', '--all', '--yes', '--interval', '0.1'], env);
    await removal.waitForStdout(/workgroup\s+deleting analytics/);
    expect(fake.state.namespaces.get('analytics')!.status).toBe('AVAILABLE');
    await fake.control('/clock', { advanceMs: DELAY_MS });
    const result = await removal.done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/workgroup\s+deleted analytics/);
    expect(result.stdout).toMatch(/namespace\s+deleting analytics/);
    expect(result.stdout).toContain(`Deleted role ${ROLE}.`);
    expect(result.stdout).toContain('Config: forgot workgroup analytics.');

    await fake.control('/clock', { advanceMs: DELAY_MS });
    const state = (await fake.control('/state')) as Record<string, unknown[]>;
    expect(state.workgroups).toEqual([]);
    expect(state.namespaces).toEqual([]);
    expect(state.roles).toEqual([]);
    const configText = readFileSync(join(home, 'config.json'), 'utf8');
    expect(JSON.parse(configText)).toMatchObject({ target: 'local' });
    expect(configText).not.toContain('analytics');
    expect(configText + result.stdout).not.toContain(FAKE_SECRET_ACCESS_KEY);
  });

  it('a refused workgroup stops create with the permission named; a re-run reuses the namespace', async () => {
    await fake.control('/faults', { operation: 'CreateWorkgroup', code: 'AccessDenied' });
    const failed = await runCli(['serverless', 'create', '--workgroup', 'again', '--yes'], { env });
    expect(failed.code).toBe(ExitCode.aws);
    expect(failed.stderr).toContain('lacks the permission redshift-serverless:CreateWorkgroup');
    const retry = await runCli(['serverless', 'create', '--workgroup', 'again', '--yes'], { env });
    expect(retry.code).toBe(0);
    expect(retry.stdout).toMatch(/namespace\s+reused again, which already exists \(available\)/);
    expect(retry.stdout).toMatch(/workgroup\s+created again/);
    // Run again, the cap that is there is kept, not doubled.
    const third = await runCli(['serverless', 'create', '--workgroup', 'again', '--yes'], { env });
    expect(third.stdout).toMatch(/usage limit\s+reused 8 RPU-hours per day/);
    expect([...fake.state.usageLimits.values()].filter((l) => l.resourceArn === fake.state.workgroups.get('again')!.arn)).toHaveLength(1);
  });

  it('the cap, its period and breach action are flags; 0 sets none and says so; a bad capacity is refused', async () => {
    const weekly = await runCli(
      ['serverless', 'create', '--workgroup', 'weekly-wg', '--usage-limit', '20', '--usage-period', 'weekly', '--usage-breach', 'log', '--yes'],
      { env },
    );
    expect(weekly.code).toBe(0);
    expect(weekly.stdout).toContain('Usage limit: 20 RPU-hours per week, then AWS notes the breach in sys_query_history (queries go on) ($7.50 per week at the cap, more past it).');
    expect([...fake.state.usageLimits.values()].find((l) => l.resourceArn === fake.state.workgroups.get('weekly-wg')!.arn)).toMatchObject({
      amount: 20,
      period: 'weekly',
      breachAction: 'log',
    });
    const none = await runCli(['serverless', 'create', '--workgroup', 'no-cap', '--usage-limit', '0', '--yes'], { env });
    expect(none.stdout).toContain('No usage limit (--usage-limit 0): nothing caps what it can bill.');
    expect([...fake.state.usageLimits.values()].some((l) => l.resourceArn === fake.state.workgroups.get('no-cap')!.arn)).toBe(false);
    const bad = await runCli(['serverless', 'create', '--workgroup', 'bad-cap', '--base-capacity', '12', '--yes'], { env });
    expect(bad.code).toBe(ExitCode.usage);
    expect(bad.stderr).toContain('base capacity must be 4 RPU, 8 to 512 in steps of 8, or up to 1024 in steps of 32; not 12');
    const region = await runCli(['serverless', 'create', '--workgroup', 'typo', '--region', 'us-wset-2', '--yes'], { env });
    expect(region.code).toBe(ExitCode.usage);
    expect(region.stderr).toContain('not an AWS region: us-wset-2');
  });
});
