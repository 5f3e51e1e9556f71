// The cluster's whole life through the built CLI against the fake control
// plane and the fake Data API on one loopback port: create, watch it come up,
// run the pipeline on it with nothing but the config, pause, resume, and
// delete --all leaving nothing behind. No secret ever reaches the output or
// the config file.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COURSE_DATA, runCli, tempHome, type CliResult } from './helpers/cli.js';
import { FAKE_ACCOUNT } from './fakes/aws/control-plane.js';
import {
  FAKE_ACCESS_KEY_ID,
  FAKE_SECRET_ACCESS_KEY,
  startCli,
  startControlPlane,
  type ControlPlaneHarness,
} from './fakes/aws/control-plane-harness.js';

const STATE_DELAY_MS = 10 * 60_000;
const CLUSTER = 'sparkify-e2e';
const ROLE = `${CLUSTER}-s3-read`;
const ROLE_ARN = `arn:aws:iam::${FAKE_ACCOUNT}:role/${ROLE}`;

let fake: ControlPlaneHarness;
let home: string;
let env: Record<string, string | undefined>;
const outputs: string[] = [];

async function cli(args: string[]): Promise<CliResult> {
  const result = await runCli(args, { env });
  outputs.push(result.stdout, result.stderr);
  return result;
}

function configFile(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as Record<string, unknown>;
}

beforeAll(async () => {
  fake = await startControlPlane({
    stateDelayMs: STATE_DELAY_MS,
    // Clusters sparkify creates hold the database sparkify.
    dataApi: { buckets: { 'udacity-dend': COURSE_DATA }, databases: ['dev', 'sparkify'] },
  });
  home = tempHome('sparkify-cluster-e2e-');
  env = fake.env(home);
});

afterAll(async () => {
  await fake?.close();
});

describe('cluster lifecycle through the built CLI', () => {
  it('create needs --yes without a terminal: nothing is made in AWS and no config is written', async () => {
    const result = await cli(['cluster', 'create', '--cluster-id', CLUSTER]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`refusing to create cluster ${CLUSTER} without confirmation`);
    expect(result.stderr).toContain('--yes');
    expect(fake.state.roles.size).toBe(0);
    expect(fake.state.clusters.size).toBe(0);
    // A config.json nobody saved would skip the setup wizard on the next `sparkify`.
    expect(existsSync(join(home, 'config.json'))).toBe(false);
  });

  it('create makes a least-privilege role and a private cluster, and points the config at them', async () => {
    const result = await cli(['cluster', 'create', '--cluster-id', CLUSTER, '--yes']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 × ra3.large, about $0.54/hour ($13.03/day)');
    expect(result.stdout).toMatch(/role\s+created arn:aws:iam::123456789012:role\/sparkify-e2e-s3-read/);
    expect(result.stdout).toMatch(/cluster\s+created sparkify-e2e: creating/);

    const state = fake.state;
    expect([...state.roles.keys()]).toEqual([ROLE]);
    const role = state.roles.get(ROLE)!;
    expect(JSON.parse(role.assumeRolePolicyDocument)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'redshift.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(role.attachedPolicies).toEqual([]);
    expect(Object.keys(role.inlinePolicies)).toEqual(['sparkify-source-read']);

    const request = state.requests.find((r) => r.operation === 'CreateCluster')!.params;
    expect(request).toMatchObject({
      ClusterIdentifier: CLUSTER,
      NodeType: 'ra3.large',
      ClusterType: 'single-node',
      ManageMasterPassword: 'true',
      PubliclyAccessible: 'false',
      MasterUsername: 'awsuser',
      DBName: 'sparkify',
    });
    expect(Object.values(request)).toContain(ROLE_ARN);
    expect(Object.keys(request).filter((k) => /password/i.test(k))).toEqual(['ManageMasterPassword']);
    expect(state.requests.map((r) => r.operation)).not.toContain('AuthorizeClusterSecurityGroupIngress');
    expect(state.clusters.get(CLUSTER)).toMatchObject({ status: 'creating', iamRoles: [ROLE_ARN], publiclyAccessible: false });

    expect(statSync(join(home, 'config.json')).mode & 0o777).toBe(0o600);
    expect(configFile()).toMatchObject({
      target: 'redshift',
      cluster: { kind: 'provisioned', identifier: CLUSTER, region: 'us-west-2', nodeType: 'ra3.large', nodes: 1, roleName: ROLE, roleArn: ROLE_ARN },
      redshift: { clusterIdentifier: CLUSTER, database: 'sparkify', dbUser: 'awsuser', region: 'us-west-2', iamRole: ROLE_ARN },
      sources: {
        songData: 's3://udacity-dend/song_data',
        logData: 's3://udacity-dend/log_data',
        logJsonpaths: 's3://udacity-dend/log_json_path.json',
      },
    });
  });

  it('the role reads only the source prefixes (read back from IAM)', async () => {
    const state = (await fake.control('/state')) as { roles: { name: string; inlinePolicies: Record<string, unknown> }[] };
    const policy = state.roles.find((r) => r.name === ROLE)!.inlinePolicies['sparkify-source-read'] as {
      Statement: { Action: string; Resource: string | string[]; Condition?: unknown; Effect: string }[];
    };
    const actions = policy.Statement.map((s) => s.Action).sort();
    expect(actions).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(policy.Statement.every((s) => s.Effect === 'Allow')).toBe(true);
    const objects = policy.Statement.find((s) => s.Action === 's3:GetObject')!;
    expect(objects.Resource).toEqual([
      'arn:aws:s3:::udacity-dend/song_data*',
      'arn:aws:s3:::udacity-dend/log_data*',
      'arn:aws:s3:::udacity-dend/log_json_path.json*',
    ]);
    const listing = policy.Statement.find((s) => s.Action === 's3:ListBucket')!;
    expect(listing.Resource).toBe('arn:aws:s3:::udacity-dend');
    expect(listing.Condition).toEqual({ StringLike: { 's3:prefix': ['song_data*', 'log_data*', 'log_json_path.json*'] } });
    expect(JSON.stringify(policy)).not.toMatch(/"\*"|s3:\*|arn:aws:s3:::\*/);
  });

  it('status --watch follows creating → available, then shows the cluster', async () => {
    const watch = startCli(['cluster', 'status', '--watch', '--interval', '0.1'], env);
    await watch.waitForStdout(/sparkify-e2e {2}creating/);
    await fake.control('/clock', { advanceMs: STATE_DELAY_MS });
    const result = await watch.done;
    outputs.push(result.stdout, result.stderr);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    const creating = lines.findIndex((l) => / {2}creating$/.test(l));
    const available = lines.findIndex((l) => / {2}available {2}sparkify-e2e\..*:5439$/.test(l));
    expect(creating).toBeGreaterThanOrEqual(0);
    expect(available).toBeGreaterThan(creating);
    expect(result.stdout).toMatch(/nodes\s+1 × ra3\.large/);
    expect(result.stdout).toMatch(/access\s+not publicly accessible/);
  });

  it('status --format json gives endpoint, size, role and cost', async () => {
    const result = await cli(['cluster', 'status', '--format', 'json']);
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout) as Record<string, unknown> & { cost: Record<string, unknown> };
    expect(status).toMatchObject({
      identifier: CLUSTER,
      status: 'available',
      nodeType: 'ra3.large',
      nodes: 1,
      database: 'sparkify',
      adminUser: 'awsuser',
      publiclyAccessible: false,
      roleArns: [ROLE_ARN],
    });
    expect(status.endpoint).toMatch(/^sparkify-e2e\..+\.us-west-2\.redshift\.amazonaws\.com:5439$/);
    expect(status.cost).toMatchObject({ currency: 'USD', perHour: 0.543, billingNow: true });
  });

  it('runs the pipeline on the new cluster with nothing more than the config', async () => {
    const run = await cli(['run']);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const query = await cli(['query', 'select count(*) as plays from analytics.f_songplays', '--format', 'csv']);
    expect(query.code).toBe(0);
    expect(query.stdout.trim().split('\n')).toEqual(['plays', '6820']);
  });

  it('pause needs --yes without a terminal, and nothing changes', async () => {
    const result = await cli(['cluster', 'pause']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('refusing to pause cluster sparkify-e2e without confirmation');
    expect(result.stderr).toContain('pass --yes');
    expect(fake.state.clusters.get(CLUSTER)!.status).toBe('available');
  });

  it('pause stops compute billing; resume --wait follows it back to available', async () => {
    const pause = await cli(['cluster', 'pause', '--yes']);
    expect(pause.code).toBe(0);
    expect(pause.stdout).toContain('Pausing sparkify-e2e');
    expect(fake.state.clusters.get(CLUSTER)!.status).toBe('pausing');

    const early = await cli(['cluster', 'resume', '--yes']);
    expect(early.code).toBe(9);
    expect(early.stderr).toContain('cannot resume cluster sparkify-e2e: it is pausing');
    expect(early.stderr).toContain('pass --wait to act once it is paused');

    await fake.control('/clock', { advanceMs: STATE_DELAY_MS });
    const paused = JSON.parse((await cli(['cluster', 'status', '--format', 'json'])).stdout) as { status: string; cost: { billingNow: boolean } };
    expect(paused.status).toBe('paused');
    expect(paused.cost.billingNow).toBe(false);

    const again = await cli(['cluster', 'pause', '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already paused');

    const resume = startCli(['cluster', 'resume', '--yes', '--wait', '--interval', '0.1'], env);
    await resume.waitForStdout(/sparkify-e2e {2}resuming/);
    await fake.control('/clock', { advanceMs: STATE_DELAY_MS });
    const resumed = await resume.done;
    outputs.push(resumed.stdout, resumed.stderr);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/sparkify-e2e {2}available/);
  });

  it('delete --all removes the cluster, the role (detaching what was attached) and the config entry', async () => {
    fake.state.roles.get(ROLE)!.attachedPolicies.push('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
    const result = await cli(['cluster', 'delete', '--all', '--yes']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Deleting sparkify-e2e without a final snapshot (the default; pass --final-snapshot ID to keep one).');
    expect(result.stdout).toContain(
      `Deleted role ${ROLE} (after removing inline policy sparkify-source-read, attached policy arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess).`,
    );
    expect(result.stdout).toContain('Config: forgot cluster sparkify-e2e.');
    expect(result.stdout).toContain('Config: target is local again.');
    // The S3 sources stay for a next cluster, and the person is told what a local run does with them.
    expect(result.stdout).toContain('Config: the sources are still on S3: a local run fetches them into its cache, or point them at local folders with `sparkify setup`');
    expect(fake.state.roles.size).toBe(0);
    expect(fake.state.clusters.get(CLUSTER)!.status).toBe('deleting');

    await fake.control('/clock', { advanceMs: STATE_DELAY_MS });
    const state = (await fake.control('/state')) as Record<string, unknown[]>;
    expect(state.clusters).toEqual([]);
    expect(state.roles).toEqual([]);
    expect(state.snapshots).toEqual([]);

    const config = configFile();
    expect(config.cluster).toBeUndefined();
    expect(config.target).toBe('local');
    expect(config.redshift).toEqual({ region: 'us-west-2' });

    const gone = await cli(['cluster', 'status', '--cluster-id', CLUSTER]);
    expect(gone.code).toBe(9);
    expect(gone.stderr).toContain('no cluster sparkify-e2e in us-west-2');
    const none = await cli(['cluster', 'status']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no cluster given and none in the config');
  });

  it('never wrote a key, secret or password to the output or the config', () => {
    const everything = [...outputs, readFileSync(join(home, 'config.json'), 'utf8')].join('\n');
    expect(everything).not.toContain(FAKE_SECRET_ACCESS_KEY);
    expect(everything).not.toContain(FAKE_ACCESS_KEY_ID);
    expect(everything).not.toMatch(/MasterUserPassword|password\s*[:=]/i);
  });
});
