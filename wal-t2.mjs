import { DuckDBInstance } from '@duckdb/node-api';
const [,, file, mode, ...stmts] = process.argv;
const i = await DuckDBInstance.create(file);
const c = await i.connect();
for (const s of stmts) await c.run(s);
if (mode === 'kill') process.exit(0);
c.closeSync?.(); i.closeSync?.();
