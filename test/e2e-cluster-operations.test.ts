// Cluster operations a person can trust, in a real terminal (tmux) with the
// built CLI against the fake control plane, whose transitions wait for the
// test to move its clock: a resume asked for while the cluster is still pausing waits
// the pause out and then resumes; delete offers a final snapshot, wants the
// name typed out and follows the cluster until it is gone; leaving the app
// while a cluster sparkify made has run nothing for half an hour asks whether
// to pause it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from './helpers/cli.js';
import { exitCodeOf, hasTmux, openTerminal, type Terminal } from './helpers/tmux.js';
import { startControlPlane, type ControlPlaneHarness } from './fakes/aws/control-plane-harness.js';

const DELAY_MS = 10 * 60_000;
let fake: ControlPlaneHarness;
let env: Record<string, string>;
const open: Terminal[] = [];

function terminal(args: string[]): Terminal {
  const t = openTerminal({ args, env, width: 160, height: 30 });
  open.push(t);
  return t;
}

beforeAll(async () => {
  fake = await startControlPlane({ stateDelayMs: DELAY_MS, dataApi: {} });
  const home = tempHome('sparkify-operations-');
  env = Object.fromEntries(Object.entries(fake.env(home)).map(([key, value]) => [key, value ?? '']));
  const created = await runCli(['cluster', 'create', '--cluster-id', 'trusted', '--yes'], { env });
  expect(created.code).toBe(0);
  await fake.control('/clock', { advanceMs: DELAY_MS });
  expect(fake.state.clusters.get('trusted')?.status).toBe('available');
});

afterAll(async () => {
  for (const t of open) t.kill();
  await fake?.close();
});

describe.skipIf(!hasTmux())('cluster operations on a terminal', () => {
  it('pause, then resume --wait at once: the pause is waited out, then the cluster resumes', async () => {
    const pause = await runCli(['cluster', 'pause', '--yes'], { env });
    expect(pause.code).toBe(0);
    expect(fake.state.clusters.get('trusted')?.status).toBe('pausing');

    const t = terminal(['cluster', 'resume', '--yes', '--wait', '--interval', '0.2']);
    await t.waitFor('Cluster trusted is pausing: waiting until it settles, then resuming it.');
    await fake.control('/clock', { advanceMs: DELAY_MS });
    await t.waitFor('trusted  resuming');
    await fake.control('/clock', { advanceMs: DELAY_MS });
    const screen = await t.waitFor('[sparkify exited with');
    expect(exitCodeOf(screen)).toBe(0);
    expect(screen).toContain('Cluster trusted is pausing: waiting until it settles, then resuming it.');
    const order = ['trusted  paused', 'Resuming trusted', 'trusted  resuming', 'trusted  available'].map((line) => screen.indexOf(line));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(fake.state.clusters.get('trusted')?.status).toBe('available');
  });

  it('delete: a final snapshot by default, the name typed out, followed until gone', async () => {
    const t = terminal(['cluster', 'delete', '--interval', '0.2']);
    await t.waitFor('Take a final snapshot of trusted first?');
    t.send('Enter');
    const prompt = await t.waitFor('Type trusted to confirm:');
    const snapshotId = /Final snapshot (trusted-final-\d{8}-\d{4}) is taken first\./.exec(prompt)?.[1];
    expect(snapshotId).toBeDefined();
    t.type('trusted');
    t.send('Enter');
    await t.waitFor('trusted  final-snapshot');
    await fake.control('/clock', { advanceMs: DELAY_MS });
    await t.waitFor('trusted  deleting');
    await fake.control('/clock', { advanceMs: DELAY_MS });
    const screen = await t.waitFor('[sparkify exited with');
    expect(exitCodeOf(screen)).toBe(0);
    const order = ['trusted  final-snapshot', 'trusted  deleting', 'trusted  gone', `Cluster trusted is gone; final snapshot ${snapshotId} is available.`].map(
      (line) => screen.indexOf(line),
    );
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(fake.state.clusters.has('trusted')).toBe(false);
    expect(fake.state.snapshots.map((s) => s.identifier)).toEqual([snapshotId]);
  });

  it('leaving the app with an idle cluster it made asks "pause it?", and y pauses it', async () => {
    const home = tempHome('sparkify-idle-');
    const idleEnv = Object.fromEntries(Object.entries(fake.env(home)).map(([key, value]) => [key, value ?? '']));
    // Made an hour ago on the fake's clock, and nothing run on it since.
    await fake.control('/clock', { set: new Date(Date.now() - 3_600_000).toISOString() });
    const created = await runCli(['cluster', 'create', '--cluster-id', 'forgotten', '--yes'], { env: idleEnv });
    expect(created.code).toBe(0);
    await fake.control('/clock', { set: new Date().toISOString() });
    expect(fake.state.clusters.get('forgotten')?.status).toBe('available');

    const status = await runCli(['cluster', 'status'], { env: idleEnv });
    expect(status.stdout).toMatch(/idle\s+1h 0m since it was created \(no statement listed by the Data API\); pause it if you are done/);

    const t = openTerminal({ env: idleEnv, width: 160, height: 30 });
    open.push(t);
    await t.waitFor('p runs the pipeline');
    t.send('q');
    const question = await t.waitFor('Pause it? [y/N]');
    expect(question).toMatch(/Cluster forgotten is available and bills about \$0\.54\/hour; it has run nothing from sparkify since it was created for 1h 0m\./);
    t.type('y');
    t.send('Enter');
    const screen = await t.waitFor('[sparkify exited with', { history: true });
    expect(exitCodeOf(screen)).toBe(0);
    expect(screen).toContain('Pausing forgotten');
    expect(fake.state.clusters.get('forgotten')?.status).toBe('pausing');
  });
});
