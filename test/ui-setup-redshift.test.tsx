// The setup wizard's "existing Redshift cluster / Serverless workgroup" path,
// rendered with ink-testing-library against the fake AWS services on
// loopback: the real STS client resolves the identity, the real Data API
// client answers `select 1`, the real config store saves the result.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configPath, type SparkifyConfig } from '../src/pipeline/config.js';
import type { ControlPlaneState } from './fakes/aws/control-plane.js';
import type { DataApiFake } from './fakes/aws/data-api.js';
import { TEST_CREDENTIALS } from './fakes/aws/data-api-harness.js';
import { startFakeAws, type RunningFake } from './fakes/aws/server.js';
import { controlPlaneState, createAllServices } from './fakes/aws/services.js';
import { until } from './helpers/ink.js';
import { CTRL_U, DOWN, ENTER, ESC, UP } from './helpers/keys.js';
import { renderWizard, type Wizard } from './helpers/ink-wizard.js';

const ROLE = 'arn:aws:iam::123456789012:role/sparkify-s3-read';

let fake: RunningFake;
let dataApi: DataApiFake;
let controlPlane: ControlPlaneState;
let home: string;
const savedEnv = { ...process.env };

/** A loopback port nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  const services = createAllServices();
  dataApi = services[0] as DataApiFake;
  controlPlane = controlPlaneState(services);
  fake = await startFakeAws({ services });
  // What the credentials see: the cluster and the workgroup the tests name.
  controlPlane.addCluster('sparkify-dwh', { region: 'us-west-2', database: 'dev', iamRoles: [ROLE] });
  controlPlane.addWorkgroup('analytics', { region: 'eu-west-1' });
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'sparkify-wizard-redshift-'));
  // Only the test credentials and the fake: nothing from this machine's AWS setup.
  Object.assign(process.env, TEST_CREDENTIALS, {
    SPARKIFY_HOME: home,
    AWS_ENDPOINT_URL: fake.url,
    AWS_CONFIG_FILE: join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  for (const key of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL_REDSHIFT_DATA']) delete process.env[key];
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

/**
 * From the first question to "What kind of Redshift?", in `region` (Enter
 * alone keeps the default): past the list of what the credentials see, when
 * there is one, by its last entry ("type its name").
 */
async function startExisting({ app, frame, waitFor, press, answer }: Wizard, region?: string): Promise<void> {
  await waitFor('Where should the star schema live?');
  await press(DOWN, '❯ Existing Redshift cluster or Serverless workgroup');
  await press(ENTER, 'AWS region of the warehouse');
  if (region) await answer(region, 'Which AWS credentials?');
  else await press(ENTER, 'Which AWS credentials?');
  app.stdin.write(ENTER);
  await until(() => /Which cluster or workgroup\?|What kind of Redshift\?/.test(frame()), frame);
  if (frame().includes('Which cluster or workgroup?')) {
    await press(UP, '❯ Another one: type its name');
    await press(ENTER, 'What kind of Redshift?');
  }
  await waitFor('What kind of Redshift?');
}

/** From the first question to the checks, for a provisioned cluster with a database user. */
async function answerProvisioned(wizard: Wizard): Promise<void> {
  const { press, answer } = wizard;
  await startExisting(wizard, 'us-west-2');
  await press(ENTER, 'Cluster identifier');
  await answer('sparkify-dwh', 'Database name');
  await press(ENTER, 'How does sparkify sign in to the database?');
  await press(ENTER, 'Database user');
  await answer('awsuser', 'Song data (s3:// prefix)');
  await press(ENTER, 'Event logs (s3:// prefix)');
  await press(ENTER, 'jsonpaths file');
  await press(ENTER, 'IAM role Redshift assumes');
  await answer(ROLE, 'Checking the settings');
}

function selectOnes(): number {
  return (dataApi.control('/statements', {}) as { sql: string }[]).filter((s) => /^\s*select 1\s*$/i.test(s.sql)).length;
}

function identityCalls(): number {
  return controlPlane.requests.filter((r) => r.service === 'sts' && r.operation === 'GetCallerIdentity').length;
}

describe('setup wizard on Redshift (fake AWS on loopback)', () => {
  it('checks the identity with STS and select 1 through the Data API, then saves the cluster settings', async () => {
    const wizard = renderWizard();
    const { app, frame, all, waitFor } = wizard;
    const before = { identity: identityCalls(), selects: selectOnes() };
    await answerProvisioned(wizard);
    await until(() => all().includes('settings saved to'), frame);
    await waitFor('p runs the pipeline');

    const checks = all();
    expect(checks).toMatch(/✓ AWS identity: arn:aws:iam::\d{12}:\S+/);
    expect(checks).toContain('✓ warehouse: select 1 answered');
    expect(checks).toContain('✓ song data: s3://udacity-dend/song_data (read by Redshift at load time)');
    expect(identityCalls()).toBe(before.identity + 1);
    expect(selectOnes()).toBe(before.selects + 1);

    expect(frame()).toContain('redshift cluster sparkify-dwh (us-west-2)');
    const saved = JSON.parse(readFileSync(configPath(home), 'utf8')) as SparkifyConfig;
    expect(saved).toEqual({
      target: 'redshift',
      sources: {
        songData: 's3://udacity-dend/song_data',
        logData: 's3://udacity-dend/log_data',
        logJsonpaths: 's3://udacity-dend/log_json_path.json',
      },
      redshift: { region: 'us-west-2', clusterIdentifier: 'sparkify-dwh', database: 'dev', dbUser: 'awsuser', iamRole: ROLE },
    });
    expect(statSync(configPath(home)).mode & 0o777).toBe(0o600);
    expect(readFileSync(configPath(home), 'utf8')).not.toContain(TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY);
    app.unmount();
  });

  it('saves a Serverless workgroup signed in with the IAM identity, with the course bucket region for a cluster elsewhere', async () => {
    const wizard = renderWizard();
    const { app, frame, all, waitFor, press, answer } = wizard;
    await startExisting(wizard, 'eu-west-1');
    await press(DOWN, '❯ Serverless workgroup');
    await press(ENTER, 'Serverless workgroup name');
    await answer('analytics', 'Database name');
    await press(ENTER, 'How does sparkify sign in to the database?');
    expect(frame()).toContain('❯ My IAM identity');
    await press(ENTER, 'Song data (s3:// prefix)');
    await press(ENTER, 'Event logs (s3:// prefix)');
    await press(ENTER, 'jsonpaths file');
    await press(ENTER, 'IAM role Redshift assumes');
    await answer(ROLE, 'Checking the settings');
    await until(() => all().includes('settings saved to'), frame);
    expect(all()).toContain('✓ warehouse: select 1 answered');

    const saved = JSON.parse(readFileSync(configPath(home), 'utf8')) as SparkifyConfig;
    expect(saved.redshift).toEqual({ region: 'eu-west-1', workgroupName: 'analytics', database: 'dev', iamRole: ROLE });
    expect(saved.sources.sourceRegion).toBe('us-west-2');
    await waitFor('redshift workgroup analytics (eu-west-1)');
    app.unmount();
  });

  it('takes the prefilled database user with Enter, checks the identifier and the IAM role, and saves the identifier in lower case', async () => {
    const wizard = renderWizard();
    const { app, frame, all, press, answer } = wizard;
    await startExisting(wizard, 'us-west-2');
    await press(ENTER, 'Cluster identifier');
    // Checked by Redshift's rule, and saved in the lower case Redshift keeps.
    await answer('Sparkify--DWH', 'not a valid cluster identifier');
    await answer('Sparkify-DWH', 'Database name');
    expect(frame()).toContain('› dev');
    await press(ENTER, 'How does sparkify sign in to the database?');
    await press(ENTER, 'Database user');
    expect(frame()).toContain('› awsuser');
    // Cleared, the field shows an example, which Enter does not take.
    await press(CTRL_U, 'e.g. awsuser');
    await press(ENTER, 'this one is needed');
    // Coming back to the step offers the default again.
    await press(ESC, 'How does sparkify sign in to the database?');
    await press(ENTER, 'Database user');
    expect(frame()).toContain('› awsuser');
    await press(ENTER, 'Song data (s3:// prefix)');
    await press(ENTER, 'Event logs (s3:// prefix)');
    await press(ENTER, 'jsonpaths file');
    await press(ENTER, 'IAM role Redshift assumes');
    // The cursor comes first: the example reads as a hint, not as text already typed.
    expect(frame()).toMatch(/› +e\.g\. arn:aws:iam::123456789012:role\/…/);
    await press(ENTER, 'this one is needed');
    await answer('not-an-arn', 'not an IAM role ARN');
    await answer(ROLE, 'Checking the settings');
    await until(() => all().includes('settings saved to'), frame);

    const saved = JSON.parse(readFileSync(configPath(home), 'utf8')) as SparkifyConfig;
    expect(saved.redshift).toEqual({ region: 'us-west-2', clusterIdentifier: 'sparkify-dwh', database: 'dev', dbUser: 'awsuser', iamRole: ROLE });
    app.unmount();
  });

  it('shows the secret ARN as an example and needs a real one', async () => {
    const wizard = renderWizard();
    const { app, frame, press, answer } = wizard;
    await startExisting(wizard);
    await press(ENTER, 'Cluster identifier');
    await answer('sparkify-dwh', 'Database name');
    await press(ENTER, 'How does sparkify sign in to the database?');
    await press(DOWN, '❯ A Secrets Manager secret');
    await press(ENTER, 'Secret ARN');
    expect(frame()).toMatch(/› +e\.g\. arn:aws:secretsmanager:/);
    await press(ENTER, 'this one is needed');
    await answer('arn:aws:secretsmanager:us-west-2:123456789012:secret:sparkify-AbCdEf', 'Song data (s3:// prefix)');
    app.unmount();
  });

  it('shows an unreachable endpoint inline with what to check, saves nothing, and passes once it answers', async () => {
    process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${await closedPort()}`;
    const wizard = renderWizard();
    const { app, frame, all, waitFor } = wizard;
    await answerProvisioned(wizard);
    await waitFor('nothing was saved', 30_000);
    expect(frame()).toMatch(/✗ AWS identity: cannot reach AWS/);
    expect(frame()).toContain(`AWS_ENDPOINT_URL is ${process.env.AWS_ENDPOINT_URL}`);
    expect(frame()).toContain('Enter checks again');
    expect(frame()).not.toContain('✓ warehouse');
    expect(existsSync(configPath(home))).toBe(false);

    process.env.AWS_ENDPOINT_URL = fake.url;
    app.stdin.write(ENTER);
    await until(() => all().includes('settings saved to'), frame);
    expect(existsSync(configPath(home))).toBe(true);
    await waitFor('p runs the pipeline');
    app.unmount();
  });

  it('shows missing credentials inline with how to set them, and saves nothing', async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    const wizard = renderWizard();
    const { app, frame, waitFor } = wizard;
    await answerProvisioned(wizard);
    await waitFor('nothing was saved', 30_000);
    expect(frame()).toContain('✗ AWS identity: no AWS credentials found');
    expect(frame()).toMatch(/aws configure|AWS_ACCESS_KEY_ID/);
    expect(frame()).toContain('Esc');
    expect(frame()).not.toContain('✓ warehouse');
    expect(existsSync(configPath(home))).toBe(false);
    app.unmount();
  });

  it('shows a Data API refusal of the warehouse inline, after the identity resolved', async () => {
    dataApi.control('/faults', { next: [{ kind: 'expired', op: 'ExecuteStatement', count: 4 }] });
    const wizard = renderWizard();
    const { app, frame, waitFor } = wizard;
    await answerProvisioned(wizard);
    await waitFor('nothing was saved', 30_000);
    expect(frame()).toMatch(/✓ AWS identity: arn:aws:/);
    expect(frame()).toMatch(/✗ warehouse: .+/);
    expect(existsSync(configPath(home))).toBe(false);
    dataApi.control('/reset', {});
    app.unmount();
  });

  it('lists what the credentials see and fills in the database, user and role of the one picked', async () => {
    controlPlane.addCluster('listed-two', { region: 'us-west-2', nodes: 2, database: 'dev', masterUsername: 'admin', iamRoles: ['arn:aws:iam::123456789012:role/listed-read'] });
    const wizard = renderWizard();
    const { app, frame, all, waitFor, press, answer } = wizard;
    await waitFor('Where should the star schema live?');
    await press(DOWN, '❯ Existing Redshift cluster or Serverless workgroup');
    await press(ENTER, 'AWS region of the warehouse');
    await answer('us-west-2', 'Which AWS credentials?');
    await press(ENTER, 'Which cluster or workgroup?');
    expect(frame()).toContain('cluster listed-two');
    expect(frame()).toContain('cluster sparkify-dwh');
    // Another region's workgroup is not listed here.
    expect(frame()).not.toContain('workgroup analytics');
    await press(UP, '❯ Another one: type its name');
    await press(UP, '❯ cluster sparkify-dwh');
    await press(UP, '❯ cluster listed-two');
    expect(frame()).toMatch(/listed-two\s+available · 2 × ra3\.large · database dev · role listed-read/);
    await press(ENTER, 'Database name');
    expect(frame()).toContain('› dev');
    await press(ENTER, 'How does sparkify sign in to the database?');
    await press(ENTER, 'Database user');
    expect(frame()).toContain('› admin');
    await press(ENTER, 'Song data (s3:// prefix)');
    await press(ENTER, 'Event logs (s3:// prefix)');
    await press(ENTER, 'jsonpaths file');
    await press(ENTER, 'IAM role Redshift assumes');
    expect(frame()).toContain('› arn:aws:iam::123456789012:role/listed-read');
    await press(ENTER, 'Checking the settings');
    await until(() => all().includes('settings saved to'), frame);
    expect(all()).toContain('✓ cluster: listed-two is available (2 × ra3.large)');
    const saved = JSON.parse(readFileSync(configPath(home), 'utf8')) as SparkifyConfig;
    expect(saved.redshift).toEqual({
      region: 'us-west-2',
      clusterIdentifier: 'listed-two',
      database: 'dev',
      dbUser: 'admin',
      iamRole: 'arn:aws:iam::123456789012:role/listed-read',
    });
    app.unmount();
  });

  it('reports a cluster that does not exist before anything is saved, and never tries select 1 on it', async () => {
    const wizard = renderWizard();
    const { app, frame, waitFor, press, answer } = wizard;
    const selects = selectOnes();
    await startExisting(wizard, 'us-west-2');
    await press(ENTER, 'Cluster identifier');
    await answer('not-there', 'Database name');
    await press(ENTER, 'How does sparkify sign in to the database?');
    await press(ENTER, 'Database user');
    await press(ENTER, 'Song data (s3:// prefix)');
    await press(ENTER, 'Event logs (s3:// prefix)');
    await press(ENTER, 'jsonpaths file');
    await press(ENTER, 'IAM role Redshift assumes');
    await answer(ROLE, 'Checking the settings');
    await waitFor('nothing was saved', 30_000);
    expect(frame()).toContain('✗ cluster: no cluster not-there in us-west-2 for these credentials');
    expect(frame()).toContain('pick one from the list');
    expect(frame()).not.toContain('select 1 answered');
    expect(selectOnes()).toBe(selects);
    expect(existsSync(configPath(home))).toBe(false);
    app.unmount();
  });
});
