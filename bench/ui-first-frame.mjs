// Time from starting `sparkify` (no arguments) to its first frame in a real
// pty, against a bundled one-line Ink app started the same way in the same run.
// Both run under `script` so stdin and stdout are a TTY; the clock stops when
// the frame's text reaches the pty. Prints medians and the ratio (target ≤ 1.5×).
//
// Options: --runs N (default 15)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { cliBundle, nodeBundle } from '../scripts/esbuild-options.mjs';

const REPO = resolve(import.meta.dirname, '..');
const OUT = join(REPO, 'bench', 'out', 'ui-first-frame');
const { values: flags } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const RUNS = Number(flags.runs);

/** Private bundles of this source: the CLI as scripts/build.mjs makes it, and the one-line baseline. */
async function bundle() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  await build(cliBundle(join(REPO, 'src', 'cli.ts'), join(OUT, 'cli')));
  const baselineSource = join(OUT, 'baseline.jsx');
  writeFileSync(baselineSource, "import { render, Text } from 'ink';\nrender(<Text>sparkify · first frame</Text>);\n");
  await build({ ...nodeBundle, entryPoints: { baseline: baselineSource }, outdir: join(OUT, 'baseline') });
}

function quote(value) {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Milliseconds from spawn until `marker` shows on the pty. */
function timeToText(command, env, marker) {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let output = '';
    const timer = setTimeout(() => finish(new Error(`no first frame after 20 s; output: ${output}`)), 20_000);
    function finish(error, ms) {
      clearTimeout(timer);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      if (error) reject(error);
      else resolvePromise(ms);
    }
    child.stdout.on('data', (chunk) => {
      output += chunk.toString('utf8');
      // Styles sit between the words of a frame: compare the text without them.
      if (output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').includes(marker)) finish(undefined, performance.now() - started);
    });
    child.on('error', (error) => finish(error));
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

await bundle();
const home = mkdtempSync(join(tmpdir(), 'sparkify-bench-ui-'));
const env = { SPARKIFY_HOME: home, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', TERM: 'xterm-256color', COLUMNS: '80', LINES: '24' };
const sparkify = `${quote(process.execPath)} ${quote(join(OUT, 'cli', 'cli.js'))}`;
const baseline = `${quote(process.execPath)} ${quote(join(OUT, 'baseline', 'baseline.js'))}`;

// One untimed run each warms the file cache.
await timeToText(sparkify, env, 'sparkify ·');
await timeToText(baseline, env, 'sparkify ·');
const times = { sparkify: [], baseline: [] };
for (let i = 0; i < RUNS; i++) {
  // Alternate, so drift in machine load hits both alike.
  times.baseline.push(await timeToText(baseline, env, 'sparkify ·'));
  times.sparkify.push(await timeToText(sparkify, env, 'sparkify ·'));
}
rmSync(home, { recursive: true, force: true });

const base = median(times.baseline);
const app = median(times.sparkify);
console.log(`first frame in a pty, median of ${RUNS} runs each`);
console.log(`  one-line Ink app (baseline)  ${base.toFixed(0)} ms`);
console.log(`  sparkify (setup wizard)      ${app.toFixed(0)} ms`);
console.log(`  ratio                        ${(app / base).toFixed(2)}× (target ≤ 1.50×)`);
