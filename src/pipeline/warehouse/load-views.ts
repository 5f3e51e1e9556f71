// Redshift's load views exist on every cluster, empty until a COPY writes to
// them, so `SELECT count(*) FROM stl_load_errors` answers 0 on a new cluster.
// The local file gets them when it is opened for writing; a file opened
// read-only answers for them once a load has made them.
import type { DuckDBInstance } from '@duckdb/node-api';
import { CREATE_LOAD_COMMITS, CREATE_LOAD_DETAIL } from './load-commits.js';
import { CREATE_LOAD_ERROR_DETAIL, CREATE_LOAD_ERRORS } from './load-errors.js';

/**
 * Leaves the local file's load views out of a listing of the user's tables
 * (information_schema.tables or .columns as `prefix`): on Redshift they are
 * system views, not tables in public.
 */
export const notLoadView = (prefix = '') =>
  `not (${prefix}table_schema = 'main' and ${prefix}table_name in ('stl_load_errors', 'sys_load_error_detail', 'stl_load_commits', 'sys_load_detail'))`;

const LOAD_VIEWS = [CREATE_LOAD_ERRORS, CREATE_LOAD_ERROR_DETAIL, CREATE_LOAD_COMMITS, CREATE_LOAD_DETAIL];

export async function ensureLoadViews(instance: DuckDBInstance): Promise<void> {
  const connection = await instance.connect();
  try {
    await connection.run(LOAD_VIEWS.join(';\n'));
  } catch (error) {
    const [[readOnly]] = (await connection.runAndReadAll('SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()')).getRowsJS();
    if (readOnly !== true) throw error;
  } finally {
    connection.closeSync();
  }
}
