// The result side of the SQL prompt end to end: the built CLI in a real
// terminal (tmux) at 80x24 and 160x45, on the course data loaded by
// `sparkify run`: a two-statement draft gives two results; the cell panel and
// `\x` on a wide f_songplays row; a copy to the clipboard, read as the raw
// OSC 52 sequence tmux receives from the pane (pipe-pane).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COURSE_DATA } from './helpers/cli.js';
import { until } from './helpers/ink.js';
import { CLI, REPO_ROOT, hasTmux, openTerminal, tempHome, type Terminal } from './helpers/tmux.js';
import { setUpLocalFolders } from './helpers/wizard.js';

const open: Terminal[] = [];
let home: string;
let removeHome: () => void;
/** The first songplay's user agent, as `sparkify query` reads it. */
let userAgent: string;

const FIRST_PLAY = 'select * from f_songplays order by songplay_id limit 5';

function cli(args: string[]): string {
  return execFileSync(process.execPath, [CLI, ...args], { env: { ...process.env, SPARKIFY_HOME: home }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  if (!existsSync(CLI)) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT });
  ({ home, remove: removeHome } = tempHome());
  cli(['run', '--song-data', join(COURSE_DATA, 'song_data'), '--log-data', join(COURSE_DATA, 'log_data'), '--log-jsonpaths', join(COURSE_DATA, 'log_json_path.json')]);
  const tsv = cli(['query', 'select user_agent from analytics.f_songplays order by songplay_id limit 1', '--format', 'tsv']);
  userAgent = tsv.trim().split('\n')[1];
});

afterEach(() => {
  for (const t of open.splice(0)) t.kill();
});

afterAll(() => {
  removeHome?.();
});

/** What the pane wrote, as tmux received it, from the moment this is called. */
function recordPane(t: Terminal, file: string): () => string {
  rmSync(file, { force: true });
  execFileSync('tmux', ['pipe-pane', '-t', t.session, '-o', `cat >> '${file}'`]);
  return () => (existsSync(file) ? readFileSync(file, 'latin1') : '');
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe.skipIf(!hasTmux())('the results of the SQL prompt in a terminal', { timeout: 180_000 }, () => {
  for (const [width, height] of [[80, 24], [160, 45]] as const) {
    it(`at ${width}x${height}: two statements, two results; the cell panel and \\x on a wide row; a copy through OSC 52`, async () => {
      expect(userAgent.length).toBeGreaterThan(40);
      const t = openTerminal({ env: { SPARKIFY_HOME: home }, width, height });
      open.push(t);
      const first = await t.waitFor((screen) => screen.includes('Where should the star schema live?') || screen.includes('p runs the pipeline'));
      if (!first.includes('p runs the pipeline')) await setUpLocalFolders(t, COURSE_DATA);
      t.send('s');
      await t.waitFor('sql>');

      // Two statements in one draft: a result each, the last shown under its statement.
      t.type('select count(*) as plays from f_songplays; select level, count(*) as users from d_users group by 1 order by 1');
      await t.waitFor('order by 1');
      // tmux reads an argument ending in ";" as its command separator unless escaped.
      t.type('\\;');
      t.send('Enter');
      let screen = await t.waitFor('2 statements');
      expect(screen).toMatch(/ #1 1 row · \d+ ms +│ + #2 2 rows · \d+ ms/);
      expect(screen).toContain('2/2 › select level, count(*) as users from d_users group by 1 order by 1');
      expect(screen).toMatch(/level\s+│\s+users\s*\nvarchar\s+│\s+bigint/);
      t.send('C-t');
      await t.waitFor('row 1 · column 1 of 2');
      t.send('[');
      screen = await t.waitFor('1/2 › select count(*) as plays from f_songplays');
      // Without colour (FORCE_COLOR=0) the cell cursor is a mark: ▸ in the first column.
      expect(screen).toMatch(/plays\s*\n\s*bigint\s*\n.*\n▸\s*6820\b/);

      // A wide row: the cursor on its last column shows the whole user agent, cut in the table.
      t.send('Enter');
      await t.waitFor('Ctrl-T scroll, chart, export');
      t.type(FIRST_PLAY);
      await t.waitFor('limit 5');
      t.type('\\;');
      t.send('Enter');
      await t.waitFor(/5 rows in \d+/);
      t.send('C-t');
      await t.waitFor('row 1 · column 1 of 9');
      t.send('End');
      screen = await t.waitFor('─ user_agent (varchar) · row 1 · column 9 of 9');
      const lines = screen.split('\n');
      const title = lines.findIndex((line) => line.startsWith('─ user_agent'));
      const panel = lines.slice(title + 1).join(' ');
      expect(panel.replace(/\s+/g, ' ')).toContain(userAgent.replace(/\s+/g, ' '));
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);

      // The copy of the cell is the OSC 52 sequence, plainly and wrapped for tmux's passthrough.
      const written = recordPane(t, join(home, `pane-${width}.raw`));
      t.send('y');
      screen = await t.waitFor(`copied user_agent of row 1 (${Buffer.byteLength(userAgent)} bytes) to the clipboard (OSC 52)`);
      const plain = `\u001b]52;c;${base64(userAgent)}\u0007`;
      await until(() => written().includes(plain), () => JSON.stringify(written().slice(-400)));
      expect(written()).toContain(`\u001bPtmux;\u001b\u001b]52;c;${base64(userAgent)}\u0007\u001b\\`);
      t.send('Y');
      await t.waitFor('copied row 1 as TSV');
      await until(() => (written().match(/\u001b\]52;c;/g) ?? []).length >= 4, () => JSON.stringify(written().slice(-400)));
      const payloads = [...written().matchAll(/\u001b\]52;c;([A-Za-z0-9+/=]+)\u0007/g)].map((m) => Buffer.from(m[1], 'base64').toString('utf8'));
      const row = payloads.at(-1)!;
      expect(row.endsWith(`\t${userAgent}\n`)).toBe(true);
      expect(row.split('\t')).toHaveLength(9);

      // \x: the rows as records, wide values wrapped whole.
      t.send('Enter');
      await t.waitFor('Ctrl-T scroll, chart, export');
      t.type('\\x');
      await t.waitFor('sql> \\x');
      t.send('Enter');
      screen = await t.waitFor('expanded display is on');
      // As many records as fit: one of 11 lines (its user agent wrapped) at 80x24, three of 10 at 160x45.
      const fit = width === 80 ? 1 : 3;
      for (let n = 1; n <= fit; n += 1) expect(screen).toContain(`-[ RECORD ${n} ]`);
      expect(screen).not.toContain(`-[ RECORD ${fit + 1} ]`);
      expect(screen).toContain(`rows 1–${fit} of 5 rows`);
      expect(screen).toMatch(/songplay_id │ \d+\n/);
      // The first record's user agent whole: its line and the wrapped lines under it.
      const shown = screen.split('\n');
      const start = shown.findIndex((line) => line.startsWith('user_agent '));
      const end = shown.findIndex((line, i) => i > start && !/^ +[│▸] /.test(line));
      const agent = shown.slice(start, end).map((line) => line.replace(/^[^│▸]*[│▸] /, ''));
      expect(agent.join(' ').replace(/\s+/g, ' ')).toContain(userAgent.replace(/\s+/g, ' '));
      for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(width);
      // The cursor's field is marked ▸ where the terminal gets no colour (a CI run), coloured otherwise.
      expect(screen).toMatch(/user_agent  [│▸] .*Mozilla\/5\.0/);
      // The cursor is where it was: on the user agent of the first row.
      t.send('C-t');
      await t.waitFor('row 1 · column 9 of 9');
      t.send(['Down', 'Home']);
      screen = await t.waitFor('-[ RECORD 2 ]');
      await t.waitFor('─ songplay_id (bigint) · row 2 · column 1 of 9');
      t.send(['Enter']);
      await t.waitFor('Ctrl-T scroll, chart, export');
      t.type('\\x');
      await t.waitFor('sql> \\x');
      t.send('Enter');
      screen = await t.waitFor('expanded display is off');
      expect(screen).not.toContain('RECORD');
    });
  }
});
