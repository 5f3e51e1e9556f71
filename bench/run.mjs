// `npm run bench`: sparkify's local pipeline against its floor (the same work
// written straight in DuckDB SQL) and against PostgreSQL 15, on generated
// data of about 100 MB and 1 GB of event JSON; and the cold start of a
// one-shot query against a bare DuckDB `select 1`. Prints ratios measured in
// this run and writes them into bench/RESULTS.md between its markers.
//
// Options: --runs N (default 3)  --pg-runs-large N (default 1)  --sizes MB,MB (default 100,1000)
//          --data DIR (sample cache, default $TMPDIR/sparkify-bench)  --no-postgres  --no-write
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { cliBundle } from '../scripts/esbuild-options.mjs';
import { runPostgresPipeline, startPostgres } from './postgres.mjs';

const REPO = resolve(import.meta.dirname, '..');
// A private bundle of this source, so the measured CLI is exactly what the run says.
const BUILD = join(REPO, 'bench', 'out', 'cli');
const CLI = join(BUILD, 'cli.js');
const RESULTS = join(REPO, 'bench', 'RESULTS.md');
const SEED = 42;
const COLD_START_RUNS = 15;
const loadBefore = loadavg()[0].toFixed(1);

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'pg-runs-large': { type: 'string', default: '1' },
    sizes: { type: 'string', default: '100,1000' },
    data: { type: 'string', default: join(tmpdir(), 'sparkify-bench') },
    'no-postgres': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
});
const runs = Number(flags.runs);
const sizesMb = flags.sizes.split(',').map(Number);
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', FORCE_COLOR: '0' };

const log = (line) => process.stderr.write(`${line}\n`);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const mb = (bytes) => bytes / 1e6;

/** Runs a command under /usr/bin/time for its peak RSS and CPU time (all threads); wall time measured here. */
function measure(command, args, options = {}) {
  const rssFile = join(tmpdir(), `sparkify-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, command, ...args], {
      env: { ...env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => {
      const wallMs = performance.now() - started;
      const [rssKb, user, system] = readFileSync(rssFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
      rmSync(rssFile, { force: true });
      if (status !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${status}:\n${stderr}`));
      else resolvePromise({ wallMs, rssKb, cpuSeconds: user + system, stdout, stderr });
    });
  });
}

function directoryBytes(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0);
}

/** Generated data for a scale, made once with `sparkify sample` and kept in the cache folder. */
async function sample(scale) {
  const dir = join(flags.data, `scale-${scale}-seed-${SEED}`);
  if (!existsSync(join(dir, 'log_json_path.json'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dirname(dir), { recursive: true });
    log(`generating sample data at scale ${scale} in ${dir}`);
    const made = await measure(process.execPath, [CLI, 'sample', '--out', dir, '--scale', String(scale), '--seed', String(SEED)]);
    log(`  ${made.stdout.trim()}`);
  }
  return {
    dir,
    scale,
    songData: join(dir, 'song_data'),
    logData: join(dir, 'log_data'),
    jsonpaths: join(dir, 'log_json_path.json'),
    eventBytes: directoryBytes(join(dir, 'log_data')),
    songBytes: directoryBytes(join(dir, 'song_data')),
  };
}

/** `✓ name (1.23 s, 4 rows)` lines of sparkify's text report, in seconds. */
function statementTimes(stderr) {
  const times = {};
  for (const match of stderr.matchAll(/^\s+✓ (load staging\.\w+|transform analytics\.\w+) \(([\d.]+) s/gm)) times[match[1]] = Number(match[2]) * 1000;
  const done = /^done in ([\d.]+) s/m.exec(stderr);
  if (done) {
    const wall = Number(done[1]) * 1000;
    const statements = Object.values(times).reduce((a, b) => a + b, 0);
    times['DDL, checks and row counts'] = wall - statements;
    times['pipeline (runner wall)'] = wall;
  }
  return times;
}

async function runSparkify(data, keepHome) {
  const home = mkdtempSync(join(tmpdir(), 'sparkify-bench-home-'));
  let keep = false;
  try {
    const result = await measure(
      process.execPath,
      [CLI, 'run', '--song-data', data.songData, '--log-data', data.logData, '--log-jsonpaths', data.jsonpaths],
      { env: { SPARKIFY_HOME: home } },
    );
    const counts = await measure(
      process.execPath,
      [CLI, 'query', '--format', 'csv', 'select (select count(*) from staging.s_events), count(*), count(song_id) from analytics.f_songplays'],
      { env: { SPARKIFY_HOME: home } },
    );
    const [events, plays, matchedPlays] = counts.stdout.trim().split('\n')[1].split(',').map(Number);
    keep = keepHome;
    return { wallMs: result.wallMs, cpuSeconds: result.cpuSeconds, rssKb: result.rssKb, events, plays, matchedPlays, statements: statementTimes(result.stderr), home };
  } finally {
    if (!keep) rmSync(home, { recursive: true, force: true });
  }
}

async function runFloor(data, script = 'floor-duckdb.mjs') {
  const work = mkdtempSync(join(tmpdir(), 'sparkify-bench-floor-'));
  try {
    const result = await measure(process.execPath, [join(REPO, 'bench', script), data.songData, data.logData, join(work, 'floor.duckdb')]);
    const report = JSON.parse(result.stdout);
    return { wallMs: result.wallMs, cpuSeconds: result.cpuSeconds, rssKb: result.rssKb, events: report.events, plays: report.plays, matchedPlays: report.matchedPlays, statements: report.timings };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function sameCounts(a, b) {
  return a.events === b.events && a.plays === b.plays && a.matchedPlays === b.matchedPlays;
}

async function coldStart(home) {
  const database = join(home, 'warehouse.duckdb');
  const sparkify = [];
  const floor = [];
  const node = [];
  // Alternated run by run, so a busy moment on the machine hits both alike.
  for (let i = 0; i < COLD_START_RUNS; i++) {
    sparkify.push(await measure(process.execPath, [CLI, 'query', 'select 1'], { env: { SPARKIFY_HOME: home } }));
    floor.push(await measure(process.execPath, [join(REPO, 'bench', 'floor-select1.mjs'), database]));
    node.push(await measure(process.execPath, ['-e', '0']));
  }
  const wall = (runs) => median(runs.map((r) => r.wallMs));
  const cpu = (runs) => median(runs.map((r) => r.cpuSeconds * 1000));
  return {
    sparkifyMs: wall(sparkify),
    floorMs: wall(floor),
    nodeMs: wall(node),
    sparkifyCpuMs: cpu(sparkify),
    floorCpuMs: cpu(floor),
  };
}

/** `sparkify sample --scale 100` against copying its output (the cost of writing those bytes at all). */
async function sampleThroughput() {
  const work = mkdtempSync(join(tmpdir(), 'sparkify-bench-sample-'));
  try {
    const generated = await measure(process.execPath, [CLI, 'sample', '--out', join(work, 'generated'), '--scale', '100', '--seed', String(SEED)]);
    const bytes = directoryBytes(join(work, 'generated'));
    const copied = await measure('cp', ['-r', join(work, 'generated'), join(work, 'copied')]);
    return { bytes, generated, copied };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function machine() {
  const version = (file) => JSON.parse(readFileSync(join(REPO, 'node_modules', file, 'package.json'), 'utf8')).version;
  return {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    cpu: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown'}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    duckdb: version('@duckdb/node-api'),
  };
}

const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const fmtMb = (kb) => `${Math.round(kb / 1024)} MB`;
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

/** The CLI bundled as scripts/build.mjs bundles it, into the private folder. */
async function buildCli() {
  rmSync(BUILD, { recursive: true, force: true });
  await build(cliBundle(join(REPO, 'src', 'cli.ts'), BUILD));
}

async function main() {
  await buildCli();
  const perScale = (await sample(1)).eventBytes;
  const rows = [];
  let coldHome;
  const postgres = flags['no-postgres'] ? undefined : startPostgres();
  try {
    for (const [index, sizeMb] of sizesMb.entries()) {
      const data = await sample(Math.max(1, Math.round((sizeMb * 1e6) / perScale)));
      log(`\n${mb(data.eventBytes).toFixed(0)} MB of event JSON (scale ${data.scale}): ${runs} runs`);
      const sparkify = [];
      const floor = [];
      const expert = [];
      const pg = [];
      const pgRuns = sizeMb >= 500 ? Math.min(runs, Number(flags['pg-runs-large'])) : runs;
      for (let run = 0; run < runs; run++) {
        const keep = index === 0 && run === runs - 1;
        const s = await runSparkify(data, keep);
        if (keep) coldHome = s.home;
        sparkify.push(s);
        log(`  sparkify run   ${fmt(s.wallMs)}  CPU ${s.cpuSeconds.toFixed(2)} s  peak RSS ${fmtMb(s.rssKb)}  plays ${s.plays} (matched ${s.matchedPlays})`);
        const f = await runFloor(data);
        floor.push(f);
        log(`  DuckDB floor   ${fmt(f.wallMs)}  CPU ${f.cpuSeconds.toFixed(2)} s  peak RSS ${fmtMb(f.rssKb)}  plays ${f.plays} (matched ${f.matchedPlays})`);
        if (!sameCounts(s, f)) throw new Error(`sparkify and the floor disagree: ${JSON.stringify({ s, f })}`);
        const x = await runFloor(data, 'floor-expert.mjs');
        expert.push(x);
        log(`  expert floor   ${fmt(x.wallMs)}  CPU ${x.cpuSeconds.toFixed(2)} s  peak RSS ${fmtMb(x.rssKb)}  plays ${x.plays} (matched ${x.matchedPlays})`);
        if (!sameCounts(s, x)) throw new Error(`sparkify and the expert floor disagree: ${JSON.stringify({ s, x })}`);
        if (postgres && run < pgRuns) {
          const p = await runPostgresPipeline(postgres, data.songData, data.logData);
          pg.push(p);
          log(`  PostgreSQL 15  ${fmt(p.wallMs)}  CPU ${p.cpuSeconds.toFixed(2)} s (server)  server memory ${fmtMb(p.peakKb)}  plays ${p.plays} (matched ${p.matchedPlays})`);
          if (!sameCounts(s, p)) throw new Error(`sparkify and PostgreSQL disagree: ${JSON.stringify({ s, p })}`);
        }
      }
      const statementNames = Object.keys(sparkify[0].statements);
      rows.push({
        sizeMb: mb(data.eventBytes),
        scale: data.scale,
        events: sparkify[0].events,
        plays: sparkify[0].plays,
        matchedPlays: sparkify[0].matchedPlays,
        sparkifyMs: median(sparkify.map((r) => r.wallMs)),
        sparkifyRssKb: Math.max(...sparkify.map((r) => r.rssKb)),
        sparkifyCpu: median(sparkify.map((r) => r.cpuSeconds)),
        floorCpu: median(floor.map((r) => r.cpuSeconds)),
        pgCpu: pg.length ? median(pg.map((r) => r.cpuSeconds)) : undefined,
        floorMs: median(floor.map((r) => r.wallMs)),
        floorRssKb: Math.max(...floor.map((r) => r.rssKb)),
        expertMs: median(expert.map((r) => r.wallMs)),
        expertCpu: median(expert.map((r) => r.cpuSeconds)),
        expertRssKb: Math.max(...expert.map((r) => r.rssKb)),
        expertSteps: Object.fromEntries(Object.keys(expert[0].statements).map((name) => [name, median(expert.map((r) => r.statements[name]))])),
        pgMs: pg.length ? median(pg.map((r) => r.wallMs)) : undefined,
        pgPeakKb: pg.length ? Math.max(...pg.map((r) => r.peakKb)) : undefined,
        pgRuns: pg.length,
        statements: Object.fromEntries(statementNames.map((name) => [name, median(sparkify.map((r) => r.statements[name] ?? 0))])),
        floorSteps: Object.fromEntries(Object.keys(floor[0].statements).map((name) => [name, median(floor.map((r) => r.statements[name]))])),
      });
    }
  } finally {
    postgres?.stop();
  }
  log(`\ncold start of a one-shot query (${COLD_START_RUNS} runs each)`);
  const cold = await coldStart(coldHome);
  rmSync(coldHome, { recursive: true, force: true });
  log('sample generator at scale 100');
  const generator = await sampleThroughput();
  const report = render(machine(), rows, cold, generator);
  process.stdout.write(`${report}\n`);
  if (!flags['no-write']) writeResults(report);
}

function render(host, rows, cold, generator) {
  const lines = [
    `Measured ${host.date} on ${host.cpu}, ${host.memory} RAM, Node ${host.node}, @duckdb/node-api ${host.duckdb}, PostgreSQL 15; ` +
      `load average ${loadBefore} before and ${loadavg()[0].toFixed(1)} after (the machine is shared).`,
    `Wall times are medians of ${runs} runs (PostgreSQL: runs as shown); peak RSS is the largest of the runs.`,
    '',
    '| event JSON | events | plays (matched) | sparkify run | expert floor | DuckDB floor | PostgreSQL 15 | sparkify / expert | sparkify / floor | PostgreSQL / sparkify | sparkify peak RSS | expert peak RSS | floor peak RSS | PostgreSQL memory |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.sizeMb.toFixed(0)} MB | ${r.events.toLocaleString('en-US')} | ${r.plays.toLocaleString('en-US')} (${r.matchedPlays.toLocaleString('en-US')}) | ` +
        `${fmt(r.sparkifyMs)} | ${fmt(r.expertMs)} | ${fmt(r.floorMs)} | ${r.pgMs ? `${fmt(r.pgMs)} (${r.pgRuns} run${r.pgRuns > 1 ? 's' : ''})` : '—'} | ` +
        `${ratio(r.sparkifyMs, r.expertMs)} | ${ratio(r.sparkifyMs, r.floorMs)} | ${r.pgMs ? ratio(r.pgMs, r.sparkifyMs) : '—'} | ` +
        `${fmtMb(r.sparkifyRssKb)} | ${fmtMb(r.expertRssKb)} | ${fmtMb(r.floorRssKb)} | ` +
        `${r.pgPeakKb ? fmtMb(r.pgPeakKb) : '—'} |`,
    );
  }
  lines.push(
    '',
    'CPU time (user + system, all threads; PostgreSQL: its server processes), medians. On a shared machine this is the steadier measure of the work done:',
    '',
    '| event JSON | sparkify run | expert floor | DuckDB floor | PostgreSQL 15 | sparkify / expert | sparkify / floor | PostgreSQL / sparkify |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const r of rows) {
    lines.push(
      `| ${r.sizeMb.toFixed(0)} MB | ${r.sparkifyCpu.toFixed(2)} s | ${r.expertCpu.toFixed(2)} s | ${r.floorCpu.toFixed(2)} s | ${r.pgCpu ? `${r.pgCpu.toFixed(2)} s` : '—'} | ` +
        `${(r.sparkifyCpu / r.expertCpu).toFixed(2)}× | ${(r.sparkifyCpu / r.floorCpu).toFixed(2)}× | ${r.pgCpu ? `${(r.pgCpu / r.sparkifyCpu).toFixed(2)}×` : '—'} |`,
    );
  }
  const large = rows.at(-1);
  const verdict = (ok) => (ok ? 'met' : '**missed**');
  lines.push(
    '',
    `Targets: run ≤ 1.1× the expert floor: ${rows.map((r) => `${r.sizeMb.toFixed(0)} MB ${ratio(r.sparkifyMs, r.expertMs)} (${verdict(r.sparkifyMs <= 1.1 * r.expertMs)})`).join(', ')}; ` +
      `peak RSS ≤ 1 GB: ${rows.map((r) => `${r.sizeMb.toFixed(0)} MB ${fmtMb(r.sparkifyRssKb)} (${verdict(r.sparkifyRssKb <= 1024 * 1024)})`).join(', ')}.`,
    '',
    `At ${large.sizeMb.toFixed(0)} MB: run ≤ 1.3× floor: ${ratio(large.sparkifyMs, large.floorMs)} (${verdict(large.sparkifyMs <= 1.3 * large.floorMs)}); ` +
      `≥ 5× faster than PostgreSQL: ${large.pgMs ? `${ratio(large.pgMs, large.sparkifyMs)} (${verdict(large.pgMs >= 5 * large.sparkifyMs)})` : 'not measured'}; ` +
      `peak RSS ≤ 1.5 GB: ${fmtMb(large.sparkifyRssKb)} (${verdict(large.sparkifyRssKb <= 1.5 * 1024 * 1024)}).`,
    '',
    `Cold start, median of ${COLD_START_RUNS}: \`sparkify query "select 1"\` ${cold.sparkifyMs.toFixed(0)} ms, bare DuckDB \`select 1\` script ${cold.floorMs.toFixed(0)} ms ` +
      `(${ratio(cold.sparkifyMs, cold.floorMs)}; target ≤ 1.3×: ${verdict(cold.sparkifyMs <= 1.3 * cold.floorMs)}); \`node -e 0\` alone ${cold.nodeMs.toFixed(0)} ms. ` +
      `CPU time: ${cold.sparkifyCpuMs.toFixed(0)} ms against ${cold.floorCpuMs.toFixed(0)} ms (${ratio(cold.sparkifyCpuMs, cold.floorCpuMs)}).`,
    '',
    `Sample generator, \`sparkify sample --scale 100\`: ${mb(generator.bytes).toFixed(0)} MB in ${fmt(generator.generated.wallMs)} ` +
      `(${(mb(generator.bytes) / (generator.generated.wallMs / 1000)).toFixed(0)} MB/s, peak RSS ${fmtMb(generator.generated.rssKb)}); ` +
      `\`cp -r\` of the same files ${fmt(generator.copied.wallMs)} (generator / copy ${ratio(generator.generated.wallMs, generator.copied.wallMs)}).`,
    '',
    'Where the time goes (medians; sparkify from its run report, the floor from its own timers):',
    '',
  );
  for (const r of rows) {
    lines.push(`${r.sizeMb.toFixed(0)} MB: sparkify ${Object.entries(r.statements).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}; ` +
      `process total ${fmt(r.sparkifyMs)}.`, '');
    lines.push(`${r.sizeMb.toFixed(0)} MB: expert floor ${Object.entries(r.expertSteps).filter(([, v]) => v >= 5).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}; ` +
      `process total ${fmt(r.expertMs)}.`, '');
    lines.push(`${r.sizeMb.toFixed(0)} MB: floor ${Object.entries(r.floorSteps).filter(([, v]) => v >= 5).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}; ` +
      `process total ${fmt(r.floorMs)}.`, '');
  }
  return lines.join('\n').trimEnd();
}

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

/** Replaces the measured part of RESULTS.md and keeps the notes around it. */
function writeResults(report) {
  const current = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : `# Benchmark results\n\n${START}\n${END}\n`;
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next = start === -1 || end === -1
    ? `${current.trimEnd()}\n\n${START}\n${report}\n${END}\n`
    : `${current.slice(0, start + START.length)}\n${report}\n${current.slice(end)}`;
  writeFileSync(RESULTS, next);
  log(`\nwrote ${RESULTS}`);
}

await main();
