// Saved queries on the SQL prompt: `\save NAME` under a statement (or after
// one ran) writes NAME.sql to the user's folder, refuses to overwrite without
// `\save!` and names that are paths, and the example picker lists the saved
// queries after the shipped ones.
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { beforeEach, expect, it } from 'vitest';
import { SqlScreen } from '../src/ui/screens/sql-screen.js';
import { contains, press, waitForFrame } from './helpers/ink.js';
import { CTRL_O, ENTER, UP } from './helpers/keys.js';
import { sqlPromptFixture } from './helpers/sql-prompt.js';

const fixture = sqlPromptFixture('sql-save');
let saved: string;
beforeEach(() => {
  saved = join(fixture.home, 'mine');
});

const screen = () => render(<SqlScreen warehouse={fixture.warehouse} home={fixture.home} savedQueriesDir={saved} isActive width={120} height={20} />);

it('\\save NAME under the draft writes NAME.sql (0600), and refuses to replace it without \\save!', async () => {
  const app = screen();
  await press(app, 'select 42 as answer', ENTER, '\\save top-answer', ENTER);
  await waitForFrame(app, contains(`saved ${join(saved, 'top-answer.sql')}`));
  expect(await readFile(join(saved, 'top-answer.sql'), 'utf8')).toBe('select 42 as answer\n');
  expect((await stat(join(saved, 'top-answer.sql'))).mode & 0o777).toBe(0o600);

  await press(app, 'select 43 as answer', ENTER, '\\save top-answer', ENTER);
  const frame = await waitForFrame(app, contains('exists already'));
  expect(frame).toContain('\\save! top-answer replaces it');
  expect(frame).toMatch(/sql> select 43 as answer\s*\n/);
  expect(await readFile(join(saved, 'top-answer.sql'), 'utf8')).toBe('select 42 as answer\n');

  await press(app, ENTER, '\\save! top-answer', ENTER);
  await waitForFrame(app, contains('saved '));
  expect(await readFile(join(saved, 'top-answer.sql'), 'utf8')).toBe('select 43 as answer\n');
});

it('\\save alone saves the last statement run', async () => {
  const app = screen();
  await press(app, 'select 7 as lucky;', ENTER);
  // The result, not the draft (which says lucky too): a \save typed while the statement runs waits in the draft.
  await waitForFrame(app, contains('1 row in'));
  await press(app, '\\save lucky.sql', ENTER);
  await waitForFrame(app, contains('saved '));
  expect(await readFile(join(saved, 'lucky.sql'), 'utf8')).toBe('select 7 as lucky;\n');
});

it('refuses a name that is a path or not a file name, and writes nothing', async () => {
  const app = screen();
  for (const name of ['../escape', '/tmp/abs', 'a/b', '.hidden', 'two words']) {
    await press(app, 'select 1', ENTER, `\\save ${name}`, ENTER);
    await waitForFrame(app, contains(`not a query name: ${name}`));
    await press(app, '\u0015');
  }
  await expect(readdir(saved)).rejects.toThrow(/ENOENT/);
  await expect(stat(join(fixture.home, 'escape.sql'))).rejects.toThrow(/ENOENT/);
});

it('the picker lists saved queries after the examples, and Enter puts one in the editor', async () => {
  const app = screen();
  await press(app, 'select 99 as mine', ENTER, '\\save zz-mine', ENTER);
  await waitForFrame(app, contains('saved '));
  await press(app, CTRL_O);
  await waitForFrame(app, contains('Example and saved queries'));
  // The last entry is the saved one: ↑ from the first wraps to it.
  await press(app, UP);
  const frame = await waitForFrame(app, contains('› zz-mine'));
  expect(frame).toContain('saved · zz-mine.sql');
  await press(app, ENTER);
  await waitForFrame(app, contains('sql> select 99 as mine'));
});
