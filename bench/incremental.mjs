// Incremental runs against full runs, and the plan on many source files.
//   (1) Generated data, 30 days of events (BENCH_SCALE, default 290: about
//       2.3M events, 1 GB). Baseline: a full run over the 30 days. Then a
//       warehouse holding the first 29 days (made by a full run, not timed)
//       takes day 30 (all its part files) with `run --incremental`. Both
//       through the built CLI, as a person runs them, alternating, median of
//       BENCH_ROUNDS (default 1: a round at 1 GB takes about two minutes).
//       Target: incremental ≤ 15% of full.
//   (2) `run --incremental --plan` on 100,000 source files (99,000 of them in
//       the ledger, 1,000 new), through the built CLI. Target: ≤ 2 s.
//
//   BENCH_PARTS=plan runs (2) alone (with a small sample for its songs).
//
//   npm run build && node bench/incremental.mjs
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importBundle } from './bundle.mjs';

const SCALE = Number(process.env.BENCH_SCALE ?? 290);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const PLAN_FILES = Number(process.env.BENCH_PLAN_FILES ?? 100_000);
const PARTS = new Set((process.env.BENCH_PARTS ?? 'runs,plan').split(','));
const CLI = join(process.cwd(), 'dist', 'cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'sparkify-bench-incremental-'));
const env = { ...process.env, SPARKIFY_HOME: join(scratch, 'home'), FORCE_COLOR: '0' };
mkdirSync(env.SPARKIFY_HOME);

/** CPU time of the children waited for so far (utime + stime in /proc/self/stat), in ms: a figure the machine's load changes less than wall time. */
const childCpuMs = () => {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
};
const cpu = { last: 0 };

function sparkify(args) {
  const started = performance.now();
  const cpuBefore = childCpuMs();
  const result = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`sparkify ${args.join(' ')} failed:\n${result.stderr}`);
  cpu.last = childCpuMs() - cpuBefore;
  return performance.now() - started;
}

/** The last run's statements on a warehouse, slowest first, from the ledger (`runs show`). */
function slowestStatements(db, count) {
  const [last] = JSON.parse(spawnSync(process.execPath, [CLI, 'runs', '--format', 'json', '--last', '1', '--database-file', db], { env, encoding: 'utf8' }).stdout);
  const shown = JSON.parse(spawnSync(process.execPath, [CLI, 'runs', 'show', last.runId, '--format', 'json', '--database-file', db], { env, encoding: 'utf8' }).stdout);
  const total = shown.statements.reduce((sum, s) => sum + (s.wallMs ?? 0), 0);
  return { total, slowest: [...shown.statements].sort((a, b) => (b.wallMs ?? 0) - (a.wallMs ?? 0)).slice(0, count) };
}
const bytesOf = (root) => readdirSync(join(root, 'log_data', '2018', '11')).reduce((sum, f) => sum + statSync(join(root, 'log_data', '2018', '11', f)).size, 0);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  const generated = join(scratch, 'generated');
  sparkify(['sample', '--out', generated, '--scale', String(PARTS.has('runs') ? SCALE : 1), '--seed', '5']);
  const days = join(generated, 'log_data', '2018', '11');
  // A day may be several part files at larger scales: day 30 is all of its parts.
  const dayFiles = readdirSync(days).sort();
  const lastDay = dayFiles.at(-1).slice(0, 10);
  const earlier = dayFiles.filter((f) => !f.startsWith(lastDay));
  const added = dayFiles.filter((f) => f.startsWith(lastDay));
  const sourcesIn = (root) => ['--song-data', join(generated, 'song_data'), '--log-data', join(root, 'log_data'), '--log-jsonpaths', join(generated, 'log_json_path.json')];
  const folderWith = (name, files) => {
    const root = join(scratch, name);
    mkdirSync(join(root, 'log_data', '2018', '11'), { recursive: true });
    for (const f of files) cpSync(join(days, f), join(root, 'log_data', '2018', '11', f));
    return root;
  };
  const all = folderWith('all', dayFiles);
  const full = [];
  const incremental = [];
  let profile;
  const fullCpu = [];
  const incrementalCpu = [];
  for (let round = 0; round < (PARTS.has('runs') ? ROUNDS : 0); round++) {
    full.push(sparkify(['run', ...sourcesIn(all), '--database-file', join(scratch, `full-${round}.duckdb`)]));
    fullCpu.push(cpu.last);
    const root = folderWith(`inc-${round}`, earlier);
    const db = join(scratch, `inc-${round}.duckdb`);
    sparkify(['run', ...sourcesIn(root), '--database-file', db]);
    for (const f of added) cpSync(join(days, f), join(root, 'log_data', '2018', '11', f));
    incremental.push(sparkify(['run', '--incremental', ...sourcesIn(root), '--database-file', db]));
    incrementalCpu.push(cpu.last);
    if (round === ROUNDS - 1) profile = slowestStatements(db, 8);
  }
  const ratio = median(incremental) / median(full);
  if (PARTS.has('runs')) console.log(`scale ${SCALE}: 30 days in ${dayFiles.length} files (${(bytesOf(all) / 1024 ** 3).toFixed(2)} GB of events), day 30 in ${added.length}; median of ${ROUNDS}`);
  if (PARTS.has('runs')) console.log(`  full run, 30 days          ${median(full).toFixed(0).padStart(7)} ms  1.00x  (CPU ${median(fullCpu).toFixed(0)} ms)`);
  if (PARTS.has('runs')) console.log(`  incremental run, 1 day     ${median(incremental).toFixed(0).padStart(7)} ms  ${ratio.toFixed(2)}x  (target <= 0.15x: ${ratio <= 0.15 ? 'met' : 'NOT met'}; CPU ${median(incrementalCpu).toFixed(0)} ms, ${(median(incrementalCpu) / median(fullCpu)).toFixed(2)}x)`);
  if (profile) {
    console.log(`  its statements: ${profile.total.toFixed(0)} ms in all (the rest is the process, the warehouse file, the plan and the ledger); slowest:`);
    for (const s of profile.slowest) console.log(`    ${(s.wallMs ?? 0).toFixed(0).padStart(6)} ms  ${s.stepId}: ${s.name}`);
  }

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
  const statements = ledgerStatements('bench', [{ table: 'staging.s_events', load: files.slice(0, PLAN_FILES - 1000), changed: [], kept: [], gone: [], outsideDates: 0 }], 'incremental', [], 'stl_load_commits');
  for (const s of statements.filter((s) => s.sql.startsWith('INSERT INTO sparkify.loaded_files'))) await warehouse.execute(s.sql);
  await warehouse.close();
  const plans = [];
  const planCpu = [];
  for (let round = 0; round < Math.max(ROUNDS, 3); round++) {
    plans.push(sparkify(['run', '--incremental', '--plan', '--song-data', join(generated, 'song_data'), '--log-data', many, '--database-file', planDb]));
    planCpu.push(cpu.last);
  }
  console.log(`  plan on ${PLAN_FILES.toLocaleString('en-US')} files (1,000 new) ${median(plans).toFixed(0).padStart(7)} ms  (target <= 2000 ms: ${median(plans) <= 2000 ? 'met' : 'NOT met'}), median of ${plans.length}; CPU ${median(planCpu).toFixed(0)} ms`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
