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

const { values: flags } = parseArgs({
  options: { keys: { type: 'string', default: '200' }, tables: { type: 'string', default: '1000' }, tabs: { type: 'string', default: '60' } },
});
const KEYS = Number(flags.keys);
const TABLES = Number(flags.tables);
const TABS = Number(flags.tabs);
const WIDTH = 80;
const HEIGHT = 24;

// As `sparkify` does before it loads the app; and chalk at full colour, so the
// coloured frames carry their escape codes as a terminal would get them.
process.env.NODE_ENV ??= 'production';
process.env.FORCE_COLOR = '3';

const lib = await importBundle(
  'ui-sql-editor',
  [
    "export { render } from 'ink-testing-library';",
    "export { createElement } from 'react';",
    "export { SqlScreen } from './src/ui/screens/sql-screen.tsx';",
    "export { DuckDbWarehouse } from './src/pipeline/warehouse/duckdb.ts';",
    "export { complete, loadCatalog } from './src/pipeline/completion.ts';",
  ].join('\n'),
);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const p95 = (values) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.95))];
const tick = () => new Promise((r) => setImmediate(r));
const strip = (text) => text.replace(/\u001B\[[0-9;]*m/g, '');

/** The screen, and a way to send keys and wait for the first frame that passes a test. */
function mount(warehouse, home, colorDepth) {
  const app = lib.render(lib.createElement(lib.SqlScreen, { warehouse, home, isActive: true, width: WIDTH, height: HEIGHT, colorDepth }));
  const write = app.stdout.write;
  let waiter = null;
  app.stdout.write = (frame) => {
    write(frame);
    // The test renderer keeps every frame it was sent; a terminal does not.
    app.stdout.frames.length = 0;
    app.frames.length = 0;
    if (waiter && waiter.test(frame)) {
      const { done } = waiter;
      waiter = null;
      done(performance.now());
    }
  };
  return {
    app,
    press(keys, test, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no frame for ${JSON.stringify(keys)}; last:\n${app.lastFrame()}`)), timeoutMs);
        const started = performance.now();
        waiter = {
          test,
          done: (at) => {
            clearTimeout(timer);
            resolve(at - started);
          },
        };
        app.stdin.write(keys);
      });
    },
  };
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

/** Types KEYS characters at the end of the draft and deletes them, one key at a time; per-key latencies. */
async function typing(screen, lastLine) {
  const latencies = [];
  let typed = '';
  const word = ' and level = ';
  for (let i = 0; i < Math.ceil(KEYS / 20) * 20; i++) {
    const deleting = Math.floor(i / 10) % 2 === 1;
    const key = deleting ? '\u007f' : word[typed.length % word.length];
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
const draft = fortyLines();
const lastLine = draft.split('\n').at(-1);
const series = {};
for (const [label, depth] of [['no colour (NO_COLOR, baseline)', 0], ['highlighted, 256 colours', 256]]) {
  const screen = mount(empty, home, depth);
  await new Promise((r) => setTimeout(r, 200));
  await screen.press(draft, (frame) => strip(frame).includes('limit 10'));
  await typing(screen, lastLine);
  series[label] = await typing(screen, lastLine);
  screen.app.unmount();
}
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
const catalog = { ...(await lib.loadCatalog(large)), searchPath: ['analytics', 'staging', 'public'] };
const catalogMs = performance.now() - catalogStarted;
const emptyCatalog = { ...(await lib.loadCatalog(empty)), searchPath: ['analytics', 'staging', 'public'] };

/** Tab on `select co` (columns, functions and keywords fit) to a frame with the menu, then Esc; per-opening times. */
async function openings(warehouse) {
  const screen = mount(warehouse, home, 256);
  await new Promise((r) => setTimeout(r, 200));
  await screen.press('select co', (frame) => strip(frame).includes('sql> select co'));
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
const withTables = await openings(large);
const withNone = await openings(empty);
const completeTimes = (cat) => {
  const times = [];
  for (let i = 0; i < TABS; i++) {
    const started = performance.now();
    lib.complete('select co', 9, cat);
    times.push(performance.now() - started);
  }
  return times;
};
const completeLarge = completeTimes(catalog);
const completeEmpty = completeTimes(emptyCatalog);

log('');
log(`| Tab → frame with the menu (\`select co\`) | names in the menu | median | p95 | ratio to the empty catalog |`);
log('| --- | ---: | ---: | ---: | ---: |');
const emptyMedian = median(withNone.times);
log(`| empty catalog (baseline) | ${withNone.items} | ${emptyMedian.toFixed(2)} ms | ${p95(withNone.times).toFixed(2)} ms | 1.00× |`);
log(`| ${TABLES} tables, ${catalog.columns.length} columns | ${withTables.items} | ${median(withTables.times).toFixed(2)} ms | ${p95(withTables.times).toFixed(2)} ms | ${(median(withTables.times) / emptyMedian).toFixed(2)}× |`);
log(`| complete() alone, empty catalog | | ${median(completeEmpty).toFixed(2)} ms | ${p95(completeEmpty).toFixed(2)} ms | |`);
log(`| complete() alone, ${TABLES} tables | | ${median(completeLarge).toFixed(2)} ms | ${p95(completeLarge).toFixed(2)} ms | ${(median(completeLarge) / median(completeEmpty)).toFixed(2)}× |`);
log('');
log(`reading the catalog of ${TABLES} tables (at the prompt's open and after DDL): ${catalogMs.toFixed(0)} ms`);

await large.close();
await empty.close();
rmSync(home, { recursive: true, force: true });
