// Runs test/fakes/aws/main.ts: bundles it with esbuild next to node_modules
// (so its packages resolve) and imports it, passing the arguments through.
import { build } from 'esbuild';
import { nodeBundle } from './esbuild-options.mjs';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const outdir = join('node_modules', '.cache', 'sparkify-fake-aws');
mkdirSync(outdir, { recursive: true });
const outfile = join(outdir, `main-${process.pid}.mjs`);
await build({ ...nodeBundle, entryPoints: ['test/fakes/aws/main.ts'], outfile });
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Once loaded (and listening) the bundle is no longer needed on disk; it goes
// on every way out (a port in use, --help, a bad flag) too.
process.on('exit', () => rmSync(outfile, { force: true }));
await import(pathToFileURL(outfile).href);
rmSync(outfile, { force: true });
