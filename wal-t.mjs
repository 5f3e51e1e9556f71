import { DuckDBInstance } from '@duckdb/node-api';
const [,, file, mode] = process.argv;
const i = await DuckDBInstance.create(file);
const c = await i.connect();
if (mode === 'write') {
  const stmts = process.argv.slice(4);
  for (const s of stmts) await c.run(s);
  process.exit(0); // no close: WAL stays
} else {
  const r = await c.runAndReadAll("select 1");
  console.log('open ok', r.getRows());
}
