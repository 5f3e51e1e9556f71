// The core and the fakes are TypeScript: a benchmark bundles the exports it
// needs next to node_modules (so their packages resolve) and imports them.
import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { nodeBundle } from '../scripts/esbuild-options.mjs';

/** `contents`: export lines with paths from the repository root. */
export async function importBundle(name, contents) {
  const outdir = join('node_modules', '.cache', 'sparkify-bench');
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, `${name}-${process.pid}.mjs`);
  await build({ stdin: { contents, resolveDir: process.cwd(), loader: 'ts' }, outfile, ...nodeBundle });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(outfile, { force: true });
  }
}
