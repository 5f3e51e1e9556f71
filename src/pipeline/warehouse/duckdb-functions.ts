// Calls to functions only DuckDB has (list_value, struct_pack, epoch_ms,
// strftime...) fail as Redshift fails them, "function x does not exist",
// instead of running locally and failing only on the cluster. The rewrite
// names the calls that are not in the list of Redshift functions the local
// engine runs; of those, the ones in DuckDB's own catalogue are refused here
// (any other name fails in DuckDB, as an unknown function does). Table
// functions (range, read_parquet) are left to run: they read rows, they do
// not quietly compute a different value.
import type { DuckDBConnection } from '@duckdb/node-api';
import { SqlError } from '../errors.js';

const catalogues = new WeakMap<DuckDBConnection, Promise<ReadonlySet<string>>>();

/** DuckDB's scalar, aggregate and macro names (lower case), read once per connection, only when a statement calls an unlisted one. */
function duckDbFunctions(connection: DuckDBConnection): Promise<ReadonlySet<string>> {
  let names = catalogues.get(connection);
  if (!names) {
    names = connection
      .runAndReadAll(`SELECT lower(function_name) FROM duckdb_functions() GROUP BY 1 HAVING bool_and(function_type NOT IN ('table', 'table_macro'))`)
      .then((result) => new Set(result.getRowsJS().map((row) => String(row[0]))));
    catalogues.set(connection, names);
  }
  return names;
}

/** Throws Redshift's error for the first of `calls` that is a DuckDB function. */
export async function refuseDuckDbOnlyCalls(connection: DuckDBConnection, calls: string[], sql: string): Promise<void> {
  if (calls.length === 0) return;
  const known = await duckDbFunctions(connection);
  const name = calls.find((call) => known.has(call));
  if (name === undefined) return;
  throw new SqlError(`function ${name} does not exist`, {
    sql,
    hint: `${name} is a DuckDB function that Redshift does not have; use a Redshift function (the README lists those the local warehouse runs)`,
  });
}
