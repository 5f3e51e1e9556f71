// `cluster create --pause-after HOURS` through the built CLI against the fake
// control plane: a scheduler role that may pause this cluster only, a one-time
// scheduled action that Redshift's scheduler runs when the fake's clock gets
// there, shown by status, and removed with delete --all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateScheduledActionCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import { runCli, tempHome } from './helpers/cli.js';
import { FAKE_ACCOUNT } from './fakes/aws/control-plane.js';
import { FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY, startControlPlane, type ControlPlaneHarness } from './fakes/aws/control-plane-harness.js';

const DELAY_MS = 60_000;
let fake: ControlPlaneHarness;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  fake = await startControlPlane({ stateDelayMs: DELAY_MS });
  env = fake.env(tempHome('sparkify-schedule-'));
});

afterAll(async () => {
  await fake?.close();
});

describe('cluster create --pause-after', () => {
  it("creates a scheduled pause with a role that may pause this cluster only, and Redshift's scheduler runs it", async () => {
    const created = await runCli(['cluster', 'create', '--cluster-id', 'timed', '--pause-after', '2', '--yes'], { env });
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain("Redshift's scheduler pauses it 2 h after creation (role sparkify-timed-scheduler may pause this cluster only).");
    expect(created.stdout).toMatch(/cluster\s+created scheduled pause timed-pause-after at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);

    const role = fake.state.roles.get('sparkify-timed-scheduler')!;
    expect(JSON.parse(role.assumeRolePolicyDocument)).toMatchObject({ Statement: [{ Principal: { Service: 'scheduler.redshift.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    expect(JSON.parse(role.inlinePolicies['sparkify-pause-cluster'])).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'PauseThisCluster', Effect: 'Allow', Action: 'redshift:PauseCluster', Resource: `arn:aws:redshift:us-west-2:${FAKE_ACCOUNT}:cluster:timed` }],
    });
    const action = fake.state.scheduledActions.get('timed-pause-after')!;
    expect(action).toMatchObject({ clusterIdentifier: 'timed', iamRole: role.arn, done: false });
    const hoursAhead = (action.at - fake.state.now()) / 3_600_000;
    expect(hoursAhead).toBeGreaterThan(1.98);
    expect(hoursAhead).toBeLessThanOrEqual(2);

    await fake.control('/clock', { advanceMs: DELAY_MS });
    const status = await runCli(['cluster', 'status'], { env });
    expect(status.stdout).toMatch(/pause\s+scheduled at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(Redshift's scheduler\)/);

    // Just before its time it still runs; at its time the scheduler pauses it.
    await fake.control('/clock', { advanceMs: action.at - fake.state.now() - 1000 });
    expect(fake.state.clusters.get('timed')!.status).toBe('available');
    await fake.control('/clock', { advanceMs: 2000 });
    expect(fake.state.clusters.get('timed')!.status).toBe('pausing');
    await fake.control('/clock', { advanceMs: DELAY_MS });
    const json = JSON.parse((await runCli(['cluster', 'status', '--format', 'json'], { env })).stdout) as { status: string; scheduledPause: { pending: boolean } };
    expect(json.status).toBe('paused');
    expect(json.scheduledPause.pending).toBe(false);
  });

  it('delete --all removes the scheduled pause and its role too', async () => {
    const deleted = await runCli(['cluster', 'delete', '--all', '--yes'], { env });
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain('Removed the scheduled pause and role sparkify-timed-scheduler.');
    expect(fake.state.scheduledActions.size).toBe(0);
    expect(fake.state.roles.has('sparkify-timed-scheduler')).toBe(false);
  });

  it('the fake refuses a schedule whose role the scheduler cannot assume, and a schedule it cannot read', async () => {
    const redshift = new RedshiftClient({ endpoint: fake.url, region: 'us-west-2', credentials: { accessKeyId: FAKE_ACCESS_KEY_ID, secretAccessKey: FAKE_SECRET_ACCESS_KEY } });
    fake.state.addCluster('plain');
    const base = { ScheduledActionName: 'p', TargetAction: { PauseCluster: { ClusterIdentifier: 'plain' } }, Schedule: 'at(2030-01-01T00:00:00)' };
    const error = (p: Promise<unknown>) => p.then(() => undefined, (e: Error) => e.name);
    expect(await error(redshift.send(new CreateScheduledActionCommand({ ...base, IamRole: `arn:aws:iam::${FAKE_ACCOUNT}:role/none` })))).toBe('InvalidScheduledActionFault');
    expect(await error(redshift.send(new CreateScheduledActionCommand({ ...base, Schedule: 'every day', IamRole: 'x' })))).toBe('InvalidScheduleFault');
    redshift.destroy();
  });
});
