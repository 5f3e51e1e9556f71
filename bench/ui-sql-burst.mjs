// Keys that come faster than the SQL prompt draws, on a real in-memory DuckDB:
//  1. a held PgDn through a 100,000-row result: the keys arrive in bursts (as a
//     terminal's auto-repeat hands them to a busy program, many to a read), and
//     every one must move the cell cursor a page: rows moved against keys sent
//     times the page, beside the same keys sent one at a time, each waiting for
//     its frame (the baseline, same run);
//  2. memory while a held PgDn goes through a 1,000,000-row result: RSS and heap
//     at row 10,000 against row 1,000,000 (pages read as the cursor moves, only
//     the rows around it held).
// The screen renders through Ink into an in-memory stdout (ink-testing-library).
//
// Options: --rows N (rows of the first result, default 100000)  --burst N (keys per read, default 20)
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleScreen, gc, mb, screenWith, tick } from './ui-screen.mjs';

const { values: flags } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, burst: { type: 'string', default: '20' } } });
const ROWS = Number(flags.rows);
const BURST = Number(flags.burst);
const WIDTH = 80;
const HEIGHT = 19;
const PAGE_DOWN = '\u001B[6~';
const log = (line) => process.stdout.write(`${line}\n`);
const count = (n) => n.toLocaleString('en-US');

const lib = await bundleScreen('ui-sql-burst');
const home = mkdtempSync(join(tmpdir(), 'sparkify-bench-burst-'));
const warehouse = await lib.DuckDbWarehouse.open({ path: ':memory:' });
const props = { warehouse, home, width: WIDTH, height: HEIGHT };
log(`SQL prompt: held PgDn (${count(ROWS)} rows, ${BURST} keys a read); load average ${loadavg()[0].toFixed(1)}`);

/** The cell cursor's row (from 1), as the cell panel says it. */
const cursorRow = (frame) => Number((/· row ([\d,]+) · column/.exec(frame)?.[1] ?? '0').replaceAll(',', ''));

/** A screen on `sql` with the result focused, and the rows a PgDn moves (measured by one, then back to the first row). */
async function focused(sql) {
  const screen = await screenWith(lib, props, sql);
  await screen.press('\u0014', (frame) => cursorRow(frame) === 1);
  await screen.press(PAGE_DOWN, (frame) => cursorRow(frame) > 1 && !frame.includes('reading'));
  const page = cursorRow(screen.app.lastFrame()) - 1;
  await screen.press('g', (frame) => cursorRow(frame) === 1 && /rows 1–/.test(frame) && !frame.includes('reading'));
  return { screen, page };
}

/** Sends `keys` PgDns `burst` to a read, a read per turn of the event loop; returns the ms until the cursor is on `target`. */
async function hold(screen, keys, burst, target) {
  const started = performance.now();
  const done = screen.frame((frame) => cursorRow(frame) === target && !frame.includes('reading'), 600_000);
  for (let sent = 0; sent < keys; sent += burst) {
    screen.app.stdin.write(PAGE_DOWN.repeat(Math.min(burst, keys - sent)));
    await tick();
  }
  await done.catch((error) => {
    throw new Error(`the cursor never reached row ${count(target)}: ${error.message}`);
  });
  return performance.now() - started;
}

// 1. A held PgDn through ROWS rows.
await warehouse.execute(`create table plays as select i as songplay_id, 1 + i % 97 as user_id, 'Sunnyvale ' || cast(i as varchar) as location from generate_series(0, ${ROWS} - 1) t(i)`);
const sql = 'select * from plays order by songplay_id;';

const paced = await focused(sql);
const pacedKeys = Math.min(200, Math.ceil((ROWS - 1) / paced.page));
const pacedStarted = performance.now();
for (let i = 1; i <= pacedKeys; i++) {
  const target = Math.min(ROWS, 1 + i * paced.page);
  await paced.screen.press(PAGE_DOWN, (frame) => cursorRow(frame) === target && !frame.includes('reading'));
}
const pacedMs = performance.now() - pacedStarted;
const pacedMoved = cursorRow(paced.screen.app.lastFrame()) - 1;
paced.screen.app.unmount();

const held = await focused(sql);
// Enough keys to go through every row: the last ones meet the end.
const keys = Math.ceil((ROWS - 1) / held.page);
const heldMs = await hold(held.screen, keys, BURST, ROWS);
const heldMoved = cursorRow(held.screen.app.lastFrame()) - 1;
const expected = Math.min(keys * held.page, ROWS - 1);
held.screen.app.unmount();

log('');
log('| PgDn | keys sent | rows a key | rows moved | rows the keys ask for | moved / asked | ms a key |');
log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
log(`| one at a time, each waiting for its frame (baseline) | ${count(pacedKeys)} | ${paced.page} | ${count(pacedMoved)} | ${count(Math.min(pacedKeys * paced.page, ROWS - 1))} | ${(pacedMoved / Math.min(pacedKeys * paced.page, ROWS - 1)).toFixed(3)} | ${(pacedMs / pacedKeys).toFixed(2)} |`);
log(`| held: ${BURST} keys a read, through all ${count(ROWS)} rows | ${count(keys)} | ${held.page} | ${count(heldMoved)} | ${count(expected)} | ${(heldMoved / expected).toFixed(3)} | ${(heldMs / keys).toFixed(2)} |`);
log('');
log(`keys lost: ${count(Math.round((expected - heldMoved) / held.page))} of ${count(keys)}; time a key held / paced: ${(heldMs / keys / (pacedMs / pacedKeys)).toFixed(2)}×`);

// 2. Memory over a million rows, the cursor moved by a held PgDn.
await warehouse.execute(`create table plays_1m as select i as songplay_id, 1 + i % 97 as user_id, 'Sunnyvale ' || cast(i as varchar) as location from generate_series(0, 999999) t(i)`);
const big = await focused('select * from plays_1m order by songplay_id;');
const sample = () => {
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
};
const toTenThousand = Math.ceil(9999 / big.page);
await hold(big.screen, toTenThousand, BURST, 1 + toTenThousand * big.page);
const at10k = { row: cursorRow(big.screen.app.lastFrame()), ...sample() };
const toEnd = Math.ceil((1_000_000 - at10k.row) / big.page);
const endMs = await hold(big.screen, toEnd, BURST, 1_000_000);
const at1m = { row: cursorRow(big.screen.app.lastFrame()), ...sample() };
big.screen.app.unmount();

log('');
log('| held PgDn through 1,000,000 rows | cursor row | RSS | heap used |');
log('| --- | ---: | ---: | ---: |');
log(`| at 10,000 | ${count(at10k.row)} | ${mb(at10k.rss)} MB | ${mb(at10k.heapUsed)} MB |`);
log(`| at 1,000,000 (${count(toEnd)} more keys, ${(endMs / 1000).toFixed(1)} s) | ${count(at1m.row)} | ${mb(at1m.rss)} MB | ${mb(at1m.heapUsed)} MB |`);
log('');
log(`RSS at 1,000,000 / at 10,000: ${(at1m.rss / at10k.rss).toFixed(2)}×; heap ${(at1m.heapUsed / at10k.heapUsed).toFixed(2)}×`);

await warehouse.close();
rmSync(home, { recursive: true, force: true });
