// Incremental runs against full runs, and the plan on many source files.
//   (1) Generated data, 30 days of events (BENCH_SCALE, default 60: about
//       480,000 events, 60 MB). Baseline: a full run over the 30 days. Then a
//       warehouse holding the first 29 days (made by a full run, not timed)
//       takes day 30 with `run --incremental`. Both through the built CLI, as
//       a person runs them, alternating, median of BENCH_ROUNDS (default 3).
//       Target: incremental ≤ 15% of full.
//   (2) `run --incremental --plan` on 100,000 source files (99,000 of them in
//       the ledger, 1,000 new), through the built CLI. Target: ≤ 2 s.
//
//   npm run build && node bench/incremental.mjs
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importBundle } from './bundle.mjs';

const SCALE = Number(process.env.BENCH_SCALE ?? 60);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PLAN_FILES = Number(process.env.BENCH_PLAN_FILES ?? 100_000);
const CLI = join(process.cwd(), 'dist', 'cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'sparkify-bench-incremental-'));
const env = { ...process.env, SPARKIFY_HOME: join(scratch, 'home'), FORCE_COLOR: '0' };

function sparkify(args) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`sparkify ${args.join(' ')} failed:\n${result.stderr}`);
  return performance.now() - started;
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  const generated = join(scratch, 'generated');
  sparkify(['sample', '--out', generated, '--scale', String(SCALE), '--seed', '5']);
  const days = join(generated, 'log_data', '2018', '11');
  const dayFiles = readdirSync(days).sort();
  const sourcesIn = (root) => ['--song-data', join(generated, 'song_data'), '--log-data', join(root, 'log_data'), '--log-jsonpaths', join(generated, 'log_json_path.json')];
  const folderWith = (name, count) => {
    const root = join(scratch, name);
    mkdirSync(join(root, 'log_data', '2018', '11'), { recursive: true });
    for (const f of dayFiles.slice(0, count)) cpSync(join(days, f), join(root, 'log_data', '2018', '11', f));
    return root;
  };
  const all = folderWith('all', dayFiles.length);
  const full = [];
  const incremental = [];
  for (let round = 0; round < ROUNDS; round++) {
    full.push(sparkify(['run', ...sourcesIn(all), '--database-file', join(scratch, `full-${round}.duckdb`)]));
    const root = folderWith(`inc-${round}`, dayFiles.length - 1);
    const db = join(scratch, `inc-${round}.duckdb`);
    sparkify(['run', ...sourcesIn(root), '--database-file', db]);
    cpSync(join(days, dayFiles.at(-1)), join(root, 'log_data', '2018', '11', dayFiles.at(-1)));
    incremental.push(sparkify(['run', '--incremental', ...sourcesIn(root), '--database-file', db]));
  }
  const ratio = median(incremental) / median(full);
  console.log(`scale ${SCALE}: ${dayFiles.length} days; median of ${ROUNDS}`);
  console.log(`  full run, 30 days          ${median(full).toFixed(0).padStart(7)} ms  1.00x`);
  console.log(`  incremental run, 1 day     ${median(incremental).toFixed(0).padStart(7)} ms  ${ratio.toFixed(2)}x  (target <= 0.15x: ${ratio <= 0.15 ? 'met' : 'NOT met'})`);

  // (2) The plan on many files: write them, put all but 1,000 in the ledger directly.
  const many = join(scratch, 'many', 'log_data');
  for (let i = 0; i < PLAN_FILES; i++) {
    const dir = join(many, String(i % 100));
    if (i < 100) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `2018-11-${String((i % 28) + 1).padStart(2, '0')}-events-${i}.json`), '{}\n');
  }
  const { DuckDbWarehouse, ensureLedger, listSourceFiles, ledgerStatements } = await importBundle(
    'incremental',
    `
      export { DuckDbWarehouse } from './src/pipeline/warehouse/duckdb.ts';
      export { ensureLedger } from './src/pipeline/ledger/schema.ts';
      export { listSourceFiles, ledgerStatements } from './src/pipeline/ledger/files.ts';
    `,
  );
  const planDb = join(scratch, 'plan.duckdb');
  const warehouse = await DuckDbWarehouse.open({ path: planDb });
  await ensureLedger(warehouse);
  const files = await listSourceFiles(many);
  const statements = ledgerStatements('bench', [{ table: 'staging.s_events', load: files.slice(0, PLAN_FILES - 1000), changed: [], seen: 0, outsideDates: 0 }], 'incremental', []);
  for (const s of statements.filter((s) => s.sql.startsWith('INSERT INTO sparkify.loaded_files'))) await warehouse.execute(s.sql);
  await warehouse.close();
  const plans = [];
  for (let round = 0; round < ROUNDS; round++) {
    plans.push(sparkify(['run', '--incremental', '--plan', '--song-data', join(generated, 'song_data'), '--log-data', many, '--database-file', planDb]));
  }
  console.log(`  plan on ${PLAN_FILES.toLocaleString('en-US')} files (1,000 new) ${median(plans).toFixed(0).padStart(7)} ms  (target <= 2000 ms: ${median(plans) <= 2000 ? 'met' : 'NOT met'})`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
