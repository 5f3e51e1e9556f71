// What the local engine runs for a statement of the model, as text to read
// beside the Redshift original: the rewrite's statements, or for a COPY, how
// the engine loads it (COPY is not DuckDB SQL; the load is ours, in batches).
import type { CopySpec } from './copy.js';
import { rewriteForDuckDb } from './rewrite.js';

function formatText(copy: CopySpec): string {
  switch (copy.format.kind) {
    case 'auto':
      return `JSON, keys matched to column names${copy.format.ignoreCase ? ' ignoring case' : ''}`;
    case 'jsonpaths':
      return `JSON, columns by position from ${copy.format.path}`;
    case 'csv':
      return 'CSV';
    case 'text':
      return `delimited text (${JSON.stringify(copy.delimiter ?? '|')})`;
  }
}

function copyText(copy: CopySpec): string {
  const reader = copy.format.kind === 'csv' || copy.format.kind === 'text' ? 'read_csv' : 'read_json';
  return [
    `-- COPY is loaded by sparkify, not by DuckDB's COPY:`,
    `--   from     ${copy.source}${copy.manifest ? ' (a manifest of files)' : ' (every file under it)'}`,
    `--   format   ${formatText(copy)}${copy.compression ? `, ${copy.compression}` : ''}`,
    `--   errors   MAXERROR ${copy.maxError}: ${copy.maxError === 0 ? 'a bad row fails the load' : `up to ${copy.maxError} bad rows are left out`}, named file:line:column in stl_load_errors`,
    `-- in one transaction, a bounded batch of files a statement, each of this shape:`,
    `INSERT INTO ${copy.table}${copy.columns ? ` (${copy.columns.join(', ')})` : ''}`,
    `SELECT <each column from its field, cast as COPY casts>`,
    `FROM ${reader}([<the batch's files>], <the columns declared>)`,
  ].join('\n');
}

/** The text of what runs locally for `sql`, or why it does not run there. */
export function localSqlText(sql: string): string {
  try {
    const rewritten = rewriteForDuckDb(sql);
    if (rewritten.kind === 'copy') return copyText(rewritten.copy);
    return rewritten.statements.map((s) => `${s.trim()};`).join('\n');
  } catch (error) {
    return `-- does not run on the local engine: ${error instanceof Error ? error.message : String(error)}`;
  }
}
