// The setup wizard on Redshift in a real terminal (tmux), the built CLI against
// the fake AWS services: it lists the two clusters and the workgroup the
// credentials see in the region, fills in the database, user and role of the
// one picked, and on a second setup starts at that one with its settings.
// Then the Serverless target: the cluster screen shows its usage limit.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { hasTmux, openTerminal, tempHome, type Terminal } from './helpers/tmux.js';
import type { ControlPlaneState } from './fakes/aws/control-plane.js';
import { fakeAwsEnv } from './fakes/aws/data-api-harness.js';
import { startFakeAws, type RunningFake } from './fakes/aws/server.js';
import { controlPlaneState, createAllServices } from './fakes/aws/services.js';

const ALPHA_ROLE = 'arn:aws:iam::123456789012:role/alpha-read';
const BETA_ROLE = 'arn:aws:iam::123456789012:role/beta-read';

let fake: RunningFake;
let controlPlane: ControlPlaneState;
const open: Terminal[] = [];
const cleanups: (() => void)[] = [];

function awsEnv(home: string): Record<string, string> {
  return fakeAwsEnv(home, fake.url);
}

function terminal(home: string, args: string[] = []): Terminal {
  const t = openTerminal({ args, env: awsEnv(home), width: 120, height: 30 });
  open.push(t);
  return t;
}

beforeAll(async () => {
  const services = createAllServices({ controlPlane: { stateDelayMs: 1000 } });
  controlPlane = controlPlaneState(services);
  controlPlane.addCluster('alpha', { region: 'us-west-2', database: 'dev', iamRoles: [ALPHA_ROLE] });
  controlPlane.addCluster('beta', { region: 'us-west-2', nodes: 2, database: 'dev', masterUsername: 'beta_admin', iamRoles: [BETA_ROLE] });
  controlPlane.addWorkgroup('learner', { region: 'us-west-2', baseCapacity: 4 });
  // Another region's cluster is not offered.
  controlPlane.addCluster('elsewhere', { region: 'eu-west-1' });
  fake = await startFakeAws({ services });
});

afterAll(async () => {
  for (const t of open) t.kill();
  await fake?.close();
  for (const cleanup of cleanups) cleanup();
});

/** From the first question to the list of clusters and workgroups in us-west-2. */
async function toTheList(t: Terminal): Promise<string> {
  await t.waitFor('Where should the star schema live?');
  t.send('Down');
  await t.waitFor('❯ Existing Redshift cluster or Serverless workgroup');
  t.send('Enter');
  await t.waitFor('AWS region of the warehouse');
  t.send('C-u');
  t.type('us-west-2');
  await t.waitFor('› us-west-2');
  t.send('Enter');
  await t.waitFor('Which AWS credentials?');
  t.send('Enter');
  return t.waitFor('Another one: type its name');
}

describe.skipIf(!hasTmux())('setup wizard: what the credentials see', { timeout: 120_000 }, () => {
  it('lists two clusters and a workgroup, picks one, and starts there on a second setup', async () => {
    const { home, remove } = tempHome();
    cleanups.push(remove);
    const t = terminal(home);
    const list = await toTheList(t);
    expect(list).toMatch(/cluster alpha\s+available · 1 × ra3\.large · database dev · role alpha-read/);
    expect(list).toMatch(/cluster beta\s+available · 2 × ra3\.large · database dev · role beta-read/);
    expect(list).toMatch(/workgroup learner\s+available · 4 RPU · database dev/);
    expect(list).not.toContain('elsewhere');

    t.send('Down');
    await t.waitFor('❯ cluster beta');
    t.send('Enter');
    await t.waitFor('Database name');
    await t.waitFor('› dev');
    t.send('Enter');
    await t.waitFor('❯ A database user (temporary credentials)');
    t.send('Enter');
    // The cluster's admin user and role come filled in.
    await t.waitFor('› beta_admin');
    t.send('Enter');
    for (const uri of ['s3://udacity-dend/song_data', 's3://udacity-dend/log_data', 's3://udacity-dend/log_json_path.json']) {
      await t.waitFor(`› ${uri}`);
      t.send('Enter');
    }
    await t.waitFor(`› ${BETA_ROLE}`);
    t.send('Enter');
    await t.waitFor('p runs the pipeline', { timeoutMs: 30_000 });
    const config = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as { redshift: Record<string, string> };
    expect(config.redshift).toEqual({ region: 'us-west-2', clusterIdentifier: 'beta', database: 'dev', dbUser: 'beta_admin', iamRole: BETA_ROLE });
    t.send('q');
    await t.waitFor('[sparkify exited with');

    // Again: the list starts at beta, and what was chosen for it is filled in.
    const again = terminal(home, ['setup']);
    const second = await toTheList(again);
    expect(second).toContain('❯ cluster beta');
    again.send('Enter');
    await again.waitFor('› dev');
    again.send('Enter');
    await again.waitFor('❯ A database user (temporary credentials)');
    again.send('Enter');
    await again.waitFor('› beta_admin');
    again.send('Escape');
    await again.waitFor('How does sparkify sign in to the database?');
  });

  it('a Serverless target: the cluster screen shows the workgroup and its usage limit', async () => {
    const { home, remove } = tempHome();
    cleanups.push(remove);
    const created = await runCli(['serverless', 'create', '--workgroup', 'capped', '--yes'], { env: awsEnv(home) });
    expect(created.code, created.stderr).toBe(0);
    const t = terminal(home);
    await t.waitFor('p runs the pipeline');
    t.send('c');
    const screen = await t.waitFor(/limit\s+8 RPU-hours per day, then user queries are turned off/, { timeoutMs: 30_000 });
    expect(screen).toMatch(/workgroup\s+capped \(Serverless, us-west-2\)/);
    expect(screen).toMatch(/capacity\s+4 RPU base/);
    expect(screen).not.toContain('no cluster configured');
  });
});
