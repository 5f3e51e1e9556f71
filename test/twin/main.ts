// `npm run twin`: the corpus on the local engine, with the examples that do
// not give the documented result listed.
import { DuckDbWarehouse } from '../../src/pipeline/warehouse/duckdb.js';
import { describeResults, runCorpus } from './corpus.js';

const warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
try {
  const results = await runCorpus(warehouse);
  process.stdout.write(`${describeResults(results)}\n`);
} finally {
  await warehouse.close();
}
