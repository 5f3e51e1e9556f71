// The wizard's text fields edit like a shell's line: ←/→ and Home/End move the
// cursor, typing goes in at it, Ctrl-C with text typed clears the field before
// it leaves; Esc on the first question of `sparkify setup` goes back to the shell.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppRoot, openConfiguredWarehouse } from '../src/ui/app.js';
import { until } from './helpers/ink.js';
import { BACKSPACE, CTRL_C, DOWN, END, ENTER, ESC, HOME, LEFT, RIGHT } from './helpers/keys.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'sparkify-wizard-text-'));
  process.env.SPARKIFY_HOME = home;
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function renderWizard(setup = false) {
  const exits: number[] = [];
  const app = render(<AppRoot config={null} setup={setup} openWarehouse={openConfiguredWarehouse} onExitCode={(code) => exits.push(code)} />);
  const frame = () => app.lastFrame() ?? '';
  /** Writes keys one at a time, each once the screen shows the last one took. */
  const type = async (keys: string[], shows: string) => {
    for (const key of keys) app.stdin.write(key);
    await until(() => frame().includes(shows), frame);
  };
  return { app, frame, type, exits };
}

/** Opens the song-folder question of the local journey, an empty text field. */
async function toSongFolder(wizard: ReturnType<typeof renderWizard>) {
  await until(() => wizard.frame().includes('Where should the star schema live?'), wizard.frame);
  await wizard.type([ENTER], 'Which data?');
  await wizard.type([DOWN], '❯ Generate a larger sample');
  await wizard.type([DOWN], '❯ Use data in local folders');
  await wizard.type([ENTER], 'Folder of song JSON files');
  // The field takes keys once its effects have run; the same render drops the list's ↑↓ from the help line.
  await until(() => !wizard.frame().includes('↑↓'), wizard.frame);
}

describe('wizard text fields', () => {
  it('←/→ and Home/End move the cursor; typing and Backspace act at it', async () => {
    const wizard = renderWizard();
    await toSongFolder(wizard);
    await wizard.type(['abd'], '› abd');
    await wizard.type([LEFT], '› abd');
    await wizard.type(['c'], '› abcd');
    await wizard.type([HOME, 'X'], '› Xabcd');
    await wizard.type([END, 'Y'], '› XabcdY');
    await wizard.type([HOME, RIGHT, RIGHT, BACKSPACE], '› XbcdY');
    await wizard.type(['-'], '› X-bcdY');
    wizard.app.unmount();
  });

  it('Ctrl-C with text typed clears the field; on an empty field it leaves', async () => {
    const wizard = renderWizard();
    await toSongFolder(wizard);
    await wizard.type(['/some/where'], '› /some/where');
    await wizard.type([CTRL_C], 'Folder of song JSON files');
    await until(() => !wizard.frame().includes('/some/where'), wizard.frame);
    expect(wizard.exits).toEqual([]);
    wizard.app.stdin.write(CTRL_C);
    await until(() => wizard.exits.length > 0, wizard.frame);
    expect(wizard.exits).toEqual([0]);
  });
});

describe('Esc on the first question', () => {
  it('leaves for the shell when the wizard was asked for', async () => {
    const wizard = renderWizard(true);
    await until(() => wizard.frame().includes('Where should the star schema live?'), wizard.frame);
    wizard.app.stdin.write(ESC);
    await until(() => wizard.exits.length > 0, wizard.frame);
    expect(wizard.exits).toEqual([0]);
  });
});
