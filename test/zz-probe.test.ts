import { it } from 'vitest';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
it('probe', async () => {
  const w = await DuckDbWarehouse.open({ path: ':memory:' });
  for (const s of (process.env.SQLS ?? '').split('|||')) {
    try { const r = await w.query(s); const rows = []; for await (const p of r.pages()) rows.push(...p); console.log('OK', s, '=>', JSON.stringify(rows).slice(0, 300)); }
    catch (e2) { console.log('ERR', s, '=>', (e2 as Error).message.slice(0, 200)); }
  }
  await w.close();
});
