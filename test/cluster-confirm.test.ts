// Confirmation in a real terminal (tmux): pause and resume ask first, delete
// wants the cluster's name typed out; anything else changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/pipeline/errors.js';
import { runCli, tempHome } from './helpers/cli.js';
import { exitCodeOf, hasTmux, openTerminal } from './helpers/tmux.js';
import { startControlPlane, type ControlPlaneHarness } from './fakes/aws/control-plane-harness.js';

const DELAY_MS = 60_000;
let fake: ControlPlaneHarness;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startControlPlane({ stateDelayMs: DELAY_MS });
  const home = tempHome('sparkify-confirm-');
  // tmux takes plain strings: an empty value leaves a variable unset for the SDK.
  env = Object.fromEntries(Object.entries(fake.env(home)).map(([key, value]) => [key, value ?? '']));
  const created = await runCli(['cluster', 'create', '--cluster-id', 'asked', '--yes'], { env });
  expect(created.code).toBe(0);
  await fake.control('/clock', { advanceMs: DELAY_MS });
});

afterAll(async () => {
  await fake?.close();
});

describe.skipIf(!hasTmux())('confirmation on a terminal', () => {
  it('delete asks for a final snapshot and the name typed out; a wrong name changes nothing', async () => {
    const terminal = openTerminal({ args: ['cluster', 'delete'], env, width: 160 });
    try {
      await terminal.waitFor('Take a final snapshot of asked first?');
      terminal.type('n');
      terminal.send('Enter');
      const prompt = await terminal.waitFor('Type asked to confirm:');
      expect(prompt).toContain('Delete cluster asked (available, 1 × ra3.large)? This cannot be undone.');
      expect(prompt).toContain('No final snapshot: every table and row goes with it.');
      // "y" is not the name: nothing happens.
      terminal.type('y');
      terminal.send('Enter');
      const screen = await terminal.waitFor('[sparkify exited with');
      expect(exitCodeOf(screen)).toBe(ExitCode.cancelled);
      expect(screen).toContain('error: "y" is not asked: nothing was changed');
      expect(fake.state.clusters.get('asked')?.status).toBe('available');
    } finally {
      terminal.kill();
    }
  });

  it('Ctrl-C at the question changes nothing', async () => {
    const terminal = openTerminal({ args: ['cluster', 'pause'], env, width: 120 });
    try {
      await terminal.waitFor('[y/N]');
      terminal.send('C-c');
      const screen = await terminal.waitFor('[sparkify exited with');
      expect(exitCodeOf(screen)).toBe(ExitCode.cancelled);
      expect(screen).toContain('not confirmed: nothing was changed');
      expect(fake.state.clusters.get('asked')?.status).toBe('available');
    } finally {
      terminal.kill();
    }
  });

  it('pause goes ahead on "y"', async () => {
    const terminal = openTerminal({ args: ['cluster', 'pause'], env, width: 120 });
    try {
      await terminal.waitFor('Compute billing stops; the data stays. [y/N]');
      terminal.type('y');
      terminal.send('Enter');
      const screen = await terminal.waitFor('[sparkify exited with');
      expect(exitCodeOf(screen)).toBe(0);
      expect(screen).toContain('Pausing asked');
      expect(fake.state.clusters.get('asked')?.status).toBe('pausing');
    } finally {
      terminal.kill();
    }
  });
});
