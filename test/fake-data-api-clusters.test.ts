// The fake Data API answers only for clusters the control plane holds, in the
// state they are in, and a COPY only with an IAM role associated with the
// cluster: checked with the real SDK clients over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateClusterCommand, PauseClusterCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import { CreateNamespaceCommand, CreateWorkgroupCommand, RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { DescribeStatementCommand, ExecuteStatementCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { startFakeAws, type RunningFake } from './fakes/aws/server.js';
import { createAllServices } from './fakes/aws/services.js';
import { DataApiFake } from './fakes/aws/data-api.js';
import { applyTestCredentials } from './fakes/aws/data-api-harness.js';
import { COURSE_DATA } from './helpers/cli.js';

applyTestCredentials();

const ROLE = 'arn:aws:iam::123456789012:role/sparkify-copy';
const OTHER_ROLE = 'arn:aws:iam::123456789012:role/not-associated';
const copy = (role: string) => `COPY songs FROM 's3://udacity-dend/song_data' IAM_ROLE '${role}' FORMAT AS JSON 'auto'`;

async function failure(promise: Promise<unknown>): Promise<Error> {
  return (await promise.then(() => new Error('no error'), (e: unknown) => e)) as Error;
}

describe('Data API against the control plane', () => {
  let fake: RunningFake;
  let data: RedshiftDataClient;
  let redshift: RedshiftClient;
  const run = async (Sql: string, ClusterIdentifier = 'music', Database = 'dev') => {
    const { Id } = await data.send(new ExecuteStatementCommand({ ClusterIdentifier, Database, DbUser: 'awsuser', Sql }));
    return data.send(new DescribeStatementCommand({ Id, WaitTimeSeconds: 10 }));
  };

  beforeAll(async () => {
    fake = await startFakeAws({ services: createAllServices({ dataApi: { buckets: { 'udacity-dend': COURSE_DATA } }, controlPlane: { stateDelayMs: 0 } }) });
    data = new RedshiftDataClient({ region: 'us-west-2', endpoint: fake.url, maxAttempts: 1 });
    redshift = new RedshiftClient({ region: 'us-west-2', endpoint: fake.url, maxAttempts: 1 });
    await redshift.send(
      new CreateClusterCommand({ ClusterIdentifier: 'music', NodeType: 'ra3.large', ClusterType: 'single-node', MasterUsername: 'awsuser', ManageMasterPassword: true, IamRoles: [ROLE] }),
    );
    await redshift.send(
      new CreateClusterCommand({ ClusterIdentifier: 'named', DBName: 'sparkify', NodeType: 'ra3.large', ClusterType: 'single-node', MasterUsername: 'awsuser', ManageMasterPassword: true }),
    );
  });

  afterAll(async () => {
    data.destroy();
    redshift.destroy();
    await fake.close();
  });

  it('refuses a cluster that does not exist with the service error', async () => {
    const error = await failure(data.send(new ExecuteStatementCommand({ ClusterIdentifier: 'nope', Database: 'dev', DbUser: 'awsuser', Sql: 'SELECT 1' })));
    expect([error.name, error.message]).toEqual(['ValidationException', "Redshift endpoint doesn't exist in this region."]);
    expect((await run('SELECT 1')).Status).toBe('FINISHED');
  });

  it('holds the database a cluster was created with, and no other beyond dev', async () => {
    expect((await run('SELECT 1', 'named', 'sparkify')).Status).toBe('FINISHED');
    const missing = await run('SELECT 1', 'named', 'music');
    expect([missing.Status, missing.Error]).toEqual(['FAILED', 'FATAL: database "music" does not exist']);
  });

  it("holds the database of a workgroup's namespace", async () => {
    const serverless = new RedshiftServerlessClient({ region: 'us-west-2', endpoint: fake.url, maxAttempts: 1 });
    await serverless.send(new CreateNamespaceCommand({ namespaceName: 'tunes-ns', dbName: 'tunes', manageAdminPassword: true }));
    await serverless.send(new CreateWorkgroupCommand({ workgroupName: 'tunes', namespaceName: 'tunes-ns', baseCapacity: 8 }));
    serverless.destroy();
    const { Id } = await data.send(new ExecuteStatementCommand({ WorkgroupName: 'tunes', Database: 'tunes', Sql: 'SELECT 1' }));
    expect((await data.send(new DescribeStatementCommand({ Id, WaitTimeSeconds: 10 }))).Status).toBe('FINISHED');
  });

  it('fails a COPY whose IAM role is not associated with the cluster, and runs one whose role is', async () => {
    expect((await run('CREATE TABLE songs (num_songs INTEGER, artist_id VARCHAR(32), song_id VARCHAR(32), title VARCHAR(512))')).Status).toBe('FINISHED');
    const refused = await run(copy(OTHER_ROLE));
    expect(refused.Status).toBe('FAILED');
    expect(refused.Error).toBe(`ERROR: User arn:aws:redshift:us-west-2:123456789012:dbuser:music/awsuser is not authorized to assume IAM Role ${OTHER_ROLE}`);
    const loaded = await run(copy(ROLE));
    expect([loaded.Status, loaded.ResultRows]).toEqual(['FINISHED', 71]);
  });

  it('refuses statements once the cluster is paused', async () => {
    await redshift.send(new PauseClusterCommand({ ClusterIdentifier: 'music' }));
    const error = await failure(run('SELECT 1'));
    expect([error.name, error.message]).toEqual(['ValidationException', 'Cluster music is not available to run statements: its status is paused.']);
  });
});

describe('Data API on a cluster in transition', () => {
  const statuses = new Map<string, string>();
  let fake: RunningFake;
  let data: RedshiftDataClient;

  beforeAll(async () => {
    const service = new DataApiFake({ clusters: (id) => (statuses.has(id) ? { status: statuses.get(id)!, iamRoles: [] } : undefined) });
    fake = await startFakeAws({ services: [service] });
    data = new RedshiftDataClient({ region: 'us-west-2', endpoint: fake.url, maxAttempts: 1 });
  });

  afterAll(async () => {
    data.destroy();
    await fake.close();
  });

  it.each(['pausing', 'resuming', 'deleting', 'creating'])('refuses statements while the cluster is %s', async (status) => {
    statuses.set('moving', status);
    const error = await failure(data.send(new ExecuteStatementCommand({ ClusterIdentifier: 'moving', Database: 'dev', DbUser: 'awsuser', Sql: 'SELECT 1' })));
    expect([error.name, error.message]).toEqual(['ValidationException', `Cluster moving is not available to run statements: its status is ${status}.`]);
  });
});

describe('Data API with no clusters given', () => {
  it('refuses every cluster, as a region without it does', async () => {
    const fake = await startFakeAws({ services: [new DataApiFake()] });
    const data = new RedshiftDataClient({ region: 'us-west-2', endpoint: fake.url, maxAttempts: 1 });
    try {
      const error = await failure(data.send(new ExecuteStatementCommand({ ClusterIdentifier: 'anything', Database: 'dev', DbUser: 'awsuser', Sql: 'SELECT 1' })));
      expect([error.name, error.message]).toEqual(['ValidationException', "Redshift endpoint doesn't exist in this region."]);
    } finally {
      data.destroy();
      await fake.close();
    }
  });
});
