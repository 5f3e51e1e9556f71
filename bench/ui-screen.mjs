// The SQL prompt screen for benchmarks: a private bundle of the screen and the
// warehouse from the current source, rendered by Ink into an in-memory stdout
// (ink-testing-library), and a way to wait for the frame a key leads to.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { nodeBundle } from '../scripts/esbuild-options.mjs';

const REPO = resolve(import.meta.dirname, '..');

// As `sparkify` does before it loads the app (src/commands/app.ts).
process.env.NODE_ENV ??= 'production';
setFlagsFromString('--expose-gc');
/** A full garbage collection, so memory samples compare what is live. */
export const gc = runInNewContext('gc');

/** Bundles the screen, the warehouse and the test renderer into bench/out/NAME and imports them. */
export async function bundleScreen(name) {
  const out = join(REPO, 'bench', 'out', name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const entry = join(out, 'entry.js');
  writeFileSync(
    entry,
    [
      "export { render } from 'ink-testing-library';",
      "export { createElement } from 'react';",
      `export { SqlScreen } from ${JSON.stringify(join(REPO, 'src/ui/screens/sql-screen.tsx'))};`,
      `export { DuckDbWarehouse } from ${JSON.stringify(join(REPO, 'src/pipeline/warehouse/duckdb.ts'))};`,
    ].join('\n'),
  );
  await build({ ...nodeBundle, entryPoints: [entry], outfile: join(out, 'bundle.js') });
  return import(join(out, 'bundle.js'));
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
export const p95 = (values) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.95))];
export const mb = (bytes) => (bytes / 1e6).toFixed(0);
export const tick = () => new Promise((r) => setImmediate(r));

/** Renders the screen and lets a caller wait for the first frame that satisfies a test. */
export function mount(lib, props) {
  const app = lib.render(lib.createElement(lib.SqlScreen, { isActive: true, ...props }));
  const write = app.stdout.write;
  let waiter = null;
  app.stdout.write = (frame) => {
    write(frame);
    // The test renderer keeps every frame it was sent; a terminal does not.
    app.stdout.frames.length = 0;
    app.frames.length = 0;
    if (waiter && waiter.test(frame)) {
      const { resolve: done } = waiter;
      waiter = null;
      done(performance.now());
    }
  };
  /** Resolves with the time of the first frame, from now, that passes `test`. */
  const frame = (test, timeoutMs = 60_000) =>
    new Promise((resolvePromise, reject) => {
      if (test(app.lastFrame() ?? '')) return resolvePromise(performance.now());
      const timer = setTimeout(() => reject(new Error(`no such frame; last:\n${app.lastFrame()}`)), timeoutMs);
      waiter = {
        test,
        resolve: (at) => {
          clearTimeout(timer);
          resolvePromise(at);
        },
      };
    });
  return {
    app,
    frame,
    /** Sends `keys` and resolves with the ms until a frame passes `test`. */
    press(keys, test, timeoutMs = 60_000) {
      return new Promise((resolvePromise, reject) => {
        const timer = setTimeout(() => reject(new Error(`no frame for ${JSON.stringify(keys)}; last:\n${app.lastFrame()}`)), timeoutMs);
        const started = performance.now();
        waiter = {
          test,
          resolve: (at) => {
            clearTimeout(timer);
            resolvePromise(at - started);
          },
        };
        app.stdin.write(keys);
      });
    },
  };
}

/** A screen showing the result of `sql` (typed, then Enter), or an empty prompt. */
export async function screenWith(lib, props, sql) {
  const screen = mount(lib, props);
  await new Promise((r) => setTimeout(r, 200));
  if (sql) {
    for (const ch of sql) screen.app.stdin.write(ch);
    await tick();
    await screen.press('\r', (frame) => /rows 1–\d+ of/.test(frame));
  }
  return screen;
}
