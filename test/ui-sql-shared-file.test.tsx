// The SQL prompt over a warehouse file it shares with other processes: idle,
// it has let go of the file; while another process holds it, a statement
// waits, says for whom, and runs once the file is free.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import { SqlScreen } from '../src/ui/screens/sql-screen.js';
import { REPO } from './helpers/cli.js';
import { contains, press, waitForFrame } from './helpers/ink.js';
import { CTRL_C, ENTER } from './helpers/keys.js';

let home: string;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'sparkify-sql-shared-'));
});

afterEach(async () => {
  cleanup();
  await rm(home, { recursive: true, force: true });
});

/** Another process that opens the file (it can only while this one has let go) and holds it until killed. */
async function holdFile(path: string) {
  const holder = spawn(process.execPath, ['--input-type=module', '-e', `
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(${JSON.stringify(path)});
    await db.connect();
    console.log('holding');
    setTimeout(() => {}, 60000);
  `], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  holder.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    holder.stdout.on('data', (d: Buffer) => d.toString().includes('holding') && resolve());
    holder.once('close', () => reject(new Error(`the other process could not open the file: ${stderr}`)));
  });
  const stop = async () => {
    holder.kill();
    await new Promise((resolve) => holder.once('close', resolve));
  };
  return { pid: holder.pid!, stop };
}

it('lets go of the file when idle, and waits for another holder saying its pid', async () => {
  const path = join(home, 'warehouse.duckdb');
  const warehouse = await DuckDbWarehouse.open({ path, idleCloseMs: 20 });
  const app = render(<SqlScreen warehouse={warehouse} home={home} isActive width={80} height={20} />);
  try {
    await press(app, 'select 41 + 1 as answer;', ENTER);
    await waitForFrame(app, contains('1 row in'));
    // Only an idle prompt lets another process open the file.
    const holder = await holdFile(path);
    await press(app, 'select 7 as seven;', ENTER);
    const frame = await waitForFrame(app, contains(`waiting for the run in pid ${holder.pid} `));
    expect(frame).toContain('Ctrl-C stops waiting');
    await holder.stop();
    await waitForFrame(app, (f) => /seven\s*\n\s*integer\s*\n.*\n\s*7\b/.test(f));

    // Ctrl-C stops a wait, and the statement comes back to the editor.
    const again = await holdFile(path);
    await press(app, 'select 8 as eight;', ENTER);
    await waitForFrame(app, contains(`pid ${again.pid}`));
    await press(app, CTRL_C);
    await waitForFrame(app, contains('sql> select 8 as eight;'));
    await again.stop();
  } finally {
    app.unmount();
    await warehouse.close();
  }
});
