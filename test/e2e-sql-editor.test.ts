// The SQL prompt's editor end to end: the built CLI in real terminals (tmux)
// at 80x24 and 160x45, on the course data loaded by `sparkify run`: the
// completion menu on an unqualified table, then the query runs; the draft in
// colour, and not a single escape code under NO_COLOR; $EDITOR given the
// terminal and its text taken back.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COURSE_DATA } from './helpers/cli.js';
import { CLI, REPO_ROOT, hasTmux, openTerminal, tempHome, type Terminal } from './helpers/tmux.js';
import { setUpLocalFolders } from './helpers/wizard.js';

const open: Terminal[] = [];
let home: string;
let removeHome: () => void;

beforeAll(() => {
  if (!existsSync(CLI)) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT });
  ({ home, remove: removeHome } = tempHome());
  execFileSync(
    process.execPath,
    [CLI, 'run', '--song-data', join(COURSE_DATA, 'song_data'), '--log-data', join(COURSE_DATA, 'log_data'), '--log-jsonpaths', join(COURSE_DATA, 'log_json_path.json')],
    { env: { ...process.env, SPARKIFY_HOME: home }, stdio: 'pipe' },
  );
});

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const t of open.splice(0)) t.kill();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

afterAll(() => {
  removeHome?.();
});

/** The app on the SQL prompt, in a terminal of this size and environment. */
async function prompt(width: number, height: number, env: Record<string, string | undefined> = {}): Promise<Terminal> {
  const t = openTerminal({ env: { SPARKIFY_HOME: home, ...env }, width, height });
  open.push(t);
  const first = await t.waitFor((screen) => screen.includes('Where should the star schema live?') || screen.includes('p runs the pipeline'));
  if (!first.includes('p runs the pipeline')) await setUpLocalFolders(t, COURSE_DATA);
  t.send('s');
  await t.waitFor('sql>');
  return t;
}

/** Any escape sequence at all (colour, bold, reverse video...). */
const ESCAPE = /\u001B/;

describe.skipIf(!hasTmux())('the SQL editor in a terminal', { timeout: 180_000 }, () => {
  for (const [width, height] of [[80, 24], [160, 45]] as const) {
    it(`at ${width}x${height}, the completion menu on an unqualified table picks d_users, and the query runs`, async () => {
      const t = await prompt(width, height);
      t.type('SELECT count(*) AS users FROM d_');
      await t.waitFor('FROM d_');
      t.send('Tab');
      let screen = await t.waitFor(/1\/\d+ ·/);
      // Under the word, every name with its kind, all inside the terminal: the
      // d_ tables first, then those with d_ inside (the ledger's, the load log's).
      const menu = screen.split('\n').filter((line) => /\b(table|view|schema)\s*$/.test(line));
      const names = menu.map((line) => line.trim().replace(/^› /, '').split(/\s+/)[0]);
      expect(names.slice(0, 4)).toEqual(['d_artists', 'd_songs', 'd_time', 'd_users']);
      expect(names.slice(4).filter((name) => !/.d_/.test(name))).toEqual([]);
      for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(width);
      t.send(['Down', 'Down', 'Down']);
      await t.waitFor('› d_users');
      t.send('Enter');
      screen = await t.waitFor('FROM d_users');
      expect(screen).not.toMatch(/1\/\d+ ·/);
      // tmux reads an argument ending in ";" as its command separator unless escaped.
      t.type('\\;');
      t.send('Enter');
      screen = await t.waitFor(/1 row in \d+/);
      // The users of the course logs (the other journeys count them the same way).
      expect(screen).toMatch(/users\s*\n(.*\n){1,3}\s*97\b/);
    });
  }

  it('at 80x24, with a result under it and the cursor on the eighth line, the menu opens over the lines above and the header stays', async () => {
    const t = await prompt(80, 24);
    t.type('select * from f_songplays limit 50\\;');
    t.send('Enter');
    await t.waitFor(/50 rows in \d+/);
    for (const line of ['select level,', '  gender,', '  first_name,', '  last_name,', '  user_id,', '  count(*) over () as users', '  -- one row a user']) {
      t.type(line);
      t.send('Enter');
    }
    t.type('from d_');
    await t.waitFor('...  from d_');
    t.send('Tab');
    const screen = await t.waitFor(/1\/\d+ ·/);
    const lines = screen.split('\n');
    // The app's header is still on the first line: the frame is no taller than the terminal.
    expect(lines[0]).toContain('sparkify · SQL');
    const cursorLine = lines.findIndex((line) => line.startsWith('...  from d_'));
    const hintLine = lines.findIndex((line) => /1\/\d+ ·/.test(line));
    expect(hintLine).toBe(cursorLine - 1);
    expect(lines.slice(0, cursorLine).join('\n')).toContain('› d_artists');
    // The result is still on screen under the status line.
    expect(lines.slice(cursorLine).join('\n')).toMatch(/songplay_id[\s\S]*2018-11-01/);
    t.send(['Down', 'Down', 'Down']);
    await t.waitFor('› d_users');
    t.send('Enter');
    await t.waitFor('...  from d_users');
    t.type('\\;');
    t.send('Enter');
    // Every user once, each row counting them all.
    expect(await t.waitFor(/97 rows in \d+/)).toMatch(/first_name[\s\S]*│\s+97\n/);
  });

  it('colours the draft on a 256-colour terminal, and under NO_COLOR=1 shows not one escape code', async () => {
    const coloured = await prompt(80, 24, { FORCE_COLOR: undefined, NO_COLOR: undefined, TERM: 'xterm-256color' });
    coloured.type("select level, count(*) from d_users where level = 'paid' group by (1 -- x");
    let screen = await coloured.waitFor('-- x');
    const draft = coloured.capture({ escapes: true }).split('\n').find((line) => line.includes('sql>'))!;
    // The keyword colour and the string colour of the 256-colour palette.
    expect(draft).toMatch(/38;5;75/);
    expect(draft).toMatch(/38;5;114/);
    expect(screen).not.toContain('unclosed');
    coloured.kill();

    const plain = await prompt(80, 24, { FORCE_COLOR: undefined, NO_COLOR: '1', TERM: 'xterm-256color' });
    const open = "select level, count(*) from d_users where level = 'paid' group by (1 -- x";
    plain.type(open);
    screen = await plain.waitFor('-- x');
    expect(plain.capture({ escapes: true })).not.toMatch(ESCAPE);
    // With no colour to mark it in the draft, the status line says what is left open.
    expect(screen).toContain(`unclosed ( at line 1, col ${open.indexOf('(1') + 1} · end a statement with`);
    plain.send('C-u');
    plain.type('select * from d_');
    await plain.waitFor('from d_');
    plain.send('Tab');
    screen = await plain.waitFor(/1\/\d+ ·/);
    expect(screen).toContain('› d_artists');
    expect(plain.capture({ escapes: true })).not.toMatch(ESCAPE);
  });

  it('hands the terminal to $EDITOR for the draft and takes its text back', async () => {
    // An editor that asks for a line on the terminal: it reads it only if the terminal is its own (not in raw mode).
    // Outside SPARKIFY_HOME, whose files the app keeps at 0600.
    const { home: scripts, remove } = tempHome();
    cleanups.push(remove);
    const editor = join(scripts, 'line-editor.sh');
    writeFileSync(editor, '#!/bin/sh\nprintf "was: %s\\nnew line> " "$(cat "$1")"\nread line\nprintf "%s\\n" "$line" > "$1"\n');
    chmodSync(editor, 0o755);
    const t = await prompt(80, 24, { EDITOR: editor });
    t.type('select 1 as one');
    await t.waitFor('sql> select 1 as one');
    t.send(['C-x', 'C-e']);
    await t.waitFor('new line>');
    expect(t.capture()).toContain('was: select 1 as one');
    t.type('select 6 * 7 as answer\\;');
    t.send('Enter');
    let screen = await t.waitFor('sql> select 6 * 7 as answer;');
    expect(screen).toContain('the draft as line-editor.sh saved it');
    // The prompt has its keys again.
    t.send('Enter');
    screen = await t.waitFor(/1 row in \d+/);
    expect(screen).toMatch(/answer[\s\S]*\b42\b/);
  });
});
