import { DuckDBInstance } from '@duckdb/node-api';
const [mode, path, def, ...stmts] = process.argv.slice(2);
const inst = await DuckDBInstance.create(path);
const c = await inst.connect();
if (mode === 'setup') {
  await c.run("CREATE SEQUENCE s START 0 INCREMENT 1 MINVALUE 0");
  await c.run(`CREATE TABLE t (id BIGINT DEFAULT ${def}, a INTEGER, b VARCHAR)`);
  await c.run("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y')");
  await c.run("CHECKPOINT");
  for (const s of stmts) await c.run(s);
  process.kill(process.pid, 'SIGKILL');
} else {
  try { await c.run("INSERT INTO t (a) VALUES (3)"); const r = await c.runAndReadAll("SELECT * FROM t"); console.log('ok', r.columnNames(), JSON.stringify(r.getRowsJS(), (k,v)=>typeof v==='bigint'?Number(v):v)); } catch (e) { console.log('ERR', e.message.slice(0,150)); }
}
