// The setup wizard's "New Redshift Serverless workgroup" in a real terminal
// (tmux), the built CLI against the fake AWS services: the offer with its
// price and cap, the confirmation, each step as it finishes, the workgroup's
// screen after, and the config it writes (0600, no secrets).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTmux, openTerminal, tempHome, type Terminal } from './helpers/tmux.js';
import type { ControlPlaneState } from './fakes/aws/control-plane.js';
import { TEST_CREDENTIALS, fakeAwsEnv } from './fakes/aws/data-api-harness.js';
import { startFakeAws, type RunningFake } from './fakes/aws/server.js';
import { controlPlaneState, createAllServices } from './fakes/aws/services.js';

let fake: RunningFake;
let controlPlane: ControlPlaneState;
const open: Terminal[] = [];
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  const services = createAllServices();
  controlPlane = controlPlaneState(services);
  fake = await startFakeAws({ services });
});

afterAll(async () => {
  for (const t of open) t.kill();
  await fake?.close();
  for (const cleanup of cleanups) cleanup();
});

describe.skipIf(!hasTmux())('setup wizard: a new Serverless workgroup', { timeout: 120_000 }, () => {
  it('offers it before a cluster, creates it at 4 RPU under the daily cap, shows it, and saves a 0600 config with no secrets', async () => {
    const { home, remove } = tempHome();
    cleanups.push(remove);
    const t = openTerminal({ env: fakeAwsEnv(home, fake.url), width: 120, height: 30 });
    open.push(t);

    const first = await t.waitFor('Where should the star schema live?');
    expect(first.indexOf('New Redshift Serverless workgroup')).toBeGreaterThan(0);
    expect(first.indexOf('New Redshift cluster')).toBeGreaterThan(first.indexOf('New Redshift Serverless workgroup'));
    t.send('Down');
    await t.waitFor('❯ Existing Redshift');
    t.send('Down');
    await t.waitFor('❯ New Redshift Serverless workgroup');
    t.send('Enter');
    await t.waitFor('AWS region of the warehouse');
    t.send('Enter');
    await t.waitFor('Which AWS credentials?');
    t.send('Enter');
    await t.waitFor('Name of the new workgroup');
    t.send('C-u');
    t.type('learner');
    await t.waitFor('› learner');
    t.send('Enter');
    const confirm = await t.waitFor('Create Serverless workgroup learner in us-west-2?');
    expect(confirm).toContain('base capacity 4 RPU (the minimum)');
    expect(confirm.replace(/\s+/g, ' ')).toContain('usage limit: 8 RPU-hours per day, then user queries are turned off until the period ends (at most $3.00 per day)');
    expect(controlPlane.workgroups.has('learner')).toBe(false);

    t.send('Enter');
    // The workgroup's screen follows the steps.
    const after = await t.waitFor(/capacity\s+4 RPU base/, { timeoutMs: 60_000 });
    expect(after).toMatch(/workgroup\s+learner \(Serverless, us-west-2\)/);
    const shown = t.capture({ history: true });
    expect(shown).toMatch(/✓ workgroup: created learner \(4 RPU base capacity\)/);
    expect(shown).toMatch(/✓ usage limit: created 8 RPU-hours per day/);

    const workgroup = controlPlane.workgroups.get('learner')!;
    expect(workgroup).toMatchObject({ baseCapacity: 4, region: 'us-west-2' });
    expect([...controlPlane.usageLimits.values()].filter((limit) => limit.resourceArn === workgroup.arn)).toEqual([
      expect.objectContaining({ amount: 8, period: 'daily', breachAction: 'deactivate' }),
    ]);

    const path = join(home, 'config.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, 'utf8');
    const config = JSON.parse(text) as Record<string, Record<string, unknown>>;
    expect(config.target).toBe('redshift');
    expect(config.redshift).toMatchObject({ workgroupName: 'learner', database: 'sparkify', region: 'us-west-2' });
    expect(config.redshift.clusterIdentifier).toBeUndefined();
    for (const secret of [TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/password|secretAccessKey|sessionToken/i);

    t.send('q');
    await t.waitFor('[sparkify exited with 0]');
  });
});
