// Bundles the CLI into dist/ so it starts fast. Heavy modules (Ink, DuckDB, AWS
// clients) stay behind dynamic import() and land in their own chunks, so a
// one-shot command loads only what it uses.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  minifyWhitespace: true,
  // Native and SDK packages stay in node_modules: they are resolved at run time.
  packages: 'external',
  jsx: 'automatic',
  banner: { js: '#!/usr/bin/env node' },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
