// The control-plane fakes answer the real AWS SDK clients in the shapes they
// parse, move statuses only when the test clock says so, and fail on demand.
// The provisioning core's watch runs against them too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateClusterCommand,
  DeleteClusterCommand,
  DescribeClusterSnapshotsCommand,
  DescribeClustersCommand,
  PauseClusterCommand,
  RedshiftClient,
  ResumeClusterCommand,
} from '@aws-sdk/client-redshift';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  CreateNamespaceCommand,
  CreateWorkgroupCommand,
  DeleteNamespaceCommand,
  DeleteWorkgroupCommand,
  GetNamespaceCommand,
  GetWorkgroupCommand,
  RedshiftServerlessClient,
  CreateUsageLimitCommand,
  DeleteUsageLimitCommand,
  ListUsageLimitsCommand,
  ListWorkgroupsCommand,
} from '@aws-sdk/client-redshift-serverless';
import { watchCluster } from '../src/pipeline/provision/cluster.js';
import { deleteSourceRole, ensureSourceRole, readSourcePolicy } from '../src/pipeline/provision/role.js';
import { parseFaults } from './fakes/aws/control-plane.js';
import { FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY, startControlPlane, type ControlPlaneHarness } from './fakes/aws/control-plane-harness.js';

const DELAY = 60_000;
let fake: ControlPlaneHarness;
let config: { region: string; endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string } };

beforeAll(async () => {
  fake = await startControlPlane({ stateDelayMs: DELAY });
  config = { region: 'us-west-2', endpoint: fake.url, credentials: { accessKeyId: FAKE_ACCESS_KEY_ID, secretAccessKey: FAKE_SECRET_ACCESS_KEY } };
  // The provisioning core takes credentials and endpoint from the standard chain, as in production.
  process.env.AWS_ACCESS_KEY_ID = FAKE_ACCESS_KEY_ID;
  process.env.AWS_SECRET_ACCESS_KEY = FAKE_SECRET_ACCESS_KEY;
  process.env.AWS_ENDPOINT_URL = fake.url;
  delete process.env.AWS_PROFILE;
});

afterAll(async () => {
  await fake?.close();
});

function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string; $metadata?: { httpStatusCode?: number } }> {
  return promise.then(
    () => {
      throw new Error('expected an error');
    },
    (error: { name: string; message: string }) => error,
  );
}

describe('Redshift clusters', () => {
  it('go creating → available → pausing → paused → resuming → available → deleting → gone on the test clock', async () => {
    const redshift = new RedshiftClient(config);
    const created = await redshift.send(
      new CreateClusterCommand({
        ClusterIdentifier: 'shape-check',
        NodeType: 'ra3.xlplus',
        NumberOfNodes: 3,
        MasterUsername: 'admin',
        ManageMasterPassword: true,
        DBName: 'music',
        IamRoles: ['arn:aws:iam::123456789012:role/r'],
        Tags: [{ Key: 'team', Value: 'data' }],
      }),
    );
    expect(created.Cluster).toMatchObject({
      ClusterIdentifier: 'shape-check',
      NodeType: 'ra3.xlplus',
      NumberOfNodes: 3,
      ClusterStatus: 'creating',
      MasterUsername: 'admin',
      DBName: 'music',
      PubliclyAccessible: false,
      IamRoles: [{ IamRoleArn: 'arn:aws:iam::123456789012:role/r', ApplyStatus: 'in-sync' }],
      Tags: [{ Key: 'team', Value: 'data' }],
    });
    expect(created.Cluster?.ClusterCreateTime).toBeInstanceOf(Date);
    expect(created.Cluster?.MasterPasswordSecretArn).toMatch(/^arn:aws:secretsmanager:us-west-2:123456789012:secret:redshift!shape-check-admin-/);
    expect(created.Cluster?.Endpoint).toBeUndefined();

    const describe = async () => (await redshift.send(new DescribeClustersCommand({ ClusterIdentifier: 'shape-check' }))).Clusters?.[0];
    const early = await errorOf(redshift.send(new PauseClusterCommand({ ClusterIdentifier: 'shape-check' })));
    expect(early.name).toBe('InvalidClusterStateFault');
    expect(early.message).toContain('creating');

    await fake.control('/clock', { advanceMs: DELAY - 1000 });
    expect((await describe())?.ClusterStatus).toBe('creating');
    await fake.control('/clock', { advanceMs: 1000 });
    const available = await describe();
    expect(available?.ClusterStatus).toBe('available');
    expect(available?.Endpoint).toEqual({ Address: 'shape-check.c11fake.us-west-2.redshift.amazonaws.com', Port: 5439 });

    expect((await redshift.send(new PauseClusterCommand({ ClusterIdentifier: 'shape-check' }))).Cluster?.ClusterStatus).toBe('pausing');
    await fake.control('/clock', { advanceMs: DELAY });
    expect((await describe())?.ClusterStatus).toBe('paused');
    expect((await redshift.send(new ResumeClusterCommand({ ClusterIdentifier: 'shape-check' }))).Cluster?.ClusterStatus).toBe('resuming');
    await fake.control('/clock', { advanceMs: DELAY });
    expect((await describe())?.ClusterStatus).toBe('available');

    const noSnapshotChoice = await errorOf(redshift.send(new DeleteClusterCommand({ ClusterIdentifier: 'shape-check' })));
    expect(noSnapshotChoice.name).toBe('InvalidParameterCombination');
    // With a final snapshot Redshift takes it first: final-snapshot, then deleting, then gone.
    const deleting = await redshift.send(new DeleteClusterCommand({ ClusterIdentifier: 'shape-check', FinalClusterSnapshotIdentifier: 'last' }));
    expect(deleting.Cluster?.ClusterStatus).toBe('final-snapshot');
    const snapshot = () => redshift.send(new DescribeClusterSnapshotsCommand({ SnapshotIdentifier: 'last' }));
    expect((await snapshot()).Snapshots?.[0]).toMatchObject({ SnapshotIdentifier: 'last', ClusterIdentifier: 'shape-check', Status: 'creating' });
    await fake.control('/clock', { advanceMs: DELAY });
    expect((await describe())?.ClusterStatus).toBe('deleting');
    await fake.control('/clock', { advanceMs: DELAY });
    const missing = await errorOf(describe());
    expect(missing.name).toBe('ClusterNotFoundFault');
    expect(missing.$metadata?.httpStatusCode).toBe(404);
    expect((await snapshot()).Snapshots?.[0]).toMatchObject({ SnapshotIdentifier: 'last', Status: 'available', NodeType: 'ra3.xlplus' });
    expect((await errorOf(redshift.send(new DescribeClusterSnapshotsCommand({ SnapshotIdentifier: 'none' })))).name).toBe('ClusterSnapshotNotFoundFault');
  });

  it('refuses what Redshift refuses', async () => {
    const redshift = new RedshiftClient(config);
    const base = { NodeType: 'dc2.large', MasterUsername: 'a', ManageMasterPassword: true };
    expect((await errorOf(redshift.send(new CreateClusterCommand({ ...base, ClusterIdentifier: 'Bad--Name' })))).name).toBe('InvalidParameterValue');
    expect((await errorOf(redshift.send(new CreateClusterCommand({ ...base, ClusterIdentifier: 'one', NumberOfNodes: 1 })))).message).toContain(
      'greater than or equal to 2',
    );
    const noPassword = await errorOf(redshift.send(new CreateClusterCommand({ ClusterIdentifier: 'two', NodeType: 'dc2.large', MasterUsername: 'a', ClusterType: 'single-node' })));
    expect(noPassword.message).toContain('MasterUserPassword or ManageMasterPassword');
    await redshift.send(new CreateClusterCommand({ ...base, ClusterIdentifier: 'single', ClusterType: 'single-node' }));
    expect((await errorOf(redshift.send(new CreateClusterCommand({ ...base, ClusterIdentifier: 'single', ClusterType: 'single-node' })))).name).toBe(
      'ClusterAlreadyExistsFault',
    );
  });
});

describe('IAM and STS', () => {
  it('roles, inline and attached policies, in the order IAM insists on', async () => {
    const iam = new IAMClient(config);
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'redshift.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    const created = await iam.send(new CreateRoleCommand({ RoleName: 'shape-role', AssumeRolePolicyDocument: trust }));
    expect(created.Role).toMatchObject({ RoleName: 'shape-role', Arn: 'arn:aws:iam::123456789012:role/shape-role', Path: '/' });
    expect(decodeURIComponent(created.Role?.AssumeRolePolicyDocument ?? '')).toBe(trust);
    expect((await errorOf(iam.send(new CreateRoleCommand({ RoleName: 'shape-role', AssumeRolePolicyDocument: trust })))).name).toBe(
      'EntityAlreadyExistsException',
    );
    expect((await errorOf(iam.send(new GetRoleCommand({ RoleName: 'nobody' })))).name).toBe('NoSuchEntityException');
    expect((await errorOf(iam.send(new PutRolePolicyCommand({ RoleName: 'shape-role', PolicyName: 'p', PolicyDocument: '{not json' })))).name).toBe(
      'MalformedPolicyDocumentException',
    );

    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/p*' }] });
    await iam.send(new PutRolePolicyCommand({ RoleName: 'shape-role', PolicyName: 'read', PolicyDocument: policy }));
    expect(decodeURIComponent((await iam.send(new GetRolePolicyCommand({ RoleName: 'shape-role', PolicyName: 'read' }))).PolicyDocument ?? '')).toBe(policy);
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'shape-role', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'shape-role' }))).PolicyNames).toEqual(['read']);
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'shape-role' }))).AttachedPolicies).toEqual([
      { PolicyName: 'AmazonS3ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' },
    ]);

    expect((await errorOf(iam.send(new DeleteRoleCommand({ RoleName: 'shape-role' })))).message).toBe('Cannot delete entity, must delete policies first.');
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'shape-role', PolicyName: 'read' }));
    expect((await errorOf(iam.send(new DeleteRoleCommand({ RoleName: 'shape-role' })))).message).toBe('Cannot delete entity, must detach all policies first.');
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'shape-role', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'shape-role' }));
    expect(fake.state.roles.has('shape-role')).toBe(false);
  });

  it('the core creates the role once, rewrites its policy each time, and removes it in IAM order', async () => {
    const scope = { region: 'us-west-2' };
    const locations = [{ bucket: 'my-bucket', prefix: 'raw/songs' }];
    const first = await ensureSourceRole(scope, { roleName: 'core-role', locations });
    const second = await ensureSourceRole(scope, { roleName: 'core-role', locations: [...locations, { bucket: 'other', prefix: '' }] });
    expect(first.created).toBe(true);
    expect(second).toEqual({ ...first, created: false });
    const policy = await readSourcePolicy(scope, 'core-role');
    expect(policy?.Statement).toEqual([
      { Sid: 'ReadSourceObjects', Effect: 'Allow', Action: 's3:GetObject', Resource: ['arn:aws:s3:::my-bucket/raw/songs*', 'arn:aws:s3:::other/*'] },
      { Sid: 'ListSourcePrefixes1', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::my-bucket', Condition: { StringLike: { 's3:prefix': ['raw/songs*'] } } },
      { Sid: 'ListSourcePrefixes2', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::other' },
    ]);
    fake.state.roles.get('core-role')!.attachedPolicies.push('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
    expect(await deleteSourceRole(scope, 'core-role')).toEqual({
      roleName: 'core-role',
      existed: true,
      inlinePolicies: ['sparkify-source-read'],
      detachedPolicies: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
    });
    expect(await deleteSourceRole(scope, 'core-role')).toMatchObject({ existed: false });
  });

  it('STS says who is calling', async () => {
    const identity = await new STSClient(config).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/sparkify-test' });
  });
});

describe('Redshift Serverless', () => {
  it('namespaces and workgroups, with the conflicts AWS raises', async () => {
    const client = new RedshiftServerlessClient(config);
    const namespace = await client.send(new CreateNamespaceCommand({ namespaceName: 'shape-ns', manageAdminPassword: true, adminUsername: 'admin', dbName: 'dev' }));
    expect(namespace.namespace).toMatchObject({ namespaceName: 'shape-ns', status: 'AVAILABLE', dbName: 'dev', adminUsername: 'admin' });
    expect(namespace.namespace?.creationDate).toBeInstanceOf(Date);
    expect((await errorOf(client.send(new CreateWorkgroupCommand({ workgroupName: 'shape-wg', namespaceName: 'shape-ns', baseCapacity: 10 })))).name).toBe(
      'ValidationException',
    );
    const workgroup = await client.send(new CreateWorkgroupCommand({ workgroupName: 'shape-wg', namespaceName: 'shape-ns', baseCapacity: 32 }));
    expect(workgroup.workgroup).toMatchObject({ workgroupName: 'shape-wg', namespaceName: 'shape-ns', baseCapacity: 32, status: 'CREATING' });
    expect((await errorOf(client.send(new DeleteWorkgroupCommand({ workgroupName: 'shape-wg' })))).name).toBe('ConflictException');
    await fake.control('/clock', { advanceMs: DELAY });
    const available = (await client.send(new GetWorkgroupCommand({ workgroupName: 'shape-wg' }))).workgroup;
    expect(available?.status).toBe('AVAILABLE');
    expect(available?.endpoint).toMatchObject({ address: 'shape-wg.123456789012.us-west-2.redshift-serverless.amazonaws.com', port: 5439 });

    expect((await errorOf(client.send(new DeleteNamespaceCommand({ namespaceName: 'shape-ns' })))).name).toBe('ConflictException');
    await client.send(new DeleteWorkgroupCommand({ workgroupName: 'shape-wg' }));
    await fake.control('/clock', { advanceMs: DELAY });
    expect((await errorOf(client.send(new GetWorkgroupCommand({ workgroupName: 'shape-wg' })))).name).toBe('ResourceNotFoundException');
    await client.send(new DeleteNamespaceCommand({ namespaceName: 'shape-ns' }));
    await fake.control('/clock', { advanceMs: DELAY });
    expect((await errorOf(client.send(new GetNamespaceCommand({ namespaceName: 'shape-ns' })))).name).toBe('ResourceNotFoundException');
  });

  it('4 RPU is the smallest base capacity; usage limits cap a workgroup; ListWorkgroups pages', async () => {
    const client = new RedshiftServerlessClient(config);
    await client.send(new CreateNamespaceCommand({ namespaceName: 'limit-ns', manageAdminPassword: true, adminUsername: 'admin' }));
    const small = (await client.send(new CreateWorkgroupCommand({ workgroupName: 'limit-wg', namespaceName: 'limit-ns', baseCapacity: 4 }))).workgroup!;
    expect(small.baseCapacity).toBe(4);
    for (const bad of [2, 12, 520, 1056]) {
      const refused = await errorOf(client.send(new CreateWorkgroupCommand({ workgroupName: `bad-${bad}`, namespaceName: 'limit-ns', baseCapacity: bad })));
      expect(refused.name).toBe('ValidationException');
    }
    await client.send(new CreateWorkgroupCommand({ workgroupName: 'limit-two', namespaceName: 'limit-ns', baseCapacity: 576 }));

    const limit = { resourceArn: small.workgroupArn, usageType: 'serverless-compute' as const, amount: 8, period: 'daily' as const, breachAction: 'deactivate' as const };
    const created = (await client.send(new CreateUsageLimitCommand(limit))).usageLimit!;
    expect(created).toMatchObject({ resourceArn: small.workgroupArn, amount: 8, period: 'daily', breachAction: 'deactivate' });
    expect((await errorOf(client.send(new CreateUsageLimitCommand(limit)))).name).toBe('ConflictException');
    expect((await errorOf(client.send(new CreateUsageLimitCommand({ ...limit, resourceArn: 'arn:aws:redshift-serverless:us-west-2:1:workgroup/none' })))).name).toBe(
      'ResourceNotFoundException',
    );
    expect((await errorOf(client.send(new CreateUsageLimitCommand({ ...limit, period: 'weekly', amount: 0 })))).name).toBe('ValidationException');
    const listed = await client.send(new ListUsageLimitsCommand({ resourceArn: small.workgroupArn, usageType: 'serverless-compute' }));
    expect(listed.usageLimits?.map((l) => l.usageLimitId)).toEqual([created.usageLimitId]);

    const first = await client.send(new ListWorkgroupsCommand({ maxResults: 1 }));
    expect(first.workgroups?.map((w) => w.workgroupName)).toEqual(['limit-two']);
    const second = await client.send(new ListWorkgroupsCommand({ maxResults: 1, nextToken: first.nextToken }));
    expect(second.workgroups?.map((w) => w.workgroupName)).toEqual(['limit-wg']);
    expect(second.nextToken).toBeUndefined();

    await client.send(new DeleteUsageLimitCommand({ usageLimitId: created.usageLimitId }));
    expect((await client.send(new ListUsageLimitsCommand({ resourceArn: small.workgroupArn }))).usageLimits).toEqual([]);
  });
});

describe('faults, signatures and the watch', () => {
  it('faults fire by operation, as many times as armed; throttling is retried by the SDK', async () => {
    expect(parseFaults('CreateCluster=InsufficientClusterCapacity, GetRole=Throttling*2,PutRolePolicy=AccessDenied*-1')).toEqual([
      { operation: 'CreateCluster', code: 'InsufficientClusterCapacity', count: 1 },
      { operation: 'GetRole', code: 'Throttling', count: 2 },
      { operation: 'PutRolePolicy', code: 'AccessDenied', count: -1 },
    ]);
    expect(() => parseFaults('nonsense')).toThrow('bad fault');

    const sts = new STSClient(config);
    await fake.control('/faults', { operation: 'GetCallerIdentity', code: 'AccessDenied', count: 2 });
    for (let i = 0; i < 2; i++) {
      const denied = await errorOf(sts.send(new GetCallerIdentityCommand({})));
      expect(denied.name).toBe('AccessDenied');
      expect(denied.message).toContain('is not authorized to perform: sts:GetCallerIdentity');
    }
    await sts.send(new GetCallerIdentityCommand({}));

    await fake.control('/faults', { operation: 'GetCallerIdentity', code: 'Throttling' });
    const retried = await sts.send(new GetCallerIdentityCommand({}));
    expect(retried.$metadata.attempts).toBe(2);
  });

  it('refuses unsigned requests', async () => {
    const response = await fetch(fake.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-amz-target': 'RedshiftServerless.GetWorkgroup' },
      body: '{}',
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('MissingAuthenticationToken');
  });

  it('watchCluster yields each poll until the cluster settles, and stops when aborted', async () => {
    const redshift = new RedshiftClient(config);
    await redshift.send(new CreateClusterCommand({ ClusterIdentifier: 'watched', NodeType: 'dc2.large', NumberOfNodes: 2, MasterUsername: 'a', ManageMasterPassword: true }));
    const ref = { identifier: 'watched', region: 'us-west-2' };

    const statuses: string[] = [];
    for await (const snapshot of watchCluster(ref, { intervalMs: 20 })) {
      statuses.push(snapshot.status);
      if (statuses.length === 3) await fake.control('/clock', { advanceMs: DELAY });
    }
    expect(statuses).toEqual(['creating', 'creating', 'creating', 'available']);

    await redshift.send(new PauseClusterCommand({ ClusterIdentifier: 'watched' }));
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const snapshot of watchCluster(ref, { intervalMs: 20, signal: controller.signal })) {
      seen.push(snapshot.status);
      if (seen.length === 2) controller.abort();
    }
    expect(seen).toEqual(['pausing', 'pausing']);
  });
});
