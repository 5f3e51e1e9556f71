// `node bench/sample.mjs`: `sparkify sample` (built CLI) against writing the
// same bytes, in one run: a node process that writes a buffer of each generated file's
// size to the same paths (the floor for any generator), and `cp -r` of the
// output. Runs alternate; medians. Options: --scale N (default 100) --runs N (default 3)
// --cli FILE (default dist/cli.js; another build to compare with). Wall time is the
// target's measure; the CPU time of each side (user + system, from /usr/bin/time)
// is printed beside it, as it moves less with the machine's load.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const REPO = resolve(import.meta.dirname, '..');
const { values: flags } = parseArgs({ options: { scale: { type: 'string', default: '100' }, runs: { type: 'string', default: '3' }, cli: { type: 'string', default: join(REPO, 'dist', 'cli.js') } } });
const CLI = resolve(flags.cli);
const work = mkdtempSync(join(tmpdir(), 'sparkify-bench-sample-'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const cpu = { generator: [], write: [], copy: [] };
const timed = (command, args, side) => {
  const usage = join(work, 'usage.txt');
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', usage, command, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  const wall = performance.now() - started;
  const [user, system] = readFileSync(usage, 'utf8').trim().split(/\s+/).map(Number);
  cpu[side].push((user + system) * 1000);
  return wall;
};
const files = (dir) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));

const times = { generator: [], write: [], copy: [] };
let bytes = 0;
const loadBefore = loadavg()[0];
try {
  for (let run = 0; run < Number(flags.runs); run++) {
    const out = join(work, `generated-${run}`);
    times.generator.push(timed(process.execPath, [CLI, 'sample', '--out', out, '--scale', flags.scale, '--seed', '42'], 'generator'));
    const layout = files(out).map((file) => [relative(out, file), statSync(file).size]);
    bytes = layout.reduce((sum, [, size]) => sum + size, 0);
    const plan = join(work, 'layout.json');
    writeFileSync(plan, JSON.stringify(layout));
    const writer = `const fs = require('node:fs'), path = require('node:path');
      const layout = JSON.parse(fs.readFileSync(process.argv[1], 'utf8')); const root = process.argv[2];
      const buffer = Buffer.alloc(Math.max(...layout.map(([, s]) => s)), 0x61);
      for (const [file, size] of layout) { fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true }); fs.writeFileSync(path.join(root, file), buffer.subarray(0, size)); }`;
    times.write.push(timed(process.execPath, ['-e', writer, plan, join(work, `written-${run}`)], 'write'));
    times.copy.push(timed('cp', ['-r', out, join(work, `copied-${run}`)], 'copy'));
    for (const dir of [out, join(work, `written-${run}`), join(work, `copied-${run}`)]) rmSync(dir, { recursive: true, force: true });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const [generator, write, copy] = [times.generator, times.write, times.copy].map(median);
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
process.stdout.write(
  `sample --scale ${flags.scale}: ${(bytes / 1e6).toFixed(0)} MB, ${availableParallelism()} cores, load average ${loadBefore.toFixed(1)} before and ${loadavg()[0].toFixed(1)} after, median of ${flags.runs}\n` +
    `generator ${s(generator)} (${(bytes / 1e6 / (generator / 1000)).toFixed(0)} MB/s) | writing the same bytes ${s(write)} | cp -r ${s(copy)}\n` +
    `generator / writing the same bytes ${(generator / write).toFixed(2)}× (target ≤ 3×), generator / cp -r ${(generator / copy).toFixed(2)}×\n` +
    `CPU (user + system): generator ${s(median(cpu.generator))} | writing the same bytes ${s(median(cpu.write))} | cp -r ${s(median(cpu.copy))}; generator / writing ${(median(cpu.generator) / median(cpu.write)).toFixed(2)}×\n`,
);
