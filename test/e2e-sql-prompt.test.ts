// The SQL prompt end to end: the built CLI in a real 80x24 terminal (tmux),
// from an empty SPARKIFY_HOME loaded with the course data by `sparkify run`,
// then the app: Tab completion, a query, a bar chart, \d, history after a
// restart.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, exitCodeOf, hasTmux, openTerminal, tempHome, type Terminal } from './helpers/tmux.js';
import { setUpLocalFolders } from './helpers/wizard.js';
import { COURSE_DATA } from './helpers/cli.js';

const open: Terminal[] = [];
let home: string;
let removeHome: () => void;

function terminal(args: string[] = [], width = 80, height = 24): Terminal {
  const t = openTerminal({ env: { SPARKIFY_HOME: home }, args, width, height });
  open.push(t);
  return t;
}

beforeAll(() => {
  if (!existsSync(CLI)) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT });
  ({ home, remove: removeHome } = tempHome());
  execFileSync(
    process.execPath,
    [
      CLI,
      'run',
      '--song-data', join(COURSE_DATA, 'song_data'),
      '--log-data', join(COURSE_DATA, 'log_data'),
      '--log-jsonpaths', join(COURSE_DATA, 'log_json_path.json'),
    ],
    { env: { ...process.env, SPARKIFY_HOME: home }, stdio: 'pipe' },
  );
});

afterEach(() => {
  for (const t of open.splice(0)) t.kill();
});

afterAll(() => {
  removeHome?.();
});

describe.skipIf(!hasTmux())('the SQL prompt in a terminal', { timeout: 180_000 }, () => {
  it('completes with Tab, runs a query, draws a chart, describes a table, keeps history and cancels on Ctrl-C', async () => {
    const t = terminal();
    await setUpLocalFolders(t, COURSE_DATA);
    t.send('s');
    await t.waitFor('sql>');

    t.type('select * from analytics.d_');
    await t.waitFor('from analytics.d_');
    t.send('Tab');
    let screen = await t.waitFor('1/4 ·');
    expect(screen).toContain('sql> select * from analytics.d_');
    expect(screen).toMatch(/› d_artists\s+table\n\s+d_songs\s+table\n\s+d_time\s+table\n\s+d_users\s+table/);

    t.send('C-u');
    t.type('select level, count(*) as plays from analytics.f_song');
    // Tab as its own keystroke, once the text is in: a terminal may hand both over in one read.
    await t.waitFor('from analytics.f_song');
    t.send('Tab');
    await t.waitFor('from analytics.f_songplays');
    t.type(' group by 1 order by 2 desc');
    t.send('Enter');
    screen = await t.waitFor(/^\.\.\.\s*▏?$/m);
    expect(screen).not.toContain('rows in');
    // tmux reads an argument ending in ";" as its command separator unless escaped.
    t.type('\\;');
    t.send('Enter');
    screen = await t.waitFor(/2 rows in \d+/);
    const paid = screen.split('\n').find((line) => /^paid\s+│/.test(line));
    const free = screen.split('\n').find((line) => /^free\s+│/.test(line));
    expect(paid).toBeDefined();
    expect(free).toBeDefined();
    const paidPlays = Number(paid!.split('│')[1]);
    const freePlays = Number(free!.split('│')[1]);
    // 6,820 NextSong events in the course logs, mostly by paid users.
    expect(paidPlays + freePlays).toBe(6820);
    expect(paidPlays).toBeGreaterThan(freePlays);

    t.send('C-t');
    await t.waitFor('c chart');
    t.send('c');
    screen = await t.waitFor('█');
    const paidBar = screen.split('\n').find((line) => line.startsWith('paid'))!;
    const freeBar = screen.split('\n').find((line) => line.startsWith('free'))!;
    expect(paidBar).toContain(String(paidPlays));
    expect(paidBar.split('█').length).toBeGreaterThan(freeBar.split('█').length);
    for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(80);

    t.send('Enter');
    // Typed before the editor has the keys, the text would go to the result's keys.
    await t.waitFor('Ctrl-T scroll, chart, export');
    t.type('\\d analytics.d_users');
    await t.waitFor('sql> \\d analytics.d_users');
    t.send('Enter');
    screen = await t.waitFor(/first_name\s+│/);
    expect(screen).toMatch(/user_id\s+│/);

    t.send('Escape');
    await t.waitFor('p runs the pipeline');
    t.send('s');
    await t.waitFor('sql>');
    t.send('Up');
    await t.waitFor('sql> \\d analytics.d_users');
    t.send('Up');
    screen = await t.waitFor(/^\.\.\.  ;▏?$/m);
    expect(screen).toContain('sql> select level, count(*) as plays from analytics.f_songplays');
    expect(readFileSync(join(home, 'history'), 'utf8')).toContain('group by 1 order by 2 desc');

    // The first Ctrl-C cancels the running query; the second leaves the app.
    t.send('C-u');
    t.type('select count(*) from generate_series(0, 9999999999) t(i) where i % 7 = 3');
    // Ctrl-J as its own keystroke: in one read with the text it would be a line break in it.
    await t.waitFor('where i % 7 = 3');
    t.send('C-j');
    await t.waitFor(/running \d+\.\ds · Ctrl-C cancels/);
    t.send('C-c');
    screen = await t.waitFor('cancelled');
    expect(screen).toContain('sql> select count(*) from generate_series(0, 9999999999)');
    expect(t.exited()).toBe(false);
    t.send('C-c');
    screen = await t.waitFor('[sparkify exited with');
    expect(exitCodeOf(screen)).toBe(0);
  });

  for (const [width, height] of [[80, 24], [160, 45]] as const) {
    it(`at ${width}x${height}, an unqualified table completes and runs; an idle app never blocks sparkify query in another terminal; a busy one makes it wait and say for whom`, async () => {
      const app = terminal([], width, height);
      const first = await app.waitFor((screen) => screen.includes('Where should the star schema live?') || screen.includes('p runs the pipeline'));
      if (!first.includes('p runs the pipeline')) await setUpLocalFolders(app, COURSE_DATA);
      app.send('s');
      await app.waitFor('sql>');
      // An unqualified table completes to its own name, and runs: analytics is on the search path.
      app.type('select count(*) as users from d_u');
      await app.waitFor('from d_u');
      app.send('Tab');
      await app.waitFor('from d_users');
      app.send('C-j');
      const counted = await app.waitFor(/1 row in \d+/);
      expect(counted).toMatch(/users\s*\n\s*bigint\s*\n.*\n\s*97\b/);

      // The app shows its result and waits for typing: the file is free.
      let other = terminal(['query', 'select count(*) as plays from analytics.f_songplays'], width, height);
      let screen = await other.waitFor('[sparkify exited with');
      expect(exitCodeOf(screen)).toBe(0);
      expect(screen).toMatch(/\b6820\b/);
      expect(screen).not.toContain('in use by another');

      // While the app runs a statement, the query waits for it and names its pid.
      app.send('C-u');
      app.type('select count(*) from generate_series(0, 9999999999) t(i) where i % 7 = 3');
      await app.waitFor('where i % 7 = 3');
      app.send('C-j');
      await app.waitFor(/running \d+\.\ds/);
      other = terminal(['query', 'select count(*) as users from analytics.d_users'], width, height);
      screen = await other.waitFor('(Ctrl-C stops)');
      // The line names the app's pid and the file; at 80 columns the path wraps.
      expect(screen.replace(/\n/g, '')).toMatch(/waiting for the run in pid \d+ to let go of \S*warehouse\.duckdb \(Ctrl-C stops\)/);
      expect(other.exited()).toBe(false);
      app.send('C-c');
      await app.waitFor('cancelled');
      screen = await other.waitFor('[sparkify exited with');
      expect(exitCodeOf(screen)).toBe(0);
      expect(screen).toMatch(/\b97\b/);
    });
  }
});
