// The SQL prompt under load, on a real in-memory DuckDB warehouse:
//  1. keystroke-to-frame latency while typing, with a 100,000-row result open,
//     against the same typing with no result (the baseline, same run), and the
//     latency of scrolling that result row by row and page by page;
//  2. memory while scrolling a 1,000,000-row result: RSS and heap sampled at the
//     start and the end of a long scroll (page downs, then End), against holding
//     the same rows in an array (what a table that keeps every row would cost).
// The screen renders through Ink into an in-memory stdout (ink-testing-library),
// so a "frame" is the text Ink hands to the terminal.
//
// Options: --keys N (keystrokes per series, default 200)  --pages N (page downs, default 2000)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { nodeBundle } from '../scripts/esbuild-options.mjs';

const REPO = resolve(import.meta.dirname, '..');
const OUT = join(REPO, 'bench', 'out', 'ui-sql-latency');
const { values: flags } = parseArgs({ options: { keys: { type: 'string', default: '200' }, pages: { type: 'string', default: '2000' } } });
const KEYS = Number(flags.keys);
const PAGES = Number(flags.pages);
const WIDTH = 80;
const HEIGHT = 19;

// As `sparkify` does before it loads the app (src/commands/app.ts).
process.env.NODE_ENV ??= 'production';
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

/** A private bundle of the screen and the warehouse from the current source. */
async function bundle() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const entry = join(OUT, 'entry.js');
  writeFileSync(
    entry,
    [
      "export { render } from 'ink-testing-library';",
      "export { createElement } from 'react';",
      `export { SqlScreen } from ${JSON.stringify(join(REPO, 'src/ui/screens/sql-screen.tsx'))};`,
      `export { DuckDbWarehouse } from ${JSON.stringify(join(REPO, 'src/pipeline/warehouse/duckdb.ts'))};`,
    ].join('\n'),
  );
  await build({ ...nodeBundle, entryPoints: [entry], outfile: join(OUT, 'bundle.js') });
  return import(join(OUT, 'bundle.js'));
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const p95 = (values) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.95))];
const mb = (bytes) => (bytes / 1e6).toFixed(0);
const tick = () => new Promise((r) => setImmediate(r));

/** Renders the screen and lets a caller wait for the first frame that satisfies a test. */
function mount(lib, warehouse, home) {
  const app = lib.render(lib.createElement(lib.SqlScreen, { warehouse, home, isActive: true, width: WIDTH, height: HEIGHT }));
  const write = app.stdout.write;
  let waiter = null;
  app.stdout.write = (frame) => {
    write(frame);
    // The test renderer keeps every frame it was sent; a terminal does not.
    app.stdout.frames.length = 0;
    app.frames.length = 0;
    if (waiter && waiter.test(frame)) {
      const { resolve: done } = waiter;
      waiter = null;
      done(performance.now());
    }
  };
  return {
    app,
    /** Sends `keys` and resolves with the ms until a frame passes `test`. */
    press(keys, test, timeoutMs = 60_000) {
      return new Promise((resolvePromise, reject) => {
        const timer = setTimeout(() => reject(new Error(`no frame for ${JSON.stringify(keys)}; last:\n${app.lastFrame()}`)), timeoutMs);
        const started = performance.now();
        waiter = {
          test,
          resolve: (at) => {
            clearTimeout(timer);
            resolvePromise(at - started);
          },
        };
        app.stdin.write(keys);
      });
    },
  };
}

/** Types KEYS characters and deletes them again, one key at a time; returns per-key latencies. */
async function typing(screen) {
  const latencies = [];
  let text = '';
  const word = 'selectcount';
  // Whole rounds of 20 typed and 20 deleted, so the editor is empty again at the end.
  for (let i = 0; i < Math.ceil(KEYS / 40) * 40; i++) {
    const deleting = Math.floor(i / 20) % 2 === 1;
    const key = deleting ? '\u007f' : word[text.length % word.length];
    text = deleting ? text.slice(0, -1) : text + key;
    const line = `sql> ${text}`.trimEnd();
    latencies.push(await screen.press(key, (frame) => frame.split('\n')[0].trimEnd() === line));
    await tick();
  }
  return latencies;
}

const lib = await bundle();
const home = mkdtempSync(join(tmpdir(), 'sparkify-bench-sql-'));
const warehouse = await lib.DuckDbWarehouse.open({ path: ':memory:' });
await warehouse.execute(
  `create table plays_100k as select i as songplay_id, timestamp '2018-11-01' + to_seconds(i * 26) as start_time,
     1 + i % 97 as user_id, case when i % 5 = 0 then 'free' else 'paid' end as level, 'SO' || lpad(cast(i % 9000 as varchar), 16, '0') as song_id,
     'San Jose-Sunnyvale-Santa Clara, CA' as location from range(100000) t(i)`,
);
const log = (line) => process.stdout.write(`${line}\n`);
log(`SQL prompt latency and memory (${KEYS} keys per series, ${PAGES} page downs); load average ${(await import('node:os')).loadavg()[0].toFixed(1)}`);

/** A screen showing the result of `sql`, or an empty prompt. */
async function screenWith(sql) {
  const screen = mount(lib, warehouse, home);
  await new Promise((r) => setTimeout(r, 200));
  if (sql) {
    for (const ch of sql) screen.app.stdin.write(ch);
    await tick();
    await screen.press('\r', (frame) => /rows 1–\d+ of/.test(frame));
  }
  return screen;
}

// 1. Latency. The baseline is the same screen, the same size of frame, with a
// result of only the rows it shows; typing on an empty prompt is there for scale.
const empty = await screenWith(null);
await typing(empty);
const noResult = await typing(empty);
empty.app.unmount();

const small = await screenWith('select * from plays_100k order by songplay_id limit 14;');
await typing(small);
const baseline = await typing(small);
small.app.unmount();

const loaded = await screenWith('select * from plays_100k order by songplay_id;');
await typing(loaded);
const withResult = await typing(loaded);
// Scrolling: Ctrl-T to the result, then row downs and page downs (pages are read as the window moves).
await loaded.press('\u0014', (frame) => frame.includes('c chart'));
const rowDowns = [];
for (let i = 0; i < KEYS; i++) {
  rowDowns.push(await loaded.press('\u001B[B', (frame) => frame.includes(`rows ${(i + 2).toLocaleString('en-US')}–`)));
}
const pageDowns = [];
for (let i = 0; i < KEYS; i++) {
  const before = /rows ([\d,]+)–/.exec(loaded.app.lastFrame())[1];
  pageDowns.push(await loaded.press('\u001B[6~', (frame) => !frame.includes(`rows ${before}–`) && /rows [\d,]+–/.test(frame) && !frame.includes('reading')));
}
loaded.app.unmount();

log('');
log('| keystroke → frame | median | p95 | ratio to the baseline |');
log('| --- | ---: | ---: | ---: |');
const row = (label, values) =>
  log(`| ${label} | ${median(values).toFixed(2)} ms | ${p95(values).toFixed(2)} ms | ${(median(values) / median(baseline)).toFixed(2)}× |`);
row('typing, empty prompt (no result drawn)', noResult);
row('typing, 14-row result open (baseline)', baseline);
row('typing, 100,000-row result open', withResult);
row('↓ one row in the 100,000-row result', rowDowns);
row('PgDn one page in the 100,000-row result', pageDowns);

// 2. Memory while scrolling a million rows.
await warehouse.execute(
  `create table plays_1m as select i as songplay_id, 1 + i % 97 as user_id, case when i % 5 = 0 then 'free' else 'paid' end as level,
     'Sunnyvale ' || cast(i as varchar) as location from range(1000000) t(i)`,
);
const scroller = mount(lib, warehouse, home);
await new Promise((r) => setTimeout(r, 200));
for (const ch of 'select * from plays_1m order by songplay_id;') scroller.app.stdin.write(ch);
await tick();
await scroller.press('\r', (frame) => /rows 1–\d+ of/.test(frame));
await scroller.press('\u0014', (frame) => frame.includes('c chart'));
const sample = () => {
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
};
const start = sample();
const samples = [];
for (let i = 0; i < PAGES; i++) {
  const before = /rows ([\d,]+)–/.exec(scroller.app.lastFrame())[1];
  await scroller.press('\u001B[6~', (frame) => !frame.includes(`rows ${before}–`) && /rows [\d,]+–/.test(frame) && !frame.includes('reading'));
  if ((i + 1) % (PAGES / 4) === 0) samples.push({ at: /rows ([\d,]+)–/.exec(scroller.app.lastFrame())[1], ...sample() });
}
const afterPages = sample();
const endStarted = performance.now();
await scroller.press('\u001B[F', (frame) => frame.includes('of 1,000,000 rows') && !frame.includes('reading'), 600_000);
const endMs = performance.now() - endStarted;
const end = sample();
const lastRow = /rows ([\d,]+–[\d,]+) of 1,000,000 rows/.exec(scroller.app.lastFrame())[1];
scroller.app.unmount();

// The same rows held whole, as a table that keeps everything would.
const result = await warehouse.query('select * from plays_1m order by songplay_id', { pageSize: 500 });
const held = [];
for await (const page of result.pages()) for (const r of page) held.push(r);
const holding = sample();

log('');
log(`| scrolling the 1,000,000-row result | rows on screen | RSS | heap used |`);
log('| --- | --- | ---: | ---: |');
log(`| start (first page shown) | 1–… | ${mb(start.rss)} MB | ${mb(start.heapUsed)} MB |`);
for (const s of samples) log(`| after page downs | from ${s.at} | ${mb(s.rss)} MB | ${mb(s.heapUsed)} MB |`);
log(`| after ${PAGES} page downs | | ${mb(afterPages.rss)} MB | ${mb(afterPages.heapUsed)} MB |`);
log(`| after End (read to the last row, ${(endMs / 1000).toFixed(1)} s) | ${lastRow} | ${mb(end.rss)} MB | ${mb(end.heapUsed)} MB |`);
log(`| baseline: the ${held.length.toLocaleString('en-US')} rows held in an array | all | ${mb(holding.rss)} MB | ${mb(holding.heapUsed)} MB |`);
log('');
const growth = end.heapUsed - start.heapUsed;
const holdingGrowth = holding.heapUsed - start.heapUsed;
log(`heap growth over the whole scroll: ${mb(growth)} MB; holding every row: ${mb(holdingGrowth)} MB; ratio ${(growth / holdingGrowth).toFixed(3)}×`);
log(`RSS end / start of the scroll: ${(end.rss / start.rss).toFixed(2)}×`);

held.length = 0;
await warehouse.close();
rmSync(home, { recursive: true, force: true });
