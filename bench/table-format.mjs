// `sparkify query` output formats, in-process: the time writeResult takes to
// format the same N rows as a table and as CSV (the baseline), written to a
// sink that only counts characters. The rows look like analytics.f_songplays
// (ids, a timestamp, short codes, a city and a long user agent, some NULLs),
// so the table streams in several blocks and widens now and then. Runs
// alternate table/CSV so machine noise hits both alike; the ratio is of
// medians measured in the same run.
//
// Options: --rows N (default 20000)  --runs N (per format, default 7)
//          --module FILE (a prebuilt format.js to time instead, e.g. a bundle
//          of an older format.ts, for a before/after)
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { nodeBundle } from '../scripts/esbuild-options.mjs';

const REPO = resolve(import.meta.dirname, '..');
const OUT = join(REPO, 'bench', 'out', 'table-format');
const { values: flags } = parseArgs({ options: { rows: { type: 'string', default: '20000' }, runs: { type: 'string', default: '7' }, module: { type: 'string' } } });
const ROWS = Number(flags.rows);
const RUNS = Number(flags.runs);

/** A private bundle of format.ts from the current source. */
async function bundle() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  await build({ ...nodeBundle, entryPoints: [join(REPO, 'src/pipeline/format.ts')], outfile: join(OUT, 'format.js') });
  return import(join(OUT, 'format.js'));
}

const columns = ['songplay_id', 'start_time', 'user_id', 'level', 'song_id', 'artist_id', 'session_id', 'location', 'user_agent'].map(
  (name) => ({ name, type: 'varchar' }),
);
const cities = ['Lansing-East Lansing, MI', 'San Jose-Sunnyvale-Santa Clara, CA', 'Chicago-Naperville-Elgin, IL-IN-WI', 'Atlanta-Sandy Springs-Roswell, GA', 'Waterloo-Cedar Falls, IA'];
const agents = [
  '"Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36"',
  '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.77.4 (KHTML, like Gecko) Version/7.0.5 Safari/537.77.4"',
  'Mozilla/5.0 (X11; Linux x86_64; rv:31.0) Gecko/20100101 Firefox/31.0',
];
const rows = Array.from({ length: ROWS }, (_, i) => [
  i,
  new Date(Date.UTC(2018, 10, 1) + i * 3917).toISOString().replace('T', ' ').slice(0, 23),
  (i * 7) % 100,
  i % 3 ? 'free' : 'paid',
  i % 5 ? `SO${(i * 2654435761 >>> 0).toString(36).toUpperCase().padEnd(16, 'A')}` : null,
  i % 5 ? `AR${(i * 40503 >>> 0).toString(36).toUpperCase().padEnd(16, 'B')}` : null,
  (i * 13) % 1200,
  cities[i % cities.length],
  agents[i % agents.length],
]);

/** The rows as a result in pages of 2,000, as `sparkify query` asks for. */
function result() {
  return {
    columns,
    engineMs: 0,
    async *pages() {
      for (let i = 0; i < rows.length; i += 2000) yield rows.slice(i, i + 2000);
    },
    async close() {},
  };
}

const { writeResult } = flags.module ? await import(resolve(flags.module)) : await bundle();
async function time(format) {
  let chars = 0;
  const started = performance.now();
  await writeResult(result(), { format, write: (text) => void (chars += text.length) });
  return { ms: performance.now() - started, chars };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// A warm-up of each, then alternating runs.
await time('table');
await time('csv');
const ms = { table: [], csv: [] };
let chars;
for (let run = 0; run < RUNS; run++) {
  for (const format of ['table', 'csv']) {
    const t = await time(format);
    ms[format].push(t.ms);
    chars = { ...chars, [format]: t.chars };
  }
}
const table = median(ms.table);
const csv = median(ms.csv);
console.log(`${ROWS} rows, median of ${RUNS} runs each`);
console.log(`csv:   ${csv.toFixed(1)} ms (${(chars.csv / 1e6).toFixed(1)} M chars)`);
console.log(`table: ${table.toFixed(1)} ms (${(chars.table / 1e6).toFixed(1)} M chars)`);
console.log(`table / csv: ${(table / csv).toFixed(2)}×`);
