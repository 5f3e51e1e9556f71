// `sparkify cluster create` stopped at each stage by an injected AWS fault:
// each gives a message a person can act on and the documented exit code,
// nothing half-written reaches the config, and running it again converges
// on one role, one policy and one cluster.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/pipeline/errors.js';
import { runCli, tempHome, type CliResult } from './helpers/cli.js';
import { FAKE_SECRET_ACCESS_KEY, startCli, startControlPlane, type ControlPlaneHarness } from './fakes/aws/control-plane-harness.js';

const harnesses: ControlPlaneHarness[] = [];

afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

async function setup(faults?: string) {
  const fake = await startControlPlane({ stateDelayMs: 60_000, faults });
  harnesses.push(fake);
  const home = tempHome('sparkify-cluster-faults-');
  const env = fake.env(home);
  const create = (extra: string[] = [], extraEnv: Record<string, string | undefined> = {}): Promise<CliResult> =>
    runCli(['cluster', 'create', '--cluster-id', 'retry-me', '--yes', ...extra], { env: { ...env, ...extraEnv } });
  const calls = (operation: string): number => fake.state.requests.filter((r) => r.operation === operation).length;
  const config = (): Record<string, unknown> | undefined =>
    existsSync(join(home, 'config.json')) ? (JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as Record<string, unknown>) : undefined;
  return { fake, home, env, create, calls, config };
}

describe('create interrupted at each stage converges when run again', () => {
  const stages = [
    {
      stage: 'role',
      fault: 'CreateRole=AccessDenied',
      message: 'access denied: your AWS identity (profile "default", region us-west-2) lacks the permission iam:CreateRole',
      hint: 'ask your AWS administrator to allow iam:CreateRole, then run the same command again',
      createRoleCalls: 2,
    },
    {
      stage: 'policy',
      fault: 'PutRolePolicy=AccessDenied',
      message: 'access denied: your AWS identity (profile "default", region us-west-2) lacks the permission iam:PutRolePolicy',
      hint: 'whatever already exists is reused',
      createRoleCalls: 1,
    },
    {
      stage: 'cluster',
      fault: 'CreateCluster=InsufficientClusterCapacity',
      message: 'AWS has no spare capacity for ra3.large in us-west-2 right now',
      hint: 'choose another node type (--node-type ra3.large) or region (--region)',
      createRoleCalls: 1,
    },
  ];

  it.each(stages)('a fault at the $stage stage', async ({ fault, message, hint, createRoleCalls }) => {
    const { fake, create, calls, config } = await setup(fault);
    const failed = await create();
    expect(failed.code).toBe(ExitCode.aws);
    expect(failed.stderr).toContain(`error: ${message}`);
    expect(failed.stderr).toContain(hint);
    expect(failed.stderr).not.toMatch(/\n\s+at /);
    expect(config()?.cluster).toBeUndefined();

    const again = await create();
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect([...fake.state.roles.keys()]).toEqual(['sparkify-retry-me-s3-read']);
    expect(Object.keys(fake.state.roles.get('sparkify-retry-me-s3-read')!.inlinePolicies)).toEqual(['sparkify-source-read']);
    expect([...fake.state.clusters.keys()]).toEqual(['retry-me']);
    expect(calls('CreateRole')).toBe(createRoleCalls);
    expect(config()).toMatchObject({ target: 'redshift', cluster: { identifier: 'retry-me' }, redshift: { clusterIdentifier: 'retry-me' } });

    const third = await create();
    expect(third.code).toBe(0);
    expect(third.stdout).toMatch(/role\s+reused/);
    expect(third.stdout).toMatch(/cluster\s+reused retry-me, which already exists \(creating\)/);
    expect(fake.state.clusters.size).toBe(1);
    expect(fake.state.roles.size).toBe(1);
  });

  it('a throttled call is retried and the create succeeds', async () => {
    const { fake, create, calls } = await setup('GetRole=Throttling,CreateCluster=Throttling');
    const result = await create();
    expect(result.code).toBe(0);
    expect(calls('GetRole')).toBe(2);
    expect(calls('CreateCluster')).toBe(2);
    expect(fake.state.clusters.size).toBe(1);
  });
});

describe('errors a person can act on', () => {
  it('rejected credentials: exit 4, naming profile and region, nothing created', async () => {
    const { fake, create } = await setup('GetCallerIdentity=InvalidClientTokenId');
    const result = await create();
    expect(result.code).toBe(ExitCode.credentials);
    expect(result.stderr).toContain('error: AWS rejected the credentials (profile "default", region us-west-2)');
    expect(result.stderr).toContain('refresh them');
    expect(fake.state.roles.size).toBe(0);
    expect(fake.state.clusters.size).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(FAKE_SECRET_ACCESS_KEY);
  });

  it('an unknown profile: exit 4, naming the profile and region', async () => {
    const { fake, create } = await setup();
    const result = await create(['--profile', 'nope', '--region', 'eu-west-1'], { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    expect(result.code).toBe(ExitCode.credentials);
    expect(result.stderr).toContain('error: AWS profile "nope" gave no usable credentials (region eu-west-1)');
    expect(result.stderr).toContain('aws sso login --profile nope');
    expect(fake.state.requests).toEqual([]);
  });

  it('no credentials at all: exit 4', async () => {
    const { create } = await setup();
    const result = await create([], { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    expect(result.code).toBe(ExitCode.credentials);
    expect(result.stderr).toContain('error: no AWS credentials found (profile "default", region us-west-2)');
    expect(result.stderr).toContain('aws configure');
  });

  it('a cluster quota: exit 9 with what to do', async () => {
    const { create } = await setup('CreateCluster=ClusterQuotaExceeded');
    const result = await create();
    expect(result.code).toBe(ExitCode.aws);
    expect(result.stderr).toContain('an AWS quota stops this in us-west-2');
    expect(result.stderr).toContain('Service Quotas');
  });

  it('a node type the region does not offer: exit 9 naming it', async () => {
    const { create } = await setup('CreateCluster=UnsupportedOperation');
    const unsupported = await create();
    expect(unsupported.code).toBe(ExitCode.aws);
    expect(unsupported.stderr).toContain('ra3.large is not available in us-west-2');

    const unknown = await create(['--node-type', 'dc9.huge']);
    expect(unknown.code).toBe(ExitCode.aws);
    expect(unknown.stderr).toContain('dc9.huge is not available in us-west-2: Invalid node type: dc9.huge');
  });

  it('a missing permission on a later call names that permission', async () => {
    const { create } = await setup('DescribeClusters=AccessDenied');
    expect((await create()).code).toBe(0);
    const again = await create();
    expect(again.code).toBe(ExitCode.aws);
    expect(again.stderr).toContain('lacks the permission redshift:DescribeClusters');
  });

  it('pausing a cluster that is still creating says its state and what to do', async () => {
    const { create, env } = await setup();
    expect((await create()).code).toBe(0);
    const result = await runCli(['cluster', 'pause', '--yes'], { env });
    expect(result.code).toBe(ExitCode.aws);
    expect(result.stderr).toContain('error: cannot pause cluster retry-me: it is creating');
    expect(result.stderr).toContain('pass --wait to act once it is available');
  });

  it('status --watch on a creating cluster stops cleanly on Ctrl-C', async () => {
    const { create, env } = await setup();
    expect((await create()).code).toBe(0);
    const watch = startCli(['cluster', 'status', '--watch', '--interval', '0.2'], env);
    await watch.waitForStdout(/retry-me {2}creating/);
    watch.interrupt();
    const result = await watch.done;
    expect(result.code).toBe(0);
    // One line saying what Ctrl-C stopped, and nothing else: no stack, no error.
    expect(result.stderr.trim()).toBe('Ctrl-C: stopping the wait (again to quit at once)');
  });

  it('custom sources: the role reads exactly those, and the config remembers them', async () => {
    const { fake, create, config } = await setup();
    const result = await create([
      '--region', 'eu-west-1',
      '--song-data', 's3://my-music/raw/songs',
      '--log-data', 's3://my-music/raw/events',
      '--source-bucket', 's3://reference-data/genres',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Role sparkify-retry-me-s3-read may read only s3://my-music/raw/songs, s3://my-music/raw/events, s3://reference-data/genres.');
    expect(result.stdout).toContain('Sources: songs s3://my-music/raw/songs, events s3://my-music/raw/events.');
    const policy = JSON.parse(fake.state.roles.get('sparkify-retry-me-s3-read')!.inlinePolicies['sparkify-source-read']) as {
      Statement: { Action: string; Resource: string | string[]; Condition?: unknown }[];
    };
    expect(policy.Statement).toEqual([
      {
        Sid: 'ReadSourceObjects',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: ['arn:aws:s3:::my-music/raw/songs*', 'arn:aws:s3:::my-music/raw/events*', 'arn:aws:s3:::reference-data/genres*'],
      },
      { Sid: 'ListSourcePrefixes1', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::my-music', Condition: { StringLike: { 's3:prefix': ['raw/songs*', 'raw/events*'] } } },
      { Sid: 'ListSourcePrefixes2', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::reference-data', Condition: { StringLike: { 's3:prefix': ['genres*'] } } },
    ]);
    expect(fake.state.clusters.get('retry-me')!.region).toBe('eu-west-1');
    expect(config()).toMatchObject({
      sources: { songData: 's3://my-music/raw/songs', logData: 's3://my-music/raw/events' },
      cluster: { region: 'eu-west-1' },
      redshift: { region: 'eu-west-1' },
    });
    expect((config()!.sources as Record<string, unknown>).sourceRegion).toBeUndefined();
  });

  it('bad flags are usage errors (exit 2) before any AWS call', async () => {
    const { fake, env } = await setup();
    const badId = await runCli(['cluster', 'create', '--cluster-id', 'Not_Valid', '--yes'], { env });
    expect(badId.code).toBe(ExitCode.usage);
    expect(badId.stderr).toContain('not a valid cluster identifier: Not_Valid');
    const localSource = await runCli(['cluster', 'create', '--cluster-id', 'ok', '--song-data', './song_data', '--yes'], { env });
    expect(localSource.code).toBe(ExitCode.usage);
    expect(localSource.stderr).toContain('--song-data must be an s3:// location for a cluster');
    const both = await runCli(['cluster', 'delete', '--cluster-id', 'ok', '--final-snapshot', 's', '--skip-final-snapshot', '--yes'], { env });
    expect(both.code).toBe(ExitCode.usage);
    expect(fake.state.requests).toEqual([]);
  });
});
