// The pipeline screen's error panel and SQL view, on a real DuckDB file: a
// run over a copy of the course events with one malformed file shows the
// whole load error on the screen; `v` shows the SQL the local engine runs
// beside the Redshift original, side by side when wide, stacked at 80 columns.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SparkifyConfig } from '../src/pipeline/config.js';
import { AppRoot, openConfiguredWarehouse } from '../src/ui/app.js';
import { contains, waitForFrame } from './helpers/ink.js';
import { COURSE_DATA } from './helpers/cli.js';

let home: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'sparkify-pipeline-panels-'));
  process.env.SPARKIFY_HOME = home;
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

/** Three days of the course events and a fourth whose last line has a word for its timestamp. */
function eventsWithBadFile(): { folder: string; bad: string; badLine: string } {
  const folder = join(home, 'log_data');
  mkdirSync(folder);
  const days = readdirSync(join(COURSE_DATA, 'log_data/2018/11')).sort().slice(0, 3);
  for (const day of days) cpSync(join(COURSE_DATA, 'log_data/2018/11', day), join(folder, day));
  const lines = readFileSync(join(folder, days[0]), 'utf8').split('\n').slice(0, 3);
  const badLine = JSON.stringify({ ...JSON.parse(lines[0]), ts: 'yesterday' });
  const bad = join(folder, '2018-11-30-events.json');
  writeFileSync(bad, [...lines, badLine].join('\n') + '\n');
  return { folder, bad, badLine };
}

const config = (logData: string): SparkifyConfig => ({
  target: 'local',
  localDatabase: join(home, 'warehouse.duckdb'),
  sources: { songData: join(COURSE_DATA, 'song_data'), logData, logJsonpaths: join(COURSE_DATA, 'log_json_path.json') },
  redshift: {},
});

function renderApp(c: SparkifyConfig, columns: number) {
  const app = render(<AppRoot config={c} openWarehouse={openConfiguredWarehouse} onExitCode={() => undefined} />);
  Object.defineProperty(app.stdout, 'columns', { value: columns, configurable: true });
  app.stdout.emit('resize');
  return app;
}

type App = ReturnType<typeof renderApp>;

async function openPipeline(app: App): Promise<void> {
  await waitForFrame(app, contains('p runs the pipeline'));
  app.stdin.write('p');
  await waitForFrame(app, contains('ready · r runs the pipeline'), 30_000);
}

/** Down to the events COPY: the sixth step, expanded, its second statement. */
async function selectEventsCopy(app: App): Promise<void> {
  for (let i = 0; i < 5; i++) app.stdin.write('\u001B[B');
  await waitForFrame(app, contains('❯ · Load staging.s_events'));
  app.stdin.write('\r');
  await waitForFrame(app, contains('▾ 2 statements'));
  app.stdin.write('\u001B[B');
  await waitForFrame(app, (f) => /❯\s+· empty staging\.s_events/.test(f));
  app.stdin.write('\u001B[B');
  await waitForFrame(app, (f) => /❯\s+· load staging\.s_events/.test(f));
}

describe('the error panel', () => {
  it("shows a failed load's file, line, column, reason, raw line and what to do next on the screen", async () => {
    const { folder, bad, badLine } = eventsWithBadFile();
    const app = renderApp(config(folder), 100);
    await openPipeline(app);
    app.stdin.write('r');
    const frame = await waitForFrame(app, contains('last run failed at load-events'), 60_000);
    expect(frame).toContain('last run failed at load-events · load staging.s_events');
    const panel = frame.slice(frame.indexOf('last run failed at'));
    expect(panel).toMatch(/file\s+.*2018-11-30-events\.json/);
    expect(panel.replace(/\s*│\s*/g, ' ')).toContain(bad.replace(home, '').slice(1).split('/').pop()!);
    expect(panel).toMatch(/at\s+line 4, column ts/);
    expect(panel).toMatch(/reason\s+expected a number \(BIGINT\), got the string "yesterday"/);
    expect(panel).toMatch(/value\s+yesterday/);
    expect(panel).toMatch(/raw line\s+\{"artist"/);
    expect(panel).toContain(badLine.slice(0, 30));
    expect(panel).toMatch(/next\s+fix or remove the rows shown/);
    expect(panel).toContain('f resumes from the selected step');
    app.unmount();
  });
});

describe('the SQL view', () => {
  it('puts the local SQL beside the Redshift original when the terminal is wide', async () => {
    const app = renderApp(config(join(COURSE_DATA, 'log_data')), 140);
    await openPipeline(app);
    await selectEventsCopy(app);
    app.stdin.write('v');
    const frame = await waitForFrame(app, contains('local DuckDB, as it runs'));
    expect(frame).toMatch(/Redshift, as written\s+│ local DuckDB, as it runs/);
    expect(frame).toMatch(/COPY staging\.s_events\s+│ -- COPY is loaded by sparkify/);
    expect(frame).toMatch(/FROM '.*log_data'\s+│/);
    // The statement the load runs is further down: one page down shows it, on the right.
    app.stdin.write('\u001B[6~');
    const down = await waitForFrame(app, (f) => !/lines 1–/.test(f));
    expect(down).toMatch(/│ INSERT INTO staging\.s_events/);
    expect(down).toMatch(/│ FROM read_json\(/);
    app.unmount();
  });

  it('stacks them at 80 columns, the local SQL under the original, and scrolls to it', async () => {
    const app = renderApp(config(join(COURSE_DATA, 'log_data')), 80);
    await openPipeline(app);
    // Create analytics tables: IDENTITY becomes a sequence on the local engine.
    for (let i = 0; i < 3; i++) app.stdin.write('\u001B[B');
    await waitForFrame(app, contains('❯ · Create analytics tables'));
    app.stdin.write('v');
    let frame = await waitForFrame(app, contains('-- create analytics.d_users · Redshift, as written'));
    expect(frame).not.toContain('│ local DuckDB');
    expect(frame).toMatch(/lines 1–\d+ of \d+/);
    const total = Number(/lines 1–\d+ of (\d+)/.exec(frame)![1]);
    // Page down until the fact table's local SQL, with its sequence, is on screen.
    for (let i = 0; i < total && !/CREATE SEQUENCE/i.test(frame); i++) {
      const before = /lines (\d+)–/.exec(frame)![1];
      app.stdin.write('\u001B[6~');
      frame = await waitForFrame(app, (f) => /lines (\d+)–/.exec(f)?.[1] !== before || /CREATE SEQUENCE/i.test(f));
    }
    expect(frame).toMatch(/CREATE SEQUENCE/i);
    const original = frame.indexOf('-- create analytics.f_songplays · Redshift, as written');
    const local = frame.indexOf('-- create analytics.f_songplays · local DuckDB, as it runs');
    if (original >= 0 && local >= 0) expect(local).toBeGreaterThan(original);
    expect(frame).toContain('-- create analytics.f_songplays · local DuckDB, as it runs');
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    app.unmount();
  });
});
