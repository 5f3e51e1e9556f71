// The draft in $EDITOR (Ctrl-X Ctrl-E, \e), with small shell scripts as the
// editor: what the editor is given (a 0600 .sql file, removed after), what it
// saves becoming the draft, and a failing or missing editor keeping the draft.
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import { SqlScreen } from '../src/ui/screens/sql-screen.js';
import { contains, press, waitForFrame } from './helpers/ink.js';
import { CTRL_E, CTRL_U, CTRL_X, ENTER } from './helpers/keys.js';

let warehouse: DuckDbWarehouse;
let folder: string;
let home: string;
const saved = { EDITOR: process.env.EDITOR, VISUAL: process.env.VISUAL, EDITOR_LOG: process.env.EDITOR_LOG };

beforeAll(async () => {
  warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
});

afterAll(async () => {
  await warehouse.close();
});

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sparkify-editor-'));
  home = join(folder, 'home');
  process.env.EDITOR_LOG = join(folder, 'log');
  delete process.env.EDITOR;
  delete process.env.VISUAL;
});

afterEach(async () => {
  cleanup();
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await rm(folder, { recursive: true, force: true });
});

/** A script that records the file it is given (path, mode, text) and writes `text` in its place, then exits with `status`. */
async function editorScript(name: string, text: string, status = 0): Promise<string> {
  const path = join(folder, name);
  await writeFile(
    path,
    `#!/bin/sh
echo "$1" > "$EDITOR_LOG.path"
stat -c %a "$1" > "$EDITOR_LOG.mode"
cat "$1" > "$EDITOR_LOG.given"
printf '%s\\n' ${JSON.stringify(text).replace(/\$/g, '\\$')} > "$1"
exit ${status}
`,
  );
  await chmod(path, 0o755);
  return path;
}

const log = (part: string) => readFile(`${process.env.EDITOR_LOG}.${part}`, 'utf8').then((text) => text.trim());

async function renderScreen() {
  const app = render(<SqlScreen warehouse={warehouse} home={home} isActive width={80} height={20} colorDepth={0} />);
  await waitForFrame(app, contains('sql>'));
  return app;
}

describe('the draft in $EDITOR', () => {
  it('Ctrl-X Ctrl-E hands the draft to $EDITOR in a private file and takes back what it saves', async () => {
    process.env.EDITOR = await editorScript('editor.sh', 'select 42 as answer;');
    const app = await renderScreen();
    await press(app, 'select 1', CTRL_X, CTRL_E);
    let frame = await waitForFrame(app, contains('sql> select 42 as answer;'));
    expect(frame).toContain('the draft as editor.sh saved it');
    expect(await log('given')).toBe('select 1');
    expect(await log('mode')).toBe('600');
    const path = await log('path');
    expect(path).toMatch(/\.sql$/);
    expect(existsSync(path)).toBe(false);
    await press(app, ENTER);
    frame = await waitForFrame(app, contains('1 row in'));
    expect(frame).toMatch(/answer[\s\S]*42/);
    app.unmount();
  });

  it('runs $EDITOR through the shell (arguments work), else $VISUAL', async () => {
    const script = await editorScript('visual.sh', 'select 2;');
    process.env.VISUAL = `sh ${script}`;
    const app = await renderScreen();
    await press(app, 'select 1', CTRL_X, CTRL_E);
    await waitForFrame(app, contains('sql> select 2;'));
    process.env.EDITOR = `sh ${await editorScript('editor.sh', 'select 3;')}`;
    await press(app, CTRL_X, CTRL_E);
    await waitForFrame(app, contains('sql> select 3;'));
    app.unmount();
  });

  it('\\e opens the last statement run', async () => {
    process.env.EDITOR = await editorScript('editor.sh', 'select 7 * 6 as answer;');
    const app = await renderScreen();
    await press(app, 'select 6 as six;', ENTER);
    await waitForFrame(app, contains('1 row in'));
    await press(app, '\\e', ENTER);
    await waitForFrame(app, contains('sql> select 7 * 6 as answer;'));
    expect(await log('given')).toBe('select 6 as six;');
    app.unmount();
  });

  it('keeps the draft, with a clear message, when the editor fails or is missing', async () => {
    process.env.EDITOR = await editorScript('failing.sh', 'select 99;', 3);
    const app = await renderScreen();
    await press(app, 'select 1 as kept', CTRL_X, CTRL_E);
    let frame = await waitForFrame(app, contains('exited with 3'));
    expect(frame).toContain('sql> select 1 as kept');
    expect(existsSync(await log('path'))).toBe(false);
    process.env.EDITOR = join(folder, 'no-such-editor');
    await press(app, CTRL_X, CTRL_E);
    // The message wraps: the path in it is read whole.
    frame = await waitForFrame(app, (f) => f.replace(/\n/g, ' ').includes('was not found or cannot be run'));
    expect(frame.replace(/\n/g, ' ')).toContain('no-such-editor ($EDITOR)');
    expect(frame).toContain('sql> select 1 as kept');
    app.unmount();
  });

  it('takes a key after Ctrl-X that is not Ctrl-E as itself', async () => {
    process.env.EDITOR = await editorScript('editor.sh', 'select 5;');
    const app = await renderScreen();
    await press(app, CTRL_U, 'select', CTRL_X, ' 1');
    await waitForFrame(app, contains('sql> select 1'));
    expect(existsSync(`${process.env.EDITOR_LOG}.path`)).toBe(false);
    app.unmount();
  });
});
