// The app draws colour only where it is wanted: NO_COLOR and a terminal that
// cannot show colour (TERM=dumb) turn it off, FORCE_COLOR decides over both.
import { afterEach, describe, expect, it } from 'vitest';
import { hasTmux, openTerminal, tempHome, type Terminal } from './helpers/tmux.js';

const open: Terminal[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const t of open.splice(0)) t.kill();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A select graphic rendition sequence that sets a foreground or background colour. */
const COLOUR = /\x1b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9;]*)?m/;

async function firstScreen(env: Record<string, string | undefined>): Promise<string> {
  const { home, remove } = tempHome();
  cleanups.push(remove);
  const t = openTerminal({ env: { SPARKIFY_HOME: home, FORCE_COLOR: undefined, NO_COLOR: undefined, ...env } });
  open.push(t);
  await t.waitFor('Where should the star schema live?');
  return t.capture({ escapes: true });
}

describe.skipIf(!hasTmux())('colour in the app', { timeout: 60_000 }, () => {
  it('is drawn on a colour terminal by default', async () => {
    expect(await firstScreen({})).toMatch(COLOUR);
  });

  it.each([
    ['NO_COLOR=1', { NO_COLOR: '1' }],
    ['TERM=dumb', { TERM: 'dumb' }],
    ['FORCE_COLOR=0', { FORCE_COLOR: '0' }],
  ])('is off with %s', async (_, env) => {
    const screen = await firstScreen(env);
    expect(screen).not.toMatch(COLOUR);
    expect(screen).toContain('Embedded warehouse');
  });

  it('FORCE_COLOR=1 draws it even with NO_COLOR', async () => {
    expect(await firstScreen({ NO_COLOR: '1', FORCE_COLOR: '1' })).toMatch(COLOUR);
  });
});
