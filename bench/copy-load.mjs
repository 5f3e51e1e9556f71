// `node bench/copy-load.mjs --base COMMIT`: `sparkify run` built from this
// source against the same command built from an earlier commit, in one run,
// on the course data and on generated events (`sparkify sample --scale 125`,
// about 1 GB). Runs alternate between the two builds; medians and the ratio
// are printed. Used to check that the Redshift rules of the local COPY cost
// at most 10%.
//
// Options: --base COMMIT (required)  --runs N (default 3)  --scale N (default 125)
//          --data DIR (sample cache, default $TMPDIR/sparkify-bench)
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { cliBundle } from '../scripts/esbuild-options.mjs';

const REPO = resolve(import.meta.dirname, '..');
const COURSE = resolve(REPO, '../shared/data/sparkify');
const { values: flags } = parseArgs({
  options: {
    base: { type: 'string' },
    runs: { type: 'string', default: '3' },
    scale: { type: 'string', default: '125' },
    data: { type: 'string', default: join(tmpdir(), 'sparkify-bench') },
  },
});
if (!flags.base) throw new Error('--base COMMIT is required');
const runs = Number(flags.runs);
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', FORCE_COLOR: '0' };
const log = (line) => process.stderr.write(`${line}\n`);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A bundle of the CLI from a source tree. */
async function bundle(sourceRoot, out) {
  await build({ ...cliBundle(join(sourceRoot, 'src/cli.ts'), out), sourcemap: false });
  return join(out, 'cli.js');
}

const work = mkdtempSync(join(tmpdir(), 'sparkify-copy-bench-'));
const baseTree = join(work, 'base');
mkdirSync(baseTree);
execFileSync('sh', ['-c', `git -C "${REPO}" archive ${flags.base} | tar -x -C "${baseTree}"`]);
symlinkSync(join(REPO, 'node_modules'), join(baseTree, 'node_modules'));
// Each bundle sits in its own tree, where it finds that tree's sql/ folder.
const clis = {
  base: await bundle(baseTree, join(baseTree, 'dist')),
  now: await bundle(REPO, join(REPO, 'bench', 'out', 'copy-load')),
};

function run(cli, args) {
  return new Promise((resolvePromise, reject) => {
    const home = mkdtempSync(join(work, 'home-'));
    const started = performance.now();
    const child = spawn(process.execPath, [cli, ...args], { env: { ...env, SPARKIFY_HOME: home }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const ms = performance.now() - started;
      rmSync(home, { recursive: true, force: true });
      if (code !== 0) reject(new Error(`${cli} ${args.join(' ')} exited ${code}\n${stderr}`));
      else resolvePromise(ms);
    });
  });
}

function bytesUnder(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? bytesUnder(path) : statSync(path).size;
  }
  return total;
}

const sampleDir = join(flags.data, `scale-${flags.scale}-seed-42`);
if (!existsSync(join(sampleDir, 'log_json_path.json'))) {
  log(`generating sample data at scale ${flags.scale} in ${sampleDir}`);
  await run(clis.now, ['sample', '--out', sampleDir, '--scale', flags.scale, '--seed', '42']);
}
const datasets = [
  { name: 'course data', dir: COURSE },
  { name: `sample scale ${flags.scale} (${(bytesUnder(join(sampleDir, 'log_data')) / 1e6).toFixed(0)} MB of events)`, dir: sampleDir },
];
for (const data of datasets) {
  const args = ['run', '--song-data', join(data.dir, 'song_data'), '--log-data', join(data.dir, 'log_data'), '--log-jsonpaths', join(data.dir, 'log_json_path.json')];
  const times = { base: [], now: [] };
  for (let i = 0; i < runs; i++) {
    for (const which of i % 2 ? ['now', 'base'] : ['base', 'now']) times[which].push(await run(clis[which], args));
  }
  const [base, now] = [median(times.base), median(times.now)];
  process.stdout.write(`${data.name}: ${flags.base.slice(0, 7)} ${(base / 1000).toFixed(2)} s, now ${(now / 1000).toFixed(2)} s, ×${(now / base).toFixed(3)} (median of ${runs})\n`);
}
rmSync(work, { recursive: true, force: true });
