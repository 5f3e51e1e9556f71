// The SQL prompt under load, on a real in-memory DuckDB warehouse:
//  1. keystroke-to-frame latency while typing, with a 100,000-row result open,
//     against the same typing with no result (the baseline, same run), and the
//     latency of scrolling that result row by row and page by page;
//  2. memory while scrolling a 1,000,000-row result: RSS and heap sampled at the
//     start and the end of a long scroll (page downs, then G), against holding
//     the same rows in an array (what a table that keeps every row would cost).
// The screen renders through Ink into an in-memory stdout (ink-testing-library),
// so a "frame" is the text Ink hands to the terminal.
//
// Options: --keys N (keystrokes per series, default 200)  --pages N (page downs, default 2000)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleScreen, gc, mb, median, mount, p95, screenWith as showing, tick } from './ui-screen.mjs';

const { values: flags } = parseArgs({ options: { keys: { type: 'string', default: '200' }, pages: { type: 'string', default: '2000' } } });
const KEYS = Number(flags.keys);
const PAGES = Number(flags.pages);
const WIDTH = 80;
const HEIGHT = 19;

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

const lib = await bundleScreen('ui-sql-latency');
const home = mkdtempSync(join(tmpdir(), 'sparkify-bench-sql-'));
const warehouse = await lib.DuckDbWarehouse.open({ path: ':memory:' });
await warehouse.execute(
  `create table plays_100k as select i as songplay_id, dateadd(second, cast(i * 26 as integer), timestamp '2018-11-01') as start_time,
     1 + i % 97 as user_id, case when i % 5 = 0 then 'free' else 'paid' end as level, 'SO' || lpad(cast(i % 9000 as varchar), 16, '0') as song_id,
     'San Jose-Sunnyvale-Santa Clara, CA' as location from generate_series(0, 99999) t(i)`,
);
const log = (line) => process.stdout.write(`${line}\n`);
log(`SQL prompt latency and memory (${KEYS} keys per series, ${PAGES} page downs); load average ${(await import('node:os')).loadavg()[0].toFixed(1)}`);

const props = { warehouse, home, width: WIDTH, height: HEIGHT };
const screenWith = (sql) => showing(lib, props, sql);

// 1. Latency. The baseline is the same screen, the same size of frame, with a
// result of only the rows it shows; typing on an empty prompt is there for scale.
const empty = await screenWith(null);
await typing(empty);
const noResult = await typing(empty);
empty.app.unmount();

const small = await screenWith('select * from plays_100k order by songplay_id limit 12;');
await typing(small);
const baseline = await typing(small);
small.app.unmount();

const loaded = await screenWith('select * from plays_100k order by songplay_id;');
await typing(loaded);
const withResult = await typing(loaded);
// Scrolling: Ctrl-T to the result, then row downs (the cell cursor, in the panel) and page downs (pages are read as the window moves).
await loaded.press('\u0014', (frame) => frame.includes('c chart'));
const rowDowns = [];
for (let i = 0; i < KEYS; i++) {
  rowDowns.push(await loaded.press('\u001B[B', (frame) => frame.includes(`· row ${(i + 2).toLocaleString('en-US')} · column`)));
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
row('typing, 12-row result open (baseline)', baseline);
row('typing, 100,000-row result open', withResult);
row('↓ one row in the 100,000-row result', rowDowns);
row('PgDn one page in the 100,000-row result', pageDowns);

// 2. Memory while scrolling a million rows.
await warehouse.execute(
  `create table plays_1m as select i as songplay_id, 1 + i % 97 as user_id, case when i % 5 = 0 then 'free' else 'paid' end as level,
     'Sunnyvale ' || cast(i as varchar) as location from generate_series(0, 999999) t(i)`,
);
const scroller = mount(lib, props);
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
await scroller.press('G', (frame) => frame.includes('of 1,000,000 rows') && !frame.includes('reading'), 600_000);
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
log(`| after G (read to the last row, ${(endMs / 1000).toFixed(1)} s) | ${lastRow} | ${mb(end.rss)} MB | ${mb(end.heapUsed)} MB |`);
log(`| baseline: the ${held.length.toLocaleString('en-US')} rows held in an array | all | ${mb(holding.rss)} MB | ${mb(holding.heapUsed)} MB |`);
log('');
const growth = end.heapUsed - start.heapUsed;
const holdingGrowth = holding.heapUsed - start.heapUsed;
log(`heap growth over the whole scroll: ${mb(growth)} MB; holding every row: ${mb(holdingGrowth)} MB; ratio ${(growth / holdingGrowth).toFixed(3)}×`);
log(`RSS end / start of the scroll: ${(end.rss / start.rss).toFixed(2)}×`);

held.length = 0;
await warehouse.close();
rmSync(home, { recursive: true, force: true });
