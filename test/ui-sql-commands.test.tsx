// psql's backslash commands on the SQL prompt: \q leaves, \? lists them,
// \timing turns the times off and on, an unknown one is reported and leaves
// the draft so the next statement is not glued to it.
import { render } from 'ink-testing-library';
import { expect, it } from 'vitest';
import { AppRoot } from '../src/ui/app.js';
import { SqlScreen } from '../src/ui/screens/sql-screen.js';
import { contains, press, until, waitForFrame } from './helpers/ink.js';
import { CTRL_U, ENTER } from './helpers/keys.js';
import { sqlPromptFixture } from './helpers/sql-prompt.js';

const fixture = sqlPromptFixture('sql-commands');

const screen = () => render(<SqlScreen warehouse={fixture.warehouse} home={fixture.home} isActive width={80} height={20} />);

it('\\? lists the commands and clears the draft', async () => {
  const app = screen();
  await press(app, '\\?', ENTER);
  const frame = await waitForFrame(app, contains('\\timing'));
  expect(frame).toContain('\\q leave sparkify');
  expect(frame).toContain('\\d TABLE describe a table');
  expect(frame).toMatch(/sql>\s*\n/);
});

it('reports an unknown command and takes it out of the draft', async () => {
  const app = screen();
  await press(app, '\\zz', ENTER);
  let frame = await waitForFrame(app, contains('unknown command \\zz'));
  expect(frame).toContain('\\? lists the commands');
  expect(frame).not.toContain('sql> \\zz');
  await press(app, 'select 5 as five;', ENTER);
  frame = await waitForFrame(app, contains('1 row in'));
  expect(frame).toMatch(/five\s*\n\s*integer\s*\n.*\n\s*5\b/);
});

it('\\timing turns the time of each statement off, and on again', async () => {
  const app = screen();
  await press(app, '\\timing', ENTER);
  await waitForFrame(app, contains('timing is off'));
  await press(app, 'select 6 as six;', ENTER);
  let frame = await waitForFrame(app, contains('✓ 1 row'));
  expect(frame).not.toMatch(/1 row in \d/);
  await press(app, '\\timing', ENTER);
  await waitForFrame(app, contains('timing is on'));
  await press(app, 'select 7 as seven;', ENTER);
  frame = await waitForFrame(app, contains('seven'));
  expect(frame).toMatch(/1 row in \d+/);
});

it('\\q leaves the app', async () => {
  process.env.SPARKIFY_HOME = fixture.home;
  const exits: number[] = [];
  const app = render(<AppRoot config={{ target: 'local', sources: {}, redshift: {} }} openWarehouse={() => Promise.resolve(fixture.warehouse)} onExitCode={(code) => exits.push(code)} />);
  await waitForFrame(app, contains('p runs the pipeline'));
  // Home takes `s` once its keys are attached: press until the prompt is up.
  await until(
    () => {
      if (!(app.lastFrame() ?? '').includes('sql>')) app.stdin.write('s');
      return (app.lastFrame() ?? '').includes('sql>');
    },
    () => app.lastFrame() ?? '',
  );
  await until(
    () => {
      // Ctrl-U first: an `s` pressed as the prompt came up is in the draft.
      if (exits.length === 0) app.stdin.write(`${CTRL_U}\\q\r`);
      return exits.length > 0;
    },
    () => app.lastFrame() ?? '',
  );
  expect(exits).toEqual([0]);
});
