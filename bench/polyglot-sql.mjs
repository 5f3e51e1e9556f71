// Would @polyglot-sql/sdk (a Redshift → DuckDB transpiler in WebAssembly) do
// part of the local engine's rewrite well? Two figures, measured in one run:
//   1. the documented-examples corpus (test/twin/corpus) transpiled by it and
//      run on plain DuckDB, against the same corpus through sparkify's rewrite;
//   2. cold start: a process that loads the SDK and transpiles `select 1`
//      before DuckDB's `select 1`, against bare DuckDB (bench/floor-select1.mjs).
// The SDK is not a dependency: install it anywhere and pass its folder,
//   npm install --prefix /tmp/poly @polyglot-sql/sdk && node bench/polyglot-sql.mjs /tmp/poly
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { nodeBundle } from '../scripts/esbuild-options.mjs';

const sdkDir = resolve(process.argv[2] ?? 'node_modules/..');
const sdkEntry = join(sdkDir, 'node_modules', '@polyglot-sql', 'sdk', 'dist', 'index.node.js');
const RUNS = 9;

// The corpus helpers and sparkify's own engine, bundled from source.
const outdir = join('node_modules', '.cache', 'sparkify-bench-polyglot');
mkdirSync(outdir, { recursive: true });
const helpers = join(outdir, `helpers-${process.pid}.mjs`);
await build({
  ...nodeBundle,
  stdin: {
    contents: "export * from './test/twin/corpus.ts'; export { DuckDbWarehouse } from './src/pipeline/warehouse/duckdb.ts';",
    resolveDir: resolve('.'),
    loader: 'ts',
  },
  outfile: helpers,
  define: { 'import.meta.dirname': JSON.stringify(resolve('test/twin')) },
});
const { loadCorpus, loadFixtures, sameRows, runCorpus, DuckDbWarehouse } = await import(pathToFileURL(helpers).href);
rmSync(helpers, { force: true });
const polyglot = await import(pathToFileURL(sdkEntry).href);
await polyglot.init?.();
const { transpile, Dialect } = polyglot;

const toValue = (v) => (v === null || v === undefined ? null : typeof v === 'bigint' ? Number(v) : typeof v === 'object' ? String(v) : v);

// 1. Correctness on the corpus.
const corpus = loadCorpus();
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
await connection.run("SET TimeZone = 'UTC'");
let fixturesFailed = 0;
for (const statements of Object.values(loadFixtures())) {
  for (const sql of statements) {
    const out = transpile(sql, Dialect.Redshift, Dialect.DuckDB);
    try {
      if (!out.success) throw new Error(out.error);
      for (const statement of out.sql) await connection.run(statement);
    } catch {
      fixturesFailed++;
      // The table the example needs still has to exist to judge the functions: create it without the storage keys.
      await connection.run(sql.replace(/\b(DISTKEY|SORTKEY)\b/gi, '')).catch(() => undefined);
    }
  }
}
const outcome = { pass: 0, wrong: 0, refused: 0, error: 0 };
for (const example of corpus) {
  const out = transpile(example.sql, Dialect.Redshift, Dialect.DuckDB);
  if (!out.success) {
    outcome.refused++;
    continue;
  }
  try {
    const rows = (await connection.runAndReadAll(out.sql.join(';\n'))).getRowsJS().map((r) => r.map(toValue));
    if (sameRows(example, rows)) outcome.pass++;
    else outcome.wrong++;
  } catch {
    outcome.error++;
  }
}
connection.closeSync();
instance.closeSync();
const ours = await DuckDbWarehouse.open({ path: ':memory:' });
const oursPassing = (await runCorpus(ours)).filter((r) => r.outcome.kind === 'pass').length;
await ours.close();

// 2. Cold start: bare DuckDB select 1, and the same after loading the SDK.
const dir = mkdtempSync(join(tmpdir(), 'sparkify-bench-polyglot-'));
const database = join(dir, 'w.duckdb');
const withSdk = join(dir, 'with-sdk.mjs');
writeFileSync(
  withSdk,
  `const p = await import(${JSON.stringify(pathToFileURL(sdkEntry).href)}); await p.init?.();
p.transpile('select 1', p.Dialect.Redshift, p.Dialect.DuckDB);
await import(${JSON.stringify(pathToFileURL(resolve('bench/floor-select1.mjs')).href)});`,
);
execFileSync(process.execPath, ['bench/floor-select1.mjs', database]);
const time = (args) => {
  const started = performance.now();
  execFileSync(process.execPath, args, { stdio: 'ignore' });
  return performance.now() - started;
};
const bare = [];
const sdk = [];
for (let i = 0; i < RUNS; i++) {
  bare.push(time(['bench/floor-select1.mjs', database]));
  sdk.push(time([withSdk, database]));
}
rmSync(dir, { recursive: true, force: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const version = JSON.parse(execFileSync(process.execPath, ['-p', `JSON.stringify(require(${JSON.stringify(join(sdkDir, 'node_modules', '@polyglot-sql', 'sdk', 'package.json'))}))`]).toString()).version;
console.log(`@polyglot-sql/sdk ${version}`);
console.log(`corpus (${corpus.length} documented examples): polyglot + plain DuckDB ${outcome.pass} give the documented result, ${outcome.wrong} a different result, ${outcome.error} an engine error, ${outcome.refused} not transpiled; fixture statements it could not transpile or run: ${fixturesFailed}`);
console.log(`corpus through sparkify's rewrite: ${oursPassing}/${corpus.length}`);
console.log(`cold start, median of ${RUNS}: bare DuckDB select 1 ${median(bare).toFixed(0)} ms, with the SDK loaded first ${median(sdk).toFixed(0)} ms (${(median(sdk) / median(bare)).toFixed(2)}x)`);
