// Bundles the CLI into dist/ so it starts fast (see scripts/esbuild-options.mjs).
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { cliBundle } from './esbuild-options.mjs';

await rm('dist', { recursive: true, force: true });
await build(cliBundle('src/cli.ts', 'dist'));
