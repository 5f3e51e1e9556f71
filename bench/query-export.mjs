// `sparkify query --format X` of a 1,000,000-row table on the local engine
// against DuckDB's own `COPY (query) TO` of the same query, in one run. Both
// sides are a fresh node process that opens the same warehouse file, so
// process start and the file's opening count on both; each figure is the
// median of RUNS. Destinations: stdout redirected to /dev/null, and for CSV
// and Parquet a file (--out FILE, COPY TO FILE). The row-by-row writer (a one-statement script)
// is timed for CSV as the before.
// Usage: npm run build && node bench/query-export.mjs [ROWS]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const RUNS = 3;
const CLI = resolve(import.meta.dirname, '..', 'dist', 'cli.js');
const folder = mkdtempSync(join(tmpdir(), 'sparkify-bench-export-'));
const database = join(folder, 'warehouse.duckdb');
const QUERY = 'SELECT * FROM bench.plays';

const instance = await DuckDBInstance.create(database);
const setup = await instance.connect();
await setup.run(`CREATE SCHEMA bench; CREATE TABLE bench.plays AS SELECT range AS id,
  TIMESTAMP '2018-11-01' + to_seconds(range) AS start_time, CAST(range % 100 AS INTEGER) AS user_id,
  CASE WHEN range % 2 = 0 THEN 'free' ELSE 'paid' END AS level, 'song-' || (range % 5000) AS song,
  range * 0.37 AS length, CASE WHEN range % 10 = 0 THEN NULL ELSE 'San Francisco, CA' END AS location
  FROM generate_series(0, ${ROWS} - 1) AS t(range)`);
setup.closeSync();
instance.closeSync();

const OPTIONS = { csv: "FORMAT csv, HEADER true", tsv: "FORMAT csv, HEADER true, DELIMITER '\t', QUOTE ''", json: 'FORMAT json, ARRAY true', jsonl: 'FORMAT json', parquet: 'FORMAT parquet' };
const copyScript = join(folder, 'copy.mjs');
writeFileSync(copyScript, `import { DuckDBInstance } from ${JSON.stringify(import.meta.resolve('@duckdb/node-api'))};
const [database, target, options] = process.argv.slice(2);
const connection = await (await DuckDBInstance.create(database)).connect();
await connection.run(\`COPY (${QUERY}) TO '\${target}' (\${options})\`);\n`);

/** Median wall time of a command, stdout into /dev/null. */
function time(args) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const devnull = openSync('/dev/null', 'w');
    const started = performance.now();
    const run = spawnSync(process.execPath, args, { stdio: ['ignore', devnull, 'pipe'], env: { ...process.env, SPARKIFY_HOME: folder } });
    times.push(performance.now() - started);
    closeSync(devnull);
    if (run.status !== 0) throw new Error(`${args.join(' ')} failed: ${run.stderr}`);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)] / 1000;
}

const query = ['query', '--database-file', database];
const lines = [`${ROWS.toLocaleString('en')} rows, median of ${RUNS}`, '', '| format | to | DuckDB COPY TO | sparkify query | ratio |', '| --- | --- | ---: | ---: | ---: |'];
const print = (format, to, floor, ours) => lines.push(`| ${format} | ${to} | ${floor.toFixed(2)} s | ${ours.toFixed(2)} s | ${(ours / floor).toFixed(2)}× |`);
for (const format of ['csv', 'tsv', 'json', 'jsonl', 'parquet']) {
  const out = join(folder, `out.${format}`);
  if (format !== 'parquet') print(format, 'stdout', time([copyScript, database, '/dev/stdout', OPTIONS[format]]), time([CLI, ...query, '--format', format, QUERY]));
  if (format === 'csv' || format === 'parquet') print(format, 'file', time([copyScript, database, out, OPTIONS[format]]), time([CLI, ...query, '--format', format, '--out', out, QUERY]));
}
const script = join(folder, 'one.sql');
writeFileSync(script, `${QUERY};\n`);
print('csv (row writer, before)', 'stdout', time([copyScript, database, '/dev/stdout', OPTIONS.csv]), time([CLI, ...query, '--format', 'csv', '-f', script]));
process.stdout.write(`${lines.join('\n')}\n`);
rmSync(folder, { recursive: true, force: true });
