// Keys typed while the app switches screens reach the next screen: none is
// lost while its first frame's effects run or while the SQL prompt waits for
// its warehouse.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import type { Warehouse } from '../src/pipeline/warehouse/types.js';
import { AppRoot } from '../src/ui/app.js';
import { contains, waitForFrame } from './helpers/ink.js';
import { ENTER, ESC } from './helpers/keys.js';

let warehouse: DuckDbWarehouse;
let home: string;
const config = { target: 'local' as const, sources: {}, redshift: {} };

beforeAll(async () => {
  warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
});

afterAll(async () => {
  await warehouse.close();
});

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'sparkify-key-handoff-'));
  process.env.SPARKIFY_HOME = home;
});

afterEach(async () => {
  cleanup();
  await rm(home, { recursive: true, force: true });
});

/** A warehouse that opens only when the test says so, as a slow engine load does. */
function gatedOpener(): { open: () => Promise<Warehouse>; let: () => void } {
  let letOpen: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (letOpen = resolve));
  return { open: async () => (await opened, warehouse), let: () => letOpen() };
}

describe('keys typed while screens switch', () => {
  it('gives the SQL prompt a query written in the same read as the s that opens it', async () => {
    const app = render(<AppRoot config={config} openWarehouse={() => Promise.resolve(warehouse)} />);
    await waitForFrame(app, contains('p runs the pipeline'));
    app.stdin.write('sselect 40 + 2 as answer;' + ENTER);
    const frame = await waitForFrame(app, contains('answer'));
    expect(frame).toContain('42');
  });

  it('holds keys written in the same tick as the switch, and while the warehouse opens', async () => {
    const gate = gatedOpener();
    const app = render(<AppRoot config={config} openWarehouse={gate.open} />);
    await waitForFrame(app, contains('p runs the pipeline'));
    app.stdin.write('s');
    app.stdin.write('select 6 * 7');
    app.stdin.write(' as answer;');
    await waitForFrame(app, contains('opening the warehouse'));
    app.stdin.write(ENTER);
    gate.let();
    const frame = await waitForFrame(app, contains('answer'));
    expect(frame).toContain('42');
    expect(frame).toContain('› select 6 * 7 as answer');
  });

  it('hands app keys on to the next screen too: p then h in one tick ends home', async () => {
    const app = render(<AppRoot config={config} openWarehouse={() => Promise.resolve(warehouse)} />);
    await waitForFrame(app, contains('p runs the pipeline'));
    app.stdin.write('p');
    app.stdin.write('h');
    app.stdin.write('s');
    app.stdin.write('select 1 as one;' + ENTER);
    await waitForFrame(app, (frame) => frame.includes('one') && frame.includes('1 row'));
  });

  it('goes home on Esc while the warehouse is still opening, and keys work there', async () => {
    const gate = gatedOpener();
    const app = render(<AppRoot config={config} openWarehouse={gate.open} />);
    await waitForFrame(app, contains('p runs the pipeline'));
    app.stdin.write('s');
    await waitForFrame(app, contains('opening the warehouse'));
    app.stdin.write(ESC);
    await waitForFrame(app, contains('p runs the pipeline'));
    app.stdin.write('p');
    await waitForFrame(app, (frame) => frame.split('\n')[0].includes('pipeline'));
    gate.let();
  });
});
