// The pipeline screen's error panel and SQL view in a real terminal (tmux, the
// built CLI): a copy of a small source folder with one malformed event file
// fails its load, the panel on the screen names the file, line, reason and
// raw line, and `v` on the failed statement shows the SQL the local engine
// runs for it, under the Redshift original at 80 columns and beside it at 140.
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { COURSE_DATA } from './helpers/cli.js';
import { hasTmux, openTerminal, tempHome, type Terminal } from './helpers/tmux.js';
import { runPipeline, setUpLocalFolders } from './helpers/wizard.js';

const open: Terminal[] = [];
const { home: scratch, remove } = tempHome();
afterEach(() => open.splice(0).forEach((t) => t.kill()));
afterAll(remove);

/** song_data and two days of events copied, and a third day whose fifth line is cut off. */
function brokenSources(): { folder: string; bad: string } {
  const folder = join(scratch, 'sources');
  cpSync(join(COURSE_DATA, 'song_data'), join(folder, 'song_data'), { recursive: true });
  cpSync(join(COURSE_DATA, 'log_json_path.json'), join(folder, 'log_json_path.json'));
  const logs = join(folder, 'log_data');
  mkdirSync(logs, { recursive: true });
  const days = readdirSync(join(COURSE_DATA, 'log_data/2018/11')).sort().slice(0, 3);
  for (const day of days.slice(0, 2)) cpSync(join(COURSE_DATA, 'log_data/2018/11', day), join(logs, day));
  const lines = readFileSync(join(COURSE_DATA, 'log_data/2018/11', days[2]), 'utf8').split('\n');
  lines[4] = '{"artist":"Cut Short","auth":"Logged In",';
  const bad = join(logs, days[2]);
  writeFileSync(bad, lines.join('\n'));
  return { folder, bad };
}

describe.skipIf(!hasTmux())('the pipeline screen after a failed load', () => {
  it('shows the whole error in a panel and the local SQL of the failed statement beside its original', async () => {
    const { folder, bad } = brokenSources();
    const home = join(scratch, 'home');
    mkdirSync(home);
    const t = openTerminal({ env: { SPARKIFY_HOME: home } });
    open.push(t);
    await setUpLocalFolders(t, folder);
    await runPipeline(t);

    const screen = await t.waitFor('last run failed at load-events', { timeoutMs: 60_000 });
    const panel = screen.slice(screen.indexOf('last run failed at load-events'));
    expect(panel).toContain('last run failed at load-events · load staging.s_events');
    // The file's path may wrap at the panel's edge: read it without the border.
    const unframed = panel.replace(/\s*│\n│\s*/g, '').replace(/│/g, '');
    expect(unframed).toContain(bad);
    expect(panel).toMatch(/at\s+line 5/);
    expect(panel).toMatch(/reason\s+\S/);
    expect(panel).toMatch(/raw line\s+\{"artist":"Cut Short","auth":"Logged In",/);
    expect(panel).toMatch(/next\s+fix or remove the rows shown/);
    expect(screen).toContain('❯ ✗ Load staging.s_events');

    // The failed step's statements: expand, down to the COPY, and v.
    t.send('Enter');
    await t.waitFor('▾ 2 statements');
    t.send(['Down', 'Down']);
    await t.waitFor(/❯\s+✗ load staging\.s_events/);
    t.send('v');
    const stacked = await t.waitFor('-- load staging.s_events · local DuckDB, as it runs');
    expect(stacked.indexOf('-- load staging.s_events · Redshift, as written')).toBeLessThan(stacked.indexOf('-- load staging.s_events · local DuckDB, as it runs'));
    expect(stacked).toContain('COPY staging.s_events');
    t.send('PageDown');
    await t.waitFor('-- COPY is loaded by sparkify');

    t.resize(140, 30);
    const wide = await t.waitFor(/Redshift, as written\s+│ local DuckDB, as it runs/);
    expect(wide).toMatch(/COPY staging\.s_events\s+│ -- COPY is loaded by sparkify/);
    t.send('PageDown');
    const down = await t.waitFor(/│ INSERT INTO staging\.s_events/);
    expect(down).toMatch(/│ FROM read_json\(/);
    t.send('v');
    await t.waitFor(/❯\s+✗ load staging\.s_events/);
  });
});
