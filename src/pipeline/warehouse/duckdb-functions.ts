// Calls to functions only DuckDB has (list_value, struct_pack, epoch_ms,
// strftime; range, read_parquet, glob, duckdb_tables() as FROM items) fail as
// Redshift fails them, "function x does not exist", instead of running
// locally and failing only on the cluster. The rewrite names the calls that
// are not in the list of Redshift functions the local engine runs, and the
// table functions Redshift lacks; of those, the ones in DuckDB's own
// catalogue are refused here (any other name fails in DuckDB, as an unknown
// function does).
import type { DuckDBConnection } from '@duckdb/node-api';
import { SqlError } from '../errors.js';
import type { CancelScope } from './duckdb-cancel.js';

const catalogues = new WeakMap<DuckDBConnection, Promise<ReadonlySet<string>>>();

/**
 * DuckDB's function names of every kind (lower case), read once per
 * connection, only when a statement calls an unlisted one. A read that
 * failed (a cancel interrupted it) is read again by the next statement.
 */
function duckDbFunctions(scope: CancelScope): Promise<ReadonlySet<string>> {
  const { connection } = scope;
  let names = catalogues.get(connection);
  if (!names) {
    names = scope
      .readAll(`SELECT DISTINCT lower(function_name) FROM duckdb_functions()`)
      .then((result) => new Set(result.getRowsJS().map((row) => String(row[0]))));
    names.catch(() => catalogues.get(connection) === names && catalogues.delete(connection));
    catalogues.set(connection, names);
  }
  return names;
}

/** The calls a rewritten statement makes that the local engine may refuse. */
export interface UnlistedCalls {
  unlistedCalls: string[];
  unlistedTableCalls: string[];
}

/** Throws Redshift's error for the first unlisted call that is a DuckDB function. */
export async function refuseDuckDbOnlyCalls(scope: CancelScope, calls: UnlistedCalls, sql: string): Promise<void> {
  if (calls.unlistedCalls.length === 0 && calls.unlistedTableCalls.length === 0) return;
  const known = await duckDbFunctions(scope);
  const table = calls.unlistedTableCalls.find((call) => known.has(call));
  if (table !== undefined) {
    throw new SqlError(`function ${table} does not exist`, {
      sql,
      hint: `${table} is a DuckDB table function that Redshift does not have; read a table or a view, load files with COPY, or make rows with generate_series`,
    });
  }
  const name = calls.unlistedCalls.find((call) => known.has(call));
  if (name === undefined) return;
  throw new SqlError(`function ${name} does not exist`, {
    sql,
    hint: `${name} is a DuckDB function that Redshift does not have; use a Redshift function (the README lists those the local warehouse runs)`,
  });
}
