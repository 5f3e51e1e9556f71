// Runs test/twin/main.ts: the documented Redshift examples on the local engine.
// Bundled with esbuild next to node_modules, as scripts/fake-aws.mjs does.
import { build } from 'esbuild';
import { nodeBundle } from './esbuild-options.mjs';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const outdir = join('node_modules', '.cache', 'sparkify-twin');
mkdirSync(outdir, { recursive: true });
const outfile = join(outdir, `main-${process.pid}.mjs`);
// The corpus files are read next to the source, wherever the bundle runs.
await build({ ...nodeBundle, entryPoints: ['test/twin/main.ts'], outfile, define: { 'import.meta.dirname': JSON.stringify(resolve('test/twin')) } });
try {
  await import(pathToFileURL(outfile).href);
} finally {
  rmSync(outfile, { force: true });
}
