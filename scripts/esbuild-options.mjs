// esbuild settings shared by the CLI build, the benchmarks and the fake-aws
// runner, so every bundle of sparkify code is made the same way.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Options for any Node bundle of project TypeScript; packages resolve from node_modules at run time. */
export const nodeBundle = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Native and SDK packages stay in node_modules: they are resolved at run time.
  packages: 'external',
  jsx: 'automatic',
  logLevel: 'warning',
};

/**
 * The CLI: heavy modules (Ink, DuckDB, AWS clients) stay behind dynamic
 * import() and land in their own chunks, so a one-shot command loads only what
 * it uses.
 */
/** The CLI and, where the source has it (older commits built by the benchmarks do not), the sample generator's worker thread, beside it. */
function cliEntries(entry) {
  const worker = join(dirname(entry), 'pipeline', 'sample', 'worker.ts');
  return existsSync(worker) ? { cli: entry, 'sample-worker': worker } : { cli: entry };
}

export function cliBundle(entry, outdir) {
  return {
    ...nodeBundle,
    entryPoints: cliEntries(entry),
    outdir,
    splitting: true,
    sourcemap: true,
    minifyWhitespace: true,
    banner: { js: '#!/usr/bin/env node' },
    chunkNames: 'chunks/[name]-[hash]',
  };
}
