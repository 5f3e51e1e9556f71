// The cluster screen against the fake AWS control plane over loopback HTTP:
// the real provisioning code and SDK clients, a real config file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configPath, type SparkifyConfig } from '../src/pipeline/config.js';
import { ConfigStore } from '../src/pipeline/config-store.js';
import { AppRoot, openConfiguredWarehouse } from '../src/ui/app.js';
import { HelpLine } from '../src/ui/components/help-line.js';
import { AppProvider, useAppState } from '../src/ui/contexts/app-context.js';
import { ClusterScreen } from '../src/ui/screens/cluster-screen.js';
import { startFakeAws, type RunningFake } from './fakes/aws/server.js';
import { createAllServices } from './fakes/aws/services.js';
import { until as waitUntil, untilReady } from './helpers/ink.js';

let fake: RunningFake;
let home: string;

beforeAll(async () => {
  // The Data API answers for the fake's clusters and workgroups, as on AWS: the screen reads a workgroup's usage through it.
  fake = await startFakeAws({ services: createAllServices({ controlPlane: { stateDelayMs: 600 } }) });
  home = mkdtempSync(join(tmpdir(), 'sparkify-cluster-'));
  Object.assign(process.env, {
    SPARKIFY_HOME: home,
    AWS_ENDPOINT_URL: fake.url,
    AWS_ACCESS_KEY_ID: 'AKIDFAKEFAKEFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret',
    AWS_REGION: 'us-west-2',
    AWS_CONFIG_FILE: join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
  });
});

afterAll(async () => {
  await fake.close();
  rmSync(home, { recursive: true, force: true });
});

const until = (check: () => boolean, what: () => string, timeoutMs = 20_000) => waitUntil(check, what, timeoutMs);

/** The cluster keys' help line as the app draws it: without the keys the screen says do nothing now. */
function ClusterHelpLine() {
  const { keysOff } = useAppState();
  return <HelpLine scopes={['cluster']} width={200} hide={keysOff} />;
}

function renderScreen(config: SparkifyConfig) {
  const app = render(
    <AppProvider config={config} openWarehouse={openConfiguredWarehouse}>
      <ClusterScreen isActive height={18} refreshMs={150} />
      <ClusterHelpLine />
    </AppProvider>,
  );
  const frame = () => app.lastFrame() ?? '';
  const waitFor = (text: string | RegExp) => untilReady(() => (typeof text === 'string' ? frame().includes(text) : text.test(frame())), frame, 45_000);
  return { app, frame, waitFor };
}

describe('cluster screen', () => {
  it('says no cluster is configured on the local target and how to make one', async () => {
    const { app, waitFor } = renderScreen({ target: 'local', sources: {}, redshift: {} });
    await waitFor('no cluster configured');
    await waitFor('n creates one (1 × ra3.large in us-west-2)');
    app.unmount();
  });

  it("names the text field's keys in the help line while the cluster name is asked, and the confirmation's at the question", async () => {
    const app = render(<AppRoot config={{ target: 'local', sources: {}, redshift: {} }} openWarehouse={openConfiguredWarehouse} />);
    const frame = () => app.lastFrame() ?? '';
    const waitFor = (text: string) => untilReady(() => frame().includes(text), frame, 20_000);
    await waitFor('c shows the cluster');
    app.stdin.write('c');
    await waitFor('no cluster configured');
    app.stdin.write('n');
    await waitFor('Name of the new cluster');
    await waitFor('Enter ok  Ctrl-U clear  Esc cancel');
    expect(frame()).not.toContain('y yes');
    app.stdin.write('\r');
    await waitFor('Create cluster sparkify-dwh?');
    await waitFor('y yes  n/Esc no');
    app.stdin.write('n');
    await waitFor('n create');
    await waitFor('q quit');
    // Nothing to pause, resume or delete: those keys are not offered.
    expect(frame()).not.toMatch(/z pause|u resume|d delete/);
    app.unmount();
  });

  it('creates, watches, pauses and deletes a cluster, each after a confirmation that names it', async () => {
    const config = new ConfigStore().update({ target: 'local', sources: {}, redshift: {} });
    const { app, frame, waitFor } = renderScreen(config);
    await waitFor('no cluster configured');

    app.stdin.write('n');
    await waitFor('Name of the new cluster');
    app.stdin.write('\u0015');
    await until(() => !frame().includes('› sparkify-dwh'), frame);
    app.stdin.write('ui-test');
    await waitFor('› ui-test');
    app.stdin.write('\r');
    await waitFor('Create cluster ui-test?');
    expect(frame()).toContain('1 × ra3.large in us-west-2');
    expect(frame()).toContain('sparkify-ui-test-s3-read');
    app.stdin.write('y');

    await waitFor(/status\s+creating/);
    await waitFor(/status\s+available/);
    await waitFor('z pause  d delete');
    expect(frame()).not.toMatch(/n create|u resume/);
    expect(frame()).toContain('1 × ra3.large');
    expect(frame()).toMatch(/cost\s+\$\d+\.\d+ so far · \$0\.54\/hour · billing now/);
    expect(frame()).toMatch(/endpoint\s+ui-test\./);
    const saved = JSON.parse(readFileSync(configPath(home), 'utf8')) as SparkifyConfig;
    expect(saved).toMatchObject({ target: 'redshift', cluster: { identifier: 'ui-test', kind: 'provisioned' }, redshift: { clusterIdentifier: 'ui-test' } });
    expect(JSON.stringify(saved)).not.toMatch(/password/i);

    // A no does nothing.
    app.stdin.write('z');
    await waitFor('Pause cluster ui-test?');
    app.stdin.write('n');
    await until(() => !frame().includes('Pause cluster ui-test?'), frame);
    // waitFor leaves the moment the screen's key handler needs to attach again.
    await waitFor(/status\s+available/);

    app.stdin.write('z');
    await waitFor('Pause cluster ui-test?');
    app.stdin.write('y');
    await waitFor(/status\s+paus(ing|ed)/);
    await waitFor(/status\s+paused/);
    expect(frame()).toContain('not billing compute');
    await waitFor('u resume  d delete');
    expect(frame()).not.toMatch(/z pause|n create/);

    app.stdin.write('u');
    await waitFor('Resume cluster ui-test');
    app.stdin.write('y');
    await waitFor(/status\s+resuming/);
    await waitFor(/status\s+available/);
    await waitFor('z pause  d delete');

    // Delete: a final snapshot is offered, then the name must be typed; a wrong one deletes nothing.
    // Esc at the snapshot question backs out of the delete, it is not "no snapshot".
    app.stdin.write('d');
    await waitFor('Delete cluster ui-test: take a final snapshot first?');
    expect(frame()).toContain('y yes · n no · Esc cancel');
    app.stdin.write('\u001b');
    await until(() => !frame().includes('take a final snapshot first?'), frame);
    expect(frame()).not.toContain('Type ui-test');
    await waitFor('z pause  d delete');
    app.stdin.write('d');
    await waitFor('Delete cluster ui-test: take a final snapshot first?');
    app.stdin.write('y');
    await waitFor('Type ui-test to delete it. This cannot be undone.');
    expect(frame()).toContain('A final snapshot is taken first.');
    expect(frame()).toContain('Also deletes the IAM role sparkify-ui-test-s3-read');
    app.stdin.write('ui-tes');
    await waitFor('› ui-tes');
    app.stdin.write('\r');
    await until(() => !frame().includes('Type ui-test'), frame);
    // The help line is drawn from the screen's keys again once the prompt has gone.
    await waitFor('z pause  d delete');

    app.stdin.write('d');
    await waitFor('take a final snapshot first?');
    app.stdin.write('y');
    await waitFor('Type ui-test to delete it.');
    app.stdin.write('ui-test');
    await waitFor('› ui-test');
    app.stdin.write('\r');
    // Followed until it is gone: the snapshot first, then the delete.
    await waitFor(/final snapshot ui-test-final-\d{8}-\d{4} first/);
    await waitFor(/status\s+(final-snapshot|deleting)/);
    await waitFor('no cluster configured');
    const after = JSON.parse(readFileSync(configPath(home), 'utf8')) as SparkifyConfig;
    expect(after.cluster).toBeUndefined();
    expect(after.target).toBe('local');
    app.unmount();
  });

  it('follows a cluster named in mixed case in a hand-written config (Redshift keeps identifiers in lower case)', async () => {
    const { RedshiftClient, CreateClusterCommand } = await import('@aws-sdk/client-redshift');
    const client = new RedshiftClient({});
    await client.send(new CreateClusterCommand({ ClusterIdentifier: 'mixed-case', NodeType: 'dc2.large', NumberOfNodes: 2, MasterUsername: 'awsuser', ManageMasterPassword: true }));
    client.destroy();
    const { app, frame, waitFor } = renderScreen({ target: 'redshift', sources: {}, redshift: { clusterIdentifier: 'Mixed-Case', region: 'us-west-2' } });
    await waitFor(/status\s+(creating|available)/);
    expect(frame()).toContain('2 × dc2.large');
    app.unmount();
  });

  it('shows an AWS failure inline with what to do', async () => {
    const { app, frame, waitFor } = renderScreen({
      target: 'redshift',
      sources: {},
      redshift: { clusterIdentifier: 'missing-one', region: 'us-west-2' },
    });
    await waitFor(/status\s+not found/);
    expect(frame()).toContain('missing-one');
    // z is no key here; n after it asks for a new cluster's name, so once that shows, z has been read.
    app.stdin.write('z');
    app.stdin.write('n');
    await waitFor('Name of the new cluster');
    expect(frame()).not.toContain('Pause cluster');
    app.unmount();
  });

  it('shows a Serverless target as it shows a cluster: status, base capacity, usage limit, price and the RPU-hours charged this month', async () => {
    const { RedshiftServerlessClient, CreateNamespaceCommand, CreateWorkgroupCommand, CreateUsageLimitCommand } = await import(
      '@aws-sdk/client-redshift-serverless'
    );
    const client = new RedshiftServerlessClient({});
    await client.send(new CreateNamespaceCommand({ namespaceName: 'learner', manageAdminPassword: true, adminUsername: 'awsuser' }));
    const { workgroup } = await client.send(new CreateWorkgroupCommand({ workgroupName: 'learner', namespaceName: 'learner', baseCapacity: 4 }));
    const { app, frame, waitFor } = renderScreen({ target: 'redshift', sources: {}, redshift: { workgroupName: 'learner', region: 'us-west-2' } });
    await waitFor(/status\s+(creating|available)/);
    expect(frame()).not.toContain('no cluster configured');
    expect(frame()).toMatch(/capacity\s+4 RPU base · namespace learner/);
    expect(frame()).toMatch(/limit\s+none: nothing caps what it can bill/);
    expect(frame()).toMatch(/cost\s+\$1\.50 per query-hour at base capacity/);
    // No cluster keys for a workgroup: nothing to create, pause or delete here.
    expect(frame()).not.toMatch(/n create|z pause|d delete/);

    await client.send(new CreateUsageLimitCommand({ resourceArn: workgroup!.workgroupArn, usageType: 'serverless-compute', amount: 8, period: 'daily', breachAction: 'deactivate' }));
    await waitFor(/limit\s+8 RPU-hours per day, then user queries are turned off/);
    await waitFor(/status\s+available/);
    // Once available, this month's usage is read from sys_serverless_usage: nothing has run on it yet.
    await waitFor(/used\s+0 RPU-seconds charged \(0\.00 RPU-hours, about \$0\.00 at \$0\.375\/RPU-hour\) this month/);

    // A query bills the workgroup; g reads the usage again and shows it.
    const { RedshiftDataClient, ExecuteStatementCommand, DescribeStatementCommand } = await import('@aws-sdk/client-redshift-data');
    const data = new RedshiftDataClient({});
    const { Id } = await data.send(new ExecuteStatementCommand({ WorkgroupName: 'learner', Database: 'dev', Sql: 'select 1' }));
    expect((await data.send(new DescribeStatementCommand({ Id, WaitTimeSeconds: 10 }))).Status).toBe('FINISHED');
    app.stdin.write('g');
    // The line wraps under its label on a narrow screen; read as one line, it is whole.
    const oneLine = () => frame().replace(/\s+/g, ' ');
    await until(() => /used [1-9][\d,]* RPU-seconds charged \(\d+\.\d\d RPU-hours, about \$\d+\.\d\d at \$0\.375\/RPU-hour.*\) this month/.test(oneLine()), frame);
    data.destroy();
    client.destroy();
    app.unmount();
  });

  it('a resume asked while the cluster is still pausing waits its turn, says so, then resumes', async () => {
    const control = (path: string, body: unknown) => fetch(`${fake.url}/_fake/redshift${path}`, { method: 'POST', body: JSON.stringify(body) });
    const LONG = 10 * 60_000;
    await control('/settings', { stateDelayMs: LONG });
    try {
      const { RedshiftClient, CreateClusterCommand, PauseClusterCommand } = await import('@aws-sdk/client-redshift');
      const client = new RedshiftClient({});
      await client.send(new CreateClusterCommand({ ClusterIdentifier: 'queued', NodeType: 'ra3.large', ClusterType: 'single-node', MasterUsername: 'awsuser', ManageMasterPassword: true }));
      await control('/clock', { advanceMs: LONG });
      await client.send(new PauseClusterCommand({ ClusterIdentifier: 'queued' }));
      client.destroy();
      const { app, frame, waitFor } = renderScreen({ target: 'redshift', sources: {}, redshift: { clusterIdentifier: 'queued', region: 'us-west-2' } });
      await waitFor(/status\s+pausing/);
      await waitFor('u resume');
      app.stdin.write('u');
      await waitFor('Resume cluster queued once it is paused (it is pausing)?');
      app.stdin.write('y');
      await waitFor('pausing: resuming once it settles');
      await control('/clock', { advanceMs: LONG });
      await waitFor(/status\s+resuming/);
      await control('/clock', { advanceMs: LONG });
      await waitFor(/status\s+available/);
      expect(frame()).not.toContain('cannot resume');
      app.unmount();
    } finally {
      await control('/settings', { stateDelayMs: 600 });
    }
  });
});
