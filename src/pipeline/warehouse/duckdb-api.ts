// DuckDB's Node API, loaded with require(): the package is CommonJS, and an
// ESM import of it has Node scan every one of its modules for their exports
// first (cjs-module-lexer), about 150 ms of a command's start on this machine
// against the require's own 140 ms. The types come from the package as usual.
import { createRequire } from 'node:module';

type DuckDbApi = typeof import('@duckdb/node-api');

export const duckdbApi = createRequire(import.meta.url)('@duckdb/node-api') as DuckDbApi;
