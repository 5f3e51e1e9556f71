// The SQL prompt's editor, on a real in-memory DuckDB warehouse, rendered by
// Ink into an in-memory stdout (ink-testing-library), so a "frame" is the text
// Ink hands to the terminal:
//  1. keystroke-to-frame latency while typing at the end of a 40-line draft,
//     coloured from the tokenizer (256 colours, chalk at full colour) against
//     the same typing with no colour (NO_COLOR: the baseline, same run);
//  2. Tab to a frame with the completion menu open, with 1,000 tables of 8
//     columns in the catalog against an empty catalog (same run), and the
//     completion itself (complete()) on each catalog.
//
// Options: --keys N (keystrokes per series, default 200)  --tables N (default 1000)  --tabs N (menu openings, default 60)
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importBundle } from './bundle.mjs';
import { bundleScreen, median, mount as mountScreen, p95, tick } from './ui-screen.mjs';

const { values: flags } = parseArgs({
  options: { keys: { type: 'string', default: '200' }, tables: { type: 'string', default: '1000' }, tabs: { type: 'string', default: '60' } },
});
const KEYS = Number(flags.keys);
const TABLES = Number(flags.tables);
const TABS = Number(flags.tabs);
const WIDTH = 80;
const HEIGHT = 24;

// Chalk at full colour (read as it loads), so the coloured frames carry their
// escape codes as a terminal would get them.
process.env.FORCE_COLOR = '3';
const lib = await bundleScreen('ui-sql-editor');
const core = await importBundle('ui-sql-editor', "export { complete, loadCatalog } from './src/pipeline/completion.ts';");

const strip = (text) => text.replace(/\u001B\[[0-9;]*m/g, '');

/** The screen at this colour depth, and a way to send keys and wait for the first frame that passes a test. */
function mount(warehouse, home, colorDepth) {
  return mountScreen(lib, { warehouse, home, width: WIDTH, height: HEIGHT, colorDepth });
}

/** A star-schema query of 40 lines: keywords, functions, strings, numbers, comments, brackets. */
function fortyLines() {
  const lines = ['-- plays per user and level, with the hour they listen most', 'with hourly as ('];
  for (let i = 0; lines.length < 38; i++) {
    lines.push(`  select user_id, level, date_part(hour, start_time) as hour_${i}, count(*) as plays_${i} -- part ${i}`);
    lines.push(`  from f_songplays where level in ('paid', 'free') and session_id > ${i * 10} group by 1, 2, 3`);
    if (lines.length < 38) lines.push('  union all');
  }
  lines.push(')', 'select * from hourly order by plays desc limit 10');
  return lines.slice(0, 40).join('\n');
}

/** Types a round of 10 characters at the end of the draft and deletes them, one key at a time; per-key latencies. */
async function typingRound(screen, lastLine) {
  const latencies = [];
  let typed = '';
  const word = ' and level';
  for (let i = 0; i < 20; i++) {
    const deleting = i >= 10;
    const key = deleting ? '\u007f' : word[typed.length];
    typed = deleting ? typed.slice(0, -1) : typed + key;
    const expected = `${lastLine}${typed}`.trimEnd();
    latencies.push(await screen.press(key, (frame) => strip(frame).split('\n').some((line) => line.replace(/[▏]/g, '').trimEnd().endsWith(expected))));
    await tick();
  }
  return latencies;
}

const log = (line) => process.stdout.write(`${line}\n`);
const home = mkdtempSync(join(tmpdir(), 'sparkify-bench-editor-'));
log(`SQL editor latency (${KEYS} keys per series, ${TABS} menu openings, ${TABLES} tables); load average ${(await import('node:os')).loadavg()[0].toFixed(1)}`);

// 1. Highlighting. The same 40-line draft, typed at its end, coloured and not.
const empty = await lib.DuckDbWarehouse.open({ path: ':memory:' });
// An empty catalog still has two schemas, so `from ` opens a menu there too.
await empty.execute('create schema analytics');
const draft = fortyLines();
const lastLine = draft.split('\n').at(-1);
// Both screens at once, typed on in turns, so a change of load on a shared machine falls on both alike.
const series = { 'no colour (NO_COLOR, baseline)': [], 'highlighted, 256 colours': [] };
const screens = {};
for (const [label, depth] of [['no colour (NO_COLOR, baseline)', 0], ['highlighted, 256 colours', 256]]) {
  screens[label] = mount(empty, home, depth);
  await new Promise((r) => setTimeout(r, 200));
  await screens[label].press(draft, (frame) => strip(frame).includes('limit 10'));
  await typingRound(screens[label], lastLine);
}
for (let round = 0; round < Math.ceil(KEYS / 20); round++) {
  for (const label of Object.keys(series)) series[label].push(...(await typingRound(screens[label], lastLine)));
}
for (const screen of Object.values(screens)) screen.app.unmount();
log('');
log('| keystroke → frame, 40-line draft | median | p95 | ratio to no colour |');
log('| --- | ---: | ---: | ---: |');
const base = median(series['no colour (NO_COLOR, baseline)']);
for (const [label, values] of Object.entries(series)) {
  log(`| ${label} | ${median(values).toFixed(2)} ms | ${p95(values).toFixed(2)} ms | ${(median(values) / base).toFixed(2)}× |`);
}

// 2. The completion menu with a large catalog.
const large = await lib.DuckDbWarehouse.open({ path: ':memory:' });
await large.execute('create schema analytics');
for (let t = 0; t < TABLES; t += 100) {
  const statements = [];
  for (let i = t; i < Math.min(TABLES, t + 100); i++) {
    statements.push(`create table analytics.t_${i} (id bigint, user_id integer, song_id varchar, level varchar, start_time timestamp, session_${i} integer, location varchar, plays double)`);
  }
  await large.execute(statements.join(';\n'));
}
const catalogStarted = performance.now();
const catalog = { ...(await core.loadCatalog(large)), searchPath: ['analytics', 'staging', 'public'] };
const catalogMs = performance.now() - catalogStarted;
const emptyCatalog = { ...(await core.loadCatalog(empty)), searchPath: ['analytics', 'staging', 'public'] };

/** Tab at the end of `typed` to a frame with the menu, then Esc; per-opening times and the menu's length. */
async function openings(warehouse, typed) {
  const screen = mount(warehouse, home, 256);
  await new Promise((r) => setTimeout(r, 200));
  await screen.press(typed, (frame) => strip(frame).includes(`sql> ${typed.trimEnd()}`));
  // The first Tab waits for the catalog read at open; the rest find it read.
  await screen.press('\t', (frame) => strip(frame).includes('Esc close'), 120_000);
  await screen.press('\u001B', (frame) => !strip(frame).includes('Esc close'));
  const times = [];
  let items = 0;
  for (let i = 0; i < TABS; i++) {
    times.push(await screen.press('\t', (frame) => strip(frame).includes('Esc close')));
    items = Number(/1\/(\d+) ·/.exec(strip(screen.app.lastFrame()))?.[1] ?? 0);
    await screen.press('\u001B', (frame) => !strip(frame).includes('Esc close'));
    await tick();
  }
  screen.app.unmount();
  return { times, items };
}
const completeTimes = (cat, typed) => {
  const times = [];
  for (let i = 0; i < TABS; i++) {
    const started = performance.now();
    core.complete(typed, typed.length, cat);
    times.push(performance.now() - started);
  }
  return times;
};

log('');
log(`| Tab → frame with the menu | names in the menu | median | p95 | ratio to the empty catalog |`);
log('| --- | ---: | ---: | ---: | ---: |');
// `select co`: columns, functions and keywords; `select * from `: every table and schema.
for (const typed of ['select co', 'select * from ']) {
  const withNone = await openings(empty, typed);
  const withTables = await openings(large, typed);
  const completeEmpty = completeTimes(emptyCatalog, typed);
  const completeLarge = completeTimes(catalog, typed);
  const emptyMedian = median(withNone.times);
  log(`| \`${typed.trimEnd()}\`, empty catalog (baseline) | ${withNone.items} | ${emptyMedian.toFixed(2)} ms | ${p95(withNone.times).toFixed(2)} ms | 1.00× |`);
  log(`| \`${typed.trimEnd()}\`, ${TABLES} tables, ${catalog.columns.length} columns | ${withTables.items} | ${median(withTables.times).toFixed(2)} ms | ${p95(withTables.times).toFixed(2)} ms | ${(median(withTables.times) / emptyMedian).toFixed(2)}× |`);
  log(`| \`${typed.trimEnd()}\`, complete() alone: empty / ${TABLES} tables | | ${median(completeEmpty).toFixed(2)} / ${median(completeLarge).toFixed(2)} ms | ${p95(completeEmpty).toFixed(2)} / ${p95(completeLarge).toFixed(2)} ms | ${(median(completeLarge) / median(completeEmpty)).toFixed(2)}× |`);
}
log('');
log(`reading the catalog of ${TABLES} tables (at the prompt's open and after DDL): ${catalogMs.toFixed(0)} ms`);

await large.close();
await empty.close();
rmSync(home, { recursive: true, force: true });
