// The setup wizard's "new Serverless workgroup": offered before a new cluster
// with its price and usage limit, created through the same provisioning core
// as `sparkify serverless create` against the fake AWS services on loopback
// (real SDK clients over HTTP), and saved as the target.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configPath } from '../src/pipeline/config.js';
import type { ControlPlaneState } from './fakes/aws/control-plane.js';
import { TEST_CREDENTIALS } from './fakes/aws/data-api-harness.js';
import { startFakeAws, type RunningFake } from './fakes/aws/server.js';
import { controlPlaneState, createAllServices } from './fakes/aws/services.js';
import { untilReady } from './helpers/ink.js';
import { DOWN, ENTER, ESC } from './helpers/keys.js';
import { renderWizard, type Wizard } from './helpers/ink-wizard.js';

let fake: RunningFake;
let controlPlane: ControlPlaneState;
let home: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  const services = createAllServices();
  controlPlane = controlPlaneState(services);
  fake = await startFakeAws({ services });
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'sparkify-wizard-serverless-'));
  Object.assign(process.env, TEST_CREDENTIALS, {
    SPARKIFY_HOME: home,
    AWS_ENDPOINT_URL: fake.url,
    AWS_CONFIG_FILE: join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  for (const key of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL_STS']) delete process.env[key];
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

/** From the first question to the confirmation, for workgroup `name`. */
async function toConfirmation({ press, answer }: Wizard, name: string): Promise<void> {
  await press(DOWN, '❯ Existing Redshift');
  await press(DOWN, '❯ New Redshift Serverless workgroup');
  await press(ENTER, 'AWS region of the warehouse');
  await press(ENTER, 'Which AWS credentials?');
  await press(ENTER, 'Name of the new workgroup');
  await answer(name, `Create Serverless workgroup ${name} in us-west-2?`);
}

function serverlessCalls(operation: string): number {
  return controlPlane.requests.filter((r) => r.operation === operation).length;
}

describe('setup wizard: a new Serverless workgroup (fake AWS on loopback)', () => {
  it('lists Serverless before a new cluster, with its price per RPU-hour at 4 RPU and the daily cap', async () => {
    const wizard = renderWizard();
    await wizard.waitFor('Where should the star schema live?');
    const lines = wizard.frame().split('\n');
    const serverless = lines.findIndex((l) => l.includes('New Redshift Serverless workgroup'));
    const cluster = lines.findIndex((l) => l.includes('New Redshift cluster'));
    expect(serverless).toBeGreaterThan(0);
    expect(cluster).toBeGreaterThan(serverless);
    const shown = wizard.frame().replace(/\s+/g, ' ');
    expect(shown).toContain('4 RPU at $0.375/RPU-hour: $1.50 per query-hour, idle is free');
    expect(shown).toContain('capped at 8 RPU-hours per day ($3.00)');
    expect(shown).toContain('1 ra3.large at $0.543/node-hour: $13.03 per day while up');
    wizard.app.unmount();
  });

  it('creates the workgroup at the minimum base capacity with the usage limit, shows each step, and saves it as the target', async () => {
    const wizard = renderWizard();
    await wizard.waitFor('Where should the star schema live?');
    await toConfirmation(wizard, 'learner');
    expect(wizard.frame()).toContain('base capacity 4 RPU (the minimum)');
    expect(wizard.frame().replace(/\s+/g, ' ')).toContain('usage limit: 8 RPU-hours per day, then user queries are turned off until the period ends (at most $3.00 per day)');
    expect(serverlessCalls('CreateWorkgroup')).toBe(0);

    wizard.app.stdin.write(ENTER);
    await untilReady(() => wizard.all().includes('settings saved to'), wizard.frame);
    // The steps were on screen as they finished, before the screen moved on.
    expect(wizard.all()).toContain('Creating workgroup learner');
    expect(wizard.all()).toMatch(/✓ workgroup: created learner \(4 RPU base capacity\)/);
    expect(wizard.all()).toMatch(/✓ usage limit: created 8 RPU-hours per day/);

    const workgroup = controlPlane.workgroups.get('learner')!;
    expect(workgroup).toMatchObject({ baseCapacity: 4, region: 'us-west-2' });
    expect(controlPlane.requests.find((r) => r.operation === 'CreateWorkgroup')!.params).toMatchObject({ workgroupName: 'learner', publiclyAccessible: false });
    expect([...controlPlane.usageLimits.values()].filter((l) => l.resourceArn === workgroup.arn)).toEqual([
      expect.objectContaining({ amount: 8, period: 'daily', breachAction: 'deactivate', usageType: 'serverless-compute' }),
    ]);
    const config = JSON.parse(readFileSync(configPath(), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(config.target).toBe('redshift');
    expect(config.cluster).toMatchObject({ kind: 'serverless', identifier: 'learner', namespaceName: 'learner', roleName: 'sparkify-learner-s3-read' });
    expect(config.redshift).toMatchObject({ workgroupName: 'learner', database: 'sparkify', region: 'us-west-2' });
    expect(config.redshift.clusterIdentifier).toBeUndefined();
    // The screen that follows is the workgroup's.
    await wizard.waitFor('learner');
    wizard.app.unmount();
  });

  it('"Not now" goes back to the name without creating anything; a bad name is refused where it is typed', async () => {
    const wizard = renderWizard();
    await wizard.waitFor('Where should the star schema live?');
    const before = serverlessCalls('CreateNamespace');
    await toConfirmation(wizard, 'later');
    await wizard.press(DOWN, '❯ Not now: go back');
    await wizard.press(ENTER, 'Name of the new workgroup');
    await wizard.answer('Bad_Name', 'not a valid workgroup name: use 3-64 lower-case letters, digits and hyphens');
    await wizard.press(ESC, 'Which AWS credentials?');
    expect(serverlessCalls('CreateNamespace')).toBe(before);
    expect(existsSync(configPath())).toBe(false);
    wizard.app.unmount();
  });

  it('a failed creation says what happened and what to do, saves nothing, and Enter tries again', async () => {
    // A workgroup of that name already serves another namespace: AWS would refuse to reuse it.
    controlPlane.addWorkgroup('taken', { region: 'us-west-2' }).namespaceName = 'someone-else';
    const wizard = renderWizard();
    await wizard.waitFor('Where should the star schema live?');
    await toConfirmation(wizard, 'taken');
    wizard.app.stdin.write(ENTER);
    await wizard.waitFor('Enter tries again (what was made is reused)');
    const shown = wizard.frame().replace(/\s+/g, ' ');
    expect(shown).toContain('✗ creating: workgroup taken already exists in namespace someone-else, not taken');
    expect(shown).toContain('✓ namespace: reused taken, which already exists');
    expect(existsSync(configPath())).toBe(false);

    controlPlane.workgroups.delete('taken');
    wizard.app.stdin.write(ENTER);
    await untilReady(() => wizard.all().includes('settings saved to'), wizard.frame);
    expect(wizard.all()).toMatch(/✓ workgroup: created taken \(4 RPU base capacity\)/);
    expect(controlPlane.workgroups.get('taken')).toMatchObject({ namespaceName: 'taken', baseCapacity: 4 });
    expect(JSON.parse(readFileSync(configPath(), 'utf8'))).toMatchObject({ redshift: { workgroupName: 'taken' } });
    wizard.app.unmount();
  });
});
