// The floor for a one-shot query: open the warehouse file with DuckDB, run
// `select 1`, print it, close. Usage: node bench/floor-select1.mjs DATABASE_FILE
import { DuckDBInstance } from '@duckdb/node-api';

const instance = await DuckDBInstance.create(process.argv[2]);
const connection = await instance.connect();
const rows = (await connection.runAndReadAll('select 1')).getRowsJS();
process.stdout.write(`${rows[0][0]}\n`);
connection.closeSync();
instance.closeSync();
